//! Inputs shared by the criterion and instruction-count benches of the evaluation hot path.
#![allow(dead_code, reason = "each bench uses a subset")]

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

pub fn realistic() -> (Authorizer, Request, Request) {
    let managed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/policies/managed/AWSCleanRoomsFullAccess.json"
    ))
    .expect("managed policy in corpus");
    let set = PolicySet {
        identity: vec![policy(&managed), policy(CUSTOMER)],
        boundary: Some(policy(BOUNDARY)),
        scp: Some(vec![vec![policy(SCP_ROOT)], vec![policy(SCP_OU)]]),
        ..PolicySet::default()
    };
    let who = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/CleanRoomsAnalyst/alice")
        .unwrap();
    let mut ctx = Context::new();
    ctx.insert(
        "aws:RequestedRegion",
        ValueType::String,
        false,
        vec!["us-east-1".into()],
    );
    ctx.insert(
        "aws:PrincipalTag/team",
        ValueType::String,
        false,
        vec!["analytics".into()],
    );
    ctx.insert(
        "aws:ResourceTag/team",
        ValueType::String,
        false,
        vec!["analytics".into()],
    );
    ctx.insert(
        "aws:MultiFactorAuthPresent",
        ValueType::Boolean,
        false,
        vec!["true".into()],
    );
    ctx.insert(
        "iam:PassedToService",
        ValueType::String,
        false,
        vec!["cleanrooms.amazonaws.com".into()],
    );
    let pass = Request::with_context(
        who.clone(),
        "iam:PassRole",
        "arn:aws:iam::111122223333:role/service-role/cleanrooms-query-runner",
        None,
        ctx.clone(),
    );
    let query = Request::with_context(
        who,
        "cleanrooms:StartProtectedQuery",
        "arn:aws:cleanrooms:us-east-1:111122223333:membership/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        None,
        ctx,
    );
    (Authorizer::new(&set).unwrap(), pass, query)
}

pub fn wildcards() -> (Authorizer, Request) {
    // 200 statements whose patterns all need the general matcher and nearly match.
    let statements: Vec<String> = (0..200)
        .map(|i| {
            format!(
                r#"{{"Effect":"Allow","Action":["cleanrooms:*Get*Coll?b*{i}","cleanrooms-ml:?et*Model*{i}"],
                    "Resource":["arn:aws:cleanrooms:*:1111222233?3:collaboration/*-{i}*","arn:*:cleanrooms:us-*-?:*:membership/*/x{i}"]}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    let set = PolicySet {
        identity: vec![policy(&text)],
        ..PolicySet::default()
    };
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
    let req = Request::new(
        who,
        "cleanrooms:GetCollaborationAnalysisTemplate",
        "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    );
    (Authorizer::new(&set).unwrap(), req)
}
