#!/bin/bash
# dhcpd_exporter polling three servers at once, under concurrent scrapes:
# one real dhcpd reached through two addresses ("lab" on 127.0.0.1, "b"
# on 10.99.0.1) and one address where nothing answers ("gone": its connects
# time out). One worker per server, the publisher and the HTTP threads all
# run together; this is the suite `make tsan` relies on to show races
# between them.
#  - lab and b up, gone down, each on its own series; lab and b report the
#    same pools; the unreachable server holds up neither: their polls keep
#    coming while gone's connects time out (and are counted);
#  - four clients scraping without pause meanwhile: every scrape answered
#    within 1 s;
#  - dhcpd killed, SERVERS_CYCLES times (default 4): lab and b down, both
#    back by themselves after each restart, the resets counted;
#    SIGHUP while gone is connecting: all three as before;
#  - SIGTERM stops it within 2 s, exit 0, with a connect to gone in
#    progress.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init servers 19470
CYCLES=${SERVERS_CYCLES:-4}	# dhcpd kill/restart cycles
GONE=10.99.200.1	# on the lab's v0 link, no host: SYNs go unanswered
load_pids=
cleanup() {
	local p
	for p in $load_pids; do kill -9 "$p" 2>/dev/null; done
	stop_lab_and_exporter
}
SCRAPE_TIMEOUT=1

up() { metric "dhcpd_up{server=\"$1\"}"; }
polls() { metric "dhcpd_exporter_polls_total{server=\"$1\"}"; }
gone_errors() {
	scrape | awk '/^dhcpd_exporter_omapi_errors_total\{server="gone",reason="(timeout|connection)"\}/ { n += $NF }
		END { print n + 0 }'
}
# The pool series of server $1, with the server label taken out.
pools_of() {
	scrape | grep "^dhcpd_pool_addresses{server=\"$1\"," | sed "s/server=\"$1\",//" | sort
}
# Every series of $1 ("lab b gone") reads dhcpd_up $2 ... within $3 s:
#   all_up "lab b" 1 "gone" 0 10
all_up() {
	local i s ok1
	for i in $(seq 1 $(($5 * 5))); do
		ok1=1
		for s in $1; do [ "$(up "$s")" = "$2" ] || ok1=; done
		for s in $3; do [ "$(up "$s")" = "$4" ] || ok1=; done
		[ -n "$ok1" ] && return 0
		sleep 0.2
	done
	echo "  dhcpd_up: lab=$(up lab) b=$(up b) gone=$(up gone)" >&2
	return 1
}
# Four clients scraping /metrics and / without pause for $1 s; each
# counts the scrapes that failed (1 s limit) in $lab/load.N.
start_load() {
	local n
	for n in 1 2 3 4; do
		ip netns exec "$LAB_NETNS" timeout "$1" sh -c '
			fails=0
			while :; do
				curl -sf --max-time 1 -o /dev/null "$1/metrics" || fails=$((fails + 1))
				curl -sf --max-time 1 -o /dev/null "$1/" || fails=$((fails + 1))
				echo "$fails" >"$2"
			done' load "http://127.0.0.1:$PORT" "$lab/load.$n" &
		load_pids="$load_pids $!"
	done
}
load_failures() { cat "$lab"/load.* 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'; }
wait_load() {
	local p
	for p in $load_pids; do wait "$p" 2>/dev/null; done
	load_pids=
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
# The lab's server block three times: lab (as written), b, gone.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1s >"$lab/one.yml"
{
	cat "$lab/one.yml"
	server_block "$lab/one.yml" b 10.99.0.1
	server_block "$lab/one.yml" gone "$GONE" |
		sed 's/^    timeout: .*/    timeout: 1s\n    connect_timeout: 1s/'
} >"$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"

check "lab and b up, gone down" all_up "lab b" 1 "gone" 0 15
for _ in $(seq 1 50); do
	scrape | grep -q '^dhcpd_exporter_last_sweep_timestamp_seconds{server="b"}' && break
	sleep 0.2
done
pools_of lab >"$lab/pools.lab"
pools_of b >"$lab/pools.b"
check "lab and b report the same $(wc -l <"$lab/pools.lab") pools" \
	sh -c "[ -s '$lab/pools.lab' ] && cmp -s '$lab/pools.lab' '$lab/pools.b'"

# Polls of lab and b keep coming while gone's connects time out.
pa=$(polls lab) pb=$(polls b) ge=$(gone_errors)
start_load 8
sleep 6
check "lab polled while gone times out (${pa:-?} -> $(polls lab) in 6 s)" \
	[ "$(polls lab)" -ge $((${pa:-0} + 4)) ]
check "b polled too (${pb:-?} -> $(polls b))" [ "$(polls b)" -ge $((${pb:-0} + 4)) ]
check "gone's failures counted ($ge -> $(gone_errors))" [ "$(gone_errors)" -gt "$ge" ]
wait_load
check "four clients scraping without pause: every scrape within 1 s ($(cat "$lab"/load.* | tr '\n' ' ')failed)" \
	[ "$(load_failures)" -eq 0 ]

# dhcpd killed and back, CYCLES times, under load: both of its servers
# follow each time (their workers reconnect while the others publish).
rm -f "$lab"/load.*
start_load $((CYCLES * 8 + 10))
down_fail=0 back_fail=0
for _ in $(seq 1 "$CYCLES"); do
	sleep 0.$((RANDOM % 9 + 1))	# somewhere in a sweep
	tests/lab/lab.sh kill "$lab" KILL >/dev/null 2>&1
	all_up "lab b gone" 0 "" 0 8 || down_fail=$((down_fail + 1))
	tests/lab/lab.sh restart "$lab" >/dev/null 2>&1
	. "$lab/env"
	all_up "lab b" 1 "gone" 0 15 || back_fail=$((back_fail + 1))
done
check "dhcpd killed $CYCLES times: lab and b down each time ($down_fail missed)" \
	[ "$down_fail" -eq 0 ]
check "... and up again by themselves each time ($back_fail missed)" [ "$back_fail" -eq 0 ]
resets_a=$(metric 'dhcpd_exporter_connection_resets_total{server="lab"}')
check "lab's connection resets counted (${resets_a:-none}, at least $CYCLES)" \
	[ "${resets_a:-0}" -ge "$CYCLES" ]
kill -HUP "$exporter_pid"
sleep 2
check "after SIGHUP: lab and b up, gone down" all_up "lab b" 1 "gone" 0 10
wait_load
check "under load through the outage and the reload: every scrape within 1 s" \
	[ "$(load_failures)" -eq 0 ]

# SIGTERM with a connect to gone hanging.
term_exporter
check "SIGTERM stops it in ${exit_ms} ms (at most $(limit_ms 2000)), exit $exit_rc (0)" \
	[ "$exit_rc" -eq 0 -a "$exit_ms" -le "$(limit_ms 2000)" ]
if [ "$failed" -ne 0 ]; then
	echo "--- exporter log (last 30 lines)"
	tail -30 "$lab/exporter.err"
fi
finish test_servers
