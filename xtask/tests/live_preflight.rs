//! `cargo xtask simulate --live` checks everything that needs no AWS SDK in the offline
//! binary, before it starts the minutes-long build of the SDK: the allow-list, the flags,
//! the journal, the record folder, the cases. Each refusal is one sentence and exit status
//! 2; a run that passes every check reaches the build step, which these tests stop with
//! `IAMCR_LIVE_REEXEC` (so that no test ever builds the SDK). Also: `gen`'s files under the
//! one rule for writers (`xtask/src/keep.rs`).
#![cfg(not(feature = "live"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a broken fixture must stop the test at once"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("iamcr-xtask-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run `xtask simulate --live ARGS` from the workspace root, never past the build step.
fn live(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["simulate", "--live"])
        .args(args)
        .env("IAMCR_LIVE_REEXEC", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const CASES: &str = "corpus/cases/eval/cleanrooms-cross-account.json";

#[track_caller]
fn refused(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(
        !err.contains("building it now"),
        "started the SDK build: {err}"
    );
}

#[test]
fn everything_checkable_without_the_sdk_passes_before_the_build() {
    let o = live(&["--account", "123456789012", "--cases", CASES]);
    let err = stderr(&o);
    assert!(err.contains("checked: 1 allow-listed account(s);"), "{err}");
    assert!(err.contains("queries to ask"), "{err}");
    assert!(err.contains("still lacks its `live` feature"), "{err}");
}

#[test]
fn no_allow_listed_account_is_refused_before_the_build() {
    refused(&live(&["--cases", CASES]), "no account is allow-listed");
    refused(
        &live(&["--account", "1234", "--cases", CASES]),
        "is not an AWS account ID",
    );
}

#[test]
fn rates_that_would_remove_the_limit_are_refused() {
    for rate in ["--rate=0", "--rate=NaN", "--rate=inf", "--rate=-1"] {
        let o = live(&["--account", "123456789012", rate]);
        refused(&o, "is not a rate");
    }
}

#[test]
fn generated_live_runs_need_count_and_no_case_files() {
    let a = "123456789012";
    refused(
        &live(&["--account", a, "--seed", "3"]),
        "give --count N too",
    );
    refused(
        &live(&["--account", a, "--preset", "well-formed"]),
        "give --count N too",
    );
    refused(
        &live(&["--account", a, "--count", "5", "--cases", CASES]),
        "give one",
    );
    refused(
        &live(&["--account", a, "--count", "0"]),
        "nothing to answer",
    );
    let o = live(&["--account", a, "--count", "50", "--seed", "3"]);
    let err = stderr(&o);
    assert!(
        err.contains("checked: 1 allow-listed account(s); 50 evaluation cases"),
        "{err}"
    );
    assert!(err.contains("still lacks its `live` feature"), "{err}");
}

#[test]
fn a_dry_run_prints_the_plan_without_allow_list_credentials_or_sdk() {
    use iamcr::campaign::{self, Settings};
    let settings = Settings {
        count: 200,
        seed: 9,
        preset: iamcr_gen::Preset::Live,
        shard: campaign::Shard::default(),
    };
    let o = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["simulate", "--live", "--dry-run", "--json", "--no-probes"])
        .args(["--count", "200", "--seed", "9", "--max-calls", "20"])
        .env("IAMCR_LIVE_REEXEC", "1")
        .env("AWS_ACCESS_KEY_ID", "")
        .env("AWS_SECRET_ACCESS_KEY", "")
        .env("AWS_ENDPOINT_URL", "http://192.0.2.1:9")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("building"), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The skips, counted here case by case from the same generated stream.
    let caps = iamcr_oracle::Capabilities::simulator();
    let generator = iamcr_gen::Generator::preset(settings.preset).unwrap();
    let mut skipped = std::collections::BTreeMap::<String, u64>::new();
    for (i, case) in iamcr_gen::SeededCases::new(generator, settings.seed)
        .take(settings.count)
        .enumerate()
    {
        let file = campaign::case_file(settings, i, &case, &case.evaluate().unwrap());
        if let Err(u) = campaign::simulator_check(&caps, &file) {
            *skipped.entry(u.limitation.name().to_string()).or_default() += 1;
        }
    }
    let n = |k: &str| plan[k].as_u64().unwrap_or_else(|| panic!("{k} in {plan}"));
    assert_eq!(n("cases"), 200);
    assert_eq!(plan["skipped"], serde_json::json!(skipped), "{plan}");
    let total_skipped: u64 = skipped.values().sum();
    assert_eq!(n("queries"), 200 - total_skipped, "{plan}");
    assert!(
        n("calls") >= 1 && n("pairs") <= n("distinct_queries"),
        "{plan}"
    );
    assert!(n("pairs") >= n("calls"), "{plan}");
    assert_eq!(n("requests_at_least"), n("calls"));
    assert_eq!(n("max_calls"), 20);
    let per_call = plan["pairs_per_call"].as_f64().unwrap();
    assert!((per_call - n("pairs") as f64 / n("calls") as f64).abs() < 1e-9);
    // The text form says the same.
    let text = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["simulate", "--live", "--dry-run", "--no-probes"])
        .args(["--count", "200", "--seed", "9", "--max-calls", "20"])
        .env("IAMCR_LIVE_REEXEC", "1")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("plan (dry run"), "{out}");
    assert!(
        out.contains(&format!("in {} SimulateCustomPolicy calls", n("calls"))),
        "{out}"
    );
    assert!(out.contains("--max-calls 20 stops the run"), "{out}");
}

#[test]
fn resume_refuses_a_file_that_is_not_a_journal_and_leaves_it_alone() {
    let d = scratch("resume");
    let policy = d.join("policy.json");
    let text = "{\"Version\":\"2012-10-17\",\"Statement\":[]}\n";
    std::fs::write(&policy, text).unwrap();
    let o = live(&[
        "--account",
        "123456789012",
        "--cases",
        CASES,
        "--resume",
        policy.to_str().unwrap(),
    ]);
    refused(&o, "is not a journal");
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), text);
    // A file that does not exist yet is a new journal; the check creates nothing.
    let fresh = d.join("new.jsonl");
    let o = live(&[
        "--account",
        "123456789012",
        "--cases",
        CASES,
        "--resume",
        fresh.to_str().unwrap(),
    ]);
    assert!(stderr(&o).contains("still lacks"), "{}", stderr(&o));
    assert!(!fresh.exists());
}

#[test]
fn record_refuses_to_replace_a_recording_unless_forced() {
    let d = scratch("record");
    let mine = d.join("cleanrooms-cross-account-cam-resource-allowed.json");
    std::fs::write(&mine, "[]\n").unwrap();
    let dir = d.to_str().unwrap();
    let o = live(&[
        "--account",
        "123456789012",
        "--cases",
        CASES,
        "--record",
        dir,
    ]);
    refused(&o, "refusing to replace");
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = live(&[
        "--account",
        "123456789012",
        "--cases",
        CASES,
        "--record",
        dir,
        "--force",
    ]);
    assert!(stderr(&o).contains("still lacks"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "[]\n");
}

fn generate(out: &Path, force: bool) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xtask"));
    c.current_dir(root())
        .args(["gen", "--count", "3", "--seed", "7", "--out"])
        .arg(out);
    if force {
        c.arg("--force");
    }
    c.output().unwrap()
}

#[test]
fn gen_rewrites_nothing_it_wrote_and_replaces_other_content_only_when_forced() {
    let d = scratch("gen");
    let first = generate(&d, false);
    assert!(first.status.success(), "{}", stderr(&first));
    // The same seed again: the same bytes, nothing to refuse.
    let again = generate(&d, false);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new, 3 unchanged"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    std::fs::write(&files[1], "my edit\n").unwrap();
    let refused = generate(&d, false);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("refusing to replace"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(&files[1]).unwrap(), "my edit\n");
    let forced = generate(&d, true);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_ne!(std::fs::read_to_string(&files[1]).unwrap(), "my edit\n");
}

/// Past the checks, xtask builds itself with the SDK (a dev-profile build, whatever profile
/// runs it: the README's alias runs a release xtask) and runs the binary cargo names, with the
/// same arguments. A stand-in cargo records its arguments and names a stand-in xtask.
#[cfg(unix)]
#[test]
fn the_sdk_build_runs_the_binary_cargo_names() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("reexec");
    let log = dir.join("cargo.log");
    let built = dir.join("built-xtask");
    let script = |path: &Path, body: String| {
        std::fs::write(path, body).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(
        &built,
        "#!/bin/sh\necho \"built xtask ran: IAMCR_LIVE_REEXEC=$IAMCR_LIVE_REEXEC $*\"\nexit 7\n"
            .into(),
    );
    let artifact = format!(
        r#"{{"reason":"compiler-artifact","target":{{"kind":["bin"],"name":"xtask"}},"executable":"{}"}}"#,
        built.display()
    );
    script(
        &dir.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$*\" > '{}'\necho 'Compiling aws-sdk-iam' >&2\necho '{artifact}'\n",
            log.display()
        ),
    );
    let o = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args([
            "simulate",
            "--live",
            "--account",
            "123456789012",
            "--cases",
            CASES,
        ])
        .env("CARGO", dir.join("cargo"))
        .env_remove("IAMCR_LIVE_REEXEC")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(7), "{out}{}", stderr(&o));
    assert_eq!(
        out.trim(),
        format!(
            "built xtask ran: IAMCR_LIVE_REEXEC=1 simulate --live --account 123456789012 --cases {CASES}"
        )
    );
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(args.contains("build --manifest-path"), "{args}");
    assert!(args.contains("-p xtask --features live"), "{args}");
    assert!(!args.contains("--release"), "{args}");
    assert!(
        stderr(&o).contains("Compiling aws-sdk-iam"),
        "{}",
        stderr(&o)
    );
}
