//! Consistency of the embedded catalogue data: cross-references resolve, ARN templates
//! round-trip, names are unique, and counts equal the sources' own counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use std::collections::HashSet;

use iamcr_cleanrooms::catalogue::{AccessLevel, Catalogue, ResourceType, Service};

fn cat() -> &'static Catalogue {
    Catalogue::load().expect("embedded catalogue data loads")
}

/// Expected item counts of one service.
///
/// Base numbers are the `counts` of the source files in /work/shared/reference; newer numbers
/// are the items only the newer sources have (see data/PROVENANCE.md).
struct Expected {
    prefix: &'static str,
    /// Actions: (base snapshot, newer upstream).
    actions: (usize, usize),
    /// Resource types: (base snapshot, newer upstream).
    resource_types: (usize, usize),
    /// Condition keys: (base snapshot, newer upstream).
    condition_keys: (usize, usize),
    /// Base actions marked permission-only.
    permission_only: usize,
}

const fn e(
    prefix: &'static str,
    actions: (usize, usize),
    resource_types: (usize, usize),
    condition_keys: (usize, usize),
    permission_only: usize,
) -> Expected {
    Expected {
        prefix,
        actions,
        resource_types,
        condition_keys,
        permission_only,
    }
}

const EXPECTED: [Expected; 8] = [
    e("cleanrooms", (92, 15), (9, 1), (3, 0), 4),
    e("cleanrooms-ml", (59, 0), (9, 0), (4, 0), 0),
    e("iam", (187, 3), (14, 1), (20, 2), 1),
    e("sts", (16, 0), (5, 0), (57, 74), 5),
    e("glue", (302, 2), (24, 0), (11, 0), 5),
    e("s3", (168, 12), (13, 0), (55, 7), 2),
    e("kms", (56, 0), (2, 0), (98, 0), 1),
    e("logs", (127, 5), (9, 0), (7, 0), 15),
];

/// (base, newer) split of items by their `newer_upstream` flag.
fn split<T>(items: &[T], newer: impl Fn(&T) -> bool) -> (usize, usize) {
    let n = items.iter().filter(|i| newer(i)).count();
    (items.len() - n, n)
}

#[test]
fn loads_and_reloads() {
    let c = cat();
    let fresh = Catalogue::from_embedded().unwrap();
    assert_eq!(c.services().len(), fresh.services().len());
    let prefixes: Vec<&str> = c.services().iter().map(|s| s.prefix.as_str()).collect();
    let expected: Vec<&str> = EXPECTED.iter().map(|e| e.prefix).collect();
    assert_eq!(prefixes, expected);
}

#[test]
fn counts_match_sources() {
    for exp in &EXPECTED {
        let prefix = exp.prefix;
        let s = cat().service(prefix).unwrap();
        let c = &s.counts;
        assert_eq!(
            split(&s.actions, |a| a.newer_upstream),
            exp.actions,
            "{prefix} actions"
        );
        assert_eq!(
            (c.actions, c.newer_upstream_actions),
            exp.actions,
            "{prefix}"
        );
        let rts = split(&s.resource_types, |r| r.newer_upstream);
        assert_eq!(rts, exp.resource_types, "{prefix} resource types");
        let counted = (c.resource_types, c.newer_upstream_resource_types);
        assert_eq!(counted, exp.resource_types, "{prefix}");
        let keys = split(&s.condition_keys, |k| k.newer_upstream);
        assert_eq!(keys, exp.condition_keys, "{prefix} condition keys");
        let counted = (c.condition_keys, c.newer_upstream_condition_keys);
        assert_eq!(counted, exp.condition_keys, "{prefix}");
        let po = s
            .actions
            .iter()
            .filter(|a| !a.newer_upstream && a.permission_only)
            .count();
        assert_eq!(
            (po, c.permission_only_actions),
            (exp.permission_only, exp.permission_only)
        );
        // Per access level, base snapshot only (the source counted before any merge).
        for (level, n) in &c.actions_by_access_level {
            let have = s
                .actions
                .iter()
                .filter(|a| !a.newer_upstream && a.access_level.as_str() == level)
                .count();
            assert_eq!(have, *n, "{prefix} {level}");
        }
        assert_eq!(
            c.actions_by_access_level.values().sum::<usize>(),
            exp.actions.0
        );
    }
}

#[test]
fn global_key_counts_match_source() {
    let c = cat();
    let g = c.global_counts();
    assert_eq!(
        (g.global_keys, g.cross_service_keys, g.multivalued),
        (52, 9, 7)
    );
    let cross = c.global_keys().iter().filter(|k| k.cross_service).count();
    let multi = c.global_keys().iter().filter(|k| k.key.multivalued).count();
    assert_eq!((c.global_keys().len() - cross, cross, multi), (52, 9, 7));
    assert_eq!(
        c.global_keys()
            .iter()
            .filter(|k| k.sensitive_no_wildcards)
            .count(),
        10
    );
}

#[test]
fn no_duplicate_names_within_a_service() {
    for s in cat().services() {
        let mut seen = HashSet::new();
        for a in &s.actions {
            assert!(
                seen.insert(a.name.to_lowercase()),
                "{}: duplicate action {}",
                s.prefix,
                a.name
            );
        }
        let mut seen = HashSet::new();
        for r in &s.resource_types {
            assert!(
                seen.insert(r.name.to_lowercase()),
                "{}: duplicate rt {}",
                s.prefix,
                r.name
            );
        }
        let mut seen = HashSet::new();
        for k in &s.condition_keys {
            assert!(
                seen.insert(k.name.to_lowercase()),
                "{}: duplicate key {}",
                s.prefix,
                k.name
            );
        }
        // Within one action too (the service reference lists s3:signatureversion twice for
        // s3:GetBucketObjectLockConfiguration; the build script de-duplicates and notes it).
        for a in &s.actions {
            let keys: HashSet<_> = a.condition_keys.iter().map(|k| k.to_lowercase()).collect();
            assert_eq!(
                keys.len(),
                a.condition_keys.len(),
                "{}:{}",
                s.prefix,
                a.name
            );
            let rts: HashSet<_> = a
                .resource_types
                .iter()
                .map(|r| r.resource_type.to_lowercase())
                .collect();
            assert_eq!(rts.len(), a.resource_types.len(), "{}:{}", s.prefix, a.name);
        }
    }
}

/// Action → resource-type references the sources leave dangling, as (prefix, action, type).
/// Empty: neither the SAR snapshots nor the service reference have any.
const DANGLING_RESOURCE_TYPES: &[(&str, &str, &str)] = &[];

#[test]
fn action_resource_types_exist() {
    let mut dangling = Vec::new();
    for s in cat().services() {
        for a in &s.actions {
            for r in &a.resource_types {
                // Exact spelling: the SAR spells names consistently within a page.
                if !s.resource_types.iter().any(|t| t.name == r.resource_type) {
                    dangling.push((s.prefix.as_str(), a.name.as_str(), r.resource_type.as_str()));
                }
            }
        }
    }
    assert_eq!(dangling, DANGLING_RESOURCE_TYPES);
}

/// Condition keys referenced but defined neither in the service nor globally, as
/// (prefix, referencing item, key). Empty: every referenced key is defined (the sources
/// list the `aws:` tag keys in each service's own key table too).
const UNDEFINED_KEYS: &[(&str, &str, &str)] = &[];

#[test]
fn referenced_condition_keys_are_defined() {
    let c = cat();
    let defined = |s: &Service, key: &str| {
        s.condition_keys.iter().any(|k| k.name == key)
            || c.global_keys().iter().any(|g| g.key.name == key)
    };
    let mut undefined = Vec::new();
    for s in c.services() {
        let refs = s
            .actions
            .iter()
            .flat_map(|a| a.condition_keys.iter().map(move |k| (a.name.as_str(), k)))
            .chain(
                s.resource_types
                    .iter()
                    .flat_map(|r| r.condition_keys.iter().map(move |k| (r.name.as_str(), k))),
            );
        for (item, key) in refs {
            if !defined(s, key) {
                undefined.push((s.prefix.as_str(), item, key.as_str()));
            }
        }
    }
    assert_eq!(undefined, UNDEFINED_KEYS);
}

#[test]
fn dependent_actions_of_catalogued_services_exist() {
    let c = cat();
    for a in c.actions() {
        for dep in &a.dependent_actions {
            let (prefix, _) = dep.split_once(':').expect("dependent action has a prefix");
            if c.service(prefix).is_some() {
                assert!(
                    c.action(dep).is_some(),
                    "{} depends on unknown {dep}",
                    a.full_name()
                );
            }
        }
    }
}

fn sample_vars(rt: &ResourceType) -> Vec<(&str, String)> {
    rt.arn_template
        .placeholders()
        .map(|name| {
            let value = match name {
                "Partition" => "aws".to_owned(),
                "Region" => "us-east-1".to_owned(),
                "Account" => "111122223333".to_owned(),
                // Path-like names: exercise placeholders spanning `/`.
                n if n.ends_with("WithPath") || n == "ObjectName" => "p/a/t/h".to_owned(),
                n => format!("v-{}", n.to_lowercase()),
            };
            (name, value)
        })
        .collect()
}

#[test]
fn arn_templates_round_trip() {
    let c = cat();
    for s in c.services() {
        for rt in &s.resource_types {
            let t = &rt.arn_template;
            assert_eq!(t.to_string(), t.as_str());
            assert!(t.as_str().starts_with("arn:"), "{}", t);
            let owned = sample_vars(rt);
            let vars: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let arn = t.instantiate(&vars).unwrap();
            assert!(!arn.contains("${"), "{arn}");
            assert!(
                t.match_arn(&arn),
                "{} does not match its own instance {arn}",
                t
            );
            let (found_svc, found) = c.resource_type_of_arn(&arn).unwrap();
            // Another service may define the same template (STS `role` = IAM `role`); the
            // ARN's own service then wins, which is still the same template.
            assert_eq!(
                found.arn_template.as_str(),
                t.as_str(),
                "{arn}: expected {}:{}, got {}:{}",
                s.prefix,
                rt.name,
                found_svc.prefix,
                found.name
            );
        }
    }
}

#[test]
fn key_types_and_multivaluedness_agree() {
    let c = cat();
    for s in c.services() {
        for k in &s.condition_keys {
            assert_eq!(
                k.multivalued,
                k.value_type.is_array(),
                "{}: {}",
                s.prefix,
                k.name
            );
            // A service's copy of an `aws:` key must agree with the User Guide.
            if let Some(g) = c.global_keys().iter().find(|g| g.key.name == k.name) {
                assert_eq!(g.key.value_type, k.value_type, "{}: {}", s.prefix, k.name);
            }
        }
    }
    for g in c.global_keys() {
        assert_eq!(
            g.key.multivalued,
            g.key.value_type.is_array(),
            "{}",
            g.key.name
        );
        assert!(
            !g.key.name.contains("tag-key"),
            "{} not normalised",
            g.key.name
        );
    }
}

#[test]
fn provenance_is_recorded() {
    let c = cat();
    let is_commit = |s: &str| s.len() >= 40 && s[..40].chars().all(|c| c.is_ascii_hexdigit());
    for s in c.services() {
        assert!(!s.provenance.is_empty(), "{}", s.prefix);
        for p in &s.provenance {
            assert!(is_commit(&p.commit), "{}: {}", s.prefix, p.commit);
            assert!(p.date.starts_with("2026-"), "{}: {}", s.prefix, p.date);
        }
    }
    assert!(!c.global_provenance().is_empty());
}

#[test]
fn newer_upstream_items_are_marked() {
    let c = cat();
    for a in c.actions().filter(|a| a.newer_upstream) {
        assert!(!a.notes.is_empty(), "{} lacks a note", a.full_name());
        assert!(
            !a.permission_only && a.dependent_actions.is_empty(),
            "{}",
            a.full_name()
        );
    }
    // The cleanrooms delta has names and access levels only.
    let cr = c.service("cleanrooms").unwrap();
    for a in cr.actions().filter(|a| a.newer_upstream) {
        assert!(
            a.resource_types.is_empty() && a.condition_keys.is_empty(),
            "{}",
            a.name
        );
    }
    let it = cr.resource_type("intermediatetable").unwrap();
    assert!(it.newer_upstream);
    assert!(
        cr.resource_types
            .iter()
            .filter(|r| r.newer_upstream)
            .count()
            == 1
    );
    let levels: Vec<AccessLevel> = cr
        .actions()
        .filter(|a| a.newer_upstream)
        .map(|a| a.access_level)
        .collect();
    assert!(levels.contains(&AccessLevel::List) && levels.contains(&AccessLevel::Write));
}
