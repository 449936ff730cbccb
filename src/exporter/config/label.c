/*
 * label.c: the names a configured pool label may take (see config/config.h).
 *
 * A Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not starting with
 * "__" (reserved for Prometheus), and none of the names below.
 */
#include <string.h>

#include "config_int.h"

/*
 * The names render.c writes on some series itself (server, pool, state,
 * within_seconds, shared_network, ranges, failover_peer on pool series;
 * host, mac, ip on host series; peer, side, role on failover series;
 * class; reason;
 * version and commit on build_info), the target labels Prometheus adds
 * (job, instance: a pool label of that name would be renamed
 * exported_job), and those with a meaning to Prometheus' histograms and
 * summaries (le, quantile).  Add the label of a new series here.
 */
static const char *const label_reserved[] = {
	"server", "pool", "state", "within_seconds", "host", "mac", "ip",
	"reason", "version", "commit", "job", "instance", "le", "quantile",
	"shared_network", "ranges", "failover_peer", "peer", "side", "role",
	"class", NULL
};

/* 0 when s may name a configured label; -1 with why in err (if any). */
int
label_name_check(const char *s, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return config_errf(err, errlen, "label name '%.64s' is not "
			    "valid: use letters, digits and '_', not starting "
			    "with a digit", s);
	if (i == 0)
		return config_errf(err, errlen, "label name must not be empty");
	if (i > LABEL_NAME_MAX)
		return config_errf(err, errlen, "label name is longer than %d "
		    "characters", LABEL_NAME_MAX);
	if (s[0] == '_' && s[1] == '_')
		return config_errf(err, errlen, "label name '%.64s' starts with "
		    "'__', which is reserved for Prometheus", s);
	for (i = 0; label_reserved[i] != NULL; i++)
		if (strcmp(s, label_reserved[i]) == 0)
			return config_errf(err, errlen, "label name '%s' is reserved: "
			    "the exporter sets it", s);
	return 0;
}

/* Whether s is well-formed UTF-8 (no overlongs, no surrogates). */
int
label_utf8_valid(const unsigned char *s)
{
	unsigned need, cp, min;

	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			need = 1; cp = *s & 0x1f; min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			need = 2; cp = *s & 0x0f; min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			need = 3; cp = *s & 0x07; min = 0x10000;
		} else
			return 0;
		for (s++; need > 0; need--, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (*s & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}
