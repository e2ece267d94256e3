#!/usr/bin/env python3
"""A fast ListObjectsV2 stand-in holding 1,000,000 sorted keys per bucket.

    list_server.py PORT [--keys N] [--selftest] [--log FILE]

Buckets (generated, seeded: the same keys every run):
  flat     N keys (default 1,000,000) of mixed shapes: logs/YYYY/MM/DD/HH/...,
           data/tenant=.../table=.../dt=.../part-....parquet, img/xx/yy/....jpg,
           and a few odd ones (keys below '/' such as "data-archive/",
           "data x/", "data+plus/", keys that are prefixes of others,
           multibyte UTF-8: "ünïcode/", "日本語/")
  skewed   N keys, 90 % of them under "a/" (a/YYYY/MM/DD/ev-NNNNNNN.json),
           the rest spread over some 2,000 other top-level names, some of
           them next to "a/" in byte order ("a-", "a.", "ab", "A", "0")
  check    2,000 small nasty keys, for the self-test

Path-style, signatures not checked (as nginx in the bench):
  GET /BUCKET?list-type=2  with prefix, start-after, continuation-token,
        max-keys (default and cap 1000), delimiter, encoding-type=url;
        answers as S3: Name, Prefix, ContinuationToken, StartAfter,
        NextContinuationToken, KeyCount, MaxKeys, Delimiter, EncodingType,
        IsTruncated, then Contents (Key, LastModified, ETag, Size,
        StorageClass) and CommonPrefixes
  GET /BUCKET?location     an empty LocationConstraint
  HEAD /BUCKET             200
  GET /__info              JSON: each bucket's key count, first and last key
  GET /__stats             JSON counters: requests, list requests per bucket,
        keys and common prefixes sent, the most requests in flight at once
  POST /__reset            zeroes the counters

Keys are kept in S3's order (their UTF-8 bytes).  Each key's <Contents>
fragment (key URL-encoded as S3 does for encoding-type=url) is rendered once
into one buffer per bucket, so that a page without a delimiter is one slice
of it: a thousand pages of a thousand keys take well under a second.

A key with the delimiter after the prefix is rolled into its common prefix
(prefix + ... + delimiter), each common prefix given once and counted in
max-keys; a page that ends on a common prefix continues after every key
under it.  The continuation token is this stand-in's own (base64 of the
last key or common prefix given).

--log FILE: each list request's query string and what it gave (keys,
common prefixes, the last one, truncated or not, when: monotonic seconds),
one a line.

--selftest: once the server listens, pages over HTTP through prefixes,
start-after, delimiters and max-keys on every bucket and compares each
listing with a brute-force filter of the sorted keys; prints "selftest: ok"
(or the first difference, and exits 1) on stderr, then serves.
"""
import argparse
import base64
import bisect
import hashlib
import http.client
import json
import random
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote_plus, urlsplit

NS = "http://s3.amazonaws.com/doc/2006-03-01/"
MAX_KEYS = 1000
LOCK = threading.Lock()
STATS = {}
BUCKETS = {}
LOG = None

# S3's encoding-type=url: as a query string (space as '+'), but '/' and '*'
# kept, '~' escaped (what MinIO copies of it, and what botocore's
# unquote_plus undoes)
_SAFE = re.compile(rb"[A-Za-z0-9_.\-/*]*\Z")
_ENC = [("%%%02X" % b).encode() for b in range(256)]
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-/*":
    _ENC[_c] = bytes([_c])
_ENC[ord(" ")] = b"+"


def url_encode(b):
    if _SAFE.match(b):
        return b
    return b"".join(_ENC[c] for c in b)


def xml_escape(b):
    return b.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;") \
        .replace(b'"', b"&quot;").replace(b"'", b"&apos;")


def reset():
    with LOCK:
        STATS.clear()
        STATS.update(requests=0, list_requests={}, keys_sent=0, prefixes_sent=0,
                     in_flight=0, max_in_flight=0, connections=0, errors=0)


reset()


# ---------------------------------------------------------------- the keys

def flat_keys(n, rng):
    hosts = ["web-%d" % i for i in range(1, 13)]
    tenants = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"]
    tables = ["orders", "events", "users", "clicks", "payments"]
    odd_tops = ["data-archive/", "data.old/", "data x/", "data+plus/", "data!bang/", "ünïcode/",
                "日本語/ファイル-", "~tmp/", "Übersicht/", "data(1)/", "q?x=1&y=2/", "it's/"]
    keys = set(["data", "data/", "logs", "README", "logs/2024/"])
    seq = 0
    while len(keys) < n:
        seq += 1
        r = rng.random()
        if r < 0.40:
            k = "logs/2024/%02d/%02d/%02d/app-%s-%06d.log.gz" % (
                rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.choice(hosts), seq)
        elif r < 0.70:
            k = "data/tenant=%s/table=%s/dt=2024-%02d-%02d/part-%05d-%08x.parquet" % (
                rng.choice(tenants), rng.choice(tables), rng.randint(1, 12), rng.randint(1, 28),
                seq % 100000, rng.getrandbits(32))
        elif r < 0.95:
            k = "img/%02x/%02x/%016x.jpg" % (rng.getrandbits(8), rng.getrandbits(8), rng.getrandbits(64))
        else:
            top = rng.choice(odd_tops)
            k = "%s%d.txt" % (top, seq)
            if rng.random() < 0.2 and len(keys) < n - 1:
                keys.add(k + ".1")      # a key that has another as its prefix
        keys.add(k)
    return keys


def skewed_keys(n, rng):
    hot = n * 9 // 10
    keys = set()
    seq = 0
    while len(keys) < hot:
        seq += 1
        keys.add("a/2024/%02d/%02d/ev-%07d.json" % (rng.randint(1, 12), rng.randint(1, 28), seq))
    alpha = "bcdefghijklmnopqrstuvwxyz"
    tops = set(["A", "0", "-x", "a-", "a.", "ab", "aa", "a0", "a+", "é"])
    while len(tops) < 2000:
        tops.add(rng.choice(alpha) + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                                             for _ in range(rng.randint(0, 3))))
    tops = sorted(tops)
    while len(keys) < n:
        seq += 1
        keys.add("%s/%s/%07d" % (rng.choice(tops), rng.choice(["x", "y", "z/deep"]), seq))
    return keys


def check_keys(rng):
    """Small, nasty: every byte class around '/', prefixes of other keys,
    multibyte, the delimiter doubled, empty segments."""
    parts = ["a", "a/", "a-", "a.", "a b", "a+b", "ab", "b", "é", "日", "/", "//", "~", "%", "&", "<", "z"]
    keys = set()
    while len(keys) < 2000:
        keys.add("".join(rng.choice(parts) for _ in range(rng.randint(1, 6))))
    return keys


class Bucket:
    def __init__(self, name, keys, rng):
        self.name = name
        self.keys = sorted(k.encode() for k in keys)        # S3's order: UTF-8 bytes
        frags = []
        stamps = ["2024-%02d-%02dT%02d:%02d:%02d.000Z" % (m, d, h, m * 3 % 60, d * 7 % 60)
                  for m in range(1, 13) for d in range(1, 29) for h in (0, 6, 12, 18)]
        for k in self.keys:
            frags.append(b"<Contents><Key>%s</Key><LastModified>%s</LastModified><ETag>&quot;%s&quot;</ETag>"
                         b"<Size>%d</Size><StorageClass>STANDARD</StorageClass></Contents>"
                         % (url_encode(k), rng.choice(stamps).encode(), hashlib.md5(k).hexdigest().encode(),
                            rng.randrange(0, 10_000_000)))
        self.offsets = [0]
        pos = 0
        for f in frags:
            pos += len(f)
            self.offsets.append(pos)
        self.blob = b"".join(frags)
        self.view = memoryview(self.blob)

    def fragment(self, i, url):
        """Key i's <Contents>: as rendered, or with the key XML-escaped."""
        f = self.view[self.offsets[i]:self.offsets[i + 1]]
        if url:
            return f
        f = bytes(f)
        return b"<Contents><Key>" + xml_escape(self.keys[i]) + f[f.index(b"</Key>"):]

    def page(self, prefix, start, delimiter, max_keys, url):
        """From index start: (parts of Contents, the number of keys, common
        prefixes, last given (kind, bytes) or None, truncated)."""
        keys = self.keys
        end = bisect.bisect_left(keys, prefix + b"\xff") if prefix else len(keys)
        if start >= end or max_keys == 0:
            return [], 0, [], None, False
        if not delimiter:
            stop = min(end, start + max_keys)
            if url:
                parts = [self.view[self.offsets[start]:self.offsets[stop]]]
            else:
                parts = [self.fragment(i, False) for i in range(start, stop)]
            return parts, stop - start, [], (b"K", keys[stop - 1]), stop < end
        parts, cps, last = [], [], None
        i, n, plen = start, 0, len(prefix)
        while i < end:
            if n == max_keys:
                return parts, len(parts), cps, last, True
            k = keys[i]
            d = k.find(delimiter, plen)
            if d < 0:
                parts.append(self.fragment(i, url))
                last = (b"K", k)
                i += 1
            else:
                cp = k[:d + len(delimiter)]
                cps.append(cp)
                last = (b"P", cp)
                # every key under cp (the bytes of a key are UTF-8: no 0xFF)
                i = bisect.bisect_left(keys, cp + b"\xff", i, end)
            n += 1
        return parts, len(parts), cps, last, False

    def resume(self, token):
        kind, b = token[:1], token[1:]
        if kind == b"P":
            return bisect.bisect_left(self.keys, b + b"\xff")
        if kind == b"K":
            return bisect.bisect_right(self.keys, b)
        raise ValueError("bad token")


def make_token(last):
    return base64.urlsafe_b64encode(last[0] + last[1]).rstrip(b"=").decode()


def read_token(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


# ---------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "list-standin"
    disable_nagle_algorithm = True      # head and body are two writes

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            STATS["connections"] += 1

    def answer(self, status, body=b"", ctype="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", "standin")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, msg):
        with LOCK:
            STATS["errors"] += 1
        self.answer(status, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code>"
                             "<Message>%s</Message><RequestId>standin</RequestId></Error>"
                             % (code, msg)).encode())

    def skip_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)

    def do_HEAD(self):
        name = urlsplit(self.path).path.strip("/")
        self.answer(200 if name in BUCKETS else 404)

    def do_POST(self):
        self.skip_body()
        if self.path == "/__reset":
            reset()
            return self.answer(204)
        self.error(405, "MethodNotAllowed", "This stand-in only lists.")

    def do_GET(self):
        self.skip_body()
        if self.path == "/__stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.answer(200, body, "application/json")
        if self.path == "/__info":
            body = json.dumps(dict((n, {"keys": len(b.keys), "first": b.keys[0].decode(),
                                        "last": b.keys[-1].decode()}) for n, b in BUCKETS.items()))
            return self.answer(200, body.encode(), "application/json")
        with LOCK:
            STATS["requests"] += 1
            STATS["in_flight"] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"], STATS["in_flight"])
        try:
            self.get()
        finally:
            with LOCK:
                STATS["in_flight"] -= 1

    def get(self):
        u = urlsplit(self.path)
        name = u.path.strip("/")
        q = parse_qs(u.query, keep_blank_values=True)
        b = BUCKETS.get(name)
        if b is None:
            return self.error(404, "NoSuchBucket", "The specified bucket does not exist")
        if "location" in q:
            return self.answer(200, ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                     '<LocationConstraint xmlns="%s"/>' % NS).encode())
        if q.get("list-type") != ["2"]:
            return self.error(501, "NotImplemented", "Only ListObjectsV2 (list-type=2) is implemented.")
        one = lambda k: q[k][-1] if k in q else None
        enc = one("encoding-type")
        if enc not in (None, "url"):
            return self.error(400, "InvalidArgument", "Invalid Encoding Method specified in Request")
        url = enc == "url"
        try:
            max_keys = min(int(one("max-keys") or MAX_KEYS), MAX_KEYS)
            if max_keys < 0:
                raise ValueError
        except ValueError:
            return self.error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range")
        prefix = (one("prefix") or "").encode()
        delimiter = (one("delimiter") or "").encode()
        start_after = one("start-after")
        token = one("continuation-token")
        if token is not None:
            try:
                start = b.resume(read_token(token))
            except ValueError:
                return self.error(400, "InvalidArgument", "The continuation token provided is incorrect")
        elif start_after:
            start = bisect.bisect_right(b.keys, start_after.encode())
        else:
            start = 0
        if prefix:
            start = max(start, bisect.bisect_left(b.keys, prefix))
        parts, nkeys, cps, last, truncated = b.page(prefix, start, delimiter, max_keys, url)
        e = url_encode if url else xml_escape
        head = [b'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="%s">' % NS.encode(),
                b"<Name>%s</Name><Prefix>%s</Prefix>" % (name.encode(), e(prefix))]
        if token is not None:
            head.append(b"<ContinuationToken>%s</ContinuationToken>" % xml_escape(token.encode()))
        if start_after is not None:
            head.append(b"<StartAfter>%s</StartAfter>" % e(start_after.encode()))
        if truncated:
            head.append(b"<NextContinuationToken>%s</NextContinuationToken>" % make_token(last).encode())
        # KeyCount: the keys and the common prefixes of the page
        head.append(b"<KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys>" % (nkeys + len(cps), max_keys))
        if delimiter:
            head.append(b"<Delimiter>%s</Delimiter>" % e(delimiter))
        if url:
            head.append(b"<EncodingType>url</EncodingType>")
        head.append(b"<IsTruncated>%s</IsTruncated>" % (b"true" if truncated else b"false"))
        tail = [b"<CommonPrefixes><Prefix>%s</Prefix></CommonPrefixes>" % e(cp) for cp in cps]
        tail.append(b"</ListBucketResult>")
        if LOG:
            with LOCK:
                LOG.write("%s %s keys=%d prefixes=%d last=%r truncated=%s t=%.3f\n" % (
                    name, u.query, nkeys, len(cps), last[1].decode(errors="replace") if last else None, truncated,
                    time.monotonic()))
                LOG.flush()
        with LOCK:
            lr = STATS["list_requests"]
            lr[name] = lr.get(name, 0) + 1
            STATS["keys_sent"] += nkeys
            STATS["prefixes_sent"] += len(cps)
        self.answer(200, b"".join(head + parts + tail))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


# ---------------------------------------------------------------- self-test

def brute(b, prefix, start_after, delimiter):
    """Every entry of a listing, from the sorted keys alone: ("K"|"P", str)."""
    out, seen = [], set()
    p, sa, d = prefix.encode(), (start_after or "").encode(), delimiter.encode()
    for k in b.keys:
        if not k.startswith(p) or (sa and k <= sa):
            continue
        i = k.find(d, len(p)) if d else -1
        if i < 0:
            out.append(("K", k.decode()))
        else:
            cp = k[:i + len(d)]
            if cp not in seen:
                seen.add(cp)
                out.append(("P", cp.decode()))
    return out


def fetch_all(conn, bucket, prefix, start_after, delimiter, max_keys, url, limit_pages=None):
    """Pages through a listing over HTTP; the entries in order, and the
    first problem found (or None)."""
    out, token, pages = [], None, 0
    dec = unquote_plus if url else (lambda s: s)
    while True:
        q = {"list-type": "2", "prefix": prefix}
        if url:
            q["encoding-type"] = "url"
        if start_after:
            q["start-after"] = start_after
        if delimiter:
            q["delimiter"] = delimiter
        if max_keys is not None:
            q["max-keys"] = str(max_keys)
        if token:
            q["continuation-token"] = token
        path = "/%s?%s" % (bucket, "&".join("%s=%s" % (k, quote(v, safe="")) for k, v in q.items()))
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            return out, "%s: HTTP %d" % (path, r.status)
        root = ET.fromstring(body)
        t = lambda name: root.findtext("{%s}%s" % (NS, name))
        tags = [c.tag.split("}")[1] for c in root]
        order = ["Name", "Prefix", "ContinuationToken", "StartAfter", "NextContinuationToken", "KeyCount",
                 "MaxKeys", "Delimiter", "EncodingType", "IsTruncated", "Contents", "CommonPrefixes"]
        if any(x not in order for x in tags) or tags != sorted(tags, key=order.index):
            return out, "%s: elements out of order: %s" % (path, tags[:12])
        if dec(t("Prefix") or "") != prefix:
            return out, "%s: Prefix %r" % (path, t("Prefix"))
        got = []
        for c in root.findall("{%s}Contents" % NS):
            if [x.tag.split("}")[1] for x in c] != ["Key", "LastModified", "ETag", "Size", "StorageClass"]:
                return out, "%s: Contents elements %r" % (path, [x.tag for x in c])
            got.append(("K", dec(c.findtext("{%s}Key" % NS))))
        cps = [("P", dec(c.findtext("{%s}Prefix" % NS))) for c in root.findall("{%s}CommonPrefixes" % NS)]
        page = got + cps
        if int(t("KeyCount")) != len(page):
            return out, "%s: KeyCount %s, %d entries" % (path, t("KeyCount"), len(page))
        if len(page) > (max_keys if max_keys is not None else MAX_KEYS):
            return out, "%s: %d entries" % (path, len(page))
        # S3 gives a page's keys, then its common prefixes; in the whole
        # listing they interleave by order
        out.extend(sorted(page, key=lambda e: e[1].encode()))
        pages += 1
        truncated = t("IsTruncated") == "true"
        token = t("NextContinuationToken")
        if truncated != (token is not None):
            return out, "%s: IsTruncated %s with token %r" % (path, truncated, token)
        if not truncated or (limit_pages and pages >= limit_pages):
            return out, None


def selftest(port):
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cases = []
    chk = BUCKETS.get("check")
    if chk:
        rng = random.Random(7)
        for prefix in ["", "a", "a/", "a b", "é", "/", "日"]:
            for delim in ["", "/", "a", "//", "é"]:
                for sa in [None, "a", "a/", "a/a", "b", "é", "\U0010ffff"]:
                    cases.append(("check", prefix, sa, delim, rng.choice([2, 5, 11, 50, 400, None]), rng.random() < .8))
    cases += [
        ("flat", "data/tenant=acme/table=orders/dt=2024-03-", None, "", 100, True),
        ("flat", "data", None, "/", 2, True),
        ("flat", "", None, "/", 3, True),
        ("flat", "", "img/ff/fe", "", None, True),
        ("flat", "", "logs/2024/12/28/23/", "/", 5, False),
        ("flat", "ünïcode/", None, "", 37, True),
        ("flat", "日本語/", "日本語/ファイル-5", "-", 10, True),
        ("flat", "logs/2024/0", None, "/", 4, True),
        ("skewed", "", None, "/", 100, True),
        ("skewed", "a", None, "/", 1, True),
        ("skewed", "a/2024/1", None, "/", 2, True),
        ("skewed", "", "a/2024/12/28/", "", None, True),
        ("skewed", "a", "a/", "", 999, True),
    ]
    # the listings of many pages: their first three pages
    few = {("skewed", "", "a/2024/12/28/"), ("skewed", "a", "a/"), ("flat", "", "img/ff/fe")}
    brute_cache = {}
    for bucket, prefix, sa, delim, mk, url in cases:
        b = BUCKETS.get(bucket)
        if b is None:
            continue
        k = (bucket, prefix, sa, delim)
        if k not in brute_cache:
            brute_cache[k] = brute(b, prefix, sa, delim)
        want = brute_cache[k]
        limit = 3 if (bucket, prefix, sa) in few else None
        got, problem = fetch_all(conn, bucket, prefix, sa, delim, mk, url, limit)
        if limit and len(got) == limit * (mk or MAX_KEYS):
            want = want[:len(got)]
        if problem is None and got != want:
            i = next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))
            problem = "entry %d: got %r, want %r (%d vs %d entries)" % (
                i, got[i] if i < len(got) else None, want[i] if i < len(want) else None, len(got), len(want))
        if problem:
            return "bucket %s prefix %r start-after %r delimiter %r max-keys %r url %s: %s" % (
                bucket, prefix, sa, delim, mk, url, problem)
    # a whole bucket, as a client pages it: every key once, in order (the
    # keys found by a regular expression: ElementTree would take a minute)
    for name in ("flat", "skewed"):
        b = BUCKETS.get(name)
        if b is None:
            continue
        got, token = [], None
        while True:
            conn.request("GET", "/%s?list-type=2&encoding-type=url%s" % (
                name, "&continuation-token=" + quote(token, safe="") if token else ""))
            body = conn.getresponse().read()
            got += re.findall(rb"<Key>([^<]*)</Key>", body)
            m = re.search(rb"<NextContinuationToken>([^<]*)</NextContinuationToken>", body)
            if not m:
                break
            token = m.group(1).decode()
        if [unquote_plus(k.decode()).encode() for k in got] != b.keys:
            return "bucket %s, the whole listing: %d keys, not the %d expected" % (name, len(got), len(b.keys))
    conn.close()
    print("selftest: %d cases and 2 whole buckets in %.1f s" % (len(cases), time.perf_counter() - t0),
          file=sys.stderr, flush=True)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--selftest", action="store_true")
    ap.add_argument("--log", help="each list request's query and what it gave, one a line")
    a = ap.parse_args()
    global LOG
    if a.log:
        LOG = open(a.log, "a", encoding="utf-8")
    rng = random.Random(20240)
    BUCKETS["flat"] = Bucket("flat", flat_keys(a.keys, rng), rng)
    BUCKETS["skewed"] = Bucket("skewed", skewed_keys(a.keys, rng), rng)
    BUCKETS["check"] = Bucket("check", check_keys(rng), rng)
    srv = Server(("127.0.0.1", a.port), Handler)
    print("list stand-in on 127.0.0.1:%d: %s" % (a.port, ", ".join(
        "%s %d keys (%d MB of Contents)" % (n, len(b.keys), len(b.blob) >> 20) for n, b in BUCKETS.items())),
        file=sys.stderr, flush=True)
    if a.selftest:
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        problem = selftest(a.port)
        reset()
        if problem:
            print("selftest: FAILED: %s" % problem, file=sys.stderr, flush=True)
            srv.shutdown()
            sys.exit(1)
        print("selftest: ok", file=sys.stderr, flush=True)
        try:
            t.join()
        except KeyboardInterrupt:
            pass
        return
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
