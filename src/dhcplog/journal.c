/*
 * journal.c: dhcpd's entries of the systemd journal, through libsystemd's
 * sd-journal: the local journal, or the journal files of one folder
 * (sd_journal_open_directory: what systemd-journal-remote writes).
 *
 *   match "isc-dhcp-server.service"  _SYSTEMD_UNIT=isc-dhcp-server.service
 *   match "SYSLOG_IDENTIFIER=dhcpd"  any FIELD=VALUE, as given
 *
 * Followed from the tail: entries already there are not counted.  The
 * entry's SYSLOG_IDENTIFIER is the program, MESSAGE the message and
 * _HOSTNAME the host; no syslog framing to parse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-journal.h>

#include "dl_int.h"

#define JOURNAL_BATCH	4096	/* entries per read call */

struct dhcplog_journal {
	sd_journal	*j;
};

/* The value of FIELD of the current entry, without "FIELD=". */
static int
field(sd_journal *j, const char *name, const char **v, size_t *n)
{
	const void *d;
	size_t len, nl = strlen(name);

	if (sd_journal_get_data(j, name, &d, &len) < 0 || len <= nl)
		return -1;
	*v = (const char *)d + nl + 1;
	*n = len - nl - 1;
	return 0;
}

struct dhcplog_journal *
dhcplog_journal_open(const char *match, const char *directory, int from_head,
    char *err, size_t errlen)
{
	struct dhcplog_journal *jo;
	char *m = NULL;
	int r;

	if ((jo = calloc(1, sizeof(*jo))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r = directory != NULL ? sd_journal_open_directory(&jo->j, directory, 0) :
	    sd_journal_open(&jo->j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		snprintf(err, errlen, "sd_journal_open %s: %s",
		    directory != NULL ? directory : "", strerror(-r));
		goto fail;
	}
	if (strchr(match, '=') != NULL)
		m = strdup(match);
	else if (asprintf(&m, "_SYSTEMD_UNIT=%s", match) == -1)
		m = NULL;
	if (m == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((r = sd_journal_add_match(jo->j, m, 0)) < 0) {
		snprintf(err, errlen, "journal match %s: %s", m, strerror(-r));
		goto fail;
	}
	free(m);
	m = NULL;
	if (!from_head) {
		/* the last entry is the one read last: next() is news */
		if ((r = sd_journal_seek_tail(jo->j)) < 0 ||
		    (r = sd_journal_previous(jo->j)) < 0) {
			snprintf(err, errlen, "journal seek: %s", strerror(-r));
			goto fail;
		}
	}
	if ((r = sd_journal_get_fd(jo->j)) < 0) {
		snprintf(err, errlen, "journal fd: %s", strerror(-r));
		goto fail;
	}
	return jo;
fail:
	free(m);
	dhcplog_journal_close(jo);
	return NULL;
}

int
dhcplog_journal_fd(struct dhcplog_journal *jo)
{
	return sd_journal_get_fd(jo->j);
}

/*
 * Hand every new entry (at most a batch) to cb.  The number read, or -1.
 */
int
dhcplog_journal_read(struct dhcplog_journal *jo, dhcplog_entry_cb cb,
    void *arg)
{
	const char *prog, *msg, *host;
	size_t plen, mlen, hlen;
	int n = 0;

	(void)sd_journal_process(jo->j);
	while (n < JOURNAL_BATCH && sd_journal_next(jo->j) > 0) {
		n++;
		if (field(jo->j, "SYSLOG_IDENTIFIER", &prog, &plen) == -1) {
			prog = "";
			plen = 0;
		}
		if (field(jo->j, "MESSAGE", &msg, &mlen) == -1) {
			msg = "";
			mlen = 0;
		}
		if (field(jo->j, "_HOSTNAME", &host, &hlen) == -1) {
			host = "";
			hlen = 0;
		}
		cb(arg, prog, plen, msg, mlen, host, hlen);
	}
	return n;
}

void
dhcplog_journal_close(struct dhcplog_journal *jo)
{
	if (jo == NULL)
		return;
	if (jo->j != NULL)
		sd_journal_close(jo->j);
	free(jo);
}
