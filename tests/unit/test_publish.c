/*
 * test_publish.c: a server's results as snapshot series (publish.c):
 * discovered pools that are one dhcpd pool (same live handle) are
 * published once, with the union of their ranges and the sum of their
 * sweeps; YAML pools as configured; shared networks summed once per
 * dhcpd pool; the ranges label is bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "poll/poll_int.h"

static struct config_range r1[] = { { 0x0a000a0a, 0x0a000a14, 0, 0 } };
static struct config_range r2[] = { { 0x0a000b0a, 0x0a000b0b, 0, 0 } };
static struct config_range r3[] = { { 0x0a000c01, 0x0a000c01, 0, 0 } };
static struct config_range r4[] = { { 0x0a000d01, 0x0a000d02, 0, 0 } };

static void
test_one_dhcpd_pool_once(void **state)
{
	struct config_pool pools[4];
	struct config_server cs;
	struct pool_result pr[4];
	struct server_result r;
	struct snapshot *snap;
	struct snapshot_server *ss;

	memset(pools, 0, sizeof(pools));
	memset(&cs, 0, sizeof(cs));
	memset(pr, 0, sizeof(pr));
	memset(&r, 0, sizeof(r));
	/* a and b: the file said two pools, dhcpd has one (handle 7) */
	pools[0] = (struct config_pool){ .name = "10.0.10.10-10.0.10.20",
	    .ranges = r1, .nranges = 1, .discovered = 1,
	    .shared_network = "campus" };
	pools[1] = (struct config_pool){ .name = "10.0.11.10-10.0.11.11",
	    .ranges = r2, .nranges = 1, .discovered = 1,
	    .shared_network = "campus" };
	/* c: a pool of its own in the same shared network */
	pools[2] = (struct config_pool){ .name = "10.0.12.1-10.0.12.1",
	    .ranges = r3, .nranges = 1, .discovered = 1,
	    .shared_network = "campus" };
	/* y: a YAML pool on handle 7 too: published as configured */
	pools[3] = (struct config_pool){ .name = "y", .ranges = r4,
	    .nranges = 1 };
	cs.name = "d";
	cs.pools = pools;
	cs.npools = 4;
	pr[0] = (struct pool_result){ .handle = 7,
	    .resolution = POOL_RESOLVED, .counters_known = 1,
	    .addresses = 13, .free = 4, .backup = 1 };
	pr[0].sweep.known = 1;
	pr[0].sweep.states[OMAPI_LEASE_ACTIVE] = 6;
	pr[0].sweep.earliest_end = 500;
	pr[1] = pr[0];
	pr[1].sweep.states[OMAPI_LEASE_ACTIVE] = 2;
	pr[1].sweep.earliest_end = 400;
	pr[2] = (struct pool_result){ .handle = 9,
	    .resolution = POOL_RESOLVED, .counters_known = 1,
	    .addresses = 1, .free = 1, .unserved = 1 };
	pr[3] = pr[0];
	r.up = 1;
	r.pools = pr;

	assert_non_null(snap = snapshot_new("1", "c"));
	assert_int_equal(publish_server(snap, &cs, &r,
	    &(struct conf_reads){ .errors = 3, .failing = 1 }), 0);
	ss = snap->servers[0];
	assert_int_equal(ss->npools, 3);	/* a+b, c, y */
	assert_string_equal(ss->pools[0]->name, "10.0.10.10-10.0.10.20");
	assert_string_equal(ss->pools[0]->ranges,
	    "10.0.10.10-10.0.10.20,10.0.11.10-10.0.11.11");
	assert_int_equal(ss->pools[0]->addresses, 13);	/* once, not twice */
	assert_int_equal(ss->pools[0]->states[OMAPI_LEASE_ACTIVE], 8);
	assert_int_equal(ss->pools[0]->earliest_end, 400);
	assert_string_equal(ss->pools[1]->name, "10.0.12.1-10.0.12.1");
	assert_string_equal(ss->pools[2]->name, "y");
	assert_null(ss->pools[2]->shared_network);
	assert_int_equal(ss->nshared, 1);
	assert_string_equal(ss->shared[0].name, "campus");
	assert_int_equal(ss->shared[0].addresses, 14);	/* 13 + 1 */
	assert_int_equal(ss->shared[0].free, 5);
	assert_int_equal(ss->shared[0].backup, 1);
	assert_int_equal(ss->unserved_ranges, 1);
	assert_int_equal(ss->conf_errors, 3);
	assert_true(ss->conf_failing);
	snapshot_release(snap);
}

/*
 * Issue 21 item 7: 4,001 ranges made a 98 kB dhcpd_pool_info{ranges}:
 * the first SNAPSHOT_RANGES_SHOWN ranges are listed, then "+N more".
 */
static void
test_ranges_label_bounded(void **state)
{
	static struct config_range many[4001];
	struct config_pool pool;
	struct config_server cs;
	struct pool_result pr;
	struct server_result r;
	struct snapshot *snap;
	const char *text;
	size_t i;

	for (i = 0; i < 4001; i++)	/* 10.88.0.1 .. single addresses */
		many[i] = (struct config_range){ 0x0a580001 + (uint32_t)i * 2,
		    0x0a580001 + (uint32_t)i * 2, 0, 0 };
	memset(&cs, 0, sizeof(cs));
	memset(&pr, 0, sizeof(pr));
	memset(&r, 0, sizeof(r));
	pool = (struct config_pool){ .name = "big", .ranges = many,
	    .nranges = 4001, .discovered = 1 };
	cs.name = "d";
	cs.pools = &pool;
	cs.npools = 1;
	r.pools = &pr;
	assert_non_null(snap = snapshot_new("1", "c"));
	assert_int_equal(publish_server(snap, &cs, &r,
	    &(struct conf_reads){ 0, 0 }), 0);
	text = snap->servers[0]->pools[0]->ranges;
	assert_true(strlen(text) < 600);
	assert_true(strncmp(text, "10.88.0.1-10.88.0.1,10.88.0.3-10.88.0.3,",
	    40) == 0);
	assert_non_null(strstr(text, ",10.88.0.31-10.88.0.31,+3985 more"));
	snapshot_release(snap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_dhcpd_pool_once),
		cmocka_unit_test(test_ranges_label_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
