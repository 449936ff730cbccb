#!/bin/bash
# The exporter and omapictl under valgrind (memcheck, full leak check)
# against a real keyed dhcpd, on the release build:
#  - the exporter serves TLS with basic auth (--web.config.file) while it
#    polls and sweeps the lab (lease_info on, capped at 1000 of its leases);
#    it is scraped (plain and gzip), its status
#    page read, a wrong password and plain HTTP thrown at it, its
#    configuration reloaded (SIGHUP), then stopped (SIGTERM): no memory
#    error, no leak, and it exits 0;
#  - omapictl: lease lookups, a sweep, a pool, a host added, read and
#    deleted: no memory error, no leak.
# The ASan build is skipped (the two do not mix): make check runs this on
# the release build. Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init vg 19460
if sanitized; then
	echo "skip: test_valgrind on a sanitizer build"
	exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 1; }

VG="valgrind --quiet --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
	--track-origins=yes --child-silent-after-fork=yes"
URL=https://127.0.0.1:$PORT
PASSWORD="vg pass $$"
get() { in_lab curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
	--cacert "$lab/tls.crt" "$@"; }
SCRAPE_URL=$URL
SCRAPE_TIMEOUT=10	# under valgrind
SCRAPE_OPTS=(--cacert "$lab/tls.crt" -u "prometheus:$PASSWORD")
# valgrind's verdict on a log: no error summary with errors, no leak.
# (--quiet: a clean run's log is empty, but it must exist: a run that never
# started under valgrind wrote none.)
clean_log() {
	[ -f "$1" ] || { echo "  no valgrind log $1" >&2; return 1; }
	if grep -q -E 'ERROR SUMMARY: [1-9]|are (definitely|indirectly) lost|Invalid (read|write|free)|uninitialised|Mismatched free|Syscall param' "$1"; then
		sed 's/^/  /' "$1" | head -40 >&2
		return 1
	fi
}

tests/lab/lab.sh start "$lab" --key hmac-sha256 >/dev/null ||
	{ echo "lab did not start"; exit 1; }
. "$lab/env"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$lab/tls.key" -out "$lab/tls.crt" -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 2>/dev/null ||
	{ echo "openssl could not make a certificate"; exit 1; }
chmod 600 "$lab/tls.key"
HASH=$(PASSWORD=$PASSWORD $PY -W ignore -c 'import crypt, os
print(crypt.crypt(os.environ["PASSWORD"], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
printf 'tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\nbasic_auth_users:\n  prometheus: %s\n' \
	"$HASH" >"$lab/web.yml"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 3s --max-rate 0 --lease-info 1000 >"$lab/exp.yml"

# --- the exporter -----------------------------------------------------------
# shellcheck disable=SC2206
EXPORTER_WRAP=($VG --log-file="$lab/vg-exporter.log")
start_exporter --config.file="$lab/exp.yml" --web.config.file="$lab/web.yml"
check "the exporter under valgrind answers with dhcpd_up 1" wait_up 1 60
swept() {	# within 40 s: the sweep's lease states are served
	for _ in $(seq 1 200); do
		scrape | grep -q '^dhcpd_pool_leases{.*state="active"' && return 0
		sleep 0.2
	done
	return 1
}
gzipped() { scrape /metrics -H 'Accept-Encoding: gzip' | gzip -t; }
check "a sweep finished and is served" swept
check "/metrics gzipped" gzipped
check "the status page: 200" [ "$(get -u "prometheus:$PASSWORD" "$URL/")" = 200 ]
check "a wrong password: 401" [ "$(get -u "prometheus:nope" "$URL/metrics")" = 401 ]
check "plain HTTP on the TLS port: no answer" \
	[ "$(in_lab curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
		"http://127.0.0.1:$PORT/metrics")" = 000 ]
kill -HUP "$exporter_pid"
sleep 2
check "after SIGHUP it still serves" scrape /metrics -o /dev/null
kill -TERM "$exporter_pid"
for _ in $(seq 1 150); do kill -0 "$exporter_pid" 2>/dev/null || break; sleep 0.2; done
wait "$exporter_pid" 2>/dev/null
rc=$?
exporter_pid=
check "the exporter exits 0 under valgrind (got $rc; 99: a memory error)" [ "$rc" -eq 0 ]
check "valgrind: no memory error and no leak in the exporter" clean_log "$lab/vg-exporter.log"

# --- omapictl -----------------------------------------------------------------
octl() { in_lab $VG --log-file="$lab/vg-omapictl.%p.log" "$BIN/omapictl" \
	-s "$LAB_HOST:$LAB_PORT" -K "$LAB_KEYFILE" "$@"; }
octl --json lease ip 10.99.1.1 >/dev/null
octl lease sweep 10.99.1.1 10.99.1.200 >/dev/null
octl pool 10.99.1.1 >/dev/null
check "omapictl host add" eval 'octl host add vg-host 02:00:00:00:99:01 >/dev/null'
check "omapictl host get" eval 'octl --json host get name vg-host >/dev/null'
check "omapictl host delete" eval 'octl host delete name vg-host >/dev/null'
octl lease ip 10.255.255.254 >/dev/null 2>&1	# not found: exit 1, still clean
bad=0 runs=0
for f in "$lab"/vg-omapictl.*.log; do
	[ -e "$f" ] && runs=$((runs + 1))
	clean_log "$f" || bad=1
done
# seven runs of omapictl above, each a log of its own
check "valgrind: no memory error and no leak in omapictl ($runs runs of 7)" \
	eval '[ "$bad" -eq 0 ] && [ "$runs" -eq 7 ]'
finish test_valgrind
