//! The live simulator over `aws-sdk-iam`, against recorded HTTP exchanges: what is sent
//! (the form parameters of `SimulateCustomPolicy`), how responses are read (pages,
//! `ResourceSpecificResults`, errors), credentials and the allow-list. No network: the
//! SDK's HTTP client is a `StaticReplayClient`.
#![cfg(feature = "live")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a broken fixture must stop the test at once."
)]

mod support;

use aws_sdk_iam::config::IntoShared;
use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_types::body::SdkBody;
use iamcr_oracle::live::{AllowList, FileConfig, Live, LiveError};
use iamcr_oracle::pace::{Jitter, VirtualClock};
use iamcr_oracle::plan::Limits;
use iamcr_oracle::wire::{CallErrorKind, SimulateRequest, Simulator};
use iamcr_oracle::{
    Caller, ContextKeyType, ContextValue, Decision, ErrorKind, PolicyInputs, PolicySlot, Query,
    Runner, Settings,
};
use support::{error_xml, form, members, sdk_config, simulate_xml, xml_response};

fn event(status: u16, body: String) -> ReplayEvent {
    ReplayEvent::new(
        http::Request::builder()
            .uri("https://iam.amazonaws.com/")
            .body(SdkBody::empty())
            .unwrap(),
        xml_response(status, body),
    )
}

fn live(events: Vec<ReplayEvent>) -> (Live, StaticReplayClient) {
    let client = StaticReplayClient::new(events);
    let live = Live::from_config(&sdk_config(client.clone().into_shared())).unwrap();
    (live, client)
}

fn sent(client: &StaticReplayClient) -> Vec<std::collections::BTreeMap<String, String>> {
    client
        .actual_requests()
        .map(|r| form(r.body().bytes().unwrap()))
        .collect()
}

/// The documentation's "same-account simulation" response (API_SimulateCustomPolicy.html,
/// example 2), with its ResourceSpecificResults.
const DOC_EXAMPLE_2: &str = r#"<member>
  <EvalDecisionDetails/>
  <PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>false</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>
  <MatchedStatements><member><SourcePolicyId>ResourcePolicy</SourcePolicyId><EndPosition><Column>259</Column><Line>1</Line></EndPosition><SourcePolicyType>Resource Policy</SourcePolicyType><StartPosition><Column>68</Column><Line>1</Line></StartPosition></member></MatchedStatements>
  <MissingContextValues/>
  <EvalResourceName>arn:aws:s3:::production/Test</EvalResourceName>
  <EvalDecision>allowed</EvalDecision>
  <EvalActionName>s3:PutObject</EvalActionName>
  <ResourceSpecificResults><member>
    <PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>false</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>
    <MatchedStatements><member><SourcePolicyId>ResourcePolicy</SourcePolicyId><EndPosition><Column>259</Column><Line>1</Line></EndPosition><SourcePolicyType>Resource Policy</SourcePolicyType><StartPosition><Column>68</Column><Line>1</Line></StartPosition></member></MatchedStatements>
    <EvalResourceDecision>allowed</EvalResourceDecision>
    <MissingContextValues/>
    <EvalResourceName>arn:aws:s3:::production/Test</EvalResourceName>
  </member></ResourceSpecificResults>
</member>"#;

fn full_request() -> SimulateRequest {
    SimulateRequest {
        policy_input_list: vec![r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}"#.into(), "{\"Statement\":[]}".into()],
        permissions_boundary_policy_input_list: vec!["{\"b\":1}".into()],
        ordered_organization_policy_input_list: vec![vec!["{\"root\":1}".into()], vec!["{\"ou\":1}".into(), "{\"ou\":2}".into()]],
        resource_policy: Some("{\"rp\":1}".into()),
        resource_owner: Some("arn:aws:iam::111122223333:root".into()),
        caller_arn: Some("arn:aws:iam::111122223333:user/mateo".into()),
        context_entries: ContextKeyType::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| ContextValue {
                key: format!("test:Key{i}"),
                ty: *t,
                values: if t.is_list() { vec!["a".into(), "b".into()] } else { vec!["a".into()] },
            })
            .collect(),
        action_names: vec!["s3:PutObject".into(), "s3:GetObject".into()],
        resource_arns: vec!["arn:aws:s3:::production/Test".into()],
        max_items: Some(1000),
        marker: None,
    }
}

#[test]
fn every_request_parameter_is_sent_as_form_members() {
    let (mut live, client) = live(vec![event(200, simulate_xml(DOC_EXAMPLE_2, None))]);
    let page = live.simulate(&full_request()).unwrap();
    assert_eq!(page.evaluation_results.len(), 1);
    let f = &sent(&client)[0];
    assert_eq!(f["Action"], "SimulateCustomPolicy");
    assert_eq!(f["Version"], "2010-05-08");
    assert_eq!(members(f, "PolicyInputList").len(), 2);
    assert!(f["PolicyInputList.member.1"].contains("\"iam:*\""));
    assert_eq!(
        f["PermissionsBoundaryPolicyInputList.member.1"],
        "{\"b\":1}"
    );
    assert_eq!(
        f["OrderedOrganizationPolicyInputList.member.1.ServiceControlPolicyInputList.member.1"],
        "{\"root\":1}"
    );
    assert_eq!(
        f["OrderedOrganizationPolicyInputList.member.2.ServiceControlPolicyInputList.member.2"],
        "{\"ou\":2}"
    );
    assert_eq!(f["ResourcePolicy"], "{\"rp\":1}");
    assert_eq!(f["ResourceOwner"], "arn:aws:iam::111122223333:root");
    assert_eq!(f["CallerArn"], "arn:aws:iam::111122223333:user/mateo");
    assert_eq!(f["ActionNames.member.1"], "s3:PutObject");
    assert_eq!(f["ActionNames.member.2"], "s3:GetObject");
    assert_eq!(f["ResourceArns.member.1"], "arn:aws:s3:::production/Test");
    assert_eq!(f["MaxItems"], "1000");
    assert!(!f.contains_key("Marker"));
    for (i, t) in ContextKeyType::ALL.iter().enumerate() {
        let p = format!("ContextEntries.member.{}", i + 1);
        assert_eq!(f[&format!("{p}.ContextKeyName")], format!("test:Key{i}"));
        assert_eq!(f[&format!("{p}.ContextKeyType")], t.as_str());
        assert_eq!(
            members(f, &format!("{p}.ContextKeyValues")).len(),
            if t.is_list() { 2 } else { 1 }
        );
    }
    assert_eq!(f["ContextEntries.member.2.ContextKeyType"], "stringList");
}

#[test]
fn resource_specific_results_and_details_are_read() {
    let (mut live, _) = live(vec![event(200, simulate_xml(DOC_EXAMPLE_2, None))]);
    let page = live.simulate(&full_request()).unwrap();
    let r = &page.evaluation_results[0];
    assert_eq!(r.eval_action_name, "s3:PutObject");
    assert_eq!(r.allowed_by_boundary, Some(false));
    assert!(!page.is_truncated);
    let s = &r.resource_specific_results[0];
    assert_eq!(s.eval_resource_name, "arn:aws:s3:::production/Test");
    assert_eq!(s.eval_resource_decision, Some(Decision::Allowed));
    let m = &s.matched_statements[0];
    assert_eq!(m.source_policy_id, "ResourcePolicy");
    // Outside the API's enum, kept as spelled (deviation source-policy-type-spelling).
    assert_eq!(m.source_policy_type.as_deref(), Some("Resource Policy"));
    assert_eq!((m.start.unwrap().column, m.end.unwrap().column), (68, 259));
}

fn query(action: &str) -> Query {
    Query {
        policies: PolicyInputs {
            identity: vec![r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into()],
            ..PolicyInputs::default()
        },
        caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
        action: action.into(),
        resource: "arn:aws:s3:::b/k".into(),
        resource_owner: None,
        context: vec![],
    }
}

fn result(action: &str, decision: &str) -> String {
    format!(
        "<member><EvalActionName>{action}</EvalActionName><EvalResourceName>arn:${{Partition}}:s3:::${{BucketName}}/${{KeyName}}</EvalResourceName><EvalDecision>{decision}</EvalDecision><ResourceSpecificResults><member><EvalResourceName>arn:aws:s3:::b/k</EvalResourceName><EvalResourceDecision>{decision}</EvalResourceDecision><MatchedStatements><member><SourcePolicyId>PolicyInputList.1</SourcePolicyId><SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>1</Line><Column>42</Column></StartPosition><EndPosition><Line>1</Line><Column>99</Column></EndPosition></member></MatchedStatements><MissingContextValues/></member></ResourceSpecificResults></member>"
    )
}

fn runner(live: Live) -> Runner<Live, VirtualClock> {
    Runner::with_clock(
        live,
        Settings::default(),
        VirtualClock::default(),
        Jitter::seeded(1),
    )
}

#[test]
fn pages_are_followed_with_the_marker() {
    let (live, client) = live(vec![
        event(
            200,
            simulate_xml(&result("s3:GetObject", "allowed"), Some("AAAAmarker1")),
        ),
        event(
            200,
            simulate_xml(&result("s3:PutObject", "allowed"), Some("AAAAmarker2")),
        ),
        event(
            200,
            simulate_xml(&result("s3:DeleteObject", "allowed"), None),
        ),
    ]);
    let mut r = runner(live);
    let qs = vec![
        query("s3:GetObject"),
        query("s3:PutObject"),
        query("s3:DeleteObject"),
    ];
    let answers = r.run(&qs);
    for a in &answers {
        let a = a.as_ref().unwrap();
        assert_eq!(a.decision, Decision::Allowed);
        let m = &a.matched.as_ref().unwrap()[0];
        // The one statement of PolicyInputList.1, resolved.
        assert_eq!(
            (m.slot, m.statement, m.sid.as_deref()),
            (Some(PolicySlot::Identity(0)), Some(0), Some("A"))
        );
    }
    let forms = sent(&client);
    assert_eq!(forms.len(), 3);
    assert!(!forms[0].contains_key("Marker"));
    assert_eq!(forms[1]["Marker"], "AAAAmarker1");
    assert_eq!(forms[2]["Marker"], "AAAAmarker2");
    // Every page repeats the whole request.
    assert_eq!(members(&forms[2], "ActionNames").len(), 3);
    assert_eq!(
        (
            r.stats.pages,
            r.stats.calls_completed,
            r.stats.pairs_answered
        ),
        (3, 1, 3)
    );
}

#[test]
fn throttling_is_retried_after_a_back_off() {
    let (live, client) = live(vec![
        event(400, error_xml("Throttling", "Rate exceeded")),
        event(503, error_xml("ServiceUnavailable", "try again")),
        event(
            200,
            simulate_xml(&result("s3:GetObject", "implicitDeny"), None),
        ),
    ]);
    let mut r = runner(live);
    let a = r.run(&[query("s3:GetObject")]).remove(0).unwrap();
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert_eq!(client.actual_requests().count(), 3);
    assert_eq!((r.stats.retries, r.stats.throttled), (2, 1));
    // Full jitter: slept somewhere below the ceilings (250 ms, then 500 ms).
    assert!(r.clock().now < std::time::Duration::from_millis(750));
}

#[test]
fn invalid_input_splits_the_call_and_blames_one_query() {
    let (live, client) = live(vec![
        event(
            400,
            error_xml("InvalidInput", "Invalid action name s3:Nope"),
        ),
        event(200, simulate_xml(&result("s3:GetObject", "allowed"), None)),
        event(
            400,
            error_xml("InvalidInput", "Invalid action name s3:Nope"),
        ),
    ]);
    let mut r = runner(live);
    let answers = r.run(&[query("s3:GetObject"), query("s3:Nope")]);
    assert_eq!(answers[0].as_ref().unwrap().decision, Decision::Allowed);
    let e = answers[1].as_ref().unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(
        e.message.contains("InvalidInput: Invalid action name"),
        "{}",
        e.message
    );
    assert_eq!(r.stats.splits, 1);
    let forms = sent(&client);
    assert_eq!(members(&forms[0], "ActionNames").len(), 2);
    assert_eq!(members(&forms[1], "ActionNames"), vec!["s3:GetObject"]);
    assert_eq!(members(&forms[2], "ActionNames"), vec!["s3:Nope"]);
}

#[test]
fn errors_are_classified() {
    let (mut live, _) = live(vec![
        event(400, error_xml("InvalidInput", "bad")),
        event(500, error_xml("PolicyEvaluation", "cannot evaluate")),
        event(
            403,
            error_xml(
                "AccessDenied",
                "not authorized to perform: iam:SimulateCustomPolicy",
            ),
        ),
    ]);
    let kinds: Vec<CallErrorKind> = (0..3)
        .map(|_| live.simulate(&full_request()).unwrap_err().kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            CallErrorKind::InvalidInput,
            CallErrorKind::PolicyEvaluation,
            CallErrorKind::Credentials
        ]
    );
}

#[test]
fn the_account_is_named_and_checked_against_the_allow_list() {
    let (live, _) = live(vec![event(
        200,
        support::caller_identity_xml("123456789012"),
    )]);
    let id = live.identity().unwrap();
    assert_eq!(id.account, "123456789012");
    assert!(
        AllowList::new(["123456789012".to_string()])
            .check(&id.account)
            .is_ok()
    );
    let refused = AllowList::new(["210987654321".to_string()])
        .check(&id.account)
        .unwrap_err();
    let sentence = refused.to_string();
    assert!(
        !sentence.contains("123456789012") && sentence.contains("9012"),
        "{sentence}"
    );
    assert_eq!(
        AllowList::default().check(&id.account),
        Err(LiveError::NoAllowList)
    );
}

#[test]
fn no_credentials_is_one_sentence_and_sends_nothing() {
    let client = StaticReplayClient::new(vec![]);
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .http_client(
            IntoShared::<aws_sdk_iam::config::SharedHttpClient>::into_shared(client.clone()),
        )
        .build();
    let live = Live::from_config(&config).unwrap();
    let e = live.identity().unwrap_err();
    assert_eq!(e, LiveError::NoCredentials);
    let sentence = e.to_string();
    assert_eq!(sentence.matches(". ").count(), 0, "{sentence}");
    assert!(!sentence.contains('\n'));
    assert_eq!(client.actual_requests().count(), 0);
}

/// A credentials chain that finds nothing, as the default chain does on a machine
/// without credentials (the default chain itself would also ask the instance metadata
/// service, which a test must not).
#[derive(Debug)]
struct NoCredentials;

impl aws_credential_types::provider::ProvideCredentials for NoCredentials {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::not_loaded(
                "no providers in chain provided credentials",
            ),
        ))
    }
}

#[test]
fn an_empty_credentials_chain_is_no_credentials() {
    let client = StaticReplayClient::new(vec![]);
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_iam::config::SharedCredentialsProvider::new(
            NoCredentials,
        ))
        .http_client(
            IntoShared::<aws_sdk_iam::config::SharedHttpClient>::into_shared(client.clone()),
        )
        .build();
    let mut live = Live::from_config(&config).unwrap();
    assert_eq!(live.identity().unwrap_err(), LiveError::NoCredentials);
    assert_eq!(
        live.simulate(&full_request()).unwrap_err().kind,
        CallErrorKind::Credentials
    );
    assert_eq!(client.actual_requests().count(), 0);
}

#[test]
fn the_config_file_is_strict() {
    let c = FileConfig::parse(
        "accounts = [\"123456789012\"]\nprofile = \"sim\"\nrate = 2.5\nmax_calls = 100\n",
    )
    .unwrap();
    assert_eq!(c.accounts, vec!["123456789012"]);
    assert_eq!(
        (c.profile.as_deref(), c.rate, c.max_calls),
        (Some("sim"), Some(2.5), Some(100))
    );
    assert!(FileConfig::parse("acounts = []").is_err());
    let dir = std::env::temp_dir().join(format!("iamcr-simtoml-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".iamcr")).unwrap();
    std::fs::write(dir.join(".iamcr/simulate.toml"), "accounts = [\"1\"]").unwrap();
    let (c, path) = FileConfig::load(&dir).unwrap();
    assert_eq!(
        (
            c.accounts.len(),
            path.unwrap().ends_with(".iamcr/simulate.toml")
        ),
        (1, true)
    );
    let _ = Limits::default();
}

#[test]
fn an_endpoint_answering_garbage_gets_a_sentence_not_a_debug_dump() {
    let (mut sim, _) = live(vec![
        event(500, "oops, not xml at all".into()),
        event(200, "<html>a proxy's login page</html>".into()),
    ]);
    let server = sim.simulate(&full_request()).unwrap_err();
    assert_eq!(server.kind, CallErrorKind::Server);
    assert_eq!(
        server.to_string(),
        "the endpoint answered HTTP 500 with a body that is not an AWS error response (no error code)"
    );
    let unreadable = sim.simulate(&full_request()).unwrap_err().to_string();
    for text in [server.to_string(), unreadable.clone()] {
        assert!(
            !text.contains('{') && !text.contains("Some(") && !text.contains('\n'),
            "{text}"
        );
    }
    assert!(unreadable.starts_with("the endpoint"), "{unreadable}");
    // The STS client retries a 500 (standard retry, three attempts); the IAM client's
    // retries are the runner's own, so it met the 500 once.
    let (sts, _) = live(vec![
        event(500, "oops".into()),
        event(500, "oops".into()),
        event(500, "oops".into()),
    ]);
    let identity = sts.identity().unwrap_err().to_string();
    assert_eq!(
        identity,
        "could not identify the account with sts:GetCallerIdentity: the endpoint answered HTTP \
         500 with a body that is not an AWS error response (no error code)"
    );
}
