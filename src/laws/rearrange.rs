//! The laws that rearrange a policy's statements — reorder them, duplicate them, rename or
//! drop their Sids — checked without compiling: the rearranged policy is built from the
//! case's compiled statements ([`CompiledPolicy::rearranged`]), since a statement's compiled
//! rules depend on neither its Sid nor its place. That this is what compiling the
//! rearranged policy's text gives is a test below, on generated cases of every preset, for
//! every law's rearrangements (same compiled form, same explanation); the
//! rewrite-and-compile path itself is checked by the print/parse law and by
//! `a_policy_compiled_from_earlier_statements_is_its_fresh_compile`.

use super::{Subject, decide_parts, pick, same_decision};
use iamcr_eval::{CompiledPolicy, Evaluation, PolicyRef, Sid};
use std::sync::Arc;

/// A policy's statements after a rearrangement: (index in the policy, Sid), in the new
/// order; `None` leaves the policy as it is.
type Arrangement = Option<Vec<(usize, Sid)>>;

/// A law's rearrangement, told each policy's slot and statement count in slot order.
trait Arrange: FnMut(PolicyRef, usize) -> Arrangement {}
impl<F: FnMut(PolicyRef, usize) -> Arrangement> Arrange for F {}

/// Decide the case's request under its policies rearranged slot for slot.
fn decide_rearranged(s: &Subject<'_>, mut arrange: impl Arrange) -> Result<Evaluation, String> {
    let parts = s.authorizer.parts().try_map(|slot, compiled| {
        match arrange(slot, compiled.statements.len()) {
            None => Ok(Arc::clone(compiled)),
            Some(order) => rearranged(compiled, order).map(Arc::new),
        }
    })?;
    decide_parts(parts, &s.case.request)
}

fn rearranged(
    compiled: &CompiledPolicy,
    order: Vec<(usize, Sid)>,
) -> Result<CompiledPolicy, String> {
    compiled
        .rearranged(order)
        .ok_or_else(|| "a rearrangement names a statement the policy does not have".to_string())
}

/// Rotated by the variant and reversed (a policy of one statement or none is left alone:
/// rearranged, it is itself).
fn statement_order_arrangement(s: &Subject<'_>) -> impl Arrange {
    let variant = s.variant;
    move |_, n| {
        if n < 2 {
            return None;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.rotate_left(pick(variant, n));
        order.reverse();
        Some(order.into_iter().map(|i| (i, Sid::Kept)).collect())
    }
}

pub(super) fn statement_order(s: &Subject<'_>) -> Result<(), String> {
    let after = decide_rearranged(s, statement_order_arrangement(s))?;
    same_decision(s.evaluation, &after, "statements rotated and reversed")
}

/// Even variants duplicate every statement (the copies after the originals); odd ones one
/// statement of one policy, in place.
fn duplicates_arrangement(s: &Subject<'_>) -> impl Arrange {
    let every = s.variant.is_multiple_of(2);
    let policies = s.case.policies.policies().len();
    let chosen = pick(s.variant / 2, policies);
    let variant = s.variant;
    let mut place = 0;
    move |_, n| {
        let this = place;
        place += 1;
        let kept = |i| (i, Sid::Kept);
        if every {
            Some((0..n).chain(0..n).map(kept).collect())
        } else if this == chosen && n > 0 {
            let at = pick(variant / 2 / policies as u64, n);
            Some((0..=at).chain(at..n).map(kept).collect())
        } else {
            None
        }
    }
}

pub(super) fn duplicates(s: &Subject<'_>) -> Result<(), String> {
    let after = decide_rearranged(s, duplicates_arrangement(s))?;
    let what = if s.variant.is_multiple_of(2) {
        "every statement duplicated"
    } else {
        "one statement duplicated"
    };
    same_decision(s.evaluation, &after, what)
}

/// Even variants give every statement a new Sid (numbered across the set); odd ones drop
/// every Sid.
fn sid_renaming_arrangement(s: &Subject<'_>) -> impl Arrange {
    let drop = s.variant % 2 == 1;
    let mut numbered = 0;
    move |_, n| {
        let renamed = (0..n).map(|i| {
            numbered += 1;
            let sid = (!drop).then(|| Arc::from(format!("Renamed{numbered}")));
            (i, Sid::Set(sid))
        });
        Some(renamed.collect())
    }
}

pub(super) fn sid_renaming(s: &Subject<'_>) -> Result<(), String> {
    let after = decide_rearranged(s, sid_renaming_arrangement(s))?;
    let what = if s.variant % 2 == 1 {
        "Sids dropped"
    } else {
        "Sids renamed"
    };
    same_decision(s.evaluation, &after, what)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;
    use iamcr_eval::Authorizer;
    use iamcr_policy::{Form, Policy, Spanned};

    /// The policy text a rearrangement stands for: the statements written again in the new
    /// order, each with its new Sid.
    fn written(policy: &Policy, order: &[(usize, Sid)]) -> Policy {
        let mut p = policy.clone();
        p.statements = order
            .iter()
            .map(|(i, sid)| {
                let mut st = policy.statements[*i].clone();
                if let Sid::Set(sid) = sid {
                    st.value.sid = sid.as_ref().map(|s| Spanned::synthetic(s.to_string()));
                }
                st
            })
            .collect();
        p.statement_form = Some(Form::List);
        p
    }

    #[test]
    fn a_rearranged_compiled_policy_is_the_compile_of_the_rearranged_text() {
        let mut rearranged_statements = 0;
        for preset in iamcr_gen::Preset::ALL {
            let generator = iamcr_gen::Generator::preset(preset).unwrap();
            let cases = iamcr_gen::SeededCases::new(generator, 11).take(120);
            for (variant, case) in cases.enumerate() {
                let authorizer = Authorizer::new(&case.policies).unwrap();
                let e = authorizer.evaluate(&case.request);
                let s = Subject::new(&case, &authorizer, &e, variant as u64);
                let parts = authorizer.parts();
                let laws: [Box<dyn Arrange>; 3] = [
                    Box::new(statement_order_arrangement(&s)),
                    Box::new(duplicates_arrangement(&s)),
                    Box::new(sid_renaming_arrangement(&s)),
                ];
                for mut arrange in laws {
                    for (slot, compiled) in parts.entries() {
                        let Some(order) = arrange(slot, compiled.statements.len()) else {
                            continue;
                        };
                        rearranged_statements += order.len();
                        let text = written(case.policies.get(slot).unwrap(), &order);
                        let fresh = Authorizer::compile_policy(&text, slot).unwrap();
                        let built = rearranged(compiled, order).unwrap();
                        assert_eq!(
                            format!("{built:?}"),
                            format!("{fresh:?}"),
                            "{preset} {slot}"
                        );
                        let one = |new: Arc<CompiledPolicy>| {
                            let parts = parts
                                .try_map(|at, p| {
                                    Ok::<_, ()>(Arc::clone(if at == slot { &new } else { p }))
                                })
                                .unwrap();
                            Authorizer::from_parts(parts)
                                .unwrap()
                                .explain(&case.request)
                        };
                        assert_eq!(one(Arc::new(built)), one(fresh), "{preset} {slot}");
                    }
                }
            }
        }
        assert!(rearranged_statements > 1000, "{rearranged_statements}");
    }

    #[test]
    fn a_rearrangement_of_a_statement_the_policy_lacks_is_an_error() {
        let mut case = iamcr_gen::GenCase::fallback();
        let policy = iamcr_policy::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        )
        .unwrap();
        case.policies.identity = vec![policy];
        let authorizer = Authorizer::new(&case.policies).unwrap();
        let e = authorizer.evaluate(&case.request);
        let s = Subject::new(&case, &authorizer, &e, 0);
        let err = decide_rearranged(&s, |_, n| Some(vec![(n, Sid::Kept)])).unwrap_err();
        assert!(err.contains("does not have"), "{err}");
    }
}
