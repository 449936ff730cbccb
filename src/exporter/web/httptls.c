/*
 * httptls.c: TLS for the HTTP server (see web/web_int.h).
 *
 * libmicrohttpd asks for a client certificate only when it has a trust
 * list, and never insists.  So the policy is applied in two places: when
 * a connection starts, its GnuTLS session is told to request or require a
 * certificate (and, for the verifying modes, to check it during the
 * handshake, so a bad certificate never gets as far as HTTP); and every
 * request checks again, so a connection that somehow got through without
 * what the policy needs is answered 403 rather than served.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "web_int.h"
#include "omapi.h"

/* Read a PEM file; secret ones by the one rule for secrets (key.c). */
static int
http_tls_read(const char *path, const char *what, int secret, char **out,
    size_t *len, char *err, size_t errlen)
{
	mode_t mode = 0;

	if (yread_file(path, HTTPTLS_PEM_MAX, out, len, &mode, err,
	    errlen) == -1)
		return -1;
	if (secret && !omapi_secret_mode_ok(mode)) {
		explicit_bzero(*out, *len);
		free(*out);
		*out = NULL;
		snprintf(err, errlen, "web config: %s %s: others may access "
		    "this private key (mode %04o); fix with: chmod o-rwx %s",
		    what, path, (unsigned)(mode & 07777), path);
		return -1;
	}
	if (strstr(*out, "-----BEGIN ") == NULL) {
		snprintf(err, errlen, "web config: %s %s: not a PEM file", what,
		    path);
		return -1;
	}
	return 0;
}

/* "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3" for min 12, max 13. */
static void
http_tls_priorities(struct http_tls *t, int min, int max)
{
	size_t off;
	int v;

	off = (size_t)snprintf(t->priorities, sizeof(t->priorities),
	    "NORMAL:-VERS-ALL");
	for (v = min; v <= max && off < sizeof(t->priorities); v++)
		off += (size_t)snprintf(t->priorities + off,
		    sizeof(t->priorities) - off, ":+VERS-TLS1.%d", v - 10);
}

int
http_tls_load(struct http_tls *t, const struct web_tls *w, char *err,
    size_t errlen)
{
	size_t len;

	memset(t, 0, sizeof(*t));
	t->client_auth = w->client_auth;
	http_tls_priorities(t, w->min_version, w->max_version);
	if (http_tls_read(w->cert_file, "cert_file", 0, &t->cert, &len, err,
	    errlen) == -1 ||
	    http_tls_read(w->key_file, "key_file", 1, &t->key, &t->keylen, err,
	    errlen) == -1 ||
	    (w->client_ca_file != NULL && http_tls_read(w->client_ca_file,
	    "client_ca_file", 0, &t->ca, &len, err, errlen) == -1)) {
		http_tls_free(t);
		return -1;
	}
	return 0;
}

void
http_tls_wipe_key(struct http_tls *t)
{
	if (t->key != NULL) {
		explicit_bzero(t->key, t->keylen);
		free(t->key);
		t->key = NULL;
	}
}

void
http_tls_free(struct http_tls *t)
{
	http_tls_wipe_key(t);
	free(t->cert);
	free(t->ca);
	memset(t, 0, sizeof(*t));
}

static gnutls_session_t
http_tls_session(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return ci != NULL ? ci->tls_session : NULL;
}

static int
http_tls_requires(enum web_client_auth a)
{
	return a == WEB_REQUIRE_ANY_CLIENT_CERT ||
	    a == WEB_REQUIRE_AND_VERIFY_CLIENT_CERT;
}

static int
http_tls_verifies(enum web_client_auth a)
{
	return a == WEB_VERIFY_CLIENT_CERT_IF_GIVEN ||
	    a == WEB_REQUIRE_AND_VERIFY_CLIENT_CERT;
}

void
http_tls_notify(void *cls, struct MHD_Connection *c, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	const struct http_tls *t = cls;
	gnutls_session_t s;

	if (code != MHD_CONNECTION_NOTIFY_STARTED ||
	    t->client_auth == WEB_NO_CLIENT_CERT ||
	    (s = http_tls_session(c)) == NULL)
		return;
	gnutls_certificate_server_set_request(s,
	    http_tls_requires(t->client_auth) ? GNUTLS_CERT_REQUIRE :
	    GNUTLS_CERT_REQUEST);
	if (t->client_auth == WEB_REQUIRE_AND_VERIFY_CLIENT_CERT)
		gnutls_session_set_verify_cert(s, NULL, 0);
}

int
http_tls_client_ok(const struct http_tls *t, struct MHD_Connection *c)
{
	gnutls_session_t s;
	unsigned int n = 0, status = 1;

	if (t == NULL || t->client_auth == WEB_NO_CLIENT_CERT ||
	    t->client_auth == WEB_REQUEST_CLIENT_CERT)
		return 1;
	if ((s = http_tls_session(c)) == NULL)
		return 0;
	if (gnutls_certificate_get_peers(s, &n) == NULL || n == 0)
		return !http_tls_requires(t->client_auth);
	if (!http_tls_verifies(t->client_auth))
		return 1;
	return gnutls_certificate_verify_peers2(s, &status) == 0 &&
	    status == 0;
}

/* Whether the TLS files load as http_start would load them (--check-config). */
int
http_tls_check(const struct web_tls *cfg, char *err, size_t errlen)
{
	struct http_tls t;

	if (http_tls_load(&t, cfg, err, errlen) == -1)
		return -1;
	http_tls_free(&t);
	return 0;
}
