//! Compiling a policy from earlier compiled statements (`Authorizer::compile_policy_reusing`):
//! a statement written the same but for its Sid shares the earlier rules; a statement whose
//! meaning changed (Effect, a condition value, a resource, the policy's version) is compiled
//! afresh; and the result decides and explains as a fresh compile, with the new policy's
//! Sids and indices.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::{
    Authorizer, CompiledPolicy, Context, Decision, Earlier, PolicyRef, PolicySet, Principal,
    Request,
};
use iamcr_policy::{Effect, Policy, Spanned, parse};
use std::sync::Arc;

const TABLE: &str = "arn:aws:cleanrooms:us-east-1:111122223333:configuredtable/t1";

/// Three statements: an Allow with a condition, a Deny of one action, an Allow of ec2.
fn earlier_text(version: &str) -> String {
    format!(
        r#"{{"Version":"{version}","Statement":[
        {{"Sid":"Tagged","Effect":"Allow","Action":"cleanrooms:Get*","Resource":"*",
          "Condition":{{"StringEquals":{{"aws:RequestTag/env":"prod"}}}}}},
        {{"Sid":"NoDelete","Effect":"Deny","Action":"cleanrooms:DeleteConfiguredTable","Resource":"*"}},
        {{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:${{aws:PrincipalAccount}}:*"}}]}}"#
    )
}

fn compiled(policy: &Policy) -> Arc<CompiledPolicy> {
    Authorizer::compile_policy(policy, PolicyRef::Identity(0)).unwrap()
}

fn reusing(policy: &Policy, earlier: &Policy, compiled: &CompiledPolicy) -> Arc<CompiledPolicy> {
    let earlier = Earlier::new(earlier, compiled).expect("compiled from it");
    Authorizer::compile_policy_reusing(policy, PolicyRef::Identity(0), earlier).unwrap()
}

/// For each statement of `new`, the index of the earlier statement whose rules it shares.
fn shared_with(new: &CompiledPolicy, earlier: &CompiledPolicy) -> Vec<Option<usize>> {
    new.statements
        .iter()
        .map(|st| {
            earlier
                .statements
                .iter()
                .position(|e| Arc::ptr_eq(&e.rules, &st.rules))
        })
        .collect()
}

fn request(action: &str, env: &str) -> Request {
    let who = Principal::from_arn("arn:aws:iam::111122223333:role/Analyst").unwrap();
    let ctx = Context::new().with("aws:RequestTag/env", env);
    Request::with_context(who, action, TABLE, None, ctx)
}

fn authorizer(policy: Arc<CompiledPolicy>) -> Authorizer {
    let mut parts = Authorizer::new(&PolicySet::default()).unwrap().parts();
    parts.identity.push(policy);
    Authorizer::from_parts(parts).unwrap()
}

/// The requests the fixtures are asked: each statement applies to one of them.
fn requests() -> Vec<Request> {
    vec![
        request("cleanrooms:GetConfiguredTable", "prod"),
        request("cleanrooms:GetConfiguredTable", "dev"),
        request("cleanrooms:DeleteConfiguredTable", "prod"),
        request("ec2:DescribeInstances", "prod"),
    ]
}

/// `reused` explains every request as a fresh compile of `policy` does, and is laid out the
/// same (statements with their Sids, indices and positions, and the statement index).
fn assert_same_as_fresh(policy: &Policy, reused: &CompiledPolicy) {
    let fresh = compiled(policy);
    assert_eq!(format!("{fresh:?}"), format!("{reused:?}"));
    let (fresh, reused) = (authorizer(fresh), authorizer(Arc::new(reused.clone())));
    for req in requests() {
        assert_eq!(fresh.explain(&req), reused.explain(&req), "{req:?}");
    }
}

#[test]
fn reordered_duplicated_and_renamed_statements_share_the_earlier_rules() {
    let earlier = parse(&earlier_text("2012-10-17")).unwrap();
    let before = compiled(&earlier);
    let mut new = earlier.clone();
    new.statements.reverse();
    new.statements.push(new.statements[0].clone());
    for (i, st) in new.statements.iter_mut().enumerate() {
        st.value.sid = Some(Spanned::synthetic(format!("Renamed{i}")));
    }
    let after = reusing(&new, &earlier, &before);
    assert_eq!(
        shared_with(&after, &before),
        [Some(2), Some(1), Some(0), Some(2)]
    );
    assert_same_as_fresh(&new, &after);
    // The explanation names the new policy's Sids and indices.
    let auth = authorizer(after);
    let denied = auth.evaluate(&request("cleanrooms:DeleteConfiguredTable", "prod"));
    assert_eq!(denied.decision, Decision::ExplicitDeny);
    let matched: Vec<_> = denied
        .matched
        .iter()
        .map(|m| (m.statement, m.sid.clone()))
        .collect();
    assert_eq!(matched, [(1, Some("Renamed1".into()))]);
}

#[test]
fn a_statement_whose_effect_changed_is_compiled_afresh() {
    let earlier = parse(&earlier_text("2012-10-17")).unwrap();
    let before = compiled(&earlier);
    let mut new = earlier.clone();
    new.statements[1].value.effect = Some(Spanned::synthetic(Effect::Allow));
    let after = reusing(&new, &earlier, &before);
    assert_eq!(shared_with(&after, &before), [Some(0), None, Some(2)]);
    assert_same_as_fresh(&new, &after);
    let delete = request("cleanrooms:DeleteConfiguredTable", "prod");
    assert_eq!(
        authorizer(after).evaluate(&delete).decision,
        Decision::Allowed
    );
}

#[test]
fn a_statement_whose_condition_or_resource_changed_is_compiled_afresh() {
    let text = earlier_text("2012-10-17");
    let earlier = parse(&text).unwrap();
    let before = compiled(&earlier);
    let changed = [
        text.replace(
            r#""aws:RequestTag/env":"prod""#,
            r#""aws:RequestTag/env":"dev""#,
        ),
        text.replace("StringEquals", "StringNotEquals"),
        text.replace(
            r#""Resource":"*",
          "Condition""#,
            r#""Resource":"arn:aws:s3:::*",
          "Condition""#,
        ),
        text.replace("cleanrooms:Get*", "cleanrooms:List*"),
    ];
    for text in changed {
        let new = parse(&text).unwrap();
        assert_ne!(new, earlier, "{text}");
        let after = reusing(&new, &earlier, &before);
        assert_eq!(
            shared_with(&after, &before),
            [None, Some(1), Some(2)],
            "{text}"
        );
        assert_same_as_fresh(&new, &after);
        let get = request("cleanrooms:GetConfiguredTable", "prod");
        assert_ne!(
            authorizer(after).evaluate(&get).decision,
            Decision::Allowed,
            "{text}"
        );
    }
}

#[test]
fn another_version_compiles_every_statement_afresh() {
    // The 2008 version has no policy variables: the ec2 resource is then literal text.
    let earlier = parse(&earlier_text("2012-10-17")).unwrap();
    let before = compiled(&earlier);
    let new = parse(&earlier_text("2008-10-17")).unwrap();
    let after = reusing(&new, &earlier, &before);
    assert_eq!(shared_with(&after, &before), [None, None, None]);
    assert_same_as_fresh(&new, &after);
}

#[test]
fn a_statement_without_resource_is_reused_only_where_it_is_accepted() {
    let trust = parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow",
        "Principal":{"Service":"cleanrooms.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
    )
    .unwrap();
    let before = Authorizer::compile_policy(&trust, PolicyRef::Resource).unwrap();
    let earlier = Earlier::new(&trust, &before).unwrap();
    let mut renamed = trust.clone();
    renamed.statements[0].value.sid = Some(Spanned::synthetic("Trust".into()));
    let again = Authorizer::compile_policy_reusing(&renamed, PolicyRef::Resource, earlier).unwrap();
    assert!(Arc::ptr_eq(
        &again.statements[0].rules,
        &before.statements[0].rules
    ));
    // Outside the resource-policy slot it is refused, as a fresh compile refuses it.
    let refused = Authorizer::compile_policy_reusing(&renamed, PolicyRef::Identity(0), earlier);
    let fresh = Authorizer::compile_policy(&renamed, PolicyRef::Identity(0));
    assert_eq!(refused.unwrap_err(), fresh.unwrap_err());
}

#[test]
fn a_policy_that_was_not_compiled_from_the_earlier_one_is_refused_as_earlier() {
    let earlier = parse(&earlier_text("2012-10-17")).unwrap();
    let before = compiled(&earlier);
    let mut fewer = earlier.clone();
    fewer.statements.pop();
    assert!(Earlier::new(&fewer, &before).is_none());
    let mut renamed = earlier.clone();
    renamed.statements[0].value.sid = None;
    assert!(Earlier::new(&renamed, &before).is_none());
    let mut denied = earlier.clone();
    denied.statements[0].value.effect = Some(Spanned::synthetic(Effect::Deny));
    assert!(Earlier::new(&denied, &before).is_none());
    let legacy = parse(&earlier_text("2008-10-17")).unwrap();
    assert!(Earlier::new(&legacy, &before).is_none());
    assert!(Earlier::new(&earlier, &before).is_some());
}
