//! The offline campaign: generated cases through the model with every metamorphic law,
//! coverage counters, and what a live campaign against the IAM policy simulator would
//! have to skip (by the simulator's declared capabilities).

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

/// A generated case the model could not compile.
#[derive(Debug, Clone, Serialize)]
pub struct Uncompilable {
    /// The case's index in the stream.
    pub index: usize,
    /// The compile error.
    pub error: String,
}

/// A generated case describing something AWS cannot produce (`iamcr_gen::validity`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleBreak {
    /// The rule's name.
    pub rule: &'static str,
    /// The case's index in the stream.
    pub index: usize,
    /// What breaks it.
    pub detail: String,
}

/// What the generated part of a campaign found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Cases generated.
    pub cases: usize,
    /// Cases the model could not compile (the generator promises none, so each one fails
    /// the run).
    pub uncompilable: usize,
    /// Which cases those were (stream index) and why, in stream order.
    pub uncompilable_cases: Vec<Uncompilable>,
    /// Law checks run.
    pub checks: usize,
    /// Laws broken.
    pub violations: Vec<Violation>,
    /// Generated cases AWS could not produce (the generator promises none, so each one fails
    /// the run), in stream order.
    pub rule_breaks: Vec<RuleBreak>,
    /// Decisions, operator families, policy types, principal kinds.
    pub coverage: Coverage,
    /// Generated cases the live simulator could not answer, by reason.
    pub simulator_would_skip: SkipCounts,
    /// Seconds spent.
    pub seconds: f64,
}

impl Report {
    /// What makes the run fail: broken laws, cases the model could not compile, and cases
    /// AWS could not produce.
    pub fn problems(&self) -> usize {
        self.violations.len() + self.uncompilable + self.rule_breaks.len()
    }

    /// Cases per second.
    pub fn throughput(&self) -> f64 {
        self.cases as f64 / self.seconds.max(1e-9)
    }
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
    let partials = in_workers(&cases, chunk, |first, slice| {
        check_slice(settings, first, slice, &done, &progress)
    })
    .map_err(|p| {
        format!(
            "{p} (seed {}, preset {}): its cases were not checked",
            settings.seed, settings.preset
        )
    })?;
    let mut report = empty_report();
    for p in partials {
        report.cases += p.cases;
        report.uncompilable += p.uncompilable;
        report.uncompilable_cases.extend(p.uncompilable_cases);
        report.checks += p.checks;
        report.violations.extend(p.violations);
        report.rule_breaks.extend(p.rule_breaks);
        report.coverage.merge(&p.coverage);
        for (l, n) in p.simulator_would_skip.0 {
            *report.simulator_would_skip.0.entry(l).or_default() += n;
        }
    }
    report.violations.sort_by_key(|v| v.index);
    report.uncompilable_cases.sort_by_key(|u| u.index);
    report.rule_breaks.sort_by_key(|b| b.index);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A worker thread that panicked: which one, which cases it held, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerPanic {
    /// The worker's number (0-based).
    pub worker: usize,
    /// The first case index of its slice.
    pub first: usize,
    /// How many cases its slice held.
    pub cases: usize,
    /// The panic message, when it was text.
    pub message: String,
}

impl std::fmt::Display for WorkerPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "campaign worker {} panicked on cases {}..{}: {}",
            self.worker,
            self.first,
            self.first + self.cases,
            self.message
        )
    }
}

/// Run `work(first_index, slice)` on each `chunk`-sized slice of `items` in its own scoped
/// thread and collect the results in order. A worker that panics is an error naming it and
/// its cases: its results must never be replaced by an empty stand-in, or the cases it held
/// would vanish from the report while the run still passed.
pub fn in_workers<T: Sync, R: Send>(
    items: &[T],
    chunk: usize,
    work: impl Fn(usize, &[T]) -> R + Sync,
) -> Result<Vec<R>, WorkerPanic> {
    let chunk = chunk.max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(n, slice)| {
                let work = &work;
                (n, slice.len(), scope.spawn(move || work(n * chunk, slice)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(n, len, h)| {
                h.join().map_err(|payload| WorkerPanic {
                    worker: n,
                    first: n * chunk,
                    cases: len,
                    message: payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "(no message)".to_string()),
                })
            })
            .collect()
    })
}

fn empty_report() -> Report {
    Report {
        cases: 0,
        uncompilable: 0,
        uncompilable_cases: Vec::new(),
        checks: 0,
        violations: Vec::new(),
        rule_breaks: Vec::new(),
        coverage: Coverage::new(),
        simulator_would_skip: SkipCounts::default(),
        seconds: 0.0,
    }
}

/// Generated case `index` of the stream in case format, with the model's answer as its
/// expectation (what `--record`, findings and live runs of generated cases use).
pub fn case_file(
    settings: Settings,
    index: usize,
    case: &GenCase,
    evaluation: &iamcr_eval::Evaluation,
) -> iamcr_case::EvalCase {
    let id = format!("campaign-{}-s{}-{index:05}", settings.preset, settings.seed);
    let source = format!(
        "generated seed={} preset={}",
        settings.seed, settings.preset
    );
    iamcr_gen::eval_case(&id, None, Some(&source), case, evaluation)
}

/// Whether the oracle with `caps` can answer a case: through the case format, as a live run
/// asks it (the skip accounting `simulate` prints).
pub fn simulator_check(
    caps: &Capabilities,
    case: &iamcr_case::EvalCase,
) -> Result<(), iamcr_oracle::Unsupported> {
    caps.check(&crate::oracle_case::query(case))
}

/// Check the cases `first..first + slice.len()` of the stream.
fn check_slice(
    settings: Settings,
    first: usize,
    slice: &[GenCase],
    done: &std::sync::atomic::AtomicUsize,
    progress: &(impl Fn(usize) + Sync),
) -> Report {
    let caps = Capabilities::simulator();
    let all: &[Law] = laws();
    let mut report = empty_report();
    for (offset, case) in slice.iter().enumerate() {
        let index = first + offset;
        report.cases += 1;
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        for b in iamcr_gen::validity::check(&case.policies, &case.request) {
            report.rule_breaks.push(RuleBreak {
                rule: b.rule.name(),
                index,
                detail: b.detail,
            });
        }
        let evaluation = match case.evaluate_with(&mut report.coverage) {
            Ok(e) => e,
            Err(e) => {
                report.uncompilable += 1;
                report.uncompilable_cases.push(Uncompilable {
                    index,
                    error: e.to_string(),
                });
                progress(n);
                continue;
            }
        };
        report.coverage.record(&case.request, &evaluation);
        let eval_case = case_file(settings, index, case, &evaluation);
        if let Err(u) = simulator_check(&caps, &eval_case) {
            report.simulator_would_skip.add(u.limitation);
        }
        for law in all {
            report.checks += 1;
            if let Err(detail) = (law.check)(case, &evaluation) {
                report.violations.push(Violation {
                    law: law.name,
                    index,
                    detail,
                    case: serde_json::to_value(&eval_case).unwrap_or_default(),
                });
            }
        }
        progress(n);
    }
    report
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    #[test]
    fn a_panicking_worker_fails_the_run_naming_its_cases() {
        let items: Vec<usize> = (0..10).collect();
        let out = in_workers(&items, 4, |first, slice| {
            if slice.contains(&5) {
                panic!("boom at {first}");
            }
            slice.len()
        });
        let err = out.unwrap_err();
        assert_eq!((err.worker, err.first, err.cases), (1, 4, 4));
        assert_eq!(err.message, "boom at 4");
        assert!(err.to_string().contains("cases 4..8"), "{err}");
    }

    #[test]
    fn workers_keep_every_result_in_order() {
        let items: Vec<usize> = (0..10).collect();
        let out = in_workers(&items, 4, |first, slice| (first, slice.len())).unwrap();
        assert_eq!(out, vec![(0, 4), (4, 4), (8, 2)]);
    }

    #[test]
    fn an_uncompilable_case_is_a_problem_of_the_run() {
        let settings = Settings {
            count: 1,
            seed: 7,
            preset: Preset::CleanRooms,
        };
        let mut case = SeededCases::new(Generator::preset(settings.preset).unwrap(), 7)
            .next()
            .unwrap();
        // A statement without an Effect (built in code: the parser refuses one) does not
        // compile.
        let mut policy =
            iamcr_policy::parse(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
                .unwrap();
        policy.statements[0].value.effect = None;
        case.policies.identity.push(policy);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let report = check_slice(settings, 3, &[case], &done, &|_| {});
        assert_eq!(report.uncompilable, 1);
        assert_eq!(report.uncompilable_cases[0].index, 3);
        assert!(
            report.uncompilable_cases[0].error.contains("Effect"),
            "{:?}",
            report.uncompilable_cases
        );
        assert_eq!(report.problems(), 1);
    }
}
