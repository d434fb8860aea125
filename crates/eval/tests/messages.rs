//! What the evaluator says when it cannot evaluate, and how it names principals and grants in
//! explanations: users read these words, so they are pinned here (a mutation run showed that
//! nothing else checked them).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{Authorizer, Grant, PolicySet, Principal};
use iamcr_policy::parse;

fn compile_error(identity: &str) -> String {
    let set = PolicySet {
        identity: vec![parse(identity).unwrap()],
        ..PolicySet::default()
    };
    Authorizer::new(&set).unwrap_err().to_string()
}

#[test]
fn a_policy_the_evaluator_cannot_use_is_named_with_its_statement() {
    assert_eq!(
        compile_error(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Permit","Action":"s3:*","Resource":"*"}]}"#
        ),
        r#"identity[0] statement 1: Effect must be "Allow" or "Deny", not "Permit""#
    );
    assert_eq!(
        compile_error(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}"#),
        "identity[0] statement 0: the statement has no Action or NotAction"
    );
}

#[test]
fn principal_arns_that_name_no_principal_are_refused_with_the_reason() {
    for (arn, why) in [
        ("arn:aws:iam::111122223333", "six colon-separated parts"),
        (
            "arn:aws:iam::111122223333:role/",
            "expected an IAM user, IAM role",
        ),
        (
            "arn:aws:iam::111122223333:user/",
            "expected an IAM user, IAM role",
        ),
        (
            "arn:aws:sts::111122223333:federated-user/",
            "expected an IAM user, IAM role",
        ),
        (
            "arn:aws:sts::111122223333:assumed-role/R",
            "assumed-role/ROLE/SESSION",
        ),
        ("arn:aws:s3:::bucket", "the account must be 12 digits"),
        (
            "arn:aws:s3::111122223333:bucket",
            "expected an IAM user, IAM role",
        ),
    ] {
        let e = Principal::from_arn(arn).unwrap_err().to_string();
        assert!(e.contains(arn) && e.contains(why), "{arn}: {e}");
    }
}

#[test]
fn principals_are_described_and_known_by_their_arn() {
    let cases = [
        (
            "arn:aws:iam::111122223333:user/dev/alice",
            "IAM user arn:aws:iam::111122223333:user/dev/alice",
            "arn:aws:iam::111122223333:user/dev/alice",
        ),
        (
            "arn:aws:iam::111122223333:role/Analyst",
            "a session of role arn:aws:iam::111122223333:role/Analyst",
            "arn:aws:iam::111122223333:role/Analyst",
        ),
        (
            "arn:aws:sts::111122223333:assumed-role/Analyst/s1",
            "role session arn:aws:sts::111122223333:assumed-role/Analyst/s1",
            "arn:aws:iam::111122223333:role/Analyst",
        ),
        (
            "arn:aws:sts::111122223333:federated-user/bob",
            "federated user arn:aws:sts::111122223333:federated-user/bob",
            "arn:aws:sts::111122223333:federated-user/bob",
        ),
        (
            "arn:aws:iam::111122223333:root",
            "the root user of account 111122223333",
            "arn:aws:iam::111122223333:root",
        ),
    ];
    for (arn, description, principal_arn) in cases {
        let p = Principal::from_arn(arn).unwrap();
        assert_eq!(p.describe(), description);
        assert_eq!(p.principal_arn().as_deref(), Some(principal_arn), "{arn}");
    }
    let service = Principal::Service("cleanrooms.amazonaws.com".into());
    assert_eq!(
        service.describe(),
        "service principal cleanrooms.amazonaws.com"
    );
    assert_eq!(service.principal_arn(), None);
}

#[test]
fn grants_are_described_in_words() {
    assert_eq!(Grant::Everyone.describe(), "everyone (\"*\")");
    assert_eq!(Grant::Account.describe(), "the principal's account");
    assert_eq!(Grant::SessionArn.describe(), "the role session's ARN");
}
