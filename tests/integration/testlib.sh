# Shared by the integration scripts: . tests/integration/testlib.sh
# Counters and reporting (passed, failed; "ok: ..." / "FAIL: ..." lines), and
# a command run inside the lab namespace of $lab.
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
in_lab() { tests/lab/lab.sh exec "$lab" "$@"; }
