//! `cargo xtask simulate --live` end to end over the real protocol, with no AWS: each test
//! starts the local simulator endpoint (`iamcr-simserver`) on a free loopback port and
//! runs the built xtask (with the `live` feature: aws-sdk-iam) against it through
//! `AWS_ENDPOINT_URL`, with the endpoint's test credentials, so that every request is
//! SigV4-signed by the SDK and checked by the endpoint, every answer is AWS-shaped XML the
//! SDK parses, pages are followed, throttling and 5xx faults are retried with back-off,
//! the call budget stops the run, a run killed mid-way resumes from its journal, and the
//! recorded answers replay against the in-process model.
#![cfg(feature = "live")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed step must stop the test at once"
)]

use iamcr_simserver::{Config, Credentials, Faults, Running, Stats, start};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The account the endpoint's `GetCallerIdentity` names; the tests allow-list it.
const ACCOUNT: &str = "210987654321";

/// Calls a second when the test does not need a slow run.
const FAST: &str = "500";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh folder for one test's journal, recordings and (absent) AWS config files.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iamcr-live-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn endpoint(faults: Faults) -> Running {
    let config = Config {
        account: ACCOUNT.into(),
        credentials: Credentials::default(),
        faults,
    };
    start("127.0.0.1:0".parse().unwrap(), config).unwrap()
}

/// The endpoint's usual faults: every 13th IAM call throttled, every 17th a 500, and pages
/// of two results (MaxItems is 1000), so calls span several pages.
fn faulty() -> Faults {
    Faults {
        throttle_every: 13,
        fail_every: 17,
        page_size: Some(2),
    }
}

/// `xtask simulate --live --json` over the corpus (or, with `--count` in `extra`, generated
/// cases) against `url` at `rate` calls a second, with only the environment's AWS settings
/// the test gives.
fn live(url: &str, dir: &Path, account: &str, rate: &str, extra: &[&str]) -> Command {
    let creds = Credentials::default();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.current_dir(root())
        .args(["simulate", "--live", "--json", "--account", account])
        .args(["--rate", rate]);
    if !extra.contains(&"--count") {
        cmd.arg("--cases").arg(root().join("corpus").join("cases"));
    }
    cmd.args(extra)
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_ACCESS_KEY_ID", &creds.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &creds.secret_access_key)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL_IAM")
        .env_remove("AWS_ENDPOINT_URL_STS");
    cmd
}

fn show(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON report ({e}):\n{}", show(out)))
}

fn n(v: &Value, path: &[&str]) -> u64 {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_u64()
        .unwrap_or_else(|| panic!("{path:?} is not a number in {v}"))
}

/// The part of a report about answers (not about how they were obtained).
fn answers(v: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for k in [
        "cases",
        "validation_cases",
        "skipped",
        "probes_skipped",
        "queries",
        "identical",
        "explained",
        "disagreements",
        "refused",
        "failed",
        "not_asked",
        "recorded_files",
    ] {
        out.insert(k.to_string(), v[k].clone());
    }
    Value::Object(out)
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// An uninterrupted run: every answer equals the model's, every fault was met and
/// overcome, the endpoint saw exactly what the report counts.
fn uninterrupted(dir: &Path) -> Value {
    let server = endpoint(faulty());
    let record = dir.join("recorded");
    let out = live(&server.url(), dir, ACCOUNT, FAST, &["--record"])
        .arg(&record)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let r = report(&out);
    let asked = n(&r, &["stats", "distinct"]);
    assert!(asked >= 100, "too few queries to mean anything: {r}");
    assert_eq!(r["disagreements"], Value::Array(vec![]), "{r}");
    assert_eq!(r["refused"], Value::Array(vec![]), "{r}");
    assert_eq!(r["failed"], Value::Array(vec![]), "{r}");
    assert_eq!(n(&r, &["not_asked"]), 0);
    let explained: u64 = r["explained"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(n(&r, &["identical"]) + explained, asked, "{r}");
    // The faults were met and retried, and calls ran over several pages.
    let s = server.stats();
    assert!(Stats::get(&s.throttled) > 0 && Stats::get(&s.failed) > 0);
    assert_eq!(
        n(&r, &["stats", "requests"]),
        Stats::get(&s.iam_calls),
        "{r}"
    );
    assert_eq!(
        n(&r, &["stats", "pages"]),
        Stats::get(&s.simulate_answered),
        "{r}"
    );
    assert!(n(&r, &["stats", "retries"]) >= Stats::get(&s.throttled) + Stats::get(&s.failed));
    assert!(
        n(&r, &["stats", "pages"]) > n(&r, &["stats", "calls_completed"]),
        "{r}"
    );
    assert_eq!(Stats::get(&s.identity_calls), 1);
    assert_eq!(
        Stats::get(&s.unsigned),
        0,
        "every request was signed with the right key"
    );
    // The recorded answers replay against the in-process model.
    assert_eq!(files(&record).len() as u64, n(&r, &["recorded_files"]));
    let conform = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .arg("conform")
        .arg(&record)
        .output()
        .unwrap();
    assert_eq!(conform.status.code(), Some(0), "{}", show(&conform));
    let text = String::from_utf8_lossy(&conform.stdout);
    assert!(text.contains(" passed, 0 failed"), "{text}");
    r
}

/// The journal's entries (its header, `{"iamcr_journal":1}`, and a line cut short by the
/// kill are not entries): each entry's query id.
fn journal_entries(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v.get("q").cloned())
        .collect()
}

#[test]
fn a_run_killed_mid_way_and_resumed_ends_as_an_uninterrupted_one() {
    let dir = temp("resume");
    let whole = uninterrupted(&dir.join("whole"));
    let total = n(&whole, &["stats", "distinct"]) as usize;

    let server = endpoint(faulty());
    let journal = dir.join("journal.jsonl");
    let record = dir.join("recorded");
    // Slow enough (100 requests a second) to be killed part-way.
    let mut child = live(&server.url(), &dir, ACCOUNT, "100", &["--resume"])
        .arg(&journal)
        .arg("--record")
        .arg(&record)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("killed-run.stderr")).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while journal_entries(&journal).len() < total / 4 {
        assert!(Instant::now() < deadline, "the journal did not grow");
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(dir.join("killed-run.stderr")).unwrap_or_default();
            panic!("the run ended ({status}) before it was killed:\n{err}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = journal_entries(&journal).len();
    assert!(before < total, "killed too late: {before} of {total}");

    let out = live(&server.url(), &dir, ACCOUNT, FAST, &["--resume"])
        .arg(&journal)
        .arg("--record")
        .arg(&record)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let resumed = report(&out);
    assert_eq!(answers(&resumed), answers(&whole));
    let from_journal = n(&resumed, &["stats", "from_journal"]) as usize;
    // Every entry the killed run wrote is used, none is asked again.
    assert_eq!(from_journal, before, "{resumed}");
    // Nothing lost or duplicated: one journal line per query.
    let ids = journal_entries(&journal);
    let distinct: std::collections::BTreeSet<String> = ids.iter().map(|q| q.to_string()).collect();
    assert_eq!(distinct.len(), total);
    assert_eq!(ids.len(), total, "a query was journaled twice");
    // The recordings are those of the uninterrupted run, byte for byte.
    assert_eq!(files(&record), files(&dir.join("whole").join("recorded")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_call_budget_stops_the_run_and_resume_finishes_it() {
    let dir = temp("budget");
    let server = endpoint(faulty());
    let journal = dir.join("journal.jsonl");
    let out = live(
        &server.url(),
        &dir,
        ACCOUNT,
        FAST,
        &["--no-probes", "--max-calls", "5", "--resume"],
    )
    .arg(&journal)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", show(&out));
    let r = report(&out);
    assert!(n(&r, &["not_asked"]) > 0, "{r}");
    assert!(n(&r, &["stats", "requests"]) <= 5, "{r}");
    assert_eq!(
        Stats::get(&server.stats().iam_calls),
        n(&r, &["stats", "requests"])
    );
    let out = live(
        &server.url(),
        &dir,
        ACCOUNT,
        FAST,
        &["--no-probes", "--resume"],
    )
    .arg(&journal)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let r = report(&out);
    assert_eq!(n(&r, &["not_asked"]), 0);
    assert!(n(&r, &["stats", "from_journal"]) > 0, "{r}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_account_not_allow_listed_is_refused_before_any_simulation() {
    let dir = temp("allow");
    let server = endpoint(Faults::default());
    let out = live(&server.url(), &dir, "111122223333", FAST, &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not allow-listed") && err.contains("4321"),
        "{err}"
    );
    assert!(
        !err.contains(ACCOUNT),
        "the full account id was printed: {err}"
    );
    assert_eq!(Stats::get(&server.stats().identity_calls), 1);
    assert_eq!(Stats::get(&server.stats().iam_calls), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_secret_fails_the_signature_check_and_nothing_is_simulated() {
    let dir = temp("secret");
    let server = endpoint(Faults::default());
    let out = live(&server.url(), &dir, ACCOUNT, FAST, &[])
        .env("AWS_SECRET_ACCESS_KEY", "not-the-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
    assert!(Stats::get(&server.stats().unsigned) >= 1);
    assert_eq!(Stats::get(&server.stats().iam_calls), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generated_live_cases_are_asked_in_batches_and_agree_with_the_model() {
    let dir = temp("generated");
    let server = endpoint(faulty());
    let record = dir.join("recorded");
    let out = live(
        &server.url(),
        &dir,
        ACCOUNT,
        FAST,
        &["--count", "60", "--seed", "11", "--record"],
    )
    .arg(&record)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let r = report(&out);
    assert_eq!(n(&r, &["cases"]), 60, "{r}");
    let asked = n(&r, &["stats", "distinct"]);
    let skipped: u64 = r["skipped"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(
        skipped <= 6,
        "the live preset should reach the simulator: {r}"
    );
    // Each case with its neighbours, several pairs to a call.
    assert!(asked > 60 * 5, "{r}");
    assert!(n(&r, &["stats", "calls_completed"]) < asked / 5, "{r}");
    assert_eq!(r["disagreements"], Value::Array(vec![]), "{r}");
    assert_eq!(n(&r, &["not_asked"]), 0);
    let explained: u64 = r["explained"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(n(&r, &["identical"]) + explained, asked, "{r}");
    assert_eq!(n(&r, &["recorded_files"]), 60 - skipped);
    assert_eq!(
        n(&r, &["stats", "requests"]),
        Stats::get(&server.stats().iam_calls)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
