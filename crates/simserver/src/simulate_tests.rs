use super::*;
use iamcr_oracle::Decision::{Allowed, ExplicitDeny, ImplicitDeny};

const CALLER: &str = "arn:aws:iam::111122223333:user/alice";

/// Statement 0 allows s3:* (lines 1-1), statement 1 (line 2) denies DeleteObject on `b/secret`.
const POLICY: &str = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},\n{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::b/secret\"}]}";

fn request(actions: &[&str], resources: &[&str]) -> SimulateRequest {
    SimulateRequest {
        policy_input_list: vec![POLICY.into()],
        caller_arn: Some(CALLER.into()),
        action_names: actions.iter().map(|s| s.to_string()).collect(),
        resource_arns: resources.iter().map(|s| s.to_string()).collect(),
        ..SimulateRequest::default()
    }
}

fn all(r: &SimulateRequest) -> Vec<EvaluationResult> {
    answer(r, CALLER, None).unwrap().0.evaluation_results
}

#[test]
fn one_result_per_action_with_the_most_restrictive_decision_and_per_resource_answers() {
    let r = request(
        &["s3:GetObject", "s3:DeleteObject", "ec2:RunInstances"],
        &["arn:aws:s3:::b/open", "arn:aws:s3:::b/secret"],
    );
    let results = all(&r);
    let decisions: Vec<_> = results
        .iter()
        .map(|r| (r.eval_action_name.as_str(), r.eval_decision))
        .collect();
    assert_eq!(
        decisions,
        vec![
            ("s3:GetObject", Some(Allowed)),
            ("s3:DeleteObject", Some(ExplicitDeny)),
            ("ec2:RunInstances", Some(ImplicitDeny)),
        ]
    );
    let delete = &results[1];
    let per: Vec<_> = delete
        .resource_specific_results
        .iter()
        .map(|s| (s.eval_resource_name.as_str(), s.eval_resource_decision))
        .collect();
    assert_eq!(
        per,
        vec![
            ("arn:aws:s3:::b/open", Some(Allowed)),
            ("arn:aws:s3:::b/secret", Some(ExplicitDeny))
        ]
    );
    // The top level lists the statements behind its own decision only: the deny, on line 2,
    // its start one column past the brace as in AWS's examples.
    assert_eq!(delete.matched_statements.len(), 1);
    let m = &delete.matched_statements[0];
    assert_eq!(m.source_policy_id, "PolicyInputList.1");
    assert_eq!(m.start, Some(Pos { line: 2, column: 2 }));
    assert_eq!(m.source_policy_type.as_deref(), Some("IAM Policy"));
    // The top-level resource is the resource type's ARN template, not the resource.
    assert_eq!(
        delete.eval_resource_name.as_deref(),
        Some("arn:${Partition}:s3:::${BucketName}/${ObjectName}")
    );
}

#[test]
fn without_resources_the_result_is_for_star_with_no_per_resource_list() {
    let results = all(&request(&["s3:GetObject"], &[]));
    assert_eq!(results[0].eval_resource_name.as_deref(), Some("*"));
    assert!(results[0].resource_specific_results.is_empty());
    assert_eq!(results[0].eval_decision, Some(Allowed));
}

#[test]
fn scp_statements_are_never_listed_but_decide() {
    let mut r = request(&["s3:GetObject"], &["arn:aws:s3:::b/open"]);
    r.ordered_organization_policy_input_list = vec![vec![
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#.into(),
    ]];
    let res = &all(&r)[0];
    assert_eq!(res.eval_decision, Some(ExplicitDeny));
    assert_eq!(res.allowed_by_organizations, Some(false));
    assert!(
        res.matched_statements
            .iter()
            .all(|m| !m.source_policy_id.contains("Organization"))
    );
}

#[test]
fn missing_context_keys_are_reported_per_resource_and_at_the_top() {
    let mut r = request(&["s3:GetObject"], &["arn:aws:s3:::b/open"]);
    r.policy_input_list = vec![r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}"#.into()];
    let res = &all(&r)[0];
    assert_eq!(res.eval_decision, Some(ImplicitDeny));
    assert_eq!(res.missing_context_values, vec!["aws:SourceVpc"]);
    assert_eq!(
        res.resource_specific_results[0].missing_context_values,
        vec!["aws:SourceVpc"]
    );
}

#[test]
fn what_the_simulator_refuses_is_invalid_input() {
    let refused = |r: SimulateRequest, says: &str| {
        let e = answer(&r, CALLER, None).unwrap_err();
        assert_eq!((e.status, e.code), (400, "InvalidInput"), "{e:?}");
        assert!(e.message.contains(says), "{} lacks {says}", e.message);
    };
    let mut assumed = request(&["s3:GetObject"], &[]);
    assumed.caller_arn = Some("arn:aws:sts::111122223333:assumed-role/r/s".into());
    refused(assumed, "caller-assumed-role");
    refused(request(&["s3:Get*"], &[]), "wildcard-action");
    let mut no_caller = request(&["s3:GetObject"], &["arn:aws:s3:::b/k"]);
    no_caller.caller_arn = None;
    no_caller.resource_policy = Some(POLICY.into());
    refused(no_caller, "CallerArn is required");
    let mut elsewhere = request(
        &["sqs:SendMessage"],
        &["arn:aws:sqs:us-east-1:111122223333:q"],
    );
    elsewhere.resource_policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}"#.into());
    refused(elsewhere, "resource-policy-not-applicable");
    let mut broken = request(&["s3:GetObject"], &[]);
    broken.policy_input_list.push("{\"Statement\": [".into());
    refused(broken, "PolicyInputList.2 is not a valid policy document");
    let mut owner = request(&["s3:GetObject"], &[]);
    owner.resource_owner = Some("111122223333".into());
    refused(owner, "arn:aws:iam::ACCOUNT-ID:root");
}

#[test]
fn pages_follow_max_items_and_markers_only_fit_their_request() {
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:GetBucketPolicy",
    ];
    let mut r = request(&actions, &["arn:aws:s3:::b/open"]);
    r.max_items = Some(2);
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let (page, _) = answer(&r, CALLER, None).unwrap();
        pages += 1;
        seen.extend(
            page.evaluation_results
                .iter()
                .map(|e| e.eval_action_name.clone()),
        );
        assert_eq!(page.is_truncated, page.marker.is_some());
        match page.marker {
            Some(m) => r.marker = Some(m),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, actions);
    // The fault cap makes pages smaller than MaxItems.
    let mut capped = request(&actions, &[]);
    capped.max_items = Some(1000);
    let (page, _) = answer(&capped, CALLER, Some(2)).unwrap();
    assert_eq!(page.evaluation_results.len(), 2);
    assert!(page.is_truncated);
    // A marker for another request is refused.
    let mut other = request(&["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], &[]);
    other.marker = page.marker;
    assert_eq!(
        answer(&other, CALLER, None).unwrap_err().code,
        "InvalidInput"
    );
}

#[test]
fn decision_details_follow_the_cross_account_rule() {
    // Same account, named resource: present but empty; `*`: absent; other account: present.
    let same = answer(
        &request(&["s3:GetObject"], &["arn:aws:s3:::b/open"]),
        CALLER,
        None,
    )
    .unwrap();
    assert_eq!(same.1, vec![true]);
    assert!(
        same.0.evaluation_results[0]
            .eval_decision_details
            .is_empty()
    );
    let star = answer(&request(&["s3:GetObject"], &[]), CALLER, None).unwrap();
    assert_eq!(star.1, vec![false]);
    let mut cross = request(
        &["sqs:SendMessage"],
        &["arn:aws:sqs:us-east-1:444455556666:q"],
    );
    cross.resource_policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sqs:SendMessage","Resource":"*"}]}"#.into());
    // Across accounts both sides must allow: the caller's own policy too.
    cross.policy_input_list = vec![r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#.into()];
    let (page, present) = answer(&cross, CALLER, None).unwrap();
    assert_eq!(present, vec![true]);
    assert_eq!(page.evaluation_results[0].eval_decision, Some(Allowed));
    assert!(!page.evaluation_results[0].eval_decision_details.is_empty());
}
