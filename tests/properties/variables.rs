//! Laws about policy variables and policy versions.

use crate::support::*;
use iamcr_eval::{PolicySet, Request};
use iamcr_policy::{ConditionValue, Family, OperatorName, Policy, Spanned, Version};
use proptest::prelude::*;

/// Rewrite every text where `${…}` is a variable under `2012-10-17`: the resource part of
/// `Resource`/`NotResource` values (after the fifth colon) and the values of string and ARN
/// condition operators.
fn map_variable_positions(p: &mut Policy, f: &mut impl FnMut(&str) -> String) {
    for st in &mut p.statements {
        let s = &mut st.value;
        if let Some(r) = &mut s.resource {
            for v in &mut r.value.values.items {
                let cut = v.value.match_indices(':').nth(4).map(|(i, _)| i + 1);
                if let Some(cut) = cut {
                    let (head, tail) = v.value.split_at(cut);
                    v.value = format!("{head}{}", f(tail));
                }
            }
        }
        for op in s
            .condition
            .iter_mut()
            .flat_map(|c| c.value.operators.iter_mut())
        {
            let OperatorName::Known(o) = op.operator.value else {
                continue;
            };
            if !matches!(o.base.family(), Family::String | Family::Arn) {
                continue;
            }
            for k in &mut op.keys {
                for v in &mut k.values.value.items {
                    if let ConditionValue::String(text) = &mut v.value {
                        *text = f(text);
                    }
                }
            }
        }
    }
}

/// What one `${…}` stands for in `req`: `Some(text)` to substitute, `None` to leave the value
/// alone (an escape, an unresolved variable, or text that would not stay literal).
fn resolve(inner: &str, req: &Request) -> Option<String> {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim().strip_prefix('\'')?.strip_suffix('\'')?;
            (k.trim(), Some(d.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    // Only single-valued keys can be variables (reference_policies_variables.html).
    let value = match req.lookup(&key.to_ascii_lowercase()) {
        Some(e) if !e.multivalued && e.values.len() == 1 => Some(e.values[0].clone()),
        _ => default,
    }?;
    // Substituted text is literal; written literally it must not read as wildcards or
    // variables.
    (!value.contains(['*', '?', '$', '{', '}'])).then_some(value)
}

/// Substitute every variable of `text` with its value in `req`; unchanged when any `${`
/// cannot be substituted (escapes `${*}`, `${?}`, `${$}` included, as they only mean
/// themselves under `2012-10-17`).
fn substitute(text: &str, req: &Request) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            return text.to_string();
        };
        let inner = &rest[start + 2..start + end];
        let Some(value) = resolve(inner, req) else {
            return text.to_string();
        };
        out.push_str(&rest[..start]);
        out.push_str(&value);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

fn set_versions(set: &mut PolicySet, v: Option<Version>) {
    for p in set.policies_mut() {
        p.version = v.clone().map(Spanned::synthetic);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn substituting_variables_gives_the_literal_policy(case in any_case()) {
        let req = &case.0.request;
        let mut set = case.0.policies.clone();
        for p in set.policies_mut() {
            if p.variables_enabled() {
                map_variable_positions(p, &mut |t| substitute(t, req));
            }
        }
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "substituted"));
    }

    #[test]
    fn version_2008_makes_variables_literal(case in any_case()) {
        // Under 2008-10-17 `${x}` is text; under 2012-10-17 `${$}{x}` is the same text.
        let mut legacy = case.0.policies.clone();
        set_versions(&mut legacy, Some(Version::V2008_10_17));
        let mut escaped = legacy.clone();
        for p in escaped.policies_mut() {
            p.version = Some(Spanned::synthetic(Version::V2012_10_17));
            map_variable_positions(p, &mut |t| t.replace("${", "${$}{"));
        }
        let before = with_policies(&case.0, legacy);
        let after = with_policies(&case.0, escaped);
        prop_assert_eq!(eval(&before).decision, eval(&after).decision, "2008:\n{}\n2012:\n{}", case_text(&before, "legacy"), case_text(&after, "escaped"));
    }

    #[test]
    fn a_missing_version_means_2008_10_17(case in any_case()) {
        let mut none = case.0.policies.clone();
        set_versions(&mut none, None);
        let mut old = case.0.policies.clone();
        set_versions(&mut old, Some(Version::V2008_10_17));
        let (a, b) = (with_policies(&case.0, none), with_policies(&case.0, old));
        prop_assert_eq!(eval(&a).decision, eval(&b).decision, "{}", case_text(&a, "no-version"));
    }
}
