//! The offline campaign: generated cases through the model with every metamorphic law,
//! coverage counters, and what a live campaign against the IAM policy simulator would
//! have to skip (by the simulator's declared capabilities).

use crate::case::EvalCase;
use crate::laws::{Law, laws};
use iamcr_gen::{Coverage, GenCase, Generator, Preset, SeededCases};
use iamcr_oracle::{Capabilities, SkipCounts};
use serde::Serialize;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// How many cases.
    pub count: usize,
    /// The seed of the case stream.
    pub seed: u64,
    /// The generator preset.
    pub preset: Preset,
}

/// One broken law.
#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    /// The law.
    pub law: &'static str,
    /// The case's index in the stream (`--seed` and this reproduce it).
    pub index: usize,
    /// How it broke.
    pub detail: String,
    /// The case in case format, with the model's answer as the expectation.
    pub case: serde_json::Value,
}

/// What the generated part of a campaign found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Cases generated.
    pub cases: usize,
    /// Cases the model could not compile (the generator promises none).
    pub uncompilable: usize,
    /// Law checks run.
    pub checks: usize,
    /// Laws broken.
    pub violations: Vec<Violation>,
    /// Decisions, operator families, policy types, principal kinds.
    pub coverage: Coverage,
    /// Generated cases the live simulator could not answer, by reason.
    pub simulator_would_skip: SkipCounts,
    /// Seconds spent.
    pub seconds: f64,
}

impl Report {
    /// Cases per second.
    pub fn throughput(&self) -> f64 {
        self.cases as f64 / self.seconds.max(1e-9)
    }
}

/// The case-format value of a generated case (the model's answer as `expect`).
fn case_value(
    id: &str,
    source: &str,
    case: &GenCase,
    e: &iamcr_eval::Evaluation,
) -> serde_json::Value {
    iamcr_gen::case_json(id, None, Some(source), case, e)
}

/// Run the generated campaign on every core; `progress` is called with the number of cases
/// done so far (from worker threads).
pub fn run(settings: Settings, progress: impl Fn(usize) + Sync) -> Result<Report, String> {
    let started = std::time::Instant::now();
    let generator = Generator::preset(settings.preset).map_err(|e| e.to_string())?;
    // Generating is cheap next to checking twelve laws per case; the stream is sequential
    // (one ChaCha8 stream per seed), so generate first, then check in parallel.
    let cases: Vec<GenCase> = SeededCases::new(generator, settings.seed)
        .take(settings.count)
        .collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = cases.len().div_ceil(threads).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let partials: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .enumerate()
            .map(|(n, slice)| {
                let (done, progress) = (&done, &progress);
                scope.spawn(move || check_slice(settings, n * chunk, slice, done, progress))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| empty_report()))
            .collect()
    });
    let mut report = empty_report();
    for p in partials {
        report.cases += p.cases;
        report.uncompilable += p.uncompilable;
        report.checks += p.checks;
        report.violations.extend(p.violations);
        report.coverage.merge(&p.coverage);
        for (l, n) in p.simulator_would_skip.0 {
            *report.simulator_would_skip.0.entry(l).or_default() += n;
        }
    }
    report.violations.sort_by_key(|v| v.index);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn empty_report() -> Report {
    Report {
        cases: 0,
        uncompilable: 0,
        checks: 0,
        violations: Vec::new(),
        coverage: Coverage::new(),
        simulator_would_skip: SkipCounts::default(),
        seconds: 0.0,
    }
}

/// Check the cases `first..first + slice.len()` of the stream.
fn check_slice(
    settings: Settings,
    first: usize,
    slice: &[GenCase],
    done: &std::sync::atomic::AtomicUsize,
    progress: &(impl Fn(usize) + Sync),
) -> Report {
    let source = format!(
        "generated seed={} preset={}",
        settings.seed, settings.preset
    );
    let caps = Capabilities::simulator();
    let all: &[Law] = laws();
    let mut report = empty_report();
    for (offset, case) in slice.iter().enumerate() {
        let index = first + offset;
        report.cases += 1;
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let evaluation = match case.evaluate_with(&mut report.coverage) {
            Ok(e) => e,
            Err(_) => {
                report.uncompilable += 1;
                progress(n);
                continue;
            }
        };
        report.coverage.record(&case.request, &evaluation);
        let id = format!("campaign-{}-s{}-{index:05}", settings.preset, settings.seed);
        let value = case_value(&id, &source, case, &evaluation);
        // What the simulator could answer: through the case format, as a live run would.
        if let Ok(eval_case) = serde_json::from_value::<EvalCase>(value.clone())
            && let Err(u) = caps.check(&crate::oracle_case::query(&eval_case))
        {
            report.simulator_would_skip.add(u.limitation);
        }
        for law in all {
            report.checks += 1;
            if let Err(detail) = (law.check)(case, &evaluation) {
                report.violations.push(Violation {
                    law: law.name,
                    index,
                    detail,
                    case: value.clone(),
                });
            }
        }
        progress(n);
    }
    report
}
