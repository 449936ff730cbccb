#!/bin/bash
# Reloads keep what an unchanged server has (issue 21, faults 3 and 4),
# against the real dhcpd of the lab, a paced sweep (max_rate 400) with
# lease_info on and the lab's dhcpd.conf for discovery:
#  - SIGHUPs during the first sweep: it goes on where it was, so it ends
#    having sent about one lookup per address (not one more sweep's worth
#    per SIGHUP);
#  - SIGHUPs after it: no new sweep before sweep.interval (60 s), so the
#    OMAPI requests grow by the polls' alone, and last_sweep stays;
#  - every dhcpd_lease_info series stays through every SIGHUP (they fell
#    to 0 until the next sweep ended);
#  - a poll's result is on /metrics within 250 ms (the publisher's
#    coalescing period is 100 ms);
#  - dhcpd.conf touched every second (a new mtime, the same bytes): no
#    reload; an edit of its contents: one reload;
#  - a reload whose load takes long (an include fan-out) holds up neither
#    a scrape nor SIGTERM (issue 21, fault 1).
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init reload 19641

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 60s --max-rate 400 \
	--lease-info 100000 --dhcpd-conf >"$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"
check "the exporter answers" wait_up 1 15

sum_metric() { scrape | awk -v m="$1" 'index($0, m) == 1 { s += $NF } END { printf "%d\n", s }'; }
requests() { sum_metric 'dhcpd_exporter_omapi_requests_total{server="lab"'; }
last_sweep() { metric 'dhcpd_exporter_last_sweep_timestamp_seconds{server="lab"}'; }
lease_series() { scrape | grep -c '^dhcpd_lease_info{'; }

addresses=$(sum_metric 'dhcpd_pool_addresses{server="lab"')
echo "  $addresses addresses at 400/s: a sweep of about $((addresses / 400)) s"
check "the lab has addresses to sweep" test "$addresses" -gt 2000

# SIGHUPs while the first sweep runs.
for _ in 1 2 3 4; do
	sleep 1
	kill -HUP "$exporter_pid"
done
swept=
for _ in $(seq 1 $((addresses / 100 + 30))); do
	swept=$(last_sweep)
	[ -n "$swept" ] && [ "$swept" != 0 ] && break
	sleep 0.5
done
sent=$(requests)
echo "  first sweep done after 4 SIGHUPs: $sent OMAPI requests for $addresses addresses"
check "the first sweep ends" test -n "$swept" -a "$swept" != 0
# a sweep restarted at every SIGHUP sends its first part again each time
check "a sweep carried over SIGHUPs sends about one lookup per address" \
	test "$sent" -lt $((addresses * 11 / 10 + 200))

series=$(lease_series)
echo "  $series dhcpd_lease_info series after the sweep"
check "lease_info series are published" test "$series" -gt 100

# SIGHUPs after the sweep: every series stays, no new sweep starts.
before=$(requests)
fewest=$series
for _ in $(seq 1 6); do
	kill -HUP "$exporter_pid"
	for _ in 1 2 3 4; do
		sleep 0.25
		n=$(lease_series)
		[ "$n" -lt "$fewest" ] && fewest=$n
	done
done
after=$(requests)
echo "  6 SIGHUPs in 6 s: fewest lease_info series $fewest of $series; requests +$((after - before))"
check "every lease_info series stays through SIGHUPs" test "$fewest" -eq "$series"
check "no sweep starts before its interval after a SIGHUP" \
	test $((after - before)) -lt $((addresses / 4))
check "the last sweep's time stays" test "$(last_sweep)" = "$swept"

# One publisher, coalescing: a poll's result is on /metrics within 250 ms
# of the poll's end (its published timestamp), five polls in a row.
publish_lag() {
	in_lab $PY - "$PORT" <<'PYEOF'
import re, sys, time, urllib.request
url = "http://127.0.0.1:%s/metrics" % sys.argv[1]
pat = re.compile(r'^dhcpd_exporter_last_poll_timestamp_seconds\{server="lab"\} (\S+)$', re.M)
def last():
    with urllib.request.urlopen(url, timeout=2) as r:
        return float(pat.search(r.read().decode()).group(1))
seen, lags, end = last(), [], time.time() + 15
while len(lags) < 5 and time.time() < end:
    t = last()
    if t != seen:
        lags.append(time.time() - t)
        seen = t
    time.sleep(0.01)
print("  publish lag of %d polls: max %.0f ms" % (len(lags), 1e3 * max(lags or [9])))
sys.exit(0 if len(lags) == 5 and max(lags) < 0.25 else 1)
PYEOF
}
check "a poll's result is on /metrics within 250 ms" publish_lag

# dhcpd.conf touched: not a change. Edited: a change.
reloads() { grep -c 'changed; reloading' "$lab/exporter.err"; }
r0=$(reloads)
for _ in 1 2 3 4 5; do
	touch "$lab/dhcpd.conf"
	sleep 1
done
r1=$(reloads)
echo "  dhcpd.conf touched 5 times: $((r1 - r0)) reloads"
check "a touched dhcpd.conf (same bytes) is not reloaded" test "$r1" -eq "$r0"
echo "# an edit" >>"$lab/dhcpd.conf"
for _ in $(seq 1 30); do
	[ "$(reloads)" -gt "$r1" ] && break
	sleep 0.2
done
check "an edited dhcpd.conf is reloaded" test "$(reloads)" -eq $((r1 + 1))
check "dhcpd is up after it all" wait_up 1 5

# A load that takes long (an include fan-out: 14 files, each including the
# next ten times) does not hold SIGTERM up: the load runs beside the
# signal loop.  It hung the old exporter for good.
for i in $(seq 1 13); do
	for _ in $(seq 1 10); do
		echo "include \"$lab/bomb$((i + 1)).conf\";"
	done >"$lab/bomb$i.conf"
done
echo "# the leaf" >"$lab/bomb14.conf"
echo "include \"$lab/bomb1.conf\";" >>"$lab/dhcpd.conf"
kill -HUP "$exporter_pid"
sleep 1
check "/metrics answers while a long reload runs" scrape /metrics -o /dev/null
term_exporter
echo "  SIGTERM during the reload: exit $exit_rc after $exit_ms ms"
check "SIGTERM during a long reload stops the exporter within 2 s" \
	test "$exit_ms" -lt 2000

finish test_reload
