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
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "errsink.h"
#include "omapi.h"

struct dhcpdconf;

/* Defaults. */
#define CONFIG_DEFAULT_LISTEN		"0.0.0.0:9367"
#define CONFIG_DEFAULT_POLL_MS		15000
#define CONFIG_DEFAULT_TIMEOUT_MS	2000
#define CONFIG_DEFAULT_SWEEP_MS		60000
#define CONFIG_DEFAULT_MAX_RATE		5000
#define CONFIG_DEFAULT_WINDOW		OMAPI_SWEEP_DEFAULT_WINDOW

/* Caps; those snapshot.h also has (SNAPSHOT_*_MAX) have the same values. */
#define CONFIG_STR_MAX		256	/* bytes in a name or label value */
#define CONFIG_LABELS_MAX	16	/* extra labels per pool */
#define CONFIG_SERVERS_MAX	256
#define CONFIG_POOLS_MAX	16384	/* per server */
#define CONFIG_HOSTS_MAX	16384	/* per server */
#define CONFIG_RANGES_MAX	4096	/* per pool */
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
	char			*failover_peer;
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

struct config_server {
	char			*name;		/* the `server` label */
	char			*address;	/* IPv4, IPv6 or host name */
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
	struct dhcpdconf	*dconf;		/* what it declares */
	double			 dconf_loaded;	/* epoch s of that read */
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

/* ---- config_parse.c ---- */
int	 config_parse_range(const char *, uint32_t *first, uint32_t *last,
	    char *err, size_t errlen);
int	 config_listen_check(const char *, char *err, size_t errlen);

/* ---- config_check.c ---- */
uint64_t config_body_max(const struct config *);

#endif /* CONFIG_H */
