/*
 * test_sweeprate.c: the sweep yields to DHCP (sweeprate.c): halved while
 * dhcpd's reply times rise, back to max_rate in steps when they fall,
 * max_rate a ceiling, a floor that still finishes, no limit left alone;
 * a path that got slower is learnt within the baseline's window, DHCP
 * load that leaves dhcpd idle part of the time is not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "poll/poll_int.h"

#define SLICE_US	250000	/* a slice: a quarter second */

/* The histogram bucket of a reply time. */
static unsigned
bucket(uint64_t us)
{
	unsigned b = 0;

	while ((us >> (b + 1)) != 0)
		b++;
	return b;
}

/* A slice's result where n replies all took about us microseconds. */
static struct omapi_sweep_result
replies(unsigned n, uint64_t us)
{
	struct omapi_sweep_result r;

	memset(&r, 0, sizeof(r));
	r.rtt_hist[bucket(us)] = n;
	r.rtt_count = n;
	r.rtt_max_us = us;
	return r;
}

/* n replies at us, and slow of them at slow_us: dhcpd busy with DHCP. */
static struct omapi_sweep_result
mixed(unsigned n, uint64_t us, unsigned slow, uint64_t slow_us)
{
	struct omapi_sweep_result r = replies(n - slow, us);

	r.rtt_hist[bucket(slow_us)] += slow;
	r.rtt_count = n;
	r.rtt_max_us = slow_us;
	return r;
}

/* The clock of the slices: one per call, a quarter second apart. */
static int64_t now_us;

static void
adapt(struct sweeper *s, const struct omapi_sweep_result *r)
{
	now_us += SLICE_US;
	sweeprate_adapt(s, r, now_us);
}

static void
setup(struct sweeper *s, struct config_server *cfg, uint32_t max_rate)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sweep.enabled = 1;
	cfg->sweep.max_rate = max_rate;
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->rate = max_rate;
	now_us = 1000000000;	/* any monotonic start */
}

static void
test_quantile(void **state)
{
	struct omapi_sweep_result r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(omapi_sweep_rtt_quantile(&r, 0.9), 0);
	r.rtt_hist[6] = 90;	/* 64..127 us */
	r.rtt_hist[12] = 10;	/* 4096..8191 us */
	r.rtt_count = 100;
	assert_int_equal(omapi_sweep_rtt_quantile(&r, 0.5), 128);
	assert_int_equal(omapi_sweep_rtt_quantile(&r, 0.9), 128);
	assert_int_equal(omapi_sweep_rtt_quantile(&r, 0.95), 8192);
}

static void
test_yields_and_recovers(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result quiet = replies(1000, 200);
	struct omapi_sweep_result busy = replies(1000, 4000);
	int i;

	setup(&s, &cfg, 5000);
	adapt(&s, &quiet);		/* learns the baseline */
	assert_true(s.rate == 5000);		/* max_rate is a ceiling */
	adapt(&s, &busy);
	assert_true(s.rate == 2500);
	adapt(&s, &busy);
	assert_true(s.rate == 1250);
	for (i = 0; i < 20; i++)
		adapt(&s, &busy);
	assert_true(s.rate == 50);		/* the floor: max_rate / 100 */
	adapt(&s, &quiet);
	assert_true(s.rate == 300);		/* + max_rate / 20 */
	for (i = 0; i < 30; i++)
		adapt(&s, &quiet);
	assert_true(s.rate == 5000);
}

/* Twice the baseline plus a millisecond is still quiet; above it is not. */
static void
test_threshold(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result base = replies(100, 300);	/* 512 */
	struct omapi_sweep_result under = replies(100, 1000);	/* 1024 */
	struct omapi_sweep_result over = replies(100, 2100);	/* 4096 */

	setup(&s, &cfg, 1000);
	adapt(&s, &base);
	adapt(&s, &under);	/* 1024 <= 2 * 512 + 1000 */
	assert_true(s.rate == 1000);
	adapt(&s, &over);	/* 4096 > 2024 */
	assert_true(s.rate == 500);
}

/*
 * Issue 21, item 6: the path to dhcpd gets 3 ms slower each way, with no
 * DHCP load.  The rate falls at once (it cannot tell a slower path from a
 * busy dhcpd), but the old baseline expires within the window and the
 * rate is back at max_rate well within a minute.  Before, the baseline was
 * the lowest median of this sweep and the last: the rate stayed at 50.
 */
static void
test_slower_path_recovers(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result fast = replies(1000, 200);
	struct omapi_sweep_result slow = replies(1000, 6200);
	int i, back = -1;

	setup(&s, &cfg, 5000);
	for (i = 0; i < 40; i++)	/* 10 s on the fast path */
		adapt(&s, &fast);
	assert_true(s.rate == 5000);
	for (i = 0; i < 8; i++)		/* 2 s on the slow one */
		adapt(&s, &slow);
	assert_true(s.rate == 50);	/* the floor: yielded at once */
	for (i = 0; i < 4 * 60 && back == -1; i++) {
		adapt(&s, &slow);
		if (s.rate == 5000)
			back = i;
	}
	assert_true(back != -1);	/* recovered within a minute */
	/* the window (10 s) and the climb from the floor (5 s) */
	assert_true(back <= 4 * (SWEEPRATE_WINDOW_US / 1000000 + 6));
	for (i = 0; i < 40; i++)	/* and stays there */
		adapt(&s, &slow);
	assert_true(s.rate == 5000);
}

/*
 * DHCP load that keeps dhcpd busy a third of the time: the tail of every
 * slice is slow, its median is not.  Minutes of it never become the
 * baseline: the rate stays at the floor, then climbs once the load ends.
 */
static void
test_load_is_not_the_path(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result quiet = replies(100, 200);
	struct omapi_sweep_result load = mixed(100, 200, 35, 5000);
	int i;

	setup(&s, &cfg, 5000);
	for (i = 0; i < 8; i++)
		adapt(&s, &quiet);
	for (i = 0; i < 4 * 180; i++) {	/* three minutes of DHCP load */
		adapt(&s, &load);
		if (i >= 8)
			assert_true(s.rate == 50);
	}
	for (i = 0; i < 4 * 6; i++)
		adapt(&s, &quiet);
	assert_true(s.rate == 5000);
}

/* The window spans sweeps: a quiet pause keeps nothing but the past 10 s. */
static void
test_window_spans_time_not_sweeps(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result fast = replies(100, 100);
	struct omapi_sweep_result slow = replies(100, 3000);

	setup(&s, &cfg, 1000);
	adapt(&s, &fast);
	adapt(&s, &slow);
	assert_true(s.rate == 500);	/* against the fast baseline */
	now_us += 5000000;		/* the next sweep, 5 s later */
	adapt(&s, &slow);		/* the fast median still counts */
	assert_true(s.rate == 250);
	now_us += 60000000;		/* a minute later: it has expired */
	adapt(&s, &slow);
	assert_true(s.rate == 300);
}

static void
test_unlimited_and_few_samples(void **state)
{
	int i;
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result busy = replies(1000, 50000);
	struct omapi_sweep_result few = replies(5, 50000);
	struct omapi_sweep_result quick = replies(1000, 100);

	setup(&s, &cfg, 0);
	adapt(&s, &busy);
	assert_true(s.rate == 0);	/* no limit stays no limit */
	setup(&s, &cfg, 5000);
	adapt(&s, &few);	/* too few replies to judge */
	assert_true(s.rate == 5000);
	setup(&s, &cfg, 200);
	adapt(&s, &quick);
	for (i = 0; i < 5; i++)		/* 100, 50, 25, 12.5, 10 */
		adapt(&s, &busy);
	assert_true(s.rate == 10);	/* floor: at least 10 lookups/s */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_yields_and_recovers),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_slower_path_recovers),
		cmocka_unit_test(test_load_is_not_the_path),
		cmocka_unit_test(test_window_spans_time_not_sweeps),
		cmocka_unit_test(test_unlimited_and_few_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
