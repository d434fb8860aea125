//! Oracles for IAM policy decisions: the project's model, and AWS's IAM policy simulator
//! (`iam:SimulateCustomPolicy`), behind one [`Oracle`] trait.
//!
//! - [`query`]: what an oracle is asked ([`Query`], shaped like one simulator request for
//!   one action and resource) and answers ([`Answer`]).
//! - [`capability`]: what the simulator cannot answer, each a named [`Limitation`];
//!   campaigns filter queries and count every skip by reason.
//! - [`model`]: [`ModelOracle`], the model (`iamcr-eval`), with every capability.
//! - [`plan`], [`wire`], [`pace`], [`journal`], [`runner`]: asking the simulator — batching
//!   queries into calls with many actions and resources, paging, pacing, retries, a call
//!   budget, and a journal to resume an interrupted campaign. No SDK: a [`wire::Simulator`]
//!   sends requests.
//! - [`probe`]: the standard campaign's neighbourhood of a query.
//! - [`engine`]: any evaluator as an oracle over the engine protocol (JSON lines on a child
//!   process's pipes, `docs/engine-protocol.md`), and the engine side of it.
//! - [`differential`]: the one differential engine — two oracles, the same queries, one
//!   [`Report`] (agreements, disagreements with their query, failures, skips by reason).
//! - [`compare`], [`deviations`]: comparing two answers, and the known simulator deviations.
//! - [`config`]: `simulate.toml` and the account allow-list (no SDK: checked before the
//!   live build starts).
//! - `live` (feature `live`): the simulator over `aws-sdk-iam` and credentials.
//!
//! This crate does not depend on the harness (`iamcr`); the harness converts its cases
//! into [`Query`]s.

pub mod capability;
pub mod compare;
pub mod config;
pub mod deviations;
pub mod differential;
pub mod engine;
pub mod journal;
#[cfg(feature = "live")]
pub mod live;
pub mod model;
pub mod pace;
pub mod plan;
pub mod probe;
pub mod query;
pub mod runner;
pub mod wire;

pub use capability::{Capabilities, Limitation, SkipCounts, Unsupported};
pub use compare::{Comparison, Deviations, Difference, Finding, compare, compare_with};
pub use differential::{
    Disagreement, Explained, Explanation, Failure, Minimise, Report, Side, SkipReason, Skips,
    differential, differential_labelled, differential_minimised, differential_observed,
};
pub use model::ModelOracle;
pub use query::{
    Answer, Caller, ContextKeyType, ContextValue, Decision, ErrorKind, Matched, OracleError,
    PolicyInputs, PolicySlot, PolicyText, Pos, Query, QueryId,
};
pub use runner::{Runner, Settings, Stats};

/// Something that decides queries: the model, or the simulator.
pub trait Oracle {
    /// A short name for reports (`model`, `simulator`).
    fn name(&self) -> &str;

    /// What it can answer.
    fn capabilities(&self) -> Capabilities;

    /// Which known deviations may account for a difference between its answers and the
    /// model's: the simulator's documented ones for the simulator and its recorded answers,
    /// none for anything that must match exactly.
    fn deviations(&self) -> Deviations {
        Deviations::None
    }

    /// Whether it takes `query`: the reason it would not, checked before anything is asked
    /// (by default, the first of its [`Capabilities`]' limitations the query hits).
    fn can_answer(&self, query: &Query) -> Result<(), SkipReason> {
        self.capabilities()
            .check(query)
            .map_err(|u| SkipReason::Limitation(u.limitation))
    }

    /// Answer queries, one outcome per query in order. An oracle that batches (the
    /// simulator) does so across the whole slice.
    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>>;

    /// [`Oracle::answer_all`], each query with a label (a corpus case's id) for an oracle
    /// that passes it on (an engine sends it and names it in errors); others ignore it.
    fn answer_labelled(
        &mut self,
        labels: &[String],
        queries: &[Query],
    ) -> Vec<Result<Answer, OracleError>> {
        let _ = labels;
        self.answer_all(queries)
    }

    /// Answer one query.
    fn answer(&mut self, query: &Query) -> Result<Answer, OracleError> {
        self.answer_all(std::slice::from_ref(query))
            .pop()
            .unwrap_or_else(|| {
                Err(OracleError {
                    kind: ErrorKind::NoResult,
                    message: "no answer".into(),
                })
            })
    }
}
