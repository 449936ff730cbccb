#!/usr/bin/python3
"""Abusive HTTP clients for the exporter's server (test_http_abuse.sh).

  http_abuse.py [--port P] [--src A,B,..] MODE ARGS...

  idle N HOLD            N connections that send nothing, held HOLD s
  stall N HOLD           N connections that send part of a request head
                         once, then nothing, held HOLD s
  slowloris N HOLD [I]   N connections that send a request head one byte
                         every I s (default 1), never finishing it, for
                         HOLD s
  raw BYTES              one connection: BYTES (a Python bytes expression
                         of literals, + and *, e.g.
                         "b'GET /' + b'a' * 9000 + b' HTTP/1.0\\r\\n\\r\\n'")
                         sent, the answer read (up to --wait s)

The connections go to 127.0.0.1:P (default 19440) from the --src
addresses in turn (default 127.0.0.1), so the server's per-address limit
applies per source. Results are key=value lines on stdout:

  idle, stall, slowloris: once every connection is made and has had
  SETTLE s to be turned away, "accepted=A refused=R" (R: closed or reset
  by the server at once, or never connected); at the end
  "accepted=A refused=R closed_by_server=K still_open=M answered=W
  first_close=T0 last_close=T1": K of the accepted ones the server closed
  while held, T0 and T1 the seconds from the first line to the first and
  last of those closes (-1: none), W of them got some answer before.

  raw: "status=NNN allow=... bytes=N how=HOW secs=S": NNN the response's
  status (000: none), allow its Allow header, N the bytes of BYTES sent,
  HOW closed / reset / timeout / open (how the read ended: open once a
  whole response head is in), S the seconds it took.
"""
import argparse
import errno
import selectors
import socket
import sys
import time

HOST = "127.0.0.1"
SETTLE = 0.5		# s for the server to turn a connection away
HEAD = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
GONE = (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED)


def connect(port, src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(2)
    try:
        s.connect((HOST, port))
    except OSError:
        s.close()
        return None
    s.setblocking(False)
    return s


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.sent = 0		# bytes of the head sent
        self.closed = None	# time the server closed it
        self.answered = False

    def poll_closed(self, now):
        """Read what the server sent; note when it closes."""
        while self.closed is None:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno not in GONE:
                    raise
                data = b""
            if not data:
                self.closed = now
            else:
                self.answered = True

    def send(self, data, now):
        if self.closed is not None:
            return
        try:
            self.sent += self.sock.send(data)
        except BlockingIOError:
            pass
        except OSError as e:
            if e.errno not in GONE:
                raise
            self.closed = now


def next_bytes(c, mode):
    """What connection c sends next: the head, byte by byte (slowloris)
    or its first part at once (stall)."""
    if mode == "stall":
        return HEAD[c.sent:] if c.sent < len(HEAD) else b""
    if c.sent < len(HEAD):
        return HEAD[c.sent:c.sent + 1]
    return b"a"


def hold(args, mode):
    n, hold_s = int(args.args[0]), float(args.args[1])
    interval = float(args.args[2]) if len(args.args) > 2 else 1.0
    srcs = args.src.split(",")
    conns, failed = [], 0
    for i in range(n):
        s = connect(args.port, srcs[i % len(srcs)])
        if s is None:
            failed += 1
        else:
            conns.append(Conn(s))
    sel = selectors.DefaultSelector()
    for c in conns:
        sel.register(c.sock, selectors.EVENT_READ, c)
    next_send = time.monotonic()
    settle_end = next_send + SETTLE
    refused = None
    t0 = None
    end = None
    while True:
        now = time.monotonic()
        if mode != "idle" and now >= next_send:
            for c in conns:
                c.send(next_bytes(c, mode), now)
            next_send += interval
        if refused is None and now >= settle_end:
            refused = failed + sum(1 for c in conns if c.closed is not None)
            accepted = [c for c in conns if c.closed is None]
            print("accepted=%d refused=%d" % (len(accepted), refused),
                  flush=True)
            t0 = now
            end = now + hold_s
        if end is not None and (now >= end or
                                all(c.closed is not None for c in accepted)):
            break
        wake = next_send if mode != "idle" else now + 0.1
        wake = min(wake, settle_end if refused is None else end)
        for key, _ in sel.select(max(0.0, wake - now)):
            key.data.poll_closed(time.monotonic())
            if key.data.closed is not None:
                sel.unregister(key.fileobj)
    closes = sorted(c.closed - t0 for c in accepted if c.closed is not None)
    print("accepted=%d refused=%d closed_by_server=%d still_open=%d "
          "answered=%d first_close=%.1f last_close=%.1f" % (
              len(accepted), refused, len(closes),
              len(accepted) - len(closes),
              sum(1 for c in accepted if c.answered),
              closes[0] if closes else -1, closes[-1] if closes else -1),
          flush=True)
    for c in conns:
        c.sock.close()


def raw(args):
    # A bytes expression without names: literals, + and * only.
    data = eval(args.args[0], {"__builtins__": {}}, {})
    if not isinstance(data, bytes):
        sys.exit("raw: want a bytes expression")
    s = connect(args.port, args.src.split(",")[0])
    if s is None:
        print("status=000 allow= bytes=0 how=refused")
        return
    start = time.monotonic()
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    got, off, how = b"", 0, "timeout"
    deadline = time.monotonic() + args.wait
    # Read while sending: the server may answer (and close) before it has
    # read everything.
    while time.monotonic() < deadline:
        events = sel.select(deadline - time.monotonic())
        if not events:
            break
        ev = events[0][1]
        if ev & selectors.EVENT_READ:
            try:
                chunk = s.recv(65536)
            except OSError as e:
                if e.errno not in GONE:
                    raise
                how = "reset"
                break
            if not chunk:
                how = "closed"
                break
            got += chunk
            if b"\r\n\r\n" in got and not got.startswith(b"HTTP/1.1 100"):
                how = "open"	# head complete: that is all we need
                break
        if ev & selectors.EVENT_WRITE:
            try:
                off += s.send(data[off:off + 65536])
            except OSError as e:
                if e.errno not in GONE:
                    raise
                sel.modify(s, selectors.EVENT_READ)
                continue
            if off >= len(data):
                sel.modify(s, selectors.EVENT_READ)
    s.close()
    status, allow = "000", ""
    lines = got.split(b"\r\n\r\n")[0].split(b"\r\n")
    if lines[0].startswith(b"HTTP/") and len(lines[0].split()) >= 2:
        status = lines[0].split()[1].decode("ascii", "replace")
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"allow":
            allow = value.strip().decode("ascii", "replace").replace(" ", "")
    print("status=%s allow=%s bytes=%d how=%s secs=%.1f" % (
        status, allow, off, how, time.monotonic() - start))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=19440)
    ap.add_argument("--src", default=HOST)
    ap.add_argument("--wait", type=float, default=5)
    ap.add_argument("mode", choices=["idle", "stall", "slowloris", "raw"])
    ap.add_argument("args", nargs="+")
    args = ap.parse_args()
    if args.mode == "raw":
        raw(args)
    else:
        hold(args, args.mode)


if __name__ == "__main__":
    main()
