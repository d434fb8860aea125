//! The policy linter: everything [`iamcr_policy::check`] reports, plus findings about what a
//! policy AWS accepts probably does not do as meant, using the service catalogue.
//!
//! ```
//! use iamcr_cleanrooms::lint::{lint, Severity};
//! use iamcr_policy::PolicyKind;
//! let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
//!   "Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket"}]}"#;
//! let findings = lint(text, PolicyKind::Identity, None);
//! assert_eq!(findings[0].code, "action-resource-mismatch");
//! assert_eq!(findings[0].severity, Severity::Warning);
//! assert_eq!((findings[0].line, findings[0].column), (2, 13)); // s3:GetObject
//! ```
//!
//! # Rules and severities
//!
//! Severities follow IAM Access Analyzer's policy checks: ERROR → error, SECURITY_WARNING and
//! WARNING → warning, SUGGESTION → suggestion. Security warnings (the policy grants more than
//! it probably means to) keep Access Analyzer's distinction: [`Finding::finding_type`] is
//! `SECURITY_WARNING`, the text form says `security-warning[code]` and the JSON form has
//! `"finding_type"`; the table marks them *security*. Anything AWS rejects is an error (the policy
//! crate's diagnostics). Where Access Analyzer reports an ERROR for a policy IAM accepts (an
//! action or condition key that does not exist or does not apply), the finding is an error
//! too and its message says that IAM accepts the policy. Two deliberate exceptions, both
//! warnings: placeholders left in ARNs (documentation templates to fill in; Access Analyzer's
//! "Invalid ARN account/Region" errors) and Sid characters in resource policies (the
//! resource-policy service's rule is not verified; Access Analyzer's "Unsupported Sid").
//!
//! | code | severity | what | Access Analyzer counterpart |
//! |---|---|---|---|
//! | *policy crate codes* (`json-syntax`, `invalid-resource`, `sid-charset`, …) | as reported | everything [`iamcr_policy::check`] finds; its message in full | the IAM / service answer |
//! | `unknown-action` | error | a pattern of a catalogued service (cleanrooms, cleanrooms-ml, iam, sts, glue, s3, kms, logs) matching no action; IAM accepts it | ERROR "Invalid action" |
//! | `unknown-condition-key` | error | an `aws:` key that is not global, or a key of a catalogued service it does not define | ERROR "Invalid global/service condition key" |
//! | `action-resource-mismatch` | warning | a resource no action of the statement accepts; actions whose (required) resource types no resource names | — (SAR: "include an ARN or pattern for each required resource type") |
//! | `condition-key-not-applicable` | error | a service key none of the statement's actions supports (global keys never); IAM accepts it | ERROR "Unsupported action for condition key" (which also fires when only some actions lack the key) |
//! | `operator-type-mismatch` | warning (*security* for `StringLike` on ARN keys); suggestion for String operators other than `StringLike` on ARN keys | operator family vs the key's type | WARNING "Type mismatch"; SECURITY_WARNING "String like operator with ARN condition keys" |
//! | `set-operator-on-single-valued-key` | warning (*security* for `ForAllValues:`) | `ForAnyValue:`/`ForAllValues:` on a single-valued key | SECURITY_WARNING "ForAllValues with single valued key" |
//! | `multivalued-key-without-set-operator` | warning | a multivalued key without a set operator | — (IAM User Guide) |
//! | `malformed-arn-value` | warning | `arn:` values that are not ARNs (bad partition, missing components) or hold placeholders (`aws-region`, `accountId`, `<…>`), in Resource and Condition; fixed non-ARN values of Arn operators and ARN keys | ERROR "Invalid ARN …" for Resource — where IAM rejects the resource the policy crate's error stands alone |
//! | `malformed-account-value` | warning | an account-ID key (`aws:SourceAccount`, `s3:ResourceAccount`, …) compared with something that is not 12 digits | — |
//! | `confused-deputy-missing` | warning, *security* | a trust statement for a Clean Rooms service principal without `aws:SourceArn`/`aws:SourceAccount` (or `sts:ExternalId` for `cleanrooms.amazonaws.com`), or only with `…IfExists` forms | SECURITY_WARNING "Restrict access to service principal" |
//! | `passrole-unrestricted` | warning (*security* on `*`/NotResource) | `iam:PassRole` on `*`/NotResource, or without `iam:PassedToService` | SECURITY_WARNING "Pass role with star in resource" |
//! | `principal-anyone` | warning, *security* | an Allow in a trust policy (with `sts:AssumeRole*`) or a resource policy whose Principal is `"*"` or `{"AWS": "*"}`, without a positive, non-`IfExists` condition naming who (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`, source IP/VPC, …) with a value that is not all wildcards; `sts:ExternalId` does not count (not a secret, IAM User Guide) | public access (Access Analyzer's external-access findings; custom check "no public access") |
//! | `full-access` | warning, *security* | an Allow of `Action: "*"` on `Resource: "*"` in identity, resource and session policies (in boundaries, SCPs and RCPs it is the usual allow-all filter) | — (Security Hub control IAM.1, "full administrative privileges") |
//! | `unreadable-condition-value` | warning | a value of a Numeric, IP, Bool or Binary operator that does not read as its type (`1e999999999` — exponents beyond ±400 —, `ten`, `300.1.1.1`, `yes`): the comparison with it is never true (always true when negated); values with policy variables are skipped; dates are the policy crate's error | WARNING "Type mismatch" family |
//! | `cross-account-without-collaboration-id` | warning | a Clean Rooms ML resource policy granting another account without `cleanrooms-ml:CollaborationId` | — (Clean Rooms ML user guide) |
//! | `missing-version` | warning | no `Version` in kinds that allow it (trust, resource, session) | WARNING "Missing version" (the brief asked for a suggestion; Access Analyzer decides) |
//! | `sid-charset` | warning (resource policies) | Sid characters other than A–Z, a–z, 0–9; the policy crate makes this an error for IAM kinds | ERROR "Unsupported Sid" |
//! | `redundant-wildcard` | suggestion | an Action/Resource entry covered by another entry (or listed twice) | SUGGESTION "Redundant action"/"Redundant resource" |
//! | `notaction-with-allow`, `notresource-with-allow` | suggestion | `Allow` with `NotAction`/`NotResource` | — |
//!
//! Duplicate Sids in resource policies are the policy crate's `duplicate-sid` warning, passed
//! through (no second finding).
//!
//! Positions: a finding about a JSON string points at its first character after the quote
//! (as editors and `corpus/policies/index.json` count); columns count characters.
//!
//! Reading past syntax errors: see `recover.rs`. A `//` comment that swallows the rest of a
//! one-line policy is ended before the next member name, so the rest is still linted (and the
//! policy crate's non-syntax errors of that reading are reported too); every unbalanced `]`/`}`
//! after a fragment is reported (`json-syntax`), not just the first.

mod actions;
mod arn;
mod conditions;
mod context;
mod grants;
mod principals;
mod recover;

use std::fmt;
use std::path::{Path, PathBuf};

pub use iamcr_policy::Severity;
use iamcr_policy::span::LineIndex;
use iamcr_policy::{Policy, PolicyKind, Stage, check};

use crate::catalogue::Catalogue;
use context::{Ctx, Raw, position, value_offset};

/// One problem the linter found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error, warning or suggestion.
    pub severity: Severity,
    /// Stable kebab-case identifier of the rule (or the policy crate's diagnostic code).
    pub code: &'static str,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
    /// The file linted, when known.
    pub file: Option<PathBuf>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// JSON path of the element, e.g. `Statement[1].Resource[0]`; empty for the document.
    pub path: String,
    /// Access Analyzer's finding type: a security warning (the policy grants more than it
    /// probably means to) or not (a general warning, an error, a suggestion).
    pub security: bool,
}

impl Finding {
    /// Access Analyzer's finding type: `ERROR`, `SECURITY_WARNING`, `WARNING`, `SUGGESTION`.
    pub fn finding_type(&self) -> &'static str {
        match (self.severity, self.security) {
            (Severity::Error, _) => "ERROR",
            (Severity::Warning, true) => "SECURITY_WARNING",
            (Severity::Warning, false) => "WARNING",
            (Severity::Suggestion, _) => "SUGGESTION",
        }
    }

    /// The severity word of the text form: `security-warning` for security warnings, else
    /// the severity (`error`, `warning`, `suggestion`).
    pub fn label(&self) -> &'static str {
        if self.security && self.severity == Severity::Warning {
            "security-warning"
        } else {
            self.severity.as_str()
        }
    }

    /// The JSON form: `{severity, finding_type, code, message, file, line, column, path}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity.as_str(),
            "finding_type": self.finding_type(),
            "code": self.code,
            "message": self.message,
            "file": self.file.as_ref().map(|f| f.display().to_string()),
            "line": self.line,
            "column": self.column,
            "path": self.path,
        })
    }
}

impl fmt::Display for Finding {
    /// `FILE:LINE:COL: LABEL[CODE]: MESSAGE` (without `FILE:` when there is no file); the
    /// label is the severity, or `security-warning` (see [`Finding::label`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
        }
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.line,
            self.column,
            self.label(),
            self.code,
            self.message
        )
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Suggestion findings.
    pub suggestions: usize,
}

impl Counts {
    /// Count `findings`.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Suggestion => c.suggestions += 1,
            }
        }
        c
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.suggestions, "suggestion")
        )
    }
}

/// Lint `text` as a policy of `kind`. `file` is copied into each finding. Findings are sorted
/// by position (then severity, code).
pub fn lint(text: &str, kind: PolicyKind, file: Option<&Path>) -> Vec<Finding> {
    let report = check(text, kind);
    let mut raws: Vec<Raw> = report
        .diagnostics
        .iter()
        .map(|d| Raw {
            severity: d.severity,
            code: d.code.as_str(),
            message: d.full_message(),
            offset: if d.path.is_empty() {
                d.span.start
            } else {
                value_offset(text, d.span)
            },
            path: d.path.clone(),
            security: false,
        })
        .collect();
    raws.extend(stray_closers(text, &report.diagnostics));
    let (policy, extra) = match report.policy {
        Some(p) => (Some(p), Vec::new()),
        None => recovered(text, kind, &report.diagnostics),
    };
    raws.extend(extra);
    if let Some(policy) = &policy {
        match Catalogue::load() {
            Ok(cat) => raws = run_rules(text, policy, kind, cat, raws),
            Err(e) => raws.push(Raw {
                severity: Severity::Error,
                code: "catalogue-unavailable",
                message: format!("the service catalogue could not be loaded: {e}"),
                offset: 0,
                path: String::new(),
                security: false,
            }),
        }
    }
    finish(text, raws, file)
}

/// The catalogue rules over a policy that could be read.
fn run_rules(
    text: &str,
    policy: &Policy,
    kind: PolicyKind,
    cat: &Catalogue,
    raws: Vec<Raw>,
) -> Vec<Raw> {
    let mut ctx = Ctx {
        text,
        policy,
        kind,
        cat,
        out: raws,
    };
    actions::check(&mut ctx);
    conditions::check(&mut ctx);
    principals::check(&mut ctx);
    grants::check(&mut ctx);
    let out = ctx.out;
    // Where AWS rejects a resource, the policy crate's error says so; a second finding about
    // the same string would only repeat it.
    let rejected: Vec<u32> = out
        .iter()
        .filter(|r| r.severity == Severity::Error && r.code == "invalid-resource")
        .map(|r| r.offset)
        .collect();
    out.into_iter()
        .filter(|r| !(r.code == "malformed-arn-value" && rejected.contains(&r.offset)))
        .collect()
}

/// Every unbalanced closer after the end of the document beyond the first (which the policy
/// crate reports).
fn stray_closers(text: &str, diags: &[iamcr_policy::Diagnostic]) -> Vec<Raw> {
    let Some(d) = diags.iter().find(|d| {
        d.code == iamcr_policy::Code::JsonSyntax
            && d.detail
                .as_deref()
                .is_some_and(|x| x.contains("after the end of the JSON document"))
    }) else {
        return Vec::new();
    };
    recover::stray_closers(text, d.span.start as usize)
        .into_iter()
        .filter(|(at, _)| *at != d.span.start as usize)
        .map(|(at, c)| Raw {
            severity: Severity::Error,
            code: "json-syntax",
            message: format!(
                "{} (another unbalanced '{c}' after the end of the JSON document)",
                d.message
            ),
            offset: u32::try_from(at).unwrap_or(u32::MAX),
            path: String::new(),
            security: false,
        })
        .collect()
}

/// The policy read from the text with runaway `//` comments ended early (see `recover.rs`),
/// and the non-syntax diagnostics of that reading that the original reading could not reach.
fn recovered(
    text: &str,
    kind: PolicyKind,
    original: &[iamcr_policy::Diagnostic],
) -> (Option<Policy>, Vec<Raw>) {
    let Some(fixed) = recover::blank_runaway_comments(text) else {
        return (None, Vec::new());
    };
    let report = check(&fixed, kind);
    let extra = report
        .diagnostics
        .iter()
        .filter(|d| !matches!(d.stage, Stage::Input | Stage::Syntax | Stage::Size))
        .filter(|d| {
            !original
                .iter()
                .any(|o| o.code == d.code && o.span == d.span)
        })
        .map(|d| Raw {
            severity: d.severity,
            code: d.code.as_str(),
            message: d.full_message(),
            offset: value_offset(&fixed, d.span),
            path: d.path.clone(),
            security: false,
        })
        .collect();
    (report.policy, extra)
}

/// Positions, sorting, de-duplication.
fn finish(text: &str, raws: Vec<Raw>, file: Option<&Path>) -> Vec<Finding> {
    let lines = LineIndex::new(text);
    let mut out: Vec<Finding> = raws
        .into_iter()
        .map(|r| {
            let (line, column) = position(&lines, text, r.offset);
            Finding {
                severity: r.severity,
                code: r.code,
                message: r.message,
                file: file.map(Path::to_path_buf),
                line,
                column,
                path: r.path,
                security: r.security,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.line, a.column, a.severity, a.code, &a.message)
            .cmp(&(b.line, b.column, b.severity, b.code, &b.message))
    });
    out.dedup();
    out
}

/// The kind the linter uses when none is given, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InferredKind {
    /// The kind.
    pub kind: PolicyKind,
    /// Why, for the user.
    pub reason: &'static str,
}

/// Guess the kind of a policy: `trust` when a statement has a `Principal` and every action is
/// one a role trust policy takes (`sts:AssumeRole*`, `sts:TagSession`,
/// `sts:SetSourceIdentity`, `sts:SetContext`), `resource` for any other policy with a
/// `Principal`, else `identity`.
pub fn infer_kind(text: &str) -> InferredKind {
    let policy = check(text, PolicyKind::Identity)
        .policy
        .or_else(|| recovered(text, PolicyKind::Identity, &[]).0);
    let Some(policy) = policy else {
        return InferredKind {
            kind: PolicyKind::Identity,
            reason: "the text could not be read as a policy; identity is the default",
        };
    };
    let has_principal = policy
        .statements
        .iter()
        .any(|s| s.value.principal.is_some());
    if !has_principal {
        return InferredKind {
            kind: PolicyKind::Identity,
            reason: "no statement has a Principal",
        };
    }
    let actions: Vec<String> = policy
        .statements
        .iter()
        .filter_map(|s| s.value.action.as_ref())
        .filter(|a| !a.value.negated)
        .flat_map(|a| a.value.values.iter().map(str::to_ascii_lowercase))
        .collect();
    let trust_action = |a: &str| {
        a.starts_with("sts:assumerole")
            || matches!(
                a,
                "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
            )
    };
    let assume = actions.iter().any(|a| a.starts_with("sts:assumerole"));
    if assume && actions.iter().all(|a| trust_action(a)) {
        InferredKind {
            kind: PolicyKind::Trust,
            reason: "it has a Principal and only sts:AssumeRole* actions",
        }
    } else {
        InferredKind {
            kind: PolicyKind::Resource,
            reason: "it has a Principal",
        }
    }
}
