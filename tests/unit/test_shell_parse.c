/*
 * test_shell_parse.c: omapictl shell's reading of omshell's language:
 * words, quoted strings and their escapes, and the values of set.
 * shell_parse.c is pure and lives with omapictl; it is compiled in here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/cli/shell_parse.c"

static struct shell_line line;

static void
test_words(void **state)
{
	const char *err = NULL;

	assert_int_equal(shell_lex("set name=\"a b\"  # comment", &line,
	    &err), 0);
	assert_int_equal(line.nwords, 4);
	assert_string_equal(line.words[0], "set");
	assert_string_equal(line.words[1], "name");
	assert_string_equal(line.words[2], "=");
	assert_string_equal(line.words[3], "a b");
	assert_true(line.quoted[3] && !line.quoted[1]);
	assert_int_equal(shell_lex("  \t\r", &line, &err), 0);
	assert_int_equal(line.nwords, 0);
	assert_int_equal(shell_lex("key k \"se\\\"cr\\\\et\"", &line, &err), 0);
	assert_string_equal(line.words[2], "se\"cr\\et");
	assert_int_equal(shell_lex("set s = \"a\\000b\\n\"", &line, &err), 0);
	assert_int_equal(line.len[3], 4);
	assert_memory_equal(line.words[3], "a\0b\n", 4);
	assert_int_equal(shell_lex("set s = \"open", &line, &err), -1);
	assert_string_equal(err, "unterminated string");
}

static void
test_too_many_words(void **state)
{
	char text[SHELL_MAX_WORDS * 2 + 4];
	const char *err = NULL;
	size_t i;

	for (i = 0; i < SHELL_MAX_WORDS + 1; i++) {
		text[2 * i] = 'a';
		text[2 * i + 1] = ' ';
	}
	text[2 * i] = '\0';
	assert_int_equal(shell_lex(text, &line, &err), -1);
	assert_string_equal(err, "too many words on the line");
}

static void
test_values(void **state)
{
	static struct shell_value v;

	assert_int_equal(shell_value_parse("1", 1, 0, &v), 0);
	assert_int_equal(v.kind, SHELL_V_INT);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.bytes, "\0\0\0\1", 4);
	assert_int_equal(shell_value_parse("-5", 2, 0, &v), 0);
	assert_int_equal(v.u32, 0xfffffffbU);
	assert_int_equal(shell_value_parse("4294967296", 10, 0, &v), -1);
	assert_int_equal(shell_value_parse("10.99.0.210", 11, 0, &v), 0);
	assert_int_equal(v.kind, SHELL_V_DATA);
	assert_memory_equal(v.bytes, "\x0a\x63\x00\xd2", 4);
	assert_int_equal(shell_value_parse("10.99.1.300", 11, 0, &v), -1);
	assert_int_equal(shell_value_parse("02:00:0a:ff", 11, 0, &v), 0);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.bytes, "\x02\x00\x0a\xff", 4);
	assert_int_equal(shell_value_parse("12:zz", 5, 0, &v), -1);
	assert_int_equal(shell_value_parse("0x12", 4, 0, &v), -1);
	assert_int_equal(shell_value_parse("bare", 4, 0, &v), -1);
	assert_int_equal(shell_value_parse("1", 1, 1, &v), 0);
	assert_int_equal(v.kind, SHELL_V_STRING);
	assert_int_equal(v.len, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
