//! Minimising what [`differential_minimised`] finds: greedy steps to the smallest query that
//! still goes wrong the same way, each step asking both oracles again.

#[cfg(doc)]
use super::differential_minimised;
use super::{Report, Side, run};
use crate::Oracle;
use crate::compare::Difference;
use crate::engine::deviations::{difference_name, failure_signature};
use crate::query::{OracleError, Query};
use std::fmt;

/// How [`differential_minimised`] shrinks what it finds.
pub struct Minimise<'a> {
    /// Every query one step smaller than the one given, in the order to try them (the
    /// harness knows what a step is: the campaign removes a policy, a statement, a
    /// condition, a list element, a context entry, ...).
    pub candidates: &'a dyn Fn(&Query) -> Vec<Query>,
    /// How many candidates one minimisation may ask both oracles about.
    pub budget: usize,
}

impl fmt::Debug for Minimise<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Minimise")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

/// Minimise every disagreement and every failure of the other oracle in `report`.
pub(super) fn minimise_all(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    report: &mut Report,
    queries: &[Query],
    labels: Option<&[String]>,
    m: &Minimise<'_>,
) {
    let label_of = |i: usize| labels.and_then(|l| l.get(i)).cloned();
    for d in &mut report.disagreements {
        let label = label_of(d.index);
        let Some(way) = d.differences.first().map(difference_way) else {
            continue;
        };
        d.minimised = Some(minimise(reference, other, &d.query, label, &way, m));
    }
    for f in &mut report.failures {
        if f.side == Side::Other {
            let label = label_of(f.index);
            let way = failure_way(label.as_deref().unwrap_or_default(), &f.error);
            let query = &queries[f.index];
            f.minimised = Some(minimise(reference, other, query, label, &way, m));
        }
    }
}

/// The smallest query the candidates lead to that still goes wrong `way` (greedy: the
/// first candidate that does is taken, and its candidates tried next).
fn minimise(
    reference: &mut impl Oracle,
    other: &mut impl Oracle,
    query: &Query,
    label: Option<String>,
    way: &str,
    m: &Minimise<'_>,
) -> Query {
    let labels: Option<[String; 1]> = label.map(|l| [l]);
    let label_text = labels.as_ref().map(|l| l[0].as_str()).unwrap_or_default();
    let mut current = query.clone();
    let mut asked = 0;
    'smaller: loop {
        for candidate in (m.candidates)(&current) {
            if asked >= m.budget {
                break 'smaller;
            }
            asked += 1;
            let one = std::slice::from_ref(&candidate);
            let report = run(
                reference,
                other,
                one,
                labels.as_ref().map(|l| &l[..]),
                None,
                |_, _| {},
            );
            if wrong_way(&report, label_text).as_deref() == Some(way) {
                current = candidate;
                continue 'smaller;
            }
        }
        break;
    }
    current
}

/// How a one-query report went wrong, as [`minimise`] compares it: its first difference,
/// or the other oracle's failure; `None` when it agreed, was explained or skipped, or the
/// reference failed.
fn wrong_way(report: &Report, label: &str) -> Option<String> {
    if let Some(d) = report.disagreements.first() {
        return d.differences.first().map(difference_way);
    }
    report
        .failures
        .iter()
        .find(|f| f.side == Side::Other)
        .map(|f| failure_way(label, &f.error))
}

/// A difference's part of a signature (what differs, whatever the case needs).
fn difference_way(d: &Difference) -> String {
    first_part(&difference_name(d))
}

/// A failure's part of a signature (its kind and the message's shape).
fn failure_way(label: &str, error: &OracleError) -> String {
    first_part(&failure_signature(label, error))
}

/// A signature's text before its first ` | `.
fn first_part(signature: &str) -> String {
    signature
        .split(" | ")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;
    use crate::capability::Capabilities;
    use crate::differential::{differential_labelled, differential_minimised};
    use crate::query::{Answer, Caller, Decision, ErrorKind, PolicyInputs};

    fn query() -> Query {
        Query {
            policies: PolicyInputs::default(),
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_owner: None,
            context: Vec::new(),
        }
    }

    /// Allows when an identity policy holds `TRIGGER`, denies explicitly when one holds
    /// `OTHER` (and none `TRIGGER`), else denies implicitly: any query, smaller ones
    /// included. When it `fails`, it fails to answer instead of allowing or denying
    /// explicitly, with errors of two shapes. Keeps the labels it is given.
    struct ByStatement {
        labels: Vec<String>,
        fails: bool,
    }

    impl Oracle for ByStatement {
        fn name(&self) -> &str {
            "by-statement"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::complete()
        }
        fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
            let holds = |q: &Query, word: &str| {
                q.policies
                    .identity
                    .iter()
                    .any(|p| p.as_str().contains(word))
            };
            let fails = |message: &str| {
                Err(OracleError {
                    kind: ErrorKind::PolicyEvaluation,
                    message: message.into(),
                })
            };
            let answer = |q: &Query| match (holds(q, "TRIGGER"), holds(q, "OTHER"), self.fails) {
                (true, _, false) => Ok(Answer::decision(Decision::Allowed)),
                (true, _, true) => fails("engine error: bad 12"),
                (false, true, false) => Ok(Answer::decision(Decision::ExplicitDeny)),
                (false, true, true) => fails("engine error: unreadable"),
                (false, false, _) => Ok(Answer::decision(Decision::ImplicitDeny)),
            };
            queries.iter().map(answer).collect()
        }
        fn answer_labelled(
            &mut self,
            labels: &[String],
            queries: &[Query],
        ) -> Vec<Result<Answer, OracleError>> {
            self.labels.extend_from_slice(labels);
            self.answer_all(queries)
        }
    }

    /// The query without each identity policy in turn.
    fn without_one_identity_policy(q: &Query) -> Vec<Query> {
        (0..q.policies.identity.len())
            .map(|i| {
                let mut smaller = q.clone();
                smaller.policies.identity.remove(i);
                smaller
            })
            .collect()
    }

    /// A disagreement that needs one statement is minimised to that statement: removing
    /// another keeps it, removing it turns it into another difference (not kept) or an
    /// agreement (not kept).
    #[test]
    fn a_disagreement_is_minimised_to_what_it_needs() {
        let statement = |sid: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Sid":"{sid}","Effect":"Allow","Action":"s3:Get*","Resource":"*"}}}}"#
            )
        };
        let mut q = query();
        q.policies.identity = ["A", "TRIGGER", "OTHER", "B"]
            .map(|sid| statement(sid).as_str().into())
            .to_vec();
        let mut reference = AlwaysImplicit;
        let mut other = ByStatement {
            labels: Vec::new(),
            fails: false,
        };
        let labels = ["case-1".to_string()];
        let plain = differential_labelled(&mut reference, &mut other, &[q.clone()], &labels);
        assert!(plain.disagreements[0].minimised.is_none(), "off by default");

        other.labels.clear();
        let minimise = Minimise {
            candidates: &without_one_identity_policy,
            budget: 100,
        };
        let report =
            differential_minimised(&mut reference, &mut other, &[q.clone()], &labels, &minimise);
        let minimised = report.disagreements[0].minimised.as_ref().unwrap();
        assert_eq!(
            minimised.policies.identity,
            [statement("TRIGGER").as_str().into()]
        );
        assert!(other.labels.len() > 1 && other.labels.iter().all(|l| l == "case-1"));

        // Without a budget, nothing is asked and the query stays as it was.
        let none = Minimise {
            candidates: &without_one_identity_policy,
            budget: 0,
        };
        let report =
            differential_minimised(&mut reference, &mut other, &[q.clone()], &labels, &none);
        assert_eq!(report.disagreements[0].minimised.as_ref(), Some(&q));

        // An engine's failure is minimised the same way: to the smallest query that fails
        // with an error of the same shape.
        other.fails = true;
        let report =
            differential_minimised(&mut reference, &mut other, &[q.clone()], &labels, &minimise);
        let minimised = report.failures[0].minimised.as_ref().unwrap();
        assert_eq!(
            minimised.policies.identity,
            [statement("TRIGGER").as_str().into()]
        );
    }

    /// Denies implicitly whatever it is asked.
    struct AlwaysImplicit;

    impl Oracle for AlwaysImplicit {
        fn name(&self) -> &str {
            "always-implicit"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::complete()
        }
        fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
            queries
                .iter()
                .map(|_| Ok(Answer::decision(Decision::ImplicitDeny)))
                .collect()
        }
    }
}
