/*
 * session.c: where the server is, the connection to it, and how a
 * library error becomes one line on stderr and an exit status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/* A port number 1..65535; -1 if s is not one. */
static int
port_parse(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Copy n bytes of s into host as a string; -1 if empty or too long. */
static int
host_copy(const char *s, size_t n, char *host, size_t hostlen)
{
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

/*
 * "HOST", "HOST:PORT", "[IPV6]", "[IPV6]:PORT", or a bare IPv6 address
 * (more than one colon, no port).  The port is left alone when absent.
 */
int
server_parse(const char *s, char *host, size_t hostlen, uint16_t *port)
{
	const char *colon, *close;

	if (*s == '[') {
		if ((close = strchr(s, ']')) == NULL ||
		    host_copy(s + 1, (size_t)(close - s - 1), host,
		    hostlen) == -1)
			return -1;
		if (close[1] == '\0')
			return 0;
		return close[1] == ':' ? port_parse(close + 2, port) : -1;
	}
	colon = strchr(s, ':');
	if (colon == NULL || strchr(colon + 1, ':') != NULL)
		return host_copy(s, strlen(s), host, hostlen);
	if (host_copy(s, (size_t)(colon - s), host, hostlen) == -1)
		return -1;
	return port_parse(colon + 1, port);
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
