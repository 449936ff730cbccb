/*
 * lexer.c: the dhcpd.conf tokenizer, after the rules of ISC's
 * common/conflex.c: '#' starts a comment to the end of the line outside
 * strings; strings are double-quoted with \t \r \n \b \OOO \xHH escapes
 * and any other escaped byte standing for itself; names and numbers are
 * runs of [A-Za-z0-9_-]; every other byte is a token of its own.  Lines
 * and columns count from 1, a column being a byte.  Below the tokenizer,
 * the parser's token helpers (dcf_next, dcf_expected, dcf_ip ...) and the
 * budget of a load, which dcf_next checks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dcf_int.h"

/* The next byte, or -1 at the end; keeps line and column. */
static int
lex_getc(struct dcf_lexer *lx)
{
	int c;

	if (lx->pos >= lx->len)
		return -1;
	c = lx->buf[lx->pos++];
	if (c == '\n') {
		lx->line++;
		lx->column = 1;
	} else
		lx->column++;
	return c;
}

static int
lex_peekc(const struct dcf_lexer *lx)
{
	return lx->pos < lx->len ? lx->buf[lx->pos] : -1;
}

static int
lex_error(struct dcf_lexer *lx, unsigned line, unsigned col, const char *msg)
{
	snprintf(lx->err, sizeof(lx->err), "%s:%u:%u: %s", lx->file, line,
	    col, msg);
	return -1;
}

/*
 * Byte classes, ASCII only as conflex.c (isascii) has them, by table: the
 * lexer's hot loop is one look-up per byte.
 */
#define C_NAME	1	/* [A-Za-z0-9_-] */
#define C_DIGIT	2
#define C_ALPHA	4
#define C_SPACE	8

static const unsigned char lex_class[256] = {
	[9] = C_SPACE,
	[10] = C_SPACE,
	[11] = C_SPACE,
	[12] = C_SPACE,
	[13] = C_SPACE,
	[32] = C_SPACE,
	['-'] = C_NAME,
	['0'] = C_NAME | C_DIGIT,
	['1'] = C_NAME | C_DIGIT,
	['2'] = C_NAME | C_DIGIT,
	['3'] = C_NAME | C_DIGIT,
	['4'] = C_NAME | C_DIGIT,
	['5'] = C_NAME | C_DIGIT,
	['6'] = C_NAME | C_DIGIT,
	['7'] = C_NAME | C_DIGIT,
	['8'] = C_NAME | C_DIGIT,
	['9'] = C_NAME | C_DIGIT,
	['A'] = C_NAME | C_ALPHA,
	['B'] = C_NAME | C_ALPHA,
	['C'] = C_NAME | C_ALPHA,
	['D'] = C_NAME | C_ALPHA,
	['E'] = C_NAME | C_ALPHA,
	['F'] = C_NAME | C_ALPHA,
	['G'] = C_NAME | C_ALPHA,
	['H'] = C_NAME | C_ALPHA,
	['I'] = C_NAME | C_ALPHA,
	['J'] = C_NAME | C_ALPHA,
	['K'] = C_NAME | C_ALPHA,
	['L'] = C_NAME | C_ALPHA,
	['M'] = C_NAME | C_ALPHA,
	['N'] = C_NAME | C_ALPHA,
	['O'] = C_NAME | C_ALPHA,
	['P'] = C_NAME | C_ALPHA,
	['Q'] = C_NAME | C_ALPHA,
	['R'] = C_NAME | C_ALPHA,
	['S'] = C_NAME | C_ALPHA,
	['T'] = C_NAME | C_ALPHA,
	['U'] = C_NAME | C_ALPHA,
	['V'] = C_NAME | C_ALPHA,
	['W'] = C_NAME | C_ALPHA,
	['X'] = C_NAME | C_ALPHA,
	['Y'] = C_NAME | C_ALPHA,
	['Z'] = C_NAME | C_ALPHA,
	['_'] = C_NAME,
	['a'] = C_NAME | C_ALPHA,
	['b'] = C_NAME | C_ALPHA,
	['c'] = C_NAME | C_ALPHA,
	['d'] = C_NAME | C_ALPHA,
	['e'] = C_NAME | C_ALPHA,
	['f'] = C_NAME | C_ALPHA,
	['g'] = C_NAME | C_ALPHA,
	['h'] = C_NAME | C_ALPHA,
	['i'] = C_NAME | C_ALPHA,
	['j'] = C_NAME | C_ALPHA,
	['k'] = C_NAME | C_ALPHA,
	['l'] = C_NAME | C_ALPHA,
	['m'] = C_NAME | C_ALPHA,
	['n'] = C_NAME | C_ALPHA,
	['o'] = C_NAME | C_ALPHA,
	['p'] = C_NAME | C_ALPHA,
	['q'] = C_NAME | C_ALPHA,
	['r'] = C_NAME | C_ALPHA,
	['s'] = C_NAME | C_ALPHA,
	['t'] = C_NAME | C_ALPHA,
	['u'] = C_NAME | C_ALPHA,
	['v'] = C_NAME | C_ALPHA,
	['w'] = C_NAME | C_ALPHA,
	['x'] = C_NAME | C_ALPHA,
	['y'] = C_NAME | C_ALPHA,
	['z'] = C_NAME | C_ALPHA,
};

static int
lex_is(int c, int cls)
{
	return c >= 0 && (lex_class[c] & cls) != 0;
}

static int
lex_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The value of a numeric escape: up to `digits` more digits of `base`
 * after the first one (already in v); a byte that is not a digit ends it
 * early and is read again as text.
 */
static int
lex_numesc(struct dcf_lexer *lx, int v, int base, int digits)
{
	int d;

	while (digits-- > 0) {
		d = lex_hexval(lex_peekc(lx));
		if (d < 0 || d >= base)
			break;
		lex_getc(lx);
		v = v * base + d;
	}
	return v & 0xff;
}

/* A string after its opening quote, unescaped into lx->text. */
static int
lex_string(struct dcf_lexer *lx, struct dcf_token *t)
{
	size_t n = 0;
	int c;

	for (;;) {
		if ((c = lex_getc(lx)) == -1)
			return lex_error(lx, t->line, t->column,
			    "end of file in a string that starts here");
		if (c == '"')
			break;
		if (c == '\\') {
			if ((c = lex_getc(lx)) == -1)
				continue;	/* reported on the next turn */
			switch (c) {
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'n': c = '\n'; break;
			case 'b': c = '\b'; break;
			case 'x': c = lex_numesc(lx, 0, 16, 2); break;
			case '0': case '1': case '2': case '3':
				c = lex_numesc(lx, c - '0', 8, 2);
				break;
			default:
				break;
			}
		}
		if (n + 1 >= sizeof(lx->text))
			return lex_error(lx, t->line, t->column,
			    "string longer than 8191 bytes");
		lx->text[n++] = (char)c;
	}
	lx->text[n] = '\0';
	t->type = DCF_STRING;
	t->len = n;
	return 0;
}

/* A name or number starting with c. */
static int
lex_word(struct dcf_lexer *lx, struct dcf_token *t, int c)
{
	size_t n = 0;
	int all = lex_class[c];
	unsigned char b;

	lx->text[n++] = (char)c;
	/* a name never holds a newline: the column moves with it */
	while (lx->pos < lx->len &&
	    (lex_class[b = lx->buf[lx->pos]] & C_NAME) != 0) {
		if (n + 1 >= sizeof(lx->text))
			return lex_error(lx, t->line, t->column,
			    "name longer than 8191 bytes");
		all &= lex_class[b];
		lx->text[n++] = (char)b;
		lx->pos++;
		lx->column++;
	}
	lx->text[n] = '\0';
	t->len = n;
	if (n == 1 && c == '-') {
		t->type = DCF_CHAR;
		t->ch = '-';
		return 0;
	}
	/* all digits, after one leading '-' */
	if (c == '-' && n > 1)
		all = lex_class[(unsigned char)lx->text[1]];
	if (c == '-')
		for (size_t i = 2; i < n; i++)
			all &= lex_class[(unsigned char)lx->text[i]];
	t->type = (all & C_DIGIT) ? DCF_NUMBER : DCF_NAME;
	t->word = (lex_class[c] & C_ALPHA) != 0;
	return 0;
}

/* Read one token into lx->tok. */
static int
lex_read(struct dcf_lexer *lx)
{
	struct dcf_token *t = &lx->tok;
	int c;

	memset(t, 0, sizeof(*t));
	t->text = lx->text;
	lx->text[0] = '\0';
	for (;;) {
		t->line = lx->line;
		t->column = lx->column;
		if ((c = lex_getc(lx)) == -1) {
			t->type = DCF_EOF;
			return 0;
		}
		if (lex_is(c, C_SPACE))
			continue;
		if (c != '#')
			break;
		while ((c = lex_getc(lx)) != -1 && c != '\n')
			;
	}
	if (c == '"')
		return lex_string(lx, t);
	if (lex_is(c, C_ALPHA | C_DIGIT) || c == '-')
		return lex_word(lx, t, c);
	t->type = DCF_CHAR;
	t->ch = c;
	lx->text[0] = (char)c;
	lx->text[1] = '\0';
	t->len = 1;
	return 0;
}

void
dcf_lex_init(struct dcf_lexer *lx, const char *file, const char *buf,
    size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = file;
	lx->buf = (const unsigned char *)buf;
	lx->len = len;
	lx->line = 1;
	lx->column = 1;
}

/* The next token into *t (its text valid until the next call). */
int
dcf_lex_next(struct dcf_lexer *lx, struct dcf_token *t)
{
	if (!lx->peeked && lex_read(lx) == -1)
		return -1;
	lx->peeked = 0;
	*t = lx->tok;
	return 0;
}

/* The next token without consuming it. */
int
dcf_lex_peek(struct dcf_lexer *lx, struct dcf_token *t)
{
	if (!lx->peeked) {
		if (lex_read(lx) == -1)
			return -1;
		lx->peeked = 1;
	}
	*t = lx->tok;
	return 0;
}

/* True when t is the keyword `word` (dhcpd compares them without case). */
int
dcf_tok_is(const struct dcf_token *t, const char *word)
{
	return t->type == DCF_NAME && t->word &&
	    strcasecmp(t->text, word) == 0;
}

int
dcf_tok_ch(const struct dcf_token *t, int ch)
{
	return t->type == DCF_CHAR && t->ch == ch;
}

/*
 * A string for messages: printable ASCII as is, the rest as \xHH, cut at
 * 64 bytes, so that no input can forge a log line.
 */
void
dcf_quote(const char *s, char *out, size_t outlen)
{
	size_t n = 0, i;
	unsigned char c;

	if (outlen == 0)
		return;
	for (i = 0; s[i] != '\0' && i < 64; i++) {
		c = (unsigned char)s[i];
		if (n + 5 >= outlen)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, outlen - n, "\\x%02x",
			    c);
	}
	if (s[i] != '\0' && n + 4 < outlen) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* A token as a message shows it: 'word', "string", end of file. */
void
dcf_tok_show(const struct dcf_token *t, char *out, size_t outlen)
{
	char q[300];

	switch (t->type) {
	case DCF_EOF:
		snprintf(out, outlen, "end of file");
		return;
	case DCF_STRING:
		dcf_quote(t->text, q, sizeof(q));
		snprintf(out, outlen, "\"%s\"", q);
		return;
	case DCF_CHAR:
		if (t->ch >= 0x20 && t->ch < 0x7f)
			snprintf(out, outlen, "'%c'", t->ch);
		else
			snprintf(out, outlen, "byte \\x%02x", t->ch & 0xff);
		return;
	default:
		dcf_quote(t->text, q, sizeof(q));
		snprintf(out, outlen, "'%s'", q);
		return;
	}
}

/*
 * The parser's side of the tokens: errors at a token, expectations,
 * numbers and addresses, skipping what is not read, and the budget of a
 * load.
 */

/* Milliseconds since the load started (CLOCK_MONOTONIC). */
static unsigned long
budget_ms(const struct dcf_parser *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (unsigned long)(now.tv_sec - p->start.tv_sec) * 1000 +
	    (unsigned long)((now.tv_nsec - p->start.tv_nsec) / 1000000);
}

/*
 * One more declaration kept (a subnet, shared network, pool, range, peer
 * or class): 0, or -1 at t past the load's max_decls.  What a load keeps
 * is thus bounded as what it reads is (a few hundred bytes each).
 */
int
dcf_decl(struct dcf_parser *p, const struct dcf_token *t)
{
	if (++p->decls <= p->lim.max_decls)
		return 0;
	return dcf_perr(p, t, "more than %u declarations (subnets, shared "
	    "networks, pools, ranges, failover peers, classes) in one load",
	    p->lim.max_decls);
}

/*
 * 0 while the load may go on, else -1 and the reason at LINE:COL: the
 * caller's stop callback said so, or the load's time is up.
 */
int
dcf_budget(struct dcf_parser *p, unsigned line, unsigned col)
{
	p->ticks = 0;
	if (p->lim.stop != NULL && p->lim.stop(p->lim.stop_arg))
		return dcf_perr_at(p, line, col, "interrupted");
	if (budget_ms(p) > p->lim.max_ms)
		return dcf_perr_at(p, line, col, "gave up after %u ms: one "
		    "dhcpd.conf load may take at most %u ms", p->lim.max_ms,
		    p->lim.max_ms);
	return 0;
}

/*
 * "FILE:LINE:COLUMN: message" into the caller's buffer (line 0: "FILE:
 * message"); always -1.
 */
int
dcf_perr_at(struct dcf_parser *p, unsigned line, unsigned col, const char *fmt,
    ...)
{
	char msg[DHCPDCONF_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line == 0)		/* no token: the file as a whole */
		snprintf(p->err, p->errlen, "%s: %s", p->file, msg);
	else
		snprintf(p->err, p->errlen, "%s:%u:%u: %s", p->file, line,
		    col, msg);
	return -1;
}


int
dcf_nomem(struct dcf_parser *p, const struct dcf_token *t)
{
	return dcf_perr(p, t, "out of memory");
}

/* The next token; every 4,096 the budget is checked (dcf_budget). */
int
dcf_next(struct dcf_parser *p, struct dcf_token *t)
{
	if (dcf_lex_next(p->lx, t) == -1) {
		snprintf(p->err, p->errlen, "%s", p->lx->err);
		return -1;
	}
	if (++p->ticks >= 4096)
		return dcf_budget(p, t->line, t->column);
	return 0;
}

int
dcf_peek(struct dcf_parser *p, struct dcf_token *t)
{
	if (dcf_lex_peek(p->lx, t) == -1) {
		snprintf(p->err, p->errlen, "%s", p->lx->err);
		return -1;
	}
	return 0;
}

/* "expected X, found Y" at the token found. */
int
dcf_expected(struct dcf_parser *p, const struct dcf_token *t, const char *what)
{
	char found[320];

	dcf_tok_show(t, found, sizeof(found));
	return dcf_perr(p, t, "expected %s, found %s", what, found);
}

int
dcf_expect_ch(struct dcf_parser *p, int ch, const char *what)
{
	struct dcf_token t;

	if (dcf_next(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ch) ? 0 : dcf_expected(p, &t, what);
}

int
dcf_expect_word(struct dcf_parser *p, const char *word)
{
	struct dcf_token t;
	char what[64];

	if (dcf_next(p, &t) == -1)
		return -1;
	if (dcf_tok_is(&t, word))
		return 0;
	snprintf(what, sizeof(what), "'%s'", word);
	return dcf_expected(p, &t, what);
}

struct dhcpdconf_where
dcf_where(const struct dcf_parser *p, const struct dcf_token *t)
{
	struct dhcpdconf_where w = { p->file, t->line, t->column };

	return w;
}

/* A decimal number token into *v (0..max). */
int
dcf_number(struct dcf_parser *p, long max, long *v)
{
	struct dcf_token t;
	char *end;

	if (dcf_next(p, &t) == -1)
		return -1;
	if (t.type != DCF_NUMBER || t.text[0] == '-')
		return dcf_expected(p, &t, "a number");
	errno = 0;
	*v = strtol(t.text, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return dcf_perr(p, &t, "%s is larger than %ld", t.text, max);
	return 0;
}

/* A dotted quad (four decimal numbers up to 255, as dhcpd reads it). */
int
dcf_ip(struct dcf_parser *p, uint32_t *ip, struct dcf_token *first)
{
	struct dcf_token t;
	unsigned long v;
	size_t j;
	int i;

	*ip = 0;
	for (i = 0; i < 4; i++) {
		if (i > 0 &&
		    dcf_expect_ch(p, '.', "'.' in an IPv4 address") == -1)
			return -1;
		if (dcf_next(p, &t) == -1)
			return -1;
		if (i == 0 && first != NULL)
			*first = t;
		if (t.type != DCF_NUMBER || t.text[0] == '-')
			return dcf_expected(p, &t, "an IPv4 address");
		for (v = 0, j = 0; j < t.len && v <= 255; j++)
			v = v * 10 + (unsigned long)(t.text[j] - '0');
		if (v > 255)
			return dcf_perr(p, &t, "%s is not an address byte "
			    "(0-255)", t.text);
		*ip = *ip << 8 | (uint32_t)v;
	}
	return 0;
}

/*
 * Skip a statement whose first token t was read: to its ';', or to the
 * '}' closing its first '{' (then an elsif/else goes on, and one ';' is
 * taken).  Braces inside strings and comments never count.
 */
int
dcf_skip_stmt(struct dcf_parser *p, struct dcf_token *t)
{
	struct dcf_token open = *t, start = *t, la;
	unsigned depth = 0;

	for (;;) {
		if (t->type == DCF_EOF) {
			if (depth > 0)
				return dcf_perr(p, &open, "end of file inside "
				    "this '{'");
			return dcf_perr(p, &start, "end of file in this "
			    "statement (missing ';'?)");
		}
		if (depth == 0 && dcf_tok_ch(t, ';'))
			return 0;
		if (dcf_tok_ch(t, '{') && depth++ == 0)
			open = *t;
		if (dcf_tok_ch(t, '}')) {
			if (depth == 0)
				return dcf_perr(p, t, "unexpected '}': the "
				    "statement at %u:%u has no ';'",
				    start.line, start.column);
			if (--depth == 0) {
				if (dcf_peek(p, &la) == -1)
					return -1;
				if (dcf_tok_ch(&la, ';'))
					return dcf_next(p, &la);
				if (!dcf_tok_is(&la, "elsif") &&
				    !dcf_tok_is(&la, "else"))
					return 0;
			}
		}
		if (dcf_next(p, t) == -1)
			return -1;
	}
}

/*
 * The next token of a block opened at open: 1 and the token, 0 at its
 * '}', -1 at the end of the file (an error) or on one.
 */
int
dcf_block_next(struct dcf_parser *p, const struct dcf_token *open,
    struct dcf_token *t)
{
	if (dcf_next(p, t) == -1)
		return -1;
	if (dcf_tok_ch(t, '}'))
		return 0;
	if (t->type == DCF_EOF)
		return dcf_perr(p, open, "end of file inside this '{'");
	return 1;
}

/* Skip the rest of a statement from the next token on. */
int
dcf_skip_rest(struct dcf_parser *p)
{
	struct dcf_token t;

	if (dcf_next(p, &t) == -1)
		return -1;
	return dcf_skip_stmt(p, &t);
}
