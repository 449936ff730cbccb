#!/usr/bin/python3
"""Checks on the Markdown docs, from the top of the repository.

usage: check_docs.py [-C DIR] links | families | suites | alerts | length MAX

links     every relative link of every tracked *.md file points to a file
          that exists, and a #fragment to a heading of that file (GitHub's
          anchors: lower case, punctuation dropped, spaces to '-')
families  every metric family the renderer names (each "dhcpd_..." string
          of src/exporter/**/render*.c) is in README.md's metric table
suites    every tests/integration/test_*.sh is named in tests/README.md
alerts    every alert of deploy/prometheus/*.rules.yml is named in a
          Markdown file under deploy/
length    README.md has at most MAX lines

-C DIR runs in DIR (a git work tree) instead of the current directory.
Prints what is wrong, one line each; exits 1 when something is, 2 on bad
usage or when there is nothing to check.
"""
import os
import pathlib
import re
import subprocess
import sys


def tracked_md():
    out = subprocess.run(["git", "ls-files", "*.md"], capture_output=True,
                         text=True, check=True).stdout.split()
    return [pathlib.Path(p) for p in out]


def anchors(path):
    """GitHub's anchors of the headings of a Markdown file."""
    found, fence = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^#{1,6} (.*)", line)
        if m:
            h = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
            found.add(h.replace(" ", "-"))
    return found


def links():
    bad, n = [], 0
    for f in tracked_md():
        text = re.sub(r"```.*?```", "", f.read_text(), flags=re.S)
        for m in re.finditer(r"\]\(([^)\s]+)\)", text):
            url = m.group(1)
            if re.match(r"[a-z]+:", url):
                continue
            n += 1
            path, _, frag = url.partition("#")
            target = (f.parent / path).resolve() if path else f.resolve()
            if not target.exists():
                bad.append("%s: link %s: no such file" % (f, url))
            elif frag and target.suffix == ".md" and \
                    frag not in anchors(target):
                bad.append("%s: link %s: no such heading" % (f, url))
    return bad, n


def families():
    names = set()
    for f in pathlib.Path("src/exporter").rglob("render*.c"):
        names |= set(re.findall(r'"(dhcpd_[a-z0-9_]+)"', f.read_text()))
    readme = pathlib.Path("README.md").read_text()
    rows = set(re.findall(r"^\| `(dhcpd_[a-z0-9_]+)`", readme, re.M))
    return ["README.md: metric family %s is not in the metric table" % x
            for x in sorted(names - rows)], len(names)


def suites():
    doc = pathlib.Path("tests/README.md").read_text()
    all_ = sorted(pathlib.Path("tests/integration").glob("test_*.sh"))
    return ["tests/README.md: suite %s is not described" % s.name
            for s in all_ if "`%s`" % s.name not in doc], len(all_)


def alerts():
    names = set()
    for f in pathlib.Path("deploy/prometheus").glob("*.rules.yml"):
        names |= set(re.findall(r"^\s*- alert:\s*(\w+)", f.read_text(),
                                re.M))
    docs = "".join(p.read_text() for p in pathlib.Path("deploy").rglob("*.md"))
    return ["deploy/: alert %s is described nowhere" % a
            for a in sorted(names)
            if not re.search(r"\b%s\b" % a, docs)], len(names)


def length(limit):
    n = len(pathlib.Path("README.md").read_text().splitlines())
    return (["README.md: %d lines, more than %d" % (n, limit)]
            if n > limit else []), n


def main():
    args = sys.argv[1:]
    if args[:1] == ["-C"] and len(args) > 1:
        os.chdir(args[1])
        args = args[2:]
    sys.argv[1:] = args
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "links":
        bad, n = links()
    elif what == "families":
        bad, n = families()
    elif what == "suites":
        bad, n = suites()
    elif what == "alerts":
        bad, n = alerts()
    elif what == "length" and len(sys.argv) == 3:
        bad, n = length(int(sys.argv[2]))
    else:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for b in bad:
        print(b)
    print("%s: %d checked, %d wrong" % (what, n, len(bad)))
    return 2 if n == 0 else (1 if bad else 0)


if __name__ == "__main__":
    sys.exit(main())
