/*
 * webauth.h: checking HTTP basic-auth credentials against the web
 * config's bcrypt hashes.
 *
 * bcrypt is slow on purpose (tens of milliseconds at cost 10), and
 * Prometheus sends the same credentials on every scrape.  So a checker
 * remembers, per user, an HMAC-SHA256 of the last password that matched,
 * under a random key made at start; a scrape with that password costs a
 * microsecond, any other password a full bcrypt.  A name that is not a
 * user costs a bcrypt too, so timing does not tell which names exist.
 *
 * The HTTP server checks the cache on its own threads and sends anything
 * else to the checker's thread with webauth_submit(): bcrypts run there
 * one at a time (as exporter-toolkit's bcrypt mutex has them), from a
 * queue of at most WEBAUTH_QUEUE_MAX, so a flood of wrong passwords
 * never holds up a scrape whose password is cached.
 */
#ifndef WEBAUTH_H
#define WEBAUTH_H

#include "webconfig.h"

#define WEBAUTH_QUEUE_MAX	32	/* checks waiting for the thread */
#define WEBAUTH_DIGEST		32	/* the cache's keyed SHA-256 */

struct webauth;

/* Called on the checker's thread: 1 match, 0 no match, -1 not checked. */
typedef void	webauth_done_fn(void *arg, int ok);

/* ---- webauth.c ---- */
struct webauth	*webauth_new(const struct webconfig *);
/*
 * Stop the checker: the check under way and every queued one are called
 * back with -1 before this returns, none after, and later submissions
 * are refused.  It never waits for a bcrypt: the thread finishes the one
 * it is running on its own and ends.
 */
void		 webauth_stop(struct webauth *);
void		 webauth_free(struct webauth *);
/*
 * Before a is used: take over what old (stopped or not) knew that still
 * holds for a's users: its key, so digests made under old (authlimit's
 * proofs) name the same passwords, and the good password of every user
 * whose hash is unchanged, so a reload costs no bcrypt.
 */
void		 webauth_adopt(struct webauth *a, struct webauth *old);
/* 1 when user and password match a configured user, else 0.  Any thread;
 * a bcrypt, unless cached, on the calling thread. */
int		 webauth_check(struct webauth *, const char *user,
		    const char *password);
/*
 * 1 when password is the user's cached good one: no bcrypt.  Any thread.
 * On a hit, digest (when not NULL) gets the cache's keyed digest of user
 * and password: it names them without revealing them.
 */
int		 webauth_cached(struct webauth *, const char *user,
		    const char *password, unsigned char digest[WEBAUTH_DIGEST]);
/*
 * Queue a full check (webauth_check) for the checker's thread, which
 * calls done(arg, ok) when it is over.  0, or -1 when the queue is full
 * or the checker stopped (done is not called).  The strings are copied.
 */
int		 webauth_submit(struct webauth *, const char *user,
		    const char *password, webauth_done_fn *done, void *arg);

#endif /* WEBAUTH_H */
