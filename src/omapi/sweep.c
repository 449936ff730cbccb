/*
 * sweep.c: look up the lease of every address in a set of ranges on one
 * connection, with a window of requests in flight and an optional rate
 * limit.
 *
 * Each lookup runs inside dhcpd's single-threaded loop, in competition with
 * DHCP traffic, so the rate limit spaces requests evenly (never a burst to
 * catch up after a stall), and the window keeps dhcpd busy without the
 * delayed-ACK stall of write-a-batch-then-read.
 */
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

/*
 * Lateness of the pacing made up for at most: 2 ms is 10 lookups at the
 * default 5,000/s.  Forgiving every late wakeup instead lost 3 % of the
 * rate on a quiet machine and 39 % on a busy one (make bench).
 */
#define SWEEP_CATCHUP_US	2000

/*
 * Paced lookups go out in groups of up to 1 ms worth (5 at 5,000/s), each
 * sent when its last lookup is due.  dhcpd pays ~60 us of CPU per wakeup
 * on top of ~30 us per signed lookup: one lookup per wakeup cost it 43 %
 * of a core at 5,000/s, a group per wakeup 13-16 % (make bench).  Rates
 * under 1,000/s still send one at a time.
 */
#define SWEEP_GROUP_US		1000

/* One request in flight: which address it asked for. */
struct slot {
	struct sweep	*sw;
	uint32_t	 ip;
	int64_t		 sent_us;
	struct slot	*next_free;
};

struct sweep {
	struct omapi_conn		*conn;
	const struct omapi_sweep_opts	*opts;
	omapi_sweep_fn			*fn;
	void				*arg;
	struct omapi_sweep_result	*res;
	size_t				 range;		/* current range */
	uint64_t			 next;		/* next address */
	int				 done_sending;
	unsigned			 inflight;
	struct slot			*free_slots;
	int				 failed;
	struct omapi_error		 err;
	int64_t				 interval_us;	/* 0: no limit */
	int64_t				 group_us;	/* wait for a group */
	int64_t				 next_send_us;
};

/* Advance to the next address to ask for; 0 when there is none. */
static int
sweep_next_ip(struct sweep *sw, uint32_t *ip)
{
	const struct omapi_sweep_opts *o = sw->opts;

	while (sw->range < o->nranges &&
	    sw->next > o->ranges[sw->range].last) {
		sw->range++;
		if (sw->range < o->nranges)
			sw->next = o->ranges[sw->range].first;
	}
	if (sw->range >= o->nranges)
		return 0;
	*ip = (uint32_t)sw->next++;
	return 1;
}

/*
 * What a reply to a lease lookup says: 1 a lease (in *lease), 0 no lease at
 * that address, -1 anything else (*err says what).  err is always filled
 * on -1, whatever the reply held.
 */
static int
sweep_classify(const struct omapi_msg *m, struct omapi_lease *lease,
    struct omapi_error *err)
{
	if (m->hdr.opcode == OMAPI_OP_UPDATE &&
	    omapi_lease_decode(&m->object, lease) == 0)
		return 1;
	if (m->hdr.opcode != OMAPI_OP_STATUS)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "lease reply without a binding state");
	if (omapi_status_to_error(m, err) == 0)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "lease lookup answered with a bare success");
	return err->code == OMAPI_ERR_NOTFOUND ? 0 : -1;
}

/* One reply time into the histogram. */
static void
sweep_count_rtt(struct omapi_sweep_result *res, int64_t us)
{
	unsigned b = 0;

	if (us < 0)
		us = 0;
	while (b + 1 < OMAPI_SWEEP_RTT_BUCKETS && ((uint64_t)us >> (b + 1)))
		b++;
	res->rtt_hist[b]++;
	res->rtt_count++;
	if ((uint64_t)us > res->rtt_max_us)
		res->rtt_max_us = (uint64_t)us;
}

/*
 * The reply time under which a share q (0..1) of the replies came, in
 * microseconds, rounded up to its histogram bucket's end; 0 without
 * replies.
 */
uint64_t
omapi_sweep_rtt_quantile(const struct omapi_sweep_result *res, double q)
{
	uint64_t want, seen = 0;
	unsigned b;

	if (res->rtt_count == 0)
		return 0;
	want = (uint64_t)(q * (double)res->rtt_count + 0.5);
	if (want == 0)
		want = 1;
	for (b = 0; b < OMAPI_SWEEP_RTT_BUCKETS; b++) {
		seen += res->rtt_hist[b];
		if (seen >= want)
			break;
	}
	return b + 1 < 64 ? (uint64_t)1 << (b + 1) : res->rtt_max_us;
}

/*
 * A reply (or failure) for one address.  A missing lease is a normal answer;
 * an authentication failure or a broken connection ends the sweep, since
 * every later request would fail the same way.
 */
static void
sweep_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct slot *s = arg;
	struct sweep *sw = s->sw;
	struct omapi_error st;
	struct omapi_lease lease;
	int rc = -1;

	sw->inflight--;
	sweep_count_rtt(sw->res, omapi_now_us() - s->sent_us);
	if (e == NULL) {
		rc = sweep_classify(m, &lease, &st);
		e = &st;
	}
	if (rc == 1) {
		sw->res->found++;
		sw->fn(sw->arg, s->ip, &lease);
	} else if (rc == 0) {
		sw->res->notfound++;
		sw->fn(sw->arg, s->ip, NULL);
	} else {
		sw->res->errors++;
		if ((e->code == OMAPI_ERR_AUTH ||
		    omapi_conn_is_broken(sw->conn)) && !sw->failed) {
			sw->failed = 1;
			sw->err = *e;
		}
	}
	s->next_free = sw->free_slots;
	sw->free_slots = s;
}

/* Queue lookups while the window has room and the rate limit allows. */
static int
sweep_queue(struct sweep *sw)
{
	struct omapi_nv key = { "ip-address", NULL, 4 };
	struct omapi_nv type = { "type", "lease", 5 };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, &type, 1, &key, 1 };
	uint8_t be[4];
	struct slot *s;
	uint32_t ip;
	int64_t now = 0;

	key.value = be;
	if (sw->interval_us) {
		now = omapi_now_us();
		if (now < sw->next_send_us + sw->group_us)
			return 0;
	}
	while (!sw->failed && !sw->done_sending && sw->free_slots != NULL &&
	    omapi_conn_can_send(sw->conn)) {
		if (sw->interval_us && now < sw->next_send_us)
			break;
		if (!sweep_next_ip(sw, &ip)) {
			sw->done_sending = 1;
			break;
		}
		omapi_put_u32(be, ip);
		s = sw->free_slots;
		sw->free_slots = s->next_free;
		s->ip = ip;
		s->sent_us = now ? now : omapi_now_us();
		sw->inflight++;
		sw->res->requested++;
		if (omapi_conn_send(sw->conn, &req, sweep_reply, s,
		    &sw->err) == -1) {
			sw->failed = 1;
			return -1;
		}
		if (sw->interval_us) {
			/*
			 * Evenly spaced.  A late wakeup (a busy machine) is
			 * made up for, but never more than SWEEP_CATCHUP_US
			 * of it, so the rate holds without a burst.
			 */
			sw->next_send_us += sw->interval_us;
			if (sw->next_send_us < now - SWEEP_CATCHUP_US)
				sw->next_send_us = now - SWEEP_CATCHUP_US;
		}
	}
	return 0;
}

/*
 * Send lookups while the window has room and the rate limit allows, all
 * in one write (see omapi_conn_cork).
 */
static int
sweep_fill(struct sweep *sw)
{
	int rc;

	omapi_conn_cork(sw->conn, 1, NULL);
	rc = sweep_queue(sw);
	if (omapi_conn_cork(sw->conn, 0, rc == 0 ? &sw->err : NULL) == -1) {
		sw->failed = 1;
		rc = -1;
	}
	return rc;
}

/* How long the loop may wait for replies before it must send again. */
static int64_t
sweep_wait_us(const struct sweep *sw)
{
	int64_t wait;

	if (sw->failed || sw->done_sending || sw->free_slots == NULL ||
	    sw->interval_us == 0 || !omapi_conn_can_send(sw->conn))
		return -1;
	wait = sw->next_send_us + sw->group_us - omapi_now_us();
	return wait < 0 ? 0 : wait;
}

/*
 * Look up every address of the ranges; fn sees each answer.  Returns 0 when
 * every address was asked and answered (individual errors are counted in
 * res), -1 when the sweep had to stop (err says why).
 */
int
omapi_sweep(struct omapi_conn *c, const struct omapi_sweep_opts *o,
    omapi_sweep_fn *fn, void *arg, struct omapi_sweep_result *res,
    struct omapi_error *err)
{
	struct sweep sw;
	struct slot *slots;
	unsigned i, window = o->window ? o->window : OMAPI_SWEEP_DEFAULT_WINDOW;

	memset(res, 0, sizeof(*res));
	memset(&sw, 0, sizeof(sw));
	if (o->nranges == 0)
		return 0;
	if ((slots = calloc(window, sizeof(*slots))) == NULL)
		return omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
	for (i = 0; i < window; i++) {
		slots[i].sw = &sw;
		slots[i].next_free = i + 1 < window ? &slots[i + 1] : NULL;
	}
	sw.conn = c;
	sw.opts = o;
	sw.fn = fn;
	sw.arg = arg;
	sw.res = res;
	sw.next = o->ranges[0].first;
	sw.free_slots = slots;
	if (o->max_rate > 0) {
		sw.interval_us = (int64_t)(1e6 / o->max_rate);
		if (sw.interval_us < 1)
			sw.interval_us = 1;
		if (sw.interval_us < SWEEP_GROUP_US)
			sw.group_us = SWEEP_GROUP_US - sw.interval_us;
		/* the first group goes at once */
		sw.next_send_us = omapi_now_us() - sw.group_us;
	}
	while (sweep_fill(&sw) == 0 && !sw.failed &&
	    (!sw.done_sending || sw.inflight > 0)) {
		if (omapi_conn_pump_us(c, sweep_wait_us(&sw), &sw.err) == -1)
			sw.failed = 1;
	}
	/*
	 * A broken connection has already run every pending callback; a sweep
	 * that stopped on a live one (an authentication failure) abandons the
	 * rest, so no later reply reaches the slots freed here.
	 */
	if (sw.inflight > 0)
		omapi_conn_abandon(c, &sw.err);
	free(slots);
	if (sw.failed) {
		if (err)
			*err = sw.err;
		return -1;
	}
	return 0;
}
