#!/usr/bin/python3
"""An independent reading of a dhcpd.leases file, for the integration tests.

    read_leases.py FILE [POOL ...]

POOL is KIND|NAME|FIRST|LAST[|LEN] (KIND na, ta or pd; for pd, LEN is the
delegated prefix length).  Prints one line per pool and state with a lease:
"NAME STATE COUNT", then "last_cltt NAME EPOCH" for each pool with a cltt.
Written from dhcpd.leases(5) and a real file, with Python's own tokenizer
and ipaddress, sharing no code with src/leases: the last entry for an
address (a prefix: with its length) wins.
"""
import calendar
import ipaddress
import re
import sys

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*|[{};]|[^\s{};"#]+', re.S)


def tokens(text):
    for m in TOKEN.finditer(text):
        t = m.group(0)
        if not t.startswith("#"):
            yield t


def date(words):
    """ends/cltt values: ['never'], ['epoch', N] or [W, Y/M/D, H:M:S]."""
    if words[0] == "never":
        return None
    if words[0] == "epoch":
        return int(words[1])
    y, mo, d = (int(x) for x in words[1].split("/"))
    h, mi, s = (int(x) for x in words[2].split(":"))
    return calendar.timegm((y, mo, d, h, mi, s))


def statements(toks):
    """The statements of a block up to its '}': (words, sub-block|None)."""
    words = []
    for t in toks:
        if t == "}":
            return
        if t == ";":
            yield words, None
            words = []
        elif t == "{":
            yield words, list(statements(toks))
            words = []
        else:
            words.append(t)


def read(path):
    leases = {}
    toks = tokens(open(path, encoding="latin-1").read())
    for words, block in statements(toks):
        if block is None or not words or words[0] not in ("ia-na", "ia-ta", "ia-pd"):
            continue
        kind = words[0][3:]
        cltt = 0
        subs = []
        for w, b in block:
            if w and w[0] == "cltt":
                cltt = date(w[1:])
            elif w and w[0] in ("iaaddr", "iaprefix") and b is not None:
                state, ends = "active", 0
                for w2, _ in b:
                    if w2[:2] == ["binding", "state"]:
                        state = w2[2]
                    elif w2 and w2[0] == "ends":
                        ends = date(w2[1:])
                subs.append((w[1], state, ends))
        for addr, state, ends in subs:
            if kind == "pd":
                key = ("pd", ipaddress.ip_network(addr, strict=False))
            else:
                key = ("addr", ipaddress.ip_address(addr))
            leases[key] = (kind, state, cltt)
    return leases


def main():
    leases = read(sys.argv[1])
    pools = []
    for spec in sys.argv[2:]:
        kind, name, first, last, *plen = spec.split("|")
        pools.append((kind, name, ipaddress.ip_address(first),
                      ipaddress.ip_address(last), int(plen[0]) if plen else None))
    counts, cltt = {}, {}
    for (group, key), (kind, state, when) in leases.items():
        for pk, name, first, last, plen in pools:
            if pk != kind:
                continue
            if kind == "pd":
                if key.prefixlen != plen or not first <= key.network_address <= last:
                    continue
            elif not first <= key <= last:
                continue
            counts[(name, state)] = counts.get((name, state), 0) + 1
            cltt[name] = max(cltt.get(name, 0), when or 0)
            break
    for (name, state), n in sorted(counts.items()):
        print(name, state, n)
    for name, when in sorted(cltt.items()):
        if when:
            print("last_cltt", name, when)


if __name__ == "__main__":
    main()
