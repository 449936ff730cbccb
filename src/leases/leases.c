/*
 * leases.c: the reader's life and its incremental reading of the file.
 *
 * dhcpd appends each change to dhcpd.leases and, from time to time,
 * writes a new file and renames it over the old one (db.c
 * new_lease_file).  So: a file with the inode that was read, at least as
 * long as what was read, has only grown; read its tail.  Any other file
 * is read whole, into an empty table.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leases_int.h"


/*
 * A reader for path (NULL: one fed with leases_feed, named "leases" in
 * messages) keeping at most max_entries addresses and prefixes
 * (0: LEASES_MAX_ENTRIES).
 */
struct leases *
leases_new(const char *path, size_t max_entries)
{
	struct leases *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if (path != NULL && (l->path = strdup(path)) == NULL) {
		free(l);
		return NULL;
	}
	l->name = path != NULL ? l->path : "leases";
	if (max_entries == 0)
		max_entries = LEASES_MAX_ENTRIES;
	if (max_entries > UINT32_MAX / 4)
		max_entries = UINT32_MAX / 4;
	l->max_entries = max_entries;
	l->line = l->column = 1;
	return l;
}

void
leases_free(struct leases *l)
{
	if (l == NULL)
		return;
	free(l->v);
	free(l->slot);
	free(l->ia);
	free(l->buf);
	free(l->path);
	free(l);
}

/* Forget everything read: the next read starts the file again. */
void
leases_reset(struct leases *l)
{
	lsf_tab_clear(l);
	l->duidlen = 0;
	l->npeers = 0;
	l->opened = 0;
	l->off = 0;
	l->nbuf = 0;
	l->line = l->column = 1;
	l->resync = 0;
}

/*
 * Parse what l->buf holds now; keep the incomplete rest at its start.  A
 * rest that fills the buffer is a stanza too long to keep: an error, and
 * the reader skips to the next stanza.
 */
static void
lsf_consume(struct leases *l, int *bad, char *err, size_t errlen)
{
	size_t used;

	used = lsf_parse(l, bad, err, errlen);
	memmove(l->buf, l->buf + used, l->nbuf - used);
	l->nbuf -= used;
	if (l->nbuf >= LEASES_MAX_STANZA) {
		if ((*bad)++ == 0)
			lsf_err(err, errlen, l->name, l->line, l->column,
			    "a stanza longer than %u bytes", LEASES_MAX_STANZA);
		l->st.bad_stanzas++;
		/* from its second byte on: its own start is no resync point */
		memmove(l->buf, l->buf + 1, l->nbuf - 1);
		l->nbuf--;
		l->column++;
		l->resync = 1;
		lsf_consume(l, bad, err, errlen);
	}
	l->st.pending = l->nbuf;
}

/*
 * Room for a piece more in l->buf: it starts small and grows, as an
 * incomplete stanza needs, up to LSF_BUFCAP.
 */
static int
lsf_buf(struct leases *l)
{
	size_t cap = l->bufcap;
	char *b;

	if (cap - l->nbuf >= LSF_PIECE || cap == LSF_BUFCAP)
		return 0;
	cap = cap == 0 ? 2 * LSF_PIECE : cap * 2;
	if (cap > LSF_BUFCAP)
		cap = LSF_BUFCAP;
	if ((b = realloc(l->buf, cap)) == NULL)
		return -1;
	l->buf = b;
	l->bufcap = cap;
	return 0;
}

/*
 * Parse len more bytes of the stream (tests, fuzzing, and what
 * leases_read reads).  Returns the number of bad stanzas (their first
 * error in err), or -1 when memory runs out.
 */
int
leases_feed(struct leases *l, const char *data, size_t len, char *err,
    size_t errlen)
{
	size_t n;
	int bad = 0;

	while (len > 0) {
		if (lsf_buf(l) == -1) {
			snprintf(err, errlen, "%s: out of memory", l->name);
			return -1;
		}
		n = l->bufcap - l->nbuf;
		if (n > len)
			n = len;
		memcpy(l->buf + l->nbuf, data, n);
		l->nbuf += n;
		data += n;
		len -= n;
		lsf_consume(l, &bad, err, errlen);
	}
	return bad;
}

/*
 * Read what the file has that was not read yet (all of it when dhcpd has
 * replaced it).  Returns the number of bad stanzas (0: all good; the
 * first one's error in err), or -1 when the file cannot be read (err
 * says why; what was read before stays).
 */
int
leases_read(struct leases *l, char *err, size_t errlen)
{
	struct stat sb;
	ssize_t r;
	int fd, bad = 0, saved;

	if (l->path == NULL) {
		snprintf(err, errlen, "%s: no file to read", l->name);
		return -1;
	}
	if ((fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		snprintf(err, errlen, "%s: %s", l->name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		saved = errno;
		snprintf(err, errlen, "%s: %s", l->name, S_ISREG(sb.st_mode) ?
		    strerror(saved) : "not a regular file");
		close(fd);
		return -1;
	}
	if (!l->opened || sb.st_dev != l->dev || sb.st_ino != l->ino ||
	    sb.st_size < l->off) {
		if (l->opened)
			l->st.reloads++;
		leases_reset(l);
		l->opened = 1;
		l->dev = sb.st_dev;
		l->ino = sb.st_ino;
	}
	for (;;) {
		if (lsf_buf(l) == -1) {
			close(fd);
			snprintf(err, errlen, "%s: out of memory", l->name);
			return -1;
		}
		r = pread(fd, l->buf + l->nbuf, l->bufcap - l->nbuf, l->off);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		l->off += r;
		l->nbuf += (size_t)r;
		l->st.bytes_read += (uint64_t)r;
		lsf_consume(l, &bad, err, errlen);
	}
	if (r == -1) {
		snprintf(err, errlen, "%s: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return bad;
}

const struct leases_entry *
leases_entries(const struct leases *l, size_t *n)
{
	*n = l->n;
	return l->v;
}

/* The entry for an address (a prefix: with its length), or NULL. */
const struct leases_entry *
leases_find(const struct leases *l, enum leases_kind kind,
    const uint8_t addr[16], unsigned plen)
{
	struct leases_entry key;

	memset(&key, 0, sizeof(key));
	memcpy(key.addr, addr, kind == LEASES_V4 ? 4 : 16);
	key.kind = (uint8_t)kind;
	key.plen = (uint8_t)plen;
	return lsf_tab_find(l, &key);
}

const struct leases_peer *
leases_peers(const struct leases *l, size_t *n)
{
	*n = l->npeers;
	return l->peers;
}

size_t
leases_server_duid(const struct leases *l, const uint8_t **duid)
{
	*duid = l->duid;
	return l->duidlen;
}

void
leases_stats(const struct leases *l, struct leases_stats *st)
{
	*st = l->st;
}
