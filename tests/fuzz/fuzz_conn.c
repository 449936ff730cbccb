/*
 * fuzz_conn.c: libFuzzer target for the connection.  The input is what a
 * server sends: a thread accepts the connection on 127.0.0.1, writes a
 * valid startup message (unless the input asks to supply its own) and then
 * the input bytes, and closes its side.  The client has a few requests in
 * flight, and its callbacks read the replies and send more, so framing,
 * matching, verification and breaking are all driven by the input.
 *
 * Input: byte 0 flags (bit 0: keyed connection, bit 1: the input supplies
 * the startup message, bits 2-4: requests in flight - 1, bit 5: callbacks
 * send more), byte 1 picks the message size limit, the rest is the stream.
 * No byte of the input reaches any address but 127.0.0.1.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_SENDS	32

struct server {
	int		 lfd;
	uint16_t	 port;
	const uint8_t	*data;
	size_t		 len;
	int		 raw_startup;
};

struct client {
	struct omapi_conn	*c;
	int			 more;
	unsigned		 sent;		/* send returned 0 */
	unsigned		 attempts;	/* send called */
	unsigned		 calls;
	unsigned		 errors;
};

static struct server srv = { -1, 0, NULL, 0, 0 };

static void
send_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/*
 * One connection: greet, send the input, close our sending side, then
 * drain what the client writes until it closes.  Linger 0 makes our close
 * a reset, so no TIME_WAIT piles up over millions of runs.
 */
static void *
server_main(void *arg)
{
	static const uint8_t greet[8] = { 0, 0, 0, 100, 0, 0, 0, 24 };
	struct linger lg = { 1, 0 };
	uint8_t sink[4096];
	int fd, one = 1;

	(void)arg;
	if ((fd = accept(srv.lfd, NULL, NULL)) == -1)
		return NULL;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!srv.raw_startup)
		send_all(fd, greet, sizeof(greet));
	send_all(fd, srv.data, srv.len);
	shutdown(fd, SHUT_WR);
	while (recv(fd, sink, sizeof(sink), 0) > 0)
		;
	close(fd);
	return NULL;
}

static void
listen_once(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (srv.lfd != -1)
		return;
	if ((srv.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		abort();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(srv.lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(srv.lfd, 16) == -1 ||
	    getsockname(srv.lfd, (struct sockaddr *)&sin, &sl) == -1)
		abort();
	srv.port = ntohs(sin.sin_port);
}

static void send_one(struct client *);

/* Look at everything a reply carries, then maybe send another request. */
static void
on_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct client *cl = arg;
	struct omapi_pair p;
	struct omapi_lease lease;
	struct omapi_error err;
	struct omapi_object *o;
	char out[256];
	size_t pos = 0;

	cl->calls++;
	if (e != NULL) {
		if (m != NULL || e->code == OMAPI_OK)
			abort();
		cl->errors++;
		send_one(cl);	/* must fail at once on a broken conn */
		return;
	}
	while (omapi_list_next(&m->object, &pos, &p) == 1)
		omapi_attr_format(&p, pos & 1, out, sizeof(out));
	omapi_lease_decode(&m->object, &lease);
	omapi_status_to_error(m, &err);
	if ((o = omapi_object_from_msg(m)) != NULL)
		omapi_object_free(o);
	if (cl->more)
		send_one(cl);
}

static void
send_one(struct client *cl)
{
	static const uint8_t ip[4] = { 10, 0, 0, 5 };
	struct omapi_nv msg[] = { { "type", "lease", 5 } };
	struct omapi_nv obj[] = { { "ip-address", ip, 4 } };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 1 };
	struct omapi_error err;

	if (cl->attempts >= MAX_SENDS)
		return;
	cl->attempts++;
	if (omapi_conn_send(cl->c, &req, on_reply, cl, &err) == 0)
		cl->sent++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omapi_conn_opts o;
	struct omapi_key key;
	struct omapi_error err;
	struct client cl;
	pthread_t th;
	unsigned i, n;
	int rounds;

	if (size < 2)
		return 0;
	listen_once();
	srv.raw_startup = (data[0] & 2) != 0;
	srv.data = data + 2;
	srv.len = size - 2;
	memset(&o, 0, sizeof(o));
	o.host = "127.0.0.1";
	o.port = srv.port;
	o.connect_timeout_ms = 1000;
	o.io_timeout_ms = 200;
	o.max_msg = 28 + (size_t)data[1] * 32;
	if (data[0] & 1) {
		if (omapi_key_set(&key, "k", "hmac-md5", "c2VjcmV0", &err) == -1)
			abort();
		o.key = &key;
	}
	memset(&cl, 0, sizeof(cl));
	cl.more = (data[0] & 0x20) != 0;
	if (pthread_create(&th, NULL, server_main, NULL) != 0)
		abort();
	if ((cl.c = omapi_conn_open(&o, &err)) != NULL) {
		n = 1 + ((data[0] >> 2) & 7);
		for (i = 0; i < n; i++)
			send_one(&cl);
		/* The server always closes, so this ends with the stream. */
		for (rounds = 0; rounds < 1000 && omapi_conn_inflight(cl.c) > 0;
		    rounds++)
			if (omapi_conn_pump(cl.c, 500, &err) == -1)
				break;
		if (omapi_conn_is_broken(cl.c) && omapi_conn_inflight(cl.c))
			abort();	/* a broken conn fails everything */
		/*
		 * Every queued request is answered at most once.  A send that
		 * fails after queueing (the write broke the connection) has
		 * had its callback already, so it counts as an attempt.
		 */
		if (cl.calls + omapi_conn_inflight(cl.c) < cl.sent ||
		    cl.calls + omapi_conn_inflight(cl.c) > cl.attempts)
			abort();
		omapi_conn_close(cl.c);
	} else if (err.code == OMAPI_OK)
		abort();
	pthread_join(th, NULL);
	return 0;
}
