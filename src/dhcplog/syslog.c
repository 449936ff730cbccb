/*
 * syslog.c: a syslog listener, one datagram one line.
 *
 *   unix:/run/dhcpd_exporter/dhcpd1.sock   a unix datagram socket (what
 *       glibc's syslog() and rsyslog's omuxsock write to), with its owner,
 *       group and mode set, since anyone who can write to it can forge
 *       lines;
 *   udp://127.0.0.1:5514, udp://[::1]:5514  a UDP port that takes
 *       datagrams only from the listed source addresses (default: the
 *       loopback addresses); others are dropped and counted.
 *
 * Datagrams longer than DHCPLOG_MAX_LINE reach the callback at their full
 * (truncated to the buffer) length, so the parser calls them unparsed.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dl_int.h"

#define SL_BUF		(65536 + 1)	/* any datagram, plus one */
#define SL_RCVBUF	(4 << 20)
#define SL_BATCH	512		/* datagrams per read call */

struct sl_addr {
	int		 family;
	struct in_addr	 v4;
	struct in6_addr	 v6;
};

struct dhcplog_syslog {
	int		 fd;
	char		*path;		/* unix: to unlink on close */
	int		 udp;
	struct sl_addr	 allow[DHCPLOG_MAX_ALLOW + 2];
	size_t		 nallow;
	char		 buf[SL_BUF];
};

static int
sl_err(char *err, size_t errlen, const char *what, const char *arg)
{
	snprintf(err, errlen, "%s %s: %s", what, arg, strerror(errno));
	return -1;
}

static int
parse_addr(const char *s, size_t n, struct sl_addr *a)
{
	char tmp[INET6_ADDRSTRLEN + 1];

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, tmp, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, tmp, &a->v6) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

/* "unix:/path": bind it, then owner, group and mode. */
static int
open_unix(struct dhcplog_syslog *s, const struct dhcplog_syslog_opts *o,
    const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (*path != '/' || strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: a socket path must be absolute "
		    "and shorter than %zu bytes", path, sizeof(sun.sun_path));
		return -1;
	}
	strcpy(sun.sun_path, path);
	/* a socket left by an earlier run; never anything else */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket",
			    path);
			return -1;
		}
		if (unlink(path) == -1)
			return sl_err(err, errlen, "unlink", path);
	}
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd == -1)
		return sl_err(err, errlen, "socket for", path);
	if (bind(s->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return sl_err(err, errlen, "bind", path);
	if ((s->path = strdup(path)) == NULL)
		return sl_err(err, errlen, "strdup", path);
	if (chmod(path, (mode_t)(o->mode >= 0 ? o->mode : 0660)) == -1)
		return sl_err(err, errlen, "chmod", path);
	if ((o->owner != (uid_t)-1 || o->group != (gid_t)-1) &&
	    lchown(path, o->owner, o->group) == -1)
		return sl_err(err, errlen, "chown", path);
	return 0;
}

/* "udp://HOST:PORT", HOST an IPv4 address or [IPv6]. */
static int
open_udp(struct dhcplog_syslog *s, const struct dhcplog_syslog_opts *o,
    const char *hp, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	const char *colon, *h = hp, *hend;
	struct sl_addr a;
	socklen_t sl;
	char *end;
	long port;
	int one = 1;
	size_t i;

	colon = strrchr(hp, ':');
	if (colon == NULL)
		goto bad;
	hend = colon;
	if (*h == '[') {
		h++;
		if (hend == h || hend[-1] != ']')
			goto bad;
		hend--;
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || port < 1 || port > 65535 ||
	    parse_addr(h, (size_t)(hend - h), &a) == -1)
		goto bad;
	memset(&ss, 0, sizeof(ss));
	if (a.family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sin->sin_addr = a.v4;
		sl = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sin6->sin6_addr = a.v6;
		sl = sizeof(*sin6);
	}
	s->udp = 1;
	for (i = 0; i < o->nallow; i++)
		if (parse_addr(o->allow[i], strlen(o->allow[i]),
		    &s->allow[s->nallow++]) == -1) {
			snprintf(err, errlen, "%s: not an IP address",
			    o->allow[i]);
			return -1;
		}
	if (o->nallow == 0) {
		parse_addr("127.0.0.1", 9, &s->allow[s->nallow++]);
		parse_addr("::1", 3, &s->allow[s->nallow++]);
	}
	s->fd = socket(a.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd == -1)
		return sl_err(err, errlen, "socket for", hp);
	(void)setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&ss, sl) == -1)
		return sl_err(err, errlen, "bind", hp);
	return 0;
bad:
	snprintf(err, errlen, "%s: must be udp://IPV4:PORT or "
	    "udp://[IPV6]:PORT", hp);
	return -1;
}

struct dhcplog_syslog *
dhcplog_syslog_open(const struct dhcplog_syslog_opts *o, char *err,
    size_t errlen)
{
	struct dhcplog_syslog *s;
	int rc, big = SL_RCVBUF;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	if (o->nallow > DHCPLOG_MAX_ALLOW) {
		snprintf(err, errlen, "at most %d allowed sources",
		    DHCPLOG_MAX_ALLOW);
		rc = -1;
	} else if (strncmp(o->url, "unix:", 5) == 0)
		rc = open_unix(s, o, o->url + 5, err, errlen);
	else if (strncmp(o->url, "udp://", 6) == 0)
		rc = open_udp(s, o, o->url + 6, err, errlen);
	else {
		snprintf(err, errlen, "%s: must be unix:/PATH or "
		    "udp://HOST:PORT", o->url);
		rc = -1;
	}
	if (rc == -1) {
		dhcplog_syslog_close(s);
		return NULL;
	}
	/* bursts of a busy dhcpd: a deep queue (best effort) */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return s;
}

int
dhcplog_syslog_fd(const struct dhcplog_syslog *s)
{
	return s->fd;
}

static int
allowed(const struct dhcplog_syslog *s, const struct sockaddr_storage *ss,
    char *host, size_t hostlen)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	struct in_addr v4;
	int fam = ss->ss_family;
	size_t i;

	if (fam == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memcpy(&v4, &sin6->sin6_addr.s6_addr[12], 4);
		fam = AF_INET;
	} else if (fam == AF_INET)
		v4 = sin->sin_addr;
	if (fam == AF_INET)
		inet_ntop(AF_INET, &v4, host, (socklen_t)hostlen);
	else if (fam == AF_INET6)
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, (socklen_t)hostlen);
	else
		return 0;
	for (i = 0; i < s->nallow; i++) {
		if (s->allow[i].family != fam)
			continue;
		if (fam == AF_INET && s->allow[i].v4.s_addr == v4.s_addr)
			return 1;
		if (fam == AF_INET6 && memcmp(&s->allow[i].v6,
		    &sin6->sin6_addr, sizeof(struct in6_addr)) == 0)
			return 1;
	}
	return 0;
}

/*
 * Hand every waiting datagram (at most a batch) to cb.  The number read,
 * or -1 on a socket error.  Datagrams from sources not allowed are
 * counted in *refused and dropped.
 */
int
dhcplog_syslog_read(struct dhcplog_syslog *s, dhcplog_line_cb cb, void *arg,
    uint64_t *refused)
{
	struct sockaddr_storage ss;
	char host[INET6_ADDRSTRLEN];
	socklen_t sl;
	ssize_t n;
	int count;

	for (count = 0; count < SL_BATCH; count++) {
		memset(&ss, 0, sizeof(ss));
		sl = sizeof(ss);
		n = recvfrom(s->fd, s->buf, sizeof(s->buf) - 1,
		    MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&ss, &sl);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			return -1;
		}
		if ((size_t)n > sizeof(s->buf) - 1)
			n = sizeof(s->buf) - 1;	/* truncated: unparsed */
		if (s->udp) {
			if (!allowed(s, &ss, host, sizeof(host))) {
				(*refused)++;
				continue;
			}
			cb(arg, s->buf, (size_t)n, host);
		} else
			cb(arg, s->buf, (size_t)n, NULL);
	}
	return count;
}

void
dhcplog_syslog_close(struct dhcplog_syslog *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1)
		close(s->fd);
	if (s->path != NULL)
		unlink(s->path);
	free(s->path);
	free(s);
}
