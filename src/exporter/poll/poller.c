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

#include "dhcpdconf.h"
#include "log.h"
#include "poll_int.h"

struct worker {
	struct poller		*p;
	size_t			 i;
	struct server		 s;	/* owned by the thread, see poll/poll_int.h */
	pthread_t		 thread;
	int			 started;
};

struct poller {
	const struct config	*cfg;
	struct snapshot_store	*store;
	int			 cancel_fd;	/* eventfd; readable: stop */
	pthread_mutex_t		 mtx;		/* results[], stopping */
	pthread_cond_t		 wake;
	int			 stopping;
	int			 serving;	/* started: a daemon, not --once */
	size_t			 body_max;	/* of every snapshot published */
	struct server_result	*results;	/* handed over, per server */
	struct conf_reads	*conf;		/* per server: dhcpd.conf reads */
	struct worker		*workers;
	size_t			 nservers;	/* initialised so far */
	struct logreader	*lr;		/* dhcpd's log (logreader.c) */
};

static void poller_publish(struct poller *);

/* The log reader's way to publish what it counted. */
static void
poller_publish_cb(void *arg)
{
	poller_publish(arg);
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

struct poller *
poller_new(const struct config *cfg, struct snapshot_store *store, char *err,
    size_t errlen)
{
	struct poller *p;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	p->cancel_fd = -1;
	pthread_mutex_init(&p->mtx, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->cfg = cfg;
	p->store = store;
	p->body_max = render_body_limit(cfg);
	if ((p->results = calloc(cfg->nservers + 1, sizeof(*p->results))) ==
	    NULL || (p->workers = calloc(cfg->nservers + 1,
	    sizeof(*p->workers))) == NULL || (p->conf =
	    calloc(cfg->nservers + 1, sizeof(*p->conf))) == NULL)
		goto nomem;
	if ((p->cancel_fd = cancel_fd_new()) == -1) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	if ((p->lr = logreader_new(cfg, p->cancel_fd, poller_publish_cb, p)) ==
	    NULL)
		goto nomem;
	for (i = 0; i < cfg->nservers; i++) {
		p->workers[i].p = p;
		p->workers[i].i = i;
		if (server_init(&p->workers[i].s, &cfg->servers[i],
		    p->cancel_fd, err, errlen) == -1)
			goto fail;
		if (server_result_alloc(&p->results[i], &cfg->servers[i]) ==
		    -1) {
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
	}
	logreader_free(p->lr);
	if (p->cancel_fd != -1)
		close(p->cancel_fd);
	pthread_mutex_destroy(&p->mtx);
	pthread_cond_destroy(&p->wake);
	free(p->results);
	free(p->workers);
	free(p->conf);
	free(p);
}

/*
 * Build a snapshot of every server's handed-over results and publish it.
 * Under the mutex from start to swap, so that two workers publishing at
 * once can never leave the older snapshot in place.
 */
static void
poller_publish(struct poller *p)
{
	struct snapshot *snap;
	size_t i;

	if ((snap = snapshot_new(EXPORTER_VERSION, EXPORTER_COMMIT)) == NULL) {
		log_warnx("cannot build a snapshot: out of memory");
		return;
	}
	snap->body_max = p->body_max;
	pthread_mutex_lock(&p->mtx);
	for (i = 0; i < p->nservers; i++)
		if (publish_server(snap, &p->cfg->servers[i],
		    &p->results[i], &p->conf[i]) == -1 ||
		    logreader_publish(p->lr, i,
		    snap->servers[snap->nservers - 1]) == -1) {
			log_warn("cannot build a snapshot");
			break;
		}
	if (i == p->nservers)
		snapshot_store_publish(p->store, snap);
	else
		snapshot_release(snap);
	pthread_mutex_unlock(&p->mtx);
}

/* The end of a step: a copy of the worker's results for the publisher. */
static void
worker_handover(struct worker *w)
{
	struct poller *p = w->p;

	server_sync_counters(&w->s);
	pthread_mutex_lock(&p->mtx);
	server_result_copy(&p->results[w->i], &w->s.res, w->s.cfg);
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
	double start = snapshot_now();
	int rc = -1;

	pools = calloc(cfg->npools + 1, sizeof(*pools));
	hosts = calloc(cfg->nhosts + 1, sizeof(*hosts));
	if (pools == NULL || hosts == NULL)
		goto out;
	memcpy(pools, s->res.pools, cfg->npools * sizeof(*pools));
	if (server_connect(s, start) == 0)
		rc = server_poll(s, pools, hosts);
	if (rc == 0)
		rc = server_failover_poll(s);
	if (stopping(w->p))
		goto out;
	s->res.up = rc == 0;
	s->res.counters.polls++;
	s->res.last_poll = snapshot_now();
	s->res.poll_duration = s->res.last_poll - start;
	if (rc == 0) {
		memcpy(s->res.pools, pools, cfg->npools * sizeof(*pools));
		memcpy(s->res.hosts, hosts, cfg->nhosts * sizeof(*hosts));
	}
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
	double now = snapshot_now();
	size_t i;

	for (i = 0; i < s->cfg->npools; i++) {
		s->res.pools[i].sweep = s->sweep.work[i];
		s->res.pools[i].sweep.known = 1;
	}
	s->res.sweep_duration = now - s->sweep.started;
	s->res.last_sweep = now;
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
 * (epoch s; 0: never) so that a due poll is never kept waiting by a
 * sweep.  Returns 1 when a sweep finished and was handed over.
 */
static int
worker_sweep_step(struct worker *w, double poll_due)
{
	struct server *s = &w->s;
	struct omapi_conn *conns[OMAPI_SWEEP_CONNS_MAX];
	struct omapi_error e;
	double now = snapshot_now();
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

/* Sleep until the time `until` (epoch s) or until stopped. */
static void
worker_sleep(struct poller *p, double until)
{
	struct timespec ts;
	double left;

	pthread_mutex_lock(&p->mtx);
	while (!p->stopping && (left = until - snapshot_now()) > 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)left;
		ts.tv_nsec += (long)((left - (double)(time_t)left) * 1e9);
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&p->wake, &p->mtx, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&p->mtx);
}

/* A server's schedule: polls on the interval, sweep slices in between. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct poller *p = w->p;
	struct server *s = &w->s;
	const struct config_server *cfg = s->cfg;
	double poll_every = p->cfg->poll_interval_ms / 1000.0;
	double sweep_every = cfg->sweep.interval_ms / 1000.0;
	double next_poll = snapshot_now(), next_sweep = next_poll, now, wake;

	while (!stopping(p)) {
		now = snapshot_now();
		if (now >= next_poll) {
			worker_poll(w);
			poller_publish(p);
			next_poll += poll_every;
			if (next_poll < now)
				next_poll = now + poll_every;
		}
		/* No new sweep while polls fail: it would only add load to a
		 * struggling server; the next good poll lets it start. */
		if (cfg->sweep.enabled && (s->sweep.active ||
		    (now >= next_sweep && !s->failing))) {
			if (!s->sweep.active)
				next_sweep = now + sweep_every;
			if (worker_sweep_step(w, next_poll))
				poller_publish(p);
			if (s->sweep.active)
				continue;	/* next slice, or a due poll */
		}
		wake = next_poll;
		if (cfg->sweep.enabled && next_sweep < wake)
			wake = next_sweep;
		if (s->conn == NULL && s->next_connect > now &&
		    s->next_connect < wake)
			wake = s->next_connect;
		worker_sleep(p, wake);
	}
	return NULL;
}

int
poller_start(struct poller *p, char *err, size_t errlen)
{
	size_t i;
	int rc;

	p->serving = 1;
	for (i = 0; i < p->nservers; i++) {
		if ((rc = pthread_create(&p->workers[i].thread, NULL,
		    worker_main, &p->workers[i])) != 0) {
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
 * Stop every worker: the flag and the condition wake the sleepers, the
 * eventfd ends every wait on the network at once; then join.
 */
void
poller_stop(struct poller *p)
{
	uint64_t one = 1;
	size_t i;

	pthread_mutex_lock(&p->mtx);
	p->stopping = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->mtx);
	if (write(p->cancel_fd, &one, sizeof(one)) != sizeof(one))
		log_warn("cannot wake the pollers");
	for (i = 0; i < p->nservers; i++)
		if (p->workers[i].started) {
			pthread_join(p->workers[i].thread, NULL);
			p->workers[i].started = 0;
		}
	logreader_stop(p->lr);
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
 * Carry one server's state over a reload: its counters always (they count
 * since the exporter started), its results when it still is the same
 * dhcpd (address and port), pool by pool (same name and ranges) and host
 * by host (same label).
 */
static void
adopt_server(struct server *s, const struct config_server *ocfg,
    const struct server_result *or, const uint8_t *ologged)
{
	struct server_result *r = &s->res;
	const struct config_server *cfg = s->cfg;
	size_t i, j;

	r->counters = or->counters;
	s->closed_requests = or->counters.requests;
	if (strcmp(ocfg->address, cfg->address) != 0 ||
	    ocfg->port != cfg->port)
		return;
	r->up = or->up;
	r->last_poll = or->last_poll;
	r->poll_duration = or->poll_duration;
	if (cfg->sweep.enabled) {
		r->last_sweep = or->last_sweep;
		r->sweep_duration = or->sweep_duration;
		r->sweep_connections = or->sweep_connections;
	}
	for (i = 0; i < cfg->npools; i++) {
		if (same_pool(ocfg, &cfg->pools[i], &j) == NULL)
			continue;
		r->pools[i] = or->pools[j];
		r->pools[i].handle = 0;	/* a new connection resolves again */
		if (!cfg->sweep.enabled)
			memset(&r->pools[i].sweep, 0, sizeof(r->pools[i].sweep));
		s->unresolved_logged[i] = ologged[j];
	}
	for (i = 0; i < cfg->nhosts; i++)
		for (j = 0; j < ocfg->nhosts; j++)
			if (strcmp(cfg->hosts[i].label,
			    ocfg->hosts[j].label) == 0) {
				r->hosts[i] = or->hosts[j];
				break;
			}
}

/*
 * After a reload: take over what the stopped poller old (its workers
 * joined, so their state is nobody's now) knew of every
 * server that is still configured (by name), then publish it, so no series
 * of an unchanged server or pool disappears and no counter goes back.
 */
void
poller_adopt(struct poller *p, const struct poller *old)
{
	const struct config_server *ocfg;
	size_t i, j;

	for (i = 0; i < p->nservers; i++) {
		for (j = 0; j < old->nservers; j++) {
			ocfg = old->workers[j].s.cfg;
			if (strcmp(ocfg->name, p->cfg->servers[i].name) != 0)
				continue;
			adopt_server(&p->workers[i].s, ocfg, &old->results[j],
			    old->workers[j].s.unresolved_logged);
			/* this poller's reads all parsed: failing is 0 */
			p->conf[i].errors = old->conf[j].errors;
			server_failover_adopt(&p->workers[i].s,
			    &old->workers[j].s, &old->results[j]);
			break;
		}
		worker_handover(&p->workers[i]);
	}
	logreader_adopt(p->lr, old->lr);
	poller_publish(p);
}

/*
 * A reload failed: count a failed dhcpd.conf read for every server whose
 * file does not parse now (the running structure stays), mark it failing
 * until a read parses, and publish.
 */
void
poller_conf_failed(struct poller *p)
{
	const struct config_server *cs;
	struct dhcpdconf_opts o = { "/", 0 };
	struct dhcpdconf *dc;
	char err[DHCPDCONF_ERRLEN];
	size_t i;
	int failing;

	for (i = 0; i < p->nservers; i++) {
		cs = &p->cfg->servers[i];
		if (cs->dhcpd_conf == NULL)
			continue;
		failing = dhcpdconf_load(&dc, cs->dhcpd_conf, &o, err,
		    sizeof(err)) == -1;
		if (!failing)
			dhcpdconf_free(dc);
		pthread_mutex_lock(&p->mtx);
		p->conf[i].errors += failing;
		p->conf[i].failing = failing;
		pthread_mutex_unlock(&p->mtx);
	}
	poller_publish(p);
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
	poller_publish(p);
	return rv;
}
