#!/bin/bash
# dhcpd_exporter against a real dhcpd in the lab:
#  - --once: every pool counter, state count, expiry gauge and host equals
#    what an independent pypureomapi sweep says (check_exporter.py);
#  - live, exact: /metrics after one poll and sweep equals the reference;
#  - live: /metrics over HTTP (plain and gzip), promtool check metrics, a
#    host added and deleted while it runs, dhcpd killed and restarted
#    (dhcpd_up 0 then 1 again, /metrics answering all along), a bad config
#    on SIGHUP kept out, SIGTERM stopping it within a second.
# Needs root. BUILD selects the binaries (default build).
set -u
. "$(dirname "$0")/lib.sh"
suite_init exp 19367

# PATH answers 2xx (its body is not printed).
answers() { scrape "$1" >/dev/null; }

# Wait up to $2 seconds for metric series $1 to read $3.
wait_metric() {
	local i
	for i in $(seq 1 $(($2 * 5))); do
		[ "$(metric "$1")" = "$3" ] && return 0
		sleep 0.2
	done
	echo "  $1 = '$(metric "$1")', wanted $3" >&2
	return 1
}

ref_sweep() {
	in_lab $PY tests/lab/ref_sweep.py >"$1" 2>/dev/null &&
		in_lab $PY tests/lab/ref_sweep.py --pool-counters >"$1.pc" 2>/dev/null
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"

# --once, compared with pypureomapi sweeps taken just before and after.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 2s --extra-host ghost >"$lab/exp.yml"
ref_sweep "$lab/before.jsonl"
in_lab "$BIN/dhcpd_exporter" --config.file="$lab/exp.yml" --once \
	>"$lab/once.txt" 2>"$lab/once.err"
check "--once exits 0 when the server answers" [ $? -eq 0 ]
ref_sweep "$lab/after.jsonl"
out=$($PY tests/integration/check_exporter.py "$lab/once.txt" "$LAB_TRUTH" \
	"$lab/before.jsonl" "$lab/after.jsonl")
rc=$?
echo "$out" | grep -v '^ok' | sed 's/^/  /'
check "--once metrics equal the reference sweep" checker_ok 100 "$out" "$rc"
check "ghost host reported absent" \
	grep -qx 'dhcpd_host_present{server="lab",host="ghost"} 0' "$lab/once.txt"
check "promtool check metrics is silent on --once output" \
	sh -c "promtool check metrics <'$lab/once.txt' >/dev/null 2>&1"
check "shared dhcpd pool reported" grep -q "are one pool in dhcpd" "$lab/once.err"

# Live, exact: with hour-long intervals the exporter polls and sweeps once
# at start, between two reference sweeps, and /metrics must then say what
# the server said, figure by figure.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$((PORT + 1))" \
	--poll-interval 1h --sweep-interval 1h --extra-host ghost >"$lab/exact.yml"
ref_sweep "$lab/before2.jsonl"
start_exporter --config.file="$lab/exact.yml"
for i in $(seq 1 50); do
	SCRAPE_URL=http://127.0.0.1:$((PORT + 1)) scrape 2>/dev/null |
		grep -q '^dhcpd_exporter_last_sweep_timestamp_seconds' && break
	sleep 0.2
done
ref_sweep "$lab/after2.jsonl"
SCRAPE_URL=http://127.0.0.1:$((PORT + 1)) scrape >"$lab/exact.txt"
kill "$exporter_pid"
wait "$exporter_pid"
exporter_pid=
out=$($PY tests/integration/check_exporter.py "$lab/exact.txt" "$LAB_TRUTH" \
	"$lab/before2.jsonl" "$lab/after2.jsonl")
rc=$?
echo "$out" | grep -v '^ok' | sed 's/^/  /'
check "live /metrics equals the reference sweep" checker_ok 100 "$out" "$rc"

# Live (its log starts here: the exact run's is not searched below).
: >"$lab/exporter.err"
start_exporter --config.file="$lab/exp.yml" --log.level=debug
for i in $(seq 1 50); do scrape /-/ready >/dev/null 2>&1 && break; sleep 0.2; done
check "/-/ready answers 200 after the first poll" answers /-/ready
scrape >"$lab/live.txt"
check "live /metrics passes promtool" \
	sh -c "promtool check metrics <'$lab/live.txt' >/dev/null 2>&1"
check "live /metrics has dhcpd_up 1" grep -qx 'dhcpd_up{server="lab"} 1' "$lab/live.txt"
gzipped() { scrape /metrics -H 'Accept-Encoding: gzip' | gunzip | grep -q '^dhcpd_up'; }
check "gzip when asked" gzipped
links_metrics() { scrape / | grep -q 'href="/metrics"'; }
check "landing page links /metrics" links_metrics
check "POST is refused with 405" [ "$(in_lab curl -s -o /dev/null -w '%{http_code}' \
	-X POST http://127.0.0.1:$PORT/metrics)" = 405 ]

# A host added while the exporter runs appears, and disappears when deleted.
sed -i 's/^      - name: ghost$/      - name: ghost\n      - name: newhost/' "$lab/exp.yml"
kill -HUP "$exporter_pid"
check "reloaded config watches newhost (absent)" \
	wait_metric 'dhcpd_host_present{server="lab",host="newhost"}' 10 0
OCTL="$BIN/omapictl -K $LAB_KEYFILE"
in_lab $OCTL host add newhost 02:aa:bb:cc:dd:ee 10.99.0.77 >/dev/null
check "host added over OMAPI shows up" \
	wait_metric 'dhcpd_host_present{server="lab",host="newhost"}' 10 1
in_lab $OCTL host delete name newhost >/dev/null
check "deleted host disappears" \
	wait_metric 'dhcpd_host_present{server="lab",host="newhost"}' 10 0

# A bad configuration on SIGHUP is refused and the running one kept.
cp "$lab/exp.yml" "$lab/exp.good"
echo "bogus_key: 1" >>"$lab/exp.yml"
kill -HUP "$exporter_pid"
sleep 1
check "bad reload is reported with file:line" \
	grep -q "exp.yml:[0-9]*:[0-9]*: unknown key 'bogus_key'" "$lab/exporter.err"
check "exporter still serves after a bad reload" answers /-/healthy
cp "$lab/exp.good" "$lab/exp.yml"

# dhcpd killed: down within a poll, /metrics answering; back by itself.
tests/lab/lab.sh kill "$lab" KILL >/dev/null 2>&1
check "dhcpd_up goes to 0 when dhcpd dies" \
	wait_metric 'dhcpd_up{server="lab"}' 5 0
check "/metrics answers while dhcpd is down" answers /metrics
tests/lab/lab.sh restart "$lab" >/dev/null 2>&1
check "dhcpd_up returns to 1 after restart" \
	wait_metric 'dhcpd_up{server="lab"}' 15 1
resets=$(metric 'dhcpd_exporter_connection_resets_total{server="lab"}')
check "connection reset counted ($resets)" [ "${resets:-0}" -ge 1 ]

# SIGTERM stops it within a second (limit_ms: more under a sanitizer).
term_exporter
check "SIGTERM stops cleanly in ${exit_ms} ms (< $(limit_ms 1000))" \
	[ "$exit_rc" -eq 0 -a "$exit_ms" -lt "$(limit_ms 1000)" ]

finish exporter
