/*
 * render_text.c: escaping for the text exposition format, shared by the
 * renderers (render.c, render_log.c): label values escape backslash,
 * double quote and newline; HELP text backslash and newline.
 */
#include <string.h>

#include "metrics.h"

static int
render_str(struct omapi_buf *b, const char *s)
{
	return omapi_buf_add(b, s, strlen(s));
}

/* Append s with each byte in `special` written as its escape. */
static int
render_escaped(struct omapi_buf *b, const char *s, const char *special)
{
	const char *run;

	for (run = s; *s; s++) {
		if (strchr(special, *s) == NULL)
			continue;
		if (omapi_buf_add(b, run, (size_t)(s - run)) == -1)
			return -1;
		if (render_str(b, *s == '\n' ? "\\n" :
		    *s == '"' ? "\\\"" : "\\\\") == -1)
			return -1;
		run = s + 1;
	}
	return omapi_buf_add(b, run, (size_t)(s - run));
}

/* Append a label value escaped for the text format. */
int
render_label_value(struct omapi_buf *b, const char *s)
{
	return render_escaped(b, s, "\\\"\n");
}

/* Append HELP text escaped for the text format. */
int
render_help_text(struct omapi_buf *b, const char *s)
{
	return render_escaped(b, s, "\\\n");
}
