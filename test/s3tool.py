#!/usr/bin/env python3
"""What the tests ask of boto3 and the AWS CLI, the tools s3_fdw must agree
with.  Talks to $S3FDW_ENDPOINT with the keys $S3FDW_AK/$S3FDW_SK.

  s3tool.py put BUCKET KEY TEXT        boto3 put_object of UTF-8 text
  s3tool.py put-pattern BUCKET KEY N   boto3 put_object of N bytes 0..255 repeating
  s3tool.py cli-put BUCKET KEY TEXT    `aws s3 cp - s3://BUCKET/KEY` of the text
  s3tool.py sha256 BUCKET KEY          boto3 get_object, prints size and SHA-256
  s3tool.py cli-sha256 BUCKET KEY      `aws s3 cp s3://BUCKET/KEY -`, size and SHA-256
  s3tool.py head BUCKET KEY            content type and ETag as boto3 sees them
  s3tool.py exists BUCKET KEY          "exists" or "absent"
  s3tool.py location BUCKET            the bucket's LocationConstraint
  s3tool.py populate BUCKET            create BUCKET with the listing tests' 2,501 keys
  s3tool.py keys                       the partitioned-listing tests' keys (partition_keys()), one a
                                       line, as the hex of their UTF-8 bytes ($S3TOOL_KEYS=rgw: those
                                       Ceph RGW can list)
  s3tool.py key-order [PREFIX]         how many of them start with PREFIX and the MD5 of their hex
                                       forms joined with commas, in the order of their UTF-8 bytes
  s3tool.py list BUCKET [PREFIX [START_AFTER [MAX_KEYS [TOKEN]]]]  what boto3 lists
  s3tool.py fetch URL [METHOD [FILE [CONTENT-TYPE]]]  plain HTTP, prints status and body size
  s3tool.py put-meta BUCKET KEY TEXT NAME=VALUE...   boto3 put_object with user metadata
  s3tool.py head-meta BUCKET KEY       boto3's head_object: content type, encoding, cache control, metadata
  s3tool.py range BUCKET KEY RANGE     boto3 get_object with Range (e.g. bytes=2-4): the bytes, as text
  s3tool.py put-many BUCKET PREFIX N  boto3 put_object of PREFIX0..PREFIX(N-1), 16 at a time
  s3tool.py count BUCKET PREFIX        how many keys boto3 lists under PREFIX
  s3tool.py folders BUCKET PREFIX DELIMITER  boto3's CommonPrefixes and keys with Delimiter
  s3tool.py uploads BUCKET             how many multipart uploads are in progress, and their parts
  s3tool.py checksum BUCKET KEY        the CRC-32C S3 stored with the object, against the body's own
  s3tool.py put-file BUCKET KEY FILE [gzip|gzip-name|gzip2|gzip-cut]  boto3 put_object of a file's bytes:
                                       as they are; gzip-compressed with Content-Encoding gzip;
                                       gzip-compressed without it; two gzip members, concatenated;
                                       gzip without its last 20 bytes
  s3tool.py compare BUCKET KEY FILE [gunzip]  boto3 get_object against a file, byte for byte
                                       (gunzip: the object decompressed first)
  s3tool.py object BUCKET KEY          boto3's head_object: size, content type and encoding, parts
                                       (from the ETag)
  s3tool.py last-modified BUCKET KEY   the object's LastModified, as an ISO 8601 time
  s3tool.py buckets                    the buckets boto3 lists, with their LocationConstraint
  s3tool.py contents BUCKET PREFIX     every object under PREFIX read with boto3 (16 at a time): how
                                       many, their bytes, the MD5 of the bodies in key order
  s3tool.py etag BUCKET KEY            the ETag as boto3's head_object and the AWS CLI's s3api see it
  s3tool.py put-checksum BUCKET KEY ALG SIZE [PART_SIZE]  boto3 upload of SIZE pattern bytes with
                                       checksum algorithm ALG (CRC32C, CRC32, SHA256, SHA1): one
                                       put_object, or a multipart upload in parts of PART_SIZE
  s3tool.py stored-checksum BUCKET KEY  boto3's get_object with ChecksumMode ENABLED: the checksum
                                       S3 stored, checked here against the body (a composite one
                                       part by part, the sizes from head_object with PartNumber)
  s3tool.py tags BUCKET KEY [VERSION]  boto3's get_object_tagging: the tags as sorted JSON (or
                                       "no TagSet"), and the TagCount of get_object ("-" when absent)
  s3tool.py put-tags BUCKET KEY NAME=VALUE...  boto3's put_object_tagging
  s3tool.py versioning BUCKET          boto3's put_bucket_versioning: Enabled
  s3tool.py put-class BUCKET KEY TEXT CLASS  boto3 put_object of UTF-8 text with a StorageClass
  s3tool.py storage-class BUCKET KEY...  each object's StorageClass as boto3's head_object and
                                       list_objects_v2 see it (STANDARD when S3 says none)
  s3tool.py restore-status BUCKET KEY  boto3's head_object: StorageClass, Restore, ArchiveStatus
  s3tool.py get BUCKET KEY             boto3 get_object: the body as text, or the error code
  s3tool.py versioning BUCKET          the bucket's versioning Status as boto3 reads it
  s3tool.py versions BUCKET [PREFIX]   every version and delete marker boto3 lists (all pages), one
                                       line each, "KEY VERSION_ID latest|old version|marker", sorted
  s3tool.py version-counts BUCKET [PREFIX]  per key: how many versions and delete markers boto3
                                       lists, and whether the latest is a delete marker
  s3tool.py get-version BUCKET KEY VERSION_ID  boto3 get_object of one version: its bytes, as text
  s3tool.py put-versions BUCKET KEY N  boto3 put_object of KEY N times (N versions), one by one
  s3tool.py CMD ARGS + CMD ARGS ...    several commands in one run (a lone + between them)
  ($S3TOOL_ENDPOINT and $S3TOOL_CA_FILE, when set, name another endpoint and its CA;
   $S3TOOL_AK and $S3TOOL_SK other keys, as for Ceph RGW)
"""
import hashlib
import os
import subprocess
import sys
import urllib.request

import boto3
import botocore


def endpoint():
    return os.environ.get("S3TOOL_ENDPOINT") or os.environ["S3FDW_ENDPOINT"]


def keys():
    return (os.environ.get("S3TOOL_AK") or os.environ["S3FDW_AK"],
            os.environ.get("S3TOOL_SK") or os.environ["S3FDW_SK"])


def client():
    """One boto3 client for all the commands of a run."""
    global CLIENT
    if CLIENT is None:
        CLIENT = new_client()
    return CLIENT


def new_client():
    ak, sk = keys()
    return boto3.client("s3", endpoint_url=endpoint(),
                        verify=os.environ.get("S3TOOL_CA_FILE") or None,
                        region_name="us-east-1",
                        aws_access_key_id=ak, aws_secret_access_key=sk,
                        config=botocore.config.Config(s3={"addressing_style": "path"},
                                                      max_pool_connections=16))


def digest(data):
    return f"{len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()}"


def cli(args, data=None, service="s3"):
    ak, sk = keys()
    env = dict(os.environ, AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID=ak,
               AWS_SECRET_ACCESS_KEY=sk)
    ca = ["--ca-bundle", os.environ["S3TOOL_CA_FILE"]] if os.environ.get("S3TOOL_CA_FILE") else []
    return subprocess.run(["aws", "--endpoint-url", endpoint()] + ca + [service] + args,
                          input=data, capture_output=True, check=True, env=env).stdout


def listing_keys():
    """The keys of the listing tests: nested prefixes, unicode, spaces, +."""
    keys = [f"photos/{2024 + i % 3}/img {i:04d}.jpg" for i in range(2000)]
    keys += [f"docs/café/report-{i:03d}.txt" for i in range(300)]
    keys += [f"日本/ファイル {i}.txt" for i in range(100)]
    keys += [f"a+b/{i}" for i in range(100)]
    return keys + ["top.txt"]


def populate(bucket):
    from concurrent.futures import ThreadPoolExecutor
    c = client()
    c.create_bucket(Bucket=bucket)
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: c.put_object(Bucket=bucket, Key=k, Body=k.encode()), listing_keys()))


def partition_keys(rgw=False):
    """The keys of listing_parallel.sql and rgw_listing.sql: about 2,900 keys
    in one listing, in dense clusters (aaa/..., zzz/...) with wide empty
    ranges of the key space between them, and among them, under nine stems,
    the edge cases of a partitioned listing: keys that are prefixes of
    others (a, a/, a/b, ab), bytes below "/" (space, ! + - . and control
    characters), multibyte UTF-8 of 2, 3 and 4 bytes (the first and last
    code points of each length, U+FF66 that sorts before U+10000 in UTF-8
    but after it in UTF-16), keys that differ only after a multibyte
    character.  rgw: without the keys holding 0x01 or 0x1f, which Ceph RGW
    16.2 writes into its XML as character references that XML 1.0 forbids
    (&#x01;, as in the StartAfter it echoes, where boto3 fails too), while
    its continuation token is the page's last key."""
    edge = ["a", "a/", "a/b", "a/b/", "a/b/c", "a/b!", "a/b.c", "a/ ", "a/!", "a/-", "a/.", "a/\t",
            "ab", "a b", "a!b", "a-b", "a.b", "a+b", "a\tb", "a\x01b", "a\x1fb", "a\x7fb",
            "a0", "a~", "ae", "af", "a\u00e9", "a\u00e9/x", "a\u00e91", "a\u00e92", "a\u00e9a",
            "a\u0080", "a\u07ff", "a\u0800", "a\u65e5", "a\u65e51", "a\u65e52", "a\uff66", "a\ufffd",
            "a\U00010000", "a\U0001f600", "a\U0001f6001", "a\U0001f6002", "a\U0010ffff"]
    stems = ["", "0/", "k", "nnn/", "\u00e9", "\u65e5\u672c/", "zzzz", "\U0001f600", "\U0010ffff/"]
    keys = [s + e for s in stems for e in edge]
    keys += [f"aaa/{i:04d}" for i in range(900)]
    keys += [f"aaa/sub{j}/{i:03d}" for j in range(5) for i in range(40)]
    keys += [f"zzz/{i:04d}" for i in range(1000)]
    keys += [f"\u00e9/{i}" for i in range(100)]
    keys += [f"\u65e5\u672c/\u30d5\u30a1\u30a4\u30eb {i}" for i in range(200)]
    keys += [f"\U0001f600/{i}" for i in range(100)]
    assert len(set(keys)) == len(keys)
    if rgw:
        keys = [k for k in keys if "\x01" not in k and "\x1f" not in k]
    return keys


def key_order(prefix=""):
    keys = sorted((k.encode() for k in partition_keys(os.environ.get("S3TOOL_KEYS") == "rgw")
                   if k.startswith(prefix)))
    print(f"python: {len(keys)} keys, md5 {hashlib.md5(','.join(k.hex() for k in keys).encode()).hexdigest()}")


def list_keys(bucket, prefix="", start_after="", max_keys="", token=""):
    """ListObjectsV2 as boto3 does it: count, first and last key, truncation."""
    c = client()
    kw = {"Bucket": bucket, "Prefix": prefix, "StartAfter": start_after}
    if token:
        kw["ContinuationToken"] = token
    if max_keys:
        r = c.list_objects_v2(MaxKeys=int(max_keys), **kw)
        keys = [o["Key"] for o in r.get("Contents", [])]
        truncated = r["IsTruncated"]
    else:
        keys = [o["Key"] for p in c.get_paginator("list_objects_v2").paginate(**kw)
                for o in p.get("Contents", [])]
        truncated = False
    print(f"boto3: {len(keys)} keys, first {keys[0] if keys else None!r}, "
          f"last {keys[-1] if keys else None!r}, truncated {truncated}")


def list_versions(bucket, prefix=""):
    """Every version and delete marker under PREFIX, as boto3 pages through them."""
    out = []
    for p in client().get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        out += [(v["Key"], v["VersionId"], v["IsLatest"], False) for v in p.get("Versions", [])]
        out += [(m["Key"], m["VersionId"], m["IsLatest"], True) for m in p.get("DeleteMarkers", [])]
    return out


CRC32C_TABLE = []


def crc32c(data):
    """CRC-32C (Castagnoli), byte by byte: slow, independent of s3_fdw's."""
    if not CRC32C_TABLE:
        for i in range(256):
            c = i
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            CRC32C_TABLE.append(c)
    table = CRC32C_TABLE
    crc = 0xFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def body_checksum(alg, data):
    """The raw checksum of bytes, computed here (zlib, hashlib, crc32c())."""
    import zlib
    if alg == "CRC32C":
        return crc32c(data).to_bytes(4, "big")
    if alg == "CRC32":
        return zlib.crc32(data).to_bytes(4, "big")
    return hashlib.new(alg.lower(), data).digest()


def b64(raw):
    import base64
    return base64.b64encode(raw).decode()


def pattern(n):
    return bytes((i * 7) % 251 for i in range(n))


def put_checksum(bucket, key, alg, size, part_size=None):
    c = client()
    data = pattern(int(size))
    if part_size is None:
        kw = {f"Checksum{alg}": b64(body_checksum(alg, data))} if alg == "CRC32C" else {}
        c.put_object(Bucket=bucket, Key=key, Body=data, ChecksumAlgorithm=alg, **kw)
        print(f"boto3 put {len(data)} bytes with {alg} in one request")
        return
    ps = int(part_size)
    up = c.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm=alg)
    parts = []
    for n, off in enumerate(range(0, len(data), ps), 1):
        chunk = data[off:off + ps]
        kw = {f"Checksum{alg}": b64(body_checksum(alg, chunk))} if alg == "CRC32C" else {}
        r = c.upload_part(Bucket=bucket, Key=key, UploadId=up["UploadId"], PartNumber=n, Body=chunk,
                          ChecksumAlgorithm=alg, **kw)
        parts.append({"PartNumber": n, "ETag": r["ETag"], f"Checksum{alg}": r[f"Checksum{alg}"]})
    c.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=up["UploadId"],
                                MultipartUpload={"Parts": parts})
    print(f"boto3 put {len(data)} bytes with {alg} in {len(parts)} parts")


def stored_checksum(bucket, key):
    c = client()
    r = c.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    body = r["Body"].read()
    found = [(a, r[f"Checksum{a}"]) for a in ("CRC32C", "CRC32", "SHA256", "SHA1", "CRC64NVME")
             if r.get(f"Checksum{a}")]
    if not found:
        print("boto3: no checksum stored")
        return
    alg, value = found[0]
    if alg == "CRC64NVME":
        print(f"boto3: {alg} {value}, not computed here")
        return
    if "-" in value:
        n = int(value.split("-")[1])
        sizes = [c.head_object(Bucket=bucket, Key=key, PartNumber=i)["ContentLength"]
                 for i in range(1, n + 1)]
        raws, off = b"", 0
        for size in sizes:
            raws += body_checksum(alg, body[off:off + size])
            off += size
        mine = f"{b64(body_checksum(alg, raws))}-{n}"
        how = f"{n} parts of {sizes}"
    else:
        mine = b64(body_checksum(alg, body))
        how = "the whole body"
    print(f"boto3: {alg} {value} ({r.get('ChecksumType', 'no type')}), "
          f"{'matches' if mine == value else 'differs from ' + mine}, computed here over {how}")


def uploads(bucket):
    c = client()
    ups = c.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    parts = sum(len(c.list_parts(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"]).get("Parts", []))
                for u in ups)
    print(f"{len(ups)} multipart uploads in progress, {parts} parts")


def checksum(bucket, key):
    import base64
    c = client()
    h = c.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    body = c.get_object(Bucket=bucket, Key=key)["Body"].read()
    mine = base64.b64encode(crc32c(body).to_bytes(4, "big")).decode()
    stored = h.get("ChecksumCRC32C")
    print(f"stored CRC-32C {stored}, {'matches' if stored == mine else 'differs from ' + mine} the body's")


def put_file(bucket, key, path, how=""):
    import gzip
    data = open(path, "rb").read()
    kw = {}
    if how == "gzip":
        data = gzip.compress(data)
        kw["ContentEncoding"] = "gzip"
    elif how == "gzip-name":
        data = gzip.compress(data)
    elif how == "gzip-cut":
        data = gzip.compress(data)[:-20]
    elif how == "gzip2":
        half = len(data) // 2
        data = gzip.compress(data[:half]) + gzip.compress(data[half:])
    client().put_object(Bucket=bucket, Key=key, Body=data, **kw)
    print(f"boto3 put {len(data)} bytes")


def compare(bucket, key, path, how=""):
    import gzip
    body = client().get_object(Bucket=bucket, Key=key)["Body"].read()
    if how == "gunzip":
        body = gzip.decompress(body)
    local = open(path, "rb").read()
    if body == local:
        print(f"same bytes ({len(local)} bytes)")
    else:
        print(f"different: the object has {len(body)} bytes sha256 {hashlib.sha256(body).hexdigest()}, "
              f"the file {len(local)} bytes sha256 {hashlib.sha256(local).hexdigest()}")


def main():
    """Each command of the command line, one after the other, separated by a lone +."""
    argv, start = sys.argv[1:] + ["+"], 0
    for i, a in enumerate(argv):
        if a == "+":
            run(argv[start], argv[start + 1:i])
            sys.stdout.flush()
            start = i + 1


CLIENT = None


def run(cmd, args):
    if cmd == "put":
        try:
            client().put_object(Bucket=args[0], Key=args[1], Body=args[2].encode())
        except botocore.exceptions.ClientError as e:
            print(f"boto3 put_object failed: {e.response['Error']['Code']}")
    elif cmd == "put-pattern":
        client().put_object(Bucket=args[0], Key=args[1],
                            Body=bytes(i % 256 for i in range(int(args[2]))))
    elif cmd == "cli-put":
        cli(["cp", "-", f"s3://{args[0]}/{args[1]}"], args[2].encode())
    elif cmd == "sha256":
        print(digest(client().get_object(Bucket=args[0], Key=args[1])["Body"].read()))
    elif cmd == "cli-sha256":
        print(digest(cli(["cp", f"s3://{args[0]}/{args[1]}", "-"])))
    elif cmd == "head":
        h = client().head_object(Bucket=args[0], Key=args[1])
        print(f"content type {h['ContentType']}, etag {h['ETag'].strip(chr(34))}")
    elif cmd == "populate":
        populate(args[0])
    elif cmd == "keys":
        print("\n".join(k.encode().hex() for k in partition_keys(os.environ.get("S3TOOL_KEYS") == "rgw")))
    elif cmd == "key-order":
        key_order(*args)
    elif cmd == "list":
        list_keys(*args)
    elif cmd == "location":
        print(f"location {client().get_bucket_location(Bucket=args[0])['LocationConstraint']}")
    elif cmd == "exists":
        try:
            client().head_object(Bucket=args[0], Key=args[1])
            print("exists")
        except botocore.exceptions.ClientError:
            print("absent")
    elif cmd == "fetch":
        method = args[1] if len(args) > 1 else "GET"
        data = open(args[2], "rb").read() if len(args) > 2 else None
        # urllib would label a body form data, which moto then parses away
        headers = {"Content-Type": args[3] if len(args) > 3 else "application/octet-stream"}
        req = urllib.request.Request(args[0], data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                body = r.read()
                print(f"HTTP {r.status}, {digest(body)}")
        except urllib.error.HTTPError as e:
            print(f"HTTP {e.code}")
    elif cmd == "put-meta":
        meta = dict(a.split("=", 1) for a in args[3:])
        client().put_object(Bucket=args[0], Key=args[1], Body=args[2].encode(), Metadata=meta,
                            ContentType="text/plain", CacheControl="max-age=60", ContentEncoding="identity")
    elif cmd == "head-meta":
        h = client().head_object(Bucket=args[0], Key=args[1])
        print(f"boto3: type {h.get('ContentType')}, encoding {h.get('ContentEncoding')}, "
              f"cache {h.get('CacheControl')}, size {h['ContentLength']}, "
              f"metadata {sorted(h.get('Metadata', {}).items())}")
    elif cmd == "range":
        r = client().get_object(Bucket=args[0], Key=args[1], Range=args[2])
        print(f"boto3: {r['Body'].read().decode()!r}")
    elif cmd == "put-many":
        from concurrent.futures import ThreadPoolExecutor
        c = client()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda i: c.put_object(Bucket=args[0], Key=f"{args[1]}{i}", Body=b"x"),
                          range(int(args[2]))))
    elif cmd == "count":
        n = sum(len(p.get("Contents", [])) for p in
                client().get_paginator("list_objects_v2").paginate(Bucket=args[0], Prefix=args[1]))
        print(f"boto3: {n} keys under {args[1]}")
    elif cmd == "folders":
        prefixes, keys = [], []
        for p in client().get_paginator("list_objects_v2").paginate(Bucket=args[0], Prefix=args[1],
                                                                       Delimiter=args[2]):
            prefixes += [c["Prefix"] for c in p.get("CommonPrefixes", [])]
            keys += [o["Key"] for o in p.get("Contents", [])]
        print(f"boto3: prefixes {prefixes}, keys {keys}")
    elif cmd == "uploads":
        uploads(args[0])
    elif cmd == "checksum":
        checksum(args[0], args[1])
    elif cmd == "put-checksum":
        put_checksum(*args)
    elif cmd == "stored-checksum":
        stored_checksum(*args)
    elif cmd == "put-file":
        put_file(*args)
    elif cmd == "compare":
        compare(*args)
    elif cmd == "object":
        h = client().head_object(Bucket=args[0], Key=args[1])
        etag = h["ETag"].strip('"')
        parts = etag.split("-")[1] if "-" in etag else 1
        print(f"boto3: {h['ContentLength']} bytes, type {h.get('ContentType')}, "
              f"encoding {h.get('ContentEncoding')}, {parts} part(s)")
    elif cmd == "buckets":
        c = client()
        buckets = c.list_buckets()["Buckets"]
        print(f"boto3: {len(buckets)} buckets")
        for b in buckets:
            loc = c.get_bucket_location(Bucket=b["Name"])["LocationConstraint"]
            print(f"boto3: bucket {b['Name']}, location {loc!r}")
    elif cmd == "contents":
        from concurrent.futures import ThreadPoolExecutor
        c = client()
        keys = sorted(o["Key"] for p in c.get_paginator("list_objects_v2").paginate(Bucket=args[0], Prefix=args[1])
                      for o in p.get("Contents", []))
        with ThreadPoolExecutor(16) as pool:
            bodies = list(pool.map(lambda k: c.get_object(Bucket=args[0], Key=k)["Body"].read(), keys))
        data = b"".join(bodies)
        print(f"boto3: {len(keys)} objects, {len(data)} bytes, md5 {hashlib.md5(data).hexdigest()}")
    elif cmd == "etag":
        import json
        h = client().head_object(Bucket=args[0], Key=args[1])
        out = json.loads(cli(["head-object", "--bucket", args[0], "--key", args[1]], service="s3api"))
        print(f"boto3: etag {h['ETag'].strip(chr(34))}; AWS CLI: etag {out['ETag'].strip(chr(34))}")
    elif cmd == "tags":
        import json
        extra = {"VersionId": args[2]} if len(args) > 2 else {}
        try:
            tags = client().get_object_tagging(Bucket=args[0], Key=args[1], **extra).get("TagSet")
            count = client().get_object(Bucket=args[0], Key=args[1], **extra).get("TagCount", "-")
        except botocore.exceptions.ClientError as e:
            print(f"boto3 get_object_tagging failed: {e.response['Error']['Code']}")
            return
        if tags is None:
            print(f"boto3: no TagSet, count {count}")
            return
        print(f"boto3: tags {json.dumps(dict(sorted((t['Key'], t['Value']) for t in tags)), ensure_ascii=False)}"
              f", count {count}")
    elif cmd == "put-tags":
        tags = [dict(zip(("Key", "Value"), a.split("=", 1))) for a in args[2:]]
        client().put_object_tagging(Bucket=args[0], Key=args[1], Tagging={"TagSet": tags})
    elif cmd == "enable-versioning":
        client().put_bucket_versioning(Bucket=args[0], VersioningConfiguration={"Status": "Enabled"})
    elif cmd == "put-class":
        client().put_object(Bucket=args[0], Key=args[1], Body=args[2].encode(), StorageClass=args[3])
    elif cmd == "storage-class":
        c = client()
        for key in args[1:]:
            head = c.head_object(Bucket=args[0], Key=key).get("StorageClass", "STANDARD")
            listed = [o.get("StorageClass") for o in
                      c.list_objects_v2(Bucket=args[0], Prefix=key).get("Contents", []) if o["Key"] == key]
            print(f"boto3: {key}: head {head}, listing {listed[0] if listed else None}")
    elif cmd == "restore-status":
        h = client().head_object(Bucket=args[0], Key=args[1])
        print(f"boto3: storage class {h.get('StorageClass', 'STANDARD')}, restore {h.get('Restore')}, "
              f"archive status {h.get('ArchiveStatus')}")
    elif cmd == "get":
        try:
            print(f"boto3: {client().get_object(Bucket=args[0], Key=args[1])['Body'].read().decode()!r}")
        except botocore.exceptions.ClientError as e:
            print(f"boto3: HTTP {e.response['ResponseMetadata']['HTTPStatusCode']} {e.response['Error']['Code']}")
    elif cmd == "encryption":
        # what boto3 sees of an object's encryption (SSE-C: the key in base64 as a third argument)
        import base64
        kw = {}
        if len(args) > 2:
            kw = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64decode(args[2])}
        h = client().head_object(Bucket=args[0], Key=args[1], **kw)
        print(f"boto3: sse {h.get('ServerSideEncryption')}, kms key {h.get('SSEKMSKeyId')}, "
              f"bucket key {h.get('BucketKeyEnabled')}, sse-c {h.get('SSECustomerAlgorithm')}")
    elif cmd == "last-modified":
        print(client().head_object(Bucket=args[0], Key=args[1])["LastModified"].isoformat())
    elif cmd == "versioning":
        print(f"boto3: versioning {client().get_bucket_versioning(Bucket=args[0]).get('Status')}")
    elif cmd == "versions":
        lines = sorted(f"{k} {v} {'latest' if latest else 'old'} {'marker' if dm else 'version'}"
                       for k, v, latest, dm in list_versions(*args))
        print("\n".join(lines))
    elif cmd == "version-counts":
        keys = {}
        for k, _, latest, dm in list_versions(*args):
            n = keys.setdefault(k, [0, 0, False])
            n[1 if dm else 0] += 1
            n[2] |= latest and dm
        for k in sorted(keys):
            n = keys[k]
            print(f"boto3: {k}: {n[0]} versions, {n[1]} delete markers"
                  + (", the latest a delete marker" if n[2] else ""))
    elif cmd == "put-versions":
        # one after another: moto loses versions of a key written at once
        c = client()
        for i in range(int(args[2])):
            c.put_object(Bucket=args[0], Key=args[1], Body=str(i).encode())
    elif cmd == "get-version":
        body = client().get_object(Bucket=args[0], Key=args[1], VersionId=args[2])["Body"].read()
        print(f"boto3: {body.decode()!r}")
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
