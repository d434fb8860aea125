//! The offline campaign: generated cases through the model with every metamorphic law,
//! coverage counters, and what a live campaign against the IAM policy simulator would
//! have to skip (by the simulator's declared capabilities).
//!
//! Streaming: workers take blocks of case indices from one counter, generate each block
//! from its place in the seeded stream ([`SeededCases::from_index`]) and check it at once,
//! so that memory holds a block per worker and the findings, whatever `--count` is. A
//! [`Shard`] is one of N disjoint slices of the stream; [`Report::merge`] sums shards'
//! reports.

use crate::laws::{self, Printed, Subject, laws};
use iamcr_eval::Authorizer;
use iamcr_gen::{Coverage, GenCase, Generator, Preset, SeededCases};
use iamcr_oracle::{Capabilities, SkipCounts};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Cases a worker takes at a time: large enough that taking is rare, small enough that the
/// last blocks spread over every worker.
const BLOCK: usize = 64;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// How many cases (in the whole stream, all shards together).
    pub count: usize,
    /// The seed of the case stream.
    pub seed: u64,
    /// The generator preset.
    pub preset: Preset,
    /// Which slice of the stream this run checks.
    pub shard: Shard,
}

/// The K-th of N disjoint, contiguous slices of a stream of cases (`K/N`, 1-based); `1/1` is
/// the whole stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K, from 1.
    pub index: usize,
    /// N, at least 1.
    pub of: usize,
}

impl Default for Shard {
    fn default() -> Shard {
        Shard { index: 1, of: 1 }
    }
}

impl Shard {
    /// The case indices of this shard of `count` cases: the N shards' ranges are disjoint
    /// and together `0..count`.
    pub fn range(self, count: usize) -> Range<usize> {
        let at = |k: usize| {
            usize::try_from(count as u128 * k as u128 / self.of.max(1) as u128).unwrap_or(count)
        };
        at(self.index - 1)..at(self.index)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard K/N (1 <= K <= N, e.g. 2/4)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, of) = (
            k.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
        if index == 0 || of == 0 || index > of {
            return Err(bad());
        }
        Ok(Shard { index, of })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.of)
    }
}

/// One broken law.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Violation {
    /// The law.
    pub law: String,
    /// The case's index in the stream (`--seed` and this reproduce it).
    pub index: usize,
    /// How it broke.
    pub detail: String,
    /// The case in case format, with the model's answer as the expectation.
    pub case: serde_json::Value,
}

/// A generated case the model could not compile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Uncompilable {
    /// The case's index in the stream.
    pub index: usize,
    /// The compile error.
    pub error: String,
}

/// A generated case describing something AWS cannot produce (`iamcr_gen::validity`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleBreak {
    /// The rule's name.
    pub rule: String,
    /// The case's index in the stream.
    pub index: usize,
    /// What breaks it.
    pub detail: String,
}

/// What the generated part of a campaign found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// Seconds spent (merged reports: the sum of every shard's).
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

    /// Add another part's counts and findings (a worker's, a shard's); findings stay in
    /// stream order.
    pub fn merge(&mut self, other: Report) {
        self.cases += other.cases;
        self.uncompilable += other.uncompilable;
        self.uncompilable_cases.extend(other.uncompilable_cases);
        self.checks += other.checks;
        self.violations.extend(other.violations);
        self.rule_breaks.extend(other.rule_breaks);
        self.coverage.merge(&other.coverage);
        for (l, n) in other.simulator_would_skip.0 {
            *self.simulator_would_skip.0.entry(l).or_default() += n;
        }
        self.seconds += other.seconds;
        self.violations.sort_by_key(|v| v.index);
        self.uncompilable_cases.sort_by_key(|u| u.index);
        self.rule_breaks.sort_by_key(|b| b.index);
    }
}

/// Run the generated campaign on every core (at most 8); `progress` is called with the
/// number of cases done so far (from worker threads).
pub fn run(settings: Settings, progress: impl Fn(usize) + Sync) -> Result<Report, String> {
    let started = std::time::Instant::now();
    let generator = Generator::preset(settings.preset).map_err(|e| e.to_string())?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let done = AtomicUsize::new(0);
    let caps = Capabilities::simulator();
    let range = settings.shard.range(settings.count);
    let partials = in_blocks(range, BLOCK, threads, Report::default, |block, report| {
        let len = block.len();
        let stream = SeededCases::from_index(generator.clone(), settings.seed, block.start as u64);
        for (index, case) in block.zip(stream) {
            check_case(settings, &caps, index, &case, report);
        }
        progress(done.fetch_add(len, Ordering::Relaxed) + len);
    })
    .map_err(|p| {
        format!(
            "{p} (seed {}, preset {}): its cases were not checked",
            settings.seed, settings.preset
        )
    })?;
    let mut report = Report::default();
    for p in partials {
        report.merge(p);
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A worker thread that panicked: which one, which cases it held, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerPanic {
    /// The worker's number (0-based).
    pub worker: usize,
    /// The first case index of the block it was checking.
    pub first: usize,
    /// How many cases that block held.
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

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

/// Run `work(block, accumulator)` over `range` in blocks of `block` indices on `threads`
/// scoped threads, each taking the next block as it finishes one, and return each
/// worker's accumulator. A block whose work panics is an error naming its worker and its
/// cases, and the other workers stop: its cases must never vanish from the report while the
/// run still passes.
pub fn in_blocks<A: Send>(
    range: Range<usize>,
    block: usize,
    threads: usize,
    init: impl Fn() -> A + Sync,
    work: impl Fn(Range<usize>, &mut A) + Sync,
) -> Result<Vec<A>, WorkerPanic> {
    let block = block.max(1);
    let next = AtomicUsize::new(range.start);
    let stop = AtomicBool::new(false);
    let worker = |n: usize| -> Result<A, WorkerPanic> {
        let mut acc = init();
        while !stop.load(Ordering::Relaxed) {
            let first = next.fetch_add(block, Ordering::Relaxed);
            if first >= range.end {
                break;
            }
            let end = first.saturating_add(block).min(range.end);
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                work(first..end, &mut acc);
            }));
            if let Err(payload) = ran {
                stop.store(true, Ordering::Relaxed);
                return Err(WorkerPanic {
                    worker: n,
                    first,
                    cases: end - first,
                    message: panic_message(payload.as_ref()),
                });
            }
        }
        Ok(acc)
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|n| {
                let worker = &worker;
                (n, scope.spawn(move || worker(n)))
            })
            .collect();
        let mut out = Vec::new();
        let mut first_panic: Option<WorkerPanic> = None;
        for (n, h) in handles {
            let result = h.join().unwrap_or_else(|payload| {
                Err(WorkerPanic {
                    worker: n,
                    first: range.start,
                    cases: range.len(),
                    message: panic_message(payload.as_ref()),
                })
            });
            match result {
                Ok(acc) => out.push(acc),
                Err(p) => {
                    if first_panic.as_ref().is_none_or(|f| p.first < f.first) {
                        first_panic = Some(p);
                    }
                }
            }
        }
        match first_panic {
            Some(p) => Err(p),
            None => Ok(out),
        }
    })
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

/// The query a live run would ask for a generated case whose policies are `printed` (with
/// [`iamcr_policy::print`], as [`case_file`] writes them): the query of its case file,
/// built without the rest of the file.
pub fn simulator_query(printed: &Printed, case: &GenCase) -> iamcr_oracle::Query {
    let policies = printed.map(|text| iamcr_case::PolicyDoc::object(text.as_str()));
    iamcr_oracle::Query::from_parts(&policies, &iamcr_gen::request(&case.request))
}

/// Check case `index` of the stream: the AWS rules it must keep, its policies compiled once,
/// the model's answer, what the simulator could answer, and every law.
fn check_case(
    settings: Settings,
    caps: &Capabilities,
    index: usize,
    case: &GenCase,
    report: &mut Report,
) {
    report.cases += 1;
    for b in iamcr_gen::validity::check(&case.policies, &case.request) {
        report.rule_breaks.push(RuleBreak {
            rule: b.rule.name().to_string(),
            index,
            detail: b.detail,
        });
    }
    let authorizer = match Authorizer::new(&case.policies) {
        Ok(a) => a,
        Err(e) => {
            report.uncompilable += 1;
            report.uncompilable_cases.push(Uncompilable {
                index,
                error: e.to_string(),
            });
            return;
        }
    };
    let evaluation = authorizer.evaluate_with(&case.request, &mut report.coverage);
    report.coverage.record(&case.request, &evaluation);
    // Printed once: the policy texts of the case file a live run would send, and the texts
    // the print-then-parse law parses.
    let printed = case.policies.map(iamcr_policy::print);
    // What the simulator could answer: the query of the case's file, as a live run would ask.
    if let Err(u) = caps.check(&simulator_query(&printed, case)) {
        report.simulator_would_skip.add(u.limitation);
    }
    report.checks += laws().len();
    let subject = Subject {
        printed: Some(&printed),
        ..Subject::new(case, &authorizer, &evaluation, index as u64)
    };
    laws::check_all(&subject, |law, detail| {
        // The case file only for a finding: most cases have none.
        let file = case_file(settings, index, case, &evaluation);
        report.violations.push(Violation {
            law: law.name.to_string(),
            index,
            detail,
            case: serde_json::to_value(&file).unwrap_or_default(),
        });
    });
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    fn settings(count: usize, shard: Shard) -> Settings {
        Settings {
            count,
            seed: 7,
            preset: Preset::CleanRooms,
            shard,
        }
    }

    #[test]
    fn a_panicking_worker_fails_the_run_naming_its_cases() {
        let out = in_blocks(
            0..10,
            4,
            2,
            || 0usize,
            |block, n| {
                if block.contains(&5) {
                    panic!("boom at {}", block.start);
                }
                *n += block.len();
            },
        );
        let err = out.unwrap_err();
        assert_eq!((err.first, err.cases), (4, 4));
        assert_eq!(err.message, "boom at 4");
        assert!(err.to_string().contains("cases 4..8"), "{err}");
    }

    #[test]
    fn workers_cover_every_index_exactly_once() {
        let out = in_blocks(3..1000, 7, 3, Vec::new, |block, seen: &mut Vec<usize>| {
            seen.extend(block);
        })
        .unwrap();
        let mut all: Vec<usize> = out.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (3..1000).collect::<Vec<_>>());
    }

    #[test]
    fn shards_are_disjoint_and_cover_the_stream() {
        for (count, n) in [(10, 3), (1, 4), (0, 2), (10_000, 7), (5, 5)] {
            let mut next = 0;
            for k in 1..=n {
                let r = Shard { index: k, of: n }.range(count);
                assert_eq!(r.start, next, "{k}/{n} of {count}");
                next = r.end;
            }
            assert_eq!(next, count);
        }
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, of: 4 }));
        for bad in ["0/4", "5/4", "4", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn merged_shards_equal_the_whole_run() {
        let whole = run(settings(300, Shard::default()), |_| {}).unwrap();
        let mut merged = Report::default();
        for k in 1..=3 {
            let part = run(settings(300, Shard { index: k, of: 3 }), |_| {}).unwrap();
            // Through JSON, as shard reports travel between machines.
            let text = serde_json::to_string(&part).unwrap();
            merged.merge(serde_json::from_str(&text).unwrap());
        }
        assert_eq!(merged.cases, 300);
        assert_eq!(merged.cases, whole.cases);
        assert_eq!(merged.checks, whole.checks);
        assert_eq!(merged.coverage, whole.coverage);
        assert_eq!(merged.simulator_would_skip, whole.simulator_would_skip);
        assert_eq!(merged.problems(), whole.problems());
    }

    #[test]
    fn a_campaign_case_is_compiled_as_a_whole_once() {
        // The laws compile only the policies they add or change (src/laws.rs).
        let s = settings(1, Shard::default());
        let generator = Generator::preset(s.preset).unwrap();
        let caps = Capabilities::simulator();
        for (index, case) in SeededCases::new(generator, s.seed).take(50).enumerate() {
            let mut report = Report::default();
            let before = iamcr_eval::compilations_on_this_thread();
            check_case(s, &caps, index, &case, &mut report);
            let compiled = iamcr_eval::compilations_on_this_thread() - before;
            assert_eq!(compiled, 1, "case {index}: {compiled} compilations");
            assert_eq!(report.checks, laws().len());
        }
    }

    #[test]
    fn the_skip_check_asks_what_the_case_file_asks() {
        // The campaign builds a case's query from its printed policies; a live run reads it
        // from the case file. Same query, same skip, on every preset.
        let caps = Capabilities::simulator();
        let mut skipped = 0;
        for preset in Preset::ALL {
            let s = Settings {
                preset,
                ..settings(1, Shard::default())
            };
            let generator = Generator::preset(preset).unwrap();
            for (index, case) in SeededCases::new(generator, s.seed).take(150).enumerate() {
                let evaluation = case.evaluate().unwrap();
                let file = case_file(s, index, &case, &evaluation);
                let printed = case.policies.map(iamcr_policy::print);
                let direct = simulator_query(&printed, &case);
                assert_eq!(direct, crate::oracle_case::query(&file), "{preset} {index}");
                let through_file = simulator_check(&caps, &file);
                assert_eq!(caps.check(&direct), through_file, "{preset} {index}");
                skipped += usize::from(through_file.is_err());
            }
        }
        // Both outcomes were met.
        assert!(skipped > 0 && skipped < 4 * 150, "{skipped}");
    }

    #[test]
    fn the_first_limitation_is_the_first_of_every_limitation() {
        // The skip check stops at the first limitation the oracle lacks; the full list,
        // filtered, must say the same for every subset it could be asked about: all, all but
        // the first i found, and one limitation alone.
        use iamcr_oracle::Limitation;
        use iamcr_oracle::capability::{first_limitation, limitations};
        let mut hits = 0;
        for preset in Preset::ALL {
            let generator = Generator::preset(preset).unwrap();
            for case in SeededCases::new(generator, 11).take(150) {
                let printed = case.policies.map(iamcr_policy::print);
                let q = simulator_query(&printed, &case);
                let all = limitations(&q);
                hits += all.len();
                for i in 0..=all.len() {
                    let skipped: Vec<Limitation> = all[..i].iter().map(|u| u.limitation).collect();
                    let wanted = |l: Limitation| !skipped.contains(&l);
                    assert_eq!(first_limitation(&q, &wanted).as_ref(), all.get(i), "{q:?}");
                }
                for l in Limitation::ALL {
                    let alone = all.iter().find(|u| u.limitation == l);
                    assert_eq!(first_limitation(&q, &|x| x == l).as_ref(), alone, "{l}");
                }
            }
        }
        assert!(hits > 4 * 150, "{hits}");
    }

    #[test]
    fn an_uncompilable_case_is_a_problem_of_the_run() {
        let s = settings(1, Shard::default());
        let mut case = SeededCases::new(Generator::preset(s.preset).unwrap(), 7)
            .next()
            .unwrap();
        // A statement without an Effect (built in code: the parser refuses one) does not
        // compile.
        let mut policy =
            iamcr_policy::parse(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
                .unwrap();
        policy.statements[0].value.effect = None;
        case.policies.identity.push(policy);
        let mut report = Report::default();
        check_case(s, &Capabilities::simulator(), 3, &case, &mut report);
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
