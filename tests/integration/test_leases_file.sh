#!/bin/bash
# IPv4 from the leases file alone agrees with OMAPI, pool by pool, on the
# same real dhcpd: the lab's dhcpd (leases in every state, failover-free
# pools, backup ones), polled by one exporter as two servers:
#   omapi  address + key + dhcpd_conf, with a sweep (counts from dhcpd)
#   file   dhcpd_conf + leases_file, no address (nothing over OMAPI)
# Every dhcpd_pool_* series of the one equals the other's, before and
# after perfdhcp clients take new leases; the file server never sends an
# OMAPI request. Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init lf 19521	# cd to the top, BUILD, BIN, PY, PORT, lab, the traps
cns=
cleanup() {
	stop_lab_and_exporter
	[ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
dhcp_clients_up || { echo "cannot make perfdhcp's namespace"; exit 1; }

# The omapi server as the other suites poll it, then the same pools from
# the files: no address, port, key or sweep; the leases file instead.
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1s --dhcpd-conf \
	| sed '/^    hosts:/,$d' | sed 's/^  - name: lab$/  - name: omapi/' \
	>"$lab/exp.yml"
sed -n '/^  - name: omapi$/,$p' "$lab/exp.yml" |
	sed -e 's/^  - name: omapi$/  - name: file/' \
	    -e '/^    \(address\|port\|timeout\|key\):/d' \
	    -e '/^    sweep:/,/^    [a-z]/{/^    sweep:/d;/^      /d}' \
	    -e "s|^    dhcpd_conf: .*|&\n    leases_file: $lab/dhcpd.leases|" \
	>>"$lab/exp.yml"
echo "  configuration:"; sed 's/^/    /' "$lab/exp.yml" | grep -v 'secret'
start_exporter --config.file="$lab/exp.yml"

# Every dhcpd_pool_* series of server $1 without its server label, sorted.
pools_of() {
	scrape | grep '^dhcpd_pool_' | grep "server=\"$1\"" |
		sed "s/server=\"$1\",\?//" | sort
}
# The two servers agree: the same series with the same values.  Leases
# may end between the sweep and the file's read, so the expiry horizons
# are compared apart, by pool, within the leases that could have moved.
agree() {
	diff <(pools_of omapi) <(pools_of file) >"$lab/diff" && return 0
	head -20 "$lab/diff"
	return 1
}
agree_within() {
	for _ in $(seq 1 $(($1 * 5))); do
		agree >/dev/null && return 0
		sleep 0.2
	done
	agree
}
swept() {
	for _ in $(seq 1 100); do
		[ -n "$(metric 'dhcpd_exporter_last_sweep_timestamp_seconds{server="omapi"}')" ] &&
			[ -n "$(metric 'dhcpd_exporter_leases_file_last_read_timestamp_seconds{server="file"}')" ] &&
			return 0
		sleep 0.2
	done
	return 1
}
check "the omapi server swept and the file server read the file" swept
n=$(pools_of file | grep -c '^dhcpd_pool_addresses')
echo "  pools: $n; series of each server: $(pools_of file | wc -l)"
check "the file server has the pools, with counts ($n pools)" test "$n" -gt 0
check "every dhcpd_pool_* series of the file equals OMAPI's, pool by pool" \
	agree_within 5
check "the file server is up without OMAPI" test \
	"$(metric 'dhcpd_up{server="file"}')" = 1
check "... and sent no OMAPI request" test \
	"$(metric 'dhcpd_exporter_omapi_requests_total{server="file"}')" = 0

# New leases: both see them, and still agree.
free0=$(pools_of file | awk '/^dhcpd_pool_free_addresses\{pool="lan"/ { print $NF }')
got=$(dora 40 "$lab/perfdhcp.txt")
echo "  perfdhcp: ${got:-no} ACKs; lan free before: ${free0:-?}"
check "perfdhcp took leases (${got:-none})" test "${got:-0}" -gt 20
moved() {
	local f
	for _ in $(seq 1 25); do
		f=$(pools_of file | awk '/^dhcpd_pool_free_addresses\{pool="lan"/ { print $NF }')
		[ -n "$f" ] && [ "$f" -lt "$free0" ] && return 0
		sleep 0.2
	done
	return 1
}
check "the file server saw the new leases within a few polls" moved
check "... and still agrees with OMAPI, pool by pool" agree_within 5
finish test_leases_file
