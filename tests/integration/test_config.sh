#!/bin/bash
# What --check-config accepts, the exporter runs and serves (issues 11, 17):
#  - a pool label the renderer sets itself (within_seconds) is refused at
#    FILE:LINE:COLUMN, not accepted and then never published;
#  - one HOST:PORT rule for `listen:` and --web.listen-address: '*:PORT',
#    '[IPV4]:PORT', port 0, garbage and an empty flag are refused by
#    --check-config, and the flag's :0 no longer binds a random port;
#  - a FIFO as the config file, the web config, secret_file, key_file,
#    omapictl -K, --secret-file or OMAPI_KEY_FILE is refused at once
#    ("not a regular file") instead of hanging until something writes;
#  - a config whose /metrics could pass the 32 MiB cap is refused at the
#    server that passes it; one just under the cap, run with --once
#    against the lab's dhcpd, prints every series it promised.
# Needs root (the lab). BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init config 19476

X=$BIN/dhcpd_exporter
base="servers:
  - name: a
    address: 127.0.0.1
    port: 1"

# --check-config on config text $1 (and flags $2...): sets rc and out,
# never waits more than 5 s (124: it hung).
check_config() {
	local text=$1
	shift
	printf '%s\n' "$text" >"$lab/c.yml"
	out=$(timeout 5 "$X" --config.file="$lab/c.yml" --check-config "$@" 2>&1)
	rc=$?
}
# The last check_config refused with message $1 (a fixed string).
refused() { [ "$rc" -eq 2 ] && echo "$out" | grep -q -F -- "$1"; }

# --- labels ---------------------------------------------------------------
check_config "$base
    pools:
      - name: p
        ranges: [10.0.0.0/24]
        labels: { within_seconds: x }"
check "pool label within_seconds refused at FILE:LINE:COLUMN" \
	refused "$lab/c.yml:8:19: label name 'within_seconds' is reserved"

# --- listen: one rule for the key and the flag ------------------------------
for l in '*:9367' '[127.0.0.1]:9367' ':0' '127.0.0.1:0' 'garbage' '10.0.0:80'; do
	check_config "listen: \"$l\"
$base"
	check "listen '$l' refused at FILE:LINE:COLUMN" \
		refused "$lab/c.yml:1:9: 'listen' must be HOST:PORT"
	check_config "$base" --web.listen-address="$l"
	check "--web.listen-address='$l' refused by --check-config" \
		refused "--web.listen-address must be HOST:PORT"
done
check_config "$base" --web.listen-address=
check "--web.listen-address= (empty) refused by --check-config" \
	refused "--web.listen-address must be HOST:PORT"
for l in ':19990' '127.0.0.1:19990' '[::1]:19990' 'localhost:19990'; do
	check_config "listen: \"$l\"
$base" --web.listen-address="$l"
	check "listen and --web.listen-address '$l' accepted" [ "$rc" -eq 0 ]
done
# At start, the flag's :0 is refused as `listen: ":0"` is (it used to
# bind a random port and serve there).
printf '%s\n' "$base" >"$lab/c.yml"
timeout 5 "$X" --config.file="$lab/c.yml" --web.listen-address=:0 \
	>"$lab/start.out" 2>&1
rc=$?
check "--web.listen-address=:0 refused at start (exit 2, not serving)" \
	[ "$rc" -eq 2 ]

# --- FIFOs: refused at once, nothing blocks ----------------------------------
mkfifo -m 600 "$lab/fifo"
out=$(timeout 5 "$X" --config.file="$lab/fifo" --check-config 2>&1)
rc=$?
check "a FIFO as the config file: refused within 5 s" \
	refused "$lab/fifo: not a regular file"
for k in secret_file key_file; do
	check_config "$base
    key: { name: k, $k: $lab/fifo }"
	check "a FIFO as $k: refused within 5 s at FILE:LINE:COLUMN" \
		refused "$lab/c.yml:5:"
	check "  ... saying it is not a regular file" \
		refused "$lab/fifo: not a regular file"
done
check_config "$base" --web.config.file="$lab/fifo"
check "a FIFO as the web config: refused within 5 s" \
	refused "$lab/fifo: not a regular file"
O="timeout 5 $BIN/omapictl -s 127.0.0.1:1 --timeout 500"
out=$($O -K "$lab/fifo" lease ip 10.0.0.1 2>&1)
rc=$?
check "omapictl -K FIFO: refused within 5 s" \
	sh -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && echo '$out' | grep -q 'not a regular file'"
out=$($O --secret-file "$lab/fifo" --key-name k lease ip 10.0.0.1 2>&1)
rc=$?
check "omapictl --secret-file FIFO: refused within 5 s" \
	sh -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && echo '$out' | grep -q 'not a regular file'"
out=$(OMAPI_KEY_FILE=$lab/fifo $O lease ip 10.0.0.1 2>&1)
rc=$?
check "omapictl with OMAPI_KEY_FILE a FIFO: refused within 5 s" \
	sh -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && echo '$out' | grep -q 'not a regular file'"

# --- the size of /metrics -----------------------------------------------------
# big_config NPOOLS [PORT KEYFILE]: pools of 16 labels of 256 bytes, as
# issue 17 measured (within every documented bound), each a /30 of its
# own that dhcpd does not serve: the sweep still reports every state.
big_config() {
	$PY - "$1" "${2:-1}" "${3:-}" <<'PYEOF'
import sys
n, port, keyfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
v = "v" * 256
print("servers:\n  - name: lab\n    address: 127.0.0.1\n    port: %d" % port)
if keyfile:
    print("    key: { key_file: %s }" % keyfile)
print("    sweep: { interval: 1h, max_rate: 0 }\n    pools:")
for i in range(n):
    print("      - name: pool%d" % i)
    print("        ranges: [172.%d.%d.%d/30]" % (16 + i // 16384,
                                               i // 64 % 256, i % 64 * 4))
    print("        labels: {%s}" % ", ".join("l%d: %s" % (j, v)
                                             for j in range(16)))
PYEOF
}
big_config 700 >"$lab/big.yml"
out=$(timeout 20 "$X" --config.file="$lab/big.yml" --check-config 2>&1)
rc=$?
check "700 pools x 16 labels x 256 bytes refused at FILE:LINE:COLUMN" \
	refused "$lab/big.yml:2:5: with server 'lab', /metrics could reach"

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
in_lab() { tests/lab/lab.sh exec "$lab" "$@"; }
# The largest such config that loads: every series it can have is printed
# by --once, within the cap.
n=700
while [ $n -gt 0 ]; do
	big_config $n "$LAB_PORT" "$LAB_KEYFILE" >"$lab/big.yml"
	timeout 20 "$X" --config.file="$lab/big.yml" --check-config \
		>/dev/null 2>&1 && break
	n=$((n - 5))
done
check "a config of $n such pools passes --check-config" [ $n -gt 0 ]
in_lab /usr/bin/time -f '%M' -o "$lab/rss" timeout 120 "$X" \
	--config.file="$lab/big.yml" --once >"$lab/big.txt" 2>"$lab/big.err"
rc=$?
bytes=$(wc -c <"$lab/big.txt")
series=$(grep -c '^dhcpd_pool_leases{' "$lab/big.txt")
echo "  $n pools: --once exit $rc, $bytes bytes, $series lease series, peak RSS $(cat "$lab/rss") KiB"
check "--once serves it: exit 0, every pool's 7 lease-state series" \
	eval '[ "$rc" -eq 0 ] && [ "$series" -eq $((n * 7)) ]'
check "  ... within the 32 MiB cap" [ "$bytes" -le 33554432 ]

# Served, /metrics answers it (it used to answer 500 forever), plain and
# gzipped; its peak RSS is printed for the memory figures in deploy/doc/configuration.md.
sed -i "1i listen: \"127.0.0.1:$PORT\"" "$lab/big.yml"
# Not through the in_lab function: in the background that is a subshell,
# and $! (whose VmHWM is printed) would be the shell's, not the exporter's.
tests/lab/lab.sh exec "$lab" "$X" --config.file="$lab/big.yml" \
	--log.level=error &
exporter_pid=$!
code=
for _ in $(seq 1 60); do
	code=$(in_lab curl -s -o "$lab/served.txt" -w '%{http_code}' \
		--max-time 10 http://127.0.0.1:$PORT/metrics)
	[ "$code" = 200 ] && grep -q '^dhcpd_pool_leases{' "$lab/served.txt" && break
	sleep 0.5
done
series=$(grep -c '^dhcpd_pool_leases{' "$lab/served.txt")
check "served: /metrics answers 200 with every pool's lease series" \
	eval '[ "$code" = 200 ] && [ "$series" -eq $((n * 7)) ]'
code=$(in_lab curl -s -o "$lab/served.gz" -w '%{http_code}' --max-time 10 \
	-H 'Accept-Encoding: gzip' http://127.0.0.1:$PORT/metrics)
check "  ... and gzipped" sh -c "[ $code = 200 ] && \
	[ \$(gzip -dc '$lab/served.gz' | grep -c '^dhcpd_pool_leases{') -eq $((n * 7)) ]"
echo "  served $(wc -c <"$lab/served.txt") bytes ($(wc -c <"$lab/served.gz") gzipped), peak RSS $(awk '/^VmHWM/ { print $2 }' "/proc/$exporter_pid/status") KiB"
stop_exporter
finish test_config
