/*
 * webauth.c: basic-auth checks with bcrypt and a cache of the last good
 * password per user, and the thread that runs the bcrypts for the HTTP
 * server (see web/web_int.h).
 *
 * Two locks that are never held together: mu guards the cache, for a
 * copy of 32 bytes, so a cached check never waits behind a bcrypt; qmu
 * guards the queue and the stop flag.
 */
#include <crypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "web_int.h"


struct webauth_user {
	char		*name;
	char		*hash;
	unsigned char	 good[WEBAUTH_DIGEST];	/* last password that matched */
	int		 good_set;
};

struct webauth_job {
	struct webauth_job	*next;
	char			*user;
	char			*password;
	webauth_done_fn		*done;
	void			*arg;
};

struct webauth {
	pthread_mutex_t		 mu;		/* guards good, good_set */
	unsigned char		 key[WEBAUTH_DIGEST];
	struct webauth_user	*users;
	size_t			 nusers;

	pthread_mutex_t		 qmu;		/* guards the rest */
	pthread_cond_t		 qcv;
	int			 refs;		/* the owner's, the thread's */
	int			 stop;
	struct webauth_job	*head;
	struct webauth_job	*tail;
	size_t			 qlen;
	struct webauth_job	*current;	/* being checked */
	int			 abandoned;	/* current's done was called */
};

static void	*webauth_run(void *);

/* Free a webauth nobody refers to any more. */
static void
webauth_destroy(struct webauth *a)
{
	size_t i;

	pthread_cond_destroy(&a->qcv);
	pthread_mutex_destroy(&a->qmu);
	pthread_mutex_destroy(&a->mu);
	for (i = 0; i < a->nusers; i++) {
		free(a->users[i].name);
		free(a->users[i].hash);
	}
	free(a->users);
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* Drop one reference (under qmu, which it releases); the last frees. */
static void
webauth_unref_locked(struct webauth *a)
{
	int last = --a->refs == 0;

	pthread_mutex_unlock(&a->qmu);
	if (last)
		webauth_destroy(a);
}

static int
webauth_init_locks(struct webauth *a)
{
	if (pthread_mutex_init(&a->mu, NULL) != 0)
		return -1;
	if (pthread_mutex_init(&a->qmu, NULL) != 0) {
		pthread_mutex_destroy(&a->mu);
		return -1;
	}
	if (pthread_cond_init(&a->qcv, NULL) != 0) {
		pthread_mutex_destroy(&a->qmu);
		pthread_mutex_destroy(&a->mu);
		return -1;
	}
	return 0;
}

/*
 * The checker's thread is detached and holds a reference of its own, so
 * stopping never waits for the bcrypt it is running (a second or more
 * at a high cost): the thread finishes it, finds itself stopped, drops
 * its reference and ends.
 */
struct webauth *
webauth_new(const struct webconfig *w)
{
	struct webauth *a;
	pthread_t t;
	size_t i;

	if (w->nusers == 0 || (a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->users = calloc(w->nusers, sizeof(*a->users))) == NULL ||
	    RAND_bytes(a->key, sizeof(a->key)) != 1 ||
	    webauth_init_locks(a) == -1) {
		free(a->users);
		free(a);
		return NULL;
	}
	a->refs = 1;
	a->nusers = w->nusers;
	for (i = 0; i < w->nusers; i++)
		if ((a->users[i].name = strdup(w->users[i].name)) == NULL ||
		    (a->users[i].hash = strdup(w->users[i].hash)) == NULL) {
			webauth_destroy(a);
			return NULL;
		}
	a->refs = 2;
	if (pthread_create(&t, NULL, webauth_run, a) != 0) {
		webauth_destroy(a);
		return NULL;
	}
	pthread_detach(t);
	return a;
}

static void
webauth_job_free(struct webauth_job *j)
{
	if (j->password != NULL) {
		explicit_bzero(j->password, strlen(j->password));
		free(j->password);
	}
	free(j->user);
	free(j);
}

/*
 * Stop: every queued check and the one under way are called back with
 * -1 before this returns, and none is called back after.
 */
void
webauth_stop(struct webauth *a)
{
	struct webauth_job *j, *queued;
	webauth_done_fn *cur_done = NULL;
	void *cur_arg = NULL;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->qmu);
	a->stop = 1;
	queued = a->head;
	a->head = a->tail = NULL;
	a->qlen = 0;
	if (a->current != NULL && !a->abandoned) {
		a->abandoned = 1;
		cur_done = a->current->done;
		cur_arg = a->current->arg;
	}
	pthread_cond_signal(&a->qcv);
	pthread_mutex_unlock(&a->qmu);
	if (cur_done != NULL)
		cur_done(cur_arg, -1);
	while ((j = queued) != NULL) {
		queued = j->next;
		j->done(j->arg, -1);
		webauth_job_free(j);
	}
}

void
webauth_free(struct webauth *a)
{
	if (a == NULL)
		return;
	webauth_stop(a);
	pthread_mutex_lock(&a->qmu);
	webauth_unref_locked(a);
}

/* The keyed digest the cache keeps: SHA-256(key, user, NUL, password). */
static int
webauth_digest(const struct webauth *a, const char *user, const char *pw,
    unsigned char out[WEBAUTH_DIGEST])
{
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a->key, sizeof(a->key)) == 1 &&
	    EVP_DigestUpdate(ctx, user, strlen(user) + 1) == 1 &&
	    EVP_DigestUpdate(ctx, pw, strlen(pw)) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == WEBAUTH_DIGEST;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Whether crypt(3) of pw with hash's salt and cost gives hash. */
static int
bcrypt_matches(const char *pw, const char *hash)
{
	struct crypt_data *cd;
	const char *out;
	size_t len = strlen(hash);
	int ok;

	/* struct crypt_data is 32 KiB: too big for an MHD thread's stack. */
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return 0;
	out = crypt_r(pw, hash, cd);
	ok = out != NULL && out[0] != '*' && strlen(out) == len &&
	    CRYPTO_memcmp(out, hash, len) == 0;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

static struct webauth_user *
webauth_find(struct webauth *a, const char *user)
{
	size_t i;

	for (i = 0; i < a->nusers; i++)
		if (strcmp(a->users[i].name, user) == 0)
			return &a->users[i];
	return NULL;
}

/* a is nobody's yet but its idle thread's, which reads key and users only
 * for a job; both locks are taken so that reads the same. */
void
webauth_adopt(struct webauth *a, struct webauth *old)
{
	struct webauth_user *u;
	size_t i;

	if (a == NULL || old == NULL)
		return;
	pthread_mutex_lock(&old->mu);
	pthread_mutex_lock(&a->mu);
	memcpy(a->key, old->key, sizeof(a->key));
	for (i = 0; i < a->nusers; i++) {
		u = webauth_find(old, a->users[i].name);
		if (u == NULL || !u->good_set ||
		    strcmp(u->hash, a->users[i].hash) != 0)
			continue;
		memcpy(a->users[i].good, u->good, WEBAUTH_DIGEST);
		a->users[i].good_set = 1;
	}
	pthread_mutex_unlock(&a->mu);
	pthread_mutex_unlock(&old->mu);
}

/* Whether the digest is the user's last good password. */
static int
webauth_hit(struct webauth *a, struct webauth_user *u,
    const unsigned char d[WEBAUTH_DIGEST])
{
	int hit;

	if (u == NULL)
		return 0;
	pthread_mutex_lock(&a->mu);
	hit = u->good_set && CRYPTO_memcmp(u->good, d, WEBAUTH_DIGEST) == 0;
	pthread_mutex_unlock(&a->mu);
	return hit;
}

int
webauth_cached(struct webauth *a, const char *user, const char *pw,
    unsigned char digest[WEBAUTH_DIGEST])
{
	unsigned char d[WEBAUTH_DIGEST];
	int hit;

	if (a == NULL || user == NULL || pw == NULL ||
	    webauth_digest(a, user, pw, d) == -1)
		return 0;
	if ((hit = webauth_hit(a, webauth_find(a, user), d)) && digest != NULL)
		memcpy(digest, d, sizeof(d));
	explicit_bzero(d, sizeof(d));
	return hit;
}

int
webauth_check(struct webauth *a, const char *user, const char *pw)
{
	unsigned char d[WEBAUTH_DIGEST];
	struct webauth_user *u;
	int ok;

	if (a == NULL || user == NULL || pw == NULL ||
	    webauth_digest(a, user, pw, d) == -1)
		return 0;
	u = webauth_find(a, user);
	if (webauth_hit(a, u, d)) {
		explicit_bzero(d, sizeof(d));
		return 1;
	}
	/* An unknown name still pays for a bcrypt, against user 0's salt. */
	ok = bcrypt_matches(pw, u != NULL ? u->hash : a->users[0].hash) &&
	    u != NULL;
	if (ok) {
		pthread_mutex_lock(&a->mu);
		memcpy(u->good, d, sizeof(d));
		u->good_set = 1;
		pthread_mutex_unlock(&a->mu);
	}
	explicit_bzero(d, sizeof(d));
	return ok;
}

/*
 * The checker's thread: one queued check at a time until stopped.  The
 * verdict is given under qmu, so webauth_stop either abandons the check
 * first (and answers it itself) or finds the answer given.
 */
static void *
webauth_run(void *arg)
{
	struct webauth *a = arg;
	struct webauth_job *j;
	int ok;

	pthread_mutex_lock(&a->qmu);
	for (;;) {
		while (!a->stop && a->head == NULL)
			pthread_cond_wait(&a->qcv, &a->qmu);
		if (a->stop)
			break;
		j = a->head;
		if ((a->head = j->next) == NULL)
			a->tail = NULL;
		a->qlen--;
		a->current = j;
		a->abandoned = 0;
		pthread_mutex_unlock(&a->qmu);
		ok = webauth_check(a, j->user, j->password);
		pthread_mutex_lock(&a->qmu);
		if (!a->abandoned)
			j->done(j->arg, ok);
		a->current = NULL;
		webauth_job_free(j);
	}
	webauth_unref_locked(a);
	return NULL;
}

int
webauth_submit(struct webauth *a, const char *user, const char *pw,
    webauth_done_fn *done, void *arg)
{
	struct webauth_job *j;

	if (a == NULL || user == NULL || pw == NULL ||
	    (j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->done = done;
	j->arg = arg;
	if ((j->user = strdup(user)) == NULL ||
	    (j->password = strdup(pw)) == NULL) {
		webauth_job_free(j);
		return -1;
	}
	pthread_mutex_lock(&a->qmu);
	if (a->stop || a->qlen >= WEBAUTH_QUEUE_MAX) {
		pthread_mutex_unlock(&a->qmu);
		webauth_job_free(j);
		return -1;
	}
	if (a->tail != NULL)
		a->tail->next = j;
	else
		a->head = j;
	a->tail = j;
	a->qlen++;
	pthread_cond_signal(&a->qcv);
	pthread_mutex_unlock(&a->qmu);
	return 0;
}
