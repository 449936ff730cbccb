/*
 * web/web_int.h: shared by the files of the web stage only: TLS, basic
 * auth and its rate limit, request guards, the body cache and the status
 * page.
 */
#ifndef EXPORTER_WEB_INT_H
#define EXPORTER_WEB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "web.h"

/*
 * httptls.c: what the HTTP server needs for TLS from the web config:
 * the PEM files read into memory (libmicrohttpd takes them so), the
 * GnuTLS priority string for min_version..max_version, and the client
 * certificate policy applied to each connection.
 *
 * The private key is wiped from our memory once the server has started;
 * GnuTLS keeps its own parsed copy.
 */




#define HTTPTLS_PEM_MAX		(1024 * 1024)

struct http_tls {
	char			*cert;		/* PEM, NUL-terminated */
	char			*key;
	size_t			 keylen;
	char			*ca;		/* NULL: no client CA */
	char			 priorities[160];
	enum web_client_auth	 client_auth;
};

/* ---- httptls.c ---- */
int	 http_tls_load(struct http_tls *, const struct web_tls *,
	    char *err, size_t errlen);
void	 http_tls_wipe_key(struct http_tls *);
void	 http_tls_free(struct http_tls *);
/* MHD_OPTION_NOTIFY_CONNECTION: ask for (or insist on) a client cert. */
void	 http_tls_notify(void *cls, struct MHD_Connection *, void **,
	    enum MHD_ConnectionNotificationCode);
/* Whether the connection's client certificate satisfies the policy. */
int	 http_tls_client_ok(const struct http_tls *, struct MHD_Connection *);

/*
 * httpguard.c: a deadline for receiving each request.
 *
 * libmicrohttpd's connection timeout counts idle time only, so a client
 * that trickles one byte a second (slow-loris) keeps its connection, and
 * its slot under the connection limit, for as long as it likes.  The
 * guard gives every request a whole-request deadline instead: armed when
 * a connection opens and again after each response on a kept-alive one,
 * disarmed once the request has fully arrived.  A thread looks once a
 * second and shuts down the sockets past their deadline; libmicrohttpd
 * then closes them as it closes any connection the peer dropped.
 */


struct http_guard;

/* ---- httpguard.c ---- */
struct http_guard *http_guard_new(unsigned limit_s);
/* Stop the thread and free; after the MHD daemon has stopped. */
void	 http_guard_free(struct http_guard *);
/* From MHD_OPTION_NOTIFY_CONNECTION: track a connection, or forget it. */
void	 http_guard_notify(struct http_guard *, struct MHD_Connection *,
	    void **socket_ctx, enum MHD_ConnectionNotificationCode);
/* Arm (the next request starts now) or disarm (it has arrived). */
void	 http_guard_arm(struct http_guard *, struct MHD_Connection *, int on);

/*
 * authlimit.c: how many wrong passwords each client address may still
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
 * but never more than the one checker thread's bcrypts (web/web_int.h).
 * Times are the caller's monotonic seconds, so tests can drive the clock.
 */


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

/*
 * webauth.c: checking HTTP basic-auth credentials against the web
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

/*
 * bodycache.c: the /metrics body of a snapshot, rendered at most once
 * and gzipped at most once, for the HTTP server.
 *
 * Every scrape of one snapshot sends the same bytes, so many concurrent
 * scrapes cost one render (render.c, pure) and one deflate.  The bytes
 * live in the snapshot's cache fields (metrics/metrics.h), the only part of a
 * published snapshot that changes, always under its cache_mtx and only
 * here; they are freed with the snapshot.
 */



/* ---- bodycache.c ---- */
/*
 * The /metrics body of s, each form bounded by max: the gzip form when
 * *gz is BODYCACHE_GZIP and it can be made, or *gz is BODYCACHE_GZIP_MADE
 * and a GET made it already (a HEAD sends no body: it compresses none),
 * else the text and *gz cleared.  0, or -1 when the text exceeds max
 * (then, and on every later call for s).  The bytes stay valid while the
 * caller holds its reference to s.
 */
#define BODYCACHE_GZIP		1
#define BODYCACHE_GZIP_MADE	2
int	 bodycache_get(struct snapshot *s, size_t max, int *gz,
	    const uint8_t **data, size_t *len);
/* Append the gzip (RFC 1952) of in to b, bounded by b's maximum: 0, or
 * -1 with errno EMSGSIZE or ENOMEM. */
int	 bodycache_gzip(struct omapi_buf *b, const void *in, size_t len);

/* ---- page.c: the HTML status page at / ---- */
int	 page_render(struct omapi_buf *, const struct snapshot *, int ready,
	    double now);
int	 page_escape(struct omapi_buf *, const char *);

#endif /* EXPORTER_WEB_INT_H */
