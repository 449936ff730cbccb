/*
 * config/config.h: the configuration stage, as the stages above see it:
 * the exporter's YAML configuration (struct config), the web config
 * (TLS and basic auth), label rules and the error sink both loaders fill.
 * Internal to the stage: config_int.h.
 */
#ifndef EXPORTER_CONFIG_H
#define EXPORTER_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "omapi.h"

/*
 * errsink.c: where a loader's problems go.
 *
 * Both YAML loaders (the configuration and the web config) put every
 * problem they find, each as "FILE:LINE:COLUMN: message", into a
 * caller-owned struct config_errors; the daemon then decides where the
 * messages go.  Nothing here logs.
 */


#define CONFIG_ERRORS_MAX	100	/* messages kept; the rest counted */

/*
 * Zero-initialise it, pass it to a loader, print msg[0 .. n-1], then
 * config_errors_free().  Errors beyond CONFIG_ERRORS_MAX (or that could
 * not be stored for lack of memory) are only counted in `lost`.
 */
struct config_errors {
	char	**msg;
	size_t	  n;
	size_t	  cap;
	size_t	  lost;
	/*
	 * Set by the caller for --check-config: a key file that only its
	 * systemd unit can read (a credential path no unit file here
	 * explains) is then a note, not an error.  Notes are kept apart.
	 */
	int	  check_only;
	char	**note;
	size_t	  nnote;
	/*
	 * The dhcpd.conf files (paths as configured) that failed this load:
	 * could not be read or do not parse (pools that the configuration
	 * cannot take are the reload's failure, not the file's).  A failed
	 * reload hands this verdict to the poller, which need not read the
	 * files again to know.
	 */
	char	**conf_failed;
	size_t	  nconf_failed;
};

/* ---- errsink.c ---- */
void	 config_errors_add(struct config_errors *, const char *);
void	 config_errors_free(struct config_errors *);
void	 config_errors_note(struct config_errors *, const char *file,
	    int line, int col, const char *msg);
size_t	 config_errors_count(const struct config_errors *);
void	 config_errors_conf_failed(struct config_errors *, const char *path);
int	 config_errors_conf_did_fail(const struct config_errors *,
	    const char *path);
int	 config_errf(char *err, size_t errlen, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * label.c: what a configured pool label may be called.  One rule, used
 * by the configuration loader (which reports it at FILE:LINE:COLUMN) and
 * by the snapshot builder (which refuses what the loader would), so that
 * whatever --check-config accepts also publishes.
 */


#define LABEL_NAME_MAX	128	/* characters in a label name */

/* ---- label.c ---- */
int	 label_name_check(const char *, char *err, size_t errlen);
/* Whether a NUL-terminated string is valid UTF-8 (label values, names). */
int	 label_utf8_valid(const unsigned char *);

/*
 * config.h: the dhcpd_exporter configuration, read from a YAML file.
 *
 * config_load() parses and checks the whole file and either returns a
 * struct config that owns everything it points to (freed by config_free),
 * or returns -1 after putting every problem it found, each as
 * "FILE:LINE:COLUMN: message", into a caller-owned struct config_errors.
 * Nothing here logs or exits; the daemon decides what to print.
 *
 * Secrets are part of loading: once the file is valid, each server's key
 * (inline `secret:`, secret_file or key_file) is read into
 * key.loaded, a struct omapi_key in pages of its own (keypage.c) that
 * config_free() wipes.  Files holding secrets are refused when others may
 * access them or when they are not regular files (omapi_secret_read).
 *
 * The files: config.c (load, free), config_parse.c (the schema and the
 * value checks), config_check.c (checks across entries, the /metrics
 * size), config_key.c (the keys).
 */



struct dhcpdconf;
struct dhcpdconf_opts;

/* Defaults. */
#define CONFIG_DEFAULT_LISTEN		"0.0.0.0:9367"
#define CONFIG_DEFAULT_POLL_MS		15000
#define CONFIG_DEFAULT_TIMEOUT_MS	2000
#define CONFIG_DEFAULT_SWEEP_MS		60000
#define CONFIG_DEFAULT_MAX_RATE		5000
#define CONFIG_DEFAULT_WINDOW		OMAPI_SWEEP_DEFAULT_WINDOW

/* Caps, for the configuration and for what the metrics stage keeps of it. */
#define CONFIG_STR_MAX		256	/* bytes in a name or label value */
#define CONFIG_LABELS_MAX	16	/* extra labels per pool */
#define CONFIG_SERVERS_MAX	256
#define CONFIG_POOLS_MAX	16384	/* per server */
#define CONFIG_HOSTS_MAX	16384	/* per server */
#define CONFIG_RANGES_MAX	4096	/* per pool */
#define CONFIG_PEERS_MAX	256	/* failover peers per server */
#define CONFIG_CLASSES_MAX	4096	/* classes per server */
#define CONFIG_SWEEP_MAX_ADDRS	(1u << 24)	/* addresses per server */
#define CONFIG_DEFAULT_LEASE_SERIES	10000	/* lease_info.max_series */
#define CONFIG_FILE_MAX		(16 * 1024 * 1024)

/* An extra label on a pool's series. */
struct config_label {
	char	*name;
	char	*value;
};

/* Addresses first..last inclusive, host byte order, as written. */
struct config_range {
	uint32_t	 first;
	uint32_t	 last;
	int		 line;		/* where it was written */
	int		 col;
};

struct config_pool {
	char			*name;		/* the `pool` label */
	struct config_range	*ranges;	/* ascending when discovered */
	size_t			 nranges;
	uint64_t		 naddrs;	/* sum of the range sizes */
	struct config_label	*labels;
	size_t			 nlabels;
	int			 line;
	/* From dhcpd.conf (config_discover.c); NULL/0 for a YAML pool. */
	int			 discovered;
	char			*shared_network;
	char			*failover_peer;	/* or the YAML's */
	int			 named;		/* a YAML pool gave its name */
	const char		*yaml_name;	/* that name (== name) */
};

/*
 * A host to watch.  `label` is the `host` label value: the configured name
 * when there is one, else the MAC in lower-case colon form.  The lookup
 * uses the MAC when one is given (then the name only labels it), else the
 * name.
 */
struct config_host {
	char		*label;
	char		*name;		/* NULL when not given */
	int		 has_mac;
	uint8_t		 mac[6];
	int		 line;
};

enum config_secret_src {
	CONFIG_SECRET_NONE = 0,	/* no key: requests go unsigned */
	CONFIG_SECRET_INLINE,	/* `secret: BASE64` in the YAML */
	CONFIG_SECRET_FILE,	/* `secret_file:` holds only the base64 */
	CONFIG_SECRET_KEY_FILE,	/* `key_file:` holds `key NAME { ... };` */
};

struct config_key {
	enum config_secret_src	 src;
	char			*name;	/* NULL only with a key_file */
	enum omapi_alg		 alg;	/* hmac-md5 unless given */
	int			 alg_given;
	char			*secret;	/* CONFIG_SECRET_INLINE: base64 */
	char			*path;	/* SECRET_FILE, KEY_FILE */
	int			 line;	/* of the source, for messages */
	int			 col;
	struct omapi_key	*loaded; /* the key; NULL: unsigned */
};

struct config_sweep {
	int		enabled;	/* a sweep block is present */
	uint32_t	interval_ms;
	uint32_t	max_rate;	/* requests per second; 0: no limit */
	unsigned	window;		/* requests in flight */
	unsigned	connections;	/* 0: automatic */
	uint64_t	naddrs;		/* addresses of all pools */
};

/* Opt-in per-lease series (lease_info:), from the sweep. */
struct config_lease_info {
	int		enabled;
	uint32_t	max_series;	/* leases given series, at most */
};

/*
 * log: dhcpd's log (config_log.c): exactly one source, and how lines are
 * matched to the server when several servers share a syslog listener.
 */
enum config_log_kind {
	CONFIG_LOG_NONE = 0,
	CONFIG_LOG_SYSLOG,	/* "unix:/PATH" or "udp://HOST:PORT" */
	CONFIG_LOG_FILE,	/* a file, followed like tail -F */
	CONFIG_LOG_JOURNAL,	/* a unit, or FIELD=VALUE */
};

#define CONFIG_LOG_ALLOW_MAX	16

struct config_log {
	enum config_log_kind	 kind;
	char			*target;	/* URL, path, unit or match */
	char			*host;		/* log.host, or NULL */
	long			 owner;		/* socket_owner uid; -1 */
	long			 group;		/* socket_group gid; -1 */
	int			 mode;		/* socket_mode; -1: 0660 */
	char			*allow[CONFIG_LOG_ALLOW_MAX];
	size_t			 nallow;	/* allowed_sources (UDP) */
	char			*journal_dir;	/* journal_directory */
	int			 line;
	int			 col;
};

struct config_server {
	char			*name;		/* the `server` label */
	char			*address;	/* IPv4, IPv6 or host name; NULL:
						 * no OMAPI (dhcpd_conf and
						 * leases_file only) */
	uint16_t		 port;
	uint32_t		 timeout_ms;	/* per reply */
	uint32_t		 connect_timeout_ms;
	size_t			 max_message_size;
	struct config_key	 key;
	struct config_sweep	 sweep;
	struct config_lease_info lease_info;
	struct config_pool	*pools;
	size_t			 npools;
	struct config_host	*hosts;
	size_t			 nhosts;
	int			 line;
	int			 col;
	char			*dhcpd_conf;	/* path, or NULL */
	char			*leases_file;	/* path, or NULL */
	struct dhcpdconf	*dconf;		/* what it declares */
	double			 dconf_loaded;	/* epoch s of that read */
	int			 no_omapi;	/* it has no omapi-port */
	/*
	 * Failover peers and classes to watch (config_failover.c): those
	 * dhcpd.conf declares (classes with a lease limit), those the YAML
	 * lists, and the pools' failover_peer, each name once.
	 */
	char			**peers;
	size_t			 npeers;
	char			**classes;
	size_t			 nclasses;
	struct config_log	 log;
};

struct config {
	char			*file;		/* as given to config_load */
	char			*listen;	/* HOST:PORT */
	uint32_t		 poll_interval_ms;
	struct config_server	*servers;
	size_t			 nservers;
};

/* ---- config.c ---- */
int	 config_load(const char *path, struct config **,
	    struct config_errors *);
int	 config_load_buffer(const char *name, const char *data, size_t len,
	    struct config **, struct config_errors *);
int	 config_load_unkeyed(const char *path, const char *data, size_t len,
	    struct config **, struct config_errors *);
void	 config_free(struct config *);

/* ---- config_cred.c ---- */
int	 config_cred_source(const char *path, char *src, size_t srclen,
	    char *err, size_t errlen);
int	 config_cred_copy(const char *path, char *out, size_t outlen,
	    char *err, size_t errlen);

/* ---- config_omapi.c ---- */
void	 config_dhcpdconf_opts(struct dhcpdconf_opts *);

/* ---- config_parse.c ---- */
int	 config_parse_range(const char *, uint32_t *first, uint32_t *last,
	    char *err, size_t errlen);
int	 config_listen_check(const char *, char *err, size_t errlen);


/*
 * webconfig.c: --web.config.file, in the exporter-toolkit format that
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

/* ---- yamlread.c: a regular file, read whole with a size cap, never blocking ---- */
int	 yread_file(const char *path, size_t max, char **out, size_t *outlen,
	    mode_t *, char *err, size_t errlen);

#endif /* EXPORTER_CONFIG_H */
