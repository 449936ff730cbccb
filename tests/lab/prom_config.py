#!/usr/bin/python3
"""Write a local Prometheus configuration from the shipped examples.

  prom_config.py site OUTDIR --target HOST:PORT [--interval 5s]
                 [--for-divisor N | --for DURATION] [--external-label K=V]
                 [--no-target-labels] [--rules-extra FILE]
  prom_config.py global OUTDIR --target HOST:PORT [--interval 5s]

site: the `dhcpd_exporter` job of deploy/prometheus/prometheus.yml (job
name, relabelling, target labels as shipped; --no-target-labels drops the
example's `site: hq` so that external_labels name the site instead) with
TARGET as its only target, and a copy of deploy/prometheus/
dhcpd_exporter.rules.yml in OUTDIR/rules.yml whose only change is every
alert's `for:` (divided by N, or set to DURATION).
global: the `dhcpd_federate` job of deploy/prometheus/global.yml (path,
match[] parameters, honor_labels as shipped) with TARGET as its only
target.
Both: scrape and evaluation every INTERVAL, no Alertmanager.  Writes
OUTDIR/prometheus.yml and prints the alert durations it changed.
"""
import argparse
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.join(HERE, "..", "..", "deploy", "prometheus")
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(text):
    """Seconds of a Prometheus duration such as 1h30m or 10m."""
    parts = re.findall(r"(\d+)(ms|s|m|h|d)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise SystemExit("prom_config: bad duration %r" % text)
    return sum(int(n) * UNITS[u] for n, u in parts)


def demo_rules(src, dst, divisor, fixed):
    """Copy the rules with every alert's for: changed; return the changes."""
    doc = yaml.safe_load(open(src))
    changed = []
    for g in doc["groups"]:
        for r in g["rules"]:
            if "alert" not in r:
                continue
            old = r.get("for", "0s")
            new = fixed if fixed else "%ds" % max(1, seconds(old) // divisor)
            r["for"] = new
            changed.append("%s %s->%s" % (r["alert"], old, new))
    yaml.safe_dump(doc, open(dst, "w"), sort_keys=False)
    return changed


def one_job(conf, name, path):
    """The scrape job called NAME, alone, with its service discovery gone."""
    jobs = [j for j in conf["scrape_configs"] if j["job_name"] == name]
    if len(jobs) != 1:
        raise SystemExit("prom_config: no scrape job %s in %s" % (name, path))
    job = jobs[0]
    for k in list(job):
        if k.endswith("_sd_configs"):
            del job[k]
    return job


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["site", "global"])
    ap.add_argument("outdir")
    ap.add_argument("--target", required=True)
    ap.add_argument("--interval", default="5s")
    ap.add_argument("--for-divisor", type=int, default=1)
    ap.add_argument("--for", dest="fixed", default=None)
    ap.add_argument("--external-label", action="append", default=[])
    ap.add_argument("--no-target-labels", action="store_true")
    ap.add_argument("--rules-extra", action="append", default=[])
    a = ap.parse_args()
    src = os.path.join(DEPLOY, "prometheus.yml" if a.kind == "site"
                       else "global.yml")
    conf = yaml.safe_load(open(src))
    job = one_job(conf, "dhcpd_exporter" if a.kind == "site"
                  else "dhcpd_federate", src)
    labels = [sc["labels"] for sc in job.get("static_configs", [])
              if "labels" in sc]
    sc = {"targets": [a.target]}
    if labels and not a.no_target_labels:
        sc["labels"] = labels[0]
    job["static_configs"] = [sc]
    job["scrape_interval"] = a.interval
    job["scrape_timeout"] = a.interval
    conf["scrape_configs"] = [job]
    g = dict(conf.get("global") or {}, scrape_interval=a.interval,
             evaluation_interval=a.interval, scrape_timeout=a.interval)
    if a.external_label:
        g["external_labels"] = dict(kv.split("=", 1)
                                    for kv in a.external_label)
    conf["global"] = g
    conf.pop("alerting", None)
    conf.pop("rule_files", None)
    if a.kind == "site":
        rules = os.path.join(a.outdir, "rules.yml")
        for line in demo_rules(os.path.join(DEPLOY, "dhcpd_exporter.rules.yml"),
                               rules, a.for_divisor, a.fixed):
            print(line)
        conf["rule_files"] = [rules] + [os.path.abspath(f)
                                        for f in a.rules_extra]
    yaml.safe_dump(conf, open(os.path.join(a.outdir, "prometheus.yml"), "w"),
                   sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
