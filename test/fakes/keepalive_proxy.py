#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive front for moto_server, which closes every
connection itself.  It relays each request unchanged (Host header included,
so signatures still verify) and counts the client connections it accepted,
so that a test can prove that s3_fdw reuses one connection.

  GET /__proxy/stats   -> "connections N requests M" (not relayed)

A GET of a key whose name contains "slow-" waits 100 ms before it is relayed:
the objects after it in a scan are answered (and their connections freed for
the next requests) while the scan still waits for it.

Usage: keepalive_proxy.py LISTEN_PORT UPSTREAM_PORT   (stops after an hour)
"""
import http.client
import socket
import sys
import threading
import time

stats = {"connections": 0, "requests": 0}
lock = threading.Lock()


def read_request(f, conn):
    line = f.readline(65537)
    if not line:
        return None
    headers = []
    while True:
        h = f.readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    length = 0
    for name, value in headers:
        if name.lower() == "content-length":
            length = int(value)
        if name.lower() == "expect" and value.lower() == "100-continue":
            # boto3 waits for this (up to a second) before it sends a body
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    body = f.read(length) if length else b""
    method, target, _ = line.decode("latin-1").split(" ", 2)
    return method, target, headers, body


def serve(conn, upstream_port):
    with lock:
        stats["connections"] += 1
    f = conn.makefile("rb")
    try:
        while True:
            req = read_request(f, conn)
            if req is None:
                return
            method, target, headers, body = req
            if target == "/__proxy/stats":
                with lock:
                    text = f"connections {stats['connections']} requests {stats['requests']}\n".encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(text) + text)
                continue
            with lock:
                stats["requests"] += 1
            if method == "GET" and "slow-" in target.split("?")[0]:
                time.sleep(0.1)
            up = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
            up.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in ("connection", "keep-alive", "expect"):
                    up.putheader(name, value)
            up.endheaders(body)
            resp = up.getresponse()
            data = resp.read()
            out = [f"HTTP/1.1 {resp.status} {resp.reason}\r\n".encode()]
            for name, value in resp.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                    out.append(f"{name}: {value}\r\n".encode("latin-1"))
            if method != "HEAD":
                out.append(b"Content-Length: %d\r\n" % len(data))
            elif resp.getheader("Content-Length") is not None:
                # the size of the object HEAD describes
                out.append(b"Content-Length: %s\r\n" % resp.getheader("Content-Length").encode("latin-1"))
            out.append(b"Connection: keep-alive\r\n\r\n")
            conn.sendall(b"".join(out) + (data if method != "HEAD" else b""))
            up.close()
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def main():
    port, upstream = int(sys.argv[1]), int(sys.argv[2])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(64)
    srv.settimeout(1)
    deadline = time.time() + 3600
    while time.time() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn, upstream), daemon=True).start()


if __name__ == "__main__":
    main()
