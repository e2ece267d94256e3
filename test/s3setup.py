#!/usr/bin/env python3
"""Prepare a fresh moto server for the test suite or the demo.

While moto's signature checks are still off, create the IAM users whose
access keys the tests sign with, then print them as shell assignments:
  S3FDW_AK / S3FDW_SK          a user allowed everything
  S3FDW_RO_AK / S3FDW_RO_SK    a user allowed only to list buckets and read
  S3FDW_ASSUMER_AK / _SK       a user allowed only sts:AssumeRole
  S3FDW_ROLE_ARN               a role allowed everything on S3, which only
                               the assumer may assume
  S3FDW_TMP_AK / _SK / _TOKEN  the role's temporary credentials (one hour),
                               which the fake credential endpoints hand out
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
    as_ak, as_sk = make_user(iam, "s3fdw-assumer", "sts:AssumeRole")
    assumer_arn = iam.get_user(UserName="s3fdw-assumer")["User"]["Arn"]
    role_arn = iam.create_role(
        RoleName="s3fdw-role",
        AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": assumer_arn},
                           "Action": "sts:AssumeRole"}],
        }))["Role"]["Arn"]
    iam.put_role_policy(RoleName="s3fdw-role", PolicyName="s3-all", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=as_ak, aws_secret_access_key=as_sk)
    tmp = sts.assume_role(RoleArn=role_arn, RoleSessionName="fake-endpoints",
                          DurationSeconds=3600)["Credentials"]
    print(f"S3FDW_AK={ak}\nS3FDW_SK={sk}\nS3FDW_RO_AK={ro_ak}\nS3FDW_RO_SK={ro_sk}")
    print(f"S3FDW_ASSUMER_AK={as_ak}\nS3FDW_ASSUMER_SK={as_sk}\nS3FDW_ROLE_ARN={role_arn}")
    print(f"S3FDW_TMP_AK={tmp['AccessKeyId']}\nS3FDW_TMP_SK={tmp['SecretAccessKey']}")
    print(f"S3FDW_TMP_TOKEN={tmp['SessionToken']}")


if __name__ == "__main__":
    main()
