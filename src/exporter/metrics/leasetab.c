/*
 * leasetab.c: the leases of one sweep that get per-lease series
 * (lease_info), capped at max_series rows; the rest are only counted.
 *
 * A worker fills a table during a sweep and hands it over when the sweep
 * is complete; from then on nobody changes it, and every holder (the
 * worker's result, the publisher's copy, each snapshot) keeps a reference.
 * Hostnames are stored as valid UTF-8 without NUL: whatever bytes a client
 * sent, a label value must be UTF-8, so a byte that does not start a valid
 * sequence, and NUL, become U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

#define LEASETAB_NAME_MAX	255	/* bytes of a hostname kept (option 12) */

static const char leasetab_repl[] = "\xef\xbf\xbd";	/* U+FFFD */

/* A table that keeps at most max rows; NULL on ENOMEM. */
struct leasetab *
leasetab_new(uint32_t max)
{
	struct leasetab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	atomic_init(&t->refs, 1);
	t->max = max;
	/* offset 0 is the empty hostname */
	if ((t->text = malloc(256)) == NULL) {
		free(t);
		return NULL;
	}
	t->text[0] = '\0';
	t->textlen = 1;
	t->textcap = 256;
	return t;
}

struct leasetab *
leasetab_ref(struct leasetab *t)
{
	if (t != NULL)
		atomic_fetch_add(&t->refs, 1);
	return t;
}

void
leasetab_release(struct leasetab *t)
{
	if (t == NULL || atomic_fetch_sub(&t->refs, 1) != 1)
		return;
	free(t->rows);
	free(t->text);
	free(t);
}

/* Room for n more bytes of text; -1 on ENOMEM. */
static int
leasetab_text_room(struct leasetab *t, size_t n)
{
	size_t cap = t->textcap;
	char *p;

	if (t->textlen + n <= cap)
		return 0;
	while (cap < t->textlen + n)
		cap *= 2;
	if ((p = realloc(t->text, cap)) == NULL)
		return -1;
	t->text = p;
	t->textcap = cap;
	return 0;
}

/*
 * Append hostname s (len bytes, any content) as UTF-8 and return its
 * offset, 0 for an empty one; -1 on ENOMEM.
 */
static int64_t
leasetab_add_name(struct leasetab *t, const uint8_t *s, size_t len)
{
	size_t i, n, start = t->textlen;

	if (len == 0)
		return 0;
	if (len > LEASETAB_NAME_MAX)
		len = LEASETAB_NAME_MAX;
	/* each byte becomes at most 3, plus the NUL; offsets are 32-bit */
	if (start + 3 * len + 1 > UINT32_MAX ||
	    leasetab_text_room(t, 3 * len + 1) == -1)
		return -1;
	for (i = 0; i < len; i += n) {
		n = s[i] < 0x80 ? s[i] != 0 :
		    omapi_utf8_seq(s + i, (uint32_t)(len - i));
		if (n == 0) {
			memcpy(t->text + t->textlen, leasetab_repl, 3);
			t->textlen += 3;
			n = 1;
			continue;
		}
		memcpy(t->text + t->textlen, s + i, n);
		t->textlen += n;
	}
	t->text[t->textlen++] = '\0';
	return (int64_t)start;
}

/*
 * Rows kept while the sweep runs: max and some slack.  A sweep on several
 * connections answers addresses a little out of order; leasetab_finish
 * sorts by address and keeps the first max, so the cap means "the first
 * max leases by address" whatever order they came in, as long as an
 * answer is not later than the slack's worth of others.
 */
static size_t
leasetab_room(const struct leasetab *t)
{
	return (size_t)t->max + t->max / 8 + 1024;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct leasetab_row *x = a, *y = b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/* The sweep is complete: rows in address order, the first max kept. */
void
leasetab_finish(struct leasetab *t)
{
	if (t == NULL)
		return;
	qsort(t->rows, t->nrows, sizeof(*t->rows), row_cmp);
	if (t->nrows > t->max) {
		t->dropped += t->nrows - t->max;
		t->nrows = t->max;
	}
}

/*
 * One lease of pool (an index into the server's pools) at ip (host order).
 * Past the table's maximum, or when memory runs out, the lease is only
 * counted in dropped.
 */
void
leasetab_add(struct leasetab *t, uint32_t ip, size_t pool,
    const struct omapi_lease *l)
{
	struct leasetab_row *r;
	size_t cap;
	int64_t name;

	if (t->nrows >= leasetab_room(t))
		goto out_drop;
	if (t->nrows == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if (cap > leasetab_room(t))
			cap = leasetab_room(t);
		if ((r = realloc(t->rows, cap * sizeof(*r))) == NULL)
			goto out_drop;
		t->rows = r;
		t->cap = cap;
	}
	if ((name = leasetab_add_name(t, l->hostname, l->hostnamelen)) == -1)
		goto out_drop;
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->ip = ip;
	r->ends = l->ends;
	r->pool = (uint32_t)pool;
	r->hostname = (uint32_t)name;
	r->state = (uint8_t)l->state;
	r->hwlen = l->hwlen <= sizeof(r->hw) ? l->hwlen : sizeof(r->hw);
	memcpy(r->hw, l->hw, r->hwlen);
	return;
out_drop:
	t->dropped++;
}

/* Whether the lease state gets per-lease series: active, abandoned, backup. */
int
leasetab_wants(uint32_t state)
{
	return state == OMAPI_LEASE_ACTIVE || state == OMAPI_LEASE_ABANDONED ||
	    state == OMAPI_LEASE_BACKUP;
}
