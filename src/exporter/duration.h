/*
 * duration.h: durations written with units (500ms, 15s, 1h30m).
 */
#ifndef DURATION_H
#define DURATION_H

#include <stddef.h>
#include <stdint.h>

/* ---- duration.c ---- */
int	 duration_parse(const char *, uint64_t *ms, char *err, size_t errlen);
void	 duration_format(uint64_t ms, char *buf, size_t len);

#endif /* DURATION_H */
