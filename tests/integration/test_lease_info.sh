#!/bin/bash
# Opt-in per-lease series (lease_info) against a real dhcpd (default lab):
#  - three real clients (perfdhcp in its own namespace on the lab's veth)
#    take leases with a hostname holding a quote, a backslash, a tab, a
#    newline and a byte that is not UTF-8;
#  - --once with a cap above the lab's leases: dhcpd_lease_info and
#    dhcpd_lease_end_timestamp_seconds agree with independent pypureomapi
#    sweeps (before and after) on every address of every pool: which
#    addresses have a series, and their pool, MAC, hostname, state and end;
#    dropped is 0; promtool check metrics accepts the output; the odd
#    hostname is escaped and its bad byte is U+FFFD;
#  - --once with max_series 500: exactly the first 500 such leases in
#    address order, and the dropped count is exactly the rest;
#  - live: the same series over HTTP, and none at all without lease_info.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init linfo 19585
cns=
# A client hostname (option 12) with what a label value must escape, a
# tab, and a byte that is not UTF-8; and how /metrics must spell it.
ODD_HOST=$'we"ird\\host\tx\ny\xffz'
ODD_LABEL=$'hostname="we\\"ird\\\\host\tx\\ny\xef\xbf\xbdz"'

cleanup() {
	# the lab first: deleting its namespace takes v0 and with it v1
	stop_lab_and_exporter
	[ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
}

ref_sweep() { in_lab $PY tests/lab/ref_sweep.py >"$1" 2>/dev/null; }
# compare NAME CAP METRICS: check_lease_info.py's verdict on METRICS.
compare() {
	local out rc
	out=$($PY tests/integration/check_lease_info.py "$3" "$LAB_TRUTH" "$2" \
		"$lab/before.jsonl" "$lab/after.jsonl")
	rc=$?
	echo "$out" | grep -v '^ok' | sed 's/^/  /'
	check "$1 ($(echo "$out" | tail -1))" checker_ok 1000 "$out" "$rc"
}
series() { grep -c "^$1{" "$2"; }
value() { awk -v s="$1" 'index($0, s" ") == 1 { print $NF }' "$2"; }

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"

# Three real clients (perfdhcp) send that hostname.
dhcp_clients_up || { echo "cannot make perfdhcp's namespace"; exit 1; }
n=$(dora 3 "$lab/perfdhcp.txt" -o "12,$(printf '%s' "$ODD_HOST" | od -An -tx1 | tr -d ' \n')")
check "3 clients with an odd hostname got leases (${n:-none})" [ "${n:-0}" = 3 ]

# Every lease, no cap reached.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--lease-info 100000 >"$lab/all.yml"
ref_sweep "$lab/before.jsonl"
in_lab "$BIN/dhcpd_exporter" --config.file="$lab/all.yml" --once \
	>"$lab/all.txt" 2>"$lab/all.err"
check "--once with lease_info exits 0" [ $? -eq 0 ]
ref_sweep "$lab/after.jsonl"
compare "every lease as pypureomapi reads it" 100000 "$lab/all.txt"
n_all=$(series dhcpd_lease_info "$lab/all.txt")
check "dropped 0 below the cap ($n_all leases)" \
	[ "$(value 'dhcpd_exporter_lease_info_dropped{server="lab"}' "$lab/all.txt")" = 0 ]
check "promtool check metrics accepts the lease series" \
	sh -c "promtool check metrics <'$lab/all.txt' >/dev/null 2>&1"
check "the clients' hostname is escaped and made UTF-8 in all 3 series" \
	[ "$(grep -c -F "$ODD_LABEL" "$lab/all.txt")" = 3 ]
check "the UTF-8 hostname is a label value as it is" \
	grep -q $'hostname="caf\xc3\xa9-lab"' "$lab/all.txt"

# The cap: the first 500 in address order, the rest counted.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--lease-info 500 >"$lab/cap.yml"
ref_sweep "$lab/before.jsonl"
in_lab "$BIN/dhcpd_exporter" --config.file="$lab/cap.yml" --once \
	>"$lab/cap.txt" 2>"$lab/cap.err"
ref_sweep "$lab/after.jsonl"
compare "max_series 500: the first 500, each as pypureomapi reads it" 500 "$lab/cap.txt"
dropped=$(value 'dhcpd_exporter_lease_info_dropped{server="lab"}' "$lab/cap.txt")
check "exactly 500 series, $dropped dropped" \
	[ "$(series dhcpd_lease_info "$lab/cap.txt")" = 500 ]

# Live over HTTP, and nothing without lease_info.
ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" --config.file="$lab/all.yml" \
	2>"$lab/live.err" &
exporter_pid=$!
for _ in $(seq 1 50); do
	in_lab curl -sf "http://127.0.0.1:$PORT/metrics" 2>/dev/null |
		grep -q '^dhcpd_exporter_lease_info_dropped' && break
	sleep 0.2
done
in_lab curl -sf "http://127.0.0.1:$PORT/metrics" >"$lab/live.txt"
n_live=$(series dhcpd_lease_info "$lab/live.txt")
check "live /metrics has the lease series ($n_live, --once had $n_all)" \
	[ "$n_live" -gt $((n_all - 50)) -a "$n_live" -le $((n_all + 50)) ]
stop_exporter
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" >"$lab/off.yml"
in_lab "$BIN/dhcpd_exporter" --config.file="$lab/off.yml" --once >"$lab/off.txt" 2>/dev/null
check "without lease_info: --once serves the lab (dhcpd_up 1)" \
	grep -qx 'dhcpd_up{server="lab"} 1' "$lab/off.txt"
check "without lease_info: no per-lease series at all" \
	absent -e dhcpd_lease_info -e dhcpd_lease_end_timestamp_seconds \
	-e dhcpd_exporter_lease_info "$lab/off.txt"

finish lease_info
