#!/usr/bin/python3
"""A TCP proxy that adds a delay each way, switchable while it runs.

  delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_FILE

Listens on 127.0.0.1:LISTEN_PORT (inside the namespace it runs in) and
forwards every connection to 127.0.0.1:TARGET_PORT.  Every chunk read from
either side is written to the other DELAY_FILE's milliseconds after it
arrived (a delay line: the delay adds latency, it does not limit
throughput, and the order of the bytes is kept).  DELAY_FILE holds one
number of milliseconds; it is read again every 100 ms, so a test changes
the path's latency by rewriting it.  Bytes are passed on as they are.
"""
import asyncio
import collections
import os
import socket
import sys

LISTEN, TARGET, DELAY_FILE = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
delay = 0.0


async def watch_delay():
    """Keep `delay` (seconds) as DELAY_FILE says."""
    global delay
    while True:
        try:
            with open(DELAY_FILE) as f:
                delay = max(0.0, float(f.read().strip() or 0) / 1000.0)
        except (OSError, ValueError):
            pass
        await asyncio.sleep(0.1)


async def pump(reader, writer):
    """Copy reader to writer, each chunk `delay` after it arrived."""
    loop = asyncio.get_running_loop()
    queue = collections.deque()
    ready = asyncio.Event()
    done = False

    async def send():
        while True:
            while not queue:
                if done:
                    return
                ready.clear()
                await ready.wait()
            due, data = queue[0]
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            queue.popleft()
            writer.write(data)
            await writer.drain()

    sender = asyncio.ensure_future(send())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            queue.append((loop.time() + delay, data))
            ready.set()
    except (ConnectionError, OSError):
        pass
    done = True
    ready.set()
    try:
        await sender
    except (ConnectionError, OSError):
        pass
    try:
        writer.close()
    except OSError:
        pass


async def handle(creader, cwriter):
    try:
        sreader, swriter = await asyncio.open_connection("127.0.0.1", TARGET)
    except OSError:
        cwriter.close()
        return
    for w in (cwriter, swriter):
        sock = w.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    await asyncio.gather(pump(creader, swriter), pump(sreader, cwriter))


async def main():
    asyncio.ensure_future(watch_delay())
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    print("delay_proxy: 127.0.0.1:%d -> %d, delay from %s (pid %d)"
          % (LISTEN, TARGET, DELAY_FILE, os.getpid()), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
