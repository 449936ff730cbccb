/*
 * open.c: a connection ready for requests: connected and greeted by
 * conn.c, then, with a key, authenticated with a request of its own
 * (call.c).  Above both, so that neither calls the other back.
 */
#include <string.h>

#include "omapi.h"
#include "omapi_int.h"

/*
 * Open an authenticator object for the key; its handle is our authid.
 * dhcpd answers an unknown key name (or a known name with another
 * algorithm) with "no object matches": that is an authentication failure
 * here, not a missing object.
 */
static int
open_authenticate(struct omapi_conn *c, const struct omapi_key *key,
    struct omapi_error *err)
{
	const char *wire = omapi_alg_wire_name(key->alg);
	struct omapi_nv msg[] = {
		{ "type", "authenticator", 13 },
	};
	struct omapi_nv obj[] = {
		{ "name", key->name, (uint32_t)strlen(key->name) },
		{ "algorithm", wire, wire ? (uint32_t)strlen(wire) : 0 },
	};
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 2 };
	struct omapi_signer *signer;
	struct omapi_object *o;
	uint32_t authid;

	if (wire == NULL)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "key has no algorithm");
	if (omapi_call(c, &req, &o, err) == -1) {
		if (err->result != 0)	/* a STATUS answer, not a failure */
			omapi_seterr(err, OMAPI_ERR_AUTH, "server refused key "
			    "'%s' (%s): unknown name or other algorithm",
			    key->name, omapi_alg_name(key->alg));
		return -1;
	}
	if (o->opcode != OMAPI_OP_UPDATE || o->handle == 0) {
		omapi_object_free(o);
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL, "authenticator "
		    "open answered without a handle");
	}
	authid = o->handle;
	omapi_object_free(o);
	if ((signer = omapi_signer_new(key, err)) == NULL)
		return -1;
	conn_set_auth(c, authid, signer);
	return 0;
}

/*
 * Connect, exchange startup messages and, with a key, authenticate.  The
 * returned connection is ready for requests; NULL and err on failure.
 */
struct omapi_conn *
omapi_conn_open(const struct omapi_conn_opts *o, struct omapi_error *err)
{
	struct omapi_conn *c;

	if ((c = conn_connect(o, err)) == NULL)
		return NULL;
	if (o->key != NULL && o->key->alg != OMAPI_ALG_NONE &&
	    open_authenticate(c, o->key, err) == -1) {
		omapi_conn_close(c);
		return NULL;
	}
	return c;
}
