//! The matchers and condition operators against references written from the IAM User Guide,
//! independently of the model: wildcard patterns against regular expressions (here), and each
//! operator family (with set qualifiers and `IfExists`) against the naive references of
//! `iamcr_gen::reference`, on checks drawn by `iamcr_gen::reference::domain` — the same
//! drawing the fuzz target `condition_vs_reference` uses, so a fuzz finding replays here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions stop the property with a message when an input the generators promise is missing: a test failure, which unwrap/expect/panic express."
)]

use arbitrary::Unstructured;
use iamcr_eval::pattern::{Mode, Pattern};
use iamcr_eval::{Principal, Request};
use iamcr_gen::condition_check::model_holds;
use iamcr_gen::reference::domain::{Check, check_of};
use iamcr_policy::Family;
use proptest::prelude::*;
use regex::Regex;

fn request() -> Request {
    Request::new(Principal::Anonymous, "s3:GetObject", "*")
}

/// The regex a wildcard pattern means. `segments`: wildcards before the fifth colon stay in
/// their segment; `trailing_crosses`: except a `*` that ends a segment (the `Resource` rule).
fn glob_regex(pattern: &str, segments: bool, trailing_crosses: bool) -> Regex {
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut colons = 0;
    for (i, c) in chars.iter().enumerate() {
        let in_segment = segments && colons < 5;
        match c {
            '*' if in_segment => {
                let ends_segment = chars.get(i + 1).is_none_or(|n| *n == ':');
                re.push_str(if trailing_crosses && ends_segment {
                    "(?s:.*)"
                } else {
                    "[^:]*"
                });
            }
            '?' if in_segment => re.push_str("[^:]"),
            '*' => re.push_str("(?s:.*)"),
            '?' => re.push_str("(?s:.)"),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        if *c == ':' {
            colons += 1;
        }
    }
    re.push('$');
    Regex::new(&re).expect("escaped pattern")
}

fn text_of(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(alphabet), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

const PATTERN_CHARS: &[char] = &['a', 'b', 'A', ':', '/', '*', '?', '$'];
const TEXT_CHARS: &[char] = &['a', 'b', 'A', ':', '/', '$'];

/// A pattern and a text: random, or the pattern with its wildcards filled in (so matches are
/// common).
fn pattern_and_text() -> impl Strategy<Value = (String, String)> {
    (
        text_of(PATTERN_CHARS, 14),
        text_of(TEXT_CHARS, 16),
        proptest::collection::vec(text_of(TEXT_CHARS, 4), 14),
        any::<bool>(),
    )
        .prop_map(|(p, t, fills, fill)| {
            if !fill {
                return (p, t);
            }
            let mut text = String::new();
            for (i, c) in p.chars().enumerate() {
                match c {
                    '*' => text.push_str(&fills[i % fills.len()]),
                    '?' => text.push(fills[i % fills.len()].chars().next().unwrap_or('a')),
                    c => text.push(c),
                }
            }
            (p, text)
        })
}

// ---- condition operators against the naive references ----

/// Checks of one family, drawn from random bytes so that proptest shrinks the bytes (towards
/// the plainest operator and values, see `iamcr_gen`'s drawing rules).
fn checks(family: Family) -> impl Strategy<Value = Check> {
    proptest::collection::vec(any::<u8>(), 0..96).prop_map(move |bytes| {
        check_of(&mut Unstructured::new(&bytes), family)
            .expect("drawing a check never runs out: used-up data gives the plainest choice")
    })
}

fn agree(c: &Check) -> Result<(), TestCaseError> {
    prop_assert_eq!(model_holds(c), c.expected(), "{:#?}", c);
    Ok(())
}

proptest! {
    #![proptest_config(crate::support::config())]

    #[test]
    fn plain_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::Plain, false).matches(&text, &request()).is_match();
        prop_assert_eq!(got, glob_regex(&pattern, false, false).is_match(&text), "{:?} {:?}", pattern, text);
    }

    #[test]
    fn resource_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::ResourceElement, false).matches(&text, &request()).is_match();
        prop_assert_eq!(got, glob_regex(&pattern, true, true).is_match(&text), "{:?} {:?}", pattern, text);
    }

    /// `ArnLike`: "Each of the six colon-delimited components of the ARN is checked
    /// separately" (UG, condition operators), so no wildcard crosses a colon before the
    /// resource part — whatever the number of components the pattern has (as
    /// `docs/evaluation.md` states, and as the model does for a pattern with variables).
    /// The one exception, also in `docs/evaluation.md`: a pattern that is just `*` matches
    /// any value.
    #[test]
    fn arn_like_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::ArnComponents, false).matches(&text, &request()).is_match();
        let want = pattern == "*" || glob_regex(&pattern, true, false).is_match(&text);
        prop_assert_eq!(got, want, "{:?} {:?}", pattern, text);
    }

    #[test]
    fn string_operators_agree_with_the_reference(c in checks(Family::String)) {
        agree(&c)?;
    }

    #[test]
    fn numeric_operators_agree_with_the_reference(c in checks(Family::Numeric)) {
        agree(&c)?;
    }

    #[test]
    fn date_operators_agree_with_the_reference(c in checks(Family::Date)) {
        agree(&c)?;
    }

    #[test]
    fn bool_operator_agrees_with_the_reference(c in checks(Family::Bool)) {
        agree(&c)?;
    }

    #[test]
    fn binary_operator_agrees_with_the_reference(c in checks(Family::Binary)) {
        agree(&c)?;
    }

    #[test]
    fn ip_operators_agree_with_the_reference(c in checks(Family::Ip)) {
        agree(&c)?;
    }

    #[test]
    fn arn_operators_agree_with_the_reference(c in checks(Family::Arn)) {
        agree(&c)?;
    }

    #[test]
    fn null_operator_agrees_with_the_reference(c in checks(Family::Null)) {
        agree(&c)?;
    }
}
