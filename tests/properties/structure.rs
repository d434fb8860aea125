//! Laws about how a policy is written: order, repetition, one value versus an array,
//! whitespace, key order, Sids, and the printed text itself.

use crate::support::*;
use iamcr_policy::{Form, PrincipalValue};
use proptest::prelude::*;
use serde_json::Value;

/// Reverse the order of object keys at every level (array order kept: it is statement and
/// value order, which other laws cover).
fn reverse_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reverse_keys(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.into_iter().map(reverse_keys).collect()),
        other => other,
    }
}

/// Toggle single-value form ↔ one-element array wherever a list has one item.
fn toggle_forms(set: &mut iamcr_eval::PolicySet) {
    let flip = |f: &mut Form| {
        *f = match f {
            Form::Single => Form::List,
            Form::List => Form::Single,
        }
    };
    each_statement(set, |s| {
        for v in [
            s.action.as_mut().map(|a| &mut a.value.values),
            s.resource.as_mut().map(|r| &mut r.value.values),
        ]
        .into_iter()
        .flatten()
        {
            if v.items.len() == 1 {
                flip(&mut v.form);
            }
        }
        if let Some(p) = &mut s.principal
            && let PrincipalValue::Map(entries) = &mut p.value.value
        {
            for e in entries {
                if e.values.items.len() == 1 {
                    flip(&mut e.values.form);
                }
            }
        }
        if let Some(c) = &mut s.condition {
            for op in &mut c.value.operators {
                for k in &mut op.keys {
                    if k.values.value.items.len() == 1 {
                        flip(&mut k.values.value.form);
                    }
                }
            }
        }
    });
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn statement_object_equals_one_element_array(case in any_case()) {
        // Through the text: the parser must read both spellings to the same policy.
        let mut set = case.0.policies.clone();
        for p in set.policies_mut() {
            if p.statements.len() == 1 {
                p.statement_form = Some(match p.statement_form {
                    Some(Form::Single) => Form::List,
                    _ => Form::Single,
                });
            }
        }
        let after = with_policies(&case.0, reparse_all(&set));
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "toggled:\n{}", case_text(&after, "toggled"));
    }

    #[test]
    fn string_equals_one_element_array(case in any_case()) {
        let mut set = case.0.policies.clone();
        toggle_forms(&mut set);
        let after = with_policies(&case.0, reparse_all(&set));
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "toggled:\n{}", case_text(&after, "toggled"));
    }

    #[test]
    fn print_then_parse_gives_the_same_policy(case in any_case()) {
        for p in case.0.policies.policies() {
            let pretty = iamcr_policy::print(p);
            let compact = iamcr_policy::print_compact(p);
            // The source text is kept with a parsed policy; the generated one has none.
            let unsourced = |mut q: iamcr_policy::Policy| { q.source = None; q };
            let a = iamcr_policy::parse(&pretty).map(unsourced);
            let b = iamcr_policy::parse(&compact).map(unsourced);
            prop_assert!(a.is_ok(), "{pretty}\n{:?}", a.as_ref().err());
            prop_assert!(b.is_ok(), "{compact}\n{:?}", b.as_ref().err());
            prop_assert_eq!(a.as_ref().ok(), Some(p), "{}", pretty);
            prop_assert_eq!(b.as_ref().ok(), Some(p), "{}", compact);
        }
    }

    #[test]
    fn whitespace_and_key_order_are_neutral(case in any_case(), spaced in any::<bool>()) {
        let mut set = case.0.policies.clone();
        for p in set.policies_mut() {
            let v: Value = serde_json::from_str(&iamcr_policy::print(p)).expect("printed policies are JSON");
            let v = reverse_keys(v);
            let text = if spaced {
                // Extra whitespace everywhere JSON allows it.
                serde_json::to_string_pretty(&v).expect("JSON").replace("\n", "\r\n\t ").replace(": ", " :  ")
            } else {
                serde_json::to_string(&v).expect("JSON")
            };
            *p = iamcr_policy::parse(&text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
        }
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "rewritten:\n{}", case_text(&after, "rewritten"));
    }

    #[test]
    fn case_file_round_trip_preserves_the_decision(case in any_case()) {
        let e = eval(&case.0);
        let v = iamcr_gen::case_json("round-trip", None, Some("property test"), &case.0, &e);
        let text = serde_json::to_string_pretty(&v).expect("JSON");
        let read: Result<iamcr::case::EvalCase, _> = serde_json::from_str(&text);
        prop_assert!(read.is_ok(), "{:?}\n{}", read.as_ref().err(), text);
        let read = read.expect("checked");
        let again = iamcr::eval_case::explain(&read);
        prop_assert!(again.is_ok(), "{:?}", again.as_ref().err());
        let (_, explanation) = again.expect("checked");
        prop_assert_eq!(explanation.evaluation.decision, e.decision, "{}", text);
    }
}
