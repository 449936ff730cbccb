#!/bin/sh
# Run the CMocka unit test binaries given as arguments, as many at once as
# there are CPUs (each one's output is printed whole when it ends); with
# VALGRIND=1, under valgrind with leak checking, failing on any error.
#   tests/run_unit.sh --one TEST     (internal: one test, its output)
set -u
if [ "${1:-}" = --one ]; then
	if [ "${VALGRIND:-}" = 1 ]; then
		out=$(valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$2" 2>&1)
	else
		out=$("$2" 2>&1)
	fi
	rc=$?
	printf '%s\n' "$out"
	[ "$rc" -eq 0 ] && echo "PASSED: $2" || echo "FAILED: $2"
	exit 0
fi
jobs=$(nproc 2>/dev/null || echo 2)
# Every line to stderr as it comes, the verdicts to stdout as well.  (Not
# tee /dev/stderr: tee opens it anew with O_TRUNC, which empties a log
# file that stdout and stderr both go to, as `make check >log 2>&1` does.)
results=$(printf '%s\n' "$@" | xargs -P "$jobs" -n 1 "$0" --one |
	while IFS= read -r line; do
		printf '%s\n' "$line" >&2
		case $line in PASSED:\ * | FAILED:\ *) printf '%s\n' "$line" ;; esac
	done)
passed=$(printf '%s\n' "$results" | grep -c '^PASSED: ')
failed=$(printf '%s\n' "$results" | grep -c '^FAILED: ')
echo "unit test programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq $# ]
