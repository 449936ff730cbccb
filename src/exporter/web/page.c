/*
 * page.c: the HTML status page served at /.  Plain HTML with inline CSS:
 * no JavaScript, no external assets (the HTTP layer sends a CSP that
 * forbids both).  Every configured name is HTML-escaped.
 *
 * Pools from dhcpd.conf are grouped by shared network, each group headed
 * by the shared network's totals: dhcpd allocates from any pool of it
 * that permits the client, so that is the figure that says whether a
 * client gets an address.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web_int.h"

static const char page_head[] =
"<!DOCTYPE html>\n"
"<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
"<title>dhcpd_exporter</title>\n"
"<style>\n"
"body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:68em;"
"padding:0 1em;color:#222;background:#fff}\n"
"h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin:1.4em 0 .3em}\n"
"table{border-collapse:collapse;width:100%;margin:.4em 0}\n"
"th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid #ddd;"
"vertical-align:middle}\ntd{white-space:nowrap}\n"
"tr.sn td{background:#f3f5f8;border-top:2px solid #bbb}\n"
"tbody.sn tr:not(.sn) td:first-child{padding-left:1.8em}\n"
"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
".st{display:inline-block;padding:0 .5em;border-radius:.3em;color:#fff;"
"font-size:.85em}\n"
".st.up{background:#2e7d32}.st.down{background:#c62828}\n"
".muted{color:#666}.lbl{font-size:.85em;color:#555}.refused{color:#b00;font-weight:bold}\n"
".bar{display:flex;width:16em;max-width:30vw;height:1.1em;"
"background:#eee;border:1px solid #bbb}\n"
".bar span{display:block;height:100%}\n"
".active{background:#1565c0}.free{background:#a5d6a7}"
".abandoned{background:#e53935}.backup{background:#ffb300}"
".other{background:#90a4ae}\n"
".st.warn{background:#ef6c00}\n"
".key span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;"
"vertical-align:middle;border:1px solid #bbb}\n"
"</style></head><body>\n";

static const char page_key[] =
"<p class=\"key muted\">Bars:<span class=\"active\"></span>active"
"<span class=\"abandoned\"></span>abandoned"
"<span class=\"backup\"></span>backup"
"<span class=\"other\"></span>expired, released, reset"
"<span class=\"free\"></span>free. "
"Without a sweep the bar shows the pool counters: in use, backup, free; "
"a shared network's bar (its heading row) always does."
"</p>\n<p class=\"muted\">Clients: active leases whose client last "
"talked to the server (cltt) within 5 minutes and within an hour before "
"the sweep read them; last client: the newest cltt of any lease.</p>\n";

static int
page_str(struct omapi_buf *b, const char *s)
{
	return omapi_buf_add(b, s, strlen(s));
}

/* Append formatted text (numbers only: names go through page_escape). */
static int __attribute__((format(printf, 2, 3)))
page_printf(struct omapi_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	return omapi_buf_add(b, tmp, (size_t)n);
}

/* Append s with &, <, >, " and ' as character references. */
int
page_escape(struct omapi_buf *b, const char *s)
{
	const char *run, *ent;

	for (run = s; *s; s++) {
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		if (omapi_buf_add(b, run, (size_t)(s - run)) == -1 ||
		    page_str(b, ent) == -1)
			return -1;
		run = s + 1;
	}
	return omapi_buf_add(b, run, (size_t)(s - run));
}

/* "12 s ago" style age of epoch time t, with the UTC time as a title. */
static int
page_age(struct omapi_buf *b, double t, double now)
{
	char when[32];
	struct tm tm;
	time_t tt = (time_t)t;
	double d = now - t;

	if (t <= 0)
		return page_str(b, "never");
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		when[0] = '\0';
	if (page_printf(b, "<span title=\"%s\">", when) == -1)
		return -1;
	if (d < 0)
		d = 0;
	if (d < 120)
		return page_printf(b, "%.0f s ago</span>", d);
	if (d < 7200)
		return page_printf(b, "%.0f min ago</span>", d / 60);
	if (d < 172800)
		return page_printf(b, "%.1f h ago</span>", d / 3600);
	return page_printf(b, "%.1f d ago</span>", d / 86400);
}

/*
 * One coloured segment of a bar.  A state that is 0 gets a zero-width
 * segment when keep is set (free, active, abandoned and backup: every swept
 * bar names those four, with their counts as titles), nothing otherwise.
 */
static int
page_segment(struct omapi_buf *b, const char *cls, const char *what,
    uint64_t n, uint64_t total, int keep)
{
	if (total == 0 || (n == 0 && !keep))
		return 0;
	return page_printf(b, "<span class=\"%s\" style=\"width:%.3f%%\" "
	    "title=\"%s %" PRIu64 "\"></span>", cls,
	    100.0 * (double)n / (double)total, what, n);
}

/* The segments of a bar from counters: in use, backup, free. */
static int
page_counters_bar(struct omapi_buf *b, uint64_t total, uint64_t free,
    uint64_t backup)
{
	uint64_t used = free + backup <= total ? total - free - backup : 0;

	if (page_segment(b, "active", "in use", used, total, 0) == -1 ||
	    page_segment(b, "backup", "backup", backup, total, 0) == -1 ||
	    page_segment(b, "free", "free", free, total, 0) == -1)
		return -1;
	return 0;
}

/* The used share of addresses, free of them free, in percent. */
static double
page_used_pct(uint64_t addresses, uint64_t free)
{
	if (addresses == 0)
		return 0.0;
	return 100.0 * (double)(addresses - (free < addresses ? free :
	    addresses)) / (double)addresses;
}

/* The use bar of a pool: sweep counts when there are some, else counters. */
static int
page_bar(struct omapi_buf *b, const struct snapshot_pool *p)
{
	const uint64_t *st = p->states;
	uint64_t total = 0, other;
	unsigned i;

	if (page_str(b, "<div class=\"bar\">") == -1)
		return -1;
	if (p->sweep_known) {
		for (i = 1; i < SNAPSHOT_NSTATES; i++)
			total += st[i];
		other = st[3] + st[4] + st[6];
		if (page_segment(b, "active", "active", st[2], total,
		    1) == -1 ||
		    page_segment(b, "abandoned", "abandoned", st[5], total,
		    1) == -1 ||
		    page_segment(b, "backup", "backup", st[7], total, 1) == -1 ||
		    page_segment(b, "other", "expired/released/reset", other,
		    total, 0) == -1 ||
		    page_segment(b, "free", "free", st[1], total, 1) == -1)
			return -1;
	} else if (p->counters_known &&
	    page_counters_bar(b, p->addresses, p->free, p->backup) == -1)
		return -1;
	return page_str(b, "</div>");
}

/*
 * The client activity cells of a pool: active leases whose client talked
 * to the server within 5 minutes and within an hour, and the last time any
 * client did (all from the sweep).
 */
static int
page_activity(struct omapi_buf *b, const struct snapshot_pool *p, double now)
{
	if (!p->sweep_known)
		return page_str(b, "<td class=\"n muted\">?</td>"
		    "<td class=\"n muted\">?</td><td class=\"muted\">?</td>");
	if (page_printf(b, "<td class=\"n\" title=\"active leases seen "
	    "within 5 min\">%" PRIu64 "</td><td class=\"n\" title=\"active "
	    "leases seen within 1 h\">%" PRIu64 "</td><td>", p->seen[0],
	    p->seen[SNAPSHOT_NSEEN - 1]) == -1 ||
	    page_age(b, (double)p->last_cltt, now) == -1)
		return -1;
	return page_str(b, "</td>");
}

/* One table row per pool. */
static int
page_pool(struct omapi_buf *b, const struct snapshot_pool *p, double now)
{
	size_t i;

	if (page_str(b, "<tr><td>") == -1 || page_escape(b, p->name) == -1 ||
	    page_str(b, "</td><td class=\"lbl\">") == -1)
		return -1;
	for (i = 0; i < p->nlabels; i++) {
		if ((i > 0 && page_str(b, ", ") == -1) ||
		    page_escape(b, p->labels[i].name) == -1 ||
		    page_str(b, "=") == -1 ||
		    page_escape(b, p->labels[i].value) == -1)
			return -1;
	}
	if (p->counters_known) {
		if (page_printf(b, "</td><td class=\"n\">%" PRIu64
		    "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">"
		    "%.1f%%</td><td>", p->addresses, p->free,
		    page_used_pct(p->addresses, p->free)) == -1)
			return -1;
	} else if (page_str(b, "</td><td class=\"n muted\">?</td>"
	    "<td class=\"n muted\">?</td><td class=\"n muted\">?</td><td>")
	    == -1)
		return -1;
	if (page_bar(b, p) == -1 || page_str(b, "</td>") == -1 ||
	    page_activity(b, p, now) == -1)
		return -1;
	return page_str(b, "</tr>\n");
}

/* Pool indexes by shared network (pools without one last), then index. */
static int
page_pool_cmp(const void *a, const void *b, void *arg)
{
	struct snapshot_pool *const *pools = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const char *x = pools[i]->shared_network, *y = pools[j]->shared_network;
	int c;

	if (x != NULL && y != NULL && (c = strcmp(x, y)) != 0)
		return c;
	if ((x == NULL) != (y == NULL))
		return x == NULL ? 1 : -1;
	return i < j ? -1 : i > j;
}

/* Whether shared networks a and b (NULL: unknown) are one group. */
static int
page_same_network(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The totals of shared network name, or NULL (none of its pools known). */
static const struct snapshot_shared *
page_shared_find(const struct snapshot_server *sv, const char *name)
{
	size_t lo = 0, hi = sv->nshared, mid;
	int c;

	while (lo < hi) {	/* sv->shared is sorted by name */
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, sv->shared[mid].name)) == 0)
			return &sv->shared[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * DHCPDISCOVERs dhcpd refused on shared network name ("": none named) in
 * about the last hour, every reason, from dhcpd's log (0 without one).
 */
static uint64_t
page_refused(const struct snapshot_server *sv, const char *name)
{
	uint64_t n = 0, now, then;
	int r;

	if (sv->log == NULL)
		return 0;
	for (r = 0; r < DHCPLOG_NREASONS; r++) {
		now = dhcplog_failures(&sv->log->counts, r, name);
		then = dhcplog_failures(&sv->log->hour_ago, r, name);
		n += now > then ? now - then : 0;
	}
	return n;
}

/* The refusals cell of a shared network's heading row. */
static int
page_refused_cell(struct omapi_buf *b, const struct snapshot_server *sv,
    const char *name)
{
	uint64_t n;

	if (sv->log == NULL)
		return page_str(b, "<td colspan=\"3\"></td>");
	n = page_refused(sv, name);
	return page_printf(b, "<td colspan=\"3\" class=\"%s\">%" PRIu64
	    " client%s refused in the last hour</td>", n > 0 ? "refused" :
	    "lbl", n, n == 1 ? "" : "s");
}

/*
 * A server with a log: every network with refusals in the last hour, so
 * that those without pools on this page (no dhcpd_conf, an unknown
 * segment) show too.
 */
static int
page_refusals(struct omapi_buf *b, const struct snapshot_server *sv)
{
	const struct dhcplog_counts *c;
	uint64_t n;
	size_t i;
	int any = 0;

	if (sv->log == NULL)
		return 0;
	c = &sv->log->counts;
	if (page_str(b, "<p>Clients refused in the last hour (dhcpd's log): ")
	    == -1)
		return -1;
	for (i = 0; i <= c->nnets; i++) {
		n = page_refused(sv, i < c->nnets ? c->nets[i].name : "");
		if (n == 0)
			continue;
		if ((any++ && page_str(b, ", ") == -1) ||
		    page_str(b, "<span class=\"refused\">") == -1 ||
		    page_escape(b, i < c->nnets ? c->nets[i].name :
		    "(no shared network)") == -1 ||
		    page_printf(b, " %" PRIu64 "</span>", n) == -1)
			return -1;
	}
	return page_str(b, any ? ".</p>\n" : "none.</p>\n");
}

/*
 * The heading row of a group of npools pools: a shared network's name and
 * totals, or (name NULL) the pools whose shared network is unknown.
 */
static int
page_group_row(struct omapi_buf *b, const struct snapshot_server *sv,
    const char *name, size_t npools)
{
	const struct snapshot_shared *sh;

	if (name == NULL)
		return page_printf(b, "<tbody class=\"sn\"><tr class=\"sn\">"
		    "<td colspan=\"9\"><b>Other pools</b> <span class=\"lbl\">"
		    "%zu, shared network unknown (not in dhcpd.conf)</span>"
		    "</td></tr>\n", npools);
	if (page_str(b, "<tbody class=\"sn\"><tr class=\"sn\"><td><b>") ==
	    -1 || page_escape(b, name) == -1 ||
	    page_printf(b, "</b></td><td class=\"lbl\">shared network, %zu "
	    "pool%s</td>", npools, npools == 1 ? "" : "s") == -1)
		return -1;
	if ((sh = page_shared_find(sv, name)) == NULL) {
		if (page_str(b, "<td class=\"n muted\">?</td><td class=\"n "
		    "muted\">?</td><td class=\"n muted\">?</td><td></td>") ==
		    -1 || page_refused_cell(b, sv, name) == -1)
			return -1;
		return page_str(b, "</tr>\n");
	}
	if (page_printf(b, "<td class=\"n\">%" PRIu64 "</td><td class=\"n\">"
	    "%" PRIu64 "</td><td class=\"n\">%.1f%%</td><td><div "
	    "class=\"bar\">", sh->addresses, sh->free,
	    page_used_pct(sh->addresses, sh->free)) == -1 ||
	    page_counters_bar(b, sh->addresses, sh->free, sh->backup) == -1 ||
	    page_str(b, "</div></td>") == -1 ||
	    page_refused_cell(b, sv, name) == -1)
		return -1;
	return page_str(b, "</tr>\n");
}

/*
 * A server's pools: as configured when none has a shared network (no
 * dhcpd_conf), else grouped by shared network in name order, each group
 * under its totals, and the pools without one last.
 */
static int
page_pools(struct omapi_buf *b, const struct snapshot_server *sv,
    double now)
{
	const char *sn;
	size_t *idx, i, j, k;
	int rc = -1;

	if ((idx = calloc(sv->npools + 1, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < sv->npools; i++)
		idx[i] = i;
	qsort_r(idx, sv->npools, sizeof(*idx), page_pool_cmp, sv->pools);
	if (sv->npools > 0 && sv->pools[idx[0]]->shared_network == NULL) {
		for (i = 0; i < sv->npools; i++)	/* no shared network */
			if (page_pool(b, sv->pools[i], now) == -1)
				goto out;
		rc = 0;
		goto out;
	}
	for (i = 0; i < sv->npools; i = j) {
		sn = sv->pools[idx[i]]->shared_network;
		for (j = i + 1; j < sv->npools &&
		    page_same_network(sn, sv->pools[idx[j]]->shared_network); j++)
			;
		if (page_group_row(b, sv, sn, j - i) == -1)
			goto out;
		for (k = i; k < j; k++)
			if (page_pool(b, sv->pools[idx[k]], now) == -1)
				goto out;
		if (page_str(b, "</tbody>\n") == -1)
			goto out;
	}
	rc = 0;
out:
	free(idx);
	return rc;
}

/* The hosts of a server, when any are configured. */
static int
page_hosts(struct omapi_buf *b, const struct snapshot_server *sv)
{
	const struct snapshot_host *h;
	size_t i;

	if (sv->nhosts == 0)
		return 0;
	if (page_str(b, "<table><tr><th>Host</th><th>Present</th>"
	    "<th>MAC</th><th>Fixed address</th></tr>\n") == -1)
		return -1;
	for (i = 0; i < sv->nhosts; i++) {
		h = sv->hosts[i];
		if (page_str(b, "<tr><td>") == -1 ||
		    page_escape(b, h->name) == -1 ||
		    page_str(b, h->present ? "</td><td>yes</td><td>" :
		    "</td><td class=\"muted\">no</td><td>") == -1 ||
		    page_escape(b, h->mac ? h->mac : "") == -1 ||
		    page_str(b, "</td><td>") == -1 ||
		    page_escape(b, h->ip ? h->ip : "") == -1 ||
		    page_str(b, "</td></tr>\n") == -1)
			return -1;
	}
	return page_str(b, "</table>\n");
}

/* A failover state by name, coloured: green normal, red the bad ones. */
static int
page_fo_state(struct omapi_buf *b, const struct snapshot_fo *fo, int side,
    double now)
{
	const char *name, *cls;
	uint32_t st = fo->state[side];

	if (!fo->state_known[side])
		return page_str(b, "<td class=\"muted\">?</td>");
	if ((name = omapi_failover_state_name(st)) == NULL || st == 0)
		name = "unknown";
	cls = st == 2 ? "up" : (st == 3 || st == 4 || st == 5 || st == 10) ?
	    "down" : "warn";
	if (page_printf(b, "<td><span class=\"st %s\">%s</span> ", cls,
	    name) == -1)
		return -1;
	if (fo->stos[side] != 0 && (page_str(b, "since ") == -1 ||
	    page_age(b, fo->stos[side], now) == -1))
		return -1;
	return page_str(b, "</td>");
}

/* The role a server has for peer name, or -1 (not watched, not known). */
static int
page_role(const struct snapshot_server *sv, const char *name)
{
	size_t i;

	for (i = 0; i < sv->npeers; i++)
		if (strcmp(sv->peers[i]->name, name) == 0)
			return sv->peers[i]->fo.found == 1 ?
			    sv->peers[i]->fo.role : -1;
	return -1;
}

/* Each failover pool's own share on this server (free or backup). */
static int
page_shares(struct omapi_buf *b, const struct snapshot_server *sv)
{
	const struct snapshot_pool *p;
	size_t i, n = 0;
	int role;

	for (i = 0; i < sv->npools; i++) {
		p = sv->pools[i];
		if (p->failover_peer == NULL || !p->counters_known)
			continue;
		if (n++ == 0 && page_str(b, "<table><tr><th>Failover pool"
		    "</th><th>Peer</th><th class=\"n\">Own share</th>"
		    "<th class=\"n\">Free</th><th class=\"n\">Backup</th>"
		    "</tr>\n") == -1)
			return -1;
		role = page_role(sv, p->failover_peer);
		if (page_str(b, "<tr><td>") == -1 ||
		    page_escape(b, p->name) == -1 ||
		    page_str(b, "</td><td>") == -1 ||
		    page_escape(b, p->failover_peer) == -1 ||
		    (role < 0 ? page_str(b, "</td><td class=\"n muted\">?") :
		    page_printf(b, "</td><td class=\"n\">%" PRIu64 " (%s)",
		    role == 0 ? p->free : p->backup, role == 0 ? "free" :
		    "backup")) == -1 ||
		    page_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td "
		    "class=\"n\">%" PRIu64 "</td></tr>\n", p->free,
		    p->backup) == -1)
			return -1;
	}
	return n > 0 ? page_str(b, "</table>\n") : 0;
}

/* The watched failover peers and classes of a server, when any. */
static int
page_failover(struct omapi_buf *b, const struct snapshot_server *sv,
    double now)
{
	const struct snapshot_fo *fo;
	const struct snapshot_cls *c;
	size_t i;

	if (sv->npeers > 0 && page_str(b, "<table><tr><th>Failover peer</th>"
	    "<th>Role</th><th>Local state</th><th>Partner state</th></tr>\n")
	    == -1)
		return -1;
	for (i = 0; i < sv->npeers; i++) {
		fo = &sv->peers[i]->fo;
		if (page_str(b, "<tr><td>") == -1 ||
		    page_escape(b, sv->peers[i]->name) == -1)
			return -1;
		if (fo->found != 1) {
			if (page_str(b, fo->found == 0 ? "</td><td colspan=\"3\" "
			    "class=\"muted\">not on the server</td></tr>\n" :
			    "</td><td colspan=\"3\" class=\"muted\">?</td></tr>"
			    "\n") == -1)
				return -1;
			continue;
		}
		if (page_str(b, fo->role == 0 ? "</td><td>primary</td>" :
		    fo->role == 1 ? "</td><td>secondary</td>" :
		    "</td><td class=\"muted\">?</td>") == -1 ||
		    page_fo_state(b, fo, SNAPSHOT_FO_LOCAL, now) == -1 ||
		    page_fo_state(b, fo, SNAPSHOT_FO_PARTNER, now) == -1 ||
		    page_str(b, "</tr>\n") == -1)
			return -1;
	}
	if ((sv->npeers > 0 && page_str(b, "</table>\n") == -1) ||
	    page_shares(b, sv) == -1)
		return -1;
	if (sv->nclasses > 0 && page_str(b, "<table><tr><th>Class</th>"
	    "<th class=\"n\">Leases used</th><th class=\"n\">Lease limit</th>"
	    "</tr>\n") == -1)
		return -1;
	for (i = 0; i < sv->nclasses; i++) {
		c = &sv->classes[i]->c;
		if (page_str(b, "<tr><td>") == -1 ||
		    page_escape(b, sv->classes[i]->name) == -1 ||
		    (c->found != 1 ? page_str(b, "</td><td colspan=\"2\" "
		    "class=\"muted\">") == -1 || page_str(b, c->found == 0 ?
		    "not on the server" : "?") == -1 :
		    page_printf(b, "</td><td class=\"n\">%" PRIu64 "</td><td "
		    "class=\"n\">%" PRIu64, c->leases_used,
		    c->lease_limit) == -1) ||
		    page_str(b, "</td></tr>\n") == -1)
			return -1;
	}
	return sv->nclasses > 0 ? page_str(b, "</table>\n") : 0;
}

/*
 * The leases file's last read and the DHCPv6 pools it counts: per range6
 * (temporary ones marked) and prefix6, its size and leases by state.
 */
static int
page_dhcpv6(struct omapi_buf *b, const struct snapshot_server *sv,
    double now)
{
	static const char *const kinds[] = { "addresses", "temporary",
	    "prefixes" };
	const struct snapshot_pool6 *p;
	size_t i;

	if (!sv->has_leases_file)
		return 0;
	if (page_str(b, "<p>Leases file: read ") == -1 ||
	    page_age(b, sv->leases_read, now) == -1 ||
	    page_printf(b, "; %" PRIu64 " bytes read, %" PRIu64 " errors.</p>"
	    "\n", sv->leases_bytes, sv->leases_errors) == -1)
		return -1;
	if (sv->npools6 == 0)
		return 0;
	if (page_str(b, "<table><tr><th>DHCPv6 pool</th><th>Shared network"
	    "</th><th>Kind</th><th class=\"n\">Size</th>"
	    "<th class=\"n\">Active</th><th class=\"n\">Expired</th>"
	    "<th class=\"n\">Released</th><th class=\"n\">Abandoned</th>"
	    "<th class=\"n\">Used</th><th>Last client</th></tr>\n") == -1)
		return -1;
	for (i = 0; i < sv->npools6; i++) {
		p = &sv->pools6[i];
		if (page_str(b, "<tr><td>") == -1 ||
		    page_escape(b, p->name) == -1 ||
		    page_str(b, "</td><td>") == -1 ||
		    page_escape(b, p->shared_network) == -1 ||
		    page_printf(b, "</td><td>%s", kinds[p->kind]) == -1 ||
		    (p->kind == SNAPSHOT_PD &&
		    page_printf(b, " /%u", p->plen) == -1) ||
		    page_printf(b, "</td><td class=\"n\">%.0f</td>", p->size) ==
		    -1)
			return -1;
		if (!p->known) {
			if (page_str(b, "<td colspan=\"6\" class=\"muted\">not "
			    "read yet</td></tr>\n") == -1)
				return -1;
			continue;
		}
		if (page_printf(b, "<td class=\"n\">%" PRIu64 "</td><td "
		    "class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64
		    "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">"
		    "%.3g %%</td><td>", p->states[2], p->states[3],
		    p->states[4], p->states[5], p->size > 0 ? 100.0 *
		    (double)(p->states[2] + p->states[5]) / p->size : 0.0) ==
		    -1 || page_age(b, (double)p->last_cltt, now) == -1 ||
		    page_str(b, "</td></tr>\n") == -1)
			return -1;
	}
	return page_str(b, "</table>\n");
}

/* A server's heading, state line, pools and hosts. */
static int
page_server(struct omapi_buf *b, const struct snapshot_server *sv,
    double now)
{
	if (page_str(b, "<section><h2>") == -1 ||
	    page_escape(b, sv->name) == -1 ||
	    page_str(b, sv->up ? " <span class=\"st up\">up</span></h2>\n" :
	    " <span class=\"st down\">down</span></h2>\n") == -1 ||
	    page_str(b, "<p>Last poll: ") == -1 ||
	    page_age(b, sv->last_poll, now) == -1 ||
	    (sv->last_poll > 0 && page_printf(b, " (took %.3f s)",
	    sv->poll_duration) == -1) ||
	    page_str(b, ". Last sweep: ") == -1 ||
	    page_age(b, sv->last_sweep, now) == -1 ||
	    (sv->last_sweep > 0 && page_printf(b, " (took %.1f s)",
	    sv->sweep_duration) == -1) ||
	    page_str(b, ".</p>\n") == -1)
		return -1;
	if (sv->npools > 0) {
		if (page_str(b, "<table><tr><th>Pool</th><th>Labels</th>"
		    "<th class=\"n\">Addresses</th><th class=\"n\">Free</th>"
		    "<th class=\"n\">Used</th><th>Use</th>"
		    "<th class=\"n\">Clients 5 min</th>"
		    "<th class=\"n\">Clients 1 h</th>"
		    "<th>Last client</th></tr>\n") == -1)
			return -1;
		if (page_pools(b, sv, now) == -1 ||
		    page_str(b, "</table>\n") == -1)
			return -1;
	}
	if (page_dhcpv6(b, sv, now) == -1 ||
	    page_refusals(b, sv) == -1 || page_hosts(b, sv) == -1 ||
	    page_failover(b, sv, now) == -1)
		return -1;
	return page_str(b, "</section>\n");
}

/*
 * Append the whole status page for snapshot s, as of time now; ready
 * says whether a poll has finished (s is then the empty snapshot).
 */
int
page_render(struct omapi_buf *b, const struct snapshot *s, int ready,
    double now)
{
	size_t i;

	if (page_str(b, page_head) == -1 ||
	    page_str(b, "<h1>dhcpd_exporter</h1>\n<p class=\"muted\">"
	    "Version ") == -1 || page_escape(b, s->version) == -1 ||
	    (s->commit[0] != '\0' && (page_str(b, " (commit ") == -1 ||
	    page_escape(b, s->commit) == -1 || page_str(b, ")") == -1)) ||
	    page_str(b, ". <a href=\"/metrics\">Metrics</a></p>\n") == -1)
		return -1;
	if (!ready && page_str(b, "<p>Waiting for the first poll to "
	    "finish.</p>\n") == -1)
		return -1;
	for (i = 0; i < s->nservers; i++)
		if (page_server(b, s->servers[i], now) == -1)
			return -1;
	if (s->nservers > 0 && page_str(b, page_key) == -1)
		return -1;
	return page_str(b, "<p><a href=\"/metrics\">/metrics</a></p>\n"
	    "</body></html>\n");
}
