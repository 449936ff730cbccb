/*
 * shell_cmd.c: the commands of omapictl shell, as omshell runs them:
 * server, port, key, key-algorithm, connect, new, close, set, unset,
 * create, open, update, remove, refresh.  Each prints omshell's lines and
 * the object afterwards (shell.c), and reports a failure with shell_fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

struct shell_cmd {
	const char	*name;
	int		(*fn)(struct shell *, struct shell_line *);
};

/* A command given the wrong words: omshell's usage line, and a failure. */
static int
shell_usage(struct shell *sh, const char *usage)
{
	shell_say(sh, usage);
	shell_print(sh);
	return shell_fail(sh, CLI_USAGE, "%s", usage);
}

/* The words as C strings, or -1 when one holds a NUL. */
static int
shell_words_plain(struct shell *sh, const struct shell_line *l)
{
	size_t i;

	for (i = 0; i < l->nwords; i++)
		if (strlen(l->words[i]) != l->len[i])
			return shell_fail(sh, CLI_USAGE, "a NUL byte in a "
			    "word");
	return 0;
}

/* Why shell_obj_set failed (errno), as a failure. */
static int
shell_set_failed(struct shell *sh)
{
	if (errno == ENOSPC)
		return shell_fail(sh, CLI_USAGE, "too many attributes (at "
		    "most %d names on one object)", SHELL_MAX_ATTRS);
	return shell_fail(sh, CLI_SERVER, "out of memory");
}

/* 1 when connected (the connection may have broken since). */
static int
shell_connected(const struct shell *sh)
{
	return sh->cli->conn != NULL && !omapi_conn_is_broken(sh->cli->conn);
}

/* "not connected.": omshell prints no object after it. */
static int
shell_not_connected(struct shell *sh)
{
	shell_say(sh, "not connected.");
	return shell_fail(sh, CLI_SERVER, "not connected");
}

/*
 * How omshell words a server's refusal: the ISC result's own text, for
 * the results dhcpd gives over OMAPI; else dhcpd's message.
 */
static const char *
shell_result_text(const struct omapi_error *err)
{
	const char *text;

	if (err->code == OMAPI_ERR_NOTFOUND)
		return "not found";
	if ((text = omapi_result_text(err->result)) != NULL)
		return text;
	return err->text;
}

/*
 * A request failed: "can't VERB object: TEXT" and the object on stdout,
 * "omapictl: LINE: VERB: TEXT" on stderr.
 */
static int
shell_refused(struct shell *sh, const char *verb,
    const struct omapi_error *err)
{
	char line[OMAPI_ERRLEN + 64];
	const char *text = shell_result_text(err);

	/* omshell says "open" for create, "destroy" for remove */
	snprintf(line, sizeof(line), "can't %s object: %s",
	    strcmp(verb, "create") == 0 ? "open" :
	    strcmp(verb, "remove") == 0 ? "destroy" : verb, text);
	shell_say(sh, line);
	shell_print(sh);
	if (strcmp(text, err->text) != 0 && err->code != OMAPI_ERR_NOTFOUND)
		return shell_fail(sh, session_exit_code(err->code),
		    "%s: %s (%s)", verb, text, err->text);
	return shell_fail(sh, session_exit_code(err->code), "%s: %s", verb,
	    text);
}

static int
sh_server(struct shell *sh, struct shell_line *l)
{
	if (l->nwords != 2 || shell_words_plain(sh, l) == -1)
		return shell_usage(sh, "usage: server <server>");
	if (server_parse(l->words[1], sh->host, sizeof(sh->host),
	    &sh->port) == -1)
		return shell_usage(sh, "usage: server <server>");
	return 0;
}

static int
sh_port(struct shell *sh, struct shell_line *l)
{
	char line[80];
	char *end;
	long v;

	if (l->nwords != 2 || shell_words_plain(sh, l) == -1)
		return shell_usage(sh, "usage: port <port>");
	v = strtol(l->words[1], &end, 10);
	if (*end != '\0' || end == l->words[1] || v < 1 || v > 65535) {
		snprintf(line, sizeof(line), "unknown service name: %.40s",
		    l->words[1]);
		shell_say(sh, line);
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "bad port");
	}
	sh->port = (uint16_t)v;
	return 0;
}

/*
 * key NAME SECRET: kept until connect; the secret is never printed.  An
 * unquoted base64 secret ends in '=' words of its own (the lexer splits at
 * '='): they are put back.
 */
static int
sh_key(struct shell *sh, struct shell_line *l)
{
	size_t i, n;

	for (i = 3; i < l->nwords; i++)
		if (l->quoted[i] || strcmp(l->words[i], "=") != 0)
			break;
	if (l->nwords < 3 || i != l->nwords ||
	    shell_words_plain(sh, l) == -1 || *l->words[1] == '\0' ||
	    strlen(l->words[1]) >= sizeof(sh->key_name) ||
	    (n = strlen(l->words[2])) + l->nwords - 3 >= sizeof(sh->key_b64)) {
		shell_say(sh, "usage: key <name> <value>");
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "usage: key NAME SECRET");
	}
	snprintf(sh->key_name, sizeof(sh->key_name), "%s", l->words[1]);
	memcpy(sh->key_b64, l->words[2], n);
	for (i = 3; i < l->nwords; i++)
		sh->key_b64[n++] = '=';
	sh->key_b64[n] = '\0';
	return 0;
}

static int
sh_key_algorithm(struct shell *sh, struct shell_line *l)
{
	enum omapi_alg alg;

	if (l->nwords != 2 || shell_words_plain(sh, l) == -1)
		return shell_usage(sh, "usage: key-algorithm <algorithm>");
	if (omapi_alg_parse(l->words[1], &alg) == -1) {
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "unknown key algorithm "
		    "'%.40s'", l->words[1]);
	}
	snprintf(sh->alg, sizeof(sh->alg), "%s", l->words[1]);
	return 0;
}

/* The key to connect with: the script's, else the command line's. */
static int
shell_key(struct shell *sh, struct omapi_key *key, const struct omapi_key **kp)
{
	struct omapi_error err;

	*kp = NULL;
	if (sh->key_name[0] == '\0') {
		if (sh->cli->have_key)
			*kp = &sh->cli->key;
		return 0;
	}
	if (omapi_key_set(key, sh->key_name, sh->alg[0] ? sh->alg : NULL,
	    sh->key_b64, &err) == -1)
		return shell_fail(sh, CLI_USAGE, "key: %s", err.text);
	*kp = key;
	return 0;
}

static int
sh_connect(struct shell *sh, struct shell_line *l)
{
	struct omapi_conn_opts co;
	struct omapi_error err;
	struct omapi_key key;
	int rv = 0;

	if (l->nwords != 1)
		return shell_usage(sh, "usage: connect");
	omapi_conn_close(sh->cli->conn);
	sh->cli->conn = NULL;
	memset(&co, 0, sizeof(co));
	memset(&key, 0, sizeof(key));
	if (shell_key(sh, &key, &co.key) == -1)
		return -1;
	co.host = sh->host;
	co.port = sh->port;
	co.connect_timeout_ms = sh->cli->opts->timeout_ms;
	co.io_timeout_ms = sh->cli->opts->timeout_ms;
	if ((sh->cli->conn = omapi_conn_open(&co, &err)) == NULL)
		rv = shell_fail(sh, err.code == OMAPI_ERR_NOTFOUND ?
		    CLI_SERVER : session_exit_code(err.code), "connect: %s",
		    err.code == OMAPI_ERR_NOTFOUND ? "unknown key" : err.text);
	else
		shell_print(sh);
	omapi_key_wipe(&key);
	return rv;
}

static int
sh_new(struct shell *sh, struct shell_line *l)
{
	if (l->nwords != 2 || shell_words_plain(sh, l) == -1 ||
	    *l->words[1] == '\0' || l->len[1] >= sizeof(sh->type))
		return shell_usage(sh, "usage: new <object-type>");
	if (!shell_connected(sh))
		return shell_not_connected(sh);
	if (sh->have_obj) {
		shell_say(sh, "an object is already open.");
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "an object is already open "
		    "(close it first); the %s stays open", sh->type);
	}
	snprintf(sh->type, sizeof(sh->type), "%s", l->words[1]);
	sh->have_obj = 1;
	sh->handle = 0;
	shell_print(sh);
	return 0;
}

static int
sh_close(struct shell *sh, struct shell_line *l)
{
	if (l->nwords != 1)
		return shell_usage(sh, "usage: close");
	/* not a failure: "open, remove, close" is how scripts delete */
	if (!sh->have_obj)
		shell_say(sh, "not open.");
	shell_obj_clear(sh);
	shell_print(sh);
	return 0;
}

/* set NAME = VALUE */
static int
sh_set(struct shell *sh, struct shell_line *l)
{
	struct shell_value *v;
	int rv = 0;

	if (!sh->have_obj) {
		shell_say(sh, "no open object.");
		return shell_fail(sh, CLI_USAGE, "no open object (new TYPE "
		    "first)");
	}
	if (l->nwords == 3 && strcmp(l->words[2], "=") == 0) {
		shell_say(sh, "invalid value.");
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "no value for %.60s",
		    l->words[1]);
	}
	if (l->nwords != 4 || strcmp(l->words[2], "=") != 0 ||
	    l->quoted[1] || strlen(l->words[1]) != l->len[1])
		return shell_usage(sh, "usage: set <name> = <value>");
	if ((v = malloc(sizeof(*v))) == NULL)
		return shell_fail(sh, CLI_SERVER, "out of memory");
	/* omshell's lexer stops at such a word and prints its usage line */
	if (shell_value_parse(l->words[3], l->len[3], l->quoted[3], v) == -1) {
		shell_say(sh, "usage: set <name> = <value>");
		shell_print(sh);
		rv = shell_fail(sh, CLI_USAGE, "invalid value for %.60s: want "
		    "\"text\", a decimal number, an IPv4 address or hex bytes "
		    "(00:16:3e:...)", l->words[1]);
	} else {
		/* dhcpctl_set_string_value takes a C string: up to a NUL */
		if (v->kind == SHELL_V_STRING)
			v->len = (uint32_t)strnlen((const char *)v->bytes,
			    v->len);
		if (shell_obj_set(sh, l->words[1], v->kind, v->bytes, v->len,
		    1) == -1)
			rv = shell_set_failed(sh);
		else
			shell_print(sh);
	}
	free(v);
	return rv;
}

static int
sh_unset(struct shell *sh, struct shell_line *l)
{
	if (!sh->have_obj) {
		shell_say(sh, "no open object.");
		return shell_fail(sh, CLI_USAGE, "no open object");
	}
	if (l->nwords != 2 || shell_words_plain(sh, l) == -1)
		return shell_usage(sh, "usage: unset <name>");
	if (shell_obj_set(sh, l->words[1], SHELL_V_NULL, NULL, 0, 1) == -1)
		return shell_set_failed(sh);
	shell_print(sh);
	return 0;
}

/* The object's attributes as a request's object list (changed: only those). */
static size_t
shell_nv(const struct shell *sh, int changed, struct omapi_nv *nv)
{
	size_t i, n = 0;

	for (i = 0; i < sh->nattrs; i++) {
		if (changed && !sh->attrs[i].changed)
			continue;
		if (!changed && sh->attrs[i].kind == SHELL_V_NULL)
			continue;
		nv[n++] = (struct omapi_nv){ sh->attrs[i].name,
		    sh->attrs[i].val, sh->attrs[i].len };
	}
	return n;
}

/* Look an attribute up by name, or NULL. */
static const struct shell_attr *
shell_attr(const struct shell *sh, const char *name)
{
	size_t i;

	for (i = 0; i < sh->nattrs; i++)
		if (strcmp(sh->attrs[i].name, name) == 0)
			return &sh->attrs[i];
	return NULL;
}

/*
 * What we refuse to send although omshell sends it, because dhcpd would
 * lose or die of it: a host name it cannot keep across a restart
 * (hostname.c), and a failover local-state that is no state (dhcpd 4.4.3
 * exits: "Impossible case at failover.c:1716").  0, or -1 with err.
 */
static int
shell_guard(const struct shell *sh, int creating, struct omapi_error *err)
{
	const struct shell_attr *a;
	char name[SHELL_VALUE_MAX + 1];

	if (creating && strcmp(sh->type, "host") == 0 &&
	    (a = shell_attr(sh, "name")) != NULL && a->kind != SHELL_V_NULL &&
	    a->len <= SHELL_VALUE_MAX) {
		memcpy(name, a->val, a->len);
		name[a->len] = '\0';
		if (strlen(name) != a->len)
			return omapi_seterr(err, OMAPI_ERR_INVALID, "a NUL "
			    "byte in the host name");
		return omapi_host_name_check(name, err);
	}
	if (strcmp(sh->type, "failover-state") == 0 &&
	    (a = shell_attr(sh, "local-state")) != NULL && a->changed)
		return failover_state_check(a->val, a->len, err);
	return 0;
}

/* "you must make a new object first!" */
static int
shell_no_object(struct shell *sh)
{
	shell_say(sh, "you must make a new object first!");
	shell_print(sh);
	return shell_fail(sh, CLI_USAGE, "no object (new TYPE first)");
}

/* The request of open, create, update, refresh or remove; rc of omapi_*. */
static int
shell_send(struct shell *sh, int op, int create, struct omapi_object **o,
    struct omapi_error *err)
{
	struct omapi_nv nv[SHELL_MAX_ATTRS];
	struct omapi_conn *c = sh->cli->conn;

	switch (op) {
	case OMAPI_OP_OPEN:
		return omapi_open_object(c, sh->type, nv, shell_nv(sh, 0, nv),
		    create, create, o, err);
	case OMAPI_OP_UPDATE:
		return omapi_update_object(c, sh->handle, nv,
		    shell_nv(sh, 1, nv), o, err);
	case OMAPI_OP_REFRESH:
		return omapi_refresh_object(c, sh->handle, o, err);
	default:
		return omapi_delete_object(c, sh->handle, err);
	}
}

/*
 * open, create, update, refresh and remove.  omshell sends update,
 * refresh and remove even for an object it never opened (handle 0), and
 * prints dhcpd's "not found": so do we.
 */
static int
shell_request(struct shell *sh, struct shell_line *l, int op, int create)
{
	const char *verb = op == OMAPI_OP_OPEN ? (create ? "create" : "open") :
	    op == OMAPI_OP_UPDATE ? "update" : op == OMAPI_OP_REFRESH ?
	    "refresh" : "remove";
	struct omapi_object *o = NULL;
	struct omapi_error err;
	int rv = 0;

	if (l->nwords != 1)
		return shell_usage(sh, "usage: open | create | update | "
		    "refresh | remove");
	if (!shell_connected(sh))
		return shell_not_connected(sh);
	if (!sh->have_obj && op == OMAPI_OP_DELETE) {
		shell_say(sh, "not open.");
		shell_print(sh);
		return shell_fail(sh, CLI_USAGE, "not open");
	}
	if (!sh->have_obj)
		return shell_no_object(sh);
	if ((op == OMAPI_OP_OPEN || op == OMAPI_OP_UPDATE) &&
	    shell_guard(sh, create, &err) == -1)
		return shell_refused(sh, verb, &err);
	if (shell_send(sh, op, create, &o, &err) == -1)
		return shell_refused(sh, verb, &err);
	if (op == OMAPI_OP_DELETE)
		shell_obj_clear(sh);
	else
		rv = shell_obj_from_reply(sh, o);
	omapi_object_free(o);
	if (rv == -1)
		return shell_fail(sh, CLI_SERVER, "out of memory");
	shell_print(sh);
	return 0;
}

static int
sh_open(struct shell *sh, struct shell_line *l)
{
	return shell_request(sh, l, OMAPI_OP_OPEN, 0);
}

static int
sh_create(struct shell *sh, struct shell_line *l)
{
	return shell_request(sh, l, OMAPI_OP_OPEN, 1);
}

static int
sh_update(struct shell *sh, struct shell_line *l)
{
	return shell_request(sh, l, OMAPI_OP_UPDATE, 0);
}

static int
sh_refresh(struct shell *sh, struct shell_line *l)
{
	return shell_request(sh, l, OMAPI_OP_REFRESH, 0);
}

static int
sh_remove(struct shell *sh, struct shell_line *l)
{
	return shell_request(sh, l, OMAPI_OP_DELETE, 0);
}

static const struct shell_cmd shell_cmds[] = {
	{ "server", sh_server },
	{ "port", sh_port },
	{ "key", sh_key },
	{ "key-algorithm", sh_key_algorithm },
	{ "connect", sh_connect },
	{ "new", sh_new },
	{ "close", sh_close },
	{ "set", sh_set },
	{ "unset", sh_unset },
	{ "create", sh_create },
	{ "open", sh_open },
	{ "update", sh_update },
	{ "refresh", sh_refresh },
	{ "remove", sh_remove },
};

/* Run one line's command; 0, or -1 when it failed (already reported). */
int
shell_run_command(struct shell *sh, struct shell_line *l)
{
	char q[OUTPUT_QUOTE_MAX];
	size_t i;

	if (!l->quoted[0])
		for (i = 0; i < sizeof(shell_cmds) / sizeof(shell_cmds[0]);
		    i++)
			if (strcmp(l->words[0], shell_cmds[i].name) == 0)
				return shell_cmds[i].fn(sh, l);
	return shell_fail(sh, CLI_USAGE, "unknown command %s",
	    output_quote(l->words[0], q));
}
