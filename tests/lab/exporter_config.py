#!/usr/bin/python3
"""Write a dhcpd_exporter YAML configuration for a lab from its truth file.

  exporter_config.py LABDIR [--listen ADDR] [--address IP] [--sweep-interval 30s]
                     [--max-rate N] [--poll-interval 5s] [--extra-host NAME]
                     [--window N] [--lease-info MAX_SERIES] [--class NAME]
                     [--dhcpd-conf [FILE]]

Every pool of the truth file becomes a configured pool with its ranges,
every declared host a watched host; the key is read from the lab's key file.
With --dhcpd-conf the exporter also reads the lab's dhcpd.conf, or FILE
(dhcpd_conf):
the YAML pools then name the pools discovered there, one per dhcpd pool (the
first of the truth file's pools with the same server_pool; two YAML pools
naming one discovered pool is a configuration error).
--address is where the exporter
reaches dhcpd's OMAPI (default 127.0.0.1: the exporter runs in the lab's
namespace; the demo's exporter runs outside and names the veth address).
"""
import argparse
import json
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("labdir")
    ap.add_argument("--listen", default="127.0.0.1:9367")
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--poll-interval", default="5s")
    ap.add_argument("--sweep-interval", default="30s")
    ap.add_argument("--max-rate", default="0")
    ap.add_argument("--extra-host", action="append", default=[])
    ap.add_argument("--window", default=None)
    ap.add_argument("--dhcpd-conf", nargs="?", const="")
    ap.add_argument("--lease-info", type=int, default=None)
    ap.add_argument("--class", dest="classes", action="append", default=[],
                    help="a class to watch (classes: [NAME, ...])")
    a = ap.parse_args()
    truth = json.load(open(os.path.join(a.labdir, "truth.json")))
    keyfile = os.path.join(a.labdir, "omapi.key")
    out = [
        "listen: \"%s\"" % a.listen,
        "poll_interval: %s" % a.poll_interval,
        "servers:",
        "  - name: lab",
        "    address: %s" % a.address,
        "    port: %d" % truth.get("port", 7911),
        "    timeout: 2s",
    ]
    if os.path.exists(keyfile):
        out.append("    key: { key_file: %s }" % keyfile)
    if a.dhcpd_conf is not None:
        out.append("    dhcpd_conf: %s" % (a.dhcpd_conf or
                                           os.path.join(a.labdir, "dhcpd.conf")))
    out += [
        "    sweep:",
        "      interval: %s" % a.sweep_interval,
        "      max_rate: %s" % a.max_rate,
    ]
    if a.window:
        out.append("      window: %s" % a.window)
    if a.lease_info is not None:
        out.append("    lease_info: { enabled: true, max_series: %d }"
                   % a.lease_info)
    if a.classes:
        out.append("    classes: [%s]" % ", ".join(a.classes))
    out.append("    pools:")
    named = set()
    for p in truth["pools"]:
        if a.dhcpd_conf is not None:
            if p.get("server_pool", p["name"]) in named:
                continue
            named.add(p.get("server_pool", p["name"]))
        out.append("      - name: %s" % p["name"])
        out.append("        ranges: [%s]" %
                   ", ".join('"%s"' % r for r in p["ranges"]))
        if p.get("shared_network"):
            out.append("        labels: { network: %s }" % p["shared_network"])
    if truth.get("hosts") or a.extra_host:
        out.append("    hosts:")   # an empty list is a configuration error
    for h in truth.get("hosts", []):
        out.append("      - name: %s" % h["name"])
    for h in a.extra_host:
        out.append("      - name: %s" % h)
    print("\n".join(out))


if __name__ == "__main__":
    main()
