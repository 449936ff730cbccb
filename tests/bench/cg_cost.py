#!/usr/bin/python3
"""Instruction counts from a callgrind output file, per function.

  cg_cost.py FILE [--per N] FUNCTION...

For each FUNCTION: the instructions spent in it and in everything it
called (inclusive), summed over its calls from every caller except from
itself or from another FUNCTION of the list that calls it (so
omapi_signer_sign counts the signing of requests, not the signing that
omapi_signer_verify does inside).  --per N divides by N.  Prints one JSON
object: {"total": ..., "FUNCTION": ..., ...}; "total" is every instruction
the file recorded (with --toggle-collect, only inside that function).
"""
import json
import re
import sys


def parse(path):
    """Return (total, {(caller, callee): inclusive instructions})."""
    names = {"fn": {}, "cfn": {}}
    edges = {}
    total = 0
    fn = cfn = None
    pending_call = False
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^(c?fn)=(?:\((\d+)\))?\s*(.*)$", line)
            if m:
                kind, ident, name = m.groups()
                # fn and cfn share one name table in callgrind's format
                table = names["fn"]
                if ident is not None and name:
                    table[ident] = name
                elif ident is not None:
                    name = table.get(ident, "?" + ident)
                if kind == "fn":
                    fn = name
                else:
                    cfn = name
                continue
            if line.startswith("calls="):
                pending_call = True
                continue
            if line.startswith(("summary:", "totals:")):
                total = max(total, int(line.split(":")[1].split()[0]))
                continue
            if line and (line[0].isdigit() or line[0] in "+-*"):
                parts = line.split()
                if len(parts) < 2:
                    continue
                cost = int(parts[1])
                if pending_call:
                    key = (fn, cfn)
                    edges[key] = edges.get(key, 0) + cost
                    pending_call = False
    return total, edges


def main():
    args = sys.argv[1:]
    per = 1.0
    if "--per" in args:
        i = args.index("--per")
        per = float(args[i + 1])
        del args[i:i + 2]
    if not args:
        raise SystemExit(__doc__)
    path, funcs = args[0], args[1:]
    total, edges = parse(path)
    out = {"total": round(total / per, 1)}
    for fn in funcs:
        n = sum(c for (caller, callee), c in edges.items()
                if callee == fn and caller != fn and caller not in funcs)
        out[fn] = round(n / per, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
