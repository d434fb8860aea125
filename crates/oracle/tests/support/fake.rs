//! An in-process IAM and STS endpoint: `sts:GetCallerIdentity` names a fixed account, and
//! `iam:SimulateCustomPolicy` is answered by the model in the simulator's current shape
//! (one `EvaluationResult` per action, the top-level resource a template, per-resource
//! answers in `ResourceSpecificResults`, SCP statements left out of `MatchedStatements`,
//! start positions one column past the brace as in AWS's examples), page by page, with
//! `Throttling` errors injected every so often.

use super::{caller_identity_xml, error_xml, esc, form, members, simulate_xml, xml_response};
use aws_sdk_iam::config::SharedHttpClient;
use iamcr_oracle::{
    Answer, Caller, ContextKeyType, ContextValue, Decision, ModelOracle, PolicyInputs, PolicyText,
    Query,
};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// What the fake saw and how it behaves.
#[derive(Debug, Default)]
pub struct FakeState {
    /// Every `SimulateCustomPolicy` request, answered or throttled.
    pub requests: usize,
    /// Those answered with `Throttling`.
    pub throttled: usize,
    /// `GetCallerIdentity` requests.
    pub identity_requests: usize,
    /// Answer every Nth simulate request with `Throttling` (0: never).
    pub throttle_every: usize,
    /// Results per page (at most `MaxItems`).
    pub page_size: usize,
    /// Action × resource pairs per answered request.
    pub pairs: Vec<usize>,
    /// The account `GetCallerIdentity` names.
    pub account: String,
}

/// The fake endpoint.
#[derive(Debug, Clone)]
pub struct Fake {
    /// Its state, shared with the HTTP client.
    pub state: Arc<Mutex<FakeState>>,
}

impl Fake {
    /// A fake that throttles every `throttle_every`th request and pages `page_size`
    /// results.
    pub fn new(throttle_every: usize, page_size: usize) -> Fake {
        Fake {
            state: Arc::new(Mutex::new(FakeState {
                throttle_every,
                page_size,
                account: "999988887777".into(),
                ..FakeState::default()
            })),
        }
    }

    /// The HTTP client to configure the SDK with.
    pub fn client(&self) -> SharedHttpClient {
        let state = self.state.clone();
        aws_smithy_http_client::test_util::infallible_client_fn(move |req| {
            let f = form(req.body().bytes().unwrap_or_default());
            let mut s = state.lock().unwrap();
            match f.get("Action").map(String::as_str) {
                Some("GetCallerIdentity") => {
                    s.identity_requests += 1;
                    xml_response(200, caller_identity_xml(&s.account))
                }
                Some("SimulateCustomPolicy") => {
                    s.requests += 1;
                    if s.throttle_every > 0 && s.requests.is_multiple_of(s.throttle_every) {
                        s.throttled += 1;
                        return xml_response(400, error_xml("Throttling", "Rate exceeded"));
                    }
                    let page_size = s.page_size;
                    let (body, pairs) = simulate(&f, page_size);
                    s.pairs.push(pairs);
                    xml_response(200, body)
                }
                other => xml_response(400, error_xml("InvalidAction", &format!("{other:?}"))),
            }
        })
    }
}

fn account_of_owner(owner: &str) -> Option<String> {
    owner.split(':').nth(4).map(str::to_string)
}

fn texts(v: Vec<String>) -> Vec<PolicyText> {
    v.into_iter().map(PolicyText::new).collect()
}

/// The request's queries, one per action and resource.
fn queries(f: &BTreeMap<String, String>) -> (Vec<String>, Vec<String>, Query) {
    let mut scp = Vec::new();
    for l in 1.. {
        let prefix =
            format!("OrderedOrganizationPolicyInputList.member.{l}.ServiceControlPolicyInputList");
        let level = members(f, &prefix);
        if level.is_empty() {
            break;
        }
        scp.push(texts(level));
    }
    let mut context = Vec::new();
    for i in 1.. {
        let p = format!("ContextEntries.member.{i}");
        let Some(key) = f.get(&format!("{p}.ContextKeyName")) else {
            break;
        };
        context.push(ContextValue {
            key: key.clone(),
            ty: ContextKeyType::parse(&f[&format!("{p}.ContextKeyType")]).unwrap(),
            values: members(f, &format!("{p}.ContextKeyValues")),
        });
    }
    let template = Query {
        policies: PolicyInputs {
            identity: texts(members(f, "PolicyInputList")),
            boundary: texts(members(f, "PermissionsBoundaryPolicyInputList")).pop(),
            scp: (!scp.is_empty()).then_some(scp),
            resource: f.get("ResourcePolicy").map(PolicyText::new),
            ..PolicyInputs::default()
        },
        caller: Caller::Arn(f.get("CallerArn").cloned().unwrap_or_default()),
        action: String::new(),
        resource: String::new(),
        resource_owner: f.get("ResourceOwner").and_then(|o| account_of_owner(o)),
        context,
    };
    let mut resources = members(f, "ResourceArns");
    if resources.is_empty() {
        resources.push("*".into());
    }
    (members(f, "ActionNames"), resources, template)
}

fn statements_xml(a: &Answer) -> String {
    let mut out = String::from("<MatchedStatements>");
    for m in a
        .matched
        .iter()
        .flatten()
        .filter(|m| !m.slot.is_some_and(|s| s.is_scp()))
    {
        let kind = if m.source_policy_id == "ResourcePolicy" {
            "Resource Policy"
        } else {
            "IAM Policy"
        };
        out.push_str(&format!("<member><SourcePolicyId>{}</SourcePolicyId><SourcePolicyType>{kind}</SourcePolicyType>", m.source_policy_id));
        if let (Some(s), Some(e)) = (m.start, m.end) {
            out.push_str(&format!(
                "<StartPosition><Line>{}</Line><Column>{}</Column></StartPosition><EndPosition><Line>{}</Line><Column>{}</Column></EndPosition>",
                s.line, s.column + 1, e.line, e.column
            ));
        }
        out.push_str("</member>");
    }
    out.push_str("</MatchedStatements>");
    out
}

fn missing_xml(a: &Answer) -> String {
    let keys: String = a
        .missing_context
        .iter()
        .flatten()
        .map(|k| format!("<member>{}</member>", esc(k)))
        .collect();
    format!("<MissingContextValues>{keys}</MissingContextValues>")
}

fn rank(d: Decision) -> u8 {
    match d {
        Decision::ExplicitDeny => 2,
        Decision::ImplicitDeny => 1,
        Decision::Allowed => 0,
    }
}

/// Answer a simulate request; the body and the number of pairs it answered.
fn simulate(f: &BTreeMap<String, String>, page_size: usize) -> (String, usize) {
    let (actions, resources, template) = queries(f);
    let max_items: usize = f.get("MaxItems").map(|m| m.parse().unwrap()).unwrap_or(100);
    let start: usize = f
        .get("Marker")
        .map(|m| m.trim_start_matches("page-").parse().unwrap())
        .unwrap_or(0);
    let per_page = page_size.min(max_items).max(1);
    let page: Vec<&String> = actions.iter().skip(start).take(per_page).collect();
    let model = ModelOracle;
    let mut body = String::new();
    let mut pairs = 0;
    for action in &page {
        let mut worst = Decision::Allowed;
        let mut specific = String::new();
        for resource in &resources {
            let mut q = template.clone();
            q.action = (*action).clone();
            q.resource = resource.clone();
            let a = model.answer_one(&q).unwrap();
            worst = if rank(a.decision) > rank(worst) {
                a.decision
            } else {
                worst
            };
            pairs += 1;
            specific.push_str(&format!(
                "<member><EvalResourceName>{}</EvalResourceName><EvalResourceDecision>{}</EvalResourceDecision>{}{}</member>",
                esc(resource), a.decision, statements_xml(&a), missing_xml(&a)
            ));
        }
        let service = action.split(':').next().unwrap_or("");
        let template_name = if resources == ["*"] {
            "*".to_string()
        } else {
            format!("arn:${{Partition}}:{service}:${{Region}}:${{Account}}:${{ResourceName}}")
        };
        body.push_str(&format!(
            "<member><EvalActionName>{}</EvalActionName><EvalResourceName>{}</EvalResourceName><EvalDecision>{worst}</EvalDecision><MatchedStatements/><MissingContextValues/><ResourceSpecificResults>{specific}</ResourceSpecificResults></member>",
            esc(action), esc(&template_name)
        ));
    }
    let next = start + page.len();
    let marker = (next < actions.len()).then(|| format!("page-{next}"));
    (simulate_xml(&body, marker.as_deref()), pairs)
}
