//! How a resource-based policy names the requester, and which grant decides when several
//! statements (or several entries of one `Principal`) name it in different ways.
//!
//! The rules (IAM User Guide, reference_policies_evaluation-logic_policy-eval-denyallow.html;
//! examples.md A4; docs/evaluation.md "Decision" 5): in the same account, a grant that names
//! the user, the role session, the federated user, a service, or everyone (`"*"`, also with an
//! `aws:PrincipalArn` condition, A4 #7) allows without identity-based permission; a grant to
//! a role ARN does too unless a permissions boundary or session policy does not allow (A4
//! #3-#5); a grant to the account only delegates to identity-based policies — except for the
//! root user of that account. The reported `Reason::ResourceGrant` is the grant that decides
//! the most, whatever the statement order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{Authorizer, Decision, Evaluation, Grant, PolicySet, Principal, Reason, Request};
use iamcr_policy::{Policy, parse};

const ACCOUNT: &str = "111122223333";
const USER: &str = "arn:aws:iam::111122223333:user/alice";
const ROLE: &str = "arn:aws:iam::111122223333:role/Analyst";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Analyst/s1";
const FEDERATED: &str = "arn:aws:sts::111122223333:federated-user/carol";
const ROOT: &str = "arn:aws:iam::111122223333:root";
const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";

const EVERYONE: &str = r#""*""#;
/// `"*"` limited to the role by `aws:PrincipalArn` (A4 #7).
const EVERYONE_IF_ROLE: &str = r#""*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Analyst"}}"#;

fn aws(value: &str) -> String {
    format!(r#"{{"AWS":"{value}"}}"#)
}

/// A resource-based policy with one Allow statement per principal (the JSON after
/// `"Principal":`).
fn resource_policy(principals: &[String]) -> Policy {
    let statements: Vec<String> = principals
        .iter()
        .map(|p| {
            format!(
                r#"{{"Effect":"Allow","Action":"cleanrooms:GetConfiguredTable","Resource":"*","Principal":{p}}}"#
            )
        })
        .collect();
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    ))
    .unwrap()
}

fn allow(action: &str) -> Policy {
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{action}","Resource":"*"}}}}"#
    ))
    .unwrap()
}

fn evaluate(who: Principal, set: &PolicySet) -> Evaluation {
    let req = Request::new(who, "cleanrooms:GetConfiguredTable", TABLE);
    Authorizer::new(set).unwrap().evaluate(&req)
}

/// The decision and reason for `who` under a resource policy naming `principals`, with
/// `extra` policies (identity, boundary, session) set by the caller.
fn grant(who: &str, principals: &[String], extra: PolicySet) -> (Decision, Reason) {
    let set = PolicySet {
        resource: Some(resource_policy(principals)),
        ..extra
    };
    let e = evaluate(Principal::from_arn(who).unwrap(), &set);
    (e.decision, e.reason)
}

fn allowed(g: Grant) -> (Decision, Reason) {
    (Decision::Allowed, Reason::ResourceGrant(g))
}

fn denied(r: Reason) -> (Decision, Reason) {
    (Decision::ImplicitDeny, r)
}

#[test]
fn a_grant_to_the_account_only_delegates_and_everyone_beats_it() {
    let none = PolicySet::default;
    for account in [aws(ACCOUNT), aws(ROOT)] {
        assert_eq!(
            grant(USER, std::slice::from_ref(&account), none()),
            denied(Reason::NoIdentityAllow),
            "the account grant alone needs an identity-based Allow"
        );
        let both = [EVERYONE.to_string(), account.clone()];
        assert_eq!(grant(USER, &both, none()), allowed(Grant::Everyone));
        let both = [account.clone(), EVERYONE.to_string()];
        assert_eq!(grant(USER, &both, none()), allowed(Grant::Everyone));
    }
    // With an identity-based Allow the account grant is enough, and says so.
    let identity = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        ..PolicySet::default()
    };
    assert_eq!(
        grant(USER, &[aws(ACCOUNT)], identity),
        (Decision::Allowed, Reason::IdentityAllow)
    );
}

#[test]
fn a_direct_grant_beats_everyone_and_the_account() {
    let none = PolicySet::default;
    for (who, direct, g) in [
        (USER, aws(USER), Grant::UserArn),
        (SESSION, aws(SESSION), Grant::SessionArn),
        (FEDERATED, aws(FEDERATED), Grant::FederatedUserArn),
    ] {
        let first = [direct.clone(), EVERYONE.to_string(), aws(ACCOUNT)];
        assert_eq!(grant(who, &first, none()), allowed(g), "{who}");
        let last = [aws(ACCOUNT), EVERYONE.to_string(), direct.clone()];
        assert_eq!(grant(who, &last, none()), allowed(g), "{who}");
        let middle = [EVERYONE.to_string(), direct, aws(ROOT)];
        assert_eq!(grant(who, &middle, none()), allowed(g), "{who}");
    }
}

#[test]
fn a_role_grant_is_limited_by_the_boundary_and_session_policies() {
    // Identity-based policies allow; the boundary or the session policy does not.
    let limited = [
        (
            PolicySet {
                identity: vec![allow("cleanrooms:*")],
                boundary: Some(allow("s3:*")),
                ..PolicySet::default()
            },
            Reason::BoundaryNoAllow,
        ),
        (
            PolicySet {
                identity: vec![allow("cleanrooms:*")],
                session: vec![allow("s3:*")],
                ..PolicySet::default()
            },
            Reason::SessionNoAllow,
        ),
    ];
    for (set, reason) in limited {
        assert_eq!(grant(SESSION, &[aws(ROLE)], set.clone()), denied(reason));
        // A4 #7: `"*"` with `aws:PrincipalArn` is not limited, and decides over the role grant.
        for order in [
            [aws(ROLE), EVERYONE_IF_ROLE.to_string()],
            [EVERYONE_IF_ROLE.to_string(), aws(ROLE)],
        ] {
            assert_eq!(
                grant(SESSION, &order, set.clone()),
                allowed(Grant::Everyone)
            );
        }
        // A4 #6: the session's own ARN is not limited either.
        for order in [[aws(SESSION), aws(ROLE)], [aws(ROLE), aws(SESSION)]] {
            assert_eq!(
                grant(SESSION, &order, set.clone()),
                allowed(Grant::SessionArn)
            );
        }
    }
}

#[test]
fn a_role_grant_beats_an_account_grant_when_nothing_limits_it() {
    // A4 #3: no identity-based Allow, no boundary, no session policy.
    for order in [[aws(ROLE), aws(ACCOUNT)], [aws(ACCOUNT), aws(ROLE)]] {
        assert_eq!(
            grant(SESSION, &order, PolicySet::default()),
            allowed(Grant::RoleArn)
        );
    }
}

#[test]
fn the_root_user_is_granted_directly_through_its_account() {
    for order in [
        [aws(ACCOUNT), EVERYONE.to_string()],
        [EVERYONE.to_string(), aws(ROOT)],
    ] {
        assert_eq!(
            grant(ROOT, &order, PolicySet::default()),
            allowed(Grant::Account)
        );
    }
}

#[test]
fn one_principal_list_names_the_requester_by_its_most_specific_entry() {
    let none = PolicySet::default;
    let list = |values: &[&str]| {
        let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        format!(r#"{{"AWS":[{}]}}"#, quoted.join(","))
    };
    let bob = "arn:aws:iam::111122223333:user/bob";
    for (values, expected) in [
        // Only a later value names the requester.
        (
            vec!["arn:aws:iam::999999999999:root", bob, USER],
            allowed(Grant::UserArn),
        ),
        (vec![USER, "*", ACCOUNT], allowed(Grant::UserArn)),
        (vec![ACCOUNT, "*", USER], allowed(Grant::UserArn)),
        (vec!["*", ACCOUNT], allowed(Grant::Everyone)),
        (vec![ACCOUNT, "*"], allowed(Grant::Everyone)),
        (vec![ROOT], denied(Reason::NoIdentityAllow)),
        (
            vec!["arn:aws:iam::999999999999:root", bob],
            denied(Reason::NoIdentityAllow),
        ),
    ] {
        assert_eq!(
            grant(USER, &[list(&values)], none()),
            expected,
            "{values:?}"
        );
    }
    // Role ARNs name every session of the role, whatever the path; other roles do not.
    let roles = list(&[
        "arn:aws:iam::111122223333:role/Other",
        "arn:aws:iam::111122223333:role/team/Analyst",
    ]);
    assert_eq!(grant(SESSION, &[roles], none()), allowed(Grant::RoleArn));
    let other = list(&[
        "arn:aws:iam::111122223333:role/Other",
        "arn:aws:iam::444455556666:role/Analyst",
    ]);
    assert_eq!(
        grant(SESSION, &[other], none()),
        denied(Reason::NoIdentityAllow)
    );
    // Several principal types in one element.
    let mixed = format!(
        r#"{{"Service":"cleanrooms.amazonaws.com","AWS":["arn:aws:iam::999999999999:root","{USER}"]}}"#
    );
    assert_eq!(grant(USER, &[mixed], none()), allowed(Grant::UserArn));
}

#[test]
fn non_iam_principals_are_named_by_their_own_principal_type() {
    let set = |principal: &str| PolicySet {
        resource: Some(resource_policy(&[principal.to_string()])),
        ..PolicySet::default()
    };
    let service = || Principal::Service("cleanrooms.amazonaws.com".into());
    let idp = || Principal::WebIdentity("cognito-identity.amazonaws.com".into());
    let canonical_id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
    let canonical = || Principal::CanonicalUser(canonical_id.into());
    let cases = [
        (
            service(),
            r#"{"Service":["ec2.amazonaws.com","cleanrooms.amazonaws.com"]}"#.to_string(),
            Some(Grant::Service),
        ),
        (
            idp(),
            r#"{"Federated":"cognito-identity.amazonaws.com"}"#.to_string(),
            Some(Grant::IdentityProvider),
        ),
        (
            canonical(),
            format!(r#"{{"CanonicalUser":"{canonical_id}"}}"#),
            Some(Grant::CanonicalUser),
        ),
        (
            Principal::Anonymous,
            EVERYONE.to_string(),
            Some(Grant::Everyone),
        ),
        (service(), aws("cleanrooms.amazonaws.com"), None),
        (
            service(),
            r#"{"Service":"ec2.amazonaws.com"}"#.to_string(),
            None,
        ),
        (
            idp(),
            r#"{"Federated":"accounts.google.com"}"#.to_string(),
            None,
        ),
        (
            canonical(),
            r#"{"CanonicalUser":"other"}"#.to_string(),
            None,
        ),
        (Principal::Anonymous, aws(ACCOUNT), None),
    ];
    for (who, principal, expected) in cases {
        let e = evaluate(who.clone(), &set(&principal));
        match expected {
            Some(g) => assert_eq!((e.decision, e.reason), allowed(g), "{who:?} {principal}"),
            None => assert_eq!(e.decision, Decision::ImplicitDeny, "{who:?} {principal}"),
        }
    }
}

/// Listing one more principal never takes access away: `{"AWS": ["*", roleArn]}` in one
/// statement decides as `"*"` and the role ARN in two statements do — the grant to everyone,
/// which a permissions boundary or session policy does not limit (a bug once: within one
/// statement the role ARN was preferred, and the boundary then denied).
#[test]
fn everyone_and_a_role_in_one_principal_decide_as_in_two_statements() {
    let limited = PolicySet {
        identity: vec![allow("cleanrooms:*")],
        boundary: Some(allow("s3:*")),
        ..PolicySet::default()
    };
    let one = format!(r#"{{"AWS":["*","{ROLE}"]}}"#);
    let reversed = format!(r#"{{"AWS":["{ROLE}","*"]}}"#);
    let two = [EVERYONE.to_string(), aws(ROLE)];
    for principals in [vec![one], vec![reversed], two.to_vec()] {
        assert_eq!(
            grant(SESSION, &principals, limited.clone()),
            allowed(Grant::Everyone),
            "{principals:?}"
        );
    }
}
