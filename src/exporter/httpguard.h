/*
 * httpguard.h: a deadline for receiving each request.
 *
 * libmicrohttpd's connection timeout counts idle time only, so a client
 * that trickles one byte a second (slow-loris) keeps its connection, and
 * its slot under the connection limit, for as long as it likes.  The
 * guard gives every request a whole-request deadline instead: armed when
 * a connection opens and again after each response on a kept-alive one,
 * disarmed once the request has fully arrived.  A thread looks once a
 * second and shuts down the sockets past their deadline; libmicrohttpd
 * then closes them as it closes any connection the peer dropped.
 */
#ifndef HTTPGUARD_H
#define HTTPGUARD_H

#include <microhttpd.h>

struct http_guard;

/* ---- httpguard.c ---- */
struct http_guard *http_guard_new(unsigned limit_s);
/* Stop the thread and free; after the MHD daemon has stopped. */
void	 http_guard_free(struct http_guard *);
/* From MHD_OPTION_NOTIFY_CONNECTION: track a connection, or forget it. */
void	 http_guard_notify(struct http_guard *, struct MHD_Connection *,
	    void **socket_ctx, enum MHD_ConnectionNotificationCode);
/* Arm (the next request starts now) or disarm (it has arrived). */
void	 http_guard_arm(struct http_guard *, struct MHD_Connection *, int on);

#endif /* HTTPGUARD_H */
