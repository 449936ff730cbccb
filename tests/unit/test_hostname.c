/*
 * test_hostname.c: the host names dhcpd can keep across a restart
 * (the rule was found live; test_omapictl.sh checks it against dhcpd).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "omapi.h"

/* A label of n copies of c, in a buffer the caller frees. */
static char *
label(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void
test_names_kept(void **state)
{
	static const char *const ok[] = { "a", "0", "-", "plain", "a-b",
	    "a_b", "a.b", "a.b.", "1.2.3.4", "-lead", "trail-", "a.-b",
	    "a-.b", "host", "0x12", "Ab.Cd-9", NULL };
	struct omapi_error err;
	const char *const *p;
	char *s;

	for (p = ok; *p != NULL; p++)
		assert_int_equal(omapi_host_name_check(*p, &err), 0);
	s = label('a', 1499);
	assert_int_equal(omapi_host_name_check(s, &err), 0);
	free(s);
}

static void
test_names_lost(void **state)
{
	static const char *const bad[] = { "q\"host", "b\\host", "sp ace",
	    "semi;colon", "a/b", "_lead", "a._b", "a..b", ".dot", ".",
	    "tab\tx", "nl\nx", "\xc3\xa9", "a{", "a:b", NULL };
	struct omapi_error err;
	const char *const *p;
	char *s;

	for (p = bad; *p != NULL; p++) {
		assert_int_equal(omapi_host_name_check(*p, &err), -1);
		assert_int_equal(err.code, OMAPI_ERR_INVALID);
		assert_non_null(strstr(err.text, "leases file"));
	}
	assert_int_equal(omapi_host_name_check("", &err), -1);
	assert_int_equal(omapi_host_name_check(NULL, &err), -1);
	assert_int_equal(omapi_host_name_check("ab\"c", &err), -1);
	assert_non_null(strstr(err.text, "'\"' at character 3"));
	assert_int_equal(omapi_host_name_check("a\nb", &err), -1);
	assert_non_null(strstr(err.text, "byte 0x0a at character 2"));
	assert_null(strchr(err.text, '\n'));
	s = label('a', 1500);
	assert_int_equal(omapi_host_name_check(s, &err), -1);
	assert_non_null(strstr(err.text, "longer than 1499"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_kept),
		cmocka_unit_test(test_names_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
