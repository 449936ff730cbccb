/*
 * hmac_cost.c: what one HMAC-MD5 sign (80-byte request) plus one verify
 * (300-byte reply) costs, done the ways a client can do it, for callgrind
 * to count (run.sh runs it with --toggle-collect on each cost_* function
 * and divides by ITERATIONS).
 *
 *   cost_oneshot    HMAC() per message: key setup every time
 *   cost_mac_dup    an EVP_MAC_CTX keyed once, duplicated per message
 *   cost_md_copy    EVP_MD_CTX_copy_ex from precomputed ipad/opad states
 *   cost_md5_raw    MD5_CTX structs copied from precomputed pad states:
 *                   little more than the compression function itself
 *   cost_ours       libomapi's signer (omapi_signer_sign + _verify)
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* MD5_* for the floor */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

#define ITERATIONS	2000
#define REQ_LEN		80
#define REPLY_LEN	300

static uint8_t	req[REQ_LEN], reply[REPLY_LEN], secret[16];
static unsigned	sink;

static void
consume(const uint8_t *md, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sink += md[i];
}

static void __attribute__((noinline))
cost_oneshot(void)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len;
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		HMAC(EVP_md5(), secret, sizeof(secret), req, REQ_LEN, md, &len);
		consume(md, len);
		HMAC(EVP_md5(), secret, sizeof(secret), reply, REPLY_LEN, md,
		    &len);
		consume(md, len);
	}
}

static void
mac_once(EVP_MAC_CTX *base, const uint8_t *data, size_t n)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	EVP_MAC_CTX *c = EVP_MAC_CTX_dup(base);
	size_t len = 0;

	EVP_MAC_update(c, data, n);
	EVP_MAC_final(c, md, &len, sizeof(md));
	EVP_MAC_CTX_free(c);
	consume(md, len);
}

static void __attribute__((noinline))
cost_mac_dup(EVP_MAC_CTX *base)
{
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		mac_once(base, req, REQ_LEN);
		mac_once(base, reply, REPLY_LEN);
	}
}

struct pads {
	EVP_MD_CTX	*inner, *outer, *work;
	MD5_CTX		 raw_inner, raw_outer;
};

static void
pads_init(struct pads *p)
{
	uint8_t ipad[64], opad[64];
	size_t i;

	memset(ipad, 0x36, sizeof(ipad));
	memset(opad, 0x5c, sizeof(opad));
	for (i = 0; i < sizeof(secret); i++) {
		ipad[i] ^= secret[i];
		opad[i] ^= secret[i];
	}
	p->inner = EVP_MD_CTX_new();
	p->outer = EVP_MD_CTX_new();
	p->work = EVP_MD_CTX_new();
	EVP_DigestInit_ex(p->inner, EVP_md5(), NULL);
	EVP_DigestUpdate(p->inner, ipad, sizeof(ipad));
	EVP_DigestInit_ex(p->outer, EVP_md5(), NULL);
	EVP_DigestUpdate(p->outer, opad, sizeof(opad));
	MD5_Init(&p->raw_inner);
	MD5_Update(&p->raw_inner, ipad, sizeof(ipad));
	MD5_Init(&p->raw_outer);
	MD5_Update(&p->raw_outer, opad, sizeof(opad));
}

static void
md_once(struct pads *p, const uint8_t *data, size_t n)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len;

	EVP_MD_CTX_copy_ex(p->work, p->inner);
	EVP_DigestUpdate(p->work, data, n);
	EVP_DigestFinal_ex(p->work, md, &len);
	EVP_MD_CTX_copy_ex(p->work, p->outer);
	EVP_DigestUpdate(p->work, md, len);
	EVP_DigestFinal_ex(p->work, md, &len);
	consume(md, len);
}

/* ITERATIONS of one request and one reply through once(). */
static void
both(void (*once)(struct pads *, const uint8_t *, size_t), struct pads *p)
{
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		once(p, req, REQ_LEN);
		once(p, reply, REPLY_LEN);
	}
}

static void __attribute__((noinline))
cost_md_copy(struct pads *p)
{
	both(md_once, p);
}

static void
raw_once(struct pads *p, const uint8_t *data, size_t n)
{
	uint8_t md[MD5_DIGEST_LENGTH];
	MD5_CTX c = p->raw_inner;

	MD5_Update(&c, data, n);
	MD5_Final(md, &c);
	c = p->raw_outer;
	MD5_Update(&c, md, sizeof(md));
	MD5_Final(md, &c);
	consume(md, sizeof(md));
}

static void __attribute__((noinline))
cost_md5_raw(struct pads *p)
{
	both(raw_once, p);
}

static void __attribute__((noinline))
cost_ours(struct omapi_signer *s)
{
	uint8_t md[OMAPI_MAX_SIG];
	int i;

	for (i = 0; i < ITERATIONS; i++) {
		omapi_signer_sign(s, req, REQ_LEN, md);
		consume(md, 16);
		if (omapi_signer_verify(s, reply, REPLY_LEN, md, 16) == 0)
			sink++;
	}
}

int
main(void)
{
	OSSL_PARAM params[2];
	struct omapi_key key;
	struct omapi_signer *s;
	struct omapi_error err;
	struct pads pads;
	EVP_MAC *mac;
	EVP_MAC_CTX *base;
	size_t i;

	for (i = 0; i < sizeof(req); i++)
		req[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(reply); i++)
		reply[i] = (uint8_t)(i * 13);
	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(i * 31 + 1);
	memset(&key, 0, sizeof(key));
	strcpy(key.name, "bench");
	key.alg = OMAPI_ALG_HMAC_MD5;
	memcpy(key.secret, secret, sizeof(secret));
	key.secret_len = sizeof(secret);
	if ((s = omapi_signer_new(&key, &err)) == NULL) {
		fprintf(stderr, "hmac_cost: %s\n", err.text);
		return 1;
	}
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	base = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"MD5", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (base == NULL || !EVP_MAC_init(base, secret, sizeof(secret),
	    params))
		return 1;
	pads_init(&pads);
	/* warm every path once, outside the counted functions */
	HMAC(EVP_md5(), secret, sizeof(secret), req, REQ_LEN, NULL, NULL);
	mac_once(base, req, REQ_LEN);
	md_once(&pads, req, REQ_LEN);
	cost_oneshot();
	cost_mac_dup(base);
	cost_md_copy(&pads);
	cost_md5_raw(&pads);
	cost_ours(s);
	printf("{\"iterations\":%d,\"sink\":%u}\n", ITERATIONS, sink);
	omapi_signer_free(s);
	EVP_MAC_CTX_free(base);
	EVP_MAC_free(mac);
	EVP_MD_CTX_free(pads.inner);
	EVP_MD_CTX_free(pads.outer);
	EVP_MD_CTX_free(pads.work);
	return 0;
}
