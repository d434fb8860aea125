//! A set built from compiled policies ([`Authorizer::parts`], [`Authorizer::from_parts`]) is
//! the set compiling the same policies whole gives: the same decisions and the same matched
//! statements, named by their new places; a statement without `Resource` is still refused
//! outside the resource-policy slot.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{Authorizer, PolicyRef, PolicySet, Principal, Request};
use iamcr_policy::{Policy, parse};

const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";

fn policy(effect: &str, action: &str) -> Policy {
    parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"S","Effect":"{effect}","Action":"{action}","Resource":"*"}}}}"#
    ))
    .unwrap()
}

fn requests() -> Vec<Request> {
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    [
        "cleanrooms:GetConfiguredTable",
        "cleanrooms:DeleteConfiguredTable",
        "s3:GetObject",
    ]
    .iter()
    .map(|a| Request::new(who.clone(), a, TABLE))
    .collect()
}

fn same(composed: &Authorizer, whole: &PolicySet) {
    let whole = Authorizer::new(whole).unwrap();
    for r in requests() {
        assert_eq!(composed.evaluate(&r), whole.evaluate(&r), "{}", r.action);
        assert_eq!(composed.explain(&r), whole.explain(&r), "{}", r.action);
    }
}

#[test]
fn a_composed_set_decides_and_names_statements_as_the_whole_compiled_set() {
    let allow = policy("Allow", "cleanrooms:*");
    let deny = policy("Deny", "cleanrooms:Delete*");
    let set = PolicySet {
        identity: vec![allow.clone(), deny.clone()],
        scp: Some(vec![vec![policy("Allow", "*")]]),
        ..PolicySet::default()
    };
    let auth = Authorizer::new(&set).unwrap();

    // Reordered: the Deny is now identity[0], and is named so.
    let mut parts = auth.parts();
    parts.identity.reverse();
    let reversed = Authorizer::from_parts(parts).unwrap();
    let mut whole = set.clone();
    whole.identity.reverse();
    same(&reversed, &whole);
    let delete = &requests()[1];
    let matched = reversed.evaluate(delete).matched;
    assert_eq!(matched[0].policy, PolicyRef::Identity(0), "{matched:?}");

    // A policy added, and an SCP level inserted before the others.
    let mut parts = auth.parts();
    let s3 = policy("Allow", "s3:GetObject");
    parts
        .identity
        .push(Authorizer::compile_policy(&s3, PolicyRef::Identity(2)).unwrap());
    let limit = policy("Allow", "cleanrooms:Get*");
    let level = Authorizer::compile_policy(&limit, PolicyRef::Scp(0, 0)).unwrap();
    parts.scp.as_mut().unwrap().insert(0, vec![level]);
    let mut whole = set.clone();
    whole.identity.push(s3);
    whole.scp.as_mut().unwrap().insert(0, vec![limit]);
    same(&Authorizer::from_parts(parts).unwrap(), &whole);
}

#[test]
fn a_trust_policy_compiled_for_the_resource_slot_is_refused_elsewhere() {
    let trust = parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#,
    )
    .unwrap();
    let compiled = Authorizer::compile_policy(&trust, PolicyRef::Resource).unwrap();
    assert!(Authorizer::compile_policy(&trust, PolicyRef::Identity(0)).is_err());
    let mut parts = Authorizer::new(&PolicySet::default()).unwrap().parts();
    parts.resource = Some(compiled.clone());
    assert!(Authorizer::from_parts(parts.clone()).is_ok());
    parts.identity.push(compiled);
    let err = Authorizer::from_parts(parts).unwrap_err();
    assert_eq!(err.policy, PolicyRef::Identity(0), "{err}");
    assert!(err.to_string().contains("Resource"), "{err}");
}
