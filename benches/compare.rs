//! Criterion bench of `iamcr_compare::compare` on the five Clean Rooms managed policies:
//! (a) one comparison, AWSCleanRoomsFullAccess over AWSCleanRoomsFullAccessNoQuerying (the
//! largest difference), (b) all 20 ordered pairs, and, side by side as the yardstick,
//! (c) compiling the two policies of (a) once. Target (issue #21): each comparison well
//! under a second; the ratio (a)/(c) says how much the enumeration costs over compiling.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use iamcr_compare::{Kind, Options, compare};
use iamcr_policy::Policy;
use std::hint::black_box;

const NAMES: [&str; 5] = [
    "AWSCleanRoomsFullAccess",
    "AWSCleanRoomsFullAccessNoQuerying",
    "AWSCleanRoomsMLFullAccess",
    "AWSCleanRoomsMLReadOnlyAccess",
    "AWSCleanRoomsReadOnlyAccess",
];

fn policy(name: &str) -> Policy {
    let path = format!(
        "{}/corpus/policies/managed/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    iamcr_policy::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bench(c: &mut Criterion) {
    let policies: Vec<Policy> = NAMES.iter().map(|n| policy(n)).collect();
    let options = Options::default();
    let mut g = c.benchmark_group("compare");
    g.sample_size(20);
    let (old, new) = (&policies[1], &policies[0]);
    assert!(!compare(old, new, &options).unwrap().differences.is_empty());
    g.bench_function("a_full_access_over_no_querying", |b| {
        b.iter(|| compare(black_box(old), black_box(new), &options).unwrap())
    });
    g.bench_function("b_managed_pairwise_20", |b| {
        b.iter(|| {
            for (i, o) in policies.iter().enumerate() {
                for (j, n) in policies.iter().enumerate() {
                    if i != j {
                        black_box(compare(o, n, &options).unwrap());
                    }
                }
            }
        })
    });
    g.bench_function("c_compile_both_policies", |b| {
        b.iter(|| {
            let a = iamcr_eval::Authorizer::new(&Kind::Identity.policy_set(black_box(old)));
            let b2 = iamcr_eval::Authorizer::new(&Kind::Identity.policy_set(black_box(new)));
            (a.unwrap(), b2.unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
