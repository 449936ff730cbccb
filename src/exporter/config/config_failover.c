/*
 * config_failover.c: the failover peers and the classes a server is
 * watched for, one list of each, from every source there is: the YAML's
 * `failover_peers:` and `classes:`, the peers dhcpd.conf declares
 * (`failover peer "NAME" { ... }`) and its classes with a `lease limit`
 * (the only classes with something to export), and the peers the pools
 * are served under.  Each name is in its list once, in that order.
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "dhcpdconf.h"

/* The list being built, and its cap. */
struct namelist {
	char		***names;
	size_t		  *n;
	size_t		   max;
	const char	  *what;	/* "failover peers", "classes" */
	const char	  *one;		/* "failover peer", "class" */
};

static int
namelist_has(const struct namelist *l, const char *name)
{
	size_t i;

	for (i = 0; i < *l->n; i++)
		if (strcmp((*l->names)[i], name) == 0)
			return 1;
	return 0;
}

/*
 * Add name unless the list has it; at the cap, report it at n (the YAML
 * node that brought it, or the server's mapping).  -1 on an error.
 */
static int
namelist_add(struct yparse *p, struct namelist *l, const char *name,
    const struct ynode *n)
{
	char **a, *dup;

	if (namelist_has(l, name))
		return 0;
	/* YAML is UTF-8 already; dhcpd.conf's strings may be any bytes. */
	if (strlen(name) > CONFIG_STR_MAX ||
	    !label_utf8_valid((const unsigned char *)name)) {
		yerrn(p, n, "%s names must be UTF-8 text of at most %d bytes; "
		    "one from %s is not", l->one, CONFIG_STR_MAX,
		    n->kind == Y_MAP ? "dhcpd.conf" : "here");
		return -1;
	}
	if (*l->n >= l->max) {
		yerrn(p, n, "at most %zu %s per server", l->max, l->what);
		return -1;
	}
	if ((dup = strdup(name)) == NULL ||
	    (a = reallocarray(*l->names, *l->n + 1, sizeof(*a))) == NULL) {
		free(dup);
		yerr(p, 0, 0, "out of memory");
		return -1;
	}
	a[(*l->n)++] = dup;
	*l->names = a;
	return 0;
}

/*
 * A YAML list of names (key in the server's mapping m): each a string
 * (yget_str refuses an empty one), none twice in the list.
 */
static void
yaml_names(struct yparse *p, const struct ynode *m, const char *key,
    struct namelist *l)
{
	const struct ynode *v = ymap_get(m, key), *k;
	const char *s;
	size_t i, j;

	if (v == NULL || ywant(p, v, Y_LIST, key) == -1)
		return;
	for (i = 0; i < v->nkids; i++) {
		k = v->kids[i];
		if (yget_str(p, k, key, CONFIG_STR_MAX, &s) == -1)
			continue;
		for (j = 0; j < i; j++)
			if (v->kids[j]->kind == Y_SCALAR &&
			    strcmp(v->kids[j]->str, s) == 0)
				break;
		if (j < i) {
			yerrn(p, k, "duplicate entry '%s' in '%s' (first at "
			    "line %d, column %d)", s, key, v->kids[j]->line,
			    v->kids[j]->col);
			continue;
		}
		if (namelist_add(p, l, s, k) == -1)
			return;
	}
}

/* Build srv's peer and class lists once its pools are known. */
void
config_failover(struct yparse *p, const struct ynode *m,
    struct config_server *srv)
{
	struct namelist peers = { &srv->peers, &srv->npeers,
	    CONFIG_PEERS_MAX, "failover peers", "failover peer" };
	struct namelist classes = { &srv->classes, &srv->nclasses,
	    CONFIG_CLASSES_MAX, "classes", "class" };
	const struct dhcpdconf *dc = srv->dconf;
	size_t i;

	yaml_names(p, m, "failover_peers", &peers);
	yaml_names(p, m, "classes", &classes);
	for (i = 0; dc != NULL && i < dc->npeers; i++)
		if (namelist_add(p, &peers, dc->peers[i].name, m) == -1)
			break;
	for (i = 0; dc != NULL && i < dc->nclasses; i++)
		if (dc->classes[i].lease_limit >= 0 &&
		    namelist_add(p, &classes, dc->classes[i].name, m) == -1)
			break;
	for (i = 0; i < srv->npools; i++)
		if (srv->pools[i].failover_peer != NULL &&
		    namelist_add(p, &peers, srv->pools[i].failover_peer,
		    m) == -1)
			break;
}
