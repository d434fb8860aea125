//! The per-policy-type decisions of an evaluation (`Evaluation::details`, the model's
//! `EvalDecisionDetails`): which types take part, and what each decided on its own — an
//! explicit Deny in that type, an Allow (for SCPs and RCPs: an Allow at every level), or
//! neither. The corpus checks the overall decision; these tests pin the details, which a
//! mutation run (cargo-mutants, `type_decision`/`decide`) showed nothing else checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{Authorizer, Decision, PolicySet, PolicyType, Principal, Request};
use iamcr_policy::{Policy, parse};

const A: Decision = Decision::Allowed;
const X: Decision = Decision::ExplicitDeny;
const I: Decision = Decision::ImplicitDeny;

const USER: &str = "arn:aws:iam::111122223333:user/alice";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Analyst/s1";
const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";
const OTHER_TABLE: &str = "arn:aws:cleanrooms:us-east-1:444455556666:configuredtable/t9";

fn policy(effect: &str, action: &str) -> Policy {
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Action":"{action}","Resource":"*"}}]}}"#
    ))
    .unwrap()
}

fn resource_policy(effect: &str, principal: &str, action: &str) -> Policy {
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{{"AWS":"{principal}"}},"Action":"{action}","Resource":"*"}}]}}"#
    ))
    .unwrap()
}

fn allow(action: &str) -> Policy {
    policy("Allow", action)
}

fn deny(action: &str) -> Policy {
    policy("Deny", action)
}

/// The decision and the details, as `(type, decision)` in evaluation order.
fn run(set: &PolicySet, who: &str, resource: &str) -> (Decision, Vec<(PolicyType, Decision)>) {
    let principal = Principal::from_arn(who).unwrap();
    let req = Request::new(principal, "cleanrooms:GetConfiguredTable", resource);
    let e = Authorizer::new(set).unwrap().evaluate(&req);
    (e.decision, e.details.iter().collect())
}

#[test]
fn only_the_types_given_take_part() {
    let set = PolicySet {
        identity: vec![allow("cleanrooms:Get*")],
        ..PolicySet::default()
    };
    assert_eq!(run(&set, USER, TABLE), (A, vec![(PolicyType::Identity, A)]));
    assert_eq!(
        run(&PolicySet::default(), USER, TABLE),
        (I, vec![]),
        "no policy: nothing takes part, and the answer is the implicit deny"
    );
}

#[test]
fn each_type_reports_its_own_answer_not_the_final_one() {
    // Identity allows, the boundary says nothing: the boundary's own answer is an implicit
    // deny and so is the final decision; the identity type still reports its Allow.
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        boundary: Some(allow("s3:*")),
        ..PolicySet::default()
    };
    assert_eq!(
        run(&set, USER, TABLE),
        (
            I,
            vec![(PolicyType::Identity, A), (PolicyType::Boundary, I)]
        )
    );
}

#[test]
fn an_explicit_deny_is_reported_by_the_type_that_holds_it() {
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*"), deny("s3:*")],
        boundary: Some(deny("cleanrooms:GetConfiguredTable")),
        ..PolicySet::default()
    };
    assert_eq!(
        run(&set, USER, TABLE),
        (
            X,
            vec![(PolicyType::Identity, A), (PolicyType::Boundary, X)]
        )
    );
    // An Allow and a Deny in one type: the type's answer is the Deny.
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*"), deny("cleanrooms:Get*")],
        ..PolicySet::default()
    };
    assert_eq!(run(&set, USER, TABLE), (X, vec![(PolicyType::Identity, X)]));
}

#[test]
fn organization_types_allow_only_when_every_level_allows() {
    let full = || allow("*");
    // RCPs name their principal (`RCPFullAWSAccess`: `"Principal": "*"`).
    let rcp_full = || resource_policy("Allow", "*", "*");
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        scp: Some(vec![vec![full()], vec![allow("s3:*")], vec![full()]]),
        rcp: Some(vec![vec![rcp_full()], vec![rcp_full()]]),
        ..PolicySet::default()
    };
    // RCPs take no part in a Clean Rooms request: cleanrooms is not on the list of services
    // that support RCPs (iamcr_eval::rcp), so no RCP detail is reported.
    assert_eq!(
        run(&set, USER, TABLE),
        (I, vec![(PolicyType::Scp, I), (PolicyType::Identity, A)]),
        "the middle SCP level does not allow the action"
    );
    let set = PolicySet {
        scp: Some(vec![vec![full()], vec![allow("cleanrooms:Get*")]]),
        rcp: Some(vec![vec![
            rcp_full(),
            resource_policy("Deny", "*", "cleanrooms:GetConfiguredTable"),
        ]]),
        identity: vec![allow("cleanrooms:*")],
        ..PolicySet::default()
    };
    // Not even an RCP Deny that names the action.
    assert_eq!(
        run(&set, USER, TABLE),
        (A, vec![(PolicyType::Scp, A), (PolicyType::Identity, A)])
    );
}

#[test]
fn session_policies_take_part_only_for_sessions() {
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        session: vec![allow("s3:*")],
        ..PolicySet::default()
    };
    assert_eq!(
        run(&set, SESSION, TABLE),
        (I, vec![(PolicyType::Identity, A), (PolicyType::Session, I)])
    );
    assert_eq!(
        run(&set, USER, TABLE),
        (A, vec![(PolicyType::Identity, A)]),
        "an IAM user has no session: its session policies do not apply"
    );
}

#[test]
fn the_resource_policy_reports_its_own_answer_cross_account() {
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        resource: Some(resource_policy(
            "Allow",
            "arn:aws:iam::111122223333:root",
            "cleanrooms:GetConfiguredTable",
        )),
        ..PolicySet::default()
    };
    assert_eq!(
        run(&set, USER, OTHER_TABLE),
        (
            A,
            vec![(PolicyType::Resource, A), (PolicyType::Identity, A)]
        )
    );
    let set = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        resource: Some(resource_policy(
            "Allow",
            "arn:aws:iam::999999999999:root",
            "cleanrooms:GetConfiguredTable",
        )),
        ..PolicySet::default()
    };
    assert_eq!(
        run(&set, USER, OTHER_TABLE),
        (
            I,
            vec![(PolicyType::Resource, I), (PolicyType::Identity, A)]
        ),
        "the resource policy names another account"
    );
}

#[test]
fn services_and_the_anonymous_caller_have_no_identity_side() {
    let set = PolicySet {
        identity: vec![allow("*")],
        boundary: Some(allow("*")),
        scp: Some(vec![vec![allow("*")]]),
        resource: Some(resource_policy("Deny", "*", "cleanrooms:*")),
        ..PolicySet::default()
    };
    let principal = Principal::Service("cleanrooms.amazonaws.com".into());
    let req = Request::new(principal, "cleanrooms:GetConfiguredTable", TABLE);
    let e = Authorizer::new(&set).unwrap().evaluate(&req);
    assert_eq!(e.decision, X);
    assert_eq!(
        e.details.iter().collect::<Vec<_>>(),
        vec![(PolicyType::Resource, X)],
        "identity policies, boundaries and SCPs govern IAM principals only"
    );
}
