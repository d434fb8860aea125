//! The typed policy AST.
//!
//! The AST is *lenient*: it can hold a policy that IAM would reject (a statement without
//! `Effect`, a `Resource` that is not an ARN, an unknown `Version`), because validation
//! reports every error at once and needs the whole document to do so, and because the
//! linter works on the same tree. Whether a policy is acceptable for a policy kind is
//! answered by [`crate::validate()`]; the evaluator refuses statements that lack what it
//! needs.
//!
//! Every element keeps its source [`Span`]; equality ignores spans (see [`Spanned`]).

use crate::operator::Operator;
use crate::span::{LineIndex, Position, Span, Spanned};
use std::sync::Arc;

/// A policy document.
///
/// Equality compares the policy's meaning as written, not its source: spans and the source
/// text are ignored, so a policy built in code equals itself printed and parsed again.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `Version`, when present.
    pub version: Option<Spanned<Version>>,
    /// `Id`, when present.
    pub id: Option<Spanned<String>>,
    /// The statements, in order. Empty when `Statement` is missing or `[]`.
    pub statements: Vec<Spanned<Statement>>,
    /// How `Statement` was written: `Single` for one object, `List` for an array, `None` when
    /// the element is missing.
    pub statement_form: Option<Form>,
    /// The source the policy was read from (absent for policies built in code).
    pub source: Option<Source>,
}

impl PartialEq for Policy {
    fn eq(&self, other: &Policy) -> bool {
        // Every field but `source`, on purpose.
        self.version == other.version
            && self.id == other.id
            && self.statements == other.statements
            && self.statement_form == other.statement_form
    }
}

impl Policy {
    /// The effective version: a missing `Version` means `2008-10-17` ("The default policy
    /// version is 2008-10-17", IAM User Guide, troubleshoot_policies.html#missing-version).
    pub fn effective_version(&self) -> Version {
        self.version
            .as_ref()
            .map(|v| v.value.clone())
            .unwrap_or(Version::V2008_10_17)
    }

    /// Whether `${…}` policy variables are recognised: only under `2012-10-17`; under
    /// `2008-10-17` or with no `Version` they are literal text.
    pub fn variables_enabled(&self) -> bool {
        self.effective_version() == Version::V2012_10_17
    }

    /// The 1-based position of a span's start, when the policy has source text.
    pub fn position(&self, span: Span) -> Option<Position> {
        self.source.as_ref().map(|s| s.position(span.start))
    }
}

/// The policy text and its line index, shared by the policy and all its clones.
///
/// Equality of policies ignores the source (two policies with the same meaning are equal
/// whatever their text).
#[derive(Clone)]
pub struct Source {
    inner: Arc<SourceInner>,
}

struct SourceInner {
    text: Box<str>,
    /// Built on first use: most parses never ask for a position.
    lines: std::sync::OnceLock<LineIndex>,
}

impl Source {
    /// Keep `text` as the source of a policy.
    pub fn new(text: &str) -> Source {
        Source {
            inner: Arc::new(SourceInner {
                text: Box::from(text),
                lines: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// 1-based line and column of byte offset `offset`.
    pub fn position(&self, offset: u32) -> Position {
        let lines = self
            .inner
            .lines
            .get_or_init(|| LineIndex::new(&self.inner.text));
        lines.position(&self.inner.text, offset)
    }

    /// The positions of many byte offsets at once. Sorted offsets of a source whose line
    /// index is not built yet are found in one pass over the text without building it
    /// (compiling a freshly parsed policy asks for two positions per statement, once: the
    /// index, a vector per line, cost more than the rest of compiling the statements).
    pub fn positions(&self, offsets: &[u32]) -> Vec<Position> {
        match self.inner.lines.get() {
            None if offsets.is_sorted() => crate::span::positions_sorted(&self.inner.text, offsets),
            _ => offsets.iter().map(|&o| self.position(o)).collect(),
        }
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Source({} bytes)", self.inner.text.len())
    }
}

/// `Version` values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`, the current language version.
    V2012_10_17,
    /// `2008-10-17`, the legacy version (no policy variables).
    V2008_10_17,
    /// Anything else (invalid; kept so that validation can point at it).
    Other(String),
}

impl Version {
    /// The version as written.
    pub fn as_str(&self) -> &str {
        match self {
            Version::V2012_10_17 => "2012-10-17",
            Version::V2008_10_17 => "2008-10-17",
            Version::Other(s) => s,
        }
    }

    /// Classify a version string.
    pub fn from_text(s: &str) -> Version {
        match s {
            "2012-10-17" => Version::V2012_10_17,
            "2008-10-17" => Version::V2008_10_17,
            other => Version::Other(other.to_string()),
        }
    }
}

/// Whether an element that takes "one value or an array" was written as one value or as an
/// array. Kept so that printing reproduces the author's form; evaluation ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// A bare value: `"Action": "s3:GetObject"`, `"Statement": { … }`.
    Single,
    /// An array: `"Action": ["s3:GetObject"]`.
    List,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    /// `Sid`.
    pub sid: Option<Spanned<String>>,
    /// `Effect`; `None` when missing or not a string.
    pub effect: Option<Spanned<Effect>>,
    /// `Principal` or `NotPrincipal`.
    pub principal: Option<Spanned<PrincipalBlock>>,
    /// `Action` or `NotAction`.
    pub action: Option<Spanned<ActionBlock>>,
    /// `Resource` or `NotResource`.
    pub resource: Option<Spanned<ResourceBlock>>,
    /// `Condition`.
    pub condition: Option<Spanned<ConditionBlock>>,
}

/// `Allow` or `Deny` (case-sensitive in IAM; other spellings are kept for diagnostics).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`.
    Allow,
    /// `"Deny"`.
    Deny,
    /// Any other string, kept as written (e.g. `"allow"`, which IAM rejects).
    Other(String),
}

impl Effect {
    /// The effect as written.
    pub fn as_str(&self) -> &str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
            Effect::Other(s) => s,
        }
    }
}

/// A list of strings written as one string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Values {
    /// The strings, each with its span.
    pub items: Vec<Spanned<String>>,
    /// How it was written.
    pub form: Form,
}

impl Values {
    /// Values built in code, written as an array.
    pub fn list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Values {
        Values {
            items: items
                .into_iter()
                .map(|s| Spanned::synthetic(s.into()))
                .collect(),
            form: Form::List,
        }
    }

    /// One value built in code, written as a bare string.
    pub fn single(item: impl Into<String>) -> Values {
        Values {
            items: vec![Spanned::synthetic(item.into())],
            form: Form::Single,
        }
    }

    /// Iterate over the strings.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|s| s.value.as_str())
    }
}

/// `Action` / `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionBlock {
    /// `true` for `NotAction`.
    pub negated: bool,
    /// The action patterns.
    pub values: Values,
}

/// `Resource` / `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceBlock {
    /// `true` for `NotResource`.
    pub negated: bool,
    /// The resource patterns.
    pub values: Values,
}

/// `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrincipalBlock {
    /// `true` for `NotPrincipal`.
    pub negated: bool,
    /// The principal value.
    pub value: PrincipalValue,
}

/// The value of `Principal`: `"*"` or a map of principal types to values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrincipalValue {
    /// `"*"`: everyone, including anonymous users.
    Wildcard,
    /// `{"AWS": …, "Service": …, …}` in source order.
    Map(Vec<PrincipalEntry>),
}

/// One entry of a principal map.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PrincipalEntry {
    /// The principal type key.
    pub kind: Spanned<PrincipalKind>,
    /// Its values.
    pub values: Values,
}

/// Principal map keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    /// `"AWS"`: accounts, IAM users and roles, role sessions, federated users.
    Aws,
    /// `"Service"`: AWS service principals.
    Service,
    /// `"Federated"`: identity providers.
    Federated,
    /// `"CanonicalUser"`: S3 canonical user IDs.
    CanonicalUser,
    /// Any other key (invalid; kept for diagnostics).
    Other(String),
}

impl PrincipalKind {
    /// The key as written in policies.
    pub fn as_str(&self) -> &str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
            PrincipalKind::Other(s) => s,
        }
    }

    /// Classify a key (case-sensitive, as in the IAM grammar).
    pub fn from_key(s: &str) -> PrincipalKind {
        match s {
            "AWS" => PrincipalKind::Aws,
            "Service" => PrincipalKind::Service,
            "Federated" => PrincipalKind::Federated,
            "CanonicalUser" => PrincipalKind::CanonicalUser,
            other => PrincipalKind::Other(other.to_string()),
        }
    }
}

/// `Condition`: operators in source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConditionBlock {
    /// One entry per operator key.
    pub operators: Vec<ConditionOperator>,
}

/// One operator of a condition block with its keys.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionOperator {
    /// The operator, or the unknown name as written.
    pub operator: Spanned<OperatorName>,
    /// The keys tested with this operator, in source order.
    pub keys: Vec<ConditionKey>,
}

/// A condition operator name: known, or kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OperatorName {
    /// A documented operator.
    Known(Operator),
    /// Anything else (IAM accepts an unknown operator only with an empty key map).
    Unknown(String),
}

impl OperatorName {
    /// The name as written.
    pub fn text(&self) -> String {
        match self {
            OperatorName::Known(op) => op.to_string(),
            OperatorName::Unknown(s) => s.clone(),
        }
    }
}

/// One `key: values` entry under an operator.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionKey {
    /// The context key name as written (compared case-insensitively).
    pub key: Spanned<String>,
    /// The values.
    pub values: Spanned<ConditionValues>,
}

/// Condition values: one value or an array.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionValues {
    /// The values.
    pub items: Vec<Spanned<ConditionValue>>,
    /// How they were written.
    pub form: Form,
}

/// One condition value. "Quotation marks are optional for numeric and Boolean values" (IAM
/// User Guide, Condition element), so numbers and booleans are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConditionValue {
    /// A JSON string.
    String(String),
    /// A JSON number, as written.
    Number(String),
    /// A JSON boolean.
    Bool(bool),
}

impl ConditionValue {
    /// The value as text, as IAM compares it (`true`, `10`, `abc`).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            ConditionValue::String(s) | ConditionValue::Number(s) => std::borrow::Cow::Borrowed(s),
            ConditionValue::Bool(true) => std::borrow::Cow::Borrowed("true"),
            ConditionValue::Bool(false) => std::borrow::Cow::Borrowed("false"),
        }
    }
}
