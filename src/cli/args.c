/*
 * args.c: the command line and the environment into a struct cli_opts.
 * Options may come before or after the command words (GNU getopt
 * permutes them); "--" ends the options.
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

enum long_only {
	OPT_KEY_NAME = 256,
	OPT_SECRET_FILE,
	OPT_STATEMENTS,
	OPT_GROUP,
	OPT_WINDOW,
	OPT_RATE,
	OPT_STOP_ON_ERROR,
};

static const struct option long_opts[] = {
	{ "server", required_argument, NULL, 's' },
	{ "key", required_argument, NULL, 'k' },
	{ "key-file", required_argument, NULL, 'K' },
	{ "key-name", required_argument, NULL, OPT_KEY_NAME },
	{ "secret-file", required_argument, NULL, OPT_SECRET_FILE },
	{ "algorithm", required_argument, NULL, 'a' },
	{ "json", no_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "statements", required_argument, NULL, OPT_STATEMENTS },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "stop-on-error", no_argument, NULL, OPT_STOP_ON_ERROR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Print "omapictl: MESSAGE" and a hint to stderr; returns CLI_USAGE. */
int
args_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", CLI_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", CLI_NAME);
	return CLI_USAGE;
}

/* A decimal number in [lo, hi]; -1 if s is not one. */
static int
parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Apply one option that takes a number. */
static int
args_number(struct cli_opts *o, int c, const char *arg)
{
	long v;
	char *end;

	switch (c) {
	case 't':
		if (parse_long(arg, 1, INT_MAX, &v) == -1)
			return args_usage_error("--timeout wants "
			    "milliseconds, 1 or more");
		o->timeout_ms = (int)v;
		return 0;
	case OPT_WINDOW:
		if (parse_long(arg, 1, 65536, &v) == -1)
			return args_usage_error("--window wants 1 to 65536");
		o->window = (unsigned)v;
		return 0;
	default:	/* OPT_RATE */
		o->rate = strtod(arg, &end);
		if (end == arg || *end != '\0' || !(o->rate >= 0))
			return args_usage_error("--rate wants requests per "
			    "second (0: unlimited)");
		return 0;
	}
}

/* Apply one option; 0, or an exit status when the program should stop. */
static int
args_option(struct cli_opts *o, int c, char *arg)
{
	char q[OUTPUT_QUOTE_MAX];

	switch (c) {
	case 's':
		if (server_parse(arg, o->host, sizeof(o->host),
		    &o->port) == -1)
			return args_usage_error("bad server %s: want HOST, "
			    "HOST:PORT or [IPV6]:PORT", output_quote(arg, q));
		return 0;
	case 'k': o->key_spec = arg; return 0;
	case 'K': o->key_file = arg; return 0;
	case OPT_KEY_NAME: o->key_name = arg; return 0;
	case OPT_SECRET_FILE: o->secret_file = arg; return 0;
	case 'a': o->alg = arg; return 0;
	case 'j': o->json = 1; return 0;
	case OPT_STATEMENTS: o->statements = arg; return 0;
	case OPT_GROUP: o->group = arg; return 0;
	case OPT_STOP_ON_ERROR: o->stop_on_error = 1; return 0;
	case 't':
	case OPT_WINDOW:
	case OPT_RATE:
		return args_number(o, c, arg);
	case 'h': usage_print(); return CLI_OK;
	case 'V': version_print(); return CLI_OK;
	default:	/* getopt has said what was wrong */
		usage_short();
		return CLI_USAGE;
	}
}

/* Defaults and the environment, before the options override them. */
static int
args_defaults(struct cli_opts *o)
{
	char q[OUTPUT_QUOTE_MAX];
	const char *s;

	memset(o, 0, sizeof(*o));
	snprintf(o->host, sizeof(o->host), "%s", CLI_DEFAULT_HOST);
	o->port = OMAPI_DEFAULT_PORT;
	if ((s = getenv("OMAPI_SERVER")) != NULL && *s != '\0' &&
	    server_parse(s, o->host, sizeof(o->host), &o->port) == -1)
		return args_usage_error("bad OMAPI_SERVER %s: want HOST, "
		    "HOST:PORT or [IPV6]:PORT", output_quote(s, q));
	return 0;
}

/*
 * Fill o from argv and the environment.  -1 when the program should go on
 * and run o->argv; otherwise the exit status (after --help, --version or a
 * usage error, which has been reported).
 */
int
args_parse(int argc, char **argv, struct cli_opts *o)
{
	int c, rv;

	if ((rv = args_defaults(o)) != 0)
		return rv;
	/*
	 * getopt moves "--" in front of the words it skipped, so set
	 * (TYPE KEY=VALUE... -- ATTR=VALUE...) finds its split by the word
	 * that followed "--", noted before getopt permutes argv.
	 */
	for (c = 1; c < argc; c++)
		if (strcmp(argv[c], "--") == 0) {
			o->after_dashes = c + 1 < argc ? argv[c + 1] : "";
			break;
		}
	opterr = 1;
	while ((c = getopt_long(argc, argv, "s:k:K:a:jt:hV", long_opts,
	    NULL)) != -1)
		if ((rv = args_option(o, c, optarg)) != 0 || c == 'h' ||
		    c == 'V')
			return rv;
	if (o->key_spec && (o->key_file || o->secret_file))
		return args_usage_error("give only one of --key, --key-file "
		    "and --secret-file");
	if (o->key_file && o->secret_file)
		return args_usage_error("give only one of --key-file and "
		    "--secret-file");
	if (optind >= argc)
		return args_usage_error("no command given");
	o->argc = argc - optind;
	o->argv = argv + optind;
	return -1;
}
