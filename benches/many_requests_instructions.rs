//! Instruction counts of the many-requests workload (issue #19; gungraun, under Valgrind's
//! callgrind): the same two paths as `benches/many_requests.rs`, side by side — the raw
//! evaluator deciding the probe's requests with one compiled set, and the model oracle
//! answering the probe's queries (`ModelOracle::answer_all`: compiling the run's policies,
//! building and retargeting the request, converting and dropping each answer). Counts do not
//! depend on what else the machine is doing; the target is the workload at ≥ 25 % of the raw
//! evaluator's decisions per second, so its count at most 4× the raw count.
//!
//! Run: `cargo bench --bench many_requests_instructions` (with `gungraun-runner` installed,
//! as for `benches/evaluate_instructions.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use gungraun::{library_benchmark, library_benchmark_group, main};
use iamcr_eval::{Authorizer, Request};
use iamcr_oracle::{ModelOracle, Oracle, Query};
use std::hint::black_box;

fn raw_inputs() -> (Authorizer, Vec<Request>) {
    common::probe::compiled_requests(&common::probe::queries())
}

#[library_benchmark]
#[bench::probe(setup = raw_inputs)]
fn raw_evaluate(input: (Authorizer, Vec<Request>)) -> (Authorizer, Vec<Request>) {
    // Each evaluation is dropped, as in the criterion bench; the inputs are returned so that
    // dropping them is not counted.
    for r in &input.1 {
        black_box(input.0.evaluate(black_box(r)));
    }
    input
}

#[library_benchmark]
#[bench::probe(setup = common::probe::queries)]
fn probe_answer_all(queries: Vec<Query>) -> Vec<Query> {
    // The answers are dropped here (the criterion bench's iteration drops them too).
    black_box(ModelOracle.answer_all(black_box(&queries)));
    queries
}

library_benchmark_group!(name = many_requests; benchmarks = raw_evaluate, probe_answer_all);

main!(library_benchmark_groups = many_requests);
