/*
 * server.c: one dhcpd's connection, opened with backoff and re-opened
 * after a failure, and the counters its worker keeps.  Only the worker
 * that owns the struct server calls these (poll/poll_int.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcpdconf.h"
#include "log.h"
#include "poll_int.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000

/* Arrays sized for the server's configuration, zeroed. */
int
server_result_alloc(struct server_result *r, const struct config_server *cfg)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->sweep_enabled = cfg->sweep.enabled;
	r->sweep_rate_limit = cfg->sweep.max_rate;
	r->pools = calloc(cfg->npools ? cfg->npools : 1, sizeof(*r->pools));
	r->hosts = calloc(cfg->nhosts ? cfg->nhosts : 1, sizeof(*r->hosts));
	r->peers = calloc(cfg->npeers + 1, sizeof(*r->peers));
	r->classes = calloc(cfg->nclasses + 1, sizeof(*r->classes));
	if (r->pools == NULL || r->hosts == NULL || r->peers == NULL ||
	    r->classes == NULL) {
		server_result_free(r);
		return -1;
	}
	for (i = 0; i < cfg->npeers; i++) {
		r->peers[i].found = -1;	/* not asked yet */
		r->peers[i].role = -1;
	}
	for (i = 0; i < cfg->nclasses; i++)
		r->classes[i].found = -1;
	return 0;
}

void
server_result_free(struct server_result *r)
{
	free(r->pools);
	free(r->hosts);
	leasetab_release(r->leases);
	r->pools = NULL;
	r->hosts = NULL;
	r->leases = NULL;
	free(r->peers);
	free(r->classes);
	r->pools = NULL;
	r->hosts = NULL;
	r->peers = NULL;
	r->classes = NULL;
}

/* Copy a result into another of the same configuration's size. */
void
server_result_copy(struct server_result *dst, const struct server_result *src,
    const struct config_server *cfg)
{
	struct pool_result *pools = dst->pools;
	struct host_result *hosts = dst->hosts;
	struct leasetab *old = dst->leases;
	struct snapshot_fo *peers = dst->peers;
	struct snapshot_cls *classes = dst->classes;

	*dst = *src;
	dst->pools = pools;
	dst->hosts = hosts;
	/* the table is immutable once handed over: shared, not copied */
	dst->leases = leasetab_ref(src->leases);
	leasetab_release(old);
	dst->peers = peers;
	dst->classes = classes;
	memcpy(pools, src->pools, cfg->npools * sizeof(*pools));
	memcpy(hosts, src->hosts, cfg->nhosts * sizeof(*hosts));
	memcpy(peers, src->peers, cfg->npeers * sizeof(*peers));
	memcpy(classes, src->classes, cfg->nclasses * sizeof(*classes));
}

/*
 * A fingerprint of the dhcpd.conf files as they are now (live) or as
 * they were read (live 0): identity, size and mtime of each, FNV-1a.
 */
static uint64_t
conf_fingerprint(const struct dhcpdconf *dc, int live)
{
	const struct dhcpdconf_file *f;
	uint64_t h = 14695981039346656037ULL, v[5];
	struct stat st;
	size_t i, k;

	for (i = 0; i < dc->nfiles; i++) {
		f = &dc->files[i];
		memset(v, 0, sizeof(v));
		if (!live) {
			v[0] = (uint64_t)f->mtime.tv_sec;
			v[1] = (uint64_t)f->mtime.tv_nsec;
			v[2] = (uint64_t)f->size;
			v[3] = (uint64_t)f->ino;
			v[4] = (uint64_t)f->dev;
		} else if (stat(f->path, &st) == 0) {
			v[0] = (uint64_t)st.st_mtim.tv_sec;
			v[1] = (uint64_t)st.st_mtim.tv_nsec;
			v[2] = (uint64_t)st.st_size;
			v[3] = (uint64_t)st.st_ino;
			v[4] = (uint64_t)st.st_dev;
		}
		for (k = 0; k < 5; k++) {
			h ^= v[k];
			h *= 1099511628211ULL;
		}
	}
	return h;
}

/* FNV-1a of n bytes, continuing from h. */
static uint64_t
fnv1a(uint64_t h, const unsigned char *b, size_t n)
{
	while (n-- > 0) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * A hash of what the dhcpd.conf files hold now, each read whole (at most
 * DHCPDCONF_MAX_BYTES, as the parser reads them); a file that cannot be
 * read adds its errno, so that it counts as a change.
 */
static uint64_t
conf_content_hash(const struct dhcpdconf *dc)
{
	unsigned char buf[65536];
	uint64_t h = 14695981039346656037ULL, total;
	size_t i;
	ssize_t r;
	int fd;

	for (i = 0; i < dc->nfiles; i++) {
		h = fnv1a(h, (const unsigned char *)dc->files[i].path,
		    strlen(dc->files[i].path) + 1);
		if ((fd = open(dc->files[i].path, O_RDONLY | O_NONBLOCK |
		    O_CLOEXEC)) == -1) {
			h = fnv1a(h, (const unsigned char *)&errno,
			    sizeof(errno));
			continue;
		}
		total = 0;
		while ((r = read(fd, buf, sizeof(buf))) > 0 &&
		    (total += (uint64_t)r) <= DHCPDCONF_MAX_BYTES)
			h = fnv1a(h, buf, (size_t)r);
		close(fd);
	}
	return h;
}

/* Monotonic seconds, for schedules, backoff and durations. */
double
poll_clock(void)
{
	return (double)omapi_now_us() / 1e6;
}

/*
 * Whether the server's dhcpd.conf (or an include) changed since it was
 * read and since this was last answered 1: checked every poll, so an
 * edit is picked up without a signal, and a file that keeps failing to
 * parse is tried once per change, not once per poll.  A change is one of
 * content: a tool that only touches the file (a new mtime, the same
 * bytes) costs one read of it, not a reload.
 */
int
server_conf_changed(struct server *s)
{
	uint64_t now, content;

	if (s->cfg->dconf == NULL)
		return 0;
	now = conf_fingerprint(s->cfg->dconf, 1);
	if (now == s->conf_seen)
		return 0;
	s->conf_seen = now;
	content = conf_content_hash(s->cfg->dconf);
	if (content == s->conf_hash)
		return 0;
	s->conf_hash = content;
	return 1;
}

/* Ranges over every pool of the server, for the item arrays. */
static size_t
scratch_nranges(const struct config_server *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->npools; i++)
		n += cfg->pools[i].nranges;
	return n;
}

/* server_poll.c's item arrays (struct poll_scratch) go with the server. */
static void
scratch_free(struct poll_scratch *ps)
{
	free(ps->index);
	free(ps->rindex);
	free(ps->asked);
	free(ps->answer);
	memset(ps, 0, sizeof(*ps));
}


/* Sized for the most a poll needs: every range and every pool. */
static int
scratch_alloc(struct poll_scratch *ps, const struct config_server *cfg)
{
	size_t nr = scratch_nranges(cfg);

	memset(ps, 0, sizeof(*ps));
	ps->index = calloc(nr + cfg->npools + 1, sizeof(*ps->index));
	ps->rindex = calloc(nr + 1, sizeof(*ps->rindex));
	ps->asked = calloc(cfg->npools + 1, sizeof(*ps->asked));
	ps->answer = calloc(cfg->npools + 1, sizeof(*ps->answer));
	if (ps->index == NULL || ps->rindex == NULL || ps->asked == NULL ||
	    ps->answer == NULL) {
		scratch_free(ps);
		return -1;
	}
	return 0;
}

int
server_init(struct server *s, const struct config_server *cfg, int cancel_fd,
    char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->cancel_fd = cancel_fd;
	s->key = cfg->key.loaded;	/* read with the config, owned by it */
	/* The contents as loaded: hashed now only when the files are as
	 * they were read (else 0, so that the next poll reloads). */
	if (cfg->dconf != NULL) {
		s->conf_seen = conf_fingerprint(cfg->dconf, 0);
		if (conf_fingerprint(cfg->dconf, 1) == s->conf_seen)
			s->conf_hash = conf_content_hash(cfg->dconf);
	}
	if (server_result_alloc(&s->res, cfg) == -1 ||
	    (s->unresolved_logged = calloc(cfg->npools + 1, 1)) == NULL ||
	    (s->peer_logged = calloc(cfg->npeers + 1, 1)) == NULL ||
	    (s->class_logged = calloc(cfg->nclasses + 1, 1)) == NULL ||
	    scratch_alloc(&s->scratch, cfg) == -1 ||
	    sweeper_init(&s->sweep, cfg) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	server_free(s);
	return -1;
}

void
server_free(struct server *s)
{
	server_disconnect(s);
	sweeper_free(&s->sweep);
	scratch_free(&s->scratch);
	s->key = NULL;
	free(s->unresolved_logged);
	free(s->peer_logged);
	free(s->class_logged);
	s->unresolved_logged = NULL;
	s->peer_logged = s->class_logged = NULL;
	server_result_free(&s->res);
}

/*
 * Count a failed exchange under its reason and remember it for the log.
 * A cancelled one is the exporter stopping or reloading, not the server
 * failing: it is not counted.
 */
void
server_count_error(struct server *s, const struct omapi_error *e)
{
	int r = snapshot_reason_from_omapi(e->code);

	if (r >= 0)
		s->res.counters.errors[r]++;
	if (e->code != OMAPI_ERR_CANCELLED)
		snprintf(s->last_error, sizeof(s->last_error), "%s", e->text);
}

/*
 * Requests sent on one connection, and its replies to requests never
 * sent, which the library drops and we count as protocol errors (a
 * confused or hostile server), logged at the first of each connection.
 */
static uint64_t
conn_counters(struct server *s, struct omapi_conn *c, uint64_t *unmatched_seen)
{
	const struct omapi_conn_stats *st;

	if (c == NULL)
		return 0;
	st = omapi_conn_stats(c);
	if (st->unmatched > *unmatched_seen) {
		if (*unmatched_seen == 0)
			log_warnx("server %s: replies to requests never sent "
			    "(ignored, counted as protocol errors)",
			    s->cfg->name);
		s->res.counters.errors[SNAPSHOT_ERR_PROTOCOL] +=
		    st->unmatched - *unmatched_seen;
		*unmatched_seen = st->unmatched;
	}
	return st->requests;
}

/* Bring the connections' own counters into the result. */
void
server_sync_counters(struct server *s)
{
	s->res.counters.requests = s->closed_requests +
	    conn_counters(s, s->conn, &s->unmatched_seen);
	for (size_t i = 0; i < OMAPI_SWEEP_CONNS_MAX - 1; i++)
		s->res.counters.requests += conn_counters(s, s->extra[i],
		    &s->extra_unmatched[i]);
}

/* Close one connection, keeping what it counted. */
static void
conn_drop(struct server *s, struct omapi_conn **c, uint64_t *unmatched_seen)
{
	if (*c == NULL)
		return;
	s->closed_requests += conn_counters(s, *c, unmatched_seen);
	*unmatched_seen = 0;
	omapi_conn_close(*c);
	*c = NULL;
}

void
server_disconnect(struct server *s)
{
	conn_drop(s, &s->conn, &s->unmatched_seen);
	for (size_t i = 0; i < OMAPI_SWEEP_CONNS_MAX - 1; i++)
		conn_drop(s, &s->extra[i], &s->extra_unmatched[i]);
	server_sync_counters(s);
	s->handles_resolved = 0;
}

/* Options for a connection to the server. */
static void
conn_opts(const struct server *s, struct omapi_conn_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = s->cfg->address;
	o->port = s->cfg->port;
	o->key = s->key;
	o->connect_timeout_ms = (int)s->cfg->connect_timeout_ms;
	o->io_timeout_ms = (int)s->cfg->timeout_ms;
	o->max_msg = s->cfg->max_message_size;
	o->cancel_fd = s->cancel_fd;
}

/*
 * The connections a sweep slice runs on: the server's own (which
 * server_connect made sure of) and up to want - 1 more, opened now where
 * missing or broken.  One that cannot be opened is counted and left out
 * of this slice.  Returns how many are in out.
 */
size_t
server_sweep_conns(struct server *s, unsigned want, struct omapi_conn **out)
{
	struct omapi_conn_opts o;
	struct omapi_error e;
	size_t i, n = 0;

	if (s->conn == NULL)
		return 0;
	out[n++] = s->conn;
	conn_opts(s, &o);
	for (i = 0; i + 1 < want && i < OMAPI_SWEEP_CONNS_MAX - 1; i++) {
		if (s->extra[i] != NULL && omapi_conn_is_broken(s->extra[i])) {
			s->res.counters.resets++;
			conn_drop(s, &s->extra[i], &s->extra_unmatched[i]);
		}
		if (s->extra[i] == NULL &&
		    (s->extra[i] = omapi_conn_open(&o, &e)) == NULL) {
			server_count_error(s, &e);
			continue;
		}
		out[n++] = s->extra[i];
	}
	for (; i < OMAPI_SWEEP_CONNS_MAX - 1; i++)	/* fewer wanted now */
		conn_drop(s, &s->extra[i], &s->extra_unmatched[i]);
	return n;
}

/*
 * Make sure there is a working connection: drop a broken one and, when the
 * backoff allows, open a new one.  0 when connected.
 */
int
server_connect(struct server *s, double now)
{
	struct omapi_conn_opts o;
	struct omapi_conn *c;
	struct omapi_error e;

	/* An idle connection that dhcpd closed (a restart) shows as such
	 * only when read: look before reusing it, so a restarted dhcpd is
	 * one reconnect, not a failed poll. */
	if (s->conn != NULL && !omapi_conn_is_broken(s->conn))
		omapi_conn_pump_us(s->conn, 0, NULL);
	if (s->conn != NULL && !omapi_conn_is_broken(s->conn))
		return 0;
	if (s->conn != NULL) {
		s->res.counters.resets++;
		conn_drop(s, &s->conn, &s->unmatched_seen);
		s->handles_resolved = 0;
		s->next_connect = now;	/* first retry at once */
	}
	if (now < s->next_connect)
		return -1;
	conn_opts(s, &o);
	if ((c = omapi_conn_open(&o, &e)) == NULL) {
		server_count_error(s, &e);
		s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 :
		    BACKOFF_MIN_MS;
		if (s->backoff_ms > BACKOFF_MAX_MS)
			s->backoff_ms = BACKOFF_MAX_MS;
		s->next_connect = now + s->backoff_ms / 1000.0;
		/* The poll that needed it logs the outage (poller.c). */
		log_debug("server %s: %s (%s); retrying in %.0f s",
		    s->cfg->name, e.text, omapi_errcode_name(e.code),
		    s->backoff_ms / 1000.0);
		return -1;
	}
	s->backoff_ms = 0;
	s->conn = c;
	return 0;
}
