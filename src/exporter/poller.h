/*
 * poller.h: the exporter's polling side.  One thread per configured server
 * keeps one OMAPI connection, refreshes pool counters and hosts every
 * poll_interval, sweeps the configured ranges every sweep interval, and
 * publishes a new snapshot after each step, so scrapes never wait on a poll.
 */
#ifndef POLLER_H
#define POLLER_H

#include <pthread.h>
#include <stdint.h>

#include "config.h"
#include "snapshot.h"

struct pool_result {
	uint32_t	handle;		/* dhcpd's pool object; 0: unresolved */
	int		counters_known;
	uint64_t	addresses;
	uint64_t	free;
	uint64_t	backup;
};

struct sweep_agg {
	int		known;
	uint64_t	states[SNAPSHOT_NSTATES];
	uint64_t	expiring[SNAPSHOT_NEXPIRY];
	int64_t		earliest_end;
};

struct host_result {
	int	present;
	char	mac[64];
	char	ip[16];
};

/* One address range of one pool, in sweep order. */
struct swept_range {
	uint32_t	first;
	uint32_t	last;
	size_t		pool;
};

/* A sweep under way, done a slice at a time between polls. */
struct sweep_run {
	int		 active;
	size_t		 range;		/* index into server_state.ranges */
	uint64_t	 next;		/* next address within it */
	double		 started;
	struct sweep_agg *work;		/* per pool */
	int		 failed;
};

struct server_state {
	const struct config_server *cfg;
	uint32_t		 poll_interval_ms;
	struct omapi_key	*key;		/* keypage.c; NULL: unsigned */
	int			 keyed;

	pthread_mutex_t		 conn_mtx;	/* conn vs. interrupt */
	struct omapi_conn	*conn;
	double			 next_connect;
	uint32_t		 backoff_ms;
	uint64_t		 closed_requests;
	uint64_t		 unmatched_seen;	/* on this connection */
	int			 handles_resolved;
	int			 shared_pools_warned;
	char			 last_error[OMAPI_ERRLEN];
	int			 failing;	/* an outage is under way: it is
						 * logged where it starts and ends,
						 * not at every poll */

	struct swept_range	*ranges;
	size_t			 nranges;
	struct sweep_run	 run;

	/* Results, read by the publisher under the poller's mutex. */
	int			 up;
	double			 last_poll;
	double			 poll_duration;
	double			 last_sweep;
	double			 sweep_duration;
	uint64_t		 polls;
	uint64_t		 errors[SNAPSHOT_NREASONS];
	uint64_t		 resets;
	struct pool_result	*pools;
	struct sweep_agg	*sweep;
	struct host_result	*hosts;
};

/* ---- server.c ---- */
int	 server_init(struct server_state *, const struct config_server *,
	    uint32_t poll_interval_ms, char *err, size_t errlen);
void	 server_free(struct server_state *);
int	 server_connect(struct server_state *, double now);
void	 server_disconnect(struct server_state *);
void	 server_interrupt(struct server_state *);
void	 server_count_error(struct server_state *, const struct omapi_error *);
uint64_t server_requests(struct server_state *);
void	 server_count_unmatched(struct server_state *);
int	 server_poll(struct server_state *, struct pool_result *,
	    struct host_result *);

/* ---- pipeline.c: n requests with a window in flight ---- */
/* Fill req for item i; its name/value storage must last until it returns
 * to pipeline_run (the request is encoded at once). */
typedef void pipeline_make_fn(void *arg, size_t i, struct omapi_request *req);
typedef void pipeline_done_fn(void *arg, size_t i, const struct omapi_msg *,
    const struct omapi_error *);

int	 pipeline_run(struct omapi_conn *, size_t n, unsigned window,
	    pipeline_make_fn *, pipeline_done_fn *, void *arg,
	    struct omapi_error *);

/* ---- sweeper.c ---- */
int	 sweeper_init(struct server_state *);
int	 sweeper_start(struct server_state *, double now);
int	 sweeper_slice(struct server_state *, unsigned max_addrs, int *done);
void	 sweeper_abort(struct server_state *);

/* ---- poller.c ---- */
struct poller;

struct poller *poller_new(const struct config *, struct snapshot_store *,
	    char *err, size_t errlen);
int	 poller_start(struct poller *, char *err, size_t errlen);
void	 poller_stop(struct poller *);
int	 poller_once(struct poller *);
void	 poller_free(struct poller *);

#endif /* POLLER_H */
