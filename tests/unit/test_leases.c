/*
 * test_leases.c: the dhcpd.leases reader (src/leases/): every stanza
 * dhcpd 4.4 writes, for both families; the last entry for an address
 * wins; a stanza cut anywhere is kept, never an error; bad stanzas are
 * skipped with FILE:LINE:COLUMN and the rest is read; the bound on
 * entries and on a stanza's size; the file read incrementally, and whole
 * again when dhcpd replaces it.
 */
#include <arpa/inet.h>
#include <sys/stat.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "leases.h"

static char errbuf[LEASES_ERRLEN];

/* A file as dhcpd -6 4.4.3 writes it (the IA ids shortened). */
static const char v6text[] =
    "# The format of this file is documented in the dhcpd.leases(5) manual"
    " page.\n"
    "# This lease file was written by isc-dhcp-4.4.3-P1\n"
    "\n"
    "# authoring-byte-order entry is generated, DO NOT DELETE\n"
    "authoring-byte-order little-endian;\n"
    "\n"
    "server-duid \"\\000\\001\\000\\001-\\266\\250\\020\\012\\000'\\000\\000\\001\";\n"
    "\n"
    "ia-na \"\\001\\000\\000\\000\\000\\003\\000\\001\\000\\014\\001\\002\\003\\004\" {\n"
    "  cltt 1 2026/12/07 06:00:00;\n"
    "  iaaddr 2001:db8:1::10 {\n"
    "    binding state active;\n"
    "    preferred-life 27000;\n"
    "    max-life 43200;\n"
    "    ends 1 2026/12/07 18:00:00;\n"
    "  }\n"
    "}\n"
    "\n"
    "ia-ta \"\\002\\000\\000\\000\\000\\003\" {\n"
    "  cltt 1 2026/12/07 06:00:01;\n"
    "  iaaddr 2001:db8:2::7 {\n"
    "    binding state released;\n"
    "    preferred-life 27000;\n"
    "    max-life 43200;\n"
    "    ends epoch 1796623201; # Mon Dec 07 2026 06:00:01\n"
    "  }\n"
    "}\n"
    "\n"
    "ia-pd \"\\003\\000\\000\\000\\000\\003\" {\n"
    "  cltt 1 2026/12/07 06:00:02;\n"
    "  iaprefix 2001:db8:100:1200::/56 {\n"
    "    binding state active;\n"
    "    preferred-life 27000;\n"
    "    max-life 43200;\n"
    "    ends never;\n"
    "    set ddns-fwd-name = \"x\";\n"
    "    on expiry { log (info, \"gone\"); }\n"
    "  }\n"
    "  iaprefix 2001:db8:100:1300::/56 {\n"
    "    binding state expired;\n"
    "    ends 1 2026/12/07 05:00:00;\n"
    "  }\n"
    "}\n";

static const char v4text[] =
    "lease 10.0.0.5 {\n"
    "  starts 1 2026/12/07 06:00:00;\n"
    "  ends 1 2026/12/07 07:00:00;\n"
    "  cltt 1 2026/12/07 06:00:00;\n"
    "  binding state active;\n"
    "  next binding state free;\n"
    "  rewind binding state free;\n"
    "  hardware ethernet 00:11:22:33:44:55;\n"
    "  uid \"\\001\\000\\021\\\"3DU\";\n"
    "  client-hostname \"evil}\\\";{\";\n"
    "}\n"
    "host fixed { dynamic; hardware ethernet 00:00:00:00:00:01;\n"
    "  fixed-address 10.0.0.200; }\n"
    "lease 10.0.0.6 {\n"
    "  starts 1 2026/12/07 06:00:00;\n"
    "  ends 1 2026/12/07 07:00:00;\n"
    "  binding state backup;\n"
    "}\n"
    "failover peer \"dhcp-failover\" state {\n"
    "  my state normal at 1 2026/12/07 05:59:00;\n"
    "  partner state communications-interrupted at 1 2026/12/07 05:58:00;\n"
    "  mclt 3600;\n"
    "}\n"
    "lease 10.0.0.5 {\n"
    "  starts 1 2026/12/07 06:30:00;\n"
    "  ends 1 2026/12/07 06:30:00;\n"
    "  cltt 1 2026/12/07 06:30:00;\n"
    "  binding state released;\n"
    "  next binding state free;\n"
    "}\n";

#define T_0600	1796623200	/* Mon 2026-12-07 06:00:00 UTC */

static void
addr6(const char *text, uint8_t a[16])
{
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
}

static const struct leases_entry *
find6(const struct leases *l, enum leases_kind k, const char *text,
    unsigned plen)
{
	uint8_t a[16];

	addr6(text, a);
	return leases_find(l, k, a, plen);
}

static const struct leases_entry *
find4(const struct leases *l, const char *text)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(inet_pton(AF_INET, text, a), 1);
	return leases_find(l, LEASES_V4, a, 0);
}

/* A reader fed text in one piece; fails the test on a bad stanza. */
static struct leases *
fed(const char *text)
{
	struct leases *l = leases_new(NULL, 0);

	assert_non_null(l);
	if (leases_feed(l, text, strlen(text), errbuf, sizeof(errbuf)) != 0)
		fail_msg("unexpected error: %s", errbuf);
	return l;
}

/* The first error feeding text gives, with how many bad stanzas. */
static const char *
bad(const char *text, int want)
{
	struct leases *l = leases_new(NULL, 0);

	assert_non_null(l);
	errbuf[0] = '\0';
	assert_int_equal(leases_feed(l, text, strlen(text), errbuf,
	    sizeof(errbuf)), want);
	leases_free(l);
	return errbuf;
}

static void
test_v6_stanzas(void **state)
{
	struct leases *l = fed(v6text);
	const struct leases_entry *e;
	const uint8_t *duid;
	struct leases_stats st;
	size_t n;

	(void)state;
	leases_entries(l, &n);
	assert_int_equal(n, 4);
	e = find6(l, LEASES_NA, "2001:db8:1::10", 0);
	assert_non_null(e);
	assert_int_equal(e->kind, LEASES_NA);
	assert_int_equal(e->state, LEASES_ACTIVE);
	assert_int_equal(e->cltt, T_0600);
	assert_int_equal(e->ends, T_0600 + 12 * 3600);
	e = find6(l, LEASES_TA, "2001:db8:2::7", 0);
	assert_non_null(e);
	assert_int_equal(e->kind, LEASES_TA);
	assert_int_equal(e->state, LEASES_RELEASED);
	assert_int_equal(e->ends, T_0600 + 1);
	assert_int_equal(e->cltt, T_0600 + 1);
	e = find6(l, LEASES_PD, "2001:db8:100:1200::", 56);
	assert_non_null(e);
	assert_int_equal(e->plen, 56);
	assert_int_equal(e->state, LEASES_ACTIVE);
	assert_true(e->ends == LEASES_NEVER);
	assert_int_equal(e->cltt, T_0600 + 2);
	e = find6(l, LEASES_PD, "2001:db8:100:1300::", 56);
	assert_non_null(e);
	assert_int_equal(e->state, LEASES_EXPIRED);
	/* a prefix is its address and its length */
	assert_null(find6(l, LEASES_PD, "2001:db8:100:1300::", 64));
	assert_null(find6(l, LEASES_NA, "2001:db8:100:1300::", 0));
	assert_int_equal(leases_server_duid(l, &duid), 14);
	assert_memory_equal(duid, "\000\001\000\001-\266\250\020\012\000'\000\000\001", 14);
	leases_stats(l, &st);
	assert_int_equal(st.stanzas, 5);
	assert_int_equal(st.bad_stanzas, 0);
	assert_int_equal(st.pending, 0);
	leases_free(l);
}

static void
test_v4_last_wins(void **state)
{
	struct leases *l = fed(v4text);
	const struct leases_entry *e;
	const struct leases_peer *p;
	size_t n;

	(void)state;
	leases_entries(l, &n);
	assert_int_equal(n, 2);
	e = find4(l, "10.0.0.5");
	assert_non_null(e);
	assert_int_equal(e->state, LEASES_RELEASED);
	assert_int_equal(e->next, LEASES_FREE);
	assert_int_equal(e->cltt, T_0600 + 1800);
	/* released, ended: dhcpd holds it in its next binding state */
	assert_int_equal(leases_state_at(e, T_0600), LEASES_RELEASED);
	assert_int_equal(leases_state_at(e, T_0600 + 1800), LEASES_FREE);
	e = find4(l, "10.0.0.6");
	assert_int_equal(e->state, LEASES_BACKUP);
	assert_int_equal(leases_state_at(e, T_0600 + 7200), LEASES_BACKUP);
	assert_null(find4(l, "10.0.0.200"));
	p = leases_peers(l, &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "dhcp-failover");
	assert_string_equal(p[0].my_state, "normal");
	assert_string_equal(p[0].partner_state, "communications-interrupted");
	assert_int_equal(p[0].my_stos, T_0600 - 60);
	leases_free(l);
}

/* A lease without a binding state: active until it ends, then free. */
static void
test_v4_no_state(void **state)
{
	struct leases *l = fed("lease 10.1.2.3 {\n ends 1 2026/12/07 06:00:00;"
	    "\n}\nlease 10.1.2.4 { }\n"
	    "lease 10.1.2.5 { binding state free; reserved; }\n");
	const struct leases_entry *e;

	(void)state;
	e = find4(l, "10.1.2.3");
	assert_int_equal(leases_state_at(e, T_0600 - 1), LEASES_ACTIVE);
	assert_int_equal(leases_state_at(e, T_0600), LEASES_FREE);
	e = find4(l, "10.1.2.4");
	assert_int_equal(leases_state_at(e, T_0600), LEASES_ACTIVE);
	assert_int_equal(e->flags, 0);
	/* reserved: off dhcpd's free queue (not in free-leases) */
	assert_int_equal(find4(l, "10.1.2.5")->flags, LEASES_RESERVED);
	leases_free(l);
}

/*
 * dhcpd keys DHCPv6 leases by address (mdb6.c add_lease6): a later IA
 * with the address takes it; the earlier IA's other addresses stay.
 */
static void
test_v6_last_wins(void **state)
{
	struct leases *l = fed(
	    "ia-na \"a\" { iaaddr 2001:db8::1 { binding state active; }\n"
	    "  iaaddr 2001:db8::2 { binding state active; } }\n"
	    "ia-na \"b\" { iaaddr 2001:db8::1 { binding state expired; } }\n"
	    "ia-na \"a\" { cltt 1 2026/12/07 06:00:00;\n"
	    "  iaaddr 2001:db8::3 { } }\n");
	const struct leases_entry *e;
	size_t n;

	(void)state;
	leases_entries(l, &n);
	assert_int_equal(n, 3);
	assert_int_equal(find6(l, LEASES_NA, "2001:db8::1", 0)->state,
	    LEASES_EXPIRED);
	assert_int_equal(find6(l, LEASES_NA, "2001:db8::2", 0)->state,
	    LEASES_ACTIVE);
	e = find6(l, LEASES_NA, "2001:db8::3", 0);
	assert_int_equal(e->state, LEASES_ACTIVE);	/* none written */
	assert_int_equal(e->cltt, T_0600);
	/* ia-ta and ia-na share the address space */
	assert_non_null(find6(l, LEASES_TA, "2001:db8::2", 0));
	leases_free(l);
}

/* Every split of the text gives what one piece gives. */
static void
test_every_split(void **state)
{
	const char *texts[] = { v6text, v4text };
	struct leases *whole, *l;
	const struct leases_entry *a, *b;
	struct leases_stats st;
	size_t len, cut, n, m, i, t;

	(void)state;
	for (t = 0; t < 2; t++) {
		whole = fed(texts[t]);
		a = leases_entries(whole, &n);
		len = strlen(texts[t]);
		for (cut = 0; cut <= len; cut++) {
			l = leases_new(NULL, 0);
			assert_int_equal(leases_feed(l, texts[t], cut, errbuf,
			    sizeof(errbuf)), 0);
			leases_stats(l, &st);
			assert_true(st.pending <= cut);
			assert_int_equal(leases_feed(l, texts[t] + cut,
			    len - cut, errbuf, sizeof(errbuf)), 0);
			b = leases_entries(l, &m);
			assert_int_equal(m, n);
			for (i = 0; i < n; i++)
				assert_memory_equal(&a[i], &b[i], sizeof(*a));
			leases_free(l);
		}
		leases_free(whole);
	}
}

/* The last stanza cut short is kept, not taken, not an error. */
static void
test_partial_kept(void **state)
{
	struct leases *l = leases_new(NULL, 0);
	const char *cut = "lease 10.0.0.9 {\n  binding state act";
	struct leases_stats st;
	size_t n;

	(void)state;
	assert_int_equal(leases_feed(l, cut, strlen(cut), errbuf,
	    sizeof(errbuf)), 0);
	leases_entries(l, &n);
	assert_int_equal(n, 0);
	leases_stats(l, &st);
	assert_int_equal(st.pending, strlen(cut));
	assert_int_equal(leases_feed(l, "ive;\n}\n", 7, errbuf,
	    sizeof(errbuf)), 0);
	assert_int_equal(find4(l, "10.0.0.9")->state, LEASES_ACTIVE);
	leases_free(l);
}

static void
test_errors(void **state)
{
	(void)state;
	assert_string_equal(bad("lease 10.0.0.1 {\n  binding state bogus;\n}\n",
	    1), "leases:2:17: expected a binding state, got 'bogus'");
	assert_string_equal(bad("lease 10.0.0.256 { }\n", 1),
	    "leases:1:7: bad IPv4 address '10.0.0.256'");
	assert_string_equal(bad("ia-na \"x\" {\n  iaaddr 2001:db8::g1 { }\n}\n",
	    1), "leases:2:10: bad IPv6 address '2001:db8::g1'");
	assert_string_equal(bad("ia-pd \"x\" {\n  iaprefix 2001:db8::/129 { }\n}\n",
	    1), "leases:2:12: bad prefix length");
	assert_string_equal(bad("ia-pd \"x\" {\n  iaaddr 2001:db8:: { }\n}\n",
	    1), "leases:2:3: iaaddr in an ia-pd");
	assert_string_equal(bad("ia-na \"x\" { iaaddr 2001:db8::/64 { } }\n",
	    1), "leases:1:20: expected an IPv6 address, got '2001:db8::/64'");
	assert_string_equal(bad("lease 10.0.0.1 {\n  ends 1 2026/13/01 00:00:00;\n}\n",
	    1), "leases:2:15: number out of range (at most 12)");
	assert_string_equal(bad("}\n", 1),
	    "leases:1:1: expected a lease, an IA or a declaration, got '}'");
	assert_string_equal(bad("ia-na x { }\n", 1),
	    "leases:1:7: expected the IA's id as a string, got 'x'");
	/* a hostile name is shown escaped: no forged line */
	assert_string_equal(bad("lease 10.0.0.1\n{\n binding state \"a\nb\";\n}\n",
	    1), "leases:3:16: expected a binding state, got \"a\\x0ab\"");
}

/* A bad stanza is skipped: the ones before and after it are taken. */
static void
test_resync(void **state)
{
	struct leases *l = leases_new(NULL, 0);
	const char *text =
	    "lease 10.0.0.1 { binding state active; }\n"
	    "lease 10.0.0.2 {\n  binding state ; oops { {\n"
	    "  weird }\n}\n"
	    "lease 10.0.0.3 { binding state free; }\n";
	struct leases_stats st;
	size_t n, i;

	(void)state;
	/* fed whole, then byte by byte: one bad stanza each time */
	assert_int_equal(leases_feed(l, text, strlen(text), errbuf,
	    sizeof(errbuf)), 1);
	assert_string_equal(errbuf,
	    "leases:3:17: expected a binding state, got ';'");
	leases_entries(l, &n);
	assert_int_equal(n, 2);
	assert_int_equal(find4(l, "10.0.0.3")->state, LEASES_FREE);
	leases_free(l);
	l = leases_new(NULL, 0);
	for (i = 0, n = 0; text[i] != '\0'; i++)
		n += (size_t)leases_feed(l, text + i, 1, errbuf,
		    sizeof(errbuf));
	assert_int_equal(n, 1);
	leases_stats(l, &st);
	assert_int_equal(st.bad_stanzas, 1);
	assert_int_equal(find4(l, "10.0.0.1")->state, LEASES_ACTIVE);
	assert_int_equal(find4(l, "10.0.0.3")->state, LEASES_FREE);
	assert_null(find4(l, "10.0.0.2"));
	leases_free(l);
}

/* At most max_entries addresses: the next new one is an error. */
static void
test_entry_bound(void **state)
{
	struct leases *l = leases_new(NULL, 2);
	const char *text = "lease 10.0.0.1 { }\nlease 10.0.0.2 { }\n"
	    "lease 10.0.0.1 { binding state free; }\n"
	    "lease 10.0.0.3 { }\nia-na \"x\" { iaaddr ::1 { } }\n";
	size_t n;

	(void)state;
	assert_int_equal(leases_feed(l, text, strlen(text), errbuf,
	    sizeof(errbuf)), 2);
	assert_string_equal(errbuf,
	    "leases:4:16: more leases than the bound on entries");
	leases_entries(l, &n);
	assert_int_equal(n, 2);
	assert_int_equal(find4(l, "10.0.0.1")->state, LEASES_FREE);
	leases_free(l);
}

/* A stanza over LEASES_MAX_STANZA bytes: one error, then go on. */
static void
test_stanza_bound(void **state)
{
	struct leases *l = leases_new(NULL, 0);
	size_t len = 2 * LEASES_MAX_STANZA, i;
	char *text = malloc(len + 200);
	struct leases_stats st;
	int rv;

	(void)state;
	assert_non_null(text);
	i = (size_t)sprintf(text, "lease 10.0.0.1 {\n");
	while (i < len)
		i += (size_t)sprintf(text + i, "  set x = \"0123456789\";\n");
	i += (size_t)sprintf(text + i, "}\nlease 10.0.0.2 { }\n");
	rv = leases_feed(l, text, i, errbuf, sizeof(errbuf));
	assert_true(rv >= 1);
	assert_string_equal(errbuf,
	    "leases:1:1: a stanza longer than 1048576 bytes");
	assert_null(find4(l, "10.0.0.1"));
	assert_non_null(find4(l, "10.0.0.2"));
	leases_stats(l, &st);
	assert_int_equal(st.pending, 0);
	leases_free(l);
	free(text);
}

static void
write_file(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The file: its tail each read, whole again when replaced or shorter. */
static void
test_file(void **state)
{
	char dir[] = "/tmp/test_leases.XXXXXX", path[64], tmp[64];
	struct leases *l;
	struct leases_stats st;
	size_t n;
	const char *lease1 = "lease 10.0.0.1 { binding state active; }\n";
	const char *lease2 = "lease 10.0.0.2 { binding state active; }\n";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dhcpd.leases", dir);
	snprintf(tmp, sizeof(tmp), "%s/dhcpd.leases.new", dir);
	l = leases_new(path, 0);
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), -1);
	assert_non_null(strstr(errbuf, "dhcpd.leases: No such file"));
	write_file(path, lease1, "w");
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	/* the tail only; half a stanza waits */
	write_file(path, "lease 10.0.0.2 { binding", "a");
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	leases_entries(l, &n);
	assert_int_equal(n, 1);
	write_file(path, " state active; }\n", "a");
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	leases_entries(l, &n);
	assert_int_equal(n, 2);
	leases_stats(l, &st);
	assert_int_equal(st.bytes_read, strlen(lease1) + strlen(lease2));
	assert_int_equal(st.reloads, 0);
	/* nothing new: nothing read */
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	leases_stats(l, &st);
	assert_int_equal(st.bytes_read, strlen(lease1) + strlen(lease2));
	/* dhcpd's rewrite: a new file renamed over it, only lease 2 left */
	write_file(tmp, lease2, "w");
	assert_int_equal(rename(tmp, path), 0);
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	leases_entries(l, &n);
	assert_int_equal(n, 1);
	assert_null(find4(l, "10.0.0.1"));
	leases_stats(l, &st);
	assert_int_equal(st.reloads, 1);
	/* the same inode cut shorter: read whole again */
	assert_int_equal(truncate(path, 0), 0);
	write_file(path, "lease 10.0.0.3 { }\n", "a");
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 0);
	leases_entries(l, &n);
	assert_int_equal(n, 1);
	assert_non_null(find4(l, "10.0.0.3"));
	/* a bad stanza in the file: FILE:LINE:COLUMN, the rest read */
	write_file(path, "lease 10.0.0.4 { ends 1; }\nlease 10.0.0.5 { }\n", "a");
	assert_int_equal(leases_read(l, errbuf, sizeof(errbuf)), 1);
	assert_non_null(strstr(errbuf, "/dhcpd.leases:2:24: expected a number, got ';'"));
	assert_non_null(find4(l, "10.0.0.5"));
	leases_free(l);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v6_stanzas),
		cmocka_unit_test(test_v4_last_wins),
		cmocka_unit_test(test_v4_no_state),
		cmocka_unit_test(test_v6_last_wins),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_partial_kept),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_entry_bound),
		cmocka_unit_test(test_stanza_bound),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
