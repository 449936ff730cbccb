/*
 * test_webconfig.c: --web.config.file parsing (the basic-auth checker
 * that uses it: test_webauth.c).
 *
 * What operators rely on: a file other exporters accept loads the same
 * way here; a typo is an error naming file:line:column, never ignored;
 * keys of the format this exporter lacks are refused by name; no message
 * shows a password hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"

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
		cmocka_unit_test(test_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
