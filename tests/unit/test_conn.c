/*
 * test_conn.c: the connection against the fake OMAPI server in this
 * process (fake_omapi.c), which does the startup exchange (and the
 * authenticator open, when asked) and then either hands the socket to the
 * test, which plays the server step by step, or keeps answering every
 * request itself (echo mode, for sliding windows).
 */
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_omapi.h"
#include "omapi.h"

#define KEY_NAME	FAKE_KEY_NAME
#define KEY_B64		FAKE_KEY_B64
#define OTHER_B64	"c29tZSBvdGhlciBzZWNyZXQ="
#define AUTHID		FAKE_AUTHID

/* What a request's callback saw. */
struct seen {
	int			 calls;
	int			 have_reply;
	uint32_t		 opcode;
	uint32_t		 handle;
	uint32_t		 rid;
	char			 host[64];
	struct omapi_error	 err;
	/* For callbacks that send more (sliding window). */
	struct omapi_conn	*conn;
	int			 send_rc;
};

/* Open a client connection to f; joins the thread when the test plays
 * the server (FAKE_STEP), so the socket is the test's. */
static struct omapi_conn *
open_conn(struct fake *f, const struct omapi_key *key, int io_timeout,
    size_t max_msg, struct omapi_error *err)
{
	struct omapi_conn_opts o;
	struct omapi_conn *c;

	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = f->port;
	o.key = key;
	o.connect_timeout_ms = 2000;
	o.io_timeout_ms = io_timeout;
	o.max_msg = max_msg;
	c = omapi_conn_open(&o, err);
	if (f->mode == FAKE_STEP)
		fake_join(f);
	return c;
}

static void
on_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct seen *s = arg;
	const uint8_t *v;
	uint32_t len;

	s->calls++;
	if (e != NULL) {
		assert_null(m);
		s->err = *e;
		/* Sending from a failure callback fails at once. */
		if (s->conn != NULL) {
			struct omapi_request r = { OMAPI_OP_REFRESH, 1, 0,
			    NULL, 0, NULL, 0 };
			s->send_rc = omapi_conn_send(s->conn, &r, on_reply, s,
			    NULL);
		}
		return;
	}
	s->have_reply = 1;
	s->opcode = m->hdr.opcode;
	s->handle = m->hdr.handle;
	s->rid = m->hdr.rid;
	if (omapi_list_find(&m->object, "client-hostname", &v, &len) == 0 &&
	    len < sizeof(s->host)) {
		memcpy(s->host, v, len);
		s->host[len] = '\0';
	}
}

static void
send_lease(struct omapi_conn *c, struct seen *s)
{
	static const uint8_t ip[4] = { 10, 0, 0, 5 };
	struct omapi_nv msg[] = { { "type", "lease", 5 } };
	struct omapi_nv obj[] = { { "ip-address", ip, 4 } };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 1 };
	struct omapi_error err;

	assert_int_equal(omapi_conn_send(c, &req, on_reply, s, &err), 0);
}

/* Pump until every seen[] has been called (or fail after a while). */
static void
pump_until(struct omapi_conn *c, struct seen *s, size_t n)
{
	struct omapi_error err;
	int64_t end = fake_ms_now() + unit_limit_ms(5000);
	size_t i, done;

	for (;;) {
		for (i = done = 0; i < n; i++)
			done += s[i].calls > 0;
		if (done == n)
			return;
		assert_true(fake_ms_now() < end);
		assert_int_not_equal(omapi_conn_pump(c, 100, &err), -1);
	}
}

static void
assert_lease_reply(const struct seen *s, uint32_t tid)
{
	char want[32];

	assert_int_equal(s->calls, 1);
	assert_true(s->have_reply);
	assert_int_equal(s->opcode, OMAPI_OP_UPDATE);
	assert_int_equal(s->rid, tid);
	assert_int_equal(s->handle, 1000 + tid);
	snprintf(want, sizeof(want), "host-%u", tid);
	assert_string_equal(s->host, want);
}

static void
test_startup_exchange(void **state)
{
	static const uint8_t want[8] = { 0, 0, 0, 100, 0, 0, 0, 24 };
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;

	f->split_startup = 1;
	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	assert_memory_equal(f->client_startup, want, 8);
	assert_int_equal(omapi_conn_inflight(c), 0);
	assert_false(omapi_conn_is_broken(c));
	assert_int_equal(omapi_conn_stats(c)->requests, 0);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_startup_version_mismatch(void **state)
{
	static const uint8_t v99[8] = { 0, 0, 0, 99, 0, 0, 0, 24 };
	static const uint8_t h28[8] = { 0, 0, 0, 100, 0, 0, 0, 28 };
	struct fake *f;
	struct omapi_error err;

	f = fake_new();
	memcpy(f->startup, v99, 8);
	fake_start(f);
	assert_null(open_conn(f, NULL, 2000, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	assert_non_null(strstr(err.text, "version 99"));
	fake_stop(f);

	f = fake_new();
	memcpy(f->startup, h28, 8);
	fake_start(f);
	assert_null(open_conn(f, NULL, 2000, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	assert_non_null(strstr(err.text, "28-byte"));
	fake_stop(f);
}

static void
test_startup_timeout(void **state)
{
	struct fake *f = fake_new();
	struct omapi_error err;
	int64_t t0;

	f->no_startup = 1;
	fake_start(f);
	t0 = fake_ms_now();
	assert_null(open_conn(f, NULL, 300, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	assert_true(fake_ms_now() - t0 >= 250 &&
	    fake_ms_now() - t0 < unit_limit_ms(3000));
	fake_stop(f);
}

static void
test_connect_refused(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn_opts o;
	struct omapi_error err;

	/* A port that was just ours and is closed now. */
	fake_start(f);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = f->port;
	fake_stop(f);
	assert_null(omapi_conn_open(&o, &err));
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	assert_non_null(strstr(err.text, "refused"));
}

static void
test_request_reply(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s;
	uint8_t buf[2048];
	const uint8_t *v;
	uint32_t len, tid;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(&s, 0, sizeof(s));
	send_lease(c, &s);
	assert_int_equal(omapi_conn_inflight(c), 1);
	tid = fake_read_req(f, buf, &m);
	assert_int_equal(m.hdr.opcode, OMAPI_OP_OPEN);
	assert_int_equal(m.hdr.authid, 0);
	assert_int_equal(m.hdr.authlen, 0);
	assert_int_equal(omapi_list_find(&m.message, "type", &v, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(v, "lease", 5);
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, tid, 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_conn_pump(c, 2000, &err), 1);
	assert_lease_reply(&s, tid);
	assert_int_equal(omapi_conn_inflight(c), 0);
	assert_int_equal(omapi_conn_stats(c)->requests, 1);
	assert_int_equal(omapi_conn_stats(c)->replies, 1);
	assert_int_equal(omapi_conn_stats(c)->bytes_in, b.len);
	assert_int_equal(omapi_conn_stats(c)->bytes_out, 8 + m.size);
	/* Nothing more is pending: a pump just waits out its time. */
	assert_int_equal(omapi_conn_pump(c, 10, &err), 0);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

/* A reply cut at every byte offset still dispatches, once, correctly. */
static void
test_reply_split_every_offset(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s;
	uint8_t buf[2048];
	uint32_t tid;
	size_t k, total;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, 1, 0, NULL);
	total = b.len;
	for (k = 1; k < total; k++) {
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, 0, NULL);
		fake_write_all(f->sfd, b.data, k);
		assert_int_equal(omapi_conn_pump(c, 0, &err), 0);
		assert_int_equal(s.calls, 0);
		fake_write_all(f->sfd, b.data + k, b.len - k);
		pump_until(c, &s, 1);
		assert_lease_reply(&s, tid);
	}
	assert_int_equal(omapi_conn_stats(c)->unmatched, 0);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

/* Two replies dribbled one byte at a time, then two in one write. */
static void
test_reply_bytewise_and_batched(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s[2];
	uint8_t buf[2048];
	uint32_t tid[2];
	size_t k;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	omapi_buf_init(&b, 65536);
	memset(s, 0, sizeof(s));
	send_lease(c, &s[0]);
	send_lease(c, &s[1]);
	tid[0] = fake_read_req(f, buf, &m);
	tid[1] = fake_read_req(f, buf, &m);
	fake_build_lease(&b, tid[0], 0, NULL);
	fake_build_lease(&b, tid[1], 0, NULL);
	for (k = 0; k < b.len; k++) {
		fake_write_all(f->sfd, b.data + k, 1);
		assert_int_not_equal(omapi_conn_pump(c, 0, &err), -1);
	}
	pump_until(c, s, 2);
	assert_lease_reply(&s[0], tid[0]);
	assert_lease_reply(&s[1], tid[1]);

	memset(s, 0, sizeof(s));
	send_lease(c, &s[0]);
	send_lease(c, &s[1]);
	tid[0] = fake_read_req(f, buf, &m);
	tid[1] = fake_read_req(f, buf, &m);
	b.len = 0;
	fake_build_lease(&b, tid[0], 0, NULL);
	fake_build_lease(&b, tid[1], 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	usleep(20000);
	assert_int_equal(omapi_conn_pump(c, 2000, &err), 2);
	assert_lease_reply(&s[0], tid[0]);
	assert_lease_reply(&s[1], tid[1]);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_replies_out_of_order(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s[5];
	uint8_t buf[2048];
	uint32_t tid[5];
	static const int order[5] = { 2, 0, 4, 3, 1 };
	size_t i;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(s, 0, sizeof(s));
	for (i = 0; i < 5; i++)
		send_lease(c, &s[i]);
	assert_int_equal(omapi_conn_inflight(c), 5);
	for (i = 0; i < 5; i++)
		tid[i] = fake_read_req(f, buf, &m);
	omapi_buf_init(&b, 65536);
	for (i = 0; i < 5; i++)
		fake_build_lease(&b, tid[order[i]], 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	pump_until(c, s, 5);
	for (i = 0; i < 5; i++)
		assert_lease_reply(&s[i], tid[i]);
	assert_int_equal(omapi_conn_inflight(c), 0);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_unmatched_reply_ignored(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s;
	uint8_t buf[2048];
	uint32_t tid;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(&s, 0, sizeof(s));
	send_lease(c, &s);
	tid = fake_read_req(f, buf, &m);
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, tid + 1000, 0, NULL);	/* never sent */
	fake_build_lease(&b, 0, 0, NULL);		/* rid 0: unsolicited */
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_conn_pump(c, 100, &err), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(omapi_conn_stats(c)->unmatched, 2);
	assert_false(omapi_conn_is_broken(c));
	b.len = 0;
	fake_build_lease(&b, tid, 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	pump_until(c, &s, 1);
	assert_lease_reply(&s, tid);
	/* A second reply to an answered request is unmatched too. */
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_conn_pump(c, 100, &err), 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(omapi_conn_stats(c)->unmatched, 3);
	assert_int_equal(omapi_conn_stats(c)->replies, 4);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

/* Server closes in the middle of a reply: every request fails once. */
static void
test_close_mid_message(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s[3];
	uint8_t buf[2048];
	size_t i;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(s, 0, sizeof(s));
	for (i = 0; i < 3; i++) {
		send_lease(c, &s[i]);
		s[i].conn = c;	/* the callback tries to send again */
	}
	fake_read_req(f, buf, &m);
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, m.hdr.tid, 0, NULL);
	fake_write_all(f->sfd, b.data, 30);
	close(f->sfd);
	f->sfd = -1;
	assert_int_equal(omapi_conn_pump(c, -1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	assert_non_null(strstr(err.text, "middle of a reply"));
	for (i = 0; i < 3; i++) {
		assert_int_equal(s[i].calls, 1);
		assert_false(s[i].have_reply);
		assert_int_equal(s[i].err.code, OMAPI_ERR_CONNECTION);
		assert_int_equal(s[i].send_rc, -1);
	}
	assert_true(omapi_conn_is_broken(c));
	assert_int_equal(omapi_conn_inflight(c), 0);
	/* Later calls fail at once, with the same reason, no callback. */
	memset(&s[0], 0, sizeof(s[0]));
	{
		struct omapi_request r = { OMAPI_OP_REFRESH, 1, 0, NULL, 0,
		    NULL, 0 };
		omapi_clearerr(&err);
		assert_int_equal(omapi_conn_send(c, &r, on_reply, &s[0], &err),
		    -1);
		assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	}
	assert_int_equal(s[0].calls, 0);
	assert_int_equal(omapi_conn_pump(c, 100, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	assert_int_equal(s[1].calls, 1);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_close_between_messages(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_msg m;
	struct seen s;
	uint8_t buf[2048];

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(&s, 0, sizeof(s));
	send_lease(c, &s);
	fake_read_req(f, buf, &m);
	close(f->sfd);
	f->sfd = -1;
	assert_int_equal(omapi_conn_pump(c, -1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	assert_string_equal(err.text, "server closed the connection");
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.err.code, OMAPI_ERR_CONNECTION);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_timeout(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_msg m;
	struct seen s[2];
	uint8_t buf[2048];
	int64_t t0, dt;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 300, 0, &err));
	memset(s, 0, sizeof(s));
	t0 = fake_ms_now();
	send_lease(c, &s[0]);
	send_lease(c, &s[1]);
	fake_read_req(f, buf, &m);
	/* Before the deadline a pump just returns. */
	assert_int_equal(omapi_conn_pump(c, 50, &err), 0);
	assert_false(omapi_conn_is_broken(c));
	assert_int_equal(omapi_conn_pump(c, -1, &err), -1);
	dt = fake_ms_now() - t0;
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	assert_string_equal(err.text, "no reply within 300 ms");
	assert_true(dt >= 290 && dt < unit_limit_ms(1500));
	assert_int_equal(s[0].calls, 1);
	assert_int_equal(s[0].err.code, OMAPI_ERR_TIMEOUT);
	assert_int_equal(s[1].calls, 1);
	assert_int_equal(s[1].err.code, OMAPI_ERR_TIMEOUT);
	assert_true(omapi_conn_is_broken(c));
	omapi_conn_close(c);
	fake_stop(f);
}

/* A pump with a short timeout also notices an expired request. */
static void
test_timeout_short_pumps(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct seen s;
	int64_t t0;
	int rc;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 200, 0, &err));
	memset(&s, 0, sizeof(s));
	t0 = fake_ms_now();
	send_lease(c, &s);
	while ((rc = omapi_conn_pump(c, 30, &err)) == 0)
		assert_true(fake_ms_now() - t0 < unit_limit_ms(1500));
	assert_int_equal(rc, -1);
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	assert_true(fake_ms_now() - t0 >= 190);
	assert_int_equal(s.calls, 1);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
check_garbage(const uint8_t *junk, size_t len, size_t max_msg)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_msg m;
	struct seen s[2];
	uint8_t buf[2048];

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, max_msg, &err));
	memset(s, 0, sizeof(s));
	send_lease(c, &s[0]);
	send_lease(c, &s[1]);
	fake_read_req(f, buf, &m);
	fake_write_all(f->sfd, junk, len);
	assert_int_equal(omapi_conn_pump(c, 2000, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	assert_true(omapi_conn_is_broken(c));
	assert_int_equal(s[0].calls, 1);
	assert_int_equal(s[0].err.code, OMAPI_ERR_PROTOCOL);
	assert_int_equal(s[1].calls, 1);
	assert_int_equal(s[1].err.code, OMAPI_ERR_PROTOCOL);
	omapi_clearerr(&err);
	{
		struct omapi_request r = { OMAPI_OP_REFRESH, 1, 0, NULL, 0,
		    NULL, 0 };
		assert_int_equal(omapi_conn_send(c, &r, on_reply, &s[0], &err),
		    -1);
	}
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	omapi_conn_close(c);
	fake_stop(f);
}

static void
test_garbage(void **state)
{
	uint8_t junk[64], big[24 + 2 + 2 + 1 + 4];
	size_t i;

	/* opcode 99 */
	memset(junk, 0, sizeof(junk));
	junk[11] = 99;
	check_garbage(junk, 24, 0);
	/* HTTP instead of OMAPI */
	check_garbage((const uint8_t *)"HTTP/1.0 400 Bad Request\r\n\r\n", 28,
	    0);
	/* pseudo-random bytes */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 73 + 11);
	check_garbage(junk, sizeof(junk), 0);
	/* A value bigger than max_msg is refused from its length alone. */
	memset(big, 0, sizeof(big));
	big[11] = OMAPI_OP_UPDATE;	/* empty message list at 24 */
	big[27] = 1;			/* object list: a 1-byte name */
	big[28] = 'x';
	big[31] = 0x08;			/* value of 2048 bytes > 1024 */
	check_garbage(big, sizeof(big), 1024);
}

/* A keyed connection: the server thread grants authid AUTHID. */
static struct omapi_conn *
open_keyed(struct fake *f, enum omapi_alg alg, struct omapi_key *key,
    struct omapi_error *err)
{
	assert_int_equal(omapi_key_set(key, KEY_NAME, omapi_alg_name(alg),
	    KEY_B64, err), 0);
	f->auth = FAKE_AUTH_OK;
	fake_start(f);
	return open_conn(f, key, 2000, 0, err);
}

static void
check_auth_open(struct fake *f, enum omapi_alg alg)
{
	struct omapi_msg m;
	struct omapi_error err;
	const uint8_t *v;
	uint32_t len;
	const char *wire = omapi_alg_wire_name(alg);

	assert_int_equal(omapi_msg_decode(f->auth_req, f->auth_req_len, 65536,
	    &m, &err), 1);
	assert_int_equal(m.hdr.opcode, OMAPI_OP_OPEN);
	assert_int_equal(m.hdr.authid, 0);	/* the open is unsigned */
	assert_int_equal(m.hdr.authlen, 0);
	assert_int_equal(omapi_list_find(&m.message, "type", &v, &len), 0);
	assert_int_equal(len, 13);
	assert_memory_equal(v, "authenticator", 13);
	assert_int_equal(omapi_list_find(&m.object, "name", &v, &len), 0);
	assert_int_equal(len, strlen(KEY_NAME));
	assert_memory_equal(v, KEY_NAME, len);
	assert_int_equal(omapi_list_find(&m.object, "algorithm", &v, &len), 0);
	assert_int_equal(len, strlen(wire));
	assert_memory_equal(v, wire, len);
}

static void
test_signed_replies(void **state)
{
	static const enum omapi_alg algs[] = { OMAPI_ALG_HMAC_MD5,
	    OMAPI_ALG_HMAC_SHA1, OMAPI_ALG_HMAC_SHA256,
	    OMAPI_ALG_HMAC_SHA512 };
	struct omapi_key key;
	struct omapi_error err;
	struct omapi_signer *good, *bad;
	struct omapi_conn *c;
	struct omapi_buf b;
	struct omapi_msg m;
	struct fake *f;
	struct seen s;
	uint8_t buf[2048];
	uint32_t tid;
	size_t a;

	for (a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
		f = fake_new();
		assert_non_null(c = open_keyed(f, algs[a], &key, &err));
		check_auth_open(f, algs[a]);
		good = fake_signer(KEY_B64, algs[a]);
		bad = fake_signer(OTHER_B64, algs[a]);
		omapi_buf_init(&b, 65536);

		/* Our request is signed with authid and verifies. */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		assert_int_equal(m.hdr.authid, AUTHID);
		assert_int_equal(m.hdr.authlen, omapi_alg_siglen(algs[a]));
		assert_int_equal(omapi_signer_verify(good, m.signed_data,
		    m.signed_len, m.sig, m.hdr.authlen), 0);
		/* A good signature: the reply. */
		fake_build_lease(&b, tid, AUTHID, good);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_lease_reply(&s, tid);

		/* Signed with another secret. */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, AUTHID, bad);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_false(s.have_reply);
		assert_int_equal(s.err.code, OMAPI_ERR_AUTH);
		assert_string_equal(s.err.text,
		    "reply signature does not verify");

		/* One bit of a good signature flipped. */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, AUTHID, good);
		b.data[b.len - 1] ^= 1;
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_int_equal(s.err.code, OMAPI_ERR_AUTH);

		/* Good signature, someone else's authid. */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, AUTHID + 1, good);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_int_equal(s.err.code, OMAPI_ERR_AUTH);

		/* Unsigned reply on a keyed connection. */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, 0, NULL);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_int_equal(s.err.code, OMAPI_ERR_AUTH);
		assert_string_equal(s.err.text,
		    "unsigned reply on an authenticated connection");

		/*
		 * dhcpd's answer to a wrong secret: unsigned STATUS 0x6000b
		 * with no text.  The connection stays usable, as dhcpd's does.
		 */
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_status(&b, tid, OMAPI_RESULT_BADSIG, NULL, 0, NULL);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_false(s.have_reply);
		assert_int_equal(s.err.code, OMAPI_ERR_AUTH);
		assert_int_equal(s.err.result, OMAPI_RESULT_BADSIG);
		assert_false(omapi_conn_is_broken(c));
		memset(&s, 0, sizeof(s));
		send_lease(c, &s);
		tid = fake_read_req(f, buf, &m);
		b.len = 0;
		fake_build_lease(&b, tid, AUTHID, good);
		fake_write_all(f->sfd, b.data, b.len);
		pump_until(c, &s, 1);
		assert_lease_reply(&s, tid);

		omapi_buf_free(&b);
		omapi_signer_free(good);
		omapi_signer_free(bad);
		omapi_conn_close(c);
		fake_stop(f);
		omapi_key_wipe(&key);
	}
}

/* An unknown key name is answered "no object matches": that is AUTH. */
static void
test_auth_refused(void **state)
{
	struct fake *f = fake_new();
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(omapi_key_set(&key, KEY_NAME, "hmac-md5", KEY_B64,
	    &err), 0);
	f->auth = FAKE_AUTH_REFUSE;
	fake_start(f);
	assert_null(open_conn(f, &key, 2000, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_AUTH);
	assert_int_not_equal(err.code, OMAPI_ERR_NOTFOUND);
	assert_non_null(strstr(err.text, "'" KEY_NAME "'"));
	assert_null(strstr(err.text, KEY_B64));
	check_auth_open(f, OMAPI_ALG_HMAC_MD5);
	fake_stop(f);
	omapi_key_wipe(&key);
}

/* The server hangs up on, or never answers, the authenticator open. */
static void
test_auth_server_gone(void **state)
{
	struct fake *f;
	struct omapi_key key;
	struct omapi_error err;
	int64_t t0;

	assert_int_equal(omapi_key_set(&key, KEY_NAME, NULL, KEY_B64, &err),
	    0);
	f = fake_new();
	f->auth = FAKE_AUTH_HANGUP;
	fake_start(f);
	assert_null(open_conn(f, &key, 2000, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	fake_stop(f);

	f = fake_new();
	f->auth = FAKE_AUTH_SILENT;
	fake_start(f);
	t0 = fake_ms_now();
	assert_null(open_conn(f, &key, 300, 0, &err));
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	assert_true(fake_ms_now() - t0 >= 290 &&
	    fake_ms_now() - t0 < unit_limit_ms(2000));
	fake_stop(f);
	omapi_key_wipe(&key);
}

/* Unsigned connection, synchronous calls: STATUS results map to codes. */
static void
test_call_status_mapping(void **state)
{
	static const struct {
		uint32_t		 result;
		const char		*text;
		enum omapi_errcode	 code;
		const char		*want;
	} t[] = {
		{ OMAPI_RESULT_NOTFOUND, "no object matches specification",
		    OMAPI_ERR_NOTFOUND, "no object matches specification" },
		{ OMAPI_RESULT_BADSIG, NULL, OMAPI_ERR_AUTH,
		    "server rejected our signature" },
		{ OMAPI_RESULT_NOAUTH, "No authenticator on message",
		    OMAPI_ERR_AUTH, "No authenticator on message" },
		{ OMAPI_RESULT_NOAUTH, NULL, OMAPI_ERR_AUTH,
		    "server requires a key" },
		{ 0x60001, "object exists", OMAPI_ERR_STATUS, "object exists" },
		{ 0x60002, NULL, OMAPI_ERR_STATUS, "protocol error" },
		{ 27, NULL, OMAPI_ERR_STATUS, "not implemented" },
		{ 0x60042, NULL, OMAPI_ERR_STATUS, "server status 0x60042" },
	};
	static const uint8_t ip[4] = { 10, 0, 0, 5 };
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_object *o;
	struct omapi_buf b;
	uint32_t tid = 1, u;
	size_t i;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	omapi_buf_init(&b, 65536);
	/*
	 * omapi_call blocks, so the answer is written before the question:
	 * tids count up from 1 on a fresh connection.
	 */
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++, tid++) {
		b.len = 0;
		fake_build_status(&b, tid, t[i].result, t[i].text, 0, NULL);
		fake_write_all(f->sfd, b.data, b.len);
		o = (struct omapi_object *)&err;
		assert_int_equal(omapi_lease_by_ip(c, ip, &o, &err), -1);
		assert_null(o);
		assert_int_equal(err.code, t[i].code);
		assert_int_equal(err.result, t[i].result);
		assert_string_equal(err.text, t[i].want);
	}
	/* And a lease, as an owned object. */
	b.len = 0;
	fake_build_lease(&b, tid, 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_lease_by_ip(c, ip, &o, &err), 0);
	assert_int_equal(o->handle, 1000 + tid);
	assert_int_equal(omapi_object_u32(o, "state", &u), 0);
	assert_int_equal(u, OMAPI_LEASE_ACTIVE);
	omapi_object_free(o);
	assert_int_equal(omapi_conn_stats(c)->unmatched, 0);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

struct window {
	struct omapi_conn	*c;
	unsigned		 win;
	unsigned		 sent;
	unsigned		 done;
	unsigned		 total;
	unsigned		 bad;
	unsigned		 maxinflight;
};

static void window_fill(struct window *);

static void
window_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct window *w = arg;

	w->done++;
	if (e != NULL || m->hdr.handle != 1000 + m->hdr.rid)
		w->bad++;
	window_fill(w);
}

/* Send while the window, and the signed-bytes cap, have room. */
static void
window_fill(struct window *w)
{
	struct omapi_request req = { OMAPI_OP_REFRESH, 0, 0, NULL, 0, NULL,
	    0 };
	struct omapi_error err;

	while (w->sent < w->total && omapi_conn_inflight(w->c) < w->win &&
	    omapi_conn_can_send(w->c)) {
		req.handle = w->sent;
		assert_int_equal(omapi_conn_send(w->c, &req, window_reply, w,
		    &err), 0);
		w->sent++;
		if (omapi_conn_inflight(w->c) > w->maxinflight)
			w->maxinflight = omapi_conn_inflight(w->c);
	}
}

/* A sliding window: each reply's callback sends the next request. */
static unsigned
check_window(const struct omapi_key *key, enum omapi_alg alg, unsigned win,
    unsigned total)
{
	struct fake *f = fake_new();
	struct omapi_error err;
	struct window *w = calloc(1, sizeof(*w));
	int64_t end = fake_ms_now() + unit_limit_ms(20000);
	unsigned maxinflight;

	assert_non_null(w);
	f->mode = FAKE_ECHO;
	if (key != NULL) {
		f->auth = FAKE_AUTH_OK;
		f->signer = fake_signer(KEY_B64, alg);
	}
	fake_start(f);
	assert_non_null(w->c = open_conn(f, key, 5000, 0, &err));
	w->total = total;
	w->win = win;
	window_fill(w);
	while (w->done < total) {
		assert_true(fake_ms_now() < end);
		assert_int_not_equal(omapi_conn_pump(w->c, 1000, &err), -1);
		assert_true(omapi_conn_inflight(w->c) <= win);
		window_fill(w);
	}
	assert_int_equal(w->bad, 0);
	/* The authenticator open counts as a request too. */
	assert_int_equal(omapi_conn_stats(w->c)->requests,
	    total + (key != NULL));
	assert_int_equal(omapi_conn_stats(w->c)->replies,
	    total + (key != NULL));
	assert_int_equal(omapi_conn_stats(w->c)->unmatched, 0);
	omapi_conn_close(w->c);
	fake_stop(f);
	maxinflight = w->maxinflight;
	free(w);
	return maxinflight;
}

static void
test_sliding_window(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(check_window(NULL, OMAPI_ALG_NONE, 1, 200), 1);
	assert_int_equal(check_window(NULL, OMAPI_ALG_NONE, 32, 3000), 32);
	assert_int_equal(omapi_key_set(&key, KEY_NAME, "hmac-sha256", KEY_B64,
	    &err), 0);
	/* Signed: the cap on bytes in flight, not the window, limits it. */
	assert_true(check_window(&key, OMAPI_ALG_HMAC_SHA256, 64, 1000) *
	    OMAPI_REPLY_SIZE_GUESS <= OMAPI_SIGNED_INFLIGHT_BYTES);
	omapi_key_wipe(&key);
}

struct capped {
	struct omapi_conn	*c;
	int			 calls;
	int			 rc[2];
	struct omapi_error	 err[2];
};

static void
capped_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct capped *k = arg;
	struct omapi_request r = { OMAPI_OP_REFRESH, 1, 0, NULL, 0, NULL, 0 };
	struct seen dummy;

	if (k->calls++ > 0)
		return;
	memset(&dummy, 0, sizeof(dummy));
	/* One slot came free: one send fits, the next does not. */
	k->rc[0] = omapi_conn_send(k->c, &r, on_reply, &dummy, &k->err[0]);
	k->rc[1] = omapi_conn_send(k->c, &r, on_reply, &dummy, &k->err[1]);
}

/*
 * On a signed connection the requests in flight and their expected replies
 * stay under OMAPI_SIGNED_INFLIGHT_BYTES (dhcpd 4.4.3 aborts when a signed
 * message straddles its 4 KiB buffers); unsigned ones are not limited.
 */
static void
test_signed_inflight_cap(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_key key;
	struct omapi_error err;
	struct omapi_signer *good;
	struct omapi_buf b;
	struct omapi_msg m;
	struct capped k;
	struct seen s[16];
	uint8_t buf[2048];
	unsigned n = 0;

	assert_non_null(c = open_keyed(f, OMAPI_ALG_HMAC_MD5, &key, &err));
	good = fake_signer(KEY_B64, OMAPI_ALG_HMAC_MD5);
	assert_true(omapi_conn_can_send(c));
	memset(s, 0, sizeof(s));
	memset(&k, 0, sizeof(k));
	k.c = c;
	/* The first request's callback will try to send two more. */
	{
		static const uint8_t ip[4] = { 10, 0, 0, 5 };
		struct omapi_nv msg[] = { { "type", "lease", 5 } };
		struct omapi_nv obj[] = { { "ip-address", ip, 4 } };
		struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj,
		    1 };

		assert_int_equal(omapi_conn_send(c, &req, capped_reply, &k,
		    &err), 0);
		n++;
	}
	while (omapi_conn_can_send(c) && n < 16)
		send_lease(c, &s[n++]);
	assert_false(omapi_conn_can_send(c));
	assert_true(n >= 2 && n < 16);
	assert_true(n * OMAPI_REPLY_SIZE_GUESS <= OMAPI_SIGNED_INFLIGHT_BYTES);
	assert_int_equal(omapi_conn_inflight(c), n);
	/* Answer the first: its callback gets room for exactly one more. */
	fake_read_req(f, buf, &m);
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, m.hdr.tid, AUTHID, good);
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_conn_pump(c, 2000, &err), 1);
	assert_int_equal(k.calls, 1);
	assert_int_equal(k.rc[0], 0);
	assert_int_equal(k.rc[1], -1);
	assert_int_equal(k.err[1].code, OMAPI_ERR_INVALID);
	assert_int_equal(omapi_conn_inflight(c), n);
	assert_false(omapi_conn_is_broken(c));
	omapi_buf_free(&b);
	omapi_signer_free(good);
	omapi_conn_close(c);
	fake_stop(f);
	omapi_key_wipe(&key);
}

/* Make fd readable after delay_ms, from another thread. */
struct canceller {
	int	fd;
	int	delay_ms;
};

static void *
cancel_main(void *arg)
{
	struct canceller *cn = arg;
	uint64_t one = 1;

	usleep((useconds_t)cn->delay_ms * 1000);
	assert_int_equal(write(cn->fd, &one, sizeof(one)), sizeof(one));
	return NULL;
}

/* Another thread can stop a pump blocked on a silent server. */
static void
test_cancel_pump(void **state)
{
	struct fake *f = fake_new();
	struct canceller cn = { eventfd(0, EFD_CLOEXEC), 100 };
	struct omapi_conn_opts o;
	struct omapi_conn *c;
	struct omapi_error err;
	struct seen s;
	pthread_t th;
	int64_t t0;

	fake_start(f);
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = f->port;
	o.connect_timeout_ms = 2000;
	o.io_timeout_ms = 10000;
	o.cancel_fd = cn.fd;
	assert_non_null(c = omapi_conn_open(&o, &err));
	fake_join(f);
	memset(&s, 0, sizeof(s));
	send_lease(c, &s);
	/* Nothing waiting: a microsecond pump returns at once. */
	assert_int_equal(omapi_conn_pump_us(c, 1000, &err), 0);
	t0 = fake_ms_now();
	assert_int_equal(pthread_create(&th, NULL, cancel_main, &cn), 0);
	assert_int_equal(omapi_conn_pump(c, -1, &err), -1);
	assert_true(fake_ms_now() - t0 < unit_limit_ms(2000));
	pthread_join(th, NULL);
	assert_int_equal(err.code, OMAPI_ERR_CANCELLED);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.err.code, OMAPI_ERR_CANCELLED);
	assert_true(omapi_conn_is_broken(c));
	omapi_conn_close(c);
	fake_stop(f);
	close(cn.fd);
}

/* A listener that accepts TCP (the kernel's backlog) but never greets. */
static int
mute_listener(uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/*
 * A server stuck before its greeting: the wait is bounded by
 * connect_timeout (which covers the greeting, not the reply timeout), and
 * cancel_fd ends it at once.
 */
static void
test_greeting_wait(void **state)
{
	struct canceller cn = { eventfd(0, EFD_CLOEXEC), 100 };
	struct omapi_conn_opts o;
	struct omapi_error err;
	pthread_t th;
	uint16_t port;
	int lfd = mute_listener(&port);
	int64_t t0;

	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = port;
	o.connect_timeout_ms = 300;
	o.io_timeout_ms = 10000;
	t0 = fake_ms_now();
	assert_null(omapi_conn_open(&o, &err));
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	assert_true(fake_ms_now() - t0 >= 250 &&
	    fake_ms_now() - t0 < unit_limit_ms(2000));
	assert_non_null(strstr(err.text, "greeting within 300 ms"));

	o.connect_timeout_ms = 30000;
	o.cancel_fd = cn.fd;
	t0 = fake_ms_now();
	assert_int_equal(pthread_create(&th, NULL, cancel_main, &cn), 0);
	assert_null(omapi_conn_open(&o, &err));
	pthread_join(th, NULL);
	assert_int_equal(err.code, OMAPI_ERR_CANCELLED);
	assert_true(fake_ms_now() - t0 < unit_limit_ms(2000));
	close(lfd);
	close(cn.fd);
}

/*
 * A caller that stops early abandons what it has in flight: every callback
 * runs once, now, with the caller's error, and a reply arriving afterwards
 * reaches none of them (the caller may have freed their arguments).
 */
static void
test_abandon(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err, why;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen s[3];
	uint8_t buf[2048];
	uint32_t tid;
	int i;

	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	memset(s, 0, sizeof(s));
	for (i = 0; i < 3; i++)
		send_lease(c, &s[i]);
	tid = fake_read_req(f, buf, &m);
	omapi_seterr(&why, OMAPI_ERR_AUTH, "stopped by the caller");
	omapi_conn_abandon(c, &why);
	for (i = 0; i < 3; i++) {
		assert_int_equal(s[i].calls, 1);
		assert_int_equal(s[i].err.code, OMAPI_ERR_AUTH);
	}
	assert_true(omapi_conn_is_broken(c));
	/* The reply to the first comes in late: nobody is called. */
	omapi_buf_init(&b, 65536);
	fake_build_lease(&b, tid, 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	assert_int_equal(omapi_conn_pump(c, 100, &err), -1);
	for (i = 0; i < 3; i++)
		assert_int_equal(s[i].calls, 1);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
}

/* Hundreds in flight, answered all at once in reverse order. */
static void
test_many_in_flight(void **state)
{
	struct fake *f = fake_new();
	struct omapi_conn *c;
	struct omapi_error err;
	struct omapi_buf b;
	struct omapi_msg m;
	struct seen *s;
	uint8_t buf[2048];
	uint32_t *tid;
	size_t i, n = 300;

	assert_non_null(s = calloc(n, sizeof(*s)));
	assert_non_null(tid = calloc(n, sizeof(*tid)));
	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 5000, 0, &err));
	for (i = 0; i < n; i++)
		send_lease(c, &s[i]);
	assert_int_equal(omapi_conn_flush(c, &err), 0);
	assert_int_equal(omapi_conn_inflight(c), n);
	for (i = 0; i < n; i++)
		tid[i] = fake_read_req(f, buf, &m);
	omapi_buf_init(&b, 1 << 20);
	for (i = n; i-- > 0;)
		fake_build_lease(&b, tid[i], 0, NULL);
	fake_write_all(f->sfd, b.data, b.len);
	pump_until(c, s, n);
	for (i = 0; i < n; i++)
		assert_lease_reply(&s[i], tid[i]);
	omapi_buf_free(&b);
	omapi_conn_close(c);
	fake_stop(f);
	free(s);
	free(tid);
}


/* The sweep's answers per address, for test_sweep_reply_kinds. */
struct sweep_seen {
	unsigned	leases;
	unsigned	missing;
};

static void
on_sweep(void *arg, uint32_t ip, const struct omapi_lease *l)
{
	struct sweep_seen *s = arg;

	if (l != NULL)
		s->leases++;
	else
		s->missing++;
}

/*
 * A sweep sorts every kind of answer: a lease, "no object matches", and a
 * bare success (a status without a lease) that it must count as an error
 * without ending the sweep.
 */
static void
test_sweep_reply_kinds(void **state)
{
	struct fake *f = fake_new();
	struct omapi_range r = { 0x0a000001, 0x0a000009 };
	struct omapi_sweep_opts o = { &r, 1, 4, 0, 0 };
	struct omapi_sweep_result res;
	struct sweep_seen seen = { 0, 0 };
	struct omapi_conn *c;
	struct omapi_error err;

	f->mode = FAKE_ECHO;
	f->mode = FAKE_ECHO_MIXED;
	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	assert_int_equal(omapi_sweep(c, &o, on_sweep, &seen, &res, &err), 0);
	assert_int_equal(res.requested, 9);
	assert_int_equal(res.found, 3);
	assert_int_equal(res.notfound, 3);
	assert_int_equal(res.errors, 3);
	assert_int_equal(seen.leases, 3);
	assert_int_equal(seen.missing, 3);
	assert_false(omapi_conn_is_broken(c));
	omapi_conn_close(c);
	fake_stop(f);
}

/*
 * A paced sweep never runs ahead of max_rate, even though it sends in
 * groups and makes up for late wakeups: 400 lookups at 4,000/s cannot
 * take less than 99.75 ms less the 0.75 ms the first group may go early.
 * The upper bound only catches a stall.
 */
static void
test_sweep_paced(void **state)
{
	struct fake *f = fake_new();
	struct omapi_range r = { 0x0a000001, 0x0a000190 };
	struct omapi_sweep_opts o = { &r, 1, 64, 4000, 0 };
	struct omapi_sweep_result res;
	struct sweep_seen seen = { 0, 0 };
	struct omapi_conn *c;
	struct omapi_error err;
	int64_t t0, dt;

	f->mode = FAKE_ECHO;
	fake_start(f);
	assert_non_null(c = open_conn(f, NULL, 2000, 0, &err));
	t0 = omapi_now_us();
	assert_int_equal(omapi_sweep(c, &o, on_sweep, &seen, &res, &err), 0);
	dt = omapi_now_us() - t0;
	assert_int_equal(res.requested, 400);
	assert_int_equal(res.found + res.notfound + res.errors, 400);
	assert_true(dt >= 99000);
	assert_true(dt < unit_limit_ms(1000) * 1000);
	omapi_conn_close(c);
	fake_stop(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_reply_kinds),
		cmocka_unit_test(test_sweep_paced),
		cmocka_unit_test(test_startup_exchange),
		cmocka_unit_test(test_startup_version_mismatch),
		cmocka_unit_test(test_startup_timeout),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_request_reply),
		cmocka_unit_test(test_reply_split_every_offset),
		cmocka_unit_test(test_reply_bytewise_and_batched),
		cmocka_unit_test(test_replies_out_of_order),
		cmocka_unit_test(test_unmatched_reply_ignored),
		cmocka_unit_test(test_close_mid_message),
		cmocka_unit_test(test_close_between_messages),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_timeout_short_pumps),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_signed_replies),
		cmocka_unit_test(test_auth_refused),
		cmocka_unit_test(test_auth_server_gone),
		cmocka_unit_test(test_call_status_mapping),
		cmocka_unit_test(test_sliding_window),
		cmocka_unit_test(test_signed_inflight_cap),
		cmocka_unit_test(test_cancel_pump),
		cmocka_unit_test(test_greeting_wait),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_many_in_flight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
