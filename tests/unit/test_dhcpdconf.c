/*
 * test_dhcpdconf.c: the dhcpd.conf parser (src/dhcpdconf/): every lexical
 * trap, every block it must skip whole, includes and how their paths
 * resolve, subnets and shared networks, dhcpd's pool merging (checked
 * against a live dhcpd by tests/integration/test_dhcpdconf.sh), ranges,
 * failover peers, classes, DHCPv6 skipping, reload detection, and every
 * error message with its FILE:LINE:COLUMN.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <assert.h>
#include <unistd.h>
#include <cmocka.h>

#include "dhcpdconf.h"
#include "omapi.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static char errbuf[DHCPDCONF_ERRLEN];

/* Parse text as "t.conf" (no includes); fail the test on an error. */
static struct dhcpdconf *
ok(const char *text)
{
	struct dhcpdconf *c = NULL;

	if (dhcpdconf_parse(&c, "t.conf", text, strlen(text), NULL, errbuf,
	    sizeof(errbuf)) == -1)
		fail_msg("unexpected error: %s", errbuf);
	return c;
}

/* The error parsing text gives (the test fails when it parses). */
static const char *
bad(const char *text)
{
	struct dhcpdconf *c = NULL;

	if (dhcpdconf_parse(&c, "t.conf", text, strlen(text), NULL, errbuf,
	    sizeof(errbuf)) == 0) {
		dhcpdconf_free(c);
		fail_msg("parsed, wanted an error: %s", text);
	}
	assert_null(c);
	return errbuf;
}

static const struct dhcpdconf_range *
range_at(const struct dhcpdconf *c, uint32_t ip)
{
	size_t i = dhcpdconf_find_range(c, ip);

	assert_int_not_equal(i, DHCPDCONF_NONE);
	return &c->ranges[i];
}

static const char *
shared_of(const struct dhcpdconf *c, const struct dhcpdconf_range *r)
{
	return c->shared[c->subnets[r->subnet].shared].name;
}

/* Comments and strings: nothing in them is a statement. */
static void
test_lexical(void **state)
{
	struct dhcpdconf *c = ok(
	    "# range 10.0.0.1 10.0.0.9;\n"
	    "option domain-name \"range 10.0.0.1; } { # no comment\";\n"
	    "option x \"a\\\"range\\\\\" ; # range 10.0.0.3;\n"
	    "shared-network \"n\\x41\\102\\t;{}#\" {\n"
	    "  subnet 10.0.0.0 netmask 255.255.255.0 {#}\n"
	    "    range 10.0.0.10 10.0.0.20;#range 10.0.0.30;\n"
	    "    option y \"}\";\n"
	    "  }\n"
	    "}\n");

	assert_int_equal(c->nranges, 1);
	assert_int_equal(c->ranges[0].first, IP(10, 0, 0, 10));
	assert_int_equal(c->ranges[0].last, IP(10, 0, 0, 20));
	assert_string_equal(c->shared[0].name, "nAB\t;{}#");
	assert_int_equal(c->ranges[0].where.line, 6);
	assert_int_equal(c->ranges[0].where.column, 5);
	assert_string_equal(c->ranges[0].where.file, "t.conf");
	dhcpdconf_free(c);
}

/* Keywords are case-blind (conflex.c intern uses strcasecmp). */
static void
test_case(void **state)
{
	struct dhcpdconf *c = ok("SUBNET 10.0.0.0 NetMask 255.0.0.0 { "
	    "Range 10.1.0.1 10.1.0.2; }\n");

	assert_int_equal(c->nranges, 1);
	dhcpdconf_free(c);
}

/* Blocks of every kind are skipped whole, ranges inside strings too. */
static void
test_blocks(void **state)
{
	struct dhcpdconf *c = ok(
	    "option space acme;\n"
	    "option acme.f code 1 = { ip-address, unsigned integer 8, text };\n"
	    "key \"k\" { algorithm hmac-md5; secret \"c2Vj}\"; };\n"
	    "on commit { if option host-name = \"{\" { set a = \"}\"; }\n"
	    "  elsif exists agent.circuit-id { log(info, \"range\"); }\n"
	    "  else { execute(\"/bin/true\"); } }\n"
	    "class \"c\" { match if substring(option vendor-class-identifier,"
	    " 0, 2) = \"ab\"; spawn with option agent.circuit-id; }\n"
	    "subclass \"c\" 1:2:3:4:5:6;\n"
	    "subclass \"c\" \"x\" { option host-name \"range;\"; }\n"
	    "host h { hardware ethernet 0:1:2:3:4:5; fixed-address 10.0.0.5; }\n"
	    "zone \"example.\" { primary 127.0.0.1; key k; }\n"
	    "group { host g { fixed-address 10.0.0.6; } }\n"
	    "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  if exists x { option routers 10.0.0.1; } else { }\n"
	    "  range 10.0.0.10 10.0.0.11;\n"
	    "  switch (option host-name) { case \"a\": set b = 1; break; }\n"
	    "}\n");

	assert_int_equal(c->nranges, 1);
	assert_int_equal(c->nclasses, 1);
	assert_int_equal(c->classes[0].lease_limit, -1);
	dhcpdconf_free(c);
}

/* A lone subnet is its own shared network, named as CIDR. */
static void
test_subnet_names(void **state)
{
	struct dhcpdconf *c = ok(
	    "subnet 10.50.0.0 netmask 255.255.255.0 { range 10.50.0.1 "
	    "10.50.0.2; }\n"
	    "subnet 10.51.0.0 netmask 255.255.254.0 { range 10.51.1.1; }\n"
	    "subnet 10.0.52.0 netmask 255.0.255.0 { range 10.0.52.1; }\n"
	    "shared-network campus.north-1 { subnet 10.53.0.0 netmask "
	    "255.255.0.0 { range 10.53.0.1; } }\n"
	    "shared-network \"with space\" { subnet 10.54.0.0 netmask "
	    "255.255.0.0 { range 10.54.0.1; } }\n");

	assert_string_equal(shared_of(c, range_at(c, IP(10, 50, 0, 1))),
	    "10.50.0.0/24");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 51, 1, 1))),
	    "10.51.0.0/23");
	/* a mask with a hole: dhcpd counts to its lowest set bit */
	assert_string_equal(shared_of(c, range_at(c, IP(10, 0, 52, 1))),
	    "10.0.52.0/24");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 53, 0, 1))),
	    "campus.north-1");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 54, 0, 1))),
	    "with space");
	assert_int_equal(c->shared[0].implicit, 1);
	assert_int_equal(c->shared[3].implicit, 0);
	dhcpdconf_free(c);
}

/*
 * A group: around subnets and shared networks at the top, its subnets
 * join nothing; inside a shared-network, its subnets are their own
 * (clone_group carries no shared network; seen live as another pool).
 */
static void
test_groups(void **state)
{
	struct dhcpdconf *c = ok(
	    "group { shared-network a { subnet 10.1.0.0 netmask 255.255.0.0 "
	    "{ range 10.1.0.1; } } subnet 10.2.0.0 netmask 255.255.0.0 { "
	    "range 10.2.0.1; } }\n"
	    "shared-network b {\n"
	    "  subnet 10.3.0.0 netmask 255.255.0.0 { range 10.3.0.1; }\n"
	    "  group \"g\" { subnet 10.4.0.0 netmask 255.255.0.0 { range "
	    "10.4.0.1; } }\n"
	    "}\n");

	assert_string_equal(shared_of(c, range_at(c, IP(10, 1, 0, 1))), "a");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 2, 0, 1))),
	    "10.2.0.0/16");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 3, 0, 1))), "b");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 4, 0, 1))),
	    "10.4.0.0/16");
	assert_int_not_equal(range_at(c, IP(10, 3, 0, 1))->pool,
	    range_at(c, IP(10, 4, 0, 1))->pool);
	dhcpdconf_free(c);
	/* the same for a subnet inside a pool of a shared network */
	c = ok("shared-network p { subnet 10.5.0.0 netmask 255.255.0.0 { }\n"
	    "  pool { range 10.5.0.1; subnet 10.6.0.0 netmask 255.255.0.0 { "
	    "range 10.6.0.1; } } }\n");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 5, 0, 1))), "p");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 6, 0, 1))),
	    "10.6.0.0/16");
	dhcpdconf_free(c);
}

/* range LOW [HIGH]: one address, swapped ends, dynamic-bootp. */
static void
test_ranges(void **state)
{
	struct dhcpdconf *c = ok(
	    "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  range 10.0.0.7;\n"
	    "  range 10.0.0.40 10.0.0.30;\n"
	    "  range dynamic-bootp 10.0.0.100 10.0.0.101;\n"
	    "  range 10.0.0.0 10.0.0.0;\n"
	    "  range 010.0.0.255;\n"
	    "}\n");
	const struct dhcpdconf_range *r;

	assert_int_equal(c->nranges, 5);
	r = range_at(c, IP(10, 0, 0, 7));
	assert_int_equal(r->first, r->last);
	r = range_at(c, IP(10, 0, 0, 35));
	assert_int_equal(r->first, IP(10, 0, 0, 30));
	assert_int_equal(r->last, IP(10, 0, 0, 40));
	assert_int_equal(range_at(c, IP(10, 0, 0, 100))->dynamic_bootp, 1);
	assert_int_equal(range_at(c, IP(10, 0, 0, 255))->first,
	    IP(10, 0, 0, 255));
	assert_int_equal(dhcpdconf_find_range(c, IP(10, 0, 0, 8)),
	    DHCPDCONF_NONE);
	/* plain ranges share a pool; dynamic-bootp ones have their own */
	assert_int_equal(range_at(c, IP(10, 0, 0, 7))->pool,
	    range_at(c, IP(10, 0, 0, 30))->pool);
	assert_int_not_equal(range_at(c, IP(10, 0, 0, 7))->pool,
	    range_at(c, IP(10, 0, 0, 100))->pool);
	dhcpdconf_free(c);
}

/* dhcpdconf_find_range: a binary search, whatever the declaration order. */
static void
test_find_range(void **state)
{
	struct dhcpdconf *c = ok(
	    "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  range 10.0.0.200 10.0.0.250; range 10.0.0.1;\n"
	    "  range 10.0.0.100 10.0.0.110; range 10.0.0.50 10.0.0.60;\n"
	    "}\n");
	static const struct {
		uint32_t	ip;
		size_t		want;
	} cases[] = {
		{ IP(10, 0, 0, 0), DHCPDCONF_NONE }, { IP(10, 0, 0, 1), 1 },
		{ IP(10, 0, 0, 2), DHCPDCONF_NONE }, { IP(10, 0, 0, 50), 3 },
		{ IP(10, 0, 0, 60), 3 }, { IP(10, 0, 0, 61), DHCPDCONF_NONE },
		{ IP(10, 0, 0, 105), 2 }, { IP(10, 0, 0, 200), 0 },
		{ IP(10, 0, 0, 250), 0 }, { IP(10, 0, 0, 251), DHCPDCONF_NONE },
		{ IP(255, 255, 255, 255), DHCPDCONF_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(dhcpdconf_find_range(c, cases[i].ip),
		    cases[i].want);
	for (i = 1; i < c->nranges; i++)
		assert_true(c->ranges[c->by_first[i - 1]].last <
		    c->ranges[c->by_first[i]].first);
	dhcpdconf_free(c);
	c = ok("");
	assert_int_equal(dhcpdconf_find_range(c, 0), DHCPDCONF_NONE);
	dhcpdconf_free(c);
}

/* Bare ranges of the subnets of one shared network: one dhcpd pool. */
static void
test_shared_bare_ranges(void **state)
{
	struct dhcpdconf *c = ok(
	    "shared-network s {\n"
	    "  subnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.1 10.1.0.9; }\n"
	    "  subnet 10.1.1.0 netmask 255.255.255.0 { range 10.1.1.1 10.1.1.9; }\n"
	    "  pool { range 10.1.0.100 10.1.0.110; range 10.1.1.100; }\n"
	    "}\n");

	assert_int_equal(c->npools, 2);
	assert_int_equal(range_at(c, IP(10, 1, 0, 1))->pool,
	    range_at(c, IP(10, 1, 1, 1))->pool);
	assert_int_equal(range_at(c, IP(10, 1, 0, 100))->pool,
	    range_at(c, IP(10, 1, 1, 100))->pool);
	assert_int_not_equal(range_at(c, IP(10, 1, 0, 1))->pool,
	    range_at(c, IP(10, 1, 0, 100))->pool);
	/* a pool range picks its subnet by address */
	assert_string_equal(c->subnets[range_at(c, IP(10, 1, 1, 100))->subnet]
	    .cidr, "10.1.1.0/24");
	assert_int_equal(c->pools[0].implicit, 1);
	assert_int_equal(c->pools[1].implicit, 0);
	dhcpdconf_free(c);
}

/* Pools merge on equal permit sets, no statements, the same peer. */
static void
test_pool_merging(void **state)
{
	struct dhcpdconf *c = ok(
	    "class \"v\" { match hardware; }\n"
	    "shared-network m {\n"
	    " subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  pool { allow members of \"v\"; deny unknown-clients; range 10.0.0.1; }\n"
	    "  pool { deny unknown clients; allow members of \"v\"; range 10.0.0.2; }\n"
	    "  pool { allow members of \"v\"; deny unknown-clients; "
	    "default-lease-time 9; range 10.0.0.3; }\n"
	    "  pool { allow members of \"v\"; range 10.0.0.4; }\n"
	    "  pool { allow members of \"v\"; allow members of \"v\"; range 10.0.0.5; }\n"
	    "  pool { range 10.0.0.6; }\n"
	    "  pool { host x { fixed-address 10.0.0.99; } range 10.0.0.7; }\n"
	    " }\n"
	    "}\n");

	assert_int_equal(range_at(c, IP(10, 0, 0, 1))->pool,
	    range_at(c, IP(10, 0, 0, 2))->pool);
	assert_int_not_equal(range_at(c, IP(10, 0, 0, 1))->pool,
	    range_at(c, IP(10, 0, 0, 3))->pool);
	assert_int_not_equal(range_at(c, IP(10, 0, 0, 1))->pool,
	    range_at(c, IP(10, 0, 0, 4))->pool);
	/* as sets: a repeated permit is the same list */
	assert_int_equal(range_at(c, IP(10, 0, 0, 4))->pool,
	    range_at(c, IP(10, 0, 0, 5))->pool);
	/* a host declaration adds no statement */
	assert_int_equal(range_at(c, IP(10, 0, 0, 6))->pool,
	    range_at(c, IP(10, 0, 0, 7))->pool);
	assert_int_equal(c->npools, 4);
	dhcpdconf_free(c);
}

/*
 * parse_address_range's pick, checked live: the first pool whose lists
 * match a bare range, except that dhcpd takes the one listed before it.
 */
static void
test_bare_range_quirk(void **state)
{
	struct dhcpdconf *c = ok(
	    "class \"g\" { match hardware; }\n"
	    "shared-network q {\n"
	    " subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  pool { allow members of \"g\"; range 10.0.0.10; }\n"
	    "  range 10.0.0.100;\n"
	    " }\n"
	    " subnet 10.0.1.0 netmask 255.255.255.0 { range 10.0.1.100; }\n"
	    "}\n"
	    "subnet 10.2.0.0 netmask 255.255.255.0 {\n"
	    "  pool { deny dynamic bootp clients; default-lease-time 5; "
	    "range 10.2.0.10; }\n"
	    "  range 10.2.0.100;\n"
	    "  range dynamic-bootp 10.2.0.200;\n"
	    "  range dynamic-bootp 10.2.0.201;\n"
	    "}\n");

	assert_int_not_equal(range_at(c, IP(10, 0, 0, 10))->pool,
	    range_at(c, IP(10, 0, 0, 100))->pool);
	assert_int_equal(range_at(c, IP(10, 0, 1, 100))->pool,
	    range_at(c, IP(10, 0, 0, 10))->pool);
	/* an explicit "deny dynamic bootp" pool takes bare ranges, even
	 * with statements of its own */
	assert_int_equal(range_at(c, IP(10, 2, 0, 100))->pool,
	    range_at(c, IP(10, 2, 0, 10))->pool);
	assert_int_not_equal(range_at(c, IP(10, 2, 0, 200))->pool,
	    range_at(c, IP(10, 2, 0, 10))->pool);
	/* the second dynamic range matches the pool of the first: the one
	 * before it is the explicit pool */
	assert_int_equal(range_at(c, IP(10, 2, 0, 201))->pool,
	    range_at(c, IP(10, 2, 0, 10))->pool);
	dhcpdconf_free(c);
}

/* failover peer declarations, pools naming them, shared inheritance. */
static void
test_failover(void **state)
{
	struct dhcpdconf *c = ok(
	    "failover peer \"fo\" { primary; address 10.0.0.1; port 647;\n"
	    "  peer address dhcp2.example.; peer port 847; max-response-delay 5;\n"
	    "  max-unacked-updates 10; mclt 30; split 128;\n"
	    "  load balance max seconds 3; auto-partner-down 0;\n"
	    "  max-lease-misbalance 15; max-lease-ownership 10;\n"
	    "  min-balance 60; max-balance 3600; }\n"
	    "failover peer sec { secondary; peer address 10.0.0.2; "
	    "peer max-response-delay 7; }\n"
	    "failover peer \"fo\" state { my state partner-down; }\n"
	    "subnet 10.0.0.0 netmask 255.255.255.0 {\n"
	    "  pool { failover peer \"fo\"; range 10.0.0.10 10.0.0.19; }\n"
	    "  pool { failover peer \"sec\"; range 10.0.0.20 10.0.0.29; }\n"
	    "  pool { range 10.0.0.30 10.0.0.39; }\n"
	    "}\n"
	    "shared-network s { failover peer \"fo\";\n"
	    "  subnet 10.1.0.0 netmask 255.255.255.0 {\n"
	    "    pool { range 10.1.0.10; }\n"
	    "    pool { no failover peer range 10.1.0.20; }\n"
	    "    range 10.1.0.30;\n"
	    "  }\n"
	    "}\n");
	const struct dhcpdconf_peer *p;

	assert_int_equal(c->npeers, 2);
	p = &c->peers[0];
	assert_string_equal(p->name, "fo");
	assert_int_equal(p->role, DHCPDCONF_ROLE_PRIMARY);
	assert_string_equal(p->address, "10.0.0.1");
	assert_string_equal(p->peer_address, "dhcp2.example.");
	assert_int_equal(p->port, 647);
	assert_int_equal(p->peer_port, 847);
	assert_int_equal(p->max_response_delay, 5);
	assert_int_equal(p->max_unacked_updates, 10);
	assert_int_equal(p->mclt, 30);
	assert_int_equal(p->split, 128);
	assert_int_equal(p->load_balance_max_seconds, 3);
	assert_int_equal(p->auto_partner_down, 0);
	p = &c->peers[1];
	assert_int_equal(p->role, DHCPDCONF_ROLE_SECONDARY);
	assert_null(p->address);
	assert_int_equal(p->mclt, -1);
	assert_int_equal(p->peer_max_response_delay, 7);
	assert_int_equal(c->pools[range_at(c, IP(10, 0, 0, 10))->pool].peer, 0);
	assert_int_equal(c->pools[range_at(c, IP(10, 0, 0, 20))->pool].peer, 1);
	assert_int_equal(c->pools[range_at(c, IP(10, 0, 0, 30))->pool].peer,
	    DHCPDCONF_NONE);
	assert_int_equal(c->pools[range_at(c, IP(10, 1, 0, 10))->pool].peer, 0);
	assert_int_equal(c->pools[range_at(c, IP(10, 1, 0, 20))->pool].peer,
	    DHCPDCONF_NONE);
	/* a bare range's pool never inherits the shared network's peer */
	assert_int_equal(c->pools[range_at(c, IP(10, 1, 0, 30))->pool].peer,
	    DHCPDCONF_NONE);
	assert_int_equal(c->shared[1].peer, 0);
	assert_int_equal(dhcpdconf_find_peer(c, "sec"), 1);
	assert_int_equal(dhcpdconf_find_peer(c, "none"), DHCPDCONF_NONE);
	dhcpdconf_free(c);
}

/* class "NAME" { lease limit N; }: kept; a repeated class updates. */
static void
test_classes(void **state)
{
	struct dhcpdconf *c = ok(
	    "class \"a\" { match if option host-name = \"lease limit 9;\"; "
	    "lease limit 40; }\n"
	    "class \"b\" { if true { lease-time 5; } }\n"
	    "class \"a\" { lease limit 41; }\n"
	    "class \"c\";\n");

	assert_int_equal(c->nclasses, 3);
	assert_string_equal(c->classes[0].name, "a");
	assert_int_equal(c->classes[0].lease_limit, 41);
	assert_int_equal(c->classes[1].lease_limit, -1);
	assert_string_equal(c->classes[2].name, "c");
	dhcpdconf_free(c);
}

/* subnet6, range6, pool6, prefix6: recognised and skipped. */
static void
test_dhcpv6(void **state)
{
	struct dhcpdconf *c = ok(
	    "subnet6 2001:db8::/64 { range6 2001:db8::10 2001:db8::20;\n"
	    "  range6 2001:db8::/80 temporary;\n"
	    "  prefix6 2001:db8:0:100:: 2001:db8:0:f00:: /56;\n"
	    "  pool6 { range6 2001:db8::1000 2001:db8::10ff; } }\n"
	    "shared-network six { subnet6 2001:db8:1::/64 { } }\n"
	    "subnet 10.0.0.0 netmask 255.0.0.0 { range 10.0.0.1; }\n");

	assert_int_equal(c->nranges, 1);
	assert_int_equal(c->nsubnets, 1);
	dhcpdconf_free(c);
}

/* Write text to dir/name. */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static char tmpdir[] = "/tmp/dcftest.XXXXXX";

static int
setup_dir(void **state)
{
	char sub[PATH_MAX];

	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(sub, sizeof(sub), "%s/inc", tmpdir);
	return mkdir(sub, 0700);
}

static int
teardown_dir(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Load path (under tmpdir) within lim, or the defaults with no settling. */
static int
load_lim(struct dhcpdconf **c, const char *path, int no_include,
    const struct dhcpdconf_limits *lim)
{
	struct dhcpdconf_opts o = { .cwd = tmpdir, .no_include = no_include };
	struct dhcpdconf_limits fast = { .no_settle = 1 };

	return dhcpdconf_load_limited(c, path, &o, lim != NULL ? lim : &fast,
	    errbuf, sizeof(errbuf));
}

static int
load(struct dhcpdconf **c, const char *path, int no_include)
{
	return load_lim(c, path, no_include, NULL);
}

/*
 * include, nested: paths are relative to dhcpd's working directory (our
 * cwd option), not to the including file; in a subnet its ranges are the
 * subnet's; files and their mtimes are kept for reloads.
 */
static void
test_include(void **state)
{
	struct dhcpdconf *c;
	struct timespec ts[2] = { { 1000, 0 }, { 1000, 0 } };
	char path[PATH_MAX];

	put(tmpdir, "top.conf", "include \"inc/a.conf\";\n"
	    "subnet 10.9.0.0 netmask 255.255.0.0 { include \"inc/body.conf\"; }\n"
	    "shared-network s { include \"inc/s.conf\"; }\n");
	put(tmpdir, "inc/a.conf", "subnet 10.1.0.0 netmask 255.255.0.0 { range "
	    "10.1.0.1; }\ninclude \"inc/b.conf\";\n");
	put(tmpdir, "inc/b.conf", "subnet 10.2.0.0 netmask 255.255.0.0 { range "
	    "10.2.0.1; }\n");
	put(tmpdir, "inc/body.conf", "range 10.9.0.1 10.9.0.2;\n");
	put(tmpdir, "inc/s.conf", "subnet 10.3.0.0 netmask 255.255.0.0 { }\n"
	    "subnet 10.4.0.0 netmask 255.255.0.0 { }\n"
	    "pool { range 10.3.0.1; range 10.4.0.1; }\n");
	if (load(&c, "top.conf", 0) == -1)
		fail_msg("%s", errbuf);
	assert_int_equal(c->nranges, 5);
	assert_int_equal(c->nfiles, 5);
	snprintf(path, sizeof(path), "%s/inc/b.conf", tmpdir);
	assert_string_equal(c->files[2].path, path);
	assert_string_equal(range_at(c, IP(10, 2, 0, 1))->where.file, path);
	assert_string_equal(shared_of(c, range_at(c, IP(10, 9, 0, 1))),
	    "10.9.0.0/16");
	assert_string_equal(shared_of(c, range_at(c, IP(10, 4, 0, 1))), "s");
	assert_int_equal(range_at(c, IP(10, 3, 0, 1))->pool,
	    range_at(c, IP(10, 4, 0, 1))->pool);
	assert_int_equal(dhcpdconf_changed(c), 0);
	dhcpdconf_free(c);
	/*
	 * A permit in a file included in a pool is a plain statement there
	 * (seen live: a pool of its own), not one of the pool's permits.
	 */
	put(tmpdir, "inc/permit.conf", "allow unknown-clients;\n");
	put(tmpdir, "pp.conf", "subnet 10.0.0.0 netmask 255.0.0.0 {\n"
	    "pool { include \"inc/permit.conf\"; range 10.0.0.1; }\n"
	    "pool { allow unknown-clients; range 10.0.0.2; }\n"
	    "pool { allow unknown-clients; range 10.0.0.3; } }\n");
	if (load(&c, "pp.conf", 0) == -1)
		fail_msg("%s", errbuf);
	assert_int_not_equal(range_at(c, IP(10, 0, 0, 1))->pool,
	    range_at(c, IP(10, 0, 0, 2))->pool);
	assert_int_equal(range_at(c, IP(10, 0, 0, 2))->pool,
	    range_at(c, IP(10, 0, 0, 3))->pool);
	dhcpdconf_free(c);
	if (load(&c, "top.conf", 0) == -1)
		fail_msg("%s", errbuf);
	/* an include's mtime changes: reload */
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	assert_int_equal(dhcpdconf_changed(c), 1);
	dhcpdconf_free(c);
	if (load(&c, "top.conf", 0) == -1)
		fail_msg("%s", errbuf);
	assert_int_equal(dhcpdconf_changed(c), 0);
	/* an editor's save: a new file renamed over, same size and mtime */
	{
		char tmp[PATH_MAX + 8];
		struct stat st;

		snprintf(tmp, sizeof(tmp), "%s.new", path);
		assert_int_equal(stat(path, &st), 0);
		put(tmpdir, "inc/b.conf.new", "subnet 10.2.0.0 netmask "
		    "255.255.0.0 { range 10.2.0.1; }\n");
		ts[0] = ts[1] = st.st_mtim;
		assert_int_equal(utimensat(AT_FDCWD, tmp, ts, 0), 0);
		assert_int_equal(rename(tmp, path), 0);
		assert_int_equal(dhcpdconf_changed(c), 1);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(dhcpdconf_changed(c), 1);
	dhcpdconf_free(c);
}

/* The errors of includes, with the include's position. */
static void
test_include_errors(void **state)
{
	struct dhcpdconf *c = NULL;
	char want[PATH_MAX + 128], name[64], text[64];
	int i;

	/* relative to the including file is not how dhcpd opens it */
	put(tmpdir, "rel.conf", "include \"inc/r1.conf\";\n");
	put(tmpdir, "inc/r1.conf", "\n  include \"r2.conf\";\n");
	put(tmpdir, "inc/r2.conf", "\n");
	assert_int_equal(load(&c, "rel.conf", 0), -1);
	snprintf(want, sizeof(want), "%s/inc/r1.conf:2:3: include \"%s/r2.conf"
	    "\": No such file or directory", tmpdir, tmpdir);
	assert_string_equal(errbuf, want);
	/* an error inside an included file names that file */
	put(tmpdir, "e.conf", "include \"inc/e1.conf\";\n");
	put(tmpdir, "inc/e1.conf", "subnet 10.0.0.0 netmask 255.0.0.0 {\n");
	assert_int_equal(load(&c, "e.conf", 0), -1);
	snprintf(want, sizeof(want), "%s/inc/e1.conf:1:35: end of file inside "
	    "this '{'", tmpdir);
	assert_string_equal(errbuf, want);
	/* an included file cannot close its includer's block */
	put(tmpdir, "inc/close.conf", "}\n");
	put(tmpdir, "c.conf", "subnet 10.0.0.0 netmask 255.0.0.0 {\n"
	    "include \"inc/close.conf\";\n}\n");
	assert_int_equal(load(&c, "c.conf", 0), -1);
	assert_non_null(strstr(errbuf, "inc/close.conf:1:1: unexpected '}'"));
	/* seventeen files deep */
	for (i = 0; i < 17; i++) {
		snprintf(name, sizeof(name), "inc/d%d.conf", i);
		snprintf(text, sizeof(text), "include \"inc/d%d.conf\";\n",
		    i + 1);
		put(tmpdir, name, text);
	}
	put(tmpdir, "inc/d17.conf", "\n");
	assert_int_equal(load(&c, "inc/d0.conf", 0), -1);
	assert_non_null(strstr(errbuf, "inc/d15.conf:1:1: includes nested more "
	    "than 16 deep"));
	/* not a regular file */
	put(tmpdir, "dir.conf", "include \"inc\";\n");
	assert_int_equal(load(&c, "dir.conf", 0), -1);
	assert_non_null(strstr(errbuf, "dir.conf:1:1: include \""));
	assert_non_null(strstr(errbuf, "/inc\": not a regular file"));
	/* disabled */
	assert_int_equal(load(&c, "rel.conf", 1), -1);
	assert_non_null(strstr(errbuf, "rel.conf:1:1: include is disabled "
	    "here"));
	/* the top file itself */
	assert_int_equal(load(&c, "missing.conf", 0), -1);
	snprintf(want, sizeof(want), "%s/missing.conf: No such file or "
	    "directory", tmpdir);
	assert_string_equal(errbuf, want);
	/* a range in a file included inside a pool: dhcpd refuses it */
	put(tmpdir, "inc/pr.conf", "range 10.0.0.5;\n");
	put(tmpdir, "p.conf", "subnet 10.0.0.0 netmask 255.0.0.0 { pool {\n"
	    "range 10.0.0.1; include \"inc/pr.conf\"; } }\n");
	assert_int_equal(load(&c, "p.conf", 0), -1);
	assert_non_null(strstr(errbuf, "inc/pr.conf:1:1: range declaration "
	    "not allowed here"));
	assert_null(c);
}

/*
 * Include loops (issue 21): a file on the include stack is refused by
 * name before it is read again; the same file included twice side by
 * side is not a loop.
 */
static void
test_include_loops(void **state)
{
	struct dhcpdconf *c = NULL;
	char want[PATH_MAX * 3];

	put(tmpdir, "self.conf", "# me\ninclude \"self.conf\";\n");
	assert_int_equal(load(&c, "self.conf", 0), -1);
	snprintf(want, sizeof(want), "%s/self.conf:2:1: include \"%s/self.conf\""
	    ": the file includes itself", tmpdir, tmpdir);
	assert_string_equal(errbuf, want);
	put(tmpdir, "la.conf", "include \"inc/lb.conf\";\n");
	put(tmpdir, "inc/lb.conf", "group { include \"inc/lc.conf\"; }\n");
	put(tmpdir, "inc/lc.conf", "\n\ninclude \"la.conf\";\n");
	assert_int_equal(load(&c, "la.conf", 0), -1);
	snprintf(want, sizeof(want), "%s/inc/lc.conf:3:1: include \"%s/la.conf\""
	    ": include loop: %s/la.conf includes %s/inc/lb.conf includes "
	    "%s/inc/lc.conf includes %s/la.conf", tmpdir, tmpdir, tmpdir, tmpdir,
	    tmpdir, tmpdir);
	assert_string_equal(errbuf, want);
	assert_null(c);
	/* side by side, twice, and through a second name: no loop */
	put(tmpdir, "inc/leaf.conf", "# leaf\n");
	put(tmpdir, "twice.conf", "include \"inc/leaf.conf\";\n"
	    "include \"inc/leaf.conf\";\ninclude \"inc/../inc/leaf.conf\";\n");
	if (load(&c, "twice.conf", 0) == -1)
		fail_msg("%s", errbuf);
	assert_int_equal(c->nfiles, 3);
	dhcpdconf_free(c);
}

/* Files FAN_1 .. FAN_14: each includes the next ten times. */
static void
put_fanout(void)
{
	char name[64], text[512];
	size_t n;
	int i, k;

	for (i = 1; i <= 14; i++) {
		snprintf(name, sizeof(name), "inc/fan%d.conf", i);
		text[0] = '\0';
		for (k = 0, n = 0; i < 14 && k < 10; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
			    "include \"inc/fan%d.conf\";\n", i + 1);
		put(tmpdir, name, i < 14 ? text : "# a comment-only leaf\n");
	}
}

static int stop_calls;

static int
stop_after_two(void *arg)
{
	return ++stop_calls > *(int *)arg;
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/*
 * The bounds of one load (issue 21): an include fan-out of 10^14 opens
 * ends at the file count, at the time limit, or at the caller's stop;
 * bytes are counted over every file; "File too large" names 64 MiB.
 */
static void
test_load_limits(void **state)
{
	struct dhcpdconf_limits lim = { .no_settle = 1 };
	struct dhcpdconf *c = NULL;
	struct timespec t0;
	char path[PATH_MAX];
	int fd, two = 2;

	put_fanout();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(load(&c, "inc/fan1.conf", 0), -1);
	assert_true(elapsed_ms(&t0) < 5000);
	assert_non_null(strstr(errbuf, "/inc/fan13.conf:"));
	assert_non_null(strstr(errbuf, "/inc/fan14.conf\": more than 10000 "
	    "files opened in one load (an include fan-out?)"));
	/* time: with the file count out of the way */
	lim.max_files = 4000000000u;
	lim.max_ms = 50;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(load_lim(&c, "inc/fan1.conf", 0, &lim), -1);
	assert_true(elapsed_ms(&t0) < 5000);
	assert_non_null(strstr(errbuf, ": gave up after 50 ms: one dhcpd.conf "
	    "load may take at most 50 ms"));
	/* the caller's stop: a daemon's SIGTERM */
	lim.max_ms = 0;
	lim.stop = stop_after_two;
	lim.stop_arg = &two;
	stop_calls = 0;
	assert_int_equal(load_lim(&c, "inc/fan1.conf", 0, &lim), -1);
	assert_non_null(strstr(errbuf, ": interrupted"));
	assert_int_equal(stop_calls, 3);
	/* bytes, over all files: 2 x 40 > 64 */
	memset(&lim, 0, sizeof(lim));
	lim.no_settle = 1;
	lim.max_bytes = 100;
	put(tmpdir, "inc/b40.conf", "# forty bytes of comment ..............\n");
	put(tmpdir, "b2.conf", "include \"inc/b40.conf\";\n"
	    "include \"inc/b40.conf\";\n");
	assert_int_equal(load_lim(&c, "b2.conf", 0, &lim), -1);
	assert_non_null(strstr(errbuf, "b2.conf:2:1: include \""));
	assert_non_null(strstr(errbuf, "/inc/b40.conf\": 40 bytes more would "
	    "take this load past 100 bytes read in all (88 so far)"));
	lim.max_bytes = 128;
	if (load_lim(&c, "b2.conf", 0, &lim) == -1)
		fail_msg("%s", errbuf);
	dhcpdconf_free(c);
	/* declarations kept: a lone subnet's shared network and a bare
	 * range's pool are not counted, the rest are */
	memset(&lim, 0, sizeof(lim));
	lim.no_settle = 1;
	lim.max_decls = 3;
	put(tmpdir, "d3.conf", "subnet 10.0.0.0 netmask 255.255.255.0 { range "
	    "10.0.0.1; }\nsubnet 10.0.1.0 netmask 255.255.255.0 {\n"
	    "  range 10.0.1.1;\n}\n");
	assert_int_equal(load_lim(&c, "d3.conf", 0, &lim), -1);
	assert_non_null(strstr(errbuf, "/d3.conf:3:3: more than 3 declarations "
	    "(subnets, shared networks, pools, ranges, failover peers, "
	    "classes) in one load"));
	lim.max_decls = 4;
	if (load_lim(&c, "d3.conf", 0, &lim) == -1)
		fail_msg("%s", errbuf);
	dhcpdconf_free(c);
	/* a top file past 64 MiB (sparse: nothing is read) */
	snprintf(path, sizeof(path), "%s/huge.conf", tmpdir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (64 << 20) + 1), 0);
	close(fd);
	assert_int_equal(load(&c, "huge.conf", 0), -1);
	assert_non_null(strstr(errbuf, "/huge.conf: File too large: 67108865 "
	    "bytes, where one dhcpd.conf load reads at most 64 MiB"));
	unlink(path);
}

/*
 * A NUL byte, as dhcpd 4.4.3 reads it (each case checked with dhcpd -t by
 * tests/integration/test_conf_faults.sh): conflex.c makes it token 0,
 * which a peek then drops.  Read past before a statement, refused where
 * dhcpd refuses it; never a range dropped in silence.
 */
static void
test_nul(void **state)
{
	static const struct {
		const char	*text;
		size_t		 len;
		const char	*err;	/* NULL: parsed, with the range */
	} cases[] = {
#define T(s)	s, sizeof(s) - 1
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 {\n \0 range "
		    "10.9.0.10 10.9.0.20; }\n"), NULL },
		{ T("\0subnet 10.9.0.0 netmask 255.255.255.0 { range "
		    "10.9.0.10 10.9.0.20; }\n"), NULL },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 {\n range \0 "
		    "10.9.0.10 10.9.0.20; }\n"), NULL },
		{ T("group { \0 subnet 10.9.0.0 netmask 255.255.255.0 { "
		    "range 10.9.0.10 10.9.0.20; } }\n"), NULL },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { # \0\n"
		    "option domain-name \"a\0b\"; range 10.9.0.10 10.9.0.20; "
		    "}\n"), NULL },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 {\n \0\0 range "
		    "10.9.0.10 10.9.0.20; }\n"), "t.conf:2:2: a NUL byte that "
		    "dhcpd refuses here (one is read past only before a "
		    "statement); remove it" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.10 "
		    "10.9.0.20; \0 }\n"), "t.conf:1:68: a NUL byte that dhcpd "
		    "refuses here" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.10; "
		    "}\n\0"), "t.conf:2:1: a NUL byte that dhcpd refuses here" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 {\n pool { \0 range "
		    "10.9.0.10 10.9.0.20; } }\n"), "t.conf:2:9: a NUL byte "
		    "before a statement in a pool" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 {\n range \0 "
		    "dynamic-bootp 10.9.0.10; }\n"), "t.conf:2:10: expected an "
		    "IPv4 address, found 'dynamic-bootp'" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.10 "
		    "\0 10.9.0.20; }\n"), NULL },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.10 "
		    "\0; }\n"), "t.conf:1:58: expected an IPv4 address, found "
		    "';'" },
		{ T("subnet 10.9.0.0 netmask 255.255.255.0 { range 10.9.0.10 "
		    "10.9.0.20 \0; }\n"), "t.conf:1:67: expected ';' after the "
		    "range, found byte \\x00" },
#undef T
	};
	struct dhcpdconf *c;
	size_t i;
	int rv;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rv = dhcpdconf_parse(&c, "t.conf", cases[i].text, cases[i].len,
		    NULL, errbuf, sizeof(errbuf));
		if (cases[i].err == NULL) {
			if (rv == -1)
				fail_msg("case %zu: %s", i, errbuf);
			assert_int_equal(c->nranges, 1);
			assert_int_equal(c->ranges[0].first, IP(10, 9, 0, 10));
			dhcpdconf_free(c);
			continue;
		}
		assert_int_equal(rv, -1);
		if (strncmp(errbuf, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("case %zu: %s", i, errbuf);
	}
}

/*
 * A dhcpd.conf rewritten in place is not read as the valid prefix it is
 * for a moment (issue 21): a file younger than settle_ms is waited for,
 * and read again when it changed meanwhile.
 */
static void
test_settle(void **state)
{
	struct dhcpdconf_limits lim = { .settle_ms = 1500 };
	static const char one[] = "subnet 10.1.0.0 netmask 255.255.0.0 { "
	    "range 10.1.0.1; }\n";
	static const char two[] = "subnet 10.2.0.0 netmask 255.255.0.0 { "
	    "range 10.2.0.1; }\n";
	struct timespec t0, gap = { 0, 300 * 1000000 };
	struct dhcpdconf *c = NULL;
	char path[PATH_MAX];
	int fd, status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/slow.conf", tmpdir);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	assert_true(write(fd, one, strlen(one)) == (ssize_t)strlen(one));
	if ((pid = fork()) == 0) {
		nanosleep(&gap, NULL);
		_exit(write(fd, two, strlen(two)) == (ssize_t)strlen(two) ?
		    0 : 1);
	}
	assert_true(pid > 0);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load_lim(&c, "slow.conf", 0, &lim) == -1)
		fail_msg("%s", errbuf);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(c->nranges, 2);
	/* the second write, then settle_ms of quiet */
	assert_true(elapsed_ms(&t0) >= 1500);
	dhcpdconf_free(c);
	/* a file that keeps changing ends at the time limit */
	lim.max_ms = 200;
	lim.settle_ms = 5000;
	assert_int_equal(load_lim(&c, "slow.conf", 0, &lim), -1);
	assert_non_null(strstr(errbuf, "slow.conf: still being written after "
	    "200 ms"));
}

/* Every error message, with FILE:LINE:COLUMN. */
static void
test_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;
	} cases[] = {
		{ "option x \"abc", "t.conf:1:10: end of file in a string that "
		    "starts here" },
		{ "}", "t.conf:1:1: unexpected '}'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 {\n range 10.0.0.1;\n",
		    "t.conf:1:35: end of file inside this '{'" },
		{ "option x 1", "t.conf:1:1: end of file in this statement "
		    "(missing ';'?)" },
		{ "on commit { set x = 1;", "t.conf:1:11: end of file inside "
		    "this '{'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { option routers 10.0.0.1 }",
		    "t.conf:1:61: unexpected '}': the statement at 1:37 has no "
		    "';'" },
		{ "subnet 10.0.0 netmask 255.0.0.0 { }", "t.conf:1:15: expected "
		    "'.' in an IPv4 address, found 'netmask'" },
		{ "subnet 10.0.0.x netmask 255.0.0.0 { }", "t.conf:1:15: "
		    "expected an IPv4 address, found 'x'" },
		{ "subnet 10.0.0.256 netmask 255.0.0.0 { }", "t.conf:1:15: 256 "
		    "is not an address byte (0-255)" },
		{ "subnet 10.0.0.0 mask 255.0.0.0 { }", "t.conf:1:17: expected "
		    "'netmask', found 'mask'" },
		{ "subnet 10.0.0.1 netmask 255.255.255.0 { }", "t.conf:1:8: "
		    "subnet 10.0.0.1 netmask 255.255.255.0: bad subnet "
		    "number/mask combination" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 ;", "t.conf:1:35: expected "
		    "'{', found ';'" },
		{ "shared-network \"\" { }", "t.conf:1:16: zero-length shared "
		    "network name" },
		{ "shared-network { }", "t.conf:1:16: expected a name for "
		    "shared-network, found '{'" },
		{ "shared-network x ;", "t.conf:1:18: expected '{', found ';'" },
		{ "shared-network x { option a 1; }", "t.conf:1:1: empty "
		    "shared-network declaration" },
		{ "range 10.0.0.1;", "t.conf:1:1: range declaration not allowed "
		    "here" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { group { range 10.0.0.1; "
		    "} }", "t.conf:1:45: range declaration not allowed here" },
		{ "pool { range 10.0.0.1; }", "t.conf:1:1: pool declared outside "
		    "of network" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { pool { } } }",
		    "t.conf:1:44: pool declared within pool" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { shared-network x { } }",
		    "t.conf:1:37: shared-network declaration not allowed here" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { subnet 10.1.0.0 netmask "
		    "255.255.0.0 { } }", "t.conf:1:37: subnet declaration not "
		    "allowed here" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { subnet6 2001:db8::/64 { } }",
		    "t.conf:1:37: subnet6 declaration not allowed here" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { failover peer \"x\" { } }",
		    "t.conf:1:37: failover peers may only be defined in "
		    "shared-network declarations and the outer scope" },
		{ "failover peer \"x\";", "t.conf:1:1: failover peer reference "
		    "not in shared-network declaration" },
		{ "shared-network s { failover peer \"x\"; }", "t.conf:1:20: "
		    "reference to unknown failover peer \"x\"" },
		{ "failover peer \"x\" state { }", "t.conf:1:1: state "
		    "declaration for unknown failover peer \"x\"" },
		{ "failover x", "t.conf:1:10: expected 'peer', found 'x'" },
		{ "failover peer ;", "t.conf:1:15: expected a failover peer "
		    "name, found ';'" },
		{ "failover peer x 1", "t.conf:1:17: expected '{', found '1'" },
		{ "failover peer x { peer address 10.0.0.2; }\n"
		    "failover peer x { peer address 10.0.0.2; }",
		    "t.conf:2:1: redeclaration of failover peer \"x\"" },
		{ "failover peer x { colour blue; }", "t.conf:1:19: invalid "
		    "statement in peer declaration" },
		{ "failover peer x { address 10.0.0.1; }", "t.conf:1:1: peer "
		    "address may not be omitted" },
		{ "failover peer x { primary; peer address 10.0.0.2; mclt 5; }",
		    "t.conf:1:1: primary failover server must have hba or "
		    "split" },
		{ "failover peer x { primary; peer address 10.0.0.2; split 1; }",
		    "t.conf:1:1: primary failover server must have mclt" },
		{ "failover peer x { secondary; split 128; }", "t.conf:1:30: "
		    "secondary may not define load balance settings" },
		{ "failover peer x { split 257; }", "t.conf:1:25: 257 is larger "
		    "than 256" },
		{ "failover peer x { mclt x; }", "t.conf:1:24: expected a "
		    "number, found 'x'" },
		{ "failover peer x { peer address ; }", "t.conf:1:32: expected "
		    "an address or host name, found ';'" },
		{ "failover peer x { load balance max secs 3; }", "t.conf:1:36: "
		    "expected 'seconds', found 'secs'" },
		{ "failover peer x { peer address 10.0.0.2 }", "t.conf:1:41: "
		    "expected an address or host name, found '}'" },
		{ "failover peer x { peer address 10.0.0.2; mclt 3 }",
		    "t.conf:1:49: expected ';', found '}'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { failover peer "
		    "\"nope\"; range 10.0.0.1; } }", "t.conf:1:58: failover peer "
		    "\"nope\": not found (declare it before the pool)" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { failover peer "
		    "nope; } }", "t.conf:1:58: expected a failover peer name "
		    "string, found 'nope'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { no peer; } }",
		    "t.conf:1:47: expected 'failover', found 'peer'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { allow booting; } }",
		    "t.conf:1:50: expected a permit type, found 'booting'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { allow unknown; } }",
		    "t.conf:1:57: expected 'clients', found ';'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { deny members of "
		    "x; } }", "t.conf:1:60: expected a class name, found 'x'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { deny dynamic "
		    "clients; } }", "t.conf:1:57: expected 'bootp', found "
		    "'clients'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { allow all "
		    "clients } }", "t.conf:1:62: expected ';', found '}'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { allow all "
		    "clients; } }", "t.conf:1:37: pool declaration with no "
		    "address range" },
		{ "shared-network s { pool { range 10.0.0.1; }\n"
		    "subnet 10.0.0.0 netmask 255.0.0.0 { } }", "t.conf:1:33: "
		    "address range 10.0.0.1 not on network s (the pool must "
		    "follow the declaration of its subnet)" },
		{ "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.1 "
		    "10.0.1.1; }", "t.conf:1:47: bad range, address 10.0.1.1 not "
		    "in subnet 10.0.0.0/24" },
		{ "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.9.0.1; }",
		    "t.conf:1:47: bad range, address 10.9.0.1 not in subnet "
		    "10.0.0.0/24" },
		{ "failover peer x { peer address 10.0.0.2; }\n"
		    "subnet 10.0.0.0 netmask 255.0.0.0 { pool { failover peer "
		    "\"x\"; range dynamic-bootp 10.0.0.1; } }", "t.conf:2:63: "
		    "dynamic-bootp is not permitted in a range where a failover "
		    "peer is in scope" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { range 10.0.0.1 10.0.0.9;\n"
		    "range 10.0.0.9 10.0.0.12; }", "t.conf:2:1: range "
		    "10.0.0.9-10.0.0.12 overlaps range 10.0.0.1-10.0.0.9 declared "
		    "at t.conf:1:37" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { range 10.0.0.1 10.0.0.2 "
		    "10.0.0.3; }", "t.conf:1:61: expected ';' after the range, "
		    "found '10'" },
		{ "include foo;", "t.conf:1:9: expected a file name string, found "
		    "'foo'" },
		{ "include \"x\" include", "t.conf:1:13: expected ';' after "
		    "include, found 'include'" },
		{ "class x { }", "t.conf:1:7: expected a class name string, found "
		    "'x'" },
		{ "class \"x\" match;", "t.conf:1:11: expected '{', found "
		    "'match'" },
		{ "class \"x\" { lease 5; }", "t.conf:1:19: expected 'limit', "
		    "found '5'" },
		{ "class \"x\" { lease limit 99999999999; }", "t.conf:1:25: "
		    "99999999999 is larger than 2147483647" },
		{ "class \"x\" { lease limit -1; }", "t.conf:1:25: expected a "
		    "number, found '-1'" },
		{ "class \"x\" { match hardware;", "t.conf:1:11: end of file "
		    "inside this '{'" },
		{ "failover peer x { peer address 10.0.0.2;", "t.conf:1:17: end "
		    "of file inside this '{'" },
		/* no input forges a line: control bytes come out escaped */
		{ "shared-network \"a\nb\" ;", "t.conf:2:4: expected '{', found "
		    "';'" },
		{ "subnet 10.0.0.0 netmask 255.0.0.0 { pool { allow \"x\ny\"; } }",
		    "t.conf:1:50: expected a permit type, found \"x\\x0ay\"" },
		{ "\x01", "t.conf:1:1: end of file in this statement (missing "
		    "';'?)" },
	};
	size_t i, wrong = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(bad(cases[i].text), cases[i].err) == 0)
			continue;
		print_error("case %zu: %s\n  got:  %s\n  want: %s\n", i,
		    cases[i].text, errbuf, cases[i].err);
		wrong++;
	}
	assert_int_equal(wrong, 0);
}

/* Tokens longer than the tokenizer's buffer are refused, not cut. */
static void
test_long_tokens(void **state)
{
	size_t n = 9000, i;
	char *s = malloc(n + 32);

	static_assert(PATH_MAX + 32 < 9000, "the buffer holds a long path");

	assert_non_null(s);
	memcpy(s, "option x \"", 10);
	memset(s + 10, 'a', n);
	strcpy(s + 10 + n, "\";");
	assert_string_equal(bad(s), "t.conf:1:10: string longer than 8191 "
	    "bytes");
	memset(s, 'a', n);
	strcpy(s + n, ";");
	assert_string_equal(bad(s), "t.conf:1:1: name longer than 8191 bytes");
	memcpy(s, "shared-network ", 15);
	memset(s + 15, 'a', 1100);
	strcpy(s + 15 + 1100, " { }");
	assert_string_equal(bad(s), "t.conf:1:16: shared-network name too "
	    "long");
	/* deep nesting is refused, not a stack overflow */
	for (i = 0; i < 65; i++)
		memcpy(s + 8 * i, "group { ", 8);
	s[8 * 65] = '\0';
	assert_string_equal(bad(s), "t.conf:1:519: declarations nested more "
	    "than 64 deep");
	memcpy(s, "include \"", 9);
	memset(s + 9, 'a', PATH_MAX + 10);
	strcpy(s + 9 + PATH_MAX + 10, "\";");
	assert_string_equal(bad(s), "t.conf:1:9: file name too long");
	free(s);
}

/* Every prefix of a good file parses or fails cleanly (no crash, leak). */
static void
test_prefixes(void **state)
{
	static const char text[] =
	    "failover peer \"f\" { primary; peer address 10.0.0.2; mclt 3; "
	    "split 128; }\nclass \"c\" { lease limit 4; }\n"
	    "shared-network s { subnet 10.0.0.0 netmask 255.255.255.0 { "
	    "range 10.0.0.1 10.0.0.9; }\n pool { failover peer \"f\"; "
	    "allow members of \"c\"; range 10.0.0.20; } }\n";
	struct dhcpdconf *c;
	size_t i;

	for (i = 0; i <= sizeof(text) - 1; i++) {
		c = NULL;
		if (dhcpdconf_parse(&c, "t.conf", text, i, NULL, errbuf,
		    sizeof(errbuf)) == 0)
			dhcpdconf_free(c);
		else {
			assert_null(c);
			assert_int_equal(strncmp(errbuf, "t.conf:", 7), 0);
		}
	}
	assert_int_equal(dhcpdconf_parse(&c, "t.conf", text, sizeof(text) - 1,
	    NULL, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(c->nranges, 2);
	dhcpdconf_free(c);
}

/* The corpus of tests/dhcpdconf/ parses (the live test checks it). */
static void
test_corpus(void **state)
{
	static const char *files[] = { "lexical.conf", "include.conf",
	    "shared.conf", "pools.conf", "ranges.conf", "failover.conf",
	    "dhcpv6.conf", "edge.conf" };
	struct dhcpdconf_opts o = { .cwd = "tests/dhcpdconf/corpus" };
	struct dhcpdconf *c;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (dhcpdconf_load(&c, files[i], &o, errbuf,
		    sizeof(errbuf)) == -1)
			fail_msg("%s", errbuf);
		dhcpdconf_free(c);
	}
}

static int
load_keys(struct dhcpdconf **c, const char *path)
{
	struct dhcpdconf_opts o = { .cwd = tmpdir,
	    .secret_mode_ok = omapi_secret_mode_ok };
	struct dhcpdconf_limits fast = { .no_settle = 1 };

	return dhcpdconf_load_limited(c, path, &o, &fast, errbuf,
	    sizeof(errbuf));
}

/*
 * omapi-port, omapi-key and key blocks, in the file or an include; the
 * secret kept only from a file others may not access, never shown in an
 * error; dhcpd's spellings (quoted or dotted names, bare base64).
 */
static void
test_omapi(void **state)
{
	const struct dhcpdconf_key *k;
	struct dhcpdconf *c;
	char path[PATH_MAX];

	put(tmpdir, "om.conf", "omapi-port 7912;\nomapi-key omapi_key;\n"
	    "include \"inc/key.conf\";\n"
	    "subnet 10.5.0.0 netmask 255.255.0.0 { range 10.5.0.1; }\n");
	put(tmpdir, "inc/key.conf", "key omapi_key {\n algorithm hmac-sha256;"
	    "\n secret \"c2VjcmV0c2VjcmV0\";\n};\n"
	    "key \"old\" { algorithm HMAC-MD5.SIG-ALG.REG.INT.; "
	    "secret c2Vj+/cmV0==; }\n");
	snprintf(path, sizeof(path), "%s/inc/key.conf", tmpdir);
	assert_int_equal(chmod(path, 0600), 0);
	if (load_keys(&c, "om.conf") == -1)
		fail_msg("%s", errbuf);
	assert_int_equal(c->omapi_port, 7912);
	assert_string_equal(c->omapi_key, "omapi_key");
	assert_int_equal(c->omapi_key_where.line, 2);
	assert_int_equal(c->nkeys, 2);
	assert_non_null(k = dhcpdconf_find_key(c, "omapi_key"));
	assert_string_equal(k->algorithm, "hmac-sha256");
	assert_true(k->secret_ok);
	assert_string_equal(k->secret, "c2VjcmV0c2VjcmV0");
	assert_string_equal(k->where.file, path);
	assert_non_null(k = dhcpdconf_find_key(c, "old"));
	assert_string_equal(k->algorithm, "HMAC-MD5.SIG-ALG.REG.INT.");
	assert_string_equal(k->secret, "c2Vj+/cmV0==");
	assert_null(dhcpdconf_find_key(c, "other"));
	assert_int_equal(c->nranges, 1);
	dhcpdconf_free(c);

	/* world-readable: the key is known, its secret is not kept */
	assert_int_equal(chmod(path, 0644), 0);
	if (load_keys(&c, "om.conf") == -1)
		fail_msg("%s", errbuf);
	assert_non_null(k = dhcpdconf_find_key(c, "omapi_key"));
	assert_false(k->secret_ok);
	assert_null(k->secret);
	assert_int_equal(k->mode & 07777, 0644);
	dhcpdconf_free(c);
	/* 0640 (a group may read) passes, as for a secret_file */
	assert_int_equal(chmod(path, 0640), 0);
	if (load_keys(&c, "om.conf") == -1)
		fail_msg("%s", errbuf);
	assert_true(dhcpdconf_find_key(c, "omapi_key")->secret_ok);
	dhcpdconf_free(c);
	/* without a rule (dhcpdconf_dump, the fuzzer): never kept */
	assert_int_equal(load(&c, "om.conf", 0), 0);
	assert_null(dhcpdconf_find_key(c, "omapi_key")->secret);
	dhcpdconf_free(c);

	/* no OMAPI statements at all */
	put(tmpdir, "noom.conf", "subnet 10.5.0.0 netmask 255.255.0.0 { }\n");
	assert_int_equal(load_keys(&c, "noom.conf"), 0);
	assert_int_equal(c->omapi_port, -1);
	assert_null(c->omapi_key);
	assert_int_equal(c->nkeys, 0);
	dhcpdconf_free(c);

	/* errors: where, and never the secret */
	put(tmpdir, "bad1.conf", "key k { secret \"c2VjcmV0\" }\n");
	assert_int_equal(load_keys(&c, "bad1.conf"), -1);
	assert_non_null(strstr(errbuf, "bad1.conf:1:9: a secret must be"));
	assert_null(strstr(errbuf, "c2VjcmV0"));
	put(tmpdir, "bad2.conf", "key k { algorithm hmac-md5; }\n");
	assert_int_equal(load_keys(&c, "bad2.conf"), -1);
	assert_non_null(strstr(errbuf, "bad2.conf:1:1: key k has no secret"));
	put(tmpdir, "bad3.conf", "omapi-port 70000;\n");
	assert_int_equal(load_keys(&c, "bad3.conf"), -1);
	put(tmpdir, "bad4.conf", "key k { secret abc; bogus x; }\n");
	assert_int_equal(load_keys(&c, "bad4.conf"), -1);
	assert_non_null(strstr(errbuf, "expected algorithm or secret"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_subnet_names),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_find_range),
		cmocka_unit_test(test_shared_bare_ranges),
		cmocka_unit_test(test_pool_merging),
		cmocka_unit_test(test_bare_range_quirk),
		cmocka_unit_test(test_failover),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_dhcpv6),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_include_loops),
		cmocka_unit_test(test_load_limits),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_settle),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_tokens),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_omapi),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
