/*
 * poll.c: one poll of one dhcpd: resolve configured pools to dhcpd's pool
 * objects (through the lease of each pool's first address), refresh every
 * pool's counters and look up every configured host, each step pipelined
 * on the server's connection.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "poll_int.h"

#define POLL_WINDOW	32
/* Pools named in one "merged in dhcpd" log line at most. */
#define MERGED_NAMES_MAX	8

/* Ranges of dhcpd.conf dhcpd does not serve, named in its log line. */
#define UNSERVED_NAMES_MAX	8

/* Shared state of one pipelined step of a poll. */
struct poll_step {
	struct server		*s;
	struct pool_result	*pools;
	struct host_result	*hosts;
	size_t			*index;		/* item -> pool or host */
	size_t			*rindex;	/* item -> range of the pool */
	char			**answer;	/* per pool: dhcpd's answer when
						 * it did not resolve (strdup) */
	uint8_t			 ip[4];
	uint8_t			 htype[4];
	struct omapi_nv		 type;
	struct omapi_nv		 keys[2];
	int			 fatal;		/* auth failure: stop */
};

/*
 * One request failed.  When the connection broke, every request in flight
 * fails with the same error and the pipeline returns it too: that is one
 * failure, counted once by poll_step_run (as a sweep counts it once).
 * A refused key is one failure too: the step's other requests, already
 * in flight, are refused for the same reason, and counting each would
 * make the auth counter grow with the number of pools.
 */
static void
step_error(struct poll_step *st, const struct omapi_error *e)
{
	if (st->fatal)
		return;
	if (!omapi_conn_is_broken(st->s->conn))
		server_count_error(st->s, e);
	if (e->code == OMAPI_ERR_AUTH || e->code == OMAPI_ERR_CANCELLED)
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

/*
 * Resolution: the lease of a range's first address names its pool
 * object.  A YAML pool is asked for its first range; a pool from
 * dhcpd.conf for every range, so that a range dhcpd does not serve (the
 * file edited, dhcpd not restarted) is seen and counted.
 */
static void
resolve_make(void *arg, size_t i, struct omapi_request *req)
{
	struct poll_step *st = arg;
	const struct config_pool *p = &st->s->cfg->pools[st->index[i]];

	omapi_put_u32(st->ip, p->ranges[st->rindex[i]].first);
	st->type = (struct omapi_nv){ "type", "lease", 5 };
	st->keys[0] = (struct omapi_nv){ "ip-address", st->ip, 4 };
	*req = (struct omapi_request){ OMAPI_OP_OPEN, 0, 0, &st->type, 1,
	    st->keys, 1 };
}

/*
 * A pool dhcpd will not resolve has no counters, so every alert on it
 * would stay silent: say so once, by name, with the server's answer (the
 * log line repeats only after the pool resolved in between), and publish
 * it as dhcpd_pool_resolved 0.
 */
static void
pool_unresolved(struct poll_step *st, size_t pool, const char *answer)
{
	struct server *s = st->s;
	const struct config_pool *p = &s->cfg->pools[pool];
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;

	st->pools[pool].resolution = POOL_UNRESOLVED;
	st->pools[pool].handle = 0;
	if (s->unresolved_logged[pool])
		return;
	s->unresolved_logged[pool] = 1;
	a.s_addr = htonl(p->ranges[0].first);
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	log_warnx("server %s: pool %s is not resolved: dhcpd answered the "
	    "lease of %s with \"%s\"; is the range in dhcpd.conf?",
	    s->cfg->name, p->name, addr, answer);
}

static void
resolve_done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct poll_step *st = arg;
	size_t pool = st->index[i];
	struct pool_result *pr = &st->pools[pool];
	struct omapi_error se;
	uint32_t handle = 0;

	if (e == NULL && reply_status(m, &se) == -1)
		e = &se;
	if (e != NULL && e->code != OMAPI_ERR_NOTFOUND &&
	    e->code != OMAPI_ERR_STATUS) {
		step_error(st, e);	/* the connection or the key */
		return;
	}
	if (e != NULL && e->code == OMAPI_ERR_STATUS)
		server_count_error(st->s, e);
	if (e == NULL)
		omapi_list_u32(&m->object, "pool", &handle);
	if (handle == 0) {
		if (st->rindex[i] == 0 && st->answer[pool] == NULL)
			st->answer[pool] = strdup(e != NULL ? e->text :
			    "a lease without a pool");
		/* a discovered pool's ranges are counted when all are asked
		 * (resolve_items) */
		if (st->s->cfg->pools[pool].discovered &&
		    pr->resolution == POOL_UNKNOWN)
			pr->unserved++;
		return;
	}
	if (pr->handle == 0)	/* the pool's first range that answers */
		pr->handle = handle;
}

/* After resolution: each pool resolved, or said to be unresolved once. */
static void
resolve_finish(struct poll_step *st, const size_t *pools, size_t n)
{
	struct pool_result *pr;
	size_t i;

	for (i = 0; i < n; i++) {
		pr = &st->pools[pools[i]];
		if (pr->handle == 0) {
			pool_unresolved(st, pools[i], st->answer[pools[i]] ?
			    st->answer[pools[i]] : "no answer");
			continue;
		}
		pr->resolution = POOL_RESOLVED;
		st->s->unresolved_logged[pools[i]] = 0;
	}
}

/*
 * Ranges of dhcpd.conf that dhcpd does not serve: logged when their
 * number changes, naming the first few (the first time, and after every
 * edit of the file that dhcpd has not loaded).
 */
static void
log_unserved(struct server *s, const struct pool_result *pools)
{
	char names[512];
	size_t i, len = 0, shown = 0;
	uint64_t n = 0;

	for (i = 0; i < s->cfg->npools; i++)
		n += pools[i].unserved;
	if (n == s->unserved_logged)
		return;
	s->unserved_logged = n;
	if (n == 0) {
		log_info("server %s: dhcpd serves every range of %s",
		    s->cfg->name, s->cfg->dhcpd_conf);
		return;
	}
	names[0] = '\0';
	for (i = 0; i < s->cfg->npools && shown < UNSERVED_NAMES_MAX; i++)
		if (pools[i].unserved > 0) {
			len += (size_t)snprintf(names + len, len <
			    sizeof(names) ? sizeof(names) - len : 0, "%s%s",
			    shown ? ", " : "", s->cfg->pools[i].name);
			shown++;
		}
	log_warnx("server %s: %" PRIu64 " ranges of %s are not served by "
	    "dhcpd (edited without restarting dhcpd?), in pools %s%s",
	    s->cfg->name, n, s->cfg->dhcpd_conf, names,
	    shown == UNSERVED_NAMES_MAX ? ", ..." : "");
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
poll_step_run(struct poll_step *st, size_t n, omapi_pipeline_make_fn *make,
    omapi_pipeline_done_fn *done)
{
	struct omapi_error e;

	if (n == 0 || st->fatal)
		return st->fatal ? -1 : 0;
	if (omapi_pipeline_run(st->s->conn, n, POLL_WINDOW, make, done, st,
	    &e) == -1) {
		server_count_error(st->s, &e);
		return -1;
	}
	return st->fatal ? -1 : 0;
}

/* Pool indexes ordered by handle, then by index (configuration order). */
static int
handle_cmp(const void *a, const void *b, void *arg)
{
	const struct pool_result *pools = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint32_t x = pools[i].handle, y = pools[j].handle;

	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* One line for a group of configured pools that are one dhcpd pool. */
static void
log_merged(const struct server *s, const size_t *idx, size_t n)
{
	char names[1024];
	size_t i, len = 0;

	names[0] = '\0';
	for (i = 0; i < n && i < MERGED_NAMES_MAX; i++)
		len += (size_t)snprintf(names + len, len < sizeof(names) ?
		    sizeof(names) - len : 0, "%s%s", i ? ", " : "",
		    s->cfg->pools[idx[i]].name);
	log_warnx("server %s: %zu configured pools are one pool in dhcpd "
	    "(same permit list in one shared network), each reporting its "
	    "counters: %s%s", s->cfg->name, n, names,
	    n > MERGED_NAMES_MAX ? ", ..." : "");
}

/*
 * Warn when configured pools turn out to be one dhcpd pool: one line per
 * merged group, once per configuration (not at every reconnect), and in
 * n log n, so 2,000 merged pools cost one line and no quadratic pass.
 */
static void
warn_merged_pools(struct server *s, struct pool_result *pools)
{
	size_t *idx, i, j, n = 0;

	if (s->merged_warned)
		return;
	s->merged_warned = 1;
	if ((idx = calloc(s->cfg->npools + 1, sizeof(*idx))) == NULL)
		return;
	for (i = 0; i < s->cfg->npools; i++)	/* publish.c merges the rest */
		if (pools[i].handle != 0 && !s->cfg->pools[i].discovered)
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), handle_cmp, pools);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && pools[idx[j]].handle ==
		    pools[idx[i]].handle; j++)
			;
		if (j - i > 1)
			log_merged(s, idx + i, j - i);
	}
	free(idx);
}

/* Items (pool indexes) that satisfy a condition on their handle. */
static size_t
pools_where(const struct server *s, const struct pool_result *pools,
    int resolved, size_t *index)
{
	size_t i, n = 0;

	for (i = 0; i < s->cfg->npools; i++)
		if ((pools[i].handle != 0) == resolved)
			index[n++] = i;
	return n;
}

/*
 * The resolution items of this poll, for each pool without a handle: a
 * YAML pool's first range; a discovered pool's every range, so that a
 * range dhcpd does not serve is seen and counted.  Every range once per
 * connection: dhcpd learns a range only when it restarts, which closes
 * the connection (server_poll's first), and a reload starts a new
 * server.  After that, a discovered pool that did not resolve is asked
 * its first range alone, like a YAML pool, and a pool that resolved
 * keeps its handle and its unserved count (issue 21 item 7: one unserved
 * range among 4,000 cost 4,002 requests a poll).  Returns the number of
 * items; the pools asked for go to pools_out (npools_out of them).
 */
static size_t
resolve_items(const struct server *s, struct pool_result *pools,
    size_t *index, size_t *rindex, size_t *pools_out, size_t *npools_out)
{
	const struct config_pool *cp;
	size_t i, k, nr, n = 0, np = 0;

	for (i = 0; i < s->cfg->npools; i++) {
		cp = &s->cfg->pools[i];
		if (pools[i].handle != 0)
			continue;
		nr = 1;
		if (cp->discovered && (!s->handles_resolved ||
		    pools[i].resolution != POOL_UNRESOLVED)) {
			nr = cp->nranges;	/* counted anew */
			pools[i].unserved = 0;
			pools[i].resolution = POOL_UNKNOWN;
		}
		pools_out[np++] = i;
		for (k = 0; k < nr; k++) {
			index[n] = i;
			rindex[n++] = k;
		}
	}
	*npools_out = np;
	return n;
}

/*
 * One poll: resolve pools that need it, refresh every pool's counters and
 * look up every host, into the caller's arrays.  0 when the server answered
 * everything, -1 when the connection or authentication failed.
 */
int
server_poll(struct server *s, struct pool_result *pools,
    struct host_result *hosts)
{
	struct poll_step st;
	size_t n, *index = s->scratch.index, *asked = s->scratch.asked, nasked;
	int rv = -1, first = !s->handles_resolved;

	memset(&st, 0, sizeof(st));
	st.s = s;
	st.pools = pools;
	st.hosts = hosts;
	st.answer = s->scratch.answer;
	st.index = index;
	st.rindex = s->scratch.rindex;
	for (n = 0; n < s->cfg->npools; n++) {
		if (first)	/* handles may be stale after a reconnect */
			pools[n].handle = 0;
		pools[n].counters_known = 0;
	}
	n = resolve_items(s, pools, index, st.rindex, asked, &nasked);
	if (poll_step_run(&st, n, resolve_make, resolve_done) == -1)
		goto out;
	resolve_finish(&st, asked, nasked);
	if (first)
		warn_merged_pools(s, pools);
	if (s->cfg->dhcpd_conf != NULL)
		log_unserved(s, pools);
	s->handles_resolved = 1;
	n = pools_where(s, pools, 1, index);
	if (poll_step_run(&st, n, counters_make, counters_done) == -1)
		goto out;
	st.index = NULL;
	if (poll_step_run(&st, s->cfg->nhosts, host_make, host_done) == -1)
		goto out;
	rv = 0;
out:
	for (n = 0; n < s->cfg->npools; n++) {
		free(st.answer[n]);
		st.answer[n] = NULL;
	}
	return rv;
}
