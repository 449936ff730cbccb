/*
 * frame.c: a syslog line split into host, program and message.
 *
 *   <PRI>Mmm dd hh:mm:ss dhcpd[PID]: MSG          glibc syslog() on /dev/log
 *   <PRI>Mmm dd hh:mm:ss HOST dhcpd[PID]: MSG     RFC 3164 forwarded
 *   Mmm dd hh:mm:ss HOST dhcpd[PID]: MSG          rsyslog traditional file
 *   2026-12-07T06:21:05.123+00:00 HOST dhcpd[PID]: MSG    rsyslog RFC 3339
 *   <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG  RFC 5424
 *
 * The PRI is optional everywhere; so is the host name before the tag.
 */
#include <string.h>

#include "dl_int.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

int
dl_has_prefix(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && memcmp(s, lit, l) == 0;
}

int
dl_has_suffix(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && memcmp(s + n - l, lit, l) == 0;
}

/* The offset of the last occurrence of lit in s, or DL_NPOS. */
size_t
dl_rfind(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit), i;

	if (l == 0 || n < l)
		return DL_NPOS;
	for (i = n - l + 1; i-- > 0;)
		if (s[i] == lit[0] && memcmp(s + i, lit, l) == 0)
			return i;
	return DL_NPOS;
}

/* 1 when s is well-formed UTF-8 (no overlongs, no surrogates). */
int
dl_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, need;
	unsigned c, min;

	while (i < n) {
		c = s[i++];
		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1; c &= 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2; c &= 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3; c &= 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i < need)
			return 0;
		for (k = 0; k < need; k++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i++] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
	}
	return 1;
}

/* A dotted quad, exactly (no leading zeros beyond "0"), in host order. */
int
dl_ipv4(const char *s, size_t n, uint32_t *out)
{
	uint32_t ip = 0;
	unsigned part, digits, dots = 0;
	size_t i = 0;

	for (;;) {
		part = 0;
		digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			part = part * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || part > 255 ||
		    (digits > 1 && s[i - digits] == '0'))
			return -1;
		ip = ip << 8 | part;
		if (dots == 3)
			break;
		if (i >= n || s[i] != '.')
			return -1;
		i++;
		dots++;
	}
	if (i != n)
		return -1;
	*out = ip;
	return 0;
}

int
dhcplog_str_eq(struct dhcplog_str s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* The next word (up to a space or the end); *p moves past one space. */
static int
word(const char **p, const char *end, struct dhcplog_str *w, size_t max)
{
	const char *s = *p;

	w->p = s;
	while (s < end && *s != ' ')
		s++;
	w->len = (size_t)(s - w->p);
	if (w->len == 0 || w->len > max)
		return -1;
	*p = s < end ? s + 1 : s;
	return 0;
}

static int
printable(struct dhcplog_str w)
{
	size_t i;

	for (i = 0; i < w.len; i++)
		if ((unsigned char)w.p[i] <= 0x20 || w.p[i] == 0x7f)
			return 0;
	return 1;
}

/* "Mmm dd hh:mm:ss " (day space-padded) */
static int
ts_3164(const char **p, const char *end)
{
	const char *s = *p;
	int i;

	if (end - s < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' ||
	    s[12] != ':' || s[15] != ' ')
		return -1;
	for (i = 0; i < 36; i += 3)
		if (memcmp(s, months + i, 3) == 0)
			break;
	if (i == 36 || (s[4] != ' ' && (s[4] < '0' || s[4] > '3')) ||
	    s[5] < '0' || s[5] > '9')
		return -1;
	for (i = 7; i < 15; i++)
		if (i != 9 && i != 12 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*p = s + 16;
	return 0;
}

/* "YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm) " */
static int
ts_3339(const char **p, const char *end)
{
	struct dhcplog_str w;
	const char *s = *p;
	int i;

	if (word(&s, end, &w, 40) == -1 || w.len < 20 || w.p[4] != '-' ||
	    w.p[7] != '-' || (w.p[10] != 'T' && w.p[10] != 't'))
		return -1;
	for (i = 0; i < 4; i++)
		if (w.p[i] < '0' || w.p[i] > '9')
			return -1;
	*p = s;
	return 0;
}

/* "TAG:" or "TAG[PID]:" */
static int
tag(struct dhcplog_str w, struct dhcplog_str *program)
{
	const char *b;

	if (w.len < 2 || w.p[w.len - 1] != ':')
		return -1;
	w.len--;
	if (w.p[w.len - 1] == ']') {
		b = memchr(w.p, '[', w.len);
		if (b == NULL)
			return -1;
		w.len = (size_t)(b - w.p);
	}
	if (w.len == 0 || w.len > DL_MAX_PROGRAM || !printable(w))
		return -1;
	*program = w;
	return 0;
}

/* "1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]", after the PRI. */
static int
rfc5424(const char *s, const char *end, struct dhcplog_frame *f)
{
	struct dhcplog_str ts, host, app, procid, msgid;
	int depth = 0;

	s += 2;
	if (word(&s, end, &ts, 64) == -1 || word(&s, end, &host,
	    DL_MAX_HOST) == -1 || word(&s, end, &app, DL_MAX_PROGRAM) == -1 ||
	    word(&s, end, &procid, 128) == -1 || word(&s, end, &msgid, 32) == -1)
		return -1;
	if (!printable(host) || !printable(app))
		return -1;
	if (s < end && *s == '-')
		s++;
	else {
		/* [id p="v" ...]... with \" \] \\ escapes inside quotes */
		int quoted = 0;

		if (s >= end || *s != '[')
			return -1;
		while (s < end) {
			if (quoted) {
				if (*s == '\\' && s + 1 < end)
					s++;
				else if (*s == '"')
					quoted = 0;
			} else if (*s == '"')
				quoted = 1;
			else if (*s == '[')
				depth++;
			else if (*s == ']')
				depth--;
			else if (*s == ' ' && depth == 0)
				break;
			s++;
		}
		if (depth != 0 || quoted)
			return -1;
	}
	if (s < end && *s == ' ')
		s++;
	else if (s < end)
		return -1;
	if (end - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (!dhcplog_str_eq(host, "-"))
		f->host = host;
	if (!dhcplog_str_eq(app, "-"))
		f->program = app;
	f->msg.p = s;
	f->msg.len = (size_t)(end - s);
	return f->program.len ? 0 : -1;
}

/*
 * Split one line.  0: host (maybe empty), program and message point into
 * line; -1: not a syslog line.
 */
int
dhcplog_frame_parse(const char *line, size_t len, struct dhcplog_frame *f)
{
	const char *s = line, *end = line + len;
	struct dhcplog_str w;
	unsigned pri = 0;
	int digits = 0;

	memset(f, 0, sizeof(*f));
	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (s < end && *s == '<') {
		for (s++; s < end && *s >= '0' && *s <= '9' && digits < 4;
		    s++, digits++)
			pri = pri * 10 + (unsigned)(*s - '0');
		if (digits == 0 || digits > 3 || pri > 191 || s >= end ||
		    *s != '>')
			return -1;
		s++;
		if (end - s >= 2 && s[0] == '1' && s[1] == ' ')
			return rfc5424(s, end, f);
	}
	if (ts_3164(&s, end) == -1 && ts_3339(&s, end) == -1)
		return -1;
	if (word(&s, end, &w, DL_MAX_HOST) == -1)
		return -1;
	if (tag(w, &f->program) == -1) {
		if (!printable(w))
			return -1;
		f->host = w;
		if (word(&s, end, &w, DL_MAX_PROGRAM + 10) == -1 ||
		    tag(w, &f->program) == -1)
			return -1;
	}
	f->msg.p = s;
	f->msg.len = (size_t)(end - s);
	return 0;
}
