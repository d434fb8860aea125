//! Marks: features of a disagreeing case that point at a known root cause, added to its
//! signature after what it needs (`… | policy-type identity, principal user, operator
//! StringEquals, plain-operator-on-multivalued-key`). What a case needs says which engine
//! features it uses; a mark says which of the points the engines were found to read
//! differently it touches, so that a deviation or an open question can name that point
//! instead of a list of features, and one cause is one group across policy types and
//! principals. Each mark is a plain test of the case's text (no evaluation): a case can
//! carry a mark whose point did not decide it, which is why entries are checked in order
//! and the triage of each group is read from its minimal case.

use super::needs::principal_kind;
use crate::query::{Caller, PolicySlot, Query};
use iamcr_case::ContextType;
use iamcr_policy::OperatorName;
use iamcr_policy::ast::{Effect, PrincipalKind, PrincipalValue, Statement};
use iamcr_policy::operator::Family;

/// The marks of `q`, in a fixed order.
pub fn marks(q: &Query) -> Vec<&'static str> {
    let mut found = [false; 8];
    let caller = match &q.caller {
        Caller::Arn(a) => Some(a.as_str()),
        _ => None,
    };
    for (slot, text) in q.policies.entries() {
        let Ok(policy) = text.parsed() else {
            continue;
        };
        for st in policy.statements.iter().map(|s| &s.value) {
            if slot == PolicySlot::Resource {
                let (star, session, case) = grant_marks(st, q, caller);
                found[1] |= case;
                found[2] |= star;
                found[3] |= session;
            } else {
                found[0] |= st.principal.is_some();
            }
            found[4] |= q.resource == "*"
                && st.resource.as_ref().is_some_and(|r| {
                    !r.value.negated && r.value.values.items.iter().any(|v| v.value != "*")
                });
            let (plain, empty, mismatch) = condition_marks(st, q);
            found[5] |= plain;
            found[6] |= empty;
            found[7] |= mismatch;
        }
    }
    MARKS
        .iter()
        .zip(found)
        .filter_map(|(m, f)| f.then_some(*m))
        .collect()
}

/// Every mark, in the order they are added.
pub const MARKS: [&str; 8] = [
    // `Principal` in an identity, boundary, session, SCP or RCP policy: IAM rejects it
    // ("Policy document should not specify a principal").
    "principal-in-identity-policy",
    // A resource policy names the caller (or its role) with other letter case.
    "principal-arn-case",
    // A resource policy allows `"*"` or `{"AWS": "*"}` (without an aws:PrincipalArn condition).
    "grant-to-star",
    // A resource policy allows the caller's own session or federated-user ARN, or `"*"`
    // under an aws:PrincipalArn condition.
    "grant-to-session-arn",
    // The request's resource is `*` and a statement names resources.
    "request-resource-star",
    // A condition without a set qualifier on a key the request gives as a list of values.
    "plain-operator-on-multivalued-key",
    // A condition without a set qualifier on a key the request gives as an empty list.
    "key-present-with-no-values",
    // A typed operator with a value (policy or request) that is not of its type, or a
    // string operator on a key the request types otherwise.
    "operator-type-mismatch",
];

/// (grant to `*`, grant to the caller's session ARN, principal named with other case).
fn grant_marks(st: &Statement, q: &Query, caller: Option<&str>) -> (bool, bool, bool) {
    let Some(p) = st.principal.as_ref().map(|p| &p.value) else {
        return (false, false, false);
    };
    let allow = st.effect.as_ref().is_some_and(|e| e.value == Effect::Allow) && !p.negated;
    let aws: Vec<&str> = match &p.value {
        PrincipalValue::Wildcard => vec!["*"],
        PrincipalValue::Map(entries) => entries
            .iter()
            .filter(|e| e.kind.value == PrincipalKind::Aws)
            .flat_map(|e| e.values.items.iter().map(|v| v.value.as_str()))
            .collect(),
    };
    // `"*"` with a condition on aws:PrincipalArn names the caller through the condition:
    // the evaluation page decides that grant (not limited by boundaries or session policies).
    let by_principal_arn = st
        .condition
        .iter()
        .flat_map(|c| &c.value.operators)
        .any(|op| {
            op.keys
                .iter()
                .any(|k| k.key.value.eq_ignore_ascii_case("aws:PrincipalArn"))
        });
    let star = allow && aws.contains(&"*");
    let session_kind = matches!(principal_kind(&q.caller), "assumed-role" | "federated-user");
    let Some(caller) = caller else {
        return (star && !by_principal_arn, false, false);
    };
    let session = allow && session_kind && (aws.contains(&caller) || star && by_principal_arn);
    let star = star && !by_principal_arn;
    let role = role_of(caller);
    let case = aws.iter().any(|v| {
        [Some(caller), role.as_deref()]
            .into_iter()
            .flatten()
            .any(|c| *v != c && v.eq_ignore_ascii_case(c))
    });
    (star, session, case)
}

/// The role ARN of a role session ARN.
fn role_of(caller: &str) -> Option<String> {
    let (head, rest) = caller.split_once(":assumed-role/")?;
    let role = rest.split('/').next()?;
    Some(format!(
        "{}:role/{role}",
        head.replacen(":sts:", ":iam:", 1)
    ))
}

/// (plain operator on a multivalued key, on a key with no values, type mismatch).
fn condition_marks(st: &Statement, q: &Query) -> (bool, bool, bool) {
    let mut out = (false, false, false);
    for op in st.condition.iter().flat_map(|c| &c.value.operators) {
        let OperatorName::Known(o) = &op.operator.value else {
            continue;
        };
        let family = o.base.family();
        for key in &op.keys {
            let entry = q
                .context
                .iter()
                .find(|e| e.key.eq_ignore_ascii_case(&key.key.value));
            if o.qualifier.is_none()
                && let Some(e) = entry.filter(|e| e.ty.is_list())
            {
                if e.values.is_empty() {
                    out.1 = true;
                } else if family != Family::Null {
                    out.0 = true;
                }
            }
            let policy_values = key.values.value.items.iter().map(|v| v.value.as_text());
            let request_values = entry.into_iter().flat_map(|e| e.values.iter());
            let wrong = policy_values
                .into_iter()
                .any(|v| !v.contains("${") && !fits(family, &v))
                || request_values.into_iter().any(|v| !fits(family, v))
                || entry.is_some_and(|e| !type_fits(family, e.ty))
                || (entry.is_none() && derived_mismatch(family, &key.key.value));
            out.2 |= wrong;
        }
    }
    out
}

/// Whether `v` can be read as a value of the operator family (roughly: enough to tell a
/// word from a number, an address or an ARN).
fn fits(family: Family, v: &str) -> bool {
    match family {
        Family::Numeric => v.trim().parse::<f64>().is_ok(),
        Family::Date => {
            let b = v.as_bytes();
            b.iter().all(u8::is_ascii_digit)
                || (b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-')
        }
        Family::Ip => {
            let addr = v.split('/').next().unwrap_or_default();
            addr.parse::<std::net::IpAddr>().is_ok()
        }
        Family::Arn => v == "*" || v.starts_with("arn:"),
        Family::Bool => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
        Family::Binary => v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')),
        Family::String | Family::Null => true,
    }
}

/// Whether a context entry of type `ty` is what the operator family compares (strings take
/// string-typed keys only; ARN operators take strings too).
fn type_fits(family: Family, ty: ContextType) -> bool {
    use ContextType as T;
    match family {
        Family::String | Family::Arn => matches!(ty, T::String | T::StringList),
        Family::Numeric => matches!(ty, T::Numeric | T::NumericList),
        Family::Date => matches!(ty, T::Date | T::DateList),
        Family::Bool => matches!(ty, T::Boolean | T::BooleanList),
        Family::Binary => matches!(ty, T::Binary | T::BinaryList),
        Family::Ip => matches!(ty, T::Ip | T::IpList),
        Family::Null => true,
    }
}

/// Keys every request carries (derived from the caller) whose values are words or a
/// Boolean, under an operator that compares numbers, dates, addresses, binary or ARNs.
fn derived_mismatch(family: Family, key: &str) -> bool {
    let word = ["aws:principaltype", "aws:username", "aws:userid"];
    let key = key.to_ascii_lowercase();
    match family {
        Family::Numeric | Family::Date | Family::Ip | Family::Binary => {
            word.contains(&key.as_str()) || key == "aws:principalisawsservice"
        }
        Family::Arn => word.contains(&key.as_str()) || key == "aws:principalisawsservice",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use crate::{PolicyInputs, PolicyText};
    use iamcr_case::ContextEntry;

    fn query(identity: &str, resource: Option<&str>, caller: &str) -> Query {
        Query {
            policies: PolicyInputs {
                identity: vec![identity.into()],
                resource: resource.map(PolicyText::from),
                ..Default::default()
            },
            caller: Caller::Arn(caller.into()),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_owner: None,
            context: vec![],
        }
    }

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Reader/s-1";

    #[test]
    fn a_plain_operator_on_a_list_and_on_an_empty_list_are_marked() {
        let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{"StringEquals":{"aws:CalledVia":"glue.amazonaws.com"}}}}"#;
        let mut q = query(policy, None, SESSION);
        assert!(marks(&q).is_empty());
        q.context.push(ContextEntry {
            key: "aws:calledvia".into(),
            ty: ContextType::StringList,
            values: vec!["glue.amazonaws.com".into()],
        });
        assert_eq!(marks(&q), ["plain-operator-on-multivalued-key"]);
        q.context[0].values.clear();
        assert_eq!(marks(&q), ["key-present-with-no-values"]);
        let set = policy.replace("\"StringEquals\"", "\"ForAnyValue:StringEquals\"");
        let q = Query {
            policies: PolicyInputs {
                identity: vec![set.into()],
                ..Default::default()
            },
            ..q
        };
        assert!(marks(&q).is_empty());
    }

    #[test]
    fn grants_to_star_to_the_session_and_with_other_case_are_marked() {
        let grant = |who: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"{who}"}},"Action":"*","Resource":"*"}}}}"#
            )
        };
        let identity = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let q = |who: &str| query(identity, Some(&grant(who)), SESSION);
        assert_eq!(marks(&q("*")), ["grant-to-star"]);
        assert_eq!(marks(&q(SESSION)), ["grant-to-session-arn"]);
        let by_arn = grant("*").replace(
            r#""Resource":"*"}"#,
            r#""Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Reader"}}}"#,
        );
        assert_eq!(
            marks(&query(identity, Some(&by_arn), SESSION)),
            ["grant-to-session-arn"]
        );
        assert_eq!(
            marks(&q("arn:aws:iam::111122223333:role/reader")),
            ["principal-arn-case"]
        );
        assert!(marks(&q("arn:aws:iam::111122223333:role/Reader")).is_empty());
        let in_identity = query(&grant("*"), None, SESSION);
        assert_eq!(marks(&in_identity), ["principal-in-identity-policy"]);
    }

    #[test]
    fn typed_operators_on_other_values_and_a_star_request_resource_are_marked() {
        let numeric = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*",
            "Condition":{"NumericLessThan":{"aws:PrincipalType":"3"}}}}"#;
        let mut q = query(numeric, None, SESSION);
        assert_eq!(marks(&q), ["operator-type-mismatch"]);
        q.resource = "*".into();
        assert_eq!(
            marks(&q),
            ["request-resource-star", "operator-type-mismatch"]
        );
        let arn = numeric
            .replace("NumericLessThan", "ArnEquals")
            .replace("\"3\"", "\"User\"");
        assert_eq!(
            marks(&query(&arn, None, SESSION)),
            ["operator-type-mismatch"]
        );
        // Any text, multibyte included, is read without a panic.
        for family in [
            Family::Date,
            Family::Numeric,
            Family::Ip,
            Family::Arn,
            Family::Binary,
        ] {
            assert!(!fits(family, "tV.\u{18e3}I]5'aS*"));
        }
        let fine = numeric.replace("aws:PrincipalType", "s3:max-keys");
        assert!(marks(&query(&fine, None, SESSION)).is_empty());
    }
}
