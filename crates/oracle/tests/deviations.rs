//! One test per known simulator deviation (`deviation_<id>`), and a check that the Rust
//! table, `docs/simulator-deviations.md` and these tests name the same deviations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a broken fixture must stop the test at once."
)]

use iamcr_oracle::capability::{Capabilities, Limitation};
use iamcr_oracle::deviations::{DEVIATIONS, by_id};
use iamcr_oracle::plan::{Limits, assign, base_request, plan, resolve};
use iamcr_oracle::wire::{EvaluationResult, ResourceSpecificResult};
use iamcr_oracle::{
    Answer, Caller, Decision, Matched, ModelOracle, PolicyInputs, PolicySlot, Pos, Query, compare,
};

fn query(identity: &str) -> Query {
    Query {
        policies: PolicyInputs {
            identity: vec![identity.into()],
            ..PolicyInputs::default()
        },
        caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        resource_owner: None,
        context: vec![],
    }
}

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;

#[test]
fn deviation_scp_statements_not_matched() {
    let mut q = query(ALLOW_ALL);
    q.policies.scp = Some(vec![vec![
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoS3","Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#.into(),
    ]]);
    let model = ModelOracle.answer_one(&q).unwrap();
    assert_eq!(model.decision, Decision::ExplicitDeny);
    // The model names the SCP's Deny statement that decided.
    let scp_deny = model.matched.as_deref().unwrap_or_default();
    assert!(
        scp_deny
            .iter()
            .any(|m| m.slot.is_some_and(PolicySlot::is_scp) && m.sid.as_deref() == Some("NoS3")),
        "{scp_deny:?}"
    );
    // What the simulator answers (written here, not derived from the model's answer): the
    // explicit deny, with no matched statement listed.
    let mut simulator = Answer::decision(Decision::ExplicitDeny);
    simulator.matched = Some(vec![]);
    let c = compare(&q, &model, &simulator);
    assert!(!c.identical() && c.acceptable(), "{:?}", c.findings);
    assert_eq!(
        c.findings[0].deviation.as_deref(),
        Some("scp-statements-not-matched")
    );
    // An identity statement missing on the simulator's side is not excused.
    let mut other = simulator.clone();
    other.matched = Some(vec![Matched {
        slot: Some(PolicySlot::Identity(0)),
        statement: Some(0),
        sid: None,
        source_policy_id: "PolicyInputList.1".into(),
        source_policy_type: None,
        start: None,
        end: None,
    }]);
    assert!(!compare(&q, &model, &other).acceptable());
}

#[test]
fn deviation_scp_keys_not_missing() {
    let mut q = query(ALLOW_ALL);
    q.policies.scp = Some(vec![vec![
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}}"#.into(),
    ]]);
    let mut model = Answer::decision(Decision::ImplicitDeny);
    model.missing_context = Some(vec!["aws:RequestedRegion".into()]);
    let mut simulator = Answer::decision(Decision::ImplicitDeny);
    simulator.missing_context = Some(vec![]);
    let c = compare(&q, &model, &simulator);
    assert_eq!(
        c.findings[0].deviation.as_deref(),
        Some("scp-keys-not-missing")
    );
    // The model itself already leaves SCP-only keys out.
    assert_eq!(
        ModelOracle.answer_one(&q).unwrap().missing_context,
        Some(vec![])
    );
    // A key an identity policy tests is not excused.
    let q2 = query(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}}"#,
    );
    assert!(!compare(&q2, &model, &simulator).acceptable());
}

#[test]
fn deviation_rcp_not_simulated() {
    let mut q = query(ALLOW_ALL);
    q.policies.rcp = Some(vec![vec![ALLOW_ALL.into()]]);
    let u = Capabilities::simulator().check(&q).unwrap_err();
    assert_eq!(u.limitation, Limitation::ResourceControlPolicies);
    assert!(Capabilities::complete().check(&q).is_ok());
}

#[test]
fn deviation_eval_resource_name_template() {
    let mut a = query(ALLOW_ALL);
    let mut b = a.clone();
    b.resource = "arn:aws:s3:::bucket/other".into();
    a.action = "s3:GetObject".into();
    let qs = vec![a, b];
    let call = plan(&qs, &[0, 1], &Limits::default()).remove(0);
    let result = |name: &str| EvaluationResult {
        eval_action_name: "s3:GetObject".into(),
        eval_resource_name: Some(name.into()),
        // The aggregate: the most restrictive decision across resources.
        eval_decision: Some(Decision::ExplicitDeny),
        resource_specific_results: vec![
            ResourceSpecificResult {
                eval_resource_name: "arn:aws:s3:::bucket/key".into(),
                eval_resource_decision: Some(Decision::Allowed),
                ..ResourceSpecificResult::default()
            },
            ResourceSpecificResult {
                eval_resource_name: "arn:aws:s3:::bucket/other".into(),
                eval_resource_decision: Some(Decision::ExplicitDeny),
                ..ResourceSpecificResult::default()
            },
        ],
        ..EvaluationResult::default()
    };
    let out = assign(
        &call,
        &[result("arn:${Partition}:s3:::${BucketName}/${KeyName}")],
    );
    let decisions: Vec<Decision> = out
        .iter()
        .map(|(_, a)| a.as_ref().unwrap().decision)
        .collect();
    assert_eq!(decisions, vec![Decision::Allowed, Decision::ExplicitDeny]);
}

#[test]
fn deviation_statement_positions() {
    // AWS's example 1 (API_SimulateCustomPolicy.html): the statement of a pretty-printed
    // policy reported from one column past "{" to one column past "}".
    let policy = "{\n  \"Version\":\"2012-10-17\",\n  \"Statement\":[{\n    \"Sid\":\"First\",\n    \"Effect\":\"Allow\",\n    \"Action\":\"s3:ListBucket\",\n    \"Resource\":\"arn:aws:s3:::teambucket\"\n  },{\n    \"Sid\":\"Second\",\n    \"Effect\":\"Deny\",\n    \"Action\":\"s3:ListBucket\",\n    \"Resource\":\"arn:aws:s3:::other\"\n  }]\n}";
    let q = query(policy);
    let model = ModelOracle.answer_one(&Query {
        resource: "arn:aws:s3:::other".into(),
        action: "s3:ListBucket".into(),
        ..q.clone()
    });
    let m = model.unwrap().matched.unwrap().remove(0);
    let (start, end) = (m.start.unwrap(), m.end.unwrap());
    assert_eq!(
        (start, end),
        (
            Pos { line: 8, column: 5 },
            Pos {
                line: 13,
                column: 4
            }
        )
    );
    let mut reported = Matched {
        slot: None,
        statement: None,
        sid: None,
        source_policy_id: "PolicyInputList.1".into(),
        source_policy_type: Some("IAM Policy".into()),
        start: Some(Pos { line: 8, column: 6 }),
        end: Some(end),
    };
    resolve(&mut reported, &q.policies);
    assert_eq!(
        (reported.statement, reported.sid.as_deref()),
        (Some(1), Some("Second"))
    );
}

#[test]
fn deviation_source_policy_type_spelling() {
    let mut q = query(ALLOW_ALL);
    q.policies.resource = Some(
        r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#.into(),
    );
    let mut m = Matched {
        slot: None,
        statement: None,
        sid: None,
        source_policy_id: "ResourcePolicy".into(),
        source_policy_type: Some("Resource Policy".into()),
        start: None,
        end: None,
    };
    resolve(&mut m, &q.policies);
    assert_eq!((m.slot, m.statement), (Some(PolicySlot::Resource), Some(0)));
}

#[test]
fn deviation_principal_arn_not_populated() {
    let q = query(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"}}}}"#,
    );
    let r = base_request(&q, &Limits::default());
    assert_eq!(r.context_entries[0].key, "aws:PrincipalArn");
    assert_eq!(
        r.context_entries[0].values,
        vec!["arn:aws:iam::111122223333:user/alice"]
    );
    // The model derives the same value itself: the supplied entry changes nothing for it.
    assert_eq!(
        ModelOracle.answer_one(&q).unwrap().decision,
        Decision::Allowed
    );
}

#[test]
fn deviation_real_account_context_keys() {
    let mut q = query(
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}}"#,
    );
    let u = Capabilities::simulator().check(&q).unwrap_err();
    assert_eq!(u.limitation, Limitation::ContextKeyFromRealAccount);
    q.context.push(iamcr_oracle::ContextValue {
        key: "aws:PrincipalOrgID".into(),
        ty: iamcr_oracle::ContextKeyType::String,
        values: vec!["o-a1b2c3d4e5".into()],
    });
    assert!(Capabilities::simulator().check(&q).is_ok());
}

#[test]
fn deviation_role_trust_not_simulated() {
    let mut q = query(ALLOW_ALL);
    q.action = "sts:AssumeRole".into();
    q.resource = "arn:aws:iam::111122223333:role/Analyst".into();
    assert_eq!(
        Capabilities::simulator().check(&q).unwrap_err().limitation,
        Limitation::RoleTrustPolicy
    );
}

#[test]
fn deviation_caller_arn_kinds() {
    let check = |caller: Caller| {
        Capabilities::simulator().check(&Query {
            caller,
            ..query(ALLOW_ALL)
        })
    };
    assert!(
        check(Caller::Arn(
            "arn:aws:iam::111122223333:role/path/Analyst".into()
        ))
        .is_ok()
    );
    let kinds = [
        (
            Caller::Arn("arn:aws:sts::111122223333:assumed-role/Analyst/s".into()),
            Limitation::CallerAssumedRole,
        ),
        (
            Caller::Arn("arn:aws:sts::111122223333:federated-user/fed".into()),
            Limitation::CallerFederatedUser,
        ),
        (
            Caller::Arn("arn:aws:iam::111122223333:root".into()),
            Limitation::CallerRoot,
        ),
        (
            Caller::Service("cleanrooms.amazonaws.com".into()),
            Limitation::CallerServicePrincipal,
        ),
        (Caller::Anonymous, Limitation::CallerAnonymous),
    ];
    for (caller, l) in kinds {
        assert_eq!(check(caller).unwrap_err().limitation, l);
    }
}

#[test]
fn table_page_and_tests_name_the_same_deviations() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("../../docs/simulator-deviations.md")).unwrap();
    let tests = std::fs::read_to_string(root.join("tests/deviations.rs")).unwrap();
    for d in DEVIATIONS {
        assert!(
            page.contains(&format!("`{}`", d.id)),
            "docs/simulator-deviations.md lacks {}",
            d.id
        );
        assert!(
            page.contains(d.link),
            "docs/simulator-deviations.md lacks the link of {}",
            d.id
        );
        let name = format!("fn deviation_{}()", d.id.replace('-', "_"));
        assert!(tests.contains(&name), "no test {name}");
        assert!(by_id(d.id).is_some());
    }
    let ids: Vec<&str> = DEVIATIONS.iter().map(|d| d.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids");
}
