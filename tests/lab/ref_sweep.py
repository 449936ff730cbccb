#!/usr/bin/python3
"""Reference OMAPI sweep with pypureomapi, for comparison with omapictl.

Run it inside the lab's namespace:
    . DIR/env; tests/lab/lab.sh exec DIR /usr/bin/python3 tests/lab/ref_sweep.py

Modes (default: sweep every range address of the truth file's pools):
  (default)          one JSON object per address on stdout
  --range A-B        sweep these ranges instead (repeatable)
  --counts           per-pool state counts (one JSON line per pool)
  --pool-counters    REFRESH of the pool handle of one address per range:
                     lease-count, free-leases, backup-leases
  --check            sweep + pool counters, compared with the truth file;
                     exit 1 and print every mismatch

Key: --key-name/--secret/--alg, or --keyfile, or the LAB_KEY_* variables
of DIR/env; --no-key for none.  pypureomapi itself only knows HMAC-MD5;
HMACAuthenticator below adds the SHA variants.

JSON convention (the one `omapictl --json` uses): keys are OMAPI
attribute names; `state` by name (free active expired released abandoned
reset backup; an unknown number stays a number); `ip-address` dotted;
`hardware-address` lower-case colon hex; times (ends starts tstp tsfp
atsfp cltt), handles (subnet pool host billing-class), hardware-type,
flags and counters: integers (big-endian, any width);
`client-hostname` a string; `dhcp-client-identifier`/`uid` lower-case
colon hex; any other value: a string when it is non-empty printable
ASCII (0x20-0x7e), else lower-case colon hex ("" for empty).
A lease that does not exist: {"ip-address": "...", "error": "not found"}.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import socket
import struct
import sys
import time

import pypureomapi as P

STATES = {1: "free", 2: "active", 3: "expired", 4: "released",
          5: "abandoned", 6: "reset", 7: "backup"}
INT_ATTRS = {"ends", "starts", "tstp", "tsfp", "atsfp", "cltt",
             "hardware-type", "subnet", "pool", "host", "billing-class",
             "flags", "lease-count", "free-leases", "backup-leases",
             "lease-limit", "leases-used", "result"}
TEXT_ATTRS = {"client-hostname", "name", "message", "algorithm"}
HEX_ATTRS = {"hardware-address", "dhcp-client-identifier", "uid"}
DIGESTS = {"hmac-md5": hashlib.md5, "hmac-sha1": hashlib.sha1,
           "hmac-sha224": hashlib.sha224, "hmac-sha256": hashlib.sha256,
           "hmac-sha384": hashlib.sha384, "hmac-sha512": hashlib.sha512}
NOT_FOUND = "no object matches specification"


class HMACAuthenticator(P.OmapiAuthenticatorBase):
    """pypureomapi authenticator for any hmac-* algorithm dhcpd knows."""

    def __init__(self, name, secret_b64, alg="hmac-md5", wire_alg=None,
                 authlen=None):
        P.OmapiAuthenticatorBase.__init__(self)
        self.user = name.encode() if isinstance(name, str) else name
        self.key = base64.b64decode(secret_b64)
        self.digest = DIGESTS[alg.lower()]
        self.algorithm = (wire_alg or alg + ".SIG-ALG.REG.INT.").encode()
        self.authlen = authlen or self.digest().digest_size

    def auth_object(self):
        return {b"name": self.user, b"algorithm": self.algorithm}

    def sign(self, message):
        return hmac.new(self.key, message, self.digest).digest()[:self.authlen]


def colon_hex(b):
    """Bytes as lower-case colon hex."""
    return ":".join("%02x" % x for x in b)


def decode_value(name, v):
    """Decode one OMAPI attribute value by the convention above."""
    if name == "state":
        n = int.from_bytes(v, "big")
        return STATES.get(n, n)
    if name == "ip-address" and len(v) == 4:
        return ".".join(str(x) for x in v)
    if name in INT_ATTRS:
        return int.from_bytes(v, "big")
    if name in HEX_ATTRS:
        return colon_hex(v)
    if name in TEXT_ATTRS:
        return v.decode("utf-8", "replace")
    if v and all(0x20 <= x <= 0x7e for x in v):
        return v.decode("ascii")
    return colon_hex(v)


def decode_obj(pairs):
    """Decode an object's name/value list into a dict."""
    return {k.decode("ascii", "replace"): decode_value(k.decode("ascii",
            "replace"), v) for k, v in pairs}


def status_of(resp):
    """(result, message) of a STATUS reply."""
    m = dict(resp.message)
    res = int.from_bytes(m.get(b"result", b""), "big") if b"result" in m \
        else None
    return res, m.get(b"message", b"").decode("utf-8", "replace")


def connect(host, port, auth, timeout=5.0):
    """Open a pypureomapi connection and install the authenticator."""
    o = P.Omapi(host, port, timeout=timeout)
    sock = o.transport.connection
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if auth is not None:
        o.initialize_authenticator(auth)
    return o


def lookup_lease(o, ip):
    """Look a lease up by address: decoded dict, or an error dict."""
    msg = P.OmapiMessage.open(b"lease")
    msg.obj.append((b"ip-address", P.pack_ip(ip)))
    resp = o.query_server(msg)
    if resp.opcode == P.OMAPI_OP_UPDATE:
        d = decode_obj(resp.obj)
        d["_handle"] = resp.handle
        return d
    res, text = status_of(resp)
    if text == NOT_FOUND:
        return {"ip-address": ip, "error": "not found"}
    return {"ip-address": ip, "error": text or "status %s" % res}


def refresh(o, handle):
    """REFRESH (opcode 2) an object by handle: decoded dict or error."""
    msg = P.OmapiMessage(opcode=P.OMAPI_OP_REFRESH, handle=handle, tid=-1)
    resp = o.query_server(msg)
    if resp.opcode == P.OMAPI_OP_UPDATE:
        return decode_obj(resp.obj)
    res, text = status_of(resp)
    return {"error": text or "status %s" % res}


def open_object(o, typ, pairs, msgpairs=()):
    """Open an object of type typ by the given key pairs."""
    msg = P.OmapiMessage.open(typ.encode())
    msg.message.extend(msgpairs)
    msg.obj.extend(pairs)
    resp = o.query_server(msg)
    if resp.opcode == P.OMAPI_OP_UPDATE:
        d = decode_obj(resp.obj)
        d["_handle"] = resp.handle
        return d
    res, text = status_of(resp)
    return {"error": text, "result": res}


def ip_range(spec):
    """Addresses of an "A-B" range string."""
    a, b = spec.split("-")
    lo = struct.unpack("!I", socket.inet_aton(a))[0]
    hi = struct.unpack("!I", socket.inet_aton(b))[0]
    return [socket.inet_ntoa(struct.pack("!I", i)) for i in range(lo, hi + 1)]


def read_keyfile(path):
    """(name, algorithm, secret) from a `key NAME { ... };` file."""
    text = open(path).read()
    m = re.search(r'key\s+"?([^"\s{]+)"?\s*\{', text)
    a = re.search(r"algorithm\s+([\w.-]+)\s*;", text)
    s = re.search(r'secret\s+"([^"]+)"\s*;', text)
    if not (m and a and s):
        raise SystemExit("ref_sweep: cannot parse key file %s" % path)
    return m.group(1), a.group(1), s.group(1)


def make_auth(args):
    """Authenticator from the arguments or the LAB_* environment."""
    if args.no_key:
        return None
    name, alg, secret = args.key_name, args.alg, args.secret
    if args.keyfile:
        name, alg, secret = read_keyfile(args.keyfile)
    name = name or os.environ.get("LAB_KEY_NAME") or None
    secret = secret or os.environ.get("LAB_KEY_SECRET") or None
    alg = alg or os.environ.get("LAB_KEY_ALG") or "hmac-md5"
    if not name or not secret:
        return None
    return HMACAuthenticator(name, secret, alg)


def pool_list(args, truth):
    """[(pool name, [ranges])] to work on."""
    if args.range:
        return [("range:" + r, [r]) for r in args.range]
    if not truth:
        raise SystemExit("ref_sweep: need --truth (or LAB_TRUTH) or --range")
    return [(p["name"], p["ranges"]) for p in truth["pools"]]


def sweep(o, pools, out):
    """Look up every address; write JSON lines; return {pool: counts}.

    counts[pool]["_reserved_free"] counts free leases flagged reserved
    (flags & 4): dhcpd keeps them off the free queue and out of
    free-leases."""
    counts = {}
    n = 0
    t0 = time.monotonic()
    for name, ranges in pools:
        c = counts.setdefault(name, {})
        for r in ranges:
            for ip in ip_range(r):
                d = lookup_lease(o, ip)
                d.pop("_handle", None)
                key = d.get("state", "error:" + d.get("error", "?"))
                c[key] = c.get(key, 0) + 1
                if key == "free" and d.get("flags", 0) & 4:
                    c["_reserved_free"] = c.get("_reserved_free", 0) + 1
                n += 1
                if out:
                    out.write(json.dumps(d, sort_keys=True) + "\n")
    dt = time.monotonic() - t0
    print("ref_sweep: %d lookups in %.3f s: %.0f lookups/s"
          % (n, dt, n / dt if dt else 0), file=sys.stderr)
    return counts


def pool_counters(o, pools):
    """Pool handle and counters for one address of each range."""
    rows = []
    for name, ranges in pools:
        for r in ranges:
            ip = r.split("-")[0]
            d = lookup_lease(o, ip)
            if "error" in d:
                rows.append({"pool": name, "range": r, "error": d["error"]})
                continue
            h = d["pool"]
            c = refresh(o, h)
            row = {"pool": name, "range": r, "handle": h}
            row.update(c)
            rows.append(row)
    return rows


def state_counts(c):
    """Counts without the internal "_" keys."""
    return {k: v for k, v in c.items() if not k.startswith("_")}


def expected_counts(truth, when):
    """Per-pool state counts the truth predicts at time `when`.

    truth["pools"][i]["counts"] holds the state right after loading; an
    active lease whose `ends` has passed has since moved on: to free
    (the lab writes `next binding state free`), as dhcpd's pool timer
    does within a second of `ends`."""
    pool_of = {}
    for p in truth["pools"]:
        for r in p["ranges"]:
            a, b = r.split("-")
            pool_of[(ip_num(a), ip_num(b))] = p
    out = {p["name"]: dict(p["counts"]) for p in truth["pools"]}
    moved = {p["name"]: 0 for p in truth["pools"]}
    for ip, rec in truth["leases"].items():
        if rec["state"] != "active" or rec["ends"] > when:
            continue
        n = ip_num(ip)
        for (lo, hi), p in pool_of.items():
            if lo <= n <= hi:
                c = out[p["name"]]
                # written with next (and rewind) binding state free; in
                # a failover pool whose peer never answered dhcpd rewinds
                # to free as well (checked live)
                to = "free"
                c["active"] -= 1
                c[to] = c.get(to, 0) + 1
                if to == "free" and not rec.get("flags", 0) & 4:
                    moved[p["name"]] += 1
                break
    return ({k: {s: n for s, n in v.items() if n} for k, v in out.items()},
            moved)


def ip_num(ip):
    """Dotted address as an integer."""
    return struct.unpack("!I", socket.inet_aton(ip))[0]


def check(truth, counts, rows, t0, t1):
    """Compare sweep counts and pool counters with the truth file; the
    sweep ran from t0 to t1 (leases may expire meanwhile)."""
    errs = []
    e0, m0 = expected_counts(truth, t0)
    e1, m1 = expected_counts(truth, t1)
    for p in truth["pools"]:
        got = state_counts(counts.get(p["name"], {}))
        lo, hi = e0[p["name"]], e1[p["name"]]
        for st in set(got) | set(lo) | set(hi):
            a, b = lo.get(st, 0), hi.get(st, 0)
            if not min(a, b) <= got.get(st, 0) <= max(a, b):
                errs.append("pool %s: sweep counts %s, truth %s"
                            % (p["name"], got, lo if lo == hi
                               else "%s..%s" % (lo, hi)))
                break
    # group configured pools by the server-side pool handle
    groups = {}
    for row in rows:
        if "error" in row:
            errs.append("pool %s range %s: %s"
                        % (row["pool"], row["range"], row["error"]))
            continue
        g = groups.setdefault(row["handle"], {"pools": set(), "rows": []})
        g["pools"].add(row["pool"])
        g["rows"].append(row)
    byname = {p["name"]: p for p in truth["pools"]}
    expect_groups = {}
    for p in truth["pools"]:
        expect_groups.setdefault(p["server_pool"], set()).add(p["name"])
    got_groups = sorted(sorted(g["pools"]) for g in groups.values())
    want_groups = sorted(sorted(s) for s in expect_groups.values())
    if got_groups != want_groups:
        errs.append("server-side pools %s, truth %s"
                    % (got_groups, want_groups))
    for h, g in groups.items():
        size = sum(byname[n]["size"] for n in g["pools"])
        free = sum(counts.get(n, {}).get("free", 0) -
                   counts.get(n, {}).get("_reserved_free", 0)
                   for n in g["pools"])
        tfree = sum(byname[n]["free_leases"] + m0[n] for n in g["pools"])
        tfree1 = sum(byname[n]["free_leases"] + m1[n] for n in g["pools"])
        slack = tfree1 - tfree      # leases that expired during the sweep
        if not tfree <= free <= tfree1:
            errs.append("pools %s: truth free_leases %d, sweep %d"
                        % (",".join(sorted(g["pools"])), tfree, free))
        backup = sum(counts.get(n, {}).get("backup", 0) for n in g["pools"])
        for row in g["rows"]:
            got = (row.get("lease-count"), row.get("free-leases"),
                   row.get("backup-leases"))
            # the counters are read after the sweep: leases that expired
            # after their address was swept count free there only
            if got[0] != size or got[2] != backup or \
                    not free <= (got[1] or 0) <= free + slack:
                errs.append("pool handle %d (%s) via %s: lease-count/free/"
                            "backup %s, sweep %s"
                            % (h, ",".join(sorted(g["pools"])), row["range"],
                               got, (size, free, backup)))
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default=os.environ.get("LAB_HOST", "127.0.0.1"))
    ap.add_argument("--port", type=int,
                    default=int(os.environ.get("LAB_PORT", "7911")))
    ap.add_argument("--truth", default=os.environ.get("LAB_TRUTH"))
    ap.add_argument("--range", action="append")
    ap.add_argument("--key-name")
    ap.add_argument("--secret")
    ap.add_argument("--alg")
    ap.add_argument("--keyfile")
    ap.add_argument("--no-key", action="store_true")
    ap.add_argument("--counts", action="store_true")
    ap.add_argument("--pool-counters", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--timeout", type=float, default=5.0)
    args = ap.parse_args()
    truth = json.load(open(args.truth)) if args.truth else None
    pools = pool_list(args, truth)
    try:
        o = connect(args.host, args.port, make_auth(args), args.timeout)
    except (OSError, P.OmapiError) as e:
        print("ref_sweep: cannot connect/authenticate to %s:%d: %s"
              % (args.host, args.port, e), file=sys.stderr)
        return 3
    if args.pool_counters and not args.check:
        for row in pool_counters(o, pools):
            print(json.dumps(row, sort_keys=True))
        return 0
    quiet = args.counts or args.check
    t0 = time.time()
    counts = sweep(o, pools, None if quiet else sys.stdout)
    if args.counts:
        for name, _ in pools:
            print(json.dumps({"pool": name, "counts":
                              state_counts(counts.get(name, {}))},
                             sort_keys=True))
    if args.check:
        rows = pool_counters(o, pools)
        t1 = time.time()
        for row in rows:
            print(json.dumps(row, sort_keys=True))
        for name, _ in pools:
            print(json.dumps({"pool": name, "counts":
                              state_counts(counts.get(name, {}))},
                             sort_keys=True))
        errs = check(truth, counts, rows, int(t0) - 1, int(t1) + 1)
        for e in errs:
            print("ref_sweep: MISMATCH: " + e, file=sys.stderr)
        if errs:
            return 1
        print("ref_sweep: check OK: %d pools agree with %s"
              % (len(pools), args.truth), file=sys.stderr)
    o.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
