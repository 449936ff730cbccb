# Sourced by the integration scripts: counters and the check helpers.
#   check "what users rely on" COMMAND ARGS...   ok/FAIL line, counted
#   finish NAME                                  summary line; exit status
# shellcheck shell=bash
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
finish() { echo "$1: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
