//! Project paths (`corpus/`, `findings/`, `fuzz/`) come from the workspace root whatever the
//! current folder; paths a user types stay relative to the current folder.

use super::{TempDir, root, show, xtask_in};

/// The `corpus: N cases` count of an offline simulate run in `dir`.
fn corpus_cases_from(dir: &std::path::Path) -> usize {
    let out = xtask_in(dir)
        .args(["simulate", "--count", "10", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    summary["corpus"]["cases"].as_u64().unwrap() as usize
}

#[test]
fn simulate_checks_the_same_corpus_from_any_folder() {
    let from_root = corpus_cases_from(&root());
    assert!(from_root > 100, "the corpus has {from_root} cases");
    assert_eq!(corpus_cases_from(&root().join("crates")), from_root);
    let elsewhere = TempDir::new("simulate-elsewhere");
    assert_eq!(corpus_cases_from(elsewhere.path()), from_root);
}

#[test]
fn a_typed_path_is_read_from_the_current_folder() {
    // `conform eval/docs-evaluation.json` from `corpus/cases` means that file, not one under
    // the root; and gen's --out goes where the user is.
    let out = xtask_in(&root().join("corpus/cases"))
        .args(["conform", "eval/docs-evaluation.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let dir = TempDir::new("gen-relative");
    let out = xtask_in(dir.path())
        .args(["gen", "--count", "1", "--out", "mine"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(
        std::fs::read_dir(dir.path().join("mine")).unwrap().count(),
        1
    );
}

/// `cargo xtask fuzz` from another folder runs cargo-fuzz in the root and creates its working
/// corpus there, never `<current folder>/fuzz/` (from `crates/` that would add a broken
/// workspace member). A stand-in `cargo` on PATH records where it was run.
#[cfg(unix)]
#[test]
fn fuzz_runs_cargo_fuzz_in_the_root_from_any_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("fuzz-elsewhere");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.path().join("cargo.log");
    let fake = format!(
        "#!/bin/sh\nif [ \"$2\" = --version ]; then echo 'cargo-fuzz 0.13.2'; exit 0; fi\n\
         echo \"$(pwd) $*\" >> '{}'\nexit 0\n",
        log.display()
    );
    std::fs::write(bin.join("cargo"), fake).unwrap();
    std::fs::set_permissions(bin.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    // xtask runs the cargo that runs it (`CARGO`) before the one on the PATH.
    let out = xtask_in(&work)
        .env("PATH", path)
        .env("CARGO", bin.join("cargo"))
        .args(["fuzz", "--time", "1", "--target", "parse_policy"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    assert!(
        !work.join("fuzz").exists(),
        "fuzz/ was created in the current folder"
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    let ran_in = logged.split(' ').next().unwrap();
    assert_eq!(
        std::path::Path::new(ran_in).canonicalize().unwrap(),
        root(),
        "{logged}"
    );
    assert!(logged.contains("fuzz/corpus/parse_policy"), "{logged}");
    assert!(root().join("fuzz/corpus/parse_policy").is_dir());
}
