/*
 * sweeprate.c: DHCP comes first.  The sweep's rate adapts to how long
 * dhcpd takes to answer it.
 *
 * dhcpd serves DHCP and OMAPI in one single-threaded loop, so a lookup
 * that arrives while dhcpd is busy with DHCP waits for it: the reply time
 * of a paced lookup is a direct reading of how busy that loop is.  An idle
 * dhcpd answers a paced group in a fraction of a millisecond; a DISCOVER
 * or a REQUEST (with its leases-file write) holds the loop for a
 * millisecond or more.  After every slice (a quarter second of lookups):
 *
 *   - congested when the slice's 90th percentile reply time is above
 *     twice the baseline plus SWEEPRATE_SLACK_US, the baseline being the
 *     lowest slice median of this sweep and the one before (so a slower
 *     network path is learnt within two sweeps, and load that lasts less
 *     than a sweep is never taken for the path);
 *   - congested: the rate is halved, down to a floor of max_rate / 100
 *     (at least SWEEPRATE_FLOOR); not: it grows by max_rate / 20, up to
 *     max_rate, which stays the ceiling.
 *
 * Halving within a quarter second gets out of DHCP's way at once; the
 * slow climb (5 s from the floor to the ceiling) keeps a DHCP burst from
 * being met at full rate again.  A sweep under constant DHCP load runs at
 * the floor and still finishes.  max_rate 0 (no limit) is left alone: an
 * unthrottled sweep is asked for on purpose (--once, benchmarks).
 */
#include "poll_int.h"

#define SWEEPRATE_SLACK_US	1000
#define SWEEPRATE_FLOOR		10.0
#define SWEEPRATE_MIN_SAMPLES	8

/* Start a sweep: the current minimum becomes the previous one. */
void
sweeprate_new_sweep(struct sweeper *s)
{
	s->rtt_prev_min_us = s->rtt_min_us;
	s->rtt_min_us = 0;
}

static uint64_t
sweeprate_baseline(const struct sweeper *s)
{
	uint64_t a = s->rtt_min_us, b = s->rtt_prev_min_us;

	if (a == 0 || (b != 0 && b < a))
		return b;
	return a;
}

/* Judge one slice's reply times and set the rate for the next. */
void
sweeprate_adapt(struct sweeper *s, const struct omapi_sweep_result *res)
{
	double max = s->cfg->sweep.max_rate, floor = max / 100;
	uint64_t p50, p90, base;

	if (max <= 0 || res->rtt_count < SWEEPRATE_MIN_SAMPLES)
		return;
	if (floor < SWEEPRATE_FLOOR)
		floor = SWEEPRATE_FLOOR < max ? SWEEPRATE_FLOOR : max;
	p50 = omapi_sweep_rtt_quantile(res, 0.5);
	p90 = omapi_sweep_rtt_quantile(res, 0.9);
	if (s->rtt_min_us == 0 || p50 < s->rtt_min_us)
		s->rtt_min_us = p50;
	base = sweeprate_baseline(s);
	if (p90 > 2 * base + SWEEPRATE_SLACK_US)
		s->rate = s->rate / 2 < floor ? floor : s->rate / 2;
	else
		s->rate = s->rate + max / 20 > max ? max : s->rate + max / 20;
}
