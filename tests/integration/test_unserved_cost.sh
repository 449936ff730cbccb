#!/bin/bash
# What one unserved range costs (issue 21 item 7), against the real dhcpd:
# a pool of 4,000 one-address ranges (dhcpd serves it), and the
# exporter's copy of dhcpd.conf with one more range in that pool, which
# dhcpd does not serve.
#  - the unserved range is found (dhcpd_exporter_dhcpd_conf_unserved_ranges
#    1) and stays counted;
#  - a poll then costs a handful of OMAPI requests (one per pool, and
#    the class), not the 4,002 of re-resolving every range every poll;
#  - dhcpd restarted (the connection breaks): the ranges are checked
#    again, once;
#  - dhcpd_pool_info{ranges} of the big pool stays short: 16 ranges and
#    "+3985 more", not 98 kB.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init unserved 19601

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"

# dhcpd's file gets the big pool; the exporter's copy one range more.
big_pool() {	# EXTRA-RANGE-LINE
	echo "subnet 10.88.0.0 netmask 255.255.0.0 {"
	echo "  pool {"
	$PY -c 'for i in range(4000): print("    range 10.88.%d.%d 10.88.%d.%d;" % (i // 200, i % 200 + 1, i // 200, i % 200 + 1))'
	[ -n "$1" ] && echo "$1"
	echo "  }"
	echo "}"
}
cp "$lab/dhcpd.conf" "$lab/exp.conf"
big_pool "" >>"$lab/dhcpd.conf"
big_pool "    range 10.88.250.1 10.88.250.1;" >>"$lab/exp.conf"
check "dhcpd -t accepts the pool of 4,000 ranges" \
	sh -c "dhcpd -t -cf '$lab/dhcpd.conf' >/dev/null 2>&1"
tests/lab/lab.sh restart "$lab" >/dev/null
check "dhcpd runs on it" tests/lab/lab.sh status "$lab"

cat >"$lab/exp.yml" <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 1s
servers:
  - name: lab
    address: 127.0.0.1
    key: { key_file: $lab/omapi.key }
    dhcpd_conf: $lab/exp.conf
EOF
start_exporter --config.file="$lab/exp.yml"
check "the exporter comes up" wait_up 1 20
unserved() { [ "$(metric 'dhcpd_exporter_dhcpd_conf_unserved_ranges{server="lab"}')" = 1 ]; }
check "the unserved range is found: unserved_ranges 1" wait_for 10 unserved

requests() { metric 'dhcpd_exporter_omapi_requests_total{server="lab"}'; }
polls() { metric 'dhcpd_exporter_polls_total{server="lab"}'; }
# Requests per poll over at least 4 polls, from the exporter's counters.
per_poll() {
	local r0 p0 r1 p1
	r0=$(requests) p0=$(polls)
	sleep 4.5
	r1=$(requests) p1=$(polls)
	[ "$p1" -gt "$p0" ] || { echo 0; return; }
	echo $(((r1 - r0) / (p1 - p0)))
}
n=$(per_poll)
echo "  OMAPI requests per poll: $n (4,002 or more when every range is asked again)"
check "a poll costs a handful of requests ($n), not one per range" \
	test "$n" -ge 1 -a "$n" -le 20
check "the unserved range stays counted" unserved
r0=$(requests)
tests/lab/lab.sh restart "$lab" >/dev/null
check "dhcpd restarted: the exporter is up again" wait_up 1 20
sleep 2
r1=$(requests)
echo "  requests over the reconnect and 2 s: $((r1 - r0))"
check "after a reconnect the ranges are checked again, once ($((r1 - r0)) requests)" \
	test $((r1 - r0)) -ge 4001 -a $((r1 - r0)) -le 4200
n=$(per_poll)
check "then a handful per poll again ($n)" test "$n" -ge 1 -a "$n" -le 20
check "and the unserved range is still counted" unserved

label=$(scrape | grep '^dhcpd_pool_info{.*pool="10.88.0.1-10.88.0.1"')
echo "  dhcpd_pool_info of the big pool: ${#label} bytes"
check "dhcpd_pool_info{ranges} is bounded (${#label} bytes)" test "${#label}" -lt 1024
check "it lists the first ranges and how many more" \
	eval 'printf "%s" "$label" | grep -q "ranges=\"10.88.0.1-10.88.0.1,.*,+3985 more\""'

finish test_unserved_cost
