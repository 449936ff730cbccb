/*
 * poll_failover.c: the part of a poll that reads the server's failover
 * peers (the failover-state object of each, by name) and its classes
 * (the class object of each, by name), pipelined on the connection of the
 * poll.  Into the worker's own result (poll/poll_int.h): what a peer or class
 * the server lacks looks like is found = 0, said once in the log; it is
 * not a failure of the server.
 */
#include <sys/types.h>

#include <string.h>

#include "log.h"
#include "poll_int.h"

#define FO_WINDOW	32

struct fo_step {
	struct server	*s;
	struct omapi_nv	 type;
	struct omapi_nv	 key;
	int		 fatal;		/* auth failure: stop */
};

/* Item i: peer i, then class i - npeers. */
static void
fo_make(void *arg, size_t i, struct omapi_request *req)
{
	struct fo_step *st = arg;
	const struct config_server *cfg = st->s->cfg;
	const char *name;

	if (i < cfg->npeers) {
		name = cfg->peers[i];
		st->type = (struct omapi_nv){ "type", "failover-state", 14 };
	} else {
		name = cfg->classes[i - cfg->npeers];
		st->type = (struct omapi_nv){ "type", "class", 5 };
	}
	st->key = (struct omapi_nv){ "name", name, (uint32_t)strlen(name) };
	*req = (struct omapi_request){ OMAPI_OP_OPEN, 0, 0, &st->type, 1,
	    &st->key, 1 };
}

/* A u32 attribute into *v, and whether it was there. */
static int
fo_u32(const struct omapi_msg *m, const char *name, uint64_t *v)
{
	uint32_t u;

	if (omapi_list_u32(&m->object, name, &u) == -1)
		return 0;
	*v = u;
	return 1;
}

static void
peer_read(struct snapshot_fo *fo, const struct omapi_msg *m)
{
	static const char *const state[] = { "local-state", "partner-state" };
	static const char *const stos[] = { "local-stos", "partner-stos" };
	static const char *const param[SNAPSHOT_FO_NPARAMS] = {
		[SNAPSHOT_FO_MCLT] = "mclt",
		[SNAPSHOT_FO_UNACKED] = "cur-unacked-updates",
		[SNAPSHOT_FO_MAX_UNACKED] = "max-outstanding-updates",
		[SNAPSHOT_FO_MRD] = "max-response-delay",
		[SNAPSHOT_FO_LBMS] = "load-balance-max-secs",
	};
	uint64_t v;
	int i;

	memset(fo, 0, sizeof(*fo));
	fo->found = 1;
	for (i = 0; i < SNAPSHOT_FO_NSIDES; i++) {
		if ((fo->state_known[i] = fo_u32(m, state[i], &v)))
			fo->state[i] = (uint32_t)v;
		if (fo_u32(m, stos[i], &v))
			fo->stos[i] = (uint32_t)v;
	}
	fo->role = fo_u32(m, "hierarchy", &v) && v <= 1 ? (int)v : -1;
	for (i = 0; i < SNAPSHOT_FO_NPARAMS; i++)
		fo->param_known[i] = fo_u32(m, param[i], &fo->param[i]);
}

static void
class_read(struct snapshot_cls *c, const struct omapi_msg *m)
{
	memset(c, 0, sizeof(*c));
	c->found = 1;
	c->limit_known = fo_u32(m, "lease-limit", &c->lease_limit);
	c->used_known = fo_u32(m, "leases-used", &c->leases_used);
}

/*
 * A peer or class the server does not have: say so once (again only
 * after it was found in between), with dhcpd's answer.
 */
static void
fo_missing(struct fo_step *st, size_t i, const char *answer)
{
	struct server *s = st->s;
	const struct config_server *cfg = s->cfg;
	int peer = i < cfg->npeers;
	size_t k = peer ? i : i - cfg->npeers;
	uint8_t *logged = peer ? &s->peer_logged[k] : &s->class_logged[k];

	if (peer) {
		memset(&s->res.peers[k], 0, sizeof(s->res.peers[k]));
		s->res.peers[k].role = -1;
	} else
		memset(&s->res.classes[k], 0, sizeof(s->res.classes[k]));
	if (*logged)
		return;
	*logged = 1;
	log_warnx("server %s: %s \"%s\" is not on the server: dhcpd "
	    "answered \"%s\"; exported as %s 0", cfg->name,
	    peer ? "failover peer" : "class", peer ? cfg->peers[k] :
	    cfg->classes[k], answer, peer ? "dhcpd_failover_peer_found" :
	    "dhcpd_class_found");
}

static void
fo_done(void *arg, size_t i, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct fo_step *st = arg;
	struct server *s = st->s;
	size_t np = s->cfg->npeers;
	struct omapi_error se;

	if (st->fatal)		/* the rest echo one refused key (poll.c) */
		return;
	if (e == NULL && m->hdr.opcode == OMAPI_OP_STATUS) {
		if (omapi_status_to_error(m, &se) == 0)
			omapi_seterr(&se, OMAPI_ERR_PROTOCOL,
			    "unexpected status reply");
		e = &se;
	}
	if (e != NULL && e->code != OMAPI_ERR_NOTFOUND) {
		server_count_error(s, e);
		if (e->code == OMAPI_ERR_AUTH || e->code == OMAPI_ERR_CANCELLED)
			st->fatal = 1;
		if (e->code != OMAPI_ERR_STATUS)
			return;
	}
	if (e != NULL) {
		fo_missing(st, i, e->text);
		return;
	}
	if (i < np) {
		peer_read(&s->res.peers[i], m);
		s->peer_logged[i] = 0;
	} else {
		class_read(&s->res.classes[i - np], m);
		s->class_logged[i - np] = 0;
	}
}

/*
 * Read every watched peer and class into the worker's result.  0 when the
 * server answered them all (found or not), -1 when the connection or the
 * key failed.
 */
int
server_failover_poll(struct server *s)
{
	struct fo_step st;
	struct omapi_error e;
	size_t n = s->cfg->npeers + s->cfg->nclasses;

	if (n == 0)
		return 0;
	memset(&st, 0, sizeof(st));
	st.s = s;
	if (omapi_pipeline_run(s->conn, n, FO_WINDOW, fo_make, fo_done, &st,
	    &e) == -1) {
		server_count_error(s, &e);
		return -1;
	}
	return st.fatal ? -1 : 0;
}

/* The index of name in names, or -1. */
static ssize_t
name_index(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * After a reload, when s is still the dhcpd that os polled (same address
 * and port): take over what it knew of each peer and class still watched
 * (by name), and whether their absence was logged, so that no series
 * drops out for a poll and no "not on the server" line repeats.  or is
 * the result os handed over last.
 */
void
server_failover_adopt(struct server *s, const struct server *os,
    const struct server_result *or)
{
	const struct config_server *cfg = s->cfg, *ocfg = os->cfg;
	size_t i;
	ssize_t j;

	if (strcmp(ocfg->address, cfg->address) != 0 ||
	    ocfg->port != cfg->port)
		return;
	for (i = 0; i < cfg->npeers; i++)
		if ((j = name_index(ocfg->peers, ocfg->npeers,
		    cfg->peers[i])) >= 0) {
			s->res.peers[i] = or->peers[j];
			s->peer_logged[i] = os->peer_logged[j];
		}
	for (i = 0; i < cfg->nclasses; i++)
		if ((j = name_index(ocfg->classes, ocfg->nclasses,
		    cfg->classes[i])) >= 0) {
			s->res.classes[i] = or->classes[j];
			s->class_logged[i] = os->class_logged[j];
		}
}
