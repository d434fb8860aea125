//! Property: on generated policy sets and requests, evaluation never panics, and every law of
//! the offline campaign holds (`src/laws.rs`: determinism, fast path = traced path, statement
//! order and duplicates, a matching Deny gives `explicitDeny`, an unrelated Allow changes
//! nothing, action case, print/parse, Sid renaming, permissive SCP/RCP levels, unrelated
//! context keys).
//!
//! A failure prints the case in case format v1, ready to minimise and drop into
//! `corpus/cases/eval/` (see fuzz/README.md).
#![no_main]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz target reports a broken property by panicking: that is how libFuzzer sees it"
)]

use arbitrary::Unstructured;
use iamcr::laws::{Subject, laws};
use iamcr_fuzz as _; // the targets' allocator (fuzz/src/lib.rs)
use iamcr_gen::{Generator, Preset, case_json};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static GENERATORS: LazyLock<Vec<Generator>> = LazyLock::new(|| {
    Preset::ALL
        .iter()
        .map(|&p| Generator::preset(p).expect("the catalogue loads"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(generator) = u.choose(&GENERATORS[..]) else {
        return;
    };
    let Ok(case) = generator.case(&mut u) else {
        return;
    };
    // Policies the model cannot compile (a generator under `anything-goes` may write an
    // operator value no operator reads) are a reported error, not an evaluation.
    let Ok(authorizer) = iamcr_eval::Authorizer::new(&case.policies) else {
        return;
    };
    let evaluation = authorizer.evaluate(&case.request);
    // The variant comes from the input too, so that the fuzzer explores every law's
    // variations.
    let variant = u.arbitrary::<u64>().unwrap_or(0);
    let subject = Subject::new(&case, &authorizer, &evaluation, variant);
    for law in laws() {
        if let Err(why) = (law.check)(&subject) {
            let shown = case_json(
                "fuzz-eval-invariants",
                Some(law.name),
                Some("fuzz target eval_invariants"),
                &case,
                &evaluation,
            );
            panic!(
                "law {} broken: {why}\n{}",
                law.name,
                serde_json::to_string_pretty(&shown).unwrap_or_default()
            );
        }
    }
});
