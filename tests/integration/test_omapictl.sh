#!/bin/bash
# test_omapictl.sh: omapictl against a real dhcpd in the test lab.
#
#   BUILD=build tests/integration/test_omapictl.sh      (root: namespaces)
#
# BUILD is the build directory holding omapictl (default build); with
# VALGRIND=1 every omapictl run goes through valgrind and a leak or an
# error fails that check.  Prints "ok"/"FAIL" per check and a final
# "N passed, N failed" (lib.sh); exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"
suite_init omapictl 19589	# (no listener: omapictl against the lab)
ROOT=$PWD
OCTL=$BIN/omapictl
LAB=$ROOT/tests/lab/lab.sh
WRAP=()
[ "${VALGRIND:-0}" = 1 ] &&
	WRAP=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --error-exitcode=9)
TMP=$lab
LABDIR=$TMP/lab
FODIR=$TMP/failover
HANGPID=

# Stop everything this test started, on every exit path.
cleanup() {
	[ -n "$HANGPID" ] && kill "$HANGPID" 2>/dev/null
	"$LAB" stop "$LABDIR" >/dev/null 2>&1
	"$LAB" stop "$FODIR" >/dev/null 2>&1
	rm -rf "$TMP"
}

# A failed check, with the last run's output.
fail_run() {
	fail "$@"
	sed 's/^/     stdout: /' "$TMP/out" | head -5
	sed 's/^/     stderr: /' "$TMP/err" | head -5
}

# Run omapictl inside a lab's namespace; RC, $TMP/out and $TMP/err.
run_in() {
	local dir=$1
	shift
	"$LAB" exec "$dir" "${WRAP[@]}" "$OCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

run() {
	run_in "$LABDIR" "$@"
}

# Run with the lab's key file.
runk() {
	run -K "$LAB_KEYFILE" "$@"
}

# check_run DESC WANT_RC [GREP_STDERR]: the last run's status (and message).
check_run() {
	local desc=$1 want=$2 pat=${3:-}
	if [ "$RC" != "$want" ]; then
		fail_run "$desc: exit $RC, want $want"
	elif [ -n "$pat" ] && ! grep -qi -- "$pat" "$TMP/err"; then
		fail_run "$desc: stderr lacks '$pat'"
	elif [ "$want" != 0 ] && [ "$(wc -l <"$TMP/err")" != 1 ]; then
		fail_run "$desc: want exactly one line on stderr"
	else
		ok "$desc"
	fi
}

# jcheck DESC PYTHON-EXPR: the last run's stdout, one JSON object per
# line, as d (the first) and ds (all); EXPR must be true.
jcheck() {
	local desc=$1 expr=$2
	if [ "$RC" != 0 ]; then
		fail_run "$desc: exit $RC"
	elif $PY -c '
import json, sys
truth = json.load(open(sys.argv[2]))
ds = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
d = ds[0] if ds else {}
sys.exit(0 if eval(sys.argv[3]) else 1)' "$TMP/out" "$LAB_TRUTH" "$expr"; then
		ok "$desc"
	else
		fail_run "$desc: $expr"
	fi
}

# truth PYTHON-EXPR: print a value from the lab's truth file.
truth() {
	$PY -c 'import json, sys; truth = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$LAB_TRUTH" "$1"
}

# Fail when the secret shows in the last run's output.
# (absent: both files there, not both empty)
check_no_secret() {
	if absent -e "$LAB_KEY_SECRET" "$TMP/out" "$TMP/err"; then
		ok "$1: no secret in the output"
	else
		fail_run "$1: the secret appears in the output"
	fi
}

start_lab() {
	[ -x "$OCTL" ] || { echo "no $OCTL (build it first)" >&2; exit 2; }
	mkdir -p "$LABDIR"
	"$LAB" start "$LABDIR" >"$TMP/lab.log" 2>&1 ||
		{ cat "$TMP/lab.log" >&2; echo "lab did not start" >&2; exit 2; }
	# shellcheck disable=SC1091
	. "$LABDIR/env"
}

test_lease_lookups() {
	local ip mac cid
	ip=$(truth '[a for a, r in truth["leases"].items() if r["state"] == "active" and "client-hostname" in r][0]')
	run --json -K "$LAB_KEYFILE" lease ip "$ip"
	jcheck "lease ip $ip: JSON agrees with the truth file" \
		"d['ip-address'] == '$ip' and all(d[k] == truth['leases']['$ip'][k] for k in ('state', 'hardware-address', 'client-hostname', 'ends', 'starts', 'cltt')) and isinstance(d['pool'], int) and d['hardware-type'] == 1 and '_handle' not in d"
	runk lease ip "$ip"
	if [ $RC = 0 ] && grep -qx "state = active" "$TMP/out" && grep -qx "ip-address = $ip" "$TMP/out"; then
		ok "lease ip $ip: text output"
	else
		fail_run "lease ip $ip: text output"
	fi
	mac=$(truth "truth['leases']['$ip']['hardware-address']")
	run --json -K "$LAB_KEYFILE" lease mac "${mac^^}"
	jcheck "lease mac (upper case in): finds $ip" "d['ip-address'] == '$ip' and d['hardware-address'] == '$mac'"
	ip=$(truth '[a for a, r in truth["leases"].items() if r["state"] == "active" and "dhcp-client-identifier" in r][0]')
	cid=$(truth "truth['leases']['$ip']['dhcp-client-identifier']")
	run --json -K "$LAB_KEYFILE" lease client-id "${cid//:/}"
	jcheck "lease client-id $cid: finds $ip" "d['ip-address'] == '$ip' and d['dhcp-client-identifier'] == '$cid'"
	runk lease ip 10.99.0.7
	check_run "lease ip outside every range: not found" 1 "lease 10.99.0.7: not found"
	runk lease mac 02:00:de:ad:be:ef
	check_run "lease mac unknown: not found" 1 "not found"
}

test_host_lookups() {
	local name mac ip
	name=$(truth '[h["name"] for h in truth["hosts"] if h["dhcp-client-identifier"]][0]')
	mac=$(truth "[h['hardware-address'] for h in truth['hosts'] if h['name'] == '$name'][0]")
	ip=$(truth "[h['fixed-address'] for h in truth['hosts'] if h['name'] == '$name'][0]")
	run --json -K "$LAB_KEYFILE" host get name "$name"
	jcheck "host get name $name" "d['name'] == '$name' and d['hardware-address'] == '$mac' and d['ip-address'] == '$ip'"
	run --json -K "$LAB_KEYFILE" host get mac "$mac"
	jcheck "host get mac $mac" "d['name'] == '$name'"
	run --json -K "$LAB_KEYFILE" host get client-id \
		"$(truth "[h['dhcp-client-identifier'] for h in truth['hosts'] if h['name'] == '$name'][0]")"
	jcheck "host get client-id" "d['name'] == '$name'"
	runk host get name no-such-host
	check_run "host get name missing: not found" 1 "host name no-such-host: not found"
	# dhcpd finds a host by ip-address through the lease at that address
	ip=$(truth '[a for a, r in truth["leases"].items() if r["state"] == "active"][3]')
	mac=$(truth "truth['leases']['$ip']['hardware-address']")
	runk host add t-byip "$mac"
	check_run "host add t-byip (MAC of the lease of $ip)" 0
	run --json -K "$LAB_KEYFILE" host get ip "$ip"
	jcheck "host get ip $ip: the host with that lease's MAC" "d['name'] == 't-byip'"
	runk host delete mac "$mac"
	check_run "host delete mac $mac" 0
}

test_host_changes() {
	run --json -K "$LAB_KEYFILE" host add t-one 02:00:00:00:0a:01 10.99.0.201 \
		--statements 'option host-name "t-one";'
	jcheck "host add t-one with IP and statements" "d['name'] == 't-one' and d['ip-address'] == '10.99.0.201' and d['hardware-address'] == '02:00:00:00:0a:01'"
	run --json -K "$LAB_KEYFILE" host get name t-one
	jcheck "host get name t-one after add" "d['ip-address'] == '10.99.0.201'"
	runk host add t-one 02:00:00:00:0a:01
	check_run "host add t-one twice: refused" 4 "already exists"
	runk host delete name t-one
	check_run "host delete name t-one" 0
	runk host get name t-one
	check_run "host get name t-one after delete: not found" 1 "not found"
	runk host delete name t-one
	check_run "host delete name missing: not found" 1 "not found"
	runk host delete mac 02:00:00:00:0a:99
	check_run "host delete mac missing: not found" 1 "not found"
	run --json -K "$LAB_KEYFILE" group add g-test 'option domain-name "g.example";'
	jcheck "group add g-test" "d.get('name') == 'g-test'"
	runk group add g-test 'option domain-name "g.example";'
	check_run "group add g-test twice: refused" 4 "already exists"
	run --json -K "$LAB_KEYFILE" host add t-grp 02:00:00:00:0a:02 --group g-test
	jcheck "host add --group g-test" "d['name'] == 't-grp'"
	runk host delete name t-grp
	check_run "host delete name t-grp" 0
	runk host add t-nogrp 02:00:00:00:0a:03 --group no-such-group
	check_run "host add --group missing: refused" 4 "no-such-group"
}

# A name as a check's description shows it: printable, at most 20 long.
shown() {
	local s=${1//[![:print:]]/?}
	printf '%s\n' "${s:0:20}"
}

# Issue 17, item 11: dhcpd writes a host made over OMAPI to its leases
# file as "host NAME {", unquoted, so a name its lexer cannot read back is
# lost at the next restart ('q"host' and 'b\host' are not even written:
# "can't update object", yet the host lives on until then).  omapictl
# refuses those names before anything is sent; the names it takes must
# survive a restart of the real dhcpd, and the names it refuses, made
# behind its back with pypureomapi, must really be lost.
test_host_names() {
	local good=(t-n1 t_n2 t-n3.example. -t-n4 1.2.3.5 host "$(printf 'a%.0s' $(seq 1 1499))")
	local bad=('q"host' 'b\host' 'sp ace' 'semi;colon' 'a/b' _lead a..b .dot
		"$(printf 'tab\tx')" "$(printf 'nl\nomapictl: forged')" 'é' "$(printf 'a%.0s' $(seq 1 1500))")
	local i n
	for i in "${!bad[@]}"; do
		n=${bad[$i]}
		runk host add -- "$n" "$(printf '02:00:00:00:0e:%02x' "$i")"
		check_run "host add $(shown "$n"): refused before sending" 2 "leases file"
		grep -q "forged" "$TMP/err" && ! grep -q '^omapictl: host add "nl' "$TMP/err" &&
			fail_run "host add: a newline in the name reached stderr"
		runk host get name -- "$n"
		check_run "host $(shown "$n") was not made" 1 "not found"
	done
	for i in "${!good[@]}"; do
		runk host add -- "${good[$i]}" "$(printf '02:00:00:00:0f:%02x' "$i")"
		check_run "host add $(shown "${good[$i]}"): accepted" 0
	done
	# the refused names, sent anyway: dhcpd takes some and then loses them
	"$LAB" exec "$LABDIR" "$PY" - "$LAB_KEY_NAME" "$LAB_KEY_SECRET" "${bad[@]:0:6}" <<'EOF2' >"$TMP/py" 2>&1
import struct, sys, pypureomapi as p
o = p.Omapi("127.0.0.1", 7911, sys.argv[1].encode(), sys.argv[2].encode())
one = struct.pack("!I", 1)
for i, n in enumerate(sys.argv[3:]):
    m = p.OmapiMessage.open(b"host")
    m.message += [(b"create", one), (b"exclusive", one)]
    m.obj += [(b"name", n.encode()), (b"hardware-type", one),
              (b"hardware-address", p.pack_mac("02:00:00:00:1e:%02x" % i))]
    o.query_server(m)
EOF2
	for n in "${bad[@]:0:6}"; do
		runk host get name -- "$n"
		check_run "pypureomapi made host $(shown "$n") anyway" 0
	done
	"$LAB" restart "$LABDIR" >>"$TMP/lab.log" 2>&1 || { fail_run "lab restart"; return; }
	for n in "${good[@]}"; do
		runk host get name -- "$n"
		check_run "host $(shown "$n") survives a dhcpd restart" 0
		runk host delete name -- "$n"
	done
	for n in "${bad[@]:0:6}"; do
		runk host get name -- "$n"
		check_run "dhcpd itself lost host $(shown "$n") at restart" 1 "not found"
	done
	run -K "$LAB_KEYFILE" host get name ""
	check_run "host get name '': usage error" 2 "cannot be empty"
	[ -s "$TMP/out" ] && fail_run "host get name '': printed something"
	run -K "$LAB_KEYFILE" host delete name ""
	check_run "host delete name '': usage error" 2 "cannot be empty"
}

# The last record dhcpd wrote for host NAME in its leases file.
last_host_record() {
	awk -v h="host $1 {" '$0 == h { r = ""; on = 1 } on { r = r $0 "\n" } on && /^}/ { on = 0; last = r } END { printf "%s", last }' "$LABDIR/dhcpd.leases"
}

# Issue 15: set and delete for any object, the "change group" case first.
test_set_delete() {
	runk group add g-s1 'option domain-name "s1.example";'
	runk group add g-s2 'option domain-name "s2.example";'
	runk host add t-set 02:00:00:00:0a:31 --group g-s1
	check_run "host add t-set in g-s1" 0
	runk set host name=t-set -- group=g-s2
	if [ $RC = 0 ] && grep -qx "name = t-set" "$TMP/out" &&
		last_host_record t-set | grep -q 'group "g-s2";'; then
		ok "set host name=t-set -- group=g-s2: dhcpd moved it"
	else
		fail_run "set host -- group=g-s2: exit $RC"
		last_host_record t-set | sed 's/^/     /'
	fi
	runk set host name=t-set hardware-address=02:00:00:00:0a:31 -- 'statements:=option host-name "t-set";'
	if [ $RC = 0 ] && last_host_record t-set | grep -q 'host-name = "t-set"'; then
		ok "set host by two keys -- statements"
	else
		fail_run "set host -- statements: exit $RC"
	fi
	runk set host name=t-set -- 'name=bad"name'
	check_run "set host -- a name dhcpd cannot keep: refused" 2 "leases file"
	runk set host name=no-such-host -- group=g-s2
	check_run "set host missing: not found" 1 "not found"
	for a in "set host name=t-set" "set host -- group=g-s2" "set -- group=x" "delete host" \
		"set host name=t-set -- group" "delete host name"; do
		# shellcheck disable=SC2086
		runk $a
		check_run "usage error: omapictl $a" 2 "usage\|ATTR=VALUE"
	done
	runk --json delete host name=t-set
	jcheck "delete host name=t-set prints the host" "d['name'] == 't-set'"
	runk host get name t-set
	check_run "t-set is gone" 1 "not found"
	runk delete host name=t-set
	check_run "delete host missing: not found" 1 "not found"
	runk delete lease ip-address=10.99.1.9
	check_run "delete lease: dhcpd refuses" 4 "not implemented"
	runk delete group name=g-s1
	check_run "delete group g-s1" 0
	runk delete group name=g-s2
}

test_pool_class() {
	local ip
	ip=$(truth '[p["ranges"][0].split("-")[0] for p in truth["pools"] if p["name"] == "lan"][0]')
	run --json -K "$LAB_KEYFILE" pool "$ip"
	jcheck "pool $ip: counters match the truth file" "sorted(d) == ['backup-leases', 'free-leases', 'handle', 'lease-count'] and [(d['lease-count'], d['free-leases']) == (sum(p['size'] for p in truth['pools'] if p['server_pool'] == q['server_pool']), sum(p['free_leases'] for p in truth['pools'] if p['server_pool'] == q['server_pool'])) for q in truth['pools'] if q['name'] == 'lan'][0]"
	runk pool "$ip"
	if [ $RC = 0 ] && grep -q "^lease-count = " "$TMP/out"; then
		ok "pool $ip: text output"
	else
		fail_run "pool $ip: text output"
	fi
	runk pool 10.99.0.7
	check_run "pool of an address outside every range: not found" 1 "not found"
	run --json -K "$LAB_KEYFILE" class limited
	jcheck "class limited: lease-limit and leases-used" "[(d['lease-limit'], d['leases-used']) == (c['lease-limit'], c['billing_leases']) for c in truth['classes'] if c['name'] == 'limited'][0]"
	runk class no-such-class
	check_run "class missing: not found" 1 "not found"
	runk failover no-such-peer
	check_run "failover missing: not found" 1 "not found"
}

test_sweep() {
	local r
	r=$(truth '[p["ranges"][0] for p in truth["pools"] if p["name"] == "cidr"][0]')
	run --json -K "$LAB_KEYFILE" lease sweep "${r%-*}" "${r#*-}"
	jcheck "lease sweep $r: every state as in the truth file" "len(ds) == 62 and all(x['state'] == truth['addresses'][x['ip-address']] for x in ds)"
	run --json -K "$LAB_KEYFILE" lease sweep 10.99.0.1 10.99.0.2
	jcheck "lease sweep outside ranges: not found lines" "ds == [{'ip-address': '10.99.0.1', 'error': 'not found'}, {'ip-address': '10.99.0.2', 'error': 'not found'}]"
	# dhcpd 4.4.3 aborts when signed requests pile up in its 4 KiB
	# buffers; without the library's cap this crashed it within 600.
	r=$(truth '[p["ranges"][0] for p in truth["pools"] if p["name"] == "lan"][0]')
	run --json -K "$LAB_KEYFILE" --window 64 lease sweep "${r%-*}" "${r#*-}"
	jcheck "signed sweep of lan, 64 asked in flight: every address" "len(ds) == 2046 and all('state' in x for x in ds)"
	runk lease ip "${r%-*}"
	check_run "dhcpd still answers after the signed sweep" 0
}

test_key_sources() {
	# The one rule for secret files (key.c): others may not access them.
	printf '%s\n' "$LAB_KEY_SECRET" >"$TMP/secret"
	chmod 644 "$TMP/secret"
	run --secret-file "$TMP/secret" --key-name "$LAB_KEY_NAME" -a "$LAB_KEY_ALG" lease ip 10.99.1.1
	check_run "--secret-file that others may read: refused with the chmod" 2 \
		"chmod o-rwx $TMP/secret"
	chmod 640 "$TMP/secret"
	OMAPI_KEY=$LAB_KEY_NAME:$LAB_KEY_SECRET run lease ip 10.99.1.1
	check_run "key from OMAPI_KEY" 0
	run --secret-file "$TMP/secret" --key-name "$LAB_KEY_NAME" -a "$LAB_KEY_ALG" lease ip 10.99.1.1
	check_run "key from --secret-file" 0
	run -k "$LAB_KEY_NAME:$LAB_KEY_SECRET" -a "$LAB_KEY_ALG" lease ip 10.99.1.1
	check_run "key from -k" 0
	OMAPI_KEY_FILE=$LAB_KEYFILE run lease ip 10.99.1.1
	check_run "key from OMAPI_KEY_FILE" 0
	OMAPI_SERVER=127.0.0.1:7911 run --key-file "$LAB_KEYFILE" lease ip 10.99.1.1
	check_run "server from OMAPI_SERVER, long options" 0
}

test_auth_failures() {
	local wrong=AAAAAAAAAAAAAAAAAAAAAA==
	run -k "$LAB_KEY_NAME:$wrong" -a "$LAB_KEY_ALG" lease ip 10.99.1.1
	check_run "wrong secret: exit 3" 3 "authentication"
	if absent -e "$wrong" "$TMP/out" "$TMP/err"; then
		ok "wrong secret not in output"
	else
		fail_run "wrong secret shows in output"
	fi
	run -k "no_such_key:$LAB_KEY_SECRET" lease ip 10.99.1.1
	check_run "unknown key name: exit 3" 3 "authentication"
	check_no_secret "unknown key name"
	run -k "$LAB_KEY_NAME:$LAB_KEY_SECRET" -a hmac-sha256 lease ip 10.99.1.1
	check_run "wrong algorithm: exit 3" 3 "authentication"
	check_no_secret "wrong algorithm"
	run lease ip 10.99.1.1
	check_run "no key to a keyed server: exit 3" 3 "authentication"
}

test_usage() {
	local a
	run
	check_run "no command: exit 2" 2 "no command"
	run frobnicate
	check_run "unknown command: exit 2" 2 "unknown command"
	# issue 21: the echo escapes bytes >= 0x80 and control bytes
	run "$(printf 'fr\303\266b\033[2J')"
	check_run "unknown command with UTF-8 and ESC: escaped" 2 \
		'unknown command "fr\\xc3\\xb6b\\x1b\[2J"'
	check "... no byte >= 0x80 or ESC on stderr" \
		test "$(LC_ALL=C tr -dc '\200-\377\033' <"$TMP/err" | wc -c)" -eq 0
	# a 200-character attribute name is reported as too long, not as
	# too many attributes
	run get lease "$(printf 'a%.0s' $(seq 1 200))=1"
	check_run "a 200-character attribute name: named as too long" 2 \
		"attribute name of 200 bytes, longer than 127"
	for a in "lease ip 10.99.1" "lease mac 02:zz" "lease client-id 0" "lease ip" \
		"lease" "host get" "host get name" "host add x" "host delete ip 10.0.0.1" \
		"pool" "class" "failover" "group add g" "lease sweep 10.0.0.9 10.0.0.1" \
		"lease sweep 10.0.0.0 10.2.0.0" "get lease ip-address" \
		"--timeout 0 lease ip 10.0.0.1" "-s 1.2.3.4:99999 lease ip 10.0.0.1" \
		"-s [::1 lease ip 10.0.0.1" "--bogus lease ip 10.0.0.1" \
		"-K $LAB_KEYFILE -a hmac-md5 lease ip 10.0.0.1" \
		"-k $LAB_KEY_NAME lease ip 10.0.0.1" "-k x:1 -K $LAB_KEYFILE lease ip 10.0.0.1" \
		"--secret-file $LAB_KEYFILE lease ip 10.0.0.1" "-K /nonexistent lease ip 10.0.0.1" \
		"--group g lease ip 10.0.0.1" "--window 4 lease ip 10.0.0.1"; do
		# shellcheck disable=SC2086
		run $a
		if [ "$RC" = 2 ] && [ -s "$TMP/err" ] && [ ! -s "$TMP/out" ]; then
			ok "usage error: omapictl $a"
		else
			fail_run "usage error: omapictl $a: exit $RC, want 2"
		fi
	done
	run --help
	if [ $RC = 0 ] && grep -q "EXIT STATUS" "$TMP/out" && grep -q "ENVIRONMENT" "$TMP/out" &&
		grep -q "EXAMPLES" "$TMP/out"; then
		ok "--help"
	else
		fail_run "--help"
	fi
	run --version
	check_run "--version" 0
}

test_get() {
	run --json -K "$LAB_KEYFILE" get lease ip-address=10.99.1.1
	jcheck "get lease ip-address=10.99.1.1" "d['ip-address'] == '10.99.1.1'"
	run --json -K "$LAB_KEYFILE" get host name:=nas
	jcheck "get host name:=nas" "d['name'] == 'nas'"
}

# A server that accepts and never answers: the reply timeout.
test_timeout() {
	"$LAB" exec "$LABDIR" "$PY" -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7999)); s.listen(4)
c = s.accept(); time.sleep(60)' &
	HANGPID=$!
	sleep 0.5
	run -s 127.0.0.1:7999 --timeout 300 lease ip 10.99.1.1
	check_run "server that never answers: exit 3 with a timeout" 3 "within 300 ms"
	kill "$HANGPID" 2>/dev/null
	wait "$HANGPID" 2>/dev/null
	HANGPID=
}

# Issue 13: states by name, the role, times; never the pointer bytes dhcpd
# sends as local-address/partner-address; partner-down for real.  The lab's
# failover profile is one dhcpd whose peer never comes (startup, then
# recover), which is what partner-down is for.
test_failover() {
	local peer
	mkdir -p "$FODIR"
	if ! "$LAB" start "$FODIR" --profile failover >"$TMP/fo.log" 2>&1; then
		fail_run "the lab's failover profile did not start"
		return
	fi
	peer=$($PY -c 'import json, sys; print(json.load(open(sys.argv[1]))["failover"]["peer"])' "$FODIR/truth.json")
	run_in "$FODIR" --json -K "$FODIR/omapi.key" failover "$peer"
	if [ $RC = 0 ] && $PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = ("startup", "recover", "unknown-state")
sys.exit(0 if d["local-state"] in names and d["partner-state"] in names
	and d["role"] == "primary" and d["hierarchy"] == 0
	and isinstance(d["local-stos"], int) and d["local-stos"] > 0
	and "local-address" not in d and "partner-address" not in d else 1)' "$TMP/out"; then
		ok "failover $peer --json: states by name, role primary, no pointer bytes"
	else
		fail_run "failover $peer"
	fi
	run_in "$FODIR" -K "$FODIR/omapi.key" failover "$peer"
	if [ $RC = 0 ] && grep -qx "role = primary" "$TMP/out" &&
		grep -Eqx "local-stos = [0-9]+ \([0-9-]+ [0-9:]+ UTC\)" "$TMP/out" &&
		! grep -q "address" "$TMP/out"; then
		ok "failover $peer: text with role and dates, no pointer bytes"
	else
		fail_run "failover $peer: text output"
	fi
	run_in "$FODIR" -K "$FODIR/omapi.key" failover "$peer" partner-down
	if [ $RC = 0 ] && grep -qx "local-state = partner-down" "$TMP/out"; then
		ok "failover $peer partner-down: prints the new state"
	else
		fail_run "failover $peer partner-down: exit $RC"
	fi
	run_in "$FODIR" --json -K "$FODIR/omapi.key" failover "$peer"
	if [ $RC = 0 ] && grep -q '"local-state":"partner-down"' "$TMP/out" &&
		grep -q "I move from .* to partner-down" "$FODIR/dhcpd.log"; then
		ok "failover $peer: dhcpd is in partner-down afterwards"
	else
		fail_run "failover $peer: not in partner-down afterwards"
	fi
	run_in "$FODIR" -K "$FODIR/omapi.key" set failover-state name="$peer" -- local-state=99
	check_run "set failover-state -- local-state=99 (dhcpd would exit): refused" 2 "would exit"
	run_in "$FODIR" -K "$FODIR/omapi.key" --json set failover-state name="$peer" -- local-state=1
	if [ $RC = 0 ] && grep -q '"local-state":"startup"' "$TMP/out" && ! grep -q address "$TMP/out"; then
		ok "set failover-state -- local-state=1: startup"
	else
		fail_run "set failover-state -- local-state=1: exit $RC"
	fi
	run_in "$FODIR" -K "$FODIR/omapi.key" failover "$peer" partner-up
	check_run "failover $peer partner-up: usage error" 2 "usage"
	run_in "$FODIR" -K "$FODIR/omapi.key" failover no-such-peer partner-down
	check_run "failover no-such-peer partner-down: not found" 1 "not found"
	"$LAB" stop "$FODIR" >/dev/null 2>&1
}

test_server_gone() {
	"$LAB" kill "$LABDIR" TERM
	sleep 1
	runk lease ip 10.99.1.1
	check_run "server gone: exit 3" 3 "connect to 127.0.0.1 port 7911"
}

start_lab
test_lease_lookups
test_host_lookups
test_host_changes
test_pool_class
test_sweep
test_key_sources
test_auth_failures
test_usage
test_get
# after the checks against the truth file: leases expire as time passes,
# and test_host_names restarts dhcpd
test_host_names
test_set_delete
test_timeout
test_failover
test_server_gone
finish test_omapictl
