/*
 * follow.c: follow a log file the way `tail -F` does.
 *
 *   - start at the end: history is not counted again (a file that appears
 *     later, or after a rotation, is read from its start);
 *   - rotation by rename: the path names a new file; the old one is read
 *     to its end, and kept a while (DRAIN_SECS after its last growth)
 *     for a writer that has not reopened yet;
 *   - copytruncate: the file shrank below our position: read from 0, and
 *     first what had not been read yet from the copy logrotate made (the
 *     newest PATH.* or PATH-* in the folder whose bytes just before our
 *     position are the last bytes we read);
 *   - a reload hands the position (device, inode, offset) over.
 *
 * An inotify watch on the folder wakes the reader at once, so a
 * copytruncate loses nothing written before it; the caller also calls
 * dhcplog_follow_read() every second, for file systems without inotify.
 * Lines longer than DHCPLOG_MAX_LINE are delivered cut, at
 * DHCPLOG_MAX_LINE + 1 bytes (so unparsed), and the rest skipped.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dl_int.h"

#define DRAIN_SECS	5
#define READ_CHUNK	65536
#define TAIL_LEN	256	/* bytes that identify a copytruncate copy */

struct fstate {
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	char		*line;		/* the partial line, at most MAX+1 */
	size_t		 len;
	int		 skipping;	/* inside an overlong line */
	time_t		 grew;		/* old file: when it last grew */
	char		 tail[TAIL_LEN];	/* the last bytes read */
	size_t		 taillen;
};

struct dhcplog_follow {
	char		*path;
	int		 ino_fd;
	struct fstate	 cur;
	struct fstate	 old;		/* renamed away, draining */
	char		 chunk[READ_CHUNK];
};

static time_t
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
fs_close(struct fstate *f)
{
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
	f->len = 0;
	f->skipping = 0;
	f->taillen = 0;
}

/* Open path into f at offset off (-1: its end). 0, or -1 (missing). */
static int
fs_open(struct fstate *f, const char *path, off_t off)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	fs_close(f);
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->off = off < 0 || off > st.st_size ? st.st_size : off;
	return 0;
}

/* Split what was read into lines for cb. */
static void
fs_lines(struct fstate *f, const char *p, size_t n, dhcplog_line_cb cb,
    void *arg)
{
	const char *nl;
	size_t take;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) : n;
		if (!f->skipping) {
			if (f->len + take > DHCPLOG_MAX_LINE) {
				/* overlong: deliver MAX+1 bytes, skip the rest */
				memcpy(f->line + f->len, p,
				    DHCPLOG_MAX_LINE + 1 - f->len);
				cb(arg, f->line, DHCPLOG_MAX_LINE + 1, NULL);
				f->len = 0;
				f->skipping = 1;
			} else {
				memcpy(f->line + f->len, p, take);
				f->len += take;
			}
		}
		if (nl == NULL)
			return;
		if (!f->skipping)
			cb(arg, f->line, f->len, NULL);
		f->len = 0;
		f->skipping = 0;
		p = nl + 1;
		n -= take + 1;
	}
}

/* Remember the last TAIL_LEN bytes read. */
static void
fs_tail(struct fstate *f, const char *p, size_t n)
{
	size_t keep;

	if (n >= TAIL_LEN) {
		memcpy(f->tail, p + n - TAIL_LEN, TAIL_LEN);
		f->taillen = TAIL_LEN;
		return;
	}
	keep = f->taillen + n > TAIL_LEN ? TAIL_LEN - n : f->taillen;
	memmove(f->tail, f->tail + f->taillen - keep, keep);
	memcpy(f->tail + keep, p, n);
	f->taillen = keep + n;
}

/* Read fd from f->off to its end into f's lines. */
static int
fs_read_from(struct dhcplog_follow *fw, struct fstate *f, int fd,
    dhcplog_line_cb cb, void *arg)
{
	ssize_t n;
	int grew = 0;

	while ((n = pread(fd, fw->chunk, sizeof(fw->chunk), f->off)) > 0) {
		f->off += n;
		grew = 1;
		fs_tail(f, fw->chunk, (size_t)n);
		fs_lines(f, fw->chunk, (size_t)n, cb, arg);
	}
	return n == -1 && errno != EINTR && errno != EAGAIN ? -1 : grew;
}

/* Whether fd holds, just before f->off, the bytes f read last. */
static int
fs_has_tail(const struct fstate *f, int fd)
{
	char buf[TAIL_LEN];

	return f->off >= (off_t)f->taillen &&
	    pread(fd, buf, f->taillen, f->off - (off_t)f->taillen) ==
	    (ssize_t)f->taillen && memcmp(buf, f->tail, f->taillen) == 0;
}

/*
 * The file was truncated under us (copytruncate): the lines written after
 * our last read and before the truncation are in logrotate's copy.  Find
 * it (the newest regular PATH.* or PATH-* of the folder that is at least
 * as long as our position and holds, just before it, the bytes we read
 * last) and read the rest of it.
 */
static void
fs_recover(struct dhcplog_follow *fw, struct fstate *f, dhcplog_line_cb cb,
    void *arg)
{
	char dir[PATH_MAX], cand[PATH_MAX], best[PATH_MAX] = "";
	const char *base, *slash = strrchr(fw->path, '/');
	struct dirent *de;
	struct timespec newest = { 0, 0 };
	struct stat st;
	size_t blen;
	DIR *d;
	int fd;

	if (f->taillen == 0 || f->off < (off_t)f->taillen)
		return;
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - fw->path) + 1,
		    fw->path);
	base = slash == NULL ? fw->path : slash + 1;
	blen = strlen(base);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, base, blen) != 0 ||
		    (de->d_name[blen] != '.' && de->d_name[blen] != '-') ||
		    (size_t)snprintf(cand, sizeof(cand), "%s/%s", dir,
		    de->d_name) >= sizeof(cand) ||
		    stat(cand, &st) == -1 || !S_ISREG(st.st_mode) ||
		    st.st_size < f->off)
			continue;
		if (best[0] == '\0' || st.st_mtim.tv_sec > newest.tv_sec ||
		    (st.st_mtim.tv_sec == newest.tv_sec &&
		    st.st_mtim.tv_nsec > newest.tv_nsec)) {
			newest = st.st_mtim;
			memcpy(best, cand, sizeof(best));
		}
	}
	closedir(d);
	if (best[0] == '\0' ||
	    (fd = open(best, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return;
	if (fs_has_tail(f, fd))
		(void)fs_read_from(fw, f, fd, cb, arg);
	close(fd);
}

/* Read f to its end. 1 when it grew, 0 when not, -1 on an error. */
static int
fs_drain(struct dhcplog_follow *fw, struct fstate *f, dhcplog_line_cb cb,
    void *arg)
{
	struct stat st;

	if (f->fd == -1)
		return 0;
	/* truncated: shorter than our position, or (written again past it
	 * already) no longer holding the bytes we read last */
	if (fstat(f->fd, &st) == 0 && (st.st_size < f->off ||
	    (f->taillen > 0 && st.st_size >= f->off &&
	    !fs_has_tail(f, f->fd)))) {
		fs_recover(fw, f, cb, arg);	/* copytruncate */
		f->off = 0;
		f->len = 0;
		f->skipping = 0;
		f->taillen = 0;
	}
	return fs_read_from(fw, f, f->fd, cb, arg);
}

struct dhcplog_follow *
dhcplog_follow_open(const char *path, const struct dhcplog_pos *pos,
    char *err, size_t errlen)
{
	struct dhcplog_follow *fw;
	char *dir = NULL;
	struct stat st;
	off_t off = -1;

	if ((fw = calloc(1, sizeof(*fw))) == NULL ||
	    (fw->path = strdup(path)) == NULL ||
	    (fw->cur.line = malloc(DHCPLOG_MAX_LINE + 1)) == NULL ||
	    (fw->old.line = malloc(DHCPLOG_MAX_LINE + 1)) == NULL ||
	    (dir = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	fw->cur.fd = fw->old.fd = -1;
	fw->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fw->ino_fd == -1) {
		snprintf(err, errlen, "inotify_init1: %s", strerror(errno));
		goto fail;
	}
	if (inotify_add_watch(fw->ino_fd, dirname(dir), IN_MODIFY | IN_CREATE |
	    IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE |
	    IN_ATTRIB) == -1) {
		snprintf(err, errlen, "watch %s: %s", dir, strerror(errno));
		goto fail;
	}
	free(dir);
	if (pos != NULL && pos->valid && stat(path, &st) == 0 &&
	    st.st_dev == pos->dev && st.st_ino == pos->ino)
		off = pos->off;
	(void)fs_open(&fw->cur, path, off);	/* missing: read it from 0 */
	return fw;
fail:
	free(dir);
	dhcplog_follow_close(fw);
	return NULL;
}

int
dhcplog_follow_fd(const struct dhcplog_follow *fw)
{
	return fw->ino_fd;
}

int
dhcplog_follow_up(const struct dhcplog_follow *fw)
{
	return fw->cur.fd != -1;
}

void
dhcplog_follow_pos(const struct dhcplog_follow *fw, struct dhcplog_pos *p)
{
	p->valid = fw->cur.fd != -1;
	p->dev = fw->cur.dev;
	p->ino = fw->cur.ino;
	p->off = fw->cur.off - (off_t)fw->cur.len;	/* a partial line again */
}

/*
 * Read whatever is new: the current file, a renamed one still draining,
 * and a new file at the path.  0, or -1 when the current file cannot be
 * read (it is reopened at the next call).
 */
int
dhcplog_follow_read(struct dhcplog_follow *fw, dhcplog_line_cb cb, void *arg)
{
	char ev[4096];
	struct stat st;
	struct fstate t;
	int rc = 0;

	while (read(fw->ino_fd, ev, sizeof(ev)) > 0)
		;
	if (fs_drain(fw, &fw->cur, cb, arg) == -1) {
		fs_close(&fw->cur);
		rc = -1;
	}
	if (fw->old.fd != -1) {
		if (fs_drain(fw, &fw->old, cb, arg) == 1)
			fw->old.grew = mono();
		else if (mono() - fw->old.grew >= DRAIN_SECS)
			fs_close(&fw->old);
	}
	if (stat(fw->path, &st) == -1 || !S_ISREG(st.st_mode))
		return rc;	/* gone (renamed, not yet recreated) */
	if (fw->cur.fd != -1 && st.st_dev == fw->cur.dev &&
	    st.st_ino == fw->cur.ino)
		return rc;
	/* a new file at the path: the current one drains as the old */
	if (fw->cur.fd != -1) {
		fs_close(&fw->old);
		t = fw->old;
		fw->old = fw->cur;
		fw->old.grew = mono();
		fw->cur = t;
	}
	if (fs_open(&fw->cur, fw->path, 0) == 0 &&
	    fs_drain(fw, &fw->cur, cb, arg) == -1) {
		fs_close(&fw->cur);
		rc = -1;
	}
	return rc;
}

void
dhcplog_follow_close(struct dhcplog_follow *fw)
{
	if (fw == NULL)
		return;
	fs_close(&fw->cur);
	fs_close(&fw->old);
	if (fw->ino_fd > 0)
		close(fw->ino_fd);
	free(fw->cur.line);
	free(fw->old.line);
	free(fw->path);
	free(fw);
}
