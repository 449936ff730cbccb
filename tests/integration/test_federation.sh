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
#    size), the exporter's poll duration, the federation payload the global
#    receives per site, and how many pools fit in a 15 s poll.
# The exporter runs with the configuration defaults (poll 15 s, sweep 60 s
# at 5,000 requests/s).  Needs root. BUILD selects the exporter; FED_POOLS
# (default 1000) the number of pools, for the README's figures at scale.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
BIN=$PWD/$BUILD
PY=/usr/bin/python3
EXP_PORT=19468
SITE_PORT=19491
GLOBAL_PORT=19492
POOL=p0042
POOLS=${FED_POOLS:-1000}
. tests/integration/lib.sh
. tests/lab/serve.sh
lab=$(mktemp -d /tmp/dxfed.XXXXXX)
exporter_pid=
site_pid=
global_pid=

cleanup() {
	stop_pid "$global_pid"
	stop_pid "$site_pid"
	stop_pid "$exporter_pid"
	exporter_pid=
	stop_lab_and_exporter
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
EOF
$PY tests/lab/prom_config.py site "$lab/site" --target "127.0.0.1:$EXP_PORT" \
	--interval 2s --for 0s --external-label site=site-a --no-target-labels \
	--rules-extra "$lab/site/thresholds.yml" >/dev/null &&
	$PY tests/lab/prom_config.py global "$lab/global" \
		--target "127.0.0.1:$SITE_PORT" --interval 2s ||
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
	for i in $(seq 1 60); do
		n=$(value "$GLOBAL_PORT" "count(dhcpd_pool_addresses{$SEL})")
		r=$(value "$GLOBAL_PORT" "dhcpd_pool:free_ratio{$SEL,pool=\"$POOL\"}")
		a=$(value "$GLOBAL_PORT" "ALERTS{$SEL,alertname=\"DhcpdPoolFreeRatioLow\",alertstate=\"firing\",pool=\"$POOL\"}")
		[ "$n" = "$POOLS" ] && [ -n "$r" ] && [ "$a" = 1 ] && { waited=$i; return 0; }
		sleep 1
	done
	echo "  after 60 s: $n pools, free ratio '$r', alert '$a'" >&2
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

# Once the first sweep is done (13 s at 5,000/s), p0042 is the only alert:
# the alerts of the start (no sweep yet) must have ended on the global too,
# which they do only with global.yml's honor_timestamps: false.
only_alert() {
	local i got
	for i in $(seq 1 40); do
		got=$(api "$GLOBAL_PORT" "ALERTS{alertstate=\"firing\"}" | $PY -c '
import json, sys
print(" ".join(sorted("%s:%s:%s" % (a["metric"]["alertname"], a["metric"].get("pool", ""),
      a["metric"].get("site", "")) for a in json.load(sys.stdin))))')
		[ "$got" = "DhcpdPoolFreeRatioLow:$POOL:site-a" ] && return 0
		sleep 1
	done
	echo "  firing on the global: $got" >&2
	echo "  on the site: $(api "$SITE_PORT" 'ALERTS{alertstate="firing"}' | head -c 600)" >&2
	echo "  site up: $(api "$SITE_PORT" 'up' | head -c 300)" >&2
	echo "  site last sweep: $(api "$SITE_PORT" 'time() - dhcpd_exporter_last_sweep_timestamp_seconds' | head -c 300)" >&2
	return 1
}
check "the global's only firing alert is DhcpdPoolFreeRatioLow $POOL from site-a" only_alert

# --- figures (a few scrapes in)
sleep 8
q() { value "$1" "$2" | xargs printf '%.4f'; }
samples=$(value "$SITE_PORT" 'max_over_time(scrape_samples_scraped{job="dhcpd_exporter"}[1m])')
body=$(value "$SITE_PORT" 'max_over_time(scrape_body_size_bytes{job="dhcpd_exporter"}[1m])')
dur_avg=$(q "$SITE_PORT" 'avg_over_time(scrape_duration_seconds{job="dhcpd_exporter"}[1m])')
dur_max=$(q "$SITE_PORT" 'max_over_time(scrape_duration_seconds{job="dhcpd_exporter"}[1m])')
nscr=$(value "$SITE_PORT" 'count_over_time(scrape_duration_seconds{job="dhcpd_exporter"}[1m])')
poll=$(q "$SITE_PORT" 'max_over_time(dhcpd_exporter_poll_duration_seconds[1m])')
sweep=$(q "$SITE_PORT" 'max_over_time(dhcpd_exporter_sweep_duration_seconds[1m])')
fsamples=$(value "$GLOBAL_PORT" 'max_over_time(scrape_samples_scraped{job="dhcpd_federate"}[1m])')
fbody=$(value "$GLOBAL_PORT" 'max_over_time(scrape_body_size_bytes{job="dhcpd_federate"}[1m])')
fdur=$(q "$GLOBAL_PORT" 'avg_over_time(scrape_duration_seconds{job="dhcpd_federate"}[1m])')
metrics_curl=$(in_lab curl -s -o /dev/null -w '%{size_download} %{time_total}' \
	"http://127.0.0.1:$EXP_PORT/metrics")
metrics_gz=$(in_lab curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' \
	"http://127.0.0.1:$EXP_PORT/metrics")
fed_args=$($PY -c 'import sys, urllib.parse, yaml
c = yaml.safe_load(open(sys.argv[1]))["scrape_configs"][0]
print(urllib.parse.urlencode([("match[]", m) for m in c["params"]["match[]"]]))' \
	deploy/prometheus/global.yml)
fed_gz=$(in_lab curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' \
	"http://127.0.0.1:$SITE_PORT/federate?$fed_args")
echo "figures ($POOLS pools of 65 addresses, one server; $nscr site scrapes in the last minute):"
echo "  site scrape of /metrics: $samples samples, $body bytes (curl: ${metrics_curl% *} plain, $metrics_gz gzip, ${metrics_curl#* } s)," \
	"scrape_duration_seconds avg $dur_avg s, max $dur_max s"
echo "  exporter: poll of $POOLS pools $poll s (max over the minute), sweep of $((POOLS * 65)) addresses ${sweep:-not done yet} s"
echo "  federation per site: $fsamples samples, $fbody bytes plain, $fed_gz bytes gzip, scrape $fdur s"
check "figures measured" [ -n "$samples" -a -n "$body" -a -n "$fbody" -a "$poll" != "" ]
$PY -c "import sys
p, s, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print('  pools within a 15 s poll at this poll time: %d; within a 10 s scrape_timeout at this scrape time: %d'
      % (15 / p * n, 10 / s * n))" "$poll" "$dur_max" "$POOLS"
echo "  whole test: $((SECONDS - t0)) s"
finish test_federation
