#!/usr/bin/python3
"""The pool tier done by a sequential pypureomapi client, as a peer figure.

  peer_pools.py [--passes N]     (inside the lab namespace; LAB_* env)

Resolves every configured pool's handle once (lease of its first address),
then REFRESHes every handle, one request at a time, N times; prints JSON
with the resolve time and the mean time of one refresh pass (the work one
exporter poll does).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lab"))
import ref_sweep as R  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes", type=int, default=3)
    a = ap.parse_args()
    truth = R.json.load(open(os.environ["LAB_TRUTH"]))
    args = argparse.Namespace(no_key=False, key_name=None, secret=None,
                              alg=None, keyfile=None)
    o = R.connect(os.environ.get("LAB_HOST", "127.0.0.1"),
                  int(os.environ.get("LAB_PORT", "7911")), R.make_auth(args))
    t0 = time.monotonic()
    handles = []
    for p in truth["pools"]:
        d = R.lookup_lease(o, p["ranges"][0].split("-")[0])
        handles.append(d.get("pool"))
    t1 = time.monotonic()
    bad = 0
    for _ in range(a.passes):
        for h in handles:
            if "error" in R.refresh(o, h):
                bad += 1
    t2 = time.monotonic()
    o.close()
    print(json.dumps({"pools": len(handles), "resolve_s": t1 - t0,
                      "pass_s": (t2 - t1) / a.passes, "errors": bad}))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
