/*
 * config/config_int.h: shared by the files of the configuration stage
 * only: the YAML reader, durations, key pages and the loader's checks.
 */
#ifndef EXPORTER_CONFIG_INT_H
#define EXPORTER_CONFIG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "config.h"

/*
 * yamlread.c: reading a YAML file into a small tree and checking its
 * values, with every problem reported as "FILE:LINE:COLUMN: message".
 * Shared by the configuration (config.c) and the web config
 * (webconfig.c), so both check and report the same way.
 *
 * ytree_load() builds the tree with libyaml's event parser; aliases are
 * refused (a small file could expand into a huge tree) and nesting is
 * capped at YAML_DEPTH_MAX.  The y*() readers check one value each,
 * report what is wrong at the value's position, and go on, so that one
 * run shows every problem.  Scalars are wiped when the tree is freed:
 * they may be secrets.
 */




#define YAML_DEPTH_MAX		32	/* nesting of mappings and lists */
#define YAML_MSG_MAX		1024	/* bytes in one error message */
#define YAML_PATH_LEN_MAX	4096

enum ykind { Y_SCALAR, Y_MAP, Y_LIST };

/* One node of the parsed YAML; a mapping's kids are key, value, key, ... */
struct ynode {
	enum ykind	  kind;
	int		  line;
	int		  col;
	int		  plain;	/* an unquoted scalar */
	char		 *str;		/* scalar text, NUL-terminated */
	size_t		  len;
	struct ynode	**kids;
	size_t		  nkids;
	size_t		  cap;
};

/* State of one load; dir and mode are known when read from a file. */
struct yparse {
	const char		*file;
	char			*dir;	/* of file, for relative paths */
	const char		*data;
	size_t			 len;
	int			 mode_known;
	mode_t			 mode;	/* of the file, when mode_known */
	struct config_errors	*errs;
	size_t			 nerr;
	char			*owned;	/* data, when yparse_file read it */
};

/* ---- yamlread.c ---- */
/* Start a load of text in memory, called `name` in messages: relative
 * paths stay as written and no file mode is known. */
void	 yparse_buffer(struct yparse *, const char *name, const char *data,
	    size_t len, struct config_errors *);
/* Start a load of a file of at most max bytes: its text, mode and folder.
 * -1 when it cannot be read (reported in errs). */
int	 yparse_file(struct yparse *, const char *path, size_t max,
	    struct config_errors *);
/* End a load: wipe and free what yparse_file read. */
void	 yparse_end(struct yparse *);
void	 yerr(struct yparse *, int line, int col, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	 yerrn(struct yparse *, const struct ynode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	 ytree_load(struct yparse *, struct ynode **rootp);
void	 ynode_free(struct ynode *);
const char *ykind_a(enum ykind);
int	 yis_null(const struct ynode *);
const char *ykind_desc(const struct ynode *);
int	 ywant(struct yparse *, const struct ynode *, enum ykind,
	    const char *what);
int	 ywant_entry(struct yparse *, const struct ynode *, const char *list);
const struct ynode *ymap_get(const struct ynode *, const char *key);
int	 ylooks_secret(const char *);
int	 ycheck_keys(struct yparse *, const struct ynode *, const char *where,
	    const char *const *allowed, int hide);
int	 yget_str(struct yparse *, const struct ynode *, const char *what,
	    size_t max, const char **out);
int	 ydup_str(struct yparse *, const struct ynode *, const char *what,
	    size_t max, char **out);
int	 yget_uint(struct yparse *, const struct ynode *, const char *what,
	    uint64_t min, uint64_t max, uint64_t *out);
int	 yget_size(struct yparse *, const struct ynode *, const char *what,
	    uint64_t min, uint64_t max, uint64_t *out);
int	 yget_bool(struct yparse *, const struct ynode *, const char *what,
	    int *out);
int	 yget_duration(struct yparse *, const struct ynode *,
	    const char *what, uint64_t min, uint64_t max, uint32_t *out);
int	 yget_path(struct yparse *, const struct ynode *, const char *what,
	    char **out);

/*
 * duration.c: durations written with units (500ms, 15s, 1h30m).
 */


/* ---- duration.c ---- */
int	 duration_parse(const char *, uint64_t *ms, char *err, size_t errlen);
void	 duration_format(uint64_t ms, char *buf, size_t len);

/*
 * keypage.c: memory for the OMAPI keys the exporter keeps.
 */


struct omapi_key	*keypage_alloc(void);
void			 keypage_free(struct omapi_key *);

/*
 * config_priv.c: what the files of the configuration loader share (see
 * config.c); nothing outside them includes it.
 */


/* ---- config_parse.c ---- */
void	 config_parse_top(struct yparse *, const struct ynode *root,
	    struct config *);

/* ---- config_check.c ---- */
void	 config_check_server(struct yparse *, const struct config_server *,
	    const struct ynode *m, const struct ynode *pools,
	    const struct ynode *hosts);
void	 config_check_sweep(struct yparse *, const struct config_server *,
	    const struct ynode *m);
void	 config_check_servers(struct yparse *, const struct config *,
	    const struct ynode *list);

/* ---- config_log.c ---- */
void	 config_log_parse(struct yparse *, const struct ynode *,
	    struct config_log *);
void	 config_log_check(struct yparse *, const struct config *);
void	 config_log_free(struct config_log *);

/* ---- config_discover.c ---- */
void	 config_discover(struct yparse *, const struct ynode *m,
	    struct config_server *, const struct ynode *yaml_pools);

/* ---- config_failover.c ---- */
void	 config_failover(struct yparse *, const struct ynode *m,
	    struct config_server *);

/* ---- config_key.c ---- */
void	 config_load_keys(struct yparse *, struct config *);

/* ---- config_omapi.c ---- */
void	 config_omapi_from_conf(struct yparse *, const struct ynode *m,
	    struct config_server *);

#endif /* EXPORTER_CONFIG_INT_H */
