//! Criterion benches of evaluation:
//! - `evaluate`: the hot path, policies compiled once outside the loop: (a) one statement,
//!   one request; (b) a realistic Clean Rooms caller — AWSCleanRoomsFullAccess + a customer
//!   policy + a permissions boundary + two SCP levels, with conditions; (c) a worst case of
//!   many wildcard statements. (b) should stay under 1 µs (goal 300 ns).
//! - `compile`: compiling the realistic set (`Authorizer::new`) beside one evaluation of it;
//!   target (issue #19): compile ≤ 40 evaluations.
//! - `cold_path`: from policy text to decision (parse + compile + evaluate) of the realistic
//!   set, beside iam-rs doing the same (parse + evaluator + evaluate); target ≤ 1.0×.
//! - `wildcards`: (c) and the wildcard-heavy scaling family (10, 100, 1000 statements),
//!   compiled once, beside iam-rs on the same policies; target ≥ 3× iam-rs's speed.
//!
//! Targets are ratios of benches in one run, never timed tests; `evaluate_instructions`
//! counts instructions of the same inputs (steadier on a shared machine).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use common::{peer, realistic, simple, wildcards};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use iamcr_eval::{Authorizer, Decision};
use std::hint::black_box;

fn evaluate(c: &mut Criterion) {
    let mut g = c.benchmark_group("evaluate");
    let (auth, req) = simple();
    g.bench_function("a_one_statement", |b| {
        b.iter(|| auth.evaluate(black_box(&req)))
    });
    let (auth, pass, query) = realistic();
    assert_eq!(auth.evaluate(&pass).decision, Decision::Allowed);
    assert_eq!(auth.evaluate(&query).decision, Decision::Allowed);
    g.bench_function("b_cleanrooms_caller_passrole", |b| {
        b.iter(|| auth.evaluate(black_box(&pass)))
    });
    g.bench_function("b_cleanrooms_caller_start_query", |b| {
        b.iter(|| auth.evaluate(black_box(&query)))
    });
    let (auth, req) = wildcards();
    g.bench_function("c_many_wildcards", |b| {
        b.iter(|| auth.evaluate(black_box(&req)))
    });
    g.finish();
}

fn compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("compile");
    let set = common::realistic_set(&common::realistic_texts());
    let query = common::realistic_request(common::START_QUERY);
    let auth = Authorizer::new(&set).unwrap();
    g.bench_function("compile_realistic", |b| {
        b.iter(|| Authorizer::new(black_box(&set)).unwrap())
    });
    g.bench_function("evaluate_realistic_start_query", |b| {
        b.iter(|| auth.evaluate(black_box(&query)))
    });
    g.finish();
}

fn cold_path(c: &mut Criterion) {
    let mut g = c.benchmark_group("cold_path");
    let texts = common::realistic_texts();
    for (name, target) in [
        ("passrole", common::PASS_ROLE),
        ("start_query", common::START_QUERY),
    ] {
        let ours = common::realistic_request(target);
        let theirs = peer::realistic_request(target);
        let iamcr = || {
            let set = common::realistic_set(black_box(&texts));
            Authorizer::new(&set).unwrap().evaluate(black_box(&ours))
        };
        let iam_rs = || peer::decide(&peer::realistic_evaluator(black_box(&texts)), &theirs);
        assert_eq!(iamcr().decision, Decision::Allowed);
        assert_eq!(iam_rs(), peer::Decision::Allow);
        g.bench_function(BenchmarkId::new("iamcr", name), |b| b.iter(iamcr));
        g.bench_function(BenchmarkId::new("iam_rs", name), |b| b.iter(iam_rs));
    }
    g.finish();
}

fn wildcard_family(c: &mut Criterion) {
    let mut g = c.benchmark_group("wildcards");
    let mut inputs = vec![("c_many_wildcards".to_string(), common::wildcard_policy(200))];
    for n in common::WILDCARD_SIZES {
        inputs.push((format!("heavy_{n}"), common::wildcard_heavy_policy(n)));
    }
    let ours = common::wildcard_request();
    let theirs = peer::wildcard_request();
    for (name, text) in inputs {
        let auth = common::identity_only(&text);
        let evaluator = peer::evaluator(vec![peer::parse(&text)]);
        let decision = auth.evaluate(&ours).decision;
        let peer_decision = peer::decide(&evaluator, &theirs);
        assert_eq!(
            decision == Decision::Allowed,
            peer_decision == peer::Decision::Allow,
            "{name}: {decision:?} vs {peer_decision:?}"
        );
        g.bench_function(BenchmarkId::new("iamcr", &name), |b| {
            b.iter(|| auth.evaluate(black_box(&ours)))
        });
        g.bench_function(BenchmarkId::new("iam_rs", &name), |b| {
            b.iter(|| evaluator.evaluate(black_box(&theirs)))
        });
    }
    g.finish();
}

criterion_group!(benches, evaluate, compile, cold_path, wildcard_family);
criterion_main!(benches);
