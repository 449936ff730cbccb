/*
 * test_log.c: every log line is one logfmt line, whatever text reaches it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"

/* Run a log call with stderr captured into buf. */
static size_t
capture(char *buf, size_t len, void (*fn)(const char *))
{
	int fds[2], saved;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	fn("x");
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, len - 1);
	close(fds[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	return (size_t)n;
}

/* The server name of issue 11, legal YAML, that forged a second line. */
static const char forged[] = "ev\" x=\"1\nlevel=error msg=\"FORGED";

static void
log_forged(const char *unused)
{
	log_warnx("server %s: not answering", forged);
}

static void
test_forged_line(void **state)
{
	char buf[4096];
	size_t n = capture(buf, sizeof(buf), log_forged);

	/* One line: the only newline ends it. */
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1);
	assert_string_equal(buf, "level=warn msg=\"server ev\\\" x=\\\"1\\n"
	    "level=error msg=\\\"FORGED: not answering\"\n");
}

static void
log_controls(const char *unused)
{
	log_info("a\\b\tc\rd\x01" "e\x7f" "f");
}

static void
test_control_bytes(void **state)
{
	char buf[4096];

	capture(buf, sizeof(buf), log_controls);
	assert_string_equal(buf,
	    "level=info msg=\"a\\\\b\\tc\\rd\\x01e\\x7ff\"\n");
}

static void
log_long(const char *unused)
{
	char big[3000];

	memset(big, '"', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_error("%s", big);
}

/* A message cut at the buffer still ends its value and its line. */
static void
test_long_message(void **state)
{
	char buf[16384];
	size_t n = capture(buf, sizeof(buf), log_long);

	assert_true(n > 100);
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1);
	assert_int_equal(buf[n - 2], '"');
	assert_int_equal(buf[n - 3], '"');	/* the escaped quote is whole */
	assert_int_equal(buf[n - 4], '\\');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forged_line),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_long_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
