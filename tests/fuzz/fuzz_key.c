/*
 * fuzz_key.c: libFuzzer target for everything that parses key material
 * and user text: the key-file parser (with and without a wanted name),
 * base64, NAME:SECRET specs, algorithm names, hex and IPv4 parsing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omapi_key key;
	struct omapi_error err;
	enum omapi_alg alg;
	uint8_t out[OMAPI_KEY_SECRET_MAX], ip[4];
	size_t len;
	char *s;

	omapi_clearerr(&err);
	/* The parser takes text by length: no terminator needed. */
	if (omapi_key_parse_text(&key, (const char *)data, size, NULL,
	    &err) == 0 && (key.secret_len == 0 ||
	    key.secret_len > sizeof(key.secret) || key.alg == OMAPI_ALG_NONE))
		abort();
	if (omapi_key_parse_text(&key, (const char *)data, size, "k",
	    &err) == 0 && strcmp(key.name, "k") != 0)
		abort();
	if (strlen(err.text) >= sizeof(err.text))
		abort();
	if (omapi_base64_decode((const char *)data, size, out, sizeof(out),
	    &len) == 0 && len > sizeof(out))
		abort();

	/* The rest want C strings. */
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (omapi_key_parse_spec(&key, s, NULL, &err) == 0 &&
	    key.secret_len == 0)
		abort();
	omapi_alg_parse(s, &alg);
	if (omapi_parse_hex(s, out, 16, &len) == 0 && len > 16)
		abort();
	omapi_parse_ipv4(s, ip);
	omapi_key_wipe(&key);
	free(s);
	return 0;
}
