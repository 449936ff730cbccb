/*
 * parse.c: command words (addresses, MACs, hex) into the bytes the wire
 * wants.  Each parser reports a bad word itself and returns -1.
 */
#include <stdio.h>

#include "omapictl.h"

/* A dotted-quad IPv4 address. */
int
parse_ipv4_arg(const char *s, uint8_t out[4])
{
	if (omapi_parse_ipv4(s, out) == 0)
		return 0;
	args_usage_error("'%s' is not an IPv4 address", s);
	return -1;
}

/* A hardware address: 1 to max hex bytes. */
int
parse_mac_arg(const char *s, uint8_t *out, size_t max, size_t *len)
{
	return parse_hex_arg("hardware address", s, out, max, len);
}

/* Hex bytes, "00:16:3e:..", "00-16-.." or "00163e.."; what names them. */
int
parse_hex_arg(const char *what, const char *s, uint8_t *out, size_t max,
    size_t *len)
{
	if (omapi_parse_hex(s, out, max, len) == 0)
		return 0;
	args_usage_error("'%s' is not a %s (hex bytes such as "
	    "00:16:3e:0a:0b:0c, at most %zu)", s, what, max);
	return -1;
}
