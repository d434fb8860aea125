//! Instruction counts of reading policies (gungraun, under Valgrind's callgrind), on the
//! inputs of `benches/parse.rs`: every managed policy in `corpus/policies/managed/`, and
//! generated identity policies of 5, 50 and 500 KB. Target (issue #19): `parse_validate`
//! ≤ 1.2× `serde_json_value` on every managed policy, and instructions per byte the same at
//! every size (linear).
//!
//! Run: `cargo bench --bench parse_instructions` (needs gungraun-runner 0.20.0).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use common::sized;
use gungraun::{library_benchmark, library_benchmark_group, main};
use iamcr_policy::PolicyKind;
use std::hint::black_box;

fn managed(name: &str) -> Vec<u8> {
    sized::managed_policies()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, bytes)| bytes)
        .expect("managed policy in corpus")
}

fn generated(bytes: usize) -> Vec<u8> {
    sized::identity_policy(bytes).into_bytes()
}

#[library_benchmark]
#[bench::full_access(args = ("AWSCleanRoomsFullAccess"), setup = managed)]
#[bench::full_access_no_querying(args = ("AWSCleanRoomsFullAccessNoQuerying"), setup = managed)]
#[bench::ml_full_access(args = ("AWSCleanRoomsMLFullAccess"), setup = managed)]
#[bench::ml_read_only(args = ("AWSCleanRoomsMLReadOnlyAccess"), setup = managed)]
#[bench::read_only(args = ("AWSCleanRoomsReadOnlyAccess"), setup = managed)]
#[bench::size_5kb(args = (5_000), setup = generated)]
#[bench::size_50kb(args = (50_000), setup = generated)]
#[bench::size_500kb(args = (500_000), setup = generated)]
fn serde_json_value(bytes: Vec<u8>) -> serde_json::Value {
    black_box(serde_json::from_slice(black_box(&bytes)).unwrap())
}

#[library_benchmark]
#[bench::full_access(args = ("AWSCleanRoomsFullAccess"), setup = managed)]
#[bench::full_access_no_querying(args = ("AWSCleanRoomsFullAccessNoQuerying"), setup = managed)]
#[bench::ml_full_access(args = ("AWSCleanRoomsMLFullAccess"), setup = managed)]
#[bench::ml_read_only(args = ("AWSCleanRoomsMLReadOnlyAccess"), setup = managed)]
#[bench::read_only(args = ("AWSCleanRoomsReadOnlyAccess"), setup = managed)]
#[bench::size_5kb(args = (5_000), setup = generated)]
#[bench::size_50kb(args = (50_000), setup = generated)]
#[bench::size_500kb(args = (500_000), setup = generated)]
fn parse_validate(bytes: Vec<u8>) -> iamcr_policy::Report {
    black_box(iamcr_policy::check_bytes(
        black_box(&bytes),
        PolicyKind::Identity,
    ))
}

library_benchmark_group!(name = reading; benchmarks = serde_json_value, parse_validate);

main!(library_benchmark_groups = reading);
