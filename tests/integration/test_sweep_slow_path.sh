#!/bin/bash
# DHCP-first rate control over a path to dhcpd that gets slower (issue 21
# item 6), against the real dhcpd (the bench lab: one pool of 65,024
# addresses, hmac-md5) with the exporter at its default sweep settings
# (max_rate 5,000, automatic connections) reaching dhcpd through
# delay_proxy.py, and real DHCP clients (perfdhcp, 200 DISCOVERs/s as in
# make bench, SLOW_PATH_DHCP_RATE):
#  - the path gets 3 ms slower each way, with no DHCP load: the sweep
#    yields at first (it cannot tell a slower path from a busy dhcpd),
#    then returns to at least 1,000 lookups/s within a minute, by the
#    exporter's own request counter, not only its rate limit (before: the
#    limit fell to 50 and stayed there);
#  - over that slow path, and over the direct one, DHCP comes first under
#    real DHCP load: the sweep yields (its rate limit halved at least
#    once) or DHCP's drops and delay stay within goal 7's bounds; and the
#    sweep is back to >= 1,000 lookups/s within 2 minutes of its end.
#    DHCP's drops and delay with and without the sweep are printed; their
#    goal (+1 point, 2x) is make bench's goal 7, on a quiet machine.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init slowpath 19602	# the exporter
PROXY=19603	# delay_proxy.py, in front of dhcpd's 7911
DHCP_RATE=${SLOW_PATH_DHCP_RATE:-200}
DHCP_S=10
cns=pollfix-$(printf '%s' "$lab" | sha1sum | cut -c1-12)
proxy_pid=
sampler_pid=
cleanup() {
	[ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
	[ -n "${exporter_pid:-}" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	# v1 goes home first: deleting our namespace would destroy the veth
	# pair, v0 with it
	if [ -e "/run/netns/$cns" ]; then
		ip -n "$cns" link set v1 netns "$(cat "$lab/netns" 2>/dev/null)" \
			2>/dev/null
		ip netns del "$cns"
	fi
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

LAB_START_TIMEOUT=180 tests/lab/lab.sh start "$lab" --profile bench >/dev/null ||
	{ echo "lab did not start"; exit 1; }
. "$lab/env"
for t in perfdhcp chrt; do
	command -v "$t" >/dev/null || { echo "$t is missing: run tests/deps.sh"; exit 1; }
done

# perfdhcp relays from 10.64.0.2 (giaddr) in a namespace of its own, as
# make bench does, so dhcpd answers from the bench pool.
ip netns add "$cns" &&
	ip -n "$LAB_NETNS" link set v1 netns "$cns" &&
	ip netns exec "$cns" sh -ec 'ip link set lo up
		ip addr add 10.99.0.3/16 dev v1
		ip addr add 10.64.0.2/16 dev v1
		ip link set v1 up' &&
	ip -n "$LAB_NETNS" route add 10.64.0.2/32 dev v0 ||
	{ echo "cannot set up the DHCP clients' namespace"; exit 1; }

# The proxy models a network path, not a program competing for the CPU:
# it runs SCHED_FIFO, so that the machine's load does not pass for
# latency of the path.
echo 0 >"$lab/delay"
ip netns exec "$LAB_NETNS" chrt -f 10 $PY tests/integration/delay_proxy.py \
	"$PROXY" "$LAB_PORT" "$lab/delay" >"$lab/proxy.log" 2>&1 &
proxy_pid=$!

config() {	# PORT
	cat <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 5s
servers:
  - name: lab
    address: 127.0.0.1
    port: $1
    key: { key_file: $lab/omapi.key }
    sweep: { interval: 1s }
    pools:
      - name: bench
        ranges: ["10.64.1.0-10.64.254.255"]
EOF
}
config "$PROXY" >"$lab/slow.yml"
config "$LAB_PORT" >"$lab/direct.yml"

requests() { metric 'dhcpd_exporter_omapi_requests_total{server="lab"}'; }
limit() { metric 'dhcpd_exporter_sweep_rate_limit{server="lab"}'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# Phase 1: no DHCP load; the path gets 3 ms slower each way.
start_exporter --config.file="$lab/slow.yml"
check "the exporter comes up through the proxy" wait_up 1 20
sleep 8
echo 3 >"$lab/delay"
echo "  the path is 3 ms slower each way from now"
# Until the sweep runs at >= 1,000 lookups/s by the exporter's request
# counter, with a rate limit to match, for at most SECONDS (a minute):
# sets recovered (seconds, empty: never) and lowest (the lowest limit).
recover() {	# [SECONDS]
	local i now prev l rate t0
	lowest=5000 recovered= prev=$(requests) t0=$(date +%s)
	for i in $(seq 1 $((${1:-60} / 5))); do	# in 5 s steps
		sleep 5
		now=$(requests) l=$(limit)
		rate=$(((now - prev) / 5))
		prev=$now
		echo "  +$((i * 5)) s: rate limit $l, $rate lookups/s, $(metric 'dhcpd_exporter_sweep_connections{server="lab"}') connections"
		at_least "$lowest" "$l" && lowest=$l
		if [ "$rate" -ge 1000 ] && at_least "$l" 1000; then
			recovered=$(($(date +%s) - t0))
			return
		fi
	done
}
recover
check "the sweep yielded when the path got slower (rate limit down to $lowest)" \
	at_least 2500 "$lowest"
check "and is back to >= 1,000 lookups/s within a minute (${recovered:-never} s)" \
	test -n "$recovered"
stop_exporter

# Phase 2: real DHCP load, over the slow path and the direct one.
perf() {	# OUT
	ip netns exec "$cns" perfdhcp -4 -g single -l 10.64.0.2 -r "$DHCP_RATE" \
		-p "$DHCP_S" -R 20000 -i 10.99.0.1 >"$1" 2>&1
	grep -q "avg delay" "$1"
}
field() { awk -v f="$2:" '$0 ~ f { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { print $i; exit } }' "$1"; }
sample_limits() {	# the rate limit every second, into $lab/limits
	while :; do limit >>"$lab/limits"; sleep 1; done
}
# perfdhcp without a sweep, then during one (the exporter from CONFIG):
# the sweep's rate limit goes down while DHCP runs, and the sweep is back
# to >= 1,000 lookups/s within a minute of the load's end.  DHCP's drops
# and delay are printed: they are goal 7 of make bench, which needs a
# quiet machine (here, with other builds on 2 cores, perfdhcp's own
# figures moved by 20 points between two runs with no sweep at all).
# DHCP came first (BASE SWEEP LOWEST-LIMIT): the sweep's limit went down
# to 2,500 or less, or DHCP's drops and delay during the sweep stayed
# within make bench's goal 7 of those without it (over the slow path the
# sweep only sees DHCP once it adds more than the path's own time plus
# 1 ms: it need not yield while DHCP is not hurt).
dhcp_first() {
	at_least 2500 "$3" && return 0
	awk -v db="$(field "$1" "drops ratio")" -v ds="$(field "$2" "drops ratio")" \
		-v ab="$(field "$1" "avg delay")" -v as="$(field "$2" "avg delay")" \
		'BEGIN { exit !(ds <= db + 1 && as <= 2 * ab) }'
}
dhcp_load() {	# NAME CONFIG
	local b=$lab/$1_base.txt s=$lab/$1_sweep.txt low
	check "$1: perfdhcp without a sweep" perf "$b"
	: >"$lab/limits"
	start_exporter --config.file="$2"
	wait_up 1 20 >/dev/null
	sleep 3
	sample_limits &
	sampler_pid=$!
	check "$1: perfdhcp during the sweep" perf "$s"
	kill "$sampler_pid" 2>/dev/null
	wait "$sampler_pid" 2>/dev/null
	sampler_pid=
	low=$(sort -g "$lab/limits" | grep . | head -1)
	echo "  $1: DHCP drops $(field "$b" "drops ratio") % -> $(field "$s" "drops ratio") %," \
		"avg delay $(field "$b" "avg delay") ms -> $(field "$s" "avg delay") ms;" \
		"rate limit during the load: lowest ${low:-?}"
	check "$1: DHCP came first: the sweep yielded (rate limit down to ${low:-?}), or DHCP kept its service (drops +1 point, delay 2x at most)" \
		dhcp_first "$b" "$s" "${low:-5000}"
	recover 120	# dhcpd is still catching up with the load's backlog
	check "$1: after the load, back to >= 1,000 lookups/s within 2 minutes (${recovered:-never} s)" \
		test -n "$recovered"
	stop_exporter
}
dhcp_load slow "$lab/slow.yml"
echo 0 >"$lab/delay"
dhcp_load direct "$lab/direct.yml"

finish test_sweep_slow_path
