#!/bin/bash
# test_libomapi.sh: libomapi as another program gets it from make install
# (issue 15).  Installs into a temporary DESTDIR with PREFIX=/usr, then:
#  - libomapi.so.0 has that soname and exports only omapi_* symbols, exactly
#    the functions the installed omapi.h declares;
#  - omapi.h compiles alone, as C and as C++, and documents every function;
#  - the example program of the installed omapi(3) page, taken from the
#    page itself, builds with `pkg-config --cflags --libs libomapi` (as C
#    and as C++) and against libomapi.a, and run against the lab dhcpd
#    prints the lease's end time that omapictl reads;
#  - omapictl and dhcpd_exporter still link libomapi statically.
# Needs root (the lab). BUILD selects the build directory (make first).
set -u
. "$(dirname "$0")/lib.sh"
suite_init libomapi 19588	# (no listener: the example runs against the lab)
# A sanitizer build's library needs its runtime: the example is built with
# the same flags (make asan runs this suite too).
SAN=
if nm "$BIN/libomapi.a" 2>/dev/null | grep -q __asan_; then
	SAN="-fsanitize=address,undefined"
fi
LAB=$PWD/tests/lab/lab.sh
tmp=$lab
root=$tmp/root
lab=$tmp/lab
cleanup() {
	"$LAB" stop "$lab" >/dev/null 2>&1
	rm -rf "$tmp"
}

# -o all: install what was built, never rebuild it here.
make -s --no-print-directory -o all install BUILD="$BUILD" DESTDIR="$root" \
	PREFIX=/usr >"$tmp/install.txt" 2>&1
check "make install DESTDIR=... PREFIX=/usr" [ $? -eq 0 ]
lib=$root/usr/lib
export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root
check "libomapi.so.0 -> libomapi.so.0.1.0, libomapi.so -> libomapi.so.0" [ \
	"$(readlink "$lib/libomapi.so.0")" = libomapi.so.0.1.0 -a \
	"$(readlink "$lib/libomapi.so")" = libomapi.so.0 ]
check "soname libomapi.so.0" sh -c \
	"readelf -d '$lib/libomapi.so.0.1.0' | grep -q 'SONAME.*\[libomapi.so.0\]'"

# --- what is exported, what is declared --------------------------------------
nm -D --defined-only "$lib/libomapi.so.0.1.0" | awk '$2 ~ /^[TDBR]$/ {print $3}' |
	sed 's/@.*//' | sort -u >"$tmp/exported"
grep -oE '\*?\bomapi_[a-z0-9_]+\(' "$root/usr/include/omapi.h" | tr -d '*(' |
	grep -vx 'omapi_reply_fn\|omapi_sweep_fn\|omapi_pipeline_make_fn\|omapi_pipeline_done_fn' | sort -u >"$tmp/declared"
check "only omapi_* symbols are exported" [ -s "$tmp/exported" -a \
	"$(grep -vc '^omapi_' "$tmp/exported")" = 0 ]
check "the exported symbols are exactly the functions omapi.h declares" \
	diff "$tmp/exported" "$tmp/declared"
check "every exported symbol has the version script's node LIBOMAPI_0" sh -c \
	"nm -D --defined-only '$lib/libomapi.so.0.1.0' | awk '\$2 ~ /^[TDBR]\$/' |
	grep -v '@@LIBOMAPI_0\$' | grep -q . && exit 1 || exit 0"

# --- the header ----------------------------------------------------------------
printf '#include <omapi.h>\n' >"$tmp/h.c"
check "omapi.h compiles alone as C99" \
	cc -std=c99 -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libomapi) "$tmp/h.c"
check "omapi.h compiles alone as C++" \
	g++ -x c++ -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libomapi) "$tmp/h.c"
check "omapi.h: every function has a comment just above it" sh -c "
	awk '/^[a-z].*omapi_[a-z0-9_]+\\(/ && prev !~ /\\*\\/\$/ { print; bad = 1 }
	     { prev = \$0 } END { exit bad }' '$root/usr/include/omapi.h'"

# --- the man page and its example ----------------------------------------------
page=$root/usr/share/man/man3/omapi.3
check "omapi(3) renders without warnings" sh -c \
	"[ -z \"\$(groff -man -ww -z '$page' 2>&1; man -l --warnings=all '$page' 2>&1 >/dev/null)\" ]"
sed -n '/^\.EX$/,/^\.EE$/p' "$page" | sed -e '1d' -e '$d' -e 's/\\e/\\/g' -e 's/\\-/-/g' \
	>"$tmp/example.c"
check "the example is a whole program" grep -q '^main(int argc' "$tmp/example.c"
check "the example builds with pkg-config --cflags --libs libomapi" \
	cc -std=c11 -Wall -Wextra -Werror $SAN -o "$tmp/example" "$tmp/example.c" \
	$(pkg-config --cflags --libs libomapi)
check "... and links the shared library" sh -c \
	"readelf -d '$tmp/example' | grep -q 'NEEDED.*\[libomapi.so.0\]'"
check "the example builds as C++ against the shared library" \
	g++ -x c++ -Wall -Werror $SAN -o "$tmp/example_cxx" "$tmp/example.c" \
	$(pkg-config --cflags --libs libomapi)
check "the example builds against libomapi.a (pkg-config --static)" \
	cc -std=c11 -Wall -Werror $SAN -o "$tmp/example_static" "$tmp/example.c" \
	$(pkg-config --cflags libomapi) "$lib/libomapi.a" $(pkg-config --static --libs-only-l libomapi | sed 's/-lomapi//')

# --- run it against the lab ----------------------------------------------------
mkdir -p "$lab"
if ! "$LAB" start "$lab" >"$tmp/lab.log" 2>&1; then
	cat "$tmp/lab.log" >&2
	check "the lab starts" false
else
	# shellcheck disable=SC1091
	. "$lab/env"
	ip=$($PY -c 'import json, sys; t = json.load(open(sys.argv[1])); print([a for a, r in t["leases"].items() if r["state"] == "active"][0])' "$LAB_TRUTH")
	"$LAB" exec "$lab" "$BIN/omapictl" -K "$LAB_KEYFILE" --json lease ip "$ip" >"$tmp/lease.json"
	want="ending time is $(TZ=UTC $PY -c 'import json, sys, time; print(time.ctime(json.load(open(sys.argv[1]))["ends"]))' "$tmp/lease.json")"
	for ex in example example_cxx example_static; do
		got=$(TZ=UTC LD_LIBRARY_PATH=$lib "$LAB" exec "$lab" env TZ=UTC LD_LIBRARY_PATH="$lib" \
			"$tmp/$ex" "$LAB_KEYFILE" "$ip" 2>&1)
		check "$ex $ip prints the end omapictl reads ('$want')" [ "$got" = "$want" ]
	done
	got=$("$LAB" exec "$lab" env LD_LIBRARY_PATH="$lib" "$tmp/example" "$LAB_KEYFILE" 10.99.0.7 2>&1)
	check "example on an address without a lease: exit 1, not found" \
		[ $? -eq 1 -a "$got" = "lease 10.99.0.7: not found" ]
fi

# --- the programs keep linking statically ----------------------------------------
# (readelf must read the program: its NEEDED list, without libomapi)
static_omapi() {
	local needed
	needed=$(readelf -d "$BIN/$1" | grep NEEDED) &&
		printf '%s\n' "$needed" | grep -q 'libc\.so' &&
		! printf '%s\n' "$needed" | grep -q libomapi
}
for p in omapictl dhcpd_exporter; do
	check "$p does not need libomapi.so" static_omapi "$p"
done
finish test_libomapi
