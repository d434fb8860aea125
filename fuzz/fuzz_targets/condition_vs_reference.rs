//! Property: every condition operator — each family, with `…IfExists`, `ForAllValues:` and
//! `ForAnyValue:` — gives the answer of the naive reference in `iamcr_gen::reference`, on
//! checks drawn by `iamcr_gen::reference::domain` (the reference's exact value domain; half
//! of the policy values aimed at the request's so that matches are common).
//!
//! The same drawing backs the property tests in `tests/properties/oracles.rs`, so a finding
//! here replays there from its bytes.
#![no_main]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz target reports a broken property by panicking: that is how libFuzzer sees it"
)]

use arbitrary::Unstructured;
use iamcr_fuzz as _; // the targets' allocator (fuzz/src/lib.rs)
use iamcr_gen::condition_check::model_holds;
use iamcr_gen::reference::domain::check;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(c) = check(&mut u) else {
        return;
    };
    let (model, reference) = (model_holds(&c), c.expected());
    assert_eq!(
        model, reference,
        "model says {model}, reference says {reference}: {c:#?}"
    );
});
