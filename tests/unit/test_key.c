/*
 * test_key.c: where keys come from.  Base64, NAME:SECRET specs, key files
 * in the dhcpd.conf / rndc.key format, secret-only files.  Every error case
 * also checks that the secret is not in the error text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "omapi.h"

/* A secret whose text must never show up in an error message. */
#define SECRET_B64	"U2VjcmV0S2V5Qnl0ZXMhISE="	/* "SecretKeyBytes!!!" */
#define SECRET_RAW	"SecretKeyBytes!!!"

/* Assert that no part of the secret leaks into the error text. */
static void
assert_no_secret(const struct omapi_error *err)
{
	if (strstr(err->text, "U2VjcmV0") != NULL ||
	    strstr(err->text, "S2V5Qnl0") != NULL ||
	    strstr(err->text, "SecretKey") != NULL ||
	    strstr(err->text, "LeakMe") != NULL)
		fail_msg("secret in error text: %s", err->text);
}

static void
test_base64_table(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: must fail */
		size_t		 outlen;
	} t[] = {
		/* RFC 4648 section 10 */
		{ "", "", 0 },
		{ "Zg==", "f", 1 },
		{ "Zm8=", "fo", 2 },
		{ "Zm9v", "foo", 3 },
		{ "Zm9vYg==", "foob", 4 },
		{ "Zm9vYmE=", "fooba", 5 },
		{ "Zm9vYmFy", "foobar", 6 },
		/* padding left off */
		{ "Zg", "f", 1 },
		{ "Zm8", "fo", 2 },
		{ "Zm9vYmE", "fooba", 5 },
		/* white space anywhere */
		{ " Zm9v\nYmFy\t", "foobar", 6 },
		{ "Zm 9v Ym Fy", "foobar", 6 },
		{ "Zg=\n=", "f", 1 },
		{ "Zm9vYmE=\r\n", "fooba", 5 },
		/* every alphabet character */
		{ "+/+/", "\xfb\xff\xbf", 3 },
		{ "AAAA", "\0\0\0", 3 },
		{ "////", "\xff\xff\xff", 3 },
		/* invalid characters */
		{ "Zm9v!", NULL, 0 },
		{ "Zm9-", NULL, 0 },
		{ "Zm9_", NULL, 0 },
		{ "Zm9v\x80", NULL, 0 },
		{ "Zm9v\"", NULL, 0 },
		{ "Zm9v;", NULL, 0 },
		/* misplaced '=' */
		{ "=Zg", NULL, 0 },
		{ "Z=g=", NULL, 0 },
		{ "Zg==Zg==", NULL, 0 },
		{ "Zg===", NULL, 0 },
		{ "Zm8=v", NULL, 0 },
		/* a lone 6-bit group, and non-zero bits in the padding */
		{ "Z", NULL, 0 },
		{ "Zm9vY", NULL, 0 },
		{ "Zh==", NULL, 0 },
		{ "Zm9=", NULL, 0 },
	};
	uint8_t out[16];
	size_t i, len;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		len = 999;
		rc = omapi_base64_decode(t[i].in, strlen(t[i].in), out,
		    sizeof(out), &len);
		if (t[i].out == NULL) {
			if (rc != -1)
				fail_msg("'%s' accepted", t[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s' rejected", t[i].in);
		assert_int_equal(len, t[i].outlen);
		assert_memory_equal(out, t[i].out, len);
	}
}

static void
test_base64_limits(void **state)
{
	uint8_t out[6];
	size_t len;

	/* Output exactly full, then one byte too small. */
	assert_int_equal(omapi_base64_decode("Zm9vYmFy", 8, out, 6, &len), 0);
	assert_int_equal(len, 6);
	assert_int_equal(omapi_base64_decode("Zm9vYmFy", 8, out, 5, &len), -1);
	/* Only inlen bytes are read: the rest is not looked at. */
	assert_int_equal(omapi_base64_decode("Zm9v!!!!", 4, out, 6, &len), 0);
	assert_int_equal(len, 3);
	/* An embedded NUL is an invalid character, not the end. */
	assert_int_equal(omapi_base64_decode("Zm9v\0Zm9v", 9, out, 6, &len),
	    -1);
}

static void
test_key_set(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(omapi_key_set(&key, "omapi_key", NULL, SECRET_B64,
	    &err), 0);
	assert_string_equal(key.name, "omapi_key");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_MD5);	/* the default */
	assert_int_equal(key.secret_len, strlen(SECRET_RAW));
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);
	assert_int_equal(omapi_key_set(&key, "k", "hmac-sha512", SECRET_B64,
	    &err), 0);
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA512);
	assert_int_equal(omapi_key_set(&key, "k", "HMAC-SHA1.SIG-ALG.REG.INT.",
	    SECRET_B64, &err), 0);
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA1);
}

static void
test_key_set_errors(void **state)
{
	char longname[OMAPI_KEY_NAME_MAX + 2], longsecret[400];
	struct omapi_key key;
	struct omapi_error err;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(omapi_key_set(&key, "", NULL, SECRET_B64, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_string_equal(err.text, "key name must be 1 to 255 characters");
	assert_no_secret(&err);
	assert_int_equal(omapi_key_set(&key, NULL, NULL, SECRET_B64, &err), -1);
	assert_string_equal(err.text, "key name must be 1 to 255 characters");
	assert_int_equal(omapi_key_set(&key, longname, NULL, SECRET_B64, &err),
	    -1);
	assert_string_equal(err.text, "key name must be 1 to 255 characters");
	longname[OMAPI_KEY_NAME_MAX] = '\0';	/* 255 is fine */
	assert_int_equal(omapi_key_set(&key, longname, NULL, SECRET_B64, &err),
	    0);

	assert_int_equal(omapi_key_set(&key, "k", "hmac-md4", SECRET_B64, &err),
	    -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_string_equal(err.text, "unknown key algorithm 'hmac-md4' "
	    "(expected hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, "
	    "hmac-sha384 or hmac-sha512)");
	assert_no_secret(&err);

	assert_int_equal(omapi_key_set(&key, "k", NULL, "U2VjcmV0!LeakMe",
	    &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_string_equal(err.text, "secret of key 'k' is not valid base64");
	assert_no_secret(&err);
	/* The half-filled key is wiped. */
	assert_int_equal(key.secret_len, 0);
	assert_int_equal(key.secret[0], 0);
	assert_int_equal(omapi_key_set(&key, "k", NULL, "", &err), -1);
	assert_string_equal(err.text, "secret of key 'k' is not valid base64");
	assert_int_equal(omapi_key_set(&key, "k", NULL, "  \n", &err), -1);

	/* 258 bytes of secret do not fit 256. */
	memset(longsecret, 'Q', 344);
	longsecret[344] = '\0';
	assert_int_equal(omapi_key_set(&key, "k", NULL, longsecret, &err), -1);
	assert_string_equal(err.text, "secret of key 'k' is not valid base64");
	/* 256 do. */
	memset(longsecret, 'Q', 340);
	memcpy(longsecret + 340, "QQ==", 5);
	assert_int_equal(omapi_key_set(&key, "k", NULL, longsecret, &err), 0);
	assert_int_equal(key.secret_len, 256);
}

static void
test_key_parse_spec(void **state)
{
	char spec[400];
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(omapi_key_parse_spec(&key, "omapi_key:" SECRET_B64,
	    NULL, &err), 0);
	assert_string_equal(key.name, "omapi_key");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_MD5);
	assert_memory_equal(key.secret, SECRET_RAW, strlen(SECRET_RAW));
	assert_int_equal(omapi_key_parse_spec(&key, "k:" SECRET_B64,
	    "hmac-sha256", &err), 0);
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA256);

	assert_int_equal(omapi_key_parse_spec(&key, SECRET_B64, NULL, &err),
	    -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_string_equal(err.text,
	    "key must be given as NAME:BASE64-SECRET");
	assert_no_secret(&err);
	assert_int_equal(omapi_key_parse_spec(&key, ":" SECRET_B64, NULL, &err),
	    -1);
	assert_string_equal(err.text,
	    "key must be given as NAME:BASE64-SECRET");
	assert_no_secret(&err);
	assert_int_equal(omapi_key_parse_spec(&key, "k:", NULL, &err), -1);
	assert_string_equal(err.text, "secret of key 'k' is not valid base64");
	assert_int_equal(omapi_key_parse_spec(&key, "k:LeakMe!U2VjcmV0", NULL,
	    &err), -1);
	assert_string_equal(err.text, "secret of key 'k' is not valid base64");
	assert_no_secret(&err);
	assert_int_equal(omapi_key_parse_spec(&key, "k:" SECRET_B64, "md5",
	    &err), -1);
	assert_no_secret(&err);

	memset(spec, 'n', 256);
	snprintf(spec + 256, sizeof(spec) - 256, ":%s", SECRET_B64);
	assert_int_equal(omapi_key_parse_spec(&key, spec, NULL, &err), -1);
	assert_string_equal(err.text, "key name longer than 255 characters");
	assert_no_secret(&err);
	/* The secret may itself hold no colon, so the first one splits. */
	assert_int_equal(omapi_key_parse_spec(&key, "a:b:" SECRET_B64, NULL,
	    &err), -1);
	assert_no_secret(&err);
}

/* Parse text; on failure return the error text through err. */
static int
parse(struct omapi_key *key, const char *text, const char *want,
    struct omapi_error *err)
{
	omapi_clearerr(err);
	memset(key, 0, sizeof(*key));
	return omapi_key_parse_text(key, text, strlen(text), want, err);
}

static void
test_keyfile_basic(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(parse(&key, "key omapi_key {\n"
	    "\talgorithm hmac-md5;\n"
	    "\tsecret \"" SECRET_B64 "\";\n"
	    "};\n", NULL, &err), 0);
	assert_string_equal(key.name, "omapi_key");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_MD5);
	assert_int_equal(key.secret_len, strlen(SECRET_RAW));
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);

	/* Quoted name, quoted algorithm, unquoted secret, one line. */
	assert_int_equal(parse(&key, "key \"rndc-key\" { algorithm "
	    "\"hmac-sha256\"; secret " SECRET_B64 "; };", NULL, &err), 0);
	assert_string_equal(key.name, "rndc-key");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA256);
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);

	/* Keywords in any case, statements in any order, no final newline. */
	assert_int_equal(parse(&key, "KEY k{Secret \"" SECRET_B64 "\";"
	    "ALGORITHM HMAC-SHA1.SIG-ALG.REG.INT.;};", NULL, &err), 0);
	assert_string_equal(key.name, "k");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA1);

	/* A quoted name may hold spaces. */
	assert_int_equal(parse(&key, "key \"my key\" { algorithm hmac-md5; "
	    "secret \"" SECRET_B64 "\"; };", NULL, &err), 0);
	assert_string_equal(key.name, "my key");

	/* tsig-keygen style output with a base64 secret holding '/' and '+' */
	assert_int_equal(parse(&key, "key \"tsig\" {\n\talgorithm hmac-sha512;"
	    "\n\tsecret \"ab+/cd//\";\n};\n", NULL, &err), 0);
	assert_int_equal(key.secret_len, 6);
}

/* The example key block printed in dhcpd.conf(5), copied verbatim. */
static void
test_keyfile_dhcpd_conf_manpage(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	if (parse(&key, "key DHCP_UPDATER {\n"
	    "  algorithm HMAC-MD5.SIG-ALG.REG.INT;\n"
	    "  secret pRP5FapFoJ95JEL06sv4PQ==;\n"
	    "};\n", NULL, &err) != 0)
		fail_msg("dhcpd.conf(5) example rejected: %s", err.text);
	assert_string_equal(key.name, "DHCP_UPDATER");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_MD5);
	assert_int_equal(key.secret_len, 16);
}

static void
test_keyfile_comments(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(parse(&key,
	    "# a dhcpd.conf fragment\n"
	    "// C++ comment { not a brace\n"
	    "/* C comment\n"
	    "   over lines; key fake { } */\n"
	    "key /* inline */ omapi_key { # trailing\n"
	    "  algorithm hmac-md5; // trailing\n"
	    "  secret \"" SECRET_B64 "\"; /* x */\n"
	    "}; # end\n"
	    "# done\n", NULL, &err), 0);
	assert_string_equal(key.name, "omapi_key");
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);
	/* Line numbers still count lines inside comments. */
	assert_int_equal(parse(&key,
	    "/* one\n two\n three */\n"
	    "# four\n"
	    "key k {\n"
	    "  algorithm hmac-md5;\n"
	    "  bogus x;\n"
	    "};\n", NULL, &err), -1);
	assert_string_equal(err.text, "line 7: expected 'algorithm NAME;' or "
	    "'secret \"BASE64\";'");
	/* An unterminated C comment just ends the text. */
	assert_int_equal(parse(&key, "/* never closed", NULL, &err), -1);
	assert_string_equal(err.text, "no key block");
}

static const char several[] =
    "key first {\n"
    "  algorithm hmac-md5;\n"
    "  secret \"Zm9vYmFy\";\n"
    "};\n"
    "key \"second\" {\n"
    "  algorithm hmac-sha256;\n"
    "  secret \"" SECRET_B64 "\";\n"
    "};\n"
    "key third { algorithm hmac-sha1; secret \"YmFy\"; };\n";

static void
test_keyfile_several(void **state)
{
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(parse(&key, several, "second", &err), 0);
	assert_string_equal(key.name, "second");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA256);
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);
	assert_int_equal(parse(&key, several, "first", &err), 0);
	assert_int_equal(key.secret_len, 6);
	assert_memory_equal(key.secret, "foobar", 6);
	assert_int_equal(parse(&key, several, "third", &err), 0);
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA1);

	assert_int_equal(parse(&key, several, NULL, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_string_equal(err.text,
	    "line 5: more than one key; name the one to use");
	assert_no_secret(&err);
	assert_int_equal(key.secret_len, 0);

	assert_int_equal(parse(&key, several, "fourth", &err), -1);
	assert_string_equal(err.text, "no key named 'fourth'");
	assert_no_secret(&err);
	/* Names match exactly. */
	assert_int_equal(parse(&key, several, "Second", &err), -1);
	assert_int_equal(parse(&key, several, "secon", &err), -1);
}

/* Errors: text in, exact message out, never the secret. */
static void
test_keyfile_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
		const char	*msg;
	} t[] = {
		{ "", NULL, "no key block" },
		{ "# only a comment\n", NULL, "no key block" },
		{ "key k { secret \"" SECRET_B64 "\"; };", NULL,
		    "line 1: key 'k' needs both an algorithm and a secret" },
		{ "\n\nkey k {\n algorithm hmac-md5;\n};", NULL,
		    "line 3: key 'k' needs both an algorithm and a secret" },
		{ "key k { };", NULL,
		    "line 1: key 'k' needs both an algorithm and a secret" },
		{ "\nkey k\n  algorithm hmac-md5; secret \"" SECRET_B64 "\"; };",
		    NULL, "line 3: expected '{' after the key name" },
		{ "key k {\n algorithm hmac-md5\n secret \"" SECRET_B64
		    "\";\n};", NULL, "line 3: expected ';'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\"\n};", NULL, "line 4: expected ';'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n}\n", NULL, "line 5: expected ';' after '}'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n} key", NULL, "line 4: expected ';' after '}'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n", NULL,
		    "line 4: expected 'algorithm', 'secret' or '}'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\n};", NULL, "line 3: expected 'algorithm NAME;' or "
		    "'secret \"BASE64\";'" },
		{ "key k {\n algorithm hmac-md5;\n secret;\n};", NULL,
		    "line 3: expected 'algorithm NAME;' or "
		    "'secret \"BASE64\";'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n options x;\n};", NULL, "line 4: expected "
		    "'algorithm NAME;' or 'secret \"BASE64\";'" },
		{ "keys k {};", NULL, "line 1: expected 'key NAME { ... };'" },
		{ "omapi-port 7911;\nkey k { algorithm hmac-md5; secret \""
		    SECRET_B64 "\"; };", NULL,
		    "line 1: expected 'key NAME { ... };'" },
		{ "key { algorithm hmac-md5; };", NULL,
		    "line 1: expected a key name after 'key'" },
		{ "key \"\" { algorithm hmac-md5; };", NULL,
		    "line 1: expected a key name after 'key'" },
		{ "key", NULL, "line 1: expected a key name after 'key'" },
		{ "key k {\n algorithm hmac-sha3;\n secret \"" SECRET_B64
		    "\";\n};", NULL, "line 1: unknown key algorithm "
		    "'hmac-sha3' (expected hmac-md5, hmac-sha1, hmac-sha224, "
		    "hmac-sha256, hmac-sha384 or hmac-sha512)" },
		{ "\nkey k {\n algorithm hmac-md5;\n secret \"LeakMe!"
		    SECRET_B64 "\";\n};", NULL,
		    "line 2: secret of key 'k' is not valid base64" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n};\nkey j { algorithm hmac-md5; secret \"" SECRET_B64
		    "\" };", "k", "line 5: expected ';'" },
		{ "key k {\n algorithm hmac-md5;\n secret \"" SECRET_B64
		    "\";\n};\nkey k {\n algorithm hmac-md5;\n secret \""
		    SECRET_B64 "\";\n};", "k",
		    "line 5: key 'k' is defined twice (first at line 1)" },
	};
	struct omapi_key key;
	struct omapi_error err;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (parse(&key, t[i].text, t[i].want, &err) != -1)
			fail_msg("case %zu accepted", i);
		assert_int_equal(err.code, OMAPI_ERR_INVALID);
		if (strcmp(err.text, t[i].msg) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    err.text, t[i].msg);
		assert_no_secret(&err);
		assert_int_equal(key.secret_len, 0);
	}
}

/* Long tokens are refused, not truncated or overflowed. */
static void
test_keyfile_long_tokens(void **state)
{
	char text[2048];
	struct omapi_key key;
	struct omapi_error err;
	int n;

	n = snprintf(text, sizeof(text), "key ");
	memset(text + n, 'n', 256);
	snprintf(text + n + 256, sizeof(text) - (size_t)n - 256,
	    " { algorithm hmac-md5; secret \"%s\"; };", SECRET_B64);
	assert_int_equal(parse(&key, text, NULL, &err), -1);
	assert_string_equal(err.text, "line 1: expected a key name after 'key'");
	/* 255 is the longest name. */
	memmove(text + n + 255, text + n + 256, strlen(text + n + 256) + 1);
	assert_int_equal(parse(&key, text, NULL, &err), 0);
	assert_int_equal(strlen(key.name), 255);

	n = snprintf(text, sizeof(text), "key k { algorithm hmac-md5; "
	    "secret \"");
	memset(text + n, 'A', 600);
	snprintf(text + n + 600, sizeof(text) - (size_t)n - 600, "\"; };");
	assert_int_equal(parse(&key, text, NULL, &err), -1);
	assert_string_equal(err.text, "line 1: secret too long");

	n = snprintf(text, sizeof(text), "key k { algorithm ");
	memset(text + n, 'a', 100);
	snprintf(text + n + 100, sizeof(text) - (size_t)n - 100,
	    "; secret \"%s\"; };", SECRET_B64);
	assert_int_equal(parse(&key, text, NULL, &err), -1);
	assert_string_equal(err.text, "line 1: algorithm too long");

	n = snprintf(text, sizeof(text), "key k { ");
	memset(text + n, 'w', 100);
	snprintf(text + n + 100, sizeof(text) - (size_t)n - 100, " x; };");
	assert_int_equal(parse(&key, text, NULL, &err), -1);
	assert_string_equal(err.text,
	    "line 1: expected 'algorithm', 'secret' or '}'");
}

/* Text that is not NUL-terminated, or holds a NUL, is handled by length. */
static void
test_keyfile_by_length(void **state)
{
	static const char text[] = "key k { algorithm hmac-md5; secret \""
	    SECRET_B64 "\"; };GARBAGE";
	static const char nul[] = "key k\0{ algorithm hmac-md5; };";
	struct omapi_key key;
	struct omapi_error err;
	char *copy;
	size_t len = strlen(text) - 7;

	assert_non_null(copy = malloc(len));	/* no terminator at all */
	memcpy(copy, text, len);
	assert_int_equal(omapi_key_parse_text(&key, copy, len, NULL, &err), 0);
	assert_string_equal(key.name, "k");
	free(copy);
	assert_int_equal(omapi_key_parse_text(&key, nul, sizeof(nul) - 1, NULL,
	    &err), -1);
}

/* Write text to a new temporary file; the caller unlinks path. */
static void
write_temp(char *path, size_t pathlen, const char *text, size_t len)
{
	FILE *f;
	int fd;

	snprintf(path, pathlen, "/tmp/test_key.XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_key_load_file(void **state)
{
	char path[64], want[256];
	struct omapi_key key;
	struct omapi_error err;
	char *big;

	write_temp(path, sizeof(path), several, strlen(several));
	assert_int_equal(omapi_key_load_file(&key, path, "second", &err), 0);
	assert_string_equal(key.name, "second");
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);
	assert_int_equal(omapi_key_load_file(&key, path, NULL, &err), -1);
	snprintf(want, sizeof(want), "%s: line 5: more than one key; name the "
	    "one to use", path);
	assert_string_equal(err.text, want);
	assert_no_secret(&err);
	unlink(path);

	assert_int_equal(omapi_key_load_file(&key, path, NULL, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err.text, want);

	/* A file bigger than any key file is refused. */
	assert_non_null(big = malloc(70000));
	memset(big, '#', 70000);
	write_temp(path, sizeof(path), big, 70000);
	assert_int_equal(omapi_key_load_file(&key, path, NULL, &err), -1);
	snprintf(want, sizeof(want), "%s: file too large", path);
	assert_string_equal(err.text, want);
	unlink(path);
	free(big);

	/* A directory cannot be read as a file. */
	assert_int_equal(omapi_key_load_file(&key, "/tmp", NULL, &err), -1);
	assert_string_equal(err.text, "/tmp: not a regular file");
}

/*
 * The one rule for files holding secrets: others may not access them
 * (owner and group may read); anything but a regular file is refused
 * before it can block (a FIFO's open waits for a writer; SIGALRM ends
 * the test if it does).
 */
static void
test_secret_file_rule(void **state)
{
	static const mode_t ok[] = { 0600, 0400, 0640, 0660 };
	static const mode_t bad[] = { 0644, 0604, 0602, 0601, 0666 };
	char path[64], fifo[80], want[256];
	struct omapi_key key;
	struct omapi_error err;
	size_t i;

	write_temp(path, sizeof(path), several, strlen(several));
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(chmod(path, ok[i]), 0);
		assert_int_equal(omapi_key_load_file(&key, path, "second",
		    &err), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(path, bad[i]), 0);
		memset(&key, 0, sizeof(key));
		assert_int_equal(omapi_key_load_file(&key, path, "second",
		    &err), -1);
		snprintf(want, sizeof(want), "%s: others may access this "
		    "secret (mode %04o); fix with: chmod o-rwx %s", path,
		    (unsigned)bad[i], path);
		assert_string_equal(err.text, want);
		assert_int_equal(key.secret_len, 0);
		assert_int_equal(omapi_secret_load_file(&key, path, &err), -1);
		assert_string_equal(err.text, want);
	}
	unlink(path);

	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	snprintf(want, sizeof(want), "%s: not a regular file", fifo);
	assert_int_equal(omapi_key_load_file(&key, fifo, NULL, &err), -1);
	assert_string_equal(err.text, want);
	assert_int_equal(omapi_secret_load_file(&key, fifo, &err), -1);
	assert_string_equal(err.text, want);
	alarm(0);
	unlink(fifo);
}

static void
test_secret_load_file(void **state)
{
	char path[64], want[256];
	struct omapi_key key;
	struct omapi_error err;

	assert_int_equal(omapi_key_set(&key, "omapi_key", "hmac-sha256",
	    "Zm9v", &err), 0);
	write_temp(path, sizeof(path), SECRET_B64 "\n", strlen(SECRET_B64) + 1);
	assert_int_equal(omapi_secret_load_file(&key, path, &err), 0);
	assert_string_equal(key.name, "omapi_key");
	assert_int_equal(key.alg, OMAPI_ALG_HMAC_SHA256);
	assert_int_equal(key.secret_len, strlen(SECRET_RAW));
	assert_memory_equal(key.secret, SECRET_RAW, key.secret_len);
	unlink(path);

	write_temp(path, sizeof(path), "LeakMe!" SECRET_B64 "\n",
	    strlen(SECRET_B64) + 8);
	assert_int_equal(omapi_secret_load_file(&key, path, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	snprintf(want, sizeof(want), "%s: secret is not valid base64", path);
	assert_string_equal(err.text, want);
	assert_no_secret(&err);
	unlink(path);

	write_temp(path, sizeof(path), "\n", 1);
	assert_int_equal(omapi_secret_load_file(&key, path, &err), -1);
	snprintf(want, sizeof(want), "%s: secret is not valid base64", path);
	assert_string_equal(err.text, want);
	unlink(path);

	assert_int_equal(omapi_secret_load_file(&key, path, &err), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err.text, want);
}

static void
test_key_wipe(void **state)
{
	struct omapi_key key, zero;
	struct omapi_error err;

	assert_int_equal(omapi_key_set(&key, "omapi_key", "hmac-sha512",
	    SECRET_B64, &err), 0);
	omapi_key_wipe(&key);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&key, &zero, sizeof(key));
	assert_int_equal(key.alg, OMAPI_ALG_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_table),
		cmocka_unit_test(test_base64_limits),
		cmocka_unit_test(test_key_set),
		cmocka_unit_test(test_key_set_errors),
		cmocka_unit_test(test_key_parse_spec),
		cmocka_unit_test(test_keyfile_basic),
		cmocka_unit_test(test_keyfile_dhcpd_conf_manpage),
		cmocka_unit_test(test_keyfile_comments),
		cmocka_unit_test(test_keyfile_several),
		cmocka_unit_test(test_keyfile_errors),
		cmocka_unit_test(test_keyfile_long_tokens),
		cmocka_unit_test(test_keyfile_by_length),
		cmocka_unit_test(test_key_load_file),
		cmocka_unit_test(test_secret_file_rule),
		cmocka_unit_test(test_secret_load_file),
		cmocka_unit_test(test_key_wipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
