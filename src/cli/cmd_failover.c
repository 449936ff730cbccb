/*
 * cmd_failover.c: failover NAME, and failover NAME partner-down; the
 * object is printed by output_failover.c.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "omapictl.h"

#define FAILOVER_USAGE	"failover NAME [partner-down]"

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
