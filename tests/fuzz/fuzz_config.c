/*
 * fuzz_config.c: libFuzzer target for the exporter's YAML configuration
 * loader.  The input is a whole configuration file.  A file is either
 * accepted, or rejected with at least one FILE:LINE:COLUMN error and no
 * configuration; either way nothing leaks (ASan's leak check) and every
 * error message is a bounded, NUL-terminated string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
	return 0;
}
