/*
 * omapictl.h: the command-line OMAPI client.  One header for the
 * program; prototypes are grouped under the file that defines them.
 */
#ifndef OMAPICTL_H
#define OMAPICTL_H

#include <stdint.h>

#include "omapi.h"

#define CLI_NAME		"omapictl"
/* The Makefile's VERSION, the same for both programs. */
#define CLI_VERSION		EXPORTER_VERSION
#define CLI_DEFAULT_HOST	"127.0.0.1"
#define CLI_HOST_MAX		256

/* Exit statuses; the --help text documents them. */
enum cli_exit {
	CLI_OK = 0,		/* found or done */
	CLI_NOTFOUND = 1,	/* the server has no such object */
	CLI_USAGE = 2,		/* bad arguments or configuration */
	CLI_SERVER = 3,	/* connection, timeout, authentication,
				   protocol error */
	CLI_REFUSED = 4,	/* the server refused a change (e.g. the
				   host already exists) */
};

/* Everything the command line and the environment say. */
struct cli_opts {
	char		 host[CLI_HOST_MAX];
	uint16_t	 port;
	int		 json;
	int		 timeout_ms;	/* 0: the library's default */
	char		*key_spec;	/* -k NAME:BASE64 (in argv, wiped) */
	const char	*key_file;	/* -K FILE */
	const char	*secret_file;	/* --secret-file FILE */
	const char	*key_name;	/* --key-name NAME */
	const char	*alg;		/* -a ALG, NULL: default */
	const char	*statements;	/* host add --statements */
	const char	*group;		/* host add --group */
	int		 stop_on_error;	/* shell --stop-on-error */
	unsigned	 window;	/* lease sweep --window */
	double		 rate;		/* lease sweep --rate */
	const char	*after_dashes;	/* the word after the first "--" */
	int		 argc;		/* the command and its words */
	char		**argv;
};

/* What a command handler works with. */
struct cli {
	const struct cli_opts	*opts;
	struct omapi_key	 key;
	int			 have_key;
	struct omapi_conn	*conn;	/* opened on first use */
	const char		*type;	/* of the objects get, set and delete
					   print: failover-state prints as
					   failover NAME does */
};

/* ---- args.c: the command line into struct cli_opts ---- */
int	 args_parse(int, char **, struct cli_opts *);
int	 args_usage_error(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

/* ---- usage.c ---- */
void	 usage_print(void);
void	 usage_short(void);
void	 version_print(void);

/* ---- keys.c: the key from options, files or the environment ---- */
int	 keys_load(const struct cli_opts *, struct omapi_key *, int *);

/* ---- session.c: the connection and error reporting ---- */
int	 session_connect(struct cli *);
int	 session_fail(const struct omapi_error *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 session_exit_code(enum omapi_errcode);
int	 server_parse(const char *, char *, size_t, uint16_t *);

/* ---- output.c: text and JSON ---- */
int	 output_list(const struct cli *, const struct omapi_list *);
typedef int output_pair_fn(const struct omapi_pair *, int json, int first);
output_pair_fn	 output_pair;
int	 output_list_with(const struct cli *, const struct omapi_list *,
	    output_pair_fn *);
int	 output_pool(const struct cli *, const struct omapi_pool_counters *);
int	 output_json_string(const char *, char *, size_t);
#define OUTPUT_QUOTE_CUT	64	/* characters of a word in a message */
#define OUTPUT_QUOTE_MAX	(OUTPUT_QUOTE_CUT * 6 + 8)
const char *output_quote(const char *, char[OUTPUT_QUOTE_MAX]);

/* ---- parse.c: command words into wire values ---- */
int	 parse_ipv4_arg(const char *, uint8_t[4]);
int	 parse_mac_arg(const char *, uint8_t *, size_t, size_t *);
int	 parse_hex_arg(const char *, const char *, uint8_t *, size_t,
	    size_t *);

/* ---- cmd_object.c: ATTR=VALUE words ---- */
#define OBJECT_MAX_ATTRS	16
#define OBJECT_NAME_MAX		128
#define OBJECT_VALUE_MAX	255

/* One ATTR=VALUE, as the wire wants it. */
struct object_attr {
	char		name[OBJECT_NAME_MAX];
	uint8_t		value[OBJECT_VALUE_MAX];
	uint32_t	len;
};

int	 object_attrs_parse(int, char **, struct object_attr *,
	    struct omapi_nv *);

/* ---- command handlers, each returns an exit status ---- */
int	 cmd_lease(struct cli *, int, char **);
int	 cmd_host(struct cli *, int, char **);
int	 cmd_group(struct cli *, int, char **);
int	 cmd_pool(struct cli *, int, char **);
int	 cmd_failover(struct cli *, int, char **);
int	 cmd_class(struct cli *, int, char **);
int	 cmd_get(struct cli *, int, char **);
int	 cmd_set(struct cli *, int, char **);
int	 cmd_delete(struct cli *, int, char **);
int	 cmd_sweep(struct cli *, int, char **);

/* ---- shell_parse.c: omshell's command language, one line at a time ---- */
#define SHELL_MAX_WORDS		16
#define SHELL_LINE_MAX		16384
#define SHELL_VALUE_MAX		8192

struct shell_line {
	char		 buf[SHELL_LINE_MAX * 2];
	char		*words[SHELL_MAX_WORDS];
	size_t		 len[SHELL_MAX_WORDS];	/* quoted words may hold NULs */
	int		 quoted[SHELL_MAX_WORDS];
	size_t		 nwords;
};

enum shell_vkind {
	SHELL_V_NULL,		/* unset: sent as an empty value */
	SHELL_V_STRING,		/* "text" */
	SHELL_V_INT,		/* a decimal integer: 4 bytes on the wire */
	SHELL_V_DATA,		/* hex bytes, an address, or from the server */
};

struct shell_value {
	enum shell_vkind kind;
	uint32_t	 u32;
	uint8_t		 bytes[SHELL_VALUE_MAX];
	uint32_t	 len;
};

int	 shell_lex(const char *, struct shell_line *, const char **);
int	 shell_value_parse(const char *, size_t, int, struct shell_value *);

/* ---- shell.c, shell_cmd.c, shell_obj.c: omapictl shell [FILE] ---- */
#define SHELL_MAX_ATTRS		64
#define SHELL_NAME_MAX		128	/* an object type */

/* One attribute of the object the script is working on. */
struct shell_attr {
	char		*name;		/* any length, as omshell's */
	enum shell_vkind kind;
	uint8_t		*val;
	uint32_t	 len;
	int		 changed;	/* set or unset since the last reply */
};

struct shell {
	struct cli	*cli;
	char		 host[CLI_HOST_MAX];
	uint16_t	 port;
	char		 key_name[OMAPI_KEY_NAME_MAX + 1];
	char		 key_b64[512];	/* wiped at the end */
	char		 alg[32];
	unsigned long	 lineno;
	int		 status;	/* the first failure's exit status */
	int		 have_obj;
	char		 type[SHELL_NAME_MAX];
	uint32_t	 handle;
	struct shell_attr attrs[SHELL_MAX_ATTRS];
	size_t		 nattrs;
};

int	 cmd_shell(struct cli *, int, char **);
int	 shell_fail(struct shell *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 shell_say(const struct shell *, const char *);
void	 shell_print(const struct shell *);
void	 shell_obj_clear(struct shell *);
int	 shell_obj_set(struct shell *, const char *, enum shell_vkind,
	    const uint8_t *, uint32_t, int);
int	 shell_obj_from_reply(struct shell *, const struct omapi_object *);
int	 shell_run_command(struct shell *, struct shell_line *);

/* ---- output_failover.c: an object as its type asks ---- */
int	 output_object(const struct cli *, const struct omapi_object *);
int	 failover_print(const struct cli *, const struct omapi_object *);
int	 failover_is_pointer(const struct omapi_pair *);

/* ---- cmd_failover.c ---- */
int	 failover_state_check(const uint8_t *, uint32_t,
	    struct omapi_error *);

/* shared by the lookup commands: print the object, free it, map errors */
int	 cmd_show(struct cli *, int, struct omapi_object *,
	    const struct omapi_error *, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

#endif /* OMAPICTL_H */
