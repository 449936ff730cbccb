#!/bin/bash
# omapictl --json lease ip against pypureomapi, attribute for attribute, on
# every address of every range of a real dhcpd (the lab's default profile).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
lab=$(mktemp -d /tmp/dxcmp.XXXXXX)
trap 'tests/lab/lab.sh stop "$lab" >/dev/null 2>&1; rm -rf "$lab"' EXIT
trap 'exit 130' INT TERM
tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
# One process inside the namespace walks every address with omapictl.
cat >"$lab/walk.sh" <<EOS
/usr/bin/python3 -c '
import ipaddress, json
for p in json.load(open("$LAB_TRUTH"))["pools"]:
    for r in p["ranges"]:
        a, b = (int(ipaddress.ip_address(x)) for x in r.split("-"))
        for i in range(a, b + 1):
            print(ipaddress.ip_address(i))' | while read ip; do
	if ! out=\$($PWD/$BUILD/omapictl -K "$LAB_KEYFILE" --json lease ip \$ip 2>/dev/null); then
		out="{\"ip-address\": \"\$ip\", \"error\": \"not found\"}"
	fi
	echo "\$out"
done
EOS
tests/lab/lab.sh exec "$lab" /usr/bin/python3 tests/lab/ref_sweep.py >"$lab/ref.jsonl" 2>/dev/null
tests/lab/lab.sh exec "$lab" bash "$lab/walk.sh" >"$lab/ours.jsonl"
/usr/bin/python3 - "$lab/ref.jsonl" "$lab/ours.jsonl" <<'EOS'
import json, sys
ref = [json.loads(l) for l in open(sys.argv[1])]
ours = [json.loads(l) for l in open(sys.argv[2])]
bad = [(r, o) for r, o in zip(ref, ours) if r != o]
# A lease that expired between the two walks differs only in its state.
moved = [(r, o) for r, o in bad
         if {k for k in set(r) | set(o) if r.get(k) != o.get(k)} <= {"state"}]
for r, o in bad:
    if (r, o) not in moved:
        print("differs:", r, o)
print("compared %d addresses, %d identical, %d changed state in between"
      % (len(ref), len(ref) - len(bad), len(moved)))
ok = len(ref) == len(ours) and len(ref) > 1000 and len(bad) == len(moved)
print("compare: %d passed, %d failed" % (1 if ok else 0, 0 if ok else 1))
sys.exit(0 if ok else 1)
EOS
