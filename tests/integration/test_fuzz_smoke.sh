#!/bin/sh
# Every libFuzzer target, briefly (FUZZ_SMOKE_SECONDS, default 5 s each),
# from its seed corpus: the seeds and regression inputs still pass under
# ASan/UBSan, and the harnesses build.  `make fuzz` is the long run.
set -u
cd "$(dirname "$0")/../.." || exit 2
FUZZ_OUT=build-fuzz-smoke exec tests/fuzz/run.sh "${FUZZ_SMOKE_SECONDS:-5}"
