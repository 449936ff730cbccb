/*
 * config_check.c: the checks across entries of the configuration, run
 * once a server's entries are parsed: names, MACs and ranges that two
 * entries share, a sweep's reach, and server names and addresses that two
 * servers share; and the most bytes /metrics can take, so that whatever
 * loads also serves.  Duplicates and overlaps are found by sorting, so a
 * server of 16,384 pools costs milliseconds.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"

/* For finding duplicates by sorting. */
struct dupent {
	const void	*key;
	size_t		 keylen;
	size_t		 idx;
	int		 line;
	int		 col;
};

/* For finding overlaps by sorting. */
struct rangeref {
	const struct config_range	*r;
	const struct config_pool	*pool;
};

/* Order dupents by key (NULL first), then by position in the file. */
static int
dupent_cmp(const void *va, const void *vb)
{
	const struct dupent *a = va, *b = vb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c;

	if (a->key == NULL || b->key == NULL) {
		if (a->key != b->key)
			return a->key == NULL ? -1 : 1;
	} else if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	else if (a->keylen != b->keylen)
		return a->keylen < b->keylen ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Report every entry whose (non-NULL) key an earlier entry already has. */
static void
report_dups(struct yparse *p, struct dupent *d, size_t n, const char *what)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dupent_cmp);
	for (i = 1; i < n; i++) {
		if (d[i].key == NULL)
			continue;
		if (d[first].key == NULL || d[first].keylen != d[i].keylen ||
		    memcmp(d[first].key, d[i].key, d[i].keylen) != 0) {
			first = i;
			continue;
		}
		yerr(p, d[i].line, d[i].col, "duplicate %s '%.*s' (first at "
		    "line %d, column %d)", what, (int)d[i].keylen,
		    (const char *)d[i].key, d[first].line, d[first].col);
	}
}

/* Duplicate pool names and host names/MACs within one server. */
static void
check_server_dups(struct yparse *p, const struct config_server *srv,
    const struct ynode *pools, const struct ynode *hosts)
{
	struct dupent *d;
	char (*macs)[18] = NULL;
	size_t i, n = srv->npools > srv->nhosts ? srv->npools : srv->nhosts;

	if (n < 2)
		return;
	if ((d = calloc(n, sizeof(*d))) == NULL ||
	    (macs = calloc(n, sizeof(*macs))) == NULL) {
		free(d);
		yerr(p, 0, 0, "out of memory");
		return;
	}
	for (i = 0; i < srv->npools; i++)
		d[i] = (struct dupent){ srv->pools[i].name, srv->pools[i].name ?
		    strlen(srv->pools[i].name) : 0, i, pools->kids[i]->line,
		    pools->kids[i]->col };
	report_dups(p, d, srv->npools, "pool");
	for (i = 0; i < srv->nhosts; i++)
		d[i] = (struct dupent){ srv->hosts[i].label,
		    srv->hosts[i].label ? strlen(srv->hosts[i].label) : 0, i,
		    hosts->kids[i]->line, hosts->kids[i]->col };
	report_dups(p, d, srv->nhosts, "host");
	for (i = 0; i < srv->nhosts; i++) {
		const uint8_t *m = srv->hosts[i].mac;

		snprintf(macs[i], sizeof(macs[i]),
		    "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		    m[4], m[5]);
		d[i] = (struct dupent){ srv->hosts[i].has_mac ? macs[i] : NULL,
		    17, i, hosts->kids[i]->line, hosts->kids[i]->col };
	}
	report_dups(p, d, srv->nhosts, "host mac");
	free(macs);
	free(d);
}

/* Order range references by first address. */
static int
rangeref_cmp(const void *va, const void *vb)
{
	const struct rangeref *a = va, *b = vb;

	if (a->r->first != b->r->first)
		return a->r->first < b->r->first ? -1 : 1;
	if (a->r->line != b->r->line)
		return a->r->line < b->r->line ? -1 : 1;
	return (a->r->col > b->r->col) - (a->r->col < b->r->col);
}

/* Report that two ranges overlap, at the one written later. */
static void
report_overlap(struct yparse *p, const struct rangeref *a,
    const struct rangeref *b)
{
	char a1[16], a2[16], b1[16], b2[16];
	const struct rangeref *t;

	if (a->r->line > b->r->line || (a->r->line == b->r->line &&
	    a->r->col > b->r->col)) {
		t = a;
		a = b;
		b = t;
	}
	omapi_format_ipv4(a->r->first, a1, sizeof(a1));
	omapi_format_ipv4(a->r->last, a2, sizeof(a2));
	omapi_format_ipv4(b->r->first, b1, sizeof(b1));
	omapi_format_ipv4(b->r->last, b2, sizeof(b2));
	yerr(p, b->r->line, b->r->col, "range %s-%s of pool '%s' overlaps "
	    "range %s-%s of pool '%s' at %s:%d:%d", b1, b2,
	    b->pool->name ? b->pool->name : "?", a1, a2,
	    a->pool->name ? a->pool->name : "?", p->file, a->r->line,
	    a->r->col);
}

/* Ranges of one server, in all its pools, must not overlap. */
static void
check_overlaps(struct yparse *p, const struct config_server *srv)
{
	struct rangeref *rr, *widest;
	size_t i, j, n = 0;

	for (i = 0; i < srv->npools; i++)
		n += srv->pools[i].nranges;
	if (n < 2)
		return;
	if ((rr = calloc(n, sizeof(*rr))) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	for (n = 0, i = 0; i < srv->npools; i++)
		for (j = 0; j < srv->pools[i].nranges; j++) {
			if (srv->pools[i].ranges[j].first >
			    srv->pools[i].ranges[j].last)
				continue;	/* a bad one, reported */
			rr[n].r = &srv->pools[i].ranges[j];
			rr[n++].pool = &srv->pools[i];
		}
	qsort(rr, n, sizeof(*rr), rangeref_cmp);
	for (widest = rr, i = 1; i < n; i++) {
		if (rr[i].r->first <= widest->r->last)
			report_overlap(p, widest, &rr[i]);
		if (rr[i].r->last > widest->r->last)
			widest = &rr[i];
	}
	free(rr);
}

/* Server names, and address:port pairs, must differ between servers. */
void
config_check_servers(struct yparse *p, const struct config *cfg,
    const struct ynode *list)
{
	const struct config_server *a, *b;
	size_t i, j;

	for (i = 0; i < cfg->nservers; i++) {
		b = &cfg->servers[i];
		for (j = 0; j < i; j++) {
			a = &cfg->servers[j];
			if (a->name && b->name && strcmp(a->name, b->name) ==
			    0) {
				yerrn(p, list->kids[i], "duplicate server "
				    "'%s' (first at line %d, column %d)",
				    b->name, list->kids[j]->line,
				    list->kids[j]->col);
				break;
			}
			if (a->address && b->address && a->port == b->port &&
			    strcasecmp(a->address, b->address) == 0) {
				yerrn(p, list->kids[i], "server '%s' has the "
				    "same address and port as server '%s' "
				    "(line %d)", b->name ? b->name : "?",
				    a->name ? a->name : "?", a->line);
				break;
			}
		}
	}
}

/*
 * The checks across the entries of one server (m, its mapping; pools and
 * hosts, its lists, either may be NULL).
 */
void
config_check_server(struct yparse *p, const struct config_server *srv,
    const struct ynode *m, const struct ynode *pools,
    const struct ynode *hosts)
{
	check_server_dups(p, srv, pools, hosts);
	check_overlaps(p, srv);
}

/*
 * A sweep's reach, once the server's pools are known (dhcpd.conf's
 * included): m is the server's mapping.
 */
void
config_check_sweep(struct yparse *p, const struct config_server *srv,
    const struct ynode *m)
{
	if (!srv->sweep.enabled)
		return;
	if (srv->npools == 0)
		yerrn(p, ymap_get(m, "sweep"), "sweep needs pools: it looks "
		    "up every address of the pools' ranges");
	else if (srv->sweep.naddrs > CONFIG_SWEEP_MAX_ADDRS)
		yerrn(p, ymap_get(m, "sweep"), "the pools of server '%s' "
		    "have %" PRIu64 " addresses, more than a sweep may cover "
		    "(%u)", srv->name ? srv->name : "?", srv->sweep.naddrs,
		    CONFIG_SWEEP_MAX_ADDRS);
}

/* ---- the size of /metrics ---- */

