/*
 * server.h: one dhcpd as its worker thread sees it.
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
 *   poll.c      one poll: pool handles, pool counters, hosts
 *   sweeper.c   the sweep of every configured range, a slice at a time
 *   publish.c   a handed-over result as snapshot series
 */
#ifndef SERVER_H
#define SERVER_H

#include <stdint.h>

#include "config.h"
#include "snapshot.h"

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
	struct sweep_agg	sweep;		/* last complete sweep */
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
	struct server_counters	 counters;
	struct pool_result	*pools;
	struct host_result	*hosts;
	struct leasetab		*leases;	/* lease_info: last complete
						 * sweep's (a reference) */
};

/* One address range of one pool, in sweep order. */
struct swept_range {
	uint32_t	first;
	uint32_t	last;
	size_t		pool;
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
};

struct server {
	const struct config_server *cfg;
	struct omapi_key	*key;		/* keypage.c; NULL: unsigned */
	int			 cancel_fd;	/* readable: stop now */

	struct omapi_conn	*conn;
	double			 next_connect;
	uint32_t		 backoff_ms;
	uint64_t		 closed_requests; /* of connections closed */
	uint64_t		 unmatched_seen;  /* on this connection */
	int			 handles_resolved;
	int			 merged_warned;
	uint8_t			*unresolved_logged; /* per pool */
	char			 last_error[OMAPI_ERRLEN];
	int			 failing;	/* an outage is under way */

	struct sweeper		 sweep;
	struct server_result	 res;		/* the worker's working copy */
};

/* ---- server.c ---- */
int	 server_init(struct server *, const struct config_server *,
	    int cancel_fd, char *err, size_t errlen);
void	 server_free(struct server *);
int	 server_connect(struct server *, double now);
void	 server_disconnect(struct server *);
void	 server_count_error(struct server *, const struct omapi_error *);
void	 server_sync_counters(struct server *);
int	 server_result_alloc(struct server_result *,
	    const struct config_server *);
void	 server_result_free(struct server_result *);
void	 server_result_copy(struct server_result *dst,
	    const struct server_result *src, const struct config_server *);

/* ---- poll.c ---- */
int	 server_poll(struct server *, struct pool_result *,
	    struct host_result *);

/* ---- publish.c ---- */
int	 publish_server(struct snapshot *, const struct config_server *,
	    const struct server_result *);

/* ---- sweeper.c ---- */
int	 sweeper_init(struct sweeper *, const struct config_server *);
void	 sweeper_free(struct sweeper *);
int	 sweeper_start(struct sweeper *, double now);
int	 sweeper_slice(struct sweeper *, struct omapi_conn *,
	    unsigned max_addrs, int *done, struct omapi_error *);
void	 sweeper_abort(struct sweeper *);

#endif /* SERVER_H */
