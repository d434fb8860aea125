//! Any IAM evaluator as an oracle, over the engine protocol (`docs/engine-protocol.md`):
//! JSON lines on a child process's stdin and stdout.
//!
//! - [`protocol`]: the messages, and their conversions to [`Query`] and [`Answer`];
//! - [`client`]: the engine process, with bounded waits ([`EngineProcess`]);
//! - [`needs`]: what a query needs of an engine, checked against its handshake;
//! - [`deviations`]: an engine's known, documented deviations, and disagreement signatures;
//! - [`serve`]: the engine side, for any function from query to reply (`cargo xtask engine`
//!   serves the model with it).

pub mod client;
pub mod deviations;
pub mod marks;
pub mod needs;
pub mod protocol;
pub mod serve;

pub use client::{EngineError, EngineProcess};
pub use protocol::{EngineCapabilities, Handshake, PROTOCOL, Reply};

use crate::capability::Capabilities;
use crate::query::{Answer, ErrorKind, OracleError, Query};
use crate::{Oracle, SkipReason};
use std::time::Duration;

/// An engine process as an [`Oracle`]. Queries an engine did not declare it can take are
/// answered `Unsupported` with the need as the reason, without being sent; a refusal is
/// `Unsupported` too; an engine's error reply is `PolicyEvaluation`; a protocol failure is
/// `Engine`, its message naming the case.
#[derive(Debug)]
pub struct EngineOracle {
    process: EngineProcess,
    name: String,
    asked: u64,
}

impl EngineOracle {
    /// Start `command` and read its handshake.
    pub fn start(command: &str, timeout: Duration) -> Result<EngineOracle, EngineError> {
        let process = EngineProcess::start(command, timeout)?;
        let name = process
            .handshake()
            .map(|h| h.engine.name.clone())
            .unwrap_or_else(|| command.to_string());
        Ok(EngineOracle {
            process,
            name,
            asked: 0,
        })
    }

    /// The engine's handshake.
    pub fn handshake(&self) -> Option<&Handshake> {
        self.process.handshake()
    }

    /// Answer `(case id, query)` items, each error naming its case.
    pub fn answer_cases(&mut self, items: &[(String, Query)]) -> Vec<Result<Answer, OracleError>> {
        let caps = self
            .handshake()
            .map(|h| h.capabilities.clone())
            .unwrap_or_default();
        let mut out: Vec<Option<Result<Answer, OracleError>>> = vec![None; items.len()];
        let mut send = Vec::new();
        let mut sent_at = Vec::new();
        for (i, (case, q)) in items.iter().enumerate() {
            match needs::unmet(q, &caps) {
                Some(need) => {
                    out[i] = Some(Err(oracle_error(
                        ErrorKind::Unsupported,
                        format!("case {case}: engine lacks {}", need.reason()),
                    )));
                }
                None => {
                    send.push((case.clone(), q.clone()));
                    sent_at.push(i);
                }
            }
        }
        for (i, outcome) in sent_at.into_iter().zip(self.process.ask(&send)) {
            out[i] = Some(match outcome {
                Ok(reply) => from_reply(&items[i].0, &reply),
                Err(e) => Err(oracle_error(ErrorKind::Engine, e.to_string())),
            });
        }
        out.into_iter()
            .map(|o| {
                o.unwrap_or_else(|| Err(oracle_error(ErrorKind::NoResult, "no answer".into())))
            })
            .collect()
    }
}

fn oracle_error(kind: ErrorKind, message: String) -> OracleError {
    OracleError { kind, message }
}

fn from_reply(case: &str, reply: &Reply) -> Result<Answer, OracleError> {
    match reply {
        Reply::Answer { .. } => protocol::answer(reply)
            .ok_or_else(|| oracle_error(ErrorKind::NoResult, format!("case {case}: no answer"))),
        Reply::Refusal { reason, .. } => Err(oracle_error(
            ErrorKind::Unsupported,
            format!("case {case}: engine refused: {reason}"),
        )),
        Reply::Error { message, .. } => Err(oracle_error(
            ErrorKind::PolicyEvaluation,
            format!("case {case}: engine error: {message}"),
        )),
    }
}

impl Oracle for EngineOracle {
    fn name(&self) -> &str {
        &self.name
    }

    /// The simulator's [`crate::Limitation`]s do not describe an engine; what it lacks is
    /// checked per query against its handshake ([`needs`]) and answered `Unsupported`.
    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    /// A query needing what the handshake did not declare is skipped with the need as the
    /// reason, before anything is sent.
    fn can_answer(&self, query: &Query) -> Result<(), SkipReason> {
        let caps = self
            .handshake()
            .map(|h| h.capabilities.clone())
            .unwrap_or_default();
        match needs::unmet(query, &caps) {
            Some(need) => Err(SkipReason::Declined(need.reason())),
            None => Ok(()),
        }
    }

    fn answer_labelled(
        &mut self,
        labels: &[String],
        queries: &[Query],
    ) -> Vec<Result<Answer, OracleError>> {
        self.answer_cases(&labelled(labels, queries))
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let items: Vec<(String, Query)> = queries
            .iter()
            .map(|q| {
                self.asked += 1;
                (format!("query-{}", self.asked), q.clone())
            })
            .collect();
        self.answer_cases(&items)
    }
}

/// Queries paired with the labels an engine is sent them under (the case ids a deviation
/// file may name).
pub fn labelled(labels: &[String], queries: &[Query]) -> Vec<(String, Query)> {
    labels
        .iter()
        .cloned()
        .zip(queries.iter().cloned())
        .collect()
}
