#!/usr/bin/python3
"""A misbehaving OMAPI server: a proxy to a real dhcpd that breaks what it
forwards, in the way the file MODEFILE says at each message.

  fake_omapi.py LISTEN_PORT UPSTREAM_PORT MODEFILE

Listens on 127.0.0.1:LISTEN_PORT, forwards each connection to dhcpd on
127.0.0.1:UPSTREAM_PORT. What the client sends reaches dhcpd untouched;
dhcpd's replies are cut into messages and then, by mode:

  proxy        forwarded as they are (a well-behaved server)
  split        each message written in two parts, the cut moving one byte
               further every message (every offset of every message kind)
  truncate     half a message, then the connection closed
  hugelen      a reply whose first value claims 0xfffffff0 bytes
  manyattrs    a reply of 300,000 empty attributes (2.1 MB)
  badsig       the signature's last byte flipped
  nosig        the signature stripped, authid and authlen zeroed
  unsolicited  a copy of each reply with a request id never sent, first
  silent       nothing forwarded after the startup message
  slow         one byte every 0.2 s
  close        accept, then close at once
  garbage      16 bytes of garbage instead of the startup message
  breakone     the second connection accepted is cut in the middle of
               its 300th reply; every other one is a proxy (a sweep on
               several connections loses one of them mid-way)

A change to a mode that acts on a new connection (close, garbage) closes
the connections open so far, so that it takes effect. Only 127.0.0.1 is
used.
"""
import socket
import struct
import sys
import threading
import time

HDR = 24
STARTUP = 8


def read_mode(path):
    try:
        with open(path) as f:
            return f.read().strip() or "proxy"
    except OSError:
        return "proxy"


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out


def read_values(sock):
    """Bytes of one name/value list up to and including its end marker."""
    out = b""
    while True:
        nl = recv_exact(sock, 2)
        out += nl
        (n,) = struct.unpack(">H", nl)
        if n == 0:
            return out
        out += recv_exact(sock, n)
        vl = recv_exact(sock, 4)
        out += vl
        (v,) = struct.unpack(">I", vl)
        out += recv_exact(sock, v)


def read_message(sock):
    hdr = recv_exact(sock, HDR)
    authlen = struct.unpack(">I", hdr[4:8])[0]
    body = read_values(sock) + read_values(sock)
    return hdr, body, recv_exact(sock, authlen)


class Session:
    def __init__(self, server, client, index):
        self.server = server
        self.client = client
        self.index = index
        self.up = None
        self.count = 0

    def close(self):
        for s in (self.client, self.up):
            try:
                if s is not None:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
            except OSError:
                pass

    def run(self):
        mode = self.server.mode()
        try:
            if mode == "close":
                return
            if mode == "garbage":
                self.client.sendall(b"\xde\xad\xbe\xef" * 4)
                time.sleep(2)
                return
            self.up = socket.create_connection(("127.0.0.1",
                                                self.server.upstream))
            threading.Thread(target=self.forward_requests,
                             daemon=True).start()
            self.client.sendall(recv_exact(self.up, STARTUP))
            while True:
                self.reply(*read_message(self.up))
        except (EOFError, OSError):
            pass
        finally:
            self.close()
            self.server.forget(self)

    def forward_requests(self):
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                self.up.sendall(data)
        except OSError:
            pass
        self.close()

    def reply(self, hdr, body, sig):
        mode = self.server.mode()
        msg = hdr + body + sig
        self.count += 1
        if mode == "breakone" and self.index == 2 and self.count == 300:
            self.client.sendall(msg[:len(msg) // 2])
            raise EOFError
        if mode in ("proxy", "breakone"):
            self.client.sendall(msg)
        elif mode == "split":
            cut = self.count % len(msg)
            self.client.sendall(msg[:cut])
            time.sleep(0.0005)
            self.client.sendall(msg[cut:])
        elif mode == "truncate":
            self.client.sendall(msg[:len(msg) // 2])
            raise EOFError
        elif mode == "hugelen":
            bad = hdr[:4] + b"\0\0\0\0" + hdr[8:]
            self.client.sendall(bad + struct.pack(">H", 5) + b"state" +
                                struct.pack(">I", 0xfffffff0) + b"\0" * 64)
        elif mode == "manyattrs":
            bad = hdr[:4] + b"\0\0\0\0" + hdr[8:]
            attr = struct.pack(">H", 1) + b"a" + struct.pack(">I", 0)
            self.client.sendall(bad + attr * 300000 + b"\0\0" + b"\0\0")
        elif mode == "badsig":
            if sig:
                sig = sig[:-1] + bytes([sig[-1] ^ 0xff])
            self.client.sendall(hdr + body + sig)
        elif mode == "nosig":
            self.client.sendall(b"\0" * 8 + hdr[8:] + body)
        elif mode == "unsolicited":
            rid = struct.unpack(">I", hdr[20:24])[0] ^ 0x5a5a0000
            self.client.sendall(hdr[:20] + struct.pack(">I", rid) + body + sig)
            self.client.sendall(msg)
        elif mode == "silent":
            pass
        elif mode == "slow":
            for b in msg:
                self.client.sendall(bytes([b]))
                time.sleep(0.2)
        else:
            raise EOFError


class Server:
    def __init__(self, port, upstream, modefile):
        self.upstream = upstream
        self.modefile = modefile
        self.lock = threading.Lock()
        self.sessions = set()
        self.last_mode = read_mode(modefile)
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", port))
        self.lsock.listen(64)

    def mode(self):
        return read_mode(self.modefile)

    def forget(self, s):
        with self.lock:
            self.sessions.discard(s)

    def watch_mode(self):
        """Close every open connection when a connect-time mode starts."""
        while True:
            m = read_mode(self.modefile)
            if m != self.last_mode and m in ("close", "garbage"):
                self.last_mode = m
                with self.lock:
                    old = list(self.sessions)
                for s in old:
                    s.close()
            self.last_mode = m
            time.sleep(0.05)

    def serve(self):
        threading.Thread(target=self.watch_mode, daemon=True).start()
        accepted = 0
        while True:
            c, _ = self.lsock.accept()
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            accepted += 1
            s = Session(self, c, accepted)
            with self.lock:
                self.sessions.add(s)
            threading.Thread(target=s.run, daemon=True).start()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    srv = Server(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
    print("listening", flush=True)
    srv.serve()


if __name__ == "__main__":
    main()
