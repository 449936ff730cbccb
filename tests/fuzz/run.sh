#!/bin/sh
# tests/fuzz/run.sh SECONDS: build every libFuzzer target with clang
# (-fsanitize=fuzzer,address,undefined) into build-fuzz/ and run each for
# SECONDS, starting from its seed corpus in tests/fuzz/seeds/<target>/.
# Prints executions, exec/s, coverage and peak memory per target; fails if
# any target crashes, leaks or fails to build.
#   FUZZ_TARGETS="fuzz_wire" tests/fuzz/run.sh 60     one target only
#   FUZZ_JOBS=2 ...                                   parallel workers each
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-60}
out=${FUZZ_OUT:-build-fuzz}
targets=${FUZZ_TARGETS:-"fuzz_wire fuzz_key fuzz_conn fuzz_config fuzz_dhcpdconf fuzz_leases fuzz_shell fuzz_dhcplog"}
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
if [ -z "$CLANG" ]; then
	echo "fuzz: clang not found (apt-get install -y clang libclang-rt-14-dev)" >&2
	exit 2
fi
CFLAGS="-g -O1 -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -Isrc/omapi
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
mkdir -p "$out"
failed=0
summary=""
# Build every target at once (clang is most of a short run's time).
build_target() {
	# The library for every target; the config loader for its own.
	extra=""
	case $1 in
	fuzz_config) extra="-Isrc/exporter src/exporter/config/*.c
		src/exporter/metrics/*.c
		-Isrc/dhcpdconf src/dhcpdconf/*.c
		-Isrc/dhcplog src/dhcplog/frame.c src/dhcplog/message.c
		src/dhcplog/counts.c
		-lyaml -lz" ;;
	fuzz_dhcpdconf) extra="-Isrc/dhcpdconf src/dhcpdconf/*.c" ;;
	fuzz_leases) extra="-Isrc/dhcpdconf -Isrc/leases src/dhcpdconf/lexer.c src/leases/*.c" ;;
	fuzz_dhcplog) extra="-Isrc/dhcpdconf -Isrc/dhcplog src/dhcpdconf/*.c
		src/dhcplog/frame.c src/dhcplog/message.c src/dhcplog/counts.c" ;;
	esac
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -o "$out/$1" "tests/fuzz/$1.c" src/omapi/*.c \
	    $extra -lcrypto -lpthread >"$out/$1.build.log" 2>&1
}
for t in $targets; do
	echo "== building $t"
	rm -f "$out/$t"
	build_target "$t" &
done
wait
for t in $targets; do
	if [ ! -x "$out/$t" ]; then
		cat "$out/$t.build.log" >&2
		echo "fuzz: $t does not build" >&2
		failed=1
		continue
	fi
	corpus="$out/corpus/$t"
	art="$out/artifacts/$t"
	mkdir -p "$corpus" "$art"
	log="$out/$t.log"
	echo "== running $t for ${secs}s (log: $log)"
	# The working corpus grows in build-fuzz; the seeds stay read-only.
	"$out/$t" -max_total_time="$secs" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	    -artifact_prefix="$art/" "$corpus" "tests/fuzz/seeds/$t" \
	    >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	# Without the final stats (a long dictionary printout can crowd them
	# out), the DONE line has the same figures.
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
	[ -z "$execs" ] && execs=$(echo "$done_line" | sed -E 's/^#([0-9]+).*/\1/')
	[ -z "$rate" ] && rate=$(echo "$done_line" | sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p')
	[ -z "$rss" ] && rss=$(echo "$done_line" | sed -nE 's/.*rss: ([0-9]+)Mb.*/\1/p')
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
	crashes=$(ls "$art" 2>/dev/null | wc -l)
	line="$t: ${execs:-?} execs, ${rate:-?} exec/s, ${cov:-no coverage line}, peak ${rss:-?} MB, exit $rc, $crashes artifacts"
	echo "$line"
	summary="$summary$line
"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		echo "fuzz: $t FAILED; see $log and $art/" >&2
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5 >&2
		failed=1
	fi
done
echo "== fuzz summary (${secs}s each)"
printf '%s' "$summary"
exit $failed
