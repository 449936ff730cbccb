/*
 * test_bodycache.c: the /metrics body cache of the HTTP side: gzip that
 * inflates back to the text, one render per snapshot handed out as the
 * same bytes, and a body over the cap refused now and later, never sent
 * in part.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "web/web_int.h"
#include "metrics/metrics.h"

/* A snapshot of a few servers and pools; its text in *text. */
static struct snapshot *
make_snapshot(struct omapi_buf *text)
{
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	struct snapshot *s;
	char name[32];
	int i, j;

	assert_non_null(s = snapshot_new("1.2.3", "abc123"));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "dhcp%d", i);
		assert_non_null(sv = snapshot_add_server(s, name));
		sv->up = 1;
		sv->polls = (uint64_t)i;
		for (j = 0; j < 4; j++) {
			snprintf(name, sizeof(name), "pool-%d", j);
			assert_non_null(p = snapshot_server_add_pool(sv, name));
			p->counters_known = 1;
			p->addresses = 100;
			p->free = (uint64_t)j;
		}
	}
	omapi_buf_init(text, 1 << 20);
	assert_int_equal(render_metrics(text, s), 0);
	return s;
}

/* gzip output inflates back to the input; a small cap is EMSGSIZE. */
static void
test_gzip_roundtrip(void **state)
{
	static uint8_t out[1 << 16];
	struct omapi_buf gz, text;
	struct snapshot *s = make_snapshot(&text);
	z_stream z;

	omapi_buf_init(&gz, 1 << 20);
	assert_int_equal(bodycache_gzip(&gz, text.data, text.len), 0);
	assert_true(gz.len > 18 && gz.len < text.len);
	assert_int_equal(gz.data[0], 0x1f);
	assert_int_equal(gz.data[1], 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = gz.data;
	z.avail_in = (uInt)gz.len;
	z.next_out = out;
	z.avail_out = (uInt)sizeof(out);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, text.len);
	assert_memory_equal(out, text.data, text.len);
	inflateEnd(&z);
	omapi_buf_free(&gz);

	omapi_buf_init(&gz, 10);
	assert_int_equal(bodycache_gzip(&gz, text.data, text.len), -1);
	assert_int_equal(errno, EMSGSIZE);
	omapi_buf_free(&gz);
	omapi_buf_free(&text);
	snapshot_release(s);
}

/* The per-snapshot cache renders once and hands out the same bytes. */
static void
test_cached(void **state)
{
	struct omapi_buf text;
	struct snapshot *s = make_snapshot(&text), *t;
	const uint8_t *d1, *d2, *g, *g2;
	size_t l1, l2, lg, lg2;
	int gz = 0;

	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &d1, &l1), 0);
	assert_int_equal(gz, 0);
	assert_int_equal(l1, text.len);
	assert_memory_equal(d1, text.data, l1);
	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &d2, &l2), 0);
	assert_ptr_equal(d1, d2);
	/* a HEAD compresses nothing: the text until a GET made the gzip */
	gz = BODYCACHE_GZIP_MADE;
	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &d2, &l2), 0);
	assert_int_equal(gz, 0);
	assert_ptr_equal(d1, d2);
	assert_int_equal(s->gz_state, 0);
	gz = BODYCACHE_GZIP;
	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &g, &lg), 0);
	assert_int_equal(gz, 1);
	assert_true(lg < l1 && g[0] == 0x1f && g[1] == 0x8b);
	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &g2, &lg2), 0);
	assert_ptr_equal(g, g2);
	gz = BODYCACHE_GZIP_MADE;	/* a HEAD after it: the same headers */
	assert_int_equal(bodycache_get(s, 1 << 20, &gz, &g2, &lg2), 0);
	assert_int_equal(gz, 1);
	assert_ptr_equal(g, g2);
	snapshot_release(s);
	omapi_buf_free(&text);

	/* too big: fails now and later, never a partial body */
	t = make_snapshot(&text);
	gz = 1;
	assert_int_equal(bodycache_get(t, 100, &gz, &d1, &l1), -1);
	assert_int_equal(bodycache_get(t, 1 << 20, &gz, &d1, &l1), -1);
	snapshot_release(t);
	omapi_buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gzip_roundtrip),
		cmocka_unit_test(test_cached),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
