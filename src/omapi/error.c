/*
 * error.c: the error record every library call fills on failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "omapi.h"

static const char *const errcode_names[] = {
	[OMAPI_OK] = "ok",
	[OMAPI_ERR_NOTFOUND] = "not found",
	[OMAPI_ERR_AUTH] = "authentication failed",
	[OMAPI_ERR_STATUS] = "server error",
	[OMAPI_ERR_TIMEOUT] = "timeout",
	[OMAPI_ERR_PROTOCOL] = "protocol error",
	[OMAPI_ERR_CONNECTION] = "connection error",
	[OMAPI_ERR_INVALID] = "invalid argument",
	[OMAPI_ERR_NOMEM] = "out of memory",
	[OMAPI_ERR_CANCELLED] = "cancelled",
};

/* A short name for an error kind, for messages and metric labels. */
const char *
omapi_errcode_name(enum omapi_errcode code)
{
	if ((size_t)code >= sizeof(errcode_names) / sizeof(errcode_names[0]))
		return "unknown error";
	return errcode_names[code];
}

/* Record an error; always returns -1 so callers can `return omapi_seterr()`. */
int
omapi_seterr(struct omapi_error *err, enum omapi_errcode code,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	err->code = code;
	err->result = 0;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

void
omapi_clearerr(struct omapi_error *err)
{
	if (err == NULL)
		return;
	err->code = OMAPI_OK;
	err->result = 0;
	err->text[0] = '\0';
}

/*
 * The words ISC's omshell prints for a result dhcpd sends over OMAPI
 * (isc_result_totext), or NULL for one we do not know.
 */
const char *
omapi_result_text(uint32_t result)
{
	static const struct { uint32_t result; const char *text; } texts[] = {
		{ 6, "permission denied" },
		{ 18, "already exists" },
		{ 23, "not found" },
		{ 25, "failure" },
		{ 27, "not implemented" },
		{ 29, "no more" },
		{ 0x60002, "protocol error" },
		{ 0x60003, "invalid argument" },
		{ 0x60007, "key conflict" },
		{ 0x60009, "no key specified" },
		{ 0x6000a, "unknown key" },
		{ 0x6000b, "invalid key" },
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].result == result)
			return texts[i].text;
	return NULL;
}
