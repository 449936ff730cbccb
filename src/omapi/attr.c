/*
 * attr.c: attribute values as people and programs want them: binding
 * states by name, dotted addresses, colon MACs, epoch seconds.  The raw
 * bytes stay available to anyone who wants them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "omapi.h"

static const char *const lease_states[OMAPI_LEASE_NSTATES] = {
	[OMAPI_LEASE_FREE] = "free",
	[OMAPI_LEASE_ACTIVE] = "active",
	[OMAPI_LEASE_EXPIRED] = "expired",
	[OMAPI_LEASE_RELEASED] = "released",
	[OMAPI_LEASE_ABANDONED] = "abandoned",
	[OMAPI_LEASE_RESET] = "reset",
	[OMAPI_LEASE_BACKUP] = "backup",
};

/* The name of a binding state, or NULL for a value dhcpd does not use. */
const char *
omapi_lease_state_name(uint32_t s)
{
	return s < OMAPI_LEASE_NSTATES ? lease_states[s] : NULL;
}

int
omapi_lease_state_parse(const char *name, uint32_t *out)
{
	uint32_t s;

	for (s = 1; s < OMAPI_LEASE_NSTATES; s++)
		if (strcmp(name, lease_states[s]) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

/* Failover states as dhcpd numbers them (includes/failover.h). */
const char *
omapi_failover_state_name(uint32_t s)
{
	static const char *const names[] = {
		"unknown-state", "startup", "normal",
		"communications-interrupted", "partner-down",
		"potential-conflict", "recover", "paused", "shutdown",
		"recover-done", "resolution-interrupted", "conflict-done",
	};

	if (s < sizeof(names) / sizeof(names[0]))
		return names[s];
	if (s == 254)
		return "recover-wait";
	return NULL;
}

struct attr_rule {
	const char		*name;
	enum omapi_attr_kind	 kind;
	uint32_t		 len;	/* required length, 0: any */
};

static const struct attr_rule rules[] = {
	{ "ip-address", OMAPI_ATTR_IPV4, 4 },
	{ "hardware-address", OMAPI_ATTR_MAC, 0 },
	{ "state", OMAPI_ATTR_STATE, 4 },
	{ "local-state", OMAPI_ATTR_FAILOVER_STATE, 4 },
	{ "partner-state", OMAPI_ATTR_FAILOVER_STATE, 4 },
	{ "starts", OMAPI_ATTR_TIME, 4 },
	{ "ends", OMAPI_ATTR_TIME, 4 },
	{ "tstp", OMAPI_ATTR_TIME, 4 },
	{ "tsfp", OMAPI_ATTR_TIME, 4 },
	{ "atsfp", OMAPI_ATTR_TIME, 4 },
	{ "cltt", OMAPI_ATTR_TIME, 4 },
	{ "local-stos", OMAPI_ATTR_TIME, 4 },
	{ "partner-stos", OMAPI_ATTR_TIME, 4 },
	{ "subnet", OMAPI_ATTR_HANDLE, 4 },
	{ "pool", OMAPI_ATTR_HANDLE, 4 },
	{ "host", OMAPI_ATTR_HANDLE, 4 },
	{ "billing-class", OMAPI_ATTR_HANDLE, 4 },
	{ "flags", OMAPI_ATTR_FLAGS, 1 },
	{ "uid", OMAPI_ATTR_BYTES, 0 },
	{ "dhcp-client-identifier", OMAPI_ATTR_BYTES, 0 },
	{ "client-hostname", OMAPI_ATTR_STRING, 0 },
	{ "name", OMAPI_ATTR_STRING, 0 },
	{ "statements", OMAPI_ATTR_STRING, 0 },
};

/*
 * Length of the multi-byte UTF-8 sequence at v, of at most left bytes
 * (shortest form only, no surrogates), or 0.
 */
uint32_t
omapi_utf8_seq(const uint8_t *v, uint32_t left)
{
	uint32_t n, i, cp;

	if (v[0] < 0xc2 || v[0] > 0xf4)
		return 0;
	n = v[0] < 0xe0 ? 2 : v[0] < 0xf0 ? 3 : 4;
	if (n > left)
		return 0;
	cp = v[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((v[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (v[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/*
 * Text that is safe and useful to show as a string: printable ASCII and
 * valid UTF-8 (client hostnames need not be ASCII), no control bytes.
 */
static int
is_text(const uint8_t *v, uint32_t len)
{
	uint32_t i, n;

	for (i = 0; i < len; i += n) {
		if (v[i] < 0x80) {
			if (!isprint(v[i]))
				return 0;
			n = 1;
		} else if ((n = omapi_utf8_seq(v + i, len - i)) == 0)
			return 0;
	}
	return 1;
}

/*
 * How to show an attribute.  Known names have a fixed kind when their
 * length fits; any other 4-byte value is a u32 (dhcpd's integers and
 * handles), and the rest is a string when it is printable, else hex.
 */
enum omapi_attr_kind
omapi_attr_kind(const char *name, size_t namelen, uint32_t len)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strlen(rules[i].name) != namelen ||
		    memcmp(rules[i].name, name, namelen) != 0)
			continue;
		if (rules[i].len == 0 || rules[i].len == len)
			return rules[i].kind;
		break;
	}
	if (len == 4)
		return OMAPI_ATTR_U32;
	return OMAPI_ATTR_STRING;	/* decided by content in format */
}

/* Hex bytes joined by colons. */
static int
format_hex(const uint8_t *v, uint32_t len, int quote, char *out,
    size_t outlen)
{
	size_t need = (size_t)len * 3 + 3, off = 0;
	uint32_t i;

	if (outlen < need)
		return -1;
	if (quote)
		out[off++] = '"';
	for (i = 0; i < len; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%02x",
		    i ? ":" : "", v[i]);
	if (quote)
		out[off++] = '"';
	out[off] = '\0';
	return 0;
}

/* A string, JSON-escaped when json is set. */
static int
format_string(const uint8_t *v, uint32_t len, int json, char *out,
    size_t outlen)
{
	size_t off = 0;
	uint32_t i;
	int n;

	if (!json) {
		if ((size_t)len + 1 > outlen)
			return -1;
		memcpy(out, v, len);
		out[len] = '\0';
		return 0;
	}
	if (outlen < 3)
		return -1;
	out[off++] = '"';
	for (i = 0; i < len; i++) {
		if (outlen - off < 8)
			return -1;
		if (v[i] == '"' || v[i] == '\\')
			n = snprintf(out + off, outlen - off, "\\%c", v[i]);
		else if (v[i] < 0x20 || v[i] == 0x7f)
			n = snprintf(out + off, outlen - off, "\\u%04x", v[i]);
		else
			n = snprintf(out + off, outlen - off, "%c", v[i]);
		off += (size_t)n;
	}
	out[off++] = '"';
	out[off] = '\0';
	return 0;
}

/* A name that must be quoted in JSON (state names and the like). */
static int
format_name(const char *name, int json, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, json ? "\"%s\"" : "%s", name);

	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int
format_u32(uint32_t v, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%u", v);

	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/*
 * Write a pair's value as text (json: as a JSON value) into out.
 * 0, or -1 when out is too small.
 */
int
omapi_attr_format(const struct omapi_pair *p, int json, char *out,
    size_t outlen)
{
	const char *name;
	char ip[INET_ADDRSTRLEN];

	switch (omapi_attr_kind((const char *)p->name, p->namelen, p->len)) {
	case OMAPI_ATTR_IPV4:
		inet_ntop(AF_INET, p->value, ip, sizeof(ip));
		return format_name(ip, json, out, outlen);
	case OMAPI_ATTR_MAC:
	case OMAPI_ATTR_BYTES:
		return format_hex(p->value, p->len, json, out, outlen);
	case OMAPI_ATTR_STATE:
		if ((name = omapi_lease_state_name(omapi_get_u32(p->value))) != NULL)
			return format_name(name, json, out, outlen);
		return format_u32(omapi_get_u32(p->value), out, outlen);
	case OMAPI_ATTR_FAILOVER_STATE:
		name = omapi_failover_state_name(omapi_get_u32(p->value));
		if (name != NULL)
			return format_name(name, json, out, outlen);
		return format_u32(omapi_get_u32(p->value), out, outlen);
	case OMAPI_ATTR_TIME:
	case OMAPI_ATTR_U32:
	case OMAPI_ATTR_HANDLE:
		return format_u32(omapi_get_u32(p->value), out, outlen);
	case OMAPI_ATTR_FLAGS:
		return format_u32(p->value[0], out, outlen);
	case OMAPI_ATTR_STRING:
		break;
	}
	if (!is_text(p->value, p->len))
		return format_hex(p->value, p->len, json, out, outlen);
	return format_string(p->value, p->len, json, out, outlen);
}

/* Fill the lease fields the exporter needs from a reply's object list. */
int
omapi_lease_decode(const struct omapi_list *l, struct omapi_lease *out)
{
	struct omapi_pair p;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (omapi_list_next(l, &pos, &p) == 1) {
		const char *n = (const char *)p.name;

#define IS(s)	(p.namelen == sizeof(s) - 1 && memcmp(n, s, p.namelen) == 0)
		if (p.len == 4 && IS("ip-address"))
			memcpy(out->ip, p.value, 4);
		else if (p.len == 4 && IS("state"))
			out->state = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("ends"))
			out->ends = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("starts"))
			out->starts = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("cltt"))
			out->cltt = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("pool"))
			out->pool = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("subnet"))
			out->subnet = omapi_get_u32(p.value);
		else if (p.len == 4 && IS("hardware-type"))
			out->htype = omapi_get_u32(p.value);
		else if (p.len == 1 && IS("flags"))
			out->flags = p.value[0];
		else if (p.len <= sizeof(out->hw) && IS("hardware-address")) {
			memcpy(out->hw, p.value, p.len);
			out->hwlen = (uint8_t)p.len;
		} else if (IS("client-hostname")) {
			out->hostname = p.value;
			out->hostnamelen = p.len;
		}
#undef IS
	}
	return out->state == 0 ? -1 : 0;
}
