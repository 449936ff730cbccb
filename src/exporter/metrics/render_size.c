/*
 * render_size.c: the most bytes a configuration's /metrics can take, so
 * that whatever loads can be served (render.c writes what this counts:
 * a change to one is a change to the other, and test_render checks a
 * worst-case snapshot against it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dhcpdconf.h"
#include "metrics.h"

/*
 * Upper bounds on what render.c writes around the labels of one series:
 * the longest family name (47 bytes today), "{", "} ", the widest value
 * (a uint64 has 20 digits, a double in %.15g at most 22 bytes) and the
 * newline; the family's own label (',within_seconds="86400"', 23 bytes;
 * ',state="abandoned"'; ',reason="connection"'); the mac and ip labels of
 * dhcpd_host_info (a hardware address of 16 bytes is 47 characters);
 * every HELP and TYPE line together (5.2 kB today), and build_info.  The
 * unit test renders a worst-case snapshot of a configuration and checks
 * that it stays within the estimate.
 */
#define BODY_SERIES_FIXED	(64 + 3 + 32 + 1)
#define BODY_OWN_LABEL		32
#define BODY_HOST_INFO_EXTRA	(sizeof(",mac=\"\",ip=\"\"") + 48 + 40)
#define BODY_HEADERS		10240
#define BODY_BUILD_INFO		1024	/* and the reload verdict */
/* 3 counters, earliest, 7 states, 5 expiring, resolved, info, 3 seen,
 * last client transaction */
#define BODY_POOL_SERIES	22
/*
 * lease_info, per lease: dhcpd_lease_info with ip, mac (16 bytes, 47
 * characters), hostname (255 bytes kept, each at most 3 once made UTF-8
 * or escaped) and state, and dhcpd_lease_end_timestamp_seconds with ip.
 */
#define BODY_LEASE_ROW		(2 * BODY_SERIES_FIXED + 2 * 24 + 56 + 3 * 255 + \
				 24)
/*
 * The most a configuration may reach at all: lease_info's worst case
 * beyond RENDER_DEFAULT_MAX raises the limit for that configuration's
 * snapshots (a scrape of it can be that large), up to this.
 */
#define BODY_HARD_MAX		(512ull * 1024 * 1024)
/* 17 per-server families (3 of them the leases file's), 5 reasons */
#define BODY_SERVER_SERIES	22
/*
 * A DHCPv6 pool (leases_file with a dhcpd6.conf): size, 4 states, 5
 * expiring, last client transaction; type="temporary" at most.
 */
#define BODY_POOL6_SERIES	11
#define BODY_POOL6_TYPE		sizeof(",type=\"temporary\"")
#define BODY_RANGE_TEXT		32	/* "255.255.255.255-255.255.255.255," */
#define BODY_RANGE_MORE		32	/* ",+N more" */
/*
 * A failover peer: found, info, 2 state change times, 5 parameters, and
 * per side 12 states and `unknown`; its own labels at their longest:
 * ',side="partner",state="communications-interrupted"' (51 bytes) or
 * ',role="secondary"'.  A class: found, limit, used.
 */
#define BODY_PEER_SERIES	(9 + 2 * 13)
#define BODY_PEER_OWN		64
#define BODY_CLASS_SERIES	3

/*
 * dhcpd's log (render_log.c): 8 packet types, abandoned, lines, unparsed,
 * 2 skipped, refused, up, last line; and per reason a series for "" and
 * for each network: those dhcpd.conf declares and "other", or without it
 * DHCPLOG_MAX_NETWORKS names of at most 128 bytes (each escaped to at
 * most 2) and "other".  ',reason="unknown_network_segment"' is 34 bytes.
 */
#define BODY_LOG_SERIES		16
#define BODY_LOG_REASON		34
#define BODY_LOG_NAME		(sizeof(",shared_network=\"\"") + 2 * 128)

/* Bytes of `,name="value"` with the value escaped as render.c does. */
static uint64_t
body_label(const char *name, const char *value)
{
	uint64_t n = strlen(name) + 4;
	const char *c;

	for (c = value ? value : ""; *c; c++)
		n += (*c == '\\' || *c == '"' || *c == '\n') ? 2 : 1;
	return n;
}

/* The most bytes one server's log series can take (sl: its server label). */
static uint64_t
body_log(const struct config_server *srv, uint64_t sl)
{
	uint64_t total, one = BODY_SERIES_FIXED + sl + BODY_LOG_REASON, nets;
	size_t i;

	if (srv->log.kind == CONFIG_LOG_NONE)
		return 0;
	total = BODY_LOG_SERIES * (BODY_SERIES_FIXED + sl + BODY_OWN_LABEL);
	/* "" and "other" */
	nets = 2 * (one + BODY_LOG_NAME);
	if (srv->dconf != NULL)
		for (i = 0; i < srv->dconf->nshared; i++)
			nets += one + body_label("shared_network",
			    srv->dconf->shared[i].name);
	else
		nets += DHCPLOG_MAX_NETWORKS * (one + BODY_LOG_NAME);
	return total + DHCPLOG_NREASONS * nets;
}

/* The most bytes one server's series can take on /metrics. */
static uint64_t
body_server(const struct config_server *srv)
{
	const struct config_pool *pl;
	uint64_t sl, total, pool;
	size_t i, j;

	sl = body_label("server", srv->name);
	total = BODY_SERVER_SERIES * (BODY_SERIES_FIXED + sl + BODY_OWN_LABEL);
	for (i = 0; i < srv->npools; i++) {
		pl = &srv->pools[i];
		pool = sl + body_label("pool", pl->name);
		if (pl->failover_peer != NULL)
			pool += body_label("failover_peer", pl->failover_peer);
		for (j = 0; j < pl->nlabels; j++)
			pool += body_label(pl->labels[j].name,
			    pl->labels[j].value);
		if (pl->shared_network != NULL) {
			pool += body_label("shared_network",
			    pl->shared_network);
			/* its shared network's three sums, at most */
			total += 3 * (BODY_SERIES_FIXED + sl + body_label(
			    "shared_network", pl->shared_network));
		}
		total += BODY_POOL_SERIES * (BODY_SERIES_FIXED + pool +
		    BODY_OWN_LABEL) + sizeof(",ranges=\"\"") +
		    BODY_RANGE_MORE + (pl->nranges < SNAPSHOT_RANGES_SHOWN ?
		    pl->nranges : SNAPSHOT_RANGES_SHOWN) * BODY_RANGE_TEXT;
	}
	for (i = 0; srv->leases_file != NULL && srv->dconf != NULL &&
	    i < srv->dconf->nranges6; i++)
		total += BODY_POOL6_SERIES * (BODY_SERIES_FIXED + sl +
		    body_label("pool", srv->dconf->ranges6[i].name) +
		    body_label("shared_network", srv->dconf->shared[
		    srv->dconf->ranges6[i].shared].name) + BODY_POOL6_TYPE +
		    BODY_OWN_LABEL);
	for (i = 0; i < srv->nhosts; i++)
		total += 2 * (BODY_SERIES_FIXED + sl + body_label("host",
		    srv->hosts[i].label)) + BODY_HOST_INFO_EXTRA;
	for (i = 0; i < srv->npeers; i++)
		total += BODY_PEER_SERIES * (BODY_SERIES_FIXED + sl +
		    body_label("peer", srv->peers[i]) + BODY_PEER_OWN);
	for (i = 0; i < srv->nclasses; i++)
		total += BODY_CLASS_SERIES * (BODY_SERIES_FIXED + sl +
		    body_label("class", srv->classes[i]));
	return total + body_log(srv, sl);
}

/* The most bytes one server's lease_info series can take. */
static uint64_t
body_leases(const struct config_server *srv)
{
	uint64_t pool = 0, n;
	size_t i;

	if (!srv->lease_info.enabled)
		return 0;
	for (i = 0; i < srv->npools; i++)
		if ((n = body_label("pool", srv->pools[i].name)) > pool)
			pool = n;
	return (uint64_t)srv->lease_info.max_series * (BODY_LEASE_ROW +
	    2 * (body_label("server", srv->name) + pool)) + 2 *
	    (BODY_SERIES_FIXED + body_label("server", srv->name));
}

/*
 * The most bytes /metrics can take for this configuration: every series
 * present, every value at its widest.
 */
uint64_t
render_body_max(const struct config *cfg)
{
	uint64_t total = BODY_HEADERS + BODY_BUILD_INFO;
	size_t i;

	for (i = 0; i < cfg->nservers; i++)
		total += body_server(&cfg->servers[i]) +
		    body_leases(&cfg->servers[i]);
	return total;
}

/*
 * Whatever loads must serve: 0 when this configuration's /metrics fits
 * the limit a scrape may return (RENDER_DEFAULT_MAX); else -1, with one
 * "FILE:LINE:COLUMN: ..." message naming the server at which it no
 * longer does put into errs.
 */
int
render_check_size(const struct config *cfg, struct config_errors *errs)
{
	uint64_t total = BODY_HEADERS + BODY_BUILD_INFO, leases = 0;
	const struct config_server *srv;
	char msg[512];
	size_t i;

	for (i = 0; i < cfg->nservers; i++) {
		srv = &cfg->servers[i];
		total += body_server(srv);
		leases += body_leases(srv);
		if (total + leases > BODY_HARD_MAX)
			snprintf(msg, sizeof(msg), "%s:%d:%d: with server '%s', "
			    "/metrics could reach %" PRIu64 " bytes, lease_info "
			    "included: lower lease_info's max_series", cfg->file,
			    srv->line, srv->col, srv->name ? srv->name : "?",
			    total + leases);
		else if (total > RENDER_DEFAULT_MAX)
			snprintf(msg, sizeof(msg), "%s:%d:%d: with server '%s', "
			    "/metrics could reach %" PRIu64 " bytes, more than "
			    "the %u a scrape may return (%u MiB): configure "
			    "fewer pools or hosts, or fewer or shorter pool "
			    "labels", cfg->file, srv->line, srv->col,
			    srv->name ? srv->name : "?", total,
			    RENDER_DEFAULT_MAX, RENDER_DEFAULT_MAX / (1024 * 1024));
		else
			continue;
		config_errors_add(errs, msg);
		return -1;
	}
	return 0;
}

/*
 * The most one /metrics body of this configuration may take: the model
 * above when lease_info raises it past the default, else the default.
 * The one place the limit is computed; snapshots carry it (body_max).
 */
size_t
render_body_limit(const struct config *cfg)
{
	uint64_t n = render_body_max(cfg);

	return n > RENDER_DEFAULT_MAX ? (size_t)n : RENDER_DEFAULT_MAX;
}

/* The limit for one rendering of snap: its own, or floor if larger. */
size_t
render_limit(const struct snapshot *snap, size_t floor)
{
	return snap != NULL && snap->body_max > floor ? snap->body_max : floor;
}
