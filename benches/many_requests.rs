//! Many requests of one policy set (issue #19): the raw evaluator deciding N requests of one
//! compiled set, beside the workload path that asks the same N questions as queries — the
//! model oracle answering a neighbourhood probe of the realistic Clean Rooms caller
//! (`probe::neighbourhood`, then `ModelOracle::answer_all`, which parses and compiles a run of
//! queries with equal policy texts once, builds each request and converts each answer).
//!
//! Target: the workload reaches ≥ 25 % of the raw evaluator's decisions per second. Both
//! benches decide the same N requests; criterion prints each as elements/s, and the ratio is
//! the raw bench's time over the workload's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamcr_oracle::{ModelOracle, Oracle};
use std::hint::black_box;

fn many_requests(c: &mut Criterion) {
    let queries = common::probe::queries();
    let (auth, requests) = common::probe::compiled_requests(&queries);
    // The two paths decide the same requests alike.
    let answers = ModelOracle.answer_all(&queries);
    for (r, a) in requests.iter().zip(&answers) {
        assert_eq!(auth.evaluate(r).decision, a.as_ref().unwrap().decision);
    }
    let mut g = c.benchmark_group("many_requests");
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function(format!("raw_evaluate_{}", queries.len()), |b| {
        b.iter(|| {
            for r in &requests {
                black_box(auth.evaluate(black_box(r)));
            }
        })
    });
    g.bench_function(format!("probe_answer_all_{}", queries.len()), |b| {
        b.iter(|| ModelOracle.answer_all(black_box(&queries)))
    });
    g.finish();
}

criterion_group!(benches, many_requests);
criterion_main!(benches);
