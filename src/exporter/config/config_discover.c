/*
 * config_discover.c: a server's pools from its dhcpd.conf (`dhcpd_conf`).
 *
 * OMAPI cannot list pools, so the file is the only source of structure:
 * every dhcpd pool it declares becomes a configured pool, named after its
 * lowest range ("FIRST-LAST") and labelled with its shared network.  A
 * YAML pool whose ranges all lie inside one discovered pool gives it its
 * name and labels; a YAML pool outside every discovered one stays a pool
 * of its own (a range the file does not have); one that straddles is an
 * error.  The counts stay OMAPI's: the poll confirms each pool through the
 * live pool handles (poll.c) and publishes each dhcpd pool once.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_int.h"
#include "dhcpdconf.h"

/* "A.B.C.D-E.F.G.H" for a range. */
static void
range_text(uint32_t first, uint32_t last, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	struct in_addr x;

	x.s_addr = htonl(first);
	inet_ntop(AF_INET, &x, a, sizeof(a));
	x.s_addr = htonl(last);
	inet_ntop(AF_INET, &x, b, sizeof(b));
	snprintf(buf, len, "%s-%s", a, b);
}

static int
crange_cmp(const void *va, const void *vb)
{
	const struct config_range *a = va, *b = vb;

	return a->first < b->first ? -1 : a->first > b->first;
}

/* Fill pool from dhcpd pool k of dc: its ranges, ascending, and names. */
static int
pool_from_file(struct config_pool *pool, const struct dhcpdconf *dc, size_t k)
{
	const struct dhcpdconf_pool *dp = &dc->pools[k];
	char name[64];
	size_t i, n = 0;

	for (i = 0; i < dc->nranges; i++)
		n += dc->ranges[i].pool == k;
	if (n == 0)
		return 0;
	if ((pool->ranges = calloc(n, sizeof(*pool->ranges))) == NULL)
		return -1;
	for (i = 0; i < dc->nranges; i++) {
		if (dc->ranges[i].pool != k)
			continue;
		pool->ranges[pool->nranges].first = dc->ranges[i].first;
		pool->ranges[pool->nranges].last = dc->ranges[i].last;
		pool->ranges[pool->nranges].line = (int)dc->ranges[i].where.line;
		pool->ranges[pool->nranges++].col =
		    (int)dc->ranges[i].where.column;
		pool->naddrs += (uint64_t)dc->ranges[i].last -
		    dc->ranges[i].first + 1;
	}
	qsort(pool->ranges, pool->nranges, sizeof(*pool->ranges), crange_cmp);
	range_text(pool->ranges[0].first, pool->ranges[0].last, name,
	    sizeof(name));
	pool->discovered = 1;
	pool->line = (int)dp->where.line;
	if ((pool->name = strdup(name)) == NULL ||
	    (dp->shared != DHCPDCONF_NONE && (pool->shared_network =
	    strdup(dc->shared[dp->shared].name)) == NULL) ||
	    (dp->peer != DHCPDCONF_NONE && (pool->failover_peer =
	    strdup(dc->peers[dp->peer].name)) == NULL))
		return -1;
	return 1;
}

/* Whether every range of y lies inside one range of d. */
static int
pool_inside(const struct config_pool *y, const struct config_pool *d)
{
	size_t i, j;

	for (i = 0; i < y->nranges; i++) {
		for (j = 0; j < d->nranges; j++)
			if (y->ranges[i].first >= d->ranges[j].first &&
			    y->ranges[i].last <= d->ranges[j].last)
				break;
		if (j == d->nranges)
			return 0;
	}
	return 1;
}

/* Whether any range of y meets any range of d. */
static int
pool_meets(const struct config_pool *y, const struct config_pool *d)
{
	size_t i, j;

	for (i = 0; i < y->nranges; i++)
		for (j = 0; j < d->nranges; j++)
			if (y->ranges[i].first <= d->ranges[j].last &&
			    d->ranges[j].first <= y->ranges[i].last)
				return 1;
	return 0;
}

/*
 * A YAML pool y names the discovered pool it lies inside: y's name and
 * labels move to it, and y is emptied (dropped by the caller).  0 when y
 * stays a pool of its own, -1 after an error.
 */
static int
name_discovered(struct yparse *p, const struct ynode *yn,
    struct config_pool *y, struct config_pool *found, size_t nfound,
    const char *conf)
{
	struct config_pool *d;
	size_t i;

	for (i = 0; i < nfound; i++) {
		d = &found[i];
		if (!pool_meets(y, d))
			continue;
		if (!pool_inside(y, d)) {
			yerrn(p, yn, "pool '%s' overlaps dhcpd.conf's pool %s "
			    "(%s line %d) without lying inside it", y->name,
			    d->name, conf, d->line);
			return -1;
		}
		if (d->named) {
			yerrn(p, yn, "pool '%s' names dhcpd.conf's pool %s, "
			    "which pool '%s' already names", y->name, d->name,
			    d->yaml_name);
			return -1;
		}
		if (y->failover_peer != NULL && d->failover_peer != NULL &&
		    strcmp(y->failover_peer, d->failover_peer) != 0) {
			yerrn(p, yn, "pool '%s' has failover_peer '%s', but "
			    "%s serves it under failover peer \"%s\"",
			    y->name, y->failover_peer, conf, d->failover_peer);
			return -1;
		}
		if (d->failover_peer == NULL) {
			d->failover_peer = y->failover_peer;
			y->failover_peer = NULL;
		}
		free(y->failover_peer);
		free(d->name);
		d->name = y->name;
		d->yaml_name = d->name;
		d->labels = y->labels;
		d->nlabels = y->nlabels;
		d->named = 1;
		free(y->ranges);
		memset(y, 0, sizeof(*y));
		return 1;
	}
	return 0;
}

static void
pools_free(struct config_pool *pools, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < pools[i].nlabels; k++) {
			free(pools[i].labels[k].name);
			free(pools[i].labels[k].value);
		}
		free(pools[i].labels);
		free(pools[i].ranges);
		free(pools[i].name);
		free(pools[i].shared_network);
		free(pools[i].failover_peer);
	}
	free(pools);
}

/*
 * A pool of dhcpd.conf with more ranges than a YAML pool may have
 * (CONFIG_RANGES_MAX): refused with FILE:LINE:COLUMN, as a YAML pool
 * would be.  Every range costs a request when the pool is resolved.
 */
static int
check_pool_ranges(struct yparse *p, const struct dhcpdconf *dc, size_t k)
{
	const struct dhcpdconf_where *w = &dc->pools[k].where;
	char msg[512];
	size_t i, n = 0;

	for (i = 0; i < dc->nranges; i++)
		n += dc->ranges[i].pool == k;
	if (n <= CONFIG_RANGES_MAX)
		return 0;
	snprintf(msg, sizeof(msg), "%s:%u:%u: the pool has %zu ranges; at "
	    "most %d are watched per pool", w->file ? w->file : "?", w->line,
	    w->column, n, CONFIG_RANGES_MAX);
	config_errors_add(p->errs, msg);
	p->nerr++;
	return -1;
}

/*
 * The pools dhcpd.conf declares, in the file's order; -1: no memory or a
 * pool past the range cap (reported).
 */
static int
discover_pools(struct yparse *p, const struct dhcpdconf *dc,
    struct config_pool **out, size_t *nout)
{
	struct config_pool *found;
	size_t k, n = 0;
	int rc, bad = 0;

	for (k = 0; k < dc->npools; k++)
		if (check_pool_ranges(p, dc, k) == -1)
			bad = 1;
	if (bad)
		return -1;
	if ((found = calloc(dc->npools + 1, sizeof(*found))) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	for (k = 0; k < dc->npools; k++) {
		if ((rc = pool_from_file(&found[n], dc, k)) == -1) {
			pools_free(found, n + 1);
			yerr(p, 0, 0, "out of memory");
			return -1;
		}
		n += (size_t)rc;
	}
	*out = found;
	*nout = n;
	return 0;
}

/*
 * Read the server's `dhcpd_conf` (m, the server's mapping) and make its
 * pools the server's, with the YAML pools merged in as above; a load is
 * bounded as dhcpdconf.h says (files, bytes, declarations, time).
 */
void
config_discover(struct yparse *p, const struct ynode *m,
    struct config_server *srv, const struct ynode *yaml_pools)
{
	const struct ynode *v = ymap_get(m, "dhcpd_conf");
	struct dhcpdconf_opts o;
	struct config_pool *found, *all;
	char err[DHCPDCONF_ERRLEN];
	size_t i, n, nall = 0;
	int bad = 0;

	if (v == NULL || yget_path(p, v, "dhcpd_conf", &srv->dhcpd_conf) == -1)
		return;
	config_dhcpdconf_opts(&o);
	if (dhcpdconf_load(&srv->dconf, srv->dhcpd_conf, &o, err,
	    sizeof(err)) == -1) {
		config_errors_add(p->errs, err);	/* FILE:LINE:COLUMN */
		config_errors_conf_failed(p->errs, srv->dhcpd_conf);
		p->nerr++;
		return;
	}
	srv->dconf_loaded = (double)time(NULL);
	config_omapi_from_conf(p, m, srv);
	if (discover_pools(p, srv->dconf, &found, &n) == -1)
		return;
	for (i = 0; i < srv->npools; i++)
		if (name_discovered(p, yaml_pools->kids[i], &srv->pools[i],
		    found, n, srv->dhcpd_conf) == -1)
			bad = 1;
	if (bad || n + srv->npools > CONFIG_POOLS_MAX ||
	    (all = calloc(n + srv->npools + 1, sizeof(*all))) == NULL) {
		if (!bad)
			yerrn(p, v, "%s declares %zu pools; at most %d are "
			    "watched per server", srv->dhcpd_conf, n,
			    CONFIG_POOLS_MAX);
		pools_free(found, n);
		return;
	}
	memcpy(all, found, n * sizeof(*all));
	nall = n;
	for (i = 0; i < srv->npools; i++)	/* YAML pools of their own */
		if (srv->pools[i].nranges > 0)
			all[nall++] = srv->pools[i];
	free(found);
	free(srv->pools);
	srv->pools = all;
	srv->npools = nall;
	srv->sweep.naddrs = 0;
	for (i = 0; i < nall; i++)
		srv->sweep.naddrs += all[i].naddrs;
}
