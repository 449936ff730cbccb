#!/bin/bash
# test_conf_faults.sh: the dhcpd.conf faults of issue 21, against the real
# dhcpd and a running exporter:
#  - an include fan-out (14 files, each including the next ten times, a
#    comment-only leaf: 10^14 opens): --check-config ends within 5 s with
#    the file count's error; dhcpd -t and we accept the same shape at 10^3;
#  - a file that includes itself, and a loop of three: refused by name;
#  - a 63 MB file that includes itself: refused, peak RSS (/usr/bin/time)
#    under 2x the file plus 16 MiB, for the parser and for --check-config
#    (it was 1 GB);
#  - a NUL byte before a range, and its neighbours: what dhcpd -t accepts
#    we read with the range, what it refuses we refuse with FILE:LINE:COL;
#    dhcpd serves 10.9.0.15 of the accepted one, live over OMAPI;
#  - a dhcpd.conf rewritten in place, in two halves 0.3 s apart (the
#    first a valid file of three pools): the parser, started in between,
#    reads seven; the exporter, asked to reload in between, never lists
#    the three;
#  - a running exporter whose dhcpd.conf gains the fan-out: the reload is
#    refused, counted and logged, /metrics answers within 1 s all along,
#    the mended file is picked up; a dhcpd.conf that keeps changing holds
#    a reload (the load waits for it to settle, up to 10 s), and SIGTERM
#    still stops the exporter within 2 s.
# Needs root (namespaces). BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init conffault 19560
DUMP=$BIN/tests/dhcpdconf_dump
DHCPD=${DHCPD:-/usr/sbin/dhcpd}
ns=faults-$(basename "$lab" | tr -dc 'a-zA-Z0-9' | tail -c 6)
dpid= toucher=
cleanup() {
	[ -n "$toucher" ] && kill "$toucher" 2>/dev/null
	[ -n "$exporter_pid" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	[ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	tests/lab/lab.sh stop "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

[ -x "$DUMP" ] && [ -x "$BIN/dhcpd_exporter" ] && [ -x /usr/bin/time ] ||
	{ echo "build first (make), and /usr/bin/time (package time)" >&2; exit 1; }
dhcpd_t() { (cd "$(dirname "$1")" && "$DHCPD" -4 -t -cf "$1" >/dev/null 2>&1); }

# --- include fan-out, loops --------------------------------------------------
# fanout DIR LEVELS: DIR/f1.conf .. fLEVELS.conf, each including the next
# ten times (absolute paths), the last a comment.
fanout() {
	local dir=$1 n=$2 i k
	mkdir -p "$dir"
	for i in $(seq 1 "$n"); do
		if [ "$i" -eq "$n" ]; then
			echo "# a comment-only leaf" >"$dir/f$i.conf"
			continue
		fi
		for k in $(seq 1 10); do
			echo "include \"$dir/f$((i + 1)).conf\";"
		done >"$dir/f$i.conf"
	done
}
fanout "$lab/fan3" 4
check "dhcpd -t accepts a fan-out of 10^3" dhcpd_t "$lab/fan3/f1.conf"
fan3() { "$DUMP" --count 1 "$lab/fan3/f1.conf" >/dev/null; }
check "... and so does the parser (1,111 opens)" fan3
fanout "$lab/fan14" 14
cat >"$lab/fan.yml" <<EOF
servers:
  - name: lab
    address: 127.0.0.1
    dhcpd_conf: $lab/fan14/f1.conf
EOF
t0=$(date +%s%N)
out=$(timeout 60 "$BIN/dhcpd_exporter" --config.file="$lab/fan.yml" --check-config 2>&1)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "  --check-config on the 10^14 fan-out: exit $rc after $ms ms"
echo "  $out" | head -2
check "--check-config refuses the 10^14 fan-out" test "$rc" -eq 2
check "... within 5 s" test "$ms" -lt 5000
fanout_msg() {	# (logfmt escapes the quotes)
	echo "$out" | grep -qE 'f13\.conf:[0-9]+:1: include \\?".*/f14\.conf\\?": more than 10000 files opened in one load \(an include fan-out\?\)'
}
check "... naming the file count, at FILE:LINE:COL" fanout_msg
printf '# me\ninclude "%s/self.conf";\n' "$lab" >"$lab/self.conf"
self_msg() {
	"$DUMP" "$lab/self.conf" 2>&1 | grep -qxF "$lab/self.conf:2:1: include \"$lab/self.conf\": the file includes itself"
}
check "a file that includes itself: 'includes itself' at FILE:LINE:COL" self_msg
printf 'include "%s/l2.conf";\n' "$lab" >"$lab/l1.conf"
printf 'include "%s/l3.conf";\n' "$lab" >"$lab/l2.conf"
printf 'include "%s/l1.conf";\n' "$lab" >"$lab/l3.conf"
loop_msg() {
	"$DUMP" "$lab/l1.conf" 2>&1 | grep -qF "include loop: $lab/l1.conf includes $lab/l2.conf includes $lab/l3.conf includes $lab/l1.conf"
}
check "a loop of three: 'include loop' with its chain" loop_msg

# --- a 63 MB file that includes itself: memory ---------------------------
{
	printf 'include "%s/big.conf";\n' "$lab"
	head -c $((63 * 1000 * 1000)) /dev/zero | tr '\0' '#'
	echo
} >"$lab/big.conf"
size_kb=$(($(stat -c %s "$lab/big.conf") / 1024))
limit_kb=$((2 * size_kb + 16384))
/usr/bin/time -f %M -o "$lab/rss" "$DUMP" "$lab/big.conf" >/dev/null 2>"$lab/big.err"
rss=$(tail -1 "$lab/rss")
echo "  63 MB self-including file: parser peak RSS $rss kB (file $size_kb kB)"
check "the self-including 63 MB file is refused as including itself" \
	grep -q "the file includes itself" "$lab/big.err"
# (a sanitizer's shadow memory is not the parser's)
sanitized || check "... with a peak RSS under 2x the file + 16 MiB ($limit_kb kB)" \
	test "$rss" -lt "$limit_kb"
sed "s|$lab/fan14/f1.conf|$lab/big.conf|" "$lab/fan.yml" >"$lab/big.yml"
/usr/bin/time -f %M -o "$lab/rss" "$BIN/dhcpd_exporter" \
	--config.file="$lab/big.yml" --check-config >/dev/null 2>&1
rss=$(tail -1 "$lab/rss")
echo "  --check-config on it: peak RSS $rss kB"
sanitized || check "--check-config on it: peak RSS under 2x the file + 16 MiB" \
	test "$rss" -lt "$limit_kb"
rm -f "$lab/big.conf"

# --- a NUL byte, against dhcpd -t and the live dhcpd ------------------------
nul_case() {	# DESC PRINTF-TEXT: dhcpd -t and the parser agree on it
	local desc=$1 f=$lab/nul.conf verdict ours
	printf "$2" >"$f"
	dhcpd_t "$f" && verdict=accepts || verdict=refuses
	if "$DUMP" "$f" >"$lab/nul.json" 2>"$lab/nul.err"; then
		grep -q '"first":"10.9.0.10","last":"10.9.0.20"' "$lab/nul.json" &&
			ours=accepts || ours="drops the range"
	else
		grep -qE '^.*nul\.conf:[0-9]+:[0-9]+: ' "$lab/nul.err" &&
			ours=refuses || ours="refuses without FILE:LINE:COL"
	fi
	echo "  $desc: dhcpd -t $verdict, the parser $ours"
	[ "$verdict" = "$ours" ]
}
S='subnet 10.9.0.0 netmask 255.255.255.0 {\n'
check "NUL before a range (the issue's case)" nul_case "NUL before a range" \
	"$S \\0 range 10.9.0.10 10.9.0.20; }\n"
check "two NULs before a range" nul_case "two NULs" \
	"$S \\0\\0 range 10.9.0.10 10.9.0.20; }\n"
check "NUL after the range keyword" nul_case "range NUL LOW" \
	"$S range \\0 10.9.0.10 10.9.0.20; }\n"
check "NUL between the addresses" nul_case "LOW NUL HIGH" \
	"$S range 10.9.0.10 \\0 10.9.0.20; }\n"
check "NUL before the ';'" nul_case "HIGH NUL ;" \
	"$S range 10.9.0.10 10.9.0.20 \\0; }\n"
check "NUL before '}'" nul_case "NUL }" \
	"$S range 10.9.0.10 10.9.0.20; \\0 }\n"
check "NUL in a pool" nul_case "pool { NUL range" \
	"$S pool { \\0 range 10.9.0.10 10.9.0.20; } }\n"
check "NUL before a subnet" nul_case "NUL subnet" \
	"\\0$S range 10.9.0.10 10.9.0.20; }\n"
check "NUL inside a statement that is skipped" nul_case "option NUL" \
	"$S option domain-name \\0 \"x\"; range 10.9.0.10 10.9.0.20; }\n"
# the accepted one, served by dhcpd
printf "omapi-port 7911;\n$S \\0 range 10.9.0.10 10.9.0.20; }\n" >"$lab/nul-live.conf"
: >"$lab/nul.leases"
ip netns add "$ns" && ip netns exec "$ns" sh -ec 'ip link set lo up
	ip link add v0 type veth peer name v1
	ip addr add 10.9.0.1/24 dev v0; ip link set v0 up; ip link set v1 up' ||
	fail "the namespace $ns"
ip netns exec "$ns" "$DHCPD" -4 -f -q -cf "$lab/nul-live.conf" \
	-lf "$lab/nul.leases" -pf "$lab/nul.pid" v0 >/dev/null 2>&1 &
dpid=$!
served15() { ip netns exec "$ns" "$BIN/omapictl" lease ip 10.9.0.15 >/dev/null 2>&1; }
check "dhcpd serves 10.9.0.15 of the file with the NUL" wait_for 10 served15
check "... and our ranges hold it" \
	eval '"$DUMP" "$lab/nul-live.conf" | grep -q "\"first\":\"10.9.0.10\",\"last\":\"10.9.0.20\""'
kill "$dpid" 2>/dev/null
wait "$dpid" 2>/dev/null
dpid=

# --- rewritten in place -------------------------------------------------
pools() {	# FIRST LAST: subnets 10.FIRST .. 10.LAST, a pool each
	local i
	for i in $(seq "$1" "$2"); do
		printf 'subnet 10.%d.0.0 netmask 255.255.255.0 {\n  pool { range 10.%d.0.10 10.%d.0.20; }\n}\n' \
			"$i" "$i" "$i"
	done
}
# FILE [SIGNAL-PID]: FILE rewritten in place (truncated, not renamed) with
# seven pools, in two halves 0.3 s apart; the first, three pools, is a
# valid file by itself.  SIGHUP to PID after the first half.
rewrite() {
	exec 3>"$1"
	pools 101 103 >&3
	[ -n "${2:-}" ] && kill -HUP "$2"
	sleep 0.3
	pools 104 107 >&3
	exec 3>&-
}
rewrite "$lab/inplace.conf" &
writer=$!
sleep 0.1
inplace=$("$DUMP" --count 1 "$lab/inplace.conf" 2>&1)
wait "$writer"
echo "  read while written: $inplace"
check "a file rewritten in place is read whole, not as its prefix" \
	eval 'echo "$inplace" | grep -q " 7 pools, 7 ranges"'

# --- a running exporter -------------------------------------------------
tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
pools 101 107 >"$lab/exp-dhcpd.conf"	# not dhcpd's: unserved, still listed
cp "$lab/exp-dhcpd.conf" "$lab/exp-dhcpd.good"
cat >"$lab/exp.yml" <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 1s
servers:
  - name: lab
    address: 127.0.0.1
    key: { key_file: $lab/omapi.key }
    dhcpd_conf: $lab/exp-dhcpd.conf
EOF
SCRAPE_TIMEOUT=1
start_exporter --config.file="$lab/exp.yml"
up() { [ "$(metric 'dhcpd_up{server="lab"}')" = 1 ]; }
check "the exporter runs, with a dhcpd.conf of its own" wait_for 10 up
info() { scrape | grep -c '^dhcpd_pool_info{'; }
seven() { [ "$(info)" -eq 7 ]; }
check "its seven pools are listed" wait_for 10 seven
# rewritten in place, with a reload asked for in between: /metrics never
# shows the three-pool prefix (it did for about 2 s)
rewrite "$lab/exp-dhcpd.conf" "$exporter_pid" &
writer=$!
fewest=7
for _ in $(seq 1 40); do
	n=$(info)
	[ "$n" -lt "$fewest" ] && fewest=$n
	sleep 0.05
done
wait "$writer"
echo "  pools listed while the file was rewritten: at least $fewest"
check "a reload during an in-place rewrite never lists its prefix" test "$fewest" -eq 7
errors() { metric 'dhcpd_exporter_dhcpd_conf_load_errors_total{server="lab"}'; }
e0=$(errors)
printf 'include "%s/fan14/f1.conf";\n' "$lab" >>"$lab/exp-dhcpd.conf"
kill -HUP "$exporter_pid"
counted() { [ "$(errors)" -gt "${e0:-0}" ]; }
check "the fan-out include: the reload is refused and counted" wait_for 10 counted
check "... logged with the file count" grep -q "more than 10000 files opened" "$lab/exporter.err"
slow=0
for _ in $(seq 1 10); do scrape >/dev/null || slow=$((slow + 1)); sleep 0.1; done
check "/metrics answers within 1 s after it (10 scrapes)" test "$slow" -eq 0
loaded() { [ "$(metric 'dhcpd_exporter_dhcpd_conf_last_load_successful{server="lab"}')" = "$1" ]; }
check "... last_load_successful 0" loaded 0
cp "$lab/exp-dhcpd.good" "$lab/exp-dhcpd.conf"
check "the mended file is picked up: last_load_successful 1" wait_for 15 loaded 1
# A dhcpd.conf that keeps changing holds the reload (it waits for the
# file to settle, up to 10 s); SIGTERM in the middle still stops it.
( while :; do echo "# $RANDOM" >>"$lab/exp-dhcpd.conf"; sleep 0.1; done ) &
toucher=$!
sleep 0.5
kill -HUP "$exporter_pid"
sleep 1.5
slow=0
for _ in $(seq 1 5); do scrape >/dev/null || slow=$((slow + 1)); done
check "/metrics answers within 1 s during a held reload" test "$slow" -eq 0
t0=$(date +%s%N)
kill -TERM "$exporter_pid"
gone() { ! kill -0 "$exporter_pid" 2>/dev/null; }
wait_for 10 gone
ms=$((($(date +%s%N) - t0) / 1000000))
echo "  SIGTERM during the reload: gone after $ms ms"
check "SIGTERM during a reload stops the exporter within 2 s" test "$ms" -lt 2000
check "... with the reload under way" grep -q "a reload under way" "$lab/exporter.err"
kill "$toucher" 2>/dev/null
wait "$toucher" 2>/dev/null
toucher=
wait "$exporter_pid" 2>/dev/null
exporter_pid=

finish test_conf_faults
