/*
 * render.h: a snapshot as Prometheus text exposition format 0.0.4, and as
 * the HTML status page.  Pure: no I/O, no logging, no globals, no locks;
 * the snapshot is only read (the HTTP side keeps its rendered body:
 * bodycache.h).
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "omapi.h"
#include "snapshot.h"

#define RENDER_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
/* Default hard cap on one rendered body (1,000 pools take about 2 MiB). */
#define RENDER_DEFAULT_MAX	(32u * 1024 * 1024)

/* ---- render.c ---- */
int	 render_metrics(struct omapi_buf *, const struct snapshot *);
int	 render_label_value(struct omapi_buf *, const char *);
int	 render_help_text(struct omapi_buf *, const char *);
int	 render_double(struct omapi_buf *, double);

/* ---- page.c: the HTML status page at / ---- */
int	 page_render(struct omapi_buf *, const struct snapshot *, int ready,
	    double now);
int	 page_escape(struct omapi_buf *, const char *);

#endif /* RENDER_H */
