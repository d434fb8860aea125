//! Running cases and reporting outcomes.

use crate::case::{Case, ValidationCase};
use crate::eval_case::CaseError;
use crate::load::LoadedCase;
use crate::written::Verdict;
use iamcr_policy::embed::Fault;
use serde::Serialize;
use std::path::PathBuf;

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The answer matched every expectation.
    Pass,
    /// An expectation was not met.
    Fail,
}

/// One case's result, with what came out (for `--json`).
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// The file it came from.
    pub file: PathBuf,
    /// The line where it starts.
    pub line: u32,
    /// Pass or fail. There is no skip: the model answers every field of case format v1,
    /// and a field it did not know is a load error, not a skipped case.
    pub status: Status,
    /// For failures: expected vs actual.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the model answered.
    pub answer: serde_json::Value,
}

/// Run every case: each evaluation case's verdict comes from the one differential engine
/// (the model, asked once per case on its explained path, against the answer the case writes
/// down: [`crate::eval_case::judge`]).
pub fn run_all(cases: &[LoadedCase]) -> Vec<CaseResult> {
    let evaluations: Vec<&crate::case::EvalCase> = cases
        .iter()
        .filter_map(|c| match &c.case {
            Case::Evaluation(e) => Some(e.as_ref()),
            Case::Validation(_) => None,
        })
        .collect();
    let mut judged = crate::eval_case::judge(evaluations).into_iter();
    cases
        .iter()
        .map(|c| {
            let verdict = match &c.case {
                Case::Evaluation(_) => judged.next(),
                Case::Validation(_) => None,
            };
            result(c, verdict)
        })
        .collect()
}

/// Run one case.
pub fn run_one(c: &LoadedCase) -> CaseResult {
    run_all(std::slice::from_ref(c))
        .pop()
        .unwrap_or_else(|| result(c, None))
}

/// One case's result, an evaluation case's from its verdict and explained answer (none:
/// not compared).
fn result(c: &LoadedCase, judged: Option<(Verdict, crate::eval_case::Explained)>) -> CaseResult {
    let (status, reason, answer) = match &c.case {
        Case::Validation(v) => run_validation(v, c),
        Case::Evaluation(e) => {
            let (verdict, explained) = judged.unwrap_or_else(|| {
                (
                    Verdict::NotCompared("the case was not compared".into()),
                    crate::eval_case::explain(e),
                )
            });
            crate::eval_case::run_placed(e, &verdict, explained, &|err| match err {
                CaseError::Policy { slot, fault } => c.place(slot, fault),
                CaseError::Other(s) => s.clone(),
            })
        }
    };
    CaseResult {
        id: c.case.id().to_string(),
        file: c.file.clone(),
        line: c.line,
        status,
        reason,
        answer,
    }
}

fn run_validation(
    v: &ValidationCase,
    c: &LoadedCase,
) -> (Status, Option<String>, serde_json::Value) {
    let report = iamcr_policy::check(&v.policy.text, v.policy_kind);
    let first = report.first_error();
    let valid = report.is_valid();
    let answer = serde_json::json!({
        "valid": valid,
        "message": first.map(|d| d.full_message()),
        "line": first.map(|d| d.start.line),
        "column": first.map(|d| d.start.column),
        "code": first.map(|d| d.code.as_str()),
        "path": first.map(|d| d.path.clone()),
        "errors": report.diagnostics.iter()
            .filter(|d| d.severity == iamcr_policy::Severity::Error)
            .map(|d| d.to_string()).collect::<Vec<_>>(),
    });
    let mut problems = Vec::new();
    if valid != v.expect.valid {
        problems.push(match first {
            Some(d) => c.place(
                "policy",
                &Fault::diagnostic("expected valid, got invalid", d),
            ),
            None => "expected invalid, got valid".to_string(),
        });
    } else if let Some(d) = first {
        if let Some(m) = &v.expect.message
            && !d.full_message().contains(m.as_str())
        {
            problems.push(format!(
                "expected message containing {m:?}, got {:?}",
                d.full_message()
            ));
        }
        if let Some(l) = v.expect.line
            && l != d.start.line
        {
            problems.push(format!("expected line {l}, got {}", d.start.line));
        }
        if let Some(col) = v.expect.column
            && col != d.start.column
        {
            problems.push(format!("expected column {col}, got {}", d.start.column));
        }
    }
    if problems.is_empty() {
        (Status::Pass, None, answer)
    } else {
        (Status::Fail, Some(problems.join("; ")), answer)
    }
}

/// Counts for the final line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
}

impl Summary {
    /// Count results.
    pub fn of(results: &[CaseResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            match r.status {
                Status::Pass => s.passed += 1,
                Status::Fail => s.failed += 1,
            }
        }
        s
    }

    /// `N passed, M failed`.
    pub fn line(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}
