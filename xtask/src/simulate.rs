//! `cargo xtask simulate`: the main job. Offline by default: the checked-in corpus
//! (`corpus/cases`), the recorded simulator answers (`corpus/simulator`) and a seeded
//! campaign of generated Clean Rooms cases, all through the model, with every metamorphic
//! law checked on every generated case. `--live` asks the IAM policy simulator instead
//! (`docs/simulate.md`).

use iamcr::campaign::{self, Settings};
use iamcr::{Status, Summary};
use iamcr_gen::Preset;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `simulate`.
#[derive(clap::Args)]
pub struct Args {
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// Generated cases in the offline campaign.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Seed of the generated cases (the same seed gives the same cases).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Generator preset: `cleanrooms`, `well-formed` or `anything-goes`.
    #[arg(long, default_value = "cleanrooms")]
    preset: Preset,
    /// Where cases that break a law are written (one case-format file each)
    /// [default: `findings/` at the workspace root].
    #[arg(long)]
    findings: Option<PathBuf>,
    /// Go on when the corpus holds no case (by default an empty corpus is an error).
    #[arg(long)]
    allow_empty: bool,
    /// `--live` and its flags: see `docs/simulate.md`.
    #[command(flatten)]
    live: crate::live::LiveArgs,
}

/// A file name in `dir` that does not exist yet (nothing a user has is overwritten).
fn fresh(dir: &Path, stem: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.json"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.json")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

pub fn run(args: Args) -> ExitCode {
    if args.live.live {
        return crate::live::run(&args.live, args.json);
    }
    let roots: Vec<PathBuf> = if args.live.cases.is_empty() {
        vec![
            crate::project::path("corpus/cases"),
            crate::project::path("corpus/simulator"),
        ]
    } else {
        args.live.cases.clone()
    };
    let cases = match iamcr::load_all(&roots) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if cases.is_empty() && !args.allow_empty {
        errln!(
            "error: no corpus case under {}: nothing to check the model against \
             (--allow-empty runs the generated cases alone)",
            crate::out::paths(&roots)
        );
        return ExitCode::from(2);
    }
    let started = std::time::Instant::now();
    let results = iamcr::run_all(&cases);
    let corpus_seconds = started.elapsed().as_secs_f64();
    let summary = Summary::of(&results);

    let settings = Settings {
        count: args.count,
        seed: args.seed,
        preset: args.preset,
    };
    let bar = crate::out::progress(args.count as u64, "generated cases");
    if args.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let report = match campaign::run(settings, |done| {
        if done % 256 == 0 {
            bar.set_position(done as u64);
        }
    }) {
        Ok(r) => r,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    bar.finish_and_clear();

    // Cases that break a law are written out, ready to run with `conform` or `explain`.
    let mut written = Vec::new();
    let findings = args
        .findings
        .clone()
        .unwrap_or_else(|| crate::project::path("findings"));
    if !report.violations.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&findings) {
            errln!("error: cannot create {}: {e}", findings.display());
            return ExitCode::from(2);
        }
        for v in &report.violations {
            let path = fresh(&findings, &format!("{}-{:05}", v.law, v.index));
            let text = serde_json::to_string_pretty(&v.case).unwrap_or_default();
            if let Err(e) = std::fs::write(&path, text + "\n") {
                errln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
            written.push(path);
        }
    }

    let disagreements = summary.failed + report.problems();
    if args.json {
        outln!(
            "{}",
            serde_json::json!({
                "corpus": {
                    "cases": results.len(),
                    "summary": summary,
                    "seconds": corpus_seconds,
                    "failures": results.iter().filter(|r| r.status == Status::Fail)
                        .map(|r| serde_json::json!({"id": r.id, "reason": r.reason})).collect::<Vec<_>>(),
                },
                "generated": {
                    "seed": args.seed,
                    "preset": args.preset.as_str(),
                    "cases": report.cases,
                    "uncompilable": report.uncompilable,
                    "uncompilable_cases": report.uncompilable_cases,
                    "law_checks": report.checks,
                    "violations": report.violations.iter().map(|v| serde_json::json!({
                        "law": v.law, "index": v.index, "detail": v.detail})).collect::<Vec<_>>(),
                    "coverage": report.coverage,
                    "simulator_would_skip": report.simulator_would_skip,
                    "seconds": report.seconds,
                    "cases_per_second": report.throughput(),
                },
                "disagreements": disagreements,
            })
        );
    } else {
        for r in results.iter().filter(|r| r.status == Status::Fail) {
            outln!(
                "DISAGREE {} ({}:{}): {}",
                r.id,
                r.file.display(),
                r.line,
                r.reason.as_deref().unwrap_or("")
            );
        }
        for u in &report.uncompilable_cases {
            outln!(
                "UNCOMPILABLE generated case {} (seed {}): {}",
                u.index,
                args.seed,
                u.error
            );
        }
        for (v, path) in report.violations.iter().zip(&written) {
            outln!(
                "LAW {} broken by case {}: {} ({})",
                v.law,
                v.index,
                v.detail,
                path.display()
            );
        }
        outln!(
            "corpus: {} cases (incl. recorded simulator answers) in {:.2}s; {}",
            results.len(),
            corpus_seconds,
            summary.line()
        );
        outln!(
            "generated: {} {} cases (seed {}) in {:.2}s, {:.0} cases/s; {} law checks, {} broken",
            report.cases,
            args.preset,
            args.seed,
            report.seconds,
            report.throughput(),
            report.checks,
            report.violations.len()
        );
        out!("{}", report.coverage.table());
        let skips = &report.simulator_would_skip;
        outln!(
            "a live run would skip {} of {} generated cases: {}",
            skips.total(),
            report.cases,
            if skips.total() == 0 {
                "none".to_string()
            } else {
                skips.to_string()
            }
        );
        outln!("disagreements: {disagreements}");
    }
    if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
