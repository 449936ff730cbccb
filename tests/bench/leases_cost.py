#!/usr/bin/python3
"""Goal 11: reading a 1,000,000-line dhcpd.leases, ours next to dhcpd-pools.

    leases_cost.py BUILD OUT.json [--runs N] [--lines N]

Writes a leases file as dhcpd 4.4 writes it (11-line IPv4 stanzas with
hardware address, uid and client hostname; one address in ten written
again later, as dhcpd appends every change) and the dhcpd.conf of its
range, then measures, N runs each, alternating, as whole processes:
  - BUILD/tests/leases_dump --count FILE (read the file, keep the last
    entry per address; the same reader as the exporter's);
  - dhcpd-pools -c CONF -l FILE -f c (its range table);
wall and CPU time (wait4) and the peak RSS (/usr/bin/time) of each
process.  Then the cost
of one poll's incremental read: leases_dump --poll reads the file, appends
1,000 new leases (11,000 lines) and reads again; the second read's time.
And the same first measure on a DHCPv6 file of as many lines (ia-na
stanzas) with its dhcpd6.conf, where dhcpd-pools reads range6.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

STANZA = ("lease %s {\n"
          "  starts 1 2026/12/07 06:00:00;\n"
          "  ends 1 2026/12/07 18:00:00;\n"
          "  cltt 1 2026/12/07 06:00:00;\n"
          "  binding state active;\n"
          "  next binding state free;\n"
          "  rewind binding state free;\n"
          "  hardware ethernet 00:16:3e:%02x:%02x:%02x;\n"
          "  uid \"\\001\\000\\026>%s\";\n"
          "  client-hostname \"host-%d\";\n"
          "}\n")


STANZA6 = ("ia-na \"\\001\\000\\000\\000\\000\\001\\000\\001%s\" {\n"
           "  cltt 1 2026/12/07 06:00:00;\n"
           "  iaaddr 2001:db8:0:%x::%x {\n"
           "    binding state active;\n"
           "    preferred-life 1800;\n"
           "    max-life 3600;\n"
           "    ends 1 2026/12/07 18:00:00;\n"
           "  }\n"
           "}\n")


def stanza6(i):
    duid = "".join("\\%03o" % b for b in i.to_bytes(6, "big"))
    return STANZA6 % (duid, 1 + (i >> 16), i & 0xffff)


def ip(i):
    return "10.%d.%d.%d" % (64 + (i >> 16), (i >> 8) & 255, i & 255)


def stanza(i):
    return STANZA % (ip(i), (i >> 16) & 255, (i >> 8) & 255, i & 255,
                     "%06x" % i, i)


def write_leases(path, lines, start=0, make=None):
    """Stanzas from address start on until `lines` lines; returns the next
    address.  make: the stanza writer (IPv4 by default)."""
    make = make or stanza
    per = make(0).count("\n")
    n = 0
    with open(path, "w") as f:
        f.write("# The format of this file is documented in the "
                "dhcpd.leases(5) manual page.\n"
                "authoring-byte-order little-endian;\n")
        written = 2
        i = start
        while written < lines:
            # every tenth stanza is an earlier address written again
            j = i - 5 if (i % 10 == 9 and i - 5 >= start) else i
            f.write(make(j))
            written += per
            n += 1
            i += 1
    return i


def run(cmd):
    """(wall s, CPU s, peak RSS KiB) of cmd: wall and CPU (microseconds)
    by wait4 on a run of its own, the peak by /usr/bin/time on another (a
    child forked from Python would count Python's pages as its peak)."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s failed" % " ".join(cmd))
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), r.stderr))
    return wall, ru.ru_utime + ru.ru_stime, int(r.stderr.split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", type=int, default=1000000)
    a = ap.parse_args()
    dump = os.path.join(a.build, "tests", "leases_dump")
    if not shutil.which("dhcpd-pools"):
        sys.exit("bench: dhcpd-pools is missing: run tests/deps.sh")
    tmp = tempfile.mkdtemp(prefix="dxleases.")
    try:
        leases = os.path.join(tmp, "dhcpd.leases")
        conf = os.path.join(tmp, "dhcpd.conf")
        end = write_leases(leases, a.lines)
        with open(conf, "w") as f:
            f.write("subnet 10.64.0.0 netmask 255.192.0.0 {\n"
                    "  range 10.64.0.0 10.127.255.255;\n}\n")
        size = os.path.getsize(leases)
        with open(leases) as f:
            nlines = sum(1 for _ in f)
        ours, peer = [], []
        for _ in range(a.runs):
            ours.append(run([dump, "--count", leases]))
            peer.append(run(["dhcpd-pools", "-c", conf, "-l", leases,
                             "-f", "c"]))
        counts = subprocess.run([dump, "--count", leases], check=True,
                                capture_output=True, text=True).stdout
        # one poll after 1,000 new leases
        more = os.path.join(tmp, "more.leases")
        with open(more, "w") as f:
            for i in range(end, end + 1000):
                f.write(stanza(i))
        polls = []
        for _ in range(a.runs):
            copy = os.path.join(tmp, "poll.leases")
            shutil.copyfile(leases, copy)
            out = subprocess.run([dump, "--poll", copy, more], check=True,
                                 capture_output=True, text=True).stdout
            f = dict(zip(out.split()[::2], out.split()[1::2]))
            polls.append((float(f["poll_read_s"]), float(f["first_read_s"]),
                          int(f["entries"])))
        med = lambda v: sorted(v)[len(v) // 2]
        res = {
            "lines": nlines, "bytes": size, "runs": a.runs,
            "entries": int(dict(zip(counts.split()[::2],
                                    counts.split()[1::2]))["entries"]),
            "ours_wall_s": med([r[0] for r in ours]),
            "ours_cpu_s": med([r[1] for r in ours]),
            "ours_rss_kib": max(r[2] for r in ours),
            "dhcpd_pools_wall_s": med([r[0] for r in peer]),
            "dhcpd_pools_cpu_s": med([r[1] for r in peer]),
            "dhcpd_pools_rss_kib": max(r[2] for r in peer),
            "poll_1000_s": med([p[0] for p in polls]),
            "whole_read_s": med([p[1] for p in polls]),
            "poll_entries": polls[0][2],
        }
        # DHCPv6: a range6 per 65,536 addresses, ia-na stanzas (9 lines)
        leases6 = os.path.join(tmp, "dhcpd6.leases")
        conf6 = os.path.join(tmp, "dhcpd6.conf")
        end6 = write_leases(leases6, a.lines, make=stanza6)
        with open(conf6, "w") as f:
            for k in range(1 + ((end6 - 1) >> 16)):
                f.write("subnet6 2001:db8:0:%x::/64 {\n  range6 "
                        "2001:db8:0:%x::0 2001:db8:0:%x::ffff;\n}\n"
                        % (k + 1, k + 1, k + 1))
        ours6, peer6 = [], []
        for _ in range(a.runs):
            ours6.append(run([dump, "--count", leases6]))
            peer6.append(run(["dhcpd-pools", "-c", conf6, "-l", leases6,
                              "-f", "c"]))
        res.update({
            "v6_bytes": os.path.getsize(leases6),
            "v6_ours_cpu_s": med([r[1] for r in ours6]),
            "v6_ours_rss_kib": max(r[2] for r in ours6),
            "v6_dhcpd_pools_cpu_s": med([r[1] for r in peer6]),
            "v6_dhcpd_pools_rss_kib": max(r[2] for r in peer6),
        })
        print(json.dumps(res))
        with open(a.out, "w") as f:
            json.dump(res, f)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
