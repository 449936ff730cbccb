/*
 * sample_snapshot.h: snapshots the render, page and lease table tests
 * share (static inline: each test file takes what it uses).
 *   golden_snapshot()    every kind of series, fixed times
 *   failover_snapshot()  a failover peer's states, role, times, a peer and
 *                        a class not found, a class's limit and use
 *   shared_add()         a shared network's totals on a server
 *   add_lease()          one lease into a lease table
 */
#ifndef SAMPLE_SNAPSHOT_H
#define SAMPLE_SNAPSHOT_H

#include <stdint.h>
#include <string.h>

#include "metrics/metrics.h"

/* A small snapshot with every kind of series, fixed times. */
static inline struct snapshot *
golden_snapshot(void)
{
	struct snapshot *s;
	struct snapshot_server *sv, *sv2;
	struct snapshot_pool *p;
	struct snapshot_host *h;

	assert_non_null(s = snapshot_new("1.2.3", "abc123"));
	s->reload_ok = 0;	/* the last reload was refused */
	s->reload_success = 1700000000.5;
	assert_non_null(sv = snapshot_add_server(s, "dhcp1"));
	sv->up = 1;
	sv->sweep_enabled = 1;
	sv->sweep_rate_limit = 1250;
	sv->sweep_connections = 2;
	sv->last_poll = 1700000000.5;
	sv->poll_duration = 0.0125;
	sv->polls = 3;
	sv->last_sweep = 1699999990;
	sv->sweep_duration = 1.25;
	sv->requests = 1234;
	sv->errors[SNAPSHOT_ERR_TIMEOUT] = 2;
	sv->errors[SNAPSHOT_ERR_CONNECTION] = 1;
	sv->resets = 1;

	assert_non_null(p = snapshot_server_add_pool(sv, "office"));
	/* added out of order: rendered sorted by name */
	assert_int_equal(snapshot_pool_add_label(p, "zone", "a"), 0);
	assert_int_equal(snapshot_pool_add_label(p, "site", "hq"), 0);
	p->resolution = 1;
	p->counters_known = 1;
	p->addresses = 241;
	p->free = 40;
	p->backup = 0;
	p->sweep_known = 1;
	p->states[1] = 40;
	p->states[2] = 190;
	p->states[5] = 11;
	p->expiring[0] = 1;
	p->expiring[1] = 2;
	p->expiring[2] = 10;
	p->expiring[3] = 50;
	p->expiring[4] = 190;
	p->earliest_end = 1700000123;
	p->seen[0] = 7;
	p->seen[1] = 30;
	p->seen[2] = 120;
	p->last_cltt = 1699999985;

	/* not resolved, no sweep yet: only dhcpd_pool_resolved 0 */
	assert_non_null(p = snapshot_server_add_pool(sv, "lab"));
	p->resolution = 0;
	/* not asked yet: no series at all */
	assert_non_null(snapshot_server_add_pool(sv, "new"));

	assert_non_null(h = snapshot_server_add_host(sv, "printer-1"));
	assert_int_equal(snapshot_host_found(h, "00:16:3e:00:00:01",
	    "10.20.0.5"), 0);
	assert_non_null(snapshot_server_add_host(sv, "00:16:3e:00:00:02"));

	/* a server that never answered */
	assert_non_null(sv2 = snapshot_add_server(s, "dhcp2"));
	sv2->errors[SNAPSHOT_ERR_AUTH] = 7;
	return s;
}

/*
 * Issue 13: server "b" with pool "fo" (failover_peer "pair", label
 * site=x, 7 free), peer "pair" (local communications-interrupted since
 * 1700000000, partner state 99, secondary, 4 unacked updates), peer
 * "ghost" not found, peer "unasked" never asked, class "limited" (3 of
 * 4) and class "gone" not found.
 */
static inline struct snapshot *
failover_snapshot(void)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	struct snapshot_peer *fp;
	struct snapshot_class *c;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "b"));
	sv->up = 1;
	assert_non_null(p = snapshot_server_add_pool(sv, "fo"));
	assert_int_equal(snapshot_pool_set_peer(p, "pair"), 0);
	assert_int_equal(snapshot_pool_add_label(p, "site", "x"), 0);
	p->counters_known = 1;
	p->free = 7;
	assert_non_null(fp = snapshot_server_add_peer(sv, "pair"));
	fp->fo.found = 1;
	fp->fo.state_known[0] = fp->fo.state_known[1] = 1;
	fp->fo.state[0] = 3;
	fp->fo.state[1] = 99;
	fp->fo.stos[0] = 1700000000;
	fp->fo.role = 1;
	fp->fo.param_known[SNAPSHOT_FO_UNACKED] = 1;
	fp->fo.param[SNAPSHOT_FO_UNACKED] = 4;
	assert_non_null(fp = snapshot_server_add_peer(sv, "ghost"));
	fp->fo.found = 0;
	assert_non_null(fp = snapshot_server_add_peer(sv, "unasked"));
	assert_non_null(c = snapshot_server_add_class(sv, "limited"));
	c->c = (struct snapshot_cls){ 1, 1, 1, 4, 3 };
	assert_non_null(c = snapshot_server_add_class(sv, "gone"));
	c->c.found = 0;
	return s;
}

/* One lease for leasetab_add. */
static inline void
add_lease(struct leasetab *t, uint32_t ip, size_t pool, uint32_t state,
    uint32_t ends, const char *host, size_t hostlen)
{
	struct omapi_lease l;

	memset(&l, 0, sizeof(l));
	l.state = state;
	l.ends = ends;
	l.hwlen = 6;
	memcpy(l.hw, "\x02\x00\x5e\x10\x00\xff", 6);
	l.hostname = (const uint8_t *)host;
	l.hostnamelen = (uint32_t)hostlen;
	leasetab_add(t, ip, pool, &l);
}
/* A shared network's totals on sv. */
static inline void
shared_add(struct snapshot_server *sv, const char *name, uint64_t addresses,
    uint64_t free, uint64_t backup)
{
	struct snapshot_shared *sh;

	assert_non_null(sh = snapshot_server_add_shared(sv, name));
	sh->addresses = addresses;
	sh->free = free;
	sh->backup = backup;
}

#endif /* SAMPLE_SNAPSHOT_H */
