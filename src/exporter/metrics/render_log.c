/*
 * render_log.c: the families read from dhcpd's log (servers with `log:`),
 * in the text format, after render.c's.  Every counter of every type and
 * reason is written from the start, zeros included, so that rate() and
 * increase() work from the first scrape; allocation failures have a
 * series per reason for shared_network "" (the line named none and the
 * relay was not found), for every network dhcpd.conf declares, and for
 * every network seen (at most DHCPLOG_MAX_NETWORKS, then "other").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

struct lfam {
	const char	*name;
	const char	*type;
	const char	*help;
};

enum lfid {
	L_RECEIVED, L_SENT, L_FAILURES, L_ABANDONED, L_LINES, L_UNPARSED,
	L_SKIPPED, L_REFUSED, L_UP, L_LAST, L_NFAM
};

static const struct lfam lfams[L_NFAM] = {
	[L_RECEIVED] = { "dhcpd_packets_received_total", "counter",
	    "DHCP packets dhcpd logged receiving, by type, read from its "
	    "log." },
	[L_SENT] = { "dhcpd_packets_sent_total", "counter",
	    "DHCP packets dhcpd logged sending, by type, read from its log." },
	[L_FAILURES] = { "dhcpd_allocation_failures_total", "counter",
	    "DHCPDISCOVERs dhcpd turned away, by reason and shared network "
	    "(dhcpd's own name from the line, else found through the relay "
	    "address in dhcpd_conf, else empty; only networks dhcpd_conf "
	    "declares, or at most 256, the rest as \"other\")." },
	[L_ABANDONED] = { "dhcpd_leases_abandoned_total", "counter",
	    "Leases dhcpd logged abandoning (\"Abandoning IP address\")." },
	[L_LINES] = { "dhcpd_exporter_log_lines_total", "counter",
	    "Log lines received for the server from its log source." },
	[L_UNPARSED] = { "dhcpd_exporter_log_lines_unparsed_total", "counter",
	    "Lines of dhcpd (or without syslog framing) that matched no "
	    "pattern: other dhcpd messages, and damaged lines." },
	[L_SKIPPED] = { "dhcpd_exporter_log_lines_skipped_total", "counter",
	    "Lines skipped: of another program on the server's source, or "
	    "of another host than log.host." },
	[L_REFUSED] = { "dhcpd_exporter_log_datagrams_refused_total",
	    "counter",
	    "Datagrams the server's UDP syslog listener dropped: their source "
	    "address is not in allowed_sources." },
	[L_UP] = { "dhcpd_exporter_log_source_up", "gauge",
	    "1 while the server's log source is readable or listening." },
	[L_LAST] = { "dhcpd_exporter_last_log_line_timestamp_seconds", "gauge",
	    "When the exporter read the server's last log line, in seconds "
	    "since the epoch; absent before the first." },
};

struct lctx {
	struct omapi_buf	*b;
	const struct lfam	*fam;
	int			 started;
};

static int
add(struct omapi_buf *b, const char *s)
{
	return omapi_buf_add(b, s, strlen(s));
}

/* name{server="S"[,k="v"]...} value, with the header before the first. */
static int
sample(struct lctx *c, const char *server, const char *const *kv, size_t nkv,
    const char *value)
{
	size_t i;

	if (!c->started) {
		if (add(c->b, "# HELP ") == -1 || add(c->b, c->fam->name) ==
		    -1 || add(c->b, " ") == -1 ||
		    render_help_text(c->b, c->fam->help) == -1 ||
		    add(c->b, "\n# TYPE ") == -1 ||
		    add(c->b, c->fam->name) == -1 || add(c->b, " ") == -1 ||
		    add(c->b, c->fam->type) == -1 || add(c->b, "\n") == -1)
			return -1;
		c->started = 1;
	}
	if (add(c->b, c->fam->name) == -1 || add(c->b, "{server=\"") == -1 ||
	    render_label_value(c->b, server) == -1 || add(c->b, "\"") == -1)
		return -1;
	for (i = 0; i + 1 < nkv; i += 2)
		if (add(c->b, ",") == -1 || add(c->b, kv[i]) == -1 ||
		    add(c->b, "=\"") == -1 ||
		    render_label_value(c->b, kv[i + 1]) == -1 ||
		    add(c->b, "\"") == -1)
			return -1;
	return add(c->b, "} ") == -1 || add(c->b, value) == -1 ||
	    add(c->b, "\n") == -1 ? -1 : 0;
}

static int
u64(struct lctx *c, const char *server, const char *const *kv, size_t nkv,
    uint64_t v)
{
	char val[32];

	snprintf(val, sizeof(val), "%" PRIu64, v);
	return sample(c, server, kv, nkv, val);
}

static int
failures(struct lctx *c, const char *server, const struct dhcplog_counts *k)
{
	const char *kv[4] = { "reason", NULL, "shared_network", "" };
	size_t i;
	int r;

	for (r = 0; r < DHCPLOG_NREASONS; r++) {
		kv[1] = dhcplog_reason_name(r);
		kv[3] = "";
		if (u64(c, server, kv, 4, k->nofail[r]) == -1)
			return -1;
		for (i = 0; i < k->nnets; i++) {
			kv[3] = k->nets[i].name;
			if (u64(c, server, kv, 4, k->nets[i].failures[r]) == -1)
				return -1;
		}
	}
	return 0;
}

static int
server_family(struct lctx *c, enum lfid f, const struct snapshot_server *sv)
{
	const struct snapshot_log *l = sv->log;
	const struct dhcplog_counts *k = &l->counts;
	const char *kv[2] = { "type", NULL };
	char val[64];
	int t;

	switch (f) {
	case L_RECEIVED:
	case L_SENT:
		for (t = 0; t < DHCPLOG_NTYPES; t++) {
			if ((t < DHCPLOG_NRECEIVED) != (f == L_RECEIVED))
				continue;
			kv[1] = dhcplog_type_name(t);
			if (u64(c, sv->name, kv, 2, k->packets[t]) == -1)
				return -1;
		}
		return 0;
	case L_FAILURES:
		return failures(c, sv->name, k);
	case L_ABANDONED:
		return u64(c, sv->name, NULL, 0, k->abandoned);
	case L_LINES:
		return u64(c, sv->name, NULL, 0, k->lines + l->other_host);
	case L_UNPARSED:
		return u64(c, sv->name, NULL, 0, k->unparsed);
	case L_SKIPPED:
		kv[0] = "reason";
		kv[1] = "other_program";
		if (u64(c, sv->name, kv, 2, k->other_program) == -1)
			return -1;
		kv[1] = "other_host";
		return u64(c, sv->name, kv, 2, l->other_host);
	case L_REFUSED:
		return u64(c, sv->name, NULL, 0, l->refused);
	case L_UP:
		return u64(c, sv->name, NULL, 0, l->up ? 1 : 0);
	case L_LAST:
		if (k->last_line == 0)
			return 0;
		snprintf(val, sizeof(val), "%.15g", k->last_line);
		return sample(c, sv->name, NULL, 0, val);
	default:
		return 0;
	}
}

int
render_log_metrics(struct omapi_buf *b, const struct snapshot *s)
{
	struct lctx c;
	size_t i;
	int f;

	for (f = 0; f < L_NFAM; f++) {
		c.b = b;
		c.fam = &lfams[f];
		c.started = 0;
		for (i = 0; i < s->nservers; i++)
			if (s->servers[i]->log != NULL &&
			    server_family(&c, f, s->servers[i]) == -1)
				return -1;
	}
	return 0;
}
