//! The shortcut forms of the wildcard matcher (literal chunks between `*`s, matched by
//! substring search) at their edges, each checked against the general token matcher by
//! adding a `?` that forces it (`x?` against `x` + one character means the same as `x` plus
//! that character).
//!
//! Rules (IAM User Guide, reference_policies_elements_resource.html): within the first five
//! colon-separated segments of a `Resource` ARN a wildcard stays in its segment unless a `*`
//! ends the segment; after the fifth colon (the resource part) `*` and `?` match anything,
//! `:` and `/` included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::pattern::{Mode, Pattern};
use iamcr_eval::{Principal, Request};

fn request() -> Request {
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    Request::new(who, "s3:GetObject", "*")
}

fn matches(pattern: &str, mode: Mode, text: &str) -> bool {
    Pattern::new(pattern, mode, false)
        .matches(text, &request())
        .is_match()
}

/// A prefix and a suffix that overlap in the text cannot both be there: `ab*ba` needs at
/// least four characters.
#[test]
fn an_overlapping_prefix_and_suffix_do_not_match_a_short_text() {
    for mode in [Mode::Plain, Mode::ResourceElement] {
        assert!(!matches("ab*ba", mode, "aba"), "{mode:?}");
        assert!(!matches("ab*ba", mode, "ab"), "{mode:?}");
        assert!(matches("ab*ba", mode, "abba"), "{mode:?}");
        assert!(matches("ab*ba", mode, "abxba"), "{mode:?}");
        assert!(!matches("abc*cba", mode, "abcba"), "{mode:?}");
        assert!(matches("abc*cba", mode, "abccba"), "{mode:?}");
    }
}

/// In the resource part a `*` that does not end a segment still crosses `:` and `/`; in the
/// first five segments it does not cross `:`. The same answers with a `?` in the pattern
/// (general matcher) and without (shortcut).
#[test]
fn a_star_in_the_resource_part_crosses_colons() {
    let r = Mode::ResourceElement;
    let cases = [
        // Resource part: `*` followed by `/end` crosses a colon.
        (
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/*/end",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/a:b/end",
            true,
        ),
        ("arn:aws:s3:::bucket/*x", "arn:aws:s3:::bucket/a:b/x", true),
        // Region segment: `*` followed by `-1` stays in the segment.
        (
            "arn:aws:logs:us-*-1:111122223333:log-group:g",
            "arn:aws:logs:us-east:x-1:111122223333:log-group:g",
            false,
        ),
        (
            "arn:aws:logs:us-*-1:111122223333:log-group:g",
            "arn:aws:logs:us-east-1:111122223333:log-group:g",
            true,
        ),
    ];
    for (pattern, text, expected) in cases {
        assert_eq!(matches(pattern, r, text), expected, "{pattern} vs {text}");
        // The same pattern through the general matcher: the text's last character made a `?`.
        let general = format!("{}?", &pattern[..pattern.len() - 1]);
        assert_eq!(matches(&general, r, text), expected, "{general} vs {text}");
    }
}
