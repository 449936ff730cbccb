/*
 * webauth.c: basic-auth checks with bcrypt and a cache of the last good
 * password per user (see webauth.h).
 */
#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "webauth.h"

#define WEBAUTH_DIGEST	32	/* SHA-256 */

struct webauth_user {
	char		*name;
	char		*hash;
	unsigned char	 good[WEBAUTH_DIGEST];	/* last password that matched */
	int		 good_set;
};

struct webauth {
	pthread_mutex_t		 mu;		/* guards good, good_set */
	unsigned char		 key[WEBAUTH_DIGEST];
	struct webauth_user	*users;
	size_t			 nusers;
};

struct webauth *
webauth_new(const struct webconfig *w)
{
	struct webauth *a;
	size_t i;

	if (w->nusers == 0 || (a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->users = calloc(w->nusers, sizeof(*a->users))) == NULL ||
	    RAND_bytes(a->key, sizeof(a->key)) != 1 ||
	    pthread_mutex_init(&a->mu, NULL) != 0) {
		free(a->users);
		free(a);
		return NULL;
	}
	a->nusers = w->nusers;
	for (i = 0; i < w->nusers; i++)
		if ((a->users[i].name = strdup(w->users[i].name)) == NULL ||
		    (a->users[i].hash = strdup(w->users[i].hash)) == NULL) {
			webauth_free(a);
			return NULL;
		}
	return a;
}

void
webauth_free(struct webauth *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nusers; i++) {
		free(a->users[i].name);
		free(a->users[i].hash);
	}
	free(a->users);
	pthread_mutex_destroy(&a->mu);
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* The keyed digest the cache keeps: SHA-256(key, user, NUL, password). */
static int
webauth_digest(const struct webauth *a, const char *user, const char *pw,
    unsigned char out[WEBAUTH_DIGEST])
{
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a->key, sizeof(a->key)) == 1 &&
	    EVP_DigestUpdate(ctx, user, strlen(user) + 1) == 1 &&
	    EVP_DigestUpdate(ctx, pw, strlen(pw)) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == WEBAUTH_DIGEST;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Whether crypt(3) of pw with hash's salt and cost gives hash. */
static int
bcrypt_matches(const char *pw, const char *hash)
{
	struct crypt_data *cd;
	const char *out;
	size_t len = strlen(hash);
	int ok;

	/* struct crypt_data is 32 KiB: too big for an MHD thread's stack. */
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return 0;
	out = crypt_r(pw, hash, cd);
	ok = out != NULL && out[0] != '*' && strlen(out) == len &&
	    CRYPTO_memcmp(out, hash, len) == 0;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

static struct webauth_user *
webauth_find(struct webauth *a, const char *user)
{
	size_t i;

	for (i = 0; i < a->nusers; i++)
		if (strcmp(a->users[i].name, user) == 0)
			return &a->users[i];
	return NULL;
}

/* Whether the digest is the user's last good password. */
static int
webauth_cached(struct webauth *a, struct webauth_user *u,
    const unsigned char d[WEBAUTH_DIGEST])
{
	int hit;

	pthread_mutex_lock(&a->mu);
	hit = u->good_set && CRYPTO_memcmp(u->good, d, WEBAUTH_DIGEST) == 0;
	pthread_mutex_unlock(&a->mu);
	return hit;
}

int
webauth_check(struct webauth *a, const char *user, const char *pw)
{
	unsigned char d[WEBAUTH_DIGEST];
	struct webauth_user *u;
	int ok;

	if (a == NULL || user == NULL || pw == NULL ||
	    webauth_digest(a, user, pw, d) == -1)
		return 0;
	u = webauth_find(a, user);
	if (u != NULL && webauth_cached(a, u, d)) {
		explicit_bzero(d, sizeof(d));
		return 1;
	}
	/* An unknown name still pays for a bcrypt, against user 0's salt. */
	ok = bcrypt_matches(pw, u != NULL ? u->hash : a->users[0].hash) &&
	    u != NULL;
	if (ok) {
		pthread_mutex_lock(&a->mu);
		memcpy(u->good, d, sizeof(d));
		u->good_set = 1;
		pthread_mutex_unlock(&a->mu);
	}
	explicit_bzero(d, sizeof(d));
	return ok;
}
