/*
 * httptls.h: what the HTTP server needs for TLS from the web config:
 * the PEM files read into memory (libmicrohttpd takes them so), the
 * GnuTLS priority string for min_version..max_version, and the client
 * certificate policy applied to each connection.
 *
 * The private key is wiped from our memory once the server has started;
 * GnuTLS keeps its own parsed copy.
 */
#ifndef HTTPTLS_H
#define HTTPTLS_H

#include <stddef.h>

#include <microhttpd.h>

#include "webconfig.h"

#define HTTPTLS_PEM_MAX		(1024 * 1024)

struct http_tls {
	char			*cert;		/* PEM, NUL-terminated */
	char			*key;
	size_t			 keylen;
	char			*ca;		/* NULL: no client CA */
	char			 priorities[160];
	enum web_client_auth	 client_auth;
};

/* ---- httptls.c ---- */
int	 http_tls_load(struct http_tls *, const struct web_tls *,
	    char *err, size_t errlen);
void	 http_tls_wipe_key(struct http_tls *);
void	 http_tls_free(struct http_tls *);
/* MHD_OPTION_NOTIFY_CONNECTION: ask for (or insist on) a client cert. */
void	 http_tls_notify(void *cls, struct MHD_Connection *, void **,
	    enum MHD_ConnectionNotificationCode);
/* Whether the connection's client certificate satisfies the policy. */
int	 http_tls_client_ok(const struct http_tls *, struct MHD_Connection *);

#endif /* HTTPTLS_H */
