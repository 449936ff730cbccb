#!/usr/bin/python3
"""Compare dhcpd_exporter's per-lease series with pypureomapi sweeps.

  check_lease_info.py METRICS TRUTH MAX_SERIES BEFORE.jsonl AFTER.jsonl

BEFORE and AFTER are ref_sweep.py sweeps taken just before and after the
exporter's; leases expire in the lab all the time, so each address must
agree with one of them.  Checks, for every address of every pool: a
dhcpd_lease_info series exactly when the reference holds a lease in state
active, abandoned or backup and it is among the first MAX_SERIES such
addresses (in address order, the sweep's), with the reference's pool, MAC,
hostname and state; dhcpd_lease_end_timestamp_seconds equal to its ends;
the cap; and dhcpd_exporter_lease_info_dropped equal to the leases left
out.  Prints one line per check and "N passed, N failed".
"""
import ipaddress
import json
import re
import sys

import check_exporter as ce

WANTED = ("active", "abandoned", "backup")
check = ce.check


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n"
                  else m.group(1), v)


def parse(path):
    """{name: [labels dict, value]} of the lease families."""
    out = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = ce.LINE.match(line)
        if not m:
            check(False, "unparsable line %r" % line)
            continue
        labels = {k: unescape(v) for k, v in ce.LABEL.findall(m.group(3) or "")}
        out.setdefault(m.group(1), []).append((labels, float(m.group(4))))
    return out


def reference(path, spans):
    """{ip: (pool, mac, hostname, state, ends)} of the wanted leases."""
    ref = {}
    for line in open(path):
        o = json.loads(line)
        if o.get("state") not in WANTED:
            continue
        n = int(ipaddress.ip_address(o["ip-address"]))
        pool = next(p for a, b, p in spans if a <= n <= b)
        ref[n] = (pool, o.get("hardware-address", ""),
                  o.get("client-hostname", ""), o["state"], o.get("ends", 0))
    return ref


def main():
    metrics, truthf, cap, before, after = sys.argv[1:6]
    cap = int(cap)
    spans = ce.pool_of(json.load(open(truthf)))
    refs = [reference(before, spans), reference(after, spans)]
    s = parse(metrics)
    info, ends = {}, {}
    for labels, v in s.get("dhcpd_lease_info", []):
        n = int(ipaddress.ip_address(labels["ip"]))
        check(n not in info, "one dhcpd_lease_info series for %s" % labels["ip"])
        check(v == 1, "dhcpd_lease_info %s is 1" % labels["ip"])
        info[n] = (labels["pool"], labels["mac"], labels["hostname"],
                   labels["state"])
        check(labels["server"] == "lab", "server label of %s" % labels["ip"])
    for labels, v in s.get("dhcpd_lease_end_timestamp_seconds", []):
        ends[int(ipaddress.ip_address(labels["ip"]))] = (labels["pool"], v)
    dropped = [v for _, v in s.get("dhcpd_exporter_lease_info_dropped", [])]
    check(len(dropped) == 1, "one dropped count (%s)" % dropped)
    # The exporter's lease set is that of one reference, or between them.
    totals = [len(r) for r in refs]
    check(len(info) == min(cap, max(totals)) or
          len(info) == min(cap, min(totals)) or
          min(cap, min(totals)) <= len(info) <= min(cap, max(totals)),
          "%d series for %s eligible leases, cap %d" % (len(info), totals,
                                                       cap))
    check(len(info) <= cap, "the cap holds: %d <= %d" % (len(info), cap))
    check(dropped and min(totals) <= len(info) + dropped[0] <= max(totals),
          "kept %d + dropped %s = eligible %s" % (len(info), dropped, totals))
    # Every address of every pool.
    kept = 0
    ranks = [{m: i for i, m in enumerate(sorted(r))} for r in refs]
    for n in sorted(set(refs[0]) | set(refs[1]) | set(info)):
        ip = str(ipaddress.ip_address(n))
        got = info.get(n)
        ok = False
        for r, rk in zip(refs, ranks):
            want = r.get(n)
            if want is None:
                ok = ok or got is None
                continue
            # Kept when it is among the first `cap` wanted addresses of
            # that reference, in address order.
            if rk[n] >= cap:
                ok = ok or got is None
            elif got is not None and got == want[:4]:
                e = ends.get(n)
                end_ok = (e is None) if want[4] in (0, 0xffffffff) else \
                    (e is not None and e == (want[0], want[4]))
                ok = ok or end_ok
        check(ok, "%s: exporter %s, reference %s" % (
            ip, got, [r.get(n) for r in refs]))
        kept += got is not None
    check(kept == len(info), "no series outside the pools")
    check(set(ends) <= set(info), "an end only for a lease with info")
    check(any("\u00e9" in v[2] for v in info.values()) or cap < 1000,
          "the UTF-8 hostname arrived intact")
    print("%d passed, %d failed" % (ce.passed, ce.failed))
    return 1 if ce.failed else 0


if __name__ == "__main__":
    sys.exit(main())
