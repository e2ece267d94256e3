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
"""
import sys
from urllib.parse import urlsplit

from moto import server
from moto.core import authorization, responses

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


responses.BaseResponse.setup_class = setup_class
authorization.ActionAuthenticatorMixin._authenticate_and_authorize_s3_action = s3_check

if __name__ == "__main__":
    server.main(["-H", "127.0.0.1", "-p", sys.argv[1]] + sys.argv[2:])
