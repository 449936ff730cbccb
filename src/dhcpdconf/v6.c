/*
 * v6.c: the DHCPv6 declarations of a dhcpd6.conf, after ISC's
 * server/confpars.c (parse_subnet6_declaration, parse_address_range6,
 * parse_prefix6, parse_pool6_statement):
 *
 *	subnet6 PREFIX/LEN { ... }
 *	range6 LOW HIGH;  range6 PREFIX/LEN [temporary];  range6 ADDR temporary;
 *	prefix6 LOW HIGH /LEN;
 *	pool6 { range6 ...; prefix6 ...; ... }	(inside a subnet6)
 *
 * A subnet6 outside a shared-network is its own shared network, named
 * after it as dhcpd names it ("2001:db8::/64").  Addresses are kept as 16
 * bytes in network order; sizes are computed in 128 bits.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcf_int.h"

__extension__ typedef unsigned __int128 u128;

static u128
v6_get(const uint8_t a[16])
{
	u128 v = 0;
	int i;

	for (i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

/* The bits of a prefix of len bits (len 0..128). */
static u128
v6_mask(unsigned len)
{
	if (len == 0)
		return 0;
	return len >= 128 ? ~(u128)0 : ~(u128)0 << (128 - len);
}

/*
 * An IPv6 address, or PREFIX/LEN when plen is not NULL (*plen then -1
 * when no "/LEN" was written and may_lack is set), from the next tokens.
 */
static int
v6_addr(struct dcf_parser *p, uint8_t addr[16], int *plen, int may_lack,
    struct dcf_token *first)
{
	struct dcf_token t;
	char text[96], shown[100], *slash, *end;
	long n;

	if (dcf_next(p, &t) == -1)
		return -1;
	*first = t;
	if (t.type != DCF_NAME && t.type != DCF_NUMBER && !dcf_tok_ch(&t, ':'))
		return dcf_expected(p, &t, "an IPv6 address");
	if (dcf_lex_run(p->lx, &t, text, sizeof(text)) == -1) {
		snprintf(p->err, p->errlen, "%s", p->lx->err);
		return -1;
	}
	slash = strchr(text, '/');
	if (slash != NULL && plen == NULL) {
		dcf_quote(text, shown, sizeof(shown));
		return dcf_perr(p, &t, "expected an IPv6 address, found '%s'",
		    shown);
	}
	if (plen != NULL) {
		*plen = -1;
		if (slash == NULL && !may_lack) {
			dcf_quote(text, shown, sizeof(shown));
			return dcf_perr(p, &t, "expected PREFIX/LENGTH, found "
			    "'%s'", shown);
		}
	}
	if (slash != NULL) {
		*slash = '\0';
		n = strtol(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end != '\0' ||
		    n > 128)
			return dcf_perr(p, &t, "bad prefix length '%s'",
			    slash + 1);
		*plen = (int)n;
	}
	if (inet_pton(AF_INET6, text, addr) != 1) {
		dcf_quote(text, shown, sizeof(shown));
		return dcf_perr(p, &t, "'%s' is not an IPv6 address", shown);
	}
	return 0;
}

/*
 * The head of subnet6 PREFIX/LEN { ...: the subnet6, in the shared network
 * of up when that is a shared-network, else in one of its own.  *ctx and
 * *brace are for reading its statements.
 */
int
dcf_subnet6_open(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw, struct dcf_ctx *ctx, struct dcf_token *brace)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_subnet6 *sn;
	struct dcf_token first;
	char a[INET6_ADDRSTRLEN];
	uint8_t net[16] = { 0 };
	size_t shared;
	int plen = 128;

	if (v6_addr(p, net, &plen, 0, &first) == -1)
		return -1;
	if ((v6_get(net) & ~v6_mask((unsigned)plen)) != 0) {
		inet_ntop(AF_INET6, net, a, sizeof(a));
		return dcf_perr(p, &first, "subnet6 %s/%d: bad subnet "
		    "number/prefix length combination", a, plen);
	}
	if (dcf_expect_ch(p, '{', "'{'") == -1 || dcf_decl(p, kw) == -1)
		return -1;
	*brace = p->lx->tok;
	if (dcf_grow(&c->subnets6, &p->capsubnets6, c->nsubnets6 + 1,
	    sizeof(*c->subnets6)) == -1)
		return dcf_nomem(p, kw);
	sn = &c->subnets6[c->nsubnets6];
	memset(sn, 0, sizeof(*sn));
	memcpy(sn->net, net, 16);
	sn->prefix = (unsigned)plen;
	inet_ntop(AF_INET6, net, a, sizeof(a));
	snprintf(sn->cidr, sizeof(sn->cidr), "%s/%d", a, plen);
	sn->where = dcf_where(p, kw);
	shared = up->kind == K_SHARED ? up->shared : DHCPDCONF_NONE;
	if (shared == DHCPDCONF_NONE) {
		shared = dcf_add_shared(p, kw, strdup(sn->cidr), 1);
		if (shared == DHCPDCONF_NONE)
			return -1;
		p->ws[shared].v6 = 1;
	}
	sn->shared = shared;
	*ctx = *up;
	ctx->kind = K_SUBNET6;
	ctx->shared = shared;
	ctx->subnet = c->nsubnets6++;
	ctx->pool = DHCPDCONF_NONE;
	ctx->included = 0;
	return 0;
}

static void
v6_text(const uint8_t a[16], char out[INET6_ADDRSTRLEN])
{
	inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN);
}

/* Add a range6 or prefix6 of the subnet6 in ctx. */
static int
v6_add(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw, const struct dhcpdconf_range6 *r)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_range6 *n;

	if (dcf_decl(p, kw) == -1)
		return -1;
	if (dcf_grow(&c->ranges6, &p->capranges6, c->nranges6 + 1,
	    sizeof(*c->ranges6)) == -1)
		return dcf_nomem(p, kw);
	n = &c->ranges6[c->nranges6++];
	*n = *r;
	n->subnet6 = ctx->subnet;
	n->shared = ctx->shared;
	n->where = dcf_where(p, kw);
	return 0;
}

/* Both ends inside the subnet6 (dhcpd: "... is outside the subnet6"). */
static int
v6_in_subnet(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *t, const uint8_t a[16])
{
	const struct dhcpdconf_subnet6 *sn = &p->c->subnets6[ctx->subnet];
	u128 m = v6_mask(sn->prefix);
	char text[INET6_ADDRSTRLEN];

	if ((v6_get(a) & m) == v6_get(sn->net))
		return 0;
	v6_text(a, text);
	return dcf_perr(p, t, "range6 address %s is outside subnet6 %s", text,
	    sn->cidr);
}

/*
 * range6 LOW HIGH; range6 PREFIX/LEN [temporary]; range6 ADDR temporary;
 */
int
dcf_range6_parse(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dhcpdconf_range6 r;
	struct dcf_token first, t, hi;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint8_t low[16] = { 0 }, high[16] = { 0 };
	u128 lo, up;
	int plen = -1;

	memset(&r, 0, sizeof(r));
	r.kind = DHCPDCONF_NA;
	if (v6_addr(p, low, &plen, 1, &first) == -1 ||
	    v6_in_subnet(p, ctx, &first, low) == -1 || dcf_peek(p, &t) == -1)
		return -1;
	if (plen >= 0) {			/* PREFIX/LEN */
		lo = v6_get(low) & v6_mask((unsigned)plen);
		up = lo | ~v6_mask((unsigned)plen);
		v6_text(low, a);
		snprintf(r.name, sizeof(r.name), "%s/%d", a, plen);
	} else if (dcf_tok_is(&t, "temporary")) {	/* ADDR temporary */
		lo = up = v6_get(low);
		v6_text(low, r.name);
	} else {				/* LOW HIGH */
		if (v6_addr(p, high, NULL, 0, &hi) == -1 ||
		    v6_in_subnet(p, ctx, &hi, high) == -1)
			return -1;
		lo = v6_get(low);
		up = v6_get(high);
		if (lo > up)
			return dcf_perr(p, &first, "range6 start address is "
			    "greater than its end address");
		v6_text(low, a);
		v6_text(high, b);
		snprintf(r.name, sizeof(r.name), "%s-%s", a, b);
	}
	if (dcf_peek(p, &t) == -1)
		return -1;
	if (dcf_tok_is(&t, "temporary")) {
		r.kind = DHCPDCONF_TA;
		if (dcf_next(p, &t) == -1)
			return -1;
	}
	if (dcf_expect_ch(p, ';', "';' after range6") == -1)
		return -1;
	for (int i = 15; i >= 0; i--, lo >>= 8, up >>= 8) {
		r.first[i] = (uint8_t)lo;
		r.last[i] = (uint8_t)up;
	}
	r.size = (double)(v6_get(r.last) - v6_get(r.first)) + 1.0;
	r.plen = 128;
	return v6_add(p, ctx, kw, &r);
}

/* prefix6 LOW HIGH /LEN; */
int
dcf_prefix6_parse(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dhcpdconf_range6 r;
	struct dcf_token first, hi;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int plen2 = -1;
	long len;
	u128 lo, up, m;

	memset(&r, 0, sizeof(r));
	r.kind = DHCPDCONF_PD;
	if (v6_addr(p, r.first, NULL, 0, &first) == -1)
		return -1;
	/* "HIGH /LEN" is two runs; "HIGH/LEN" is one */
	if (v6_addr(p, r.last, &plen2, 1, &hi) == -1)
		return -1;
	if (plen2 >= 0)
		len = plen2;
	else {
		if (dcf_expect_ch(p, '/', "'/' and the delegated length") ==
		    -1 || dcf_number(p, 128, &len) == -1)
			return -1;
	}
	if (len < 1 || len > 128)
		return dcf_perr(p, &hi, "prefix6 length must be 1 to 128");
	if (dcf_expect_ch(p, ';', "';' after prefix6") == -1)
		return -1;
	m = v6_mask((unsigned)len);
	lo = v6_get(r.first);
	up = v6_get(r.last);
	if (lo > up)
		return dcf_perr(p, &first, "prefix6 start is greater than its "
		    "end");
	r.plen = (unsigned)len;
	r.size = (double)(((up & m) - (lo & m)) >> (128 - len)) + 1.0;
	v6_text(r.first, a);
	v6_text(r.last, b);
	snprintf(r.name, sizeof(r.name), "%s-%s/%ld", a, b, len);
	return v6_add(p, ctx, kw, &r);
}

/* Order: kind, then delegated length, then first address. */
static int
range6_cmp(const void *va, const void *vb, void *arg)
{
	const struct dhcpdconf_range6 *v = arg;
	const struct dhcpdconf_range6 *a = &v[*(const size_t *)va];
	const struct dhcpdconf_range6 *b = &v[*(const size_t *)vb];
	int d;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if ((d = memcmp(a->first, b->first, 16)) != 0)
		return d;
	return a < b ? -1 : a > b;
}

/* The index by_first6, for dhcpdconf_find_range6's binary search. */
int
dcf_ranges6_sort(struct dcf_parser *p)
{
	struct dhcpdconf *c = p->c;
	size_t i;

	if ((c->by_first6 = calloc(c->nranges6 + 1, sizeof(size_t))) ==
	    NULL) {
		snprintf(p->err, p->errlen, "%s: out of memory", c->name);
		return -1;
	}
	for (i = 0; i < c->nranges6; i++)
		c->by_first6[i] = i;
	qsort_r(c->by_first6, c->nranges6, sizeof(size_t), range6_cmp,
	    c->ranges6);
	return 0;
}

/*
 * The range6 or prefix6 of kind (an ia-na address: DHCPDCONF_NA, ia-ta:
 * TA, ia-pd: PD) that holds addr, or NONE: dhcpd places a lease in a pool
 * of its own type (mdb6.c find_ipv6_pool).  A prefix belongs to a prefix6
 * of its length whose span holds its start.  A binary search over
 * by_first6 for the last one of that kind and length starting at or
 * before addr, then back over the earlier ones (range6 may overlap).
 */
size_t
dhcpdconf_find_range6(const struct dhcpdconf *c, enum dhcpdconf_kind6 kind,
    const uint8_t addr[16], unsigned plen)
{
	const struct dhcpdconf_range6 *r;
	size_t lo = 0, hi = c->nranges6, mid;

	if (kind != DHCPDCONF_PD)
		plen = 128;
	while (lo < hi) {		/* first index ordered after addr */
		mid = lo + (hi - lo) / 2;
		r = &c->ranges6[c->by_first6[mid]];
		if (r->kind < kind || (r->kind == kind && (r->plen < plen ||
		    (r->plen == plen && memcmp(r->first, addr, 16) <= 0))))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0) {
		r = &c->ranges6[c->by_first6[lo]];
		if (r->kind != kind || r->plen != plen)
			break;
		if (memcmp(addr, r->last, 16) <= 0)
			return c->by_first6[lo];
	}
	return DHCPDCONF_NONE;
}
