#!/usr/bin/python3
"""Abusive HTTP clients for the exporter's server (test_http_abuse.sh).

  http_abuse.py [--port P] [--src A,B,..] MODE ARGS...

  idle N HOLD            N connections that send nothing, held HOLD s
  stall N HOLD           N connections that send part of a request head
                         once, then nothing, held HOLD s
  slowloris N HOLD [I]   N connections that send a request head one byte
                         every I s (default 1), never finishing it, for
                         HOLD s
  authflood N HOLD USER  N kept-alive connections that each send GET
                         /metrics with USER and a wrong password (a new
                         one every time), read the answer and send again,
                         for HOLD s; one the server closes is made again
  timed N USER:PASS      N scrapes of /metrics with those credentials, one
                         after the other, each on a new connection (at
                         most --wait s each)
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

  authflood: once every connection is made and has sent its first
  request, "connected=C refused=R"; at the end "requests=Q s401=A s429=B
  other=O closed=K": Q answers read, A of them 401, B 429, O any other
  status, K connections the server closed (each made again).

  timed: "n=N ok=K p50=MS p99=MS max=MS": K of the N answered 200; the
  milliseconds from connect to the end of the answer (--wait s for one
  that did not finish).

  raw: "status=NNN allow=... bytes=N how=HOW secs=S": NNN the response's
  status (000: none), allow its Allow header, N the bytes of BYTES sent,
  HOW closed / reset / timeout / open (how the read ended: open once a
  whole response head is in), S the seconds it took.
"""
import argparse
import base64
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


def basic(user, password):
    cred = base64.b64encode(("%s:%s" % (user, password)).encode())
    return (b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Basic " + cred + b"\r\n\r\n")


def response_end(got):
    """The length of the first whole response in got, or None."""
    head, sep, _ = got.partition(b"\r\n\r\n")
    if not sep:
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    end = len(head) + 4 + length
    return end if len(got) >= end else None


class Flooder:
    """One kept-alive connection sending wrong passwords."""

    def __init__(self, sock, user, tag):
        self.sock, self.user, self.tag = sock, user, tag
        self.got, self.n, self.closed = b"", 0, False

    def send(self):
        self.n += 1
        req = basic(self.user, "wrong-%s-%d" % (self.tag, self.n))
        try:
            self.sock.sendall(req)
        except OSError:
            self.closed = True

    def read(self, counts):
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.closed = True
            return
        self.got += data
        while (end := response_end(self.got)) is not None:
            status = self.got.split(b" ", 2)[1].decode("ascii", "replace")
            key = {"401": "s401", "429": "s429"}.get(status, "other")
            counts[key] += 1
            counts["requests"] += 1
            self.got = self.got[end:]
            self.send()


def flooder(args, src, tag, user):
    """A new connection from src with its first request sent, or None."""
    s = connect(args.port, src)
    if s is None:
        return None
    s.setblocking(True)
    c = Flooder(s, user, tag)
    c.send()
    s.setblocking(False)
    return c


def authflood(args):
    n, hold_s, user = int(args.args[0]), float(args.args[1]), args.args[2]
    srcs = args.src.split(",")
    sel = selectors.DefaultSelector()
    refused, closed, made = 0, 0, 0

    def add(src):
        nonlocal refused, made
        c = flooder(args, src, made, user)
        made += 1
        if c is None:
            refused += 1
        else:
            c.src = src
            sel.register(c.sock, selectors.EVENT_READ, c)

    for i in range(n):
        add(srcs[i % len(srcs)])
    print("connected=%d refused=%d" % (len(sel.get_map()), refused),
          flush=True)
    counts = {"requests": 0, "s401": 0, "s429": 0, "other": 0}
    end = time.monotonic() + hold_s
    while time.monotonic() < end:
        for key, _ in sel.select(max(0.0, min(0.1, end - time.monotonic()))):
            c = key.data
            c.read(counts)
            if c.closed:
                # The server closed it: make another from that address.
                closed += 1
                sel.unregister(c.sock)
                c.sock.close()
                add(c.src)
    print("requests=%(requests)d s401=%(s401)d s429=%(s429)d "
          "other=%(other)d" % counts + " closed=%d" % closed, flush=True)
    for key in list(sel.get_map().values()):
        key.fileobj.close()


def timed_one(args, user, password):
    """One scrape on a new connection: (status, seconds)."""
    start = time.monotonic()
    deadline = start + args.wait
    s = connect(args.port, args.src.split(",")[0])
    if s is None:
        return "000", args.wait
    s.setblocking(True)
    got = b""
    try:
        s.settimeout(args.wait)
        s.sendall(basic(user, password))
        while response_end(got) is None:
            s.settimeout(max(0.001, deadline - time.monotonic()))
            data = s.recv(65536)
            if not data:
                break
            got += data
    except OSError:
        pass
    s.close()
    if response_end(got) is None:
        return "000", args.wait
    return (got.split(b" ", 2)[1].decode("ascii", "replace"),
            time.monotonic() - start)


def timed(args):
    n = int(args.args[0])
    user, _, password = args.args[1].partition(":")
    ok, ms = 0, []
    for _ in range(n):
        status, secs = timed_one(args, user, password)
        ok += status == "200"
        ms.append(secs * 1000)
    ms.sort()
    print("n=%d ok=%d p50=%.1f p99=%.1f max=%.1f" % (
        n, ok, ms[(n - 1) // 2], ms[int(0.99 * (n - 1))], ms[-1]),
        flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=19440)
    ap.add_argument("--src", default=HOST)
    ap.add_argument("--wait", type=float, default=5)
    ap.add_argument("mode", choices=["idle", "stall", "slowloris", "raw",
                                     "authflood", "timed"])
    ap.add_argument("args", nargs="+")
    args = ap.parse_args()
    if args.mode == "raw":
        raw(args)
    elif args.mode == "authflood":
        authflood(args)
    elif args.mode == "timed":
        timed(args)
    else:
        hold(args, args.mode)


if __name__ == "__main__":
    main()
