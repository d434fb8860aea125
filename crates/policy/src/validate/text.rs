//! Checks on the policy text itself: allowed characters and size quotas.
//!
//! Sources: IAM API model (`policyDocumentType` pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`,
//! length ≤ 131,072), IAM quotas page (managed policy 6,144 characters and role trust policy
//! 2,048 by default, "IAM doesn't count white space"), STS (session policy ≤ 2,048
//! characters), AWS Organizations quotas (SCP/RCP 5,120 characters, whitespace counted when
//! sent through the API), Clean Rooms ML and S3 (resource policy ≤ 20,480).

use crate::Code;
use crate::PolicyKind;
use crate::diag::{Diagnostic, Stage};
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

/// ASCII bytes IAM's document pattern accepts: tab, line feed, carriage return and
/// `0x20..=0x7F` (non-ASCII bytes are `false`, so their characters are checked one by one).
const ASCII_ACCEPTED: [bool; 256] = {
    let mut t = [false; 256];
    t[0x09] = true;
    t[0x0A] = true;
    t[0x0D] = true;
    let mut b = 0x20;
    while b < 0x80 {
        t[b] = true;
        b += 1;
    }
    t
};

/// Whether `bytes` are all ASCII that IAM's document pattern accepts. Eight bytes at a time:
/// this scan reads every byte of every policy, and only words holding a byte below `0x20`
/// (line breaks, tabs, or a control character) are looked at byte by byte.
fn ascii_without_controls(bytes: &[u8]) -> bool {
    let accepted = |b: u8| ASCII_ACCEPTED[usize::from(b)];
    let (words, rest) = crate::words::words(bytes);
    for w in words {
        if crate::words::any_non_ascii(w) {
            return false;
        }
        if crate::words::may_hold_control(w) && !w.to_ne_bytes().into_iter().all(accepted) {
            return false;
        }
    }
    rest.iter().all(|&b| accepted(b))
}

/// Text-level diagnostics for `kind`, added to `out` (the report's own list: building a
/// separate vector and appending it cost a reallocation per input). `whitespace`, when
/// known, is the bytes of whitespace between the JSON tokens of `text` (see
/// [`crate::json::read_counting`]).
pub(crate) fn check(
    text: &str,
    kind: PolicyKind,
    whitespace: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    if kind.is_iam_document() {
        let param = match kind {
            PolicyKind::Trust => "assumeRolePolicyDocument",
            PolicyKind::Session => "policy",
            _ => "policyDocument",
        };
        // ASCII text can only fail on control characters.
        let clean_ascii = ascii_without_controls(text.as_bytes());
        let chars = if clean_ascii { "" } else { text };
        for (i, c) in chars.char_indices() {
            let ok = matches!(c, '\t' | '\n' | '\r') || ('\u{20}'..='\u{ff}').contains(&c);
            if !ok {
                out.push(
                    Diagnostic::error(
                        Code::InvalidCharacter,
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
                Code::InputEmpty,
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
                Code::InputTooLong,
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
    // The count never exceeds the byte length (characters ≤ bytes, and skipped whitespace
    // only lowers it), so a text within the quota in bytes needs no count.
    let size = match whitespace {
        _ if text.len() <= q.limit => 0,
        // Valid JSON: the whitespace outside strings is exactly what the reader skipped
        // between tokens (one character per byte), so the count needs no pass of its own
        // that tells strings from the space between them — the one step of reading a
        // policy past the quota that cost as much per byte as a tenth of the rest.
        Some(whitespace) if q.skips_whitespace => {
            counted_size(text, false).saturating_sub(whitespace)
        }
        _ => counted_size(text, q.skips_whitespace),
    };
    if size > q.limit {
        let how = if q.skips_whitespace {
            "not counting whitespace"
        } else {
            "whitespace included"
        };
        out.push(
            Diagnostic::error(
                Code::PolicyTooLarge,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        super::check(text, kind, None, &mut out);
        out
    }

    #[test]
    fn whitespace_outside_strings_is_not_counted() {
        assert_eq!(counted_size("{ \"a b\" : [ 1 , 2 ] }", true), 13);
        assert_eq!(counted_size("{\"a\\\" b\":1}", true), 11);
        assert_eq!(counted_size("{ }", false), 3);
    }

    /// The word-at-a-time scan agrees with the table on every byte value at every position of
    /// a word and in the tail, alone and next to line breaks and high bytes.
    #[test]
    fn word_scan_agrees_with_byte_scan() {
        let naive = |b: &[u8]| b.iter().all(|&c| ASCII_ACCEPTED[usize::from(c)]);
        for len in [1usize, 7, 8, 9, 16, 19] {
            for at in 0..len {
                for value in 0..=255u8 {
                    for fill in [b' ', b'\n', b'~', 0x7F] {
                        let mut text = vec![fill; len];
                        text[at] = value;
                        assert_eq!(ascii_without_controls(&text), naive(&text), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_characters_iam_does_not_accept() {
        assert!(check("{\"a\":\"é\"}", PolicyKind::Identity).is_empty());
        let d = check("{\"a\":\"€\"}", PolicyKind::Identity);
        assert_eq!(d[0].code, Code::InvalidCharacter);
        assert_eq!(d[0].span, Span::new(6, 9));
        assert!(check("{\"a\":\"€\"}", PolicyKind::Resource).is_empty());
    }
}
