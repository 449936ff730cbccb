#!/usr/bin/python3
"""Compare dhcpd_exporter's metrics with an independent pypureomapi sweep
(and its client activity gauges with the cltt values the lab wrote too).

  check_exporter.py METRICS TRUTH BEFORE.jsonl AFTER.jsonl

BEFORE and AFTER are full ref_sweep.py sweeps (one JSON object per address)
taken just before and just after the exporter's run, and the pool counters
(ref_sweep.py --pool-counters) are in BEFORE.pc / AFTER.pc.  Leases in the
lab expire all the time, so each figure must equal what one of the two
reference sweeps saw.  Prints one line per check and "N passed, N failed".
"""
import ipaddress
import json
import re
import sys

STATES = ["free", "active", "expired", "released", "abandoned", "reset",
          "backup"]
HORIZONS = [300, 900, 3600, 14400, 86400]
SEEN = [300, 900, 3600]
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print("%s: %s" % ("ok" if ok else "FAIL", what))


def parse_metrics(path):
    series = {}
    for line in open(path):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            check(False, "unparsable line: %r" % line)
            continue
        labels = tuple(sorted(LABEL.findall(m.group(3) or "")))
        series[(m.group(1), labels)] = float(m.group(4))
    return series


def get(series, name, **labels):
    return series.get((name, tuple(sorted(labels.items()))))


def pool_of(truth):
    spans = []
    for p in truth["pools"]:
        for r in p["ranges"]:
            a, b = r.split("-")
            spans.append((int(ipaddress.ip_address(a)),
                          int(ipaddress.ip_address(b)), p["name"]))
    return spans


def aggregate(path, truth, now):
    """Per pool: state counts, expiry counts, earliest end."""
    spans = pool_of(truth)
    agg = {p["name"]: {"states": dict.fromkeys(STATES, 0),
                       "expiring": [0] * 5, "earliest": 0,
                       "seen": [0] * len(SEEN), "last": 0}
           for p in truth["pools"]}
    for line in open(path):
        o = json.loads(line)
        if "state" not in o:
            continue
        ip = int(ipaddress.ip_address(o["ip-address"]))
        name = next(n for a, b, n in spans if a <= ip <= b)
        a = agg[name]
        a["states"][o["state"]] += 1
        count_activity(a, o["state"], o.get("cltt", 0), now)
        ends = o.get("ends", 0)
        if o["state"] != "active" or ends in (0, 0xffffffff):
            continue
        for i, h in enumerate(HORIZONS):
            if ends <= now + h:
                a["expiring"][i] += 1
        if a["earliest"] == 0 or ends < a["earliest"]:
            a["earliest"] = ends
    return agg


def count_activity(a, state, cltt, now):
    """Client activity of one lease, as the exporter defines it."""
    if not cltt:
        return
    a["last"] = max(a["last"], cltt)
    if state != "active":
        return
    for i, h in enumerate(SEEN):
        if cltt + h >= now:
            a["seen"][i] += 1


def truth_activity(truth, now, slack):
    """Per pool, client activity from the cltt values gen_lab.py wrote:
    (seen counts of leases still active by now - slack, seen counts of
    those still active by now + slack, newest cltt)."""
    spans = pool_of(truth)
    out = {p["name"]: [[0] * len(SEEN), [0] * len(SEEN), 0]
           for p in truth["pools"]}
    for ip, rec in truth["leases"].items():
        n = int(ipaddress.ip_address(ip))
        name = next(nm for a, b, nm in spans if a <= n <= b)
        t = out[name]
        t[2] = max(t[2], rec.get("cltt", 0))
        for k, edge in ((0, now - slack), (1, now + slack)):
            if rec["state"] == "active" and rec["ends"] > edge:
                for i, h in enumerate(SEEN):
                    if rec["cltt"] + h >= now:
                        t[k][i] += 1
    return out


def check_activity(s, truth, refs, now, n, lab):
    """The activity gauges of pool n against both reference sweeps and
    against the lab's own cltt values (truth)."""
    tr = truth_activity(truth, now, 2)[n]
    for i, h in enumerate(SEEN):
        v = get(s, "dhcpd_pool_active_leases_seen",
                within_seconds=str(h), **lab)
        ref = [r[n]["seen"][i] for r in refs]
        check(v in ref, "seen %s within %ds = %s (reference %s)" % (
            n, h, v, ref))
        check(v is not None and tr[1][i] <= v <= tr[0][i],
              "seen %s within %ds = %s (leases file %d..%d)" % (
                  n, h, v, tr[1][i], tr[0][i]))
    v = get(s, "dhcpd_pool_last_client_transaction_timestamp_seconds", **lab)
    ref = [r[n]["last"] for r in refs]
    check((v or 0) in ref and (v or 0) == tr[2] and
          (v is None) == (tr[2] == 0),
          "last client transaction %s = %s (reference %s, leases file %s)"
          % (n, v, ref, tr[2]))


def counters(path):
    out = {}
    for line in open(path):
        o = json.loads(line)
        out[o["pool"]] = o
    return out


def main():
    metrics, truthf, before, after = sys.argv[1:5]
    truth = json.load(open(truthf))
    s = parse_metrics(metrics)
    now = get(s, "dhcpd_exporter_last_sweep_timestamp_seconds", server="lab")
    check(get(s, "dhcpd_up", server="lab") == 1, "dhcpd_up is 1")
    check(now is not None, "sweep timestamp present")
    now = int(now or 0)
    refs = [aggregate(before, truth, now), aggregate(after, truth, now)]
    pcs = [counters(before + ".pc"), counters(after + ".pc")]
    for p in truth["pools"]:
        n = p["name"]
        lab = {"server": "lab", "pool": n}
        if p.get("shared_network"):
            lab["network"] = p["shared_network"]
        for field, metric in (("lease-count", "dhcpd_pool_addresses"),
                              ("free-leases", "dhcpd_pool_free_addresses"),
                              ("backup-leases",
                               "dhcpd_pool_backup_addresses")):
            v = get(s, metric, **lab)
            check(any(v == pc[n][field] for pc in pcs),
                  "%s %s = %s (reference %s)" % (metric, n, v,
                  [pc[n][field] for pc in pcs]))
        for st in STATES:
            v = get(s, "dhcpd_pool_leases", state=st, **lab)
            check(any(v == r[n]["states"][st] for r in refs),
                  "dhcpd_pool_leases %s %s = %s (reference %s)" % (
                      n, st, v, [r[n]["states"][st] for r in refs]))
        for i, h in enumerate(HORIZONS):
            v = get(s, "dhcpd_pool_active_leases_expiring",
                    within_seconds=str(h), **lab)
            ref = [r[n]["expiring"][i] for r in refs]
            # The exporter measured from the moment it read each lease.
            check(v is not None and min(ref) - 2 <= v <= max(ref) + 2,
                  "expiring %s within %ds = %s (reference %s)" % (
                      n, h, v, ref))
        v = get(s, "dhcpd_pool_earliest_lease_end_timestamp_seconds", **lab)
        ref = [r[n]["earliest"] for r in refs]
        check((v or 0) in ref or (v is None and 0 in ref),
              "earliest end %s = %s (reference %s)" % (n, v, ref))
        check_activity(s, truth, refs, now, n, lab)
    # The lab's leases must give every horizon something to count, or the
    # checks above would pass on an exporter that reports zeros.
    tr = truth_activity(truth, now, 2)
    for i, h in enumerate(SEEN):
        check(sum(t[1][i] for t in tr.values()) > 0,
              "the leases file has active leases seen within %ds" % h)
    check(any(0 < t[1][0] < t[1][1] < t[1][2] for t in tr.values()),
          "a pool where each horizon adds leases")
    for h in truth.get("hosts", []):
        check(get(s, "dhcpd_host_present", server="lab", host=h["name"]) == 1,
              "host %s present" % h["name"])
        info = [k for k in s if k[0] == "dhcpd_host_info" and
                ("host", h["name"]) in k[1]]
        check(len(info) == 1 and ("mac", h["hardware-address"]) in info[0][1],
              "host %s info carries its MAC" % h["name"])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
