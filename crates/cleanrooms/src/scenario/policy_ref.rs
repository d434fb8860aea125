//! A policy named in a scenario file: a corpus policy by name, an inline document, or exact
//! text. Each is read while the scenario file is read, so a policy that does not parse is an
//! error positioned at the policy in the scenario file (serde_json adds the line and column).

use crate::policies;
use iamcr_policy::{Diagnostic, Policy};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a scenario's policy came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyOrigin {
    /// A corpus policy (`corpus/policies/index.json` name), written as a bare string or
    /// `{"name": "…"}`.
    Named(String),
    /// A policy document written inline as a JSON object (it must have a `Statement`).
    Inline,
    /// Exact policy text, written as `{"text": "…"}` (where whitespace or invalid JSON
    /// matter).
    Text,
}

impl fmt::Display for PolicyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyOrigin::Named(n) => write!(f, "corpus policy {n}"),
            PolicyOrigin::Inline => f.write_str("inline policy"),
            PolicyOrigin::Text => f.write_str("policy text"),
        }
    }
}

/// A policy of a scenario, read and ready to evaluate.
#[derive(Debug, Clone)]
pub struct PolicyRef {
    /// Where it came from.
    pub origin: PolicyOrigin,
    /// The policy.
    pub policy: Policy,
}

impl PolicyRef {
    /// A corpus policy by its `index.json` name; an error when there is no such policy or
    /// it does not parse (some seed policies are defective on purpose).
    pub fn named(name: &str) -> Result<PolicyRef, String> {
        let Some(p) = policies::policy(name) else {
            return Err(format!(
                "no corpus policy is named {name:?} (names are those of corpus/policies/index.json, \
                 e.g. \"managed-AWSCleanRoomsFullAccess\")"
            ));
        };
        match p.parsed {
            Ok(policy) => Ok(PolicyRef {
                origin: PolicyOrigin::Named(name.to_string()),
                policy,
            }),
            Err(diags) => Err(format!(
                "corpus policy {name:?} (corpus/policies/{}) does not parse: {}",
                p.file,
                first_error(&diags)
            )),
        }
    }

    /// Exact policy text.
    pub fn text(text: &str) -> Result<PolicyRef, String> {
        iamcr_policy::parse(text)
            .map(|policy| PolicyRef {
                origin: PolicyOrigin::Text,
                policy,
            })
            .map_err(|d| format!("policy text does not parse: {}", first_error(&d)))
    }

    /// An inline policy document given as JSON.
    pub fn inline(document: &serde_json::Value) -> Result<PolicyRef, String> {
        // The document is re-serialised (key order kept by serde_json's `preserve_order`) so
        // that the policy parser, not serde, reads it; positions in its diagnostics are then
        // positions in that compact text, which is why the message quotes the element path.
        let text = serde_json::to_string(document).map_err(|e| e.to_string())?;
        iamcr_policy::parse(&text)
            .map(|policy| PolicyRef {
                origin: PolicyOrigin::Inline,
                policy,
            })
            .map_err(|d| format!("inline policy does not parse: {}", first_error(&d)))
    }
}

fn first_error(diags: &[Diagnostic]) -> String {
    match diags.first() {
        Some(d) => d.to_string(),
        None => "no diagnostic given".to_string(),
    }
}

impl<'de> Deserialize<'de> for PolicyRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PolicyRef, D::Error> {
        deserializer.deserialize_any(PolicyRefVisitor)
    }
}

struct PolicyRefVisitor;

impl<'de> Visitor<'de> for PolicyRefVisitor {
    type Value = PolicyRef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a corpus policy name, {\"name\": NAME}, {\"text\": POLICY TEXT} or a policy document \
             object with a \"Statement\"",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PolicyRef, E> {
        PolicyRef::named(v).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PolicyRef, A::Error> {
        let mut members = serde_json::Map::new();
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            members.insert(k, v);
        }
        let only = |key: &str| members.len() == 1 && members.contains_key(key);
        if only("name") || only("text") {
            let (key, value) = members
                .iter()
                .next()
                .ok_or_else(|| de::Error::custom("internal: a one-member object has no member"))?;
            let Some(s) = value.as_str() else {
                return Err(de::Error::custom(format!("{key:?} must be a string")));
            };
            return if key == "name" {
                PolicyRef::named(s).map_err(de::Error::custom)
            } else {
                PolicyRef::text(s).map_err(de::Error::custom)
            };
        }
        // A misspelt {"name": …} must not become an empty inline policy that silently allows
        // nothing: an inline document has to say what its statements are.
        if !members.contains_key("Statement") {
            return Err(de::Error::custom(format!(
                "expected {}; this object has neither \"name\", \"text\" nor \"Statement\" (members: {})",
                "a corpus policy name, {\"name\": NAME}, {\"text\": TEXT} or a policy document",
                members.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
        PolicyRef::inline(&serde_json::Value::Object(members)).map_err(de::Error::custom)
    }
}
