/*
 * publish.c: one server's handed-over results, as the series of a new
 * snapshot.  Reads only the configuration and the result copy.
 *
 * Pools discovered from dhcpd.conf are published once per dhcpd pool:
 * when the live pool handles show two of them to be one pool object
 * (dhcpd merged more than the file told), they become one series set
 * under the first one's name, with the union of their ranges.  YAML pools
 * are published as configured (poll.c warns when two are one).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll_int.h"

/* A group of configured pools that is one dhcpd pool, in config order. */
struct group {
	size_t	*idx;
	size_t	 n;
};

/* Discovered pools by handle (0 last: unresolved stay alone), then index. */
static int
group_cmp(const void *a, const void *b, void *arg)
{
	const struct pool_result *pools = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint32_t x = pools[i].handle, y = pools[j].handle;

	if (x != y)
		return x == 0 ? 1 : y == 0 ? -1 : x < y ? -1 : 1;
	return i < j ? -1 : i > j;
}

#define GROUP_END	((size_t)-1)

/*
 * leader[i]: the pool whose series pool i's results go into (itself, for
 * a pool of its own); next[i]: the following member of i's group, in
 * configuration order, or GROUP_END.  -1 when out of memory.
 */
static int
group_leaders(const struct config_server *cfg, const struct server_result *r,
    size_t *leader, size_t *next)
{
	size_t *idx, i, n = 0;

	for (i = 0; i < cfg->npools; i++) {
		leader[i] = i;
		next[i] = GROUP_END;
	}
	if ((idx = calloc(cfg->npools + 1, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < cfg->npools; i++)
		if (cfg->pools[i].discovered && r->pools[i].handle != 0)
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), group_cmp, r->pools);
	for (i = 1; i < n; i++)
		if (r->pools[idx[i]].handle == r->pools[idx[i - 1]].handle) {
			leader[idx[i]] = leader[idx[i - 1]];
			next[idx[i - 1]] = idx[i];	/* idx is in index order */
		}
	free(idx);
	return 0;
}

static int
crange_cmp(const void *va, const void *vb)
{
	const struct config_range *a = va, *b = vb;

	return a->first < b->first ? -1 : a->first > b->first;
}

/*
 * "FIRST-LAST,FIRST-LAST" of the ranges of the pools led by lead, the
 * first SNAPSHOT_RANGES_SHOWN of them, then ",+N more".
 */
static char *
ranges_text(const struct config_server *cfg, const size_t *next, size_t lead)
{
	struct config_range *all;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], *out, *o;
	struct in_addr x;
	size_t i, j, n = 0;

	for (i = lead; i != GROUP_END; i = next[i])
		n += cfg->pools[i].nranges;
	if ((all = calloc(n + 1, sizeof(*all))) == NULL ||
	    (out = malloc(SNAPSHOT_RANGES_SHOWN * 32 + 32)) == NULL) {
		free(all);
		return NULL;
	}
	for (i = lead, n = 0; i != GROUP_END; i = next[i])
		for (j = 0; j < cfg->pools[i].nranges; j++)
			all[n++] = cfg->pools[i].ranges[j];
	qsort(all, n, sizeof(*all), crange_cmp);
	o = out;
	*o = '\0';
	for (i = 0; i < n && i < SNAPSHOT_RANGES_SHOWN; i++) {
		x.s_addr = htonl(all[i].first);
		inet_ntop(AF_INET, &x, a, sizeof(a));
		x.s_addr = htonl(all[i].last);
		inet_ntop(AF_INET, &x, b, sizeof(b));
		o += sprintf(o, "%s%s-%s", i ? "," : "", a, b);
	}
	if (n > SNAPSHOT_RANGES_SHOWN)
		sprintf(o, ",+%zu more", n - SNAPSHOT_RANGES_SHOWN);
	free(all);
	return out;
}

/* Pool j's results (one of the pools led by sp's) into sp. */
static void
publish_results(struct snapshot_pool *sp, const struct pool_result *pr,
    int up, int first)
{
	size_t k;

	if (first) {
		sp->resolution = pr->resolution == POOL_RESOLVED ? 1 :
		    pr->resolution == POOL_UNRESOLVED ? 0 : -1;
		sp->counters_known = up && pr->counters_known;
		sp->addresses = pr->addresses;
		sp->free = pr->free;
		sp->backup = pr->backup;
		sp->sweep_known = pr->sweep.known;
	}
	sp->sweep_known &= pr->sweep.known;
	for (k = 0; k < SNAPSHOT_NSTATES; k++)
		sp->states[k] += pr->sweep.states[k];
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		sp->expiring[k] += pr->sweep.expiring[k];
	if (pr->sweep.earliest_end > 0 && (sp->earliest_end == 0 ||
	    pr->sweep.earliest_end < sp->earliest_end))
		sp->earliest_end = pr->sweep.earliest_end;
	for (k = 0; k < SNAPSHOT_NSEEN; k++)
		sp->seen[k] += pr->sweep.seen[k];
	if (pr->sweep.last_cltt > sp->last_cltt)
		sp->last_cltt = pr->sweep.last_cltt;
}

/* One published pool: the configured pool lead and those it leads. */
static struct snapshot_pool *
publish_pool(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r, const size_t *next, size_t lead)
{
	const struct config_pool *cp = &cfg->pools[lead];
	struct snapshot_pool *sp;
	char *ranges;
	size_t j;
	int rc;

	if ((sp = snapshot_server_add_pool(ss, cp->name)) == NULL)
		return NULL;
	for (j = 0; j < cp->nlabels; j++)
		if (snapshot_pool_add_label(sp, cp->labels[j].name,
		    cp->labels[j].value) == -1)
			return NULL;
	if ((ranges = ranges_text(cfg, next, lead)) == NULL)
		return NULL;
	rc = snapshot_pool_set_info(sp, cp->shared_network, ranges);
	free(ranges);
	if (rc == -1 || (cp->failover_peer != NULL &&
	    snapshot_pool_set_peer(sp, cp->failover_peer) == -1))
		return NULL;
	for (j = lead; j != GROUP_END; j = next[j])
		publish_results(sp, &r->pools[j], r->up, j == lead);
	return sp;
}

static int
shared_cmp(const void *a, const void *b)
{
	const struct snapshot_pool *x = *(struct snapshot_pool *const *)a;
	const struct snapshot_pool *y = *(struct snapshot_pool *const *)b;

	return strcmp(x->shared_network, y->shared_network);
}

/*
 * The shared networks' sums over their distinct dhcpd pools (each
 * published pool is one), in name order: dhcpd allocates from any pool
 * of the shared network that permits the client.
 */
static int
publish_shared(struct snapshot_server *ss)
{
	struct snapshot_pool **sorted;
	struct snapshot_shared *sh = NULL;
	size_t i, n = 0;

	if ((sorted = calloc(ss->npools + 1, sizeof(*sorted))) == NULL)
		return -1;
	for (i = 0; i < ss->npools; i++)
		if (ss->pools[i]->shared_network != NULL &&
		    ss->pools[i]->counters_known)
			sorted[n++] = ss->pools[i];
	qsort(sorted, n, sizeof(*sorted), shared_cmp);
	for (i = 0; i < n; i++) {
		if (sh == NULL || strcmp(sh->name,
		    sorted[i]->shared_network) != 0) {
			if ((sh = snapshot_server_add_shared(ss,
			    sorted[i]->shared_network)) == NULL) {
				free(sorted);
				return -1;
			}
		}
		sh->addresses += sorted[i]->addresses;
		sh->free += sorted[i]->free;
		sh->backup += sorted[i]->backup;
	}
	free(sorted);
	return 0;
}

static int
publish_pools(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	size_t *leader, *next, i;
	int rv = -1;

	leader = calloc(cfg->npools + 1, sizeof(*leader));
	next = calloc(cfg->npools + 1, sizeof(*next));
	if (leader == NULL || next == NULL ||
	    group_leaders(cfg, r, leader, next) == -1)
		goto out;
	for (i = 0; i < cfg->npools; i++) {
		ss->unserved_ranges += r->pools[i].unserved;
		if (leader[i] == i &&	/* else published with its leader */
		    publish_pool(ss, cfg, r, next, i) == NULL)
			goto out;
	}
	rv = publish_shared(ss);
out:
	free(leader);
	free(next);
	return rv;
}

static int
publish_hosts(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	const struct host_result *hr;
	struct snapshot_host *sh;
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		hr = &r->hosts[i];
		if ((sh = snapshot_server_add_host(ss,
		    cfg->hosts[i].label)) == NULL)
			return -1;
		sh->present = r->up && hr->present;
		if (sh->present && snapshot_host_found(sh, hr->mac,
		    hr->ip[0] ? hr->ip : NULL) == -1)
			return -1;
	}
	return 0;
}

/* The watched failover peers and classes; only a server that is up. */
static int
publish_failover(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	struct snapshot_peer *sp;
	struct snapshot_class *sc;
	size_t i;

	for (i = 0; i < cfg->npeers; i++) {
		if ((sp = snapshot_server_add_peer(ss, cfg->peers[i])) == NULL)
			return -1;
		if (r->up)
			sp->fo = r->peers[i];
	}
	for (i = 0; i < cfg->nclasses; i++) {
		if ((sc = snapshot_server_add_class(ss, cfg->classes[i])) ==
		    NULL)
			return -1;
		if (r->up)
			sc->c = r->classes[i];
	}
	return 0;
}

/*
 * Add one server, its pools and its hosts to snap; conf says how its
 * dhcpd.conf reads went (the poller keeps it).  -1 with errno.
 */
int
publish_server(struct snapshot *snap, const struct config_server *cfg,
    const struct server_result *r, const struct conf_reads *conf)
{
	struct snapshot_server *ss;

	if ((ss = snapshot_add_server(snap, cfg->name)) == NULL)
		return -1;
	ss->up = r->up;
	ss->sweep_enabled = r->sweep_enabled;
	ss->sweep_rate_limit = r->sweep_rate_limit;
	ss->sweep_connections = r->sweep_connections;
	ss->last_poll = r->last_poll;
	ss->poll_duration = r->poll_duration;
	ss->last_sweep = r->last_sweep;
	ss->sweep_duration = r->sweep_duration;
	ss->polls = r->counters.polls;
	ss->requests = r->counters.requests;
	memcpy(ss->errors, r->counters.errors, sizeof(ss->errors));
	ss->resets = r->counters.resets;
	ss->has_conf = cfg->dhcpd_conf != NULL;
	ss->conf_loaded = cfg->dconf_loaded;
	ss->conf_errors = conf->errors;
	ss->conf_failing = conf->failing;
	ss->lease_info = cfg->lease_info.enabled;
	ss->leases = leasetab_ref(r->leases);
	if (publish_pools(ss, cfg, r) == -1 || publish_hosts(ss, cfg, r) == -1 ||
	    publish_failover(ss, cfg, r) == -1)
		return -1;
	return 0;
}
