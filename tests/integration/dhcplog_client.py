#!/usr/bin/python3
"""dhcplog_client.py: the DHCP messages perfdhcp does not send, as a relay
agent would forward them, for test_dhcplog.sh (run in the clients'
namespace).  The server is the real dhcpd.

    dhcplog_client.py RELAY SERVER inform CIADDR
    dhcplog_client.py RELAY SERVER nak MAC WRONG_IP     (REQUEST on the
                                                         wrong network)
    dhcplog_client.py RELAY SERVER decline MAC IP
    dhcplog_client.py RELAY SERVER release MAC IP
"""
import random
import socket
import struct
import sys
import time


def packet(kind, relay, server, mac, ciaddr="0.0.0.0", opts=b""):
    chaddr = bytes(int(x, 16) for x in mac.split(":")) + bytes(10)
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1,
                      random.getrandbits(32), 0, 0,
                      socket.inet_aton(ciaddr), bytes(4), bytes(4),
                      socket.inet_aton(relay), chaddr, bytes(64), bytes(128))
    o = bytes([53, 1, kind]) + opts
    return hdr + b"\x63\x82\x53\x63" + o + b"\xff"


def opt_ip(code, ip):
    return bytes([code, 4]) + socket.inet_aton(ip)


def main():
    relay, server, what = sys.argv[1:4]
    args = sys.argv[4:]
    sid = opt_ip(54, server)
    if what == "inform":
        p = packet(8, relay, server, "00:0c:0f:00:00:01", ciaddr=args[0])
    elif what == "nak":
        p = packet(3, relay, server, args[0], opts=opt_ip(50, args[1]))
    elif what == "decline":
        p = packet(4, relay, server, args[0], opts=opt_ip(50, args[1]) + sid)
    elif what == "release":
        p = packet(7, relay, server, args[0], ciaddr=args[1], opts=sid)
    else:
        sys.exit("unknown message %s" % what)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((relay, 67))
    s.sendto(p, (server, 67))
    s.settimeout(1.0)
    try:
        s.recv(2048)        # dhcpd's answer, when it gives one
    except socket.timeout:
        pass
    time.sleep(0.1)


main()
