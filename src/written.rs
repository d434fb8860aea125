//! Answers written down in case files, as an [`Oracle`], and the model checked against them
//! through the one differential engine ([`iamcr_oracle::differential`]): a case's expected
//! answer must match exactly; a recorded simulator answer may differ only by a known,
//! documented simulator deviation.

use crate::case::Case;
use crate::load::LoadedCase;
use crate::oracle_case::{answer_from_expect, query};
use crate::run::{CaseResult, Status};
use iamcr_oracle::{
    Answer, Capabilities, Deviations, ErrorKind, ModelOracle, Oracle, OracleError, Query, QueryId,
    Report, Side, differential,
};
use std::collections::{HashMap, VecDeque};

/// What the answers written in a set of cases are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// What the documentation says (`corpus/cases`): the model must match exactly.
    Expectations,
    /// What the IAM policy simulator answered (`corpus/simulator`): known simulator
    /// deviations may account for a difference.
    SimulatorAnswers,
}

impl Written {
    /// How a difference names the written answer.
    pub fn name(self) -> &'static str {
        match self {
            Written::Expectations => "expected",
            Written::SimulatorAnswers => "simulator",
        }
    }
}

/// The answers written in evaluation cases, looked up by query. Two cases asking the same
/// query are answered in case order, so that a contradiction between them is not hidden.
#[derive(Debug, Clone)]
pub struct WrittenAnswers {
    answers: HashMap<QueryId, VecDeque<Answer>>,
    written: Written,
}

impl WrittenAnswers {
    /// The answers of `cases` (validation cases have none), and their queries in case order.
    pub fn of(cases: &[LoadedCase], written: Written) -> (WrittenAnswers, Vec<Query>) {
        let mut answers: HashMap<QueryId, VecDeque<Answer>> = HashMap::new();
        let mut queries = Vec::new();
        for c in cases {
            if let Case::Evaluation(e) = &c.case {
                let q = query(e);
                answers
                    .entry(q.id())
                    .or_default()
                    .push_back(answer_from_expect(e, &q));
                queries.push(q);
            }
        }
        (WrittenAnswers { answers, written }, queries)
    }
}

impl Oracle for WrittenAnswers {
    fn name(&self) -> &str {
        self.written.name()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    fn deviations(&self) -> Deviations {
        match self.written {
            Written::Expectations => Deviations::None,
            Written::SimulatorAnswers => Deviations::Simulator,
        }
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        queries
            .iter()
            .map(|q| {
                self.answers
                    .get_mut(&q.id())
                    .and_then(VecDeque::pop_front)
                    .ok_or_else(|| OracleError {
                        kind: ErrorKind::NoResult,
                        message: "no case writes down an answer to this query".into(),
                    })
            })
            .collect()
    }
}

/// The model against the answers written in `cases`; the report's query indices count the
/// evaluation cases in order.
pub fn check(cases: &[LoadedCase], written: Written) -> Report {
    let (mut answers, queries) = WrittenAnswers::of(cases, written);
    differential(&mut ModelOracle, &mut answers, &queries)
}

/// Every case's result: validation cases through the validator, evaluation cases through
/// [`check`] (a failure's reason says what differs).
pub fn run(cases: &[LoadedCase], written: Written) -> Vec<CaseResult> {
    let report = check(cases, written);
    let mut reasons: HashMap<usize, String> = HashMap::new();
    for d in &report.disagreements {
        let text: Vec<String> = d
            .differences
            .iter()
            .map(|x| x.describe(written.name()))
            .collect();
        reasons.insert(d.index, text.join("; "));
    }
    for f in &report.failures {
        let who = match f.side {
            Side::Reference => "the model cannot answer",
            Side::Other => "no written answer",
        };
        reasons.insert(f.index, format!("{who}: {}", f.error.message));
    }
    let mut evaluation = 0;
    cases
        .iter()
        .map(|c| match &c.case {
            Case::Validation(_) => crate::run::run_one(c),
            Case::Evaluation(e) => {
                let reason = reasons.remove(&evaluation);
                evaluation += 1;
                CaseResult {
                    id: e.id.clone(),
                    file: c.file.clone(),
                    line: c.line,
                    status: if reason.is_some() {
                        Status::Fail
                    } else {
                        Status::Pass
                    },
                    reason,
                    answer: serde_json::Value::Null,
                }
            }
        })
        .collect()
}
