/*
 * render.c: a snapshot as Prometheus text exposition format 0.0.4.
 *
 * One HELP and one TYPE line per family, all series of a family together,
 * families without series left out.  Label values escape backslash, double
 * quote and newline; HELP text escapes backslash and newline.  Pool series
 * carry server, pool, then the configured labels sorted by name, then the
 * family's own label (state, within_seconds).  Everything goes into a
 * struct omapi_buf whose maximum bounds the body: past it, -1 and EMSGSIZE.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "render.h"

struct render_family {
	const char	*name;
	const char	*type;
	const char	*help;
};

struct render_lbl {
	const char	*name;
	const char	*value;
};

/* A family being written: its header goes out with its first series. */
struct render_ctx {
	struct omapi_buf		*b;
	const struct render_family	*fam;
	int				 started;
};

#define RENDER_NLBL	(SNAPSHOT_LABELS_MAX + 4)
#define RENDER_VALLEN	64

#define SWEEP_NOTE " Cached from the last sweep: up to one sweep interval " \
	"old (see dhcpd_exporter_last_sweep_timestamp_seconds)."

enum render_fid {
	F_UP, F_RESOLVED, F_ADDRS, F_FREE, F_BACKUP, F_LEASES, F_EXPIRING, F_EARLIEST,
	F_HOST_PRESENT, F_HOST_INFO,
	F_FO_FOUND, F_FO_STATE, F_FO_STOS, F_FO_INFO, F_FO_MCLT, F_FO_UNACKED,
	F_FO_MAX_UNACKED, F_FO_MRD, F_FO_LBMS,
	F_CLASS_FOUND, F_CLASS_LIMIT, F_CLASS_USED, F_BUILD, F_LAST_POLL, F_POLL_DUR, F_POLLS,
	F_SWEEP_ENABLED, F_SWEEP_RATE, F_SWEEP_CONNS, F_LAST_SWEEP, F_SWEEP_DUR, F_REQUESTS, F_ERRORS, F_RESETS, F_NFAM
};

_Static_assert(F_FO_LBMS - F_FO_MCLT == SNAPSHOT_FO_LBMS,
    "the failover parameter families are in snapshot_fo_param order");

static const struct render_family render_families[F_NFAM] = {
	[F_UP] = { "dhcpd_up", "gauge",
	    "Whether the last poll of the dhcpd server over OMAPI succeeded "
	    "(1) or not (0)." },
	[F_RESOLVED] = { "dhcpd_pool_resolved", "gauge",
	    "Whether dhcpd serves the configured pool (1): the lease of its "
	    "first address names a pool object; 0 when dhcpd answered \"not "
	    "found\" or an error (the pool then has no counters: see the "
	    "log)." },
	[F_ADDRS] = { "dhcpd_pool_addresses", "gauge",
	    "Addresses in the pool: lease-count of dhcpd's pool object, read "
	    "every poll." },
	[F_FREE] = { "dhcpd_pool_free_addresses", "gauge",
	    "Free addresses in the pool: free-leases of dhcpd's pool object, "
	    "read every poll." },
	[F_BACKUP] = { "dhcpd_pool_backup_addresses", "gauge",
	    "Addresses in the pool kept for the failover peer: backup-leases "
	    "of dhcpd's pool object, read every poll." },
	[F_LEASES] = { "dhcpd_pool_leases", "gauge",
	    "Leases in the pool by binding state, counted by a full sweep of "
	    "the pool's ranges." SWEEP_NOTE },
	[F_EXPIRING] = { "dhcpd_pool_active_leases_expiring", "gauge",
	    "Active leases in the pool whose end is at most within_seconds "
	    "after the sweep read them (cumulative: the 3600 count includes "
	    "the 300 count)." SWEEP_NOTE },
	[F_EARLIEST] = { "dhcpd_pool_earliest_lease_end_timestamp_seconds",
	    "gauge",
	    "Earliest end of an active lease in the pool, in seconds since "
	    "the epoch; absent when the pool has no active lease." SWEEP_NOTE },
	[F_HOST_PRESENT] = { "dhcpd_host_present", "gauge",
	    "Whether the configured host (by name or MAC) exists on the "
	    "server (1) or not (0)." },
	[F_HOST_INFO] = { "dhcpd_host_info", "gauge",
	    "Hardware address and fixed address (empty when none) of a "
	    "configured host found on the server; always 1." },
	[F_FO_FOUND] = { "dhcpd_failover_peer_found", "gauge",
	    "Whether the server has the watched failover peer (1) or answered "
	    "\"not found\" for it (0: see the log)." },
	[F_FO_STATE] = { "dhcpd_failover_state", "gauge",
	    "Failover state of the local server or of its partner as the "
	    "server sees it: 1 for the current state, 0 for the others "
	    "(local-state, partner-state)." },
	[F_FO_STOS] = { "dhcpd_failover_state_change_timestamp_seconds",
	    "gauge",
	    "When that side entered its current failover state, in seconds "
	    "since the epoch (local-stos, partner-stos)." },
	[F_FO_INFO] = { "dhcpd_failover_info", "gauge",
	    "The server's role in the failover pair (hierarchy); always 1." },
	[F_FO_MCLT] = { "dhcpd_failover_mclt_seconds", "gauge",
	    "Maximum client lead time of the failover pair (mclt)." },
	[F_FO_UNACKED] = { "dhcpd_failover_unacked_updates", "gauge",
	    "Binding updates sent to the partner and not acknowledged yet "
	    "(cur-unacked-updates)." },
	[F_FO_MAX_UNACKED] = { "dhcpd_failover_max_unacked_updates", "gauge",
	    "Binding updates the server may have unacknowledged "
	    "(max-outstanding-updates)." },
	[F_FO_MRD] = { "dhcpd_failover_max_response_delay_seconds", "gauge",
	    "Seconds without a message from the partner after which the "
	    "server calls the connection lost (max-response-delay)." },
	[F_FO_LBMS] = { "dhcpd_failover_load_balance_max_seconds", "gauge",
	    "Seconds a client may retry before either server answers it, "
	    "whatever the load balancing (load-balance-max-secs)." },
	[F_CLASS_FOUND] = { "dhcpd_class_found", "gauge",
	    "Whether the server has the watched class (1) or answered \"not "
	    "found\" for it (0: see the log)." },
	[F_CLASS_LIMIT] = { "dhcpd_class_lease_limit", "gauge",
	    "Leases the class may hold at once (lease-limit)." },
	[F_CLASS_USED] = { "dhcpd_class_leases_used", "gauge",
	    "Leases billed to the class now (leases-used)." },
	[F_BUILD] = { "dhcpd_exporter_build_info", "gauge",
	    "Version and commit the exporter was built from; always 1." },
	[F_LAST_POLL] = { "dhcpd_exporter_last_poll_timestamp_seconds",
	    "gauge",
	    "When the last poll of the server finished, in seconds since the "
	    "epoch." },
	[F_POLL_DUR] = { "dhcpd_exporter_poll_duration_seconds", "gauge",
	    "How long the last poll of the server (pool counters and hosts) "
	    "took." },
	[F_POLLS] = { "dhcpd_exporter_polls_total", "counter",
	    "Polls of the server since the exporter started." },
	[F_SWEEP_ENABLED] = { "dhcpd_exporter_sweep_enabled", "gauge",
	    "Whether the server is configured with a lease sweep (1) or "
	    "not (0)." },
	[F_SWEEP_RATE] = { "dhcpd_exporter_sweep_rate_limit", "gauge",
	    "Lookups per second the sweep may send now: max_rate, lowered "
	    "while dhcpd's reply times show it busy with DHCP; 0 when the "
	    "sweep has no limit." },
	[F_SWEEP_CONNS] = { "dhcpd_exporter_sweep_connections", "gauge",
	    "OMAPI connections the last sweep slice ran on (sweep.connections, "
	    "or chosen by measuring the first slices)." },
	[F_LAST_SWEEP] = { "dhcpd_exporter_last_sweep_timestamp_seconds",
	    "gauge",
	    "When the last complete sweep of the server's pools finished, in "
	    "seconds since the epoch; absent before the first. Lease state "
	    "and expiry metrics date from then." },
	[F_SWEEP_DUR] = { "dhcpd_exporter_sweep_duration_seconds", "gauge",
	    "How long the last complete sweep of the server's pools took." },
	[F_REQUESTS] = { "dhcpd_exporter_omapi_requests_total", "counter",
	    "OMAPI requests sent to the server." },
	[F_ERRORS] = { "dhcpd_exporter_omapi_errors_total", "counter",
	    "Failed OMAPI exchanges with the server, by reason." },
	[F_RESETS] = { "dhcpd_exporter_connection_resets_total", "counter",
	    "Times the OMAPI connection to the server was lost or had to be "
	    "reopened." },
};

static int
render_str(struct omapi_buf *b, const char *s)
{
	return omapi_buf_add(b, s, strlen(s));
}

/* Append s with each byte in `special` written as its escape. */
static int
render_escaped(struct omapi_buf *b, const char *s, const char *special)
{
	const char *run;

	for (run = s; *s; s++) {
		if (strchr(special, *s) == NULL)
			continue;
		if (omapi_buf_add(b, run, (size_t)(s - run)) == -1)
			return -1;
		if (render_str(b, *s == '\n' ? "\\n" :
		    *s == '"' ? "\\\"" : "\\\\") == -1)
			return -1;
		run = s + 1;
	}
	return omapi_buf_add(b, run, (size_t)(s - run));
}

/* Append a label value escaped for the text format. */
int
render_label_value(struct omapi_buf *b, const char *s)
{
	return render_escaped(b, s, "\\\"\n");
}

/* Append HELP text escaped for the text format. */
int
render_help_text(struct omapi_buf *b, const char *s)
{
	return render_escaped(b, s, "\\\n");
}

/*
 * Format a sample value: integers up to 2^53 without exponent or point,
 * other finite values with 15 significant digits, NaN and +/-Inf as
 * Prometheus spells them.
 */
static void
render_fmt_double(char *out, size_t len, double v)
{
	if (isnan(v))
		snprintf(out, len, "NaN");
	else if (isinf(v))
		snprintf(out, len, v > 0 ? "+Inf" : "-Inf");
	else if (v == trunc(v) && fabs(v) <= 9007199254740992.0)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.15g", v);
}

/* Append a sample value formatted as render_fmt_double() does. */
int
render_double(struct omapi_buf *b, double v)
{
	char val[RENDER_VALLEN];

	render_fmt_double(val, sizeof(val), v);
	return render_str(b, val);
}

static void
render_fmt_u64(char *out, size_t len, uint64_t v)
{
	snprintf(out, len, "%" PRIu64, v);
}

/* Write the HELP and TYPE lines of the current family. */
static int
render_header(struct render_ctx *c)
{
	const struct render_family *f = c->fam;

	if (render_str(c->b, "# HELP ") == -1 ||
	    render_str(c->b, f->name) == -1 ||
	    render_str(c->b, " ") == -1 ||
	    render_help_text(c->b, f->help) == -1 ||
	    render_str(c->b, "\n# TYPE ") == -1 ||
	    render_str(c->b, f->name) == -1 ||
	    render_str(c->b, " ") == -1 ||
	    render_str(c->b, f->type) == -1 ||
	    render_str(c->b, "\n") == -1)
		return -1;
	c->started = 1;
	return 0;
}

/* Write one series of the current family: name{labels} value. */
static int
render_sample(struct render_ctx *c, const struct render_lbl *l, size_t n,
    const char *value)
{
	size_t i;

	if (!c->started && render_header(c) == -1)
		return -1;
	if (render_str(c->b, c->fam->name) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (render_str(c->b, i == 0 ? "{" : ",") == -1 ||
		    render_str(c->b, l[i].name) == -1 ||
		    render_str(c->b, "=\"") == -1 ||
		    render_label_value(c->b, l[i].value) == -1 ||
		    render_str(c->b, "\"") == -1)
			return -1;
	}
	if ((n > 0 && render_str(c->b, "}") == -1) ||
	    render_str(c->b, " ") == -1 ||
	    render_str(c->b, value) == -1 ||
	    render_str(c->b, "\n") == -1)
		return -1;
	return 0;
}

/* Fill l with server, pool and the pool's configured labels. */
static size_t
render_pool_labels(struct render_lbl *l, const struct snapshot_server *sv,
    const struct snapshot_pool *p)
{
	size_t i, n = 0;

	l[n].name = "server";
	l[n++].value = sv->name;
	l[n].name = "pool";
	l[n++].value = p->name;
	if (p->failover_peer != NULL) {
		l[n].name = "failover_peer";
		l[n++].value = p->failover_peer;
	}
	for (i = 0; i < p->nlabels && n < RENDER_NLBL - 1; i++) {
		l[n].name = p->labels[i].name;
		l[n++].value = p->labels[i].value;
	}
	return n;
}

/*
 * The value of a per-server family into val; 1 when the server has no
 * series in it (never swept), 0 otherwise.
 */
static int
render_server_value(enum render_fid f, const struct snapshot_server *sv,
    char *val, size_t len)
{
	switch (f) {
	case F_UP:
		render_fmt_u64(val, len, sv->up ? 1 : 0);
		return 0;
	case F_LAST_POLL:
		if (sv->last_poll == 0)
			return 1;
		render_fmt_double(val, len, sv->last_poll);
		return 0;
	case F_POLL_DUR:
		if (sv->last_poll == 0)
			return 1;
		render_fmt_double(val, len, sv->poll_duration);
		return 0;
	case F_POLLS:
		render_fmt_u64(val, len, sv->polls);
		return 0;
	case F_SWEEP_ENABLED:
		render_fmt_u64(val, len, sv->sweep_enabled ? 1 : 0);
		return 0;
	case F_SWEEP_RATE:
		if (!sv->sweep_enabled)
			return 1;
		render_fmt_double(val, len, sv->sweep_rate_limit);
		return 0;
	case F_SWEEP_CONNS:
		if (!sv->sweep_enabled || sv->sweep_connections == 0)
			return 1;
		render_fmt_u64(val, len, sv->sweep_connections);
		return 0;
	case F_LAST_SWEEP:
		if (sv->last_sweep == 0)
			return 1;
		render_fmt_double(val, len, sv->last_sweep);
		return 0;
	case F_SWEEP_DUR:
		if (sv->last_sweep == 0)
			return 1;
		render_fmt_double(val, len, sv->sweep_duration);
		return 0;
	case F_REQUESTS:
		render_fmt_u64(val, len, sv->requests);
		return 0;
	case F_RESETS:
		render_fmt_u64(val, len, sv->resets);
		return 0;
	default:
		return 1;
	}
}

/* A family with one series per server. */
static int
render_server_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[1];
	char val[RENDER_VALLEN];
	size_t i;

	l[0].name = "server";
	for (i = 0; i < s->nservers; i++) {
		if (render_server_value(f, s->servers[i], val, sizeof(val)))
			continue;
		l[0].value = s->servers[i]->name;
		if (render_sample(c, l, 1, val) == -1)
			return -1;
	}
	return 0;
}

/* The error counters of every server, every reason, zeros included. */
static int
render_errors(struct render_ctx *c, const struct snapshot *s)
{
	struct render_lbl l[2] = { { "server", NULL }, { "reason", NULL } };
	char val[RENDER_VALLEN];
	size_t i;
	int r;

	for (i = 0; i < s->nservers; i++) {
		l[0].value = s->servers[i]->name;
		for (r = 0; r < SNAPSHOT_NREASONS; r++) {
			l[1].value = snapshot_reason_name(r);
			render_fmt_u64(val, sizeof(val), s->servers[i]->errors[r]);
			if (render_sample(c, l, 2, val) == -1)
				return -1;
		}
	}
	return 0;
}

/* The series of one pool in one pool family. */
static int
render_pool(struct render_ctx *c, enum render_fid f,
    const struct snapshot_server *sv, const struct snapshot_pool *p)
{
	struct render_lbl l[RENDER_NLBL];
	char val[RENDER_VALLEN], within[16];
	size_t n;
	unsigned i;

	n = render_pool_labels(l, sv, p);
	switch (f) {
	case F_RESOLVED:
		if (p->resolution < 0 || !sv->up)
			return 0;	/* not asked yet, or server down */
		return render_sample(c, l, n, p->resolution ? "1" : "0");
	case F_ADDRS:
	case F_FREE:
	case F_BACKUP:
		if (!p->counters_known)
			return 0;
		render_fmt_u64(val, sizeof(val), f == F_ADDRS ? p->addresses :
		    f == F_FREE ? p->free : p->backup);
		return render_sample(c, l, n, val);
	case F_LEASES:
		if (!p->sweep_known)
			return 0;
		l[n].name = "state";
		for (i = 1; i < SNAPSHOT_NSTATES; i++) {
			l[n].value = snapshot_state_name(i);
			render_fmt_u64(val, sizeof(val), p->states[i]);
			if (render_sample(c, l, n + 1, val) == -1)
				return -1;
		}
		return 0;
	case F_EXPIRING:
		if (!p->sweep_known)
			return 0;
		l[n].name = "within_seconds";
		l[n].value = within;
		for (i = 0; i < SNAPSHOT_NEXPIRY; i++) {
			snprintf(within, sizeof(within), "%" PRIu32,
			    snapshot_expiry_secs[i]);
			render_fmt_u64(val, sizeof(val), p->expiring[i]);
			if (render_sample(c, l, n + 1, val) == -1)
				return -1;
		}
		return 0;
	case F_EARLIEST:
		if (!p->sweep_known || p->earliest_end <= 0)
			return 0;
		snprintf(val, sizeof(val), "%" PRId64, p->earliest_end);
		return render_sample(c, l, n, val);
	default:
		return 0;
	}
}

/* A family with series per pool of every server. */
static int
render_pool_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	const struct snapshot_server *sv;
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		sv = s->servers[i];
		for (j = 0; j < sv->npools; j++)
			if (render_pool(c, f, sv, sv->pools[j]) == -1)
				return -1;
	}
	return 0;
}

/* dhcpd_host_present or dhcpd_host_info for every configured host. */
static int
render_host_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[4] = { { "server", NULL }, { "host", NULL },
	    { "mac", NULL }, { "ip", NULL } };
	const struct snapshot_host *h;
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		l[0].value = s->servers[i]->name;
		for (j = 0; j < s->servers[i]->nhosts; j++) {
			h = s->servers[i]->hosts[j];
			l[1].value = h->name;
			if (f == F_HOST_PRESENT) {
				if (render_sample(c, l, 2,
				    h->present ? "1" : "0") == -1)
					return -1;
				continue;
			}
			if (!h->present)
				continue;
			l[2].value = h->mac ? h->mac : "";
			l[3].value = h->ip ? h->ip : "";
			if (render_sample(c, l, 4, "1") == -1)
				return -1;
		}
	}
	return 0;
}

/* dhcpd_failover_state of one side: every state, and unknown ones. */
static int
render_fo_states(struct render_ctx *c, struct render_lbl *l, uint32_t cur)
{
	static const uint32_t states[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    254 };
	size_t i;
	int known = 0;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		l[3].value = omapi_failover_state_name(states[i]);
		known |= states[i] == cur;
		if (render_sample(c, l, 4, states[i] == cur ? "1" : "0") == -1)
			return -1;
	}
	l[3].value = "unknown";
	return known ? 0 : render_sample(c, l, 4, "1");
}

/* The series of one failover peer in one failover family. */
static int
render_peer(struct render_ctx *c, enum render_fid f,
    const struct snapshot_fo *fo, struct render_lbl *l)
{
	static const char *const side[] = { "local", "partner" };
	char val[RENDER_VALLEN];
	int i;

	if (f == F_FO_FOUND)
		return fo->found < 0 ? 0 : render_sample(c, l, 2,
		    fo->found ? "1" : "0");
	if (fo->found != 1)
		return 0;
	switch (f) {
	case F_FO_STATE:
	case F_FO_STOS:
		l[2].name = "side";
		l[3].name = "state";
		for (i = 0; i < SNAPSHOT_FO_NSIDES; i++) {
			l[2].value = side[i];
			if (f == F_FO_STATE && fo->state_known[i] &&
			    render_fo_states(c, l, fo->state[i]) == -1)
				return -1;
			if (f == F_FO_STATE || fo->stos[i] == 0)
				continue;
			render_fmt_u64(val, sizeof(val), fo->stos[i]);
			if (render_sample(c, l, 3, val) == -1)
				return -1;
		}
		return 0;
	case F_FO_INFO:
		if (fo->role < 0)
			return 0;
		l[2].name = "role";
		l[2].value = fo->role == 0 ? "primary" : "secondary";
		return render_sample(c, l, 3, "1");
	default:
		i = f - F_FO_MCLT;
		if (!fo->param_known[i])
			return 0;
		render_fmt_u64(val, sizeof(val), fo->param[i]);
		return render_sample(c, l, 2, val);
	}
}

/* A family with series per watched failover peer of every server. */
static int
render_peer_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[4] = { { "server", NULL }, { "peer", NULL } };
	const struct snapshot_server *sv;
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		sv = s->servers[i];
		l[0].value = sv->name;
		for (j = 0; j < sv->npeers; j++) {
			l[1].value = sv->peers[j]->name;
			if (render_peer(c, f, &sv->peers[j]->fo, l) == -1)
				return -1;
		}
	}
	return 0;
}

/* A family with one series per watched class of every server. */
static int
render_class_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[2] = { { "server", NULL }, { "class", NULL } };
	const struct snapshot_cls *k;
	char val[RENDER_VALLEN];
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		l[0].value = s->servers[i]->name;
		for (j = 0; j < s->servers[i]->nclasses; j++) {
			k = &s->servers[i]->classes[j]->c;
			l[1].value = s->servers[i]->classes[j]->name;
			if (f == F_CLASS_FOUND && k->found >= 0)
				snprintf(val, sizeof(val), "%d", k->found);
			else if (f == F_CLASS_LIMIT && k->limit_known)
				render_fmt_u64(val, sizeof(val), k->lease_limit);
			else if (f == F_CLASS_USED && k->used_known)
				render_fmt_u64(val, sizeof(val), k->leases_used);
			else
				continue;
			if (render_sample(c, l, 2, val) == -1)
				return -1;
		}
	}
	return 0;
}

/* One family, whichever kind it is. */
static int
render_family(struct omapi_buf *b, const struct snapshot *s,
    enum render_fid f)
{
	struct render_ctx c = { b, &render_families[f], 0 };
	struct render_lbl l[2] = { { "version", s->version },
	    { "commit", s->commit } };

	switch (f) {
	case F_RESOLVED: case F_ADDRS: case F_FREE: case F_BACKUP: case F_LEASES:
	case F_EXPIRING: case F_EARLIEST:
		return render_pool_family(&c, s, f);
	case F_HOST_PRESENT: case F_HOST_INFO:
		return render_host_family(&c, s, f);
	case F_FO_FOUND: case F_FO_STATE: case F_FO_STOS: case F_FO_INFO:
	case F_FO_MCLT: case F_FO_UNACKED: case F_FO_MAX_UNACKED: case F_FO_MRD:
	case F_FO_LBMS:
		return render_peer_family(&c, s, f);
	case F_CLASS_FOUND: case F_CLASS_LIMIT: case F_CLASS_USED:
		return render_class_family(&c, s, f);
	case F_BUILD:
		return render_sample(&c, l, 2, "1");
	case F_ERRORS:
		return render_errors(&c, s);
	default:
		return render_server_family(&c, s, f);
	}
}

/*
 * Append the whole exposition of s to b.  -1 with errno EMSGSIZE when it
 * would pass b's maximum (b keeps what fitted: the caller discards it).
 */
int
render_metrics(struct omapi_buf *b, const struct snapshot *s)
{
	int f;

	for (f = 0; f < F_NFAM; f++)
		if (render_family(b, s, f) == -1)
			return -1;
	return 0;
}

/*
 * Append the gzip (RFC 1952) compression of in to b, bounded by b's
 * maximum.  -1 with errno EMSGSIZE or ENOMEM on failure.
 */
int
render_gzip(struct omapi_buf *b, const void *in, size_t len)
{
	unsigned char chunk[16384];
	z_stream z;
	int rc, ret = -1;

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			errno = ENOMEM;
			goto out_end;
		}
		if (omapi_buf_add(b, chunk, sizeof(chunk) - z.avail_out) == -1)
			goto out_end;
	} while (rc != Z_STREAM_END);
	ret = 0;
out_end:
	deflateEnd(&z);
	return ret;
}

/*
 * The /metrics body of snapshot s, rendered (and gzipped, when *gz is set)
 * at most once per snapshot, each bounded by max.  *gz is cleared when
 * the gzip form is not available.  The body stays valid while the caller
 * holds its reference to s.  The poller may call this before publishing
 * to spare the first scrape the rendering.
 */
int
render_cached(struct snapshot *s, size_t max, int *gz, const uint8_t **data,
    size_t *len)
{
	int ret = -1;

	pthread_mutex_lock(&s->cache_mtx);
	if (s->text_state == 0) {
		omapi_buf_init(&s->text, max);
		s->text_state = render_metrics(&s->text, s) == 0 ? 1 : -1;
		if (s->text_state == -1)
			omapi_buf_free(&s->text);
	}
	if (s->text_state != 1)
		goto out_unlock;
	if (*gz && s->gz_state == 0) {
		omapi_buf_init(&s->gz, max);
		s->gz_state = render_gzip(&s->gz, s->text.data,
		    s->text.len) == 0 ? 1 : -1;
		if (s->gz_state == -1)
			omapi_buf_free(&s->gz);
	}
	if (*gz && s->gz_state == 1) {
		*data = s->gz.data;
		*len = s->gz.len;
	} else {
		*gz = 0;
		*data = s->text.data;
		*len = s->text.len;
	}
	ret = 0;
out_unlock:
	pthread_mutex_unlock(&s->cache_mtx);
	return ret;
}
