/*
 * duration.c: durations written with units, as Prometheus users write
 * them: 500ms, 15s, 2m, 1h, 1h30m.  A bare number is refused, since "15"
 * could mean seconds or milliseconds; each part needs a unit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"

#define DURATION_SHOW	40	/* characters of the input quoted in errors */

enum unit { UNIT_H, UNIT_M, UNIT_S, UNIT_MS, UNIT_BAD };

static const uint64_t unit_ms[] = { 3600000, 60000, 1000, 1 };


/* Read the unit at *pp and move past it. */
static enum unit
unit_read(const char **pp)
{
	const char *p = *pp;

	if (p[0] == 'm' && p[1] == 's') {
		*pp = p + 2;
		return UNIT_MS;
	}
	*pp = p + 1;
	switch (p[0]) {
	case 'h':
		return UNIT_H;
	case 'm':
		return UNIT_M;
	case 's':
		return UNIT_S;
	}
	return UNIT_BAD;
}

/*
 * Parse "NUMBERunit[NUMBERunit...]" with units h, m, s, ms from largest to
 * smallest, each at most once.  0 and *ms, or -1 with a message in err.
 */
int
duration_parse(const char *s, uint64_t *ms, char *err, size_t errlen)
{
	const char *p = s;
	uint64_t total = 0, v;
	int last = -1;
	enum unit u;

	if (s == NULL || *s == '\0')
		return config_errf(err, errlen, "empty duration; write e.g. 15s");
	if (*s < '0' || *s > '9')
		goto notdur;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			goto notdur;
		for (v = 0; *p >= '0' && *p <= '9'; p++) {
			if (v > (UINT64_MAX - 9) / 10)
				goto toolong;
			v = v * 10 + (uint64_t)(*p - '0');
		}
		if (*p == '.' || *p == ',')
			return config_errf(err, errlen, "'%.*s': fractions are not "
			    "allowed; use a smaller unit (e.g. 1500ms, not "
			    "1.5s)", DURATION_SHOW, s);
		if (*p == '\0')
			return config_errf(err, errlen, "'%.*s' has a number without "
			    "a unit; add one of ms, s, m or h (e.g. 15s)",
			    DURATION_SHOW, s);
		if ((u = unit_read(&p)) == UNIT_BAD)
			return config_errf(err, errlen, "'%.*s' has an unknown unit; "
			    "use ms, s, m or h", DURATION_SHOW, s);
		if ((int)u <= last)
			return config_errf(err, errlen, "'%.*s': units must go from "
			    "largest to smallest, each once (e.g. 1h30m)",
			    DURATION_SHOW, s);
		last = (int)u;
		if (v > (UINT64_MAX - total) / unit_ms[u])
			goto toolong;
		total += v * unit_ms[u];
	}
	*ms = total;
	return 0;
notdur:
	return config_errf(err, errlen, "'%.*s' is not a duration; write e.g. "
	    "500ms, 15s, 2m or 1h30m", DURATION_SHOW, s);
toolong:
	return config_errf(err, errlen, "'%.*s' is too long a duration",
	    DURATION_SHOW, s);
}

/* Write ms the way a person would: 500ms, 15s, 2m, 1h30m, 1500ms. */
void
duration_format(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;
	int n = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (ms % 1000 != 0 || ms == 0) {
		snprintf(buf, len, "%" PRIu64 "%s", ms, ms ? "ms" : "s");
		return;
	}
	if (s >= 3600)
		n = snprintf(buf, len, "%" PRIu64 "h", s / 3600);
	if (n >= 0 && (size_t)n < len && s % 3600 >= 60)
		n += snprintf(buf + n, len - (size_t)n, "%" PRIu64 "m",
		    s % 3600 / 60);
	if (n >= 0 && (size_t)n < len && s % 60 != 0)
		snprintf(buf + n, len - (size_t)n, "%" PRIu64 "s", s % 60);
}
