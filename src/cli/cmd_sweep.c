/*
 * cmd_sweep.c: lease sweep FIRST LAST, every address of a range on one
 * connection with many lookups in flight (omapi_sweep).  One line per
 * address: the lease fields the sweep decodes, under the server's
 * attribute names, or "not found".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "omapictl.h"

#define SWEEP_MAX_ADDRS	65536

/* An address in host byte order as a dotted quad. */
static void
sweep_addr(uint32_t ip, char out[INET_ADDRSTRLEN])
{
	uint32_t be = htonl(ip);

	inet_ntop(AF_INET, &be, out, INET_ADDRSTRLEN);
}

/* The MAC of a lease as lower-case colon hex. */
static void
sweep_mac(const struct omapi_lease *l, char *out, size_t outlen)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < l->hwlen && off + 4 <= outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%02x",
		    i ? ":" : "", l->hw[i]);
}

/* A line being printed: a JSON object, or name=value words. */
struct sweep_line {
	int	json;
	int	fields;
};

/* One field; quote: a string in JSON (addresses, names). */
static void
sweep_field(struct sweep_line *ln, const char *name, const char *value,
    int quote)
{
	const char *q = ln->json && quote ? "\"" : "";

	if (ln->json)
		printf("%s\"%s\":%s%s%s", ln->fields ? "," : "{", name, q,
		    value, q);
	else
		printf("%s%s=%s", ln->fields ? " " : "", name, value);
	ln->fields++;
}

static void
sweep_field_u32(struct sweep_line *ln, const char *name, uint32_t v)
{
	char num[12];

	snprintf(num, sizeof(num), "%u", v);
	sweep_field(ln, name, num, 0);
}

/* One lease on one line, in JSON or as name=value words. */
static void
sweep_lease(uint32_t ip, const struct omapi_lease *l, int json)
{
	const char *state = omapi_lease_state_name(l->state);
	char addr[INET_ADDRSTRLEN], mac[16 * 3 + 1];
	struct sweep_line ln = { json, 0 };

	sweep_addr(ip, addr);
	sweep_field(&ln, "ip-address", addr, 1);
	if (state != NULL)
		sweep_field(&ln, "state", state, 1);
	else
		sweep_field_u32(&ln, "state", l->state);
	sweep_field_u32(&ln, "starts", l->starts);
	sweep_field_u32(&ln, "ends", l->ends);
	sweep_field_u32(&ln, "cltt", l->cltt);
	sweep_field_u32(&ln, "flags", l->flags);
	sweep_field_u32(&ln, "pool", l->pool);
	sweep_field_u32(&ln, "subnet", l->subnet);
	if (l->hwlen > 0) {
		sweep_mac(l, mac, sizeof(mac));
		sweep_field(&ln, "hardware-address", mac, 1);
		sweep_field_u32(&ln, "hardware-type", l->htype);
	}
	puts(json ? "}" : "");
}

/* One answer of the sweep. */
static void
sweep_print(void *arg, uint32_t ip, const struct omapi_lease *l)
{
	const struct cli *cli = arg;
	char addr[INET_ADDRSTRLEN];

	if (l == NULL) {
		sweep_addr(ip, addr);
		if (cli->opts->json)
			printf("{\"ip-address\":\"%s\",\"error\":"
			    "\"not found\"}\n", addr);
		else
			printf("ip-address=%s error=not-found\n", addr);
	} else
		sweep_lease(ip, l, cli->opts->json);
}

/* FIRST and LAST into a range of at most SWEEP_MAX_ADDRS addresses. */
static int
sweep_range(char **argv, struct omapi_range *r)
{
	uint8_t a[4], b[4];

	if (parse_ipv4_arg(argv[0], a) == -1 ||
	    parse_ipv4_arg(argv[1], b) == -1)
		return -1;
	r->first = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];
	r->last = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	if (r->first > r->last ||
	    (uint64_t)r->last - r->first >= SWEEP_MAX_ADDRS) {
		args_usage_error("lease sweep wants FIRST <= LAST and at most "
		    "%d addresses", SWEEP_MAX_ADDRS);
		return -1;
	}
	return 0;
}

/* lease sweep FIRST LAST */
int
cmd_sweep(struct cli *cli, int argc, char **argv)
{
	struct omapi_sweep_opts so;
	struct omapi_sweep_result res;
	struct omapi_error err;
	struct omapi_range r;
	int rv;

	if (argc != 2 || sweep_range(argv, &r) == -1)
		return argc != 2 ? args_usage_error("usage: lease sweep "
		    "FIRST LAST") : CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	memset(&so, 0, sizeof(so));
	so.ranges = &r;
	so.nranges = 1;
	/* With a key, the connection itself keeps dhcpd's limit (omapi.h). */
	so.window = cli->opts->window;
	so.max_rate = cli->opts->rate;
	if (omapi_sweep(cli->conn, &so, sweep_print, cli, &res, &err) == -1)
		return session_fail(&err, "lease sweep %s %s", argv[0],
		    argv[1]);
	if (res.errors > 0) {
		fprintf(stderr, "%s: lease sweep %s %s: %llu of %llu lookups "
		    "failed\n", CLI_NAME, argv[0], argv[1],
		    (unsigned long long)res.errors,
		    (unsigned long long)res.requested);
		return CLI_SERVER;
	}
	return CLI_OK;
}
