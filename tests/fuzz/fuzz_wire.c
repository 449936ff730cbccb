/*
 * fuzz_wire.c: libFuzzer target for the codec.  The input is a byte stream
 * of messages as a server would send it; the first two bytes pick the
 * message size limit and the output buffer size for formatting.  Every
 * decoded message has both lists walked, every attribute formatted as text
 * and JSON, the lease decoder and the status mapping run on it, and an
 * owned copy made and freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Format every pair of l; out is a heap buffer of exactly outlen bytes. */
static void
walk(const struct omapi_list *l, char *out, size_t outlen, char *big)
{
	struct omapi_pair p;
	struct omapi_lease lease;
	const uint8_t *v;
	uint32_t len, u;
	size_t pos = 0;

	while (omapi_list_next(l, &pos, &p) == 1) {
		if (omapi_attr_format(&p, 0, out, outlen) == 0 &&
		    strlen(out) >= outlen)
			abort();
		if (omapi_attr_format(&p, 1, out, outlen) == 0 &&
		    strlen(out) >= outlen)
			abort();
		/* A buffer of 3 bytes per value byte plus quotes always fits. */
		if (p.len <= 1000 && (omapi_attr_format(&p, 0, big, 4096) != 0 ||
		    omapi_attr_format(&p, 1, big, 8192) != 0))
			abort();
		(void)omapi_attr_kind((const char *)p.name, p.namelen, p.len);
	}
	if (pos + 2 != l->len)
		abort();
	omapi_lease_decode(l, &lease);
	if (lease.hwlen > sizeof(lease.hw))
		abort();
	omapi_list_find(l, "state", &v, &len);
	omapi_list_u32(l, "result", &u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct omapi_msg m;
	struct omapi_error err;
	struct omapi_object *o;
	size_t max, outlen, off;
	char *out, *big;
	int rc;

	if (size < 2)
		return 0;
	max = 28 + (size_t)data[0] * 64;	/* 28 .. 16348 */
	if (data[0] == 0xff)
		max = OMAPI_DEFAULT_MAX_MSG;
	outlen = data[1];
	data += 2;
	size -= 2;
	omapi_startup_decode(data, size, &err);
	if ((out = malloc(outlen ? outlen : 1)) == NULL ||
	    (big = malloc(8192)) == NULL)
		abort();
	for (off = 0; off < size; off += m.size) {
		rc = omapi_msg_decode(data + off, size - off, max, &m, &err);
		if (rc != 1)
			break;
		if (m.size == 0 || m.size > size - off || m.size > max ||
		    m.hdr.authlen > OMAPI_MAX_SIG)
			abort();
		walk(&m.message, out, outlen, big);
		walk(&m.object, out, outlen, big);
		omapi_status_to_error(&m, &err);
		if ((o = omapi_object_from_msg(&m)) != NULL) {
			uint32_t u;

			omapi_object_u32(o, "state", &u);
			omapi_object_free(o);
		}
	}
	free(out);
	free(big);
	return 0;
}
