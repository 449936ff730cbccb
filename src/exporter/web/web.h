/*
 * web/web.h: the exporter's HTTP server (libmicrohttpd, its own threads).
 *
 *   /           HTML status page          /-/healthy  200 "OK"
 *   /metrics    text format 0.0.4, gzip   /-/ready    200 after the first
 *               when Accept-Encoding                  publish, else 503
 *               allows it
 * GET and HEAD only (405 with Allow otherwise), 404 for other paths.
 * Every request reads the store's current snapshot; none waits on a poll.
 * With a web config, every path needs what it asks for: a client
 * certificate (403 without) and basic-auth credentials (401 without).
 */
#ifndef EXPORTER_WEB_H
#define EXPORTER_WEB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config/config.h"
#include "metrics/metrics.h"

#define HTTP_DEFAULT_LISTEN		":9367"
#define HTTP_DEFAULT_CONN_LIMIT		128	/* connections at once */
#define HTTP_DEFAULT_PER_IP_LIMIT	64	/* from one client address */
#define HTTP_DEFAULT_TIMEOUT		10	/* s of inactivity */
#define HTTP_DEFAULT_THREADS		2	/* MHD thread pool */
#define HTTP_DEFAULT_CONN_MEMORY	(32 * 1024) /* request head cap */

/* Zero means "the default" for every number. Strings are not copied
 * except version/commit; they must outlive the server. */
struct http_opts {
	const char	*listen;	/* "host:port", ":port", "[v6]:port" */
	unsigned	 conn_limit;
	unsigned	 per_ip_limit;
	unsigned	 timeout_s;
	unsigned	 threads;
	size_t		 conn_memory;	/* per connection; caps a request */
	size_t		 max_body;	/* 0: RENDER_DEFAULT_MAX */
	const char	*version;
	const char	*commit;
	/* Run-time messages from libmicrohttpd (any thread); NULL: none. */
	void		(*log)(void *arg, const char *msg);
	void		*log_arg;
	/*
	 * --web.config.file: TLS and basic auth; NULL or empty: plain HTTP,
	 * open.  Read while starting; the PEM files are read then too
	 * (so a restart of the server picks up renewed certificates).
	 */
	const struct webconfig	*web;
	/*
	 * A server this one replaces (a reload), already http_quiesce()d:
	 * its password cache, for users whose hash is unchanged, and its
	 * per-address failure counts carry over, so a reload neither costs
	 * a bcrypt nor gives a flooding address a fresh burst.  NULL: none.
	 */
	struct http_server	*previous;
};

/* A parsed listen address; any = ":port" (all addresses). */
struct http_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			any;
	uint16_t		port;
};

struct http_server;

/* ---- http.c ---- */
struct http_server *http_start(const struct http_opts *,
	    struct snapshot_store *, char *err, size_t errlen);
void		 http_stop(struct http_server *);
/* Stop listening and answering, keeping what a server started with it
 * as opts.previous takes over; http_stop frees it after. */
void		 http_quiesce(struct http_server *);
uint16_t	 http_port(const struct http_server *);
int		 http_parse_listen(const char *, struct http_addr *,
		    char *err, size_t errlen);
int		 http_accepts_gzip(const char *);

/* ---- httptls.c ---- */
int		 http_tls_check(const struct web_tls *, char *err, size_t errlen);

#endif /* EXPORTER_WEB_H */
