#!/usr/bin/python3
"""Probe facts about the live dhcpd of a lab (run inside its namespace).

    . DIR/env; tests/lab/lab.sh exec DIR /usr/bin/python3 tests/lab/verify_lab.py

Prints one JSON line per probe: signature length of replies, algorithm
name case, unknown key name, wrong secret, unsigned request on a keyed
server, class/subclass and failover-state lookups.  Only observes; the
assertions live in the integration tests.
"""

import base64
import json
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ref_sweep as R  # noqa: E402
import pypureomapi as P  # noqa: E402

HOST = os.environ.get("LAB_HOST", "127.0.0.1")
PORT = int(os.environ.get("LAB_PORT", "7911"))


def raw_connect():
    """Connect and exchange startup messages; return the socket."""
    s = socket.create_connection((HOST, PORT), timeout=3)
    s.sendall(struct.pack("!II", 100, 24))
    got = recv_n(s, 8)
    assert struct.unpack("!II", got) == (100, 24), got
    return s


def recv_n(s, n):
    """Read exactly n bytes."""
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("connection closed")
        b += c
    return b


def read_msg(s):
    """Read one message; return (header dict, message, obj, signature)."""
    hdr = struct.unpack("!6I", recv_n(s, 24))
    h = dict(zip(("authid", "authlen", "opcode", "handle", "tid", "rid"), hdr))

    def nvlist():
        out = []
        while True:
            (nl,) = struct.unpack("!H", recv_n(s, 2))
            if nl == 0:
                return out
            name = recv_n(s, nl)
            (vl,) = struct.unpack("!I", recv_n(s, 4))
            out.append((name, recv_n(s, vl)))
    m = nvlist()
    o = nvlist()
    sig = recv_n(s, h["authlen"])
    return h, m, o, sig


def send(s, msg, auth=None):
    """Serialise (and sign) a pypureomapi OmapiMessage and send it."""
    if auth is not None:
        msg.sign(auth)
    s.sendall(msg.as_string())


def authenticate(s, auth):
    """Open the authenticator object; return the reply."""
    msg = P.OmapiMessage.open(b"authenticator")
    msg.update_object(auth.auth_object())
    send(s, msg)
    return read_msg(s)


def lease_open(ip):
    msg = P.OmapiMessage.open(b"lease")
    msg.obj.append((b"ip-address", P.pack_ip(ip)))
    return msg


def summary(reply):
    h, m, o, sig = reply
    md = dict(m)
    return {"opcode": h["opcode"], "authid": h["authid"],
            "authlen": h["authlen"], "handle": h["handle"],
            "result": int.from_bytes(md[b"result"], "big")
            if b"result" in md else None,
            "message": md.get(b"message", b"").decode("utf-8", "replace")}


def probe_algorithms(key, ip):
    """Sign with the lab key using several spellings of its algorithm."""
    alg = key["algorithm"]
    spellings = [alg + ".SIG-ALG.REG.INT.", (alg + ".SIG-ALG.REG.INT.").upper(),
                 alg, alg + ".SIG-ALG.REG.INT"]
    for wire in spellings:
        s = raw_connect()
        a = R.HMACAuthenticator(key["name"], key["secret"], alg, wire_alg=wire)
        r = authenticate(s, a)
        row = {"probe": "algorithm-name", "sent": wire,
               "auth_reply": summary(r)}
        if r[0]["opcode"] == P.OMAPI_OP_UPDATE:
            a.authid = r[0]["handle"]
            send(s, lease_open(ip), a)
            h, m, o, sig = read_msg(s)
            msg = P.OmapiMessage(authid=h["authid"], opcode=h["opcode"],
                                 handle=h["handle"], tid=h["tid"],
                                 rid=h["rid"], message=m, obj=o,
                                 signature=sig)
            row["lease_reply"] = summary((h, m, o, sig))
            row["reply_sig_len"] = len(sig)
            row["reply_sig_valid"] = msg.verify({a.authid: a})
        print(json.dumps(row))
        s.close()


def probe_failures(key, ip):
    """Unknown key name, wrong secret, unsigned request."""
    s = raw_connect()
    a = R.HMACAuthenticator("no_such_key", key["secret"], key["algorithm"])
    print(json.dumps({"probe": "unknown-key-name",
                      "reply": summary(authenticate(s, a))}))
    s.close()

    s = raw_connect()
    bad = base64.b64encode(b"\x01" * len(base64.b64decode(key["secret"])))
    a = R.HMACAuthenticator(key["name"], bad, key["algorithm"])
    r = authenticate(s, a)
    row = {"probe": "wrong-secret", "auth_reply": summary(r)}
    if r[0]["opcode"] == P.OMAPI_OP_UPDATE:
        a.authid = r[0]["handle"]
        send(s, lease_open(ip), a)
        row["lease_reply"] = summary(read_msg(s))
        send(s, lease_open(ip), a)
        row["second_lease_reply"] = summary(read_msg(s))
    print(json.dumps(row))
    s.close()

    s = raw_connect()
    send(s, lease_open(ip))
    print(json.dumps({"probe": "unsigned-on-keyed-server",
                      "reply": summary(read_msg(s))}))
    s.close()


def probe_objects(auth, truth):
    """class, subclass, failover-state, host, pool-merge lookups."""
    o = R.connect(HOST, PORT, auth)
    for c in truth.get("classes", []):
        print(json.dumps({"probe": "class", "name": c["name"],
                          "reply": R.open_object(
                              o, "class", [(b"name", c["name"].encode())])}))
        for sub in c.get("subclasses", []):
            hs = bytes.fromhex(sub.replace(":", ""))
            print(json.dumps({"probe": "subclass", "name": c["name"],
                              "hashstring": sub, "reply": R.open_object(
                                  o, "subclass", [(b"name", c["name"].encode()),
                                                  (b"hashstring", hs)])}))
    for name in ["no-such-class"]:
        print(json.dumps({"probe": "class", "name": name, "reply":
                          R.open_object(o, "class", [(b"name", name.encode())])}))
    fo = truth.get("failover")
    for name in ([fo["peer"]] if fo else []) + ["no-such-peer"]:
        print(json.dumps({"probe": "failover-state", "name": name, "reply":
                          R.open_object(o, "failover-state",
                                        [(b"name", name.encode())])}))
    for h in truth.get("hosts", [])[:2]:
        print(json.dumps({"probe": "host", "name": h["name"], "reply":
                          R.open_object(o, "host",
                                        [(b"name", h["name"].encode())])}))
    print(json.dumps({"probe": "control", "reply":
                      R.open_object(o, "control", [])}))
    o.close()


def main():
    truth = json.load(open(os.environ["LAB_TRUTH"]))
    key = truth.get("key")
    ip = truth["pools"][0]["ranges"][0].split("-")[0]
    auth = None
    if key:
        probe_algorithms(key, ip)
        probe_failures(key, ip)
        auth = R.HMACAuthenticator(key["name"], key["secret"],
                                   key["algorithm"])
    probe_objects(auth, truth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
