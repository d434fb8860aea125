//! Inputs shared by the criterion and instruction-count benches.
#![allow(dead_code, reason = "each bench uses a subset")]

pub mod peer;
pub mod probe;
pub mod sized;

use iamcr_eval::{Authorizer, Context, PolicySet, Principal, Request, ValueType};

pub fn policy(text: &str) -> iamcr_policy::Policy {
    iamcr_policy::parse(text).expect("bench policy parses")
}

pub fn simple() -> (Authorizer, Request) {
    let set = PolicySet {
        identity: vec![policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"cleanrooms:GetCollaboration","Resource":"arn:aws:cleanrooms:us-east-1:111122223333:collaboration/*"}}"#,
        )],
        ..PolicySet::default()
    };
    let who = Principal::from_arn("arn:aws:iam::111122223333:role/Analyst").unwrap();
    let req = Request::new(
        who,
        "cleanrooms:GetCollaboration",
        "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    );
    (Authorizer::new(&set).unwrap(), req)
}

const CUSTOMER: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"PassQueryRunnerRole","Effect":"Allow","Action":"iam:PassRole",
  "Resource":"arn:aws:iam::111122223333:role/service-role/cleanrooms-*",
  "Condition":{"StringEquals":{"iam:PassedToService":"cleanrooms.amazonaws.com"}}},
 {"Sid":"DenyOutsideRegions","Effect":"Deny","Action":"cleanrooms:*","Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}},
 {"Sid":"MembershipsOfTeam","Effect":"Allow","Action":["cleanrooms:StartProtectedQuery","cleanrooms:GetProtectedQuery"],
  "Resource":"arn:aws:cleanrooms:*:111122223333:membership/*",
  "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}"#;

const BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"CleanRoomsOnly","Effect":"Allow","Action":["cleanrooms:*","cleanrooms-ml:*","glue:Get*","s3:GetObject","s3:ListBucket"],"Resource":"*"},
 {"Sid":"PassOnlyServiceRoles","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/service-role/*",
  "Condition":{"StringEquals":{"aws:PrincipalTag/team":"analytics"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
 {"Sid":"NoIamWrites","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*","iam:Attach*"],"Resource":"*"}]}"#;

const SCP_ROOT: &str = r#"{"Version":"2012-10-17","Statement":{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}}"#;

const SCP_OU: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"},
 {"Sid":"RegionGuard","Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*",
  "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","us-west-2","eu-west-1"]},
               "ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/OrgAdmin*"}}},
 {"Sid":"ProtectSecurityRoles","Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::*:role/security/*"}]}"#;

/// The texts of the realistic Clean Rooms caller's policies: AWSCleanRoomsFullAccess and a
/// customer policy (identity), a permissions boundary, and two SCP levels.
pub struct RealisticTexts {
    pub managed: String,
    pub customer: &'static str,
    pub boundary: &'static str,
    pub scp_root: &'static str,
    pub scp_ou: &'static str,
}

pub fn realistic_texts() -> RealisticTexts {
    RealisticTexts {
        managed: std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/policies/managed/AWSCleanRoomsFullAccess.json"
        ))
        .expect("managed policy in corpus"),
        customer: CUSTOMER,
        boundary: BOUNDARY,
        scp_root: SCP_ROOT,
        scp_ou: SCP_OU,
    }
}

/// The realistic caller's policies, parsed: from text to a [`PolicySet`].
pub fn realistic_set(texts: &RealisticTexts) -> PolicySet {
    PolicySet {
        identity: vec![policy(&texts.managed), policy(texts.customer)],
        boundary: Some(policy(texts.boundary)),
        scp: Some(vec![
            vec![policy(texts.scp_root)],
            vec![policy(texts.scp_ou)],
        ]),
        ..PolicySet::default()
    }
}

/// The realistic caller (an assumed-role session) and its request context.
pub const REALISTIC_CALLER: &str = "arn:aws:sts::111122223333:assumed-role/CleanRoomsAnalyst/alice";
pub const REALISTIC_CONTEXT: [(&str, ValueType, &str); 5] = [
    ("aws:RequestedRegion", ValueType::String, "us-east-1"),
    ("aws:PrincipalTag/team", ValueType::String, "analytics"),
    ("aws:ResourceTag/team", ValueType::String, "analytics"),
    ("aws:MultiFactorAuthPresent", ValueType::Boolean, "true"),
    (
        "iam:PassedToService",
        ValueType::String,
        "cleanrooms.amazonaws.com",
    ),
];
pub const PASS_ROLE: (&str, &str) = (
    "iam:PassRole",
    "arn:aws:iam::111122223333:role/service-role/cleanrooms-query-runner",
);
pub const START_QUERY: (&str, &str) = (
    "cleanrooms:StartProtectedQuery",
    "arn:aws:cleanrooms:us-east-1:111122223333:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
);

/// A request of the realistic caller.
pub fn realistic_request((action, resource): (&str, &str)) -> Request {
    let who = Principal::from_arn(REALISTIC_CALLER).unwrap();
    let mut ctx = Context::new();
    for (key, ty, value) in REALISTIC_CONTEXT {
        ctx.insert(key, ty, false, vec![value.into()]);
    }
    Request::with_context(who, action, resource, None, ctx)
}

pub fn realistic() -> (Authorizer, Request, Request) {
    let set = realistic_set(&realistic_texts());
    (
        Authorizer::new(&set).unwrap(),
        realistic_request(PASS_ROLE),
        realistic_request(START_QUERY),
    )
}

/// The text of an identity policy of `n` wildcard-heavy statements: every pattern needs the
/// general matcher (a `?`, or a `*` inside an ARN segment) and nearly matches
/// [`WILDCARD_REQUEST`].
pub fn wildcard_policy(n: usize) -> String {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Action":["cleanrooms:*Get*Coll?b*{i}","cleanrooms-ml:?et*Model*{i}"],
                    "Resource":["arn:aws:cleanrooms:*:1111222233?3:collaboration/*-{i}*","arn:*:cleanrooms:us-*-?:*:membership/*/x{i}"]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// The text of an identity policy of `n` wildcard-heavy statements (`*Get*Coll?b*` style)
/// where the literal prefilter cannot decide alone: every action pattern's literal runs are
/// in [`WILDCARD_REQUEST`]'s action, so each statement's actions go to the general matcher
/// (and match); its resource pattern needs `-{i}` in the resource, which a few have.
pub fn wildcard_heavy_policy(n: usize) -> String {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Action":["cleanrooms:*Get*Coll?b*","cleanrooms:?et*Analysis*"],
                    "Resource":"arn:aws:cleanrooms:*:1111222233?3:collaboration/*-{i}*"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// The sizes of the wildcard-heavy scaling family (statements).
pub const WILDCARD_SIZES: [usize; 3] = [10, 100, 1000];

pub const WILDCARD_CALLER: &str = "arn:aws:iam::111122223333:user/Bob";
pub const WILDCARD_REQUEST: (&str, &str) = (
    "cleanrooms:GetCollaborationAnalysisTemplate",
    "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
);

pub fn wildcard_request() -> Request {
    let who = Principal::from_arn(WILDCARD_CALLER).unwrap();
    Request::new(who, WILDCARD_REQUEST.0, WILDCARD_REQUEST.1)
}

/// An identity-only authorizer for `text`.
pub fn identity_only(text: &str) -> Authorizer {
    let set = PolicySet {
        identity: vec![policy(text)],
        ..PolicySet::default()
    };
    Authorizer::new(&set).unwrap()
}

pub fn wildcards() -> (Authorizer, Request) {
    // 200 statements whose patterns all need the general matcher and nearly match.
    (identity_only(&wildcard_policy(200)), wildcard_request())
}
