//! The five Clean Rooms managed policies, pairwise: every witness re-evaluates as claimed
//! (and replays through the conformance runner), and the differences are the ones the
//! policy texts imply — expectations written by hand from reading the texts
//! (corpus/policies/managed), never computed by the comparison.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use iamcr_compare::{Comparison, Kind, Options, Verdict, compare, witness};
use iamcr_policy::Policy;
use std::collections::BTreeSet;

const NAMES: [&str; 5] = [
    "AWSCleanRoomsFullAccess",
    "AWSCleanRoomsFullAccessNoQuerying",
    "AWSCleanRoomsMLFullAccess",
    "AWSCleanRoomsMLReadOnlyAccess",
    "AWSCleanRoomsReadOnlyAccess",
];

fn policy(name: &str) -> Policy {
    let path = format!(
        "{}/../../corpus/policies/managed/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    iamcr_policy::parse(&text).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn run(old: &str, new: &str) -> Comparison {
    compare(&policy(old), &policy(new), &Options::default()).unwrap()
}

/// The catalogued actions of `service` among the differences.
fn actions(c: &Comparison, service: &str) -> BTreeSet<String> {
    c.differences
        .iter()
        .filter(|d| d.catalogued && d.action.split(':').next() == Some(service))
        .map(|d| d.action.split_once(':').unwrap().1.to_string())
        .collect()
}

fn services(c: &Comparison) -> BTreeSet<String> {
    c.differences
        .iter()
        .map(|d| d.action.split(':').next().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const IAM_FULL: [&str; 8] = [
    "PassRole",
    "ListRoles",
    "GetRole",
    "ListRolePolicies",
    "ListAttachedRolePolicies",
    "ListPolicies",
    "GetPolicy",
    "GetPolicyVersion",
];
const S3_FULL: [&str; 6] = [
    "ListAllMyBuckets",
    "GetBucketLocation",
    "ListBucketVersions",
    "ListBucket",
    "PutObject",
    "GetObject",
];
const LOGS_FULL: [&str; 11] = [
    "CreateLogDelivery",
    "GetLogDelivery",
    "UpdateLogDelivery",
    "DeleteLogDelivery",
    "ListLogDeliveries",
    "DescribeLogGroups",
    "CreateLogGroup",
    "DescribeResourcePolicies",
    "PutResourcePolicy",
    "StartQuery",
    "GetQueryResults",
];
const GLUE: [&str; 9] = [
    "GetDatabase",
    "GetDatabases",
    "GetTable",
    "GetTables",
    "GetPartition",
    "GetPartitions",
    "GetSchema",
    "GetSchemaVersion",
    "BatchGetPartition",
];

/// Every witness of every ordered pair re-evaluates as claimed; the first witness of each
/// service and resource type also replays, as a case file, through the conformance runner
/// (`cargo xtask conform` runs the same function).
#[test]
fn every_witness_holds_and_replays_through_the_runner() {
    let mut witnesses = 0;
    let mut replayed = 0;
    for old in NAMES {
        for new in NAMES {
            if old == new {
                continue;
            }
            let (po, pn) = (policy(old), policy(new));
            let c = compare(&po, &pn, &Options::default()).unwrap();
            let auth =
                |p: &Policy| iamcr_eval::Authorizer::new(&Kind::Identity.policy_set(p)).unwrap();
            let (ao, an) = (auth(&po), auth(&pn));
            let mut seen = BTreeSet::new();
            for d in &c.differences {
                let n = an.evaluate(&d.witness).decision;
                let o = ao.evaluate(&d.witness).decision;
                assert_eq!(
                    n,
                    iamcr_eval::Decision::Allowed,
                    "{old} -> {new}: {}",
                    d.action
                );
                assert_eq!(o, d.old_decision, "{old} -> {new}: {}", d.action);
                assert_ne!(
                    o,
                    iamcr_eval::Decision::Allowed,
                    "{old} -> {new}: {}",
                    d.action
                );
                witnesses += 1;
                let service = d.action.split(':').next().unwrap_or("");
                if !seen.insert((service.to_string(), d.resource_type.clone())) {
                    continue;
                }
                assert!(witness::holds(d, &po, &pn, Kind::Identity).unwrap());
                let id = witness::slug(&format!(
                    "{new} over {old} {} {}",
                    d.action, d.resource_type
                ));
                let json = witness::cases(d, &id, &po, &pn, Kind::Identity);
                let text = serde_json::to_string_pretty(&json).unwrap();
                let cases = iamcr::load::parse_cases(&text, std::path::Path::new("witness.json"))
                    .unwrap_or_else(|e| panic!("{id}: {e:?}"));
                assert_eq!(cases.len(), 2);
                for case in &cases {
                    let r = iamcr::run::run_one(case);
                    assert_eq!(r.status, iamcr::run::Status::Pass, "{id}: {:?}", r.reason);
                }
                replayed += 1;
            }
        }
    }
    // A check that can pass on zero inputs must fail instead.
    assert!(
        witnesses > 100 && replayed > 20,
        "{witnesses} witnesses, {replayed} replayed"
    );
}

#[test]
fn full_access_over_no_querying() {
    let c = run(
        "AWSCleanRoomsFullAccessNoQuerying",
        "AWSCleanRoomsFullAccess",
    );
    assert_eq!(c.verdict(), Verdict::NewAccess);
    // cleanrooms:* against a list of 46 and a Deny on querying; S3 only in FullAccess;
    // IAM, Glue and Logs statements are identical.
    assert_eq!(services(&c), set(&["cleanrooms", "s3"]));
    assert_eq!(actions(&c, "s3"), set(&S3_FULL));
    let cr = actions(&c, "cleanrooms");
    for a in [
        "StartProtectedQuery",
        "UpdateProtectedQuery",
        "CreateConfiguredAudienceModelAssociation",
        "PassMembership",
    ] {
        assert!(cr.contains(a), "{a} missing");
    }
    for a in [
        "GetCollaboration",
        "CreateCollaboration",
        "TagResource",
        "UpdateConfiguredTableReference",
    ] {
        assert!(!cr.contains(a), "{a} is allowed by both");
    }
    // The querying actions are explicitly denied by OLD's CleanRoomsNoQuerying.
    let q = c
        .differences
        .iter()
        .find(|d| d.action == "cleanrooms:StartProtectedQuery")
        .unwrap();
    assert_eq!(q.denied_by[0].sid.as_deref(), Some("CleanRoomsNoQuerying"));
    assert_eq!(q.allowed_by[0].sid.as_deref(), Some("CleanRoomsAccess"));
    // cleanrooms:* also grants cleanrooms actions the catalogue does not list.
    assert!(
        c.differences
            .iter()
            .any(|d| !d.catalogued && d.action.starts_with("cleanrooms:"))
    );
    // Writing query results needs aws:CalledVia = cleanrooms.amazonaws.com.
    let put = c
        .differences
        .iter()
        .find(|d| d.action == "s3:PutObject")
        .unwrap();
    let via = put.witness.context.get("aws:calledvia").unwrap();
    assert_eq!(via.values, ["cleanrooms.amazonaws.com"]);
}

#[test]
fn no_querying_grants_nothing_new_over_full_access() {
    let c = run(
        "AWSCleanRoomsFullAccess",
        "AWSCleanRoomsFullAccessNoQuerying",
    );
    assert_eq!(c.verdict(), Verdict::NoNewAccess, "{:?}", c.gaps);
}

#[test]
fn read_only_is_within_full_access() {
    let c = run("AWSCleanRoomsFullAccess", "AWSCleanRoomsReadOnlyAccess");
    assert_eq!(c.verdict(), Verdict::NoNewAccess, "{:?}", c.gaps);
    let c = run("AWSCleanRoomsReadOnlyAccess", "AWSCleanRoomsFullAccess");
    assert_eq!(services(&c), set(&["cleanrooms", "iam", "logs", "s3"]));
    assert_eq!(actions(&c, "iam"), set(&IAM_FULL));
    assert_eq!(actions(&c, "s3"), set(&S3_FULL));
    // StartQuery and GetQueryResults are in both.
    let logs: Vec<&str> = LOGS_FULL[..9].to_vec();
    assert_eq!(actions(&c, "logs"), set(&logs));
    let cr = actions(&c, "cleanrooms");
    assert!(cr.contains("CreateCollaboration") && cr.contains("StartProtectedQuery"));
    assert!(
        cr.iter()
            .all(|a| !a.starts_with("Get") && !a.starts_with("List") && !a.starts_with("BatchGet"))
    );
}

#[test]
fn ml_read_only_is_within_ml_full_access() {
    let c = run("AWSCleanRoomsMLFullAccess", "AWSCleanRoomsMLReadOnlyAccess");
    assert_eq!(c.verdict(), Verdict::NoNewAccess, "{:?}", c.gaps);
    let c = run("AWSCleanRoomsMLReadOnlyAccess", "AWSCleanRoomsMLFullAccess");
    assert_eq!(actions(&c, "iam"), set(&IAM_FULL));
    assert_eq!(actions(&c, "glue"), set(&GLUE));
    assert_eq!(
        actions(&c, "s3"),
        set(&["ListAllMyBuckets", "ListBucket", "GetBucketLocation"])
    );
    assert_eq!(
        actions(&c, "cleanrooms"),
        set(&[
            "BatchGetSchema",
            "CreateConfiguredAudienceModelAssociation",
            "TagResource"
        ])
    );
    // TagResource only on configured audience model associations.
    let tag: BTreeSet<&str> = c
        .differences
        .iter()
        .filter(|d| d.action == "cleanrooms:TagResource")
        .map(|d| d.resource_type.as_str())
        .collect();
    assert_eq!(
        tag,
        ["configuredaudiencemodelassociation"].into_iter().collect()
    );
    let ml = actions(&c, "cleanrooms-ml");
    assert!(ml.contains("StartAudienceGenerationJob") && ml.contains("DeleteTrainingDataset"));
    assert!(
        ml.iter()
            .all(|a| !a.starts_with("Get") && !a.starts_with("List"))
    );
    // ECR is not in the catalogue: its two literal actions appear by name.
    let ecr: BTreeSet<&str> = c
        .differences
        .iter()
        .filter(|d| d.action.starts_with("ecr:"))
        .map(|d| d.action.as_str())
        .collect();
    assert_eq!(
        ecr,
        ["ecr:DescribeRepositories", "ecr:ListImages"]
            .into_iter()
            .collect()
    );
}

#[test]
fn ml_read_only_against_read_only() {
    let c = run(
        "AWSCleanRoomsReadOnlyAccess",
        "AWSCleanRoomsMLReadOnlyAccess",
    );
    // Its cleanrooms actions are all Get/List (in ReadOnly's Get*/List*) but the two Pass*.
    assert_eq!(
        actions(&c, "cleanrooms"),
        set(&["PassCollaboration", "PassMembership"])
    );
    let ml = actions(&c, "cleanrooms-ml");
    assert!(ml.contains("GetTrainingDataset") && ml.contains("ListAudienceModels"));
    assert!(
        ml.iter()
            .all(|a| a.starts_with("Get") || a.starts_with("List"))
    );
    let c = run(
        "AWSCleanRoomsMLReadOnlyAccess",
        "AWSCleanRoomsReadOnlyAccess",
    );
    assert_eq!(services(&c), set(&["cleanrooms", "glue", "logs"]));
    assert_eq!(actions(&c, "glue"), set(&GLUE));
    assert_eq!(actions(&c, "logs"), set(&["StartQuery", "GetQueryResults"]));
    let cr = actions(&c, "cleanrooms");
    assert!(
        cr.contains("GetSchema")
            && cr.contains("BatchGetSchema")
            && cr.contains("GetAnalysisTemplate")
    );
    assert!(!cr.contains("GetCollaboration") && !cr.contains("ListMembers"));
}

#[test]
fn ml_full_access_against_full_access() {
    let c = run("AWSCleanRoomsFullAccess", "AWSCleanRoomsMLFullAccess");
    // PassRole to role/cleanrooms-ml* (FullAccess: service-role/*cleanrooms*); GetRole & co.
    // also on role/role/cleanrooms-ml*; GetPolicy on *cleanroomsml* is within *cleanrooms*.
    assert_eq!(
        actions(&c, "iam"),
        set(&[
            "PassRole",
            "GetRole",
            "ListRolePolicies",
            "ListAttachedRolePolicies"
        ])
    );
    assert_eq!(actions(&c, "s3"), set(&["ListBucket", "GetBucketLocation"]));
    assert!(actions(&c, "cleanrooms").is_empty());
    assert!(actions(&c, "glue").is_empty());
    assert!(services(&c).contains("cleanrooms-ml") && services(&c).contains("ecr"));
    let c = run("AWSCleanRoomsMLFullAccess", "AWSCleanRoomsFullAccess");
    assert_eq!(
        actions(&c, "iam"),
        set(&[
            "PassRole",
            "GetRole",
            "ListRolePolicies",
            "ListAttachedRolePolicies",
            "GetPolicy",
            "GetPolicyVersion"
        ])
    );
    assert_eq!(
        actions(&c, "s3"),
        set(&[
            "GetBucketLocation",
            "ListBucketVersions",
            "ListBucket",
            "PutObject",
            "GetObject"
        ])
    );
    assert_eq!(actions(&c, "logs"), set(&LOGS_FULL));
    assert!(actions(&c, "glue").is_empty());
    assert!(actions(&c, "cleanrooms").contains("StartProtectedQuery"));
    // PassRole: FullAccess's role, passed to cleanrooms.amazonaws.com.
    let pass = c
        .differences
        .iter()
        .find(|d| d.action == "iam:PassRole")
        .unwrap();
    let to = pass.witness.context.get("iam:passedtoservice").unwrap();
    assert_eq!(to.values, ["cleanrooms.amazonaws.com"]);
}

#[test]
fn a_policy_against_itself_is_no_new_access() {
    for name in NAMES {
        let c = run(name, name);
        assert_eq!(c.verdict(), Verdict::NoNewAccess, "{name}: {:?}", c.gaps);
        assert!(c.classes > 0, "{name}: nothing decided");
    }
}
