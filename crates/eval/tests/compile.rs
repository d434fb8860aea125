//! What the evaluator accepts when it compiles a policy, and how it names what it refuses.
//! An unknown condition operator is accepted only with no keys, and then tests nothing (IAM
//! and the moto emulator accept `"Condition": {"FooBar": {}}`; with keys it is a syntax error,
//! see crates/policy/src/lower.rs); a statement without `Resource` is refused except in the
//! resource-policy slot, where a role trust policy has none (IAM User Guide,
//! reference_policies_elements_resource.html; iam-facts.md (a)).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{
    Authorizer, CompileError, Context, Decision, PolicyRef, PolicySet, Principal, Request,
};
use iamcr_policy::{Policy, PolicyKind, check, parse};

const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";

fn allow_with(condition: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"cleanrooms:*","Resource":"*","Condition":{condition}}}}}"#
    )
}

fn decide(identity: Policy, env: Option<&str>) -> Decision {
    let set = PolicySet {
        identity: vec![identity],
        ..PolicySet::default()
    };
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let ctx = match env {
        Some(v) => Context::new().with("aws:RequestTag/env", v),
        None => Context::new(),
    };
    let req = Request::with_context(who, "cleanrooms:GetConfiguredTable", TABLE, None, ctx);
    Authorizer::new(&set).unwrap().evaluate(&req).decision
}

/// A policy as the reader builds it even when it reports errors (to reach the evaluator's own
/// checks).
fn read_anyway(text: &str) -> Policy {
    check(text, PolicyKind::Identity).policy.unwrap()
}

#[test]
fn an_unknown_operator_without_keys_is_accepted_and_tests_nothing() {
    let alone = parse(&allow_with(r#"{"FooBar":{}}"#)).unwrap();
    assert_eq!(decide(alone.clone(), None), Decision::Allowed);
    assert_eq!(decide(alone, Some("dev")), Decision::Allowed);
    // Beside a known operator, only the known one tests anything.
    let both = parse(&allow_with(
        r#"{"FooBar":{},"StringEquals":{"aws:RequestTag/env":"prod"}}"#,
    ))
    .unwrap();
    assert_eq!(decide(both.clone(), Some("prod")), Decision::Allowed);
    assert_eq!(decide(both.clone(), Some("dev")), Decision::ImplicitDeny);
    assert_eq!(decide(both, None), Decision::ImplicitDeny);
}

#[test]
fn an_unknown_operator_with_keys_cannot_be_compiled() {
    let text = allow_with(r#"{"FooBar":{"aws:RequestTag/env":"prod"}}"#);
    assert!(parse(&text).is_err(), "the reader refuses it too");
    let set = PolicySet {
        identity: vec![
            parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
                .unwrap(),
            read_anyway(&text),
        ],
        ..PolicySet::default()
    };
    let e = Authorizer::new(&set).unwrap_err();
    assert_eq!(
        e,
        CompileError {
            policy: PolicyRef::Identity(1),
            statement: Some(0),
            message: r#"unknown condition operator "FooBar""#.into(),
            // `FooBar` inside its quotes: byte 107, column 108 of the one-line text
            // (counted by hand from `allow_with`).
            at: Some((
                iamcr_policy::Span::new(107, 113),
                iamcr_policy::Position {
                    line: 1,
                    column: 108
                }
            )),
        }
    );
    assert_eq!(
        e.to_string(),
        r#"identity[1] statement 0: unknown condition operator "FooBar""#
    );
    // In any slot: the resource policy is named too.
    let set = PolicySet {
        resource: Some(read_anyway(
            &text.replace(r#""Resource":"*""#, r#""Resource":"*","Principal":"*""#),
        )),
        ..PolicySet::default()
    };
    assert_eq!(
        Authorizer::new(&set).unwrap_err().to_string(),
        r#"resource statement 0: unknown condition operator "FooBar""#
    );
}

#[test]
fn a_missing_resource_is_refused_except_in_the_resource_policy_slot() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#;
    let trust = parse(text).unwrap();
    let as_trust = PolicySet {
        resource: Some(trust.clone()),
        ..PolicySet::default()
    };
    assert!(Authorizer::new(&as_trust).is_ok());
    let as_scp = PolicySet {
        scp: Some(vec![vec![], vec![trust]]),
        ..PolicySet::default()
    };
    assert_eq!(
        Authorizer::new(&as_scp).unwrap_err().to_string(),
        "scp[1][0] statement 0: the statement has no Resource or NotResource"
    );
}

#[test]
fn compile_errors_name_the_policy_and_the_statement_when_there_is_one() {
    let named = |policy, statement| {
        CompileError {
            policy,
            statement,
            message: "what is wrong".into(),
            at: None,
        }
        .to_string()
    };
    assert_eq!(
        named(PolicyRef::Scp(1, 2), None),
        "scp[1][2]: what is wrong"
    );
    assert_eq!(
        named(PolicyRef::Rcp(0, 3), Some(4)),
        "rcp[0][3] statement 4: what is wrong"
    );
    assert_eq!(named(PolicyRef::Boundary, None), "boundary: what is wrong");
    assert_eq!(
        named(PolicyRef::Session(2), Some(0)),
        "session[2] statement 0: what is wrong"
    );
    assert_eq!(
        named(PolicyRef::Identity(0), None),
        "identity[0]: what is wrong"
    );
    assert_eq!(
        named(PolicyRef::Resource, Some(1)),
        "resource statement 1: what is wrong"
    );
    let e: &dyn std::error::Error = &CompileError {
        policy: PolicyRef::Boundary,
        statement: None,
        message: "m".into(),
        at: None,
    };
    assert_eq!(e.to_string(), "boundary: m");
}
