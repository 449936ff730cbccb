/*
 * lexer.c: the dhcpd.conf tokenizer, after the rules of ISC's
 * common/conflex.c: '#' starts a comment to the end of the line outside
 * strings; strings are double-quoted with \t \r \n \b \OOO \xHH escapes
 * and any other escaped byte standing for itself; names and numbers are
 * runs of [A-Za-z0-9_-]; every other byte is a token of its own.  Lines
 * and columns count from 1, a column being a byte.  Public for other
 * readers of ISC's files (dhcpdconf.h, the lexer section: src/leases/); the parser's side
 * of the tokens is tokens.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dhcpdconf.h"

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
	const unsigned char *b = lx->buf;
	size_t start = lx->pos - 1, end = lx->pos, n;
	int all = lex_class[c];

	/* the run first, then one copy; a name never holds a newline: the
	 * column moves with it */
	while (end < lx->len && (lex_class[b[end]] & C_NAME) != 0)
		all &= lex_class[b[end++]];
	if ((n = end - start) >= sizeof(lx->text))
		return lex_error(lx, t->line, t->column,
		    "name longer than 8191 bytes");
	memcpy(lx->text, b + start, n);
	lx->text[n] = '\0';
	lx->column += (unsigned)(end - lx->pos);
	lx->pos = end;
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
		/* blanks: the hot loop, one table look-up a byte */
		while (lx->pos < lx->len &&
		    (lex_class[lx->buf[lx->pos]] & C_SPACE) != 0) {
			if (lx->buf[lx->pos++] == '\n') {
				lx->line++;
				lx->column = 1;
			} else
				lx->column++;
		}
		t->off = lx->pos;
		t->line = lx->line;
		t->column = lx->column;
		if ((c = lex_getc(lx)) == -1) {
			t->type = DCF_EOF;
			return 0;
		}
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
	/* not the text and err buffers: a reader may start many lexers */
	lx->file = file;
	lx->buf = (const unsigned char *)buf;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->column = 1;
	lx->peeked = 0;
	memset(&lx->tok, 0, sizeof(lx->tok));
	lx->text[0] = '\0';
	lx->err[0] = '\0';
}

/*
 * As dcf_lex_init, for a buffer that starts at line:column of its file
 * (a reader that goes through a file in pieces).
 */
void
dcf_lex_init_at(struct dcf_lexer *lx, const char *file, const char *buf,
    size_t len, unsigned line, unsigned column)
{
	dcf_lex_init(lx, file, buf, len);
	lx->line = line;
	lx->column = column;
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

/*
 * The raw text of a run of adjacent tokens from first (just read) on:
 * every NAME, NUMBER, ':', '.' and '/' that touches the one before, as
 * in an IPv6 address, PREFIX/LEN or a colon-separated hex string, which
 * the tokenizer cuts into pieces.  Returns 1, 0 when the run reaches the
 * end of the buffer (a reader in pieces may get more of it), -1 on a
 * lexer error or a run that does not fit in out (lx->err).
 */
int
dcf_lex_run(struct dcf_lexer *lx, const struct dcf_token *first, char *out,
    size_t outlen)
{
	struct dcf_token n;
	size_t end = first->off + first->len;

	/*
	 * The run is the bytes of those tokens and nothing between them:
	 * name bytes, ':', '.' and '/'.  Read as bytes (no token past it is
	 * made, none of it is a newline); after a peek, the slow way.
	 */
	if (!lx->peeked && lx->pos == end) {
		while (end < lx->len && ((lex_class[lx->buf[end]] & C_NAME) !=
		    0 || lx->buf[end] == ':' || lx->buf[end] == '.' ||
		    lx->buf[end] == '/'))
			end++;
		lx->column += (unsigned)(end - lx->pos);
		lx->pos = end;
	}
	while (!lx->peeked && end < lx->len &&
	    ((lex_class[lx->buf[end]] & C_NAME) != 0 || lx->buf[end] == ':' ||
	    lx->buf[end] == '.' || lx->buf[end] == '/')) {
		if (dcf_lex_next(lx, &n) == -1)
			return -1;
		end = n.off + n.len;
	}
	if (end - first->off >= outlen)
		return lex_error(lx, first->line, first->column,
		    "address too long");
	memcpy(out, lx->buf + first->off, end - first->off);
	out[end - first->off] = '\0';
	return end < lx->len;
}

/*
 * Skip the rest of a statement without making tokens: bytes up to the ';'
 * that ends it outside strings, comments and braces, or up to the '}'
 * that closes the `depth` braces already open (both consumed).  Returns 1
 * there, 0 when the buffer ends first, -1 before a '}' that closes
 * nothing (for the caller to read and report).  For readers that pass
 * over statements they do not keep; not after a peek.
 */
int
dcf_lex_skip(struct dcf_lexer *lx, unsigned depth)
{
	/* the bytes that end a run of plain text */
	static const unsigned char special[256] = {
		['"'] = 1, ['#'] = 1, ['{'] = 1, ['}'] = 1, [';'] = 1,
		['\n'] = 1
	};
	const unsigned char *b = lx->buf;
	size_t i = lx->pos, n = lx->len, bol;
	unsigned line = lx->line;
	int rv = 0;

	if (lx->peeked)
		return -1;
	/* columns count from the last line start (bol), or from lx's */
	bol = (size_t)-1;
	while (i < n) {
		while (i < n && !special[b[i]])
			i++;
		if (i >= n)
			break;
		switch (b[i]) {
		case '\n':
			line++;
			bol = i + 1;
			break;
		case '"':
			for (i++; i < n && b[i] != '"'; i++) {
				if (b[i] == '\\' && i + 1 < n)
					i++;	/* the escaped byte, maybe \n */
				if (b[i] == '\n') {
					line++;
					bol = i + 1;
				}
			}
			break;
		case '#':
			while (i < n && b[i] != '\n')
				i++;
			continue;
		case '{':
			depth++;
			break;
		case '}':
			if (depth == 0) {
				rv = -1;
				goto out;
			}
			if (--depth == 0) {
				i++;
				rv = 1;
				goto out;
			}
			break;
		default:	/* ';' */
			if (depth == 0) {
				i++;
				rv = 1;
				goto out;
			}
			break;
		}
		i++;
	}
out:
	if (i > n)
		i = n;
	if (rv != 0) {
		lx->column = bol == (size_t)-1 ?
		    lx->column + (unsigned)(i - lx->pos) :
		    1 + (unsigned)(i - bol);
		lx->pos = i;
		lx->line = line;
	}
	return rv;
}

/*
 * The next word without making a token: blanks are passed over, then a
 * run of name bytes that starts with a letter is returned in *w, *n (in
 * the buffer, not NUL-terminated) and passed over.  0 and nothing more
 * passed when the next thing is anything else (a comment, a string, a
 * character, a peeked token) or the run reaches the end of the buffer:
 * the caller reads tokens then.  A reader's fast path for keywords.
 */
int
dcf_lex_word(struct dcf_lexer *lx, const char **w, size_t *n)
{
	const unsigned char *b = lx->buf;
	size_t i;

	if (lx->peeked)
		return 0;
	while (lx->pos < lx->len && (lex_class[b[lx->pos]] & C_SPACE) != 0) {
		if (b[lx->pos++] == '\n') {
			lx->line++;
			lx->column = 1;
		} else
			lx->column++;
	}
	if (lx->pos >= lx->len || (lex_class[b[lx->pos]] & C_ALPHA) == 0)
		return 0;
	for (i = lx->pos + 1; i < lx->len && (lex_class[b[i]] & C_NAME) != 0;
	    i++)
		;
	if (i >= lx->len)
		return 0;
	*w = (const char *)b + lx->pos;
	*n = i - lx->pos;
	lx->column += (unsigned)*n;
	lx->pos = i;
	return 1;
}

/*
 * Pass over n bytes that the caller read itself from lx->buf + lx->pos
 * (none of them a newline): a reader's fast path for text it recognises
 * without tokens.  Not after a peek.
 */
void
dcf_lex_advance(struct dcf_lexer *lx, size_t n)
{
	if (lx->peeked || n > lx->len - lx->pos)
		return;
	lx->pos += n;
	lx->column += (unsigned)n;
}

/* True when t is the keyword `word` (dhcpd compares them without case). */
int
dcf_tok_is(const struct dcf_token *t, const char *word)
{
	/* the first letter first: most comparisons end there */
	return t->type == DCF_NAME && t->word &&
	    (t->text[0] | 0x20) == (word[0] | 0x20) &&
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
