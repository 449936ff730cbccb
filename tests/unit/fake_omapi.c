/*
 * fake_omapi.c: the in-process fake OMAPI server of the unit tests (see
 * fake_omapi.h).  The server thread never calls a CMocka assertion (they
 * jump back into the test's thread); it drops the connection instead.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_omapi.h"

int64_t
fake_ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A time limit of ms on the release build, for this build: the one place
 * that says how much slower the tests may run under a sanitizer or
 * valgrind on a loaded 2-core machine (tests/integration/lib.sh's
 * limit_ms uses the same factors): AddressSanitizer 3x, ThreadSanitizer
 * 5x, valgrind 10x.  An upper bound still catches what it is there for: a
 * stall is not a few times slow, it never ends.
 */
int64_t
unit_limit_ms(int64_t ms)
{
	const char *pre = getenv("LD_PRELOAD"), *vg = getenv("VALGRIND");

	/* valgrind preloads its vgpreload_*.so; run_unit.sh sets VALGRIND=1 */
	if ((pre != NULL && strstr(pre, "vgpreload") != NULL) ||
	    (vg != NULL && strcmp(vg, "1") == 0))
		return ms * 10;
#if defined(__SANITIZE_THREAD__)
	return ms * 5;
#elif defined(__SANITIZE_ADDRESS__)
	return ms * 3;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
	return ms * 5;
#elif __has_feature(address_sanitizer)
	return ms * 3;
#else
	return ms;
#endif
#else
	return ms;
#endif
}

/* Write it all; -1 when the peer is gone. */
static int
send_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	ssize_t n;

	while (len > 0) {
		n = send(fd, b, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

void
fake_write_all(int fd, const void *p, size_t len)
{
	assert_int_equal(send_all(fd, p, len), 0);
}

/*
 * Wait until fd is readable: 0, or -1 when the fake is being stopped.
 * watch_stop 0 (the test's own reads): no stop to watch.
 */
static int
wait_readable(struct fake *f, int fd, int watch_stop)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { f->stopfd[0], POLLIN,
	    0 } };

	for (;;) {
		if (poll(p, watch_stop ? 2 : 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (watch_stop && p[1].revents)
			return -1;
		if (p[0].revents)
			return 0;
	}
}

/* Read until f->in holds one whole message, then move it to out. */
static int
next_msg(struct fake *f, int fd, int watch_stop, uint8_t *out,
    size_t *outlen)
{
	struct omapi_msg m;
	struct omapi_error err;
	ssize_t n;
	int rc;

	for (;;) {
		rc = omapi_msg_decode(f->in, f->inlen, sizeof(f->in), &m, &err);
		if (rc == -1)
			return -1;
		if (rc == 1)
			break;
		if (watch_stop && wait_readable(f, fd, 1) == -1)
			return -1;
		n = recv(fd, f->in + f->inlen, sizeof(f->in) - f->inlen, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		f->inlen += (size_t)n;
	}
	memcpy(out, f->in, m.size);
	*outlen = m.size;
	memmove(f->in, f->in + m.size, f->inlen - m.size);
	f->inlen -= m.size;
	return 0;
}

int
fake_next(struct fake *f, uint8_t *out, size_t *outlen)
{
	return next_msg(f, f->sfd, 0, out, outlen);
}

uint32_t
fake_read_req(struct fake *f, uint8_t *buf, struct omapi_msg *m)
{
	struct omapi_error err;
	size_t len;

	assert_int_equal(fake_next(f, buf, &len), 0);
	assert_int_equal(omapi_msg_decode(buf, len, len, m, &err), 1);
	return m->hdr.tid;
}

/* Encode a message; signed with signer (and authid) when signer is set. */
static int
encode(struct omapi_buf *b, uint32_t opcode, uint32_t handle, uint32_t rid,
    const struct omapi_nv *msg, size_t nmsg, const struct omapi_nv *obj,
    size_t nobj, uint32_t authid, struct omapi_signer *signer)
{
	struct omapi_request r = { opcode, handle, rid, msg, nmsg, obj, nobj };
	struct omapi_error err;
	size_t start = b->len, siglen = omapi_signer_len(signer);

	if (omapi_msg_encode(b, &r, authid, (uint32_t)siglen,
	    0x40000000u + rid, &err) == -1)
		return -1;
	if (signer != NULL && omapi_signer_sign(signer, b->data + start + 4,
	    b->len - start - 4 - siglen, b->data + b->len - siglen) == -1)
		return -1;
	return 0;
}

void
fake_build(struct omapi_buf *b, uint32_t opcode, uint32_t handle, uint32_t rid,
    const struct omapi_nv *msg, size_t nmsg, const struct omapi_nv *obj,
    size_t nobj, uint32_t authid, struct omapi_signer *signer)
{
	assert_int_equal(encode(b, opcode, handle, rid, msg, nmsg, obj, nobj,
	    authid, signer), 0);
}

/* A lease-like UPDATE whose handle (1000 + rid) and hostname name rid. */
static int
encode_echo_lease(struct omapi_buf *b, uint32_t rid, uint32_t authid,
    struct omapi_signer *signer)
{
	char host[32];
	static const uint8_t state[4] = { 0, 0, 0, 2 };
	static const uint8_t ip[4] = { 10, 0, 0, 5 };
	struct omapi_nv obj[] = {
		{ "state", state, 4 },
		{ "ip-address", ip, 4 },
		{ "client-hostname", host, 0 },
	};

	obj[2].len = (uint32_t)snprintf(host, sizeof(host), "host-%u", rid);
	return encode(b, OMAPI_OP_UPDATE, 1000 + rid, rid, NULL, 0, obj, 3,
	    authid, signer);
}

void
fake_build_lease(struct omapi_buf *b, uint32_t rid, uint32_t authid,
    struct omapi_signer *signer)
{
	assert_int_equal(encode_echo_lease(b, rid, authid, signer), 0);
}

static int
encode_status(struct omapi_buf *b, uint32_t rid, uint32_t result,
    const char *text, uint32_t authid, struct omapi_signer *signer)
{
	uint8_t r[4];
	struct omapi_nv msg[] = {
		{ "result", r, 4 },
		{ "message", text, text ? (uint32_t)strlen(text) : 0 },
	};

	omapi_put_u32(r, result);
	return encode(b, OMAPI_OP_STATUS, 0, rid, msg, text ? 2 : 1, NULL, 0,
	    authid, signer);
}

void
fake_build_status(struct omapi_buf *b, uint32_t rid, uint32_t result,
    const char *text, uint32_t authid, struct omapi_signer *signer)
{
	assert_int_equal(encode_status(b, rid, result, text, authid, signer),
	    0);
}

struct omapi_signer *
fake_signer(const char *b64, enum omapi_alg alg)
{
	struct omapi_key key;
	struct omapi_error err;
	struct omapi_signer *s;

	assert_int_equal(omapi_key_set(&key, FAKE_KEY_NAME, omapi_alg_name(alg),
	    b64, &err), 0);
	assert_non_null(s = omapi_signer_new(&key, &err));
	omapi_key_wipe(&key);
	return s;
}

void
fake_lock(struct fake *f)
{
	pthread_mutex_lock(&f->mtx);
}

void
fake_unlock(struct fake *f)
{
	pthread_mutex_unlock(&f->mtx);
}

uint64_t
fake_get(struct fake *f, const uint64_t *field)
{
	uint64_t v;

	fake_lock(f);
	v = *field;
	fake_unlock(f);
	return v;
}

struct fake_lease *
fake_add_lease(struct fake *f, uint32_t ip, uint32_t state, uint32_t pool)
{
	struct fake_lease *l;

	assert_true(f->nleases < FAKE_LEASES_MAX);
	l = &f->leases[f->nleases++];
	memset(l, 0, sizeof(*l));
	l->ip = ip;
	l->state = state;
	l->pool = pool;
	return l;
}

struct fake_pool *
fake_add_pool(struct fake *f, uint32_t handle, uint32_t count, uint32_t nfree,
    uint32_t backup)
{
	struct fake_pool *p;

	assert_true(f->npools < FAKE_POOLS_MAX);
	p = &f->pools[f->npools++];
	memset(p, 0, sizeof(*p));
	p->handle = handle;
	p->lease_count = count;
	p->free_leases = nfree;
	p->backup_leases = backup;
	return p;
}

struct fake_host *
fake_add_host(struct fake *f, const char *name, const char *mac,
    const char *ip)
{
	struct fake_host *h;
	size_t n;

	assert_true(f->nhosts < FAKE_HOSTS_MAX);
	h = &f->hosts[f->nhosts++];
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	assert_int_equal(omapi_parse_hex(mac, h->mac, sizeof(h->mac), &n), 0);
	assert_int_equal(n, 6);
	if (ip != NULL)
		assert_int_equal(omapi_parse_ipv4(ip, h->ip), 0);
	return h;
}

/* ---- the answers of FAKE_DHCPD, built under the lock ---- */

/* An error status as dhcpd sends it: a wrong secret gets a bare, unsigned
 * 0x6000b; "not found" has dhcpd's words. */
static int
dhcpd_status(struct fake *f, struct omapi_buf *b, uint32_t rid,
    uint32_t result)
{
	uint32_t authid = f->signer ? FAKE_AUTHID : 0;

	if (result == OMAPI_RESULT_BADSIG)
		return encode_status(b, rid, result, NULL, 0, NULL);
	return encode_status(b, rid, result, result == OMAPI_RESULT_NOTFOUND ?
	    FAKE_NOTFOUND_TEXT : f->status_text, authid, f->signer);
}

static int
dhcpd_lease(struct fake *f, struct omapi_buf *b, const struct omapi_msg *m)
{
	const struct fake_lease *l = NULL;
	const uint8_t *v;
	uint8_t st[4], ip[4], ends[4], pool[4];
	struct omapi_nv obj[4];
	uint32_t len, addr;
	size_t i, n = 0;

	if (omapi_list_find(&m->object, "ip-address", &v, &len) == -1 ||
	    len != 4)
		return dhcpd_status(f, b, m->hdr.tid, OMAPI_RESULT_NOTFOUND);
	addr = omapi_get_u32(v);
	if (addr >= f->seen_base && addr - f->seen_base < FAKE_SEEN_MAX)
		f->seen[addr - f->seen_base]++;
	for (i = 0; i < f->nleases && l == NULL; i++)
		if (f->leases[i].ip == addr)
			l = &f->leases[i];
	if (l == NULL || l->status != 0)
		return dhcpd_status(f, b, m->hdr.tid, l == NULL ?
		    OMAPI_RESULT_NOTFOUND : l->status);
	omapi_put_u32(st, l->state);
	omapi_put_u32(ip, l->ip);
	omapi_put_u32(ends, l->ends);
	omapi_put_u32(pool, l->pool);
	obj[n++] = (struct omapi_nv){ "state", st, 4 };
	obj[n++] = (struct omapi_nv){ "ip-address", ip, 4 };
	if (l->ends != 0)
		obj[n++] = (struct omapi_nv){ "ends", ends, 4 };
	if (l->pool != 0)
		obj[n++] = (struct omapi_nv){ "pool", pool, 4 };
	return encode(b, OMAPI_OP_UPDATE, 0x10000u + (uint32_t)(l - f->leases),
	    m->hdr.tid, NULL, 0, obj, n, f->signer ? FAKE_AUTHID : 0,
	    f->signer);
}

static int
dhcpd_host(struct fake *f, struct omapi_buf *b, const struct omapi_msg *m)
{
	const struct fake_host *h = NULL;
	const uint8_t *name, *mac;
	uint8_t htype[4];
	uint32_t nlen = 0, mlen = 0;
	struct omapi_nv obj[4];
	size_t i, n = 0;

	if (omapi_list_find(&m->object, "hardware-address", &mac, &mlen) == -1)
		mac = NULL;
	if (omapi_list_find(&m->object, "name", &name, &nlen) == -1)
		name = NULL;
	for (i = 0; i < f->nhosts && h == NULL; i++) {
		if (mac != NULL && mlen == 6 &&
		    memcmp(f->hosts[i].mac, mac, 6) == 0)
			h = &f->hosts[i];
		else if (mac == NULL && name != NULL &&
		    strlen(f->hosts[i].name) == nlen &&
		    memcmp(f->hosts[i].name, name, nlen) == 0)
			h = &f->hosts[i];
	}
	if (h == NULL || h->status != 0)
		return dhcpd_status(f, b, m->hdr.tid, h == NULL ?
		    OMAPI_RESULT_NOTFOUND : h->status);
	omapi_put_u32(htype, OMAPI_HTYPE_ETHERNET);
	obj[n++] = (struct omapi_nv){ "name", h->name,
	    (uint32_t)strlen(h->name) };
	obj[n++] = (struct omapi_nv){ "hardware-address", h->mac, 6 };
	obj[n++] = (struct omapi_nv){ "hardware-type", htype, 4 };
	if (memcmp(h->ip, "\0\0\0\0", 4) != 0)
		obj[n++] = (struct omapi_nv){ "ip-address", h->ip, 4 };
	return encode(b, OMAPI_OP_UPDATE, 0x20000u + (uint32_t)(h - f->hosts),
	    m->hdr.tid, NULL, 0, obj, n, f->signer ? FAKE_AUTHID : 0,
	    f->signer);
}

static int
dhcpd_pool(struct fake *f, struct omapi_buf *b, const struct omapi_msg *m)
{
	const struct fake_pool *p = NULL;
	uint8_t cnt[4], fr[4], bk[4];
	struct omapi_nv obj[3];
	size_t i;

	for (i = 0; i < f->npools && p == NULL; i++)
		if (f->pools[i].handle == m->hdr.handle)
			p = &f->pools[i];
	if (p == NULL || p->status != 0)
		return dhcpd_status(f, b, m->hdr.tid, p == NULL ?
		    OMAPI_RESULT_NOTFOUND : p->status);
	omapi_put_u32(cnt, p->lease_count);
	omapi_put_u32(fr, p->free_leases);
	omapi_put_u32(bk, p->backup_leases);
	obj[0] = (struct omapi_nv){ "lease-count", cnt, 4 };
	obj[1] = (struct omapi_nv){ "free-leases", fr, 4 };
	obj[2] = (struct omapi_nv){ "backup-leases", bk, 4 };
	return encode(b, OMAPI_OP_UPDATE, p->handle, m->hdr.tid, NULL, 0, obj,
	    p->no_counts ? 0 : p->no_backup ? 2 : 3,
	    f->signer ? FAKE_AUTHID : 0, f->signer);
}

static int
answer_dhcpd(struct fake *f, struct omapi_buf *b, const struct omapi_msg *m)
{
	const uint8_t *type;
	uint32_t len;

	if (m->hdr.opcode == OMAPI_OP_REFRESH)
		return dhcpd_pool(f, b, m);
	if (m->hdr.opcode != OMAPI_OP_OPEN ||
	    omapi_list_find(&m->message, "type", &type, &len) == -1)
		return dhcpd_status(f, b, m->hdr.tid, OMAPI_RESULT_NOTFOUND);
	if (len == 5 && memcmp(type, "lease", 5) == 0)
		return dhcpd_lease(f, b, m);
	if (len == 4 && memcmp(type, "host", 4) == 0)
		return dhcpd_host(f, b, m);
	return dhcpd_status(f, b, m->hdr.tid, OMAPI_RESULT_NOTFOUND);
}

static int
answer_echo(struct fake *f, struct omapi_buf *b, const struct omapi_msg *m)
{
	uint32_t authid = f->signer ? FAKE_AUTHID : 0;

	if (f->mode == FAKE_ECHO_MIXED && f->answered % 3 == 1)
		return encode_status(b, m->hdr.tid, OMAPI_RESULT_NOTFOUND,
		    FAKE_NOTFOUND_TEXT, 0, NULL);
	if (f->mode == FAKE_ECHO_MIXED && f->answered % 3 == 2)
		return encode_status(b, m->hdr.tid, 0, NULL, 0, NULL);
	return encode_echo_lease(b, m->hdr.tid, authid, f->signer);
}

/* Requests the client has sent that we have read in full, not this one. */
static unsigned
buffered_requests(struct fake *f, int fd)
{
	struct omapi_msg m;
	struct omapi_error err;
	size_t off = 0;
	ssize_t n;
	unsigned k = 0;

	while (f->inlen < sizeof(f->in) && (n = recv(fd, f->in + f->inlen,
	    sizeof(f->in) - f->inlen, MSG_DONTWAIT)) > 0)
		f->inlen += (size_t)n;
	while (omapi_msg_decode(f->in + off, f->inlen - off, sizeof(f->in),
	    &m, &err) == 1) {
		off += m.size;
		k++;
	}
	return k;
}

/* Answer requests until the client goes, the fault says, or stop. */
static void
serve_answers(struct fake *f, int fd)
{
	struct omapi_buf b;
	struct omapi_msg m;
	struct omapi_error err;
	uint8_t *req;
	size_t len;
	unsigned pending;
	uint64_t n;
	int rc;

	if ((req = malloc(sizeof(f->in))) == NULL)
		return;
	omapi_buf_init(&b, 1 << 20);
	while (next_msg(f, fd, 1, req, &len) == 0) {
		if (omapi_msg_decode(req, len, len, &m, &err) != 1)
			break;
		pending = 1 + buffered_requests(f, fd);
		fake_lock(f);
		n = ++f->requests;
		if (m.hdr.opcode <= OMAPI_OP_DELETE)
			f->ops[m.hdr.opcode]++;
		if (pending > f->max_pending)
			f->max_pending = pending;
		if (f->close_at != 0 && n == f->close_at) {
			f->close_at = 0;
			fake_unlock(f);
			break;
		}
		if (f->mute_at != 0 && n >= f->mute_at) {
			fake_unlock(f);
			continue;
		}
		b.len = 0;
		rc = f->mode == FAKE_DHCPD ? answer_dhcpd(f, &b, &m) :
		    answer_echo(f, &b, &m);
		f->answered++;
		if (rc == 0 && f->duplicates > 0) {
			f->duplicates--;
			/* reserve first: it may move b.data */
			rc = omapi_buf_reserve(&b, b.len);
			if (rc == 0) {
				memcpy(b.data + b.len, b.data, b.len);
				b.len *= 2;
			}
		}
		fake_unlock(f);
		if (rc == -1 || send_all(fd, b.data, b.len) == -1)
			break;
	}
	omapi_buf_free(&b);
	free(req);
}

/* The authenticator open, as the test asked for it: 0 to go on. */
static int
serve_auth(struct fake *f, int fd)
{
	struct omapi_buf b;
	struct omapi_msg m;
	struct omapi_error err;
	int rc = -1;

	if (next_msg(f, fd, 1, f->auth_req, &f->auth_req_len) == -1 ||
	    f->auth_req_len > sizeof(f->auth_req))
		return -1;
	omapi_msg_decode(f->auth_req, f->auth_req_len, 65536, &m, &err);
	if (f->auth == FAKE_AUTH_HANGUP) {
		shutdown(fd, SHUT_RDWR);
		return -1;
	}
	if (f->auth == FAKE_AUTH_SILENT)
		return -1;
	omapi_buf_init(&b, 65536);
	if (f->auth == FAKE_AUTH_OK)
		rc = encode(&b, OMAPI_OP_UPDATE, FAKE_AUTHID, m.hdr.tid, NULL,
		    0, NULL, 0, 0, NULL);
	else
		rc = encode_status(&b, m.hdr.tid, OMAPI_RESULT_NOTFOUND,
		    FAKE_NOTFOUND_TEXT, 0, NULL);
	if (rc == 0)
		rc = send_all(fd, b.data, b.len);
	omapi_buf_free(&b);
	return f->auth == FAKE_AUTH_OK ? rc : -1;
}

/* Read and drop whatever comes until the client goes (or stop). */
static void
serve_hold(struct fake *f, int fd)
{
	uint8_t junk[512];

	while (wait_readable(f, fd, 1) == 0 && recv(fd, junk, sizeof(junk),
	    0) > 0)
		;
}

/* One connection: greet, read the client's greeting, authenticate. */
static int
serve_start(struct fake *f, int fd)
{
	size_t got = 0;
	ssize_t n;

	if (f->no_startup && f->mode != FAKE_STEP) {
		serve_hold(f, fd);
		return -1;
	}
	if (!f->no_startup && f->split_startup) {
		if (send_all(fd, f->startup, 3) == -1)
			return -1;
		usleep(30000);
		if (send_all(fd, f->startup + 3, 5) == -1)
			return -1;
	} else if (!f->no_startup && send_all(fd, f->startup, 8) == -1)
		return -1;
	while (got < 8 && wait_readable(f, fd, 1) == 0 &&
	    (n = recv(fd, f->client_startup + got, 8 - got, 0)) > 0)
		got += (size_t)n;
	if (got < 8 || f->no_startup)
		return -1;
	if (f->auth != FAKE_AUTH_NONE)
		return serve_auth(f, fd);
	return 0;
}

/* The server thread: one connection after another, until stopped. */
static void *
fake_main(void *arg)
{
	struct fake *f = arg;
	struct timeval tv = { 10, 0 };
	int fd, one = 1;

	while (wait_readable(f, f->lfd, 1) == 0) {
		if ((fd = accept(f->lfd, NULL, NULL)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		fake_lock(f);
		f->accepted++;
		f->inlen = 0;
		fake_unlock(f);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		/* Small writes must go out at once, not wait on delayed ACKs. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (f->mode == FAKE_STEP) {
			f->sfd = fd;	/* the test's from fake_join on */
			serve_start(f, fd);
			break;
		}
		if (serve_start(f, fd) == 0)
			serve_answers(f, fd);
		close(fd);
	}
	return NULL;
}

struct fake *
fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->lfd = f->sfd = -1;
	f->stopfd[0] = f->stopfd[1] = -1;
	snprintf(f->status_text, sizeof(f->status_text), "simulated failure");
	pthread_mutex_init(&f->mtx, NULL);
	return f;
}

/* Listen on 127.0.0.1 (ephemeral port) and start the server thread. */
void
fake_start(struct fake *f)
{
	static const uint8_t greet[8] = { 0, 0, 0, 100, 0, 0, 0, 24 };
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (f->startup[3] == 0 && f->startup[7] == 0)
		memcpy(f->startup, greet, 8);
	assert_int_equal(pipe2(f->stopfd, O_CLOEXEC), 0);
	assert_true((f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
	    0)) != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(f->lfd, 4), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&sin, &sl), 0);
	f->port = ntohs(sin.sin_port);
	assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
	f->running = 1;
}

/* Wait for the thread: in FAKE_STEP, until the socket is the test's. */
void
fake_join(struct fake *f)
{
	if (f->running) {
		pthread_join(f->th, NULL);
		f->running = 0;
	}
}

void
fake_stop(struct fake *f)
{
	if (f->running)
		(void)!write(f->stopfd[1], "x", 1);
	fake_join(f);
	if (f->sfd != -1)
		close(f->sfd);
	if (f->lfd != -1)
		close(f->lfd);
	if (f->stopfd[0] != -1) {
		close(f->stopfd[0]);
		close(f->stopfd[1]);
	}
	omapi_signer_free(f->signer);
	pthread_mutex_destroy(&f->mtx);
	free(f);
}
