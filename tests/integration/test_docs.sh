#!/bin/bash
# The Markdown docs stay a front door and a map (issue 20, section 4):
#  - README.md is at most 350 lines;
#  - every relative link of every tracked *.md file resolves, to a file and,
#    with a #fragment, to one of its headings;
#  - README.md's metric table names every family the renderer writes;
#  - tests/README.md describes every tests/integration/test_*.sh;
#  - every alert of the shipped rules is described in a guide under deploy/;
#  - and check_docs.py fails on a copy with a broken link, a missing
#    heading, a family left out of the table, a suite or an alert left out.
# Needs no root, no lab and no port.
set -u
. "$(dirname "$0")/lib.sh"
suite_init docs 19592	# (no listener: documents only)
CHECK=$PWD/tests/integration/check_docs.py
tmp=$lab
cleanup() { rm -rf "$tmp"; }

# A throw-away git work tree in $tmp/t: README.md, one guide, a renderer
# with FAMILY, a suite; then EDIT (a sed script on README.md) is applied.
fake_tree() {
	rm -rf "$tmp/t"
	mkdir -p "$tmp/t/doc" "$tmp/t/src/exporter/metrics" "$tmp/t/tests/integration"
	printf '# Guide\n\n## Part two\n' >"$tmp/t/doc/guide.md"
	# shellcheck disable=SC2016 # backticks are Markdown here
	printf '# R\n\n[g](doc/guide.md#part-two)\n\n| `dhcpd_up` | x |\n' >"$tmp/t/README.md"
	printf 'static const char *f = "dhcpd_up";\n' >"$tmp/t/src/exporter/metrics/render.c"
	# shellcheck disable=SC2016
	printf '# Tests\n\n| `test_a.sh` | a |\n' >"$tmp/t/tests/README.md"
	mkdir -p "$tmp/t/deploy/prometheus"
	printf 'groups:\n  - rules:\n      - alert: DhcpdX\n' >"$tmp/t/deploy/prometheus/x.rules.yml"
	# shellcheck disable=SC2016
	printf '| `DhcpdX` | x |\n' >"$tmp/t/deploy/prometheus/README.md"
	: >"$tmp/t/tests/integration/test_a.sh"
	[ -n "${1:-}" ] && sed -i "$1" "$tmp/t/README.md" "$tmp/t/tests/README.md" \
		"$tmp/t/src/exporter/metrics/render.c" "$tmp/t/deploy/prometheus/x.rules.yml"
	git -C "$tmp/t" init -q && git -C "$tmp/t" add -A
}
# True when check_docs.py WHAT passes on the fake tree edited by EDIT.
passes_on() { fake_tree "$2" && "$PY" "$CHECK" -C "$tmp/t" "$1" >/dev/null; }
sound_tree() {
	passes_on links "" && passes_on families "" && passes_on suites "" &&
		passes_on alerts ""
}
fails_on() { fake_tree "$2" && ! "$PY" "$CHECK" -C "$tmp/t" "$1" >/dev/null; }

check "README.md is at most 350 lines" "$PY" "$CHECK" length 350
check "every relative link in the docs resolves" "$PY" "$CHECK" links
check "README.md's metric table names every family of render.c" "$PY" "$CHECK" families
check "tests/README.md describes every integration suite" "$PY" "$CHECK" suites
check "every shipped alert is described under deploy/" "$PY" "$CHECK" alerts

check "(the checks pass on a sound fake tree)" sound_tree
check "(links fails on a link to a missing file)" fails_on links 's|doc/guide.md|doc/gone.md|'
check "(links fails on a link to a missing heading)" fails_on links 's|#part-two|#part-three|'
check "(families fails on a family left out of the table)" fails_on families 's|"dhcpd_up"|"dhcpd_down"|'
check "(suites fails on a suite left out)" fails_on suites 's|test_a.sh|test_b.sh|'
check "(alerts fails on an alert left out)" fails_on alerts 's|DhcpdX|DhcpdY|'
finish test_docs
