# Sourced by the integration scripts: counters, the check helpers, and the
# one way each suite reaches the lab and the exporter.  A suite starts
#   . "$(dirname "$0")/lib.sh"
#   suite_init NAME PORT                         the shared prologue (below)
# and then uses
#   check "what users rely on" COMMAND ARGS...   ok/FAIL line, counted
#   finish NAME                                  summary line; exit status
#   absent -e STRING... FILE...                  a negative check with a guard
#   checker_ok MIN OUTPUT STATUS                 a checker script's verdict
#   grew_less BEFORE AFTER LIMIT                 growth of a measured figure
#   fds, rss_kb                                  the exporter's, while it lives
#   limit_ms MS                                  a time limit for this build
#   free_port                                    a free port of this machine
#   in_lab CMD...                                CMD in the lab's namespace
#   scrape [PATH [CURL-ARGS...]]                 GET from the exporter
#   metric SERIES                                its value on /metrics
#   wait_up 0|1 SECONDS                          until dhcpd_up{server="lab"} reads it
#   start_exporter ARGS...                       the exporter, in the background
#   stop_exporter, term_exporter                 SIGTERM it (give up / wait)
#   server_block CONFIG NAME ADDRESS [PORT]      a second server's YAML
# `check` counts the ONE command it is given, whole: a compound condition is
# a function, or `check "x" eval '[ A ] && [ B ]'`.  In `check "x" [ A ] &&
# [ B ]` the shell runs `[ B ]` after check has counted, and its result is
# lost; lint_checks.py (run by suite_init, and over every suite by run.sh)
# refuses such lines.
# Under ThreadSanitizer, finish also fails the suite on any TSan report.
# shellcheck shell=bash
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {
	local what=$1
	shift
	[ $# -gt 0 ] || { fail "$what (check was given no command)"; return; }
	if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
	tsan_verdict
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# suite_init NAME PORT: the prologue every suite shares.  From the top of
# the checkout (it cds there), it sets
#   BUILD  the build folder (default build), BIN its absolute path
#   PY     /usr/bin/python3
#   PORT   the suite's own TCP port (run.sh refuses two suites on one)
#   lab    a new folder /tmp/dxNAME.XXXXXX, mode 0755 (uid 65534 may enter)
#   exporter_pid (empty)
# lints the calling script (a misused check is a FAIL), gives ThreadSanitizer
# its report folder, and sets the traps: on exit the suite's own `cleanup`
# function if it defines one (at any point before it exits), else
# stop_lab_and_exporter; INT, TERM and HUP exit 130 through it.
suite_init() {
	local name=$1 self
	PORT=$2
	self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	cd "$(dirname "$0")/../.." || exit 2
	BUILD=${BUILD:-build}
	case $BUILD in /*) BIN=$BUILD ;; *) BIN=$PWD/$BUILD ;; esac
	PY=/usr/bin/python3
	exporter_pid=
	lab=$(mktemp -d "/tmp/dx$name.XXXXXX") || exit 2
	chmod 755 "$lab"
	trap suite_exit EXIT
	trap 'exit 130' INT TERM HUP
	tsan_setup
	$PY tests/integration/lint_checks.py "$self" ||
		fail "lint: every check in $(basename "$0") takes its whole condition"
}
suite_exit() {
	if declare -F cleanup >/dev/null; then cleanup; else stop_lab_and_exporter; fi
}

# The verdict of a checker that prints "ok: ..." and "FAIL: ..." lines and
# "N passed, M failed" last (check_queries.py, check_exporter.py,
# check_lease_info.py), from its output $2 and exit status $3: exit 0, no
# FAIL line, and at least $1 ok lines, all counted in its last line.  A
# checker that died early (a traceback, Prometheus gone) or checked
# nothing fails, though it printed no FAIL.
#   out=$(checker ...); check "x" checker_ok 100 "$out" $?
checker_ok() {
	local min=$1 out=$2 rc=$3 n
	n=$(printf '%s\n' "$out" | grep -c '^ok')
	if [ "$rc" -eq 0 ] && [ "$n" -ge "$min" ] &&
		! printf '%s\n' "$out" | grep -q '^FAIL' &&
		printf '%s\n' "$out" | tail -1 | grep -qx "$n passed, 0 failed"; then
		return 0
	fi
	echo "  checker: exit $rc, $n ok lines (at least $min wanted)," \
		"last line: $(printf '%s\n' "$out" | tail -1)" >&2
	return 1
}
# How many queries check_queries.py runs on dashboard $1 and rule files
# $2...: a passing run prints an ok line for each (and more).
queries_expected() {
	$PY - "$@" <<'PYEOF'
import json, sys, yaml
def panels(ps):
    for p in ps:
        yield p
        yield from panels(p.get("panels", []))
n = sum(len(p.get("targets", []))
        for p in panels(json.load(open(sys.argv[1]))["panels"]))
for f in sys.argv[2:]:
    n += sum(len(g["rules"]) for g in yaml.safe_load(open(f))["groups"])
print(n)
PYEOF
}

# The exporter's ($exporter_pid) open file descriptors and RSS in kB; they
# print nothing and fail once it is gone, so that a check on them fails too.
fds() {
	[ -d "/proc/$exporter_pid/fd" ] || return 1
	ls "/proc/$exporter_pid/fd" | wc -l
}
rss_kb() {
	awk '/^VmRSS/ { print $2; found = 1 } END { exit !found }' \
		"/proc/$exporter_pid/status" 2>/dev/null
}
# grew_less BEFORE AFTER LIMIT: AFTER - BEFORE < LIMIT, both measured (an
# empty figure, from an exporter that died, fails).
grew_less() {
	[ -n "$1" ] && [ -n "$2" ] && [ $(($2 - $1)) -lt "$3" ] ||
		{ echo "  grew from '${1}' to '${2}', limit $3" >&2; return 1; }
}

# A free TCP port on this machine's 127.0.0.1 (for a suite that runs in
# the host's namespace, where another checkout may hold a fixed one).
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A negative check with a guard: none of the FILEs holds any of the fixed
# STRINGs (-e STRING, one or more).  Every FILE must exist and, together,
# they must not be empty: a log that was never written, or a grep that
# fails (exit 2), proves nothing and fails.
#   check "the password is never logged" absent -e "$PASSWORD" "$lab/exporter.err"
absent() {
	local pats=() f size=0 rc
	while [ "${1:-}" = -e ]; do
		pats+=(-e "$2")
		shift 2
	done
	[ ${#pats[@]} -gt 0 ] && [ $# -gt 0 ] ||
		{ echo "  absent: usage: absent -e STRING... FILE..." >&2; return 1; }
	for f; do
		[ -f "$f" ] || { echo "  absent: no file $f" >&2; return 1; }
		size=$((size + $(stat -c %s "$f")))
	done
	[ "$size" -gt 0 ] || { echo "  absent: $* are empty" >&2; return 1; }
	grep -q -F "${pats[@]}" -- "$@"
	rc=$?
	[ "$rc" -eq 1 ] && return 0
	[ "$rc" -eq 0 ] && echo "  found in: $(grep -l -F "${pats[@]}" -- "$@" | tr '\n' ' ')" >&2
	return 1
}

# The factor by which a time limit grows on this build, and the one place
# that says so: the limits are for the release build on a loaded 2-core
# machine; AddressSanitizer costs about 2-3x, ThreadSanitizer 5-15x and
# valgrind (EXPORTER_WRAP, or VALGRIND=1) 20-50x on this code.
#   release 1, ASan 3, TSan 5, valgrind 10
# (The limit still catches a stall: a hung thread is not 5x slow, it is
# stuck.)  limit_ms MS prints MS times it.
slow_factor() {
	if [ "${EXPORTER_WRAP[0]:-}" = valgrind ] || [ "${VALGRIND:-0}" = 1 ]; then
		echo 10
	elif tsan; then
		echo 5
	elif sanitized; then
		echo 3
	else
		echo 1
	fi
}
limit_ms() { echo $(($1 * $(slow_factor))); }

# CMD in the lab's namespace ($LAB_NETNS, from the lab's env file).
in_lab() { ip netns exec "$LAB_NETNS" "$@"; }

# The body of GET PATH (default /metrics) from the exporter; fails on
# anything but a 2xx within the limit. A suite sets, after sourcing this:
#   SCRAPE_URL      the exporter's base URL (default http://127.0.0.1:$PORT)
#   SCRAPE_NS       the namespace curl runs in (default the lab's)
#   SCRAPE_TIMEOUT  the seconds a scrape may take (default 2; the suites
#                   that assert "every scrape answered within 1 s" set 1)
#   SCRAPE_OPTS     curl options for every scrape (an array: --cacert, -u)
# CURL-ARGS are added to this one request (-H, -o).
SCRAPE_OPTS=()
scrape() {
	local path=${1:-/metrics}
	[ $# -gt 0 ] && shift
	ip netns exec "${SCRAPE_NS:-$LAB_NETNS}" curl -sf \
		--max-time "${SCRAPE_TIMEOUT:-2}" "${SCRAPE_OPTS[@]}" "$@" \
		"${SCRAPE_URL:-http://127.0.0.1:$PORT}$path"
}

# The value of series $1 (name{labels} as the exporter writes it) on /metrics.
metric() { scrape | awk -v s="$1" 'index($0, s" ") == 1 { print $NF }'; }

# The exporter with ARGS (--config.file=... and the rest), in the
# background, in a clean environment: the lab's env file exports the
# secret, and nothing of the caller's but a sanitizer's options may reach
# it. Its stdout and stderr are appended to $lab/exporter.out and
# $lab/exporter.err. Sets exporter_pid: the exporter itself (ip netns exec,
# env and setpriv exec it), or the wrapper under EXPORTER_WRAP.
#   EXPORTER_NS    the namespace it runs in (default the lab's)
#   XBIN           set by nobody_exporter: that copy runs, as uid 65534
#   EXPORTER_WRAP  a command it runs under (an array: valgrind, strace)
EXPORTER_WRAP=()
start_exporter() {
	local bin=$BIN/dhcpd_exporter as='' v keep=()
	[ -n "${XBIN:-}" ] && bin=$XBIN as=$NOBODY
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS; do
		[ -n "${!v:-}" ] && keep+=("$v=${!v}")
	done
	# shellcheck disable=SC2086
	ip netns exec "${EXPORTER_NS:-$LAB_NETNS}" env -i "${keep[@]}" $as \
		"${EXPORTER_WRAP[@]}" "$bin" "$@" \
		>>"$lab/exporter.out" 2>>"$lab/exporter.err" &
	exporter_pid=$!
	exporter_answered=
}

# Until COMMAND succeeds, for at most SECONDS (checked every 0.1 s).
wait_for() {	# SECONDS COMMAND...: until COMMAND succeeds
	local limit=$1 i
	shift
	for i in $(seq 1 $((limit * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The exit trap of a script with one lab ($lab) and one exporter
# ($exporter_pid): both go, whatever way the script ends.
#   trap stop_lab_and_exporter EXIT; trap 'exit 130' INT TERM
stop_lab_and_exporter() {
	# (reaped here, quietly: bash would say "Killed")
	[ -n "${exporter_pid:-}" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

# SIGTERM the exporter ($exporter_pid) and give it 2 s to go.
stop_exporter() {
	kill "$exporter_pid" 2>/dev/null
	for _ in $(seq 1 20); do
		kill -0 "$exporter_pid" 2>/dev/null || break
		sleep 0.1
	done
	exporter_pid=
}

# The server block of config $1 (exporter_config.py's: one server, lab)
# again, as server $2 at address $3 (port $4 if given), for a suite that
# polls several: cat "$lab/one.yml"; server_block "$lab/one.yml" b 10.99.0.1
server_block() {
	sed -n '/^  - name: lab$/,$p' "$1" | sed -e "1s/name: lab/name: $2/" \
		-e "s/^    address: .*/    address: $3/" \
		-e "${4:+s/^    port: .*/    port: $4/}"
}

# SIGTERM the exporter ($exporter_pid, a child of this shell) and wait for
# it, however long: sets exit_rc (its exit status) and exit_ms.
term_exporter() {
	local start
	kill -TERM "$exporter_pid"
	start=$(date +%s%N)
	wait "$exporter_pid"
	exit_rc=$?
	exit_ms=$((($(date +%s%N) - start) / 1000000))
	exporter_pid=
}

# Wait up to $2 s for dhcpd_up{server="lab"} to read $1. Once the
# exporter (from start_exporter) has answered a scrape, every scrape must:
# the ones that fail (SCRAPE_TIMEOUT) are counted in scrape_failures, and
# said. Sets waited to the seconds it took.
scrape_failures=0
exporter_answered=
wait_up() {
	local want=$1 limit=$2 i v='' out rc
	waited=0
	for i in $(seq 1 $((limit * 10))); do
		out=$(scrape)
		rc=$?
		if [ "$rc" -eq 0 ]; then
			exporter_answered=1
		elif [ -n "$exporter_answered" ]; then
			scrape_failures=$((scrape_failures + 1))
			echo "  a scrape failed (curl exit $rc)" >&2
		fi
		v=$(printf '%s\n' "$out" |
			awk 'index($0, "dhcpd_up{server=\"lab\"} ") == 1 { print $NF }')
		if [ "$v" = "$want" ]; then
			waited=$(awk -v i="$i" 'BEGIN { printf "%.1f", i / 10 }')
			return 0
		fi
		sleep 0.1
	done
	echo "  dhcpd_up = '$v' after ${limit}s, wanted $want" >&2
	return 1
}

# Run as uid 65534, as the exporter runs in production: as_nobody CMD, or
# $NOBODY before a command whose pid must be the program's ($! after
# `ip netns exec NS $NOBODY PROG &`). Where that user cannot run programs
# at all (a root directory of mode 0700, as in a chroot made with mktemp
# -d: ld.so cannot open any library), run as root and say so, rather than
# test nothing.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
$NOBODY /bin/true 2>/dev/null || NOBODY=
as_nobody() { $NOBODY "$@"; }

# The exporter for runs as uid 65534: a copy in the script's lab folder
# (mode 0755 under /tmp), because a checkout may sit where that user cannot
# go (/root is 0700 on a fresh Debian).  Sets XBIN.
nobody_exporter() {
	[ -z "$NOBODY" ] && echo "note: uid 65534 cannot run programs here" \
		"(/ is mode $(stat -c %a /)): running the exporter as root"
	install -m 0755 "$BIN/dhcpd_exporter" "$lab/dhcpd_exporter" &&
		XBIN=$lab/dhcpd_exporter
}

# True when $BIN/dhcpd_exporter is built with AddressSanitizer or
# ThreadSanitizer: ASan's quarantine keeps freed memory and TSan's shadow
# grows with every page touched, so RSS bounds do not apply; their shadow
# mappings make a core take minutes; neither mixes with valgrind; and the
# systemd unit runs the release build, whose system calls are the ones to
# trace.
sanitized() { ldd "$BIN/dhcpd_exporter" 2>/dev/null | grep -q -E 'lib[at]san'; }
tsan() { ldd "$BIN/dhcpd_exporter" 2>/dev/null | grep -q libtsan; }

# Under ThreadSanitizer every program the suite runs (the exporter,
# omapictl) writes its reports to a folder of their own, one file per
# process (log_path), where uid 65534 can write too; finish then fails the
# suite on any report, prints each one's SUMMARY line and keeps the
# reports in $BIN/tsan/SUITE/ for reading.  TSAN_OPTIONS from the caller
# (make tsan: the suppressions, exitcode) is kept.
tsan_dir=
tsan_setup() {
	tsan || return 0
	tsan_dir=$(mktemp -d "/tmp/dxtsan.$(basename "$0" .sh).XXXXXX")
	chmod 1777 "$tsan_dir"
	export TSAN_OPTIONS="${TSAN_OPTIONS:-} log_path=$tsan_dir/report"
}
tsan_verdict() {
	local keep n
	[ -n "$tsan_dir" ] || return 0
	keep=$BIN/tsan/$(basename "$0" .sh)
	rm -rf "$keep"
	mkdir -p "$keep"
	cp "$tsan_dir"/report.* "$keep/" 2>/dev/null
	rm -rf "$tsan_dir"
	n=$(ls "$keep" | wc -l)
	check "ThreadSanitizer: no report ($n processes reported, in $keep)" [ "$n" -eq 0 ]
	grep -h '^SUMMARY: ThreadSanitizer' "$keep"/report.* 2>/dev/null |
		sort | uniq -c | sed 's/^/  /'
}

# Real DHCP clients for the lab ($lab, its env sourced): a namespace of
# their own ($cns, derived from the lab's directory) that takes the lab's
# v1, the peer of dhcpd's v0, with 10.99.0.3 on v0's subnet.  perfdhcp acts
# as a relay there, so its clients get leases in pool lan.  The exit trap
# must stop the lab first (that deletes v0 and with it v1), then
# `ip netns del "$cns"`.
dhcp_clients_up() {
	cns=dxcli-$(printf '%s' "$lab" | sha1sum | cut -c1-12)
	ip netns add "$cns" &&
		ip -n "$LAB_NETNS" link set v1 netns "$cns" &&
		ip -n "$cns" link set lo up &&
		ip -n "$cns" addr add 10.99.0.3/16 dev v1 &&
		ip -n "$cns" link set v1 up
}

# dora N OUT [PERFDHCP ARGS...]: N DORA exchanges from new clients (their
# output in OUT); prints how many ended in an ACK.
dora() {
	local n=$1 out=$2
	shift 2
	ip netns exec "$cns" perfdhcp -4 -l 10.99.0.3 -r 20 -n "$n" \
		-R 16777216 -W 2000000 "$@" 10.99.0.1 >"$out" 2>&1
	awk '/Statistics for: REQUEST-ACK/ { f = 1 }
		f && /^received packets:/ { print $3; exit }' "$out"
}

# The series of a leases_file source (DHCPv6 pools and prefixes, and the
# file's own), with the rules recorded from them: check_queries.py's
# --optional on a lab that has no leases_file.
LEASES_FILE_SERIES=(dhcpd6_pool_addresses dhcpd6_pool_leases
	dhcpd6_prefix_pool_prefixes dhcpd6_prefix_pool_leases
	dhcpd6_pool_active_leases_expiring
	dhcpd6_pool_last_client_transaction_timestamp_seconds
	dhcpd6_pool:free_addresses dhcpd6_pool:free_ratio
	dhcpd6_pool:free_ratio_threshold dhcpd6_pool:free_addresses_threshold
	dhcpd6_prefix_pool:free_prefixes dhcpd6_prefix_pool:free_ratio
	dhcpd6_prefix_pool:free_ratio_threshold
	dhcpd6_prefix_pool:free_prefixes_threshold
	dhcpd6_prefix_pool_free_ratio_threshold
	dhcpd6_prefix_pool_free_prefixes_threshold
	dhcpd_exporter_leases_file_last_read_timestamp_seconds
	dhcpd_exporter_leases_file_read_errors_total
	dhcpd_exporter_leases_file_bytes_read_total
	dhcpd_leases_file:max_age_seconds_threshold
	dhcpd_leases_file_max_age_seconds_threshold)
