#!/usr/bin/python3
"""Goal 8: reading a 1,000-subnet dhcpd.conf, ours next to dhcpd-pools.

    parse_cost.py BUILD OUT.json [--runs N]

Generates the file with tests/dhcpdconf/gen_large.py, then measures:
  - our parser in process: BUILD/tests/dhcpdconf_dump --bench (mean and
    best of 200 parses, each a dhcpdconf_load + dhcpdconf_free);
  - as whole processes, N runs each, alternating: dhcpdconf_dump --count
    (read the file and its includes, print the counts) and dhcpd-pools -c
    FILE -l EMPTY -f c (read it and an empty leases file, print its range
    table), and dhcpd -t -cf FILE as a second peer.
Wall and CPU (user + system) time of each; on a busy machine the CPU time
is the steadier figure.  Writes the figures as JSON; the ratio is
dhcpd-pools' CPU time over ours.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """(wall, CPU user+system) seconds of one run of cmd."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    t = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return t, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    dump = os.path.join(a.build, "tests", "dhcpdconf_dump")
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "large1000.conf")
        empty = os.path.join(tmp, "empty.leases")
        with open(conf, "w") as f:
            subprocess.run([sys.executable, os.path.join(
                HERE, "..", "dhcpdconf", "gen_large.py")], stdout=f,
                check=True)
        open(empty, "w").close()
        inproc = json.loads(subprocess.run(
            [dump, "--bench", "200", conf], capture_output=True, text=True,
            check=True).stdout)
        model = json.loads(subprocess.run([dump, conf], capture_output=True,
                                          text=True, check=True).stdout)
        cmds = {
            "ours": [dump, "--count", "1", conf],
            "dhcpd_pools": ["dhcpd-pools", "-c", conf, "-l", empty, "-f",
                            "c"],
            "dhcpd_t": ["/usr/sbin/dhcpd", "-4", "-q", "-t", "-cf", conf],
        }
        times = {k: [] for k in cmds}
        cpu = {k: [] for k in cmds}
        for _ in range(a.runs):
            for k, c in cmds.items():
                w, u = run(c)
                times[k].append(w)
                cpu[k].append(u)
        res = {
            "bytes": os.path.getsize(conf),
            "subnets": len(model["subnets"]),
            "ranges": len(model["ranges"]),
            "runs": a.runs,
            "parse_mean_s": inproc["mean_s"],
            "parse_best_s": inproc["best_s"],
            "parse_cpu_s": inproc["cpu_mean_s"],
        }
        for k, v in times.items():
            res[k + "_mean_s"] = sum(v) / len(v)
            res[k + "_best_s"] = min(v)
            res[k + "_cpu_s"] = sum(cpu[k]) / len(cpu[k])
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    print(json.dumps(res))


if __name__ == "__main__":
    main()
