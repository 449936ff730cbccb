/*
 * poll/poll.h: the exporter's polling side.  One worker thread per configured
 * server keeps that server's connection, polls pool counters and hosts
 * every poll_interval and sweeps its ranges a slice at a time in between
 * (poll/poll_int.h); after every step it hands a copy of its results to the
 * poller, which publishes a new snapshot, so scrapes never wait on a poll.
 *
 * Threads and state: each worker owns its struct server outright.  The
 * poller's mutex guards only the handed-over copies (struct
 * server_result) and the stop flag; the publisher reads nothing else.
 *
 * Stopping is prompt whatever a server does: a flag for the sleepers and
 * an eventfd that every wait of every connection watches (connect, OMAPI
 * greeting, replies), so SIGTERM and SIGHUP are served within a second.
 */
#ifndef EXPORTER_POLL_H
#define EXPORTER_POLL_H

#include "config/config.h"
#include "metrics/metrics.h"

struct poller;

struct poller *poller_new(const struct config *, struct snapshot_store *,
	    char *err, size_t errlen);
void	 poller_adopt(struct poller *, struct poller *old);
void	 poller_conf_failed(struct poller *, const struct config_errors *);
int	 poller_start(struct poller *, char *err, size_t errlen);
void	 poller_stop(struct poller *);
void	 poller_pause(struct poller *);
int	 poller_once(struct poller *);
void	 poller_free(struct poller *);

#endif /* EXPORTER_POLL_H */
