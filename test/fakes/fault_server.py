#!/usr/bin/env python3
"""A faulty S3: it relays requests to moto, unchanged (Host included, so
moto still checks signatures), except where the first path segment after
the bucket (or the prefix= of a listing) names a fault:

  flaky/...      503 ServiceUnavailable twice per path, then relayed
  slowdown/...   503 SlowDown once per path, then relayed
  timeout400/... 400 RequestTimeout once per path, then relayed
  always503/...  503 every time
  reset/...      the connection closed without an answer, once per path
  denied/...     403 AccessDenied every time (never worth another try)
  short/...      Content-Length 100, 50 bytes, then the connection closes
  long/...       Content-Length 10, 20 bytes, with the ETag of all 20
  htmlerror/...  500 with an HTML page, every time
  trickle/...    headers, then one byte a second
  redirect/...   301 PermanentRedirect to eu-west-2
  huge/...       200 with Content-Length 2,000,000,000 (and no body)
  badmd5/...     200 "tampered" with the ETag of another body
  badxml/        (listing) 200 with a body that is not XML
  html/          (listing) 200 text/html page
  million/       (listing) a million generated keys, 1,000 a page

  GET /__tries?path=P   how many requests reached path P
  POST /__reset         forget the counts

Usage: fault_server.py PORT UPSTREAM_PORT   (stops by itself after 15 minutes)
"""
import hashlib
import http.client
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

PORT, UPSTREAM = int(sys.argv[1]), int(sys.argv[2])
tries = {}
lock = threading.Lock()
MILLION = 1_000_000


def s3_error(code, message, status):
    return status, (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                    f"<Message>{message}</Message><RequestId>fault-{code}</RequestId></Error>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/xml", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def relay(self, body):
        up = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        up.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in ("connection", "keep-alive", "expect"):
                up.putheader(name, value)
        up.endheaders(body)
        resp = up.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        up.close()

    def million_page(self, query):
        start = int(query.get("continuation-token", ["0"])[0])
        n = min(int(query.get("max-keys", ["1000"])[0]), 1000, MILLION - start)
        parts = ['<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>'
                 "<Name>regress</Name><Prefix>million/</Prefix><EncodingType>url</EncodingType>"
                 f"<KeyCount>{n}</KeyCount><MaxKeys>1000</MaxKeys>"
                 f"<IsTruncated>{'true' if start + n < MILLION else 'false'}</IsTruncated>"]
        if start + n < MILLION:
            parts.append(f"<NextContinuationToken>{start + n}</NextContinuationToken>")
        for i in range(start, start + n):
            parts.append(f"<Contents><Key>million/{i:07d}</Key><LastModified>2026-11-25T00:00:00.000Z"
                         "</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag>"
                         f"<Size>{i % 1000}</Size><StorageClass>STANDARD</StorageClass></Contents>")
        parts.append("</ListBucketResult>")
        return "".join(parts)

    def handle_any(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path == "/__tries":
            with lock:
                self.send(200, f"{tries.get(query['path'][0], 0)}\n", "text/plain")
            return
        if parts.path == "/__reset":
            with lock:
                tries.clear()
            self.send(200, "ok\n", "text/plain")
            return
        segments = unquote(parts.path).split("/", 3)    # '', bucket, fault, rest
        fault = segments[2] if len(segments) > 2 and segments[2] else \
            query.get("prefix", [""])[0].split("/")[0]
        with lock:
            n = tries[parts.path] = tries.get(parts.path, 0) + 1

        if fault == "flaky" and n <= 2 or fault == "always503":
            self.send(*s3_error("ServiceUnavailable", "Please reduce your request rate.", 503))
        elif fault == "slowdown" and n <= 1:
            self.send(*s3_error("SlowDown", "Please reduce your request rate.", 503))
        elif fault == "timeout400" and n <= 1:
            self.send(*s3_error("RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.", 400))
        elif fault == "reset" and n <= 1:
            self.close_connection = True
            self.connection.close()
        elif fault == "denied":
            self.send(*s3_error("AccessDenied", "Access Denied", 403))
        elif fault == "short":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"x" * 50)
            self.wfile.flush()
            self.close_connection = True
        elif fault == "long":
            body20 = b"0123456789abcdefghij"
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.send_header("ETag", '"%s"' % hashlib.md5(body20).hexdigest())
            self.end_headers()
            self.wfile.write(body20)
            self.close_connection = True
        elif fault == "htmlerror":
            self.send(500, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif fault == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(60):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)
            self.close_connection = True
        elif fault == "redirect":
            self.send(301, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code>'
                           "<Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message>"
                           "<Endpoint>regress.s3.eu-west-2.amazonaws.com</Endpoint><Bucket>regress</Bucket>"
                           "<RequestId>fault-redirect</RequestId></Error>",
                      headers=[("x-amz-bucket-region", "eu-west-2")])
        elif fault == "huge":
            self.send_response(200)
            self.send_header("Content-Length", "2000000000")
            self.end_headers()
            self.close_connection = True
        elif fault == "badmd5":
            self.send(200, "tampered", "application/octet-stream",
                      headers=[("ETag", '"%s"' % hashlib.md5(b"original").hexdigest())])
        elif fault == "badxml" and "list-type" in query:
            self.send(200, "this is <not xml")
        elif fault == "html" and "list-type" in query:
            self.send(200, "<html><body>Welcome to nginx!</body></html>", "text/html")
        elif fault == "million" and "list-type" in query:
            self.send(200, self.million_page(query))
        else:
            self.relay(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(900)


if __name__ == "__main__":
    main()
