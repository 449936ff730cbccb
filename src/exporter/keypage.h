/*
 * keypage.h: memory for the OMAPI keys the exporter keeps.
 */
#ifndef KEYPAGE_H
#define KEYPAGE_H

#include "omapi.h"

struct omapi_key	*keypage_alloc(void);
void			 keypage_free(struct omapi_key *);

#endif /* KEYPAGE_H */
