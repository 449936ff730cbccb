/*
 * test_addr.c: the one parser of addresses (src/omapi/addr.c) that the
 * configuration, --web.listen-address and omapictl share: strict IPv4,
 * hex bytes (these tests came from test_attr.c with the parsers) and
 * MACs, ports, host names, and HOST:PORT with each flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "omapi.h"

static void
test_ipv4(void **state)
{
	static const char *const bad[] = { "", "1.2.3", "1.2.3.4.5", "256.0.0.1",
	    "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d",
	    "1.2.3.-4", "1.2.3.4/24", "1234.1.1.1", "0x1.2.3.4", "::1",
	    "localhost" };
	uint8_t ip[4];
	uint32_t v;
	char buf[16];
	size_t i;

	assert_int_equal(omapi_parse_ipv4("10.0.0.5", ip), 0);
	assert_memory_equal(ip, "\x0a\x00\x00\x05", 4);
	assert_int_equal(omapi_parse_ipv4("255.255.255.255", ip), 0);
	assert_int_equal(omapi_parse_ipv4("0.0.0.0", ip), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (omapi_parse_ipv4(bad[i], ip) != -1)
			fail_msg("'%s' accepted", bad[i]);
	/* With a length: the part before a '-' or '/'. */
	assert_int_equal(omapi_parse_ipv4n("10.1.2.3-10.1.2.9", 8, &v), 0);
	assert_int_equal(v, 0x0a010203u);
	assert_int_equal(omapi_parse_ipv4n("10.1.2.3-", 9, &v), -1);
	omapi_format_ipv4(0xc0a80001u, buf, sizeof(buf));
	assert_string_equal(buf, "192.168.0.1");
}

static void
test_parse_hex(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: must fail */
		size_t		 len;
	} t[] = {
		{ "00:16:3e:0a:0b:0c", "\x00\x16\x3e\x0a\x0b\x0c", 6 },
		{ "0:16:3e:0:0:1", "\x00\x16\x3e\x00\x00\x01", 6 },
		{ "00-16-3E-0A-0B-0C", "\x00\x16\x3e\x0a\x0b\x0c", 6 },
		{ "00163e0a0b0c", "\x00\x16\x3e\x0a\x0b\x0c", 6 },
		{ "AbCdEf", "\xab\xcd\xef", 3 },
		{ "1:2", "\x01\x02", 2 },
		{ "f", NULL, 0 },		/* a lone digit is not a byte */
		{ "ff", "\xff", 1 },
		{ "01:00:16:3e:00:00:01", "\x01\x00\x16\x3e\x00\x00\x01", 7 },
		{ "", NULL, 0 },
		{ "abc", NULL, 0 },		/* odd length */
		{ "gg", NULL, 0 },
		{ "0x12", NULL, 0 },
		{ "0:16:", NULL, 0 },
		{ ":0:16", NULL, 0 },
		{ "0::16", NULL, 0 },
		{ "123:4", NULL, 0 },
		{ "00:16 :3e", NULL, 0 },
		{ "00 16", NULL, 0 },
		{ "00:1g", NULL, 0 },
		{ ":", NULL, 0 },
		{ "-", NULL, 0 },
		{ "00:11:22:33:44:55:66:77", NULL, 0 },	/* > max of 7 */
		{ "0011223344556677", NULL, 0 },
	};
	uint8_t out[7];
	size_t i, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		len = 99;
		if (t[i].out == NULL) {
			if (omapi_parse_hex(t[i].in, out, sizeof(out), &len) !=
			    -1)
				fail_msg("'%s' accepted", t[i].in);
			continue;
		}
		if (omapi_parse_hex(t[i].in, out, sizeof(out), &len) != 0)
			fail_msg("'%s' rejected", t[i].in);
		assert_int_equal(len, t[i].len);
		assert_memory_equal(out, t[i].out, len);
	}
	/* Exactly max bytes is fine. */
	assert_int_equal(omapi_parse_hex("00:11:22:33:44:55:66", out, 7, &len),
	    0);
	assert_int_equal(len, 7);
	assert_int_equal(omapi_parse_hex("00", out, 0, &len), -1);
}

/* A MAC is six hex bytes. */
static void
test_mac(void **state)
{
	static const char *const good[] = { "00:16:3e:0a:0b:0c",
	    "00-16-3E-0A-0B-0C", "00163e0a0b0c", "0:16:3e:a:b:c" };
	static const char *const bad[] = { "", "00:16:3e:0a:0b", "00:16:3e:0a:0b:0c:0d",
	    "00:16:3e:0a:0b:0g", "00163e0a0b0", "00:16:3e:0a:0b:", ":00:16:3e:0a:0b",
	    "00::16:3e:0a:0b", "000:16:3e:0a:0b:0c" };
	uint8_t mac[6];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(mac, 0, sizeof(mac));
		if (omapi_parse_mac(good[i], mac) != 0)
			fail_msg("'%s' refused", good[i]);
		assert_memory_equal(mac, "\x00\x16\x3e\x0a\x0b\x0c", 6);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (omapi_parse_mac(bad[i], mac) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

static void
test_port(void **state)
{
	static const char *const bad[] = { "", "0", "65536", "-1", "+80", " 80",
	    "80 ", "80x", "0x50", "99999999999999999999" };
	uint16_t port;
	size_t i;

	assert_int_equal(omapi_parse_port("1", &port), 0);
	assert_int_equal(port, 1);
	assert_int_equal(omapi_parse_port("65535", &port), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(omapi_parse_port("09367", &port), 0);
	assert_int_equal(port, 9367);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (omapi_parse_port(bad[i], &port) != -1)
			fail_msg("'%s' accepted", bad[i]);
}

static void
test_host(void **state)
{
	static const char *const good[] = { "localhost", "dhcp1.example.org",
	    "dhcp1.example.org.", "a", "a-b_c", "10.0.0.1", "::1",
	    "2001:db8::7", "fe80::1%eth0", "fe80::1%2", "1a", "x.1a" };
	static const char *const bad[] = { "", "*", "a b", "a..b", ".a",
	    "10.0.0", "10.0.0.256", "1.2.3.4.", "300", "a/b", "[::1]", "a:b",
	    "fe80::1%", "fe80::1%e th0", "x.123" };
	char big[300];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (omapi_parse_host(good[i]) != 0)
			fail_msg("'%s' refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (omapi_parse_host(bad[i]) != -1)
			fail_msg("'%s' accepted", bad[i]);
	memset(big, 'a', sizeof(big));
	big[64] = '\0';		/* a label of 64 */
	assert_int_equal(omapi_parse_host(big), -1);
	for (i = 0; i < 254; i += 2)
		big[i] = 'a', big[i + 1] = '.';
	big[254] = '\0';	/* 254 characters */
	assert_int_equal(omapi_parse_host(big), -1);
	big[253] = '\0';	/* 253: the most a name may have */
	assert_int_equal(omapi_parse_host(big), 0);
}

struct hp {
	const char	*in;
	unsigned	 flags;
	const char	*host;		/* NULL: refused */
	uint16_t	 port;		/* 7 when absent */
	const char	*why;		/* part of the message */
};

#define L	OMAPI_HOSTPORT_HOST_OPTIONAL	/* listen */
#define C	OMAPI_HOSTPORT_PORT_OPTIONAL	/* omapictl -s */

static void
test_hostport(void **state)
{
	static const struct hp t[] = {
		{ "127.0.0.1:9367", L, "127.0.0.1", 9367, NULL },
		{ ":9367", L, "", 9367, NULL },
		{ "[::1]:9367", L, "::1", 9367, NULL },
		{ "localhost:80", L, "localhost", 80, NULL },
		{ ":9367", 0, NULL, 0, "no host" },
		{ ":9367", C, NULL, 0, "no host" },
		{ "*:9367", L, NULL, 0, "not an IP address or a host name" },
		{ "[127.0.0.1]:9367", L, NULL, 0, "must hold an IPv6" },
		{ ":0", L, NULL, 0, "from 1 to 65535" },
		{ "h:0", L, NULL, 0, "from 1 to 65535" },
		{ "h:65536", L, NULL, 0, "from 1 to 65535" },
		{ "h:", L, NULL, 0, "from 1 to 65535" },
		{ "9367", L, NULL, 0, NULL },
		{ "h", L, NULL, 0, "no port" },
		{ "", L, NULL, 0, "no host" },
		{ "::1:80", L, NULL, 0, "needs brackets" },
		{ "[::1]80", L, NULL, 0, "expected ':'" },
		{ "[::1", L, NULL, 0, "no ']'" },
		{ "[]:80", L, NULL, 0, "must hold an IPv6" },
		{ "garbage", L, NULL, 0, "no port" },
		/* omapictl -s: the port may be left out, bare IPv6 too. */
		{ "dhcp1", C, "dhcp1", 7, NULL },
		{ "dhcp1:7911", C, "dhcp1", 7911, NULL },
		{ "[::1]", C, "::1", 7, NULL },
		{ "[::1]:7912", C, "::1", 7912, NULL },
		{ "::1", C, "::1", 7, NULL },
		{ "fe80::1%eth0", C, "fe80::1%eth0", 7, NULL },
		{ "::1", L, NULL, 0, "needs brackets" },
		{ "dhcp1:0", C, NULL, 0, "from 1 to 65535" },
		{ "a b:80", C, NULL, 0, "not an IP address" },
	};
	struct omapi_error err;
	char host[OMAPI_HOST_MAX + 1];
	uint16_t port;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		port = 7;
		memset(&err, 0, sizeof(err));
		rc = omapi_parse_hostport(t[i].in, t[i].flags, host,
		    sizeof(host), &port, &err);
		if (t[i].host != NULL && (rc != 0 ||
		    strcmp(host, t[i].host) != 0 || port != t[i].port))
			fail_msg("'%s' (flags %u): rc %d host '%s' port %u: %s",
			    t[i].in, t[i].flags, rc, host, port, err.text);
		if (t[i].host == NULL && rc != -1)
			fail_msg("'%s' (flags %u) accepted", t[i].in,
			    t[i].flags);
		if (t[i].why != NULL && strstr(err.text, t[i].why) == NULL)
			fail_msg("'%s': '%s' does not say '%s'", t[i].in,
			    err.text, t[i].why);
	}
	/* A host that does not fit the caller's buffer is refused. */
	assert_int_equal(omapi_parse_hostport("abcdefgh:80", L, host, 8, &port,
	    &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_hostport),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
