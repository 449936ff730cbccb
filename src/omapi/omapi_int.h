/*
 * omapi_int.h: what the files of src/omapi/ share beyond omapi.h; never
 * installed, and no name here is exported (libomapi.map: omapi_* only).
 */
#ifndef OMAPI_INT_H
#define OMAPI_INT_H

#include "omapi.h"

/* conn.c, for open.c */
struct omapi_conn *conn_connect(const struct omapi_conn_opts *,
	    struct omapi_error *);
void	 conn_set_auth(struct omapi_conn *, uint32_t authid,
	    struct omapi_signer *);

#endif /* OMAPI_INT_H */
