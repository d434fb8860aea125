//! `cargo xtask lint FILE... [--kind K] [--json]`: the policy linter
//! (`iamcr_cleanrooms::lint`) over policy files and folders of them.
//!
//! Exit status: 2 when a file cannot be read or there is nothing to lint (no file, a folder
//! without `*.json`; `--allow-empty` makes that a pass), else 1 when any finding is an error,
//! else 0.

use iamcr_cleanrooms::lint::{Counts, Finding, Severity, infer_kind, lint};
use iamcr_policy::PolicyKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `lint`.
#[derive(clap::Args)]
pub struct Args {
    /// Policy files, or folders (every *.json inside, recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The policy kind (identity, resource, trust, boundary, session, scp, rcp). Without it
    /// each file's kind is inferred: trust for a Principal with only sts:AssumeRole* actions,
    /// resource for another Principal, else identity.
    #[arg(long)]
    kind: Option<PolicyKind>,
    /// Print one JSON array of findings ({severity, code, message, file, line, column, path}).
    #[arg(long)]
    json: bool,
    /// Exit 0 when the paths hold no policy file (by default nothing linted is an error).
    #[arg(long)]
    allow_empty: bool,
}

/// Lint every file, print the findings, and map them to the exit status.
pub fn run(args: Args) -> ExitCode {
    // The walk the case loader uses: folders for *.json in name order, symbolic link loops
    // refused; a path that cannot be walked is reported and the others are linted.
    let (files, walk_errors) = iamcr::load::json_files(&args.paths);
    let mut unreadable: Vec<String> = walk_errors.iter().map(ToString::to_string).collect();
    if files.is_empty() && unreadable.is_empty() && !args.allow_empty {
        errln!(
            "error: nothing to lint: no *.json file under {} (--allow-empty makes this a pass)",
            crate::out::paths(&args.paths)
        );
        return ExitCode::from(2);
    }
    let mut all: Vec<Finding> = Vec::new();
    let mut linted = 0usize;
    for file in &files {
        // Bounded: the policy reader refuses more than its own limit anyway, and a huge or
        // endless file (a device, a pipe) must not be read whole first.
        let bytes = match iamcr::load::read_bytes(file, iamcr::load::MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(e) => {
                unreadable.push(e.to_string());
                continue;
            }
        };
        // Invalid UTF-8 is reported by the policy crate's own check when the replacement
        // characters reach it; reading lossily keeps every other finding.
        let text = String::from_utf8_lossy(&bytes);
        let (kind, how) = match args.kind {
            Some(k) => (k, "--kind".to_string()),
            None => {
                let inferred = infer_kind(&text);
                (inferred.kind, format!("inferred: {}", inferred.reason))
            }
        };
        let findings = lint(&text, kind, Some(file));
        if !args.json {
            outln!("{}: linted as {kind} policy ({how})", file.display());
            for f in &findings {
                outln!("{f}");
            }
        }
        linted += 1;
        all.extend(findings);
    }
    for u in &unreadable {
        errln!("error: cannot read {u}");
    }
    if args.json {
        let array: Vec<serde_json::Value> = all.iter().map(Finding::to_json).collect();
        match serde_json::to_string_pretty(&array) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                errln!("error: cannot print the findings: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        let files_word = if linted == 1 { "file" } else { "files" };
        outln!("{linted} {files_word} linted: {}", Counts::of(&all));
    }
    if !unreadable.is_empty() {
        ExitCode::from(2)
    } else if all.iter().any(|f| f.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
