/*
 * cmd_failover.c: failover NAME, and failover NAME partner-down.
 *
 * A failover-state object, printed for people: states by name, the role
 * taken from hierarchy (0 primary, 1 secondary), times as epoch seconds
 * (and, in text, as a UTC date).  local-address and partner-address are
 * left out: dhcpd 4.4.3 sends the 8 bytes of a C pointer there, not an
 * address (omapi-notes.md).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "omapictl.h"

#define FAILOVER_USAGE	"failover NAME [partner-down]"

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
const char *
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

/*
 * 0 if a local-state value is a failover state dhcpd can be put in; -1
 * otherwise: dhcpd 4.4.3 takes any number and then exits ("Impossible
 * case at failover.c:1716", seen live with 99).
 */
int
failover_state_check(const uint8_t *v, uint32_t len, struct omapi_error *err)
{
	uint32_t s;

	if (len == 4 && (s = omapi_get_u32(v)) != 0 &&
	    omapi_failover_state_name(s) != NULL)
		return 0;
	return omapi_seterr(err, OMAPI_ERR_INVALID, "local-state is not a "
	    "failover state (1-11 or 254): dhcpd would exit");
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

/*
 * failover NAME partner-down: set local-state to partner-down, read the
 * peer back and print it.  Refused (exit 4) when dhcpd says no, or when
 * the peer is not in partner-down afterwards.
 */
static int
failover_partner_down(struct cli *cli, struct omapi_object *o,
    const char *q)
{
	struct omapi_object *after = NULL;
	struct omapi_error err;
	uint32_t state;
	const char *name;
	int rv;

	rv = omapi_failover_set_state(cli->conn, o,
	    OMAPI_FAILOVER_PARTNER_DOWN, &after, &err);
	omapi_object_free(o);
	if (rv == -1)
		return session_fail(&err, "failover %s partner-down", q);
	if (omapi_object_u32(after, "local-state", &state) == 0 &&
	    state != OMAPI_FAILOVER_PARTNER_DOWN) {
		name = omapi_failover_state_name(state);
		fprintf(stderr, "%s: failover %s partner-down: dhcpd kept "
		    "local-state %s\n", CLI_NAME, q, name ? name : "unknown");
		omapi_object_free(after);
		return CLI_REFUSED;
	}
	rv = failover_print(cli, after);
	omapi_object_free(after);
	return rv;
}

int
cmd_failover(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	char q[OUTPUT_QUOTE_MAX];
	int rv;

	if (argc < 1 || argc > 2 || *argv[0] == '\0')
		return args_usage_error("usage: %s", FAILOVER_USAGE);
	if (argc == 2 && strcmp(argv[1], "partner-down") != 0)
		return args_usage_error("usage: %s", FAILOVER_USAGE);
	output_quote(argv[0], q);
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	if (omapi_failover_by_name(cli->conn, argv[0], &o, &err) == -1)
		return session_fail(&err, "failover %s", q);
	if (argc == 2)
		return failover_partner_down(cli, o, q);
	rv = failover_print(cli, o);
	omapi_object_free(o);
	return rv;
}
