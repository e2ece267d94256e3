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
  chunked/...    200 chunked, no Content-Length, 1 GiB + 100 bytes of 'x'
  bigerror/...   404 NoSuchKey, Content-Length 1.5 GiB, padded with spaces
  twolengths/... 200 with Content-Length 5 and Content-Length 3, "abcde"
  bigheader/...  200 "ok" with a 300,000-byte X-Amz-Meta-Big header
  longmulti/...  Content-Length 10, 20 bytes, multipart ETag, kept alive
  slowdownbody/... 200 "<Error><Code>SlowDown</Code></Error>", its own ETag
  bigpage/       (listing) one page of 1,001 keys
  sametoken/     (listing) 2 new keys a page, NextContinuationToken "again"
  emptytoken/    (listing) 2 keys, truncated, empty NextContinuationToken
  notoken/       (listing) 2 keys, truncated, no NextContinuationToken
  badutf8/       (listing) a key url-encoded with an invalid UTF-8 byte
  baddate/       (listing) a key whose LastModified is "not-a-date"
  emoji/         (listing) a key with an emoji (U+1F600), url-encoded
  xmlodd/        (listing) valid XML that S3 does not send: a comment, a CDATA
                 key, a processing instruction, a character reference
  slowget/...    GET waits 200 ms, then relayed (listings relayed at once);
                 the most GETs waiting at one time is counted
  hangget/...    GET waits 60 s before it is relayed (counted the same way),
                 except for keys ending in "-quick"
  slowput/...    PUT waits 200 ms, then relayed; counted like slowget/
  slowlist/      (listing) 4 pages of 2 keys; each page sends its first
                 half (through NextContinuationToken), waits 300 ms, then
                 the rest; the most pages being sent at once is counted
                 (GET /__peak), like the slowget/ GETs
  oddget/...     GET relayed, listings relayed too; 404 for keys ending in
                 "-gone" (deleted after they were listed)

  partfail/...   multipart: PUT of part 2 answered 503 every time
  partflaky/...  multipart: PUT of part 2 answered 503 twice, then relayed
  partslow/...   multipart: PUT of each part waits 60 s
  abortfail/...  multipart: PUT of part 2 answered 503 every time; the
                 AbortMultipartUpload relayed (moto keeps no parts) but
                 answered 404 NoSuchUpload, as if it had failed
  chunkflaky/... ranged GETs not from byte 0 answered 503 twice per path and
                 range (counted as PATH#RANGE), then relayed
  chunkslow/...  ranged GETs not from byte 0 wait 60 s
  changed/...    GETs with If-Match answered 412 PreconditionFailed
  completefail/... multipart: CompleteMultipartUpload answered 200 with an
                 <Error> document (InternalError), as S3 may
  emptyetag/...  multipart: CompleteMultipartUpload relayed, moto's answer
                 given back with an empty <ETag></ETag>, as Ceph RGW 16.2 does
  emptymessage/... 404 NoSuchKey with an empty <Message></Message>, as Ceph
                 RGW sends its errors

  rangezero/...  ranged GETs not from byte 0 answered 206 with the bytes
                 from 0 instead, of the length asked for, and the Content-Range
                 that says so (read from moto with boto3); from 0, relayed
  rangetotal/... ranged GETs relayed, the Content-Range's total one too large
  rangenone/...  ranged GETs relayed without their Content-Range
  range416/...   ranged GETs answered 416 InvalidRange, Content-Range
                 "bytes */1000000" (a million bytes, more than the range's start)
  badhead/KIND   HEAD answered without relaying, as KIND says: "many", 200 with
                 3,013 x-amz-meta-* headers (over 64 kB); "some", 200 with 1,000
                 (24 kB); "twice", x-amz-meta-a and X-Amz-Meta-A; "noetag", no
                 ETag; "nosize", no Content-Length; "denied", 403 without a
                 body (AWS's answer for a missing key without s3:ListBucket);
                 "badrestore", x-amz-restore without ongoing-request; "badexpiry",
                 its expiry-date not an HTTP date

  POST /regress-delerr?delete   DeleteObjects answered without relaying:
                 an <Error> (AccessDenied) for every key containing "locked",
                 with an empty <Message> (as Ceph RGW) when the key has "quiet"
  POST /regress-delhostile?delete  5,000 <Error>s for keys never sent
  POST /regress-deltwice?delete    two <Error>s for every key sent
  POST /regress-deldone?delete     a <Deleted> for every key sent (not quiet)

  Archived objects, answered without relaying (moto 5.2.1 restores at once,
  and knows neither a restore under way nor INTELLIGENT_TIERING's archive
  tiers); each path keeps its state until POST /__reset:
  restoring/...  GLACIER with a restore under way: HEAD says
                 x-amz-restore: ongoing-request="true"; GET 403
                 InvalidObjectState; POST ?restore 409 RestoreAlreadyInProgress
  deeparchive/... DEEP_ARCHIVE, never restored: POST ?restore 202, then 409
                 while it runs (ongoing-request="true"); POST /__restored?path=P
                 ends it (ongoing-request="false", expiry-date 2027-01-01 plus
                 the days asked); then POST ?restore 200, and GET gives
                 "restored body of P"
  itarchive/...  INTELLIGENT_TIERING, x-amz-archive-status DEEP_ARCHIVE_ACCESS:
                 POST ?restore with <Days> 400 InvalidArgument (S3's words),
                 without 202, then 409 while it runs
  noexpedite/... GLACIER: POST ?restore with Tier Expedited 503
                 GlacierExpeditedRetrievalNotAvailable; otherwise as deeparchive/
  (a key ending in "-big" has a HEAD Content-Length of 64 MiB, for a copy in
  parts; a POST ?restore whose Content-MD5 is not its body's is 400
  InvalidDigest, one whose body is no RestoreRequest 400 MalformedXML; a
  CopyObject or UploadPartCopy from any of them, not restored, is 403
  InvalidObjectState, whatever the destination)
  GET /__restore?path=P  the last RestoreObject body P was sent, and its versionId

  GET / signed with one of these access key ids (ListBuckets):
  FAULTSAMETOKEN   2 new buckets, ContinuationToken "again" every time
  FAULTEMPTYTOKEN  2 buckets, empty ContinuationToken
  FAULTBADNAMES    good-bucket, Bad_Name, also-good
  FAULTBADDATE     dated-bucket with CreationDate "31/12/2026"
  (HEAD on the new object faults gets their headers without a body)

  GET /__tries?path=P   how many requests reached path P
  GET /__peak           the most slowget/hangget GETs (slowput PUTs) in flight at once,
                        and how many there were in all
  POST /__reset         forget the counts

Usage: fault_server.py PORT UPSTREAM_PORT   (stops by itself after 15 minutes)
"""
import hashlib
import http.client
import itertools
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

PORT, UPSTREAM = int(sys.argv[1]), int(sys.argv[2])
tries = {}
lock = threading.Lock()
waiting = {"now": 0, "peak": 0, "all": 0}
MILLION = 1_000_000
MIB = 1 << 20
counter = itertools.count()             # next(counter) under lock
CHUNK = b"%x\r\n" % MIB + b"x" * MIB + b"\r\n"    # one prebuilt 1 MiB chunk
SPACES = b" " * MIB
CHUNKED_SIZE = (1 << 30) + 100
BIGERROR_SIZE = 1610612736
BIGERROR_XML = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>'
                b"<Message>The specified key does not exist.</Message>"
                b"<RequestId>fault-bigerror</RequestId></Error>")
SLOWDOWN_BODY = b"<Error><Code>SlowDown</Code></Error>"
DATE = "2026-11-25T00:00:00.000Z"
XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


ARCHIVE_FAULTS = {"restoring": "GLACIER", "deeparchive": "DEEP_ARCHIVE",
                  "itarchive": "INTELLIGENT_TIERING", "noexpedite": "GLACIER"}
archived = {}                           # unquoted path -> its state (under lock)


def archive_state(path):
    """The state of an archived object of the fakes (lock held)."""
    if path not in archived:
        fault = path.split("/")[2]
        archived[path] = {"class": ARCHIVE_FAULTS[fault],
                          "restore": "ongoing" if fault == "restoring" else None,
                          "expiry": None, "body": None, "version": None}
    return archived[path]


def s3_error(code, message, status):
    return status, (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
                    f"<Message>{message}</Message><RequestId>fault-{code}</RequestId></Error>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/xml", headers=(), head_body=True):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if head_body or self.command != "HEAD":
            self.wfile.write(data)

    def next_numbers(self, count):
        with lock:
            return [next(counter) for _ in range(count)]

    def send_chunked(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        full, rest = divmod(CHUNKED_SIZE, MIB)
        try:
            for _ in range(full):
                self.wfile.write(CHUNK)
            if rest:
                self.wfile.write(b"%x\r\n" % rest + b"x" * rest + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_bigerror(self):
        self.send_response(404)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(BIGERROR_SIZE))
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            self.wfile.write(BIGERROR_XML)
            left = BIGERROR_SIZE - len(BIGERROR_XML)
            while left >= MIB:
                self.wfile.write(SPACES)
                left -= MIB
            if left:
                self.wfile.write(SPACES[:left])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def list_page(self, prefix, keys, truncated, token=None, date=DATE):
        """A ListObjectsV2 page; token None leaves NextContinuationToken out."""
        parts = ['<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>'
                 f"<Name>regress</Name><Prefix>{prefix}</Prefix><EncodingType>url</EncodingType>"
                 f"<KeyCount>{len(keys)}</KeyCount><MaxKeys>1000</MaxKeys>"
                 f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"]
        if token is not None:
            parts.append(f"<NextContinuationToken>{token}</NextContinuationToken>")
        for i, key in enumerate(keys):
            parts.append(f"<Contents><Key>{key}</Key><LastModified>{date}"
                         "</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag>"
                         f"<Size>{i}</Size><StorageClass>STANDARD</StorageClass></Contents>")
        parts.append("</ListBucketResult>")
        return "".join(parts)

    def list_buckets(self, buckets, token=None):
        """A ListBuckets answer: buckets are (name, CreationDate) pairs."""
        parts = [f'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="{XMLNS}">'
                 "<Owner><ID>fault</ID><DisplayName>fault</DisplayName></Owner><Buckets>"]
        for name, date in buckets:
            parts.append(f"<Bucket><Name>{name}</Name><CreationDate>{date}</CreationDate></Bucket>")
        parts.append("</Buckets>")
        if token is not None:
            parts.append(f"<ContinuationToken>{token}</ContinuationToken>")
        parts.append("</ListAllMyBucketsResult>")
        return "".join(parts)

    def bucket_fault(self):
        """The ListBuckets answer for a FAULT... access key id, or None."""
        auth = self.headers.get("Authorization") or ""
        start = auth.find("Credential=")
        if start < 0:
            return None
        key_id = auth[start + len("Credential="):].split("/", 1)[0]
        if not key_id.startswith("FAULT"):
            return None
        if key_id == "FAULTSAMETOKEN":
            n = self.next_numbers(1)[0]
            return self.list_buckets([(f"loop-a{n}", DATE), (f"loop-b{n}", DATE)], "again")
        if key_id == "FAULTEMPTYTOKEN":
            return self.list_buckets([("empty-a", DATE), ("empty-b", DATE)], "")
        if key_id == "FAULTBADNAMES":
            return self.list_buckets([("good-bucket", DATE), ("Bad_Name", DATE), ("also-good", DATE)])
        if key_id == "FAULTBADDATE":
            return self.list_buckets([("dated-bucket", "31/12/2026")])
        return None

    def upstream(self, body):
        """The request, sent on to moto: its answer and the answer's body."""
        up = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        up.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in ("connection", "keep-alive", "expect"):
                up.putheader(name, value)
        up.endheaders(body)
        resp = up.getresponse()
        data = resp.read()
        up.close()
        return resp, data

    def relay(self, body, change=None, header_change=None):
        """The request to moto, its answer back (its body through change(),
        each header's value through header_change(name, value): None drops it)."""
        resp, data = self.upstream(body)
        if change is not None:
            data = change(data)
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if header_change is not None:
                value = header_change(name.lower(), value)
                if value is None:
                    continue
            if name.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                self.send_header(name, value)
        # a HEAD answer has no body but the object's length
        self.send_header("Content-Length", resp.getheader("Content-Length", "0") if self.command == "HEAD"
                         else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

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

    def range_fault(self, fault, body, segments):
        """The ranged GET faults: rangezero, rangetotal, rangenone, range416."""
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers["Range"])
        first, last = int(m[1]), int(m[2])
        if fault == "range416":
            self.send(*s3_error("InvalidRange", "The requested range is not satisfiable", 416),
                      headers=[("Content-Range", "bytes */1000000")])
        elif fault == "rangezero" and first > 0:
            # the same number of bytes, from byte 0: moto signs nothing for us,
            # so boto3 asks it with the tests' keys
            import boto3
            s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{UPSTREAM}", region_name="us-east-1",
                              aws_access_key_id=os.environ["S3FDW_AK"],
                              aws_secret_access_key=os.environ["S3FDW_SK"])
            got = s3.get_object(Bucket=segments[1], Key="/".join(segments[2:]),
                                Range=f"bytes=0-{last - first}")
            self.send(206, got["Body"].read(), "application/octet-stream",
                      headers=[("Content-Range", got["ContentRange"]), ("ETag", got["ETag"])])
        elif fault == "rangetotal":
            def bigger(name, value):
                if name != "content-range":
                    return value
                head, total = value.rsplit("/", 1)
                return f"{head}/{int(total) + 1}"
            self.relay(body, header_change=bigger)
        elif fault == "rangenone":
            self.relay(body, header_change=lambda name, value: None if name == "content-range" else value)
        else:
            self.relay(body)

    def bad_head(self, kind):
        """HEAD of badhead/KIND, answered here."""
        headers = [("ETag", '"0123456789abcdef0123456789abcdef"'),
                   ("Last-Modified", "Wed, 25 Nov 2026 00:00:00 GMT")]
        if kind == "denied":
            self.send_response(403)
            self.send_header("x-amz-request-id", "fault-head403")
            self.send_header("Content-Type", "application/xml")
            self.end_headers()
            return
        if kind == "many":
            headers += [(f"x-amz-meta-k{i:04d}", f"v{i:04d}") for i in range(3013)]
        elif kind == "some":
            headers += [(f"x-amz-meta-k{i:04d}", f"v{i:04d}") for i in range(1000)]
        elif kind == "twice":
            headers += [("x-amz-meta-a", "first"), ("x-amz-meta-b", "other"), ("X-Amz-Meta-A", "second")]
        elif kind == "noetag":
            headers = headers[1:]
        elif kind == "badrestore":
            headers += [("x-amz-storage-class", "GLACIER"), ("x-amz-restore", 'expiry-date="soon"')]
        elif kind == "badexpiry":
            headers += [("x-amz-storage-class", "GLACIER"),
                        ("x-amz-restore", 'ongoing-request="false", expiry-date="2027-01-01"')]
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if kind != "nosize":
            self.send_header("Content-Length", "11")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def archive_fault(self, query, path, body):
        """An archived object of the fakes (ARCHIVE_FAULTS): HEAD, GET and
        POST ?restore answered here; False for anything else."""
        import base64
        import datetime
        key = unquote(path)
        if self.command == "POST" and "restore" in urlsplit(self.path).query.split("&"):
            md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
            if self.headers.get("Content-MD5") != md5:
                self.send(*s3_error("InvalidDigest", "The Content-MD5 you specified was invalid.", 400))
                return True
            text = body.decode("utf-8", "replace")
            if not re.fullmatch(r"<RestoreRequest( xmlns=\"[^\"]*\")?>.*</RestoreRequest>", text):
                self.send(*s3_error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400))
                return True
            days = re.search(r"<Days>(\d+)</Days>", text)
            with lock:
                st = archive_state(key)
                st["body"], st["version"] = text, query.get("versionId", [None])[0]
                answer = None
                if st["class"] == "INTELLIGENT_TIERING" and days:
                    answer = s3_error("InvalidArgument", "INTELLIGENT_TIERING objects are not subject to restore expiry. Do not specify Days when restoring this object", 400)
                elif "<Tier>Expedited</Tier>" in text and key.split("/")[2] == "noexpedite":
                    answer = s3_error("GlacierExpeditedRetrievalNotAvailable", "Glacier expedited retrievals are currently not available, please try again later", 503)
                elif st["restore"] == "ongoing":
                    answer = s3_error("RestoreAlreadyInProgress", "Object restore is already in progress", 409)
                elif st["restore"] == "done":
                    st["expiry"] = datetime.date(2027, 1, 1) + datetime.timedelta(int(days[1]) if days else 0)
                    answer = (200, "")
                else:
                    st["restore"], st["days"] = "ongoing", int(days[1]) if days else 0
                    answer = (202, "")
            self.send(*answer)
            return True
        if self.command not in ("HEAD", "GET") or "list-type" in query:
            return False
        with lock:
            st = dict(archive_state(key))
        body = f"restored body of {key}"
        headers = [("ETag", '"%s"' % hashlib.md5(body.encode()).hexdigest()),
                   ("Last-Modified", "Wed, 25 Nov 2026 00:00:00 GMT"),
                   ("x-amz-storage-class", st["class"])]
        if st["class"] == "INTELLIGENT_TIERING" and st["restore"] != "done":
            headers.append(("x-amz-archive-status", "DEEP_ARCHIVE_ACCESS"))
        if st["restore"] == "ongoing":
            headers.append(("x-amz-restore", 'ongoing-request="true"'))
        elif st["restore"] == "done" and st["class"] != "INTELLIGENT_TIERING":
            headers.append(("x-amz-restore", 'ongoing-request="false", expiry-date="%s"'
                            % st["expiry"].strftime("%a, %d %b %Y 00:00:00 GMT")))
        if self.command == "GET" and st["restore"] != "done":
            self.send(*s3_error("InvalidObjectState", "The operation is not valid for the object's storage class", 403),
                      headers=[("x-amz-storage-class", st["class"])])
        elif self.command == "HEAD" and key.endswith("-big"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(64 * MIB))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
        else:
            self.send(200, body, "text/plain", headers, head_body=False)
        return True

    def archive_copy(self):
        """CopyObject or UploadPartCopy from an archived object of the fakes
        not restored: 403 InvalidObjectState.  False for any other copy."""
        source = unquote(urlsplit(self.headers["x-amz-copy-source"]).path)
        if not source.startswith("/"):
            source = "/" + source
        segments = source.split("/")
        if len(segments) < 4 or segments[2] not in ARCHIVE_FAULTS:
            return False
        with lock:
            restored = archive_state(source)["restore"] == "done"
        if restored:
            return False
        self.send(*s3_error("InvalidObjectState", "Operation is not valid for the source object's storage class", 403))
        return True

    def new_fault(self, fault, query, path):
        """Answer the faults from chunked/ to FAULTBADDATE; True if one did."""
        try:
            return self.new_fault_answer(fault, query, path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True    # the client hung up: stop quietly
            return True

    def new_fault_answer(self, fault, query, path):
        if fault == "chunked":
            self.send_chunked()
        elif fault == "bigerror":
            self.send_bigerror()
        elif fault == "twolengths":
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.send_header("Content-Length", "3")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"abcde")
            self.close_connection = True
        elif fault == "bigheader":
            self.send(200, "ok", "application/octet-stream",
                      headers=[("X-Amz-Meta-Big", "a" * 300_000)], head_body=False)
        elif fault == "longmulti":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.send_header("ETag", '"0123456789abcdef0123456789abcdef-2"')
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"0123456789abcdefghij")
            self.close_connection = False
        elif fault == "slowdownbody":
            self.send(200, SLOWDOWN_BODY, "application/octet-stream",
                      headers=[("ETag", '"%s"' % hashlib.md5(SLOWDOWN_BODY).hexdigest())],
                      head_body=False)
        elif fault == "bigpage" and "list-type" in query:
            self.send(200, self.list_page("bigpage/", [f"bigpage/{i:04d}" for i in range(1001)], False))
        elif fault == "sametoken" and "list-type" in query:
            keys = [f"sametoken/{i}" for i in self.next_numbers(2)]
            self.send(200, self.list_page("sametoken/", keys, True, "again"))
        elif fault == "emptytoken" and "list-type" in query:
            self.send(200, self.list_page("emptytoken/", ["emptytoken/a", "emptytoken/b"], True, ""))
        elif fault == "notoken" and "list-type" in query:
            self.send(200, self.list_page("notoken/", ["notoken/a", "notoken/b"], True))
        elif fault == "badutf8" and "list-type" in query:
            self.send(200, self.list_page("badutf8/", ["badutf8/a", "badutf8/b%FFc", "badutf8/z"], False))
        elif fault == "baddate" and "list-type" in query:
            self.send(200, self.list_page("baddate/", ["baddate/a"], False, date="not-a-date"))
        elif fault == "xmlodd" and "list-type" in query:
            self.send(200, '<?xml version="1.0" encoding="UTF-8"?><!-- a comment -->'
                           f'<ListBucketResult xmlns="{XMLNS}"><Name>regress</Name><Prefix>xmlodd/</Prefix>'
                           "<KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                           "<Contents><Key><![CDATA[xmlodd/a<b>]]></Key><Size>1</Size></Contents>"
                           "<?pi something?><Contents><Key>xmlodd/&#x263A;</Key><Size>2</Size></Contents>"
                           "<Contents><Key>xmlodd/plain</Key><!-- c --><Size>3</Size></Contents>"
                           "</ListBucketResult>")
        elif fault == "emoji" and "list-type" in query:
            self.send(200, self.list_page("emoji/", ["emoji/%F0%9F%98%80"], False))
        elif self.command == "GET" and path == "/" and (answer := self.bucket_fault()):
            self.send(200, answer)
        else:
            return False
        return True

    def handle_any(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path == "/__tries":
            with lock:
                self.send(200, f"{tries.get(query['path'][0], 0)}\n", "text/plain")
            return
        if parts.path == "/__peak":
            with lock:
                self.send(200, "%d %d\n" % (waiting["peak"], waiting["all"]), "text/plain")
            return
        if parts.path == "/__reset":
            with lock:
                tries.clear()
                waiting.update(now=0, peak=0, all=0)
                archived.clear()
            self.send(200, "ok\n", "text/plain")
            return
        if parts.path == "/__restore":
            with lock:
                st = archive_state(query["path"][0])
                self.send(200, f"{st['body']} versionId {st['version']}\n", "text/plain")
            return
        if parts.path == "/__restored":
            import datetime
            with lock:
                st = archive_state(query["path"][0])
                st["restore"] = "done"
                st["expiry"] = datetime.date(2027, 1, 1) + datetime.timedelta(st.get("days", 0))
            self.send(200, "ok\n", "text/plain")
            return
        if parts.path.rstrip("/") == "/regress-delerr" and self.command == "POST" and \
                "delete" in parts.query.split("&"):
            keys = re.findall(rb"<Key>(.*?)</Key>", body)
            errors = "".join(f"<Error><Key>{k.decode()}</Key><Code>AccessDenied</Code>"
                             f"<Message>{'' if b'quiet' in k else 'Access Denied'}</Message></Error>"
                             for k in keys if b"locked" in k)
            self.send(200, f'<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="{XMLNS}">'
                           f"{errors}</DeleteResult>")
            return
        if parts.path.rstrip("/") in ("/regress-delhostile", "/regress-deltwice", "/regress-deldone") and \
                self.command == "POST" and "delete" in parts.query.split("&"):
            keys = [k.decode() for k in re.findall(rb"<Key>(.*?)</Key>", body)]
            if parts.path.startswith("/regress-delhostile"):
                entries = [f"<Error><Key>ghost/{i}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
                           for i in range(5000)]
            elif parts.path.startswith("/regress-deltwice"):
                entries = [f"<Error><Key>{k}</Key><Code>InternalError</Code><Message>Try again</Message></Error>"
                           for k in keys for _ in range(2)]
            else:
                entries = [f"<Deleted><Key>{k}</Key></Deleted>" for k in keys]
            self.send(200, f'<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="{XMLNS}">'
                           f"{''.join(entries)}</DeleteResult>")
            return
        segments = unquote(parts.path).split("/", 3)    # '', bucket, fault, rest
        fault = segments[2] if len(segments) > 2 and segments[2] else \
            query.get("prefix", [""])[0].split("/")[0]
        with lock:
            n = tries[parts.path] = tries.get(parts.path, 0) + 1

        if self.command == "PUT" and self.headers.get("x-amz-copy-source") and self.archive_copy():
            pass
        elif fault in ARCHIVE_FAULTS and len(segments) > 3 and self.archive_fault(query, parts.path, body):
            pass
        elif fault == "flaky" and n <= 2 or fault == "always503":
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
        elif fault == "emptymessage":
            self.send(*s3_error("NoSuchKey", "", 404), head_body=False)
        elif fault == "emptyetag" and self.command == "POST" and "uploadId" in query:
            self.relay(body, lambda data: re.sub(rb"<ETag>[^<]*</ETag>", b"<ETag></ETag>", data))
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
        elif (fault in ("slowget", "hangget") and self.command == "GET" and "list-type" not in query
              or fault == "slowput" and self.command == "PUT"):
            with lock:
                waiting["now"] += 1
                waiting["all"] += 1
                waiting["peak"] = max(waiting["peak"], waiting["now"])
            time.sleep(0.2 if fault in ("slowget", "slowput") else 0 if parts.path.endswith("-quick") else 60)
            with lock:
                waiting["now"] -= 1
            try:
                self.relay(body)
            except OSError:
                self.close_connection = True
        elif fault in ("chunkflaky", "chunkslow") and self.command == "GET" and \
                not (self.headers.get("Range") or "bytes=0-").startswith("bytes=0-"):
            rng = self.headers["Range"]
            with lock:
                n = tries[parts.path + "#" + rng] = tries.get(parts.path + "#" + rng, 0) + 1
            if fault == "chunkflaky" and n <= 2:
                self.send(*s3_error("ServiceUnavailable", "Please reduce your request rate.", 503))
            elif fault == "chunkslow":
                time.sleep(60)
                self.close_connection = True
            else:
                self.relay(body)
        elif fault == "changed" and self.command == "GET" and self.headers.get("If-Match"):
            self.send(*s3_error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412))
        elif (fault.startswith("part") or fault == "abortfail") and self.command == "PUT" and \
                "partNumber" in query:
            part = query["partNumber"][0]
            with lock:
                n = tries[parts.path + "#" + part] = tries.get(parts.path + "#" + part, 0) + 1
            if part == "2" and (fault in ("partfail", "abortfail") or fault == "partflaky" and n <= 2):
                self.send(*s3_error("ServiceUnavailable", "Please reduce your request rate.", 503))
            elif fault == "partslow":
                time.sleep(60)
                self.close_connection = True
            else:
                self.relay(body)
        elif fault == "abortfail" and self.command == "DELETE" and "uploadId" in query:
            self.upstream(body)
            self.send(*s3_error("NoSuchUpload", "The specified upload does not exist.", 404))
        elif fault == "completefail" and self.command == "POST" and "uploadId" in query:
            self.send(*s3_error("InternalError", "We encountered an internal error. Please try again.", 200))
        elif fault == "slowlist" and "list-type" in query:
            page = int(query.get("continuation-token", ["0"])[0])
            per_page = min(2, int(query.get("max-keys", ["2"])[0]))
            body = self.list_page("slowlist/", [f"slowlist/{page}{k}" for k in "ab"[:per_page]],
                                  page < 3, str(page + 1) if page < 3 else None).encode()
            cut = body.index(b"<Contents>")
            with lock:
                waiting["now"] += 1
                waiting["all"] += 1
                waiting["peak"] = max(waiting["peak"], waiting["now"])
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:cut])
                self.wfile.flush()
                time.sleep(0.3)
                self.wfile.write(body[cut:])
            finally:
                with lock:
                    waiting["now"] -= 1
        elif fault in ("rangezero", "rangetotal", "rangenone", "range416") and self.command == "GET" and \
                self.headers.get("Range"):
            self.range_fault(fault, body, segments)
        elif fault == "badhead" and self.command == "HEAD" and len(segments) > 3:
            self.bad_head(segments[3])
        elif fault == "oddget" and self.command == "GET" and parts.path.endswith("-gone"):
            self.send(*s3_error("NoSuchKey", "The specified key does not exist.", 404))
        elif self.new_fault(fault, query, parts.path):
            pass
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
