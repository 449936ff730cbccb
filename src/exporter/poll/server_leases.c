/*
 * server_leases.c: a server's leases file (leases_file:), read at every
 * poll: the new tail of dhcpd's journal (libleases), then every lease
 * counted into its pool.
 *
 *   DHCPv6: each address into the range6, each prefix into the prefix6
 *   of dhcpd6.conf that holds it (cfg->dconf->ranges6), by state.
 *
 *   IPv4, for a server without an address (no OMAPI): each lease into
 *   the configured pool whose range holds it, and the pool's counters
 *   made as dhcpd makes them (lease-count: the pool's addresses;
 *   free-leases: those in state free, never-used ones included, but not
 *   `reserved;` ones; backup-leases), with dhcpd's rules at load (a lease
 *   past its end in its next binding state; backup outside a failover
 *   pool is free: tests/lab/README.md), so the dhcpd_pool_* families are
 *   the same as from OMAPI.  With an address, OMAPI stays the source of IPv4 counts.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "leases.h"
#include "log.h"
#include "poll_int.h"
#include "dhcpdconf.h"

int
server_leases_init(struct server *s)
{
	if (s->cfg->leases_file == NULL)
		return 0;
	s->leases = leases_new(s->cfg->leases_file, 0);
	return s->leases == NULL ? -1 : 0;
}

void
server_leases_free(struct server *s)
{
	leases_free(s->leases);
	s->leases = NULL;
}

/* Take over old's reader of the same file: only new bytes are read. */
void
server_leases_adopt(struct server *s, struct server *old)
{
	if (old->leases == NULL || s->leases == NULL)
		return;
	leases_free(s->leases);
	s->leases = old->leases;
	old->leases = NULL;
	s->lfile_failing = old->lfile_failing;
}

/* The pool (index) of the configured range holding ip, or -1. */
static long
v4_pool(const struct sweeper *sw, uint32_t ip)
{
	size_t lo = 0, hi = sw->nranges, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ip < sw->ranges[mid].first)
			hi = mid;
		else if (ip > sw->ranges[mid].last)
			lo = mid + 1;
		else
			return (long)sw->ranges[mid].pool;
	}
	return -1;
}

/* One lease at its state st into an aggregate, as the sweep counts. */
static void
count_v4(struct sweep_agg *a, const struct leases_entry *e, int st,
    int64_t now)
{
	size_t k;

	a->states[st]++;
	if (e->cltt > a->last_cltt)
		a->last_cltt = e->cltt;
	if (st != LEASES_ACTIVE)
		return;
	if (e->cltt != 0)
		for (k = 0; k < SNAPSHOT_NSEEN; k++)
			if (e->cltt + snapshot_seen_secs[k] >= now)
				a->seen[k]++;
	if (e->ends == 0 || e->ends == LEASES_NEVER)
		return;
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		if (e->ends <= now + snapshot_expiry_secs[k])
			a->expiring[k]++;
	if (a->earliest_end == 0 || e->ends < a->earliest_end)
		a->earliest_end = e->ends;
}

static void
count_v6(struct pool6_result *r, const struct leases_entry *e, int64_t now)
{
	size_t k;

	r->states[e->state]++;
	if (e->cltt > r->last_cltt)
		r->last_cltt = e->cltt;
	if (e->state != LEASES_ACTIVE || e->ends == 0 ||
	    e->ends == LEASES_NEVER)
		return;
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		if (e->ends <= now + snapshot_expiry_secs[k])
			r->expiring[k]++;
}

/* Every lease of the table into its pool; pools: IPv4 from the file. */
static void
count_all(struct server *s, struct pool_result *pools)
{
	const struct config_server *cfg = s->cfg;
	const struct leases_entry *e;
	struct sweep_agg *a;
	uint64_t used, *reserved = NULL;
	int64_t now = (int64_t)snapshot_now();
	size_t n, i, r;
	uint32_t ip;
	long k;
	int st;

	for (i = 0; i < s->res.npools6; i++)
		memset(&s->res.pools6[i], 0, sizeof(s->res.pools6[i]));
	if (pools != NULL) {
		for (i = 0; i < cfg->npools; i++)
			memset(&pools[i].sweep, 0, sizeof(pools[i].sweep));
		if ((reserved = calloc(cfg->npools + 1, sizeof(*reserved))) ==
		    NULL)
			pools = NULL;	/* counted next poll */
	}
	e = leases_entries(s->leases, &n);
	for (i = 0; i < n; i++) {
		if (e[i].kind != LEASES_V4) {
			r = dhcpdconf_find_range6(cfg->dconf,
			    e[i].kind == LEASES_PD ? DHCPDCONF_PD :
			    e[i].kind == LEASES_TA ? DHCPDCONF_TA : DHCPDCONF_NA,
			    e[i].addr, e[i].plen);
			if (r != DHCPDCONF_NONE && r < s->res.npools6)
				count_v6(&s->res.pools6[r], &e[i], now);
			continue;
		}
		if (pools == NULL)
			continue;
		memcpy(&ip, e[i].addr, 4);
		if ((k = v4_pool(&s->sweep, ntohl(ip))) < 0)
			continue;
		st = leases_state_at(&e[i], (time_t)now);
		/* backup outside a failover pool: dhcpd loads it free */
		if (st == LEASES_BACKUP && cfg->pools[k].failover_peer == NULL)
			st = LEASES_FREE;
		if (st == LEASES_FREE && (e[i].flags & LEASES_RESERVED))
			reserved[k]++;
		if (st > 0 && st < SNAPSHOT_NSTATES)
			count_v4(&pools[k].sweep, &e[i], st, now);
	}
	if (pools == NULL)
		return;
	/* an address the file never named is free, as dhcpd has it */
	for (i = 0; i < cfg->npools; i++) {
		a = &pools[i].sweep;
		for (used = 0, st = 1; st < SNAPSHOT_NSTATES; st++)
			used += a->states[st];
		if (cfg->pools[i].naddrs > used)
			a->states[LEASES_FREE] += cfg->pools[i].naddrs - used;
		a->known = 1;
		pools[i].counters_known = 1;
		pools[i].resolution = POOL_RESOLVED;
		pools[i].addresses = cfg->pools[i].naddrs;
		/* a reserved free lease is off dhcpd's free queue */
		pools[i].free = a->states[LEASES_FREE] - reserved[i];
		pools[i].backup = a->states[LEASES_BACKUP];
	}
	free(reserved);
}

/*
 * Read the new part of the leases file and count.  pools: the poll's
 * IPv4 results to fill (a server without OMAPI), or NULL.  0 when the
 * file was read (bad stanzas are counted and logged, not fatal), -1 when
 * it could not be.
 */
int
server_leases_poll(struct server *s, struct pool_result *pools)
{
	struct lfile_result *lf = &s->res.lfile;
	struct leases_stats st;
	char err[LEASES_ERRLEN];
	int bad;

	if (s->leases == NULL)
		return 0;
	if ((bad = leases_read(s->leases, err, sizeof(err))) == -1) {
		lf->errors++;
		if (!s->lfile_failing)
			log_warnx("server %s: leases file %s", s->cfg->name,
			    err);
		s->lfile_failing = 1;
		return -1;
	}
	if (s->lfile_failing)
		log_info("server %s: leases file %s read again", s->cfg->name,
		    s->cfg->leases_file);
	s->lfile_failing = 0;
	if (bad > 0) {
		lf->errors += (uint64_t)bad;
		/* FILE:LINE:COLUMN; what came from the file is escaped */
		log_warnx("server %s: %d bad stanza%s in the leases file, "
		    "skipped; the first: %s", s->cfg->name, bad,
		    bad == 1 ? "" : "s", err);
	}
	leases_stats(s->leases, &st);
	lf->bytes = st.bytes_read;
	lf->last_read = snapshot_now();
	count_all(s, pools);
	return 0;
}
