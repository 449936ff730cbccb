/*
 * session.c: where the server is, the connection to it, and how a
 * library error becomes one line on stderr and an exit status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/*
 * "HOST", "HOST:PORT", "[IPV6]", "[IPV6]:PORT", or a bare IPv6 address
 * (more than one colon, no port), by the library's one rule for HOST:PORT.
 * The port is left alone when absent.
 */
int
server_parse(const char *s, char *host, size_t hostlen, uint16_t *port)
{
	struct omapi_error err;

	return omapi_parse_hostport(s, OMAPI_HOSTPORT_PORT_OPTIONAL, host,
	    hostlen, port, &err);
}

/* The exit status for a kind of failure (see usage.c). */
int
session_exit_code(enum omapi_errcode code)
{
	switch (code) {
	case OMAPI_OK:
		return CLI_OK;
	case OMAPI_ERR_NOTFOUND:
		return CLI_NOTFOUND;
	case OMAPI_ERR_INVALID:
		return CLI_USAGE;
	case OMAPI_ERR_STATUS:
		return CLI_REFUSED;
	case OMAPI_ERR_AUTH:
	case OMAPI_ERR_TIMEOUT:
	case OMAPI_ERR_PROTOCOL:
	case OMAPI_ERR_CONNECTION:
	case OMAPI_ERR_NOMEM:
	case OMAPI_ERR_CANCELLED:
		break;
	}
	return CLI_SERVER;
}

/* How a kind of failure reads in a message. */
static const char *
session_kind(enum omapi_errcode code)
{
	switch (code) {
	case OMAPI_ERR_AUTH:
		return "authentication failed";
	case OMAPI_ERR_STATUS:
		return "server refused";
	case OMAPI_ERR_TIMEOUT:
		return "timeout";
	case OMAPI_ERR_PROTOCOL:
		return "protocol error";
	default:
		return NULL;	/* the library's text says enough */
	}
}

/* session_fail with a va_list. */
static int
session_vfail(const struct omapi_error *err, const char *fmt, va_list ap)
{
	const char *kind = session_kind(err->code);

	fprintf(stderr, "%s: ", CLI_NAME);
	if (fmt != NULL) {
		vfprintf(stderr, fmt, ap);
		fputs(": ", stderr);
	}
	if (err->code == OMAPI_ERR_NOTFOUND)
		fputs("not found\n", stderr);
	else if (kind != NULL)
		fprintf(stderr, "%s: %s\n", kind, err->text);
	else
		fprintf(stderr, "%s\n", err->text);
	return session_exit_code(err->code);
}

/*
 * Print "omapictl: WHAT: KIND: TEXT" for a failure (WHAT may be NULL, and
 * a "not found" is just that) and return its exit status.
 */
int
session_fail(const struct omapi_error *err, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = session_vfail(err, fmt, ap);
	va_end(ap);
	return rv;
}

/* Open the connection (and authenticate); an exit status. */
int
session_connect(struct cli *cli)
{
	struct omapi_conn_opts co;
	struct omapi_error err;

	if (cli->conn != NULL)
		return CLI_OK;
	memset(&co, 0, sizeof(co));
	co.host = cli->opts->host;
	co.port = cli->opts->port;
	co.key = cli->have_key ? &cli->key : NULL;
	co.connect_timeout_ms = cli->opts->timeout_ms;
	co.io_timeout_ms = cli->opts->timeout_ms;
	if ((cli->conn = omapi_conn_open(&co, &err)) != NULL)
		return CLI_OK;
	if (err.code == OMAPI_ERR_NOTFOUND)	/* cannot be; be safe */
		err.code = OMAPI_ERR_CONNECTION;
	return session_fail(&err, NULL);
}

/*
 * The end of a lookup: on success print the object and free it, else
 * report the failure as "omapictl: WHAT: ...".  An exit status.
 */
int
cmd_show(struct cli *cli, int rc, struct omapi_object *o,
    const struct omapi_error *err, const char *fmt, ...)
{
	va_list ap;
	int rv;

	if (rc == -1) {
		va_start(ap, fmt);
		rv = session_vfail(err, fmt, ap);
		va_end(ap);
		return rv;
	}
	rv = output_object(cli, o);
	omapi_object_free(o);
	return rv;
}
