//! The one differential engine: ask two [`Oracle`]s the same queries and sort every query
//! into one bucket — skipped (by reason), failed (which side, why), agreeing, agreeing up to
//! known deviations, or disagreeing. Offline simulate's corpus check, the replay of
//! recorded simulator answers, `--live` and other engines all go through [`differential`];
//! no other code compares two answers.

use crate::Oracle;
use crate::capability::Limitation;
use crate::compare::{Deviations, Difference, compare_with};
use crate::query::{Answer, ErrorKind, OracleError, Query};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

mod minimise;
pub use minimise::Minimise;
use minimise::minimise_all;

/// Which oracle of a differential run an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The first oracle (normally the model).
    Reference,
    /// The second oracle (the simulator, recorded answers, a case's expectation, an engine).
    Other,
}

/// Why a query was not compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(untagged)]
pub enum SkipReason {
    /// A documented limitation of an oracle (the simulator's), checked before asking.
    Limitation(Limitation),
    /// An oracle declined it: what it lacks (an engine's undeclared need, checked before
    /// asking) or why it refused (an `Unsupported` answer).
    Declined(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Limitation(l) => l.fmt(f),
            SkipReason::Declined(why) => f.write_str(why),
        }
    }
}

/// Skips counted by reason.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Skips(pub BTreeMap<SkipReason, usize>);

impl Skips {
    /// Count one skip.
    pub fn add(&mut self, reason: SkipReason) {
        *self.0.entry(reason).or_default() += 1;
    }

    /// All skips.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

impl fmt::Display for Skips {
    /// `reason N, reason M` (limitations in check order, then declines by reason).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(r, n)| format!("{r} {n}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// A query the two oracles answered differently, in ways no known deviation accounts for.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The query's index in the queries given.
    pub index: usize,
    /// The query (the case to reproduce it).
    pub query: Query,
    /// The differences no known deviation accounts for (never empty).
    pub differences: Vec<Difference>,
    /// The reference's answer.
    pub reference: Answer,
    /// The other oracle's answer.
    pub other: Answer,
    /// The smallest query found that still disagrees the same way (only under
    /// [`differential_minimised`]; the query itself when no candidate does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimised: Option<Query>,
}

/// A query one oracle could not answer.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The query's index in the queries given.
    pub index: usize,
    /// Which oracle failed (when both did, the other's error: it is the one asked at a cost).
    pub side: Side,
    /// Why.
    pub error: OracleError,
    /// The smallest query found that still fails the same way (only under
    /// [`differential_minimised`], and only for the other oracle's failures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimised: Option<Query>,
}

/// A query not compared, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    /// The query's index in the queries given.
    pub index: usize,
    /// Why it was not compared.
    pub reason: SkipReason,
}

/// What a known deviation accounted for on one query.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Explained {
    /// Answers that differ.
    Differences {
        /// Every difference (each accounted for).
        differences: Vec<Difference>,
        /// The reference's answer.
        reference: Answer,
        /// The other oracle's answer.
        other: Answer,
    },
    /// The other oracle's failure to answer (an engine's documented error).
    Failure {
        /// Why it failed.
        error: OracleError,
    },
}

/// A query whose answers differ only in ways known deviations account for.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The query's index in the queries given.
    pub index: usize,
    /// The deviation that accounts for it (the first difference's, when several do).
    pub deviation: String,
    /// What it accounts for.
    pub explained: Explained,
}

/// What a differential run found: every query given is counted exactly once, in
/// `agreements`, `explanations`, `disagreements`, `failures` or `skips`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Queries given.
    pub queries: usize,
    /// Queries whose answers are identical on everything both report.
    pub agreements: usize,
    /// Queries whose answers differ only in ways known deviations account for, in query order.
    pub explanations: Vec<Explanation>,
    /// Queries each known deviation accounted for (a difference or all of them), by id.
    pub explained: BTreeMap<String, usize>,
    /// Queries with a difference nothing accounts for, in query order.
    pub disagreements: Vec<Disagreement>,
    /// Queries an oracle could not answer, in query order.
    pub failures: Vec<Failure>,
    /// Queries not compared because an oracle cannot or would not answer them, in query
    /// order.
    pub skips: Vec<Skip>,
}

impl Report {
    /// Queries asked of both oracles and compared.
    pub fn compared(&self) -> usize {
        self.agreements + self.explanations.len() + self.disagreements.len()
    }

    /// Queries whose answers differ only in ways known deviations account for.
    pub fn explained_queries(&self) -> usize {
        self.explanations.len()
    }

    /// Queries not compared, counted by reason.
    pub fn skipped(&self) -> Skips {
        let mut out = Skips::default();
        for s in &self.skips {
            out.add(s.reason.clone());
        }
        out
    }

    fn skip(&mut self, index: usize, reason: SkipReason) {
        self.skips.push(Skip { index, reason });
    }

    /// Add another run's counts to this one (indices stay as they were).
    pub fn merge(&mut self, other: Report) {
        self.queries += other.queries;
        self.agreements += other.agreements;
        self.explanations.extend(other.explanations);
        for (id, n) in other.explained {
            *self.explained.entry(id).or_default() += n;
        }
        self.disagreements.extend(other.disagreements);
        self.failures.extend(other.failures);
        self.skips.extend(other.skips);
    }
}

/// Ask `reference` and `other` every query both can answer and compare the answers.
/// Known deviations account for a difference when either oracle says they apply
/// ([`Oracle::deviations`]; the other's when both do).
pub fn differential(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
) -> Report {
    run(reference, other, queries, None, None, |_, _| {})
}

/// [`differential`] with a label for each query (a corpus case's id): oracles that take
/// one get it with the query ([`Oracle::answer_labelled`], an engine sends it), and a
/// deviation file may name it.
pub fn differential_labelled(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
    labels: &[String],
) -> Report {
    run(reference, other, queries, Some(labels), None, |_, _| {})
}

/// [`differential`], handing each of `other`'s outcomes to `observe` with the query's
/// index, in query order (a live run records the simulator's answers this way).
pub fn differential_observed(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
    observe: impl FnMut(usize, &Result<Answer, OracleError>),
) -> Report {
    run(reference, other, queries, None, None, observe)
}

/// [`differential_labelled`], then each disagreement and each of the other oracle's
/// failures minimised: the first candidate that still goes wrong the same way (the same
/// first difference, or a failure with the same signature, before its ` | `) replaces the
/// query, until no candidate does or `budget` candidates were asked; the result is in its
/// `minimised`. Each candidate asks both oracles once, with the query's label, so this is
/// off unless asked for, and not for the simulator (`--live`): every step would spend
/// simulator calls.
pub fn differential_minimised(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
    labels: &[String],
    minimise: &Minimise<'_>,
) -> Report {
    run(
        reference,
        other,
        queries,
        Some(labels),
        Some(minimise),
        |_, _| {},
    )
}

/// The one comparison: skip what either oracle cannot answer, ask both the rest, judge.
fn run(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
    labels: Option<&[String]>,
    minimise: Option<&Minimise<'_>>,
    mut observe: impl FnMut(usize, &Result<Answer, OracleError>),
) -> Report {
    let mut report = Report {
        queries: queries.len(),
        ..Report::default()
    };
    let mut asked: Vec<usize> = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        match other.can_answer(q).and_then(|()| reference.can_answer(q)) {
            Ok(()) => asked.push(i),
            Err(reason) => report.skip(i, reason),
        }
    }
    let all = asked.len() == queries.len();
    let subset: Vec<Query> = if all {
        Vec::new()
    } else {
        asked.iter().map(|&i| queries[i].clone()).collect()
    };
    let to_ask: &[Query] = if all { queries } else { &subset };
    let label_of = |i: usize| labels.and_then(|l| l.get(i)).cloned().unwrap_or_default();
    let (theirs, ours) = match labels {
        Some(_) => {
            let asked_labels: Vec<String> = asked.iter().map(|&i| label_of(i)).collect();
            (
                other.answer_labelled(&asked_labels, to_ask),
                reference.answer_labelled(&asked_labels, to_ask),
            )
        }
        None => (other.answer_all(to_ask), reference.answer_all(to_ask)),
    };
    let known = Deviations::of_pair(reference.deviations(), other.deviations());
    for ((&index, mine), (q, their)) in asked.iter().zip(ours).zip(to_ask.iter().zip(theirs)) {
        observe(index, &their);
        let outcome = Outcome {
            index,
            label: &label_of(index),
            query: q,
        };
        judge(&mut report, &outcome, mine, their, &known);
    }
    if let Some(m) = minimise {
        minimise_all(reference, other, &mut report, queries, labels, m);
    }
    report
}

/// The query being judged.
struct Outcome<'a> {
    index: usize,
    label: &'a str,
    query: &'a Query,
}

/// Sort one query's two outcomes into the report.
fn judge(
    report: &mut Report,
    at: &Outcome<'_>,
    mine: Result<Answer, OracleError>,
    their: Result<Answer, OracleError>,
    known: &Deviations,
) {
    let index = at.index;
    if let Some(why) = declined(&their).or_else(|| declined(&mine)) {
        report.skip(index, SkipReason::Declined(why));
        return;
    }
    let (mine, their) = match (mine, their) {
        (_, Err(error)) => {
            match known.explain_failure(at.label, at.query, &error) {
                Some(deviation) => {
                    explained(report, index, deviation, Explained::Failure { error })
                }
                None => report.failures.push(Failure {
                    index,
                    side: Side::Other,
                    error,
                    minimised: None,
                }),
            }
            return;
        }
        (Err(error), Ok(_)) => {
            report.failures.push(Failure {
                index,
                side: Side::Reference,
                error,
                minimised: None,
            });
            return;
        }
        (Ok(m), Ok(t)) => (m, t),
    };
    let comparison = compare_with(at.query, at.label, &mine, &their, known);
    if comparison.identical() {
        report.agreements += 1;
        return;
    }
    let mut ids: Vec<&String> = Vec::new();
    for id in comparison
        .findings
        .iter()
        .filter_map(|f| f.deviation.as_ref())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    for id in &ids {
        *report.explained.entry((*id).clone()).or_default() += 1;
    }
    let differences: Vec<Difference> = comparison.unexplained().cloned().collect();
    if differences.is_empty() {
        let deviation = ids.first().map(|s| (*s).clone()).unwrap_or_default();
        let all = comparison
            .findings
            .into_iter()
            .map(|f| f.difference)
            .collect();
        report.explanations.push(Explanation {
            index,
            deviation,
            explained: Explained::Differences {
                differences: all,
                reference: mine,
                other: their,
            },
        });
    } else {
        report.disagreements.push(Disagreement {
            index,
            query: at.query.clone(),
            differences,
            reference: mine,
            other: their,
            minimised: None,
        });
    }
}

/// Why an oracle declined to answer (an `Unsupported` outcome: a skip, not a failure).
fn declined(outcome: &Result<Answer, OracleError>) -> Option<String> {
    match outcome {
        Err(e) if e.kind == ErrorKind::Unsupported => Some(e.message.clone()),
        _ => None,
    }
}

/// Count a query a deviation accounted for.
fn explained(report: &mut Report, index: usize, deviation: String, what: Explained) {
    *report.explained.entry(deviation.clone()).or_default() += 1;
    report.explanations.push(Explanation {
        index,
        deviation,
        explained: what,
    });
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;
    use crate::capability::Capabilities;
    use crate::query::{Caller, Decision, ErrorKind, PolicyInputs};
    use crate::{ModelOracle, QueryId};
    use std::collections::HashMap;

    /// Answers written down per query id (a fixture, not the model).
    struct Fixed {
        answers: HashMap<QueryId, Result<Answer, OracleError>>,
        caps: Capabilities,
        deviations: Deviations,
    }

    impl Oracle for Fixed {
        fn name(&self) -> &str {
            "fixed"
        }
        fn capabilities(&self) -> Capabilities {
            self.caps.clone()
        }
        fn deviations(&self) -> Deviations {
            self.deviations.clone()
        }
        fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
            queries
                .iter()
                .map(|q| {
                    self.answers
                        .get(&q.id())
                        .cloned()
                        .unwrap_or(Err(OracleError {
                            kind: ErrorKind::NoResult,
                            message: "not written down".into(),
                        }))
                })
                .collect()
        }
    }

    fn query(action: &str) -> Query {
        Query {
            policies: PolicyInputs {
                identity: vec![
                    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#
                        .into(),
                ],
                ..PolicyInputs::default()
            },
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: action.into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_owner: None,
            context: Vec::new(),
        }
    }

    #[test]
    fn every_query_lands_in_exactly_one_bucket() {
        let (agree, differ, missing) = (
            query("s3:GetObject"),
            query("s3:PutObject"),
            query("s3:GetBucket"),
        );
        let mut answers = HashMap::new();
        answers.insert(agree.id(), Ok(Answer::decision(Decision::Allowed)));
        // The model says implicit deny here; a written-down allow must be a disagreement.
        answers.insert(differ.id(), Ok(Answer::decision(Decision::Allowed)));
        let mut other = Fixed {
            answers,
            caps: Capabilities::complete(),
            deviations: Deviations::None,
        };
        let queries = [agree, differ, missing];
        let report = differential(&mut ModelOracle, &mut other, &queries);
        assert_eq!(report.queries, 3);
        assert_eq!(report.agreements, 1);
        assert_eq!(report.disagreements.len(), 1);
        assert_eq!(report.disagreements[0].index, 1);
        assert_eq!(report.failures.len(), 1);
        assert_eq!(
            (report.failures[0].index, report.failures[0].side),
            (2, Side::Other)
        );
        assert_eq!(report.compared() + report.failures.len(), 3);
    }

    #[test]
    fn what_an_oracle_cannot_answer_is_skipped_by_reason_not_asked() {
        let mut q = query("s3:GetObject");
        q.caller = Caller::Anonymous;
        let mut other = Fixed {
            answers: HashMap::new(),
            caps: Capabilities::simulator(),
            deviations: Deviations::Simulator,
        };
        let report = differential(&mut ModelOracle, &mut other, &[q.clone()]);
        let reason = Capabilities::simulator().check(&q).unwrap_err().limitation;
        assert_eq!(report.skipped().total(), 1);
        assert_eq!(
            report.skipped().0.get(&SkipReason::Limitation(reason)),
            Some(&1)
        );
        assert!(report.failures.is_empty(), "a skipped query is never asked");
    }

    const DEVIATION_FILE: &str = r#"
engine = "fixed"
[[deviation]]
id = "by-case"
summary = "named cases"
supported = "model"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
cases = ["named-*"]
[[deviation]]
id = "by-signature"
summary = "allows what the model does not"
supported = "model"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
signatures = ["decision implicitDeny->allowed | policy-type identity, principal user"]
[[deviation]]
id = "an-error"
summary = "fails on it"
supported = "model"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
signatures = ["engine-error (engine error: bad N) | -"]
"#;

    /// An engine's deviation file (case-id globs, signatures of the first difference or of a
    /// failure) and the simulator's table are sources of the one lookup: the same answers are
    /// explained by the file and disagree without it; a refusal is a skip by its reason.
    #[test]
    fn an_engine_deviation_file_explains_by_case_label_or_signature() {
        let err = |kind, message: &str| {
            Err(OracleError {
                kind,
                message: message.into(),
            })
        };
        let queries = [
            query("s3:PutObject"),
            query("s3:DeleteObject"),
            query("s3:PutBucketPolicy"),
            query("s3:GetObject"),
            query("s3:GetObjectAcl"),
        ];
        let labels: Vec<String> = ["named-1", "other-1", "other-2", "other-3", "other-4"]
            .map(String::from)
            .to_vec();
        let answers: HashMap<QueryId, Result<Answer, OracleError>> = [
            Ok(Answer::decision(Decision::Allowed)),
            Ok(Answer::decision(Decision::Allowed)),
            Ok(Answer::decision(Decision::ExplicitDeny)),
            err(
                ErrorKind::PolicyEvaluation,
                "case other-3: engine error: bad 12",
            ),
            err(ErrorKind::Unsupported, "engine refused: no accounts"),
        ]
        .into_iter()
        .zip(&queries)
        .map(|(a, q)| (q.id(), a))
        .collect();
        let file = crate::engine::deviations::EngineDeviations::parse(DEVIATION_FILE).unwrap();
        let mut engine = Fixed {
            answers,
            caps: Capabilities::complete(),
            deviations: Deviations::Engine(std::sync::Arc::new(file)),
        };
        let report = differential_labelled(&mut ModelOracle, &mut engine, &queries, &labels);
        let explained: Vec<(usize, &str)> = report
            .explanations
            .iter()
            .map(|e| (e.index, e.deviation.as_str()))
            .collect();
        assert_eq!(
            explained,
            [(0, "by-case"), (1, "by-signature"), (3, "an-error")]
        );
        assert_eq!(report.explained.get("by-case"), Some(&1));
        assert_eq!(
            report
                .disagreements
                .iter()
                .map(|d| d.index)
                .collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(
            report.skips,
            [Skip {
                index: 4,
                reason: SkipReason::Declined("engine refused: no accounts".into())
            }]
        );
        assert!(report.failures.is_empty());
        assert_eq!(report.agreements, 0);
        // Without the file, the same answers disagree and the error is a failure.
        engine.deviations = Deviations::None;
        let report = differential_labelled(&mut ModelOracle, &mut engine, &queries, &labels);
        assert!(report.explanations.is_empty());
        assert_eq!(report.disagreements.len(), 3);
        assert_eq!(report.failures.len(), 1);
        assert_eq!(report.skipped().total(), 1);
    }
}
