#!/bin/bash
# Many sites: a site Prometheus scrapes an exporter on a lab dhcpd with
# 1,000 pools (the pools1000 profile) and evaluates the shipped rules; a
# global Prometheus federates from it with deploy/prometheus/global.yml's
# job.  All three run inside the lab's namespace, on 127.0.0.1 there.
#  - promtool check config on global.yml as shipped;
#  - the site is configured from prometheus.yml with `site: site-a` as an
#    external label (the example's target label dropped, so the label can
#    only come from external_labels), the rules with for: 0s and one
#    operator threshold (pool p0042 below 90 % free: it has 37 %);
#  - the global one sees all 1,000 pools' dhcpd_pool_addresses, the
#    recorded dhcpd_pool:free_ratio equal to the site's, and
#    ALERTS{alertname="DhcpdPoolFreeRatioLow", alertstate="firing"} for
#    p0042, every one with site="site-a" and the site's job and instance
#    (honor_labels); no other alert fires there (DhcpdSweepMissing, firing
#    on the site until the first sweep ends, must end on the global as
#    well), and the global evaluates no rule of its own;
#  - figures, printed: the site's scrape of /metrics (samples, bytes,
#    duration as Prometheus measures it, and curl's plain and gzipped
#    size and time), the exporter's poll and sweep durations, and the
#    federation payload the global one receives per site (samples, bytes).
# The exporter runs with the configuration defaults (poll 15 s, sweep 60 s
# at 5,000 requests/s).  Needs root. BUILD selects the exporter; FED_POOLS
# (default 1000) the number of pools and FED_INTERVAL (2s) the scrape,
# evaluation and federation interval, for the figures at scale in deploy/doc/many-sites.md
# (FED_POOLS=5000 FED_INTERVAL=10s: a federation of 100,000 series takes
# longer than 2 s on the 2-core machine).
set -u
. "$(dirname "$0")/lib.sh"
suite_init fed 19468
EXP_PORT=$PORT
SITE_PORT=19491
GLOBAL_PORT=19492
POOL=p0042
POOLS=${FED_POOLS:-1000}
IV=${FED_INTERVAL:-2s}      # scrape, evaluation and federation interval
. tests/lab/serve.sh
site_pid=
global_pid=

cleanup() {
	stop_pid "$global_pid"
	stop_pid "$site_pid"
	stop_pid "$exporter_pid"
	exporter_pid=
	stop_lab_and_exporter
}

in_lab() { tests/lab/lab.sh exec "$lab" "$@"; }
# api PORT QUERY: the result list of an instant query.
api() {
	in_lab curl -sf --max-time 5 "http://127.0.0.1:$1/api/v1/query" \
		--data-urlencode "query=$2" |
		$PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["data"]["result"]))'
}
# value PORT QUERY: the first sample's value, or nothing.
value() {
	api "$1" "$2" | $PY -c 'import json, sys
r = json.load(sys.stdin)
print(r[0]["value"][1] if r else "")'
}

check "promtool check config deploy/prometheus/global.yml" \
	sh -c "promtool check config deploy/prometheus/global.yml >$lab/promtool.out 2>&1"

t0=$SECONDS
tests/lab/lab.sh start "$lab" --profile pools1000 --pools "$POOLS" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
SERVE_NETNS=$LAB_NETNS
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$EXP_PORT" \
	--poll-interval 15s --sweep-interval 60s --max-rate 5000 >"$lab/exp.yml"
serve "$lab/exp.log" "http://127.0.0.1:$EXP_PORT/-/ready" 20 \
	ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" --config.file="$lab/exp.yml"
check "exporter up on $POOLS pools" [ $? -eq 0 ]
# shellcheck disable=SC2034  # stop_lab_and_exporter kills it
exporter_pid=$served_pid

mkdir -p "$lab/site" "$lab/global"
cat >"$lab/site/thresholds.yml" <<EOF
groups:
  - name: site_thresholds
    rules:
      - record: dhcpd_pool_free_ratio_threshold
        expr: vector(0.9)
        labels: { pool: $POOL }
      # pools1000's leases have no recent client: the no-activity alert
      # is turned off (threshold 0), so the one firing alert is p0042's
      - record: dhcpd_pool_client_idle_seconds_threshold
        expr: vector(0)
EOF
$PY tests/lab/prom_config.py site "$lab/site" --target "127.0.0.1:$EXP_PORT" \
	--interval "$IV" --for 0s --external-label site=site-a --no-target-labels \
	--rules-extra "$lab/site/thresholds.yml" >/dev/null &&
	$PY tests/lab/prom_config.py global "$lab/global" \
		--target "127.0.0.1:$SITE_PORT" --interval "$IV" ||
	fail "Prometheus configurations written"
check "the global configuration federates with global.yml's match[]" \
	grep -q '__name__="ALERTS"' "$lab/global/prometheus.yml"
prom() {
	local name=$1 port=$2
	serve "$lab/$name.log" "http://127.0.0.1:$port/-/ready" 30 \
		ip netns exec "$LAB_NETNS" prometheus \
		--config.file="$lab/$name/prometheus.yml" \
		--storage.tsdb.path="$lab/$name/data" \
		--web.listen-address="127.0.0.1:$port" \
		--enable-feature=extra-scrape-metrics
}
prom site "$SITE_PORT"
check "site Prometheus up (external label site=site-a)" [ $? -eq 0 ]
site_pid=$served_pid
prom global "$GLOBAL_PORT"
check "global Prometheus up" [ $? -eq 0 ]
global_pid=$served_pid

# What the global one must see, with the site's labels.
SEL='site="site-a",job="dhcpd_exporter",instance="127.0.0.1"'
wait_global() {
	local n r a i
	for i in $(seq 1 90); do
		n=$(value "$GLOBAL_PORT" "count(dhcpd_pool_addresses{$SEL})")
		r=$(value "$GLOBAL_PORT" "dhcpd_pool:free_ratio{$SEL,pool=\"$POOL\"}")
		a=$(value "$GLOBAL_PORT" "ALERTS{$SEL,alertname=\"DhcpdPoolFreeRatioLow\",alertstate=\"firing\",pool=\"$POOL\"}")
		[ "$n" = "$POOLS" ] && [ -n "$r" ] && [ "$a" = 1 ] && { waited=$i; return 0; }
		sleep 1
	done
	echo "  after 90 s: $n pools, free ratio '$r', alert '$a'" >&2
	return 1
}
check "the global sees the pools, the recorded free ratio and the firing alert of site-a" wait_global
echo "  (within ${waited:-?} s of the global's start)"
check "the global has all $POOLS pools' dhcpd_pool_addresses with site=site-a" \
	[ "$(value "$GLOBAL_PORT" "count(dhcpd_pool_addresses{$SEL} == 65)")" = "$POOLS" ]
site_ratio=$(value "$SITE_PORT" "dhcpd_pool:free_ratio{pool=\"$POOL\"}")
global_ratio=$(value "$GLOBAL_PORT" "dhcpd_pool:free_ratio{$SEL,pool=\"$POOL\"}")
check "dhcpd_pool:free_ratio of $POOL: global $global_ratio = site $site_ratio" \
	[ -n "$global_ratio" -a "$global_ratio" = "$site_ratio" ]
check "the global has the site's recorded thresholds (dhcpd_pool:free_ratio_threshold $POOL 0.9)" \
	[ "$(value "$GLOBAL_PORT" "dhcpd_pool:free_ratio_threshold{site=\"site-a\",pool=\"$POOL\"}")" = 0.9 ]
check "the global evaluates no rule of its own" sh -c \
	"tests/lab/lab.sh exec $lab curl -sf http://127.0.0.1:$GLOBAL_PORT/api/v1/rules | grep -q '\"groups\":\[\]'"

# Once the first sweep is done (13 s at 5,000/s for 1,000 pools), p0042 is
# the only alert: the alerts of the start (no sweep yet) must have ended on
# the global too, which they do only with global.yml's honor_timestamps:
# false.
sweep_done() { [ -n "$(value "$SITE_PORT" dhcpd_exporter_last_sweep_timestamp_seconds)" ]; }
for _ in $(seq 1 $((POOLS * 65 / 5000 * 3 + 30))); do sweep_done && break; sleep 1; done
check "the exporter's first sweep of $((POOLS * 65)) addresses is done" sweep_done
only_alert() {
	local i got
	for i in $(seq 1 60); do
		got=$(api "$GLOBAL_PORT" "ALERTS{alertstate=\"firing\"}" | $PY -c '
import json, sys
print(" ".join(sorted("%s:%s:%s" % (a["metric"]["alertname"], a["metric"].get("pool", ""),
      a["metric"].get("site", "")) for a in json.load(sys.stdin))))')
		[ "$got" = "DhcpdPoolFreeRatioLow:$POOL:site-a" ] && return 0
		sleep 1
	done
	echo "  firing on the global: $got" >&2
	echo "  on the site: $(api "$SITE_PORT" 'ALERTS{alertstate="firing"}' | head -c 600)" >&2
	return 1
}
check "the global's only firing alert is DhcpdPoolFreeRatioLow $POOL from site-a" only_alert

# --- figures, a few scrapes after the sweep
sleep $((${IV%s} * 5))
q() { value "$1" "$2" | xargs printf '%.4f'; }
W="[$((${IV%s} * 15))s]"
samples=$(value "$SITE_PORT" "max_over_time(scrape_samples_scraped{job=\"dhcpd_exporter\"}$W)")
body=$(value "$SITE_PORT" "max_over_time(scrape_body_size_bytes{job=\"dhcpd_exporter\"}$W)")
dur_min=$(q "$SITE_PORT" "min_over_time(scrape_duration_seconds{job=\"dhcpd_exporter\"}$W)")
dur_avg=$(q "$SITE_PORT" "avg_over_time(scrape_duration_seconds{job=\"dhcpd_exporter\"}$W)")
poll_min=$(q "$SITE_PORT" 'min_over_time(dhcpd_exporter_poll_duration_seconds[2m])')
poll_max=$(q "$SITE_PORT" 'max_over_time(dhcpd_exporter_poll_duration_seconds[2m])')
sweep=$(q "$SITE_PORT" 'max_over_time(dhcpd_exporter_sweep_duration_seconds[5m])')
fsamples=$(value "$GLOBAL_PORT" "max_over_time(scrape_samples_scraped{job=\"dhcpd_federate\"}$W)")
fbody=$(value "$GLOBAL_PORT" "max_over_time(scrape_body_size_bytes{job=\"dhcpd_federate\"}$W)")
fdur_min=$(q "$GLOBAL_PORT" "min_over_time(scrape_duration_seconds{job=\"dhcpd_federate\"}$W)")
fdur_avg=$(q "$GLOBAL_PORT" "avg_over_time(scrape_duration_seconds{job=\"dhcpd_federate\"}$W)")
# fetch N URL HEADER: bytes, fastest and median time of N fetches.
fetch() {
	local n=$1
	shift
	for _ in $(seq 1 "$n"); do
		in_lab curl -s -o /dev/null -H "$2" -w '%{size_download} %{time_total}\n' "$1"
	done | sort -k2 -n | awk '{ s = $1; t[NR] = $2 }
		END { printf "%d bytes in %.4f s (median %.4f s)", s, t[1], t[int((NR + 1) / 2)] }'
}
m_plain=$(fetch 20 "http://127.0.0.1:$EXP_PORT/metrics" "Accept-Encoding: identity")
m_gz=$(fetch 20 "http://127.0.0.1:$EXP_PORT/metrics" "Accept-Encoding: gzip")
fed_args=$($PY -c 'import sys, urllib.parse, yaml
c = yaml.safe_load(open(sys.argv[1]))["scrape_configs"][0]
print(urllib.parse.urlencode([("match[]", m) for m in c["params"]["match[]"]]))' \
	deploy/prometheus/global.yml)
f_gz=$(fetch 5 "http://127.0.0.1:$SITE_PORT/federate?$fed_args" "Accept-Encoding: gzip")
echo "figures: $POOLS pools of 65 addresses on one server, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  /metrics: $samples samples, $body bytes as Prometheus reads it; curl: plain $m_plain, gzip $m_gz"
echo "  site's scrape_duration_seconds: fastest $dur_min s, mean $dur_avg s (15 scrapes at $IV)"
echo "  exporter: poll of $POOLS pools $poll_min-$poll_max s, sweep of $((POOLS * 65)) addresses $sweep s"
echo "  federation per site: $fsamples samples, $fbody bytes plain; curl gzip $f_gz;" \
	"global's scrape fastest $fdur_min s, mean $fdur_avg s"
check "figures measured" [ -n "$samples" -a -n "$body" -a -n "$fbody" -a -n "$fsamples" ]
echo "  whole test: $((SECONDS - t0)) s"
finish test_federation
