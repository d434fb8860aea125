#!/usr/bin/env python3
"""Write the hand-made validation cases seed-policies.json, kinds.json and parser-limits.json.

Run from anywhere: python3 corpus/cases/validation/make_cases.py
The expectations below come from AWS documentation and recorded AWS responses
(docs/validation.md, docs/research/validation-messages.md), never from the validator's output.
Positions are computed from the policy text: 1-based lines, columns in characters.
Position convention: a JSON syntax error is at the offending character (the trailing comma,
the first '/' of a comment, the stray closer, the raw control character); an error about a
value is at the value's opening quote; an error about a key (unknown element, duplicate key,
unknown operator) is at the key's opening quote. Errors about a missing element or the whole
document carry no position.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
POLICIES = os.path.join(ROOT, "corpus", "policies")

RN = "docs/research/validation-messages.md"
VD = "docs/validation.md"
UG = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
ORG = "https://docs.aws.amazon.com/organizations/latest/userguide/"

# ----- AWS messages (exact texts, docs/research/validation-messages.md §9) -------------------
SYNTAX = "Syntax errors in policy."
VERSION = "Policy document must be version 2012-10-17 or greater."
LEGACY = "The policy failed legacy parsing"
SID_DUP = "Statement IDs (SID) in a single policy must be unique."
SID_CHARS = ("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
             "regular expression [0-9A-Za-z]*")
NO_PRINCIPAL = "Policy document should not specify a principal."
NO_ACTIONS = "Policy statement must contain actions."
NO_RESOURCES = "Policy statement must contain resources."
VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
ONE_COLON = "Actions/Condition can contain only one colon."
IAM_PATH = ('IAM resource path must either be "*", root, or start with user/, federated-user/, role/, '
            'group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, '
            'oidc-provider/, report/, access-report/.')
POLICY_SIZE = "Cannot exceed quota for PolicySize: 6144"
PATTERN = ("failed to satisfy constraint: Member must satisfy regular expression pattern: "
           "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+")
TRUST_JSON = "This policy contains invalid Json"
TRUST_RESOURCE = "Has prohibited field Resource"
TRUST_ACTION = "AssumeRole policy may only specify STS AssumeRole actions."
TRUST_NO_PRINCIPAL = ("Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: "
                      "The passed in policy has a statement with no principals!")
TRUST_STAR = 'AssumeRolepolicy contained an invalid principal: "STAR":"*".'
TRUST_SIZE = "Cannot exceed quota for ACLSizePerRole: 2048"
SESSION_JSON = "The policy is not in the valid JSON format."
RES_JSON = "This policy contains invalid Json"
RES_NO_PRINCIPAL = "Missing required field Principal"
RES_BAD_PRINCIPAL = "Invalid principal in policy"
RES_BAD_RESOURCE = "Policy has invalid resource"
ORG_GENERIC = "The provided policy document does not meet the requirements of the specified policy type."
ORG_SIZE = "You have exceeded the maximum policy size."


def pos(text, needle, nth=0, delta=0):
    """1-based (line, column) of the nth occurrence of needle (+delta characters)."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += delta
    # Diagnostics about a string point at its text, inside the quotes: a needle that starts
    # at a string's opening quote names the character after it.
    if needle.startswith('"') and delta == 0:
        i += 1
    before = text[:i]
    line = before.count("\n") + 1
    col = i - (before.rfind("\n") + 1) + 1
    return line, col


def case(stem, slug, kind, policy, valid, description, source, message=None, at=None):
    expect = {"valid": valid}
    if message is not None:
        expect["message"] = message
    if at is not None:
        if isinstance(at, tuple) and len(at) == 2 and all(isinstance(x, int) for x in at):
            line, col = at
        else:
            if isinstance(at, str):
                at = (at,)
            line, col = pos(policy, *at)
        expect["line"] = line
        expect["column"] = col
    return {
        "id": f"{stem}-{slug}",
        "description": description,
        "source": source,
        "policy_kind": kind,
        "policy": policy,
        "expect": expect,
    }


def nonws(text):
    return len(re.sub(r"[ \t\r\n]", "", text))


# =============================================================================================
# 1. seed-policies.json
# =============================================================================================

def seed_cases():
    stem = "seed-policies"
    index = json.load(open(os.path.join(POLICIES, "index.json")))
    by_name = {e["name"]: e for e in index}
    kind_of = {"identity": "identity", "trust": "trust", "resource": "resource", "element": "identity"}

    # Expectation per index entry: (valid, message, at, why)
    exp = {
        "seed-000-read-data-trust": (True, None, None,
            "Valid trust policy for the Clean Rooms read-data service role: Principal Service "
            "cleanrooms.amazonaws.com, sts:AssumeRole, Version 2012-10-17, Sid alphanumeric. The "
            "whitespace around the braces is insignificant."),
        "seed-000-read-data-permissions": (False, LEGACY, ("\"arn:aws:s3::bucket/prefix/*\"",),
            "The Resource 'arn:aws:s3::bucket/prefix/*' has '::' and only four colons: IAM's legacy "
            "parser rejects it with 'The policy failed legacy parsing' (V: 99designs/iamy#65, "
            "Graylog2/graylog-plugin-aws#172; E: moto invalid #36 'arn:aws:s3::example_bucket'; "
            f"{RN} §1.2 #6). Position: the opening quote of that resource string (seed line 57). "
            "The Glue ARNs with the placeholders 'aws-region'/'accountId' are NOT errors: IAM checks "
            "the resource format (arn:partition:service:...) but not region names or account ids "
            "for non-IAM/S3 services (moto valid #45 'arn:aws:ec2:region:account-id:instance/*', "
            f"#51 'arn:aws:rds:region:*:*'; {VD} stage 8 lists no region/account-value rule). "
            "'s3BucketOwnerAccountId' is a condition value (not validated)."),
        "seed-000-write-results-trust": (True, None, None,
            "Valid trust policy: IAM does not check that a condition operator suits the key's type "
            "(ArnLike on the String key sts:ExternalId) nor ForAnyValue on a single-valued key; "
            "condition values are not validated (only Date values, by the legacy parser). "
            f"{VD} has no such rule."),
        "seed-000-write-results-permissions": (True, None, None,
            "Valid identity policy: 'arn:aws:s3:::bucket_name' is a well-formed S3 ARN (IAM does not "
            "check S3 bucket-naming rules); aws:ResourceAccount condition with a 12-digit account."),
        "seed-000-training-data-permissions": (True, None, None,
            "Valid identity policy: Glue ARNs with placeholder region 'region' and account 'accountId' "
            "are accepted (IAM checks ARN shape, not region/account values, for non-IAM/S3 services: "
            "moto valid #45, #51); the S3 ARNs have no region/account; 'accountId' as an "
            "s3:ResourceAccount condition value is not validated."),
        "seed-000-training-data-kms-fragment": (False, SYNTAX, (4, 34),
            "Fragment: a bare statement object with a trailing comma after \"kms:Decrypt\" (line 4 "
            "col 34) and the template's closing '] }' after it. Sent as an identity policy "
            "(CreatePolicy) it is invalid JSON; IAM answers invalid JSON with 'Syntax errors in "
            "policy.' (V: aws-samples/amazon-ecs-firelens-examples#50, trailing comma; "
            f"{RN} §1.2 #2). The first error in the text is the trailing comma."),
        "seed-000-training-data-trust": (True, None, None,
            "Valid trust policy. 'arn:aw:' in the StringLikeIfExists value of aws:SourceArn is a typo "
            "in a condition VALUE: IAM does not validate string condition values as ARNs, so the "
            "policy is accepted (it simply never matches a real ARN). 'yourAccount' as an "
            f"aws:SourceAccount value is likewise not validated. No rule in {VD} applies."),
        "seed-000-lookalike-segment-permissions": (True, None, None,
            "Valid identity policy (irregular indentation only; placeholders 'buckets', "
            "'bucketFolders' are well-formed S3 ARNs; 'accountId' is a condition value)."),
        "seed-000-lookalike-segment-kms-fragment": (False, SYNTAX, (6, 37),
            "Fragment: bare KMS statement with a trailing comma after \"kms:ReEncrypt*\" (line 6 col "
            "37) followed by '] }'. As an identity policy: invalid JSON -> 'Syntax errors in "
            f"policy.' ({RN} §1.2 #2, V). First error: the trailing comma."),
        "seed-000-lookalike-segment-trust": (True, None, None,
            "Valid trust policy: the 'arn:aw:' typo is inside a StringLikeIfExists condition value "
            "(not validated); a whitespace-only line and trailing spaces are insignificant JSON "
            "whitespace."),
        "seed-000-seed-data-permissions": (False, SYNTAX, (7, 36),
            "Trailing comma after \"s3:ListBucket\" in the first statement's Action list (line 7 col "
            "36): invalid JSON; IAM CreatePolicy answers 'Syntax errors in policy.' (V: "
            f"aws-samples/amazon-ecs-firelens-examples#50; {RN} §1.2 #2)."),
        "seed-000-seed-data-kms-fragment": (False, SYNTAX, (16, 7),
            "Fragment: a complete bare statement object followed by the template's closing ']' "
            "(line 16 col 7) and '}'. Strict JSON (RFC 8259) allows one value only, so the first "
            "error is the stray ']' after the object; even a parser that stopped after the object "
            "would find no Statement and unknown top-level elements (Effect, Action, ...), which is "
            f"also 'Syntax errors in policy.' ({RN} §1.2 #1, #4)."),
        "seed-000-seed-data-trust": (True, None, None,
            "Valid trust policy: the 'arn:aw:' typo is in a StringLikeIfExists condition value, "
            "which IAM does not validate."),
        "seed-001-action-element": (False, SYNTAX, None,
            "Element snippet '\"Action\": [ ... ]' without an enclosing object. Sent as an identity "
            "policy it is not a JSON object document: either invalid JSON (text after the string "
            "'\"Action\"') or a non-object top-level value -- both are 'Syntax errors in policy.' for "
            f"CreatePolicy (V: kubernetes-sigs/aws-load-balancer-controller#2276 for non-JSON; {RN} §1.2 "
            "#1, #4). No position: it depends on whether the parser rejects at the first character "
            "(not '{') or at the ':' after the string."),
        "seed-001-resource-element": (False, SYNTAX, None,
            "Element snippet '\"Resource\": \"*\"' without an enclosing object: not a policy object, "
            f"'Syntax errors in policy.' for CreatePolicy ({RN} §1.2 #1, #4). No position (see the "
            "Action element case)."),
        "seed-001-view-own-permissions": (True, None, None,
            "Valid identity policy: 'arn:aws:iam::*:user/${aws:username}' starts with the IAM "
            "resource type user/ (IAM resource-path rule satisfied); the policy variable is allowed "
            "under Version 2012-10-17; trailing tabs/spaces after the Version line are JSON "
            "whitespace."),
        "seed-001-confused-deputy-trust": (True, None, None,
            "Valid trust policy (AWS Clean Rooms confused-deputy example): angle-bracket placeholders "
            "are inside condition values, which IAM does not validate; ForAnyValue:ArnEquals is a "
            "well-formed operator."),
        "seed-001-audience-generation-resource-policy": (True, None, None,
            "Valid configured-audience-model resource policy: Principal AWS '111122223333' is a "
            "12-digit account id; the ARNs are well formed. The Sid 'Clean-Rooms-CAMA-ID' has "
            "hyphens, which the IAM/STS/Organizations Sid rule rejects, but resource policies "
            f"have no Sid character rule ({VD}, resource row: 'no Sid character rule'; S3/KMS/ECR "
            f"accept spaces, {RN} §2.1 'Sid'); AWS prints this very policy in its Clean Rooms ML "
            "documentation."),
        "seed-001-ml-custom-models-membership-access": (True, None, None,
            "Valid identity policy: alphanumeric unique Sids, cleanrooms actions, well-formed Clean "
            "Rooms ARNs (placeholder ids 'memberId'/'collaborationId' are just resource ids); "
            "trailing whitespace after the Version line is JSON whitespace."),
        "seed-002-audience-generation-resource-policy": (False, RES_JSON, (1, 353),
            "One-line resource policy with an inline '// optional - always set by AWS Clean Rooms' "
            "comment (line 1 col 353): JSON has no comments, so the document is invalid JSON; the "
            "generic resource-policy parser answers 'This policy contains invalid Json' (V for "
            f"DynamoDB's shared parser; I for Clean Rooms ML, {RN} §2.2, §2.3). The comment is the "
            "first error; the invalid principal 'accountA' and the Sid with '<', ' ', '>' come later "
            "(see the derived case without the comment)."),
    }
    managed_why = ("AWS managed policy, copied verbatim: IAM accepted it as a managed policy (it is "
                   "published as default version {ver}); Version 2012-10-17, alphanumeric unique Sids, "
                   "no Principal, well-formed actions and resources, {n} non-whitespace characters "
                   "(under the 6,144 quota). Expected valid as an identity policy.")
    cases = []
    for e in index:
        name = e["name"]
        text = open(os.path.join(POLICIES, e["file"]), encoding="utf-8", newline="").read()
        kind = kind_of[e["kind"]]
        if name.startswith("managed-"):
            valid, msg, at = True, None, None
            why = managed_why.format(ver=e["managed"]["default_version"], n=nonws(text))
            src = f"corpus/policies/{e['file']}: {e['source']}"
        else:
            valid, msg, at, why = exp[name]
            src = f"corpus/policies/{e['file']} (index.json '{name}'); {e['source']}"
        if e["kind"] == "element":
            why += " (index kind 'element'; checked as an identity policy, where the snippet belongs.)"
        # sanity: the defect positions we use are the index's
        cases.append(case(stem, name, kind, text, valid, why, src, msg, at))

    # Checks that the positions used match what the index says is there.
    def at_index(name, i):
        d = by_name[name]["defect_details"][i]
        return d["line"], d["column"]
    assert at_index("seed-000-training-data-kms-fragment", 0) == (4, 34)
    assert at_index("seed-000-lookalike-segment-kms-fragment", 0) == (6, 37)
    assert at_index("seed-000-seed-data-permissions", 0) == (7, 36)
    assert at_index("seed-000-seed-data-kms-fragment", 0) == (16, 7)
    assert at_index("seed-002-audience-generation-resource-policy", 0) == (1, 353)
    c = [x for x in cases if x["id"].endswith("seed-000-read-data-permissions")][0]
    assert (c["expect"]["line"], c["expect"]["column"]) == (57, 24), c["expect"]

    # --- derived variants (one change each, to reach the defect hidden behind the first one) ---
    def read(name):
        return open(os.path.join(POLICIES, by_name[name]["file"]), encoding="utf-8", newline="").read()

    t = read("seed-002-audience-generation-resource-policy")
    t2 = t.replace("// optional - always set by AWS Clean Rooms ", "")
    assert t2 != t
    cases.append(case(stem, "derived-002-resource-policy-without-comment", "resource", t2, False,
        "seed-002 resource policy with only the '// optional ...' comment removed. The placeholder "
        "'accountA' in Principal AWS is neither a 12-digit account id nor a principal ARN: the "
        "resource-policy parser rejects it with 'Invalid principal in policy' (V for S3 "
        f"PutBucketPolicy: cloud-custodian#4948, red-hat-storage/ocs-ci#9098; {RN} §2.1; {VD} resource "
        "row). Position: the opening quote of \"accountA\". The Sid 'Clean-Rooms-<CAMA ID>' is not "
        "checked for resource policies; 'AccountB' in the account field of the resource ARNs is "
        "not covered by the documented resource rule (which rejects non-ARN resources only) -- "
        "unverified whether Clean Rooms ML checks the account field.",
        f"derived from corpus/policies/seeds/002-01-audience-generation-resource-policy.json; {RN} §2.1, §2.3",
        RES_BAD_PRINCIPAL, '"accountA"'))

    t = read("seed-000-read-data-permissions")
    t2 = t.replace('"arn:aws:s3::bucket/prefix/*"', '"arn:aws:s3:::bucket/prefix/*"')
    assert t2 != t
    cases.append(case(stem, "derived-000-read-data-permissions-arn-fixed", "identity", t2, True,
        "seed-000 read-data permissions policy with the one defect fixed ('arn:aws:s3::' -> "
        "'arn:aws:s3:::'). Shows that the Glue placeholders 'aws-region'/'accountId', the "
        "Sid-less second statement and the placeholder condition values are accepted.",
        "derived from corpus/policies/seeds/000-02-read-data-permissions.json line 57; moto valid #45, #51"))

    t = read("seed-000-seed-data-permissions")
    t2 = t.replace('"s3:ListBucket",\n', '"s3:ListBucket"\n', 1)
    assert t2 != t
    cases.append(case(stem, "derived-000-seed-data-permissions-comma-removed", "identity", t2, True,
        "seed-000 seed-data permissions policy with the trailing comma (line 7) removed: valid "
        "identity policy.",
        "derived from corpus/policies/seeds/000-11-seed-data-permissions.json line 7"))

    frag = read("seed-000-seed-data-kms-fragment")
    stmt = frag[:frag.rindex("]")].rstrip()
    base = t2
    cut = base.rindex("]")
    merged = base[:cut].rstrip() + ",\n            " + stmt + "\n      ]\n    }"
    cases.append(case(stem, "derived-000-seed-data-with-kms-statement", "identity", merged, True,
        "The seed-data KMS fragment added to the (comma-fixed) seed-data permissions template as "
        "the seed tells the reader to: valid identity policy. 'kms:EncryptionContext:aws:s3:arn' "
        "is a condition key with colons after the prefix -- condition keys are not subject to the "
        "one-colon action rule; the KMS key ARN with placeholders 'region'/'accountId'/'keyId' is "
        "well formed.",
        "derived from corpus/policies/seeds/000-11 and 000-12 (seed 000 'add this AWS KMS statement')"))

    t = read("seed-000-training-data-trust")
    cases.append(case(stem, "derived-000-training-data-trust-as-identity", "identity", t, False,
        "The seed-000 training-data trust policy attached as an identity (permissions) policy: "
        "identity policies must not specify a principal -> 'Policy document should not specify a "
        "principal.' (V: hashicorp/terraform#13449, trust policy put with PutRolePolicy; "
        f"{RN} §1.2 #9, §3 last row).",
        f"derived from corpus/policies/seeds/000-07-training-data-trust.json; {RN} §3",
        NO_PRINCIPAL))

    t = read("seed-001-audience-generation-resource-policy")
    t2 = t.replace('"Clean-Rooms-CAMA-ID"', '"CleanRoomsCAMAID"')
    assert t2 != t
    cases.append(case(stem, "derived-001-resource-policy-as-trust", "trust", t2, False,
        "The seed-001 configured-audience-model resource policy (Sid made alphanumeric) used as "
        "a role trust policy: the Resource element is prohibited ('Has prohibited field Resource', V) "
        "and the action is not in the sts:AssumeRole family ('AssumeRole policy may only specify STS "
        "AssumeRole actions.', V). Which of the two IAM reports first is not recorded, so only "
        "invalidity is asserted.",
        f"derived from corpus/policies/seeds/001-05-audience-generation-resource-policy.json; {RN} §3"))
    return cases


# =============================================================================================
# 2. kinds.json
# =============================================================================================

def P(statements, version="2012-10-17", extra=""):
    v = f'"Version": "{version}", ' if version else ""
    return "{" + v + extra + '"Statement": [' + ", ".join(statements) + "]}"


S3_ALLOW = '{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'
CR_TRUST_STMT = ('{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, '
                 '"Action": "sts:AssumeRole"}')


def trust_stmt(principal='{"Service": "cleanrooms.amazonaws.com"}', action='"sts:AssumeRole"', extra=""):
    return '{' + extra + '"Effect": "Allow", "Principal": ' + principal + ', "Action": ' + action + '}'


def kinds_cases():
    stem = "kinds"
    C = []

    def add(slug, kind, policy, valid, description, source, message=None, at=None):
        C.append(case(stem, slug, kind, policy, valid, description, source, message, at))

    # ------------------------------------------------------------------ identity
    src9 = f"{RN} §1.2 #9; {UG}reference_policies_elements_principal.html"
    p = P(['{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", '
           '"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'])
    add("identity-principal-forbidden", "identity", p, False,
        "Principal in an identity-based policy: IAM answers 'Policy document should not specify a "
        "principal.' (V: hashicorp/terraform#13449, lyft/metadataproxy#53; docs: Principal 'must "
        "not be included in identity-based policies').", src9, NO_PRINCIPAL)
    p = P(['{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, '
           '"Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-notprincipal-forbidden", "identity", p, False,
        "NotPrincipal is rejected in identity policies like Principal ('Principal or NotPrincipal', "
        f"{RN} §1.2 #9; NotPrincipal docs: 'You cannot use the NotPrincipal element in an IAM "
        "identity-based policy').", src9 + f"; {UG}reference_policies_elements_notprincipal.html",
        NO_PRINCIPAL)

    src8 = f"{RN} §1.2 #8; {UG}reference_policies_elements_sid.html"
    for slug, sid in [("hyphen", "Read-Objects"), ("underscore", "Read_Objects"), ("space", "Read Objects")]:
        p = P(['{"Sid": "' + sid + '", "Effect": "Allow", "Action": "s3:GetObject", '
               '"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'])
        add(f"identity-sid-{slug}", "identity", p, False,
            f"Sid '{sid}' has a character outside [0-9A-Za-z]: 'For IAM policies, basic alphanumeric "
            "characters (A-Z,a-z,0-9) are the only allowed characters in the Sid value'; the API "
            "message is verbatim from a 2021 CreatePolicy CloudTrail record. Position: the Sid value.",
            src8, SID_CHARS, f'"{sid}"')
    p = P(['{"Sid": "ReadObjects2", "Effect": "Allow", "Action": "s3:GetObject", '
           '"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'])
    add("identity-sid-alphanumeric", "identity", p, True,
        "An alphanumeric Sid (letters and digits) is accepted.", src8)
    p = P(['{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}',
           '{"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'])
    add("identity-sid-duplicate", "identity", p, False,
        "Two statements with the same Sid: 'Statement IDs (SID) in a single policy must be unique.' "
        "(V: kubernetes/kops#4951, aws-cloudformation/cfn-lint#3973). Position: the second Sid value.",
        f"{RN} §1.2 #7; {UG}reference_policies_elements_sid.html", SID_DUP, ('"Read"', 1))
    p = P(['{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}',
           '{"Sid": "", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'])
    add("identity-sid-empty-repeated", "identity", p, True,
        "Empty Sids may repeat: uniqueness applies to non-empty Sids (E: moto valid #52; "
        f"{RN} §1.2 #7).", f"{RN} §1.2 #7; moto valid #52")
    p = P(['{"Sid": "read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}',
           '{"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}'])
    add("identity-sid-differs-in-case", "identity", p, True,
        "Sids 'read' and 'Read' differ (Sid values are compared as written; nothing in the docs "
        "makes them case-insensitive). I -- not verified against IAM.",
        f"{UG}reference_policies_elements_sid.html; {RN} §1.2 #7")

    srcv = f"{RN} §1.2 #5; {UG}reference_policies_elements_version.html"
    add("identity-version-missing", "identity", P([S3_ALLOW], version=None), False,
        "A managed policy (CreatePolicy) without Version: 'Policy document must be version "
        "2012-10-17 or greater.' (V: console/CreatePolicy, Meteor-CollectionFS#630; E moto #1).",
        srcv, VERSION)
    p = P([S3_ALLOW], version="2008-10-17")
    add("identity-version-2008", "identity", p, False,
        "Version 2008-10-17 in a managed policy: same message as a missing Version (V; E moto #2). "
        "Position: the Version value.", srcv, VERSION, '"2008-10-17"')
    p = P([S3_ALLOW], version="2012-10-18")
    add("identity-version-unknown", "identity", p, False,
        "A Version that is neither date is a grammar error: 'Syntax errors in policy.' (E moto #3; "
        f"{RN} §1.2 #4). Position: the Version value.", srcv, SYNTAX, '"2012-10-18"')
    srce = f"{RN} §1.2 #4, #6; {UG}reference_policies_elements_effect.html"
    p = P(['{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-effect-lowercase", "identity", p, False,
        "'The Effect value is case sensitive': 'allow' passes the case-insensitive grammar check "
        "and fails IAM's legacy parser: 'The policy failed legacy parsing' (V: legacy-parser "
        "message, 99designs/iamy#65; E moto #63, #70). Position: the Effect value.",
        srce, LEGACY, '"allow"')
    p = P(['{"Effect": "DENY", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-effect-uppercase", "identity", p, False,
        "'DENY' is Deny in the wrong case: legacy parsing failure (as 'denY', moto #63).",
        srce, LEGACY, '"DENY"')
    p = P(['{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-effect-unknown", "identity", p, False,
        "Effect neither Allow nor Deny in any case: 'Syntax errors in policy.' (E moto #10).",
        srce, SYNTAX, '"Permit"')
    p = P(['{"Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-effect-missing", "identity", p, False,
        "A statement without Effect: 'Syntax errors in policy.' (E moto #31; docs: Effect is "
        "required).", srce, SYNTAX)

    srcg = f"{RN} §1.2 #4; {UG}reference_policies_grammar.html"
    p = P([S3_ALLOW], extra='"Comment": "x", ')
    add("identity-unknown-top-level-element", "identity", p, False,
        "Unknown top-level element 'Comment': 'Syntax errors in policy.' (E moto #6). Position: the "
        "key.", srcg, SYNTAX, '"Comment"')
    p = P(['{"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}'])
    add("identity-unknown-statement-element", "identity", p, False,
        "Unknown statement element 'Actions' (typo of Action): 'Syntax errors in policy.' (E moto "
        "#7). Position: the key.", srcg, SYNTAX, '"Actions"')
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'], extra='"Id": "ReadPolicy", ')
    add("identity-id-accepted", "identity", p, True,
        "A string Id is accepted by CreatePolicy although the docs say it should not be used in "
        "identity policies (E moto valid #24).", f"{RN} §1.2 'Accepted'; moto valid #24")
    p = P(['{"Effect": "Allow", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-duplicate-key-effect", "identity", p, False,
        "Duplicate key 'Effect' in one statement: 'Individual elements must not contain multiple "
        "instances of the same key', and 'The policy engine does not allow such errors in new or "
        "edited policies' (D). Message 'Syntax errors in policy.' is our choice (I, no AWS response "
        "recorded). Position: the second key.",
        f"{UG}reference_policies_grammar.html; {UG}troubleshoot_policies.html#duplicateelement; {RN} §1.2",
        SYNTAX, ('"Effect"', 1))
    p = '{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": [' + S3_ALLOW + ']}'
    add("identity-duplicate-key-version", "identity", p, False,
        "Duplicate top-level key 'Version' (same value): the grammar forbids repeated keys (D); "
        "message by our choice (I). Position: the second key.",
        f"{UG}reference_policies_grammar.html; {RN} §1.2", SYNTAX, ('"Version"', 1))
    p = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
         '      "Action": ["s3:GetObject", "s3:ListBucket",],\n      "Resource": "*"\n    }\n  ]\n}')
    add("identity-trailing-comma-in-array", "identity", p, False,
        "Trailing comma in an Action list: invalid JSON, 'Syntax errors in policy.' (V: "
        "aws-samples/amazon-ecs-firelens-examples#50). Position: the comma (line 6).",
        f"{RN} §1.2 #2", SYNTAX, ('",]', 0, 1))
    p = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
         '      "Action": "s3:GetObject",\n      "Resource": "*",\n    }\n  ]\n}')
    add("identity-trailing-comma-in-object", "identity", p, False,
        "Trailing comma after the last member of a statement object: invalid JSON -> 'Syntax errors "
        "in policy.'. Position: the comma (line 7).", f"{RN} §1.2 #2", SYNTAX, ('"*",', 0, 3))
    p = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
         '      "Action": "s3:GetObject",\n      "Resource": "*"\n    },\n  ]\n}')
    add("identity-trailing-comma-in-statement-list", "identity", p, False,
        "Trailing comma after the last statement: invalid JSON. Position: the comma (line 8 col 6).",
        f"{RN} §1.2 #2", SYNTAX, ("},", 0, 1))
    p = ('{\n  "Version": "2012-10-17",\n  // read access\n  "Statement": [' + S3_ALLOW + ']\n}')
    add("identity-line-comment", "identity", p, False,
        "A '//' comment: JSON has no comments, so IAM sees invalid JSON -> 'Syntax errors in "
        "policy.'. Position: the first '/' (line 3 col 3).", f"{RN} §1.2 #1, #2; RFC 8259", SYNTAX, (3, 3))
    p = ('{"Version": "2012-10-17", /* read */ "Statement": [' + S3_ALLOW + ']}')
    add("identity-block-comment", "identity", p, False,
        "A '/* */' comment: invalid JSON -> 'Syntax errors in policy.'. Position: the '/' (col 27).",
        f"{RN} §1.2 #1, #2; RFC 8259", SYNTAX, (1, 27))
    assert pos(p, "/*") == (1, 27)

    srcc = f"{UG}reference_policies_elements_condition_operators.html; {RN} §1.2 'Accepted'"
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket", '
           '"Condition": {"NumericLessThanEquals": {"s3:max-keys": 10}}}'])
    add("identity-condition-number-value", "identity", p, True,
        "A bare JSON number as a condition value: 'Quotation marks are optional for numeric and "
        "Boolean values' (D). The moto emulator rejects numbers; the project follows the docs.",
        srcc)
    p = P(['{"Effect": "Deny", "Action": "s3:*", "Resource": "*", '
           '"Condition": {"Bool": {"aws:SecureTransport": false}}}'])
    add("identity-condition-boolean-value", "identity", p, True,
        "A bare JSON boolean as a condition value (D; E moto valid #39).", srcc)
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"NumericLessThan": {"s3:max-keys": [10, "20", 30.5]}}}'])
    add("identity-condition-mixed-number-list", "identity", p, True,
        "A list mixing bare numbers and a quoted number (quotes optional for numbers, D).", srcc)
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"StringEqualsFooBar": {}}}'])
    add("identity-condition-unknown-operator-empty", "identity", p, True,
        "An unknown condition operator with an empty block is accepted (E moto valid #19, #31).",
        f"{RN} §1.2 #22; moto valid #19, #31")
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"StringEqualsFooBar": {"aws:username": "alice"}}}'])
    add("identity-condition-unknown-operator-with-key", "identity", p, False,
        "An unknown condition operator with keys: 'Syntax errors in policy.' (E moto #52). "
        "Position: the operator key.", f"{RN} §1.2 #22; moto invalid #52", SYNTAX, '"StringEqualsFooBar"')
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"ForAnyValue::StringEquals": {"aws:TagKeys": "Department"}}}'])
    add("identity-condition-double-colon-qualifier", "identity", p, False,
        "'ForAnyValue::StringEquals' (double colon) is not a valid operator: 'Syntax errors in "
        "policy.' (E moto #53). Position: the operator key.", f"{RN} §1.2 #22; moto invalid #53",
        SYNTAX, '"ForAnyValue::StringEquals"')
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": "Department"}}}'])
    add("identity-condition-set-qualifier-ifexists", "identity", p, True,
        "ForAnyValue: with an ...IfExists operator is well formed (E moto valid #33).",
        "moto valid #33; " + srcc)
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"StringEquals": {"aws:username": {"a": "b"}}}}'])
    add("identity-condition-value-object", "identity", p, False,
        "A condition value that is an object: 'Syntax errors in policy.' (E moto #50; "
        f"{RN} §1.2 #4).", f"{RN} §1.2 #4; moto invalid #50", SYNTAX)
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"DateGreaterThan": {"aws:CurrentTime": "yesterday"}}}'])
    add("identity-condition-bad-date", "identity", p, False,
        "A Date... value that is neither ISO 8601 nor epoch seconds fails IAM's legacy parser (E "
        f"moto #64; {RN} §1.2 #6).", f"{RN} §1.2 #6; moto invalid #64", LEGACY, '"yesterday"')
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59-05:00"}}}'])
    add("identity-condition-date-negative-offset", "identity", p, True,
        "An ISO 8601 date with a negative UTC offset is a valid date (the project's documented "
        f"choice, {VD} 'Deliberate choices'; the emulator's date parser rejects it).", f"{VD}; ISO 8601")

    srcq = f"{RN} §1.3; {UG}reference_iam-quotas.html"
    # 6,144 non-whitespace characters exactly, pretty-printed (whitespace not counted).
    def sized_identity(target, indent=True):
        head = '{"Version":"2012-10-17","Statement":[{"Sid":"'
        tail = '","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
        sid = "A" * (target - len(head) - len(tail))
        compact = head + sid + tail
        assert nonws(compact) == target
        if not indent:
            return compact
        return json.dumps(json.loads(compact), indent=8)
    p = sized_identity(6144)
    assert nonws(p) == 6144 and len(p) > 6144
    add("identity-size-6144-nonwhitespace-accepted", "identity", p, True,
        "Exactly 6,144 non-whitespace characters (with indentation making the text longer): the "
        "managed-policy quota counts characters without whitespace ('IAM doesn't count white "
        "space when calculating the size of a policy against this limit', D).", srcq)
    p = sized_identity(6145)
    add("identity-size-6145-nonwhitespace-rejected", "identity", p, False,
        "6,145 non-whitespace characters: LimitExceeded 'Cannot exceed quota for PolicySize: 6144' "
        "(V: docker/docs#5815, LBHackney-IT/Data-Platform#2116).", srcq, POLICY_SIZE)

    srcr = f"{RN} §1.2 #10-#19"
    p = P(['{"Effect": "Allow", "Resource": "*"}'])
    add("identity-no-action", "identity", p, False,
        "No Action/NotAction: 'Policy statement must contain actions.' (V aws/aws-cdk#7615).",
        srcr, NO_ACTIONS)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject"}'])
    add("identity-no-resource", "identity", p, False,
        "No Resource/NotResource: 'Policy statement must contain resources.' (V "
        "terraform-aws-modules/terraform-aws-iam#603).", srcr, NO_RESOURCES)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "amzn-s3-demo-bucket"}'])
    add("identity-resource-not-arn", "identity", p, False,
        "A resource without ':' that is not '*': 'Resource amzn-s3-demo-bucket must be in ARN "
        "format or \"*\".' (V felipefrizzo/terraform-aws-transfer-server#6). Position: the value.",
        srcr, 'Resource amzn-s3-demo-bucket must be in ARN format or "*".', '"amzn-s3-demo-bucket"')
    p = P(['{"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}'])
    add("identity-action-no-vendor", "identity", p, False,
        "An action without 'vendor:' (V, iam-facts §g; E moto #11). Position: the value.",
        srcr, VENDOR, '"s3GetObject"')
    p = P(['{"Effect": "Allow", "Action": "cleanrooms-ml:Start:AudienceGenerationJob", "Resource": "*"}'])
    add("identity-action-two-colons", "identity", p, False,
        "An action with two colons: 'Actions/Condition can contain only one colon.' (V "
        "garnaat/kappa#111).", srcr, ONE_COLON, '"cleanrooms-ml:Start:AudienceGenerationJob"')
    p = P(['{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:cleanrooms/x"}'])
    add("identity-iam-resource-bad-type", "identity", p, False,
        "An IAM ARN whose resource part is not a known IAM resource type: the 2026 IAM wording "
        "with '\"*\", root,' (V: PutRolePolicy and CreatePolicyVersion responses, 2026).",
        srcr, IAM_PATH, '"arn:aws:iam::111122223333:cleanrooms/x"')
    p = P(['{"Effect": "Allow", "Action": "cleanrooms:GetCollaboration", '
           '"Resource": "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/*"}',
           '{"Effect": "Allow", "NotAction": "cleanrooms:StartProtectedQuery", "NotResource": '
           '"arn:aws:cleanrooms:us-east-1:111122223333:membership/*"}'])
    add("identity-cleanrooms-valid", "identity", p, True,
        "A well-formed Clean Rooms identity policy with Action/Resource and NotAction/NotResource.",
        f"{UG}reference_policies_grammar.html")
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}'])
    add("identity-action-and-notaction", "identity", p, False,
        "Both Action and NotAction in one statement: 'Syntax errors in policy.' (E moto #61).",
        f"{RN} §1.2 #4; moto invalid #61", SYNTAX)
    p = '{"Version": "2012-10-17", "Statement": []}'
    add("identity-statement-empty", "identity", p, False,
        "An empty Statement list: 'Syntax errors in policy.' (E moto #26).",
        f"{RN} §1.2 #4; moto invalid #26", SYNTAX)
    p = '{"Version": "2012-10-17", "Statement": ' + S3_ALLOW + '}'
    add("identity-statement-single-object", "identity", p, True,
        "Statement as a single object (not a list) is allowed by the grammar and the docs' "
        "examples (D; E moto valid #0).", f"{UG}reference_policies_elements_statement.html")
    p = P(['{"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": ["arn:aws:kms:*:111122223333:key/*", null]}'])
    add("identity-resource-null-entry", "identity", p, True,
        f"A null inside a Resource list is ignored (E moto valid #41; {VD} 'Deliberate choices').",
        f"{VD}; moto valid #41")

    srcp = f"{VD} stage 1; {RN} §1.1; {UG}reference_iam-quotas.html (allowed characters)"
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/€/*"}'])
    add("identity-char-euro-rejected", "identity", p, False,
        "'€' (U+20AC) is outside the policyDocument pattern [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+ "
        "(D, IAM API model): rejected before parsing with the generic ValidationError text (I: AWS's "
        "generic 'Value ... at 'policyDocument' failed to satisfy constraint' form). Position: the "
        "character.", srcp, PATTERN, "€")
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/café/*"}'])
    add("identity-char-e-acute-accepted", "identity", p, True,
        "'é' (U+00E9) is inside U+0020-U+00FF and therefore allowed (D).", srcp)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/\\u20ac/*"}'])
    add("identity-char-euro-escaped-accepted", "identity", p, True,
        "The same '€' written as the JSON escape \\u20ac: the document text is pure ASCII and "
        "passes the character pattern (which applies to the text as sent); the decoded resource "
        "is a well-formed S3 ARN. I -- follows from the documented pattern.", srcp)
    p = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
         '"Resource": "arn:aws:s3:::amzn-s3-demo-bucket/ééé/*", "Condition": {"StringEquals": '
         '{"aws:username": "zoë",}}}]}')
    add("identity-column-counts-characters", "identity", p, False,
        "A trailing comma after two-byte characters on the same line: columns count characters, "
        "not bytes. Invalid JSON -> 'Syntax errors in policy.'.", f"docs/case-format.md; {RN} §1.2 #2",
        SYNTAX, ('"zoë",', 0, 5))
    p = '{\r\n\t"Version": "2012-10-17",\r\n\t"Statement": [\r\n\t\t' + S3_ALLOW + ',\r\n\t]\r\n}'
    add("identity-crlf-and-tabs-position", "identity", p, False,
        "CRLF line ends and tab indentation: a CRLF is one line break and a tab is one column. "
        "Trailing comma after the statement on line 4 -> 'Syntax errors in policy.'.",
        f"docs/case-format.md; {RN} §1.2 #2", SYNTAX, (4, 3 + len(S3_ALLOW)))
    assert pos(p, "},\r\n", 0, 1) == (4, 3 + len(S3_ALLOW))
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::amzn-s3-demo-bucket"}'])
    add("identity-resource-legacy-double-colon", "identity", p, False,
        "'arn:aws:s3::bucket' ('::' and fewer than five colons): 'The policy failed legacy parsing' "
        f"(V/E, {RN} §1.2 #6). Position: the resource value.", f"{RN} §1.2 #6; moto invalid #36",
        LEGACY, '"arn:aws:s3::amzn-s3-demo-bucket"')

    # ------------------------------------------------------------------ boundary
    srcb = f"{RN} §4; {UG}access_policies_boundaries.html"
    p = P(['{"Effect": "Allow", "Action": ["cleanrooms:*", "cleanrooms-ml:*"], "Resource": "*"}',
           '{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}'])
    add("boundary-valid", "boundary", p, True,
        "A permissions boundary is a managed policy: this well-formed document is accepted.", srcb)
    p = P(['{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}'])
    add("boundary-principal-forbidden", "boundary", p, False,
        "A boundary is validated as a managed policy (CreatePolicy): Principal is rejected with "
        "'Policy document should not specify a principal.' (D/I, §4 applies §1 verbatim).",
        srcb, NO_PRINCIPAL)
    add("boundary-version-missing", "boundary", P([S3_ALLOW], version=None), False,
        "Boundary without Version: managed-policy rule -> 'Policy document must be version "
        "2012-10-17 or greater.'.", srcb + f"; {RN} §1.2 #5", VERSION)
    p = P(['{"Sid": "Boundary-1", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}'])
    add("boundary-sid-hyphen", "boundary", p, False,
        "Boundary Sid with a hyphen: IAM Sid rule.", srcb + f"; {RN} §1.2 #8", SID_CHARS, '"Boundary-1"')
    p = sized_identity(6145, indent=False)
    add("boundary-size-over-quota", "boundary", p, False,
        "6,145 non-whitespace characters: over the managed-policy quota.", srcb + f"; {RN} §1.3",
        POLICY_SIZE)

    # ------------------------------------------------------------------ trust
    src3 = f"{RN} §3; {UG}id_roles_create_for-service.html"
    cr_deputy = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n'
                 '      "Effect": "Allow",\n      "Principal": {"Service": "cleanrooms.amazonaws.com"},\n'
                 '      "Action": "sts:AssumeRole",\n      "Condition": {\n'
                 '        "StringEquals": {"aws:SourceAccount": "111122223333"},\n'
                 '        "ArnLike": {"aws:SourceArn": "arn:aws:cleanrooms:us-east-1:111122223333:membership/*"}\n'
                 '      }\n    }\n  ]\n}')
    add("trust-cleanrooms-confused-deputy-valid", "trust", cr_deputy, True,
        "Clean Rooms service-role trust policy with confused-deputy conditions (aws:SourceAccount, "
        "aws:SourceArn on membership/*), as AWS recommends.",
        "https://docs.aws.amazon.com/clean-rooms/latest/userguide/cross-service-confused-deputy-prevention.html; "
        + src3)
    p = P([trust_stmt('{"Service": "cleanrooms-ml.amazonaws.com"}', '"sts:AssumeRole"')[:-1] +
           ', "Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333"]}, '
           '"ArnLike": {"aws:SourceArn": "arn:aws:cleanrooms-ml:us-east-1:111122223333:training-dataset/*"}}}'])
    add("trust-cleanrooms-ml-valid", "trust", p, True,
        "Clean Rooms ML service-role trust policy (cleanrooms-ml.amazonaws.com) with "
        "confused-deputy conditions.", "seed 000 'Create a service role to read training data'; " + src3)
    add("trust-version-missing-accepted", "trust", '{"Statement": [' + CR_TRUST_STMT + ']}', True,
        "Trust policies need no Version (V: hashicorp/terraform-provider-aws#4248 example without "
        "Version works); moto's requirement is an emulator artefact.", src3)
    add("trust-version-2008-accepted", "trust", P([CR_TRUST_STMT], version="2008-10-17"), True,
        "Trust policies accept Version 2008-10-17 (V: hashicorp/terraform#7076).", src3)
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, '
           '"Action": "sts:AssumeRole", "Resource": "*"}'])
    add("trust-resource-prohibited", "trust", p, False,
        "Resource in a trust policy: 'Has prohibited field Resource' (no period; V "
        "kubernetes-sigs/external-dns#3085, hashicorp/terraform#34231).", src3, TRUST_RESOURCE)
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, '
           '"Action": "sts:AssumeRole", "NotResource": "arn:aws:s3:::x"}'])
    add("trust-notresource-prohibited", "trust", p, False,
        "NotResource in a trust policy: prohibited like Resource (research note §3 row 2 'Resource "
        "(or NotResource)'); the exact field name in the message is unverified, so only 'Has "
        "prohibited field' is asserted.", src3, "Has prohibited field")
    p = P([trust_stmt(action='"s3:GetObject"')])
    add("trust-action-not-sts", "trust", p, False,
        "A non-STS action in a trust policy: 'AssumeRole policy may only specify STS AssumeRole "
        "actions.' (V hashicorp/terraform-provider-aws#32872). Position: the action.",
        src3, TRUST_ACTION, '"s3:GetObject"')
    p = P([trust_stmt(action='["sts:AssumeRole", "sts:TagSessions"]')])
    add("trust-action-typo-tagsessions", "trust", p, False,
        "'sts:TagSessions' (typo) is not in the AssumeRole family: the exact case of the verified "
        "report (V terraform-provider-aws#32872).", src3, TRUST_ACTION, '"sts:TagSessions"')
    p = P([trust_stmt(action='"sts:GetCallerIdentity"')])
    add("trust-action-sts-not-assumerole", "trust", p, False,
        "An STS action outside the AssumeRole family.", src3, TRUST_ACTION, '"sts:GetCallerIdentity"')
    p = P([trust_stmt(action='["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]')])
    add("trust-tagsession-setsourceidentity-accepted", "trust", p, True,
        "sts:TagSession and sts:SetSourceIdentity are allowed next to sts:AssumeRole (D/V: moto#5750 "
        "reports SetSourceIdentity working on AWS; IAM docs on session tags require sts:TagSession "
        "in the trust policy).", src3 + f"; {UG}id_session-tags.html")
    p = P(['{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, '
           '"Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": '
           '{"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-1234-1234-1234-123456789012"}}}'])
    add("trust-web-identity-accepted", "trust", p, True,
        "sts:AssumeRoleWithWebIdentity with a Federated identity provider.", src3)
    p = P(['{"Effect": "Allow", "Action": "sts:AssumeRole"}'])
    add("trust-no-principal", "trust", p, False,
        "A trust statement without Principal (V terraform-aws-modules/terraform-aws-iam#47).",
        src3, TRUST_NO_PRINCIPAL)
    p = P(['{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}'])
    add("trust-principal-star", "trust", p, False,
        "'\"Principal\": \"*\"' in a trust policy: 'AssumeRolepolicy contained an invalid principal: "
        "\"STAR\":\"*\".' (V 2018-2020: terraform-provider-aws#4248, aws-cdk#5732; research note "
        "open question 3 asks whether it is still rejected). Position: the value.",
        src3, TRUST_STAR, '"*"')
    p = P(['{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", '
           '"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}'])
    add("trust-principal-aws-star-accepted", "trust", p, True,
        "'{\"AWS\": \"*\"}' is accepted in a trust policy (same reports as the bare-star case).", src3)
    p = P([trust_stmt('{"Service": "amazonaws.com"}')])
    add("trust-service-malformed", "trust", p, False,
        "Malformed service principal: 'Invalid principal in policy: \"SERVICE\":\"amazonaws.com\"' "
        "(V aws-samples/aws-cdk-examples#801; the type key is upper-cased). Position: the value.",
        src3, 'Invalid principal in policy: "SERVICE":"amazonaws.com"', '"amazonaws.com"')
    p = P([trust_stmt('{"AWS": "arn:aws:iam::*:role/x"}')])
    add("trust-aws-arn-wildcard", "trust", p, False,
        "A wildcard inside a principal ARN: '*' 'cannot [be used] to specify part of a name or ARN' "
        "(D); message by the pattern of the verified invalid-principal texts (I).",
        src3 + f"; {UG}reference_policies_elements_principal.html",
        'Invalid principal in policy: "AWS":"arn:aws:iam::*:role/x"', '"arn:aws:iam::*:role/x"')
    p = P([trust_stmt('{"AWS": ["accountA"]}')])
    add("trust-aws-placeholder-account", "trust", p, False,
        "'accountA' (seed 002's placeholder) is neither an account id nor an ARN: 'Invalid principal "
        "in policy: \"AWS\":\"accountA\"' (message form V, e.g. databrickslabs/ucx#2269).",
        src3, 'Invalid principal in policy: "AWS":"accountA"', '"accountA"')
    p = P([trust_stmt('{"AWS": "arn:aws:iam::111122223333:group/Admins"}')])
    add("trust-aws-group-arn", "trust", p, False,
        "An IAM group cannot be a principal (V aws/aws-cdk#11505).",
        src3, 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:group/Admins"',
        '"arn:aws:iam::111122223333:group/Admins"')
    p = P([trust_stmt('{"AWS": ["111122223333", "arn:aws:iam::444455556666:root"]}')])
    add("trust-aws-account-and-root-accepted", "trust", p, True,
        "An account id and an account root ARN are valid AWS principals.",
        src3 + f"; {UG}reference_policies_elements_principal.html")
    p = P(['{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}'])
    add("trust-notprincipal", "trust", p, False,
        "NotPrincipal cannot be used in a role trust policy (D, NotPrincipal page). Exact text "
        f"unverified ({RN} §3: recommended 'statement with no principals'); asserted prefix only.",
        src3 + f"; {UG}reference_policies_elements_notprincipal.html", "Invalid principal in policy")
    p = P([trust_stmt(extra='"Sid": "Clean_Rooms", ')])
    add("trust-sid-underscore", "trust", p, False,
        "Sid with '_' in a trust policy (V behaviour: ministryofjustice/analytical-platform#8486; "
        "message as for identity, I).", src3, SID_CHARS, '"Clean_Rooms"')
    p = P([trust_stmt(extra='"Sid": "A", '), trust_stmt('{"Service": "cleanrooms-ml.amazonaws.com"}', extra='"Sid": "A", ')])
    add("trust-sid-duplicate", "trust", p, False,
        "Duplicate Sids in a trust policy (PutRolePolicy/UpdateAssumeRolePolicy share the rule, V "
        "kubernetes/kops#4951 for a role policy).", src3 + f"; {RN} §1.2 #7", SID_DUP, ('"A"', 1))
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:AssumeRole",}'])
    add("trust-invalid-json-trailing-comma", "trust", p, False,
        "Invalid JSON in a trust policy: 'This policy contains invalid Json' (V AWSCookbook/Security#2, "
        "aws-samples/aws-microservices-deploy-options#118). Position: the comma.",
        src3, TRUST_JSON, ('"sts:AssumeRole",', 0, 16))
    add("trust-not-json", "trust", "cleanrooms-trust-policy.json", False,
        "A file name instead of a document (the CLI without file://): 'This policy contains invalid "
        "Json' (V brendanhay/amazonka#434).", src3, TRUST_JSON)
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:AssumeRole", '
           '"Condition": {"StringEquals": {"aws:SourceAccount": unquoted}}}'])
    add("trust-unquoted-value", "trust", p, False,
        "An unquoted string value: invalid JSON -> 'This policy contains invalid Json' (V "
        "awsdocs/amazon-rds-user-guide#162). Position: the 'u'.", src3, TRUST_JSON, "unquoted")
    p = P(['{"Effect": "Permit", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:AssumeRole"}'])
    add("trust-shape-error", "trust", p, False,
        "Valid JSON with a grammar error (Effect 'Permit'): trust policies answer shape errors with "
        f"'Syntax errors in policy.' ({VD} messages table; {RN} §9).", f"{VD}; {RN} §9", SYNTAX, '"Permit"')
    p = P([trust_stmt('{"Service": "cleanrooms.amazonaws.com"}')[:-1] + ', "Condition": {"StringEquals": '
           '{"aws:SourceArn": [' + ", ".join(
               f'"arn:aws:cleanrooms:us-east-1:111122223333:membership/{i:036d}"' for i in range(30)) + ']}}}'])
    assert nonws(p) > 2048
    add("trust-size-over-2048", "trust", p, False,
        f"A trust policy over the default 2,048-character quota ({nonws(p)} non-whitespace "
        "characters): LimitExceeded 'Cannot exceed quota for ACLSizePerRole: 2048' (V aws/aws-cdk#18564).",
        src3 + f"; {UG}reference_iam-quotas.html", TRUST_SIZE)
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:AssumeRole", '
           '"Condition": {"StringEquals": {"sts:ExternalId": "clé-🔑"}}}'])
    add("trust-char-emoji-rejected", "trust", p, False,
        "An emoji (U+1F511) is outside the AssumeRolePolicyDocument pattern: rejected before parsing "
        "(D pattern, I message form; the member name differs between CreateRole and "
        "UpdateAssumeRolePolicy, so only the constraint text is asserted). Position: the emoji "
        "('é' before it is allowed).", f"{RN} §1.1", PATTERN, "🔑")
    p = "ï»¿" + P([CR_TRUST_STMT])
    add("trust-utf8-bom-as-latin1", "trust", p, False,
        "A UTF-8 BOM read as Latin-1 ('ï»¿', all inside U+0020-U+00FF) passes the character "
        "pattern and makes the text invalid JSON: 'This policy contains invalid Json' (V: BOM "
        "report, find_string id 55533837194). Position: line 1 col 1.", f"{RN} §3 row 1", TRUST_JSON, (1, 1))

    # ------------------------------------------------------------------ resource
    srcR = f"{RN} §2.1-§2.3; {VD} resource row"
    cam = ('{"Version": "2012-10-17", "Statement": [{"Sid": "Clean-Rooms-CAMA-ID", "Effect": "Allow", '
           '"Principal": {"AWS": "111122223333"}, "Action": "cleanrooms-ml:StartAudienceGenerationJob", '
           '"Resource": ["arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id", '
           '"arn:aws:cleanrooms-ml:us-east-1:444455556666:audience-generation-job/*"], '
           '"Condition": {"StringEquals": {"cleanrooms-ml:CollaborationId": "UUID"}}}]}')
    add("resource-cam-policy-valid-sid-hyphens", "resource", cam, True,
        "Configured-audience-model policy as printed by AWS (seed 001): Sid with hyphens is accepted "
        "in resource policies (no Sid character rule; S3/KMS/ECR accept spaces, V/D).", srcR)
    p = cam.replace('"Clean-Rooms-CAMA-ID"', '"Clean Rooms CAMA policy"')
    add("resource-sid-spaces-accepted", "resource", p, True,
        "Sid with spaces in a resource policy (S3 and KMS accept spaces, AWS's own examples use them; "
        f"{RN} §2.1 'Sid').", srcR)
    p = cam.replace('"Principal": {"AWS": "111122223333"}, ', "")
    add("resource-missing-principal", "resource", p, False,
        "A resource-policy statement without Principal: 'Missing required field Principal' (V "
        "hashicorp/terraform#28688; Kinesis 'Policy validation error: Missing required field "
        "Principal').", srcR, RES_NO_PRINCIPAL)
    p = cam.replace('"Principal": {"AWS": "111122223333"}', '"NotPrincipal": {"AWS": "111122223333"}')
    add("resource-notprincipal-with-allow", "resource", p, False,
        "'NotPrincipal must be used with \"Effect\":\"Deny\". Using it with \"Effect\":\"Allow\" is not "
        "supported.' (D). No AWS rejection text recorded, so no message is asserted.",
        f"{UG}reference_policies_elements_notprincipal.html; {RN} §2")
    p = cam.replace('"AWS": "111122223333"', '"AWS": "accountA"')
    add("resource-invalid-principal", "resource", p, False,
        "Principal AWS 'accountA': 'Invalid principal in policy' (V for S3, cloud-custodian#4948). "
        "Position: the value.", srcR, RES_BAD_PRINCIPAL, '"accountA"')
    p = cam.replace('"AWS": "111122223333"', '"AWS": "arn:aws:iam::111122223333:role/*"')
    add("resource-principal-arn-wildcard", "resource", p, False,
        "A wildcard inside a principal ARN is not allowed ('You cannot use it to specify part of a "
        "name or ARN', D): 'Invalid principal in policy'.", srcR + f"; {UG}reference_policies_elements_principal.html",
        RES_BAD_PRINCIPAL, '"arn:aws:iam::111122223333:role/*"')
    p = cam.replace('"arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id"',
                    '"configured-audience-model/id"')
    add("resource-resource-not-arn", "resource", p, False,
        "A resource that is not an ARN: 'Policy has invalid resource' (V for S3, "
        "aws-samples/aws-serverless-appsync-app#4). Position: the value.", srcR, RES_BAD_RESOURCE,
        '"configured-audience-model/id"')
    p = cam.replace('"Effect": "Allow", ', "")
    add("resource-missing-effect", "resource", p, False,
        "No Effect: 'Missing required field Effect' (V, DynamoDB's shared parser, §2.2).", srcR,
        "Missing required field Effect")
    p = cam.replace('"Resource": ["arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id", '
                    '"arn:aws:cleanrooms-ml:us-east-1:444455556666:audience-generation-job/*"], ', "")
    add("resource-missing-resource", "resource", p, False,
        "No Resource: 'Statement is missing required element' (V for S3, aws/aws-cdk#6708).", srcR,
        "Statement is missing required element")
    add("resource-statement-empty", "resource", '{"Version": "2012-10-17", "Statement": []}', False,
        "Empty Statement list: 'Could not parse the policy: Statement is empty!' (V DynamoDB 2026-10-09).",
        srcR, "Could not parse the policy: Statement is empty!")
    add("resource-empty-object", "resource", "{}", False,
        "'{}': 'Syntax error at position (1,3)' (V DynamoDB's shared parser, 2026-10-09; assumed the "
        "same parser for Clean Rooms ML, I).", srcR, "Syntax error at position (1,3)")
    add("resource-null", "resource", "null", False,
        "'null': 'This text appears not to be a policy' (V DynamoDB 2026-10-09).", srcR,
        "This text appears not to be a policy")
    add("resource-top-level-array", "resource", "[]", False,
        "'[]': 'This policy contains invalid Json' (V DynamoDB 2026-10-09).", srcR, RES_JSON)
    p = cam[:-3] + ",}]}"
    add("resource-trailing-comma", "resource", p, False,
        "Trailing comma at the end of the statement: invalid JSON -> 'This policy contains invalid "
        "Json'. Position: the comma.", srcR, RES_JSON, (1, len(cam) - 2))
    p = cam.replace('"AWS": "111122223333"', '"Service": "cleanrooms-ml.amazonaws.com"')
    add("resource-service-principal-accepted", "resource", p, True,
        "A service principal in a resource policy is well formed.", srcR)

    # ------------------------------------------------------------------ session
    srcS = f"{RN} §5; https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
    p = P(['{"Effect": "Allow", "Action": "cleanrooms:GetCollaboration", "Resource": "*"}'])
    add("session-valid", "session", p, True, "A well-formed session policy.", srcS)
    add("session-invalid-json", "session", "invalid policy", False,
        "Not JSON: 'The policy is not in the valid JSON format.' (V apache/hadoop assumed_roles.md; "
        "ansible amazon.aws tests until 2025; since Dec 2025 STS may return a Jackson parser text "
        "instead, ansible-collections/amazon.aws#2778).", srcS, SESSION_JSON)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}'])
    add("session-trailing-comma", "session", p, False,
        "Trailing comma: invalid JSON -> 'The policy is not in the valid JSON format.'. Position: the comma.",
        srcS, SESSION_JSON, ('"*",', 0, 3))
    p = P(['{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}'])
    add("session-principal-forbidden", "session", p, False,
        "Session policies are identity-style policies without Principal; no rejection text found, "
        f"the IAM text is used (I, {RN} §5).", srcS, NO_PRINCIPAL)
    p = P(['{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}'])
    add("session-shape-error", "session", p, False,
        "Valid JSON with a grammar error: 'Syntax errors in policy.' (V apache/hadoop assumed_roles.md).",
        srcS, SYNTAX, '"Permit"')
    base = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'])
    p = base[:-1] + " " * (2049 - len(base)) + "}"
    assert len(p) == 2049
    add("session-length-2049-with-whitespace", "session", p, False,
        "2,049 characters of which most are spaces: the STS Policy parameter is limited to 2,048 "
        "characters and whitespace counts (D, AssumeRole API reference; message form I).",
        srcS, "Member must have length less than or equal to 2048")
    p = base[:-1] + " " * (2048 - len(base)) + "}"
    assert len(p) == 2048
    add("session-length-2048-accepted", "session", p, True,
        "Exactly 2,048 characters: at the limit, accepted (packed size of this tiny policy is far "
        "below 100 %).", srcS)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/€"}'])
    add("session-char-euro-rejected", "session", p, False,
        "'€' is outside the STS Policy pattern [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+ (D): "
        "ValidationError (message form I).", srcS, PATTERN, "€")

    # ------------------------------------------------------------------ scp
    srcO = f"{RN} §6.1, §6.2; {ORG}orgs_manage_policies_scps_syntax.html"
    p = P(['{"Sid": "DenyLeaveOrg", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}'])
    add("scp-valid-deny", "scp", p, True, "A well-formed deny SCP.", srcO)
    p = P(['{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}'])
    add("scp-principal-forbidden", "scp", p, False,
        "SCPs do not support Principal ('Unsupported elements: NotPrincipal, Principal', D; V 2026 "
        "report with {\"AWS\":\"*\"}): the single generic Organizations text.", srcO, ORG_GENERIC)
    p = P(['{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}'])
    add("scp-notprincipal-forbidden", "scp", p, False, "NotPrincipal is unsupported in SCPs (D).",
        srcO, ORG_GENERIC)
    p = P(['{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'])
    add("scp-notresource-deny-accepted", "scp", p, True,
        "NotResource is supported in SCPs since the 2025-09-19 full-IAM-language update (D).", srcO)
    p = P(['{"Effect": "Allow", "Action": "cleanrooms:*", "NotResource": "arn:aws:cleanrooms:*:*:collaboration/*"}'])
    add("scp-notresource-allow-accepted", "scp", p, True,
        "NotResource with Allow is supported since 2025-09-19 (D, SCP syntax table).", srcO)
    p = P(['{"Effect": "Allow", "Action": "cleanrooms:*", "Resource": "*", '
           '"Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}'])
    add("scp-condition-with-allow-accepted", "scp", p, True,
        "Condition in an Allow statement: rejected before 2025-09-19 (V org-formation#225), allowed "
        "since (D, AWS Security Blog 'SCPs now support full IAM language').", srcO)
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}'])
    add("scp-allow-specific-resource-accepted", "scp", p, True,
        "A Resource other than '*' in an Allow statement is allowed since 2025-09-19 (D).", srcO)
    p = P(['{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}'])
    add("scp-notaction-allow-accepted", "scp", p, True,
        "NotAction with Allow is allowed since 2025-09-19 (D).", srcO)
    p = P(['{"Effect": "Deny", "Action": "iam:*Role", "Resource": "*"}'])
    add("scp-action-inner-wildcard-accepted", "scp", p, True,
        "A wildcard inside an action name is allowed since 2025-09-19 (D).", srcO)
    p = P(['{"Sid": "Deny-Leave", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}'])
    add("scp-sid-hyphen", "scp", p, False,
        "SCP Sids are limited to [A-Za-z0-9] (awsdocs/iam-user-guide#282): generic text.", srcO, ORG_GENERIC)
    p = P(['{"Effect": "Deny", "Action": "s3:*", "Resource": "*",}'])
    add("scp-invalid-json", "scp", p, False,
        "Invalid JSON in an SCP: the same generic Organizations text (V: 'Every content-rule "
        "violation observed returns the single generic text'). Position: the comma.",
        srcO, ORG_GENERIC, ('"*",', 0, 3))
    p = P(['{"Effect": "deny", "Action": "s3:*", "Resource": "*"}'])
    add("scp-effect-lowercase", "scp", p, False, "Effect must be Allow or Deny (case sensitive, D).",
        srcO, ORG_GENERIC, '"deny"')
    base = P(['{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}'])
    p = base[:-1] + "\n" + " " * (5121 - len(base) - 1) + "}"
    assert len(p) == 5121
    add("scp-size-5121-with-whitespace", "scp", p, False,
        "5,121 characters, most of them whitespace: 'All characters in your SCP count against its "
        "maximum size' (D) -> ConstraintViolationException 'You have exceeded the maximum policy "
        "size.' (V terraform-provider-aws#12597, org-formation#332).",
        srcO + f"; {ORG}orgs_reference_limits.html", ORG_SIZE)
    p = base[:-1] + "\n" + " " * (5120 - len(base) - 1) + "}"
    assert len(p) == 5120
    add("scp-size-5120-accepted", "scp", p, True, "Exactly 5,120 characters: accepted.",
        srcO + f"; {ORG}orgs_reference_limits.html")
    p = P(['{"Effect": "Deny", "Resource": "*"}'])
    add("scp-missing-action", "scp", p, False, "No Action: generic Organizations text.", srcO, ORG_GENERIC)

    # ------------------------------------------------------------------ rcp
    srcP = f"{RN} §6.3; {ORG}orgs_manage_policies_rcps_syntax.html"
    rcp_ok = ('{"Version": "2012-10-17", "Statement": [{"Sid": "EnforceOrgIdentities", "Effect": "Deny", '
              '"Principal": "*", "Action": ["s3:*", "sts:AssumeRole"], "Resource": "*", '
              '"Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}, '
              '"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}')
    add("rcp-valid-deny", "rcp", rcp_ok, True,
        "A well-formed customer RCP: Deny, Principal '*', service-prefixed actions, Condition.", srcP)
    add("rcp-principal-not-star", "rcp", rcp_ok.replace('"Principal": "*"', '"Principal": {"AWS": "111122223333"}'),
        False, "'You can only specify \"*\" in the Principal element of an RCP' (D); generic text (I).",
        srcP, ORG_GENERIC)
    add("rcp-principal-missing", "rcp", rcp_ok.replace('"Principal": "*", ', ""), False,
        "Principal is required in every RCP statement (D).", srcP, ORG_GENERIC)
    add("rcp-allow-customer", "rcp", rcp_ok.replace('"Effect": "Deny"', '"Effect": "Allow"'), False,
        "'For RCPs that you create, the value must be Deny' (D); Allow only in RCPFullAWSAccess.",
        srcP, ORG_GENERIC)
    full = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}'
    add("rcp-full-aws-access-shape-accepted", "rcp", full, True,
        "The RCPFullAWSAccess shape (Allow, Principal '*', Action '*', Resource '*'): 'The effect of "
        "Allow is only supported for the RCPFullAWSAccess policy' (D).", srcP)
    add("rcp-notaction", "rcp", rcp_ok.replace('"Action": ["s3:*", "sts:AssumeRole"]', '"NotAction": "kms:*"'),
        False, "NotAction is unsupported in RCPs (D).", srcP, ORG_GENERIC)
    add("rcp-action-star-in-deny", "rcp", rcp_ok.replace('"Action": ["s3:*", "sts:AssumeRole"]', '"Action": "*"'),
        False, "'You cannot use \"*\" in the Action element of a customer managed RCP' (D).",
        srcP, ORG_GENERIC)
    add("rcp-notprincipal", "rcp", rcp_ok.replace('"Principal": "*"', '"NotPrincipal": {"AWS": "111122223333"}'),
        False, "NotPrincipal is unsupported in RCPs (D).", srcP, ORG_GENERIC)
    add("rcp-notresource-accepted", "rcp",
        rcp_ok.replace('"Resource": "*"', '"NotResource": "arn:aws:s3:::amzn-s3-demo-bucket/public/*"'),
        True, "'Resource or NotResource' is required; NotResource is listed among RCP elements (D).", srcP)
    p = rcp_ok[:-1] + " " * (5121 - len(rcp_ok)) + "}"
    assert len(p) == 5121
    add("rcp-size-5121-with-whitespace", "rcp", p, False,
        "RCP size 5,120 characters, whitespace counted ('All characters in your RCP count against "
        "its maximum size', D).", srcP + f"; {ORG}orgs_reference_limits.html", ORG_SIZE)
    return C


# =============================================================================================
# 3. parser-limits.json
# =============================================================================================

def limits_cases():
    stem = "parser-limits"
    C = []

    def add(slug, kind, policy, valid, description, source, message=None, at=None):
        C.append(case(stem, slug, kind, policy, valid, description, source, message, at))

    srcp = f"{VD} stage 1 and 'Parser limits'; {RN} §1.1, §1.2 #1-#4"
    p = P(['{"Sid": "A\x00B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-raw-nul-in-string", "identity", p, False,
        "A raw NUL character (U+0000) inside a string. Per the documented stage order (Input before "
        "Syntax) it is outside the policyDocument pattern [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+ and is "
        "rejected before JSON parsing with the ValidationError text (D pattern, I message form); "
        "it would also be a JSON error (raw control character in a string). Position: the NUL.",
        srcp, PATTERN, "\x00")
    p = P(['{"Sid": "A\x00B", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}'])
    add("scp-raw-nul-in-string", "scp", p, False,
        "A raw NUL inside a string in an SCP: Organizations' Content pattern is [\\s\\S]* (D), so "
        "the document reaches the JSON parser, where an unescaped control character is a syntax "
        "error (RFC 8259 §7) -> the generic Organizations text. Position: the NUL.",
        f"{RN} §6.1; RFC 8259 §7", ORG_GENERIC, "\x00")
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a\tb"}'])
    add("identity-raw-tab-in-string", "identity", p, False,
        "A raw TAB inside a string: allowed by the character pattern (U+0009) but JSON requires "
        "control characters in strings to be escaped (RFC 8259 §7) -> invalid JSON, 'Syntax errors "
        "in policy.'. Position: the tab.", "RFC 8259 §7; " + srcp, SYNTAX, "\t")
    add("trust-raw-newline-in-string", "trust", P(['{"Effect": "Allow", "Principal": {"Service": '
        '"cleanrooms.amazonaws.com\n"}, "Action": "sts:AssumeRole"}']), False,
        "A raw line feed inside a string of a trust policy: invalid JSON -> 'This policy contains "
        "invalid Json'. Position: the line feed (end of line 1).", "RFC 8259 §7; " + f"{RN} §3",
        TRUST_JSON, "\n")
    p = P(['{"Effect": "Allow", "Action": "s3:Get\\x4fbject", "Resource": "*"}'])
    add("identity-invalid-escape-x", "identity", p, False,
        "'\\x4f' is not a JSON escape (only \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX): invalid JSON -> "
        "'Syntax errors in policy.'.", "RFC 8259 §7; " + srcp, SYNTAX)
    p = P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:Assume\\u00GRole"}'])
    add("trust-invalid-unicode-escape", "trust", p, False,
        "'\\u00GR' is an incomplete \\u escape: invalid JSON -> 'This policy contains invalid Json'.",
        "RFC 8259 §7; " + f"{RN} §3", TRUST_JSON)
    p = P(['{"Sid": "A\\u002DB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-escaped-hyphen-in-sid", "identity", p, False,
        "Escapes are decoded before the rules apply: Sid 'A\\u002DB' is 'A-B', which breaks the "
        "alphanumeric Sid rule. I -- follows from JSON semantics.", f"{RN} §1.2 #8", SID_CHARS)
    p = P(['{"Effect": "Allow", "Action": "s3:\\u0047etObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket\\/*"}'])
    add("identity-valid-escapes-decoded", "identity", p, True,
        "'s3:\\u0047etObject' is 's3:GetObject' and '\\/' is '/': valid escapes, valid policy.",
        "RFC 8259 §7")
    long_res = "arn:aws:s3:::amzn-s3-demo-bucket/" + "a" * 7000
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "' + long_res + '"}'])
    add("identity-very-long-string-over-quota", "identity", p, False,
        "One 7,033-character resource string: a long string is not a parser error, but the "
        "document exceeds the 6,144 managed-policy quota -> 'Cannot exceed quota for PolicySize: 6144'.",
        f"{RN} §1.3", POLICY_SIZE)
    long_cam = "arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/" + "a" * 15000
    p = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, '
         '"Action": "cleanrooms-ml:StartAudienceGenerationJob", "Resource": "' + long_cam + '"}]}')
    assert len(p) < 20480
    add("resource-very-long-string-under-quota", "resource", p, True,
        f"A 15,000+-character resource string in a {len(p)}-character resource policy (under the "
        "20,480 configuredAudienceModelPolicy length, D): long strings are fine.", f"{RN} §2.3")
    p = P(['{"Sid": "' + "A" * 131100 + '", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}'])
    add("identity-over-131072-characters", "identity", p, False,
        "Over 131,072 characters: the policyDocument parameter length constraint (1-131072, D) "
        "fails before parsing (ValidationError, message form I).", f"{RN} §1.1",
        "Member must have length less than or equal to 131072")
    nested = "[" * 100 + '"x"' + "]" * 100
    p = P(['{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
           '"Condition": {"StringEquals": {"aws:username": ' + nested + '}}}'])
    add("identity-100-nested-arrays-in-condition", "identity", p, False,
        "100 nested arrays as a condition value: a condition value must be a string/number/boolean "
        "or a list of them; whether the parser stops at a depth limit or the grammar check rejects "
        "the nested list, CreatePolicy answers 'Syntax errors in policy.' (E moto #42 for [[]] in "
        "Action; §1.2 #4).", srcp, SYNTAX)
    add("trust-100-nested-arrays-in-condition", "trust",
        P(['{"Effect": "Allow", "Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": '
           '"sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": ' + nested + '}}}']),
        False,
        "The same nesting in a trust policy is rejected; the message depends on whether AWS's JSON "
        "parser has a depth limit below 100 ('This policy contains invalid Json') or not ('Syntax "
        "errors in policy.' for the bad shape), so no message is asserted.", srcp)
    deep = "[" * 1000 + "]" * 1000
    add("identity-1000-nested-arrays-top-level", "identity", deep, False,
        "1,000 nested arrays as the whole document: not an object -> 'Syntax errors in policy.' "
        "(top-level array, V boto/boto3#180). Must not crash the parser.", srcp, SYNTAX)
    add("identity-empty-text", "identity", "", False,
        "Empty document: violates the policyDocument length minimum 1 (and the '+' pattern): "
        "ValidationError before parsing (D constraint, I message form).", f"{RN} §1.1, §9 row 1",
        "at 'policyDocument' failed to satisfy constraint: Member must")
    add("identity-only-whitespace", "identity", " \n\t\r\n  ", False,
        "Only whitespace: passes the character pattern and the length minimum, but is not JSON -> "
        "'Syntax errors in policy.'.", srcp, SYNTAX)
    add("trust-only-whitespace", "trust", "   \n  ", False,
        "Only whitespace as a trust policy: not JSON -> 'This policy contains invalid Json'.",
        f"{RN} §3", TRUST_JSON)
    add("identity-top-level-array", "identity", "[" + P([S3_ALLOW]) + "]", False,
        "A JSON array of policy objects: 'Syntax errors in policy.' (V boto/boto3#180, 2015).",
        f"{RN} §1.2 #4", SYNTAX)
    add("identity-null", "identity", "null", False,
        "The JSON literal null: 'Syntax errors in policy.' (V 99designs/iamy#74).", f"{RN} §1.2 #3", SYNTAX)
    add("identity-number", "identity", "2012", False,
        "A bare JSON number: valid JSON but not a policy object -> 'Syntax errors in policy.' "
        "(like the JSON string of moto #0).", f"{RN} §1.2 #1, #4; moto invalid #0", SYNTAX)
    add("identity-string", "identity", '"Version: 2012-10-17"', False,
        "A bare JSON string: 'Syntax errors in policy.' (E moto #0).", "moto invalid #0", SYNTAX)
    add("scp-top-level-array", "scp", "[]", False,
        "'[]' as an SCP: generic Organizations text.", f"{RN} §6.1", ORG_GENERIC)
    add("session-null", "session", "null", False,
        "'null' as a session policy: rejected; whether STS says 'not in the valid JSON format' "
        f"(one emulator) or 'Syntax errors in policy.' is unverified ({RN} §5), so no message.",
        f"{RN} §5")
    p = P([S3_ALLOW]) + " x"
    add("identity-trailing-garbage", "identity", p, False,
        "Text after the closing brace: not one JSON value (RFC 8259) -> 'Syntax errors in policy.'. "
        "Position: the 'x'.", "RFC 8259 §2; " + srcp, SYNTAX, (1, len(p)))
    p = P([S3_ALLOW]) + "\n\n  \t"
    add("identity-trailing-whitespace-ok", "identity", p, True,
        "Whitespace after the document is allowed by JSON.", "RFC 8259 §2")
    p = '{"Version": "2012-10-17", "Statement": [' + S3_ALLOW + ']'
    add("identity-unterminated-object", "identity", p, False,
        "Document ends before its closing brace: invalid JSON -> 'Syntax errors in policy.'.",
        srcp, SYNTAX)
    p = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*}]}'
    add("trust-unterminated-string", "trust", p.replace('"Action": "s3:GetObject"', '"Principal": {"Service": "cleanrooms.amazonaws.com"}, "Action": "sts:AssumeRole"'), False,
        "A string that never closes: invalid JSON -> 'This policy contains invalid Json'.",
        f"{RN} §3", TRUST_JSON)
    p = P(['{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", '
           '"Condition": {"NumericLessThan": {"s3:max-keys": 1e400}}}'])
    add("identity-huge-number-literal", "identity", p, True,
        "A number literal beyond double range (1e400) is still valid JSON (RFC 8259 §6 leaves range "
        "to implementations) and condition values may be bare numbers (D). I -- AWS's handling of "
        "out-of-range numbers is not documented.", "RFC 8259 §6; " + f"{UG}reference_policies_elements_condition_operators.html")
    return C


def write(name, cases):
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate ids"
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(cases, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    write("seed-policies.json", seed_cases())
    write("kinds.json", kinds_cases())
    write("parser-limits.json", limits_cases())
