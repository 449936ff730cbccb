/*
 * log.c: leveled logging to standard error, one logfmt line per event,
 * safe to call from the poller and the HTTP threads at once (one write per
 * line).  The message is the one value made of outside text (server and
 * pool names from the configuration, text from dhcpd), and it is escaped
 * here, in one place, for every caller.
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

/*
 * Append text to line[*n] as the inside of a logfmt quoted value: quote
 * and backslash escaped, newline, tab and every other control byte (and
 * DEL) as an escape, so nothing a server name or a dhcpd reply holds can
 * end the value or the line and forge another.  Stops short of cap.
 */
static void
log_escape(char *line, size_t *n, size_t cap, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	char esc[5];
	size_t len;

	for (p = (const unsigned char *)text; *p; p++) {
		len = 0;
		if (*p == '"' || *p == '\\') {
			esc[len++] = '\\';
			esc[len++] = (char)*p;
		} else if (*p == '\n' || *p == '\t' || *p == '\r') {
			esc[len++] = '\\';
			esc[len++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
		} else if (*p < 0x20 || *p == 0x7f) {
			esc[len++] = '\\';
			esc[len++] = 'x';
			esc[len++] = hex[*p >> 4];
			esc[len++] = hex[*p & 15];
		} else
			esc[len++] = (char)*p;
		if (*n + len > cap)
			return;
		memcpy(line + *n, esc, len);
		*n += len;
	}
}

/* Format one line, escape the message, write it with one write(2). */
static void
log_vwrite(enum log_level l, const char *suffix, const char *fmt, va_list ap)
{
	char msg[1024], line[4096 + 3];
	size_t n;
	int m;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	m = snprintf(line, sizeof(line), "level=%s msg=\"", level_names[l]);
	if (m < 0 || (size_t)m >= sizeof(line))
		return;
	n = (size_t)m;
	log_escape(line, &n, sizeof(line) - 2, msg);
	if (suffix != NULL) {
		log_escape(line, &n, sizeof(line) - 2, ": ");
		log_escape(line, &n, sizeof(line) - 2, suffix);
	}
	line[n++] = '"';
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
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
