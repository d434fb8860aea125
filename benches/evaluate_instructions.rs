//! Instruction counts of the evaluation hot path (gungraun, under Valgrind's callgrind).
//! Counts do not depend on what else the machine is doing, so a regression shows even on
//! the shared 2-core machines where wall-clock benches are noisy.
//!
//! Run: `cargo install gungraun-runner --version 0.20.0 --locked` once (the runner's version
//! must equal the `gungraun` dev-dependency's), then `cargo bench --bench evaluate_instructions`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use gungraun::{library_benchmark, library_benchmark_group, main};
use iamcr_eval::{Authorizer, Evaluation, Request};
use std::hint::black_box;

fn one_statement() -> (Authorizer, Request) {
    common::simple()
}

fn cleanrooms_passrole() -> (Authorizer, Request) {
    let (auth, pass, _) = common::realistic();
    (auth, pass)
}

fn cleanrooms_start_query() -> (Authorizer, Request) {
    let (auth, _, query) = common::realistic();
    (auth, query)
}

fn many_wildcards() -> (Authorizer, Request) {
    common::wildcards()
}

#[library_benchmark]
#[bench::a_one_statement(setup = one_statement)]
#[bench::b_cleanrooms_caller_passrole(setup = cleanrooms_passrole)]
#[bench::b_cleanrooms_caller_start_query(setup = cleanrooms_start_query)]
#[bench::c_many_wildcards(setup = many_wildcards)]
fn evaluate(input: (Authorizer, Request)) -> (Evaluation, (Authorizer, Request)) {
    // The inputs are returned, not dropped here: dropping the compiled policies would be
    // counted as part of the evaluation.
    let evaluation = input.0.evaluate(black_box(&input.1));
    (black_box(evaluation), input)
}

library_benchmark_group!(name = hot_path; benchmarks = evaluate);

main!(library_benchmark_groups = hot_path);
