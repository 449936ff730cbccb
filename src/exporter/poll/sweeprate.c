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
 *     twice the baseline plus SWEEPRATE_SLACK_US;
 *   - congested: the rate is halved, down to a floor of max_rate / 100
 *     (at least SWEEPRATE_FLOOR); not: it grows by max_rate / 20, up to
 *     max_rate, which stays the ceiling.
 *
 * The baseline is what the path costs: the lowest slice median of the
 * last SWEEPRATE_WINDOW_US, a windowed minimum that expires, as TCP BBR
 * keeps min_rtt over 10 s.  DHCP load lengthens the tail of the replies
 * long before their median, so the minimum over some forty slices stays
 * at the path's cost under load that leaves dhcpd idle part of the time;
 * when the path itself gets slower (a WAN's latency changes), every
 * median rises, the old minimum expires within the window, and the rate
 * climbs again at the new baseline (issue 21, item 6: before, the
 * baseline was the lowest median of this sweep and the last, and a path
 * 6 ms slower kept the rate at its floor for good).  The window spans
 * sweeps: a sweep that starts within it keeps what the last one learnt.
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
#define SWEEPRATE_SLOT_US	(SWEEPRATE_WINDOW_US / SWEEPRATE_SLOTS)

/*
 * Take one slice median into the window (at now_us, monotonic) and
 * return the baseline: the lowest median of the slots still inside it.
 */
static uint64_t
sweeprate_baseline(struct sweeper *s, uint64_t p50, int64_t now_us)
{
	int64_t slot = now_us / SWEEPRATE_SLOT_US;
	struct sweeprate_slot *cur = &s->rtt_win[slot % SWEEPRATE_SLOTS], *w;
	uint64_t base = p50;
	size_t i;

	if (cur->slot != slot || cur->min_us == 0) {
		cur->slot = slot;	/* an expired slot starts again */
		cur->min_us = p50;
	} else if (p50 < cur->min_us)
		cur->min_us = p50;
	for (i = 0; i < SWEEPRATE_SLOTS; i++) {
		w = &s->rtt_win[i];
		if (w->min_us != 0 && w->slot > slot - SWEEPRATE_SLOTS &&
		    w->slot <= slot && w->min_us < base)
			base = w->min_us;
	}
	return base;
}

/* Judge one slice's reply times and set the rate for the next. */
void
sweeprate_adapt(struct sweeper *s, const struct omapi_sweep_result *res,
    int64_t now_us)
{
	double max = s->cfg->sweep.max_rate, floor = max / 100;
	uint64_t p50, p90, base;

	if (max <= 0 || res->rtt_count < SWEEPRATE_MIN_SAMPLES)
		return;
	if (floor < SWEEPRATE_FLOOR)
		floor = SWEEPRATE_FLOOR < max ? SWEEPRATE_FLOOR : max;
	p50 = omapi_sweep_rtt_quantile(res, 0.5);
	p90 = omapi_sweep_rtt_quantile(res, 0.9);
	base = sweeprate_baseline(s, p50, now_us);
	if (p90 > 2 * base + SWEEPRATE_SLACK_US)
		s->rate = s->rate / 2 < floor ? floor : s->rate / 2;
	else
		s->rate = s->rate + max / 20 > max ? max : s->rate + max / 20;
}
