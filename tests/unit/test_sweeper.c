/*
 * test_sweeper.c: how many connections a sweep starts on (sweeper.c), and
 * what a reload hands over: an unthrottled signed sweep on 8 at once
 * (issue 20: grown from four, a short sweep ended first), a paced one on
 * one, to be measured; the rate's window of slice medians goes with the
 * sweep to the new configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "poll/poll_int.h"

static struct config_range range = { 0x0a000001, 0x0a0000ff, 0, 0 };
static struct config_pool pool = { .name = "p", .ranges = &range,
    .nranges = 1 };

static void
server_cfg(struct config_server *cfg, int signed_, uint32_t max_rate,
    unsigned connections)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "s";
	cfg->pools = &pool;
	cfg->npools = 1;
	cfg->key.src = signed_ ? CONFIG_SECRET_KEY_FILE : CONFIG_SECRET_NONE;
	cfg->sweep.enabled = 1;
	cfg->sweep.max_rate = max_rate;
	cfg->sweep.connections = connections;
}

/* Connections at start, and whether they are still to be measured. */
static void
conns_at_start(int signed_, uint32_t max_rate, unsigned connections,
    unsigned want, int settled)
{
	struct config_server cfg;
	struct sweeper s;

	server_cfg(&cfg, signed_, max_rate, connections);
	assert_int_equal(sweeper_init(&s, &cfg), 0);
	assert_int_equal(s.conns, want);
	assert_int_equal(s.conns_settled, settled);
	sweeper_free(&s);
}

static void
test_connections_at_start(void **state)
{
	conns_at_start(1, 0, 0, 8, 1);		/* unthrottled, signed: 8 */
	conns_at_start(1, 5000, 0, 1, 0);	/* paced, signed: measured */
	conns_at_start(0, 0, 0, 1, 1);		/* unsigned: one is enough */
	conns_at_start(0, 5000, 0, 1, 1);
	conns_at_start(1, 0, 3, 3, 1);		/* configured: as said */
	conns_at_start(1, 5000, 12, 12, 1);
}

/* A reload hands the sweep over with what the rate control learnt. */
static void
test_adopt_keeps_window(void **state)
{
	struct config_server cfg;
	struct sweeper a, b;

	server_cfg(&cfg, 1, 5000, 0);
	assert_int_equal(sweeper_init(&a, &cfg), 0);
	assert_int_equal(sweeper_init(&b, &cfg), 0);
	a.rtt_win[2].slot = 42;
	a.rtt_win[2].min_us = 6200;
	a.rate = 1250;
	a.conns = 3;
	a.conns_settled_us = 7;
	sweeper_adopt(&b, &a);
	assert_int_equal(b.rtt_win[2].slot, 42);
	assert_int_equal(b.rtt_win[2].min_us, 6200);
	assert_true(b.rate == 1250);
	assert_int_equal(b.conns, 3);
	assert_int_equal(b.conns_settled_us, 7);
	sweeper_free(&a);
	sweeper_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connections_at_start),
		cmocka_unit_test(test_adopt_keeps_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
