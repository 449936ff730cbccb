/*
 * dcf_int.h: what the files of src/dhcpdconf/ share and nothing else
 * includes: the parser's state, the statement helpers and what pool.c,
 * peer.c and v6.c offer the parser (the tokenizer: dhcpdconf.h).
 */
#ifndef DCF_INT_H
#define DCF_INT_H

#include <stdarg.h>

#include "dhcpdconf.h"

/* What encloses a statement: confpars.c's declaration types. */
enum dcf_kind {
	K_ROOT,
	K_SHARED,
	K_SUBNET,
	K_POOL,
	K_GROUP,
	K_SUBNET6,		/* ctx.subnet: the subnet6 */
	K_POOL6
};

struct dcf_ctx {
	enum dcf_kind	 kind;
	size_t		 shared;	/* innermost shared network, or NONE */
	size_t		 subnet;	/* the subnet of K_SUBNET */
	size_t		 pool;		/* the working pool of K_POOL */
	int		 included;	/* a file included inside a pool */
};

struct dcf_permits {
	char		**v;
	size_t		 n;
	size_t		 cap;
};

/* A pool while parsing; merged ones are dropped at the end. */
struct dcf_wpool {
	size_t		 shared;
	size_t		 subnet;	/* pool in a subnet, or NONE */
	size_t		 peer;
	int		 implicit;
	int		 statements;	/* its group has statements */
	int		 listed;	/* on its shared network's list */
	size_t		 next;		/* next on that list */
	size_t		 merged;	/* the pool it merged into, or NONE */
	size_t		 nranges;
	struct dcf_permits allow;
	struct dcf_permits deny;
	struct dhcpdconf_where where;
};

/* Per shared network: its pool list, subnets, DHCPv6 content. */
struct dcf_wshared {
	size_t		 first;
	size_t		 last;
	size_t		 nsubnets;
	int		 v6;
};

/* A file being read: the include stack, for include loops. */
struct dcf_open {
	dev_t			 dev;
	ino_t			 ino;
	const char		*name;
};

struct dcf_parser {
	struct dhcpdconf	*c;
	const struct dhcpdconf_opts *opts;
	struct dhcpdconf_limits	 lim;		/* defaults applied */
	char			*err;
	size_t			 errlen;
	struct dcf_lexer	*lx;
	const char		*file;
	unsigned		 depth;		/* includes */
	struct dcf_open		 stack[DHCPDCONF_MAX_DEPTH + 1];
	size_t			 bytes;		/* read in this load */
	unsigned		 files;		/* opened in this load */
	unsigned		 ticks;		/* tokens since the clock */
	unsigned		 decls;		/* declarations kept */
	struct timespec		 start;		/* CLOCK_MONOTONIC */
	int			 changed;	/* a file moved while read */
	unsigned		 nest;		/* declaration blocks */
	struct dcf_wpool	*pools;
	size_t			 npools;
	size_t			 cappools;
	struct dcf_wshared	*ws;
	size_t			 capws;
	size_t			 capfiles, capshared, capsubnets, capranges;
	size_t			 cappeers, capclasses, capkeys;
	mode_t			 mode;		/* of the file being read */
	size_t			 capsubnets6, capranges6;
};

/* model.c */
int	 dcf_grow(void *arrp, size_t *cap, size_t n, size_t size);
void	 dcf_ip_text(uint32_t ip, char out[16]);
void	 dcf_key_free(struct dhcpdconf_key *);
size_t	 dcf_add_shared(struct dcf_parser *, const struct dcf_token *,
	    char *name, int implicit);

/* tokens.c: the parser's tokens, errors and budget (time, stop) */
int	 dcf_budget(struct dcf_parser *, unsigned line, unsigned col);
int	 dcf_decl(struct dcf_parser *, const struct dcf_token *);
int	 dcf_perr_at(struct dcf_parser *, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define dcf_perr(p, t, ...) \
	dcf_perr_at((p), (t)->line, (t)->column, __VA_ARGS__)
int	 dcf_nomem(struct dcf_parser *, const struct dcf_token *);
int	 dcf_next(struct dcf_parser *, struct dcf_token *);
int	 dcf_peek(struct dcf_parser *, struct dcf_token *);
int	 dcf_expected(struct dcf_parser *, const struct dcf_token *,
	    const char *what);
int	 dcf_expect_ch(struct dcf_parser *, int ch, const char *what);
int	 dcf_expect_word(struct dcf_parser *, const char *word);
struct dhcpdconf_where dcf_where(const struct dcf_parser *,
	    const struct dcf_token *);
int	 dcf_number(struct dcf_parser *, long max, long *v);
int	 dcf_ip(struct dcf_parser *, uint32_t *ip, struct dcf_token *first);
int	 dcf_skip_stmt(struct dcf_parser *, struct dcf_token *);
int	 dcf_skip_rest(struct dcf_parser *);
int	 dcf_block_next(struct dcf_parser *, const struct dcf_token *open,
	    struct dcf_token *);

/* parser.c: statements */
int	 dcf_stmts(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *open);

/* pool.c */
void	 dcf_permits_free(struct dcf_permits *);
int	 dcf_range_parse(struct dcf_parser *, const struct dcf_ctx *,
	    size_t pool, const struct dcf_token *kw);
int	 dcf_pool_open(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw, struct dcf_ctx *, struct dcf_token *);
int	 dcf_pool_close(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw);
int	 dcf_pool_stmt(struct dcf_parser *, const struct dcf_ctx *,
	    struct dcf_token *, int *done);
int	 dcf_pools_finish(struct dcf_parser *);
int	 dcf_ranges_sort(struct dcf_parser *);

/* v6.c */
int	 dcf_subnet6_open(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw, struct dcf_ctx *, struct dcf_token *);
int	 dcf_range6_parse(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw);
int	 dcf_prefix6_parse(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw);
int	 dcf_ranges6_sort(struct dcf_parser *);

/* peer.c */
int	 dcf_failover_parse(struct dcf_parser *, const struct dcf_ctx *,
	    const struct dcf_token *kw);
int	 dcf_class_parse(struct dcf_parser *, const struct dcf_token *kw);

/* omapi.c */
int	 dcf_omapi_port(struct dcf_parser *, const struct dcf_token *kw);
int	 dcf_omapi_key(struct dcf_parser *, const struct dcf_token *kw);
int	 dcf_key_parse(struct dcf_parser *, const struct dcf_token *kw);

#endif /* DCF_INT_H */
