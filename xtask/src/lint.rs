//! `cargo xtask lint FILE... [--kind K] [--json]`: the policy linter
//! (`iamcr_cleanrooms::lint`) over policy files and folders of them.
//!
//! Exit status: 2 when a file cannot be read or there is nothing to lint (no file, a folder
//! without `*.json`; `--allow-empty` makes that a pass), else 1 when any finding is an error,
//! else 0.

use iamcr_cleanrooms::lint::{Counts, Finding, Severity, infer_kind, lint};
use iamcr_policy::PolicyKind;
use std::path::{Path, PathBuf};
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

/// Files to lint: files as given, folders walked for `*.json` in name order.
fn collect(path: &Path, out: &mut Vec<PathBuf>, unreadable: &mut Vec<String>) {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => {
            unreadable.push(format!("{}: {e}", path.display()));
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        if child.is_dir() {
            collect(&child, out, unreadable);
        } else if child.extension().is_some_and(|x| x == "json") {
            out.push(child);
        }
    }
}

/// Lint every file, print the findings, and map them to the exit status.
pub fn run(args: Args) -> ExitCode {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for p in &args.paths {
        collect(p, &mut files, &mut unreadable);
    }
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
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                unreadable.push(format!("{}: {e}", file.display()));
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
