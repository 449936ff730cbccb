/*
 * test_auth.c: HMAC signing and verification for every algorithm, checked
 * against the published test cases of RFC 2202 (HMAC-MD5, HMAC-SHA1) and
 * RFC 4231 (HMAC-SHA224/256/384/512), and against OpenSSL's one-shot HMAC()
 * for every key length around the block sizes; algorithm names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "omapi.h"

struct hmac_case {
	enum omapi_alg	 alg;
	const char	*key;		/* hex, or "REP:nn:count" */
	const char	*data;		/* text, or "REP:nn:count" */
	const char	*digest;	/* hex */
};

/* RFC 2202 section 2 (MD5) and 3 (SHA-1), RFC 4231 section 4. */
static const struct hmac_case cases[] = {
	/* RFC 2202 HMAC-MD5 */
	{ OMAPI_ALG_HMAC_MD5, "REP:0b:16", "Hi There",
	    "9294727a3638bb1c13f48ef8158bfc9d" },
	{ OMAPI_ALG_HMAC_MD5, "4a656665", "what do ya want for nothing?",
	    "750c783e6ab0b503eaa86e310a5db738" },
	{ OMAPI_ALG_HMAC_MD5, "REP:aa:16", "REP:dd:50",
	    "56be34521d144c88dbb8c733f0e8b3f6" },
	{ OMAPI_ALG_HMAC_MD5, "0102030405060708090a0b0c0d0e0f10111213141516171819",
	    "REP:cd:50", "697eaf0aca3a3aea3a75164746ffaa79" },
	{ OMAPI_ALG_HMAC_MD5, "REP:0c:16", "Test With Truncation",
	    "56461ef2342edc00f9bab995690efd4c" },
	{ OMAPI_ALG_HMAC_MD5, "REP:aa:80",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
	{ OMAPI_ALG_HMAC_MD5, "REP:aa:80",
	    "Test Using Larger Than Block-Size Key and Larger Than One "
	    "Block-Size Data", "6f630fad67cda0ee1fb1f562db3aa53e" },
	/* RFC 2202 HMAC-SHA-1 */
	{ OMAPI_ALG_HMAC_SHA1, "REP:0b:20", "Hi There",
	    "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ OMAPI_ALG_HMAC_SHA1, "4a656665", "what do ya want for nothing?",
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ OMAPI_ALG_HMAC_SHA1, "REP:aa:20", "REP:dd:50",
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ OMAPI_ALG_HMAC_SHA1, "0102030405060708090a0b0c0d0e0f10111213141516171819",
	    "REP:cd:50", "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ OMAPI_ALG_HMAC_SHA1, "REP:aa:80",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ OMAPI_ALG_HMAC_SHA1, "REP:aa:80",
	    "Test Using Larger Than Block-Size Key and Larger Than One "
	    "Block-Size Data", "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	/* RFC 4231 test case 1 */
	{ OMAPI_ALG_HMAC_SHA224, "REP:0b:20", "Hi There",
	    "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
	{ OMAPI_ALG_HMAC_SHA256, "REP:0b:20", "Hi There",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ OMAPI_ALG_HMAC_SHA384, "REP:0b:20", "Hi There",
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ OMAPI_ALG_HMAC_SHA512, "REP:0b:20", "Hi There",
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	/* RFC 4231 test case 2 */
	{ OMAPI_ALG_HMAC_SHA224, "4a656665", "what do ya want for nothing?",
	    "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44" },
	{ OMAPI_ALG_HMAC_SHA256, "4a656665", "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ OMAPI_ALG_HMAC_SHA384, "4a656665", "what do ya want for nothing?",
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	    "8e2240ca5e69e2c78b3239ecfab21649" },
	{ OMAPI_ALG_HMAC_SHA512, "4a656665", "what do ya want for nothing?",
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	/* RFC 4231 test case 6: key longer than the block, hashed first */
	{ OMAPI_ALG_HMAC_SHA224, "REP:aa:131",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e" },
	{ OMAPI_ALG_HMAC_SHA256, "REP:aa:131",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ OMAPI_ALG_HMAC_SHA384, "REP:aa:131",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952" },
	{ OMAPI_ALG_HMAC_SHA512, "REP:aa:131",
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	/* RFC 4231 test case 7: long key and long data */
#define TC7 "This is a test using a larger than block-size key and a larger " \
	    "than block-size data. The key needs to be hashed before being " \
	    "used by the HMAC algorithm."
	{ OMAPI_ALG_HMAC_SHA224, "REP:aa:131", TC7,
	    "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1" },
	{ OMAPI_ALG_HMAC_SHA256, "REP:aa:131", TC7,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	{ OMAPI_ALG_HMAC_SHA384, "REP:aa:131", TC7,
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	    "a678cc31e799176d3860e6110c46523e" },
	{ OMAPI_ALG_HMAC_SHA512, "REP:aa:131", TC7,
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

static const enum omapi_alg all_algs[] = {
	OMAPI_ALG_HMAC_MD5, OMAPI_ALG_HMAC_SHA1, OMAPI_ALG_HMAC_SHA224,
	OMAPI_ALG_HMAC_SHA256, OMAPI_ALG_HMAC_SHA384, OMAPI_ALG_HMAC_SHA512,
};
#define NALGS	(sizeof(all_algs) / sizeof(all_algs[0]))

/* Expand a case's key or data: "REP:xx:n", hex (for keys) or text. */
static size_t
expand(const char *spec, int hex, uint8_t *out, size_t max)
{
	unsigned byte, count, i;
	size_t n;

	if (sscanf(spec, "REP:%2x:%u", &byte, &count) == 2) {
		assert_true(count <= max);
		memset(out, (int)byte, count);
		return count;
	}
	if (!hex) {
		n = strlen(spec);
		assert_true(n <= max);
		memcpy(out, spec, n);
		return n;
	}
	n = strlen(spec) / 2;
	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(spec + 2 * i, "%2x", &byte), 1);
		out[i] = (uint8_t)byte;
	}
	return n;
}

static struct omapi_signer *
signer_for(enum omapi_alg alg, const uint8_t *secret, size_t len)
{
	struct omapi_key key;
	struct omapi_signer *s;
	struct omapi_error err;

	memset(&key, 0, sizeof(key));
	snprintf(key.name, sizeof(key.name), "k");
	key.alg = alg;
	memcpy(key.secret, secret, len);
	key.secret_len = len;
	s = omapi_signer_new(&key, &err);
	assert_non_null(s);
	omapi_key_wipe(&key);
	return s;
}

static void
test_rfc_vectors(void **state)
{
	uint8_t key[256], data[256], want[64], sig[64];
	struct omapi_signer *s;
	size_t i, klen, dlen, wlen;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		klen = expand(cases[i].key, 1, key, sizeof(key));
		dlen = expand(cases[i].data, 0, data, sizeof(data));
		wlen = expand(cases[i].digest, 1, want, sizeof(want));
		s = signer_for(cases[i].alg, key, klen);
		assert_int_equal(omapi_signer_len(s), wlen);
		assert_int_equal(omapi_alg_siglen(cases[i].alg), wlen);
		memset(sig, 0, sizeof(sig));
		assert_int_equal(omapi_signer_sign(s, data, dlen, sig), 0);
		if (memcmp(sig, want, wlen) != 0)
			fail_msg("case %zu (%s) digest differs", i,
			    omapi_alg_name(cases[i].alg));
		assert_int_equal(omapi_signer_verify(s, data, dlen, want, wlen),
		    0);
		/* A signer is reusable: the same input signs the same. */
		assert_int_equal(omapi_signer_sign(s, data, dlen, sig), 0);
		assert_memory_equal(sig, want, wlen);
		omapi_signer_free(s);
	}
}

static const EVP_MD *
md_of(enum omapi_alg alg)
{
	switch (alg) {
	case OMAPI_ALG_HMAC_MD5: return EVP_md5();
	case OMAPI_ALG_HMAC_SHA1: return EVP_sha1();
	case OMAPI_ALG_HMAC_SHA224: return EVP_sha224();
	case OMAPI_ALG_HMAC_SHA256: return EVP_sha256();
	case OMAPI_ALG_HMAC_SHA384: return EVP_sha384();
	case OMAPI_ALG_HMAC_SHA512: return EVP_sha512();
	default: return NULL;
	}
}

/* Every key length 1..256 (block sizes are 64 and 128) against HMAC(). */
static void
test_against_openssl_all_key_lengths(void **state)
{
	uint8_t key[OMAPI_KEY_SECRET_MAX], data[300], sig[64], want[64];
	unsigned int wlen;
	struct omapi_signer *s;
	size_t a, klen, dlen, i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 1);
	for (a = 0; a < NALGS; a++) {
		for (klen = 1; klen <= sizeof(key); klen++) {
			dlen = (klen * 37) % sizeof(data);
			s = signer_for(all_algs[a], key, klen);
			assert_int_equal(omapi_signer_sign(s, data, dlen, sig),
			    0);
			assert_non_null(HMAC(md_of(all_algs[a]), key, (int)klen,
			    data, dlen, want, &wlen));
			assert_int_equal(wlen, omapi_signer_len(s));
			if (memcmp(sig, want, wlen) != 0)
				fail_msg("%s with a %zu-byte key differs",
				    omapi_alg_name(all_algs[a]), klen);
			omapi_signer_free(s);
		}
	}
}

static void
test_verify_rejects(void **state)
{
	static const uint8_t secret[] = "0123456789abcdef";
	uint8_t data[100], sig[65], bad[65];
	struct omapi_signer *s;
	size_t a, i, len;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	for (a = 0; a < NALGS; a++) {
		s = signer_for(all_algs[a], secret, 16);
		len = omapi_signer_len(s);
		assert_int_equal(omapi_signer_sign(s, data, sizeof(data), sig),
		    0);
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data),
		    sig, len), 0);
		/* Every single flipped bit of the signature. */
		for (i = 0; i < len * 8; i++) {
			memcpy(bad, sig, len);
			bad[i / 8] ^= (uint8_t)(1u << (i % 8));
			assert_int_equal(omapi_signer_verify(s, data,
			    sizeof(data), bad, len), -1);
		}
		/* A flipped bit in the data. */
		data[50] ^= 0x10;
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data),
		    sig, len), -1);
		data[50] ^= 0x10;
		/* Wrong lengths, including a correct prefix. */
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data),
		    sig, len - 1), -1);
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data),
		    sig, len + 1), -1);
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data),
		    sig, 0), -1);
		/* Shorter data. */
		assert_int_equal(omapi_signer_verify(s, data, sizeof(data) - 1,
		    sig, len), -1);
		omapi_signer_free(s);
	}
}

/* Another key with the same algorithm does not verify. */
static void
test_verify_other_key(void **state)
{
	uint8_t sig[64];
	struct omapi_signer *s1, *s2;

	s1 = signer_for(OMAPI_ALG_HMAC_MD5, (const uint8_t *)"secret-one", 10);
	s2 = signer_for(OMAPI_ALG_HMAC_MD5, (const uint8_t *)"secret-two", 10);
	assert_int_equal(omapi_signer_sign(s1, (const uint8_t *)"msg", 3, sig),
	    0);
	assert_int_equal(omapi_signer_verify(s2, (const uint8_t *)"msg", 3, sig,
	    16), -1);
	assert_int_equal(omapi_signer_verify(s1, (const uint8_t *)"msg", 3, sig,
	    16), 0);
	omapi_signer_free(s1);
	omapi_signer_free(s2);
}

static void
test_signer_new_errors(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	memset(&key, 0, sizeof(key));
	key.alg = OMAPI_ALG_NONE;
	key.secret_len = 4;
	omapi_clearerr(&err);
	assert_null(omapi_signer_new(&key, &err));
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	key.alg = (enum omapi_alg)99;
	assert_null(omapi_signer_new(&key, &err));
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	key.alg = OMAPI_ALG_HMAC_SHA256;
	key.secret_len = 0;
	omapi_clearerr(&err);
	assert_null(omapi_signer_new(&key, &err));
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	/* NULL is fine to free, and has no length. */
	omapi_signer_free(NULL);
	assert_int_equal(omapi_signer_len(NULL), 0);
}

static void
test_alg_parse(void **state)
{
	static const struct {
		const char	*s;
		enum omapi_alg	 alg;
	} good[] = {
		{ "hmac-md5", OMAPI_ALG_HMAC_MD5 },
		{ "HMAC-MD5", OMAPI_ALG_HMAC_MD5 },
		{ "HMAC-MD5.SIG-ALG.REG.INT.", OMAPI_ALG_HMAC_MD5 },
		{ "hmac-md5.sig-alg.reg.int.", OMAPI_ALG_HMAC_MD5 },
		{ "hmac-md5.", OMAPI_ALG_HMAC_MD5 },
		{ "hmac-sha1", OMAPI_ALG_HMAC_SHA1 },
		{ "hmac-sha224", OMAPI_ALG_HMAC_SHA224 },
		{ "hmac-sha256", OMAPI_ALG_HMAC_SHA256 },
		{ "HMAC-SHA256.SIG-ALG.REG.INT.", OMAPI_ALG_HMAC_SHA256 },
		{ "hmac-sha384", OMAPI_ALG_HMAC_SHA384 },
		{ "hmac-sha512", OMAPI_ALG_HMAC_SHA512 },
	};
	static const char *const bad[] = {
		"", "hmac", "md5", "hmac-md", "hmac-md5x", "hmac-md55",
		"hmac-sha", "hmac-sha2", "hmac-sha2566", "hmac-sha1024",
		" hmac-md5", "hmac-md5 ", "hmac-md5..", "hmac-md5.SIG-ALG",
		"hmac-md5.SIG-ALG.REG.INT.X", "hmac_md5", "sha256",
		"hmac-md5.example.com.", "gss-tsig",
	};
	enum omapi_alg alg;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		alg = OMAPI_ALG_NONE;
		if (omapi_alg_parse(good[i].s, &alg) != 0)
			fail_msg("'%s' rejected", good[i].s);
		assert_int_equal(alg, good[i].alg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (omapi_alg_parse(bad[i], &alg) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

/*
 * dhcpd.conf(5) itself writes `algorithm HMAC-MD5.SIG-ALG.REG.INT;` (no
 * trailing dot) and dhcpd adds the dot (common/parse.c, parse_key), so a
 * key block copied from the man page must be accepted.
 */
static void
test_alg_parse_dhcpd_conf_form(void **state)
{
	enum omapi_alg alg = OMAPI_ALG_NONE;

	assert_int_equal(omapi_alg_parse("HMAC-MD5.SIG-ALG.REG.INT", &alg), 0);
	assert_int_equal(alg, OMAPI_ALG_HMAC_MD5);
	assert_int_equal(omapi_alg_parse("hmac-sha256.SIG-ALG.REG.INT", &alg),
	    0);
	assert_int_equal(alg, OMAPI_ALG_HMAC_SHA256);
}

static void
test_alg_names(void **state)
{
	static const char *const names[] = { "hmac-md5", "hmac-sha1",
	    "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512" };
	static const size_t lens[] = { 16, 20, 28, 32, 48, 64 };
	char want[64];
	enum omapi_alg alg;
	size_t i;

	for (i = 0; i < NALGS; i++) {
		assert_string_equal(omapi_alg_name(all_algs[i]), names[i]);
		snprintf(want, sizeof(want), "%s.SIG-ALG.REG.INT.", names[i]);
		assert_string_equal(omapi_alg_wire_name(all_algs[i]), want);
		assert_int_equal(omapi_alg_siglen(all_algs[i]), lens[i]);
		assert_true(lens[i] <= OMAPI_MAX_SIG);
		/* Names round-trip through the parser, both forms. */
		assert_int_equal(omapi_alg_parse(names[i], &alg), 0);
		assert_int_equal(alg, all_algs[i]);
		assert_int_equal(omapi_alg_parse(want, &alg), 0);
		assert_int_equal(alg, all_algs[i]);
	}
	assert_string_equal(omapi_alg_name(OMAPI_ALG_NONE), "none");
	assert_null(omapi_alg_wire_name(OMAPI_ALG_NONE));
	assert_null(omapi_alg_wire_name((enum omapi_alg)42));
	assert_int_equal(omapi_alg_siglen(OMAPI_ALG_NONE), 0);
	assert_int_equal(omapi_alg_siglen((enum omapi_alg)42), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_vectors),
		cmocka_unit_test(test_against_openssl_all_key_lengths),
		cmocka_unit_test(test_verify_rejects),
		cmocka_unit_test(test_verify_other_key),
		cmocka_unit_test(test_signer_new_errors),
		cmocka_unit_test(test_alg_parse),
		cmocka_unit_test(test_alg_parse_dhcpd_conf_form),
		cmocka_unit_test(test_alg_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
