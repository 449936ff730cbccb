/*
 * config.c: load and check the dhcpd_exporter YAML configuration.
 *
 * libyaml's event parser builds a small tree of mappings, lists and
 * scalars (each with its line and column); the tree is then walked section
 * by section, every value checked where it is read.  Every problem is
 * recorded as "FILE:LINE:COLUMN: message" and the walk goes on, so that one
 * run shows them all.  Aliases are refused (they would let a small file
 * expand into a huge tree) and nesting is capped.
 *
 * Secrets never appear in a message: the inline `secret:` is only checked
 * to be base64, and files holding secrets are read by config_load_key().
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"

#define DEPTH_MAX	32	/* nesting of mappings and lists */
#define MSG_MAX		1024	/* bytes in one error message */
#define PATH_LEN_MAX	4096
#define SECRET_FILE_MAX	(64 * 1024)
#define MSGSIZE_MIN	1024
#define MSGSIZE_MAX	(16 * 1024 * 1024)

/*
 * Bounds of the durations, in ms.  poll_interval: 1s .. 24h (a poll costs
 * a few requests per pool and host).  timeout, connect_timeout: 100ms ..
 * 60s (dhcpd answers in well under a millisecond when it is healthy).
 * sweep.interval: 1s .. 24h (a sweep that takes longer than its interval
 * simply starts again when it ends).
 */
#define POLL_MIN_MS	1000
#define POLL_MAX_MS	(24 * 3600 * 1000)
#define TIMEOUT_MIN_MS	100
#define TIMEOUT_MAX_MS	60000
#define SWEEP_MIN_MS	1000
#define SWEEP_MAX_MS	(24 * 3600 * 1000)
#define RATE_MAX	1000000	/* requests per second; 0 means no limit */
#define WINDOW_MAX	1024	/* sweep requests in flight */
#define CIDR_MIN	8	/* /8 is the largest block, 16M addresses */

/* Label names the exporter itself puts on its series. */
static const char *const reserved_labels[] = {
	"server", "pool", "state", "host", "mac", "ip", "address", "reason",
	"within", "version", "commit", "job", "instance", "le", "quantile",
	NULL
};

enum ykind { Y_SCALAR, Y_MAP, Y_LIST };

/* One node of the parsed YAML; a mapping's kids are key, value, key, ... */
struct ynode {
	enum ykind	  kind;
	int		  line;
	int		  col;
	int		  plain;	/* an unquoted scalar */
	char		 *str;		/* scalar text, NUL-terminated */
	size_t		  len;
	struct ynode	**kids;
	size_t		  nkids;
	size_t		  cap;
};

/* State of one load. */
struct parse {
	const char		*file;
	char			*dir;	/* of file, for relative paths */
	const char		*data;
	size_t			 len;
	int			 mode_known;
	mode_t			 mode;	/* of the file, when mode_known */
	struct config_errors	*errs;
	size_t			 nerr;
};

/* For finding duplicates by sorting. */
struct dupent {
	const void	*key;
	size_t		 keylen;
	size_t		 idx;
	int		 line;
	int		 col;
};

/* For finding overlaps by sorting. */
struct rangeref {
	const struct config_range	*r;
	const struct config_pool	*pool;
};

static void	 perr(struct parse *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 perrn(struct parse *, const struct ynode *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));

/* ---- the error sink ---- */

/* Keep one message; count it in `lost` when it cannot be kept. */
static void
errors_add(struct config_errors *e, const char *msg)
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

/* Report a problem at line:col (1-based; 0 for none) of the file. */
static void
perr(struct parse *p, int line, int col, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	int n;

	if (line > 0)
		n = snprintf(msg, sizeof(msg), "%s:%d:%d: ", p->file, line,
		    col);
	else
		n = snprintf(msg, sizeof(msg), "%s: ", p->file);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	p->nerr++;
	errors_add(p->errs, msg);
}

/* Report a problem at a node. */
static void
perrn(struct parse *p, const struct ynode *n, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	perr(p, n->line, n->col, "%s", msg);
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

/* ---- the YAML tree ---- */

/* Free a node and everything under it; scalars are wiped first. */
static void
ynode_free(struct ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	if (n->str != NULL) {
		explicit_bzero(n->str, n->len);
		free(n->str);
	}
	free(n);
}

/* Append kid to a mapping or list node. */
static int
ynode_add(struct ynode *n, struct ynode *kid)
{
	struct ynode **nk;
	size_t ncap;

	if (n->nkids == n->cap) {
		ncap = n->cap ? n->cap * 2 : 4;
		if ((nk = realloc(n->kids, ncap * sizeof(*nk))) == NULL)
			return -1;
		n->kids = nk;
		n->cap = ncap;
	}
	n->kids[n->nkids++] = kid;
	return 0;
}

/* A new node for an event; scalars copy the event's text. */
static struct ynode *
ynode_new(const yaml_event_t *ev, enum ykind kind)
{
	struct ynode *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->kind = kind;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	if (kind != Y_SCALAR)
		return n;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->len = ev->data.scalar.length;
	if ((n->str = malloc(n->len + 1)) == NULL) {
		free(n);
		return NULL;
	}
	memcpy(n->str, ev->data.scalar.value, n->len);
	n->str[n->len] = '\0';
	return n;
}

/* Line and column (1-based) of a byte offset in the input. */
static void
offset_pos(const struct parse *p, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < p->len; i++) {
		if (p->data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Report libyaml's own error with its position. */
static void
yaml_report(struct parse *p, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unknown error";
	int line, col;

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		perr(p, 0, 0, "out of memory");
		break;
	case YAML_READER_ERROR:
		offset_pos(p, yp->problem_offset, &line, &col);
		perr(p, line, col, "cannot read the file as text: %s",
		    problem);
		break;
	default:
		line = (int)yp->problem_mark.line + 1;
		col = (int)yp->problem_mark.column + 1;
		if (yp->context != NULL)
			perr(p, line, col, "YAML syntax error: %s (%s at line "
			    "%d, column %d)", problem, yp->context,
			    (int)yp->context_mark.line + 1,
			    (int)yp->context_mark.column + 1);
		else
			perr(p, line, col, "YAML syntax error: %s", problem);
	}
}

/*
 * Handle one event: attach a new node to the open mapping or list (or make
 * it the root), open or close containers.  0 or -1 (reported).
 */
static int
tree_event(struct parse *p, const yaml_event_t *ev, struct ynode **root,
    struct ynode **stack, size_t *depth, int *ndocs)
{
	struct ynode *n;
	enum ykind kind;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if ((*ndocs)++ == 0)
			return 0;
		perr(p, line, col, "only one YAML document is allowed");
		return -1;
	case YAML_ALIAS_EVENT:
		perr(p, line, col, "aliases (*%.64s) are not supported; "
		    "write the value out", ev->data.alias.anchor);
		return -1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		(*depth)--;
		return 0;
	case YAML_SCALAR_EVENT:
		kind = Y_SCALAR;
		break;
	case YAML_SEQUENCE_START_EVENT:
		kind = Y_LIST;
		break;
	case YAML_MAPPING_START_EVENT:
		kind = Y_MAP;
		break;
	default:
		return 0;
	}
	if (kind != Y_SCALAR && *depth >= DEPTH_MAX) {
		perr(p, line, col, "nested more than %d levels deep",
		    DEPTH_MAX);
		return -1;
	}
	if ((n = ynode_new(ev, kind)) == NULL)
		goto nomem;
	if (*depth == 0)
		*root = n;
	else if (ynode_add(stack[*depth - 1], n) == -1) {
		ynode_free(n);
		goto nomem;
	}
	if (kind != Y_SCALAR)
		stack[(*depth)++] = n;
	return 0;
nomem:
	perr(p, 0, 0, "out of memory");
	return -1;
}

/* Parse the input into a tree: 0 and *rootp (NULL when empty), or -1. */
static int
tree_load(struct parse *p, struct ynode **rootp)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	struct ynode *stack[DEPTH_MAX] = { NULL }, *root = NULL;
	size_t depth = 0;
	int ndocs = 0, rv = -1, done = 0;

	if (!yaml_parser_initialize(&yp)) {
		perr(p, 0, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)p->data,
	    p->len);
	while (!done) {
		if (!yaml_parser_parse(&yp, &ev)) {
			yaml_report(p, &yp);
			goto out;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (tree_event(p, &ev, &root, stack, &depth, &ndocs) == -1) {
			yaml_event_delete(&ev);
			goto out;
		}
		yaml_event_delete(&ev);
	}
	rv = 0;
out:
	yaml_parser_delete(&yp);
	if (rv == -1) {
		ynode_free(root);
		root = NULL;
	}
	*rootp = root;
	return rv;
}

/* ---- reading values ---- */

/* A kind of node, for messages. */
static const char *
kind_a(enum ykind k)
{
	return k == Y_SCALAR ? "a single value" : k == Y_MAP ? "a mapping" :
	    "a list";
}

/* A plain empty, "~" or "null" scalar. */
static int
is_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && (n->len == 0 ||
	    strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	    strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

/* What a node is, for messages. */
static const char *
kind_desc(const struct ynode *n)
{
	return is_null(n) ? "empty" : kind_a(n->kind);
}

/* Check that n is of kind k. */
static int
want(struct parse *p, const struct ynode *n, enum ykind k, const char *what)
{
	if (n->kind == k)
		return 0;
	perrn(p, n, "'%s' must be %s, not %s", what, kind_a(k), kind_desc(n));
	return -1;
}

/* Check that an entry of the list `list` is a mapping. */
static int
want_entry(struct parse *p, const struct ynode *n, const char *list)
{
	if (n->kind == Y_MAP)
		return 0;
	perrn(p, n, "each entry of '%s' must be a mapping, not %s", list,
	    kind_desc(n));
	return -1;
}

/* The value of key in mapping m (the first one), or NULL. */
static const struct ynode *
map_get(const struct ynode *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (m->kids[i]->kind == Y_SCALAR &&
		    strcmp(m->kids[i]->str, key) == 0)
			return m->kids[i + 1];
	return NULL;
}

/* Could this text be a secret?  Then keep it out of messages. */
static int
looks_secret(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((s[i] < 'a' || s[i] > 'z') && s[i] != '_')
			return 1;
	return i > 20;
}

/*
 * Report unknown, duplicate and non-scalar keys of mapping m, found in
 * `where`; allowed ends with NULL.  0 if none.
 */
static int
check_keys(struct parse *p, const struct ynode *m, const char *where,
    const char *const *allowed, int hide)
{
	const struct ynode *seen[16] = { NULL }, *k;
	char list[512];
	size_t i, a, off = 0;
	size_t before = p->nerr;

	for (a = 0; allowed[a] != NULL && off < sizeof(list); a++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%s%s", a ? ", " : "", allowed[a]);
	for (i = 0; i + 1 < m->nkids; i += 2) {
		k = m->kids[i];
		if (k->kind != Y_SCALAR) {
			perrn(p, k, "keys in %s must be plain names, not %s",
			    where, kind_a(k->kind));
			continue;
		}
		for (a = 0; allowed[a] != NULL; a++)
			if (strcmp(k->str, allowed[a]) == 0)
				break;
		if (allowed[a] == NULL && hide && looks_secret(k->str))
			perrn(p, k, "unknown key in %s (not shown: it may be "
			    "a secret); expected one of: %s", where, list);
		else if (allowed[a] == NULL)
			perrn(p, k, "unknown key '%.64s' in %s; expected one "
			    "of: %s", k->str, where, list);
		else if (a < 16 && seen[a] != NULL)
			perrn(p, k, "duplicate key '%s' in %s (first at line "
			    "%d, column %d)", k->str, where, seen[a]->line,
			    seen[a]->col);
		else if (a < 16)
			seen[a] = k;
	}
	return p->nerr == before ? 0 : -1;
}

/* A non-empty scalar of at most max bytes without NUL bytes. */
static int
get_str(struct parse *p, const struct ynode *n, const char *what, size_t max,
    const char **out)
{
	if (want(p, n, Y_SCALAR, what) == -1)
		return -1;
	if (is_null(n) || n->len == 0) {
		perrn(p, n, "'%s' must not be empty", what);
		return -1;
	}
	if (strlen(n->str) != n->len) {
		perrn(p, n, "'%s' must not contain NUL characters", what);
		return -1;
	}
	if (n->len > max) {
		perrn(p, n, "'%s' is longer than %zu bytes", what, max);
		return -1;
	}
	*out = n->str;
	return 0;
}

/* Like get_str, and a copy the caller owns. */
static int
dup_str(struct parse *p, const struct ynode *n, const char *what, size_t max,
    char **out)
{
	const char *s;

	if (get_str(p, n, what, max, &s) == -1)
		return -1;
	if ((*out = strdup(s)) == NULL) {
		perr(p, 0, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* A whole decimal number in [min, max]. */
static int
get_uint(struct parse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s;
	uint64_t v = 0;

	if (get_str(p, n, what, 64, &s) == -1)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > max)
			break;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0' || v < min || v > max) {
		perrn(p, n, "'%s' must be a whole number from %" PRIu64
		    " to %" PRIu64 ", not '%.64s'", what, min, max, n->str);
		return -1;
	}
	*out = v;
	return 0;
}

/* A byte count, plain or with a KiB or MiB suffix, in [min, max]. */
static int
get_size(struct parse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s;
	uint64_t v = 0, mult = 1;

	if (get_str(p, n, what, 64, &s) == -1)
		return -1;
	for (; *s >= '0' && *s <= '9' && v <= max; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	if (strcmp(s, "KiB") == 0)
		mult = 1024;
	else if (strcmp(s, "MiB") == 0)
		mult = 1024 * 1024;
	else if (*s != '\0')
		mult = 0;
	if (s == n->str || mult == 0 || v > max / mult || v * mult < min) {
		perrn(p, n, "'%s' must be a size from %" PRIu64 " to %"
		    PRIu64 " bytes (or with KiB or MiB), not '%.64s'", what,
		    min, max, n->str);
		return -1;
	}
	*out = v * mult;
	return 0;
}

/* true or false. */
static int
get_bool(struct parse *p, const struct ynode *n, const char *what, int *out)
{
	const char *s;

	if (get_str(p, n, what, 16, &s) == -1)
		return -1;
	if (strcasecmp(s, "true") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0)
		*out = 0;
	else {
		perrn(p, n, "'%s' must be true or false, not '%s'", what, s);
		return -1;
	}
	return 0;
}

/* A duration with units in [min, max] ms. */
static int
get_duration(struct parse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint32_t *out)
{
	char err[256], lo[32], hi[32], got[32];
	const char *s;
	uint64_t ms;

	if (get_str(p, n, what, 64, &s) == -1)
		return -1;
	if (duration_parse(s, &ms, err, sizeof(err)) == -1) {
		perrn(p, n, "%s: %s", what, err);
		return -1;
	}
	if (ms < min || ms > max) {
		duration_format(min, lo, sizeof(lo));
		duration_format(max, hi, sizeof(hi));
		duration_format(ms, got, sizeof(got));
		perrn(p, n, "'%s' must be from %s to %s, not %s", what, lo,
		    hi, got);
		return -1;
	}
	*out = (uint32_t)ms;
	return 0;
}

/* A path; relative ones are taken from the configuration file's folder. */
static int
get_path(struct parse *p, const struct ynode *n, const char *what,
    char **out)
{
	const char *s;

	if (get_str(p, n, what, PATH_LEN_MAX, &s) == -1)
		return -1;
	if (s[0] == '/' || p->dir == NULL)
		*out = strdup(s);
	else if (asprintf(out, "%s/%s", p->dir, s) == -1)
		*out = NULL;
	if (*out == NULL) {
		perr(p, 0, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- addresses and ranges ---- */

/* A strict dotted quad: four decimal numbers 0..255, no leading zeros. */
static int
ipv4_parse(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0, part;
	size_t i = 0, digits;
	int dots;

	for (dots = 0; dots < 4; dots++) {
		part = 0;
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9';
		    i++, digits++) {
			if (digits == 3)
				return -1;
			part = part * 10 + (uint32_t)(s[i] - '0');
		}
		if (digits == 0 || part > 255 || (digits > 1 &&
		    s[i - digits] == '0'))
			return -1;
		v = (v << 8) | part;
		if (dots < 3 && (i >= len || s[i++] != '.'))
			return -1;
	}
	if (i != len)
		return -1;
	*out = v;
	return 0;
}

/* Write a host-order IPv4 address dotted. */
static void
ipv4_format(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

/*
 * Parse "A.B.C.D-E.F.G.H" (first <= last) or "A.B.C.D/N" (8 <= N <= 32,
 * host bits zero).  A CIDR block covers every address in it, network and
 * broadcast addresses included: dhcpd has lease objects only for the
 * addresses of its ranges and answers "not found" for the others, which
 * the sweep counts under no state, so writing the subnet is harmless and
 * costs two requests.
 */
int
config_parse_range(const char *s, uint32_t *first, uint32_t *last,
    char *err, size_t errlen)
{
	const char *sep;
	char *end;
	uint32_t a, b, mask;
	unsigned long bits;

	if ((sep = strchr(s, '/')) != NULL) {
		if (ipv4_parse(s, (size_t)(sep - s), &a) == -1)
			return config_errf(err, errlen, "'%.*s' is not an IPv4 "
			    "address", (int)((size_t)(sep - s) > 40 ? 40 :
			    sep - s), s);
		errno = 0;
		bits = (sep[1] >= '0' && sep[1] <= '9') ?
		    strtoul(sep + 1, &end, 10) : 0;
		if (sep[1] < '0' || sep[1] > '9' || *end != '\0' ||
		    errno != 0 || bits < CIDR_MIN || bits > 32)
			return config_errf(err, errlen, "the prefix length after "
			    "'/' must be a number from %d to 32", CIDR_MIN);
		mask = bits == 32 ? 0 : 0xffffffffu >> bits;
		if ((a & mask) != 0) {
			char net[16];

			ipv4_format(a & ~mask, net, sizeof(net));
			return config_errf(err, errlen, "host bits are set; the "
			    "block is %s/%lu", net, bits);
		}
		*first = a;
		*last = a | mask;
		return 0;
	}
	if ((sep = strchr(s, '-')) == NULL)
		return config_errf(err, errlen, "expected FIRST-LAST "
		    "(10.0.0.10-10.0.0.200) or a CIDR block (10.0.0.0/24)");
	if (ipv4_parse(s, (size_t)(sep - s), &a) == -1)
		return config_errf(err, errlen, "'%.*s' is not an IPv4 address",
		    (int)((size_t)(sep - s) > 40 ? 40 : sep - s), s);
	if (ipv4_parse(sep + 1, strlen(sep + 1), &b) == -1)
		return config_errf(err, errlen, "'%.40s' is not an IPv4 address",
		    sep + 1);
	if (a > b)
		return config_errf(err, errlen, "the first address is after the "
		    "last");
	*first = a;
	*last = b;
	return 0;
}

/*
 * A Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not starting with
 * "__" (reserved for Prometheus) and not one the exporter sets itself.
 */
int
config_label_name_ok(const char *s, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return config_errf(err, errlen, "label name '%.64s' is not "
			    "valid: use letters, digits and '_', not starting "
			    "with a digit", s);
	if (i == 0)
		return config_errf(err, errlen, "label name must not be empty");
	if (i > 128)
		return config_errf(err, errlen, "label name is longer than 128 "
		    "characters");
	if (s[0] == '_' && s[1] == '_')
		return config_errf(err, errlen, "label name '%.64s' starts with "
		    "'__', which is reserved for Prometheus", s);
	for (i = 0; reserved_labels[i] != NULL; i++)
		if (strcmp(s, reserved_labels[i]) == 0)
			return config_errf(err, errlen, "label name '%s' is reserved: "
			    "the exporter sets it", s);
	return 0;
}

/* "00:16:3e:00:00:01" (or with '-'), any case. */
static int
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned i, hi, lo;

	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]))
			return -1;
		if (s[2] != (i == 5 ? '\0' : ':') &&
		    (i == 5 || s[2] != '-'))
			return -1;
		hi = (unsigned)(isdigit((unsigned char)s[0]) ? s[0] - '0' :
		    (tolower((unsigned char)s[0]) - 'a' + 10));
		lo = (unsigned)(isdigit((unsigned char)s[1]) ? s[1] - '0' :
		    (tolower((unsigned char)s[1]) - 'a' + 10));
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* HOST:PORT, [IPv6]:PORT or :PORT (every address). */
static int
listen_ok(const char *s)
{
	const char *colon = strrchr(s, ':');
	const char *q;
	unsigned long port;
	char *end;

	if (colon == NULL || colon[1] < '0' || colon[1] > '9')
		return 0;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port == 0 || port > 65535)
		return 0;
	if (s[0] == '[')
		return colon > s + 2 && colon[-1] == ']' &&
		    memchr(s + 1, '[', (size_t)(colon - s - 1)) == NULL &&
		    memchr(s + 1, ']', (size_t)(colon - s - 2)) == NULL;
	for (q = s; q < colon; q++)
		if (*q == ':' || *q == '[' || *q == ']' || *q == ' ')
			return 0;
	return 1;
}

/* ---- sections ---- */

static const char *const top_keys[] = { "listen", "poll_interval",
    "servers", NULL };
static const char *const server_keys[] = { "name", "address", "port",
    "timeout", "connect_timeout", "max_message_size", "key", "sweep",
    "pools", "hosts", NULL };
static const char *const key_keys[] = { "name", "algorithm", "secret",
    "secret_file", "key_file", NULL };
static const char *const sweep_keys[] = { "enabled", "interval",
    "max_rate", "window", NULL };
static const char *const pool_keys[] = { "name", "ranges", "labels", NULL };
static const char *const host_keys[] = { "name", "mac", NULL };

/* Check that an inline base64 secret decodes, without showing it. */
static void
check_inline_secret(struct parse *p, const struct ynode *n,
    struct config_key *key)
{
	uint8_t buf[OMAPI_KEY_SECRET_MAX];
	size_t len = 0;
	const char *s;
	int ok;

	if (want(p, n, Y_SCALAR, "secret") == -1)
		return;
	if (is_null(n) || n->len == 0) {
		perrn(p, n, "'secret' must not be empty");
		return;
	}
	s = n->str;
	ok = strlen(s) == n->len && omapi_base64_decode(s, n->len, buf,
	    sizeof(buf), &len) == 0 && len > 0;
	explicit_bzero(buf, sizeof(buf));
	if (!ok) {
		perrn(p, n, "'secret' is not valid base64 (at most %d bytes "
		    "once decoded)", OMAPI_KEY_SECRET_MAX);
		return;
	}
	if (p->mode_known && (p->mode & S_IROTH))
		perrn(p, n, "this file holds an inline secret but everyone "
		    "may read it (mode %04o); run: chmod o-r %s, or move the "
		    "secret to a secret_file", (unsigned)(p->mode & 07777),
		    p->file);
	if ((key->secret = strdup(s)) == NULL)
		perr(p, 0, 0, "out of memory");
}

/* Where the key's secret comes from: exactly one of three keys. */
static void
parse_key_source(struct parse *p, const struct ynode *m,
    struct config_key *key)
{
	static const char *const src[] = { "secret", "secret_file",
	    "key_file" };
	const struct ynode *v, *which = NULL;
	size_t i;

	for (i = 0; i < 3; i++) {
		if ((v = map_get(m, src[i])) == NULL)
			continue;
		if (which != NULL) {
			perrn(p, v, "key: give only one of 'secret', "
			    "'secret_file' or 'key_file'");
			continue;
		}
		which = v;
		if (i == 0) {
			key->src = CONFIG_SECRET_INLINE;
			check_inline_secret(p, v, key);
		} else {
			key->src = i == 1 ? CONFIG_SECRET_FILE :
			    CONFIG_SECRET_KEY_FILE;
			get_path(p, v, src[i], &key->path);
		}
	}
	if (which == NULL)
		perrn(p, m, "key needs one of 'secret', 'secret_file' or "
		    "'key_file'");
}

/* The `key` block of a server. */
static void
parse_key(struct parse *p, const struct ynode *m, struct config_key *key)
{
	const struct ynode *v;
	const char *s;

	key->alg = OMAPI_ALG_HMAC_MD5;
	if (want(p, m, Y_MAP, "key") == -1)
		return;
	check_keys(p, m, "key", key_keys, 1);
	parse_key_source(p, m, key);
	if ((v = map_get(m, "name")) != NULL)
		dup_str(p, v, "name", OMAPI_KEY_NAME_MAX, &key->name);
	else if (key->src != CONFIG_SECRET_KEY_FILE &&
	    key->src != CONFIG_SECRET_NONE)
		perrn(p, m, "key needs a 'name' (the key's name in "
		    "dhcpd.conf)");
	if ((v = map_get(m, "algorithm")) != NULL &&
	    get_str(p, v, "algorithm", 64, &s) == 0) {
		if (omapi_alg_parse(s, &key->alg) == -1)
			perrn(p, v, "unknown key algorithm '%s' (expected "
			    "hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, "
			    "hmac-sha384 or hmac-sha512)", s);
		else
			key->alg_given = 1;
	}
}

/* The `sweep` block of a server; an empty one means all defaults. */
static void
parse_sweep(struct parse *p, const struct ynode *m, struct config_sweep *sw)
{
	const struct ynode *v;
	uint64_t u;

	if (!is_null(m) && want(p, m, Y_MAP, "sweep") == -1)
		return;
	sw->enabled = 1;
	if (is_null(m))
		return;
	check_keys(p, m, "sweep", sweep_keys, 0);
	if ((v = map_get(m, "enabled")) != NULL)
		get_bool(p, v, "enabled", &sw->enabled);
	if ((v = map_get(m, "interval")) != NULL)
		get_duration(p, v, "interval", SWEEP_MIN_MS, SWEEP_MAX_MS,
		    &sw->interval_ms);
	if ((v = map_get(m, "max_rate")) != NULL &&
	    get_uint(p, v, "max_rate", 0, RATE_MAX, &u) == 0)
		sw->max_rate = (uint32_t)u;
	if ((v = map_get(m, "window")) != NULL &&
	    get_uint(p, v, "window", 1, WINDOW_MAX, &u) == 0)
		sw->window = (unsigned)u;
}

/* One entry of a pool's `ranges`. */
static void
parse_range(struct parse *p, const struct ynode *n, struct config_pool *pool,
    struct config_range *r)
{
	char err[256];
	const char *s;

	r->line = n->line;
	r->col = n->col;
	if (get_str(p, n, "range", 64, &s) == -1)
		return;
	if (config_parse_range(s, &r->first, &r->last, err,
	    sizeof(err)) == -1) {
		perrn(p, n, "range '%s': %s", s, err);
		/* An empty range, so that the overlap check skips it. */
		r->first = 1;
		r->last = 0;
		return;
	}
	pool->naddrs += (uint64_t)(r->last - r->first) + 1;
}

/* A pool's `labels` mapping. */
static void
parse_labels(struct parse *p, const struct ynode *m, struct config_pool *pool)
{
	const struct ynode *k, *v;
	char err[256];
	size_t i, j, n = m->nkids / 2;

	if (want(p, m, Y_MAP, "labels") == -1)
		return;
	if (n > CONFIG_LABELS_MAX) {
		perrn(p, m, "a pool may have at most %d labels, not %zu",
		    CONFIG_LABELS_MAX, n);
		return;
	}
	if ((pool->labels = calloc(n ? n : 1, sizeof(*pool->labels))) ==
	    NULL) {
		perr(p, 0, 0, "out of memory");
		return;
	}
	pool->nlabels = n;
	for (i = 0; i < n; i++) {
		k = m->kids[2 * i];
		v = m->kids[2 * i + 1];
		if (want(p, k, Y_SCALAR, "label name") == -1)
			continue;
		if (strlen(k->str) != k->len)
			snprintf(err, sizeof(err), "label names must not "
			    "contain NUL characters");
		if (strlen(k->str) != k->len ||
		    config_label_name_ok(k->str, err, sizeof(err)) == -1) {
			perrn(p, k, "%s", err);
			continue;
		}
		for (j = 0; j < i; j++)
			if (m->kids[2 * j]->kind == Y_SCALAR &&
			    strcmp(m->kids[2 * j]->str, k->str) == 0)
				break;
		if (j < i) {
			perrn(p, k, "duplicate label '%s' (first at line %d, "
			    "column %d)", k->str, m->kids[2 * j]->line,
			    m->kids[2 * j]->col);
			continue;
		}
		if (dup_str(p, v, k->str, CONFIG_STR_MAX,
		    &pool->labels[i].value) == 0 &&
		    (pool->labels[i].name = strdup(k->str)) == NULL)
			perr(p, 0, 0, "out of memory");
	}
}

/* One entry of a server's `pools`. */
static void
parse_pool(struct parse *p, const struct ynode *m, struct config_pool *pool)
{
	const struct ynode *v;
	size_t i;

	pool->line = m->line;
	if (want_entry(p, m, "pools") == -1)
		return;
	check_keys(p, m, "pool", pool_keys, 0);
	if ((v = map_get(m, "name")) != NULL)
		dup_str(p, v, "name", CONFIG_STR_MAX, &pool->name);
	else
		perrn(p, m, "pool needs a 'name' (the value of its `pool` "
		    "label)");
	if ((v = map_get(m, "labels")) != NULL)
		parse_labels(p, v, pool);
	if ((v = map_get(m, "ranges")) == NULL) {
		perrn(p, m, "pool needs 'ranges', e.g. [\"10.0.0.10-"
		    "10.0.0.200\"]");
		return;
	}
	if (want(p, v, Y_LIST, "ranges") == -1)
		return;
	if (v->nkids == 0 || v->nkids > CONFIG_RANGES_MAX) {
		perrn(p, v, "'ranges' must have 1 to %d entries",
		    CONFIG_RANGES_MAX);
		return;
	}
	if ((pool->ranges = calloc(v->nkids, sizeof(*pool->ranges))) ==
	    NULL) {
		perr(p, 0, 0, "out of memory");
		return;
	}
	pool->nranges = v->nkids;
	for (i = 0; i < v->nkids; i++)
		parse_range(p, v->kids[i], pool, &pool->ranges[i]);
}

/* One entry of a server's `hosts`. */
static void
parse_host(struct parse *p, const struct ynode *m, struct config_host *host)
{
	const struct ynode *v;
	const char *s;
	char buf[18];

	host->line = m->line;
	if (want_entry(p, m, "hosts") == -1)
		return;
	check_keys(p, m, "host", host_keys, 0);
	if ((v = map_get(m, "name")) != NULL)
		dup_str(p, v, "name", CONFIG_STR_MAX, &host->name);
	if ((v = map_get(m, "mac")) != NULL && get_str(p, v, "mac", 64,
	    &s) == 0) {
		if (mac_parse(s, host->mac) == -1)
			perrn(p, v, "mac '%s' is not a MAC address (expected "
			    "six hex pairs like 00:16:3e:00:00:01)", s);
		else
			host->has_mac = 1;
	}
	if (map_get(m, "name") == NULL && map_get(m, "mac") == NULL)
		perrn(p, m, "host needs a 'name' or a 'mac'");
	if (host->name != NULL)
		host->label = strdup(host->name);
	else if (host->has_mac) {
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
		    host->mac[0], host->mac[1], host->mac[2], host->mac[3],
		    host->mac[4], host->mac[5]);
		host->label = strdup(buf);
	} else
		return;
	if (host->label == NULL)
		perr(p, 0, 0, "out of memory");
}

/* Order dupents by key (NULL first), then by position in the file. */
static int
dupent_cmp(const void *va, const void *vb)
{
	const struct dupent *a = va, *b = vb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c;

	if (a->key == NULL || b->key == NULL) {
		if (a->key != b->key)
			return a->key == NULL ? -1 : 1;
	} else if ((c = memcmp(a->key, b->key, n)) != 0)
		return c;
	else if (a->keylen != b->keylen)
		return a->keylen < b->keylen ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Report every entry whose (non-NULL) key an earlier entry already has. */
static void
report_dups(struct parse *p, struct dupent *d, size_t n, const char *what)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dupent_cmp);
	for (i = 1; i < n; i++) {
		if (d[i].key == NULL)
			continue;
		if (d[first].key == NULL || d[first].keylen != d[i].keylen ||
		    memcmp(d[first].key, d[i].key, d[i].keylen) != 0) {
			first = i;
			continue;
		}
		perr(p, d[i].line, d[i].col, "duplicate %s '%.*s' (first at "
		    "line %d, column %d)", what, (int)d[i].keylen,
		    (const char *)d[i].key, d[first].line, d[first].col);
	}
}

/* Duplicate pool names and host names/MACs within one server. */
static void
check_server_dups(struct parse *p, const struct config_server *srv,
    const struct ynode *pools, const struct ynode *hosts)
{
	struct dupent *d;
	char (*macs)[18] = NULL;
	size_t i, n = srv->npools > srv->nhosts ? srv->npools : srv->nhosts;

	if (n < 2)
		return;
	if ((d = calloc(n, sizeof(*d))) == NULL ||
	    (macs = calloc(n, sizeof(*macs))) == NULL) {
		free(d);
		perr(p, 0, 0, "out of memory");
		return;
	}
	for (i = 0; i < srv->npools; i++)
		d[i] = (struct dupent){ srv->pools[i].name, srv->pools[i].name ?
		    strlen(srv->pools[i].name) : 0, i, pools->kids[i]->line,
		    pools->kids[i]->col };
	report_dups(p, d, srv->npools, "pool");
	for (i = 0; i < srv->nhosts; i++)
		d[i] = (struct dupent){ srv->hosts[i].label,
		    srv->hosts[i].label ? strlen(srv->hosts[i].label) : 0, i,
		    hosts->kids[i]->line, hosts->kids[i]->col };
	report_dups(p, d, srv->nhosts, "host");
	for (i = 0; i < srv->nhosts; i++) {
		const uint8_t *m = srv->hosts[i].mac;

		snprintf(macs[i], sizeof(macs[i]),
		    "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		    m[4], m[5]);
		d[i] = (struct dupent){ srv->hosts[i].has_mac ? macs[i] : NULL,
		    17, i, hosts->kids[i]->line, hosts->kids[i]->col };
	}
	report_dups(p, d, srv->nhosts, "host mac");
	free(macs);
	free(d);
}

/* Order range references by first address. */
static int
rangeref_cmp(const void *va, const void *vb)
{
	const struct rangeref *a = va, *b = vb;

	if (a->r->first != b->r->first)
		return a->r->first < b->r->first ? -1 : 1;
	if (a->r->line != b->r->line)
		return a->r->line < b->r->line ? -1 : 1;
	return (a->r->col > b->r->col) - (a->r->col < b->r->col);
}

/* Report that two ranges overlap, at the one written later. */
static void
report_overlap(struct parse *p, const struct rangeref *a,
    const struct rangeref *b)
{
	char a1[16], a2[16], b1[16], b2[16];
	const struct rangeref *t;

	if (a->r->line > b->r->line || (a->r->line == b->r->line &&
	    a->r->col > b->r->col)) {
		t = a;
		a = b;
		b = t;
	}
	ipv4_format(a->r->first, a1, sizeof(a1));
	ipv4_format(a->r->last, a2, sizeof(a2));
	ipv4_format(b->r->first, b1, sizeof(b1));
	ipv4_format(b->r->last, b2, sizeof(b2));
	perr(p, b->r->line, b->r->col, "range %s-%s of pool '%s' overlaps "
	    "range %s-%s of pool '%s' at %s:%d:%d", b1, b2,
	    b->pool->name ? b->pool->name : "?", a1, a2,
	    a->pool->name ? a->pool->name : "?", p->file, a->r->line,
	    a->r->col);
}

/* Ranges of one server, in all its pools, must not overlap. */
static void
check_overlaps(struct parse *p, const struct config_server *srv)
{
	struct rangeref *rr, *widest;
	size_t i, j, n = 0;

	for (i = 0; i < srv->npools; i++)
		n += srv->pools[i].nranges;
	if (n < 2)
		return;
	if ((rr = calloc(n, sizeof(*rr))) == NULL) {
		perr(p, 0, 0, "out of memory");
		return;
	}
	for (n = 0, i = 0; i < srv->npools; i++)
		for (j = 0; j < srv->pools[i].nranges; j++) {
			if (srv->pools[i].ranges[j].first >
			    srv->pools[i].ranges[j].last)
				continue;	/* a bad one, reported */
			rr[n].r = &srv->pools[i].ranges[j];
			rr[n++].pool = &srv->pools[i];
		}
	qsort(rr, n, sizeof(*rr), rangeref_cmp);
	for (widest = rr, i = 1; i < n; i++) {
		if (rr[i].r->first <= widest->r->last)
			report_overlap(p, widest, &rr[i]);
		if (rr[i].r->last > widest->r->last)
			widest = &rr[i];
	}
	free(rr);
}

/* Parse a list section (pools or hosts) into a zeroed array. */
static void *
parse_list(struct parse *p, const struct ynode *v, const char *what,
    size_t max, size_t size, size_t *np)
{
	void *a;

	*np = 0;
	if (want(p, v, Y_LIST, what) == -1)
		return NULL;
	if (v->nkids > max) {
		perrn(p, v, "at most %zu %s per server, not %zu", max, what,
		    v->nkids);
		return NULL;
	}
	if ((a = calloc(v->nkids ? v->nkids : 1, size)) == NULL) {
		perr(p, 0, 0, "out of memory");
		return NULL;
	}
	*np = v->nkids;
	return a;
}

/* An IP address or host name, without a port. */
static void
check_address(struct parse *p, const struct ynode *n, const char *a)
{
	const char *c = strchr(a, ':');

	if (c != NULL && strchr(c + 1, ':') == NULL)
		perrn(p, n, "'address' must not include a port; put it in "
		    "'port'");
	else if (strpbrk(a, " \t[]/") != NULL)
		perrn(p, n, "'address' must be an IP address or a host name");
}

/* Address, port and timeouts of a server. */
static void
parse_server_conn(struct parse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;
	uint64_t u;

	if ((v = map_get(m, "address")) == NULL)
		perrn(p, m, "server needs an 'address' (where dhcpd's "
		    "omapi-port listens)");
	else if (dup_str(p, v, "address", 253, &srv->address) == 0)
		check_address(p, v, srv->address);
	if ((v = map_get(m, "port")) != NULL &&
	    get_uint(p, v, "port", 1, 65535, &u) == 0)
		srv->port = (uint16_t)u;
	if ((v = map_get(m, "timeout")) != NULL)
		get_duration(p, v, "timeout", TIMEOUT_MIN_MS, TIMEOUT_MAX_MS,
		    &srv->timeout_ms);
	srv->connect_timeout_ms = srv->timeout_ms;
	if ((v = map_get(m, "connect_timeout")) != NULL)
		get_duration(p, v, "connect_timeout", TIMEOUT_MIN_MS,
		    TIMEOUT_MAX_MS, &srv->connect_timeout_ms);
	if ((v = map_get(m, "max_message_size")) != NULL &&
	    get_size(p, v, "max_message_size", MSGSIZE_MIN, MSGSIZE_MAX,
	    &u) == 0)
		srv->max_message_size = (size_t)u;
}

/* The pools and hosts of a server, and the checks across them. */
static void
parse_server_lists(struct parse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *pools, *hosts;
	size_t i;

	if ((pools = map_get(m, "pools")) != NULL &&
	    (srv->pools = parse_list(p, pools, "pools", CONFIG_POOLS_MAX,
	    sizeof(*srv->pools), &srv->npools)) != NULL)
		for (i = 0; i < srv->npools; i++) {
			parse_pool(p, pools->kids[i], &srv->pools[i]);
			srv->sweep.naddrs += srv->pools[i].naddrs;
		}
	if ((hosts = map_get(m, "hosts")) != NULL &&
	    (srv->hosts = parse_list(p, hosts, "hosts", CONFIG_HOSTS_MAX,
	    sizeof(*srv->hosts), &srv->nhosts)) != NULL)
		for (i = 0; i < srv->nhosts; i++)
			parse_host(p, hosts->kids[i], &srv->hosts[i]);
	check_server_dups(p, srv, pools, hosts);
	check_overlaps(p, srv);
	if (!srv->sweep.enabled)
		return;
	if (srv->npools == 0)
		perrn(p, map_get(m, "sweep"), "sweep needs pools: it looks "
		    "up every address of the pools' ranges");
	else if (srv->sweep.naddrs > CONFIG_SWEEP_MAX_ADDRS)
		perrn(p, map_get(m, "sweep"), "the pools of server '%s' "
		    "have %" PRIu64 " addresses, more than a sweep may cover "
		    "(%u)", srv->name ? srv->name : "?", srv->sweep.naddrs,
		    CONFIG_SWEEP_MAX_ADDRS);
}

/* One entry of `servers`. */
static void
parse_server(struct parse *p, const struct ynode *m,
    struct config_server *srv)
{
	const struct ynode *v;

	srv->line = m->line;
	srv->port = OMAPI_DEFAULT_PORT;
	srv->timeout_ms = CONFIG_DEFAULT_TIMEOUT_MS;
	srv->max_message_size = OMAPI_DEFAULT_MAX_MSG;
	srv->sweep.interval_ms = CONFIG_DEFAULT_SWEEP_MS;
	srv->sweep.max_rate = CONFIG_DEFAULT_MAX_RATE;
	srv->sweep.window = CONFIG_DEFAULT_WINDOW;
	if (want_entry(p, m, "servers") == -1)
		return;
	check_keys(p, m, "server", server_keys, 0);
	if ((v = map_get(m, "name")) != NULL)
		dup_str(p, v, "name", CONFIG_STR_MAX, &srv->name);
	else
		perrn(p, m, "server needs a 'name' (the value of its "
		    "`server` label)");
	parse_server_conn(p, m, srv);
	if ((v = map_get(m, "key")) != NULL)
		parse_key(p, v, &srv->key);
	if ((v = map_get(m, "sweep")) != NULL)
		parse_sweep(p, v, &srv->sweep);
	parse_server_lists(p, m, srv);
}

/* Server names, and address:port pairs, must differ between servers. */
static void
check_servers(struct parse *p, const struct config *cfg,
    const struct ynode *list)
{
	const struct config_server *a, *b;
	size_t i, j;

	for (i = 0; i < cfg->nservers; i++) {
		b = &cfg->servers[i];
		for (j = 0; j < i; j++) {
			a = &cfg->servers[j];
			if (a->name && b->name && strcmp(a->name, b->name) ==
			    0) {
				perrn(p, list->kids[i], "duplicate server "
				    "'%s' (first at line %d, column %d)",
				    b->name, list->kids[j]->line,
				    list->kids[j]->col);
				break;
			}
			if (a->address && b->address && a->port == b->port &&
			    strcasecmp(a->address, b->address) == 0) {
				perrn(p, list->kids[i], "server '%s' has the "
				    "same address and port as server '%s' "
				    "(line %d)", b->name ? b->name : "?",
				    a->name ? a->name : "?", a->line);
				break;
			}
		}
	}
}

/* The top-level mapping. */
static void
parse_top(struct parse *p, const struct ynode *root, struct config *cfg)
{
	const struct ynode *v;
	size_t i;

	if (root == NULL || is_null(root)) {
		perr(p, 1, 1, "the configuration is empty; it needs at least "
		    "'servers'");
		return;
	}
	if (root->kind != Y_MAP) {
		perrn(p, root, "the configuration must be a mapping with the "
		    "keys listen, poll_interval and servers, not %s",
		    kind_desc(root));
		return;
	}
	check_keys(p, root, "the top-level mapping", top_keys, 0);
	if ((v = map_get(root, "listen")) != NULL &&
	    dup_str(p, v, "listen", CONFIG_STR_MAX, &cfg->listen) == 0 &&
	    !listen_ok(cfg->listen))
		perrn(p, v, "'listen' must be HOST:PORT, [IPV6]:PORT or :PORT "
		    "(e.g. 0.0.0.0:9367), not '%s'", cfg->listen);
	if ((v = map_get(root, "poll_interval")) != NULL)
		get_duration(p, v, "poll_interval", POLL_MIN_MS, POLL_MAX_MS,
		    &cfg->poll_interval_ms);
	if ((v = map_get(root, "servers")) == NULL) {
		perrn(p, root, "no 'servers': configure at least one dhcpd "
		    "server");
		return;
	}
	if (want(p, v, Y_LIST, "servers") == -1)
		return;
	if (v->nkids == 0 || v->nkids > CONFIG_SERVERS_MAX) {
		perrn(p, v, "'servers' must have 1 to %d entries",
		    CONFIG_SERVERS_MAX);
		return;
	}
	if ((cfg->servers = calloc(v->nkids, sizeof(*cfg->servers))) ==
	    NULL) {
		perr(p, 0, 0, "out of memory");
		return;
	}
	cfg->nservers = v->nkids;
	for (i = 0; i < v->nkids; i++)
		parse_server(p, v->kids[i], &cfg->servers[i]);
	check_servers(p, cfg, v);
}

/* ---- loading ---- */

/* Parse data as the file `name` into a new config. */
static int
load(struct parse *p, struct config **out)
{
	struct config *cfg;
	struct ynode *root = NULL;
	const char *slash;

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->file = strdup(p->file)) == NULL) {
		free(cfg);
		perr(p, 0, 0, "out of memory");
		return -1;
	}
	cfg->poll_interval_ms = CONFIG_DEFAULT_POLL_MS;
	if (p->mode_known && (slash = strrchr(p->file, '/')) != NULL &&
	    (p->dir = strndup(p->file, (size_t)(slash - p->file))) == NULL)
		perr(p, 0, 0, "out of memory");
	if (p->nerr == 0 && tree_load(p, &root) == 0)
		parse_top(p, root, cfg);
	if (p->nerr == 0 && cfg->listen == NULL &&
	    (cfg->listen = strdup(CONFIG_DEFAULT_LISTEN)) == NULL)
		perr(p, 0, 0, "out of memory");
	ynode_free(root);
	free(p->dir);
	p->dir = NULL;
	if (p->nerr != 0) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

/*
 * Parse a configuration held in memory; name is what messages call it.
 * Relative paths are kept as written and no file mode is checked.
 */
int
config_load_buffer(const char *name, const char *data, size_t len,
    struct config **out, struct config_errors *errs)
{
	struct parse p;

	memset(&p, 0, sizeof(p));
	p.file = name;
	p.data = data;
	p.len = len;
	p.errs = errs;
	return load(&p, out);
}

/* Read a whole regular file of at most max bytes; the caller frees it. */
static int
read_file(const char *path, size_t max, char **out, size_t *outlen,
    struct stat *st, char *err, size_t errlen)
{
	char *data = NULL;
	size_t len = 0;
	ssize_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return config_errf(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, st) == -1) {
		config_errf(err, errlen, "%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st->st_mode)) {
		config_errf(err, errlen, "%s: not a regular file", path);
		goto out_close;
	}
	if ((data = malloc(max + 1)) == NULL) {
		config_errf(err, errlen, "%s: out of memory", path);
		goto out_close;
	}
	while (len <= max && (n = read(fd, data + len, max + 1 - len)) > 0)
		len += (size_t)n;
	if (n == -1 || len > max) {
		config_errf(err, errlen, "%s: %s", path, n == -1 ? strerror(errno) :
		    "file too large");
		explicit_bzero(data, len);
		free(data);
		goto out_close;
	}
	data[len] = '\0';
	close(fd);
	*out = data;
	*outlen = len;
	return 0;
out_close:
	close(fd);
	return -1;
}

/*
 * Load the configuration file at path.  A file holding an inline secret
 * must not be readable by everyone.  Relative secret_file and key_file
 * paths are taken from the file's folder.
 */
int
config_load(const char *path, struct config **out,
    struct config_errors *errs)
{
	struct parse p;
	struct stat st;
	char err[MSG_MAX], *data;
	size_t len;
	int rv;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.file = path;
	p.errs = errs;
	if (read_file(path, CONFIG_FILE_MAX, &data, &len, &st, err,
	    sizeof(err)) == -1) {
		errors_add(errs, err);
		return -1;
	}
	p.data = data;
	p.len = len;
	p.mode_known = 1;
	p.mode = st.st_mode;
	rv = load(&p, out);
	explicit_bzero(data, len);
	free(data);
	return rv;
}

/* Free a configuration and wipe its inline secrets. */
void
config_free(struct config *cfg)
{
	struct config_server *s;
	struct config_pool *pl;
	size_t i, j, k;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nservers; i++) {
		s = &cfg->servers[i];
		for (j = 0; j < s->npools; j++) {
			pl = &s->pools[j];
			for (k = 0; k < pl->nlabels; k++) {
				free(pl->labels[k].name);
				free(pl->labels[k].value);
			}
			free(pl->labels);
			free(pl->ranges);
			free(pl->name);
		}
		free(s->pools);
		for (j = 0; j < s->nhosts; j++) {
			free(s->hosts[j].label);
			free(s->hosts[j].name);
		}
		free(s->hosts);
		if (s->key.secret != NULL) {
			explicit_bzero(s->key.secret, strlen(s->key.secret));
			free(s->key.secret);
		}
		free(s->key.path);
		free(s->key.name);
		free(s->address);
		free(s->name);
	}
	free(cfg->servers);
	free(cfg->listen);
	free(cfg->file);
	free(cfg);
}

/* ---- keys ---- */

/* Read a file that holds a secret; refuse it if group or others may. */
static int
read_secret_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (read_file(path, SECRET_FILE_MAX, text, len, &st, err,
	    errlen) == -1)
		return -1;
	if ((st.st_mode & 077) == 0)
		return 0;
	explicit_bzero(*text, *len);
	free(*text);
	*text = NULL;
	return config_errf(err, errlen, "%s: group or others may access this "
	    "secret (mode %04o); fix with: chmod 0600 %s", path,
	    (unsigned)(st.st_mode & 07777), path);
}

/* Fill key from a file holding only the base64 secret. */
static int
key_from_secret_file(const struct config_key *ck, const char *text,
    size_t len, struct omapi_key *key, char *err, size_t errlen)
{
	size_t slen;

	snprintf(key->name, sizeof(key->name), "%s", ck->name);
	key->alg = ck->alg;
	if (omapi_base64_decode(text, len, key->secret, sizeof(key->secret),
	    &slen) == -1 || slen == 0) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: not a base64 secret (a file "
		    "with a `key NAME { ... };` block goes in key_file)",
		    ck->path);
	}
	key->secret_len = slen;
	return 0;
}

/* Fill key from a dhcpd.conf-style key file. */
static int
key_from_key_file(const struct config_key *ck, const char *text, size_t len,
    struct omapi_key *key, char *err, size_t errlen)
{
	struct omapi_error oe;

	memset(&oe, 0, sizeof(oe));
	if (omapi_key_parse_text(key, text, len, ck->name, &oe) == -1) {
		omapi_key_wipe(key);
		return config_errf(err, errlen, "%s: %s", ck->path, oe.text);
	}
	if (ck->alg_given && key->alg != ck->alg) {
		config_errf(err, errlen, "%s: key '%s' uses %s, but the "
		    "configuration says %s", ck->path, key->name,
		    omapi_alg_name(key->alg), omapi_alg_name(ck->alg));
		omapi_key_wipe(key);
		return -1;
	}
	return 0;
}

/*
 * Fill key for a server: from the inline secret, or by reading its
 * secret_file or key_file (refused when group or others may access it).
 * A server without a key gets a zeroed key (alg OMAPI_ALG_NONE): connect
 * unsigned.  0, or -1 with a message in err that never holds the secret.
 * The caller wipes key with omapi_key_wipe() when done.
 */
int
config_load_key(const struct config_server *srv, struct omapi_key *key,
    char *err, size_t errlen)
{
	const struct config_key *ck = &srv->key;
	struct omapi_error oe;
	char *text = NULL;
	size_t len = 0;
	int rv = -1;

	memset(key, 0, sizeof(*key));
	memset(&oe, 0, sizeof(oe));
	switch (ck->src) {
	case CONFIG_SECRET_NONE:
		return 0;
	case CONFIG_SECRET_INLINE:
		if (omapi_key_set(key, ck->name, omapi_alg_name(ck->alg),
		    ck->secret, &oe) == -1)
			return config_errf(err, errlen, "key '%s': %s", ck->name,
			    oe.text);
		return 0;
	case CONFIG_SECRET_FILE:
	case CONFIG_SECRET_KEY_FILE:
		break;
	}
	if (read_secret_file(ck->path, &text, &len, err, errlen) == -1 ||
	    text == NULL)
		return -1;
	if (ck->src == CONFIG_SECRET_FILE)
		rv = key_from_secret_file(ck, text, len, key, err, errlen);
	else
		rv = key_from_key_file(ck, text, len, key, err, errlen);
	explicit_bzero(text, len);
	free(text);
	return rv;
}
