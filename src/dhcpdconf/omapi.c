/*
 * omapi.c: what dhcpd.conf says about OMAPI (confpars.c parse_statement
 * OMAPI_PORT, OMAPI_KEY and KEY; parse.c parse_key): `omapi-port N;`,
 * `omapi-key NAME;` and the `key NAME { algorithm ALG; secret "..."; }`
 * blocks, wherever they are, includes too.  A key's secret is kept only
 * when the caller's rule (dhcpdconf_opts.secret_mode_ok) accepts the mode
 * of the file that holds it; no message ever shows a secret.  Freeing a
 * key and finding one by name are in model.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcf_int.h"

#define DCF_KEYNAME_MAX	256

/*
 * A key or algorithm name, as dhcpd takes it: a string, or names joined
 * by dots ("hmac-md5.sig-alg.reg.int.", "rndc-key") into out.
 */
static int
parse_key_name(struct dcf_parser *p, const char *what, char *out,
    size_t outlen)
{
	struct dcf_token t;
	size_t n = 0;

	if (dcf_next(p, &t) == -1)
		return -1;
	if (t.type == DCF_STRING) {
		if (t.len == 0 || t.len >= outlen)
			return dcf_expected(p, &t, what);
		/* it goes into messages and OMAPI: printable, no quotes */
		for (n = 0; n < t.len; n++)
			if (t.text[n] <= ' ' || t.text[n] > '~' ||
			    t.text[n] == '"' || t.text[n] == '\\')
				return dcf_perr(p, &t, "%s may hold only "
				    "printable characters, no space or quote",
				    what);
		memcpy(out, t.text, t.len + 1);
		return 0;
	}
	for (;;) {
		if ((t.type != DCF_NAME && t.type != DCF_NUMBER &&
		    !dcf_tok_ch(&t, '.')) || n + t.len >= outlen)
			return dcf_expected(p, &t, what);
		memcpy(out + n, t.text, t.len);
		n += t.len;
		if (dcf_peek(p, &t) == -1)
			return -1;
		if (t.type != DCF_NAME && t.type != DCF_NUMBER &&
		    !dcf_tok_ch(&t, '.'))
			break;
		if (dcf_next(p, &t) == -1)
			return -1;
	}
	out[n] = '\0';
	return 0;
}

/* omapi-port N; */
int
dcf_omapi_port(struct dcf_parser *p, const struct dcf_token *kw)
{
	long v;

	if (dcf_number(p, 65535, &v) == -1)
		return -1;
	if (v == 0)
		return dcf_perr(p, kw, "omapi-port 0 is not a port");
	p->c->omapi_port = v;
	p->c->omapi_port_where = dcf_where(p, kw);
	return dcf_expect_ch(p, ';', "';' after omapi-port");
}

/* omapi-key NAME; */
int
dcf_omapi_key(struct dcf_parser *p, const struct dcf_token *kw)
{
	char name[DCF_KEYNAME_MAX];

	if (parse_key_name(p, "a key name", name, sizeof(name)) == -1)
		return -1;
	free(p->c->omapi_key);
	if ((p->c->omapi_key = strdup(name)) == NULL)
		return dcf_nomem(p, kw);
	p->c->omapi_key_where = dcf_where(p, kw);
	return dcf_expect_ch(p, ';', "';' after omapi-key");
}

/*
 * secret ...; into buf: a string, or base64 written bare (its '+', '/'
 * and '=' are tokens of their own).  Errors never show the tokens.
 */
static int
parse_secret(struct dcf_parser *p, const struct dcf_token *kw, char *buf,
    size_t buflen)
{
	struct dcf_token t;
	size_t n = 0;

	for (;;) {
		if (dcf_next(p, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, ';') && n > 0)
			break;
		if (t.type == DCF_EOF || dcf_tok_ch(&t, '}') ||
		    dcf_tok_ch(&t, ';') || n + t.len >= buflen)
			return dcf_perr(p, kw, "a secret must be base64, "
			    "ended by ';' (the secret is not shown)");
		memcpy(buf + n, t.text, t.len);
		n += t.len;
		explicit_bzero(p->lx->text, sizeof(p->lx->text));
	}
	buf[n] = '\0';
	return 0;
}

/* The statements of a key block: algorithm and secret. */
static int
parse_key_body(struct dcf_parser *p, const struct dcf_token *open,
    struct dhcpdconf_key *k, char *secret, size_t secretlen)
{
	struct dcf_token t;
	char alg[DCF_KEYNAME_MAX];

	for (;;) {
		if (dcf_block_next(p, open, &t) == -1)
			return -1;
		if (dcf_tok_ch(&t, '}'))
			return 0;
		if (dcf_tok_is(&t, "algorithm")) {
			if (parse_key_name(p, "an algorithm name", alg,
			    sizeof(alg)) == -1 ||
			    dcf_expect_ch(p, ';', "';' after algorithm") == -1)
				return -1;
			free(k->algorithm);
			if ((k->algorithm = strdup(alg)) == NULL)
				return dcf_nomem(p, &t);
		} else if (dcf_tok_is(&t, "secret")) {
			if (parse_secret(p, &t, secret, secretlen) == -1)
				return -1;
		} else
			return dcf_expected(p, &t, "algorithm or secret");
	}
}

/* key NAME { algorithm ALG; secret SECRET; } with an optional ';'. */
int
dcf_key_parse(struct dcf_parser *p, const struct dcf_token *kw)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_key k;
	struct dcf_token open, t;
	char name[DCF_KEYNAME_MAX], secret[DCF_TOKMAX];
	int rv = -1;

	memset(&k, 0, sizeof(k));
	secret[0] = '\0';
	k.where = dcf_where(p, kw);
	k.mode = p->mode;
	if (parse_key_name(p, "a key name", name, sizeof(name)) == -1)
		return -1;
	if (dcf_next(p, &open) == -1)
		return -1;
	if (!dcf_tok_ch(&open, '{'))
		return dcf_expected(p, &open, "'{' after the key name");
	if (parse_key_body(p, &open, &k, secret, sizeof(secret)) == -1)
		goto out;
	if (secret[0] == '\0') {
		dcf_perr(p, kw, "key %s has no secret", name);
		goto out;
	}
	if (dcf_peek(p, &t) == -1)
		goto out;
	if (dcf_tok_ch(&t, ';') && dcf_next(p, &t) == -1)
		goto out;
	if ((k.name = strdup(name)) == NULL)
		goto nomem;
	k.secret_ok = p->opts->secret_mode_ok != NULL &&
	    p->opts->secret_mode_ok(p->mode);
	if (k.secret_ok && (k.secret = strdup(secret)) == NULL)
		goto nomem;
	if (dcf_grow(&c->keys, &p->capkeys, c->nkeys + 1,
	    sizeof(*c->keys)) == -1)
		goto nomem;
	c->keys[c->nkeys++] = k;
	memset(&k, 0, sizeof(k));
	rv = 0;
	goto out;
nomem:
	dcf_nomem(p, kw);
out:
	explicit_bzero(secret, sizeof(secret));
	dcf_key_free(&k);
	return rv;
}
