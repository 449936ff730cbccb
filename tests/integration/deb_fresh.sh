#!/bin/bash
# The Debian packages as a new user meets them, run by test_deb.sh inside a
# brand-new Debian 12 root (../shared/bin/fresh-debian) on a clean clone:
#  - tests/deps.sh deb, make deb: four packages, lintian without errors;
#  - apt-get install ./build/deb/*.deb (and isc-dhcp-server) installs them
#    with their dependencies: the files issue 24 names, the user
#    prometheus, the unit enabled, the configuration a conffile;
#  - the installed configuration passes --check-config (and says what to
#    add to a dhcpd.conf without OMAPI); a configuration naming credential
#    paths is checked by hand from what the installed unit loads;
#  - with OMAPI added to dhcpd.conf (key in a 0600 include), the unit's
#    ExecStart as prometheus, with the copies its LoadCredential= makes,
#    gives dhcpd_up 1 with the installed configuration unedited;
#  - a C program built with `pkg-config --cflags --libs libomapi` runs,
#    with no ldconfig by hand (the package's trigger);
#  - an upgrade over an edited conffile keeps the edit;
#  - purge leaves no file of theirs and no /etc/dhcpd_exporter;
#  - make install (no DESTDIR) runs ldconfig: the README's pkg-config line
#    works at once.
# No systemd runs in the root: policy-rc.d keeps services from starting.
set -u
cd "$(dirname "$0")/../.."
BIN=$PWD/build
. tests/integration/lib.sh
export DEBIAN_FRONTEND=noninteractive
PKGS="prometheus-dhcpd-exporter omapictl libomapi0 libomapi-dev"
log=/tmp/deb_fresh
mkdir -p $log

printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
apt-get update -qq >/dev/null 2>&1

check "tests/deps.sh deb installs what make deb needs" \
	sh -c 'sh tests/deps.sh deb >/tmp/deb_fresh/deps.log 2>&1'
check "make deb" sh -c 'make deb >/tmp/deb_fresh/deb.log 2>&1'
check "make deb: four packages in build/deb/" \
	[ "$(ls build/deb/*.deb 2>/dev/null | wc -l)" -eq 4 ]
lintian build/deb/*.changes >$log/lintian.txt 2>&1
echo "  lintian: $(grep -c '^E:' $log/lintian.txt) errors," \
	"$(grep -c '^W:' $log/lintian.txt) warnings"
check "lintian: no error" sh -c "! grep '^E:' $log/lintian.txt"

# --- install -------------------------------------------------------------
apt-get install -y -qq ./build/deb/*.deb isc-dhcp-server >$log/install.txt 2>&1
check "apt-get install ./build/deb/*.deb installs them and their dependencies" \
	sh -c "dpkg-query -W $PKGS >/dev/null"
for p in $PKGS; do dpkg -L "$p"; done >$log/files.txt
in_packages() {
	local f bad=0
	for f in "$@"; do
		grep -qxF "$f" $log/files.txt || { echo "  missing: $f" >&2; bad=1; }
	done
	return $bad
}
multi=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "every file named in issue 24 is in the packages" in_packages \
	/usr/bin/dhcpd_exporter /lib/systemd/system/dhcpd_exporter.service \
	/etc/dhcpd_exporter/dhcpd_exporter.yml \
	/usr/share/dhcpd_exporter/dhcpd_exporter.rules.yml \
	/usr/share/dhcpd_exporter/dhcpd.json \
	/usr/share/man/man8/dhcpd_exporter.8.gz \
	/usr/share/man/man5/dhcpd_exporter.yml.5.gz \
	/usr/bin/omapictl /usr/share/man/man1/omapictl.1.gz \
	/usr/lib/$multi/libomapi.so.0 /usr/include/omapi.h \
	/usr/lib/$multi/pkgconfig/libomapi.pc /usr/lib/$multi/libomapi.a \
	/usr/lib/$multi/libomapi.so /usr/share/man/man3/omapi.3.gz
check "libomapi0 ships its symbols file" \
	test -s /var/lib/dpkg/info/libomapi0:amd64.symbols
check "the system user prometheus exists" sh -c 'id prometheus >/dev/null'
check "the unit is enabled (multi-user.target.wants)" test -L \
	/etc/systemd/system/multi-user.target.wants/dhcpd_exporter.service
check "the default configuration is a conffile" sh -c \
	"dpkg-query -W -f='\${Conffiles}' prometheus-dhcpd-exporter |
	grep -q ' /etc/dhcpd_exporter/dhcpd_exporter.yml '"
check "--version says the package's version" sh -c \
	"dhcpd_exporter --version | grep -q \"^dhcpd_exporter \$(dpkg-query -W \
	-f='\${Version}' prometheus-dhcpd-exporter) \""

# --- the installed configuration -------------------------------------------
dhcpd_exporter --check-config --config.file=/etc/dhcpd_exporter/dhcpd_exporter.yml \
	>$log/check.out 2>$log/check.err
check "the installed configuration passes --check-config" [ $? -eq 0 ]
check "(and says what to add to a dhcpd.conf without OMAPI)" \
	grep -q 'has no omapi-port, so dhcpd serves no OMAPI: add' $log/check.err
# A configuration naming the unit's credential paths, checked by hand.
secret=$(head -c 32 /dev/urandom | base64)
(umask 077; echo "$secret" >/etc/dhcpd_exporter/omapi.key)
cat >/tmp/cred.yml <<'EOF'
servers:
  - name: local
    address: 127.0.0.1
    key: { name: omapi_key, algorithm: hmac-sha256,
           secret_file: /run/credentials/dhcpd_exporter.service/etc_dhcpd_exporter_omapi.key }
EOF
check "--check-config by hand reads what the unit's LoadCredential= loads" \
	sh -c 'dhcpd_exporter --check-config --config.file=/tmp/cred.yml >/dev/null'
sed 's|etc_dhcpd_exporter_omapi.key|omapi.key|' /tmp/cred.yml >/tmp/cred-old.yml
check "(also the path earlier versions documented: .../dhcpd_exporter.service/omapi.key)" \
	sh -c 'dhcpd_exporter --check-config --config.file=/tmp/cred-old.yml >/dev/null'
chmod 644 /etc/dhcpd_exporter/omapi.key
dhcpd_exporter --check-config --config.file=/tmp/cred.yml >/dev/null 2>$log/cred.err
check "(that file world-readable: refused, exit 2)" [ $? -eq 2 ]
check "(with the fix, and no secret, in the message)" sh -c "
	grep -q 'chmod o-rwx /etc/dhcpd_exporter/omapi.key' $log/cred.err &&
	! grep -qF -- '$secret' $log/cred.err"
rm -f /etc/dhcpd_exporter/omapi.key
sed -i 's|dhcpd_exporter.service/etc_dhcpd_exporter_omapi.key|other.service/omapi.key|' \
	/tmp/cred.yml
dhcpd_exporter --check-config --config.file=/tmp/cred.yml >/dev/null 2>$log/cred.err
check "a credential no unit here explains: 'only the unit can read it', exit 0" \
	sh -c "[ $? -eq 0 ] && grep -q 'only the unit can read it' $log/cred.err"

# --- no edit: the installed configuration against a real dhcpd ---------------
# dhcpd.conf gets OMAPI (the key in an include of mode 0600) and a subnet
# on a veth in a namespace of ours; the unit's own ExecStart runs as
# prometheus with the copies its LoadCredential= lines make, there.
apt-get install -y -qq iproute2 curl >$log/iproute.txt 2>&1
chmod 755 /	# mktemp -d made this root 0700: no other user could run a program
ns=debpkg-fresh
xpid=
fresh_cleanup() {
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
	[ -s /tmp/fresh-dhcpd.pid ] && kill "$(cat /tmp/fresh-dhcpd.pid)" 2>/dev/null
	ip netns del $ns 2>/dev/null
}
trap fresh_cleanup EXIT
ip netns add $ns
ip netns exec $ns ip link set lo up
ip netns exec $ns ip link add v0 type veth peer name v1
ip netns exec $ns ip addr add 10.98.0.1/24 dev v0
ip netns exec $ns ip link set v0 up
ip netns exec $ns ip link set v1 up
cp /etc/dhcp/dhcpd.conf $log/dhcpd.conf.orig
printf '%s\n' 'omapi-port 7911;' 'omapi-key omapi_key;' \
	'include "/etc/dhcp/omapi.key";' \
	'subnet 10.98.0.0 netmask 255.255.255.0 {' \
	'  range 10.98.0.10 10.98.0.50;' '}' >>/etc/dhcp/dhcpd.conf
(umask 077; printf 'key omapi_key {\n  algorithm hmac-sha256;\n  secret "%s";\n};\n' \
	"$(head -c 32 /dev/urandom | base64)" >/etc/dhcp/omapi.key)
: >/tmp/fresh-dhcpd.leases
ip netns exec $ns dhcpd -4 -q -cf /etc/dhcp/dhcpd.conf -lf /tmp/fresh-dhcpd.leases \
	-pf /tmp/fresh-dhcpd.pid v0 >$log/dhcpd.txt 2>&1
check "dhcpd runs with OMAPI and the key in /etc/dhcp/omapi.key (0600)" \
	sh -c 'sleep 1; kill -0 "$(cat /tmp/fresh-dhcpd.pid)"'
cred=/tmp/fresh-credentials
mkdir -p $cred
grep '^LoadCredential=' /lib/systemd/system/dhcpd_exporter.service |
	sed 's/^LoadCredential=[^:]*://' | while read -r dir; do
	find "$dir" -type f | while read -r f; do
		install -m 0400 -o prometheus "$f" \
			"$cred/$(printf '%s' "${f#/}" | tr / _)"
	done
done
chown prometheus $cred
chmod 0500 $cred
execstart=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/dhcpd_exporter.service)
# shellcheck disable=SC2086
ip netns exec $ns env -i CREDENTIALS_DIRECTORY=$cred setpriv --reuid=prometheus \
	--regid=prometheus --clear-groups $execstart >$log/exporter.txt 2>&1 &
xpid=$!
up_local() {
	local i
	for i in $(seq 1 100); do
		ip netns exec $ns curl -sf http://127.0.0.1:9367/metrics \
			>$log/metrics.txt 2>/dev/null &&
			grep -qx 'dhcpd_up{server="local"} 1' $log/metrics.txt &&
			return 0
		sleep 0.2
	done
	sed 's/^/  | /' $log/exporter.txt >&2
	return 1
}
check "the unit's ExecStart, as prometheus, no edit: dhcpd_up 1 on :9367" up_local
check "(the pool from dhcpd.conf: 41 addresses)" grep -q \
	'^dhcpd_pool_addresses{.*pool="10.98.0.10-10.98.0.50".*} 41$' $log/metrics.txt
check "(the key file itself stays root's, 0600)" \
	sh -c '[ "$(stat -c %a:%U /etc/dhcp/omapi.key)" = 600:root ]'
kill "$xpid"
wait "$xpid" 2>/dev/null
xpid=
kill "$(cat /tmp/fresh-dhcpd.pid)"
rm -f /tmp/fresh-dhcpd.pid
cp $log/dhcpd.conf.orig /etc/dhcp/dhcpd.conf
rm -f /etc/dhcp/omapi.key

# --- libomapi for other programs ---------------------------------------------
cat >/tmp/omapi_client.c <<'EOF'
#include <stdio.h>
#include <omapi.h>

int
main(void)
{
	enum omapi_alg alg;

	if (omapi_alg_parse("hmac-sha256", &alg) == -1)
		return 1;
	printf("%s\n", omapi_alg_name(alg));
	return 0;
}
EOF
# shellcheck disable=SC2046
cc -o /tmp/omapi_client /tmp/omapi_client.c $(pkg-config --cflags --libs libomapi) \
	>$log/cc.txt 2>&1
check "a C program linked with pkg-config --libs libomapi runs (no ldconfig by hand)" \
	sh -c '[ "$(/tmp/omapi_client)" = hmac-sha256 ]'
check "(against the package's libomapi.so.0)" sh -c \
	"ldd /tmp/omapi_client | grep -q 'libomapi.so.0 => .*/lib/$multi/libomapi.so.0'"

# --- upgrade over an edited conffile ------------------------------------------
conf=/etc/dhcpd_exporter/dhcpd_exporter.yml
sed -i 's|^listen: .*|listen: "127.0.0.1:19541"  # edited by the admin|' $conf
cp $conf $log/edited.yml
ver=$(make -s version)
make deb VERSION="$ver.1" >$log/deb2.log 2>&1
check "make deb VERSION=$ver.1 (the upgrade)" [ $? -eq 0 ]
apt-get install -y -qq -o Dpkg::Options::=--force-confold ./build/deb/*.deb \
	>$log/upgrade.txt 2>&1
check "apt-get install upgrades to $ver.1" [ \
	"$(dpkg-query -W -f='${Version}' prometheus-dhcpd-exporter)" = "$ver.1" ]
check "the upgrade kept the edited conffile" cmp -s $conf $log/edited.yml

# --- purge ---------------------------------------------------------------------
for p in $PKGS; do dpkg -L "$p"; done | sort -u >$log/files.txt
echo "# the admin's own file" >/etc/dhcpd_exporter/web.yml
apt-get purge -y -qq $PKGS >$log/purge.txt 2>&1
check "apt-get purge" [ $? -eq 0 ]
left_behind() {
	local f left=''
	while read -r f; do
		[ -d "$f" ] && continue	# folders (and /lib -> usr/lib) are shared
		[ -e "$f" ] || [ -L "$f" ] && left="$left $f"
	done <$log/files.txt
	for f in /etc/dhcpd_exporter /usr/share/dhcpd_exporter \
	    /usr/share/doc/prometheus-dhcpd-exporter; do
		[ -e "$f" ] && left="$left $f"
	done
	[ -z "$left" ] || { echo "  left:$left" >&2; return 1; }
}
check "purge leaves no file of theirs, no /etc/dhcpd_exporter" left_behind
check "(nor the unit's enable link)" test ! -e \
	/etc/systemd/system/multi-user.target.wants/dhcpd_exporter.service

# --- make install without DESTDIR ------------------------------------------------
make -s -j2 >$log/make.txt 2>&1 && make -s install >>$log/make.txt 2>&1
check "make install (PREFIX=/usr/local, no DESTDIR)" [ $? -eq 0 ]
# shellcheck disable=SC2046
cc -o /tmp/omapi_client /tmp/omapi_client.c $(PKG_CONFIG_PATH=/usr/local/lib/pkgconfig \
	pkg-config --cflags --libs libomapi) >$log/cc2.txt 2>&1
check "after make install, the pkg-config program runs without ldconfig by hand" \
	sh -c '[ "$(/tmp/omapi_client)" = hmac-sha256 ] &&
	ldd /tmp/omapi_client | grep -q /usr/local/lib/libomapi.so.0'
make -s uninstall >>$log/make.txt 2>&1

finish deb_fresh
