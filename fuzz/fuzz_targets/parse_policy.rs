//! Property: for any bytes, reading and checking a policy never panics or hangs; every
//! diagnostic points inside the input; and a policy that parses prints to text that parses
//! back to an equal policy.
#![no_main]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "A fuzz target reports a broken property by panicking: that is how libFuzzer sees it."
)]

use iamcr_fuzz as _; // the targets' allocator (fuzz/src/lib.rs)
use iamcr_policy::{PolicyKind, check_bytes, parse, print};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // One kind per input, chosen by length so that no byte of the input is spent on it:
    // kinds change messages and rules but not the reader, and over a run every kind is
    // exercised. (Checking all seven kinds per input cut throughput sevenfold.)
    let kind = PolicyKind::ALL[data.len() % PolicyKind::ALL.len()];
    let report = check_bytes(data, kind);
    for d in &report.diagnostics {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= data.len(),
            "diagnostic span {:?} outside the input of {} bytes: {d}",
            d.span,
            data.len()
        );
        assert!(
            d.start.line >= 1 && d.start.column >= 1,
            "positions are 1-based: {d}"
        );
    }
    // Round trip for inputs that `parse` accepts; the report says which and holds the very
    // policy `parse` returns (checked by a unit test in iamcr-policy), so the text is read
    // once. Idempotence and the compact form are the `roundtrip` target's job.
    if report.parses
        && let Some(policy) = &report.policy
    {
        let printed = print(policy);
        let again = parse(&printed)
            .unwrap_or_else(|e| panic!("printed policy does not parse: {e:?}\n{printed}"));
        assert_eq!(&again, policy, "print/parse changed the policy:\n{printed}");
    }
});
