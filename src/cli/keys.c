/*
 * keys.c: the key to sign with, from --key, --key-file, --secret-file or
 * the environment (OMAPI_KEY, OMAPI_KEY_FILE), in that order.  No message
 * here ever shows the secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/* Report a key problem; returns -1. */
static int
keys_error(const char *where, const struct omapi_error *err)
{
	fprintf(stderr, "%s: %s: %s\n", CLI_NAME, where, err->text);
	return -1;
}

/*
 * Overwrite the secret of "-k NAME:BASE64" in argv, so that ps shows it
 * for as short a time as we can manage.
 */
static void
keys_hide_spec(char *spec)
{
	char *colon = strchr(spec, ':');

	if (colon != NULL)
		explicit_bzero(colon + 1, strlen(colon + 1));
}

/* A file with only the base64 secret; the name comes from --key-name. */
static int
keys_secret_file(const struct cli_opts *o, struct omapi_key *key)
{
	char q[OUTPUT_QUOTE_MAX];
	struct omapi_error err;

	if (o->key_name == NULL || *o->key_name == '\0' ||
	    strlen(o->key_name) > OMAPI_KEY_NAME_MAX) {
		fprintf(stderr, "%s: --secret-file needs --key-name NAME\n",
		    CLI_NAME);
		return -1;
	}
	if (omapi_alg_parse(o->alg ? o->alg : "hmac-md5", &key->alg) == -1) {
		fprintf(stderr, "%s: unknown algorithm %s\n", CLI_NAME,
		    output_quote(o->alg, q));
		return -1;
	}
	snprintf(key->name, sizeof(key->name), "%s", o->key_name);
	if (omapi_secret_load_file(key, o->secret_file, &err) == -1)
		return keys_error("secret file", &err);
	return 0;
}

/*
 * A file of `key NAME { ... };` blocks, read by the library's one reader
 * for secrets (a regular file that others may not access).
 */
static int
keys_key_file(const struct cli_opts *o, const char *path,
    struct omapi_key *key)
{
	struct omapi_error err;

	if (o->alg != NULL) {
		fprintf(stderr, "%s: --algorithm does not apply to a key file "
		    "(the file names the algorithm)\n", CLI_NAME);
		return -1;
	}
	if (omapi_key_load_file(key, path, o->key_name, &err) == -1) {
		fprintf(stderr, "%s: key file %s\n", CLI_NAME, err.text);
		return -1;
	}
	return 0;
}

/* "NAME:BASE64" from -k or OMAPI_KEY. */
static int
keys_spec(const struct cli_opts *o, const char *spec, const char *where,
    struct omapi_key *key)
{
	struct omapi_error err;

	if (omapi_key_parse_spec(key, spec, o->alg, &err) == -1)
		return keys_error(where, &err);
	return 0;
}

/*
 * Fill key from the options or the environment; *have is 0 when no key was
 * given (the connection is then unsigned).  -1 after reporting an error.
 */
int
keys_load(const struct cli_opts *o, struct omapi_key *key, int *have)
{
	const char *env;
	int rv;

	memset(key, 0, sizeof(*key));
	*have = 1;
	if (o->key_spec != NULL) {
		rv = keys_spec(o, o->key_spec, "--key", key);
		keys_hide_spec(o->key_spec);
	} else if (o->key_file != NULL)
		rv = keys_key_file(o, o->key_file, key);
	else if (o->secret_file != NULL)
		rv = keys_secret_file(o, key);
	else if ((env = getenv("OMAPI_KEY")) != NULL && *env != '\0')
		rv = keys_spec(o, env, "OMAPI_KEY", key);
	else if ((env = getenv("OMAPI_KEY_FILE")) != NULL && *env != '\0')
		rv = keys_key_file(o, env, key);
	else {
		*have = 0;
		if (o->alg != NULL || o->key_name != NULL) {
			fprintf(stderr, "%s: --algorithm and --key-name need a "
			    "key (--key, --key-file, --secret-file or "
			    "OMAPI_KEY)\n", CLI_NAME);
			return -1;
		}
		return 0;
	}
	if (rv == -1)
		omapi_key_wipe(key);
	return rv;
}
