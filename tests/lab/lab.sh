#!/bin/bash
# Test lab: a real ISC dhcpd in a private network namespace.
#
#   lab.sh start DIR [--leases N] [--key ALG|--no-key] [--seed S]
#                    [--profile default|bench|failover|pools1000|demo]
#                    [--pools N (pools1000: N pools of 65 addresses)]
#   lab.sh stop DIR                 kill dhcpd, delete the namespace (idempotent)
#   lab.sh exec DIR CMD...          run CMD inside the namespace
#   lab.sh restart DIR              restart dhcpd (same conf and leases)
#   lab.sh kill DIR SIGNAL          send SIGNAL to dhcpd (fault tests)
#   lab.sh rekey DIR [ALG]          new secret (and algorithm), restart dhcpd
#   lab.sh status DIR               exit 0 when dhcpd runs and OMAPI answers
#   lab.sh start-pair DIR [--no-key]  a failover pair: DIR/primary and
#                    DIR/secondary, two labs (each usable with the commands
#                    above) in two namespaces joined by a veth pair
#   lab.sh stop-pair DIR            stop both sides (idempotent)
#
# After start, DIR/env is shell-sourceable: LAB_NETNS LAB_PID LAB_KEY_NAME
# LAB_KEY_ALG LAB_KEY_SECRET LAB_KEYFILE LAB_HOST LAB_PORT LAB_TRUTH LAB_DIR
# LAB_PROFILE. Inside the namespace OMAPI is on 127.0.0.1:7911; v0 is
# 10.99.0.1/16. dhcpd runs with -d, its log is DIR/dhcpd.log (there is no
# syslog here). Typical use:
#   tmp=$(mktemp -d); trap 'tests/lab/lab.sh stop $tmp; rm -rf $tmp' EXIT
#   tests/lab/lab.sh start $tmp; . $tmp/env
#   tests/lab/lab.sh exec $tmp build/omapictl -K $LAB_KEYFILE lease ip 10.99.1.1
# Environment: DHCPD (default /usr/sbin/dhcpd), LAB_START_TIMEOUT (s; 10, bench 60),
# LAB_SYSLOG (a unix datagram socket path: dhcpd's /dev/log leads there).
set -u

LAB_HOME=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
DHCPD=${DHCPD:-/usr/sbin/dhcpd}
PORT=7911
TIMEOUT=${LAB_START_TIMEOUT:-}

# Print a message and exit non-zero.
die() {
	echo "lab: $*" >&2
	exit 1
}

usage() {
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# Absolute path of an existing directory.
lab_absdir() {
	[ -d "$1" ] || die "no such directory: $1"
	(cd "$1" && pwd -P)
}

# Namespace name derived from the lab directory (unique per directory).
lab_nsname() {
	printf 'dxlab-%s\n' "$(printf '%s' "$1" | sha1sum | cut -c1-12)"
}

# True when the namespace exists.
lab_ns_exists() {
	[ -e "/run/netns/$1" ]
}

# Pid of our dhcpd when it is alive, else nothing.
lab_pid() {
	local pid
	pid=$(cat "$1/dhcpd.pid" 2>/dev/null) || return 1
	case $pid in '' | *[!0-9]*) return 1 ;; esac
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dhcpd ] || return 1
	# it must be the dhcpd of this lab: same config file on its command line
	tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null |
		grep -qxF "$1/dhcpd.conf" || return 1
	echo "$pid"
}

# Create the namespace with lo and the veth pair.
lab_net_up() {
	local dir=$1 ns=$2 profile=$3
	if lab_ns_exists "$ns"; then
		lab_net_down "$ns"
	fi
	ip netns add "$ns" || die "ip netns add $ns failed (root needed)"
	echo "$ns" >"$dir/netns"
	ip netns exec "$ns" sh -ec '
		ip link set lo up
		ip link add v0 type veth peer name v1
		ip addr add 10.99.0.1/16 dev v0
		ip link set v1 up
		ip link set v0 up' || return 1
	if [ "$profile" = failover ]; then
		# the failover peer address: local to the namespace, nothing
		# listens on its port, so no traffic leaves the namespace
		ip netns exec "$ns" ip addr add 10.99.0.2/32 dev lo || return 1
	fi
}

# Kill whatever still runs in the namespace, then delete it.
lab_net_down() {
	local ns=$1 pids
	lab_ns_exists "$ns" || return 0
	pids=$(ip netns pids "$ns" 2>/dev/null)
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null
		sleep 0.2
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null || true
}

# Wait until OMAPI answers the startup message (or dhcpd dies, or timeout).
lab_wait_omapi() {
	local ns=$1 bgpid=$2
	ip netns exec "$ns" "$PY" - "$PORT" "$TIMEOUT" "$bgpid" <<'EOF'
import os, socket, struct, sys, time
port, timeout, pid = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
want = struct.pack("!II", 100, 24)
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
        with open("/proc/%d/stat" % pid) as f:
            if f.read().split(") ")[1].startswith("Z"):
                raise ProcessLookupError
    except (ProcessLookupError, FileNotFoundError):
        print("lab: dhcpd exited during startup", file=sys.stderr)
        sys.exit(3)
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=0.5)
        s.settimeout(1.0)
        got = b""
        while len(got) < 8:
            chunk = s.recv(8 - len(got))
            if not chunk:
                break
            got += chunk
        s.close()
        if got == want:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.02)
print("lab: OMAPI did not answer on 127.0.0.1:%d within %gs" % (port, timeout),
      file=sys.stderr)
sys.exit(4)
EOF
}

# Start dhcpd in the namespace and wait for OMAPI; on failure show its log.
lab_dhcpd_up() {
	local dir=$1 ns=$2 bg rc off
	rm -f "$dir/dhcpd.pid"
	off=$(($(stat -c %s "$dir/dhcpd.log" 2>/dev/null || echo 0) + 1))
	[ -e "$dir/dhcpd.leases" ] || : >"$dir/dhcpd.leases"
	# LAB_SYSLOG: dhcpd's /dev/log is a symlink to that socket path, in a
	# mount namespace of its own (a tmpfs on /dev, the devices it needs
	# bound back); its syslog() connects through it whenever the socket
	# is there.  unshare, sh and ip netns exec all exec: $! is dhcpd.
	set -- ip netns exec "$ns" "$DHCPD" -4 -d -cf "$dir/dhcpd.conf" \
		-lf "$dir/dhcpd.leases" -pf "$dir/dhcpd.pid" \
		"$(cat "$dir/iface" 2>/dev/null || echo v0)"
	if [ -n "${LAB_SYSLOG:-}" ]; then
		unshare -m --propagation private sh -c '
			d=$1 log=$2; shift 2
			mkdir -p "$d/dev.host" && mount --rbind /dev "$d/dev.host" &&
			mount -t tmpfs -o mode=755 tmpfs /dev || exit 1
			for n in null zero urandom random full tty; do
				touch "/dev/$n" && mount --bind "$d/dev.host/$n" "/dev/$n" ||
					exit 1
			done
			ln -s "$log" /dev/log || exit 1
			exec "$@"' sh "$dir" "$LAB_SYSLOG" "$@" \
			>>"$dir/dhcpd.log" 2>&1 </dev/null &
	else
		"$@" >>"$dir/dhcpd.log" 2>&1 </dev/null &
	fi
	bg=$!
	lab_wait_omapi "$ns" "$bg"
	rc=$?
	# dhcpd starts even when it stops reading a bad leases file
	if [ $rc -eq 0 ] && tail -c +"$off" "$dir/dhcpd.log" |
		grep -q "Corrupt lease file"; then
		echo "lab: dhcpd could not parse $dir/dhcpd.leases" >&2
		rc=5
	fi
	if [ $rc -ne 0 ]; then
		echo "lab: dhcpd failed to start in $ns; $dir/dhcpd.log:" >&2
		tail -c +"$off" "$dir/dhcpd.log" | tail -n 40 | sed 's/^/  | /' >&2
		kill -KILL "$bg" 2>/dev/null
		wait "$bg" 2>/dev/null
		return 1
	fi
	# dhcpd writes its pid file before it opens the OMAPI listener
	[ "$(lab_pid "$dir")" = "$bg" ] ||
		echo "lab: warning: pid file $(cat "$dir/dhcpd.pid" 2>/dev/null) != $bg" >&2
	echo "$bg" >"$dir/dhcpd.pid"
	return 0
}

# Stop our dhcpd (TERM, then KILL after 3 s).
lab_dhcpd_down() {
	local dir=$1 pid i
	pid=$(lab_pid "$dir") || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 150); do
		[ -d "/proc/$pid" ] || break
		[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
		sleep 0.02
	done
	[ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -f "$dir/dhcpd.pid"
	return 0
}

# Startup timeout: LAB_START_TIMEOUT, else 10 s (60 s for bench: a fresh
# bench lab loads in ~1 s, but dhcpd rewrites the leases file in its own
# order, and reloading that on restart takes ~10 s of CPU).
lab_set_timeout() {
	[ -n "$TIMEOUT" ] && return 0
	TIMEOUT=10
	grep -qx bench "$1/gen.args" 2>/dev/null && TIMEOUT=60
	return 0
}

# Shell-quote one value for the env file.
lab_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Write DIR/env from truth.json and the running state.
lab_write_env() {
	local dir=$1 ns=$2 pid=$3
	"$PY" - "$dir" <<'EOF' >"$dir/env.tmp" || return 1
import json, os, sys
d = sys.argv[1]
t = json.load(open(os.path.join(d, "truth.json")))
k = t.get("key") or {}
print("LAB_KEY_NAME=%s" % k.get("name", ""))
print("LAB_KEY_ALG=%s" % k.get("algorithm", ""))
print("LAB_KEY_SECRET=%s" % k.get("secret", ""))
print("LAB_KEYFILE=%s" % (os.path.join(d, "omapi.key") if k else ""))
print("LAB_PROFILE=%s" % t["profile"])
EOF
	{
		echo "# test lab $dir (generated by tests/lab/lab.sh)"
		while IFS= read -r line; do
			echo "${line%%=*}=$(lab_quote "${line#*=}")"
		done <"$dir/env.tmp"
		echo "LAB_NETNS=$(lab_quote "$ns")"
		echo "LAB_PID=$pid"
		echo "LAB_HOST=127.0.0.1"
		echo "LAB_PORT=$PORT"
		echo "LAB_TRUTH=$(lab_quote "$dir/truth.json")"
		echo "LAB_DIR=$(lab_quote "$dir")"
		echo "export LAB_NETNS LAB_PID LAB_KEY_NAME LAB_KEY_ALG LAB_KEY_SECRET LAB_KEYFILE LAB_HOST LAB_PORT LAB_TRUTH LAB_DIR LAB_PROFILE"
	} >"$dir/env"
	rm -f "$dir/env.tmp"
	chmod 600 "$dir/env"
}

cmd_start() {
	local dir="" profile=default seed=1 key=hmac-md5 nokey=0 leases="" pools=""
	local ns gen_args
	[ $# -ge 1 ] || usage
	dir=$1
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--leases) leases=${2:?--leases N}; shift 2 ;;
		--key) key=${2:?--key ALG}; shift 2 ;;
		--no-key) nokey=1; shift ;;
		--seed) seed=${2:?--seed S}; shift 2 ;;
		--profile) profile=${2:?--profile NAME}; shift 2 ;;
		--pools) pools=${2:?--pools N}; shift 2 ;;
		*) die "start: unknown option $1" ;;
		esac
	done
	[ "$(id -u)" -eq 0 ] || die "start: must run as root (network namespaces)"
	[ -x "$DHCPD" ] || die "start: $DHCPD not found (apt-get install isc-dhcp-server)"
	mkdir -p "$dir" || die "cannot create $dir"
	dir=$(lab_absdir "$dir")
	lab_pid "$dir" >/dev/null && die "start: a lab already runs in $dir (stop it first)"
	ns=$(lab_nsname "$dir")
	gen_args=(--profile "$profile" --seed "$seed")
	if [ $nokey -eq 1 ]; then
		gen_args+=(--no-key)
	else
		gen_args+=(--key "$key")
	fi
	[ -n "$leases" ] && gen_args+=(--leases "$leases")
	[ -n "$pools" ] && gen_args+=(--pools "$pools")

	rm -f "$dir/dhcpd.leases" "$dir/dhcpd.leases~" "$dir/omapi.key" "$dir/env" \
		"$dir/iface"
	"$PY" "$LAB_HOME/gen_lab.py" "$dir" "${gen_args[@]}" ||
		die "start: gen_lab.py failed"
	printf '%s\n' "${gen_args[@]}" >"$dir/gen.args"
	lab_set_timeout "$dir"
	: >"$dir/dhcpd.log"
	if ! lab_net_up "$dir" "$ns" "$profile"; then
		lab_net_down "$ns"
		die "start: could not set up namespace $ns"
	fi
	if ! lab_dhcpd_up "$dir" "$ns"; then
		lab_net_down "$ns"
		rm -f "$dir/netns"
		exit 1
	fi
	lab_write_env "$dir" "$ns" "$(cat "$dir/dhcpd.pid")" ||
		die "start: cannot write $dir/env"
}

cmd_stop() {
	local dir=$1 ns
	[ -d "$dir" ] || return 0
	dir=$(lab_absdir "$dir")
	ns=$(cat "$dir/netns" 2>/dev/null) || ns=$(lab_nsname "$dir")
	lab_dhcpd_down "$dir"
	lab_net_down "$ns"
	rm -f "$dir/netns"
	return 0
}

# Namespace of a running lab, or die.
lab_need_ns() {
	local ns
	ns=$(cat "$1/netns" 2>/dev/null) || die "no lab in $1 (not started?)"
	lab_ns_exists "$ns" || die "namespace $ns of $1 is gone"
	echo "$ns"
}

cmd_exec() {
	local dir ns
	dir=$(lab_absdir "$1")
	shift
	[ $# -ge 1 ] || usage
	ns=$(lab_need_ns "$dir") || exit 1
	exec ip netns exec "$ns" "$@"
}

cmd_restart() {
	local dir ns
	dir=$(lab_absdir "$1")
	ns=$(lab_need_ns "$dir") || exit 1
	lab_set_timeout "$dir"
	lab_dhcpd_down "$dir"
	lab_dhcpd_up "$dir" "$ns" || exit 1
	lab_write_env "$dir" "$ns" "$(cat "$dir/dhcpd.pid")"
}

cmd_kill() {
	local dir pid sig=${2:-TERM}
	dir=$(lab_absdir "$1")
	pid=$(lab_pid "$dir") || die "kill: dhcpd of $dir is not running"
	kill -s "${sig#SIG}" "$pid" || die "kill: cannot send $sig to $pid"
}

cmd_rekey() {
	local dir ns alg="${2:-}" tmp
	local -a args=()
	dir=$(lab_absdir "$1")
	ns=$(lab_need_ns "$dir") || exit 1
	mapfile -t args <"$dir/gen.args"
	printf '%s\n' "${args[@]}" | grep -qx -- --no-key &&
		die "rekey: this lab has no key (started with --no-key)"
	if [ -n "$alg" ]; then
		local i
		for i in "${!args[@]}"; do
			[ "${args[$i]}" = --key ] && args[i + 1]=$alg
		done
	fi
	tmp=$(mktemp -d) || exit 1
	# same seed and profile: only the key differs in dhcpd.conf
	"$PY" "$LAB_HOME/gen_lab.py" "$tmp" "${args[@]}" \
		--secret random ||
		{ rm -rf "$tmp"; die "rekey: gen_lab.py failed"; }
	"$PY" - "$dir" "$tmp" <<'EOF' || { rm -rf "$tmp"; die "rekey: cannot update truth"; }
import json, os, sys
d, t = sys.argv[1], sys.argv[2]
new = json.load(open(os.path.join(t, "truth.json")))["key"]
path = os.path.join(d, "truth.json")
truth = json.load(open(path))
truth["key"] = new
with open(path + ".tmp", "w") as f:
    json.dump(truth, f, indent=1)
    f.write("\n")
os.replace(path + ".tmp", path)
EOF
	cp "$tmp/dhcpd.conf" "$dir/dhcpd.conf" && cp "$tmp/omapi.key" "$dir/omapi.key"
	chmod 600 "$dir/dhcpd.conf" "$dir/omapi.key"
	rm -rf "$tmp"
	printf '%s\n' "${args[@]}" >"$dir/gen.args"
	lab_set_timeout "$dir"
	lab_dhcpd_down "$dir"
	lab_dhcpd_up "$dir" "$ns" || exit 1
	lab_write_env "$dir" "$ns" "$(cat "$dir/dhcpd.pid")"
}

cmd_status() {
	local dir ns pid
	dir=$(lab_absdir "$1")
	ns=$(lab_need_ns "$dir") || exit 1
	pid=$(lab_pid "$dir") || die "dhcpd of $dir is not running"
	TIMEOUT=1 lab_wait_omapi "$ns" "$pid"
}

# A failover pair (gen_pair.py): each side a lab of its own, dhcpd on
# fo0 10.77.0.1/24 (primary) or fo1 10.77.0.2/24 (secondary), the two
# joined by one veth pair; the failover connection, and OMAPI from one
# side to the other, run over it.  Deleting either namespace deletes it.
cmd_start_pair() {
	local dir=$1 side ns nsp nss gen_args=()
	shift
	[ "${1:-}" = --no-key ] && gen_args+=(--no-key)
	[ "$(id -u)" -eq 0 ] || die "start-pair: must run as root (network namespaces)"
	mkdir -p "$dir" || die "cannot create $dir"
	dir=$(lab_absdir "$dir")
	"$PY" "$LAB_HOME/gen_pair.py" "$dir" "${gen_args[@]}" ||
		die "start-pair: gen_pair.py failed"
	nsp=$(lab_nsname "$dir/primary")
	nss=$(lab_nsname "$dir/secondary")
	for side in primary secondary; do
		ns=$(lab_nsname "$dir/$side")
		lab_net_down "$ns"
		ip netns add "$ns" || die "ip netns add $ns failed"
		echo "$ns" >"$dir/$side/netns"
		ip netns exec "$ns" ip link set lo up
		: >"$dir/$side/dhcpd.log"
		printf '%s\n' --pair "$side" >"$dir/$side/gen.args"
	done
	echo fo0 >"$dir/primary/iface"
	echo fo1 >"$dir/secondary/iface"
	if ! ip link add fo0 netns "$nsp" type veth peer name fo1 netns "$nss" ||
		! ip netns exec "$nsp" sh -ec 'ip addr add 10.77.0.1/24 dev fo0
			ip link set fo0 up' ||
		! ip netns exec "$nss" sh -ec 'ip addr add 10.77.0.2/24 dev fo1
			ip link set fo1 up'; then
		cmd_stop_pair "$dir"
		die "start-pair: could not join $nsp and $nss"
	fi
	lab_set_timeout "$dir/primary"
	for side in primary secondary; do
		ns=$(lab_nsname "$dir/$side")
		if ! lab_dhcpd_up "$dir/$side" "$ns"; then
			cmd_stop_pair "$dir"
			exit 1
		fi
		lab_write_env "$dir/$side" "$ns" "$(cat "$dir/$side/dhcpd.pid")" ||
			die "start-pair: cannot write $dir/$side/env"
	done
}

cmd_stop_pair() {
	[ -d "$1" ] || return 0
	cmd_stop "$1/primary"
	cmd_stop "$1/secondary"
}

[ $# -ge 2 ] || usage
cmd=$1
shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$1" ;;
exec) cmd_exec "$@" ;;
restart) cmd_restart "$1" ;;
kill) cmd_kill "$1" "${2:-TERM}" ;;
rekey) cmd_rekey "$1" "${2:-}" ;;
status) cmd_status "$1" ;;
start-pair) cmd_start_pair "$@" ;;
stop-pair) cmd_stop_pair "$1" ;;
*) usage ;;
esac
