#!/bin/bash
# dhcpd's log, from a real dhcpd 4.4 (issue 22).  dhcpd runs in a private
# mount namespace whose /dev/log is a tap socket (dhcplog_tap.py): every
# datagram goes to truth.log, to the exporter's syslog socket, and to two
# files in rsyslog's formats that are rotated mid-traffic (rename, and
# copytruncate).  One exporter reads the three: servers sock, rename and
# copy.  perfdhcp clients (in a namespace of their own, relayed from
# 10.77.0.2) fill the 5-address pool and are refused, one client sends the
# hostname "x) via 10.77.0.2: network evil: no free leases", others come
# from a segment dhcpd has no subnet for; dhcplog_client.py sends INFORM,
# a REQUEST on the wrong network (NAK), DECLINE and RELEASE.  Then, for
# each source, every counter equals the count of the same lines in
# truth.log, taken with grep anchored the way dhcpd writes them: every
# packet type, every refusal, abandoned leases, lines; nothing lost or
# counted twice over the rotations; the forged hostname counts nothing.
# Then the journal source: journal files written by systemd-journal-remote
# from export-format entries, appended while the exporter follows them.
# Last, one UDP listener shared by two servers: lines matched by source
# address and by syslog host name, other hosts skipped, sources not in
# allowed_sources dropped and counted.
# Needs root. BUILD selects the binaries. Ports: 19510 (exporter), 19516
# (UDP syslog); 19511-19513, 19518, 19519 name servers nothing listens on.
set -u
. "$(dirname "$0")/lib.sh"
suite_init dhcplog 19510	# cd to the top, BUILD, BIN, PY, lab, the traps
sns=dhcplog-srv-$$
cns=dhcplog-cli-$$
LAB_NETNS=$sns
tap_pid=
dhcpd_ns_pid=

# suite_exit calls it on every exit path
cleanup() {
	[ -n "$exporter_pid" ] && kill -9 "$exporter_pid" 2>/dev/null
	[ -f "$lab/dhcpd.pid" ] && kill "$(cat "$lab/dhcpd.pid")" 2>/dev/null
	[ -n "$dhcpd_ns_pid" ] && kill "$dhcpd_ns_pid" 2>/dev/null
	[ -n "$tap_pid" ] && kill "$tap_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$sns" 2>/dev/null
	ip netns del "$cns" 2>/dev/null
	rm -rf "$lab"
}

for t in perfdhcp /usr/sbin/dhcpd unshare; do
	command -v "$t" >/dev/null || { echo "missing: $t"; exit 1; }
done

# The two namespaces: dhcpd on v0 10.77.0.1/24, the clients on v1.
ip netns add "$sns" && ip netns add "$cns" &&
	ip -n "$sns" link set lo up && ip -n "$cns" link set lo up &&
	ip -n "$sns" link add v0 type veth peer name v1 &&
	ip -n "$sns" link set v1 netns "$cns" &&
	ip -n "$sns" addr add 10.77.0.1/24 dev v0 &&
	ip -n "$sns" addr add 10.55.0.1/24 dev v0 &&
	ip -n "$cns" addr add 10.77.0.2/24 dev v1 &&
	ip -n "$cns" addr add 10.55.0.2/24 dev v1 &&
	ip -n "$sns" link set v0 up && ip -n "$cns" link set v1 up ||
	{ echo "cannot make the namespaces"; exit 1; }

# 10.55.0.0/24 is on v0 but declared nowhere: dhcpd has no subnet for it.
cat >"$lab/dhcpd.conf" <<'EOF'
ddns-update-style none;
ping-check false;
authoritative;
default-lease-time 3600;
max-lease-time 3600;
omapi-port 7911;
subnet 10.77.0.0 netmask 255.255.255.0 {
	range 10.77.0.10 10.77.0.14;
}
shared-network lab2 {
	subnet 10.66.0.0 netmask 255.255.255.0 {
		range 10.66.0.10 10.66.0.20;
	}
}
EOF
: >"$lab/dhcpd.leases"

# The journal: journal files systemd-journal-remote writes from
# export-format entries, read with sd_journal_open_directory.  Some
# history first: the exporter follows from the tail and must not count it.
JREMOTE=/lib/systemd/systemd-journal-remote
to_export() {	# messages on stdin -> export format (PROGRAM $1)
	$PY -c '
import sys, time
prog = sys.argv[1]
for i, m in enumerate(sys.stdin.read().splitlines()):
    t = int(time.time() * 1e6) + i
    sys.stdout.write("__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n"
        "_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=labhost\n"
        "SYSLOG_IDENTIFIER=%s\n_SYSTEMD_UNIT=isc-dhcp-server.service\n"
        "PRIORITY=6\nMESSAGE=%s\n\n" % (t, t, prog, m))
' "$1"
}
mkdir -p "$lab/journal"
printf '%s\n' 'DHCPNAK on 10.77.0.10 to 00:0c:09:00:00:01 via 10.77.0.2' \
	'DHCPDISCOVER from 00:0c:09:00:00:01 via 10.77.0.2: network 10.77.0.0/24: no free leases' |
	to_export dhcpd >"$lab/history.export"
$JREMOTE -o "$lab/journal/remote.journal" "$lab/history.export" 2>"$lab/jremote.err" ||
	{ echo "systemd-journal-remote cannot write journal files"; exit 1; }

ROTATE_AT=40 $PY tests/integration/dhcplog_tap.py "$lab" 2>"$lab/tap.err" &
tap_pid=$!
for _ in $(seq 1 50); do [ -e "$lab/tap.ready" ] && break; sleep 0.1; done

cat >"$lab/exp.yml" <<EOF
listen: 127.0.0.1:$PORT
poll_interval: 2s
servers:
  - name: sock
    address: 127.0.0.1
    port: 7911
    dhcpd_conf: $lab/dhcpd.conf
    log: { syslog: "unix:$lab/exporter.sock", socket_mode: "0620" }
  - name: rename
    address: 127.0.0.1
    port: 19511
    dhcpd_conf: $lab/dhcpd.conf
    log: { file: $lab/rename.log, host: labhost }
  - name: copy
    address: 127.0.0.1
    port: 19512
    dhcpd_conf: $lab/dhcpd.conf
    log: { file: $lab/copy.log }
  - name: journal
    address: 127.0.0.1
    port: 19513
    dhcpd_conf: $lab/dhcpd.conf
    log: { journal: isc-dhcp-server.service, journal_directory: $lab/journal }
  # one UDP listener for two servers: by source address, by host name
  - name: udpa
    address: 127.0.0.1
    port: 19518
    log: { syslog: "udp://127.0.0.1:19516", host: 127.0.0.1, allowed_sources: [127.0.0.1, 127.0.0.2] }
  - name: udpb
    address: 127.0.0.1
    port: 19519
    log: { syslog: "udp://127.0.0.1:19516", host: dhcp-b, allowed_sources: [127.0.0.1, 127.0.0.2] }
EOF
start_exporter --config.file="$lab/exp.yml"
for _ in $(seq 1 50); do [ -S "$lab/exporter.sock" ] && break; sleep 0.1; done
check "the exporter's syslog socket has the configured mode 0620" \
	[ "$(stat -c %a "$lab/exporter.sock" 2>/dev/null)" = 620 ]

# dhcpd with the tap as /dev/log, in a mount namespace of its own.
unshare -m --propagation private sh -c '
	lab=$1; ns=$2
	mkdir -p "$lab/dev.host" && mount --rbind /dev "$lab/dev.host" &&
	mount -t tmpfs -o mode=755 tmpfs /dev || exit 1
	for n in null zero urandom random full tty; do
		touch "/dev/$n" && mount --bind "$lab/dev.host/$n" "/dev/$n"
	done
	touch /dev/log && mount --bind "$lab/devlog" /dev/log || exit 1
	exec ip netns exec "$ns" /usr/sbin/dhcpd -4 -f -q -cf "$lab/dhcpd.conf" \
		-lf "$lab/dhcpd.leases" -pf "$lab/dhcpd.pid" v0
' sh "$lab" "$sns" >"$lab/dhcpd.out" 2>&1 &
dhcpd_ns_pid=$!
for _ in $(seq 1 50); do
	grep -q 'Server starting service' "$lab/truth.log" 2>/dev/null && break
	sleep 0.1
done
check "dhcpd logs through the tap as /dev/log" \
	grep -q 'dhcpd\[[0-9]*\]: Server starting service' "$lab/truth.log"

perf() {
	ip netns exec "$cns" timeout 60 perfdhcp -4 -r 20 -W 1500000 "$@" \
		10.77.0.1 >>"$lab/perfdhcp.out" 2>&1
}
# A client whose hostname is shaped like a refusal: its DHCPREQUEST stores
# it with the lease, and dhcpd prints it in every later line of that client.
evil=$(printf 'x) via 10.77.0.2: network evil: no free leases' | od -An -tx1 | tr -d ' \n')
perf -l 10.77.0.2 -n 4 -R 1 -b mac=00:0c:01:00:00:01 -o "12,$evil"
# 30 more clients for a pool of 5 (4 left): refused, "no free leases"
perf -l 10.77.0.2 -n 30 -R 30 -b mac=00:0c:02:00:00:00
# a segment dhcpd has no subnet for
perf -l 10.55.0.2 -n 5 -R 5 -b mac=00:0c:03:00:00:00
# INFORM, a REQUEST on the wrong network (NAK), DECLINE and RELEASE of
# two leases dhcpd acknowledged
client() { ip netns exec "$cns" $PY tests/integration/dhcplog_client.py 10.77.0.2 10.77.0.1 "$@"; }
client inform 10.77.0.99
client nak 00:0c:04:00:00:01 10.66.0.15
acked=$(sed -n 's/.*DHCPACK on \([0-9.]*\) to \([0-9a-f:]*\) via 10.77.0.2$/\1 \2/p' \
	"$lab/truth.log" | sort -u | head -2)
set -- $acked
[ $# -eq 4 ] && { client decline "$2" "$1"; client release "$4" "$3"; }
# and the forged client once more, now that the pool is full
perf -l 10.77.0.2 -n 2 -R 1 -b mac=00:0c:01:00:00:01 -o "12,$evil"
sleep 3

truth=$lab/truth.log
# Independent counts: grep, anchored where dhcpd's own text is.
cnt() { grep -c -E "dhcpd\[[0-9]+\]: $1" "$truth"; }
declare -A want
count_truth() {
	want[received,discover]=$(cnt 'DHCPDISCOVER from ')
	want[received,request]=$(cnt 'DHCPREQUEST for ')
	want[received,decline]=$(cnt 'DHCPDECLINE (of|from) ')
	want[received,release]=$(cnt 'DHCPRELEASE of ')
	want[received,inform]=$(cnt 'DHCPINFORM from ')
	want[sent,offer]=$(cnt 'DHCPOFFER on ')
	want[sent,ack]=$(cnt 'DHCPACK (on|to) ')
	want[sent,nak]=$(cnt 'DHCPNAK on ')
	nofree=$(cnt 'DHCPDISCOVER from .* via 10\.77\.0\.2: network 10\.77\.0\.0/24: no free leases$')
	unknown=$(cnt 'DHCPDISCOVER from [0-9a-f:]+ via 10\.55\.0\.2: unknown network segment$')
	abandoned=$(cnt 'Abandoning IP address ')
	lines=$(wc -l <"$truth")
}
count_truth
forged=$(grep -c 'network evil: no free leases) via 10.77.0.2' "$truth")

echo "  truth: $lines lines; $(for k in "${!want[@]}"; do printf '%s=%s ' "$k" "${want[$k]}"; done)"
echo "  no free leases $nofree, unknown segment $unknown, abandoned $abandoned, forged-hostname lines $forged"
check "the traffic has every packet type, both refusals and an abandoned lease" \
	bash -c "[ ${want[received,discover]} -gt 0 ] && [ ${want[received,request]} -gt 0 ] &&
	[ ${want[received,decline]} -gt 0 ] && [ ${want[received,release]} -gt 0 ] &&
	[ ${want[received,inform]} -gt 0 ] && [ ${want[sent,offer]} -gt 0 ] &&
	[ ${want[sent,ack]} -gt 0 ] && [ ${want[sent,nak]} -gt 0 ] &&
	[ $nofree -gt 0 ] && [ $unknown -gt 0 ] && [ $abandoned -gt 0 ]"
check "dhcpd printed the forged hostname ($forged lines)" [ "$forged" -gt 0 ]
check "the rotations happened mid-traffic (rename.log.1 and copy.log.1 exist, lines after them)" \
	bash -c "[ -s '$lab/rename.log.1' ] && [ -s '$lab/rename.log' ] && [ -s '$lab/copy.log.1' ] && [ -s '$lab/copy.log' ]"
check "rename.log.1 + rename.log hold every line once ($lines)" \
	[ "$(cat "$lab/rename.log.1" "$lab/rename.log" | wc -l)" = "$lines" ]

# Every counter of every source equals the truth.
same() { [ "$(metric "$1")" = "$2" ] || { echo "  $1 = '$(metric "$1")', want $2" >&2; return 1; }; }
for s in sock rename copy; do
	for k in "${!want[@]}"; do
		dir=${k%,*} type=${k#*,}
		check "$s: dhcpd_packets_${dir}_total{type=$type} = ${want[$k]}" \
			same "dhcpd_packets_${dir}_total{server=\"$s\",type=\"$type\"}" "${want[$k]}"
	done
	check "$s: no_free_leases on 10.77.0.0/24 = $nofree" \
		same "dhcpd_allocation_failures_total{server=\"$s\",reason=\"no_free_leases\",shared_network=\"10.77.0.0/24\"}" "$nofree"
	check "$s: unknown_network_segment (no network: \"\") = $unknown" \
		same "dhcpd_allocation_failures_total{server=\"$s\",reason=\"unknown_network_segment\",shared_network=\"\"}" "$unknown"
	check "$s: abandoned = $abandoned" same "dhcpd_leases_abandoned_total{server=\"$s\"}" "$abandoned"
	check "$s: log lines = $lines" same "dhcpd_exporter_log_lines_total{server=\"$s\"}" "$lines"
	check "$s: the source is up" same "dhcpd_exporter_log_source_up{server=\"$s\"}" 1
	check "$s: no shared_network=\"evil\" series, no \"other\"" \
		bash -c "! curl -sf 127.0.0.1:$PORT/metrics 2>/dev/null | grep -q 'server=\"$s\".*shared_network=\"\\(evil\\|other\\)\"'"
done
# the same listing through the network namespace's curl (scrape) for the
# record; the sums of every failure series
total=$(scrape | awk '/^dhcpd_allocation_failures_total\{server="sock"/ { s += $NF } END { print s + 0 }')
check "sock: every refusal counted once, none forged ($total = $nofree + $unknown)" \
	[ "$total" = $((nofree + unknown)) ]
check "lab2, declared in dhcpd.conf, has its zero series from the start" \
	same 'dhcpd_allocation_failures_total{server="sock",reason="no_free_leases",shared_network="lab2"}' 0
check "the exporter still polls dhcpd over OMAPI alongside" same 'dhcpd_up{server="sock"}' 1
# The status page: the refusals of the last hour next to the network's bar,
# and every network with refusals under the server's pools.
scrape / >"$lab/page.html"
check "status page: 10.77.0.0/24's row shows its $nofree refusals of the last hour" \
	grep -q "<b>10.77.0.0/24</b>.*class=\"refused\">$nofree clients refused in the last hour" "$lab/page.html"
check "status page: lab2's row shows none" \
	grep -q '<b>lab2</b>.*class="lbl">0 clients refused in the last hour' "$lab/page.html"
check "status page: the unknown segment's $unknown refusals are listed too" \
	grep -q "(no shared network) $unknown</span>" "$lab/page.html"

# A reload keeps the counters, the socket and the file positions.
before=$(metric 'dhcpd_exporter_log_lines_total{server="rename"}')
kill -HUP "$exporter_pid"
sleep 1
client inform 10.77.0.98
sleep 2.5
lines=$(wc -l <"$truth")
for s in sock rename copy; do
	check "$s: after SIGHUP, lines = $lines (nothing lost, nothing read twice)" \
		same "dhcpd_exporter_log_lines_total{server=\"$s\"}" "$lines"
done
check "rename: the reload did not start over ($before before)" [ "$before" -lt "$lines" ]

# The journal: every line of this run (real dhcpd messages) and two of
# another program, appended to the journal files the exporter follows.
check "journal: nothing counted from the history before the exporter started" \
	same 'dhcpd_exporter_log_lines_total{server="journal"}' 0
sed -E 's/^<[0-9]+>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} dhcpd\[[0-9]+\]: //' "$truth" |
	to_export dhcpd >"$lab/run.export"
printf 'Accepted publickey\nDHCPNAK on 1.2.3.4 to 0 via v0\n' | to_export sshd >>"$lab/run.export"
$JREMOTE -o "$lab/journal/remote.journal" "$lab/run.export" 2>>"$lab/jremote.err"
sleep 2.5
count_truth	# with the INFORM after the reload
for k in "${!want[@]}"; do
	dir=${k%,*} type=${k#*,}
	check "journal: dhcpd_packets_${dir}_total{type=$type} = ${want[$k]}" \
		same "dhcpd_packets_${dir}_total{server=\"journal\",type=\"$type\"}" "${want[$k]}"
done
check "journal: no_free_leases on 10.77.0.0/24 = $nofree" \
	same 'dhcpd_allocation_failures_total{server="journal",reason="no_free_leases",shared_network="10.77.0.0/24"}' "$nofree"
check "journal: unknown_network_segment = $unknown" \
	same 'dhcpd_allocation_failures_total{server="journal",reason="unknown_network_segment",shared_network=""}' "$unknown"
check "journal: abandoned = $abandoned" same 'dhcpd_leases_abandoned_total{server="journal"}' "$abandoned"
check "journal: lines = $lines + 2 of sshd" same 'dhcpd_exporter_log_lines_total{server="journal"}' $((lines + 2))
check "journal: sshd's 2 skipped (its fake NAK not counted)" \
	same 'dhcpd_exporter_log_lines_skipped_total{server="journal",reason="other_program"}' 2

# A UDP listener shared by udpa (host: its source address 127.0.0.1) and
# udpb (host: the syslog host name dhcp-b), taking 127.0.0.1 and
# 127.0.0.2 only.  The sender stands in for a forwarding syslog daemon.
udp_send() {	# SOURCE LINE
	ip netns exec "$sns" $PY -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(sys.argv[2].encode(), ("127.0.0.1", 19516))' "$1" "$2"
}
nak='DHCPNAK on 10.66.0.15 to 00:0c:04:00:00:01 via 10.77.0.2'
udp_send 127.0.0.1 "<30>Dec  7 06:21:05 dhcpd[1]: $nak"
udp_send 127.0.0.2 "<30>Dec  7 06:21:05 dhcp-b dhcpd[1]: $nak"
udp_send 127.0.0.2 "<30>Dec  7 06:21:05 dhcp-b dhcpd[1]: $nak"
udp_send 127.0.0.2 "<30>Dec  7 06:21:05 nobody dhcpd[1]: $nak"
udp_send 127.0.0.3 "<30>Dec  7 06:21:05 dhcp-b dhcpd[1]: $nak"
sleep 2.5
check "udp: the line from 127.0.0.1 (no host name) is udpa's, by its source address" \
	same 'dhcpd_packets_sent_total{server="udpa",type="nak"}' 1
check "udp: the two lines of host dhcp-b are udpb's" \
	same 'dhcpd_packets_sent_total{server="udpb",type="nak"}' 2
check "udp: a line of another host is skipped and counted (on the listener's first server)" \
	same 'dhcpd_exporter_log_lines_skipped_total{server="udpa",reason="other_host"}' 1
check "udp: a datagram from 127.0.0.3 (not allowed) is dropped and counted" \
	same 'dhcpd_exporter_log_datagrams_refused_total{server="udpb"}' 1

finish test_dhcplog
