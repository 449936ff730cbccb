/*
 * test_render.c: the snapshot builders and store, the Prometheus text
 * rendering (golden output, escaping, zeros, the size cap), lease_info,
 * failover, and promtool's opinion of the output (promtool is required).
 * The status page is test_page.c's, the lease table test_leasetab.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "metrics/metrics.h"
#include "sample_snapshot.h"


static const char golden_text[] =
"# HELP dhcpd_up Whether the last poll of the dhcpd server over OMAPI succeeded (1) or not (0).\n"
"# TYPE dhcpd_up gauge\n"
"dhcpd_up{server=\"dhcp1\"} 1\n"
"dhcpd_up{server=\"dhcp2\"} 0\n"
"# HELP dhcpd_pool_resolved Whether dhcpd serves the configured pool (1): the lease of its first address names a pool object; 0 when dhcpd answered \"not found\" or an error (the pool then has no counters: see the log).\n"
"# TYPE dhcpd_pool_resolved gauge\n"
"dhcpd_pool_resolved{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 1\n"
"dhcpd_pool_resolved{server=\"dhcp1\",pool=\"lab\"} 0\n"
"# HELP dhcpd_pool_addresses Addresses in the pool: lease-count of dhcpd's pool object, read every poll.\n"
"# TYPE dhcpd_pool_addresses gauge\n"
"dhcpd_pool_addresses{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 241\n"
"# HELP dhcpd_pool_free_addresses Free addresses in the pool: free-leases of dhcpd's pool object, read every poll.\n"
"# TYPE dhcpd_pool_free_addresses gauge\n"
"dhcpd_pool_free_addresses{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 40\n"
"# HELP dhcpd_pool_backup_addresses Addresses in the pool kept for the failover peer: backup-leases of dhcpd's pool object, read every poll.\n"
"# TYPE dhcpd_pool_backup_addresses gauge\n"
"dhcpd_pool_backup_addresses{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 0\n"
"# HELP dhcpd_pool_leases Leases in the pool by binding state, counted by a full sweep of the pool's ranges. Cached from the last sweep: up to one sweep interval old (see dhcpd_exporter_last_sweep_timestamp_seconds).\n"
"# TYPE dhcpd_pool_leases gauge\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"free\"} 40\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"active\"} 190\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"expired\"} 0\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"released\"} 0\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"abandoned\"} 11\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"reset\"} 0\n"
"dhcpd_pool_leases{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",state=\"backup\"} 0\n"
"# HELP dhcpd_pool_active_leases_expiring Active leases in the pool whose end is at most within_seconds after the sweep read them (cumulative: the 3600 count includes the 300 count). Cached from the last sweep: up to one sweep interval old (see dhcpd_exporter_last_sweep_timestamp_seconds).\n"
"# TYPE dhcpd_pool_active_leases_expiring gauge\n"
"dhcpd_pool_active_leases_expiring{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"300\"} 1\n"
"dhcpd_pool_active_leases_expiring{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"900\"} 2\n"
"dhcpd_pool_active_leases_expiring{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"3600\"} 10\n"
"dhcpd_pool_active_leases_expiring{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"14400\"} 50\n"
"dhcpd_pool_active_leases_expiring{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"86400\"} 190\n"
"# HELP dhcpd_pool_earliest_lease_end_timestamp_seconds Earliest end of an active lease in the pool, in seconds since the epoch; absent when the pool has no active lease. Cached from the last sweep: up to one sweep interval old (see dhcpd_exporter_last_sweep_timestamp_seconds).\n"
"# TYPE dhcpd_pool_earliest_lease_end_timestamp_seconds gauge\n"
"dhcpd_pool_earliest_lease_end_timestamp_seconds{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 1700000123\n"
"# HELP dhcpd_pool_active_leases_seen Active leases in the pool whose client's last transaction (cltt) lies at most within_seconds before the sweep read them (cumulative: the 3600 count includes the 300 count). Cached from the last sweep: up to one sweep interval old (see dhcpd_exporter_last_sweep_timestamp_seconds).\n"
"# TYPE dhcpd_pool_active_leases_seen gauge\n"
"dhcpd_pool_active_leases_seen{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"300\"} 7\n"
"dhcpd_pool_active_leases_seen{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"900\"} 30\n"
"dhcpd_pool_active_leases_seen{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\",within_seconds=\"3600\"} 120\n"
"# HELP dhcpd_pool_last_client_transaction_timestamp_seconds Newest client last transaction time (cltt) of any lease in the pool, in seconds since the epoch; absent when no lease has one. Cached from the last sweep: up to one sweep interval old (see dhcpd_exporter_last_sweep_timestamp_seconds).\n"
"# TYPE dhcpd_pool_last_client_transaction_timestamp_seconds gauge\n"
"dhcpd_pool_last_client_transaction_timestamp_seconds{server=\"dhcp1\",pool=\"office\",site=\"hq\",zone=\"a\"} 1699999985\n"
"# HELP dhcpd_host_present Whether the configured host (by name or MAC) exists on the server (1) or not (0).\n"
"# TYPE dhcpd_host_present gauge\n"
"dhcpd_host_present{server=\"dhcp1\",host=\"printer-1\"} 1\n"
"dhcpd_host_present{server=\"dhcp1\",host=\"00:16:3e:00:00:02\"} 0\n"
"# HELP dhcpd_host_info Hardware address and fixed address (empty when none) of a configured host found on the server; always 1.\n"
"# TYPE dhcpd_host_info gauge\n"
"dhcpd_host_info{server=\"dhcp1\",host=\"printer-1\",mac=\"00:16:3e:00:00:01\",ip=\"10.20.0.5\"} 1\n"
"# HELP dhcpd_exporter_build_info Version and commit the exporter was built from; always 1.\n"
"# TYPE dhcpd_exporter_build_info gauge\n"
"dhcpd_exporter_build_info{version=\"1.2.3\",commit=\"abc123\"} 1\n"
"# HELP dhcpd_exporter_config_last_reload_successful 1 when the last reload of the configuration (the YAML file and every dhcpd.conf, on SIGHUP or when a dhcpd.conf changed) was taken, 0 when it was refused and the running one kept.\n"
"# TYPE dhcpd_exporter_config_last_reload_successful gauge\n"
"dhcpd_exporter_config_last_reload_successful 0\n"
"# HELP dhcpd_exporter_config_last_reload_success_timestamp_seconds When the configuration was last loaded (at start or by a reload), in seconds since the epoch.\n"
"# TYPE dhcpd_exporter_config_last_reload_success_timestamp_seconds gauge\n"
"dhcpd_exporter_config_last_reload_success_timestamp_seconds 1700000000.5\n"
"# HELP dhcpd_exporter_last_poll_timestamp_seconds When the last poll of the server finished, in seconds since the epoch.\n"
"# TYPE dhcpd_exporter_last_poll_timestamp_seconds gauge\n"
"dhcpd_exporter_last_poll_timestamp_seconds{server=\"dhcp1\"} 1700000000.5\n"
"# HELP dhcpd_exporter_poll_duration_seconds How long the last poll of the server (pool counters and hosts) took.\n"
"# TYPE dhcpd_exporter_poll_duration_seconds gauge\n"
"dhcpd_exporter_poll_duration_seconds{server=\"dhcp1\"} 0.0125\n"
"# HELP dhcpd_exporter_polls_total Polls of the server since the exporter started.\n"
"# TYPE dhcpd_exporter_polls_total counter\n"
"dhcpd_exporter_polls_total{server=\"dhcp1\"} 3\n"
"dhcpd_exporter_polls_total{server=\"dhcp2\"} 0\n"
"# HELP dhcpd_exporter_sweep_enabled Whether the server is configured with a lease sweep (1) or not (0).\n"
"# TYPE dhcpd_exporter_sweep_enabled gauge\n"
"dhcpd_exporter_sweep_enabled{server=\"dhcp1\"} 1\n"
"dhcpd_exporter_sweep_enabled{server=\"dhcp2\"} 0\n"
"# HELP dhcpd_exporter_sweep_rate_limit Lookups per second the sweep may send now: max_rate, lowered while dhcpd's reply times show it busy with DHCP; 0 when the sweep has no limit.\n"
"# TYPE dhcpd_exporter_sweep_rate_limit gauge\n"
"dhcpd_exporter_sweep_rate_limit{server=\"dhcp1\"} 1250\n"
"# HELP dhcpd_exporter_sweep_connections OMAPI connections the last sweep slice ran on (sweep.connections, or chosen by measuring the first slices).\n"
"# TYPE dhcpd_exporter_sweep_connections gauge\n"
"dhcpd_exporter_sweep_connections{server=\"dhcp1\"} 2\n"
"# HELP dhcpd_exporter_last_sweep_timestamp_seconds When the last complete sweep of the server's pools finished, in seconds since the epoch; absent before the first. Lease state and expiry metrics date from then.\n"
"# TYPE dhcpd_exporter_last_sweep_timestamp_seconds gauge\n"
"dhcpd_exporter_last_sweep_timestamp_seconds{server=\"dhcp1\"} 1699999990\n"
"# HELP dhcpd_exporter_sweep_duration_seconds How long the last complete sweep of the server's pools took.\n"
"# TYPE dhcpd_exporter_sweep_duration_seconds gauge\n"
"dhcpd_exporter_sweep_duration_seconds{server=\"dhcp1\"} 1.25\n"
"# HELP dhcpd_exporter_omapi_requests_total OMAPI requests sent to the server.\n"
"# TYPE dhcpd_exporter_omapi_requests_total counter\n"
"dhcpd_exporter_omapi_requests_total{server=\"dhcp1\"} 1234\n"
"dhcpd_exporter_omapi_requests_total{server=\"dhcp2\"} 0\n"
"# HELP dhcpd_exporter_omapi_errors_total Failed OMAPI exchanges with the server, by reason.\n"
"# TYPE dhcpd_exporter_omapi_errors_total counter\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp1\",reason=\"timeout\"} 2\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp1\",reason=\"auth\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp1\",reason=\"protocol\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp1\",reason=\"status\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp1\",reason=\"connection\"} 1\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp2\",reason=\"timeout\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp2\",reason=\"auth\"} 7\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp2\",reason=\"protocol\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp2\",reason=\"status\"} 0\n"
"dhcpd_exporter_omapi_errors_total{server=\"dhcp2\",reason=\"connection\"} 0\n"
"# HELP dhcpd_exporter_connection_resets_total Times the OMAPI connection to the server was lost or had to be reopened.\n"
"# TYPE dhcpd_exporter_connection_resets_total counter\n"
"dhcpd_exporter_connection_resets_total{server=\"dhcp1\"} 1\n"
"dhcpd_exporter_connection_resets_total{server=\"dhcp2\"} 0\n";

/* Render s into a NUL-terminated heap string (cap: 1 MiB). */
static char *
render_to_string(const struct snapshot *s)
{
	struct omapi_buf b;
	char *out;

	omapi_buf_init(&b, 1 << 20);
	assert_int_equal(render_metrics(&b, s), 0);
	assert_non_null(out = malloc(b.len + 1));
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	omapi_buf_free(&b);
	return out;
}

/* Lines of want and got side by side up to the first difference. */
static void
assert_text_equal(const char *got, const char *want)
{
	size_t i, line = 1;

	for (i = 0; got[i] && got[i] == want[i]; i++)
		if (got[i] == '\n')
			line++;
	if (got[i] == want[i])
		return;
	print_error("first difference at line %zu, byte %zu:\n"
	    "got:  %.120s\nwant: %.120s\n", line, i, got + i, want + i);
	fail();
}

static void
test_golden(void **state)
{
	struct snapshot *s = golden_snapshot();
	char *text = render_to_string(s);

	assert_text_equal(text, golden_text);
	free(text);
	snapshot_release(s);
}

static void
test_empty_snapshot(void **state)
{
	struct snapshot *s;
	char *text;

	assert_non_null(s = snapshot_new("1.2.3", ""));
	s->reload_success = 1700000000;
	text = render_to_string(s);
	assert_text_equal(text,
	    "# HELP dhcpd_exporter_build_info Version and commit the exporter "
	    "was built from; always 1.\n"
	    "# TYPE dhcpd_exporter_build_info gauge\n"
	    "dhcpd_exporter_build_info{version=\"1.2.3\",commit=\"\"} 1\n"
	    "# HELP dhcpd_exporter_config_last_reload_successful 1 when the "
	    "last reload of the configuration (the YAML file and every "
	    "dhcpd.conf, on SIGHUP or when a dhcpd.conf changed) was taken, 0 "
	    "when it was refused and the running one kept.\n"
	    "# TYPE dhcpd_exporter_config_last_reload_successful gauge\n"
	    "dhcpd_exporter_config_last_reload_successful 1\n"
	    "# HELP dhcpd_exporter_config_last_reload_success_timestamp_seconds "
	    "When the configuration was last loaded (at start or by a "
	    "reload), in seconds since the epoch.\n"
	    "# TYPE dhcpd_exporter_config_last_reload_success_timestamp_seconds "
	    "gauge\n"
	    "dhcpd_exporter_config_last_reload_success_timestamp_seconds "
	    "1700000000\n");
	free(text);
	snapshot_release(s);
}

/* Escape s with fn into a string and compare. */
static void
check_escape(int (*fn)(struct omapi_buf *, const char *), const char *in,
    const char *want)
{
	struct omapi_buf b;

	omapi_buf_init(&b, 1024);
	assert_int_equal(fn(&b, in), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	omapi_buf_free(&b);
}

static void
test_label_escaping(void **state)
{
	check_escape(render_label_value, "", "");
	check_escape(render_label_value, "plain", "plain");
	check_escape(render_label_value, "a\\b", "a\\\\b");
	check_escape(render_label_value, "say \"hi\"", "say \\\"hi\\\"");
	check_escape(render_label_value, "two\nlines", "two\\nlines");
	check_escape(render_label_value, "\\\"\n", "\\\\\\\"\\n");
	check_escape(render_label_value, "tab\there", "tab\there");
	check_escape(render_label_value, "caf\xc3\xa9 {x=1}",
	    "caf\xc3\xa9 {x=1}");
}

static void
test_help_escaping(void **state)
{
	check_escape(render_help_text, "a\\b", "a\\\\b");
	check_escape(render_help_text, "two\nlines", "two\\nlines");
	/* double quotes are not escaped in HELP */
	check_escape(render_help_text, "say \"hi\"", "say \"hi\"");
}

/* Escaping inside a whole rendering, names and values from config. */
static void
test_escaping_in_output(void **state)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	char *text;

	assert_non_null(s = snapshot_new("v\"1\\", "c\nd"));
	assert_non_null(sv = snapshot_add_server(s, "dh\"cp"));
	assert_non_null(p = snapshot_server_add_pool(sv, "a\\b\nc"));
	assert_int_equal(snapshot_pool_add_label(p, "note", "x\"y"), 0);
	p->counters_known = 1;
	p->addresses = 5;
	text = render_to_string(s);
	assert_non_null(strstr(text, "dhcpd_pool_addresses{server=\"dh\\\"cp\","
	    "pool=\"a\\\\b\\nc\",note=\"x\\\"y\"} 5\n"));
	assert_non_null(strstr(text, "dhcpd_exporter_build_info{version="
	    "\"v\\\"1\\\\\",commit=\"c\\nd\"} 1\n"));
	free(text);
	snapshot_release(s);
}

static void
check_double(double v, const char *want)
{
	struct omapi_buf b;

	omapi_buf_init(&b, 128);
	assert_int_equal(render_double(&b, v), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	omapi_buf_free(&b);
}

static void
test_doubles(void **state)
{
	check_double(0, "0");
	check_double(1, "1");
	check_double(-3, "-3");
	check_double(1700000000, "1700000000");
	check_double(9007199254740992.0, "9007199254740992");
	check_double(1700000000.25, "1700000000.25");
	check_double(0.0125, "0.0125");
	check_double(1e-7, "1e-07");
	check_double(1e300, "1e+300");
	check_double(0.0 / 0.0, "NaN");
	check_double(1.0 / 0.0, "+Inf");
	check_double(-1.0 / 0.0, "-Inf");
}

/* Every state and every reason is present even when all are zero. */
static void
test_zeros_included(void **state)
{
	static const char *const states[] = { "free", "active", "expired",
	    "released", "abandoned", "reset", "backup" };
	static const char *const reasons[] = { "timeout", "auth", "protocol",
	    "status", "connection" };
	static const char *const seen[] = { "300", "900", "3600" };
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	char *text, want[256];
	size_t i;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "s"));
	assert_non_null(p = snapshot_server_add_pool(sv, "p"));
	p->sweep_known = 1;
	text = render_to_string(s);
	for (i = 0; i < 7; i++) {
		snprintf(want, sizeof(want), "dhcpd_pool_leases{server=\"s\","
		    "pool=\"p\",state=\"%s\"} 0\n", states[i]);
		assert_non_null(strstr(text, want));
	}
	for (i = 0; i < 5; i++) {
		snprintf(want, sizeof(want), "dhcpd_exporter_omapi_errors_total"
		    "{server=\"s\",reason=\"%s\"} 0\n", reasons[i]);
		assert_non_null(strstr(text, want));
	}
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "dhcpd_pool_active_leases_seen"
		    "{server=\"s\",pool=\"p\",within_seconds=\"%s\"} 0\n",
		    seen[i]);
		assert_non_null(strstr(text, want));
	}
	/* no active lease: no earliest-end series, no header either */
	assert_null(strstr(text, "earliest"));
	/* no lease with a cltt: no last-transaction series */
	assert_null(strstr(text, "last_client_transaction"));
	free(text);
	snapshot_release(s);
}

/* The buffer's maximum is a hard limit: exact size fits, one less fails. */
static void
test_max_enforced(void **state)
{
	struct snapshot *s = golden_snapshot();
	struct omapi_buf b;
	size_t full;

	omapi_buf_init(&b, 1 << 20);
	assert_int_equal(render_metrics(&b, s), 0);
	full = b.len;
	omapi_buf_free(&b);
	assert_int_equal(full, strlen(golden_text));

	omapi_buf_init(&b, full);
	assert_int_equal(render_metrics(&b, s), 0);
	assert_int_equal(b.len, full);
	omapi_buf_free(&b);

	omapi_buf_init(&b, full - 1);
	errno = 0;
	assert_int_equal(render_metrics(&b, s), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_true(b.len <= full - 1);
	omapi_buf_free(&b);

	omapi_buf_init(&b, 100);
	assert_int_equal(render_metrics(&b, s), -1);
	assert_int_equal(errno, EMSGSIZE);
	omapi_buf_free(&b);
	snapshot_release(s);
}

static void
test_builder_checks(void **state)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	char name[16], big[CONFIG_STR_MAX + 2];
	int i;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "s"));
	assert_non_null(p = snapshot_server_add_pool(sv, "p"));

	errno = 0;
	assert_int_equal(snapshot_pool_add_label(p, "server", "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(snapshot_pool_add_label(p, "state", "x"), -1);
	assert_int_equal(snapshot_pool_add_label(p, "__meta", "x"), -1);
	assert_int_equal(snapshot_pool_add_label(p, "9lives", "x"), -1);
	assert_int_equal(snapshot_pool_add_label(p, "a-b", "x"), -1);
	assert_int_equal(snapshot_pool_add_label(p, "", "x"), -1);
	assert_int_equal(snapshot_pool_add_label(p, "ok_1", "x"), 0);
	assert_int_equal(snapshot_pool_add_label(p, "ok_1", "y"), -1);
	assert_int_equal(errno, EINVAL);
	for (i = 1; i < CONFIG_LABELS_MAX; i++) {
		snprintf(name, sizeof(name), "l%02d", i);
		assert_int_equal(snapshot_pool_add_label(p, name, "v"), 0);
	}
	assert_int_equal(snapshot_pool_add_label(p, "one_more", "v"), -1);
	assert_int_equal(errno, E2BIG);
	for (i = 1; i < (int)p->nlabels; i++)
		assert_true(strcmp(p->labels[i - 1].name,
		    p->labels[i].name) < 0);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_null(snapshot_server_add_pool(sv, big));
	assert_int_equal(errno, ENAMETOOLONG);
	big[CONFIG_STR_MAX] = '\0';
	assert_non_null(snapshot_server_add_pool(sv, big));
	assert_null(snapshot_server_add_pool(sv, "bad\xff"));
	assert_int_equal(errno, EILSEQ);
	assert_null(snapshot_server_add_pool(sv, "overlong\xc0\xaf"));
	assert_null(snapshot_server_add_pool(sv, "surrogate\xed\xa0\x80"));
	assert_null(snapshot_server_add_pool(sv, "cut\xe2\x82"));
	assert_non_null(snapshot_server_add_pool(sv, "euro\xe2\x82\xac"));
	assert_null(snapshot_server_add_host(sv, NULL));
	snapshot_release(s);
}

static void
test_server_cap(void **state)
{
	struct snapshot *s;
	char name[16];
	int i;

	assert_non_null(s = snapshot_new("1", "c"));
	for (i = 0; i < CONFIG_SERVERS_MAX; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_non_null(snapshot_add_server(s, name));
	}
	assert_null(snapshot_add_server(s, "over"));
	assert_int_equal(errno, E2BIG);
	assert_int_equal(s->nservers, CONFIG_SERVERS_MAX);
	snapshot_release(s);
}

static void
test_store(void **state)
{
	struct snapshot_store st;
	struct snapshot *a, *b, *got;

	assert_int_equal(snapshot_store_init(&st), 0);
	assert_null(snapshot_store_acquire(&st));
	assert_false(snapshot_store_ready(&st));
	assert_non_null(a = snapshot_new("1", "a"));
	snapshot_store_publish(&st, a);
	assert_true(snapshot_store_ready(&st));
	got = snapshot_store_acquire(&st);
	assert_ptr_equal(got, a);
	assert_int_equal(atomic_load(&a->refs), 2);
	/* a reader keeps its snapshot across a publish */
	assert_non_null(b = snapshot_new("1", "b"));
	snapshot_store_publish(&st, b);
	assert_int_equal(atomic_load(&a->refs), 1);
	assert_string_equal(got->commit, "a");
	snapshot_release(got);
	got = snapshot_store_acquire(&st);
	assert_ptr_equal(got, b);
	snapshot_release(got);
	snapshot_store_destroy(&st);
}

static void
test_reason_map(void **state)
{
	assert_int_equal(snapshot_reason_from_omapi(OMAPI_ERR_TIMEOUT),
	    SNAPSHOT_ERR_TIMEOUT);
	assert_int_equal(snapshot_reason_from_omapi(OMAPI_ERR_AUTH),
	    SNAPSHOT_ERR_AUTH);
	assert_int_equal(snapshot_reason_from_omapi(OMAPI_ERR_STATUS),
	    SNAPSHOT_ERR_STATUS);
	assert_int_equal(snapshot_reason_from_omapi(OMAPI_ERR_CONNECTION),
	    SNAPSHOT_ERR_CONNECTION);
	assert_int_equal(snapshot_reason_from_omapi(OMAPI_ERR_NOTFOUND), -1);
	assert_string_equal(snapshot_reason_name(SNAPSHOT_ERR_PROTOCOL),
	    "protocol");
	assert_null(snapshot_reason_name(SNAPSHOT_NREASONS));
	assert_null(snapshot_state_name(0));
	assert_null(snapshot_state_name(8));
	assert_string_equal(snapshot_state_name(7), "backup");
}

static void promtool_check(const char *);

/* A snapshot whose server dhcp1 has a lease table: t (taken over). */
static struct snapshot *
lease_snapshot(struct leasetab *t)
{
	struct snapshot *s;
	struct snapshot_server *sv;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "dhcp1"));
	assert_non_null(snapshot_server_add_pool(sv, "office"));
	assert_non_null(snapshot_server_add_pool(sv, "lab"));
	sv->lease_info = 1;
	sv->leases = t;
	return s;
}

/*
 * dhcpd_lease_info and its end time: every kept lease, hostnames escaped
 * and made UTF-8, no end for a lease that never ends, the cap and the
 * dropped count exact.
 */
static void
test_lease_info(void **state)
{
	static const char bad[] = "a\xff\x00" "b\xc3"; /* invalid, NUL, cut */
	struct leasetab *t;
	struct snapshot *s;
	char *text;

	assert_non_null(t = leasetab_new(3));
	add_lease(t, 0x0a000105, 0, OMAPI_LEASE_ACTIVE, 1700000100,
	    "say \"hi\"\\\nthere", 15);
	add_lease(t, 0x0a000106, 1, OMAPI_LEASE_ABANDONED, UINT32_MAX, bad,
	    sizeof(bad) - 1);
	add_lease(t, 0x0a000107, 1, OMAPI_LEASE_BACKUP, 1700000200, NULL, 0);
	add_lease(t, 0x0a000108, 1, OMAPI_LEASE_ACTIVE, 1700000300, "x", 1);
	add_lease(t, 0x0a000109, 1, OMAPI_LEASE_ACTIVE, 1700000400, "y", 1);
	leasetab_finish(t);
	assert_int_equal(t->nrows, 3);
	assert_int_equal(t->dropped, 2);
	s = lease_snapshot(t);
	text = render_to_string(s);
	assert_non_null(strstr(text, "# TYPE dhcpd_lease_info gauge\n"
	    "dhcpd_lease_info{server=\"dhcp1\",pool=\"office\","
	    "ip=\"10.0.1.5\",mac=\"02:00:5e:10:00:ff\",hostname=\"say "
	    "\\\"hi\\\"\\\\\\nthere\",state=\"active\"} 1\n"
	    "dhcpd_lease_info{server=\"dhcp1\",pool=\"lab\","
	    "ip=\"10.0.1.6\",mac=\"02:00:5e:10:00:ff\",hostname=\"a"
	    "\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd\",state=\"abandoned\"} 1\n"
	    "dhcpd_lease_info{server=\"dhcp1\",pool=\"lab\","
	    "ip=\"10.0.1.7\",mac=\"02:00:5e:10:00:ff\",hostname=\"\","
	    "state=\"backup\"} 1\n# HELP"));
	assert_non_null(strstr(text, "# TYPE dhcpd_lease_end_timestamp_seconds "
	    "gauge\n"
	    "dhcpd_lease_end_timestamp_seconds{server=\"dhcp1\","
	    "pool=\"office\",ip=\"10.0.1.5\"} 1700000100\n"
	    "dhcpd_lease_end_timestamp_seconds{server=\"dhcp1\","
	    "pool=\"lab\",ip=\"10.0.1.7\"} 1700000200\n# HELP"));
	assert_non_null(strstr(text, "# TYPE dhcpd_exporter_lease_info_dropped "
	    "gauge\ndhcpd_exporter_lease_info_dropped{server=\"dhcp1\"} 2\n"));
	assert_null(strstr(text, "10.0.1.8"));
	promtool_check(text);
	free(text);
	snapshot_release(s);	/* releases t */

	/* A hostname is cut at 255 bytes; a sequence the cut splits is not
	 * UTF-8 any more and becomes U+FFFD like any other bad byte. */
	{
		char longname[300];

		memset(longname, 'h', sizeof(longname));
		memcpy(longname + 253, "\xc3\xa9", 2);	/* bytes 254-255 */
		assert_non_null(t = leasetab_new(2));
		add_lease(t, 1, 0, OMAPI_LEASE_ACTIVE, 0, longname, 300);
		add_lease(t, 2, 0, OMAPI_LEASE_ACTIVE, 0, longname, 254);
		assert_int_equal(strlen(t->text + t->rows[0].hostname), 255);
		assert_int_equal(strlen(t->text + t->rows[1].hostname), 256);
		assert_memory_equal(t->text + t->rows[1].hostname + 253,
		    "\xef\xbf\xbd", 3);
		leasetab_release(t);
	}

	/* Enabled, nothing kept yet: no series; a table of none: dropped 0 */
	s = lease_snapshot(NULL);
	text = render_to_string(s);
	assert_null(strstr(text, "lease_info"));
	free(text);
	s->servers[0]->leases = leasetab_new(10);
	text = render_to_string(s);
	assert_null(strstr(text, "# TYPE dhcpd_lease_info "));
	assert_non_null(strstr(text,
	    "dhcpd_exporter_lease_info_dropped{server=\"dhcp1\"} 0\n"));
	free(text);
	snapshot_release(s);
}

/* promtool check metrics on text; a missing promtool fails the test. */
static void
promtool_check(const char *text)
{
	char path[] = "/tmp/test_render_XXXXXX", cmd[128], out[4096];
	FILE *f, *p;
	size_t n;
	int fd, rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		fail_msg("promtool is not installed (tests/deps.sh installs it)");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	unlink(path);
	if (rc != 0 || n != 0)
		print_error("promtool (status %d) said:\n%s", rc, out);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 0);
}

static void
test_promtool(void **state)
{
	struct snapshot *s = golden_snapshot();
	struct snapshot_pool *p;
	char *text;

	/* add the escaping cases too */
	assert_non_null(p = snapshot_server_add_pool(s->servers[1],
	    "we\"ird\\\nname"));
	assert_int_equal(snapshot_pool_add_label(p, "note", "a\"b\\c\nd"), 0);
	p->counters_known = 1;
	p->sweep_known = 1;
	text = render_to_string(s);
	promtool_check(text);
	free(text);
	snapshot_release(s);
}

/*
 * A pool from dhcpd.conf: shared_network after pool on every series, its
 * ranges on dhcpd_pool_info, and the shared network's sums.
 */
static void
test_discovered_pool(void **state)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	char *text;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "d1"));
	sv->up = 1;
	assert_non_null(p = snapshot_server_add_pool(sv, "10.1.0.10-10.1.0.20"));
	assert_int_equal(snapshot_pool_add_label(p, "site", "hq"), 0);
	assert_int_equal(snapshot_pool_set_info(p, "campus \"a\"",
	    "10.1.0.10-10.1.0.20,10.2.0.5-10.2.0.5"), 0);
	p->counters_known = 1;
	p->addresses = 12;
	p->free = 3;
	shared_add(sv, "campus \"a\"", 12, 3, 0);
	sv->has_conf = 1;
	sv->conf_loaded = 1700000000;
	sv->conf_errors = 2;
	sv->unserved_ranges = 1;
	text = render_to_string(s);
	assert_non_null(strstr(text, "dhcpd_pool_info{server=\"d1\","
	    "pool=\"10.1.0.10-10.1.0.20\",shared_network=\"campus \\\"a\\\"\","
	    "site=\"hq\",ranges=\"10.1.0.10-10.1.0.20,10.2.0.5-10.2.0.5\"} 1\n"));
	assert_non_null(strstr(text, "dhcpd_pool_free_addresses{server=\"d1\","
	    "pool=\"10.1.0.10-10.1.0.20\",shared_network=\"campus \\\"a\\\"\","
	    "site=\"hq\"} 3\n"));
	assert_non_null(strstr(text, "dhcpd_shared_network_free_addresses{"
	    "server=\"d1\",shared_network=\"campus \\\"a\\\"\"} 3\n"));
	assert_non_null(strstr(text, "dhcpd_exporter_dhcpd_conf_load_errors_total"
	    "{server=\"d1\"} 2\n"));
	assert_non_null(strstr(text, "dhcpd_exporter_dhcpd_conf_last_load_"
	    "successful{server=\"d1\"} 1\n"));
	assert_non_null(strstr(text, "dhcpd_exporter_dhcpd_conf_unserved_ranges"
	    "{server=\"d1\"} 1\n"));
	free(text);
	snapshot_release(s);
}

/*
 * Issue 13: a failover peer's states, one series per known state and
 * `unknown` for a number dhcpd does not define; its role, times and
 * parameters; a peer or class not found as *_found 0 and nothing else;
 * a class's limit and use; a pool's failover_peer label.  (The status
 * page of the same snapshot: test_page.c.)
 */
static void
test_failover(void **state)
{
	struct snapshot *s = failover_snapshot();
	char *text;

	text = render_to_string(s);
	assert_non_null(strstr(text, "\ndhcpd_pool_free_addresses{server=\"b\","
	    "pool=\"fo\",failover_peer=\"pair\",site=\"x\"} 7\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_state{server=\"b\","
	    "peer=\"pair\",side=\"local\",state=\"communications-"
	    "interrupted\"} 1\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_state{server=\"b\","
	    "peer=\"pair\",side=\"local\",state=\"normal\"} 0\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_state{server=\"b\","
	    "peer=\"pair\",side=\"local\",state=\"recover-wait\"} 0\n"));
	assert_null(strstr(text, "side=\"local\",state=\"unknown\""));
	assert_non_null(strstr(text, "\ndhcpd_failover_state{server=\"b\","
	    "peer=\"pair\",side=\"partner\",state=\"unknown\"} 1\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_state{server=\"b\","
	    "peer=\"pair\",side=\"partner\",state=\"startup\"} 0\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_state_change_timestamp_"
	    "seconds{server=\"b\",peer=\"pair\",side=\"local\"} "
	    "1700000000\n"));
	assert_null(strstr(text, "side=\"partner\"} "));	/* stos 0 */
	assert_non_null(strstr(text, "\ndhcpd_failover_info{server=\"b\","
	    "peer=\"pair\",role=\"secondary\"} 1\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_unacked_updates{server="
	    "\"b\",peer=\"pair\"} 4\n"));
	assert_null(strstr(text, "dhcpd_failover_mclt_seconds{"));
	assert_non_null(strstr(text, "\ndhcpd_failover_peer_found{server="
	    "\"b\",peer=\"pair\"} 1\n"));
	assert_non_null(strstr(text, "\ndhcpd_failover_peer_found{server="
	    "\"b\",peer=\"ghost\"} 0\n"));
	assert_null(strstr(text, "peer=\"ghost\",side"));
	assert_null(strstr(text, "unasked"));
	assert_non_null(strstr(text, "\ndhcpd_class_lease_limit{server=\"b\","
	    "class=\"limited\"} 4\n"));
	assert_non_null(strstr(text, "\ndhcpd_class_leases_used{server=\"b\","
	    "class=\"limited\"} 3\n"));
	assert_non_null(strstr(text, "\ndhcpd_class_found{server=\"b\","
	    "class=\"gone\"} 0\n"));
	assert_null(strstr(text, "class=\"gone\"} 0\ndhcpd_class_lease"));
	assert_null(strstr(text, "local-address"));
	assert_null(strstr(text, "partner-address"));
	promtool_check(text);
	free(text);

	snapshot_release(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_discovered_pool),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_lease_info),
		cmocka_unit_test(test_empty_snapshot),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_help_escaping),
		cmocka_unit_test(test_escaping_in_output),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_zeros_included),
		cmocka_unit_test(test_max_enforced),
		cmocka_unit_test(test_builder_checks),
		cmocka_unit_test(test_server_cap),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_reason_map),
		cmocka_unit_test(test_promtool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
