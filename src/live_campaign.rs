//! The steps of `simulate --live` that need no AWS SDK: the cases to ask (case files or
//! generated cases), the campaign and its plan, asking an oracle through the one differential
//! engine while keeping its answers as case-format cases, and the files a recording writes.
//! The command (xtask) checks its flags, connects, prints and writes; the SDK's simulator is
//! one [`Oracle`] among others here, so every step runs and is tested offline.

use crate::campaign::{Settings, case_file};
use crate::case::{Case, EvalCase};
use crate::load::{LoadedCase, SourceText};
use crate::oracle_case::{self, Campaign, Provenance};
use iamcr_oracle::plan::{Limits, plan};
use iamcr_oracle::probe::ProbeSettings;
use iamcr_oracle::{Capabilities, ModelOracle, Oracle, Query, Report, differential_observed};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Generated cases in case format, each with the model's answer as its expectation, named
/// `campaign-<preset>-s<seed>-<index>` (what a recording names its files by).
pub fn generated_cases(settings: Settings) -> Result<Vec<LoadedCase>, String> {
    let generator = iamcr_gen::Generator::preset(settings.preset).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(settings.count);
    let stream = iamcr_gen::SeededCases::new(generator, settings.seed).take(settings.count);
    for (index, case) in stream.enumerate() {
        let evaluation = case.evaluate().map_err(|e| {
            format!(
                "generated case {index} (seed {}, preset {}) does not compile: {e}",
                settings.seed, settings.preset
            )
        })?;
        let file = case_file(settings, index, &case, &evaluation);
        out.push(LoadedCase {
            file: PathBuf::from(format!(
                "generated seed={} preset={}",
                settings.seed, settings.preset
            )),
            line: 1,
            case: Case::Evaluation(Box::new(file)),
            // Not read from a file: no text to place policy errors in (none are expected:
            // the generator writes only policies the model compiled).
            source: SourceText::default(),
            policies: Vec::new(),
        });
    }
    Ok(out)
}

/// The campaign the simulator is asked: every case it can answer, with its neighbourhood
/// unless `probes` is false.
pub fn simulator_campaign(cases: &[LoadedCase], probes: bool) -> Campaign {
    let settings = ProbeSettings::default();
    oracle_case::campaign(
        cases,
        &Capabilities::simulator(),
        probes.then_some(&settings),
    )
}

/// What a run would ask and spend, from the same plan the runner follows
/// (`iamcr_oracle::plan`). Pages beyond the first and retries are not known in advance: the
/// requests counted are one per call, the least the run spends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    /// Queries whose id is not that of an earlier query (the runner asks each id once).
    pub distinct_queries: usize,
    /// `SimulateCustomPolicy` calls.
    pub calls: usize,
    /// (action, resource) pairs over all calls.
    pub pairs: usize,
    /// Pairs per call on average.
    pub pairs_per_call: f64,
    /// Calls per second.
    pub rate: f64,
    /// Seconds at least, at that rate.
    pub seconds_at_least: f64,
}

impl PlanSummary {
    /// The plan of `campaign`'s queries asked at `rate` calls per second.
    pub fn of(campaign: &Campaign, rate: f64) -> PlanSummary {
        let queries: Vec<Query> = campaign.queries.iter().map(|q| q.query.clone()).collect();
        let mut seen = HashSet::new();
        let distinct: Vec<usize> = (0..queries.len())
            .filter(|&i| seen.insert(queries[i].id()))
            .collect();
        let calls = plan(&queries, &distinct, &Limits::default());
        let pairs: usize = calls.iter().map(|call| call.members.len()).sum();
        PlanSummary {
            distinct_queries: distinct.len(),
            calls: calls.len(),
            pairs,
            pairs_per_call: pairs as f64 / calls.len().max(1) as f64,
            rate,
            seconds_at_least: calls.len() as f64 / rate,
        }
    }
}

/// How a report names a campaign's query: its case, and for a neighbour what it asks.
pub fn label(campaign: &Campaign, index: usize) -> String {
    let c = &campaign.queries[index];
    if c.probe {
        format!(
            "{} (neighbour {} on {})",
            c.case_id, c.query.action, c.query.resource
        )
    } else {
        c.case_id.clone()
    }
}

/// What asking an oracle gave: the comparison with the model, and the oracle's answers as
/// case-format cases by the case they were asked for (empty unless recording).
#[derive(Debug, Default)]
pub struct Asked {
    /// The model against the oracle, query by query.
    pub report: Report,
    /// Each answer as a case (`sim-<case>`, a neighbour `sim-<case>--probe-<query id>`),
    /// grouped by the case asked about.
    pub recorded: BTreeMap<String, Vec<EvalCase>>,
}

/// Ask `oracle` every query of `campaign` and compare its answers with the model's through
/// the one differential engine; with `record`, keep each answer as a case whose `source`
/// says where it came from.
pub fn ask(oracle: &mut impl Oracle, campaign: &Campaign, record: Option<&Provenance>) -> Asked {
    let queries: Vec<Query> = campaign.queries.iter().map(|c| c.query.clone()).collect();
    let mut recorded: BTreeMap<String, Vec<EvalCase>> = BTreeMap::new();
    let report = differential_observed(&mut ModelOracle, oracle, &queries, |i, answer| {
        let (Some(provenance), Ok(a)) = (record, answer) else {
            return;
        };
        let c = &campaign.queries[i];
        let id = if c.probe {
            format!("sim-{}--probe-{}", c.case_id, &c.query.id().0[..10])
        } else {
            format!("sim-{}", c.case_id)
        };
        let case = oracle_case::recorded_case(&id, &c.query, a, provenance.source(&c.case_id));
        recorded.entry(c.case_id.clone()).or_default().push(case);
    });
    Asked { report, recorded }
}

/// The files a recording into `dir` may write: one per case asked.
pub fn record_files(dir: &Path, campaign: &Campaign) -> Vec<PathBuf> {
    let mut ids: Vec<&str> = campaign
        .queries
        .iter()
        .map(|q| q.case_id.as_str())
        .collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| dir.join(format!("{id}.json")))
        .collect()
}

/// The recording's files: `<case id>.json` in `dir`, each the pretty JSON array of the
/// answers asked for that case.
pub fn recording(
    dir: &Path,
    recorded: &BTreeMap<String, Vec<EvalCase>>,
) -> Result<Vec<(PathBuf, String)>, String> {
    recorded
        .iter()
        .map(|(case_id, cases)| {
            let text = serde_json::to_string_pretty(cases).map_err(|e| e.to_string())?;
            Ok((dir.join(format!("{case_id}.json")), text + "\n"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            date: "2026-12-06".into(),
            region: "us-east-1".into(),
            sdk_version: "test".into(),
        }
    }

    /// Ten generated cases the simulator can answer, with their neighbours, asked of the
    /// model itself: every query is compared, none disagrees, and every answer is recorded
    /// under its case, the case's own query first with the `sim-<case>` id.
    #[test]
    fn asking_records_every_answer_under_its_case() {
        let settings = Settings {
            count: 10,
            seed: 7,
            preset: iamcr_gen::Preset::Live,
            shard: crate::campaign::Shard::default(),
        };
        let cases = generated_cases(settings).unwrap();
        let campaign = simulator_campaign(&cases, true);
        assert!(campaign.queries.len() > cases.len(), "neighbours are asked");
        let asked = ask(&mut ModelOracle, &campaign, Some(&provenance()));
        assert_eq!(asked.report.queries, campaign.queries.len());
        assert_eq!(asked.report.agreements, campaign.queries.len());
        let recorded: usize = asked.recorded.values().map(Vec::len).sum();
        assert_eq!(recorded, campaign.queries.len());
        for (case_id, answers) in &asked.recorded {
            assert_eq!(answers[0].id, format!("sim-{case_id}"));
            assert!(
                answers[1..]
                    .iter()
                    .all(|a| a.id.starts_with(&format!("sim-{case_id}--probe-")))
            );
        }
        let files = recording(Path::new("rec"), &asked.recorded).unwrap();
        assert_eq!(files.len(), asked.recorded.len());
        assert_eq!(record_files(Path::new("rec"), &campaign).len(), files.len());
        let none = ask(&mut ModelOracle, &campaign, None);
        assert!(none.recorded.is_empty());
    }

    /// The plan counts each distinct query once and its calls carry every pair.
    #[test]
    fn the_plan_covers_every_distinct_query() {
        let settings = Settings {
            count: 20,
            seed: 3,
            preset: iamcr_gen::Preset::Live,
            shard: crate::campaign::Shard::default(),
        };
        let campaign = simulator_campaign(&generated_cases(settings).unwrap(), false);
        let summary = PlanSummary::of(&campaign, 4.0);
        assert_eq!(summary.distinct_queries, campaign.queries.len());
        assert!(summary.calls > 0 && summary.calls <= summary.pairs);
        assert_eq!(summary.pairs, summary.distinct_queries);
        assert!((summary.seconds_at_least - summary.calls as f64 / 4.0).abs() < 1e-9);
    }

    /// The simulator's answers, given in advance: an oracle that reads no policy (the real
    /// simulator reads them in AWS, not here).
    struct Answered(std::collections::HashMap<iamcr_oracle::QueryId, iamcr_oracle::Answer>);

    impl Oracle for Answered {
        fn name(&self) -> &str {
            "simulator"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::simulator()
        }
        fn deviations(&self) -> iamcr_oracle::Deviations {
            iamcr_oracle::Deviations::Simulator
        }
        fn answer_all(
            &mut self,
            queries: &[Query],
        ) -> Vec<Result<iamcr_oracle::Answer, iamcr_oracle::OracleError>> {
            queries
                .iter()
                .map(|q| {
                    self.0
                        .get(&q.id())
                        .cloned()
                        .ok_or(iamcr_oracle::OracleError {
                            kind: iamcr_oracle::ErrorKind::NoResult,
                            message: "not answered".into(),
                        })
                })
                .collect()
        }
    }

    /// Policy texts read on `--live`'s path, from loading the cases to recording the answers,
    /// with the simulator's side standing in (it reads nothing here): each distinct text of
    /// the cases at most once, however many queries hold it (issue 17 item 2: queries carry
    /// shared texts parsed once). Measured on 2026-12-06 over the corpus (6,606 queries
    /// holding 7,883 policies, 270 distinct texts in the campaign, 399 in the cases): 11,139
    /// reads at first, 3,611 once the model compiled a run of equal policy sets once, 334 with
    /// shared texts (the texts of the cases the simulator cannot answer are read by the
    /// capability check, and never again).
    #[test]
    fn policy_reads_per_live_query() {
        let corpus = crate::load::load_all(&[std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/cases/eval"
        ))])
        .unwrap();
        let expected = simulator_campaign(&corpus, true);
        let answers = expected
            .queries
            .iter()
            .map(|c| (c.query.id(), ModelOracle.answer(&c.query).unwrap()))
            .collect();
        let mut simulator = Answered(answers);
        let before = iamcr_policy::reads_on_this_thread();
        let cases = crate::load::load_all(&[std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/cases/eval"
        ))])
        .unwrap();
        let loaded = iamcr_policy::reads_on_this_thread() - before;
        let campaign = simulator_campaign(&cases, true);
        let in_campaign = iamcr_policy::reads_on_this_thread() - before - loaded;
        let planned = PlanSummary::of(&campaign, 4.0);
        let in_plan = iamcr_policy::reads_on_this_thread() - before - loaded - in_campaign;
        let asked = ask(&mut simulator, &campaign, Some(&provenance()));
        let reads = iamcr_policy::reads_on_this_thread() - before;
        let in_ask = reads - loaded - in_campaign - in_plan;
        let queries = campaign.queries.len();
        let policies: usize = campaign
            .queries
            .iter()
            .map(|c| c.query.policies.all().len())
            .sum();
        let distinct: HashSet<&str> = campaign
            .queries
            .iter()
            .flat_map(|c| c.query.policies.all())
            .map(|(_, text)| text)
            .collect();
        let in_cases: HashSet<&str> = cases
            .iter()
            .filter_map(|c| match &c.case {
                Case::Evaluation(e) => Some(e.policies.policies()),
                Case::Validation(_) => None,
            })
            .flatten()
            .map(|doc| doc.text.as_str())
            .collect();
        assert_eq!(asked.report.agreements, queries);
        assert!(planned.calls > 0);
        eprintln!(
            "--live path: {queries} queries holding {policies} policies ({} distinct texts); \
             {reads} policy reads ({loaded} loading the cases, {in_campaign} building the \
             campaign, {in_plan} planning, {in_ask} asking and recording): {:.2} reads per policy of a \
             query, {:.2} per distinct text, {:.2} per query",
            distinct.len(),
            reads as f64 / policies as f64,
            reads as f64 / distinct.len() as f64,
            reads as f64 / queries as f64
        );
        assert!(
            reads as usize <= in_cases.len(),
            "{reads} reads of {} distinct texts in the cases",
            in_cases.len()
        );
        // The model compiles every text the campaign asks about, so each is read once: fewer
        // reads would mean the counter does not count.
        assert!(reads as usize >= distinct.len() && !distinct.is_empty());
    }
}
