//! Replays the simulator's recorded answers (`corpus/simulator/`) through the model: every
//! disagreement must be a known, documented simulator deviation
//! (`docs/simulator-deviations.md`); anything else fails, naming the case. Also checks that
//! recordings keep their provenance and name no account id in it.
// Helpers outside #[test] functions too: a broken fixture must stop the test at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use iamcr::case::Case;
use iamcr::oracle_case::{answer_from_expect, query};
use iamcr_oracle::{ModelOracle, compare};
use std::path::PathBuf;

fn recorded() -> Vec<iamcr::LoadedCase> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/simulator");
    if !dir.exists() {
        return Vec::new();
    }
    match iamcr::load_all(&[dir]) {
        Ok(cases) => cases,
        Err(e) => panic!("corpus/simulator does not load: {e}"),
    }
}

#[test]
fn recorded_simulator_answers_agree_with_the_model_up_to_known_deviations() {
    let cases = recorded();
    let mut failures = Vec::new();
    let mut explained = 0;
    for c in &cases {
        let Case::Evaluation(e) = &c.case else {
            continue;
        };
        let q = query(e);
        let model = match ModelOracle.answer_one(&q) {
            Ok(a) => a,
            Err(err) => {
                failures.push(format!(
                    "{} ({}:{}): the model cannot answer: {err}",
                    e.id,
                    c.file.display(),
                    c.line
                ));
                continue;
            }
        };
        let simulator = answer_from_expect(e, &q);
        let comparison = compare(&q, &model, &simulator);
        explained += comparison
            .findings
            .iter()
            .filter(|f| f.deviation.is_some())
            .count();
        for d in comparison.unexplained() {
            failures.push(format!("{} ({}:{}): {d}", e.id, c.file.display(), c.line));
        }
    }
    eprintln!(
        "replayed {} recorded cases; {explained} differences are known deviations",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "disagreements that are no known deviation:\n{}",
        failures.join("\n")
    );
}

#[test]
fn recordings_carry_provenance_without_account_ids() {
    for c in recorded() {
        let Case::Evaluation(e) = &c.case else {
            continue;
        };
        let source = e.source.as_deref().unwrap_or_default();
        assert!(
            source.starts_with("simulator ") || source.starts_with("AWS documentation example"),
            "{}: source {source:?} names no provenance",
            e.id
        );
        let digits_run = source
            .split(|ch: char| !ch.is_ascii_digit())
            .any(|run| run.len() == 12);
        assert!(
            !digits_run,
            "{}: source {source:?} names an account id",
            e.id
        );
    }
}
