#!/usr/bin/env python3
"""A TCP proxy that delays and throttles, for tests and benchmarks on one machine (Python 3 asyncio, no packages).

Forwards every connection accepted on --listen to --target (both on 127.0.0.1), each direction on its own:
  --delay-ms N      every byte arrives N ms after it was read (one-way delay, each direction; streams stay
                    pipelined: the delay is added per chunk, not per round trip)
  --rate BYTES      at most BYTES bytes/s forwarded per direction, summed over every connection (a shared link)
Prints "listening on PORT" on stdout once ready (--listen 0 picks a free port), then runs until killed.

Usage: scripts/netproxy.py --listen PORT --target PORT [--delay-ms N] [--rate BYTES_PER_SECOND]
"""
import argparse
import asyncio
import sys
import time

CHUNK = 16 * 1024
# Chunks read but not yet written, per direction of a connection: the back-pressure that keeps memory bounded.
QUEUE_CHUNKS = 64


class Link:
    """One direction's shared budget: a token bucket refilled at `rate` bytes/s (no limit when rate is 0)."""

    def __init__(self, rate):
        self.rate = rate
        self.next_free = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self, n):
        if self.rate <= 0:
            return
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_free)
            self.next_free = start + n / self.rate
            wait = self.next_free - now
        if wait > 0:
            await asyncio.sleep(wait)


async def pump(reader, writer, delay_s, link):
    """Reads chunks as they come (stamped with the time read); a second task writes each at stamp + delay."""
    queue = asyncio.Queue(QUEUE_CHUNKS)

    async def read_side():
        try:
            while True:
                data = await reader.read(CHUNK)
                await queue.put((time.monotonic() + delay_s, data))
                if not data:
                    return
        except (ConnectionError, OSError):
            await queue.put((0, b""))

    async def write_side():
        try:
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    break
                # Small slices under a cap, so the rate stays smooth and one connection cannot hog the link.
                step = max(1024, min(CHUNK, int(link.rate / 50))) if link.rate > 0 else len(data)
                for i in range(0, len(data), step):
                    piece = data[i:i + step]
                    await link.take(len(piece))
                    writer.write(piece)
                    await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    await asyncio.gather(read_side(), write_side())


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, default=0)
    parser.add_argument("--rate", type=float, default=0, help="bytes per second per direction (0: no cap)")
    args = parser.parse_args()
    delay_s = args.delay_ms / 1000.0
    upstream, downstream = Link(args.rate), Link(args.rate)

    async def handle(client_reader, client_writer):
        try:
            target_reader, target_writer = await asyncio.open_connection("127.0.0.1", args.target)
        except OSError:
            client_writer.close()  # the target is down: the client sees its connection closed
            return
        await asyncio.gather(
            pump(client_reader, target_writer, delay_s, upstream),
            pump(target_reader, client_writer, delay_s, downstream))

    server = await asyncio.start_server(handle, "127.0.0.1", args.listen, backlog=128)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
