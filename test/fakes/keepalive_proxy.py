#!/usr/bin/env python3
"""An HTTP/1.1 keep-alive front for moto_server, which closes every
connection itself.  It relays each request unchanged (Host header included,
so signatures still verify) and counts the client connections it accepted,
so that a test can prove that s3_fdw reuses one connection.

  GET /__proxy/stats   -> "connections N requests M" (not relayed)

A GET of a key whose name contains "slow-" waits 100 ms before it is relayed:
the objects after it in a scan are answered (and their connections freed for
the next requests) while the scan still waits for it.

A CopyObject with If-None-Match or If-Match is answered as S3 answers it
(HTTP 412 when the destination exists, or has another ETag): moto ignores
those conditions on a copy, and applies them only to PutObject.

A HEAD of a key whose name contains "race-" that moto answers 404 is a
race: before the 404 goes back, another client (boto3, with the keys in
S3FDW_AK and S3FDW_SK) writes that key.  A client that HEADs a name to see
that it is free, then writes it, would replace that other client's object.

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


def boto3_client(upstream_port):
    import os
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{upstream_port}", region_name="us-east-1",
                        aws_access_key_id=os.environ["S3FDW_AK"],
                        aws_secret_access_key=os.environ["S3FDW_SK"],
                        config=Config(s3={"addressing_style": "path"}))


def bucket_key(path):
    from urllib.parse import unquote
    bucket, _, key = unquote(path).lstrip("/").partition("/")
    return bucket, key


def write_meanwhile(upstream_port, path):
    bucket, key = bucket_key(path)
    boto3_client(upstream_port).put_object(Bucket=bucket, Key=key,
                                           Body=b"written by another client meanwhile")


def copy_condition_fails(upstream_port, path, headers):
    """S3's answer to a conditional CopyObject whose condition fails, else None."""
    h = {name.lower(): value for name, value in headers}
    if "x-amz-copy-source" not in h or ("if-none-match" not in h and "if-match" not in h):
        return None
    bucket, key = bucket_key(path)
    try:
        etag = boto3_client(upstream_port).head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
    except Exception:
        etag = None
    if h.get("if-none-match") == "*" and etag is not None:
        code, status = "PreconditionFailed", 412
    elif "if-match" in h and etag is None:
        code, status = "NoSuchKey", 404
    elif "if-match" in h and h["if-match"].strip('"') != etag:
        code, status = "PreconditionFailed", 412
    else:
        return None
    body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>"
            f"<Message>At least one of the pre-conditions you specified did not hold</Message>"
            f"<RequestId>proxy</RequestId></Error>").encode()
    reason = "Precondition Failed" if status == 412 else "Not Found"
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n").encode() + body


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
            if method == "PUT":
                refused = copy_condition_fails(upstream_port, target.split("?")[0], headers)
                if refused is not None:
                    conn.sendall(refused)
                    continue
            up = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
            up.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                if name.lower() not in ("connection", "keep-alive", "expect"):
                    up.putheader(name, value)
            up.endheaders(body)
            resp = up.getresponse()
            data = resp.read()
            if method == "HEAD" and "race-" in target.split("?")[0] and resp.status == 404:
                write_meanwhile(upstream_port, target.split("?")[0])
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
