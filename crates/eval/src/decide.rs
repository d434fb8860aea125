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
use crate::evaluation::{Decision, Details, Evaluation, MatchedStatement, NotApplied, Reason};
use crate::principal::{Grant, grant_rank, match_principal, not_principal_exempts};
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
    /// Whether the observer wants to see every statement. When false (the default),
    /// evaluation skips statements whose actions cannot match the request's service.
    fn wants_every_statement(&self) -> bool {
        false
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

/// An applicable statement.
#[derive(Debug, Clone, Copy)]
struct Hit {
    policy: PolicyRef,
    index: usize,
    allow: bool,
    grant: Option<Grant>,
}

/// The applicable statements of one evaluation. Realistic requests have a handful, so they
/// live on the stack: one allocation (and free) less per request on the hot path.
type Hits = smallvec::SmallVec<[Hit; 16]>;

struct Run<'a, O: Observer> {
    request: &'a Request,
    observer: &'a mut O,
    has_boundary: bool,
    hits: Hits,
    missing: Vec<String>,
}

impl<O: Observer> Run<'_, O> {
    fn scan(
        &mut self,
        reference: PolicyRef,
        policy: &CompiledPolicy,
        check_principal: bool,
        record_missing: bool,
    ) {
        if !self.observer.wants_every_statement() {
            // Only statements that can match the action's service (plus those that can
            // match any service) need a look; the others cannot apply.
            for (i, named) in policy.candidates(self.request) {
                if let Some(st) = policy.statements.get(i) {
                    self.visit(reference, st, check_principal, record_missing, named);
                }
            }
            return;
        }
        for st in &policy.statements {
            self.visit(reference, st, check_principal, record_missing, false);
        }
    }

    fn visit(
        &mut self,
        policy: PolicyRef,
        st: &CompiledStatement,
        check_principal: bool,
        record_missing: bool,
        action_named: bool,
    ) {
        let result = self.applies(policy, st, check_principal, record_missing, action_named);
        self.observer.statement(policy, st, &result);
        if let Ok(grant) = result {
            self.hits.push(Hit {
                policy,
                index: st.index,
                allow: st.rules.allow,
                grant,
            });
        }
    }

    /// Whether a statement applies to the request; for resource-based policies, how it names
    /// the requester.
    fn applies(
        &mut self,
        policy: PolicyRef,
        st: &CompiledStatement,
        check_principal: bool,
        record_missing: bool,
        action_named: bool,
    ) -> Result<Option<Grant>, NotApplied> {
        let req = self.request;
        let rules = &*st.rules;
        let action = req.action_lower();
        // A statement found through the index of exact actions names this one: it matches
        // (the index holds only `Action`, not `NotAction`, statements).
        let hit = if action_named {
            Some(0)
        } else {
            rules
                .actions
                .iter()
                .position(|p| p.matches(action, req).is_match())
        };
        match (hit, rules.actions_negated) {
            (None, false) => return Err(NotApplied::Action),
            (Some(i), true) => return Err(NotApplied::NotAction(i)),
            _ => {}
        }
        if let Some(resources) = &rules.resources {
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
            match (hit, rules.resources_negated) {
                (None, false) => return Err(NotApplied::Resource { unresolved }),
                (Some(i), true) => return Err(NotApplied::NotResource(i)),
                _ => {}
            }
        }
        let mut grant = None;
        if check_principal {
            match &rules.principal {
                None => return Err(NotApplied::Principal),
                Some(p) if p.negated => {
                    // The boundary rule is stated for `Deny` only ("with a Deny effect will
                    // always deny any IAM principal that has a permissions boundary").
                    let boundary = self.has_boundary && !rules.allow;
                    if not_principal_exempts(&p.value, &req.principal, boundary) {
                        return Err(NotApplied::NotPrincipal);
                    }
                    // `Allow` with `NotPrincipal` is rejected in new policies ("Using it with
                    // "Effect":"Allow" is not supported"); where one exists, it "allows all
                    // principals except the one named" (the page's earlier text): a grant
                    // to everyone not listed, as `"*"` is.
                    if rules.allow {
                        grant = Some(Grant::Everyone);
                    }
                }
                Some(p) => match match_principal(&p.value, &req.principal) {
                    Some(g) => grant = Some(g),
                    None => return Err(NotApplied::Principal),
                },
            }
        }
        let mut failed = None;
        for (i, c) in rules.conditions.iter().enumerate() {
            let outcome = c.evaluate(req);
            self.observer.condition(policy, st.index, c, &outcome);
            if outcome.missing
                && record_missing
                && !self.missing.iter().any(|m| m.eq_ignore_ascii_case(c.key()))
            {
                self.missing.push(c.key().to_string());
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

/// The deciding statements among `hits` that satisfy `pick`.
fn matched(auth: &Authorizer, hits: &[Hit], pick: impl Fn(&Hit) -> bool) -> Vec<MatchedStatement> {
    hits.iter()
        .filter(|h| pick(h))
        .filter_map(|h| auth.statement(h.policy, h.index))
        .map(|(reference, st)| MatchedStatement {
            policy: reference,
            statement: st.index,
            sid: st.sid.clone(),
            allow: st.rules.allow,
            start: st.start,
            end: st.end,
        })
        .collect()
}

fn level_of(p: PolicyRef) -> Option<usize> {
    match p {
        PolicyRef::Scp(l, _) | PolicyRef::Rcp(l, _) => Some(l),
        _ => None,
    }
}

/// The decision of one policy type from the hits (`levels`: SCP/RCP level count, each of
/// which must allow).
fn type_decision(hits: &[Hit], ty: PolicyType, levels: Option<usize>) -> Decision {
    let of_type = || hits.iter().filter(move |h| PolicyType::of(h.policy) == ty);
    if of_type().any(|h| !h.allow) {
        return Decision::ExplicitDeny;
    }
    let allowed = match levels {
        Some(n) => (0..n).all(|l| of_type().any(|h| level_of(h.policy) == Some(l))),
        None => of_type().next().is_some(),
    };
    if allowed {
        Decision::Allowed
    } else {
        Decision::ImplicitDeny
    }
}

/// Decide a request.
pub(crate) fn decide<O: Observer>(
    auth: &Authorizer,
    req: &Request,
    observer: &mut O,
) -> Evaluation {
    let p = &req.principal;
    let iam = p.is_iam();
    let mut run = Run {
        request: req,
        observer,
        has_boundary: iam && auth.parts.boundary.is_some(),
        hits: Hits::new(),
        missing: Vec::new(),
    };
    // Which policies take part: identity-side policies for IAM principals (session
    // policies only for sessions), SCPs for IAM principals of the governed account, RCPs and
    // the resource-based policy for every request.
    if iam {
        for (i, pol) in auth.parts.identity.iter().enumerate() {
            run.scan(PolicyRef::Identity(i), pol, false, true);
        }
        if let Some(b) = &auth.parts.boundary {
            run.scan(PolicyRef::Boundary, b, false, true);
        }
    }
    let sessions = p.is_session() && !auth.parts.session.is_empty();
    if sessions {
        for (i, pol) in auth.parts.session.iter().enumerate() {
            run.scan(PolicyRef::Session(i), pol, false, true);
        }
    }
    let scp_levels = auth.parts.scp.as_ref().filter(|_| iam).map(Vec::len);
    if let (Some(levels), true) = (&auth.parts.scp, iam) {
        // SCP-only keys are not reported missing (the simulator does not either).
        for (l, level) in levels.iter().enumerate() {
            for (i, pol) in level.iter().enumerate() {
                run.scan(PolicyRef::Scp(l, i), pol, false, false);
            }
        }
    }
    // RCPs govern only the services on the Organizations list (crate::rcp).
    let rcps = auth
        .parts
        .rcp
        .as_ref()
        .filter(|_| crate::rcp::applies_to_service(req.service_lower()));
    let rcp_levels = rcps.map(Vec::len);
    if let Some(levels) = rcps {
        for (l, level) in levels.iter().enumerate() {
            for (i, pol) in level.iter().enumerate() {
                run.scan(PolicyRef::Rcp(l, i), pol, true, true);
            }
        }
    }
    if let Some(r) = &auth.parts.resource {
        run.scan(PolicyRef::Resource, r, true, true);
    }
    // The hits are borrowed, not moved out: moving the inline vector copied it whole.
    let Run {
        ref hits, missing, ..
    } = run;

    let mut details = Details::default();
    let mut detail = |ty, levels| details.set(ty, type_decision(hits, ty, levels));
    if let Some(n) = rcp_levels {
        detail(PolicyType::Rcp, Some(n));
    }
    if let Some(n) = scp_levels {
        detail(PolicyType::Scp, Some(n));
    }
    if auth.parts.resource.is_some() {
        detail(PolicyType::Resource, None);
    }
    if iam && !auth.parts.identity.is_empty() {
        detail(PolicyType::Identity, None);
    }
    if iam && auth.parts.boundary.is_some() {
        detail(PolicyType::Boundary, None);
    }
    if sessions {
        detail(PolicyType::Session, None);
    }
    let parts = Parts {
        iam,
        sessions,
        unscoped_federation: matches!(p, Principal::FederatedUser { .. })
            && auth.parts.session.is_empty(),
        rcp_levels,
        scp_levels,
    };
    let (decision, matched, reason) = verdict(auth, req, hits, &parts);
    Evaluation {
        decision,
        matched,
        missing_context: missing,
        details,
        reason,
    }
}

/// Which policies took part.
struct Parts {
    iam: bool,
    sessions: bool,
    /// A federated user (`GetFederationToken`) given no session policy: "the resulting
    /// federated user session has no permissions" beyond resource-based grants that name it.
    unscoped_federation: bool,
    rcp_levels: Option<usize>,
    scp_levels: Option<usize>,
}

/// The decision proper, from the applicable statements.
fn verdict(
    auth: &Authorizer,
    req: &Request,
    hits: &[Hit],
    parts: &Parts,
) -> (Decision, Vec<MatchedStatement>, Reason) {
    let deny = Decision::ImplicitDeny;
    // `sts:GetCallerIdentity`: "No permissions are required to perform this operation. If an
    // administrator attaches a policy to your identity that explicitly denies access to the
    // sts:GetCallerIdentity action, you can still perform this operation."
    if parts.iam && req.action_lower() == "sts:getcalleridentity" {
        return (Decision::Allowed, Vec::new(), Reason::NoPermissionRequired);
    }
    // 1. Explicit deny anywhere.
    if hits.iter().any(|h| !h.allow) {
        return (
            Decision::ExplicitDeny,
            matched(auth, hits, |h| !h.allow),
            Reason::ExplicitDeny,
        );
    }
    // 2–3. Organization policies: every level needs an applicable Allow.
    for (kind, levels) in [
        (PolicyType::Rcp, parts.rcp_levels),
        (PolicyType::Scp, parts.scp_levels),
    ] {
        for level in 0..levels.unwrap_or(0) {
            let allowed = hits
                .iter()
                .any(|h| PolicyType::of(h.policy) == kind && level_of(h.policy) == Some(level));
            if !allowed {
                return (deny, Vec::new(), Reason::OrganizationLevel { kind, level });
            }
        }
    }
    let has = |ty: PolicyType| hits.iter().any(|h| PolicyType::of(h.policy) == ty);
    let root = matches!(req.principal, Principal::Root { .. });
    let identity_ok = root || has(PolicyType::Identity);
    let boundary_ok = !parts.iam || auth.parts.boundary.is_none() || has(PolicyType::Boundary);
    let session_ok = !parts.unscoped_federation && (!parts.sessions || has(PolicyType::Session));
    let session_reason = if parts.unscoped_federation {
        Reason::FederatedWithoutSessionPolicy
    } else {
        Reason::SessionNoAllow
    };
    let resource_allows = has(PolicyType::Resource);
    let best_grant = hits
        .iter()
        .filter(|h| h.policy == PolicyRef::Resource)
        .filter_map(|h| h.grant)
        .max_by_key(|g| grant_rank(*g, &req.principal));
    let grants = |h: &Hit| matches!(h.policy, PolicyRef::Identity(_) | PolicyRef::Resource);

    if req.is_cross_account() {
        // Both the requester's account and the resource's account must allow.
        let failed = if !resource_allows {
            Some(Reason::CrossAccountResourceSide)
        } else if !identity_ok {
            Some(Reason::NoIdentityAllow)
        } else if !boundary_ok {
            Some(Reason::BoundaryNoAllow)
        } else if !session_ok {
            Some(session_reason)
        } else {
            None
        };
        return match failed {
            Some(r) => (deny, Vec::new(), r),
            None => (
                Decision::Allowed,
                matched(auth, hits, grants),
                Reason::CrossAccountBothAllow,
            ),
        };
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
            return (
                Decision::Allowed,
                matched(auth, hits, grants),
                Reason::ResourceGrant(grant),
            );
        }
    }
    if req.needs_resource_policy() && !resource_allows {
        return (deny, Vec::new(), Reason::ResourcePolicyRequired);
    }
    // 5–7. Identity-based policies, boundary, session policies.
    if !identity_ok {
        return (deny, Vec::new(), Reason::NoIdentityAllow);
    }
    if !boundary_ok {
        return (deny, Vec::new(), Reason::BoundaryNoAllow);
    }
    if !session_ok {
        return (deny, Vec::new(), session_reason);
    }
    let m = matched(auth, hits, grants);
    let reason = if root && m.is_empty() {
        Reason::RootUser
    } else {
        Reason::IdentityAllow
    };
    (Decision::Allowed, m, reason)
}
