/*
 * snapshot.c: the metric snapshot one poll cycle produces, its builders,
 * and the store that hands the latest one to the HTTP threads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "metrics.h"

const uint32_t snapshot_expiry_secs[SNAPSHOT_NEXPIRY] = {
	300, 900, 3600, 14400, 86400
};

const uint32_t snapshot_seen_secs[SNAPSHOT_NSEEN] = { 300, 900, 3600 };

static const char *const snapshot_states[SNAPSHOT_NSTATES] = {
	NULL, "free", "active", "expired", "released", "abandoned", "reset",
	"backup"
};

static const char *const snapshot_reasons[SNAPSHOT_NREASONS] = {
	"timeout", "auth", "protocol", "status", "connection"
};

/* The name of lease state 1..7, or NULL. */
const char *
snapshot_state_name(unsigned state)
{
	if (state == 0 || state >= SNAPSHOT_NSTATES)
		return NULL;
	return snapshot_states[state];
}

/* The reason label value of an error kind. */
const char *
snapshot_reason_name(enum snapshot_reason r)
{
	if ((unsigned)r >= SNAPSHOT_NREASONS)
		return NULL;
	return snapshot_reasons[r];
}

/*
 * The error reason to count for a library error kind, or -1 for kinds
 * that are not an exchange failure (not found, invalid argument, ok).
 * Out of memory counts as a protocol-side failure of ours: "protocol".
 */
int
snapshot_reason_from_omapi(enum omapi_errcode code)
{
	switch (code) {
	case OMAPI_ERR_TIMEOUT:
		return SNAPSHOT_ERR_TIMEOUT;
	case OMAPI_ERR_AUTH:
		return SNAPSHOT_ERR_AUTH;
	case OMAPI_ERR_PROTOCOL:
	case OMAPI_ERR_NOMEM:
		return SNAPSHOT_ERR_PROTOCOL;
	case OMAPI_ERR_STATUS:
		return SNAPSHOT_ERR_STATUS;
	case OMAPI_ERR_CONNECTION:
		return SNAPSHOT_ERR_CONNECTION;
	default:
		return -1;
	}
}

/* Wall-clock time in epoch seconds with sub-second precision. */
double
snapshot_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A checked copy of a string for the snapshot; NULL with errno set. */
static char *
snapshot_strdup(const char *s)
{
	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (strnlen(s, CONFIG_STR_MAX + 1) > CONFIG_STR_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!label_utf8_valid((const unsigned char *)s)) {
		errno = EILSEQ;
		return NULL;
	}
	return strdup(s);
}

/* Make room for one more pointer in *arr, never past max entries. */
static int
snapshot_grow(void *arrp, size_t n, size_t *cap, size_t max)
{
	void **arr = *(void ***)arrp;
	size_t ncap;

	if (n < *cap)
		return 0;
	if (n >= max) {
		errno = E2BIG;
		return -1;
	}
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > max)
		ncap = max;
	if ((arr = reallocarray(arr, ncap, sizeof(*arr))) == NULL)
		return -1;
	*(void ***)arrp = arr;
	*cap = ncap;
	return 0;
}

/* A new empty snapshot holding one reference, stamped with the time. */
struct snapshot *
snapshot_new(const char *version, const char *commit)
{
	struct snapshot *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	atomic_init(&s->refs, 1);
	s->created = snapshot_now();
	s->reload_ok = 1;	/* the store's, when published through one */
	s->reload_success = s->created;
	if ((s->version = snapshot_strdup(version ? version : "")) == NULL)
		goto out_free;
	if ((s->commit = snapshot_strdup(commit ? commit : "")) == NULL)
		goto out_version;
	if (pthread_mutex_init(&s->cache_mtx, NULL) != 0)
		goto out_commit;
	omapi_buf_init(&s->text, 0);
	omapi_buf_init(&s->gz, 0);
	return s;

out_commit:
	free(s->commit);
out_version:
	free(s->version);
out_free:
	free(s);
	return NULL;
}

/* Take one more reference to s. */
struct snapshot *
snapshot_ref(struct snapshot *s)
{
	atomic_fetch_add(&s->refs, 1);
	return s;
}

static void
snapshot_pool_free(struct snapshot_pool *p)
{
	size_t i;

	for (i = 0; i < p->nlabels; i++) {
		free(p->labels[i].name);
		free(p->labels[i].value);
	}
	free(p->labels);
	free(p->failover_peer);
	free(p->name);
	free(p->shared_network);
	free(p->ranges);
	free(p);
}

static void
snapshot_host_free(struct snapshot_host *h)
{
	free(h->name);
	free(h->mac);
	free(h->ip);
	free(h);
}

/* Drop one snapshot's hold on a server's part; the last one frees it. */
static void
snapshot_server_release(struct snapshot_server *sv)
{
	size_t i;

	if (atomic_fetch_sub(&sv->refs, 1) != 1)
		return;
	for (i = 0; i < sv->npools; i++)
		snapshot_pool_free(sv->pools[i]);
	for (i = 0; i < sv->nhosts; i++)
		snapshot_host_free(sv->hosts[i]);
	for (i = 0; i < sv->nshared; i++)
		free(sv->shared[i].name);
	free(sv->shared);
	for (i = 0; i < sv->npeers; i++) {
		free(sv->peers[i]->name);
		free(sv->peers[i]);
	}
	for (i = 0; i < sv->nclasses; i++) {
		free(sv->classes[i]->name);
		free(sv->classes[i]);
	}
	for (i = 0; i < sv->npools6; i++) {
		free(sv->pools6[i].name);
		free(sv->pools6[i].shared_network);
	}
	free(sv->pools6);
	free(sv->pools);
	free(sv->hosts);
	free(sv->peers);
	free(sv->classes);
	free(sv->name);
	leasetab_release(sv->leases);
	if (sv->log != NULL) {
		dhcplog_counts_free(&sv->log->counts);
		dhcplog_counts_free(&sv->log->hour_ago);
		free(sv->log);
	}
	free(sv);
}

/* Room for the server's n DHCPv6 pools (zeroed); once per server. */
int
snapshot_server_set_pools6(struct snapshot_server *sv, size_t n)
{
	if (sv->pools6 != NULL || n > CONFIG_POOLS_MAX) {
		errno = E2BIG;
		return -1;
	}
	if ((sv->pools6 = calloc(n + 1, sizeof(*sv->pools6))) == NULL)
		return -1;
	sv->npools6 = n;
	return 0;
}

/* A DHCPv6 pool's name and shared network, checked as every label value. */
int
snapshot_pool6_set_names(struct snapshot_pool6 *p, const char *name,
    const char *shared_network)
{
	char *n, *sn;

	if ((n = snapshot_strdup(name)) == NULL)
		return -1;
	if ((sn = snapshot_strdup(shared_network)) == NULL) {
		free(n);
		return -1;
	}
	free(p->name);
	free(p->shared_network);
	p->name = n;
	p->shared_network = sn;
	return 0;
}

/* The server's log counters: a deep copy of l.  -1 (ENOMEM). */
int
snapshot_server_set_log(struct snapshot_server *sv,
    const struct snapshot_log *l)
{
	struct snapshot_log *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return -1;
	*n = *l;
	dhcplog_counts_init(&n->counts);
	dhcplog_counts_init(&n->hour_ago);
	if (dhcplog_counts_copy(&n->counts, &l->counts) == -1 ||
	    dhcplog_counts_copy(&n->hour_ago, &l->hour_ago) == -1) {
		dhcplog_counts_free(&n->counts);
		free(n);
		errno = ENOMEM;
		return -1;
	}
	if (sv->log != NULL) {
		dhcplog_counts_free(&sv->log->counts);
		dhcplog_counts_free(&sv->log->hour_ago);
		free(sv->log);
	}
	sv->log = n;
	return 0;
}

/* Drop one reference; the last one frees the snapshot.  NULL is fine. */
void
snapshot_release(struct snapshot *s)
{
	size_t i;

	if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	for (i = 0; i < s->nservers; i++)
		snapshot_server_release(s->servers[i]);
	free(s->servers);
	omapi_buf_free(&s->text);
	omapi_buf_free(&s->gz);
	pthread_mutex_destroy(&s->cache_mtx);
	free(s->version);
	free(s->commit);
	free(s);
}

/* Append a server, all fields zero (down, never polled). */
struct snapshot_server *
snapshot_add_server(struct snapshot *s, const char *name)
{
	struct snapshot_server *sv;

	if (snapshot_grow(&s->servers, s->nservers, &s->servercap,
	    CONFIG_SERVERS_MAX) == -1)
		return NULL;
	if ((sv = calloc(1, sizeof(*sv))) == NULL)
		return NULL;
	if ((sv->name = snapshot_strdup(name)) == NULL) {
		free(sv);
		return NULL;
	}
	atomic_init(&sv->refs, 1);
	s->servers[s->nservers++] = sv;
	return sv;
}

/*
 * Append a server's part that another snapshot holds (its publisher found
 * the server unchanged): both hold it, read-only, until both are released.
 */
int
snapshot_share_server(struct snapshot *s, struct snapshot_server *sv)
{
	if (snapshot_grow(&s->servers, s->nservers, &s->servercap,
	    CONFIG_SERVERS_MAX) == -1)
		return -1;
	atomic_fetch_add(&sv->refs, 1);
	s->servers[s->nservers++] = sv;
	return 0;
}

/* Append a pool to a server: no counters and no sweep data yet. */
struct snapshot_pool *
snapshot_server_add_pool(struct snapshot_server *sv, const char *name)
{
	struct snapshot_pool *p;

	if (snapshot_grow(&sv->pools, sv->npools, &sv->poolcap,
	    CONFIG_POOLS_MAX) == -1)
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->name = snapshot_strdup(name)) == NULL) {
		free(p);
		return NULL;
	}
	p->resolution = -1;
	sv->pools[sv->npools++] = p;
	return p;
}

/* A shared network's sums, added in name order by the publisher. */
struct snapshot_shared *
snapshot_server_add_shared(struct snapshot_server *sv, const char *name)
{
	struct snapshot_shared *n;

	if (sv->nshared >= CONFIG_POOLS_MAX) {
		errno = E2BIG;
		return NULL;
	}
	if ((n = reallocarray(sv->shared, sv->nshared + 1, sizeof(*n))) ==
	    NULL)
		return NULL;
	sv->shared = n;
	n = &sv->shared[sv->nshared];
	memset(n, 0, sizeof(*n));
	if ((n->name = snapshot_strdup(name)) == NULL)
		return NULL;
	sv->nshared++;
	return n;
}

/*
 * What dhcpd.conf says of a pool: its shared network (NULL: unknown) and
 * its ranges as text.  The ranges may pass CONFIG_STR_MAX (a pool of
 * many ranges); they are checked as UTF-8 only.
 */
int
snapshot_pool_set_info(struct snapshot_pool *p, const char *shared_network,
    const char *ranges)
{
	if (ranges == NULL ||
	    !label_utf8_valid((const unsigned char *)ranges)) {
		errno = EILSEQ;
		return -1;
	}
	if (shared_network != NULL && (p->shared_network =
	    snapshot_strdup(shared_network)) == NULL)
		return -1;
	if ((p->ranges = strdup(ranges)) == NULL)
		return -1;
	return 0;
}

/*
 * Add a configured label to a pool, keeping the labels sorted by name.
 * A duplicate, reserved or malformed name fails with EINVAL.
 */
int
snapshot_pool_add_label(struct snapshot_pool *p, const char *name,
    const char *value)
{
	struct snapshot_label *l, nl;
	size_t i;
	int cmp;

	if (name == NULL || label_name_check(name, NULL, 0) == -1) {
		errno = EINVAL;
		return -1;
	}
	if (p->nlabels >= CONFIG_LABELS_MAX) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < p->nlabels; i++) {
		if ((cmp = strcmp(p->labels[i].name, name)) == 0) {
			errno = EINVAL;
			return -1;
		}
		if (cmp > 0)
			break;
	}
	if ((nl.name = snapshot_strdup(name)) == NULL)
		return -1;
	if ((nl.value = snapshot_strdup(value)) == NULL)
		goto out_name;
	l = reallocarray(p->labels, p->nlabels + 1, sizeof(*l));
	if (l == NULL)
		goto out_value;
	memmove(&l[i + 1], &l[i], (p->nlabels - i) * sizeof(*l));
	l[i] = nl;
	p->labels = l;
	p->nlabels++;
	return 0;

out_value:
	free(nl.value);
out_name:
	free(nl.name);
	return -1;
}

/* Append a configured host, not present until snapshot_host_found(). */
struct snapshot_host *
snapshot_server_add_host(struct snapshot_server *sv, const char *name)
{
	struct snapshot_host *h;

	if (snapshot_grow(&sv->hosts, sv->nhosts, &sv->hostcap,
	    CONFIG_HOSTS_MAX) == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	if ((h->name = snapshot_strdup(name)) == NULL) {
		free(h);
		return NULL;
	}
	sv->hosts[sv->nhosts++] = h;
	return h;
}

/* Mark a host present with its MAC and fixed address (either may be NULL). */
int
snapshot_host_found(struct snapshot_host *h, const char *mac, const char *ip)
{
	char *m = NULL, *a = NULL;

	if (mac != NULL && (m = snapshot_strdup(mac)) == NULL)
		return -1;
	if (ip != NULL && (a = snapshot_strdup(ip)) == NULL) {
		free(m);
		return -1;
	}
	free(h->mac);
	free(h->ip);
	h->mac = m;
	h->ip = a;
	h->present = 1;
	return 0;
}

/* The failover peer a pool is served under (its failover_peer label). */
int
snapshot_pool_set_peer(struct snapshot_pool *p, const char *peer)
{
	char *v;

	if ((v = snapshot_strdup(peer)) == NULL)
		return -1;
	free(p->failover_peer);
	p->failover_peer = v;
	return 0;
}

/* Append a watched failover peer: not asked yet. */
struct snapshot_peer *
snapshot_server_add_peer(struct snapshot_server *sv, const char *name)
{
	struct snapshot_peer *fp;

	if (snapshot_grow(&sv->peers, sv->npeers, &sv->peercap,
	    CONFIG_PEERS_MAX) == -1)
		return NULL;
	if ((fp = calloc(1, sizeof(*fp))) == NULL)
		return NULL;
	if ((fp->name = snapshot_strdup(name)) == NULL) {
		free(fp);
		return NULL;
	}
	fp->fo.found = -1;
	fp->fo.role = -1;
	sv->peers[sv->npeers++] = fp;
	return fp;
}

/* Append a watched class: not asked yet. */
struct snapshot_class *
snapshot_server_add_class(struct snapshot_server *sv, const char *name)
{
	struct snapshot_class *c;

	if (snapshot_grow(&sv->classes, sv->nclasses, &sv->classcap,
	    CONFIG_CLASSES_MAX) == -1)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->name = snapshot_strdup(name)) == NULL) {
		free(c);
		return NULL;
	}
	c->c.found = -1;
	sv->classes[sv->nclasses++] = c;
	return c;
}

/* An empty store: not ready until the first publish. */
int
snapshot_store_init(struct snapshot_store *st)
{
	st->cur = NULL;
	st->generation = 0;
	st->reload_ok = 1;
	st->reload_success = 0;	/* none told: snapshots keep their own */
	return pthread_mutex_init(&st->mtx, NULL) == 0 ? 0 : -1;
}

/* Drop the store's snapshot; readers holding references keep theirs. */
void
snapshot_store_destroy(struct snapshot_store *st)
{
	snapshot_release(st->cur);
	st->cur = NULL;
	pthread_mutex_destroy(&st->mtx);
}

/*
 * Make s the current snapshot, unless the one in place has a higher seq
 * (built from newer results: it stays, and s is dropped).  The store
 * takes over the caller's reference: after the call the caller must not
 * touch s.
 */
void
snapshot_store_publish(struct snapshot_store *st, struct snapshot *s)
{
	struct snapshot *old;

	pthread_mutex_lock(&st->mtx);
	if (st->reload_success > 0) {	/* s is still the caller's alone */
		s->reload_ok = st->reload_ok;
		s->reload_success = st->reload_success;
	}
	old = st->cur;
	if (old != NULL && s->seq < old->seq) {
		/* built from older results than the one in place */
		pthread_mutex_unlock(&st->mtx);
		snapshot_release(s);
		return;
	}
	st->cur = s;
	st->generation++;
	pthread_mutex_unlock(&st->mtx);
	snapshot_release(old);
}

/* A reference to the current snapshot (NULL before the first publish). */
struct snapshot *
snapshot_store_acquire(struct snapshot_store *st)
{
	struct snapshot *s;

	pthread_mutex_lock(&st->mtx);
	s = st->cur ? snapshot_ref(st->cur) : NULL;
	pthread_mutex_unlock(&st->mtx);
	return s;
}

/*
 * The verdict of a load of the whole configuration (main.c: at start, and
 * at every reload whatever triggered it): every snapshot published from
 * now on carries it.
 */
void
snapshot_store_reloaded(struct snapshot_store *st, int ok)
{
	pthread_mutex_lock(&st->mtx);
	st->reload_ok = ok;
	if (ok)
		st->reload_success = snapshot_now();
	pthread_mutex_unlock(&st->mtx);
}

/* Whether a snapshot has been published (the first poll finished). */
int
snapshot_store_ready(struct snapshot_store *st)
{
	int ready;

	pthread_mutex_lock(&st->mtx);
	ready = st->cur != NULL;
	pthread_mutex_unlock(&st->mtx);
	return ready;
}
