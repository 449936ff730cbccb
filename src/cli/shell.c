/*
 * shell.c: omapictl shell [FILE], omshell's command language with real
 * exit statuses.
 *
 * Standard output is omshell's, line for line (checked side by side with
 * Debian's omshell on the same scripts, tests/integration/test_shell.sh):
 * the "> " prompt before each line is read, "obj: TYPE" and
 * "NAME = VALUE" after each command, values as omshell shows them (text
 * quoted, integers set locally in decimal, everything else colon hex), and
 * its error lines ("can't open object: not found", "not connected.").
 * With --json, only the objects the server returns are printed, one JSON
 * line each, typed as omapictl --json types them.  Each failed command
 * also writes "omapictl: LINE: message" on standard error; the exit status
 * is that of the first failure (see usage.c), 0 when every command
 * succeeded.  The loop is here, the commands are in shell_cmd.c, the
 * object they work on in shell_obj.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/* Read and run every line of in; the exit status. */
static int
shell_loop(struct shell *sh, FILE *in)
{
	struct shell_line *l;
	const char *err;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if ((l = malloc(sizeof(*l))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", CLI_NAME);
		return CLI_SERVER;
	}
	for (;;) {
		if (!sh->cli->opts->json) {
			fputs("> ", stdout);
			fflush(stdout);
		}
		if ((n = getline(&line, &cap, in)) == -1)
			break;
		sh->lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (shell_lex(line, l, &err) == -1)
			shell_fail(sh, CLI_USAGE, "%s", err);
		else if (l->nwords > 0)
			shell_run_command(sh, l);
		/* the line may have held a secret */
		explicit_bzero(line, cap);
		explicit_bzero(l->buf, sizeof(l->buf));
		if (sh->status != CLI_OK && sh->cli->opts->stop_on_error)
			break;
	}
	free(line);
	free(l);
	if (ferror(in)) {
		perror(CLI_NAME ": reading the script");
		if (sh->status == CLI_OK)
			sh->status = CLI_USAGE;
	}
	return sh->status;
}

/* omapictl shell [FILE]: FILE, or standard input when absent or "-". */
int
cmd_shell(struct cli *cli, int argc, char **argv)
{
	struct shell *sh;
	FILE *in = stdin;
	int rv;

	if (argc > 1)
		return args_usage_error("usage: shell [FILE]");
	if (argc == 1 && strcmp(argv[0], "-") != 0 &&
	    (in = fopen(argv[0], "r")) == NULL) {
		fprintf(stderr, "%s: %s: ", CLI_NAME, argv[0]);
		perror(NULL);
		return CLI_USAGE;
	}
	if ((sh = calloc(1, sizeof(*sh))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", CLI_NAME);
		rv = CLI_SERVER;
		goto out_close;
	}
	sh->cli = cli;
	snprintf(sh->host, sizeof(sh->host), "%s", cli->opts->host);
	sh->port = cli->opts->port;
	rv = shell_loop(sh, in);
	shell_obj_clear(sh);
	explicit_bzero(sh->key_b64, sizeof(sh->key_b64));
	free(sh);
out_close:
	if (in != stdin)
		fclose(in);
	return rv;
}
