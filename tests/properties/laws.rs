//! The one law registry (`iamcr::laws`), which the offline campaign checks on every generated
//! case, checked here on proptest's cases with a drawn variant: a broken law names itself
//! and proptest shrinks the case. The laws are not written twice.

use crate::support::*;
use iamcr::laws::{Subject, laws};
use iamcr_eval::{Authorizer, Earlier};
use iamcr_policy::{Effect, Form, Policy, Spanned};
use proptest::prelude::*;
use std::sync::Arc;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_law_of_the_registry_holds(case in any_case(), variant in any::<u64>()) {
        let authorizer = Authorizer::new(&case.0.policies)
            .unwrap_or_else(|e| panic!("{e}\n{}", case_text(&case.0, "uncompilable")));
        let evaluation = authorizer.evaluate(&case.0.request);
        let subject = Subject::new(&case.0, &authorizer, &evaluation, variant);
        for law in laws() {
            let outcome = (law.check)(&subject);
            prop_assert!(outcome.is_ok(), "{} (variant {variant}) broke: {}", law.name, outcome.err().unwrap_or_default());
        }
    }
}

/// A policy rewritten the way the laws rewrite (statements rotated and reversed, one
/// duplicated, every Sid renamed) and, on odd variants, one statement's meaning changed
/// (Effect flipped, Condition dropped, or Action turned into NotAction).
fn rewritten(policy: &Policy, variant: u64) -> Policy {
    let mut p = policy.clone();
    let n = p.statements.len();
    if n == 0 {
        return p;
    }
    let at = (variant / 2) as usize % n;
    p.statements.rotate_left(at);
    p.statements.reverse();
    p.statements.push(p.statements[at].clone());
    for (i, st) in p.statements.iter_mut().enumerate() {
        st.value.sid = Some(Spanned::synthetic(format!("Rewritten{i}")));
    }
    if variant % 2 == 1 {
        let st = &mut p.statements[at].value;
        match (variant / 2 / n as u64) % 3 {
            0 if st.condition.is_some() => st.condition = None,
            1 => {
                if let Some(action) = &mut st.action {
                    action.value.negated = !action.value.negated;
                }
            }
            _ => {
                let flipped = match st.effect.as_ref().map(|e| &e.value) {
                    Some(Effect::Allow) => Effect::Deny,
                    _ => Effect::Allow,
                };
                st.effect = Some(Spanned::synthetic(flipped));
            }
        }
    }
    p.statement_form = Some(Form::List);
    p
}

proptest! {
    #![proptest_config(config())]

    /// The laws compile a rewritten policy from the compiled statements of the policy it
    /// rewrites. That must give what compiling it afresh gives — the same compiled form, and
    /// the same decision and explanation with the new Sids and indices — and a statement may
    /// share only the rules of one it equals but for the Sid: a changed statement is not
    /// hidden behind the rules of the one it was.
    #[test]
    fn a_policy_compiled_from_earlier_statements_is_its_fresh_compile(
        case in any_case(),
        variant in any::<u64>(),
    ) {
        let case = &case.0;
        let before = Authorizer::new(&case.policies).unwrap();
        let set = case.policies.map(|p| rewritten(p, variant));
        let fresh = Authorizer::new(&set).unwrap();
        let earlier_parts = before.parts();
        let parts = set.try_map(|slot, p| {
            let old = case.policies.get(slot).unwrap();
            let earlier = Earlier::new(old, earlier_parts.get(slot).unwrap()).unwrap();
            Authorizer::compile_policy_reusing(p, slot, earlier)
        }).unwrap();
        for ((slot, reused), (_, compiled)) in parts.entries().into_iter().zip(fresh.parts().entries()) {
            prop_assert_eq!(format!("{reused:?}"), format!("{compiled:?}"), "{}", slot);
            let old = case.policies.get(slot).unwrap();
            let new = set.get(slot).unwrap();
            let earlier = earlier_parts.get(slot).unwrap();
            for (st, written) in reused.statements.iter().zip(&new.statements) {
                let Some(j) = earlier.statements.iter().position(|e| Arc::ptr_eq(&e.rules, &st.rules)) else {
                    continue;
                };
                let mut was = old.statements[j].value.clone();
                was.sid.clone_from(&written.value.sid);
                prop_assert_eq!(&was, &written.value, "{} statement {} shares statement {}'s rules", slot, st.index, j);
            }
        }
        let reused = Authorizer::from_parts(parts).unwrap();
        prop_assert_eq!(reused.explain(&case.request), fresh.explain(&case.request));
    }
}
