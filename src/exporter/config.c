/*
 * config.c: load and check the dhcpd_exporter YAML configuration.
 *
 * The file is read into yamlread's tree of mappings, lists and scalars
 * (each with its line and column); the tree is then walked section by
 * section, every value checked where it is read.  Every problem is
 * recorded as "FILE:LINE:COLUMN: message" and the walk goes on, so that one
 * run shows them all.
 *
 * Secrets never appear in a message: the inline `secret:` is only checked
 * to be base64, and files holding secrets are read by config_load_key().
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

#include "config.h"
#include "yamlread.h"

#define SECRET_FILE_MAX	(64 * 1024)
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

/* Label names the exporter itself puts on its series. */
static const char *const reserved_labels[] = {
	"server", "pool", "state", "host", "mac", "ip", "address", "reason",
	"within", "version", "commit", "job", "instance", "le", "quantile",
	NULL
};

/* For finding duplicates by sorting. */
struct dupent {
	const void	*key;
	size_t		 keylen;
	size_t		 idx;
	int		 line;
	int		 col;
};

/* For finding overlaps by sorting. */
struct rangeref {
	const struct config_range	*r;
	const struct config_pool	*pool;
};


/* ---- addresses and ranges ---- */

/* A strict dotted quad: four decimal numbers 0..255, no leading zeros. */
static int
ipv4_parse(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0, part;
	size_t i = 0, digits;
	int dots;

	for (dots = 0; dots < 4; dots++) {
		part = 0;
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9';
		    i++, digits++) {
			if (digits == 3)
				return -1;
			part = part * 10 + (uint32_t)(s[i] - '0');
		}
		if (digits == 0 || part > 255 || (digits > 1 &&
		    s[i - digits] == '0'))
			return -1;
		v = (v << 8) | part;
		if (dots < 3 && (i >= len || s[i++] != '.'))
			return -1;
	}
	if (i != len)
		return -1;
	*out = v;
	return 0;
}

/* Write a host-order IPv4 address dotted. */
static void
ipv4_format(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

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
		if (ipv4_parse(s, (size_t)(sep - s), &a) == -1)
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

			ipv4_format(a & ~mask, net, sizeof(net));
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
	if (ipv4_parse(s, (size_t)(sep - s), &a) == -1)
		return config_errf(err, errlen, "'%.*s' is not an IPv4 address",
		    (int)((size_t)(sep - s) > 40 ? 40 : sep - s), s);
	if (ipv4_parse(sep + 1, strlen(sep + 1), &b) == -1)
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
 * A Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not starting with
 * "__" (reserved for Prometheus) and not one the exporter sets itself.
 */
int
config_label_name_ok(const char *s, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return config_errf(err, errlen, "label name '%.64s' is not "
			    "valid: use letters, digits and '_', not starting "
			    "with a digit", s);
	if (i == 0)
		return config_errf(err, errlen, "label name must not be empty");
	if (i > 128)
		return config_errf(err, errlen, "label name is longer than 128 "
		    "characters");
	if (s[0] == '_' && s[1] == '_')
		return config_errf(err, errlen, "label name '%.64s' starts with "
		    "'__', which is reserved for Prometheus", s);
	for (i = 0; reserved_labels[i] != NULL; i++)
		if (strcmp(s, reserved_labels[i]) == 0)
			return config_errf(err, errlen, "label name '%s' is reserved: "
			    "the exporter sets it", s);
	return 0;
}

/* "00:16:3e:00:00:01" (or with '-'), any case. */
static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned i, hi, lo;

	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]))
			return -1;
		if (s[2] != (i == 5 ? '\0' : ':') &&
		    (i == 5 || s[2] != '-'))
			return -1;
		hi = (unsigned)(isdigit((unsigned char)s[0]) ? s[0] - '0' :
		    (tolower((unsigned char)s[0]) - 'a' + 10));
		lo = (unsigned)(isdigit((unsigned char)s[1]) ? s[1] - '0' :
		    (tolower((unsigned char)s[1]) - 'a' + 10));
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* HOST:PORT, [IPv6]:PORT or :PORT (every address). */
static int
listen_ok(const char *s)
{
	const char *colon = strrchr(s, ':');
	const char *q;
	unsigned long port;
	char *end;

	if (colon == NULL || colon[1] < '0' || colon[1] > '9')
		return 0;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port == 0 || port > 65535)
		return 0;
	if (s[0] == '[')
		return colon > s + 2 && colon[-1] == ']' &&
		    memchr(s + 1, '[', (size_t)(colon - s - 1)) == NULL &&
		    memchr(s + 1, ']', (size_t)(colon - s - 2)) == NULL;
	for (q = s; q < colon; q++)
		if (*q == ':' || *q == '[' || *q == ']' || *q == ' ')
			return 0;
	return 1;
}

/* ---- sections ---- */

static const char *const top_keys[] = { "listen", "poll_interval",
    "servers", NULL };
static const char *const server_keys[] = { "name", "address", "port",
    "timeout", "connect_timeout", "max_message_size", "key", "sweep",
    "lease_info", "pools", "hosts", NULL };
static const char *const key_keys[] = { "name", "algorithm", "secret",
    "secret_file", "key_file", NULL };
static const char *const sweep_keys[] = { "enabled", "interval",
    "max_rate", "window", NULL };
static const char *const pool_keys[] = { "name", "ranges", "labels", NULL };
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
	if (p->mode_known && (p->mode & S_IROTH))
		yerrn(p, n, "this file holds an inline secret but everyone "
		    "may read it (mode %04o); run: chmod o-r %s, or move the "
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
		    config_label_name_ok(k->str, err, sizeof(err)) == -1) {
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
		if (mac_parse(s, host->mac) == -1)
			yerrn(p, v, "mac '%s' is not a MAC address (expected "
			    "six hex pairs like 00:16:3e:00:00:01)", s);
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

/* Order dupents by key (NULL first), then by position in the file. */
static int
dupent_cmp(const void *va, const void *vb)
{
	const struct dupent *a = va, *b = vb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c;

	if (a->key == NULL || b->key == NULL) {
		if (a->key != b->key)
			return a->key == NULL ? -1 : 1;
	} else if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	else if (a->keylen != b->keylen)
		return a->keylen < b->keylen ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Report every entry whose (non-NULL) key an earlier entry already has. */
static void
report_dups(struct yparse *p, struct dupent *d, size_t n, const char *what)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dupent_cmp);
	for (i = 1; i < n; i++) {
		if (d[i].key == NULL)
			continue;
		if (d[first].key == NULL || d[first].keylen != d[i].keylen ||
		    memcmp(d[first].key, d[i].key, d[i].keylen) != 0) {
			first = i;
			continue;
		}
		yerr(p, d[i].line, d[i].col, "duplicate %s '%.*s' (first at "
		    "line %d, column %d)", what, (int)d[i].keylen,
		    (const char *)d[i].key, d[first].line, d[first].col);
	}
}

/* Duplicate pool names and host names/MACs within one server. */
static void
check_server_dups(struct yparse *p, const struct config_server *srv,
    const struct ynode *pools, const struct ynode *hosts)
{
	struct dupent *d;
	char (*macs)[18] = NULL;
	size_t i, n = srv->npools > srv->nhosts ? srv->npools : srv->nhosts;

	if (n < 2)
		return;
	if ((d = calloc(n, sizeof(*d))) == NULL ||
	    (macs = calloc(n, sizeof(*macs))) == NULL) {
		free(d);
		yerr(p, 0, 0, "out of memory");
		return;
	}
	for (i = 0; i < srv->npools; i++)
		d[i] = (struct dupent){ srv->pools[i].name, srv->pools[i].name ?
		    strlen(srv->pools[i].name) : 0, i, pools->kids[i]->line,
		    pools->kids[i]->col };
	report_dups(p, d, srv->npools, "pool");
	for (i = 0; i < srv->nhosts; i++)
		d[i] = (struct dupent){ srv->hosts[i].label,
		    srv->hosts[i].label ? strlen(srv->hosts[i].label) : 0, i,
		    hosts->kids[i]->line, hosts->kids[i]->col };
	report_dups(p, d, srv->nhosts, "host");
	for (i = 0; i < srv->nhosts; i++) {
		const uint8_t *m = srv->hosts[i].mac;

		snprintf(macs[i], sizeof(macs[i]),
		    "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		    m[4], m[5]);
		d[i] = (struct dupent){ srv->hosts[i].has_mac ? macs[i] : NULL,
		    17, i, hosts->kids[i]->line, hosts->kids[i]->col };
	}
	report_dups(p, d, srv->nhosts, "host mac");
	free(macs);
	free(d);
}

/* Order range references by first address. */
static int
rangeref_cmp(const void *va, const void *vb)
{
	const struct rangeref *a = va, *b = vb;

	if (a->r->first != b->r->first)
		return a->r->first < b->r->first ? -1 : 1;
	if (a->r->line != b->r->line)
		return a->r->line < b->r->line ? -1 : 1;
	return (a->r->col > b->r->col) - (a->r->col < b->r->col);
}

/* Report that two ranges overlap, at the one written later. */
static void
report_overlap(struct yparse *p, const struct rangeref *a,
    const struct rangeref *b)
{
	char a1[16], a2[16], b1[16], b2[16];
	const struct rangeref *t;

	if (a->r->line > b->r->line || (a->r->line == b->r->line &&
	    a->r->col > b->r->col)) {
		t = a;
		a = b;
		b = t;
	}
	ipv4_format(a->r->first, a1, sizeof(a1));
	ipv4_format(a->r->last, a2, sizeof(a2));
	ipv4_format(b->r->first, b1, sizeof(b1));
	ipv4_format(b->r->last, b2, sizeof(b2));
	yerr(p, b->r->line, b->r->col, "range %s-%s of pool '%s' overlaps "
	    "range %s-%s of pool '%s' at %s:%d:%d", b1, b2,
	    b->pool->name ? b->pool->name : "?", a1, a2,
	    a->pool->name ? a->pool->name : "?", p->file, a->r->line,
	    a->r->col);
}

/* Ranges of one server, in all its pools, must not overlap. */
static void
check_overlaps(struct yparse *p, const struct config_server *srv)
{
	struct rangeref *rr, *widest;
	size_t i, j, n = 0;

	for (i = 0; i < srv->npools; i++)
		n += srv->pools[i].nranges;
	if (n < 2)
		return;
	if ((rr = calloc(n, sizeof(*rr))) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return;
	}
	for (n = 0, i = 0; i < srv->npools; i++)
		for (j = 0; j < srv->pools[i].nranges; j++) {
			if (srv->pools[i].ranges[j].first >
			    srv->pools[i].ranges[j].last)
				continue;	/* a bad one, reported */
			rr[n].r = &srv->pools[i].ranges[j];
			rr[n++].pool = &srv->pools[i];
		}
	qsort(rr, n, sizeof(*rr), rangeref_cmp);
	for (widest = rr, i = 1; i < n; i++) {
		if (rr[i].r->first <= widest->r->last)
			report_overlap(p, widest, &rr[i]);
		if (rr[i].r->last > widest->r->last)
			widest = &rr[i];
	}
	free(rr);
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

/* An IP address or host name, without a port. */
static void
check_address(struct yparse *p, const struct ynode *n, const char *a)
{
	const char *c = strchr(a, ':');

	if (c != NULL && strchr(c + 1, ':') == NULL)
		yerrn(p, n, "'address' must not include a port; put it in "
		    "'port'");
	else if (strpbrk(a, " \t[]/") != NULL)
		yerrn(p, n, "'address' must be an IP address or a host name");
}

/* Address, port and timeouts of a server. */
static void
parse_server_conn(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;
	uint64_t u;

	if ((v = ymap_get(m, "address")) == NULL)
		yerrn(p, m, "server needs an 'address' (where dhcpd's "
		    "omapi-port listens)");
	else if (ydup_str(p, v, "address", 253, &srv->address) == 0)
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
	size_t i;

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
	check_server_dups(p, srv, pools, hosts);
	check_overlaps(p, srv);
	if (!srv->sweep.enabled)
		return;
	if (srv->npools == 0)
		yerrn(p, ymap_get(m, "sweep"), "sweep needs pools: it looks "
		    "up every address of the pools' ranges");
	else if (srv->sweep.naddrs > CONFIG_SWEEP_MAX_ADDRS)
		yerrn(p, ymap_get(m, "sweep"), "the pools of server '%s' "
		    "have %" PRIu64 " addresses, more than a sweep may cover "
		    "(%u)", srv->name ? srv->name : "?", srv->sweep.naddrs,
		    CONFIG_SWEEP_MAX_ADDRS);
}

/* One entry of `servers`. */
static void
parse_server(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;

	srv->line = m->line;
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
	parse_server_lists(p, m, srv);
}

/* Server names, and address:port pairs, must differ between servers. */
static void
check_servers(struct yparse *p, const struct config *cfg,
    const struct ynode *list)
{
	const struct config_server *a, *b;
	size_t i, j;

	for (i = 0; i < cfg->nservers; i++) {
		b = &cfg->servers[i];
		for (j = 0; j < i; j++) {
			a = &cfg->servers[j];
			if (a->name && b->name && strcmp(a->name, b->name) ==
			    0) {
				yerrn(p, list->kids[i], "duplicate server "
				    "'%s' (first at line %d, column %d)",
				    b->name, list->kids[j]->line,
				    list->kids[j]->col);
				break;
			}
			if (a->address && b->address && a->port == b->port &&
			    strcasecmp(a->address, b->address) == 0) {
				yerrn(p, list->kids[i], "server '%s' has the "
				    "same address and port as server '%s' "
				    "(line %d)", b->name ? b->name : "?",
				    a->name ? a->name : "?", a->line);
				break;
			}
		}
	}
}

/* The top-level mapping. */
static void
parse_top(struct yparse *p, const struct ynode *root, struct config *cfg)
{
	const struct ynode *v;
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
	    !listen_ok(cfg->listen))
		yerrn(p, v, "'listen' must be HOST:PORT, [IPV6]:PORT or :PORT "
		    "(e.g. 0.0.0.0:9367), not '%s'", cfg->listen);
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
	check_servers(p, cfg, v);
}

/* ---- loading ---- */

/* Parse data as the file `name` into a new config. */
static int
load(struct yparse *p, struct config **out)
{
	struct config *cfg;
	struct ynode *root = NULL;

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->file = strdup(p->file)) == NULL) {
		free(cfg);
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	cfg->poll_interval_ms = CONFIG_DEFAULT_POLL_MS;
	if (ytree_load(p, &root) == 0)
		parse_top(p, root, cfg);
	if (p->nerr == 0 && cfg->listen == NULL &&
	    (cfg->listen = strdup(CONFIG_DEFAULT_LISTEN)) == NULL)
		yerr(p, 0, 0, "out of memory");
	ynode_free(root);
	if (p->nerr != 0) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

/*
 * Parse a configuration held in memory; name is what messages call it.
 * Relative paths are kept as written and no file mode is checked.
 */
int
config_load_buffer(const char *name, const char *data, size_t len,
    struct config **out, struct config_errors *errs)
{
	struct yparse p;

	yparse_buffer(&p, name, data, len, errs);
	return load(&p, out);
}

/*
 * Load the configuration file at path.  A file holding an inline secret
 * must not be readable by everyone.  Relative secret_file and key_file
 * paths are taken from the file's folder.
 */
int
config_load(const char *path, struct config **out,
    struct config_errors *errs)
{
	struct yparse p;
	int rv;

	*out = NULL;
	if (yparse_file(&p, path, CONFIG_FILE_MAX, errs) == -1)
		return -1;
	rv = load(&p, out);
	yparse_end(&p);
	return rv;
}

/* Free a configuration and wipe its inline secrets. */
void
config_free(struct config *cfg)
{
	struct config_server *s;
	struct config_pool *pl;
	size_t i, j, k;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nservers; i++) {
		s = &cfg->servers[i];
		for (j = 0; j < s->npools; j++) {
			pl = &s->pools[j];
			for (k = 0; k < pl->nlabels; k++) {
				free(pl->labels[k].name);
				free(pl->labels[k].value);
			}
			free(pl->labels);
			free(pl->ranges);
			free(pl->name);
		}
		free(s->pools);
		for (j = 0; j < s->nhosts; j++) {
			free(s->hosts[j].label);
			free(s->hosts[j].name);
		}
		free(s->hosts);
		if (s->key.secret != NULL) {
			explicit_bzero(s->key.secret, strlen(s->key.secret));
			free(s->key.secret);
		}
		free(s->key.path);
		free(s->key.name);
		free(s->address);
		free(s->name);
	}
	free(cfg->servers);
	free(cfg->listen);
	free(cfg->file);
	free(cfg);
}

/* ---- keys ---- */

/* Read a file that holds a secret; refuse it if group or others may. */
static int
read_secret_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (yread_file(path, SECRET_FILE_MAX, text, len, &st, err,
	    errlen) == -1)
		return -1;
	if ((st.st_mode & 077) == 0)
		return 0;
	explicit_bzero(*text, *len);
	free(*text);
	*text = NULL;
	return config_errf(err, errlen, "%s: group or others may access this "
	    "secret (mode %04o); fix with: chmod 0600 %s", path,
	    (unsigned)(st.st_mode & 07777), path);
}

/* Fill key from a file holding only the base64 secret. */
static int
key_from_secret_file(const struct config_key *ck, const char *text,
    size_t len, struct omapi_key *key, char *err, size_t errlen)
{
	size_t slen;

	snprintf(key->name, sizeof(key->name), "%s", ck->name);
	key->alg = ck->alg;
	if (omapi_base64_decode(text, len, key->secret, sizeof(key->secret),
	    &slen) == -1 || slen == 0) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: not a base64 secret (a file "
		    "with a `key NAME { ... };` block goes in key_file)",
		    ck->path);
	}
	key->secret_len = slen;
	return 0;
}

/* Fill key from a dhcpd.conf-style key file. */
static int
key_from_key_file(const struct config_key *ck, const char *text, size_t len,
    struct omapi_key *key, char *err, size_t errlen)
{
	struct omapi_error oe;

	memset(&oe, 0, sizeof(oe));
	if (omapi_key_parse_text(key, text, len, ck->name, &oe) == -1) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: %s", ck->path, oe.text);
	}
	if (ck->alg_given && key->alg != ck->alg) {
		config_errf(err, errlen, "%s: key '%s' uses %s, but the "
		    "configuration says %s", ck->path, key->name,
		    omapi_alg_name(key->alg), omapi_alg_name(ck->alg));
		omapi_key_wipe(key);
		return -1;
	}
	return 0;
}

/*
 * Fill key for a server: from the inline secret, or by reading its
 * secret_file or key_file (refused when group or others may access it).
 * A server without a key gets a zeroed key (alg OMAPI_ALG_NONE): connect
 * unsigned.  0, or -1 with a message in err that never holds the secret.
 * The caller wipes key with omapi_key_wipe() when done.
 */
int
config_load_key(const struct config_server *srv, struct omapi_key *key,
    char *err, size_t errlen)
{
	const struct config_key *ck = &srv->key;
	struct omapi_error oe;
	char *text = NULL;
	size_t len = 0;
	int rv = -1;

	memset(key, 0, sizeof(*key));
	memset(&oe, 0, sizeof(oe));
	switch (ck->src) {
	case CONFIG_SECRET_NONE:
		return 0;
	case CONFIG_SECRET_INLINE:
		if (omapi_key_set(key, ck->name, omapi_alg_name(ck->alg),
		    ck->secret, &oe) == -1)
			return config_errf(err, errlen, "key '%s': %s", ck->name,
			    oe.text);
		return 0;
	case CONFIG_SECRET_FILE:
	case CONFIG_SECRET_KEY_FILE:
		break;
	}
	if (read_secret_file(ck->path, &text, &len, err, errlen) == -1 ||
	    text == NULL)
		return -1;
	if (ck->src == CONFIG_SECRET_FILE)
		rv = key_from_secret_file(ck, text, len, key, err, errlen);
	else
		rv = key_from_key_file(ck, text, len, key, err, errlen);
	explicit_bzero(text, len);
	free(text);
	return rv;
}
