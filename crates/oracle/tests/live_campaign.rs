//! The standard campaign over the checked-in corpus, through the live simulator code path
//! (`aws-sdk-iam` serialising real requests and parsing real XML) against an in-process
//! fake IAM endpoint that answers with the model: how many action × resource pairs one
//! call carries, that throttling is survived, and that an interrupted campaign resumes
//! with every query answered exactly once.
#![cfg(feature = "live")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions too: a broken fixture must stop the test at once."
)]

mod support;

use iamcr_oracle::capability::partition;
use iamcr_oracle::journal::Journal;
use iamcr_oracle::live::Live;
use iamcr_oracle::pace::{Jitter, VirtualClock};
use iamcr_oracle::probe::{ProbeSettings, expand};
use iamcr_oracle::{
    Capabilities, ErrorKind, ModelOracle, Query, QueryId, Runner, Settings, compare,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use support::fake::Fake;

/// The campaign's queries: every corpus case the simulator can answer, with its
/// neighbourhood.
fn campaign() -> (usize, Vec<Query>) {
    let corpus = support::corpus::queries();
    let queries: Vec<Query> = corpus.iter().map(|(_, q)| q.clone()).collect();
    let caps = Capabilities::simulator();
    let (keep, skips) = partition(&queries, &caps);
    // Nothing is dropped silently: every case is asked or counted by reason.
    assert_eq!(keep.len() + skips.total(), queries.len());
    eprintln!(
        "corpus: {} cases, {} answerable, skipped: {skips}",
        queries.len(),
        keep.len()
    );
    let base: Vec<Query> = keep.iter().map(|&i| queries[i].clone()).collect();
    let (probes, probe_skips) = expand(&base, &caps, &ProbeSettings::default());
    eprintln!(
        "campaign: {} queries (probes skipped: {probe_skips})",
        probes.len()
    );
    (base.len(), probes.into_iter().map(|(_, q)| q).collect())
}

fn runner(fake: &Fake, settings: Settings) -> Runner<Live, VirtualClock> {
    let live = Live::from_config(&support::sdk_config(fake.client())).unwrap();
    Runner::with_clock(live, settings, VirtualClock::default(), Jitter::seeded(42))
}

fn paced() -> Settings {
    Settings {
        rate: Some(20.0),
        ..Settings::default()
    }
}

#[test]
fn standard_campaign_batches_survives_throttling_and_agrees_with_the_model() {
    let (base, queries) = campaign();
    assert!(base >= 400, "{base}");
    let fake = Fake::new(5, 1000);
    let mut r = runner(&fake, paced());
    let answers = r.run(&queries);
    let s = r.stats;
    let state = fake.state.lock().unwrap();
    eprintln!(
        "{} queries in {} calls, {} requests ({} throttled, {} pages): {:.2} pairs per call, {:.2} per request; {:.0} s at 20 calls/s",
        s.distinct,
        s.calls_completed,
        s.requests,
        s.throttled,
        s.pages,
        s.pairs_per_call(),
        s.pairs_answered as f64 / s.requests as f64,
        r.clock().now.as_secs_f64(),
    );
    assert!(
        s.pairs_per_call() >= 8.0,
        "{:.2} pairs per call",
        s.pairs_per_call()
    );
    assert!(state.throttled > 0 && s.throttled as usize == state.throttled);
    assert_eq!(s.requests as usize, state.requests);
    assert!(!s.budget_exhausted);
    // 20 calls per second at most: the virtual clock shows the pacing.
    assert!(r.clock().now.as_secs_f64() >= (s.requests as f64 - 1.0) / 20.0);
    // Every query answered exactly once, and the answers agree with the model up to the
    // documented deviations (the fake, like the simulator, never lists SCP statements).
    let model = ModelOracle;
    let (mut explained, mut identical) = (BTreeMap::new(), 0);
    for (q, a) in queries.iter().zip(&answers) {
        let a = a.as_ref().unwrap_or_else(|e| panic!("{e} for {q:?}"));
        let m = model.answer_one(q).unwrap();
        let c = compare(q, &m, a);
        assert!(c.acceptable(), "{q:?}: {:?}", c.findings);
        if c.identical() {
            identical += 1;
        }
        for f in &c.findings {
            *explained
                .entry(f.deviation.clone().unwrap_or_else(|| "-".into()))
                .or_insert(0) += 1;
        }
    }
    eprintln!("identical: {identical}; explained by deviation: {explained:?}");
    assert!(explained.contains_key("scp-statements-not-matched"));
}

#[test]
fn an_interrupted_campaign_resumes_with_every_query_answered_once() {
    let (_, queries) = campaign();
    let distinct: BTreeSet<QueryId> = queries.iter().map(Query::id).collect();
    let dir = std::env::temp_dir().join(format!("iamcr-resume-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("journal.jsonl");

    // Run 1 stops when its budget is spent, as an interrupted run would.
    let fake = Fake::new(7, 1000);
    let budget = Settings {
        max_calls: Some(200),
        ..paced()
    };
    let mut first = runner(&fake, budget).journal(Journal::open(&path).unwrap());
    let partial = first.run(&queries);
    assert!(first.stats.budget_exhausted);
    let answered_first = partial.iter().filter(|a| a.is_ok()).count();
    let not_asked = partial
        .iter()
        .filter(|a| a.as_ref().is_err_and(|e| e.kind == ErrorKind::NotAsked))
        .count();
    assert!(answered_first > 0 && not_asked > 0);
    assert_eq!(answered_first + not_asked, queries.len());
    drop(first);
    // And the process died in the middle of writing a line.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(br#"{"q":"00ff","answer":{"decis"#).unwrap();
    drop(f);

    // Run 2 resumes from the journal.
    let fake2 = Fake::new(7, 1000);
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.unreadable_lines, 1);
    let mut second = runner(&fake2, paced()).journal(journal);
    let resumed = second.run(&queries);
    assert_eq!(second.stats.from_journal, answered_first);
    assert!(!second.stats.budget_exhausted);
    assert!(resumed.iter().all(Result::is_ok));

    // The journal holds every query exactly once.
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().next(), Some(iamcr_oracle::journal::HEADER));
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines().skip(1) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            *count
                .entry(v["q"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert!(count.values().all(|n| *n == 1));
    let journaled: BTreeSet<QueryId> = count.into_keys().map(QueryId).collect();
    assert_eq!(journaled, distinct);

    // And the answers are those of an uninterrupted run.
    let fake3 = Fake::new(0, 1000);
    let whole = runner(&fake3, Settings::default()).run(&queries);
    for (a, b) in resumed.iter().zip(&whole) {
        assert_eq!(a.as_ref().unwrap(), b.as_ref().unwrap());
    }
    // Run 1 and run 2 together asked no pair twice.
    let pairs_1: usize = fake.state.lock().unwrap().pairs.iter().sum();
    let pairs_2: usize = fake2.state.lock().unwrap().pairs.iter().sum();
    let pairs_whole: usize = fake3.state.lock().unwrap().pairs.iter().sum();
    assert_eq!(
        pairs_1 + pairs_2,
        pairs_whole,
        "{pairs_1} + {pairs_2} vs {pairs_whole}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn small_pages_give_the_same_answers() {
    let (_, queries) = campaign();
    let sample: Vec<Query> = queries.into_iter().take(400).collect();
    let paged = Fake::new(0, 2);
    let a = runner(&paged, Settings::default()).run(&sample);
    let whole = Fake::new(0, 1000);
    let b = runner(&whole, Settings::default()).run(&sample);
    assert_eq!(a, b);
    let state = paged.state.lock().unwrap();
    assert!(state.requests > whole.state.lock().unwrap().requests);
}
