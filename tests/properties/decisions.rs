//! Laws about how policy types combine into a decision.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions stop the property with a message when an input the generators promise is missing: a test failure, which unwrap/expect/panic express."
)]

use crate::support::*;
use arbitrary::Unstructured;
use iamcr_eval::{Decision, PolicySet, Principal, Request};
use iamcr_gen::{Preset, allow_all, is_iam_principal, resource_policy_kind, single_statement};
use iamcr_policy::{
    ActionBlock, Effect, Form, Policy, PolicyKind, PrincipalBlock, PrincipalValue, ResourceBlock,
    Spanned, Statement, Values,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// Where statements can be added: an existing policy, or a new identity or resource policy.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Identity(usize),
    NewIdentity,
    Boundary,
    Session(usize),
    Scp(usize, usize),
    Rcp(usize, usize),
    Resource,
}

fn slots(set: &PolicySet) -> Vec<Slot> {
    let mut v: Vec<Slot> = (0..set.identity.len()).map(Slot::Identity).collect();
    v.push(Slot::NewIdentity);
    if set.boundary.is_some() {
        v.push(Slot::Boundary);
    }
    v.extend((0..set.session.len()).map(Slot::Session));
    for (l, level) in set.scp.iter().flatten().enumerate() {
        v.extend((0..level.len()).map(|i| Slot::Scp(l, i)));
    }
    for (l, level) in set.rcp.iter().flatten().enumerate() {
        v.extend((0..level.len()).map(|i| Slot::Rcp(l, i)));
    }
    v.push(Slot::Resource);
    v
}

fn slot_kind(slot: Slot, req: &Request) -> PolicyKind {
    match slot {
        Slot::Identity(_) | Slot::NewIdentity => PolicyKind::Identity,
        Slot::Boundary => PolicyKind::Boundary,
        Slot::Session(_) => PolicyKind::Session,
        Slot::Scp(..) => PolicyKind::Scp,
        Slot::Rcp(..) => PolicyKind::Rcp,
        Slot::Resource => resource_policy_kind(req).unwrap_or(PolicyKind::Resource),
    }
}

fn empty_policy() -> Policy {
    let mut p = single_statement(Statement::default());
    p.statements.clear();
    p
}

/// The policy at `slot`, created when the slot is a new one.
fn slot_policy(set: &mut PolicySet, slot: Slot) -> &mut Policy {
    match slot {
        Slot::Identity(i) => &mut set.identity[i],
        Slot::NewIdentity => {
            set.identity.push(empty_policy());
            set.identity.last_mut().expect("just pushed")
        }
        Slot::Boundary => set.boundary.as_mut().expect("listed only when present"),
        Slot::Session(i) => &mut set.session[i],
        Slot::Scp(l, i) => &mut set.scp.as_mut().expect("listed")[l][i],
        Slot::Rcp(l, i) => &mut set.rcp.as_mut().expect("listed")[l][i],
        Slot::Resource => set.resource.get_or_insert_with(empty_policy),
    }
}

/// Statements of a `kind` policy aimed at the request, all with `effect`.
fn statements(
    bytes: &[u8],
    kind: PolicyKind,
    req: &Request,
    effect: Effect,
) -> Vec<Spanned<Statement>> {
    let g = generator(Preset::CleanRooms);
    let p = g
        .policy_for(&mut Unstructured::new(bytes), kind, req)
        .unwrap_or_else(|_| allow_all(kind));
    p.statements
        .into_iter()
        .map(|mut s| {
            s.value.effect = Some(Spanned::synthetic(effect.clone()));
            s
        })
        .collect()
}

fn add(set: &mut PolicySet, slot: Slot, new: Vec<Spanned<Statement>>) {
    let p = slot_policy(set, slot);
    p.statements.extend(new);
    p.statement_form = Some(Form::List);
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..400)
}

/// `Deny` (or `Allow`) `Action`/`Resource` exactly the request's, with no condition; with
/// `"Principal": "*"` for resource-based policies.
fn exact(req: &Request, effect: Effect, principal: bool) -> Statement {
    Statement {
        sid: Some(Spanned::synthetic("Exact".to_string())),
        effect: Some(Spanned::synthetic(effect)),
        principal: principal.then(|| {
            Spanned::synthetic(PrincipalBlock {
                negated: false,
                value: PrincipalValue::Wildcard,
            })
        }),
        action: Some(Spanned::synthetic(ActionBlock {
            negated: false,
            values: Values::single(req.action.clone()),
        })),
        resource: Some(Spanned::synthetic(ResourceBlock {
            negated: false,
            values: Values::single(req.resource.clone()),
        })),
        condition: None,
    }
}

/// Remove every `NotPrincipal` statement (a permissions boundary changes what they do, so
/// the boundary law holds only without them).
fn without_not_principal(set: &PolicySet) -> PolicySet {
    let mut out = set.clone();
    for p in out.policies_mut() {
        p.statements
            .retain(|s| !s.value.principal.as_ref().is_some_and(|b| b.value.negated));
    }
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn adding_a_deny_never_turns_a_decision_into_allowed(case in any_case(), at in any::<Index>(), b in bytes()) {
        let before = eval(&case.0).decision;
        let mut set = case.0.policies.clone();
        let all = slots(&set);
        let slot = all[at.index(all.len())];
        add(&mut set, slot, statements(&b, slot_kind(slot, &case.0.request), &case.0.request, Effect::Deny));
        let after_case = with_policies(&case.0, set);
        let after = eval(&after_case).decision;
        prop_assert!(before == Decision::Allowed || after != Decision::Allowed,
            "{before} became {after} with more Deny statements in {slot:?}:\n{}", case_text(&after_case, "more-deny"));
        prop_assert!(before != Decision::ExplicitDeny || after == Decision::ExplicitDeny,
            "explicitDeny became {after}:\n{}", case_text(&after_case, "more-deny"));
    }

    #[test]
    fn adding_an_identity_allow_never_denies_an_allowed_request(case in any_case(), at in any::<Index>(), b in bytes()) {
        // Only allowed requests say anything here (about a third of the cases; the discard
        // rate is measured by `support::assumptions_discard_a_bounded_share`).
        prop_assume!(eval(&case.0).decision == Decision::Allowed, "not allowed");
        let mut set = case.0.policies.clone();
        let n = set.identity.len();
        let slot = match at.index(n + 1) {
            i if i < n => Slot::Identity(i),
            _ => Slot::NewIdentity,
        };
        add(&mut set, slot, statements(&b, PolicyKind::Identity, &case.0.request, Effect::Allow));
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&after).decision, Decision::Allowed, "{}", case_text(&after, "more-allow"));
    }

    #[test]
    fn a_matching_unconditional_deny_gives_explicit_deny(case in any_case(), in_identity in any::<bool>()) {
        let req = &case.0.request;
        prop_assume!(!needs_no_permission(req), "sts:GetCallerIdentity cannot be denied");
        let mut set = case.0.policies.clone();
        if in_identity && is_iam_principal(&req.principal) {
            set.identity.push(single_statement(exact(req, Effect::Deny, false)));
        } else {
            let p = set.resource.get_or_insert_with(empty_policy);
            p.statements.push(Spanned::synthetic(exact(req, Effect::Deny, true)));
            p.statement_form = Some(Form::List);
        }
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&after).decision, Decision::ExplicitDeny, "{}", case_text(&after, "exact-deny"));
    }

    #[test]
    fn no_policy_at_all_means_implicit_deny_except_for_the_root_user(case in any_case()) {
        let req = &case.0.request;
        let after = with_policies(&case.0, PolicySet::default());
        let root_at_home = matches!(req.principal, Principal::Root { .. })
            && !req.is_cross_account()
            && !needs_resource_policy(req);
        let expect = if root_at_home || needs_no_permission(req) { Decision::Allowed } else { Decision::ImplicitDeny };
        prop_assert_eq!(eval(&after).decision, expect, "{}", case_text(&after, "no-policies"));
    }

    #[test]
    fn a_boundary_that_allows_everything_is_neutral(case in any_case()) {
        let mut set = without_not_principal(&case.0.policies);
        set.boundary = None;
        let before = with_policies(&case.0, set.clone());
        set.boundary = Some(allow_all(PolicyKind::Boundary));
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&before).decision, eval(&after).decision, "{}", case_text(&after, "allow-all-boundary"));
    }

    #[test]
    fn a_cross_account_request_without_a_resource_policy_is_never_allowed(case in any_case(), other in any::<Index>()) {
        let req = &case.0.request;
        prop_assume!(req.principal.account().is_some(), "the principal has no account");
        prop_assume!(!needs_no_permission(req), "sts:GetCallerIdentity is allowed from any account");
        let Some(home) = req.principal.account() else { unreachable!("assumed above") };
        let others: Vec<&str> = iamcr_gen::vocab::ACCOUNTS.iter().copied().filter(|a| *a != home).collect();
        let owner = others[other.index(others.len())].to_string();
        let moved = Request::with_context(req.principal.clone(), &req.action, &req.resource, Some(owner), req.context.clone());
        let mut after = with_request(&case.0, moved);
        after.policies.resource = None;
        prop_assert!(after.request.is_cross_account());
        prop_assert_ne!(eval(&after).decision, Decision::Allowed, "{}", case_text(&after, "cross-account"));
    }
}
