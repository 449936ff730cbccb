#!/bin/bash
# Self-test of the lab: start a real dhcpd, sweep it with pypureomapi, check
# the state counts of every pool against the truth file and the pool
# counters against the sweep, stop the lab. Leaves nothing behind, even on
# failure or Ctrl-C.
#   tests/lab/selftest.sh [PROFILE...]     (default: default failover)
set -u

here=$(cd "$(dirname "$0")" && pwd)
lab=$here/lab.sh
profiles=("$@")
[ ${#profiles[@]} -eq 0 ] && profiles=(default failover)
tmp=""
status=0

# Stop the current lab and remove its directory.
cleanup() {
	if [ -n "$tmp" ]; then
		"$lab" stop "$tmp"
		rm -rf "$tmp"
		tmp=""
	fi
}

# shellcheck disable=SC2317  # called from the trap
on_signal() {
	echo "selftest: interrupted" >&2
	cleanup
	exit 130
}

trap cleanup EXIT
trap on_signal INT TERM HUP

fail() {
	echo "selftest: FAIL: $*" >&2
	status=1
}

# Run one profile: start, check with ref_sweep, stop, check nothing remains.
run_profile() {
	local profile=$1 ns pid
	tmp=$(mktemp -d /tmp/dxlab-selftest.XXXXXX) || return 1
	if ! "$lab" start "$tmp" --profile "$profile"; then
		fail "$profile: lab did not start"
		cleanup
		return
	fi
	# shellcheck disable=SC1091
	. "$tmp/env"
	ns=$LAB_NETNS
	pid=$LAB_PID
	if ! "$lab" exec "$tmp" /usr/bin/python3 "$here/ref_sweep.py" \
		--check >"$tmp/check.out"; then
		fail "$profile: sweep disagrees with $tmp/truth.json (output above)"
		sed 's/^/  /' "$tmp/check.out" >&2
	fi
	cleanup
	if ip netns list | grep -qw "$ns"; then
		fail "$profile: namespace $ns still exists"
	fi
	if [ -d "/proc/$pid" ] &&
		[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
		fail "$profile: dhcpd $pid still runs"
	fi
	[ $status -eq 0 ] && echo "selftest: $profile OK"
}

[ "$(id -u)" -eq 0 ] || { echo "selftest: must run as root" >&2; exit 2; }
for p in "${profiles[@]}"; do
	run_profile "$p"
done
if [ $status -ne 0 ]; then
	echo "selftest: FAILED" >&2
else
	echo "selftest: all OK (${profiles[*]})"
fi
exit $status
