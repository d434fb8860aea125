//! `cargo xtask simulate`: the main job. Offline by default.
//!
//! This first version replays the checked-in corpus (`corpus/cases`, `corpus/simulator`)
//! through the model; the generated campaign and the `--live` simulator path arrive with
//! issues #5 and #6.

use iamcr::{Status, Summary};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `simulate`.
#[derive(clap::Args)]
pub struct Args {
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// `--live` and its flags: see `docs/simulate.md`.
    #[command(flatten)]
    live: crate::live::LiveArgs,
}

pub fn run(args: Args) -> ExitCode {
    if args.live.live {
        return crate::live::run(&args.live, args.json);
    }
    let roots: Vec<PathBuf> = ["corpus/cases", "corpus/simulator"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect();
    let cases = match iamcr::load_all(&roots) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    let results = iamcr::run_all(&cases);
    let elapsed = started.elapsed();
    let summary = Summary::of(&results);
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "cases": results.len(),
                "summary": summary,
                "seconds": elapsed.as_secs_f64(),
            })
        );
    } else {
        for r in results.iter().filter(|r| r.status == Status::Fail) {
            println!(
                "DISAGREE {} ({}:{}): {}",
                r.id,
                r.file.display(),
                r.line,
                r.reason.as_deref().unwrap_or("")
            );
        }
        println!(
            "corpus: {} cases in {:.2}s; {}",
            results.len(),
            elapsed.as_secs_f64(),
            summary.line()
        );
    }
    if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
