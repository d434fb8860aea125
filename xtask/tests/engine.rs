//! The engine protocol end to end: every evaluation case of the corpus through
//! `cargo xtask engine` (the built binary, over pipes) gets the answer the model gives in
//! process: the same decision, matched statements and missing context keys.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code"
)]

use iamcr::case::Case;
use iamcr_oracle::engine::EngineOracle;
use iamcr_oracle::{Answer, ModelOracle, Query};
use std::path::Path;
use std::time::Duration;

fn xtask_engine() -> String {
    let exe = env!("CARGO_BIN_EXE_xtask");
    format!("{} engine", shlex_quote(exe))
}

fn shlex_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// What is compared: the decision, and the explanations as sets (order is not meaningful).
fn comparable(a: &Answer) -> (String, Vec<String>, Vec<String>) {
    let mut matched: Vec<String> = a
        .matched
        .iter()
        .flatten()
        .map(|m| format!("{:?}#{:?}#{:?}", m.slot, m.statement, m.sid))
        .collect();
    matched.sort();
    let mut missing: Vec<String> = a.missing_context.clone().unwrap_or_default();
    missing.sort();
    (a.decision.as_str().to_string(), matched, missing)
}

#[test]
fn the_corpus_over_the_protocol_answers_as_in_process() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cases = iamcr::load_all(&[root.join("corpus/cases"), root.join("corpus/simulator")])
        .expect("corpus loads");
    let items: Vec<(String, Query)> = cases
        .iter()
        .filter_map(|c| match &c.case {
            Case::Evaluation(e) => Some((e.id.clone(), Query::from_case(e))),
            Case::Validation(_) => None,
        })
        .collect();
    assert!(items.len() > 800, "only {} evaluation cases", items.len());
    let mut engine = EngineOracle::start(&xtask_engine(), Duration::from_secs(30)).unwrap();
    assert_eq!(engine.handshake().unwrap().engine.name, "iamcr-model");
    let over_pipes = engine.answer_cases(&items);
    assert_eq!(over_pipes.len(), items.len());
    let mut differ = Vec::new();
    for ((id, q), remote) in items.iter().zip(&over_pipes) {
        let local = ModelOracle.answer_one(q);
        let same = match (&local, remote) {
            (Ok(l), Ok(r)) => comparable(l) == comparable(r),
            (Err(l), Err(r)) => r.message.contains(&l.message),
            _ => false,
        };
        if !same {
            differ.push(format!(
                "{id}: in process {local:?}, over the protocol {remote:?}"
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    // The comparison above is not vacuous: answers carry explanations.
    let explained = over_pipes
        .iter()
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|a| a.matched.as_ref().is_some_and(|m| !m.is_empty()))
        })
        .count();
    assert!(
        explained > 100,
        "only {explained} answers name a matched statement"
    );
}
