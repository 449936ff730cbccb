#!/bin/bash
# Client activity against real DHCP clients: perfdhcp, in a namespace of
# its own joined to the lab's by the lab's veth pair (v1 moved over), acts
# as a relay on the lab's v0 subnet and completes N DORA exchanges in pool
# lan, where the lab's leases file holds no client activity younger than a
# day.  Then, from the running exporter:
#  - dhcpd_pool_active_leases_seen{pool="lan"} grows by exactly N at every
#    horizon, and an independent pypureomapi sweep finds those N leases
#    active with a cltt since the exchanges began;
#  - dhcpd_pool_last_client_transaction_timestamp_seconds moves from a day
#    ago to within seconds of now;
#  - the other pools' last client transaction does not move;
#  - the status page shows the new activity of lan.
# Needs root. BUILD selects the binaries; DORA_N (default 40) exchanges.
set -u
. "$(dirname "$0")/lib.sh"
suite_init act 19580
N_SENT=${DORA_N:-40}
cns=
cleanup() {
	# the lab first: deleting its namespace takes v0 and with it v1
	stop_lab_and_exporter
	[ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
}

seen() {
	metric "dhcpd_pool_active_leases_seen{server=\"lab\",pool=\"$1\",within_seconds=\"$2\"}"
}
last_tx() {
	metric "dhcpd_pool_last_client_transaction_timestamp_seconds{server=\"lab\",pool=\"$1\"}"
}
# The last client transaction of every pool but lan, one per line.  (Their
# seen counts may fall while the test runs, as leases expire.)
others() {
	scrape | grep '^dhcpd_pool_last_client_transaction' | grep -v 'pool="lan"'
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
grep -qx 'ping-check false;' "$lab/dhcpd.conf" ||
	{ echo "the lab's dhcpd pings before offering: perfdhcp would time out"; exit 1; }

dhcp_clients_up || { echo "cannot make perfdhcp's namespace"; exit 1; }

$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1s >"$lab/exp.yml"
ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" --config.file="$lab/exp.yml" \
	2>"$lab/exporter.err" &
exporter_pid=$!
for _ in $(seq 1 50); do
	[ -n "$(seen lan 300)" ] && break
	sleep 0.2
done
s300=$(seen lan 300)
s900=$(seen lan 900)
s3600=$(seen lan 3600)
last0=$(last_tx lan)
others >"$lab/others.before"
t0=$(date +%s)
check "lan has no client activity in the last hour before the clients come" \
	[ "$s300" = 0 -a "$s900" = 0 -a "$s3600" = 0 ]
check "lan's last client transaction is a day old (${last0:-absent})" \
	eval '[ -n "$last0" ] && [ "${last0%.*}" -lt $((t0 - 86000)) ]'

# N DORA exchanges from new clients (perfdhcp counts up from its base MAC).
n=$(dora "$N_SENT" "$lab/perfdhcp.txt")
check "perfdhcp completed most of $N_SENT DORA exchanges (${n:-none})" \
	[ "${n:-0}" -ge $((N_SENT * 3 / 4)) ]
n=${n:-0}

# Wait for a sweep that has read them (sweep interval 1 s).
for _ in $(seq 1 50); do
	[ "$(seen lan 300)" = "$((s300 + n))" ] && break
	sleep 0.2
done
check "seen{within_seconds=\"300\"} grew by $n ($s300 -> $(seen lan 300))" \
	[ "$(seen lan 300)" = "$((s300 + n))" ]
check "seen{within_seconds=\"900\"} grew by $n" [ "$(seen lan 900)" = "$((s900 + n))" ]
check "seen{within_seconds=\"3600\"} grew by $n" [ "$(seen lan 3600)" = "$((s3600 + n))" ]
now=$(date +%s)
last1=$(last_tx lan)
last1=${last1%.*}
check "last client transaction moved to within seconds of now ($((now - ${last1:-0})) s ago)" \
	eval '[ -n "$last1" ] && [ "$last1" -ge "$t0" ] && [ "$last1" -le "$now" ]'

# An independent sweep agrees: exactly n active leases in lan with a cltt
# since the exchanges began.
in_lab $PY tests/lab/ref_sweep.py >"$lab/ref.jsonl" 2>/dev/null
fresh=$($PY - "$lab/ref.jsonl" "$t0" <<'EOF'
import ipaddress, json, sys
lo, hi = (int(ipaddress.ip_address(a)) for a in ("10.99.1.1", "10.99.8.254"))
t0 = int(sys.argv[2])
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if lo <= int(ipaddress.ip_address(o["ip-address"])) <= hi and \
            o.get("state") == "active" and o.get("cltt", 0) >= t0:
        n += 1
print(n)
EOF
)
check "pypureomapi finds the same $n fresh active leases in lan ($fresh)" \
	[ "$fresh" = "$n" ]
others >"$lab/others.after"
check "the other pools' last client transaction did not move" cmp -s "$lab/others.before" "$lab/others.after"

# The status page says so too.
scrape / >"$lab/page.html"
check "status page shows lan's activity ($n in 5 min)" \
	grep -q "<td>lan</td>.*<td class=\"n\" title=\"active leases seen within 5 min\">$n</td>" \
	"$lab/page.html"

stop_exporter
finish activity
