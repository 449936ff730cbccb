#!/bin/bash
# fleet.sh: one exporter watching a fleet of real dhcpds (issue 20, part 2).
#
#   tests/bench/fleet.sh [SMALL LARGE]      (default 20 80)
#
# LARGE dhcpds, each in a network namespace of its own joined to a hub
# namespace by a veth pair (dhcpd at 10.250.N.1, the hub at 10.250.N.2),
# each with POOLS pools (FLEET_POOLS, 50) of 91 addresses, hmac-md5 keys.
# The exporter runs in the hub with a 1 s poll and no sweep, once over the
# first SMALL servers and once over all LARGE.  Printed: servers up, the
# exporter's CPU over FLEET_SECONDS (20) after a warm-up, its RSS and peak
# RSS, and the CPU ratio LARGE/SMALL next to the servers ratio (linear:
# the same).  The goals: CPU at 80 <= 5x CPU at 20, RSS <= 24 MiB at 80 x
# 50, every server up.  Writes $OUT/fleet.txt and g9_fleet.json (OUT:
# $BUILD/bench; make bench's summary reads the JSON).
# Needs root.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
SMALL=${1:-20}
LARGE=${2:-80}
POOLS=${FLEET_POOLS:-50}
SECONDS_MEASURED=${FLEET_SECONDS:-20}
PORT=19642
TAG=dxfleet$$
HUB=$TAG-hub
TMP=$(mktemp -d /tmp/dxfleet.XXXXXX) || exit 1
SECRET=$(head -c 16 /dev/urandom | base64)
exporter_pid=

die() { echo "fleet: $*" >&2; exit 1; }

cleanup() {
	local i
	[ -n "$exporter_pid" ] && kill -9 "$exporter_pid" 2>/dev/null
	for i in $(seq 1 "$LARGE"); do
		[ -f "$TMP/d$i.pid" ] && kill -9 "$(cat "$TMP/d$i.pid")" 2>/dev/null
		ip netns del "$TAG-$i" 2>/dev/null
	done
	ip netns del "$HUB" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
[ -x "$BUILD/dhcpd_exporter" ] || die "no $BUILD/dhcpd_exporter: make all"
mkdir -p "$OUT"

# One dhcpd: its namespace, its end of a veth to the hub, its files.
start_dhcpd() {
	local i=$1 ns=$TAG-$1 p
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	ip -n "$HUB" link add "h$i" type veth peer name v0 netns "$ns" || return 1
	ip -n "$HUB" addr add "10.$((250 + i / 200)).$((i % 200)).2/24" dev "h$i"
	ip -n "$HUB" link set "h$i" up
	ip -n "$ns" addr add "10.$((250 + i / 200)).$((i % 200)).1/24" dev v0
	ip -n "$ns" link set v0 up
	{
		echo "omapi-port 7911;"
		echo "key omapi_key { algorithm hmac-md5; secret \"$SECRET\"; }"
		echo "omapi-key omapi_key;"
		echo "ddns-update-style none; authoritative; ping-check false;"
		echo "subnet 10.$((250 + i / 200)).$((i % 200)).0 netmask 255.255.255.0 { }"
		for p in $(seq 0 $((POOLS - 1))); do
			echo "subnet 172.20.$p.0 netmask 255.255.255.0 {"
			echo "  range 172.20.$p.10 172.20.$p.100; }"
		done
	} >"$TMP/d$i.conf"
	: >"$TMP/d$i.leases"
	ip netns exec "$ns" /usr/sbin/dhcpd -4 -q -cf "$TMP/d$i.conf" \
		-lf "$TMP/d$i.leases" -pf "$TMP/d$i.pid" v0 >/dev/null 2>&1
}

# The exporter's config for servers 1..$1.
fleet_yaml() {
	local i p
	echo "listen: 127.0.0.1:$PORT"
	echo "poll_interval: 1s"
	echo "servers:"
	for i in $(seq 1 "$1"); do
		echo "  - name: d$i"
		echo "    address: 10.$((250 + i / 200)).$((i % 200)).1"
		echo "    port: 7911"
		echo "    key: { name: omapi_key, algorithm: hmac-md5, secret_file: $TMP/key }"
		echo "    sweep: { enabled: false }"
		echo "    pools:"
		for p in $(seq 0 $((POOLS - 1))); do
			echo "      - { name: p$p, ranges: [\"172.20.$p.10-172.20.$p.100\"] }"
		done
	done
}

# CPU time of a process's threads, in ns (schedstat: finer than ticks).
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%d\n", s }'; }
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
servers_up() {
	ip netns exec "$HUB" curl -s "http://127.0.0.1:$PORT/metrics" |
		awk '/^dhcpd_up\{/ && $NF == 1 { n++ } END { print n + 0 }'
}

# Run the exporter over $1 servers; prints "N up cpu_s rss_kib hwm_kib".
measure() {
	local n=$1 i t0 t1 up
	fleet_yaml "$n" >"$TMP/fleet.yml"
	ip netns exec "$HUB" "$BUILD/dhcpd_exporter" --config.file="$TMP/fleet.yml" \
		>"$TMP/exporter-$n.log" 2>&1 &
	exporter_pid=$!
	for i in $(seq 1 150); do
		up=$(servers_up)
		[ "$up" -eq "$n" ] && break
		sleep 0.2
	done
	kill -0 "$exporter_pid" 2>/dev/null ||
		{ echo "fleet: the exporter exited:" >&2; tail -5 "$TMP/exporter-$n.log" >&2; }
	sleep 3		# warm: every connection open, every pool resolved
	t0=$(cpu_ns "$exporter_pid")
	sleep "$SECONDS_MEASURED"
	t1=$(cpu_ns "$exporter_pid")
	up=$(servers_up)
	echo "$n $up $(awk -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", t / 1e9 }') \
		$(status_kib "$exporter_pid" VmRSS) \
		$(status_kib "$exporter_pid" VmHWM)"
	kill "$exporter_pid"
	wait "$exporter_pid" 2>/dev/null
	exporter_pid=
}

echo "fleet: $LARGE dhcpds of $POOLS pools, each in its own namespace"
ip netns add "$HUB" || die "cannot add namespace $HUB"
ip -n "$HUB" link set lo up
printf '%s\n' "$SECRET" >"$TMP/key"
chmod 600 "$TMP/key"
for i in $(seq 1 "$LARGE"); do
	start_dhcpd "$i" || die "dhcpd $i did not start"
done
sleep 1
for i in $(seq 1 "$LARGE"); do
	[ -s "$TMP/d$i.pid" ] || die "dhcpd $i has no pid file"
done

read -r n_s up_s cpu_s rss_s hwm_s <<<"$(measure "$SMALL")"
read -r n_l up_l cpu_l rss_l hwm_l <<<"$(measure "$LARGE")"
{
	echo "fleet ($POOLS pools each, 1 s poll, no sweep, ${SECONDS_MEASURED} s measured):"
	printf '  %3d servers: %3d up, exporter CPU %7.3f s, RSS %5.1f MiB (peak %5.1f)\n' \
		"$n_s" "$up_s" "$cpu_s" "$(echo "$rss_s / 1024" | bc -l)" \
		"$(echo "$hwm_s / 1024" | bc -l)"
	printf '  %3d servers: %3d up, exporter CPU %7.3f s, RSS %5.1f MiB (peak %5.1f)\n' \
		"$n_l" "$up_l" "$cpu_l" "$(echo "$rss_l / 1024" | bc -l)" \
		"$(echo "$hwm_l / 1024" | bc -l)"
	awk -v a="$cpu_s" -v b="$cpu_l" -v ns="$n_s" -v nl="$n_l" 'BEGIN {
		printf "  CPU %d/%d servers: %.2fx (linear %.1fx, goal <= 5x)\n",
		    nl, ns, (a > 0 ? b / a : 0), nl / ns }'
} | tee "$OUT/fleet.txt"
cat >"$OUT/g9_fleet.json" <<EOF
{"pools": $POOLS, "seconds": $SECONDS_MEASURED,
 "small": $n_s, "small_up": $up_s, "small_cpu_s": $cpu_s, "small_rss_kib": $rss_s,
 "large": $n_l, "large_up": $up_l, "large_cpu_s": $cpu_l, "large_rss_kib": $rss_l,
 "large_hwm_kib": $hwm_l}
EOF
[ "$up_s" -eq "$n_s" ] && [ "$up_l" -eq "$n_l" ]
