/*
 * output_failover.c: an object as its type asks, above output.c: a
 * failover-state object printed for people: states by name, the role
 * taken from hierarchy (0 primary, 1 secondary), times as epoch seconds
 * (and, in text, as a UTC date).  local-address and partner-address are
 * left out: dhcpd 4.4.3 sends the 8 bytes of a C pointer there, not an
 * address (omapi-notes.md).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "omapictl.h"

/* 1 if the pair is named name. */
static int
pair_is(const struct omapi_pair *p, const char *name)
{
	return p->namelen == strlen(name) &&
	    memcmp(p->name, name, p->namelen) == 0;
}

/* 1 for the attributes that hold pointer bytes, not data. */
int
failover_is_pointer(const struct omapi_pair *p)
{
	return pair_is(p, "local-address") || pair_is(p, "partner-address");
}

/* 1 for the attributes that are epoch seconds. */
static int
failover_is_time(const struct omapi_pair *p)
{
	return p->len == 4 && (pair_is(p, "local-stos") ||
	    pair_is(p, "partner-stos") || pair_is(p, "last-packet-sent") ||
	    pair_is(p, "last-timestamp-received"));
}

/* The role a hierarchy value stands for, or NULL. */
static const char *
failover_role_name(uint32_t hierarchy)
{
	switch (hierarchy) {
	case 0:
		return "primary";
	case 1:
		return "secondary";
	default:
		return NULL;
	}
}

/* "NAME = SECONDS (DATE)" for a time in text; 0 is never. */
static void
failover_print_time(const struct omapi_pair *p)
{
	time_t t = (time_t)omapi_get_u32(p->value);
	struct tm tm;
	char date[64];

	if (t == 0)
		snprintf(date, sizeof(date), "never");
	else if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(date, sizeof(date), "?");
	printf("%.*s = %u (%s)\n", (int)p->namelen, (const char *)p->name,
	    omapi_get_u32(p->value), date);
}

/* The role, after hierarchy: "role = primary" or ,"role":"primary". */
static void
failover_print_role(const struct omapi_pair *p, int json)
{
	const char *role;

	if (p->len != 4 ||
	    (role = failover_role_name(omapi_get_u32(p->value))) == NULL)
		return;
	if (json)
		printf(",\"role\":\"%s\"", role);
	else
		printf("role = %s\n", role);
}

/* One pair of a failover-state object (an output_pair_fn). */
static int
failover_pair(const struct omapi_pair *p, int json, int first)
{
	int rv;

	if (failover_is_pointer(p))
		return 0;
	if (!json && failover_is_time(p)) {
		failover_print_time(p);
		return 1;
	}
	if ((rv = output_pair(p, json, first)) == 1 && pair_is(p, "hierarchy"))
		failover_print_role(p, json);
	return rv;
}

/* Print a failover-state object (output_object comes here for them). */
int
failover_print(const struct cli *cli, const struct omapi_object *o)
{
	return output_list_with(cli, &o->attrs, failover_pair);
}

/* An object: a failover-state as above, any other as output_list. */
int
output_object(const struct cli *cli, const struct omapi_object *o)
{
	if (cli->type != NULL && strcmp(cli->type, "failover-state") == 0)
		return failover_print(cli, o);
	return output_list(cli, &o->attrs);
}
