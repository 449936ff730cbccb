/*
 * shell_obj.c: what omapictl shell's commands share: the object a script
 * works on (set, cleared, refreshed from a reply) and printed as omshell
 * prints it, omshell's own lines, and failures with their line number.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/*
 * Record a failed command: "omapictl: LINE: message" on stderr, and its
 * exit status if it is the first.  Returns -1.
 */
int
shell_fail(struct shell *sh, int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: %lu: ", CLI_NAME, sh->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (sh->status == CLI_OK)
		sh->status = status;
	return -1;
}

/* One of omshell's own lines on stdout (not in JSON mode). */
void
shell_say(const struct shell *sh, const char *line)
{
	if (!sh->cli->opts->json)
		puts(line);
}

/* 1 if omshell would show the bytes as a quoted string. */
static int
value_printable(const uint8_t *v, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return 0;
	return 1;
}

/* One attribute as omshell prints it. */
static void
print_attr(const struct shell_attr *a)
{
	uint32_t i;

	printf("%s = ", a->name);
	switch (a->kind) {
	case SHELL_V_NULL:
		fputs("<null>", stdout);
		break;
	case SHELL_V_INT:
		printf("%d", (int32_t)omapi_get_u32(a->val));
		break;
	case SHELL_V_STRING:	/* set cuts it at a NUL (sh_set) */
		putchar('"');
		fwrite(a->val, 1, a->len, stdout);
		putchar('"');
		break;
	case SHELL_V_DATA:
		if (value_printable(a->val, a->len)) {
			printf("\"%.*s\"", (int)a->len, (const char *)a->val);
			break;
		}
		for (i = 0; i < a->len; i++)
			printf("%s%02x", i ? ":" : "", a->val[i]);
		break;
	}
	putchar('\n');
}

/* The object as omshell prints it after a command (not in JSON mode). */
void
shell_print(const struct shell *sh)
{
	size_t i;

	if (sh->cli->opts->json)
		return;
	if (!sh->have_obj) {
		puts("obj: <null>");
		return;
	}
	printf("obj: %s\n", sh->type);
	for (i = 0; i < sh->nattrs; i++)
		print_attr(&sh->attrs[i]);
}

void
shell_obj_clear(struct shell *sh)
{
	size_t i;

	for (i = 0; i < sh->nattrs; i++) {
		free(sh->attrs[i].name);
		free(sh->attrs[i].val);
	}
	sh->nattrs = 0;
	sh->have_obj = 0;
	sh->handle = 0;
	sh->type[0] = '\0';
}

/*
 * Set (or add, at the end) an attribute.  0, or -1 with errno ENOSPC
 * (SHELL_MAX_ATTRS names already) or ENOMEM.
 */
int
shell_obj_set(struct shell *sh, const char *name, enum shell_vkind kind,
    const uint8_t *val, uint32_t len, int changed)
{
	struct shell_attr *a = NULL;
	uint8_t *copy;
	char *ncopy = NULL;
	size_t i;

	for (i = 0; i < sh->nattrs && a == NULL; i++)
		if (strcmp(sh->attrs[i].name, name) == 0)
			a = &sh->attrs[i];
	if (a == NULL && sh->nattrs == SHELL_MAX_ATTRS) {
		errno = ENOSPC;
		return -1;
	}
	if (a == NULL && (ncopy = strdup(name)) == NULL)
		return -1;
	if ((copy = malloc(len ? len : 1)) == NULL) {
		free(ncopy);
		return -1;
	}
	memcpy(copy, val, len);
	if (a == NULL) {
		a = &sh->attrs[sh->nattrs++];
		a->name = ncopy;
	} else
		free(a->val);
	a->kind = kind;
	a->val = copy;
	a->len = len;
	a->changed = changed;
	return 0;
}

/*
 * Take a reply's object, as omshell does: its values replace the ones of
 * the same name in place, new names are added at the end, and the rest
 * stay.  In JSON mode the reply is printed here.  0, or -1 when out of
 * memory.  A failover peer's local-address and partner-address are left
 * out: dhcpd sends the bytes of a C pointer there (issue 13).
 */
int
shell_obj_from_reply(struct shell *sh, const struct omapi_object *o)
{
	struct omapi_pair p;
	char *name;
	size_t pos = 0, i;
	int rv;
	int is_failover = strcmp(sh->type, "failover-state") == 0;

	sh->cli->type = sh->type;
	for (i = 0; i < sh->nattrs; i++)
		sh->attrs[i].changed = 0;
	if (o->handle != 0)
		sh->handle = o->handle;
	if (sh->cli->opts->json && o->attrs.len > 0)
		output_object(sh->cli, o);
	while (omapi_list_next(&o->attrs, &pos, &p) == 1) {
		if (p.namelen == 0 || memchr(p.name, '\0', p.namelen) != NULL ||
		    (is_failover && failover_is_pointer(&p)))
			continue;
		if ((name = strndup((const char *)p.name, p.namelen)) == NULL)
			return -1;
		rv = shell_obj_set(sh, name, SHELL_V_DATA, p.value, p.len, 0);
		free(name);
		if (rv == -1)
			return -1;
	}
	return 0;
}
