/*
 * test_poller.c: the poller's threads and hand-over (poller.c) and the
 * snapshot it publishes (publish.c), against fake dhcpds (fake_omapi.c):
 * a stop is prompt whatever a server does, a reload keeps what it should
 * and drops what left, and a poll publishes the expected series.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config_int.h"
#include "fake_omapi.h"
#include "poll/poll_int.h"
#include "metrics/metrics.h"
#include "unit_util.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static struct poller *
new_poller(const struct config *cfg, struct snapshot_store *store)
{
	struct poller *p;
	char err[256];

	if ((p = poller_new(cfg, store, err, sizeof(err))) == NULL)
		fail_msg("poller_new: %s", err);
	return p;
}

static struct fake *
fake_dhcpd(void)
{
	struct fake *f = fake_new();

	f->mode = FAKE_DHCPD;
	return f;
}

static const struct snapshot_server *
server_of(const struct snapshot *snap, const char *name)
{
	size_t i;

	for (i = 0; i < snap->nservers; i++)
		if (strcmp(snap->servers[i]->name, name) == 0)
			return snap->servers[i];
	return NULL;
}

static const struct snapshot_pool *
pool_of(const struct snapshot_server *ss, const char *name)
{
	size_t i;

	for (i = 0; ss != NULL && i < ss->npools; i++)
		if (strcmp(ss->pools[i]->name, name) == 0)
			return ss->pools[i];
	return NULL;
}

/* The current snapshot as /metrics text, to free. */
static char *
metrics_text(struct snapshot_store *store)
{
	struct snapshot *snap;
	struct omapi_buf b;
	char *text;

	assert_non_null(snap = snapshot_store_acquire(store));
	omapi_buf_init(&b, RENDER_DEFAULT_MAX);
	assert_int_equal(render_metrics(&b, snap), 0);
	assert_non_null(text = calloc(1, b.len + 1));
	memcpy(text, b.data, b.len);
	omapi_buf_free(&b);
	snapshot_release(snap);
	return text;
}

/* Whether text has this exact line. */
static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

#define ASSERT_LINE(text, line) do {					\
	if (!has_line(text, line)) {					\
		print_message("%s", text);				\
		fail_msg("no line '%s' in the text above", line);	\
	}								\
} while (0)

#define ASSERT_NO_LINE(text, start) do {				\
	if (strstr(text, start) != NULL) {				\
		print_message("%s", text);				\
		fail_msg("unexpected '%s' in the text above", start);	\
	}								\
} while (0)

/* ---- stopping ---- */

/*
 * One server that accepts and never greets, one that greets and then
 * never answers, both with 30 s timeouts, and one that works: once the
 * workers are stuck in their waits, poller_stop returns within a second,
 * and the cut-short polls are neither counted nor published.
 */
static void
test_stop_while_hanging(void **state)
{
	struct fake *mute = fake_dhcpd(), *silent = fake_dhcpd(),
	    *good = fake_dhcpd();
	struct snapshot_store store;
	struct snapshot *snap;
	const struct snapshot_server *ss;
	struct config *cfg;
	struct poller *p;
	char yaml[2048], err[256];
	int64_t t0, end;
	size_t k;

	mute->no_startup = 1;
	silent->mute_at = 1;
	fake_add_lease(silent, IP(10, 0, 0, 10), OMAPI_LEASE_FREE, 7);
	fake_add_lease(good, IP(10, 0, 0, 10), OMAPI_LEASE_FREE, 7);
	fake_add_pool(good, 7, 10, 10, 0);
	fake_start(mute);
	fake_start(silent);
	fake_start(good);
	snprintf(yaml, sizeof(yaml), "servers:\n"
	    "  - { name: mute, address: 127.0.0.1, port: %u, timeout: 30s, "
	    "connect_timeout: 30s }\n"
	    "  - name: silent\n    address: 127.0.0.1\n    port: %u\n"
	    "    timeout: 30s\n    connect_timeout: 30s\n"
	    "    pools: [ { name: a, ranges: [10.0.0.10-10.0.0.19] } ]\n"
	    "  - name: good\n    address: 127.0.0.1\n    port: %u\n"
	    "    pools: [ { name: a, ranges: [10.0.0.10-10.0.0.19] } ]\n",
	    mute->port, silent->port, good->port);
	cfg = unit_config(yaml);
	assert_int_equal(snapshot_store_init(&store), 0);
	p = new_poller(cfg, &store);
	assert_int_equal(poller_start(p, err, sizeof(err)), 0);
	/* Wait for each worker to be stuck, and for the good one's poll. */
	end = fake_ms_now() + unit_limit_ms(5000);
	while (fake_get(mute, &mute->accepted) < 1 ||
	    fake_get(silent, &silent->requests) < 1 ||
	    snapshot_store_ready(&store) == 0) {
		assert_true(fake_ms_now() < end);
		usleep(10000);
	}
	usleep(100000);
	t0 = fake_ms_now();
	poller_stop(p);
	assert_true(fake_ms_now() - t0 < unit_limit_ms(1000));

	assert_non_null(snap = snapshot_store_acquire(&store));
	assert_non_null(ss = server_of(snap, "good"));
	assert_true(ss->up);
	assert_true(ss->polls >= 1);
	for (k = 0; k < 2; k++) {
		assert_non_null(ss = server_of(snap, k ? "silent" : "mute"));
		assert_false(ss->up);
		assert_int_equal(ss->polls, 0);
		assert_int_equal(ss->last_poll, 0);
		assert_int_equal(ss->errors[SNAPSHOT_ERR_TIMEOUT], 0);
		assert_int_equal(ss->errors[SNAPSHOT_ERR_CONNECTION], 0);
	}
	snapshot_release(snap);
	poller_free(p);
	snapshot_store_destroy(&store);
	config_free(cfg);
	fake_stop(mute);
	fake_stop(silent);
	fake_stop(good);
}

/* A poller that never started stops at once too (reload before start). */
static void
test_stop_unstarted(void **state)
{
	struct snapshot_store store;
	struct config *cfg = unit_config("servers:\n"
	    "  - { name: x, address: 127.0.0.1, port: 1 }\n");
	struct poller *p;

	assert_int_equal(snapshot_store_init(&store), 0);
	p = new_poller(cfg, &store);
	poller_stop(p);
	poller_stop(p);
	poller_free(p);
	assert_null(snapshot_store_acquire(&store));
	snapshot_store_destroy(&store);
	config_free(cfg);
}

/* ---- publishing ---- */

#define PUBLISH_YAML \
    "servers:\n" \
    "  - name: s1\n" \
    "    address: 127.0.0.1\n" \
    "    port: %u\n" \
    "    sweep: { interval: 60s, max_rate: 0, window: 8 }\n" \
    "    pools:\n" \
    "      - name: office\n" \
    "        ranges: [\"10.0.0.10-10.0.0.19\"]\n" \
    "        labels: { site: hq }\n" \
    "      - name: lab\n" \
    "        ranges: [\"10.0.1.10-10.0.1.14\"]\n" \
    "      - name: ghost\n" \
    "        ranges: [\"10.0.9.10-10.0.9.11\"]\n" \
    "    hosts:\n" \
    "      - name: printer\n" \
    "      - mac: 00:16:3e:00:00:09\n"

/*
 * office: 10 addresses, 2 active (one ending within 5 minutes), 8 free;
 * lab: 5 addresses, 1 abandoned, 4 without a lease; ghost: not in dhcpd.
 */
static void
publish_fake(struct fake *f, uint32_t now)
{
	size_t i;

	for (i = 0; i < 10; i++)
		fake_add_lease(f, IP(10, 0, 0, 10 + i), i < 2 ?
		    OMAPI_LEASE_ACTIVE : OMAPI_LEASE_FREE, 7)->ends =
		    i == 0 ? now + 100 : i == 1 ? now + 7200 : 0;
	fake_add_lease(f, IP(10, 0, 1, 10), OMAPI_LEASE_ABANDONED, 8);
	fake_add_pool(f, 7, 10, 8, 0);
	fake_add_pool(f, 8, 5, 0, 0);
	fake_add_host(f, "printer", "00:16:3e:00:00:01", "10.0.0.50");
}

/* A poller of one server, s1 (PUBLISH_YAML), on a fake with publish_fake. */
struct rig {
	struct fake		*f;
	struct config		*cfg;
	struct snapshot_store	 store;
	struct poller		*p;
};

static void
rig_start(struct rig *r, uint32_t now)
{
	char yaml[2048];

	r->f = fake_dhcpd();
	publish_fake(r->f, now);
	fake_start(r->f);
	snprintf(yaml, sizeof(yaml), PUBLISH_YAML, r->f->port);
	r->cfg = unit_config(yaml);
	assert_int_equal(snapshot_store_init(&r->store), 0);
	r->p = new_poller(r->cfg, &r->store);
}

static void
rig_stop(struct rig *r)
{
	poller_free(r->p);
	snapshot_store_destroy(&r->store);
	config_free(r->cfg);
	if (r->f != NULL)
		fake_stop(r->f);
}

/*
 * poller_once polls and sweeps, and the snapshot has every series: pool
 * counters, resolution, lease states and expiry from the sweep, hosts,
 * and the exporter's own counters, exact.
 */
static void
test_publish_series(void **state)
{
	struct rig r;
	struct snapshot *snap;
	const struct snapshot_server *ss;
	uint32_t now = (uint32_t)time(NULL);
	char line[256], *text;

	rig_start(&r, now);
	fake_lock(r.f);			/* one sweep answer is an error */
	fake_add_lease(r.f, IP(10, 0, 1, 12), OMAPI_LEASE_FREE, 8)->status =
	    0x60001;
	fake_unlock(r.f);
	assert_int_equal(poller_once(r.p), 0);
	assert_non_null(snap = snapshot_store_acquire(&r.store));
	assert_non_null(ss = server_of(snap, "s1"));
	assert_int_equal(ss->polls, 1);
	/* 3 lookups, 2 refreshes, 2 hosts, 17 swept addresses */
	assert_int_equal(ss->requests, 3 + 2 + 2 + 17);
	assert_true(ss->last_poll > 0 && ss->last_sweep >= ss->last_poll);
	snapshot_release(snap);

	text = metrics_text(&r.store);
	ASSERT_LINE(text, "dhcpd_up{server=\"s1\"} 1");
	ASSERT_LINE(text, "dhcpd_exporter_sweep_enabled{server=\"s1\"} 1");
	ASSERT_LINE(text, "dhcpd_exporter_polls_total{server=\"s1\"} 1");
	ASSERT_LINE(text,
	    "dhcpd_exporter_omapi_requests_total{server=\"s1\"} 24");
	ASSERT_LINE(text, "dhcpd_exporter_omapi_errors_total{server=\"s1\","
	    "reason=\"status\"} 1");
	ASSERT_LINE(text, "dhcpd_exporter_omapi_errors_total{server=\"s1\","
	    "reason=\"timeout\"} 0");
	ASSERT_LINE(text, "dhcpd_pool_resolved{server=\"s1\",pool=\"office\","
	    "site=\"hq\"} 1");
	ASSERT_LINE(text, "dhcpd_pool_resolved{server=\"s1\",pool=\"ghost\"} "
	    "0");
	ASSERT_LINE(text, "dhcpd_pool_addresses{server=\"s1\",pool=\"office\","
	    "site=\"hq\"} 10");
	ASSERT_LINE(text, "dhcpd_pool_free_addresses{server=\"s1\","
	    "pool=\"office\",site=\"hq\"} 8");
	ASSERT_LINE(text, "dhcpd_pool_backup_addresses{server=\"s1\","
	    "pool=\"lab\"} 0");
	ASSERT_LINE(text, "dhcpd_pool_addresses{server=\"s1\",pool=\"lab\"} "
	    "5");
	/* An unresolved pool has no counters, and says so as resolved 0. */
	ASSERT_NO_LINE(text, "dhcpd_pool_addresses{server=\"s1\","
	    "pool=\"ghost\"}");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"active\"} 2");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"free\"} 8");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"lab\","
	    "state=\"abandoned\"} 1");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"lab\","
	    "state=\"free\"} 0");
	ASSERT_LINE(text, "dhcpd_pool_active_leases_expiring{server=\"s1\","
	    "pool=\"office\",site=\"hq\",within_seconds=\"300\"} 1");
	ASSERT_LINE(text, "dhcpd_pool_active_leases_expiring{server=\"s1\","
	    "pool=\"office\",site=\"hq\",within_seconds=\"86400\"} 2");
	snprintf(line, sizeof(line), "dhcpd_pool_earliest_lease_end_timestamp_"
	    "seconds{server=\"s1\",pool=\"office\",site=\"hq\"} %u",
	    now + 100);
	ASSERT_LINE(text, line);
	ASSERT_LINE(text, "dhcpd_host_present{server=\"s1\",host=\"printer\"} "
	    "1");
	ASSERT_LINE(text, "dhcpd_host_present{server=\"s1\","
	    "host=\"00:16:3e:00:00:09\"} 0");
	ASSERT_LINE(text, "dhcpd_host_info{server=\"s1\",host=\"printer\","
	    "mac=\"00:16:3e:00:00:01\",ip=\"10.0.0.50\"} 1");
	free(text);

	/* The server goes away: the next poll fails and publishes up 0. */
	fake_stop(r.f);
	r.f = NULL;
	assert_int_equal(poller_once(r.p), -1);
	text = metrics_text(&r.store);
	ASSERT_LINE(text, "dhcpd_up{server=\"s1\"} 0");
	ASSERT_LINE(text, "dhcpd_exporter_polls_total{server=\"s1\"} 2");
	ASSERT_LINE(text, "dhcpd_exporter_omapi_errors_total{server=\"s1\","
	    "reason=\"connection\"} 1");
	/* The loss is seen before the poll uses the connection: a reset. */
	ASSERT_LINE(text, "dhcpd_exporter_connection_resets_total{server=\"s1\""
	    "} 1");
	/* counters are not published while down; the last sweep stays */
	ASSERT_NO_LINE(text, "dhcpd_pool_free_addresses{");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"lab\","
	    "state=\"abandoned\"} 1");
	free(text);
	rig_stop(&r);
}

/*
 * A sweep whose connection breaks mid-way: poller_once fails, and the
 * published lease picture is still the previous complete sweep's.
 */
static void
test_broken_sweep_keeps_previous(void **state)
{
	struct rig r;
	struct fake *f;
	char *text;
	uint64_t n;

	rig_start(&r, (uint32_t)time(NULL));
	f = r.f;
	assert_int_equal(poller_once(r.p), 0);
	fake_lock(f);
	n = f->requests;
	f->leases[0].state = OMAPI_LEASE_RELEASED;
	/* the second poll: 1 lookup (ghost), 2 refreshes, 2 hosts, then
	 * the sweep, broken at its 5th address */
	f->close_at = n + 5 + 5;
	fake_unlock(f);
	assert_int_equal(poller_once(r.p), -1);
	text = metrics_text(&r.store);
	ASSERT_LINE(text, "dhcpd_up{server=\"s1\"} 1");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"active\"} 2");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"released\"} 0");
	ASSERT_LINE(text, "dhcpd_exporter_omapi_errors_total{server=\"s1\","
	    "reason=\"connection\"} 1");
	free(text);
	/* The next run sweeps again, whole, and sees the change. */
	assert_int_equal(poller_once(r.p), 0);
	text = metrics_text(&r.store);
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"active\"} 1");
	ASSERT_LINE(text, "dhcpd_pool_leases{server=\"s1\",pool=\"office\","
	    "site=\"hq\",state=\"released\"} 1");
	ASSERT_LINE(text, "dhcpd_exporter_connection_resets_total{server=\"s1\""
	    "} 1");
	free(text);
	rig_stop(&r);
}

/* ---- reload ---- */

/*
 * Before: s1 (office, lab, ghost), s2 on fake 2, gone on fake 3.  After:
 * s1 keeps office as it was, lab gets another range (a new pool for the
 * series), ghost stays (still unresolved: not logged again); s2 moves to
 * fake 3 (another dhcpd: counters kept, results not); gone is dropped;
 * fresh (on fake 2) is new.  (A fake serves one connection at a time.)
 */
static void
test_adopt_after_reload(void **state)
{
	struct fake *f1 = fake_dhcpd(), *f2 = fake_dhcpd(), *f3 = fake_dhcpd();
	struct snapshot_store store;
	struct snapshot *snap;
	const struct snapshot_server *ss, *os;
	const struct snapshot_pool *sp;
	struct config *ocfg, *ncfg;
	struct poller *op, *np;
	char yaml[4096], *log;
	uint64_t polls, requests, status;
	int rc;

	publish_fake(f1, (uint32_t)time(NULL));
	f1->hosts[0].status = 0x60001;		/* one status error */
	fake_add_lease(f2, IP(10, 0, 5, 10), OMAPI_LEASE_FREE, 3);
	fake_add_pool(f2, 3, 10, 10, 0);
	fake_add_lease(f3, IP(10, 0, 5, 10), OMAPI_LEASE_FREE, 3);
	fake_add_pool(f3, 3, 10, 1, 0);
	fake_start(f1);
	fake_start(f2);
	fake_start(f3);
	snprintf(yaml, sizeof(yaml), PUBLISH_YAML
	    "  - name: s2\n    address: 127.0.0.1\n    port: %u\n"
	    "    pools: [ { name: p, ranges: [10.0.5.10-10.0.5.19] } ]\n"
	    "  - { name: gone, address: 127.0.0.1, port: %u }\n",
	    f1->port, f2->port, f3->port);
	ocfg = unit_config(yaml);
	assert_int_equal(snapshot_store_init(&store), 0);
	op = new_poller(ocfg, &store);
	assert_int_equal(poller_once(op), 0);
	assert_non_null(snap = snapshot_store_acquire(&store));
	os = server_of(snap, "s1");
	polls = os->polls;
	requests = os->requests;
	status = os->errors[SNAPSHOT_ERR_STATUS];
	assert_int_equal(polls, 1);
	assert_int_equal(status, 1);
	assert_int_equal(server_of(snap, "s2")->requests, 2);

	snprintf(yaml, sizeof(yaml),
	    "servers:\n"
	    "  - name: fresh\n    address: 127.0.0.1\n    port: %u\n"
	    "  - name: s1\n"
	    "    address: 127.0.0.1\n"
	    "    port: %u\n"
	    "    sweep: { interval: 60s, max_rate: 0, window: 8 }\n"
	    "    pools:\n"
	    "      - name: lab\n"
	    "        ranges: [\"10.0.1.10-10.0.1.15\"]\n"
	    "      - name: ghost\n"
	    "        ranges: [\"10.0.9.10-10.0.9.11\"]\n"
	    "      - name: office\n"
	    "        ranges: [\"10.0.0.10-10.0.0.19\"]\n"
	    "        labels: { site: hq }\n"
	    "    hosts:\n"
	    "      - name: printer\n"
	    "  - name: s2\n    address: 127.0.0.1\n    port: %u\n"
	    "    pools: [ { name: p, ranges: [10.0.5.10-10.0.5.19] } ]\n",
	    f2->port, f1->port, f3->port);
	ncfg = unit_config(yaml);
	np = new_poller(ncfg, &store);
	poller_stop(op);
	poller_adopt(np, op);
	poller_free(op);
	config_free(ocfg);

	/* What adopt published, before the new poller polled at all. */
	snapshot_release(snap);
	assert_non_null(snap = snapshot_store_acquire(&store));
	assert_int_equal(snap->nservers, 3);
	assert_null(server_of(snap, "gone"));
	assert_non_null(ss = server_of(snap, "s1"));
	assert_int_equal(ss->polls, polls);
	assert_int_equal(ss->requests, requests);
	assert_int_equal(ss->errors[SNAPSHOT_ERR_STATUS], status);
	assert_true(ss->up);
	assert_non_null(sp = pool_of(ss, "office"));
	assert_int_equal(sp->resolution, 1);
	assert_true(sp->counters_known);
	assert_int_equal(sp->free, 8);
	assert_true(sp->sweep_known);
	assert_int_equal(sp->states[OMAPI_LEASE_ACTIVE], 2);
	assert_int_equal(sp->states[OMAPI_LEASE_FREE], 8);
	assert_non_null(sp = pool_of(ss, "lab"));	/* other ranges: new */
	assert_int_equal(sp->resolution, -1);
	assert_false(sp->counters_known);
	assert_false(sp->sweep_known);
	assert_non_null(sp = pool_of(ss, "ghost"));
	assert_int_equal(sp->resolution, 0);
	assert_false(ss->hosts[0]->present);	/* it was refused */
	assert_non_null(ss = server_of(snap, "s2"));
	assert_int_equal(ss->requests, 2);	/* counters kept, */
	assert_int_equal(ss->polls, 1);
	assert_false(ss->up);			/* another dhcpd: */
	assert_int_equal(ss->last_poll, 0);
	assert_int_equal(pool_of(ss, "p")->resolution, -1);
	assert_non_null(ss = server_of(snap, "fresh"));
	assert_int_equal(ss->polls, 0);
	assert_int_equal(ss->requests, 0);
	snapshot_release(snap);

	/* The new poller goes on from there; ghost is not logged again. */
	unit_capture_start();
	rc = poller_once(np);
	log = unit_capture_end();
	assert_int_equal(rc, 0);
	assert_int_equal(unit_count(log, "is not resolved"), 0);
	free(log);
	assert_non_null(snap = snapshot_store_acquire(&store));
	ss = server_of(snap, "s1");
	assert_int_equal(ss->polls, polls + 1);
	assert_int_equal(ss->errors[SNAPSHOT_ERR_STATUS], status + 1);
	assert_int_equal(pool_of(ss, "lab")->states[OMAPI_LEASE_ABANDONED], 1);
	assert_int_equal(server_of(snap, "s2")->polls, 2);
	assert_int_equal(pool_of(server_of(snap, "s2"), "p")->free, 1);
	assert_int_equal(server_of(snap, "fresh")->polls, 1);
	snapshot_release(snap);
	poller_free(np);
	config_free(ncfg);
	snapshot_store_destroy(&store);
	fake_stop(f1);
	fake_stop(f2);
	fake_stop(f3);
}

/* The current snapshot's s1 once pred holds for it (5 s at most). */
static struct snapshot *
wait_for_s1(struct snapshot_store *store,
    int (*pred)(const struct snapshot_server *, double), double arg)
{
	struct snapshot *snap;
	int64_t end = fake_ms_now() + unit_limit_ms(5000);

	for (;;) {
		assert_true(fake_ms_now() < end);
		if ((snap = snapshot_store_acquire(store)) != NULL) {
			if (pred(server_of(snap, "s1"), arg))
				return snap;
			snapshot_release(snap);
		}
		usleep(10000);
	}
}

static int
swept_after(const struct snapshot_server *ss, double t)
{
	return ss->last_sweep > t;
}

/*
 * Started, a worker polls, sweeps and publishes on its own.  Then a
 * reload as main.c does it, with the workers running: pause (prompt),
 * adopt, start.  The published state carries over, counters included,
 * and so does the schedule (issue 21): the new worker neither polls nor
 * sweeps before its time, where it used to do both at once.
 */
static void
test_reload_running(void **state)
{
	struct rig r;
	struct snapshot *snap;
	const struct snapshot_server *ss;
	struct config *ncfg;
	struct poller *np;
	char yaml[2048], err[256];
	double swept;
	int64_t t0;

	rig_start(&r, (uint32_t)time(NULL));
	assert_int_equal(poller_start(r.p, err, sizeof(err)), 0);
	snap = wait_for_s1(&r.store, swept_after, 0);
	ss = server_of(snap, "s1");
	assert_int_equal(ss->polls, 1);
	assert_int_equal(ss->requests, 24);
	assert_true(ss->up);
	assert_int_equal(pool_of(ss, "office")->states[OMAPI_LEASE_FREE], 8);
	swept = ss->last_sweep;
	snapshot_release(snap);

	snprintf(yaml, sizeof(yaml), PUBLISH_YAML, r.f->port);
	ncfg = unit_config(yaml);
	np = new_poller(ncfg, &r.store);
	t0 = fake_ms_now();
	poller_pause(r.p);
	assert_true(fake_ms_now() - t0 < unit_limit_ms(1000));
	poller_adopt(np, r.p);
	poller_free(r.p);
	config_free(r.cfg);
	r.p = np;
	r.cfg = ncfg;
	assert_non_null(snap = snapshot_store_acquire(&r.store));
	ss = server_of(snap, "s1");
	assert_int_equal(ss->polls, 1);
	assert_int_equal(ss->requests, 24);
	assert_true(ss->up);
	assert_int_equal(ss->last_sweep, swept);
	assert_int_equal(pool_of(ss, "office")->states[OMAPI_LEASE_ACTIVE], 2);
	snapshot_release(snap);

	/* 15 s poll, 60 s sweep: neither is due a second after the reload */
	assert_int_equal(poller_start(np, err, sizeof(err)), 0);
	usleep(1000000);
	assert_non_null(snap = snapshot_store_acquire(&r.store));
	ss = server_of(snap, "s1");
	assert_int_equal(ss->polls, 1);
	assert_int_equal(ss->requests, 24);
	assert_int_equal(ss->last_sweep, swept);
	assert_int_equal(pool_of(ss, "office")->states[OMAPI_LEASE_ACTIVE], 2);
	snapshot_release(snap);
	assert_int_equal(fake_get(r.f, &r.f->accepted), 1);
	poller_stop(np);
	rig_stop(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_while_hanging),
		cmocka_unit_test(test_stop_unstarted),
		cmocka_unit_test(test_publish_series),
		cmocka_unit_test(test_broken_sweep_keeps_previous),
		cmocka_unit_test(test_adopt_after_reload),
		cmocka_unit_test(test_reload_running),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
