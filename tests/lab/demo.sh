#!/bin/bash
# make demo (README.md, tests/lab/README.md), run as root: a real dhcpd in a network namespace, DHCP
# clients (perfdhcp) in a second namespace taking leases from its small
# `demo` pool, dhcpd_exporter on this machine polling dhcpd over a veth
# pair, and a real Prometheus with the shipped scrape job and rules.
#
#   http://127.0.0.1:$DEMO_PORT/          the exporter's status page
#   http://127.0.0.1:$DEMO_PROM_PORT/classic/alerts   Prometheus' alerts page
#
# Ctrl-C, or DEMO_SECONDS, stops everything and removes every namespace,
# veth, process and file it made.  Variables:
#   DEMO_PORT       (9367) the exporter's port on 127.0.0.1
#   DEMO_PROM_PORT  (9090) Prometheus' port on 127.0.0.1
#   DEMO_NET        (10.254.67.0) the /30 between this machine and dhcpd's
#                   namespace: .1 here, .2 there (OMAPI)
#   DEMO_RATE       (1) new leases per second, a whole number
#   DEMO_SECONDS    stop after that many seconds (default: at Ctrl-C)
#   BUILD           (build) where dhcpd_exporter is
# The rules are a copy of deploy/prometheus/dhcpd_exporter.rules.yml with
# every alert's `for:` divided by 10 (5m -> 30s), so that the demo's
# alerts fire within minutes; nothing else is changed.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
PY=/usr/bin/python3
PORT=${DEMO_PORT:-9367}
PROM_PORT=${DEMO_PROM_PORT:-9090}
NET=${DEMO_NET:-10.254.67.0}
RATE=${DEMO_RATE:-1}
SECS=${DEMO_SECONDS:-}
FOR_DIVISOR=10
. tests/lab/serve.sh

die() {
	echo "demo: $*" >&2
	exit 1
}

# Fail before anything starts: root, programs, ports, the /30.
preflight() {
	local p
	[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces): sudo make demo"
	[ -x "$BUILD/dhcpd_exporter" ] || die "$BUILD/dhcpd_exporter missing (make)"
	for p in prometheus perfdhcp; do
		command -v "$p" >/dev/null ||
			die "$p not found: sh tests/deps.sh installs it"
	done
	# perfdhcp -r takes whole exchanges per second
	case $RATE in '' | *[!0-9]* | 0*) die "DEMO_RATE=$RATE: leases per second, a whole number from 1" ;; esac
	case $SECS in *[!0-9]*) die "DEMO_SECONDS=$SECS: a number of seconds" ;; esac
	port_free DEMO_PORT "$PORT" && port_free DEMO_PROM_PORT "$PROM_PORT" || exit 1
	[ "$PORT" != "$PROM_PORT" ] || die "DEMO_PORT and DEMO_PROM_PORT are both $PORT"
	net_free || exit 1
}

# Whether 127.0.0.1:PORT can be bound; if not, name the variable to change.
port_free() {
	local var=$1 port=$2 who
	case $port in '' | *[!0-9]* | 0*) die "$var=$port: a port number" ;; esac
	[ "$port" -le 65535 ] || die "$var=$port: a port number"
	# SO_REUSEADDR as the exporter (libmicrohttpd) and Prometheus (Go) bind:
	# connections of an earlier run in TIME_WAIT do not make a port taken.
	$PY -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$port" && return 0
	who=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(("[^"]*"' | head -1 | cut -d'"' -f2)
	echo "demo: port $port on 127.0.0.1 is taken${who:+ (by $who)};" \
		"set $var to a free port, e.g. $var=$((port + 1)) make demo" >&2
	[ "$who" = prometheus ] && systemctl is-active -q prometheus 2>/dev/null &&
		echo "demo: (that is the system's Prometheus: systemctl stop prometheus also frees it)" >&2
	return 1
}

# The /30 must not overlap an address or route this machine has.
net_free() {
	local a b
	case $NET in
	*.*.*.*) ;;
	*) die "DEMO_NET=$NET: the first address of a /30, e.g. 10.254.67.0" ;;
	esac
	a=$($PY -c 'import ipaddress, sys
n = ipaddress.IPv4Network(sys.argv[1] + "/30")
print(n[1], n[2])' "$NET" 2>/dev/null) || die "DEMO_NET=$NET: the first address of a /30"
	HOST_IP=${a% *}
	NS_IP=${a#* }
	b=$(ip -4 -o route show match "$HOST_IP" 2>/dev/null | grep -v '^default')
	b="$b
$(ip -4 -o addr show 2>/dev/null | grep -F -e " $HOST_IP/" -e " $NS_IP/")"
	b=$(echo "$b" | grep -v '^$')
	[ -z "$b" ] && return 0
	echo "demo: $NET/30 is in use here ($(echo "$b" | head -1 | sed 's/ *$//' | tr -s ' '));" \
		"set DEMO_NET to the first address of a free /30, e.g. DEMO_NET=10.254.68.0" >&2
	return 1
}

cleanup() {
	trap '' INT TERM
	stop_pid "$perf_pid"
	stop_pid "$prom_pid"
	stop_pid "$exp_pid"
	ip link del "$VETH" 2>/dev/null
	if [ -e "/run/netns/$CLIENTS" ]; then
		ip netns pids "$CLIENTS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$CLIENTS" 2>/dev/null
	fi
	[ -n "$lab" ] && tests/lab/lab.sh stop "$lab" >/dev/null 2>&1 && rm -rf "$lab"
	[ "$started" = 1 ] && echo "demo stopped: processes, namespaces, veths and $lab removed"
}

# dhcpd's namespace from the lab, the clients' namespace holding the other
# end of the lab's veth (v1, 10.99.0.2: perfdhcp relays from there, so
# dhcpd answers from the demo pool of 10.99.0.0/16), and a veth pair from
# this machine into dhcpd's namespace for OMAPI.
net_up() {
	# dhcpd logs to the exporter's socket (its /dev/log leads there)
	LAB_SYSLOG=$lab/dhcpd-log.sock \
		tests/lab/lab.sh start "$lab" --profile demo >"$lab/lab.out" 2>&1 ||
		{ cat "$lab/lab.out" >&2; die "dhcpd did not start"; }
	. "$lab/env"
	ip netns add "$CLIENTS" || die "cannot create namespace $CLIENTS"
	ip -n "$LAB_NETNS" link set v1 netns "$CLIENTS" &&
		ip -n "$CLIENTS" addr add 10.99.0.2/16 dev v1 &&
		ip -n "$CLIENTS" link set v1 up &&
		ip -n "$CLIENTS" link set lo up ||
		die "cannot set up the clients' namespace"
	ip link add "$VETH" type veth peer name "${VETH%h}n" netns "$LAB_NETNS" &&
		ip addr add "$HOST_IP/30" dev "$VETH" &&
		ip link set "$VETH" up &&
		ip -n "$LAB_NETNS" addr add "$NS_IP/30" dev "${VETH%h}n" &&
		ip -n "$LAB_NETNS" link set "${VETH%h}n" up ||
		die "cannot set up the veth pair $VETH"
}

exporter_up() {
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		--address "$NS_IP" --poll-interval 2s --sweep-interval 5s \
		--max-rate 5000 >"$lab/exporter.yml" || die "exporter configuration"
	# and reads dhcpd's log from the socket dhcpd's /dev/log leads to
	sed -i "/^  - name: lab\$/a\\    log: { syslog: \"unix:$lab/dhcpd-log.sock\" }" \
		"$lab/exporter.yml"
	grep -q '^    log: ' "$lab/exporter.yml" || die "exporter configuration: log"
	serve "$lab/exporter.log" "http://127.0.0.1:$PORT/-/ready" 15 \
		"$BUILD/dhcpd_exporter" --config.file="$lab/exporter.yml"
	rc=$? exp_pid=$served_pid
	[ $rc -eq 0 ] ||
		die "the exporter did not come up on 127.0.0.1:$PORT (DEMO_PORT)"
}

prometheus_up() {
	mkdir -p "$lab/prometheus" &&
		$PY tests/lab/prom_config.py site "$lab/prometheus" \
			--target "127.0.0.1:$PORT" --interval 5s \
			--for-divisor "$FOR_DIVISOR" >"$lab/prometheus/for.txt" ||
		die "Prometheus configuration"
	serve "$lab/prometheus.log" "http://127.0.0.1:$PROM_PORT/-/ready" 30 \
		prometheus --config.file="$lab/prometheus/prometheus.yml" \
		--storage.tsdb.path="$lab/prometheus/data" \
		--web.listen-address="127.0.0.1:$PROM_PORT"
	rc=$? prom_pid=$served_pid
	[ $rc -eq 0 ] ||
		die "Prometheus did not come up on 127.0.0.1:$PROM_PORT (DEMO_PROM_PORT)"
}

# perfdhcp: full DORA exchanges from ever new MACs, never a release.
clients_up() {
	ip netns exec "$CLIENTS" perfdhcp -4 -l v1 -r "$RATE" -R 1000000 \
		-g single -t 10 >"$lab/perfdhcp.log" 2>&1 </dev/null &
	perf_pid=$!
	sleep 0.5
	kill -0 "$perf_pid" 2>/dev/null || {
		tail -5 "$lab/perfdhcp.log" >&2
		die "perfdhcp did not start"
	}
}

# Stop when DEMO_SECONDS have passed or a process died.
run_until_stopped() {
	local t0=$SECONDS p
	while :; do
		[ -n "$SECS" ] && [ $((SECONDS - t0)) -ge "$SECS" ] && return 0
		for p in "$exp_pid" "$prom_pid" "$perf_pid"; do
			kill -0 "$p" 2>/dev/null && continue
			echo "demo: a process ended (logs in $lab); stopping" >&2
			return 1
		done
		sleep 1
	done
}

exp_pid='' prom_pid='' perf_pid='' started=0 lab='' rc=0
preflight
CLIENTS=dxdemo-$$-clients
VETH=dxdemo$$h
trap cleanup EXIT
trap 'exit 130' INT TERM
lab=$(mktemp -d /tmp/dhcpd-exporter-demo.XXXXXX) || die "mktemp failed"
started=1
net_up
exporter_up
prometheus_up
clients_up
cat <<EOM

The demo runs: dhcpd in namespace $LAB_NETNS, perfdhcp in $CLIENTS,
dhcpd_exporter here (OMAPI to $NS_IP over $VETH), Prometheus here;
files in $lab.

  Status page: http://127.0.0.1:$PORT/
  Metrics:     http://127.0.0.1:$PORT/metrics
  Prometheus:  http://127.0.0.1:$PROM_PORT/classic/alerts (Debian's Prometheus has its classic pages only)

Watch pool "demo" (100 addresses) fill at $RATE lease/s, full in about
$((100 / RATE)) s: reload the status page to see its bar grow. On Prometheus'
alerts page DhcpdPoolFreeAddressesLow goes pending as the pool fills and
fires 30 s later (every rule's for: is divided by $FOR_DIVISOR in this demo,
so 5m is 30s); DhcpdPoolFreeRatioLow follows a minute after that.
Once the pool is full, dhcpd turns the new clients away ("no free leases"
in its log, which the exporter reads from its socket): DhcpdClientsRefused
fires at once (critical), and the status page counts the refusals of the
last hour.
DhcpdPoolNoClientActivity fires early for office, guest and voip: their
active leases were written into dhcpd's leases file a day ago and no
client renews them, which is what that alert watches for (a broken relay).
Press Ctrl-C to stop${SECS:+ (or wait $SECS s)}.
EOM
run_until_stopped
