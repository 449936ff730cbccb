/*
 * fuzz_leases.c: libFuzzer target for the dhcpd.leases reader
 * (src/leases/).  The first byte picks a cut; the rest is fed whole to one
 * reader and in two pieces at the cut to another, as a poll meets a file
 * dhcpd is still writing.  Any bytes must give the same entries and the
 * same count of bad stanzas both ways, every error must be a
 * "leases:L:C: ..." message, and every entry must be sane.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leases.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct leases *l)
{
	const struct leases_entry *e;
	size_t n, i;

	e = leases_entries(l, &n);
	for (i = 0; i < n; i++)
		if (e[i].kind > LEASES_PD || e[i].state >= LEASES_NSTATES ||
		    e[i].next >= LEASES_NSTATES || e[i].plen > 128 ||
		    (e[i].kind != LEASES_PD && e[i].plen != 0) ||
		    leases_find(l, e[i].kind, e[i].addr, e[i].plen) != &e[i])
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct leases *a, *b;
	const struct leases_entry *ea, *eb;
	char err[LEASES_ERRLEN];
	size_t cut, na, nb;
	int bada, badb;

	if (size < 1)
		return 0;
	cut = data[0] % size;
	data++;
	size--;
	if ((a = leases_new(NULL, 64)) == NULL ||
	    (b = leases_new(NULL, 64)) == NULL)
		abort();
	err[0] = '\0';
	bada = leases_feed(a, (const char *)data, size, err, sizeof(err));
	if (bada < 0 || (bada > 0 && strncmp(err, "leases:", 7) != 0))
		abort();
	badb = leases_feed(b, (const char *)data, cut, err, sizeof(err));
	badb += leases_feed(b, (const char *)data + cut, size - cut, err,
	    sizeof(err));
	check(a);
	check(b);
	ea = leases_entries(a, &na);
	eb = leases_entries(b, &nb);
	if (bada != badb || na != nb ||
	    (na > 0 && memcmp(ea, eb, na * sizeof(*ea)) != 0))
		abort();
	leases_free(a);
	leases_free(b);
	return 0;
}
