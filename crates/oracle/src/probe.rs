//! The standard campaign's neighbourhood of a query. One `SimulateCustomPolicy` call answers
//! every action against every resource for the same policies, caller and context, so a
//! campaign asks, with each query, its neighbours: the same inputs with other actions and
//! resources that the policies make interesting, at no extra call. Every neighbour is
//! compared between the model and the simulator like the query itself.
//!
//! Actions (all in the query action's service, so that actions and resources stay of one
//! service): the query's; those the policies name literally; a few the policies' wildcard
//! patterns match in the action catalogue (`iamcr-cleanrooms`); then other actions of the
//! service, in catalogue order, until the call is worth [`ProbeSettings::target_pairs`].
//! Resources: the query's; each ARN the policies name, wildcards instantiated (`*` →
//! `probe`, `?` → `x`; a wildcard in the partition, service, region or account takes the
//! query resource's); and a near miss of the query's resource (`-probe` appended). With a
//! resource policy, only resources of the query resource's partition, service, region and
//! account (the policy must apply to every resource of a call). A query on `*` keeps `*`.

use crate::capability::{Capabilities, SkipCounts};
use crate::query::Query;
use iamcr_case::Arn;
use iamcr_cleanrooms::catalogue::Catalogue;

/// How far a neighbourhood reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeSettings {
    /// Catalogue actions taken per wildcard action pattern.
    pub per_pattern: usize,
    /// Actions per neighbourhood.
    pub max_actions: usize,
    /// Resources per neighbourhood.
    pub max_resources: usize,
    /// Catalogue actions are added until actions × resources reaches this.
    pub target_pairs: usize,
}

impl Default for ProbeSettings {
    fn default() -> ProbeSettings {
        ProbeSettings {
            per_pattern: 2,
            max_actions: 12,
            max_resources: 6,
            target_pairs: 12,
        }
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
        v.push(s);
    }
}

fn service_of(action: &str) -> &str {
    action.split(':').next().unwrap_or("")
}

/// Action and resource patterns named by every policy of a query.
fn patterns(q: &Query) -> (Vec<String>, Vec<String>) {
    let (mut actions, mut resources) = (Vec::new(), Vec::new());
    for text in q.policies.policies() {
        let Ok(p) = text.parsed() else {
            continue;
        };
        for s in &p.statements {
            if let Some(a) = &s.value.action {
                actions.extend(a.value.values.items.iter().map(|v| v.value.clone()));
            }
            if let Some(r) = &s.value.resource {
                resources.extend(r.value.values.items.iter().map(|v| v.value.clone()));
            }
        }
    }
    (actions, resources)
}

/// An ARN pattern made concrete, or `None` when it cannot be (no ARN, a variable, a
/// wildcard in a segment the query resource cannot fill).
fn instantiate(pattern: &str, base: Option<Arn<'_>>) -> Option<String> {
    if pattern.contains("${") {
        return None;
    }
    let parts = Arn::parse(pattern).ok()?.fields();
    let base = base.map(|b| b.fields());
    let mut out = Vec::with_capacity(5);
    for (i, seg) in parts.iter().enumerate().take(4) {
        if seg.contains('*') || seg.contains('?') {
            out.push(base?.get(i)?.to_string());
        } else {
            out.push((*seg).to_string());
        }
    }
    out.push(parts[4].replace('*', "probe").replace('?', "x"));
    Some(format!("arn:{}", out.join(":")))
}

/// The neighbourhood of a query: the query first, then its neighbours.
pub fn neighbourhood(q: &Query, settings: &ProbeSettings) -> Vec<Query> {
    let service = service_of(&q.action).to_ascii_lowercase();
    let catalogue = Catalogue::load().ok();
    let (action_patterns, resource_patterns) = patterns(q);
    let mut actions = vec![q.action.clone()];
    for pat in &action_patterns {
        if !service_of(pat).eq_ignore_ascii_case(&service) {
            continue;
        }
        if pat.contains('*') || pat.contains('?') {
            let found = catalogue
                .map(|c| c.expand_action_pattern(pat))
                .unwrap_or_default();
            for a in found.into_iter().take(settings.per_pattern) {
                push_unique(&mut actions, format!("{}:{}", a.service_prefix(), a.name));
            }
        } else {
            push_unique(&mut actions, pat.clone());
        }
    }
    let base = Arn::parse(&q.resource).ok();
    let mut resources = vec![q.resource.clone()];
    if q.resource != "*" {
        for pat in &resource_patterns {
            if let Some(r) = instantiate(pat, base) {
                push_unique(&mut resources, r);
            }
        }
        if base.is_some_and(|p| !p.resource.is_empty()) {
            push_unique(&mut resources, format!("{}-probe", q.resource));
        }
        if q.policies.resource.is_some() {
            fn scope(r: &str) -> Option<[String; 4]> {
                let p = Arn::parse(r).ok()?;
                Some([p.partition, p.service, p.region, p.account].map(str::to_string))
            }
            let want = scope(&q.resource);
            resources
                .retain(|r| scope(r) == want && !(r.contains(":iam::") && r.contains(":role/")));
        }
    }
    resources.truncate(settings.max_resources.max(1));
    actions.truncate(settings.max_actions.max(1));
    if let Some(svc) = catalogue.and_then(|c| c.service(&service)) {
        for a in &svc.actions {
            if actions.len() >= settings.max_actions
                || actions.len() * resources.len() >= settings.target_pairs
            {
                break;
            }
            push_unique(&mut actions, format!("{}:{}", svc.prefix, a.name));
        }
    }
    let mut out = Vec::with_capacity(actions.len() * resources.len());
    out.push(q.clone());
    for a in &actions {
        for r in &resources {
            if *a == q.action && *r == q.resource {
                continue;
            }
            let mut n = q.clone();
            n.action = a.clone();
            n.resource = r.clone();
            out.push(n);
        }
    }
    out
}

/// A campaign's queries: each base query and its neighbours (`base` is the index of the
/// base query the probe came from), without duplicates; neighbours the oracle cannot
/// answer are counted by reason.
pub fn expand(
    queries: &[Query],
    caps: &Capabilities,
    settings: &ProbeSettings,
) -> (Vec<(usize, Query)>, SkipCounts) {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut skipped = SkipCounts::default();
    for (i, q) in queries.iter().enumerate() {
        for (k, n) in neighbourhood(q, settings).into_iter().enumerate() {
            if k > 0
                && let Err(u) = caps.check(&n)
            {
                skipped.add(u.limitation);
                continue;
            }
            if seen.insert(n.id()) {
                out.push((i, n));
            }
        }
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Caller, PolicyInputs};

    fn q(policy: &str, action: &str, resource: &str) -> Query {
        Query {
            policies: PolicyInputs {
                identity: vec![policy.into()],
                ..PolicyInputs::default()
            },
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: action.into(),
            resource: resource.into(),
            resource_owner: None,
            context: vec![],
        }
    }

    #[test]
    fn neighbours_come_from_the_policies_and_the_catalogue() {
        let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:Put*"],"Resource":"arn:aws:s3:::bucket/*"}]}"#;
        let n = neighbourhood(
            &q(p, "s3:GetObject", "arn:aws:s3:::bucket/a.txt"),
            &ProbeSettings::default(),
        );
        assert_eq!(n[0].action, "s3:GetObject");
        let resources: std::collections::BTreeSet<&str> =
            n.iter().map(|x| x.resource.as_str()).collect();
        assert!(resources.contains("arn:aws:s3:::bucket/probe"));
        assert!(resources.contains("arn:aws:s3:::bucket/a.txt-probe"));
        assert!(n.iter().any(|x| x.action.starts_with("s3:Put")));
        assert!(n.len() >= 12, "{}", n.len());
        assert!(n.iter().all(|x| x.action.starts_with("s3:")));
    }

    #[test]
    fn a_wildcard_resource_stays_alone_and_resource_policies_keep_their_scope() {
        let p = r#"{"Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}"#;
        let n = neighbourhood(&q(p, "sqs:SendMessage", "*"), &ProbeSettings::default());
        assert!(n.iter().all(|x| x.resource == "*"));
        let mut with_rp = q(p, "s3:GetObject", "arn:aws:s3:::b/k");
        with_rp.policies.resource = Some(r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b/*","arn:aws:sqs:us-east-1:111122223333:q"]}}"#.into());
        let n = neighbourhood(&with_rp, &ProbeSettings::default());
        assert!(n.iter().all(|x| x.resource.starts_with("arn:aws:s3:::")));
    }
}
