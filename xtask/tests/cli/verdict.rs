//! `cargo xtask simulate` leads with its verdict, says what was checked against what (and
//! that offline no simulator was asked), then lists disagreements; tables only with
//! `--verbose`.

use super::{TempDir, show, xtask_in};

const AGREES: &str = r#"{"id": "no-policies", "policies": {},
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx"},
  "expect": {"decision": "implicitDeny"}}"#;

fn simulate(dir: &TempDir, extra: &[&str]) -> (std::process::Output, Vec<String>) {
    let out = xtask_in(dir.path())
        .args(["simulate", "--count", "20", "--cases", "cases"])
        .args(extra)
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    (out, lines)
}

#[test]
fn a_pass_leads_with_the_verdict_and_says_no_simulator_was_asked() {
    let dir = TempDir::new("verdict-pass");
    std::fs::create_dir_all(dir.path().join("cases")).unwrap();
    std::fs::write(dir.path().join("cases/a.json"), AGREES).unwrap();
    let (out, lines) = simulate(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert_eq!(
        lines[0],
        "PASS: no disagreement (offline: no simulator was asked)",
        "{}",
        show(&out)
    );
    let text = lines.join("\n");
    assert!(text.contains("1 cases in cases, each against the answer its file expects: 1 agree"));
    assert!(text.contains("20 generated cleanrooms cases (seed 2026), each through"));
    assert!(
        text.contains("`--live` asks AWS's IAM policy simulator"),
        "{text}"
    );
    // The details wait for --verbose: the report fits on a screen.
    assert!(lines.len() <= 10, "{text}");
    assert!(!text.contains("coverage over"), "{text}");
    let (verbose, _) = simulate(&dir, &["--verbose"]);
    assert!(String::from_utf8_lossy(&verbose.stdout).contains("coverage over 20 cases"));
}

#[test]
fn a_failure_leads_with_the_verdict_then_lists_the_disagreement() {
    let dir = TempDir::new("verdict-fail");
    std::fs::create_dir_all(dir.path().join("cases")).unwrap();
    let wrong = AGREES.replace(r#""implicitDeny""#, r#""allowed""#);
    std::fs::write(dir.path().join("cases/a.json"), wrong).unwrap();
    let (out, lines) = simulate(&dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        lines[0].starts_with("FAIL: 1 disagreement") && lines[0].contains("no simulator was asked"),
        "{}",
        show(&out)
    );
    let text = lines.join("\n");
    assert!(text.contains("each against the answer its file expects: 0 agree, 1 disagree"));
    let listed = lines
        .iter()
        .position(|l| l.starts_with("DISAGREE no-policies"));
    let checked = lines.iter().position(|l| l.starts_with("checked:"));
    assert!(listed > checked && checked.is_some(), "{text}");
}
