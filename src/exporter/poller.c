/*
 * poller.c: one thread per server, each keeping its own schedule of polls
 * and sweep slices, and a publisher that turns every server's latest
 * results into one immutable snapshot for the HTTP side.
 *
 * A hung or slow server delays nobody but itself.  Stopping sets a flag,
 * wakes sleeping threads and interrupts blocked sockets, so SIGTERM is
 * served within a second even with a server that does not answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "poller.h"

/* Addresses per sweep slice when unthrottled; throttled: 1/4 s worth. */
#define SLICE_UNTHROTTLED	4096
#define SLICE_MIN		64

struct worker {
	struct poller		*p;
	struct server_state	*s;
	pthread_t		 thread;
	int			 started;
};

struct poller {
	const struct config	*cfg;
	struct snapshot_store	*store;
	pthread_mutex_t		 mtx;	/* results of every server */
	pthread_cond_t		 wake;
	int			 stopping;
	struct server_state	*servers;
	size_t			 nservers;
	struct worker		*workers;
};

struct poller *
poller_new(const struct config *cfg, struct snapshot_store *store, char *err,
    size_t errlen)
{
	struct poller *p;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->servers = calloc(cfg->nservers + 1, sizeof(*p->servers))) ==
	    NULL || (p->workers = calloc(cfg->nservers + 1,
	    sizeof(*p->workers))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	p->cfg = cfg;
	p->store = store;
	pthread_mutex_init(&p->mtx, NULL);
	pthread_cond_init(&p->wake, NULL);
	for (i = 0; i < cfg->nservers; i++) {
		if (server_init(&p->servers[i], &cfg->servers[i],
		    cfg->poll_interval_ms, err, errlen) == -1)
			goto fail;
		p->nservers++;
	}
	return p;
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
	for (i = 0; i < p->nservers; i++)
		server_free(&p->servers[i]);
	if (p->servers != NULL) {
		pthread_mutex_destroy(&p->mtx);
		pthread_cond_destroy(&p->wake);
	}
	free(p->servers);
	free(p->workers);
	free(p);
}

/* Copy one server's results into a new snapshot. */
static int
publish_server(struct snapshot *snap, struct server_state *s)
{
	const struct config_server *cfg = s->cfg;
	struct snapshot_server *ss;
	struct snapshot_pool *sp;
	struct snapshot_host *sh;
	size_t i, j;

	if ((ss = snapshot_add_server(snap, cfg->name)) == NULL)
		return -1;
	ss->up = s->up;
	ss->last_poll = s->last_poll;
	ss->poll_duration = s->poll_duration;
	ss->last_sweep = s->last_sweep;
	ss->sweep_duration = s->sweep_duration;
	ss->polls = s->polls;
	ss->requests = server_requests(s);
	memcpy(ss->errors, s->errors, sizeof(ss->errors));
	ss->resets = s->resets;
	for (i = 0; i < cfg->npools; i++) {
		if ((sp = snapshot_server_add_pool(ss, cfg->pools[i].name)) ==
		    NULL)
			return -1;
		for (j = 0; j < cfg->pools[i].nlabels; j++)
			if (snapshot_pool_add_label(sp,
			    cfg->pools[i].labels[j].name,
			    cfg->pools[i].labels[j].value) == -1)
				return -1;
		sp->counters_known = s->up && s->pools[i].counters_known;
		sp->addresses = s->pools[i].addresses;
		sp->free = s->pools[i].free;
		sp->backup = s->pools[i].backup;
		sp->sweep_known = s->sweep[i].known;
		memcpy(sp->states, s->sweep[i].states, sizeof(sp->states));
		memcpy(sp->expiring, s->sweep[i].expiring,
		    sizeof(sp->expiring));
		sp->earliest_end = s->sweep[i].earliest_end;
	}
	for (i = 0; i < cfg->nhosts; i++) {
		if ((sh = snapshot_server_add_host(ss,
		    cfg->hosts[i].label)) == NULL)
			return -1;
		sh->present = s->up && s->hosts[i].present;
		if (sh->present && snapshot_host_found(sh, s->hosts[i].mac,
		    s->hosts[i].ip[0] ? s->hosts[i].ip : NULL) == -1)
			return -1;
	}
	return 0;
}

/* Build a snapshot of every server's latest results and publish it. */
static void
poller_publish(struct poller *p)
{
	struct snapshot *snap;
	size_t i;

	if ((snap = snapshot_new(EXPORTER_VERSION, EXPORTER_COMMIT)) == NULL) {
		log_warnx("cannot build a snapshot: out of memory");
		return;
	}
	pthread_mutex_lock(&p->mtx);
	for (i = 0; i < p->nservers; i++)
		if (publish_server(snap, &p->servers[i]) == -1) {
			log_warn("cannot build a snapshot");
			break;
		}
	pthread_mutex_unlock(&p->mtx);
	if (i < p->nservers) {
		snapshot_release(snap);
		return;
	}
	snapshot_store_publish(p->store, snap);
}

/*
 * A server that stops answering is logged once when it stops and once when
 * it answers again; the polls in between go to debug.  An outage of hours
 * is then two lines, and its cause stays in dhcpd_exporter_omapi_errors_total.
 */
static void
log_outage(struct server_state *s, int failed)
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

/* One poll of one server; results go in under the lock. */
static int
worker_poll(struct poller *p, struct server_state *s)
{
	const struct config_server *cfg = s->cfg;
	struct pool_result *pools;
	struct host_result *hosts;
	double start = snapshot_now();
	int rc = -1;

	pools = calloc(cfg->npools + 1, sizeof(*pools));
	hosts = calloc(cfg->nhosts + 1, sizeof(*hosts));
	if (pools == NULL || hosts == NULL)
		goto out;
	pthread_mutex_lock(&p->mtx);
	memcpy(pools, s->pools, cfg->npools * sizeof(*pools));
	pthread_mutex_unlock(&p->mtx);
	if (server_connect(s, start) == 0)
		rc = server_poll(s, pools, hosts);
	server_count_unmatched(s);
	pthread_mutex_lock(&p->mtx);
	s->up = rc == 0;
	s->polls++;
	s->last_poll = snapshot_now();
	s->poll_duration = s->last_poll - start;
	if (rc == 0) {
		memcpy(s->pools, pools, cfg->npools * sizeof(*pools));
		memcpy(s->hosts, hosts, cfg->nhosts * sizeof(*hosts));
	}
	pthread_mutex_unlock(&p->mtx);
	log_outage(s, rc == -1);
out:
	free(pools);
	free(hosts);
	return rc;
}

/* Addresses per slice: about a quarter second of work at the rate limit. */
static unsigned
slice_size(const struct config_server *cfg)
{
	unsigned n;

	if (cfg->sweep.max_rate == 0)
		return SLICE_UNTHROTTLED;
	n = cfg->sweep.max_rate / 4;
	return n < SLICE_MIN ? SLICE_MIN : n;
}

/*
 * Advance the server's sweep by one slice (starting one if none runs).
 * Returns 1 when a sweep finished and was published into the results.
 */
static int
worker_sweep_step(struct poller *p, struct server_state *s, unsigned slice)
{
	double now = snapshot_now();
	int done, rc;

	if (server_connect(s, now) == -1)
		return 0;
	if (!s->run.active && sweeper_start(s, now) == -1)
		return 0;
	rc = sweeper_slice(s, slice, &done);
	server_count_unmatched(s);
	if (rc == -1) {
		log_outage(s, 1);
		return 0;
	}
	if (!done)
		return 0;
	now = snapshot_now();
	pthread_mutex_lock(&p->mtx);
	for (size_t i = 0; i < s->cfg->npools; i++) {
		s->sweep[i] = s->run.work[i];
		s->sweep[i].known = 1;
	}
	s->sweep_duration = now - s->run.started;
	s->last_sweep = now;
	pthread_mutex_unlock(&p->mtx);
	log_debug("server %s: sweep done in %.3f s", s->cfg->name,
	    s->sweep_duration);
	sweeper_abort(s);
	return 1;
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
	struct server_state *s = w->s;
	const struct config_server *cfg = s->cfg;
	double poll_every = p->cfg->poll_interval_ms / 1000.0;
	double sweep_every = cfg->sweep.interval_ms / 1000.0;
	double next_poll = snapshot_now(), next_sweep = next_poll, now, wake;
	unsigned slice = slice_size(cfg);

	while (!stopping(p)) {
		now = snapshot_now();
		if (now >= next_poll) {
			worker_poll(p, s);
			poller_publish(p);
			next_poll += poll_every;
			if (next_poll < now)
				next_poll = now + poll_every;
		}
		/* No new sweep while polls fail: it would only add load to a
		 * struggling server; the next good poll lets it start. */
		if (cfg->sweep.enabled && (s->run.active ||
		    (now >= next_sweep && !s->failing))) {
			if (!s->run.active)
				next_sweep = now + sweep_every;
			if (worker_sweep_step(p, s, slice))
				poller_publish(p);
			if (s->run.active)
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

	for (i = 0; i < p->nservers; i++) {
		p->workers[i].p = p;
		p->workers[i].s = &p->servers[i];
		if ((rc = pthread_create(&p->workers[i].thread, NULL,
		    worker_main, &p->workers[i])) != 0) {
			snprintf(err, errlen, "pthread_create: %s",
			    strerror(rc));
			poller_stop(p);
			return -1;
		}
		p->workers[i].started = 1;
	}
	return 0;
}

/* Stop every worker: wake the sleepers, interrupt the blocked, join. */
void
poller_stop(struct poller *p)
{
	size_t i;

	pthread_mutex_lock(&p->mtx);
	p->stopping = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->mtx);
	for (i = 0; i < p->nservers; i++)
		server_interrupt(&p->servers[i]);
	for (i = 0; i < p->nservers; i++)
		if (p->workers[i].started) {
			pthread_join(p->workers[i].thread, NULL);
			p->workers[i].started = 0;
		}
}

/*
 * Poll and fully sweep every server once, in turn, and publish.  0 when
 * every server answered, -1 otherwise.
 */
int
poller_once(struct poller *p)
{
	struct server_state *s;
	size_t i;
	int rv = 0, done;

	for (i = 0; i < p->nservers; i++) {
		s = &p->servers[i];
		if (worker_poll(p, s) == -1) {	/* logged by log_outage */
			rv = -1;
			continue;
		}
		if (!s->cfg->sweep.enabled)
			continue;
		done = 0;
		while (!done && s->up) {
			done = worker_sweep_step(p, s, SLICE_UNTHROTTLED);
			if (!done && !s->run.active) {	/* log_outage */
				rv = -1;
				break;
			}
		}
	}
	poller_publish(p);
	return rv;
}
