#!/usr/bin/python3
"""Generate dhcpd.conf, dhcpd.leases and a truth JSON for the test lab.

Usage: gen_lab.py OUTDIR [--profile default|bench|failover|pools1000|demo]
                  [--seed S]
                  [--key ALG | --no-key] [--now EPOCH] [--secret B64]

Everything is deterministic from the seed, except that lease times are
relative to --now (default: the current time).  Files written in OUTDIR:
  dhcpd.conf     server configuration (v0 = 10.99.0.1/16 must exist)
  dhcpd.leases   hand-written leases file dhcpd loads at startup
  truth.json     what the tests should expect dhcpd to report
  omapi.key      `key NAME { algorithm ...; secret "..."; };` (mode 0600)

The truth file records the state dhcpd is *expected to report* after it
has loaded the leases file (see STATE_AFTER_LOAD), not only what was
written: e.g. a lease written as expired or released is reported free.
"""

import argparse
import base64
import ipaddress
import json
import os
import random
import sys
import time

ALGORITHMS = {
    # name: secret length in bytes (the digest length)
    "hmac-md5": 16,
    "hmac-sha1": 20,
    "hmac-sha224": 28,
    "hmac-sha256": 32,
    "hmac-sha384": 48,
    "hmac-sha512": 64,
}

KEY_NAME = "omapi_key"
PORT = 7911

# What dhcpd 4.4.3 reports for a lease written in a given "file state",
# once the leases file is loaded (checked live, see tests/lab/README.md).
# A lease only changes state on load when its `next binding state` differs
# and its `ends` is in the past: "expired"/"released" are written without
# a next state and stay expired/released; "*-to-free" are written with
# `next binding state free` and an `ends` in the past, and come up free
# (so does "active-ended"). "backup" stays backup only in a failover pool
# (else free). "reserved-free" is free with flags 4 (reserved), and is not
# counted in the pool's free-leases.
STATE_AFTER_LOAD = {
    "active": "active",
    "free": "free",
    "abandoned": "abandoned",
    "expired": "expired",
    "released": "released",
    "reset": "reset",
    "expired-to-free": "free",
    "released-to-free": "free",
    "active-ended": "free",
    "backup": "backup",
    "reserved-free": "free",
    "reserved-active": "active",
}

# The binding state and next binding state each file state is written with.
FILE_STATES = {
    "active": ("active", "free"),
    "free": ("free", None),
    "abandoned": ("abandoned", None),
    "expired": ("expired", None),
    "released": ("released", None),
    "reset": ("reset", None),
    "expired-to-free": ("expired", "free"),
    "released-to-free": ("released", "free"),
    "active-ended": ("active", "free"),
    "backup": ("backup", None),
    "reserved-free": ("free", None),
    "reserved-active": ("active", "free"),
}

# Active lease "ends" buckets, in seconds from now: (weight, lo, hi).
ENDS_BUCKETS = [
    (3, 90, 300),            # within 5 min (never < 90 s: tests need time)
    (3, 301, 900),           # within 15 min
    (5, 901, 3600),          # within 1 h
    (6, 3601, 4 * 3600),     # within 4 h
    (13, 4 * 3600 + 1, 86400),   # within 24 h
    (70, 86401, 30 * 86400),     # later
]

# Client activity of active leases in pools marked "activity" (default
# profile): cltt (= starts, as dhcpd writes them) this long before now,
# (weight, lo, hi); the rest keep a cltt a day old.  Each bucket keeps 100 s
# or more from the exporter's horizons (300, 900, 3600 s), so a test that
# runs within 100 s of the lab's start sees exact counts.
ACTIVITY_BUCKETS = [
    (10, 20, 200),           # within 5 min
    (10, 400, 800),          # within 15 min
    (15, 1000, 3300),        # within 1 h
    (65, None, None),        # older: unchanged
]


def ip_range(a, b):
    """Return the list of dotted addresses from a to b inclusive."""
    lo = int(ipaddress.IPv4Address(a))
    hi = int(ipaddress.IPv4Address(b))
    return [str(ipaddress.IPv4Address(i)) for i in range(lo, hi + 1)]


def dhcpd_date(epoch):
    """Format epoch seconds as dhcpd's `W YYYY/MM/DD HH:MM:SS` (UTC)."""
    t = time.gmtime(epoch)
    wday = (t.tm_wday + 1) % 7      # dhcpd: 0 = Sunday
    return "%d %04d/%02d/%02d %02d:%02d:%02d" % (
        wday, t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


class Gen:
    """Deterministic generator state: random source, unique MACs."""

    def __init__(self, seed, now):
        self.rng = random.Random(seed)
        self.now = now
        self.macs = set()
        self.nmac = 0

    def mac(self):
        """Return a new unique locally administered MAC."""
        while True:
            b = [0x02, self.rng.randrange(256)] + \
                [self.rng.randrange(256) for _ in range(4)]
            m = ":".join("%02x" % x for x in b)
            if m not in self.macs:
                self.macs.add(m)
                return m

    def ends(self):
        """Pick an `ends` time for an active lease from ENDS_BUCKETS."""
        total = sum(w for w, _, _ in ENDS_BUCKETS)
        r = self.rng.randrange(total)
        for w, lo, hi in ENDS_BUCKETS:
            if r < w:
                return self.now + self.rng.randint(lo, hi)
            r -= w
        raise AssertionError("unreachable")


# ---------------------------------------------------------------- profiles
#
# A pool: name, subnet (CIDR), shared network (or None), ranges, permit
# statements, failover flag, server_pool (pools with the same server_pool
# are expected to be one server-side pool: dhcpd merges pools of one
# shared network with identical permit lists), and a lease mix.
# mix: fractions of the pool's addresses written in each file state;
# the rest is not written at all (never used: free).

def profile_default():
    """Several subnets and pools, a shared network, hosts and classes."""
    mix = {"active": 0.70, "abandoned": 0.02, "expired": 0.02,
           "released": 0.02, "free": 0.05, "active-ended": 0.01,
           "expired-to-free": 0.01, "released-to-free": 0.01,
           "reset": 0.004, "reserved-free": 0.004, "reserved-active": 0.004}
    pools = [
        dict(name="lan", subnet="10.99.0.0/16", shared=None,
             ranges=[("10.99.1.1", "10.99.8.254")], permits=[], mix=mix),
        dict(name="office", subnet="10.20.0.0/22", shared=None,
             ranges=[("10.20.0.10", "10.20.0.250"),
                     ("10.20.2.10", "10.20.2.250")], permits=[], mix=mix,
             activity=True),
        dict(name="cidr", subnet="10.31.0.0/26", shared=None,
             ranges=[("10.31.0.1", "10.31.0.62")], permits=[], mix=mix,
             activity=True),
        dict(name="campus-a", subnet="10.40.0.0/23", shared="campus",
             ranges=[("10.40.0.10", "10.40.0.250")], permits=[], mix=mix,
             activity=True),
        dict(name="campus-known", subnet="10.40.0.0/23", shared="campus",
             ranges=[("10.40.1.10", "10.40.1.209")],
             permits=["deny unknown-clients"], mix=mix),
        dict(name="campus-b", subnet="10.41.0.0/24", shared="campus",
             ranges=[("10.41.0.10", "10.41.0.250")], permits=[], mix=mix),
        dict(name="nearfull", subnet="10.50.0.0/24", shared=None,
             ranges=[("10.50.0.10", "10.50.0.109")], permits=[],
             counts={"active": 95, "abandoned": 2, "free": 0},
             activity=True),
        dict(name="staff", subnet="10.60.0.0/24", shared=None,
             ranges=[("10.60.0.10", "10.60.0.59")],
             permits=['allow members of "staff"'], mix=mix),
    ]
    # lan (where tests/integration/test_activity.sh brings real clients)
    # and campus-b keep only day-old client activity.
    # Expected server-side pools: campus-a and campus-b have the same
    # (empty) permit list in one shared network, so dhcpd merges them.
    server_pool = {"campus-a": "campus-open", "campus-b": "campus-open"}
    hosts = [
        dict(name="printer1", fixed="10.99.0.50"),
        dict(name="printer2", fixed="10.99.0.51"),
        dict(name="nas", fixed="10.20.1.5"),
        dict(name="laptop-known", fixed=None),
        dict(name="phone-known", fixed=None),
        dict(name="cid-host", fixed="10.99.0.60",
             client_id="01:00:16:3e:aa:bb:cc"),
    ]
    return pools, server_pool, hosts, True


def profile_bench():
    """One pool of exactly 65,024 addresses: 10.64.1.0 - 10.64.254.255."""
    pools = [
        dict(name="bench", subnet="10.64.0.0/16", shared=None,
             ranges=[("10.64.1.0", "10.64.254.255")], permits=[],
             mix={"active": 0.60, "abandoned": 0.03}),
    ]
    return pools, {}, [], False


def profile_failover():
    """A failover pool (peer unreachable, inside the namespace only)."""
    pools = [
        dict(name="fo", subnet="10.70.0.0/24", shared=None,
             ranges=[("10.70.0.10", "10.70.0.209")], permits=[],
             failover=True,
             mix={"active": 0.50, "backup": 0.20, "abandoned": 0.02,
                  "free": 0.10, "expired": 0.03}),
        dict(name="plain", subnet="10.99.0.0/16", shared=None,
             ranges=[("10.99.1.1", "10.99.1.100")], permits=[],
             mix={"active": 0.5, "backup": 0.1}),
    ]
    hosts = [dict(name="printer1", fixed="10.99.0.50")]
    return pools, {}, hosts, False


def profile_pools1000(count=1000):
    """1,000 pools of 65 addresses (65,000 in all), each in its own /24:
    10.100.0.1-65 .. 10.103.231.1-65 (make bench: the pool tier).
    --pools N makes N of them instead (at most 39,936: 10.100-10.255)."""
    mix = {"active": 0.60, "abandoned": 0.03}
    pools = []
    for i in range(count):
        net = "10.%d.%d" % (100 + i // 256, i % 256)
        pools.append(dict(name="p%04d" % i, subnet=net + ".0/24",
                          shared=None, ranges=[(net + ".1", net + ".65")],
                          permits=[], mix=mix))
    return pools, {}, [], False


def profile_demo():
    """make demo: an empty pool of 100 on v0's subnet, which perfdhcp
    fills over the wire, next to three pools with sample leases."""
    mix = {"active": 0.70, "abandoned": 0.02, "expired": 0.02,
           "released": 0.02, "free": 0.05}
    pools = [
        dict(name="demo", subnet="10.99.0.0/16", shared=None,
             ranges=[("10.99.0.100", "10.99.0.199")], permits=[],
             counts={}),
        dict(name="office", subnet="10.20.0.0/22", shared=None,
             ranges=[("10.20.0.10", "10.20.0.250"),
                     ("10.20.2.10", "10.20.2.250")], permits=[], mix=mix),
        dict(name="guest", subnet="10.31.0.0/26", shared=None,
             ranges=[("10.31.0.1", "10.31.0.62")], permits=[],
             mix={"active": 0.40, "free": 0.05}),
        dict(name="voip", subnet="10.60.0.0/24", shared=None,
             ranges=[("10.60.0.10", "10.60.0.209")], permits=[],
             mix={"active": 0.55, "abandoned": 0.01}),
    ]
    hosts = [dict(name="printer1", fixed="10.99.0.50")]
    return pools, {}, hosts, False


PROFILES = {"default": profile_default, "bench": profile_bench,
            "failover": profile_failover, "pools1000": profile_pools1000,
            "demo": profile_demo}

FAILOVER_PEER = "lab-peer"
FAILOVER_ADDR = "10.99.0.1"
FAILOVER_PEER_ADDR = "10.99.0.2"     # added to v0 inside the namespace


# ---------------------------------------------------------------- leases

def assign_states(g, pool, scale):
    """Return {ip: file_state} for the written leases of a pool."""
    addrs = []
    for a, b in pool["ranges"]:
        addrs.extend(ip_range(a, b))
    order = list(addrs)
    g.rng.shuffle(order)
    states = {}
    if "counts" in pool:
        plan = dict(pool["counts"])
    else:
        plan = {s: int(round(f * len(addrs))) for s, f in pool["mix"].items()}
    if scale is not None:
        plan = {s: min(int(round(n * scale)), len(addrs)) for s, n in plan.items()}
        while sum(plan.values()) > len(addrs):
            big = max(plan, key=plan.get)
            plan[big] -= 1
    i = 0
    for state in sorted(plan):
        for _ in range(plan[state]):
            states[order[i]] = state
            i += 1
    return addrs, states


def make_lease(g, ip, fstate, pool_name, serial, failover):
    """Return the truth record of one written lease."""
    now = g.now
    rec = {"file_state": fstate}
    if fstate not in ("free", "backup"):
        rec["hardware-address"] = g.mac()
    if fstate in ("active", "reserved-active"):
        rec["ends"] = g.ends()
        rec["starts"] = rec["ends"] - 86400 - g.rng.randrange(3600)
    elif fstate == "active-ended":
        rec["ends"] = now - g.rng.randint(60, 86400)
        rec["starts"] = rec["ends"] - 86400
    elif fstate in ("expired", "released", "reset", "expired-to-free",
                    "released-to-free"):
        rec["ends"] = now - g.rng.randint(60, 7 * 86400)
        rec["starts"] = rec["ends"] - 3600
    elif fstate == "abandoned":
        rec["starts"] = now - g.rng.randint(3600, 86400)
        rec["ends"] = rec["starts"] + 86400
    else:   # free, backup
        rec["starts"] = now - g.rng.randint(86400, 10 * 86400)
        rec["ends"] = rec["starts"] + 3600
    rec["cltt"] = rec["starts"]
    if failover:
        rec["tstp"] = rec["ends"]
    if fstate in ("reserved-free", "reserved-active"):
        rec["flags"] = 4
    if fstate in ("active", "active-ended", "released") and \
            g.rng.random() < 0.9:
        rec["client-hostname"] = "%s-%05d" % (pool_name, serial)
    if fstate == "active" and g.rng.random() < 0.35:
        rec["dhcp-client-identifier"] = "01:" + rec["hardware-address"]
    return rec


def planned(pool):
    """Number of leases a pool writes with the profile's own mix."""
    if "counts" in pool:
        return sum(pool["counts"].values())
    size = sum(len(ip_range(a, b)) for a, b in pool["ranges"])
    return sum(int(round(f * size)) for f in pool["mix"].values())


def quote(v):
    """Escape a str (UTF-8) or bytes for a dhcpd.leases string."""
    b = v.encode("utf-8") if isinstance(v, str) else v
    return "".join(chr(x) if 0x20 <= x < 0x7f and x not in b'"\\'
                   else "\\%03o" % x for x in b)


def lease_text(ip, rec, failover):
    """Render one lease block of dhcpd.leases."""
    fstate = rec["file_state"]
    state, nxt = FILE_STATES[fstate]
    out = ["lease %s {" % ip,
           "  starts %s;" % dhcpd_date(rec["starts"]),
           "  ends %s;" % dhcpd_date(rec["ends"]),
           "  cltt %s;" % dhcpd_date(rec["cltt"]),
           "  binding state %s;" % state]
    if failover:
        out.insert(3, "  tstp %s;" % dhcpd_date(rec["tstp"]))
    if nxt:
        out.append("  next binding state %s;" % nxt)
    if state == "active" and failover:
        out.append("  rewind binding state free;")
    if rec.get("flags", 0) & 4:
        out.append("  reserved;")
    if "hardware-address" in rec:
        out.append("  hardware ethernet %s;" % rec["hardware-address"])
    if "dhcp-client-identifier" in rec:
        out.append("  uid %s;" % rec["dhcp-client-identifier"])
    if "client-hostname" in rec:
        out.append('  client-hostname "%s";' % quote(rec["client-hostname"]))
    if "billing-class" in rec:
        out.append('  billing class "%s";' % rec["billing-class"])
    for k, v in sorted(rec.get("vars", {}).items()):
        if k.endswith("-blob"):     # binary, given as colon hex
            v = bytes.fromhex(v.replace(":", ""))
        out.append('  set %s = "%s";' % (k, quote(v)))
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- config

def key_block(key):
    """Render a dhcpd.conf-style key statement."""
    return 'key %s {\n  algorithm %s;\n  secret "%s";\n};\n' % (
        key["name"], key["algorithm"], key["secret"])


def pool_block(pool, indent):
    """Render one pool {} block."""
    pad = " " * indent
    out = [pad + "pool {  # %s" % pool["name"]]
    if pool.get("failover"):
        out.append(pad + '  failover peer "%s";' % FAILOVER_PEER)
    for p in pool["permits"]:
        out.append(pad + "  %s;" % p)
    for a, b in pool["ranges"]:
        out.append(pad + "  range %s %s;" % (a, b))
    out.append(pad + "}")
    return out


def subnet_block(cidr, pools, indent):
    """Render a subnet with its pools."""
    net = ipaddress.IPv4Network(cidr)
    pad = " " * indent
    out = [pad + "subnet %s netmask %s {" % (net.network_address, net.netmask)]
    routers = str(net.network_address + 1)
    if cidr != "10.99.0.0/16":
        out.append(pad + "  option routers %s;" % routers)
    for p in pools:
        out.extend(pool_block(p, indent + 2))
    out.append(pad + "}")
    return out


def monotonic_ends(leases):
    """Reassign times within each file state so ends fall as addresses rise."""
    groups = {}
    for ip, rec, _ in leases:
        groups.setdefault(rec["file_state"], []).append((ip, rec))
    for recs in groups.values():
        recs.sort(key=lambda x: ipaddress.IPv4Address(x[0]))
        keys = ("ends", "starts", "cltt", "tstp")
        times = sorted(([r.get(k) for k in keys] for _, r in recs),
                       key=lambda t: -t[0])
        for (_, r), t in zip(recs, times):
            for k, v in zip(keys, t):
                if v is not None:
                    r[k] = v


def conf_head(comment, key):
    """The global statements every lab dhcpd.conf starts with: OMAPI on
    PORT, signed with key when there is one (gen_pair.py uses it too)."""
    out = ["# %s" % comment,
           "authoritative;",
           "ddns-update-style none;",
           "ping-check false;",
           "default-lease-time 3600;",
           "max-lease-time 86400;",
           "omapi-port %d;" % PORT]
    if key:
        out.append(key_block(key).rstrip("\n"))
        out.append("omapi-key %s;" % key["name"])
    return out


def conf_text(profile, seed, pools, hosts, key, has_classes, failover):
    """Render the whole dhcpd.conf."""
    out = conf_head("generated by tests/lab/gen_lab.py: profile %s, seed %s"
                    % (profile, seed), key)
    if failover:
        out += ['failover peer "%s" {' % FAILOVER_PEER,
                "  primary;",
                "  address %s;" % FAILOVER_ADDR,
                "  port 647;",
                "  peer address %s;" % FAILOVER_PEER_ADDR,
                "  peer port 847;",
                "  max-response-delay 60;",
                "  max-unacked-updates 10;",
                "  mclt 3600;",
                "  split 128;",
                "  load balance max seconds 3;",
                "}"]
    if has_classes:
        out += ['class "limited" {',
                '  match if substring(option vendor-class-identifier, 0, 4)'
                ' = "LAB-";',
                "  lease limit 4;",
                "}",
                'class "byname" {',
                "  match hardware;",
                "}",
                'subclass "byname" 1:00:16:3e:00:00:01;',
                'subclass "byname" 1:00:16:3e:00:00:02;',
                'class "staff" {',
                '  match if option user-class = "staff";',
                "}"]
    # subnets, in order of first appearance; shared networks grouped
    subnets = {}
    order = []
    for p in pools:
        key_ = (p["shared"], p["subnet"])
        if key_ not in subnets:
            subnets[key_] = []
            order.append(key_)
        subnets[key_].append(p)
    if not any(c == "10.99.0.0/16" for _, c in order):
        order.insert(0, (None, "10.99.0.0/16"))
        subnets[(None, "10.99.0.0/16")] = []
    done_shared = set()
    for shared, cidr in order:
        if shared is None:
            out += subnet_block(cidr, subnets[(shared, cidr)], 0)
            continue
        if shared in done_shared:
            continue
        done_shared.add(shared)
        out.append('shared-network "%s" {' % shared)
        for s2, c2 in order:
            if s2 == shared:
                out += subnet_block(c2, subnets[(s2, c2)], 2)
        out.append("}")
    for h in hosts:
        out.append("host %s {" % h["name"])
        out.append("  hardware ethernet %s;" % h["hardware-address"])
        if h.get("fixed"):
            out.append("  fixed-address %s;" % h["fixed"])
        if h.get("client_id"):
            out.append("  option dhcp-client-identifier %s;" % h["client_id"])
        out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main

def make_key(alg, seed, secret):
    """Return the key record, the secret derived from the seed."""
    if alg not in ALGORITHMS:
        raise SystemExit("gen_lab: unknown key algorithm %r (one of %s)"
                         % (alg, ", ".join(ALGORITHMS)))
    if secret == "random":
        secret = base64.b64encode(os.urandom(ALGORITHMS[alg])).decode()
    elif secret is None:
        rng = random.Random("key:%s:%s" % (seed, alg))
        raw = bytes(rng.randrange(256) for _ in range(ALGORITHMS[alg]))
        secret = base64.b64encode(raw).decode()
    return {"name": KEY_NAME, "algorithm": alg, "secret": secret}


def recent_activity(args, pools, lease_recs):
    """Give every lease a cltt (and starts) a day or more ago, then move
    those of active leases in "activity" pools to the last hour, as
    ACTIVITY_BUCKETS says.  A random source of its own leaves every other
    generated value as it was."""
    rng = random.Random("%s:%s:activity" % (args.profile, args.seed))
    spans = [(int(ipaddress.IPv4Address(a)), int(ipaddress.IPv4Address(b)))
             for p in pools if p.get("activity") for a, b in p["ranges"]]
    total = sum(w for w, _, _ in ACTIVITY_BUCKETS)
    for ip in sorted(lease_recs, key=ipaddress.IPv4Address):
        rec = lease_recs[ip]
        n = int(ipaddress.IPv4Address(ip))
        # dhcpd sets both to the time of the ACK: never in the future,
        # which the starts of a lease ending in weeks would otherwise be
        if rec["cltt"] > args.now - 86400:
            rec["cltt"] = rec["starts"] = \
                args.now - 86400 - rng.randrange(3600)
        if rec["state"] != "active" or \
                not any(a <= n <= b for a, b in spans):
            continue
        r = rng.randrange(total)
        for w, lo, hi in ACTIVITY_BUCKETS:
            if r < w:
                break
            r -= w
        if lo is not None:
            rec["cltt"] = rec["starts"] = args.now - rng.randint(lo, hi)


def generate(args):
    """Build all three files' contents; return (conf, leases, truth)."""
    if args.pools is not None:
        if args.profile != "pools1000" or not 1 <= args.pools <= 39936:
            raise SystemExit("gen_lab: --pools N (1 to 39936) is for the"
                             " pools1000 profile")
        pools, server_pool, hosts, has_classes = profile_pools1000(args.pools)
    else:
        pools, server_pool, hosts, has_classes = PROFILES[args.profile]()
    failover = any(p.get("failover") for p in pools)
    g = Gen("%s:%s" % (args.profile, args.seed), args.now)
    key = None if args.no_key else make_key(args.key, args.seed, args.secret)
    for h in hosts:
        h["hardware-address"] = g.mac()
    scale = None
    if args.leases is not None:
        scale = args.leases / max(1, sum(planned(p) for p in pools))
    leases = []
    truth_pools = []
    addresses = {}
    lease_recs = {}
    serial = 0
    for p in pools:
        addrs, states = assign_states(g, p, scale)
        counts = {}
        reserved_free = 0
        for ip in addrs:
            fstate = states.get(ip)
            if fstate is None:
                expect = "free"
            else:
                serial += 1
                rec = make_lease(g, ip, fstate, p["name"], serial,
                                 bool(p.get("failover")))
                expect = STATE_AFTER_LOAD[fstate]
                if fstate == "backup" and not p.get("failover"):
                    expect = "free"
                rec["state"] = expect
                lease_recs[ip] = rec
                leases.append((ip, rec, bool(p.get("failover"))))
            addresses[ip] = expect
            counts[expect] = counts.get(expect, 0) + 1
            if fstate == "reserved-free":
                reserved_free += 1
        truth_pools.append({
            "name": p["name"],
            "subnet": p["subnet"],
            "shared_network": p["shared"],
            "ranges": ["%s-%s" % r for r in p["ranges"]],
            "size": len(addrs),
            "permits": p["permits"],
            "failover": bool(p.get("failover")),
            "server_pool": server_pool.get(p["name"], p["name"]),
            "counts": dict(sorted(counts.items())),
            # expected pool counters of this configured pool's share
            "free_leases": counts.get("free", 0) - reserved_free,
            "backup_leases": counts.get("backup", 0),
        })
    # specials on a few active leases of the default profile: billing
    # class, binding-scope variables (text and binary), UTF-8 hostname
    if has_classes:
        active = sorted((ip for ip, r in lease_recs.items()
                         if r["file_state"] == "active"),
                        key=lambda a: ipaddress.IPv4Address(a))
        for ip in active[:3]:
            lease_recs[ip]["billing-class"] = "limited"
        lease_recs[active[3]]["vars"] = {"lab-note": "hello lab"}
        lease_recs[active[4]]["vars"] = {"lab-note": "second",
                                         "lab-blob": "01:02:fe"}
        lease_recs[active[5]]["client-hostname"] = "caf\u00e9-lab"
    recent_activity(args, pools, lease_recs)
    conf = conf_text(args.profile, args.seed, pools, hosts, key,
                     has_classes, failover)
    body = ["# generated by tests/lab/gen_lab.py: profile %s, seed %s\n"
            % (args.profile, args.seed),
            "authoring-byte-order little-endian;\n"]
    # Load speed (measured, dhcpd 4.4.3, 41k leases in a 65k pool):
    # dhcpd insertion-sorts each loaded lease into its pool's queue by
    # `ends`, walking from the head, and first unlinks it from the free
    # queue, walking past every range address not yet loaded.  Leases in
    # address order with random ends: ~9-30 s of CPU; in descending ends
    # order: ~17 s; in address order with ends descending along the
    # addresses: ~4 s (~1 s if the used addresses were contiguous).  So
    # large profiles give ends that fall as addresses rise, and write in
    # address order; small ones keep random ends (cheap at a few thousand).
    if len(leases) > 10000:
        monotonic_ends(leases)
    leases.sort(key=lambda x: ipaddress.IPv4Address(x[0]))
    body += [lease_text(ip, rec, fo) for ip, rec, fo in leases]
    truth = {
        "profile": args.profile,
        "seed": args.seed,
        "generated_at": args.now,
        "port": PORT,
        "key": key,
        "state_after_load": STATE_AFTER_LOAD,
        "pools": truth_pools,
        "hosts": [{"name": h["name"],
                   "hardware-address": h["hardware-address"],
                   "fixed-address": h.get("fixed"),
                   "dhcp-client-identifier": h.get("client_id")}
                  for h in hosts],
        "classes": ([{"name": "limited", "lease-limit": 4,
                      "billing_leases": 3},
                     {"name": "byname", "subclasses":
                      ["01:00:16:3e:00:00:01", "01:00:16:3e:00:00:02"]},
                     {"name": "staff"}] if has_classes else []),
        "failover": ({"peer": FAILOVER_PEER, "address": FAILOVER_ADDR,
                      "peer_address": FAILOVER_PEER_ADDR}
                     if failover else None),
        "addresses": addresses,
        "leases": lease_recs,
    }
    return conf, "".join(body), truth


def write(path, text, mode=0o644):
    """Write a file atomically with the given mode."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--profile", default="default", choices=sorted(PROFILES))
    ap.add_argument("--seed", default="1")
    ap.add_argument("--key", default="hmac-md5", choices=sorted(ALGORITHMS))
    ap.add_argument("--no-key", action="store_true")
    ap.add_argument("--secret", help="base64 secret, or 'random' (default: derived"
                    " from the seed, of the digest's length)")
    ap.add_argument("--now", type=int, default=int(time.time()))
    ap.add_argument("--leases", type=int, default=None,
                    help="write about N leases in all (scales each pool's"
                    " mix; default: the profile's own)")
    ap.add_argument("--pools", type=int, default=None,
                    help="pools1000 profile: N pools instead of 1,000")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    conf, leases, truth = generate(args)
    d = args.outdir
    write(os.path.join(d, "dhcpd.conf"), conf, 0o600)
    write(os.path.join(d, "dhcpd.leases"), leases)
    write(os.path.join(d, "truth.json"), json.dumps(truth, indent=1) + "\n")
    if truth["key"]:
        write(os.path.join(d, "omapi.key"), key_block(truth["key"]), 0o600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
