/*
 * wire.c: the OMAPI wire codec.  Pure functions: no I/O, and decoding
 * allocates nothing; a decoded message is a set of views into the caller's
 * bytes.  Every read is bounds-checked; malformed input is rejected with
 * OMAPI_ERR_PROTOCOL, never trusted.
 *
 * A message is six big-endian u32 (authid, authlen, opcode, handle, tid,
 * rid), a name/value list for the message, one for the object, then authlen
 * bytes of signature.  Names carry a u16 length, values a u32 length; a list
 * ends with a zero-length name.
 */
#include <string.h>

#include "omapi.h"

/* A read cursor over bytes we have so far. */
struct cursor {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

static uint16_t
get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Does the cursor hold n more bytes? */
static int
cursor_has(const struct cursor *c, size_t n)
{
	return c->len - c->off >= n;
}

int
omapi_startup_encode(struct omapi_buf *b)
{
	if (omapi_buf_add_u32(b, OMAPI_PROTOCOL_VERSION) == -1 ||
	    omapi_buf_add_u32(b, OMAPI_HEADER_SIZE) == -1)
		return -1;
	return 0;
}

/* 1: a valid startup message of 8 bytes, 0: need more, -1: bad. */
int
omapi_startup_decode(const uint8_t *p, size_t len, struct omapi_error *err)
{
	uint32_t version, hsize;

	if (len < 8)
		return 0;
	version = omapi_get_u32(p);
	hsize = omapi_get_u32(p + 4);
	if (version != OMAPI_PROTOCOL_VERSION)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "server speaks OMAPI protocol version %u, not %u",
		    version, OMAPI_PROTOCOL_VERSION);
	if (hsize != OMAPI_HEADER_SIZE)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "server uses a %u-byte message header, not %u",
		    hsize, OMAPI_HEADER_SIZE);
	return 1;
}

/* Append one list (pairs plus end marker). */
static int
encode_list(struct omapi_buf *b, const struct omapi_nv *nv, size_t n,
    struct omapi_error *err)
{
	size_t i, namelen;

	for (i = 0; i < n; i++) {
		namelen = strlen(nv[i].name);
		if (namelen == 0 || namelen > UINT16_MAX)
			return omapi_seterr(err, OMAPI_ERR_INVALID,
			    "attribute name must be 1 to 65535 bytes");
		if (nv[i].len > 0 && nv[i].value == NULL)
			return omapi_seterr(err, OMAPI_ERR_INVALID,
			    "attribute '%s' has a length but no value",
			    nv[i].name);
		if (omapi_buf_add_u16(b, (uint16_t)namelen) == -1 ||
		    omapi_buf_add(b, nv[i].name, namelen) == -1 ||
		    omapi_buf_add_u32(b, nv[i].len) == -1 ||
		    omapi_buf_add(b, nv[i].value, nv[i].len) == -1)
			return omapi_seterr(err, OMAPI_ERR_INVALID,
			    "message larger than %zu bytes", b->max);
	}
	if (omapi_buf_add_u16(b, 0) == -1)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "message larger than %zu bytes", b->max);
	return 0;
}

/*
 * Append a message for req to b, with authlen zero bytes where the signature
 * goes; the signer fills them in (see conn.c).  On failure b keeps its old
 * length.
 */
int
omapi_msg_encode(struct omapi_buf *b, const struct omapi_request *req,
    uint32_t authid, uint32_t authlen, uint32_t tid, struct omapi_error *err)
{
	static const uint8_t zeros[OMAPI_MAX_SIG];
	size_t start = b->len;

	if (authlen > OMAPI_MAX_SIG)
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "signature length %u too large", authlen);
	if (omapi_buf_add_u32(b, authid) == -1 ||
	    omapi_buf_add_u32(b, authlen) == -1 ||
	    omapi_buf_add_u32(b, req->opcode) == -1 ||
	    omapi_buf_add_u32(b, req->handle) == -1 ||
	    omapi_buf_add_u32(b, tid) == -1 ||
	    omapi_buf_add_u32(b, req->rid) == -1) {
		omapi_seterr(err, OMAPI_ERR_INVALID,
		    "message larger than %zu bytes", b->max);
		goto fail;
	}
	if (encode_list(b, req->msg, req->nmsg, err) == -1 ||
	    encode_list(b, req->obj, req->nobj, err) == -1)
		goto fail;
	if (omapi_buf_add(b, zeros, authlen) == -1) {
		omapi_seterr(err, OMAPI_ERR_INVALID,
		    "message larger than %zu bytes", b->max);
		goto fail;
	}
	return 0;
fail:
	b->len = start;
	return -1;
}

/*
 * Walk one list at the cursor.  1: complete, 0: need more bytes, -1: bad.
 * max bounds the whole message so a huge length is refused at once rather
 * than waited for.
 */
static int
decode_list(struct cursor *c, size_t max, struct omapi_list *out,
    struct omapi_error *err)
{
	size_t start = c->off;
	uint16_t namelen;
	uint32_t vlen;

	for (;;) {
		if (!cursor_has(c, 2))
			return 0;
		namelen = get_u16(c->p + c->off);
		c->off += 2;
		if (namelen == 0)
			break;
		if (c->off + namelen + 4 > max)
			goto toobig;
		if (!cursor_has(c, (size_t)namelen + 4))
			return 0;
		vlen = omapi_get_u32(c->p + c->off + namelen);
		c->off += (size_t)namelen + 4;
		if (vlen > max || c->off + vlen > max)
			goto toobig;
		if (!cursor_has(c, vlen))
			return 0;
		c->off += vlen;
	}
	out->data = c->p + start;
	out->len = c->off - start;
	return 1;
toobig:
	return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
	    "message larger than the %zu-byte limit", max);
}

/*
 * Decode one message from the front of p.  1: m describes a complete message
 * of m->size bytes, 0: more bytes are needed, -1: the bytes are not a valid
 * message (err says why).
 */
int
omapi_msg_decode(const uint8_t *p, size_t len, size_t max,
    struct omapi_msg *m, struct omapi_error *err)
{
	struct cursor c = { p, len, 0 };
	struct omapi_header *h = &m->hdr;
	int rc;

	if (max < OMAPI_HEADER_SIZE + 4)
		max = OMAPI_HEADER_SIZE + 4;
	if (len < OMAPI_HEADER_SIZE)
		return 0;
	h->authid = omapi_get_u32(p);
	h->authlen = omapi_get_u32(p + 4);
	h->opcode = omapi_get_u32(p + 8);
	h->handle = omapi_get_u32(p + 12);
	h->tid = omapi_get_u32(p + 16);
	h->rid = omapi_get_u32(p + 20);
	if (h->opcode < OMAPI_OP_OPEN || h->opcode > OMAPI_OP_DELETE)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "unknown opcode %u", h->opcode);
	if (h->authlen > OMAPI_MAX_SIG)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "signature length %u exceeds %d", h->authlen,
		    OMAPI_MAX_SIG);
	c.off = OMAPI_HEADER_SIZE;
	if ((rc = decode_list(&c, max, &m->message, err)) != 1)
		return rc;
	if ((rc = decode_list(&c, max, &m->object, err)) != 1)
		return rc;
	if (c.off + h->authlen > max)
		return omapi_seterr(err, OMAPI_ERR_PROTOCOL,
		    "message larger than the %zu-byte limit", max);
	if (!cursor_has(&c, h->authlen))
		return 0;
	m->signed_data = p + 4;
	m->signed_len = c.off - 4;
	m->sig = p + c.off;
	m->size = c.off + h->authlen;
	return 1;
}

/*
 * Step through a validated list: 1 and the next pair, or 0 at its end.
 * *pos starts at 0.  Bounds are checked again so a list that was not
 * validated can do no harm either.
 */
int
omapi_list_next(const struct omapi_list *l, size_t *pos,
    struct omapi_pair *pair)
{
	const uint8_t *p = l->data;
	size_t off = *pos;
	uint16_t namelen;
	uint32_t vlen;

	if (l->len < 2 || off > l->len - 2)
		return 0;
	namelen = get_u16(p + off);
	if (namelen == 0 || l->len - off - 2 < (size_t)namelen + 4)
		return 0;
	vlen = omapi_get_u32(p + off + 2 + namelen);
	if (l->len - off - 6 - namelen < vlen)
		return 0;
	pair->name = p + off + 2;
	pair->namelen = namelen;
	pair->value = p + off + 6 + namelen;
	pair->len = vlen;
	*pos = off + 6 + namelen + vlen;
	return 1;
}

/* Find a pair by name: 0 and its value, or -1 when absent. */
int
omapi_list_find(const struct omapi_list *l, const char *name,
    const uint8_t **value, uint32_t *len)
{
	struct omapi_pair pair;
	size_t pos = 0, namelen = strlen(name);

	while (omapi_list_next(l, &pos, &pair) == 1) {
		if (pair.namelen == namelen &&
		    memcmp(pair.name, name, namelen) == 0) {
			*value = pair.value;
			*len = pair.len;
			return 0;
		}
	}
	return -1;
}

/* A u32 attribute: 0 and its value, or -1 when absent or not 4 bytes. */
int
omapi_list_u32(const struct omapi_list *l, const char *name, uint32_t *out)
{
	const uint8_t *v;
	uint32_t len;

	if (omapi_list_find(l, name, &v, &len) == -1 || len != 4)
		return -1;
	*out = omapi_get_u32(v);
	return 0;
}
