/*
 * test_server.c: one server's connection, poll and sweep (server.c,
 * poll.c, sweeper.c, through server.h) against the fake dhcpd of
 * fake_omapi.c: pool counters and hosts, pools dhcpd will not resolve
 * (logged once, not at every poll), errors counted by reason, connection
 * backoff and resets, and the sweep a slice at a time.
 */
#include <sys/eventfd.h>

#include <errno.h>
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
#include "unit_util.h"

/* 10.0.0.10 etc. in host byte order. */
#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

#define HEAD \
    "servers:\n" \
    "  - name: s1\n" \
    "    address: 127.0.0.1\n" \
    "    port: %u\n" \
    "    timeout: %s\n" \
    "    connect_timeout: 1s\n"

/* A test's server: the fake, the configuration, the struct server. */
struct rig {
	struct fake	*f;
	const char	*timeout;	/* per reply; NULL: 2s */
	struct config	*cfg;
	struct server	 s;
	int		 cancel_fd;
	int		 inited;
};

/*
 * Load HEAD + body (with the fake's port) as the configuration.  Replies
 * get 2 s unless a test needs a timeout: under valgrind on a busy machine
 * a reply can take longer than a few hundred ms.
 */
static struct config *
load_config(const char *body, uint16_t port, const char *timeout)
{
	char yaml[8192];

	snprintf(yaml, sizeof(yaml), HEAD "%s", port, timeout ? timeout : "2s",
	    body);
	return unit_config(yaml);
}

/* Start the fake (set up by the caller), load body, init the server. */
static void
rig_start(struct rig *r, const char *body)
{
	char err[256];

	fake_start(r->f);
	r->cfg = load_config(body, r->f->port, r->timeout);
	assert_true((r->cancel_fd = eventfd(0, EFD_CLOEXEC)) > 2);
	if (server_init(&r->s, &r->cfg->servers[0], r->cancel_fd, err,
	    sizeof(err)) == -1)
		fail_msg("server_init: %s", err);
	r->inited = 1;
}

static void
rig_stop(struct rig *r)
{
	if (r->inited)
		server_free(&r->s);
	config_free(r->cfg);
	if (r->f != NULL)
		fake_stop(r->f);
	close(r->cancel_fd);
}

static struct fake *
fake_dhcpd(void)
{
	struct fake *f = fake_new();

	f->mode = FAKE_DHCPD;
	return f;
}

/* One poll into the server's own result, as the worker does it. */
static int
poll_once(struct rig *r)
{
	if (server_connect(&r->s, snapshot_now()) == -1)
		return -1;
	return server_poll(&r->s, r->s.res.pools, r->s.res.hosts);
}

static uint64_t
requests(struct rig *r)
{
	server_sync_counters(&r->s);
	return r->s.res.counters.requests;
}

static void
assert_errors(const struct server *s, uint64_t timeout, uint64_t auth,
    uint64_t protocol, uint64_t status, uint64_t connection)
{
	const uint64_t *e = s->res.counters.errors;

	assert_int_equal(e[SNAPSHOT_ERR_TIMEOUT], timeout);
	assert_int_equal(e[SNAPSHOT_ERR_AUTH], auth);
	assert_int_equal(e[SNAPSHOT_ERR_PROTOCOL], protocol);
	assert_int_equal(e[SNAPSHOT_ERR_STATUS], status);
	assert_int_equal(e[SNAPSHOT_ERR_CONNECTION], connection);
}

/* ---- polls ---- */

#define TWO_POOLS \
    "    pools:\n" \
    "      - name: alpha\n" \
    "        ranges: [\"10.0.0.10-10.0.0.19\"]\n" \
    "      - name: beta\n" \
    "        ranges: [\"10.0.1.10-10.0.1.29\"]\n" \
    "    hosts:\n" \
    "      - name: printer\n" \
    "      - mac: 00:16:3e:00:00:02\n" \
    "      - name: ghost\n"

static void
two_pools(struct fake *f)
{
	fake_add_lease(f, IP(10, 0, 0, 10), OMAPI_LEASE_FREE, 7);
	fake_add_lease(f, IP(10, 0, 1, 10), OMAPI_LEASE_ACTIVE, 9);
	fake_add_pool(f, 7, 10, 4, 1);
	fake_add_pool(f, 9, 20, 20, 0)->no_backup = 1;
	fake_add_host(f, "printer", "00:16:3e:00:00:01", "10.0.0.50");
	fake_add_host(f, "cam", "00:16:3e:00:00:02", NULL);
}

/*
 * A resolved pool gets its counters; hosts are found by name or by MAC,
 * or not at all.  The first poll resolves (one lookup per pool), later
 * ones only refresh: the requests are counted exactly.
 */
static void
test_poll_counters(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	struct pool_result *p;
	struct host_result *h;

	two_pools(r.f);
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), 0);
	p = r.s.res.pools;
	assert_int_equal(p[0].resolution, POOL_RESOLVED);
	assert_int_equal(p[0].handle, 7);
	assert_true(p[0].counters_known);
	assert_int_equal(p[0].addresses, 10);
	assert_int_equal(p[0].free, 4);
	assert_int_equal(p[0].backup, 1);
	assert_int_equal(p[1].resolution, POOL_RESOLVED);
	assert_int_equal(p[1].handle, 9);
	assert_int_equal(p[1].addresses, 20);
	assert_int_equal(p[1].free, 20);
	assert_int_equal(p[1].backup, 0);	/* not sent: 0 */
	h = r.s.res.hosts;
	assert_true(h[0].present);
	assert_string_equal(h[0].mac, "00:16:3e:00:00:01");
	assert_string_equal(h[0].ip, "10.0.0.50");
	assert_true(h[1].present);
	assert_string_equal(h[1].mac, "00:16:3e:00:00:02");
	assert_string_equal(h[1].ip, "");
	assert_false(h[2].present);
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_OPEN], 2 + 3);
	assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], 2);
	r.f->pools[0].free_leases = 3;
	r.f->nhosts = 1;			/* cam deleted */
	fake_unlock(r.f);
	assert_int_equal(requests(&r), 7);
	assert_errors(&r.s, 0, 0, 0, 0, 0);

	assert_int_equal(poll_once(&r), 0);
	assert_int_equal(p[0].free, 3);
	assert_false(h[1].present);
	assert_int_equal(requests(&r), 7 + 5);
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_OPEN], 2 + 3 + 3);
	assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], 2 + 2);
	assert_int_equal(r.f->accepted, 1);
	fake_unlock(r.f);
	assert_errors(&r.s, 0, 0, 0, 0, 0);
	rig_stop(&r);
}

/*
 * Hosts given a MAC are looked up by it, whatever their name: camera is
 * "cam" in dhcpd, and the printer's entry names the printer but another
 * MAC, so it is absent.
 */
static void
test_host_by_mac(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	two_pools(r.f);
	rig_start(&r, "    hosts:\n"
	    "      - { name: camera, mac: \"00:16:3e:00:00:02\" }\n"
	    "      - { name: printer, mac: \"00:16:3e:00:00:99\" }\n");
	assert_int_equal(poll_once(&r), 0);
	assert_true(r.s.res.hosts[0].present);
	assert_string_equal(r.s.res.hosts[0].mac, "00:16:3e:00:00:02");
	assert_false(r.s.res.hosts[1].present);
	assert_errors(&r.s, 0, 0, 0, 0, 0);
	rig_stop(&r);
}

/*
 * Replies to requests never sent (here: answers sent twice) are counted
 * as protocol errors, one each, and warned about once per connection.
 */
#define WARNING "server s1: replies to requests never sent (ignored, " \
    "counted as protocol errors)"

static void
test_unmatched_replies(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	char *log;
	int rc[2];

	two_pools(r.f);
	r.f->duplicates = 3;	/* the first three of seven answers */
	rig_start(&r, TWO_POOLS);
	unit_capture_start();	/* the worker syncs after each step */
	rc[0] = poll_once(&r);
	server_sync_counters(&r.s);
	rc[1] = poll_once(&r);
	server_sync_counters(&r.s);
	log = unit_capture_end();
	assert_int_equal(rc[0], 0);
	assert_int_equal(rc[1], 0);
	assert_int_equal(unit_count(log, WARNING), 1);
	free(log);
	assert_int_equal(requests(&r), 7 + 5);
	assert_errors(&r.s, 0, 0, 3, 0, 0);
	fake_lock(r.f);
	r.f->duplicates = 2;
	fake_unlock(r.f);
	server_disconnect(&r.s);
	unit_capture_start();
	rc[0] = poll_once(&r);
	server_sync_counters(&r.s);
	log = unit_capture_end();
	assert_int_equal(rc[0], 0);
	assert_int_equal(unit_count(log, WARNING), 1);
	free(log);
	assert_errors(&r.s, 0, 0, 3 + 2, 0, 0);
	assert_true(r.s.res.pools[0].counters_known);
	rig_stop(&r);
}

#define KEYED(secret) \
    "    key: { name: " FAKE_KEY_NAME ", algorithm: hmac-sha256, " \
    "secret: \"" secret "\" }\n" TWO_POOLS

/*
 * With a key: the poll is signed and the signed answers verify.  When the
 * server signs with another secret, every answer is refused: counted
 * once under auth (one cause, not one per pool), and the poll stops at
 * that step.
 */
static void
test_poll_signed(void **state)
{
	static const char *const b64[] = { FAKE_KEY_B64,
	    "c29tZSBvdGhlciBzZWNyZXQ=" };
	struct rig r;
	size_t k;

	for (k = 0; k < 2; k++) {
		memset(&r, 0, sizeof(r));
		r.f = fake_dhcpd();
		r.f->auth = FAKE_AUTH_OK;
		r.f->signer = fake_signer(b64[k], OMAPI_ALG_HMAC_SHA256);
		two_pools(r.f);
		rig_start(&r, KEYED(FAKE_KEY_B64));
		assert_int_equal(poll_once(&r), k == 0 ? 0 : -1);
		fake_lock(r.f);
		assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], k == 0 ? 2 : 0);
		fake_unlock(r.f);
		if (k == 0) {
			assert_int_equal(r.s.res.pools[0].free, 4);
			assert_true(r.s.res.hosts[0].present);
			assert_errors(&r.s, 0, 0, 0, 0, 0);
			/* and the authenticator open */
			assert_int_equal(requests(&r), 1 + 7);
		} else {
			assert_errors(&r.s, 0, 1, 0, 0, 0);
			assert_non_null(strstr(r.s.last_error,
			    "does not verify"));
		}
		rig_stop(&r);
	}
}

#define FOUR_POOLS \
    "    pools:\n" \
    "      - name: ok\n" \
    "        ranges: [\"10.0.0.10-10.0.0.19\"]\n" \
    "      - name: gone\n" \
    "        ranges: [\"10.0.2.10-10.0.2.19\"]\n" \
    "      - name: refused\n" \
    "        ranges: [\"10.0.3.10-10.0.3.19\"]\n" \
    "      - name: orphan\n" \
    "        ranges: [\"10.0.4.10-10.0.4.19\"]\n"

/*
 * Pools dhcpd will not resolve: "not found", an error status, a lease
 * without a pool.  Each is POOL_UNRESOLVED and logged once, by name, with
 * dhcpd's answer, however many polls; the error status is counted at each.
 * Once a pool resolved, losing it again is logged again.
 */
static void
test_unresolved_logged_once(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	struct pool_result *p;
	struct fake_lease *l;
	char *log;
	int i, rc;

	fake_add_lease(r.f, IP(10, 0, 0, 10), OMAPI_LEASE_FREE, 7);
	fake_add_pool(r.f, 7, 10, 10, 0);
	l = fake_add_lease(r.f, IP(10, 0, 3, 10), OMAPI_LEASE_FREE, 8);
	l->status = 0x60001;
	fake_add_lease(r.f, IP(10, 0, 4, 10), OMAPI_LEASE_FREE, 0);
	rig_start(&r, FOUR_POOLS);
	p = r.s.res.pools;
	unit_capture_start();
	for (i = rc = 0; i < 3; i++)
		rc |= poll_once(&r);
	log = unit_capture_end();
	assert_int_equal(rc, 0);
	assert_int_equal(p[0].resolution, POOL_RESOLVED);
	assert_true(p[0].counters_known);
	for (i = 1; i < 4; i++) {
		assert_int_equal(p[i].resolution, POOL_UNRESOLVED);
		assert_int_equal(p[i].handle, 0);
		assert_false(p[i].counters_known);
	}
	assert_int_equal(unit_count(log, "is not resolved"), 3);
	assert_int_equal(unit_count(log, "server s1: pool gone is not resolved: "
	    "dhcpd answered the lease of 10.0.2.10 with \\\""
	    FAKE_NOTFOUND_TEXT "\\\"; is the range in dhcpd.conf?"), 1);
	assert_int_equal(unit_count(log, "pool refused is not resolved: dhcpd "
	    "answered the lease of 10.0.3.10 with \\\"simulated failure\\\""),
	    1);
	assert_int_equal(unit_count(log, "pool orphan is not resolved: dhcpd "
	    "answered the lease of 10.0.4.10 with \\\"a lease without a "
	    "pool\\\""), 1);
	free(log);
	/* Unresolved pools are asked again at every poll; only the error
	 * status is an error. */
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_OPEN], 4 + 3 + 3);
	assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], 3);
	fake_unlock(r.f);
	assert_errors(&r.s, 0, 0, 0, 3, 0);

	/* gone appears in dhcpd: resolved, no line. */
	fake_lock(r.f);
	fake_add_lease(r.f, IP(10, 0, 2, 10), OMAPI_LEASE_FREE, 11);
	fake_add_pool(r.f, 11, 10, 9, 0);
	fake_unlock(r.f);
	unit_capture_start();
	rc = poll_once(&r);
	log = unit_capture_end();
	assert_int_equal(rc, 0);
	assert_int_equal(unit_count(log, "is not resolved"), 0);
	free(log);
	assert_int_equal(p[1].resolution, POOL_RESOLVED);
	assert_int_equal(p[1].free, 9);

	/* and disappears (dhcpd restarted without it): its stale handle is
	 * dropped, the next poll finds no lease and says so once more. */
	fake_lock(r.f);
	r.f->nleases--;
	r.f->npools--;
	fake_unlock(r.f);
	unit_capture_start();
	for (i = rc = 0; i < 3; i++)
		rc |= poll_once(&r);
	log = unit_capture_end();
	assert_int_equal(rc, 0);
	assert_int_equal(unit_count(log, "is not resolved"), 1);
	assert_int_equal(unit_count(log, "pool gone is not resolved"), 1);
	free(log);
	assert_int_equal(p[1].resolution, POOL_UNRESOLVED);
	assert_false(p[1].counters_known);
	rig_stop(&r);
}

#define MERGED \
    "    pools:\n" \
    "      - name: m1\n" \
    "        ranges: [\"10.0.0.10-10.0.0.19\"]\n" \
    "      - name: m2\n" \
    "        ranges: [\"10.0.1.10-10.0.1.19\"]\n" \
    "      - name: single\n" \
    "        ranges: [\"10.0.2.10-10.0.2.19\"]\n"

/* Two configured pools that are one dhcpd pool: one line, once. */
static void
test_merged_pools_warned_once(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	char *log;
	int rc;

	fake_add_lease(r.f, IP(10, 0, 0, 10), OMAPI_LEASE_FREE, 7);
	fake_add_lease(r.f, IP(10, 0, 1, 10), OMAPI_LEASE_FREE, 7);
	fake_add_lease(r.f, IP(10, 0, 2, 10), OMAPI_LEASE_FREE, 8);
	fake_add_pool(r.f, 7, 20, 20, 0);
	fake_add_pool(r.f, 8, 10, 10, 0);
	rig_start(&r, MERGED);
	unit_capture_start();
	rc = poll_once(&r);
	rc |= poll_once(&r);
	server_disconnect(&r.s);		/* a new connection resolves */
	rc |= poll_once(&r);
	log = unit_capture_end();
	assert_int_equal(rc, 0);
	assert_int_equal(unit_count(log, "server s1: 2 configured pools are one "
	    "pool in dhcpd (same permit list in one shared network), each "
	    "reporting its counters: m1, m2\""), 1);
	assert_int_equal(unit_count(log, "level="), 1);
	free(log);
	assert_int_equal(r.s.res.pools[0].addresses, 20);
	assert_int_equal(r.s.res.pools[1].addresses, 20);
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_OPEN], 3 + 3);
	assert_int_equal(r.f->accepted, 2);
	fake_unlock(r.f);
	rig_stop(&r);
}

/*
 * Error statuses are counted, one per answer, and the poll goes on: a
 * pool whose REFRESH is refused and a host whose lookup is refused.
 */
static void
test_status_errors_counted(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	two_pools(r.f);
	r.f->pools[1].status = 0x60001;
	r.f->hosts[0].status = 0x60002;
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), 0);
	assert_int_equal(poll_once(&r), 0);
	assert_errors(&r.s, 0, 0, 0, 2 + 2, 0);
	assert_true(r.s.res.pools[0].counters_known);
	assert_false(r.s.res.pools[1].counters_known);
	assert_int_equal(r.s.res.pools[1].resolution, POOL_RESOLVED);
	assert_false(r.s.res.hosts[0].present);
	assert_true(r.s.res.hosts[1].present);
	assert_int_equal(requests(&r), 7 + 5);
	rig_stop(&r);
}

/*
 * A stale handle (dhcpd restarted, its pools renumbered) is not an error:
 * the pool loses its counters for one poll and is resolved again.
 */
static void
test_stale_handle(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	two_pools(r.f);
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), 0);
	fake_lock(r.f);
	r.f->pools[0].handle = 70;	/* 7 answers "not found" now */
	r.f->leases[0].pool = 70;
	fake_unlock(r.f);
	assert_int_equal(poll_once(&r), 0);
	assert_false(r.s.res.pools[0].counters_known);
	assert_int_equal(r.s.res.pools[0].handle, 0);
	assert_true(r.s.res.pools[1].counters_known);
	assert_int_equal(poll_once(&r), 0);
	assert_true(r.s.res.pools[0].counters_known);
	assert_int_equal(r.s.res.pools[0].handle, 70);
	assert_int_equal(r.s.res.pools[0].resolution, POOL_RESOLVED);
	assert_errors(&r.s, 0, 0, 0, 0, 0);
	rig_stop(&r);
}

/* A pool object without its counters is a protocol error, each poll. */
static void
test_pool_without_counters(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	two_pools(r.f);
	r.f->pools[0].no_counts = 1;
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), 0);
	assert_int_equal(poll_once(&r), 0);
	assert_false(r.s.res.pools[0].counters_known);
	assert_true(r.s.res.pools[1].counters_known);
	assert_errors(&r.s, 0, 0, 2, 0, 0);
	/* resolved again at each poll: 2 + 3 hosts + 2 refreshes, then 1 */
	assert_int_equal(requests(&r), 7 + 6);
	rig_stop(&r);
}

/*
 * An authentication failure stops the poll at the step it happens in:
 * no REFRESH, no host lookup, the poll fails, counted once under auth
 * however many answers were refused.
 */
static void
test_auth_failure_stops_poll(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	two_pools(r.f);
	r.f->leases[0].status = OMAPI_RESULT_NOAUTH;
	r.f->leases[1].status = OMAPI_RESULT_NOAUTH;
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), -1);
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_OPEN], 2);
	assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], 0);
	fake_unlock(r.f);
	assert_errors(&r.s, 0, 1, 0, 0, 0);
	assert_int_equal(requests(&r), 2);
	/* dhcpd's answer to a wrong secret: a bare 0x6000b. */
	fake_lock(r.f);
	r.f->leases[0].status = OMAPI_RESULT_BADSIG;
	r.f->leases[1].status = 0;
	fake_unlock(r.f);
	assert_int_equal(poll_once(&r), -1);
	assert_errors(&r.s, 0, 2, 0, 0, 0);
	fake_lock(r.f);
	assert_int_equal(r.f->ops[OMAPI_OP_REFRESH], 0);
	fake_unlock(r.f);
	rig_stop(&r);
}

/*
 * A server that stops answering: the poll fails after the reply timeout,
 * counted once under timeout, and the next connect counts a reset.  A
 * server that closes mid-poll: counted once under connection.
 */
static void
test_broken_poll_counted_once(void **state)
{
	struct rig r = { .f = fake_dhcpd(), .timeout = "300ms" };
	int64_t t0;

	two_pools(r.f);
	rig_start(&r, TWO_POOLS);
	assert_int_equal(poll_once(&r), 0);		/* 7 requests */
	fake_lock(r.f);
	r.f->mute_at = 8;
	fake_unlock(r.f);
	t0 = fake_ms_now();
	assert_int_equal(poll_once(&r), -1);
	assert_true(fake_ms_now() - t0 < unit_limit_ms(1500));
	assert_errors(&r.s, 1, 0, 0, 0, 0);
	assert_int_equal(r.s.res.counters.resets, 0);
	assert_non_null(strstr(r.s.last_error, "no reply within 300 ms"));

	fake_lock(r.f);
	r.f->mute_at = 0;
	r.f->close_at = r.f->requests + 2;	/* the second lookup */
	fake_unlock(r.f);
	assert_int_equal(poll_once(&r), -1);	/* reconnects first */
	assert_int_equal(r.s.res.counters.resets, 1);
	assert_errors(&r.s, 1, 0, 0, 0, 1);
	assert_int_equal(poll_once(&r), 0);
	assert_int_equal(r.s.res.counters.resets, 2);
	assert_errors(&r.s, 1, 0, 0, 0, 1);
	fake_lock(r.f);
	assert_int_equal(r.f->accepted, 3);
	/* requests sent on closed connections still count */
	assert_int_equal(requests(&r), r.f->requests);
	fake_unlock(r.f);
	rig_stop(&r);
}

/*
 * A server that is not there: the connect failure is counted, and the
 * next attempt waits for the backoff (1 s, then 2 s, doubling).
 */
static void
test_connect_backoff(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	double t = 1000.0;

	two_pools(r.f);
	rig_start(&r, TWO_POOLS);
	fake_stop(r.f);			/* the port is closed now */
	r.f = NULL;
	assert_int_equal(server_connect(&r.s, t), -1);
	assert_errors(&r.s, 0, 0, 0, 0, 1);
	assert_non_null(strstr(r.s.last_error, "refused"));
	assert_int_equal(server_connect(&r.s, t + 0.9), -1);
	assert_errors(&r.s, 0, 0, 0, 0, 1);	/* not tried */
	assert_int_equal(server_connect(&r.s, t + 1.0), -1);
	assert_errors(&r.s, 0, 0, 0, 0, 2);
	assert_int_equal(server_connect(&r.s, t + 2.9), -1);
	assert_errors(&r.s, 0, 0, 0, 0, 2);
	assert_int_equal(server_connect(&r.s, t + 3.0), -1);
	assert_errors(&r.s, 0, 0, 0, 0, 3);
	assert_int_equal(r.s.res.counters.resets, 0);
	rig_stop(&r);
}

/* ---- sweeps ---- */

/*
 * alpha has two ranges with beta's in between, so the sorted sweep
 * order interleaves the pools: 25 addresses in all.
 */
#define SWEEP \
    "    sweep:\n" \
    "      interval: 60s\n" \
    "      max_rate: 0\n" \
    "      window: 4\n" \
    "    pools:\n" \
    "      - name: alpha\n" \
    "        ranges: [\"10.0.0.40-10.0.0.44\", \"10.0.0.10-10.0.0.19\"]\n" \
    "      - name: beta\n" \
    "        ranges: [\"10.0.0.20-10.0.0.29\"]\n"

#define SWEEP_ADDRS	25

/*
 * alpha: 3 active (ends in 2 min, in 30 min, never), 2 free, 1 abandoned,
 * the rest without a lease; beta: 4 backup, 1 expired, 1 refused with an
 * error status.  A pool handle of 7/8 on every lease.
 */
static void
sweep_leases(struct fake *f, uint32_t now)
{
	fake_add_lease(f, IP(10, 0, 0, 10), OMAPI_LEASE_ACTIVE, 7)->ends =
	    now + 120;
	fake_add_lease(f, IP(10, 0, 0, 11), OMAPI_LEASE_ACTIVE, 7)->ends =
	    now + 1800;
	fake_add_lease(f, IP(10, 0, 0, 42), OMAPI_LEASE_ACTIVE, 7)->ends =
	    UINT32_MAX;
	fake_add_lease(f, IP(10, 0, 0, 12), OMAPI_LEASE_FREE, 7);
	fake_add_lease(f, IP(10, 0, 0, 44), OMAPI_LEASE_FREE, 7);
	fake_add_lease(f, IP(10, 0, 0, 19), OMAPI_LEASE_ABANDONED, 7);
	fake_add_lease(f, IP(10, 0, 0, 20), OMAPI_LEASE_BACKUP, 8);
	fake_add_lease(f, IP(10, 0, 0, 21), OMAPI_LEASE_BACKUP, 8);
	fake_add_lease(f, IP(10, 0, 0, 28), OMAPI_LEASE_BACKUP, 8);
	fake_add_lease(f, IP(10, 0, 0, 29), OMAPI_LEASE_BACKUP, 8);
	fake_add_lease(f, IP(10, 0, 0, 25), OMAPI_LEASE_EXPIRED, 8);
	fake_add_lease(f, IP(10, 0, 0, 26), OMAPI_LEASE_FREE, 8)->status =
	    0x60001;
	f->seen_base = IP(10, 0, 0, 0);
}

static void
assert_sweep_aggregates(const struct sweep_agg *w, uint32_t now)
{
	const struct sweep_agg *a = &w[0], *b = &w[1];
	size_t k;

	assert_int_equal(a->states[OMAPI_LEASE_ACTIVE], 3);
	assert_int_equal(a->states[OMAPI_LEASE_FREE], 2);
	assert_int_equal(a->states[OMAPI_LEASE_ABANDONED], 1);
	assert_int_equal(a->states[OMAPI_LEASE_BACKUP], 0);
	/* 5m 15m 1h 4h 24h, cumulative; "never" is in none. */
	assert_int_equal(a->expiring[0], 1);
	assert_int_equal(a->expiring[1], 1);
	for (k = 2; k < SNAPSHOT_NEXPIRY; k++)
		assert_int_equal(a->expiring[k], 2);
	assert_int_equal(a->earliest_end, now + 120);
	assert_int_equal(b->states[OMAPI_LEASE_BACKUP], 4);
	assert_int_equal(b->states[OMAPI_LEASE_EXPIRED], 1);
	assert_int_equal(b->states[OMAPI_LEASE_FREE], 0);	/* refused */
	assert_int_equal(b->states[OMAPI_LEASE_ACTIVE], 0);
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		assert_int_equal(b->expiring[k], 0);
	assert_int_equal(b->earliest_end, 0);
}

/* Sweep the whole server in slices of `slice`; returns the slices run. */
static int
sweep_all_err(struct rig *r, unsigned slice, uint64_t *status_errors,
    struct omapi_error *e)
{
	int done = 0, n = 0;

	*status_errors = 0;
	assert_int_equal(sweeper_start(&r->s.sweep, snapshot_now()), 0);
	while (!done) {
		assert_true(n < 100);
		r->s.sweep.slice_cap = slice;
		if (sweeper_slice(&r->s.sweep, &r->s.conn, 1, 0, &done,
		    e) == -1)
			return -(n + 1);
		*status_errors += r->s.sweep.status_errors;
		n++;
	}
	return n;
}

static int
sweep_all(struct rig *r, unsigned slice, uint64_t *status_errors)
{
	struct omapi_error e;

	return sweep_all_err(r, slice, status_errors, &e);
}

/*
 * Slices of 7 over 25 addresses in three ranges: four slices that look
 * up each address exactly once, slices that cross ranges included, one
 * more that finds nothing left; states and expiry aggregated per pool.
 */
static void
test_sweep_slices(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	uint32_t now = (uint32_t)time(NULL);
	uint64_t st;
	size_t i;
	unsigned slices[] = { 7, 1, 25, 4096 }, want[] = { 5, 26, 2, 2 }, k;

	sweep_leases(r.f, now);
	rig_start(&r, SWEEP);
	assert_int_equal(server_connect(&r.s, snapshot_now()), 0);
	for (k = 0; k < sizeof(slices) / sizeof(slices[0]); k++) {
		fake_lock(r.f);
		memset(r.f->seen, 0, sizeof(r.f->seen));
		fake_unlock(r.f);
		assert_int_equal(sweep_all(&r, slices[k], &st), want[k]);
		assert_int_equal(st, 1);
		assert_true(r.s.sweep.active);
		assert_sweep_aggregates(r.s.sweep.work, now);
		fake_lock(r.f);
		for (i = 0; i < 256; i++)
			assert_int_equal(r.f->seen[i],
			    (i >= 10 && i <= 29) || (i >= 40 && i <= 44));
		assert_true(r.f->max_pending <= 4);
		fake_unlock(r.f);
		sweeper_abort(&r.s.sweep);
		assert_false(r.s.sweep.active);
	}
	assert_int_equal(requests(&r), 4 * SWEEP_ADDRS);
	/* The sweeper leaves the counting to its caller. */
	assert_errors(&r.s, 0, 0, 0, 0, 0);
	rig_stop(&r);
}

/*
 * A connection that breaks mid-sweep: the slice returns -1 with the
 * reason, the sweep is abandoned, and the next one starts from the top.
 */
static void
test_sweep_breaks(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	uint32_t now = (uint32_t)time(NULL);
	struct omapi_error e;
	uint64_t st;
	int done;

	sweep_leases(r.f, now);
	r.f->close_at = 12;
	rig_start(&r, SWEEP);
	assert_int_equal(server_connect(&r.s, snapshot_now()), 0);
	assert_int_equal(sweeper_start(&r.s.sweep, snapshot_now()), 0);
	assert_int_equal((r.s.sweep.slice_cap = 10, sweeper_slice(&r.s.sweep, &r.s.conn, 1, 0,
	    &done, &e)),
	    0);
	assert_false(done);
	assert_int_equal((r.s.sweep.slice_cap = 10, sweeper_slice(&r.s.sweep, &r.s.conn, 1, 0,
	    &done, &e)),
	    -1);
	assert_int_equal(e.code, OMAPI_ERR_CONNECTION);
	assert_false(r.s.sweep.active);
	assert_null(r.s.sweep.work);
	/* Reconnect (a reset) and sweep again, whole. */
	assert_int_equal(server_connect(&r.s, snapshot_now()), 0);
	assert_int_equal(r.s.res.counters.resets, 1);
	fake_lock(r.f);
	memset(r.f->seen, 0, sizeof(r.f->seen));
	fake_unlock(r.f);
	assert_int_equal(sweep_all(&r, 10, &st), 4);
	assert_sweep_aggregates(r.s.sweep.work, now);
	fake_lock(r.f);
	assert_int_equal(r.f->seen[10], 1);
	assert_int_equal(r.f->seen[44], 1);
	fake_unlock(r.f);
	rig_stop(&r);
}

/* An authentication failure ends the sweep too. */
static void
test_sweep_auth_failure(void **state)
{
	struct rig r = { .f = fake_dhcpd() };
	struct fake_lease *l;
	struct omapi_error e;
	uint64_t st, sent;

	sweep_leases(r.f, (uint32_t)time(NULL));
	l = fake_add_lease(r.f, IP(10, 0, 0, 15), OMAPI_LEASE_FREE, 7);
	l->status = OMAPI_RESULT_NOAUTH;
	rig_start(&r, SWEEP);
	assert_int_equal(server_connect(&r.s, snapshot_now()), 0);
	assert_int_equal(sweep_all_err(&r, 100, &st, &e), -1);
	assert_int_equal(e.code, OMAPI_ERR_AUTH);
	assert_false(r.s.sweep.active);
	/* 10.0.0.15 is the 6th; no more than the window of 4 after it. */
	sent = omapi_conn_stats(r.s.conn)->requests;
	assert_true(sent >= 6 && sent <= 5 + 4);
	rig_stop(&r);
}

/* A server with neither pools nor hosts: a poll asks nothing. */
static void
test_poll_nothing(void **state)
{
	struct rig r = { .f = fake_dhcpd() };

	rig_start(&r, "");
	assert_int_equal(poll_once(&r), 0);
	assert_int_equal(requests(&r), 0);
	assert_errors(&r.s, 0, 0, 0, 0, 0);
	rig_stop(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poll_counters),
		cmocka_unit_test(test_poll_signed),
		cmocka_unit_test(test_host_by_mac),
		cmocka_unit_test(test_unmatched_replies),
		cmocka_unit_test(test_unresolved_logged_once),
		cmocka_unit_test(test_merged_pools_warned_once),
		cmocka_unit_test(test_status_errors_counted),
		cmocka_unit_test(test_stale_handle),
		cmocka_unit_test(test_pool_without_counters),
		cmocka_unit_test(test_auth_failure_stops_poll),
		cmocka_unit_test(test_broken_poll_counted_once),
		cmocka_unit_test(test_connect_backoff),
		cmocka_unit_test(test_sweep_slices),
		cmocka_unit_test(test_sweep_breaks),
		cmocka_unit_test(test_sweep_auth_failure),
		cmocka_unit_test(test_poll_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
