#!/usr/bin/env python3
"""boto3 against the local IAM simulator endpoint (run by .ci/run with a pinned boto3).

Usage: boto3_check.py PATH/TO/xtask

Starts `xtask serve-simulator --port 0` with faults (every 4th IAM call throttled, one
result per page), then checks through boto3 — AWS's Python SDK, which signs with SigV4,
retries throttling and follows IsTruncated/Marker in its paginator — that
sts.get_caller_identity names the endpoint's account, that simulate_custom_policy's pages
hold the decisions written below, and that get_context_keys_for_custom_policy lists the
keys. Exits non-zero on the first failed check. The expected decisions are written by
hand from the policy, not computed by the endpoint.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

ACCOUNT = "210987654321"
POLICY = json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*",
         "Resource": "arn:aws:s3:::reports/secret/*"},
        {"Sid": "TaggedOnly", "Effect": "Allow", "Action": "s3:PutObject",
         "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}},
    ],
})
# (action, resource) -> decision, from the statements above.
EXPECTED = {
    ("s3:GetObject", "arn:aws:s3:::reports/q3.csv"): "allowed",
    ("s3:GetObject", "arn:aws:s3:::reports/secret/k"): "explicitDeny",
    ("s3:PutObject", "arn:aws:s3:::reports/q3.csv"): "implicitDeny",
    ("s3:PutObject", "arn:aws:s3:::reports/secret/k"): "explicitDeny",
    ("s3:DeleteObject", "arn:aws:s3:::reports/q3.csv"): "implicitDeny",
    ("s3:DeleteObject", "arn:aws:s3:::reports/secret/k"): "explicitDeny",
}


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def main():
    xtask = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        ready = os.path.join(tmp, "url")
        server = subprocess.Popen(
            [xtask, "serve-simulator", "--port", "0", "--account", ACCOUNT,
             "--throttle-every", "4", "--page-size", "1", "--ready-file", ready],
            stdout=subprocess.DEVNULL)
        try:
            for _ in range(300):
                if os.path.exists(ready) and open(ready).read().endswith("\n"):
                    break
                if server.poll() is not None:
                    sys.exit("the endpoint exited before listening")
                time.sleep(0.1)
            run(open(ready).read().strip())
        finally:
            server.terminate()
            server.wait()


def run(url):
    session = boto3.Session(
        aws_access_key_id="AKIAIAMCRLOCALTEST00",
        aws_secret_access_key="iamcr-local-simulator-test-secret",
        region_name="us-east-1")
    cfg = Config(retries={"max_attempts": 5, "mode": "standard"})
    sts = session.client("sts", endpoint_url=url, config=cfg)
    iam = session.client("iam", endpoint_url=url, config=cfg)

    check(sts.get_caller_identity()["Account"] == ACCOUNT, "get_caller_identity names the account")

    pages = list(iam.get_paginator("simulate_custom_policy").paginate(
        PolicyInputList=[POLICY],
        ActionNames=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::reports/q3.csv", "arn:aws:s3:::reports/secret/k"],
        CallerArn=f"arn:aws:iam::{ACCOUNT}:user/alice"))
    check(len(pages) == 3, f"three pages of one result each (got {len(pages)})")
    check(all(p["IsTruncated"] == (i < 2) for i, p in enumerate(pages)), "IsTruncated on all but the last page")
    got = {}
    for p in pages:
        for r in p["EvaluationResults"]:
            for s in r["ResourceSpecificResults"]:
                got[(r["EvalActionName"], s["EvalResourceName"])] = s["EvalResourceDecision"]
    check(got == EXPECTED, f"per-resource decisions are the expected ones: {got}")
    put = pages[1]["EvaluationResults"][0]
    check(put["EvalDecision"] == "explicitDeny", "the top-level decision is the most restrictive")
    q3 = put["ResourceSpecificResults"][0]
    check(q3["MissingContextValues"] == ["aws:PrincipalTag/team"], "the missing tag key is reported")
    deny = pages[0]["EvaluationResults"][0]["ResourceSpecificResults"][1]["MatchedStatements"]
    check([m["SourcePolicyId"] for m in deny] == ["PolicyInputList.1"], "the deny statement is matched")

    # The fourth IAM call: the endpoint throttles it, boto3 retries it.
    keys = iam.get_context_keys_for_custom_policy(PolicyInputList=[POLICY])["ContextKeyNames"]
    check(keys == ["aws:PrincipalTag/team"], f"context keys listed: {keys}")

    try:
        iam.simulate_custom_policy(PolicyInputList=[POLICY], ActionNames=["s3:*"])
        check(False, "a wildcard action is refused")
    except iam.exceptions.InvalidInputException as e:
        check("wildcard" in str(e), "a wildcard action is refused with InvalidInput")


if __name__ == "__main__":
    main()
