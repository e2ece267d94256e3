#!/usr/bin/env python3
"""Generates the benchmark's objects, ListObjectsV2 pages and nginx config.

    gen_data.py DATA_DIR NGINX_PORT WORK_DIR [--aws-port PORT] [--big-mb 256]
                [--small 2000] [--tiny 2000] [--list-keys 100000] [--nginx-etag md5]
                [--csv-mb 210]
                [--tls-port PORT --tls-aws-port PORT --tls-cert PEM --tls-key KEY]

DATA_DIR gets:
  objects/bench/big/obj     the large object (random bytes)
  objects/bench/tiny/kNNNN  1 KB objects (s3_read calls one after another)
  objects/bench/small/sNNNN 4 KB objects (the foreign table's content column)
  objects/bench/import/orders.csv
                            a CSV of about --csv-mb MB with a header line
                            (works 7 and 8: s3_import, then s3_export of the
                            table it fills): ints, text, quoted text with
                            commas and quotes, timestamps, NULLs
  lists/<prefix>/tNNNNN.xml ListObjectsV2 pages of 1,000 keys, for the
                            prefixes list/ (keys that exist only in the
                            listing) and small/
  etags.map                 an nginx map: URI -> quoted MD5, so that every
                            object comes with an S3-like MD5 ETag
  manifest.json             sizes, counts and the URLs the peers fetch
WORK_DIR gets nginx.conf, and nginx writes WORK_DIR/put-headers.log: a line
for each PUT with the headers that carry its body's integrity
(x-amz-content-sha256, x-amz-checksum-*, Content-MD5, aws-chunked trailers).

With --tls-port, the same servers listen over https too (the certificate and
key run.sh makes with a throwaway CA): the same files, ETags, listings and
DAV PUTs, --tls-aws-port being the https twin of --aws-port.

Continuation tokens are t00001, t00002, ...: nginx maps the request's
continuation-token (absent: t00000) and prefix to a page file.
"""
import argparse
import hashlib
import json
import os
import sys
import time
from xml.sax.saxutils import escape

NS = "http://s3.amazonaws.com/doc/2006-03-01/"
BUCKET = "bench"
LAST_MODIFIED = "2026-01-01T00:00:00.000Z"
PAGE = 1000


def write(path, data, mode="wb"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def list_pages(data, prefix, entries):
    """entries: [(key, size, md5)]; writes lists/<prefix>/tNNNNN.xml."""
    name = prefix.rstrip("/")
    pages = [entries[i:i + PAGE] for i in range(0, len(entries), PAGE)] or [[]]
    for n, page in enumerate(pages):
        truncated = n + 1 < len(pages)
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
               '<ListBucketResult xmlns="%s">' % NS,
               "<Name>%s</Name><Prefix>%s</Prefix>" % (BUCKET, escape(prefix))]
        if n > 0:
            out.append("<ContinuationToken>t%05d</ContinuationToken>" % n)
        out.append("<KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys>" % (len(page), PAGE))
        out.append("<EncodingType>url</EncodingType>")
        out.append("<IsTruncated>%s</IsTruncated>" % ("true" if truncated else "false"))
        if truncated:
            out.append("<NextContinuationToken>t%05d</NextContinuationToken>" % (n + 1))
        for key, size, md5 in page:
            out.append("<Contents><Key>%s</Key><LastModified>%s</LastModified>"
                       "<ETag>&quot;%s&quot;</ETag><Size>%d</Size>"
                       "<StorageClass>STANDARD</StorageClass></Contents>"
                       % (escape(key), LAST_MODIFIED, md5, size))
        out.append("</ListBucketResult>\n")
        write(os.path.join(data, "lists", name, "t%05d.xml" % n), "".join(out), "w")
    return len(pages)


def objects(data, prefix, count, size, etags):
    entries = []
    for i in range(count):
        key = "%s%04d" % (prefix, i)
        body = os.urandom(size)
        md5 = hashlib.md5(body).hexdigest()
        write(os.path.join(data, "objects", BUCKET, key), body)
        etags.append(("/%s/%s" % (BUCKET, key), md5))
        entries.append((key, size, md5))
    return entries


# the table of works 7 and 8, as bench.py creates it; the CSV has its columns
CSV_COLUMNS = ["id", "customer_id", "quantity", "price_cents", "status", "customer", "city",
               "created_at", "updated_at", "note"]


def write_csv(path, target_bytes, seed=19):
    """Orders, one a line, until the file has target_bytes: a bigint id, two
    integers, a bigint, short text, names and cities (some non-ASCII, some
    quoted because of a comma), a timestamptz, a timestamp with
    microseconds, and a note that is empty (NULL), words, or quoted text
    with commas and doubled quotes.  Returns (rows, md5)."""
    import random
    rnd = random.Random(seed)
    first = ["Ana", "Bo", "Chen", "Dmitri", "Eve", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kwame", "Lea",
             "Mia", "Nils", "Olu", "Pia", "Quinn", "Raj", "Sara", "Tom", "Uma", "Vic", "Wen", "Xia", "Yusuf", "Zoe"]
    last = ["Smith", "García", "Müller", "Rossi", "Nowak", "Kim", "Okafor", "Silva", "Dubois", "Ivanova",
            "Tanaka", "O'Brien", "Jensen", "Kowalski", "Haddad"]
    cities = ["Lisbon", "São Paulo", "Zürich", '"New York, NY"', "Kraków", "Osaka", "Lagos", "Austin",
              "Montréal", "Cape Town", "Reykjavík", "Chennai"]
    statuses = ["new", "paid", "shipped", "delivered", "returned", "cancelled"]
    words = ("the quick brown fox jumps over lazy dog order late box damaged gift wrap please call before "
             "delivery leave at door \"fragile\" thanks again, second floor").split(" ")
    days = ["%04d-%02d-%02d" % time.gmtime(1704067200 + 86400 * d)[:3] for d in range(731)]
    md5 = hashlib.md5()
    ri, ch = rnd.randrange, rnd.choice
    rows = written = 0
    with open(path, "wb") as out:
        head = (",".join(CSV_COLUMNS) + "\n").encode()
        out.write(head)
        md5.update(head)
        written = len(head)
        while written < target_bytes:
            lines = []
            for _ in range(10000):
                rows += 1
                s, s2, d, n = ri(86400), ri(86400), ri(730), ri(5)
                note = " ".join(ch(words) for _ in range(n * 2))
                if "," in note or '"' in note:
                    note = '"' + note.replace('"', '""') + '"'
                lines.append("%d,%d,%d,%d,%s,%s %s,%s,%s %02d:%02d:%02d+00,%s %02d:%02d:%02d.%06d,%s\n" % (
                    rows, ri(1, 2000000), ri(1, 100), ri(50, 10000000), ch(statuses), ch(first), ch(last),
                    ch(cities), days[d], s // 3600, s // 60 % 60, s % 60, days[d + 1], s2 // 3600,
                    s2 // 60 % 60, s2 % 60, ri(1000000), note))
            block = "".join(lines).encode()
            out.write(block)
            md5.update(block)
            written += len(block)
    return rows, md5.hexdigest()


NGINX_CONF = r"""# generated by bench/gen_data.py: a static S3 stand-in
daemon off;
master_process on;
worker_processes 2;
user root;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_max_body_size 0;
    client_body_buffer_size 1m;
    client_body_temp_path {data}/tmp;
    # nginx's own ETag (mtime-size) is not an MD5, so s3_fdw would not check
    # it; S3 sends the body's MD5 for single-part objects, so the stand-in
    # does too (from etags.map, as the ETag header), and s3_fdw checks each
    # body against it.  The AWS CLI's ranged GETs send If-Match with the ETag
    # of its HeadObject, which nginx can only match against its own ETags
    # (it answers 412 otherwise): the second server, for the CLI's downloads,
    # serves the same files with nginx's ETags.
    types {{ }}
    default_type application/octet-stream;
    map_hash_max_size 16384;
    map_hash_bucket_size 128;
    # PUTs only: the headers by which S3 would check the body, so that the
    # report can say what each uploader sent (nginx itself checks none)
    map $request_method $bench_put {{
        PUT 1;
        default 0;
    }}
    log_format bench_put '$scheme $request_method $uri $status len=$http_content_length '
        'sha256=$http_x_amz_content_sha256 crc32c=$http_x_amz_checksum_crc32c '
        'crc32=$http_x_amz_checksum_crc32 sha1=$http_x_amz_checksum_sha1 '
        'csha256=$http_x_amz_checksum_sha256 md5=$http_content_md5 '
        'encoding=$http_content_encoding trailer=$http_x_amz_trailer '
        'decoded=$http_x_amz_decoded_content_length';
    access_log {work}/put-headers.log bench_put if=$bench_put;

    map $args $s3_list {{
        "~(^|&)list-type=2(&|$)" 1;
        default 0;
    }}
    map $args $s3_prefix {{
        "~(^|&)prefix=(?<pfx>[^&]*)" $pfx;
        default "";
    }}
    map $s3_prefix $s3_list_dir {{
        "list%2F" list;
        "list/" list;
        "small%2F" small;
        "small/" small;
        default unknown-prefix;
    }}
    map $args $s3_token {{
        "~(^|&)continuation-token=(?<tok>[^&]+)" $tok;
        default t00000;
    }}
    map $uri $s3_etag {{
        include {data}/etags.map;
        default "";
    }}

{servers}}}
"""


SERVER = r"""
    server {{
        listen 127.0.0.1:{port}{ssl} backlog=4096;
        root {data}/objects;
        etag {etag};{tls}

        location = /__ping {{ return 200 "ok\n"; }}

        # the bucket: ListObjectsV2 pages, nothing else
        location ~ ^/[^/]+/?$ {{
            if ($s3_list = 1) {{
                rewrite ^ /__lists/$s3_list_dir/$s3_token.xml last;
            }}
            return 501;
        }}
        location /__lists/ {{
            internal;
            alias {data}/lists/;
            default_type application/xml;
        }}

        # objects: GET/HEAD from files, PUT/DELETE through the DAV module
        # (signatures, Content-MD5 and x-amz-* headers are ignored)
        location / {{
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
            {add_etag}
        }}
    }}
"""

# the https listeners: TLS 1.2 and 1.3 with OpenSSL's default ciphers (the
# clients settle on TLS 1.3 and AES-GCM); nginx encrypts from its own buffers
# (no sendfile over TLS)
TLS = r"""
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:bench_tls:1m;"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("port", type=int)
    ap.add_argument("work")
    ap.add_argument("--aws-port", type=int, default=0,
                    help="a second server with nginx's own ETags, for the AWS CLI's ranged GETs")
    ap.add_argument("--big-mb", type=int, default=256)
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--tiny", type=int, default=2000)
    ap.add_argument("--list-keys", type=int, default=100000)
    ap.add_argument("--csv-mb", type=int, default=210, help="the CSV of works 7 and 8 (0: none)")
    ap.add_argument("--nginx-etag", choices=["md5", "nginx"], default="md5",
                    help="md5: S3-like ETags; nginx: nginx's own (s3_fdw skips its check)")
    ap.add_argument("--tls-port", type=int, default=0,
                    help="the same server over https (needs --tls-cert and --tls-key)")
    ap.add_argument("--tls-aws-port", type=int, default=0, help="the --aws-port server over https")
    ap.add_argument("--tls-cert", help="the https listeners' certificate (PEM)")
    ap.add_argument("--tls-key", help="its private key")
    a = ap.parse_args()
    if (a.tls_port or a.tls_aws_port) and not (a.tls_cert and a.tls_key):
        ap.error("--tls-port and --tls-aws-port need --tls-cert and --tls-key")

    data = a.data
    os.makedirs(os.path.join(data, "tmp"), exist_ok=True)
    etags = []

    big = os.path.join(data, "objects", BUCKET, "big", "obj")
    os.makedirs(os.path.dirname(big), exist_ok=True)
    md5 = hashlib.md5()
    with open(big, "wb") as f:
        for _ in range(a.big_mb):
            chunk = os.urandom(1 << 20)
            md5.update(chunk)
            f.write(chunk)
    etags.append(("/%s/big/obj" % BUCKET, md5.hexdigest()))
    # the same bytes without an ETag: s3_fdw then has no MD5 to check
    os.link(big, big + "-noetag")

    tiny = objects(data, "tiny/k", a.tiny, 1024, etags)
    small = objects(data, "small/s", a.small, 4096, etags)

    csv_rows = 0
    csv_path = os.path.join(data, "objects", BUCKET, "import", "orders.csv")
    if a.csv_mb > 0:
        os.makedirs(os.path.dirname(csv_path), exist_ok=True)
        csv_rows, csv_md5 = write_csv(csv_path, a.csv_mb << 20)
        etags.append(("/%s/import/orders.csv" % BUCKET, csv_md5))

    list_entries = [("list/k%06d" % i, 1024 + i % 4096, hashlib.md5(b"%d" % i).hexdigest())
                    for i in range(a.list_keys)]
    list_npages = list_pages(data, "list/", list_entries)
    small_npages = list_pages(data, "small/", small)

    with open(os.path.join(data, "etags.map"), "w") as f:
        if a.nginx_etag == "md5":
            for uri, m in etags:
                f.write('%s "\\"%s\\"";\n' % (uri, m))

    md5_etag = a.nginx_etag == "md5"
    tls = TLS.format(cert=a.tls_cert, key=a.tls_key) if a.tls_cert else ""
    s3_like = dict(data=data, etag="off" if md5_etag else "on",
                   add_etag="add_header ETag $s3_etag;" if md5_etag else "")
    nginx_etags = dict(data=data, etag="on", add_etag="")
    servers = SERVER.format(port=a.port, ssl="", tls="", **s3_like)
    if a.aws_port:
        servers += SERVER.format(port=a.aws_port, ssl="", tls="", **nginx_etags)
    if a.tls_port:
        servers += SERVER.format(port=a.tls_port, ssl=" ssl", tls=tls, **s3_like)
    if a.tls_aws_port:
        servers += SERVER.format(port=a.tls_aws_port, ssl=" ssl", tls=tls, **nginx_etags)
    conf = NGINX_CONF.format(work=a.work, data=data, servers=servers)
    write(os.path.join(a.work, "nginx.conf"), conf, "w")

    manifest = {
        "bucket": BUCKET,
        "big_key": "big/obj", "big_noetag_key": "big/obj-noetag", "big_path": big, "big_bytes": a.big_mb << 20,
        "tiny_keys": [k for k, _, _ in tiny], "tiny_bytes": 1024,
        "small_prefix": "small/", "small_keys": [k for k, _, _ in small],
        "small_bytes": 4096, "small_pages": small_npages,
        "list_prefix": "list/", "list_keys": a.list_keys, "list_pages": list_npages,
        "etag_mode": a.nginx_etag,
        "csv_key": "import/orders.csv" if csv_rows else None, "csv_path": csv_path if csv_rows else None,
        "csv_bytes": os.path.getsize(csv_path) if csv_rows else 0, "csv_rows": csv_rows,
        "csv_columns": CSV_COLUMNS,
    }
    write(os.path.join(data, "manifest.json"), json.dumps(manifest), "w")
    os.chmod(data, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main())
