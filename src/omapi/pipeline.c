/*
 * pipeline.c: send n requests on one connection with up to `window` in
 * flight, each reply handed back with its index.  Pool counters and host
 * checks cost one round trip each; pipelining them keeps a poll of 1,000
 * pools to a few tens of milliseconds instead of 1,000 round trips.  Only
 * the public connection API is used, so any client of the library can.
 */
#include <stdlib.h>

#include "omapi.h"

struct pipeline;

struct pipeline_item {
	struct pipeline	*pl;
	size_t		 i;
};

struct pipeline {
	omapi_pipeline_done_fn	*done;
	void			*arg;
	unsigned		 inflight;
};

static void
pipeline_reply(void *arg, const struct omapi_msg *m,
    const struct omapi_error *e)
{
	struct pipeline_item *it = arg;

	it->pl->inflight--;
	it->pl->done(it->pl->arg, it->i, m, e);
}

/*
 * 0 when every request was answered (each answer may still be an error,
 * seen by done), -1 when the connection broke (done has seen every
 * request that was sent; err says why).
 */
int
omapi_pipeline_run(struct omapi_conn *c, size_t n, unsigned window,
    omapi_pipeline_make_fn *make, omapi_pipeline_done_fn *done, void *arg,
    struct omapi_error *err)
{
	struct pipeline pl = { done, arg, 0 };
	struct pipeline_item *items;
	struct omapi_request req;
	size_t sent = 0;
	int rv = 0;

	if (n == 0)
		return 0;
	if ((items = calloc(n, sizeof(*items))) == NULL)
		return omapi_seterr(err, OMAPI_ERR_NOMEM, "out of memory");
	while (rv == 0 && (sent < n || pl.inflight > 0)) {
		/* Refill the window with one write (omapi_conn_cork). */
		omapi_conn_cork(c, 1, NULL);
		while (sent < n && pl.inflight < window &&
		    omapi_conn_can_send(c)) {
			if (omapi_conn_is_broken(c)) {
				rv = omapi_conn_pump(c, 0, err);
				break;
			}
			items[sent].pl = &pl;
			items[sent].i = sent;
			make(arg, sent, &req);
			pl.inflight++;
			if (omapi_conn_send(c, &req, pipeline_reply,
			    &items[sent], err) == -1) {
				/* A send that fails never calls back. */
				if (!omapi_conn_is_broken(c))
					pl.inflight--;
				rv = -1;
				break;
			}
			sent++;
		}
		if (omapi_conn_cork(c, 0, rv == 0 ? err : NULL) == -1)
			rv = -1;
		if (rv == 0 && pl.inflight > 0 &&
		    omapi_conn_pump(c, -1, err) == -1)
			rv = -1;
	}
	/* Stopped with requests in flight: no later reply may reach items. */
	if (pl.inflight > 0)
		omapi_conn_abandon(c, err);
	free(items);
	return rv;
}
