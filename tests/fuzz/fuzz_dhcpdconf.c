/*
 * fuzz_dhcpdconf.c: libFuzzer target for the dhcpd.conf parser
 * (src/dhcpdconf/): any bytes parse or fail with a "t.conf:L:C: ..."
 * message; a parse's model is consistent (every index in range, every
 * range inside its subnet, first <= last, ranges found by address).
 * Includes are disabled: the input is the only file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcpdconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* abort() unless the model holds together. */
static void
check(const struct dhcpdconf *c)
{
	const struct dhcpdconf_range *r;
	const struct dhcpdconf_subnet *s;
	size_t i;

	for (i = 0; i < c->nsubnets; i++)
		if (c->subnets[i].shared >= c->nshared ||
		    (c->subnets[i].net & ~c->subnets[i].mask) != 0)
			abort();
	for (i = 0; i < c->npools; i++)
		if (c->pools[i].shared >= c->nshared ||
		    (c->pools[i].peer != DHCPDCONF_NONE &&
		    c->pools[i].peer >= c->npeers))
			abort();
	for (i = 0; i < c->nranges; i++) {
		r = &c->ranges[i];
		if (r->subnet >= c->nsubnets || r->pool >= c->npools ||
		    r->first > r->last)
			abort();
		s = &c->subnets[r->subnet];
		if ((r->first & s->mask) != s->net ||
		    (r->last & s->mask) != s->net ||
		    c->pools[r->pool].shared != s->shared)
			abort();
		/* ranges never overlap, so each end finds its own range */
		if (dhcpdconf_find_range(c, r->first) != i ||
		    dhcpdconf_find_range(c, r->last) != i)
			abort();
	}
	/* every key kept has a secret, and is the one found by its name or
	 * a later one of that name */
	for (i = 0; i < c->nkeys; i++)
		if (c->keys[i].secret == NULL || c->keys[i].name == NULL ||
		    dhcpdconf_find_key(c, c->keys[i].name) < &c->keys[i])
			abort();
	if (c->omapi_port == 0 || c->omapi_port > 65535)
		abort();
}

/* Keep every secret, so that key blocks are copied and freed too. */
static int
keep_secrets(mode_t mode)
{
	(void)mode;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcpdconf_opts opts = { .no_include = 1,
	    .secret_mode_ok = keep_secrets };
	struct dhcpdconf *c = NULL;
	char err[DHCPDCONF_ERRLEN];

	if (dhcpdconf_parse(&c, "t.conf", (const char *)data, size, &opts, err,
	    sizeof(err)) == 0) {
		check(c);
		dhcpdconf_free(c);
	} else if (c != NULL || strncmp(err, "t.conf:", 7) != 0 ||
	    strchr(err, '\n') != NULL)
		abort();
	return 0;
}
