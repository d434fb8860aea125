//! `cargo xtask fuzz` in view, against a stand-in for cargo-fuzz (a shell script given as
//! `CARGO`, printing cargo's build lines and libFuzzer's status lines, and stopping on SIGINT
//! with libFuzzer's final statistics): progress lines while it runs, and Ctrl-C forwarded,
//! summed up and reported with status 130. No cargo-fuzz, no nightly, no real fuzzing.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a broken fixture must stop the test at once"
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const FAKE_CARGO_FUZZ: &str = r##"#!/bin/sh
if [ "$1 $2" = "fuzz --version" ]; then echo "cargo-fuzz 0.13.2"; exit 0; fi
echo "   Compiling iamcr-fuzz v0.1.0 (fuzz)" >&2
echo "    Finished \`release\` profile [optimized] target(s) in 0.01s" >&2
echo "INFO: Seed: 1234" >&2
trap 'echo "==42== libFuzzer: run interrupted; exiting" >&2; echo "stat::number_of_executed_units: 4242" >&2; echo "stat::average_exec_per_sec:     2121" >&2; exit 72' INT
n=0
while :; do
  n=$((n+1024))
  echo "#$n	pulse  cov: 77 ft: 88 corp: 9/1Kb lim: 2048 exec/s: 512 rss: 30Mb" >&2
  sleep 0.2
done
"##;

fn fake_cargo() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamcr-fake-cargo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cargo");
    std::fs::write(&path, FAKE_CARGO_FUZZ).unwrap();
    Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    path
}

#[test]
fn progress_lines_while_it_runs_and_a_summary_on_ctrl_c() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(&root)
        .args([
            "fuzz",
            "--target",
            "parse_policy",
            "--time",
            "600",
            "--progress-every",
            "1",
        ])
        .env("CARGO", fake_cargo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    // Two progress lines, then Ctrl-C.
    let mut progress = Vec::new();
    while progress.len() < 2 {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("no progress line in 30 s");
        if line.contains(" runs, ") && line.trim_start().starts_with('[') {
            progress.push(line);
        }
    }
    assert!(
        progress[0].contains("512 exec/s, cov 77, ft 88, corpus 9/1Kb"),
        "{progress:?}"
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let rest: Vec<String> = rx.iter().collect();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{rest:?}\n{stderr}");
    let summary = rest
        .iter()
        .find(|l| l.contains("interrupted after"))
        .expect("no summary");
    // libFuzzer's final statistics, which only exist after the forwarded SIGINT.
    assert!(
        summary.contains("4,242 runs, 2,121 exec/s, cov 77"),
        "{summary}"
    );
    assert!(
        stderr.contains("Compiling iamcr-fuzz"),
        "the build was not shown: {stderr}"
    );
}
