/*
 * server.c: one dhcpd as the poller sees it: its connection (opened with
 * backoff, re-opened after a failure), the resolution of configured pools
 * to dhcpd's pool objects, and one poll of pool counters and hosts.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keypage.h"
#include "log.h"
#include "poller.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000
#define POLL_WINDOW	32

int
server_init(struct server_state *s, const struct config_server *cfg,
    uint32_t poll_interval_ms, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->poll_interval_ms = poll_interval_ms;
	pthread_mutex_init(&s->conn_mtx, NULL);
	s->key = cfg->key.loaded;	/* read with the config, owned by it */
	s->keyed = s->key != NULL;
	s->pools = calloc(cfg->npools ? cfg->npools : 1, sizeof(*s->pools));
	s->sweep = calloc(cfg->npools ? cfg->npools : 1, sizeof(*s->sweep));
	s->hosts = calloc(cfg->nhosts ? cfg->nhosts : 1, sizeof(*s->hosts));
	if (s->pools == NULL || s->sweep == NULL || s->hosts == NULL ||
	    sweeper_init(s) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	server_free(s);		/* the caller counts only servers that began */
	return -1;
}

void
server_free(struct server_state *s)
{
	server_disconnect(s);
	sweeper_abort(s);
	s->key = NULL;
	free(s->pools);
	free(s->sweep);
	free(s->hosts);
	free(s->ranges);
	pthread_mutex_destroy(&s->conn_mtx);
}

/* Count a failed exchange under its reason and remember it for /. */
void
server_count_error(struct server_state *s, const struct omapi_error *e)
{
	int r = snapshot_reason_from_omapi(e->code);

	if (r >= 0)
		s->errors[r]++;
	snprintf(s->last_error, sizeof(s->last_error), "%s",
	    e->text);
}

/* Requests sent so far, over every connection this server has had. */
uint64_t
server_requests(struct server_state *s)
{
	uint64_t n = s->closed_requests;

	if (s->conn != NULL)
		n += omapi_conn_stats(s->conn)->requests;
	return n;
}

/*
 * Replies to requests we never sent: the library drops them, and they
 * count as protocol errors (a confused or hostile server).  Logged at the
 * first of each connection.
 */
void
server_count_unmatched(struct server_state *s)
{
	uint64_t n;

	if (s->conn == NULL)
		return;
	n = omapi_conn_stats(s->conn)->unmatched;
	if (n <= s->unmatched_seen)
		return;
	if (s->unmatched_seen == 0)
		log_warnx("server %s: replies to requests never sent "
		    "(ignored, counted as protocol errors)", s->cfg->name);
	s->errors[SNAPSHOT_ERR_PROTOCOL] += n - s->unmatched_seen;
	s->unmatched_seen = n;
}

void
server_disconnect(struct server_state *s)
{
	pthread_mutex_lock(&s->conn_mtx);
	if (s->conn != NULL) {
		s->closed_requests += omapi_conn_stats(s->conn)->requests;
		s->unmatched_seen = 0;
		omapi_conn_close(s->conn);
		s->conn = NULL;
	}
	pthread_mutex_unlock(&s->conn_mtx);
	s->handles_resolved = 0;
}

/* Wake the server's thread if it is blocked on the network. */
void
server_interrupt(struct server_state *s)
{
	pthread_mutex_lock(&s->conn_mtx);
	if (s->conn != NULL)
		omapi_conn_interrupt(s->conn);
	pthread_mutex_unlock(&s->conn_mtx);
}

/*
 * Make sure there is a working connection: drop a broken one and, when the
 * backoff allows, open a new one.  0 when connected.
 */
int
server_connect(struct server_state *s, double now)
{
	struct omapi_conn_opts o;
	struct omapi_conn *c;
	struct omapi_error e;

	if (s->conn != NULL && !omapi_conn_is_broken(s->conn))
		return 0;
	if (s->conn != NULL) {
		s->resets++;
		server_disconnect(s);
		s->next_connect = now;	/* first retry at once */
	}
	if (now < s->next_connect)
		return -1;
	memset(&o, 0, sizeof(o));
	o.host = s->cfg->address;
	o.port = s->cfg->port;
	o.key = s->keyed ? s->key : NULL;
	o.connect_timeout_ms = (int)s->cfg->connect_timeout_ms;
	o.io_timeout_ms = (int)s->cfg->timeout_ms;
	o.max_msg = s->cfg->max_message_size;
	if ((c = omapi_conn_open(&o, &e)) == NULL) {
		server_count_error(s, &e);
		s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 :
		    BACKOFF_MIN_MS;
		if (s->backoff_ms > BACKOFF_MAX_MS)
			s->backoff_ms = BACKOFF_MAX_MS;
		s->next_connect = now + s->backoff_ms / 1000.0;
		/* The poll that needed it logs the outage (log_outage). */
		log_debug("server %s: %s (%s); retrying in %.0f s",
		    s->cfg->name, e.text, omapi_errcode_name(e.code),
		    s->backoff_ms / 1000.0);
		return -1;
	}
	s->backoff_ms = 0;
	pthread_mutex_lock(&s->conn_mtx);
	s->conn = c;
	pthread_mutex_unlock(&s->conn_mtx);
	return 0;
}

/* Shared state of one pipelined step of a poll. */
struct poll_step {
	struct server_state	*s;
	struct pool_result	*pools;
	struct host_result	*hosts;
	size_t			*index;		/* item -> pool or host */
	uint8_t			 ip[4];
	uint8_t			 htype[4];
	struct omapi_nv		 type;
	struct omapi_nv		 keys[2];
	int			 fatal;		/* auth failure: stop */
};

static void
step_error(struct poll_step *st, const struct omapi_error *e)
{
	server_count_error(st->s, e);
	if (e->code == OMAPI_ERR_AUTH)
		st->fatal = 1;
}

/* A request's STATUS reply as an error; NOTFOUND is left to the caller. */
static int
reply_status(const struct omapi_msg *m, struct omapi_error *e)
{
	if (m->hdr.opcode != OMAPI_OP_STATUS)
		return 0;
	if (omapi_status_to_error(m, e) == 0)
		return omapi_seterr(e, OMAPI_ERR_PROTOCOL,
		    "unexpected status reply");
	return -1;
}

/* Resolution: the first address of each unresolved pool's first range. */
static void
resolve_make(void *arg, size_t i, struct omapi_request *req)
{
	struct poll_step *st = arg;
	const struct config_pool *p = &st->s->cfg->pools[st->index[i]];

	omapi_put_u32(st->ip, p->ranges[0].first);
	st->type = (struct omapi_nv){ "type", "lease", 5 };
	st->keys[0] = (struct omapi_nv){ "ip-address", st->ip, 4 };
	*req = (struct omapi_request){ OMAPI_OP_OPEN, 0, 0, &st->type, 1,
	    st->keys, 1 };
}

static void
resolve_done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct poll_step *st = arg;
	size_t pool = st->index[i];
	const struct config_pool *p = &st->s->cfg->pools[pool];
	struct omapi_error se;
	uint32_t handle = 0;
	struct in_addr a;

	if (e == NULL && reply_status(m, &se) == -1)
		e = &se;
	if (e != NULL && e->code != OMAPI_ERR_NOTFOUND) {
		step_error(st, e);
		return;
	}
	if (e == NULL)
		omapi_list_u32(&m->object, "pool", &handle);
	if (handle == 0) {
		a.s_addr = htonl(p->ranges[0].first);
		log_warnx("server %s: pool %s: dhcpd has no pool for %s; is "
		    "the range in dhcpd.conf?", st->s->cfg->name, p->name,
		    inet_ntoa(a));
	}
	st->pools[pool].handle = handle;
}

/* Counters: REFRESH of each resolved pool handle. */
static void
counters_make(void *arg, size_t i, struct omapi_request *req)
{
	struct poll_step *st = arg;

	*req = (struct omapi_request){ OMAPI_OP_REFRESH,
	    st->pools[st->index[i]].handle, 0, NULL, 0, NULL, 0 };
}

static void
counters_done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct poll_step *st = arg;
	struct pool_result *pr = &st->pools[st->index[i]];
	struct omapi_error se;
	uint32_t count, nfree, backup = 0;

	if (e == NULL && reply_status(m, &se) == -1)
		e = &se;
	if (e != NULL) {
		/* A stale handle (dhcpd restarted): resolve again. */
		if (e->code == OMAPI_ERR_NOTFOUND)
			pr->handle = 0;
		else
			step_error(st, e);
		return;
	}
	if (omapi_list_u32(&m->object, "lease-count", &count) == -1 ||
	    omapi_list_u32(&m->object, "free-leases", &nfree) == -1) {
		omapi_seterr(&se, OMAPI_ERR_PROTOCOL, "pool object without "
		    "lease-count or free-leases");
		step_error(st, &se);
		pr->handle = 0;
		return;
	}
	omapi_list_u32(&m->object, "backup-leases", &backup);
	pr->counters_known = 1;
	pr->addresses = count;
	pr->free = nfree;
	pr->backup = backup;
}

/* Hosts: by MAC when configured, else by name. */
static void
host_make(void *arg, size_t i, struct omapi_request *req)
{
	struct poll_step *st = arg;
	const struct config_host *h = &st->s->cfg->hosts[i];
	size_t n = 0;

	st->type = (struct omapi_nv){ "type", "host", 4 };
	if (h->has_mac) {
		omapi_put_u32(st->htype, OMAPI_HTYPE_ETHERNET);
		st->keys[n++] = (struct omapi_nv){ "hardware-address", h->mac,
		    6 };
		st->keys[n++] = (struct omapi_nv){ "hardware-type", st->htype,
		    4 };
	} else
		st->keys[n++] = (struct omapi_nv){ "name", h->name,
		    (uint32_t)strlen(h->name) };
	*req = (struct omapi_request){ OMAPI_OP_OPEN, 0, 0, &st->type, 1,
	    st->keys, n };
}

static void
host_done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct poll_step *st = arg;
	struct host_result *hr = &st->hosts[i];
	struct omapi_error se;
	struct omapi_pair p;
	size_t pos = 0;

	memset(hr, 0, sizeof(*hr));
	if (e == NULL && reply_status(m, &se) == -1)
		e = &se;
	if (e != NULL) {
		if (e->code != OMAPI_ERR_NOTFOUND)
			step_error(st, e);
		return;
	}
	hr->present = 1;
	while (omapi_list_next(&m->object, &pos, &p) == 1) {
		if (p.namelen == 16 && memcmp(p.name, "hardware-address",
		    16) == 0)
			omapi_attr_format(&p, 0, hr->mac, sizeof(hr->mac));
		else if (p.namelen == 10 && p.len == 4 &&
		    memcmp(p.name, "ip-address", 10) == 0)
			omapi_attr_format(&p, 0, hr->ip, sizeof(hr->ip));
	}
}

/* Run one pipelined step over the items listed in index (or 0..n-1). */
static int
poll_step_run(struct poll_step *st, size_t n, pipeline_make_fn *make,
    pipeline_done_fn *done)
{
	struct omapi_error e;

	if (n == 0 || st->fatal)
		return st->fatal ? -1 : 0;
	if (pipeline_run(st->s->conn, n, POLL_WINDOW, make, done, st,
	    &e) == -1) {
		server_count_error(st->s, &e);
		return -1;
	}
	return st->fatal ? -1 : 0;
}

/*
 * Warn when two configured pools turn out to be one dhcpd pool: once per
 * configuration, not again at every reconnect's re-resolution.
 */
static void
warn_shared_pools(struct server_state *s, const struct pool_result *pools)
{
	size_t i, j;

	if (s->shared_pools_warned)
		return;
	s->shared_pools_warned = 1;
	for (i = 0; i < s->cfg->npools; i++)
		for (j = i + 1; j < s->cfg->npools; j++)
			if (pools[i].handle && pools[i].handle ==
			    pools[j].handle)
				log_warnx("server %s: pools %s and %s are one "
				    "pool in dhcpd (same permit list in one "
				    "shared network): both report its "
				    "counters", s->cfg->name,
				    s->cfg->pools[i].name,
				    s->cfg->pools[j].name);
}

/* Items (pool indexes) that satisfy a condition on their handle. */
static size_t
pools_where(const struct server_state *s, const struct pool_result *pools,
    int resolved, size_t *index)
{
	size_t i, n = 0;

	for (i = 0; i < s->cfg->npools; i++)
		if ((pools[i].handle != 0) == resolved)
			index[n++] = i;
	return n;
}

/*
 * One poll: resolve pools that need it, refresh every pool's counters and
 * look up every host, into the caller's arrays.  0 when the server answered
 * everything, -1 when the connection or authentication failed.
 */
int
server_poll(struct server_state *s, struct pool_result *pools,
    struct host_result *hosts)
{
	struct poll_step st;
	size_t n, *index;
	int rv = -1, first = !s->handles_resolved;

	memset(&st, 0, sizeof(st));
	st.s = s;
	st.pools = pools;
	st.hosts = hosts;
	if ((index = calloc(s->cfg->npools + 1, sizeof(*index))) == NULL)
		return -1;
	st.index = index;
	for (n = 0; n < s->cfg->npools; n++) {
		if (first)	/* handles may be stale after a reconnect */
			pools[n].handle = 0;
		pools[n].counters_known = 0;
	}
	n = pools_where(s, pools, 0, index);
	if (poll_step_run(&st, n, resolve_make, resolve_done) == -1)
		goto out;
	if (first)
		warn_shared_pools(s, pools);
	s->handles_resolved = 1;
	n = pools_where(s, pools, 1, index);
	if (poll_step_run(&st, n, counters_make, counters_done) == -1)
		goto out;
	st.index = NULL;
	if (poll_step_run(&st, s->cfg->nhosts, host_make, host_done) == -1)
		goto out;
	rv = 0;
out:
	free(index);
	return rv;
}
