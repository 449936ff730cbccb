/*
 * table.c: the entries by key, the key being the address family group
 * (IPv4; DHCPv6 address, ia-na and ia-ta alike; DHCPv6 prefix), the
 * address and the prefix length.  A later entry for a key replaces the
 * earlier one in place.  Open addressing with linear probing over an
 * array of indexes, at most half full; the entries array grows by
 * doubling up to max_entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leases_int.h"

/* ia-na and ia-ta addresses share dhcpd's one address space. */
static unsigned
key_group(unsigned kind)
{
	return kind == LEASES_V4 ? 0 : kind == LEASES_PD ? 2 : 1;
}

static int
key_eq(const struct leases_entry *a, const struct leases_entry *b)
{
	return key_group(a->kind) == key_group(b->kind) &&
	    a->plen == b->plen && memcmp(a->addr, b->addr, 16) == 0;
}

static uint64_t
key_hash(const struct leases_entry *e)
{
	uint64_t a, b, h;

	memcpy(&a, e->addr, 8);
	memcpy(&b, e->addr + 8, 8);
	h = a * 0x9e3779b97f4a7c15ull;
	h ^= (b + ((uint64_t)key_group(e->kind) << 8 | e->plen)) *
	    0xc2b2ae3d27d4eb4full;
	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 29);
}

/* The slot holding key, or the empty one where it would go. */
static size_t
tab_slot(const struct leases *l, const struct leases_entry *key)
{
	size_t mask = l->nslot - 1, i = key_hash(key) & mask;

	while (l->slot[i] != 0 && !key_eq(&l->v[l->slot[i] - 1], key))
		i = (i + 1) & mask;
	return i;
}

static int
tab_rehash(struct leases *l, size_t nslot)
{
	uint32_t *s;
	size_t i;

	if ((s = calloc(nslot, sizeof(*s))) == NULL)
		return -1;
	free(l->slot);
	l->slot = s;
	l->nslot = nslot;
	for (i = 0; i < l->n; i++)
		l->slot[tab_slot(l, &l->v[i])] = (uint32_t)(i + 1);
	return 0;
}

const struct leases_entry *
lsf_tab_find(const struct leases *l, const struct leases_entry *key)
{
	size_t i;

	if (l->nslot == 0)
		return NULL;
	i = tab_slot(l, key);
	return l->slot[i] == 0 ? NULL : &l->v[l->slot[i] - 1];
}

/*
 * Take e: replace the entry with its key, or add it.  -1 with errno
 * ENOSPC past max_entries, ENOMEM when memory runs out.
 */
int
lsf_tab_put(struct leases *l, const struct leases_entry *e)
{
	struct leases_entry *v;
	size_t i, cap;

	if (l->nslot != 0) {
		i = tab_slot(l, e);
		if (l->slot[i] != 0) {
			l->v[l->slot[i] - 1] = *e;
			return 0;
		}
	}
	if (l->n >= l->max_entries) {
		errno = ENOSPC;
		return -1;
	}
	if (l->n == l->cap) {
		cap = l->cap == 0 ? 1024 : l->cap * 2;
		if (cap > l->max_entries)
			cap = l->max_entries;
		if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if ((l->n + 1) * 2 > l->nslot &&
	    tab_rehash(l, l->nslot == 0 ? 2048 : l->nslot * 2) == -1)
		return -1;
	l->v[l->n] = *e;
	l->slot[tab_slot(l, e)] = (uint32_t)(l->n + 1);
	l->n++;
	return 0;
}

/* Forget every entry; the memory stays for the next read. */
void
lsf_tab_clear(struct leases *l)
{
	l->n = 0;
	if (l->slot != NULL)
		memset(l->slot, 0, l->nslot * sizeof(*l->slot));
}
