/*
 * dhcplog.h: what clients experience, read from ISC dhcpd's log.
 *
 * Three layers, each usable alone:
 *   - frame.c: one syslog line (RFC 3164 with or without a host name,
 *     RFC 5424, rsyslog's traditional and RFC 3339 file formats) split into
 *     host, program and message;
 *   - message.c: one dhcpd message turned into an event (a packet received
 *     or sent, a refusal, an abandoned lease), parsed from dhcpd's fixed
 *     structure anchored at the END of the line: a client writes its host
 *     name into the middle of the line (dhcp.c prints option 12 between
 *     "(" and ") via"), and nothing a client writes becomes a label;
 *   - counts.c: the counters of one server, with the shared_network label
 *     capped (only the networks a dhcpd.conf declares, or at most
 *     DHCPLOG_MAX_NETWORKS and then "other").
 * And the sources that deliver lines: a syslog listener (unix datagram or
 * UDP), a file follower (tail -F) and the systemd journal (journal.c).
 *
 * Pure parsers: no allocation, no logging; every pointer they return
 * points into the caller's buffer.  Lines are (pointer, length): NUL bytes
 * are ordinary bytes (and make a dhcpd message unparsed).
 */
#ifndef DHCPLOG_H
#define DHCPLOG_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "dhcpdconf.h"

#define DHCPLOG_MAX_LINE	16384	/* longer lines: one unparsed line */
#define DHCPLOG_MAX_NETWORKS	256	/* without dhcpd_conf */
#define DHCPLOG_OTHER		"other"
#define DHCPLOG_ERRLEN		256

/* A view into a caller's buffer. */
struct dhcplog_str {
	const char	*p;
	size_t		 len;
};

/* frame.c */
struct dhcplog_frame {
	struct dhcplog_str host;	/* empty when the line has none */
	struct dhcplog_str program;	/* the tag without "[PID]" */
	struct dhcplog_str msg;
};

int	 dhcplog_frame_parse(const char *line, size_t len,
	    struct dhcplog_frame *);
int	 dhcplog_str_eq(struct dhcplog_str, const char *);

/* message.c */
enum dhcplog_type {
	DHCPLOG_DISCOVER = 0,		/* received */
	DHCPLOG_REQUEST,
	DHCPLOG_DECLINE,
	DHCPLOG_RELEASE,
	DHCPLOG_INFORM,
	DHCPLOG_OFFER,			/* sent */
	DHCPLOG_ACK,
	DHCPLOG_NAK,
	DHCPLOG_NTYPES
};
#define DHCPLOG_NRECEIVED	5	/* DISCOVER .. INFORM */

enum dhcplog_reason {
	DHCPLOG_NO_FREE_LEASES = 0,
	DHCPLOG_PEER_HOLDS_ALL,
	DHCPLOG_UNKNOWN_SEGMENT,
	DHCPLOG_NREASONS,
	DHCPLOG_NO_REASON = DHCPLOG_NREASONS
};

enum dhcplog_kind {
	DHCPLOG_EV_PACKET = 0,		/* type (and maybe reason) set */
	DHCPLOG_EV_ABANDONED
};

struct dhcplog_event {
	enum dhcplog_kind	 kind;
	enum dhcplog_type	 type;
	enum dhcplog_reason	 reason;	/* or DHCPLOG_NO_REASON */
	struct dhcplog_str	 network;	/* dhcpd's own "network NET" */
	struct dhcplog_str	 relay;		/* the word after " via " */
};

int	 dhcplog_msg_parse(const char *msg, size_t len,
	    struct dhcplog_event *);
const char *dhcplog_type_name(enum dhcplog_type);
const char *dhcplog_reason_name(enum dhcplog_reason);

/* counts.c: one server's counters. */
struct dhcplog_net {
	char		*name;
	uint64_t	 failures[DHCPLOG_NREASONS];
};

struct dhcplog_counts {
	uint64_t	 lines;		/* every line for the server */
	uint64_t	 unparsed;	/* dhcpd lines that matched nothing */
	uint64_t	 other_program;	/* lines of another program */
	uint64_t	 packets[DHCPLOG_NTYPES];
	uint64_t	 abandoned;
	uint64_t	 nofail[DHCPLOG_NREASONS];	/* shared_network "" */
	struct dhcplog_net *nets;	/* sorted by name; "other" included */
	size_t		 nnets;
	double		 last_line;	/* wall clock of the last line, or 0 */
};

/* What a line was, for the caller's own bookkeeping. */
enum dhcplog_verdict {
	DHCPLOG_COUNTED = 0,		/* an event */
	DHCPLOG_UNPARSED,		/* dhcpd, but no pattern matched */
	DHCPLOG_OTHER_PROGRAM,
	DHCPLOG_NOT_SYSLOG		/* no syslog framing: unparsed too */
};

void	 dhcplog_counts_init(struct dhcplog_counts *);
void	 dhcplog_counts_free(struct dhcplog_counts *);
int	 dhcplog_counts_copy(struct dhcplog_counts *dst,
	    const struct dhcplog_counts *src);
int	 dhcplog_counts_declare(struct dhcplog_counts *,
	    const struct dhcpdconf *);
enum dhcplog_verdict dhcplog_count_line(struct dhcplog_counts *,
	    const struct dhcplog_frame *, const struct dhcpdconf *, double now);
enum dhcplog_verdict dhcplog_count_msg(struct dhcplog_counts *,
	    const char *program, size_t plen, const char *msg, size_t mlen,
	    const struct dhcpdconf *, double now);
const char *dhcplog_relay_network(const struct dhcpdconf *,
	    struct dhcplog_str relay);
uint64_t dhcplog_failures(const struct dhcplog_counts *,
	    enum dhcplog_reason, const char *network);

/*
 * Sources.  Each is a pollable file descriptor plus a read function that
 * hands complete lines to a callback; none blocks.  Errors go to err as
 * one line, the caller logs them.
 */
typedef void (*dhcplog_line_cb)(void *arg, const char *line, size_t len,
    const char *source_host);

/* syslog.c */
#define DHCPLOG_MAX_ALLOW	16
struct dhcplog_syslog_opts {
	const char	*url;		/* "unix:/path" or "udp://host:port" */
	uid_t		 owner;		/* (uid_t)-1: unchanged */
	gid_t		 group;		/* (gid_t)-1: unchanged */
	int		 mode;		/* -1: 0660 */
	const char	*allow[DHCPLOG_MAX_ALLOW];	/* UDP sources */
	size_t		 nallow;
};
struct dhcplog_syslog;
struct dhcplog_syslog *dhcplog_syslog_open(const struct dhcplog_syslog_opts *,
	    char *err, size_t errlen);
int	 dhcplog_syslog_fd(const struct dhcplog_syslog *);
int	 dhcplog_syslog_read(struct dhcplog_syslog *, dhcplog_line_cb, void *,
	    uint64_t *refused);
void	 dhcplog_syslog_close(struct dhcplog_syslog *);

/* follow.c */
struct dhcplog_pos {			/* where a follower is, for reloads */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	int		 valid;
};
struct dhcplog_follow;
struct dhcplog_follow *dhcplog_follow_open(const char *path,
	    const struct dhcplog_pos *, char *err, size_t errlen);
int	 dhcplog_follow_fd(const struct dhcplog_follow *);
int	 dhcplog_follow_read(struct dhcplog_follow *, dhcplog_line_cb, void *);
int	 dhcplog_follow_up(const struct dhcplog_follow *);
void	 dhcplog_follow_pos(const struct dhcplog_follow *, struct dhcplog_pos *);
void	 dhcplog_follow_close(struct dhcplog_follow *);

/* journal.c: lines are "PROGRAM\0MESSAGE"-free: see dhcplog_journal_read. */
struct dhcplog_journal;
typedef void (*dhcplog_entry_cb)(void *arg, const char *program, size_t plen,
    const char *msg, size_t mlen, const char *host, size_t hlen);
struct dhcplog_journal *dhcplog_journal_open(const char *match,
	    const char *directory, int from_head, char *err, size_t errlen);
int	 dhcplog_journal_fd(struct dhcplog_journal *);
int	 dhcplog_journal_read(struct dhcplog_journal *, dhcplog_entry_cb,
	    void *);
void	 dhcplog_journal_close(struct dhcplog_journal *);

#endif /* DHCPLOG_H */
