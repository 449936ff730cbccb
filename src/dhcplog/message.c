/*
 * message.c: one dhcpd message as an event.  The formats are those of
 * isc-dhcp 4.4 server/dhcp.c and server/mdb.c:
 *
 *   DHCPDISCOVER from MAC [(HOST) ]via RELAY[: SUFFIX]
 *     SUFFIX "network NET: no free leases"        dhcpdiscover(), log_error
 *            "peer holds all free leases"         dhcpdiscover(), log_error
 *   DHCPDISCOVER from MAC via RELAY: unknown network segment   dhcp()
 *   DHCPREQUEST for IP [(SERVER)] from MAC [(HOST) ]via RELAY[: SUFFIX]
 *   DHCPDECLINE of IP from MAC [(HOST) ]via RELAY: STATUS
 *   DHCPRELEASE of IP from MAC [(HOST) ]via RELAY (found|not found)
 *   DHCPINFORM from IP via RELAY[: SUFFIX]
 *   DHCPOFFER on IP to MAC [(HOST) ]via RELAY
 *   DHCPACK on IP to MAC [(HOST) ]via RELAY
 *   DHCPACK to IP (MAC) via RELAY                 dhcpinform()'s reply
 *   DHCPNAK on IP to MAC via RELAY
 *   Abandoning IP address IP: REASON              mdb.c abandon_lease()
 *
 * HOST is the client's option 12, printed as sent (db_printable, at most 64
 * bytes): it may contain "via", ":" and ")".  It is always followed by
 * dhcpd's own ") via RELAY", so the end of the line is dhcpd's: refusals
 * and the network name are read from the end, the packet type from the
 * start, and nothing in between is used.  RELAY is giaddr or an interface
 * name: one word without spaces.
 */
#include <string.h>

#include "dl_int.h"

static const struct {
	const char		*prefix;
	enum dhcplog_type	 type;
} prefixes[] = {
	{ "DHCPDISCOVER from ", DHCPLOG_DISCOVER },
	{ "DHCPREQUEST for ", DHCPLOG_REQUEST },
	{ "DHCPDECLINE of ", DHCPLOG_DECLINE },
	{ "DHCPDECLINE from ", DHCPLOG_DECLINE },	/* bad_packet */
	{ "DHCPRELEASE of ", DHCPLOG_RELEASE },
	{ "DHCPRELEASE from ", DHCPLOG_RELEASE },	/* bad_packet */
	{ "DHCPINFORM from ", DHCPLOG_INFORM },
	{ "DHCPOFFER on ", DHCPLOG_OFFER },
	{ "DHCPACK on ", DHCPLOG_ACK },
	{ "DHCPACK to ", DHCPLOG_ACK },
	{ "DHCPNAK on ", DHCPLOG_NAK },
};

static const char *type_names[DHCPLOG_NTYPES] = {
	"discover", "request", "decline", "release", "inform",
	"offer", "ack", "nak"
};

static const char *reason_names[DHCPLOG_NREASONS] = {
	"no_free_leases", "peer_holds_all_free_leases",
	"unknown_network_segment"
};

const char *
dhcplog_type_name(enum dhcplog_type t)
{
	return t < DHCPLOG_NTYPES ? type_names[t] : "";
}

const char *
dhcplog_reason_name(enum dhcplog_reason r)
{
	return r < DHCPLOG_NREASONS ? reason_names[r] : "";
}

/*
 * s[0..n) must end with " via WORD": WORD is the relay.  0 and the relay,
 * or -1.
 */
static int
via_at_end(const char *s, size_t n, struct dhcplog_str *relay)
{
	size_t at = dl_rfind(s, n, " via "), i;

	if (at == DL_NPOS || at + 5 >= n)
		return -1;
	for (i = at + 5; i < n; i++)
		if (s[i] == ' ' || s[i] == '(' || s[i] == ')' || s[i] == ':')
			return -1;
	relay->p = s + at + 5;
	relay->len = n - at - 5;
	return 0;
}

/* The relay of a line with some other dhcpd suffix: the word after the
 * last " via ", up to a space or a colon. */
static void
via_word(const char *s, size_t n, struct dhcplog_str *relay)
{
	size_t at = dl_rfind(s, n, " via "), i;

	relay->p = NULL;
	relay->len = 0;
	if (at == DL_NPOS)
		return;
	for (i = at + 5; i < n && s[i] != ' ' && s[i] != ':'; i++)
		;
	relay->p = s + at + 5;
	relay->len = i - at - 5;
}

/* "...via RELAY: network NET" (": no free leases" already cut off). */
static int
network_at_end(const char *s, size_t n, struct dhcplog_event *ev)
{
	size_t at = n;

	/* The rightmost ": network " whose left side ends " via WORD";
	 * a further left one only if NET itself contains ": network ". */
	while ((at = dl_rfind(s, at, ": network ")) != DL_NPOS) {
		if (at + 10 < n && via_at_end(s, at, &ev->relay) == 0) {
			ev->network.p = s + at + 10;
			ev->network.len = n - at - 10;
			return 0;
		}
		if (at == 0)
			break;
		at += 9;	/* search strictly left of this match */
	}
	return -1;
}

static int
refusal(const char *s, size_t n, struct dhcplog_event *ev)
{
	static const char nofree[] = ": no free leases";
	static const char peer[] = ": peer holds all free leases";
	static const char unknown[] = ": unknown network segment";

	if (dl_has_suffix(s, n, nofree)) {
		ev->reason = DHCPLOG_NO_FREE_LEASES;
		return network_at_end(s, n - (sizeof(nofree) - 1), ev);
	}
	if (dl_has_suffix(s, n, peer)) {
		ev->reason = DHCPLOG_PEER_HOLDS_ALL;
		return via_at_end(s, n - (sizeof(peer) - 1), &ev->relay);
	}
	if (dl_has_suffix(s, n, unknown)) {
		ev->reason = DHCPLOG_UNKNOWN_SEGMENT;
		return via_at_end(s, n - (sizeof(unknown) - 1), &ev->relay);
	}
	return 1;
}

static int
abandoning(const char *s, size_t n, struct dhcplog_event *ev)
{
	const char *colon;
	uint32_t ip;

	s += 22;
	n -= 22;
	colon = memchr(s, ':', n);
	if (colon == NULL || dl_ipv4(s, (size_t)(colon - s), &ip) == -1 ||
	    (size_t)(colon - s) + 2 >= n || colon[1] != ' ')
		return -1;
	ev->kind = DHCPLOG_EV_ABANDONED;
	return 0;
}

/*
 * Parse one dhcpd message (the syslog framing removed).  0: *ev is set,
 * its strings point into msg; -1: not a message we count.
 */
int
dhcplog_msg_parse(const char *msg, size_t len, struct dhcplog_event *ev)
{
	size_t i, plen;
	int r;

	memset(ev, 0, sizeof(*ev));
	ev->reason = DHCPLOG_NO_REASON;
	if (len > DHCPLOG_MAX_LINE)
		return -1;
	/* dhcpd prints no control bytes (hostnames pass db_printable) */
	for (i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			return -1;
	if (!dl_utf8_valid(msg, len))
		return -1;
	if (dl_has_prefix(msg, len, "Abandoning IP address "))
		return abandoning(msg, len, ev);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (dl_has_prefix(msg, len, prefixes[i].prefix))
			break;
	if (i == sizeof(prefixes) / sizeof(prefixes[0]))
		return -1;
	plen = strlen(prefixes[i].prefix);
	if (dl_rfind(msg + plen, len - plen, " via ") == DL_NPOS)
		return -1;
	ev->kind = DHCPLOG_EV_PACKET;
	ev->type = prefixes[i].type;
	if (ev->type == DHCPLOG_DISCOVER) {
		r = refusal(msg + plen, len - plen, ev);
		if (r == -1)
			return -1;	/* a refusal suffix, but malformed */
		if (r == 0)
			return 0;
		ev->reason = DHCPLOG_NO_REASON;
	}
	via_word(msg + plen, len - plen, &ev->relay);
	return 0;
}
