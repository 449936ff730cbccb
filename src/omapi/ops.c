/*
 * ops.c: the operations pypureomapi and dhcpctl offer a client, each a
 * short composition of open, refresh, update and delete.
 */
#include <string.h>

#include "omapi.h"

static const uint8_t true_u32[4] = { 0, 0, 0, 1 };

/*
 * Open (look up, or with create, make) an object of a type, identified by
 * the attributes in keys.  *out is the object with its handle.
 */
int
omapi_open_object(struct omapi_conn *c, const char *type,
    const struct omapi_nv *keys, size_t nkeys, int create, int exclusive,
    struct omapi_object **out, struct omapi_error *err)
{
	struct omapi_nv msg[3];
	struct omapi_request req;
	size_t n = 0;

	msg[n++] = (struct omapi_nv){ "type", type, (uint32_t)strlen(type) };
	if (create)
		msg[n++] = (struct omapi_nv){ "create", true_u32, 4 };
	if (exclusive)
		msg[n++] = (struct omapi_nv){ "exclusive", true_u32, 4 };
	memset(&req, 0, sizeof(req));
	req.opcode = OMAPI_OP_OPEN;
	req.msg = msg;
	req.nmsg = n;
	req.obj = keys;
	req.nobj = nkeys;
	return omapi_call(c, &req, out, err);
}

/* Ask the server for an object's current attributes by handle. */
int
omapi_refresh_object(struct omapi_conn *c, uint32_t handle,
    struct omapi_object **out, struct omapi_error *err)
{
	struct omapi_request req;

	memset(&req, 0, sizeof(req));
	req.opcode = OMAPI_OP_REFRESH;
	req.handle = handle;
	return omapi_call(c, &req, out, err);
}

/* Change attributes of an object by handle. */
int
omapi_update_object(struct omapi_conn *c, uint32_t handle,
    const struct omapi_nv *values, size_t n, struct omapi_object **out,
    struct omapi_error *err)
{
	struct omapi_request req;

	memset(&req, 0, sizeof(req));
	req.opcode = OMAPI_OP_UPDATE;
	req.handle = handle;
	req.obj = values;
	req.nobj = n;
	return omapi_call(c, &req, out, err);
}

int
omapi_delete_object(struct omapi_conn *c, uint32_t handle,
    struct omapi_error *err)
{
	struct omapi_request req;

	memset(&req, 0, sizeof(req));
	req.opcode = OMAPI_OP_DELETE;
	req.handle = handle;
	return omapi_call(c, &req, NULL, err);
}

/* Look up an object of a type by one attribute. */
static int
open_by(struct omapi_conn *c, const char *type, const char *name,
    const void *value, size_t len, struct omapi_object **out,
    struct omapi_error *err)
{
	struct omapi_nv key = { name, value, (uint32_t)len };

	return omapi_open_object(c, type, &key, 1, 0, 0, out, err);
}

/* Look up an object of a type by hardware address and type. */
static int
open_by_hw(struct omapi_conn *c, const char *type, const uint8_t *hw,
    size_t len, uint32_t htype, struct omapi_object **out,
    struct omapi_error *err)
{
	uint8_t ht[4];
	struct omapi_nv keys[] = {
		{ "hardware-address", hw, (uint32_t)len },
		{ "hardware-type", ht, 4 },
	};

	omapi_put_u32(ht, htype);
	return omapi_open_object(c, type, keys, 2, 0, 0, out, err);
}

int
omapi_lease_by_ip(struct omapi_conn *c, const uint8_t ip[4],
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "lease", "ip-address", ip, 4, out, err);
}

int
omapi_lease_by_hw(struct omapi_conn *c, const uint8_t *hw, size_t len,
    uint32_t htype, struct omapi_object **out, struct omapi_error *err)
{
	return open_by_hw(c, "lease", hw, len, htype, out, err);
}

int
omapi_lease_by_client_id(struct omapi_conn *c, const uint8_t *id, size_t len,
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "lease", "dhcp-client-identifier", id, len, out, err);
}

int
omapi_host_by_name(struct omapi_conn *c, const char *name,
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "host", "name", name, strlen(name), out, err);
}

int
omapi_host_by_hw(struct omapi_conn *c, const uint8_t *hw, size_t len,
    uint32_t htype, struct omapi_object **out, struct omapi_error *err)
{
	return open_by_hw(c, "host", hw, len, htype, out, err);
}

int
omapi_host_by_ip(struct omapi_conn *c, const uint8_t ip[4],
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "host", "ip-address", ip, 4, out, err);
}

int
omapi_host_by_client_id(struct omapi_conn *c, const uint8_t *id, size_t len,
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "host", "dhcp-client-identifier", id, len, out, err);
}

/*
 * Create a host; the server refuses one whose name or MAC exists.  A name
 * dhcpd could not keep across a restart is refused before anything is
 * sent (hostname.c).
 */
int
omapi_host_create(struct omapi_conn *c, const struct omapi_host_spec *h,
    struct omapi_object **out, struct omapi_error *err)
{
	struct omapi_nv obj[7];
	uint8_t ht[4];
	size_t n = 0;

	if (omapi_host_name_check(h->name, err) == -1)
		return -1;
	obj[n++] = (struct omapi_nv){ "name", h->name,
	    (uint32_t)strlen(h->name) };
	if (h->hw != NULL) {
		omapi_put_u32(ht, h->htype ? h->htype : OMAPI_HTYPE_ETHERNET);
		obj[n++] = (struct omapi_nv){ "hardware-address", h->hw,
		    (uint32_t)h->hwlen };
		obj[n++] = (struct omapi_nv){ "hardware-type", ht, 4 };
	}
	if (h->ip != NULL)
		obj[n++] = (struct omapi_nv){ "ip-address", h->ip, 4 };
	if (h->client_id != NULL)
		obj[n++] = (struct omapi_nv){ "dhcp-client-identifier",
		    h->client_id, (uint32_t)h->client_id_len };
	if (h->statements != NULL)
		obj[n++] = (struct omapi_nv){ "statements", h->statements,
		    (uint32_t)strlen(h->statements) };
	if (h->group != NULL)
		obj[n++] = (struct omapi_nv){ "group", h->group,
		    (uint32_t)strlen(h->group) };
	return omapi_open_object(c, "host", obj, n, 1, 1, out, err);
}

/* Delete a host found by one of the lookups. */
int
omapi_host_delete(struct omapi_conn *c, const struct omapi_object *host,
    struct omapi_error *err)
{
	if (host->handle == 0)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "host object has no handle");
	return omapi_delete_object(c, host->handle, err);
}

int
omapi_group_create(struct omapi_conn *c, const char *name,
    const char *statements, struct omapi_object **out,
    struct omapi_error *err)
{
	struct omapi_nv obj[] = {
		{ "name", name, (uint32_t)strlen(name) },
		{ "statements", statements, (uint32_t)strlen(statements) },
	};

	return omapi_open_object(c, "group", obj, 2, 1, 1, out, err);
}

/*
 * A pool cannot be looked up by key, but every lease carries its pool's
 * handle, and refreshing that handle returns the whole pool's counters.
 */
int
omapi_pool_counters(struct omapi_conn *c, uint32_t handle,
    struct omapi_pool_counters *pc, struct omapi_error *err)
{
	struct omapi_object *o;
	int rv = 0;

	if (omapi_refresh_object(c, handle, &o, err) == -1)
		return -1;
	memset(pc, 0, sizeof(*pc));
	pc->handle = handle;
	if (omapi_object_u32(o, "lease-count", &pc->lease_count) == -1 ||
	    omapi_object_u32(o, "free-leases", &pc->free_leases) == -1)
		rv = omapi_seterr(err, OMAPI_ERR_PROTOCOL, "object %u is not "
		    "a pool: no lease-count or free-leases", handle);
	omapi_object_u32(o, "backup-leases", &pc->backup_leases);
	omapi_object_free(o);
	return rv;
}

/* The counters of the pool that holds the address ip. */
int
omapi_pool_of_ip(struct omapi_conn *c, const uint8_t ip[4],
    struct omapi_pool_counters *pc, struct omapi_error *err)
{
	struct omapi_object *lease;
	uint32_t handle;

	if (omapi_lease_by_ip(c, ip, &lease, err) == -1)
		return -1;
	if (omapi_object_u32(lease, "pool", &handle) == -1 || handle == 0) {
		omapi_object_free(lease);
		return omapi_seterr(err, OMAPI_ERR_NOTFOUND,
		    "lease has no pool");
	}
	omapi_object_free(lease);
	return omapi_pool_counters(c, handle, pc, err);
}

int
omapi_failover_by_name(struct omapi_conn *c, const char *name,
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "failover-state", "name", name, strlen(name), out,
	    err);
}

/*
 * Set a failover peer's local-state (the only attribute dhcpd lets a
 * client write there), then read the peer back: *out, when out is not
 * NULL, is the peer as dhcpd holds it afterwards.  ISC documents state 4,
 * partner-down, for taking over when the peer is known to be down.
 */
int
omapi_failover_set_state(struct omapi_conn *c,
    const struct omapi_object *peer, uint32_t state,
    struct omapi_object **out, struct omapi_error *err)
{
	uint8_t v[4];
	struct omapi_nv nv = { "local-state", v, 4 };

	if (peer->handle == 0)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "failover object has no handle");
	omapi_put_u32(v, state);
	if (omapi_update_object(c, peer->handle, &nv, 1, NULL, err) == -1)
		return -1;
	if (out == NULL)
		return 0;
	return omapi_refresh_object(c, peer->handle, out, err);
}

int
omapi_class_by_name(struct omapi_conn *c, const char *name,
    struct omapi_object **out, struct omapi_error *err)
{
	return open_by(c, "class", "name", name, strlen(name), out, err);
}
