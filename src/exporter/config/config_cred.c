/*
 * config_cred.c: key files named by their systemd credential path.  The
 * shipped unit hands the service its keys with LoadCredential=ID:SOURCE,
 * and the configuration names the copy, /run/credentials/UNIT/ID, which
 * exists only while the unit runs.  Run by hand (no $CREDENTIALS_DIRECTORY
 * set), the exporter reads what the unit would read: SOURCE, found in the
 * unit's files as systemd reads them (for a folder, LoadCredential=ID:DIR,
 * the credential ID_FILE is DIR/FILE).
 *
 * The other way round, inside the unit: a key file the service may not
 * open is read from its copy in $CREDENTIALS_DIRECTORY, named after its
 * path (dhcpdconf_cred_path), while the secrecy rule still judges the
 * original's mode.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <errno.h>
#include <sys/stat.h>

#include "config_int.h"
#include "dhcpdconf.h"

#define CRED_ROOT	"/run/credentials/"

/* The unit's own file first, then its drop-ins; later lines win. */
static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system",
	"/usr/lib/systemd/system",
};

/*
 * Scan one unit file for LoadCredential=ID:SOURCE lines into src; an
 * empty LoadCredential= forgets the earlier ones.
 */
static void
scan_unit_file(const char *file, const char *id, char *src, size_t srclen)
{
	char line[4096], *v, *colon;
	size_t idlen = strlen(id);
	FILE *f;

	if ((f = fopen(file, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "LoadCredential=", 15) != 0)
			continue;
		v = line + 15;
		if (*v == '\0') {
			src[0] = '\0';
			continue;
		}
		colon = strchr(v, ':');
		if (colon != NULL && (size_t)(colon - v) == idlen &&
		    strncmp(v, id, idlen) == 0)
			snprintf(src, srclen, "%s", colon + 1);
		else if (colon != NULL && (size_t)(colon - v) < idlen &&
		    strncmp(v, id, (size_t)(colon - v)) == 0 &&
		    id[colon - v] == '_')	/* a folder: ID_FILE */
			snprintf(src, srclen, "%s/%s", colon + 1,
			    id + (colon - v) + 1);
		else if (colon == NULL && strcmp(v, id) == 0)
			src[0] = '\0';	/* from the credential store: none here */
	}
	fclose(f);
}

/* SOURCE of LoadCredential=ID:SOURCE in unit's files, or "" in src. */
static void
unit_source(const char *unit, const char *id, char *src, size_t srclen)
{
	char path[512];
	glob_t g;
	size_t i, j;

	src[0] = '\0';
	for (i = 0; i < sizeof(unit_dirs) / sizeof(unit_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], unit);
		if (access(path, F_OK) == 0) {
			scan_unit_file(path, id, src, srclen);
			break;
		}
	}
	for (i = sizeof(unit_dirs) / sizeof(unit_dirs[0]); i > 0; i--) {
		snprintf(path, sizeof(path), "%s/%s.d/*.conf",
		    unit_dirs[i - 1], unit);
		if (glob(path, 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc; j++)
			scan_unit_file(g.gl_pathv[j], id, src, srclen);
		globfree(&g);
	}
}

/*
 * Whether path is a credential of a unit that is not running us: 0 when
 * it is not (read path itself); 1 with the unit's SOURCE in src; -1 with a
 * plain message in err when no unit file here says where it comes from.
 */
int
config_cred_source(const char *path, char *src, size_t srclen, char *err,
    size_t errlen)
{
	char unit[256];
	const char *rest, *slash;

	if (strncmp(path, CRED_ROOT, strlen(CRED_ROOT)) != 0 ||
	    getenv("CREDENTIALS_DIRECTORY") != NULL || access(path, F_OK) == 0)
		return 0;
	rest = path + strlen(CRED_ROOT);
	if ((slash = strchr(rest, '/')) == NULL ||
	    (size_t)(slash - rest) >= sizeof(unit) || strchr(slash + 1, '/'))
		return 0;
	memcpy(unit, rest, (size_t)(slash - rest));
	unit[slash - rest] = '\0';
	unit_source(unit, slash + 1, src, srclen);
	if (src[0] == '/')
		return 1;
	return config_errf(err, errlen, "%s exists only inside %s, which "
	    "copies it there (LoadCredential=%s:FILE); no unit file here "
	    "says from where, so only the unit can read it", path, unit,
	    slash + 1);
}

/*
 * Inside the unit, the copy to read for a key file the service may not
 * open: 0 (read path itself), 1 with the copy in out, or -1 with err when
 * the original fails the secrecy rule (its mode is what counts).
 */
int
config_cred_copy(const char *path, char *out, size_t outlen, char *err,
    size_t errlen)
{
	struct stat st;

	if (access(path, R_OK) == 0 || errno != EACCES ||
	    dhcpdconf_cred_path(getenv("CREDENTIALS_DIRECTORY"), path, out,
	    outlen) == -1 || access(out, R_OK) == -1)
		return 0;
	if (stat(path, &st) == -1)
		return config_errf(err, errlen, "%s: %s", path,
		    strerror(errno));
	if (!omapi_secret_mode_ok(st.st_mode))
		return config_errf(err, errlen, "%s: others may access this "
		    "secret (mode %04o); fix with: chmod o-rwx %s", path,
		    (unsigned)(st.st_mode & 07777), path);
	return 1;
}
