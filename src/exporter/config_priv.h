/*
 * config_priv.h: what the files of the configuration loader share (see
 * config.c); nothing outside them includes it.
 */
#ifndef CONFIG_PRIV_H
#define CONFIG_PRIV_H

#include "config.h"
#include "yamlread.h"

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
void	 config_check_body(struct yparse *, const struct config *);

/* ---- config_discover.c ---- */
void	 config_discover(struct yparse *, const struct ynode *m,
	    struct config_server *, const struct ynode *yaml_pools);

/* ---- config_failover.c ---- */
void	 config_failover(struct yparse *, const struct ynode *m,
	    struct config_server *);

/* ---- config_key.c ---- */
void	 config_load_keys(struct yparse *, struct config *);

#endif /* CONFIG_PRIV_H */
