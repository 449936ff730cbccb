/*
 * parser.c: dhcpd.conf statements, after ISC's server/confpars.c.  The
 * declarations that make dhcpd's IPv4 address pools are read: include,
 * shared-network, subnet, group, and (pool.c) pool and range, (peer.c)
 * failover peer and class.
 * Every other statement is skipped whole: up to its ';' at the same
 * nesting, or its balanced { } (with elsif/else and an optional ';').
 * Where a declaration may stand and the errors follow confpars.c, so a
 * file dhcpd -t refuses is refused here for the same reason, and one it
 * accepts is read.  The first error ends the parse.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dcf_int.h"

static int	parse_file(struct dcf_parser *, const struct dcf_ctx *,
		    const char *path, const struct dcf_token *);

static size_t
add_shared(struct dcf_parser *p, const struct dcf_token *t, char *name,
    int implicit)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_shared *s;
	size_t n = c->nshared;

	if (!implicit && dcf_decl(p, t) == -1) {	/* a lone subnet's: its */
		free(name);
		return DHCPDCONF_NONE;
	}
	if (name == NULL || dcf_grow(&c->shared, &p->capshared, n + 1,
	    sizeof(*c->shared)) == -1 || dcf_grow(&p->ws, &p->capws, n + 1,
	    sizeof(*p->ws)) == -1) {
		free(name);
		dcf_nomem(p, t);
		return DHCPDCONF_NONE;
	}
	s = &c->shared[n];
	s->name = name;
	s->implicit = implicit;
	s->peer = DHCPDCONF_NONE;
	s->where = dcf_where(p, t);
	p->ws[n].first = p->ws[n].last = DHCPDCONF_NONE;
	p->ws[n].nsubnets = 0;
	p->ws[n].v6 = 0;
	c->nshared++;
	return n;
}

/* A shared-network name: a string, or a host name (parse_host_name). */
static char *
parse_shared_name(struct dcf_parser *p)
{
	struct dcf_token t;
	char buf[1024];
	size_t n = 0;

	if (dcf_next(p, &t) == -1)
		return NULL;
	if (t.type == DCF_STRING) {
		if (t.len == 0 || t.text[0] == '\0') {
			dcf_perr(p, &t, "zero-length shared network name");
			return NULL;
		}
		return strdup(t.text);
	}
	for (;;) {
		if (t.type != DCF_NAME && t.type != DCF_NUMBER) {
			dcf_expected(p, &t, "a name for shared-network");
			return NULL;
		}
		if (n + t.len + 2 > sizeof(buf)) {
			dcf_perr(p, &t, "shared-network name too long");
			return NULL;
		}
		memcpy(buf + n, t.text, t.len);
		n += t.len;
		if (dcf_peek(p, &t) == -1)
			return NULL;
		if (!dcf_tok_ch(&t, '.'))
			break;
		buf[n++] = '.';
		if (dcf_next(p, &t) == -1 || dcf_next(p, &t) == -1)
			return NULL;
	}
	buf[n] = '\0';
	return strdup(buf);
}

/* shared-network NAME { ... } */
static int
parse_shared(struct dcf_parser *p, const struct dcf_token *kw)
{
	struct dcf_ctx ctx = { K_SHARED, 0, DHCPDCONF_NONE, DHCPDCONF_NONE, 0 };
	struct dcf_token brace;
	char *name;
	size_t s;

	if ((name = parse_shared_name(p)) == NULL)
		return -1;
	if (dcf_next(p, &brace) == -1) {
		free(name);
		return -1;
	}
	if (!dcf_tok_ch(&brace, '{')) {
		free(name);
		return dcf_expected(p, &brace, "'{'");
	}
	if ((s = add_shared(p, kw, name, 0)) == DHCPDCONF_NONE)
		return -1;
	ctx.shared = s;
	if (dcf_stmts(p, &ctx, &brace) == -1)
		return -1;
	if (p->ws[s].nsubnets == 0 && !p->ws[s].v6)
		return dcf_perr(p, kw, "empty shared-network declaration");
	return 0;
}

/* The prefix length dhcpd prints for a mask: its lowest set bit. */
static unsigned
mask_prefix(uint32_t mask)
{
	unsigned n = 32;

	if (mask == 0)
		return 0;
	while ((mask & 1) == 0) {
		mask >>= 1;
		n--;
	}
	return n;
}

/* subnet NET netmask MASK { ... } */
static int
parse_subnet(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw)
{
	struct dcf_ctx ctx = *up;
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_subnet *sn;
	struct dcf_token nt, brace;
	char a[16], m[16], *name;
	uint32_t net, mask;
	size_t s, n;

	if (dcf_ip(p, &net, &nt) == -1 || dcf_expect_word(p, "netmask") == -1 ||
	    dcf_ip(p, &mask, NULL) == -1)
		return -1;
	if ((net & ~mask) != 0) {
		dcf_ip_text(net, a);
		dcf_ip_text(mask, m);
		return dcf_perr(p, &nt, "subnet %s netmask %s: bad subnet "
		    "number/mask combination", a, m);
	}
	if (dcf_expect_ch(p, '{', "'{'") == -1)
		return -1;
	brace = p->lx->tok;
	if (dcf_decl(p, kw) == -1)
		return -1;
	if (dcf_grow(&c->subnets, &p->capsubnets, c->nsubnets + 1,
	    sizeof(*c->subnets)) == -1)
		return dcf_nomem(p, kw);
	sn = &c->subnets[c->nsubnets];
	memset(sn, 0, sizeof(*sn));
	sn->net = net;
	sn->mask = mask;
	sn->prefix = mask_prefix(mask);
	dcf_ip_text(net, sn->cidr);
	n = strlen(sn->cidr);
	sn->cidr[n++] = '/';
	if (sn->prefix >= 10)
		sn->cidr[n++] = (char)('0' + sn->prefix / 10);
	sn->cidr[n++] = (char)('0' + sn->prefix % 10);
	sn->cidr[n] = '\0';
	sn->where = dcf_where(p, kw);
	/*
	 * Only a subnet right in a shared-network (or in a file included
	 * there) is part of it: clone_group() carries no shared network, so
	 * one in a group or a pool inside a shared-network is its own.
	 */
	s = up->kind == K_SHARED ? up->shared : DHCPDCONF_NONE;
	if (s == DHCPDCONF_NONE) {
		name = strdup(sn->cidr);
		if ((s = add_shared(p, kw, name, 1)) == DHCPDCONF_NONE)
			return -1;
	}
	sn->shared = s;
	p->ws[s].nsubnets++;
	ctx.kind = K_SUBNET;
	ctx.shared = s;
	ctx.subnet = c->nsubnets++;
	ctx.pool = DHCPDCONF_NONE;
	ctx.included = 0;
	return dcf_stmts(p, &ctx, &brace);
}

/* group [NAME] { ... } */
static int
parse_group(struct dcf_parser *p, const struct dcf_ctx *up)
{
	struct dcf_ctx ctx = *up;
	struct dcf_token t;

	if (dcf_peek(p, &t) == -1)
		return -1;
	if ((t.type == DCF_STRING || t.type == DCF_NAME) &&
	    dcf_next(p, &t) == -1)
		return -1;
	if (dcf_expect_ch(p, '{', "'{'") == -1)
		return -1;
	t = p->lx->tok;
	ctx.kind = K_GROUP;
	ctx.pool = DHCPDCONF_NONE;
	ctx.included = 0;
	return dcf_stmts(p, &ctx, &t);
}

/* pool { ... }: pool.c opens and closes it, its block is read here. */
static int
parse_pool(struct dcf_parser *p, const struct dcf_ctx *up,
    const struct dcf_token *kw)
{
	struct dcf_ctx ctx;
	struct dcf_token brace;

	if (dcf_pool_open(p, up, kw, &ctx, &brace) == -1 ||
	    dcf_stmts(p, &ctx, &brace) == -1)
		return -1;
	return dcf_pool_close(p, &ctx, kw);
}

/* include "FILE"; */
static int
parse_include(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *kw)
{
	struct dcf_token t;
	char path[PATH_MAX];

	if (dcf_next(p, &t) == -1)
		return -1;
	if (t.type != DCF_STRING)
		return dcf_expected(p, &t, "a file name string");
	if (p->opts->no_include)
		return dcf_perr(p, kw, "include is disabled here");
	if (t.text[0] != '/' && p->opts->cwd != NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    p->opts->cwd, t.text) >= sizeof(path))
			return dcf_perr(p, &t, "file name too long");
	} else if ((size_t)snprintf(path, sizeof(path), "%s", t.text) >=
	    sizeof(path))
		return dcf_perr(p, &t, "file name too long");
	if (dcf_expect_ch(p, ';', "';' after include") == -1)
		return -1;
	if (p->depth >= DHCPDCONF_MAX_DEPTH)
		return dcf_perr(p, kw, "includes nested more than %d deep",
		    DHCPDCONF_MAX_DEPTH);
	return parse_file(p, ctx, path, kw);
}

static int
not_here(struct dcf_parser *p, const struct dcf_token *t, const char *what)
{
	return dcf_perr(p, t, "%s not allowed here", what);
}

/* Statements that never add to a pool's group (declarations). */
static int
is_declaration(const struct dcf_token *t)
{
	static const char *const words[] = {
		"host", "group", "class", "subclass", "vendor-class",
		"user-class", "subnet", "subnet6", "shared-network", "include",
		"authoritative", "not", "pool6", "range6", "prefix6",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dcf_tok_is(t, words[i]))
			return 1;
	return 0;
}

/* A declaration dhcpd reads anywhere but inside another one. */
static int
parse_decl(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t, int *done)
{
	enum dcf_kind k = ctx->kind;

	*done = 1;
	if (dcf_tok_is(t, "include"))
		return parse_include(p, ctx, t);
	if (dcf_tok_is(t, "shared-network"))
		return k == K_SHARED || k == K_SUBNET ?
		    not_here(p, t, "shared-network declaration") :
		    parse_shared(p, t);
	if (dcf_tok_is(t, "subnet"))
		return k == K_SUBNET ? not_here(p, t, "subnet declaration") :
		    parse_subnet(p, ctx, t);
	if (dcf_tok_is(t, "subnet6")) {
		if (k == K_SUBNET)
			return not_here(p, t, "subnet6 declaration");
		if (ctx->shared != DHCPDCONF_NONE)
			p->ws[ctx->shared].v6 = 1;
		return dcf_skip_rest(p);
	}
	if (dcf_tok_is(t, "group"))
		return parse_group(p, ctx);
	if (dcf_tok_is(t, "pool"))
		return k == K_POOL ?
		    dcf_perr(p, t, "pool declared within pool") :
		    k != K_SUBNET && k != K_SHARED ?
		    dcf_perr(p, t, "pool declared outside of network") :
		    parse_pool(p, ctx, t);
	if (dcf_tok_is(t, "range"))
		return k != K_SUBNET ? not_here(p, t, "range declaration") :
		    dcf_range_parse(p, ctx, DHCPDCONF_NONE, t);
	if (dcf_tok_is(t, "failover"))
		return k != K_ROOT && k != K_SHARED ? dcf_perr(p, t, "failover "
		    "peers may only be defined in shared-network declarations "
		    "and the outer scope") : dcf_failover_parse(p, ctx, t);
	if (dcf_tok_is(t, "class"))
		return dcf_class_parse(p, t);
	if (dcf_tok_is(t, "omapi-port"))
		return dcf_omapi_port(p, t);
	if (dcf_tok_is(t, "omapi-key"))
		return dcf_omapi_key(p, t);
	if (dcf_tok_is(t, "key"))
		return dcf_key_parse(p, t);
	*done = 0;
	return 0;
}

/* One statement, its first token read into t. */
static int
parse_stmt(struct dcf_parser *p, const struct dcf_ctx *ctx,
    struct dcf_token *t)
{
	int done = 0, rv;

	if (ctx->kind == K_POOL && !ctx->included) {
		rv = dcf_pool_stmt(p, ctx, t, &done);
		if (rv == -1 || done)
			return rv;
	}
	rv = parse_decl(p, ctx, t, &done);
	if (rv == -1 || done)
		return rv;
	if (ctx->kind == K_POOL && !is_declaration(t))
		p->pools[ctx->pool].statements = 1;
	return dcf_skip_stmt(p, t);
}

/*
 * A NUL byte where a statement starts (t).  conflex.c makes it token 0,
 * and a peeked token 0 reads as "none peeked": the loops of a subnet,
 * shared-network, group or the file, which peek before parse_statement
 * peeks again, drop one NUL there.  Seen with dhcpd -t: one NUL before a
 * range in a subnet is read past, two are refused, so is one before '}'
 * or in a pool (where parse_statement then meets the range).  1: read
 * past it; -1: refused, at t.
 */
static int
stmt_nul(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *t)
{
	struct dcf_token la;

	if (ctx->kind == K_POOL && !ctx->included)
		return dcf_perr(p, t, "a NUL byte before a statement in a "
		    "pool: dhcpd does not read the statement as one of the "
		    "pool's; remove the byte");
	if (dcf_peek(p, &la) == -1)
		return -1;
	if (la.type == DCF_EOF || dcf_tok_ch(&la, '}') || dcf_tok_ch(&la, 0))
		return dcf_perr(p, t, "a NUL byte that dhcpd refuses here "
		    "(one is read past only before a statement); remove it");
	return 1;
}

/* Statements up to the '}' matching open, or to the end of the file. */
int
dcf_stmts(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const struct dcf_token *open)
{
	struct dcf_token t;
	int rv = -1;

	/* each level is a few C frames: bound them (skipped blocks are not) */
	if (open != NULL && p->nest >= DHCPDCONF_MAX_NEST)
		return dcf_perr(p, open, "declarations nested more than %d "
		    "deep", DHCPDCONF_MAX_NEST);
	p->nest += open != NULL;
	for (;;) {
		if (dcf_next(p, &t) == -1)
			break;
		if (t.type == DCF_EOF) {
			if (open != NULL)
				dcf_perr(p, open, "end of file inside this "
				    "'{'");
			else
				rv = 0;
			break;
		}
		if (dcf_tok_ch(&t, '}')) {
			if (open != NULL)
				rv = 0;
			else
				dcf_perr(p, &t, "unexpected '}'");
			break;
		}
		if (dcf_tok_ch(&t, 0)) {
			if (stmt_nul(p, ctx, &t) == -1)
				break;
			continue;
		}
		if (parse_stmt(p, ctx, &t) == -1)
			break;
	}
	p->nest -= open != NULL;
	return rv;
}

/* Parse text as file name (already in p->c) in context ctx. */
static int
parse_text(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const char *name, const char *text, size_t len)
{
	struct dcf_lexer *lx, *up = p->lx;
	const char *upfile = p->file;
	struct dcf_ctx sub = *ctx;
	int rv;

	if ((lx = malloc(sizeof(*lx))) == NULL) {
		snprintf(p->err, p->errlen, "%s: out of memory", name);
		return -1;
	}
	dcf_lex_init(lx, name, text, len);
	p->lx = lx;
	p->file = name;
	p->depth++;
	/* a pool's own statements stop at a file boundary (read_conf_file) */
	if (sub.kind == K_POOL)
		sub.included = 1;
	rv = dcf_stmts(p, &sub, NULL);
	p->depth--;
	p->lx = up;
	p->file = upfile;
	explicit_bzero(lx, sizeof(*lx));	/* its last token may be a secret */
	free(lx);
	return rv;
}

/* The path's entry in c->files (added with st), or NULL. */
static const char *
note_file(struct dcf_parser *p, const char *path, const struct stat *st)
{
	struct dhcpdconf *c = p->c;
	struct dhcpdconf_file *f;
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].path, path) == 0)
			return c->files[i].path;
	if (dcf_grow(&c->files, &p->capfiles, c->nfiles + 1,
	    sizeof(*c->files)) == -1)
		return NULL;
	f = &c->files[c->nfiles];
	if ((f->path = strdup(path)) == NULL)
		return NULL;
	f->mtime = st->st_mtim;
	f->size = st->st_size;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	c->nfiles++;
	return f->path;
}

/*
 * Read a whole regular file of st's size into *buf (NUL-terminated).
 * *changed is set when it is not that size now: being written.
 */
static int
read_file(int fd, const struct stat *st, char **buf, size_t *len,
    int *changed)
{
	struct stat after;
	size_t n = 0, want = (size_t)st->st_size;
	ssize_t r;
	char *b;

	if ((b = malloc(want + 1)) == NULL)
		return -1;
	while (n < want) {
		r = read(fd, b + n, want - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				break;	/* shrank while read */
			free(b);
			return -1;
		}
		n += (size_t)r;
	}
	if (n != want || fstat(fd, &after) == -1 ||
	    after.st_size != st->st_size ||
	    after.st_mtim.tv_sec != st->st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != st->st_mtim.tv_nsec)
		*changed = 1;
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* An error about the file path opened at the include at (NULL: the top). */
static int
file_err(struct dcf_parser *p, const struct dcf_token *at, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
file_err(struct dcf_parser *p, const struct dcf_token *at, const char *path,
    const char *fmt, ...)
{
	char msg[DHCPDCONF_ERRLEN], q[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dcf_quote(path, q, sizeof(q));
	if (at == NULL)
		snprintf(p->err, p->errlen, "%s: %s", q, msg);
	else
		dcf_perr(p, at, "include \"%s\": %s", q, msg);
	return -1;
}

/*
 * Whether the file opened (st) may be read now: not on the include stack
 * (a loop), within the load's files and bytes.  0, or -1 and the error.
 */
static int
file_admit(struct dcf_parser *p, const struct dcf_token *at, const char *path,
    const struct stat *st)
{
	char chain[DHCPDCONF_ERRLEN], q[120];
	size_t i, n = 0;
	unsigned d;

	for (d = 0; d < p->depth; d++)
		if (p->stack[d].dev == st->st_dev &&
		    p->stack[d].ino == st->st_ino)
			break;
	if (d + 1 == p->depth)
		return file_err(p, at, path, "the file includes itself");
	if (d < p->depth) {
		for (i = d; i < p->depth; i++) {
			dcf_quote(p->stack[i].name, q, sizeof(q));
			n += (size_t)snprintf(chain + n, sizeof(chain) - n,
			    "%s includes ", q);
			if (n >= sizeof(chain))
				break;
		}
		chain[sizeof(chain) - 1] = '\0';
		return file_err(p, at, path, "include loop: %s%s", chain,
		    p->stack[d].name);
	}
	if (!S_ISREG(st->st_mode))
		return file_err(p, at, path, "not a regular file");
	if (++p->files > p->lim.max_files)
		return file_err(p, at, path, "more than %u files opened in one "
		    "load (an include fan-out?)", p->lim.max_files);
	if ((uintmax_t)st->st_size > p->lim.max_bytes - p->bytes) {
		if (p->lim.max_bytes % (1u << 20) == 0)
			snprintf(q, sizeof(q), "%zu MiB", p->lim.max_bytes >> 20);
		else
			snprintf(q, sizeof(q), "%zu bytes", p->lim.max_bytes);
		if (p->bytes == 0)
			return file_err(p, at, path, "File too large: %jd "
			    "bytes, where one dhcpd.conf load reads at most "
			    "%s", (intmax_t)st->st_size, q);
		return file_err(p, at, path, "%jd bytes more would take this "
		    "load past %s read in all (%zu so far)",
		    (intmax_t)st->st_size, q, p->bytes);
	}
	p->bytes += (size_t)st->st_size;
	return 0;
}

/*
 * Open path and fstat it into st: the file itself, or when that is refused
 * (EACCES) its credential copy (dhcpdconf_opts.credentials).  orig is the
 * original's stat: its mode is the one the secrecy rule judges, its times
 * the ones reloads watch.  An original that cannot be stat'ed gets a mode
 * that no rule accepts.
 */
static int
open_file(const struct dcf_parser *p, const char *path, struct stat *st,
    struct stat *orig)
{
	char cred[PATH_MAX];
	int fd, copy = 0, saved;

	/* O_NONBLOCK: a FIFO must not hang us before it is refused. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1 && errno == EACCES &&
	    dhcpdconf_cred_path(p->opts->credentials, path, cred,
	    sizeof(cred)) == 0) {
		fd = open(cred, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd == -1)
			errno = EACCES;		/* the original's error */
		copy = 1;
	}
	if (fd == -1)
		return -1;
	if (fstat(fd, st) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	*orig = *st;
	if (copy && (stat(path, orig) == -1 || !S_ISREG(orig->st_mode))) {
		*orig = *st;
		orig->st_mode = S_IFREG | 07777;
	}
	return fd;
}

/* Open, note and parse one file; at is the include (NULL: the top). */
static int
parse_file(struct dcf_parser *p, const struct dcf_ctx *ctx,
    const char *path, const struct dcf_token *at)
{
	const char *name;
	struct stat st, orig;
	char *buf = NULL;
	size_t len;
	mode_t upmode = p->mode;
	int fd, rv;

	if (dcf_budget(p, at != NULL ? at->line : 0,
	    at != NULL ? at->column : 0) == -1)
		return -1;
	fd = open_file(p, path, &st, &orig);
	if (fd == -1)
		return file_err(p, at, path, "%s", strerror(errno));
	if (file_admit(p, at, path, &st) == -1) {
		close(fd);
		return -1;
	}
	if (read_file(fd, &st, &buf, &len, &p->changed) == -1) {
		rv = errno;
		close(fd);
		return file_err(p, at, path, "%s", strerror(rv));
	}
	close(fd);
	if ((name = note_file(p, path, &orig)) == NULL) {
		explicit_bzero(buf, len);
		free(buf);
		return file_err(p, at, path, "out of memory");
	}
	p->stack[p->depth].dev = st.st_dev;
	p->stack[p->depth].ino = st.st_ino;
	p->stack[p->depth].name = name;
	p->mode = orig.st_mode;
	rv = parse_text(p, ctx, name, buf, len);
	p->mode = upmode;
	explicit_bzero(buf, len);	/* it may hold a key's secret */
	free(buf);
	return rv;
}

static void
parser_free(struct dcf_parser *p)
{
	size_t i;

	for (i = 0; i < p->npools; i++) {
		dcf_permits_free(&p->pools[i].allow);
		dcf_permits_free(&p->pools[i].deny);
	}
	free(p->pools);
	free(p->ws);
	p->pools = NULL;
	p->ws = NULL;
	p->npools = p->cappools = p->capws = 0;
	p->capfiles = p->capshared = p->capsubnets = p->capranges = 0;
	p->cappeers = p->capclasses = p->capkeys = 0;
}

/* One pass over the top (file or text) into a new p->c. */
static int
parse_pass(struct dcf_parser *p, const char *name, const char *path,
    const char *text, size_t len)
{
	struct dcf_ctx root = { K_ROOT, DHCPDCONF_NONE, DHCPDCONF_NONE,
	    DHCPDCONF_NONE, 0 };
	int rv;

	p->err[0] = '\0';
	p->bytes = 0;
	p->files = 0;
	p->decls = 0;
	p->changed = 0;
	p->depth = p->nest = 0;
	if ((p->c = calloc(1, sizeof(*p->c))) == NULL ||
	    (p->c->name = strdup(name)) == NULL) {
		free(p->c);
		p->c = NULL;
		snprintf(p->err, p->errlen, "%s: out of memory", name);
		return -1;
	}
	p->c->omapi_port = -1;
	p->file = p->c->name;
	if (path != NULL)
		rv = parse_file(p, &root, path, NULL);
	else
		rv = parse_text(p, &root, p->c->name, text, len);
	if (rv == 0)
		rv = dcf_pools_finish(p);
	if (rv == 0)
		rv = dcf_ranges_sort(p);
	parser_free(p);
	return rv;
}

/*
 * After a pass: 1 when a file it read is being written (it changed while
 * read or since, or its mtime is younger than settle_ms: wait for that
 * first), so the pass is to be made again; 0 when every file is as read
 * and settled; -1 when the budget ran out meanwhile.
 */
static int
parse_unsettled(struct dcf_parser *p)
{
	const struct dhcpdconf_file *f;
	struct timespec now, pause = { 0, 20 * 1000000 };
	struct stat st;
	long long age_ms;
	size_t i;
	int young;

	if (p->changed)
		return 1;
	for (;;) {
		young = 0;
		clock_gettime(CLOCK_REALTIME, &now);
		for (i = 0; i < p->c->nfiles; i++) {
			f = &p->c->files[i];
			if (stat(f->path, &st) == -1)
				continue;	/* gone: the next check sees it */
			if (st.st_size != f->size || st.st_ino != f->ino ||
			    st.st_mtim.tv_sec != f->mtime.tv_sec ||
			    st.st_mtim.tv_nsec != f->mtime.tv_nsec)
				return 1;
			age_ms = (long long)(now.tv_sec - st.st_mtim.tv_sec) *
			    1000 + (now.tv_nsec - st.st_mtim.tv_nsec) / 1000000;
			if (!p->lim.no_settle && age_ms >= 0 &&
			    age_ms < p->lim.settle_ms)
				young = 1;
		}
		if (!young)
			return 0;
		if (dcf_budget(p, 0, 0) == -1)
			return -1;
		nanosleep(&pause, NULL);
	}
}

/* Set up, run top (file or text), finish; *out only on success. */
static int
parse_run(struct dhcpdconf **out, const char *name, const char *path,
    const char *text, size_t len, const struct dhcpdconf_opts *opts,
    const struct dhcpdconf_limits *lim, char *err, size_t errlen)
{
	static const struct dhcpdconf_opts none;
	struct dcf_parser p;
	char q[300];
	int rv, again;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.opts = opts != NULL ? opts : &none;
	if (lim != NULL)
		p.lim = *lim;
	if (p.lim.max_bytes == 0 || p.lim.max_bytes > DHCPDCONF_MAX_BYTES)
		p.lim.max_bytes = DHCPDCONF_MAX_BYTES;
	if (p.lim.max_files == 0)
		p.lim.max_files = DHCPDCONF_MAX_FILES;
	if (p.lim.max_ms == 0)
		p.lim.max_ms = DHCPDCONF_MAX_MS;
	if (p.lim.max_decls == 0)
		p.lim.max_decls = DHCPDCONF_MAX_DECLS;
	if (p.lim.settle_ms == 0)
		p.lim.settle_ms = DHCPDCONF_SETTLE_MS;
	p.err = err;
	p.errlen = errlen;
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	for (;;) {
		rv = parse_pass(&p, name, path, text, len);
		if (path == NULL || p.c == NULL)
			break;
		/* a file written in place: never its valid prefix */
		if ((again = parse_unsettled(&p)) == 0)
			break;
		dhcpdconf_free(p.c);
		p.c = NULL;
		if (again == -1 || dcf_budget(&p, 0, 0) == -1) {
			dcf_quote(name, q, sizeof(q));
			snprintf(err, errlen, "%s: still being written after "
			    "%u ms", q, p.lim.max_ms);
			return -1;
		}
	}
	if (rv == -1) {
		if (err[0] == '\0') {
			dcf_quote(name, q, sizeof(q));
			snprintf(err, errlen, "%s: parse failed", q);
		}
		dhcpdconf_free(p.c);
		return -1;
	}
	*out = p.c;
	return 0;
}

/*
 * Read the dhcpd.conf at path and every file it includes, within lim
 * (NULL: the defaults).  0 and *out (free it with dhcpdconf_free), or -1
 * and "FILE:LINE:COLUMN: message" in err.  A file modified in the last
 * settle_ms is waited for, and read again when it changed meanwhile.
 */
int
dhcpdconf_load_limited(struct dhcpdconf **out, const char *path,
    const struct dhcpdconf_opts *opts, const struct dhcpdconf_limits *lim,
    char *err, size_t errlen)
{
	char full[PATH_MAX];

	if (path[0] != '/' && opts != NULL && opts->cwd != NULL) {
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", opts->cwd,
		    path) >= sizeof(full)) {
			snprintf(err, errlen, "file name too long");
			return -1;
		}
		path = full;
	}
	return parse_run(out, path, path, NULL, 0, opts, lim, err, errlen);
}

/* dhcpdconf_load_limited with the default limits. */
int
dhcpdconf_load(struct dhcpdconf **out, const char *path,
    const struct dhcpdconf_opts *opts, char *err, size_t errlen)
{
	return dhcpdconf_load_limited(out, path, opts, NULL, err, errlen);
}

/* Parse len bytes of text as a dhcpd.conf named name (messages use it). */
int
dhcpdconf_parse(struct dhcpdconf **out, const char *name, const char *text,
    size_t len, const struct dhcpdconf_opts *opts, char *err, size_t errlen)
{
	return parse_run(out, name, NULL, text, len, opts, NULL, err, errlen);
}
