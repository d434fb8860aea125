//! Property: the IAM wildcard matcher agrees with a regular expression built from the same
//! pattern — plain globs (`Action`, `StringLike`), the `Resource` element rule (wildcards stay
//! in one ARN segment unless a `*` ends the segment) and the `ArnLike` rule (wildcards never
//! cross a colon in the first five components).
#![no_main]
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz target reports a broken property by panicking: that is how libFuzzer sees it"
)]

use arbitrary::{Arbitrary, Unstructured};
use iamcr_eval::pattern::{Mode, Pattern};
use iamcr_eval::{Principal, Request};
use iamcr_fuzz as _; // the targets' allocator (fuzz/src/lib.rs)
use libfuzzer_sys::fuzz_target;

/// A small alphabet so that patterns and texts collide often.
const ALPHABET: &[char] = &['a', 'b', ':', '/', '*', '?', 'é'];

fn word(u: &mut Unstructured<'_>, wild: bool) -> arbitrary::Result<String> {
    let len = u.int_in_range(0..=12)?;
    (0..len)
        .map(|_| {
            let c = *u.choose(ALPHABET)?;
            Ok(if !wild && (c == '*' || c == '?') {
                'a'
            } else {
                c
            })
        })
        .collect()
}

/// The reference: a regex for `pattern` under `mode`.
fn regex_for(pattern: &str, mode: Mode) -> regex::Regex {
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut colons = 0;
    for (i, &c) in chars.iter().enumerate() {
        let in_segments = colons < 5;
        let piece = match (c, mode) {
            ('*', Mode::Plain) => ".*".to_string(),
            ('?', Mode::Plain) => ".".to_string(),
            ('*', Mode::ResourceElement) if in_segments => {
                let last = chars.get(i + 1).is_none_or(|n| *n == ':');
                if last { ".*".into() } else { "[^:]*".into() }
            }
            ('?', Mode::ResourceElement) if in_segments => "[^:]".into(),
            // ArnLike: no wildcard crosses a colon before the resource part, a segment's
            // trailing `*` included.
            ('*', Mode::ArnComponents) if in_segments => "[^:]*".into(),
            ('?', Mode::ArnComponents) if in_segments => "[^:]".into(),
            ('*', _) => ".*".into(),
            ('?', _) => ".".into(),
            (c, _) => regex::escape(&c.to_string()),
        };
        if c == ':' {
            colons += 1;
        }
        re.push_str(&piece);
    }
    re.push('$');
    regex::RegexBuilder::new(&re)
        .dot_matches_new_line(true)
        .build()
        .unwrap()
}

/// The modes with wildcards, each chosen as often as the others.
const MODES: [Mode; 3] = [Mode::Plain, Mode::ResourceElement, Mode::ArnComponents];

#[derive(Debug)]
struct Input {
    pattern: String,
    text: String,
    mode: Mode,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Input> {
        Ok(Input {
            pattern: word(u, true)?,
            text: word(u, false)?,
            mode: *u.choose(&MODES)?,
        })
    }
}

fuzz_target!(|input: Input| {
    let who = Principal::Anonymous;
    let req = Request::new(who, "s3:GetObject", "*");
    let mode = input.mode;
    let got = Pattern::new(&input.pattern, mode, false)
        .matches(&input.text, &req)
        .is_match();
    // `docs/evaluation.md`: an ArnLike pattern that is just `*` matches any value.
    let want = (mode == Mode::ArnComponents && input.pattern == "*")
        || regex_for(&input.pattern, mode).is_match(&input.text);
    assert_eq!(
        got, want,
        "pattern {:?} text {:?} mode {mode:?}",
        input.pattern, input.text
    );
});
