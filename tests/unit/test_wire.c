/*
 * test_wire.c: the OMAPI codec.  Golden bytes come from pypureomapi
 * (tests/unit/gen_vectors.py writes vectors/wire_vectors.h); the decoder is
 * driven with every prefix and every one-byte corruption of valid messages,
 * hostile lengths and seeded random garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "omapi.h"
#include "vectors/wire_vectors.h"

static const uint8_t one_u32[4] = { 0, 0, 0, 1 };
static const uint8_t ip_10_0_0_5[4] = { 10, 0, 0, 5 };
static const uint8_t ip_10_0_0_9[4] = { 10, 0, 0, 9 };
static const uint8_t mac1[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };

/* xorshift32: a fixed, seeded stream so failures reproduce. */
static uint32_t
rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Encode req with our codec into a fresh buffer and compare with want. */
static void
assert_encodes_to(const struct omapi_request *req, uint32_t tid,
    const uint8_t *want, size_t wantlen)
{
	struct omapi_buf b;
	struct omapi_error err;

	omapi_buf_init(&b, OMAPI_DEFAULT_MAX_MSG);
	assert_int_equal(omapi_msg_encode(&b, req, 0, 0, tid, &err), 0);
	assert_int_equal(b.len, wantlen);
	assert_memory_equal(b.data, want, wantlen);
	omapi_buf_free(&b);
}

static void
test_encode_lease_open_ip(void **state)
{
	struct omapi_nv msg[] = { { "type", "lease", 5 } };
	struct omapi_nv obj[] = { { "ip-address", ip_10_0_0_5, 4 } };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 1 };

	assert_encodes_to(&req, 1, vec_lease_open_ip, sizeof(vec_lease_open_ip));
}

static void
test_encode_host_create(void **state)
{
	uint8_t htype[4] = { 0, 0, 0, 1 };
	struct omapi_nv msg[] = {
		{ "type", "host", 4 },
		{ "create", one_u32, 4 },
		{ "exclusive", one_u32, 4 },
	};
	struct omapi_nv obj[] = {
		{ "name", "testhost", 8 },
		{ "hardware-address", mac1, 6 },
		{ "hardware-type", htype, 4 },
		{ "ip-address", ip_10_0_0_9, 4 },
	};
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 3, obj, 4 };

	assert_encodes_to(&req, 2, vec_host_create, sizeof(vec_host_create));
}

static void
test_encode_refresh(void **state)
{
	struct omapi_request req = { OMAPI_OP_REFRESH, 0x1234, 0, NULL, 0,
	    NULL, 0 };

	assert_encodes_to(&req, 3, vec_refresh, sizeof(vec_refresh));
}

static void
test_encode_delete(void **state)
{
	struct omapi_request req = { OMAPI_OP_DELETE, 0x55, 0, NULL, 0,
	    NULL, 0 };

	assert_encodes_to(&req, 4, vec_delete, sizeof(vec_delete));
}

static void
test_encode_auth_open(void **state)
{
	const char *wire = omapi_alg_wire_name(OMAPI_ALG_HMAC_MD5);
	struct omapi_nv msg[] = { { "type", "authenticator", 13 } };
	struct omapi_nv obj[] = {
		{ "name", VEC_KEY_NAME, sizeof(VEC_KEY_NAME) - 1 },
		{ "algorithm", wire, (uint32_t)strlen(wire) },
	};
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 2 };

	assert_encodes_to(&req, 1, vec_auth_open, sizeof(vec_auth_open));
}

static void
test_startup(void **state)
{
	static const uint8_t want[8] = { 0, 0, 0, 100, 0, 0, 0, 24 };
	uint8_t bad[8];
	struct omapi_buf b;
	struct omapi_error err;
	size_t i;

	omapi_buf_init(&b, 64);
	assert_int_equal(omapi_startup_encode(&b), 0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, want, 8);
	omapi_buf_free(&b);
	for (i = 0; i < 8; i++)
		assert_int_equal(omapi_startup_decode(want, i, &err), 0);
	assert_int_equal(omapi_startup_decode(want, 8, &err), 1);
	memcpy(bad, want, 8);
	bad[3] = 99;
	assert_int_equal(omapi_startup_decode(bad, 8, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	assert_non_null(strstr(err.text, "version 99"));
	memcpy(bad, want, 8);
	bad[7] = 28;
	assert_int_equal(omapi_startup_decode(bad, 8, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
}

/* Sign an encoded message in place, as conn.c does. */
static void
sign_in_place(struct omapi_buf *b, enum omapi_alg alg)
{
	struct omapi_key key;
	struct omapi_signer *s;
	struct omapi_error err;
	size_t siglen;

	assert_int_equal(omapi_key_set(&key, VEC_KEY_NAME, omapi_alg_name(alg),
	    VEC_KEY_B64, &err), 0);
	assert_non_null(s = omapi_signer_new(&key, &err));
	siglen = omapi_signer_len(s);
	assert_int_equal(omapi_signer_sign(s, b->data + 4, b->len - 4 - siglen,
	    b->data + b->len - siglen), 0);
	omapi_signer_free(s);
	omapi_key_wipe(&key);
}

static void
check_signed(enum omapi_alg alg, const uint8_t *want, size_t wantlen)
{
	struct omapi_nv msg[] = { { "type", "lease", 5 } };
	struct omapi_nv obj[] = { { "ip-address", ip_10_0_0_5, 4 } };
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, msg, 1, obj, 1 };
	struct omapi_key key;
	struct omapi_signer *s;
	struct omapi_buf b;
	struct omapi_error err;
	struct omapi_msg m;

	omapi_buf_init(&b, OMAPI_DEFAULT_MAX_MSG);
	assert_int_equal(omapi_msg_encode(&b, &req, VEC_AUTHID,
	    (uint32_t)omapi_alg_siglen(alg), 5, &err), 0);
	sign_in_place(&b, alg);
	assert_int_equal(b.len, wantlen);
	assert_memory_equal(b.data, want, wantlen);

	/* And the decoder hands the verifier exactly the signed bytes. */
	assert_int_equal(omapi_msg_decode(want, wantlen, 65536, &m, &err), 1);
	assert_int_equal(m.hdr.authid, VEC_AUTHID);
	assert_int_equal(m.hdr.authlen, omapi_alg_siglen(alg));
	assert_ptr_equal(m.signed_data, want + 4);
	assert_int_equal(m.signed_len, wantlen - 4 - m.hdr.authlen);
	assert_ptr_equal(m.sig, want + wantlen - m.hdr.authlen);
	assert_int_equal(omapi_key_set(&key, VEC_KEY_NAME, omapi_alg_name(alg),
	    VEC_KEY_B64, &err), 0);
	assert_non_null(s = omapi_signer_new(&key, &err));
	assert_int_equal(omapi_signer_verify(s, m.signed_data, m.signed_len,
	    m.sig, m.hdr.authlen), 0);
	omapi_signer_free(s);
	omapi_buf_free(&b);
}

static void
test_signed_md5_matches_pypureomapi(void **state)
{
	check_signed(OMAPI_ALG_HMAC_MD5, vec_lease_open_md5,
	    sizeof(vec_lease_open_md5));
}

static void
test_signed_sha256(void **state)
{
	check_signed(OMAPI_ALG_HMAC_SHA256, vec_lease_open_sha256,
	    sizeof(vec_lease_open_sha256));
}

static void
test_encode_with_rid(void **state)
{
	struct omapi_request req = { OMAPI_OP_STATUS, 9, 0xdeadbeef, NULL, 0,
	    NULL, 0 };
	struct omapi_buf b;
	struct omapi_error err;
	struct omapi_msg m;

	omapi_buf_init(&b, 1024);
	assert_int_equal(omapi_msg_encode(&b, &req, 3, 16, 0x01020304, &err),
	    0);
	assert_int_equal(b.len, 24 + 2 + 2 + 16);
	assert_int_equal(omapi_msg_decode(b.data, b.len, 1024, &m, &err), 1);
	assert_int_equal(m.hdr.authid, 3);
	assert_int_equal(m.hdr.authlen, 16);
	assert_int_equal(m.hdr.opcode, OMAPI_OP_STATUS);
	assert_int_equal(m.hdr.handle, 9);
	assert_int_equal(m.hdr.tid, 0x01020304);
	assert_int_equal(m.hdr.rid, 0xdeadbeef);
	omapi_buf_free(&b);
}

/* Expected attributes of vec_lease_reply, in order. */
static const char *const reply_names[] = {
	"state", "ip-address", "dhcp-client-identifier", "client-hostname",
	"subnet", "pool", "hardware-address", "hardware-type", "ends", "tstp",
	"tsfp", "atsfp", "cltt", "flags", "starts",
};

static void
test_decode_lease_reply(void **state)
{
	struct omapi_msg m;
	struct omapi_error err;
	struct omapi_pair pair;
	struct omapi_lease l;
	const uint8_t *v;
	uint32_t len, u;
	size_t pos = 0, n = 0;

	assert_int_equal(omapi_msg_decode(vec_lease_reply,
	    sizeof(vec_lease_reply), OMAPI_DEFAULT_MAX_MSG, &m, &err), 1);
	assert_int_equal(m.size, sizeof(vec_lease_reply));
	assert_int_equal(m.hdr.opcode, OMAPI_OP_UPDATE);
	assert_int_equal(m.hdr.handle, 0x2a);
	assert_int_equal(m.hdr.tid, 0x40000001);
	assert_int_equal(m.hdr.rid, 1);
	assert_int_equal(m.hdr.authlen, 0);
	assert_int_equal(m.message.len, 2);
	assert_int_equal(omapi_list_next(&m.message, &pos, &pair), 0);
	pos = 0;
	while (omapi_list_next(&m.object, &pos, &pair) == 1) {
		assert_true(n < sizeof(reply_names) / sizeof(reply_names[0]));
		assert_int_equal(pair.namelen, strlen(reply_names[n]));
		assert_memory_equal(pair.name, reply_names[n], pair.namelen);
		n++;
	}
	assert_int_equal(n, sizeof(reply_names) / sizeof(reply_names[0]));
	assert_int_equal(pos + 2, m.object.len);

	assert_int_equal(omapi_list_u32(&m.object, "state", &u), 0);
	assert_int_equal(u, 2);
	assert_int_equal(omapi_list_u32(&m.object, "ends", &u), 0);
	assert_int_equal(u, 1893456000u);
	assert_int_equal(omapi_list_find(&m.object, "client-hostname", &v,
	    &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(v, "laptop-7", 8);
	/* flags is one byte: not a u32. */
	assert_int_equal(omapi_list_u32(&m.object, "flags", &u), -1);
	assert_int_equal(omapi_list_find(&m.object, "nope", &v, &len), -1);
	/* Prefix names do not match. */
	assert_int_equal(omapi_list_find(&m.object, "stat", &v, &len), -1);
	assert_int_equal(omapi_list_find(&m.object, "states", &v, &len), -1);

	assert_int_equal(omapi_lease_decode(&m.object, &l), 0);
	assert_int_equal(l.state, OMAPI_LEASE_ACTIVE);
	assert_memory_equal(l.ip, ip_10_0_0_5, 4);
	assert_int_equal(l.ends, 1893456000u);
	assert_int_equal(l.starts, 1700000000u);
	assert_int_equal(l.cltt, 1700000000u);
	assert_int_equal(l.pool, 0x0c);
	assert_int_equal(l.subnet, 0x0b);
	assert_int_equal(l.htype, 1);
	assert_int_equal(l.hwlen, 6);
	assert_memory_equal(l.hw, mac1, 6);
	assert_int_equal(l.flags, 0);
}

static void
test_decode_status(void **state)
{
	struct omapi_msg m;
	struct omapi_error err;
	uint32_t u;

	assert_int_equal(omapi_msg_decode(vec_status_notfound,
	    sizeof(vec_status_notfound), OMAPI_DEFAULT_MAX_MSG, &m, &err), 1);
	assert_int_equal(m.hdr.opcode, OMAPI_OP_STATUS);
	assert_int_equal(omapi_list_u32(&m.message, "result", &u), 0);
	assert_int_equal(u, OMAPI_RESULT_NOTFOUND);
	assert_int_equal(omapi_status_to_error(&m, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_NOTFOUND);
	assert_int_equal(err.result, 23);
	assert_string_equal(err.text, "no object matches specification");
}

/* Two messages back to back: each decodes with its own size. */
static void
test_decode_back_to_back(void **state)
{
	uint8_t two[sizeof(vec_lease_reply) + sizeof(vec_status_notfound)];
	struct omapi_msg m;
	struct omapi_error err;

	memcpy(two, vec_lease_reply, sizeof(vec_lease_reply));
	memcpy(two + sizeof(vec_lease_reply), vec_status_notfound,
	    sizeof(vec_status_notfound));
	assert_int_equal(omapi_msg_decode(two, sizeof(two), 65536, &m, &err),
	    1);
	assert_int_equal(m.size, sizeof(vec_lease_reply));
	assert_int_equal(omapi_msg_decode(two + m.size, sizeof(two) - m.size,
	    65536, &m, &err), 1);
	assert_int_equal(m.size, sizeof(vec_status_notfound));
}

struct vec {
	const uint8_t	*p;
	size_t		 len;
};

static const struct vec all_vecs[] = {
	{ vec_lease_open_ip, sizeof(vec_lease_open_ip) },
	{ vec_host_create, sizeof(vec_host_create) },
	{ vec_refresh, sizeof(vec_refresh) },
	{ vec_delete, sizeof(vec_delete) },
	{ vec_auth_open, sizeof(vec_auth_open) },
	{ vec_lease_open_md5, sizeof(vec_lease_open_md5) },
	{ vec_lease_open_sha256, sizeof(vec_lease_open_sha256) },
	{ vec_lease_reply, sizeof(vec_lease_reply) },
	{ vec_status_notfound, sizeof(vec_status_notfound) },
};
#define NVECS	(sizeof(all_vecs) / sizeof(all_vecs[0]))

/*
 * Decode a heap copy of exactly len bytes (so ASan sees any overread), and
 * check that whatever is returned lies inside the input.
 */
static int
decode_checked(const uint8_t *p, size_t len, size_t max)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct omapi_msg m;
	struct omapi_error err;
	struct omapi_pair pair;
	size_t pos;
	int rc;

	assert_non_null(copy);
	memcpy(copy, p, len);
	omapi_clearerr(&err);
	rc = omapi_msg_decode(copy, len, max, &m, &err);
	assert_true(rc >= -1 && rc <= 1);
	if (rc == -1)
		assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	if (rc == 1) {
		assert_true(m.size <= len && m.size <= (max < 28 ? 28 : max));
		assert_true(m.hdr.authlen <= OMAPI_MAX_SIG);
		assert_true(m.message.data >= copy &&
		    m.message.data + m.message.len <= copy + len);
		assert_true(m.object.data >= copy &&
		    m.object.data + m.object.len <= copy + len);
		assert_ptr_equal(m.sig + m.hdr.authlen, copy + m.size);
		pos = 0;
		while (omapi_list_next(&m.message, &pos, &pair) == 1)
			assert_true(pair.value + pair.len <= copy + len);
		assert_int_equal(pos + 2, m.message.len);
		pos = 0;
		while (omapi_list_next(&m.object, &pos, &pair) == 1)
			assert_true(pair.value + pair.len <= copy + len);
		assert_int_equal(pos + 2, m.object.len);
	}
	free(copy);
	return rc;
}

static void
test_every_prefix(void **state)
{
	size_t i, k;

	for (i = 0; i < NVECS; i++) {
		for (k = 0; k < all_vecs[i].len; k++)
			assert_int_equal(decode_checked(all_vecs[i].p, k,
			    OMAPI_DEFAULT_MAX_MSG), 0);
		assert_int_equal(decode_checked(all_vecs[i].p,
		    all_vecs[i].len, OMAPI_DEFAULT_MAX_MSG), 1);
	}
}

/* Every byte of every vector set to every value: no crash, clean result. */
static void
test_every_byte_corruption(void **state)
{
	uint8_t *copy;
	size_t i, k;
	unsigned v, counts[3] = { 0, 0, 0 };

	for (i = 0; i < NVECS; i++) {
		assert_non_null(copy = malloc(all_vecs[i].len));
		for (k = 0; k < all_vecs[i].len; k++) {
			for (v = 0; v < 256; v++) {
				memcpy(copy, all_vecs[i].p, all_vecs[i].len);
				copy[k] = (uint8_t)v;
				counts[decode_checked(copy, all_vecs[i].len,
				    OMAPI_DEFAULT_MAX_MSG) + 1]++;
			}
		}
		free(copy);
	}
	/* All three outcomes must occur, or the loop tested nothing. */
	assert_true(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
}

/* A header followed by one list entry with the given lengths. */
static size_t
hostile(uint8_t *p, uint16_t namelen, uint32_t vlen, int in_object)
{
	size_t off = 24;

	memset(p, 0, 24);
	put_u32(p + 8, OMAPI_OP_UPDATE);
	if (in_object) {	/* empty message list first */
		p[off++] = 0;
		p[off++] = 0;
	}
	p[off++] = (uint8_t)(namelen >> 8);
	p[off++] = (uint8_t)namelen;
	/* Only as many name bytes as we have room for: the rest "pending". */
	if (namelen <= 8) {
		memset(p + off, 'a', namelen);
		off += namelen;
		put_u32(p + off, vlen);
		off += 4;
	}
	return off;
}

static void
test_huge_lengths_rejected_at_once(void **state)
{
	static const uint32_t vlens[] = { 0xffffffffu, 0xfffffffcu, 0x80000000u,
	    0x7fffffffu, 0x10000u, 65536 - 24 - 2 - 1 - 4 + 1 };
	uint8_t p[64];
	struct omapi_msg m;
	struct omapi_error err;
	size_t i, len;
	int obj;

	for (obj = 0; obj < 2; obj++) {
		for (i = 0; i < sizeof(vlens) / sizeof(vlens[0]); i++) {
			len = hostile(p, 1, vlens[i], obj);
			omapi_clearerr(&err);
			assert_int_equal(omapi_msg_decode(p, len, 65536, &m,
			    &err), -1);
			assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
		}
		/* A value length that still fits is waited for. */
		len = hostile(p, 1, 1000, obj);
		assert_int_equal(omapi_msg_decode(p, len, 65536, &m, &err), 0);
		/* A name of 65535 bytes cannot fit a 1024-byte limit. */
		len = hostile(p, 0xffff, 0, obj);
		omapi_clearerr(&err);
		assert_int_equal(omapi_msg_decode(p, len, 1024, &m, &err), -1);
		assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
		/* With a default limit it is merely incomplete. */
		assert_int_equal(omapi_msg_decode(p, len, 1 << 20, &m, &err),
		    0);
	}
}

static void
test_bad_opcode(void **state)
{
	uint8_t p[sizeof(vec_refresh)];
	struct omapi_msg m;
	struct omapi_error err;
	static const uint32_t bad[] = { 0, 7, 8, 0x100, 0xffffffffu };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(p, vec_refresh, sizeof(p));
		put_u32(p + 8, bad[i]);
		omapi_clearerr(&err);
		/* Rejected as soon as the header is complete. */
		assert_int_equal(omapi_msg_decode(p, 24, 65536, &m, &err), -1);
		assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
		assert_non_null(strstr(err.text, "opcode"));
	}
	for (i = OMAPI_OP_OPEN; i <= OMAPI_OP_DELETE; i++) {
		memcpy(p, vec_refresh, sizeof(p));
		put_u32(p + 8, (uint32_t)i);
		assert_int_equal(omapi_msg_decode(p, sizeof(p), 65536, &m,
		    &err), 1);
	}
}

static void
test_authlen_too_large(void **state)
{
	uint8_t p[24 + 4 + 65];
	struct omapi_msg m;
	struct omapi_error err;

	memset(p, 0, sizeof(p));
	put_u32(p + 8, OMAPI_OP_STATUS);
	put_u32(p + 4, 64);
	assert_int_equal(omapi_msg_decode(p, 24 + 4 + 64, 65536, &m, &err), 1);
	assert_int_equal(m.size, 24 + 4 + 64);
	put_u32(p + 4, 65);
	omapi_clearerr(&err);
	assert_int_equal(omapi_msg_decode(p, 24, 65536, &m, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	put_u32(p + 4, 0xffffffffu);
	assert_int_equal(omapi_msg_decode(p, sizeof(p), 65536, &m, &err), -1);
}

/* A message bigger than max is refused, even when all its bytes are here. */
static void
test_message_over_max(void **state)
{
	size_t len = sizeof(vec_lease_reply);
	struct omapi_msg m;
	struct omapi_error err;

	assert_int_equal(omapi_msg_decode(vec_lease_reply, len, len, &m, &err),
	    1);
	omapi_clearerr(&err);
	assert_int_equal(omapi_msg_decode(vec_lease_reply, len, len - 1, &m,
	    &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	assert_non_null(strstr(err.text, "limit"));
	/* The signature counts too. */
	len = sizeof(vec_lease_open_md5);
	assert_int_equal(omapi_msg_decode(vec_lease_open_md5, len, len - 1, &m,
	    &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_PROTOCOL);
	/* Refused from a prefix too: the value length says it will not fit. */
	assert_int_equal(omapi_msg_decode(vec_lease_reply, 60, 50, &m, &err),
	    -1);
}

static void
test_random_garbage(void **state)
{
	uint32_t seed = 0x1badcafe;
	uint8_t buf[512];
	size_t i, j, len;
	unsigned counts[3] = { 0, 0, 0 };

	for (i = 0; i < 200000; i++) {
		len = rnd(&seed) % sizeof(buf);
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)rnd(&seed);
		/* Make the header plausible half of the time. */
		if (len >= 24 && (i & 1)) {
			memset(buf, 0, 8);
			buf[7] = (uint8_t)(rnd(&seed) % 3 * 16);
			put_u32(buf + 8, 1 + rnd(&seed) % 6);
			/* Small lengths so lists can actually parse. */
			for (j = 24; j + 1 < len; j += 1 + rnd(&seed) % 8)
				buf[j] = 0;
		}
		counts[decode_checked(buf, len, 1 + rnd(&seed) % 1024) + 1]++;
	}
	assert_true(counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
}

/* Random splices and mutations of valid messages (more reach past header). */
static void
test_random_mutations(void **state)
{
	uint32_t seed = 12345;
	uint8_t buf[1024];
	size_t i, j, len, n;
	const struct vec *v;

	for (i = 0; i < 100000; i++) {
		v = &all_vecs[rnd(&seed) % NVECS];
		len = v->len;
		memcpy(buf, v->p, len);
		n = 1 + rnd(&seed) % 4;
		for (j = 0; j < n; j++)
			buf[rnd(&seed) % len] = (uint8_t)rnd(&seed);
		if (rnd(&seed) % 4 == 0)
			len = rnd(&seed) % len;
		decode_checked(buf, len, 32 + rnd(&seed) % 70000);
	}
}

/* omapi_list_next on lists that were never validated stays in bounds. */
static void
test_list_next_unvalidated(void **state)
{
	uint32_t seed = 99;
	uint8_t *p;
	struct omapi_list l;
	struct omapi_pair pair;
	size_t i, j, pos, len;

	for (i = 0; i < 50000; i++) {
		len = rnd(&seed) % 40;
		assert_non_null(p = malloc(len ? len : 1));
		for (j = 0; j < len; j++)
			p[j] = (uint8_t)(rnd(&seed) % 4 ? rnd(&seed) % 6 : rnd(&seed));
		l.data = p;
		l.len = len;
		pos = 0;
		while (omapi_list_next(&l, &pos, &pair) == 1) {
			assert_true(pos <= len);
			assert_true(pair.value + pair.len <= p + len);
		}
		free(p);
	}
}

static void
test_list_zero_length_values(void **state)
{
	struct omapi_nv obj[] = {
		{ "empty", NULL, 0 },
		{ "x", "1", 1 },
		{ "also-empty", "", 0 },
		{ "n", "\0\0\0\7", 4 },
	};
	struct omapi_request req = { OMAPI_OP_UPDATE, 1, 0, NULL, 0, obj, 4 };
	struct omapi_buf b;
	struct omapi_error err;
	struct omapi_msg m;
	struct omapi_pair pair;
	const uint8_t *v;
	uint32_t len, u;
	size_t pos = 0;

	omapi_buf_init(&b, 1024);
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), 0);
	assert_int_equal(omapi_msg_decode(b.data, b.len, 1024, &m, &err), 1);
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 1);
	assert_int_equal(pair.namelen, 5);
	assert_int_equal(pair.len, 0);
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 1);
	assert_int_equal(pair.len, 1);
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 1);
	assert_int_equal(pair.namelen, 10);
	assert_int_equal(pair.len, 0);
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 1);
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 0);
	/* Iteration stays at the end. */
	assert_int_equal(omapi_list_next(&m.object, &pos, &pair), 0);
	assert_int_equal(omapi_list_find(&m.object, "also-empty", &v, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(omapi_list_u32(&m.object, "empty", &u), -1);
	assert_int_equal(omapi_list_u32(&m.object, "n", &u), 0);
	assert_int_equal(u, 7);
	omapi_buf_free(&b);
}

static void
test_list_empty_and_short(void **state)
{
	static const uint8_t end[2] = { 0, 0 };
	struct omapi_list l = { end, 2 };
	struct omapi_pair pair;
	size_t pos = 0;
	uint32_t u;

	assert_int_equal(omapi_list_next(&l, &pos, &pair), 0);
	l.len = 0;
	assert_int_equal(omapi_list_next(&l, &pos, &pair), 0);
	l.len = 1;
	assert_int_equal(omapi_list_next(&l, &pos, &pair), 0);
	assert_int_equal(omapi_list_u32(&l, "x", &u), -1);
}

static void
test_encode_errors(void **state)
{
	static char longname[70000];
	struct omapi_nv nv[1];
	struct omapi_request req = { OMAPI_OP_OPEN, 0, 0, nv, 1, NULL, 0 };
	struct omapi_buf b;
	struct omapi_error err;
	static uint8_t big[2000];

	memset(longname, 'n', sizeof(longname) - 1);
	omapi_buf_init(&b, 1 << 20);
	/* A name too long for its u16 length. */
	nv[0] = (struct omapi_nv){ longname, "v", 1 };
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_int_equal(b.len, 0);
	/* 65535 is the longest name that fits. */
	longname[65535] = '\0';
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), 0);
	assert_int_equal(b.len, 24 + 2 + 65535 + 4 + 1 + 2 + 2);
	omapi_buf_free(&b);
	/* An empty name would end the list early. */
	nv[0] = (struct omapi_nv){ "", "v", 1 };
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	/* A length without a value. */
	nv[0] = (struct omapi_nv){ "x", NULL, 3 };
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	/* Signature longer than any algorithm's. */
	nv[0] = (struct omapi_nv){ "x", "v", 1 };
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 65, 1, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_int_equal(b.len, 0);
	omapi_buf_free(&b);

	/* The buffer's max: a failed encode leaves earlier contents alone. */
	omapi_buf_init(&b, 1024);
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), 0);
	assert_int_equal(b.len, 24 + 2 + 1 + 4 + 1 + 2 + 2);
	nv[0] = (struct omapi_nv){ "big", big, sizeof(big) };
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 2, &err), -1);
	assert_int_equal(err.code, OMAPI_ERR_INVALID);
	assert_non_null(strstr(err.text, "1024"));
	assert_int_equal(b.len, 36);
	/* Header alone does not fit. */
	omapi_buf_free(&b);
	omapi_buf_init(&b, 20);
	req.nmsg = 0;
	assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, 1, &err), -1);
	assert_int_equal(b.len, 0);
	/* Exactly fits: header + two end markers + 16 signature bytes. */
	omapi_buf_free(&b);
	omapi_buf_init(&b, 24 + 4 + 16);
	assert_int_equal(omapi_msg_encode(&b, &req, 1, 16, 1, &err), 0);
	omapi_buf_free(&b);
	omapi_buf_init(&b, 24 + 4 + 15);
	assert_int_equal(omapi_msg_encode(&b, &req, 1, 16, 1, &err), -1);
	assert_int_equal(b.len, 0);
	omapi_buf_free(&b);
}

/* Encoder output always decodes to the same fields and values. */
static void
test_roundtrip_random(void **state)
{
	uint32_t seed = 4242;
	char names[4][16];
	uint8_t vals[4][40];
	struct omapi_nv nv[4];
	struct omapi_request req;
	struct omapi_buf b;
	struct omapi_error err;
	struct omapi_msg m;
	struct omapi_pair pair;
	size_t i, j, k, pos, nm;

	for (i = 0; i < 5000; i++) {
		for (j = 0; j < 4; j++) {
			size_t nl = 1 + rnd(&seed) % 15;
			for (k = 0; k < nl; k++)
				names[j][k] = (char)('a' + rnd(&seed) % 26);
			names[j][nl] = '\0';
			nv[j].name = names[j];
			nv[j].len = rnd(&seed) % 40;
			for (k = 0; k < nv[j].len; k++)
				vals[j][k] = (uint8_t)rnd(&seed);
			nv[j].value = vals[j];
		}
		nm = rnd(&seed) % 5;
		req = (struct omapi_request){ 1 + rnd(&seed) % 6, rnd(&seed),
		    rnd(&seed), nv, nm, nv + nm, 4 - nm };
		omapi_buf_init(&b, 4096);
		assert_int_equal(omapi_msg_encode(&b, &req, 0, 0, (uint32_t)i,
		    &err), 0);
		assert_int_equal(decode_checked(b.data, b.len, 4096), 1);
		assert_int_equal(omapi_msg_decode(b.data, b.len, 4096, &m,
		    &err), 1);
		assert_int_equal(m.hdr.tid, i);
		assert_int_equal(m.hdr.handle, req.handle);
		assert_int_equal(m.hdr.rid, req.rid);
		pos = 0;
		for (j = 0; j < 4; j++) {
			const struct omapi_list *l = j < nm ? &m.message :
			    &m.object;
			if (j == nm)
				pos = 0;
			assert_int_equal(omapi_list_next(l, &pos, &pair), 1);
			assert_int_equal(pair.namelen, strlen(nv[j].name));
			assert_memory_equal(pair.name, nv[j].name, pair.namelen);
			assert_int_equal(pair.len, nv[j].len);
			if (pair.len)
				assert_memory_equal(pair.value, nv[j].value,
				    pair.len);
		}
		omapi_buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_lease_open_ip),
		cmocka_unit_test(test_encode_host_create),
		cmocka_unit_test(test_encode_refresh),
		cmocka_unit_test(test_encode_delete),
		cmocka_unit_test(test_encode_auth_open),
		cmocka_unit_test(test_startup),
		cmocka_unit_test(test_signed_md5_matches_pypureomapi),
		cmocka_unit_test(test_signed_sha256),
		cmocka_unit_test(test_encode_with_rid),
		cmocka_unit_test(test_decode_lease_reply),
		cmocka_unit_test(test_decode_status),
		cmocka_unit_test(test_decode_back_to_back),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_every_byte_corruption),
		cmocka_unit_test(test_huge_lengths_rejected_at_once),
		cmocka_unit_test(test_bad_opcode),
		cmocka_unit_test(test_authlen_too_large),
		cmocka_unit_test(test_message_over_max),
		cmocka_unit_test(test_random_garbage),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_list_next_unvalidated),
		cmocka_unit_test(test_list_zero_length_values),
		cmocka_unit_test(test_list_empty_and_short),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_roundtrip_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
