/*
 * authlimit.c: per-address buckets of failed logins (see web/web_int.h).
 *
 * The table is a plain array scanned under one mutex: 1,024 compares of
 * 16 bytes take a few microseconds, and unlike a hash table there is no
 * collision an attacker could aim at.
 */
#include <netinet/in.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

struct authlimit_entry {
	unsigned char	 key[AUTHLIMIT_KEY];
	double		 tokens;	/* as of at */
	double		 at;
	int		 busy;		/* spent checks under way */
	int		 proven;
	unsigned char	 proof[AUTHLIMIT_PROOF];	/* last success */
};

struct authlimit {
	pthread_mutex_t		 mu;
	size_t			 n;
	struct authlimit_entry	 e[AUTHLIMIT_ADDRS];
};

struct authlimit *
authlimit_new(void)
{
	struct authlimit *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		free(l);
		return NULL;
	}
	return l;
}

void
authlimit_free(struct authlimit *l)
{
	if (l == NULL)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l);
}

/* IPv4 as its IPv4-mapped IPv6 form, so a dual-stack socket agrees. */
int
authlimit_key(const struct sockaddr *sa, unsigned char key[AUTHLIMIT_KEY])
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;

	memset(key, 0, AUTHLIMIT_KEY);
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		memcpy(key, mapped, sizeof(mapped));
		memcpy(key + 12, &s4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	memcpy(key, &s6->sin6_addr, AUTHLIMIT_KEY);
	if (memcmp(key, mapped, sizeof(mapped)) != 0)
		memset(key + 8, 0, 8);		/* a /64 */
	return 0;
}

/* An entry's tokens at time now. */
static double
authlimit_tokens(const struct authlimit_entry *e, double now)
{
	double t = e->tokens;

	if (now > e->at)
		t += (now - e->at) / AUTHLIMIT_EVERY_S;
	return t < AUTHLIMIT_BURST ? t : AUTHLIMIT_BURST;
}

static struct authlimit_entry *
authlimit_find(struct authlimit *l, const unsigned char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (memcmp(l->e[i].key, key, AUTHLIMIT_KEY) == 0)
			return &l->e[i];
	return NULL;
}

/*
 * How good an entry is to forget: the fuller, the better (a full bucket
 * is as good as none); a busy one (its settle would find nothing) or a
 * proven one (flooding the table must not cost a client its proof) only
 * when all are.
 */
static double
authlimit_score(const struct authlimit_entry *e, double now)
{
	return authlimit_tokens(e, now) - (e->busy ? AUTHLIMIT_BURST + 1 : 0) -
	    (e->proven ? 2 * AUTHLIMIT_BURST + 2 : 0);
}

/* A new entry with a full bucket, in a free slot or the best to forget. */
static struct authlimit_entry *
authlimit_add(struct authlimit *l, const unsigned char *key, double now)
{
	struct authlimit_entry *e;
	double best = -4 * AUTHLIMIT_BURST, t;
	size_t i, pick = 0;

	if (l->n < AUTHLIMIT_ADDRS)
		e = &l->e[l->n++];
	else {
		for (i = 0; i < l->n; i++)
			if ((t = authlimit_score(&l->e[i], now)) > best) {
				best = t;
				pick = i;
			}
		e = &l->e[pick];
	}
	memcpy(e->key, key, AUTHLIMIT_KEY);
	e->tokens = AUTHLIMIT_BURST;
	e->at = now;
	e->busy = 0;
	e->proven = 0;
	return e;
}

int
authlimit_allowed(struct authlimit *l, const unsigned char key[AUTHLIMIT_KEY],
    double now)
{
	struct authlimit_entry *e;
	int ok;

	pthread_mutex_lock(&l->mu);
	e = authlimit_find(l, key);
	ok = e == NULL || authlimit_tokens(e, now) >= 1;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

int
authlimit_spend(struct authlimit *l, const unsigned char key[AUTHLIMIT_KEY],
    double now)
{
	struct authlimit_entry *e;
	double t;
	int ret = -1;

	pthread_mutex_lock(&l->mu);
	if ((e = authlimit_find(l, key)) == NULL)
		e = authlimit_add(l, key, now);
	if (e->busy < AUTHLIMIT_CHECKS &&
	    (t = authlimit_tokens(e, now)) >= 1) {
		e->tokens = t - 1;
		e->at = now;
		e->busy++;
		ret = 0;
	}
	pthread_mutex_unlock(&l->mu);
	return ret;
}

void
authlimit_settle(struct authlimit *l, const unsigned char key[AUTHLIMIT_KEY],
    double now, int refund)
{
	struct authlimit_entry *e;
	double t;

	pthread_mutex_lock(&l->mu);
	if ((e = authlimit_find(l, key)) != NULL && e->busy > 0)
		e->busy--;
	if (e != NULL && refund) {
		t = authlimit_tokens(e, now) + 1;
		e->tokens = t < AUTHLIMIT_BURST ? t : AUTHLIMIT_BURST;
		e->at = now;
	}
	pthread_mutex_unlock(&l->mu);
}

void
authlimit_prove(struct authlimit *l, const unsigned char key[AUTHLIMIT_KEY],
    const unsigned char proof[AUTHLIMIT_PROOF], double now)
{
	struct authlimit_entry *e;

	pthread_mutex_lock(&l->mu);
	if ((e = authlimit_find(l, key)) == NULL)
		e = authlimit_add(l, key, now);
	memcpy(e->proof, proof, AUTHLIMIT_PROOF);
	e->proven = 1;
	pthread_mutex_unlock(&l->mu);
}

int
authlimit_proven(struct authlimit *l, const unsigned char key[AUTHLIMIT_KEY],
    const unsigned char proof[AUTHLIMIT_PROOF])
{
	struct authlimit_entry *e;
	int ok;

	pthread_mutex_lock(&l->mu);
	e = authlimit_find(l, key);
	ok = e != NULL && e->proven &&
	    memcmp(e->proof, proof, AUTHLIMIT_PROOF) == 0;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void
authlimit_adopt(struct authlimit *l, struct authlimit *old)
{
	size_t i;

	if (l == NULL || old == NULL)
		return;
	pthread_mutex_lock(&old->mu);
	pthread_mutex_lock(&l->mu);
	memcpy(l->e, old->e, old->n * sizeof(old->e[0]));
	l->n = old->n;
	for (i = 0; i < l->n; i++)
		l->e[i].busy = 0;
	pthread_mutex_unlock(&l->mu);
	pthread_mutex_unlock(&old->mu);
}
