#!/bin/bash
# A signed sweep on several OMAPI connections (issue 14, part 1), against
# the real dhcpd:
#  - sweep.connections: 3 and the automatic choice give the same lease
#    picture as one connection, every address once;
#  - through fake_omapi.py's "breakone" mode, the second connection is cut
#    in the middle of a reply: the sweep finishes on the others, the lost
#    connection is counted as a reset, and the lease picture is still
#    exactly that of the unbroken sweep (no address lost or counted twice).
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init conns 19582	# the exporter's, for its config (it runs --once)
FAKE=19583		# fake_omapi.py
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill -9 "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
echo breakone >"$lab/mode"
ip netns exec "$LAB_NETNS" $PY tests/integration/fake_omapi.py "$FAKE" \
	"$LAB_PORT" "$lab/mode" 2>"$lab/fake.err" &
fake_pid=$!

# One config per case: unthrottled, small window, all pools swept.
config() {	# PORT CONNECTIONS
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		--max-rate 0 |
		sed -e "s|    port: 7911|    port: $1|" \
		    -e "s|      max_rate: 0|      max_rate: 0\n      window: 64\n      connections: $2|"
}
once() {	# NAME PORT CONNECTIONS
	config "$2" "$3" >"$lab/$1.yml"
	ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" \
		--config.file="$lab/$1.yml" --once >"$lab/$1.txt" 2>"$lab/$1.err"
}
leases() { grep '^dhcpd_pool_leases{' "$lab/$1.txt" | sort; }
value() { awk -v s="$2" 'index($0, s" ") == 1 { print $NF }' "$lab/$1.txt"; }

for _ in $(seq 1 50); do
	ip netns exec "$LAB_NETNS" sh -c "echo >/dev/tcp/127.0.0.1/$FAKE" \
		2>/dev/null && break
	sleep 0.1
done
once one "$LAB_PORT" 1
once three "$LAB_PORT" 3
once auto "$LAB_PORT" 0
once broken "$FAKE" 3

n=$(leases one | wc -l)
check "one connection sweeps every pool ($n lease series)" test "$n" -gt 20
check "three connections see exactly what one sees" \
	test "$(leases three)" = "$(leases one)"
check "the automatic choice sees exactly what one sees" \
	test "$(leases auto)" = "$(leases one)"
check "three connections were used" \
	test "$(value three 'dhcpd_exporter_sweep_connections{server="lab"}')" = 3
check "a connection cut mid-sweep: the sweep still completes" \
	test -n "$(value broken 'dhcpd_exporter_last_sweep_timestamp_seconds{server="lab"}')"
check "and its lease picture is exactly the unbroken one (none lost, none twice)" \
	test "$(leases broken)" = "$(leases one)"
resets=$(value broken 'dhcpd_exporter_connection_resets_total{server="lab"}')
echo "  resets counted for the cut connection: $resets"
check "the cut connection is counted as a reset" test "${resets:-0}" -ge 1
check "an uncut sweep counts no reset" \
	test "$(value one 'dhcpd_exporter_connection_resets_total{server="lab"}')" = 0

finish test_sweep_conns
