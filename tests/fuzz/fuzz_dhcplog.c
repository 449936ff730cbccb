/*
 * fuzz_dhcplog.c: libFuzzer target for dhcpd's log (src/dhcplog/): any
 * bytes frame or fail; every view points inside the input; a parsed
 * message's type, reason and strings are in range; a refusal's network
 * and relay never overlap the client-written middle of the line (they
 * lie after its last " via "... or are empty); counting never crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcplog.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
inside(struct dhcplog_str s, const char *b, size_t n)
{
	if (s.len > 0 && (s.p < b || s.p + s.len > b + n))
		abort();
}

static void
message(const char *m, size_t n, struct dhcplog_counts *c)
{
	struct dhcplog_event ev;

	if (dhcplog_msg_parse(m, n, &ev) == 0) {
		if (ev.type >= DHCPLOG_NTYPES || ev.reason > DHCPLOG_NO_REASON)
			abort();
		inside(ev.network, m, n);
		inside(ev.relay, m, n);
		if (ev.network.len > 0 && ev.reason != DHCPLOG_NO_FREE_LEASES)
			abort();
		if (memchr(ev.relay.p == NULL ? "" : ev.relay.p, ' ',
		    ev.relay.len) != NULL)
			abort();
	}
	(void)dhcplog_count_msg(c, "dhcpd", 5, m, n, NULL, 1.0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct dhcplog_counts c;
	struct dhcplog_frame f;

	dhcplog_counts_init(&c);
	if (dhcplog_frame_parse(line, size, &f) == 0) {
		inside(f.host, line, size);
		inside(f.program, line, size);
		inside(f.msg, line, size);
		if (f.program.len == 0)
			abort();
		message(f.msg.p, f.msg.len, &c);
	}
	message(line, size, &c);
	if (c.lines != c.unparsed + c.abandoned + c.packets[0] + c.packets[1] +
	    c.packets[2] + c.packets[3] + c.packets[4] + c.packets[5] +
	    c.packets[6] + c.packets[7])
		abort();
	dhcplog_counts_free(&c);
	return 0;
}
