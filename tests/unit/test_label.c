/*
 * test_label.c: the names a pool's labels may have (label.c):
 * Prometheus' rules, and none of the labels the exporter writes itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"

/* Label names: Prometheus' rules and the exporter's own labels. */
static void
test_label_names(void **state)
{
	/* "within" and "address" were reserved once but label nothing. */
	static const char *const good[] = { "site", "Site_2", "_x", "a",
	    "rack_42", "serverx", "pool_name", "_", "within", "address" };
	/* Every label render.c writes itself, among others. */
	static const char *const bad[] = { "", "2a", "a-b", "a.b", "a b",
	    "__x", "__", "server", "pool", "state", "within_seconds", "host",
	    "mac", "ip", "reason", "version", "commit", "le", "quantile",
	    "job", "instance", "\xc3\xa9t\xc3\xa9", "peer", "side", "role",
	    "class", "failover_peer" };
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (label_name_check(good[i], err, sizeof(err)) != 0)
			fail_msg("%s: %s", good[i], err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (label_name_check(bad[i], NULL, 0) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
