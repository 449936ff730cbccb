#!/bin/bash
# The dhcpd.conf parser against the real dhcpd, file by file over the
# corpus in tests/dhcpdconf/corpus/ and a generated 1,000-subnet file:
#   - dhcpd -t accepts the file (dhcpd -6 -t for the DHCPv6 one);
#   - our parser reads it;
#   - dhcpd runs on it in a namespace, and over OMAPI an address of a
#     declared subnet answers exactly when it lies in a range we parsed,
#     and our pools are dhcpd's pool handles (tests/dhcpdconf/check_live.py);
#   - dhcpd-pools' range list on the same file is compared with ours;
#     a difference is printed, not failed (src/README.md lists them).
# Every address of every subnet is looked up, the 256,000 of the
# 1,000-subnet file too (about 6 s); DCF_SAMPLE=N sweeps only N of its
# subnets whole, plus every range's edges.
# Root (network namespaces).
set -u
. "$(dirname "$0")/lib.sh"
suite_init dcf 19587	# (no listener: dhcpd's OMAPI in its own namespace)
tmp=$lab
DHCPD=${DHCPD:-/usr/sbin/dhcpd}
CORPUS=$PWD/tests/dhcpdconf/corpus
DUMP=$BIN/tests/dhcpdconf_dump
OMAPICTL=$BIN/omapictl
SAMPLE=${DCF_SAMPLE:-0}

ns=dxdcf-$(printf '%s' "$tmp" | sha1sum | cut -c1-12)
dpid=
cleanup() {
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}

[ -x "$DUMP" ] && [ -x "$OMAPICTL" ] || { echo "build first: make" >&2; exit 1; }
ip netns add "$ns" || exit 1
ip netns exec "$ns" sh -ec 'ip link set lo up
	ip link add v0 type veth peer name v1
	ip link set v1 up; ip link set v0 up' || exit 1

"$PY" tests/dhcpdconf/gen_large.py >"$tmp/large1000.conf" || exit 1
: >"$tmp/empty.leases"

# The address dhcpd's interface gets: the first subnet's first host.
iface_addr() {
	"$PY" -c 'import ipaddress, json, sys
s = json.load(open(sys.argv[1]))["subnets"][0]
n = ipaddress.IPv4Network("%s/%s" % (s["net"], s["mask"]), strict=False)
print("%s/%d" % (n.network_address + 1, n.prefixlen))' "$1"
}

# Wait for OMAPI's startup message in the namespace (or dhcpd's death).
wait_omapi() {
	local i
	for i in $(seq 1 100); do
		kill -0 "$dpid" 2>/dev/null || return 1
		ip netns exec "$ns" "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", 7911), timeout=0.5)
sys.exit(0 if len(s.recv(8)) == 8 else 1)' 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Start dhcpd on $1 (run from the file's folder: includes are relative to
# dhcpd's working directory), with OMAPI opened by a wrapper file.
start_dhcpd() {
	local conf=$1 dir
	dir=$(dirname "$conf")
	printf 'omapi-port 7911;\ninclude "%s";\n' "$conf" >"$tmp/wrap.conf"
	: >"$tmp/dhcpd.leases"
	rm -f "$tmp/dhcpd.pid"
	(cd "$dir" && exec ip netns exec "$ns" "$DHCPD" -4 -f -d \
		-cf "$tmp/wrap.conf" -lf "$tmp/dhcpd.leases" \
		-pf "$tmp/dhcpd.pid" v0 >"$tmp/dhcpd.log" 2>&1 </dev/null) &
	dpid=$!
	wait_omapi || { tail -20 "$tmp/dhcpd.log"; return 1; }
}

stop_dhcpd() {
	[ -n "$dpid" ] || return 0
	kill "$dpid" 2>/dev/null
	wait "$dpid" 2>/dev/null
	dpid=
}

# Our ranges and dhcpd-pools' side by side; 0 when they agree.
compare_pools() {
	local conf=$1 json=$2
	(cd "$(dirname "$conf")" && dhcpd-pools -A -c "$conf" \
		-l "$tmp/empty.leases" -f c) >"$tmp/pools.csv" 2>"$tmp/pools.err"
	"$PY" - "$json" "$tmp/pools.csv" <<'EOF'
import csv, ipaddress, json, sys
ours = {(r["first"], r["last"], r["shared_network"])
        for r in json.load(open(sys.argv[1]))["ranges"]}
theirs, on = set(), False
for row in csv.reader(open(sys.argv[2])):
    if row[:1] == ["Ranges:"]:
        on = True
        continue
    if not row or row[0].endswith(":"):
        on = False
    if on and row[0] != "shared net name":
        theirs.add((row[1], row[2], row[0]))
key = lambda r: int(ipaddress.IPv4Address(r[0]))
for r in sorted(ours - theirs, key=key):
    print("    only ours:        %s-%s  %s" % r)
for r in sorted(theirs - ours, key=key):
    print("    only dhcpd-pools: %s-%s  %s" % r)
print("    %d ranges ours, %d dhcpd-pools, %d the same" % (
    len(ours), len(theirs), len(ours & theirs)))
sys.exit(0 if ours == theirs else 1)
EOF
}

# dhcpd opens an include relative to its working directory, not to the
# including file: a copy of include.conf whose inc/level1.conf names
# "level2.conf" (next to it) is refused by dhcpd and by us alike.
mkdir -p "$tmp/rel/inc" && cp "$CORPUS"/inc/*.conf "$tmp/rel/inc/" &&
	cp "$CORPUS/include.conf" "$tmp/rel/" &&
	sed -i 's|"inc/level2.conf"|"level2.conf"|' "$tmp/rel/inc/level1.conf"
check "an include next to its includer is not found by dhcpd" sh -c \
	"cd '$tmp/rel' && ! '$DHCPD' -4 -t -cf include.conf >/dev/null 2>&1"
refused_rel() {
	local out
	out=$(cd "$tmp/rel" && "$DUMP" include.conf 2>&1 >/dev/null) && return 1
	echo "   $out"
	[ "$out" = 'inc/level1.conf:5:1: include "level2.conf": No such file or directory' ]
}
check "... nor by the parser, which names the include" refused_rel

for conf in "$CORPUS"/*.conf "$tmp/large1000.conf"; do
	name=$(basename "$conf")
	echo "== $name"
	json=$tmp/$name.json
	if [ "$name" = dhcpv6.conf ]; then
		check "$name: dhcpd -6 -t accepts it" sh -c \
			"cd '$CORPUS' && '$DHCPD' -6 -t -cf '$conf' >/dev/null 2>&1"
		check "$name: dhcpd -4 -t refuses it (subnet6)" sh -c \
			"! '$DHCPD' -4 -t -cf '$conf' >/dev/null 2>&1"
		check "$name: parsed, DHCPv6 skipped: no range" sh -c \
			"'$DUMP' '$conf' | grep -q '\"ranges\":\[\]'"
		continue
	fi
	check "$name: dhcpd -t accepts it" sh -c \
		"cd '$(dirname "$conf")' && '$DHCPD' -4 -t -cf '$conf' >/dev/null 2>&1"
	if ! (cd "$(dirname "$conf")" && "$DUMP" "$conf") >"$json" 2>"$tmp/err"; then
		fail "$name: parsed: $(cat "$tmp/err")"
		continue
	fi
	ok "$name: parsed"
	ip netns exec "$ns" ip addr flush dev v0
	ip netns exec "$ns" ip addr add "$(iface_addr "$json")" dev v0
	if ! start_dhcpd "$conf"; then
		fail "$name: dhcpd runs on it"
		stop_dhcpd
		continue
	fi
	sample=0
	[ "$name" = large1000.conf ] && sample=$SAMPLE
	t0=$SECONDS
	check "$name: dhcpd serves exactly our ranges, in our pools" \
		ip netns exec "$ns" "$PY" tests/dhcpdconf/check_live.py \
		"$json" "$OMAPICTL" --sample "$sample"
	echo "   (probe: $((SECONDS - t0)) s)"
	stop_dhcpd
	compare_pools "$conf" "$json" ||
		echo "   note: dhcpd-pools differs on $name (see src/README.md)"
done
finish test_dhcpdconf
