/*
 * test_attr.c: typed views of attributes: state names, attribute kinds,
 * text and JSON formatting, the lease decoder, address and hex parsing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "omapi.h"

static void
test_lease_state_names(void **state)
{
	static const char *const names[] = { NULL, "free", "active",
	    "expired", "released", "abandoned", "reset", "backup" };
	uint32_t s, v;

	for (s = 1; s < OMAPI_LEASE_NSTATES; s++) {
		assert_string_equal(omapi_lease_state_name(s), names[s]);
		assert_int_equal(omapi_lease_state_parse(names[s], &v), 0);
		assert_int_equal(v, s);
	}
	assert_int_equal(OMAPI_LEASE_NSTATES, 8);
	assert_int_equal(OMAPI_LEASE_ACTIVE, 2);
	assert_int_equal(OMAPI_LEASE_BACKUP, 7);
	assert_null(omapi_lease_state_name(0));
	assert_null(omapi_lease_state_name(8));
	assert_null(omapi_lease_state_name(9));
	assert_null(omapi_lease_state_name(0xffffffffu));
	v = 42;
	assert_int_equal(omapi_lease_state_parse("bogus", &v), -1);
	assert_int_equal(omapi_lease_state_parse("", &v), -1);
	assert_int_equal(omapi_lease_state_parse("Active", &v), -1);
	assert_int_equal(omapi_lease_state_parse("active ", &v), -1);
	assert_int_equal(omapi_lease_state_parse("bootp", &v), -1);
	assert_int_equal(v, 42);
}

/* includes/failover.h of ISC DHCP 4.4. */
static void
test_failover_state_names(void **state)
{
	static const char *const names[] = { "unknown-state", "startup",
	    "normal", "communications-interrupted", "partner-down",
	    "potential-conflict", "recover", "paused", "shutdown",
	    "recover-done", "resolution-interrupted", "conflict-done" };
	uint32_t s;

	for (s = 0; s < 12; s++)
		assert_string_equal(omapi_failover_state_name(s), names[s]);
	assert_string_equal(omapi_failover_state_name(254), "recover-wait");
	assert_null(omapi_failover_state_name(12));
	assert_null(omapi_failover_state_name(253));
	assert_null(omapi_failover_state_name(255));
	assert_null(omapi_failover_state_name(0xffffffffu));
}

static enum omapi_attr_kind
kind(const char *name, uint32_t len)
{
	return omapi_attr_kind(name, strlen(name), len);
}

static void
test_attr_kinds(void **state)
{
	assert_int_equal(kind("ip-address", 4), OMAPI_ATTR_IPV4);
	assert_int_equal(kind("ip-address", 16), OMAPI_ATTR_STRING);
	assert_int_equal(kind("hardware-address", 6), OMAPI_ATTR_MAC);
	assert_int_equal(kind("hardware-address", 0), OMAPI_ATTR_MAC);
	assert_int_equal(kind("hardware-address", 20), OMAPI_ATTR_MAC);
	assert_int_equal(kind("state", 4), OMAPI_ATTR_STATE);
	assert_int_equal(kind("state", 1), OMAPI_ATTR_STRING);
	assert_int_equal(kind("local-state", 4), OMAPI_ATTR_FAILOVER_STATE);
	assert_int_equal(kind("partner-state", 4), OMAPI_ATTR_FAILOVER_STATE);
	assert_int_equal(kind("starts", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("ends", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("tstp", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("tsfp", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("atsfp", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("cltt", 4), OMAPI_ATTR_TIME);
	assert_int_equal(kind("ends", 8), OMAPI_ATTR_STRING);
	assert_int_equal(kind("subnet", 4), OMAPI_ATTR_HANDLE);
	assert_int_equal(kind("pool", 4), OMAPI_ATTR_HANDLE);
	assert_int_equal(kind("host", 4), OMAPI_ATTR_HANDLE);
	assert_int_equal(kind("billing-class", 4), OMAPI_ATTR_HANDLE);
	assert_int_equal(kind("flags", 1), OMAPI_ATTR_FLAGS);
	assert_int_equal(kind("flags", 4), OMAPI_ATTR_U32);
	assert_int_equal(kind("uid", 7), OMAPI_ATTR_BYTES);
	assert_int_equal(kind("dhcp-client-identifier", 7), OMAPI_ATTR_BYTES);
	assert_int_equal(kind("client-hostname", 6), OMAPI_ATTR_STRING);
	assert_int_equal(kind("name", 4), OMAPI_ATTR_STRING);
	assert_int_equal(kind("statements", 40), OMAPI_ATTR_STRING);
	assert_int_equal(kind("lease-count", 4), OMAPI_ATTR_U32);
	assert_int_equal(kind("hardware-type", 4), OMAPI_ATTR_U32);
	assert_int_equal(kind("whatever", 4), OMAPI_ATTR_U32);
	assert_int_equal(kind("whatever", 3), OMAPI_ATTR_STRING);
	/* Names are compared with their length, not up to a NUL. */
	assert_int_equal(omapi_attr_kind("ip-address-x", 10, 4),
	    OMAPI_ATTR_IPV4);
	assert_int_equal(omapi_attr_kind("ip-addres", 9, 4), OMAPI_ATTR_U32);
	assert_int_equal(omapi_attr_kind("", 0, 4), OMAPI_ATTR_U32);
}

struct fmt_case {
	const char	*name;
	const char	*value;
	uint32_t	 len;
	const char	*text;
	const char	*json;
};

static const struct fmt_case fmt_cases[] = {
	{ "ip-address", "\x0a\x00\x00\x05", 4, "10.0.0.5", "\"10.0.0.5\"" },
	{ "ip-address", "\xff\xff\xff\xff", 4, "255.255.255.255",
	    "\"255.255.255.255\"" },
	{ "hardware-address", "\x00\x16\x3e\x00\x00\x01", 6,
	    "00:16:3e:00:00:01", "\"00:16:3e:00:00:01\"" },
	{ "hardware-address", "\xAB", 1, "ab", "\"ab\"" },
	{ "hardware-address", "", 0, "", "\"\"" },
	{ "uid", "\x01\x00\x16\x3e", 4, "01:00:16:3e", "\"01:00:16:3e\"" },
	{ "state", "\0\0\0\2", 4, "active", "\"active\"" },
	{ "state", "\0\0\0\1", 4, "free", "\"free\"" },
	{ "state", "\0\0\0\7", 4, "backup", "\"backup\"" },
	{ "state", "\0\0\0\x63", 4, "99", "99" },
	{ "state", "\0\0\0\0", 4, "0", "0" },
	{ "local-state", "\0\0\0\2", 4, "normal", "\"normal\"" },
	{ "partner-state", "\0\0\0\xfe", 4, "recover-wait",
	    "\"recover-wait\"" },
	{ "partner-state", "\0\0\0\x64", 4, "100", "100" },
	{ "ends", "\x65\x53\xf1\x00", 4, "1700000000", "1700000000" },
	{ "cltt", "\xff\xff\xff\xff", 4, "4294967295", "4294967295" },
	{ "pool", "\0\0\0\x0c", 4, "12", "12" },
	{ "flags", "\x04", 1, "4", "4" },
	{ "lease-count", "\0\0\x4e\x20", 4, "20000", "20000" },
	{ "client-hostname", "laptop-7", 8, "laptop-7", "\"laptop-7\"" },
	{ "client-hostname", "", 0, "", "\"\"" },
	{ "client-hostname", "a\"b\\c", 5, "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ "name", "<host> & 'x'", 12, "<host> & 'x'", "\"<host> & 'x'\"" },
	{ "statements", "ddns-hostname \"h\";", 18, "ddns-hostname \"h\";",
	    "\"ddns-hostname \\\"h\\\";\"" },
	/* Not printable: shown as hex, in JSON as a hex string. */
	{ "client-hostname", "a\nb", 3, "61:0a:62", "\"61:0a:62\"" },
	{ "client-hostname", "tab\there", 8, "74:61:62:09:68:65:72:65",
	    "\"74:61:62:09:68:65:72:65\"" },
	{ "client-hostname", "\x7f", 1, "7f", "\"7f\"" },
	/* Valid UTF-8 is text (hostnames need not be ASCII)... */
	{ "client-hostname", "\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9",
	    "\"\xc3\xa9t\xc3\xa9\"" },
	{ "client-hostname", "\xe2\x82\xac\xf0\x9f\x98\x80", 7,
	    "\xe2\x82\xac\xf0\x9f\x98\x80",
	    "\"\xe2\x82\xac\xf0\x9f\x98\x80\"" },
	/* ...invalid UTF-8 is not: truncated, overlong, surrogate, > U+10FFFF */
	{ "client-hostname", "a\xc3", 2, "61:c3", "\"61:c3\"" },
	{ "client-hostname", "\xc0\xaf", 2, "c0:af", "\"c0:af\"" },
	{ "client-hostname", "\xe0\x80\xaf", 3, "e0:80:af", "\"e0:80:af\"" },
	{ "client-hostname", "\xed\xa0\x80", 3, "ed:a0:80", "\"ed:a0:80\"" },
	{ "client-hostname", "\xf4\x90\x80\x80", 4, "f4:90:80:80",
	    "\"f4:90:80:80\"" },
	{ "client-hostname", "\xe2\x82x", 3, "e2:82:78", "\"e2:82:78\"" },
	{ "client-hostname", "nul\0", 4, "6e:75:6c:00", "\"6e:75:6c:00\"" },
	{ "whatever", "nul\0", 4, "1853189120", "1853189120" },
	{ "whatever", "x\0y", 3, "78:00:79", "\"78:00:79\"" },
	/* A known name with the wrong length falls back to content. */
	{ "ip-address", "abcdef", 6, "abcdef", "\"abcdef\"" },
	{ "state", "\x02", 1, "02", "\"02\"" },
};

/* Format into a heap buffer of exactly outlen bytes (ASan checks writes). */
static int
format_into(const struct omapi_pair *p, int json, size_t outlen, char *copy)
{
	char *out = malloc(outlen ? outlen : 1);
	int rc;

	assert_non_null(out);
	rc = omapi_attr_format(p, json, out, outlen);
	if (rc == 0) {
		assert_true(strlen(out) < outlen);
		strcpy(copy, out);
	}
	free(out);
	return rc;
}

static void
test_attr_format(void **state)
{
	const struct fmt_case *c;
	struct omapi_pair p;
	char got[512];
	size_t i, n;
	int json, ok;

	for (i = 0; i < sizeof(fmt_cases) / sizeof(fmt_cases[0]); i++) {
		c = &fmt_cases[i];
		p.name = (const uint8_t *)c->name;
		p.namelen = (uint16_t)strlen(c->name);
		p.value = (const uint8_t *)c->value;
		p.len = c->len;
		for (json = 0; json < 2; json++) {
			assert_int_equal(format_into(&p, json, 512, got), 0);
			if (strcmp(got, json ? c->json : c->text) != 0)
				fail_msg("%s (case %zu, json %d): got '%s'",
				    c->name, i, json, got);
			/* Too small is -1; once it fits it keeps fitting. */
			ok = 0;
			for (n = 0; n < 64; n++) {
				if (format_into(&p, json, n, got) == 0) {
					assert_string_equal(got,
					    json ? c->json : c->text);
					ok = 1;
				} else
					assert_false(ok);
			}
			assert_true(strlen(json ? c->json : c->text) < 40);
			assert_true(ok);
		}
	}
}

/* A long value never writes past the buffer, whatever its size. */
static void
test_attr_format_long(void **state)
{
	uint8_t v[300];
	struct omapi_pair p;
	char got[2048];
	size_t n;
	int kindsel, json;
	static const char *const names[] = { "uid", "client-hostname",
	    "whatever" };

	for (kindsel = 0; kindsel < 3; kindsel++) {
		for (n = 0; n < sizeof(v); n++)
			v[n] = kindsel == 1 ? (uint8_t)(n % 2 ? '"' : '\\') :
			    (uint8_t)n;
		p.name = (const uint8_t *)names[kindsel];
		p.namelen = (uint16_t)strlen(names[kindsel]);
		p.value = v;
		p.len = sizeof(v);
		for (json = 0; json < 2; json++) {
			for (n = 0; n < 1000; n += 7)
				format_into(&p, json, n, got);
			assert_int_equal(format_into(&p, json, sizeof(got),
			    got), 0);
			/* hex: 3 per byte less a colon; escaped: 2 each */
			assert_int_equal(strlen(got), kindsel == 1 ?
			    (json ? 602 : 300) : (json ? 901 : 899));
		}
	}
}

/* Build a list with our encoder and return it through m (views into b). */
static void
make_list(struct omapi_buf *b, const struct omapi_nv *nv, size_t n,
    struct omapi_msg *m)
{
	struct omapi_request req = { OMAPI_OP_UPDATE, 1, 1, NULL, 0, nv, n };
	struct omapi_error err;

	omapi_buf_init(b, 4096);
	assert_int_equal(omapi_msg_encode(b, &req, 0, 0, 1, &err), 0);
	assert_int_equal(omapi_msg_decode(b->data, b->len, 4096, m, &err), 1);
}

static void
test_lease_decode(void **state)
{
	static const uint8_t hw[6] = { 0, 0x16, 0x3e, 0, 0, 1 };
	static const uint8_t hw20[20] = { 1 };
	struct omapi_nv nv[] = {
		{ "state", "\0\0\0\5", 4 },
		{ "ip-address", "\x0a\x01\x02\x03", 4 },
		{ "hardware-address", hw, 6 },
		{ "hardware-type", "\0\0\0\1", 4 },
		{ "starts", "\0\0\0\x10", 4 },
		{ "ends", "\0\0\0\x20", 4 },
		{ "cltt", "\0\0\0\x30", 4 },
		{ "pool", "\0\0\0\x0c", 4 },
		{ "subnet", "\0\0\0\x0b", 4 },
		{ "flags", "\x04", 1 },
		{ "client-hostname", "x", 1 },
		{ "unknown-thing", "whatever", 8 },
	};
	struct omapi_nv bad[] = {
		{ "state", "\2", 1 },
		{ "ip-address", "\x0a\x01\x02", 3 },
		{ "hardware-address", hw20, 20 },
		{ "ends", "\0\0\0\0\0\0\0\x20", 8 },
		{ "flags", "\0\0\0\4", 4 },
	};
	struct omapi_buf b;
	struct omapi_msg m;
	struct omapi_lease l;
	static const uint8_t zero4[4];

	make_list(&b, nv, sizeof(nv) / sizeof(nv[0]), &m);
	assert_int_equal(omapi_lease_decode(&m.object, &l), 0);
	assert_int_equal(l.state, OMAPI_LEASE_ABANDONED);
	assert_memory_equal(l.ip, "\x0a\x01\x02\x03", 4);
	assert_int_equal(l.hwlen, 6);
	assert_memory_equal(l.hw, hw, 6);
	assert_int_equal(l.htype, 1);
	assert_int_equal(l.starts, 0x10);
	assert_int_equal(l.ends, 0x20);
	assert_int_equal(l.cltt, 0x30);
	assert_int_equal(l.pool, 0x0c);
	assert_int_equal(l.subnet, 0x0b);
	assert_int_equal(l.flags, 4);
	assert_int_equal(l.hostnamelen, 1);
	assert_memory_equal(l.hostname, "x", 1);
	omapi_buf_free(&b);

	/* Wrong lengths are ignored; without a state it is no lease. */
	make_list(&b, bad, sizeof(bad) / sizeof(bad[0]), &m);
	memset(&l, 0xee, sizeof(l));
	assert_int_equal(omapi_lease_decode(&m.object, &l), -1);
	assert_int_equal(l.state, 0);
	assert_memory_equal(l.ip, zero4, 4);
	assert_int_equal(l.hwlen, 0);
	assert_int_equal(l.ends, 0);
	assert_int_equal(l.flags, 0);
	omapi_buf_free(&b);

	make_list(&b, NULL, 0, &m);
	assert_int_equal(omapi_lease_decode(&m.object, &l), -1);
	omapi_buf_free(&b);

	/* A 16-byte hardware address (the most there is room for) fits. */
	bad[2].len = 16;
	make_list(&b, &bad[2], 1, &m);
	assert_int_equal(omapi_lease_decode(&m.object, &l), -1);
	assert_int_equal(l.hwlen, 16);
	omapi_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_state_names),
		cmocka_unit_test(test_failover_state_names),
		cmocka_unit_test(test_attr_kinds),
		cmocka_unit_test(test_attr_format),
		cmocka_unit_test(test_attr_format_long),
		cmocka_unit_test(test_lease_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
