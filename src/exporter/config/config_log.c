/*
 * config_log.c: a server's `log:` block, dhcpd's log as a source of
 * metrics (src/dhcplog/):
 *
 *   log: { syslog: "unix:/run/dhcpd_exporter/dhcpd1.sock" }  # or udp://H:P
 *   log: { file: /var/log/dhcpd.log }
 *   log: { journal: isc-dhcp-server.service }   # or SYSLOG_IDENTIFIER=dhcpd
 *
 * with, where they apply: host (match lines by syslog host name, or by
 * UDP source address), socket_owner, socket_group, socket_mode (unix
 * sockets), allowed_sources (UDP; default the loopback addresses) and
 * journal_directory (read journal files from a folder).  Servers that
 * share a syslog listener each need a distinct host, and must agree on
 * the socket's settings.
 */
#include <arpa/inet.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

static const char *const log_keys[] = { "syslog", "file", "journal", "host",
    "socket_owner", "socket_group", "socket_mode", "allowed_sources",
    "journal_directory", NULL };

/* A user or group: a name, or a number. -1 when unknown (reported). */
static long
owner_id(struct yparse *p, const struct ynode *v, const char *what, int grp)
{
	const char *s;
	struct passwd *pw;
	struct group *gr;
	char *end;
	long id;

	if (yget_str(p, v, what, CONFIG_STR_MAX, &s) == -1)
		return -1;
	id = strtol(s, &end, 10);
	if (*s != '\0' && *end == '\0' && id >= 0 && id < 0x7fffffffL)
		return id;
	if (grp ? (gr = getgrnam(s)) != NULL : (pw = getpwnam(s)) != NULL)
		return grp ? (long)gr->gr_gid : (long)pw->pw_uid;
	yerrn(p, v, "'%s': no %s called '%s'", what, grp ? "group" : "user",
	    s);
	return -1;
}

static void
parse_mode(struct yparse *p, const struct ynode *v, struct config_log *lg)
{
	const char *s;
	char *end;
	long m;

	if (yget_str(p, v, "socket_mode", 8, &s) == -1)
		return;
	m = strtol(s, &end, 8);
	if (*s == '\0' || *end != '\0' || m < 0 || m > 0777) {
		yerrn(p, v, "'socket_mode' must be octal permissions such as "
		    "\"0660\", not '%s'", s);
		return;
	}
	if (m & 0002)
		yerrn(p, v, "'socket_mode' %s lets every user forge dhcpd's "
		    "log lines; leave out the write bit for others", s);
	lg->mode = (int)m;
}

static void
parse_allow(struct yparse *p, const struct ynode *v, struct config_log *lg)
{
	unsigned char buf[sizeof(struct in6_addr)];
	const char *s;
	size_t i;

	if (ywant(p, v, Y_LIST, "allowed_sources") == -1)
		return;
	if (v->nkids == 0 || v->nkids > CONFIG_LOG_ALLOW_MAX) {
		yerrn(p, v, "'allowed_sources' must list 1 to %d addresses",
		    CONFIG_LOG_ALLOW_MAX);
		return;
	}
	for (i = 0; i < v->nkids; i++) {
		if (yget_str(p, v->kids[i], "allowed_sources", 64, &s) == -1)
			continue;
		if (inet_pton(AF_INET, s, buf) != 1 &&
		    inet_pton(AF_INET6, s, buf) != 1) {
			yerrn(p, v->kids[i], "'allowed_sources': '%s' is not "
			    "an IP address", s);
			continue;
		}
		if ((lg->allow[lg->nallow] = strdup(s)) == NULL) {
			yerr(p, 0, 0, "out of memory");
			return;
		}
		lg->nallow++;
	}
}

/* Which source, and its target. */
static void
parse_source(struct yparse *p, const struct ynode *m, struct config_log *lg)
{
	static const char *const kinds[] = { "syslog", "file", "journal" };
	const struct ynode *v, *src = NULL;
	size_t i, n = 0;

	for (i = 0; i < 3; i++)
		if ((v = ymap_get(m, kinds[i])) != NULL) {
			n++;
			src = v;
			lg->kind = (enum config_log_kind)(CONFIG_LOG_SYSLOG + i);
		}
	if (n != 1) {
		yerrn(p, m, "'log' needs exactly one of 'syslog', 'file' or "
		    "'journal'");
		lg->kind = CONFIG_LOG_NONE;
		return;
	}
	if (lg->kind == CONFIG_LOG_FILE) {
		yget_path(p, src, "file", &lg->target);
		return;
	}
	if (ydup_str(p, src, kinds[lg->kind - CONFIG_LOG_SYSLOG],
	    CONFIG_STR_MAX, &lg->target) == -1)
		return;
	if (lg->kind == CONFIG_LOG_SYSLOG &&
	    strncmp(lg->target, "unix:/", 6) != 0 &&
	    strncmp(lg->target, "udp://", 6) != 0)
		yerrn(p, src, "'syslog' must be \"unix:/PATH\" (a datagram "
		    "socket) or \"udp://HOST:PORT\", not '%s'", lg->target);
}

void
config_log_parse(struct yparse *p, const struct ynode *m,
    struct config_log *lg)
{
	const struct ynode *v;
	int is_unix, is_udp;

	lg->owner = lg->group = -1;
	lg->mode = -1;
	lg->line = m->line;
	lg->col = m->col;
	if (ywant(p, m, Y_MAP, "log") == -1)
		return;
	ycheck_keys(p, m, "log", log_keys, 0);
	parse_source(p, m, lg);
	is_unix = lg->kind == CONFIG_LOG_SYSLOG && lg->target != NULL &&
	    strncmp(lg->target, "unix:", 5) == 0;
	is_udp = lg->kind == CONFIG_LOG_SYSLOG && !is_unix;
	if ((v = ymap_get(m, "host")) != NULL)
		ydup_str(p, v, "host", 255, &lg->host);
	if ((v = ymap_get(m, "socket_owner")) != NULL)
		lg->owner = owner_id(p, v, "socket_owner", 0);
	if ((v = ymap_get(m, "socket_group")) != NULL)
		lg->group = owner_id(p, v, "socket_group", 1);
	if ((v = ymap_get(m, "socket_mode")) != NULL)
		parse_mode(p, v, lg);
	if (!is_unix && (ymap_get(m, "socket_owner") != NULL ||
	    ymap_get(m, "socket_group") != NULL ||
	    ymap_get(m, "socket_mode") != NULL))
		yerrn(p, m, "socket_owner, socket_group and socket_mode are "
		    "for a unix socket ('syslog: \"unix:/PATH\"')");
	if ((v = ymap_get(m, "allowed_sources")) != NULL) {
		if (!is_udp)
			yerrn(p, v, "'allowed_sources' is for a UDP listener "
			    "('syslog: \"udp://HOST:PORT\"')");
		else
			parse_allow(p, v, lg);
	}
	if ((v = ymap_get(m, "journal_directory")) != NULL) {
		if (lg->kind != CONFIG_LOG_JOURNAL)
			yerrn(p, v, "'journal_directory' is for 'journal'");
		else
			yget_path(p, v, "journal_directory", &lg->journal_dir);
	}
}

static int
same_socket(const struct config_log *a, const struct config_log *b)
{
	size_t i;

	if (a->owner != b->owner || a->group != b->group ||
	    a->mode != b->mode || a->nallow != b->nallow)
		return 0;
	for (i = 0; i < a->nallow; i++)
		if (strcmp(a->allow[i], b->allow[i]) != 0)
			return 0;
	return 1;
}

/*
 * Servers that share a syslog listener: each names its host, no two the
 * same, and they agree on the socket.  A file or journal per server.
 */
void
config_log_check(struct yparse *p, const struct config *cfg)
{
	const struct config_log *a, *b;
	size_t i, j;

	for (i = 0; i < cfg->nservers; i++) {
		a = &cfg->servers[i].log;
		if (a->kind != CONFIG_LOG_SYSLOG || a->target == NULL)
			continue;
		for (j = i + 1; j < cfg->nservers; j++) {
			b = &cfg->servers[j].log;
			if (b->kind != CONFIG_LOG_SYSLOG || b->target == NULL ||
			    strcmp(a->target, b->target) != 0)
				continue;
			if (a->host == NULL || b->host == NULL)
				yerr(p, b->line, b->col, "servers '%s' and '%s' "
				    "share the syslog listener %s: each needs "
				    "'host' (the syslog host name or source "
				    "address of its lines)",
				    cfg->servers[i].name ? cfg->servers[i].name :
				    "?", cfg->servers[j].name ?
				    cfg->servers[j].name : "?", a->target);
			else if (strcmp(a->host, b->host) == 0)
				yerr(p, b->line, b->col, "servers sharing the "
				    "syslog listener %s both have host '%s'",
				    a->target, a->host);
			if (!same_socket(a, b))
				yerr(p, b->line, b->col, "servers sharing the "
				    "syslog listener %s must give it the same "
				    "socket_owner, socket_group, socket_mode "
				    "and allowed_sources", a->target);
		}
	}
}

void
config_log_free(struct config_log *lg)
{
	size_t i;

	free(lg->target);
	free(lg->host);
	free(lg->journal_dir);
	for (i = 0; i < lg->nallow; i++)
		free(lg->allow[i]);
	memset(lg, 0, sizeof(*lg));
}
