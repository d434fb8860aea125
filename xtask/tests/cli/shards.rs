//! `cargo xtask simulate --shard K/N --json` on N "machines", then `cargo xtask merge`: the
//! merged report counts every case of the stream once, and a missing or repeated shard is
//! an error, not a smaller pass.

use super::{TempDir, show, xtask_in};

const AGREES: &str = r#"{"id": "no-policies", "policies": {},
  "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
              "resource": "arn:aws:s3:::amzn-s3-demo-bucket/budget.xlsx"},
  "expect": {"decision": "implicitDeny"}}"#;

/// Run shard `k` of `n` of 30 cases; its `--json` report goes to `shard-k.json`.
fn shard(dir: &TempDir, k: usize, n: usize) {
    let out = xtask_in(dir.path())
        .args(["simulate", "--count", "30", "--cases", "cases", "--json"])
        .args(["--shard", &format!("{k}/{n}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    std::fs::write(dir.path().join(format!("shard-{k}.json")), &out.stdout).unwrap();
}

fn merge(dir: &TempDir, files: &[&str]) -> std::process::Output {
    xtask_in(dir.path())
        .arg("merge")
        .args(files)
        .output()
        .unwrap()
}

#[test]
fn merged_shards_count_every_case_once_and_a_missing_shard_fails() {
    let dir = TempDir::new("shards");
    std::fs::create_dir_all(dir.path().join("cases")).unwrap();
    std::fs::write(dir.path().join("cases/a.json"), AGREES).unwrap();
    for k in 1..=3 {
        shard(&dir, k, 3);
    }
    let out = merge(&dir, &["shard-1.json", "shard-2.json", "shard-3.json"]);
    assert!(out.status.success(), "{}", show(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("PASS"), "{text}");
    assert!(
        text.contains("30 of 30 generated cleanrooms cases"),
        "{text}"
    );

    let missing = merge(&dir, &["shard-1.json", "shard-3.json"]);
    assert_eq!(missing.status.code(), Some(2), "{}", show(&missing));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("shard 2/3 missing"),
        "{}",
        show(&missing)
    );
    let twice = merge(&dir, &["shard-1.json", "shard-1.json", "shard-2.json"]);
    assert_eq!(twice.status.code(), Some(2), "{}", show(&twice));

    std::fs::write(dir.path().join("bad.json"), "{\"corpus\": 1,\n ").unwrap();
    let bad = merge(&dir, &["bad.json"]);
    assert_eq!(bad.status.code(), Some(2), "{}", show(&bad));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("bad.json:2:"),
        "{}",
        show(&bad)
    );
}
