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

#include "metrics.h"

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

#define RENDER_NLBL	(CONFIG_LABELS_MAX + 6)

#define RENDER_VALLEN	64

#define SWEEP_NOTE " Cached from the last sweep: up to one sweep interval " \
	"old (see dhcpd_exporter_last_sweep_timestamp_seconds)."

enum render_fid {
	F_UP, F_POOL_INFO, F_RESOLVED, F_ADDRS, F_FREE, F_BACKUP, F_LEASES,
	F_EXPIRING, F_EARLIEST, F_SEEN, F_LAST_CLTT, F_LEASE_INFO, F_LEASE_END,
	F_LEASE_DROPPED, F_SN_ADDRS, F_SN_FREE, F_SN_BACKUP, F6_ADDRS,
	F6_LEASES, F6_PD_PREFIXES, F6_PD_LEASES, F6_EXPIRING, F6_LAST_CLTT,
	F_HOST_PRESENT,
	F_HOST_INFO, F_FO_FOUND, F_FO_STATE, F_FO_STOS, F_FO_INFO, F_FO_MCLT,
	F_FO_UNACKED, F_FO_MAX_UNACKED, F_FO_MRD, F_FO_LBMS, F_CLASS_FOUND,
	F_CLASS_LIMIT, F_CLASS_USED, F_BUILD, F_RELOAD_OK, F_RELOAD_TS,
	F_LAST_POLL, F_POLL_DUR, F_POLLS,
	F_CONF_LOADED, F_CONF_ERRORS, F_CONF_OK, F_CONF_UNSERVED, F_SWEEP_ENABLED,
	F_SWEEP_RATE, F_SWEEP_CONNS, F_LAST_SWEEP, F_SWEEP_DUR, F_REQUESTS,
	F_ERRORS, F_RESETS, F_LF_READ, F_LF_ERRORS, F_LF_BYTES, F_NFAM
};

_Static_assert(F_FO_LBMS - F_FO_MCLT == SNAPSHOT_FO_LBMS,
    "the failover parameter families are in snapshot_fo_param order");

static const struct render_family render_families[F_NFAM] = {
	[F_UP] = { "dhcpd_up", "gauge",
	    "Whether the last poll of the dhcpd server over OMAPI succeeded "
	    "(1) or not (0); for a server without an address, whether its "
	    "leases file was read." },
	[F_POOL_INFO] = { "dhcpd_pool_info", "gauge",
	    "A pool the exporter watches, with its shared network (from "
	    "dhcpd.conf) and its ranges; always 1." },
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
	[F_SEEN] = { "dhcpd_pool_active_leases_seen", "gauge",
	    "Active leases in the pool whose client's last transaction "
	    "(cltt) lies at most within_seconds before the sweep read them "
	    "(cumulative: the 3600 count includes the 300 count)." SWEEP_NOTE },
	[F_LAST_CLTT] = {
	    "dhcpd_pool_last_client_transaction_timestamp_seconds", "gauge",
	    "Newest client last transaction time (cltt) of any lease in the "
	    "pool, in seconds since the epoch; absent when no lease has one."
	    SWEEP_NOTE },
	[F_LEASE_INFO] = { "dhcpd_lease_info", "gauge",
	    "One series per lease in state active, abandoned or backup that "
	    "the last sweep read, with its hardware address and client "
	    "hostname (empty when none), for servers with lease_info enabled "
	    "(at most max_series leases each: see "
	    "dhcpd_exporter_lease_info_dropped); always 1." SWEEP_NOTE },
	[F_LEASE_END] = { "dhcpd_lease_end_timestamp_seconds", "gauge",
	    "End of each lease of dhcpd_lease_info, in seconds since the "
	    "epoch; absent for a lease without an end or one that never "
	    "ends." SWEEP_NOTE },
	[F_LEASE_DROPPED] = { "dhcpd_exporter_lease_info_dropped", "gauge",
	    "Leases of the last sweep left without dhcpd_lease_info and "
	    "dhcpd_lease_end_timestamp_seconds series because lease_info's "
	    "max_series was reached." },
	[F_SN_ADDRS] = { "dhcpd_shared_network_addresses", "gauge",
	    "Addresses of the shared network: the sum over its distinct "
	    "dhcpd pools (dhcpd allocates from any of them)." },
	[F_SN_FREE] = { "dhcpd_shared_network_free_addresses", "gauge",
	    "Free addresses of the shared network, over its distinct dhcpd "
	    "pools." },
	[F_SN_BACKUP] = { "dhcpd_shared_network_backup_addresses", "gauge",
	    "Addresses of the shared network kept for the failover peer, "
	    "over its distinct dhcpd pools." },
	[F6_ADDRS] = { "dhcpd6_pool_addresses", "gauge",
	    "Addresses in the DHCPv6 pool (a range6 of dhcpd6.conf; "
	    "type=\"temporary\" for a temporary one): a float, a /64 holds "
	    "2^64." },
	[F6_LEASES] = { "dhcpd6_pool_leases", "gauge",
	    "Leases in the DHCPv6 pool by binding state, counted from the "
	    "leases file (the last entry for each address)." },
	[F6_PD_PREFIXES] = { "dhcpd6_prefix_pool_prefixes", "gauge",
	    "Prefixes of prefix_length bits the prefix pool (a prefix6 of "
	    "dhcpd6.conf) can delegate." },
	[F6_PD_LEASES] = { "dhcpd6_prefix_pool_leases", "gauge",
	    "Delegated prefixes of the prefix pool by binding state, counted "
	    "from the leases file." },
	[F6_EXPIRING] = { "dhcpd6_pool_active_leases_expiring", "gauge",
	    "Active leases (addresses or prefixes) of the DHCPv6 pool whose "
	    "end is at most within_seconds after the leases file was read "
	    "(cumulative)." },
	[F6_LAST_CLTT] = {
	    "dhcpd6_pool_last_client_transaction_timestamp_seconds", "gauge",
	    "Newest client last transaction time (cltt) of any lease of the "
	    "DHCPv6 pool, in seconds since the epoch; absent when none has "
	    "one." },
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
	[F_RELOAD_OK] = { "dhcpd_exporter_config_last_reload_successful",
	    "gauge",
	    "1 when the last reload of the configuration (the YAML file and "
	    "every dhcpd.conf, on SIGHUP or when a dhcpd.conf changed) was "
	    "taken, 0 when it was refused and the running one kept." },
	[F_RELOAD_TS] = {
	    "dhcpd_exporter_config_last_reload_success_timestamp_seconds",
	    "gauge",
	    "When the configuration was last loaded (at start or by a reload), "
	    "in seconds since the epoch." },
	[F_LAST_POLL] = { "dhcpd_exporter_last_poll_timestamp_seconds",
	    "gauge",
	    "When the last poll of the server finished, in seconds since the "
	    "epoch." },
	[F_POLL_DUR] = { "dhcpd_exporter_poll_duration_seconds", "gauge",
	    "How long the last poll of the server (pool counters and hosts) "
	    "took." },
	[F_POLLS] = { "dhcpd_exporter_polls_total", "counter",
	    "Polls of the server since the exporter started." },
	[F_CONF_LOADED] = {
	    "dhcpd_exporter_dhcpd_conf_last_load_timestamp_seconds", "gauge",
	    "When the server's dhcpd.conf (dhcpd_conf) was last read without "
	    "error, in seconds since the epoch." },
	[F_CONF_ERRORS] = { "dhcpd_exporter_dhcpd_conf_load_errors_total",
	    "counter",
	    "Reads of the server's dhcpd.conf that failed (the last good "
	    "structure was kept; the log says why)." },
	[F_CONF_OK] = { "dhcpd_exporter_dhcpd_conf_last_load_successful",
	    "gauge",
	    "1 when the last read of the server's dhcpd.conf (at start, on "
	    "SIGHUP or when it changed) parsed, 0 while it does not." },
	[F_CONF_UNSERVED] = { "dhcpd_exporter_dhcpd_conf_unserved_ranges",
	    "gauge",
	    "Ranges in the server's dhcpd.conf that dhcpd does not serve (their "
	    "addresses get \"not found\"): the file was edited and dhcpd not "
	    "restarted." },
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
	[F_LF_READ] = {
	    "dhcpd_exporter_leases_file_last_read_timestamp_seconds", "gauge",
	    "When the server's leases file (leases_file) was last read "
	    "without error, in seconds since the epoch; absent before the "
	    "first." },
	[F_LF_ERRORS] = { "dhcpd_exporter_leases_file_read_errors_total",
	    "counter",
	    "Reads of the server's leases file that failed, and bad stanzas "
	    "in it (skipped; the log gives FILE:LINE:COLUMN)." },
	[F_LF_BYTES] = { "dhcpd_exporter_leases_file_bytes_read_total",
	    "counter",
	    "Bytes read from the server's leases file: each poll reads what "
	    "dhcpd appended, and the whole file when dhcpd rewrote it." },
};

static int
render_str(struct omapi_buf *b, const char *s)
{
	return omapi_buf_add(b, s, strlen(s));
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
	if (p->shared_network != NULL) {
		l[n].name = "shared_network";
		l[n++].value = p->shared_network;
	}
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
	case F_CONF_LOADED:
		if (!sv->has_conf)
			return 1;
		render_fmt_double(val, len, sv->conf_loaded);
		return 0;
	case F_CONF_ERRORS:
		if (!sv->has_conf)
			return 1;
		render_fmt_u64(val, len, sv->conf_errors);
		return 0;
	case F_CONF_OK:
		if (!sv->has_conf)
			return 1;
		render_fmt_u64(val, len, !sv->conf_failing);
		return 0;
	case F_CONF_UNSERVED:
		if (!sv->has_conf || !sv->up)
			return 1;
		render_fmt_u64(val, len, sv->unserved_ranges);
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
	case F_LF_READ:
		if (!sv->has_leases_file || sv->leases_read == 0)
			return 1;
		render_fmt_double(val, len, sv->leases_read);
		return 0;
	case F_LF_ERRORS:
	case F_LF_BYTES:
		if (!sv->has_leases_file)
			return 1;
		render_fmt_u64(val, len, f == F_LF_ERRORS ? sv->leases_errors :
		    sv->leases_bytes);
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

/* One series per horizon, labelled within_seconds, after the n labels. */
static int
render_horizons(struct render_ctx *c, struct render_lbl *l, size_t n,
    const uint32_t *secs, const uint64_t *counts, size_t ncounts)
{
	char val[RENDER_VALLEN], within[16];
	size_t i;
	int ret = 0;

	l[n].name = "within_seconds";
	l[n].value = within;
	for (i = 0; i < ncounts && ret == 0; i++) {
		snprintf(within, sizeof(within), "%" PRIu32, secs[i]);
		render_fmt_u64(val, sizeof(val), counts[i]);
		ret = render_sample(c, l, n + 1, val);
	}
	l[n].value = NULL;	/* within goes out of scope */
	return ret;
}

/* A timestamp series, absent when t is 0 (none). */
static int
render_stamp(struct render_ctx *c, const struct render_lbl *l, size_t n,
    int64_t t)
{
	char val[RENDER_VALLEN];

	if (t <= 0)
		return 0;
	snprintf(val, sizeof(val), "%" PRId64, t);
	return render_sample(c, l, n, val);
}

/* The series of one pool in one pool family. */
static int
render_pool(struct render_ctx *c, enum render_fid f,
    const struct snapshot_server *sv, const struct snapshot_pool *p)
{
	struct render_lbl l[RENDER_NLBL];
	char val[RENDER_VALLEN];
	size_t n;
	unsigned i;

	n = render_pool_labels(l, sv, p);
	switch (f) {
	case F_POOL_INFO:
		if (p->ranges == NULL)
			return 0;	/* no publisher said */
		l[n].name = "ranges";
		l[n].value = p->ranges;
		return render_sample(c, l, n + 1, "1");
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
		return render_horizons(c, l, n, snapshot_expiry_secs,
		    p->expiring, SNAPSHOT_NEXPIRY);
	case F_EARLIEST:
		return p->sweep_known ? render_stamp(c, l, n, p->earliest_end) :
		    0;
	case F_SEEN:
		if (!p->sweep_known)
			return 0;
		return render_horizons(c, l, n, snapshot_seen_secs, p->seen,
		    SNAPSHOT_NSEEN);
	case F_LAST_CLTT:
		return p->sweep_known ? render_stamp(c, l, n, p->last_cltt) : 0;
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

/* dhcpd6_pool_leases and dhcpd6_prefix_pool_leases: the four states. */
static int
render_pool6_states(struct render_ctx *c, struct render_lbl *l, size_t n,
    const struct snapshot_pool6 *p)
{
	static const unsigned states[] = { 2, 3, 4, 5 };	/* active ..
								 * abandoned */
	char val[RENDER_VALLEN];
	size_t i;

	l[n].name = "state";
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		l[n].value = snapshot_state_name(states[i]);
		render_fmt_u64(val, sizeof(val), p->states[states[i]]);
		if (render_sample(c, l, n + 1, val) == -1)
			return -1;
	}
	return 0;
}

/* The series of one DHCPv6 pool in one dhcpd6_* family. */
static int
render_pool6(struct render_ctx *c, enum render_fid f,
    const struct snapshot_server *sv, const struct snapshot_pool6 *p)
{
	struct render_lbl l[6] = { { "server", sv->name }, { "pool", p->name },
	    { "shared_network", p->shared_network } };
	char val[RENDER_VALLEN], plen[8];
	size_t n = 3;
	int pd = p->kind == SNAPSHOT_PD;

	if (!p->known)
		return 0;
	if (p->kind == SNAPSHOT_TA) {
		l[n].name = "type";
		l[n++].value = "temporary";
	}
	switch (f) {
	case F6_ADDRS:
		if (pd)
			return 0;
		/* a whole number: every digit, so 2^64 reads back exact */
		snprintf(val, sizeof(val), "%.0f", p->size);
		return render_sample(c, l, n, val);
	case F6_PD_PREFIXES:
		if (!pd)
			return 0;
		snprintf(plen, sizeof(plen), "%u", p->plen);
		l[n].name = "prefix_length";
		l[n].value = plen;
		snprintf(val, sizeof(val), "%.0f", p->size);
		return render_sample(c, l, n + 1, val);
	case F6_LEASES:
	case F6_PD_LEASES:
		if (pd != (f == F6_PD_LEASES))
			return 0;
		return render_pool6_states(c, l, n, p);
	case F6_EXPIRING:
		return render_horizons(c, l, n, snapshot_expiry_secs,
		    p->expiring, SNAPSHOT_NEXPIRY);
	case F6_LAST_CLTT:
		return render_stamp(c, l, n, p->last_cltt);
	default:
		return 0;
	}
}

/* A dhcpd6_* family over every server's DHCPv6 pools. */
static int
render_pool6_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	size_t i, j;

	for (i = 0; i < s->nservers; i++)
		for (j = 0; j < s->servers[i]->npools6; j++)
			if (render_pool6(c, f, s->servers[i],
			    &s->servers[i]->pools6[j]) == -1)
				return -1;
	return 0;
}

/* The shared-network sums publish.c made for every server. */
static int
render_shared_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[2] = { { "server", NULL },
	    { "shared_network", NULL } };
	const struct snapshot_shared *sh;
	char val[RENDER_VALLEN];
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		l[0].value = s->servers[i]->name;
		for (j = 0; j < s->servers[i]->nshared; j++) {
			sh = &s->servers[i]->shared[j];
			l[1].value = sh->name;
			render_fmt_u64(val, sizeof(val), f == F_SN_ADDRS ?
			    sh->addresses : f == F_SN_FREE ? sh->free :
			    sh->backup);
			if (render_sample(c, l, 2, val) == -1)
				return -1;
		}
	}
	return 0;
}

/* The ip and mac labels of a lease row, formatted. */
static void
render_fmt_lease(const struct leasetab_row *r, char *ip, size_t iplen,
    char *mac, size_t maclen)
{
	size_t i, n = 0;

	snprintf(ip, iplen, "%u.%u.%u.%u", r->ip >> 24, (r->ip >> 16) & 0xff,
	    (r->ip >> 8) & 0xff, r->ip & 0xff);
	mac[0] = '\0';
	for (i = 0; i < r->hwlen && n + 3 < maclen; i++)
		n += (size_t)snprintf(mac + n, maclen - n, i ? ":%02x" : "%02x",
		    r->hw[i]);
}

/* One lease's series in dhcpd_lease_info or dhcpd_lease_end_*. */
static int
render_lease(struct render_ctx *c, enum render_fid f,
    const struct snapshot_server *sv, const struct leasetab *t,
    const struct leasetab_row *r)
{
	struct render_lbl l[6] = { { "server", sv->name }, { "pool", NULL },
	    { "ip", NULL }, { "mac", NULL }, { "hostname", NULL },
	    { "state", NULL } };
	char ip[16], mac[3 * sizeof(r->hw)], val[RENDER_VALLEN];
	int ret;

	if (r->pool >= sv->npools ||
	    (l[5].value = snapshot_state_name(r->state)) == NULL)
		return 0;
	render_fmt_lease(r, ip, sizeof(ip), mac, sizeof(mac));
	l[1].value = sv->pools[r->pool]->name;
	l[2].value = ip;
	if (f == F_LEASE_INFO) {
		l[3].value = mac;
		l[4].value = t->text + r->hostname;
		ret = render_sample(c, l, 6, "1");
	} else if (r->ends == 0 || r->ends == UINT32_MAX) {
		ret = 0;
	} else {
		render_fmt_u64(val, sizeof(val), r->ends);
		ret = render_sample(c, l, 3, val);
	}
	return ret;
}

/* A per-lease family, or the dropped count, for every lease_info server. */
static int
render_lease_family(struct render_ctx *c, const struct snapshot *s,
    enum render_fid f)
{
	struct render_lbl l[1] = { { "server", NULL } };
	const struct snapshot_server *sv;
	char val[RENDER_VALLEN];
	size_t i, j;

	for (i = 0; i < s->nservers; i++) {
		sv = s->servers[i];
		if (!sv->lease_info || sv->leases == NULL)
			continue;
		if (f == F_LEASE_DROPPED) {
			l[0].value = sv->name;
			render_fmt_u64(val, sizeof(val), sv->leases->dropped);
			if (render_sample(c, l, 1, val) == -1)
				return -1;
			continue;
		}
		for (j = 0; j < sv->leases->nrows; j++)
			if (render_lease(c, f, sv, sv->leases,
			    &sv->leases->rows[j]) == -1)
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
	char val[RENDER_VALLEN];

	switch (f) {
	case F_POOL_INFO: case F_RESOLVED: case F_ADDRS: case F_FREE:
	case F_BACKUP: case F_LEASES: case F_EXPIRING: case F_EARLIEST:
	case F_SEEN: case F_LAST_CLTT:
		return render_pool_family(&c, s, f);
	case F_LEASE_INFO: case F_LEASE_END: case F_LEASE_DROPPED:
		return render_lease_family(&c, s, f);
	case F6_ADDRS: case F6_LEASES: case F6_PD_PREFIXES: case F6_PD_LEASES:
	case F6_EXPIRING: case F6_LAST_CLTT:
		return render_pool6_family(&c, s, f);
	case F_HOST_PRESENT: case F_HOST_INFO:
		return render_host_family(&c, s, f);
	case F_SN_ADDRS: case F_SN_FREE: case F_SN_BACKUP:
		return render_shared_family(&c, s, f);
	case F_FO_FOUND: case F_FO_STATE: case F_FO_STOS: case F_FO_INFO:
	case F_FO_MCLT: case F_FO_UNACKED: case F_FO_MAX_UNACKED: case F_FO_MRD:
	case F_FO_LBMS:
		return render_peer_family(&c, s, f);
	case F_CLASS_FOUND: case F_CLASS_LIMIT: case F_CLASS_USED:
		return render_class_family(&c, s, f);
	case F_BUILD:
		return render_sample(&c, l, 2, "1");
	case F_RELOAD_OK:
		return render_sample(&c, NULL, 0, s->reload_ok ? "1" : "0");
	case F_RELOAD_TS:
		render_fmt_double(val, sizeof(val), s->reload_success);
		return render_sample(&c, NULL, 0, val);
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
	return render_log_metrics(b, s);
}
