/*
 * buf.c: a growable byte buffer with a hard maximum.  Growing past the
 * maximum fails cleanly (errno = EMSGSIZE) and leaves the contents as they
 * were, so a caller can never be made to allocate without bound.  And
 * the byte order of every OMAPI integer, which the buffer writes and the
 * codec (wire.c) reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omapi.h"

#define BUF_MIN_CAP	256

/* A big-endian u32, as every OMAPI integer is on the wire. */
uint32_t
omapi_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
omapi_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void
omapi_buf_init(struct omapi_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
omapi_buf_free(struct omapi_buf *b)
{
	free(b->data);
	omapi_buf_init(b, b->max);
}

/* Make room for `more` bytes beyond len. */
int
omapi_buf_reserve(struct omapi_buf *b, size_t more)
{
	size_t need, cap;
	uint8_t *p;

	if (more > b->max || b->len > b->max - more) {
		errno = EMSGSIZE;
		return -1;
	}
	need = b->len + more;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
omapi_buf_add(struct omapi_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (omapi_buf_reserve(b, len) == -1)
		return -1;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

int
omapi_buf_add_u16(struct omapi_buf *b, uint16_t v)
{
	uint8_t be[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return omapi_buf_add(b, be, sizeof(be));
}

int
omapi_buf_add_u32(struct omapi_buf *b, uint32_t v)
{
	uint8_t be[4];

	omapi_put_u32(be, v);
	return omapi_buf_add(b, be, sizeof(be));
}

/* Drop n bytes from the front (what was sent or parsed). */
void
omapi_buf_consume(struct omapi_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}
