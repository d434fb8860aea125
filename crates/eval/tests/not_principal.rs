//! `NotPrincipal` with `Deny` and role sessions (IAM User Guide, policy elements:
//! NotPrincipal): to exempt a role session, the statement must list the session ARN, the role
//! ARN and the account — a request is made as each of them. A role ARN in a policy may carry
//! a path (`role/team/Analyst`); the session ARN does not (`assumed-role/Analyst/s1`), so the
//! role is recognised by account and name, as in `Principal` (docs/evaluation.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{Authorizer, Decision, PolicySet, Principal, Request};

const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Analyst/s1";

/// The decision for the session under an Allow-everything identity policy and a resource
/// policy (where `NotPrincipal` belongs) whose Deny lists `exempt` in `NotPrincipal`.
fn decide(exempt: &[&str]) -> Decision {
    let quoted: Vec<String> = exempt.iter().map(|v| format!("{v:?}")).collect();
    let resource = format!(
        r#"{{"Version":"2012-10-17","Statement":
            {{"Effect":"Deny","NotPrincipal":{{"AWS":[{}]}},"Action":"cleanrooms:*","Resource":"*"}}}}"#,
        quoted.join(",")
    );
    let identity =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
    let set = PolicySet {
        identity: vec![iamcr_policy::parse(identity).unwrap()],
        resource: Some(iamcr_policy::parse(&resource).unwrap()),
        ..PolicySet::default()
    };
    let who = Principal::from_arn(SESSION).unwrap();
    let req = Request::new(
        who,
        "cleanrooms:GetCollaboration",
        "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c1",
    );
    Authorizer::new(&set).unwrap().evaluate(&req).decision
}

#[test]
fn a_session_is_exempt_only_when_session_role_and_account_are_listed() {
    let role = "arn:aws:iam::111122223333:role/Analyst";
    assert_eq!(decide(&[SESSION, role, "111122223333"]), Decision::Allowed);
    // Leaving out any one of the three: the Deny applies.
    assert_eq!(decide(&[role, "111122223333"]), Decision::ExplicitDeny);
    assert_eq!(decide(&[SESSION, "111122223333"]), Decision::ExplicitDeny);
    assert_eq!(decide(&[SESSION, role]), Decision::ExplicitDeny);
}

#[test]
fn the_role_is_recognised_by_account_and_name_whatever_its_path() {
    let with_path = "arn:aws:iam::111122223333:role/team/Analyst";
    assert_eq!(
        decide(&[SESSION, with_path, "111122223333"]),
        Decision::Allowed
    );
    // Another role (another name, or the same name in another account) does not stand for it.
    for other in [
        "arn:aws:iam::111122223333:role/team/Other",
        "arn:aws:iam::444455556666:role/Analyst",
    ] {
        assert_eq!(
            decide(&[SESSION, other, "111122223333"]),
            Decision::ExplicitDeny,
            "{other}"
        );
    }
}
