/*
 * cmd_host.c: host get name|mac|ip|client-id, host add, host delete.
 */
#include <stdio.h>
#include <string.h>

#include "omapictl.h"

#define HOST_USAGE	"host get name|mac|ip|client-id VALUE | " \
			"host add NAME MAC [IP] [--statements TEXT] " \
			"[--group NAME] | host delete name|mac VALUE"

enum host_by { HOST_BY_NAME, HOST_BY_MAC, HOST_BY_IP, HOST_BY_CLIENT_ID };

/* What a host is looked up by, parsed from "KIND VALUE". */
struct host_key {
	enum host_by	 by;
	const char	*kind;
	const char	*arg;
	uint8_t		 bytes[255];
	size_t		 len;
};

/* Parse "KIND VALUE"; allow says which kinds the command takes. */
static int
host_key_parse(const char *kind, const char *arg, int allow_all,
    struct host_key *k)
{
	k->kind = kind;
	k->arg = arg;
	if (strcmp(kind, "name") == 0) {
		k->by = HOST_BY_NAME;
		if (*arg != '\0')
			return 0;
		/* dhcpd would answer an empty name with an empty object */
		args_usage_error("a host name cannot be empty");
		return -1;
	}
	if (strcmp(kind, "mac") == 0) {
		k->by = HOST_BY_MAC;
		return parse_mac_arg(arg, k->bytes, 16, &k->len);
	}
	if (allow_all && strcmp(kind, "ip") == 0) {
		k->by = HOST_BY_IP;
		return parse_ipv4_arg(arg, k->bytes);
	}
	if (allow_all && strcmp(kind, "client-id") == 0) {
		k->by = HOST_BY_CLIENT_ID;
		return parse_hex_arg("client identifier", arg, k->bytes,
		    sizeof(k->bytes), &k->len);
	}
	args_usage_error("usage: %s", HOST_USAGE);
	return -1;
}

/* Ask the server for the host; the library's 0/-1. */
static int
host_key_lookup(struct cli *cli, const struct host_key *k,
    struct omapi_object **o, struct omapi_error *err)
{
	switch (k->by) {
	case HOST_BY_NAME:
		return omapi_host_by_name(cli->conn, k->arg, o, err);
	case HOST_BY_MAC:
		return omapi_host_by_hw(cli->conn, k->bytes, k->len,
		    OMAPI_HTYPE_ETHERNET, o, err);
	case HOST_BY_IP:
		return omapi_host_by_ip(cli->conn, k->bytes, o, err);
	case HOST_BY_CLIENT_ID:
		break;
	}
	return omapi_host_by_client_id(cli->conn, k->bytes, k->len, o, err);
}

/* host get KIND VALUE */
static int
host_get(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	struct host_key k;
	char q[OUTPUT_QUOTE_MAX];
	int rv;

	if (argc != 2)
		return args_usage_error("usage: %s", HOST_USAGE);
	if (host_key_parse(argv[0], argv[1], 1, &k) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = host_key_lookup(cli, &k, &o, &err);
	return cmd_show(cli, rv, o, &err, "host %s %s", k.kind,
	    output_quote(k.arg, q));
}

/* host delete name|mac VALUE: look it up, then delete it by handle. */
static int
host_delete(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	struct host_key k;
	char q[OUTPUT_QUOTE_MAX];
	int rv;

	if (argc != 2)
		return args_usage_error("usage: %s", HOST_USAGE);
	if (host_key_parse(argv[0], argv[1], 0, &k) == -1)
		return CLI_USAGE;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	output_quote(k.arg, q);
	if (host_key_lookup(cli, &k, &o, &err) == -1)
		return session_fail(&err, "host %s %s", k.kind, q);
	rv = omapi_host_delete(cli->conn, o, &err);
	omapi_object_free(o);
	if (rv == -1)
		return session_fail(&err, "host delete %s %s", k.kind, q);
	return CLI_OK;
}

/*
 * A create that "matches no object" was refused, not a lookup that found
 * nothing: dhcpd says so when the --group does not exist.
 */
static void
host_add_error(struct omapi_error *err, const char *group)
{
	char text[160];

	if (err->code != OMAPI_ERR_NOTFOUND)
		return;
	snprintf(text, sizeof(text), "%.150s", err->text);
	err->code = OMAPI_ERR_STATUS;
	if (group != NULL)
		snprintf(err->text, sizeof(err->text), "%s (is there a "
		    "group '%.40s'?)", text, group);
}

/* host add NAME MAC [IP] [--statements TEXT] [--group NAME] */
static int
host_add(struct cli *cli, int argc, char **argv)
{
	struct omapi_host_spec spec;
	struct omapi_object *o = NULL;
	struct omapi_error err;
	uint8_t hw[16], ip[4];
	char q[OUTPUT_QUOTE_MAX];
	int rv;

	if (argc != 2 && argc != 3)
		return args_usage_error("usage: %s", HOST_USAGE);
	memset(&spec, 0, sizeof(spec));
	spec.name = argv[0];
	if (*spec.name == '\0')
		return args_usage_error("a host needs a name");
	output_quote(spec.name, q);
	/* refused here, before anything is sent (issue 17, item 11) */
	if (omapi_host_name_check(spec.name, &err) == -1)
		return session_fail(&err, "host add %s", q);
	if (parse_mac_arg(argv[1], hw, sizeof(hw), &spec.hwlen) == -1)
		return CLI_USAGE;
	spec.hw = hw;
	spec.htype = OMAPI_HTYPE_ETHERNET;
	if (argc == 3 && parse_ipv4_arg(argv[2], ip) == -1)
		return CLI_USAGE;
	spec.ip = argc == 3 ? ip : NULL;
	spec.statements = cli->opts->statements;
	spec.group = cli->opts->group;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	if ((rv = omapi_host_create(cli->conn, &spec, &o, &err)) == -1)
		host_add_error(&err, spec.group);
	return cmd_show(cli, rv, o, &err, "host add %s", q);
}

int
cmd_host(struct cli *cli, int argc, char **argv)
{
	if (argc < 1)
		return args_usage_error("usage: %s", HOST_USAGE);
	if (strcmp(argv[0], "add") == 0)
		return host_add(cli, argc - 1, argv + 1);
	if (cli->opts->statements != NULL || cli->opts->group != NULL)
		return args_usage_error("--statements and --group go with "
		    "host add");
	if (strcmp(argv[0], "get") == 0)
		return host_get(cli, argc - 1, argv + 1);
	if (strcmp(argv[0], "delete") == 0)
		return host_delete(cli, argc - 1, argv + 1);
	return args_usage_error("usage: %s", HOST_USAGE);
}
