//! Completeness against sampling, and soundness, on generated policy pairs.
//!
//! For each pair, a request is drawn from the generators (Clean Rooms preset) and two
//! identity policies are drawn aimed at it, so that NEW and OLD often decide it differently.
//! Properties:
//! - soundness: every witness of the comparison re-evaluates as claimed (NEW allows, OLD
//!   gives its recorded non-allow decision);
//! - completeness: when the drawn request is in the method's domain (docs/compare.md) and
//!   NEW allows it while OLD does not, the comparison reports a difference for its action and
//!   resource type, or says it might allow (a gap for that action, or for all actions).
//!
//! `cargo test` runs 64 pairs (debug builds are slow); the 10,000-pair run is ignored by default:
//! `cargo test -p iamcr-compare --release --test completeness -- --ignored`
//! (`COMPARE_PAIRS=N` changes the count).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use arbitrary::Unstructured;
use iamcr_cleanrooms::catalogue::Catalogue;
use iamcr_compare::{Comparison, Kind, Options, compare};
use iamcr_eval::{Authorizer, Decision, Principal, Request};
use iamcr_gen::{Generator, Preset};
use iamcr_policy::{Policy, PolicyKind};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The resource type the method files `r` under, or `None` when `r` is outside its domain.
fn class_of(r: &Request, old: &Policy, new: &Policy) -> Option<String> {
    if !matches!(
        r.principal,
        Principal::User { .. } | Principal::RoleSession { .. }
    ) || r.is_cross_account()
    {
        return None;
    }
    let cat = Catalogue::load().ok()?;
    let qualified = |p: &Policy, key: &str| {
        p.statements.iter().any(|s| {
            s.value.condition.as_ref().is_some_and(|c| {
                c.value.operators.iter().any(|o| {
                    let set = matches!(&o.operator.value, iamcr_policy::OperatorName::Known(op) if op.qualifier.is_some());
                    set && o.keys.iter().any(|k| k.key.value.eq_ignore_ascii_case(key))
                })
            })
        })
    };
    for e in r.context.entries() {
        let array = cat
            .condition_key_type(&e.key)
            .is_some_and(|k| k.multivalued || k.value_type.is_array());
        if e.values.len() > 1 && !array && !qualified(old, &e.key) && !qualified(new, &e.key) {
            return None; // a value set for a key the policies test as single-valued
        }
    }
    let Some(action) = cat.action(&r.action) else {
        return Some("any".into());
    };
    let service = cat.service(action.service_prefix())?;
    if action.resource_types.is_empty() {
        return (r.resource == "*").then(|| "*".into());
    }
    action
        .resource_types
        .iter()
        .filter_map(|t| service.resource_type(&t.resource_type))
        .find(|t| t.arn_template.match_arn(&r.resource) && ids_without_slash(&r.resource, t))
        .map(|t| t.name.clone())
}

/// The method reads `${…Id}` placeholders as identifiers without `/` (docs/compare.md).
fn ids_without_slash(arn: &str, t: &iamcr_cleanrooms::catalogue::ResourceType) -> bool {
    let has_id = t.arn_template.placeholders().any(|p| p.ends_with("Id"));
    let slashes_t = t.arn_template.as_str().matches('/').count();
    !has_id || arn.matches('/').count() == slashes_t
}

fn covered(c: &Comparison, r: &Request, rtype: &str) -> bool {
    let action = r.action.to_ascii_lowercase();
    c.differences.iter().any(|d| {
        d.action.eq_ignore_ascii_case(&action) && (d.resource_type == rtype || !d.catalogued)
    }) || c.differences.iter().any(|d| {
        !d.catalogued
            && Catalogue::load()
                .ok()
                .and_then(|k| k.action(&action))
                .is_none()
            && d.action.split(':').next() == action.split(':').next()
    }) || c.gaps.iter().any(|g| match &g.action {
        None => true,
        Some(a) => a.eq_ignore_ascii_case(&action),
    })
}

fn check_pair(bytes: &[u8], stats: &Stats) -> Result<(), TestCaseError> {
    let generator = Generator::preset(Preset::CleanRooms).unwrap();
    let mut u = Unstructured::new(bytes);
    let Ok(r) = generator.request(&mut u) else {
        return Ok(());
    };
    let (Ok(old), Ok(new)) = (
        generator.policy_for(&mut u, PolicyKind::Identity, &r),
        generator.policy_for(&mut u, PolicyKind::Identity, &r),
    ) else {
        return Ok(());
    };
    let compile = |p: &Policy| Authorizer::new(&Kind::Identity.policy_set(p));
    let (Ok(ao), Ok(an)) = (compile(&old), compile(&new)) else {
        return Ok(()); // the evaluator refuses the policy; so does the comparison
    };
    let c = compare(&old, &new, &Options::default())
        .map_err(|e| TestCaseError::fail(format!("compare failed: {e}")))?;
    stats.pairs.fetch_add(1, Ordering::Relaxed);
    for d in &c.differences {
        let n = an.evaluate(&d.witness).decision;
        let o = ao.evaluate(&d.witness).decision;
        if n != Decision::Allowed || o != d.old_decision || o == Decision::Allowed {
            return Err(TestCaseError::fail(format!(
                "unsound witness {} on {}: NEW {n}, OLD {o} (claimed {})",
                d.action, d.witness.resource, d.old_decision
            )));
        }
        stats.witnesses.fetch_add(1, Ordering::Relaxed);
    }
    let allowed_new = an.evaluate(&r).decision == Decision::Allowed;
    let allowed_old = ao.evaluate(&r).decision == Decision::Allowed;
    if !allowed_new || allowed_old {
        return Ok(());
    }
    stats.differing.fetch_add(1, Ordering::Relaxed);
    let Some(rtype) = class_of(&r, &old, &new) else {
        stats.outside.fetch_add(1, Ordering::Relaxed);
        return Ok(());
    };
    stats.checked.fetch_add(1, Ordering::Relaxed);
    if covered(&c, &r, &rtype) {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "{} on {} ({rtype}) is allowed by NEW and not by OLD, but not reported\nOLD: {}\nNEW: {}\ncontext: {:?}",
            r.action,
            r.resource,
            iamcr_policy::print(&old),
            iamcr_policy::print(&new),
            r.context.entries()
        )))
    }
}

#[derive(Default)]
struct Stats {
    pairs: AtomicUsize,
    witnesses: AtomicUsize,
    differing: AtomicUsize,
    outside: AtomicUsize,
    checked: AtomicUsize,
}

fn run(pairs: u32) {
    let stats = Stats::default();
    // A fixed seed: the run (and its counts) is the same every time.
    let config = Config {
        cases: pairs,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&iamcr_gen::strategy::bytes(), |b| check_pair(&b, &stats));
    if let Err(e) = result {
        panic!("{e}");
    }
    let get = |a: &AtomicUsize| a.load(Ordering::Relaxed);
    eprintln!(
        "{} pairs compared, {} witnesses checked, {} drawn requests NEW-only allowed ({} outside the domain, {} checked against the report)",
        get(&stats.pairs),
        get(&stats.witnesses),
        get(&stats.differing),
        get(&stats.outside),
        get(&stats.checked)
    );
    // A property that can pass on zero inputs must fail instead.
    assert!(
        get(&stats.checked) * 20 >= pairs as usize,
        "too few requests checked"
    );
    assert!(get(&stats.witnesses) > 0, "no witness checked");
}

#[test]
fn generated_pairs() {
    run(64);
}

#[test]
#[ignore = "heavy: 10,000 pairs (run with --release -- --ignored)"]
fn generated_pairs_heavy() {
    let n = std::env::var("COMPARE_PAIRS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    run(n);
}
