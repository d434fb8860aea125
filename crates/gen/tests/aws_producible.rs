#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure is the report"
)]
//! The generators make only what AWS can produce (`iamcr_gen::validity`): one test per rule,
//! each over every preset, each also counting the cases where the rule could have been
//! broken, so that it cannot pass on zero inputs. The checker itself is tested on cases built
//! by hand, one breaking case and one keeping case per rule.

use std::sync::OnceLock;

use iamcr_eval::{Context, PolicySet, Principal, Request};
use iamcr_gen::validity::{Rule, check, is_kms_key, key_carried};
use iamcr_gen::{GenCase, Generator, Preset, SeededCases, allow_all, is_iam_principal};
use iamcr_policy::PolicyKind;

const PRESETS: [Preset; 4] = [
    Preset::CleanRooms,
    Preset::WellFormed,
    Preset::AnythingGoes,
    Preset::Live,
];
const CASES: usize = 1_500;

/// The cases of a preset, generated once per test process.
fn cases(preset: Preset) -> &'static [GenCase] {
    static CASES_BY_PRESET: OnceLock<Vec<Vec<GenCase>>> = OnceLock::new();
    let all = CASES_BY_PRESET.get_or_init(|| {
        PRESETS
            .iter()
            .map(|&p| {
                let generator = Generator::preset(p).unwrap();
                SeededCases::new(generator, 7).take(CASES).collect()
            })
            .collect()
    });
    let i = PRESETS.iter().position(|&p| p == preset).unwrap();
    &all[i]
}

/// Over every preset: no case breaks `rule`; and at least `min` cases (over all presets) are
/// `exposed` to it.
fn holds(rule: Rule, exposed: impl Fn(&GenCase) -> bool, min: usize) {
    let mut at_risk = 0;
    for preset in PRESETS {
        let all = cases(preset);
        at_risk += all.iter().filter(|c| exposed(c)).count();
        for (i, c) in all.iter().enumerate() {
            let broken: Vec<_> = check(&c.policies, &c.request)
                .into_iter()
                .filter(|b| b.rule == rule)
                .collect();
            assert!(broken.is_empty(), "{preset} case {i}: {broken:?}");
        }
    }
    assert!(
        at_risk >= min,
        "only {at_risk} cases where {rule} could break"
    );
}

#[test]
fn every_rcp_level_has_rcp_full_aws_access() {
    holds(Rule::RcpFullAwsAccess, |c| c.policies.rcp.is_some(), 100);
}

#[test]
fn every_assumed_role_has_a_trust_policy() {
    holds(
        Rule::RoleTrustPolicy,
        |c| iamcr_gen::resource_policy_kind(&c.request) == Some(PolicyKind::Trust),
        10,
    );
}

#[test]
fn every_kms_key_has_a_key_policy() {
    holds(Rule::KmsKeyPolicy, |c| is_kms_key(&c.request.resource), 10);
}

#[test]
fn no_permissions_boundary_on_the_root_user() {
    holds(
        Rule::RootBoundary,
        |c| matches!(c.request.principal, Principal::Root { .. }),
        10,
    );
}

#[test]
fn no_identity_policies_on_principals_that_are_not_iam_identities() {
    holds(
        Rule::NonIamIdentityPolicy,
        |c| !is_iam_principal(&c.request.principal),
        10,
    );
}

#[test]
fn context_keys_are_ones_the_action_carries() {
    holds(
        Rule::ContextKeyNotCarried,
        |c| !c.request.context.entries().is_empty(),
        200,
    );
}

#[test]
fn generated_requests_still_carry_service_keys_where_the_action_has_them() {
    // The filter keeps what AWS sends: the Clean Rooms preset still sets
    // iam:PassedToService on iam:PassRole and sts:ExternalId on sts:AssumeRole.
    let all = cases(Preset::CleanRooms);
    for key in ["iam:PassedToService", "sts:ExternalId", "aws:SourceAccount"] {
        let lower = key.to_ascii_lowercase();
        assert!(
            all.iter().any(|c| c.request.context.get(&lower).is_some()),
            "{key} never set"
        );
    }
}

// The checker, on cases built by hand.

fn role_session() -> Principal {
    Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Analyst/s").unwrap()
}

fn rules(policies: &PolicySet, request: &Request) -> Vec<Rule> {
    check(policies, request)
        .into_iter()
        .map(|b| b.rule)
        .collect()
}

const COLLABORATION: &str = "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c1";

#[test]
fn checker_flags_an_rcp_level_without_full_access() {
    let req = Request::new(role_session(), "s3:GetObject", "arn:aws:s3:::b/k");
    let mut set = PolicySet::default();
    let guardrail = iamcr_policy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
    )
    .unwrap();
    set.rcp = Some(vec![
        vec![allow_all(PolicyKind::Rcp), guardrail.clone()],
        vec![guardrail],
    ]);
    assert_eq!(rules(&set, &req), [Rule::RcpFullAwsAccess]);
    set.rcp = Some(vec![vec![allow_all(PolicyKind::Rcp)]]);
    assert!(rules(&set, &req).is_empty());
}

#[test]
fn checker_flags_roles_and_keys_without_their_policies() {
    let assume = Request::new(
        role_session(),
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/CleanRoomsGlueRole",
    );
    assert_eq!(
        rules(&PolicySet::default(), &assume),
        [Rule::RoleTrustPolicy]
    );
    let key = Request::new(
        role_session(),
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    );
    assert_eq!(rules(&PolicySet::default(), &key), [Rule::KmsKeyPolicy]);
    let with = PolicySet {
        resource: Some(allow_all(PolicyKind::Resource)),
        ..PolicySet::default()
    };
    assert!(rules(&with, &key).is_empty());
}

#[test]
fn checker_flags_a_root_boundary_and_policies_on_a_service() {
    let root = Principal::from_arn("arn:aws:iam::111122223333:root").unwrap();
    assert!(matches!(root, Principal::Root { .. }));
    let set = PolicySet {
        boundary: Some(allow_all(PolicyKind::Boundary)),
        ..PolicySet::default()
    };
    let req = Request::new(root, "cleanrooms:GetCollaboration", COLLABORATION);
    assert_eq!(rules(&set, &req), [Rule::RootBoundary]);
    let service = Principal::Service("cleanrooms.amazonaws.com".into());
    let mut set = PolicySet::default();
    set.identity.push(allow_all(PolicyKind::Identity));
    let req = Request::new(service, "cleanrooms:GetCollaboration", COLLABORATION);
    assert_eq!(rules(&set, &req), [Rule::NonIamIdentityPolicy]);
}

#[test]
fn checker_knows_which_keys_an_action_carries() {
    let cat = iamcr_cleanrooms::Catalogue::load().unwrap();
    let object = "arn:aws:s3:::b/k";
    let bucket = "arn:aws:s3:::b";
    // A global key: any action.
    assert!(key_carried(cat, "s3:GetObject", object, "aws:SourceIp"));
    // s3:prefix belongs to ListBucket, not GetObject.
    assert!(key_carried(cat, "s3:ListBucket", bucket, "s3:prefix"));
    assert!(!key_carried(cat, "s3:GetObject", object, "s3:prefix"));
    // Tag keys only where listed: CreateCollaboration takes request tags, GetCollaboration
    // does not; both have the collaboration's resource tags.
    let create = "cleanrooms:CreateCollaboration";
    assert!(key_carried(cat, create, "*", "aws:RequestTag/project"));
    assert!(!key_carried(
        cat,
        "cleanrooms:GetCollaboration",
        COLLABORATION,
        "aws:RequestTag/project"
    ));
    assert!(key_carried(
        cat,
        "cleanrooms:GetCollaboration",
        COLLABORATION,
        "aws:ResourceTag/team"
    ));
    assert!(!key_carried(cat, "sts:TagSession", "*", "sts:ExternalId"));
    assert!(key_carried(
        cat,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/R",
        "sts:ExternalId"
    ));
    // Unknown keys and actions carry nothing but global keys.
    assert!(!key_carried(cat, "s3:GetObject", object, "s3:nosuchkey"));
    assert!(!key_carried(cat, "nosuch:Action", "*", "s3:prefix"));
    let ctx = Context::new().with("s3:prefix", "home/");
    let req = Request::with_context(role_session(), "s3:GetObject", object, None, ctx);
    let mut set = PolicySet::default();
    set.identity.push(allow_all(PolicyKind::Identity));
    assert_eq!(rules(&set, &req), [Rule::ContextKeyNotCarried]);
}
