#!/bin/bash
# Reloads, judged as one and said on /metrics (issue 21 items 5 and 9),
# against the lab's real dhcpd, with the exporter as a daemon reading its
# own copy of the lab's dhcpd.conf:
#  - dhcpd_exporter_config_last_reload_successful is 1 from the start,
#    with the start as its success timestamp;
#  - a dhcpd.conf edit that parses but splits the pool a named YAML pool
#    lies in (it now straddles two discovered pools) is refused: the
#    verdict goes to 0, and back to 1, with a newer timestamp, when the
#    file is mended;
#  - an include that takes the server past 16,384 pools: refused, 0;
#  - a YAML file that does not parse, on SIGHUP: 0, then 1 again;
#  - a dhcpd.conf that does not parse: its FILE:LINE:COLUMN error is
#    logged, and no bogus "sweep needs pools" after it;
#  - dhcpd stopped (SIGSTOP): "not answering" is logged once, a SIGHUP
#    during the outage does not log it again, and "answering again" is
#    logged when dhcpd continues.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init reloadv 19600
cleanup() {
	[ -f "$lab/dhcpd.pid" ] && kill -CONT "$(cat "$lab/dhcpd.pid")" 2>/dev/null
	stop_lab_and_exporter
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"

verdict() { metric dhcpd_exporter_config_last_reload_successful; }
verdict_is() { [ "$(verdict)" = "$1" ]; }
stamp() { metric dhcpd_exporter_config_last_reload_success_timestamp_seconds; }
log_count() { grep -c -- "$1" "$lab/exporter.err"; }
log_count_is() { [ "$(log_count "$1")" = "$2" ]; }
newer() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b > a) }'; }

# The exporter's own copy of dhcpd.conf, so that edits never reach dhcpd.
cp "$lab/dhcpd.conf" "$lab/exp.conf"
cp "$lab/dhcpd.conf" "$lab/good.conf"
good_yaml() {	# [nopools]
	cat <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 1s
servers:
  - name: lab
    address: 127.0.0.1
    timeout: 1s
    key: { key_file: $lab/omapi.key }
    dhcpd_conf: $lab/exp.conf
    sweep: { interval: 60s, max_rate: 0 }
EOF
	[ "${1:-}" = nopools ] || cat <<EOF
    pools:
      - name: office
        ranges: ["10.20.0.10-10.20.0.250"]
EOF
}
good_yaml >"$lab/exp.yml"
t_start=$(date +%s)
start_exporter --config.file="$lab/exp.yml"
check "the exporter comes up" wait_up 1 15
check "config_last_reload_successful is 1 from the start" verdict_is 1
s0=$(stamp)
check "its success timestamp is the start ($s0, started at $t_start)" \
	awk -v s="$s0" -v t="$t_start" 'BEGIN { exit !(s >= t - 1 && s <= t + 5) }'

# Issue 21 item 5: the pool of office split in two by an edit of the file.
sleep 1.1	# a new mtime
sed -e 's|^    range 10.20.0.10 10.20.0.250;|    range 10.20.0.10 10.20.0.100;\n  }\n  pool {\n    range 10.20.0.101 10.20.0.250;|' \
	"$lab/good.conf" >"$lab/exp.conf.new"
mv "$lab/exp.conf.new" "$lab/exp.conf"
check "a pool split under a named YAML pool: the reload is refused (0)" \
	wait_for 10 verdict_is 0
check "the refusal is logged with the YAML pool's line" \
	grep -q "exp.yml:.*pool 'office' overlaps dhcpd.conf's pool" "$lab/exporter.err"
check "the success timestamp stays that of the start" test "$(stamp)" = "$s0"
sleep 1.1
cp "$lab/good.conf" "$lab/exp.conf.new" && mv "$lab/exp.conf.new" "$lab/exp.conf"
check "the file mended: the next reload is taken (1)" wait_for 10 verdict_is 1
s1=$(stamp)
check "with a newer success timestamp ($s0 -> $s1)" newer "$s0" "$s1"

# Pools past 16,384: an include of 16,385 one-address pools.
$PY - "$lab/many.conf" <<'EOF'
import ipaddress, sys
with open(sys.argv[1], "w") as f:
    for i in range(16385):
        a = ipaddress.IPv4Address("172.16.0.0") + 4 * i
        f.write("subnet %s netmask 255.255.255.252 { pool { range %s %s; } }\n"
                % (a, a + 1, a + 1))
EOF
sleep 1.1
{ cat "$lab/good.conf"; echo "include \"$lab/many.conf\";"; } >"$lab/exp.conf.new"
mv "$lab/exp.conf.new" "$lab/exp.conf"
check "an include that passes 16,384 pools: refused (0)" wait_for 20 verdict_is 0
check "and logged" grep -q "at most 16384 are watched per server" "$lab/exporter.err"
sleep 1.1
cp "$lab/good.conf" "$lab/exp.conf.new" && mv "$lab/exp.conf.new" "$lab/exp.conf"
check "mended: 1 again" wait_for 20 verdict_is 1

# A YAML file that does not parse, on SIGHUP, then a good one.
echo "servers: [" >"$lab/exp.yml"
kill -HUP "$exporter_pid"
check "a YAML file that does not parse, on SIGHUP: 0" wait_for 10 verdict_is 0
good_yaml >"$lab/exp.yml"
kill -HUP "$exporter_pid"
check "the good one on SIGHUP: 1" wait_for 10 verdict_is 1

# Issue 21 item 9: a dhcpd.conf that does not parse is one error, for a
# server whose pools all come from it.
good_yaml nopools >"$lab/exp.yml"
kill -HUP "$exporter_pid"
check "a server whose pools all come from dhcpd.conf, on SIGHUP: 1" \
	wait_for 10 verdict_is 1
line=$(grep -n '^    range 10.31.0.1 10.31.0.62;' "$lab/good.conf" | cut -d: -f1)
sleep 1.1
sed -e 's|^    range 10.31.0.1 10.31.0.62;|    range 10.31.0.1 10.31.0.300;|' \
	"$lab/good.conf" >"$lab/exp.conf.new"
mv "$lab/exp.conf.new" "$lab/exp.conf"
check "a dhcpd.conf that does not parse: refused (0)" wait_for 10 verdict_is 0
sleep 0.5
check "its FILE:LINE:COLUMN error is logged" \
	grep -q "exp.conf:$line:[0-9]*:" "$lab/exporter.err"
check "and no bogus 'sweep needs pools' follows it" \
	test "$(log_count 'sweep needs pools')" = 0
sleep 1.1
cp "$lab/good.conf" "$lab/exp.conf.new" && mv "$lab/exp.conf.new" "$lab/exp.conf"
check "mended: 1" wait_for 10 verdict_is 1

# Issue 21 item 9: an outage goes on across a reload.
kill -STOP "$(cat "$lab/dhcpd.pid")"
check "dhcpd stopped: the exporter sees it down" wait_up 0 15
check "\"not answering\" is logged once" test "$(log_count 'not answering')" = 1
n=$(log_count "configuration reloaded")
kill -HUP "$exporter_pid"
check "a reload during the outage is taken" \
	wait_for 10 log_count_is "configuration reloaded" $((n + 1))
sleep 4	# polls of the new configuration, still failing
check "a reload during the outage does not log it again" \
	test "$(log_count 'not answering')" = 1
kill -CONT "$(cat "$lab/dhcpd.pid")"
check "dhcpd continues: up again" wait_up 1 20
check "\"answering again\" is logged once the outage ends" \
	wait_for 5 log_count_is "answering again" 1
echo "  exporter log: $(wc -l <"$lab/exporter.err") lines"

finish test_reload_verdict
