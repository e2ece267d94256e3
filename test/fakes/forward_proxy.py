#!/usr/bin/env python3
"""A plain HTTP forward proxy (what http_proxy=http://127.0.0.1:PORT points
curl to), so that a test can prove which requests follow the proxy variables.
It takes absolute-form requests (GET http://127.0.0.1:9000/bucket/key HTTP/1.1),
any method, with Content-Length bodies, keeping the client connection alive,
and forwards them in origin-form: the path and query exactly as received (no
re-encoding, signatures depend on them), every header unchanged (Host too)
except the hop-by-hop ones.  Each request opens a new upstream connection.

It forwards ONLY to 127.0.0.1 or localhost (always connecting to 127.0.0.1,
no name lookup): any other target is answered 403 "refused: not a loopback
target" before any socket towards it exists, CONNECT is answered 405, a
non-http:// target or a bad port 400; all of these count as "refused".

Asked directly (origin-form, not through the proxy):
  GET  /__stats   -> "latest N refused N total N" plus one "SEGMENT N" per
                     first path segment forwarded ("/" for the root path),
                     all keys sorted; total = requests forwarded, latest =
                     those to /latest/... (the metadata service)
  POST /__reset   counters back to zero

Usage: forward_proxy.py PORT   (stops by itself after 15 minutes)
"""
import http.client
import socket
import sys
import threading
import time

HOP_BY_HOP = ("proxy-connection", "connection", "keep-alive", "proxy-authorization")
LOOPBACK = ("127.0.0.1", "localhost")
stats = {"total": 0, "refused": 0, "segments": {}}
lock = threading.Lock()


class BadRequest(Exception):
    pass


def read_request(conn, f):
    """One request off the client connection, or None at its end."""
    line = f.readline(65537)
    while line in (b"\r\n", b"\n"):          # tolerated before a request line
        line = f.readline(65537)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise BadRequest("bad request line")
    method, target, version = parts
    headers = []
    while True:
        h = f.readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, sep, value = h.decode("latin-1").partition(":")
        if not sep:
            raise BadRequest("bad header line")
        headers.append((name.strip(), value.strip()))
    length = 0
    for name, value in headers:
        lname = name.lower()
        if lname == "transfer-encoding":
            raise BadRequest("chunked request bodies are not supported")
        if lname == "content-length":
            if not value.isdigit():
                raise BadRequest("bad Content-Length")
            length = int(value)
        if lname == "expect" and value.lower() == "100-continue" and method != "CONNECT":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    body = f.read(length) if length else b""
    if len(body) != length:
        return None
    return method, target, version, headers, body


def respond(conn, method, status, reason, headers, body, close):
    out = [f"HTTP/1.1 {status} {reason}\r\n".encode("latin-1")]
    for name, value in headers:
        out.append(f"{name}: {value}\r\n".encode("latin-1"))
    out.append(b"Connection: close\r\n\r\n" if close else b"Connection: keep-alive\r\n\r\n")
    conn.sendall(b"".join(out) + (b"" if method == "HEAD" else body))


def text(conn, method, status, reason, body, close=False):
    data = body.encode()
    respond(conn, method, status, reason,
            [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))], data, close)


def split_target(target):
    """http://HOST[:PORT]/path?query -> (host, port, "/path?query"); the
    path is returned byte for byte as the client sent it."""
    if not target.lower().startswith("http://"):
        raise BadRequest("only http:// targets are proxied")
    rest = target[len("http://"):]
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority, path = rest[:cut], rest[cut:]
    if not path.startswith("/"):
        path = "/" + path
    authority = authority.rpartition("@")[2]          # drop any user:password@
    if authority.startswith("["):                      # an IPv6 literal: never loopback here
        host, _, port = authority[1:].partition("]")
        port = port[1:]
    else:
        host, _, port = authority.partition(":")
    port = port or "80"
    return host.lower(), port, path


def stats_line():
    with lock:
        items = dict(stats["segments"])
        items.setdefault("latest", 0)
        items["refused"] = stats["refused"]
        items["total"] = stats["total"]
    return " ".join(f"{k} {v}" for k, v in sorted(items.items())) + "\n"


def forward(conn, method, port, path, headers, body, close):
    """Relays one request to 127.0.0.1:port, its answer back to the client."""
    segment = path.split("?", 1)[0].split("/")[1] or "/"
    with lock:
        stats["total"] += 1
        stats["segments"][segment] = stats["segments"].get(segment, 0) + 1
    up = http.client.HTTPConnection("127.0.0.1", port, timeout=60)   # never HOST itself
    try:
        up.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                up.putheader(name, value)
        up.endheaders(body if body else None)
        resp = up.getresponse()
        data = resp.read()
    except (OSError, http.client.HTTPException) as e:
        text(conn, method, 502, "Bad Gateway", f"upstream error: {e}\n", close)
        return
    finally:
        up.close()
    out = []
    for name, value in resp.getheaders():
        lname = name.lower()
        if lname in HOP_BY_HOP or lname == "transfer-encoding":
            continue
        if lname == "content-length" and method != "HEAD":
            continue                            # set below from what was read
        out.append((name, value))
    if method != "HEAD" and resp.status not in (204, 304):
        out.append(("Content-Length", str(len(data))))
    respond(conn, method, resp.status, resp.reason, out, data, close)


def proxy(conn, method, target, headers, body, close):
    """One absolute-form request: forwarded if it targets loopback, else refused."""
    try:
        host, port, path = split_target(target)
    except BadRequest as e:
        with lock:
            stats["refused"] += 1
        text(conn, method, 400, "Bad Request", f"refused: {e}\n", close)
        return
    if host not in LOOPBACK:
        # decided on the string alone: no name lookup, no socket towards it
        with lock:
            stats["refused"] += 1
        text(conn, method, 403, "Forbidden", "refused: not a loopback target", close)
    elif not port.isdigit() or not 0 < int(port) < 65536:
        with lock:
            stats["refused"] += 1
        text(conn, method, 400, "Bad Request", "refused: bad port\n", close)
    else:
        forward(conn, method, int(port), path, headers, body, close)


def serve(conn):
    f = conn.makefile("rb")
    try:
        while True:
            try:
                req = read_request(conn, f)
            except BadRequest as e:
                text(conn, "GET", 400, "Bad Request", f"{e}\n", close=True)
                return
            if req is None:
                return
            method, target, version, headers, body = req
            connection = ",".join(v for n, v in headers if n.lower() in ("connection", "proxy-connection"))
            close = "close" in connection.lower() or (version == "HTTP/1.0"
                                                      and "keep-alive" not in connection.lower())
            if method == "CONNECT":
                with lock:
                    stats["refused"] += 1
                text(conn, method, 405, "Method Not Allowed", "refused: CONNECT is not supported\n", close=True)
                return
            if target.startswith("/"):          # asked directly, not a proxy request
                if method == "GET" and target == "/__stats":
                    text(conn, method, 200, "OK", stats_line(), close)
                elif method == "POST" and target == "/__reset":
                    with lock:
                        stats.update(total=0, refused=0, segments={})
                    text(conn, method, 200, "OK", "ok\n", close)
                else:
                    text(conn, method, 404, "Not Found", "not a proxy request\n", close)
            else:
                proxy(conn, method, target, headers, body, close)
            if close:
                return
    except (OSError, ValueError):
        pass
    finally:
        f.close()
        conn.close()


def main():
    port = int(sys.argv[1])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(64)
    srv.settimeout(1)
    deadline = time.time() + 900
    while time.time() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        conn.settimeout(120)
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
