#!/bin/bash
# dhcpd_exporter against a server that misbehaves on purpose: fake_omapi.py,
# a proxy to a real (keyed) dhcpd that breaks its replies, mode by mode
# (split at every offset, truncated, lengths near 2^32, 300,000 attributes,
# bad and missing signatures, replies to requests never sent, silence, one
# byte every 0.2 s, close on accept, garbage instead of the startup).
# For each: the exporter stays up and /metrics answers within 1 s, dhcpd_up
# goes to 0 (or stays 1 where the damage is harmless), the case is counted
# under its reason, the outage is logged once, and when the proxy behaves
# again the exporter recovers on its own. RSS is bounded over all of it.
# Beside it the exporter polls the same dhcpd directly (server "direct"),
# which stays up through every mode: one bad server harms no other.
# Needs root. BUILD selects the binaries; HOSTILE_MODES="badsig slow" runs
# only those modes.
set -u
. "$(dirname "$0")/lib.sh"
suite_init hostile 19420	# the exporter
FAKE=19421		# fake_omapi.py
fake_pid=
cleanup() {
	[ -n "$fake_pid" ] && kill -9 "$fake_pid" 2>/dev/null
	stop_lab_and_exporter
}

SCRAPE_TIMEOUT=1
errors() {
	scrape | awk -v s="dhcpd_exporter_omapi_errors_total{server=\"lab\",reason=\"$1\"}" \
		'index($0, s" ") == 1 { print $NF }'
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
echo proxy >"$lab/mode"
ip netns exec "$LAB_NETNS" $PY tests/integration/fake_omapi.py "$FAKE" \
	"$LAB_PORT" "$lab/mode" >"$lab/fake.log" 2>&1 &
fake_pid=$!
disown
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1s >"$lab/one.yml"
{
	sed -e "s|port: $LAB_PORT|port: $FAKE|" -e "s|timeout: 2s|timeout: 1s|" "$lab/one.yml"
	server_block "$lab/one.yml" direct 127.0.0.1
} >"$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"

check "through the well-behaved proxy: dhcpd_up 1" wait_up 1 10
sleep 2		# a sweep or two through the proxy
rss_start=$(rss_kb)

# mode, what dhcpd_up must read under it, the reason it is counted under
# ("-": harmless, nothing counted).
episodes=0
direct_down=
direct_up() { [ "$(metric 'dhcpd_up{server="direct"}')" = 1 ] || direct_down="$direct_down $mode"; }
while read -r mode up reason; do
	case " ${HOSTILE_MODES:-$mode} " in *" $mode "*) ;; *) continue ;; esac
	before=0
	[ "$reason" != - ] && before=$(errors "$reason")
	echo "$mode" >"$lab/mode"
	if [ "$up" = 0 ]; then
		check "$mode: dhcpd_up 0" wait_up 0 5
		episodes=$((episodes + 1))
	else
		sleep 3
		check "$mode: dhcpd_up stays 1" wait_up 1 1
	fi
	sleep 1
	if [ "$reason" != - ]; then
		after=$(errors "$reason")
		check "$mode: counted as $reason ($before -> $after)" \
			[ "${after:-0}" -gt "${before:-0}" ]
	fi
	check "$mode: exporter alive" kill -0 "$exporter_pid"
	direct_up
	echo proxy >"$lab/mode"
	check "$mode: recovered when the server behaves" wait_up 1 15
done <<'EOF'
split 1 -
unsolicited 1 protocol
truncate 0 connection
hugelen 0 protocol
manyattrs 0 protocol
badsig 0 auth
nosig 0 auth
silent 0 timeout
slow 0 timeout
close 0 connection
garbage 0 protocol
EOF

rss_end=$(rss_kb)
echo "  RSS: $rss_start kB after the first sweeps, $rss_end kB at the end"
sanitized ||
	check "RSS bounded (< 1 MiB growth over every mode)" \
		grew_less "$rss_start" "$rss_end" 1024
check "the server beside it stayed up through every mode (down in:${direct_down:- none})" \
	[ -z "$direct_down" ]
check "every scrape answered within 1 s" [ "$scrape_failures" -eq 0 ]
check "each outage logged once ($episodes outages)" \
	[ "$(grep -c 'not answering' "$lab/exporter.err")" -eq "$episodes" ]
[ -z "${HOSTILE_MODES:-}" ] &&
	check "replies to requests never sent logged once per connection" \
		[ "$(grep -c 'requests never sent' "$lab/exporter.err")" -ge 1 ]
if [ "$failed" -ne 0 ]; then
	echo "--- exporter log"
	tail -40 "$lab/exporter.err"
fi
finish test_hostile
