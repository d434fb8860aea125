//! Comparing two answers to the same query — normally the model's and the simulator's —
//! on what the simulator reports: the decision, the matched statements and the missing
//! context keys. Every difference is a [`Finding`]; a finding a known, documented simulator
//! deviation accounts for ([`crate::deviations`]) carries it.

use crate::deviations::{self, Deviation};
use crate::engine::deviations::EngineDeviations;
use crate::query::{Answer, Decision, Matched, OracleError, PolicySlot, Query};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// A statement as compared: its policy and, when known, its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StatementKey {
    /// The policy (`None`: a `SourcePolicyId` that names no input).
    pub slot: Option<PolicySlot>,
    /// The statement index (`None`: the simulator's positions did not identify it).
    pub statement: Option<usize>,
}

impl fmt::Display for StatementKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.slot {
            Some(s) => write!(f, "{s}")?,
            None => f.write_str("unknown-policy")?,
        }
        match self.statement {
            Some(i) => write!(f, "#{i}"),
            None => f.write_str("#?"),
        }
    }
}

impl StatementKey {
    fn of(m: &Matched) -> StatementKey {
        StatementKey {
            slot: m.slot,
            statement: m.statement,
        }
    }

    /// Whether `other` may be the same statement (an unknown index matches any index of
    /// the same policy).
    fn covers(&self, other: &StatementKey) -> bool {
        self.slot == other.slot
            && (self.statement.is_none()
                || other.statement.is_none()
                || self.statement == other.statement)
    }
}

/// One way two answers differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Difference {
    /// The decisions differ.
    Decision {
        /// The model's (first answer's) decision.
        model: Decision,
        /// The simulator's (second answer's) decision.
        simulator: Decision,
    },
    /// The matched statements differ.
    Matched {
        /// Statements only the model lists.
        only_model: Vec<StatementKey>,
        /// Statements only the simulator lists.
        only_simulator: Vec<StatementKey>,
    },
    /// The missing context keys differ (compared case-insensitively).
    MissingContext {
        /// Keys only the model lists.
        only_model: Vec<String>,
        /// Keys only the simulator lists.
        only_simulator: Vec<String>,
    },
}

impl Difference {
    /// The difference in words, naming the second answer `other` (`simulator`, `expected`,
    /// an engine's name).
    pub fn describe(&self, other: &str) -> String {
        let list = |v: &[StatementKey]| {
            v.iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            Difference::Decision { model, simulator } => {
                format!("decision: model {model}, {other} {simulator}")
            }
            Difference::Matched {
                only_model,
                only_simulator,
            } => format!(
                "matched statements: only model [{}], only {other} [{}]",
                list(only_model),
                list(only_simulator)
            ),
            Difference::MissingContext {
                only_model,
                only_simulator,
            } => format!(
                "missing context: only model {only_model:?}, only {other} {only_simulator:?}"
            ),
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe("simulator"))
    }
}

/// A difference, with the known deviation that accounts for it, if one does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The difference.
    pub difference: Difference,
    /// The deviation's id, when a known deviation accounts for it.
    pub deviation: Option<String>,
}

/// The result of comparing two answers.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Comparison {
    /// Every difference.
    pub findings: Vec<Finding>,
}

impl Comparison {
    /// Whether the answers agree exactly on what both report.
    pub fn identical(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether every difference is a known deviation.
    pub fn acceptable(&self) -> bool {
        self.findings.iter().all(|f| f.deviation.is_some())
    }

    /// The differences no known deviation accounts for.
    pub fn unexplained(&self) -> impl Iterator<Item = &Difference> {
        self.findings
            .iter()
            .filter(|f| f.deviation.is_none())
            .map(|f| &f.difference)
    }
}

/// Where the known deviations that may account for a difference come from: one lookup for
/// every source, so that the differential engine has one path whoever answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deviations {
    /// The IAM policy simulator's documented deviations (`crate::deviations`): the second
    /// answer is the simulator's, live or recorded. Each difference is explained by itself.
    Simulator,
    /// An engine's deviation file (`engines/<name>/deviations.toml`): a deviation covers a
    /// query by its label (a corpus case id) or by the signature of its first difference or
    /// failure, and then covers all of that query's differences.
    Engine(Arc<EngineDeviations>),
    /// None: the second answer is one that must match exactly (a case's expected answer).
    None,
}

impl Deviations {
    /// The deviation accounting for each of one query's differences, in order (`None` where
    /// nothing does). `label` names the query (an engine's deviation may name case ids).
    pub fn explain(
        &self,
        label: &str,
        q: &Query,
        differences: &[Difference],
    ) -> Vec<Option<String>> {
        match self {
            Deviations::Simulator => differences
                .iter()
                .map(|d| deviations::explain(q, d).map(|x: &Deviation| x.id.to_string()))
                .collect(),
            Deviations::Engine(file) => {
                let id = file.explaining(label, q, differences).map(|d| d.id.clone());
                vec![id; differences.len()]
            }
            Deviations::None => vec![None; differences.len()],
        }
    }

    /// The deviation accounting for the second oracle's failure to answer `q` (an engine's
    /// documented error), if one does. The simulator's deviations never excuse a failure.
    pub fn explain_failure(&self, label: &str, q: &Query, error: &OracleError) -> Option<String> {
        match self {
            Deviations::Engine(file) => file
                .explaining_failure(label, q, error)
                .map(|d| d.id.clone()),
            Deviations::Simulator | Deviations::None => None,
        }
    }

    /// The deviations of a run between two oracles: the second's when it has any (the one
    /// whose documented behaviour differs), else the first's.
    pub fn of_pair(reference: Deviations, other: Deviations) -> Deviations {
        match other {
            Deviations::None => reference,
            known => known,
        }
    }
}

/// Every way `other` differs from `model`, in order: the decision, the matched statements
/// (SCP statements only the model lists apart from the rest, so that an explained part never
/// hides an unexplained one), the missing context keys. Matched statements and missing
/// context are compared only when both answers report them.
pub fn differences(model: &Answer, other: &Answer) -> Vec<Difference> {
    let simulator = other;
    let mut out = Vec::new();
    if model.decision != simulator.decision {
        out.push(Difference::Decision {
            model: model.decision,
            simulator: simulator.decision,
        });
    }
    if let (Some(m), Some(s)) = (&model.matched, &simulator.matched) {
        let mk: BTreeSet<StatementKey> = m.iter().map(StatementKey::of).collect();
        let sk: BTreeSet<StatementKey> = s.iter().map(StatementKey::of).collect();
        let only_model: Vec<StatementKey> = mk
            .iter()
            .filter(|k| !sk.iter().any(|x| x.covers(k)))
            .copied()
            .collect();
        let only_sim: Vec<StatementKey> = sk
            .iter()
            .filter(|k| !mk.iter().any(|x| x.covers(k)))
            .copied()
            .collect();
        matched_differences(&mut out, only_model, only_sim);
    }
    if let (Some(m), Some(s)) = (&model.missing_context, &simulator.missing_context) {
        let norm = |v: &[String]| {
            v.iter()
                .map(|k| k.to_ascii_lowercase())
                .collect::<BTreeSet<_>>()
        };
        let (mset, sset) = (norm(m), norm(s));
        let only_model: Vec<String> = mset.difference(&sset).cloned().collect();
        let only_simulator: Vec<String> = sset.difference(&mset).cloned().collect();
        if !only_model.is_empty() || !only_simulator.is_empty() {
            out.push(Difference::MissingContext {
                only_model,
                only_simulator,
            });
        }
    }
    out
}

/// The matched-statement differences: SCP statements only the model lists as one, the
/// rest as another, so that an explained part never hides an unexplained one.
fn matched_differences(
    out: &mut Vec<Difference>,
    only_model: Vec<StatementKey>,
    only_sim: Vec<StatementKey>,
) {
    let (scp, rest): (Vec<_>, Vec<_>) = only_model
        .into_iter()
        .partition(|k| k.slot.is_some_and(PolicySlot::is_scp));
    if !scp.is_empty() {
        out.push(Difference::Matched {
            only_model: scp,
            only_simulator: Vec::new(),
        });
    }
    if !rest.is_empty() || !only_sim.is_empty() {
        out.push(Difference::Matched {
            only_model: rest,
            only_simulator: only_sim,
        });
    }
}

/// Compare the model's answer with the simulator's. Matched statements and missing context
/// are compared only when both answers report them.
pub fn compare(q: &Query, model: &Answer, simulator: &Answer) -> Comparison {
    compare_with(q, "", model, simulator, &Deviations::Simulator)
}

/// Compare the model's answer with another's (the query labelled `label`), letting `known`
/// deviations account for differences.
pub fn compare_with(
    q: &Query,
    label: &str,
    model: &Answer,
    other: &Answer,
    known: &Deviations,
) -> Comparison {
    let found = differences(model, other);
    let explained = known.explain(label, q, &found);
    Comparison {
        findings: found
            .into_iter()
            .zip(explained)
            .map(|(difference, deviation)| Finding {
                difference,
                deviation,
            })
            .collect(),
    }
}
