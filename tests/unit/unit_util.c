/*
 * unit_util.c: helpers the unit tests share (unit_util.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit_util.h"

/* Load yaml as "t.yml"; a configuration that does not load fails the test. */
struct config *
unit_config(const char *yaml)
{
	struct config_errors e;
	struct config *cfg = NULL;
	size_t i;

	memset(&e, 0, sizeof(e));
	if (config_load_buffer("t.yml", yaml, strlen(yaml), &cfg, &e) == -1) {
		for (i = 0; i < e.n; i++)
			print_message("config: %s\n", e.msg[i]);
		config_errors_free(&e);
		fail_msg("the test's configuration does not load");
	}
	config_errors_free(&e);
	return cfg;
}

static int saved_stderr = -1;
static FILE *captured;

/* Put standard error back (also after a test that failed mid-capture). */
static void
capture_restore(void)
{
	if (saved_stderr == -1)
		return;
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}

/*
 * From now on, what log.c writes (to fd 2) goes to a file of ours.  CMocka
 * reports failures on fd 2 too: assert after unit_capture_end.
 */
void
unit_capture_start(void)
{
	if (saved_stderr != -1) {
		capture_restore();
		fclose(captured);
	}
	assert_non_null(captured = tmpfile());
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr != -1);
	assert_true(dup2(fileno(captured), STDERR_FILENO) != -1);
}

/* The log since unit_capture_start, as a string to free; shown too. */
char *
unit_capture_end(void)
{
	char *buf;
	long n;

	capture_restore();
	fseek(captured, 0, SEEK_END);
	n = ftell(captured);
	rewind(captured);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, captured), (size_t)n);
	fclose(captured);
	fprintf(stderr, "%s", buf);
	return buf;
}

/* How many times needle occurs in hay. */
int
unit_count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}
