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
 */
#ifndef WEBAUTH_H
#define WEBAUTH_H

#include "webconfig.h"

struct webauth;

/* ---- webauth.c ---- */
struct webauth	*webauth_new(const struct webconfig *);
void		 webauth_free(struct webauth *);
/* 1 when user and password match a configured user, else 0.  Any thread. */
int		 webauth_check(struct webauth *, const char *user,
		    const char *password);

#endif /* WEBAUTH_H */
