/*
 * server.c: one dhcpd's connection, opened with backoff and re-opened
 * after a failure, and the counters its worker keeps.  Only the worker
 * that owns the struct server calls these (server.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keypage.h"
#include "log.h"
#include "server.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000

/* Arrays sized for the server's configuration, zeroed. */
int
server_result_alloc(struct server_result *r, const struct config_server *cfg)
{
	memset(r, 0, sizeof(*r));
	r->sweep_enabled = cfg->sweep.enabled;
	r->pools = calloc(cfg->npools ? cfg->npools : 1, sizeof(*r->pools));
	r->hosts = calloc(cfg->nhosts ? cfg->nhosts : 1, sizeof(*r->hosts));
	if (r->pools == NULL || r->hosts == NULL) {
		server_result_free(r);
		return -1;
	}
	return 0;
}

void
server_result_free(struct server_result *r)
{
	free(r->pools);
	free(r->hosts);
	leasetab_release(r->leases);
	r->pools = NULL;
	r->hosts = NULL;
	r->leases = NULL;
}

/* Copy a result into another of the same configuration's size. */
void
server_result_copy(struct server_result *dst, const struct server_result *src,
    const struct config_server *cfg)
{
	struct pool_result *pools = dst->pools;
	struct host_result *hosts = dst->hosts;
	struct leasetab *old = dst->leases;

	*dst = *src;
	dst->pools = pools;
	dst->hosts = hosts;
	/* the table is immutable once handed over: shared, not copied */
	dst->leases = leasetab_ref(src->leases);
	leasetab_release(old);
	memcpy(pools, src->pools, cfg->npools * sizeof(*pools));
	memcpy(hosts, src->hosts, cfg->nhosts * sizeof(*hosts));
}

int
server_init(struct server *s, const struct config_server *cfg, int cancel_fd,
    char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->cancel_fd = cancel_fd;
	if (cfg->key.src != CONFIG_SECRET_NONE) {
		if ((s->key = keypage_alloc()) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if (config_load_key(cfg, s->key, err, errlen) == -1)
			goto fail;
	}
	if (server_result_alloc(&s->res, cfg) == -1 ||
	    (s->unresolved_logged = calloc(cfg->npools + 1, 1)) == NULL ||
	    sweeper_init(&s->sweep, cfg) == -1) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	server_free(s);
	return -1;
}

void
server_free(struct server *s)
{
	server_disconnect(s);
	sweeper_free(&s->sweep);
	keypage_free(s->key);
	s->key = NULL;
	free(s->unresolved_logged);
	s->unresolved_logged = NULL;
	server_result_free(&s->res);
}

/*
 * Count a failed exchange under its reason and remember it for the log.
 * A cancelled one is the exporter stopping or reloading, not the server
 * failing: it is not counted.
 */
void
server_count_error(struct server *s, const struct omapi_error *e)
{
	int r = snapshot_reason_from_omapi(e->code);

	if (r >= 0)
		s->res.counters.errors[r]++;
	if (e->code != OMAPI_ERR_CANCELLED)
		snprintf(s->last_error, sizeof(s->last_error), "%s", e->text);
}

/*
 * Bring the connection's own counters into the result: requests sent and
 * replies to requests never sent, which the library drops and we count as
 * protocol errors (a confused or hostile server), logged at the first of
 * each connection.
 */
void
server_sync_counters(struct server *s)
{
	const struct omapi_conn_stats *st;
	uint64_t n;

	s->res.counters.requests = s->closed_requests;
	if (s->conn == NULL)
		return;
	st = omapi_conn_stats(s->conn);
	s->res.counters.requests += st->requests;
	n = st->unmatched;
	if (n <= s->unmatched_seen)
		return;
	if (s->unmatched_seen == 0)
		log_warnx("server %s: replies to requests never sent "
		    "(ignored, counted as protocol errors)", s->cfg->name);
	s->res.counters.errors[SNAPSHOT_ERR_PROTOCOL] += n - s->unmatched_seen;
	s->unmatched_seen = n;
}

void
server_disconnect(struct server *s)
{
	if (s->conn == NULL)
		return;
	server_sync_counters(s);
	s->closed_requests = s->res.counters.requests;
	s->unmatched_seen = 0;
	omapi_conn_close(s->conn);
	s->conn = NULL;
	s->handles_resolved = 0;
}

/*
 * Make sure there is a working connection: drop a broken one and, when the
 * backoff allows, open a new one.  0 when connected.
 */
int
server_connect(struct server *s, double now)
{
	struct omapi_conn_opts o;
	struct omapi_conn *c;
	struct omapi_error e;

	if (s->conn != NULL && !omapi_conn_is_broken(s->conn))
		return 0;
	if (s->conn != NULL) {
		s->res.counters.resets++;
		server_disconnect(s);
		s->next_connect = now;	/* first retry at once */
	}
	if (now < s->next_connect)
		return -1;
	memset(&o, 0, sizeof(o));
	o.host = s->cfg->address;
	o.port = s->cfg->port;
	o.key = s->key;
	o.connect_timeout_ms = (int)s->cfg->connect_timeout_ms;
	o.io_timeout_ms = (int)s->cfg->timeout_ms;
	o.max_msg = s->cfg->max_message_size;
	o.cancel_fd = s->cancel_fd;
	if ((c = omapi_conn_open(&o, &e)) == NULL) {
		server_count_error(s, &e);
		s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2 :
		    BACKOFF_MIN_MS;
		if (s->backoff_ms > BACKOFF_MAX_MS)
			s->backoff_ms = BACKOFF_MAX_MS;
		s->next_connect = now + s->backoff_ms / 1000.0;
		/* The poll that needed it logs the outage (poller.c). */
		log_debug("server %s: %s (%s); retrying in %.0f s",
		    s->cfg->name, e.text, omapi_errcode_name(e.code),
		    s->backoff_ms / 1000.0);
		return -1;
	}
	s->backoff_ms = 0;
	s->conn = c;
	return 0;
}
