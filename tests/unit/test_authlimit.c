/*
 * test_authlimit.c: the per-address buckets of failed logins, on a clock
 * the test drives: the burst, the refill, one check at a time, refunds,
 * the keys of IPv4, IPv4-mapped and IPv6 addresses, and a full table.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "web/web_int.h"

/* The key of a numeric address, IPv4 or IPv6. */
static void
key_of(const char *addr, unsigned char key[AUTHLIMIT_KEY])
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		assert_int_equal(authlimit_key((struct sockaddr *)&s4, key), 0);
		return;
	}
	assert_int_equal(inet_pton(AF_INET6, addr, &s6.sin6_addr), 1);
	s6.sin6_family = AF_INET6;
	assert_int_equal(authlimit_key((struct sockaddr *)&s6, key), 0);
}

/* Spend a check and settle it as a failure. */
static int
fail_once(struct authlimit *l, const unsigned char *k, double now)
{
	if (authlimit_spend(l, k, now) == -1)
		return -1;
	authlimit_settle(l, k, now, 0);
	return 0;
}

static void
test_burst_and_refill(void **state)
{
	struct authlimit *l;
	unsigned char a[AUTHLIMIT_KEY], b[AUTHLIMIT_KEY];
	int i;

	assert_non_null(l = authlimit_new());
	key_of("192.0.2.1", a);
	key_of("192.0.2.2", b);
	for (i = 0; i < AUTHLIMIT_BURST; i++) {
		assert_true(authlimit_allowed(l, a, 100));
		assert_int_equal(fail_once(l, a, 100), 0);
	}
	assert_false(authlimit_allowed(l, a, 100));
	assert_int_equal(authlimit_spend(l, a, 100), -1);
	/* Another address is not affected. */
	assert_true(authlimit_allowed(l, b, 100));
	/* One more every AUTHLIMIT_EVERY_S, not before. */
	assert_false(authlimit_allowed(l, a, 100 + AUTHLIMIT_EVERY_S - 0.5));
	assert_true(authlimit_allowed(l, a, 100 + AUTHLIMIT_EVERY_S));
	assert_int_equal(fail_once(l, a, 100 + AUTHLIMIT_EVERY_S), 0);
	assert_false(authlimit_allowed(l, a, 100 + AUTHLIMIT_EVERY_S));
	/* A long quiet time gives the burst back, no more. */
	for (i = 0; i < AUTHLIMIT_BURST; i++)
		assert_int_equal(fail_once(l, a, 10000), 0);
	assert_int_equal(fail_once(l, a, 10000), -1);
	authlimit_free(l);
}

static void
test_one_at_a_time_and_refund(void **state)
{
	struct authlimit *l;
	unsigned char a[AUTHLIMIT_KEY];
	int i;

	assert_non_null(l = authlimit_new());
	key_of("2001:db8::1", a);
	/* A second check may run beside the first (a right job beside a
	 * stale one); a third waits its turn. */
	assert_int_equal(authlimit_spend(l, a, 5), 0);
	assert_int_equal(authlimit_spend(l, a, 5), 0);
	assert_int_equal(authlimit_spend(l, a, 5), -1);
	assert_true(authlimit_allowed(l, a, 5));
	authlimit_settle(l, a, 5, 1);
	assert_int_equal(authlimit_spend(l, a, 5), 0);
	authlimit_settle(l, a, 5, 1);
	authlimit_settle(l, a, 5, 1);
	/* Right passwords cost nothing: any number of them. */
	for (i = 0; i < 3 * AUTHLIMIT_BURST; i++) {
		assert_int_equal(authlimit_spend(l, a, 5), 0);
		authlimit_settle(l, a, 5, 1);
	}
	assert_int_equal(fail_once(l, a, 5), 0);
	authlimit_free(l);
}

static void
test_keys(void **state)
{
	unsigned char a[AUTHLIMIT_KEY], b[AUTHLIMIT_KEY];
	struct sockaddr sa;

	key_of("192.0.2.7", a);
	key_of("::ffff:192.0.2.7", b);
	assert_memory_equal(a, b, AUTHLIMIT_KEY);	/* dual stack agrees */
	key_of("::ffff:192.0.2.8", b);
	assert_memory_not_equal(a, b, AUTHLIMIT_KEY);
	/* IPv6 by /64. */
	key_of("2001:db8:1:2::1", a);
	key_of("2001:db8:1:2:ffff:ffff:ffff:ffff", b);
	assert_memory_equal(a, b, AUTHLIMIT_KEY);
	key_of("2001:db8:1:3::1", b);
	assert_memory_not_equal(a, b, AUTHLIMIT_KEY);
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_int_equal(authlimit_key(&sa, a), -1);
	assert_int_equal(authlimit_key(NULL, a), -1);
}

/*
 * A full table forgets the address closest to a full bucket, not one
 * that is out of failures: flooding it with new addresses does not
 * give a locked address its burst back.
 */
static void
test_full_table(void **state)
{
	struct authlimit *l;
	unsigned char k[AUTHLIMIT_KEY], locked[AUTHLIMIT_KEY];
	char addr[64];
	int i;

	assert_non_null(l = authlimit_new());
	key_of("198.51.100.1", locked);
	for (i = 0; i < AUTHLIMIT_BURST; i++)
		assert_int_equal(fail_once(l, locked, 0), 0);
	for (i = 0; i < 3 * AUTHLIMIT_ADDRS; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:%x:%x::1", i >> 16,
		    i & 0xffff);
		key_of(addr, k);
		assert_int_equal(fail_once(l, k, 1), 0);
	}
	assert_false(authlimit_allowed(l, locked, 1));
	authlimit_free(l);
}

/* A locked address may go on with the credentials it proved, only. */
static void
test_proof(void **state)
{
	struct authlimit *l;
	unsigned char a[AUTHLIMIT_KEY], b[AUTHLIMIT_KEY];
	unsigned char p1[AUTHLIMIT_PROOF], p2[AUTHLIMIT_PROOF];
	int i;

	assert_non_null(l = authlimit_new());
	key_of("192.0.2.1", a);
	key_of("192.0.2.2", b);
	memset(p1, 1, sizeof(p1));
	memset(p2, 2, sizeof(p2));
	assert_false(authlimit_proven(l, a, p1));
	authlimit_prove(l, a, p1, 0);
	for (i = 0; i < AUTHLIMIT_BURST; i++)
		assert_int_equal(fail_once(l, a, 0), 0);
	assert_false(authlimit_allowed(l, a, 0));
	assert_true(authlimit_proven(l, a, p1));
	assert_false(authlimit_proven(l, a, p2));
	assert_false(authlimit_proven(l, b, p1));
	/* A table flooded with new addresses keeps the proof. */
	for (i = 0; i < 2 * AUTHLIMIT_ADDRS; i++) {
		char addr[64];
		unsigned char k[AUTHLIMIT_KEY];

		snprintf(addr, sizeof(addr), "2001:db8:%x:%x::1", i >> 16,
		    i & 0xffff);
		key_of(addr, k);
		assert_int_equal(authlimit_spend(l, k, 0), 0);
		authlimit_settle(l, k, 0, 0);
	}
	assert_true(authlimit_proven(l, a, p1));
	authlimit_free(l);
}

/* A restarted HTTP server's table takes over the old one's: a locked
 * address stays locked, a proven one keeps its proof, nothing is busy. */
static void
test_adopt(void **state)
{
	struct authlimit *old, *l;
	unsigned char a[AUTHLIMIT_KEY], b[AUTHLIMIT_KEY];
	unsigned char proof[AUTHLIMIT_PROOF] = { 7 };
	int i;

	assert_non_null(old = authlimit_new());
	assert_non_null(l = authlimit_new());
	key_of("192.0.2.1", a);
	key_of("192.0.2.2", b);
	for (i = 0; i < AUTHLIMIT_BURST; i++)
		assert_int_equal(fail_once(old, a, 100), 0);
	authlimit_prove(old, b, proof, 100);
	assert_int_equal(authlimit_spend(old, b, 100), 0);	/* under way */
	authlimit_adopt(l, old);
	authlimit_free(old);
	assert_false(authlimit_allowed(l, a, 100));
	assert_true(authlimit_proven(l, b, proof));
	assert_int_equal(authlimit_spend(l, b, 100), 0);
	assert_int_equal(authlimit_spend(l, b, 100), 0);	/* none busy */
	authlimit_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_and_refill),
		cmocka_unit_test(test_one_at_a_time_and_refund),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_proof),
		cmocka_unit_test(test_adopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
