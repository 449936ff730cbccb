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
for t in $list; do
	echo "=== $t"
	start=$SECONDS
	if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t"; fi
	echo "=== $t: $((SECONDS - start)) s"
done
echo "integration suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
