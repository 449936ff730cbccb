/*
 * test_leasetab.c: the lease table behind dhcpd_lease_info (leasetab.c):
 * the cap keeps the first leases by address, whatever order a sweep on
 * several connections answers in, and counts the rest as dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics/metrics.h"
#include "sample_snapshot.h"

/*
 * A sweep on several connections answers a little out of order: the cap
 * still keeps the first max leases by address.
 */
static void
test_leasetab_order(void **state)
{
	struct leasetab *t;

	assert_non_null(t = leasetab_new(2));
	add_lease(t, 0x0a000107, 0, OMAPI_LEASE_ACTIVE, 1, "a", 1);
	add_lease(t, 0x0a000109, 0, OMAPI_LEASE_ACTIVE, 1, "b", 1);
	add_lease(t, 0x0a000105, 0, OMAPI_LEASE_ACTIVE, 1, "c", 1);
	leasetab_finish(t);
	assert_int_equal(t->nrows, 2);
	assert_int_equal(t->dropped, 1);
	assert_int_equal(t->rows[0].ip, 0x0a000105);
	assert_int_equal(t->rows[1].ip, 0x0a000107);
	assert_string_equal(t->text + t->rows[0].hostname, "c");
	leasetab_release(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leasetab_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
