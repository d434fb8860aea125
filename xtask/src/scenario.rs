//! `cargo xtask scenario FILE [--json]`: run a Clean Rooms scenario file step by step (format:
//! `docs/scenarios.md`). Exit status 0 when every step is allowed, 1 when a step is denied,
//! 2 when the file cannot be read or is not a valid scenario.

use iamcr_cleanrooms::scenario::{self, Scenario};
use std::path::{Path, PathBuf};
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
    // Read and placed as case files are: the same size bound, UTF-8 errors at their line
    // and column, and the same `file:line:column: message` wording.
    let text = match iamcr::load::read_text(&args.file) {
        Ok(t) => t,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: {}", scenario_error(&args.file, &text, &e));
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

/// A scenario that does not read, as a positioned error in the case loader's wording. A
/// policy's problem comes placed at its token in the file; serde_json gives column 0 at the
/// start of a line or of an empty file, and an editor's columns start at 1.
fn scenario_error(file: &Path, text: &str, e: &scenario::ReadError) -> iamcr::LoadError {
    let mut message = e.message().to_string();
    if text.trim().is_empty() {
        message = "the file is empty; a scenario file holds one scenario object".to_string();
    }
    iamcr::LoadError {
        file: file.to_path_buf(),
        line: u32::try_from(e.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(e.column()).unwrap_or(u32::MAX).max(1),
        message,
    }
}
