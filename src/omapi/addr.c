/*
 * addr.c: addresses as people write them, one rule for each form, shared
 * by the exporter's configuration, its --web.listen-address flag and
 * omapictl.  Pure: no I/O, no name resolution, no allocation.
 *
 *   IPv4       a strict dotted quad: four decimal numbers 0..255 without
 *              leading zeros (so "010.0.0.1" and "1.2.3" are refused,
 *              not read as octal or as 1.2.0.3 the way inet_aton would)
 *   hex, MAC   bytes as "00:16:3e:0a:0b:0c", "00-16-..." or "00163e...";
 *              a MAC is six of them
 *   host       an IPv4 address, an IPv6 address, or a DNS name: labels of
 *              letters, digits, '-' and '_' joined by dots, at most 253
 *              characters, the last label not all digits (a mistyped IPv4
 *              address is not taken for a name)
 *   HOST:PORT  HOST:PORT or [IPV6]:PORT; the port 1..65535 (port 0, "any
 *              free port", is refused: a scrape target must be known).
 *              Flags allow ":PORT" (every address, for listening) and a
 *              missing port ("HOST", "[IPV6]" or a bare IPv6 address).
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "omapi.h"

#define ADDR_SHOW	64	/* characters of the input quoted in errors */

/* A strict dotted quad of exactly len bytes, to a host-order address. */
int
omapi_parse_ipv4n(const char *s, size_t len, uint32_t *out)
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

/* A strict dotted quad, to four bytes in network order. */
int
omapi_parse_ipv4(const char *s, uint8_t out[4])
{
	uint32_t v;

	if (omapi_parse_ipv4n(s, strlen(s), &v) == -1)
		return -1;
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
	return 0;
}

/* Write a host-order IPv4 address dotted. */
void
omapi_format_ipv4(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Hex bytes, "00:16:3e", "00-16-3e" or "00163e": with separators a byte
 * may be one digit ("0:16:3e"); without, the digits pair up.  1 to max
 * bytes; -1 otherwise.
 */
int
omapi_parse_hex(const char *s, uint8_t *out, size_t max, size_t *outlen)
{
	size_t n = 0;
	int hi, lo, sep = strchr(s, ':') != NULL || strchr(s, '-') != NULL;

	if (*s == '\0')
		return -1;
	while (*s) {
		if (n >= max || (hi = hexval((unsigned char)*s)) < 0)
			return -1;
		s++;
		if (*s && (lo = hexval((unsigned char)*s)) >= 0) {
			hi = hi << 4 | lo;
			s++;
		} else if (!sep)
			return -1;
		out[n++] = (uint8_t)hi;
		if (sep && *s) {
			if ((*s != ':' && *s != '-') || s[1] == '\0')
				return -1;
			s++;
		}
	}
	*outlen = n;
	return 0;
}

/* An Ethernet address: exactly six hex bytes as omapi_parse_hex reads. */
int
omapi_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t b[6];
	size_t n;

	if (omapi_parse_hex(s, b, sizeof(b), &n) == -1 || n != 6)
		return -1;
	memcpy(mac, b, 6);
	return 0;
}

/* A decimal port 1..65535, digits only. */
int
omapi_parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		if ((v = v * 10 + (unsigned long)(s[i] - '0')) > 65535)
			return -1;
	if (i == 0 || s[i] != '\0' || v == 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Whether s[0..len) is a DNS name as the header says. */
static int
addr_name_ok(const char *s, size_t len)
{
	size_t i, label = 0, digits = 0;
	int numeric = 0;	/* the last label ended was all digits */

	if (len == 0 || len > OMAPI_HOST_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			numeric = digits == label;
			label = digits = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
		if (++label > 63)
			return 0;
		digits += s[i] >= '0' && s[i] <= '9';
	}
	/* After a trailing dot (a fully qualified name) the last label is
	 * the one before it. */
	return label == 0 ? !numeric : digits < label;
}

/*
 * Whether s[0..len) is an IPv6 address, with an optional %ZONE (an
 * interface name or number, as getaddrinfo takes it).
 */
static int
addr_ipv6_ok(const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *pct = memchr(s, '%', len);
	uint8_t a[16];
	size_t i, n = pct != NULL ? (size_t)(pct - s) : len;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	if (pct != NULL && (len - n < 2 || len - n > 16))
		return 0;
	for (i = n + 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, a) == 1;
}

/* Whether s[0..len) is an IPv4 address, an IPv6 address or a name. */
static int
addr_host_ok(const char *s, size_t len)
{
	uint32_t v;

	return omapi_parse_ipv4n(s, len, &v) == 0 || addr_ipv6_ok(s, len) ||
	    addr_name_ok(s, len);
}

/* An IPv4 address, an IPv6 address (no brackets) or a DNS name. */
int
omapi_parse_host(const char *s)
{
	return addr_host_ok(s, strlen(s)) ? 0 : -1;
}

/* Copy the host part out; -1 when it does not fit. */
static int
addr_copy(const char *s, size_t n, char *host, size_t hostlen)
{
	if (n >= hostlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

static int
addr_bad(struct omapi_error *err, const char *spec, const char *why)
{
	return omapi_seterr(err, OMAPI_ERR_INVALID, "'%.*s'%s: %s",
	    ADDR_SHOW, spec, strlen(spec) > ADDR_SHOW ? "..." : "", why);
}

/* The port after the host, or none when flags allow it. */
static int
addr_port(const char *spec, const char *p, unsigned flags, uint16_t *port,
    struct omapi_error *err)
{
	if (*p == '\0') {
		if (flags & OMAPI_HOSTPORT_PORT_OPTIONAL)
			return 0;
		return addr_bad(err, spec, "no port (want HOST:PORT)");
	}
	if (*p != ':')
		return addr_bad(err, spec, "expected ':' and a port after "
		    "the host");
	if (omapi_parse_port(p + 1, port) == -1)
		return addr_bad(err, spec, "the port must be a number from 1 "
		    "to 65535");
	return 0;
}

/*
 * Split HOST:PORT (see the header) into host (a string, empty for
 * ":PORT") and *port (left alone when absent).  0, or -1 with why in err.
 */
int
omapi_parse_hostport(const char *spec, unsigned flags, char *host,
    size_t hostlen, uint16_t *port, struct omapi_error *err)
{
	const char *close, *colon;
	size_t n;

	if (spec[0] == '[') {
		if ((close = strchr(spec, ']')) == NULL)
			return addr_bad(err, spec, "no ']' after the IPv6 "
			    "address");
		n = (size_t)(close - spec - 1);
		if (!addr_ipv6_ok(spec + 1, n))
			return addr_bad(err, spec, "brackets must hold an IPv6 "
			    "address");
		if (addr_copy(spec + 1, n, host, hostlen) == -1)
			return addr_bad(err, spec, "address too long");
		return addr_port(spec, close + 1, flags, port, err);
	}
	colon = strchr(spec, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL) {
		if ((flags & OMAPI_HOSTPORT_PORT_OPTIONAL) &&
		    addr_ipv6_ok(spec, strlen(spec)))
			return addr_copy(spec, strlen(spec), host, hostlen) ==
			    -1 ? addr_bad(err, spec, "address too long") : 0;
		return addr_bad(err, spec, "an IPv6 address needs brackets: "
		    "[IPV6]:PORT");
	}
	n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	if (n == 0 && colon != NULL && (flags & OMAPI_HOSTPORT_HOST_OPTIONAL))
		host[0] = '\0';
	else if (n == 0)
		return addr_bad(err, spec, "no host");
	else if (!addr_host_ok(spec, n))
		return addr_bad(err, spec, "the host is not an IP address or a "
		    "host name");
	else if (addr_copy(spec, n, host, hostlen) == -1)
		return addr_bad(err, spec, "host too long");
	return addr_port(spec, spec + n, flags, port, err);
}
