/*
 * metrics/metrics.h: the metrics stage: a snapshot of what was polled,
 * the table of per-lease series, and their rendering as Prometheus text.
 * Pure data and text: no I/O, no threads of its own.
 */
#ifndef EXPORTER_METRICS_H
#define EXPORTER_METRICS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "omapi.h"
#include "dhcplog.h"
#include "config/config.h"

/*
 * snapshot.c: what one poll cycle produces, and how it is handed to the
 * HTTP threads.
 *
 * The poller builds a new struct snapshot each cycle with the builder
 * functions below (plain fields are set directly on the returned structs),
 * then gives it to snapshot_store_publish().  From then on the snapshot is
 * read-only: scrapes take a reference with snapshot_store_acquire(), read
 * it without any lock, and drop it with snapshot_release().  A scrape never
 * waits on a poll, and a poll never waits on a scrape beyond a pointer swap.
 *
 * Every string is copied in and must be valid UTF-8 of at most
 * CONFIG_STR_MAX bytes; every array has a cap.  Builders return NULL or -1
 * with errno set: ENOMEM, E2BIG (a cap is reached), ENAMETOOLONG, EILSEQ
 * (not UTF-8) or EINVAL (bad or reserved label name, duplicate label).
 */



/* The build's identity, for build_info; the Makefile sets both. */
#ifndef EXPORTER_VERSION
#define EXPORTER_VERSION "unknown"
#endif
#ifndef EXPORTER_COMMIT
#define EXPORTER_COMMIT "unknown"
#endif


/* Lease binding states 1 (free) .. 7 (backup); index 0 is unused. */
#define SNAPSHOT_NSTATES	8

/* Expiry horizons of active leases, in seconds: 5m, 15m, 1h, 4h, 24h. */
#define SNAPSHOT_NEXPIRY	5
extern const uint32_t snapshot_expiry_secs[SNAPSHOT_NEXPIRY];

/* Client activity horizons, cltt before the sweep read a lease: 5m-1h. */
#define SNAPSHOT_NSEEN		3
extern const uint32_t snapshot_seen_secs[SNAPSHOT_NSEEN];

/* Why an OMAPI exchange failed, as counted in the error metric. */
enum snapshot_reason {
	SNAPSHOT_ERR_TIMEOUT,
	SNAPSHOT_ERR_AUTH,
	SNAPSHOT_ERR_PROTOCOL,
	SNAPSHOT_ERR_STATUS,
	SNAPSHOT_ERR_CONNECTION,
	SNAPSHOT_NREASONS
};

struct snapshot_label {
	char	*name;
	char	*value;
};

/*
 * dhcpd_pool_info{ranges}: the first SNAPSHOT_RANGES_SHOWN ranges, then
 * "+N more" (a pool of 4,000 ranges made a 98 kB label: issue 21 item 7).
 */
#define SNAPSHOT_RANGES_SHOWN	16

struct snapshot_pool {
	char			*name;
	char			*shared_network; /* NULL: unknown (YAML pool) */
	char			*ranges;	/* "FIRST-LAST,..." ascending,
						 * ",+N more" past the shown */
	struct snapshot_label	*labels;	/* kept sorted by name */
	size_t			 nlabels;

	int			 resolution;	/* 1 dhcpd serves it, 0 it does
						 * not, -1 not asked yet */
	/* From the pool object's counters, every poll. */
	int			 counters_known; /* 0: pool not resolved */
	uint64_t		 addresses;	/* lease-count */
	uint64_t		 free;		/* free-leases */
	uint64_t		 backup;	/* backup-leases */
	char			*failover_peer;	/* the pool's peer, or NULL */

	/* From the last complete sweep (may be older than this poll). */
	int			 sweep_known;	/* 0: no sweep result yet */
	uint64_t		 states[SNAPSHOT_NSTATES];
	uint64_t		 expiring[SNAPSHOT_NEXPIRY]; /* cumulative */
	int64_t			 earliest_end;	/* epoch s; 0: no active */
	uint64_t		 seen[SNAPSHOT_NSEEN];	/* active, cumulative */
	int64_t			 last_cltt;	/* epoch s; 0: no lease has one */
};

/*
 * A DHCPv6 pool: a range6 (addresses; temporary ones: kind 1) or a
 * prefix6 (delegated prefixes: kind 2) of dhcpd6.conf, counted from the
 * leases file.  size is a double: a /64 range6 holds 2^64 addresses.
 */
enum snapshot_kind6 { SNAPSHOT_NA, SNAPSHOT_TA, SNAPSHOT_PD };

struct snapshot_pool6 {
	char			*name;
	char			*shared_network;
	enum snapshot_kind6	 kind;
	unsigned		 plen;		/* prefix6: delegated length */
	double			 size;
	int			 known;		/* the file was read */
	uint64_t		 states[SNAPSHOT_NSTATES];
	uint64_t		 expiring[SNAPSHOT_NEXPIRY]; /* cumulative */
	int64_t			 last_cltt;	/* epoch s; 0: none */
};

/* Values of a failover peer with the {server,peer} labels alone. */
enum snapshot_fo_param {
	SNAPSHOT_FO_MCLT,		/* mclt */
	SNAPSHOT_FO_UNACKED,		/* cur-unacked-updates */
	SNAPSHOT_FO_MAX_UNACKED,	/* max-outstanding-updates */
	SNAPSHOT_FO_MRD,		/* max-response-delay */
	SNAPSHOT_FO_LBMS,		/* load-balance-max-secs */
	SNAPSHOT_FO_NPARAMS
};

enum snapshot_fo_side { SNAPSHOT_FO_LOCAL, SNAPSHOT_FO_PARTNER,
	SNAPSHOT_FO_NSIDES };

/*
 * A failover peer as dhcpd's failover-state object tells it: plain
 * values, copied as they are from the worker to the snapshot.  Never the
 * local-address/partner-address, which are bytes of a C pointer.
 */
struct snapshot_fo {
	int		 found;		/* 1 dhcpd has it, 0 not, -1 not asked */
	int		 state_known[SNAPSHOT_FO_NSIDES];
	uint32_t	 state[SNAPSHOT_FO_NSIDES];	/* dhcpd's numbers */
	uint32_t	 stos[SNAPSHOT_FO_NSIDES];	/* epoch s; 0: unsent */
	int		 role;		/* 0 primary, 1 secondary, -1 unsent */
	int		 param_known[SNAPSHOT_FO_NPARAMS];
	uint64_t	 param[SNAPSHOT_FO_NPARAMS];
};

struct snapshot_peer {
	char			*name;
	struct snapshot_fo	 fo;
};

/* A class as dhcpd's class object tells it. */
struct snapshot_cls {
	int		 found;		/* 1 dhcpd has it, 0 not, -1 not asked */
	int		 limit_known;
	int		 used_known;
	uint64_t	 lease_limit;	/* lease-limit */
	uint64_t	 leases_used;	/* leases-used */
};

struct snapshot_class {
	char			*name;
	struct snapshot_cls	 c;
};

struct snapshot_host {
	char	*name;		/* configured name or MAC: the host label */
	int	 present;
	char	*mac;		/* set by snapshot_host_found(), else NULL */
	char	*ip;		/* fixed address, NULL when none */
};

/* A shared network's sums over its distinct dhcpd pools (publish.c). */
struct snapshot_shared {
	char		*name;
	uint64_t	 addresses;
	uint64_t	 free;
	uint64_t	 backup;
};

/*
 * The leases of one complete sweep that get per-lease series (leasetab.c):
 * immutable once handed over, shared by reference.
 */
struct leasetab_row {
	uint32_t	ip;		/* host order */
	uint32_t	ends;		/* epoch s; 0 unset, ~0 never */
	uint32_t	pool;		/* index into the server's pools */
	uint32_t	hostname;	/* offset into text; 0: none */
	uint8_t		state;
	uint8_t		hwlen;
	uint8_t		hw[16];
};

struct leasetab {
	atomic_uint		 refs;
	uint32_t		 max;		/* rows kept at most */
	uint64_t		 dropped;	/* leases past max (or ENOMEM) */
	struct leasetab_row	*rows;
	size_t			 nrows;
	size_t			 cap;
	char			*text;		/* hostnames, NUL-terminated */
	size_t			 textlen;
	size_t			 textcap;
};

/*
 * dhcpd's log, for a server with `log:` (poll/logreader.c): the counters
 * since the exporter started, and the failures as they stood about an
 * hour ago (for the status page's "last hour").
 */
struct snapshot_log {
	int			  up;		/* source readable / listening */
	struct dhcplog_counts	  counts;
	struct dhcplog_counts	  hour_ago;
	uint64_t		  other_host;	/* lines of another server */
	uint64_t		  refused;	/* UDP from unlisted sources */
};

struct snapshot_server {
	atomic_uint		  refs;		/* snapshots that hold it: an
						 * unchanged server's part is
						 * shared, not built again */
	char			 *name;
	int			  up;
	int			  sweep_enabled;
	double			  sweep_rate_limit; /* lookups/s; 0: none */
	unsigned		  sweep_connections; /* 0: none open yet */
	double			  last_poll;	/* epoch s; 0: never */
	double			  poll_duration; /* seconds */
	double			  last_sweep;	/* end of last sweep; 0: never */
	double			  sweep_duration; /* seconds */

	/* Self-metrics: counters since the exporter started. */
	uint64_t		  polls;
	uint64_t		  requests;	/* OMAPI requests sent */
	uint64_t		  errors[SNAPSHOT_NREASONS];
	uint64_t		  resets;	/* connections lost/reopened */

	struct snapshot_pool	**pools;
	size_t			  npools;
	size_t			  poolcap;
	struct snapshot_host	**hosts;
	size_t			  nhosts;
	size_t			  hostcap;

	struct snapshot_shared	 *shared;	/* sorted by name */
	size_t			  nshared;

	/* dhcpd.conf discovery (config_discover.c); has_conf 0: none. */
	int			  has_conf;
	double			  conf_loaded;	/* epoch s of the last good read */
	uint64_t		  conf_errors;	/* reads that failed, ever */
	int			  conf_failing;	/* the last read failed */
	uint64_t		  unserved_ranges;
	/* lease_info: enabled, and the last sweep's table (a reference,
	 * released with the snapshot; NULL before the first sweep). */
	int			  lease_info;
	struct leasetab		 *leases;
	struct snapshot_peer	**peers;
	size_t			  npeers;
	size_t			  peercap;
	struct snapshot_class	**classes;
	size_t			  nclasses;
	size_t			  classcap;
	/* leases_file: the file's reads, and the DHCPv6 pools */
	int			  has_leases_file;
	double			  leases_read;	/* epoch s; 0: never */
	uint64_t		  leases_errors;
	uint64_t		  leases_bytes;
	struct snapshot_pool6	 *pools6;
	size_t			  npools6;
	struct snapshot_log	 *log;		/* NULL: no `log:` */
};

struct snapshot {
	atomic_uint		  refs;
	double			  created;	/* epoch s */
	/* The last reload of the whole configuration (snapshot_store's,
	 * copied in when published): 1 it took, 0 it was refused. */
	int			  reload_ok;
	double			  reload_success; /* epoch s of the last good */
	size_t			  body_max;	/* its /metrics at most (from the
						 * configuration); 0: the default */
	uint64_t		  seq;		/* its publisher's order: the
						 * store never takes an older */
	char			 *version;
	char			 *commit;
	struct snapshot_server	**servers;
	size_t			  nservers;
	size_t			  servercap;

	/*
	 * The /metrics body, rendered at most once per snapshot on first
	 * use; the only part that changes after publishing, only in
	 * bodycache.c, always under cache_mtx.  state: 0 not yet, 1 done,
	 * -1 failed.
	 */
	pthread_mutex_t		  cache_mtx;
	int			  text_state;
	int			  gz_state;
	struct omapi_buf	  text;
	struct omapi_buf	  gz;
};

/* Holds the current snapshot; one per exporter. */
struct snapshot_store {
	pthread_mutex_t		 mtx;
	struct snapshot		*cur;		/* NULL until the first poll */
	uint64_t		 generation;	/* publishes so far */
	int			 reload_ok;	/* see struct snapshot */
	double			 reload_success;
};

/* ---- snapshot.c ---- */
const char	*snapshot_state_name(unsigned);
const char	*snapshot_reason_name(enum snapshot_reason);
int		 snapshot_reason_from_omapi(enum omapi_errcode);
double		 snapshot_now(void);

struct snapshot	*snapshot_new(const char *version, const char *commit);
struct snapshot	*snapshot_ref(struct snapshot *);
void		 snapshot_release(struct snapshot *);
int		 snapshot_share_server(struct snapshot *,
		    struct snapshot_server *);
struct snapshot_server *snapshot_add_server(struct snapshot *,
		    const char *name);
struct snapshot_pool *snapshot_server_add_pool(struct snapshot_server *,
		    const char *name);
int		 snapshot_pool_add_label(struct snapshot_pool *,
		    const char *name, const char *value);
int		 snapshot_pool_set_info(struct snapshot_pool *,
		    const char *shared_network, const char *ranges);
struct snapshot_shared *snapshot_server_add_shared(struct snapshot_server *,
		    const char *name);
struct snapshot_host *snapshot_server_add_host(struct snapshot_server *,
		    const char *name);
int		 snapshot_host_found(struct snapshot_host *, const char *mac,
		    const char *ip);
int		 snapshot_pool_set_peer(struct snapshot_pool *,
		    const char *peer);
struct snapshot_peer *snapshot_server_add_peer(struct snapshot_server *,
		    const char *name);
struct snapshot_class *snapshot_server_add_class(struct snapshot_server *,
		    const char *name);
int		 snapshot_server_set_pools6(struct snapshot_server *,
		    size_t n);
int		 snapshot_pool6_set_names(struct snapshot_pool6 *,
		    const char *name, const char *shared_network);
int		 snapshot_server_set_log(struct snapshot_server *,
		    const struct snapshot_log *);

int		 snapshot_store_init(struct snapshot_store *);
void		 snapshot_store_destroy(struct snapshot_store *);
void		 snapshot_store_publish(struct snapshot_store *,
		    struct snapshot *);
struct snapshot	*snapshot_store_acquire(struct snapshot_store *);
int		 snapshot_store_ready(struct snapshot_store *);
void		 snapshot_store_reloaded(struct snapshot_store *, int ok);

/* ---- leasetab.c ---- */
struct leasetab	*leasetab_new(uint32_t max);
struct leasetab	*leasetab_ref(struct leasetab *);
void		 leasetab_release(struct leasetab *);
void		 leasetab_add(struct leasetab *, uint32_t ip, size_t pool,
		    const struct omapi_lease *);
void		 leasetab_finish(struct leasetab *);
int		 leasetab_wants(uint32_t state);

/*
 * render.c: a snapshot as Prometheus text exposition format 0.0.4, and as
 * the HTML status page.  Pure: no I/O, no logging, no globals, no locks;
 * the snapshot is only read (the HTTP side keeps its rendered body:
 * web/web_int.h).
 */



#define RENDER_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/* Default hard cap on one rendered body (1,000 pools take about 2 MiB). */
#define RENDER_DEFAULT_MAX	(32u * 1024 * 1024)

/* ---- render.c ---- */
int	 render_metrics(struct omapi_buf *, const struct snapshot *);
int	 render_label_value(struct omapi_buf *, const char *);
int	 render_help_text(struct omapi_buf *, const char *);
int	 render_double(struct omapi_buf *, double);

/* ---- render_log.c: the families of dhcpd's log ---- */
int	 render_log_metrics(struct omapi_buf *, const struct snapshot *);

/* ---- render_size.c ---- */
uint64_t render_body_max(const struct config *);
size_t	 render_body_limit(const struct config *);
int	 render_check_size(const struct config *, struct config_errors *);
size_t	 render_limit(const struct snapshot *, size_t floor);

#endif /* EXPORTER_METRICS_H */
