//! Criterion benches of reading a policy: the same bytes of a realistic policy
//! (`corpus/policies/managed/AWSCleanRoomsFullAccess.json`, 4.4 KB as AWS prints it, and a
//! minified copy) read three ways:
//!
//! - `serde_json_value`: `serde_json::from_slice::<serde_json::Value>`, the baseline of plain
//!   JSON reading (no spans, no duplicate keys, no policy shape);
//! - `parse`: `iamcr_policy::parse_bytes`, JSON with spans plus the typed policy AST;
//! - `parse_validate`: `iamcr_policy::check_bytes(…, PolicyKind::Identity)`, the above plus
//!   validation as an identity policy and line:column positions for the diagnostics.
//!
//! Throughput is reported in bytes of policy text. The number to watch is the ratio
//! `parse_validate / serde_json_value` on the same input (target: ≤ 1.2, issue #19):
//! - `parse/…`: that policy pretty and minified;
//! - `managed/…`: every managed policy in `corpus/policies/managed/`, as AWS prints it;
//! - `scaling/…`: generated identity policies of 5, 50 and 500 KB — linear work keeps the
//!   throughput (bytes/s) of each way of reading the same at every size.
//!
//! `cargo bench --bench parse_instructions` counts instructions of the same inputs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use common::sized;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use iamcr_policy::PolicyKind;
use std::hint::black_box;

const PRETTY: &[u8] = include_bytes!("../corpus/policies/managed/AWSCleanRoomsFullAccess.json");

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let value: serde_json::Value = serde_json::from_slice(PRETTY).unwrap();
    let minified = serde_json::to_vec(&value).unwrap();
    for bytes in [PRETTY, minified.as_slice()] {
        // Both copies are the same policy, and an acceptable identity policy.
        let policy = iamcr_policy::parse_bytes(bytes).unwrap();
        assert_eq!(policy, iamcr_policy::parse_bytes(PRETTY).unwrap());
        let report = iamcr_policy::check_bytes(bytes, PolicyKind::Identity);
        assert!(report.is_valid(), "{:?}", report.first_error());
    }
    vec![("pretty", PRETTY.to_vec()), ("minified", minified)]
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, bytes) in inputs() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("serde_json_value", name),
            &bytes,
            |b, bytes| {
                b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap())
            },
        );
        g.bench_with_input(BenchmarkId::new("parse", name), &bytes, |b, bytes| {
            b.iter(|| iamcr_policy::parse_bytes(black_box(bytes)).unwrap())
        });
        g.bench_with_input(
            BenchmarkId::new("parse_validate", name),
            &bytes,
            |b, bytes| b.iter(|| iamcr_policy::check_bytes(black_box(bytes), PolicyKind::Identity)),
        );
    }
    g.finish();
}

/// The three ways of reading `bytes`, side by side in group `g` under `name`.
fn three_ways(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    bytes: &[u8],
) {
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_with_input(
        BenchmarkId::new("serde_json_value", name),
        bytes,
        |b, bytes| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).unwrap())
        },
    );
    g.bench_with_input(BenchmarkId::new("parse", name), bytes, |b, bytes| {
        b.iter(|| iamcr_policy::parse_bytes(black_box(bytes)).unwrap())
    });
    g.bench_with_input(
        BenchmarkId::new("parse_validate", name),
        bytes,
        |b, bytes| b.iter(|| iamcr_policy::check_bytes(black_box(bytes), PolicyKind::Identity)),
    );
}

fn managed(c: &mut Criterion) {
    let mut g = c.benchmark_group("managed");
    for (name, bytes) in sized::managed_policies() {
        three_ways(&mut g, &name, &bytes);
    }
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    for (name, size) in sized::SIZES {
        let text = sized::identity_policy(size);
        // Past the identity quota (6,144 characters, 50 KB and up) the size is the one
        // problem: asserting no diagnostic at all stopped the bench there.
        let report = iamcr_policy::check(&text, PolicyKind::Identity);
        assert!(report.parses, "{:?}", report.first_error());
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.code == iamcr_policy::Code::PolicyTooLarge),
            "{:?}",
            report.first_error()
        );
        three_ways(&mut g, name, text.as_bytes());
    }
    g.finish();
}

/// A minified (one-line) policy with thousands of diagnostics and a non-ASCII character:
/// filling in line:column once cost O(diagnostics × length) here (see the test
/// `positions_on_minified_policies_are_exact`). Linear work keeps this near 8x `small`.
fn diagnostics(c: &mut Criterion) {
    let mut g = c.benchmark_group("check_minified_many_diagnostics");
    let policy = |n: usize| {
        let st = r#"{"Effect":"x","Action":"x","Resource":"x"}"#;
        let text = format!(r#"{{"Statement":[{}]}}"#, vec![st; n].join(","));
        text.replacen(r#""Action":"x""#, r#""Action":"é""#, 1)
    };
    for (name, n) in [("small", 400), ("large_8x", 3200)] {
        let text = policy(n);
        g.bench_function(name, |b| {
            b.iter(|| iamcr_policy::check(black_box(&text), PolicyKind::Trust))
        });
    }
    g.finish();
}

criterion_group!(benches, parse, managed, scaling, diagnostics);
criterion_main!(benches);
