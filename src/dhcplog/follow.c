/*
 * follow.c: follow a log file the way `tail -F` does.
 *
 *   - start at the end: history is not counted again (a file that appears
 *     later, or after a rotation, is read from its start);
 *   - rotation by rename: the path names a new file; the old one is read
 *     to its end, and kept a while (DRAIN_SECS after its last growth)
 *     for a writer that has not reopened yet;
 *   - copytruncate: the file shrank below our position: read from 0;
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

#include <errno.h>
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

struct fstate {
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	char		*line;		/* the partial line, at most MAX+1 */
	size_t		 len;
	int		 skipping;	/* inside an overlong line */
	time_t		 grew;		/* old file: when it last grew */
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

/* Read f to its end. 1 when it grew, 0 when not, -1 on an error. */
static int
fs_drain(struct dhcplog_follow *fw, struct fstate *f, dhcplog_line_cb cb,
    void *arg)
{
	struct stat st;
	ssize_t n;
	int grew = 0;

	if (f->fd == -1)
		return 0;
	if (fstat(f->fd, &st) == 0 && st.st_size < f->off) {
		f->off = 0;		/* copytruncate */
		f->len = 0;
		f->skipping = 0;
	}
	while ((n = pread(f->fd, fw->chunk, sizeof(fw->chunk), f->off)) > 0) {
		f->off += n;
		grew = 1;
		fs_lines(f, fw->chunk, (size_t)n, cb, arg);
	}
	return n == -1 && errno != EINTR && errno != EAGAIN ? -1 : grew;
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
