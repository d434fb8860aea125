//! Access Analyzer's custom policy checks, offline: `CheckNoNewAccess` and
//! `CheckAccessNotGranted`, with its result shape — `PASS` or `FAIL`, a message, and reasons
//! that name the statement (`description`, `statementIndex`, `statementId`). As with Access
//! Analyzer, `FAIL` also covers "might allow": a check passes only when the method decided
//! every class (API reference, CheckNoNewAccess / CheckAccessNotGranted: "If the result is
//! FAIL, the specified policy might allow some or all of the permissions").

use crate::engine::{CompareError, Comparison, Options, StatementRef, Verdict, compare};
use iamcr_policy::Policy;
use serde_json::{Value, json};

/// `PASS` or `FAIL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The property holds over every class.
    Pass,
    /// It does not, or it could not be shown to.
    Fail,
}

impl Outcome {
    /// As Access Analyzer spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
        }
    }
}

/// One reason (Access Analyzer's `ReasonSummary`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// What was found.
    pub description: String,
    /// The statement of the checked (new) policy, when one is responsible.
    pub statement: Option<StatementRef>,
}

/// A check's answer.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// PASS or FAIL.
    pub result: Outcome,
    /// One line.
    pub message: String,
    /// Why (empty for PASS).
    pub reasons: Vec<Reason>,
    /// The comparison behind it (witnesses included).
    pub comparison: Comparison,
}

impl CheckResult {
    /// Access Analyzer's response shape, plus `witnesses` (the requests behind the reasons).
    pub fn to_json(&self) -> Value {
        let reasons: Vec<Value> = self
            .reasons
            .iter()
            .map(|r| {
                let mut v = json!({ "description": r.description });
                if let Some(s) = &r.statement {
                    v["statementIndex"] = json!(s.index);
                    if let Some(sid) = &s.sid {
                        v["statementId"] = json!(sid);
                    }
                }
                v
            })
            .collect();
        json!({
            "result": self.result.as_str(),
            "message": self.message,
            "reasons": reasons,
        })
    }
}

/// `CheckNoNewAccess`: does `new` allow anything `existing` does not?
pub fn no_new_access(
    existing: &Policy,
    new: &Policy,
    options: &Options,
) -> Result<CheckResult, CompareError> {
    let c = compare(existing, new, options)?;
    let (result, message) = match c.verdict() {
        Verdict::NoNewAccess => (
            Outcome::Pass,
            "The modified permissions do not grant new access compared to your existing policy.",
        ),
        Verdict::NewAccess => (
            Outcome::Fail,
            "The modified permissions grant new access compared to your existing policy.",
        ),
        Verdict::MightAllow => (
            Outcome::Fail,
            "The modified permissions might grant new access compared to your existing policy: not every request class could be decided.",
        ),
    };
    Ok(finish(c, result, message, "new access"))
}

/// `CheckAccessNotGranted`: does `policy` allow any of `actions` on any of `resources`?
/// Either list may be empty (any action / any resource), not both.
pub fn access_not_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
    options: &Options,
) -> Result<CheckResult, CompareError> {
    if actions.is_empty() && resources.is_empty() {
        return Err(CompareError(
            "access-not-granted needs at least one action or resource".into(),
        ));
    }
    let nothing = iamcr_policy::parse(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .map_err(|_| CompareError("the empty policy did not parse".into()))?;
    let options = Options {
        actions: actions.to_vec(),
        resources: resources.to_vec(),
        ..options.clone()
    };
    let c = compare(&nothing, policy, &options)?;
    let (result, message) = match c.verdict() {
        Verdict::NoNewAccess => (
            Outcome::Pass,
            "The policy document does not grant access to perform the listed actions or resources.",
        ),
        Verdict::NewAccess => (
            Outcome::Fail,
            "The policy document grants access to perform one or more of the listed actions or resources.",
        ),
        Verdict::MightAllow => (
            Outcome::Fail,
            "The policy document might grant access to perform one or more of the listed actions or resources: not every request class could be decided.",
        ),
    };
    Ok(finish(c, result, message, "access"))
}

/// Reasons: one per statement of the checked policy that allows a witness (listing the
/// actions it allows), then one per gap.
fn finish(c: Comparison, result: Outcome, message: &str, what: &str) -> CheckResult {
    let mut by_statement: Vec<(Option<StatementRef>, Vec<String>)> = Vec::new();
    for d in &c.differences {
        let stmts: Vec<Option<StatementRef>> = if d.allowed_by.is_empty() {
            vec![None]
        } else {
            d.allowed_by.iter().cloned().map(Some).collect()
        };
        for s in stmts {
            let label = format!("{} on {}", d.action, d.witness.resource);
            match by_statement.iter_mut().find(|(k, _)| *k == s) {
                Some((_, v)) => v.push(label),
                None => by_statement.push((s, vec![label])),
            }
        }
    }
    let mut reasons: Vec<Reason> = by_statement
        .into_iter()
        .map(|(statement, labels)| {
            let shown: Vec<&str> = labels.iter().take(5).map(String::as_str).collect();
            let more = labels.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Reason {
                description: format!(
                    "grants {what}: {} action/resource-type classes, e.g. {}{tail}",
                    labels.len(),
                    shown.join("; ")
                ),
                statement,
            }
        })
        .collect();
    for g in &c.gaps {
        let subject = g
            .action
            .as_deref()
            .map(|a| format!("{a}: "))
            .unwrap_or_default();
        let description = format!("might grant {what}: {subject}{}", g.reason);
        if g.statements.is_empty() {
            reasons.push(Reason {
                description: description.clone(),
                statement: None,
            });
        }
        for s in &g.statements {
            reasons.push(Reason {
                description: description.clone(),
                statement: Some(s.clone()),
            });
        }
    }
    if result == Outcome::Pass {
        reasons.clear();
    }
    CheckResult {
        result,
        message: message.to_string(),
        reasons,
        comparison: c,
    }
}
