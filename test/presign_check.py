#!/usr/bin/env python3
"""Check a presigned URL made by s3_fdw against botocore, the signer inside
boto3 and the AWS CLI: botocore presigns the same request at the same
instant with the same keys, and the two URLs must be identical.

moto never checks presigned signatures, so this is what proves them.
Usage: presign_check.py URL METHOD [CONTENT-TYPE]
  keys from $S3FDW_AK / $S3FDW_SK, session token from $S3FDW_TOKEN if set
"""
import datetime
import os
import sys
from unittest import mock
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    url, method = sys.argv[1], sys.argv[2]
    content_type = sys.argv[3] if len(sys.argv) > 3 else None
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    scope = params["X-Amz-Credential"].split("/")
    region, expires = scope[2], int(params["X-Amz-Expires"])
    when = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    own = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
           if not k.startswith("X-Amz-")]
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path,
                       "&".join(f"{k}={v}" for k, v in own), ""))

    creds = Credentials(os.environ["S3FDW_AK"], os.environ["S3FDW_SK"],
                        os.environ.get("S3FDW_TOKEN") or None)
    headers = {"Content-Type": content_type} if content_type else {}
    request = AWSRequest(method=method, url=bare, headers=headers)
    auth = botocore.auth.S3SigV4QueryAuth(creds, "s3", region, expires=expires)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
        auth.add_auth(request)

    age = (datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - when).total_seconds()
    if request.url == url:
        print(f"identical to botocore's URL; signed headers {params['X-Amz-SignedHeaders']}; "
              f"expires in {expires} s; signed {'now' if -5 < age < 60 else 'at another time'}")
    else:
        print(f"DIFFERENT from botocore's URL:\n  ours     {url}\n  botocore {request.url}")


if __name__ == "__main__":
    main()
