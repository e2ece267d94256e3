#!/usr/bin/env python3
"""An HTTP/1.1 relay that makes a local server answer like a distant one.

    latency_proxy.py LISTEN_PORT UPSTREAM_HOST:PORT [--delay-ms 20] [--rate 20MB]

Each request waits --delay-ms (S3's time to first byte is 10-50 ms) before it
is forwarded.  With --rate, every request body and every response body is
paced to that many bytes per second, per connection and direction (S3 gives a
single connection a few tens of MB/s; parallel connections add up).  Bodies
are streamed, with Content-Length or chunked; connections are kept alive, one
upstream connection per client connection.  "Expect: 100-continue" is answered
by the relay itself once the delay has passed.

Prints "listening" on stderr when ready.  Counts requests and connections,
and the most of each open (in flight: from a request's head to the end of its
answer) at once: GET /__proxy_stats on the relay itself answers JSON (not
forwarded); GET /__proxy_stats?reset also starts the peaks anew.
"""
import argparse
import asyncio
import json
import re
import sys

CHUNK = 64 * 1024
STATS = {"connections": 0, "requests": 0, "open": 0, "max_open": 0, "in_flight": 0, "max_in_flight": 0}


def parse_rate(s):
    m = re.fullmatch(r"\s*([0-9.]+)\s*([kKmMgG]?)(i?B)?(/s)?\s*", s or "")
    if not m:
        raise argparse.ArgumentTypeError("rate like 20MB, 500kB or 1048576")
    mult = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9}[m.group(2).lower()]
    if m.group(3) == "iB":
        mult = {"": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]
    return float(m.group(1)) * mult


class Pacer:
    """Paces one body to `rate` bytes per second (None: no limit)."""

    def __init__(self, rate):
        self.rate = rate
        self.start = None
        self.done = 0

    async def __call__(self, n):
        if not self.rate:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self.start is None:
            self.start = now
        self.done += n
        due = self.start + self.done / self.rate
        if due > now:
            await asyncio.sleep(due - now)


class Closed(Exception):
    pass


async def read_head(r):
    try:
        data = await r.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if e.partial.strip():
            raise Closed("connection closed inside a header")
        return None
    except (ConnectionError, asyncio.LimitOverrunError):
        return None
    lines = data[:-4].split(b"\r\n")
    headers = []
    for line in lines[1:]:
        if b":" in line:
            k, v = line.split(b":", 1)
            headers.append((k.strip().lower(), v.strip()))
    return lines[0], headers, data


def header(headers, name):
    for k, v in headers:
        if k == name:
            return v
    return None


async def copy_exact(r, w, n, rate):
    pace = Pacer(rate)
    while n > 0:
        chunk = await r.read(min(CHUNK, n))
        if not chunk:
            raise Closed("body cut short")
        n -= len(chunk)
        w.write(chunk)
        await pace(len(chunk))
        await w.drain()


async def copy_chunked(r, w, rate):
    pace = Pacer(rate)
    while True:
        line = await r.readuntil(b"\r\n")
        w.write(line)
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while True:         # trailers, then the empty line
                t = await r.readuntil(b"\r\n")
                w.write(t)
                if t == b"\r\n":
                    break
            await w.drain()
            return
        left = size + 2         # the data and its CRLF
        while left > 0:
            chunk = await r.read(min(CHUNK, left))
            if not chunk:
                raise Closed("chunk cut short")
            left -= len(chunk)
            w.write(chunk)
            await pace(len(chunk))
            await w.drain()


async def copy_to_eof(r, w, rate):
    pace = Pacer(rate)
    while True:
        chunk = await r.read(CHUNK)
        if not chunk:
            return
        w.write(chunk)
        await pace(len(chunk))
        await w.drain()


def wants_close(version, headers):
    conn = (header(headers, b"connection") or b"").lower()
    if b"close" in conn:
        return True
    return version == b"HTTP/1.0" and b"keep-alive" not in conn


class Relay:
    def __init__(self, upstream, delay, rate):
        self.host, port = upstream.rsplit(":", 1)
        self.port = int(port)
        self.delay = delay
        self.rate = rate

    async def handle(self, cr, cw):
        STATS["connections"] += 1
        STATS["open"] += 1
        STATS["max_open"] = max(STATS["max_open"], STATS["open"])
        up = [None, None]
        try:
            while True:
                req = await read_head(cr)
                if req is None:
                    break
                line, headers, raw = req
                method, target, version = (line.split(b" ", 2) + [b"", b""])[:3]
                if target in (b"/__proxy_stats", b"/__proxy_stats?reset"):
                    body = json.dumps(STATS).encode()
                    if target.endswith(b"?reset"):
                        # the peaks from now on
                        STATS["max_open"], STATS["max_in_flight"] = STATS["open"], STATS["in_flight"]
                    cw.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                    await cw.drain()
                    continue
                STATS["requests"] += 1
                STATS["in_flight"] += 1
                STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
                try:
                    close = await self.relay(cr, cw, up, line, headers, method, version)
                finally:
                    STATS["in_flight"] -= 1
                if close:
                    break
        except (Closed, ConnectionError, asyncio.IncompleteReadError, ValueError) as e:
            print("relay: %s" % e, file=sys.stderr)
        finally:
            STATS["open"] -= 1
            for w in (cw, up[1]):
                if w is not None:
                    w.close()

    async def relay(self, cr, cw, up, line, headers, method, version):
        """One request and its answer; up: [reader, writer] of the upstream
        connection, opened on the first request.  True: close after it."""
        if self.delay:
            await asyncio.sleep(self.delay)
        if up[1] is None:
            up[:] = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        ur, uw = up
        expect = (header(headers, b"expect") or b"").lower() == b"100-continue"
        out = [line]
        for k, v in headers:
            if k == b"expect" and expect:
                continue
            out.append(k + b": " + v)
        uw.write(b"\r\n".join(out) + b"\r\n\r\n")
        if expect:
            cw.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await cw.drain()
        te = (header(headers, b"transfer-encoding") or b"").lower()
        cl = header(headers, b"content-length")
        if b"chunked" in te:
            await copy_chunked(cr, uw, self.rate)
        elif cl is not None and int(cl) > 0:
            await copy_exact(cr, uw, int(cl), self.rate)
        await uw.drain()

        while True:
            resp = await read_head(ur)
            if resp is None:
                raise Closed("upstream closed before answering")
            rline, rheaders, rraw = resp
            status = int(rline.split(b" ", 2)[1])
            if 100 <= status < 200 and status != 101:
                if not expect:
                    cw.write(rraw)
                continue
            break
        cw.write(rraw)
        rte = (header(rheaders, b"transfer-encoding") or b"").lower()
        rcl = header(rheaders, b"content-length")
        close = wants_close(version, headers) or wants_close(rline.split(b" ", 1)[0], rheaders)
        if method == b"HEAD" or status in (204, 304):
            pass
        elif b"chunked" in rte:
            await copy_chunked(ur, cw, self.rate)
        elif rcl is not None:
            await copy_exact(ur, cw, int(rcl), self.rate)
        else:
            await copy_to_eof(ur, cw, self.rate)
            close = True
        await cw.drain()
        return close


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", type=int)
    ap.add_argument("upstream", help="HOST:PORT")
    ap.add_argument("--delay-ms", type=float, default=20.0)
    ap.add_argument("--rate", type=parse_rate, default=None,
                    help="bytes per second per connection and direction, e.g. 20MB")
    a = ap.parse_args()
    relay = Relay(a.upstream, a.delay_ms / 1000.0, a.rate)
    server = await asyncio.start_server(relay.handle, "127.0.0.1", a.port,
                                        limit=1 << 20, backlog=1024)
    print("listening on 127.0.0.1:%d -> %s, delay %.1f ms, rate %s"
          % (a.port, a.upstream, a.delay_ms, "%.0f B/s" % a.rate if a.rate else "unlimited"),
          file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
