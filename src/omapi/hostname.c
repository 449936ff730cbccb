/*
 * hostname.c: which host names dhcpd can keep.
 *
 * dhcpd 4.4.3 writes a host made over OMAPI to its leases file as
 * "host NAME {", NAME unquoted, and reads it back at start with the
 * dhcpd.conf lexer.  A name that lexer does not read back as one host
 * name is lost at the next restart; one with '"', '\\' or a byte that is
 * not printable ASCII is not even written ("can't update object"), yet the
 * host stays in memory.  Checked live, host by host, across a restart
 * (tests/integration/test_omapictl.sh): a name is labels joined by single
 * dots, with at most one trailing dot; a label starts with a letter, a
 * digit or '-', goes on with letters, digits, '-' and '_', and is at most
 * 1499 characters long (the lexer's token buffer: 1500 is refused with
 * "token larger than internal buffer").
 */
#include <stdio.h>
#include <string.h>

#include "omapi.h"

#define LABEL_MAX	1499

static int
label_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

static int
label_char(unsigned char c)
{
	return label_start(c) || c == '_';
}

/* The error for the byte at s[i], and the rule it breaks. */
static int
bad_char(const char *s, size_t i, const char *rule, struct omapi_error *err)
{
	unsigned char c = (unsigned char)s[i];
	char what[16];

	if (c >= 0x20 && c < 0x7f)
		snprintf(what, sizeof(what), "'%c'", c);
	else
		snprintf(what, sizeof(what), "byte 0x%02x", c);
	return omapi_seterr(err, OMAPI_ERR_INVALID, "%s at character %zu: "
	    "dhcpd writes host names unquoted to its leases file and would "
	    "lose this host when it restarts (%s)", what, i + 1, rule);
}

/*
 * 0 if dhcpd can write name to its leases file and read it back; else -1,
 * with OMAPI_ERR_INVALID and the first offending character in err.
 */
int
omapi_host_name_check(const char *name, struct omapi_error *err)
{
	size_t i, label = 0;

	if (name == NULL || *name == '\0')
		return omapi_seterr(err, OMAPI_ERR_INVALID,
		    "a host needs a name");
	for (i = 0; name[i] != '\0'; i++) {
		if (name[i] == '.') {
			if (label == 0)
				return bad_char(name, i, "labels joined by "
				    "single dots", err);
			label = 0;
		} else if (label == 0 ? !label_start((unsigned char)name[i]) :
		    !label_char((unsigned char)name[i]))
			return bad_char(name, i, label == 0 ? "a label starts "
			    "with a letter, a digit or '-'" : "a label has "
			    "only letters, digits, '-' and '_'", err);
		else if (++label > LABEL_MAX)
			return omapi_seterr(err, OMAPI_ERR_INVALID, "a label "
			    "is longer than %d characters: dhcpd could not "
			    "read it back from its leases file", LABEL_MAX);
	}
	return 0;
}
