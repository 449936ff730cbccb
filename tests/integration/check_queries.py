#!/usr/bin/python3
"""Check the Grafana dashboard and the alert rules against a live Prometheus
that scrapes a live dhcpd_exporter.

  check_queries.py --prom URL --metrics URL --dashboard FILE --rules FILE...
                   [--optional NAME...] [--optional-label LABEL...]
                   [--all-server RE] [--one-server V]
                   [--one-pool V] [--rate-interval D]

Prints one "ok: ..." or "FAIL: ..." line per check and a final
"N passed, M failed"; exits 1 when anything failed.

What it proves, for every query of every dashboard panel and template
variable, and every expression of every rule:
  - it parses and evaluates without error in this Prometheus (an instant
    query for rules and instant targets, a range query over the last 20 s
    for range targets), dashboard variables substituted the way Grafana
    does: once with "All" (the variable's allValue) and once with one value;
  - every metric it names is served by the exporter (its live /metrics), or
    recorded by the rules, or Prometheus' own `up` and `ALERTS`, or one of
    the --optional threshold inputs an operator may define;
  - every vector selector in it selects at least one live series (so no
    misspelled label value or matcher leaves an alert that cannot fire),
    except selectors of --optional inputs and selectors that match on an
    --optional-label (failover_peer!="" on a lab without failover pools);
  - dashboard queries and recording rules return data, unless they read an
    --optional input (a lab without failover has no failover series: the
    failover suite checks those on a pair); every {{label}} of a panel's
    legend is a label of every series the query returns;
  - alert expressions need not return anything on a healthy lab (they are
    comparisons), which is why their selectors are checked one by one.
"""
import argparse
import json
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml

passed = 0
failed = 0

AGGR_MODIFIERS = {"by", "without", "on", "ignoring", "group_left",
                  "group_right"}
KEYWORDS = {"and", "or", "unless", "offset", "bool", "inf", "nan"}
# Aggregations may be followed by "by (...)" before their "(".
AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar",
                "count", "count_values", "bottomk", "topk", "quantile"}
IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def ok(what):
    global passed
    passed += 1
    print("ok: " + what)


def fail(what):
    global failed
    failed += 1
    print("FAIL: " + what)


def check(what, cond):
    ok(what) if cond else fail(what)
    return cond


def skip_string(s, i):
    """Index just past the string literal starting at s[i]."""
    q = s[i]
    i += 1
    while i < len(s) and s[i] != q:
        i += 2 if s[i] == "\\" and q != "`" else 1
    return i + 1


def skip_group(s, i, open_c, close_c):
    """Index just past the bracketed group starting at s[i], strings
    inside it skipped."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c in "\"'`":
            i = skip_string(s, i)
            continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def selectors(expr):
    """Vector selectors (name plus its {matchers}) of a PromQL expression."""
    out = []
    i, n = 0, len(expr)
    while i < n:
        c = expr[i]
        if c in "\"'`":
            i = skip_string(expr, i)
        elif c == "#":
            while i < n and expr[i] != "\n":
                i += 1
        elif c == "[":
            i = skip_group(expr, i, "[", "]")
        elif c.isdigit() or (c == "." and i + 1 < n and expr[i + 1].isdigit()):
            while i < n and (expr[i].isalnum() or expr[i] in "._"):
                i += 1
        elif c == "{":
            end = skip_group(expr, i, "{", "}")
            out.append(("", expr[i:end]))
            i = end
        elif IDENT.match(c):
            m = IDENT.match(expr, i)
            word = m.group(0)
            i = m.end()
            j = i
            while j < n and expr[j].isspace():
                j += 1
            if word.lower() in AGGR_MODIFIERS:
                if j < n and expr[j] == "(":
                    i = skip_group(expr, j, "(", ")")
                continue
            if word.lower() in KEYWORDS or word in AGGREGATIONS:
                continue
            if j < n and expr[j] == "(":
                continue        # a function or aggregation
            sel = word
            if j < n and expr[j] == "{":
                end = skip_group(expr, j, "{", "}")
                sel = word + expr[j:end]
                i = end
            out.append((word, sel))
        else:
            i += 1
    return out


def http_get(url, params=None):
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def prom(base, path, params):
    """A Prometheus API call: (status, data or error text)."""
    try:
        body = http_get(base + path, params)
    except urllib.error.HTTPError as e:
        body = e.read().decode()
    except OSError as e:
        return "error", str(e)
    j = json.loads(body)
    if j.get("status") != "success":
        return "error", "%s: %s" % (j.get("errorType"), j.get("error"))
    return "success", j["data"]


def served_names(text):
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            names.add(line.split()[2])
        elif line and not line.startswith("#"):
            names.add(IDENT.match(line).group(0))
    return names


class Checker:
    def __init__(self, a, served, recorded):
        self.a = a
        # up and ALERTS: Prometheus' own series for the target and the rules.
        self.allowed = served | recorded | {"up", "ALERTS"} | set(a.optional)
        self.optional = set(a.optional)
        self.optional_labels = set(a.optional_label)
        self.served = served
        self.selector_seen = {}

    def instant(self, expr):
        return prom(self.a.prom, "/api/v1/query", {"query": expr})

    def range(self, expr):
        now = time.time()
        return prom(self.a.prom, "/api/v1/query_range",
                    {"query": expr, "start": now - 20, "end": now,
                     "step": "1"})

    def check_selectors(self, where, expr):
        for name, sel in selectors(expr):
            if name == "":
                fail("%s: selector without a metric name: %s" % (where, sel))
                continue
            if name not in self.allowed:
                fail("%s: %s is not served by the exporter nor recorded"
                     % (where, name))
                continue
            if self.optional_selector(name, sel):
                continue
            if sel not in self.selector_seen:
                st, data = self.instant(sel)
                self.selector_seen[sel] = (st == "success" and
                                           len(data["result"]) > 0)
            if not self.selector_seen[sel]:
                fail("%s: %s selects no live series" % (where, sel))

    def optional_selector(self, name, sel):
        return name in self.optional or any(
            re.search(r"[{,]\s*%s\s*(=|!=|=~|!~)" % re.escape(l), sel)
            for l in self.optional_labels)

    def reads_optional(self, expr):
        return any(self.optional_selector(name, sel)
                   for name, sel in selectors(expr))

    def check_query(self, where, expr, use_range, legend=None,
                    need_data=True):
        need_data = need_data and not self.reads_optional(expr)
        st, data = self.range(expr) if use_range else self.instant(expr)
        if st != "success":
            fail("%s: %s: %s" % (where, expr, data))
            return None
        res = data["result"]
        if need_data and (not isinstance(res, list) or len(res) == 0):
            fail("%s: no data: %s" % (where, expr))
            return None
        if legend and isinstance(res, list):
            for lab in re.findall(r"{{\s*([A-Za-z_][A-Za-z0-9_]*)\s*}}",
                                  legend):
                missing = [r["metric"] for r in res if lab not in r["metric"]]
                if missing:
                    fail("%s: legend {{%s}} but a series has no %s label: %s"
                         % (where, lab, lab, missing[0]))
                    return None
        return res


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def substitute(expr, values):
    for k in sorted(values, key=len, reverse=True):
        expr = expr.replace("${%s}" % k, values[k]).replace("$" + k, values[k])
    return expr


def check_dashboard(c, a):
    try:
        dash = json.load(open(a.dashboard))
    except (OSError, ValueError) as e:
        fail("dashboard %s parses: %s" % (a.dashboard, e))
        return
    ok("dashboard %s parses as JSON" % a.dashboard)
    check("dashboard schemaVersion %s is 36..41" % dash.get("schemaVersion"),
          36 <= dash.get("schemaVersion", 0) <= 41)
    tvars = {v["name"]: v for v in dash.get("templating", {}).get("list", [])}
    check("datasource variable of type datasource, prometheus",
          tvars.get("datasource", {}).get("type") == "datasource" and
          tvars["datasource"].get("query") == "prometheus")
    for name in ("server", "pool"):
        v = tvars.get(name)
        if not check("%s variable is a query variable" % name,
                     v is not None and v.get("type") == "query"):
            continue
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\)\s*", q)
        if not check("%s variable: label_values(SELECTOR, LABEL)" % name, m):
            continue
        sel = substitute(m.group(1), {"server": a.all_server})
        st, data = prom(a.prom, "/api/v1/series", {"match[]": sel})
        vals = sorted({s.get(m.group(2)) for s in data
                       if s.get(m.group(2))}) if st == "success" else []
        check("%s variable lists %s" % (name, vals), len(vals) > 0)
        c.check_selectors("variable %s" % name, sel)

    panels = list(walk_panels(dash.get("panels", [])))
    ids = [p.get("id") for p in panels]
    check("%d panels, unique ids" % len(panels), len(ids) == len(set(ids)))
    allowed_types = {"row", "table", "timeseries", "stat", "bargauge"}
    bad = [p.get("title") for p in panels if p.get("type") not in allowed_types]
    check("panel types are standard (%s)" % ", ".join(sorted(allowed_types)),
          not bad)
    bad = [p.get("title") for p in panels
           if p.get("gridPos", {}).get("x", 0) + p.get("gridPos", {}).get("w", 0) > 24]
    check("every panel fits the 24-column grid", not bad)
    singles = {"server": a.one_server, "pool": a.one_pool}
    alls = {"server": a.all_server, "pool": ".*"}
    common = {"__rate_interval": a.rate_interval, "__interval": "1s",
              "__range": "20s"}
    nq = 0
    for p in panels:
        for t in p.get("targets", []):
            nq += 1
            where = "panel '%s' %s" % (p.get("title"), t.get("refId"))
            if t.get("datasource", {}).get("uid") != "${datasource}":
                fail("%s: datasource is not ${datasource}" % where)
            expr = t["expr"]
            c.check_selectors(where, substitute(expr, dict(common, **alls)))
            use_range = not t.get("instant", False)
            n_ok = 0
            for label, vals in (("All", alls), ("one", singles)):
                e = substitute(expr, dict(common, **vals))
                if "$" in e:
                    fail("%s: unsubstituted variable in %s" % (where, e))
                    continue
                res = c.check_query("%s (%s)" % (where, label), e, use_range,
                                    legend=t.get("legendFormat"))
                n_ok += res is not None
            if n_ok == 2:
                ok("%s: returns data, with All and with one value" % where)
    check("dashboard has %d queries" % nq, nq > 0)


def check_rules(c, a):
    for f in a.rules:
        doc = yaml.safe_load(open(f))
        for g in doc["groups"]:
            for r in g["rules"]:
                name = r.get("record") or r.get("alert")
                where = "%s %s" % ("record" if "record" in r else "alert", name)
                c.check_selectors(where, r["expr"])
                res = c.check_query(where, r["expr"], False,
                                    need_data="record" in r)
                if res is not None:
                    ok("%s evaluates (%d series now)" % (where, len(res)))
    # The rule engine's own verdict: every group loaded, evaluated, healthy.
    st, data = prom(a.prom, "/api/v1/rules", {})
    if not check("/api/v1/rules answers", st == "success"):
        return
    nrules = 0
    for g in data["groups"]:
        print("info: group %s: %d rules, last evaluation %.2f ms" % (
            g["name"], len(g["rules"]), 1000 * g.get("evaluationTime", 0)))
        for r in g["rules"]:
            nrules += 1
            if r.get("health") != "ok" or r.get("lastError"):
                fail("rule %s in group %s: health %s %s" % (
                    r["name"], g["name"], r.get("health"),
                    r.get("lastError", "")))
    check("%d rules loaded in Prometheus, every one health ok" % nrules,
          nrules > 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prom", required=True)
    ap.add_argument("--metrics", required=True)
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--rules", nargs="+", default=[])
    ap.add_argument("--optional", nargs="*", default=[])
    ap.add_argument("--optional-label", nargs="*", default=[])
    ap.add_argument("--all-server", default=".*")
    ap.add_argument("--one-server", required=True)
    ap.add_argument("--one-pool", required=True)
    ap.add_argument("--rate-interval", default="10s")
    a = ap.parse_args()

    served = served_names(http_get(a.metrics))
    check("exporter serves %d metric families" % len(served), len(served) > 10)
    recorded = set()
    for f in a.rules:
        for g in yaml.safe_load(open(f))["groups"]:
            recorded |= {r["record"] for r in g["rules"] if "record" in r}
    c = Checker(a, served, recorded)
    check_dashboard(c, a)
    check_rules(c, a)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
