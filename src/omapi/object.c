/*
 * object.c: an owned copy of the object a reply carried, for callers that
 * want a result to keep (omapictl, host checks) rather than a view that
 * lives only as long as a callback.
 */
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

struct omapi_object *
omapi_object_from_msg(const struct omapi_msg *m)
{
	struct omapi_object *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	if ((o->raw = malloc(m->object.len ? m->object.len : 1)) == NULL) {
		free(o);
		return NULL;
	}
	memcpy(o->raw, m->object.data, m->object.len);
	o->opcode = m->hdr.opcode;
	o->handle = m->hdr.handle;
	o->attrs.data = o->raw;
	o->attrs.len = m->object.len;
	return o;
}

void
omapi_object_free(struct omapi_object *o)
{
	if (o == NULL)
		return;
	free(o->raw);
	free(o);
}

int
omapi_object_get(const struct omapi_object *o, const char *name,
    const uint8_t **value, uint32_t *len)
{
	return omapi_list_find(&o->attrs, name, value, len);
}

int
omapi_object_u32(const struct omapi_object *o, const char *name,
    uint32_t *out)
{
	return omapi_list_u32(&o->attrs, name, out);
}

/*
 * Turn a STATUS reply into an error: 0 when its result is success, else -1
 * with the kind of failure and the server's own words.
 */
int
omapi_status_to_error(const struct omapi_msg *m, struct omapi_error *err)
{
	const uint8_t *text = NULL;
	uint32_t result, tlen = 0;
	enum omapi_errcode code;

	if (omapi_list_u32(&m->message, "result", &result) == -1)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "status reply without a result");
	if (result == 0)
		return 0;
	omapi_list_find(&m->message, "message", &text, &tlen);
	switch (result) {
	case OMAPI_RESULT_NOTFOUND:
		code = OMAPI_ERR_NOTFOUND;
		break;
	case OMAPI_RESULT_NOAUTH:
	case OMAPI_RESULT_BADSIG:
		code = OMAPI_ERR_AUTH;
		break;
	default:
		code = OMAPI_ERR_STATUS;
	}
	if (tlen > 0)
		omapi_seterr(err, code, "%.*s", (int)(tlen > 200 ? 200 : tlen),
		    (const char *)text);
	else if (result == OMAPI_RESULT_NOAUTH)
		omapi_seterr(err, code, "server requires a key");
	else if (result == OMAPI_RESULT_BADSIG)
		omapi_seterr(err, code, "server rejected our signature");
	else if (omapi_result_text(result) != NULL)
		omapi_seterr(err, code, "%s", omapi_result_text(result));
	else
		omapi_seterr(err, code, "server status %#x", result);
	err->result = result;
	return -1;
}
