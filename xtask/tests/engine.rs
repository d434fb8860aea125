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

fn xtask(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!(
        "status {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn misbehave(mode: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let script = root.join("crates/oracle/tests/engines/misbehave.py");
    format!(
        "python3 {} {mode}",
        shlex_quote(&script.display().to_string())
    )
}

#[test]
fn conform_with_the_model_as_engine_agrees_on_every_evaluation_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cases = root.join("corpus/cases");
    let out = xtask(&[
        "conform",
        "--engine",
        &xtask_engine(),
        "--json",
        cases.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .to_string();
    let summary: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert!(
        summary["summary"]["agreed"].as_u64().unwrap() > 800,
        "{last}"
    );
    assert_eq!(summary["summary"]["disagreed"], 0, "{last}");
}

#[test]
fn conform_counts_documented_deviations_and_skips_by_capability() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let file = root.join("corpus/cases/eval/docs-evaluation.json");
    let dir = std::env::temp_dir().join(format!("iamcr-engine-dev-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deviations = dir.join("deviations.toml");
    // The fake engine answers implicitDeny to everything: every case expecting `allowed`
    // is a disagreement, here documented as a deviation.
    std::fs::write(
        &deviations,
        r#"engine = "misbehave-ok"
[[deviation]]
id = "never-allows"
summary = "answers implicitDeny to everything"
supported = "model"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
signatures = ["decision allowed->implicitDeny | *"]
"#,
    )
    .unwrap();
    let out = xtask(&[
        "conform",
        "--engine",
        &misbehave("ok"),
        "--deviations",
        deviations.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("(deviation never-allows)"),
        "{}",
        text(&out)
    );
    let skips = stdout
        .lines()
        .find(|l| l.starts_with("skipped by reason: "))
        .unwrap_or_default();
    assert!(skips.contains("principal "), "{}", text(&out));
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("engine misbehave-ok 0: "), "{last}");
    // Cases expecting explicitDeny are still disagreements.
    assert!(stdout.contains("DISAGREE "), "{}", text(&out));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn simulate_against_an_engine_shrinks_and_groups_disagreements_into_findings() {
    let dir = std::env::temp_dir().join(format!("iamcr-engine-findings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = xtask(&[
        "simulate",
        "--engine",
        &misbehave("ok"),
        "--count",
        "300",
        "--preset",
        "well-formed",
        "--json",
        "--findings",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = report["groups"].as_array().unwrap();
    assert!(!groups.is_empty(), "{report}");
    let disagreed = report["summary"]["disagreed"].as_u64().unwrap();
    let grouped: u64 = groups.iter().map(|g| g["cases"].as_u64().unwrap()).sum();
    assert_eq!(grouped, disagreed);
    // Every finding is a case file the harness reads, minimal, naming both answers.
    let found = iamcr::load_all(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(found.len(), groups.len());
    for f in &found {
        let Case::Evaluation(e) = &f.case else {
            panic!("not an evaluation case")
        };
        let description = e.description.as_deref().unwrap();
        assert!(
            description.contains("engine answered implicitDeny"),
            "{description}"
        );
        assert!(
            description.contains("The model's explanation"),
            "{description}"
        );
        assert_ne!(e.expect.decision.as_str(), "implicitDeny");
        let statements: usize = e
            .policies
            .identity
            .iter()
            .map(|d| d.text.matches("\"Effect\"").count())
            .sum();
        assert_eq!(statements, 1, "not minimal: {}", f.file.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn simulate_with_the_model_as_engine_agrees() {
    let out = xtask(&[
        "simulate",
        "--engine",
        &xtask_engine(),
        "--count",
        "500",
        "--findings",
        "/nonexistent-never-written",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("500 agreed, 0 deviated, 0 skipped, 0 disagreed"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_deviation_file_names_only_open_questions_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let file = root.join("corpus/cases/eval/docs-evaluation.json");
    let dir = std::env::temp_dir().join(format!("iamcr-engine-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let deviations = dir.join("deviations.toml");
    let entry = |question: &str| {
        format!(
            r#"engine = "misbehave-ok"
[[deviation]]
id = "never-allows"
summary = "answers implicitDeny to everything"
supported = "open-question"
question = "{question}"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
signatures = ["decision allowed->implicitDeny | *"]
"#
        )
    };
    let run = || {
        xtask(&[
            "conform",
            "--engine",
            &misbehave("ok"),
            "--deviations",
            deviations.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
    };
    std::fs::write(&deviations, entry("no-such-question")).unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("\"no-such-question\"") && text(&out).contains("does not exist"),
        "{}",
        text(&out)
    );
    // An existing question is taken: its cases count as covered, not as disagreements.
    std::fs::write(&deviations, entry("binaryequals-padding")).unwrap();
    let out = run();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(deviation never-allows)"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_agreement_table_lists_untriaged_groups_and_fails() {
    let out = xtask(&[
        "engines",
        "table",
        "--count",
        "300",
        "--engine",
        &format!("misbehave-ok={}", misbehave("ok")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("**UNTRIAGED**"), "{}", text(&out));
    assert!(
        stdout.contains("| misbehave-ok | corpus | "),
        "{}",
        text(&out)
    );
    // Every group is listed, each a row of its own with its signature.
    assert!(
        stdout
            .lines()
            .filter(|l| l.starts_with("| misbehave-ok | ") && l.contains("`decision "))
            .count()
            >= 2,
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("disagreement groups are untriaged"),
        "{}",
        text(&out)
    );
}
