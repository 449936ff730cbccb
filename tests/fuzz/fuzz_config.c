/*
 * fuzz_config.c: libFuzzer target for the exporter's two YAML loaders,
 * the configuration and the web config (--web.config.file); each input is
 * given to both as a whole file.  A file is either
 * accepted, or rejected with at least one FILE:LINE:COLUMN error and no
 * configuration; either way nothing leaks (ASan's leak check) and every
 * error message is a bounded, NUL-terminated string.  And whatever the
 * configuration loader accepts, the daemon can run: a snapshot of every
 * server, pool (with its labels) and host builds, and its /metrics
 * renders within both the cap a scrape may return and the loader's own
 * size estimate (render_body_max), when render_check_size lets it load
 * (the daemon refuses the rest with the size check's own error).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "metrics/metrics.h"
#include "../unit/worst_snapshot.h"

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

/* An accepted configuration publishes and serves. */
static void
fuzz_publish(const struct config *cfg)
{
	struct snapshot *snap;
	struct omapi_buf b;

	if ((snap = worst_snapshot(cfg)) == NULL)
		abort();
	omapi_buf_init(&b, RENDER_DEFAULT_MAX);
	if (render_metrics(&b, snap) == -1 || b.len > render_body_max(cfg))
		abort();
	omapi_buf_free(&b);
	snapshot_release(snap);
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
		if (render_check_size(cfg, &errs) == 0)
			fuzz_publish(cfg);
		else if (config_errors_count(&errs) == 0)
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
