//! Explanations (`Authorizer::explain`): one trace per statement, in the order evaluated,
//! whose `why` names the element that failed — for a condition, the operator, the key, the
//! policy values and the request's values — and the rendered text a person reads (the
//! decision, the reason, the deciding statements, the per-type decisions, the missing keys,
//! every statement). A mutation run showed that dropping the condition lines or inverting the
//! tests that choose what to print went unnoticed; these pin them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::condition::{Condition, Outcome};
use iamcr_eval::{
    Authorizer, CompiledStatement, Context, Decision, Details, Grant, NotApplied, Observer,
    PolicyRef, PolicySet, PolicyType, Principal, Reason, Request, ValueType,
};
use iamcr_policy::parse;

const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Analyst/s1";
const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";

/// One statement per line: statement `i` starts at line `i + 2`, column 1.
const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[
{"Sid":"Conditional","Effect":"Allow","Action":"cleanrooms:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/env":"prod"},"Bool":{"aws:SecureTransport":"true"}}},
{"Sid":"OtherService","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
{"Sid":"OtherTable","Effect":"Allow","Action":"cleanrooms:*","Resource":"arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/other"},
{"Sid":"Granted","Effect":"Allow","Action":"cleanrooms:GetConfiguredTable","Resource":"arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1"},
{"Sid":"Tagged","Effect":"Allow","Action":"cleanrooms:*","Resource":"arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/${aws:PrincipalTag/table}"},
{"Sid":"Owner","Effect":"Allow","Action":"cleanrooms:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/owner":"me"}}},
{"Sid":"NotGets","Effect":"Allow","NotAction":"cleanrooms:Get*","Resource":"*"}
]}"#;

fn request() -> Request {
    let mut ctx = Context::new().with("aws:RequestTag/env", "dev");
    ctx.insert(
        "aws:SecureTransport",
        ValueType::Boolean,
        false,
        vec!["true".into()],
    );
    let who = Principal::from_arn(SESSION).unwrap();
    Request::with_context(who, "cleanrooms:GetConfiguredTable", TABLE, None, ctx)
}

fn identity_only() -> Authorizer {
    let set = PolicySet {
        identity: vec![parse(IDENTITY).unwrap()],
        ..PolicySet::default()
    };
    Authorizer::new(&set).unwrap()
}

#[test]
fn every_statement_gets_a_trace_that_names_what_failed() {
    let req = request();
    let e = identity_only().explain(&req);
    assert_eq!(e.evaluation.decision, Decision::Allowed);
    assert_eq!(e.evaluation.reason, Reason::IdentityAllow);
    // Every statement, those about other services included, in order.
    let order: Vec<_> = e
        .statements
        .iter()
        .map(|t| (t.policy, t.statement))
        .collect();
    assert_eq!(
        order,
        (0..7)
            .map(|i| (PolicyRef::Identity(0), i))
            .collect::<Vec<_>>()
    );
    let sids: Vec<_> = e.statements.iter().map(|t| t.sid.as_deref()).collect();
    assert_eq!(
        sids,
        [
            "Conditional",
            "OtherService",
            "OtherTable",
            "Granted",
            "Tagged",
            "Owner",
            "NotGets"
        ]
        .map(Some)
    );
    assert!(e.statements.iter().all(|t| t.allow));
    let results: Vec<_> = e.statements.iter().map(|t| t.result.clone()).collect();
    assert_eq!(
        results,
        vec![
            Err(NotApplied::Condition(0)),
            Err(NotApplied::Action),
            Err(NotApplied::Resource { unresolved: vec![] }),
            Ok(None),
            Err(NotApplied::Resource {
                unresolved: vec!["aws:principaltag/table".into()]
            }),
            Err(NotApplied::Condition(0)),
            Err(NotApplied::NotAction(0)),
        ]
    );
    let why: Vec<&str> = e.statements.iter().map(|t| t.why.as_str()).collect();
    // Only the failing condition is named, with the request's value; the Bool that holds is not.
    assert_eq!(
        why[0],
        r#"Condition fails: StringEquals {"aws:RequestTag/env": ["prod"]} is false (request value: ["dev"])"#
    );
    assert_eq!(
        why[1],
        r#"Action does not match "cleanrooms:GetConfiguredTable""#
    );
    assert_eq!(why[2], format!("Resource does not match {TABLE:?}"));
    assert_eq!(why[3], "applies");
    assert_eq!(
        why[4],
        format!(
            "Resource does not match {TABLE:?}; policy variables without a value: aws:principaltag/table"
        )
    );
    assert_eq!(
        why[5],
        r#"Condition fails: StringEquals {"aws:ResourceTag/owner": ["me"]} is false (request value: absent, key not in the request)"#
    );
    assert_eq!(
        why[6],
        r#"NotAction lists "cleanrooms:GetConfiguredTable" (pattern #0)"#
    );
}

#[test]
fn every_failing_condition_is_listed_and_holding_ones_are_not() {
    let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"cleanrooms:*","Resource":"*","Condition":{
        "StringEquals":{"aws:RequestTag/env":"test"},
        "Bool":{"aws:SecureTransport":"false"},
        "StringLike":{"aws:RequestTag/env":"d*"}}}}"#;
    let set = PolicySet {
        identity: vec![parse(policy).unwrap()],
        ..PolicySet::default()
    };
    let req = request();
    let e = Authorizer::new(&set).unwrap().explain(&req);
    let [trace] = e.statements.as_slice() else {
        panic!("one statement, one trace: {:?}", e.statements)
    };
    assert!(!trace.allow);
    assert_eq!(trace.result, Err(NotApplied::Condition(0)));
    assert_eq!(
        trace.why,
        r#"Condition fails: StringEquals {"aws:RequestTag/env": ["test"]} is false (request value: ["dev"]); Bool {"aws:SecureTransport": ["false"]} is false (request value: ["true"])"#
    );
    let text = e.render(&req);
    assert!(text.contains("[Deny]"), "{text}");
    assert!(!text.contains("StringLike"), "{text}");
}

#[test]
fn the_rendered_text_names_the_decision_the_deciding_statements_and_each_trace() {
    let req = request();
    let e = identity_only().explain(&req);
    assert_eq!(
        e.evaluation.missing_context,
        vec!["aws:ResourceTag/owner".to_string()]
    );
    let text = e.render(&req);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..8],
        [
            format!("role session {SESSION} cleanrooms:GetConfiguredTable on {TABLE}").as_str(),
            "decision: allowed",
            "because identity-based policies allow the request and nothing limits them.",
            "deciding statements:",
            "  identity[0] statement 3 (Granted) at 5:1",
            "by policy type:",
            "  identity allowed",
            "missing context keys: aws:ResourceTag/owner",
        ]
    );
    assert_eq!(lines[8], "statements:");
    assert_eq!(lines.len(), 9 + 7);
    assert_eq!(
        lines[9],
        format!(
            "  identity[0] statement 0 (Conditional) [Allow] at 2:1: {}",
            e.statements[0].why
        )
    );
    assert_eq!(
        lines[12],
        "  identity[0] statement 3 (Granted) [Allow] at 5:1: applies"
    );
}

#[test]
fn sections_with_nothing_to_say_are_left_out() {
    let req = request();
    // No policy at all: an implicit deny with no deciding statement and no policy type.
    let e = Authorizer::new(&PolicySet::default())
        .unwrap()
        .explain(&req);
    assert!(e.evaluation.details.is_empty());
    let text = e.render(&req);
    assert_eq!(
        text,
        format!(
            "role session {SESSION} cleanrooms:GetConfiguredTable on {TABLE}\ndecision: implicitDeny\nbecause no identity-based policy allows the request.\nstatements:\n"
        )
    );
    // A policy that does not apply: its type takes part, nothing decides, nothing is missing.
    let set = PolicySet {
        identity: vec![
            parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#)
                .unwrap(),
        ],
        ..PolicySet::default()
    };
    let e = Authorizer::new(&set).unwrap().explain(&req);
    assert!(!e.evaluation.details.is_empty());
    let text = e.render(&req);
    assert!(
        text.contains("by policy type:\n  identity implicitDeny\n"),
        "{text}"
    );
    assert!(!text.contains("deciding statements:"), "{text}");
    assert!(!text.contains("missing context keys"), "{text}");
    assert!(text.ends_with("statements:\n  identity[0] statement 0 [Allow] at 1:37: Action does not match \"cleanrooms:GetConfiguredTable\"\n"), "{text}");
}

#[test]
fn resource_policy_traces_say_how_the_principal_was_named() {
    let resource = r#"{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"cleanrooms:*","Resource":"*"},
{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/Analyst/s1","arn:aws:iam::111122223333:role/Analyst","111122223333"]},"Action":"cleanrooms:*","Resource":"*"},
{"Effect":"Allow","NotResource":"arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1","Principal":"*","Action":"cleanrooms:*"},
{"Sid":"ToTheSession","Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Analyst/s1"},"Action":"cleanrooms:*","Resource":"*"}
]}"#;
    let set = PolicySet {
        resource: Some(parse(resource).unwrap()),
        ..PolicySet::default()
    };
    let req = request();
    let e = Authorizer::new(&set).unwrap().explain(&req);
    assert_eq!(
        e.evaluation.reason,
        Reason::ResourceGrant(Grant::SessionArn)
    );
    let why: Vec<&str> = e.statements.iter().map(|t| t.why.as_str()).collect();
    assert_eq!(
        why,
        [
            format!("Principal does not name role session {SESSION}").as_str(),
            &format!("NotPrincipal exempts role session {SESSION}"),
            &format!("NotResource lists {TABLE:?} (pattern #0)"),
            "applies; the Principal names the role session's ARN",
        ]
    );
    assert_eq!(e.statements[3].result, Ok(Some(Grant::SessionArn)));
    let text = e.render(&req);
    assert!(text.contains("because the resource-based policy allows the request and names the role session's ARN, a grant that identity-based policies do not need to repeat.\n"), "{text}");
    assert!(text.contains("deciding statements:\n  resource statement 3 (ToTheSession) at 5:1\nby policy type:\n  resource allowed\n"), "{text}");
}

/// Counts what an evaluation reports to its observer.
#[derive(Default)]
struct Counter {
    conditions: Vec<(PolicyRef, usize, String, bool)>,
    statements: usize,
}

impl Observer for Counter {
    fn condition(&mut self, p: PolicyRef, s: usize, c: &Condition, o: &Outcome) {
        self.conditions.push((p, s, c.key().to_string(), o.holds));
    }
    fn statement(
        &mut self,
        _p: PolicyRef,
        _s: &CompiledStatement,
        _r: &Result<Option<Grant>, NotApplied>,
    ) {
        self.statements += 1;
    }
}

#[test]
fn observers_see_every_condition_evaluated() {
    let req = request();
    let mut counter = Counter::default();
    let e = identity_only().evaluate_with(&req, &mut counter);
    assert_eq!(e, identity_only().evaluate(&req));
    assert_eq!(
        counter.conditions,
        vec![
            (
                PolicyRef::Identity(0),
                0,
                "aws:RequestTag/env".into(),
                false
            ),
            (
                PolicyRef::Identity(0),
                0,
                "aws:SecureTransport".into(),
                true
            ),
            (
                PolicyRef::Identity(0),
                5,
                "aws:ResourceTag/owner".into(),
                false
            ),
        ]
    );
    // Without asking for every statement, the one about s3 is skipped.
    assert_eq!(counter.statements, 6);
}

#[test]
fn details_are_empty_until_a_type_is_set() {
    let mut d = Details::default();
    assert!(d.is_empty());
    assert_eq!(d.iter().count(), 0);
    d.set(PolicyType::Session, Decision::ImplicitDeny);
    assert!(!d.is_empty());
    d.set(PolicyType::Rcp, Decision::Allowed);
    assert_eq!(
        d.iter().collect::<Vec<_>>(),
        vec![
            (PolicyType::Rcp, Decision::Allowed),
            (PolicyType::Session, Decision::ImplicitDeny)
        ]
    );
}
