#!/bin/sh
# Run the CMocka unit test binaries given as arguments; with VALGRIND=1,
# under valgrind with leak checking, failing on any error.
set -u
failed=0
passed=0
for t in "$@"; do
	if [ "${VALGRIND:-}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$t"
	else
		"$t"
	fi
	if [ $? -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t"; fi
done
echo "unit test programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
