//! Every checked-in conformance case (`corpus/cases`) passes through the model: validation
//! cases through the validator, evaluation cases through the evaluator (with the fast and
//! traced paths compared). This is `cargo xtask conform corpus/cases` as a test, so that a
//! change that breaks a documented behaviour fails `cargo test`.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code"
)]

use iamcr::{Status, Summary, load_all, run_all};
use std::path::PathBuf;

#[test]
fn every_corpus_case_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/cases");
    let cases = load_all(&[root]).unwrap_or_else(|e| panic!("corpus does not load: {e}"));
    assert!(
        cases.len() > 1000,
        "the corpus shrank to {} cases",
        cases.len()
    );
    let results = run_all(&cases);
    let failures: Vec<String> = results
        .iter()
        .filter(|r| r.status != Status::Pass)
        .map(|r| {
            format!(
                "{} ({}:{}): {}",
                r.id,
                r.file.display(),
                r.line,
                r.reason.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases did not pass:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
    let s = Summary::of(&results);
    assert_eq!(s.passed, cases.len());
}

#[test]
fn case_ids_are_unique() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/cases");
    let cases = load_all(&[root]).unwrap();
    let mut seen = std::collections::HashMap::new();
    for c in &cases {
        if let Some(prev) = seen.insert(c.case.id().to_string(), c.file.clone()) {
            panic!(
                "case id {} is in {} and {}",
                c.case.id(),
                prev.display(),
                c.file.display()
            );
        }
    }
}

/// conform asks the model once per evaluation case: the differential engine's reference
/// side is the explained model, and each case's result reuses its explanation (it compiled
/// every case twice: once for the verdict, once for the explanation).
#[test]
fn conform_compiles_each_evaluation_case_once() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/cases");
    let cases = load_all(&[root]).unwrap();
    let evaluations = cases
        .iter()
        .filter(|c| matches!(c.case, iamcr::Case::Evaluation(_)))
        .count();
    let before = iamcr_eval::compilations_on_this_thread();
    let results = run_all(&cases);
    let compiled = iamcr_eval::compilations_on_this_thread() - before;
    eprintln!("{evaluations} evaluation cases, {compiled} policy sets compiled");
    assert_eq!(results.len(), cases.len());
    assert!(evaluations > 800, "{evaluations} evaluation cases");
    assert!(
        compiled <= evaluations as u64,
        "{compiled} compilations for {evaluations} evaluation cases"
    );
}
