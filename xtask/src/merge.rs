//! `cargo xtask merge`: one verdict from the reports of `cargo xtask simulate --shard K/N
//! --json` run on N machines. Every shard 1..N of one seed, preset and count must be there
//! exactly once; the generated parts are summed (`iamcr::campaign::Report::merge`), and the
//! corpus part, the same on every shard, is counted once.

use iamcr::campaign::{Report, RuleBreak, Shard, Uncompilable, Violation};
use iamcr_gen::Coverage;
use iamcr_oracle::SkipCounts;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `merge`.
#[derive(clap::Args)]
pub struct Args {
    /// The shards' reports: the output of `cargo xtask simulate --shard K/N --json`, one
    /// file per shard.
    #[arg(required = true, value_name = "REPORT")]
    reports: Vec<PathBuf>,
    /// Print the merged summary as JSON.
    #[arg(long)]
    json: bool,
}

/// What `merge` reads of a shard's `simulate --json` output (other fields are ignored).
#[derive(Deserialize)]
struct ShardOutput {
    corpus: serde_json::Value,
    generated: Generated,
}

/// A law a shard found broken, as `simulate --json` lists it.
#[derive(Deserialize)]
struct BrokenLaw {
    law: String,
    index: usize,
    detail: String,
}

/// The generated part of a shard's output.
#[derive(Deserialize)]
struct Generated {
    seed: u64,
    preset: String,
    count: usize,
    shard: Shard,
    cases: usize,
    uncompilable_cases: Vec<Uncompilable>,
    aws_rule_break_cases: Vec<RuleBreak>,
    law_checks: usize,
    violations: Vec<BrokenLaw>,
    coverage: Coverage,
    simulator_would_skip: SkipCounts,
    seconds: f64,
}

impl Generated {
    fn into_report(self) -> Report {
        Report {
            cases: self.cases,
            uncompilable: self.uncompilable_cases.len(),
            uncompilable_cases: self.uncompilable_cases,
            checks: self.law_checks,
            violations: self
                .violations
                .into_iter()
                .map(|v| Violation {
                    law: v.law,
                    index: v.index,
                    detail: v.detail,
                    case: serde_json::Value::Null,
                })
                .collect(),
            rule_breaks: self.aws_rule_break_cases,
            coverage: self.coverage,
            simulator_would_skip: self.simulator_would_skip,
            seconds: self.seconds,
        }
    }
}

/// The shards, read and checked to be one complete stream.
struct Merged {
    seed: u64,
    preset: String,
    count: usize,
    shards: usize,
    corpus: serde_json::Value,
    report: Report,
}

fn read(path: &Path) -> Result<ShardOutput, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a report of `cargo xtask simulate --json`: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The corpus part without its timing (the only part that differs between machines).
fn corpus_outcome(corpus: &serde_json::Value) -> serde_json::Value {
    let mut c = corpus.clone();
    if let Some(m) = c.as_object_mut() {
        m.remove("seconds");
    }
    c
}

fn merge(paths: &[PathBuf]) -> Result<Merged, String> {
    let mut shards: Vec<(PathBuf, ShardOutput)> = Vec::new();
    for p in paths {
        shards.push((p.clone(), read(p)?));
    }
    let (first_path, first) = &shards[0];
    let g = &first.generated;
    let n = g.shard.of;
    let mut seen = vec![None::<&Path>; n];
    for (path, s) in &shards {
        let h = &s.generated;
        if (h.seed, &h.preset, h.count, h.shard.of) != (g.seed, &g.preset, g.count, n) {
            return Err(format!(
                "{} is a shard of another run (seed {}, preset {}, count {}, {} shards) than {} \
                 (seed {}, preset {}, count {}, {n} shards)",
                path.display(),
                h.seed,
                h.preset,
                h.count,
                h.shard.of,
                first_path.display(),
                g.seed,
                g.preset,
                g.count
            ));
        }
        if let Some(earlier) = seen[h.shard.index - 1].replace(path) {
            return Err(format!(
                "{} and {} are both shard {}",
                earlier.display(),
                path.display(),
                h.shard
            ));
        }
        if corpus_outcome(&s.corpus) != corpus_outcome(&first.corpus) {
            return Err(format!(
                "{} checked another corpus than {} (their corpus results differ)",
                path.display(),
                first_path.display()
            ));
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| seen[k - 1].is_none())
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "shard {} missing: every shard 1/{n}..{n}/{n} is needed",
            missing.join(", ")
        ));
    }
    let (seed, preset, count) = (g.seed, g.preset.clone(), g.count);
    let corpus = first.corpus.clone();
    let mut report = Report::default();
    for (_, s) in shards {
        report.merge(s.generated.into_report());
    }
    Ok(Merged {
        seed,
        preset,
        count,
        shards: n,
        corpus,
        report,
    })
}

pub fn run(args: Args) -> ExitCode {
    let merged = match merge(&args.reports) {
        Ok(m) => m,
        Err(sentence) => {
            errln!("error: {sentence}.");
            return ExitCode::from(2);
        }
    };
    let corpus_failed = merged.corpus["summary"]["failed"].as_u64().unwrap_or(0) as usize;
    let disagreements = corpus_failed + merged.report.problems();
    if args.json {
        print_json(&merged, disagreements);
    } else {
        print_text(&merged, corpus_failed, disagreements);
    }
    if disagreements == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_json(m: &Merged, disagreements: usize) {
    let r = &m.report;
    outln!(
        "{}",
        serde_json::json!({
            "simulator_asked": false,
            "shards": m.shards,
            "corpus": m.corpus,
            "generated": {
                "seed": m.seed,
                "preset": m.preset,
                "count": m.count,
                "cases": r.cases,
                "uncompilable": r.uncompilable,
                "uncompilable_cases": r.uncompilable_cases,
                "aws_rule_breaks": r.rule_breaks.len(),
                "aws_rule_break_cases": r.rule_breaks,
                "law_checks": r.checks,
                "violations": r.violations.iter().map(|v| serde_json::json!({
                    "law": v.law, "index": v.index, "detail": v.detail})).collect::<Vec<_>>(),
                "coverage": r.coverage,
                "simulator_would_skip": r.simulator_would_skip,
                "seconds": r.seconds,
            },
            "disagreements": disagreements,
        })
    );
}

fn print_text(m: &Merged, corpus_failed: usize, disagreements: usize) {
    let r = &m.report;
    if disagreements == 0 {
        outln!(
            "PASS: no disagreement in {} shards (offline: no simulator was asked)",
            m.shards
        );
    } else {
        outln!(
            "FAIL: {disagreements} disagreement(s) in {} shards, listed below",
            m.shards
        );
    }
    outln!("checked:");
    outln!(
        "  the corpus ({} cases, the same on every shard): {} disagree",
        m.corpus["cases"].as_u64().unwrap_or(0),
        corpus_failed
    );
    outln!(
        "  {} of {} generated {} cases (seed {}) in {} shards: {} law checks, {} broken",
        r.cases,
        m.count,
        m.preset,
        m.seed,
        m.shards,
        r.checks,
        r.violations.len()
    );
    outln!(
        "  generated cases the model could not compile: {}; AWS could not produce: {}",
        r.uncompilable,
        r.rule_breaks
            .iter()
            .map(|b| b.index)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    if let Some(failures) = m.corpus["failures"].as_array() {
        for f in failures {
            outln!(
                "DISAGREE {}: {}",
                f["id"].as_str().unwrap_or(""),
                f["reason"].as_str().unwrap_or("")
            );
        }
    }
    for u in &r.uncompilable_cases {
        outln!("UNCOMPILABLE generated case {}: {}", u.index, u.error);
    }
    for b in &r.rule_breaks {
        outln!(
            "NOT-AWS generated case {} breaks {}: {}",
            b.index,
            b.rule,
            b.detail
        );
    }
    for v in &r.violations {
        outln!(
            "LAW {} broken by case {}: {} (the shard that ran it wrote the case to its findings/)",
            v.law,
            v.index,
            v.detail
        );
    }
}
