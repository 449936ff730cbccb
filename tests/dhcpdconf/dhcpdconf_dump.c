/*
 * dhcpdconf_dump: what src/dhcpdconf makes of a dhcpd.conf, as one JSON
 * document, for the integration test and the benchmark.
 *   dhcpdconf_dump [--cwd DIR] FILE            the model as JSON
 *   dhcpdconf_dump [--cwd DIR] --bench N FILE  parse N times, print timing
 *   dhcpdconf_dump [--cwd DIR] --count 1 FILE  parse, print the counts
 * Exit 1 with the parser's FILE:LINE:COLUMN message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcpdconf.h"

static void
json_str(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	putchar('"');
	for (; *u != '\0'; u++) {
		if (*u == '"' || *u == '\\')
			printf("\\%c", *u);
		else if (*u < 0x20 || *u >= 0x7f)
			printf("\\u%04x", *u);
		else
			putchar(*u);
	}
	putchar('"');
}

static void
ip(uint32_t a)
{
	printf("\"%u.%u.%u.%u\"", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
	    a & 0xff);
}

static void
where(const struct dhcpdconf_where *w)
{
	printf("\"at\":");
	json_str(w->file);
	printf(",\"line\":%u,\"column\":%u", w->line, w->column);
}

static void
peer_name(const struct dhcpdconf *c, size_t i)
{
	if (i == DHCPDCONF_NONE)
		printf("null");
	else
		json_str(c->peers[i].name);
}

static void
dump_peer(const struct dhcpdconf_peer *p)
{
	static const char *roles[] = { "none", "primary", "secondary" };

	printf("{\"name\":");
	json_str(p->name);
	printf(",\"role\":\"%s\",\"address\":", roles[p->role]);
	if (p->address)
		json_str(p->address);
	else
		printf("null");
	printf(",\"peer_address\":");
	json_str(p->peer_address);
	printf(",\"port\":%ld,\"peer_port\":%ld,\"mclt\":%ld,\"split\":%ld,"
	    "\"max_response_delay\":%ld,\"max_unacked_updates\":%ld,"
	    "\"load_balance_max_seconds\":%ld,", p->port, p->peer_port, p->mclt,
	    p->split, p->max_response_delay, p->max_unacked_updates,
	    p->load_balance_max_seconds);
	where(&p->where);
	printf("}");
}

static void
dump(const struct dhcpdconf *c)
{
	const struct dhcpdconf_range *r;
	const struct dhcpdconf_pool *pl;
	size_t i;

	printf("{\"files\":[");
	for (i = 0; i < c->nfiles; i++) {
		printf("%s{\"path\":", i ? "," : "");
		json_str(c->files[i].path);
		printf(",\"mtime\":%lld}", (long long)c->files[i].mtime.tv_sec);
	}
	printf("],\n\"shared_networks\":[");
	for (i = 0; i < c->nshared; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(c->shared[i].name);
		printf(",\"implicit\":%d,\"peer\":", c->shared[i].implicit);
		peer_name(c, c->shared[i].peer);
		printf("}");
	}
	printf("],\n\"subnets\":[");
	for (i = 0; i < c->nsubnets; i++) {
		printf("%s{\"cidr\":\"%s\",\"shared_network\":", i ? ",\n" : "",
		    c->subnets[i].cidr);
		json_str(c->shared[c->subnets[i].shared].name);
		printf(",\"net\":");
		ip(c->subnets[i].net);
		printf(",\"mask\":");
		ip(c->subnets[i].mask);
		printf("}");
	}
	printf("],\n\"pools\":[");
	for (i = 0; i < c->npools; i++) {
		pl = &c->pools[i];
		printf("%s{\"shared_network\":", i ? ",\n" : "");
		json_str(c->shared[pl->shared].name);
		printf(",\"peer\":");
		peer_name(c, pl->peer);
		printf(",\"implicit\":%d,", pl->implicit);
		where(&pl->where);
		printf("}");
	}
	printf("],\n\"ranges\":[");
	for (i = 0; i < c->nranges; i++) {
		r = &c->ranges[i];
		printf("%s{\"first\":", i ? ",\n" : "");
		ip(r->first);
		printf(",\"last\":");
		ip(r->last);
		printf(",\"subnet\":\"%s\",\"shared_network\":",
		    c->subnets[r->subnet].cidr);
		json_str(c->shared[c->subnets[r->subnet].shared].name);
		printf(",\"pool\":%zu,\"peer\":", r->pool);
		peer_name(c, c->pools[r->pool].peer);
		printf(",\"dynamic_bootp\":%d,", r->dynamic_bootp);
		where(&r->where);
		printf("}");
	}
	printf("],\n\"peers\":[");
	for (i = 0; i < c->npeers; i++) {
		printf("%s", i ? ",\n" : "");
		dump_peer(&c->peers[i]);
	}
	printf("],\n\"classes\":[");
	for (i = 0; i < c->nclasses; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(c->classes[i].name);
		printf(",\"lease_limit\":%ld}", c->classes[i].lease_limit);
	}
	/* OMAPI: never a secret, only whether one was found */
	printf("],\n\"omapi_port\":%ld,\"omapi_key\":", c->omapi_port);
	if (c->omapi_key != NULL)
		json_str(c->omapi_key);
	else
		printf("null");
	printf(",\"keys\":[");
	for (i = 0; i < c->nkeys; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(c->keys[i].name);
		printf(",\"algorithm\":");
		if (c->keys[i].algorithm != NULL)
			json_str(c->keys[i].algorithm);
		else
			printf("null");
		printf(",");
		where(&c->keys[i].where);
		printf("}");
	}
	printf("]}\n");
}

static double
clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

int
main(int argc, char **argv)
{
	struct dhcpdconf_opts opts = { .cwd = NULL };
	struct dhcpdconf *c;
	char err[DHCPDCONF_ERRLEN];
	long bench = 0, count = 0, i;
	double t0, c0, best = 1e9, t;

	for (argc--, argv++; argc > 1; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "--cwd") == 0)
			opts.cwd = argv[1];
		else if (strcmp(argv[0], "--bench") == 0)
			bench = atol(argv[1]);
		else if (strcmp(argv[0], "--count") == 0)
			count = atol(argv[1]);
		else
			break;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: dhcpdconf_dump [--cwd DIR] "
		    "[--bench N | --count 1] FILE\n");
		return 2;
	}
	if (bench > 0) {
		t0 = now();
		c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		for (i = 0; i < bench; i++) {
			t = now();
			if (dhcpdconf_load(&c, argv[0], &opts, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			dhcpdconf_free(c);
			t = now() - t;
			if (t < best)
				best = t;
		}
		printf("{\"parses\":%ld,\"mean_s\":%.9f,\"best_s\":%.9f,"
		    "\"cpu_mean_s\":%.9f}\n", bench, (now() - t0) /
		    (double)bench, best, (clock_s(CLOCK_PROCESS_CPUTIME_ID) -
		    c0) / (double)bench);
		return 0;
	}
	if (dhcpdconf_load(&c, argv[0], &opts, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (count)
		printf("%zu files, %zu subnets, %zu shared networks, %zu "
		    "pools, %zu ranges, %zu peers, %zu classes\n", c->nfiles,
		    c->nsubnets, c->nshared, c->npools, c->nranges, c->npeers,
		    c->nclasses);
	else
		dump(c);
	dhcpdconf_free(c);
	return 0;
}
