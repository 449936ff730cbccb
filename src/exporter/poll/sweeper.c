/*
 * sweeper.c: the full per-address sweep of a server's configured ranges,
 * aggregated per pool into binding-state counts, the expiry picture of
 * active leases and client activity (cltt).  Nothing is kept per lease,
 * unless lease_info asks for a table of them (leasetab.c).
 *
 * A sweep of a large pool takes seconds at a friendly rate, so it runs a
 * slice at a time and the poller keeps pool counters and hosts on schedule
 * in between.  A slice spans as many ranges as it needs: one per range
 * would drain the window and restart the pacing at every range, which cost
 * a sweep of 1,000 small pools 7 % of its rate (make bench).  Each answer
 * finds its pool by its address.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poll_int.h"

/* Automatic sweep connections at most (sweep.connections 0, signed). */
#define CONNS_AUTO_MAX		8

static int
range_cmp(const void *a, const void *b)
{
	const struct swept_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Build the sorted list of ranges to sweep from the configuration. */
int
sweeper_init(struct sweeper *s, const struct config_server *cfg)
{
	size_t i, j, n = 0;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->rate = cfg->sweep.max_rate;
	for (i = 0; i < cfg->npools; i++)
		n += cfg->pools[i].nranges;
	if ((s->ranges = calloc(n ? n : 1, sizeof(*s->ranges))) == NULL)
		return -1;
	for (i = 0; i < cfg->npools; i++)
		for (j = 0; j < cfg->pools[i].nranges; j++) {
			s->ranges[s->nranges].first =
			    cfg->pools[i].ranges[j].first;
			s->ranges[s->nranges].last =
			    cfg->pools[i].ranges[j].last;
			s->ranges[s->nranges++].pool = i;
		}
	qsort(s->ranges, s->nranges, sizeof(*s->ranges), range_cmp);
	/*
	 * Automatic: one connection for a paced sweep (one signed connection
	 * carries some 20,000 lookups/s, far above a usual max_rate), grown
	 * while it falls short of the rate (sweeper_tune_conns).  An
	 * unthrottled signed sweep starts on CONNS_AUTO_MAX at once: a short
	 * one ended before a count grown slice by slice got there (issue 20:
	 * a 65k-address --once sweep left dhcpd 78 % busy on the grown
	 * count, 91 % on 8 connections; make bench measures it).
	 */
	if (cfg->sweep.connections)
		s->conns = cfg->sweep.connections;
	else if (cfg->sweep.max_rate == 0 &&
	    cfg->key.src != CONFIG_SECRET_NONE)
		s->conns = CONNS_AUTO_MAX;
	else
		s->conns = 1;
	/* One unsigned connection already keeps dhcpd busy (omapi.h). */
	s->conns_settled = cfg->sweep.connections != 0 ||
	    cfg->key.src == CONFIG_SECRET_NONE || s->conns == CONNS_AUTO_MAX;
	return 0;
}

void
sweeper_free(struct sweeper *s)
{
	sweeper_abort(s);
	free(s->ranges);
	s->ranges = NULL;
	s->nranges = 0;
}

int
sweeper_start(struct sweeper *s, double now)
{
	sweeper_abort(s);
	if ((s->work = calloc(s->cfg->npools ? s->cfg->npools : 1,
	    sizeof(*s->work))) == NULL)
		return -1;
	if (s->cfg->lease_info.enabled && (s->leases =
	    leasetab_new(s->cfg->lease_info.max_series)) == NULL) {
		sweeper_abort(s);
		return -1;
	}
	s->active = 1;
	s->range = 0;
	s->next = s->nranges ? s->ranges[0].first : 0;
	s->started = now;
	return 0;
}

/*
 * A reload: take over from old (the same ranges: same_server in
 * poller.c) the sweep under way, where its last slice ended, and what the
 * rate and connection control learnt.  old is left with no sweep.
 */
void
sweeper_adopt(struct sweeper *s, struct sweeper *old)
{
	sweeper_abort(s);
	s->active = old->active;
	s->range = old->range;
	s->next = old->next;
	s->started = old->started;
	s->work = old->work;
	s->leases = old->leases;
	s->slice_cap = old->slice_cap;
	s->retried = old->retried;
	s->conns = old->conns;
	s->conns_settled = old->conns_settled;
	s->conns_rate = old->conns_rate;
	s->conns_settled_us = old->conns_settled_us;
	s->rate = old->rate;
	memcpy(s->rtt_win, old->rtt_win, sizeof(s->rtt_win));
	old->work = NULL;
	old->leases = NULL;
	old->active = 0;
}

void
sweeper_abort(struct sweeper *s)
{
	free(s->work);
	s->work = NULL;
	leasetab_release(s->leases);
	s->leases = NULL;
	s->active = 0;
}

/* Where one slice's answers go. */
struct slice {
	struct sweeper		*s;
	size_t			 hint;	/* range of the last answer */
	int64_t			 now;
};

/*
 * The aggregate of the pool that holds ip.  Answers come in address order,
 * so the last answer's range almost always holds the next one; otherwise a
 * binary search (ranges are sorted and never overlap).
 */
static struct sweep_agg *
slice_agg(struct slice *sl, uint32_t ip)
{
	const struct swept_range *rg = sl->s->ranges;
	size_t lo = 0, hi = sl->s->nranges, mid;

	if (ip < rg[sl->hint].first || ip > rg[sl->hint].last) {
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (rg[mid].last < ip)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == sl->s->nranges || ip < rg[lo].first)
			return NULL;
		sl->hint = lo;
	}
	return &sl->s->work[rg[sl->hint].pool];
}

/*
 * Client activity: the newest cltt of any lease, and active leases whose
 * cltt is at most h seconds before now.  A cltt a little ahead of our
 * clock (dhcpd's runs fast) is recent, not old.  0 is "never".
 */
static void
slice_activity(const struct slice *sl, struct sweep_agg *a,
    const struct omapi_lease *l)
{
	size_t k;

	if (l->cltt == 0)
		return;
	if ((int64_t)l->cltt > a->last_cltt)
		a->last_cltt = l->cltt;
	if (l->state != OMAPI_LEASE_ACTIVE)
		return;
	for (k = 0; k < SNAPSHOT_NSEEN; k++)
		if ((int64_t)l->cltt + snapshot_seen_secs[k] >= sl->now)
			a->seen[k]++;
}

/* Count one lease into its pool's aggregate. */
static void
slice_lease(void *arg, uint32_t ip, const struct omapi_lease *l)
{
	struct slice *sl = arg;
	struct sweep_agg *a;
	size_t k;

	if (l == NULL || l->state == 0 || l->state >= SNAPSHOT_NSTATES ||
	    (a = slice_agg(sl, ip)) == NULL)
		return;
	a->states[l->state]++;
	slice_activity(sl, a, l);
	if (sl->s->leases != NULL && leasetab_wants(l->state))
		leasetab_add(sl->s->leases, ip, sl->s->ranges[sl->hint].pool,
		    l);
	if (l->state != OMAPI_LEASE_ACTIVE || l->ends == 0 ||
	    l->ends == UINT32_MAX)	/* 0: unset, ~0: never ends */
		return;
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		if ((int64_t)l->ends <= sl->now + snapshot_expiry_secs[k])
			a->expiring[k]++;
	if (a->earliest_end == 0 || (int64_t)l->ends < a->earliest_end)
		a->earliest_end = l->ends;
}

/*
 * The next max_addrs addresses from where the sweep stands, as ranges
 * (at most nmax); returns how many, *lastidx the index of the last
 * configured range they reach into.
 */
static size_t
slice_ranges(const struct sweeper *s, unsigned max_addrs,
    struct omapi_range *out, size_t *idx, size_t nmax, size_t *lastidx)
{
	uint64_t left = max_addrs, next = s->next, last;
	size_t i = s->range, n = 0;

	while (left > 0 && i < s->nranges && n < nmax) {
		last = next + left - 1;
		if (last > s->ranges[i].last)
			last = s->ranges[i].last;
		if (next <= last) {	/* else an empty range */
			idx[n] = i;
			out[n].first = (uint32_t)next;
			out[n++].last = (uint32_t)last;
			left -= last - next + 1;
			*lastidx = i;
		}
		if (++i < s->nranges)
			next = s->ranges[i].first;
	}
	return n;
}

/* Addresses per slice when unthrottled; throttled: 1/4 s at the rate. */
#define SLICE_UNTHROTTLED	4096
#define SLICE_MIN		8

static unsigned
slice_size(const struct sweeper *s)
{
	double n = s->rate / 4;
	unsigned size;

	if (s->rate <= 0)
		size = SLICE_UNTHROTTLED;
	else
		size = n < SLICE_MIN ? SLICE_MIN : n > SLICE_UNTHROTTLED ?
		    SLICE_UNTHROTTLED : (unsigned)n;
	return s->slice_cap && s->slice_cap < size ? s->slice_cap : size;
}

/*
 * Sweep the next slice (a quarter second of lookups at the rate in force)
 * on conn, then adapt the rate to how dhcpd answered (sweeprate.c).
 * *done is set when the sweep has covered every range; returns -1 when
 * the connection or the key failed (err says why; the sweep is
 * abandoned, and the previous result stays published).  Answers that were
 * neither a lease nor "not found" are left in status_errors for the
 * caller to count.
 */
/*
 * Automatic connections (sweep.connections 0, signed): one more after each
 * slice while the last one added made the sweep at least 10 % faster and
 * it still falls short of the rate in force; then settle.  The first
 * slices of the first sweep are the measurement.  A paced sweep that
 * falls short of its rate again (the path to dhcpd got slower: a signed
 * connection carries some 8 lookups in flight, so 6 ms of round trip
 * hold it near 1,000/s) measures again, at most once per
 * CONNS_REPROBE_US, so a count that cannot help costs one connection
 * opened and closed per probe.
 */
#define CONNS_JUDGE_MIN		256	/* answers a slice needs to be judged */
#define CONNS_REPROBE_US	10000000

static void
sweeper_tune_conns(struct sweeper *s, double achieved, size_t used,
    int64_t now_us)
{
	if (s->conns_settled && s->cfg->sweep.connections == 0 &&
	    s->cfg->key.src != CONFIG_SECRET_NONE && s->rate > 0 &&
	    achieved < 0.9 * s->rate && s->conns < CONNS_AUTO_MAX &&
	    now_us - s->conns_settled_us >= CONNS_REPROBE_US) {
		s->conns_settled = 0;	/* short of the rate: measure again */
		s->conns_rate = achieved;
		s->conns++;
		return;
	}
	if (s->conns_settled || used < s->conns)
		return;
	s->conns_settled_us = now_us;
	if (s->rate > 0 && achieved >= 0.9 * s->rate) {
		s->conns_settled = 1;	/* enough for the rate */
		return;
	}
	if (s->conns > 1 && achieved < 1.1 * s->conns_rate) {
		s->conns--;		/* the last one did not help */
		s->conns_settled = 1;
		return;
	}
	if (s->conns >= CONNS_AUTO_MAX) {
		s->conns_settled = 1;
		return;
	}
	s->conns_rate = achieved;
	s->conns++;
}

int
sweeper_slice(struct sweeper *s, struct omapi_conn *const *conns, size_t nconns,
    int64_t deadline_us, int *done, struct omapi_error *err)
{
	unsigned max_addrs = slice_size(s);
	struct omapi_sweep_opts o;
	struct omapi_sweep_result res;
	struct omapi_range *ranges;
	struct slice sl;
	size_t n, nmax, *idx, lastidx = s->range;
	int64_t t0, t1;
	int rv = -1;

	*done = 0;
	s->status_errors = 0;
	while (s->range < s->nranges && s->next > s->ranges[s->range].last) {
		if (++s->range < s->nranges)
			s->next = s->ranges[s->range].first;
	}
	if (s->range >= s->nranges) {
		*done = 1;
		return 0;
	}
	nmax = s->nranges - s->range;
	if (nmax > max_addrs)
		nmax = max_addrs;
	ranges = calloc(nmax ? nmax : 1, sizeof(*ranges));
	idx = calloc(nmax ? nmax : 1, sizeof(*idx));
	if (ranges == NULL || idx == NULL) {
		omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((n = slice_ranges(s, max_addrs, ranges, idx, nmax,
	    &lastidx)) == 0) {
		rv = 0;		/* max_addrs 0: nothing to do */
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.ranges = ranges;
	o.nranges = n;
	o.window = s->cfg->sweep.window;
	o.max_rate = s->rate;
	o.deadline_us = deadline_us;
	sl.s = s;
	sl.hint = s->range;
	sl.now = (int64_t)time(NULL);
	t0 = omapi_now_us();
	if (omapi_sweep_many(conns, nconns, &o, slice_lease, &sl, &res,
	    err) == -1) {
		sweeper_abort(s);
		goto out;
	}
	s->status_errors = res.errors;
	s->retried += res.retried;
	sweeprate_adapt(s, &res, omapi_now_us());
	if (!res.complete) {	/* a poll is due: resume where it stopped */
		s->range = idx[res.resume_range < n ? res.resume_range : n - 1];
		s->next = res.resume_next;
	} else {
		s->range = lastidx;
		s->next = (uint64_t)ranges[n - 1].last + 1;
		t1 = omapi_now_us();
		if (res.found + res.notfound >= CONNS_JUDGE_MIN)
			sweeper_tune_conns(s, (double)(res.found +
			    res.notfound) * 1e6 / (double)(t1 - t0 + 1), nconns,
			    t1);
	}
	rv = 0;
out:
	free(ranges);
	free(idx);
	return rv;
}
