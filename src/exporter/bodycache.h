/*
 * bodycache.h: the /metrics body of a snapshot, rendered at most once
 * and gzipped at most once, for the HTTP server.
 *
 * Every scrape of one snapshot sends the same bytes, so many concurrent
 * scrapes cost one render (render.c, pure) and one deflate.  The bytes
 * live in the snapshot's cache fields (snapshot.h), the only part of a
 * published snapshot that changes, always under its cache_mtx and only
 * here; they are freed with the snapshot.
 */
#ifndef BODYCACHE_H
#define BODYCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "omapi.h"
#include "snapshot.h"

/* ---- bodycache.c ---- */
/*
 * The /metrics body of s, each form bounded by max: the gzip form when
 * *gz is set and it can be made, else the text and *gz cleared.  0, or
 * -1 when the text exceeds max (then, and on every later call for s).
 * The bytes stay valid while the caller holds its reference to s.
 */
int	 bodycache_get(struct snapshot *s, size_t max, int *gz,
	    const uint8_t **data, size_t *len);
/* Append the gzip (RFC 1952) of in to b, bounded by b's maximum: 0, or
 * -1 with errno EMSGSIZE or ENOMEM. */
int	 bodycache_gzip(struct omapi_buf *b, const void *in, size_t len);

#endif /* BODYCACHE_H */
