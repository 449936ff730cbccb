#!/usr/bin/python3
"""Check that dhcpd_exporter.yml(5) documents every configuration key.

usage: man_keys.py PAGE CONF SRCDIR

- Every key that CONF (the example configuration) uses, at any depth,
  must be a tag of PAGE: a line `.BI KEY: ...`, `.B KEY: ...` or
  `.SS KEY`, the way the page introduces a key.
- Every key the loaders accept (each `static const char *const ..keys[]`
  list in SRCDIR's .c files: the configuration and the web config) must
  be named in PAGE at least as a word.

Prints each missing key and exits 1 when one is missing, 2 on bad input.
"""
import pathlib
import re
import sys

import yaml


def conf_keys(node, path, out):
    """Collect (dotted path, key) for every mapping key under node."""
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((path + str(k), str(k)))
            if k != "labels":       # its keys are the user's label names
                conf_keys(v, path + str(k) + ".", out)
    elif isinstance(node, list):
        for v in node:
            conf_keys(v, path + "[]", out)


def page_tags(text):
    """The keys PAGE introduces as tags."""
    tags = set()
    for line in text.splitlines():
        m = re.match(r'^\.(?:BI|B)\s+"?([A-Za-z_][A-Za-z0-9_]*):', line)
        if m:
            tags.add(m.group(1))
        m = re.match(r"^\.SS\s+([A-Za-z_][A-Za-z0-9_]*)\s*$", line)
        if m:
            tags.add(m.group(1))
    return tags


def code_keys(srcdir):
    """Every string of every `..keys[] = { ... }` list in the sources."""
    keys = {}
    pat = re.compile(r"static const char \*const\s+(\w*keys)\[\]\s*=\s*"
                     r"\{(.*?)\}", re.S)
    for f in sorted(pathlib.Path(srcdir).rglob("*.c")):
        for m in pat.finditer(f.read_text()):
            for k in re.findall(r'"([^"]+)"', m.group(2)):
                keys.setdefault(k, "%s:%s" % (f, m.group(1)))
    return keys


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    page = pathlib.Path(sys.argv[1]).read_text()
    conf = yaml.safe_load(pathlib.Path(sys.argv[2]).read_text())
    found = []
    conf_keys(conf, "", found)
    if not found:
        print("no keys in %s" % sys.argv[2], file=sys.stderr)
        return 2
    tags = page_tags(page)
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*",
                           page.replace("\\-", "-").replace("\\_", "_")))
    missing = 0
    seen = set()
    for path, key in found:
        if key in tags or key in seen:
            continue
        seen.add(key)
        print("%s: key %s (%s) is not documented in %s" %
              (sys.argv[2], key, path, sys.argv[1]))
        missing += 1
    ckeys = code_keys(sys.argv[3])
    if len(ckeys) < 10:
        print("found only %d keys in %s" % (len(ckeys), sys.argv[3]),
              file=sys.stderr)
        return 2
    for key, where in sorted(ckeys.items()):
        if key not in words:
            print("%s: key %s is not named in %s" % (where, key, sys.argv[1]))
            missing += 1
    print("%d keys in %s, %d in the loaders; %d missing" %
          (len({k for _, k in found}), sys.argv[2],
           len(ckeys), missing))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
