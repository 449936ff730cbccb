/*
 * peer.c: failover peer declarations and references outside pools
 * (confpars.c parse_failover_peer) and classes with their lease limit
 * (parse_class_declaration).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcf_int.h"

/* An address or host name up to the ';' (failover peer address). */
static int
parse_peer_address(struct dcf_parser *p, char **out)
{
	struct dcf_token t;
	char buf[1024];
	size_t n = 0;

	for (;;) {
		if (dcf_peek(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, ';') && n > 0)
			break;
		if ((t.type != DCF_NAME && t.type != DCF_NUMBER &&
		    !dcf_tok_ch(&t, '.')) || n + t.len + 1 > sizeof(buf))
			return dcf_expected(p, &t, "an address or host name");
		memcpy(buf + n, t.text, t.len);
		n += t.len;
		if (dcf_next(p, &t) == -1)
			return -1;
	}
	buf[n] = '\0';
	free(*out);
	if ((*out = strdup(buf)) == NULL)
		return dcf_nomem(p, &t);
	return 0;
}

/* Skip to the ';' (an hba bit map). */
static int
skip_to_semi(struct dcf_parser *p)
{
	struct dcf_token t;

	for (;;) {
		if (dcf_peek(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, ';'))
			return 0;
		if (t.type == DCF_EOF || dcf_tok_ch(&t, '}'))
			return dcf_expected(p, &t, "';'");
		if (dcf_next(p, &t) == -1)
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
		if (dcf_next(p, t) == -1)
			return -1;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (!dcf_tok_is(t, nums[i].word))
			continue;
		if (dcf_number(p, 0x7fffffff, &v) == -1)
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
			return dcf_perr(p, t, "secondary may not define load "
			    "balance settings");
		return 0;
	}
	if (dcf_tok_is(t, "address"))
		return parse_peer_address(p, partner ? &pe->peer_address :
		    &pe->address);
	if (dcf_tok_is(t, "split") || dcf_tok_is(t, "hba")) {
		if (pe->role == DHCPDCONF_ROLE_SECONDARY)
			return dcf_perr(p, t, "secondary may not define load "
			    "balance settings");
		*hba = 1;
		if (dcf_tok_is(t, "hba"))
			return skip_to_semi(p);
		if (dcf_number(p, 256, &pe->split) == -1)
			return -1;
		return 0;
	}
	if (dcf_tok_is(t, "load")) {
		if (dcf_expect_word(p, "balance") == -1 ||
		    dcf_expect_word(p, "max") == -1 ||
		    dcf_expect_word(p, "seconds") == -1)
			return -1;
		return dcf_number(p, 0x7fffffff,
		    &pe->load_balance_max_seconds);
	}
	return dcf_perr(p, t, "invalid statement in peer declaration");
}

/* The { ... } of failover peer NAME, after the '{'. */
static int
parse_peer_block(struct dcf_parser *p, struct dhcpdconf_peer *pe,
    const struct dcf_token *kw)
{
	struct dcf_token t, brace = p->lx->tok;
	int hba = 0, rv;

	while ((rv = dcf_block_next(p, &brace, &t)) == 1) {
		if (parse_peer_stmt(p, pe, &t, &hba) == -1 ||
		    dcf_expect_ch(p, ';', "';'") == -1)
			return -1;
	}
	if (rv == -1)
		return -1;
	if (pe->peer_address == NULL)
		return dcf_perr(p, kw, "peer address may not be omitted");
	if (pe->role == DHCPDCONF_ROLE_PRIMARY && !hba)
		return dcf_perr(p, kw, "primary failover server must have "
		    "hba or split");
	if (pe->role == DHCPDCONF_ROLE_PRIMARY && pe->mclt < 0)
		return dcf_perr(p, kw, "primary failover server must have "
		    "mclt");
	return 0;
}

static struct dhcpdconf_peer *
add_peer(struct dcf_parser *p, const struct dcf_token *kw, const char *name)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_peer *pe;

	if (dcf_decl(p, kw) == -1)
		return NULL;
	if (dcf_grow(&c->peers, &p->cappeers, c->npeers + 1,
	    sizeof(*c->peers)) == -1) {
		dcf_nomem(p, kw);
		return NULL;
	}
	pe = &c->peers[c->npeers];
	memset(pe, 0, sizeof(*pe));
	if ((pe->name = strdup(name)) == NULL) {
		dcf_nomem(p, kw);
		return NULL;
	}
	pe->port = pe->peer_port = pe->mclt = pe->split = -1;
	pe->max_response_delay = pe->peer_max_response_delay = -1;
	pe->max_unacked_updates = pe->peer_max_unacked_updates = -1;
	pe->load_balance_max_seconds = pe->auto_partner_down = -1;
	pe->where = dcf_where(p, kw);
	c->npeers++;
	return pe;
}

/* failover peer NAME { ... } | NAME; | NAME state { ... } */
int
dcf_failover_parse(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dhcpdconf_peer *pe;
	struct dcf_token t;
	char name[DCF_TOKMAX], q[80];
	size_t i;

	if (dcf_expect_word(p, "peer") == -1 || dcf_next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING && t.type != DCF_NAME)
		return dcf_expected(p, &t, "a failover peer name");
	snprintf(name, sizeof(name), "%s", t.text);
	dcf_quote(name, q, sizeof(q));
	i = dhcpdconf_find_peer(p->c, name);
	if (dcf_next(p, &t) == -1)
		return -1;
	if (dcf_tok_ch(&t, ';')) {
		if (ctx->kind != K_SHARED)
			return dcf_perr(p, kw, "failover peer reference not in "
			    "shared-network declaration");
		if (i == DHCPDCONF_NONE)
			return dcf_perr(p, kw, "reference to unknown failover "
			    "peer \"%s\"", q);
		p->c->shared[ctx->shared].peer = i;
		return 0;
	}
	if (dcf_tok_is(&t, "state")) {
		if (i == DHCPDCONF_NONE)
			return dcf_perr(p, kw, "state declaration for unknown "
			    "failover peer \"%s\"", q);
		return dcf_skip_rest(p);
	}
	if (!dcf_tok_ch(&t, '{'))
		return dcf_expected(p, &t, "'{'");
	if (i != DHCPDCONF_NONE)
		return dcf_perr(p, kw, "redeclaration of failover peer "
		    "\"%s\"", q);
	if ((pe = add_peer(p, kw, name)) == NULL)
		return -1;
	if (parse_peer_block(p, pe, kw) == -1)
		return -1;
	if (ctx->kind == K_SHARED)
		p->c->shared[ctx->shared].peer = p->c->npeers - 1;
	return 0;
}

/* class "NAME" { ... } (a repeated name updates the same class). */
int
dcf_class_parse(struct dcf_parser *p, const struct dcf_token *kw)
{
	struct dhcpdconf *c = p->c;
	struct dcf_token t, brace;
	size_t i;
	long limit = 0;
	int rv;

	if (dcf_next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return dcf_expected(p, &t, "a class name string");
	for (i = 0; i < c->nclasses; i++)
		if (strcmp(c->classes[i].name, t.text) == 0)
			break;
	if (i == c->nclasses) {
		if (dcf_decl(p, kw) == -1)
			return -1;
		if (dcf_grow(&c->classes, &p->capclasses, i + 1,
		    sizeof(*c->classes)) == -1 ||
		    (c->classes[i].name = strdup(t.text)) == NULL)
			return dcf_nomem(p, kw);
		c->classes[i].lease_limit = -1;
		c->classes[i].where = dcf_where(p, kw);
		c->nclasses++;
	}
	if (dcf_next(p, &brace) == -1)
		return -1;
	if (dcf_tok_ch(&brace, ';'))
		return 0;
	if (!dcf_tok_ch(&brace, '{'))
		return dcf_expected(p, &brace, "'{'");
	while ((rv = dcf_block_next(p, &brace, &t)) == 1) {
		if (!dcf_tok_is(&t, "lease")) {
			if (dcf_skip_stmt(p, &t) == -1)
				return -1;
			continue;
		}
		if (dcf_expect_word(p, "limit") == -1 ||
		    dcf_number(p, 0x7fffffff, &limit) == -1 ||
		    dcf_expect_ch(p, ';', "';'") == -1)
			return -1;
		c->classes[i].lease_limit = limit;
	}
	if (rv == -1 || dcf_peek(p, &t) == -1)
		return -1;
	return dcf_tok_ch(&t, ';') ? dcf_next(p, &t) : 0;
}
