/*
 * test_http.c: the HTTP server on 127.0.0.1, ephemeral port, spoken to by
 * a plain-socket HTTP/1.1 client written here (and by curl when it is
 * installed): routes, methods, content type, gzip, HEAD, readiness,
 * limits, and scrapes racing publishes.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "web/web_int.h"
#include "config/config_int.h"
#include "metrics/metrics.h"

#define REPLY_MAX	(1 << 20)

struct reply {
	int	 status;
	char	*head;		/* status line and headers, NUL-terminated */
	char	*body;		/* NUL-terminated too */
	size_t	 bodylen;
};

struct fixture {
	struct snapshot_store	 store;
	struct http_server	*srv;
	uint16_t		 port;
};

/* A connected socket to 127.0.0.1:port with a 5 s receive timeout. */
static int
client_connect(uint16_t port)
{
	struct sockaddr_in sin;
	struct timeval tv = { 5, 0 };
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read until EOF into a malloc'd, NUL-terminated buffer. */
static char *
client_read_all(int fd, size_t *len)
{
	char *buf = malloc(REPLY_MAX + 1);
	ssize_t n;

	*len = 0;
	if (buf == NULL)
		return NULL;
	while (*len < REPLY_MAX &&
	    (n = read(fd, buf + *len, REPLY_MAX - *len)) > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
	return buf;
}

/*
 * One request on a new connection (Connection: close) and its whole
 * reply.  -1 when the server closed or reset without a reply.
 */
static int
client_request(uint16_t port, const char *method, const char *path,
    const char *headers, struct reply *r)
{
	char req[8192], *raw, *sep;
	size_t len;
	int fd, n;

	memset(r, 0, sizeof(*r));
	n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n%s\r\n", method, path, headers ? headers :
	    "");
	if (n < 0 || (size_t)n >= sizeof(req) || (fd = client_connect(port)) == -1)
		return -1;
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	raw = client_read_all(fd, &len);
	close(fd);
	if (raw == NULL || (sep = strstr(raw, "\r\n\r\n")) == NULL ||
	    sscanf(raw, "HTTP/1.%*d %d", &r->status) != 1) {
		free(raw);
		return -1;
	}
	*sep = '\0';
	r->head = raw;
	r->bodylen = len - (size_t)(sep + 4 - raw);
	r->body = malloc(r->bodylen + 1);
	assert_non_null(r->body);
	memcpy(r->body, sep + 4, r->bodylen);
	r->body[r->bodylen] = '\0';
	return 0;
}

static void
reply_free(struct reply *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* The value of header name in r (static buffer), or NULL. */
static const char *
reply_header(const struct reply *r, const char *name)
{
	static char val[512];
	const char *p, *eol;
	size_t nl = strlen(name), n;

	for (p = strstr(r->head, "\r\n"); p != NULL;
	    p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, nl) != 0 || p[2 + nl] != ':')
			continue;
		p += 3 + nl;
		while (*p == ' ')
			p++;
		eol = strstr(p, "\r\n");
		n = eol ? (size_t)(eol - p) : strlen(p);
		if (n >= sizeof(val))
			n = sizeof(val) - 1;
		memcpy(val, p, n);
		val[n] = '\0';
		return val;
	}
	return NULL;
}

/* A snapshot with one server and one pool, labelled by a generation. */
static struct snapshot *
make_snapshot(unsigned gen)
{
	struct snapshot *s;
	struct snapshot_server *sv;
	struct snapshot_pool *p;
	char commit[32];

	snprintf(commit, sizeof(commit), "gen%u", gen);
	assert_non_null(s = snapshot_new("9.9.9", commit));
	assert_non_null(sv = snapshot_add_server(s, "dhcp1"));
	sv->up = 1;
	sv->last_poll = 1700000000;
	sv->polls = gen;
	assert_non_null(p = snapshot_server_add_pool(sv, "office"));
	assert_int_equal(snapshot_pool_add_label(p, "site", "hq"), 0);
	p->counters_known = 1;
	p->addresses = 1000 + gen;
	p->free = 10;
	p->sweep_known = 1;
	p->states[1] = 10;
	p->states[2] = 990 + gen;
	return s;
}

/* What /metrics should send for s. */
static char *
expected_text(const struct snapshot *s, size_t *len)
{
	struct omapi_buf b;
	char *out;

	omapi_buf_init(&b, REPLY_MAX);
	assert_int_equal(render_metrics(&b, s), 0);
	assert_non_null(out = malloc(b.len + 1));
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	*len = b.len;
	omapi_buf_free(&b);
	return out;
}

/*
 * A port on 127.0.0.1 that is free now: the kernel's pick for a socket
 * bound to port 0, closed again.  A listen address never takes port 0
 * (one HOST:PORT rule, see addr.c), so the test finds one itself.
 */
static uint16_t
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* Start a server on a free port of 127.0.0.1 with the given options. */
static int
fixture_start(struct fixture *f, struct http_opts *o)
{
	static char listen[32];
	char err[256];

	assert_int_equal(snapshot_store_init(&f->store), 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", free_port());
	o->listen = listen;
	o->version = o->version ? o->version : "9.9.9";
	f->srv = http_start(o, &f->store, err, sizeof(err));
	if (f->srv == NULL)
		print_error("http_start: %s\n", err);
	assert_non_null(f->srv);
	f->port = http_port(f->srv);
	assert_true(f->port != 0);
	return 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct http_opts o;

	memset(&o, 0, sizeof(o));
	assert_non_null(f);
	fixture_start(f, &o);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	http_stop(f->srv);
	snapshot_store_destroy(&f->store);
	free(f);
	return 0;
}

static void
test_ready_after_publish(void **state)
{
	struct fixture *f = *state;
	struct reply r;

	assert_int_equal(client_request(f->port, "GET", "/-/ready", NULL, &r),
	    0);
	assert_int_equal(r.status, 503);
	reply_free(&r);

	/* before the first poll: /metrics has build info only, / waits */
	assert_int_equal(client_request(f->port, "GET", "/metrics", NULL, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "dhcpd_exporter_build_info{version="
	    "\"9.9.9\",commit=\"\"} 1\n"));
	assert_null(strstr(r.body, "dhcpd_up"));
	reply_free(&r);
	assert_int_equal(client_request(f->port, "GET", "/", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Waiting for the first poll"));
	reply_free(&r);

	snapshot_store_publish(&f->store, make_snapshot(1));
	assert_int_equal(client_request(f->port, "GET", "/-/ready", NULL, &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	assert_int_equal(client_request(f->port, "HEAD", "/-/ready", NULL, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.bodylen, 0);
	reply_free(&r);
}

static void
test_healthy(void **state)
{
	struct fixture *f = *state;
	struct reply r;

	assert_int_equal(client_request(f->port, "GET", "/-/healthy", NULL,
	    &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "OK\n");
	reply_free(&r);
}

static void
test_metrics_plain(void **state)
{
	struct fixture *f = *state;
	struct snapshot *s = make_snapshot(7);
	struct reply r;
	char *want;
	size_t wantlen;

	want = expected_text(s, &wantlen);
	snapshot_store_publish(&f->store, s);
	assert_int_equal(client_request(f->port, "GET", "/metrics", NULL, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_string_equal(reply_header(&r, "Content-Type"),
	    "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(reply_header(&r, "Vary"), "Accept-Encoding");
	assert_null(reply_header(&r, "Content-Encoding"));
	assert_int_equal(r.bodylen, wantlen);
	assert_string_equal(r.body, want);
	reply_free(&r);

	/* a query string does not change the route */
	assert_int_equal(client_request(f->port, "GET", "/metrics?x=1", NULL,
	    &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.bodylen, wantlen);
	reply_free(&r);
	free(want);
}

/* Inflate a gzip body into a NUL-terminated string. */
static char *
gunzip(const char *in, size_t len, size_t *outlen)
{
	char *out = malloc(REPLY_MAX + 1);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = REPLY_MAX;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	*outlen = z.total_out;
	out[*outlen] = '\0';
	inflateEnd(&z);
	return out;
}

static void
test_metrics_gzip(void **state)
{
	static const char *const yes[] = { "gzip", "deflate, gzip;q=0.5",
	    "br, GZIP", "*", "x-gzip", "gzip;q=1.0, identity;q=0" };
	static const char *const no[] = { "identity", "br", "gzip;q=0",
	    "*;q=0", "gzip;q=0.000, *", "gzipx" };
	struct fixture *f = *state;
	struct snapshot *s = make_snapshot(3);
	struct reply r;
	char hdr[128], *want, *got;
	size_t wantlen, gotlen, i;

	want = expected_text(s, &wantlen);
	snapshot_store_publish(&f->store, s);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(hdr, sizeof(hdr), "Accept-Encoding: %s\r\n", yes[i]);
		assert_int_equal(client_request(f->port, "GET", "/metrics",
		    hdr, &r), 0);
		assert_int_equal(r.status, 200);
		assert_string_equal(reply_header(&r, "Content-Encoding"),
		    "gzip");
		assert_string_equal(reply_header(&r, "Vary"),
		    "Accept-Encoding");
		assert_true(r.bodylen < wantlen);
		got = gunzip(r.body, r.bodylen, &gotlen);
		assert_int_equal(gotlen, wantlen);
		assert_string_equal(got, want);
		free(got);
		reply_free(&r);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(hdr, sizeof(hdr), "Accept-Encoding: %s\r\n", no[i]);
		assert_int_equal(client_request(f->port, "GET", "/metrics",
		    hdr, &r), 0);
		assert_null(reply_header(&r, "Content-Encoding"));
		assert_string_equal(r.body, want);
		reply_free(&r);
	}
	free(want);
}

static void
test_head(void **state)
{
	struct fixture *f = *state;
	struct reply g, h;

	snapshot_store_publish(&f->store, make_snapshot(2));
	assert_int_equal(client_request(f->port, "GET", "/metrics", NULL, &g),
	    0);
	assert_int_equal(client_request(f->port, "HEAD", "/metrics", NULL, &h),
	    0);
	assert_int_equal(h.status, 200);
	assert_int_equal(h.bodylen, 0);
	assert_string_equal(reply_header(&h, "Content-Type"),
	    "text/plain; version=0.0.4; charset=utf-8");
	assert_int_equal(strtoul(reply_header(&h, "Content-Length"), NULL, 10),
	    g.bodylen);
	reply_free(&g);
	reply_free(&h);

	assert_int_equal(client_request(f->port, "HEAD", "/", NULL, &h), 0);
	assert_int_equal(h.status, 200);
	assert_int_equal(h.bodylen, 0);
	reply_free(&h);
}

/* One request on a new connection must get the status want. */
static void
assert_status(uint16_t port, const char *method, const char *path,
    const char *headers, int want)
{
	struct reply r;

	assert_int_equal(client_request(port, method, path, headers, &r), 0);
	assert_int_equal(r.status, want);
	reply_free(&r);
}

static void
test_methods_and_paths(void **state)
{
	static const char *const bad[] = { "POST", "PUT", "DELETE", "PATCH",
	    "OPTIONS" };
	static const char *const nul[] = { "/metrics%00anything",
	    "/metrics%00", "/%00", "/-/healthy%00x", "/-/ready%00",
	    "/metrics%2500" };
	struct fixture *f = *state;
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(client_request(f->port, bad[i], "/metrics",
		    NULL, &r), 0);
		assert_int_equal(r.status, 405);
		assert_string_equal(reply_header(&r, "Allow"), "GET, HEAD");
		reply_free(&r);
	}
	assert_int_equal(client_request(f->port, "POST", "/",
	    "Content-Length: 0\r\n", &r), 0);
	assert_int_equal(r.status, 405);
	reply_free(&r);

	assert_int_equal(client_request(f->port, "GET", "/nope", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	assert_int_equal(client_request(f->port, "GET", "/metrics/", NULL, &r),
	    0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	assert_int_equal(client_request(f->port, "POST", "/nope", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	/* The decoded path counts whole: a NUL in it is no route. */
	for (i = 0; i < sizeof(nul) / sizeof(nul[0]); i++)
		assert_status(f->port, "GET", nul[i], NULL, 404);
	assert_status(f->port, "GET", "/%6detrics", NULL, 200);
	assert_status(f->port, "GET", "/metrics?a=%00", NULL, 200);
}

static void
test_page(void **state)
{
	struct fixture *f = *state;
	struct reply r;

	snapshot_store_publish(&f->store, make_snapshot(4));
	assert_int_equal(client_request(f->port, "GET", "/", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(reply_header(&r, "Content-Type"),
	    "text/html; charset=utf-8");
	assert_non_null(strstr(reply_header(&r, "Content-Security-Policy"),
	    "default-src 'none'"));
	assert_non_null(strstr(r.body, "<a href=\"/metrics\">"));
	assert_non_null(strstr(r.body, "dhcp1"));
	assert_non_null(strstr(r.body, "office"));
	assert_null(strstr(r.body, "<script"));
	reply_free(&r);
}

/* A request head larger than the per-connection memory gets a 4xx. */
static void
test_oversized_request(void **state)
{
	struct fixture *f = *state;
	struct reply r;
	char *hdr;
	size_t n = 40 * 1024;

	assert_non_null(hdr = malloc(n + 32));
	memcpy(hdr, "X-Big: ", 7);
	memset(hdr + 7, 'a', n);
	memcpy(hdr + 7 + n, "\r\n", 3);
	/* client_request's buffer is 8 KiB: send by hand */
	{
		char head[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
		int fd = client_connect(f->port);
		size_t len;
		char *raw;

		assert_true(fd != -1);
		assert_int_equal(write(fd, head, strlen(head)),
		    (ssize_t)strlen(head));
		/* the server may close before it has read all of it */
		(void)!write(fd, hdr, strlen(hdr));
		(void)!write(fd, "\r\n", 2);
		raw = client_read_all(fd, &len);
		close(fd);
		assert_non_null(raw);
		memset(&r, 0, sizeof(r));
		assert_int_equal(sscanf(raw, "HTTP/1.%*d %d", &r.status), 1);
		assert_true(r.status >= 400 && r.status < 500);
		free(raw);
	}
	free(hdr);
}

struct scraper {
	uint16_t	port;
	int		ok;
	int		failed;
};

static void *
scraper_run(void *arg)
{
	struct scraper *sc = arg;
	struct reply r;
	int i;

	for (i = 0; i < 40; i++) {
		if (client_request(sc->port, "GET", "/metrics",
		    i % 2 ? "Accept-Encoding: gzip\r\n" : NULL, &r) == 0 &&
		    r.status == 200 && r.bodylen > 0)
			sc->ok++;
		else
			sc->failed++;
		reply_free(&r);
	}
	return NULL;
}

/* Scrapes racing publishes: every scrape answers, nothing leaks. */
static void
test_concurrent_publish(void **state)
{
	struct fixture *f = *state;
	struct scraper sc[4];
	pthread_t t[4];
	unsigned i;

	for (i = 0; i < 4; i++) {
		sc[i].port = f->port;
		sc[i].ok = sc[i].failed = 0;
		assert_int_equal(pthread_create(&t[i], NULL, scraper_run,
		    &sc[i]), 0);
	}
	for (i = 0; i < 200; i++) {
		snapshot_store_publish(&f->store, make_snapshot(i));
		usleep(500);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(sc[i].failed, 0);
		assert_int_equal(sc[i].ok, 40);
	}
}

/* A real client: curl --compressed gets the same text. */
static void
test_curl(void **state)
{
	struct fixture *f = *state;
	struct snapshot *s = make_snapshot(5);
	char cmd[256], *want, *got;
	size_t wantlen, gotlen;
	FILE *p;

	if (system("command -v curl >/dev/null 2>&1") != 0)
		fail_msg("curl is not installed (tests/deps.sh installs it)");
	want = expected_text(s, &wantlen);
	snapshot_store_publish(&f->store, s);
	snprintf(cmd, sizeof(cmd), "curl -sS --fail --compressed "
	    "http://127.0.0.1:%u/metrics", f->port);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(got = malloc(REPLY_MAX + 1));
	gotlen = fread(got, 1, REPLY_MAX, p);
	got[gotlen] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_int_equal(gotlen, wantlen);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* Requests on one kept-alive connection: curl reconnects only once. */
static void
test_keepalive(void **state)
{
	struct fixture *f = *state;
	char cmd[512], out[64];
	size_t n;
	FILE *p;

	if (system("command -v curl >/dev/null 2>&1") != 0)
		fail_msg("curl is not installed (tests/deps.sh installs it)");
	snapshot_store_publish(&f->store, make_snapshot(6));
	snprintf(cmd, sizeof(cmd), "curl -s -o /dev/null -o /dev/null "
	    "-o /dev/null -w '%%{http_code}:%%{num_connects} ' "
	    "http://127.0.0.1:%u/metrics http://127.0.0.1:%u/nope "
	    "http://127.0.0.1:%u/", f->port, f->port, f->port);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_string_equal(out, "200:1 404:0 200:0 ");
}

static void
test_accepts_gzip(void **state)
{
	assert_false(http_accepts_gzip(NULL));
	assert_false(http_accepts_gzip(""));
	assert_true(http_accepts_gzip("gzip"));
	assert_true(http_accepts_gzip(" gzip , br"));
	assert_true(http_accepts_gzip("gzip; q=0.1"));
	assert_false(http_accepts_gzip("gzip;q=0"));
	assert_false(http_accepts_gzip("gzip;q=0, *"));
	assert_true(http_accepts_gzip("*"));
	assert_false(http_accepts_gzip("*;q=0"));
	assert_false(http_accepts_gzip("gzipper"));
	assert_false(http_accepts_gzip("deflate"));
}

static void
test_parse_listen(void **state)
{
	struct http_addr a;
	char err[256];

	assert_int_equal(http_parse_listen(":9367", &a, err, sizeof(err)), 0);
	assert_true(a.any);
	assert_int_equal(a.port, 9367);
	assert_int_equal(http_parse_listen("127.0.0.1:80", &a, err,
	    sizeof(err)), 0);
	assert_false(a.any);
	assert_int_equal(a.ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&a.ss)->sin_port), 80);
	assert_int_equal(http_parse_listen("[::1]:9367", &a, err,
	    sizeof(err)), 0);
	assert_int_equal(a.ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&a.ss)->sin6_port),
	    9367);
	/* Host names resolve where the system can (a bare chroot may not). */
	{
		struct addrinfo *ai = NULL;

		if (getaddrinfo("localhost", NULL, NULL, &ai) == 0) {
			freeaddrinfo(ai);
			assert_int_equal(http_parse_listen("localhost:80", &a,
			    err, sizeof(err)), 0);
		}
	}
	assert_int_equal(http_parse_listen("[::]:80", &a, err, sizeof(err)), 0);
	/* Port 0 would bind a random port: refused, as `listen:` does. */
	assert_int_equal(http_parse_listen(":0", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen("127.0.0.1:0", &a, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "the port must be a number from 1 to "
	    "65535"));
	/* Neither '*' nor an IPv4 address in brackets is a host. */
	assert_int_equal(http_parse_listen("*:9367", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen("[127.0.0.1]:9367", &a, err,
	    sizeof(err)), -1);
	assert_int_equal(http_parse_listen("", &a, err, sizeof(err)), -1);

	assert_int_equal(http_parse_listen("9367", &a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "want host:port"));
	assert_int_equal(http_parse_listen("host:", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen(":65536", &a, err, sizeof(err)),
	    -1);
	assert_int_equal(http_parse_listen(":-1", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen(":80x", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen("::1:80", &a, err, sizeof(err)),
	    -1);
	assert_int_equal(http_parse_listen("[::1]80", &a, err, sizeof(err)),
	    -1);
	assert_int_equal(http_parse_listen("[]:80", &a, err, sizeof(err)), -1);
	assert_int_equal(http_parse_listen("[10.0.0.1]:80", &a, err,
	    sizeof(err)), -1);
	assert_int_equal(http_parse_listen("no.such.host.invalid:80", &a,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no.such.host.invalid"));
}

/* A second server on a taken port fails with a message. */
static void
test_port_in_use(void **state)
{
	struct fixture *f = *state;
	struct snapshot_store st;
	struct http_opts o;
	char listen[32], err[256];

	memset(&o, 0, sizeof(o));
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", f->port);
	o.listen = listen;
	assert_int_equal(snapshot_store_init(&st), 0);
	err[0] = '\0';
	assert_null(http_start(&o, &st, err, sizeof(err)));
	assert_true(err[0] != '\0');
	snapshot_store_destroy(&st);
}

/* A web config with user "prom", password "s3cret", bcrypt with salt. */
static struct webconfig *
web_with_salt(const char *salt)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	struct config_errors errs;
	struct webconfig *w = NULL;
	char yml[256];
	const char *h;

	assert_non_null(cd);
	h = crypt_r("s3cret", salt, cd);
	assert_non_null(h);
	snprintf(yml, sizeof(yml), "basic_auth_users:\n  prom: '%s'\n", h);
	free(cd);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(webconfig_load_buffer("web.yml", yml, strlen(yml),
	    &w, &errs), 0);
	config_errors_free(&errs);
	return w;
}

/* The same at cost 4, quick. */
static struct webconfig *
web_with_user(void)
{
	return web_with_salt("$2b$04$abcdefghijklmnopqrstuu");
}

/* "Authorization: Basic base64(user:pass)" for a request. */
static void
basic_header(const char *user, const char *pass, char *out, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	unsigned char in[128];
	size_t n, i, o;

	n = (size_t)snprintf((char *)in, sizeof(in), "%s:%s", user, pass);
	o = (size_t)snprintf(out, len, "Authorization: Basic ");
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ?
		    (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	snprintf(out + o, len - o, "\r\n");
}

/*
 * A server with web config w (replacing previous, when not NULL), and the
 * right (good) and a wrong (bad) Authorization header for its user.
 */
static void
auth_fixture_start(struct fixture *f, const struct webconfig *w,
    struct http_server *previous, char good[256], char bad[256])
{
	struct http_opts o;

	memset(&o, 0, sizeof(o));
	o.web = w;
	o.previous = previous;
	fixture_start(f, &o);
	basic_header("prom", "s3cret", good, 256);
	basic_header("prom", "s3cret!", bad, 256);
}

/*
 * Basic auth guards every path: 401 with a challenge, 200 when right.
 * An address that has spent its AUTHLIMIT_BURST failures gets 429 with
 * Retry-After, whatever it sends but the password it used with success.
 */
static void
test_basic_auth(void **state)
{
	static const char *const paths[] = { "/metrics", "/", "/-/healthy",
	    "/-/ready", "/nope" };
	struct webconfig *w = web_with_user();
	struct fixture f;
	struct reply r;
	char good[256], bad[256], nouser[256];
	size_t i;

	auth_fixture_start(&f, w, NULL, good, bad);
	basic_header("nobody", "s3cret", nouser, sizeof(nouser));
	/* Twice: the second is answered from the cache, the same way. */
	for (i = 0; i < 2; i++)
		assert_status(f.port, "GET", "/-/healthy", good, 200);
	assert_status(f.port, "POST", "/metrics", good, 405);
	/* Ten failures: every one checked, each a 401. */
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_int_equal(client_request(f.port, "GET", paths[i], NULL,
		    &r), 0);
		assert_int_equal(r.status, 401);
		assert_non_null(strstr(reply_header(&r, "WWW-Authenticate"),
		    "Basic realm=\"dhcpd_exporter\""));
		reply_free(&r);
		/* The wrong password after a right one is still wrong. */
		assert_status(f.port, "GET", paths[i], bad, 401);
		assert_status(f.port, "GET", paths[i], nouser, 401);
	}
	assert_int_equal(AUTHLIMIT_BURST, 10);
	assert_int_equal(client_request(f.port, "GET", "/metrics", bad, &r), 0);
	assert_int_equal(r.status, 429);
	assert_string_equal(reply_header(&r, "Retry-After"), "6");
	reply_free(&r);
	assert_status(f.port, "GET", "/metrics", nouser, 429);
	/* The password this address used with success still passes. */
	assert_status(f.port, "GET", "/-/healthy", good, 200);
	/* No credentials at all cost nothing: still the challenge. */
	assert_status(f.port, "GET", "/-/healthy", NULL, 401);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
	webconfig_free(w);
}

/*
 * A reload restarts the server with the old one as opts.previous: an
 * address out of failures stays out (no fresh burst for a flood), and
 * the password it proved still passes, from the cache, as before.
 */
static void
test_reload_keeps_auth_state(void **state)
{
	struct webconfig *w = web_with_user();
	struct fixture f, g;
	char good[256], bad[256];
	int i;

	auth_fixture_start(&f, w, NULL, good, bad);
	assert_status(f.port, "GET", "/-/healthy", good, 200);
	for (i = 0; i < AUTHLIMIT_BURST; i++)
		assert_status(f.port, "GET", "/-/healthy", bad, 401);
	assert_status(f.port, "GET", "/-/healthy", bad, 429);
	http_quiesce(f.srv);
	auth_fixture_start(&g, w, f.srv, good, bad);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
	assert_status(g.port, "GET", "/-/healthy", bad, 429);
	assert_status(g.port, "GET", "/-/healthy", good, 200);
	http_stop(g.srv);
	snapshot_store_destroy(&g.store);
	webconfig_free(w);
}

/* Send a request on a new connection and leave it to be answered. */
static int
client_send(uint16_t port, const char *headers)
{
	char req[1024];
	int fd, n;

	n = snprintf(req, sizeof(req), "GET /metrics HTTP/1.1\r\nHost: "
	    "127.0.0.1\r\nConnection: close\r\n%s\r\n", headers);
	assert_true(n > 0 && (size_t)n < sizeof(req));
	assert_true((fd = client_connect(port)) != -1);
	assert_int_equal(write(fd, req, (size_t)n), n);
	return fd;
}

/* Whether the server has answered (or closed) fd yet. */
static int
client_answered(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1;
}

/*
 * A server whose one user's password costs a bcrypt at cost 10 (tens of
 * milliseconds, long enough to send requests while one runs), with the
 * right (good) and a wrong (bad) Authorization header for it.
 */
static struct webconfig *
bcrypt_fixture_start(struct fixture *f, char good[256], char bad[256])
{
	struct webconfig *w = web_with_salt("$2b$10$abcdefghijklmnopqrstuu");

	auth_fixture_start(f, w, NULL, good, bad);
	return w;
}

static void
bcrypt_fixture_stop(struct fixture *f, struct webconfig *w)
{
	http_stop(f->srv);
	snapshot_store_destroy(&f->store);
	webconfig_free(w);
}

/*
 * A cached password is answered while wrong ones wait for their bcrypt:
 * MHD's threads never run one.  Four wrong passwords (cost 10) go out
 * first, enough to hold both of MHD's threads if they did the bcrypts;
 * the scrape with the cached password must get its 200 while the first
 * wrong one is still unanswered.
 */
static void
test_cached_not_behind_bcrypt(void **state)
{
	struct webconfig *w;
	struct fixture f;
	char good[256], bad[256];
	int fds[4], i;

	w = bcrypt_fixture_start(&f, good, bad);
	assert_status(f.port, "GET", "/-/healthy", good, 200);	/* cached */
	for (i = 0; i < 4; i++)
		fds[i] = client_send(f.port, bad);
	assert_status(f.port, "GET", "/-/healthy", good, 200);
	/* AUTHLIMIT_CHECKS per address at a time: the others got 429 at
	 * once, whichever MHD took first; one being checked is unanswered. */
	for (i = 0; i < 4 && client_answered(fds[i]); i++)
		;
	assert_true(i < 4);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	bcrypt_fixture_stop(&f, w);
}

/*
 * A right password that is not cached yet, sent while a wrong one from
 * the same address waits for its bcrypt, is checked too: a Prometheus
 * with a stale job and a right one scrapes both from one address, and if
 * the right job's check were refused whenever the stale one's runs, it
 * could land in that window every interval and never be let in (a CI
 * run saw up 0 for 15 s).
 */
static void
test_right_beside_wrong_in_flight(void **state)
{
	struct webconfig *w;
	struct fixture f;
	char good[256], bad[256];
	int fd;

	w = bcrypt_fixture_start(&f, good, bad);
	fd = client_send(f.port, bad);
	usleep(20 * 1000);	/* its check taken: a cost-10 bcrypt runs */
	assert_status(f.port, "GET", "/-/healthy", good, 200);
	close(fd);
	bcrypt_fixture_stop(&f, w);
}

/* rate_limit: a burst of 2, then 429 for every request, auth or not. */
static void
test_rate_limit(void **state)
{
	static const char yml[] = "rate_limit:\n  interval: 1h\n  burst: 2\n";
	struct config_errors errs;
	struct webconfig *w = NULL;
	struct fixture f;
	struct http_opts o;
	struct reply r;

	memset(&errs, 0, sizeof(errs));
	assert_int_equal(webconfig_load_buffer("web.yml", yml, strlen(yml),
	    &w, &errs), 0);
	config_errors_free(&errs);
	memset(&o, 0, sizeof(o));
	o.web = w;
	fixture_start(&f, &o);
	assert_status(f.port, "GET", "/-/healthy", NULL, 200);
	assert_status(f.port, "GET", "/metrics", NULL, 200);
	assert_int_equal(client_request(f.port, "GET", "/-/healthy", NULL, &r),
	    0);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "rate_limit"));
	reply_free(&r);
	assert_status(f.port, "GET", "/nope", NULL, 429);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
	webconfig_free(w);
}

/* max_body caps /metrics: 500 rather than an unbounded body. */
static void
test_max_body(void **state)
{
	struct fixture f;
	struct http_opts o;
	struct reply r;

	memset(&o, 0, sizeof(o));
	o.max_body = 200;
	fixture_start(&f, &o);
	snapshot_store_publish(&f.store, make_snapshot(1));
	assert_int_equal(client_request(f.port, "GET", "/metrics", NULL, &r),
	    0);
	assert_int_equal(r.status, 500);
	reply_free(&r);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
}

/* Idle connections are closed after the timeout. */
static void
test_idle_timeout(void **state)
{
	struct fixture f;
	struct http_opts o;
	char c;
	int fd;

	memset(&o, 0, sizeof(o));
	o.timeout_s = 1;
	fixture_start(&f, &o);
	assert_true((fd = client_connect(f.port)) != -1);
	/* read blocks until the server closes: EOF, well before 5 s */
	assert_int_equal(read(fd, &c, 1), 0);
	close(fd);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
}

/* The connection limit turns extra connections away; freed slots work. */
static void
test_connection_limit(void **state)
{
	struct fixture f;
	struct http_opts o;
	struct reply r;
	int fds[4], i, refused;

	memset(&o, 0, sizeof(o));
	o.conn_limit = 4;
	o.threads = 1;
	fixture_start(&f, &o);
	for (i = 0; i < 4; i++)
		assert_true((fds[i] = client_connect(f.port)) != -1);
	usleep(100 * 1000);
	refused = client_request(f.port, "GET", "/-/healthy", NULL, &r) == -1;
	reply_free(&r);
	assert_true(refused);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	usleep(100 * 1000);
	assert_int_equal(client_request(f.port, "GET", "/-/healthy", NULL,
	    &r), 0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	http_stop(f.srv);
	snapshot_store_destroy(&f.store);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_after_publish,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_healthy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_plain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_metrics_gzip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_methods_and_paths, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_request, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_publish, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_curl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_port_in_use, setup,
		    teardown),
		cmocka_unit_test(test_accepts_gzip),
		cmocka_unit_test(test_parse_listen),
		cmocka_unit_test(test_basic_auth),
		cmocka_unit_test(test_reload_keeps_auth_state),
		cmocka_unit_test(test_cached_not_behind_bcrypt),
		cmocka_unit_test(test_right_beside_wrong_in_flight),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_max_body),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_connection_limit),
	};

	/* the oversized request test writes after the server has closed */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
