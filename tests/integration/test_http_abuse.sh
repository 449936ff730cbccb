#!/bin/bash
# The exporter's HTTP server against abusive clients (http_abuse.py), all
# inside the lab's namespace on 127.0.0.1, with the built-in limits (128
# connections, 64 per client address, 10 s of inactivity, 32 KiB per
# request head; none is configurable):
#  - 300 idle connections from one address: 64 are taken, the rest turned
#    away at once, and a real scrape (curl from another address) still gets
#    200 with dhcpd_up 1 within 2 s;
#  - 80 connections sending a request head one byte a second (slow loris),
#    10 sending half a head then nothing, 10 sending nothing, from four
#    other addresses: a real scrape still gets 200 within 2 s, and the
#    server closes every one of them by the timeout (10 s + slack), the
#    trickling ones included;
#  - oversized heads (100 KB header, 40 KB URL, a huge Content-Length)
#    and malformed requests (garbage, no version, a bad header line, an
#    HTTP/1.1 request without Host) get a 4xx or are closed without any
#    2xx; POST /metrics gets 405 with Allow: GET, HEAD, an unknown path 404;
#  - GET /metrics%00anything and other paths that only start with a
#    known one get 404;
#  - afterwards a scrape still gets 200, the exporter's open fds are back
#    to where they were and its RSS grew by less than 2 MiB (not checked
#    under ASan);
#  - basic auth with a cost-12 bcrypt hash (a second exporter, plain
#    HTTP): 120 kept-alive connections from two addresses send wrong
#    passwords as fast as they are answered, while scrapes with the right
#    (cached) password from a third address are timed: each answers
#    within 100 ms (p99), the flooding addresses get 429 once their
#    failures are spent (even for the right password, which they never
#    used), the bcrypts they cost stay bounded, and another address with
#    a wrong password still gets 401.
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init abuse 19440
AUTH_PORT=19441
AUTH_PASSWORD="flood test $$"
TIMEOUT=10		# HTTP_DEFAULT_TIMEOUT
auth_pid=
helper_pids=
cleanup() {
	local p
	for p in $helper_pids $auth_pid; do kill -9 "$p" 2>/dev/null; done
	stop_lab_and_exporter
}

SCRAPE_TIMEOUT=1
abuse() { in_lab $PY tests/integration/http_abuse.py --port "$PORT" "$@"; }
# The exporter's established HTTP connections: its fds above less the
# OMAPI connections, which a sweep opens and closes as it goes.
http_fds() {
	in_lab ss -Htnp state established "sport = :$PORT" |
		grep -c "pid=$exporter_pid,"
}
# The value of key $1 in the key=value line $2.
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# A real scrape of /metrics from 127.0.0.1 (2 s at most): sets
# scrape_code and scrape_secs; true when it is 200 with dhcpd_up 1.
timed_scrape() {
	local out
	out=$(in_lab curl -s --max-time 2 -o "$lab/scrape.txt" \
		-w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT/metrics")
	scrape_code=${out% *}
	scrape_secs=${out#* }
	[ "$scrape_code" = 200 ] &&
		grep -q '^dhcpd_up{server="lab"} 1$' "$lab/scrape.txt"
}

# Start a helper in the background, output in $lab/$1.out.
start_helper() {
	local name=$1
	shift
	# not through in_lab: $! must be the helper (ip netns exec execs it)
	ip netns exec "$LAB_NETNS" $PY tests/integration/http_abuse.py \
		--port "$PORT" "$@" >"$lab/$name.out" 2>"$lab/$name.err" &
	helper_pids="$helper_pids $!"
	disown
}
# Wait (up to $2 s, default 5) for helper $1's first line; print it.
first_line() {
	local _
	for _ in $(seq 1 $((${2:-5} * 10))); do
		[ -s "$lab/$1.out" ] && { head -1 "$lab/$1.out"; return 0; }
		sleep 0.1
	done
	return 1
}
# Wait (up to $2 s) for helper $1's final line (its second); print it.
last_line() {
	local _
	for _ in $(seq 1 $(($2 * 10))); do
		[ "$(wc -l <"$lab/$1.out")" -ge 2 ] && { sed -n 2p "$lab/$1.out"; return 0; }
		sleep 0.1
	done
	echo "  $1: no final line after $2 s" >&2
	cat "$lab/$1.err" >&2
	return 1
}

# Whether the connections of helper result $1 were all closed by the
# server between TIMEOUT - 2 s and TIMEOUT + 3 s after they were made.
closed_by_timeout() {
	local r=$1 acc closed first last
	acc=$(field accepted "$r")
	closed=$(field closed_by_server "$r")
	first=$(field first_close "$r")
	last=$(field last_close "$r")
	[ "${acc:-0}" -gt 0 ] && [ "$closed" = "$acc" ] &&
		awk -v f="$first" -v l="$last" -v t="$TIMEOUT" \
			'BEGIN { exit !(f >= t - 2 && l <= t + 3) }'
}

# One raw request: $1 what it is, $2 the statuses allowed (case
# patterns, separated by spaces; "closed" stands for no answer and the
# connection closed), $3 the bytes (a Python bytes expression).
raw_expect() {
	local what=$1 bytes=$3 r st how pat pats
	read -ra pats <<<"$2"
	r=$(abuse raw "$bytes")
	st=$(field status "$r")
	how=$(field how "$r")
	case $st/$how in 000/closed | 000/reset) st=closed ;; esac
	raw_last=$r
	for pat in "${pats[@]}"; do
		# shellcheck disable=SC2254
		case $st in $pat) ok "$what: $st ($r)"; return ;; esac
	done
	fail "$what: got $st, wanted $2 ($r)"
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
	--poll-interval 1s --sweep-interval 1s >"$lab/exp.yml"
start_exporter --config.file="$lab/exp.yml"

# --- 1. baseline ---------------------------------------------------------
check "dhcpd_up 1 before any abuse" wait_up 1 10
sleep 1		# the first sweep, and curl's connection closed
fd_start=$(fds)
rss_start=$(rss_kb)
echo "  baseline: $fd_start open fds, RSS $rss_start kB"

# --- 2. 300 idle connections from one address -------------------------------
start_helper idle --src 127.0.0.2 idle 300 2
r=$(first_line idle) || r=
accepted=$(field accepted "$r")
refused=$(field refused "$r")
fd_held=$(http_fds)
cond=false
[ "${accepted:-0}" -ge 1 ] && [ "${accepted:-99}" -le 64 ] &&
	[ "$((accepted + refused))" -eq 300 ] && cond=true
check "idle: the per-address limit takes at most 64 of 300 ($r)" $cond
check "idle: the server holds no more than those ($fd_held HTTP connections)" \
	eval '[ "$fd_held" -le "${accepted:-0}" ] && [ "$fd_held" -ge 1 ]'
timed_scrape
check "idle: a real scrape meanwhile gets 200 and dhcpd_up 1 ($scrape_code in $scrape_secs s)" \
	[ $? -eq 0 ]
last_line idle 5 >/dev/null

# --- 3. slow loris, half heads, silence; garbage that never ends a line -----
start_helper loris --src 127.0.0.3,127.0.0.4 slowloris 80 $((TIMEOUT + 3)) 1
start_helper stall --src 127.0.0.5 stall 10 $((TIMEOUT + 3))
start_helper quiet --src 127.0.0.6 idle 10 $((TIMEOUT + 3))
start_helper nul --src 127.0.0.7 --wait $((TIMEOUT + 3)) raw \
	"b'\\x00\\xff GARBAGE\\r\\n\\r\\n'"
for h in loris stall quiet; do
	r=$(first_line $h) || r=
	check "$h: every connection taken ($r)" [ "$(field refused "$r")" = 0 ]
done
timed_scrape
check "slow loris: a real scrape meanwhile gets 200 and dhcpd_up 1 ($scrape_code in $scrape_secs s)" \
	[ $? -eq 0 ]
# 4. Oversized and malformed requests, one at a time, meanwhile.
raw_expect "100 KB header" '4[0-9][0-9] closed' \
	"b'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nX-Pad: ' + b'a' * 100000 + b'\\r\\n\\r\\n'"
raw_expect "40 KB URL" '4[0-9][0-9] closed' \
	"b'GET /metrics?' + b'a' * 40000 + b' HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "10 KB unknown path" 404 \
	"b'GET /' + b'a' * 10000 + b' HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "5000 header lines" '4[0-9][0-9] closed' \
	"b'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n' + b'X: y\\r\\n' * 5000 + b'\\r\\n'"
raw_expect "a Content-Length of 10^20" '4[0-9][0-9] closed' \
	"b'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n'"
raw_expect "garbage request line" '400 closed' "b'\\xff GARBAGE\\r\\n\\r\\n'"
raw_expect "request line of one word" '400 closed' "b'GARBAGE\\r\\n\\r\\n'"
raw_expect "request line without a version" 400 "b'GET /metrics\\r\\n\\r\\n'"
raw_expect "header line without a colon" 400 \
	"b'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\nBad Header\\r\\n\\r\\n'"
raw_expect "HTTP/1.1 without Host" 400 "b'GET /metrics HTTP/1.1\\r\\n\\r\\n'"
raw_expect "POST /metrics" 405 \
	"b'POST /metrics HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n\\r\\n'"
check "POST /metrics: Allow: GET, HEAD" [ "$(field allow "$raw_last")" = "GET,HEAD" ]
raw_expect "GET of an unknown path" 404 "b'GET /nope HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
# The decoded path must be a known one, whole: an embedded NUL (which
# would slip past a proxy's path rules) or any tail is another path.
raw_expect "GET /metrics%00anything" 404 \
	"b'GET /metrics%00anything HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "GET /metrics%00" 404 "b'GET /metrics%00 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "GET /%00" 404 "b'GET /%00 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "GET /-/healthy%00x" 404 \
	"b'GET /-/healthy%00x HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "GET /metrics?x=1 (a query is not part of the path)" 200 \
	"b'GET /metrics?x=1 HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
raw_expect "HEAD /metrics (the control)" 200 \
	"b'HEAD /metrics HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'"
check "a scrape after the oversized and malformed requests" timed_scrape

for h in stall quiet loris; do
	r=$(last_line $h $((TIMEOUT + 8))) || r=
	check "$h: the server closed every one by the ${TIMEOUT} s timeout ($r)" \
		closed_by_timeout "$r"
done
r=$(first_line nul 5) || r=
case $(field status "$r")/$(field how "$r") in
000/closed | 4??/*) cond=true ;;
*) cond=false ;;
esac
check "NUL and garbage: no 2xx; a 4xx or closed by the timeout ($r)" $cond

# --- 6. afterwards -----------------------------------------------------------
check "dhcpd_up 1 after it all" wait_up 1 5
for _ in $(seq 1 30); do
	[ "$(fds)" -le $((fd_start + 2)) ] && break
	sleep 0.1
done
fd_end=$(fds)
rss_end=$(rss_kb)
echo "  after: $fd_end open fds (baseline $fd_start), RSS $rss_end kB (baseline $rss_start kB)"
check "every abusive connection gone: fds $fd_start -> $fd_end" \
	grew_less "$fd_start" "$fd_end" 3
sanitized ||
	check "RSS grew by less than 2 MiB ($((rss_end - rss_start)) kB)" \
		grew_less "$rss_start" "$rss_end" 2048
check "exporter alive" kill -0 "$exporter_pid"
check "every wait_up scrape answered" [ "$scrape_failures" -eq 0 ]

# --- 7. a wrong-password flood against basic auth at bcrypt cost 12 ---------
AUTH_HASH=$(PASSWORD=$AUTH_PASSWORD $PY -W ignore -c 'import crypt, os
print(crypt.crypt(os.environ["PASSWORD"], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=4096)))')
printf 'basic_auth_users:\n  prometheus: %s\n' "$AUTH_HASH" >"$lab/web.yml"
$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$AUTH_PORT" \
	--poll-interval 1s >"$lab/auth.yml"
ip netns exec "$LAB_NETNS" "$BIN/dhcpd_exporter" --config.file="$lab/auth.yml" \
	--web.config.file="$lab/web.yml" >/dev/null 2>"$lab/auth.err" &
auth_pid=$!
disown
auth_scrape() {
	in_lab curl -sf --max-time 5 -u "prometheus:$AUTH_PASSWORD" \
		"http://127.0.0.1:$AUTH_PORT/metrics" | grep -q '^dhcpd_up{server="lab"} 1$'
}
# The first scrape pays the bcrypt; later ones hit the cache.
for _ in $(seq 1 50); do auth_scrape && break; sleep 0.2; done
check "basic auth at cost 12: the right password gets the metrics" auth_scrape
timed() { in_lab $PY tests/integration/http_abuse.py --port "$AUTH_PORT" \
	--src 127.0.0.1 --wait 2 timed "$1" "prometheus:$AUTH_PASSWORD"; }
quiet=$(timed 20)
echo "  scrapes with the cached password, no flood: $quiet (ms)"
FLOOD_S=20
start_helper flood --port "$AUTH_PORT" --src 127.0.0.2,127.0.0.3 \
	authflood 120 $FLOOD_S prometheus
r=$(first_line flood 10) || r=
check "flood: 120 connections from two addresses ($r)" \
	[ "$(field connected "$r")" = 120 ]
sleep 2		# the flood's first failures spent
under=$(timed 50)
echo "  the same under the flood: $under (ms)"
check "flood: every scrape with the right password answered 200 ($under)" \
	[ "$(field ok "$under")" = 50 ]
check "flood: a scrape with the cached password takes < 100 ms, p99 ($under)" \
	awk -v p="$(field p99 "$under")" 'BEGIN { exit !(p != "" && p < 100) }'
# A password that is not cached waits for the bcrypts under way: at most
# two per flooding address (AUTHLIMIT_CHECKS), then its own (seconds on a loaded machine:
# the flood and the checker share its cores; not a timing check).
r=$(in_lab curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 15 \
	--interface 127.0.0.9 -u "prometheus:wrong" "http://127.0.0.1:$AUTH_PORT/metrics")
check "flood: a wrong password from another address still gets 401 (${r% *}, in ${r#* } s)" \
	[ "${r% *}" = 401 ]
r=$(last_line flood $((FLOOD_S + 10))) || r=
echo "  flood: $r"
# Two addresses, each 10 failures at once and one more every 6 s.
check "flood: the flooding addresses get 429 once their failures are spent ($r)" \
	[ "$(field s429 "$r")" -gt 0 ]
check "flood: at most $((2 * (10 + FLOOD_S / 6 + 2))) wrong passwords checked ($r)" \
	[ "$(field s401 "$r")" -le $((2 * (10 + FLOOD_S / 6 + 2))) ]
# A flooding address, once out of failures (the flood may not have spent
# them all: it has two checks at a time), is refused even with the right
# password: it never used it, so the cache must not answer its guesses.
sleep 2		# the flood's last checks over: a 429 now means out of failures
for _ in $(seq 1 15); do
	r=$(in_lab curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
		--interface 127.0.0.2 -u "prometheus:wrong" "http://127.0.0.1:$AUTH_PORT/metrics")
	[ "$r" = 429 ] && break
done
check "a flooding address runs out of failures: 429 ($r)" [ "$r" = 429 ]
# The right password right behind a wrong one, on one connection of one
# curl: a failure the limiter gives back (one every 6 s) in between goes
# to the wrong one (401), so a loaded machine's pause between two curls
# cannot turn the verdict into a bcrypt that rightly passes.
URL=http://127.0.0.1:$AUTH_PORT/metrics
r=$(in_lab curl -s --interface 127.0.0.2 --max-time 5 -o /dev/null \
	-w '%{http_code} ' -u "prometheus:wrong" "$URL" --next \
	-s --interface 127.0.0.2 --max-time 5 -o /dev/null \
	-w '%{http_code}' -u "prometheus:$AUTH_PASSWORD" "$URL")
check "a flooding address gets 429 even for the right password (wrong, then right: $r)" \
	eval 'case $r in "429 429" | "401 429") true ;; *) false ;; esac'
check "... while the address that used it is still served" auth_scrape
check "the exporter with basic auth is alive" kill -0 "$auth_pid"

if [ "$failed" -ne 0 ]; then
	echo "--- exporter log"
	tail -20 "$lab/exporter.err"
	echo "--- exporter (basic auth) log"
	tail -20 "$lab/auth.err"
fi
finish test_http_abuse
