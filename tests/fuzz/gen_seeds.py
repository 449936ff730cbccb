#!/usr/bin/python3
"""
gen_seeds.py: write the seed corpora under tests/fuzz/seeds/<target>/.
Messages come from pypureomapi (python3-pypureomapi), so the seeds start
the fuzzers from what a real peer sends.  Run from anywhere:
    /usr/bin/python3 tests/fuzz/gen_seeds.py
"""
import hashlib
import hmac
import os
import struct

import pypureomapi as P

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZ_SECRET = b"secret"        # fuzz_conn.c's key: "c2VjcmV0"
AUTHID = 5


def u32(v):
    return struct.pack("!I", v)


def lease(rid, host=b"laptop-7", authid=0, key=None):
    m = P.OmapiMessage(opcode=P.OMAPI_OP_UPDATE, handle=0x2a, tid=0x40000000 + rid,
                       rid=rid, obj=[
                           (b"state", u32(2)),
                           (b"ip-address", P.pack_ip("10.0.0.5")),
                           (b"client-hostname", host),
                           (b"subnet", u32(0x0b)), (b"pool", u32(0x0c)),
                           (b"hardware-address", P.pack_mac("00:16:3e:00:00:01")),
                           (b"hardware-type", u32(1)),
                           (b"ends", u32(1893456000)), (b"starts", u32(1700000000)),
                           (b"cltt", u32(1700000000)), (b"flags", b"\x00"),
                           (b"uid", b"\x01\x00\x16\x3e\x00\x00\x01"),
                       ])
    if key is not None:
        m.authid = authid
        m.signature = b"\0" * 16
        m.signature = hmac.new(key, m.as_string(forsigning=True), hashlib.md5).digest()
    return m.as_string()


def status(rid, result, text=None, authid=0):
    msg = [(b"result", u32(result))]
    if text is not None:
        msg.append((b"message", text))
    return P.OmapiMessage(opcode=P.OMAPI_OP_STATUS, tid=0x50000000 + rid, rid=rid,
                          message=msg, authid=authid).as_string()


def pool(rid):
    return P.OmapiMessage(opcode=P.OMAPI_OP_UPDATE, handle=0x0c, tid=7, rid=rid,
                          obj=[(b"lease-count", u32(20000)), (b"free-leases", u32(1234)),
                               (b"backup-leases", u32(0)),
                               (b"local-state", u32(2)), (b"partner-state", u32(254))]
                          ).as_string()


def write(target, name, data):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def wire_seeds():
    a = P.OmapiHMACMD5Authenticator(b"omapi_key", b"yhgGCRs6sTRbjTfvCzHWzg==")
    a.authid = 7
    req = P.OmapiMessage.open(b"lease")
    req.tid = 5
    req.obj.append((b"ip-address", P.pack_ip("10.0.0.5")))
    req.sign(a)
    write("fuzz_wire", "lease_reply", b"\xff\x80" + lease(1))
    write("fuzz_wire", "status_notfound", b"\xff\x40" + status(1, 23, b"no object matches specification"))
    write("fuzz_wire", "signed_request", b"\xff\x20" + req.as_string())
    write("fuzz_wire", "stream", b"\x10\x10" + lease(1) + status(2, 0x6000b) + pool(3))
    write("fuzz_wire", "odd_strings", b"\xff\xff" + P.OmapiMessage(
        opcode=P.OMAPI_OP_UPDATE, obj=[(b"client-hostname", b'a"b\\c\n\x7f\xc3\xa9'),
                                       (b"state", u32(99)), (b"flags", b"\x04"),
                                       (b"empty", b""), (b"x" * 40, b"y" * 300)]).as_string())


def conn_seeds():
    # flags: bit0 keyed, bit1 raw startup, bits2-4 requests-1, bit5 send more
    write("fuzz_conn", "one_lease", b"\x00\xff" + lease(1))
    write("fuzz_conn", "notfound", b"\x00\xff" + status(1, 23, b"no object matches specification"))
    write("fuzz_conn", "four_out_of_order", bytes([3 << 2, 0xff]) +
          lease(3) + lease(1) + status(4, 23) + lease(2))
    write("fuzz_conn", "unmatched_then_reply", b"\x00\xff" + lease(99) + lease(1))
    write("fuzz_conn", "send_more", bytes([0x20 | (1 << 2), 0xff]) +
          b"".join(lease(i) for i in range(1, 12)))
    write("fuzz_conn", "raw_startup", b"\x02\xff" + P.OmapiStartupMessage().as_string() + lease(1))
    write("fuzz_conn", "bad_startup", b"\x02\xff" + u32(99) + u32(24))
    write("fuzz_conn", "small_limit", b"\x00\x01" + lease(1))
    # Keyed: the authenticator open (tid 1) granted authid 5, then a reply
    # to tid 2 signed with the fuzzer's key, one with a bad signature, and
    # dhcpd's unsigned 0x6000b.
    auth_ok = P.OmapiMessage(opcode=P.OMAPI_OP_UPDATE, handle=AUTHID, tid=1, rid=1).as_string()
    bad = bytearray(lease(3, authid=AUTHID, key=FUZZ_SECRET))
    bad[-1] ^= 1
    write("fuzz_conn", "keyed", bytes([0x01 | (2 << 2), 0xff]) + auth_ok +
          lease(2, authid=AUTHID, key=FUZZ_SECRET) + bytes(bad) + status(4, 0x6000b))
    write("fuzz_conn", "keyed_refused", b"\x01\xff" + status(1, 23, b"no object matches specification"))


def key_seeds():
    write("fuzz_key", "dhcpd_conf", b'key omapi_key {\n\talgorithm hmac-md5;\n'
          b'\tsecret "yhgGCRs6sTRbjTfvCzHWzg==";\n};\n')
    write("fuzz_key", "manpage", b"key DHCP_UPDATER {\n  algorithm HMAC-MD5.SIG-ALG.REG.INT;\n"
          b"  secret pRP5FapFoJ95JEL06sv4PQ==;\n};\n")
    write("fuzz_key", "several", b'# keys\nkey "k" { algorithm hmac-sha256; secret "Zm9vYmFy"; };\n'
          b"/* c */ key other { algorithm hmac-sha512; // x\n secret Zm9v; };\n")
    write("fuzz_key", "spec", b"omapi_key:yhgGCRs6sTRbjTfvCzHWzg==")
    write("fuzz_key", "base64", b"Zm9vYmE=\n")
    write("fuzz_key", "mac", b"0:16:3e:0:0:1")
    write("fuzz_key", "ip", b"10.0.0.5")


if __name__ == "__main__":
    wire_seeds()
    conn_seeds()
    key_seeds()
