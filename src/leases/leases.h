/*
 * leases.h: a reader of ISC dhcpd's lease journal, dhcpd.leases(5), for
 * both families: `lease` (IPv4), `ia-na`, `ia-ta` and `ia-pd` with their
 * `iaaddr` and `iaprefix` (DHCPv6), `server-duid` and `failover peer`
 * state.  It keeps, per address (per prefix for ia-pd), the last entry the
 * file has for it: dhcpd's own rule when it loads the file (confpars.c
 * parse_lease_declaration and enter_lease; parse_ia_*_declaration and
 * mdb6.c add_lease6).
 *
 * Incremental: leases_read() reads what dhcpd appended since the last call
 * and reads the whole file again when dhcpd has replaced it (a new inode,
 * or a size below what was read).  A stanza that is not complete yet is
 * kept for the next call, not an error.  Memory is bounded: at most
 * max_entries addresses and prefixes, and one stanza of at most
 * LEASES_MAX_STANZA bytes in memory at a time.
 *
 * Pure: no logging, no global state.  A bad stanza is skipped (nothing of
 * it is taken), counted, and the first one of a call is described as
 * "FILE:LINE:COLUMN: message" in the caller's buffer.
 */
#ifndef LEASES_H
#define LEASES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LEASES_ERRLEN		512
#define LEASES_MAX_ENTRIES	(1u << 21)	/* the default bound */
#define LEASES_MAX_STANZA	(1u << 20)	/* bytes of one stanza */
#define LEASES_MAX_IA		1024		/* iaaddr/iaprefix per IA */
#define LEASES_MAX_PEERS	64
#define LEASES_NEVER		INT64_MAX	/* `ends never;` */

enum leases_kind {
	LEASES_V4 = 0,		/* lease A.B.C.D */
	LEASES_NA,		/* ia-na: iaaddr */
	LEASES_TA,		/* ia-ta: iaaddr (temporary) */
	LEASES_PD		/* ia-pd: iaprefix */
};

/* dhcpd's binding states, numbered as its FTS_* (0: none written). */
enum leases_state {
	LEASES_STATE_NONE = 0,
	LEASES_FREE,
	LEASES_ACTIVE,
	LEASES_EXPIRED,
	LEASES_RELEASED,
	LEASES_ABANDONED,
	LEASES_RESET,
	LEASES_BACKUP
};
#define LEASES_NSTATES	8

struct leases_entry {
	uint8_t		 addr[16];	/* IPv4: the first 4, network order */
	int64_t		 ends;		/* epoch s; 0 none; LEASES_NEVER */
	int64_t		 cltt;		/* epoch s; 0 none (IA's for DHCPv6) */
	uint8_t		 kind;		/* enum leases_kind */
	uint8_t		 plen;		/* ia-pd prefix length, else 0 */
	uint8_t		 state;		/* enum leases_state, as written */
	uint8_t		 next;		/* `next binding state`, or NONE */
	uint8_t		 flags;		/* IPv4: LEASES_RESERVED */
};

/* `reserved;`: dhcpd keeps such a free lease off its free queue. */
#define LEASES_RESERVED	4		/* dhcpd's RESERVED_LEASE */

/* failover peer "NAME" state { my state S at T; partner state ... } */
struct leases_peer {
	char		 name[128];
	char		 my_state[40];
	char		 partner_state[40];
	int64_t		 my_stos;
	int64_t		 partner_stos;
};

struct leases_stats {
	uint64_t	 bytes_read;	/* every byte read, all files */
	uint64_t	 stanzas;	/* complete stanzas taken */
	uint64_t	 bad_stanzas;	/* skipped for an error */
	uint64_t	 reloads;	/* whole-file reads after the first */
	size_t		 pending;	/* bytes of an incomplete stanza kept */
};

struct leases;

/* leases.c */
struct leases	*leases_new(const char *path, size_t max_entries);
void		 leases_free(struct leases *);
void		 leases_reset(struct leases *);
int		 leases_read(struct leases *, char *err, size_t errlen);
int		 leases_feed(struct leases *, const char *buf, size_t len,
		    char *err, size_t errlen);
const struct leases_entry *leases_entries(const struct leases *, size_t *n);
const struct leases_entry *leases_find(const struct leases *,
		    enum leases_kind, const uint8_t addr[16], unsigned plen);
const struct leases_peer *leases_peers(const struct leases *, size_t *n);
size_t		 leases_server_duid(const struct leases *, const uint8_t **);
void		 leases_stats(const struct leases *, struct leases_stats *);

/* state.c */
int		 leases_state_at(const struct leases_entry *, time_t now);
const char	*leases_state_name(int state);

#endif /* LEASES_H */
