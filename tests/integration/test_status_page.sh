#!/bin/bash
# The exporter's status page (/) against the default lab (8 pools):
#  - no JavaScript, no external assets: no <script, no on...= handler, no
#    <link>, <img>, <iframe>, url() or @import, and every src/href is a path
#    of the exporter's own;
#  - the server's state, a link to /metrics, the age of the last sweep;
#  - one bar per configured pool, each with a free, active, abandoned and
#    backup segment whose counts (titles) equal what /metrics says for that
#    pool and state, and whose widths add up to the whole bar;
#  - without dhcpd_conf, no shared-network groups;
#  - per pool, the active leases seen within 5 min and 1 h and the age of
#    the last client transaction, as /metrics says (some pools non-zero);
#  - a screenshot by headless Chromium (inside the lab's namespace), which
#    must be a 1280x900 PNG where the bar colours, the up badge and text
#    actually show; its path is printed;
#  - then with dhcpd_conf (the lab's dhcpd.conf): the pools grouped by
#    shared network, in name order, each group headed by its name, its
#    number of pools and its totals, which equal
#    dhcpd_shared_network_addresses/_free_addresses and the sum of its
#    pools' dhcpd_pool_addresses; every pool of dhcpd_pool_info in the
#    group of its shared_network label and in no other; each group's bar
#    whole; a second screenshot, of that page.
# Needs root. BUILD selects the binaries; the screenshots go to
# $BUILD/status-page.png and $BUILD/status-page-shared.png.
set -u
. "$(dirname "$0")/lib.sh"
suite_init page 19430
SHOT=$BIN/status-page.png
SHOT2=$BIN/status-page-shared.png
chrome_pid=
cleanup() {
	# Chromium runs in a session of its own: its helpers go with it.
	[ -n "$chrome_pid" ] && kill -9 -- "-$chrome_pid" 2>/dev/null
	stop_lab_and_exporter
}

# No active content and nothing fetched from elsewhere.
self_contained() {
	local bad
	bad=$(grep -o -i -E '<script|<link|<img|<iframe|<object|<embed|@import|url\(|[[:space:]]on[a-z]+=' \
		"$lab/page.html" | sort -u)
	bad="$bad$(grep -o -i -E '(src|href|action)="[^"]*"' "$lab/page.html" |
		grep -v -E '="/[^/]' | grep -v -F "=\"http://127.0.0.1:$PORT/")"
	bad="$bad$(grep -o -i -E 'https?://[^"<> ]*' "$lab/page.html" |
		grep -v -F "http://127.0.0.1:$PORT/")"
	[ -z "$bad" ] || { echo "  $bad" | head -5 >&2; return 1; }
}
# Every pool of the truth file has a bar whose four states match /metrics.
bars_match_metrics() {
	$PY - "$lab/page.html" "$lab/metrics.txt" "$LAB_TRUTH" <<'EOF'
import html, json, re, sys
page = open(sys.argv[1]).read()
metrics = open(sys.argv[2]).read()
pools = [p["name"] for p in json.load(open(sys.argv[3]))["pools"]]
rows = re.findall(r'<tr><td>([^<]*)</td>.*?<div class="bar">(.*?)</div>', page)
bars = {html.unescape(n): b for n, b in rows}
bad = 0
for pool in pools:
    if pool not in bars:
        print("  no bar for pool %s" % pool, file=sys.stderr); bad = 1; continue
    segs = re.findall(r'<span class="([a-z]+)" style="width:([0-9.]+)%" '
                      r'title="([a-z/]+) ([0-9]+)"></span>', bars[pool])
    total = sum(float(w) for _, w, _, _ in segs)
    if abs(total - 100) > 0.01:
        print("  %s: widths add up to %.3f%%" % (pool, total), file=sys.stderr); bad = 1
    got = {c: int(n) for c, _, _, n in segs}
    for state in ("free", "active", "abandoned", "backup"):
        m = re.search(r'^dhcpd_pool_leases\{server="lab",pool="%s",(?:[^}]*,)?'
                      r'state="%s"\} (\S+)$' % (re.escape(pool), state), metrics, re.M)
        want = int(float(m.group(1))) if m else None
        if got.get(state) != want:
            print("  %s %s: bar %s, /metrics %s" % (pool, state, got.get(state), want),
                  file=sys.stderr); bad = 1
print("  %d pools, %d bars" % (len(pools), len(bars)))
sys.exit(bad or len(bars) != len(pools))
EOF
}
# The groups of the page: every shared network of /metrics heads one, in
# name order, with its pools (dhcpd_pool_info) and its totals.
groups_match_metrics() {
	$PY - "$lab/page.html" "$lab/metrics2.txt" <<'EOF'
import html, re, sys
page = open(sys.argv[1]).read()
page = page[page.index("<th>Pool</th>"):]
page = page[:page.index("</table>")]	# the pool table only
metrics = open(sys.argv[2]).read()
def series(name):
    out = {}
    for m in re.finditer(r'^%s\{([^}]*)\} (\S+)$' % name, metrics, re.M):
        lbl = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1)))
        out[(lbl.get("pool"), lbl.get("shared_network"))] = float(m.group(2))
    return out
sn_addrs = {k[1]: v for k, v in series("dhcpd_shared_network_addresses").items()}
sn_free = {k[1]: v for k, v in series("dhcpd_shared_network_free_addresses").items()}
members = {}
for (pool, sn) in series("dhcpd_pool_info"):
    members.setdefault(sn, set()).add(pool)
pool_addrs = {k[0]: v for k, v in series("dhcpd_pool_addresses").items()}
bad, names = [], []
for g in re.findall(r'<tbody class="sn">(.*?)</tbody>', page, re.S):
    m = re.match(r'<tr class="sn"><td><b>([^<]*)</b></td><td class="lbl">'
                 r'shared network, ([0-9]+) pools?</td><td class="n">([0-9]+)'
                 r'</td><td class="n">([0-9]+)</td><td class="n">[0-9.]+%</td>'
                 r'<td><div class="bar">(.*?)</div></td><td colspan="3"></td></tr>', g)
    if not m:
        bad.append("a group without a shared network heading: %s" % g[:120])
        continue
    sn = html.unescape(m.group(1))
    names.append(sn)
    pools = {html.unescape(p) for p in re.findall(r'<tr><td>([^<]*)</td>', g)}
    if pools != members.get(sn, set()):
        bad.append("%s: pools %s, dhcpd_pool_info %s" %
                   (sn, sorted(pools), sorted(members.get(sn, ()))))
    if int(m.group(2)) != len(pools):
        bad.append("%s: the heading says %s pools, %d rows" %
                   (sn, m.group(2), len(pools)))
    addrs, free = float(m.group(3)), float(m.group(4))
    if addrs != sn_addrs.get(sn) or free != sn_free.get(sn):
        bad.append("%s: %g/%g on the page, %s/%s on /metrics" %
                   (sn, addrs, free, sn_addrs.get(sn), sn_free.get(sn)))
    if addrs != sum(pool_addrs.get(p, 0) for p in pools):
        bad.append("%s: %g addresses, its pools sum to %g" %
                   (sn, addrs, sum(pool_addrs.get(p, 0) for p in pools)))
    widths = [float(w) for w in re.findall(r'style="width:([0-9.]+)%"', m.group(5))]
    seg = re.search(r'title="free ([0-9]+)"', m.group(5))
    if abs(sum(widths) - 100) > 0.01 or not seg or float(seg.group(1)) != free:
        bad.append("%s: bar %s" % (sn, m.group(5)))
if names != sorted(sn_addrs) or len(names) < 2:
    bad.append("groups %s, shared networks on /metrics %s" % (names, sorted(sn_addrs)))
rows = len(re.findall(r'<tr><td>', page))
if rows != sum(len(v) for v in members.values()):
    bad.append("%d pool rows, %d pools in dhcpd_pool_info" %
               (rows, sum(len(v) for v in members.values())))
for b in bad:
    print("  " + b, file=sys.stderr)
print("  %d groups: %s" % (len(names), ", ".join(
    "%s (%d)" % (n, len(members.get(n, ()))) for n in names)))
sys.exit(1 if bad else 0)
EOF
}
# A screenshot of URL $1 into $2 by headless Chromium, from inside the
# lab's namespace; its exit status in rc.
screenshot() {
	rm -f "$2"
	ip netns exec "$LAB_NETNS" setsid timeout 60 /usr/bin/chromium --headless \
		--no-sandbox --disable-gpu --user-data-dir="$lab/chromium" \
		--screenshot="$2" --window-size=1280,900 "$1" \
		>"$lab/chromium.log" 2>&1 &
	chrome_pid=$!
	wait "$chrome_pid"
	rc=$?
	chrome_pid=
}
# Every pool's client activity cells say what /metrics says: active leases
# seen within 5 min and within 1 h, and the last client's age.
activity_matches_metrics() {
	$PY - "$lab/page.html" "$lab/metrics.txt" "$LAB_TRUTH" <<'EOF'
import html, json, re, sys
page = open(sys.argv[1]).read()
metrics = open(sys.argv[2]).read()
pools = [p["name"] for p in json.load(open(sys.argv[3]))["pools"]]
rows = re.findall(r'<tr><td>([^<]*)</td>.*?'
                  r'<td class="n" title="active leases seen within 5 min">(\d+)</td>'
                  r'<td class="n" title="active leases seen within 1 h">(\d+)</td>'
                  r'<td>(.*?)</td></tr>', page)
cells = {html.unescape(n): (int(a), int(b), last) for n, a, b, last in rows}
def metric(name, pool, extra=""):
    for m in re.finditer(r'^%s\{server="lab",pool="%s"([,}][^ ]*) (\S+)$'
                         % (name, re.escape(pool)), metrics, re.M):
        if extra in m.group(1):
            return int(float(m.group(2)))
    return None
bad = 0
for pool in pools:
    if pool not in cells:
        print("  no activity cells for pool %s" % pool, file=sys.stderr); bad = 1; continue
    a, b, last = cells[pool]
    want = (metric("dhcpd_pool_active_leases_seen", pool, 'within_seconds="300"'),
            metric("dhcpd_pool_active_leases_seen", pool, 'within_seconds="3600"'))
    if (a, b) != want:
        print("  %s: page %s, /metrics %s" % (pool, (a, b), want), file=sys.stderr); bad = 1
    ts = metric("dhcpd_pool_last_client_transaction_timestamp_seconds", pool)
    if ts is None and last != "never" or ts is not None and "ago" not in last:
        print("  %s: last client %r, /metrics %s" % (pool, last, ts), file=sys.stderr); bad = 1
print("  %d pools with activity cells, %d with some in the last hour" %
      (len(cells), sum(1 for c in cells.values() if c[1])))
sys.exit(bad or len(cells) != len(pools) or not any(c[0] for c in cells.values()))
EOF
}
# The PNG is 1280x900 and shows the page's colours: pixels of each bar
# colour and of the up badge, and dark text.
png_shows_page() {
	$PY - "$SHOT" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
assert (w, h) == (1280, 900), "size %dx%d" % (w, h)
assert depth == 8 and ctype in (2, 6) and interlace == 0, "PNG format %s" % (hdr,)
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
prev, counts, i = bytearray(stride), {}, 0
want = {"active": (0x15, 0x65, 0xc0), "free": (0xa5, 0xd6, 0xa7),
        "abandoned": (0xe5, 0x39, 0x35), "other": (0x90, 0xa4, 0xae),
        "up badge": (0x2e, 0x7d, 0x32), "text": (0x22, 0x22, 0x22)}
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = tuple(line[x:x + 3])
        counts[px] = counts.get(px, 0) + 1
    prev = line
seen = {k: counts.get(v, 0) for k, v in want.items()}
print("  pixels: " + ", ".join("%s %d" % kv for kv in seen.items()))
sys.exit(0 if all(n >= 50 for n in seen.values()) else 1)
EOF
}

tests/lab/lab.sh start "$lab" >/dev/null || { echo "lab did not start"; exit 1; }
. "$lab/env"
# The exporter on the lab (exporter_config.py's options after $1) until
# its sweep is on /metrics: one sweep at start (1h interval), so the page
# and /metrics agree. /metrics into $lab/metrics$1.txt, / into page.html.
serve_and_scrape() {
	local n=$1
	shift
	$PY tests/lab/exporter_config.py "$lab" --listen "127.0.0.1:$PORT" \
		--poll-interval 1s --sweep-interval 1h "$@" >"$lab/exp$n.yml"
	start_exporter --config.file="$lab/exp$n.yml"
	wait_up 1 15 || return 1
	for _ in $(seq 1 50); do
		scrape | grep -q '^dhcpd_exporter_last_sweep_timestamp_seconds' && break
		sleep 0.2
	done
	scrape >"$lab/metrics$n.txt" && scrape / >"$lab/page.html"
}
check "exporter up" serve_and_scrape ""
check "/ answers with HTML" grep -q '^<!DOCTYPE html>' "$lab/page.html"
check "no JavaScript, no external assets, only the exporter's own links" self_contained
check "the server's state: lab up" \
	grep -q -F 'lab <span class="st up">up</span>' "$lab/page.html"
check "a link to /metrics" grep -q -F '<a href="/metrics">' "$lab/page.html"
check "the sweep's age" grep -q -E \
	'Last sweep: <span title="[0-9-]+ [0-9:]+ UTC">[0-9]+ s ago</span>' "$lab/page.html"
check "a bar per pool: free, active, abandoned, backup, as in /metrics" \
	bars_match_metrics
check "without dhcpd_conf, no shared-network groups" \
	absent -e 'class="sn"' "$lab/page.html"
check "client activity per pool, as in /metrics" activity_matches_metrics

screenshot "http://127.0.0.1:$PORT/" "$SHOT"
check "headless Chromium took the screenshot (exit $rc)" [ "$rc" -eq 0 -a -s "$SHOT" ]
[ "$rc" -eq 0 ] || tail -5 "$lab/chromium.log" | sed 's/^/  /'
size=$(stat -c %s "$SHOT" 2>/dev/null || echo 0)
check "the screenshot is a PNG over 10 KB ($size bytes)" sh -c \
	"[ $size -gt 10240 ] && head -c 8 '$SHOT' | od -An -c | grep -q 'P   N   G'"
check "the screenshot shows the bars, the up badge and text" png_shows_page
echo "screenshot: $SHOT"

# The same lab with dhcpd_conf: the pools grouped by shared network.
stop_exporter
check "exporter up with dhcpd_conf" serve_and_scrape 2 --dhcpd-conf
check "pools grouped by shared network, with the totals of /metrics" \
	groups_match_metrics
check "the grouped page: no JavaScript, no external assets" self_contained
screenshot "http://127.0.0.1:$PORT/" "$SHOT2"
check "headless Chromium took the grouped page's screenshot (exit $rc)" \
	[ "$rc" -eq 0 -a -s "$SHOT2" ]
echo "screenshot: $SHOT2"
finish test_status_page
