/*
 * poll/poll_int.h: shared by the files of the poll stage only: one
 * server's worker state, its poll, failover poll, sweep and publishing.
 */
#ifndef EXPORTER_POLL_INT_H
#define EXPORTER_POLL_INT_H

#include <stdint.h>
#include <string.h>

#include "poll.h"

/*
 * server.c: one dhcpd as its worker thread sees it.
 *
 * Ownership, the rule that keeps the poller free of data races: a struct
 * server belongs to exactly one thread, its worker (or the main thread in
 * --once), from server_init to server_free.  Nothing else reads or writes
 * it.  What the rest of the exporter may see is struct server_result, a
 * plain copy the worker hands over (poller.c) at the end of every step.
 * The one thing a copy shares is the lease table of a finished sweep
 * (lease_info): nobody changes it once handed over, and each holder keeps
 * a reference (leasetab.c).
 *
 *   server.c    the connection (backoff, reconnect) and the counters
 *   server_poll.c  one poll: pool handles, pool counters, hosts
 *   server_failover.c  the failover peers and the classes of that poll
 *   sweeper.c   the sweep of every configured range, a slice at a time
 *   sweeprate.c the sweep's rate, adapted to dhcpd's reply times
 *   publish.c   a handed-over result as snapshot series
 */



/* Whether dhcpd serves a configured pool (resolution of its handle). */
enum pool_resolution {
	POOL_UNKNOWN = 0,	/* not asked yet */
	POOL_RESOLVED,		/* dhcpd has a pool object for it */
	POOL_UNRESOLVED,	/* dhcpd answered "not found" or an error */
};

struct sweep_agg {
	int		known;
	uint64_t	states[SNAPSHOT_NSTATES];
	uint64_t	expiring[SNAPSHOT_NEXPIRY];
	int64_t		earliest_end;
	uint64_t	seen[SNAPSHOT_NSEEN];	/* active, by cltt */
	int64_t		last_cltt;	/* newest cltt of any lease; 0: none */
};

struct pool_result {
	uint32_t		handle;		/* dhcpd's pool object; 0: none */
	enum pool_resolution	resolution;
	int			counters_known;
	uint64_t		addresses;
	uint64_t		free;
	uint64_t		backup;
	uint32_t		unserved;	/* its ranges dhcpd answers
						 * "not found" (dhcpd.conf) */
	struct sweep_agg	sweep;		/* last complete sweep */
};

/*
 * One range6 or prefix6 of the server's dhcpd6.conf (cfg->dconf->ranges6,
 * same index), counted from the leases file at every poll.
 */
struct pool6_result {
	uint64_t	states[SNAPSHOT_NSTATES];
	uint64_t	expiring[SNAPSHOT_NEXPIRY];	/* active, cumulative */
	int64_t		last_cltt;	/* newest cltt; 0: none */
};

/* The leases file (leases_file:) as the worker read it. */
struct lfile_result {
	int		 configured;
	double		 last_read;	/* epoch s of the last good read */
	uint64_t	 errors;	/* failed reads and bad stanzas */
	uint64_t	 bytes;		/* read, every file dhcpd wrote */
};

struct host_result {
	int	present;
	char	mac[64];
	char	ip[16];
};

/* Counters since the exporter started: they survive reloads (poller.c). */
struct server_counters {
	uint64_t	polls;
	uint64_t	requests;	/* OMAPI requests sent */
	uint64_t	errors[SNAPSHOT_NREASONS];
	uint64_t	resets;		/* connections lost and reopened */
};

/*
 * Everything published about one server.  Arrays are sized by the
 * server's configuration (npools, nhosts) and never change size.
 */
struct server_result {
	int			 up;
	int			 sweep_enabled;
	double			 last_poll;	/* epoch s; 0: never */
	double			 poll_duration;
	double			 last_sweep;	/* end of last sweep; 0: never */
	double			 sweep_duration;
	double			 sweep_rate_limit; /* in force; 0: none */
	unsigned		 sweep_connections;
	struct server_counters	 counters;
	struct pool_result	*pools;
	struct host_result	*hosts;
	struct leasetab		*leases;	/* lease_info: last complete
						 * sweep's (a reference) */
	struct snapshot_fo	*peers;		/* per cfg->peers */
	struct snapshot_cls	*classes;	/* per cfg->classes */
	struct pool6_result	*pools6;	/* per cfg->dconf->ranges6 */
	size_t			 npools6;
	struct lfile_result	 lfile;
};

/* One address range of one pool, in sweep order. */
struct swept_range {
	uint32_t	first;
	uint32_t	last;
	size_t		pool;
};

/* sweeprate.c's window of slice medians: SLOTS slots over WINDOW_US. */
#define SWEEPRATE_WINDOW_US	10000000
#define SWEEPRATE_SLOTS		5

struct sweeprate_slot {
	int64_t		slot;		/* monotonic time / slot length */
	uint64_t	min_us;		/* lowest slice median in it; 0: none */
};

/* The sweep of one server: its ranges and the run under way. */
struct sweeper {
	const struct config_server *cfg;
	struct swept_range	*ranges;	/* sorted, never overlapping */
	size_t			 nranges;
	int			 active;
	size_t			 range;		/* index into ranges */
	uint64_t		 next;		/* next address within it */
	double			 started;
	struct sweep_agg	*work;		/* per pool */
	struct leasetab		*leases;	/* lease_info, this run */
	uint64_t		 status_errors;	/* answers neither lease nor
						 * "not found", this slice */
	unsigned		 slice_cap;	/* addresses per slice at most;
						 * 0: by the rate alone */
	uint64_t		 retried;	/* asked again: a connection
						 * broke (all sweeps) */
	/* Connections: configured, or grown while each one more helps. */
	unsigned		 conns;		/* in use now */
	int			 conns_settled;
	double			 conns_rate;	/* lookups/s with conns - 1 */
	int64_t			 conns_settled_us; /* when last judged */
	/* DHCP comes first: the rate in force and what it is judged by. */
	double			 rate;		/* lookups/s; 0: no limit */
	struct sweeprate_slot	 rtt_win[SWEEPRATE_SLOTS]; /* the baseline */
};

/* server_poll.c's item arrays, sized once for the server's pools and ranges. */
struct poll_scratch {
	size_t		*index;		/* item -> pool */
	size_t		*rindex;	/* item -> range of the pool */
	size_t		*asked;		/* the pools a resolution asks for */
	char		**answer;	/* per pool: dhcpd's answer when it did
					 * not resolve (strdup, freed per poll) */
};

struct server {
	const struct config_server *cfg;
	const struct omapi_key	*key;		/* the config's; NULL: unsigned */
	int			 cancel_fd;	/* readable: stop now */

	struct omapi_conn	*conn;		/* polls, and a sweep's first */
	struct omapi_conn	*extra[OMAPI_SWEEP_CONNS_MAX - 1]; /* sweep */
	uint64_t		 extra_unmatched[OMAPI_SWEEP_CONNS_MAX - 1];
	double			 next_connect;
	uint32_t		 backoff_ms;
	uint64_t		 closed_requests; /* of connections closed */
	uint64_t		 unmatched_seen;  /* on this connection */
	int			 handles_resolved;
	int			 merged_warned;
	uint8_t			*unresolved_logged; /* per pool */
	uint64_t		 unserved_logged; /* dhcpd.conf ranges */
	uint64_t		 conf_seen;	/* dhcpd.conf files as last seen */
	uint8_t			*peer_logged;	/* per peer: "not found" */
	uint8_t			*class_logged;	/* per class: "not found" */
	uint64_t		 conf_hash;	/* their contents when loaded */
	char			 last_error[OMAPI_ERRLEN];
	int			 failing;	/* an outage is under way */

	/*
	 * The schedule, in poll_clock() seconds (CLOCK_MONOTONIC: a step
	 * of the wall clock moves no poll).  A reload carries it over, so
	 * a SIGHUP neither brings a poll forward nor restarts a sweep.
	 */
	int			 scheduled;	/* next_* are set */
	double			 next_poll;
	double			 next_sweep;

	struct poll_scratch	 scratch;
	struct sweeper		 sweep;
	struct leases		*leases;	/* leases_file's reader */
	int			 lfile_failing;	/* its last read failed */
	struct server_result	 res;		/* the worker's working copy */
};

/* ---- server.c ---- */
double	 poll_clock(void);
int	 server_init(struct server *, const struct config_server *,
	    int cancel_fd, char *err, size_t errlen);
void	 server_free(struct server *);
int	 server_connect(struct server *, double now);
size_t	 server_sweep_conns(struct server *, unsigned want,
	    struct omapi_conn **);
void	 server_disconnect(struct server *);
void	 server_count_error(struct server *, const struct omapi_error *);
void	 server_sync_counters(struct server *);
int	 server_conf_changed(struct server *);
int	 server_result_alloc(struct server_result *,
	    const struct config_server *);
void	 server_result_free(struct server_result *);
void	 server_result_copy(struct server_result *dst,
	    const struct server_result *src, const struct config_server *);

/* ---- server_poll.c ---- */
int	 server_poll(struct server *, struct pool_result *,
	    struct host_result *);

/* ---- server_leases.c ---- */
int	 server_leases_init(struct server *);
void	 server_leases_free(struct server *);
int	 server_leases_poll(struct server *, struct pool_result *);
void	 server_leases_adopt(struct server *, struct server *old);

/* Whether two optional strings (a NULL address: no OMAPI) are the same. */
static inline int
poll_same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* ---- server_failover.c ---- */
int	 server_failover_poll(struct server *);
void	 server_failover_adopt(struct server *, const struct server *old,
	    const struct server_result *);

/* ---- publish.c ---- */
/* What the poller knows of a server's dhcpd.conf reads after the first. */
struct conf_reads {
	uint64_t	 errors;	/* reads that failed, ever */
	int		 failing;	/* the last read failed */
};
int	 publish_server(struct snapshot *, const struct config_server *,
	    const struct server_result *, const struct conf_reads *);

/* ---- logreader.c: dhcpd's log, one thread for every source ---- */
struct logreader;
struct logreader *logreader_new(const struct config *, int cancel_fd,
	    void (*changed)(void *, size_t server), void *arg);
void	 logreader_adopt(struct logreader *, struct logreader *old);
int	 logreader_start(struct logreader *, char *err, size_t errlen);
void	 logreader_stop(struct logreader *);
void	 logreader_free(struct logreader *);
int	 logreader_publish(struct logreader *, size_t server,
	    struct snapshot_server *);

/* ---- sweeper.c ---- */
int	 sweeper_init(struct sweeper *, const struct config_server *);
void	 sweeper_free(struct sweeper *);
int	 sweeper_start(struct sweeper *, double now);
int	 sweeper_slice(struct sweeper *, struct omapi_conn *const *, size_t n,
	    int64_t deadline_us, int *done, struct omapi_error *);
void	 sweeper_abort(struct sweeper *);
void	 sweeper_adopt(struct sweeper *, struct sweeper *old);

/* ---- sweeprate.c: DHCP comes first ---- */
void	 sweeprate_adapt(struct sweeper *, const struct omapi_sweep_result *,
	    int64_t now_us);

#endif /* EXPORTER_POLL_INT_H */
