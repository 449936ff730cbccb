/*
 * bodycache.c: the /metrics body of each snapshot, made once per form
 * (see web/web_int.h).
 *
 * One mutex per snapshot: scrapes of the same snapshot wait for the one
 * render, scrapes of another never do, and a poll publishing a new
 * snapshot never waits for scrapes of the old one.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "web_int.h"

int
bodycache_gzip(struct omapi_buf *b, const void *in, size_t len)
{
	unsigned char chunk[16384];
	z_stream z;
	int rc, ret = -1;

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = deflate(&z, Z_FINISH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			errno = ENOMEM;
			goto out_end;
		}
		if (omapi_buf_add(b, chunk, sizeof(chunk) - z.avail_out) == -1)
			goto out_end;
	} while (rc != Z_STREAM_END);
	ret = 0;
out_end:
	deflateEnd(&z);
	return ret;
}

int
bodycache_get(struct snapshot *s, size_t max, int *gz, const uint8_t **data,
    size_t *len)
{
	int ret = -1;

	pthread_mutex_lock(&s->cache_mtx);
	if (s->text_state == 0) {
		omapi_buf_init(&s->text, max);
		s->text_state = render_metrics(&s->text, s) == 0 ? 1 : -1;
		if (s->text_state == -1)
			omapi_buf_free(&s->text);
	}
	if (s->text_state != 1)
		goto out_unlock;
	if (*gz == BODYCACHE_GZIP && s->gz_state == 0) {
		omapi_buf_init(&s->gz, max);
		s->gz_state = bodycache_gzip(&s->gz, s->text.data,
		    s->text.len) == 0 ? 1 : -1;
		if (s->gz_state == -1)
			omapi_buf_free(&s->gz);
	}
	if (*gz != 0 && s->gz_state == 1) {
		*gz = 1;
		*data = s->gz.data;
		*len = s->gz.len;
	} else {
		*gz = 0;
		*data = s->text.data;
		*len = s->text.len;
	}
	ret = 0;
out_unlock:
	pthread_mutex_unlock(&s->cache_mtx);
	return ret;
}
