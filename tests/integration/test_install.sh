#!/bin/bash
# make install and make uninstall, and what they install:
#  - make install DESTDIR=... PREFIX=/usr puts every file in place with its
#    mode; the installed programs answer --help and --version;
#  - the systemd unit: its binary path filled in, `systemd-analyze verify`
#    silent (its man: links resolve to the installed pages), the exposure
#    score of `systemd-analyze security --offline=true` at most
#    MAX_EXPOSURE; the release exporter, traced through a poll, a sweep,
#    scrapes, a reload and a stop in the lab, makes no system call that the
#    unit's SystemCallFilter= refuses, opens no socket family it restricts
#    and maps no memory writable and executable;
#  - the man pages render without a groff or man warning (libomapi's own
#    files are checked further by test_libomapi.sh);
#  - dhcpd -t accepts a dhcpd.conf that includes the installed OMAPI snippet
#    (as shipped and with a real secret), and refuses a broken one;
#  - the installed example configuration passes --check-config;
#  - make uninstall removes all of it and leaves the user's configuration.
# Needs root (the lab). BUILD selects the binaries. Starts nothing outside
# the lab's namespace.
set -u
. "$(dirname "$0")/lib.sh"
suite_init install 19431
MAX_EXPOSURE=2.0
tmp=$lab
root=$tmp/root
lab=$tmp/lab
strace_pid=
cleanup() {
	[ -n "$strace_pid" ] && kill -9 "$strace_pid" 2>/dev/null
	stop_lab_and_exporter
	rm -rf "$tmp"
}

unit=$root/lib/systemd/system/dhcpd_exporter.service
# "path mode" per line: each file exists with that mode.
modes_are() {
	local path mode bad=0
	while read -r path mode; do
		if [ "$(stat -c %a "$root$path" 2>/dev/null)" != "$mode" ]; then
			echo "  $path: mode $(stat -c %a "$root$path" 2>&1), wanted $mode" >&2
			bad=1
		fi
	done
	return "$bad"
}
# True when FILE renders with no warning from groff nor from man.
man_clean() {
	local out
	out=$(groff -man -ww -z "$1" 2>&1; man -l --warnings=all "$1" 2>&1 >/dev/null)
	[ -z "$out" ] || { echo "$out" | sed 's/^/  /' >&2; return 1; }
}
# dhcpd -t on a dhcpd.conf that includes snippet $1 and one subnet.
dhcpd_accepts() {
	printf 'include "%s";\nsubnet 192.0.2.0 netmask 255.255.255.0 {\n  range 192.0.2.10 192.0.2.200;\n}\n' \
		"$1" >"$tmp/dhcpd.conf"
	dhcpd -t -q -cf "$tmp/dhcpd.conf" >"$tmp/dhcpd-t.txt" 2>&1
}
silent() { local out; out=$("$@" 2>&1); [ -z "$out" ] || { echo "$out" | sed 's/^/  /' >&2; return 1; }; }

# --- make install ----------------------------------------------------------
# -o all: install what this suite tests as built, never rebuild it here.
make -s --no-print-directory -o all install BUILD="$BUILD" DESTDIR="$root" \
	PREFIX=/usr >"$tmp/install.txt" 2>&1
check "make install DESTDIR=... PREFIX=/usr" [ $? -eq 0 ]
expected="/usr/bin/dhcpd_exporter 755
/usr/bin/omapictl 755
/usr/share/man/man8/dhcpd_exporter.8 644
/usr/share/man/man5/dhcpd_exporter.yml.5 644
/usr/share/man/man1/omapictl.1 644
/etc/dhcpd_exporter/dhcpd_exporter.yml.example 644
/usr/share/doc/dhcpd_exporter/dhcpd-omapi.conf 644
/usr/share/dhcpd_exporter/dhcpd.json 644
/lib/systemd/system/dhcpd_exporter.service 644
/usr/lib/libomapi.so.0.1.0 755
/usr/lib/libomapi.a 644
/usr/include/omapi.h 644
/usr/lib/pkgconfig/libomapi.pc 644
/usr/share/man/man3/omapi.3 644"
for f in deploy/prometheus/*.yml; do
	expected="$expected
/usr/share/dhcpd_exporter/$(basename "$f") 644"
done
check "every file installed, programs 0755, the rest 0644" \
	modes_are <<<"$expected"
check "nothing else installed" \
	[ "$(find "$root" -type f | wc -l)" -eq "$(echo "$expected" | wc -l)" ]
check "the installed dhcpd_exporter answers --help" \
	sh -c "'$root/usr/bin/dhcpd_exporter' --help | grep -q -- --config.file"
check "the installed dhcpd_exporter answers --version" \
	sh -c "'$root/usr/bin/dhcpd_exporter' --version | grep -q '^dhcpd_exporter [0-9]'"
check "the installed omapictl answers --help" \
	sh -c "'$root/usr/bin/omapictl' --help | grep -q 'lease sweep'"
check "the installed omapictl answers --version" \
	sh -c "'$root/usr/bin/omapictl' --version | grep -q '^omapictl [0-9]'"

# --- man pages ---------------------------------------------------------------
for page in man8/dhcpd_exporter.8 man5/dhcpd_exporter.yml.5 man1/omapictl.1 man3/omapi.3; do
	check "$page renders without warnings" man_clean "$root/usr/share/man/$page"
done
check "dhcpd_exporter.8 names every option of --help" sh -c "
	'$BIN/dhcpd_exporter' --help | grep -o -- '--[a-z.-]*' | sort -u |
	while read -r o; do
		man -l '$root/usr/share/man/man8/dhcpd_exporter.8' 2>/dev/null |
			grep -q -- \"\$o\" || { echo \"  missing \$o\" >&2; exit 1; }
	done"
check "omapictl.1 names every option of --help" sh -c "
	'$BIN/omapictl' --help | grep -o -- '--[a-z.-]*' | sort -u |
	while read -r o; do
		man -l '$root/usr/share/man/man1/omapictl.1' 2>/dev/null |
			grep -q -- \"\$o\" || { echo \"  missing \$o\" >&2; exit 1; }
	done"

# --- the systemd unit --------------------------------------------------------
check "the unit runs /usr/bin/dhcpd_exporter, no @BINDIR@ left" sh -c \
	"grep -q '^ExecStart=/usr/bin/dhcpd_exporter ' '$unit' && ! grep -q @BINDIR@ '$unit'"
# verify wants the binary where ExecStart says: a copy pointing into $root.
mkdir -p "$tmp/verify"
sed "s|=/usr/bin/|=$root/usr/bin/|" "$unit" >"$tmp/verify/dhcpd_exporter.service"
check "systemd-analyze verify is silent (man: links found)" \
	silent env MANPATH="$root/usr/share/man" systemd-analyze verify \
	"$tmp/verify/dhcpd_exporter.service"
exposure=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for dhcpd_exporter.service: \([0-9.]*\).*/\1/p')
echo "  exposure score: ${exposure:-none} (at most $MAX_EXPOSURE)"
check "systemd-analyze security: exposure ${exposure:-?} <= $MAX_EXPOSURE" \
	awk -v e="${exposure:-99}" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(e <= m) }'

# The system calls and socket families the exporter uses, against the unit.
syscalls_allowed() {
	$PY - "$unit" "$tmp/trace" <<'EOF'
import re, subprocess, sys
unit, trace = open(sys.argv[1]).read(), open(sys.argv[2]).read()
groups, cur = {}, None
for line in subprocess.run(["systemd-analyze", "syscall-filter"],
                           capture_output=True, text=True).stdout.splitlines():
    w = line.strip()
    if not w or w.startswith("#"):
        cur = None if not w else cur
    elif not line.startswith(" "):
        cur = groups.setdefault(w, [])
    elif cur is not None:
        cur.append(w)
def expand(names):
    out = set()
    for n in names:
        out |= expand(groups.get(n, [])) if n.startswith("@") else {n}
    return out
allow, deny = set(), set()
for v in re.findall(r"^SystemCallFilter=(.*)$", unit, re.M):
    if v.startswith("~"):
        deny |= expand(v[1:].split())
    else:
        allow |= expand(v.split())
used = set(re.findall(r"^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)\(", trace, re.M))
bad = sorted(s for s in used if s not in allow or s in deny)
fams = set(re.findall(r"socket\((AF_[A-Z0-9]+)", trace))
okf = set(re.search(r"^RestrictAddressFamilies=(.*)$", unit, re.M).group(1).split())
wx = [l for l in trace.splitlines() if re.search(r"(mmap|mprotect)\(", l)
      and "PROT_WRITE" in l and "PROT_EXEC" in l]
print("  %d system calls used, families %s" % (len(used), " ".join(sorted(fams))))
for what, items in (("refused system calls", bad),
                    ("restricted families", sorted(fams - okf)),
                    ("W+X mappings", wx)):
    if items:
        print("  %s: %s" % (what, " ".join(items)), file=sys.stderr)
sys.exit(1 if bad or fams - okf or wx or len(used) < 20 else 0)
EOF
}
if sanitized; then
	echo "skip: system call trace (a sanitizer build; the unit runs the release build)"
elif ! command -v strace >/dev/null; then
	fail "strace is not installed (tests/deps.sh)"
else
	mkdir -p "$lab"
	tests/lab/lab.sh start "$lab" --key hmac-sha256 >/dev/null ||
		{ echo "lab did not start"; exit 1; }
	. "$lab/env"
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		--poll-interval 1s --sweep-interval 1s >"$lab/exp.yml"
	EXPORTER_WRAP=(strace -f -qq -o "$tmp/trace")
	start_exporter --config.file="$lab/exp.yml"
	strace_pid=$exporter_pid
	check "exporter up under strace" wait_up 1 15
	exporter_pid=$(pgrep -P "$strace_pid" -x dhcpd_exporter)
	# gzip: the compressed path's system calls are traced too
	for _ in $(seq 1 30); do
		scrape /metrics -H 'Accept-Encoding: gzip' | gunzip |
			grep -q '^dhcpd_exporter_last_sweep_timestamp_seconds' && break
		sleep 0.2
	done
	scrape / -H 'Accept-Encoding: gzip' >/dev/null
	scrape /-/ready >/dev/null
	kill -HUP "$exporter_pid"
	for _ in $(seq 1 30); do
		grep -q 'configuration reloaded' "$lab/exporter.err" && break
		sleep 0.1
	done
	scrape /metrics -H 'Accept-Encoding: gzip' >/dev/null
	kill -TERM "$exporter_pid"
	for _ in $(seq 1 50); do
		kill -0 "$strace_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$strace_pid" 2>/dev/null || strace_pid=
	exporter_pid=
	check "traced: poll, sweep, scrapes, reload and stop all happened" \
		grep -q 'stopping on signal' "$lab/exporter.err"
	check "the unit's SystemCallFilter, RestrictAddressFamilies and \
MemoryDenyWriteExecute allow what the exporter does" syscalls_allowed
fi

# --- dhcpd side ----------------------------------------------------------------
snippet=$root/usr/share/doc/dhcpd_exporter/dhcpd-omapi.conf
check "dhcpd -t accepts the installed OMAPI snippet as shipped" dhcpd_accepts "$snippet"
secret=$(openssl rand -base64 32)
sed "s|secret \".*\"|secret \"$secret\"|" "$snippet" >"$tmp/omapi-real.conf"
check "dhcpd -t accepts it with a secret from openssl rand -base64 32" \
	dhcpd_accepts "$tmp/omapi-real.conf"
sed 's|secret ".*"|secret "not base64 at all!"|' "$snippet" >"$tmp/omapi-bad.conf"
dhcpd_accepts "$tmp/omapi-bad.conf"
check "(and dhcpd -t refuses a snippet whose secret is not base64)" [ $? -ne 0 ]

# --- the example configuration, with that secret -----------------------------
mkdir -p "$tmp/etc"
(umask 077; echo "$secret" >"$tmp/etc/omapi.key")
sed "s|/etc/dhcpd_exporter/omapi.key|$tmp/etc/omapi.key|" \
	"$root/etc/dhcpd_exporter/dhcpd_exporter.yml.example" >"$tmp/etc/exporter.yml"
check "the installed example configuration passes --check-config" sh -c \
	"'$root/usr/bin/dhcpd_exporter' --config.file='$tmp/etc/exporter.yml' \
	--check-config >/dev/null"

# --- make uninstall ------------------------------------------------------------
echo "listen: \":9367\"" >"$root/etc/dhcpd_exporter/dhcpd_exporter.yml"
echo "$secret" >"$root/etc/dhcpd_exporter/omapi.key"
make -s --no-print-directory uninstall BUILD="$BUILD" DESTDIR="$root" \
	PREFIX=/usr >>"$tmp/install.txt" 2>&1
check "make uninstall" [ $? -eq 0 ]
check "make uninstall removed every installed file, kept config and key" [ \
	"$(cd "$root" && find . -type f -o -type l | sort | tr '\n' ' ')" = \
	"./etc/dhcpd_exporter/dhcpd_exporter.yml ./etc/dhcpd_exporter/omapi.key " ]
check "(and the folders it made for them: doc, share)" [ ! -e \
	"$root/usr/share/doc/dhcpd_exporter" -a ! -e "$root/usr/share/dhcpd_exporter" ]
finish test_install
