//! Bad files get one wording, `file:line:column: message`, with a real position; the file
//! size bound is the file's, not IAM's policy size rule; loops of symbolic links end.

use super::{TempDir, show, xtask_in};
use std::time::{Duration, Instant};

fn stderr_of(dir: &TempDir, args: &[&str]) -> (Option<i32>, String) {
    let out = xtask_in(dir.path()).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn invalid_utf8_and_empty_files_are_placed_the_same_way_in_cases_and_scenarios() {
    let dir = TempDir::new("files-utf8");
    std::fs::write(dir.path().join("bad.json"), b"{\n  \"id\": \"a\xff\"}").unwrap();
    std::fs::write(dir.path().join("empty.json"), "").unwrap();
    for command in ["conform", "explain", "scenario"] {
        let (code, err) = stderr_of(&dir, &[command, "bad.json"]);
        assert_eq!(code, Some(2), "{command}: {err}");
        assert!(
            err.starts_with("error: bad.json:2:11: the file is not valid UTF-8 (byte 0xFF)"),
            "{command}: {err}"
        );
        let (code, err) = stderr_of(&dir, &[command, "empty.json"]);
        assert_eq!(code, Some(2), "{command}: {err}");
        assert!(
            err.starts_with("error: empty.json:1:1: the file is empty"),
            "{command}: {err}"
        );
    }
}

#[test]
fn a_case_file_larger_than_the_policy_limit_is_read() {
    // 600 KB of cases: above the policy reader's 512 KiB, which is a bound on one policy.
    let dir = TempDir::new("files-large");
    let case = |i: usize| {
        format!(
            r#"{{"id": "large-{i}", "policies": {{}}, "request": {{"principal":
            "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource":
            "arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx"}}, "expect": {{"decision": "implicitDeny"}}}}"#
        )
    };
    let cases: Vec<String> = (0..3000).map(case).collect();
    let text = format!("[{}]", cases.join(",\n"));
    assert!(text.len() > 600_000);
    std::fs::write(dir.path().join("large.json"), text).unwrap();
    let out = xtask_in(dir.path())
        .args(["conform", "large.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("3000 passed, 0 failed"));
}

#[test]
fn a_file_over_the_file_bound_is_refused_with_a_message_about_the_file() {
    let dir = TempDir::new("files-huge");
    let huge = std::fs::File::create(dir.path().join("huge.json")).unwrap();
    huge.set_len(17 * 1024 * 1024).unwrap();
    for command in ["conform", "scenario", "lint"] {
        let (code, err) = stderr_of(&dir, &[command, "huge.json"]);
        assert_eq!(code, Some(2), "{command}: {err}");
        assert!(
            err.contains("huge.json: the file is 17825792 bytes; files are read up to 16777216")
                && !err.contains("policy text is"),
            "{command}: {err}"
        );
    }
}

/// Two links back to their folder's parent: following them would walk 2^40 paths.
#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_an_error_not_an_endless_walk() {
    let dir = TempDir::new("files-loop");
    let sub = dir.path().join("cases/sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::os::unix::fs::symlink("..", sub.join("a")).unwrap();
    std::os::unix::fs::symlink("..", sub.join("b")).unwrap();
    for command in ["conform", "lint"] {
        let started = Instant::now();
        let mut child = xtask_in(dir.path())
            .args([command, "cases"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("{command} still walking the loop after 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.contains("cases/sub/a: symbolic link loop"),
            "{command}: {err}"
        );
    }
}
