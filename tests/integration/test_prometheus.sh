#!/bin/bash
# The Prometheus side against a real Prometheus scraping a real exporter
# that watches a real dhcpd (the default lab), all inside the lab's network
# namespace:
#  - promtool: check rules, test rules (every unit test file), check config
#    on the example prometheus.yml;
#  - the Grafana dashboard parses and every query of every panel and
#    template variable, and every rule expression, runs in Prometheus
#    against live data (check_queries.py: variables substituted with All and
#    with one value; metric names served by the exporter or recorded by the
#    rules; every selector selects live series; dashboard queries and
#    recording rules return data; legends name labels the series have);
#    alert expressions are comparisons that are empty on a healthy pool, so
#    their selectors are checked one by one and the rule engine's own
#    health ("ok", no lastError) after several evaluations proves that the
#    whole expression evaluates, vector matching included, on real series;
#  - alerts fire end to end: Prometheus loads the rules with every `for:`
#    set to 0s (nothing else changed) plus a per-pool threshold override, and
#    /api/v1/alerts must show exactly the expected firing set on the lab
#    (nearfull, 3 of 100 free, is low; staff, 24 % free, is low only through
#    the override; the watched host "ghost" does not exist; lan, campus-known
#    and staff have active leases whose clients last talked to dhcpd a day
#    ago, while the other pools' did within the hour: campus-b's too, as it
#    is one dhcpd pool with campus-a, reported once through dhcpd_conf) and
#    nothing else;
#    then real clients (perfdhcp, in a namespace of its own on the lab's
#    veth) take leases in lan, and lan's no-activity alert must resolve;
#    then dhcpd is killed and the unreachable alert must fire, alone; then
#    dhcpd comes back with a key the exporter does not have, and the OMAPI
#    authentication alert must join it.
# The exporter runs with lease_info on, so the dashboard's lease table has
# data to query too.
# The Prometheus it runs is configured from deploy/prometheus/prometheus.yml:
# same job, relabelling and rule files, with the target, intervals (1 s) and
# paths made local.  Needs root. BUILD selects the binaries (default build);
# RULES, PROMCONF and DASH other rule, config and dashboard files to check.
# The DHCPv6 and leases-file series are optional here (the lab is IPv4 over
# OMAPI): promtool tests cover their rules, test_dhcpv6.sh their values.
set -u
. "$(dirname "$0")/lib.sh"
suite_init prom 19150
EXP_PORT=$PORT
PROM_PORT=19190
RULES=${RULES:-deploy/prometheus/dhcpd_exporter.rules.yml}
PROMCONF=${PROMCONF:-deploy/prometheus/prometheus.yml}
DASH=${DASH:-dashboards/dhcpd.json}
# Alerts that must fire (alertname:label=value), and no others: on the
# healthy lab with `for: 0s` and the override below; once dhcpd is gone; once
# it is back with a key the exporter does not know.
# The exporter reads the lab's dhcpd.conf too (a copy, which the rekey
# leaves alone: an edited file reloads the exporter, key file included).
# nearfull is a lone subnet, its shared network 10.50.0.0/24 as short as
# the pool (3 of 100 free), so both page; the others have room.
EXPECT_HEALTHY="DhcpdPoolFreeRatioLow:pool=nearfull
DhcpdPoolFreeRatioLow:pool=staff
DhcpdPoolFreeAddressesLow:pool=nearfull
DhcpdSharedNetworkFreeRatioLow:shared_network=10.50.0.0/24
DhcpdSharedNetworkFreeAddressesLow:shared_network=10.50.0.0/24
DhcpdHostMissing:host=ghost
DhcpdPoolNoClientActivity:pool=lan
DhcpdPoolNoClientActivity:pool=campus-known
DhcpdPoolNoClientActivity:pool=staff"
EXPECT_DOWN="DhcpdUnreachable:server=lab"
EXPECT_REKEY="DhcpdUnreachable:server=lab
DhcpdOmapiAuthFailures:server=lab"
prom_pid=

cns=
cleanup() {
	[ -n "$prom_pid" ] && kill -9 "$prom_pid" 2>/dev/null
	stop_lab_and_exporter	# the lab first: it takes v0, and v1 with it
	[ -n "$cns" ] && ip netns del "$cns" 2>/dev/null
}

api() { in_lab curl -sf --max-time 5 "http://127.0.0.1:$PROM_PORT$1"; }

# Firing alerts as sorted "alertname:label=value" lines, for the labels
# named in the expectations.
firing() {
	api /api/v1/alerts | $PY -c '
import json, sys
want = sys.argv[1].split()
out = set()
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] != "firing":
        continue
    l = a["labels"]
    keys = [w.split(":")[1].split("=")[0] for w in want
            if w.split(":")[0] == l["alertname"]] or ["server"]
    out.add("%s:%s=%s" % (l["alertname"], keys[0], l.get(keys[0], "")))
print("\n".join(sorted(out)))' "$1"
}

# Wait up to $2 seconds for the firing set to equal $1.
wait_firing() {
	local want got i
	want=$(echo "$1" | sort)
	for i in $(seq 1 $(($2 * 2))); do
		got=$(firing "$1")
		[ "$got" = "$want" ] && return 0
		sleep 0.5
	done
	echo "  firing: $(echo $got)" >&2
	echo "  wanted: $(echo $want)" >&2
	return 1
}

# promtool, on the files as shipped.
check "promtool check rules $RULES" \
	sh -c "promtool check rules $RULES >$lab/check_rules.out 2>&1"
tests_files=$(grep -l '^tests:' deploy/prometheus/tests/*.yml 2>/dev/null | tr '\n' ' ')
check "promtool test rules ($(echo $tests_files | wc -w) files)" \
	sh -c "[ -n '$tests_files' ] && promtool test rules $tests_files >$lab/test_rules.out 2>&1"
grep -q FAILED "$lab/test_rules.out" && sed 's/^/  /' "$lab/test_rules.out" | head -40
check "promtool check config $PROMCONF" \
	sh -c "promtool check config $PROMCONF >$lab/check_config.out 2>&1"
grep -q FAILED "$lab/check_config.out" && sed 's/^/  /' "$lab/check_config.out"

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"

# The rules with every `for:` at 0s, the operator's override, and
# prometheus.yml made local.
$PY - "$RULES" "$PROMCONF" "$lab" "$EXP_PORT" <<'EOF' || fail "test configuration written"
import sys, yaml
rules, promconf, lab, port = sys.argv[1:]
doc = yaml.safe_load(open(rules))
for g in doc["groups"]:
    for r in g["rules"]:
        if "alert" in r:
            r["for"] = "0s"
yaml.safe_dump(doc, open(lab + "/rules-for0.yml", "w"), sort_keys=False)
# staff on lab: alert below 50 % free (it has 24 %).
yaml.safe_dump({"groups": [{"name": "lab_thresholds", "rules": [
    {"record": "dhcpd_pool_free_ratio_threshold", "expr": "vector(0.5)",
     "labels": {"server": "lab", "pool": "staff"}}]}]},
    open(lab + "/thresholds.yml", "w"))
conf = yaml.safe_load(open(promconf))
jobs = [j for j in conf["scrape_configs"] if j["job_name"] == "dhcpd_exporter"]
assert len(jobs) == 1, "no scrape job dhcpd_exporter in " + promconf
job = jobs[0]
for k in list(job):
    if k.endswith("_sd_configs"):
        del job[k]
# The lab's exporter as the only target, with the example's target labels.
labels = [sc["labels"] for sc in job.get("static_configs", []) if "labels" in sc]
job["static_configs"] = [dict({"targets": ["127.0.0.1:" + port]},
                              **({"labels": labels[0]} if labels else {}))]
job.pop("scrape_interval", None)
job.pop("scrape_timeout", None)
conf["scrape_configs"] = [job]
conf["global"] = dict(conf.get("global") or {}, scrape_interval="1s",
                      evaluation_interval="1s", scrape_timeout="1s")
conf.pop("alerting", None)
conf["rule_files"] = [lab + "/rules-for0.yml", lab + "/thresholds.yml"]
yaml.safe_dump(conf, open(lab + "/prometheus.yml", "w"), sort_keys=False)
EOF
check "test copy of the rules passes promtool" \
	sh -c "promtool check rules $lab/rules-for0.yml $lab/thresholds.yml >/dev/null 2>&1"

cp "$lab/dhcpd.conf" "$lab/exporter-dhcpd.conf"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$EXP_PORT" \
	--poll-interval 1s --sweep-interval 2s --extra-host ghost \
	--lease-info 100000 --class limited \
	--dhcpd-conf "$lab/exporter-dhcpd.conf" >"$lab/exp.yml"
# dhcpd's log too (an empty file: the log series are there from the start,
# every counter at 0), so the log row of the dashboard and the log rules
# are checked against live series.
: >"$lab/dhcpd-syslog.txt"
sed -i "/^  - name: lab\$/a\\    log: { file: $lab/dhcpd-syslog.txt }" "$lab/exp.yml"
grep -q '^    log: ' "$lab/exp.yml" || fail "log: added to the exporter's configuration"
start_exporter --config.file="$lab/exp.yml"
# ip netns exec execs its command, so $! is the process itself.
ip netns exec "$LAB_NETNS" prometheus --config.file="$lab/prometheus.yml" \
	--storage.tsdb.path="$lab/tsdb" --storage.tsdb.retention.time=1h \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$lab/prometheus.log" 2>&1 &
prom_pid=$!
start=$(date +%s)

# Ready, and the exporter target up, with a sweep in the scraped data.
for i in $(seq 1 60); do
	api '/api/v1/query?query=dhcpd_exporter_last_sweep_timestamp_seconds' 2>/dev/null |
		grep -q '"server":"lab"' && break
	sleep 0.5
done
check "Prometheus scrapes the exporter ($(($(date +%s) - start)) s after start)" \
	sh -c "ip netns exec '$LAB_NETNS' curl -sf \
	'http://127.0.0.1:$PROM_PORT/api/v1/query?query=up%7Bjob%3D%22dhcpd_exporter%22%7D' |
	grep -q '\"value\":\[[0-9.]*,\"1\"\]'"
# Rates and predict_linear need a few samples; the rule engine a few runs.
sleep 6
check "healthy lab: exactly the expected alerts fire" wait_firing "$EXPECT_HEALTHY" 10
# A pool whose shared network is short too pages (not a warning).
nearfull_severity() {
	api '/api/v1/query?query=ALERTS%7Balertname%3D%22DhcpdPoolFreeAddressesLow%22%2Cpool%3D%22nearfull%22%2Calertstate%3D%22firing%22%7D' |
		$PY -c 'import json,sys; print(" ".join(sorted(r["metric"]["severity"] for r in json.load(sys.stdin)["data"]["result"])))'
}
check "nearfull's DhcpdPoolFreeAddressesLow is critical, once" \
	[ "$(nearfull_severity)" = critical ]

out=$(in_lab $PY tests/integration/check_queries.py \
	--prom "http://127.0.0.1:$PROM_PORT" \
	--metrics "http://127.0.0.1:$EXP_PORT/metrics" \
	--dashboard "$DASH" --rules "$lab/rules-for0.yml" "$lab/thresholds.yml" \
	--optional dhcpd_pool_free_ratio_threshold dhcpd_pool_free_addresses_threshold \
	dhcpd_pool_client_idle_seconds_threshold \
	dhcpd_class_used_ratio_threshold dhcpd_nak_ratio_threshold \
	dhcpd_failover_state dhcpd_failover_info dhcpd_pool:own_free_addresses \
	dhcpd_failover_state_change_timestamp_seconds \
	"${LEASES_FILE_SERIES[@]}" \
	--optional-label failover_peer \
	--one-server lab --one-pool nearfull --rate-interval 5s 2>&1)
rc=$?
echo "$out" | grep -v '^ok' | sed 's/^/  /'
check "dashboard and rule queries on live data ($(echo "$out" | tail -1))" \
	checker_ok "$(queries_expected "$DASH" "$lab/rules-for0.yml" "$lab/thresholds.yml")" \
	"$out" "$rc"

threshold=$(api '/api/v1/query?query=dhcpd_pool:free_ratio_threshold%7Bpool%3D%22staff%22%7D' |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
check "override gives staff a threshold of 0.5 ($threshold)" [ "$threshold" = 0.5 ]


# The dashboard's count of pools below their threshold agrees with the alert.
stat=$(in_lab $PY -c '
import json, sys, urllib.parse, urllib.request
for p in json.load(open(sys.argv[1]))["panels"]:
    if p["title"] == "Pools below their free threshold":
        e = p["targets"][0]["expr"].replace("$server", ".*").replace("$pool", ".*")
q = urllib.parse.urlencode({"query": e})
r = json.load(urllib.request.urlopen(sys.argv[2] + "?" + q))
print(r["data"]["result"][0]["value"][1])' "$DASH" "http://127.0.0.1:$PROM_PORT/api/v1/query")
alerts=$(firing "$EXPECT_HEALTHY" | grep -c '^DhcpdPoolFreeRatioLow:')
check "dashboard counts $stat pools below their threshold, as many as alert ($alerts)" \
	[ "$stat" = "$alerts" ]

# Real clients (perfdhcp) take leases in lan: its no-activity alert
# resolves at the next sweep, the other pools' stay.  (Only this alert is
# compared: with every `for:` at 0s, the 10 addresses taken within a second
# also make DhcpdPoolExhaustionPredicted project lan empty for a while.)
no_activity_is() {
	local want got
	want=$(echo "$EXPECT_HEALTHY" | grep '^DhcpdPoolNoClientActivity:' |
		grep -v -x -F "$1" | sort)
	for _ in $(seq 1 30); do
		got=$(firing "$EXPECT_HEALTHY" | grep '^DhcpdPoolNoClientActivity:')
		[ "$got" = "$want" ] && return 0
		sleep 0.5
	done
	echo "  firing: $(echo $got); wanted: $(echo $want)" >&2
	return 1
}
dhcp_clients_up || fail "perfdhcp's namespace made"
n=$(dora 10 "$lab/perfdhcp.txt")
check "real clients in lan: its no-activity alert resolves, the others' stay ($n DORA exchanges)" \
	no_activity_is 'DhcpdPoolNoClientActivity:pool=lan'

tests/lab/lab.sh kill "$lab" KILL >/dev/null 2>&1
t0=$(date +%s%N)
check "dhcpd killed: only the unreachable alert fires" wait_firing "$EXPECT_DOWN" 15
echo "  (after $((($(date +%s%N) - t0) / 1000000)) ms)"

# dhcpd back with a new key the exporter does not have: real OMAPI
# authentication failures, counted and alerted.
tests/lab/lab.sh rekey "$lab" >/dev/null 2>&1 || fail "lab rekey"
t0=$(date +%s%N)
check "dhcpd rekeyed: unreachable and OMAPI auth alerts fire" \
	wait_firing "$EXPECT_REKEY" 30
echo "  (after $((($(date +%s%N) - t0) / 1000000)) ms)"

kill -TERM "$prom_pid" "$exporter_pid"
wait "$prom_pid" "$exporter_pid"
prom_pid=
exporter_pid=
check "no Prometheus errors in its log" absent -e 'level=error' "$lab/prometheus.log"
grep 'level=error' "$lab/prometheus.log" | head -5 | sed 's/^/  /'

finish prometheus
