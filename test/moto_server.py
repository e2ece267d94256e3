#!/usr/bin/env python3
"""Start moto_server (moto's own server, unchanged but for one fix below) on
127.0.0.1.  Usage: moto_server.py PORT [moto_server options, e.g. -c CERT -k KEY]

The fix: moto checks an S3 request's SigV4 signature against a canonical URI
rebuilt from werkzeug's re-quoted URL instead of the path the client sent,
so every key with a character that needs a %XX escape other than a space
(+ = & % ! * ' ( ) , ; : @ $, any non-ASCII character) fails the check even
for boto3 and the AWS CLI.  S3 itself signs the request path as sent; this
hands moto's check the raw request URI, so those keys are verified too.
The signature is still computed from the secret key and compared: a wrong
key or a wrong signature is refused as before.

A second fix: without the optional crc32c module, moto computes a CRC32
where a CRC32C is asked for (the composite checksum of a multipart upload
declared with x-amz-checksum-algorithm CRC32C).  Here CRC32C is computed
in Python instead (slicing by 8, about 0.1 s a MB), as S3 computes it.

A third: asked with encoding-type=url, ListObjectsV2 echoes StartAfter as
it came, where S3 URL-encodes it as it does the keys; a start-after holding
a control character (a key such as "a\x01b", which a partitioned listing
may start after) then made a response that is not XML.  Here it is
URL-encoded, as S3 does.
"""
import base64
import struct
import sys
from urllib.parse import quote, urlsplit

from moto import server
from moto.core import authorization, responses
from moto.s3 import models as s3_models, responses as s3_responses, utils as s3_utils

_setup_class = responses.BaseResponse.setup_class
_s3_check = authorization.ActionAuthenticatorMixin._authenticate_and_authorize_s3_action


def setup_class(self, request, full_url, headers, use_raw_body=False):
    _setup_class(self, request, full_url, headers, use_raw_body)
    self._raw_request_uri = getattr(request, "environ", {}).get("RAW_URI")


def s3_check(self, bucket_name=None, key_name=None):
    raw = getattr(self, "_raw_request_uri", None)
    if not raw:
        return _s3_check(self, bucket_name, key_name)
    parts = urlsplit(self.uri)
    saved, self.uri = self.uri, f"{parts.scheme}://{parts.netloc}{raw}"
    try:
        return _s3_check(self, bucket_name, key_name)
    finally:
        self.uri = saved


def _crc32c_tables():
    t0 = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t0.append(c)
    tables = [t0]
    for _ in range(7):
        prev = tables[-1]
        tables.append([(prev[i] >> 8) ^ t0[prev[i] & 0xFF] for i in range(256)])
    return tables


CRC32C_TABLES = _crc32c_tables()


def crc32c(data):
    """CRC-32C (Castagnoli) of bytes, eight at a time."""
    t0, t1, t2, t3, t4, t5, t6, t7 = CRC32C_TABLES
    crc = 0xFFFFFFFF
    n = len(data) // 8 * 8
    for a, b in struct.iter_unpack("<II", memoryview(data)[:n]):
        a ^= crc
        crc = (t7[a & 0xFF] ^ t6[(a >> 8) & 0xFF] ^ t5[(a >> 16) & 0xFF] ^ t4[a >> 24] ^
               t3[b & 0xFF] ^ t2[(b >> 8) & 0xFF] ^ t1[(b >> 16) & 0xFF] ^ t0[b >> 24])
    for x in data[n:]:
        crc = t0[(crc ^ x) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


_compute_checksum = s3_utils.compute_checksum


def compute_checksum(body, algorithm, encode_base64=True):
    if algorithm != "CRC32C":
        return _compute_checksum(body, algorithm, encode_base64)
    raw = crc32c(bytes(body)).to_bytes(4, "big")
    return base64.b64encode(raw) if encode_base64 else raw


try:
    import crc32c as _crc32c_module  # noqa: F401  (moto uses it when present)
except ImportError:
    for module in (s3_utils, s3_models, s3_responses):
        module.compute_checksum = compute_checksum

_list_objects_v2 = s3_responses.S3Response.list_objects_v2


def list_objects_v2(self):
    if self.querystring.get("encoding-type", [None])[0] != "url":
        return _list_objects_v2(self)
    serialized = self.serialized

    def encoded(action_result):
        result = action_result.result
        if result.get("StartAfter"):
            result["StartAfter"] = quote(result["StartAfter"], safe="/")
        return serialized(action_result)

    self.serialized = encoded
    try:
        return _list_objects_v2(self)
    finally:
        del self.serialized


s3_responses.S3Response.list_objects_v2 = list_objects_v2
responses.BaseResponse.setup_class = setup_class
authorization.ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = s3_check

if __name__ == "__main__":
    server.main(["-H", "127.0.0.1", "-p", sys.argv[1]] + sys.argv[2:])
