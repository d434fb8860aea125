//! Asking a [`Simulator`] many queries: plan calls ([`crate::plan`]), pace them
//! ([`crate::pace`]), follow `Marker` pages, retry throttling and server errors, isolate a
//! query the simulator rejects by splitting its call, stop at a call budget, and journal
//! every answer so that an interrupted campaign resumes without asking twice.

use crate::Oracle;
use crate::capability::Capabilities;
use crate::journal::{Journal, JournalOutcome};
use crate::pace::{Backoff, Clock, Jitter, SystemClock, TokenBucket};
use crate::plan::{Limits, PlannedCall, assign, plan};
use crate::query::{Answer, ErrorKind, OracleError, Query, QueryId};
use crate::wire::{CallError, CallErrorKind, EvaluationResult, Simulator};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// How a campaign runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// Call sizes.
    pub limits: Limits,
    /// Calls per second (`None`: no cap).
    pub rate: Option<f64>,
    /// Simulator requests allowed (pages and retries count); `None`: no budget.
    pub max_calls: Option<u64>,
    /// Retry spacing.
    pub backoff: Backoff,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Stats {
    /// Queries given.
    pub queries: usize,
    /// Distinct queries (by id).
    pub distinct: usize,
    /// Answered from the journal of an earlier run.
    pub from_journal: usize,
    /// Logical calls planned (before splits).
    pub planned_calls: usize,
    /// Simulator requests sent, every page and retry included.
    pub requests: u64,
    /// Pages received.
    pub pages: u64,
    /// Retries after throttling or server errors.
    pub retries: u64,
    /// Of those, after throttling.
    pub throttled: u64,
    /// Calls split to isolate a rejected query.
    pub splits: u64,
    /// Action × resource pairs answered by the simulator in this run.
    pub pairs_answered: usize,
    /// Calls completed (all pages received) in this run.
    pub calls_completed: usize,
    /// Whether the call budget ran out.
    pub budget_exhausted: bool,
}

impl Stats {
    /// Requests (action × resource pairs) answered per completed call.
    pub fn pairs_per_call(&self) -> f64 {
        if self.calls_completed == 0 {
            0.0
        } else {
            self.pairs_answered as f64 / self.calls_completed as f64
        }
    }
}

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// The credentials were refused; nothing more can be asked.
    Credentials(String),
    /// The journal could not be written; answers would be lost.
    Journal(String),
}

/// Runs queries against a simulator.
#[derive(Debug)]
pub struct Runner<S, C = SystemClock> {
    simulator: S,
    clock: C,
    settings: Settings,
    bucket: TokenBucket,
    jitter: Jitter,
    journal: Option<Journal>,
    redact: Vec<String>,
    /// What the last run did.
    pub stats: Stats,
    /// Why the last run stopped early, if it did.
    pub stopped: Option<Stop>,
}

impl<S: Simulator> Runner<S, SystemClock> {
    /// A runner on the real clock.
    pub fn new(simulator: S, settings: Settings) -> Runner<S, SystemClock> {
        Runner::with_clock(
            simulator,
            settings,
            SystemClock::default(),
            Jitter::from_time(),
        )
    }
}

impl<S: Simulator, C: Clock> Runner<S, C> {
    /// A runner on a given clock and jitter source (tests).
    pub fn with_clock(simulator: S, settings: Settings, clock: C, jitter: Jitter) -> Runner<S, C> {
        Runner {
            simulator,
            clock,
            bucket: TokenBucket::new(settings.rate.unwrap_or(0.0)),
            settings,
            jitter,
            journal: None,
            redact: Vec::new(),
            stats: Stats::default(),
            stopped: None,
        }
    }

    /// Journal answers (and resume from what the journal holds).
    pub fn journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Strings (the real account id) to replace in answers and errors before they are
    /// journaled or returned: each becomes the account of the query's caller.
    pub fn redact(mut self, secrets: Vec<String>) -> Self {
        self.redact = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        self
    }

    /// The simulator (tests inspect fakes through it).
    pub fn simulator(&self) -> &S {
        &self.simulator
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Give the journal back (to reopen it elsewhere).
    pub fn into_journal(self) -> Option<Journal> {
        self.journal
    }

    fn scrub(&self, text: &str, account: &str) -> String {
        self.redact
            .iter()
            .fold(text.to_string(), |t, s| t.replace(s.as_str(), account))
    }

    fn scrub_outcome(
        &self,
        q: &Query,
        outcome: Result<Answer, OracleError>,
    ) -> Result<Answer, OracleError> {
        if self.redact.is_empty() {
            return outcome;
        }
        let account = q.caller.account().unwrap_or("111122223333").to_string();
        match outcome {
            Ok(a) => {
                let json = serde_json::to_string(&a).unwrap_or_default();
                Ok(serde_json::from_str(&self.scrub(&json, &account)).unwrap_or(a))
            }
            Err(mut e) => {
                e.message = self.scrub(&e.message, &account);
                Err(e)
            }
        }
    }

    /// Send one request with pacing and retries.
    fn request(
        &mut self,
        req: &crate::wire::SimulateRequest,
    ) -> Result<crate::wire::SimulatePage, CallError> {
        let mut attempt = 0;
        loop {
            if self
                .settings
                .max_calls
                .is_some_and(|max| self.stats.requests >= max)
            {
                self.stats.budget_exhausted = true;
                return Err(CallError {
                    kind: CallErrorKind::Other,
                    code: Some("Budget".into()),
                    message: "the call budget (--max-calls) is spent".into(),
                });
            }
            self.bucket.acquire(&mut self.clock);
            self.stats.requests += 1;
            match self.simulator.simulate(req) {
                Ok(page) => {
                    self.stats.pages += 1;
                    return Ok(page);
                }
                Err(e) if e.retryable() && attempt + 1 < self.settings.backoff.max_attempts => {
                    self.stats.retries += 1;
                    if e.kind == CallErrorKind::Throttling {
                        self.stats.throttled += 1;
                    }
                    let wait = self.settings.backoff.delay(attempt, &mut self.jitter);
                    self.clock.sleep(wait);
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// All pages of a call.
    fn call(&mut self, call: &PlannedCall) -> Result<Vec<EvaluationResult>, CallError> {
        let mut request = call.request.clone();
        let mut results = Vec::new();
        loop {
            let page = self.request(&request)?;
            results.extend(page.evaluation_results);
            match page.marker.filter(|_| page.is_truncated) {
                Some(m) => request.marker = Some(m),
                None => return Ok(results),
            }
        }
    }

    /// Ask every query; one outcome per query, in order. Queries answered by the journal
    /// are not asked again; a query asked twice in `queries` is asked once.
    pub fn run(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        self.stats = Stats {
            queries: queries.len(),
            ..Stats::default()
        };
        self.stopped = None;
        let ids: Vec<QueryId> = queries.iter().map(Query::id).collect();
        let mut first: HashMap<&QueryId, usize> = HashMap::new();
        let mut outcomes: Vec<Option<Result<Answer, OracleError>>> = vec![None; queries.len()];
        let mut to_ask = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if first.contains_key(id) {
                continue;
            }
            first.insert(id, i);
            match self.journal.as_ref().and_then(|j| j.get(id)) {
                Some(JournalOutcome::Answer(a)) => {
                    outcomes[i] = Some(Ok(a.clone()));
                    self.stats.from_journal += 1;
                }
                Some(JournalOutcome::Error(e)) => {
                    outcomes[i] = Some(Err(e.clone()));
                    self.stats.from_journal += 1;
                }
                None => to_ask.push(i),
            }
        }
        self.stats.distinct = first.len();
        let mut work: VecDeque<PlannedCall> = plan(queries, &to_ask, &self.settings.limits).into();
        self.stats.planned_calls = work.len();
        while let Some(call) = work.pop_front() {
            if self.stopped.is_some() || self.stats.budget_exhausted {
                break;
            }
            let answered: Vec<(usize, Result<Answer, OracleError>)> = match self.call(&call) {
                Ok(results) => {
                    self.stats.calls_completed += 1;
                    self.stats.pairs_answered += call.members.len();
                    assign(&call, &results)
                }
                Err(e) if e.kind == CallErrorKind::InvalidInput => match call.split() {
                    Some((l, r)) => {
                        self.stats.splits += 1;
                        work.push_front(r);
                        work.push_front(l);
                        continue;
                    }
                    None => refusal(&call, ErrorKind::InvalidInput, &e),
                },
                Err(e) if e.kind == CallErrorKind::PolicyEvaluation => {
                    refusal(&call, ErrorKind::PolicyEvaluation, &e)
                }
                Err(e) if e.kind == CallErrorKind::Credentials => {
                    self.stopped = Some(Stop::Credentials(e.to_string()));
                    break;
                }
                Err(_) if self.stats.budget_exhausted => break,
                Err(e) => {
                    // Retries did not help: leave the queries unanswered (and unjournaled,
                    // so that a resumed run asks them again).
                    for (i, _, _) in &call.members {
                        outcomes[*i] = Some(Err(OracleError {
                            kind: ErrorKind::Transport,
                            message: e.to_string(),
                        }));
                    }
                    continue;
                }
            };
            let mut lines = Vec::new();
            for (i, outcome) in answered {
                let Some(q) = queries.get(i) else { continue };
                let outcome = self.scrub_outcome(q, outcome);
                let journaled = match &outcome {
                    Ok(a) => Some(JournalOutcome::Answer(a.clone())),
                    Err(e)
                        if matches!(
                            e.kind,
                            ErrorKind::InvalidInput | ErrorKind::PolicyEvaluation
                        ) =>
                    {
                        Some(JournalOutcome::Error(e.clone()))
                    }
                    Err(_) => None,
                };
                if let (Some(j), Some(id)) = (journaled, ids.get(i)) {
                    lines.push((id.clone(), j));
                }
                outcomes[i] = Some(outcome);
            }
            if let Some(journal) = self.journal.as_mut()
                && let Err(e) = journal.record(lines)
            {
                self.stopped = Some(Stop::Journal(format!(
                    "cannot write the journal {}: {e}",
                    journal.path().display()
                )));
            }
        }
        let not_asked = OracleError {
            kind: ErrorKind::NotAsked,
            message: match &self.stopped {
                Some(Stop::Credentials(m)) => {
                    format!("not asked: the credentials were refused ({m})")
                }
                Some(Stop::Journal(m)) => format!("not asked: {m}"),
                None => "not asked: the call budget (--max-calls) ran out".into(),
            },
        };
        (0..queries.len())
            .map(|i| {
                let source = ids
                    .get(i)
                    .and_then(|id| first.get(id))
                    .copied()
                    .unwrap_or(i);
                outcomes
                    .get(source)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| Err(not_asked.clone()))
            })
            .collect()
    }
}

fn refusal(
    call: &PlannedCall,
    kind: ErrorKind,
    e: &CallError,
) -> Vec<(usize, Result<Answer, OracleError>)> {
    call.members
        .iter()
        .map(|(i, _, _)| {
            (
                *i,
                Err(OracleError {
                    kind,
                    message: e.to_string(),
                }),
            )
        })
        .collect()
}

impl<S: Simulator, C: Clock> Oracle for Runner<S, C> {
    fn name(&self) -> &str {
        "simulator"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::simulator()
    }

    fn deviations(&self) -> crate::compare::Deviations {
        crate::compare::Deviations::Simulator
    }

    /// Queries the simulator cannot answer get an `Unsupported` error and are not sent.
    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let caps = self.capabilities();
        let checked: Vec<Result<(), crate::capability::Unsupported>> =
            queries.iter().map(|q| caps.check(q)).collect();
        let asked: Vec<Query> = queries
            .iter()
            .zip(&checked)
            .filter(|(_, c)| c.is_ok())
            .map(|(q, _)| q.clone())
            .collect();
        let mut answers = self.run(&asked).into_iter();
        checked
            .into_iter()
            .map(|c| match c {
                Ok(()) => answers.next().unwrap_or_else(|| {
                    Err(OracleError {
                        kind: ErrorKind::NoResult,
                        message: "no answer".into(),
                    })
                }),
                Err(u) => Err(OracleError {
                    kind: ErrorKind::Unsupported,
                    message: u.to_string(),
                }),
            })
            .collect()
    }
}
