/*
 * pool.c: dhcpd's pools, after ISC's server/confpars.c: pool blocks and
 * their permit lists, ranges and the subnet each falls in, the pool a
 * range outside pool blocks joins (parse_address_range), the merging of
 * pools (parse_pool_statement), and at the end the final pool indexes and
 * the ranges sorted and checked for overlaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcf_int.h"

void
dcf_permits_free(struct dcf_permits *pl)
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
		dcf_nomem(p, t);
		return DHCPDCONF_NONE;
	}
	wp = &p->pools[p->npools];
	memset(wp, 0, sizeof(*wp));
	wp->shared = shared;
	wp->subnet = subnet;
	wp->peer = p->c->shared[shared].peer;
	wp->next = wp->merged = DHCPDCONF_NONE;
	wp->where = dcf_where(p, t);
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
			return last != DHCPDCONF_NONE ? last :
			    p->ws[shared].first;
		last = i;
	}
	if ((i = add_pool(p, t, shared, subnet)) == DHCPDCONF_NONE)
		return i;
	wp = &p->pools[i];
	wp->implicit = 1;
	wp->peer = DHCPDCONF_NONE;
	if (permits_add(dynamic ? &wp->allow : &wp->deny,
	    dynamic ? "all" : "dynamic-bootp") == -1) {
		dcf_nomem(p, t);
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
		return dcf_perr(p, at, "address range %s not on network %s "
		    "(the pool must follow the declaration of its subnet)", a,
		    b);
	}
	sn = &p->c->subnets[s];
	if ((low & sn->mask) != sn->net || (high & sn->mask) != sn->net) {
		dcf_ip_text((low & sn->mask) != sn->net ? low : high, a);
		return dcf_perr(p, at, "bad range, address %s not in subnet %s",
		    a, sn->cidr);
	}
	*out = s;
	return 0;
}

/* range [dynamic-bootp] LOW [HIGH]; in a subnet (pool NONE) or a pool. */
int
dcf_range_parse(struct dcf_parser *p, const struct dcf_ctx *ctx, size_t pool,
    const struct dcf_token *kw)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_range *r;
	struct dcf_token t, lowt;
	uint32_t low, high, tmp;
	size_t subnet = DHCPDCONF_NONE;
	int dynamic = 0;

	if (dcf_peek(p, &t) == -1)
		return -1;
	/*
	 * dhcpd's peek for dynamic-bootp drops a NUL byte (dcf_stmts), and
	 * an address must follow it: `range \0 dynamic-bootp` is refused.
	 */
	if (dcf_tok_ch(&t, 0)) {
		if (dcf_next(p, &t) == -1)
			return -1;
	} else if (dcf_tok_is(&t, "dynamic-bootp")) {
		dynamic = 1;
		if (dcf_next(p, &t) == -1)
			return -1;
	}
	if (dcf_ip(p, &low, &lowt) == -1 || dcf_peek(p, &t) == -1)
		return -1;
	high = low;
	/* the peek for ';' drops a NUL too: HIGH must follow */
	if (dcf_tok_ch(&t, 0) && dcf_next(p, &t) == -1)
		return -1;
	if (!dcf_tok_ch(&t, ';') && dcf_ip(p, &high, NULL) == -1)
		return -1;
	if (dcf_expect_ch(p, ';', "';' after the range") == -1)
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
		return dcf_perr(p, kw, "dynamic-bootp is not permitted in a "
		    "range where a failover peer is in scope");
	if (dcf_decl(p, kw) == -1)
		return -1;
	if (dcf_grow(&c->ranges, &p->capranges, c->nranges + 1,
	    sizeof(*c->ranges)) == -1)
		return dcf_nomem(p, kw);
	r = &c->ranges[c->nranges++];
	r->first = low;
	r->last = high;
	r->dynamic_bootp = dynamic;
	r->subnet = subnet;
	r->pool = pool;
	r->where = dcf_where(p, kw);
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

	if (dcf_next(p, &t) == -1)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (dcf_tok_is(&t, kinds[i].word))
			break;
	if (i < sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(type, sizeof(type), "%s", kinds[i].type);
		clients = kinds[i].clients;
	} else if (dcf_tok_is(&t, "dynamic")) {
		if (dcf_expect_word(p, "bootp") == -1)
			return -1;
		snprintf(type, sizeof(type), "dynamic-bootp");
		clients = 1;
	} else if (dcf_tok_is(&t, "members")) {
		if (dcf_expect_word(p, "of") == -1 || dcf_next(p, &t) == -1)
			return -1;
		if (t.type != DCF_STRING)
			return dcf_expected(p, &t, "a class name");
		snprintf(type, sizeof(type), "members:%s", t.text);
	} else if (dcf_tok_is(&t, "after")) {
		/* the date: its words up to the ';' */
		for (;;) {
			if (dcf_peek(p, &t) == -1)
				return -1;
			if (dcf_tok_ch(&t, ';') || t.type == DCF_EOF ||
			    dcf_tok_ch(&t, '}') || dcf_tok_ch(&t, '{'))
				break;
			if (dcf_next(p, &t) == -1)
				return -1;
		}
		snprintf(type, sizeof(type), "after");
	} else
		return dcf_expected(p, &t, "a permit type");
	if (clients && dcf_expect_word(p, "clients") == -1)
		return -1;
	if (dcf_expect_ch(p, ';', "';'") == -1)
		return -1;
	if (permits_add(pl, type) == -1)
		return dcf_nomem(p, &t);
	return 0;
}

/* failover peer "NAME"; inside a pool. */
static int
parse_pool_peer(struct dcf_parser *p, size_t pool)
{
	struct dcf_token t;
	char q[80];
	size_t i;

	if (dcf_expect_word(p, "peer") == -1 || dcf_next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return dcf_expected(p, &t, "a failover peer name string");
	if ((i = dhcpdconf_find_peer(p->c, t.text)) == DHCPDCONF_NONE) {
		dcf_quote(t.text, q, sizeof(q));
		return dcf_perr(p, &t, "failover peer \"%s\": not found "
		    "(declare it before the pool)", q);
	}
	p->pools[pool].peer = i;
	return dcf_expect_ch(p, ';', "';'");
}

/* no failover peer [;] inside a pool: confpars.c takes no ';' here. */
static int
parse_pool_nopeer(struct dcf_parser *p, size_t pool)
{
	struct dcf_token t;

	if (dcf_expect_word(p, "failover") == -1 ||
	    dcf_expect_word(p, "peer") == -1)
		return -1;
	p->pools[pool].peer = DHCPDCONF_NONE;
	if (dcf_peek(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ';') ? dcf_next(p, &t) : 0;
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

/*
 * pool { in a subnet or a shared network: the working pool, and the
 * context (ctx) of its block, which the parser reads (parser.c).
 */
int
dcf_pool_open(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw, struct dcf_ctx *ctx, struct dcf_token *brace)
{
	size_t i;

	if (dcf_expect_ch(p, '{', "'{'") == -1 || dcf_decl(p, kw) == -1)
		return -1;
	*brace = p->lx->tok;
	if ((i = add_pool(p, kw, up->shared, up->kind == K_SUBNET ?
	    up->subnet : DHCPDCONF_NONE)) == DHCPDCONF_NONE)
		return -1;
	*ctx = *up;
	ctx->kind = K_POOL;
	ctx->pool = i;
	ctx->included = 0;
	return 0;
}

/* After its block (ctx, from dcf_pool_open): checked, and merged. */
int
dcf_pool_close(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	if (p->pools[ctx->pool].nranges == 0)
		return dcf_perr(p, kw, "pool declaration with no address "
		    "range");
	merge_pool(p, ctx->pool);
	return 0;
}

/* A statement that only a pool's own block reads, after its keyword. */
int
dcf_pool_stmt(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t, int *done)
{
	struct dcf_wpool *wp = &p->pools[ctx->pool];

	*done = 1;
	if (dcf_tok_is(t, "range"))
		return dcf_range_parse(p, ctx, ctx->pool, t);
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

/*
 * Pools left after merging get their final indexes, in the order dhcpd
 * listed them; every range points at its pool's.
 */
int
dcf_pools_finish(struct dcf_parser *p)
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
int
dcf_ranges_sort(struct dcf_parser *p)
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
		return dcf_perr_at(p, b->where.line, b->where.column, "range "
		    "%s-%s overlaps range %s-%s declared at %s:%u:%u", x, y, z,
		    w, a->where.file, a->where.line, a->where.column);
	}
	return 0;
}
