//! Action element format: `vendor:name`, `*` alone, no wildcard in the vendor.
//!
//! Source: IAM User Guide, Action element ("You can't use a wildcard in the service
//! prefix"); messages as IAM returns them (docs/research/validation-messages.md §1.2).

use crate::Code;
use crate::PolicyKind;
use crate::ast::Policy;
use crate::diag::{Diagnostic, Stage, messages, quoted};
use crate::validate::messages::{ACTION_INVALID, ORG_GENERIC};
use std::borrow::Cow;

/// The problem with one action string, if any: IAM's message and our detail.
pub(crate) fn format_error(action: &str) -> Option<(Cow<'static, str>, String)> {
    if action == "*" || plainly_valid(action.as_bytes()) {
        return None;
    }
    let mut parts = action.split(':');
    let vendor = parts.next().unwrap_or("");
    let Some(_name) = parts.next() else {
        return Some((
            messages::ACTION_VENDOR.into(),
            quoted(action) + " has no service prefix (write service:action)",
        ));
    };
    if parts.next().is_some() {
        return Some((
            messages::ACTION_ONE_COLON.into(),
            quoted(action) + " has more than one colon",
        ));
    }
    if vendor.contains(['*', '?']) {
        return Some((
            messages::ACTION_VENDOR_WILDCARD.into(),
            "the service prefix ".to_string() + &quoted(vendor) + " contains a wildcard",
        ));
    }
    if vendor.is_empty()
        || !vendor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        // IAM's message names the vendor, so it has no fixed text, and says it all.
        let message = format!("Vendor {vendor} is not valid");
        return Some((message.clone().into(), message));
    }
    None
}

/// Whether `action` is `vendor:name` with a vendor of letters, digits, `-` and `.`, and no
/// second colon: what almost every action is, and then [`format_error`] has nothing to say.
/// One table scan of the vendor and a colon count of the rest (no early exit, so it runs a
/// word at a time) instead of the splitting iterator, which cost hundreds of instructions
/// per action on every policy read.
fn plainly_valid(action: &[u8]) -> bool {
    let vendor = action
        .iter()
        .position(|&b| !VENDOR_BYTE[usize::from(b)])
        .unwrap_or(action.len());
    match action.split_at_checked(vendor) {
        Some((_, [b':', name @ ..])) if vendor > 0 => {
            !name.iter().fold(false, |colon, &b| colon | (b == b':'))
        }
        _ => false,
    }
}

/// The bytes a service prefix may hold (ASCII letters and digits, `-`, `.`).
const VENDOR_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
        b += 1;
    }
    t
};

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
            let suffix = if negated { ".NotAction" } else { ".Action" };
            // Rendered once per element, only if one of its actions is bad.
            let mut path: Option<String> = None;
            for a in &block.value.values.items {
                let Some((iam_message, detail)) = format_error(&a.value) else {
                    continue;
                };
                let message: Cow<'static, str> = match kind {
                    PolicyKind::Resource => ACTION_INVALID.into(),
                    PolicyKind::Scp | PolicyKind::Rcp => ORG_GENERIC.into(),
                    _ => iam_message.clone(),
                };
                // The detail says what IAM's message does not: our explanation, after
                // IAM's own message when the kind answers with a generic one.
                let detail = if message == detail {
                    None
                } else if message == iam_message || iam_message == detail {
                    // ("Vendor X is not valid" is both IAM's message and the detail.)
                    Some(detail)
                } else {
                    Some(format!("{iam_message} {detail}"))
                };
                let path = path
                    .get_or_insert_with(|| super::statement_path(policy, i).join(suffix))
                    .clone();
                let mut d = Diagnostic::error(
                    Code::InvalidAction,
                    Stage::ActionFormat,
                    message,
                    a.span,
                    path,
                );
                d.detail = detail;
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
    use crate::{Code, PolicyKind, check};

    /// Where IAM's message is the kind's generic one, the detail says what is wrong, once.
    #[test]
    fn details_under_generic_messages() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": "*", "Action": ["a a:List", "s3:Get:Object"], "Resource": "*"}]}"#;
        let report = check(text, PolicyKind::Resource);
        let found: Vec<(&str, Option<&str>)> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::InvalidAction)
            .map(|d| (d.path.as_str(), d.detail.as_deref()))
            .collect();
        let one_colon = format!(
            "{} \"s3:Get:Object\" has more than one colon",
            messages::ACTION_ONE_COLON
        );
        assert_eq!(
            found,
            [
                ("Statement[0].Action", Some("Vendor a a is not valid")),
                ("Statement[0].Action", Some(one_colon.as_str())),
            ]
        );
    }

    /// The fast path accepts exactly the actions the full check finds nothing wrong with.
    #[test]
    fn plainly_valid_agrees_with_format_error() {
        let pieces = [
            "", "s3", "a-b.c", "s*", "a a", ":", "::", "Get*", "é", "*", "?",
        ];
        let mut tried = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let action = format!("{a}{b}{c}");
                    let plain = super::plainly_valid(action.as_bytes());
                    let full = action == "*" || format_error_without_fast_path(&action);
                    assert!(!plain || full, "{action:?} passed the fast path only");
                    // The fast path leaves out only `*` and vendors it does not know.
                    if full && action != "*" {
                        assert!(plain, "{action:?} is valid but missed the fast path");
                    }
                    tried += 1;
                }
            }
        }
        assert_eq!(tried, pieces.len().pow(3));
    }

    /// `format_error`'s answer by the split-based rules alone.
    fn format_error_without_fast_path(action: &str) -> bool {
        let mut parts = action.split(':');
        let vendor = parts.next().unwrap_or("");
        parts.next().is_some()
            && parts.next().is_none()
            && !vendor.is_empty()
            && vendor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    }

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
