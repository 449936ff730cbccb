#!/bin/bash
# What lease_info costs, measured against the bench lab (65,024 addresses,
# 40,965 active or abandoned leases): the exporter run live without
# lease_info and with max_series 10000, 20000 and 40000 in turn, one
# complete sweep each, then /metrics scraped (plain and gzip) and the
# exporter's RSS read.  Prints one JSON line per run and the cost per
# 10,000 leases against the run without lease_info.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/../integration/lib.sh"
suite_init lcost 19591
status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$exporter_pid/status"; }

tests/lab/lab.sh start "$lab" --profile bench >/dev/null ||
	{ echo "lab did not start"; exit 1; }
. "$lab/env"
for max in 0 10000 20000 40000; do
	args=(--poll-interval 1h --sweep-interval 1h)
	[ "$max" -gt 0 ] && args+=(--lease-info "$max")
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		"${args[@]}" >"$lab/exp.yml"
	ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" \
		--config.file="$lab/exp.yml" 2>/dev/null &
	exporter_pid=$!
	for _ in $(seq 1 300); do
		in_lab curl -sf "http://127.0.0.1:$PORT/metrics" 2>/dev/null |
			grep -q '^dhcpd_exporter_last_sweep_timestamp_seconds' && break
		sleep 0.2
	done
	in_lab curl -sf "http://127.0.0.1:$PORT/metrics" >"$lab/m.txt"
	in_lab curl -sf -H 'Accept-Encoding: gzip' \
		"http://127.0.0.1:$PORT/metrics" >"$lab/m.gz"
	printf '{"max_series": %d, "lease_series": %d, "bytes": %d, "gzip_bytes": %d, "rss_kib": %d, "rss_peak_kib": %d}\n' \
		"$max" "$(grep -c '^dhcpd_lease_info{' "$lab/m.txt")" \
		"$(stat -c %s "$lab/m.txt")" "$(stat -c %s "$lab/m.gz")" \
		"$(status VmRSS)" "$(status VmHWM)" | tee -a "$lab/runs.jsonl"
	stop_exporter
done
$PY - "$lab/runs.jsonl" <<'PYEOF'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
base = runs[0]
for r in runs[1:]:
    k = r["lease_series"] / 10000.0
    print("max_series %d (%d leases): per 10,000 leases +%.0f KiB per scrape "
          "(%.0f bytes per lease), +%.0f KiB gzip, +%.0f KiB RSS, +%.0f KiB "
          "peak RSS; the whole body %.1fx the one without lease_info"
          % (r["max_series"], r["lease_series"],
             (r["bytes"] - base["bytes"]) / k / 1024,
             (r["bytes"] - base["bytes"]) / r["lease_series"],
             (r["gzip_bytes"] - base["gzip_bytes"]) / k / 1024,
             (r["rss_kib"] - base["rss_kib"]) / k,
             (r["rss_peak_kib"] - base["rss_peak_kib"]) / k,
             r["bytes"] / base["bytes"]))
PYEOF
