/*
 * cmd_change.c: set TYPE KEY=VALUE... -- ATTR=VALUE... and
 * delete TYPE KEY=VALUE..., for any object type dhcpd lets a client
 * change or delete.  Both open the object by its keys first, and print it
 * afterwards: set as dhcpd holds it after the update, delete as it was.
 * VALUE is typed as get types it (cmd_object.c).
 */
#include <stdio.h>
#include <string.h>

#include "omapictl.h"

#define SET_USAGE	"set TYPE KEY=VALUE... -- ATTR=VALUE..."
#define DELETE_USAGE	"delete TYPE KEY=VALUE..."

/*
 * Where the ATTR=VALUE words start: after a "--" word, or at the word
 * that followed "--" on the command line (getopt moved the "--" away).
 * -1 when there is no such split.
 */
static int
set_split(const struct cli *cli, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0 ||
		    argv[i] == cli->opts->after_dashes)
			return i;
	return -1;
}

/*
 * Changes dhcpd would lose or die of, refused before anything is sent:
 * a host name it cannot keep, a failover local-state that is no state.
 */
static int
set_guard(const char *type, const struct object_attr *a, int n,
    struct omapi_error *err)
{
	char name[OBJECT_VALUE_MAX + 1];
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(type, "host") == 0 &&
		    strcmp(a[i].name, "name") == 0) {
			memcpy(name, a[i].value, a[i].len);
			name[a[i].len] = '\0';
			if (omapi_host_name_check(name, err) == -1)
				return -1;
		}
		if (strcmp(type, "failover-state") == 0 &&
		    strcmp(a[i].name, "local-state") == 0 &&
		    failover_state_check(a[i].value, a[i].len, err) == -1)
			return -1;
	}
	return 0;
}

/* Open TYPE by the keys words; an exit status, *o on success. */
static int
change_open(struct cli *cli, const char *what, const char *type, int n,
    char **words, struct omapi_object **o, const char *q)
{
	struct object_attr keys[OBJECT_MAX_ATTRS];
	struct omapi_nv nv[OBJECT_MAX_ATTRS];
	struct omapi_error err;
	int rv;

	if ((rv = object_attrs_parse(n, words, keys, nv)) != 0)
		return rv;
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	if (omapi_open_object(cli->conn, type, nv, (size_t)n, 0, 0, o,
	    &err) == -1)
		return session_fail(&err, "%s %s", what, q);
	return CLI_OK;
}

int
cmd_set(struct cli *cli, int argc, char **argv)
{
	struct object_attr attrs[OBJECT_MAX_ATTRS];
	struct omapi_nv nv[OBJECT_MAX_ATTRS];
	struct omapi_object *o = NULL, *after = NULL;
	struct omapi_error err;
	char q[OUTPUT_QUOTE_MAX];
	int split, nattr, rv;

	if (argc < 1 || *argv[0] == '\0' ||
	    (split = set_split(cli, argc, argv)) < 2)
		return args_usage_error("usage: %s", SET_USAGE);
	nattr = argc - split - (strcmp(argv[split], "--") == 0);
	if (nattr < 1)
		return args_usage_error("usage: %s", SET_USAGE);
	if ((rv = object_attrs_parse(nattr, argv + argc - nattr, attrs,
	    nv)) != 0)
		return rv;
	output_quote(argv[0], q);
	cli->type = argv[0];
	if (set_guard(argv[0], attrs, nattr, &err) == -1)
		return session_fail(&err, "set %s", q);
	if ((rv = change_open(cli, "set", argv[0], split - 1, argv + 1, &o,
	    q)) !=
	    CLI_OK)
		return rv;
	rv = omapi_update_object(cli->conn, o->handle, nv, (size_t)nattr,
	    NULL, &err);
	if (rv == 0)
		rv = omapi_refresh_object(cli->conn, o->handle, &after, &err);
	omapi_object_free(o);
	return cmd_show(cli, rv, after, &err, "set %s", q);
}

int
cmd_delete(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	char q[OUTPUT_QUOTE_MAX];
	int rv;

	if (argc < 2 || *argv[0] == '\0')
		return args_usage_error("usage: %s", DELETE_USAGE);
	output_quote(argv[0], q);
	cli->type = argv[0];
	if ((rv = change_open(cli, "delete", argv[0], argc - 1, argv + 1,
	    &o, q)) !=
	    CLI_OK)
		return rv;
	if (omapi_delete_object(cli->conn, o->handle, &err) == -1) {
		omapi_object_free(o);
		return session_fail(&err, "delete %s", q);
	}
	rv = output_object(cli, o);
	omapi_object_free(o);
	return rv;
}
