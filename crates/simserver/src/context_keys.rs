//! `GetContextKeysForCustomPolicy`: the context keys the policies reference — the keys of
//! their `Condition` blocks and the `${…}` policy variables of `Resource`/`NotResource` and
//! of string and ARN condition values — once each (case-insensitively, first spelling
//! kept), in the order they appear. The API reference's example lists `aws:username` from
//! `Resource` (`…:table/${aws:username}`) before `aws:CurrentTime` from the condition.

use crate::protocol::ApiError;
use iamcr_policy::{ConditionValue, OperatorName, Policy};

/// `${key}` and `${key, 'default'}` variables in `text`, with their byte offsets. `${*}`,
/// `${?}` and `${$}` are escapes, not keys. With `resource_part_only`, only after the fifth
/// colon (the ARN's resource part), where IAM recognises them.
fn variables(text: &str, resource_part_only: bool) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("${").map(|i| i + from) {
        let Some(end) = text[i..].find('}').map(|e| e + i) else {
            break;
        };
        let inner = &text[i + 2..end];
        let key = inner.split_once(',').map_or(inner, |(k, _)| k).trim();
        let in_resource_part = text[..i].matches(':').count() >= 5;
        if !matches!(key, "*" | "?" | "$" | "")
            && !key.contains(char::is_whitespace)
            && (!resource_part_only || in_resource_part)
        {
            out.push((i, key.to_string()));
        }
        from = end + 1;
    }
    out
}

/// The keys one policy references, each with the byte offset where it appears.
fn keys_of(policy: &Policy) -> Vec<(usize, String)> {
    let vars = policy.variables_enabled();
    let mut found: Vec<(usize, String)> = Vec::new();
    for st in &policy.statements {
        let st = &st.value;
        if let Some(r) = &st.resource
            && vars
        {
            for item in &r.value.values.items {
                for (off, k) in variables(&item.value, true) {
                    found.push((item.span.start as usize + off, k));
                }
            }
        }
        for op in st.condition.iter().flat_map(|c| &c.value.operators) {
            let takes_vars = match &op.operator.value {
                OperatorName::Known(o) => o.base.takes_variables(),
                OperatorName::Unknown(_) => false,
            };
            for ck in &op.keys {
                found.push((ck.key.span.start as usize, ck.key.value.clone()));
                if !(vars && takes_vars) {
                    continue;
                }
                for v in &ck.values.value.items {
                    if let ConditionValue::String(s) = &v.value {
                        for (off, k) in variables(s, false) {
                            found.push((v.span.start as usize + off, k));
                        }
                    }
                }
            }
        }
    }
    found.sort_by_key(|(off, _)| *off);
    found
}

/// The keys the policies reference, across all of them in order.
pub fn context_keys(docs: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for (i, text) in docs.iter().enumerate() {
        let policy = iamcr_policy::parse(text).map_err(|diags| {
            let first = diags
                .iter()
                .find(|d| d.severity == iamcr_policy::Severity::Error)
                .map(|d| d.to_string())
                .unwrap_or_default();
            ApiError::invalid_input(format!(
                "PolicyInputList.{} is not a valid policy document: {first}",
                i + 1
            ))
        })?;
        for (_, k) in keys_of(&policy) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&k)) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_reference_example_lists_the_variable_then_the_condition_key() {
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}"#;
        assert_eq!(
            context_keys(&[doc.to_string()]).unwrap(),
            vec!["aws:username", "aws:CurrentTime"]
        );
    }

    #[test]
    fn keys_are_listed_once_and_escapes_and_old_versions_are_not_keys() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}/${aws:PrincipalTag/team, 'x'}","Condition":{"StringEquals":{"s3:prefix":"${aws:userid}"},"NumericLessThan":{"s3:max-keys":"${aws:NotAVariableHere}"}}}]}"#;
        let b = r#"{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}","Condition":{"Bool":{"AWS:SecureTransport":"false"},"StringLike":{"S3:PREFIX":"x"}}}}"#;
        assert_eq!(
            context_keys(&[a.to_string(), b.to_string()]).unwrap(),
            vec![
                "aws:PrincipalTag/team",
                "s3:prefix",
                "aws:userid",
                "s3:max-keys",
                "AWS:SecureTransport"
            ]
        );
    }

    #[test]
    fn a_document_that_is_not_a_policy_is_invalid_input_naming_it() {
        let e = context_keys(&[r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#.into(), "not json".into()]).unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        assert!(e.message.starts_with("PolicyInputList.2 "), "{}", e.message);
    }
}
