/*
 * output.c: results on stdout, as "name = value" lines or as one JSON
 * object per line whose keys are the server's attribute names.  Values
 * are decoded by omapi_attr_format: state names, dotted addresses,
 * lower-case colon MACs, epoch seconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omapictl.h"

/*
 * Write s as a JSON string (quotes included) into out; -1 if it does not
 * fit.
 */
int
output_json_string(const char *s, char *out, size_t outlen)
{
	size_t off = 0;
	unsigned char ch;
	int n;

	if (outlen < 3)
		return -1;
	out[off++] = '"';
	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if (outlen - off < 8)
			return -1;
		if (ch == '"' || ch == '\\')
			n = snprintf(out + off, outlen - off, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			n = snprintf(out + off, outlen - off, "\\u%04x", ch);
		else
			n = snprintf(out + off, outlen - off, "%c", ch);
		off += (size_t)n;
	}
	out[off++] = '"';
	out[off] = '\0';
	return 0;
}

/* 1 if s is printable ASCII without quotes or backslashes. */
static int
output_is_plain(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

/*
 * A word from the command line or a script, fit to quote in a message:
 * itself when it is plain and short, else its first characters quoted,
 * with \" \\ and every byte outside printable ASCII as \xHH (so no
 * control byte, escape sequence or stray UTF-8 reaches a terminal or a
 * log), and "..." when cut.  out holds OUTPUT_QUOTE_MAX bytes.
 */
const char *
output_quote(const char *s, char out[OUTPUT_QUOTE_MAX])
{
	size_t n = strlen(s), i, off = 0;
	unsigned char ch;

	if (n <= OUTPUT_QUOTE_CUT && output_is_plain(s)) {
		memcpy(out, s, n + 1);
		return out;
	}
	out[off++] = '"';
	for (i = 0; i < n && i < OUTPUT_QUOTE_CUT; i++) {
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			out[off++] = '\\';
			out[off++] = (char)ch;
		} else if (ch < 0x20 || ch > 0x7e)
			off += (size_t)snprintf(out + off, OUTPUT_QUOTE_MAX - off,
			    "\\x%02x", ch);
		else
			out[off++] = (char)ch;
	}
	out[off++] = '"';
	out[off] = '\0';
	if (n > OUTPUT_QUOTE_CUT)
		strcat(out, "...");
	return out;
}

/* An attribute's name as a C string (names are short; longer are cut). */
static void
output_name(const struct omapi_pair *p, char *out, size_t outlen)
{
	size_t n = p->namelen < outlen - 1 ? p->namelen : outlen - 1;
	size_t i;

	memcpy(out, p->name, n);
	out[n] = '\0';
	for (i = 0; i < n; i++)		/* a NUL would cut the name short */
		if (out[i] == '\0')
			out[i] = '?';
}

/* Print one pair: "name = value" or, in JSON, "name":value; 1 or -1. */
int
output_pair(const struct omapi_pair *p, int json, int first)
{
	char name[1024], jname[sizeof(name) * 6 + 3], *value;
	size_t vlen = (size_t)p->len * 6 + 32;
	int rv = -1;

	if ((value = malloc(vlen)) == NULL)
		return -1;
	output_name(p, name, sizeof(name));
	if (omapi_attr_format(p, json, value, vlen) == -1)
		goto out_free;
	if (!json)
		printf("%s = %s\n", name, value);
	else if (output_json_string(name, jname, sizeof(jname)) == 0)
		printf("%s%s:%s", first ? "" : ",", jname, value);
	else
		goto out_free;
	rv = 1;
out_free:
	free(value);
	return rv;
}

/* Print every attribute of a list as one result. */
int
output_list(const struct cli *cli, const struct omapi_list *l)
{
	return output_list_with(cli, l, output_pair);
}

/*
 * Print a list as one result, each pair through fn (output_pair, or one
 * that skips or adds pairs: 0 skipped, 1 printed, -1 out of memory).
 */
int
output_list_with(const struct cli *cli, const struct omapi_list *l,
    output_pair_fn *fn)
{
	struct omapi_pair p;
	size_t pos = 0;
	int json = cli->opts->json, first = 1, rv;

	if (json)
		putchar('{');
	while (omapi_list_next(l, &pos, &p) == 1) {
		if ((rv = fn(&p, json, first)) == 0)
			continue;
		if (rv == -1) {
			fprintf(stderr, "%s: out of memory\n", CLI_NAME);
			return CLI_SERVER;
		}
		first = 0;
	}
	if (json)
		puts("}");
	return CLI_OK;
}

/* A pool's counters, with the same names the server uses. */
int
output_pool(const struct cli *cli, const struct omapi_pool_counters *pc)
{
	if (cli->opts->json)
		printf("{\"handle\":%u,\"lease-count\":%u,\"free-leases\":%u,"
		    "\"backup-leases\":%u}\n", pc->handle, pc->lease_count,
		    pc->free_leases, pc->backup_leases);
	else
		printf("handle = %u\nlease-count = %u\nfree-leases = %u\n"
		    "backup-leases = %u\n", pc->handle, pc->lease_count,
		    pc->free_leases, pc->backup_leases);
	return CLI_OK;
}
