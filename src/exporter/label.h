/*
 * label.h: what a configured pool label may be called.  One rule, used
 * by the configuration loader (which reports it at FILE:LINE:COLUMN) and
 * by the snapshot builder (which refuses what the loader would), so that
 * whatever --check-config accepts also publishes.
 */
#ifndef LABEL_H
#define LABEL_H

#include <stddef.h>

#define LABEL_NAME_MAX	128	/* characters in a label name */

/* ---- label.c ---- */
int	 label_name_check(const char *, char *err, size_t errlen);

#endif /* LABEL_H */
