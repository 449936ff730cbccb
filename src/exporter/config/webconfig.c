/*
 * webconfig.c: load and check --web.config.file (see config/config.h).
 *
 * The format is exporter-toolkit's, so an operator can reuse the file
 * every other exporter on the host already has.  Keys of that format this
 * exporter does not implement are refused by name rather than ignored: a
 * config that asks for cipher suites or allowed SANs must not silently get
 * something weaker.  Passwords only ever appear as bcrypt hashes, and a
 * hash is never shown in a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define BCRYPT_HASH_LEN	60	/* "$2b$" cost "$" 53 characters */

static const char *const top_keys[] = { "tls_server_config",
    "basic_auth_users", "http_server_config", "rate_limit", NULL };
static const char *const rate_keys[] = { "interval", "burst", NULL };
static const char *const tls_keys[] = { "cert_file", "key_file",
    "client_auth_type", "client_ca_file", "min_version", "max_version",
    "prefer_server_cipher_suites", "cipher_suites", "curve_preferences",
    "client_allowed_sans", "cert", "key", NULL };

/* In the format, not implemented here: refused with a message saying so. */
static const char *const tls_unsupported[] = { "cipher_suites",
    "curve_preferences", "client_allowed_sans", "cert", "key", NULL };

static const char *const client_auth_names[WEB_CLIENT_AUTH_COUNT] = {
	[WEB_NO_CLIENT_CERT] = "NoClientCert",
	[WEB_REQUEST_CLIENT_CERT] = "RequestClientCert",
	[WEB_REQUIRE_ANY_CLIENT_CERT] = "RequireAnyClientCert",
	[WEB_VERIFY_CLIENT_CERT_IF_GIVEN] = "VerifyClientCertIfGiven",
	[WEB_REQUIRE_AND_VERIFY_CLIENT_CERT] = "RequireAndVerifyClientCert",
};

const char *
web_client_auth_name(enum web_client_auth a)
{
	return a < WEB_CLIENT_AUTH_COUNT ? client_auth_names[a] : "?";
}

/* Refuse, by name, the keys of the format this exporter lacks. */
static void
refuse_unsupported(struct yparse *p, const struct ynode *m, const char *where,
    const char *const *names)
{
	const struct ynode *v;
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if ((v = ymap_get(m, names[i])) != NULL)
			yerrn(p, v, "'%s' in %s is not "
			    "supported by dhcpd_exporter; remove it", names[i],
			    where);
}

static void
parse_client_auth(struct yparse *p, const struct ynode *v,
    struct web_tls *t)
{
	const char *s;
	int i;

	if (yget_str(p, v, "client_auth_type", 64, &s) == -1)
		return;
	for (i = 0; i < WEB_CLIENT_AUTH_COUNT; i++)
		if (strcmp(s, client_auth_names[i]) == 0) {
			t->client_auth = (enum web_client_auth)i;
			return;
		}
	yerrn(p, v, "unknown client_auth_type '%.64s' (expected NoClientCert, "
	    "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven "
	    "or RequireAndVerifyClientCert)", s);
}

/* TLS10 .. TLS13 as 10 .. 13. */
static void
parse_version(struct yparse *p, const struct ynode *v, const char *what,
    int *out)
{
	const char *s;

	if (yget_str(p, v, what, 16, &s) == -1)
		return;
	if (strncmp(s, "TLS1", 4) == 0 && s[4] >= '0' && s[4] <= '3' &&
	    s[5] == '\0')
		*out = 10 + (s[4] - '0');
	else
		yerrn(p, v, "'%s' must be TLS10, TLS11, TLS12 or TLS13, not "
		    "'%.16s'", what, s);
}

/* What the client certificate settings need of each other. */
static void
check_client_auth(struct yparse *p, const struct ynode *m,
    const struct web_tls *t)
{
	int verifies = t->client_auth == WEB_VERIFY_CLIENT_CERT_IF_GIVEN ||
	    t->client_auth == WEB_REQUIRE_AND_VERIFY_CLIENT_CERT;

	if (verifies && t->client_ca_file == NULL)
		yerrn(p, m, "client_auth_type %s needs a client_ca_file to "
		    "check client certificates against",
		    web_client_auth_name(t->client_auth));
	else if (!verifies && t->client_ca_file != NULL)
		yerrn(p, m, "client_ca_file is set but client_auth_type is %s, "
		    "so it would not be used; set client_auth_type: "
		    "RequireAndVerifyClientCert", web_client_auth_name(
		    t->client_auth));
}

static void
parse_tls(struct yparse *p, const struct ynode *m, struct webconfig *w)
{
	struct web_tls *t = &w->tls_cfg;
	const struct ynode *v;
	int prefer;

	if (yis_null(m))
		return;		/* "tls_server_config:" alone: TLS off */
	if (ywant(p, m, Y_MAP, "tls_server_config") == -1)
		return;
	w->tls = 1;
	ycheck_keys(p, m, "tls_server_config", tls_keys, 0);
	refuse_unsupported(p, m, "tls_server_config", tls_unsupported);
	if ((v = ymap_get(m, "cert_file")) != NULL)
		yget_path(p, v, "cert_file", &t->cert_file);
	else
		yerrn(p, m, "tls_server_config needs a cert_file");
	if ((v = ymap_get(m, "key_file")) != NULL)
		yget_path(p, v, "key_file", &t->key_file);
	else
		yerrn(p, m, "tls_server_config needs a key_file");
	if ((v = ymap_get(m, "client_ca_file")) != NULL)
		yget_path(p, v, "client_ca_file", &t->client_ca_file);
	if ((v = ymap_get(m, "client_auth_type")) != NULL)
		parse_client_auth(p, v, t);
	if ((v = ymap_get(m, "min_version")) != NULL)
		parse_version(p, v, "min_version", &t->min_version);
	if ((v = ymap_get(m, "max_version")) != NULL)
		parse_version(p, v, "max_version", &t->max_version);
	if ((v = ymap_get(m, "prefer_server_cipher_suites")) != NULL)
		yget_bool(p, v, "prefer_server_cipher_suites", &prefer);
	if (t->min_version > t->max_version)
		yerrn(p, m, "min_version TLS%d is above max_version TLS%d",
		    t->min_version, t->max_version);
	check_client_auth(p, m, t);
}

/* A bcrypt hash as crypt(3) writes it: $2a$, $2b$ or $2y$, cost, salt. */
static int
bcrypt_hash_ok(const char *h, size_t len)
{
	size_t i;

	if (len != BCRYPT_HASH_LEN || h[0] != '$' || h[1] != '2' ||
	    (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') || h[3] != '$' ||
	    h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' ||
	    h[6] != '$')
		return 0;
	for (i = 7; i < len; i++)
		if (strchr("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789", h[i]) == NULL)
			return 0;
	return 1;
}

static void
parse_user(struct yparse *p, const struct ynode *k, const struct ynode *v,
    struct web_user *u)
{
	const char *name;

	if (yget_str(p, k, "user name", 256, &name) == -1)
		return;
	if (strchr(name, ':') != NULL) {
		yerrn(p, k, "user name '%.64s' contains ':', which HTTP basic "
		    "auth cannot carry", name);
		return;
	}
	if (ywant(p, v, Y_SCALAR, "basic_auth_users") == -1)
		return;
	if (!bcrypt_hash_ok(v->str, v->len)) {
		yerrn(p, v, "the password of user '%.64s' must be a bcrypt "
		    "hash ($2b$..., 60 characters; make one with htpasswd "
		    "-nBC 10 \"\" | tr -d ':\\n'); not shown", name);
		return;
	}
	if ((u->name = strdup(name)) == NULL ||
	    (u->hash = strdup(v->str)) == NULL)
		yerr(p, 0, 0, "out of memory");
}

/* Whether the user of entry i was already given; reports it if so. */
static int
user_repeated(struct yparse *p, const struct ynode *m, size_t i)
{
	const struct ynode *k = m->kids[i];
	size_t j;

	for (j = 0; j < i; j += 2)
		if (m->kids[j]->kind == Y_SCALAR &&
		    strcmp(m->kids[j]->str, k->str) == 0) {
			yerrn(p, k, "user '%.64s' is listed twice (first at "
			    "line %d)", k->str, m->kids[j]->line);
			return 1;
		}
	return 0;
}

static void
parse_users(struct yparse *p, const struct ynode *m, struct webconfig *w)
{
	size_t i, n;

	if (yis_null(m))
		return;
	if (ywant(p, m, Y_MAP, "basic_auth_users") == -1)
		return;
	n = m->nkids / 2;
	if (n > WEBCONFIG_USERS_MAX) {
		yerrn(p, m, "basic_auth_users has more than %d users",
		    WEBCONFIG_USERS_MAX);
		return;
	}
	if (n == 0)
		return;
	if ((w->users = calloc(n, sizeof(*w->users))) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	for (i = 0; i + 1 < m->nkids; i += 2) {
		if (m->kids[i]->kind != Y_SCALAR) {
			yerrn(p, m->kids[i], "user names must be plain names");
			continue;
		}
		if (user_repeated(p, m, i))
			continue;
		parse_user(p, m->kids[i], m->kids[i + 1],
		    &w->users[w->nusers++]);
	}
}

/*
 * rate_limit, as exporter-toolkit has it: a token bucket over every
 * request, one token back every interval, at most burst; an interval of
 * 0 (or none) turns it off.
 */
static void
parse_rate_limit(struct yparse *p, const struct ynode *m,
    struct webconfig *w)
{
	const struct ynode *v;
	uint64_t burst = 0;
	uint32_t ms = 0;

	if (yis_null(m) || ywant(p, m, Y_MAP, "rate_limit") == -1)
		return;
	ycheck_keys(p, m, "rate_limit", rate_keys, 0);
	if ((v = ymap_get(m, "interval")) != NULL)
		yget_duration(p, v, "interval", 0,
		    WEBCONFIG_RATE_INTERVAL_MAX_MS, &ms);
	if ((v = ymap_get(m, "burst")) != NULL)
		yget_uint(p, v, "burst", 0, WEBCONFIG_RATE_BURST_MAX, &burst);
	if (ms > 0 && burst == 0)
		yerrn(p, m, "rate_limit with an interval needs a burst of at "
		    "least 1 (with 0, every request would be refused)");
	w->rate_interval_ms = ms;
	w->rate_burst = (uint32_t)burst;
}

static void
parse_top(struct yparse *p, const struct ynode *root, struct webconfig *w)
{
	const struct ynode *v;

	w->tls_cfg.min_version = 12;	/* exporter-toolkit's defaults */
	w->tls_cfg.max_version = 13;
	if (root == NULL || yis_null(root))
		return;		/* an empty file: no TLS, no users */
	if (root->kind != Y_MAP) {
		yerrn(p, root, "the web config must be a mapping with "
		    "tls_server_config and/or basic_auth_users, not %s",
		    ykind_desc(root));
		return;
	}
	ycheck_keys(p, root, "the web config", top_keys, 0);
	if ((v = ymap_get(root, "http_server_config")) != NULL)
		yerrn(p, v, "'http_server_config' is not supported by "
		    "dhcpd_exporter; remove it");
	if ((v = ymap_get(root, "tls_server_config")) != NULL)
		parse_tls(p, v, w);
	if ((v = ymap_get(root, "basic_auth_users")) != NULL)
		parse_users(p, v, w);
	if ((v = ymap_get(root, "rate_limit")) != NULL)
		parse_rate_limit(p, v, w);
}

static int
load(struct yparse *p, struct webconfig **out)
{
	struct webconfig *w;
	struct ynode *root = NULL;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	if (ytree_load(p, &root) == 0)
		parse_top(p, root, w);
	ynode_free(root);
	if (p->nerr != 0) {
		webconfig_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

int
webconfig_load_buffer(const char *name, const char *data, size_t len,
    struct webconfig **out, struct config_errors *errs)
{
	struct yparse p;

	yparse_buffer(&p, name, data, len, errs);
	return load(&p, out);
}

int
webconfig_load(const char *path, struct webconfig **out,
    struct config_errors *errs)
{
	struct yparse p;
	int rv;

	*out = NULL;
	if (yparse_file(&p, path, WEBCONFIG_FILE_MAX, errs) == -1)
		return -1;
	rv = load(&p, out);
	yparse_end(&p);
	return rv;
}

void
webconfig_free(struct webconfig *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nusers; i++) {
		free(w->users[i].name);
		free(w->users[i].hash);
	}
	free(w->users);
	free(w->tls_cfg.cert_file);
	free(w->tls_cfg.key_file);
	free(w->tls_cfg.client_ca_file);
	free(w);
}
