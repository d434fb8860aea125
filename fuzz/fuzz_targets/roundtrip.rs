//! Property: every policy the generator makes survives printing — pretty and compact print
//! parse back to an equal policy, and printing is idempotent — and, under the presets that
//! promise it (`well-formed`, `cleanrooms`), validates for its kind without an error.
//!
//! `parse_policy` starts from bytes, so most of its inputs are not policies; this target
//! starts from the generator, so every input is a structured policy with conditions,
//! variables, principals and the rare shapes (`NotPrincipal`, one-element arrays) the
//! printer must keep.
#![no_main]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz target reports a broken property by panicking: that is how libFuzzer sees it"
)]

use arbitrary::Unstructured;
use iamcr_fuzz as _; // the targets' allocator (fuzz/src/lib.rs)
use iamcr_gen::{Generator, Preset};
use iamcr_policy::{PolicyKind, Severity, parse, print, print_compact, validate};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// One generator per preset, built once: building one loads the catalogue vocabulary.
static GENERATORS: LazyLock<Vec<(Preset, Generator)>> = LazyLock::new(|| {
    Preset::ALL
        .iter()
        .map(|&p| (p, Generator::preset(p).expect("the catalogue loads")))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((preset, generator)) = u.choose(&GENERATORS[..]) else {
        return;
    };
    let Ok(&kind) = u.choose(&PolicyKind::ALL) else {
        return;
    };
    let Ok(policy) = generator.policy(&mut u, kind) else {
        return;
    };
    let printed = print(&policy);
    let again = parse(&printed)
        .unwrap_or_else(|e| panic!("a printed {kind} policy does not parse: {e:?}\n{printed}"));
    assert_eq!(again, policy, "print/parse changed the policy:\n{printed}");
    assert_eq!(print(&again), printed, "printing is not idempotent");
    let compact = print_compact(&policy);
    assert_eq!(
        parse(&compact).ok().as_ref(),
        Some(&policy),
        "the compact form does not parse back equal:\n{compact}"
    );
    if *preset != Preset::AnythingGoes {
        let errors: Vec<_> = validate(&again, kind)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "preset {} promised a valid {kind} policy; validation says {errors:?}\n{printed}",
            preset.as_str()
        );
    }
});
