#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure is the report"
)]
//! The presets do what `docs/generators.md` promises: well-formed policies validate, the
//! `cleanrooms` preset balances decisions and exercises every operator family both ways,
//! seeded streams are reproducible, and the key table agrees with the catalogue.

use iamcr_gen::{Coverage, Generator, Preset, SeededCases, vocab};
use iamcr_policy::{PolicyKind, Severity};

fn coverage(preset: Preset, seed: u64, n: usize) -> Coverage {
    let generator = Generator::preset(preset).unwrap();
    let mut cov = Coverage::new();
    for case in SeededCases::new(generator, seed).take(n) {
        let e = case.evaluate_with(&mut cov).unwrap();
        cov.record(&case.request, &e);
    }
    cov
}

#[test]
fn cleanrooms_preset_balances_decisions_and_families() {
    let n: usize = std::env::var("IAMCR_GEN_COVERAGE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let cov = coverage(Preset::CleanRooms, 1, n);
    println!("{cov}");
    for d in ["allowed", "explicitDeny", "implicitDeny"] {
        assert!(
            cov.decision_share(d) >= 0.15,
            "{d}: {:.3}",
            cov.decision_share(d)
        );
    }
    let min = (20 * n / 10_000).max(1) as u64;
    for (family, tf) in cov.family_rows() {
        assert!(tf.min() >= min, "{family}: {tf:?}");
    }
}

/// Every policy of a valid preset passes validation for its kind (errors only; warnings
/// such as the unverified SCP Version rule do not count).
fn assert_valid(preset: Preset) {
    let generator = Generator::preset(preset).unwrap();
    let mut problems = Vec::new();
    for (i, case) in SeededCases::new(generator, 7).take(3000).enumerate() {
        let p = &case.policies;
        let mut all: Vec<(PolicyKind, &iamcr_policy::Policy)> = Vec::new();
        all.extend(p.identity.iter().map(|x| (PolicyKind::Identity, x)));
        all.extend(p.boundary.iter().map(|x| (PolicyKind::Boundary, x)));
        all.extend(p.session.iter().map(|x| (PolicyKind::Session, x)));
        all.extend(
            p.scp
                .iter()
                .flatten()
                .flatten()
                .map(|x| (PolicyKind::Scp, x)),
        );
        all.extend(
            p.rcp
                .iter()
                .flatten()
                .flatten()
                .map(|x| (PolicyKind::Rcp, x)),
        );
        if let Some(r) = &p.resource {
            let kind =
                iamcr_gen::resource_policy_kind(&case.request).unwrap_or(PolicyKind::Resource);
            all.push((kind, r));
        }
        for (kind, policy) in all {
            let text = iamcr_policy::print_compact(policy);
            let report = iamcr_policy::check(&text, kind);
            if let Some(d) = report
                .diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
            {
                problems.push(format!(
                    "case {i} {kind}: {} ({:?})\n{text}",
                    d.message, d.detail
                ));
            }
        }
    }
    let mut kinds: Vec<&str> = problems
        .iter()
        .map(|p| p.split('\n').next().unwrap_or(""))
        .collect();
    kinds.truncate(12);
    assert!(
        problems.is_empty(),
        "{} invalid policies:\n{}\nfirst in full: {}",
        problems.len(),
        kinds.join("\n"),
        problems[0]
    );
}

#[test]
fn well_formed_preset_policies_validate() {
    assert_valid(Preset::WellFormed);
}

#[test]
fn cleanrooms_preset_policies_validate() {
    assert_valid(Preset::CleanRooms);
}

#[test]
fn live_preset_policies_validate() {
    assert_valid(Preset::Live);
}

#[test]
fn every_preset_compiles_and_prints_parseably() {
    for preset in Preset::ALL {
        let generator = Generator::preset(preset).unwrap();
        for case in SeededCases::new(generator, 3).take(2000) {
            case.evaluate().unwrap();
            let json = serde_json::to_value(iamcr_gen::policies(&case.policies)).unwrap();
            assert!(json.is_object());
        }
    }
}

#[test]
fn seeded_streams_are_reproducible() {
    let generator = Generator::preset(Preset::AnythingGoes).unwrap();
    let a: Vec<String> = SeededCases::new(generator.clone(), 42)
        .take(50)
        .map(|c| format!("{:?}", c))
        .collect();
    let b: Vec<String> = SeededCases::new(generator.clone(), 42)
        .take(50)
        .map(|c| format!("{:?}", c))
        .collect();
    let c: Vec<String> = SeededCases::new(generator, 43)
        .take(50)
        .map(|c| format!("{:?}", c))
        .collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn key_table_agrees_with_the_catalogue() {
    let cat = iamcr_cleanrooms::Catalogue::load().unwrap();
    for k in vocab::KEYS {
        if k.name == "aws:RequestTag/fingerprint" {
            continue; // stands in for a Binary key; the catalogue has none
        }
        let def = cat
            .condition_key_type(k.name)
            .unwrap_or_else(|| panic!("{} is not in the catalogue", k.name));
        assert_eq!(
            def.value_type.element(),
            vocab::catalogue_type(k.kind),
            "{}",
            k.name
        );
        assert_eq!(def.value_type.is_array(), k.multivalued, "{}", k.name);
    }
    let v = vocab::Vocab::get().unwrap();
    assert_eq!(v.related.len(), vocab::RELATED_ACTIONS.len());
}

/// The size quota is checked on the compact text without printing it
/// (`iamcr_policy::compact_policy_size`): the same count as the printed text's, on every
/// policy every preset makes, for every kind's quota.
#[test]
fn the_quota_count_without_printing_is_the_printed_texts() {
    let mut policies = 0;
    for preset in Preset::ALL {
        let generator = Generator::preset(preset).unwrap();
        for case in SeededCases::new(generator, 5).take(300) {
            for (_, policy) in case.policies.entries() {
                let compact = iamcr_policy::print_compact(policy);
                for kind in PolicyKind::ALL {
                    assert_eq!(
                        iamcr_policy::compact_policy_size(policy, kind),
                        iamcr_policy::policy_size(&compact, kind),
                        "{preset} {kind:?}: {compact}"
                    );
                }
                policies += 1;
            }
        }
    }
    assert!(policies > 4 * 300, "{policies}");
}
