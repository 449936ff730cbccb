/*
 * publish.c: one server's handed-over results, as the series of a new
 * snapshot.  Reads only the configuration and the result copy.
 */
#include <string.h>

#include "server.h"

static int
publish_pools(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	const struct pool_result *pr;
	struct snapshot_pool *sp;
	size_t i, j;

	for (i = 0; i < cfg->npools; i++) {
		pr = &r->pools[i];
		if ((sp = snapshot_server_add_pool(ss, cfg->pools[i].name)) ==
		    NULL)
			return -1;
		for (j = 0; j < cfg->pools[i].nlabels; j++)
			if (snapshot_pool_add_label(sp,
			    cfg->pools[i].labels[j].name,
			    cfg->pools[i].labels[j].value) == -1)
				return -1;
		if (cfg->pools[i].failover_peer != NULL &&
		    snapshot_pool_set_peer(sp,
		    cfg->pools[i].failover_peer) == -1)
			return -1;
		sp->resolution = pr->resolution == POOL_RESOLVED ? 1 :
		    pr->resolution == POOL_UNRESOLVED ? 0 : -1;
		sp->counters_known = r->up && pr->counters_known;
		sp->addresses = pr->addresses;
		sp->free = pr->free;
		sp->backup = pr->backup;
		sp->sweep_known = pr->sweep.known;
		memcpy(sp->states, pr->sweep.states, sizeof(sp->states));
		memcpy(sp->expiring, pr->sweep.expiring,
		    sizeof(sp->expiring));
		sp->earliest_end = pr->sweep.earliest_end;
	}
	return 0;
}

static int
publish_hosts(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	const struct host_result *hr;
	struct snapshot_host *sh;
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		hr = &r->hosts[i];
		if ((sh = snapshot_server_add_host(ss,
		    cfg->hosts[i].label)) == NULL)
			return -1;
		sh->present = r->up && hr->present;
		if (sh->present && snapshot_host_found(sh, hr->mac,
		    hr->ip[0] ? hr->ip : NULL) == -1)
			return -1;
	}
	return 0;
}

/* The watched failover peers and classes; only a server that is up. */
static int
publish_failover(struct snapshot_server *ss, const struct config_server *cfg,
    const struct server_result *r)
{
	struct snapshot_peer *sp;
	struct snapshot_class *sc;
	size_t i;

	for (i = 0; i < cfg->npeers; i++) {
		if ((sp = snapshot_server_add_peer(ss, cfg->peers[i])) == NULL)
			return -1;
		if (r->up)
			sp->fo = r->peers[i];
	}
	for (i = 0; i < cfg->nclasses; i++) {
		if ((sc = snapshot_server_add_class(ss, cfg->classes[i])) ==
		    NULL)
			return -1;
		if (r->up)
			sc->c = r->classes[i];
	}
	return 0;
}

/* Add one server, its pools and its hosts to snap; -1 with errno. */
int
publish_server(struct snapshot *snap, const struct config_server *cfg,
    const struct server_result *r)
{
	struct snapshot_server *ss;

	if ((ss = snapshot_add_server(snap, cfg->name)) == NULL)
		return -1;
	ss->up = r->up;
	ss->sweep_enabled = r->sweep_enabled;
	ss->sweep_rate_limit = r->sweep_rate_limit;
	ss->sweep_connections = r->sweep_connections;
	ss->last_poll = r->last_poll;
	ss->poll_duration = r->poll_duration;
	ss->last_sweep = r->last_sweep;
	ss->sweep_duration = r->sweep_duration;
	ss->polls = r->counters.polls;
	ss->requests = r->counters.requests;
	memcpy(ss->errors, r->counters.errors, sizeof(ss->errors));
	ss->resets = r->counters.resets;
	if (publish_pools(ss, cfg, r) == -1 || publish_hosts(ss, cfg, r) == -1 ||
	    publish_failover(ss, cfg, r) == -1)
		return -1;
	return 0;
}
