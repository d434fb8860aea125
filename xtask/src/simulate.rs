//! `cargo xtask simulate`: the main job. Offline by default: the checked-in corpus
//! (`corpus/cases`), the recorded simulator answers (`corpus/simulator`) and a seeded
//! campaign of generated Clean Rooms cases, all through the model, with every metamorphic
//! law checked on every generated case. `--live` asks the IAM policy simulator instead
//! (`docs/simulate.md`).
//!
//! The text report leads with the verdict, then says what was checked against what (offline
//! nothing asks a simulator: the model meets answers written down earlier and its own laws),
//! then lists each disagreement; coverage and timings only with `--verbose`.

use iamcr::campaign::Report;
use iamcr::campaign::{self, Settings, Shard};
use iamcr::written::Written;
use iamcr::{CaseResult, Status, Summary};
use iamcr_gen::Preset;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `simulate`.
#[derive(clap::Args)]
pub struct Args {
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// Also print the generated cases' coverage, what a live run would skip, and timings.
    #[arg(long, short)]
    verbose: bool,
    /// Generated cases [default: 10,000 offline]. With `--live`: ask the simulator about
    /// this many generated cases instead of the corpus.
    #[arg(long)]
    count: Option<usize>,
    /// Seed of the generated cases (the same seed gives the same cases) [default: 2026].
    #[arg(long)]
    seed: Option<u64>,
    /// Generator preset: `cleanrooms`, `well-formed`, `anything-goes` or `live` (cases the
    /// live simulator can answer) [default: cleanrooms offline, live with `--live`].
    #[arg(long)]
    preset: Option<Preset>,
    /// Check only the K-th of N disjoint slices of the --count generated cases (`K/N`, e.g.
    /// `2/4`); run 1/N..N/N on N machines with `--json` and sum them with `cargo xtask
    /// merge` (offline only).
    #[arg(
        long,
        default_value = "1/1",
        value_name = "K/N",
        conflicts_with = "live"
    )]
    shard: Shard,
    /// Replace files (findings, --record) that hold other content; identical files are
    /// left alone either way.
    #[arg(long)]
    force: bool,
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
    /// `--engine CMD`: the generated campaign against an engine (docs/engine-protocol.md).
    #[command(flatten)]
    engine: crate::engine_judge::EngineArgs,
}

/// Generated cases offline when `--count` is not given.
const DEFAULT_COUNT: usize = 10_000;
/// The seed when `--seed` is not given.
const DEFAULT_SEED: u64 = 2026;

impl Args {
    fn count(&self) -> usize {
        self.count.unwrap_or(DEFAULT_COUNT)
    }

    fn seed(&self) -> u64 {
        self.seed.unwrap_or(DEFAULT_SEED)
    }

    fn preset(&self) -> Preset {
        self.preset.unwrap_or(Preset::CleanRooms)
    }

    /// With `--live`: the generated cases to ask about (`--count`, with `--seed` and
    /// `--preset`, which default to 2026 and `live`), or `None` for case files.
    fn live_generated(&self) -> Result<Option<campaign::Settings>, String> {
        let Some(count) = self.count else {
            if self.seed.is_some() || self.preset.is_some() {
                return Err(
                    "--seed and --preset choose generated cases; with --live, give \
                            --count N too (or --cases for case files)"
                        .to_string(),
                );
            }
            return Ok(None);
        };
        if !self.live.cases.is_empty() {
            return Err("--count asks generated cases and --cases case files: give one".into());
        }
        if count == 0 {
            return Err("--count 0 gives the simulator nothing to answer".into());
        }
        Ok(Some(campaign::Settings {
            count,
            seed: self.seed(),
            preset: self.preset.unwrap_or(Preset::Live),
            shard: Shard::default(),
        }))
    }
}

/// One corpus folder (or file) and what its cases gave.
struct Checked {
    root: PathBuf,
    results: Vec<CaseResult>,
}

impl Checked {
    fn disagreements(&self) -> usize {
        Summary::of(&self.results).failed
    }

    /// What the folder's cases were checked against, for the report.
    fn against(&self) -> String {
        let n = self.results.len();
        if self.root == crate::project::path("corpus/simulator") {
            format!(
                "{n} answers of the IAM policy simulator recorded in {}, replayed through the model",
                self.root.display()
            )
        } else {
            format!(
                "{n} cases in {}, each against the answer its file expects",
                self.root.display()
            )
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    if args.engine.engine.is_some() {
        if args.live.live {
            errln!("error: --engine and --live are two campaigns: give one");
            return ExitCode::from(2);
        }
        let settings = crate::engine_campaign::Settings {
            json: args.json,
            count: args.count(),
            seed: args.seed(),
            preset: args.preset(),
            force: args.force,
            findings: args.findings.clone(),
        };
        return crate::engine_campaign::run(&args.engine, &settings).unwrap_or_else(|e| {
            errln!("error: {e}");
            ExitCode::from(2)
        });
    }
    if args.live.live {
        let mut live = args.live.clone();
        live.generated = match args.live_generated() {
            Ok(g) => g,
            Err(sentence) => {
                errln!("error: {sentence}.");
                return ExitCode::from(2);
            }
        };
        return crate::live::run(&live, args.json, args.force);
    }
    if args.live.questions {
        return crate::questions::offline();
    }
    match offline(&args) {
        Ok(code) => code,
        Err(sentence) => {
            errln!("error: {sentence}");
            ExitCode::from(2)
        }
    }
}

/// The corpus folders, each loaded and run through the model.
fn check_corpus(args: &Args) -> Result<(Vec<Checked>, f64), String> {
    let roots: Vec<PathBuf> = if args.live.cases.is_empty() {
        vec![
            crate::project::path("corpus/cases"),
            crate::project::path("corpus/simulator"),
        ]
    } else {
        args.live.cases.clone()
    };
    let started = std::time::Instant::now();
    let mut checked = Vec::new();
    for root in &roots {
        let cases = iamcr::load_all(std::slice::from_ref(root)).map_err(|e| e.to_string())?;
        // Recorded simulator answers may differ from the model by a known deviation, as in
        // the replay test; a case's expected answer must match exactly.
        let written = if *root == crate::project::path("corpus/simulator") {
            Written::SimulatorAnswers
        } else {
            Written::Expectations
        };
        let results = iamcr::written::run(&cases, written);
        checked.push(Checked {
            root: root.clone(),
            results,
        });
    }
    if checked.iter().all(|c| c.results.is_empty()) && !args.allow_empty {
        return Err(format!(
            "no corpus case under {}: nothing to check the model against \
             (--allow-empty runs the generated cases alone)",
            crate::out::paths(&roots)
        ));
    }
    Ok((checked, started.elapsed().as_secs_f64()))
}

/// The generated campaign, with a progress bar on a terminal.
fn run_campaign(args: &Args) -> Result<Report, String> {
    let settings = Settings {
        count: args.count(),
        seed: args.seed(),
        preset: args.preset(),
        shard: args.shard,
    };
    let bar = crate::out::progress(
        args.shard.range(args.count()).len() as u64,
        "generated cases",
    );
    if args.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let report = campaign::run(settings, |done| {
        if done % 256 == 0 {
            bar.set_position(done as u64);
        }
    })
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok(report)
}

/// Cases that break a law, written out ready to run with `conform` or `explain`. Named by
/// seed and preset, so a rerun writes the same bytes to the same names and another seed never
/// collides; anything else follows the rule of `crate::keep`.
fn write_findings(args: &Args, report: &Report) -> Result<Vec<PathBuf>, String> {
    let findings = args
        .findings
        .clone()
        .unwrap_or_else(|| crate::project::path("findings"));
    let files: Vec<(PathBuf, String)> = report
        .violations
        .iter()
        .map(|v| {
            let stem = format!(
                "{}-{}-s{}-{:05}",
                v.law,
                args.preset(),
                args.seed(),
                v.index
            );
            let text = serde_json::to_string_pretty(&v.case).unwrap_or_default();
            (findings.join(format!("{stem}.json")), text + "\n")
        })
        .collect();
    crate::keep::write_all(&files, args.force, "this run's finding")?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

fn offline(args: &Args) -> Result<ExitCode, String> {
    let (corpus, corpus_seconds) = check_corpus(args)?;
    let report = run_campaign(args)?;
    let written = write_findings(args, &report)?;
    let disagreements =
        corpus.iter().map(Checked::disagreements).sum::<usize>() + report.problems();
    if args.json {
        print_json(args, &corpus, corpus_seconds, &report, disagreements);
    } else {
        print_text(args, &corpus, &report, &written, disagreements);
        if args.verbose {
            print_details(args, &corpus, corpus_seconds, &report);
        }
    }
    Ok(if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_json(
    args: &Args,
    corpus: &[Checked],
    corpus_seconds: f64,
    report: &Report,
    disagreements: usize,
) {
    let results: Vec<&CaseResult> = corpus.iter().flat_map(|c| &c.results).collect();
    let summary = corpus.iter().fold(Summary::default(), |mut sum, c| {
        let one = Summary::of(&c.results);
        sum.passed += one.passed;
        sum.failed += one.failed;
        sum
    });
    outln!(
        "{}",
        serde_json::json!({
            "simulator_asked": false,
            "corpus": {
                "cases": results.len(),
                "folders": corpus.iter().map(|c| serde_json::json!({
                    "path": c.root, "cases": c.results.len(), "disagreements": c.disagreements()
                })).collect::<Vec<_>>(),
                "summary": summary,
                "seconds": corpus_seconds,
                "failures": results.iter().filter(|r| r.status == Status::Fail)
                    .map(|r| serde_json::json!({"id": r.id, "reason": r.reason})).collect::<Vec<_>>(),
            },
            "generated": {
                "seed": args.seed(),
                "preset": args.preset().as_str(),
                "count": args.count(),
                "shard": args.shard,
                "cases": report.cases,
                "uncompilable": report.uncompilable,
                "uncompilable_cases": report.uncompilable_cases,
                "aws_rule_breaks": report.rule_breaks.len(),
                "aws_rule_break_cases": report.rule_breaks,
                "laws": iamcr::laws::laws().len(),
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
}

/// The verdict, what was checked against what, then every disagreement.
fn print_text(
    args: &Args,
    corpus: &[Checked],
    report: &Report,
    written: &[PathBuf],
    disagreements: usize,
) {
    print_verdict(disagreements);
    print_checked(args, corpus, report);
    print_disagreements(args, corpus, report, written);
    if !args.verbose {
        outln!("(coverage, what a live run would skip, and timings: --verbose)");
    }
}

/// The first line: PASS, or FAIL with the number of disagreements.
fn print_verdict(disagreements: usize) {
    if disagreements == 0 {
        outln!("PASS: no disagreement (offline: no simulator was asked)");
    } else {
        let s = if disagreements == 1 { "" } else { "s" };
        outln!(
            "FAIL: {disagreements} disagreement{s}, listed below (offline: no simulator was asked)"
        );
    }
}

/// What was checked against what: each corpus folder, the generated campaign, the cases AWS
/// could not produce.
fn print_checked(args: &Args, corpus: &[Checked], report: &Report) {
    outln!("checked:");
    for c in corpus {
        outln!(
            "  {}: {}",
            c.against(),
            agree(c.results.len(), c.disagreements())
        );
    }
    let broken = report.violations.len();
    let slice = if args.shard == Shard::default() {
        String::new()
    } else {
        let r = args.shard.range(args.count());
        format!(", shard {}: cases {}..{}", args.shard, r.start, r.end)
    };
    outln!(
        "  {} generated {} cases (seed {}{slice}), each through {} metamorphic laws: {} checks, {}",
        report.cases,
        args.preset(),
        args.seed(),
        iamcr::laws::laws().len(),
        report.checks,
        if broken == 0 {
            "none broken".to_string()
        } else {
            format!("{broken} broken")
        }
    );
    if report.uncompilable > 0 {
        outln!(
            "  {} generated cases the model could not compile",
            report.uncompilable
        );
    }
    // The generators promise only what AWS can produce (iamcr_gen::validity); say so, with
    // the count, every run.
    let not_aws: std::collections::BTreeSet<usize> =
        report.rule_breaks.iter().map(|b| b.index).collect();
    outln!(
        "  generated cases AWS could not produce (iamcr_gen::validity rules): {}",
        not_aws.len()
    );
    outln!(
        "offline, the model meets answers written down earlier (the cases' expected answers,\n\
         recorded simulator answers) and its own laws; `--live` asks AWS's IAM policy simulator."
    );
}

/// One line per disagreement: corpus cases, uncompilable and not-AWS generated cases,
/// broken laws (with the finding file written for each).
fn print_disagreements(args: &Args, corpus: &[Checked], report: &Report, written: &[PathBuf]) {
    for r in corpus
        .iter()
        .flat_map(|c| &c.results)
        .filter(|r| r.status == Status::Fail)
    {
        let reason = r.reason.as_deref().unwrap_or("");
        outln!(
            "DISAGREE {} ({}:{}): {reason}",
            r.id,
            r.file.display(),
            r.line
        );
    }
    for u in &report.uncompilable_cases {
        outln!(
            "UNCOMPILABLE generated case {} (seed {}): {}",
            u.index,
            args.seed(),
            u.error
        );
    }
    for b in &report.rule_breaks {
        outln!(
            "NOT-AWS generated case {} (seed {}) breaks {}: {}",
            b.index,
            args.seed(),
            b.rule,
            b.detail
        );
    }
    for (v, path) in report.violations.iter().zip(written) {
        let shown = path.display();
        outln!(
            "LAW {} broken by case {}: {} ({shown})",
            v.law,
            v.index,
            v.detail
        );
    }
}

/// `N agree` or `N agree, M disagree`.
fn agree(total: usize, disagree: usize) -> String {
    if disagree == 0 {
        format!("{total} agree")
    } else {
        format!("{} agree, {disagree} disagree", total - disagree)
    }
}

/// `--verbose`: timings, the generated cases' coverage, what a live run would skip.
fn print_details(args: &Args, corpus: &[Checked], corpus_seconds: f64, report: &Report) {
    let cases: usize = corpus.iter().map(|c| c.results.len()).sum();
    outln!();
    outln!("corpus: {cases} cases in {corpus_seconds:.2}s");
    outln!(
        "generated: {} {} cases (seed {}) in {:.2}s, {:.0} cases/s",
        report.cases,
        args.preset(),
        args.seed(),
        report.seconds,
        report.throughput()
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
}
