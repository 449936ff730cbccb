/*
 * yamlread.c: the YAML tree and the value readers both loaders share
 * (see config/config_int.h).
 */
#include <sys/stat.h>

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

#include "config_int.h"
#include "omapi.h"

/* Report a problem at line:col (1-based; 0 for none) of the file. */
void
yerr(struct yparse *p, int line, int col, const char *fmt, ...)
{
	char msg[YAML_MSG_MAX];
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
	config_errors_add(p->errs, msg);
}

/* Report a problem at a node. */
void
yerrn(struct yparse *p, const struct ynode *n, const char *fmt, ...)
{
	char msg[YAML_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	yerr(p, n->line, n->col, "%s", msg);
}

/* ---- the YAML tree ---- */

/* Free a node and everything under it; scalars are wiped first. */
void
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
offset_pos(const struct yparse *p, size_t off, int *line, int *col)
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
yaml_report(struct yparse *p, const yaml_parser_t *yp)
{
	const char *problem = yp->problem ? yp->problem : "unknown error";
	int line, col;

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		yerr(p, 0, 0, "out of memory");
		break;
	case YAML_READER_ERROR:
		offset_pos(p, yp->problem_offset, &line, &col);
		yerr(p, line, col, "cannot read the file as text: %s",
		    problem);
		break;
	default:
		line = (int)yp->problem_mark.line + 1;
		col = (int)yp->problem_mark.column + 1;
		if (yp->context != NULL)
			yerr(p, line, col, "YAML syntax error: %s (%s at line "
			    "%d, column %d)", problem, yp->context,
			    (int)yp->context_mark.line + 1,
			    (int)yp->context_mark.column + 1);
		else
			yerr(p, line, col, "YAML syntax error: %s", problem);
	}
}

/*
 * Handle one event: attach a new node to the open mapping or list (or make
 * it the root), open or close containers.  0 or -1 (reported).
 */
static int
tree_event(struct yparse *p, const yaml_event_t *ev, struct ynode **root,
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
		yerr(p, line, col, "only one YAML document is allowed");
		return -1;
	case YAML_ALIAS_EVENT:
		yerr(p, line, col, "aliases (*%.64s) are not supported; "
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
	if (kind != Y_SCALAR && *depth >= YAML_DEPTH_MAX) {
		yerr(p, line, col, "nested more than %d levels deep",
		    YAML_DEPTH_MAX);
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
	yerr(p, 0, 0, "out of memory");
	return -1;
}

/* Parse the input into a tree: 0 and *rootp (NULL when empty), or -1. */
int
ytree_load(struct yparse *p, struct ynode **rootp)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	struct ynode *stack[YAML_DEPTH_MAX] = { NULL }, *root = NULL;
	size_t depth = 0;
	int ndocs = 0, rv = -1, done = 0;

	if (!yaml_parser_initialize(&yp)) {
		yerr(p, 0, 0, "out of memory");
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
const char *
ykind_a(enum ykind k)
{
	return k == Y_SCALAR ? "a single value" : k == Y_MAP ? "a mapping" :
	    "a list";
}

/* A plain empty, "~" or "null" scalar. */
int
yis_null(const struct ynode *n)
{
	return n->kind == Y_SCALAR && n->plain && (n->len == 0 ||
	    strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	    strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

/* What a node is, for messages. */
const char *
ykind_desc(const struct ynode *n)
{
	return yis_null(n) ? "empty" : ykind_a(n->kind);
}

/* Check that n is of kind k. */
int
ywant(struct yparse *p, const struct ynode *n, enum ykind k, const char *what)
{
	if (n->kind == k)
		return 0;
	yerrn(p, n, "'%s' must be %s, not %s", what, ykind_a(k), ykind_desc(n));
	return -1;
}

/* Check that an entry of the list `list` is a mapping. */
int
ywant_entry(struct yparse *p, const struct ynode *n, const char *list)
{
	if (n->kind == Y_MAP)
		return 0;
	yerrn(p, n, "each entry of '%s' must be a mapping, not %s", list,
	    ykind_desc(n));
	return -1;
}

/* The value of key in mapping m (the first one), or NULL. */
const struct ynode *
ymap_get(const struct ynode *m, const char *key)
{
	size_t i;

	for (i = 0; i + 1 < m->nkids; i += 2)
		if (m->kids[i]->kind == Y_SCALAR &&
		    strcmp(m->kids[i]->str, key) == 0)
			return m->kids[i + 1];
	return NULL;
}

/* Could this text be a secret?  Then keep it out of messages. */
int
ylooks_secret(const char *s)
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
int
ycheck_keys(struct yparse *p, const struct ynode *m, const char *where,
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
			yerrn(p, k, "keys in %s must be plain names, not %s",
			    where, ykind_a(k->kind));
			continue;
		}
		for (a = 0; allowed[a] != NULL; a++)
			if (strcmp(k->str, allowed[a]) == 0)
				break;
		if (allowed[a] == NULL && hide && ylooks_secret(k->str))
			yerrn(p, k, "unknown key in %s (not shown: it may be "
			    "a secret); expected one of: %s", where, list);
		else if (allowed[a] == NULL)
			yerrn(p, k, "unknown key '%.64s' in %s; expected one "
			    "of: %s", k->str, where, list);
		else if (a < 16 && seen[a] != NULL)
			yerrn(p, k, "duplicate key '%s' in %s (first at line "
			    "%d, column %d)", k->str, where, seen[a]->line,
			    seen[a]->col);
		else if (a < 16)
			seen[a] = k;
	}
	return p->nerr == before ? 0 : -1;
}

/* A non-empty scalar of at most max bytes without NUL bytes. */
int
yget_str(struct yparse *p, const struct ynode *n, const char *what, size_t max,
    const char **out)
{
	if (ywant(p, n, Y_SCALAR, what) == -1)
		return -1;
	if (yis_null(n) || n->len == 0) {
		yerrn(p, n, "'%s' must not be empty", what);
		return -1;
	}
	if (strlen(n->str) != n->len) {
		yerrn(p, n, "'%s' must not contain NUL characters", what);
		return -1;
	}
	if (n->len > max) {
		yerrn(p, n, "'%s' is longer than %zu bytes", what, max);
		return -1;
	}
	*out = n->str;
	return 0;
}

/* Like get_str, and a copy the caller owns. */
int
ydup_str(struct yparse *p, const struct ynode *n, const char *what, size_t max,
    char **out)
{
	const char *s;

	if (yget_str(p, n, what, max, &s) == -1)
		return -1;
	if ((*out = strdup(s)) == NULL) {
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* A whole decimal number in [min, max]. */
int
yget_uint(struct yparse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s;
	uint64_t v = 0;

	if (yget_str(p, n, what, 64, &s) == -1)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > max)
			break;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0' || v < min || v > max) {
		yerrn(p, n, "'%s' must be a whole number from %" PRIu64
		    " to %" PRIu64 ", not '%.64s'", what, min, max, n->str);
		return -1;
	}
	*out = v;
	return 0;
}

/* A byte count, plain or with a KiB or MiB suffix, in [min, max]. */
int
yget_size(struct yparse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char *s;
	uint64_t v = 0, mult = 1;

	if (yget_str(p, n, what, 64, &s) == -1)
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
		yerrn(p, n, "'%s' must be a size from %" PRIu64 " to %"
		    PRIu64 " bytes (or with KiB or MiB), not '%.64s'", what,
		    min, max, n->str);
		return -1;
	}
	*out = v * mult;
	return 0;
}

/* true or false. */
int
yget_bool(struct yparse *p, const struct ynode *n, const char *what, int *out)
{
	const char *s;

	if (yget_str(p, n, what, 16, &s) == -1)
		return -1;
	if (strcasecmp(s, "true") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0)
		*out = 0;
	else {
		yerrn(p, n, "'%s' must be true or false, not '%s'", what, s);
		return -1;
	}
	return 0;
}

/* A duration with units in [min, max] ms. */
int
yget_duration(struct yparse *p, const struct ynode *n, const char *what,
    uint64_t min, uint64_t max, uint32_t *out)
{
	char err[256], lo[32], hi[32], got[32];
	const char *s;
	uint64_t ms;

	if (yget_str(p, n, what, 64, &s) == -1)
		return -1;
	if (duration_parse(s, &ms, err, sizeof(err)) == -1) {
		yerrn(p, n, "%s: %s", what, err);
		return -1;
	}
	if (ms < min || ms > max) {
		duration_format(min, lo, sizeof(lo));
		duration_format(max, hi, sizeof(hi));
		duration_format(ms, got, sizeof(got));
		yerrn(p, n, "'%s' must be from %s to %s, not %s", what, lo,
		    hi, got);
		return -1;
	}
	*out = (uint32_t)ms;
	return 0;
}

/* A path; relative ones are taken from the configuration file's folder. */
int
yget_path(struct yparse *p, const struct ynode *n, const char *what,
    char **out)
{
	const char *s;

	if (yget_str(p, n, what, YAML_PATH_LEN_MAX, &s) == -1)
		return -1;
	if (s[0] == '/' || p->dir == NULL)
		*out = strdup(s);
	else if (asprintf(out, "%s/%s", p->dir, s) == -1)
		*out = NULL;
	if (*out == NULL) {
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* ---- files ---- */

/*
 * Read a whole regular file of at most max bytes (the caller wipes and
 * frees it) by the library's one reader, which never blocks on a FIFO.
 */
int
yread_file(const char *path, size_t max, char **out, size_t *outlen,
    mode_t *mode, char *err, size_t errlen)
{
	struct omapi_error oe;

	if (omapi_file_read(path, max, out, outlen, mode, &oe) == -1)
		return config_errf(err, errlen, "%s", oe.text);
	return 0;
}

/* ---- starting and ending a load ---- */

void
yparse_buffer(struct yparse *p, const char *name, const char *data,
    size_t len, struct config_errors *errs)
{
	memset(p, 0, sizeof(*p));
	p->file = name;
	p->data = data;
	p->len = len;
	p->errs = errs;
}

int
yparse_file(struct yparse *p, const char *path, size_t max,
    struct config_errors *errs)
{
	char err[YAML_MSG_MAX];
	const char *slash;
	char *folder;
	mode_t mode;

	memset(p, 0, sizeof(*p));
	p->file = path;
	p->errs = errs;
	if (yread_file(path, max, &p->owned, &p->len, &mode, err,
	    sizeof(err)) == -1) {
		config_errors_add(errs, err);
		return -1;
	}
	p->data = p->owned;
	p->mode_known = 1;
	p->mode = mode;
	/*
	 * The file's folder, absolute, for the relative paths in it: the
	 * dhcpd.conf reader takes a relative path from "/", as dhcpd would
	 * after its chdir, so "./a.yml" must not leave "./dhcpd.conf".
	 */
	slash = strrchr(path, '/');
	if ((folder = slash != NULL ? strndup(path, (size_t)(slash - path)) :
	    strdup(".")) == NULL || ((p->dir = realpath(folder[0] != '\0' ?
	    folder : "/", NULL)) == NULL && (p->dir = strdup(folder)) == NULL)) {
		free(folder);
		yparse_end(p);
		config_errors_add(errs, "out of memory");
		return -1;
	}
	free(folder);
	return 0;
}

void
yparse_end(struct yparse *p)
{
	if (p->owned != NULL) {
		explicit_bzero(p->owned, p->len);
		free(p->owned);
		p->owned = NULL;
	}
	free(p->dir);
	p->dir = NULL;
}
