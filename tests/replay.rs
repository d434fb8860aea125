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
use iamcr::written::{Written, check};
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
    let report = check(&cases, Written::SimulatorAnswers);
    let evaluations: Vec<&iamcr::LoadedCase> = cases
        .iter()
        .filter(|c| matches!(c.case, Case::Evaluation(_)))
        .collect();
    assert_eq!(report.queries, evaluations.len());
    let name = |i: usize| {
        let c = evaluations[i];
        format!("{} ({}:{})", c.case.id(), c.file.display(), c.line)
    };
    let mut failures: Vec<String> = report
        .disagreements
        .iter()
        .flat_map(|d| {
            d.differences
                .iter()
                .map(move |x| format!("{}: {}", name(d.index), x.describe("simulator")))
        })
        .collect();
    failures.extend(
        report
            .failures
            .iter()
            .map(|f| format!("{}: {:?} cannot answer: {}", name(f.index), f.side, f.error)),
    );
    eprintln!(
        "replayed {} recorded cases: {} identical, {} up to known deviations {:?}",
        report.queries,
        report.agreements,
        report.explained_queries(),
        report.explained
    );
    assert!(
        failures.is_empty(),
        "disagreements that are no known deviation:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        report.compared(),
        report.queries,
        "every recording is compared"
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
