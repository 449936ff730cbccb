#!/bin/bash
# dhcpd_exporter against a real dhcpd that fails in the ways servers fail:
#  - hung (SIGSTOP) until the timeouts fire, then SIGCONT;
#  - the network between them gone (the veth taken down), then back;
#  - the server's key changed under the exporter, then the exporter's key
#    file updated and SIGHUP;
#  - SIGKILL in the middle of a sweep and a restart, FAULT_CYCLES times.
# Each time: dhcpd_up goes to 0 within one poll interval plus the timeout,
# /metrics answers all along (every scrape has a 1 s limit), the cause is
# counted under its reason, the outage is logged once (not every poll), and
# the exporter comes back on its own. Open file descriptors and RSS are
# compared between an early and the last kill cycle.
#
# The exporter runs unprivileged (uid/gid 65534) in a namespace of its own,
# joined to the lab's by a veth pair: OMAPI crosses a link the test can cut.
# Needs root. BUILD selects the binaries; FAULT_CYCLES (default 10).
set -u
. "$(dirname "$0")/lib.sh"
suite_init fault 19400
CYCLES=${FAULT_CYCLES:-10}
POLL_S=1	# poll_interval
TIMEOUT_S=1	# server timeout
DETECT_S=$((POLL_S + TIMEOUT_S + 2))	# a poll, its timeout, slack
tag=$(basename "$lab" | tr -dc 'a-zA-Z0-9' | tail -c 6)
cns=dxfc-$tag		# the exporter's namespace
vlab=dxfl$tag		# veth end in the lab namespace
vcli=dxfc$tag		# veth end in the exporter's namespace

cleanup() {
	[ -n "$exporter_pid" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	[ -n "${LAB_PID:-}" ] && kill -CONT "$LAB_PID" 2>/dev/null
	ip netns del "$cns" 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}
SCRAPE_NS=$cns		# scraped from the exporter's side of the link
SCRAPE_TIMEOUT=1
EXPORTER_NS=$cns
errors() { metric "dhcpd_exporter_omapi_errors_total{server=\"lab\",reason=\"$1\"}"; }
alive() { kill -0 "$exporter_pid" 2>/dev/null; }
outages_logged() { grep -c 'not answering' "$lab/exporter.err"; }


tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
nobody_exporter || { echo "cannot copy the exporter"; exit 1; }

# The link: 10.98.0.1 (lab, where dhcpd's OMAPI listens on every address)
# to 10.98.0.2 (exporter).
ip netns add "$cns" &&
	ip link add "$vlab" type veth peer name "$vcli" &&
	ip link set "$vlab" netns "$LAB_NETNS" &&
	ip link set "$vcli" netns "$cns" &&
	ip -n "$LAB_NETNS" addr add 10.98.0.1/30 dev "$vlab" &&
	ip -n "$LAB_NETNS" link set "$vlab" up &&
	ip -n "$cns" addr add 10.98.0.2/30 dev "$vcli" &&
	ip -n "$cns" link set "$vcli" up &&
	ip -n "$cns" link set lo up || { echo "cannot make the link"; exit 1; }

# The exporter's own copy of the key, owned by the unprivileged user.
cp "$LAB_KEYFILE" "$lab/exporter.key"
chown 65534:65534 "$lab/exporter.key"
chmod 600 "$lab/exporter.key"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval ${POLL_S}s --sweep-interval 1s --max-rate 2000 |
	sed -e "s|address: 127.0.0.1|address: 10.98.0.1|" \
	    -e "s|timeout: 2s|timeout: ${TIMEOUT_S}s|" \
	    -e "s|key_file: .*omapi.key|key_file: $lab/exporter.key|" >"$lab/exp.yml"
chmod 644 "$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"

[ -n "$NOBODY" ] && check "the exporter runs as uid 65534" \
	sh -c "sleep 0.3; awk '/^Uid:/ { exit \$2 != 65534 }' /proc/$exporter_pid/status"
# Nothing below means anything without a running exporter: stop here.
if wait_up 1 10; then
	ok "dhcpd_up 1 across the veth"
else
	fail "dhcpd_up 1 across the veth"
	tail -20 "$lab/exporter.err" | sed 's/^/  exporter: /'
	finish test_faults
	exit 1
fi

# --- hung server -----------------------------------------------------
t0=$(errors timeout)
kill -STOP "$LAB_PID"
check "SIGSTOP: dhcpd_up 0 within ${DETECT_S}s" wait_up 0 $DETECT_S
echo "  detected after ${waited}s"
sleep 1
check "SIGSTOP: counted as timeout" [ "$(errors timeout)" -gt "$t0" ]
kill -CONT "$LAB_PID"
check "SIGCONT: dhcpd_up back to 1 on its own" wait_up 1 15
echo "  back after ${waited}s"

# --- link down -------------------------------------------------------
before=$(( $(errors timeout) + $(errors connection) ))
ip -n "$LAB_NETNS" link set "$vlab" down
check "link down: dhcpd_up 0 within ${DETECT_S}s" wait_up 0 $DETECT_S
echo "  detected after ${waited}s"
sleep 2
check "link down: counted (timeout or connection)" \
	[ $(( $(errors timeout) + $(errors connection) )) -gt "$before" ]
ip -n "$LAB_NETNS" link set "$vlab" up
check "link up: dhcpd_up back to 1 on its own" wait_up 1 20
echo "  back after ${waited}s"

# --- key changed under the exporter ------------------------------------
a0=$(errors auth)
tests/lab/lab.sh rekey "$lab" >/dev/null || fail "lab rekey"
. "$lab/env"
check "rekey: dhcpd_up 0" wait_up 0 $((DETECT_S + 3))
# dhcpd's restart is seen first (a reset); the wrong key shows on the next
# attempt, which reconnect backoff may put a few seconds later.
auth_counted() {
	for _ in $(seq 1 50); do
		[ "$(errors auth)" -gt "$a0" ] && return 0
		sleep 0.2
	done
	return 1
}
check "rekey: counted as auth (within 10 s)" auth_counted
cp "$LAB_KEYFILE" "$lab/exporter.key.new"
chown 65534:65534 "$lab/exporter.key.new"
chmod 600 "$lab/exporter.key.new"
mv "$lab/exporter.key.new" "$lab/exporter.key"
kill -HUP "$exporter_pid"
check "new key + SIGHUP: dhcpd_up back to 1" wait_up 1 15

# --- SIGKILL mid-sweep and restart, many times ----------------------------
r0=$(metric 'dhcpd_exporter_connection_resets_total{server="lab"}')
fd_early= rss_early= kill_detect_max=0 cycle_fail=0
for c in $(seq 1 "$CYCLES"); do
	sleep 0.$((RANDOM % 9 + 1))	# somewhere in a sweep (1.7 s each)
	kill -9 "$LAB_PID"
	wait_up 0 $DETECT_S || cycle_fail=$((cycle_fail + 1))
	kill_detect_max=$(awk -v a="$kill_detect_max" -v b="$waited" \
		'BEGIN { print (b > a) ? b : a }')
	tests/lab/lab.sh restart "$lab" >/dev/null || cycle_fail=$((cycle_fail + 1))
	. "$lab/env"
	wait_up 1 15 || cycle_fail=$((cycle_fail + 1))
	if [ "$c" -eq 2 ]; then fd_early=$(fds); rss_early=$(rss_kb); fi
done
fd_last=$(fds)
rss_last=$(rss_kb)
check "$CYCLES kill/restart cycles: each seen and recovered" [ "$cycle_fail" -eq 0 ]
echo "  slowest detection ${kill_detect_max}s"
check "connection resets counted" \
	[ "$(metric 'dhcpd_exporter_connection_resets_total{server="lab"}')" -gt "${r0:-0}" ]
echo "  fds: cycle 2 $fd_early, cycle $CYCLES $fd_last; RSS: $rss_early kB, $rss_last kB"
check "open fds flat over the cycles" grew_less "$fd_early" "$fd_last" 1
sanitized ||
	check "RSS flat over the cycles (< 256 kB growth)" \
		grew_less "$rss_early" "$rss_last" 256

# --- over all of it ----------------------------------------------------------
check "the exporter is still running" alive
check "every scrape answered within 1 s" [ "$scrape_failures" -eq 0 ]
episodes=$((3 + CYCLES))
check "each outage logged once ($episodes outages, $(outages_logged) lines)" \
	[ "$(outages_logged)" -eq "$episodes" ]
# The key episode ends with a reload: the outage goes on across it, so its
# end is logged too (issue 21: it never was).
check "each recovery logged once, the one across a reload too" \
	[ "$(grep -c 'answering again' "$lab/exporter.err")" -eq "$episodes" ]
check "the shared-pool warning once per configuration (2)" \
	[ "$(grep -c 'are one pool in dhcpd' "$lab/exporter.err")" -eq 2 ]
if [ "$failed" -ne 0 ]; then
	echo "--- exporter log (last 30 lines)"
	tail -30 "$lab/exporter.err"
fi
finish test_faults
