/*
 * http.c: the HTTP server on libmicrohttpd, run in MHD's own thread pool.
 *
 * /metrics sends the snapshot's cached body (bodycache.c), holding a
 * snapshot reference until MHD has sent it.  MHD's threads never run a
 * bcrypt: a password that is not cached suspends its request until the
 * checker's thread has a verdict (webauth.c), and failed logins are
 * limited per client address (authlimit.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdatomic.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "web_int.h"

#define HTTP_PAGE_TYPE	"text/html; charset=utf-8"
#define HTTP_TEXT_TYPE	"text/plain; charset=utf-8"
#define HTTP_PAGE_CSP	"default-src 'none'; style-src 'unsafe-inline'"
#define HTTP_AUTH_CHALLENGE "Basic realm=\"dhcpd_exporter\", charset=\"UTF-8\""
#define HTTP_STR(x)	#x
#define HTTP_XSTR(x)	HTTP_STR(x)
#define HTTP_RETRY_AFTER HTTP_XSTR(AUTHLIMIT_EVERY_S)

enum http_canned {
	C_NOTFOUND, C_METHOD, C_HEALTHY, C_READY, C_NOTREADY, C_TOOBIG,
	C_UNAUTHORIZED, C_FORBIDDEN, C_TOOMANY, C_RATELIMITED, C_NCANNED
};

static const struct {
	unsigned	 status;
	const char	*body;
} http_canned_bodies[C_NCANNED] = {
	[C_NOTFOUND] = { MHD_HTTP_NOT_FOUND, "Not found.\n" },
	[C_METHOD] = { MHD_HTTP_METHOD_NOT_ALLOWED, "Only GET and HEAD.\n" },
	[C_HEALTHY] = { MHD_HTTP_OK, "OK\n" },
	[C_READY] = { MHD_HTTP_OK, "Ready.\n" },
	[C_NOTREADY] = { MHD_HTTP_SERVICE_UNAVAILABLE,
	    "Not ready: the first poll has not finished.\n" },
	[C_TOOBIG] = { MHD_HTTP_INTERNAL_SERVER_ERROR,
	    "The metrics exceed the configured size limit.\n" },
	[C_UNAUTHORIZED] = { MHD_HTTP_UNAUTHORIZED,
	    "Unauthorized: this exporter needs a user name and password.\n" },
	[C_FORBIDDEN] = { MHD_HTTP_FORBIDDEN,
	    "Forbidden: this exporter needs a valid client certificate.\n" },
	[C_TOOMANY] = { MHD_HTTP_TOO_MANY_REQUESTS,
	    "Too many failed logins from this address: retry later.\n" },
	[C_RATELIMITED] = { MHD_HTTP_TOO_MANY_REQUESTS,
	    "Too many requests (the web config's rate_limit): retry later.\n" },
};

/* The web config's rate_limit: one bucket for every request. */
struct http_rate {
	pthread_mutex_t	 mu;
	double		 every;		/* s per token; 0: no limit */
	double		 burst;
	double		 tokens;	/* as of at */
	double		 at;
};

/* What a request's decoded path names; anything else is a 404. */
enum http_route { R_NONE, R_PAGE, R_METRICS, R_HEALTHY, R_READY };

static const struct {
	const char	*path;
	enum http_route	 route;
} http_routes[] = {
	{ "/", R_PAGE }, { "/metrics", R_METRICS },
	{ "/-/healthy", R_HEALTHY }, { "/-/ready", R_READY },
};
#define HTTP_PATH_MAX	16	/* longer than every route */

/* Where a request stands with basic auth. */
enum http_auth {
	A_UNKNOWN,	/* the first call has not looked yet */
	A_OK,		/* may go on: no auth, or a cached password */
	A_VERIFY,	/* its password needs a bcrypt */
	A_WAITING,	/* suspended until the checker's verdict */
	A_DENIED
};

/*
 * One request, from its request line (http_uri) to its completion
 * (http_completed).  verdict is written by the checker's thread before
 * it resumes the connection, and read by MHD's after.
 */
struct http_req {
	struct MHD_Connection	*c;
	enum http_route		 route;
	enum http_auth		 auth;
	atomic_int		 verdict;	/* 1 right, 0 wrong, -1 unchecked */
	unsigned char		 addr[AUTHLIMIT_KEY];
};

struct http_server {
	struct MHD_Daemon	*mhd;
	struct snapshot_store	*store;
	struct snapshot		*empty;		/* served before the first poll */
	size_t			 max_body;
	struct MHD_Response	*canned[C_NCANNED];
	void			(*log)(void *, const char *);
	void			*log_arg;
	char			*starterr;	/* MHD's words while starting */
	size_t			 starterrlen;
	int			 use_tls;
	struct http_tls		 tls;		/* when use_tls */
	struct webauth		*auth;		/* NULL: no basic auth */
	struct authlimit	*limit;		/* with auth */
	struct http_rate	 rate;
	struct http_guard	*guard;		/* request deadlines */
};

/* Drop the const of a static body; MHD only reads persistent buffers. */
static void *
http_unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

/* MHD's messages: kept as the start error, later passed to opts->log. */
static void __attribute__((format(printf, 2, 0)))
http_mhd_log(void *arg, const char *fmt, va_list ap)
{
	struct http_server *h = arg;
	char msg[256];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (h->starterr != NULL)
		snprintf(h->starterr, h->starterrlen, "%s", msg);
	else if (h->log != NULL)
		h->log(h->log_arg, msg);
}

/* Resolve a host (numeric or name) to its first address for listening. */
static int
http_resolve(const char *host, uint16_t port, int v6only,
    struct http_addr *a, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = v6only ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | (v6only ? AI_NUMERICHOST : 0);
	if ((rc = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "listen address \"%s\": %s", host,
		    gai_strerror(rc));
		return -1;
	}
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	freeaddrinfo(res);
	if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	return 0;
}

/*
 * Parse "host:port", ":port" (every address) or "[v6addr]:port" by the
 * one HOST:PORT rule (omapi_parse_hostport: port 1..65535).  The host may
 * be a name; it is resolved once, here.
 */
int
http_parse_listen(const char *spec, struct http_addr *a, char *err,
    size_t errlen)
{
	char host[OMAPI_HOST_MAX + 1];
	struct omapi_error oe;

	memset(a, 0, sizeof(*a));
	if (omapi_parse_hostport(spec, OMAPI_HOSTPORT_HOST_OPTIONAL, host,
	    sizeof(host), &a->port, &oe) == -1) {
		snprintf(err, errlen, "listen address: %s (want host:port, "
		    ":port or [ipv6]:port)", oe.text);
		return -1;
	}
	if (host[0] == '\0') {
		a->any = 1;
		return 0;
	}
	return http_resolve(host, a->port, spec[0] == '[', a, err, errlen);
}

/* Whether the q parameter in a coding's parameters is zero. */
static int
http_q_zero(const char *p, const char *end)
{
	char q[16];
	size_t n;

	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			n = 0;
			while (p + n < end && p[n] != ';' && p[n] != ' ' &&
			    n < sizeof(q) - 1)
				n++;
			memcpy(q, p, n);
			q[n] = '\0';
			return strtod(q, NULL) <= 0;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 0;
}

/*
 * Whether an Accept-Encoding value allows gzip: "gzip" or "x-gzip" with
 * q > 0, or "*" with q > 0 when gzip is not named at all.
 */
int
http_accepts_gzip(const char *v)
{
	const char *tok, *end, *name_end;
	int star = 0, named = -1;
	size_t n;

	if (v == NULL)
		return 0;
	for (tok = v; *tok; tok = *end ? end + 1 : end) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		if ((end = strchr(tok, ',')) == NULL)
			end = tok + strlen(tok);
		for (name_end = tok; name_end < end && *name_end != ';' &&
		    *name_end != ' ' && *name_end != '\t'; name_end++)
			;
		n = (size_t)(name_end - tok);
		if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			named = !http_q_zero(name_end, end);
		else if (n == 1 && *tok == '*')
			star = !http_q_zero(name_end, end);
	}
	return named == -1 ? star : named;
}

/* Release the snapshot a /metrics response was holding. */
static void
http_release_cb(void *arg)
{
	snapshot_release(arg);
}

/* The current snapshot, or the empty one before the first poll. */
static struct snapshot *
http_snapshot(struct http_server *h, int *ready)
{
	struct snapshot *s;

	if ((s = snapshot_store_acquire(h->store)) != NULL) {
		*ready = 1;
		return s;
	}
	*ready = 0;
	return snapshot_ref(h->empty);
}

/* Queue a response and drop our reference to it. */
static enum MHD_Result
http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
http_canned(struct http_server *h, struct MHD_Connection *c,
    enum http_canned which)
{
	return MHD_queue_response(c, http_canned_bodies[which].status,
	    h->canned[which]);
}

/* GET /metrics, or HEAD: the same headers, gzip only if a GET made it. */
static enum MHD_Result
http_metrics(struct http_server *h, struct MHD_Connection *c, int head)
{
	struct MHD_Response *r;
	struct snapshot *s;
	const uint8_t *data;
	size_t len;
	int ready, gz;

	gz = http_accepts_gzip(MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	if (gz)
		gz = head ? BODYCACHE_GZIP_MADE : BODYCACHE_GZIP;
	s = http_snapshot(h, &ready);
	/* The configuration's worst case, when it passes the default. */
	if (bodycache_get(s, render_limit(s, h->max_body), &gz, &data,
	    &len) == -1) {
		snapshot_release(s);
		return http_canned(h, c, C_TOOBIG);
	}
	r = MHD_create_response_from_buffer_with_free_callback_cls(len,
	    http_unconst(data), http_release_cb, s);
	if (r == NULL) {
		snapshot_release(s);
		return MHD_NO;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    RENDER_CONTENT_TYPE) == MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING) == MHD_NO ||
	    (gz && MHD_add_response_header(r,
	    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip") == MHD_NO)) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	return http_queue(c, MHD_HTTP_OK, r);
}

/* GET / : the status page, rendered per request (ages change). */
static enum MHD_Result
http_page(struct http_server *h, struct MHD_Connection *c)
{
	struct MHD_Response *r;
	struct omapi_buf b;
	struct snapshot *s;
	int ready, rc;

	s = http_snapshot(h, &ready);
	omapi_buf_init(&b, h->max_body);
	rc = page_render(&b, s, ready, snapshot_now());
	snapshot_release(s);
	if (rc == -1) {
		omapi_buf_free(&b);
		return http_canned(h, c, C_TOOBIG);
	}
	r = MHD_create_response_from_buffer(b.len, b.data,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		omapi_buf_free(&b);
		return MHD_NO;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    HTTP_PAGE_TYPE) == MHD_NO ||
	    MHD_add_response_header(r, "Content-Security-Policy",
	    HTTP_PAGE_CSP) == MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store") == MHD_NO) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	return http_queue(c, MHD_HTTP_OK, r);
}

static double
http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The basic-auth part of http_access, on MHD's thread, so without a
 * bcrypt: a cached password goes on, unless its address is out of
 * failures and has not used it with success before (web/web_int.h); an
 * address out of failures gets 429; any other password spends one of its
 * address's failures and is checked later (http_verify).
 */
static enum http_canned
http_authorized(struct http_server *h, struct MHD_Connection *c,
    struct http_req *r)
{
	unsigned char d[WEBAUTH_DIGEST];
	char *user, *pass = NULL;
	enum http_canned ret = C_NCANNED;
	double now = http_now();
	int allowed, hit;

	if ((user = MHD_basic_auth_get_username_password(c, &pass)) == NULL)
		return C_UNAUTHORIZED;
	allowed = authlimit_allowed(h->limit, r->addr, now);
	hit = pass != NULL && webauth_cached(h->auth, user, pass, d);
	if (hit && (allowed || authlimit_proven(h->limit, r->addr, d))) {
		if (allowed)
			authlimit_prove(h->limit, r->addr, d, now);
		r->auth = A_OK;
	} else if (!allowed)
		ret = C_TOOMANY;
	else if (pass == NULL)
		ret = C_UNAUTHORIZED;
	else if (authlimit_spend(h->limit, r->addr, now) == -1)
		ret = C_TOOMANY;
	else
		r->auth = A_VERIFY;
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	explicit_bzero(d, sizeof(d));
	return ret;
}

/* Whether the rate limit lets one more request in (and count it). */
static int
http_rate_take(struct http_rate *rl)
{
	double now = http_now(), t;
	int ok;

	if (rl->every == 0)
		return 1;
	pthread_mutex_lock(&rl->mu);
	t = rl->tokens + (now - rl->at) / rl->every;
	if (t > rl->burst)
		t = rl->burst;
	if ((ok = t >= 1))
		t -= 1;
	rl->tokens = t;
	rl->at = now;
	pthread_mutex_unlock(&rl->mu);
	return ok;
}

/*
 * What the web config asks of every request, before anything else:
 * C_NCANNED when it may go on (r->auth says whether a bcrypt must pass
 * first), else the answer it gets.  rate_limit comes first, as in
 * exporter-toolkit.
 */
static enum http_canned
http_access(struct http_server *h, struct MHD_Connection *c,
    struct http_req *r)
{
	if (!http_rate_take(&h->rate))
		return C_RATELIMITED;
	if (h->use_tls && !http_tls_client_ok(&h->tls, c))
		return C_FORBIDDEN;
	if (h->auth == NULL) {
		r->auth = A_OK;
		return C_NCANNED;
	}
	return http_authorized(h, c, r);
}

/* The checker's verdict on a suspended request (its thread). */
static void
http_verified(void *arg, int ok)
{
	struct http_req *r = arg;

	atomic_store(&r->verdict, ok);
	MHD_resume_connection(r->c);
}

/* A request's password passed its bcrypt: its address has proven it. */
static void
http_prove(struct http_server *h, struct MHD_Connection *c,
    struct http_req *r)
{
	unsigned char d[WEBAUTH_DIGEST];
	char *user, *pass = NULL;

	if ((user = MHD_basic_auth_get_username_password(c, &pass)) == NULL)
		return;
	if (pass != NULL && webauth_cached(h->auth, user, pass, d))
		authlimit_prove(h->limit, r->addr, d, http_now());
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	explicit_bzero(d, sizeof(d));
}

/*
 * The bcrypt a request needs, on the checker's thread: the connection is
 * suspended meanwhile (MHD's thread serves others) and this is called
 * again once it is resumed.  1: go on; 0: answer *answer; -1: suspended.
 * A right password, or one that could not be checked (the queue was
 * full), gives its address's failure back.
 */
static int
http_verify(struct http_server *h, struct MHD_Connection *c,
    struct http_req *r, enum http_canned *answer)
{
	char *user, *pass = NULL;
	int v, rc = -1;

	if (r->auth == A_WAITING) {
		v = atomic_load(&r->verdict);
		authlimit_settle(h->limit, r->addr, http_now(), v != 0);
		if (v == 1)
			http_prove(h, c, r);
		r->auth = v == 1 ? A_OK : A_DENIED;
		*answer = v == 0 ? C_UNAUTHORIZED : C_TOOMANY;
		return v == 1;
	}
	r->auth = A_WAITING;
	r->c = c;
	/* Suspended first: the checker may resume it before submit returns. */
	MHD_suspend_connection(c);
	if ((user = MHD_basic_auth_get_username_password(c, &pass)) != NULL &&
	    pass != NULL)
		rc = webauth_submit(h->auth, user, pass, http_verified, r);
	if (pass != NULL) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	if (rc == -1)
		http_verified(r, -1);
	return -1;
}

/* The answer to a complete GET or HEAD that may be served. */
static enum MHD_Result
http_serve(struct http_server *h, struct MHD_Connection *c,
    enum http_route route, int head)
{
	switch (route) {
	case R_METRICS:
		return http_metrics(h, c, head);
	case R_PAGE:
		return http_page(h, c);
	case R_HEALTHY:
		return http_canned(h, c, C_HEALTHY);
	case R_READY:
		return http_canned(h, c, snapshot_store_ready(h->store) ?
		    C_READY : C_NOTREADY);
	default:
		return http_canned(h, c, C_NOTFOUND);
	}
}

/*
 * MHD's request callback.  GET and HEAD are answered on the second call,
 * once the request is complete, so the connection can be kept alive; any
 * body they carry is read and dropped.  Other methods are answered at
 * once (and MHD then closes the connection); with a password that is not
 * cached they get 401, as no bcrypt is spent on a request that would be
 * refused anyway.
 */
static enum MHD_Result
http_handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http_server *h = cls;
	struct http_req *r = *con_cls;
	enum http_canned answer;
	int get;

	if (r == NULL)
		return MHD_NO;		/* http_uri ran out of memory */
	get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
	    strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	if (r->auth == A_UNKNOWN) {
		if ((answer = http_access(h, c, r)) != C_NCANNED)
			return http_canned(h, c, answer);
		if (!get)
			return http_canned(h, c, r->auth == A_VERIFY ?
			    C_UNAUTHORIZED : r->route != R_NONE ? C_METHOD :
			    C_NOTFOUND);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	http_guard_arm(h->guard, c, 0);		/* the request is in */
	if (r->auth != A_OK) {
		switch (http_verify(h, c, r, &answer)) {
		case -1:
			return MHD_YES;
		case 0:
			return http_canned(h, c, answer);
		}
	}
	return http_serve(h, c, r->route,
	    strcmp(method, MHD_HTTP_METHOD_HEAD) == 0);
}

/* A hex digit's value, or -1. */
static int
http_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The route a raw request target names.  Its path (up to any '?') is
 * %-decoded as MHD decodes it, and compared whole, length and all: MHD
 * hands the callback a decoded C string, in which "/metrics%00x" reads
 * as "/metrics".
 */
static enum http_route
http_route(const char *uri)
{
	char path[HTTP_PATH_MAX];
	size_t n = 0, i;
	int hi, lo;

	for (; *uri != '\0' && *uri != '?'; uri++) {
		if (n == sizeof(path))
			return R_NONE;
		if (uri[0] == '%' && (hi = http_hex(uri[1])) >= 0 &&
		    (lo = http_hex(uri[2])) >= 0) {
			path[n++] = (char)(hi << 4 | lo);
			uri += 2;
		} else
			path[n++] = *uri;
	}
	for (i = 0; i < sizeof(http_routes) / sizeof(http_routes[0]); i++)
		if (strlen(http_routes[i].path) == n &&
		    memcmp(http_routes[i].path, path, n) == 0)
			return http_routes[i].route;
	return R_NONE;
}

/* MHD's URI log callback: a request line arrived; its state starts. */
static void *
http_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	struct http_req *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->route = http_route(uri);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	(void)authlimit_key(ci != NULL ? ci->client_addr : NULL, r->addr);
	atomic_init(&r->verdict, 0);
	return r;
}

/* Build the fixed responses once; MHD lets them be queued many times. */
static int
http_make_canned(struct http_server *h)
{
	const char *body;
	int i;

	for (i = 0; i < C_NCANNED; i++) {
		body = http_canned_bodies[i].body;
		h->canned[i] = MHD_create_response_from_buffer(strlen(body),
		    http_unconst(body), MHD_RESPMEM_PERSISTENT);
		if (h->canned[i] == NULL ||
		    MHD_add_response_header(h->canned[i],
		    MHD_HTTP_HEADER_CONTENT_TYPE, HTTP_TEXT_TYPE) == MHD_NO)
			return -1;
	}
	if (MHD_add_response_header(h->canned[C_METHOD],
	    MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_NO ||
	    MHD_add_response_header(h->canned[C_NOTREADY],
	    MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_NO ||
	    MHD_add_response_header(h->canned[C_READY],
	    MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_NO ||
	    MHD_add_response_header(h->canned[C_UNAUTHORIZED],
	    MHD_HTTP_HEADER_WWW_AUTHENTICATE, HTTP_AUTH_CHALLENGE) == MHD_NO ||
	    MHD_add_response_header(h->canned[C_TOOMANY],
	    MHD_HTTP_HEADER_RETRY_AFTER, HTTP_RETRY_AFTER) == MHD_NO)
		return -1;
	return 0;
}

#define HTTP_OPTIONS_MAX	24

/* Append one MHD option (value and/or pointer) to an option array. */
static void
http_opt(struct MHD_OptionItem *items, size_t *n, enum MHD_OPTION opt,
    intptr_t value, const void *ptr)
{
	items[*n].option = opt;
	items[*n].value = value;
	items[*n].ptr_value = http_unconst(ptr);
	(*n)++;
}

/* A connection opens or closes: its deadline, and its TLS policy. */
static void
http_notify(void *cls, struct MHD_Connection *c, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *h = cls;

	if (h->use_tls)
		http_tls_notify(&h->tls, c, socket_ctx, code);
	http_guard_notify(h->guard, c, socket_ctx, code);
}

/* A request is over (MHD calls this for every one http_uri began): a
 * kept-alive connection's next one starts. */
static void
http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *h = cls;
	struct http_req *r = *con_cls;

	/* A check spent but never made (refused method, request cut off). */
	if (r != NULL && r->auth == A_VERIFY)
		authlimit_settle(h->limit, r->addr, http_now(), 1);
	free(r);
	*con_cls = NULL;
	http_guard_arm(h->guard, c, 1);
}

/* The TLS options: key, certificate, client CA, versions, the policy. */
static void
http_tls_opts(struct http_server *h, struct MHD_OptionItem *items,
    size_t *n)
{
	http_opt(items, n, MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls.key);
	http_opt(items, n, MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls.cert);
	http_opt(items, n, MHD_OPTION_HTTPS_PRIORITIES, 0, h->tls.priorities);
	if (h->tls.ca != NULL)
		http_opt(items, n, MHD_OPTION_HTTPS_MEM_TRUST, 0, h->tls.ca);
}

/* Start MHD on one address with the options; NULL on failure. */
static struct MHD_Daemon *
http_daemon(struct http_server *h, const struct http_opts *o,
    const struct sockaddr *sa, unsigned flags, uint16_t port)
{
	struct MHD_OptionItem items[HTTP_OPTIONS_MAX];
	size_t n = 0;

	flags |= MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
	    (h->use_tls ? MHD_USE_TLS : 0);
	http_opt(items, &n, MHD_OPTION_SOCK_ADDR, 0, sa);
	http_opt(items, &n, MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)http_mhd_log,
	    h);
	http_opt(items, &n, MHD_OPTION_CONNECTION_LIMIT, o->conn_limit ?
	    o->conn_limit : HTTP_DEFAULT_CONN_LIMIT, NULL);
	http_opt(items, &n, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    o->per_ip_limit ? o->per_ip_limit : HTTP_DEFAULT_PER_IP_LIMIT,
	    NULL);
	http_opt(items, &n, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ?
	    o->timeout_s : HTTP_DEFAULT_TIMEOUT, NULL);
	http_opt(items, &n, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (intptr_t)(o->conn_memory ? o->conn_memory :
	    HTTP_DEFAULT_CONN_MEMORY), NULL);
	http_opt(items, &n, MHD_OPTION_THREAD_POOL_SIZE, o->threads ?
	    o->threads : HTTP_DEFAULT_THREADS, NULL);
	/* RFC 9112: e.g. HTTP/1.1 without Host is a 400. */
	http_opt(items, &n, MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL);
	http_opt(items, &n, MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)http_notify,
	    h);
	http_opt(items, &n, MHD_OPTION_NOTIFY_COMPLETED,
	    (intptr_t)http_completed, h);
	http_opt(items, &n, MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)http_uri,
	    h);
	if (h->use_tls)
		http_tls_opts(h, items, &n);
	http_opt(items, &n, MHD_OPTION_END, 0, NULL);
	return MHD_start_daemon(flags, port, NULL, NULL, http_handle, h,
	    MHD_OPTION_ARRAY, items, MHD_OPTION_END);
}

/* Listen: ":port" tries [::] dual-stack first, then 0.0.0.0. */
static int
http_listen(struct http_server *h, const struct http_opts *o,
    const struct http_addr *a)
{
	struct sockaddr_in6 any6;
	struct sockaddr_in any4;

	if (!a->any) {
		h->mhd = http_daemon(h, o, (const struct sockaddr *)&a->ss,
		    a->ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0, a->port);
		return h->mhd ? 0 : -1;
	}
	memset(&any6, 0, sizeof(any6));
	any6.sin6_family = AF_INET6;
	any6.sin6_addr = in6addr_any;
	any6.sin6_port = htons(a->port);
	h->mhd = http_daemon(h, o, (const struct sockaddr *)&any6,
	    MHD_USE_DUAL_STACK, a->port);
	if (h->mhd != NULL)
		return 0;
	memset(&any4, 0, sizeof(any4));
	any4.sin_family = AF_INET;
	any4.sin_addr.s_addr = htonl(INADDR_ANY);
	any4.sin_port = htons(a->port);
	h->mhd = http_daemon(h, o, (const struct sockaddr *)&any4, 0, a->port);
	return h->mhd ? 0 : -1;
}

/* Free everything http_start made; safe on a half-made server. */
static void
http_free(struct http_server *h)
{
	int i;

	/* Its verdicts resume every suspended request: MHD requires it. */
	webauth_stop(h->auth);
	if (h->mhd != NULL)
		MHD_stop_daemon(h->mhd);
	http_guard_free(h->guard);		/* after MHD's last notify */
	for (i = 0; i < C_NCANNED; i++)
		if (h->canned[i] != NULL)
			MHD_destroy_response(h->canned[i]);
	snapshot_release(h->empty);
	http_tls_free(&h->tls);
	webauth_free(h->auth);
	authlimit_free(h->limit);
	pthread_mutex_destroy(&h->rate.mu);
	free(h);
}

/* TLS files and basic-auth users from the web config, if any. */
static int
http_web_setup(struct http_server *h, const struct webconfig *w,
    struct http_server *previous, char *err, size_t errlen)
{
	if (w == NULL)
		return 0;
	if (w->rate_interval_ms > 0) {
		h->rate.every = w->rate_interval_ms / 1000.0;
		h->rate.burst = h->rate.tokens = w->rate_burst;
		h->rate.at = http_now();
	}
	if (w->tls) {
		if (http_tls_load(&h->tls, &w->tls_cfg, err, errlen) == -1)
			return -1;
		h->use_tls = 1;
	}
	if (w->nusers > 0 && ((h->auth = webauth_new(w)) == NULL ||
	    (h->limit = authlimit_new()) == NULL)) {
		snprintf(err, errlen, "http: out of memory");
		return -1;
	}
	if (h->auth != NULL && previous != NULL && previous->auth != NULL) {
		webauth_adopt(h->auth, previous->auth);
		authlimit_adopt(h->limit, previous->limit);
	}
	return 0;
}

/*
 * Start serving the store's snapshots as opts say.  On failure, NULL with
 * a message in err.  The store must outlive the server.
 */
struct http_server *
http_start(const struct http_opts *o, struct snapshot_store *store,
    char *err, size_t errlen)
{
	struct http_server *h;
	struct http_addr a;

	if (http_parse_listen(o->listen ? o->listen : HTTP_DEFAULT_LISTEN, &a,
	    err, errlen) == -1)
		return NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "http: %s", strerror(errno));
		return NULL;
	}
	if (pthread_mutex_init(&h->rate.mu, NULL) != 0) {
		snprintf(err, errlen, "http: %s", strerror(errno));
		free(h);
		return NULL;
	}
	h->store = store;
	h->max_body = o->max_body ? o->max_body : RENDER_DEFAULT_MAX;
	h->log = o->log;
	h->log_arg = o->log_arg;
	if ((h->empty = snapshot_new(o->version, o->commit)) == NULL ||
	    http_make_canned(h) == -1 || (h->guard = http_guard_new(o->timeout_s ?
	    o->timeout_s : HTTP_DEFAULT_TIMEOUT)) == NULL) {
		snprintf(err, errlen, "http: out of memory");
		goto out_free;
	}
	if (http_web_setup(h, o->web, o->previous, err, errlen) == -1)
		goto out_free;
	h->starterr = err;
	h->starterrlen = errlen;
	snprintf(err, errlen, "cannot listen on %s",
	    o->listen ? o->listen : HTTP_DEFAULT_LISTEN);
	if (http_listen(h, o, &a) == -1)
		goto out_free;
	http_tls_wipe_key(&h->tls);
	h->starterr = NULL;
	err[0] = '\0';
	return h;

out_free:
	h->starterr = NULL;
	http_free(h);
	return NULL;
}

void
http_quiesce(struct http_server *h)
{
	if (h == NULL)
		return;
	webauth_stop(h->auth);	/* resumes every suspended request */
	if (h->mhd != NULL)
		MHD_stop_daemon(h->mhd);
	h->mhd = NULL;
}

/* Stop serving: waits for MHD's threads, then frees everything. */
void
http_stop(struct http_server *h)
{
	if (h != NULL)
		http_free(h);
}

/* The port the server listens on (useful after listening on port 0). */
uint16_t
http_port(const struct http_server *h)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}
