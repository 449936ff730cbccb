#!/bin/bash
# The README's demo: a real dhcpd with sample leases in a network namespace
# and dhcpd_exporter polling it.  Ctrl-C stops both and removes everything.
#   DEMO_PORT (default 9367): where /metrics is served, on this machine.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PORT=${DEMO_PORT:-9367}
lab=$(mktemp -d /tmp/dhcpd-exporter-demo.XXXXXX)
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip link del dxdemo0 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
	echo "demo stopped; namespace and files removed"
}
trap cleanup EXIT
trap 'exit 0' INT TERM
tests/lab/lab.sh start "$lab" >/dev/null || exit 1
. "$lab/env"
/usr/bin/python3 tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 5s --sweep-interval 30s --max-rate 5000 >"$lab/exporter.yml"
# The exporter runs inside the namespace, where dhcpd's OMAPI is on 127.0.0.1.
ip netns exec "$LAB_NETNS" "$BUILD/dhcpd_exporter" \
	--config.file="$lab/exporter.yml" &
pid=$!
for i in $(seq 1 50); do
	ip netns exec "$LAB_NETNS" curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null && break
	sleep 0.2
done
cat <<EOM

dhcpd_exporter is running against a real dhcpd (namespace $LAB_NETNS,
$(grep -c '^lease' "$lab/dhcpd.leases") sample leases, config $lab/exporter.yml).

  Metrics:     ip netns exec $LAB_NETNS curl -s http://127.0.0.1:$PORT/metrics
  Status page: ip netns exec $LAB_NETNS curl -s http://127.0.0.1:$PORT/
  A lease:     ip netns exec $LAB_NETNS $BUILD/omapictl -K $LAB_KEYFILE lease ip 10.99.1.1

First lines of /metrics:
EOM
ip netns exec "$LAB_NETNS" curl -s "http://127.0.0.1:$PORT/metrics" | grep -v '^#' | head -12
echo
echo "Press Ctrl-C to stop (or set DEMO_SECONDS to stop by itself)."
if [ -n "${DEMO_SECONDS:-}" ]; then sleep "$DEMO_SECONDS"; else wait "$pid"; fi
