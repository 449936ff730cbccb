/*
 * errsink.h: where a loader's problems go.
 *
 * Both YAML loaders (the configuration and the web config) put every
 * problem they find, each as "FILE:LINE:COLUMN: message", into a
 * caller-owned struct config_errors; the daemon then decides where the
 * messages go.  Nothing here logs.
 */
#ifndef ERRSINK_H
#define ERRSINK_H

#include <stddef.h>

#define CONFIG_ERRORS_MAX	100	/* messages kept; the rest counted */

/*
 * Zero-initialise it, pass it to a loader, print msg[0 .. n-1], then
 * config_errors_free().  Errors beyond CONFIG_ERRORS_MAX (or that could
 * not be stored for lack of memory) are only counted in `lost`.
 */
struct config_errors {
	char	**msg;
	size_t	  n;
	size_t	  cap;
	size_t	  lost;
};

/* ---- errsink.c ---- */
void	 config_errors_add(struct config_errors *, const char *);
void	 config_errors_free(struct config_errors *);
size_t	 config_errors_count(const struct config_errors *);
int	 config_errf(char *err, size_t errlen, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif /* ERRSINK_H */
