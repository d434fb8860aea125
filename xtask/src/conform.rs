//! `cargo xtask conform PATH... [--json] [--engine CMD]`.

use iamcr::{Status, Summary};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `conform`.
#[derive(clap::Args)]
pub struct Args {
    /// Case files or folders (walked for *.json).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON object per case (and a final summary object) instead of text.
    #[arg(long)]
    json: bool,
    /// Exit 0 when the paths hold no case (by default nothing checked is an error).
    #[arg(long)]
    allow_empty: bool,
    /// `--engine CMD`: the cases through an engine instead of the model.
    #[command(flatten)]
    engine: crate::engine_judge::EngineArgs,
}

pub fn run(args: Args) -> ExitCode {
    let cases = match iamcr::load_all(&args.paths) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if cases.is_empty() && !args.allow_empty {
        errln!(
            "error: nothing to check: no case under {} (--allow-empty makes this a pass)",
            crate::out::paths(&args.paths)
        );
        return ExitCode::from(2);
    }
    let mut seen = std::collections::HashMap::new();
    for c in &cases {
        if let Some(prev) = seen.insert(c.case.id().to_string(), (c.file.clone(), c.line)) {
            errln!(
                "error: {}:{}: case id {:?} is also used at {}:{}",
                c.file.display(),
                c.line,
                c.case.id(),
                prev.0.display(),
                prev.1
            );
            return ExitCode::from(2);
        }
    }
    if args.engine.engine.is_some() {
        return crate::engine_conform::run(&args.engine, &cases, args.json).unwrap_or_else(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        });
    }
    let results = iamcr::run_all(&cases);
    let summary = Summary::of(&results);
    if args.json {
        for r in &results {
            match serde_json::to_string(r) {
                Ok(line) => outln!("{line}"),
                Err(e) => errln!("error: cannot print result of {}: {e}", r.id),
            }
        }
        outln!(
            "{}",
            serde_json::json!({"summary": summary, "line": summary.line()})
        );
    } else {
        for r in &results {
            let reason = r.reason.as_deref().unwrap_or("");
            match r.status {
                Status::Fail => {
                    outln!("FAIL {} ({}:{}): {reason}", r.id, r.file.display(), r.line)
                }
                Status::Pass => {}
            }
        }
        outln!("{}", summary.line());
    }
    if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
