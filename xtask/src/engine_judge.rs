//! What `conform --engine` and `simulate --engine` share: the `--engine` arguments, the peer
//! (an engine process, or the model in process for measurements), and the verdict on one
//! case: agreed, deviated (a documented deviation of that engine covers it), skipped (with
//! the reason), or disagreed (with its signature).

use iamcr::case::{EvalCase, EvalExpect, MatchedRef};
use iamcr_oracle::engine::deviations::{EngineDeviations, signature};
use iamcr_oracle::engine::needs::unmet;
use iamcr_oracle::engine::protocol::parse_slot;
use iamcr_oracle::engine::{EngineCapabilities, EngineOracle};
use iamcr_oracle::{Answer, ErrorKind, ModelOracle, OracleError, Query};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;
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

/// Judge the engine's outcome for `case` (its query `q`) against the case's expectation.
pub fn judge(
    case: &EvalCase,
    q: &Query,
    outcome: &Result<Answer, OracleError>,
    caps: &EngineCapabilities,
    deviations: &EngineDeviations,
) -> Verdict {
    if let Some(need) = unmet(q, caps) {
        return Verdict::Skipped {
            reason: need.reason(),
        };
    }
    let prefix = format!("case {}: ", case.id);
    let (difference, detail) = match outcome {
        Err(e) if e.kind == ErrorKind::Unsupported => {
            let why = e.message.strip_prefix(&prefix).unwrap_or(&e.message);
            return Verdict::Skipped {
                reason: why.to_string(),
            };
        }
        Err(e) => {
            let what = if e.kind == ErrorKind::Engine {
                "engine-failure"
            } else {
                "engine-error"
            };
            let message = e.message.strip_prefix(&prefix).unwrap_or(&e.message);
            (
                format!("{what} ({})", error_shape(message)),
                e.message.clone(),
            )
        }
        Ok(a) => match difference(&case.expect, a, q, caps) {
            None => return Verdict::Agreed,
            Some(d) => d,
        },
    };
    // An error's message names its cause better than what the case needs.
    let signature = if difference.starts_with("engine-") {
        format!("{difference} | -")
    } else {
        signature(&difference, q)
    };
    match deviations.covering(&case.id, &signature) {
        Some(d) => Verdict::Deviated {
            deviation: d.id.clone(),
            signature,
            detail,
        },
        None => Verdict::Disagreed { signature, detail },
    }
}

/// An error message with its numbers (positions, indexes) and quoted parts blanked, so
/// that one cause is one signature: `identity[N]: … at line N column N`.
fn error_shape(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                if quoted {
                    out.push_str("\"…\"");
                }
            }
            _ if quoted => {}
            '0'..='9' => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('N');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The first way `a` differs from `expect`: (its name, a sentence).
fn difference(
    expect: &EvalExpect,
    a: &Answer,
    q: &Query,
    caps: &EngineCapabilities,
) -> Option<(String, String)> {
    if a.decision != expect.decision {
        return Some((
            format!("decision {}->{}", expect.decision, a.decision),
            format!(
                "expected {}, engine answered {}",
                expect.decision, a.decision
            ),
        ));
    }
    if caps.explanations.matched
        && let (Some(want), Some(got)) = (&expect.matched, &a.matched)
    {
        let want: BTreeSet<String> = want.iter().map(|m| statement_key(q, m)).collect();
        let got: BTreeSet<String> = got
            .iter()
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
        if want != got {
            return Some((
                "matched".to_string(),
                format!("expected matched statements {want:?}, engine named {got:?}"),
            ));
        }
    }
    if caps.explanations.missing_context
        && let (Some(want), Some(got)) = (&expect.missing_context, &a.missing_context)
    {
        let norm = |v: &[String]| {
            v.iter()
                .map(|k| k.to_ascii_lowercase())
                .collect::<BTreeSet<_>>()
        };
        if norm(want) != norm(got) {
            return Some((
                "missing-context".to_string(),
                format!("expected missing context keys {want:?}, engine named {got:?}"),
            ));
        }
    }
    None
}

/// A statement as `policy#index`, the index found from the Sid when only that is given.
fn statement_key(q: &Query, m: &MatchedRef) -> String {
    let index = m.statement.or_else(|| {
        let sid = m.sid.as_deref()?;
        let text = q.policies.text(parse_slot(&m.policy)?)?;
        let policy = iamcr_policy::parse(text).ok()?;
        policy
            .statements
            .iter()
            .position(|s| s.value.sid.as_ref().is_some_and(|x| x.value == sid))
    });
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
