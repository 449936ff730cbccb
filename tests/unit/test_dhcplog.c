/*
 * test_dhcplog.c: dhcpd's log (src/dhcplog/): the syslog framings (glibc's
 * /dev/log datagram, RFC 3164 with a host, RFC 5424, rsyslog's files),
 * every dhcpd message shape of server/dhcp.c and mdb.c, the hostname
 * forgeries (a client's option 12 shaped like a refusal), the
 * shared_network cap and relay lookup, and hostile bytes: 1 MB lines,
 * binary, invalid UTF-8 and NUL bytes are unparsed, never a crash.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dhcplog.h"

static int
streq(struct dhcplog_str s, const char *lit)
{
	return dhcplog_str_eq(s, lit);
}

static void
test_frame_3164(void **state)
{
	struct dhcplog_frame f;
	const char *l;

	/* what glibc syslog() puts on /dev/log: no host name */
	l = "<27>Dec  7 06:21:05 dhcpd[4242]: DHCPACK on 10.0.0.5 to "
	    "00:0c:01:02:03:04 via v0";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_int_equal(f.host.len, 0);
	assert_true(streq(f.program, "dhcpd"));
	assert_true(streq(f.msg, "DHCPACK on 10.0.0.5 to 00:0c:01:02:03:04 via v0"));
	/* forwarded, with a host name */
	l = "<30>Dec 17 23:01:59 dhcp-1 dhcpd[1]: DHCPINFORM from 1.2.3.4 via v0\n";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.host, "dhcp-1"));
	assert_true(streq(f.program, "dhcpd"));
	assert_true(streq(f.msg, "DHCPINFORM from 1.2.3.4 via v0"));
	/* rsyslog's traditional file format: no PRI */
	l = "Jan  1 00:00:00 gw dhcpd: Wrote 0 leases to leases file.";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.host, "gw"));
	assert_true(streq(f.program, "dhcpd"));
	/* rsyslog's RFC 3339 file format, and its forward format */
	l = "2026-12-07T06:21:05.123456+00:00 gw dhcpd[7]: Abandoning IP "
	    "address 10.0.0.9: declined.";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.host, "gw"));
	assert_true(streq(f.msg, "Abandoning IP address 10.0.0.9: declined."));
	l = "<27>2026-12-07T06:21:05Z gw dhcpd[7]: x";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.msg, "x"));
	/* another program */
	l = "<30>Dec  7 06:21:05 host sshd[9]: Accepted publickey";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.program, "sshd"));
	/* not syslog */
	assert_int_equal(dhcplog_frame_parse("hello", 5, &f), -1);
	assert_int_equal(dhcplog_frame_parse("<999>Dec  7 06:21:05 a b: c",
	    27, &f), -1);
	assert_int_equal(dhcplog_frame_parse("Foo  7 06:21:05 a b: c", 22,
	    &f), -1);
	assert_int_equal(dhcplog_frame_parse("", 0, &f), -1);
	l = "<30>Dec  7 06:21:05 onlyhost";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), -1);
}

static void
test_frame_5424(void **state)
{
	struct dhcplog_frame f;
	const char *l;

	l = "<27>1 2026-12-07T06:21:05.1Z dhcp-2 dhcpd 4242 - - DHCPNAK on "
	    "10.0.0.5 to 00:0c:01:02:03:04 via 10.77.0.2";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_true(streq(f.host, "dhcp-2"));
	assert_true(streq(f.program, "dhcpd"));
	assert_true(streq(f.msg,
	    "DHCPNAK on 10.0.0.5 to 00:0c:01:02:03:04 via 10.77.0.2"));
	/* structured data with escapes, a BOM */
	l = "<27>1 - - dhcpd - ID47 [x@1 a=\"b\\]\" c=\"[\"][y@2] \xef\xbb\xbfmsg";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_int_equal(f.host.len, 0);
	assert_true(streq(f.program, "dhcpd"));
	assert_true(streq(f.msg, "msg"));
	/* no message at all */
	l = "<27>1 - h dhcpd - - -";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), 0);
	assert_int_equal(f.msg.len, 0);
	/* broken structured data */
	l = "<27>1 - h dhcpd - - [x a=\"b] msg";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), -1);
	l = "<27>1 - h - - - - msg";
	assert_int_equal(dhcplog_frame_parse(l, strlen(l), &f), -1);
}

/* Parse msg; the event, or fail. */
static struct dhcplog_event
parse(const char *msg)
{
	struct dhcplog_event ev;

	assert_int_equal(dhcplog_msg_parse(msg, strlen(msg), &ev), 0);
	return ev;
}

static void
test_messages(void **state)
{
	struct dhcplog_event ev;
	static const struct {
		const char *msg;
		enum dhcplog_type type;
	} ok[] = {
	    { "DHCPDISCOVER from 00:0c:01:02:03:04 via 10.77.0.2",
		DHCPLOG_DISCOVER },
	    { "DHCPDISCOVER from 00:0c:01:02:03:04 (laptop) via v0",
		DHCPLOG_DISCOVER },
	    { "DHCPREQUEST for 10.77.0.10 (10.77.0.1) from 00:0c:01:02:03:04 "
		"via 10.77.0.2", DHCPLOG_REQUEST },
	    { "DHCPREQUEST for 10.77.0.10 from 00:0c:01:02:03:04 (h) via v0: "
		"wrong network.", DHCPLOG_REQUEST },
	    { "DHCPREQUEST for 10.9.9.9 (10.77.0.1) from 00:0c:01:02:03:04 via "
		"10.77.0.2: ignored (not authoritative).", DHCPLOG_REQUEST },
	    { "DHCPDECLINE of 10.77.0.10 from 00:0c:01:02:03:04 via v0: "
		"abandoned", DHCPLOG_DECLINE },
	    { "DHCPDECLINE from 00:0c:01:02:03:04 via 10.5.0.1: unknown "
		"network segment", DHCPLOG_DECLINE },
	    { "DHCPRELEASE of 10.77.0.10 from 00:0c:01:02:03:04 (h) via v0 "
		"(found)", DHCPLOG_RELEASE },
	    { "DHCPRELEASE of 10.77.0.10 from 00:0c:01:02:03:04 via v0 (not "
		"found)", DHCPLOG_RELEASE },
	    { "DHCPINFORM from 10.77.0.10 via v0", DHCPLOG_INFORM },
	    { "DHCPINFORM from 10.77.0.10 via 10.77.0.2: not authoritative "
		"for subnet 10.77.0.0", DHCPLOG_INFORM },
	    { "DHCPOFFER on 10.77.0.10 to 00:0c:01:02:03:04 (h) via 10.77.0.2",
		DHCPLOG_OFFER },
	    { "DHCPACK on 10.77.0.10 to 00:0c:01:02:03:04 via v0",
		DHCPLOG_ACK },
	    { "DHCPACK to 10.77.0.10 (00:0c:01:02:03:04) via v0", DHCPLOG_ACK },
	    { "DHCPNAK on 10.77.0.10 to 00:0c:01:02:03:04 via 10.77.0.2",
		DHCPLOG_NAK },
	};
	static const char *bad[] = {
	    "", "DHCPDISCOVER", "DHCPDISCOVER from 00:0c:01:02:03:04",
	    "Wrote 0 leases to leases file.",
	    "DHCPRELEASE from 00:0c:01:02:03:04 specified requested-address.",
	    "BOOTREQUEST from 00:0c:01:02:03:04 via v0",
	    "dhcpdiscover from 00:0c:01:02:03:04 via v0",
	    "Abandoning IP address 10.0.0: x", "Abandoning IP address 10.0.0.1",
	    "Abandoning IP address 10.0.0.01: declined.",
	    /* a refusal suffix without dhcpd's structure before it */
	    "DHCPDISCOVER from x via : network n: no free leases",
	    "DHCPDISCOVER from x via a b: peer holds all free leases",
	    "DHCPDISCOVER from x via r: network : no free leases",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ev = parse(ok[i].msg);
		assert_int_equal(ev.kind, DHCPLOG_EV_PACKET);
		assert_int_equal(ev.type, ok[i].type);
		assert_int_equal(ev.reason, DHCPLOG_NO_REASON);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(dhcplog_msg_parse(bad[i], strlen(bad[i]), &ev),
		    -1);
	ev = parse("Abandoning IP address 10.77.0.9: pinged before offer");
	assert_int_equal(ev.kind, DHCPLOG_EV_ABANDONED);
	ev = parse("DHCPDECLINE from 00:0c:01:02:03:04 via 10.5.0.1: unknown "
	    "network segment");
	assert_int_equal(ev.reason, DHCPLOG_NO_REASON);	/* not an allocation */
	assert_string_equal(dhcplog_type_name(DHCPLOG_NAK), "nak");
	assert_string_equal(dhcplog_reason_name(DHCPLOG_PEER_HOLDS_ALL),
	    "peer_holds_all_free_leases");
}

static void
test_refusals(void **state)
{
	struct dhcplog_event ev;

	/* the lab's live line (omapi-notes.md) */
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 via 10.77.0.2: network "
	    "10.77.0.0/24: no free leases");
	assert_int_equal(ev.type, DHCPLOG_DISCOVER);
	assert_int_equal(ev.reason, DHCPLOG_NO_FREE_LEASES);
	assert_true(streq(ev.network, "10.77.0.0/24"));
	assert_true(streq(ev.relay, "10.77.0.2"));
	/* a shared-network name with spaces, a local interface */
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (h) via eth1: network "
	    "floor 2: no free leases");
	assert_true(streq(ev.network, "floor 2"));
	assert_true(streq(ev.relay, "eth1"));
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (h) via 10.1.0.1: peer "
	    "holds all free leases");
	assert_int_equal(ev.reason, DHCPLOG_PEER_HOLDS_ALL);
	assert_int_equal(ev.network.len, 0);
	assert_true(streq(ev.relay, "10.1.0.1"));
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 via 10.5.0.1: unknown "
	    "network segment");
	assert_int_equal(ev.reason, DHCPLOG_UNKNOWN_SEGMENT);
	assert_true(streq(ev.relay, "10.5.0.1"));
}

/* Client hostnames shaped like dhcpd's own text change nothing. */
static void
test_forgery(void **state)
{
	struct dhcplog_event ev;

	/* issue 22: what dhcpd 4.4.3 really logged for this hostname */
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (x) via 10.77.0.2: "
	    "network evil: no free leases) via 10.77.0.2");
	assert_int_equal(ev.type, DHCPLOG_DISCOVER);
	assert_int_equal(ev.reason, DHCPLOG_NO_REASON);
	assert_true(streq(ev.relay, "10.77.0.2"));
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (x) via 1.2.3.4: peer "
	    "holds all free leases) via v0");
	assert_int_equal(ev.reason, DHCPLOG_NO_REASON);
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (x) via 1.2.3.4: "
	    "unknown network segment) via v0");
	assert_int_equal(ev.reason, DHCPLOG_NO_REASON);
	/* a real refusal with a forged network before it: dhcpd's wins */
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (x) via 10.77.0.2: "
	    "network evil) via 10.77.0.2: network real: no free leases");
	assert_int_equal(ev.reason, DHCPLOG_NO_FREE_LEASES);
	assert_true(streq(ev.network, "real"));
	assert_true(streq(ev.relay, "10.77.0.2"));
	ev = parse("DHCPDISCOVER from 00:0c:01:02:03:04 (: network evil: no "
	    "free leases) via 10.77.0.2: network real: no free leases");
	assert_true(streq(ev.network, "real"));
	/* a refusal shaped request or offer is no refusal */
	ev = parse("DHCPREQUEST for 10.0.0.1 from 00:0c:01:02:03:04 (x) via "
	    "10.77.0.2: network evil: no free leases) via v0");
	assert_int_equal(ev.type, DHCPLOG_REQUEST);
	assert_int_equal(ev.reason, DHCPLOG_NO_REASON);
	/* a line that starts like dhcpd's is dhcpd's line: its type counts
	 * once, whatever the hostname says */
	ev = parse("DHCPOFFER on 10.0.0.1 to 00:0c:01:02:03:04 (DHCPNAK on "
	    "10.0.0.1 to x via y) via v0");
	assert_int_equal(ev.type, DHCPLOG_OFFER);
}

/* Bytes no dhcpd writes: unparsed, bounded, no crash. */
static void
test_hostile_bytes(void **state)
{
	struct dhcplog_event ev;
	struct dhcplog_frame f;
	static const char nul[] = "DHCPACK on 10.0.0.1 to 0\0:0c via v0";
	static const char badutf[] = "DHCPACK on 10.0.0.1 to 0 (\xc0\xaf) via v0";
	static const char surrogate[] = "DHCPACK on 10.0.0.1 to 0 (\xed\xa0\x80) via v0";
	static const char goodutf[] = "DHCPACK on 10.0.0.1 to 0 (\xc3\xa9) via v0";
	size_t big = 1 << 20, i;
	char *line;

	assert_int_equal(dhcplog_msg_parse(nul, sizeof(nul) - 1, &ev), -1);
	assert_int_equal(dhcplog_msg_parse(badutf, sizeof(badutf) - 1, &ev), -1);
	assert_int_equal(dhcplog_msg_parse(surrogate, sizeof(surrogate) - 1,
	    &ev), -1);
	assert_int_equal(dhcplog_msg_parse(goodutf, sizeof(goodutf) - 1, &ev), 0);
	/* 1 MB: a valid start, a valid end */
	line = malloc(big);
	assert_non_null(line);
	memset(line, 'a', big);
	memcpy(line, "<27>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from ", 48);
	memcpy(line + big - 14, " via 10.0.0.1", 13);
	line[big - 1] = '\n';
	assert_int_equal(dhcplog_frame_parse(line, big, &f), 0);
	assert_int_equal(dhcplog_msg_parse(f.msg.p, f.msg.len, &ev), -1);
	/* binary: every byte value, at every offset of a real line */
	for (i = 0; i < big; i++)
		line[i] = (char)(i * 7919 % 251);
	(void)dhcplog_frame_parse(line, big, &f);
	assert_int_equal(dhcplog_msg_parse(line, 4096, &ev), -1);
	free(line);
}

static void
test_counts(void **state)
{
	struct dhcplog_counts c, copy;
	struct dhcplog_frame f;
	const char *lines[] = {
	    "<30>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:03:04 "
		"via 10.77.0.2",
	    "<30>Dec  7 06:21:05 dhcpd[1]: DHCPOFFER on 10.77.0.10 to "
		"00:0c:01:02:03:04 via 10.77.0.2",
	    "<27>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:03:05 "
		"via 10.77.0.2: network 10.77.0.0/24: no free leases",
	    "<27>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:03:05 "
		"(x) via 10.77.0.2: network evil: no free leases) via 10.77.0.2",
	    "<27>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:03:05 "
		"via 10.77.0.2: peer holds all free leases",
	    "<27>Dec  7 06:21:05 dhcpd[1]: DHCPDISCOVER from 00:0c:01:02:03:05 "
		"via 10.99.0.1: unknown network segment",
	    "<27>Dec  7 06:21:05 dhcpd[1]: Abandoning IP address 10.77.0.3: "
		"declined.",
	    "<27>Dec  7 06:21:05 dhcpd[1]: Wrote 3 leases to leases file.",
	    "<27>Dec  7 06:21:05 sshd[1]: DHCPNAK on 1.2.3.4 to 0 via v0",
	};
	struct dhcpdconf *conf = NULL;
	char err[DHCPDCONF_ERRLEN];
	const char *msg;
	const char *text = "subnet 10.77.0.0 netmask 255.255.255.0 { range "
	    "10.77.0.10 10.77.0.14; }\nshared-network lab { subnet 10.1.0.0 "
	    "netmask 255.255.0.0 { } }\n";
	size_t i;

	assert_int_equal(dhcpdconf_parse(&conf, "t.conf", text, strlen(text),
	    NULL, err, sizeof(err)), 0);
	dhcplog_counts_init(&c);
	assert_int_equal(dhcplog_counts_declare(&c, conf), 0);
	assert_int_equal(c.nnets, 2);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(dhcplog_frame_parse(lines[i],
		    strlen(lines[i]), &f), 0);
		dhcplog_count_line(&c, &f, conf, 100.0 + (double)i);
	}
	dhcplog_count_line(&c, NULL, conf, 200.0);
	assert_int_equal(c.lines, 10);
	assert_int_equal(c.unparsed, 2);
	assert_int_equal(c.other_program, 1);
	assert_int_equal(c.packets[DHCPLOG_DISCOVER], 5);
	assert_int_equal(c.packets[DHCPLOG_OFFER], 1);
	assert_int_equal(c.packets[DHCPLOG_NAK], 0);
	assert_int_equal(c.abandoned, 1);
	assert_true(c.last_line == 200.0);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES,
	    "10.77.0.0/24"), 1);
	/* the forged "evil" counted nothing */
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, "evil"), 0);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, "other"), 0);
	/* no name in the line: found through the relay and dhcpd.conf */
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_PEER_HOLDS_ALL,
	    "10.77.0.0/24"), 1);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_UNKNOWN_SEGMENT, ""), 1);
	assert_int_equal(c.nnets, 2);
	/* a network dhcpd.conf does not declare: "other" */
	msg = "DHCPDISCOVER from 0 via v0: network nope: no free leases";
	assert_int_equal(dhcplog_count_msg(&c, "dhcpd", 5, msg, strlen(msg),
	    conf, 1.0), DHCPLOG_COUNTED);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, "other"), 1);
	dhcplog_counts_init(&copy);
	assert_int_equal(dhcplog_counts_copy(&copy, &c), 0);
	assert_int_equal(copy.nnets, 3);
	assert_int_equal(dhcplog_failures(&copy, DHCPLOG_NO_FREE_LEASES,
	    "other"), 1);
	dhcplog_counts_free(&copy);
	dhcplog_counts_free(&c);
	dhcpdconf_free(conf);
}

/* Without dhcpd.conf: 256 names, then "other". */
static void
test_cap(void **state)
{
	struct dhcplog_counts c;
	char msg[128], name[32];
	int i, n;

	dhcplog_counts_init(&c);
	for (i = 0; i < 300; i++) {
		n = snprintf(msg, sizeof(msg), "DHCPDISCOVER from 0 via r: "
		    "network n%03d: no free leases", i);
		dhcplog_count_msg(&c, "dhcpd", 5, msg, (size_t)n, NULL, 1.0);
	}
	assert_int_equal(c.nnets, DHCPLOG_MAX_NETWORKS + 1);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, "other"),
	    300 - DHCPLOG_MAX_NETWORKS);
	snprintf(name, sizeof(name), "n%03d", DHCPLOG_MAX_NETWORKS - 1);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, name), 1);
	/* a known name still counts as itself */
	n = snprintf(msg, sizeof(msg), "DHCPDISCOVER from 0 via r: network "
	    "n000: no free leases");
	dhcplog_count_msg(&c, "dhcpd", 5, msg, (size_t)n, NULL, 1.0);
	assert_int_equal(dhcplog_failures(&c, DHCPLOG_NO_FREE_LEASES, "n000"), 2);
	/* a network literally called "other" cannot hide among the others */
	n = snprintf(msg, sizeof(msg), "DHCPDISCOVER from 0 via r: network "
	    "other: no free leases");
	dhcplog_count_msg(&c, "dhcpd", 5, msg, (size_t)n, NULL, 1.0);
	assert_int_equal(c.nnets, DHCPLOG_MAX_NETWORKS + 1);
	dhcplog_counts_free(&c);
}


/* Lines a source delivered, for the source tests. */
struct got {
	int	 n;
	int	 sawn;		/* lines "unread" seen */
	size_t	 longest;
	char	 last[256];
	char	 host[64];
};

static void
got_line(void *arg, const char *line, size_t len, const char *host)
{
	struct got *g = arg;

	g->n++;
	g->sawn += len == 6 && memcmp(line, "unread", 6) == 0;
	if (len > g->longest)
		g->longest = len;
	snprintf(g->last, sizeof(g->last), "%.*s", (int)len, line);
	snprintf(g->host, sizeof(g->host), "%s", host ? host : "");
}

static void
append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* tail -F: start at the end, rename, copytruncate, a file not there yet,
 * an overlong line, the position kept for a reload. */
static void
test_follow(void **state)
{
	char dir[] = "/tmp/test_dhcplog.XXXXXX", path[64], rot[64];
	char err[DHCPLOG_ERRLEN], *big;
	struct dhcplog_follow *fw, *fw2;
	struct dhcplog_pos pos;
	struct got g = { 0 };

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dhcpd.log", dir);
	snprintf(rot, sizeof(rot), "%s/dhcpd.log.1", dir);
	/* not there yet: read from its start once it appears */
	fw = dhcplog_follow_open(path, NULL, err, sizeof(err));
	assert_non_null(fw);
	assert_int_equal(dhcplog_follow_up(fw), 0);
	assert_true(dhcplog_follow_fd(fw) >= 0);
	append(path, "one\ntwo\n");
	assert_int_equal(dhcplog_follow_read(fw, got_line, &g), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(dhcplog_follow_up(fw), 1);
	/* a partial line waits for its newline */
	append(path, "thr");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 2);
	append(path, "ee\n");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.last, "three");
	/* rename rotation: the writer still appends to the old file once */
	assert_int_equal(rename(path, rot), 0);
	append(rot, "late\n");
	append(path, "new1\n");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 5);
	append(rot, "later\n");
	append(path, "new2\n");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 7);
	/* copytruncate */
	assert_int_equal(truncate(path, 0), 0);
	append(path, "t1\n");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 8);
	assert_string_equal(g.last, "t1");
	/* copytruncate with a line written after our last read: it is read
	 * from logrotate's copy (dhcpd.log.1 is the older rename copy, not
	 * it: its bytes before our position differ) */
	append(path, "unread\n");
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "cp %s %s-20261207", path, path);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(truncate(path, 0), 0);
	append(path, "t2\n");
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 10);
	assert_string_equal(g.last, "t2");
	assert_int_equal(g.sawn, 1);
	/* 1 MB without a newline, then a line: one cut line, then that one */
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	append(path, big);
	append(path, big);
	append(path, "\nafter\n");
	free(big);
	g.longest = 0;
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 12);
	assert_int_equal(g.longest, DHCPLOG_MAX_LINE + 1);
	assert_string_equal(g.last, "after");
	/* a reload: the new follower takes the position over */
	append(path, "par");
	dhcplog_follow_read(fw, got_line, &g);
	dhcplog_follow_pos(fw, &pos);
	assert_int_equal(pos.valid, 1);
	dhcplog_follow_close(fw);
	append(path, "tial\n");
	fw2 = dhcplog_follow_open(path, &pos, err, sizeof(err));
	assert_non_null(fw2);
	dhcplog_follow_read(fw2, got_line, &g);
	assert_int_equal(g.n, 13);
	assert_string_equal(g.last, "partial");
	dhcplog_follow_close(fw2);
	/* a fresh start: history is not read again */
	fw = dhcplog_follow_open(path, NULL, err, sizeof(err));
	dhcplog_follow_read(fw, got_line, &g);
	assert_int_equal(g.n, 13);
	dhcplog_follow_close(fw);
	unlink(path);
	unlink(rot);
	{
		char copy[80];

		snprintf(copy, sizeof(copy), "%s-20261207", path);
		unlink(copy);
	}
	rmdir(dir);
	/* a folder that does not exist is an error */
	assert_null(dhcplog_follow_open("/nonexistent/x.log", NULL, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent"));
}

static void
test_syslog_unix(void **state)
{
	char dir[] = "/tmp/test_dhcplog.XXXXXX", path[64], err[DHCPLOG_ERRLEN];
	char url[80];
	struct dhcplog_syslog_opts o = { 0 };
	struct dhcplog_syslog *s;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct got g = { 0 };
	uint64_t refused = 0;
	struct stat st;
	int fd;
	static const char line[] = "<30>Dec  7 06:21:05 dhcpd[1]: hello";

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log.sock", dir);
	snprintf(url, sizeof(url), "unix:%s", path);
	o.url = url;
	o.owner = (uid_t)-1;
	o.group = (gid_t)-1;
	o.mode = 0620;
	s = dhcplog_syslog_open(&o, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0620);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	strcpy(sun.sun_path, path);
	assert_int_equal(sendto(fd, line, sizeof(line) - 1, 0,
	    (struct sockaddr *)&sun, sizeof(sun)), sizeof(line) - 1);
	assert_int_equal(sendto(fd, line, 3, 0, (struct sockaddr *)&sun,
	    sizeof(sun)), 3);
	assert_int_equal(dhcplog_syslog_read(s, got_line, &g, &refused), 2);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.last, "<30");
	close(fd);
	dhcplog_syslog_close(s);
	assert_int_equal(stat(path, &st), -1);	/* removed on close */
	/* a file in the way is not removed */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_null(dhcplog_syslog_open(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "not a socket"));
	unlink(path);
	rmdir(dir);
}

static void
test_syslog_udp(void **state)
{
	struct dhcplog_syslog_opts o = { 0 };
	struct dhcplog_syslog *s;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char err[DHCPLOG_ERRLEN];
	struct got g = { 0 };
	uint64_t refused = 0;
	int fd;

	/* ports of this helper: 19500-19519 */
	o.url = "udp://127.0.0.1:19517";
	o.allow[0] = "127.0.0.2";
	o.nallow = 1;
	s = dhcplog_syslog_open(&o, err, sizeof(err));
	assert_non_null(s);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	sin.sin_port = htons(19517);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	/* from 127.0.0.1: not allowed */
	assert_int_equal(sendto(fd, "x", 1, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), 1);
	usleep(20000);
	assert_int_equal(dhcplog_syslog_read(s, got_line, &g, &refused), 1);
	assert_int_equal(g.n, 0);
	assert_int_equal(refused, 1);
	close(fd);
	/* from 127.0.0.2: allowed, and its address is the source host */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	{
		struct sockaddr_in src = { .sin_family = AF_INET };

		src.sin_addr.s_addr = htonl(0x7f000002);
		assert_int_equal(bind(fd, (struct sockaddr *)&src,
		    sizeof(src)), 0);
	}
	assert_int_equal(sendto(fd, "y", 1, 0, (struct sockaddr *)&sin,
	    sizeof(sin)), 1);
	usleep(20000);
	dhcplog_syslog_read(s, got_line, &g, &refused);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.host, "127.0.0.2");
	close(fd);
	dhcplog_syslog_close(s);
	o.url = "udp://127.0.0.1";
	assert_null(dhcplog_syslog_open(&o, err, sizeof(err)));
	o.url = "tcp://127.0.0.1:1";
	assert_null(dhcplog_syslog_open(&o, err, sizeof(err)));
	o.url = "udp://127.0.0.1:19517";
	o.allow[0] = "nope";
	assert_null(dhcplog_syslog_open(&o, err, sizeof(err)));
	assert_non_null(strstr(err, "nope"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_3164),
		cmocka_unit_test(test_frame_5424),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_forgery),
		cmocka_unit_test(test_hostile_bytes),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_syslog_unix),
		cmocka_unit_test(test_syslog_udp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
