/*
 * test_pipeline.c: omapi_pipeline_run against the fake dhcpd
 * (fake_omapi.c): every reply reaches done with its own index, exactly
 * once; no more than `window` requests are ever in flight; and when the
 * connection breaks or the server stops answering mid-way, done still sees
 * every request that was sent exactly once, and none that was not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_omapi.h"
#include "omapi.h"

#define NITEMS		300
#define HANDLE(i)	(100 + (uint32_t)(i))
#define COUNT(i)	(5000 + (uint32_t)(i))

/* What the pipeline did with each item. */
struct run {
	struct omapi_conn	*c;
	size_t			 made;		/* make calls */
	unsigned		 maxinflight;	/* including the one made */
	unsigned		 calls[NITEMS];	/* done calls per item */
	unsigned		 right[NITEMS];	/* ... with its own answer */
	unsigned		 statuses;	/* ... a STATUS reply */
	unsigned		 failed;	/* ... with an error */
	enum omapi_errcode	 code[NITEMS];
};

/* Item i asks for pool HANDLE(i); items arrive in order. */
static void
make(void *arg, size_t i, struct omapi_request *req)
{
	struct run *r = arg;
	unsigned n = omapi_conn_inflight(r->c) + 1;

	assert_int_equal(i, r->made);
	r->made++;
	if (n > r->maxinflight)
		r->maxinflight = n;
	*req = (struct omapi_request){ OMAPI_OP_REFRESH, HANDLE(i), 0, NULL, 0,
	    NULL, 0 };
}

static void
done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct run *r = arg;
	uint32_t count;

	assert_true(i < r->made);
	r->calls[i]++;
	if (e != NULL) {
		assert_null(m);
		r->failed++;
		r->code[i] = e->code;
		return;
	}
	if (m->hdr.opcode == OMAPI_OP_STATUS) {
		r->statuses++;
		return;
	}
	if (m->hdr.handle == HANDLE(i) && omapi_list_u32(&m->object,
	    "lease-count", &count) == 0 && count == COUNT(i))
		r->right[i]++;
}

/* A fake dhcpd with the pools the items ask for, pools `bad` refusing. */
static struct fake *
dhcpd_with_pools(size_t n, size_t bad_every)
{
	struct fake *f = fake_new();
	struct fake_pool *p;
	size_t i;

	f->mode = FAKE_DHCPD;
	for (i = 0; i < n && i < FAKE_POOLS_MAX; i++) {
		p = fake_add_pool(f, HANDLE(i), COUNT(i), 1, 0);
		if (bad_every && i % bad_every == bad_every - 1)
			p->status = 0x60001;
	}
	return f;
}

static struct omapi_conn *
connect_to(struct fake *f, int io_timeout_ms)
{
	struct omapi_conn_opts o;
	struct omapi_error err;
	struct omapi_conn *c;

	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = f->port;
	o.connect_timeout_ms = 2000;
	o.io_timeout_ms = io_timeout_ms;
	c = omapi_conn_open(&o, &err);
	if (c == NULL)
		fail_msg("connect: %s", err.text);
	return c;
}

/* Run n items with window w on a fresh connection to f. */
static int
run_on(struct fake *f, struct run *r, size_t n, unsigned w, int io_timeout,
    struct omapi_error *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->c = connect_to(f, io_timeout);
	rc = omapi_pipeline_run(r->c, n, w, make, done, r, err);
	return rc;
}

/* Every item answered, each with its own reply, in every window size. */
static void
test_every_reply_indexed(void **state)
{
	static const unsigned windows[] = { 1, 8, 32 };
	struct fake *f;
	struct omapi_error err;
	struct run *r;
	size_t i, k, n = FAKE_POOLS_MAX;

	assert_non_null(r = calloc(1, sizeof(*r)));
	for (k = 0; k < sizeof(windows) / sizeof(windows[0]); k++) {
		f = dhcpd_with_pools(n, 0);
		fake_start(f);
		assert_int_equal(run_on(f, r, n, windows[k], 2000, &err), 0);
		assert_int_equal(r->made, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(r->calls[i], 1);
			assert_int_equal(r->right[i], 1);
		}
		assert_int_equal(r->failed, 0);
		assert_int_equal(omapi_conn_inflight(r->c), 0);
		assert_int_equal(omapi_conn_stats(r->c)->requests, n);
		/* The window filled, and never overflowed, on either side. */
		assert_int_equal(r->maxinflight, windows[k]);
		fake_lock(f);
		assert_int_equal(f->requests, n);
		assert_true(f->max_pending <= windows[k]);
		fake_unlock(f);
		omapi_conn_close(r->c);
		fake_stop(f);
	}
	free(r);
}

/* Error statuses are answers: done sees them, the run goes on. */
static void
test_status_answers(void **state)
{
	struct fake *f = dhcpd_with_pools(FAKE_POOLS_MAX, 4);
	struct omapi_error err;
	struct run *r;
	size_t i, n = FAKE_POOLS_MAX + 10;	/* the last 10: no such pool */

	assert_non_null(r = calloc(1, sizeof(*r)));
	fake_start(f);
	assert_int_equal(run_on(f, r, n, 16, 2000, &err), 0);
	assert_int_equal(r->made, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(r->calls[i], 1);
		assert_int_equal(r->right[i], i < FAKE_POOLS_MAX && i % 4 != 3);
	}
	assert_int_equal(r->statuses, FAKE_POOLS_MAX / 4 + 10);
	assert_int_equal(r->failed, 0);
	assert_false(omapi_conn_is_broken(r->c));
	omapi_conn_close(r->c);
	fake_stop(f);
	free(r);
}

/* Nothing to do: no request, no call. */
static void
test_empty(void **state)
{
	struct fake *f = dhcpd_with_pools(1, 0);
	struct omapi_error err;
	struct run *r;

	assert_non_null(r = calloc(1, sizeof(*r)));
	fake_start(f);
	assert_int_equal(run_on(f, r, 0, 8, 2000, &err), 0);
	assert_int_equal(r->made, 0);
	assert_int_equal(omapi_conn_stats(r->c)->requests, 0);
	omapi_conn_close(r->c);
	fake_stop(f);
	free(r);
}

/*
 * A broken run: the first `answered` requests are answered, then the
 * server fails (closes or goes silent).  done saw every request sent
 * exactly once, those after the fault with `code`; none was made and not
 * sent, and nothing stays in flight.
 */
static void
check_broken_run(const struct run *r, size_t n, unsigned w, size_t answered,
    enum omapi_errcode code)
{
	size_t i;

	assert_true(r->made > answered && r->made <= answered + w);
	assert_int_equal(omapi_conn_stats(r->c)->requests, r->made);
	for (i = 0; i < n; i++) {
		assert_int_equal(r->calls[i], i < r->made);
		assert_int_equal(r->right[i], i < answered);
		if (i >= answered && i < r->made)
			assert_int_equal(r->code[i], code);
	}
	assert_int_equal(r->failed, r->made - answered);
	assert_int_equal(omapi_conn_inflight(r->c), 0);
	assert_true(omapi_conn_is_broken(r->c));
}

/* The server closes the connection on reading the 20th request. */
static void
test_break_midway(void **state)
{
	struct fake *f = dhcpd_with_pools(FAKE_POOLS_MAX, 0);
	struct omapi_error err;
	struct run *r;

	assert_non_null(r = calloc(1, sizeof(*r)));
	f->close_at = 20;
	fake_start(f);
	assert_int_equal(run_on(f, r, FAKE_POOLS_MAX, 8, 2000, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	check_broken_run(r, FAKE_POOLS_MAX, 8, 19, OMAPI_ERR_CONNECTION);
	omapi_conn_close(r->c);
	fake_stop(f);
	free(r);
}

/* The server stops answering after 30 requests: the reply timeout (1 s,
 * so that answers slowed by valgrind on a busy machine are not late). */
static void
test_silent_midway(void **state)
{
	struct fake *f = dhcpd_with_pools(FAKE_POOLS_MAX, 0);
	struct omapi_error err;
	struct run *r;
	int64_t t0;

	assert_non_null(r = calloc(1, sizeof(*r)));
	f->mute_at = 31;
	fake_start(f);
	t0 = fake_ms_now();
	assert_int_equal(run_on(f, r, FAKE_POOLS_MAX, 16, 1000, &err), -1);
	assert_true(fake_ms_now() - t0 >= 1000 &&
	    fake_ms_now() - t0 < unit_limit_ms(5000));
	assert_int_equal(err.code, OMAPI_ERR_TIMEOUT);
	check_broken_run(r, FAKE_POOLS_MAX, 16, 30, OMAPI_ERR_TIMEOUT);
	omapi_conn_close(r->c);
	fake_stop(f);
	free(r);
}

/* A connection that is already broken: nothing is made, -1 at once. */
static void
test_already_broken(void **state)
{
	struct fake *f = dhcpd_with_pools(FAKE_POOLS_MAX, 0);
	struct omapi_error err;
	struct run *r;

	assert_non_null(r = calloc(1, sizeof(*r)));
	f->close_at = 1;
	fake_start(f);
	assert_int_equal(run_on(f, r, 1, 1, 2000, &err), -1);
	assert_int_equal(r->calls[0], 1);
	assert_true(omapi_conn_is_broken(r->c));
	memset(r->calls, 0, sizeof(r->calls));
	r->made = 0;
	assert_int_equal(omapi_pipeline_run(r->c, 10, 4, make, done, r, &err),
	    -1);
	assert_int_equal(err.code, OMAPI_ERR_CONNECTION);
	assert_int_equal(r->made, 0);
	assert_int_equal(r->calls[0], 0);
	omapi_conn_close(r->c);
	fake_stop(f);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_reply_indexed),
		cmocka_unit_test(test_status_answers),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_break_midway),
		cmocka_unit_test(test_silent_midway),
		cmocka_unit_test(test_already_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
