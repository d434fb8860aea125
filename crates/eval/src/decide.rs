//! The decision across policy types, in AWS's order.
//!
//! Sources: IAM User Guide, "Policy evaluation logic" (reference_policies_evaluation-logic*),
//! "Cross-account policy evaluation logic", session policies and permissions boundaries
//! pages; summarised in `docs/evaluation.md`.
//!
//! 1. An applicable `Deny` in any policy that applies to the request → explicit deny.
//! 2. RCPs (every level must have an applicable Allow) — for every request to the resource.
//! 3. SCPs (every level must allow) — for IAM principals of the governed account.
//! 4. The resource-based policy: a grant that names the requester directly (user ARN, role
//!    session ARN, federated user ARN, service, `"*"`) allows the request in the same
//!    account; a grant to a role ARN does too unless a permissions boundary or session policy
//!    does not allow; a grant to the *account* only delegates to identity policies.
//! 5. Identity-based policies must allow (the root user needs none).
//! 6. The permissions boundary, if any, must allow.
//! 7. Session policies, if the requester is a session that was given some, must allow.
//!
//! Across accounts both sides must allow: the requester's side (identity ∩ boundary ∩
//! session ∩ SCPs) and the resource's side (the resource-based policy, ∩ RCPs). Role trust
//! policies and KMS key policies must allow explicitly even within one account.

use crate::Authorizer;
use crate::compile::{CompiledPolicy, CompiledStatement, PolicyRef, PolicyType};
use crate::condition::{Condition, Outcome};
use crate::evaluation::{Decision, Evaluation, MatchedStatement, NotApplied, Reason};
use crate::principal::{Grant, match_principal, not_principal_exempts};
use crate::request::{Principal, Request};

/// Receives events while a request is evaluated (coverage counters, explanations).
pub trait Observer {
    /// A condition was evaluated.
    fn condition(
        &mut self,
        _policy: PolicyRef,
        _statement: usize,
        _condition: &Condition,
        _outcome: &Outcome,
    ) {
    }
    /// A statement was evaluated.
    fn statement(
        &mut self,
        _policy: PolicyRef,
        _statement: &CompiledStatement,
        _result: &Result<Option<Grant>, NotApplied>,
    ) {
    }
}

impl Observer for () {}

/// What one policy contributed.
#[derive(Default)]
struct Scan {
    allows: Vec<(usize, Option<Grant>)>,
    denies: Vec<usize>,
}

struct Run<'a, O: Observer> {
    request: &'a Request,
    observer: &'a mut O,
    has_boundary: bool,
    missing: Vec<String>,
}

impl<O: Observer> Run<'_, O> {
    fn scan(
        &mut self,
        policy: &CompiledPolicy,
        check_principal: bool,
        record_missing: bool,
    ) -> Scan {
        let mut scan = Scan::default();
        for st in &policy.statements {
            let result = self.applies(policy.reference, st, check_principal, record_missing);
            self.observer.statement(policy.reference, st, &result);
            if let Ok(grant) = result {
                if st.allow {
                    scan.allows.push((st.index, grant));
                } else {
                    scan.denies.push(st.index);
                }
            }
        }
        scan
    }

    /// Whether a statement applies to the request; for resource-based policies, how it names
    /// the requester.
    fn applies(
        &mut self,
        policy: PolicyRef,
        st: &CompiledStatement,
        check_principal: bool,
        record_missing: bool,
    ) -> Result<Option<Grant>, NotApplied> {
        let req = self.request;
        let action = req.action_lower();
        let hit = st
            .actions
            .iter()
            .position(|p| p.matches(action, req).is_match());
        match (hit, st.actions_negated) {
            (None, false) => return Err(NotApplied::Action),
            (Some(i), true) => return Err(NotApplied::NotAction(i)),
            _ => {}
        }
        if let Some(resources) = &st.resources {
            let mut unresolved = Vec::new();
            let mut hit = None;
            for (i, p) in resources.iter().enumerate() {
                match p.matches(&req.resource, req) {
                    crate::pattern::MatchResult::Match => {
                        hit = Some(i);
                        break;
                    }
                    crate::pattern::MatchResult::Unresolved(k) => unresolved.push(k),
                    crate::pattern::MatchResult::NoMatch => {}
                }
            }
            match (hit, st.resources_negated) {
                (None, false) => return Err(NotApplied::Resource { unresolved }),
                (Some(i), true) => return Err(NotApplied::NotResource(i)),
                _ => {}
            }
        }
        let mut grant = None;
        if check_principal {
            match &st.principal {
                None => return Err(NotApplied::Principal),
                Some(p) if p.negated => {
                    if not_principal_exempts(&p.value, &req.principal, self.has_boundary) {
                        return Err(NotApplied::NotPrincipal);
                    }
                }
                Some(p) => match match_principal(&p.value, &req.principal) {
                    Some(g) => grant = Some(g),
                    None => return Err(NotApplied::Principal),
                },
            }
        }
        let mut failed = None;
        for (i, c) in st.conditions.iter().enumerate() {
            let outcome = c.evaluate(req);
            self.observer.condition(policy, st.index, c, &outcome);
            if outcome.missing
                && record_missing
                && !self.missing.iter().any(|m| m.eq_ignore_ascii_case(&c.key))
            {
                self.missing.push(c.key.clone());
            }
            if !outcome.holds && failed.is_none() {
                failed = Some(i);
            }
        }
        match failed {
            Some(i) => Err(NotApplied::Condition(i)),
            None => Ok(grant),
        }
    }
}

fn is_iam_principal(p: &Principal) -> bool {
    matches!(
        p,
        Principal::User { .. }
            | Principal::RoleSession { .. }
            | Principal::FederatedUser { .. }
            | Principal::Root { .. }
    )
}

/// Whether the request is one the resource's policy must allow explicitly: assuming a role
/// (its trust policy) or using a KMS key (its key policy).
fn needs_explicit_resource_allow(req: &Request) -> bool {
    let action = req.action_lower();
    let resource = req.resource.as_str();
    let role = resource.contains(":iam::") && resource.contains(":role/");
    let trust_action = action.starts_with("sts:assumerole")
        || matches!(
            action,
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
        );
    let key =
        resource.starts_with("arn:") && resource.contains(":kms:") && resource.contains(":key/");
    (trust_action && role) || (action.starts_with("kms:") && key)
}

fn matched(
    policy: &CompiledPolicy,
    indices: impl IntoIterator<Item = usize>,
) -> Vec<MatchedStatement> {
    indices
        .into_iter()
        .filter_map(|i| policy.statements.get(i))
        .map(|st| MatchedStatement {
            policy: policy.reference,
            statement: st.index,
            sid: st.sid.clone(),
            allow: st.allow,
            start: st.start,
            end: st.end,
        })
        .collect()
}

/// Decide a request.
pub(crate) fn decide<O: Observer>(
    auth: &Authorizer,
    req: &Request,
    observer: &mut O,
) -> Evaluation {
    let p = &req.principal;
    let iam = is_iam_principal(p);
    let mut run = Run {
        request: req,
        observer,
        has_boundary: iam && auth.boundary.is_some(),
        missing: Vec::new(),
    };

    let identity: Vec<(&CompiledPolicy, Scan)> = if iam {
        auth.identity
            .iter()
            .map(|pol| (pol, run.scan(pol, false, true)))
            .collect()
    } else {
        Vec::new()
    };
    let boundary = match (&auth.boundary, iam) {
        (Some(b), true) => Some((b, run.scan(b, false, true))),
        _ => None,
    };
    let session: Vec<(&CompiledPolicy, Scan)> = if p.is_session() {
        auth.session
            .iter()
            .map(|pol| (pol, run.scan(pol, false, true)))
            .collect()
    } else {
        Vec::new()
    };
    // SCP-only keys are not reported missing (the simulator does not either).
    let scp: Option<Vec<Vec<(&CompiledPolicy, Scan)>>> = match (&auth.scp, iam) {
        (Some(levels), true) => Some(
            levels
                .iter()
                .map(|l| {
                    l.iter()
                        .map(|pol| (pol, run.scan(pol, false, false)))
                        .collect()
                })
                .collect(),
        ),
        _ => None,
    };
    let rcp: Option<Vec<Vec<(&CompiledPolicy, Scan)>>> = auth.rcp.as_ref().map(|levels| {
        levels
            .iter()
            .map(|l| {
                l.iter()
                    .map(|pol| (pol, run.scan(pol, true, true)))
                    .collect()
            })
            .collect()
    });
    let resource = auth.resource.as_ref().map(|r| (r, run.scan(r, true, true)));
    let missing = std::mem::take(&mut run.missing);

    let mut details: Vec<(PolicyType, Decision)> = Vec::new();
    let summarize = |scans: &[&(&CompiledPolicy, Scan)]| -> Decision {
        if scans.iter().any(|(_, s)| !s.denies.is_empty()) {
            Decision::ExplicitDeny
        } else if scans.iter().any(|(_, s)| !s.allows.is_empty()) {
            Decision::Allowed
        } else {
            Decision::ImplicitDeny
        }
    };
    let levels_decision = |levels: &Vec<Vec<(&CompiledPolicy, Scan)>>| -> Decision {
        let all: Vec<_> = levels.iter().flatten().collect();
        if all.iter().any(|(_, s)| !s.denies.is_empty()) {
            Decision::ExplicitDeny
        } else if levels
            .iter()
            .all(|l| l.iter().any(|(_, s)| !s.allows.is_empty()))
        {
            Decision::Allowed
        } else {
            Decision::ImplicitDeny
        }
    };
    if let Some(levels) = &rcp {
        details.push((PolicyType::Rcp, levels_decision(levels)));
    }
    if let Some(levels) = &scp {
        details.push((PolicyType::Scp, levels_decision(levels)));
    }
    if let Some(r) = &resource {
        details.push((PolicyType::Resource, summarize(&[r])));
    }
    if iam && !auth.identity.is_empty() {
        details.push((
            PolicyType::Identity,
            summarize(&identity.iter().collect::<Vec<_>>()),
        ));
    }
    if let Some(b) = &boundary {
        details.push((PolicyType::Boundary, summarize(&[b])));
    }
    if !session.is_empty() {
        details.push((
            PolicyType::Session,
            summarize(&session.iter().collect::<Vec<_>>()),
        ));
    }
    let finish = |decision, matched, reason| Evaluation {
        decision,
        matched,
        missing_context: missing.clone(),
        details: details.clone(),
        reason,
    };

    // 1. Explicit deny anywhere.
    let mut denies = Vec::new();
    let all_scans = identity
        .iter()
        .chain(boundary.iter())
        .chain(session.iter())
        .chain(scp.iter().flatten().flatten())
        .chain(rcp.iter().flatten().flatten())
        .chain(resource.iter());
    for (pol, scan) in all_scans {
        denies.extend(matched(pol, scan.denies.iter().copied()));
    }
    if !denies.is_empty() {
        return finish(Decision::ExplicitDeny, denies, Reason::ExplicitDeny);
    }

    // 2–3. Organization policies: every level needs an applicable Allow.
    for (kind, levels) in [(PolicyType::Rcp, &rcp), (PolicyType::Scp, &scp)] {
        if let Some(levels) = levels {
            for (level, policies) in levels.iter().enumerate() {
                if !policies.iter().any(|(_, s)| !s.allows.is_empty()) {
                    return finish(
                        Decision::ImplicitDeny,
                        Vec::new(),
                        Reason::OrganizationLevel { kind, level },
                    );
                }
            }
        }
    }

    let identity_allows: Vec<MatchedStatement> = identity
        .iter()
        .flat_map(|(pol, s)| matched(pol, s.allows.iter().map(|a| a.0)))
        .collect();
    let boundary_ok = boundary.as_ref().is_none_or(|(_, s)| !s.allows.is_empty());
    let session_ok = session.is_empty() || session.iter().any(|(_, s)| !s.allows.is_empty());
    let root = matches!(p, Principal::Root { .. });
    let identity_ok = root || !identity_allows.is_empty();
    let (resource_allows, best_grant) = match &resource {
        Some((pol, s)) => (
            matched(pol, s.allows.iter().map(|a| a.0)),
            s.allows
                .iter()
                .filter_map(|a| a.1)
                .max_by_key(|g| grant_rank(*g, root)),
        ),
        None => (Vec::new(), None),
    };

    if req.is_cross_account() {
        // Both the requester's account and the resource's account must allow.
        if resource_allows.is_empty() {
            return finish(
                Decision::ImplicitDeny,
                Vec::new(),
                Reason::CrossAccountResourceSide,
            );
        }
        if !identity_ok {
            return finish(Decision::ImplicitDeny, Vec::new(), Reason::NoIdentityAllow);
        }
        if !boundary_ok {
            return finish(Decision::ImplicitDeny, Vec::new(), Reason::BoundaryNoAllow);
        }
        if !session_ok {
            return finish(Decision::ImplicitDeny, Vec::new(), Reason::SessionNoAllow);
        }
        let mut m = identity_allows;
        m.extend(resource_allows);
        return finish(Decision::Allowed, m, Reason::CrossAccountBothAllow);
    }

    // 4. A resource-based grant that names the requester directly.
    if let Some(grant) = best_grant {
        let direct = match grant {
            Grant::Account => root,
            Grant::RoleArn => boundary_ok && session_ok,
            _ => true,
        };
        if direct {
            // Every applicable Allow is reported, the identity-based ones included.
            let mut m = identity_allows;
            m.extend(resource_allows);
            return finish(Decision::Allowed, m, Reason::ResourceGrant(grant));
        }
    }
    if needs_explicit_resource_allow(req) && resource_allows.is_empty() {
        return finish(
            Decision::ImplicitDeny,
            Vec::new(),
            Reason::ResourcePolicyRequired,
        );
    }
    // 5–7. Identity-based policies, boundary, session policies.
    if !identity_ok {
        return finish(Decision::ImplicitDeny, Vec::new(), Reason::NoIdentityAllow);
    }
    if !boundary_ok {
        return finish(Decision::ImplicitDeny, Vec::new(), Reason::BoundaryNoAllow);
    }
    if !session_ok {
        return finish(Decision::ImplicitDeny, Vec::new(), Reason::SessionNoAllow);
    }
    let mut m = identity_allows;
    m.extend(resource_allows);
    let reason = if root && m.is_empty() {
        Reason::RootUser
    } else {
        Reason::IdentityAllow
    };
    finish(Decision::Allowed, m, reason)
}

/// Prefer the grant that decides the most: direct grants, then everyone, then account.
fn grant_rank(g: Grant, root: bool) -> u8 {
    match g {
        Grant::Account if root => 3,
        Grant::Account => 0,
        Grant::RoleArn => 1,
        Grant::Everyone => 2,
        _ => 3,
    }
}
