#!/usr/bin/python3
"""Compare dhcpd_exporter's metrics with an independent pypureomapi sweep.

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
                       "expiring": [0] * 5, "earliest": 0}
           for p in truth["pools"]}
    for line in open(path):
        o = json.loads(line)
        if "state" not in o:
            continue
        ip = int(ipaddress.ip_address(o["ip-address"]))
        name = next(n for a, b, n in spans if a <= ip <= b)
        a = agg[name]
        a["states"][o["state"]] += 1
        ends = o.get("ends", 0)
        if o["state"] != "active" or ends in (0, 0xffffffff):
            continue
        for i, h in enumerate(HORIZONS):
            if ends <= now + h:
                a["expiring"][i] += 1
        if a["earliest"] == 0 or ends < a["earliest"]:
            a["earliest"] = ends
    return agg


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
