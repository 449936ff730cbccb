/*
 * config_parse.c: the schema of the configuration: each section of the
 * YAML tree (see config/config_int.h) is walked and every value checked where it
 * is read, against its bounds and by the one parser of its kind
 * (addresses and HOST:PORT: omapi_parse_*, label names: label.c,
 * durations: duration.c).  Every problem is reported at its
 * FILE:LINE:COLUMN and the walk goes on, so that one run shows them all.
 * The checks across entries are in config_check.c.
 *
 * Secrets never appear in a message: the inline `secret:` is only checked
 * to be base64; files holding secrets are read by config_key.c.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "config_int.h"

#define MSGSIZE_MIN	1024
#define MSGSIZE_MAX	(16 * 1024 * 1024)

/*
 * Bounds of the durations, in ms.  poll_interval: 1s .. 24h (a poll costs
 * a few requests per pool and host).  timeout, connect_timeout: 100ms ..
 * 60s (dhcpd answers in well under a millisecond when it is healthy).
 * sweep.interval: 1s .. 24h (a sweep that takes longer than its interval
 * simply starts again when it ends).
 */
#define POLL_MIN_MS	1000
#define POLL_MAX_MS	(24 * 3600 * 1000)
#define TIMEOUT_MIN_MS	100
#define TIMEOUT_MAX_MS	60000
#define SWEEP_MIN_MS	1000
#define SWEEP_MAX_MS	(24 * 3600 * 1000)
#define RATE_MAX	1000000	/* requests per second; 0 means no limit */
#define WINDOW_MAX	1024	/* sweep requests in flight */
#define CIDR_MIN	8	/* /8 is the largest block, 16M addresses */

/* ---- ranges ---- */

/*
 * Parse "A.B.C.D-E.F.G.H" (first <= last) or "A.B.C.D/N" (8 <= N <= 32,
 * host bits zero).  A CIDR block covers every address in it, network and
 * broadcast addresses included: dhcpd has lease objects only for the
 * addresses of its ranges and answers "not found" for the others, which
 * the sweep counts under no state, so writing the subnet is harmless and
 * costs two requests.
 */
int
config_parse_range(const char *s, uint32_t *first, uint32_t *last,
    char *err, size_t errlen)
{
	const char *sep;
	char *end;
	uint32_t a, b, mask;
	unsigned long bits;

	if ((sep = strchr(s, '/')) != NULL) {
		if (omapi_parse_ipv4n(s, (size_t)(sep - s), &a) == -1)
			return config_errf(err, errlen, "'%.*s' is not an IPv4 "
			    "address", (int)((size_t)(sep - s) > 40 ? 40 :
			    sep - s), s);
		errno = 0;
		bits = (sep[1] >= '0' && sep[1] <= '9') ?
		    strtoul(sep + 1, &end, 10) : 0;
		if (sep[1] < '0' || sep[1] > '9' || *end != '\0' ||
		    errno != 0 || bits < CIDR_MIN || bits > 32)
			return config_errf(err, errlen, "the prefix length after "
			    "'/' must be a number from %d to 32", CIDR_MIN);
		mask = bits == 32 ? 0 : 0xffffffffu >> bits;
		if ((a & mask) != 0) {
			char net[16];

			omapi_format_ipv4(a & ~mask, net, sizeof(net));
			return config_errf(err, errlen, "host bits are set; the "
			    "block is %s/%lu", net, bits);
		}
		*first = a;
		*last = a | mask;
		return 0;
	}
	if ((sep = strchr(s, '-')) == NULL)
		return config_errf(err, errlen, "expected FIRST-LAST "
		    "(10.0.0.10-10.0.0.200) or a CIDR block (10.0.0.0/24)");
	if (omapi_parse_ipv4n(s, (size_t)(sep - s), &a) == -1)
		return config_errf(err, errlen, "'%.*s' is not an IPv4 address",
		    (int)((size_t)(sep - s) > 40 ? 40 : sep - s), s);
	if (omapi_parse_ipv4n(sep + 1, strlen(sep + 1), &b) == -1)
		return config_errf(err, errlen, "'%.40s' is not an IPv4 address",
		    sep + 1);
	if (a > b)
		return config_errf(err, errlen, "the first address is after the "
		    "last");
	*first = a;
	*last = b;
	return 0;
}

/*
 * The listen address, from `listen:` or --web.listen-address: one rule,
 * omapi_parse_hostport's, with ":PORT" for every address.  A host name
 * is resolved when the HTTP server starts.
 */
int
config_listen_check(const char *s, char *err, size_t errlen)
{
	char host[OMAPI_HOST_MAX + 1];
	struct omapi_error oe;
	uint16_t port;

	if (omapi_parse_hostport(s, OMAPI_HOSTPORT_HOST_OPTIONAL, host,
	    sizeof(host), &port, &oe) == 0)
		return 0;
	return config_errf(err, errlen, "must be HOST:PORT, [IPV6]:PORT or "
	    ":PORT (e.g. 0.0.0.0:9367): %s", oe.text);
}

/* ---- sections ---- */

static const char *const top_keys[] = { "listen", "poll_interval",
    "servers", NULL };
static const char *const server_keys[] = { "name", "address", "port",
    "timeout", "connect_timeout", "max_message_size", "key", "sweep",
    "lease_info", "pools", "hosts", "dhcpd_conf", "failover_peers", "classes",
    "log", "leases_file", NULL };
static const char *const key_keys[] = { "name", "algorithm", "secret",
    "secret_file", "key_file", NULL };
static const char *const sweep_keys[] = { "enabled", "interval",
    "max_rate", "window", "connections", NULL };
static const char *const pool_keys[] = { "name", "ranges", "labels",
    "failover_peer", NULL };
static const char *const host_keys[] = { "name", "mac", NULL };

/* Check that an inline base64 secret decodes, without showing it. */
static void
check_inline_secret(struct yparse *p, const struct ynode *n,
    struct config_key *key)
{
	uint8_t buf[OMAPI_KEY_SECRET_MAX];
	size_t len = 0;
	const char *s;
	int ok;

	if (ywant(p, n, Y_SCALAR, "secret") == -1)
		return;
	if (yis_null(n) || n->len == 0) {
		yerrn(p, n, "'secret' must not be empty");
		return;
	}
	s = n->str;
	ok = strlen(s) == n->len && omapi_base64_decode(s, n->len, buf,
	    sizeof(buf), &len) == 0 && len > 0;
	explicit_bzero(buf, sizeof(buf));
	if (!ok) {
		yerrn(p, n, "'secret' is not valid base64 (at most %d bytes "
		    "once decoded)", OMAPI_KEY_SECRET_MAX);
		return;
	}
	if (p->mode_known && !omapi_secret_mode_ok(p->mode))
		yerrn(p, n, "this file holds an inline secret but others may "
		    "access it (mode %04o); run: chmod o-rwx %s, or move the "
		    "secret to a secret_file", (unsigned)(p->mode & 07777),
		    p->file);
	if ((key->secret = strdup(s)) == NULL)
		yerr(p, 0, 0, "out of memory");
}

/* Where the key's secret comes from: exactly one of three keys. */
static void
parse_key_source(struct yparse *p, const struct ynode *m,
    struct config_key *key)
{
	static const char *const src[] = { "secret", "secret_file",
	    "key_file" };
	const struct ynode *v, *which = NULL;
	size_t i;

	for (i = 0; i < 3; i++) {
		if ((v = ymap_get(m, src[i])) == NULL)
			continue;
		if (which != NULL) {
			yerrn(p, v, "key: give only one of 'secret', "
			    "'secret_file' or 'key_file'");
			continue;
		}
		which = v;
		key->line = v->line;
		key->col = v->col;
		if (i == 0) {
			key->src = CONFIG_SECRET_INLINE;
			check_inline_secret(p, v, key);
		} else {
			key->src = i == 1 ? CONFIG_SECRET_FILE :
			    CONFIG_SECRET_KEY_FILE;
			yget_path(p, v, src[i], &key->path);
		}
	}
	if (which == NULL)
		yerrn(p, m, "key needs one of 'secret', 'secret_file' or "
		    "'key_file'");
}

/* The `key` block of a server. */
static void
parse_key(struct yparse *p, const struct ynode *m, struct config_key *key)
{
	const struct ynode *v;
	const char *s;

	key->alg = OMAPI_ALG_HMAC_MD5;
	if (ywant(p, m, Y_MAP, "key") == -1)
		return;
	ycheck_keys(p, m, "key", key_keys, 1);
	parse_key_source(p, m, key);
	if ((v = ymap_get(m, "name")) != NULL)
		ydup_str(p, v, "name", OMAPI_KEY_NAME_MAX, &key->name);
	else if (key->src != CONFIG_SECRET_KEY_FILE &&
	    key->src != CONFIG_SECRET_NONE)
		yerrn(p, m, "key needs a 'name' (the key's name in "
		    "dhcpd.conf)");
	if ((v = ymap_get(m, "algorithm")) != NULL &&
	    yget_str(p, v, "algorithm", 64, &s) == 0) {
		if (omapi_alg_parse(s, &key->alg) == -1)
			yerrn(p, v, "unknown key algorithm '%s' (expected "
			    "hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, "
			    "hmac-sha384 or hmac-sha512)", s);
		else
			key->alg_given = 1;
	}
}

/* The `sweep` block of a server; an empty one means all defaults. */
static void
parse_sweep(struct yparse *p, const struct ynode *m, struct config_sweep *sw)
{
	const struct ynode *v;
	uint64_t u;

	if (!yis_null(m) && ywant(p, m, Y_MAP, "sweep") == -1)
		return;
	sw->enabled = 1;
	if (yis_null(m))
		return;
	ycheck_keys(p, m, "sweep", sweep_keys, 0);
	if ((v = ymap_get(m, "enabled")) != NULL)
		yget_bool(p, v, "enabled", &sw->enabled);
	if ((v = ymap_get(m, "interval")) != NULL)
		yget_duration(p, v, "interval", SWEEP_MIN_MS, SWEEP_MAX_MS,
		    &sw->interval_ms);
	if ((v = ymap_get(m, "max_rate")) != NULL &&
	    yget_uint(p, v, "max_rate", 0, RATE_MAX, &u) == 0)
		sw->max_rate = (uint32_t)u;
	if ((v = ymap_get(m, "window")) != NULL &&
	    yget_uint(p, v, "window", 1, WINDOW_MAX, &u) == 0)
		sw->window = (unsigned)u;
	/* 0: chosen from what the first slices show (sweeper.c). */
	if ((v = ymap_get(m, "connections")) != NULL &&
	    yget_uint(p, v, "connections", 0, OMAPI_SWEEP_CONNS_MAX, &u) == 0)
		sw->connections = (unsigned)u;
}

/*
 * The `lease_info` block of a server (after its sweep: the series come
 * from the sweep): { enabled: BOOL, max_series: 1 .. 2^24 }, default off.
 */
static void
parse_lease_info(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	static const char *const keys[] = { "enabled", "max_series", NULL };
	struct config_lease_info *li = &srv->lease_info;
	const struct ynode *v;
	uint64_t u;

	li->max_series = CONFIG_DEFAULT_LEASE_SERIES;
	if (ywant(p, m, Y_MAP, "lease_info") == -1)
		return;
	ycheck_keys(p, m, "lease_info", keys, 0);
	if ((v = ymap_get(m, "enabled")) != NULL)
		yget_bool(p, v, "enabled", &li->enabled);
	if ((v = ymap_get(m, "max_series")) != NULL &&
	    yget_uint(p, v, "max_series", 1, CONFIG_SWEEP_MAX_ADDRS, &u) == 0)
		li->max_series = (uint32_t)u;
	if (li->enabled && !srv->sweep.enabled)
		yerrn(p, m, "lease_info needs a sweep: its series come from "
		    "the sweep of every lease");
}

/* One entry of a pool's `ranges`. */
static void
parse_range(struct yparse *p, const struct ynode *n, struct config_pool *pool,
    struct config_range *r)
{
	char err[256];
	const char *s;

	r->line = n->line;
	r->col = n->col;
	if (yget_str(p, n, "range", 64, &s) == -1)
		return;
	if (config_parse_range(s, &r->first, &r->last, err,
	    sizeof(err)) == -1) {
		yerrn(p, n, "range '%s': %s", s, err);
		/* An empty range, so that the overlap check skips it. */
		r->first = 1;
		r->last = 0;
		return;
	}
	pool->naddrs += (uint64_t)(r->last - r->first) + 1;
}

/* A pool's `labels` mapping. */
static void
parse_labels(struct yparse *p, const struct ynode *m, struct config_pool *pool)
{
	const struct ynode *k, *v;
	char err[256];
	size_t i, j, n = m->nkids / 2;

	if (ywant(p, m, Y_MAP, "labels") == -1)
		return;
	if (n > CONFIG_LABELS_MAX) {
		yerrn(p, m, "a pool may have at most %d labels, not %zu",
		    CONFIG_LABELS_MAX, n);
		return;
	}
	if ((pool->labels = calloc(n ? n : 1, sizeof(*pool->labels))) ==
	    NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	pool->nlabels = n;
	for (i = 0; i < n; i++) {
		k = m->kids[2 * i];
		v = m->kids[2 * i + 1];
		if (ywant(p, k, Y_SCALAR, "label name") == -1)
			continue;
		if (strlen(k->str) != k->len)
			snprintf(err, sizeof(err), "label names must not "
			    "contain NUL characters");
		if (strlen(k->str) != k->len ||
		    label_name_check(k->str, err, sizeof(err)) == -1) {
			yerrn(p, k, "%s", err);
			continue;
		}
		for (j = 0; j < i; j++)
			if (m->kids[2 * j]->kind == Y_SCALAR &&
			    strcmp(m->kids[2 * j]->str, k->str) == 0)
				break;
		if (j < i) {
			yerrn(p, k, "duplicate label '%s' (first at line %d, "
			    "column %d)", k->str, m->kids[2 * j]->line,
			    m->kids[2 * j]->col);
			continue;
		}
		if (ydup_str(p, v, k->str, CONFIG_STR_MAX,
		    &pool->labels[i].value) == 0 &&
		    (pool->labels[i].name = strdup(k->str)) == NULL)
			yerr(p, 0, 0, "out of memory");
	}
}

/* One entry of a server's `pools`. */
static void
parse_pool(struct yparse *p, const struct ynode *m, struct config_pool *pool)
{
	const struct ynode *v;
	size_t i;

	pool->line = m->line;
	if (ywant_entry(p, m, "pools") == -1)
		return;
	ycheck_keys(p, m, "pool", pool_keys, 0);
	if ((v = ymap_get(m, "name")) != NULL)
		ydup_str(p, v, "name", CONFIG_STR_MAX, &pool->name);
	else
		yerrn(p, m, "pool needs a 'name' (the value of its `pool` "
		    "label)");
	if ((v = ymap_get(m, "labels")) != NULL)
		parse_labels(p, v, pool);
	if ((v = ymap_get(m, "failover_peer")) != NULL)
		ydup_str(p, v, "failover_peer", CONFIG_STR_MAX,
		    &pool->failover_peer);
	if ((v = ymap_get(m, "ranges")) == NULL) {
		yerrn(p, m, "pool needs 'ranges', e.g. [\"10.0.0.10-"
		    "10.0.0.200\"]");
		return;
	}
	if (ywant(p, v, Y_LIST, "ranges") == -1)
		return;
	if (v->nkids == 0 || v->nkids > CONFIG_RANGES_MAX) {
		yerrn(p, v, "'ranges' must have 1 to %d entries",
		    CONFIG_RANGES_MAX);
		return;
	}
	if ((pool->ranges = calloc(v->nkids, sizeof(*pool->ranges))) ==
	    NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	pool->nranges = v->nkids;
	for (i = 0; i < v->nkids; i++)
		parse_range(p, v->kids[i], pool, &pool->ranges[i]);
}

/* One entry of a server's `hosts`. */
static void
parse_host(struct yparse *p, const struct ynode *m, struct config_host *host)
{
	const struct ynode *v;
	const char *s;
	char buf[18];

	host->line = m->line;
	if (ywant_entry(p, m, "hosts") == -1)
		return;
	ycheck_keys(p, m, "host", host_keys, 0);
	if ((v = ymap_get(m, "name")) != NULL)
		ydup_str(p, v, "name", CONFIG_STR_MAX, &host->name);
	if ((v = ymap_get(m, "mac")) != NULL && yget_str(p, v, "mac", 64,
	    &s) == 0) {
		if (omapi_parse_mac(s, host->mac) == -1)
			yerrn(p, v, "mac '%s' is not a MAC address (expected "
			    "six hex bytes like 00:16:3e:00:00:01)", s);
		else
			host->has_mac = 1;
	}
	if (ymap_get(m, "name") == NULL && ymap_get(m, "mac") == NULL)
		yerrn(p, m, "host needs a 'name' or a 'mac'");
	if (host->name != NULL)
		host->label = strdup(host->name);
	else if (host->has_mac) {
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		    host->mac[0], host->mac[1], host->mac[2], host->mac[3],
		    host->mac[4], host->mac[5]);
		host->label = strdup(buf);
	} else
		return;
	if (host->label == NULL)
		yerr(p, 0, 0, "out of memory");
}







/* Parse a list section (pools or hosts) into a zeroed array. */
static void *
parse_list(struct yparse *p, const struct ynode *v, const char *what,
    size_t max, size_t size, size_t *np)
{
	void *a;

	*np = 0;
	if (ywant(p, v, Y_LIST, what) == -1)
		return NULL;
	if (v->nkids > max) {
		yerrn(p, v, "at most %zu %s per server, not %zu", max, what,
		    v->nkids);
		return NULL;
	}
	if ((a = calloc(v->nkids ? v->nkids : 1, size)) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return NULL;
	}
	*np = v->nkids;
	return a;
}

/* An IP address or host name, without a port (omapi_parse_host). */
static void
check_address(struct yparse *p, const struct ynode *n, const char *a)
{
	const char *c = strchr(a, ':');

	if (omapi_parse_host(a) == 0)
		return;
	if (c != NULL && strchr(c + 1, ':') == NULL)
		yerrn(p, n, "'address' must not include a port; put it in "
		    "'port'");
	else
		yerrn(p, n, "'address' must be an IP address or a host name");
}

/* Address, port and timeouts of a server. */
static void
parse_server_conn(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;
	uint64_t u;

	/* leases_file: the pools' counts from dhcpd's lease journal */
	if ((v = ymap_get(m, "leases_file")) != NULL &&
	    yget_path(p, v, "leases_file", &srv->leases_file) == 0 &&
	    ymap_get(m, "dhcpd_conf") == NULL)
		yerrn(p, v, "'leases_file' needs 'dhcpd_conf' (the file "
		    "that declares the pools its leases are counted in)");
	if ((v = ymap_get(m, "address")) == NULL) {
		/* no OMAPI: the files are the only source */
		if (srv->leases_file == NULL ||
		    ymap_get(m, "dhcpd_conf") == NULL)
			yerrn(p, m, "server needs an 'address' (where dhcpd's "
			    "omapi-port listens), or 'dhcpd_conf' and "
			    "'leases_file' to read the counts from its files");
		else if ((v = ymap_get(m, "sweep")) != NULL ||
		    (v = ymap_get(m, "hosts")) != NULL)
			yerrn(p, v, "'%s' asks dhcpd over OMAPI: it needs an "
			    "'address'", ymap_get(m, "sweep") ? "sweep" :
			    "hosts");
	} else if (ydup_str(p, v, "address", 253, &srv->address) == 0)
		check_address(p, v, srv->address);
	if ((v = ymap_get(m, "port")) != NULL &&
	    yget_uint(p, v, "port", 1, 65535, &u) == 0)
		srv->port = (uint16_t)u;
	if ((v = ymap_get(m, "timeout")) != NULL)
		yget_duration(p, v, "timeout", TIMEOUT_MIN_MS, TIMEOUT_MAX_MS,
		    &srv->timeout_ms);
	srv->connect_timeout_ms = srv->timeout_ms;
	if ((v = ymap_get(m, "connect_timeout")) != NULL)
		yget_duration(p, v, "connect_timeout", TIMEOUT_MIN_MS,
		    TIMEOUT_MAX_MS, &srv->connect_timeout_ms);
	if ((v = ymap_get(m, "max_message_size")) != NULL &&
	    yget_size(p, v, "max_message_size", MSGSIZE_MIN, MSGSIZE_MAX,
	    &u) == 0)
		srv->max_message_size = (size_t)u;
}

/* The pools and hosts of a server, and the checks across them. */
static void
parse_server_lists(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *pools, *hosts;
	size_t i, nerr;

	if ((pools = ymap_get(m, "pools")) != NULL &&
	    (srv->pools = parse_list(p, pools, "pools", CONFIG_POOLS_MAX,
	    sizeof(*srv->pools), &srv->npools)) != NULL)
		for (i = 0; i < srv->npools; i++) {
			parse_pool(p, pools->kids[i], &srv->pools[i]);
			srv->sweep.naddrs += srv->pools[i].naddrs;
		}
	if ((hosts = ymap_get(m, "hosts")) != NULL &&
	    (srv->hosts = parse_list(p, hosts, "hosts", CONFIG_HOSTS_MAX,
	    sizeof(*srv->hosts), &srv->nhosts)) != NULL)
		for (i = 0; i < srv->nhosts; i++)
			parse_host(p, hosts->kids[i], &srv->hosts[i]);
	config_check_server(p, srv, m, pools, hosts);
	nerr = p->nerr;
	if (p->nerr == 0)	/* the YAML pools are sound: merge them */
		config_discover(p, m, srv, pools);
	/*
	 * A dhcpd.conf that failed, was not read, or whose pools could not
	 * be taken leaves them unknown: its own error says so, not a second
	 * "sweep needs pools".
	 */
	if (srv->dhcpd_conf == NULL || (srv->dconf != NULL && p->nerr == nerr))
		config_check_sweep(p, srv, m);
	config_failover(p, m, srv);
}

/* One entry of `servers`. */
static void
parse_server(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;

	srv->line = m->line;
	srv->col = m->col;
	srv->port = OMAPI_DEFAULT_PORT;
	srv->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
	srv->max_message_size = OMAPI_DEFAULT_MAX_MSG;
	srv->sweep.interval_ms = CONFIG_DEFAULT_SWEEP_MS;
	srv->sweep.max_rate = CONFIG_DEFAULT_MAX_RATE;
	srv->sweep.window = CONFIG_DEFAULT_WINDOW;
	if (ywant_entry(p, m, "servers") == -1)
		return;
	ycheck_keys(p, m, "server", server_keys, 0);
	if ((v = ymap_get(m, "name")) != NULL)
		ydup_str(p, v, "name", CONFIG_STR_MAX, &srv->name);
	else
		yerrn(p, m, "server needs a 'name' (the value of its "
		    "`server` label)");
	parse_server_conn(p, m, srv);
	if ((v = ymap_get(m, "key")) != NULL)
		parse_key(p, v, &srv->key);
	if ((v = ymap_get(m, "sweep")) != NULL)
		parse_sweep(p, v, &srv->sweep);
	if ((v = ymap_get(m, "lease_info")) != NULL)
		parse_lease_info(p, v, srv);
	if ((v = ymap_get(m, "log")) != NULL)
		config_log_parse(p, v, &srv->log);
	parse_server_lists(p, m, srv);
}


/* The top-level mapping. */
void
config_parse_top(struct yparse *p, const struct ynode *root,
    struct config *cfg)
{
	const struct ynode *v;
	char err[YAML_MSG_MAX];
	size_t i;

	if (root == NULL || yis_null(root)) {
		yerr(p, 1, 1, "the configuration is empty; it needs at least "
		    "'servers'");
		return;
	}
	if (root->kind != Y_MAP) {
		yerrn(p, root, "the configuration must be a mapping with the "
		    "keys listen, poll_interval and servers, not %s",
		    ykind_desc(root));
		return;
	}
	ycheck_keys(p, root, "the top-level mapping", top_keys, 0);
	if ((v = ymap_get(root, "listen")) != NULL &&
	    ydup_str(p, v, "listen", CONFIG_STR_MAX, &cfg->listen) == 0 &&
	    config_listen_check(cfg->listen, err, sizeof(err)) == -1)
		yerrn(p, v, "'listen' %s", err);
	if ((v = ymap_get(root, "poll_interval")) != NULL)
		yget_duration(p, v, "poll_interval", POLL_MIN_MS, POLL_MAX_MS,
		    &cfg->poll_interval_ms);
	if ((v = ymap_get(root, "servers")) == NULL) {
		yerrn(p, root, "no 'servers': configure at least one dhcpd "
		    "server");
		return;
	}
	if (ywant(p, v, Y_LIST, "servers") == -1)
		return;
	if (v->nkids == 0 || v->nkids > CONFIG_SERVERS_MAX) {
		yerrn(p, v, "'servers' must have 1 to %d entries",
		    CONFIG_SERVERS_MAX);
		return;
	}
	if ((cfg->servers = calloc(v->nkids, sizeof(*cfg->servers))) ==
	    NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	cfg->nservers = v->nkids;
	for (i = 0; i < v->nkids; i++)
		parse_server(p, v->kids[i], &cfg->servers[i]);
	config_check_servers(p, cfg, v);
	config_log_check(p, cfg);
}
