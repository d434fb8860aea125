//! The one differential engine: ask two [`Oracle`]s the same queries and sort every query
//! into one bucket — skipped (by reason), failed (which side, why), agreeing, agreeing up to
//! known deviations, or disagreeing. Offline simulate's corpus check, the replay of
//! recorded simulator answers, `--live` and other engines all go through [`differential`];
//! no other code compares two answers.

use crate::Oracle;
use crate::capability::SkipCounts;
use crate::compare::{Deviations, Difference, compare_with};
use crate::query::{Answer, OracleError, Query};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which oracle of a differential run an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The first oracle (normally the model).
    Reference,
    /// The second oracle (the simulator, recorded answers, a case's expectation, an engine).
    Other,
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
}

/// What a differential run found: every query given is counted exactly once, in
/// `agreements`, `explained_queries`, `disagreements`, `failures` or `skipped`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Queries given.
    pub queries: usize,
    /// Queries whose answers are identical on everything both report.
    pub agreements: usize,
    /// Queries whose answers differ only in ways known deviations account for.
    pub explained_queries: usize,
    /// Differences known deviations account for, by deviation id.
    pub explained: BTreeMap<&'static str, usize>,
    /// Queries with a difference nothing accounts for, in query order.
    pub disagreements: Vec<Disagreement>,
    /// Queries an oracle could not answer, in query order.
    pub failures: Vec<Failure>,
    /// Queries not asked because an oracle cannot answer them, by reason.
    pub skipped: SkipCounts,
}

impl Report {
    /// Queries asked of both oracles and compared.
    pub fn compared(&self) -> usize {
        self.agreements + self.explained_queries + self.disagreements.len()
    }

    /// Add another run's counts to this one (indices stay as they were).
    pub fn merge(&mut self, other: Report) {
        self.queries += other.queries;
        self.agreements += other.agreements;
        self.explained_queries += other.explained_queries;
        for (id, n) in other.explained {
            *self.explained.entry(id).or_default() += n;
        }
        self.disagreements.extend(other.disagreements);
        self.failures.extend(other.failures);
        for (l, n) in other.skipped.0 {
            *self.skipped.0.entry(l).or_default() += n;
        }
    }
}

/// Ask `reference` and `other` every query either can answer and compare the answers.
/// Known deviations account for a difference when either oracle says they apply
/// ([`Oracle::deviations`]).
pub fn differential(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
) -> Report {
    differential_observed(reference, other, queries, |_, _| {})
}

/// [`differential`], handing each of `other`'s outcomes to `observe` with the query's
/// index, in query order (a live run records the simulator's answers this way).
pub fn differential_observed(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    queries: &[Query],
    mut observe: impl FnMut(usize, &Result<Answer, OracleError>),
) -> Report {
    let mut report = Report {
        queries: queries.len(),
        ..Report::default()
    };
    let (ref_caps, other_caps) = (reference.capabilities(), other.capabilities());
    let mut asked: Vec<usize> = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        match other_caps.check(q).and_then(|()| ref_caps.check(q)) {
            Ok(()) => asked.push(i),
            Err(u) => report.skipped.add(u.limitation),
        }
    }
    let subset: Vec<Query> = if asked.len() == queries.len() {
        Vec::new()
    } else {
        asked.iter().map(|&i| queries[i].clone()).collect()
    };
    let to_ask: &[Query] = if asked.len() == queries.len() {
        queries
    } else {
        &subset
    };
    let theirs = other.answer_all(to_ask);
    let ours = reference.answer_all(to_ask);
    let known = match (reference.deviations(), other.deviations()) {
        (Deviations::None, Deviations::None) => Deviations::None,
        _ => Deviations::Simulator,
    };
    for ((&index, mine), (q, their)) in asked.iter().zip(ours).zip(to_ask.iter().zip(theirs)) {
        observe(index, &their);
        judge(&mut report, index, q, mine, their, known);
    }
    report
}

/// Sort one query's two outcomes into the report.
fn judge(
    report: &mut Report,
    index: usize,
    q: &Query,
    mine: Result<Answer, OracleError>,
    their: Result<Answer, OracleError>,
    known: Deviations,
) {
    let (mine, their) = match (mine, their) {
        (_, Err(error)) => {
            report.failures.push(Failure {
                index,
                side: Side::Other,
                error,
            });
            return;
        }
        (Err(error), Ok(_)) => {
            report.failures.push(Failure {
                index,
                side: Side::Reference,
                error,
            });
            return;
        }
        (Ok(m), Ok(t)) => (m, t),
    };
    let comparison = compare_with(q, &mine, &their, known);
    if comparison.identical() {
        report.agreements += 1;
        return;
    }
    for f in &comparison.findings {
        if let Some(id) = f.deviation {
            *report.explained.entry(id).or_default() += 1;
        }
    }
    let differences: Vec<Difference> = comparison.unexplained().cloned().collect();
    if differences.is_empty() {
        report.explained_queries += 1;
    } else {
        report.disagreements.push(Disagreement {
            index,
            query: q.clone(),
            differences,
        });
    }
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
        answers: HashMap<QueryId, Answer>,
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
            self.deviations
        }
        fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
            queries
                .iter()
                .map(|q| {
                    self.answers.get(&q.id()).cloned().ok_or(OracleError {
                        kind: ErrorKind::NoResult,
                        message: "not written down".into(),
                    })
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
        answers.insert(agree.id(), Answer::decision(Decision::Allowed));
        // The model says implicit deny here; a written-down allow must be a disagreement.
        answers.insert(differ.id(), Answer::decision(Decision::Allowed));
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
        assert_eq!(report.skipped.total(), 1);
        assert_eq!(report.skipped.0.get(&reason), Some(&1));
        assert!(report.failures.is_empty(), "a skipped query is never asked");
    }
}
