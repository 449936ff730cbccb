/*
 * leases_int.h: what the files of src/leases/ share and nothing else
 * includes: the reader's state, the table of entries (table.c) and the
 * stanza parser (parse.c).
 */
#ifndef LEASES_INT_H
#define LEASES_INT_H

#include <sys/types.h>

#include "leases.h"

#define LSF_PIECE	(64u << 10)	/* bytes read at a time */
#define LSF_BUFCAP	(LEASES_MAX_STANZA + LSF_PIECE)

struct leases {
	char			*path;		/* NULL: fed by leases_feed */
	const char		*name;		/* for messages */
	size_t			 max_entries;

	/* the table: entries in arrival order, open addressing over them */
	struct leases_entry	*v;
	size_t			 n;
	size_t			 cap;
	uint32_t		*slot;		/* index + 1; 0 empty */
	size_t			 nslot;		/* a power of two */

	/* the IA being parsed, taken whole when its '}' arrives */
	struct leases_entry	*ia;

	uint8_t			 duid[130];
	size_t			 duidlen;
	struct leases_peer	 peers[LEASES_MAX_PEERS];
	size_t			 npeers;

	/* the file: what was read of which one */
	int			 opened;
	dev_t			 dev;
	ino_t			 ino;
	off_t			 off;

	/* bytes not parsed yet: an incomplete stanza, then new ones */
	char			*buf;		/* up to LSF_BUFCAP bytes */
	size_t			 bufcap;
	size_t			 nbuf;
	unsigned		 line;		/* where buf[0] is in the file */
	unsigned		 column;
	int			 resync;	/* skipping to a line's start */

	struct leases_stats	 st;
};

/* table.c */
int	 lsf_tab_put(struct leases *, const struct leases_entry *);
const struct leases_entry *lsf_tab_find(const struct leases *,
	    const struct leases_entry *key);
void	 lsf_tab_clear(struct leases *);

/* parse.c */
int	 lsf_err(char *err, size_t errlen, const char *file, unsigned line,
	    unsigned column, const char *fmt, ...)
	    __attribute__((format(printf, 6, 7)));
size_t	 lsf_parse(struct leases *, int *bad, char *err, size_t errlen);

#endif /* LEASES_INT_H */
