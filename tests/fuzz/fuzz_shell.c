/*
 * fuzz_shell.c: libFuzzer target for omapictl shell's reading of a
 * script line (shell_lex) and of set's values (shell_value_parse), with
 * the invariants the commands rely on: every word lies inside the line
 * buffer and is NUL-terminated at its length, and a value fits its bytes
 * and has the length its kind implies.  Also the host name rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/shell_parse.c"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct shell_line line;
static struct shell_value value;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omapi_error err;
	const char *e;
	char *s;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (omapi_host_name_check(s, &err) == -1 && err.code != OMAPI_ERR_INVALID)
		abort();
	if (shell_lex(s, &line, &e) == 0) {
		if (line.nwords > SHELL_MAX_WORDS)
			abort();
		for (i = 0; i < line.nwords; i++) {
			if (line.words[i] < line.buf || line.words[i] +
			    line.len[i] >= line.buf + sizeof(line.buf) ||
			    line.words[i][line.len[i]] != '\0')
				abort();
			if (shell_value_parse(line.words[i], line.len[i],
			    line.quoted[i], &value) == 0 &&
			    (value.len > sizeof(value.bytes) ||
			    (value.kind == SHELL_V_INT && value.len != 4)))
				abort();
		}
	} else if (e == NULL)
		abort();
	free(s);
	return 0;
}
