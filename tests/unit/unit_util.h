/*
 * unit_util.h: small helpers the unit tests share: a configuration from
 * a YAML string, and the daemon's log (standard error) captured.
 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include "config/config_int.h"

struct config	*unit_config(const char *yaml);
void		 unit_capture_start(void);
char		*unit_capture_end(void);
int		 unit_count(const char *hay, const char *needle);

#endif /* UNIT_UTIL_H */
