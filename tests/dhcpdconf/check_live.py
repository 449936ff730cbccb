#!/usr/bin/python3
"""Compare what src/dhcpdconf read with what a running dhcpd serves.

    check_live.py DUMP.json OMAPICTL [--sample N] [--seed S]

Run inside the namespace of a dhcpd started on the same file, OMAPI on
127.0.0.1:7911 without a key.  Every address of every declared subnet
is looked up (omapictl lease sweep, one subnet at a time); with
--sample N only N subnets picked at random are swept whole, and the
edges of every range (first-1, first, last, last+1) are looked up in all
of them.  Asserts:
  - an address answers exactly when it lies in a range we parsed;
  - every address of one of our ranges answers with one pool handle, and
    two ranges share a handle exactly when we put them in one pool.
Prints one line per finding and a summary; exit 1 on any mismatch.
"""
import argparse
import bisect
import ipaddress
import json
import random
import subprocess
import sys


def ip(s):
    return int(ipaddress.IPv4Address(s))


def sweep(omapictl, first, last):
    """{address: pool handle or None} for first..last (omapictl sweep)."""
    out = {}
    addr = first
    while addr <= last:
        end = min(last, addr + 65535)
        p = subprocess.run([omapictl, "lease", "sweep",
                            str(ipaddress.IPv4Address(addr)),
                            str(ipaddress.IPv4Address(end))],
                           capture_output=True, text=True, check=False)
        if p.returncode != 0:
            sys.exit("omapictl sweep %s-%s failed: %s" % (
                ipaddress.IPv4Address(addr), ipaddress.IPv4Address(end),
                p.stderr.strip()))
        for line in p.stdout.splitlines():
            f = dict(w.split("=", 1) for w in line.split())
            a = ip(f["ip-address"])
            out[a] = None if "error" in f else int(f["pool"])
        addr = end + 1
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("omapictl")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    d = json.load(open(a.dump))
    ranges = [(ip(r["first"]), ip(r["last"]), r["pool"]) for r in d["ranges"]]
    subnets = [(ip(s["net"]), ip(s["mask"])) for s in d["subnets"]]
    chosen = subnets
    if a.sample and a.sample < len(subnets):
        chosen = random.Random(a.seed).sample(subnets, a.sample)
    seen = {}
    for net, mask in chosen:
        seen.update(sweep(a.omapictl, net, net | (~mask & 0xffffffff)))
    edges = 0
    if chosen is not subnets:
        for first, last, _ in ranges:
            for x in (first - 1, first, last, last + 1):
                if x not in seen and 0 <= x <= 0xffffffff:
                    seen.update(sweep(a.omapictl, x, x))
                    edges += 1

    byfirst = sorted(ranges)
    starts = [r[0] for r in byfirst]

    def ours(x):
        i = bisect.bisect_right(starts, x) - 1
        if i >= 0 and byfirst[i][0] <= x <= byfirst[i][1]:
            return byfirst[i][2]
        return None

    bad = 0
    handles = {}    # our pool -> set of dhcpd pool handles
    for x in sorted(seen):
        mine = ours(x)
        if (seen[x] is None) != (mine is None):
            bad += 1
            if bad <= 10:
                print("MISMATCH %s: dhcpd %s, parser %s" % (
                    ipaddress.IPv4Address(x),
                    "not found" if seen[x] is None else "serves it",
                    "no range" if mine is None else "range (pool %d)" % mine))
        if mine is not None and seen[x] is not None:
            handles.setdefault(mine, set()).add(seen[x])
    owner = {}
    for pool, hs in sorted(handles.items()):
        if len(hs) != 1:
            bad += 1
            print("POOL %d: dhcpd splits it over handles %s" % (
                pool, sorted(hs)))
        for h in hs:
            if h in owner and owner[h] != pool:
                bad += 1
                print("POOL %d and %d: dhcpd serves both from handle %d" % (
                    owner[h], pool, h))
            owner.setdefault(h, pool)
    print("%d subnets of %d swept%s, %d addresses, %d in ranges, "
          "%d pools (%d dhcpd handles), %d mismatches" % (
              len(chosen), len(subnets),
              " + %d range edges" % edges if edges else "", len(seen),
              sum(1 for x in seen if seen[x] is not None), len(handles),
              len(owner), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
