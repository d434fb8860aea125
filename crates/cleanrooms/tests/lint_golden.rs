//! Golden tests of the linter over every policy of `corpus/policies/`: the rendered findings
//! must equal `tests/snapshots/lint/<name>.txt` (run with `UPDATE_SNAPSHOTS=1` to rewrite
//! them, then review the diff by hand), and every defect `index.json` lists must be reported
//! at its position.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions read fixed corpus files; failing loudly is the point."
)]

use iamcr_cleanrooms::lint::{Counts, Finding, Severity, lint};
use iamcr_policy::PolicyKind;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/policies")
}

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/lint")
}

/// One index.json entry: name, file, the kind to lint as, and the raw entry.
struct Entry {
    name: String,
    file: String,
    kind: PolicyKind,
    raw: serde_json::Value,
}

fn entries() -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus().join("index.json")).unwrap();
    let index: serde_json::Value = serde_json::from_str(&text).unwrap();
    index
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let kind = match e["kind"].as_str().unwrap() {
                // A bare element is no policy kind; identity is the default of the CLI.
                "element" => PolicyKind::Identity,
                k => k.parse().unwrap(),
            };
            Entry {
                name: e["name"].as_str().unwrap().to_string(),
                file: e["file"].as_str().unwrap().to_string(),
                kind,
                raw: e.clone(),
            }
        })
        .collect()
}

fn findings(e: &Entry) -> Vec<Finding> {
    let text = std::fs::read_to_string(corpus().join(&e.file)).unwrap();
    lint(&text, e.kind, Some(Path::new(&e.file)))
}

fn render(e: &Entry, findings: &[Finding]) -> String {
    let mut out = format!("# {} linted as {}\n", e.name, e.kind);
    for f in findings {
        out.push_str(&f.to_string());
        out.push('\n');
    }
    out.push_str(&format!("# {}\n", Counts::of(findings)));
    out
}

#[test]
fn findings_match_the_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for e in entries() {
        let got = render(&e, &findings(&e));
        let path = snapshots().join(format!("{}.txt", e.name));
        if update {
            std::fs::create_dir_all(snapshots()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: differs from {}\n--- snapshot\n{want}--- now\n{got}",
                e.name,
                path.display()
            )),
            Err(_) => failures.push(format!("{}: no snapshot at {}", e.name, path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(run with UPDATE_SNAPSHOTS=1 to accept, then review the diff)",
        failures.join("\n")
    );
}

#[test]
fn no_stale_snapshots() {
    let names: Vec<String> = entries()
        .iter()
        .map(|e| format!("{}.txt", e.name))
        .collect();
    for f in std::fs::read_dir(snapshots()).unwrap() {
        let name = f.unwrap().file_name().to_string_lossy().to_string();
        assert!(names.contains(&name), "snapshot {name} has no index entry");
    }
}

/// The codes that can report a defect category of `index.json`.
fn codes_for(category: &str) -> &'static [&'static str] {
    match category {
        "syntax" => &["json-trailing-comma", "json-comment", "json-syntax"],
        "fragment" => &["json-syntax", "not-an-object"],
        "arn" => &["invalid-resource", "malformed-arn-value"],
        "typo" => &["malformed-arn-value"],
        "sid" => &["sid-charset"],
        other => panic!("unknown defect category {other}"),
    }
}

#[test]
fn every_listed_defect_is_reported_at_its_position() {
    let mut checked = 0;
    for e in entries() {
        let found = findings(&e);
        for d in e.raw["defect_details"].as_array().unwrap() {
            let (line, column) = (
                d["line"].as_u64().unwrap() as u32,
                d["column"].as_u64().unwrap() as u32,
            );
            let category = d["category"].as_str().unwrap();
            let hit = found.iter().find(|f| {
                f.line == line && f.column == column && codes_for(category).contains(&f.code)
            });
            assert!(
                hit.is_some(),
                "{}: defect {category} {:?} at {line}:{column} not reported; findings:\n{}",
                e.name,
                d["text"],
                found
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            checked += 1;
        }
    }
    // The 20 seed entries list 18 defects between them (index.json).
    assert!(checked >= 18, "only {checked} defects checked");
}

#[test]
fn managed_policies_have_no_errors_or_warnings() {
    for e in entries().iter().filter(|e| e.name.starts_with("managed-")) {
        let bad: Vec<String> = findings(e)
            .iter()
            .filter(|f| f.severity != Severity::Suggestion)
            .map(|f| f.to_string())
            .collect();
        assert!(bad.is_empty(), "{}:\n{}", e.name, bad.join("\n"));
    }
}
