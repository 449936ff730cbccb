/*
 * errsink.c: the list of a loader's problems (see config/config.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* Keep one message; count it in `lost` when it cannot be kept. */
void
config_errors_add(struct config_errors *e, const char *msg)
{
	char **nm, *copy;
	size_t ncap;

	if (e == NULL)
		return;
	if (e->n >= CONFIG_ERRORS_MAX) {
		e->lost++;
		return;
	}
	if (e->n == e->cap) {
		ncap = e->cap ? e->cap * 2 : 8;
		if ((nm = realloc(e->msg, ncap * sizeof(*nm))) == NULL) {
			e->lost++;
			return;
		}
		e->msg = nm;
		e->cap = ncap;
	}
	if ((copy = strdup(msg)) == NULL) {
		e->lost++;
		return;
	}
	e->msg[e->n++] = copy;
}

/* Keep a note "FILE:LINE:COLUMN: msg" (at most CONFIG_ERRORS_MAX). */
void
config_errors_note(struct config_errors *e, const char *file, int line,
    int col, const char *msg)
{
	char **nn, *copy;

	if (e == NULL || e->nnote >= CONFIG_ERRORS_MAX ||
	    asprintf(&copy, "%s:%d:%d: %s", file, line, col, msg) == -1)
		return;
	if ((nn = realloc(e->note, (e->nnote + 1) * sizeof(*nn))) == NULL) {
		free(copy);
		return;
	}
	e->note = nn;
	e->note[e->nnote++] = copy;
}

/* Free the messages and notes and make the sink empty again. */
void
config_errors_free(struct config_errors *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	for (i = 0; i < e->nnote; i++)
		free(e->note[i]);
	free(e->note);
	for (i = 0; i < e->nconf_failed; i++)
		free(e->conf_failed[i]);
	free(e->conf_failed);
	memset(e, 0, sizeof(*e));
}

/*
 * Note that the dhcpd.conf at path failed this load.  Without memory the
 * note is lost: the poller then takes the file for fine until it next
 * changes, and the error itself was still reported.
 */
void
config_errors_conf_failed(struct config_errors *e, const char *path)
{
	char **nl, *copy;

	if (e == NULL || config_errors_conf_did_fail(e, path) ||
	    e->nconf_failed >= CONFIG_SERVERS_MAX)
		return;
	if ((nl = realloc(e->conf_failed, (e->nconf_failed + 1) *
	    sizeof(*nl))) == NULL)
		return;
	e->conf_failed = nl;
	if ((copy = strdup(path)) == NULL)
		return;
	e->conf_failed[e->nconf_failed++] = copy;
}

/* Whether the dhcpd.conf at path failed this load. */
int
config_errors_conf_did_fail(const struct config_errors *e, const char *path)
{
	size_t i;

	for (i = 0; e != NULL && i < e->nconf_failed; i++)
		if (strcmp(e->conf_failed[i], path) == 0)
			return 1;
	return 0;
}

/* How many errors were reported, kept or not. */
size_t
config_errors_count(const struct config_errors *e)
{
	return e ? e->n + e->lost : 0;
}

/* Fill a caller's error buffer (if any) and return -1. */
int
config_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
