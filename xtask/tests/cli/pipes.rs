//! A reader that stops reading (`cargo xtask lint … | head -1`) is a normal end: exit 0,
//! no panic (Rust ignores SIGPIPE, so `println!` used to panic with exit status 101).

use super::{TempDir, root, show, xtask_in};
use std::process::Stdio;

/// Run `args` from the root with stdout (and, with `close_stderr`, stderr too) a pipe whose
/// reading end is already closed, so that the very first write fails with EPIPE.
fn into_closed_pipe(args: &[&str], close_stderr: bool) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = xtask_in(&root());
    cmd.args(args).stdin(Stdio::null());
    if close_stderr {
        cmd.stderr(writer.try_clone().unwrap());
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(writer);
    let child = cmd.spawn().unwrap();
    // The parent's copies of the writing end were moved into `cmd`; drop it so that only the
    // child holds the pipe.
    drop(cmd);
    child.wait_with_output().unwrap()
}

fn assert_quiet_end(args: &[&str]) {
    let out = into_closed_pipe(args, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(0) && !stderr.contains("panicked"),
        "xtask {}: {}",
        args.join(" "),
        show(&out)
    );
}

#[test]
fn lint_into_a_closed_pipe_ends_quietly() {
    assert_quiet_end(&["lint", "corpus/cases/validation"]);
    assert_quiet_end(&["lint", "--json", "corpus/cases/validation"]);
}

#[test]
fn conform_into_a_closed_pipe_ends_quietly() {
    assert_quiet_end(&["conform", "corpus/cases/validation"]);
    assert_quiet_end(&["conform", "--json", "corpus/cases/validation"]);
}

#[test]
fn explain_scenario_and_help_into_a_closed_pipe_end_quietly() {
    assert_quiet_end(&["explain", "corpus/cases/eval/docs-evaluation.json"]);
    assert_quiet_end(&[
        "explain",
        "--json",
        "corpus/cases/eval/docs-evaluation.json",
    ]);
    assert_quiet_end(&[
        "scenario",
        "corpus/scenarios/confused-deputy-member-allowed.json",
    ]);
    assert_quiet_end(&["--help"]);
}

#[test]
fn simulate_into_a_closed_pipe_ends_quietly() {
    assert_quiet_end(&["simulate", "--count", "20"]);
    assert_quiet_end(&["simulate", "--count", "20", "--json"]);
}

#[test]
fn gen_into_a_closed_pipe_writes_its_files_and_ends_quietly() {
    let dir = TempDir::new("gen-pipe");
    let out_dir = dir.path().join("cases");
    assert_quiet_end(&["gen", "--count", "3", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 3);
}

#[test]
fn a_closed_stderr_does_not_panic_either() {
    // Both streams closed: the error cannot be shown, but the status still says what happened
    // (2: the file cannot be read), not 101 (a panic while printing the error).
    let out = into_closed_pipe(&["conform", "no-such-folder"], true);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
}
