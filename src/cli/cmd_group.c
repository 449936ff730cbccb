/*
 * cmd_group.c: group add NAME STATEMENTS.
 */
#include <string.h>

#include "omapictl.h"

int
cmd_group(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	int rv;

	if (argc != 3 || strcmp(argv[0], "add") != 0)
		return args_usage_error("usage: group add NAME STATEMENTS");
	if (*argv[1] == '\0')
		return args_usage_error("a group needs a name");
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_group_create(cli->conn, argv[1], argv[2], &o, &err);
	return cmd_show(cli, rv, o, &err, "group add %s", argv[1]);
}
