/*
 * config_omapi.c: a server with `dhcpd_conf` and no `port` or `key` of its
 * own takes dhcpd's: `omapi-port`, and the `key NAME { ... }` block that
 * `omapi-key NAME;` names (in the file or one of its includes).  The
 * secret is used only from a file that passes the rule of a secret_file
 * (omapi_secret_mode_ok: others may not access it); dhcpdconf keeps no
 * secret from any other file.  No message shows a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "dhcpdconf.h"

/*
 * How the exporter reads every dhcpd.conf: includes from "/", as dhcpd
 * does; secrets by the secret_file rule; under systemd, a file the
 * service may not open from its credential copy (LoadCredential=).
 */
void
config_dhcpdconf_opts(struct dhcpdconf_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cwd = "/";
	o->secret_mode_ok = omapi_secret_mode_ok;
	o->credentials = getenv("CREDENTIALS_DIRECTORY");
}

/* dhcpd's algorithm name (omapi_alg_parse knows its spellings). */
static int
key_alg(const char *name, enum omapi_alg *alg)
{
	if (name == NULL) {
		*alg = OMAPI_ALG_HMAC_MD5;	/* dhcpd's default */
		return 0;
	}
	return omapi_alg_parse(name, alg);
}

/* The key that dhcpd.conf's omapi-key names, as the server's key. */
static void
key_from_conf(struct yparse *p, struct config_server *srv,
    const struct dhcpdconf *dc)
{
	const struct dhcpdconf_key *k;
	char msg[YAML_MSG_MAX];

	if ((k = dhcpdconf_find_key(dc, dc->omapi_key)) == NULL) {
		snprintf(msg, sizeof(msg), "%s:%u:%u: omapi-key %s: no `key "
		    "%s { ... }` block in this file or its includes",
		    dc->omapi_key_where.file, dc->omapi_key_where.line,
		    dc->omapi_key_where.column, dc->omapi_key, dc->omapi_key);
		goto err;
	}
	if (!k->secret_ok) {
		snprintf(msg, sizeof(msg), "%s:%u:%u: key %s: others may "
		    "access this secret (mode %04o); fix with: chmod o-rwx %s "
		    "(and keep the key out of a world-readable dhcpd.conf: "
		    "put it in an include)", k->where.file, k->where.line,
		    k->where.column, k->name, (unsigned)(k->mode & 07777),
		    k->where.file);
		goto err;
	}
	if (key_alg(k->algorithm, &srv->key.alg) == -1) {
		snprintf(msg, sizeof(msg), "%s:%u:%u: key %s: algorithm %s is "
		    "not one OMAPI speaks (hmac-md5, hmac-sha1, hmac-sha224, "
		    "hmac-sha256, hmac-sha384, hmac-sha512)", k->where.file,
		    k->where.line, k->where.column, k->name, k->algorithm);
		goto err;
	}
	if ((srv->key.name = strdup(k->name)) == NULL ||
	    (srv->key.secret = strdup(k->secret)) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	srv->key.src = CONFIG_SECRET_INLINE;
	srv->key.alg_given = 1;
	return;
err:
	config_errors_add(p->errs, msg);
	p->nerr++;
}

/*
 * After the server's dhcpd.conf (srv->dconf) is read: its omapi-port and
 * omapi-key where the YAML mapping m has no `port` or `key`.  A file
 * without omapi-port is noted in srv->no_omapi (the daemon says what to
 * add); the port stays the default.
 */
void
config_omapi_from_conf(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct dhcpdconf *dc = srv->dconf;

	if (ymap_get(m, "port") == NULL) {
		if (dc->omapi_port > 0)
			srv->port = (uint16_t)dc->omapi_port;
		else
			srv->no_omapi = 1;
	}
	if (ymap_get(m, "key") == NULL && dc->omapi_key != NULL)
		key_from_conf(p, srv, dc);
}
