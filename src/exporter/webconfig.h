/*
 * webconfig.h: --web.config.file, in the exporter-toolkit format that
 * Prometheus exporters share:
 *
 *   tls_server_config:
 *     cert_file: /etc/dhcpd_exporter/tls.crt
 *     key_file: /etc/dhcpd_exporter/tls.key
 *     client_auth_type: RequireAndVerifyClientCert
 *     client_ca_file: /etc/dhcpd_exporter/clients-ca.crt
 *     min_version: TLS12
 *     max_version: TLS13
 *   basic_auth_users:
 *     prometheus: $2b$10$...          # bcrypt
 *   rate_limit:                       # every request spends a token
 *     interval: 100ms                 # one back every interval (0: off)
 *     burst: 50                       # at most this many
 *
 * Read at start and again on SIGHUP (main.c restarts the HTTP server on
 * the new one; a bad file leaves the running one in place).
 */
#ifndef WEBCONFIG_H
#define WEBCONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define WEBCONFIG_FILE_MAX	(1024 * 1024)
#define WEBCONFIG_USERS_MAX	1024
#define WEBCONFIG_RATE_INTERVAL_MAX_MS	(24u * 3600 * 1000)
#define WEBCONFIG_RATE_BURST_MAX	1000000

enum web_client_auth {
	WEB_NO_CLIENT_CERT,		/* the default */
	WEB_REQUEST_CLIENT_CERT,	/* asked for, not required, not checked */
	WEB_REQUIRE_ANY_CLIENT_CERT,	/* required, not checked */
	WEB_VERIFY_CLIENT_CERT_IF_GIVEN, /* checked when given */
	WEB_REQUIRE_AND_VERIFY_CLIENT_CERT,
	WEB_CLIENT_AUTH_COUNT
};

/* TLS versions as 10..13 (TLS 1.0 .. 1.3); min defaults to TLS 1.2 and
 * max to TLS 1.3, as in exporter-toolkit. */
struct web_tls {
	char			*cert_file;
	char			*key_file;
	char			*client_ca_file;
	enum web_client_auth	 client_auth;
	int			 min_version;
	int			 max_version;
};

struct web_user {
	char	*name;
	char	*hash;		/* crypt(3) bcrypt: $2a$, $2b$, $2y$ */
};

struct webconfig {
	int		 tls;		/* tls_server_config given */
	struct web_tls	 tls_cfg;
	struct web_user	*users;
	size_t		 nusers;
	uint32_t	 rate_interval_ms;	/* 0: no rate_limit */
	uint32_t	 rate_burst;
};

/*
 * ---- webconfig.c ----
 * Like config_load(): 0 and a webconfig the caller frees, or -1 with every
 * problem as "FILE:LINE:COLUMN: message" in errs.  Relative paths are
 * taken from the file's folder.  Unknown keys are errors; keys of the
 * format that this exporter does not implement are errors that say so.
 */
int	 webconfig_load(const char *path, struct webconfig **,
	    struct config_errors *);
int	 webconfig_load_buffer(const char *name, const char *data, size_t len,
	    struct webconfig **, struct config_errors *);
void	 webconfig_free(struct webconfig *);
const char *web_client_auth_name(enum web_client_auth);

#endif /* WEBCONFIG_H */
