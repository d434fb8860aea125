#!/usr/bin/env python3
"""Convert ../../../shared/reference/malformed-policy-cases.json (the moto emulator's
iam:CreatePolicy test corpus) into case-format v1 validation cases.

Run once from this folder: python3 convert_moto.py /path/to/malformed-policy-cases.json
The output, moto-createpolicy.json, is checked in; deviations the project takes on purpose
are recorded in DEVIATIONS below and copied into each case's description.
"""
import json
import sys

SOURCE = ("getmoto/moto tests/test_iam/test_iam_policies.py @ 0af643a5dbfc98797f08ee64f5be3ef8002d56ff "
          "(file last changed 791ab546e901386b898c9bfc18557d62dbac1161), {list}[{i}]; "
          "emulator expectations of IAM CreatePolicy, Apache-2.0")

# Cases where the project follows AWS documentation or a verified AWS response instead of
# the emulator; key = (list, index).
DEVIATIONS = {
    ("invalid", 35): {
        "message": 'IAM resource path must either be "*", root, or start with user/',
        "why": "IAM's current wording includes '\"*\", root,' (seen in PutRolePolicy and "
               "CreatePolicyVersion responses in 2026, docs/research/validation-messages.md §1.2 #17); "
               "the emulator keeps the older text without 'root'.",
    },
    ("valid", 39): {
        "valid": False,
        "message": "Statement IDs (SID) must be alpha-numeric.",
        "why": "IAM rejects Sids outside [0-9A-Za-z] with 'Statement IDs (SID) must be alpha-numeric. "
               "Check that your input satisfies the regular expression [0-9A-Za-z]*' (CreatePolicy "
               "CloudTrail record 2021, cfn-lint#1376; docs: 'basic alphanumeric characters (A-Z,a-z,0-9) are "
               "the only allowed characters in the Sid value'); the emulator does not check Sid characters "
               "and accepts this Sid with underscores.",
    },
    ("valid", 40): {
        "valid": False,
        "message": "Statement IDs (SID) must be alpha-numeric.",
        "why": "Same as valid[39]: the Sid has underscores, which IAM rejects; the emulator does not check.",
    },
}

def main(path):
    data = json.load(open(path))
    cases = []
    for lst in ("invalid", "valid"):
        for i, c in enumerate(data[lst]):
            doc = c["document"] if isinstance(c, dict) and "document" in c else c
            text = json.dumps(doc)  # as the test sends it: Python's default separators
            expect = {"valid": lst == "valid"}
            desc = ("moto CreatePolicy corpus: IAM is expected to " +
                    ("accept this identity policy." if lst == "valid" else
                     "reject this identity policy with MalformedPolicyDocument: " + c["error_message"]))
            if lst == "invalid":
                expect["message"] = c["error_message"]
            dev = DEVIATIONS.get((lst, i))
            if dev:
                if "valid" in dev:
                    expect["valid"] = dev["valid"]
                expect["message"] = dev["message"]
                desc += " Deviation: " + dev["why"]
            cases.append({
                "id": f"moto-createpolicy-{lst}-{i:02d}",
                "description": desc,
                "source": SOURCE.format(list=lst, i=i),
                "policy_kind": "identity",
                "policy": text,
                "expect": expect,
            })
    with open("moto-createpolicy.json", "w") as f:
        json.dump(cases, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/reference/malformed-policy-cases.json")
