/*
 * cmd_pool.c: pool ADDR, the counters of the pool that holds an address
 * (found through the pool handle its lease carries).
 */
#include "omapictl.h"

int
cmd_pool(struct cli *cli, int argc, char **argv)
{
	struct omapi_pool_counters pc;
	struct omapi_error err;
	uint8_t ip[4];
	int rv;

	if (argc != 1)
		return args_usage_error("usage: pool ADDR");
	if (parse_ipv4_arg(argv[0], ip) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	if (omapi_pool_of_ip(cli->conn, ip, &pc, &err) == -1)
		return session_fail(&err, "pool %s", argv[0]);
	return output_pool(cli, &pc);
}
