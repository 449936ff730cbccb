/*
 * fuzz_config.c: libFuzzer target for the exporter's two YAML loaders,
 * the configuration and the web config (--web.config.file); each input is
 * given to both as a whole file.  A file is either
 * accepted, or rejected with at least one FILE:LINE:COLUMN error and no
 * configuration; either way nothing leaks (ASan's leak check) and every
 * error message is a bounded, NUL-terminated string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "webconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Same contract as the configuration: accepted cleanly, or refused with
 * a reason and nothing built. */
static void
fuzz_web(const uint8_t *data, size_t len)
{
	struct webconfig	*w = NULL;
	struct config_errors	 errs;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	rc = webconfig_load_buffer("web.yml", (const char *)data, len, &w,
	    &errs);
	if ((rc == 0) != (w != NULL && config_errors_count(&errs) == 0) ||
	    (rc == -1 && (w != NULL || config_errors_count(&errs) == 0)))
		abort();
	webconfig_free(w);
	config_errors_free(&errs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config		*cfg = NULL;
	struct config_errors	 errs;
	int			 rc;

	memset(&errs, 0, sizeof(errs));
	rc = config_load_buffer("fuzz.yml", (const char *)data, len, &cfg,
	    &errs);
	if (rc == 0) {
		/* Accepted: a configuration, and no error said otherwise. */
		if (cfg == NULL || config_errors_count(&errs) != 0)
			abort();
		config_free(cfg);
	} else {
		/* Refused: nothing half-built reaches the caller, and the
		 * operator is told why. */
		if (cfg != NULL || config_errors_count(&errs) == 0)
			abort();
	}
	config_errors_free(&errs);
	fuzz_web(data, len);
	return 0;
}
