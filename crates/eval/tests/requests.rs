//! The request side of evaluation: reading principal ARNs (and refusing ARNs that name no
//! principal), how principals are described, the context lookup, and which requests need the
//! resource's own policy to allow them — IAM role trust policies and KMS key policies "must
//! explicitly allow access for principals" even in the same account (IAM User Guide,
//! reference_policies_evaluation-logic_policy-eval-denyallow.html; examples.md A4 #11;
//! docs/evaluation.md "Decision" 6).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{
    Authorizer, Context, Decision, PolicySet, Principal, PrincipalError, Reason, Request, ValueType,
};
use iamcr_policy::parse;

const ROLE: &str = "arn:aws:iam::111122223333:role/Analyst";
const USER: &str = "arn:aws:iam::111122223333:user/alice";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn user() -> Principal {
    Principal::from_arn(USER).unwrap()
}

#[test]
fn principal_arns_must_name_a_principal() {
    for bad in [
        "arn:aws:iam::111122223333:role/",
        "arn:aws:sts::111122223333:federated-user/",
        "arn:aws:iam::111122223333:user/",
        "arn:aws:sts::111122223333:assumed-role//s1",
        "arn:aws:sts::111122223333:assumed-role/Analyst/",
        "arn::iam::111122223333:root",
        "arn:aws:iam:us-east-1:111122223333:root",
        "urn:aws:iam::111122223333:root",
        "arn:aws:iam::11112222333:root",
        "arn:aws:iam::11112222333x:root",
        "arn:aws:iam::111122223333:group/g",
        "arn:aws:sts::111122223333:root",
    ] {
        let e: PrincipalError = Principal::from_arn(bad).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("principal {bad:?}: ")),
            "{e}"
        );
        assert_eq!(e.to_string(), e.0, "Display shows the message as it is");
    }
    let role = Principal::from_arn("arn:aws:iam::111122223333:role/R").unwrap();
    assert!(
        matches!(&role, Principal::RoleSession { role_name, session_arn: None, .. } if role_name == "R")
    );
    let fed = Principal::from_arn("arn:aws:sts::111122223333:federated-user/x").unwrap();
    assert!(matches!(&fed, Principal::FederatedUser { name, .. } if name == "x"));
    let china = Principal::from_arn("arn:aws-cn:sts::111122223333:assumed-role/R/s").unwrap();
    assert_eq!(
        china.principal_arn().as_deref(),
        Some("arn:aws-cn:iam::111122223333:role/R")
    );
}

#[test]
fn principals_know_their_account_and_whether_they_are_sessions() {
    let cases = [
        (USER, Some("111122223333"), false),
        (ROLE, Some("111122223333"), true),
        (
            "arn:aws:sts::444455556666:assumed-role/Analyst/s1",
            Some("444455556666"),
            true,
        ),
        (
            "arn:aws:sts::111122223333:federated-user/bob",
            Some("111122223333"),
            true,
        ),
        (
            "arn:aws:iam::111122223333:root",
            Some("111122223333"),
            false,
        ),
    ];
    for (arn, account, session) in cases {
        let p = Principal::from_arn(arn).unwrap();
        assert_eq!(p.account(), account, "{arn}");
        assert_eq!(p.is_session(), session, "{arn}");
    }
    for (p, description) in [
        (
            Principal::WebIdentity("cognito-identity.amazonaws.com".into()),
            "federated identity from cognito-identity.amazonaws.com",
        ),
        (
            Principal::CanonicalUser("79a59df9".into()),
            "canonical user 79a59df9",
        ),
        (Principal::Anonymous, "an anonymous caller"),
    ] {
        assert_eq!(p.describe(), description);
        assert_eq!(p.account(), None);
        assert_eq!(p.principal_arn(), None);
        assert!(!p.is_session());
    }
}

#[test]
fn context_keys_are_found_by_their_lower_cased_name() {
    let mut ctx = Context::new().with("aws:SourceIp", "203.0.113.7");
    ctx.insert(
        "aws:TagKeys",
        ValueType::String,
        true,
        vec!["a".into(), "b".into()],
    );
    let ip = ctx.get("aws:sourceip").unwrap();
    assert_eq!(
        (ip.key.as_str(), ip.values.as_slice()),
        ("aws:SourceIp", &["203.0.113.7".to_string()][..])
    );
    let tags = ctx.get("aws:tagkeys").unwrap();
    assert!(tags.multivalued);
    assert_eq!(tags.values, ["a", "b"]);
    assert!(ctx.get("aws:username").is_none());
    // A later entry for the same key, in any case, replaces the earlier one.
    ctx.insert(
        "AWS:SOURCEIP",
        ValueType::Ip,
        false,
        vec!["198.51.100.1".into()],
    );
    assert_eq!(ctx.entries().len(), 2);
    let ip = ctx.get("aws:sourceip").unwrap();
    assert_eq!((ip.key.as_str(), ip.ty), ("AWS:SOURCEIP", ValueType::Ip));
    // The request looks in the given context first, then in the keys derived from the principal.
    let req = Request::with_context(user(), "s3:GetObject", "*", None, ctx);
    assert_eq!(req.lookup("aws:sourceip").unwrap().values, ["198.51.100.1"]);
    assert_eq!(req.lookup("aws:username").unwrap().values, ["alice"]);
    assert!(req.context.get("aws:username").is_none());
}

#[test]
fn trust_and_key_policy_actions_need_the_resource_policy() {
    let role_session =
        Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Other/s").unwrap();
    for (action, resource, needed) in [
        ("sts:AssumeRole", ROLE, true),
        ("STS:assumerole", ROLE, true),
        ("sts:AssumeRoleWithSAML", ROLE, true),
        ("sts:AssumeRoleWithWebIdentity", ROLE, true),
        ("sts:TagSession", ROLE, true),
        ("sts:SetSourceIdentity", ROLE, true),
        ("sts:SetContext", ROLE, true),
        ("sts:AssumeRole", "*", false),
        ("sts:AssumeRole", USER, false),
        (
            "sts:AssumeRole",
            "arn:aws:other:us-east-1:111122223333:role/x",
            false,
        ),
        ("sts:GetCallerIdentity", ROLE, false),
        ("sts:AssumeRole", KEY, false),
        ("kms:Decrypt", KEY, true),
        ("KMS:GenerateDataKey", KEY, true),
        (
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:111122223333:alias/app",
            false,
        ),
        (
            "kms:Decrypt",
            "arn:aws:other:us-east-1:111122223333:key/1",
            false,
        ),
        ("kms:Decrypt", "aws:kms:us-east-1:111122223333:key/1", false),
        ("kms:Decrypt", "*", false),
        ("kms:Decrypt", ROLE, false),
        ("s3:GetObject", KEY, false),
    ] {
        let req = Request::new(role_session.clone(), action, resource);
        assert_eq!(
            req.needs_resource_policy(),
            needed,
            "{action} on {resource}"
        );
    }
}

#[test]
fn assuming_a_role_needs_its_trust_policy_even_in_the_same_account() {
    let identity =
        parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["sts:AssumeRole","kms:Decrypt"],"Resource":"*"}}"#)
            .unwrap();
    let trust = |principal: &str| {
        parse(&format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":["sts:AssumeRole","kms:Decrypt"]}}}}"#
        ))
        .unwrap()
    };
    for resource in [ROLE, KEY] {
        let action = if resource == ROLE {
            "sts:AssumeRole"
        } else {
            "kms:Decrypt"
        };
        let decide = |resource_policy: Option<iamcr_policy::Policy>| {
            let set = PolicySet {
                identity: vec![identity.clone()],
                resource: resource_policy,
                ..PolicySet::default()
            };
            let e =
                Authorizer::new(&set)
                    .unwrap()
                    .evaluate(&Request::new(user(), action, resource));
            (e.decision, e.reason)
        };
        assert_eq!(
            decide(None),
            (Decision::ImplicitDeny, Reason::ResourcePolicyRequired),
            "{resource}"
        );
        assert_eq!(
            decide(Some(trust("arn:aws:iam::111122223333:user/bob"))),
            (Decision::ImplicitDeny, Reason::ResourcePolicyRequired),
            "{resource}"
        );
        // A grant to the account delegates to the identity-based Allow.
        assert_eq!(
            decide(Some(trust("111122223333"))),
            (Decision::Allowed, Reason::IdentityAllow),
            "{resource}"
        );
    }
    // Other actions need no resource policy in the same account.
    let set = PolicySet {
        identity: vec![identity],
        ..PolicySet::default()
    };
    let e = Authorizer::new(&set)
        .unwrap()
        .evaluate(&Request::new(user(), "sts:AssumeRole", "*"));
    assert_eq!(
        (e.decision, e.reason),
        (Decision::Allowed, Reason::IdentityAllow)
    );
}

/// Global condition keys page: `aws:PrincipalIsAWSService` is "present in the request context
/// for all signed API requests" — `false` for IAM principals, `true` for service principals —
/// and absent from anonymous requests.
#[test]
fn principal_is_aws_service_is_derived_for_signed_requests_only() {
    let value = |p: Principal| {
        Request::new(p, "s3:GetObject", "arn:aws:s3:::bucket/key")
            .lookup("aws:principalisawsservice")
            .map(|e| e.values.clone())
    };
    assert_eq!(
        value(Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap()),
        Some(vec!["false".to_string()])
    );
    assert_eq!(
        value(Principal::Service("cleanrooms.amazonaws.com".into())),
        Some(vec!["true".to_string()])
    );
    assert_eq!(value(Principal::Anonymous), None);
}
