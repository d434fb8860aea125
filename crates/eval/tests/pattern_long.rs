//! Wildcard patterns long enough to leave the bit-parallel matcher: a pattern of 128 tokens
//! or more (one token per character once variables are substituted) runs on the vector NFA,
//! which no shorter test reaches. Every case is checked at lengths on both sides of that
//! boundary (the answer must not depend on the length), in the three wildcard rules of the
//! IAM User Guide:
//! - `Action`/`StringLike`: `*` any run of characters, `?` one character, `:` included;
//! - `Resource` (reference_policies_elements_resource.html): "You can use wildcard
//!   characters (* and ?) within the individual segments of an ARN (the parts separated by
//!   colons)"; "If the * wildcard is the last character of a resource ARN segment, it can
//!   expand to match beyond the colon boundaries"; after the fifth colon (the resource part)
//!   `*` and `?` match anything;
//! - `ArnLike` (condition operators page): "Each of the six colon-delimited components of
//!   the ARN is checked separately" (examples.md B2).
//!
//! Every pattern holds a `?`, so none of them is matched by the exact/prefix/chunk shortcuts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::pattern::{Mode, Pattern};
use iamcr_eval::{Context, Principal, Request};

/// Total pattern lengths (in tokens) tried for every case: short, the last length of the
/// bit-parallel matcher (127), the first of the vector matcher (128), and beyond.
const LENGTHS: [usize; 5] = [40, 127, 128, 129, 260];

fn request() -> Request {
    let who = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let ctx = Context::new().with("aws:PrincipalTag/team", "blue");
    Request::with_context(who, "s3:GetObject", "*", None, ctx)
}

/// One case: the pattern is `pattern_head + filler + pattern_tail` and the text
/// `text_head + filler + text_tail`, with a filler of `k`s that brings the pattern to
/// `total` characters. Returns whether it matches.
fn check(mode: Mode, pattern: (&str, &str), text: (&str, &str), total: usize) -> bool {
    let fill = total - pattern.0.chars().count() - pattern.1.chars().count();
    let filler = "k".repeat(fill);
    let pat = format!("{}{filler}{}", pattern.0, pattern.1);
    assert_eq!(pat.chars().count(), total);
    let text = format!("{}{filler}{}", text.0, text.1);
    Pattern::new(&pat, mode, true)
        .matches(&text, &request())
        .is_match()
}

/// A case: pattern head and tail, text head and tail, whether the text matches.
type Case<'a> = ((&'a str, &'a str), (&'a str, &'a str), bool);

/// `check` at every length in [`LENGTHS`], each answer compared with `expected`.
fn at_every_length(mode: Mode, cases: &[Case<'_>]) {
    for &(pattern, text, expected) in cases {
        for total in LENGTHS {
            assert_eq!(
                check(mode, pattern, text, total),
                expected,
                "{mode:?} pattern {pattern:?} text {text:?} at {total} tokens"
            );
        }
    }
}

#[test]
fn plain_wildcards_match_the_same_at_every_length() {
    at_every_length(
        Mode::Plain,
        &[
            // `a*?*b`: at least one character between `a` and `b`.
            (("", "a*?*b"), ("", "axxb"), true),
            (("", "a*?*b"), ("", "axb"), true),
            (("", "a*?*b"), ("", "axxxxb"), true),
            (("", "a*?*b"), ("", "ab"), false),
            (("", "a*?*b"), ("", "axxbc"), false),
            // `?` and `*` match a colon and a slash in the plain rule.
            (("", "x?y"), ("", "x:y"), true),
            (("", "x*?z"), ("", "x:/:z"), true),
            (("?", "*?"), (":", "/:"), true),
            // A `?` needs a character; `*` may match nothing.
            (("", "end?"), ("", "end"), false),
            (("*?", "**"), ("q", ""), true),
            (("*?", "**"), ("", ""), false),
            // The filler is literal: a different or missing character in the middle fails.
            (("?", "*z"), ("a", "z"), true),
            (("?", "*z"), ("", "z"), false),
        ],
    );
}

#[test]
fn a_literal_mismatch_in_the_middle_of_a_long_pattern_fails() {
    let middle = "m".repeat(150);
    let pattern = format!("?{middle}*?");
    let p = Pattern::new(&pattern, Mode::Plain, true);
    let r = request();
    assert!(p.matches(&format!("x{middle}yz"), &r).is_match());
    let mut broken = middle.clone();
    broken.replace_range(75..76, "n");
    assert!(!p.matches(&format!("x{broken}yz"), &r).is_match());
    // One `m` short: the `?` cannot stand in for it and the final `?` still needs a character.
    assert!(!p.matches(&format!("x{}y", &middle[1..]), &r).is_match());
}

#[test]
fn resource_segment_wildcards_do_not_cross_colons_at_every_length() {
    const ACC: &str = "111122223333";
    let re = |region: &str| format!("arn:aws:s3:{region}:{ACC}:b/");
    let (p_star_q, p_u_star_q_star) = (re("us-e*?t-1"), re("u*?*1"));
    let (t_east, t_us1) = (re("us-east-1"), re("us-1"));
    let (t_colon, t_us_colon) = (re("us-e:st-1"), re("u:-1"));
    at_every_length(
        Mode::ResourceElement,
        &[
            // Inside a segment `*`/`?` match any character but `:`.
            ((&p_star_q, "/?"), (&t_east, "/z"), true),
            ((&p_star_q, "/?"), (&t_colon, "/z"), false),
            ((&p_star_q, "/?"), (&re("us-et-1"), "/z"), false),
            ((&p_u_star_q_star, "?"), (&t_us1, "z"), true),
            ((&p_u_star_q_star, "?"), (&t_us_colon, "z"), false),
            // After the fifth colon `?` and `*` match colons and slashes.
            ((&p_star_q, "/?*"), (&t_east, "/a:b/c:"), true),
            ((&p_star_q, "/?*x"), (&t_east, "/:x"), true),
            ((&p_star_q, "/?*x"), (&t_east, "/:y"), false),
        ],
    );
    // The same texts with the plain rule: the `?` may be the colon.
    at_every_length(
        Mode::Plain,
        &[
            ((&p_star_q, "/?"), (&t_colon, "/z"), true),
            ((&p_u_star_q_star, "?"), (&t_us_colon, "z"), true),
        ],
    );
}

#[test]
fn a_star_ending_a_segment_crosses_colons_and_one_inside_does_not() {
    const ACC: &str = "111122223333";
    at_every_length(
        Mode::ResourceElement,
        &[
            // `u*` ends the region segment: it may expand over `s:east`.
            (
                (&format!("arn:aws:s3:u*:{ACC}:b/"), "?"),
                (&format!("arn:aws:s3:us:east:{ACC}:b/"), "z"),
                true,
            ),
            // `*1` starts the segment but does not end it: no colon.
            (
                (&format!("arn:aws:s3:*1:{ACC}:b/"), "?"),
                (&format!("arn:aws:s3:us:east-1:{ACC}:b/"), "z"),
                false,
            ),
            (
                (&format!("arn:aws:s3:*1:{ACC}:b/"), "?"),
                (&format!("arn:aws:s3:us-east-1:{ACC}:b/"), "z"),
                true,
            ),
        ],
    );
}

#[test]
fn the_resource_part_starts_after_exactly_the_fifth_colon() {
    at_every_length(
        Mode::ResourceElement,
        &[
            // A `?` right after the fifth colon is in the resource part: it matches `:`.
            (
                ("arn:aws:s3:us-east-1:111122223333:?", "?"),
                ("arn:aws:s3:us-east-1:111122223333::", "z"),
                true,
            ),
            // A `?` in the fifth segment (the account) does not.
            (
                ("arn:aws:s3:us-east-1:11112222333?:", "?"),
                ("arn:aws:s3:us-east-1:11112222333::", "z"),
                false,
            ),
            (
                ("arn:aws:s3:us-east-1:11112222333?:", "?"),
                ("arn:aws:s3:us-east-1:111122223333:", "z"),
                true,
            ),
        ],
    );
}

#[test]
fn arn_like_checks_each_component_at_every_length() {
    const ACC: &str = "111122223333";
    at_every_length(
        Mode::ArnComponents,
        &[
            // The sixth component is the rest of the ARN: its wildcards cross colons.
            (
                (&format!("arn:aws:s3:*:{ACC}:b/"), "/?*"),
                (&format!("arn:aws:s3:us-east-1:{ACC}:b/"), "/a:b"),
                true,
            ),
            // A `*` component matches one component only, even as a whole segment.
            (
                (&format!("arn:aws:s3:*:{ACC}:b/"), "/?"),
                (&format!("arn:aws:s3:us:east:{ACC}:b/"), "/x"),
                false,
            ),
            (
                (&format!("arn:aws:s3:us-e?st-1:{ACC}:b/"), "?"),
                (&format!("arn:aws:s3:us-e:st-1:{ACC}:b/"), "z"),
                false,
            ),
        ],
    );
    // The same `*`-as-a-segment case under the Resource rule does cross.
    assert!(check(
        Mode::ResourceElement,
        (&format!("arn:aws:s3:*:{ACC}:b/"), "/?"),
        (&format!("arn:aws:s3:us:east:{ACC}:b/"), "/x"),
        200
    ));
}

#[test]
fn arn_like_with_a_variable_keeps_components_apart_in_long_patterns() {
    // A variable makes the pattern resolve per request, so the whole ARN runs through the
    // token matcher with segment wildcards (`aws:PrincipalAccount` is 111122223333); fillers
    // of 96 and 97 make 127 and 128 tokens.
    let r = request();
    for filler_len in [20, 96, 97, 98, 200] {
        let filler = "k".repeat(filler_len);
        let p = Pattern::new(
            &format!("arn:aws:s?:*:${{aws:PrincipalAccount}}:b/{filler}/?*"),
            Mode::ArnComponents,
            true,
        );
        assert!(p.has_variables());
        let text = |head: &str, tail: &str| format!("{head}b/{filler}{tail}");
        for (head, tail, expected) in [
            ("arn:aws:s3:us-east-1:111122223333:", "/a:b", true),
            ("arn:aws:s3::111122223333:", "/a", true),
            ("arn:aws:s3:us:east:111122223333:", "/a", false),
            ("arn:aws:s::us-east-1:111122223333:", "/a", false),
            ("arn:aws:s3:us-east-1:444455556666:", "/a", false),
            ("arn:aws:s3:us-east-1:111122223333:", "/", false),
        ] {
            assert_eq!(
                p.matches(&text(head, tail), &r).is_match(),
                expected,
                "{head}…{tail} with {filler_len} filler"
            );
        }
    }
}
