#!/usr/bin/env python3
"""What the tests ask of boto3 and the AWS CLI, the tools s3_fdw must agree
with.  Talks to $S3FDW_ENDPOINT with $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY.

  s3tool.py put BUCKET KEY TEXT        boto3 put_object of UTF-8 text
  s3tool.py put-pattern BUCKET KEY N   boto3 put_object of N bytes 0..255 repeating
  s3tool.py cli-put BUCKET KEY TEXT    `aws s3 cp - s3://BUCKET/KEY` of the text
  s3tool.py sha256 BUCKET KEY          boto3 get_object, prints size and SHA-256
  s3tool.py cli-sha256 BUCKET KEY      `aws s3 cp s3://BUCKET/KEY -`, size and SHA-256
  s3tool.py head BUCKET KEY            content type and ETag as boto3 sees them
  s3tool.py exists BUCKET KEY          "exists" or "absent"
  s3tool.py location BUCKET            the bucket's LocationConstraint
  s3tool.py fetch URL [METHOD [FILE [CONTENT-TYPE]]]  plain HTTP, prints status and body size
"""
import hashlib
import os
import subprocess
import sys
import urllib.request

import boto3
import botocore


def client():
    return boto3.client("s3", endpoint_url=os.environ["S3FDW_ENDPOINT"],
                        region_name="us-east-1",
                        config=botocore.config.Config(s3={"addressing_style": "path"}))


def digest(data):
    return f"{len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()}"


def cli(args, data=None):
    env = dict(os.environ, AWS_DEFAULT_REGION="us-east-1")
    return subprocess.run(["aws", "--endpoint-url", os.environ["S3FDW_ENDPOINT"], "s3"] + args,
                          input=data, capture_output=True, check=True, env=env).stdout


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
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
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
