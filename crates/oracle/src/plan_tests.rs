use super::*;
use crate::query::{Caller, ContextKeyType, ContextValue, Decision, Matched, PolicyInputs, Pos};
use crate::wire::ResourceSpecificResult;

const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"D","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#;

fn q(action: &str, resource: &str) -> Query {
    Query {
        policies: PolicyInputs {
            identity: vec![ALLOW_S3.into()],
            ..PolicyInputs::default()
        },
        caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
        action: action.into(),
        resource: resource.into(),
        resource_owner: None,
        context: vec![],
    }
}

fn all(qs: &[Query]) -> Vec<usize> {
    (0..qs.len()).collect()
}

#[test]
fn shared_inputs_become_one_call_with_every_action_and_resource() {
    let mut qs = Vec::new();
    for a in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
        for r in ["arn:aws:s3:::b/1", "arn:aws:s3:::b/2", "arn:aws:s3:::b/3"] {
            qs.push(q(a, r));
        }
    }
    let calls = plan(&qs, &all(&qs), &Limits::default());
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].request.action_names.len(), 3);
    assert_eq!(calls[0].request.resource_arns.len(), 3);
    assert_eq!(calls[0].members.len(), 9);
    assert_eq!(calls[0].request.max_items, Some(1000));
}

#[test]
fn different_context_or_caller_or_owner_are_different_calls() {
    let base = q("s3:GetObject", "arn:aws:s3:::b/1");
    let mut ctx = base.clone();
    ctx.context.push(ContextValue {
        key: "aws:SourceIp".into(),
        ty: ContextKeyType::Ip,
        values: vec!["10.0.0.1".into()],
    });
    let mut caller = base.clone();
    caller.caller = Caller::Arn("arn:aws:iam::111122223333:role/R".into());
    let mut owner = base.clone();
    owner.resource_owner = Some("444455556666".into());
    let mut star = base.clone();
    star.resource = "*".into();
    let qs = vec![base, ctx, caller, owner, star];
    assert_eq!(plan(&qs, &all(&qs), &Limits::default()).len(), 5);
}

#[test]
fn limits_are_respected_and_every_pair_is_planned_once() {
    let mut qs = Vec::new();
    for a in 0..10 {
        for r in 0..7 {
            qs.push(q(&format!("s3:Action{a}"), &format!("arn:aws:s3:::b/{r}")));
        }
    }
    let limits = Limits {
        max_actions: 4,
        max_resources: 3,
        max_pairs: 10,
        max_items: 5,
    };
    let calls = plan(&qs, &all(&qs), &limits);
    let mut seen: Vec<usize> = calls
        .iter()
        .flat_map(|c| c.members.iter().map(|m| m.0))
        .collect();
    seen.sort();
    assert_eq!(seen, all(&qs));
    for c in &calls {
        assert!(c.request.action_names.len() <= 4);
        assert!(c.request.resource_arns.len() <= 3);
        assert!(c.request.action_names.len() * c.request.resource_arns.len() <= 12);
        assert_eq!(c.request.max_items, Some(5));
    }
}

#[test]
fn resource_policy_calls_keep_one_service_and_account() {
    let mut a = q("s3:GetObject", "arn:aws:s3:::b/1");
    a.policies.resource = Some(
        r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#.into(),
    );
    let mut b = a.clone();
    b.resource = "arn:aws:sqs:us-east-1:111122223333:q".into();
    let mut c = a.clone();
    c.resource = "arn:aws:s3:::b/2".into();
    let qs = vec![a, b, c];
    let calls = plan(&qs, &all(&qs), &Limits::default());
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].request.resource_arns.len(), 2);
}

#[test]
fn principal_arn_is_supplied_when_tested_and_not_given() {
    let mut x = q("s3:GetObject", "arn:aws:s3:::b/1");
    x.policies.identity = vec![r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}}}"#.into()];
    let r = base_request(&x, &Limits::default());
    assert_eq!(r.context_entries.len(), 1);
    assert_eq!(r.context_entries[0].key, "aws:PrincipalArn");
    assert_eq!(
        r.context_entries[0].values,
        vec!["arn:aws:iam::111122223333:user/alice"]
    );
    x.context.push(ContextValue {
        key: "aws:principalarn".into(),
        ty: ContextKeyType::String,
        values: vec!["given".into()],
    });
    let r = base_request(&x, &Limits::default());
    assert_eq!(r.context_entries.len(), 1);
    assert_eq!(r.context_entries[0].values, vec!["given"]);
    assert_eq!(
        base_request(&q("s3:GetObject", "*"), &Limits::default()).context_entries,
        vec![]
    );
}

fn matched(id: &str, start: (u32, u32), end: (u32, u32)) -> Matched {
    Matched {
        slot: None,
        statement: None,
        sid: None,
        source_policy_id: id.into(),
        source_policy_type: Some("IAM Policy".into()),
        start: Some(Pos {
            line: start.0,
            column: start.1,
        }),
        end: Some(Pos {
            line: end.0,
            column: end.1,
        }),
    }
}

#[test]
fn positions_resolve_to_statements() {
    let p = PolicyInputs {
        identity: vec![ALLOW_S3.into()],
        ..PolicyInputs::default()
    };
    let second = ALLOW_S3.find(r#"{"Sid":"D""#).unwrap() as u32 + 1;
    let end = ALLOW_S3.len() as u32 - 1; // one past the second statement's "}"
    // End exactly one past "}", start one past "{" (the documented example's convention).
    let mut m = matched("PolicyInputList.1", (1, second + 1), (1, end));
    resolve(&mut m, &p);
    assert_eq!(
        (m.slot, m.statement, m.sid.as_deref()),
        (Some(PolicySlot::Identity(0)), Some(1), Some("D"))
    );
    // Start at the comma before the statement, end one further.
    let mut m = matched("PolicyInputList.1", (1, second - 1), (1, end + 1));
    resolve(&mut m, &p);
    assert_eq!(m.statement, Some(1));
    // An id that is no input stays unresolved.
    let mut m = matched("SomethingElse", (1, 1), (1, 2));
    resolve(&mut m, &p);
    assert_eq!((m.slot, m.statement), (None, None));
}

fn rsr(resource: &str, d: Decision) -> ResourceSpecificResult {
    ResourceSpecificResult {
        eval_resource_name: resource.into(),
        eval_resource_decision: Some(d),
        ..ResourceSpecificResult::default()
    }
}

#[test]
fn results_map_back_by_action_and_resource_specific_results() {
    let qs = vec![
        q("s3:GetObject", "arn:aws:s3:::b/1"),
        q("s3:GetObject", "arn:aws:s3:::b/2"),
        q("s3:DeleteObject", "arn:aws:s3:::b/1"),
    ];
    let calls = plan(&qs, &all(&qs), &Limits::default());
    assert_eq!(calls.len(), 1);
    let results = vec![
        EvaluationResult {
            eval_action_name: "s3:GetObject".into(),
            // Since 2026 the top level names the ARN template, never a requested resource.
            eval_resource_name: Some("arn:${Partition}:s3:::${BucketName}/${KeyName}".into()),
            eval_decision: Some(Decision::ImplicitDeny),
            resource_specific_results: vec![
                rsr("arn:aws:s3:::b/1", Decision::Allowed),
                rsr("arn:aws:s3:::b/2", Decision::ImplicitDeny),
            ],
            ..EvaluationResult::default()
        },
        EvaluationResult {
            eval_action_name: "s3:DeleteObject".into(),
            eval_resource_name: Some("arn:${Partition}:s3:::${BucketName}/${KeyName}".into()),
            eval_decision: Some(Decision::ExplicitDeny),
            resource_specific_results: vec![rsr("arn:aws:s3:::b/1", Decision::ExplicitDeny)],
            ..EvaluationResult::default()
        },
    ];
    let mut got: Vec<(usize, Decision)> = assign(&calls[0], &results)
        .into_iter()
        .map(|(i, a)| (i, a.unwrap().decision))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (0, Decision::Allowed),
            (1, Decision::ImplicitDeny),
            (2, Decision::ExplicitDeny)
        ]
    );
}

#[test]
fn old_shape_one_result_per_pair_and_missing_results_are_errors() {
    let qs = vec![
        q("s3:GetObject", "arn:aws:s3:::b/1"),
        q("s3:GetObject", "arn:aws:s3:::b/2"),
    ];
    let calls = plan(&qs, &all(&qs), &Limits::default());
    let results = vec![EvaluationResult {
        eval_action_name: "s3:GetObject".into(),
        eval_resource_name: Some("arn:aws:s3:::b/2".into()),
        eval_decision: Some(Decision::Allowed),
        ..EvaluationResult::default()
    }];
    let out = assign(&calls[0], &results);
    assert_eq!(out[0].1.as_ref().unwrap_err().kind, ErrorKind::NoResult);
    assert_eq!(out[1].1.as_ref().unwrap().decision, Decision::Allowed);
}

#[test]
fn single_resource_calls_use_the_top_level_result() {
    let qs = vec![q("s3:GetObject", "*")];
    let calls = plan(&qs, &all(&qs), &Limits::default());
    let results = vec![EvaluationResult {
        eval_action_name: "s3:GetObject".into(),
        eval_resource_name: Some("*".into()),
        eval_decision: Some(Decision::ImplicitDeny),
        missing_context_values: vec!["aws:SourceIp".into()],
        ..EvaluationResult::default()
    }];
    let a = assign(&calls[0], &results).remove(0).1.unwrap();
    assert_eq!(a.missing_context, Some(vec!["aws:SourceIp".to_string()]));
}

#[test]
fn split_halves_actions_then_resources() {
    let qs = vec![
        q("s3:GetObject", "arn:aws:s3:::b/1"),
        q("s3:PutObject", "arn:aws:s3:::b/1"),
        q("s3:GetObject", "arn:aws:s3:::b/2"),
    ];
    let call = plan(&qs, &all(&qs), &Limits::default()).remove(0);
    let (l, r) = call.split().unwrap();
    assert_eq!(l.request.action_names, vec!["s3:GetObject"]);
    assert_eq!(l.members.len(), 2);
    assert_eq!(r.members.len(), 1);
    let (ll, lr) = l.split().unwrap();
    assert_eq!((ll.members.len(), lr.members.len()), (1, 1));
    assert!(ll.split().is_none());
}
