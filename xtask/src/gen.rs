//! `cargo xtask gen`: write generated evaluation cases in case format v1, with the model's
//! decision as the expectation, and print what they covered.
//!
//! Output is a function of `--seed`, `--preset` and `--count` only (ChaCha8 bytes, ordered
//! maps, no clocks), so two runs write byte-identical files.

use iamcr::case::EvalCase;
use iamcr_gen::{Coverage, Generator, Preset, SeededCases};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `gen`.
#[derive(clap::Args)]
pub struct Args {
    /// How many cases to write.
    #[arg(long, default_value_t = 100)]
    count: usize,
    /// The seed of the case stream.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The folder to write one `<id>.json` file per case into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// `well-formed`, `cleanrooms`, `anything-goes` or `live` (cases the live simulator can answer).
    #[arg(long, default_value = "cleanrooms")]
    preset: Preset,
    /// Replace files that hold other content (identical files are left alone either way).
    #[arg(long)]
    force: bool,
    /// Print the coverage counters as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitCode {
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn file_for(out: &Path, id: &str) -> PathBuf {
    out.join(format!("{id}.json"))
}

fn generate(args: &Args) -> Result<(), String> {
    let preset = args.preset;
    let ids: Vec<String> = (0..args.count)
        .map(|i| format!("gen-{preset}-s{}-{i:05}", args.seed))
        .collect();
    let generator = Generator::preset(preset).map_err(|e| e.to_string())?;
    let source = format!("generated seed={} preset={preset}", args.seed);
    let mut coverage = Coverage::new();
    let cases = SeededCases::new(generator, args.seed).take(args.count);
    let mut files = Vec::with_capacity(args.count);
    for (id, case) in ids.iter().zip(cases) {
        let evaluation = case
            .evaluate_with(&mut coverage)
            .map_err(|e| format!("{id}: the generator wrote a policy the model cannot use: {e}"))?;
        coverage.record(&case.request, &evaluation);
        let description = format!(
            "{:?} scenario; the model answers {} because {}",
            case.shape, evaluation.decision, evaluation.reason
        );
        let value = iamcr_gen::case_json(id, Some(&description), Some(&source), &case, &evaluation);
        let text = serde_json::to_string_pretty(&value).map_err(|e| format!("{id}: {e}"))?;
        check_round_trip(id, &text, evaluation.decision.as_str())?;
        files.push((file_for(&args.out, id), format!("{text}\n")));
    }
    // Checked as a whole before anything is written: a refused run leaves the folder as it
    // was (crate::keep).
    let written = crate::keep::write_all(&files, args.force, "these generated cases")?;
    if args.json {
        let json = serde_json::to_string_pretty(&coverage).map_err(|e| e.to_string())?;
        outln!("{json}");
    } else {
        out!("{coverage}");
        outln!(
            "\nwrote {} cases to {} ({} new, {} unchanged, {} replaced)",
            args.count,
            args.out.display(),
            written.created,
            written.unchanged,
            written.replaced
        );
    }
    Ok(())
}

/// The written case must read back as a v1 case and give the model's decision again: a
/// difference is a bug in the case writer, not in the model.
fn check_round_trip(id: &str, text: &str, decision: &str) -> Result<(), String> {
    let case: EvalCase =
        serde_json::from_str(text).map_err(|e| format!("{id}: not a valid case: {e}"))?;
    let (_, explanation) = iamcr::eval_case::explain(&case).map_err(|e| format!("{id}: {e}"))?;
    let again = explanation.evaluation.decision.as_str();
    if again != decision {
        return Err(format!(
            "{id}: the case file reads back as {again}, not {decision}"
        ));
    }
    Ok(())
}
