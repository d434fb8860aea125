//! Instruction counts of evaluation (gungraun, under Valgrind's callgrind). Counts do not
//! depend on what else the machine is doing, so a regression shows even on the shared 2-core
//! machines where wall-clock benches are noisy. The inputs and the targets (issue #19) are
//! those of `benches/evaluate.rs`:
//! - `hot_path`: one evaluation, policies compiled beforehand;
//! - `compile`: `Authorizer::new` on the realistic set — ≤ 40× `hot_path`'s
//!   `b_cleanrooms_caller_start_query`;
//! - `cold_path`: text → decision, the model beside iam-rs — ≤ 1.0×;
//! - `wildcards`: many wildcard statements, the model beside iam-rs — ≥ 3× fewer.
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

use common::peer;
use gungraun::{library_benchmark, library_benchmark_group, main};
use iam_rs::{IAMRequest, PolicyEvaluator};
use iamcr_eval::{Authorizer, Evaluation, PolicySet, Request};
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

fn realistic_set() -> PolicySet {
    common::realistic_set(&common::realistic_texts())
}

#[library_benchmark]
#[bench::realistic(setup = realistic_set)]
fn compile(set: PolicySet) -> (Authorizer, PolicySet) {
    let auth = Authorizer::new(black_box(&set)).unwrap();
    (black_box(auth), set)
}

fn cold_inputs() -> (common::RealisticTexts, Request) {
    (
        common::realistic_texts(),
        common::realistic_request(common::START_QUERY),
    )
}

fn cold_inputs_peer() -> (common::RealisticTexts, IAMRequest) {
    (
        common::realistic_texts(),
        peer::realistic_request(common::START_QUERY),
    )
}

#[library_benchmark]
#[bench::start_query(setup = cold_inputs)]
fn cold_path_iamcr(input: (common::RealisticTexts, Request)) -> Evaluation {
    let set = common::realistic_set(black_box(&input.0));
    let evaluation = Authorizer::new(&set).unwrap().evaluate(black_box(&input.1));
    black_box(evaluation)
}

#[library_benchmark]
#[bench::start_query(setup = cold_inputs_peer)]
fn cold_path_iam_rs(input: (common::RealisticTexts, IAMRequest)) -> peer::Decision {
    let evaluator = peer::realistic_evaluator(black_box(&input.0));
    black_box(peer::decide(&evaluator, black_box(&input.1)))
}

fn wildcard_inputs(text: String) -> (Authorizer, Request) {
    (common::identity_only(&text), common::wildcard_request())
}

fn wildcard_inputs_peer(text: String) -> (PolicyEvaluator, IAMRequest) {
    (
        peer::evaluator(vec![peer::parse(&text)]),
        peer::wildcard_request(),
    )
}

#[library_benchmark]
#[bench::c_many_wildcards(args = (common::wildcard_policy(200)), setup = wildcard_inputs)]
#[bench::heavy_10(args = (common::wildcard_heavy_policy(10)), setup = wildcard_inputs)]
#[bench::heavy_100(args = (common::wildcard_heavy_policy(100)), setup = wildcard_inputs)]
#[bench::heavy_1000(args = (common::wildcard_heavy_policy(1000)), setup = wildcard_inputs)]
fn wildcards_iamcr(input: (Authorizer, Request)) -> (Evaluation, (Authorizer, Request)) {
    let evaluation = input.0.evaluate(black_box(&input.1));
    (black_box(evaluation), input)
}

#[library_benchmark]
#[bench::c_many_wildcards(args = (common::wildcard_policy(200)), setup = wildcard_inputs_peer)]
#[bench::heavy_10(args = (common::wildcard_heavy_policy(10)), setup = wildcard_inputs_peer)]
#[bench::heavy_100(args = (common::wildcard_heavy_policy(100)), setup = wildcard_inputs_peer)]
#[bench::heavy_1000(args = (common::wildcard_heavy_policy(1000)), setup = wildcard_inputs_peer)]
fn wildcards_iam_rs(
    input: (PolicyEvaluator, IAMRequest),
) -> (peer::Decision, (PolicyEvaluator, IAMRequest)) {
    let decision = peer::decide(&input.0, black_box(&input.1));
    (black_box(decision), input)
}

library_benchmark_group!(name = hot_path; benchmarks = evaluate);
library_benchmark_group!(name = compiling; benchmarks = compile);
library_benchmark_group!(name = cold_path; benchmarks = cold_path_iamcr, cold_path_iam_rs);
library_benchmark_group!(name = wildcards; benchmarks = wildcards_iamcr, wildcards_iam_rs);

main!(
    library_benchmark_groups = hot_path,
    compiling,
    cold_path,
    wildcards
);
