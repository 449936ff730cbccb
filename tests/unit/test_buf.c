/*
 * test_buf.c: the growable buffer: growth keeps contents, the maximum is
 * enforced with EMSGSIZE and leaves the buffer as it was, consume.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "omapi.h"

static void
test_init_empty(void **state)
{
	struct omapi_buf b;

	omapi_buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	/* Adding nothing allocates nothing, even from NULL. */
	assert_int_equal(omapi_buf_add(&b, NULL, 0), 0);
	assert_null(b.data);
	omapi_buf_free(&b);
	omapi_buf_free(&b);	/* twice is harmless */
	assert_int_equal(b.max, 100);
}

static void
test_growth_keeps_contents(void **state)
{
	struct omapi_buf b;
	uint8_t chunk[777];
	size_t i, total = 0, lastcap = 0;

	omapi_buf_init(&b, 1 << 20);
	for (i = 0; i < 500; i++) {
		size_t n = (i * 131) % sizeof(chunk), j;

		for (j = 0; j < n; j++)
			chunk[j] = (uint8_t)(total + j);
		assert_int_equal(omapi_buf_add(&b, chunk, n), 0);
		total += n;
		assert_int_equal(b.len, total);
		assert_true(b.cap >= b.len && b.cap <= b.max);
		assert_true(b.cap >= lastcap);
		lastcap = b.cap;
	}
	for (i = 0; i < total; i++)
		if (b.data[i] != (uint8_t)i)
			fail_msg("byte %zu lost in growth", i);
	omapi_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_max_enforced(void **state)
{
	struct omapi_buf b;
	uint8_t data[1001];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 3);
	omapi_buf_init(&b, 1000);
	assert_int_equal(omapi_buf_add(&b, data, 1000), 0);
	assert_int_equal(b.cap, 1000);	/* never more than max */
	errno = 0;
	assert_int_equal(omapi_buf_add(&b, data, 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(b.len, 1000);
	assert_memory_equal(b.data, data, 1000);
	errno = 0;
	assert_int_equal(omapi_buf_add_u16(&b, 1), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(omapi_buf_add_u32(&b, 1), -1);
	assert_int_equal(b.len, 1000);
	omapi_buf_free(&b);

	/* One add bigger than max: refused without allocating. */
	omapi_buf_init(&b, 1000);
	errno = 0;
	assert_int_equal(omapi_buf_add(&b, data, 1001), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_null(b.data);
	/* Sizes that would overflow size_t are refused too. */
	assert_int_equal(omapi_buf_reserve(&b, SIZE_MAX), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(omapi_buf_add(&b, data, 10), 0);
	assert_int_equal(omapi_buf_reserve(&b, SIZE_MAX - 5), -1);
	assert_int_equal(omapi_buf_reserve(&b, 990), 0);
	assert_int_equal(omapi_buf_reserve(&b, 991), -1);
	omapi_buf_free(&b);

	/* Max 0: nothing fits but nothing. */
	omapi_buf_init(&b, 0);
	assert_int_equal(omapi_buf_add(&b, data, 1), -1);
	assert_int_equal(omapi_buf_add(&b, data, 0), 0);
	omapi_buf_free(&b);

	/* A max that is not a power of two is reached exactly. */
	omapi_buf_init(&b, 300);
	for (i = 0; i < 300; i++)
		assert_int_equal(omapi_buf_add(&b, data + i, 1), 0);
	assert_int_equal(b.cap, 300);
	assert_int_equal(omapi_buf_add(&b, data, 1), -1);
	assert_memory_equal(b.data, data, 300);
	omapi_buf_free(&b);
}

static void
test_big_endian(void **state)
{
	static const uint8_t want[] = { 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef,
	    0xff, 0xff, 0, 0, 0, 0 };
	struct omapi_buf b;

	omapi_buf_init(&b, 64);
	assert_int_equal(omapi_buf_add_u16(&b, 0x1234), 0);
	assert_int_equal(omapi_buf_add_u32(&b, 0xdeadbeef), 0);
	assert_int_equal(omapi_buf_add_u16(&b, 0xffff), 0);
	assert_int_equal(omapi_buf_add_u32(&b, 0), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	omapi_buf_free(&b);
}

static void
test_consume(void **state)
{
	struct omapi_buf b;

	omapi_buf_init(&b, 64);
	assert_int_equal(omapi_buf_add(&b, "abcdefgh", 8), 0);
	omapi_buf_consume(&b, 0);
	assert_int_equal(b.len, 8);
	omapi_buf_consume(&b, 3);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "defgh", 5);
	assert_int_equal(omapi_buf_add(&b, "XY", 2), 0);
	assert_memory_equal(b.data, "defghXY", 7);
	omapi_buf_consume(&b, 7);
	assert_int_equal(b.len, 0);
	assert_int_equal(omapi_buf_add(&b, "z", 1), 0);
	omapi_buf_consume(&b, 100);	/* more than there is */
	assert_int_equal(b.len, 0);
	omapi_buf_consume(&b, 1);	/* from empty */
	assert_int_equal(b.len, 0);
	/* Consumed room is reusable up to max. */
	assert_int_equal(omapi_buf_reserve(&b, 64), 0);
	omapi_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_growth_keeps_contents),
		cmocka_unit_test(test_max_enforced),
		cmocka_unit_test(test_big_endian),
		cmocka_unit_test(test_consume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
