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
for t in tests/lab/selftest.sh tests/integration/test_omapictl.sh \
	tests/integration/test_exporter.sh tests/integration/test_compare.sh; do
	echo "=== $t"
	if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t"; fi
done
echo "integration suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
