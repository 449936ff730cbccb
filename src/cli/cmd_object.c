/*
 * cmd_object.c: objects opened by name (class NAME), the generic
 * get TYPE ATTR=VALUE..., and how ATTR=VALUE words become wire values
 * (get, set and delete share it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"


int
cmd_class(struct cli *cli, int argc, char **argv)
{
	struct omapi_object *o = NULL;
	struct omapi_error err;
	int rv;

	if (argc != 1 || *argv[0] == '\0')
		return args_usage_error("usage: class NAME");
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_class_by_name(cli->conn, argv[0], &o, &err);
	return cmd_show(cli, rv, o, &err, "class %s", argv[0]);
}

/* 1 if name is in the NULL-terminated list. */
static int
name_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

/* A decimal number that fits in 32 bits; -1 if s is not one. */
static int
get_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* VALUE as text. */
static int
get_text(const char *v, struct object_attr *a)
{
	size_t n = strlen(v);

	char q[OUTPUT_QUOTE_MAX];

	if (n > sizeof(a->value))
		return args_usage_error("value of %s is longer than %zu bytes",
		    output_quote(a->name, q), sizeof(a->value));
	memcpy(a->value, v, n);
	a->len = (uint32_t)n;
	return 0;
}

/* Type VALUE by the attribute's name, then by its look (see --help). */
static int
get_value(const char *v, int force_text, struct object_attr *a)
{
	static const char *const hex[] = { "hardware-address",
	    "dhcp-client-identifier", "uid", NULL };
	static const char *const text[] = { "name", "client-hostname",
	    "statements", "group", NULL };
	uint32_t u;
	size_t n;

	if (force_text || name_in(a->name, text))
		return get_text(v, a);
	if (strcmp(a->name, "ip-address") == 0) {
		a->len = 4;
		return parse_ipv4_arg(v, a->value) == -1 ? CLI_USAGE : 0;
	}
	if (name_in(a->name, hex)) {
		if (parse_hex_arg(a->name, v, a->value, sizeof(a->value),
		    &n) == -1)
			return CLI_USAGE;
		a->len = (uint32_t)n;
		return 0;
	}
	if (get_u32(v, &u) == 0) {
		omapi_put_u32(a->value, u);
		a->len = 4;
		return 0;
	}
	if (omapi_parse_ipv4(v, a->value) == 0) {
		a->len = 4;
		return 0;
	}
	return get_text(v, a);
}

/* Parse "ATTR=VALUE" or "ATTR:=TEXT". */
static int
get_attr_parse(const char *word, struct object_attr *a)
{
	const char *eq = strchr(word, '=');
	char q[OUTPUT_QUOTE_MAX];
	size_t n;
	int force_text;

	if (eq == NULL || eq == word)
		return args_usage_error("%s is not ATTR=VALUE",
		    output_quote(word, q));
	n = (size_t)(eq - word);
	force_text = word[n - 1] == ':';
	if (force_text)
		n--;
	if (n == 0)
		return args_usage_error("no attribute name in %s",
		    output_quote(word, q));
	if (n >= sizeof(a->name))
		return args_usage_error("attribute name of %zu bytes, longer "
		    "than %zu: %s", n, sizeof(a->name) - 1,
		    output_quote(word, q));
	memcpy(a->name, word, n);
	a->name[n] = '\0';
	return get_value(eq + 1, force_text, a);
}

/*
 * Parse n ATTR=VALUE words into attrs and the nv list that points at
 * them; 0, or an exit status (the problem reported).
 */
int
object_attrs_parse(int n, char **words, struct object_attr *attrs,
    struct omapi_nv *nv)
{
	int i, rv;

	if (n > OBJECT_MAX_ATTRS)
		return args_usage_error("at most %d ATTR=VALUE",
		    OBJECT_MAX_ATTRS);
	for (i = 0; i < n; i++) {
		if ((rv = get_attr_parse(words[i], &attrs[i])) != 0)
			return rv;
		nv[i] = (struct omapi_nv){ attrs[i].name, attrs[i].value,
		    attrs[i].len };
	}
	return 0;
}

/* get TYPE ATTR=VALUE...: open any object by its attributes. */
int
cmd_get(struct cli *cli, int argc, char **argv)
{
	struct object_attr attrs[OBJECT_MAX_ATTRS];
	struct omapi_nv nv[OBJECT_MAX_ATTRS];
	struct omapi_object *o = NULL;
	struct omapi_error err;
	int rv;

	if (argc < 2 || argc - 1 > OBJECT_MAX_ATTRS || *argv[0] == '\0')
		return args_usage_error("usage: get TYPE ATTR=VALUE... "
		    "(at most %d)", OBJECT_MAX_ATTRS);
	if ((rv = object_attrs_parse(argc - 1, argv + 1, attrs, nv)) != 0)
		return rv;
	cli->type = argv[0];
	if ((rv = session_connect(cli)) != CLI_OK)
		return rv;
	rv = omapi_open_object(cli->conn, argv[0], nv, (size_t)argc - 1, 0, 0,
	    &o, &err);
	return cmd_show(cli, rv, o, &err, "get %s", argv[0]);
}
