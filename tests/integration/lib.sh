# Sourced by the integration scripts: counters and the check helpers.
#   check "what users rely on" COMMAND ARGS...   ok/FAIL line, counted
#   finish NAME                                  summary line; exit status
# shellcheck shell=bash
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
finish() { echo "$1: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

# The exit trap of a script with one lab ($lab) and one exporter
# ($exporter_pid): both go, whatever way the script ends.
#   trap stop_lab_and_exporter EXIT; trap 'exit 130' INT TERM
stop_lab_and_exporter() {
	[ -n "${exporter_pid:-}" ] && kill -9 "$exporter_pid" 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

# SIGTERM the exporter ($exporter_pid) and give it 2 s to go.
stop_exporter() {
	kill "$exporter_pid" 2>/dev/null
	for _ in $(seq 1 20); do
		kill -0 "$exporter_pid" 2>/dev/null || break
		sleep 0.1
	done
	exporter_pid=
}

# Wait up to $2 s for dhcpd_up to read $1, through the script's own scrape
# function (which must answer every time: failures are counted in
# scrape_failures). Sets waited to the seconds it took.
scrape_failures=0
wait_up() {
	local want=$1 limit=$2 i v=
	waited=0
	for i in $(seq 1 $((limit * 10))); do
		v=$(scrape | awk '/^dhcpd_up\{/ { print $NF }') ||
			scrape_failures=$((scrape_failures + 1))
		if [ "$v" = "$want" ]; then
			waited=$(awk -v i="$i" 'BEGIN { printf "%.1f", i / 10 }')
			return 0
		fi
		sleep 0.1
	done
	echo "  dhcpd_up = '$v' after ${limit}s, wanted $want" >&2
	return 1
}

# Run as uid 65534, as the exporter runs in production: as_nobody CMD, or
# $NOBODY before a command whose pid must be the program's ($! after
# `ip netns exec NS $NOBODY PROG &`). Where that user cannot run programs
# at all (a root directory of mode 0700, as in a chroot made with mktemp
# -d: ld.so cannot open any library), run as root and say so, rather than
# test nothing.
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
$NOBODY /bin/true 2>/dev/null || NOBODY=
as_nobody() { $NOBODY "$@"; }

# The exporter for runs as uid 65534: a copy in the script's lab folder
# (mode 0755 under /tmp), because a checkout may sit where that user cannot
# go (/root is 0700 on a fresh Debian).  Sets XBIN.
nobody_exporter() {
	[ -z "$NOBODY" ] && echo "note: uid 65534 cannot run programs here" \
		"(/ is mode $(stat -c %a /)): running the exporter as root"
	install -m 0755 "$BIN/dhcpd_exporter" "$lab/dhcpd_exporter" &&
		XBIN=$lab/dhcpd_exporter
}

# True when $BIN/dhcpd_exporter is built with AddressSanitizer: its
# quarantine keeps freed memory, so RSS bounds do not apply.
sanitized() { ldd "$BIN/dhcpd_exporter" 2>/dev/null | grep -q libasan; }

# Real DHCP clients for the lab ($lab, its env sourced): a namespace of
# their own ($cns, derived from the lab's directory) that takes the lab's
# v1, the peer of dhcpd's v0, with 10.99.0.3 on v0's subnet.  perfdhcp acts
# as a relay there, so its clients get leases in pool lan.  The exit trap
# must stop the lab first (that deletes v0 and with it v1), then
# `ip netns del "$cns"`.
dhcp_clients_up() {
	cns=dxcli-$(printf '%s' "$lab" | sha1sum | cut -c1-12)
	ip netns add "$cns" &&
		ip -n "$LAB_NETNS" link set v1 netns "$cns" &&
		ip -n "$cns" link set lo up &&
		ip -n "$cns" addr add 10.99.0.3/16 dev v1 &&
		ip -n "$cns" link set v1 up
}

# dora N OUT [PERFDHCP ARGS...]: N DORA exchanges from new clients (their
# output in OUT); prints how many ended in an ACK.
dora() {
	local n=$1 out=$2
	shift 2
	ip netns exec "$cns" perfdhcp -4 -l 10.99.0.3 -r 20 -n "$n" \
		-R 16777216 -W 2000000 "$@" 10.99.0.1 >"$out" 2>&1
	awk '/Statistics for: REQUEST-ACK/ { f = 1 }
		f && /^received packets:/ { print $3; exit }' "$out"
}
