/*
 * auth.c: HMAC signatures for OMAPI messages.
 *
 * A signer hashes the key into the inner and outer pad states once; signing
 * a message then copies those states and hashes only the message.  Per-call
 * setup, not hashing, dominates the cost of HMAC on small messages, and a
 * sweep signs and verifies two small messages per address.
 *
 * The states are the digests' plain structs (MD5_CTX, SHA256_CTX, ...), so
 * resuming from one is a struct copy.  OpenSSL 3's EVP_MD_CTX_copy_ex
 * allocates and frees a provider context on every copy: a sign of an
 * 80-byte request plus a verify of a 300-byte reply costs ~8,900
 * instructions that way and ~6,600 this way, the MD5 compression function
 * itself being ~6,300 of it (make bench).  The low-level digest functions
 * are deprecated in OpenSSL 3.0 but built into Debian's libcrypto.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "omapi.h"

#define HMAC_MAX_BLOCK	128	/* SHA-384/512 block size */

/* Any digest's running state. */
union md_state {
	MD5_CTX		md5;
	SHA_CTX		sha1;
	SHA256_CTX	sha256;		/* and SHA-224 */
	SHA512_CTX	sha512;		/* and SHA-384 */
};

struct md_ops {
	int	(*init)(union md_state *);
	int	(*update)(union md_state *, const void *, size_t);
	int	(*final)(uint8_t *, union md_state *);
};

/* Typed wrappers, so every call goes through the right prototype. */
#define MD_OPS(alg, field, init_fn, update_fn, final_fn)		\
static int								\
alg##_init(union md_state *st)						\
{									\
	return init_fn(&st->field);					\
}									\
static int								\
alg##_update(union md_state *st, const void *d, size_t n)		\
{									\
	return update_fn(&st->field, d, n);				\
}									\
static int								\
alg##_final(uint8_t *md, union md_state *st)				\
{									\
	return final_fn(md, &st->field);				\
}									\
static const struct md_ops alg##_ops = { alg##_init, alg##_update,	\
    alg##_final };

MD_OPS(md5, md5, MD5_Init, MD5_Update, MD5_Final)
MD_OPS(sha1, sha1, SHA1_Init, SHA1_Update, SHA1_Final)
MD_OPS(sha224, sha256, SHA224_Init, SHA224_Update, SHA224_Final)
MD_OPS(sha256, sha256, SHA256_Init, SHA256_Update, SHA256_Final)
MD_OPS(sha384, sha512, SHA384_Init, SHA384_Update, SHA384_Final)
MD_OPS(sha512, sha512, SHA512_Init, SHA512_Update, SHA512_Final)

struct omapi_signer {
	const struct md_ops	*ops;
	union md_state		 inner;	/* state after hashing key ^ ipad */
	union md_state		 outer;	/* state after hashing key ^ opad */
	size_t			 siglen;	/* the digest's whole length */
};

struct alg_info {
	enum omapi_alg	 alg;
	const char	*name;
	size_t		 siglen;
};

static const struct alg_info algs[] = {
	{ OMAPI_ALG_HMAC_MD5, "hmac-md5", 16 },
	{ OMAPI_ALG_HMAC_SHA1, "hmac-sha1", 20 },
	{ OMAPI_ALG_HMAC_SHA224, "hmac-sha224", 28 },
	{ OMAPI_ALG_HMAC_SHA256, "hmac-sha256", 32 },
	{ OMAPI_ALG_HMAC_SHA384, "hmac-sha384", 48 },
	{ OMAPI_ALG_HMAC_SHA512, "hmac-sha512", 64 },
};

#define NALGS	(sizeof(algs) / sizeof(algs[0]))
#define SIG_ALG_SUFFIX	".SIG-ALG.REG.INT."

static const struct alg_info *
alg_lookup(enum omapi_alg alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

/*
 * Accept "hmac-md5" and the fully qualified "hmac-md5.SIG-ALG.REG.INT."
 * that dhcpd.conf and dnssec-keygen files may carry, in any case.
 */
int
omapi_alg_parse(const char *s, enum omapi_alg *out)
{
	size_t i, n;

	for (i = 0; i < NALGS; i++) {
		n = strlen(algs[i].name);
		if (strncasecmp(s, algs[i].name, n) != 0)
			continue;
		/* dhcpd.conf(5)'s example omits the suffix's final dot. */
		if (s[n] == '\0' || strcasecmp(s + n, SIG_ALG_SUFFIX) == 0 ||
		    strcasecmp(s + n, ".SIG-ALG.REG.INT") == 0 ||
		    strcasecmp(s + n, ".") == 0) {
			*out = algs[i].alg;
			return 0;
		}
	}
	return -1;
}

const char *
omapi_alg_name(enum omapi_alg alg)
{
	const struct alg_info *a = alg_lookup(alg);

	return a ? a->name : "none";
}

/* The name dhcpd registers a key's algorithm under, as the wire wants it. */
const char *
omapi_alg_wire_name(enum omapi_alg alg)
{
	static const char *const wire[] = {
		[OMAPI_ALG_HMAC_MD5] = "hmac-md5" SIG_ALG_SUFFIX,
		[OMAPI_ALG_HMAC_SHA1] = "hmac-sha1" SIG_ALG_SUFFIX,
		[OMAPI_ALG_HMAC_SHA224] = "hmac-sha224" SIG_ALG_SUFFIX,
		[OMAPI_ALG_HMAC_SHA256] = "hmac-sha256" SIG_ALG_SUFFIX,
		[OMAPI_ALG_HMAC_SHA384] = "hmac-sha384" SIG_ALG_SUFFIX,
		[OMAPI_ALG_HMAC_SHA512] = "hmac-sha512" SIG_ALG_SUFFIX,
	};

	if (alg_lookup(alg) == NULL)
		return NULL;
	return wire[alg];
}

size_t
omapi_alg_siglen(enum omapi_alg alg)
{
	const struct alg_info *a = alg_lookup(alg);

	return a ? a->siglen : 0;
}

static const struct md_ops *
alg_ops(enum omapi_alg alg)
{
	switch (alg) {
	case OMAPI_ALG_HMAC_MD5:	return &md5_ops;
	case OMAPI_ALG_HMAC_SHA1:	return &sha1_ops;
	case OMAPI_ALG_HMAC_SHA224:	return &sha224_ops;
	case OMAPI_ALG_HMAC_SHA256:	return &sha256_ops;
	case OMAPI_ALG_HMAC_SHA384:	return &sha384_ops;
	case OMAPI_ALG_HMAC_SHA512:	return &sha512_ops;
	default:			return NULL;
	}
}

static const EVP_MD *
alg_md(enum omapi_alg alg)
{
	switch (alg) {
	case OMAPI_ALG_HMAC_MD5:	return EVP_md5();
	case OMAPI_ALG_HMAC_SHA1:	return EVP_sha1();
	case OMAPI_ALG_HMAC_SHA224:	return EVP_sha224();
	case OMAPI_ALG_HMAC_SHA256:	return EVP_sha256();
	case OMAPI_ALG_HMAC_SHA384:	return EVP_sha384();
	case OMAPI_ALG_HMAC_SHA512:	return EVP_sha512();
	default:			return NULL;
	}
}

/* Start st with the key xor'ed with pad, as HMAC (RFC 2104) does. */
static int
pad_state(union md_state *st, const struct md_ops *ops, const uint8_t *key,
    size_t block, uint8_t pad)
{
	uint8_t padded[HMAC_MAX_BLOCK];
	size_t i;
	int ok;

	for (i = 0; i < block; i++)
		padded[i] = key[i] ^ pad;
	ok = ops->init(st) && ops->update(st, padded, block);
	OPENSSL_cleanse(padded, sizeof(padded));
	return ok ? 0 : -1;
}

struct omapi_signer *
omapi_signer_new(const struct omapi_key *key, struct omapi_error *err)
{
	struct omapi_signer *s;
	const EVP_MD *md;
	uint8_t k[HMAC_MAX_BLOCK];
	unsigned int klen;
	size_t block;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if ((md = alg_md(key->alg)) == NULL ||
	    (s->ops = alg_ops(key->alg)) == NULL) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "unsupported algorithm");
		goto fail;
	}
	s->siglen = omapi_alg_siglen(key->alg);
	block = (size_t)EVP_MD_block_size(md);
	if (block > sizeof(k) || key->secret_len == 0) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "empty or unusable key");
		goto fail;
	}
	memset(k, 0, sizeof(k));
	if (key->secret_len > block) {
		/* RFC 2104: a key longer than a block is hashed first. */
		if (!EVP_Digest(key->secret, key->secret_len, k, &klen, md,
		    NULL)) {
			omapi_seterr(err, OMAPI_ERR_INVALID, "hashing key failed");
			goto fail;
		}
	} else
		memcpy(k, key->secret, key->secret_len);
	if (pad_state(&s->inner, s->ops, k, block, 0x36) == -1 ||
	    pad_state(&s->outer, s->ops, k, block, 0x5c) == -1) {
		omapi_seterr(err, OMAPI_ERR_INVALID, "cannot set up HMAC");
		goto fail;
	}
	OPENSSL_cleanse(k, sizeof(k));
	return s;
fail:
	OPENSSL_cleanse(k, sizeof(k));
	omapi_signer_free(s);
	return NULL;
}

void
omapi_signer_free(struct omapi_signer *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, sizeof(*s));	/* the pad states stand for the key */
	free(s);
}

size_t
omapi_signer_len(const struct omapi_signer *s)
{
	return s ? s->siglen : 0;
}

/*
 * HMAC of data into out (omapi_signer_len bytes).  The working copy needs
 * no wiping: once final has run, the pad state in it has been replaced by
 * digests, and its block buffer held only message bytes and the inner
 * digest, none of which gives the key away.
 */
int
omapi_signer_sign(struct omapi_signer *s, const uint8_t *data, size_t len,
    uint8_t *out)
{
	uint8_t inner[OMAPI_MAX_SIG];
	union md_state st;

	st = s->inner;
	if (!s->ops->update(&st, data, len) || !s->ops->final(inner, &st))
		return -1;
	st = s->outer;
	if (!s->ops->update(&st, inner, s->siglen) ||
	    !s->ops->final(out, &st))
		return -1;
	return 0;
}

/* 0 when sig is data's signature; compared in constant time. */
int
omapi_signer_verify(struct omapi_signer *s, const uint8_t *data, size_t len,
    const uint8_t *sig, size_t siglen)
{
	uint8_t want[EVP_MAX_MD_SIZE];

	if (siglen != s->siglen || omapi_signer_sign(s, data, len, want) == -1)
		return -1;
	return CRYPTO_memcmp(want, sig, siglen) == 0 ? 0 : -1;
}
