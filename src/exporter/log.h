/*
 * log.h: the daemon's log, to standard error (journald adds time stamps
 * and keeps it).  Only the daemon logs; the OMAPI library returns errors.
 */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG };

int	 log_level_parse(const char *, enum log_level *);
void	 log_set_level(enum log_level);
int	 log_enabled(enum log_level);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
