/*
 * call.c: one request and its reply, synchronously, on a connection that
 * may also have other requests in flight.
 */
#include <string.h>

#include "omapi.h"

struct call_wait {
	int			 done;
	int			 rc;
	struct omapi_object	*obj;
	struct omapi_error	 err;
};

static void
call_reply(void *arg, const struct omapi_msg *m, const struct omapi_error *e)
{
	struct call_wait *w = arg;

	w->done = 1;
	w->rc = -1;
	if (e != NULL) {
		w->err = *e;
		return;
	}
	if (m->hdr.opcode == OMAPI_OP_STATUS &&
	    omapi_status_to_error(m, &w->err) == -1)
		return;
	if ((w->obj = omapi_object_from_msg(m)) == NULL) {
		omapi_seterr(&w->err, OMAPI_ERR_NOMEM, "out of memory");
		return;
	}
	w->rc = 0;
}

/*
 * Send req and wait for its reply.  On success *out (if out is not NULL)
 * is the reply's object, which the caller frees; a STATUS reply with a
 * failing result is an error.
 */
int
omapi_call(struct omapi_conn *c, const struct omapi_request *req,
    struct omapi_object **out, struct omapi_error *err)
{
	struct call_wait w;

	memset(&w, 0, sizeof(w));
	if (out)
		*out = NULL;
	if (omapi_conn_send(c, req, call_reply, &w, err) == -1)
		return -1;
	while (!w.done)
		if (omapi_conn_pump(c, -1, NULL) == -1 && !w.done)
			break;
	if (!w.done)	/* cannot happen: a broken conn runs every callback */
		return omapi_seterr(err, OMAPI_ERR_CONNECTION, "lost request");
	if (w.rc == -1) {
		if (err)
			*err = w.err;
		return -1;
	}
	if (out)
		*out = w.obj;
	else
		omapi_object_free(w.obj);
	return 0;
}
