#!/bin/bash
# Issue 24: the Debian packages and the zero-configuration install.
#  - against the real dhcpd in the lab, the package's default configuration
#    (conf/dhcpd_exporter.minimal.yml, only its dhcpd.conf path changed)
#    gives working metrics when dhcpd.conf has omapi-port, omapi-key and
#    the key in an included file of mode 0600; the same file world-readable
#    is refused with a clear error (--check-config and at start), the
#    secret never shown; a dhcpd.conf without OMAPI: one log line saying
#    what to add, dhcpd_up 0;
#  - the packaged unit (from the .deb): systemd-analyze verify silent and
#    the exposure of systemd-analyze security --offline at most
#    MAX_EXPOSURE; its own ExecStart, run as its user (prometheus) with the
#    credentials its LoadCredential= lines make (copies named after their
#    paths), polls the lab with the key from a 0600 root file it cannot
#    open itself; without dhcpd.conf it exits 2 at once, which the unit
#    does not restart;
#  - then tests/integration/deb_fresh.sh in a brand-new Debian 12 root
#    (../shared/bin/fresh-debian, on this checkout's committed HEAD):
#    make deb, apt-get install, purge, upgrade, make install (see there).
#    DEB_FRESH=0 leaves that part out (it needs the network and minutes).
# Needs root (the lab, the fresh root). Ports: PORT, PORT+1.
set -u
. "$(dirname "$0")/lib.sh"
suite_init deb 19542
MAX_EXPOSURE=2.0
tmp=$lab
lab=$tmp/lab
noomapi_pid=
cleanup() {
	[ -n "$noomapi_pid" ] && kill -9 "$noomapi_pid" 2>/dev/null
	stop_lab_and_exporter
	rm -rf "$tmp"
}

# --- zero configuration against the lab's dhcpd -----------------------------
mkdir -p "$lab"
tests/lab/lab.sh start "$lab" --key hmac-sha256 >/dev/null ||
	{ echo "lab did not start"; exit 1; }
. "$lab/env"
# The lab's dhcpd.conf with its key block moved to an include of mode 0600,
# the main file world-readable, as on a Debian host.
mkdir -p "$lab/etc"
$PY - "$lab/dhcpd.conf" "$lab/etc/omapi-key.conf" <<'EOF'
import re, sys
conf = open(sys.argv[1]).read()
key = re.search(r"^key [^{]*\{[^}]*\};\n", conf, re.M).group(0)
open(sys.argv[2], "w").write(key)
open(sys.argv[1], "w").write(conf.replace(key, 'include "%s";\n' % sys.argv[2]))
EOF
chmod 600 "$lab/etc/omapi-key.conf"
chmod 644 "$lab/dhcpd.conf"
tests/lab/lab.sh restart "$lab" >/dev/null
check "dhcpd runs with omapi-port, omapi-key and the key in an included 0600 file" \
	tests/lab/lab.sh status "$lab"
check "(the key is no longer in dhcpd.conf itself)" \
	sh -c "! grep -q secret '$lab/dhcpd.conf'"
sed -e "s|^    dhcpd_conf: /etc/dhcp/dhcpd.conf$|    dhcpd_conf: $lab/dhcpd.conf|" \
	-e "s|^listen: .*|listen: \"127.0.0.1:$PORT\"|" conf/dhcpd_exporter.minimal.yml \
	>"$tmp/exporter.yml"
check "the default configuration differs only in the dhcpd.conf path and port" sh -c \
	"[ \$(diff conf/dhcpd_exporter.minimal.yml '$tmp/exporter.yml' | grep -c '^>') -eq 2 ]"
check "it passes --check-config" \
	"$BIN/dhcpd_exporter" --check-config --config.file="$tmp/exporter.yml"
start_exporter --config.file="$tmp/exporter.yml"
up_local() {
	local v i
	for i in $(seq 1 "$2"); do
		v=$(metric 'dhcpd_up{server="local"}')
		[ "$v" = "$1" ] && return 0
		sleep 0.2
	done
	echo "  dhcpd_up{server=\"local\"} = '$v', wanted $1; the exporter said:" >&2
	tail -3 "$lab/exporter.err" | sed 's/^/    /' >&2
	return 1
}
check "metrics with the default configuration: dhcpd_up 1 (signed with the key)" \
	up_local 1 75
pool_from_conf() {
	scrape | grep -q '^dhcpd_pool_addresses{.*pool="10.99.1.1-10.99.8.254".*} 2046$'
}
check "(the pools come from dhcpd.conf: dhcpd_pool_addresses of 10.99.1.1-10.99.8.254)" \
	pool_from_conf
check "(no OMAPI authentication errors)" sh -c "! grep -qi 'auth' '$lab/exporter.err'"
stop_exporter

chmod 644 "$lab/etc/omapi-key.conf"
"$BIN/dhcpd_exporter" --check-config --config.file="$tmp/exporter.yml" \
	>/dev/null 2>"$tmp/refused.txt"
check "the key in a world-readable file: --check-config refuses it (exit 2)" [ $? -eq 2 ]
check "(a clear error: the file, line, mode and the chmod that fixes it)" grep -qF \
	"$lab/etc/omapi-key.conf:1:1: key omapi_key: others may access this secret (mode 0644); fix with: chmod o-rwx $lab/etc/omapi-key.conf" \
	"$tmp/refused.txt"
check "(never the secret)" sh -c "! grep -qF -- '$LAB_KEY_SECRET' '$tmp/refused.txt'"
: >"$lab/exporter.err"
start_exporter --config.file="$tmp/exporter.yml"
wait "$exporter_pid"
check "the exporter does not start with it either (exit 2, same error)" sh -c \
	"[ $? -eq 2 ] && grep -q 'others may access this secret' '$lab/exporter.err'"
exporter_pid=
chmod 600 "$lab/etc/omapi-key.conf"

# --- the packaged unit ----------------------------------------------------------
make -s deb >"$tmp/deb.log" 2>&1
deb=$(ls build/deb/prometheus-dhcpd-exporter_*.deb 2>/dev/null | tail -1)
check "a prometheus-dhcpd-exporter package (make deb)" test -n "$deb"
pkg=$tmp/pkg
dpkg-deb -x "$deb" "$pkg"
unit=$pkg/lib/systemd/system/dhcpd_exporter.service
check "the packaged unit runs as the system user prometheus" \
	grep -q '^User=prometheus$' "$unit"
mkdir -p "$tmp/verify"
sed "s|/usr/bin/dhcpd_exporter|$pkg/usr/bin/dhcpd_exporter|" "$unit" \
	>"$tmp/verify/dhcpd_exporter.service"
verify_out=$(MANPATH=$pkg/usr/share/man systemd-analyze verify \
	"$tmp/verify/dhcpd_exporter.service" 2>&1 | grep -v "man .*failed with code 16")
check "systemd-analyze verify on the packaged unit is silent" [ -z "$verify_out" ]
[ -n "$verify_out" ] && echo "$verify_out" | sed 's/^/  /'
exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for dhcpd_exporter.service: \([0-9.]*\).*/\1/p')
echo "  packaged unit exposure score: ${exposure:-none} (at most $MAX_EXPOSURE)"
check "systemd-analyze security: exposure ${exposure:-?} <= $MAX_EXPOSURE" \
	awk -v e="${exposure:-99}" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e <= m) }'

# Without dhcpd the default configuration is an error: exit status 2,
# which the unit does not restart (no loop every RestartSec).
sed "s|$lab/dhcpd.conf|$tmp/no-such-dhcpd.conf|" "$tmp/exporter.yml" >"$tmp/nodhcpd.yml"
"$pkg/usr/bin/dhcpd_exporter" --config.file="$tmp/nodhcpd.yml" \
	--web.listen-address=127.0.0.1:$((PORT + 1)) >/dev/null 2>"$tmp/nodhcpd.err"
check "without dhcpd.conf the exporter exits 2 at once, saying why" sh -c \
	"[ $? -eq 2 ] && grep -q 'no-such-dhcpd.conf: No such file' '$tmp/nodhcpd.err'"
check "(and the unit does not restart on 2: RestartPreventExitStatus)" \
	grep -qx 'RestartPreventExitStatus=2 243' "$unit"

# Its ExecStart, as its user, with the credentials its LoadCredential= lines
# would make: every file of the folders, named after its path.  The
# configuration is the default one (the lab's paths); the key file stays
# root's, 0600: only the copy is readable to prometheus.
# A root that mktemp -d made (../shared/bin/fresh-debian's) is 0700, so no
# other user could load a library; a real system's / is 0755.
[ "$(( 0$(stat -c %a /) & 1 ))" -eq 1 ] || chmod o+x /
cred=$tmp/credentials
mkdir -p "$cred"
make_creds() {
	local line id dir f
	grep '^LoadCredential=' "$unit" | sed 's/^LoadCredential=//' |
	while IFS=: read -r id dir; do
		[ "$dir" = /etc/dhcp ] && dir=$lab/etc	# the lab's /etc/dhcp
		[ -d "$dir" ] || continue
		for f in "$dir"/*; do
			[ -f "$f" ] || continue
			install -m 0400 -o prometheus "$f" \
				"$cred/$(printf '%s' "${f#/}" | tr / _)"
		done
	done
}
make_creds
chown -R prometheus "$cred"; chmod 500 "$cred"
check "(credentials: the key's copy, named after its path)" \
	test -r "$cred/$(printf '%s' "${lab#/}/etc/omapi-key.conf" | tr / _)"
execstart=$(sed -n 's/^ExecStart=//p' "$unit" |
	sed -e "s|/usr/bin/dhcpd_exporter|$pkg/usr/bin/dhcpd_exporter|" \
	-e "s|/etc/dhcpd_exporter/dhcpd_exporter.yml|$tmp/exporter.yml|")
chmod 644 "$tmp/exporter.yml"
check "(as prometheus, the key file itself cannot be opened)" \
	sh -c "! setpriv --reuid=prometheus --regid=prometheus --clear-groups \
	cat '$lab/etc/omapi-key.conf' >/dev/null 2>&1"
: >"$lab/exporter.err"
# shellcheck disable=SC2086
ip netns exec "$LAB_NETNS" env -i CREDENTIALS_DIRECTORY="$cred" \
	setpriv --reuid=prometheus --regid=prometheus --clear-groups \
	$execstart >>"$lab/exporter.out" 2>>"$lab/exporter.err" &
exporter_pid=$!
check "the unit's ExecStart, as prometheus, polls the lab: dhcpd_up 1" up_local 1 75
check "(it runs as prometheus)" sh -c "[ \"\$(ps -o user= -p \$(pgrep -P $exporter_pid -x dhcpd_exporter || echo $exporter_pid))\" = prometheus ] ||
	[ \"\$(ps -o user= -p $exporter_pid)\" = prometheus ]"
stop_exporter

# A dhcpd without OMAPI (the lab's, stopped, replaced by one without
# omapi-port and omapi-key): one log line says what to add; dhcpd_up 0.
sed -e '/^omapi-port/d' -e '/^omapi-key/d' -e '/omapi-key.conf/d' "$lab/dhcpd.conf" \
	>"$tmp/noomapi.conf"
sed "s|$lab/dhcpd.conf|$tmp/noomapi.conf|" "$tmp/exporter.yml" >"$tmp/noomapi.yml"
tests/lab/lab.sh kill "$lab" TERM
for _ in $(seq 1 50); do lab_gone=$(cat "$lab/dhcpd.pid"); kill -0 "$lab_gone" 2>/dev/null || break; sleep 0.1; done
: >"$tmp/noomapi.leases"
ip netns exec "$LAB_NETNS" /usr/sbin/dhcpd -4 -d -cf "$tmp/noomapi.conf" \
	-lf "$tmp/noomapi.leases" -pf "$tmp/noomapi.pid" v0 >"$tmp/noomapi.log" 2>&1 &
noomapi_pid=$!
sleep 1
check "(a real dhcpd without OMAPI runs)" kill -0 "$noomapi_pid"
: >"$lab/exporter.err"
start_exporter --config.file="$tmp/noomapi.yml"
check "a dhcpd without OMAPI: dhcpd_up 0" up_local 0 50
check "(one log line says what to add to dhcpd.conf)" sh -c \
	"[ \$(grep -c 'has no omapi-port, so dhcpd serves no OMAPI: add .omapi-port 7911;.' \
	'$lab/exporter.err') -eq 1 ]"
stop_exporter
kill "$noomapi_pid"; wait "$noomapi_pid" 2>/dev/null; noomapi_pid=

# --- a fresh Debian 12 root -------------------------------------------------------
if [ "${DEB_FRESH:-1}" = 0 ]; then
	echo "note: DEB_FRESH=0: the fresh-root part left out"
else
	fresh=$(cd .. && pwd)/shared/bin/fresh-debian
	[ -x "$fresh" ] || fresh=/work/shared/bin/fresh-debian
	echo "  fresh Debian 12 root on $(git rev-parse --short HEAD) (committed HEAD)"
	"$fresh" 'bash tests/integration/deb_fresh.sh' >"$tmp/fresh.txt" 2>&1
	rc=$?
	sed 's/^/  | /' "$tmp/fresh.txt"
	passed=$((passed + $(grep -c '^ok: ' "$tmp/fresh.txt")))
	failed=$((failed + $(grep -c '^FAIL: ' "$tmp/fresh.txt")))
	check "deb_fresh.sh in the fresh root finished and passed" [ "$rc" -eq 0 ]
fi

finish test_deb
