#!/bin/bash
# DHCPv6 from the leases file, against a real `dhcpd -6`: a server
# namespace (dhcpd on a veth with its link-local address and a `nodad`
# global one) and a client namespace where perfdhcp -6 -e
# address-and-prefix takes addresses and prefixes and releases some (-F).
# The exporter reads dhcpd6.conf and the leases file only (no address:
# nothing over OMAPI, which has no DHCPv6 objects). Checked:
#  - every range6 and prefix6 count, by state, and the newest cltt, equal
#    an independent reading of the same file (tests/leases/read_leases.py);
#  - the range6 equals dhcpd-pools: defined = dhcpd6_pool_addresses,
#    used = active, touched = the other states;
#  - the prefix6's size; the file's metrics; promtool check metrics; the
#    status page's DHCPv6 table;
#  - new clients appear within two polls;
#  - a dhcpd restart, which rewrites the file (a new inode), changes no
#    count, and the exporter reads the new file whole;
#  - a real Prometheus with the shipped rules: the DHCPv6 recorded series
#    (free addresses and prefixes, thresholds, the file's allowed age)
#    equal what the counts say, and every query of the dashboard's DHCPv6
#    section returns data.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init v6 19520	# cd to the top, BUILD, BIN, PY, PORT, lab, the traps
PROM_PORT=19523
POLL=1
SNS=leases6s$$
CNS=leases6c$$
prom_pid=
cleanup() {
	[ -n "$prom_pid" ] && { kill "$prom_pid"; wait "$prom_pid"; } 2>/dev/null
	[ -n "$exporter_pid" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	[ -f "$lab/dhcpd.pid" ] && kill "$(cat "$lab/dhcpd.pid")" 2>/dev/null
	ip netns del "$SNS" 2>/dev/null
	ip netns del "$CNS" 2>/dev/null
	rm -rf "$lab"
}
SCRAPE_NS=$SNS
SCRAPE_URL=http://127.0.0.1:$PORT

R6_FIRST=2001:db8:0:1::100
R6_LAST=2001:db8:0:1::1ff
R6="$R6_FIRST-$R6_LAST"
P6_FIRST=2001:db8:1::
P6_LAST=2001:db8:1:ff00::
P6="$P6_FIRST-$P6_LAST/56"
SN=2001:db8:0:1::/64
cat >"$lab/dhcpd6.conf" <<EOF
default-lease-time 3600;
preferred-lifetime 1800;
max-lease-time 7200;
subnet6 $SN {
	range6 $R6_FIRST $R6_LAST;
	range6 2001:db8:0:1:1::/80 temporary;
	prefix6 $P6_FIRST $P6_LAST /56;
}
EOF
: >"$lab/dhcpd6.leases"
cat >"$lab/exporter.yml" <<EOF
listen: 127.0.0.1:$PORT
poll_interval: ${POLL}s
servers:
  - name: six
    dhcpd_conf: $lab/dhcpd6.conf
    leases_file: $lab/dhcpd6.leases
EOF

# The namespaces: the veth's link-local addresses need ~2 s to settle.
ip netns add "$SNS" && ip netns add "$CNS" &&
	ip link add "${SNS}v" type veth peer name "${CNS}v" &&
	ip link set "${SNS}v" netns "$SNS" && ip link set "${CNS}v" netns "$CNS" &&
	ip -n "$SNS" link set lo up && ip -n "$CNS" link set lo up &&
	ip -n "$SNS" addr add 2001:db8:0:1::1/64 dev "${SNS}v" nodad &&
	ip -n "$CNS" addr add 2001:db8:0:1::2/64 dev "${CNS}v" nodad &&
	ip -n "$SNS" link set "${SNS}v" up && ip -n "$CNS" link set "${CNS}v" up ||
	{ fail "namespaces"; finish test_dhcpv6; exit; }
sleep 2.5

start_dhcpd() {
	rm -f "$lab/dhcpd.pid"
	ip netns exec "$SNS" dhcpd -6 -q -cf "$lab/dhcpd6.conf" \
		-lf "$lab/dhcpd6.leases" -pf "$lab/dhcpd.pid" "${SNS}v" \
		>>"$lab/dhcpd.log" 2>&1
}
check "dhcpd -6 starts on the veth" start_dhcpd

# Clients: N solicits for an address and a prefix each, R of them
# released; DUIDs (DUID-LLT) from base MAC $1: each round its own clients.
clients() {
	ip netns exec "$CNS" timeout 60 perfdhcp -6 -l "${CNS}v" \
		-e address-and-prefix -b "mac=$1" -R "$2" -r 20 -n "$2" \
		${3:+-F "$3"} -W 2000000 >>"$lab/perfdhcp.log" 2>&1
	return 0
}

# The independent reading, in the exporter's series names and order.
independent() {
	"$PY" tests/leases/read_leases.py "$lab/dhcpd6.leases" \
		"na|$R6|$R6_FIRST|$R6_LAST" "pd|$P6|$P6_FIRST|$P6_LAST|56"
}
# The exporter's counts, in the same form ("POOL STATE N", zeros left out).
exported() {
	scrape | awk '
	/^dhcpd6_(prefix_)?pool_leases\{/ && $NF != "0" {
		match($0, /pool="[^"]*"/); p = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /state="[^"]*"/); s = substr($0, RSTART + 7, RLENGTH - 8)
		print p, s, $NF }
	/^dhcpd6_pool_last_client_transaction_timestamp_seconds\{/ {
		match($0, /pool="[^"]*"/); p = substr($0, RSTART + 6, RLENGTH - 7)
		print "last_cltt", p, $NF }' | sort
}
# Wait up to $1 s for both readings to agree; sets took (s).
agree_within() {
	local start=$SECONDS
	for _ in $(seq 1 $(($1 * 5))); do
		if diff <(independent | sort) <(exported) >"$lab/diff" 2>&1; then
			took=$((SECONDS - start))
			return 0
		fi
		sleep 0.2
	done
	cat "$lab/diff"
	return 1
}

EXPORTER_NS=$SNS
start_exporter --config.file="$lab/exporter.yml"
up_within() {
	for _ in $(seq 1 50); do
		[ "$(metric 'dhcpd_up{server="six"}')" = 1 ] && return 0
		sleep 0.2
	done
	return 1
}
check "the exporter reads the empty file: dhcpd_up 1 without OMAPI" up_within

clients 00:0c:01:00:00:00 30 5
check "perfdhcp took addresses and prefixes" \
	grep -q 'iaprefix' "$lab/dhcpd6.leases"
check "some were released" grep -q 'binding state released' \
	"$lab/dhcpd6.leases"
echo "  independent reading:"; independent | sed 's/^/    /'
check "counts by state and newest cltt equal the independent reading" \
	agree_within 5

# dhcpd-pools reads the same files: range6 defined/used/touched.
pools_json() {
	dhcpd-pools -c "$lab/dhcpd6.conf" -l "$lab/dhcpd6.leases" -f j
}
versus_dhcpd_pools() {
	local m
	m=$(scrape)
	pools_json | "$PY" -c '
import json, re, sys
d = json.load(sys.stdin)["subnets"][0]
m = sys.argv[1]
def v(series):
    r = re.search("^" + re.escape(series) + r" (\S+)$", m, re.M)
    return float(r.group(1)) if r else None
base = "server=\"six\",pool=\"%s\",shared_network=\"%s\"" % (sys.argv[2], sys.argv[3])
size = v("dhcpd6_pool_addresses{%s}" % base)
st = {s: v("dhcpd6_pool_leases{%s,state=\"%s\"}" % (base, s))
      for s in ("active", "expired", "released", "abandoned")}
print("  dhcpd-pools: defined %d used %d touched %d; exporter: %s %s"
      % (d["defined"], d["used"], d["touched"], size, st))
sys.exit(not (size == d["defined"] and st["active"] == d["used"] and
              st["expired"] + st["released"] + st["abandoned"] == d["touched"]))
' "$m" "$R6" "$SN"
}
check "range6 equals dhcpd-pools (defined, used, touched)" versus_dhcpd_pools
check "the prefix6 can delegate 256 /56 prefixes" test \
	"$(metric "dhcpd6_prefix_pool_prefixes{server=\"six\",pool=\"$P6\",shared_network=\"$SN\",prefix_length=\"56\"}")" = 256
check "the temporary range6 has a type=\"temporary\" series set (2^48)" test \
	"$(metric "dhcpd6_pool_addresses{server=\"six\",pool=\"2001:db8:0:1:1::/80\",shared_network=\"$SN\",type=\"temporary\"}")" = 281474976710656
bytes_all() { metric 'dhcpd_exporter_leases_file_bytes_read_total{server="six"}'; }
check "bytes read so far = the file's size (one whole read, then tails)" \
	test "$(bytes_all)" = "$(stat -c %s "$lab/dhcpd6.leases")"
check "no read errors" test \
	"$(metric 'dhcpd_exporter_leases_file_read_errors_total{server="six"}')" = 0
fresh_read() {
	local t
	t=$(metric 'dhcpd_exporter_leases_file_last_read_timestamp_seconds{server="six"}')
	"$PY" -c 'import sys, time; sys.exit(not time.time() - float(sys.argv[1]) < 3)' "$t"
}
check "the file was read within the last poll or two" fresh_read
check "promtool check metrics accepts /metrics" sh -c \
	"ip netns exec $SNS curl -sf $SCRAPE_URL/metrics | promtool check metrics"

# The status page: a DHCPv6 table with the range6's active count.
page_shows() {
	local active
	active=$(independent | awk -v p="$R6" '$1 == p && $2 == "active" { print $3 }')
	scrape / | grep -q "<th>DHCPv6 pool</th>" &&
		scrape / | grep -q "<tr><td>$R6</td><td>$SN</td><td>addresses</td><td class=\"n\">256</td><td class=\"n\">$active</td>"
}
check "the status page shows the DHCPv6 pools with their counts" page_shows

# New clients: seen within two polls of dhcpd writing them.
before=$(independent | awk '$2 == "active" { n += $3 } END { print n + 0 }')
clients 00:0c:02:00:00:00 20
after=$(independent | awk '$2 == "active" { n += $3 } END { print n + 0 }')
echo "  active leases: $before before, $after after the second round"
check "the second round added active leases" test "$after" -gt "$before"
check "new clients appear within two polls ($((2 * POLL)) s)" \
	agree_within $((2 * POLL))
echo "  (took ${took:-?} s)"

# A restart: dhcpd writes the whole file anew (a new inode).  It keeps
# the active leases and drops the released ones (they are free again in
# dhcpd itself, and dhcpd-pools reads the same): the active counts stay,
# and every count still equals the independent reading and dhcpd-pools.
ino=$(stat -c %i "$lab/dhcpd6.leases")
active() { exported | awk '$2 == "active"'; }
want=$(active)
restart_dhcpd() {
	kill "$(cat "$lab/dhcpd.pid")" && sleep 1 && start_dhcpd
}
check "dhcpd restarts" restart_dhcpd
sleep 1
check "the restart rewrote the file (a new inode)" test \
	"$(stat -c %i "$lab/dhcpd6.leases")" != "$ino"
unchanged() {
	sleep $((2 * POLL + 1))
	diff <(echo "$want") <(active)
}
check "the restart changes no active count" unchanged
check "... every count equals the independent reading" agree_within 2
check "... and the range6 equals dhcpd-pools" versus_dhcpd_pools
reread() {
	# the old file, then the new one whole
	[ "$(bytes_all)" -gt "$(stat -c %s "$lab/dhcpd6.leases")" ]
}
check "the new file was read whole" reread

# A real Prometheus with the shipped rules, scraping the exporter.
cat >"$lab/prometheus.yml" <<EOF
global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s }
rule_files: [ "$PWD/deploy/prometheus/dhcpd_exporter.rules.yml" ]
scrape_configs:
  - job_name: dhcpd_exporter
    static_configs: [ { targets: [ "127.0.0.1:$PORT" ] } ]
EOF
ip netns exec "$SNS" prometheus --config.file="$lab/prometheus.yml" \
	--storage.tsdb.path="$lab/tsdb" --web.listen-address="127.0.0.1:$PROM_PORT" \
	>"$lab/prometheus.log" 2>&1 &
prom_pid=$!
# The value of an instant query (its first series), or nothing.
query() {
	ip netns exec "$SNS" curl -sf --max-time 5 -G \
		--data-urlencode "query=$1" "http://127.0.0.1:$PROM_PORT/api/v1/query" |
		"$PY" -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}
recorded() {
	for _ in $(seq 1 100); do
		[ -n "$(query 'dhcpd6_prefix_pool:free_prefixes')" ] && return 0
		sleep 0.2
	done
	return 1
}
check "Prometheus records the DHCPv6 series" recorded
count() {
	independent | awk -v p="$1" -v s="$2" '$1 == p && $2 == s { n = $3 } END { print n + 0 }'
}
free6=$((256 - $(count "$R6" active) - $(count "$R6" abandoned)))
freep=$((256 - $(count "$P6" active) - $(count "$P6" abandoned)))
check "dhcpd6_pool:free_addresses = size - active - abandoned ($free6)" test \
	"$(query "dhcpd6_pool:free_addresses{pool=\"$R6\"}")" = "$free6"
check "dhcpd6_prefix_pool:free_prefixes = prefixes - active - abandoned ($freep)" \
	test "$(query "dhcpd6_prefix_pool:free_prefixes{pool=\"$P6\"}")" = "$freep"
check "the range6's count threshold: the IPv4 rule's, 10 for 256 addresses" test \
	"$(query "dhcpd6_pool:free_addresses_threshold{pool=\"$R6\"}")" = 10
check "the prefix6's count threshold: 10 for 256 prefixes" test \
	"$(query "dhcpd6_prefix_pool:free_prefixes_threshold{pool=\"$P6\"}")" = 10
check "the leases file may go 300 s unread" test \
	"$(query 'dhcpd_leases_file:max_age_seconds_threshold{server="six"}')" = 300
check "no DHCPv6 or leases-file alert on a healthy server" test -z \
	"$(query 'ALERTS{alertname=~"Dhcpd6.*|DhcpdLeasesFileStale"}')"
# Every query of the dashboard's DHCPv6 section, with every server.
dashboard_v6() {
	local q bad=0
	while IFS= read -r q; do
		if [ -z "$(query "$q")" ]; then
			echo "  no data: $q"
			bad=1
		fi
	done < <("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
on = False
for p in d["panels"]:
    if p["type"] == "row":
        on = p["title"].startswith("DHCPv6")
        continue
    if on:
        for t in p.get("targets", []):
            print(t["expr"].replace("$server", ".*"))' dashboards/dhcpd.json)
	return $bad
}
check "every query of the dashboard's DHCPv6 section returns data" dashboard_v6
finish test_dhcpv6

