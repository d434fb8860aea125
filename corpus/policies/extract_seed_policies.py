#!/usr/bin/env python3
"""Extract the JSON policies printed in the seed documents, byte for byte.

This script was run ONCE (with --write) to create:
  - seeds/<seed-short>-<NN>-<slug>.json   exact bytes of each printed policy / fragment
  - managed/<Name>.json                   verbatim copies of the AWS managed policies
  - index.json                            generated from SPEC below (do not hand-edit;
                                          change SPEC and re-run --write instead)

Re-run / verify (from the repository root):

    python3 corpus/policies/extract_seed_policies.py            # --check (default): verify only
    python3 corpus/policies/extract_seed_policies.py --write    # regenerate everything

Options --seeds DIR and --managed DIR override the input locations (defaults:
/work/shared/seeds and /work/shared/reference/managed-policies).

--check recomputes everything in memory and verifies that
  * every seeds/*.json file is byte-identical to the slice [start, end) of its seed file,
    i.e. it is a substring of that seed at the recorded offset, and that no two entries have
    identical text (exact duplicates would be stored once);
  * every managed/*.json file is byte-identical to its reference copy;
  * index.json equals what SPEC generates (including every defect line/column);
  * every declared defect anchor points at the expected characters;
  * strict JSON parsing (Python's json module) fails exactly for the entries that declare a
    syntax-level defect (categories "syntax" and "fragment"), and succeeds for the others.

Extraction rule: an entry is given by (seed file, first line, last line). The slice starts
at the first '{' of the first line and ends after the last '}' of the last line (element
snippets, which have no braces, start at the first '"' and end after the last ']' or '"').
Nothing inside is changed: indentation, tabs, trailing spaces, comments, trailing commas and
unbalanced closing brackets are kept exactly as printed. The files have no trailing newline.

Positions: lines and columns are 1-based and counted within the saved file; columns count
characters (a tab is one column). byte_offset is 0-based within the saved file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SEEDS = "/work/shared/seeds"
DEFAULT_MANAGED = "/work/shared/reference/managed-policies"

SEED_FILES = {
    "000": "000_4bf9d1b6f7bc9e25.txt",
    "001": "001_ffd37191befe516d.txt",
    "002": "002_eceb3463d17a44a7.txt",
    "003": "003_5923e860f146c23c.txt",  # prints no policy (data protection page)
}

SEED_TITLES = {
    "000": "Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)",
    "001": "Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)",
    "002": "IAM behaviors for AWS Clean Rooms ML (plain text)",
    "003": "Data protection in AWS Clean Rooms (plain text, no policies)",
}

# Defect categories. "syntax" and "fragment" make the text invalid JSON / not a policy
# document; the others are semantic or IAM-validation problems in otherwise valid JSON.
SYNTAX_CATEGORIES = {"syntax", "fragment"}

# A defect: (category, anchor, offset-in-anchor, expected text at that position, description).
# The anchor must occur exactly once in the saved text. The description may use {pos}
# which expands to "line L col C".


def D(category, anchor, offset, expect, description):
    return {
        "category": category,
        "anchor": anchor,
        "offset": offset,
        "expect": expect,
        "description": description,
    }


SPEC = [
    # ------------------------------------------------------------------ seed 000
    {
        "seed": "000", "nn": 1, "slug": "read-data-trust",
        "lines": (108, 120),
        "section": "Create a service role to read data, step 5 (custom trust policy)",
        "kind": "trust", "fragment": False,
        "description": "Trust policy of the service role AWS Clean Rooms assumes to read "
                       "data (Principal Service cleanrooms.amazonaws.com, sts:AssumeRole, "
                       "no condition).",
        "defects": [],
        "notes": [
            "In the seed the opening '{' is preceded by four spaces and a tab and followed by "
            "a trailing space; the saved file starts at '{' and keeps the trailing space.",
        ],
    },
    {
        "seed": "000", "nn": 2, "slug": "read-data-permissions",
        "lines": (141, 208),
        "section": "Create a service role to read data, step 7.1 (permissions policy)",
        "kind": "identity", "fragment": False,
        "description": "Permissions policy of the Clean Rooms read-data service role: Glue "
                       "metadata reads, Glue schema reads, S3 bucket listing and S3 object "
                       "reads, scoped with s3:ResourceAccount.",
        "defects": [
            D("arn", '"arn:aws:s3::bucket/prefix/*"', 1, "arn:aws:s3::bucket/prefix/*",
              "malformed S3 ARN \"arn:aws:s3::bucket/prefix/*\" ({pos}): only five "
              "colon-separated components (region/account separator missing; intended "
              "\"arn:aws:s3:::bucket/prefix/*\"); IAM rejects such a Resource (moto corpus: "
              "'The policy failed legacy parsing')"),
        ],
        "notes": [
            "Placeholders 'aws-region' and 'accountId' fill the region and account fields of "
            "the Glue ARNs (not a valid region / 12-digit account id).",
            "Glue table ARN 'arn:aws:glue:aws-region:accountId:table/table' lacks the database "
            "segment (real form: table/<database>/<table>).",
            "'s3BucketOwnerAccountId' is a placeholder value for s3:ResourceAccount.",
            "The second statement has no Sid and its opening '{' is indented with spaces and "
            "a tab.",
            "Trailing space after \"s3:GetBucketLocation\",.",
        ],
    },
    {
        "seed": "000", "nn": 3, "slug": "write-results-trust",
        "lines": (273, 305),
        "section": "Create a service role to write results, step 5 (example custom trust policy)",
        "kind": "trust", "fragment": False,
        "description": "Confused-deputy-scoped trust policy of the service role Clean Rooms "
                       "uses to write query results: two cleanrooms.amazonaws.com "
                       "sts:AssumeRole statements, one with ArnLike on sts:ExternalId, one "
                       "with ForAnyValue:ArnEquals on aws:SourceArn (membership ARN).",
        "defects": [],
        "notes": [
            "ArnLike is applied to sts:ExternalId, a String-typed key (the seed 001 variant "
            "uses StringLike).",
            "Placeholder 'region' in the ExternalId pattern 'arn:aws:*:region:*:dbuser:*/"
            "a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa*'.",
            "ForAnyValue: set operator on the single-valued key aws:SourceArn.",
            "Variant of seed-001-confused-deputy-trust (different operator and placeholders).",
        ],
        "variant_of": ["seed-001-confused-deputy-trust"],
    },
    {
        "seed": "000", "nn": 4, "slug": "write-results-permissions",
        "lines": (335, 368),
        "section": "Create a service role to write results, step 7.1 (example service role policy)",
        "kind": "identity", "fragment": False,
        "description": "Permissions policy of the Clean Rooms write-results service role: "
                       "s3:GetBucketLocation/ListBucket on the bucket and s3:PutObject on "
                       "the result prefix, scoped with aws:ResourceAccount.",
        "defects": [],
        "notes": [
            "Placeholders 'bucket_name' and 'optional_key_prefix'.",
            "Trailing space after \"s3:GetBucketLocation\",.",
        ],
    },
    {
        "seed": "000", "nn": 5, "slug": "training-data-permissions",
        "lines": (425, 491),
        "section": "Create a service role to read training data, step 4",
        "kind": "identity", "fragment": False,
        "description": "Permissions policy of the Clean Rooms ML service role that reads "
                       "training data: Glue metadata reads, glue:CreateDatabase on the "
                       "default database, S3 list and get, scoped with s3:ResourceAccount.",
        "defects": [],
        "notes": [
            "Placeholders 'region' and 'accountId' in the region/account fields of the Glue "
            "ARNs and as the s3:ResourceAccount value.",
            "Trailing space after \"glue:BatchGetPartition\",.",
        ],
    },
    {
        "seed": "000", "nn": 6, "slug": "training-data-kms-fragment",
        "lines": (498, 513),
        "section": "Create a service role to read training data, step 4 ('add this AWS KMS "
                   "statement to the previous template')",
        "kind": "identity", "fragment": True,
        "description": "Fragment: KMS statement (kms:Decrypt with kms:EncryptionContext "
                       "condition) to add to seed-000-training-data-permissions; printed as "
                       "a bare statement object followed by the template's closing '] }'.",
        "defects": [
            D("syntax", '"kms:Decrypt",', 13, ",",
              "trailing comma after \"kms:Decrypt\" before ']' ({pos})"),
            D("fragment", "}\n        ]", 10, "]",
              "bare statement object, not a policy document (no Version/Statement): the "
              "statement's closing '}' is followed by an unbalanced ']' ({pos}) copied from "
              "the end of the template"),
            D("fragment", "]\n    }", 6, "}",
              "unbalanced extra '}' at the end ({pos}) copied from the end of the template"),
        ],
        "notes": [
            "Placeholders 'region', 'accountId', 'keyId' in the KMS key ARN.",
        ],
    },
    {
        "seed": "000", "nn": 7, "slug": "training-data-trust",
        "lines": (534, 534),
        "section": "Create a service role to read training data, step 11 (custom trust policy, "
                   "printed on one line)",
        "kind": "trust", "fragment": False,
        "description": "Trust policy of the Clean Rooms ML training-data service role "
                       "(Principal Service cleanrooms-ml.amazonaws.com, sts:AssumeRole, "
                       "StringEqualsIfExists aws:SourceAccount and StringLikeIfExists "
                       "aws:SourceArn on training-dataset/*), printed on a single line.",
        "defects": [
            D("typo", "arn:aw:cleanrooms-ml", 0, "arn:aw:",
              "partition typo 'arn:aw:' in the aws:SourceArn value ({pos}); never matches a "
              "real ARN, so the IfExists condition fails whenever aws:SourceArn is present"),
        ],
        "notes": [
            "Placeholders 'yourAccount' (aws:SourceAccount), 'region', 'account'.",
        ],
    },
    {
        "seed": "000", "nn": 8, "slug": "lookalike-segment-permissions",
        "lines": (579, 616),
        "section": "Create a service role to write a lookalike segment, step 4",
        "kind": "identity", "fragment": False,
        "description": "Permissions policy of the Clean Rooms ML service role that writes "
                       "lookalike segments: S3 list on the bucket, s3:PutObject on the "
                       "folder, scoped with s3:ResourceAccount.",
        "defects": [],
        "notes": [
            "Irregular indentation (first statement '{' at 8 spaces, closing ']' at 6).",
            "Placeholders 'buckets', 'bucketFolders', 'accountId'.",
        ],
    },
    {
        "seed": "000", "nn": 9, "slug": "lookalike-segment-kms-fragment",
        "lines": (623, 640),
        "section": "Create a service role to write a lookalike segment, step 4 ('add this AWS "
                   "KMS statement to the template')",
        "kind": "identity", "fragment": True,
        "description": "Fragment: KMS statement (kms:Encrypt, kms:GenerateDataKey*, "
                       "kms:ReEncrypt*) to add to seed-000-lookalike-segment-permissions; "
                       "bare statement object followed by '] }'.",
        "defects": [
            D("syntax", '"kms:ReEncrypt*",', 16, ",",
              "trailing comma after \"kms:ReEncrypt*\" before ']' ({pos})"),
            D("fragment", "}\n      ]", 8, "]",
              "bare statement object, not a policy document (no Version/Statement): the "
              "statement's closing '}' is followed by an unbalanced ']' ({pos}) copied from "
              "the end of the template"),
            D("fragment", "]\n    }", 6, "}",
              "unbalanced extra '}' at the end ({pos}) copied from the end of the template"),
        ],
        "notes": [
            "The surrounding text says 'to decrypt data' but the actions are encrypt-side "
            "(Encrypt, GenerateDataKey*, ReEncrypt*).",
            "Placeholders 'region', 'accountId', 'keyId'.",
        ],
    },
    {
        "seed": "000", "nn": 10, "slug": "lookalike-segment-trust",
        "lines": (662, 683),
        "section": "Create a service role to write a lookalike segment, step 11 (custom trust "
                   "policy)",
        "kind": "trust", "fragment": False,
        "description": "Trust policy of the Clean Rooms ML lookalike-segment service role "
                       "(cleanrooms-ml.amazonaws.com, StringEqualsIfExists "
                       "aws:SourceAccount, StringLikeIfExists aws:SourceArn on "
                       "configured-audience-model/*).",
        "defects": [
            D("typo", "arn:aw:cleanrooms-ml", 0, "arn:aw:",
              "partition typo 'arn:aw:' in the aws:SourceArn value ({pos}); never matches a "
              "real ARN"),
        ],
        "notes": [
            "Contains a whitespace-only line (four spaces) inside the StringEqualsIfExists "
            "block and trailing spaces after two '{'.",
            "Placeholders 'yourAccount', 'region', 'account'.",
            "Variant of seed-000-seed-data-trust (differs in the SourceArn resource type and "
            "whitespace).",
        ],
        "variant_of": ["seed-000-seed-data-trust", "seed-000-training-data-trust"],
    },
    {
        "seed": "000", "nn": 11, "slug": "seed-data-permissions",
        "lines": (730, 766),
        "section": "Create a service role to read seed data, step 4",
        "kind": "identity", "fragment": False,
        "description": "Permissions policy of the Clean Rooms ML service role that reads "
                       "seed data: s3:ListBucket on the bucket, s3:GetObject on the folder, "
                       "scoped with s3:ResourceAccount.",
        "defects": [
            D("syntax", '"s3:ListBucket",', 15, ",",
              "trailing comma after \"s3:ListBucket\" before ']' ({pos})"),
        ],
        "notes": [
            "Placeholders 'buckets', 'bucketFolders', 'accountId'.",
        ],
    },
    {
        "seed": "000", "nn": 12, "slug": "seed-data-kms-fragment",
        "lines": (773, 789),
        "section": "Create a service role to read seed data, step 4 ('add this AWS KMS "
                   "statement to the template')",
        "kind": "identity", "fragment": True,
        "description": "Fragment: KMS statement (kms:Decrypt, kms:DescribeKey) to add to "
                       "seed-000-seed-data-permissions; bare statement object followed by "
                       "'] }'.",
        "defects": [
            D("fragment", "}\n      ]", 8, "]",
              "bare statement object, not a policy document (no Version/Statement): the "
              "statement's closing '}' is followed by an unbalanced ']' ({pos}) copied from "
              "the end of the template"),
            D("fragment", "]\n    }", 6, "}",
              "unbalanced extra '}' at the end ({pos}) copied from the end of the template"),
        ],
        "notes": [
            "Placeholders 'region', 'accountId', 'keyId'.",
        ],
    },
    {
        "seed": "000", "nn": 13, "slug": "seed-data-trust",
        "lines": (811, 832),
        "section": "Create a service role to read seed data, step 11 (custom trust policy)",
        "kind": "trust", "fragment": False,
        "description": "Trust policy of the Clean Rooms ML seed-data service role "
                       "(cleanrooms-ml.amazonaws.com, StringEqualsIfExists "
                       "aws:SourceAccount, StringLikeIfExists aws:SourceArn on "
                       "audience-generation-job/*).",
        "defects": [
            D("typo", "arn:aw:cleanrooms-ml", 0, "arn:aw:",
              "partition typo 'arn:aw:' in the aws:SourceArn value ({pos}); never matches a "
              "real ARN"),
        ],
        "notes": [
            "Contains a whitespace-only line (four spaces) inside the StringEqualsIfExists "
            "block.",
            "Placeholders 'yourAccount', 'region', 'account'.",
        ],
        "variant_of": ["seed-000-lookalike-segment-trust", "seed-000-training-data-trust"],
    },
    # ------------------------------------------------------------------ seed 001
    {
        "seed": "001", "nn": 1, "slug": "action-element",
        "lines": (190, 193), "element": True,
        "section": "## Policy actions for AWS Clean Rooms (```-fenced snippet)",
        "kind": "element", "fragment": True,
        "description": "Fragment: a bare \"Action\" element with two placeholder actions "
                       "(cleanrooms:action1, cleanrooms:action2), shown to illustrate "
                       "multiple actions in one statement.",
        "defects": [
            D("fragment", '"Action"', 0, '"',
              "object member without an enclosing object: not a JSON text and not a policy "
              "({pos})"),
        ],
        "notes": [
            "Placeholder action names 'action1'/'action2' are not real cleanrooms actions.",
        ],
    },
    {
        "seed": "001", "nn": 2, "slug": "resource-element",
        "lines": (212, 212), "element": True,
        "section": "## Policy resources for AWS Clean Rooms (```-fenced snippet)",
        "kind": "element", "fragment": True,
        "description": "Fragment: a bare \"Resource\": \"*\" element.",
        "defects": [
            D("fragment", '"Resource"', 0, '"',
              "object member without an enclosing object: not a JSON text and not a policy "
              "({pos})"),
        ],
        "notes": [],
    },
    {
        "seed": "001", "nn": 3, "slug": "view-own-permissions",
        "lines": (330, 361),
        "section": "## Allow users to view their own permissions",
        "kind": "identity", "fragment": False,
        "description": "Identity policy letting an IAM user view their own inline/managed "
                       "policies (resource arn:aws:iam::*:user/${aws:username}) and navigate "
                       "IAM in the console.",
        "defects": [],
        "notes": [
            "Trailing whitespace (two tabs, space, tab, space, tab, space) after the Version "
            "line.",
            "Uses the policy variable ${aws:username}.",
        ],
    },
    {
        "seed": "001", "nn": 4, "slug": "confused-deputy-trust",
        "lines": (601, 634),
        "section": "# Cross-service confused deputy prevention",
        "kind": "trust", "fragment": False,
        "description": "Confused-deputy-scoped trust policy of the service role Clean Rooms "
                       "uses to access configured-table data: StringLike on sts:ExternalId "
                       "with the query runner's membership id, ForAnyValue:ArnEquals on "
                       "aws:SourceArn listing every member's membership ARN.",
        "defects": [],
        "notes": [
            "Angle-bracket placeholders '<query-runner-membership-id>', "
            "'<member-1-membership-id>', '<member-2-membership-id>' inside ARN values.",
            "Trailing whitespace after the Version line; Version written without a space "
            "after ':'.",
            "ForAnyValue: set operator on the single-valued key aws:SourceArn.",
        ],
        "variant_of": ["seed-000-write-results-trust"],
    },
    {
        "seed": "001", "nn": 5, "slug": "audience-generation-resource-policy",
        "lines": (663, 684),
        "section": "# IAM behaviors for AWS Clean Rooms ML / ## Cross-account jobs",
        "kind": "resource", "fragment": False,
        "description": "Resource policy on a configured audience (lookalike) model letting "
                       "account 111122223333 (Principal AWS) call "
                       "cleanrooms-ml:StartAudienceGenerationJob on the model and on "
                       "audience-generation-job/* in account 444455556666, conditioned on "
                       "cleanrooms-ml:CollaborationId.",
        "defects": [
            D("sid", '"Clean-Rooms-CAMA-ID"', 1, "Clean-Rooms-CAMA-ID",
              "Sid 'Clean-Rooms-CAMA-ID' contains '-' ({pos}); IAM policies allow only "
              "A-Z a-z 0-9 in Sid (other services' resource policies may accept it)"),
        ],
        "notes": [
            "Placeholders 'id' (model id) and 'UUID' (collaboration id).",
            "Trailing space after \"111122223333\" (outside the string).",
            "Trailing whitespace after the Version line.",
        ],
        "variant_of": ["seed-002-audience-generation-resource-policy"],
    },
    {
        "seed": "001", "nn": 6, "slug": "ml-custom-models-membership-access",
        "lines": (753, 788),
        "section": "# IAM behaviors for Clean Rooms ML Custom Models / ## Membership and "
                   "collaboration access",
        "kind": "identity", "fragment": False,
        "description": "Identity policy for a role using Clean Rooms ML custom models: "
                       "cleanrooms:PassCollaboration and cleanrooms:PassMembership on *, "
                       "cleanrooms:GetMembership on one membership, "
                       "cleanrooms:GetCollaboration on one collaboration.",
        "defects": [],
        "notes": [
            "Placeholders 'memberId' and 'collaborationId' as resource ids.",
            "Trailing whitespace after the Version line.",
        ],
    },
    # ------------------------------------------------------------------ seed 002
    {
        "seed": "002", "nn": 1, "slug": "audience-generation-resource-policy",
        "lines": (19, 19),
        "section": "Cross-account jobs (printed on one line)",
        "kind": "resource", "fragment": False,
        "description": "One-line variant of the configured-audience-model resource policy "
                       "(Principal AWS accountA may call StartAudienceGenerationJob on "
                       "account B's model and jobs), with an inline '// optional' comment "
                       "before the Condition.",
        "defects": [
            D("syntax", "// optional", 0, "//",
              "'// optional - always set by AWS Clean Rooms' comment inside JSON ({pos}); "
              "JSON has no comments, and because the policy is on one line a parser that "
              "accepts //-comments to end of line would swallow the Condition and the "
              "closing '} ] }', leaving the document unterminated"),
            D("sid", '"Clean-Rooms-<CAMA ID>"', 1, "Clean-Rooms-<CAMA ID>",
              "Sid 'Clean-Rooms-<CAMA ID>' contains '-', '<', ' ', '>' ({pos}); IAM "
              "policies allow only A-Z a-z 0-9 in Sid"),
        ],
        "notes": [
            "Placeholders 'accountA' (Principal AWS: neither a 12-digit account id nor an "
            "ARN), 'AccountB' (account field of the Resource ARNs), 'id', 'UUID'.",
        ],
        "variant_of": ["seed-001-audience-generation-resource-policy"],
    },
]

MANAGED_DESCRIPTIONS = {
    "AWSCleanRoomsReadOnlyAccess":
        "AWS managed policy: read-only access to Clean Rooms resources and metadata "
        "(CleanRoomsRead), Glue metadata for console tables, and query-log reading.",
    "AWSCleanRoomsFullAccess":
        "AWS managed policy: full access to Clean Rooms including querying; PassRole of "
        "service-role/*cleanrooms* roles to cleanrooms.amazonaws.com, IAM inspection, Glue "
        "metadata, S3 cleanrooms-queryresults* buckets, CloudWatch Logs delivery setup.",
    "AWSCleanRoomsFullAccessNoQuerying":
        "AWS managed policy: full access to Clean Rooms except querying "
        "(explicit Deny of cleanrooms:StartProtectedQuery and "
        "cleanrooms:UpdateProtectedQuery), plus PassRole, IAM inspection, Glue and "
        "CloudWatch Logs permissions.",
    "AWSCleanRoomsMLReadOnlyAccess":
        "AWS managed policy: read-only access to Clean Rooms ML, console navigation, and "
        "passing Clean Rooms resources (PassCleanRoomsResources).",
    "AWSCleanRoomsMLFullAccess":
        "AWS managed policy: full access to Clean Rooms ML; PassRole of cleanrooms-ml* roles "
        "to cleanrooms-ml.amazonaws.com, console navigation, membership check, model "
        "association and tagging, IAM/Glue/S3/ECR console helpers.",
}

MANAGED_NOTES = {
    "AWSCleanRoomsMLFullAccess": [
        "Resource 'arn:aws:iam::*:role/role/cleanrooms-ml*' (path 'role/') and policy "
        "pattern '*cleanroomsml*' (no hyphen) are as published by AWS.",
    ],
}

MANAGED_ORDER = [
    "AWSCleanRoomsReadOnlyAccess",
    "AWSCleanRoomsFullAccess",
    "AWSCleanRoomsFullAccessNoQuerying",
    "AWSCleanRoomsMLReadOnlyAccess",
    "AWSCleanRoomsMLFullAccess",
]


class Failure(Exception):
    pass


def line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def seed_lines(data: bytes) -> list[int]:
    """Byte offset of the start of each line (index 0 = line 1)."""
    starts = [0]
    for i, b in enumerate(data):
        if b == 0x0A:
            starts.append(i + 1)
    return starts


def extract(entry: dict, seed_bytes: bytes) -> tuple[int, int]:
    starts = seed_lines(seed_bytes)
    first, last = entry["lines"]
    a = starts[first - 1]
    a_end = starts[first] - 1 if first < len(starts) else len(seed_bytes)
    b = starts[last - 1]
    b_end = starts[last] - 1 if last < len(starts) else len(seed_bytes)
    if entry.get("element"):
        open_chars, close_chars = b'"', (b"]", b'"')
    else:
        open_chars, close_chars = b"{", (b"}",)
    start = seed_bytes.find(open_chars, a, a_end)
    if start < 0:
        raise Failure(f"{name_of(entry)}: no opening {open_chars!r} on line {first}")
    end = max(seed_bytes.rfind(c, b, b_end) for c in close_chars)
    if end < 0:
        raise Failure(f"{name_of(entry)}: no closer on line {last}")
    return start, end + 1


def name_of(entry: dict) -> str:
    return f"seed-{entry['seed']}-{entry['slug']}"


def file_of(entry: dict) -> str:
    return f"seeds/{entry['seed']}-{entry['nn']:02d}-{entry['slug']}.json"


def resolve_defects(entry: dict, text: str) -> tuple[list[str], list[dict]]:
    strings, details = [], []
    for d in entry["defects"]:
        n = text.count(d["anchor"])
        if n != 1:
            raise Failure(f"{name_of(entry)}: anchor {d['anchor']!r} occurs {n} times")
        idx = text.index(d["anchor"]) + d["offset"]
        if not text.startswith(d["expect"], idx):
            raise Failure(
                f"{name_of(entry)}: expected {d['expect']!r} at anchor {d['anchor']!r}+"
                f"{d['offset']}, found {text[idx:idx + len(d['expect'])]!r}")
        line, col = line_col(text, idx)
        pos = f"line {line} col {col}"
        strings.append(d["description"].replace("{pos}", pos))
        details.append({
            "category": d["category"],
            "line": line,
            "column": col,
            "byte_offset": len(text[:idx].encode("utf-8")),
            "text": d["expect"],
        })
    return strings, details


def build(seeds_dir: str, managed_dir: str) -> tuple[dict[str, bytes], list[dict]]:
    """Returns ({relative path: bytes}, index entries)."""
    seed_data = {}
    for short, fname in SEED_FILES.items():
        with open(os.path.join(seeds_dir, fname), "rb") as f:
            seed_data[short] = f.read()

    outputs: dict[str, bytes] = {}
    index: list[dict] = []
    seen_text: dict[bytes, str] = {}
    names = set()
    for entry in SPEC:
        data = seed_data[entry["seed"]]
        start, end = extract(entry, data)
        blob = data[start:end]
        # Byte-exact substring check at the recorded offset.
        if data[start:end] != blob or blob not in data:
            raise Failure(f"{name_of(entry)}: not a substring of its seed")
        if blob in seen_text:
            raise Failure(f"{name_of(entry)}: exact duplicate of {seen_text[blob]}; store once "
                          "and list both places in 'source'")
        seen_text[blob] = name_of(entry)
        text = blob.decode("utf-8")
        name = name_of(entry)
        if name in names:
            raise Failure(f"duplicate name {name}")
        names.add(name)
        defects, details = resolve_defects(entry, text)

        # Strict JSON must fail exactly when a syntax-level defect is declared.
        try:
            json.loads(text)
            parses = True
        except json.JSONDecodeError:
            parses = False
        has_syntax = any(d["category"] in SYNTAX_CATEGORIES for d in entry["defects"])
        if parses == has_syntax:
            raise Failure(f"{name}: strict JSON parse {'succeeded' if parses else 'failed'} "
                          f"but syntax defects declared = {has_syntax}")
        if entry["fragment"] != any(d["category"] == "fragment" for d in entry["defects"]):
            raise Failure(f"{name}: fragment flag disagrees with declared defects")

        first_line = entry["lines"][0]
        start_line, start_col = line_col(data.decode("utf-8"), len(data[:start].decode("utf-8")))
        assert start_line == first_line
        source = (f"{SEED_FILES[entry['seed']]} (seed {entry['seed']}: "
                  f"{SEED_TITLES[entry['seed']]}), section \"{entry['section']}\", "
                  f"line {start_line} col {start_col} (byte offset {start}, length "
                  f"{end - start})")
        item = {
            "name": name,
            "file": file_of(entry),
            "kind": entry["kind"],
            "source": source,
            "fragment": entry["fragment"],
            "defects": defects,
            "description": entry["description"],
            "defect_details": details,
            "notes": entry["notes"],
            "variant_of": entry.get("variant_of", []),
            "seed": {
                "file": SEED_FILES[entry["seed"]],
                "line": start_line,
                "column": start_col,
                "byte_offset": start,
                "byte_length": end - start,
                "sha256": hashlib.sha256(blob).hexdigest(),
            },
            "strict_json": parses,
        }
        outputs[item["file"]] = blob
        index.append(item)

    for entry in index:
        for v in entry["variant_of"]:
            if v not in names:
                raise Failure(f"{entry['name']}: unknown variant_of {v}")

    with open(os.path.join(managed_dir, "index.json"), encoding="utf-8") as f:
        minfo = json.load(f)
    by_name = {p["name"]: p for p in minfo["policies"]}
    if sorted(by_name) != sorted(MANAGED_ORDER):
        raise Failure(f"managed policy set changed: {sorted(by_name)}")
    for mname in MANAGED_ORDER:
        p = by_name[mname]
        with open(os.path.join(managed_dir, f"{mname}.json"), "rb") as f:
            blob = f.read()
        json.loads(blob)
        rel = f"managed/{mname}.json"
        outputs[rel] = blob
        index.append({
            "name": f"managed-{mname}",
            "file": rel,
            "kind": "identity",
            "source": (f"{p['arn']} default version {p['default_version']} (version created "
                       f"{p['version_create_date']}); document from "
                       f"{minfo['source_primary'].replace('<Name>', mname)}, "
                       f"last changed in commit {p['mamip_last_commit']}; cross-check: "
                       f"{minfo['cross_check'].replace('<Name>', mname)}; file content: "
                       f"{minfo['file_content'].replace('<Name>', mname)}; "
                       f"copied verbatim from shared/reference/managed-policies/{mname}.json "
                       f"(see shared/reference/SOURCES.md)"),
            "fragment": False,
            "defects": [],
            "description": MANAGED_DESCRIPTIONS[mname],
            "defect_details": [],
            "notes": MANAGED_NOTES.get(mname, []),
            "variant_of": [],
            "managed": {
                "arn": p["arn"],
                "default_version": p["default_version"],
                "version_create_date": p["version_create_date"],
                "statements": p["statements"],
                "sha256": hashlib.sha256(blob).hexdigest(),
            },
            "strict_json": True,
        })

    outputs["index.json"] = (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode()
    return outputs, index


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="(re)generate files and index.json")
    ap.add_argument("--check", action="store_true", help="verify only (default)")
    ap.add_argument("--seeds", default=DEFAULT_SEEDS)
    ap.add_argument("--managed", default=DEFAULT_MANAGED)
    args = ap.parse_args()
    try:
        outputs, index = build(args.seeds, args.managed)
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1

    if args.write:
        for rel, blob in outputs.items():
            path = os.path.join(HERE, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(blob)
        print(f"wrote {len(outputs)} files")

    problems = []
    for rel, blob in outputs.items():
        path = os.path.join(HERE, rel)
        try:
            with open(path, "rb") as f:
                on_disk = f.read()
        except FileNotFoundError:
            problems.append(f"missing {rel}")
            continue
        if on_disk != blob:
            problems.append(f"differs from regenerated bytes: {rel}")
    for sub in ("seeds", "managed"):
        d = os.path.join(HERE, sub)
        if os.path.isdir(d):
            for fn in sorted(os.listdir(d)):
                if f"{sub}/{fn}" not in outputs:
                    problems.append(f"unexpected file {sub}/{fn}")
    # Independent substring check of the files on disk against the seed files.
    for item in index:
        if "seed" in item:
            with open(os.path.join(args.seeds, item["seed"]["file"]), "rb") as f:
                seed = f.read()
            try:
                with open(os.path.join(HERE, item["file"]), "rb") as f:
                    blob = f.read()
            except FileNotFoundError:
                continue
            off = item["seed"]["byte_offset"]
            if seed[off:off + len(blob)] != blob or blob not in seed:
                problems.append(f"{item['file']} is not a substring of {item['seed']['file']}")
    if problems:
        for p in problems:
            print(f"FAIL: {p}", file=sys.stderr)
        return 1
    n_seed = sum(1 for i in index if "seed" in i)
    n_frag = sum(1 for i in index if i["fragment"])
    print(f"OK: {n_seed} seed entries ({n_frag} fragments), "
          f"{len(index) - n_seed} managed policies; all byte-exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
