//! Generated cases in conformance case format v1 (`docs/case-format.md`), as JSON values.
//!
//! The harness crate (`iamcr`) owns the serde types of the format and depends on this crate,
//! so this crate writes the JSON shape itself; `cargo xtask gen` and the property tests read
//! the result back through `iamcr::case::EvalCase`, which rejects any field it does not know.

use crate::GenCase;
use iamcr_eval::{Evaluation, PolicySet, Principal, Request, ValueType};
use iamcr_policy::Policy;
use serde_json::{Map, Value, json};

/// A policy as a JSON object: printed with [`iamcr_policy::print`] and read back, so the
/// case file nests it like any other JSON and keeps the printer's element order.
pub fn policy_json(p: &Policy) -> Value {
    let text = iamcr_policy::print(p);
    // The printer writes JSON; should it ever not, keep the text as a string policy (the
    // case format accepts both forms).
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// The `policies` member of a case.
pub fn policies_json(set: &PolicySet) -> Value {
    let mut m = Map::new();
    let many = |ps: &[Policy]| Value::Array(ps.iter().map(policy_json).collect());
    let levels = |ls: &[Vec<Policy>]| Value::Array(ls.iter().map(|l| many(l)).collect());
    if !set.identity.is_empty() {
        m.insert("identity".into(), many(&set.identity));
    }
    if let Some(b) = &set.boundary {
        m.insert("boundary".into(), policy_json(b));
    }
    if !set.session.is_empty() {
        m.insert("session".into(), many(&set.session));
    }
    if let Some(l) = &set.scp {
        m.insert("scp".into(), levels(l));
    }
    if let Some(l) = &set.rcp {
        m.insert("rcp".into(), levels(l));
    }
    if let Some(r) = &set.resource {
        m.insert("resource".into(), policy_json(r));
    }
    Value::Object(m)
}

/// A request principal as the case format writes it.
pub fn principal_json(p: &Principal) -> Value {
    match p {
        Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => json!(arn),
        Principal::RoleSession {
            session_arn,
            role_arn,
            ..
        } => json!(session_arn.as_deref().unwrap_or(role_arn)),
        Principal::Root { account, partition } => {
            json!(format!("arn:{partition}:iam::{account}:root"))
        }
        Principal::Service(s) => json!({ "service": s }),
        Principal::WebIdentity(s) => json!({ "federated": s }),
        Principal::CanonicalUser(c) => json!({ "canonical_user": c }),
        Principal::Anonymous => json!("anonymous"),
    }
}

/// The simulator's `ContextKeyType` name of a context entry.
pub fn context_type(ty: ValueType, multivalued: bool) -> String {
    let base = match ty {
        ValueType::String => "string",
        ValueType::Numeric => "numeric",
        ValueType::Boolean => "boolean",
        ValueType::Ip => "ip",
        ValueType::Binary => "binary",
        ValueType::Date => "date",
    };
    if multivalued {
        format!("{base}List")
    } else {
        base.to_string()
    }
}

/// The `request` member of a case.
pub fn request_json(r: &Request) -> Value {
    let mut m = Map::new();
    m.insert("principal".into(), principal_json(&r.principal));
    m.insert("action".into(), json!(r.action));
    m.insert("resource".into(), json!(r.resource));
    if let Some(a) = &r.resource_account {
        m.insert("resource_account".into(), json!(a));
    }
    let entries = r.context.entries();
    if !entries.is_empty() {
        let ctx: Vec<Value> = entries
            .iter()
            .map(|e| {
                json!({
                    "key": e.key,
                    "type": context_type(e.ty, e.multivalued),
                    "values": e.values,
                })
            })
            .collect();
        m.insert("context".into(), Value::Array(ctx));
    }
    Value::Object(m)
}

/// A whole evaluation case with the model's answer as its expectation.
pub fn case_json(
    id: &str,
    description: Option<&str>,
    source: Option<&str>,
    case: &GenCase,
    evaluation: &Evaluation,
) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    if let Some(d) = description {
        m.insert("description".into(), json!(d));
    }
    if let Some(s) = source {
        m.insert("source".into(), json!(s));
    }
    m.insert("policies".into(), policies_json(&case.policies));
    m.insert("request".into(), request_json(&case.request));
    m.insert(
        "expect".into(),
        json!({ "decision": evaluation.decision.as_str() }),
    );
    Value::Object(m)
}
