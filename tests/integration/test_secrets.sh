#!/bin/bash
# The OMAPI secret, from the exporter's side:
#  - secret_file and key_file that others may access are refused, the
#    message names the file and the chmod that fixes it; owner and group
#    may read them (0600 and 0640 both work: the one rule of key.c);
#  - running unprivileged (uid 65534) at --log.level=debug, through a good
#    key, a wrong secret (auth failures) and configurations with errors,
#    the secret (base64 or hex) never shows in stderr, stdout, /metrics, /
#    or the process's command line;
#  - once the key is loaded, neither the base64 text nor the decoded bytes
#    are left in the exporter's memory (a core taken with gcore is searched).
# Needs root. BUILD selects the binaries.
set -u
. "$(dirname "$0")/lib.sh"
suite_init secret 19581

# Write the exporter's config for the lab with key line $1.
write_config() {
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		--poll-interval 1s --sweep-interval 1s |
		sed "s|^    key: .*|    key: $1|" >"$lab/exp.yml"
	chmod 644 "$lab/exp.yml"
}
# A file owned by the exporter's user, mode $2, holding $3.
owned_file() {
	printf '%s\n' "$3" >"$1"
	chown 65534:65534 "$1"
	chmod "$2" "$1"
}
# Exit status $1 is 2 and message $2 names file $3 and the chmod.
says_fix() {
	[ "$1" -eq 2 ] && echo "$2" | grep -F "$3" | grep -q -F "chmod o-rwx $3"
}

tests/lab/lab.sh start "$lab" --key hmac-sha256 >/dev/null ||
	{ echo "lab did not start"; exit 1; }
. "$lab/env"
nobody_exporter || { echo "cannot copy the exporter"; exit 1; }
SECRET_B64=$LAB_KEY_SECRET
SECRET_HEX=$(printf '%s' "$SECRET_B64" | base64 -d | od -An -tx1 | tr -d ' \n')
SECRET_HEX_COLON=$(echo "$SECRET_HEX" | sed 's/../&:/g; s/:$//')
KEYSPEC="{ name: $LAB_KEY_NAME, algorithm: $LAB_KEY_ALG, secret_file: $lab/secret }"

# --- modes --------------------------------------------------------------
write_config "$KEYSPEC"
for mode in 604 644 602 666; do
	owned_file "$lab/secret" "$mode" "$SECRET_B64"
	out=$(as_nobody "$XBIN" --config.file="$lab/exp.yml" \
		--check-config 2>&1)
	rc=$?
	check "secret_file mode $mode refused, saying which file and chmod o-rwx" \
		says_fix "$rc" "$out" "$lab/secret"
done
owned_file "$lab/secret" 640 "$SECRET_B64"
check "secret_file mode 640 accepted (group may read)" \
	as_nobody "$XBIN" --config.file="$lab/exp.yml" --check-config
owned_file "$lab/key.conf" 644 "$(cat "$LAB_KEYFILE")"
write_config "{ key_file: $lab/key.conf }"
out=$(as_nobody "$XBIN" --config.file="$lab/exp.yml" \
	--check-config 2>&1)
check "key_file mode 644 refused, with the fix" says_fix $? "$out" "$lab/key.conf"
chmod 600 "$lab/key.conf"
check "key_file mode 600 accepted (--check-config as uid 65534)" \
	as_nobody "$XBIN" --config.file="$lab/exp.yml" --check-config

# --- a good key, unprivileged, debug logging ---------------------------
owned_file "$lab/secret" 600 "$SECRET_B64"
write_config "$KEYSPEC"
start_exporter --config.file="$lab/exp.yml" --log.level=debug
check "exporter (uid 65534) up with the secret file" wait_up 1 10
sleep 1.5	# a sweep done, at debug
scrape /metrics >"$lab/metrics.txt"
scrape / >"$lab/page.html"
tr '\0' ' ' <"/proc/$exporter_pid/cmdline" >"$lab/cmdline.txt"

# Its memory: the base64 text and the raw key bytes must be gone.
# (Not under ASan or TSan: their terabytes of shadow mappings make a core
# take minutes, and their allocators keep copies the release build does not.)
if sanitized; then
	echo "skip: memory search (a sanitizer build)"
elif command -v gcore >/dev/null; then
	gcore -o "$lab/core" "$exporter_pid" >/dev/null 2>&1
	core=$(ls "$lab"/core.* 2>/dev/null | head -1)
	if [ -n "$core" ]; then
		check "no base64 secret in the exporter's memory" \
			absent -e "$SECRET_B64" "$core"
		raw=$(printf '%s' "$SECRET_B64" | base64 -d | od -An -tx1 | tr -d ' \n' |
			sed 's/../\\x&/g')
		# grep -P: exit 1 is "not found"; 2 (it could not search) fails
		check "no raw key bytes in the exporter's memory" \
			eval 'LC_ALL=C grep -q -a -P "$raw" "$core"; [ $? -eq 1 ]'
		rm -f "$core"
	else
		fail "gcore made no core"
	fi
else
	fail "gcore (gdb) is not installed"
fi
stop_exporter

# --- the server's secret changes: auth failures, logged -------------------
wrong=$(head -c 32 /dev/urandom | base64)
owned_file "$lab/secret" 600 "$wrong"
start_exporter --config.file="$lab/exp.yml" --log.level=debug
check "a wrong secret: dhcpd_up 0" wait_up 0 10
sleep 1
auth_counted() { scrape | grep -q 'reason="auth"} [1-9]'; }
check "auth failures counted" auth_counted
scrape /metrics >>"$lab/metrics.txt"
stop_exporter
check "the wrong secret is not logged either" \
	absent -e "$wrong" "$lab/exporter.err" "$lab/exporter.out" "$lab/metrics.txt"

# --- configurations with errors ------------------------------------------
write_config "{ name: $LAB_KEY_NAME, algorithm: $LAB_KEY_ALG, secret: \"$SECRET_B64!!\" }"
as_nobody "$XBIN" --config.file="$lab/exp.yml" --check-config \
	>>"$lab/exporter.out" 2>>"$lab/exporter.err"
check "an inline secret that is not base64 is refused" [ $? -eq 2 ]
write_config "{ name: $LAB_KEY_NAME, algorithm: hmac-nope, secret: \"$SECRET_B64\" }"
as_nobody "$XBIN" --config.file="$lab/exp.yml" --check-config \
	>>"$lab/exporter.out" 2>>"$lab/exporter.err"
check "an unknown algorithm is refused" [ $? -eq 2 ]
owned_file "$lab/secret" 600 "%%% $SECRET_B64"
write_config "$KEYSPEC"
as_nobody "$XBIN" --config.file="$lab/exp.yml" --check-config \
	>>"$lab/exporter.out" 2>>"$lab/exporter.err"
check "a secret file that is not base64 is refused" [ $? -eq 2 ]

check "the secret is in none of: stderr, stdout, /metrics, /, cmdline" \
	absent -e "$SECRET_B64" -e "$SECRET_HEX" -e "$SECRET_HEX_COLON" \
	"$lab/exporter.err" "$lab/exporter.out" "$lab/metrics.txt" \
	"$lab/page.html" "$lab/cmdline.txt"
check "(and the logs were written at debug: $(wc -l <"$lab/exporter.err") lines)" \
	grep -q 'level=debug' "$lab/exporter.err"
finish test_secrets
