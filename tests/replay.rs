//! Replays the simulator's recorded answers (`corpus/simulator/`) through the model: every
//! disagreement must be a known, documented simulator deviation
//! (`docs/simulator-deviations.md`); anything else fails, naming the case. Also checks that
//! recordings keep their provenance and name no account id in it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a broken fixture must stop the test at once."
)]

use iamcr::case::Case;
use iamcr::oracle_case::{answer_from_expect, query};
use iamcr_oracle::{ModelOracle, compare};
use std::path::PathBuf;

/// The recorded evaluation cases. A missing folder or one without evaluation cases fails:
/// a replay of nothing would pass without checking anything.
fn recorded() -> Vec<iamcr::LoadedCase> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/simulator");
    recorded_in(&dir).unwrap_or_else(|e| panic!("{e}"))
}

fn recorded_in(dir: &std::path::Path) -> Result<Vec<iamcr::LoadedCase>, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a folder of recordings", dir.display()));
    }
    let cases = iamcr::load_all(&[dir.to_path_buf()])
        .map_err(|e| format!("{} does not load: {e}", dir.display()))?;
    let evaluations = cases
        .iter()
        .filter(|c| matches!(c.case, Case::Evaluation(_)))
        .count();
    if evaluations == 0 {
        return Err(format!(
            "{} holds no recorded evaluation case: nothing would be replayed",
            dir.display()
        ));
    }
    Ok(cases)
}

#[test]
fn an_empty_or_missing_recording_folder_fails_the_replay() {
    let empty = std::env::temp_dir().join(format!("iamcr-replay-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let err = recorded_in(&empty).unwrap_err();
    assert!(err.contains("no recorded evaluation case"), "{err}");
    std::fs::remove_dir(&empty).unwrap();
    let err = recorded_in(&empty).unwrap_err();
    assert!(err.contains("not a folder"), "{err}");
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
