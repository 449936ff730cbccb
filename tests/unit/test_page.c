/*
 * test_page.c: the status page (page.c): names escaped, no script, the
 * bars and their states, client activity, the pools grouped by shared
 * network, and a failover pair and its classes, from fixed snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics/metrics.h"
#include "sample_snapshot.h"
#include "web/web_int.h"

/* The status page: escaped names, bars, link, no script. */
static void
test_page(void **state)
{
	struct snapshot *s = golden_snapshot();
	struct snapshot_pool *p;
	struct omapi_buf b;
	char *html;

	assert_non_null(p = snapshot_server_add_pool(s->servers[0],
	    "<script>alert('x')</script>&"));
	p->counters_known = 1;
	p->addresses = 10;
	p->free = 5;
	omapi_buf_init(&b, 1 << 20);
	assert_int_equal(page_render(&b, s, 1, 1700000012.0), 0);
	assert_non_null(html = strndup((const char *)b.data, b.len));
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt;&amp;"));
	assert_non_null(strstr(html, "<a href=\"/metrics\">"));
	assert_non_null(strstr(html, "Version 1.2.3 (commit abc123)"));
	assert_non_null(strstr(html, "span class=\"st up\">up<"));
	assert_non_null(strstr(html, "span class=\"st down\">down<"));
	assert_non_null(strstr(html, "12 s ago"));	/* last poll */
	assert_non_null(strstr(html, "22 s ago"));	/* last sweep */
	assert_non_null(strstr(html, "class=\"active\" style=\"width:"
	    "78.838%\""));			/* 190 of 241 */
	assert_non_null(strstr(html, "class=\"abandoned\""));
	/* The four named states in every swept bar, even at 0; others not. */
	assert_non_null(strstr(html, "<span class=\"backup\" style=\"width:"
	    "0.000%\" title=\"backup 0\"></span>"));
	assert_null(strstr(html, "title=\"expired/released/reset 0\""));
	assert_non_null(strstr(html, "site=hq, zone=a"));
	/* client activity of office: 7 within 5 min, 120 within 1 h, the
	 * last 27 s before now; a pool without a sweep shows none */
	assert_non_null(strstr(html, "<td class=\"n\" title=\"active leases "
	    "seen within 5 min\">7</td><td class=\"n\" title=\"active "
	    "leases seen within 1 h\">120</td><td><span title=\"2023-11-14 "
	    "22:13:05 UTC\">27 s ago</span></td></tr>"));
	assert_non_null(strstr(html, "<td>lab</td>"));
	assert_non_null(strstr(html, "<td class=\"n muted\">?</td><td "
	    "class=\"n muted\">?</td><td class=\"muted\">?</td></tr>"));
	assert_non_null(strstr(html, "</html>\n"));
	free(html);
	omapi_buf_free(&b);
	snapshot_release(s);
}

/* A pool of sv with counters and (when sn is set) a shared network. */
static struct snapshot_pool *
page_pool_add(struct snapshot_server *sv, const char *name, const char *sn,
    uint64_t addresses, uint64_t free)
{
	struct snapshot_pool *p;

	assert_non_null(p = snapshot_server_add_pool(sv, name));
	if (sn != NULL)
		assert_int_equal(snapshot_pool_set_info(p, sn, name), 0);
	p->counters_known = 1;
	p->addresses = addresses;
	p->free = free;
	return p;
}

/* Where s occurs in html; fails when it does not. */
static size_t
page_at(const char *html, const char *s)
{
	const char *at = strstr(html, s);

	if (at == NULL)
		print_error("not on the page: %s\n", s);
	assert_non_null(at);
	return (size_t)(at - html);
}

/*
 * The status page groups pools by shared network: in name order, each
 * group headed by its (escaped) name, pool count and totals, its pools in
 * configuration order, the pools of no shared network (YAML) last; a
 * shared network without totals (no pool counted yet) shows "?".
 */
static void
test_page_shared(void **state)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct omapi_buf b;
	char *html;
	size_t campus, lone, other, p1, p2, p3, yaml, nosum;

	assert_non_null(s = snapshot_new("1", "c"));
	assert_non_null(sv = snapshot_add_server(s, "d1"));
	sv->up = 1;
	page_pool_add(sv, "yaml-only", NULL, 10, 10);
	page_pool_add(sv, "10.9.0.10-10.9.0.59", "10.9.0.0/24", 50, 1);
	page_pool_add(sv, "c2", "<campus>", 100, 40);
	page_pool_add(sv, "c1", "<campus>", 100, 20);
	page_pool_add(sv, "z", "zz", 0, 0)->counters_known = 0;
	shared_add(sv, "10.9.0.0/24", 50, 1, 0);
	shared_add(sv, "<campus>", 200, 60, 20);
	omapi_buf_init(&b, 1 << 20);
	assert_int_equal(page_render(&b, s, 1, 1700000012.0), 0);
	assert_non_null(html = strndup((const char *)b.data, b.len));
	lone = page_at(html, "<tbody class=\"sn\"><tr class=\"sn\"><td><b>"
	    "10.9.0.0/24</b></td><td class=\"lbl\">shared network, 1 pool</td>"
	    "<td class=\"n\">50</td><td class=\"n\">1</td><td class=\"n\">"
	    "98.0%</td>");
	campus = page_at(html, "<tr class=\"sn\"><td><b>&lt;campus&gt;</b>"
	    "</td><td class=\"lbl\">shared network, 2 pools</td><td class=\"n\">"
	    "200</td><td class=\"n\">60</td><td class=\"n\">70.0%</td><td>"
	    "<div class=\"bar\"><span class=\"active\" style=\"width:60.000%\" "
	    "title=\"in use 120\"></span><span class=\"backup\" style=\"width:"
	    "10.000%\" title=\"backup 20\"></span><span class=\"free\" style=\""
	    "width:30.000%\" title=\"free 60\"></span></div></td>"
	    "<td colspan=\"3\"></td></tr>");
	p1 = page_at(html, "<tr><td>10.9.0.10-10.9.0.59</td>");
	p2 = page_at(html, "<tr><td>c2</td>");
	p3 = page_at(html, "<tr><td>c1</td>");
	nosum = page_at(html, "<td><b>zz</b></td><td class=\"lbl\">shared "
	    "network, 1 pool</td><td class=\"n muted\">?</td>");
	other = page_at(html, "<b>Other pools</b> <span class=\"lbl\">1, "
	    "shared network unknown");
	yaml = page_at(html, "<tr><td>yaml-only</td>");
	assert_true(lone < p1 && p1 < campus && campus < p2 && p2 < p3 &&
	    p3 < nosum && nosum < other && other < yaml);
	assert_null(strstr(html, "<campus>"));
	free(html);
	omapi_buf_free(&b);
	snapshot_release(s);
}

/*
 * A failover pair on the page: the role, the local state and since when,
 * an unknown partner state, a peer not on the server, the own share of
 * a secondary (its backup), a class's use and limit, a class not found.
 */
static void
test_page_failover(void **state)
{
	struct snapshot *s = failover_snapshot();
	struct omapi_buf b;
	char *text;

	omapi_buf_init(&b, 1 << 20);
	assert_int_equal(page_render(&b, s, 1, 1700000060.0), 0);
	assert_int_equal(omapi_buf_add(&b, "", 1), 0);
	text = (char *)b.data;
	assert_non_null(strstr(text, "<tr><td>pair</td><td>secondary"
	    "</td><td><span class=\"st down\">communications-"
	    "interrupted</span> since <span title=\"2023-11-14 "
	    "22:13:20 UTC\">60 s ago</span></td><td><span class=\"st "
	    "warn\">unknown</span> </td></tr>"));
	assert_non_null(strstr(text, "<tr><td>ghost</td><td colspan="
	    "\"3\" class=\"muted\">not on the server</td></tr>"));
	/* own share of a secondary: backup */
	assert_non_null(strstr(text, "<tr><td>fo</td><td>pair</td><td "
	    "class=\"n\">0 (backup)</td><td class=\"n\">7</td>"));
	assert_non_null(strstr(text, "<tr><td>limited</td><td class="
	    "\"n\">3</td><td class=\"n\">4</td></tr>"));
	assert_non_null(strstr(text, "<tr><td>gone</td><td colspan="
	    "\"2\" class=\"muted\">not on the server</td></tr>"));
	omapi_buf_free(&b);
	snapshot_release(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_page_shared),
		cmocka_unit_test(test_page_failover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
