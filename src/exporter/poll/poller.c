/*
 * poller.c: one worker thread per server, each keeping its own schedule of
 * polls and sweep slices, and the publisher that turns every server's
 * handed-over results into one immutable snapshot for the HTTP side.
 *
 * A hung or slow server delays nobody but itself.  See poll/poll.h for who
 * owns what and how stopping stays prompt.
 */
#include <sys/eventfd.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "poll_int.h"

struct worker {
	struct poller		*p;
	size_t			 i;
	struct server		 s;	/* owned by the thread, see poll/poll_int.h */
	pthread_t		 thread;
	int			 started;
};

/*
 * At most one snapshot rebuild per period while anything changes: a poll's
 * result reaches /metrics within it (plus one rebuild), and the rebuilds per
 * second stay the same whatever the number of servers, so the work per
 * interval grows with servers x pools once, not twice.
 */
#define PUBLISH_PERIOD		0.1	/* s */
/* A reload lets a worker end its step (a sweep slice) for this long before
 * it cancels what still waits on the network. */
#define PAUSE_GRACE		0.5	/* s */

struct poller {
	const struct config	*cfg;
	struct snapshot_store	*store;
	int			 cancel_fd;	/* eventfd; readable: stop */
	/*
	 * mtx guards results[], conf[], handed[], changed, published,
	 * running and stopping.  Both conditions use CLOCK_MONOTONIC.
	 */
	pthread_mutex_t		 mtx;
	pthread_cond_t		 wake;		/* sleeping workers; stop */
	pthread_cond_t		 pub_wake;	/* the publisher: a handover */
	int			 stopping;
	int			 serving;	/* started: a daemon, not --once */
	unsigned		 running;	/* workers not yet returned */
	size_t			 body_max;	/* of every snapshot published */
	struct server_result	*results;	/* handed over, per server */
	struct conf_reads	*conf;		/* per server: dhcpd.conf reads */
	uint64_t		 changed;	/* handovers so far (and adopted) */
	uint64_t		*handed;	/* per server: `changed` at its last */
	uint64_t		 published;	/* `changed` when last taken */
	/* The publisher's own copies: read and written by it alone. */
	struct server_result	*pub;
	struct conf_reads	*pub_conf;
	uint64_t		*pub_seen;	/* per server: handed[] taken */
	uint64_t		*pub_built;	/* per server: pub_seen[] in prev */
	struct snapshot		*prev;		/* the last one built (a ref):
						 * unchanged servers' parts
						 * are shared from it */
	pthread_t		 publisher;
	int			 publisher_started;
	struct worker		*workers;
	size_t			 nservers;	/* initialised so far */
	struct logreader	*lr;		/* dhcpd's log (logreader.c) */
};

/*
 * The log reader handed new counters of server i over (to itself, under
 * its own lock): the server changed, its part of the snapshot is rebuilt.
 */
static void
poller_log_changed(void *arg, size_t i)
{
	struct poller *p = arg;

	pthread_mutex_lock(&p->mtx);
	p->handed[i] = ++p->changed;
	pthread_cond_signal(&p->pub_wake);
	pthread_mutex_unlock(&p->mtx);
}

/* An eventfd above 2, so the library takes it for a cancel descriptor. */
static int
cancel_fd_new(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), high;

	if (fd == -1 || fd > 2)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return high;
}

/* A condition variable whose timed waits run on CLOCK_MONOTONIC. */
static int
mono_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t ca;
	int rc;

	if (pthread_condattr_init(&ca) != 0)
		return -1;
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(cv, &ca) == 0 ? 0 : -1;
	pthread_condattr_destroy(&ca);
	return rc;
}

/*
 * Wait on cv (mtx held) until signalled or until `until` (poll_clock s).
 * The caller re-checks its own deadline: a wake-up may come early.
 */
static void
cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mtx, double until)
{
	struct timespec ts;
	double left = until - poll_clock();

	if (left <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)left;
	ts.tv_nsec += (long)((left - (double)(time_t)left) * 1e9);
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(cv, mtx, &ts);
}

struct poller *
poller_new(const struct config *cfg, struct snapshot_store *store, char *err,
    size_t errlen)
{
	struct poller *p;
	size_t i, n = cfg->nservers + 1;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	p->cancel_fd = -1;
	pthread_mutex_init(&p->mtx, NULL);
	if (mono_cond_init(&p->wake) == -1 ||
	    mono_cond_init(&p->pub_wake) == -1) {
		snprintf(err, errlen, "pthread_cond_init failed");
		free(p);
		return NULL;
	}
	p->cfg = cfg;
	p->store = store;
	p->body_max = render_body_limit(cfg);
	if ((p->results = calloc(n, sizeof(*p->results))) == NULL ||
	    (p->pub = calloc(n, sizeof(*p->pub))) == NULL ||
	    (p->workers = calloc(n, sizeof(*p->workers))) == NULL ||
	    (p->conf = calloc(n, sizeof(*p->conf))) == NULL ||
	    (p->pub_conf = calloc(n, sizeof(*p->pub_conf))) == NULL ||
	    (p->handed = calloc(n, sizeof(*p->handed))) == NULL ||
	    (p->pub_seen = calloc(n, sizeof(*p->pub_seen))) == NULL ||
	    (p->pub_built = calloc(n, sizeof(*p->pub_built))) == NULL)
		goto nomem;
	if ((p->cancel_fd = cancel_fd_new()) == -1) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if ((p->lr = logreader_new(cfg, p->cancel_fd, poller_log_changed,
	    p)) == NULL)
		goto nomem;
	for (i = 0; i < cfg->nservers; i++) {
		p->workers[i].p = p;
		p->workers[i].i = i;
		if (server_init(&p->workers[i].s, &cfg->servers[i],
		    p->cancel_fd, err, errlen) == -1)
			goto fail;
		if (server_result_alloc(&p->results[i], &cfg->servers[i]) ==
		    -1 || server_result_alloc(&p->pub[i], &cfg->servers[i]) ==
		    -1) {
			server_result_free(&p->results[i]);
			server_free(&p->workers[i].s);
			goto nomem;
		}
		p->nservers++;
	}
	return p;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	poller_free(p);
	return NULL;
}

void
poller_free(struct poller *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nservers; i++) {
		server_free(&p->workers[i].s);
		server_result_free(&p->results[i]);
		server_result_free(&p->pub[i]);
	}
	logreader_free(p->lr);
	if (p->cancel_fd != -1)
		close(p->cancel_fd);
	pthread_mutex_destroy(&p->mtx);
	pthread_cond_destroy(&p->wake);
	pthread_cond_destroy(&p->pub_wake);
	free(p->results);
	free(p->pub);
	free(p->workers);
	free(p->conf);
	free(p->pub_conf);
	free(p->handed);
	free(p->pub_seen);
	free(p->pub_built);
	snapshot_release(p->prev);
	free(p);
}

/*
 * Under the mutex: copy what changed since the publisher last looked (only
 * those servers: the copy under the lock costs what changed, not all).
 * Returns the sequence number of the snapshot these copies make.
 */
static uint64_t
publisher_take(struct poller *p)
{
	size_t i;

	for (i = 0; i < p->nservers; i++) {
		if (p->pub_seen[i] == p->handed[i])
			continue;
		server_result_copy(&p->pub[i], &p->results[i],
		    &p->cfg->servers[i]);
		p->pub_conf[i] = p->conf[i];
		p->pub_seen[i] = p->handed[i];
	}
	p->published = p->changed;
	return p->changed;
}

/*
 * Without the mutex: build a snapshot of the publisher's copies and
 * publish it.  Workers hand over meanwhile without waiting on it.  A
 * server whose copy is the one the last snapshot was built from is not
 * built again: its part is shared, so a rebuild costs what changed.
 */
static void
publisher_build(struct poller *p, uint64_t seq)
{
	struct snapshot *snap;
	size_t i;
	int rc;

	if ((snap = snapshot_new(EXPORTER_VERSION, EXPORTER_COMMIT)) == NULL) {
		log_warnx("cannot build a snapshot: out of memory");
		return;
	}
	snap->body_max = p->body_max;
	snap->seq = seq;
	for (i = 0; i < p->nservers; i++) {
		if (p->prev != NULL && p->pub_built[i] == p->pub_seen[i])
			rc = snapshot_share_server(snap, p->prev->servers[i]);
		else
			rc = publish_server(snap, &p->cfg->servers[i],
			    &p->pub[i], &p->pub_conf[i]) == -1 ||
			    logreader_publish(p->lr, i,
			    snap->servers[snap->nservers - 1]) == -1 ? -1 : 0;
		if (rc == -1) {
			log_warn("cannot build a snapshot");
			snapshot_release(snap);
			snapshot_release(p->prev);	/* build all next time */
			p->prev = NULL;
			return;
		}
	}
	memcpy(p->pub_built, p->pub_seen, p->nservers * sizeof(*p->pub_built));
	snapshot_release(p->prev);
	p->prev = snapshot_ref(snap);
	snapshot_store_publish(p->store, snap);
}

/* Publish now, from the only thread that runs (--once, a reload). */
static void
publish_now(struct poller *p)
{
	uint64_t seq;

	pthread_mutex_lock(&p->mtx);
	seq = publisher_take(p);
	pthread_mutex_unlock(&p->mtx);
	publisher_build(p, seq);
}

/*
 * The single publisher: waits for a handover, lets what else changes
 * within PUBLISH_PERIOD ride along, then copies and builds.
 */
static void *
publisher_main(void *arg)
{
	struct poller *p = arg;
	double last = -PUBLISH_PERIOD;
	uint64_t seq;

	pthread_mutex_lock(&p->mtx);
	while (!p->stopping) {
		if (p->changed == p->published) {
			pthread_cond_wait(&p->pub_wake, &p->mtx);
			continue;
		}
		if (poll_clock() < last + PUBLISH_PERIOD) {
			cond_wait_until(&p->pub_wake, &p->mtx,
			    last + PUBLISH_PERIOD);
			continue;
		}
		seq = publisher_take(p);
		pthread_mutex_unlock(&p->mtx);
		publisher_build(p, seq);
		last = poll_clock();
		pthread_mutex_lock(&p->mtx);
	}
	pthread_mutex_unlock(&p->mtx);
	return NULL;
}

/* The end of a step: a copy of the worker's results for the publisher. */
static void
worker_handover(struct worker *w)
{
	struct poller *p = w->p;

	server_sync_counters(&w->s);
	pthread_mutex_lock(&p->mtx);
	server_result_copy(&p->results[w->i], &w->s.res, w->s.cfg);
	p->handed[w->i] = ++p->changed;
	pthread_cond_signal(&p->pub_wake);
	pthread_mutex_unlock(&p->mtx);
}

static int
stopping(struct poller *p)
{
	int v;

	pthread_mutex_lock(&p->mtx);
	v = p->stopping;
	pthread_mutex_unlock(&p->mtx);
	return v;
}

/*
 * A server that stops answering is logged once when it stops and once when
 * it answers again; the polls in between go to debug.  An outage of hours
 * is then two lines, and its cause stays in dhcpd_exporter_omapi_errors_total.
 */
static void
log_outage(struct server *s, int failed)
{
	if (failed && !s->failing)
		log_warnx("server %s: not answering: %s", s->cfg->name,
		    s->last_error);
	else if (failed)
		log_debug("server %s: poll failed: %s", s->cfg->name,
		    s->last_error);
	else if (s->failing)
		log_info("server %s: answering again", s->cfg->name);
	s->failing = failed;
}

/*
 * One poll of the worker's server into its results.  -1 when the server
 * failed; a poll cut short by a stop changes nothing and hands nothing over.
 */
static int
worker_poll(struct worker *w)
{
	struct server *s = &w->s;
	const struct config_server *cfg = s->cfg;
	struct pool_result *pools;
	struct host_result *hosts;
	double start = poll_clock();	/* wall time only for what is published */
	int rc = -1;

	pools = calloc(cfg->npools + 1, sizeof(*pools));
	hosts = calloc(cfg->nhosts + 1, sizeof(*hosts));
	if (pools == NULL || hosts == NULL)
		goto out;
	memcpy(pools, s->res.pools, cfg->npools * sizeof(*pools));
	if (cfg->address == NULL)	/* the files alone: nothing over OMAPI */
		rc = server_leases_poll(s, pools);
	else {
		if (server_connect(s, start) == 0)
			rc = server_poll(s, pools, hosts);
		if (rc == 0)
			rc = server_failover_poll(s);
		/* DHCPv6 and the file's own metrics; OMAPI's IPv4 counts */
		if (cfg->leases_file != NULL && !stopping(w->p))
			server_leases_poll(s, NULL);
	}
	if (stopping(w->p))
		goto out;
	s->res.up = rc == 0;
	s->res.counters.polls++;
	s->res.last_poll = snapshot_now();
	s->res.poll_duration = poll_clock() - start;
	if (rc == 0) {
		memcpy(s->res.pools, pools, cfg->npools * sizeof(*pools));
		memcpy(s->res.hosts, hosts, cfg->nhosts * sizeof(*hosts));
	}
	if (cfg->address != NULL)	/* server_leases_poll logs its own */
		log_outage(s, rc == -1);
	worker_handover(w);
	/* An edited dhcpd.conf: the main thread reloads, as on SIGHUP. */
	if (w->p->serving && server_conf_changed(s)) {
		log_info("server %s: %s changed; reloading", cfg->name,
		    cfg->dhcpd_conf);
		kill(getpid(), SIGHUP);
	}
out:
	free(pools);
	free(hosts);
	return rc;
}

/* A finished sweep becomes the published lease picture of every pool. */
static void
worker_sweep_done(struct worker *w)
{
	struct server *s = &w->s;
	double now = poll_clock();
	size_t i;

	for (i = 0; i < s->cfg->npools; i++) {
		s->res.pools[i].sweep = s->sweep.work[i];
		s->res.pools[i].sweep.known = 1;
	}
	s->res.sweep_duration = now - s->sweep.started;
	s->res.last_sweep = snapshot_now();
	leasetab_release(s->res.leases);	/* lease_info: the new table */
	leasetab_finish(s->sweep.leases);
	s->res.leases = s->sweep.leases;
	s->sweep.leases = NULL;
	log_debug("server %s: sweep done in %.3f s", s->cfg->name,
	    s->res.sweep_duration);
	sweeper_abort(&s->sweep);
	worker_handover(w);
}

/*
 * Advance the server's sweep by one slice (starting one if none runs),
 * on as many connections as the sweeper wants, stopping at poll_due
 * (0: never) so that a due poll is never kept waiting by a
 * sweep.  Times are poll_clock() seconds.  Returns 1 when a sweep
 * finished and was handed over.
 */
static int
worker_sweep_step(struct worker *w, double poll_due)
{
	struct server *s = &w->s;
	struct omapi_conn *conns[OMAPI_SWEEP_CONNS_MAX];
	struct omapi_error e;
	double now = poll_clock();
	int64_t deadline = 0;
	size_t n;
	int done;

	if (server_connect(s, now) == -1)
		return 0;
	if (!s->sweep.active && sweeper_start(&s->sweep, now) == -1)
		return 0;
	n = server_sweep_conns(s, s->sweep.conns, conns);
	if (poll_due > 0)
		deadline = omapi_now_us() + (int64_t)((poll_due - now) * 1e6);
	if (sweeper_slice(&s->sweep, conns, n, deadline, &done, &e) == -1) {
		if (e.code == OMAPI_ERR_CANCELLED)
			return 0;
		server_count_error(s, &e);
		log_debug("server %s: sweep stopped: %s", s->cfg->name,
		    e.text);
		log_outage(s, 1);
		worker_handover(w);
		return 0;
	}
	/* Answers that were neither a lease nor "not found". */
	s->res.counters.errors[SNAPSHOT_ERR_STATUS] += s->sweep.status_errors;
	s->res.sweep_rate_limit = s->sweep.rate;
	s->res.sweep_connections = (unsigned)n;
	if (!done)
		return 0;
	worker_sweep_done(w);
	return 1;
}

/* Sleep until `until` (poll_clock s) or until stopped. */
static void
worker_sleep(struct poller *p, double until)
{
	pthread_mutex_lock(&p->mtx);
	while (!p->stopping && poll_clock() < until)
		cond_wait_until(&p->wake, &p->mtx, until);
	pthread_mutex_unlock(&p->mtx);
}

/* A worker is done: the stopper waits for every one (poller_pause). */
static void
worker_exit(struct worker *w)
{
	pthread_mutex_lock(&w->p->mtx);
	w->p->running--;
	pthread_cond_broadcast(&w->p->wake);
	pthread_mutex_unlock(&w->p->mtx);
}

/*
 * A server's schedule: polls on the interval, sweep slices in between,
 * on the monotonic clock.  A schedule adopted over a reload goes on where
 * it was (but never waits longer than the new intervals say).
 */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct poller *p = w->p;
	struct server *s = &w->s;
	const struct config_server *cfg = s->cfg;
	double poll_every = p->cfg->poll_interval_ms / 1000.0;
	double sweep_every = cfg->sweep.interval_ms / 1000.0;
	double now = poll_clock(), wake;

	if (!s->scheduled) {
		s->next_poll = s->next_sweep = now;
		s->scheduled = 1;
	}
	if (s->next_poll > now + poll_every)
		s->next_poll = now + poll_every;
	if (s->next_sweep > now + sweep_every)
		s->next_sweep = now + sweep_every;
	while (!stopping(p)) {
		now = poll_clock();
		if (now >= s->next_poll) {
			worker_poll(w);
			s->next_poll += poll_every;
			if (s->next_poll < now)
				s->next_poll = now + poll_every;
		}
		/* No new sweep while polls fail: it would only add load to a
		 * struggling server; the next good poll lets it start. */
		if (cfg->sweep.enabled && (s->sweep.active ||
		    (now >= s->next_sweep && !s->failing))) {
			if (!s->sweep.active)
				s->next_sweep = now + sweep_every;
			worker_sweep_step(w, s->next_poll);
			if (s->sweep.active)
				continue;	/* next slice, or a due poll */
		}
		wake = s->next_poll;
		if (cfg->sweep.enabled && s->next_sweep < wake)
			wake = s->next_sweep;
		if (s->conn == NULL && s->next_connect > now &&
		    s->next_connect < wake)
			wake = s->next_connect;
		worker_sleep(p, wake);
	}
	worker_exit(w);
	return NULL;
}

int
poller_start(struct poller *p, char *err, size_t errlen)
{
	size_t i;
	int rc;

	p->serving = 1;
	if ((rc = pthread_create(&p->publisher, NULL, publisher_main, p)) !=
	    0) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		return -1;
	}
	p->publisher_started = 1;
	for (i = 0; i < p->nservers; i++) {
		pthread_mutex_lock(&p->mtx);
		p->running++;
		pthread_mutex_unlock(&p->mtx);
		if ((rc = pthread_create(&p->workers[i].thread, NULL,
		    worker_main, &p->workers[i])) != 0) {
			pthread_mutex_lock(&p->mtx);
			p->running--;
			pthread_mutex_unlock(&p->mtx);
			snprintf(err, errlen, "pthread_create: %s",
			    strerror(rc));
			poller_stop(p);
			return -1;
		}
		p->workers[i].started = 1;
	}
	if (logreader_start(p->lr, err, errlen) == -1) {
		poller_stop(p);
		return -1;
	}
	return 0;
}

/*
 * Stop every worker and the publisher: the flag and the conditions wake
 * the sleepers; after grace seconds (0: at once) the eventfd ends every
 * wait on the network; then join.  Within the grace a worker ends the
 * step it is in, so a sweep slice is not cut (and can be carried over).
 */
static void
poller_halt(struct poller *p, double grace)
{
	double until = poll_clock() + grace;
	uint64_t one = 1;
	size_t i;

	pthread_mutex_lock(&p->mtx);
	p->stopping = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_cond_broadcast(&p->pub_wake);
	while (p->running > 0 && poll_clock() < until)
		cond_wait_until(&p->wake, &p->mtx, until);
	pthread_mutex_unlock(&p->mtx);
	if (write(p->cancel_fd, &one, sizeof(one)) != sizeof(one))
		log_warn("cannot wake the pollers");
	for (i = 0; i < p->nservers; i++)
		if (p->workers[i].started) {
			pthread_join(p->workers[i].thread, NULL);
			p->workers[i].started = 0;
		}
	if (p->publisher_started) {
		pthread_join(p->publisher, NULL);
		p->publisher_started = 0;
	}
	logreader_stop(p->lr);
}

/* Stop at once (SIGTERM). */
void
poller_stop(struct poller *p)
{
	poller_halt(p, 0);
}

/* Stop for a reload: each worker ends its step first, for a short while. */
void
poller_pause(struct poller *p)
{
	poller_halt(p, PAUSE_GRACE);
}

/*
 * Whether two pools cover the same addresses, range by range.  Only the
 * addresses: a range also remembers where it was written, and a pool that
 * merely moved in the file is the same pool.
 */
static int
same_ranges(const struct config_pool *a, const struct config_pool *b)
{
	size_t i;

	if (a->nranges != b->nranges)
		return 0;
	for (i = 0; i < a->nranges; i++)
		if (a->ranges[i].first != b->ranges[i].first ||
		    a->ranges[i].last != b->ranges[i].last)
			return 0;
	return 1;
}

/* The configured pool of old with the same name and the same ranges. */
static const struct config_pool *
same_pool(const struct config_server *old, const struct config_pool *np,
    size_t *at)
{
	const struct config_pool *op;
	size_t i;

	for (i = 0; i < old->npools; i++) {
		op = &old->pools[i];
		if (strcmp(op->name, np->name) != 0 || !same_ranges(op, np))
			continue;
		*at = i;
		return op;
	}
	return NULL;
}

/*
 * Whether the new configuration of a server asks the same of the same
 * dhcpd: address, port, the pools in the same order with the same ranges,
 * and the same sweep.  Then its schedule, its sweep under way and its
 * lease_info table carry over a reload as they are.
 */
static int
same_server(const struct config_server *a, const struct config_server *b)
{
	size_t i;

	if (!poll_same_str(a->address, b->address) || a->port != b->port ||
	    a->npools != b->npools ||
	    a->sweep.enabled != b->sweep.enabled ||
	    a->sweep.interval_ms != b->sweep.interval_ms ||
	    a->sweep.max_rate != b->sweep.max_rate ||
	    a->sweep.connections != b->sweep.connections ||
	    a->sweep.window != b->sweep.window ||
	    a->lease_info.enabled != b->lease_info.enabled ||
	    a->lease_info.max_series != b->lease_info.max_series)
		return 0;
	for (i = 0; i < a->npools; i++)
		if (strcmp(a->pools[i].name, b->pools[i].name) != 0 ||
		    !same_ranges(&a->pools[i], &b->pools[i]))
			return 0;
	return 1;
}

/*
 * Carry one server's state over a reload: its counters always (they count
 * since the exporter started), its results when it still is the same
 * dhcpd (address and port), pool by pool (same name and ranges) and host
 * by host (same label); and when it asks the same of it (same_server),
 * its schedule, its sweep under way and its lease_info table too.
 */
static void
adopt_server(struct server *s, struct server *os,
    const struct server_result *or)
{
	struct server_result *r = &s->res;
	const struct config_server *cfg = s->cfg, *ocfg = os->cfg;
	size_t i, j;

	r->counters = or->counters;
	s->closed_requests = or->counters.requests;
	/* the same leases file: its reader (no whole read again), counters */
	if (cfg->leases_file != NULL &&
	    poll_same_str(ocfg->leases_file, cfg->leases_file)) {
		r->lfile = or->lfile;
		server_leases_adopt(s, os);
	}
	if (!poll_same_str(ocfg->address, cfg->address) ||
	    ocfg->port != cfg->port)
		return;
	r->up = or->up;
	r->last_poll = or->last_poll;
	r->poll_duration = or->poll_duration;
	/* an outage under way goes on: logged once, ended once */
	s->failing = os->failing;
	memcpy(s->last_error, os->last_error, sizeof(s->last_error));
	if (cfg->sweep.enabled) {
		r->last_sweep = or->last_sweep;
		r->sweep_duration = or->sweep_duration;
		r->sweep_connections = or->sweep_connections;
		r->sweep_rate_limit = or->sweep_rate_limit;
	}
	for (i = 0; i < cfg->npools; i++) {
		if (same_pool(ocfg, &cfg->pools[i], &j) == NULL)
			continue;
		r->pools[i] = or->pools[j];
		r->pools[i].handle = 0;	/* a new connection resolves again */
		if (!cfg->sweep.enabled)
			memset(&r->pools[i].sweep, 0, sizeof(r->pools[i].sweep));
		s->unresolved_logged[i] = os->unresolved_logged[j];
	}
	for (i = 0; i < cfg->nhosts; i++)
		for (j = 0; j < ocfg->nhosts; j++)
			if (strcmp(cfg->hosts[i].label,
			    ocfg->hosts[j].label) == 0) {
				r->hosts[i] = or->hosts[j];
				break;
			}
	if (!same_server(ocfg, cfg))
		return;		/* polled at once, swept afresh */
	s->scheduled = os->scheduled;
	s->next_poll = os->next_poll;
	s->next_sweep = os->next_sweep;
	/* pool indexes are the same: the table's rows still name theirs */
	leasetab_release(r->leases);
	r->leases = leasetab_ref(or->leases);
	sweeper_adopt(&s->sweep, &os->sweep);
}

/*
 * After a reload: take over what the paused poller old (its workers
 * joined, so their state is nobody's now) knew of every server that is
 * still configured (by name), then publish it, so no series of an
 * unchanged server or pool disappears, no counter goes back, and an
 * unchanged server's polls and sweep go on as scheduled.
 */
void
poller_adopt(struct poller *p, struct poller *old)
{
	struct worker *ow;
	size_t i, j;

	p->changed = p->published = old->changed;
	for (i = 0; i < p->nservers; i++) {
		for (j = 0; j < old->nservers; j++) {
			ow = &old->workers[j];
			if (strcmp(ow->s.cfg->name, p->cfg->servers[i].name) !=
			    0)
				continue;
			adopt_server(&p->workers[i].s, &ow->s,
			    &old->results[j]);
			/* this poller's reads all parsed: failing is 0 */
			p->conf[i].errors = old->conf[j].errors;
			server_failover_adopt(&p->workers[i].s, &ow->s,
			    &old->results[j]);
			break;
		}
		worker_handover(&p->workers[i]);
	}
	logreader_adopt(p->lr, old->lr);
	publish_now(p);
}

/*
 * A reload failed: count a failed dhcpd.conf read for every server whose
 * file failed it (the reload's own verdict, in errs: nothing is read
 * again), mark it failing until a read parses, and publish.  The running
 * structure stays.
 */
void
poller_conf_failed(struct poller *p, const struct config_errors *errs)
{
	const struct config_server *cs;
	size_t i;
	int failing;

	pthread_mutex_lock(&p->mtx);
	for (i = 0; i < p->nservers; i++) {
		cs = &p->cfg->servers[i];
		if (cs->dhcpd_conf == NULL)
			continue;
		failing = config_errors_conf_did_fail(errs, cs->dhcpd_conf);
		p->conf[i].errors += failing;
		p->conf[i].failing = failing;
		p->handed[i] = ++p->changed;
	}
	pthread_cond_signal(&p->pub_wake);
	pthread_mutex_unlock(&p->mtx);
	if (!p->serving)
		publish_now(p);
}

/*
 * Poll and fully sweep every server once, in turn, and publish.  0 when
 * every server answered, -1 otherwise.
 */
int
poller_once(struct poller *p)
{
	struct worker *w;
	size_t i;
	int rv = 0, done;

	for (i = 0; i < p->nservers; i++) {
		w = &p->workers[i];
		if (worker_poll(w) == -1) {	/* logged by log_outage */
			rv = -1;
			continue;
		}
		if (!w->s.cfg->sweep.enabled)
			continue;
		done = 0;
		while (!done && w->s.res.up) {
			done = worker_sweep_step(w, 0);
			if (!done && !w->s.sweep.active) {	/* log_outage */
				rv = -1;
				break;
			}
		}
	}
	publish_now(p);
	return rv;
}
