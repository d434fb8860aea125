//! Answers written down in case files, as an [`Oracle`], and the model checked against them
//! through the one differential engine ([`iamcr_oracle::differential`]): a case's expected
//! answer must match exactly; a recorded simulator answer may differ only by a known,
//! documented simulator deviation.

use crate::case::{Case, EvalCase};
use crate::load::LoadedCase;
use crate::oracle_case::{answer_from_expect, query};
use crate::run::{CaseResult, Status};
use iamcr_oracle::{
    Answer, Capabilities, Deviations, Difference, ErrorKind, Explained, ModelOracle, Oracle,
    OracleError, Query, QueryId, Report, Side, differential,
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
    /// The id of each query the cases ask: a query equal to one of them has its id (equal
    /// queries serialize alike), so answering the cases' own queries does not work out an
    /// id again (each is a hash of the query's JSON form).
    ids: HashMap<Query, QueryId>,
    written: Written,
}

impl WrittenAnswers {
    /// The answers of `cases` (validation cases have none), and their queries in case order.
    pub fn of(cases: &[LoadedCase], written: Written) -> (WrittenAnswers, Vec<Query>) {
        WrittenAnswers::of_evaluations(
            cases.iter().filter_map(|c| match &c.case {
                Case::Evaluation(e) => Some(e.as_ref()),
                Case::Validation(_) => None,
            }),
            written,
        )
    }

    /// The answers of evaluation cases, and their queries in case order.
    #[allow(
        clippy::mutable_key_type,
        reason = "a query's hash and equality read its texts, never the parse a PolicyText keeps"
    )]
    pub fn of_evaluations<'a>(
        cases: impl IntoIterator<Item = &'a EvalCase>,
        written: Written,
    ) -> (WrittenAnswers, Vec<Query>) {
        let mut answers: HashMap<QueryId, VecDeque<Answer>> = HashMap::new();
        let mut ids: HashMap<Query, QueryId> = HashMap::new();
        let mut queries = Vec::new();
        for e in cases {
            let q = query(e);
            let id = ids.entry(q.clone()).or_insert_with(|| q.id()).clone();
            answers
                .entry(id)
                .or_default()
                .push_back(answer_from_expect(e, &q));
            queries.push(q);
        }
        let written_answers = WrittenAnswers {
            answers,
            ids,
            written,
        };
        (written_answers, queries)
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
                let id = match self.ids.get(q) {
                    Some(id) => id.clone(),
                    None => q.id(),
                };
                self.answers
                    .get_mut(&id)
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

/// What the one differential engine found for one evaluation case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The model's answer and the written one agree (up to known deviations, where the
    /// written answers are the simulator's).
    Agrees,
    /// They differ, in these ways (never empty).
    Differs(Vec<Difference>),
    /// They were not compared: why (a side could not answer, or the query was skipped).
    NotCompared(String),
}

impl Verdict {
    /// Each evaluation case's verdict in case order, from a [`check`] report over `count`
    /// queries (a query the report does not place elsewhere agrees).
    pub fn all(report: &Report, count: usize) -> Vec<Verdict> {
        let mut verdicts = vec![Verdict::Agrees; count];
        for s in &report.skips {
            verdicts[s.index] =
                Verdict::NotCompared(format!("not compared: skipped ({})", s.reason));
        }
        for e in &report.explanations {
            if let Explained::Failure { error } = &e.explained {
                verdicts[e.index] =
                    Verdict::NotCompared(format!("no written answer: {}", error.message));
            }
        }
        for d in &report.disagreements {
            verdicts[d.index] = Verdict::Differs(d.differences.clone());
        }
        for f in &report.failures {
            let who = match f.side {
                Side::Reference => "the model cannot answer",
                Side::Other => "no written answer",
            };
            verdicts[f.index] = Verdict::NotCompared(format!("{who}: {}", f.error.message));
        }
        verdicts
    }

    /// The verdict in words (`None` when the answers agree), naming the written answer as
    /// `written` does.
    pub fn reason(&self, written: Written) -> Option<String> {
        match self {
            Verdict::Agrees => None,
            Verdict::Differs(differences) => Some(
                differences
                    .iter()
                    .map(|x| x.describe(written.name()))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Verdict::NotCompared(why) => Some(why.clone()),
        }
    }
}

/// The verdict on each evaluation case of `cases` (in order): the model against the answer
/// the case writes down.
pub fn verdicts<'a>(
    cases: impl IntoIterator<Item = &'a EvalCase>,
    written: Written,
) -> Vec<Verdict> {
    verdicts_of(&mut ModelOracle, cases, written)
}

/// [`verdicts`], the model's side answered by `model` (conform's explained model, which
/// keeps each case's explanation: [`crate::eval_case::ExplainingModel`]).
pub fn verdicts_of<'a>(
    model: &mut impl Oracle,
    cases: impl IntoIterator<Item = &'a EvalCase>,
    written: Written,
) -> Vec<Verdict> {
    let (mut answers, queries) = WrittenAnswers::of_evaluations(cases, written);
    let report = differential(model, &mut answers, &queries);
    Verdict::all(&report, queries.len())
}

/// Every case's result: validation cases through the validator, evaluation cases through
/// [`check`] (a failure's reason says what differs).
pub fn run(cases: &[LoadedCase], written: Written) -> Vec<CaseResult> {
    let report = check(cases, written);
    let evaluations = cases
        .iter()
        .filter(|c| matches!(c.case, Case::Evaluation(_)))
        .count();
    let mut verdicts = Verdict::all(&report, evaluations).into_iter();
    cases
        .iter()
        .map(|c| match &c.case {
            Case::Validation(_) => crate::run::run_one(c),
            Case::Evaluation(e) => {
                let reason = verdicts.next().and_then(|v| v.reason(written));
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

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    /// A case allowed by statement 1 (Sid `B`) of its identity policy, expecting `matched`.
    fn case(matched: &str) -> EvalCase {
        let text = format!(
            r#"{{"id":"c","policies":{{"identity":[{{"Version":"2012-10-17","Statement":[
                {{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}},
                {{"Sid":"B","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]}}]}},
              "request":{{"principal":"arn:aws:iam::111122223333:user/alice",
                "action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}},
              "expect":{{"decision":"allowed","matched":{matched}}}}}"#
        );
        serde_json::from_str(&text).unwrap()
    }

    fn verdict(matched: &str) -> Verdict {
        verdicts([&case(matched)], Written::Expectations)
            .pop()
            .unwrap()
    }

    /// A statement named by Sid, by index, by both, or by its policy alone agrees; a Sid
    /// that names no statement, or not the one at the index given, is a difference (it was a
    /// wildcard for the policy, so the differential passed what conform failed).
    #[test]
    fn a_reference_agrees_only_with_the_statement_it_names() {
        for agreeing in [
            r#"[{"policy":"identity[0]","sid":"B"}]"#,
            r#"[{"policy":"identity[0]","statement":1}]"#,
            r#"[{"policy":"identity[0]","sid":"B","statement":1}]"#,
            r#"[{"policy":"identity[0]"}]"#,
        ] {
            assert_eq!(verdict(agreeing), Verdict::Agrees, "{agreeing}");
        }
        for differing in [
            r#"[{"policy":"identity[0]","sid":"Typo"}]"#,
            r#"[{"policy":"identity[0]","sid":"A"}]"#,
            r#"[{"policy":"identity[0]","sid":"A","statement":1}]"#,
            r#"[{"policy":"identity[0]","sid":"B","statement":0}]"#,
            r#"[{"policy":"identity[1]"}]"#,
            r#"[]"#,
        ] {
            assert!(
                matches!(verdict(differing), Verdict::Differs(ref d) if !d.is_empty()),
                "{differing}"
            );
        }
    }

    /// conform's wording of a verdict: the whole expected and model lists of the part that
    /// differs, and the model's reason for a decision.
    #[test]
    fn conform_words_a_verdict_as_the_expectation_does() {
        let (status, reason, _) =
            crate::eval_case::run(&case(r#"[{"policy":"identity[0]","sid":"Typo"}]"#));
        assert_eq!(status, Status::Fail);
        assert_eq!(
            reason.as_deref(),
            Some(
                r#"expected matched [{"policy":"identity[0]","sid":"Typo"}], got [{"policy":"identity[0]","sid":"B"}]"#
            )
        );
        let mut denied = case(r#"[{"policy":"identity[0]","sid":"B"}]"#);
        denied.expect.decision = iamcr_case::Decision::ImplicitDeny;
        let (status, reason, _) = crate::eval_case::run(&denied);
        assert_eq!(status, Status::Fail);
        assert!(
            reason
                .unwrap()
                .starts_with("expected implicitDeny, got allowed because ")
        );
    }
}
