//! What `conform --engine` and `simulate --engine` share: the `--engine` arguments, the peer
//! (an engine process, or the model in process for measurements) as an oracle of the one
//! differential engine, and the verdict on one case read from its report: agreed, deviated
//! (a documented deviation of that engine covers it), skipped (with the reason), or
//! disagreed (with its signature).

use iamcr::case::{EvalCase, EvalExpect, MatchedRef};
use iamcr::written::{Written, WrittenAnswers};
use iamcr_oracle::engine::deviations::{
    EngineDeviations, difference_name, failure_signature, signature,
};
use iamcr_oracle::engine::needs::unmet;
use iamcr_oracle::engine::protocol::parse_slot;
use iamcr_oracle::engine::{EngineCapabilities, EngineOracle};
use iamcr_oracle::{
    Answer, Capabilities, Deviations, Difference, ErrorKind, Explained, ModelOracle, Oracle,
    OracleError, Query, Report, Side, SkipReason, differential_labelled,
};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `--engine` and its flags.
#[derive(clap::Args, Clone)]
pub struct EngineArgs {
    /// Run against an engine: a command speaking the engine protocol (docs/engine-protocol.md),
    /// e.g. `--engine "node engines/iam-simulate/engine.mjs"`.
    #[arg(long, value_name = "CMD")]
    pub engine: Option<String>,
    /// Seconds to wait for each answer of the engine.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10.0,
        requires = "engine"
    )]
    pub engine_timeout: f64,
    /// The engine's deviation file [default: engines/<engine name>/deviations.toml, when it
    /// exists].
    #[arg(long, value_name = "FILE", requires = "engine")]
    pub deviations: Option<PathBuf>,
    /// Measurement only: answer in process with the model instead of starting CMD, through
    /// the same pipeline (to compare cases per second with the protocol's).
    #[arg(long, hide = true, requires = "engine")]
    pub in_process: bool,
    /// Measurement: run the campaign in process, then over the protocol, then in process
    /// again, and print both rates and their ratio (simulate only).
    #[arg(long, requires = "engine")]
    pub versus_in_process: bool,
}

/// Who answers: an engine process, or the model in process.
#[derive(Debug)]
pub enum Peer {
    /// An engine process.
    Engine(Box<EngineOracle>),
    /// The model, in process.
    InProcess,
}

impl Peer {
    /// Start the engine of `args` (or the in-process model).
    pub fn start(args: &EngineArgs) -> Result<Peer, String> {
        if args.in_process {
            return Ok(Peer::InProcess);
        }
        let command = args.engine.as_deref().unwrap_or_default();
        if !(args.engine_timeout.is_finite() && args.engine_timeout > 0.0) {
            return Err(format!(
                "--engine-timeout {} is not a number of seconds above 0",
                args.engine_timeout
            ));
        }
        EngineOracle::start(command, Duration::from_secs_f64(args.engine_timeout))
            .map(|e| Peer::Engine(Box::new(e)))
            .map_err(|e| e.to_string())
    }

    /// `name version`.
    pub fn describe(&self) -> String {
        match self {
            Peer::Engine(e) => e
                .handshake()
                .map(|h| format!("{} {}", h.engine.name, h.engine.version))
                .unwrap_or_default(),
            Peer::InProcess => "iamcr-model (in process)".to_string(),
        }
    }

    /// The handshake's engine name.
    pub fn name(&self) -> String {
        match self {
            Peer::Engine(e) => e
                .handshake()
                .map(|h| h.engine.name.clone())
                .unwrap_or_default(),
            Peer::InProcess => "iamcr-model".to_string(),
        }
    }

    /// What it declared it can take.
    pub fn capabilities(&self) -> EngineCapabilities {
        match self {
            Peer::Engine(e) => e
                .handshake()
                .map(|h| h.capabilities.clone())
                .unwrap_or_default(),
            Peer::InProcess => EngineCapabilities::complete(),
        }
    }

    /// Answer `(case id, query)` items.
    pub fn answer(&mut self, items: &[(String, Query)]) -> Vec<Result<Answer, OracleError>> {
        match self {
            Peer::Engine(e) => e.answer_cases(items),
            Peer::InProcess => items
                .iter()
                .map(|(_, q)| ModelOracle.answer_one(q))
                .collect(),
        }
    }
}

/// The deviation file: `--deviations`, else `engines/<name>/deviations.toml` when it exists.
pub fn deviations(args: &EngineArgs, peer: &Peer) -> Result<EngineDeviations, String> {
    let path = match &args.deviations {
        Some(p) => p.clone(),
        None => {
            let default = crate::project::path(&format!("engines/{}/deviations.toml", peer.name()));
            if !default.is_file() {
                return Ok(EngineDeviations::default());
            }
            default
        }
    };
    let d = EngineDeviations::read(&path)?;
    check_questions(&path, &d)?;
    if !d.engine.is_empty() && d.engine != peer.name() && !args.in_process {
        return Err(format!(
            "{}: a deviation file of engine {:?}, but the engine is {:?}",
            path.display(),
            d.engine,
            peer.name()
        ));
    }
    Ok(d)
}

/// Every open question a deviation file names is a question file and an item of
/// docs/open-questions.md, so that a group marked as one points at something that asks it.
fn check_questions(path: &std::path::Path, d: &EngineDeviations) -> Result<(), String> {
    let page_path = crate::project::path("docs/open-questions.md");
    let page =
        std::fs::read_to_string(&page_path).map_err(|e| format!("{}: {e}", page_path.display()))?;
    for (deviation, id) in d.questions() {
        let file = crate::project::path(&format!("corpus/questions/{id}.json"));
        if !file.is_file() {
            return Err(format!(
                "{}: deviation {:?} names open question {id:?}, but {} does not exist",
                path.display(),
                deviation.id,
                file.display()
            ));
        }
        if !page.contains(&format!("`{id}`")) {
            return Err(format!(
                "{}: deviation {:?} names open question {id:?}, which docs/open-questions.md does not list",
                path.display(),
                deviation.id
            ));
        }
    }
    Ok(())
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The engine answered as expected.
    Agreed,
    /// It did not, as a documented deviation says it does not.
    Deviated {
        /// The deviation.
        deviation: String,
        /// The disagreement's signature.
        signature: String,
        /// What differs.
        detail: String,
    },
    /// Not compared.
    Skipped {
        /// Why.
        reason: String,
    },
    /// It did not, and nothing documents why.
    Disagreed {
        /// The disagreement's signature (what differs, what the case needs).
        signature: String,
        /// What differs.
        detail: String,
    },
}

/// The peer as an oracle of the one differential engine ([`iamcr_oracle::differential`]):
/// a query needing what the handshake did not declare is skipped with the need as the
/// reason; a refusal is a skip with the engine's reason; the engine's deviation file is
/// its source of known deviations; an answer keeps only the explanations the handshake
/// declared, each matched statement named by index (found from its Sid when only that is
/// given).
pub struct PeerOracle<'p> {
    peer: &'p mut Peer,
    caps: EngineCapabilities,
    deviations: Deviations,
    asked: u64,
}

impl<'p> PeerOracle<'p> {
    /// The peer, judged with `deviations`.
    pub fn new(peer: &'p mut Peer, deviations: &EngineDeviations) -> PeerOracle<'p> {
        PeerOracle {
            caps: peer.capabilities(),
            peer,
            deviations: Deviations::Engine(Arc::new(deviations.clone())),
            asked: 0,
        }
    }

    /// The peer.
    pub fn peer(&self) -> &Peer {
        self.peer
    }

    fn normalise(
        &self,
        label: &str,
        q: &Query,
        outcome: Result<Answer, OracleError>,
    ) -> Result<Answer, OracleError> {
        match outcome {
            Err(mut e) if e.kind == ErrorKind::Unsupported => {
                let prefix = format!("case {label}: ");
                if let Some(why) = e.message.strip_prefix(&prefix) {
                    e.message = why.to_string();
                }
                Err(e)
            }
            Err(e) => Err(e),
            Ok(mut a) => {
                if !self.caps.explanations.matched {
                    a.matched = None;
                }
                if !self.caps.explanations.missing_context {
                    a.missing_context = None;
                }
                for m in a.matched.iter_mut().flatten() {
                    if m.statement.is_none() {
                        m.statement = statement_of_sid(q, &m.source_policy_id, m.sid.as_deref());
                    }
                }
                Ok(a)
            }
        }
    }
}

impl Oracle for PeerOracle<'_> {
    fn name(&self) -> &str {
        "engine"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    fn can_answer(&self, q: &Query) -> Result<(), SkipReason> {
        match unmet(q, &self.caps) {
            Some(need) => Err(SkipReason::Declined(need.reason())),
            None => Ok(()),
        }
    }

    fn deviations(&self) -> Deviations {
        self.deviations.clone()
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let labels: Vec<String> = queries
            .iter()
            .map(|_| {
                self.asked += 1;
                format!("query-{}", self.asked)
            })
            .collect();
        self.answer_labelled(&labels, queries)
    }

    fn answer_labelled(
        &mut self,
        labels: &[String],
        queries: &[Query],
    ) -> Vec<Result<Answer, OracleError>> {
        let items = iamcr_oracle::engine::labelled(labels, queries);
        let outcomes = self.peer.answer(&items);
        items
            .iter()
            .zip(outcomes)
            .map(|((label, q), o)| self.normalise(label, q, o))
            .collect()
    }
}

/// The statement of the policy a matched entry names (`identity[0]` or the simulator's
/// id) whose Sid is `sid`.
fn statement_of_sid(q: &Query, policy: &str, sid: Option<&str>) -> Option<usize> {
    let sid = sid?;
    let slot = parse_slot(policy).or_else(|| {
        q.policies
            .all()
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| s.simulator_id() == policy)
    })?;
    q.statement_of_sid(slot, sid)
}

/// The cases' expectations against the peer, through the one differential engine: each
/// case's verdict, in order (labels: the case ids, which the engine is sent and the
/// deviation file may name).
pub fn judge_all(peer: &mut PeerOracle<'_>, cases: &[&EvalCase]) -> Vec<Verdict> {
    let (mut expected, queries) =
        WrittenAnswers::of_evaluations(cases.iter().copied(), Written::Expectations);
    let labels: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    let report = differential_labelled(&mut expected, peer, &queries, &labels);
    verdicts(&report, cases, &queries)
}

/// Each case's verdict from a differential report of the cases' expectations (the
/// reference) against the peer (the other side).
fn verdicts(report: &Report, cases: &[&EvalCase], queries: &[Query]) -> Vec<Verdict> {
    let mut out = vec![Verdict::Agreed; cases.len()];
    for s in &report.skips {
        out[s.index] = Verdict::Skipped {
            reason: s.reason.to_string(),
        };
    }
    let failure =
        |index: usize, e: &OracleError| (failure_signature(&cases[index].id, e), e.message.clone());
    for x in &report.explanations {
        let (signature, detail) = match &x.explained {
            Explained::Differences {
                differences, other, ..
            } => disagreement(cases[x.index], &queries[x.index], differences, other),
            Explained::Failure { error } => failure(x.index, error),
        };
        out[x.index] = Verdict::Deviated {
            deviation: x.deviation.clone(),
            signature,
            detail,
        };
    }
    for d in &report.disagreements {
        let (signature, detail) =
            disagreement(cases[d.index], &queries[d.index], &d.differences, &d.other);
        out[d.index] = Verdict::Disagreed { signature, detail };
    }
    for f in &report.failures {
        let (signature, detail) = match f.side {
            Side::Other => failure(f.index, &f.error),
            Side::Reference => (
                "no-expectation | -".to_string(),
                format!("no expectation: {}", f.error.message),
            ),
        };
        out[f.index] = Verdict::Disagreed { signature, detail };
    }
    out
}

/// A disagreement's signature (its first difference, and what the case needs) and what
/// differs, in the case expectation's words.
fn disagreement(
    case: &EvalCase,
    q: &Query,
    differences: &[Difference],
    got: &Answer,
) -> (String, String) {
    let Some(first) = differences.first() else {
        return ("no-difference | -".to_string(), String::new());
    };
    (
        signature(&difference_name(first), q),
        detail(first, &case.expect, got, q),
    )
}

/// What differs, in a sentence.
fn detail(first: &Difference, expect: &EvalExpect, a: &Answer, q: &Query) -> String {
    match first {
        Difference::Matched { .. } => {
            let want: BTreeSet<String> = expect
                .matched
                .iter()
                .flatten()
                .map(|m| statement_key(q, m))
                .collect();
            let got: BTreeSet<String> = a
                .matched
                .iter()
                .flatten()
                .map(|m| {
                    statement_key(
                        q,
                        &MatchedRef {
                            policy: m
                                .slot
                                .map(|s| s.to_string())
                                .unwrap_or(m.source_policy_id.clone()),
                            sid: m.sid.clone(),
                            statement: m.statement,
                        },
                    )
                })
                .collect();
            format!("expected matched statements {want:?}, engine named {got:?}")
        }
        Difference::MissingContext { .. } => format!(
            "expected missing context keys {:?}, engine named {:?}",
            expect.missing_context.as_deref().unwrap_or_default(),
            a.missing_context.as_deref().unwrap_or_default()
        ),
        _ => format!(
            "expected {}, engine answered {}",
            expect.decision, a.decision
        ),
    }
}

/// A statement as `policy#index`, the index found from the Sid when only that is given.
fn statement_key(q: &Query, m: &MatchedRef) -> String {
    let index = m
        .statement
        .or_else(|| q.statement_of_sid(parse_slot(&m.policy)?, m.sid.as_deref()?));
    match (index, &m.sid) {
        (Some(i), _) => format!("{}#{i}", m.policy),
        (None, Some(sid)) => format!("{}#{sid}", m.policy),
        (None, None) => format!("{}#?", m.policy),
    }
}

/// The expectation the model's answer makes (campaigns compare engines with the model).
pub fn expect_of(a: &Answer) -> EvalExpect {
    EvalExpect {
        decision: a.decision,
        matched: a.matched_refs(),
        missing_context: a.missing_context.clone(),
    }
}

/// Counts of verdicts, and skips by reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// Agreed.
    pub agreed: usize,
    /// Deviated, by deviation id.
    pub deviated: std::collections::BTreeMap<String, usize>,
    /// Skipped, by reason.
    pub skipped: std::collections::BTreeMap<String, usize>,
    /// Disagreed.
    pub disagreed: usize,
}

impl Tally {
    /// Count one verdict.
    pub fn add(&mut self, v: &Verdict) {
        match v {
            Verdict::Agreed => self.agreed += 1,
            Verdict::Deviated { deviation, .. } => {
                *self.deviated.entry(deviation.clone()).or_default() += 1
            }
            Verdict::Skipped { reason } => *self.skipped.entry(reason.clone()).or_default() += 1,
            Verdict::Disagreed { .. } => self.disagreed += 1,
        }
    }

    /// All deviated.
    pub fn deviated_total(&self) -> usize {
        self.deviated.values().sum()
    }

    /// All skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// `A agreed, D deviated, S skipped, F disagreed`.
    pub fn line(&self) -> String {
        format!(
            "{} agreed, {} deviated, {} skipped, {} disagreed",
            self.agreed,
            self.deviated_total(),
            self.skipped_total(),
            self.disagreed
        )
    }

    /// `reason N, reason M` (largest first).
    pub fn skip_reasons(&self) -> String {
        let mut v: Vec<(&String, &usize)> = self.skipped.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
