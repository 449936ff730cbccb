/*
 * test_duration.c: durations as the configuration writes them
 * (duration.c): the good forms and their values in ms, every bad form
 * with the message that says how to write it, and a duration written
 * back the way a person would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config_int.h"

/* Durations: good ones and their values in ms. */
static void
test_duration_good(void **state)
{
	static const struct { const char *s; uint64_t ms; } good[] = {
	    { "0s", 0 }, { "500ms", 500 }, { "15s", 15000 },
	    { "2m", 120000 }, { "1h", 3600000 }, { "1h30m", 5400000 },
	    { "1h0m5s", 3605000 }, { "1m30s250ms", 90250 },
	    { "90s", 90000 }, { "007s", 7000 }, { "1ms", 1 },
	    { "5124095576030h", 18446744073708000000u },
	    { "5124095576030h1s", 18446744073708001000u },
	};
	uint64_t ms;
	size_t i;
	char err[256];

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (duration_parse(good[i].s, &ms, err, sizeof(err)) != 0)
			fail_msg("%s: %s", good[i].s, err);
		assert_int_equal(ms, good[i].ms);
	}
}

/* Durations: bad ones and their messages. */
static void
test_duration_bad(void **state)
{
	static const struct { const char *s, *msg; } bad[] = {
	    { "", "empty duration; write e.g. 15s" },
	    { "15", "'15' has a number without a unit; add one of ms, s, m or "
		"h (e.g. 15s)" },
	    { "1h30", "'1h30' has a number without a unit; add one of ms, s, "
		"m or h (e.g. 15s)" },
	    { "15x", "'15x' has an unknown unit; use ms, s, m or h" },
	    { "15 s", "'15 s' has an unknown unit; use ms, s, m or h" },
	    { "2d", "'2d' has an unknown unit; use ms, s, m or h" },
	    { "1.5s", "'1.5s': fractions are not allowed; use a smaller unit "
		"(e.g. 1500ms, not 1.5s)" },
	    { "1m1h", "'1m1h': units must go from largest to smallest, each "
		"once (e.g. 1h30m)" },
	    { "1s1s", "'1s1s': units must go from largest to smallest, each "
		"once (e.g. 1h30m)" },
	    { "s", "'s' is not a duration; write e.g. 500ms, 15s, 2m or "
		"1h30m" },
	    { "-5s", "'-5s' is not a duration; write e.g. 500ms, 15s, 2m or "
		"1h30m" },
	    { " 5s", "' 5s' is not a duration; write e.g. 500ms, 15s, 2m or "
		"1h30m" },
	    { "5mm", "'5mm' is not a duration; write e.g. 500ms, 15s, 2m or "
		"1h30m" },
	    { "5s ", "'5s ' is not a duration; write e.g. 500ms, 15s, 2m or "
		"1h30m" },
	    { "5124095576031h", "'5124095576031h' is too long a duration" },
	    { "5124095576030h31m", "'5124095576030h31m' is too long a "
		"duration" },
	    { "99999999999999999999999s", "'99999999999999999999999s' is too "
		"long a duration" },
	    { "99999999999999999999ms", "'99999999999999999999ms' is too "
		"long a duration" },
	};
	uint64_t ms = 77;
	size_t i;
	char err[256];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (duration_parse(bad[i].s, &ms, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i].s);
		assert_string_equal(err, bad[i].msg);
		assert_int_equal(ms, 77);
	}
	assert_int_equal(duration_parse(NULL, &ms, NULL, 0), -1);
}

/* Durations written back the way a person would. */
static void
test_duration_format(void **state)
{
	static const struct { uint64_t ms; const char *s; } tab[] = {
	    { 0, "0s" }, { 1, "1ms" }, { 500, "500ms" }, { 1000, "1s" },
	    { 1500, "1500ms" }, { 60000, "1m" }, { 61000, "1m1s" },
	    { 3600000, "1h" }, { 5400000, "1h30m" }, { 3601000, "1h1s" },
	    { 86400000, "24h" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		duration_format(tab[i].ms, buf, sizeof(buf));
		assert_string_equal(buf, tab[i].s);
	}
	duration_format(5400000, buf, 3);
	assert_string_equal(buf, "1h");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_good),
		cmocka_unit_test(test_duration_bad),
		cmocka_unit_test(test_duration_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
