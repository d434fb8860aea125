//! `cargo xtask fuzz [--time S] [--target T]... [--asan]`: run every fuzz target briefly
//! (stable toolchain, no sanitizer, unless `--asan`), with the checked-in seeds, and report
//! executions per second, coverage and corpus size per target.

use std::path::Path;
use std::process::{Command, ExitCode};

/// The targets, in the order they run.
pub const TARGETS: &[&str] = &[
    "parse_policy",
    "wildcard_vs_regex",
    "roundtrip",
    "eval_invariants",
    "condition_vs_reference",
];

/// Arguments of `fuzz`.
#[derive(clap::Args)]
pub struct Args {
    /// Seconds per target.
    #[arg(long, default_value_t = 20)]
    time: u64,
    /// Only these targets (repeatable).
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Use nightly with AddressSanitizer instead of stable without a sanitizer.
    #[arg(long)]
    asan: bool,
    /// Largest input libFuzzer generates (bytes).
    #[arg(long, default_value_t = 4096)]
    max_len: usize,
}

/// What libFuzzer reported at the end of a run.
#[derive(Debug, Default)]
struct Stats {
    runs: String,
    cov: String,
    corpus: String,
    exec_per_sec: String,
}

fn stats(output: &str) -> Stats {
    // The last status line looks like:
    // `#379393 DONE cov: 2017 ft: 6839 corp: 1101/1883Kb lim: 5721 exec/s: 12238 rss: 39Mb`
    let mut s = Stats::default();
    if let Some(line) = output
        .lines()
        .rev()
        .find(|l| l.contains("DONE") || l.contains("exec/s:"))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let after = |key: &str| {
            words
                .iter()
                .position(|w| *w == key)
                .and_then(|i| words.get(i + 1))
                .map(|w| w.to_string())
                .unwrap_or_default()
        };
        s.runs = words
            .first()
            .map(|w| w.trim_start_matches('#').to_string())
            .unwrap_or_default();
        s.cov = after("cov:");
        s.corpus = after("corp:");
        s.exec_per_sec = after("exec/s:");
    }
    s
}

pub fn run(args: Args) -> ExitCode {
    let have_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_fuzz {
        eprintln!(
            "error: cargo-fuzz is not installed; install it with \
             `cargo install cargo-fuzz --version 0.13.2 --locked`"
        );
        return ExitCode::from(2);
    }
    let targets: Vec<&str> = if args.targets.is_empty() {
        TARGETS.to_vec()
    } else {
        args.targets.iter().map(String::as_str).collect()
    };
    let mut failed = Vec::new();
    for target in targets {
        let work = format!("fuzz/corpus/{target}");
        let seeds = format!("corpus/fuzz/{target}");
        if let Err(e) = std::fs::create_dir_all(&work) {
            eprintln!("error: cannot create {work}: {e}");
            return ExitCode::from(2);
        }
        let mut cmd = Command::new("cargo");
        if args.asan {
            cmd.args(["+nightly", "fuzz", "run", "-O", target]);
        } else {
            cmd.args(["fuzz", "run", "-s", "none", "-O", target]);
        }
        cmd.arg(&work);
        if Path::new(&seeds).is_dir() {
            cmd.arg(&seeds);
        }
        cmd.arg("--")
            .arg(format!("-max_total_time={}", args.time))
            .arg(format!("-max_len={}", args.max_len))
            .arg("-dict=fuzz/dict/iam.dict")
            .arg("-print_final_stats=1");
        println!("== {target} ({} s)", args.time);
        let out = match cmd.output() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: cannot run cargo fuzz: {e}");
                return ExitCode::from(2);
            }
        };
        let text = String::from_utf8_lossy(&out.stderr);
        let s = stats(&text);
        if out.status.success() {
            println!(
                "   ok: {} runs, {} exec/s, cov {}, corpus {}",
                s.runs, s.exec_per_sec, s.cov, s.corpus
            );
        } else {
            // Show what libFuzzer said about the failure (the artifact path and input).
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            for line in tail.into_iter().rev() {
                eprintln!("   {line}");
            }
            failed.push(target);
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("fuzz targets failed: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}
