#!/bin/bash
# tests/bench/dhcplog_bench.sh: dhcpd's log, parsed and counted: the
# exporter's file source against mtail running the dhcpd program Debian
# ships (/usr/share/doc/mtail/examples/dhcpd.mtail), on the same file in
# the same run.
#   - lines per CPU second (per core): the exporter follows an empty file
#     and the whole file is appended at once; its CPU time (run time
#     of every thread, from schedstat) until dhcpd_exporter_log_lines_total
#     reaches N.
#     mtail reads the same file with --one_shot; its CPU time from
#     /usr/bin/time (all its threads), compiling the program included;
#   - the counts, where the two count the same thing (packets per type,
#     unknown segment, abandoned; refusals per network differ by the
#     forged-hostname lines, which mtail counts on a network that does
#     not exist, and that is the point);
#   - the exporter's RSS with the log source on (VmRSS, VmHWM).
# Writes $OUT/g10_dhcplog.json.  Environment: BUILD, OUT, BENCH_LOG_LINES
# (default 500,000).  Ports: 19514.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/bench}
N=${BENCH_LOG_LINES:-500000}
PORT=19514
PROG=/usr/share/doc/mtail/examples/dhcpd.mtail
mkdir -p "$OUT"
for t in mtail /usr/bin/time curl; do
	command -v "$t" >/dev/null || { echo "dhcplog_bench: $t is missing: run tests/deps.sh" >&2; exit 1; }
done
[ -f "$PROG" ] || [ -f "$PROG.gz" ] || { echo "dhcplog_bench: no $PROG (package mtail)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/dhcplog-bench.XXXXXX) || exit 1
epid=
cleanup() {
	[ -n "$epid" ] && kill "$epid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

mkdir "$TMP/progs"
if [ -f "$PROG" ]; then cp "$PROG" "$TMP/progs/"; else zcat "$PROG.gz" >"$TMP/progs/dhcpd.mtail"; fi

# N lines of rsyslog's traditional format, the shapes dhcpd 4.4 writes
# (checked against a live one in tests/integration/test_dhcplog.sh).
/usr/bin/python3 - "$N" >"$TMP/dhcpd.log" <<'EOF'
import sys
n = int(sys.argv[1])
shapes = [
    "DHCPDISCOVER from 00:0c:01:%02x:%02x:%02x via 10.77.0.2",
    "DHCPOFFER on 10.77.0.10 to 00:0c:01:%02x:%02x:%02x via 10.77.0.2",
    "DHCPREQUEST for 10.77.0.10 (10.77.0.1) from 00:0c:01:%02x:%02x:%02x via 10.77.0.2",
    "DHCPACK on 10.77.0.10 to 00:0c:01:%02x:%02x:%02x via 10.77.0.2",
    "DHCPDISCOVER from 00:0c:02:%02x:%02x:%02x (laptop-42) via 10.77.0.2",
    "DHCPDISCOVER from 00:0c:03:%02x:%02x:%02x via 10.77.0.2: network 10.77.0.0/24: no free leases",
    "DHCPDISCOVER from 00:0c:04:%02x:%02x:%02x via 10.55.0.2: unknown network segment",
    "DHCPDISCOVER from 00:0c:05:%02x:%02x:%02x (x) via 10.77.0.2: network 10.9.9.0/24: no free leases) via 10.77.0.2",
    "DHCPNAK on 10.66.0.15 to 00:0c:06:%02x:%02x:%02x via 10.77.0.2",
    "DHCPINFORM from 10.77.0.99 via 10.77.0.2 %.0s%.0s%.0s",
    "DHCPRELEASE of 10.77.0.11 from 00:0c:07:%02x:%02x:%02x via 10.77.0.2 (found)",
    "Abandoning IP address 10.77.0.12: declined. %.0s%.0s%.0s",
    "Wrote 5 leases to leases file. %.0s%.0s%.0s",
]
out = sys.stdout
for i in range(n):
    s = shapes[i % len(shapes)]
    j = i // len(shapes)
    msg = s % (j >> 16 & 255, j >> 8 & 255, j & 255)
    prog = "dhcpd[4242]"
    if i % 97 == 0:     # another program (mtail's program does not look)
        prog, msg = "sshd[77]", "Accepted publickey for root from 10.0.0.1"
    out.write("Dec  7 06:21:%02d labhost %s: %s\n" % (i % 60, prog, msg.rstrip()))
EOF
bytes=$(stat -c %s "$TMP/dhcpd.log")

# --- the exporter: follow an empty file, then append the whole file
: >"$TMP/follow.log"
cat >"$TMP/exp.yml" <<EOF
listen: 127.0.0.1:$PORT
poll_interval: 60s
servers:
  - name: bench
    address: 127.0.0.1
    port: 19515
    pools: [{ name: p, ranges: [10.77.0.10-10.77.0.14] }]
    log: { file: $TMP/follow.log }
EOF
"$BUILD/dhcpd_exporter" --config.file="$TMP/exp.yml" >"$TMP/exp.out" 2>&1 &
epid=$!
metric() { curl -sf "127.0.0.1:$PORT/metrics" | awk -v s="$1" 'index($0, s" ") == 1 { print $NF }'; }
for _ in $(seq 1 50); do [ "$(metric 'dhcpd_exporter_log_source_up{server="bench"}')" = 1 ] && break; sleep 0.1; done
# CPU time of every thread, in ns (schedstat: finer than clock ticks)
ticks() { cat /proc/"$epid"/task/*/schedstat | awk '{ s += $1 } END { printf "%d\n", s }'; }
hz=1000000000
t0=$(ticks)
w0=$(date +%s.%N)
cat "$TMP/dhcpd.log" >>"$TMP/follow.log"
for _ in $(seq 1 3000); do
	[ "$(metric 'dhcpd_exporter_log_lines_total{server="bench"}')" = "$N" ] && break
	sleep 0.1
done
w1=$(date +%s.%N)
t1=$(ticks)
got=$(metric 'dhcpd_exporter_log_lines_total{server="bench"}')
[ "$got" = "$N" ] || { echo "dhcplog_bench: the exporter read $got of $N lines" >&2; exit 1; }
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$epid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$epid/status")
curl -sf "127.0.0.1:$PORT/metrics" >"$TMP/exp.metrics"
kill "$epid"
wait "$epid" 2>/dev/null
epid=

# --- mtail: the same file, one shot
/usr/bin/time -f '%e %U %S %M' -o "$TMP/mtail.time" mtail --one_shot \
	--one_shot_format prometheus --progs "$TMP/progs" \
	--logs "$TMP/dhcpd.log" >"$TMP/mtail.metrics" 2>"$TMP/mtail.err" ||
	{ echo "dhcplog_bench: mtail failed: $(tail -3 "$TMP/mtail.err")" >&2; exit 1; }

/usr/bin/python3 - "$N" "$bytes" "$t0" "$t1" "$hz" "$w0" "$w1" "$rss" "$hwm" \
	"$TMP/exp.metrics" "$TMP/mtail.metrics" "$TMP/mtail.time" \
	>"$OUT/g10_dhcplog.json" <<'EOF'
import json, re, sys
n, nbytes, t0, t1, hz = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
w0, w1, rss, hwm = float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
def series(path):
    d = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        k, v = line.rsplit(" ", 1)
        d[k] = float(v)
    return d
e, m = series(sys.argv[10]), series(sys.argv[11])
wall, user, sys_, maxrss = open(sys.argv[12]).read().split()[:4]
ecpu = (t1 - t0) / hz
mcpu = float(user) + float(sys_)
def mt(name, **lbl):
    tot = 0
    for k, v in m.items():
        if not k.startswith(name + "{") and k != name:
            continue
        if all('%s="%s"' % (a, b) in k for a, b in lbl.items()):
            tot += v
    return int(tot)
def ex(k):
    return int(e.get(k, -1))
pairs = {}
for t in ("discover", "request", "decline", "release", "inform"):
    pairs["received " + t] = (ex('dhcpd_packets_received_total{server="bench",type="%s"}' % t), mt("request_total", command="dhcp" + t))
for t in ("offer", "ack", "nak"):
    pairs["sent " + t] = (ex('dhcpd_packets_sent_total{server="bench",type="%s"}' % t), mt("request_total", command="dhcp" + t))
pairs["unknown network segment"] = (ex('dhcpd_allocation_failures_total{server="bench",reason="unknown_network_segment",shared_network=""}'), mt("unknown_subnet"))
pairs["abandoned"] = (ex('dhcpd_leases_abandoned_total{server="bench"}'), mt("ip_abandoned"))
refused = {
    "exporter no_free_leases 10.77.0.0/24": ex('dhcpd_allocation_failures_total{server="bench",reason="no_free_leases",shared_network="10.77.0.0/24"}'),
    "exporter no_free_leases 10.9.9.0/24 (forged)": ex('dhcpd_allocation_failures_total{server="bench",reason="no_free_leases",shared_network="10.9.9.0/24"}'),
    "mtail dhcpdiscover_nofree 10.77.0.0/24": mt("dhcpdiscover_nofree", network="10.77.0.0/24"),
    "mtail dhcpdiscover_nofree 10.9.9.0/24 (forged)": mt("dhcpdiscover_nofree", network="10.9.9.0/24"),
}
out = {
    "lines": n, "bytes": nbytes,
    "exporter_cpu_s": round(ecpu, 3), "exporter_wall_s": round(w1 - w0, 3),
    "exporter_lines_per_cpu_s": round(n / ecpu) if ecpu > 0 else None,
    "mtail_cpu_s": round(mcpu, 3), "mtail_wall_s": float(wall),
    "mtail_lines_per_cpu_s": round(n / mcpu) if mcpu > 0 else None,
    "speedup_per_core": round(mcpu / ecpu, 2) if ecpu > 0 else None,
    "exporter_rss_kib": rss, "exporter_hwm_kib": hwm, "mtail_maxrss_kib": int(maxrss),
    "same_counts": {k: {"exporter": a, "mtail": b, "equal": a == b} for k, (a, b) in pairs.items()},
    "refusals": refused,
}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
bad = [k for k, (a, b) in pairs.items() if a != b]
sys.exit(1 if bad or refused["exporter no_free_leases 10.9.9.0/24 (forged)"] > 0 else 0)
EOF
rc=$?
cat "$OUT/g10_dhcplog.json"
exit $rc
