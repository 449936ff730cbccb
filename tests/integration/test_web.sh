#!/bin/bash
# --web.config.file, with curl against the exporter running unprivileged
# (uid 65534) next to a real dhcpd:
#  - TLS + basic auth: no credentials 401 (with a Basic challenge), a wrong
#    password 401, an unknown user 401, the right one 200 with the metrics,
#    on every path; plain HTTP gets no answer; TLS 1.2 refused when
#    min_version is TLS13;
#  - mutual TLS (RequireAndVerifyClientCert): no client certificate and a
#    certificate from another CA are refused, the right one is served;
#    VerifyClientCertIfGiven serves a client without a certificate and
#    refuses one with a foreign certificate;
#  - SIGHUP re-reads the web config: a new password and a renewed
#    certificate take effect, a bad file is reported and the running one
#    kept;
#  - a real Prometheus scrapes it through mutual TLS and basic auth (up 1,
#    dhcpd_up 1), and a job with a wrong password is down with a 401, then
#    429 once its address's ten failures are spent, while the right job
#    beside it (same address, credentials it proved) stays up;
#  - bad web configs: an unknown key is refused with file:line:column, a
#    private key others may read is refused with the chmod that fixes it,
#    and neither the password nor its hash is ever logged.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init web 19450
PROM_PORT=19451
PASSWORD="correct horse $$"
prom_pid=
cleanup() {
	[ -n "$prom_pid" ] && kill -9 "$prom_pid" 2>/dev/null
	stop_lab_and_exporter
}

pki=$lab/pki
URL=https://127.0.0.1:$PORT

# curl in the lab, trusting our CA; prints the HTTP status (000: none).
status() {
	in_lab curl -s -o "$lab/body" -w '%{http_code}' --max-time 3 \
		--cacert "$pki/ca.crt" "$@"
}
# Wait up to 5 s for `status ARGS...` to print $1.
until_status() {
	local want=$1
	shift
	for _ in $(seq 1 50); do
		[ "$(status "$@")" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}
SCRAPE_URL=$URL
SCRAPE_OPTS=(--cacert "$pki/ca.crt" -u "prometheus:$PASSWORD")
is() { [ "$1" = "$2" ] || { echo "  got $1, wanted $2" >&2; return 1; }; }

# A key and a certificate signed by CA $2 (or self-signed: $2 empty).
make_cert() {
	local name=$1 ca=$2 ext=$3
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$pki/$name.key" -subj "/CN=$name" -out "$pki/$name.csr" \
		2>/dev/null || return 1
	if [ -z "$ca" ]; then
		openssl x509 -req -in "$pki/$name.csr" -signkey "$pki/$name.key" \
			-days 2 -extfile <(printf '%s\n' "$ext") \
			-out "$pki/$name.crt" 2>/dev/null
	else
		openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" \
			-CAkey "$pki/$ca.key" -CAcreateserial -days 2 \
			-extfile <(printf '%s\n' "$ext") -out "$pki/$name.crt" 2>/dev/null
	fi
}
make_pki() {
	mkdir -p "$pki"
	make_cert ca "" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign" &&
	make_cert server ca "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth" &&
	make_cert client ca "extendedKeyUsage=clientAuth" &&
	make_cert rogueca "" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign" &&
	make_cert rogue rogueca "extendedKeyUsage=clientAuth" || return 1
	chown -R 65534:65534 "$pki"
	chmod 600 "$pki"/*.key
}
# The web config $1 with lines $2 (a YAML fragment), owned by the exporter.
write_web() {
	printf '%s\n' "$2" >"$lab/$1"
	chown 65534:65534 "$lab/$1"
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
nobody_exporter || { echo "cannot copy the exporter"; exit 1; }
[ -n "$LAB_KEYFILE" ] && chown 65534:65534 "$LAB_KEYFILE"
make_pki || { echo "openssl could not make the test certificates"; exit 1; }
HASH=$(PASSWORD=$PASSWORD $PY -W ignore -c 'import crypt, os
print(crypt.crypt(os.environ["PASSWORD"], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))')
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 2s >"$lab/exp.yml"
chmod 644 "$lab/exp.yml"

# --- TLS + basic auth -----------------------------------------------------
write_web web-auth.yml "tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
basic_auth_users:
  prometheus: $HASH"
check "--check-config accepts the web config (relative paths)" \
	as_nobody "$XBIN" --config.file="$lab/exp.yml" \
	--web.config.file="$lab/web-auth.yml" --check-config
start_exporter --config.file="$lab/exp.yml" --web.config.file="$lab/web-auth.yml" \
	--log.level=debug
check "served over TLS with the right password" wait_up 1 10
check "no credentials: 401" is "$(status "$URL/metrics")" 401
in_lab curl -s -D "$lab/head" -o /dev/null --cacert "$pki/ca.crt" "$URL/metrics"
check "the 401 carries a Basic challenge" \
	grep -qi '^WWW-Authenticate: Basic realm="dhcpd_exporter"' "$lab/head"
check "wrong password: 401" is "$(status -u "prometheus:$PASSWORD!" "$URL/metrics")" 401
check "unknown user: 401" is "$(status -u "grafana:$PASSWORD" "$URL/metrics")" 401
check "right password: 200" is "$(status -u "prometheus:$PASSWORD" "$URL/metrics")" 200
check "... with the metrics" grep -q '^dhcpd_pool_addresses{' "$lab/body"
for path in / /-/healthy /-/ready; do
	check "$path needs the password too (401)" is "$(status "$URL$path")" 401
	check "$path with it: 200" is "$(status -u "prometheus:$PASSWORD" "$URL$path")" 200
done
code=$(in_lab curl -s -o /dev/null -w '%{http_code}' --max-time 3 \
	-u "prometheus:$PASSWORD" "http://127.0.0.1:$PORT/metrics")
check "plain HTTP on the TLS port gets no HTTP answer (got $code)" is "$code" 000
check "TLS 1.2 is accepted by default" \
	is "$(status --tls-max 1.2 -u "prometheus:$PASSWORD" "$URL/-/healthy")" 200

# --- SIGHUP: a new password and a renewed certificate, and a bad file kept out
served_serial() {
	in_lab openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$pki/ca.crt" \
		</dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null
}
serial0=$(served_serial)
PASSWORD2="battery staple $$"
HASH2=$(PASSWORD=$PASSWORD2 $PY -W ignore -c 'import crypt, os
print(crypt.crypt(os.environ["PASSWORD"], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))')
make_cert server ca "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth" && chown 65534:65534 "$pki"/server.* &&
	chmod 600 "$pki/server.key"
write_web web-auth.yml "tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
basic_auth_users:
  prometheus: $HASH2"
kill -HUP "$exporter_pid"
check "SIGHUP: the new password is accepted" \
	until_status 200 -u "prometheus:$PASSWORD2" "$URL/-/healthy"
check "SIGHUP: the old one is refused (401)" \
	is "$(status -u "prometheus:$PASSWORD" "$URL/-/healthy")" 401
serial1=$(served_serial)
check "SIGHUP: the renewed certificate is served ($serial0 -> $serial1)" \
	eval '[ -n "$serial0" ] && [ -n "$serial1" ] && [ "$serial1" != "$serial0" ]'
write_web web-auth.yml "tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
  min_verison: TLS13"
kill -HUP "$exporter_pid"
sleep 1
check "SIGHUP with a bad web config: still served with the running one" \
	is "$(status -u "prometheus:$PASSWORD2" "$URL/-/healthy")" 200
check "... and the log says so, with file:line:column" \
	grep -q "web-auth.yml:4:3: unknown key 'min_verison'" "$lab/exporter.err"
check "... keeping the running web config" \
	grep -q 'keeping the running web config' "$lab/exporter.err"
write_web web-auth.yml "tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
basic_auth_users:
  prometheus: $HASH2"
stop_exporter

# --- TLS 1.3 only, and mutual TLS -------------------------------------------
write_web web-mtls.yml "tls_server_config:
  cert_file: $pki/server.crt
  key_file: $pki/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $pki/ca.crt
  min_version: TLS13"
start_exporter --config.file="$lab/exp.yml" --web.config.file="$lab/web-mtls.yml" \
	--log.level=debug
mtls() { status --cert "$pki/client.crt" --key "$pki/client.key" "$@"; }
until_status 200 --cert "$pki/client.crt" --key "$pki/client.key" "$URL/-/healthy"
check "the CA's client certificate: 200" is "$(mtls "$URL/metrics")" 200
check "... with the metrics" grep -q '^dhcpd_up{' "$lab/body"
check "TLS 1.2 refused when min_version is TLS13" \
	is "$(mtls --tls-max 1.2 "$URL/metrics")" 000
code=$(status "$URL/metrics")
check "no client certificate: refused (got $code)" is "$code" 000
code=$(status --cert "$pki/rogue.crt" --key "$pki/rogue.key" "$URL/metrics")
check "a certificate from another CA: refused (got $code)" is "$code" 000
stop_exporter

# --- VerifyClientCertIfGiven: no certificate is fine, a bad one is not ----------
write_web web-ifgiven.yml "tls_server_config:
  cert_file: $pki/server.crt
  key_file: $pki/server.key
  client_auth_type: VerifyClientCertIfGiven
  client_ca_file: $pki/ca.crt"
start_exporter --config.file="$lab/exp.yml" --web.config.file="$lab/web-ifgiven.yml" \
	--log.level=debug
until_status 200 "$URL/-/healthy"
check "VerifyClientCertIfGiven: no certificate: 200" is "$(status "$URL/metrics")" 200
check "VerifyClientCertIfGiven: the CA's certificate: 200" is "$(mtls "$URL/metrics")" 200
code=$(status --cert "$pki/rogue.crt" --key "$pki/rogue.key" "$URL/metrics")
check "VerifyClientCertIfGiven: another CA's certificate: refused (got $code)" \
	eval '[ "$code" = 403 ] || [ "$code" = 000 ]'
stop_exporter

# --- a real Prometheus scrapes through mutual TLS and basic auth -------------
write_web web-all.yml "tls_server_config:
  cert_file: $pki/server.crt
  key_file: $pki/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $pki/ca.crt
basic_auth_users:
  prometheus: $HASH"
printf '%s' "$PASSWORD" >"$lab/prom-password"
printf 'wrong' >"$lab/prom-wrong"
# Two jobs: the right password, and a wrong one (must be down, 401).
{
	echo "global: { scrape_interval: 1s, scrape_timeout: 1s }"
	echo "scrape_configs:"
	for job in right:prom-password wrong:prom-wrong; do
		echo "  - job_name: ${job%%:*}"
		echo "    scheme: https"
		echo "    tls_config: { ca_file: $pki/ca.crt, cert_file: $pki/client.crt, key_file: $pki/client.key }"
		echo "    basic_auth: { username: prometheus, password_file: $lab/${job#*:} }"
		echo "    static_configs: [ { targets: [\"127.0.0.1:$PORT\"] } ]"
	done
} >"$lab/prometheus.yml"
start_exporter --config.file="$lab/exp.yml" --web.config.file="$lab/web-all.yml" \
	--log.level=debug
in_lab prometheus --config.file="$lab/prometheus.yml" \
	--storage.tsdb.path="$lab/tsdb" --web.listen-address="127.0.0.1:$PROM_PORT" \
	>"$lab/prometheus.log" 2>&1 &
prom_pid=$!
# The value of PromQL $1 at Prometheus ("" when no sample).
promql() {
	in_lab curl -s --max-time 2 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
		--data-urlencode "query=$1" | $PY -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}
prom_sees() {	# $1 query, $2 value, within 15 s
	for _ in $(seq 1 75); do
		[ "$(promql "$1")" = "$2" ] && return 0
		sleep 0.2
	done
	echo "  $1 = '$(promql "$1")', wanted $2" >&2
	return 1
}
check "Prometheus scrapes it with its client certificate and password (up 1)" \
	prom_sees 'up{job="right"}' 1
check "... and gets the metrics (dhcpd_up 1)" prom_sees 'dhcpd_up{job="right"}' 1
check "Prometheus with a wrong password: up 0" prom_sees 'up{job="wrong"}' 0
# (Prometheus keeps the last scrape's error: on a loaded machine that may
# be a timeout for a while, so up to 15 s for the 401.)
says_refused() {
	for _ in $(seq 1 75); do
		in_lab curl -s "http://127.0.0.1:$PROM_PORT/api/v1/targets" >"$lab/targets.json"
		grep -q -e '401 Unauthorized' -e '429 Too Many Requests' \
			"$lab/targets.json" && return 0
		sleep 0.2
	done
	return 1
}
check "... and says 401 (or 429, once its failures are spent)" says_refused
# The wrong job spends 127.0.0.1's ten failures in ten scrapes, then gets
# 429; the right job beside it, on the address it proved, stays up.
says_429() {
	for _ in $(seq 1 100); do
		in_lab curl -s "http://127.0.0.1:$PROM_PORT/api/v1/targets" >"$lab/targets.json"
		grep -q '429 Too Many Requests' "$lab/targets.json" && return 0
		sleep 0.2
	done
	return 1
}
check "the wrong job's failures spent: it gets 429" says_429
sleep 2
check "... while the right job beside it stays up" prom_sees 'up{job="right"}' 1
check "... and scrapes every second (scrape_samples_scraped > 0)" \
	prom_sees 'scrape_samples_scraped{job="right"} > bool 0' 1
kill "$prom_pid" 2>/dev/null
wait "$prom_pid" 2>/dev/null
prom_pid=
stop_exporter

# --- web configs that must not start -----------------------------------------
refused() {	# $1 file: exit 2 and the message holds $2
	local out rc
	out=$(as_nobody "$XBIN" --config.file="$lab/exp.yml" \
		--web.config.file="$lab/$1" --check-config 2>&1)
	rc=$?
	echo "$out" >>"$lab/exporter.err"
	[ "$rc" -eq 2 ] && echo "$out" | grep -q -F -- "$2" ||
		{ echo "  rc $rc: $out" >&2; return 1; }
}
write_web web-typo.yml "tls_server_config:
  cert_file: $pki/server.crt
  key_file: $pki/server.key
  min_verison: TLS13"
check "an unknown key is refused with file:line:column" \
	refused web-typo.yml "$lab/web-typo.yml:4:3: unknown key 'min_verison'"
write_web web-sans.yml "tls_server_config:
  cert_file: $pki/server.crt
  key_file: $pki/server.key
  client_allowed_sans: [prometheus]"
check "a key of the format we lack is refused by name" \
	refused web-sans.yml "'client_allowed_sans' in tls_server_config is not supported"
write_web web-plain.yml "basic_auth_users:
  prometheus: '$PASSWORD'"
check "a plain-text password is refused" refused web-plain.yml "must be a bcrypt hash"
chmod 644 "$pki/server.key"
check "a private key others may read is refused, with the fix" \
	refused web-auth.yml "chmod o-rwx $lab/pki/server.key"
chmod 600 "$pki/server.key"
# The exporter must not start on a bad web config either.
out=$(as_nobody "$XBIN" --config.file="$lab/exp.yml" \
	--web.config.file="$lab/web-typo.yml" 2>&1)
check "the exporter does not start on a bad web config (exit 2)" is $? 2
echo "$out" >>"$lab/exporter.err"

check "neither the password nor its hash is in stderr or stdout ($(wc -l <"$lab/exporter.err") lines at debug)" \
	absent -e "$PASSWORD" -e "$HASH" -e "$PASSWORD2" -e "$HASH2" \
	"$lab/exporter.err" "$lab/exporter.out"
finish test_web
