/*
 * parse.c: the stanzas of dhcpd.leases(5) as dhcpd 4.4 writes them
 * (server/db.c write_lease, write_ia, write_server_duid,
 * write_failover_state), read with the dhcpd.conf lexer: dhcpd reads
 * both files with one lexer too.
 *
 * Every function below returns 1 when it read what it wanted, 0 when the
 * buffer ended first (the stanza is not complete yet: keep it for the next
 * read), -1 on an error (the message is in p->err).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhcpdconf.h"
#include "leases_int.h"

#define TRY(x)	do { int rv_ = (x); if (rv_ <= 0) return rv_; } while (0)

struct lsp {
	struct leases		*l;
	struct dcf_lexer	 lx;
	char			*err;
	size_t			 errlen;
};

/* "FILE:LINE:COLUMN: message" into err; always -1. */
int
lsf_err(char *err, size_t errlen, const char *file, unsigned line,
    unsigned column, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u:%u: %s", file, line, column, msg);
	return -1;
}

#define lsp_err(p, t, ...) lsf_err((p)->err, (p)->errlen, (p)->l->name, \
	(t)->line, (t)->column, __VA_ARGS__)

/* The lexer's own error, or 0 when it only ran out of bytes. */
static int
lsp_lexfail(struct lsp *p)
{
	if (p->lx.pos >= p->lx.len)
		return 0;
	snprintf(p->err, p->errlen, "%s", p->lx.err);
	return -1;
}

/*
 * 1 for a token, 0 at the end of the buffer: also for a name, a number
 * or a '-' that reaches it, which the next bytes may continue.
 */
static int
lsp_tok(const struct lsp *p, const struct dcf_token *t)
{
	if (t->type == DCF_EOF)
		return 0;
	return !((t->type == DCF_NAME || t->type == DCF_NUMBER ||
	    dcf_tok_ch(t, '-')) && t->off + t->len == p->lx.len);
}

static int
lsp_next(struct lsp *p, struct dcf_token *t)
{
	if (dcf_lex_next(&p->lx, t) == -1)
		return lsp_lexfail(p);
	return lsp_tok(p, t);
}

static int
lsp_expected(struct lsp *p, const struct dcf_token *t, const char *what)
{
	char shown[320];

	dcf_tok_show(t, shown, sizeof(shown));
	return lsp_err(p, t, "expected %s, got %s", what, shown);
}

/* The next token: the character ch, or else the keyword word. */
static int
lsp_expect(struct lsp *p, int ch, const char *word)
{
	struct dcf_token t;
	char what[40];

	TRY(lsp_next(p, &t));
	if (word == NULL ? dcf_tok_ch(&t, ch) : dcf_tok_is(&t, word))
		return 1;
	if (word == NULL)
		snprintf(what, sizeof(what), "'%c'", ch);
	else
		snprintf(what, sizeof(what), "'%s'", word);
	return lsp_expected(p, &t, what);
}

/* A block's '{', kept in open for messages about the block. */
static int
lsp_open(struct lsp *p, struct dcf_token *open)
{
	TRY(lsp_next(p, open));
	if (!dcf_tok_ch(open, '{'))
		return lsp_expected(p, open, "'{'");
	return 1;
}

#define lsp_expect_ch(p, ch)		lsp_expect((p), (ch), NULL)
#define lsp_expect_word(p, word)	lsp_expect((p), 0, (word))

/*
 * The rest of a statement from t on: up to its ';', or up to the '}'
 * that closes the first '{' it opens (`on expiry { ... }`).  Most of a
 * lease is statements nobody counts: the lexer passes over them without
 * making tokens.
 */
static int
lsp_skip(struct lsp *p, struct dcf_token *t)
{
	int rv;

	if (dcf_tok_ch(t, ';'))
		return 1;
	if (dcf_tok_ch(t, '}'))
		return lsp_expected(p, t, "a statement");
	rv = dcf_lex_skip(&p->lx, dcf_tok_ch(t, '{'));
	if (rv != -1)
		return rv;
	TRY(lsp_next(p, t));
	return lsp_expected(p, t, "a statement");
}

/* A NUMBER token of at most max. */
static int
lsp_num(struct lsp *p, const struct dcf_token *t, long long max,
    long long *v)
{
	long long n = 0;
	size_t i;

	if (t->type != DCF_NUMBER || t->text[0] == '-')
		return lsp_expected(p, t, "a number");
	for (i = 0; i < t->len; i++) {
		n = n * 10 + (t->text[i] - '0');
		if (n > max)
			return lsp_err(p, t, "number out of range (at most "
			    "%lld)", max);
	}
	*v = n;
	return 1;
}

static int
lsp_next_num(struct lsp *p, long long max, long long *v)
{
	struct dcf_token t;

	TRY(lsp_next(p, &t));
	return lsp_num(p, &t, max, v);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* digits of b[0..n) as a number, or -1 unless all are digits */
static inline long long
lsp_digits(const unsigned char *b, size_t n)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] < '0' || b[i] > '9')
			return -1;
		v = v * 10 + (b[i] - '0');
	}
	return v;
}

/*
 * The date as dhcpd writes it, " W YYYY/MM/DD HH:MM:SS;", read from the
 * bytes (most of a leases file is dates): 1 and the time, or 0 when the
 * text is anything else (the tokens then read it, and say what is wrong).
 */
static int
lsp_date_fast(struct lsp *p, int64_t *when)
{
	const unsigned char *b = p->lx.buf + p->lx.pos;
	long long y, mo, d, h, mi, s;

	if (p->lx.peeked || p->lx.len - p->lx.pos < 23 || b[0] != ' ' ||
	    b[1] < '0' || b[1] > '6' || b[2] != ' ' || b[7] != '/' ||
	    b[10] != '/' || b[13] != ' ' || b[16] != ':' || b[19] != ':' ||
	    b[22] != ';')
		return 0;
	if ((y = lsp_digits(b + 3, 4)) < 1900 ||
	    (mo = lsp_digits(b + 8, 2)) < 1 || mo > 12 ||
	    (d = lsp_digits(b + 11, 2)) < 1 || d > 31 ||
	    (h = lsp_digits(b + 14, 2)) < 0 || h > 23 ||
	    (mi = lsp_digits(b + 17, 2)) < 0 || mi > 59 ||
	    (s = lsp_digits(b + 20, 2)) < 0 || s > 60)
		return 0;
	*when = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s;
	dcf_lex_advance(&p->lx, 23);
	return 1;
}

/*
 * A date and its ';' (common/parse.c parse_date_core): `never`,
 * `epoch SECONDS`, or `W YYYY/MM/DD HH:MM:SS` in UTC.
 */
static int
lsp_date(struct lsp *p, int64_t *when)
{
	struct dcf_token t;
	long long wd, y, mo, d, h, mi, s;

	if (lsp_date_fast(p, when))
		return 1;
	TRY(lsp_next(p, &t));
	if (dcf_tok_is(&t, "never")) {
		*when = LEASES_NEVER;
		return lsp_expect_ch(p, ';');
	}
	if (dcf_tok_is(&t, "epoch")) {
		TRY(lsp_next_num(p, (1ll << 40), &s));
		*when = s;
		return lsp_expect_ch(p, ';');
	}
	TRY(lsp_num(p, &t, 6, &wd));
	TRY(lsp_next_num(p, 9999, &y));
	TRY(lsp_expect_ch(p, '/'));
	TRY(lsp_next_num(p, 12, &mo));
	TRY(lsp_expect_ch(p, '/'));
	TRY(lsp_next_num(p, 31, &d));
	TRY(lsp_next_num(p, 23, &h));
	TRY(lsp_expect_ch(p, ':'));
	TRY(lsp_next_num(p, 59, &mi));
	TRY(lsp_expect_ch(p, ':'));
	TRY(lsp_next_num(p, 60, &s));
	if (mo == 0 || d == 0)
		return lsp_err(p, &t, "bad date");
	if (y < 1900)			/* dhcpd: years since 1900 */
		y += 1900;
	*when = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + s;
	return lsp_expect_ch(p, ';');
}

/* The raw text of an address from its first token t on. */
static int
lsp_addr_text(struct lsp *p, const struct dcf_token *t, char *out,
    size_t outlen)
{
	int rv;

	if (t->type != DCF_NAME && t->type != DCF_NUMBER &&
	    !dcf_tok_ch(t, ':'))
		return lsp_expected(p, t, "an address");
	if ((rv = dcf_lex_run(&p->lx, t, out, outlen)) == -1)
		return lsp_lexfail(p);
	return rv;
}

/* An IPv6 address, with "/LEN" when plen is not NULL. */
static int
lsp_addr6(struct lsp *p, const struct dcf_token *t, uint8_t addr[16],
    uint8_t *plen)
{
	char text[80], shown[100], *slash, *end;
	unsigned long n;

	TRY(lsp_addr_text(p, t, text, sizeof(text)));
	slash = strchr(text, '/');
	if ((slash != NULL) != (plen != NULL)) {
		dcf_quote(text, shown, sizeof(shown));
		return lsp_err(p, t, plen != NULL ? "expected PREFIX/LENGTH, "
		    "got '%s'" : "expected an IPv6 address, got '%s'", shown);
	}
	if (slash != NULL) {
		*slash = '\0';
		errno = 0;
		n = strtoul(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || n > 128 ||
		    !isdigit((unsigned char)slash[1]))
			return lsp_err(p, t, "bad prefix length");
		*plen = (uint8_t)n;
	}
	if (inet_pton(AF_INET6, text, addr) != 1) {
		dcf_quote(text, shown, sizeof(shown));
		return lsp_err(p, t, "bad IPv6 address '%s'", shown);
	}
	return 1;
}

static int
lsp_state_name(const struct dcf_token *t)
{
	int i;

	for (i = 1; i < LEASES_NSTATES; i++)
		if (dcf_tok_is(t, leases_state_name(i)))
			return i;
	return 0;
}

/* " state NAME;" as dhcpd writes it, from the bytes: 1, or 0 to lex. */
static int
lsp_binding_fast(struct lsp *p, uint8_t *state)
{
	const unsigned char *b = p->lx.buf + p->lx.pos;
	size_t avail = p->lx.len - p->lx.pos, n;
	const char *name;
	int i;

	if (p->lx.peeked || avail < 8 || memcmp(b, " state ", 7) != 0)
		return 0;
	for (i = 1; i < LEASES_NSTATES; i++) {
		name = leases_state_name(i);
		n = strlen(name);
		if (avail >= 8 + n && memcmp(b + 7, name, n) == 0 &&
		    b[7 + n] == ';') {
			*state = (uint8_t)i;
			dcf_lex_advance(&p->lx, 8 + n);
			return 1;
		}
	}
	return 0;
}

/* `binding state NAME;` after its first word. */
static int
lsp_binding(struct lsp *p, uint8_t *state)
{
	struct dcf_token t;
	int s;

	if (lsp_binding_fast(p, state))
		return 1;
	TRY(lsp_expect_word(p, "state"));
	TRY(lsp_next(p, &t));
	if ((s = lsp_state_name(&t)) == 0)
		return lsp_expected(p, &t, "a binding state");
	*state = (uint8_t)s;
	return lsp_expect_ch(p, ';');
}

/* Whether the n bytes at w are the keyword word, without case. */
static int
lsp_word_is(const char *w, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(w, word, n) == 0;
}

/*
 * A statement of a lease read from its keyword's bytes (dcf_lex_word):
 * the dates and states it keeps, the rest passed over.  1 when one was
 * read, 2 when the buffer ended inside it, 0 when the tokens are to read
 * what comes, -1 on an error.
 */
static int
lsp_lease_word(struct lsp *p, struct leases_entry *e)
{
	struct dcf_token t;
	const char *w;
	size_t n;
	int rv;

	if (!dcf_lex_word(&p->lx, &w, &n))
		return 0;
	if (lsp_word_is(w, n, "ends"))
		rv = lsp_date(p, &e->ends);
	else if (lsp_word_is(w, n, "cltt"))
		rv = lsp_date(p, &e->cltt);
	else if (lsp_word_is(w, n, "binding"))
		rv = lsp_binding(p, &e->state);
	else if (lsp_word_is(w, n, "next")) {
		if ((rv = lsp_expect_word(p, "binding")) == 1)
			rv = lsp_binding(p, &e->next);
	} else if (lsp_word_is(w, n, "reserved")) {
		e->flags |= LEASES_RESERVED;
		rv = lsp_expect_ch(p, ';');
	} else if ((rv = dcf_lex_skip(&p->lx, 0)) == -1) {
		/* a '}' that closes nothing: as the tokens say it */
		TRY(lsp_next(p, &t));
		return lsp_expected(p, &t, "a statement");
	}
	return rv == 1 ? 1 : rv == 0 ? 2 : -1;
}

/* lease A.B.C.D { ... } */
static int
lsp_lease(struct lsp *p)
{
	struct leases_entry e;
	struct dcf_token t, open;
	char text[80], shown[100];
	int rv;

	memset(&e, 0, sizeof(e));
	e.kind = LEASES_V4;
	TRY(lsp_next(p, &t));
	TRY(lsp_addr_text(p, &t, text, sizeof(text)));
	if (inet_pton(AF_INET, text, e.addr) != 1) {
		dcf_quote(text, shown, sizeof(shown));
		return lsp_err(p, &t, "bad IPv4 address '%s'", shown);
	}
	TRY(lsp_open(p, &open));
	for (;;) {
		/* most statements by their keyword's bytes, no token made */
		if ((rv = lsp_lease_word(p, &e)) == 1)
			continue;
		if (rv != 0)
			return rv == 2 ? 0 : -1;
		TRY(lsp_next(p, &t));
		if (dcf_tok_ch(&t, '}'))
			break;
		/* by the first letter: a lease is ten statements or so */
		switch (t.type == DCF_NAME ? t.text[0] | 0x20 : 0) {
		case 'e':
			rv = dcf_tok_is(&t, "ends") ? lsp_date(p, &e.ends) : 2;
			break;
		case 'c':
			rv = dcf_tok_is(&t, "cltt") ? lsp_date(p, &e.cltt) : 2;
			break;
		case 'b':
			rv = dcf_tok_is(&t, "binding") ?
			    lsp_binding(p, &e.state) : 2;
			break;
		case 'n':
			if (!dcf_tok_is(&t, "next")) {
				rv = 2;
				break;
			}
			TRY(lsp_expect_word(p, "binding"));
			rv = lsp_binding(p, &e.next);
			break;
		case 'r':
			if (!dcf_tok_is(&t, "reserved")) {
				rv = 2;
				break;
			}
			e.flags |= LEASES_RESERVED;
			rv = lsp_expect_ch(p, ';');
			break;
		default:
			rv = 2;
			break;
		}
		if (rv == 2)	/* a statement not kept */
			rv = lsp_skip(p, &t);
		if (rv <= 0)
			return rv;
	}
	if (lsf_tab_put(p->l, &e) == -1)
		return lsp_err(p, &open, "%s", errno == ENOSPC ?
		    "more leases than the bound on entries" :
		    "out of memory");
	return 1;
}

/* iaaddr ADDR { ... } or iaprefix ADDR/LEN { ... } inside an IA. */
static int
lsp_iasub(struct lsp *p, struct leases_entry *e)
{
	struct dcf_token t;
	int rv;

	TRY(lsp_next(p, &t));
	TRY(lsp_addr6(p, &t, e->addr, e->kind == LEASES_PD ? &e->plen : NULL));
	TRY(lsp_expect_ch(p, '{'));
	for (;;) {
		TRY(lsp_next(p, &t));
		if (dcf_tok_ch(&t, '}'))
			return 1;
		if (dcf_tok_is(&t, "ends"))
			rv = lsp_date(p, &e->ends);
		else if (dcf_tok_is(&t, "binding"))
			rv = lsp_binding(p, &e->state);
		else
			rv = lsp_skip(p, &t);
		if (rv <= 0)
			return rv;
	}
}

/*
 * ia-na|ia-ta|ia-pd "IAID+DUID" { cltt DATE; iaaddr ... { } ... }: taken
 * whole at its '}', the IA's cltt given to each of its addresses.
 */
static int
lsp_ia(struct lsp *p, enum leases_kind kind)
{
	struct leases *l = p->l;
	struct dcf_token t, open;
	int64_t cltt = 0;
	size_t n = 0, i;
	int rv;

	if (l->ia == NULL &&
	    (l->ia = calloc(LEASES_MAX_IA, sizeof(*l->ia))) == NULL)
		return lsp_err(p, &p->lx.tok, "out of memory");
	TRY(lsp_next(p, &t));
	if (t.type != DCF_STRING)
		return lsp_expected(p, &t, "the IA's id as a string");
	TRY(lsp_open(p, &open));
	for (;;) {
		TRY(lsp_next(p, &t));
		if (dcf_tok_ch(&t, '}'))
			break;
		if (dcf_tok_is(&t, "cltt"))
			rv = lsp_date(p, &cltt);
		else if (dcf_tok_is(&t, kind == LEASES_PD ? "iaprefix" :
		    "iaaddr")) {
			if (n == LEASES_MAX_IA)
				return lsp_err(p, &t, "more than %u addresses "
				    "in one IA", LEASES_MAX_IA);
			memset(&l->ia[n], 0, sizeof(l->ia[n]));
			l->ia[n].kind = (uint8_t)kind;
			if ((rv = lsp_iasub(p, &l->ia[n])) == 1)
				n++;
		} else if (dcf_tok_is(&t, "iaaddr") ||
		    dcf_tok_is(&t, "iaprefix"))
			return lsp_err(p, &t, "%s in an %s", t.text,
			    kind == LEASES_PD ? "ia-pd" : kind == LEASES_TA ?
			    "ia-ta" : "ia-na");
		else
			rv = lsp_skip(p, &t);
		if (rv <= 0)
			return rv;
	}
	for (i = 0; i < n; i++) {
		/* dhcpd 4.4 takes an iaaddr without a state as active */
		if (l->ia[i].state == LEASES_STATE_NONE)
			l->ia[i].state = LEASES_ACTIVE;
		l->ia[i].cltt = cltt;
		if (lsf_tab_put(l, &l->ia[i]) == -1)
			return lsp_err(p, &open, "%s", errno == ENOSPC ?
			    "more leases than the bound on entries" :
			    "out of memory");
	}
	return 1;
}

static int
lsp_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* server-duid "..."; or server-duid 00:01:...; (one or two digits) */
static int
lsp_duid(struct lsp *p)
{
	struct leases *l = p->l;
	struct dcf_token t;
	char text[400] = "";
	size_t n = 0;
	const char *s;
	int hi, lo;

	TRY(lsp_next(p, &t));
	if (t.type == DCF_STRING) {
		if (t.len > sizeof(l->duid))
			return lsp_err(p, &t, "server-duid too long");
		memcpy(l->duid, t.text, t.len);
		l->duidlen = t.len;
		return lsp_expect_ch(p, ';');
	}
	TRY(lsp_addr_text(p, &t, text, sizeof(text)));
	for (s = text; *s != '\0'; n++) {
		if (n == sizeof(l->duid))
			return lsp_err(p, &t, "server-duid too long");
		if ((hi = lsp_hexval(*s++)) == -1)
			return lsp_err(p, &t, "bad server-duid");
		if ((lo = lsp_hexval(*s)) != -1) {
			hi = hi * 16 + lo;
			s++;
		}
		l->duid[n] = (uint8_t)hi;
		if (*s == ':' && s[1] != '\0')
			s++;
		else if (*s != '\0')
			return lsp_err(p, &t, "bad server-duid");
	}
	l->duidlen = n;
	return lsp_expect_ch(p, ';');
}

/* `my|partner state NAME at DATE` after its first word. */
static int
lsp_peer_state(struct lsp *p, char *name, size_t namelen, int64_t *stos)
{
	struct dcf_token t;

	TRY(lsp_expect_word(p, "state"));
	TRY(lsp_next(p, &t));
	if (t.type != DCF_NAME || t.len >= namelen)
		return lsp_expected(p, &t, "a failover state");
	memcpy(name, t.text, t.len + 1);
	TRY(lsp_expect_word(p, "at"));
	return lsp_date(p, stos);
}

/* failover peer "NAME" state { my state ...; partner state ...; } */
static int
lsp_failover(struct lsp *p)
{
	struct leases *l = p->l;
	struct leases_peer peer;
	struct dcf_token t;
	size_t i;
	int rv;

	memset(&peer, 0, sizeof(peer));
	TRY(lsp_expect_word(p, "peer"));
	TRY(lsp_next(p, &t));
	if (t.type != DCF_STRING && t.type != DCF_NAME)
		return lsp_expected(p, &t, "a failover peer name");
	if (t.len >= sizeof(peer.name) || memchr(t.text, '\0', t.len))
		return lsp_err(p, &t, "bad failover peer name");
	memcpy(peer.name, t.text, t.len + 1);
	TRY(lsp_expect_word(p, "state"));
	TRY(lsp_expect_ch(p, '{'));
	for (;;) {
		TRY(lsp_next(p, &t));
		if (dcf_tok_ch(&t, '}'))
			break;
		if (dcf_tok_is(&t, "my"))
			rv = lsp_peer_state(p, peer.my_state,
			    sizeof(peer.my_state), &peer.my_stos);
		else if (dcf_tok_is(&t, "partner"))
			rv = lsp_peer_state(p, peer.partner_state,
			    sizeof(peer.partner_state), &peer.partner_stos);
		else
			rv = lsp_skip(p, &t);
		if (rv <= 0)
			return rv;
	}
	for (i = 0; i < l->npeers; i++)
		if (strcmp(l->peers[i].name, peer.name) == 0)
			break;
	if (i == LEASES_MAX_PEERS)
		return lsp_err(p, &t, "more than %u failover peers",
		    LEASES_MAX_PEERS);
	l->peers[i] = peer;
	if (i == l->npeers)
		l->npeers++;
	return 1;
}

/* One top-level stanza, its first token in t. */
static int
lsp_stanza(struct lsp *p, struct dcf_token *t)
{
	if (dcf_tok_is(t, "lease"))
		return lsp_lease(p);
	if (dcf_tok_is(t, "ia-na"))
		return lsp_ia(p, LEASES_NA);
	if (dcf_tok_is(t, "ia-ta"))
		return lsp_ia(p, LEASES_TA);
	if (dcf_tok_is(t, "ia-pd"))
		return lsp_ia(p, LEASES_PD);
	if (dcf_tok_is(t, "server-duid"))
		return lsp_duid(p);
	if (dcf_tok_is(t, "failover"))
		return lsp_failover(p);
	/* host, group, class, subclass, authoring-byte-order, ... */
	if (t->type != DCF_NAME || !t->word)
		return lsp_expected(p, t, "a lease, an IA or a declaration");
	return lsp_skip(p, t);
}

/*
 * Where parsing can start again after a bad stanza: the next line that
 * starts with a letter at or after `from` (dhcpd writes every top-level
 * stanza at a line's start and indents the rest).  Counts the lines
 * passed; returns len when there is none yet.
 */
static size_t
lsp_resync(const char *buf, size_t from, size_t len, size_t start,
    unsigned *line)
{
	size_t i;

	for (i = from; i < len; i++) {
		if ((i == start || (i > 0 && buf[i - 1] == '\n')) &&
		    isalpha((unsigned char)buf[i]))
			return i;
		if (buf[i] == '\n')
			(*line)++;
	}
	return len;
}

/* The start of the last line of buf[pos..len), or pos when it has none. */
static size_t
lsp_last_line(const char *buf, size_t pos, size_t len)
{
	while (len > pos && buf[len - 1] != '\n')
		len--;
	return len;
}

/*
 * Parse the complete stanzas of l->buf[0..nbuf), which starts at
 * l->line:l->column of the file.  Returns how many bytes were used; the
 * rest is an incomplete stanza (or part of a line) to keep, its place in
 * l->line:l->column.  *bad counts bad stanzas, the first one's message in
 * err.
 */
size_t
lsf_parse(struct leases *l, int *bad, char *err, size_t errlen)
{
	struct lsp p;
	struct dcf_token t, first;
	size_t pos = 0, base = 0, at, nl;
	unsigned line = l->line, column = l->column;
	char msg[LEASES_ERRLEN];
	int rv, fresh = 1;

	p.l = l;
	p.err = msg;
	p.errlen = sizeof(msg);
	for (;;) {
		if (l->resync) {
			at = lsp_resync(l->buf, pos, l->nbuf, column == 1 ?
			    pos : (size_t)-1, &line);
			if (at == l->nbuf) {
				/* keep a last line without its newline */
				nl = lsp_last_line(l->buf, pos, l->nbuf);
				l->line = line;
				l->column = nl > pos ? 1 : column;
				return nl;
			}
			pos = at;
			column = 1;
			l->resync = 0;
			fresh = 1;
		}
		/* one lexer goes on from stanza to stanza, a new one after
		 * an error */
		if (fresh) {
			dcf_lex_init_at(&p.lx, l->name, l->buf + pos,
			    l->nbuf - pos, line, column);
			base = pos;
			fresh = 0;
		}
		if (dcf_lex_peek(&p.lx, &t) == -1) {
			t = p.lx.tok;
			rv = lsp_lexfail(&p);
		} else if (t.type == DCF_EOF) {
			/* blanks and comments: keep the last line */
			nl = lsp_last_line(l->buf, pos, l->nbuf);
			l->line = p.lx.line;
			l->column = nl > pos ? 1 : p.lx.column;
			return nl;
		} else {
			dcf_lex_next(&p.lx, &first);
			rv = lsp_tok(&p, &first);
			if (rv == 1)
				rv = lsp_stanza(&p, &first);
		}
		at = base + t.off;
		if (rv == 1) {
			l->st.stanzas++;
			pos = base + (p.lx.peeked ? p.lx.tok.off : p.lx.pos);
			continue;
		}
		if (rv == 0) {
			/* an incomplete stanza: from its first token on */
			l->line = t.line;
			l->column = t.column;
			return at;
		}
		if ((*bad)++ == 0)
			snprintf(err, errlen, "%s", msg);
		l->st.bad_stanzas++;
		l->resync = 1;
		pos = at + 1;
		line = t.line;
		column = t.column + 1;
	}
}
