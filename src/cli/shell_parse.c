/*
 * shell_parse.c: one line of omshell's command language into words, and
 * the VALUE of "set NAME = VALUE" into what goes on the wire.  Pure: no
 * I/O; errors are a short text for the caller to report.
 *
 * Words are separated by blanks; "=" is a word of its own even when
 * written against its neighbours; a double-quoted string is one word, with
 * \" \\ \n \t and \NNN (octal) escapes as omshell's lexer reads them.
 * A '#' outside a string starts a comment (omshell has none: an
 * extension, so that scripts can say what they do).
 */
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/* Start a new word at the end of what has been written so far. */
static int
word_start(struct shell_line *l, size_t off, int quoted, const char **err)
{
	if (l->nwords >= SHELL_MAX_WORDS) {
		*err = "too many words on the line";
		return -1;
	}
	l->words[l->nwords] = l->buf + off;
	l->quoted[l->nwords] = quoted;
	l->nwords++;
	return 0;
}

/* One escape after a backslash inside a string; the byte it stands for. */
static int
unescape(const char **sp)
{
	const char *s = *sp;
	int v, i;

	switch (*s) {
	case 'n': *sp = s + 1; return '\n';
	case 't': *sp = s + 1; return '\t';
	case 'r': *sp = s + 1; return '\r';
	default:
		break;
	}
	if (*s >= '0' && *s <= '7') {
		for (v = 0, i = 0; i < 3 && *s >= '0' && *s <= '7'; i++, s++)
			v = v * 8 + (*s - '0');
		*sp = s;
		return v & 0xff;
	}
	*sp = s + 1;
	return (unsigned char)*s;
}

/* A quoted string from s (after its opening quote); its end, or NULL. */
static const char *
lex_string(const char *s, struct shell_line *l, size_t *off,
    const char **err)
{
	size_t start = *off;

	while (*s != '"') {
		if (*s == '\0') {
			*err = "unterminated string";
			return NULL;
		}
		if (*s == '\\' && s[1] != '\0') {
			s++;
			l->buf[(*off)++] = (char)unescape(&s);
		} else
			l->buf[(*off)++] = *s++;
	}
	l->len[l->nwords - 1] = *off - start;
	l->buf[(*off)++] = '\0';
	return s + 1;
}

/*
 * Split text (one line, without its newline) into l's words; 0, or -1
 * with *err.  Quoted words may hold NUL bytes: their length is in l->len.
 */
int
shell_lex(const char *text, struct shell_line *l, const char **err)
{
	const char *s = text;
	size_t off = 0;

	l->nwords = 0;
	if (strlen(text) >= sizeof(l->buf) / 2) {
		*err = "line too long";
		return -1;
	}
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\r') {
			s++;
			continue;
		}
		if (*s == '#')
			break;
		if (*s == '"') {
			if (word_start(l, off, 1, err) == -1 ||
			    (s = lex_string(s + 1, l, &off, err)) == NULL)
				return -1;
			continue;
		}
		if (word_start(l, off, 0, err) == -1)
			return -1;
		if (*s == '=')
			l->buf[off++] = *s++;
		else
			while (*s != '\0' && *s != ' ' && *s != '\t' &&
			    *s != '\r' && *s != '=' && *s != '"')
				l->buf[off++] = *s++;
		l->len[l->nwords - 1] = (size_t)(l->buf + off -
		    l->words[l->nwords - 1]);
		l->buf[off++] = '\0';
	}
	return 0;
}

/* A decimal integer, as omshell's NUMBER: 32 bits, signed or not. */
static int
value_int(const char *s, struct shell_value *v)
{
	const char *p = *s == '-' ? s + 1 : s;
	long long n;
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || n < INT32_MIN || n > (long long)UINT32_MAX)
		return -1;
	v->kind = SHELL_V_INT;
	v->u32 = (uint32_t)n;
	omapi_put_u32(v->bytes, v->u32);
	v->len = 4;
	return 0;
}

/*
 * The VALUE word of set: a quoted string, a decimal integer, a dotted
 * IPv4 address (4 bytes) or colon-separated hex bytes.  0, or -1 when it
 * is none of them.
 */
int
shell_value_parse(const char *word, size_t len, int quoted,
    struct shell_value *v)
{
	size_t n;

	memset(v, 0, sizeof(*v));
	if (quoted) {
		if (len > sizeof(v->bytes))
			return -1;
		v->kind = SHELL_V_STRING;
		memcpy(v->bytes, word, len);
		v->len = (uint32_t)len;
		return 0;
	}
	if (value_int(word, v) == 0)
		return 0;
	if (strchr(word, '.') != NULL) {
		if (omapi_parse_ipv4(word, v->bytes) == -1)
			return -1;
		v->kind = SHELL_V_DATA;
		v->len = 4;
		return 0;
	}
	if (strchr(word, ':') == NULL ||
	    omapi_parse_hex(word, v->bytes, sizeof(v->bytes), &n) == -1)
		return -1;
	v->kind = SHELL_V_DATA;
	v->len = (uint32_t)n;
	return 0;
}
