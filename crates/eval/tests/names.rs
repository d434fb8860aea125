//! The words the evaluator hands to reports and tools: policy type names (the case format's
//! `policies` keys, `../shared/case-format.md`), decisions as the simulator spells them
//! (`EvalDecision`: `allowed`, `explicitDeny`, `implicitDeny`), reasons; and that an
//! explanation traces every statement, while evaluation may skip statements about other
//! services.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{
    Authorizer, Decision, NotApplied, PolicyRef, PolicySet, PolicyType, Principal, Reason, Request,
};

#[test]
fn policy_types_are_named_as_in_the_case_format() {
    let names: Vec<&str> = PolicyType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        names,
        ["rcp", "scp", "resource", "identity", "boundary", "session"]
    );
}

#[test]
fn decisions_are_spelled_as_the_simulator_spells_them() {
    for (d, s) in [
        (Decision::Allowed, "allowed"),
        (Decision::ExplicitDeny, "explicitDeny"),
        (Decision::ImplicitDeny, "implicitDeny"),
    ] {
        assert_eq!(d.to_string(), s);
        assert_eq!(d.as_str(), s);
    }
}

#[test]
fn reasons_name_the_policy_type_and_level() {
    let text = Reason::OrganizationLevel {
        kind: PolicyType::Scp,
        level: 1,
    }
    .to_string();
    assert!(text.starts_with("SCP level 1 "), "{text}");
    let text = Reason::OrganizationLevel {
        kind: PolicyType::Rcp,
        level: 0,
    }
    .to_string();
    assert!(text.starts_with("RCP level 0 "), "{text}");
    assert!(
        Reason::BoundaryNoAllow
            .to_string()
            .contains("permissions boundary"),
    );
}

fn authorizer() -> Authorizer {
    let policy = iamcr_policy::parse(
        r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
            {"Sid":"CleanRooms","Effect":"Allow","Action":"cleanrooms:Get*","Resource":"*"},
            {"Sid":"Everything","Effect":"Deny","NotAction":"cleanrooms:*","Resource":"*"}]}"#,
    )
    .unwrap();
    Authorizer::new(&PolicySet {
        identity: vec![policy],
        ..PolicySet::default()
    })
    .unwrap()
}

/// An explanation lists every statement, those about other services too (with the element
/// that did not apply), in policy order; evaluation and explanation agree on the decision.
#[test]
fn an_explanation_traces_every_statement_in_order() {
    let auth = authorizer();
    let who = Principal::from_arn("arn:aws:iam::111122223333:role/Analyst").unwrap();
    let req = Request::new(
        who,
        "cleanrooms:GetCollaboration",
        "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c1",
    );
    let explanation = auth.explain(&req);
    let traced: Vec<(PolicyRef, usize, Option<&str>)> = explanation
        .statements
        .iter()
        .map(|t| (t.policy, t.statement, t.sid.as_deref()))
        .collect();
    assert_eq!(
        traced,
        [
            (PolicyRef::Identity(0), 0, Some("S3")),
            (PolicyRef::Identity(0), 1, Some("CleanRooms")),
            (PolicyRef::Identity(0), 2, Some("Everything")),
        ]
    );
    assert_eq!(explanation.statements[0].result, Err(NotApplied::Action));
    assert_eq!(explanation.statements[1].result, Ok(None));
    assert_eq!(
        explanation.statements[2].result,
        Err(NotApplied::NotAction(0))
    );
    assert_eq!(explanation.evaluation.decision, Decision::Allowed);
    assert_eq!(auth.evaluate(&req), explanation.evaluation);
}

/// The default observer lets evaluation skip statements that cannot match the request's
/// service; an observer that asks for every statement sees them all, with the same answer.
#[test]
fn observers_choose_whether_to_see_every_statement() {
    struct Seen {
        every: bool,
        statements: Vec<usize>,
    }
    impl iamcr_eval::Observer for Seen {
        fn wants_every_statement(&self) -> bool {
            self.every
        }
        fn statement(
            &mut self,
            _policy: PolicyRef,
            statement: &iamcr_eval::CompiledStatement,
            _result: &Result<Option<iamcr_eval::Grant>, NotApplied>,
        ) {
            self.statements.push(statement.index);
        }
    }
    let auth = authorizer();
    let who = Principal::from_arn("arn:aws:iam::111122223333:role/Analyst").unwrap();
    let req = Request::new(who, "s3:GetObject", "arn:aws:s3:::bucket/key");
    let mut some = Seen {
        every: false,
        statements: Vec::new(),
    };
    let mut all = Seen {
        every: true,
        statements: Vec::new(),
    };
    let a = auth.evaluate_with(&req, &mut some);
    let b = auth.evaluate_with(&req, &mut all);
    assert_eq!(a, b);
    // `cleanrooms:Get*` cannot match an s3 action: skipped unless asked for.
    assert_eq!(some.statements, [0, 2]);
    assert_eq!(all.statements, [0, 1, 2]);
    // The NotAction Deny does not list s3:GetObject, so it applies.
    assert_eq!(a.decision, Decision::ExplicitDeny);
}
