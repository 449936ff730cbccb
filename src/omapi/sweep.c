/*
 * sweep.c: look up the lease of every address in a set of ranges on one
 * or more connections to one server, with a window of requests in flight,
 * an optional rate limit and an optional deadline.
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

/* One connection of the sweep. */
struct lane {
	struct omapi_conn	*conn;
	int			 lost;		/* broke: left out */
};

/* One request in flight: which address it asked for, and where. */
struct slot {
	struct sweep	*sw;
	struct lane	*lane;
	uint32_t	 ip;
	int64_t		 sent_us;
	struct slot	*next_free;
};

struct sweep {
	struct lane			 lanes[OMAPI_SWEEP_CONNS_MAX];
	size_t				 nlanes;
	size_t				 alive;
	size_t				 turn;		/* next lane to fill */
	const struct omapi_sweep_opts	*opts;
	omapi_sweep_fn			*fn;
	void				*arg;
	struct omapi_sweep_result	*res;
	size_t				 range;		/* current range */
	uint64_t			 next;		/* next address */
	uint32_t			*retry;		/* to ask again */
	size_t				 nretry;
	int				 done_sending;
	unsigned			 inflight;
	unsigned			 window;
	struct slot			*free_slots;
	int				 failed;
	struct omapi_error		 err;
	int64_t				 interval_us;	/* 0: no limit */
	int64_t				 group_us;	/* wait for a group */
	int64_t				 next_send_us;
};

/*
 * The next address to ask for: one to ask again first, then the next of
 * the ranges unless the deadline has passed.  0 when there is none.
 */
static int
sweep_next_ip(struct sweep *sw, int64_t now, uint32_t *ip)
{
	const struct omapi_sweep_opts *o = sw->opts;

	if (sw->nretry > 0) {
		*ip = sw->retry[--sw->nretry];
		return 1;
	}
	if (o->deadline_us && now >= o->deadline_us)
		return 0;
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
 * A connection of the sweep broke under one of its requests: leave it
 * out, and ask for the address again on another.  With none left, or on
 * an authentication failure (every connection would fail alike), the
 * sweep stops.
 */
static void
sweep_stop(struct sweep *sw, const struct omapi_error *e)
{
	if (!sw->failed) {
		sw->failed = 1;
		sw->err = *e;
	}
}

/* Leave out a connection that broke; the sweep stops with none left. */
static void
sweep_lose_lane(struct sweep *sw, struct lane *l, const struct omapi_error *e)
{
	if (l->lost)
		return;
	l->lost = 1;
	sw->alive--;
	sw->res->conns_lost++;
	if (sw->alive == 0)
		sweep_stop(sw, e);
}

static void
sweep_lane_failed(struct sweep *sw, struct slot *s, const struct omapi_error *e)
{
	sw->res->errors++;
	if (e->code == OMAPI_ERR_AUTH || e->code == OMAPI_ERR_CANCELLED) {
		sweep_stop(sw, e);
		return;
	}
	if (!omapi_conn_is_broken(s->lane->conn))
		return;		/* counted; the connection goes on */
	sweep_lose_lane(sw, s->lane, e);
	if (sw->failed)
		return;
	sw->res->errors--;	/* not an answer: asked again */
	sw->retry[sw->nretry++] = s->ip;	/* at most one per slot */
	sw->res->retried++;
	sw->done_sending = 0;
}

/*
 * A reply (or failure) for one address.  A missing lease is a normal
 * answer; a broken connection hands the address to another one.
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
	if (e == NULL)
		rc = sweep_classify(m, &lease, &st);
	if (rc == 1) {
		sw->res->found++;
		sw->fn(sw->arg, s->ip, &lease);
	} else if (rc == 0) {
		sw->res->notfound++;
		sw->fn(sw->arg, s->ip, NULL);
	} else if (e == NULL) {
		sw->res->errors++;	/* an answer, but not a lease */
		if (st.code == OMAPI_ERR_AUTH)	/* every later one alike */
			sweep_stop(sw, &st);
	} else
		sweep_lane_failed(sw, s, e);
	s->next_free = sw->free_slots;
	sw->free_slots = s;
}

/* The next live connection, after the last one used, that can send. */
static struct lane *
sweep_pick_lane(struct sweep *sw)
{
	struct lane *l;
	size_t i;

	for (i = 0; i < sw->nlanes; i++) {
		l = &sw->lanes[(sw->turn + i) % sw->nlanes];
		if (!l->lost && !omapi_conn_is_broken(l->conn) &&
		    omapi_conn_can_send(l->conn)) {
			sw->turn = (sw->turn + i + 1) % sw->nlanes;
			return l;
		}
	}
	return NULL;
}

/* Queue lookups while the window has room and the rate limit allows. */
static int
sweep_queue(struct sweep *sw)
{
	struct omapi_nv key = { "ip-address", NULL, 4 };
	struct omapi_nv type = { "type", "lease", 5 };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, &type, 1, &key, 1 };
	struct omapi_error e;
	struct lane *l;
	uint8_t be[4];
	struct slot *s;
	uint32_t ip;
	int64_t now = omapi_now_us();

	key.value = be;
	if (sw->interval_us && now < sw->next_send_us + sw->group_us)
		return 0;
	while (!sw->failed && !sw->done_sending && sw->free_slots != NULL) {
		if (sw->interval_us && now < sw->next_send_us)
			break;
		if ((l = sweep_pick_lane(sw)) == NULL)
			break;
		if (!sweep_next_ip(sw, now, &ip)) {
			sw->done_sending = 1;	/* until a retry comes */
			break;
		}
		omapi_put_u32(be, ip);
		s = sw->free_slots;
		sw->free_slots = s->next_free;
		s->ip = ip;
		s->lane = l;
		s->sent_us = now;
		sw->inflight++;
		sw->res->requested++;
		if (omapi_conn_send(l->conn, &req, sweep_reply, s, &e) == -1 &&
		    !omapi_conn_is_broken(l->conn)) {
			/* nothing was queued: the callback never runs */
			sw->inflight--;
			sw->res->requested--;
			s->next_free = sw->free_slots;
			sw->free_slots = s;
			sw->failed = 1;
			sw->err = e;
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
 * Send lookups while the window has room and the rate limit allows, each
 * connection's share in one write (see omapi_conn_cork).
 */
static int
sweep_fill(struct sweep *sw)
{
	size_t i;
	int rc;

	for (i = 0; i < sw->nlanes; i++)
		if (!sw->lanes[i].lost)
			omapi_conn_cork(sw->lanes[i].conn, 1, NULL);
	rc = sweep_queue(sw);
	for (i = 0; i < sw->nlanes; i++)
		if (!sw->lanes[i].lost)
			omapi_conn_cork(sw->lanes[i].conn, 0, NULL);
	return rc;
}

/* How long the loop may wait for replies before it must send again. */
static int64_t
sweep_wait_us(const struct sweep *sw)
{
	int64_t wait = -1, now = omapi_now_us();

	if (!sw->failed && !sw->done_sending && sw->free_slots != NULL &&
	    sw->interval_us != 0) {
		wait = sw->next_send_us + sw->group_us - now;
		if (wait < 0)
			wait = 0;
	}
	if (sw->opts->deadline_us && !sw->done_sending) {
		int64_t d = sw->opts->deadline_us - now;

		if (d < 0)
			d = 0;
		if (wait < 0 || d < wait)
			wait = d;
	}
	return wait;
}

/* Move replies on every live connection; -1 when the sweep must stop. */
static int
sweep_pump(struct sweep *sw)
{
	struct omapi_conn *conns[OMAPI_SWEEP_CONNS_MAX];
	struct lane *lanes[OMAPI_SWEEP_CONNS_MAX];
	struct omapi_error e;
	int64_t wait = sweep_wait_us(sw);
	size_t i, n = 0;

	for (i = 0; i < sw->nlanes; i++)
		if (!sw->lanes[i].lost) {
			lanes[n] = &sw->lanes[i];
			conns[n++] = sw->lanes[i].conn;
		}
	if (n > 1) {
		/* A stuck connection's reply deadline is checked this often. */
		if (wait < 0 || wait > 100000)
			wait = 100000;
		if (omapi_conn_wait_many(conns, n, wait, &e) == -1) {
			sweep_stop(sw, &e);
			return -1;
		}
		wait = 0;
	}
	/* One connection waits in its own pump: no extra poll per batch. */
	for (i = 0; i < n; i++)
		if (omapi_conn_pump_us(conns[i], wait, &e) == -1)
			sweep_lose_lane(sw, lanes[i], &e);
	return sw->failed ? -1 : 0;
}

/*
 * Look up every address of the ranges on n connections; fn sees each
 * answer, once per address.  Returns 0 when every address asked was
 * answered (individual errors are counted in res; res->complete says
 * whether every range was covered or the deadline came first), -1 when
 * the sweep had to stop (err says why).
 */
int
omapi_sweep_many(struct omapi_conn *const *conns, size_t n,
    const struct omapi_sweep_opts *o, omapi_sweep_fn *fn, void *arg,
    struct omapi_sweep_result *res, struct omapi_error *err)
{
	struct sweep sw;
	struct slot *slots;
	unsigned i, window = o->window ? o->window : OMAPI_SWEEP_DEFAULT_WINDOW;

	memset(res, 0, sizeof(*res));
	memset(&sw, 0, sizeof(sw));
	if (n == 0 || n > OMAPI_SWEEP_CONNS_MAX)
		return omapi_seterr(err, OMAPI_ERR_INVALID, "a sweep takes 1 to "
		    "%d connections", OMAPI_SWEEP_CONNS_MAX);
	if (o->nranges == 0) {
		res->complete = 1;
		return 0;
	}
	slots = calloc(window, sizeof(*slots));
	sw.retry = calloc(window, sizeof(*sw.retry));
	if (slots == NULL || sw.retry == NULL) {
		free(slots);
		free(sw.retry);
		return omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < window; i++) {
		slots[i].sw = &sw;
		slots[i].next_free = i + 1 < window ? &slots[i + 1] : NULL;
	}
	for (i = 0; i < n; i++) {
		sw.lanes[i].conn = conns[i];
		sw.lanes[i].lost = omapi_conn_is_broken(conns[i]);
		sw.alive += !sw.lanes[i].lost;
	}
	sw.nlanes = n;
	sw.window = window;
	sw.opts = o;
	sw.fn = fn;
	sw.arg = arg;
	sw.res = res;
	sw.next = o->ranges[0].first;
	sw.free_slots = slots;
	if (sw.alive == 0) {
		sw.failed = 1;
		omapi_seterr(&sw.err, OMAPI_ERR_CONNECTION, "no connection");
	}
	if (o->max_rate > 0) {
		sw.interval_us = (int64_t)(1e6 / o->max_rate);
		if (sw.interval_us < 1)
			sw.interval_us = 1;
		if (sw.interval_us < SWEEP_GROUP_US)
			sw.group_us = SWEEP_GROUP_US - sw.interval_us;
		/* the first group goes at once */
		sw.next_send_us = omapi_now_us() - sw.group_us;
	}
	while (!sw.failed && sweep_fill(&sw) == 0 && !sw.failed &&
	    (!sw.done_sending || sw.inflight > 0 || sw.nretry > 0)) {
		if (sweep_pump(&sw) == -1)
			break;
	}
	/*
	 * A broken connection has already run every pending callback; a sweep
	 * that stopped on a live one (an authentication failure) abandons the
	 * rest, so no later reply reaches the slots freed here.
	 */
	for (i = 0; i < n && sw.inflight > 0; i++)
		if (!omapi_conn_is_broken(conns[i]))
			omapi_conn_abandon(conns[i], &sw.err);
	free(slots);
	free(sw.retry);
	if (sw.failed) {
		if (err)
			*err = sw.err;
		return -1;
	}
	res->resume_range = sw.range;
	res->resume_next = sw.next;
	res->complete = sw.range >= o->nranges ||
	    (sw.range + 1 == o->nranges && sw.next > o->ranges[sw.range].last);
	return 0;
}

int
omapi_sweep(struct omapi_conn *c, const struct omapi_sweep_opts *o,
    omapi_sweep_fn *fn, void *arg, struct omapi_sweep_result *res,
    struct omapi_error *err)
{
	return omapi_sweep_many(&c, 1, o, fn, arg, res, err);
}
