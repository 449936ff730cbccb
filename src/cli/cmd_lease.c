/*
 * cmd_lease.c: lease ip ADDR | lease mac MAC | lease client-id HEX, and
 * lease sweep FIRST LAST (cmd_sweep.c).
 */
#include <stdio.h>
#include <string.h>

#include "omapictl.h"

#define LEASE_USAGE	"lease ip ADDR | lease mac MAC | " \
			"lease client-id HEX | lease sweep FIRST LAST"

static int
lease_ip(struct cli *cli, const char *arg)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	uint8_t ip[4];
	int rv;

	if (parse_ipv4_arg(arg, ip) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_lease_by_ip(cli->conn, ip, &o, &err);
	return cmd_show(cli, rv, o, &err, "lease %s", arg);
}

static int
lease_mac(struct cli *cli, const char *arg)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	uint8_t hw[16];
	size_t len;
	int rv;

	if (parse_mac_arg(arg, hw, sizeof(hw), &len) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_lease_by_hw(cli->conn, hw, len, OMAPI_HTYPE_ETHERNET, &o,
	    &err);
	return cmd_show(cli, rv, o, &err, "lease mac %s", arg);
}

static int
lease_client_id(struct cli *cli, const char *arg)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	uint8_t id[255];
	size_t len;
	int rv;

	if (parse_hex_arg("client identifier", arg, id, sizeof(id),
	    &len) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_lease_by_client_id(cli->conn, id, len, &o, &err);
	return cmd_show(cli, rv, o, &err, "lease client-id %s", arg);
}

int
cmd_lease(struct cli *cli, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[0], "sweep") == 0)
		return cmd_sweep(cli, argc - 1, argv + 1);
	if (argc != 2)
		return args_usage_error("usage: %s", LEASE_USAGE);
	if (strcmp(argv[0], "ip") == 0)
		return lease_ip(cli, argv[1]);
	if (strcmp(argv[0], "mac") == 0)
		return lease_mac(cli, argv[1]);
	if (strcmp(argv[0], "client-id") == 0)
		return lease_client_id(cli, argv[1]);
	return args_usage_error("usage: %s", LEASE_USAGE);
}
