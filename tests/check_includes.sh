#!/bin/bash
# tests/check_includes.sh [FOLDER...]: no include or call circle inside a
# folder of src/, and the exporter's stages layered (issue 20).
#
#   BUILD=build tests/check_includes.sh            every folder of src/
#   tests/check_includes.sh src/omapi src/cli      only those
#
# For each folder (src/omapi, src/dhcpdconf, src/leases, src/dhcplog, src/cli, src/exporter and each
# of its stage folders), two graphs, each must be free of cycles:
#   - includes: header -> header, from the #include "..." lines;
#   - calls: file.c -> other.c when file.o uses a symbol other.o defines,
#     from nm on $BUILD's objects (so build first: make).
# And the exporter's stages, once src/exporter has them: a file of a stage
# includes only its own folder's headers and the public header of a stage
# below it (config < metrics < poll, web < main.c and log.c on top; log.h
# and the headers of src/omapi, src/dhcpdconf and src/dhcplog are below
# everything).
# Prints each cycle or breach; exits 1 if there is one, 2 when the objects
# are missing.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
exec /usr/bin/python3 - "$BUILD" "$@" <<'EOF'
import os, re, subprocess, sys

build, folders = sys.argv[1], sys.argv[2:]
STAGES = {"config": 1, "metrics": 2, "poll": 3, "web": 3}
TOP = 4
if not folders:
    folders = ["src/omapi", "src/dhcpdconf", "src/leases", "src/dhcplog", "src/cli",
               "src/exporter"]
    folders += sorted("src/exporter/" + s for s in STAGES
                      if os.path.isdir("src/exporter/" + s))
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
bad = 0


def report(msg):
    global bad
    bad += 1
    print("FAIL: " + msg)


def cycles(graph):
    """Every strongly connected component of more than one node (Tarjan)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def includes(path):
    with open(path, errors="replace") as f:
        return inc_re.findall(f.read())


def resolve(src, name):
    """The file an #include "name" in src opens (its folder, then -I)."""
    for d in (os.path.dirname(src), "src/exporter", "src/omapi",
              "src/dhcpdconf", "src/dhcplog"):
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(p):
            return p
    return None


def rank(path):
    """The layer of a file: 0 libraries and log.h, stages 1-3, 4 top."""
    parts = path.split("/")
    if parts[1] in ("omapi", "dhcpdconf", "dhcplog") or \
            path == "src/exporter/log.h":
        return 0
    if parts[1] == "exporter" and len(parts) > 3:
        return STAGES.get(parts[2], TOP)
    return TOP


def stage_rules(files):
    """A stage includes its own headers and lower stages' public ones."""
    for src in files:
        parts = src.split("/")
        if len(parts) < 4 or parts[2] not in STAGES:
            continue
        for name in includes(src):
            h = resolve(src, name)
            if h is None or os.path.dirname(h) == os.path.dirname(src):
                continue
            hp = h.split("/")
            public = (len(hp) == 4 and hp[2] in STAGES and
                      hp[3] == hp[2] + ".h")
            if rank(h) == 0:
                continue
            if rank(h) >= rank(src):
                report("%s includes %s, of a stage not below it" % (src, h))
            elif not public:
                report("%s includes %s, not a stage's public header" %
                       (src, h))


def call_graph(folder, cfiles):
    defs, uses = {}, {}
    for c in cfiles:
        obj = os.path.join(build, c[:-2] + ".o")
        if not os.path.isfile(obj):
            print("no %s: build first (make)" % obj)
            sys.exit(2)
        out = subprocess.run(["nm", obj], capture_output=True, text=True,
                             check=True).stdout
        uses[c] = set()
        for line in out.splitlines():
            f = line.split()
            if len(f) == 2 and f[0] == "U":
                uses[c].add(f[1])
            elif len(f) == 3 and f[1] in "TDBR":
                defs[f[2]] = c
    return {c: {defs[s] for s in u if s in defs and defs[s] != c}
            for c, u in uses.items()}


exporter_files = []
for folder in folders:
    if not os.path.isdir(folder):
        report("%s: no such folder" % folder)
        continue
    names = sorted(os.listdir(folder))
    hfiles = [os.path.join(folder, n) for n in names if n.endswith(".h")]
    cfiles = [os.path.join(folder, n) for n in names if n.endswith(".c")]
    if folder.startswith("src/exporter"):
        exporter_files += hfiles + cfiles
    ig = {h: {r for r in (resolve(h, n) for n in includes(h)) if r}
          for h in hfiles}
    for cyc in cycles(ig):
        report("%s: include circle: %s" % (folder, " <-> ".join(cyc)))
    cg = call_graph(folder, cfiles)
    for cyc in cycles(cg):
        report("%s: call circle: %s" % (folder, " <-> ".join(
            os.path.basename(c) for c in cyc)))
    print("%s: %d headers, %d sources checked" % (folder, len(hfiles),
                                                   len(cfiles)))
stage_rules(exporter_files)
print("check_includes: %s" % ("%d problems" % bad if bad else "no circle"))
sys.exit(1 if bad else 0)
EOF
