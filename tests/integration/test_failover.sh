#!/bin/bash
# Issue 13 against a real failover pair (tests/lab/lab.sh start-pair): two
# dhcpd in two namespaces joined by a veth pair, sharing one failover pool
# of 20 addresses; one exporter in the primary's namespace watches both
# (the secondary over the veth address, 10.77.0.2) with their dhcpd.conf
# (`dhcpd_conf`: peers, classes and pools discovered), and a real
# Prometheus scrapes it every second with the shipped rules (every `for:`
# set to 2s, nothing else changed).
#  1 both normal/normal, roles primary/secondary, the pair's parameters,
#    the class's lease-limit/leases-used as omapictl reads them, a listed
#    peer and class the server lacks as *_found 0 with dhcpd_up 1, and no
#    failover or pool alert;
#  2 the secondary killed: the primary reports local
#    communications-interrupted within two polls and DhcpdFailoverNotNormal
#    (critical) fires;
#  5 (while interrupted) perfdhcp takes the primary's own share (its 10
#    free leases): DhcpdPoolFreeAddressesLow fires for the primary although
#    free + backup is still 10;
#  3 partner-down set on the primary over OMAPI (omapictl failover pair
#    partner-down, which reads the state back): reported within two polls,
#    the alert follows it, and the pool alert clears (the whole pool
#    counts again);
#  4 the secondary restarted: both back to normal, the exporter follows
#    without a restart, and the failover alerts resolve.
# Needs root. BUILD selects the binaries (default build).
set -u
. "$(dirname "$0")/lib.sh"
suite_init fo 19160
PROM_PORT=19191
RULES=deploy/prometheus/dhcpd_exporter.rules.yml
P=$lab/primary
S=$lab/secondary
prom_pid=
FO='pool="10.77.0.100-10.77.0.119",shared_network="10.77.0.0/24",failover_peer="pair"'

cleanup() {
	[ -n "$prom_pid" ] && { kill -9 "$prom_pid"; wait "$prom_pid"; } 2>/dev/null
	[ -n "$exporter_pid" ] &&
		{ kill -9 "$exporter_pid"; wait "$exporter_pid"; } 2>/dev/null
	tests/lab/lab.sh stop-pair "$lab" >/dev/null 2>&1
	rm -rf "$lab"
}

t_start=$(date +%s)
tests/lab/lab.sh start-pair "$lab" >/dev/null || { echo "pair did not start"; exit 1; }
. "$P/env"		# LAB_NETNS: the primary's namespace
NS_S=$(cat "$S/netns")
oc() { in_lab "$BIN/omapictl" -K "$LAB_KEYFILE" "$@"; }
api() { in_lab curl -sf --max-time 5 "http://127.0.0.1:$PROM_PORT$1"; }

cat >"$lab/exp.yml" <<EOF
listen: "127.0.0.1:$PORT"
poll_interval: 1s
servers:
  - name: primary
    address: 127.0.0.1
    key: { key_file: $P/omapi.key }
    dhcpd_conf: $P/dhcpd.conf
    failover_peers: [ghost]
    classes: [limited, ghost-class]
    log: { file: $lab/primary-syslog.txt }
  - name: secondary
    address: 10.77.0.2
    key: { key_file: $S/omapi.key }
    dhcpd_conf: $S/dhcpd.conf
    log: { file: $lab/secondary-syslog.txt }
EOF
: >"$lab/primary-syslog.txt"
: >"$lab/secondary-syslog.txt"
chmod 600 "$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"

$PY - "$RULES" "$lab" "$PROM_PORT" "$PORT" <<'EOF' || fail "Prometheus configuration written"
import sys, yaml
rules, lab, pport, eport = sys.argv[1:]
doc = yaml.safe_load(open(rules))
for g in doc["groups"]:
    for r in g["rules"]:
        if "alert" in r:
            r["for"] = "2s"
yaml.safe_dump(doc, open(lab + "/rules.yml", "w"), sort_keys=False)
yaml.safe_dump({"global": {"scrape_interval": "1s", "evaluation_interval": "1s",
                           "scrape_timeout": "1s"},
                "rule_files": [lab + "/rules.yml"],
                "scrape_configs": [{"job_name": "dhcpd_exporter",
                                    "static_configs": [{"targets": ["127.0.0.1:" + eport]}]}]},
               open(lab + "/prometheus.yml", "w"))
EOF
in_lab prometheus --config.file="$lab/prometheus.yml" \
	--storage.tsdb.path="$lab/tsdb" --storage.tsdb.retention.time=1h \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$lab/prometheus.log" 2>&1 &
prom_pid=$!

# Firing alerts as sorted "alertname:severity:server:pool" lines.  Fails
# when Prometheus does not answer, or has not evaluated every rule group
# yet: no line then means nothing.
firing() {
	local alerts rules
	alerts=$(api /api/v1/alerts) && rules=$(api /api/v1/rules) ||
		{ echo "  Prometheus did not answer" >&2; return 1; }
	$PY -c '
import json, sys
alerts, rules = json.loads(sys.argv[1]), json.loads(sys.argv[2])
groups = rules["data"]["groups"]
if alerts["status"] != "success" or rules["status"] != "success" or not groups \
        or any(g.get("lastEvaluation", "").startswith("0001") for g in groups):
    sys.exit("  Prometheus has not evaluated its rules")
out = set()
for a in alerts["data"]["alerts"]:
    if a["state"] == "firing":
        l = a["labels"]
        out.add("%s:%s:%s:%s%s" % (l["alertname"], l.get("severity", ""),
                l.get("server", ""), l.get("pool", ""),
                (":" + l["state"]) if "state" in l else ""))
sys.stdout.write("".join(x + "\n" for x in sorted(out)))' "$alerts" "$rules"
}
# No firing alert matches grep pattern $1, as a Prometheus that answers
# says (firing fails when it does not).
not_firing() {
	local f
	f=$(firing) || return 1
	! printf '%s\n' "$f" | grep -q -- "$1"
}

# Wait up to $2 s until command $1 succeeds; sets took (ms).
until_ok() {
	local t0 i
	t0=$(date +%s%N)
	for _ in $(seq 1 $(($2 * 5))); do
		if eval "$1"; then
			took=$((($(date +%s%N) - t0) / 1000000))
			return 0
		fi
		sleep 0.2
	done
	took=$((($(date +%s%N) - t0) / 1000000))
	return 1
}

# The local (or partner) state that server $1 reports for peer pair.
fo_state() {
	scrape | awk -v s="dhcpd_failover_state{server=\"$1\",peer=\"pair\",side=\"$2\",state=" \
		'index($0, s) == 1 && $NF == 1 { sub(/.*state="/, ""); sub(/".*/, ""); print }'
}
both_normal() {
	[ "$(fo_state primary local)/$(fo_state primary partner)/$(fo_state secondary local)/$(fo_state secondary partner)" = normal/normal/normal/normal ]
}

# ---- 1: both normal
check "1: both servers report normal/normal (pair up $(($(date +%s) - t_start)) s after start)" \
	until_ok both_normal 20
check "1: roles: primary and secondary (hierarchy)" sh -c \
	"[ \"$(metric 'dhcpd_failover_info{server="primary",peer="pair",role="primary"}')/$(metric 'dhcpd_failover_info{server="secondary",peer="pair",role="secondary"}')\" = 1/1 ]"
scrape >"$lab/m1"
check "1: each state family lists the 12 states on both sides, no unknown" \
	sh -c "[ \$(grep -c '^dhcpd_failover_state{' '$lab/m1') -eq 48 ] &&
	! grep -q 'state=\"unknown\"' '$lab/m1'"
for m in 'dhcpd_failover_mclt_seconds 30' 'dhcpd_failover_max_response_delay_seconds 5' \
	'dhcpd_failover_max_unacked_updates 10' 'dhcpd_failover_load_balance_max_seconds 3' \
	'dhcpd_failover_unacked_updates 0'; do
	set -- $m
	check "1: $1 = $2 on both (dhcpd.conf's)" sh -c \
		"[ \"$(metric "$1{server=\"primary\",peer=\"pair\"}")/$(metric "$1{server=\"secondary\",peer=\"pair\"}")\" = $2/$2 ]"
done
stos=$(metric 'dhcpd_failover_state_change_timestamp_seconds{server="primary",peer="pair",side="local"}')
want=$(oc failover pair | awk '$1 == "local-stos" { print $3 }')
check "1: local state change time is local-stos ($stos)" [ -n "$stos" -a "$stos" = "$want" ]
check "1: no pointer bytes: local-address/partner-address not exported" \
	sh -c "[ -s '$lab/m1' ] && ! grep -Eq 'local.address|partner.address' '$lab/m1'"
check "1: the failover pool carries failover_peer=\"pair\" on both servers" \
	sh -c "grep -q '^dhcpd_pool_free_addresses{server=\"primary\",$FO} ' '$lab/m1' &&
	 grep -q '^dhcpd_pool_free_addresses{server=\"secondary\",$FO} ' '$lab/m1'"
check "1: the pool without failover has no failover_peer label" \
	sh -c "grep -q '^dhcpd_pool_free_addresses{server=\"primary\",pool=\"10.78.0.10-10.78.0.29\",shared_network=\"10.78.0.0/24\"} ' '$lab/m1'"
used=$(oc class limited | awk '$1 == "leases-used" { print $3 }')
limit=$(oc class limited | awk '$1 == "lease-limit" { print $3 }')
check "1: class limited on the primary: leases-used $used, lease-limit $limit, as omapictl reads them (3 of 4 billed in the leases file)" sh -c \
	"[ \"$(metric 'dhcpd_class_leases_used{server="primary",class="limited"}')/$(metric 'dhcpd_class_lease_limit{server="primary",class="limited"}')\" = $used/$limit -a $used/$limit = 3/4 ]"
check "1: class limited discovered on the secondary too (0 of 4)" sh -c \
	"[ \"$(metric 'dhcpd_class_leases_used{server="secondary",class="limited"}')/$(metric 'dhcpd_class_lease_limit{server="secondary",class="limited"}')\" = 0/4 ]"
check "1: a listed peer and class the server lacks: *_found 0, dhcpd_up still 1" sh -c \
	"[ \"$(metric 'dhcpd_failover_peer_found{server="primary",peer="ghost"}')/$(metric 'dhcpd_class_found{server="primary",class="ghost-class"}')/$(metric 'dhcpd_up{server="primary"}')/$(metric 'dhcpd_failover_peer_found{server="primary",peer="pair"}')\" = 0/0/1/1 ]"
check "1: ... and logged once each" sh -c \
	"[ \$(grep -c 'failover peer \\\\\"ghost\\\\\" is not on the server' '$lab/exporter.err') -eq 1 -a \
	   \$(grep -c 'class \\\\\"ghost-class\\\\\" is not on the server' '$lab/exporter.err') -eq 1 ]"
# A reload keeps what each server's peers and classes showed, and what was
# logged: the series stay on /metrics, the "not on the server" lines do not
# repeat.
kill -HUP "$exporter_pid"
check "1: SIGHUP reloads the configuration" \
	until_ok "grep -q 'configuration reloaded' '$lab/exporter.err'" 5
check "1: after the reload: both normal at once, ghost still 0" [ \
	"$(fo_state primary local)/$(fo_state secondary local)/$(metric 'dhcpd_failover_peer_found{server="primary",peer="ghost"}')" = normal/normal/0 ]
sleep 2.5	# two polls of the new configuration
check "1: after the reload and two polls: each missing name still logged once" \
	[ "$(grep -c 'failover peer \\"ghost\\" is not on the server' "$lab/exporter.err")/$(grep -c 'class \\"ghost-class\\" is not on the server' "$lab/exporter.err")" = 1/1 ]
until_ok "api '/api/v1/query?query=dhcpd_failover_state' | grep -q secondary" 20
sleep 4	# a few evaluations past every for: 2s
alerts=$(firing)
firing_rc=$?
check "1: normal: no alert fires (own share silent: free 10 + backup 10)${alerts:+: $(echo $alerts)}" \
	eval '[ "$firing_rc" -eq 0 ] && [ -z "$alerts" ]'

# The dashboard's failover row and the failover and class rules return
# data on the pair (on the one-server lab of test_prometheus.sh they
# cannot); what the pair has not (sweep, hosts, thresholds) is optional.
out=$(in_lab $PY tests/integration/check_queries.py \
	--prom "http://127.0.0.1:$PROM_PORT" \
	--metrics "http://127.0.0.1:$PORT/metrics" \
	--dashboard dashboards/dhcpd.json --rules "$lab/rules.yml" \
	--optional dhcpd_pool_free_ratio_threshold dhcpd_pool_free_addresses_threshold \
	dhcpd_class_used_ratio_threshold dhcpd_nak_ratio_threshold dhcpd_pool_leases \
	dhcpd_pool_active_leases_expiring dhcpd_exporter_last_sweep_timestamp_seconds \
	dhcpd_exporter_sweep_duration_seconds dhcpd_host_present dhcpd_host_info \
	dhcpd_pool_earliest_lease_end_timestamp_seconds ALERTS \
	dhcpd_pool_active_leases_seen dhcpd_pool_last_client_transaction_timestamp_seconds \
	dhcpd_pool_client_idle_seconds_threshold dhcpd_lease_info \
	dhcpd_lease_end_timestamp_seconds dhcpd_pool:client_idle_seconds \
	dhcpd_pool:client_idle_seconds_threshold \
	"${LEASES_FILE_SERIES[@]}" \
	--one-server primary --one-pool 10.77.0.100-10.77.0.119 --rate-interval 5s 2>&1)
rc=$?
echo "$out" | grep -v '^ok' | sed 's/^/  /'
check "1: dashboard and rule queries on the pair ($(echo "$out" | tail -1))" \
	checker_ok "$(queries_expected dashboards/dhcpd.json "$lab/rules.yml")" "$out" "$rc"
for q in "panel 'Failover pairs' A: returns data" \
	"panel 'Own share per failover pool' A: returns data" \
	"panel 'Own share per failover pool' B: returns data" \
	"panel 'Class lease limits' A: returns data" \
	'record dhcpd_pool:own_free_addresses evaluates (2 series' \
	'record dhcpd_class:leases_used_ratio evaluates (2 series' \
	'alert DhcpdFailoverPairDisagree evaluates'; do
	case $out in
	*"ok: $q"*) ok "1: on the pair: $q" ;;
	*) fail "1: on the pair: $q" ;;
	esac
done

# ---- 2: the secondary killed
tests/lab/lab.sh kill "$S" KILL
check "2: primary reports local communications-interrupted" \
	until_ok '[ "$(fo_state primary local)" = communications-interrupted ]' 10
check "2: ... within two polls of 1 s (plus a 200 ms check step): $took ms" \
	[ "$took" -le 2200 ]
page=$(scrape /)
case $page in
*'<tr><td>pair</td><td>primary</td><td><span class="st down">communications-interrupted</span>'*)
	ok "2: the status page shows it (role, local state)" ;;
*) fail "2: the status page shows it (role, local state)" ;;
esac
secondary_gone() {
	scrape >"$lab/m2" &&
		grep -qx 'dhcpd_up{server="secondary"} 0' "$lab/m2" &&
		! grep -q 'dhcpd_failover_state{server="secondary"' "$lab/m2"
}
check "2: the secondary is down (dhcpd_up 0) and has no failover series" \
	until_ok secondary_gone 10
check "2: DhcpdFailoverNotNormal (critical) fires for the primary in Prometheus" \
	until_ok 'firing | grep -qx "DhcpdFailoverNotNormal:critical:primary::communications-interrupted"' 15
echo "  (after $took ms more)"

# ---- 5: the primary's own share used up while interrupted
check "5: before: the primary has 10 free (its share) and 10 backup" sh -c \
	"[ \"$(metric "dhcpd_pool_free_addresses{server=\"primary\",$FO}")/$(metric "dhcpd_pool_backup_addresses{server=\"primary\",$FO}")\" = 10/10 ]"
# perfdhcp as a relay at 10.77.0.2 (the dead secondary's address), 15
# clients: the primary serves every client while interrupted, from free.
ip netns exec "$NS_S" timeout 20 perfdhcp -4 -l 10.77.0.2 -r 20 -R 15 -n 15 \
	-p 5 10.77.0.1 >"$lab/perfdhcp.out" 2>&1
check "5: perfdhcp took the primary's share: free 0, backup 10 (free + backup still 10)" \
	until_ok "[ \"\$(metric 'dhcpd_pool_free_addresses{server=\"primary\",$FO}')/\$(metric 'dhcpd_pool_backup_addresses{server=\"primary\",$FO}')\" = 0/10 ]" 5
grep -E "sent|received|drops" "$lab/perfdhcp.out" | head -4 | sed 's/^/  perfdhcp: /'
check "5: DhcpdPoolFreeAddressesLow (own share) fires for the primary's failover pool" \
	until_ok 'firing | grep -qx "DhcpdPoolFreeAddressesLow:critical:primary:10.77.0.100-10.77.0.119"' 15
echo "  (after $took ms)"
own=$(api '/api/v1/query?query=dhcpd_pool:own_free_addresses%7Bserver%3D%22primary%22%7D' |
	$PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
check "5: dhcpd_pool:own_free_addresses of the primary is 0 ($own)" [ "$own" = 0 ]

# ---- 3: partner-down on the primary
oc failover pair partner-down >"$lab/partner-down.out" 2>&1
rc=$?
check "3: omapictl failover pair partner-down: exit 0, dhcpd reads back partner-down (rc $rc)" \
	sh -c "[ $rc -eq 0 ] && grep -Eq '^local-state += partner-down' '$lab/partner-down.out'"
check "3: primary reports local partner-down" \
	until_ok '[ "$(fo_state primary local)" = partner-down ]' 5
check "3: ... within two polls: $took ms" [ "$took" -le 2200 ]
check "3: DhcpdFailoverNotNormal follows it (critical, partner-down)" \
	until_ok 'firing | grep -qx "DhcpdFailoverNotNormal:critical:primary::partner-down"' 15
check "3: partner-down: the whole pool counts, DhcpdPoolFreeAddressesLow clears" \
	until_ok 'not_firing "^DhcpdPoolFreeAddressesLow:critical:primary:10.77"' 15

# ---- 4: the secondary restarted
tests/lab/lab.sh restart "$S" >/dev/null || fail "4: secondary restarted"
check "4: both back to normal/normal, same exporter process" \
	until_ok 'both_normal && kill -0 $exporter_pid' 60
echo "  (after $took ms)"
check "4: the failover alerts resolve" \
	until_ok 'not_firing "^DhcpdFailover"' 15

kill -TERM "$prom_pid" "$exporter_pid"
wait "$exporter_pid"
exit_rc=$?
wait "$prom_pid"
prom_pid=
exporter_pid=
check "the exporter exits 0 on SIGTERM, no sanitizer report (rc $exit_rc)" \
	sh -c "[ $exit_rc -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error' '$lab/exporter.err'"
check "no Prometheus errors in its log" absent -e 'level=error' "$lab/prometheus.log"
echo "  (suite took $(($(date +%s) - t_start)) s)"
finish failover
