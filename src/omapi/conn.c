/*
 * conn.c: one OMAPI connection with many requests in flight.
 *
 * Requests are encoded, signed and queued in an output buffer; whatever the
 * socket takes is written at once, the rest when poll says it can.  Replies
 * are read as they come, framed with the codec, verified, matched to their
 * request by rid == tid and handed to that request's callback.  dhcpd
 * answers in order, so the oldest request is almost always the match.
 *
 * The socket is non-blocking with TCP_NODELAY: a client that writes a batch
 * and only then reads stalls on delayed ACKs (omapi-notes.md), so the
 * intended use is a sliding window where each reply's callback sends the
 * next request.
 *
 * A connection that fails (reset, timeout, garbage in the stream) is
 * "broken": every pending request gets the error once and later calls fail
 * at once.  The caller closes it and opens a new one.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "omapi.h"
#include "omapi_int.h"

#define CONN_READ_CHUNK		(16 * 1024)
#define CONN_OUT_MAX		(4 * 1024 * 1024)
#define CONN_MAX_INFLIGHT	65536
#define CONN_DEFAULT_TIMEOUT	5000

struct pending {
	uint32_t	 tid;
	uint32_t	 size;		/* request bytes */
	int64_t		 deadline;	/* monotonic us */
	omapi_reply_fn	*fn;
	void		*arg;
};

struct omapi_conn {
	int			 fd;
	int			 broken;
	struct omapi_error	 broken_err;
	int			 io_timeout_ms;
	int			 cancel_fd;	/* 0: none */
	size_t			 max_msg;
	uint32_t		 next_tid;
	uint32_t		 authid;
	struct omapi_signer	*signer;

	struct omapi_buf	 out;
	size_t			 out_off;	/* bytes of out already sent */
	struct omapi_buf	 in;
	size_t			 in_off;	/* bytes of in already parsed */

	size_t			 inflight_bytes; /* requests in flight */
	size_t			 max_reply;	/* largest reply seen */
	int			 dispatching;	/* inside a callback */
	int			 corked;	/* queue requests, write later */

	struct pending		*pend;		/* ring of requests in flight */
	size_t			 pend_cap;	/* a power of two */
	size_t			 pend_head;
	size_t			 pend_count;

	struct omapi_conn_stats	 stats;
};

/* Monotonic time in microseconds, for deadlines and pacing. */
int64_t
omapi_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Wait up to timeout_us (-1: no limit) for events on fd or for the
 * caller's cancel descriptor (0: none).  Returns fd's revents (0 when the
 * time ran out), WAIT_CANCELLED, or -1 with errno set.
 */
#define WAIT_CANCELLED	(-2)
static int
wait_fd(int fd, short events, int cancel_fd, int64_t timeout_us)
{
	struct pollfd pfd[2];
	struct timespec ts;
	int n;

	pfd[0] = (struct pollfd){ .fd = fd, .events = events };
	pfd[1] = (struct pollfd){ .fd = cancel_fd, .events = POLLIN };
	if (timeout_us < 0)
		timeout_us = -1;
	ts.tv_sec = (time_t)(timeout_us / 1000000);
	ts.tv_nsec = (long)(timeout_us % 1000000) * 1000;
	n = ppoll(pfd, cancel_fd > 2 ? 2 : 1, timeout_us < 0 ? NULL : &ts,
	    NULL);
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	if (cancel_fd > 2 && pfd[1].revents != 0)
		return WAIT_CANCELLED;
	return pfd[0].revents;
}

static struct pending *
pend_at(struct omapi_conn *c, size_t i)
{
	return &c->pend[(c->pend_head + i) & (c->pend_cap - 1)];
}

/* Make room in the ring for one more request. */
static int
pend_reserve(struct omapi_conn *c)
{
	struct pending *np;
	size_t i, ncap;

	if (c->pend_count == c->pend_cap) {
		if (c->pend_cap >= CONN_MAX_INFLIGHT)
			return -1;
		ncap = c->pend_cap ? c->pend_cap * 2 : 64;
		if ((np = malloc(ncap * sizeof(*np))) == NULL)
			return -1;
		for (i = 0; i < c->pend_count; i++)
			np[i] = *pend_at(c, i);
		free(c->pend);
		c->pend = np;
		c->pend_cap = ncap;
		c->pend_head = 0;
	}
	return 0;
}

/* Add a request to the ring; pend_reserve made room for it. */
static void
pend_push(struct omapi_conn *c, const struct pending *p)
{
	*pend_at(c, c->pend_count) = *p;
	c->pend_count++;
}

/* Take the request with this tid out of the ring; -1 if there is none. */
static int
pend_take(struct omapi_conn *c, uint32_t tid, struct pending *out)
{
	size_t i, j;

	for (i = 0; i < c->pend_count; i++) {
		if (pend_at(c, i)->tid != tid)
			continue;
		*out = *pend_at(c, i);
		c->inflight_bytes -= out->size;
		if (i == 0) {
			c->pend_head = (c->pend_head + 1) & (c->pend_cap - 1);
		} else {
			for (j = i; j + 1 < c->pend_count; j++)
				*pend_at(c, j) = *pend_at(c, j + 1);
		}
		c->pend_count--;
		return 0;
	}
	return -1;
}

/*
 * Mark the connection broken and fail every request in flight with err.
 * Callbacks may run omapi_conn_send, which fails at once on a broken
 * connection, so the ring cannot grow while we drain it.
 */
static int
conn_break(struct omapi_conn *c, const struct omapi_error *err)
{
	struct pending p;

	if (!c->broken) {
		c->broken = 1;
		c->broken_err = *err;
	}
	while (c->pend_count > 0) {
		p = *pend_at(c, 0);
		c->pend_head = (c->pend_head + 1) & (c->pend_cap - 1);
		c->pend_count--;
		c->inflight_bytes -= p.size;
		p.fn(p.arg, NULL, &c->broken_err);
	}
	return -1;
}

static int
conn_fail(struct omapi_conn *c, struct omapi_error *out,
    enum omapi_errcode code, const char *what)
{
	struct omapi_error e;

	omapi_seterr(&e, code, "%s", what);
	conn_break(c, &e);
	if (out)
		*out = c->broken_err;
	return -1;
}

/* Copy the reason the connection broke into err; returns -1. */
static int
broken_error(const struct omapi_conn *c, struct omapi_error *err)
{
	if (err)
		*err = c->broken_err;
	return -1;
}

/* Write what the socket takes now.  0, or -1 when the connection failed. */
static int
conn_write(struct omapi_conn *c, struct omapi_error *err)
{
	ssize_t n;
	char what[OMAPI_ERRLEN];

	while (c->out_off < c->out.len) {
		n = send(c->fd, c->out.data + c->out_off,
		    c->out.len - c->out_off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1) {
			snprintf(what, sizeof(what), "send: %s",
			    strerror(errno));
			return conn_fail(c, err, OMAPI_ERR_CONNECTION, what);
		}
		c->out_off += (size_t)n;
		c->stats.bytes_out += (uint64_t)n;
	}
	if (c->out_off == c->out.len) {
		c->out.len = 0;
		c->out_off = 0;
	}
	return 0;
}

/* Encode, sign and queue a request; its tid and size go in p. */
static int
conn_queue(struct omapi_conn *c, const struct omapi_request *req,
    uint32_t authid, struct omapi_signer *signer, struct pending *p,
    struct omapi_error *err)
{
	size_t start, siglen = omapi_signer_len(signer);

	if (c->out.len - c->out_off > CONN_OUT_MAX / 2)
		return omapi_seterr(err, OMAPI_ERR_TIMEOUT,
		    "server is not reading our requests");

	if (c->out_off > 0 && c->out_off >= c->out.len / 2) {
		omapi_buf_consume(&c->out, c->out_off);
		c->out_off = 0;
	}
	start = c->out.len;
	p->tid = c->next_tid++;
	if (c->next_tid == 0)
		c->next_tid = 1;
	if (omapi_msg_encode(&c->out, req, authid, (uint32_t)siglen, p->tid,
	    err) == -1)
		return -1;
	if (signer && omapi_signer_sign(signer, c->out.data + start + 4,
	    c->out.len - start - 4 - siglen, c->out.data + c->out.len -
	    siglen) == -1) {
		c->out.len = start;
		return omapi_seterr(err, OMAPI_ERR_INVALID, "signing failed");
	}
	p->size = (uint32_t)(c->out.len - start);
	return 0;
}

/*
 * Send a request; fn(arg, ...) is called exactly once with its reply or
 * its failure, from a later omapi_conn_pump (or at once, from this call,
 * if the connection breaks while writing).  On -1, fn has run when the
 * connection is now broken (the request was queued, then the write
 * failed), and will never run otherwise (nothing was queued).
 */
int
omapi_conn_send(struct omapi_conn *c, const struct omapi_request *req,
    omapi_reply_fn *fn, void *arg, struct omapi_error *err)
{
	struct pending p;

	if (c->broken)
		return broken_error(c, err);
	/* Wait for room under dhcpd's signed-buffer limit (see omapi.h). */
	while (!omapi_conn_can_send(c)) {
		if (c->dispatching)
			return omapi_seterr(err, OMAPI_ERR_INVALID, "no room "
			    "for another signed request in flight");
		if (omapi_conn_pump(c, -1, err) == -1)
			return -1;
	}
	if (pend_reserve(c) == -1)
		return omapi_seterr(err, OMAPI_ERR_NOMEM,
		    "too many requests in flight");
	if (conn_queue(c, req, c->authid, c->signer, &p, err) == -1)
		return -1;
	c->inflight_bytes += p.size;
	p.deadline = omapi_now_us() + (int64_t)c->io_timeout_ms * 1000;
	p.fn = fn;
	p.arg = arg;
	pend_push(c, &p);
	c->stats.requests++;
	if (c->corked)
		return 0;
	return conn_write(c, NULL) == -1 ? broken_error(c, err) : 0;
}

/*
 * While corked, requests are only queued; uncorking writes them all at
 * once, and so does the next pump.  A sweep that refills its window with
 * one write instead of one per request spends a third of the CPU per
 * lookup, and dhcpd reads many requests per wakeup (each send with
 * TCP_NODELAY is a segment of its own).
 */
int
omapi_conn_cork(struct omapi_conn *c, int on, struct omapi_error *err)
{
	c->corked = on;
	if (on || c->broken)
		return c->broken ? broken_error(c, err) : 0;
	return conn_write(c, err);
}

/*
 * Check a reply's signature.  With a key, every reply must carry our authid
 * and a valid signature; dhcpd answers a request whose signature it rejects
 * with an unsigned STATUS, which we report as an authentication failure.
 */
static int
reply_verify(struct omapi_conn *c, const struct omapi_msg *m,
    struct omapi_error *err)
{
	uint32_t result = 0;

	if (m->hdr.authid == 0 && m->hdr.authlen == 0) {
		if (c->signer == NULL)
			return 0;
		omapi_list_u32(&m->message, "result", &result);
		if (m->hdr.opcode == OMAPI_OP_STATUS &&
		    result == OMAPI_RESULT_BADSIG)
			omapi_seterr(err, OMAPI_ERR_AUTH, "server rejected our "
			    "signature: wrong secret for the key?");
		else
			omapi_seterr(err, OMAPI_ERR_AUTH, "unsigned reply on "
			    "an authenticated connection");
		err->result = result;
		return -1;
	}
	if (c->signer == NULL || m->hdr.authid != c->authid)
		return omapi_seterr(err, OMAPI_ERR_AUTH,
		    "reply signed with an unknown authenticator %u",
		    m->hdr.authid);
	if (omapi_signer_verify(c->signer, m->signed_data, m->signed_len,
	    m->sig, m->hdr.authlen) == -1)
		return omapi_seterr(err, OMAPI_ERR_AUTH,
		    "reply signature does not verify");
	return 0;
}

/* Frame, verify and dispatch every complete reply in the input buffer. */
static int
conn_dispatch(struct omapi_conn *c, struct omapi_error *err)
{
	struct omapi_msg m;
	struct omapi_error e;
	struct pending p;
	int rc, n = 0, bad;

	for (;;) {
		rc = omapi_msg_decode(c->in.data + c->in_off,
		    c->in.len - c->in_off, c->max_msg, &m, &e);
		if (rc == 0)
			break;
		if (rc == -1) {
			conn_break(c, &e);
			return broken_error(c, err);
		}
		c->in_off += m.size;
		c->stats.replies++;
		if (m.size > c->max_reply)
			c->max_reply = m.size;
		bad = reply_verify(c, &m, &e);
		if (pend_take(c, m.hdr.rid, &p) == -1) {
			c->stats.unmatched++;
			continue;
		}
		c->dispatching++;
		p.fn(p.arg, bad ? NULL : &m, bad ? &e : NULL);
		c->dispatching--;
		n++;
		if (c->broken)
			break;
	}
	if (c->in_off == c->in.len) {
		c->in.len = 0;
		c->in_off = 0;
	}
	return n;
}

/* Read what has arrived and dispatch it.  Count dispatched, or -1. */
static int
conn_read(struct omapi_conn *c, struct omapi_error *err)
{
	char what[OMAPI_ERRLEN];
	ssize_t n;
	int one = 1;

	if (c->in_off > 0 && c->in.cap - c->in.len < CONN_READ_CHUNK) {
		omapi_buf_consume(&c->in, c->in_off);
		c->in_off = 0;
	}
	if (omapi_buf_reserve(&c->in, CONN_READ_CHUNK) == -1)
		return conn_fail(c, err, OMAPI_ERR_PROTOCOL,
		    "reply exceeds the message size limit");
	do
		n = recv(c->fd, c->in.data + c->in.len,
		    c->in.cap - c->in.len, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n == -1) {
		snprintf(what, sizeof(what), "recv: %s", strerror(errno));
		return conn_fail(c, err, OMAPI_ERR_CONNECTION, what);
	}
	if (n == 0)
		return conn_fail(c, err, OMAPI_ERR_CONNECTION,
		    c->in.len > c->in_off ? "server closed the connection "
		    "in the middle of a reply" :
		    "server closed the connection");
	c->in.len += (size_t)n;
	c->stats.bytes_in += (uint64_t)n;
	/*
	 * dhcpd writes its replies in 4 KiB pieces without TCP_NODELAY, so
	 * Nagle holds each piece until the last one is acknowledged; a
	 * delayed ACK from us (up to 40 ms, whenever we have no request to
	 * piggyback it on) stalls the rest of the replies.  Linux clears
	 * quick-ACK mode by itself, so it is set again after every read.
	 */
	setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	return conn_dispatch(c, err);
}

/* Fail the connection if the oldest request has waited too long. */
static int
conn_check_deadline(struct omapi_conn *c, int64_t now, struct omapi_error *err)
{
	char what[OMAPI_ERRLEN];

	if (c->pend_count == 0 || pend_at(c, 0)->deadline > now)
		return 0;
	snprintf(what, sizeof(what), "no reply within %d ms",
	    c->io_timeout_ms);
	return conn_fail(c, err, OMAPI_ERR_TIMEOUT, what);
}

/*
 * Move bytes both ways for up to timeout_us (-1: until something is
 * dispatched or a request times out).  Returns the number of callbacks run
 * (0 when the time ran out first), or -1 when the connection broke.
 */
int
omapi_conn_pump_us(struct omapi_conn *c, int64_t timeout_us,
    struct omapi_error *err)
{
	int64_t now, end, wait;
	int n, ev;

	if (c->broken)
		return broken_error(c, err);
	now = omapi_now_us();
	end = timeout_us < 0 ? INT64_MAX : now + timeout_us;
	for (;;) {
		if (conn_check_deadline(c, now, err) == -1)
			return -1;
		wait = end - now;
		if (c->pend_count > 0 && pend_at(c, 0)->deadline - now < wait)
			wait = pend_at(c, 0)->deadline - now;
		if (wait < 0)
			wait = 0;
		ev = wait_fd(c->fd, POLLIN | (c->out.len > c->out_off ?
		    POLLOUT : 0), c->cancel_fd, wait == INT64_MAX ? -1 : wait);
		if (ev == WAIT_CANCELLED)
			return conn_fail(c, err, OMAPI_ERR_CANCELLED,
			    "cancelled");
		if (ev == -1)
			return conn_fail(c, err, OMAPI_ERR_CONNECTION, "poll");
		if ((ev & POLLOUT) && conn_write(c, err) == -1)
			return -1;
		if (ev & (POLLIN | POLLHUP | POLLERR)) {
			if ((n = conn_read(c, err)) != 0)
				return n;
		}
		now = omapi_now_us();
		if (now >= end)
			return conn_check_deadline(c, now, err);
	}
}

int
omapi_conn_pump(struct omapi_conn *c, int timeout_ms, struct omapi_error *err)
{
	return omapi_conn_pump_us(c, timeout_ms < 0 ? -1 :
	    (int64_t)timeout_ms * 1000, err);
}

/* Block until everything queued has been written. */
int
omapi_conn_flush(struct omapi_conn *c, struct omapi_error *err)
{
	int ev;

	while (!c->broken && c->out.len > c->out_off) {
		ev = wait_fd(c->fd, POLLOUT, c->cancel_fd,
		    (int64_t)c->io_timeout_ms * 1000);
		if (ev == WAIT_CANCELLED)
			return conn_fail(c, err, OMAPI_ERR_CANCELLED,
			    "cancelled");
		if (ev == 0)
			return conn_fail(c, err, OMAPI_ERR_TIMEOUT,
			    "server does not read our requests");
		if (conn_write(c, err) == -1)
			return -1;
	}
	return c->broken ? broken_error(c, err) : 0;
}

/*
 * Whether one more request may go out now.  Always on an unsigned
 * connection and with nothing in flight; on a signed one, while the
 * requests in flight and their expected replies stay under the limit that
 * keeps dhcpd's buffers from wrapping (see omapi.h).
 */
int
omapi_conn_can_send(const struct omapi_conn *c)
{
	size_t reply = c->max_reply > OMAPI_REPLY_SIZE_GUESS ?
	    c->max_reply : OMAPI_REPLY_SIZE_GUESS;

	if (c->signer == NULL || c->pend_count == 0)
		return 1;
	return (c->pend_count + 1) * reply <= OMAPI_SIGNED_INFLIGHT_BYTES &&
	    c->inflight_bytes + OMAPI_REPLY_SIZE_GUESS <=
	    OMAPI_SIGNED_INFLIGHT_BYTES;
}

/*
 * Wait up to timeout_us (-1: no limit) until one of n connections has
 * something to read or room to write what it queued; broken ones are
 * skipped.  0 when the caller should pump them (omapi_conn_pump_us with
 * 0), -1 when the first connection's cancel descriptor fired (every
 * connection is then broken) or none is left.
 */
int
omapi_conn_wait_many(struct omapi_conn *const *c, size_t n,
    int64_t timeout_us, struct omapi_error *err)
{
	struct pollfd pfd[OMAPI_SWEEP_CONNS_MAX + 1];
	struct omapi_error e;
	struct timespec ts;
	size_t i, k = 0;
	int cancel_fd = n > 0 ? c[0]->cancel_fd : 0;

	for (i = 0; i < n && k < OMAPI_SWEEP_CONNS_MAX; i++)
		if (!c[i]->broken)
			pfd[k++] = (struct pollfd){ .fd = c[i]->fd,
			    .events = POLLIN | (c[i]->out.len > c[i]->out_off ?
			    POLLOUT : 0) };
	if (k == 0)
		return omapi_seterr(err, OMAPI_ERR_CONNECTION,
		    "no connection left");
	if (cancel_fd > 2)
		pfd[k++] = (struct pollfd){ .fd = cancel_fd, .events = POLLIN };
	ts.tv_sec = (time_t)(timeout_us / 1000000);
	ts.tv_nsec = (long)(timeout_us % 1000000) * 1000;
	if (ppoll(pfd, k, timeout_us < 0 ? NULL : &ts, NULL) == -1 &&
	    errno != EINTR)
		return omapi_seterr(err, OMAPI_ERR_CONNECTION, "poll: %s",
		    strerror(errno));
	if (cancel_fd > 2 && pfd[k - 1].revents != 0) {
		omapi_seterr(&e, OMAPI_ERR_CANCELLED, "cancelled");
		for (i = 0; i < n; i++)
			conn_break(c[i], &e);
		if (err)
			*err = e;
		return -1;
	}
	return 0;
}

unsigned
omapi_conn_inflight(const struct omapi_conn *c)
{
	return (unsigned)c->pend_count;
}

/*
 * Give up on every request in flight: the connection is marked broken and
 * each pending callback runs now, with err.  For a caller that stops early
 * (a sweep that met an authentication failure) and is about to free what
 * its callbacks point at: a reply arriving later must find no callback.
 */
void
omapi_conn_abandon(struct omapi_conn *c, const struct omapi_error *err)
{
	conn_break(c, err);
}

int
omapi_conn_is_broken(const struct omapi_conn *c)
{
	return c->broken;
}

const struct omapi_conn_stats *
omapi_conn_stats(const struct omapi_conn *c)
{
	return &c->stats;
}

/* What a wait that ended without its event means: a timeout or a stop. */
static int
wait_failed(int ev, struct omapi_error *err, const char *what, int ms)
{
	if (ev == WAIT_CANCELLED)
		return omapi_seterr(err, OMAPI_ERR_CANCELLED, "cancelled");
	if (ev == 0)
		return omapi_seterr(err, OMAPI_ERR_TIMEOUT, "%s within %d ms",
		    what, ms);
	return omapi_seterr(err, OMAPI_ERR_CONNECTION, "poll: %s",
	    strerror(errno));
}

/*
 * Connect by the deadline (monotonic us) or until cancelled; the socket is
 * left non-blocking.
 */
static int
tcp_connect(const struct omapi_conn_opts *o, int64_t deadline, int ms,
    struct omapi_error *err)
{
	const char *host = o->host ? o->host : "127.0.0.1";
	uint16_t port = o->port ? o->port : OMAPI_DEFAULT_PORT;
	struct addrinfo hints, *res, *ai;
	char portstr[8], what[OMAPI_ERRLEN];
	int fd = -1, rc, ev, soerr, one = 1;
	socklen_t sl;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if ((rc = getaddrinfo(host, portstr, &hints, &res)) != 0)
		return omapi_seterr(err, OMAPI_ERR_CONNECTION,
		    "cannot resolve %s: %s", host, gai_strerror(rc));
	omapi_seterr(err, OMAPI_ERR_CONNECTION, "no address for %s", host);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			ev = wait_fd(fd, POLLOUT, o->cancel_fd,
			    deadline - omapi_now_us());
			sl = sizeof(soerr);
			if (ev > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR,
			    &soerr, &sl) == 0 && soerr == 0)
				break;
			if (ev > 0)
				omapi_seterr(err, OMAPI_ERR_CONNECTION,
				    "connect to %s port %u: %s", host, port,
				    strerror(soerr));
			else {
				snprintf(what, sizeof(what), "connect to %s "
				    "port %u: no answer", host, port);
				wait_failed(ev, err, what, ms);
			}
		} else
			omapi_seterr(err, OMAPI_ERR_CONNECTION,
			    "connect to %s port %u: %s", host, port,
			    strerror(errno));
		close(fd);
		fd = -1;
		if (err->code == OMAPI_ERR_CANCELLED)
			break;
	}
	freeaddrinfo(res);
	return fd;
}

/*
 * Exchange startup messages, ours out, the server's in, by the deadline
 * that also bounds the connect (connect_timeout covers both).
 */
static int
conn_startup(struct omapi_conn *c, int64_t deadline, int ms,
    struct omapi_error *err)
{
	ssize_t n;
	int rc, ev;

	if (omapi_startup_encode(&c->out) == -1 || conn_write(c, err) == -1)
		return -1;
	if (omapi_buf_reserve(&c->in, CONN_READ_CHUNK) == -1)
		return omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
	while ((rc = omapi_startup_decode(c->in.data, c->in.len, err)) == 0) {
		ev = wait_fd(c->fd, POLLIN, c->cancel_fd,
		    deadline - omapi_now_us());
		if (ev <= 0 || deadline <= omapi_now_us())
			return wait_failed(ev > 0 ? 0 : ev, err,
			    "server sent no OMAPI greeting", ms);
		n = recv(c->fd, c->in.data + c->in.len, 8 - c->in.len, 0);
		if (n == 0)
			return omapi_seterr(err, OMAPI_ERR_CONNECTION,
			    "server closed the connection during startup");
		if (n == -1 && errno != EINTR && errno != EAGAIN)
			return omapi_seterr(err, OMAPI_ERR_CONNECTION,
			    "recv: %s", strerror(errno));
		if (n > 0)
			c->in.len += (size_t)n;
	}
	if (rc == -1)
		return -1;
	c->in.len = 0;
	return omapi_conn_flush(c, err);
}

/*
 * Connect and exchange startup messages; open.c authenticates.  NULL and
 * err on failure.
 */
struct omapi_conn *
conn_connect(const struct omapi_conn_opts *o, struct omapi_error *err)
{
	struct omapi_conn *c;
	size_t max = o->max_msg ? o->max_msg : OMAPI_DEFAULT_MAX_MSG;
	int ctimeout = o->connect_timeout_ms > 0 ? o->connect_timeout_ms :
	    CONN_DEFAULT_TIMEOUT;
	int64_t deadline;

	omapi_clearerr(err);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
		return NULL;
	}
	c->fd = -1;
	c->max_msg = max;
	c->io_timeout_ms = o->io_timeout_ms > 0 ? o->io_timeout_ms :
	    CONN_DEFAULT_TIMEOUT;
	c->next_tid = 1;
	omapi_buf_init(&c->out, CONN_OUT_MAX);
	omapi_buf_init(&c->in, max + CONN_READ_CHUNK);
	c->cancel_fd = o->cancel_fd;
	deadline = omapi_now_us() + (int64_t)ctimeout * 1000;
	if ((c->fd = tcp_connect(o, deadline, ctimeout, err)) == -1)
		goto fail;
	if (conn_startup(c, deadline, ctimeout, err) == -1)
		goto fail;
	return c;
fail:
	omapi_conn_close(c);
	return NULL;
}

/* Sign every later request as authid with signer (the conn owns it). */
void
conn_set_auth(struct omapi_conn *c, uint32_t authid,
    struct omapi_signer *signer)
{
	c->authid = authid;
	c->signer = signer;
}

/* Close the socket and free everything; pending callbacks are not run. */
void
omapi_conn_close(struct omapi_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd != -1)
		close(c->fd);
	omapi_signer_free(c->signer);
	omapi_buf_free(&c->out);
	omapi_buf_free(&c->in);
	free(c->pend);
	free(c);
}
