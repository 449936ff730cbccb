/*
 * tokens.c: the dhcpd.conf parser's side of the tokens (lexer.c makes
 * them): errors at a token, expectations, numbers and addresses, skipping
 * what is not read, and the budget of a load, which dcf_next checks.
 * Apart from lexer.c, which other readers share (dhcpdconf.h), as
 * these need the parser's state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dcf_int.h"

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
