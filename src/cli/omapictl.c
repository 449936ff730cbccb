/*
 * omapictl.c: a scriptable OMAPI client for ISC dhcpd.
 *
 * main() parses the command line into a struct cli_opts (args.c), loads
 * the key (keys.c), and hands the command words to a handler from the
 * table below.  Handlers connect on first use (session.c), print what the
 * server answered (output.c) and return the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "omapictl.h"

struct command {
	const char	*name;
	int		(*fn)(struct cli *, int, char **);
};

static const struct command commands[] = {
	{ "lease", cmd_lease },
	{ "host", cmd_host },
	{ "group", cmd_group },
	{ "pool", cmd_pool },
	{ "failover", cmd_failover },
	{ "class", cmd_class },
	{ "get", cmd_get },
	{ "shell", cmd_shell },
	{ "set", cmd_set },
	{ "delete", cmd_delete },
};

/* Options that belong to one command only; CLI_OK or CLI_USAGE. */
static int
command_check_opts(const struct cli_opts *o)
{
	const char *cmd = o->argv[0];

	if ((o->statements || o->group) && strcmp(cmd, "host") != 0)
		return args_usage_error("--statements and --group go with "
		    "host add");
	if ((o->window || o->rate > 0) && (strcmp(cmd, "lease") != 0 ||
	    o->argc < 2 || strcmp(o->argv[1], "sweep") != 0))
		return args_usage_error("--window and --rate go with "
		    "lease sweep");
	if (o->stop_on_error && strcmp(cmd, "shell") != 0)
		return args_usage_error("--stop-on-error goes with shell");
	return CLI_OK;
}

/* Find a command's handler, or NULL. */
static const struct command *
command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
main(int argc, char *argv[])
{
	char q[OUTPUT_QUOTE_MAX];
	struct cli_opts opts;
	struct cli cli;
	const struct command *cmd;
	int rv;

	if ((rv = args_parse(argc, argv, &opts)) != -1)
		return rv;	/* --help, --version or a usage error */
	if ((cmd = command_find(opts.argv[0])) == NULL)
		return args_usage_error("unknown command %s",
		    output_quote(opts.argv[0], q));
	if (command_check_opts(&opts) != CLI_OK)
		return CLI_USAGE;
	memset(&cli, 0, sizeof(cli));
	cli.opts = &opts;
	if (keys_load(&opts, &cli.key, &cli.have_key) == -1)
		return CLI_USAGE;
	rv = cmd->fn(&cli, opts.argc - 1, opts.argv + 1);
	omapi_conn_close(cli.conn);
	omapi_key_wipe(&cli.key);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror(CLI_NAME ": standard output");
		rv = rv ? rv : CLI_USAGE;
	}
	return rv;
}
