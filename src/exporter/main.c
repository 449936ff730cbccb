/*
 * main.c: dhcpd_exporter's command line, start-up, signals and reload.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "web/web.h"
#include "log.h"
#include "poll/poll.h"
#include "metrics/metrics.h"

struct args {
	const char	*config_file;
	const char	*listen;
	const char	*web_config_file;
	const char	*log_level;
	int		 once;
	int		 check_config;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: dhcpd_exporter --config.file=PATH [options]\n"
"\n"
"Polls ISC dhcpd servers over OMAPI and serves their pool use, lease states\n"
"and hosts as Prometheus metrics.\n"
"\n"
"  --config.file=PATH          YAML configuration (required)\n"
"  --web.listen-address=ADDR   where to serve /metrics (overrides `listen`;\n"
"                              default 0.0.0.0:9367); HOST:PORT, :PORT or\n"
"                              [V6]:PORT\n"
"  --web.config.file=PATH      TLS and basic auth for every page, in the\n"
"                              exporter-toolkit format (tls_server_config,\n"
"                              basic_auth_users with bcrypt hashes); read\n"
"                              again, with its files, on SIGHUP\n"
"  --once                      poll and sweep every server once, print the\n"
"                              metrics on stdout and exit: 0 when every\n"
"                              server answered, 1 otherwise\n"
"  --check-config              check the configuration (and read the keys),\n"
"                              the web config and --web.listen-address,\n"
"                              then exit: 0 when valid, 2 otherwise\n"
"  --log.level=LEVEL           error, warn, info (default) or debug\n"
"  --version                   print the version and exit\n"
"  --help                      this text\n"
"\n"
"Signals: SIGTERM and SIGINT stop; SIGHUP reloads the configuration and the\n"
"web config with its certificate files (a bad file is reported and the\n"
"running one kept).\n"
"Exit status: 0 success, 1 --once saw a server fail, 2 usage or\n"
"configuration error.\n");
}

/* "--name=value" or "--name value"; NULL when argv[*i] is not --name. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static void
args_parse(int argc, char **argv, struct args *a)
{
	const char *v;
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--config.file")) != NULL)
			a->config_file = v;
		else if ((v = opt_value(argc, argv, &i,
		    "--web.listen-address")) != NULL)
			a->listen = v;
		else if ((v = opt_value(argc, argv, &i,
		    "--web.config.file")) != NULL)
			a->web_config_file = v;
		else if ((v = opt_value(argc, argv, &i, "--log.level")) != NULL)
			a->log_level = v;
		else if (strcmp(argv[i], "--once") == 0)
			a->once = 1;
		else if (strcmp(argv[i], "--check-config") == 0)
			a->check_config = 1;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("dhcpd_exporter %s (commit %s)\n",
			    EXPORTER_VERSION, EXPORTER_COMMIT);
			exit(0);
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			exit(0);
		} else {
			fprintf(stderr, "dhcpd_exporter: unknown or incomplete "
			    "option '%s'\n", argv[i]);
			usage(stderr);
			exit(2);
		}
	}
	if (a->config_file == NULL) {
		fprintf(stderr, "dhcpd_exporter: --config.file is required\n");
		usage(stderr);
		exit(2);
	}
}

/* Log every problem a loader found, then free them. */
static void
log_errors(const char *path, struct config_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		log_error("%s", errs->msg[i]);
	if (errs->lost)
		log_error("%s: %zu more errors not shown", path, errs->lost);
}

/*
 * A server whose dhcpd.conf has no omapi-port: dhcpd serves no OMAPI, so
 * dhcpd_up stays 0 until the file gets these lines (one log line each).
 */
static void
log_no_omapi(const struct config *cfg)
{
	const struct config_server *s;
	size_t i;

	for (i = 0; i < cfg->nservers; i++) {
		s = &cfg->servers[i];
		if (s->no_omapi)
			log_warnx("server %s: %s has no omapi-port, so dhcpd "
			    "serves no OMAPI: add `omapi-port 7911;`, "
			    "`omapi-key omapi_key;` and `include "
			    "\"/etc/dhcp/omapi.key\";` (a file of mode 0600 "
			    "with `key omapi_key { algorithm hmac-sha256; "
			    "secret \"...\"; };`, see dhcpd-omapi.conf) to it "
			    "and restart dhcpd", s->name, s->dhcpd_conf);
	}
}

/*
 * Load and check the configuration into a new struct config; every problem
 * is logged, and stays in errs (zeroed by the caller, who frees it) with
 * the verdict on each dhcpd.conf.  errs->check_only (--check-config): a
 * key that only the systemd unit can read is a note, not an error.
 */
static struct config *
load_config(const char *path, struct config_errors *errs)
{
	struct config *cfg = NULL;
	size_t i;

	if (config_load(path, &cfg, errs) == 0 &&
	    render_check_size(cfg, errs) == -1) {
		config_free(cfg);
		cfg = NULL;
	}
	for (i = 0; i < errs->nnote; i++)
		log_warnx("%s (not checked)", errs->note[i]);
	log_errors(path, errs);
	if (cfg != NULL)
		log_no_omapi(cfg);
	return cfg;
}

/* Load and check the web config; 0 with *out NULL when there is none. */
static int
load_web_config(const char *path, struct webconfig **out)
{
	struct config_errors errs;
	int rv = 0;

	*out = NULL;
	if (path == NULL)
		return 0;
	memset(&errs, 0, sizeof(errs));
	if (webconfig_load(path, out, &errs) == -1)
		rv = -1;
	log_errors(path, &errs);
	config_errors_free(&errs);
	if (rv == 0 && (*out)->nusers > 0 && !(*out)->tls)
		log_warnx("%s: basic auth without tls_server_config sends "
		    "passwords in the clear", path);
	return rv;
}

/* --check-config: the TLS files must be readable, PEM, the key private. */
static int
check_web_files(const struct webconfig *web)
{
	char err[512];

	if (web == NULL || !web->tls)
		return 0;
	if (http_tls_check(&web->tls_cfg, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return -1;
	}
	return 0;
}

static void
http_log(void *arg, const char *msg)
{
	log_debug("http: %s", msg);
}

/* Print the metrics of the published snapshot on stdout. */
static int
print_metrics(struct snapshot_store *store)
{
	struct snapshot *snap = snapshot_store_acquire(store);
	struct omapi_buf b;
	int rv = -1;

	omapi_buf_init(&b, render_limit(snap, RENDER_DEFAULT_MAX));
	if (snap != NULL && render_metrics(&b, snap) == 0 &&
	    fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0)
		rv = 0;
	omapi_buf_free(&b);
	if (snap != NULL)
		snapshot_release(snap);
	return rv;
}

static int
run_once(struct config *cfg, struct snapshot_store *store)
{
	char err[256];
	struct poller *p;
	int rc;

	if ((p = poller_new(cfg, store, err, sizeof(err))) == NULL) {
		log_error("%s", err);
		return 2;
	}
	rc = poller_once(p);
	poller_free(p);
	if (print_metrics(store) == -1) {
		log_error("cannot write the metrics");
		return 1;
	}
	return rc == 0 ? 0 : 1;
}

/*
 * A reload's load runs in a thread of its own: a large dhcpd.conf takes
 * seconds to read at worst (its limits are dhcpdconf's), and meanwhile
 * the main thread still takes SIGTERM at once.  The loader says it is done
 * with SIGUSR1, which the main thread's sigwait takes like any other.
 */
struct loader {
	const char		*path;
	pthread_t		 thread;
	int			 running;
	int			 again;		/* a SIGHUP came meanwhile */
	struct config		*cfg;		/* the result; NULL: refused */
	struct config_errors	 errs;		/* and the verdict */
};

static void *
loader_main(void *arg)
{
	struct loader *l = arg;

	l->cfg = load_config(l->path, &l->errs);
	kill(getpid(), SIGUSR1);
	return NULL;
}

static void
loader_start(struct loader *l)
{
	int rc;

	log_info("reloading %s", l->path);
	memset(&l->errs, 0, sizeof(l->errs));
	l->cfg = NULL;
	if ((rc = pthread_create(&l->thread, NULL, loader_main, l)) != 0) {
		log_error("cannot reload: pthread_create: %s", strerror(rc));
		return;
	}
	l->running = 1;
}

/*
 * The loaded configuration replaces the running one only when it is
 * valid; a refused one hands its verdict on the dhcpd.conf files to the
 * running poller.  The one place that judges a reload of the whole
 * configuration (SIGHUP, or the poller's when a dhcpd.conf changed), the
 * YAML file and every dhcpd.conf it names, and publishes the verdict
 * (dhcpd_exporter_config_last_reload_successful) before anything is
 * published after it.
 */
static void
reload_apply(struct loader *l, struct config **cfg, struct poller **p,
    struct snapshot_store *store)
{
	struct config *ncfg = l->cfg;
	struct poller *np;
	char err[256];

	l->cfg = NULL;
	if (ncfg == NULL) {
		log_error("keeping the running configuration");
		snapshot_store_reloaded(store, 0);
		poller_conf_failed(*p, &l->errs);
		config_errors_free(&l->errs);
		return;
	}
	config_errors_free(&l->errs);
	if ((np = poller_new(ncfg, store, err, sizeof(err))) == NULL) {
		log_error("%s; keeping the running configuration", err);
		config_free(ncfg);
		snapshot_store_reloaded(store, 0);	/* the next poll shows it */
		return;
	}
	snapshot_store_reloaded(store, 1);
	if (strcmp(ncfg->listen, (*cfg)->listen) != 0)
		log_warnx("a new listen address takes effect at restart");
	/* Prompt whatever the servers do (poll/poll.h); then the new poller
	 * takes over every unchanged server's results, counters, schedule
	 * and sweep. */
	poller_pause(*p);
	poller_adopt(np, *p);
	poller_free(*p);
	config_free(*cfg);
	*cfg = ncfg;
	*p = np;
	if (poller_start(np, err, sizeof(err)) == -1)
		fatalx("%s", err);
	log_info("configuration reloaded");
}

/* The HTTP side: its options (listen kept as started) and web config. */
struct web_state {
	const char		*path;		/* --web.config.file, or NULL */
	struct webconfig	*cfg;
	char			*listen;
	struct http_opts	 ho;
	struct http_server	*http;
};

/*
 * SIGHUP with --web.config.file: read it and its certificate files again
 * and restart the HTTP server on them (a renewed certificate, a changed
 * password); a bad one is reported and the running server kept.  The new
 * server takes over the old one's password cache and failure counts
 * (http_opts.previous).
 */
static void
reload_web(struct web_state *ws, struct snapshot_store *store)
{
	struct webconfig *nw;
	struct http_server *old;
	char err[512];

	if (ws->path == NULL)
		return;
	log_info("reloading %s", ws->path);
	if (load_web_config(ws->path, &nw) == -1 || check_web_files(nw) == -1) {
		webconfig_free(nw);
		log_error("%s: keeping the running web config", ws->path);
		return;
	}
	old = ws->http;
	http_quiesce(old);		/* its port free, its auth state kept */
	ws->ho.web = nw;
	ws->ho.previous = old;
	if ((ws->http = http_start(&ws->ho, store, err, sizeof(err))) == NULL) {
		log_error("%s; keeping the running web config", err);
		webconfig_free(nw);
		ws->ho.web = ws->cfg;
		if ((ws->http = http_start(&ws->ho, store, err,
		    sizeof(err))) == NULL)
			fatalx("%s", err);
	} else {
		webconfig_free(ws->cfg);
		ws->cfg = nw;
		log_info("web config reloaded");
	}
	ws->ho.previous = NULL;
	http_stop(old);
}

/* Serve until SIGTERM or SIGINT; SIGHUP reloads. */
static int
serve(const char *path, struct config *cfg, struct web_state *ws,
    struct snapshot_store *store)
{
	const struct webconfig *web = ws->cfg;
	struct loader ld;
	struct poller *p;
	sigset_t set;
	char err[512];
	int sig;

	memset(&ld, 0, sizeof(ld));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);		/* a reload's load is done */
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* every thread inherits */
	signal(SIGPIPE, SIG_IGN);
	if ((p = poller_new(cfg, store, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (ws->listen == NULL && (ws->listen = strdup(cfg->listen)) == NULL)
		fatalx("out of memory");
	ws->ho.listen = ws->listen;
	ws->ho.version = EXPORTER_VERSION;
	ws->ho.commit = EXPORTER_COMMIT;
	ws->ho.log = http_log;
	ws->ho.web = web;
	if ((ws->http = http_start(&ws->ho, store, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (poller_start(p, err, sizeof(err)) == -1)
		fatalx("%s", err);
	log_info("dhcpd_exporter %s listening on %s (%s%s), %zu servers",
	    EXPORTER_VERSION, ws->listen, web && web->tls ? "https" : "http",
	    web && web->nusers ? ", basic auth" : "", cfg->nservers);
	ld.path = path;
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP && ld.running)
			ld.again = 1;	/* one more load once this one is in */
		else if (sig == SIGHUP)
			loader_start(&ld);
		else if (sig == SIGUSR1 && ld.running) {
			pthread_join(ld.thread, NULL);
			ld.running = 0;
			reload_apply(&ld, &cfg, &p, store);
			reload_web(ws, store);
			if (ld.again) {
				ld.again = 0;
				loader_start(&ld);
			}
		} else if (sig != SIGUSR1)
			break;
	}
	/* A load under way is left to the exit: nothing of it is in use. */
	log_info("stopping on signal %d%s", sig, ld.running ?
	    ", a reload under way" : "");
	poller_stop(p);
	http_stop(ws->http);
	poller_free(p);
	config_free(cfg);
	return 0;
}

int
main(int argc, char **argv)
{
	struct config_errors errs;
	struct snapshot_store store;
	struct web_state ws;
	struct webconfig *web;
	struct config *cfg;
	enum log_level level = LOG_LEVEL_INFO;
	struct args a;
	int rc;

	args_parse(argc, argv, &a);
	if (a.log_level && log_level_parse(a.log_level, &level) == -1) {
		fprintf(stderr, "dhcpd_exporter: unknown log level '%s' "
		    "(error, warn, info or debug)\n", a.log_level);
		return 2;
	}
	log_set_level(level);
	memset(&errs, 0, sizeof(errs));
	errs.check_only = a.check_config;
	cfg = load_config(a.config_file, &errs);
	config_errors_free(&errs);
	if (cfg == NULL)
		return 2;
	if (load_web_config(a.web_config_file, &web) == -1) {
		config_free(cfg);
		return 2;
	}
	if (snapshot_store_init(&store) == -1)
		fatalx("out of memory");
	snapshot_store_reloaded(&store, 1);	/* the configuration it runs */
	if (a.check_config) {
		/* The keys were read with the configuration: nothing to build. */
		char err[256];
		int bad = check_web_files(web) == -1;

		printf("%s: configuration is valid\n", a.config_file);
		if (web != NULL && !bad)
			printf("%s: web config is valid\n", a.web_config_file);
		if (a.listen != NULL && config_listen_check(a.listen, err,
		    sizeof(err)) == -1) {
			log_error("--web.listen-address %s", err);
			bad = 1;
		}
		config_free(cfg);
		webconfig_free(web);
		snapshot_store_destroy(&store);
		return bad ? 2 : 0;
	}
	if (a.once) {
		rc = run_once(cfg, &store);
		config_free(cfg);
		webconfig_free(web);
		snapshot_store_destroy(&store);
		return rc;
	}
	memset(&ws, 0, sizeof(ws));
	ws.path = a.web_config_file;
	ws.cfg = web;
	if (a.listen != NULL && (ws.listen = strdup(a.listen)) == NULL)
		fatalx("out of memory");
	rc = serve(a.config_file, cfg, &ws, &store);
	webconfig_free(ws.cfg);
	free(ws.listen);
	snapshot_store_destroy(&store);
	return rc;
}
