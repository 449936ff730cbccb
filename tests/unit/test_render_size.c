/*
 * test_render_size.c: the most bytes a configuration's /metrics can take
 * (metrics/render_size.c): a worst-case snapshot of each configuration
 * renders within the estimate (and not far below it), and one that could
 * not be served is refused with its position, as the daemon refuses it.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "metrics/metrics.h"
#include "worst_snapshot.h"

#define BASE	"servers:\n  - name: a\n    address: 127.0.0.1\n"

/* Load yaml as "t.yml" and check its size, as the daemon does. */
static int
load(const char *yaml, struct config **cfg, struct config_errors *e)
{
	memset(e, 0, sizeof(*e));
	if (config_load_buffer("t.yml", yaml, strlen(yaml), cfg, e) == -1)
		return -1;
	if (render_check_size(*cfg, e) == 0)
		return 0;
	config_free(*cfg);
	*cfg = NULL;
	return -1;
}

static struct config *
must_load(const char *yaml)
{
	struct config_errors e;
	struct config *cfg = NULL;
	size_t i;

	if (load(yaml, &cfg, &e) == -1) {
		for (i = 0; i < e.n; i++)
			print_message("  got: %s\n", e.msg[i]);
		fail_msg("did not load");
	}
	config_errors_free(&e);
	return cfg;
}

/*
 * Whatever loads publishes: the snapshot of a configuration builds, and
 * its /metrics, every series present and every value at its widest,
 * stays within the loader's estimate (and not far below it).
 */
static void
check_publishes(const struct config *cfg)
{
	struct snapshot *snap;
	struct omapi_buf b;
	uint64_t est = render_body_max(cfg);

	assert_non_null(snap = worst_snapshot(cfg));
	omapi_buf_init(&b, RENDER_DEFAULT_MAX);
	assert_int_equal(render_metrics(&b, snap), 0);
	if (b.len > est || b.len < est / 3)
		fail_msg("rendered %zu bytes, estimate %" PRIu64, b.len, est);
	omapi_buf_free(&b);
	snapshot_release(snap);
}

/* A YAML of npools pools with nlabels labels of vlen bytes each. */
static char *
big_yaml(size_t npools, size_t nlabels, size_t vlen, int special)
{
	size_t cap = 256 + npools * (64 + nlabels * (vlen * 2 + 32)), n = 0;
	char *y, *v;
	size_t i, j;

	assert_non_null(y = malloc(cap));
	assert_non_null(v = malloc(vlen + 1));
	/* Escaped by render.c: each costs two bytes on /metrics. */
	for (i = 0; i < vlen; i++)
		v[i] = special ? (i % 2 ? '"' : '\\') : 'x';
	v[vlen] = '\0';
	n += (size_t)snprintf(y + n, cap - n, BASE "    hosts: [{ name: "
	    "h1 }, { mac: 00:16:3e:00:00:01 }]\n    pools:\n");
	for (i = 0; i < npools; i++) {
		n += (size_t)snprintf(y + n, cap - n, "      - name: pool%zu\n"
		    "        ranges: [10.%zu.%zu.0/24]\n        labels:\n", i,
		    i / 256, i % 256);
		for (j = 0; j < nlabels; j++)
			n += (size_t)snprintf(y + n, cap - n, "          l%zu: "
			    "'%s'\n", j, v);
		assert_true(n < cap);
	}
	free(v);
	return y;
}

/* dhcpd's log at its widest: 256 networks of 128 escaped bytes. */
static void
test_log_size(void **state)
{
	struct config *cfg;

	cfg = must_load(BASE "    pools: [{ name: p, ranges: [10.0.0.1-10.0.0.9] }]\n"
	    "    log: { syslog: \"unix:/run/x.sock\" }\n");
	check_publishes(cfg);
	config_free(cfg);
}

static void
test_body_size(void **state)
{
	struct config_errors e;
	struct config *cfg = NULL;
	char *y;

	y = big_yaml(20, 16, 256, 1);
	cfg = must_load(y);
	check_publishes(cfg);
	config_free(cfg);
	free(y);

	/*
	 * Issue 17: 700 pools of 16 labels of 256 bytes passed
	 * --check-config, then /metrics answered 500 forever (32 MiB cap).
	 */
	y = big_yaml(700, 16, 256, 0);
	assert_int_equal(load(y, &cfg, &e), -1);
	assert_null(cfg);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.msg[0], "t.yml:2:5: with server 'a', "
	    "/metrics could reach "));
	assert_non_null(strstr(e.msg[0], "more than the 33554432 a scrape "
	    "may return (32 MiB)"));
	config_errors_free(&e);
	free(y);
	/* Just under the cap loads, and renders within it. */
	y = big_yaml(330, 16, 256, 0);
	cfg = must_load(y);
	assert_true(render_body_max(cfg) <= (uint64_t)RENDER_DEFAULT_MAX);
	check_publishes(cfg);
	config_free(cfg);
	free(y);
}

/* The most peers and classes, names at their longest, within the cap. */
static void
test_failover_body(void **state)
{
	size_t cap = 1 << 21, n = 0, i;
	struct config *cfg;
	char *y;

	assert_non_null(y = malloc(cap));
	n += (size_t)snprintf(y + n, cap - n, BASE "    failover_peers:\n");
	for (i = 0; i < 256; i++)
		n += (size_t)snprintf(y + n, cap - n, "      - \"%0255zu\"\n",
		    i);
	n += (size_t)snprintf(y + n, cap - n, "    classes:\n");
	for (i = 0; i < 4096; i++)
		n += (size_t)snprintf(y + n, cap - n, "      - \"\\\"%0254zu\"\n",
		    i);
	assert_true(n < cap);
	cfg = must_load(y);
	assert_int_equal(cfg->servers[0].npeers, 256);
	assert_int_equal(cfg->servers[0].nclasses, 4096);
	check_publishes(cfg);
	config_free(cfg);
	free(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_size),
		cmocka_unit_test(test_log_size),
		cmocka_unit_test(test_failover_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
