//! `cargo xtask scenario FILE [--json]`: run a Clean Rooms scenario file step by step (format:
//! `docs/scenarios.md`). Exit status 0 when every step is allowed, 1 when a step is denied,
//! 2 when the file cannot be read or is not a valid scenario.

use iamcr_cleanrooms::scenario::{self, Scenario};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `scenario`.
#[derive(clap::Args)]
pub struct Args {
    /// The scenario file (JSON).
    file: PathBuf,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitCode {
    let file = args.file.display();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            errln!("error: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            // serde_json appends " at line L column C"; the position goes in front instead,
            // as `file:line:column:` that editors jump to.
            let (line, column) = (e.line(), e.column());
            let full = e.to_string();
            let suffix = format!(" at line {line} column {column}");
            let message = full.strip_suffix(&suffix).unwrap_or(&full);
            errln!("error: {file}:{line}:{column}: {message}");
            return ExitCode::from(2);
        }
    };
    let report = scenario::run(&scenario);
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(j) => outln!("{j}"),
            Err(e) => {
                errln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        out!("{}", report.render_text());
    }
    if report.allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
