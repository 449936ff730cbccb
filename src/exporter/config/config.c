/*
 * config.c: the configuration's lifecycle: load (the YAML tree, the
 * schema in config_parse.c, the checks across entries in config_check.c,
 * then the keys in config_key.c) and free.  A configuration that loads
 * is complete: its keys are read, and every server, pool, label and host
 * in it can be published once metrics/render_size.c agrees it fits
 * on /metrics (render_check_size: the daemon calls it after loading).
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "dhcpdconf.h"

/* Parse data as the file `name` into a new config; keys: read them. */
static int
load(struct yparse *p, int keys, struct config **out)
{
	struct config *cfg;
	struct ynode *root = NULL;

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->file = strdup(p->file)) == NULL) {
		free(cfg);
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	cfg->poll_interval_ms = CONFIG_DEFAULT_POLL_MS;
	if (ytree_load(p, &root) == 0)
		config_parse_top(p, root, cfg);
	if (p->nerr == 0 && keys)
		config_load_keys(p, cfg);
	if (p->nerr == 0 && cfg->listen == NULL &&
	    (cfg->listen = strdup(CONFIG_DEFAULT_LISTEN)) == NULL)
		yerr(p, 0, 0, "out of memory");
	ynode_free(root);
	if (p->nerr != 0) {
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

/*
 * Parse a configuration held in memory; name is what messages call it.
 * Relative paths are kept as written (key files are read from there) and
 * no file mode is checked.
 */
int
config_load_buffer(const char *name, const char *data, size_t len,
    struct config **out, struct config_errors *errs)
{
	struct yparse p;

	yparse_buffer(&p, name, data, len, errs);
	return load(&p, 1, out);
}

/*
 * Load the configuration file at path, and the keys it names.  A file
 * holding an inline secret must follow the rule for secrets
 * (omapi_secret_mode_ok).  Relative secret_file and key_file paths are
 * taken from the file's folder.
 */
int
config_load(const char *path, struct config **out,
    struct config_errors *errs)
{
	struct yparse p;
	int rv;

	*out = NULL;
	if (yparse_file(&p, path, CONFIG_FILE_MAX, errs) == -1)
		return -1;
	rv = load(&p, 1, out);
	yparse_end(&p);
	return rv;
}

/*
 * Everything config_load() (data NULL) or config_load_buffer() (data of
 * len bytes, called path) checks, except that no key is read: key.loaded
 * stays NULL.  For tests of a configuration's shape whose key files are
 * not there (the shipped example); the daemon never uses it.
 */
int
config_load_unkeyed(const char *path, const char *data, size_t len,
    struct config **out, struct config_errors *errs)
{
	struct yparse p;
	int rv;

	*out = NULL;
	if (data != NULL)
		yparse_buffer(&p, path, data, len, errs);
	else if (yparse_file(&p, path, CONFIG_FILE_MAX, errs) == -1)
		return -1;
	rv = load(&p, 0, out);
	yparse_end(&p);
	return rv;
}

/* Free a configuration; wipe its inline secrets and its keys. */
void
config_free(struct config *cfg)
{
	struct config_server *s;
	struct config_pool *pl;
	size_t i, j, k;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nservers; i++) {
		s = &cfg->servers[i];
		for (j = 0; j < s->npools; j++) {
			pl = &s->pools[j];
			for (k = 0; k < pl->nlabels; k++) {
				free(pl->labels[k].name);
				free(pl->labels[k].value);
			}
			free(pl->labels);
			free(pl->ranges);
			free(pl->name);
			free(pl->shared_network);
			free(pl->failover_peer);
		}
		dhcpdconf_free(s->dconf);
		free(s->dhcpd_conf);
		free(s->leases_file);
		free(s->pools);
		for (j = 0; j < s->nhosts; j++) {
			free(s->hosts[j].label);
			free(s->hosts[j].name);
		}
		free(s->hosts);
		for (j = 0; j < s->npeers; j++)
			free(s->peers[j]);
		free(s->peers);
		for (j = 0; j < s->nclasses; j++)
			free(s->classes[j]);
		free(s->classes);
		config_log_free(&s->log);
		keypage_free(s->key.loaded);
		if (s->key.secret != NULL) {
			explicit_bzero(s->key.secret, strlen(s->key.secret));
			free(s->key.secret);
		}
		free(s->key.path);
		free(s->key.name);
		free(s->address);
		free(s->name);
	}
	free(cfg->servers);
	free(cfg->listen);
	free(cfg->file);
	free(cfg);
}
