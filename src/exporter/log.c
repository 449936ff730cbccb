/*
 * log.c: leveled logging to standard error, one line per event, safe to
 * call from the poller and the HTTP threads at once (one write per line).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static enum log_level current_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_set_level(enum log_level l)
{
	current_level = l;
}

int
log_enabled(enum log_level l)
{
	return l <= current_level;
}

/* Format one line and write it with a single write(2). */
static void
log_vwrite(enum log_level l, const char *suffix, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	n = snprintf(line, sizeof(line), "level=%s msg=\"", level_names[l]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	n = (int)strlen(line);
	if (suffix != NULL)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ": %s",
		    suffix);
	if (n > (int)sizeof(line) - 3)
		n = (int)sizeof(line) - 3;
	line[n++] = '"';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

#define LOG_FN(fn, level, suffix)				\
void								\
fn(const char *fmt, ...)					\
{								\
	va_list ap;						\
	int saved = errno;					\
								\
	if (!log_enabled(level))				\
		return;						\
	va_start(ap, fmt);					\
	log_vwrite(level, suffix, fmt, ap);			\
	va_end(ap);						\
	errno = saved;						\
}

LOG_FN(log_error, LOG_LEVEL_ERROR, NULL)
LOG_FN(log_warn, LOG_LEVEL_WARN, strerror(saved))
LOG_FN(log_warnx, LOG_LEVEL_WARN, NULL)
LOG_FN(log_info, LOG_LEVEL_INFO, NULL)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, NULL)

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(2);
}
