#!/usr/bin/env python3
"""Prepare a fresh moto server for the test suite or the demo.

While moto's signature checks are still off, create the IAM users whose
access keys the tests sign with, then print them as shell assignments:
  S3FDW_AK / S3FDW_SK          a user allowed everything
  S3FDW_RO_AK / S3FDW_RO_SK    a user allowed only to list buckets and read
The caller switches signature checks on afterwards (moto-api/reset-auth).

Usage: s3setup.py ENDPOINT
"""
import json
import sys

import boto3


def make_user(iam, name, actions):
    iam.create_user(UserName=name)
    iam.put_user_policy(
        UserName=name,
        PolicyName=name + "-policy",
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
        }),
    )
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def main():
    endpoint = sys.argv[1]
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    ak, sk = make_user(iam, "s3fdw", "*")
    ro_ak, ro_sk = make_user(iam, "s3fdw-reader", ["s3:ListAllMyBuckets", "s3:GetObject"])
    print(f"S3FDW_AK={ak}\nS3FDW_SK={sk}\nS3FDW_RO_AK={ro_ak}\nS3FDW_RO_SK={ro_sk}")


if __name__ == "__main__":
    main()
