/*
 * logreader.c: dhcpd's log as metrics (`log:` of a server): one thread
 * that reads every log source (src/dhcplog/) and counts each line for its
 * server.
 *
 * Ownership: the thread owns the sources and every server's counters
 * (struct lr_server) from logreader_start to logreader_stop; nothing else
 * touches them.  What the publisher sees is a copy per server (pub[],
 * under mtx), handed over at most once a second while lines come in; then
 * the poller is told the server changed, and the publisher, building that
 * server's part of the next snapshot, copies pub[] in (logreader_publish).
 * On reload the new reader takes over, by server name, the counters (they
 * count since the exporter started) and, by identical target, the open
 * sources: the socket stays bound and the file keeps its position.
 *
 * Servers whose `log.syslog` is the same URL share one listener: a line
 * goes to the server whose log.host is its syslog host name or, for UDP,
 * its source address; a line for none counts as other_host on the
 * listener's first server.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "poll_int.h"

#define LR_RETRY_SECS	5	/* a source that cannot be opened */
#define LR_HANDOVER_SECS 1.0
#define LR_RING		13	/* 5-minute samples: "the last hour" */
#define LR_RING_SECS	300

struct lr_source {
	const struct config_log	*cfg;		/* of its first server */
	struct dhcplog_syslog	*sl;
	struct dhcplog_follow	*fo;
	struct dhcplog_journal	*jo;
	size_t			*srv;		/* servers reading it */
	size_t			 nsrv;
	double			 retry_at;
	int			 failing;	/* logged once per outage */
	uint64_t		 refused;
};

struct lr_server {
	int			 has;		/* has `log:` */
	size_t			 src;
	struct dhcplog_counts	 counts;
	uint64_t		 other_host;
	struct dhcplog_counts	 ring[LR_RING];	/* failures, every 5 min */
	size_t			 ring_n;	/* samples so far */
	size_t			 ring_at;	/* oldest when full */
	double			 ring_next;
};

struct logreader {
	const struct config	*cfg;
	int			 cancel_fd;
	struct lr_source	*src;
	size_t			 nsrc;
	struct lr_server	*srv;
	void			(*changed)(void *, size_t);
	void			*changed_arg;
	pthread_t		 thread;
	int			 started;
	pthread_mutex_t		 mtx;		/* pub[] */
	struct snapshot_log	*pub;		/* per server */
};

/* The line being read: its source. */
struct lr_ctx {
	struct logreader	*lr;
	struct lr_source	*s;
	double			 now;
	int			 changed;
};

static int
same_target(const struct config_log *a, const struct config_log *b)
{
	return a->kind == b->kind && strcmp(a->target, b->target) == 0 &&
	    (a->journal_dir == NULL) == (b->journal_dir == NULL) &&
	    (a->journal_dir == NULL ||
	    strcmp(a->journal_dir, b->journal_dir) == 0);
}

struct logreader *
logreader_new(const struct config *cfg, int cancel_fd,
    void (*changed)(void *, size_t), void *arg)
{
	struct logreader *lr;
	const struct config_log *lg;
	struct lr_source *s;
	size_t i, j;

	if ((lr = calloc(1, sizeof(*lr))) == NULL ||
	    (lr->src = calloc(cfg->nservers + 1, sizeof(*lr->src))) == NULL ||
	    (lr->srv = calloc(cfg->nservers + 1, sizeof(*lr->srv))) == NULL ||
	    (lr->pub = calloc(cfg->nservers + 1, sizeof(*lr->pub))) == NULL)
		goto nomem;
	pthread_mutex_init(&lr->mtx, NULL);
	lr->cfg = cfg;
	lr->cancel_fd = cancel_fd;
	lr->changed = changed;
	lr->changed_arg = arg;
	for (i = 0; i < cfg->nservers; i++) {
		lg = &cfg->servers[i].log;
		if (lg->kind == CONFIG_LOG_NONE || lg->target == NULL)
			continue;
		lr->srv[i].has = 1;
		dhcplog_counts_init(&lr->srv[i].counts);
		if (dhcplog_counts_declare(&lr->srv[i].counts,
		    cfg->servers[i].dconf) == -1)
			goto nomem;
		/* a syslog listener is shared by URL; files and journals not */
		for (j = 0; j < lr->nsrc; j++)
			if (lg->kind == CONFIG_LOG_SYSLOG &&
			    same_target(lr->src[j].cfg, lg))
				break;
		if (j == lr->nsrc)
			lr->src[lr->nsrc++].cfg = lg;
		s = &lr->src[j];
		if ((s->srv = reallocarray(s->srv, s->nsrv + 1,
		    sizeof(*s->srv))) == NULL)
			goto nomem;
		s->srv[s->nsrv++] = i;
		lr->srv[i].src = j;
	}
	return lr;
nomem:
	logreader_free(lr);
	return NULL;
}

static void
source_close(struct lr_source *s)
{
	dhcplog_syslog_close(s->sl);
	dhcplog_follow_close(s->fo);
	dhcplog_journal_close(s->jo);
	s->sl = NULL;
	s->fo = NULL;
	s->jo = NULL;
}

void
logreader_free(struct logreader *lr)
{
	size_t i, k;

	if (lr == NULL)
		return;
	for (i = 0; lr->src != NULL && i < lr->nsrc; i++) {
		source_close(&lr->src[i]);
		free(lr->src[i].srv);
	}
	for (i = 0; lr->srv != NULL && lr->cfg != NULL &&
	    i < lr->cfg->nservers; i++) {
		dhcplog_counts_free(&lr->srv[i].counts);
		for (k = 0; k < LR_RING; k++)
			dhcplog_counts_free(&lr->srv[i].ring[k]);
	}
	for (i = 0; lr->pub != NULL && lr->cfg != NULL &&
	    i < lr->cfg->nservers; i++) {
		dhcplog_counts_free(&lr->pub[i].counts);
		dhcplog_counts_free(&lr->pub[i].hour_ago);
	}
	if (lr->cfg != NULL)
		pthread_mutex_destroy(&lr->mtx);
	free(lr->src);
	free(lr->srv);
	free(lr->pub);
	free(lr);
}

/* Whether source s is open (listening, or its file/journal readable). */
static int
source_up(const struct lr_source *s)
{
	if (s->fo != NULL)
		return dhcplog_follow_up(s->fo);
	return s->sl != NULL || s->jo != NULL;
}

/* A copy of server i's counters for the publisher. */
static void
handover(struct logreader *lr, size_t i)
{
	struct lr_server *v = &lr->srv[i];
	struct snapshot_log *p = &lr->pub[i];

	pthread_mutex_lock(&lr->mtx);
	if (dhcplog_counts_copy(&p->counts, &v->counts) == -1 ||
	    dhcplog_counts_copy(&p->hour_ago, v->ring_n == 0 ?
	    &v->counts : &v->ring[v->ring_n < LR_RING ? 0 : v->ring_at]) == -1)
		log_warnx("server %s: log counters: out of memory",
		    lr->cfg->servers[i].name);
	p->other_host = v->other_host;
	p->refused = lr->src[v->src].refused;
	p->up = source_up(&lr->src[v->src]);
	pthread_mutex_unlock(&lr->mtx);
}

/*
 * After a reload (the old reader stopped): take over counters by server
 * name and open sources by identical target; publish them.
 */
void
logreader_adopt(struct logreader *lr, struct logreader *old)
{
	const struct config *oc = old->cfg;
	struct lr_server *v, *o;
	struct lr_source *s, *os;
	size_t i, j, k;

	for (i = 0; i < lr->cfg->nservers; i++) {
		v = &lr->srv[i];
		if (!v->has)
			continue;
		for (j = 0; j < oc->nservers; j++) {
			o = &old->srv[j];
			if (!o->has || strcmp(oc->servers[j].name,
			    lr->cfg->servers[i].name) != 0)
				continue;
			dhcplog_counts_free(&v->counts);
			v->counts = o->counts;
			dhcplog_counts_init(&o->counts);
			for (k = 0; k < LR_RING; k++) {
				v->ring[k] = o->ring[k];
				dhcplog_counts_init(&o->ring[k]);
			}
			v->ring_n = o->ring_n;
			v->ring_at = o->ring_at;
			v->ring_next = o->ring_next;
			v->other_host = o->other_host;
			(void)dhcplog_counts_declare(&v->counts,
			    lr->cfg->servers[i].dconf);
			break;
		}
	}
	for (i = 0; i < lr->nsrc; i++) {
		s = &lr->src[i];
		for (j = 0; j < old->nsrc; j++) {
			os = &old->src[j];
			if ((os->sl == NULL && os->fo == NULL && os->jo == NULL) ||
			    !same_target(os->cfg, s->cfg))
				continue;
			/* a socket's settings changed: open it anew */
			if (os->sl != NULL && (os->cfg->mode != s->cfg->mode ||
			    os->cfg->owner != s->cfg->owner ||
			    os->cfg->group != s->cfg->group ||
			    os->cfg->nallow != s->cfg->nallow))
				continue;
			s->sl = os->sl;
			s->fo = os->fo;
			s->jo = os->jo;
			s->refused = os->refused;
			os->sl = NULL;
			os->fo = NULL;
			os->jo = NULL;
			break;
		}
	}
	for (i = 0; i < lr->cfg->nservers; i++)
		if (lr->srv[i].has)
			handover(lr, i);
}

/* The log counters of server i into sv; 0 when it has no `log:`. */
int
logreader_publish(struct logreader *lr, size_t i, struct snapshot_server *sv)
{
	int rc;

	if (lr == NULL || !lr->srv[i].has)
		return 0;
	pthread_mutex_lock(&lr->mtx);
	rc = snapshot_server_set_log(sv, &lr->pub[i]);
	pthread_mutex_unlock(&lr->mtx);
	return rc;
}

static int
str_is(struct dhcplog_str s, const char *z)
{
	return z != NULL && dhcplog_str_eq(s, z);
}

/* The server of a framed line on source s, or (size_t)-1: another host. */
static size_t
match(const struct logreader *lr, const struct lr_source *s,
    const struct dhcplog_frame *f, const char *from)
{
	const char *host;
	size_t i;

	for (i = 0; i < s->nsrv; i++) {
		host = lr->cfg->servers[s->srv[i]].log.host;
		if (host == NULL || (f != NULL && str_is(f->host, host)) ||
		    (from != NULL && strcmp(from, host) == 0))
			return s->srv[i];
	}
	return (size_t)-1;
}

static void
on_line(void *arg, const char *line, size_t len, const char *from)
{
	struct lr_ctx *c = arg;
	struct logreader *lr = c->lr;
	struct dhcplog_frame f;
	int framed;
	size_t i;

	framed = dhcplog_frame_parse(line, len, &f) == 0;
	c->changed = 1;
	i = match(lr, c->s, framed ? &f : NULL, from);
	if (i == (size_t)-1 && !framed && c->s->nsrv == 1)
		i = c->s->srv[0];	/* no host to tell: its only server's */
	if (i == (size_t)-1) {
		lr->srv[c->s->srv[0]].other_host++;
		return;
	}
	(void)dhcplog_count_line(&lr->srv[i].counts, framed ? &f : NULL,
	    lr->cfg->servers[i].dconf, c->now);
}

static void
on_entry(void *arg, const char *prog, size_t plen, const char *msg,
    size_t mlen, const char *host, size_t hlen)
{
	struct lr_ctx *c = arg;
	struct logreader *lr = c->lr;
	size_t i = c->s->srv[0];
	const char *want = lr->cfg->servers[i].log.host;

	c->changed = 1;
	if (want != NULL && (hlen != strlen(want) ||
	    memcmp(host, want, hlen) != 0)) {
		lr->srv[i].other_host++;
		return;
	}
	(void)dhcplog_count_msg(&lr->srv[i].counts, prog, plen, msg, mlen,
	    lr->cfg->servers[i].dconf, c->now);
}

/* Open a closed source; log its failures once per outage. */
static void
source_open(struct logreader *lr, struct lr_source *s, double now)
{
	const struct config_log *lg = s->cfg;
	struct dhcplog_syslog_opts o;
	char err[DHCPLOG_ERRLEN] = "";
	size_t k;

	if (s->sl != NULL || s->fo != NULL || s->jo != NULL ||
	    now < s->retry_at)
		return;
	switch (lg->kind) {
	case CONFIG_LOG_SYSLOG:
		memset(&o, 0, sizeof(o));
		o.url = lg->target;
		o.owner = lg->owner >= 0 ? (uid_t)lg->owner : (uid_t)-1;
		o.group = lg->group >= 0 ? (gid_t)lg->group : (gid_t)-1;
		o.mode = lg->mode;
		for (k = 0; k < lg->nallow && k < DHCPLOG_MAX_ALLOW; k++)
			o.allow[o.nallow++] = lg->allow[k];
		s->sl = dhcplog_syslog_open(&o, err, sizeof(err));
		break;
	case CONFIG_LOG_FILE:
		s->fo = dhcplog_follow_open(lg->target, NULL, err, sizeof(err));
		break;
	case CONFIG_LOG_JOURNAL:
		s->jo = dhcplog_journal_open(lg->target, lg->journal_dir, 0,
		    err, sizeof(err));
		break;
	default:
		return;
	}
	if (s->sl != NULL || s->fo != NULL || s->jo != NULL) {
		if (s->failing)
			log_info("log source %s: open again", lg->target);
		s->failing = 0;
		return;
	}
	if (!s->failing)
		log_warnx("log source %s: %s (retrying every %d s)",
		    lg->target, err, LR_RETRY_SECS);
	s->failing = 1;
	s->retry_at = now + LR_RETRY_SECS;
}

static int
source_fd(struct lr_source *s)
{
	if (s->sl != NULL)
		return dhcplog_syslog_fd(s->sl);
	if (s->fo != NULL)
		return dhcplog_follow_fd(s->fo);
	if (s->jo != NULL)
		return dhcplog_journal_fd(s->jo);
	return -1;
}

/* Read what source s has (mono: poll_clock; now: wall clock, for the
 * lines); 1 when it delivered anything. */
static int
source_read(struct logreader *lr, struct lr_source *s, double mono,
    double now)
{
	struct lr_ctx c = { lr, s, now, 0 };
	int rc = 0;

	if (s->sl != NULL)
		rc = dhcplog_syslog_read(s->sl, on_line, &c, &s->refused);
	else if (s->fo != NULL)
		rc = dhcplog_follow_read(s->fo, on_line, &c);
	else if (s->jo != NULL)
		rc = dhcplog_journal_read(s->jo, on_entry, &c);
	if (rc == -1) {
		log_warn("log source %s", s->cfg->target);
		if (s->sl != NULL || s->jo != NULL) {
			source_close(s);
			s->retry_at = mono + LR_RETRY_SECS;
			s->failing = 1;
			c.changed = 1;
		}
	}
	return c.changed;
}

/* Every 5 minutes: a sample of the counters, for "the last hour". */
static void
ring_tick(struct lr_server *v, double now)
{
	struct dhcplog_counts *slot;

	if (now < v->ring_next)
		return;
	v->ring_next = now + LR_RING_SECS;
	slot = &v->ring[v->ring_n < LR_RING ? v->ring_n : v->ring_at];
	(void)dhcplog_counts_copy(slot, &v->counts);
	if (v->ring_n < LR_RING)
		v->ring_n++;
	else
		v->ring_at = (v->ring_at + 1) % LR_RING;
}

static void *
logreader_main(void *arg)
{
	struct logreader *lr = arg;
	struct pollfd pfd[CONFIG_SERVERS_MAX + 1];
	double mono, last_handover = -LR_HANDOVER_SECS;
	int changed = 0, was_up[CONFIG_SERVERS_MAX];
	size_t i;

	/* schedules on the monotonic clock; line times on the wall clock */
	memset(was_up, 0, sizeof(was_up));
	for (;;) {
		mono = poll_clock();
		pfd[0].fd = lr->cancel_fd;
		pfd[0].events = POLLIN;
		for (i = 0; i < lr->nsrc; i++) {
			source_open(lr, &lr->src[i], mono);
			pfd[i + 1].fd = source_fd(&lr->src[i]);
			pfd[i + 1].events = POLLIN;
			if (source_up(&lr->src[i]) != was_up[i]) {
				was_up[i] = source_up(&lr->src[i]);
				changed = 1;
			}
		}
		if (poll(pfd, lr->nsrc + 1, 1000) == -1 && errno != EINTR)
			log_warn("poll");
		if (pfd[0].revents & POLLIN)
			break;
		mono = poll_clock();
		/* files also on the clock: inotify misses NFS and the like */
		for (i = 0; i < lr->nsrc; i++)
			if ((pfd[i + 1].revents & (POLLIN | POLLERR)) ||
			    lr->src[i].fo != NULL)
				changed |= source_read(lr, &lr->src[i], mono,
				    snapshot_now());
		for (i = 0; i < lr->cfg->nservers; i++)
			if (lr->srv[i].has)
				ring_tick(&lr->srv[i], mono);
		if (changed && mono - last_handover >= LR_HANDOVER_SECS) {
			for (i = 0; i < lr->cfg->nservers; i++)
				if (lr->srv[i].has) {
					handover(lr, i);
					lr->changed(lr->changed_arg, i);
				}
			last_handover = mono;
			changed = 0;
		}
	}
	return NULL;
}

/* Start the thread (none when no server has `log:`). */
int
logreader_start(struct logreader *lr, char *err, size_t errlen)
{
	int rc;

	if (lr->nsrc == 0)
		return 0;
	if ((rc = pthread_create(&lr->thread, NULL, logreader_main, lr)) !=
	    0) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		return -1;
	}
	lr->started = 1;
	return 0;
}

/* Join the thread: the caller has made cancel_fd readable. Then hand
 * over what it counted last. */
void
logreader_stop(struct logreader *lr)
{
	size_t i;

	if (lr == NULL || !lr->started)
		return;
	pthread_join(lr->thread, NULL);
	lr->started = 0;
	for (i = 0; i < lr->cfg->nservers; i++)
		if (lr->srv[i].has)
			handover(lr, i);
}
