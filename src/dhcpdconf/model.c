/*
 * model.c: the parsed dhcpd.conf (struct dhcpdconf): growing its arrays,
 * freeing it, look-ups, and whether a file it was read from changed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcf_int.h"

/*
 * Make room for n elements of size in *arrp (capacity *cap), doubling.
 * 0, or -1 with errno = ENOMEM and the array untouched.
 */
int
dcf_grow(void *arrp, size_t *cap, size_t n, size_t size)
{
	void **arr = arrp, *p;
	size_t ncap;

	if (n <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < n) {
		if (ncap > SIZE_MAX / 2 / size) {
			errno = ENOMEM;
			return -1;
		}
		ncap *= 2;
	}
	if ((p = realloc(*arr, ncap * size)) == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* A dotted quad into out (at most 15 bytes and the NUL). */
void
dcf_ip_text(uint32_t ip, char out[16])
{
	unsigned b;
	int i, n = 0;

	for (i = 24; i >= 0; i -= 8) {
		b = (ip >> i) & 0xff;
		if (b >= 100)
			out[n++] = (char)('0' + b / 100);
		if (b >= 10)
			out[n++] = (char)('0' + b / 10 % 10);
		out[n++] = (char)('0' + b % 10);
		out[n++] = i ? '.' : '\0';
	}
}

/* Free a parsed file and everything it owns; NULL is fine. */
void
dhcpdconf_free(struct dhcpdconf *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i].path);
	for (i = 0; i < c->nshared; i++)
		free(c->shared[i].name);
	for (i = 0; i < c->npeers; i++) {
		free(c->peers[i].name);
		free(c->peers[i].address);
		free(c->peers[i].peer_address);
	}
	for (i = 0; i < c->nclasses; i++)
		free(c->classes[i].name);
	for (i = 0; i < c->nkeys; i++)
		dcf_key_free(&c->keys[i]);
	free(c->keys);
	free(c->omapi_key);
	free(c->name);
	free(c->files);
	free(c->shared);
	free(c->subnets);
	free(c->pools);
	free(c->ranges);
	free(c->by_first);
	free(c->peers);
	free(c->classes);
	free(c);
}

/*
 * 1 when a file the configuration was read from is gone or differs (mtime,
 * size or inode: an editor that renames over the file changes the inode),
 * else 0.  Cheap: one stat(2) per file.
 */
int
dhcpdconf_changed(const struct dhcpdconf *c)
{
	const struct dhcpdconf_file *f;
	struct stat st;
	size_t i;

	for (i = 0; i < c->nfiles; i++) {
		f = &c->files[i];
		if (stat(f->path, &st) == -1)
			return 1;
		if (st.st_mtim.tv_sec != f->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != f->mtime.tv_nsec ||
		    st.st_size != f->size || st.st_ino != f->ino ||
		    st.st_dev != f->dev)
			return 1;
	}
	return 0;
}

/* The index of the failover peer called name, or DHCPDCONF_NONE. */
size_t
dhcpdconf_find_peer(const struct dhcpdconf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->npeers; i++)
		if (strcmp(c->peers[i].name, name) == 0)
			return i;
	return DHCPDCONF_NONE;
}

/*
 * The index of the range holding ip, or DHCPDCONF_NONE: a binary search
 * over by_first (ranges never overlap).
 */
size_t
dhcpdconf_find_range(const struct dhcpdconf *c, uint32_t ip)
{
	const struct dhcpdconf_range *r;
	size_t lo = 0, hi = c->nranges, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = &c->ranges[c->by_first[mid]];
		if (ip < r->first)
			hi = mid;
		else if (ip > r->last)
			lo = mid + 1;
		else
			return c->by_first[mid];
	}
	return DHCPDCONF_NONE;
}

/*
 * The systemd credential that stands for path into out (see
 * dhcpdconf_opts.credentials): 0, or -1 when there is none to try.
 */
int
dhcpdconf_cred_path(const char *credentials, const char *path, char *out,
    size_t outlen)
{
	size_t n, i;
	int w;

	if (credentials == NULL || path[0] != '/')
		return -1;
	w = snprintf(out, outlen, "%s/", credentials);
	if (w < 0 || (size_t)w >= outlen)
		return -1;
	n = (size_t)w;
	for (i = 1; path[i] != '\0'; i++) {
		if (n + 1 >= outlen)
			return -1;
		out[n++] = path[i] == '/' ? '_' : path[i];
	}
	out[n] = '\0';
	return 0;
}

/* Free one key, its secret wiped. */
void
dcf_key_free(struct dhcpdconf_key *k)
{
	if (k->secret != NULL) {
		explicit_bzero(k->secret, strlen(k->secret));
		free(k->secret);
	}
	free(k->name);
	free(k->algorithm);
	memset(k, 0, sizeof(*k));
}

/* The key called name (the last one declared, as dhcpd keeps), or NULL. */
const struct dhcpdconf_key *
dhcpdconf_find_key(const struct dhcpdconf *c, const char *name)
{
	size_t i;

	for (i = c->nkeys; i > 0; i--)
		if (strcmp(c->keys[i - 1].name, name) == 0)
			return &c->keys[i - 1];
	return NULL;
}
