//! Nothing checked is not a pass: a command that finds nothing to check says so and exits 2,
//! unless `--allow-empty` asks for a pass.

use super::{TempDir, show, xtask_in};

fn run_in(dir: &TempDir, args: &[&str]) -> std::process::Output {
    xtask_in(dir.path()).args(args).output().unwrap()
}

fn assert_refused(out: &std::process::Output, says: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(2) && stderr.contains(says) && stderr.contains("--allow-empty"),
        "{}",
        show(out)
    );
}

#[test]
fn lint_with_nothing_to_lint_fails_unless_allowed() {
    let dir = TempDir::new("lint-empty");
    std::fs::create_dir_all(dir.path().join("policies")).unwrap();
    std::fs::write(dir.path().join("policies/notes.txt"), "not a policy").unwrap();
    assert_refused(&run_in(&dir, &["lint", "policies"]), "nothing to lint");
    let allowed = run_in(&dir, &["lint", "--allow-empty", "policies"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", show(&allowed));
}

#[test]
fn conform_on_an_empty_folder_fails_unless_allowed() {
    let dir = TempDir::new("conform-empty");
    std::fs::create_dir_all(dir.path().join("cases/sub")).unwrap();
    assert_refused(&run_in(&dir, &["conform", "cases"]), "no case under cases");
    // An empty array is a file without cases: still nothing checked.
    std::fs::write(dir.path().join("cases/sub/none.json"), "[]").unwrap();
    assert_refused(&run_in(&dir, &["conform", "cases"]), "no case under cases");
    let allowed = run_in(&dir, &["conform", "--allow-empty", "cases"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", show(&allowed));
}

#[test]
fn simulate_without_a_corpus_fails_unless_allowed() {
    let dir = TempDir::new("simulate-empty");
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let args = ["simulate", "--count", "5", "--cases", "corpus"];
    assert_refused(&run_in(&dir, &args), "no corpus case under corpus");
    let allowed = run_in(&dir, &[&args[..], &["--allow-empty"]].concat());
    assert_eq!(allowed.status.code(), Some(0), "{}", show(&allowed));
    // A corpus folder that is not there is an error naming it, not an empty corpus.
    let missing = run_in(&dir, &["simulate", "--count", "5", "--cases", "gone"]);
    assert!(
        missing.status.code() == Some(2)
            && String::from_utf8_lossy(&missing.stderr).contains("gone"),
        "{}",
        show(&missing)
    );
}
