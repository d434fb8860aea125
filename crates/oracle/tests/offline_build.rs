//! Offline builds never compile the AWS SDK: the harness (`iamcr`) and `xtask` without
//! their `live` features have no path to `aws-sdk-iam` in their normal dependencies. Only
//! `cargo xtask simulate --live` (which rebuilds xtask with `--features live`) and
//! `cargo test -p iamcr-oracle --features live` compile it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a broken fixture must stop the test at once."
)]

use std::process::Command;

fn tree(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree", "-e", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("cannot run cargo tree: {e}"),
    };
    assert!(
        out.status.success(),
        "cargo tree {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has_sdk(tree: &str) -> bool {
    tree.lines()
        .any(|l| l.starts_with("aws-sdk-iam ") || l.starts_with("aws-config "))
}

#[test]
fn offline_builds_do_not_depend_on_the_sdk() {
    for package in ["iamcr", "xtask", "iamcr-oracle"] {
        let t = tree(&["-p", package]);
        assert!(
            t.lines().any(|l| l.starts_with(package)),
            "{package} not in its own tree"
        );
        assert!(
            !has_sdk(&t),
            "{package} depends on the AWS SDK without the live feature"
        );
    }
    // The check can fail: with the feature, the SDK is there.
    assert!(has_sdk(&tree(&[
        "-p",
        "iamcr-oracle",
        "--features",
        "iamcr-oracle/live"
    ])));
}
