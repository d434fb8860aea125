//! Diagnostics: every problem found in a policy, with IAM's own message, where it is, and
//! which element it concerns.
//!
//! IAM answers a malformed policy with one `MalformedPolicyDocument` message, chosen by the
//! order in which its checks run. We report *every* problem, but order them by the same
//! [`Stage`]s, so the first diagnostic is the one IAM would answer with. The stage order is
//! the one observed in IAM's responses and reproduced by the moto emulator
//! (getmoto/moto `moto/iam/policy_validation.py`): syntax → version → legacy parsing → Sid
//! uniqueness → actions present → resource format → action format → resources present.

use crate::span::{Position, Span};
use std::borrow::Cow;
use std::fmt;

/// The order in which IAM's checks run; earlier stages decide IAM's single message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// The API's input constraints: allowed characters, length of the text as sent.
    Input,
    /// JSON syntax: the text is not JSON (IAM's parser stops here, before any shape check).
    Json,
    /// The shape of the document ("Syntax errors in policy.").
    Syntax,
    /// `Version` requirements of the kind.
    Version,
    /// IAM's "legacy parsing" pass (effect spelling, date values, resource shape).
    Legacy,
    /// Unique `Sid`s and the `Sid` character set.
    Sid,
    /// Elements a policy kind requires or forbids (e.g. `Principal`).
    Elements,
    /// Every statement has actions.
    ActionsPresent,
    /// Resource ARN format.
    ResourceFormat,
    /// Action `vendor:name` format.
    ActionFormat,
    /// Every statement has resources. IAM checks this after the action format: a statement
    /// with `"Action": "invalid"` and no `Resource` is answered with the action message
    /// (moto corpus, invalid #29).
    ResourcesPresent,
    /// Rules of one policy kind checked last (trust policy actions and principals).
    KindRules,
    /// Principal values.
    Principal,
    /// Condition keys and values.
    Condition,
    /// Size quotas of the kind.
    Size,
    /// Lint findings (never decide AWS's answer).
    Lint,
}

/// What a diagnostic is about: a stable identifier, printed in kebab case (`json-syntax`,
/// `missing-resource`). Code that reacts to a kind of problem matches on this enum, never
/// on the printed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// `conflicting-elements`
    ConflictingElements,
    /// `duplicate-key`
    DuplicateKey,
    /// `duplicate-sid`
    DuplicateSid,
    /// `effect-case`
    EffectCase,
    /// `empty-statement`
    EmptyStatement,
    /// `input-empty`
    InputEmpty,
    /// `input-too-large`
    InputTooLarge,
    /// `input-too-long`
    InputTooLong,
    /// `invalid-action`
    InvalidAction,
    /// `invalid-character`
    InvalidCharacter,
    /// `invalid-date`
    InvalidDate,
    /// `invalid-effect`
    InvalidEffect,
    /// `invalid-principal`
    InvalidPrincipal,
    /// `invalid-resource`
    InvalidResource,
    /// `invalid-utf8`
    InvalidUtf8,
    /// `json-comment`
    JsonComment,
    /// `json-syntax`
    JsonSyntax,
    /// `json-trailing-comma`
    JsonTrailingComma,
    /// `missing-action`
    MissingAction,
    /// `missing-effect`
    MissingEffect,
    /// `missing-principal`
    MissingPrincipal,
    /// `missing-resource`
    MissingResource,
    /// `missing-statement`
    MissingStatement,
    /// `missing-version`
    MissingVersion,
    /// `nesting-too-deep`
    NestingTooDeep,
    /// `not-an-object`
    NotAnObject,
    /// `notaction-not-allowed`
    NotactionNotAllowed,
    /// `notprincipal-in-trust`
    NotprincipalInTrust,
    /// `notprincipal-with-allow`
    NotprincipalWithAllow,
    /// `null-value`
    NullValue,
    /// `old-version`
    OldVersion,
    /// `policy-too-large`
    PolicyTooLarge,
    /// `principal-not-allowed`
    PrincipalNotAllowed,
    /// `sid-charset`
    SidCharset,
    /// `trust-action`
    TrustAction,
    /// `trust-principal-star`
    TrustPrincipalStar,
    /// `trust-resource`
    TrustResource,
    /// `unknown-element`
    UnknownElement,
    /// `unknown-operator`
    UnknownOperator,
    /// `unknown-principal-type`
    UnknownPrincipalType,
    /// `unknown-version`
    UnknownVersion,
    /// `wrong-type`
    WrongType,
}

impl Code {
    /// Every code, in the order of their printed names.
    pub const ALL: &[Code] = &[
        Code::ConflictingElements,
        Code::DuplicateKey,
        Code::DuplicateSid,
        Code::EffectCase,
        Code::EmptyStatement,
        Code::InputEmpty,
        Code::InputTooLarge,
        Code::InputTooLong,
        Code::InvalidAction,
        Code::InvalidCharacter,
        Code::InvalidDate,
        Code::InvalidEffect,
        Code::InvalidPrincipal,
        Code::InvalidResource,
        Code::InvalidUtf8,
        Code::JsonComment,
        Code::JsonSyntax,
        Code::JsonTrailingComma,
        Code::MissingAction,
        Code::MissingEffect,
        Code::MissingPrincipal,
        Code::MissingResource,
        Code::MissingStatement,
        Code::MissingVersion,
        Code::NestingTooDeep,
        Code::NotAnObject,
        Code::NotactionNotAllowed,
        Code::NotprincipalInTrust,
        Code::NotprincipalWithAllow,
        Code::NullValue,
        Code::OldVersion,
        Code::PolicyTooLarge,
        Code::PrincipalNotAllowed,
        Code::SidCharset,
        Code::TrustAction,
        Code::TrustPrincipalStar,
        Code::TrustResource,
        Code::UnknownElement,
        Code::UnknownOperator,
        Code::UnknownPrincipalType,
        Code::UnknownVersion,
        Code::WrongType,
    ];

    /// The printed name, e.g. `json-syntax`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ConflictingElements => "conflicting-elements",
            Code::DuplicateKey => "duplicate-key",
            Code::DuplicateSid => "duplicate-sid",
            Code::EffectCase => "effect-case",
            Code::EmptyStatement => "empty-statement",
            Code::InputEmpty => "input-empty",
            Code::InputTooLarge => "input-too-large",
            Code::InputTooLong => "input-too-long",
            Code::InvalidAction => "invalid-action",
            Code::InvalidCharacter => "invalid-character",
            Code::InvalidDate => "invalid-date",
            Code::InvalidEffect => "invalid-effect",
            Code::InvalidPrincipal => "invalid-principal",
            Code::InvalidResource => "invalid-resource",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::JsonComment => "json-comment",
            Code::JsonSyntax => "json-syntax",
            Code::JsonTrailingComma => "json-trailing-comma",
            Code::MissingAction => "missing-action",
            Code::MissingEffect => "missing-effect",
            Code::MissingPrincipal => "missing-principal",
            Code::MissingResource => "missing-resource",
            Code::MissingStatement => "missing-statement",
            Code::MissingVersion => "missing-version",
            Code::NestingTooDeep => "nesting-too-deep",
            Code::NotAnObject => "not-an-object",
            Code::NotactionNotAllowed => "notaction-not-allowed",
            Code::NotprincipalInTrust => "notprincipal-in-trust",
            Code::NotprincipalWithAllow => "notprincipal-with-allow",
            Code::NullValue => "null-value",
            Code::OldVersion => "old-version",
            Code::PolicyTooLarge => "policy-too-large",
            Code::PrincipalNotAllowed => "principal-not-allowed",
            Code::SidCharset => "sid-charset",
            Code::TrustAction => "trust-action",
            Code::TrustPrincipalStar => "trust-principal-star",
            Code::TrustResource => "trust-resource",
            Code::UnknownElement => "unknown-element",
            Code::UnknownOperator => "unknown-operator",
            Code::UnknownPrincipalType => "unknown-principal-type",
            Code::UnknownVersion => "unknown-version",
            Code::WrongType => "wrong-type",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// AWS rejects the policy.
    Error,
    /// AWS accepts the policy but it probably does not do what was meant.
    Warning,
    /// A better way to write it.
    Suggestion,
}

impl Severity {
    /// Lower-case name as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }
}

/// One problem in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What the problem is, e.g. [`Code::JsonSyntax`], [`Code::MissingResource`].
    pub code: Code,
    /// Error, warning or suggestion.
    pub severity: Severity,
    /// Which check found it (orders diagnostics like IAM does).
    pub stage: Stage,
    /// The message AWS gives for this problem, verbatim where AWS has one (most are fixed
    /// texts, which are not copied).
    pub message: Cow<'static, str>,
    /// Our explanation of what exactly is wrong, when the AWS message does not say.
    pub detail: Option<String>,
    /// Where the problem is.
    pub span: Span,
    /// JSON path of the offending element, e.g. `Statement[1].Condition.StringLike`.
    pub path: String,
    /// 1-based start position (filled in when the source text is known).
    pub start: Position,
    /// 1-based end position.
    pub end: Position,
    /// Sort key within a stage (defaults to the span start): lets a check put first the
    /// problem IAM reports when several are found in one stage.
    pub order: u32,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(
        code: Code,
        stage: Stage,
        message: impl Into<Cow<'static, str>>,
        span: Span,
        path: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            stage,
            message: message.into(),
            detail: None,
            span,
            path: path.into(),
            start: Position::default(),
            end: Position::default(),
            order: span.start,
        }
    }

    /// Add an explanation.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Diagnostic {
        self.detail = Some(detail.into());
        self
    }

    /// Change the severity.
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// The message with the detail: what is compared against a case's `expect.message`.
    pub fn full_message(&self) -> String {
        match &self.detail {
            Some(d) => format!("{} ({d})", self.message),
            None => self.message.to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.start, self.unplaced())
    }
}

impl Diagnostic {
    /// The diagnostic as displayed but without its position, for a caller that places it
    /// itself (a policy inside a case or scenario file is placed in that file):
    /// `error: MESSAGE [code at PATH]`.
    pub fn unplaced(&self) -> String {
        let mut s = format!(
            "{}: {} [{}",
            self.severity.as_str(),
            self.full_message(),
            self.code
        );
        if !self.path.is_empty() {
            s.push_str(" at ");
            s.push_str(&self.path);
        }
        s.push(']');
        s
    }
}

/// IAM's message texts, verbatim (see `docs/validation.md` for where each was seen).
pub mod messages {
    /// Any JSON or shape error.
    pub const SYNTAX: &str = "Syntax errors in policy.";
    /// A managed policy without `Version: 2012-10-17`.
    pub const VERSION: &str = "Policy document must be version 2012-10-17 or greater.";
    /// IAM's legacy parser rejected the document.
    pub const LEGACY: &str = "The policy failed legacy parsing";
    /// Two statements share a `Sid`.
    pub const SID_UNIQUE: &str = "Statement IDs (SID) in a single policy must be unique.";
    /// A statement without `Action`/`NotAction`.
    pub const NO_ACTIONS: &str = "Policy statement must contain actions.";
    /// A statement without `Resource`/`NotResource`.
    pub const NO_RESOURCES: &str = "Policy statement must contain resources.";
    /// An action without `vendor:`.
    pub const ACTION_VENDOR: &str =
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    /// An action with more than one colon.
    pub const ACTION_ONE_COLON: &str = "Actions/Condition can contain only one colon.";
    /// A wildcard in the action vendor.
    pub const ACTION_VENDOR_WILDCARD: &str = "Action vendors must not contain wildcards.";
    /// An identity policy with `Principal`.
    pub const IDENTITY_PRINCIPAL: &str = "Policy document should not specify a principal.";
    /// An invalid principal.
    pub const INVALID_PRINCIPAL: &str = "Invalid principal in policy";
    /// A resource-based or trust policy without `Principal`.
    pub const MISSING_PRINCIPAL: &str = "Missing required field Principal";
    /// A resource vendor with wildcards or missing.
    pub const RESOURCE_VENDOR: &str =
        "Resource vendor must be fully qualified and cannot contain regexes.";
}

/// `s` in double quotes, exactly as `format!("{s:?}")` writes it, for diagnostics that quote
/// the text they are about. Most policy strings are printable ASCII without `"` or `\`, and
/// for those the text is copied as is: a fuzz input gets dozens of such diagnostics, and
/// the formatting machinery was a quarter of the time spent checking it.
pub(crate) fn quoted(s: &str) -> String {
    let plain = s
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if plain {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        out
    } else {
        format!("{s:?}")
    }
}

/// `prefix[index]suffix` (e.g. `Statement[3].Action`) without the formatting machinery.
pub(crate) fn indexed_path(prefix: &str, index: usize, suffix: &str) -> String {
    let mut digits = [0u8; 20];
    let mut n = index;
    let mut at = digits.len();
    loop {
        at -= 1;
        // `n % 10` is below 10, so the cast cannot truncate.
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(prefix.len() + suffix.len() + 2 + digits.len() - at);
    out.push_str(prefix);
    out.push('[');
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
    out.push(']');
    out.push_str(suffix);
    out
}

#[cfg(test)]
mod tests {
    use super::{indexed_path, quoted};

    #[test]
    fn quoted_is_debug_formatting() {
        for s in [
            "",
            "arn:aws:s3:::bucket/*",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "é€𝄞",
            "\u{7f}\u{0}",
            "\u{301}combining",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s:?}");
        }
    }

    #[test]
    fn indexed_path_is_the_formatted_path() {
        for i in [0, 7, 10, 99, 12_345, usize::MAX] {
            assert_eq!(
                indexed_path("Statement", i, ".Action"),
                format!("Statement[{i}].Action")
            );
        }
        assert_eq!(indexed_path("", 3, ""), "[3]");
    }
}
