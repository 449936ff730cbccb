/*
 * test_webauth.c: the basic-auth checker (webauth.c): a password matches
 * its own user only, bcrypt and cache alike; checks submitted to its
 * thread are called back and fill the cache, and at stop none is lost;
 * a reload's checker takes over the cache of the users it keeps.
 */
#include <crypt.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "web/web_int.h"

#define HASH_PW "$2b$04$abcdefghijklmnopqrstuu"	/* salt; cost 4: fast */

/* The bcrypt hash of pw (heap). */
static char *
hash_of(const char *pw)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char *h;

	assert_non_null(cd);
	h = strdup(crypt_r(pw, HASH_PW, cd));
	free(cd);
	assert_non_null(h);
	return h;
}

/* The checker of web config yml, which must load; *w its config. */
static struct webauth *
auth_new(const char *yml, struct webconfig **w)
{
	struct config_errors e;
	struct webauth *a;

	memset(&e, 0, sizeof(e));
	assert_int_equal(webconfig_load_buffer("web.yml", yml, strlen(yml), w,
	    &e), 0);
	config_errors_free(&e);
	assert_non_null(a = webauth_new(*w));
	return a;
}

/* A password matches its own user only, the cache included. */
static void
test_webauth(void **state)
{
	char *ha = hash_of("alpha"), *hb = hash_of("beta"), yml[512];
	struct webconfig *w;
	struct webauth *a;
	int round;

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n", ha, hb);
	a = auth_new(yml, &w);
	for (round = 0; round < 2; round++) {	/* bcrypt, then the cache */
		assert_true(webauth_check(a, "ann", "alpha"));
		assert_true(webauth_check(a, "bob", "beta"));
		assert_false(webauth_check(a, "ann", "beta"));
		assert_false(webauth_check(a, "bob", "alpha"));
		assert_false(webauth_check(a, "ann", "alph"));
		assert_false(webauth_check(a, "ann", ""));
		assert_false(webauth_check(a, "carl", "alpha"));
		assert_false(webauth_check(a, "", "alpha"));
	}
	assert_false(webauth_check(a, NULL, "alpha"));
	assert_false(webauth_check(a, "ann", NULL));
	webauth_free(a);
	webconfig_free(w);
	free(ha);
	free(hb);
}

/*
 * A reload's new checker takes over the old one's cache for users whose
 * hash is unchanged (no bcrypt: webauth_cached hits), not for a user whose
 * password changed, and it digests as the old one did (authlimit's
 * proofs stay valid).
 */
static void
test_webauth_adopt(void **state)
{
	char *ha = hash_of("alpha"), *hb = hash_of("beta"), *hb2 = hash_of("b2");
	unsigned char d_old[WEBAUTH_DIGEST], d_new[WEBAUTH_DIGEST];
	struct webconfig *w1, *w2;
	struct webauth *old, *a;
	char yml[512];

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n", ha, hb);
	old = auth_new(yml, &w1);
	assert_true(webauth_check(old, "ann", "alpha"));
	assert_true(webauth_check(old, "bob", "beta"));
	assert_true(webauth_cached(old, "ann", "alpha", d_old));
	webauth_stop(old);		/* as a reload leaves it */
	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n  cy: '%s'\n", ha, hb2, hb);
	a = auth_new(yml, &w2);
	assert_false(webauth_cached(a, "ann", "alpha", NULL));
	webauth_adopt(a, old);
	assert_true(webauth_cached(a, "ann", "alpha", d_new));
	assert_memory_equal(d_old, d_new, WEBAUTH_DIGEST);
	assert_false(webauth_cached(a, "bob", "beta", NULL));	/* changed */
	assert_false(webauth_cached(a, "cy", "beta", NULL));	/* new */
	assert_false(webauth_check(a, "bob", "beta"));
	assert_true(webauth_check(a, "bob", "b2"));
	webauth_free(old);
	webauth_free(a);
	webconfig_free(w1);
	webconfig_free(w2);
	free(ha);
	free(hb);
	free(hb2);
}

/* What the checker's callbacks said, for test_webauth_submit. */
struct verdicts {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 n;
	int		 got[8];
};

static struct verdicts vs = { PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_COND_INITIALIZER, 0, { 0 } };

static void
verdict_note(void *arg, int ok)
{
	int i = (int)(intptr_t)arg;

	pthread_mutex_lock(&vs.mu);
	vs.got[i] = ok;
	vs.n++;
	pthread_cond_signal(&vs.cv);
	pthread_mutex_unlock(&vs.mu);
}

/*
 * Checks submitted to the checker's thread are called back with their
 * verdict and fill the cache; at stop, queued ones get -1 and later ones
 * are refused.
 */
static void
test_webauth_submit(void **state)
{
	char *ha = hash_of("alpha"), yml[512];
	struct webconfig *w;
	struct webauth *a;
	int i;

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n", ha);
	a = auth_new(yml, &w);
	assert_false(webauth_cached(a, "ann", "alpha", NULL));
	assert_int_equal(webauth_submit(a, "ann", "alpha", verdict_note,
	    (void *)(intptr_t)0), 0);
	assert_int_equal(webauth_submit(a, "ann", "beta", verdict_note,
	    (void *)(intptr_t)1), 0);
	pthread_mutex_lock(&vs.mu);
	while (vs.n < 2)
		pthread_cond_wait(&vs.cv, &vs.mu);
	pthread_mutex_unlock(&vs.mu);
	assert_int_equal(vs.got[0], 1);
	assert_int_equal(vs.got[1], 0);
	assert_true(webauth_cached(a, "ann", "alpha", NULL));
	assert_false(webauth_cached(a, "ann", "beta", NULL));
	/* Queued at stop: called back with -1, none lost. */
	for (i = 2; i < 8; i++)
		assert_int_equal(webauth_submit(a, "ann", "gamma",
		    verdict_note, (void *)(intptr_t)i), 0);
	webauth_stop(a);
	assert_int_equal(vs.n, 8);
	for (i = 2; i < 8; i++)
		assert_true(vs.got[i] == 0 || vs.got[i] == -1);
	assert_int_equal(webauth_submit(a, "ann", "alpha", verdict_note,
	    (void *)(intptr_t)0), -1);
	/* The cache still answers. */
	assert_true(webauth_cached(a, "ann", "alpha", NULL));
	webauth_free(a);
	webconfig_free(w);
	free(ha);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_webauth),
		cmocka_unit_test(test_webauth_submit),
		cmocka_unit_test(test_webauth_adopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
