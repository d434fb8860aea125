//! Action element format: `vendor:name`, `*` alone, no wildcard in the vendor.
//!
//! Source: IAM User Guide, Action element ("You can't use a wildcard in the service
//! prefix"); messages as IAM returns them (docs/research/validation-messages.md §1.2).

use crate::ast::Policy;
use crate::diag::{Diagnostic, Stage, messages};
use crate::kind::PolicyKind;
use crate::validate::messages::{ACTION_INVALID, ORG_GENERIC};

/// The problem with one action string, if any (IAM's message and our detail).
pub(crate) fn format_error(action: &str) -> Option<(&'static str, String)> {
    if action == "*" {
        return None;
    }
    let mut parts = action.split(':');
    let vendor = parts.next().unwrap_or("");
    let Some(_name) = parts.next() else {
        return Some((
            messages::ACTION_VENDOR,
            format!("{action:?} has no service prefix (write service:action)"),
        ));
    };
    if parts.next().is_some() {
        return Some((
            messages::ACTION_ONE_COLON,
            format!("{action:?} has more than one colon"),
        ));
    }
    if vendor.contains(['*', '?']) {
        return Some((
            messages::ACTION_VENDOR_WILDCARD,
            format!("the service prefix {vendor:?} contains a wildcard"),
        ));
    }
    if vendor.is_empty()
        || !vendor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        // IAM's message names the vendor, so it has no fixed text: signalled by "".
        return Some(("", format!("Vendor {vendor} is not valid")));
    }
    None
}

/// Check `Action`/`NotAction` strings of every statement (IAM walks `Action` of all
/// statements, then `NotAction`, and reports the first problem).
pub(crate) fn check(policy: &Policy, kind: PolicyKind, out: &mut Vec<Diagnostic>) {
    for negated in [false, true] {
        for (i, st) in policy.statements.iter().enumerate() {
            let Some(block) = &st.value.action else {
                continue;
            };
            if block.value.negated != negated {
                continue;
            }
            let name = if negated { "NotAction" } else { "Action" };
            let path = || format!("{}.{name}", super::statement_path(policy, i));
            for a in &block.value.values.items {
                let Some((iam_message, detail)) = format_error(&a.value) else {
                    continue;
                };
                // "Vendor X is not valid" is its own message.
                let iam_message = if iam_message.is_empty() {
                    detail.clone()
                } else {
                    iam_message.to_string()
                };
                let message = match kind {
                    PolicyKind::Resource => ACTION_INVALID.to_string(),
                    PolicyKind::Scp | PolicyKind::Rcp => ORG_GENERIC.to_string(),
                    _ => iam_message.clone(),
                };
                let mut d = Diagnostic::error(
                    "invalid-action",
                    Stage::ActionFormat,
                    message.clone(),
                    a.span,
                    path(),
                );
                if message != detail {
                    d = d.with_detail(if message == iam_message {
                        detail
                    } else {
                        format!("{iam_message} {detail}")
                    });
                }
                // IAM stops at the first bad action; keep document order (Action before
                // NotAction) as the sort order within the stage.
                d.order = (u32::from(negated) << 31) | a.span.start;
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_error;
    use crate::diag::messages;

    #[test]
    fn action_messages() {
        assert_eq!(format_error("invalid").unwrap().0, messages::ACTION_VENDOR);
        assert_eq!(format_error("").unwrap().0, messages::ACTION_VENDOR);
        assert_eq!(
            format_error("s3:List:Bucket").unwrap().0,
            messages::ACTION_ONE_COLON
        );
        assert_eq!(
            format_error("s*:GetObject").unwrap().0,
            messages::ACTION_VENDOR_WILDCARD
        );
        assert_eq!(
            format_error("a a:ListBucket").unwrap().1,
            "Vendor a a is not valid"
        );
        for ok in [
            "*",
            "s3:*",
            "iam: asdf safdsf af ",
            "s3-s:ListBucket",
            "s3.s:ListBucket",
            "cleanrooms-ml:Get*",
        ] {
            assert!(format_error(ok).is_none(), "{ok}");
        }
    }
}
