/*
 * httpguard.c: whole-request deadlines for the HTTP server (see
 * web/web_int.h).
 *
 * A socket is shut down, never closed, here: the descriptor stays
 * libmicrohttpd's.  The list is changed and walked under one mutex, and a
 * connection leaves it (MHD_CONNECTION_NOTIFY_CLOSED) before
 * libmicrohttpd closes its descriptor, so a descriptor number is never
 * shut down after it has been reused for another connection.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "web_int.h"

struct http_guarded {
	struct http_guarded	*next;
	struct http_guarded	*prev;
	int			 fd;
	time_t			 deadline;	/* 0: not watched */
};

struct http_guard {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;		/* on CLOCK_MONOTONIC */
	pthread_t		 thread;
	int			 stop;
	unsigned		 limit_s;
	struct http_guarded	*list;
};

static time_t
http_guard_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Once a second: shut down every socket past its deadline. */
static void *
http_guard_run(void *arg)
{
	struct http_guard *g = arg;
	struct http_guarded *e;
	struct timespec ts;
	time_t now;

	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&g->cv, &g->mu, &ts);
		now = http_guard_now();
		for (e = g->list; e != NULL; e = e->next)
			if (e->deadline != 0 && now >= e->deadline) {
				shutdown(e->fd, SHUT_RDWR);
				e->deadline = 0;
			}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct http_guard *
http_guard_new(unsigned limit_s)
{
	struct http_guard *g;
	pthread_condattr_t ca;
	int ok;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->limit_s = limit_s;
	ok = pthread_condattr_init(&ca) == 0;
	ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(&g->cv, &ca) == 0;
	pthread_condattr_destroy(&ca);
	if (!ok || pthread_mutex_init(&g->mu, NULL) != 0) {
		free(g);
		return NULL;
	}
	if (pthread_create(&g->thread, NULL, http_guard_run, g) != 0) {
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->cv);
		free(g);
		return NULL;
	}
	return g;
}

void
http_guard_free(struct http_guard *g)
{
	struct http_guarded *e;

	if (g == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	while ((e = g->list) != NULL) {
		g->list = e->next;
		free(e);
	}
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g);
}

static void
http_guard_add(struct http_guard *g, struct MHD_Connection *c,
    void **socket_ctx)
{
	const union MHD_ConnectionInfo *ci;
	struct http_guarded *e;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL || (e = calloc(1, sizeof(*e))) == NULL)
		return;		/* unguarded: only the idle timeout applies */
	e->fd = ci->connect_fd;
	e->deadline = http_guard_now() + (time_t)g->limit_s;
	e->next = g->list;
	if (g->list != NULL)
		g->list->prev = e;
	g->list = e;
	*socket_ctx = e;
}

static void
http_guard_remove(struct http_guard *g, void **socket_ctx)
{
	struct http_guarded *e = *socket_ctx;

	if (e == NULL)
		return;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		g->list = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	free(e);
	*socket_ctx = NULL;
}

void
http_guard_notify(struct http_guard *g, struct MHD_Connection *c,
    void **socket_ctx, enum MHD_ConnectionNotificationCode code)
{
	pthread_mutex_lock(&g->mu);
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		http_guard_add(g, c, socket_ctx);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		http_guard_remove(g, socket_ctx);
	pthread_mutex_unlock(&g->mu);
}

void
http_guard_arm(struct http_guard *g, struct MHD_Connection *c, int on)
{
	const union MHD_ConnectionInfo *ci;
	struct http_guarded *e;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (e = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	e->deadline = on ? http_guard_now() + (time_t)g->limit_s : 0;
	pthread_mutex_unlock(&g->mu);
}
