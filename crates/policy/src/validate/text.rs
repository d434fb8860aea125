//! Checks on the policy text itself: allowed characters and size quotas.
//!
//! Sources: IAM API model (`policyDocumentType` pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`,
//! length ≤ 131,072), IAM quotas page (managed policy 6,144 characters and role trust policy
//! 2,048 by default, "IAM doesn't count white space"), STS (session policy ≤ 2,048
//! characters), AWS Organizations quotas (SCP/RCP 5,120 characters, whitespace counted when
//! sent through the API), Clean Rooms ML and S3 (resource policy ≤ 20,480).

use crate::diag::{Diagnostic, Stage};
use crate::kind::PolicyKind;
use crate::span::Span;

/// The size quota of a kind, how it is counted, and the message for exceeding it.
pub(crate) struct Quota {
    /// Largest allowed size.
    pub limit: usize,
    /// Whether whitespace outside strings is left out of the count.
    pub skips_whitespace: bool,
    /// AWS's message.
    pub message: &'static str,
}

/// The quota for `kind`.
pub(crate) fn quota(kind: PolicyKind) -> Quota {
    match kind {
        PolicyKind::Identity | PolicyKind::Boundary => Quota {
            limit: 6144,
            skips_whitespace: true,
            message: "Cannot exceed quota for PolicySize: 6144",
        },
        PolicyKind::Trust => Quota {
            limit: 2048,
            skips_whitespace: true,
            message: "Cannot exceed quota for ACLSizePerRole: 2048",
        },
        PolicyKind::Session => Quota {
            limit: 2048,
            skips_whitespace: false,
            message: "1 validation error detected: Value at 'policy' failed to satisfy \
                      constraint: Member must have length less than or equal to 2048",
        },
        PolicyKind::Scp | PolicyKind::Rcp => Quota {
            limit: 5120,
            skips_whitespace: false,
            message: "You have exceeded the maximum policy size.",
        },
        PolicyKind::Resource => Quota {
            limit: 20480,
            skips_whitespace: false,
            message: "Policy exceeds the maximum allowed size of 20480 characters",
        },
    }
}

/// The size of `text` as the kind's quota counts it (characters).
pub(crate) fn counted_size(text: &str, skips_whitespace: bool) -> usize {
    if !skips_whitespace {
        return if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
    }
    if text.is_ascii() {
        // Bytes, not characters; a string is counted in one stretch up to its closing quote.
        let bytes = text.as_bytes();
        let (mut i, mut n) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                let mut j = i + 1;
                while j < bytes.len() {
                    match bytes[j] {
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                let end = (j + 1).min(bytes.len());
                n += end - i;
                i = end;
            } else {
                n += usize::from(!b.is_ascii_whitespace());
                i += 1;
            }
        }
        return n;
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut n = 0;
    for c in text.chars() {
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            n += 1;
            if c == '"' {
                in_string = true;
            }
        }
    }
    n
}

/// The size of a policy text as the quota of `kind` counts it, and that quota.
pub fn policy_size(text: &str, kind: PolicyKind) -> (usize, usize) {
    let q = quota(kind);
    (counted_size(text, q.skips_whitespace), q.limit)
}

/// Text-level diagnostics for `kind`.
pub(crate) fn check(text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if kind.is_iam_document() {
        let param = match kind {
            PolicyKind::Trust => "assumeRolePolicyDocument",
            PolicyKind::Session => "policy",
            _ => "policyDocument",
        };
        // ASCII text can only fail on control characters: a byte scan finds them.
        let clean_ascii = text.is_ascii()
            && text
                .bytes()
                .all(|b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
        let chars = if clean_ascii { "" } else { text };
        for (i, c) in chars.char_indices() {
            let ok = matches!(c, '\t' | '\n' | '\r') || ('\u{20}'..='\u{ff}').contains(&c);
            if !ok {
                out.push(
                    Diagnostic::error(
                        "invalid-character",
                        Stage::Input,
                        format!(
                            "1 validation error detected: Value at '{param}' failed to satisfy \
                             constraint: Member must satisfy regular expression pattern: \
                             [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
                        ),
                        Span::new(i, i + c.len_utf8()),
                        "",
                    )
                    .with_detail(format!(
                        "character U+{:04X} is outside the range IAM accepts",
                        c as u32
                    )),
                );
                // One is enough to explain the rejection; a file full of them would flood.
                break;
            }
        }
        if text.is_empty() {
            out.push(Diagnostic::error(
                "input-empty",
                Stage::Input,
                format!(
                    "1 validation error detected: Value at '{param}' failed to satisfy \
                     constraint: Member must have length greater than or equal to 1"
                ),
                Span::point(0),
                "",
            ));
        }
        if text.len() > 131_072 && kind != PolicyKind::Session {
            out.push(Diagnostic::error(
                "input-too-long",
                Stage::Input,
                format!(
                    "1 validation error detected: Value at '{param}' failed to satisfy \
                     constraint: Member must have length less than or equal to 131072"
                ),
                Span::point(0),
                "",
            ));
        }
    }
    let q = quota(kind);
    let size = counted_size(text, q.skips_whitespace);
    if size > q.limit {
        let how = if q.skips_whitespace {
            "not counting whitespace"
        } else {
            "whitespace included"
        };
        out.push(
            Diagnostic::error(
                "policy-too-large",
                Stage::Size,
                q.message,
                Span::point(0),
                "",
            )
            .with_detail(format!(
                "the policy has {size} characters ({how}); the {kind} quota is {}",
                q.limit
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_outside_strings_is_not_counted() {
        assert_eq!(counted_size("{ \"a b\" : [ 1 , 2 ] }", true), 13);
        assert_eq!(counted_size("{\"a\\\" b\":1}", true), 11);
        assert_eq!(counted_size("{ }", false), 3);
    }

    #[test]
    fn rejects_characters_iam_does_not_accept() {
        assert!(check("{\"a\":\"é\"}", PolicyKind::Identity).is_empty());
        let d = check("{\"a\":\"€\"}", PolicyKind::Identity);
        assert_eq!(d[0].code, "invalid-character");
        assert_eq!(d[0].span, Span::new(6, 9));
        assert!(check("{\"a\":\"€\"}", PolicyKind::Resource).is_empty());
    }
}
