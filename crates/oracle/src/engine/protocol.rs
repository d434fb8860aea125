//! The engine protocol's messages (`docs/engine-protocol.md`, version [`PROTOCOL`]) as serde
//! types, and the conversions between them and [`Query`] / [`Answer`].
//!
//! Every message is one JSON object on one line with a `type` member. Policies travel as
//! JSON strings holding their exact text: a line must stay one line, and positions in the
//! text must survive the trip.

use crate::query::{Answer, Decision, Matched, PolicySlot, Query};
use iamcr_case::{MatchedRef, Policies, PolicyDoc, Request};
use serde::{Deserialize, Serialize};

/// The protocol version this crate speaks.
pub const PROTOCOL: u32 = 1;

/// The harness's first line: `{"type":"hello","protocol":1,"harness":"iamcr 0.1.0"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The protocol version the harness speaks.
    pub protocol: u32,
    /// The harness's name and version, for the engine's logs.
    pub harness: String,
}

/// The engine's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineId {
    /// A short name (`iam-rs`, `iam-simulate`, `iamcr-model`).
    pub name: String,
    /// The evaluator's version (the library the adapter wraps, not the adapter's).
    pub version: String,
}

/// Which explanations an engine gives with its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Explanations {
    /// The statements that decided (`matched`).
    #[serde(default)]
    pub matched: bool,
    /// The context keys the decision needed but the request lacked (`missing_context`).
    #[serde(default)]
    pub missing_context: bool,
}

/// What an engine declares it can evaluate. A case that needs anything else is skipped
/// with the reason, before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EngineCapabilities {
    /// `identity`, `boundary`, `session`, `scp`, `rcp`, `resource`.
    #[serde(default)]
    pub policy_types: Vec<String>,
    /// [`PRINCIPAL_KINDS`] it takes as the request's principal.
    #[serde(default)]
    pub principal_kinds: Vec<String>,
    /// Base condition operators (`StringEquals`, `IpAddress`, …; no qualifier, no
    /// `IfExists`), or `["*"]` for every documented one.
    #[serde(default)]
    pub operators: Vec<String>,
    /// `ForAllValues`, `ForAnyValue`, `IfExists`.
    #[serde(default)]
    pub qualifiers: Vec<String>,
    /// Policy elements beyond `Effect`/`Action`/`Resource`/`Principal`/`Condition`:
    /// [`ELEMENTS`].
    #[serde(default)]
    pub elements: Vec<String>,
    /// Which explanations come with a decision.
    #[serde(default)]
    pub explanations: Explanations,
}

/// Every policy type.
pub const POLICY_TYPES: [&str; 6] = ["identity", "boundary", "session", "scp", "rcp", "resource"];
/// Every principal kind.
pub const PRINCIPAL_KINDS: [&str; 10] = [
    "user",
    "role",
    "assumed-role",
    "federated-user",
    "root",
    "other-arn",
    "service",
    "federated",
    "canonical-user",
    "anonymous",
];
/// Every optional element.
pub const ELEMENTS: [&str; 4] = [
    "NotAction",
    "NotResource",
    "NotPrincipal",
    "policy-variables",
];
/// Every qualifier.
pub const QUALIFIERS: [&str; 3] = ["ForAllValues", "ForAnyValue", "IfExists"];

impl EngineCapabilities {
    /// Everything: the model's capabilities.
    pub fn complete() -> EngineCapabilities {
        let all = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect();
        EngineCapabilities {
            policy_types: all(&POLICY_TYPES),
            principal_kinds: all(&PRINCIPAL_KINDS),
            operators: vec!["*".to_string()],
            qualifiers: all(&QUALIFIERS),
            elements: all(&ELEMENTS),
            explanations: Explanations {
                matched: true,
                missing_context: true,
            },
        }
    }
}

/// The engine's first line: `{"type":"handshake","protocol":1,"engine":{…},"capabilities":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
    /// The protocol version the engine speaks.
    pub protocol: u32,
    /// Who it is.
    pub engine: EngineId,
    /// What it can evaluate.
    pub capabilities: EngineCapabilities,
}

/// One evaluation: `{"type":"evaluate","id":"…","policies":{…},"request":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluate {
    /// The harness's id for this request (the case id, or a campaign case's id); the answer
    /// repeats it.
    pub id: String,
    /// The case format's `policies`, each policy a string holding its exact text.
    pub policies: Policies,
    /// The case format's `request`.
    pub request: Request,
}

/// What an engine says about one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    /// A decision.
    Answer {
        /// The request's id.
        id: String,
        /// `allowed`, `explicitDeny` or `implicitDeny`.
        decision: Decision,
        /// The statements that decided, as the case format's `expect.matched` writes them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        matched: Option<Vec<MatchedRef>>,
        /// Context keys the decision needed that the request lacked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        missing_context: Option<Vec<String>>,
    },
    /// The engine cannot express the request (a capability it did not declare, found only
    /// on reading it): counted as a skip with the reason.
    Refusal {
        /// The request's id.
        id: String,
        /// Why.
        reason: String,
    },
    /// The engine failed on a request it should take (it could not read a policy, …):
    /// counted as a disagreement.
    Error {
        /// The request's id.
        id: String,
        /// What went wrong.
        message: String,
    },
}

impl Reply {
    /// The request's id the reply names.
    pub fn id(&self) -> &str {
        match self {
            Reply::Answer { id, .. } | Reply::Refusal { id, .. } | Reply::Error { id, .. } => id,
        }
    }
}

/// Lines the harness sends.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HarnessLine {
    /// The first line.
    Hello(Hello),
    /// A request.
    Evaluate(Box<Evaluate>),
}

impl HarnessLine {
    /// Read a line. Not a derived internally tagged `Deserialize`: that buffers the line,
    /// and policies (kept as their exact text) cannot be read from a buffer. So the tag is
    /// read first, then the line again as that message (whose `type` member is ignored).
    pub fn parse(line: &str) -> Result<HarnessLine, serde_json::Error> {
        #[derive(Deserialize)]
        struct Tag {
            #[serde(rename = "type")]
            tag: String,
        }
        let Tag { tag } = serde_json::from_str(line)?;
        match tag.as_str() {
            "hello" => serde_json::from_str(line).map(HarnessLine::Hello),
            "evaluate" => serde_json::from_str(line).map(|e| HarnessLine::Evaluate(Box::new(e))),
            other => Err(serde::de::Error::custom(format!(
                "unknown message type {other:?} (expected \"hello\" or \"evaluate\")"
            ))),
        }
    }
}

/// The engine's first line, tagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EngineFirstLine {
    /// The handshake.
    Handshake(Handshake),
}

/// The request for a query, its policies as strings.
pub fn evaluate(id: &str, q: &Query) -> Evaluate {
    Evaluate {
        id: id.to_string(),
        policies: q.case_policies(|text| PolicyDoc::string(text)),
        request: q.case_request(),
    }
}

/// The query of a request (the engine side).
pub fn query(e: &Evaluate) -> Query {
    Query::from_parts(&e.policies, &e.request)
}

/// An answer as the protocol writes it.
pub fn reply(id: &str, a: &Answer) -> Reply {
    Reply::Answer {
        id: id.to_string(),
        decision: a.decision,
        matched: a.matched_refs(),
        missing_context: a.missing_context.clone(),
    }
}

/// The answer a reply carries (`None` for a refusal or an error). A matched statement
/// whose `policy` names no policy slot is kept with no slot, so a comparison reports it.
pub fn answer(r: &Reply) -> Option<Answer> {
    let Reply::Answer {
        decision,
        matched,
        missing_context,
        ..
    } = r
    else {
        return None;
    };
    let mut a = Answer::decision(*decision);
    a.matched = matched.as_ref().map(|ms| {
        ms.iter()
            .map(|m| {
                let slot = parse_slot(&m.policy);
                Matched {
                    slot,
                    statement: m.statement,
                    sid: m.sid.clone(),
                    source_policy_id: slot
                        .map(PolicySlot::simulator_id)
                        .unwrap_or_else(|| m.policy.clone()),
                    source_policy_type: None,
                    start: None,
                    end: None,
                }
            })
            .collect()
    });
    a.missing_context = missing_context.clone();
    Some(a)
}

/// The slot the case format spells `s` (`identity[0]`, `boundary`, `scp[1][0]`, …).
pub fn parse_slot(s: &str) -> Option<PolicySlot> {
    let index = |t: &str| -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut rest = t;
        while let Some(r) = rest.strip_prefix('[') {
            let (n, tail) = r.split_once(']')?;
            out.push(n.parse().ok()?);
            rest = tail;
        }
        rest.is_empty().then_some(out)
    };
    match s {
        "boundary" => return Some(PolicySlot::Boundary),
        "resource" => return Some(PolicySlot::Resource),
        _ => {}
    }
    let open = s.find('[')?;
    let (name, tail) = s.split_at(open);
    match (name, index(tail)?.as_slice()) {
        ("identity", [i]) => Some(PolicySlot::Identity(*i)),
        ("session", [i]) => Some(PolicySlot::Session(*i)),
        ("scp", [l, i]) => Some(PolicySlot::Scp(*l, *i)),
        ("rcp", [l, i]) => Some(PolicySlot::Rcp(*l, *i)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use crate::query::Caller;

    #[test]
    fn slots_parse_as_displayed() {
        for s in [
            PolicySlot::Identity(3),
            PolicySlot::Boundary,
            PolicySlot::Session(0),
            PolicySlot::Scp(2, 1),
            PolicySlot::Rcp(0, 4),
            PolicySlot::Resource,
        ] {
            assert_eq!(parse_slot(&s.to_string()), Some(s));
        }
        for bad in [
            "identity",
            "identity[x]",
            "scp[1]",
            "boundary[0]",
            "idp[0]",
            "scp[1][2]x",
        ] {
            assert_eq!(parse_slot(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_request_is_one_line_and_keeps_policy_text() {
        let text = "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n}";
        let q = Query {
            policies: crate::PolicyInputs {
                identity: vec![text.into()],
                ..Default::default()
            },
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_owner: None,
            context: vec![],
        };
        let line =
            serde_json::to_string(&HarnessLine::Evaluate(Box::new(evaluate("c1", &q)))).unwrap();
        assert!(!line.contains('\n'));
        let HarnessLine::Evaluate(back) = HarnessLine::parse(&line).unwrap() else {
            unreachable!("an evaluate line reads back as one")
        };
        assert_eq!(query(&back), q);
    }
}
