#!/usr/bin/env python3
"""A minimal S3 stand-in for uploads, with multipart uploads (nginx has none).

    mpu_server.py PORT

Implements, path-style (/bucket/key), without checking signatures:
  PUT    /b/k                          PutObject: body discarded, ETag = "MD5"
  POST   /b/k?uploads                  CreateMultipartUpload -> UploadId
  PUT    /b/k?partNumber=N&uploadId=X  UploadPart: body discarded, ETag = "MD5"
  POST   /b/k?uploadId=X               CompleteMultipartUpload -> "MD5-of-MD5s-N"
  DELETE /b/k?uploadId=X               AbortMultipartUpload
  DELETE /b/k                          DeleteObject
  GET    /__stats                      JSON counters (the largest number of
                                       parts received at the same time, the
                                       connections accepted, ...)
  POST   /__reset                      zeroes the counters
Bodies are read with Content-Length or chunked.  Each connection has its own
thread and stays open for the next request (HTTP/1.1 keep-alive) until the
client closes it, as S3 does.
"""
import hashlib
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NS = "http://s3.amazonaws.com/doc/2006-03-01/"
LOCK = threading.Lock()
UPLOADS = {}                     # upload id -> {part number: md5 digest}
STATS = {}


def reset():
    STATS.clear()
    STATS.update(puts=0, put_bytes=0, creates=0, parts=0, part_bytes=0,
                 completes=0, aborts=0, parts_in_flight=0, max_parts_in_flight=0,
                 part_sizes=[], connections=0, requests=0)


reset()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mpu-standin"
    # TCP_NODELAY, as nginx's tcp_nodelay: an answer's head and body are two
    # writes, and with Nagle's algorithm the body would wait for the ACK of
    # the head, which the client delays (40 ms on Linux) on a connection
    # kept open: CompleteMultipartUpload answered 40 ms late
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            STATS["connections"] += 1

    def parse_request(self):
        ok = super().parse_request()
        if ok and self.path not in ("/__stats", "/__reset"):
            with LOCK:
                STATS["requests"] += 1
        return ok

    def read_body(self, digest=True):
        md5 = hashlib.md5() if digest else None
        total = 0
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                left = size
                while left:
                    b = self.rfile.read(min(left, 1 << 20))
                    if not b:
                        raise ConnectionError("chunk cut short")
                    left -= len(b)
                    total += len(b)
                    if md5:
                        md5.update(b)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left:
                b = self.rfile.read(min(left, 1 << 20))
                if not b:
                    raise ConnectionError("body cut short")
                left -= len(b)
                total += len(b)
                if md5:
                    md5.update(b)
        return total, md5

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", "application/xml" if body[:1] == b"<" else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def checksum_echo(self):
        return [(k, v) for k, v in self.headers.items() if k.lower().startswith("x-amz-checksum-")
                and k.lower() != "x-amz-checksum-algorithm"]

    def error(self, status, code, msg):
        body = ("<Error><Code>%s</Code><Message>%s</Message><RequestId>standin</RequestId></Error>"
                % (code, msg)).encode()
        self.answer(status, body)

    def target(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query, keep_blank_values=True)
        parts = u.path.lstrip("/").split("/", 1)
        return parts[0], (parts[1] if len(parts) > 1 else ""), q

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.answer(200, body)
        self.read_body(False)
        self.error(404, "NoSuchKey", "This stand-in only takes uploads.")

    def do_HEAD(self):
        self.answer(404)

    def do_PUT(self):
        bucket, key, q = self.target()
        if "uploadId" in q and "partNumber" in q:
            uid = q["uploadId"][0]
            n = int(q["partNumber"][0])
            with LOCK:
                if uid not in UPLOADS:
                    known = False
                else:
                    known = True
                    STATS["parts_in_flight"] += 1
                    STATS["max_parts_in_flight"] = max(STATS["max_parts_in_flight"],
                                                       STATS["parts_in_flight"])
            if not known:
                self.read_body(False)
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            try:
                size, md5 = self.read_body()
            finally:
                with LOCK:
                    STATS["parts_in_flight"] -= 1
            with LOCK:
                if uid in UPLOADS:
                    UPLOADS[uid][n] = md5.digest()
                STATS["parts"] += 1
                STATS["part_bytes"] += size
                if len(STATS["part_sizes"]) < 10000:
                    STATS["part_sizes"].append(size)
            return self.answer(200, headers=[("ETag", '"%s"' % md5.hexdigest())] + self.checksum_echo())
        size, md5 = self.read_body()
        with LOCK:
            STATS["puts"] += 1
            STATS["put_bytes"] += size
        self.answer(200, headers=[("ETag", '"%s"' % md5.hexdigest())] + self.checksum_echo())

    def do_POST(self):
        if self.path == "/__reset":
            self.read_body(False)
            with LOCK:
                reset()
                UPLOADS.clear()
            return self.answer(204)
        bucket, key, q = self.target()
        if "uploads" in q:
            self.read_body(False)
            uid = uuid.uuid4().hex
            with LOCK:
                UPLOADS[uid] = {}
                STATS["creates"] += 1
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<InitiateMultipartUploadResult xmlns="%s"><Bucket>%s</Bucket>'
                    "<Key>%s</Key><UploadId>%s</UploadId></InitiateMultipartUploadResult>"
                    % (NS, bucket, key, uid)).encode()
            return self.answer(200, body)
        if "uploadId" in q:
            self.read_body(False)
            uid = q["uploadId"][0]
            with LOCK:
                parts = UPLOADS.pop(uid, None)
                if parts is not None:
                    STATS["completes"] += 1
            if parts is None:
                return self.error(404, "NoSuchUpload", "The specified upload does not exist.")
            etag = "%s-%d" % (hashlib.md5(b"".join(parts[n] for n in sorted(parts))).hexdigest(),
                              len(parts))
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<CompleteMultipartUploadResult xmlns="%s"><Location>http://%s/%s/%s</Location>'
                    "<Bucket>%s</Bucket><Key>%s</Key><ETag>&quot;%s&quot;</ETag>"
                    "</CompleteMultipartUploadResult>"
                    % (NS, self.headers.get("Host", ""), bucket, key, bucket, key, etag)).encode()
            return self.answer(200, body)
        self.read_body(False)
        self.error(400, "InvalidRequest", "Unsupported POST.")

    def do_DELETE(self):
        bucket, key, q = self.target()
        self.read_body(False)
        if "uploadId" in q:
            with LOCK:
                UPLOADS.pop(q["uploadId"][0], None)
                STATS["aborts"] += 1
        self.answer(204)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    port = int(sys.argv[1])
    srv = Server(("127.0.0.1", port), Handler)
    print("mpu stand-in on 127.0.0.1:%d" % port, file=sys.stderr, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
