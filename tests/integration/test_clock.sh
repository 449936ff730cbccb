#!/bin/bash
# The schedule survives steps of the wall clock (issue 20): an NTP step at
# boot or a VM resume once stopped every poll while dhcpd_up stayed 1.
# The exporter runs under libfaketime (Debian's faketime), whose
# timestamp file steps its CLOCK_REALTIME and leaves CLOCK_MONOTONIC alone
# (DONT_FAKE_MONOTONIC=1); against the real dhcpd of the lab, 1 s polls:
#  - the wall clock stepped back an hour: polls go on at their interval,
#    and the published poll timestamp follows the (stepped) wall clock;
#  - stepped forward again: polls go on, the timestamp follows again;
#  - a SIGHUP while the clock is back: polls go on after it too.
# libfaketime makes timed waits on a monotonic condition return at once
# (omapi-notes.md), so nothing here asserts on CPU.  Release build only:
# the sanitizers' runtimes must come first and refuse an LD_PRELOAD.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init clock 19640

FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)
check "libfaketime is installed (Debian package faketime)" test -n "$FAKETIME_LIB"
[ -n "$FAKETIME_LIB" ] || { finish test_clock; exit 1; }

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1h >"$lab/exp.yml"

offset=$lab/faketime
echo "+0" >"$offset"
EXPORTER_WRAP=(env "LD_PRELOAD=$FAKETIME_LIB" "FAKETIME_TIMESTAMP_FILE=$offset"
	FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1)
start_exporter --config.file="$lab/exp.yml"

polls() { metric 'dhcpd_exporter_polls_total{server="lab"}'; }
last_poll() { metric 'dhcpd_exporter_last_poll_timestamp_seconds{server="lab"}'; }

# Wait up to $2 s for the polls counter to pass $1.
polls_pass() {
	local i v
	for i in $(seq 1 $(($2 * 10))); do
		v=$(polls)
		[ -n "$v" ] && [ "$v" -gt "$1" ] && return 0
		sleep 0.1
	done
	echo "  polls_total = '$v' after ${2}s, wanted more than $1" >&2
	return 1
}

# Whether the published last poll is within 5 s of now + $1 seconds.
stamp_near() {
	local t
	t=$(last_poll)
	[ -n "$t" ] || return 1
	awk -v t="$t" -v now="$(date +%s)" -v off="$1" \
		'BEGIN { d = t - (now + off); if (d < 0) d = -d; exit !(d < 5) }' ||
		{ echo "  last poll $t, now $(date +%s), offset $1" >&2; return 1; }
}

check "the exporter polls under libfaketime" polls_pass 2 15
check "the published poll time is the wall clock" stamp_near 0

echo "-3600" >"$offset"
p=$(polls)
check "the wall clock stepped back an hour: polls go on (1 s interval)" \
	polls_pass $((p + 2)) 6
check "the published poll time follows the clock back" stamp_near -3600
check "dhcpd is up after the step back" wait_up 1 5

kill -HUP "$exporter_pid"
p=$(polls)
check "a SIGHUP while the clock is back: polls go on" polls_pass $((p + 2)) 6

echo "+0" >"$offset"
p=$(polls)
check "stepped forward again: polls go on" polls_pass $((p + 2)) 6
check "the published poll time follows the clock forward" stamp_near 0

finish test_clock
