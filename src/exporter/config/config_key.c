/*
 * config_key.c: each server's key, read as the last step of loading the
 * configuration, so that --check-config, a reload and the start see the
 * same problems before anything connects, each at the FILE:LINE:COLUMN of
 * the key's source.  A key lives in a keypage (keypage.c) that
 * config_free() wipes and unmaps.  Files holding secrets are read by the
 * library's one reader with its one mode rule (omapi_secret_read); every
 * copy of the secret on the way is wiped.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* Fill key from a file holding only the base64 secret. */
static int
key_from_secret_file(const struct config_key *ck, const char *text,
    size_t len, struct omapi_key *key, char *err, size_t errlen)
{
	size_t slen;

	snprintf(key->name, sizeof(key->name), "%s", ck->name);
	key->alg = ck->alg;
	if (omapi_base64_decode(text, len, key->secret, sizeof(key->secret),
	    &slen) == -1 || slen == 0) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: not a base64 secret (a file "
		    "with a `key NAME { ... };` block goes in key_file)",
		    ck->path);
	}
	key->secret_len = slen;
	return 0;
}

/* Fill key from a dhcpd.conf-style key file. */
static int
key_from_key_file(const struct config_key *ck, const char *text, size_t len,
    struct omapi_key *key, char *err, size_t errlen)
{
	struct omapi_error oe;

	memset(&oe, 0, sizeof(oe));
	if (omapi_key_parse_text(key, text, len, ck->name, &oe) == -1) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: %s", ck->path, oe.text);
	}
	if (ck->alg_given && key->alg != ck->alg) {
		config_errf(err, errlen, "%s: key '%s' uses %s, but the "
		    "configuration says %s", ck->path, key->name,
		    omapi_alg_name(key->alg), omapi_alg_name(ck->alg));
		omapi_key_wipe(key);
		return -1;
	}
	return 0;
}

/*
 * Fill key from the inline secret, or by reading the secret_file or
 * key_file (omapi_secret_read: refused when others may access it, or when
 * it is not a regular file).  A server without a key gets a zeroed key.
 * 0, or -1 with a message in err that never holds the secret; -2 when the
 * file is a credential that only its unit can read (config_cred.c).
 */
static int
load_key(const struct config_key *ck, struct omapi_key *key, char *err,
    size_t errlen)
{
	struct omapi_error oe;
	const char *path;
	char *text = NULL, src[PATH_MAX], copy[PATH_MAX];
	size_t len = 0;
	int rv = -1;

	memset(key, 0, sizeof(*key));
	memset(&oe, 0, sizeof(oe));
	switch (ck->src) {
	case CONFIG_SECRET_NONE:
		return 0;
	case CONFIG_SECRET_INLINE:
		if (omapi_key_set(key, ck->name, omapi_alg_name(ck->alg),
		    ck->secret, &oe) == -1)
			return config_errf(err, errlen, "key '%s': %s", ck->name,
			    oe.text);
		return 0;
	case CONFIG_SECRET_FILE:
	case CONFIG_SECRET_KEY_FILE:
		break;
	}
	if (ck->path == NULL)
		return config_errf(err, errlen, "no key file");
	/* a credential path, read by hand: what the unit would read */
	switch (config_cred_source(ck->path, src, sizeof(src), err, errlen)) {
	case -1:
		return -2;
	case 1:
		path = src;
		break;
	default:
		path = ck->path;
	}
	/* inside the unit: the copy of a file the service may not open */
	switch (config_cred_copy(path, copy, sizeof(copy), err, errlen)) {
	case -1:
		return -1;
	case 1:
		path = copy;
		break;
	}
	if (omapi_secret_read(path, OMAPI_SECRET_FILE_MAX, &text, &len,
	    &oe) == -1)
		return config_errf(err, errlen, "%s", oe.text);
	if (ck->src == CONFIG_SECRET_FILE)
		rv = key_from_secret_file(ck, text, len, key, err, errlen);
	else
		rv = key_from_key_file(ck, text, len, key, err, errlen);
	explicit_bzero(text, len);
	free(text);
	return rv;
}

/*
 * Read the key of every server that has one into srv->key.loaded;
 * problems go to the load's error sink.
 */
void
config_load_keys(struct yparse *p, struct config *cfg)
{
	struct config_server *srv;
	char err[YAML_MSG_MAX];
	size_t i;
	int rv;

	for (i = 0; i < cfg->nservers; i++) {
		srv = &cfg->servers[i];
		if (srv->key.src == CONFIG_SECRET_NONE)
			continue;
		if ((srv->key.loaded = keypage_alloc()) == NULL) {
			yerr(p, 0, 0, "out of memory");
			continue;
		}
		if ((rv = load_key(&srv->key, srv->key.loaded, err,
		    sizeof(err))) == 0)
			continue;
		if (rv == -2 && p->errs != NULL && p->errs->check_only)
			config_errors_note(p->errs, p->file, srv->key.line,
			    srv->key.col, err);
		else
			yerr(p, srv->key.line, srv->key.col, "%s", err);
		keypage_free(srv->key.loaded);
		srv->key.loaded = NULL;
	}
}
