/*
 * keypage.c: memory for the OMAPI keys the exporter keeps.
 *
 * A server's key cannot be wiped right after loading, as omapictl's is:
 * every reconnect opens a new signer from it.  So each key lives in pages
 * of its own, mapped for it alone, left out of core dumps (MADV_DONTDUMP)
 * and locked out of swap where RLIMIT_MEMLOCK allows (best effort: an
 * unprivileged service may have a small limit), and wiped before they are
 * unmapped.  Everything else that held the secret on the way (the file's
 * text, the base64) is wiped where it was read.
 */
#include <sys/mman.h>

#include <string.h>
#include <unistd.h>

#include "config_int.h"

static size_t
keypage_size(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (sizeof(struct omapi_key) + page - 1) / page * page;
}

/* A zeroed key in pages of its own; NULL when out of memory. */
struct omapi_key *
keypage_alloc(void)
{
	size_t len = keypage_size();
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, len, MADV_DONTDUMP);
	(void)mlock(p, len);
	return p;
}

void
keypage_free(struct omapi_key *key)
{
	size_t len = keypage_size();

	if (key == NULL)
		return;
	explicit_bzero(key, len);
	(void)munlock(key, len);
	(void)munmap(key, len);
}
