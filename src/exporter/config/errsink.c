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

/* Free the messages and make the sink empty again. */
void
config_errors_free(struct config_errors *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	memset(e, 0, sizeof(*e));
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
