#!/usr/bin/python3
"""dhcplog_tap.py: the /dev/log of a real dhcpd in test_dhcplog.sh.

    dhcplog_tap.py DIR

Binds the unix datagram socket DIR/devlog (the test binds it onto dhcpd's
/dev/log) and, for every datagram dhcpd's syslog() sends:
  - writes it to DIR/truth.log, one line each: the independent record the
    exporter's counters are checked against;
  - forwards it unchanged to DIR/exporter.sock (the exporter's syslog
    listener), blocking like a syslog daemon would rather than dropping;
  - appends it to DIR/rename.log in rsyslog's traditional file format and to
    DIR/copy.log in rsyslog's RFC 3339 format, rotating both mid-traffic the
    way logrotate does: rename.log by rename (the writer keeps appending to
    the renamed file for ROTATE_LAG more lines, as rsyslog does until its
    HUP, then reopens), copy.log by copytruncate.
Rotations happen at datagram ROTATE_AT (env, default 40); it stops on
SIGTERM (writing DIR/tap.count).  Nothing here parses dhcpd's messages.
"""
import datetime
import os
import shutil
import signal
import socket
import sys

d = sys.argv[1]
rotate_at = int(os.environ.get("ROTATE_AT", "40"))
lag = int(os.environ.get("ROTATE_LAG", "5"))
host = "labhost"

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
path = os.path.join(d, "devlog")
if os.path.exists(path):
    os.unlink(path)
sock.bind(path)
os.chmod(path, 0o666)
fwd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
truth = open(os.path.join(d, "truth.log"), "ab", buffering=0)
ren_path = os.path.join(d, "rename.log")
cp_path = os.path.join(d, "copy.log")
ren = open(ren_path, "ab", buffering=0)
cp = open(cp_path, "ab", buffering=0)
n = 0


def on_term(*_):
    with open(os.path.join(d, "tap.count"), "w") as f:
        f.write("%d\n" % n)
    os._exit(0)


signal.signal(signal.SIGTERM, on_term)
open(os.path.join(d, "tap.ready"), "w").close()

reopen_at = None
while True:
    dgram = sock.recv(65536)
    n += 1
    truth.write(dgram.rstrip(b"\n") + b"\n")
    try:
        fwd.sendto(dgram, os.path.join(d, "exporter.sock"))
    except OSError as e:
        sys.stderr.write("tap: forward: %s\n" % e)
    # "<PRI>Mmm dd hh:mm:ss dhcpd[PID]: MSG": the PRI off, a host in
    body = dgram[dgram.index(b">") + 1:].rstrip(b"\n")
    stamp, rest = body[:15], body[16:]
    ren.write(stamp + b" " + host.encode() + b" " + rest + b"\n")
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    cp.write(now.encode() + b" " + host.encode() + b" " + rest + b"\n")
    if n == rotate_at:
        os.rename(ren_path, ren_path + ".1")    # logrotate: rename
        reopen_at = n + lag                     # rsyslog: until its HUP
        shutil.copyfile(cp_path, cp_path + ".1")  # logrotate: copytruncate
        os.truncate(cp_path, 0)
    if reopen_at is not None and n == reopen_at:
        ren.close()
        ren = open(ren_path, "ab", buffering=0)
        reopen_at = None
