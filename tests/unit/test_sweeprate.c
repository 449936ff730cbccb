/*
 * test_sweeprate.c: the sweep yields to DHCP (sweeprate.c): halved while
 * dhcpd's reply times rise, back to max_rate in steps when they fall,
 * max_rate a ceiling, a floor that still finishes, no limit left alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "poll/poll_int.h"

/* A slice's result where n replies all took about us microseconds. */
static struct omapi_sweep_result
replies(unsigned n, uint64_t us)
{
	struct omapi_sweep_result r;
	unsigned b = 0;

	memset(&r, 0, sizeof(r));
	while ((us >> (b + 1)) != 0)
		b++;
	r.rtt_hist[b] = n;
	r.rtt_count = n;
	r.rtt_max_us = us;
	return r;
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
	sweeprate_new_sweep(s);
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
	sweeprate_adapt(&s, &quiet);		/* learns the baseline */
	assert_true(s.rate == 5000);		/* max_rate is a ceiling */
	sweeprate_adapt(&s, &busy);
	assert_true(s.rate == 2500);
	sweeprate_adapt(&s, &busy);
	assert_true(s.rate == 1250);
	for (i = 0; i < 20; i++)
		sweeprate_adapt(&s, &busy);
	assert_true(s.rate == 50);		/* the floor: max_rate / 100 */
	sweeprate_adapt(&s, &quiet);
	assert_true(s.rate == 300);		/* + max_rate / 20 */
	for (i = 0; i < 30; i++)
		sweeprate_adapt(&s, &quiet);
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
	sweeprate_adapt(&s, &base);
	sweeprate_adapt(&s, &under);	/* 1024 <= 2 * 512 + 1000 */
	assert_true(s.rate == 1000);
	sweeprate_adapt(&s, &over);	/* 4096 > 2024 */
	assert_true(s.rate == 500);
}

/* A slower path is learnt: the baseline is this sweep's or the last's. */
static void
test_baseline_moves_with_sweeps(void **state)
{
	struct config_server cfg;
	struct sweeper s;
	struct omapi_sweep_result fast = replies(100, 100);
	struct omapi_sweep_result slow = replies(100, 3000);

	setup(&s, &cfg, 1000);
	sweeprate_adapt(&s, &fast);
	sweeprate_adapt(&s, &slow);
	assert_true(s.rate == 500);	/* against the fast baseline */
	sweeprate_new_sweep(&s);
	sweeprate_adapt(&s, &slow);	/* the last sweep's minimum holds */
	assert_true(s.rate == 250);
	sweeprate_new_sweep(&s);
	sweeprate_adapt(&s, &slow);	/* two sweeps on: slow is the path */
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
	sweeprate_adapt(&s, &busy);
	assert_true(s.rate == 0);	/* no limit stays no limit */
	setup(&s, &cfg, 5000);
	sweeprate_adapt(&s, &few);	/* too few replies to judge */
	assert_true(s.rate == 5000);
	setup(&s, &cfg, 200);
	sweeprate_adapt(&s, &quick);
	for (i = 0; i < 5; i++)		/* 100, 50, 25, 12.5, 10 */
		sweeprate_adapt(&s, &busy);
	assert_true(s.rate == 10);	/* floor: at least 10 lookups/s */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_yields_and_recovers),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_baseline_moves_with_sweeps),
		cmocka_unit_test(test_unlimited_and_few_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
