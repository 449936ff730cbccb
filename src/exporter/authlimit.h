/*
 * authlimit.h: how many wrong passwords each client address may still
 * send, so that a flood of them costs a bounded number of bcrypts.
 *
 * A token bucket per address: AUTHLIMIT_BURST checks at once, then one
 * more every AUTHLIMIT_EVERY_S seconds.  A password that is about to be
 * checked with bcrypt spends a token and gets it back if it was right, so
 * only failures count.  An address has AUTHLIMIT_CHECKS checks at a
 * time: while they wait or run, its other unknown passwords are refused,
 * so a new client waits behind at most that many bcrypts per flooding
 * address.  Two, not one: a Prometheus with a stale job and a right one
 * scrapes both from one address, and with one the right job's check
 * could land while the stale one's is under way every time, and never
 * earn the proof below.  An
 * address with no token left is answered 429 with one exception: the
 * credentials it last used with success (its proof) still pass, so one
 * stale Prometheus job with a wrong password does not lock out the right
 * one beside it.  Anything else is refused, a cached password included,
 * or the cache would be a free oracle for guessing.  (Behind
 * a shared address, such as a NAT, that proof is such an oracle for the
 * others: it only confirms the right password.)  IPv4 addresses count
 * one by one, IPv6 ones by /64, the block one host usually holds.  Up to
 * AUTHLIMIT_ADDRS addresses are remembered; when the table is full the
 * unproven one closest to a full bucket (as good as forgotten) makes
 * room.  So a flood from more addresses than that can win fresh bursts,
 * but never more than the one checker thread's bcrypts (webauth.h).
 * Times are the caller's monotonic seconds, so tests can drive the clock.
 */
#ifndef AUTHLIMIT_H
#define AUTHLIMIT_H

#include <sys/socket.h>

#define AUTHLIMIT_BURST		10	/* failed logins at once */
#define AUTHLIMIT_EVERY_S	6	/* then one more every 6 s */
#define AUTHLIMIT_ADDRS		1024	/* addresses remembered */
#define AUTHLIMIT_CHECKS	2	/* bcrypts under way per address */
#define AUTHLIMIT_KEY		16
#define AUTHLIMIT_PROOF		32

struct authlimit;

/* ---- authlimit.c ---- */
struct authlimit *authlimit_new(void);
void	 authlimit_free(struct authlimit *);
/* The key an address counts under; -1 for a family other than IP. */
int	 authlimit_key(const struct sockaddr *, unsigned char key[AUTHLIMIT_KEY]);
/* Whether the address has a check left.  Any thread. */
int	 authlimit_allowed(struct authlimit *,
	    const unsigned char key[AUTHLIMIT_KEY], double now);
/* Spend one check: 0, or -1 when none is left or one is under way. */
int	 authlimit_spend(struct authlimit *,
	    const unsigned char key[AUTHLIMIT_KEY], double now);
/*
 * The address used these credentials (proof: webauth's digest of them)
 * with success.  A locked address may go on using them, never anything
 * else.
 */
void	 authlimit_prove(struct authlimit *,
	    const unsigned char key[AUTHLIMIT_KEY],
	    const unsigned char proof[AUTHLIMIT_PROOF], double now);
int	 authlimit_proven(struct authlimit *,
	    const unsigned char key[AUTHLIMIT_KEY],
	    const unsigned char proof[AUTHLIMIT_PROOF]);
/* The spent check is over; refund: give it back (the password was
 * right, or it was never checked). */
void	 authlimit_settle(struct authlimit *,
	    const unsigned char key[AUTHLIMIT_KEY], double now, int refund);
/* Before l is used: take over old's addresses, their tokens and proofs
 * (a restarted HTTP server; no check of old's is under way in l). */
void	 authlimit_adopt(struct authlimit *l, struct authlimit *old);

#endif /* AUTHLIMIT_H */
