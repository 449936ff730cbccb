/*
 * dl_int.h: what the files of src/dhcplog/ share and nothing else
 * includes: bounded string helpers over (pointer, length) views.
 */
#ifndef DL_INT_H
#define DL_INT_H

#include <stddef.h>

#include "dhcplog.h"

#define DL_MAX_HOST	255	/* RFC 5424 HOSTNAME */
#define DL_MAX_PROGRAM	48	/* RFC 5424 APP-NAME */
#define DL_MAX_NETNAME	128	/* longer shared_network names: "other" */

/* frame.c */
int	 dl_has_prefix(const char *, size_t, const char *);
int	 dl_has_suffix(const char *, size_t, const char *);
size_t	 dl_rfind(const char *, size_t, const char *);
int	 dl_utf8_valid(const char *, size_t);
int	 dl_ipv4(const char *, size_t, uint32_t *);

#define DL_NPOS	((size_t)-1)

#endif /* DL_INT_H */
