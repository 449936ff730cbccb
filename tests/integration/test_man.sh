#!/bin/bash
# The manual pages, as shipped in deploy/man/:
#  - each of dhcpd_exporter(8), dhcpd_exporter.yml(5), omapictl(1) and
#    omapi(3) renders without a single message from `mandoc -T lint` nor
#    from `groff -man -ww -z` (a missing tool is a failure);
#  - dhcpd_exporter.yml(5) documents every key the example configuration
#    conf/dhcpd_exporter.yml uses, each as a key of its own (man_keys.py
#    reads the YAML with python3-yaml), and names every key the loaders
#    accept (the *keys[] lists of src/exporter), so a key added to the code
#    or the example without the page fails here;
#  - man_keys.py itself fails on a page that lacks a key of the example;
#  - dhcpd_exporter(8) and the other pages point to dhcpd_exporter.yml(5);
#  - make install puts all four in place (test_install.sh checks that
#    in full; here, make -n install).
# Needs no root, no lab and no port.
set -u
. "$(dirname "$0")/lib.sh"
suite_init man 19593	# (no listener: the pages only)
PAGES="deploy/man/dhcpd_exporter.8 deploy/man/dhcpd_exporter.yml.5
deploy/man/omapictl.1 deploy/man/omapi.3"
tmp=$lab
cleanup() { rm -rf "$tmp"; }

# True when COMMAND... prints nothing on stdout or stderr (and succeeds).
silent() {
	local out
	out=$("$@" 2>&1) || { echo "$out" | sed 's/^/  /' >&2; return 1; }
	[ -z "$out" ] || { echo "$out" | sed 's/^/  /' >&2; return 1; }
}
# True when PAGE mentions NAME(SECTION) as a cross-reference.
refers() { grep -q "^\.BR $2 ($3)" "$1"; }
# True when man_keys.py fails on PAGE with KEY's tag removed.
fails_without() {
	sed "/^\.BI $2: /d" "$1" >"$tmp/page"
	! "$PY" tests/integration/man_keys.py "$tmp/page" conf/dhcpd_exporter.yml \
		src/exporter >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; return 1; }
	grep -q "key $2 " "$tmp/out"
}

check "mandoc is installed (Debian package mandoc)" command -v mandoc
check "groff is installed" command -v groff
for page in $PAGES; do
	check "$page: mandoc -T lint says nothing" silent mandoc -T lint "$page"
	check "$page: groff -man -ww -z says nothing" silent groff -man -ww -z "$page"
done
check "dhcpd_exporter.yml.5 documents every key of conf/dhcpd_exporter.yml and of the loaders" \
	"$PY" tests/integration/man_keys.py deploy/man/dhcpd_exporter.yml.5 \
	conf/dhcpd_exporter.yml src/exporter
check "man_keys.py fails on a page without max_rate" \
	fails_without deploy/man/dhcpd_exporter.yml.5 max_rate
check "man_keys.py fails on a page without failover_peers" \
	fails_without deploy/man/dhcpd_exporter.yml.5 failover_peers
check "dhcpd_exporter.8 refers to dhcpd_exporter.yml(5)" \
	refers deploy/man/dhcpd_exporter.8 dhcpd_exporter.yml 5
check "dhcpd_exporter.yml.5 refers to dhcpd_exporter(8)" \
	refers deploy/man/dhcpd_exporter.yml.5 dhcpd_exporter 8
check "omapictl.1 refers to omapi(3)" refers deploy/man/omapictl.1 omapi 3
# True when `make -n install` puts PAGE in man section SECTION.
installs() {
	make -s -n --no-print-directory -o all install BUILD="$BUILD" \
		DESTDIR="$tmp/root" PREFIX=/usr 2>/dev/null |
		grep -q -- "$1 .*/usr/share/man/man$2/"
}
for page in $PAGES; do
	name=$(basename "$page")
	check "make install puts $name in man${name##*.}" installs "$name" "${name##*.}"
done
finish test_man
