/*
 * dhcpdconf.h: a reader of ISC dhcpd.conf(5) that finds what dhcpd serves
 * over IPv4: every range with its subnet, shared network and dhcpd pool,
 * the failover peers and the classes with a lease limit.  Pure: no logging,
 * no global state; errors are "FILE:LINE:COLUMN: message" in a buffer the
 * caller owns.  For DHCPv6 (dhcpd6.conf) it finds every subnet6 and its
 * shared network, every range6 (addresses, or temporary ones) and prefix6
 * (delegated prefixes), in pool6 blocks or not.
 *
 * Addresses are IPv4 in host byte order.  Indexes into the arrays of
 * struct dhcpdconf are size_t; DHCPDCONF_NONE marks an absent one.
 */
#ifndef DHCPDCONF_H
#define DHCPDCONF_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DHCPDCONF_NONE		((size_t)-1)
#define DHCPDCONF_ERRLEN	512
#define DHCPDCONF_MAX_DEPTH	16		/* include nesting */
#define DHCPDCONF_MAX_NEST	64		/* group { group { ... */

/*
 * What one load may cost, every file it includes counted (struct
 * dhcpdconf_limits changes them): an include fan-out (14 files each
 * including the next ten times) would otherwise open 10^14 files.
 */
#define DHCPDCONF_MAX_BYTES	(64u << 20)	/* read, all files together */
#define DHCPDCONF_MAX_FILES	10000		/* opened, the top one too */
#define DHCPDCONF_MAX_MS	10000		/* wall time */
/* subnets, shared networks, pools, ranges, peers and classes kept */
#define DHCPDCONF_MAX_DECLS	262144
/* A file modified less than this ago is waited for (being written?). */
#define DHCPDCONF_SETTLE_MS	500

/* Where something was declared; file points into the owning dhcpdconf. */
struct dhcpdconf_where {
	const char	*file;
	unsigned	 line;
	unsigned	 column;
};

/* A file that was read, for reloading when it changes. */
struct dhcpdconf_file {
	char		*path;		/* as opened (cwd applied) */
	struct timespec	 mtime;
	off_t		 size;
	dev_t		 dev;
	ino_t		 ino;
};

/*
 * A shared network.  A subnet outside any shared-network is its own one,
 * named by dhcpd (and here) after the subnet as CIDR: "10.50.0.0/24".
 */
struct dhcpdconf_shared {
	char		*name;
	int		 implicit;	/* 1: a lone subnet's own */
	size_t		 peer;		/* its `failover peer "X";`, or NONE */
	struct dhcpdconf_where where;
};

struct dhcpdconf_subnet {
	uint32_t	 net;
	uint32_t	 mask;
	unsigned	 prefix;	/* as dhcpd prints it: lowest set bit */
	char		 cidr[19];	/* "255.255.255.255/32" */
	size_t		 shared;
	struct dhcpdconf_where where;
};

/*
 * A dhcpd pool object as far as the file tells: dhcpd's merging rules
 * applied (confpars.c parse_pool_statement, parse_address_range).  The
 * exporter confirms it through the pool handles of live leases.
 */
struct dhcpdconf_pool {
	size_t		 shared;
	size_t		 peer;		/* failover peer, or NONE */
	int		 implicit;	/* dhcpd's, for ranges outside pools */
	struct dhcpdconf_where where;	/* the first pool { or range */
};

struct dhcpdconf_range {
	uint32_t	 first;		/* <= last: dhcpd swaps LOW > HIGH */
	uint32_t	 last;
	int		 dynamic_bootp;
	size_t		 subnet;
	size_t		 pool;
	struct dhcpdconf_where where;
};

/* subnet6 PREFIX/LEN { ... } */
struct dhcpdconf_subnet6 {
	uint8_t		 net[16];
	unsigned	 prefix;
	char		 cidr[48];	/* "2001:db8::/64" */
	size_t		 shared;
	struct dhcpdconf_where where;
};

enum dhcpdconf_kind6 {
	DHCPDCONF_NA = 0,		/* range6 */
	DHCPDCONF_TA,			/* range6 ... temporary */
	DHCPDCONF_PD			/* prefix6 */
};

/*
 * A range6 or prefix6: first..last inclusive.  A prefix6 delegates
 * prefixes of plen bits from first to last; size is how many addresses
 * (range6) or prefixes (prefix6) it holds, as a double: a /64 range6 has
 * 2^64.  name is how the exporter names its pool: "FIRST-LAST",
 * "PREFIX/LEN" as written, or "FIRST-LAST/LEN" for a prefix6.
 */
struct dhcpdconf_range6 {
	uint8_t		 first[16];
	uint8_t		 last[16];
	enum dhcpdconf_kind6 kind;
	unsigned	 plen;
	double		 size;
	char		 name[112];
	size_t		 subnet6;
	size_t		 shared;
	struct dhcpdconf_where where;
};

enum dhcpdconf_role {
	DHCPDCONF_ROLE_NONE = 0,
	DHCPDCONF_ROLE_PRIMARY,
	DHCPDCONF_ROLE_SECONDARY
};

/* failover peer "NAME" { ... }: values as written, -1 when not given. */
struct dhcpdconf_peer {
	char		*name;
	enum dhcpdconf_role role;
	char		*address;	/* NULL when not given */
	char		*peer_address;
	long		 port;
	long		 peer_port;
	long		 mclt;
	long		 split;
	long		 max_response_delay;
	long		 peer_max_response_delay;
	long		 max_unacked_updates;
	long		 peer_max_unacked_updates;
	long		 load_balance_max_seconds;
	long		 auto_partner_down;
	struct dhcpdconf_where where;
};

/* class "NAME" { ... }: every class; lease_limit -1 when it has none. */
struct dhcpdconf_class {
	char		*name;
	long		 lease_limit;
	struct dhcpdconf_where where;
};

/*
 * key NAME { algorithm ALG; secret "..."; }: secret (base64, as written)
 * only when dhcpdconf_opts.secret_mode_ok accepted mode, the mode of the
 * file that holds the key; otherwise NULL and secret_ok 0.
 */
struct dhcpdconf_key {
	char		*name;
	char		*algorithm;	/* as written; NULL: dhcpd's hmac-md5 */
	char		*secret;
	int		 secret_ok;
	mode_t		 mode;
	struct dhcpdconf_where where;
};

struct dhcpdconf {
	char			*name;		/* the top file (or text) */
	struct dhcpdconf_file	*files;
	size_t			 nfiles;
	struct dhcpdconf_shared	*shared;
	size_t			 nshared;
	struct dhcpdconf_subnet	*subnets;
	size_t			 nsubnets;
	struct dhcpdconf_pool	*pools;
	size_t			 npools;
	struct dhcpdconf_range	*ranges;	/* in declaration order */
	size_t			 nranges;
	size_t			*by_first;	/* range indexes, ascending */
	struct dhcpdconf_peer	*peers;
	size_t			 npeers;
	struct dhcpdconf_class	*classes;
	size_t			 nclasses;
	long			 omapi_port;	/* -1: no omapi-port */
	struct dhcpdconf_where	 omapi_port_where;
	char			*omapi_key;	/* omapi-key NAME, or NULL */
	struct dhcpdconf_where	 omapi_key_where;
	struct dhcpdconf_key	*keys;
	size_t			 nkeys;
	struct dhcpdconf_subnet6 *subnets6;
	size_t			 nsubnets6;
	struct dhcpdconf_range6	*ranges6;	/* in declaration order */
	size_t			 nranges6;
	size_t			*by_first6;	/* by kind, plen, first */
};

struct dhcpdconf_opts {
	/*
	 * dhcpd opens `include` paths (and -cf) as given, relative to its
	 * working directory when it starts (confpars.c read_conf_file: a
	 * plain open(2), before dhcpd.c chdir("/")s).  Relative paths are
	 * resolved against cwd here; NULL: against our own.
	 */
	const char	*cwd;
	int		 no_include;	/* an include is an error (fuzzing) */
	/*
	 * Keep a key's secret only when this accepts the mode of the file
	 * that holds it (the exporter passes omapi_secret_mode_ok, the rule
	 * of its own key files); NULL: never keep a secret.  Text parsed
	 * with dhcpdconf_parse has mode 0.
	 */
	int		(*secret_mode_ok)(mode_t);
	/*
	 * systemd's $CREDENTIALS_DIRECTORY, or NULL.  A file that cannot be
	 * opened for lack of permission (EACCES) is read from the credential
	 * named after its absolute path without the first '/' and with every
	 * other '/' as '_' (what LoadCredential=etc_dhcp:/etc/dhcp makes of
	 * /etc/dhcp/omapi.key: etc_dhcp_omapi.key), while its mode and
	 * change time are still the original's.
	 */
	const char	*credentials;
};

/*
 * The bounds of one dhcpdconf_load; a zero field takes its default above.
 * stop, when set, is called now and then during a load: nonzero ends it
 * at once with "interrupted" (a daemon's SIGTERM).
 */
struct dhcpdconf_limits {
	size_t		 max_bytes;
	unsigned	 max_files;
	unsigned	 max_ms;
	unsigned	 max_decls;
	unsigned	 settle_ms;
	int		 no_settle;	/* read at once, however fresh */
	int		(*stop)(void *);
	void		*stop_arg;
};

/* parser.c */
int	 dhcpdconf_load(struct dhcpdconf **, const char *path,
	    const struct dhcpdconf_opts *, char *err, size_t errlen);
int	 dhcpdconf_load_limited(struct dhcpdconf **, const char *path,
	    const struct dhcpdconf_opts *, const struct dhcpdconf_limits *,
	    char *err, size_t errlen);
int	 dhcpdconf_parse(struct dhcpdconf **, const char *name,
	    const char *text, size_t len, const struct dhcpdconf_opts *,
	    char *err, size_t errlen);

/* model.c */
void	 dhcpdconf_free(struct dhcpdconf *);
int	 dhcpdconf_changed(const struct dhcpdconf *);
size_t	 dhcpdconf_find_peer(const struct dhcpdconf *, const char *name);
size_t	 dhcpdconf_find_range(const struct dhcpdconf *, uint32_t ip);
int	 dhcpdconf_cred_path(const char *credentials, const char *path,
	    char *out, size_t outlen);
const struct dhcpdconf_key *dhcpdconf_find_key(const struct dhcpdconf *,
	    const char *name);

/* v6.c */
size_t	 dhcpdconf_find_range6(const struct dhcpdconf *,
	    enum dhcpdconf_kind6, const uint8_t addr[16], unsigned plen);

/*
 * lexer.c: the dhcpd.conf tokenizer (lexer.c) for other readers of
 * ISC's file formats.  dhcpd reads dhcpd.conf and dhcpd.leases with one
 * lexer (common/conflex.c); src/leases/ does the same with this one.
 * Pure: no allocation, no logging; an error is "FILE:LINE:COLUMN: message"
 * in lx->err.  A token's off lets a reader take the raw bytes of a run of
 * adjacent tokens (an IPv6 address is NAMEs, NUMBERs and ':'s).
 */



#define DCF_TOKMAX	8192	/* dhcpd's own limit is 1,500 (conflex.c) */

/*
 * Token classes as conflex.c makes them: a run of [A-Za-z0-9_-] is a
 * NUMBER when it is all digits (one leading '-' allowed), else a NAME;
 * only a NAME that starts with a letter can be a keyword (intern()).
 * Every other byte outside strings and comments is a CHAR of its own.
 */
enum dcf_tok {
	DCF_EOF = 0,
	DCF_STRING,
	DCF_NUMBER,
	DCF_NAME,
	DCF_CHAR
};

struct dcf_token {
	enum dcf_tok	 type;
	int		 ch;		/* DCF_CHAR: the byte */
	int		 word;		/* DCF_NAME starting with a letter */
	const char	*text;		/* NUL-terminated; valid until next */
	size_t		 len;
	size_t		 off;		/* its first byte in the buffer */
	unsigned	 line;
	unsigned	 column;
};

struct dcf_lexer {
	const char		*file;	/* for messages */
	const unsigned char	*buf;
	size_t			 len;
	size_t			 pos;
	unsigned		 line;
	unsigned		 column;
	int			 peeked;
	struct dcf_token	 tok;
	char			 text[DCF_TOKMAX];
	char			 err[DHCPDCONF_ERRLEN];	/* set when -1 */
};

/* lexer.c */
void	 dcf_lex_init(struct dcf_lexer *, const char *file,
	    const char *buf, size_t len);
void	 dcf_lex_init_at(struct dcf_lexer *, const char *file,
	    const char *buf, size_t len, unsigned line, unsigned column);
int	 dcf_lex_next(struct dcf_lexer *, struct dcf_token *);
int	 dcf_lex_peek(struct dcf_lexer *, struct dcf_token *);
int	 dcf_lex_skip(struct dcf_lexer *, unsigned depth);
void	 dcf_lex_advance(struct dcf_lexer *, size_t n);
int	 dcf_lex_word(struct dcf_lexer *, const char **w, size_t *n);
int	 dcf_lex_run(struct dcf_lexer *, const struct dcf_token *first,
	    char *out, size_t outlen);
int	 dcf_tok_is(const struct dcf_token *, const char *word);
int	 dcf_tok_ch(const struct dcf_token *, int ch);
void	 dcf_tok_show(const struct dcf_token *, char *out, size_t outlen);
void	 dcf_quote(const char *s, char *out, size_t outlen);

#endif /* DHCPDCONF_H */
