/*
 * test_config.c: the YAML configuration loader: the full example, the
 * defaults, every error message with its position, several errors at once,
 * ranges, overlaps, label values, key files and their modes, the
 * fixture files under tests/unit/config/ and the annotated example
 * conf/dhcpd_exporter.yml.  Run from the top of the tree.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config_int.h"
#include "dhcpdconf.h"
#include "metrics/metrics.h"
#include "worst_snapshot.h"

#define FIXTURES	"tests/unit/config"
#define EXAMPLE		"conf/dhcpd_exporter.yml"

/* 10.20.0.10 etc. in host byte order. */
#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

#define BASE	"servers:\n  - name: a\n    address: 127.0.0.1\n"

static const char example[] =
    "listen: \"0.0.0.0:9367\"          # --web.listen-address overrides\n"
    "poll_interval: 15s               # pool counters and hosts\n"
    "servers:\n"
    "  - name: dhcp1                  # the `server` label\n"
    "    address: 192.0.2.10\n"
    "    port: 7911\n"
    "    timeout: 2s\n"
    "    key: { name: omapi_key, algorithm: hmac-md5, secret_file: "
    "/etc/dhcpd_exporter/omapi.key }\n"
    "    sweep:                       # full per-address scan\n"
    "      interval: 60s\n"
    "      max_rate: 5000             # OMAPI requests per second\n"
    "    pools:\n"
    "      - name: office\n"
    "        ranges: [\"10.20.0.10-10.20.3.250\"]    # also CIDR\n"
    "        labels: { site: hq }\n"
    "    hosts:\n"
    "      - name: printer-1          # or mac: 00:16:3e:00:00:01\n";

/* Load yaml as "t.yml"; return what config_load_buffer returned. */
static int
load(const char *yaml, struct config **cfg, struct config_errors *e)
{
	memset(e, 0, sizeof(*e));
	return config_load_buffer("t.yml", yaml, strlen(yaml), cfg, e);
}

/* Print the errors, to see what went wrong when a test fails. */
static void
show(const struct config_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		print_message("  got: %s\n", e->msg[i]);
}

/*
 * Whether yaml fails with exactly the messages in want (NULL-terminated),
 * and nothing else; prints the differences.
 */
static int
errors_match(const char *yaml, const char *const *want)
{
	struct config_errors e;
	struct config *cfg = (struct config *)1;
	size_t i, n = 0;
	int rv, ok = 1;

	rv = load(yaml, &cfg, &e);
	while (want[n] != NULL)
		n++;
	for (i = 0; i < n && ok; i++)
		if (i >= e.n || strcmp(e.msg[i], want[i]) != 0) {
			print_message("want[%zu]: %s\n", i, want[i]);
			ok = 0;
		}
	if (rv != -1 || cfg != NULL || e.n != n || e.lost != 0)
		ok = 0;
	if (!ok) {
		print_message("input:\n%s\n", yaml);
		show(&e);
	}
	config_free(cfg == (struct config *)1 ? NULL : cfg);
	config_errors_free(&e);
	return ok;
}

#define EXPECT(yaml, ...) assert_true(errors_match((yaml), \
	(const char *const[]){ __VA_ARGS__, NULL }))

/*
 * yaml must load (its shape: key files are not read, see test_key_*);
 * the caller frees the config.
 */
static struct config *
must_load(const char *yaml)
{
	struct config_errors e = { 0 };
	struct config *cfg = NULL;

	if (config_load_unkeyed("t.yml", yaml, strlen(yaml), &cfg, &e) != 0) {
		print_message("input:\n%s\n", yaml);
		show(&e);
		fail();
	}
	assert_int_equal(e.n, 0);
	config_errors_free(&e);
	assert_non_null(cfg);
	return cfg;
}

/* The example from the issue gives exactly what it says. */
static void
test_full_example(void **state)
{
	struct config *cfg = must_load(example);
	struct config_server *s;
	struct config_pool *p;

	assert_string_equal(cfg->file, "t.yml");
	assert_string_equal(cfg->listen, "0.0.0.0:9367");
	assert_int_equal(cfg->poll_interval_ms, 15000);
	assert_int_equal(cfg->nservers, 1);
	s = &cfg->servers[0];
	assert_string_equal(s->name, "dhcp1");
	assert_string_equal(s->address, "192.0.2.10");
	assert_int_equal(s->port, 7911);
	assert_int_equal(s->timeout_ms, 2000);
	assert_int_equal(s->connect_timeout_ms, 2000);
	assert_int_equal(s->max_message_size, 65536);
	assert_int_equal(s->line, 4);
	assert_int_equal(s->key.src, CONFIG_SECRET_FILE);
	assert_string_equal(s->key.name, "omapi_key");
	assert_int_equal(s->key.alg, OMAPI_ALG_HMAC_MD5);
	assert_true(s->key.alg_given);
	assert_null(s->key.secret);
	assert_string_equal(s->key.path, "/etc/dhcpd_exporter/omapi.key");
	assert_true(s->sweep.enabled);
	assert_int_equal(s->sweep.interval_ms, 60000);
	assert_int_equal(s->sweep.max_rate, 5000);
	assert_int_equal(s->sweep.window, CONFIG_DEFAULT_WINDOW);
	assert_int_equal(s->npools, 1);
	p = &s->pools[0];
	assert_string_equal(p->name, "office");
	assert_int_equal(p->nranges, 1);
	assert_int_equal(p->ranges[0].first, IP(10, 20, 0, 10));
	assert_int_equal(p->ranges[0].last, IP(10, 20, 3, 250));
	assert_int_equal(p->ranges[0].line, 14);
	assert_int_equal(p->ranges[0].col, 18);
	assert_int_equal(p->naddrs, 4 * 256 - 10 - 5);
	assert_int_equal(s->sweep.naddrs, p->naddrs);
	assert_int_equal(p->nlabels, 1);
	assert_string_equal(p->labels[0].name, "site");
	assert_string_equal(p->labels[0].value, "hq");
	assert_int_equal(s->nhosts, 1);
	assert_string_equal(s->hosts[0].label, "printer-1");
	assert_string_equal(s->hosts[0].name, "printer-1");
	assert_false(s->hosts[0].has_mac);
	config_free(cfg);
}

/* A server with only a name and an address gets every default. */
static void
test_defaults(void **state)
{
	struct config *cfg = must_load(BASE);
	struct config_server *s = &cfg->servers[0];

	assert_string_equal(cfg->listen, CONFIG_DEFAULT_LISTEN);
	assert_string_equal(cfg->listen, "0.0.0.0:9367");
	assert_int_equal(cfg->poll_interval_ms, 15000);
	assert_int_equal(s->port, 7911);
	assert_int_equal(s->timeout_ms, 2000);
	assert_int_equal(s->connect_timeout_ms, 2000);
	assert_int_equal(s->max_message_size, OMAPI_DEFAULT_MAX_MSG);
	assert_int_equal(s->key.src, CONFIG_SECRET_NONE);
	assert_null(s->key.name);
	assert_false(s->sweep.enabled);
	assert_int_equal(s->sweep.interval_ms, 60000);
	assert_int_equal(s->sweep.max_rate, 5000);
	assert_int_equal(s->sweep.window, CONFIG_DEFAULT_WINDOW);
	assert_int_equal(s->npools, 0);
	assert_int_equal(s->nhosts, 0);
	config_free(cfg);
}

/* Every optional setting given, none at its default. */
static void
test_all_settings(void **state)
{
	struct config *cfg = must_load(
	    "listen: \"[::1]:9999\"\n"
	    "poll_interval: 1h30m\n"
	    "servers:\n"
	    "  - name: x\n"
	    "    address: dhcp.example.org\n"
	    "    port: 7912\n"
	    "    timeout: 500ms\n"
	    "    connect_timeout: 5s\n"
	    "    max_message_size: 1MiB\n"
	    "    key:\n"
	    "      key_file: keys/omapi.conf\n"
	    "      algorithm: HMAC-SHA256\n"
	    "    sweep:\n"
	    "      enabled: false\n"
	    "      interval: 2m\n"
	    "      max_rate: 0\n"
	    "      window: 1024\n"
	    "    pools:\n"
	    "      - name: p\n"
	    "        ranges: [10.0.0.0/24, 10.0.1.7/32, \"10.0.2.1-10.0.2.1\"]\n"
	    "    hosts:\n"
	    "      - mac: 00:16:3E:00:00:AB\n"
	    "      - name: cam\n"
	    "        mac: 00-16-3e-00-00-02\n");
	struct config_server *s = &cfg->servers[0];

	assert_string_equal(cfg->listen, "[::1]:9999");
	assert_int_equal(cfg->poll_interval_ms, 5400000);
	assert_string_equal(s->address, "dhcp.example.org");
	assert_int_equal(s->port, 7912);
	assert_int_equal(s->timeout_ms, 500);
	assert_int_equal(s->connect_timeout_ms, 5000);
	assert_int_equal(s->max_message_size, 1 << 20);
	assert_int_equal(s->key.src, CONFIG_SECRET_KEY_FILE);
	assert_null(s->key.name);
	assert_int_equal(s->key.alg, OMAPI_ALG_HMAC_SHA256);
	/* A buffer has no folder: relative paths stay as written. */
	assert_string_equal(s->key.path, "keys/omapi.conf");
	assert_false(s->sweep.enabled);
	assert_int_equal(s->sweep.interval_ms, 120000);
	assert_int_equal(s->sweep.max_rate, 0);
	assert_int_equal(s->sweep.window, 1024);
	assert_int_equal(s->pools[0].nranges, 3);
	assert_int_equal(s->pools[0].ranges[1].first, IP(10, 0, 1, 7));
	assert_int_equal(s->pools[0].ranges[1].last, IP(10, 0, 1, 7));
	assert_int_equal(s->pools[0].naddrs, 258);
	assert_int_equal(s->nhosts, 2);
	/* MAC only: looked up by MAC, labelled with it in canonical form. */
	assert_null(s->hosts[0].name);
	assert_true(s->hosts[0].has_mac);
	assert_string_equal(s->hosts[0].label, "00:16:3e:00:00:ab");
	assert_memory_equal(s->hosts[0].mac,
	    ((uint8_t[]){ 0, 0x16, 0x3e, 0, 0, 0xab }), 6);
	/* Both: looked up by MAC, labelled with the name. */
	assert_string_equal(s->hosts[1].label, "cam");
	assert_string_equal(s->hosts[1].name, "cam");
	assert_true(s->hosts[1].has_mac);
	assert_int_equal(s->hosts[1].mac[5], 2);
	config_free(cfg);
}

/* An empty sweep block, or one with only some keys, means defaults. */
static void
test_sweep_block(void **state)
{
	static const char *const forms[] = {
	    BASE "    sweep: {}\n",
	    BASE "    sweep:\n",
	    BASE "    sweep: ~\n",
	    BASE "    sweep: { enabled: true }\n",
	};
	struct config *cfg;
	size_t i;
	char yaml[512];

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(yaml, sizeof(yaml), "%s    pools: [{ name: p, "
		    "ranges: [10.0.0.0/24] }]\n", forms[i]);
		cfg = must_load(yaml);
		assert_true(cfg->servers[0].sweep.enabled);
		assert_int_equal(cfg->servers[0].sweep.interval_ms, 60000);
		assert_int_equal(cfg->servers[0].sweep.max_rate, 5000);
		assert_int_equal(cfg->servers[0].sweep.window,
		    CONFIG_DEFAULT_WINDOW);
		assert_int_equal(cfg->servers[0].sweep.naddrs, 256);
		config_free(cfg);
	}
}

/* lease_info: off unless enabled; max_series 10000 unless given. */
static void
test_lease_info(void **state)
{
	static const char pools[] =
	    "    pools: [{ name: p, ranges: [10.0.0.0/24] }]\n";
	struct config *cfg;
	char yaml[512];

	snprintf(yaml, sizeof(yaml), "%s    sweep: {}\n%s", BASE, pools);
	cfg = must_load(yaml);
	assert_false(cfg->servers[0].lease_info.enabled);
	config_free(cfg);
	snprintf(yaml, sizeof(yaml), "%s    sweep: {}\n    lease_info: "
	    "{ enabled: true }\n%s", BASE, pools);
	cfg = must_load(yaml);
	assert_true(cfg->servers[0].lease_info.enabled);
	assert_int_equal(cfg->servers[0].lease_info.max_series, 10000);
	config_free(cfg);
	snprintf(yaml, sizeof(yaml), "%s    sweep: {}\n    lease_info: "
	    "{ enabled: true, max_series: 5 }\n%s", BASE, pools);
	cfg = must_load(yaml);
	assert_int_equal(cfg->servers[0].lease_info.max_series, 5);
	config_free(cfg);
}

/* One kind of error: an input and the exact message it must give. */
struct errcase {
	const char	*yaml;
	const char	*msg;
};

static const struct errcase errcases[] = {
	/* Structure and types. */
	{ "", "t.yml:1:1: the configuration is empty; it needs at least "
	    "'servers'" },
	{ "# nothing but a comment\n", "t.yml:1:1: the configuration is "
	    "empty; it needs at least 'servers'" },
	{ "- a\n", "t.yml:1:1: the configuration must be a mapping with the "
	    "keys listen, poll_interval and servers, not a list" },
	{ "listen: \":9367\"\n", "t.yml:1:1: no 'servers': configure at "
	    "least one dhcpd server" },
	{ "servers: []\n", "t.yml:1:10: 'servers' must have 1 to 256 "
	    "entries" },
	{ "servers: a\n", "t.yml:1:10: 'servers' must be a list, not a "
	    "single value" },
	{ "servers: { a: 1 }\n", "t.yml:1:10: 'servers' must be a list, not "
	    "a mapping" },
	{ "servers:\n", "t.yml:1:9: 'servers' must be a list, not empty" },
	{ "servers:\n  - a\n", "t.yml:2:5: each entry of 'servers' must be a "
	    "mapping, not a single value" },
	{ "foo: 1\n" BASE, "t.yml:1:1: unknown key 'foo' in the top-level "
	    "mapping; expected one of: listen, poll_interval, servers" },
	{ BASE "    foo: 1\n", "t.yml:4:5: unknown key 'foo' in server; "
	    "expected one of: name, address, port, timeout, connect_timeout, "
	    "max_message_size, key, sweep, lease_info, pools, hosts, dhcpd_conf, "
	    "failover_peers, classes, log, leases_file" },
	{ BASE "    port: 1\n    port: 2\n", "t.yml:5:5: duplicate key "
	    "'port' in server (first at line 4, column 5)" },
	{ BASE "    [a]: 1\n", "t.yml:4:5: keys in server must be plain names, "
	    "not a list" },
	{ BASE "    port: [1]\n", "t.yml:4:11: 'port' must be a single value, "
	    "not a list" },
	{ BASE "    port:\n", "t.yml:4:10: 'port' must not be empty" },
	{ BASE "    port: \"\"\n", "t.yml:4:11: 'port' must not be empty" },
	{ "servers:\n  - address: 127.0.0.1\n", "t.yml:2:5: server needs a "
	    "'name' (the value of its `server` label)" },
	{ "servers:\n  - name: a\n", "t.yml:2:5: server needs an 'address' "
	    "(where dhcpd's omapi-port listens), or 'dhcpd_conf' and "
	    "'leases_file' to read the counts from its files" },
	{ "servers:\n  - name: a\n    address: h\n    leases_file: /x\n",
	    "t.yml:4:18: "
	    "'leases_file' needs 'dhcpd_conf' (the file that declares the "
	    "pools its leases are counted in)" },
	{ "servers:\n  - name: \"a\\0b\"\n    address: x\n", "t.yml:2:11: "
	    "'name' must not contain NUL characters" },
	/* Values. */
	/* One HOST:PORT rule for `listen` and --web.listen-address. */
	{ "listen: 9367\n" BASE, "t.yml:1:9: 'listen' must be HOST:PORT, "
	    "[IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): '9367': the host is "
	    "not an IP address or a host name" },
	{ "listen: \"::1:80\"\n" BASE, "t.yml:1:9: 'listen' must be "
	    "HOST:PORT, [IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): '::1:80': "
	    "an IPv6 address needs brackets: [IPV6]:PORT" },
	{ "listen: \"h:0\"\n" BASE, "t.yml:1:9: 'listen' must be HOST:PORT, "
	    "[IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): 'h:0': the port must "
	    "be a number from 1 to 65535" },
	{ "listen: \":0\"\n" BASE, "t.yml:1:9: 'listen' must be HOST:PORT, "
	    "[IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): ':0': the port must "
	    "be a number from 1 to 65535" },
	{ "listen: \"*:9367\"\n" BASE, "t.yml:1:9: 'listen' must be "
	    "HOST:PORT, [IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): '*:9367': "
	    "the host is not an IP address or a host name" },
	{ "listen: \"[127.0.0.1]:9367\"\n" BASE, "t.yml:1:9: 'listen' must "
	    "be HOST:PORT, [IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): "
	    "'[127.0.0.1]:9367': brackets must hold an IPv6 address" },
	{ "listen: \"10.0.0:80\"\n" BASE, "t.yml:1:9: 'listen' must be "
	    "HOST:PORT, [IPV6]:PORT or :PORT (e.g. 0.0.0.0:9367): "
	    "'10.0.0:80': the host is not an IP address or a host name" },
	{ "poll_interval: 15\n" BASE, "t.yml:1:16: poll_interval: '15' has a "
	    "number without a unit; add one of ms, s, m or h (e.g. 15s)" },
	{ "poll_interval: 500ms\n" BASE, "t.yml:1:16: 'poll_interval' must "
	    "be from 1s to 24h, not 500ms" },
	{ "poll_interval: 25h\n" BASE, "t.yml:1:16: 'poll_interval' must be "
	    "from 1s to 24h, not 25h" },
	{ BASE "    timeout: 61s\n", "t.yml:4:14: 'timeout' must be from 100ms "
	    "to 1m, not 1m1s" },
	{ BASE "    timeout: 99ms\n", "t.yml:4:14: 'timeout' must be from "
	    "100ms to 1m, not 99ms" },
	{ BASE "    timeout: 2x\n", "t.yml:4:14: timeout: '2x' has an unknown "
	    "unit; use ms, s, m or h" },
	{ BASE "    connect_timeout: 0s\n", "t.yml:4:22: 'connect_timeout' "
	    "must be from 100ms to 1m, not 0s" },
	{ BASE "    port: 70000\n", "t.yml:4:11: 'port' must be a whole number "
	    "from 1 to 65535, not '70000'" },
	{ BASE "    port: 0\n", "t.yml:4:11: 'port' must be a whole number "
	    "from 1 to 65535, not '0'" },
	{ BASE "    port: -1\n", "t.yml:4:11: 'port' must be a whole number "
	    "from 1 to 65535, not '-1'" },
	{ BASE "    port: 79x\n", "t.yml:4:11: 'port' must be a whole number "
	    "from 1 to 65535, not '79x'" },
	{ BASE "    max_message_size: 10\n", "t.yml:4:23: 'max_message_size' "
	    "must be a size from 1024 to 16777216 bytes (or with KiB or MiB), "
	    "not '10'" },
	{ BASE "    max_message_size: 17MiB\n", "t.yml:4:23: "
	    "'max_message_size' must be a size from 1024 to 16777216 bytes "
	    "(or with KiB or MiB), not '17MiB'" },
	{ BASE "    max_message_size: 64kb\n", "t.yml:4:23: "
	    "'max_message_size' must be a size from 1024 to 16777216 bytes "
	    "(or with KiB or MiB), not '64kb'" },
	{ "servers:\n  - name: a\n    address: 127.0.0.1:7911\n", "t.yml:3:14: "
	    "'address' must not include a port; put it in 'port'" },
	{ "servers:\n  - name: a\n    address: \"a b\"\n", "t.yml:3:14: "
	    "'address' must be an IP address or a host name" },
	/* Key. */
	{ BASE "    key: { name: k }\n", "t.yml:4:10: key needs one of "
	    "'secret', 'secret_file' or 'key_file'" },
	{ BASE "    key: { name: k, secret_file: /a, key_file: /b }\n",
	    "t.yml:4:48: key: give only one of 'secret', 'secret_file' or "
	    "'key_file'" },
	{ BASE "    key: { secret_file: /a }\n", "t.yml:4:10: key needs a "
	    "'name' (the key's name in dhcpd.conf)" },
	{ BASE "    key: { name: k, secret_file: /a, algorithm: hmac-foo }\n",
	    "t.yml:4:49: unknown key algorithm 'hmac-foo' (expected "
	    "hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384 or "
	    "hmac-sha512)" },
	{ BASE "    key: { name: k, secret: \"not base64!\" }\n", "t.yml:4:29: "
	    "'secret' is not valid base64 (at most 256 bytes once decoded)" },
	{ BASE "    key: { name: k, secret: [a] }\n", "t.yml:4:29: 'secret' "
	    "must be a single value, not a list" },
	{ BASE "    key: { name: k, secret_file: /a, secrt: x }\n",
	    "t.yml:4:38: unknown key 'secrt' in key; expected one of: name, "
	    "algorithm, secret, secret_file, key_file" },
	{ BASE "    key: { name: k, secret_file: /a, c2VjcmV0c2VjcmV0: x }\n",
	    "t.yml:4:38: unknown key in key (not shown: it may be a secret); "
	    "expected one of: name, algorithm, secret, secret_file, key_file" },
	{ BASE "    key: omapi_key\n", "t.yml:4:10: 'key' must be a mapping, "
	    "not a single value" },
	/* Sweep. */
	{ BASE "    sweep: 5\n", "t.yml:4:12: 'sweep' must be a mapping, not a "
	    "single value" },
	{ BASE "    sweep: {}\n", "t.yml:4:12: sweep needs pools: it looks up "
	    "every address of the pools' ranges" },
	{ BASE "    sweep: { enabled: maybe, interval: 1m }\n"
	    "    pools: [{ name: p, ranges: [10.0.0.0/24] }]\n", "t.yml:4:23: "
	    "'enabled' must "
	    "be true or false, not 'maybe'" },
	{ BASE "    sweep: { interval: 0s, enabled: false }\n", "t.yml:4:24: "
	    "'interval' must be from 1s to 24h, not 0s" },
	{ BASE "    sweep: { window: 0, enabled: false }\n", "t.yml:4:22: "
	    "'window' must be a whole number from 1 to 1024, not '0'" },
	{ BASE "    sweep: { max_rate: 1000001, enabled: false }\n",
	    "t.yml:4:24: 'max_rate' must be a whole number from 0 to 1000000, "
	    "not '1000001'" },
	{ BASE "    lease_info: { enabled: true }\n", "t.yml:4:17: "
	    "lease_info needs a sweep: its series come from the sweep of "
	    "every lease" },
	{ BASE "    lease_info: { max_series: 0 }\n", "t.yml:4:31: "
	    "'max_series' must be a whole number from 1 to 16777216, not '0'" },
	{ BASE "    lease_info: { max: 1 }\n", "t.yml:4:19: unknown key 'max' "
	    "in lease_info; expected one of: enabled, max_series" },
	{ BASE "    lease_info: true\n", "t.yml:4:17: 'lease_info' must be a "
	    "mapping, not a single value" },
	{ BASE "    sweep: { rate: 1, enabled: false }\n", "t.yml:4:14: "
	    "unknown key 'rate' in sweep; expected one of: enabled, interval, "
	    "max_rate, window, connections" },
	{ BASE "    sweep: {}\n    pools:\n"
	    "      - { name: a, ranges: [10.0.0.0/8] }\n"
	    "      - { name: b, ranges: [11.0.0.0/8] }\n"
	    "      - { name: c, ranges: [\"12.0.0.0-12.0.0.0\"] }\n",
	    "t.yml:4:12: the pools of server 'a' have 33554433 addresses, "
	    "more than a sweep may cover (16777216)" },
	/* Pools and ranges. */
	{ BASE "    pools: [a]\n", "t.yml:4:13: each entry of 'pools' must be "
	    "a mapping, not a single value" },
	{ BASE "    pools: [{ ranges: [10.0.0.0/24] }]\n", "t.yml:4:13: pool "
	    "needs a 'name' (the value of its `pool` label)" },
	{ BASE "    pools: [{ name: p }]\n", "t.yml:4:13: pool needs 'ranges', "
	    "e.g. [\"10.0.0.10-10.0.0.200\"]" },
	{ BASE "    pools: [{ name: p, ranges: [] }]\n", "t.yml:4:32: 'ranges' "
	    "must have 1 to 4096 entries" },
	{ BASE "    pools: [{ name: p, ranges: 10.0.0.0/24 }]\n", "t.yml:4:32: "
	    "'ranges' must be a list, not a single value" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.5/24] }]\n",
	    "t.yml:4:33: range '10.0.0.5/24': host bits are set; the block is "
	    "10.0.0.0/24" },
	{ BASE "    pools: [{ name: p, ranges: [\"10.0.0.9-10.0.0.1\"] }]\n",
	    "t.yml:4:33: range '10.0.0.9-10.0.0.1': the first address is "
	    "after the last" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], rangez: 1 }]\n",
	    "t.yml:4:47: unknown key 'rangez' in pool; expected one of: name, "
	    "ranges, labels, failover_peer" },
	{ BASE "    failover_peers: fo\n", "t.yml:4:21: 'failover_peers' must "
	    "be a list, not a single value" },
	{ BASE "    failover_peers: [a, b, a]\n", "t.yml:4:28: duplicate "
	    "entry 'a' in 'failover_peers' (first at line 4, column 22)" },
	{ BASE "    classes: [\"\"]\n", "t.yml:4:15: 'classes' must not be "
	    "empty" },
	{ BASE "    classes: [[x]]\n", "t.yml:4:15: 'classes' must be a single "
	    "value, not a list" },
	{ BASE "    pools:\n      - { name: p, ranges: [10.0.0.0/24] }\n"
	    "      - { name: p, ranges: [10.0.1.0/24] }\n", "t.yml:6:9: "
	    "duplicate pool 'p' (first at line 5, column 9)" },
	{ BASE "    pools:\n"
	    "      - { name: p, ranges: [\"10.0.0.1-10.0.0.10\", 10.0.0.8/29] }\n",
	    "t.yml:5:51: range 10.0.0.8-10.0.0.15 of pool 'p' overlaps range "
	    "10.0.0.1-10.0.0.10 of pool 'p' at t.yml:5:29" },
	/* Labels. */
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: [a] }]\n",
	    "t.yml:4:55: 'labels' must be a mapping, not a list" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ 1a: x } }]\n", "t.yml:4:57: label name '1a' is not valid: use "
	    "letters, digits and '_', not starting with a digit" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ a-b: x } }]\n", "t.yml:4:57: label name 'a-b' is not valid: use "
	    "letters, digits and '_', not starting with a digit" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ __a: x } }]\n", "t.yml:4:57: label name '__a' starts with '__', "
	    "which is reserved for Prometheus" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ state: x } }]\n", "t.yml:4:57: label name 'state' is reserved: "
	    "the exporter sets it" },
	/* Issue 11: this one passed --check-config, then every snapshot
	 * was refused. */
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ within_seconds: x } }]\n", "t.yml:4:57: label name "
	    "'within_seconds' is reserved: the exporter sets it" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ a: x, a: y } }]\n", "t.yml:4:63: duplicate label 'a' (first at "
	    "line 4, column 57)" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ a: \"\" } }]\n", "t.yml:4:60: 'a' must not be empty" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ a: {b: c} } }]\n", "t.yml:4:60: 'a' must be a single value, not "
	    "a mapping" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ \"\": x } }]\n", "t.yml:4:57: label name must not be empty" },
	{ BASE "    pools: [{ name: p, ranges: [10.0.0.0/24], labels: "
	    "{ a0: 0, a1: 1, a2: 2, a3: 3, a4: 4, a5: 5, a6: 6, a7: 7, a8: 8, "
	    "a9: 9, b0: 0, b1: 1, b2: 2, b3: 3, b4: 4, b5: 5, b6: 6 } }]\n",
	    "t.yml:4:55: a pool may have at most 16 labels, not 17" },
	/* Hosts. */
	{ BASE "    hosts: [{}]\n", "t.yml:4:13: host needs a 'name' or a "
	    "'mac'" },
	{ BASE "    hosts: [{ mac: 00:16:3e:00:00 }]\n", "t.yml:4:20: mac "
	    "'00:16:3e:00:00' is not a MAC address (expected six hex bytes "
	    "like 00:16:3e:00:00:01)" },
	{ BASE "    hosts: [{ mac: 00:16:3e:00:00:0g }]\n", "t.yml:4:20: mac "
	    "'00:16:3e:00:00:0g' is not a MAC address (expected six hex bytes "
	    "like 00:16:3e:00:00:01)" },
	{ BASE "    hosts: [{ name: a, ip: 10.0.0.1 }]\n", "t.yml:4:24: unknown "
	    "key 'ip' in host; expected one of: name, mac" },
	{ BASE "    hosts: [{ name: a }, { name: b }, { name: a }]\n",
	    "t.yml:4:39: duplicate host 'a' (first at line 4, column 13)" },
	{ BASE "    hosts: [{ name: a, mac: 00:16:3e:00:00:01 },\n"
	    "            { mac: 00-16-3E-00-00-01 }]\n", "t.yml:5:13: "
	    "duplicate host mac '00:16:3e:00:00:01' (first at line 4, "
	    "column 13)" },
	{ BASE "    hosts: [{ mac: 00:16:3e:00:00:01 },\n"
	    "            { name: \"00:16:3e:00:00:01\" }]\n", "t.yml:5:13: "
	    "duplicate host '00:16:3e:00:00:01' (first at line 4, "
	    "column 13)" },
	{ BASE "    hosts: {}\n", "t.yml:4:12: 'hosts' must be a list, not a "
	    "mapping" },
	/* Servers. */
	{ BASE "  - name: a\n    address: 127.0.0.2\n", "t.yml:4:5: duplicate "
	    "server 'a' (first at line 2, column 5)" },
	{ BASE "  - name: b\n    address: 127.0.0.1\n", "t.yml:4:5: server 'b' "
	    "has the same address and port as server 'a' (line 2)" },
	/* YAML itself. */
	{ "servers:\n  - name: a\n   address: x\n", "t.yml:3:4: YAML syntax "
	    "error: did not find expected '-' indicator (while parsing a "
	    "block collection at line 2, column 3)" },
	{ "servers:\n\t- a\n", "t.yml:2:1: YAML syntax error: found character "
	    "that cannot start any token (while scanning for the next token "
	    "at line 2, column 1)" },
	{ "servers: [a\n", "t.yml:2:1: YAML syntax error: did not find "
	    "expected ',' or ']' (while parsing a flow sequence at line 1, "
	    "column 10)" },
	{ "servers:\n  - name: \xff\n", "t.yml:2:11: cannot read the file as "
	    "text: invalid leading UTF-8 octet" },
	{ "servers:\n  - &s { name: a, address: 127.0.0.1 }\n  - *s\n",
	    "t.yml:3:5: aliases (*s) are not supported; write the value out" },
	{ "servers: [a]\n---\nservers: [b]\n", "t.yml:2:1: only one YAML "
	    "document is allowed" },
	{ "servers: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "t.yml:1:41: nested "
	    "more than 32 levels deep" },
};

/* Every kind of error gives its exact message at its exact place. */
static void
test_error_messages(void **state)
{
	size_t i, bad = 0;

	for (i = 0; i < sizeof(errcases) / sizeof(errcases[0]); i++)
		if (!errors_match(errcases[i].yaml, (const char *const[]){
		    errcases[i].msg, NULL }))
			bad++;
	assert_int_equal(bad, 0);
}

/* A NUL byte in the file itself is a reader error with a position. */
static void
test_nul_in_file(void **state)
{
	static const char yaml[] = "servers:\n  - name: a\0\n";
	struct config_errors e = { 0 };
	struct config *cfg;

	assert_int_equal(config_load_buffer("t.yml", yaml, sizeof(yaml) - 1,
	    &cfg, &e), -1);
	assert_null(cfg);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.msg[0], "t.yml:2:12: cannot read the file as "
	    "text: control characters are not allowed");
	config_errors_free(&e);
}

/* A name longer than 256 bytes. */
static void
test_long_name(void **state)
{
	char yaml[1024], name[300];

	memset(name, 'x', 257);
	name[257] = '\0';
	snprintf(yaml, sizeof(yaml), "servers:\n  - name: %s\n    address: "
	    "x\n", name);
	EXPECT(yaml, "t.yml:2:11: 'name' is longer than 256 bytes");
	name[256] = '\0';
	snprintf(yaml, sizeof(yaml), "servers:\n  - name: %s\n    address: "
	    "x\n", name);
	config_free(must_load(yaml));
}

/* Every error of a file is reported, in the order of the file. */
static void
test_multiple_errors(void **state)
{
	EXPECT("listen: nope\n"
	    "poll_interval: 15\n"
	    "bogus: 1\n"
	    "servers:\n"
	    "  - name: a\n"
	    "    address: 127.0.0.1\n"
	    "    port: 0\n"
	    "    timeout: 1\n"
	    "    key: { name: k }\n"
	    "    pools:\n"
	    "      - { name: p, ranges: [10.0.0.0/24] }\n"
	    "      - { name: p, ranges: [10.0.0.128/25], labels: { job: x } }\n"
	    "    hosts: [{ mac: zz }]\n"
	    "  - name: a\n",
	    "t.yml:3:1: unknown key 'bogus' in the top-level mapping; expected "
	    "one of: listen, poll_interval, servers",
	    "t.yml:1:9: 'listen' must be HOST:PORT, [IPV6]:PORT or :PORT "
	    "(e.g. 0.0.0.0:9367): 'nope': no port (want HOST:PORT)",
	    "t.yml:2:16: poll_interval: '15' has a number without a unit; add "
	    "one of ms, s, m or h (e.g. 15s)",
	    "t.yml:7:11: 'port' must be a whole number from 1 to 65535, not "
	    "'0'",
	    "t.yml:8:14: timeout: '1' has a number without a unit; add one of "
	    "ms, s, m or h (e.g. 15s)",
	    "t.yml:9:10: key needs one of 'secret', 'secret_file' or "
	    "'key_file'",
	    "t.yml:12:55: label name 'job' is reserved: the exporter sets it",
	    "t.yml:13:20: mac 'zz' is not a MAC address (expected six hex "
	    "bytes like 00:16:3e:00:00:01)",
	    "t.yml:12:9: duplicate pool 'p' (first at line 11, column 9)",
	    "t.yml:12:29: range 10.0.0.128-10.0.0.255 of pool 'p' overlaps "
	    "range 10.0.0.0-10.0.0.255 of pool 'p' at t.yml:11:29",
	    "t.yml:14:5: server needs an 'address' (where dhcpd's omapi-port "
	    "listens), or 'dhcpd_conf' and 'leases_file' to read the counts "
	    "from its files",
	    "t.yml:14:5: duplicate server 'a' (first at line 5, column 5)");
}

/* More errors than the sink keeps: the rest are counted. */
static void
test_error_cap(void **state)
{
	struct config_errors e;
	struct config *cfg;
	char *yaml, *p;
	size_t i, n = CONFIG_ERRORS_MAX + 20;

	assert_non_null(yaml = malloc(32 + n * 16));
	p = yaml + sprintf(yaml, BASE);
	for (i = 0; i < n; i++)
		p += sprintf(p, "    x%zu: 1\n", i);
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, CONFIG_ERRORS_MAX);
	assert_int_equal(e.lost, 20);
	assert_int_equal(config_errors_count(&e), n);
	config_errors_free(&e);
	assert_int_equal(config_errors_count(&e), 0);
	config_errors_free(&e);
	/* Without a sink the load still fails. */
	assert_int_equal(config_load_buffer("t.yml", yaml, strlen(yaml), &cfg,
	    NULL), -1);
	free(yaml);
}

/* Overlaps across pools name both pools and both places. */
static void
test_overlaps(void **state)
{
	struct config *cfg;

	EXPECT(BASE "    pools:\n"
	    "      - name: office\n"
	    "        ranges: [\"10.20.0.10-10.20.3.250\"]\n"
	    "      - name: lab\n"
	    "        ranges: [10.20.3.0/24, 10.30.0.0/24]\n"
	    "      - name: annex\n"
	    "        ranges: [\"10.30.0.255-10.30.1.9\"]\n",
	    "t.yml:8:18: range 10.20.3.0-10.20.3.255 of pool 'lab' overlaps "
	    "range 10.20.0.10-10.20.3.250 of pool 'office' at t.yml:6:18",
	    "t.yml:10:18: range 10.30.0.255-10.30.1.9 of pool 'annex' overlaps "
	    "range 10.30.0.0-10.30.0.255 of pool 'lab' at t.yml:8:32");
	/* A range inside a wider one, found even after a narrower one. */
	EXPECT(BASE "    pools:\n"
	    "      - { name: a, ranges: [10.0.0.0/16] }\n"
	    "      - { name: b, ranges: [10.0.1.0/24, 10.0.200.0/24] }\n",
	    "t.yml:6:29: range 10.0.1.0-10.0.1.255 of pool 'b' overlaps range "
	    "10.0.0.0-10.0.255.255 of pool 'a' at t.yml:5:29",
	    "t.yml:6:42: range 10.0.200.0-10.0.200.255 of pool 'b' overlaps "
	    "range 10.0.0.0-10.0.255.255 of pool 'a' at t.yml:5:29");
	/* Adjacent ranges do not overlap; other servers are independent. */
	cfg = must_load(BASE "    pools:\n"
	    "      - { name: a, ranges: [\"10.0.0.0-10.0.0.9\"] }\n"
	    "      - { name: b, ranges: [\"10.0.0.10-10.0.0.19\"] }\n"
	    "  - name: b\n    address: 127.0.0.2\n    pools:\n"
	    "      - { name: a, ranges: [10.0.0.0/24] }\n");
	assert_int_equal(cfg->servers[0].npools, 2);
	config_free(cfg);
}

/* Ranges: the good forms. */
static void
test_range_good(void **state)
{
	static const struct { const char *s; uint32_t first, last; } good[] = {
	    { "10.20.0.10-10.20.3.250", IP(10, 20, 0, 10),
		IP(10, 20, 3, 250) },
	    { "10.0.0.1-10.0.0.1", IP(10, 0, 0, 1), IP(10, 0, 0, 1) },
	    { "0.0.0.0-255.255.255.255", 0, 0xffffffffu },
	    { "10.31.0.0/26", IP(10, 31, 0, 0), IP(10, 31, 0, 63) },
	    { "10.31.0.7/32", IP(10, 31, 0, 7), IP(10, 31, 0, 7) },
	    { "10.31.0.6/31", IP(10, 31, 0, 6), IP(10, 31, 0, 7) },
	    { "10.0.0.0/8", IP(10, 0, 0, 0), IP(10, 255, 255, 255) },
	    { "192.168.0.0/16", IP(192, 168, 0, 0), IP(192, 168, 255, 255) },
	};
	uint32_t a, b;
	size_t i;
	char err[256];

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (config_parse_range(good[i].s, &a, &b, err,
		    sizeof(err)) != 0)
			fail_msg("%s: %s", good[i].s, err);
		assert_int_equal(a, good[i].first);
		assert_int_equal(b, good[i].last);
	}
}

/* Ranges: bad ones and their messages. */
static void
test_range_bad(void **state)
{
	static const char want_form[] = "expected FIRST-LAST "
	    "(10.0.0.10-10.0.0.200) or a CIDR block (10.0.0.0/24)";
	static const char want_bits[] = "the prefix length after '/' must be "
	    "a number from 8 to 32";
	static const struct { const char *s, *msg; } bad[] = {
	    { "10.0.0.1", want_form },
	    { "", want_form },
	    { "10.0.0.9-10.0.0.1", "the first address is after the last" },
	    { "10.0.0.256-10.0.1.1", "'10.0.0.256' is not an IPv4 address" },
	    { "10.0.0-10.0.0.5", "'10.0.0' is not an IPv4 address" },
	    { "10.0.0.1-10.0.0", "'10.0.0' is not an IPv4 address" },
	    { "10.0.0.1-", "'' is not an IPv4 address" },
	    { "-10.0.0.1", "'' is not an IPv4 address" },
	    { "10.0.0.01-10.0.0.5", "'10.0.0.01' is not an IPv4 address" },
	    { "10.0.0.1 - 10.0.0.5", "'10.0.0.1 ' is not an IPv4 address" },
	    { "10.0.0.1-10.0.0.5-10.0.0.6", "'10.0.0.5-10.0.0.6' is not an "
		"IPv4 address" },
	    { "1.2.3.4.5-1.2.3.6", "'1.2.3.4.5' is not an IPv4 address" },
	    { "10.0.0.1000-10.0.0.5", "'10.0.0.1000' is not an IPv4 "
		"address" },
	    { "a.b.c.d/24", "'a.b.c.d' is not an IPv4 address" },
	    { "10.0.0.0/7", want_bits },
	    { "10.0.0.0/33", want_bits },
	    { "10.0.0.0/", want_bits },
	    { "10.0.0.0/-8", want_bits },
	    { "10.0.0.0/24x", want_bits },
	    { "10.0.0.0/99999999999999999999", want_bits },
	    { "10.0.0.1/24", "host bits are set; the block is 10.0.0.0/24" },
	    { "10.0.0.128/24", "host bits are set; the block is 10.0.0.0/24" },
	    { "10.1.0.0/8", "host bits are set; the block is 10.0.0.0/8" },
	};
	uint32_t a = 7, b = 7;
	size_t i;
	char err[256];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (config_parse_range(bad[i].s, &a, &b, err,
		    sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i].s);
		if (strcmp(err, bad[i].msg) != 0)
			fail_msg("'%s': got '%s'", bad[i].s, err);
		assert_int_equal(a, 7);
		assert_int_equal(b, 7);
	}
}

/* Label values are any UTF-8 text, kept as written. */
static void
test_label_values(void **state)
{
	struct config *cfg = must_load(BASE "    pools:\n"
	    "      - name: \"caf\xc3\xa9 \\\"1\\\"\"\n"
	    "        ranges: [10.0.0.0/24]\n"
	    "        labels: { a: \"x\\\\y\\nz\", b: 12, c: \"\xe2\x9c\x93\" }\n");
	struct config_pool *p = &cfg->servers[0].pools[0];

	assert_string_equal(p->name, "caf\xc3\xa9 \"1\"");
	assert_int_equal(p->nlabels, 3);
	assert_string_equal(p->labels[0].name, "a");
	assert_string_equal(p->labels[0].value, "x\\y\nz");
	assert_string_equal(p->labels[1].value, "12");
	assert_string_equal(p->labels[2].value, "\xe2\x9c\x93");
	config_free(cfg);
}

/* ---- files ---- */

struct tmpdir {
	char	path[64];
};

/* Write text to dir/name with mode; return the full path in buf. */
static const char *
put_file(const struct tmpdir *t, const char *name, const char *text,
    mode_t mode, char *buf, size_t len)
{
	FILE *f;

	snprintf(buf, len, "%s/%s", t->path, name);
	assert_non_null(f = fopen(buf, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(buf, mode), 0);
	return buf;
}

static int
tmp_setup(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "/tmp/test_config.XXXXXX");
	if (mkdtemp(t->path) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmpdir *t = *state;
	struct dirent *de;
	char path[512];
	DIR *d;

	if ((d = opendir(t->path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", t->path,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(t->path);
	free(t);
	return 0;
}

/* Load a config file; 0 or -1 with the first message in msg. */
static int
load_file(const char *path, struct config **cfg, char *msg, size_t len)
{
	struct config_errors e = { 0 };
	int rv = config_load(path, cfg, &e);

	snprintf(msg, len, "%s", e.n ? e.msg[0] : "");
	if (rv == 0)
		assert_int_equal(e.n, 0);
	else
		assert_int_equal(e.n, 1);
	config_errors_free(&e);
	return rv;
}

/*
 * Load yaml as "t.yml" with its keys; it must fail with exactly one
 * error, at line 4 (the key of BASE's first server), ending in want.
 */
static void
key_error(const char *yaml, const char *want)
{
	struct config_errors e;
	struct config *cfg = NULL;
	size_t n, w = strlen(want);

	if (load(yaml, &cfg, &e) != -1 || e.n != 1 ||
	    strncmp(e.msg[0], "t.yml:4:", 8) != 0 ||
	    (n = strlen(e.msg[0])) < w || strcmp(e.msg[0] + n - w, want) != 0) {
		print_message("input:\n%s\nwant ...%s\n", yaml, want);
		show(&e);
		fail();
	}
	assert_null(cfg);
	config_errors_free(&e);
}

/*
 * secret_file and key_file are read with the configuration, by the one
 * rule for secrets: a regular file that others may not access.
 */
static void
test_key_file_modes(void **state)
{
	static const char secret[] = "c2VjcmV0IHNlY3JldCBzZWNyZXQ=";
	const struct tmpdir *t = *state;
	char cpath[256], spath[256], kpath[256], yaml[1024], want[1024];
	char msg[1024];
	const struct omapi_key *key;
	struct config *cfg;
	mode_t bad[] = { 0644, 0604, 0602, 0601 };
	size_t i;

	put_file(t, "omapi.secret", "c2VjcmV0IHNlY3JldCBzZWNyZXQ=\n", 0644,
	    spath, sizeof(spath));
	put_file(t, "omapi.conf", "key omapi_key {\n\talgorithm hmac-sha256;"
	    "\n\tsecret \"c2VjcmV0IHNlY3JldCBzZWNyZXQ=\";\n};\n", 0640, kpath,
	    sizeof(kpath));
	/* Relative paths are taken from the config file's folder. */
	put_file(t, "c.yml", BASE "    key: { name: omapi_key, secret_file: "
	    "omapi.secret }\n  - name: b\n    address: 127.0.0.2\n"
	    "    key: { key_file: omapi.conf }\n", 0600, cpath, sizeof(cpath));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(spath, bad[i]), 0);
		assert_int_equal(load_file(cpath, &cfg, msg, sizeof(msg)), -1);
		assert_null(cfg);
		snprintf(want, sizeof(want), "%s:4:42: %s: others may access "
		    "this secret (mode %04o); fix with: chmod o-rwx %s", cpath,
		    spath, (unsigned)bad[i], spath);
		assert_string_equal(msg, want);
	}
	/* Owner and group may read it: 0600 and 0640 both work. */
	assert_int_equal(chmod(spath, 0600), 0);
	assert_int_equal(load_file(cpath, &cfg, msg, sizeof(msg)), 0);
	assert_string_equal(cfg->servers[0].key.path, spath);
	assert_string_equal(cfg->servers[1].key.path, kpath);
	assert_non_null(key = cfg->servers[0].key.loaded);
	assert_string_equal(key->name, "omapi_key");
	assert_int_equal(key->alg, OMAPI_ALG_HMAC_MD5);
	assert_int_equal(key->secret_len, 20);
	assert_memory_equal(key->secret, "secret secret secret", 20);
	assert_non_null(key = cfg->servers[1].key.loaded);
	assert_string_equal(key->name, "omapi_key");
	assert_int_equal(key->alg, OMAPI_ALG_HMAC_SHA256);
	assert_int_equal(key->secret_len, 20);
	config_free(cfg);

	/* The file's algorithm must agree with the configured one. */
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: omapi_key, "
	    "algorithm: hmac-md5, key_file: %s }\n", kpath);
	snprintf(want, sizeof(want), "%s: key 'omapi_key' uses hmac-sha256, "
	    "but the configuration says hmac-md5", kpath);
	key_error(yaml, want);

	/* A key_file without the named key. */
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: other, "
	    "key_file: %s }\n", kpath);
	snprintf(want, sizeof(want), "%s: no key named 'other'", kpath);
	key_error(yaml, want);

	/* A key block given as secret_file; the secret stays hidden. */
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: omapi_key, "
	    "secret_file: %s }\n", kpath);
	snprintf(want, sizeof(want), "%s: not a base64 secret (a file with a "
	    "`key NAME { ... };` block goes in key_file)", kpath);
	key_error(yaml, want);
	assert_null(strstr(want, secret));

	/* A missing file. */
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: k, secret_file: "
	    "%s/nope }\n", t->path);
	snprintf(want, sizeof(want), "%s/nope: No such file or directory",
	    t->path);
	key_error(yaml, want);

	/* A folder is not a secret file. */
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: k, secret_file: "
	    "%s }\n", t->path);
	snprintf(want, sizeof(want), "%s: not a regular file", t->path);
	key_error(yaml, want);
}

/*
 * A FIFO as secret_file, key_file or the configuration itself is refused
 * at once: opening one for reading would wait for a writer.  SIGALRM
 * ends the test if anything blocks.
 */
static void
test_key_fifo(void **state)
{
	const struct tmpdir *t = *state;
	char fifo[256], yaml[1024], want[1024], msg[1024];
	struct config *cfg = NULL;

	snprintf(fifo, sizeof(fifo), "%s/fifo", t->path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10);
	snprintf(want, sizeof(want), "%s: not a regular file", fifo);
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: k, secret_file: "
	    "%s }\n", fifo);
	key_error(yaml, want);
	snprintf(yaml, sizeof(yaml), BASE "    key: { key_file: %s }\n", fifo);
	key_error(yaml, want);
	assert_int_equal(load_file(fifo, &cfg, msg, sizeof(msg)), -1);
	assert_string_equal(msg, want);
	alarm(0);
}

/* A key file naming the configured key twice says so. */
static void
test_key_duplicate(void **state)
{
	const struct tmpdir *t = *state;
	char kpath[256], yaml[1024], want[1024];

	put_file(t, "two.conf", "key k { algorithm hmac-md5; secret \"YQ==\"; "
	    "};\nkey other { algorithm hmac-md5; secret \"Yg==\"; };\n"
	    "key k { algorithm hmac-md5; secret \"Yw==\"; };\n", 0600, kpath,
	    sizeof(kpath));
	snprintf(yaml, sizeof(yaml), BASE "    key: { name: k, key_file: %s }\n",
	    kpath);
	snprintf(want, sizeof(want), "%s: line 3: key 'k' is defined twice "
	    "(first at line 1)", kpath);
	key_error(yaml, want);
	snprintf(yaml, sizeof(yaml), BASE "    key: { key_file: %s }\n", kpath);
	snprintf(want, sizeof(want), "%s: line 2: more than one key; name the "
	    "one to use", kpath);
	key_error(yaml, want);
}

/* An inline secret: fine in a private file, refused in a public one. */
static void
test_inline_secret(void **state)
{
	static const char secret[] = "c2VjcmV0IHNlY3JldCBzZWNyZXQ=";
	const struct tmpdir *t = *state;
	char cpath[256], want[1024], msg[1024];
	struct config_errors e = { 0 };
	const struct omapi_key *key;
	struct config *cfg;

	put_file(t, "inline.yml", BASE "    key: { name: k, algorithm: "
	    "hmac-sha1, secret: \"c2VjcmV0IHNlY3JldCBzZWNyZXQ=\" }\n", 0644,
	    cpath, sizeof(cpath));
	assert_int_equal(load_file(cpath, &cfg, msg, sizeof(msg)), -1);
	assert_null(cfg);
	snprintf(want, sizeof(want), "%s:4:51: this file holds an inline "
	    "secret but others may access it (mode 0644); run: chmod o-rwx "
	    "%s, or move the secret to a secret_file", cpath, cpath);
	assert_string_equal(msg, want);
	assert_null(strstr(msg, secret));
	/* The same rule as for key files: others may not write it either. */
	assert_int_equal(chmod(cpath, 0602), 0);
	assert_int_equal(load_file(cpath, &cfg, msg, sizeof(msg)), -1);

	assert_int_equal(chmod(cpath, 0640), 0);
	assert_int_equal(load_file(cpath, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg->servers[0].key.src, CONFIG_SECRET_INLINE);
	assert_string_equal(cfg->servers[0].key.secret, secret);
	assert_non_null(key = cfg->servers[0].key.loaded);
	assert_string_equal(key->name, "k");
	assert_int_equal(key->alg, OMAPI_ALG_HMAC_SHA1);
	assert_memory_equal(key->secret, "secret secret secret", 20);
	config_free(cfg);

	/* No key: none loaded, requests go unsigned. */
	assert_int_equal(load(BASE, &cfg, &e), 0);
	assert_null(cfg->servers[0].key.loaded);
	config_free(cfg);
	config_errors_free(&e);

	/* A bad inline secret is reported without showing it. */
	assert_int_equal(load(BASE "    key: { name: k, secret: "
	    "\"c2VjcmV0!IHNlY3JldCBzZWNyZXQ=\" }\n", &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_null(strstr(e.msg[0], "c2VjcmV0"));
	config_errors_free(&e);
}

/* Files that cannot be read as a configuration. */
static void
test_load_errors(void **state)
{
	const struct tmpdir *t = *state;
	char path[256], want[512], msg[1024];
	struct config *cfg = (struct config *)1;

	snprintf(path, sizeof(path), "%s/missing.yml", t->path);
	assert_int_equal(load_file(path, &cfg, msg, sizeof(msg)), -1);
	assert_null(cfg);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(msg, want);

	assert_int_equal(load_file(t->path, &cfg, msg, sizeof(msg)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", t->path);
	assert_string_equal(msg, want);

	put_file(t, "bad.yml", "servers: 1\n", 0600, path, sizeof(path));
	assert_int_equal(load_file(path, &cfg, msg, sizeof(msg)), -1);
	snprintf(want, sizeof(want), "%s:1:10: 'servers' must be a list, not "
	    "a single value", path);
	assert_string_equal(msg, want);
	config_free(NULL);
}

/* Read a whole fixture file. */
static char *
slurp(const char *path)
{
	FILE *f;
	char *buf;
	long n;

	assert_non_null(f = fopen(path, "r"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) >= 0);
	rewind(f);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/*
 * A fixture: good-*.yml must load; bad-*.yml must fail with exactly the
 * messages of its "# expect: LINE:COL: message" lines, in order.
 */
static void
check_fixture(const char *path, int good)
{
	struct config_errors e = { 0 };
	struct config *cfg = NULL;
	char *text, *line, *save = NULL, want[1024];
	size_t n = 0;
	int rv;

	rv = config_load_unkeyed(path, NULL, 0, &cfg, &e);
	text = slurp(path);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# expect: ", 10) != 0)
			continue;
		snprintf(want, sizeof(want), "%s:%s", path, line + 10);
		if (n >= e.n || strcmp(e.msg[n], want) != 0) {
			print_message("%s: want %s\n", path, want);
			show(&e);
			fail();
		}
		n++;
	}
	if (good ? rv != 0 || n != 0 : rv != -1 || n == 0 || n != e.n) {
		print_message("%s: rv %d, %zu expected\n", path, rv, n);
		show(&e);
		fail();
	}
	free(text);
	config_free(cfg);
	config_errors_free(&e);
}

/* Every fixture under tests/unit/config/. */
static void
test_fixtures(void **state)
{
	struct dirent *de;
	char path[512];
	size_t ngood = 0, nbad = 0;
	DIR *d;

	assert_non_null(d = opendir(FIXTURES));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".yml") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, de->d_name);
		if (strncmp(de->d_name, "good-", 5) == 0) {
			check_fixture(path, 1);
			ngood++;
		} else if (strncmp(de->d_name, "bad-", 4) == 0) {
			check_fixture(path, 0);
			nbad++;
		}
	}
	closedir(d);
	assert_true(ngood >= 2);
	assert_true(nbad >= 5);
}

/* The annotated example loads, with the values its comments promise. */
static void
test_example_conf(void **state)
{
	struct config_errors e = { 0 };
	struct config *cfg = NULL;
	struct config_server *s;

	if (config_load_unkeyed(EXAMPLE, NULL, 0, &cfg, &e) != 0) {
		show(&e);
		fail();
	}
	assert_int_equal(cfg->nservers, 2);
	s = &cfg->servers[0];
	assert_string_equal(s->name, "dhcp1");
	assert_int_equal(s->key.src, CONFIG_SECRET_FILE);
	assert_true(s->sweep.enabled);
	assert_false(s->lease_info.enabled);
	assert_int_equal(s->lease_info.max_series, 10000);
	assert_int_equal(s->npools, 2);
	assert_int_equal(s->pools[1].nlabels, 2);
	assert_int_equal(s->nhosts, 3);
	assert_string_equal(s->hosts[1].label, "00:16:3e:00:00:01");
	assert_string_equal(s->hosts[2].label, "camera-lobby");
	assert_true(s->hosts[2].has_mac);
	s = &cfg->servers[1];
	assert_int_equal(s->key.src, CONFIG_SECRET_NONE);
	assert_false(s->sweep.enabled);
	config_free(cfg);
	config_errors_free(&e);
}

/*
 * Issue 23: leases_file; with dhcpd_conf, no address is needed (nothing
 * over OMAPI), but what needs OMAPI is refused; the size estimate counts
 * the DHCPv6 pools.
 */
static void
test_leases_file(void **state)
{
	const struct tmpdir *t = *state;
	char dpath[256], yaml[1024];
	const struct config_server *s;
	struct config *cfg;
	struct snapshot *snap;

	put_file(t, "dhcpd6.conf", "subnet6 2001:db8::/64 {\n"
	    "  range6 2001:db8::100 2001:db8::1ff;\n"
	    "  prefix6 2001:db8:1:: 2001:db8:1:ff00:: /56;\n}\n", 0644, dpath,
	    sizeof(dpath));
	snprintf(yaml, sizeof(yaml), "servers:\n  - name: six\n"
	    "    dhcpd_conf: %s\n    leases_file: /var/lib/dhcp/dhcpd6.leases\n",
	    dpath);
	cfg = must_load(yaml);
	s = &cfg->servers[0];
	assert_null(s->address);
	assert_string_equal(s->leases_file, "/var/lib/dhcp/dhcpd6.leases");
	assert_int_equal(s->dconf->nranges6, 2);
	assert_true(render_body_max(cfg) > 2 * 11 * 64);
	assert_non_null(snap = worst_snapshot(cfg));
	snapshot_release(snap);
	config_free(cfg);

	snprintf(yaml, sizeof(yaml), "servers:\n  - name: six\n"
	    "    dhcpd_conf: %s\n    leases_file: /x\n"
	    "    hosts: [{ name: h }]\n", dpath);
	EXPECT(yaml, "t.yml:5:12: 'hosts' asks dhcpd over OMAPI: it needs an "
	    "'address'");
	snprintf(yaml, sizeof(yaml), "servers:\n  - name: six\n"
	    "    dhcpd_conf: %s\n", dpath);
	EXPECT(yaml, "t.yml:2:5: server needs an 'address' (where dhcpd's "
	    "omapi-port listens), or 'dhcpd_conf' and 'leases_file' to read "
	    "the counts from its files");
}

/*
 * Issue 13: a server's peers and classes are one list each, from the
 * YAML, the pools' failover_peer and dhcpd.conf (classes only with a
 * lease limit), each name once; the size estimate counts their series.
 */
static void
test_failover_lists(void **state)
{
	const struct tmpdir *t = *state;
	char dpath[256], yaml[1024];
	const struct config_server *s;
	struct config *cfg;
	struct snapshot *snap;

	put_file(t, "dhcpd.conf", "failover peer \"pair\" {\n  primary;\n"
	    "  address 10.0.0.1;\n  peer address 10.0.0.2;\n  mclt 30;\n"
	    "  split 128;\n}\nclass \"limited\" {\n  lease limit 4;\n}\n"
	    "class \"plain\" {\n  match hardware;\n}\n"
	    "subnet 10.0.0.0 netmask 255.255.255.0 {\n  pool {\n"
	    "    failover peer \"pair\";\n    range 10.0.0.10 10.0.0.20;\n"
	    "  }\n}\n", 0644, dpath, sizeof(dpath));
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n"
	    "    failover_peers: [pair, other]\n    classes: [gold]\n"
	    "    pools:\n      - { name: own, ranges: [10.1.0.0/24], "
	    "failover_peer: third }\n", dpath);
	cfg = must_load(yaml);
	s = &cfg->servers[0];
	assert_int_equal(s->npeers, 3);
	assert_string_equal(s->peers[0], "pair");
	assert_string_equal(s->peers[1], "other");
	assert_string_equal(s->peers[2], "third");
	assert_int_equal(s->nclasses, 2);
	assert_string_equal(s->classes[0], "gold");
	assert_string_equal(s->classes[1], "limited");
	assert_int_equal(s->npools, 2);
	assert_string_equal(s->pools[0].failover_peer, "pair");
	assert_string_equal(s->pools[1].failover_peer, "third");
	/* what it watches publishes (its size: test_render_size) */
	assert_non_null(snap = worst_snapshot(cfg));
	snapshot_release(snap);
	config_free(cfg);

	/* A YAML pool inside a discovered one may name its peer, not
	 * another one. */
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n"
	    "    pools:\n      - { name: fo, ranges: [10.0.0.10-10.0.0.15], "
	    "failover_peer: pair }\n", dpath);
	cfg = must_load(yaml);
	assert_int_equal(cfg->servers[0].npools, 1);
	assert_string_equal(cfg->servers[0].pools[0].name, "fo");
	assert_string_equal(cfg->servers[0].pools[0].failover_peer, "pair");
	config_free(cfg);
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n"
	    "    pools:\n      - { name: fo, ranges: [10.0.0.10-10.0.0.15], "
	    "failover_peer: nope }\n", dpath);
	{
		struct config_errors e;

		assert_int_equal(load(yaml, &cfg, &e), -1);
		assert_int_equal(e.n, 1);
		assert_non_null(strstr(e.msg[0], "t.yml:6:9: pool 'fo' has "
		    "failover_peer 'nope', but "));
		assert_non_null(strstr(e.msg[0], "serves it under failover "
		    "peer \"pair\""));
		config_errors_free(&e);
	}

	/*
	 * dhcpd.conf's strings may be any bytes, a label value may not: a
	 * name that is not UTF-8 is refused at load, not at every publish.
	 */
	put_file(t, "bad.conf", "class \"c\\303\" {\n  lease limit 3;\n}\n",
	    0644, dpath, sizeof(dpath));
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n", dpath);
	{
		struct config_errors e;

		assert_int_equal(load(yaml, &cfg, &e), -1);
		assert_int_equal(e.n, 1);
		assert_string_equal(e.msg[0], "t.yml:2:5: class names must be "
		    "UTF-8 text of at most 256 bytes; one from dhcpd.conf is "
		    "not");
		config_errors_free(&e);
	}
}

/*
 * Issue 24: a server with dhcpd_conf and no port or key takes dhcpd's
 * omapi-port and the key omapi-key names, from an include of mode 0600;
 * the same key in a world-readable file is refused, secret unshown; its
 * own port and key win; no omapi-port is noted for the daemon's warning.
 */
static void
test_key_from_dhcpd_conf(void **state)
{
	const struct tmpdir *t = *state;
	char dpath[256], kpath[256], yaml[1024];
	const struct config_server *s;
	struct config_errors e;
	struct config *cfg;

	put_file(t, "omapi.key", "key omapi_key {\n  algorithm hmac-sha256;\n"
	    "  secret \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\";\n};\n", 0600,
	    kpath, sizeof(kpath));
	snprintf(yaml, sizeof(yaml), "omapi-port 7912;\nomapi-key omapi_key;\n"
	    "include \"%s\";\nsubnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  range 10.0.0.10 10.0.0.20;\n}\n", kpath);
	put_file(t, "dhcpd.conf", yaml, 0644, dpath, sizeof(dpath));
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n", dpath);
	if (load(yaml, &cfg, &e) != 0) {
		show(&e);
		fail();
	}
	config_errors_free(&e);
	s = &cfg->servers[0];
	assert_int_equal(s->port, 7912);
	assert_int_equal(s->no_omapi, 0);
	assert_non_null(s->key.loaded);
	assert_string_equal(s->key.loaded->name, "omapi_key");
	assert_int_equal(s->key.loaded->alg, OMAPI_ALG_HMAC_SHA256);
	assert_int_equal(s->key.loaded->secret_len, 24);
	assert_memory_equal(s->key.loaded->secret, "secretsecretsecretsecret",
	    24);
	config_free(cfg);

	/* its own port and key win */
	snprintf(yaml, sizeof(yaml), BASE "    port: 7000\n    key: { name: x, "
	    "secret: \"c2VjcmV0\" }\n    dhcpd_conf: %s\n", dpath);
	assert_int_equal(load(yaml, &cfg, &e), 0);
	config_errors_free(&e);
	assert_int_equal(cfg->servers[0].port, 7000);
	assert_string_equal(cfg->servers[0].key.loaded->name, "x");
	config_free(cfg);

	/* world-readable: refused, at the key, with the fix, no secret */
	assert_int_equal(chmod(kpath, 0644), 0);
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n", dpath);
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], ":1:1: key omapi_key: others may "
	    "access this secret (mode 0644); fix with: chmod o-rwx "));
	assert_null(strstr(e.msg[0], "c2Vj"));
	config_errors_free(&e);

	/* omapi-key naming a key that is nowhere */
	put_file(t, "dhcpd.conf", "omapi-key nokey;\n", 0644, dpath,
	    sizeof(dpath));
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_non_null(strstr(e.msg[0], "dhcpd.conf:1:1: omapi-key nokey: "
	    "no `key nokey { ... }` block"));
	config_errors_free(&e);

	/* no OMAPI in dhcpd.conf: valid, default port, noted */
	put_file(t, "dhcpd.conf", "subnet 10.0.0.0 netmask 255.255.255.0 "
	    "{ }\n", 0644, dpath, sizeof(dpath));
	assert_int_equal(load(yaml, &cfg, &e), 0);
	config_errors_free(&e);
	assert_int_equal(cfg->servers[0].no_omapi, 1);
	assert_int_equal(cfg->servers[0].port, 7911);
	assert_null(cfg->servers[0].key.loaded);
	config_free(cfg);
}

/*
 * A dhcpd.conf that fails is reported once, with its FILE:LINE:COLUMN:
 * the sweep it would have fed is not reported as "sweep needs pools" on
 * top (issue 21).
 */
static void
test_conf_failure_alone(void **state)
{
	const struct tmpdir *t = *state;
	char dpath[256], yaml[1024];
	struct config_errors e;
	struct config *cfg;

	put_file(t, "broken.conf", "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  range 10.0.0.10 10.0.0.20\n}\n", 0644, dpath, sizeof(dpath));
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n"
	    "    sweep: { interval: 60s }\n", dpath);
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], "broken.conf:3:1: expected ';' after "
	    "the range, found '}'"));
	assert_true(config_errors_conf_did_fail(&e, dpath));
	config_errors_free(&e);
	/* a missing file, the same */
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s.gone\n"
	    "    sweep: { interval: 60s }\n", dpath);
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], "No such file or directory"));
	config_errors_free(&e);
	/* a sweep with no pools at all is still refused */
	snprintf(yaml, sizeof(yaml), BASE "    sweep: { interval: 60s }\n");
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], "sweep needs pools"));
	config_errors_free(&e);
}

/*
 * Issue 21 item 7: a discovered pool has the range cap of a YAML pool
 * (every range is a request when it resolves), refused with
 * FILE:LINE:COLUMN (test_conf_failure_alone has item 9's case).
 */
static void
test_discovered_limits(void **state)
{
	const struct tmpdir *t = *state;
	char dpath[256], yaml[1024], *conf, *o;
	struct config_errors e;
	struct config *cfg;
	size_t i;

	assert_non_null(conf = malloc(64 + (CONFIG_RANGES_MAX + 1) * 48));
	o = conf + sprintf(conf, "subnet 10.88.0.0 netmask 255.255.0.0 {\n"
	    "  pool {\n");
	for (i = 0; i <= CONFIG_RANGES_MAX; i++)
		o += sprintf(o, "    range 10.88.%zu.%zu 10.88.%zu.%zu;\n",
		    i / 200, i % 200 + 1, i / 200, i % 200 + 1);
	sprintf(o, "  }\n}\n");
	put_file(t, "many.conf", conf, 0644, dpath, sizeof(dpath));
	free(conf);
	snprintf(yaml, sizeof(yaml), BASE "    dhcpd_conf: %s\n"
	    "    sweep: { interval: 60s }\n", dpath);
	assert_int_equal(load(yaml, &cfg, &e), -1);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], "many.conf:2:3: the pool has 4097 "
	    "ranges; at most 4096 are watched per pool"));
	config_errors_free(&e);

}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_settings),
		cmocka_unit_test(test_sweep_block),
		cmocka_unit_test(test_lease_info),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_nul_in_file),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_multiple_errors),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_range_good),
		cmocka_unit_test(test_range_bad),
		cmocka_unit_test(test_label_values),
		cmocka_unit_test_setup_teardown(test_key_file_modes,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_key_fifo, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_key_duplicate, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_inline_secret,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_errors,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test_setup_teardown(test_key_from_dhcpd_conf,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_conf_failure_alone,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_discovered_limits,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_failover_lists, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_leases_file, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_example_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
