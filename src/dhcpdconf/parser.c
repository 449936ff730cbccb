/*
 * parser.c: dhcpd.conf statements, after ISC's server/confpars.c.  The
 * declarations that make dhcpd's IPv4 address pools are read: include,
 * shared-network, subnet, group, pool, range, failover peer, class.
 * Every other statement is skipped whole: up to its ';' at the same
 * nesting, or its balanced { } (with elsif/else and an optional ';').
 * Where a declaration may stand and the errors follow confpars.c, so a
 * file dhcpd -t refuses is refused here for the same reason, and one it
 * accepts is read.  The first error ends the parse.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcf_int.h"

/* What encloses a statement: confpars.c's declaration types. */
enum dcf_kind {
	K_ROOT,
	K_SHARED,
	K_SUBNET,
	K_POOL,
	K_GROUP
};

struct dcf_ctx {
	enum dcf_kind	 kind;
	size_t		 shared;	/* innermost shared network, or NONE */
	size_t		 subnet;	/* the subnet of K_SUBNET (or a group) */
	size_t		 pool;		/* the working pool of K_POOL */
	int		 included;	/* a file included inside a pool */
};

struct dcf_permits {
	char		**v;
	size_t		 n;
	size_t		 cap;
};

/* A pool while parsing; merged ones are dropped at the end. */
struct dcf_wpool {
	size_t		 shared;
	size_t		 subnet;	/* pool in a subnet, or NONE */
	size_t		 peer;
	int		 implicit;
	int		 statements;	/* its group has statements */
	int		 listed;	/* on its shared network's list */
	size_t		 next;		/* next on that list */
	size_t		 merged;	/* the pool it merged into, or NONE */
	size_t		 nranges;
	struct dcf_permits allow;
	struct dcf_permits deny;
	struct dhcpdconf_where where;
};

/* Per shared network: its pool list, subnets, DHCPv6 content. */
struct dcf_wshared {
	size_t		 first;
	size_t		 last;
	size_t		 nsubnets;
	int		 v6;
};

struct dcf_parser {
	struct dhcpdconf	*c;
	const struct dhcpdconf_opts *opts;
	char			*err;
	size_t			 errlen;
	struct dcf_lexer	*lx;
	const char		*file;
	unsigned		 depth;		/* includes */
	unsigned		 nest;		/* declaration blocks */
	struct dcf_wpool	*pools;
	size_t			 npools;
	size_t			 cappools;
	struct dcf_wshared	*ws;
	size_t			 capws;
	size_t			 capfiles, capshared, capsubnets, capranges;
	size_t			 cappeers, capclasses;
};

static int	parse_stmts(struct dcf_parser *, const struct dcf_ctx *,
		    const struct dcf_token *);
static int	parse_file(struct dcf_parser *, const struct dcf_ctx *,
		    const char *path, const struct dcf_token *);

static int __attribute__((format(printf, 4, 5)))
perr_at(struct dcf_parser *p, unsigned line, unsigned col, const char *fmt,
    ...)
{
	char msg[DHCPDCONF_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u:%u: %s", p->file, line, col, msg);
	return -1;
}

#define perr(p, t, ...)	perr_at((p), (t)->line, (t)->column, __VA_ARGS__)

static int
nomem(struct dcf_parser *p, const struct dcf_token *t)
{
	return perr(p, t, "out of memory");
}

static int
next(struct dcf_parser *p, struct dcf_token *t)
{
	if (dcf_lex_next(p->lx, t) == -1) {
		snprintf(p->err, p->errlen, "%s", p->lx->err);
		return -1;
	}
	return 0;
}

static int
peek(struct dcf_parser *p, struct dcf_token *t)
{
	if (dcf_lex_peek(p->lx, t) == -1) {
		snprintf(p->err, p->errlen, "%s", p->lx->err);
		return -1;
	}
	return 0;
}

/* "expected X, found Y" at the token found. */
static int
expected(struct dcf_parser *p, const struct dcf_token *t, const char *what)
{
	char found[320];

	dcf_tok_show(t, found, sizeof(found));
	return perr(p, t, "expected %s, found %s", what, found);
}

static int
expect_ch(struct dcf_parser *p, int ch, const char *what)
{
	struct dcf_token t;

	if (next(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ch) ? 0 : expected(p, &t, what);
}

static int
expect_word(struct dcf_parser *p, const char *word)
{
	struct dcf_token t;
	char what[64];

	if (next(p, &t) == -1)
		return -1;
	if (dcf_tok_is(&t, word))
		return 0;
	snprintf(what, sizeof(what), "'%s'", word);
	return expected(p, &t, what);
}

static struct dhcpdconf_where
where(const struct dcf_parser *p, const struct dcf_token *t)
{
	struct dhcpdconf_where w = { p->file, t->line, t->column };

	return w;
}

/* A decimal number token into *v (0..max). */
static int
parse_number(struct dcf_parser *p, long max, long *v)
{
	struct dcf_token t;
	char *end;

	if (next(p, &t) == -1)
		return -1;
	if (t.type != DCF_NUMBER || t.text[0] == '-')
		return expected(p, &t, "a number");
	errno = 0;
	*v = strtol(t.text, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return perr(p, &t, "%s is larger than %ld", t.text, max);
	return 0;
}

/* A dotted quad (four decimal numbers up to 255, as dhcpd reads it). */
static int
parse_ip(struct dcf_parser *p, uint32_t *ip, struct dcf_token *first)
{
	struct dcf_token t;
	unsigned long v;
	size_t j;
	int i;

	*ip = 0;
	for (i = 0; i < 4; i++) {
		if (i > 0 && expect_ch(p, '.', "'.' in an IPv4 address") == -1)
			return -1;
		if (next(p, &t) == -1)
			return -1;
		if (i == 0 && first != NULL)
			*first = t;
		if (t.type != DCF_NUMBER || t.text[0] == '-')
			return expected(p, &t, "an IPv4 address");
		for (v = 0, j = 0; j < t.len && v <= 255; j++)
			v = v * 10 + (unsigned long)(t.text[j] - '0');
		if (v > 255)
			return perr(p, &t, "%s is not an address byte (0-255)",
			    t.text);
		*ip = *ip << 8 | (uint32_t)v;
	}
	return 0;
}

/*
 * Skip a statement whose first token t was read: to its ';', or to the
 * '}' closing its first '{' (then an elsif/else goes on, and one ';' is
 * taken).  Braces inside strings and comments never count.
 */
static int
skip_stmt(struct dcf_parser *p, struct dcf_token *t)
{
	struct dcf_token open = *t, start = *t, la;
	unsigned depth = 0;

	for (;;) {
		if (t->type == DCF_EOF) {
			if (depth > 0)
				return perr(p, &open, "end of file inside this "
				    "'{'");
			return perr(p, &start, "end of file in this "
			    "statement (missing ';'?)");
		}
		if (depth == 0 && dcf_tok_ch(t, ';'))
			return 0;
		if (dcf_tok_ch(t, '{') && depth++ == 0)
			open = *t;
		if (dcf_tok_ch(t, '}')) {
			if (depth == 0)
				return perr(p, t, "unexpected '}': the "
				    "statement at %u:%u has no ';'",
				    start.line, start.column);
			if (--depth == 0) {
				if (peek(p, &la) == -1)
					return -1;
				if (dcf_tok_ch(&la, ';'))
					return next(p, &la);
				if (!dcf_tok_is(&la, "elsif") &&
				    !dcf_tok_is(&la, "else"))
					return 0;
			}
		}
		if (next(p, t) == -1)
			return -1;
	}
}

/* Skip the rest of a statement from the next token on. */
static int
skip_rest(struct dcf_parser *p)
{
	struct dcf_token t;

	if (next(p, &t) == -1)
		return -1;
	return skip_stmt(p, &t);
}

static size_t
add_shared(struct dcf_parser *p, const struct dcf_token *t, char *name,
    int implicit)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_shared *s;
	size_t n = c->nshared;

	if (name == NULL || dcf_grow(&c->shared, &p->capshared, n + 1,
	    sizeof(*c->shared)) == -1 || dcf_grow(&p->ws, &p->capws, n + 1,
	    sizeof(*p->ws)) == -1) {
		free(name);
		nomem(p, t);
		return DHCPDCONF_NONE;
	}
	s = &c->shared[n];
	s->name = name;
	s->implicit = implicit;
	s->peer = DHCPDCONF_NONE;
	s->where = where(p, t);
	p->ws[n].first = p->ws[n].last = DHCPDCONF_NONE;
	p->ws[n].nsubnets = 0;
	p->ws[n].v6 = 0;
	c->nshared++;
	return n;
}

/* A shared-network name: a string, or a host name (parse_host_name). */
static char *
parse_shared_name(struct dcf_parser *p)
{
	struct dcf_token t;
	char buf[1024];
	size_t n = 0;

	if (next(p, &t) == -1)
		return NULL;
	if (t.type == DCF_STRING) {
		if (t.len == 0 || t.text[0] == '\0') {
			perr(p, &t, "zero-length shared network name");
			return NULL;
		}
		return strdup(t.text);
	}
	for (;;) {
		if (t.type != DCF_NAME && t.type != DCF_NUMBER) {
			expected(p, &t, "a name for shared-network");
			return NULL;
		}
		if (n + t.len + 2 > sizeof(buf)) {
			perr(p, &t, "shared-network name too long");
			return NULL;
		}
		memcpy(buf + n, t.text, t.len);
		n += t.len;
		if (peek(p, &t) == -1)
			return NULL;
		if (!dcf_tok_ch(&t, '.'))
			break;
		buf[n++] = '.';
		if (next(p, &t) == -1 || next(p, &t) == -1)
			return NULL;
	}
	buf[n] = '\0';
	return strdup(buf);
}

/* shared-network NAME { ... } */
static int
parse_shared(struct dcf_parser *p, const struct dcf_token *kw)
{
	struct dcf_ctx ctx = { K_SHARED, 0, DHCPDCONF_NONE, DHCPDCONF_NONE, 0 };
	struct dcf_token brace;
	char *name;
	size_t s;

	if ((name = parse_shared_name(p)) == NULL)
		return -1;
	if (next(p, &brace) == -1) {
		free(name);
		return -1;
	}
	if (!dcf_tok_ch(&brace, '{')) {
		free(name);
		return expected(p, &brace, "'{'");
	}
	if ((s = add_shared(p, kw, name, 0)) == DHCPDCONF_NONE)
		return -1;
	ctx.shared = s;
	if (parse_stmts(p, &ctx, &brace) == -1)
		return -1;
	if (p->ws[s].nsubnets == 0 && !p->ws[s].v6)
		return perr(p, kw, "empty shared-network declaration");
	return 0;
}

/* The prefix length dhcpd prints for a mask: its lowest set bit. */
static unsigned
mask_prefix(uint32_t mask)
{
	unsigned n = 32;

	if (mask == 0)
		return 0;
	while ((mask & 1) == 0) {
		mask >>= 1;
		n--;
	}
	return n;
}

/* subnet NET netmask MASK { ... } */
static int
parse_subnet(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw)
{
	struct dcf_ctx ctx = *up;
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_subnet *sn;
	struct dcf_token nt, brace;
	char a[16], m[16], *name;
	uint32_t net, mask;
	size_t s, n;

	if (parse_ip(p, &net, &nt) == -1 || expect_word(p, "netmask") == -1 ||
	    parse_ip(p, &mask, NULL) == -1)
		return -1;
	if ((net & ~mask) != 0) {
		dcf_ip_text(net, a);
		dcf_ip_text(mask, m);
		return perr(p, &nt, "subnet %s netmask %s: bad subnet "
		    "number/mask combination", a, m);
	}
	if (expect_ch(p, '{', "'{'") == -1)
		return -1;
	brace = p->lx->tok;
	if (dcf_grow(&c->subnets, &p->capsubnets, c->nsubnets + 1,
	    sizeof(*c->subnets)) == -1)
		return nomem(p, kw);
	sn = &c->subnets[c->nsubnets];
	memset(sn, 0, sizeof(*sn));
	sn->net = net;
	sn->mask = mask;
	sn->prefix = mask_prefix(mask);
	dcf_ip_text(net, sn->cidr);
	n = strlen(sn->cidr);
	sn->cidr[n++] = '/';
	if (sn->prefix >= 10)
		sn->cidr[n++] = (char)('0' + sn->prefix / 10);
	sn->cidr[n++] = (char)('0' + sn->prefix % 10);
	sn->cidr[n] = '\0';
	sn->where = where(p, kw);
	/*
	 * Only a subnet right in a shared-network (or in a file included
	 * there) is part of it: clone_group() carries no shared network, so
	 * one in a group or a pool inside a shared-network is its own.
	 */
	s = up->kind == K_SHARED ? up->shared : DHCPDCONF_NONE;
	if (s == DHCPDCONF_NONE) {
		name = strdup(sn->cidr);
		if ((s = add_shared(p, kw, name, 1)) == DHCPDCONF_NONE)
			return -1;
	}
	sn->shared = s;
	p->ws[s].nsubnets++;
	ctx.kind = K_SUBNET;
	ctx.shared = s;
	ctx.subnet = c->nsubnets++;
	ctx.pool = DHCPDCONF_NONE;
	ctx.included = 0;
	return parse_stmts(p, &ctx, &brace);
}

/* group [NAME] { ... } */
static int
parse_group(struct dcf_parser *p, const struct dcf_ctx *up)
{
	struct dcf_ctx ctx = *up;
	struct dcf_token t;

	if (peek(p, &t) == -1)
		return -1;
	if ((t.type == DCF_STRING || t.type == DCF_NAME) && next(p, &t) == -1)
		return -1;
	if (expect_ch(p, '{', "'{'") == -1)
		return -1;
	t = p->lx->tok;
	ctx.kind = K_GROUP;
	ctx.pool = DHCPDCONF_NONE;
	ctx.included = 0;
	return parse_stmts(p, &ctx, &t);
}

static void
permits_free(struct dcf_permits *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->v[i]);
	free(pl->v);
	memset(pl, 0, sizeof(*pl));
}

static int
permits_add(struct dcf_permits *pl, const char *s)
{
	char *d;

	if ((d = strdup(s)) == NULL)
		return -1;
	if (dcf_grow(&pl->v, &pl->cap, pl->n + 1, sizeof(*pl->v)) == -1) {
		free(d);
		return -1;
	}
	pl->v[pl->n++] = d;
	return 0;
}

/* Every element of a is in b (confpars.c permit_list_match). */
static int
permits_within(const struct dcf_permits *a, const struct dcf_permits *b)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (strcmp(a->v[i], b->v[j]) == 0)
				break;
		if (j == b->n)
			return 0;
	}
	return 1;
}

static int
permits_equal(const struct dcf_permits *a, const struct dcf_permits *b)
{
	return permits_within(a, b) && permits_within(b, a);
}

/* The list holds exactly one element, s (parse_address_range's test). */
static int
permits_only(const struct dcf_permits *pl, const char *s)
{
	return pl->n == 1 && strcmp(pl->v[0], s) == 0;
}

static size_t
add_pool(struct dcf_parser *p, const struct dcf_token *t, size_t shared,
    size_t subnet)
{
	struct dcf_wpool *wp;

	if (dcf_grow(&p->pools, &p->cappools, p->npools + 1,
	    sizeof(*p->pools)) == -1) {
		nomem(p, t);
		return DHCPDCONF_NONE;
	}
	wp = &p->pools[p->npools];
	memset(wp, 0, sizeof(*wp));
	wp->shared = shared;
	wp->subnet = subnet;
	wp->peer = p->c->shared[shared].peer;
	wp->next = wp->merged = DHCPDCONF_NONE;
	wp->where = where(p, t);
	return p->npools++;
}

/* Append pool i to its shared network's list. */
static void
list_pool(struct dcf_parser *p, size_t i)
{
	struct dcf_wshared *ws = &p->ws[p->pools[i].shared];

	if (ws->last == DHCPDCONF_NONE)
		ws->first = i;
	else
		p->pools[ws->last].next = i;
	ws->last = i;
	p->pools[i].listed = 1;
}

/*
 * The pool of a range outside pool blocks, as parse_address_range picks
 * it: the first listed pool whose permit list is just "all clients"
 * (dynamic-bootp) or whose prohibit list is just "dynamic bootp clients"
 * (otherwise) matches; dhcpd then uses the pool listed *before* the match
 * when there is one (its `last` pointer), else the first.  With no match,
 * a new pool is listed.
 */
static size_t
bare_range_pool(struct dcf_parser *p, const struct dcf_token *t,
    size_t shared, size_t subnet, int dynamic)
{
	struct dcf_wpool *wp;
	size_t i, last = DHCPDCONF_NONE;

	for (i = p->ws[shared].first; i != DHCPDCONF_NONE; i = wp->next) {
		wp = &p->pools[i];
		if ((!dynamic && wp->allow.n == 0 &&
		    permits_only(&wp->deny, "dynamic-bootp")) ||
		    (dynamic && wp->deny.n == 0 &&
		    permits_only(&wp->allow, "all")))
			return last != DHCPDCONF_NONE ? last : p->ws[shared].first;
		last = i;
	}
	if ((i = add_pool(p, t, shared, subnet)) == DHCPDCONF_NONE)
		return i;
	wp = &p->pools[i];
	wp->implicit = 1;
	wp->peer = DHCPDCONF_NONE;
	if (permits_add(dynamic ? &wp->allow : &wp->deny,
	    dynamic ? "all" : "dynamic-bootp") == -1) {
		nomem(p, t);
		return DHCPDCONF_NONE;
	}
	list_pool(p, i);
	return i;
}

/* The subnet of shared network s holding ip (the longest mask), or NONE. */
static size_t
shared_subnet(const struct dcf_parser *p, size_t s, uint32_t ip)
{
	const struct dhcpdconf_subnet *sn;
	size_t i, best = DHCPDCONF_NONE;

	for (i = 0; i < p->c->nsubnets; i++) {
		sn = &p->c->subnets[i];
		if (sn->shared != s || (ip & sn->mask) != sn->net)
			continue;
		if (best == DHCPDCONF_NONE ||
		    sn->prefix > p->c->subnets[best].prefix)
			best = i;
	}
	return best;
}

/* The subnet a range's low address picks, checked against both ends. */
static int
range_subnet(struct dcf_parser *p, const struct dcf_ctx *ctx, size_t pool,
    const struct dcf_token *at, uint32_t low, uint32_t high, size_t *out)
{
	const struct dhcpdconf_subnet *sn;
	char a[16], b[16];
	size_t s;

	if (pool == DHCPDCONF_NONE)
		s = ctx->subnet;
	else if ((s = p->pools[pool].subnet) == DHCPDCONF_NONE &&
	    (s = shared_subnet(p, p->pools[pool].shared, low)) ==
	    DHCPDCONF_NONE) {
		dcf_ip_text(low, a);
		dcf_quote(p->c->shared[p->pools[pool].shared].name, b,
		    sizeof(b));
		return perr(p, at, "address range %s not on network %s (the "
		    "pool must follow the declaration of its subnet)", a, b);
	}
	sn = &p->c->subnets[s];
	if ((low & sn->mask) != sn->net || (high & sn->mask) != sn->net) {
		dcf_ip_text((low & sn->mask) != sn->net ? low : high, a);
		return perr(p, at, "bad range, address %s not in subnet %s",
		    a, sn->cidr);
	}
	*out = s;
	return 0;
}

/* range [dynamic-bootp] LOW [HIGH]; in a subnet (pool NONE) or a pool. */
static int
parse_range(struct dcf_parser *p, const struct dcf_ctx *ctx, size_t pool,
    const struct dcf_token *kw)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_range *r;
	struct dcf_token t, lowt;
	uint32_t low, high, tmp;
	size_t subnet = DHCPDCONF_NONE;
	int dynamic = 0;

	if (peek(p, &t) == -1)
		return -1;
	if (dcf_tok_is(&t, "dynamic-bootp")) {
		dynamic = 1;
		if (next(p, &t) == -1)
			return -1;
	}
	if (parse_ip(p, &low, &lowt) == -1 || peek(p, &t) == -1)
		return -1;
	high = low;
	if (!dcf_tok_ch(&t, ';') && parse_ip(p, &high, NULL) == -1)
		return -1;
	if (expect_ch(p, ';', "';' after the range") == -1)
		return -1;
	if (range_subnet(p, ctx, pool, &lowt, low, high, &subnet) == -1)
		return -1;
	if (low > high) {
		tmp = low;
		low = high;
		high = tmp;
	}
	if (pool == DHCPDCONF_NONE && (pool = bare_range_pool(p, kw,
	    c->subnets[subnet].shared, subnet, dynamic)) == DHCPDCONF_NONE)
		return -1;
	if (dynamic && p->pools[pool].peer != DHCPDCONF_NONE)
		return perr(p, kw, "dynamic-bootp is not permitted in a range "
		    "where a failover peer is in scope");
	if (dcf_grow(&c->ranges, &p->capranges, c->nranges + 1,
	    sizeof(*c->ranges)) == -1)
		return nomem(p, kw);
	r = &c->ranges[c->nranges++];
	r->first = low;
	r->last = high;
	r->dynamic_bootp = dynamic;
	r->subnet = subnet;
	r->pool = pool;
	r->where = where(p, kw);
	p->pools[pool].nranges++;
	return 0;
}

/* allow|deny PERMIT; inside a pool (confpars.c get_permit). */
static int
parse_permit(struct dcf_parser *p, struct dcf_permits *pl)
{
	static const struct {
		const char	*word;
		const char	*type;
		int		 clients;	/* "clients" must follow */
	} kinds[] = {
		{ "unknown", "unknown", 1 },
		{ "unknown-clients", "unknown", 0 },
		{ "known", "known", 1 },
		{ "known-clients", "known", 0 },
		{ "authenticated", "authenticated", 1 },
		{ "unauthenticated", "unauthenticated", 1 },
		{ "all", "all", 1 },
	};
	struct dcf_token t;
	char type[DCF_TOKMAX + 16];
	size_t i;
	int clients = 0;

	if (next(p, &t) == -1)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (dcf_tok_is(&t, kinds[i].word))
			break;
	if (i < sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(type, sizeof(type), "%s", kinds[i].type);
		clients = kinds[i].clients;
	} else if (dcf_tok_is(&t, "dynamic")) {
		if (expect_word(p, "bootp") == -1)
			return -1;
		snprintf(type, sizeof(type), "dynamic-bootp");
		clients = 1;
	} else if (dcf_tok_is(&t, "members")) {
		if (expect_word(p, "of") == -1 || next(p, &t) == -1)
			return -1;
		if (t.type != DCF_STRING)
			return expected(p, &t, "a class name");
		snprintf(type, sizeof(type), "members:%s", t.text);
	} else if (dcf_tok_is(&t, "after")) {
		/* the date: its words up to the ';' */
		for (;;) {
			if (peek(p, &t) == -1)
				return -1;
			if (dcf_tok_ch(&t, ';') || t.type == DCF_EOF ||
			    dcf_tok_ch(&t, '}') || dcf_tok_ch(&t, '{'))
				break;
			if (next(p, &t) == -1)
				return -1;
		}
		snprintf(type, sizeof(type), "after");
	} else
		return expected(p, &t, "a permit type");
	if (clients && expect_word(p, "clients") == -1)
		return -1;
	if (expect_ch(p, ';', "';'") == -1)
		return -1;
	if (permits_add(pl, type) == -1)
		return nomem(p, &t);
	return 0;
}

/* failover peer "NAME"; inside a pool. */
static int
parse_pool_peer(struct dcf_parser *p, size_t pool)
{
	struct dcf_token t;
	char q[80];
	size_t i;

	if (expect_word(p, "peer") == -1 || next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return expected(p, &t, "a failover peer name string");
	if ((i = dhcpdconf_find_peer(p->c, t.text)) == DHCPDCONF_NONE) {
		dcf_quote(t.text, q, sizeof(q));
		return perr(p, &t, "failover peer \"%s\": not found (declare "
		    "it before the pool)", q);
	}
	p->pools[pool].peer = i;
	return expect_ch(p, ';', "';'");
}

/* no failover peer [;] inside a pool: confpars.c takes no ';' here. */
static int
parse_pool_nopeer(struct dcf_parser *p, size_t pool)
{
	struct dcf_token t;

	if (expect_word(p, "failover") == -1 || expect_word(p, "peer") == -1)
		return -1;
	p->pools[pool].peer = DHCPDCONF_NONE;
	if (peek(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ';') ? next(p, &t) : 0;
}

/*
 * After its block: merge a pool into the first listed pool of its shared
 * network with the same (empty) statements, failover peer and permit and
 * prohibit lists (parse_pool_statement), else list it.
 */
static void
merge_pool(struct dcf_parser *p, size_t i)
{
	struct dcf_wpool *wp = &p->pools[i], *pp;
	size_t j;

	for (j = p->ws[wp->shared].first; j != DHCPDCONF_NONE; j = pp->next) {
		pp = &p->pools[j];
		if (pp->statements || wp->statements || pp->peer != wp->peer ||
		    !permits_equal(&pp->allow, &wp->allow) ||
		    !permits_equal(&pp->deny, &wp->deny))
			continue;
		wp->merged = j;
		pp->nranges += wp->nranges;
		return;
	}
	list_pool(p, i);
}

/* pool { ... } in a subnet or a shared network. */
static int
parse_pool(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw)
{
	struct dcf_ctx ctx = *up;
	struct dcf_token brace;
	size_t i;

	if (expect_ch(p, '{', "'{'") == -1)
		return -1;
	brace = p->lx->tok;
	if ((i = add_pool(p, kw, up->shared, up->kind == K_SUBNET ?
	    up->subnet : DHCPDCONF_NONE)) == DHCPDCONF_NONE)
		return -1;
	ctx.kind = K_POOL;
	ctx.pool = i;
	ctx.included = 0;
	if (parse_stmts(p, &ctx, &brace) == -1)
		return -1;
	if (p->pools[i].nranges == 0)
		return perr(p, kw, "pool declaration with no address range");
	merge_pool(p, i);
	return 0;
}

/* An address or host name up to the ';' (failover peer address). */
static int
parse_peer_address(struct dcf_parser *p, char **out)
{
	struct dcf_token t;
	char buf[1024];
	size_t n = 0;

	for (;;) {
		if (peek(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, ';') && n > 0)
			break;
		if ((t.type != DCF_NAME && t.type != DCF_NUMBER &&
		    !dcf_tok_ch(&t, '.')) || n + t.len + 1 > sizeof(buf))
			return expected(p, &t, "an address or host name");
		memcpy(buf + n, t.text, t.len);
		n += t.len;
		if (next(p, &t) == -1)
			return -1;
	}
	buf[n] = '\0';
	free(*out);
	if ((*out = strdup(buf)) == NULL)
		return nomem(p, &t);
	return 0;
}

/* Skip to the ';' (an hba bit map). */
static int
skip_to_semi(struct dcf_parser *p)
{
	struct dcf_token t;

	for (;;) {
		if (peek(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, ';'))
			return 0;
		if (t.type == DCF_EOF || dcf_tok_ch(&t, '}'))
			return expected(p, &t, "';'");
		if (next(p, &t) == -1)
			return -1;
	}
}

/* One statement of a peer block after its keyword t. */
static int
parse_peer_stmt(struct dcf_parser *p, struct dhcpdconf_peer *pe,
    struct dcf_token *t, int *hba)
{
	static const struct {
		const char	*word;
		size_t		 off;
		size_t		 partner_off;
	} nums[] = {
#define OFF(f)	offsetof(struct dhcpdconf_peer, f)
		{ "port", OFF(port), OFF(peer_port) },
		{ "max-response-delay", OFF(max_response_delay),
		    OFF(peer_max_response_delay) },
		{ "max-unacked-updates", OFF(max_unacked_updates),
		    OFF(peer_max_unacked_updates) },
		{ "mclt", OFF(mclt), OFF(mclt) },
		{ "auto-partner-down", OFF(auto_partner_down),
		    OFF(auto_partner_down) },
		{ "max-lease-misbalance", 0, 0 },
		{ "max-lease-ownership", 0, 0 },
		{ "max-balance", 0, 0 },
		{ "min-balance", 0, 0 },
#undef OFF
	};
	long v = 0, *field;
	int partner = 0;
	size_t i;

	if (dcf_tok_is(t, "peer")) {
		partner = 1;
		if (next(p, t) == -1)
			return -1;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (!dcf_tok_is(t, nums[i].word))
			continue;
		if (parse_number(p, 0x7fffffff, &v) == -1)
			return -1;
		if (nums[i].off != 0) {
			field = (long *)(void *)((char *)pe + (partner ?
			    nums[i].partner_off : nums[i].off));
			*field = v;
		}
		return 0;
	}
	if (dcf_tok_is(t, "primary") || dcf_tok_is(t, "secondary")) {
		pe->role = dcf_tok_is(t, "primary") ? DHCPDCONF_ROLE_PRIMARY :
		    DHCPDCONF_ROLE_SECONDARY;
		if (pe->role == DHCPDCONF_ROLE_SECONDARY && *hba)
			return perr(p, t, "secondary may not define load "
			    "balance settings");
		return 0;
	}
	if (dcf_tok_is(t, "address"))
		return parse_peer_address(p, partner ? &pe->peer_address :
		    &pe->address);
	if (dcf_tok_is(t, "split") || dcf_tok_is(t, "hba")) {
		if (pe->role == DHCPDCONF_ROLE_SECONDARY)
			return perr(p, t, "secondary may not define load "
			    "balance settings");
		*hba = 1;
		if (dcf_tok_is(t, "hba"))
			return skip_to_semi(p);
		if (parse_number(p, 256, &pe->split) == -1)
			return -1;
		return 0;
	}
	if (dcf_tok_is(t, "load")) {
		if (expect_word(p, "balance") == -1 ||
		    expect_word(p, "max") == -1 ||
		    expect_word(p, "seconds") == -1)
			return -1;
		return parse_number(p, 0x7fffffff,
		    &pe->load_balance_max_seconds);
	}
	return perr(p, t, "invalid statement in peer declaration");
}

/* The { ... } of failover peer NAME, after the '{'. */
static int
parse_peer_block(struct dcf_parser *p, struct dhcpdconf_peer *pe,
    const struct dcf_token *kw)
{
	struct dcf_token t, brace = p->lx->tok;
	int hba = 0;

	for (;;) {
		if (next(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, '}'))
			break;
		if (t.type == DCF_EOF)
			return perr(p, &brace, "end of file inside this '{'");
		if (parse_peer_stmt(p, pe, &t, &hba) == -1 ||
		    expect_ch(p, ';', "';'") == -1)
			return -1;
	}
	if (pe->peer_address == NULL)
		return perr(p, kw, "peer address may not be omitted");
	if (pe->role == DHCPDCONF_ROLE_PRIMARY && !hba)
		return perr(p, kw, "primary failover server must have hba or "
		    "split");
	if (pe->role == DHCPDCONF_ROLE_PRIMARY && pe->mclt < 0)
		return perr(p, kw, "primary failover server must have mclt");
	return 0;
}

static struct dhcpdconf_peer *
add_peer(struct dcf_parser *p, const struct dcf_token *kw, const char *name)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_peer *pe;

	if (dcf_grow(&c->peers, &p->cappeers, c->npeers + 1,
	    sizeof(*c->peers)) == -1) {
		nomem(p, kw);
		return NULL;
	}
	pe = &c->peers[c->npeers];
	memset(pe, 0, sizeof(*pe));
	if ((pe->name = strdup(name)) == NULL) {
		nomem(p, kw);
		return NULL;
	}
	pe->port = pe->peer_port = pe->mclt = pe->split = -1;
	pe->max_response_delay = pe->peer_max_response_delay = -1;
	pe->max_unacked_updates = pe->peer_max_unacked_updates = -1;
	pe->load_balance_max_seconds = pe->auto_partner_down = -1;
	pe->where = where(p, kw);
	c->npeers++;
	return pe;
}

/* failover peer NAME { ... } | NAME; | NAME state { ... } */
static int
parse_failover(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dhcpdconf_peer *pe;
	struct dcf_token t;
	char name[DCF_TOKMAX], q[80];
	size_t i;

	if (expect_word(p, "peer") == -1 || next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING && t.type != DCF_NAME)
		return expected(p, &t, "a failover peer name");
	snprintf(name, sizeof(name), "%s", t.text);
	dcf_quote(name, q, sizeof(q));
	i = dhcpdconf_find_peer(p->c, name);
	if (next(p, &t) == -1)
		return -1;
	if (dcf_tok_ch(&t, ';')) {
		if (ctx->kind != K_SHARED)
			return perr(p, kw, "failover peer reference not in "
			    "shared-network declaration");
		if (i == DHCPDCONF_NONE)
			return perr(p, kw, "reference to unknown failover peer "
			    "\"%s\"", q);
		p->c->shared[ctx->shared].peer = i;
		return 0;
	}
	if (dcf_tok_is(&t, "state")) {
		if (i == DHCPDCONF_NONE)
			return perr(p, kw, "state declaration for unknown "
			    "failover peer \"%s\"", q);
		return skip_rest(p);
	}
	if (!dcf_tok_ch(&t, '{'))
		return expected(p, &t, "'{'");
	if (i != DHCPDCONF_NONE)
		return perr(p, kw, "redeclaration of failover peer \"%s\"", q);
	if ((pe = add_peer(p, kw, name)) == NULL)
		return -1;
	if (parse_peer_block(p, pe, kw) == -1)
		return -1;
	if (ctx->kind == K_SHARED)
		p->c->shared[ctx->shared].peer = p->c->npeers - 1;
	return 0;
}

/* class "NAME" { ... } (a repeated name updates the same class). */
static int
parse_class(struct dcf_parser *p, const struct dcf_token *kw)
{
	struct dhcpdconf *c = p->c;
	struct dcf_token t, brace;
	size_t i;
	long limit = 0;

	if (next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return expected(p, &t, "a class name string");
	for (i = 0; i < c->nclasses; i++)
		if (strcmp(c->classes[i].name, t.text) == 0)
			break;
	if (i == c->nclasses) {
		if (dcf_grow(&c->classes, &p->capclasses, i + 1,
		    sizeof(*c->classes)) == -1 ||
		    (c->classes[i].name = strdup(t.text)) == NULL)
			return nomem(p, kw);
		c->classes[i].lease_limit = -1;
		c->classes[i].where = where(p, kw);
		c->nclasses++;
	}
	if (next(p, &brace) == -1)
		return -1;
	if (dcf_tok_ch(&brace, ';'))
		return 0;
	if (!dcf_tok_ch(&brace, '{'))
		return expected(p, &brace, "'{'");
	for (;;) {
		if (next(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, '}'))
			break;
		if (t.type == DCF_EOF)
			return perr(p, &brace, "end of file inside this '{'");
		if (!dcf_tok_is(&t, "lease")) {
			if (skip_stmt(p, &t) == -1)
				return -1;
			continue;
		}
		if (expect_word(p, "limit") == -1 ||
		    parse_number(p, 0x7fffffff, &limit) == -1 ||
		    expect_ch(p, ';', "';'") == -1)
			return -1;
		c->classes[i].lease_limit = limit;
	}
	if (peek(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ';') ? next(p, &t) : 0;
}

/* include "FILE"; */
static int
parse_include(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dcf_token t;
	char path[PATH_MAX];

	if (next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return expected(p, &t, "a file name string");
	if (p->opts->no_include)
		return perr(p, kw, "include is disabled here");
	if (t.text[0] != '/' && p->opts->cwd != NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    p->opts->cwd, t.text) >= sizeof(path))
			return perr(p, &t, "file name too long");
	} else if ((size_t)snprintf(path, sizeof(path), "%s", t.text) >=
	    sizeof(path))
		return perr(p, &t, "file name too long");
	if (expect_ch(p, ';', "';' after include") == -1)
		return -1;
	if (p->depth >= DHCPDCONF_MAX_DEPTH)
		return perr(p, kw, "includes nested more than %d deep",
		    DHCPDCONF_MAX_DEPTH);
	return parse_file(p, ctx, path, kw);
}

static int
not_here(struct dcf_parser *p, const struct dcf_token *t, const char *what)
{
	return perr(p, t, "%s not allowed here", what);
}

/* A statement that only a pool's own block reads, after its keyword. */
static int
parse_pool_stmt(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t, int *done)
{
	struct dcf_wpool *wp = &p->pools[ctx->pool];

	*done = 1;
	if (dcf_tok_is(t, "range"))
		return parse_range(p, ctx, ctx->pool, t);
	if (dcf_tok_is(t, "allow"))
		return parse_permit(p, &wp->allow);
	if (dcf_tok_is(t, "deny"))
		return parse_permit(p, &wp->deny);
	if (dcf_tok_is(t, "failover"))
		return parse_pool_peer(p, ctx->pool);
	if (dcf_tok_is(t, "no"))
		return parse_pool_nopeer(p, ctx->pool);
	*done = 0;
	return 0;
}

/* Statements that never add to a pool's group (declarations). */
static int
is_declaration(const struct dcf_token *t)
{
	static const char *const words[] = {
		"host", "group", "class", "subclass", "vendor-class",
		"user-class", "subnet", "subnet6", "shared-network", "include",
		"authoritative", "not", "pool6", "range6", "prefix6",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dcf_tok_is(t, words[i]))
			return 1;
	return 0;
}

/* A declaration dhcpd reads anywhere but inside another one. */
static int
parse_decl(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t, int *done)
{
	enum dcf_kind k = ctx->kind;

	*done = 1;
	if (dcf_tok_is(t, "include"))
		return parse_include(p, ctx, t);
	if (dcf_tok_is(t, "shared-network"))
		return k == K_SHARED || k == K_SUBNET ?
		    not_here(p, t, "shared-network declaration") :
		    parse_shared(p, t);
	if (dcf_tok_is(t, "subnet"))
		return k == K_SUBNET ? not_here(p, t, "subnet declaration") :
		    parse_subnet(p, ctx, t);
	if (dcf_tok_is(t, "subnet6")) {
		if (k == K_SUBNET)
			return not_here(p, t, "subnet6 declaration");
		if (ctx->shared != DHCPDCONF_NONE)
			p->ws[ctx->shared].v6 = 1;
		return skip_rest(p);
	}
	if (dcf_tok_is(t, "group"))
		return parse_group(p, ctx);
	if (dcf_tok_is(t, "pool"))
		return k == K_POOL ? perr(p, t, "pool declared within pool") :
		    k != K_SUBNET && k != K_SHARED ?
		    perr(p, t, "pool declared outside of network") :
		    parse_pool(p, ctx, t);
	if (dcf_tok_is(t, "range"))
		return k != K_SUBNET ? not_here(p, t, "range declaration") :
		    parse_range(p, ctx, DHCPDCONF_NONE, t);
	if (dcf_tok_is(t, "failover"))
		return k != K_ROOT && k != K_SHARED ? perr(p, t, "failover "
		    "peers may only be defined in shared-network declarations "
		    "and the outer scope") : parse_failover(p, ctx, t);
	if (dcf_tok_is(t, "class"))
		return parse_class(p, t);
	*done = 0;
	return 0;
}

/* One statement, its first token read into t. */
static int
parse_stmt(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t)
{
	int done = 0, rv;

	if (ctx->kind == K_POOL && !ctx->included) {
		rv = parse_pool_stmt(p, ctx, t, &done);
		if (rv == -1 || done)
			return rv;
	}
	rv = parse_decl(p, ctx, t, &done);
	if (rv == -1 || done)
		return rv;
	if (ctx->kind == K_POOL && !is_declaration(t))
		p->pools[ctx->pool].statements = 1;
	return skip_stmt(p, t);
}

/* Statements up to the '}' matching open, or to the end of the file. */
static int
parse_stmts(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *open)
{
	struct dcf_token t;
	int rv = -1;

	/* each level is a few C frames: bound them (skipped blocks are not) */
	if (open != NULL && p->nest >= DHCPDCONF_MAX_NEST)
		return perr(p, open, "declarations nested more than %d deep",
		    DHCPDCONF_MAX_NEST);
	p->nest += open != NULL;
	for (;;) {
		if (next(p, &t) == -1)
			break;
		if (t.type == DCF_EOF) {
			if (open != NULL)
				perr(p, open, "end of file inside this '{'");
			else
				rv = 0;
			break;
		}
		if (dcf_tok_ch(&t, '}')) {
			if (open != NULL)
				rv = 0;
			else
				perr(p, &t, "unexpected '}'");
			break;
		}
		if (parse_stmt(p, ctx, &t) == -1)
			break;
	}
	p->nest -= open != NULL;
	return rv;
}

/* Parse text as file name (already in p->c) in context ctx. */
static int
parse_text(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const char *name, const char *text, size_t len)
{
	struct dcf_lexer *lx, *up = p->lx;
	const char *upfile = p->file;
	struct dcf_ctx sub = *ctx;
	int rv;

	if ((lx = malloc(sizeof(*lx))) == NULL) {
		snprintf(p->err, p->errlen, "%s: out of memory", name);
		return -1;
	}
	dcf_lex_init(lx, name, text, len);
	p->lx = lx;
	p->file = name;
	p->depth++;
	/* a pool's own statements stop at a file boundary (read_conf_file) */
	if (sub.kind == K_POOL)
		sub.included = 1;
	rv = parse_stmts(p, &sub, NULL);
	p->depth--;
	p->lx = up;
	p->file = upfile;
	free(lx);
	return rv;
}

/* The path's entry in c->files (added with st), or NULL. */
static const char *
note_file(struct dcf_parser *p, const char *path, const struct stat *st)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_file *f;
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return c->files[i].path;
	if (dcf_grow(&c->files, &p->capfiles, c->nfiles + 1,
	    sizeof(*c->files)) == -1)
		return NULL;
	f = &c->files[c->nfiles];
	if ((f->path = strdup(path)) == NULL)
		return NULL;
	f->mtime = st->st_mtim;
	f->size = st->st_size;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	c->nfiles++;
	return f->path;
}

/* Read a whole regular file into *buf (NUL-terminated); errno on -1. */
static int
read_file(int fd, const struct stat *st, char **buf, size_t *len)
{
	size_t n = 0, want;
	ssize_t r;
	char *b;

	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		return -1;
	}
	if ((uintmax_t)st->st_size > DHCPDCONF_MAX_BYTES) {
		errno = EFBIG;
		return -1;
	}
	want = (size_t)st->st_size;
	if ((b = malloc(want + 1)) == NULL)
		return -1;
	while (n < want) {
		r = read(fd, b + n, want - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				break;	/* shrank while read: take what is */
			free(b);
			return -1;
		}
		n += (size_t)r;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Open, note and parse one file; at is the include (NULL: the top). */
static int
parse_file(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const char *path, const struct dcf_token *at)
{
	const char *name;
	struct stat st;
	char *buf = NULL, q[300];
	size_t len;
	int fd, rv;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1 ||
	    read_file(fd, &st, &buf, &len) == -1) {
		rv = errno;
		if (fd != -1)
			close(fd);
		dcf_quote(path, q, sizeof(q));
		if (at == NULL)
			snprintf(p->err, p->errlen, "%s: %s", q, rv == EINVAL ?
			    "not a regular file" : strerror(rv));
		else
			perr(p, at, "include \"%s\": %s", q, rv == EINVAL ?
			    "not a regular file" : strerror(rv));
		return -1;
	}
	close(fd);
	if ((name = note_file(p, path, &st)) == NULL) {
		free(buf);
		snprintf(p->err, p->errlen, "%s: out of memory", path);
		return -1;
	}
	rv = parse_text(p, ctx, name, buf, len);
	free(buf);
	return rv;
}

/*
 * Pools left after merging get their final indexes, in the order dhcpd
 * listed them; every range points at its pool's.
 */
static int
finish_pools(struct dcf_parser *p)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_pool *op;
	size_t *map, i, j, n = 0;

	if ((map = calloc(p->npools + 1, sizeof(*map))) == NULL ||
	    (c->pools = calloc(p->npools + 1, sizeof(*c->pools))) == NULL) {
		free(map);
		snprintf(p->err, p->errlen, "%s: out of memory", c->name);
		return -1;
	}
	for (i = 0; i < c->nshared; i++)
		for (j = p->ws[i].first; j != DHCPDCONF_NONE;
		    j = p->pools[j].next) {
			op = &c->pools[n];
			op->shared = p->pools[j].shared;
			op->peer = p->pools[j].peer;
			op->implicit = p->pools[j].implicit;
			op->where = p->pools[j].where;
			map[j] = n++;
		}
	c->npools = n;
	for (i = 0; i < c->nranges; i++) {
		j = c->ranges[i].pool;
		while (!p->pools[j].listed)
			j = p->pools[j].merged;
		c->ranges[i].pool = map[j];
	}
	free(map);
	return 0;
}

/* qsort_r order of range indexes: by first address, then declaration. */
static int
range_cmp(const void *a, const void *b, void *arg)
{
	const struct dhcpdconf_range *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (v[i].first != v[j].first)
		return v[i].first < v[j].first ? -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * Sort the ranges into c->by_first, and refuse two sharing an address:
 * dhcpd's "lease X is declared twice!".
 */
static int
sort_ranges(struct dcf_parser *p)
{
	struct dhcpdconf *c = p->c;
	const struct dhcpdconf_range *a, *b;
	char x[16], y[16], z[16], w[16];
	size_t i;

	if ((c->by_first = calloc(c->nranges + 1, sizeof(size_t))) == NULL) {
		snprintf(p->err, p->errlen, "%s: out of memory", c->name);
		return -1;
	}
	for (i = 0; i < c->nranges; i++)
		c->by_first[i] = i;
	qsort_r(c->by_first, c->nranges, sizeof(size_t), range_cmp,
	    c->ranges);
	for (i = 1; i < c->nranges; i++) {
		a = &c->ranges[c->by_first[i - 1]];
		b = &c->ranges[c->by_first[i]];
		if (b->first > a->last)
			continue;
		if (c->by_first[i] < c->by_first[i - 1]) {
			/* report at the later declaration */
			a = &c->ranges[c->by_first[i]];
			b = &c->ranges[c->by_first[i - 1]];
		}
		dcf_ip_text(b->first, x);
		dcf_ip_text(b->last, y);
		dcf_ip_text(a->first, z);
		dcf_ip_text(a->last, w);
		p->file = b->where.file;
		return perr_at(p, b->where.line, b->where.column, "range %s-%s "
		    "overlaps range %s-%s declared at %s:%u:%u", x, y, z, w,
		    a->where.file, a->where.line, a->where.column);
	}
	return 0;
}

static void
parser_free(struct dcf_parser *p)
{
	size_t i;

	for (i = 0; i < p->npools; i++) {
		permits_free(&p->pools[i].allow);
		permits_free(&p->pools[i].deny);
	}
	free(p->pools);
	free(p->ws);
}

/* Set up, run top (file or text), finish; *out only on success. */
static int
parse_run(struct dhcpdconf **out, const char *name, const char *path,
    const char *text, size_t len, const struct dhcpdconf_opts *opts,
    char *err, size_t errlen)
{
	static const struct dhcpdconf_opts none;
	struct dcf_ctx root = { K_ROOT, DHCPDCONF_NONE, DHCPDCONF_NONE,
	    DHCPDCONF_NONE, 0 };
	struct dcf_parser p;
	char q[300];
	int rv;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.opts = opts != NULL ? opts : &none;
	p.err = err;
	p.errlen = errlen;
	err[0] = '\0';
	if ((p.c = calloc(1, sizeof(*p.c))) == NULL ||
	    (p.c->name = strdup(name)) == NULL) {
		free(p.c);
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	p.file = p.c->name;
	if (path != NULL)
		rv = parse_file(&p, &root, path, NULL);
	else
		rv = parse_text(&p, &root, p.c->name, text, len);
	if (rv == 0)
		rv = finish_pools(&p);
	if (rv == 0)
		rv = sort_ranges(&p);
	parser_free(&p);
	if (rv == -1) {
		if (err[0] == '\0') {
			dcf_quote(name, q, sizeof(q));
			snprintf(err, errlen, "%s: parse failed", q);
		}
		dhcpdconf_free(p.c);
		return -1;
	}
	*out = p.c;
	return 0;
}

/*
 * Read the dhcpd.conf at path and every file it includes.  0 and *out (free
 * it with dhcpdconf_free), or -1 and "FILE:LINE:COLUMN: message" in err.
 */
int
dhcpdconf_load(struct dhcpdconf **out, const char *path,
    const struct dhcpdconf_opts *opts, char *err, size_t errlen)
{
	char full[PATH_MAX];

	if (path[0] != '/' && opts != NULL && opts->cwd != NULL) {
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", opts->cwd,
		    path) >= sizeof(full)) {
			snprintf(err, errlen, "file name too long");
			return -1;
		}
		path = full;
	}
	return parse_run(out, path, path, NULL, 0, opts, err, errlen);
}

/* Parse len bytes of text as a dhcpd.conf named name (messages use it). */
int
dhcpdconf_parse(struct dhcpdconf **out, const char *name, const char *text,
    size_t len, const struct dhcpdconf_opts *opts, char *err, size_t errlen)
{
	return parse_run(out, name, NULL, text, len, opts, err, errlen);
}
