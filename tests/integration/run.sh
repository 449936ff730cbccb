#!/bin/bash
# Every integration test against a real dhcpd (root: network namespaces).
# BUILD selects the binaries; VALGRIND=1 runs omapictl under valgrind.
set -u
cd "$(dirname "$0")/../.."
export BUILD=${BUILD:-build}
if [ "$(id -u)" -ne 0 ]; then
	echo "integration tests need root (network namespaces)" >&2
	exit 1
fi
passed=0
failed=0
# The lab's own self-test first, then every tests/integration/test_*.sh.
# TESTS="test_web.sh ..." runs only those; SKIP="test_demo.sh ..." leaves
# those out of the whole list.
if [ -n "${TESTS:-}" ]; then
	list=""
	for t in $TESTS; do list="$list tests/integration/$t"; done
else
	list="tests/lab/selftest.sh"
	for t in tests/integration/test_*.sh; do
		case " ${SKIP:-} " in *" $(basename "$t") "*) continue ;; esac
		list="$list $t"
	done
fi
# Every suite (all of them, whatever TESTS says) first: each check takes
# its whole condition, and no two suites share a port (lint_checks.py).
if ! /usr/bin/python3 tests/integration/lint_checks.py --ports \
	tests/integration/test_*.sh tests/bench/*.sh; then
	failed=$((failed + 1))
	echo "FAILED: lint_checks.py (above)"
fi
# Each suite's time, in seconds, appended to $BUILD/suite-times.txt (TIMES=
# another file): a "# run.sh DATE" line per run, then "SECONDS SUITE
# ok|FAILED" per suite in the order they ran.  (Appended: make check runs
# this script several times on one build folder.)
times=${TIMES:-$BUILD/suite-times.txt}
mkdir -p "$(dirname "$times")"
echo "# run.sh $(date -u '+%F %T') UTC, BUILD=$BUILD" >>"$times"
for t in $list; do
	echo "=== $t"
	start=$SECONDS
	if "$t"; then
		passed=$((passed + 1))
		verdict=ok
	else
		failed=$((failed + 1))
		verdict=FAILED
		echo "FAILED: $t"
	fi
	echo "=== $t: $((SECONDS - start)) s"
	echo "$((SECONDS - start)) $(basename "$t") $verdict" >>"$times"
done
echo "integration suites: $passed passed, $failed failed (times in $times)"
[ "$failed" -eq 0 ]
