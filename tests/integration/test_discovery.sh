#!/bin/bash
# Pools from dhcpd.conf (issue 12), against the lab's real dhcpd and its
# own dhcpd.conf, with the exporter as a daemon:
#  - every pool of the file is reported once (campus-a and campus-b, two
#    pool blocks with the same permit list, are one dhcpd pool: one series
#    set with both ranges), with its shared network; a YAML pool inside a
#    discovered one names it; the shared network's sums are over its
#    distinct pools;
#  - the file edited (a new subnet and pool) without restarting dhcpd:
#    picked up by its mtime within a poll, the new range counted in
#    dhcpd_exporter_dhcpd_conf_unserved_ranges and logged once;
#  - dhcpd restarted on it: the new pool is served and counted, without
#    restarting the exporter;
#  - the file broken: the last good structure stays, the failed read is
#    counted and logged with FILE:LINE:COLUMN; --check-config refuses it.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init disc 19584

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
get() { scrape; }
value() { metric "$1"; }
cat >"$lab/exp.yml" <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 1s
servers:
  - name: lab
    address: 127.0.0.1
    key: { key_file: $lab/omapi.key }
    dhcpd_conf: $lab/dhcpd.conf
    sweep: { interval: 2s, max_rate: 0 }
    pools:
      - name: office
        ranges: ["10.20.0.10-10.20.0.250"]
        labels: { site: hq }
EOF
check "--check-config reads the dhcpd.conf and accepts it" \
	"$BIN/dhcpd_exporter" --config.file="$lab/exp.yml" --check-config
start_exporter --config.file="$lab/exp.yml"
up() { [ "$(value 'dhcpd_up{server="lab"}')" = 1 ]; }
wait_for 10 up

info() { get | grep '^dhcpd_pool_info{'; }
check "seven dhcpd pools from the file, each once" test "$(info | wc -l)" -eq 7
check "campus-a and campus-b are one dhcpd pool: one series set, both ranges" \
	eval 'info | grep -qF "pool=\"10.40.0.10-10.40.0.250\",shared_network=\"campus\",ranges=\"10.40.0.10-10.40.0.250,10.41.0.10-10.41.0.250\""'
check "its counters are the dhcpd pool's: 482 addresses, reported once" \
	test "$(value 'dhcpd_pool_addresses{server="lab",pool="10.40.0.10-10.40.0.250",shared_network="campus"}')" = 482
check "the YAML pool inside a discovered one names it and labels it" \
	eval 'info | grep -qF "pool=\"office\",shared_network=\"10.20.0.0/22\",site=\"hq\",ranges=\"10.20.0.10-10.20.0.250,10.20.2.10-10.20.2.250\""'
check "a subnet outside any shared network is named by its CIDR" \
	eval 'info | grep -qF "pool=\"10.50.0.10-10.50.0.109\",shared_network=\"10.50.0.0/24\""'
check "the shared network's addresses: its two distinct pools (482 + 200)" \
	test "$(value 'dhcpd_shared_network_addresses{server="lab",shared_network="campus"}')" = 682
sum_free=$(get | awk '/^dhcpd_pool_free_addresses\{.*shared_network="campus"/ { s += $NF } END { print s }')
check "and its free addresses are their sum ($sum_free)" \
	test "$(value 'dhcpd_shared_network_free_addresses{server="lab",shared_network="campus"}')" = "$sum_free"
check "every range of the file is served" \
	test "$(value 'dhcpd_exporter_dhcpd_conf_unserved_ranges{server="lab"}')" = 0
swept() { [ -n "$(value 'dhcpd_exporter_last_sweep_timestamp_seconds{server="lab"}')" ]; }
wait_for 10 swept
check "the sweep covers the discovered ranges" \
	test "$(get | grep -c '^dhcpd_pool_leases{server="lab",pool="10.99.1.1-10.99.8.254"')" -eq 7

# Edited, dhcpd not restarted.
cat >>"$lab/dhcpd.conf" <<'EOF'
subnet 10.70.0.0 netmask 255.255.255.0 {
  pool {
    range 10.70.0.10 10.70.0.20;
  }
}
EOF
unserved_one() { [ "$(value 'dhcpd_exporter_dhcpd_conf_unserved_ranges{server="lab"}')" = 1 ]; }
check "an edit without a dhcpd restart shows as one unserved range" \
	wait_for 10 unserved_one
check "the new pool is there, not resolved" \
	test "$(value 'dhcpd_pool_resolved{server="lab",pool="10.70.0.10-10.70.0.20",shared_network="10.70.0.0/24"}')" = 0
check "the change was picked up by its mtime, no signal sent" \
	grep -q 'dhcpd.conf changed; reloading' "$lab/exporter.err"
sleep 2
check "the unserved range is logged once" \
	test "$(grep -c 'ranges of .* are not served by dhcpd' "$lab/exporter.err")" -eq 1

# dhcpd restarted on the edited file.
tests/lab/lab.sh restart "$lab" >/dev/null
served() { [ "$(value 'dhcpd_pool_addresses{server="lab",pool="10.70.0.10-10.70.0.20",shared_network="10.70.0.0/24"}')" = 11 ]; }
check "after a dhcpd restart the new pool is served (11 addresses), exporter not restarted" \
	wait_for 15 served
check "and nothing is unserved" \
	test "$(value 'dhcpd_exporter_dhcpd_conf_unserved_ranges{server="lab"}')" = 0

# Broken.
loaded() { [ "$(value 'dhcpd_exporter_dhcpd_conf_last_load_successful{server="lab"}')" = "$1" ]; }
check "the file parses: last_load_successful 1" loaded 1
cp "$lab/dhcpd.conf" "$lab/dhcpd.conf.good"
printf 'subnet 10.80.0.0 netmask 255.255.255.0 {\n  range 10.80.0.1\n' >>"$lab/dhcpd.conf"
failed_once() { [ "$(value 'dhcpd_exporter_dhcpd_conf_load_errors_total{server="lab"}')" = 1 ]; }
check "a broken file is counted as a failed read" wait_for 10 failed_once
check "and the last good structure stays (8 pools)" test "$(info | wc -l)" -eq 8
check "the log names the file, line and column" \
	grep -qE "dhcpd.conf:[0-9]+:[0-9]+: " "$lab/exporter.err"
sleep 2
check "tried once per change, not once per poll" failed_once
check "... and last_load_successful is 0 while it stays broken" loaded 0
out=$("$BIN/dhcpd_exporter" --config.file="$lab/exp.yml" --check-config 2>&1)
check "--check-config refuses it with FILE:LINE:COLUMN" \
	eval 'echo "$out" | grep -qE "dhcpd.conf:[0-9]+:[0-9]+: "'
cp "$lab/dhcpd.conf.good" "$lab/dhcpd.conf"
check "mended: last_load_successful 1 again, the failure still counted" \
	wait_for 10 eval 'loaded 1 && failed_once'
stop_exporter

finish test_discovery
