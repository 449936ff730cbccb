/*
 * worst_snapshot.h: the snapshot of a configuration as the poller would
 * publish it (every server, pool with its labels, and host, as
 * poller.c's publish_server adds them), with every series present and
 * every value at its widest.  Shared by test_config.c (the /metrics size
 * estimate) and fuzz_config.c (whatever loads, publishes and serves).
 * NULL when a builder refuses (errno says why).
 */
#ifndef WORST_SNAPSHOT_H
#define WORST_SNAPSHOT_H

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "config/config_int.h"
#include "dhcpdconf.h"
#include "metrics/metrics.h"

static void
worst_pool(struct snapshot_pool *sp)
{
	size_t k;

	sp->resolution = 1;
	sp->counters_known = 1;
	sp->addresses = sp->free = sp->backup = UINT64_MAX;
	sp->sweep_known = 1;
	for (k = 0; k < SNAPSHOT_NSTATES; k++)
		sp->states[k] = UINT64_MAX;
	for (k = 0; k < SNAPSHOT_NEXPIRY; k++)
		sp->expiring[k] = UINT64_MAX;
	sp->earliest_end = INT64_MAX;
}

/* The pool's ranges at their widest text, and its shared network. */
static int
worst_info(struct snapshot_pool *sp, const struct config_pool *cp)
{
	char *text;
	size_t k;
	int rc;

	if ((text = malloc(cp->nranges * 32 + 1)) == NULL)
		return -1;
	text[0] = '\0';
	for (k = 0; k < cp->nranges; k++)
		strcat(text, k ? ",255.255.255.255-255.255.255.255" :
		    "255.255.255.255-255.255.255.255");
	rc = snapshot_pool_set_info(sp, cp->shared_network, text);
	free(text);
	return rc;
}

/* Every pool its own shared network's sums: the most there can be. */
static int
worst_shared(struct snapshot_server *ss, const char *name)
{
	struct snapshot_shared *sh;

	if ((sh = snapshot_server_add_shared(ss, name)) == NULL)
		return -1;
	sh->addresses = sh->free = sh->backup = UINT64_MAX;
	return 0;
}

/*
 * Every peer with every series, a state no one knows on both sides (its
 * 12 zeros and `unknown`), every class with all three.
 */
static int
worst_failover(struct snapshot_server *ss, const struct config_server *cs)
{
	struct snapshot_peer *fp;
	struct snapshot_class *c;
	size_t i, k;

	for (i = 0; i < cs->npeers; i++) {
		if ((fp = snapshot_server_add_peer(ss, cs->peers[i])) == NULL)
			return -1;
		fp->fo.found = 1;
		fp->fo.role = 1;
		for (k = 0; k < SNAPSHOT_FO_NSIDES; k++) {
			fp->fo.state_known[k] = 1;
			fp->fo.state[k] = UINT32_MAX;
			fp->fo.stos[k] = UINT32_MAX;
		}
		for (k = 0; k < SNAPSHOT_FO_NPARAMS; k++) {
			fp->fo.param_known[k] = 1;
			fp->fo.param[k] = UINT64_MAX;
		}
	}
	for (i = 0; i < cs->nclasses; i++) {
		if ((c = snapshot_server_add_class(ss, cs->classes[i])) == NULL)
			return -1;
		c->c = (struct snapshot_cls){ 1, 1, 1, UINT64_MAX, UINT64_MAX };
	}
	return 0;
}

/*
 * dhcpd's log at its widest: every counter at UINT64_MAX and, without
 * dhcpd_conf, DHCPLOG_MAX_NETWORKS names of 128 bytes that each escape to
 * two, and "other".
 */
static int
worst_log(struct snapshot_server *ss, const struct config_server *cs)
{
	struct snapshot_log l;
	char name[129];
	size_t i, n, r;
	int rc;

	if (cs->log.kind == CONFIG_LOG_NONE)
		return 0;
	memset(&l, 0, sizeof(l));
	dhcplog_counts_init(&l.counts);
	dhcplog_counts_init(&l.hour_ago);
	l.up = 1;
	l.other_host = l.refused = UINT64_MAX;
	l.counts.lines = l.counts.unparsed = l.counts.other_program =
	    l.counts.abandoned = UINT64_MAX;
	l.counts.last_line = -DBL_MAX;
	for (i = 0; i < DHCPLOG_NTYPES; i++)
		l.counts.packets[i] = UINT64_MAX;
	n = cs->dconf != NULL ? cs->dconf->nshared + 1 :
	    DHCPLOG_MAX_NETWORKS + 1;
	if ((l.counts.nets = calloc(n, sizeof(*l.counts.nets))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (cs->dconf != NULL && i < cs->dconf->nshared)
			snprintf(name, sizeof(name), "%s",
			    cs->dconf->shared[i].name);
		else {
			memset(name, i % 2 ? '"' : '\\', 128);
			name[128] = '\0';
			name[0] = (char)('a' + i / 26 % 26);	/* unique */
			name[1] = (char)('a' + i % 26);
		}
		if ((l.counts.nets[i].name = strdup(name)) == NULL)
			break;
		l.counts.nnets++;
		for (r = 0; r < DHCPLOG_NREASONS; r++)
			l.counts.nets[i].failures[r] = UINT64_MAX;
	}
	for (r = 0; r < DHCPLOG_NREASONS; r++)
		l.counts.nofail[r] = UINT64_MAX;
	rc = l.counts.nnets == n ? snapshot_server_set_log(ss, &l) : -1;
	dhcplog_counts_free(&l.counts);
	return rc;
}

static int
worst_server(struct snapshot *snap, const struct config_server *cs)
{
	static const char mac[] = "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:"
	    "ff:ff";
	struct snapshot_server *ss;
	struct snapshot_pool *sp;
	struct snapshot_host *sh;
	size_t i, j;

	if ((ss = snapshot_add_server(snap, cs->name)) == NULL)
		return -1;
	ss->up = 1;
	ss->sweep_enabled = 1;
	ss->sweep_rate_limit = -DBL_MAX;
	ss->sweep_connections = UINT32_MAX;
	ss->has_conf = 1;
	ss->conf_loaded = -DBL_MAX;
	ss->conf_errors = ss->unserved_ranges = UINT64_MAX;
	ss->last_poll = ss->last_sweep = -DBL_MAX;
	ss->poll_duration = ss->sweep_duration = -DBL_MAX;
	ss->polls = ss->requests = ss->resets = UINT64_MAX;
	for (i = 0; i < SNAPSHOT_NREASONS; i++)
		ss->errors[i] = UINT64_MAX;
	for (i = 0; i < cs->npools; i++) {
		if ((sp = snapshot_server_add_pool(ss, cs->pools[i].name)) ==
		    NULL)
			return -1;
		for (j = 0; j < cs->pools[i].nlabels; j++)
			if (snapshot_pool_add_label(sp,
			    cs->pools[i].labels[j].name,
			    cs->pools[i].labels[j].value) == -1)
				return -1;
		if (cs->pools[i].failover_peer != NULL &&
		    snapshot_pool_set_peer(sp, cs->pools[i].failover_peer) == -1)
			return -1;
		worst_pool(sp);
		if (worst_info(sp, &cs->pools[i]) == -1 ||
		    (cs->pools[i].shared_network != NULL && worst_shared(ss,
		    cs->pools[i].shared_network) == -1))
			return -1;
	}
	if (worst_failover(ss, cs) == -1 || worst_log(ss, cs) == -1)
		return -1;
	for (i = 0; i < cs->nhosts; i++) {
		if ((sh = snapshot_server_add_host(ss,
		    cs->hosts[i].label)) == NULL ||
		    snapshot_host_found(sh, mac, "255.255.255.255") == -1)
			return -1;
	}
	return 0;
}

static struct snapshot *
worst_snapshot(const struct config *cfg)
{
	struct snapshot *snap;
	size_t i;

	if ((snap = snapshot_new("0.0.0-worst-case-version",
	    "0123456789abcdef0123456789abcdef01234567")) == NULL)
		return NULL;
	for (i = 0; i < cfg->nservers; i++)
		if (worst_server(snap, &cfg->servers[i]) == -1) {
			snapshot_release(snap);
			return NULL;
		}
	return snap;
}

#endif /* WORST_SNAPSHOT_H */
