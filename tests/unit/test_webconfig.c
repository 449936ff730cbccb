/*
 * test_webconfig.c: --web.config.file parsing and the basic-auth checker.
 *
 * What operators rely on: a file other exporters accept loads the same
 * way here; a typo is an error naming file:line:column, never ignored;
 * keys of the format this exporter lacks are refused by name; no message
 * shows a password hash; and a password matches only its own user.
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

#include "web/web_int.h"
#include "config/config_int.h"

#define HASH_PW "$2b$04$abcdefghijklmnopqrstuu"	/* salt; cost 4: fast */

struct result {
	struct webconfig	*w;
	struct config_errors	 errs;
	int			 rc;
};

static void
load(const char *yml, struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->rc = webconfig_load_buffer("web.yml", yml, strlen(yml), &r->w,
	    &r->errs);
}

static void
result_free(struct result *r)
{
	webconfig_free(r->w);
	config_errors_free(&r->errs);
}

/* The load failed and one message contains every one of the words. */
static void
assert_error(const char *yml, const char *want1, const char *want2)
{
	struct result r;
	size_t i;
	int found = 0;

	load(yml, &r);
	assert_int_equal(r.rc, -1);
	assert_null(r.w);
	for (i = 0; i < r.errs.n; i++)
		if (strstr(r.errs.msg[i], want1) != NULL &&
		    (want2 == NULL || strstr(r.errs.msg[i], want2) != NULL))
			found = 1;
	if (!found)
		for (i = 0; i < r.errs.n; i++)
			print_error("got: %s\n", r.errs.msg[i]);
	assert_true(found);
	result_free(&r);
}

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

static void
test_full(void **state)
{
	struct result r;

	load("tls_server_config:\n"
	    "  cert_file: /etc/x/tls.crt\n"
	    "  key_file: tls.key\n"
	    "  client_auth_type: RequireAndVerifyClientCert\n"
	    "  client_ca_file: /etc/x/ca.crt\n"
	    "  min_version: TLS13\n"
	    "  prefer_server_cipher_suites: true\n"
	    "basic_auth_users:\n"
	    "  prometheus: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG\n"
	    "  grafana: \"$2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIMy\"\n",
	    &r);
	assert_int_equal(r.rc, 0);
	assert_true(r.w->tls);
	assert_string_equal(r.w->tls_cfg.cert_file, "/etc/x/tls.crt");
	assert_string_equal(r.w->tls_cfg.key_file, "tls.key");
	assert_int_equal(r.w->tls_cfg.client_auth,
	    WEB_REQUIRE_AND_VERIFY_CLIENT_CERT);
	assert_int_equal(r.w->tls_cfg.min_version, 13);
	assert_int_equal(r.w->tls_cfg.max_version, 13);
	assert_int_equal(r.w->nusers, 2);
	assert_string_equal(r.w->users[1].name, "grafana");
	result_free(&r);
}

/* An empty file (or only comments) is valid: plain HTTP, no users. */
static void
test_empty(void **state)
{
	struct result r;

	load("# nothing yet\n", &r);
	assert_int_equal(r.rc, 0);
	assert_false(r.w->tls);
	assert_int_equal(r.w->nusers, 0);
	result_free(&r);
	load("tls_server_config:\nbasic_auth_users:\n", &r);
	assert_int_equal(r.rc, 0);
	assert_false(r.w->tls);
	result_free(&r);
}

static void
test_unknown_keys(void **state)
{
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  min_verison: TLS12\n", "web.yml:4:3:", "min_verison");
	assert_error("basic_auth_user:\n  a: b\n", "web.yml:1:1:",
	    "unknown key 'basic_auth_user'");
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  cert_file: c\n", "web.yml:4:3:", "duplicate");
}

static void
test_unsupported(void **state)
{
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
	    "'cipher_suites' in tls_server_config is not supported", NULL);
	assert_error("tls_server_config:\n  cert: x\n  key: y\n",
	    "'cert' in tls_server_config is not supported", NULL);
	assert_error("http_server_config:\n  http2: false\n",
	    "web.yml:2:3:", "'http_server_config' is not supported");
}

static void
test_tls_checks(void **state)
{
	assert_error("tls_server_config:\n  key_file: b\n",
	    "needs a cert_file", NULL);
	assert_error("tls_server_config:\n  cert_file: a\n",
	    "needs a key_file", NULL);
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  client_auth_type: RequireAndVerify\n", "web.yml:4:21:",
	    "unknown client_auth_type");
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  client_auth_type: RequireAndVerifyClientCert\n",
	    "needs a client_ca_file", NULL);
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  client_ca_file: c\n", "would not be used", NULL);
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  min_version: TLS13\n  max_version: TLS12\n",
	    "min_version TLS13 is above max_version TLS12", NULL);
	assert_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  min_version: SSL3\n", "web.yml:4:16:", "TLS10, TLS11");
	assert_error("tls_server_config: yes\n", "must be a mapping", NULL);
}

/* A password that is not a bcrypt hash is refused and never shown. */
static void
test_bad_hashes(void **state)
{
	static const char *const bad[] = {
	    "plaintext-password",
	    "$1$saltsalt$abcdefghijklmnopqrstuv",	/* md5-crypt */
	    "$2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIM",
	    "$2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIM!",
	};
	struct result r;
	char yml[256];
	size_t i, j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(yml, sizeof(yml), "basic_auth_users:\n  u: '%s'\n",
		    bad[i]);
		load(yml, &r);
		assert_int_equal(r.rc, -1);
		assert_true(r.errs.n > 0);
		for (j = 0; j < r.errs.n; j++) {
			assert_null(strstr(r.errs.msg[j], bad[i]));
			assert_non_null(strstr(r.errs.msg[j], "web.yml:2:6:"));
		}
		result_free(&r);
	}
	assert_error("basic_auth_users:\n  'a:b': "
	    "$2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIMy\n",
	    "contains ':'", NULL);
	assert_error("basic_auth_users:\n  a: "
	    "$2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIMy\n"
	    "  a: $2b$04$abcdefghijklmnopqrstuuW6cLk9Pr8YEsNu2J3P9C0tYhN3pyIMy\n",
	    "web.yml:3:3:", "listed twice");
}

/* A password matches its own user only, the cache included. */
static void
test_webauth(void **state)
{
	char *ha = hash_of("alpha"), *hb = hash_of("beta"), yml[512];
	struct webauth *a;
	struct result r;
	int round;

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n", ha, hb);
	load(yml, &r);
	assert_int_equal(r.rc, 0);
	assert_non_null(a = webauth_new(r.w));
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
	result_free(&r);
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
	struct webauth *old, *a;
	struct result r1, r2;
	char yml[512];

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n", ha, hb);
	load(yml, &r1);
	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n"
	    "  bob: '%s'\n  cy: '%s'\n", ha, hb2, hb);
	load(yml, &r2);
	assert_int_equal(r1.rc, 0);
	assert_int_equal(r2.rc, 0);
	assert_non_null(old = webauth_new(r1.w));
	assert_true(webauth_check(old, "ann", "alpha"));
	assert_true(webauth_check(old, "bob", "beta"));
	assert_true(webauth_cached(old, "ann", "alpha", d_old));
	webauth_stop(old);		/* as a reload leaves it */
	assert_non_null(a = webauth_new(r2.w));
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
	result_free(&r1);
	result_free(&r2);
	free(ha);
	free(hb);
	free(hb2);
}

/* rate_limit as exporter-toolkit reads it: interval and burst. */
static void
test_rate_limit(void **state)
{
	struct result r;

	load("rate_limit:\n  interval: 250ms\n  burst: 20\n", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.w->rate_interval_ms, 250);
	assert_int_equal(r.w->rate_burst, 20);
	result_free(&r);
	load("rate_limit:\n  interval: 0s\n", &r);	/* off */
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.w->rate_interval_ms, 0);
	result_free(&r);
	load("rate_limit:\n", &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.w->rate_interval_ms, 0);
	result_free(&r);
	assert_error("rate_limit:\n  interval: 1s\n", "web.yml:2:3:",
	    "needs a burst of at least 1");
	assert_error("rate_limit:\n  interval: 1s\n  burst: 0\n",
	    "web.yml:2:3:", "needs a burst");
	assert_error("rate_limit:\n  interval: 1\n  burst: 5\n",
	    "web.yml:2:13:", "interval");
	assert_error("rate_limit:\n  interval: 1s\n  bursts: 5\n",
	    "web.yml:3:3:", "bursts");
	assert_error("rate_limit: 5\n", "web.yml:1:13:", "rate_limit");
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
	struct webauth *a;
	struct result r;
	int i;

	snprintf(yml, sizeof(yml), "basic_auth_users:\n  ann: '%s'\n", ha);
	load(yml, &r);
	assert_int_equal(r.rc, 0);
	assert_non_null(a = webauth_new(r.w));
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
	result_free(&r);
	free(ha);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_tls_checks),
		cmocka_unit_test(test_bad_hashes),
		cmocka_unit_test(test_webauth),
		cmocka_unit_test(test_webauth_submit),
		cmocka_unit_test(test_webauth_adopt),
		cmocka_unit_test(test_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
