//! Conformance case format v1, as serde types.
//!
//! The format is specified in `docs/case-format.md` (the project's copy of the shared
//! `case-format.md`). Every struct denies unknown fields: a typo must not silently change
//! what a case tests. A policy is kept as the exact JSON text it was written with, so that
//! positions, whitespace and even invalid JSON inside a string survive a read/write cycle.

use crate::Decision;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// One conformance case.
#[derive(Debug, Clone, PartialEq)]
pub enum Case {
    /// An evaluation case: policies + request → decision.
    Evaluation(Box<EvalCase>),
    /// A validation case: policy text + kind → accepted or rejected (and why).
    Validation(ValidationCase),
}

impl Case {
    /// The case's id.
    pub fn id(&self) -> &str {
        match self {
            Case::Evaluation(c) => &c.id,
            Case::Validation(c) => &c.id,
        }
    }
}

impl Serialize for Case {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Case::Evaluation(c) => c.serialize(s),
            Case::Validation(c) => c.serialize(s),
        }
    }
}

/// A policy as written in a case: a JSON object (kept as its exact text) or a JSON string
/// holding the policy's exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDoc {
    /// The policy text.
    pub text: String,
    /// Whether the case wrote the policy as a string (true) or as an object (false).
    pub as_string: bool,
}

impl PolicyDoc {
    /// A policy written as a JSON object in the case file. `text` must be JSON.
    pub fn object(text: impl Into<String>) -> PolicyDoc {
        PolicyDoc {
            text: text.into(),
            as_string: false,
        }
    }

    /// A policy written as a string holding its exact text.
    pub fn string(text: impl Into<String>) -> PolicyDoc {
        PolicyDoc {
            text: text.into(),
            as_string: true,
        }
    }
}

impl<'de> Deserialize<'de> for PolicyDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PolicyDoc, D::Error> {
        let raw = <Box<RawValue>>::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
            Ok(PolicyDoc::string(s))
        } else if text.starts_with('{') {
            Ok(PolicyDoc::object(text))
        } else {
            Err(serde::de::Error::custom(
                "a policy must be a JSON object or a string holding the policy text",
            ))
        }
    }
}

impl Serialize for PolicyDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !self.as_string
            && let Ok(raw) = RawValue::from_string(self.text.clone())
        {
            return raw.serialize(s);
        }
        s.serialize_str(&self.text)
    }
}

/// An evaluation case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalCase {
    /// Unique id (kebab-case).
    pub id: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Provenance: documentation URL, seed document, `generated seed=42`, `simulator DATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The policies in force.
    pub policies: Policies,
    /// The request.
    pub request: Request,
    /// The expected answer.
    pub expect: EvalExpect,
}

/// The policies of an evaluation case; every member optional.
pub type Policies = crate::PolicySlots<PolicyDoc>;

/// The request of an evaluation case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Who makes the request.
    pub principal: PrincipalSpec,
    /// The action, `service:Name`.
    pub action: String,
    /// The resource ARN or `*`.
    pub resource: String,
    /// The account owning the resource, when the ARN does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// Context entries, as the simulator's `ContextEntries`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextEntry>,
}

/// The principal of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// An ARN: IAM user, role, assumed-role session, federated user, account root.
    Arn(String),
    /// An AWS service principal.
    Service(String),
    /// A federated identity-provider principal.
    Federated(String),
    /// An S3 canonical user.
    CanonicalUser(String),
    /// An anonymous (unauthenticated) caller.
    Anonymous,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrincipalObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    federated: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    canonical_user: Option<String>,
}

impl<'de> Deserialize<'de> for PrincipalSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PrincipalSpec, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Object(PrincipalObject),
        }
        let bad = || {
            serde::de::Error::custom(
                "principal must be an ARN, \"anonymous\", or one of {\"service\": …}, \
                 {\"federated\": …}, {\"canonical_user\": …}",
            )
        };
        match Raw::deserialize(d).map_err(|_| bad())? {
            Raw::Text(s) if s == "anonymous" => Ok(PrincipalSpec::Anonymous),
            Raw::Text(s) if s.starts_with("arn:") => Ok(PrincipalSpec::Arn(s)),
            Raw::Text(s) => Err(serde::de::Error::custom(format!(
                "principal {s:?} is neither an ARN nor \"anonymous\""
            ))),
            Raw::Object(o) => match (o.service, o.federated, o.canonical_user) {
                (Some(s), None, None) => Ok(PrincipalSpec::Service(s)),
                (None, Some(f), None) => Ok(PrincipalSpec::Federated(f)),
                (None, None, Some(c)) => Ok(PrincipalSpec::CanonicalUser(c)),
                _ => Err(bad()),
            },
        }
    }
}

impl Serialize for PrincipalSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let obj = |service, federated, canonical_user| PrincipalObject {
            service,
            federated,
            canonical_user,
        };
        match self {
            PrincipalSpec::Arn(a) => s.serialize_str(a),
            PrincipalSpec::Anonymous => s.serialize_str("anonymous"),
            PrincipalSpec::Service(v) => obj(Some(v.clone()), None, None).serialize(s),
            PrincipalSpec::Federated(v) => obj(None, Some(v.clone()), None).serialize(s),
            PrincipalSpec::CanonicalUser(v) => obj(None, None, Some(v.clone())).serialize(s),
        }
    }
}

/// One context entry (the simulator's `ContextEntries` member).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextEntry {
    /// The key, as written (compared case-insensitively).
    pub key: String,
    /// The simulator's `ContextKeyType`.
    #[serde(rename = "type")]
    pub ty: ContextType,
    /// The values (one for single-valued types).
    pub values: Vec<String>,
}

/// The simulator's `ContextKeyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContextType {
    /// `string`.
    String,
    /// `stringList`.
    StringList,
    /// `numeric`.
    Numeric,
    /// `numericList`.
    NumericList,
    /// `boolean`.
    Boolean,
    /// `booleanList`.
    BooleanList,
    /// `ip`.
    Ip,
    /// `ipList`.
    IpList,
    /// `binary`.
    Binary,
    /// `binaryList`.
    BinaryList,
    /// `date`.
    Date,
    /// `dateList`.
    DateList,
}

impl ContextType {
    /// Every type, in the order of the IAM API's `ContextKeyTypeEnum`.
    pub const ALL: [ContextType; 12] = [
        ContextType::String,
        ContextType::StringList,
        ContextType::Numeric,
        ContextType::NumericList,
        ContextType::Boolean,
        ContextType::BooleanList,
        ContextType::Ip,
        ContextType::IpList,
        ContextType::Binary,
        ContextType::BinaryList,
        ContextType::Date,
        ContextType::DateList,
    ];

    /// The type the simulator spells `s`.
    pub fn parse(s: &str) -> Option<ContextType> {
        ContextType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the type is a list type (multivalued key).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ContextType::StringList
                | ContextType::NumericList
                | ContextType::BooleanList
                | ContextType::IpList
                | ContextType::BinaryList
                | ContextType::DateList
        )
    }

    /// The name as the simulator spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ContextType::String => "string",
            ContextType::StringList => "stringList",
            ContextType::Numeric => "numeric",
            ContextType::NumericList => "numericList",
            ContextType::Boolean => "boolean",
            ContextType::BooleanList => "booleanList",
            ContextType::Ip => "ip",
            ContextType::IpList => "ipList",
            ContextType::Binary => "binary",
            ContextType::BinaryList => "binaryList",
            ContextType::Date => "date",
            ContextType::DateList => "dateList",
        }
    }
}

/// The expected answer of an evaluation case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalExpect {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided, when the case checks them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<MatchedRef>>,
    /// The context keys the decision needed but the request lacked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_context: Option<Vec<String>>,
}

/// A reference to a statement: `{"policy": "identity[0]", "sid": "S1"}` or with
/// `"statement": 0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchedRef {
    /// `identity[i]`, `boundary`, `session[i]`, `scp[level][i]`, `rcp[level][i]`, `resource`.
    pub policy: String,
    /// The statement's Sid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The statement's index, where it has no Sid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
}

/// A validation case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationCase {
    /// Unique id (kebab-case).
    pub id: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `identity`, `resource`, `trust`, `boundary`, `session`, `scp` or `rcp`.
    #[serde(deserialize_with = "de_kind", serialize_with = "ser_kind")]
    pub policy_kind: crate::PolicyKind,
    /// The policy.
    pub policy: PolicyDoc,
    /// The expected verdict.
    pub expect: ValidationExpect,
}

fn de_kind<'de, D: Deserializer<'de>>(d: D) -> Result<crate::PolicyKind, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

fn ser_kind<S: Serializer>(k: &crate::PolicyKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

/// The expected verdict of a validation case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationExpect {
    /// Whether AWS accepts the policy.
    pub valid: bool,
    /// A substring of the expected error message (case-sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// 1-based line of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}
