//! Robustness laws of the reader and the validator, checked with generated input:
//!
//! - no input makes `parse`, `parse_bytes`, `check`, `check_bytes` (for every policy kind), the
//!   printers or `validate` panic;
//! - every diagnostic lies inside its input: `span.start ≤ span.end ≤ len` on character
//!   boundaries, `1 ≤ line ≤ number of lines`, `1 ≤ column ≤ characters in that line + 1`, and the
//!   line:column positions are the spans' offsets counted in lines and characters. For
//!   `check_bytes`/`parse_bytes` on bytes that are not UTF-8: the span lies inside the byte slice
//!   and the positions are counted in the valid UTF-8 prefix.
//!
//! Inputs: arbitrary strings, arbitrary bytes, JSON-ish text built from a token alphabet (flat
//! token soup and nested documents with whitespace, trailing commas and comments), byte- or
//! token-level mutations of every policy in `corpus/policies` (checked as every kind), and, for
//! `validate` and the printers, policies built in code (`common::policy_gen`).
//!
//! Each property runs 1,000 cases unless `PROPTEST_CASES` says otherwise; failures are saved in
//! `tests/no_panic.proptest-regressions` and replayed first on the next run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test helpers outside #[test] functions read fixed files and fail loudly on purpose."
)]

mod common;

use common::CORPUS;
use common::mutate::{LEAVES, TOKENS, mutated_corpus};
use common::policy_gen;
use iamcr_policy::{
    Diagnostic, Form, Policy, PolicyKind, Position, check, check_bytes, parse, parse_bytes,
    policy_size, print, print_compact, validate,
};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{FileFailurePersistence, TestCaseError};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: common::cases(1000),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/no_panic.proptest-regressions"
        )))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// What is run on every input
// ---------------------------------------------------------------------------------------------

/// Runs everything that reads text (`parse`, `check` for every kind, `policy_size`, rendering
/// of the diagnostics) and, when `parse` accepts the text, everything that works on a policy.
fn exercise_text(text: &str) {
    match parse(text) {
        Ok(policy) => exercise_policy(&policy),
        Err(diags) => {
            for d in &diags {
                let _ = d.to_string();
            }
        }
    }
    for kind in PolicyKind::ALL {
        let report = check(text, kind);
        let _ = (
            report.is_valid(),
            report.first_error().map(ToString::to_string),
        );
        for d in &report.diagnostics {
            let _ = (d.to_string(), d.full_message());
            if let Some(p) = &report.policy {
                let _ = p.position(d.span);
            }
        }
        let _ = policy_size(text, kind);
    }
}

/// `parse_bytes` and `check_bytes` for every kind, and [`exercise_text`] when the bytes are UTF-8.
fn exercise_bytes(bytes: &[u8]) {
    let _ = parse_bytes(bytes).map(|p| exercise_policy(&p));
    for kind in PolicyKind::ALL {
        let report = check_bytes(bytes, kind);
        let _ = (
            report.is_valid(),
            report.first_error().map(ToString::to_string),
        );
        for d in &report.diagnostics {
            let _ = d.to_string();
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        exercise_text(text);
    }
}

/// Printing (and reading the printed text back), `validate` for every kind, positions.
fn exercise_policy(policy: &Policy) {
    let pretty = print(policy);
    let compact = print_compact(policy);
    let _ = parse(&pretty);
    let _ = parse(&compact);
    let _ = (policy.effective_version(), policy.variables_enabled());
    for kind in PolicyKind::ALL {
        for d in validate(policy, kind) {
            let _ = (d.to_string(), policy.position(d.span));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The position laws
// ---------------------------------------------------------------------------------------------

/// The 1-based line and column (in characters) of byte `offset` of `text`, computed here
/// independently of the library.
fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text[line_start..]
        .char_indices()
        .take_while(|(i, _)| line_start + i < offset)
        .count()
        + 1;
    Position {
        line: line as u32,
        column: column as u32,
    }
}

/// Every span lies inside `text` on character boundaries (positions are not looked at: `validate`
/// leaves them unset).
fn spans_inside(text: &str, diags: &[Diagnostic], ctx: &str) -> Result<(), TestCaseError> {
    for d in diags {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        prop_assert!(
            start <= end && end <= text.len(),
            "{ctx}: span {start}..{end} outside the text ({} bytes): {d}",
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(start),
            "{ctx}: span {start}..{end} starts inside a character: {d}"
        );
        prop_assert!(
            text.is_char_boundary(end),
            "{ctx}: span {start}..{end} ends inside a character: {d}"
        );
    }
    Ok(())
}

/// Spans inside `text`, and positions inside `text` that agree with the spans.
fn diagnostics_inside(text: &str, diags: &[Diagnostic], ctx: &str) -> Result<(), TestCaseError> {
    spans_inside(text, diags, ctx)?;
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        for (which, pos) in [("start", d.start), ("end", d.end)] {
            let line = pos.line as usize;
            prop_assert!(
                (1..=lines.len()).contains(&line),
                "{ctx}: {which} line {line} outside 1..={}: {d}",
                lines.len()
            );
            let width = lines[line - 1].chars().count();
            prop_assert!(
                (1..=width + 1).contains(&(pos.column as usize)),
                "{ctx}: {which} column {} outside 1..={} of line {line}: {d}",
                pos.column,
                width + 1
            );
        }
        prop_assert!(d.start <= d.end, "{ctx}: start after end: {d}");
        let expected = position_of(text, d.span.start as usize);
        prop_assert_eq!(
            d.start,
            expected,
            "{}: start does not match the span: {}",
            ctx,
            d
        );
        let expected = position_of(text, d.span.end as usize);
        prop_assert_eq!(
            d.end,
            expected,
            "{}: end does not match the span: {}",
            ctx,
            d
        );
    }
    Ok(())
}

/// The position laws for `parse` and `check` (every kind) on `text`, and the span law for
/// `validate` of the policy `parse` returns.
fn text_diagnostics_inside(text: &str) -> Result<(), TestCaseError> {
    match parse(text) {
        Ok(policy) => {
            for kind in PolicyKind::ALL {
                spans_inside(text, &validate(&policy, kind), &format!("validate({kind})"))?;
            }
        }
        Err(diags) => diagnostics_inside(text, &diags, "parse")?,
    }
    for kind in PolicyKind::ALL {
        diagnostics_inside(
            text,
            &check(text, kind).diagnostics,
            &format!("check({kind})"),
        )?;
    }
    Ok(())
}

/// The position laws for `parse_bytes`/`check_bytes`: the text laws when the bytes are UTF-8,
/// spans inside the byte slice when they are not.
fn bytes_diagnostics_inside(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Err(diags) = parse_bytes(bytes) {
            diagnostics_inside(text, &diags, "parse_bytes")?;
        }
        for kind in PolicyKind::ALL {
            let diags = check_bytes(bytes, kind).diagnostics;
            diagnostics_inside(text, &diags, &format!("check_bytes({kind})"))?;
        }
        return text_diagnostics_inside(text);
    }
    let mut lists = vec![(
        "parse_bytes".to_string(),
        parse_bytes(bytes).err().unwrap_or_default(),
    )];
    for kind in PolicyKind::ALL {
        lists.push((
            format!("check_bytes({kind})"),
            check_bytes(bytes, kind).diagnostics,
        ));
    }
    // Positions are counted in the valid UTF-8 prefix.
    let valid = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let lines = prefix.split('\n').count();
    for (ctx, diags) in lists {
        prop_assert!(
            !diags.is_empty(),
            "{ctx}: invalid UTF-8 without a diagnostic"
        );
        for d in diags {
            let (start, end) = (d.span.start as usize, d.span.end as usize);
            prop_assert!(
                start <= end && end <= bytes.len(),
                "{ctx}: span {start}..{end} outside the input ({} bytes): {d}",
                bytes.len()
            );
            for pos in [d.start, d.end] {
                prop_assert!(
                    (1..=lines).contains(&(pos.line as usize)) && pos.column >= 1,
                    "{ctx}: position {pos} outside the {lines} lines of the valid prefix: {d}"
                );
            }
            prop_assert_eq!(
                d.start,
                position_of(prefix, start),
                "{}: start does not match the span in the valid prefix: {}",
                ctx,
                d
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Input strategies
// ---------------------------------------------------------------------------------------------

/// Arbitrary strings: printable Unicode, any `char` (controls, NUL, surrogate neighbours…), and
/// ASCII made of JSON's structural characters, which reaches deeper into the reader.
fn arbitrary_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter),
        "[\\[\\]{}\",:0-9a-zA-Z+.\\-\\\\/*? \t\r\n]{0,120}",
    ]
}

/// Arbitrary bytes, and text with a few arbitrary bytes written over it.
fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        (
            arbitrary_text(),
            prop::collection::vec((any::<Index>(), any::<u8>()), 1..4)
        )
            .prop_map(|(text, edits)| {
                let mut bytes = text.into_bytes();
                for (at, b) in edits {
                    if bytes.is_empty() {
                        bytes.push(b);
                    } else {
                        let i = at.index(bytes.len());
                        bytes[i] = b;
                    }
                }
                bytes
            }),
    ]
}

/// Flat token soup.
fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS), 0..80).prop_map(|tokens| tokens.concat())
}

/// A JSON-ish document tree: leaves are literal text, objects have keys from the policy grammar.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(&'static str),
    Array(Vec<Tree>),
    Object(Vec<(&'static str, Tree)>),
}

#[rustfmt::skip]
const KEYS: &[&str] = &[
    "Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action",
    "NotAction", "Resource", "NotResource", "Condition", "AWS", "Service", "Federated",
    "CanonicalUser", "StringEquals", "StringLike", "ForAnyValue:StringLike", "ArnLikeIfExists",
    "DateGreaterThan", "NumericLessThan", "Bool", "IpAddress", "Null", "NotAnOperator",
    "aws:SourceAccount", "aws:CurrentTime", "s3:prefix", "effect", "",
];

fn tree() -> impl Strategy<Value = Tree> {
    select(LEAVES)
        .prop_map(Tree::Leaf)
        .prop_recursive(6, 96, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Array),
                prop::collection::vec((select(KEYS), inner), 0..6).prop_map(Tree::Object),
            ]
        })
}

/// Writes a tree as text; each noise byte decides what goes between two tokens: usually
/// nothing or whitespace, sometimes a comment, a trailing comma, or a stray `:`, `"`, `}`, `]`
/// or unclosed comment.
struct Render<'a> {
    out: String,
    noise: std::iter::Cycle<std::slice::Iter<'a, u8>>,
}

impl Render<'_> {
    fn gap(&mut self) {
        let n = self.noise.next().copied().unwrap_or(0);
        match n {
            0..=150 => {}
            151..=200 => self.out.push(' '),
            201..=225 => self.out.push_str("\n  "),
            226..=235 => self.out.push('\t'),
            236..=240 => self.out.push_str("\r\n"),
            241..=244 => self.out.push_str("// note\n"),
            245..=247 => self.out.push_str("/* c */"),
            248..=250 => self.out.push(','),
            251 => self.out.push(':'),
            252 => self.out.push('"'),
            253 => self.out.push('}'),
            254 => self.out.push(']'),
            _ => self.out.push_str("/*"),
        }
    }

    fn tree(&mut self, t: &Tree) {
        self.gap();
        match t {
            Tree::Leaf(s) => self.out.push_str(s),
            Tree::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.tree(item);
                }
                self.gap();
                self.out.push(']');
            }
            Tree::Object(members) => {
                self.out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.gap();
                    self.out.push('"');
                    self.out.push_str(k);
                    self.out.push('"');
                    self.gap();
                    self.out.push(':');
                    self.tree(v);
                }
                self.gap();
                self.out.push('}');
            }
        }
        self.gap();
    }
}

/// Nested JSON-ish documents over the policy grammar, with noise.
fn nested_jsonish() -> impl Strategy<Value = String> {
    (tree(), prop::collection::vec(any::<u8>(), 1..64)).prop_map(|(t, noise)| {
        let mut r = Render {
            out: String::new(),
            noise: noise.iter().cycle(),
        };
        r.tree(&t);
        r.out
    })
}

fn jsonish_text() -> impl Strategy<Value = String> {
    prop_oneof![token_soup(), nested_jsonish()]
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(text in arbitrary_text()) {
        exercise_text(&text);
    }

    #[test]
    fn arbitrary_text_diagnostics_lie_inside_input(text in arbitrary_text()) {
        text_diagnostics_inside(&text)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in arbitrary_bytes()) {
        exercise_bytes(&bytes);
    }

    #[test]
    fn arbitrary_bytes_diagnostics_lie_inside_input(bytes in arbitrary_bytes()) {
        bytes_diagnostics_inside(&bytes)?;
    }

    #[test]
    fn jsonish_text_never_panics(text in jsonish_text()) {
        exercise_text(&text);
    }

    #[test]
    fn jsonish_text_diagnostics_lie_inside_input(text in jsonish_text()) {
        text_diagnostics_inside(&text)?;
    }

    #[test]
    fn mutated_corpus_policies_never_panic_for_any_kind(bytes in mutated_corpus()) {
        exercise_bytes(&bytes);
        exercise_text(&String::from_utf8_lossy(&bytes));
    }

    /// Policies built in code need not have the shapes `parse` produces (a `Single` statement form
    /// over several statements, no form at all).
    #[test]
    fn validate_and_print_never_panic_on_policies_built_in_code(
        p in policy_gen::policy(),
        form in prop::option::of(prop_oneof![Just(Form::Single), Just(Form::List)]),
    ) {
        let mut p = p;
        p.statement_form = form;
        exercise_policy(&p);
    }

    #[test]
    fn mutated_corpus_policy_diagnostics_lie_inside_input_for_any_kind(bytes in mutated_corpus()) {
        bytes_diagnostics_inside(&bytes)?;
        text_diagnostics_inside(&String::from_utf8_lossy(&bytes))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed inputs
// ---------------------------------------------------------------------------------------------

fn assert_law(result: Result<(), TestCaseError>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn corpus_policy_diagnostics_lie_inside_input_for_every_kind() {
    for file in CORPUS.iter() {
        exercise_bytes(&file.bytes);
        assert_law(bytes_diagnostics_inside(&file.bytes));
    }
}

#[test]
fn edge_inputs_never_panic_and_diagnostics_lie_inside_input() {
    let deep_ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    let too_deep = "[".repeat(65);
    let deep_objects = "{\"a\":".repeat(70);
    let too_large = format!("{{\"Id\":\"{}\"}}", "x".repeat(512 * 1024));
    let long_policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        vec![r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#; 300].join(",\n")
    );
    let texts: Vec<&str> = vec![
        "",
        " ",
        "\n\n",
        "\u{feff}{}",
        "{",
        "}",
        "\"",
        "\"\\",
        "\"\\u",
        "\"\\ud83d",
        "\"\\ud83d\\u",
        "\"\\ud83d\\ude0",
        "/",
        "/*",
        "//",
        "{\"a\":1,}",
        "[1,]",
        "-",
        "[-",
        "-é",
        "1e",
        "tru",
        "nul",
        "\r\n\r\n{\r\n",
        "{\"Statement\":[]}",
        "{\"Statement\":{}}",
        &deep_ok,
        &too_deep,
        &deep_objects,
        &too_large,
        &long_policy,
    ];
    for text in texts {
        exercise_text(text);
        // Also checks `parse`/`check` on the text.
        assert_law(bytes_diagnostics_inside(text.as_bytes()));
    }
    for bytes in [
        &b"\xff"[..],
        b"{\"a\": \"\xff\"}",
        b"{\"\xe2\x82",
        b"\xc3",
        b"\x00",
        b"{\"Version\":\"2012-10-17\"}\xf0\x9f",
    ] {
        exercise_bytes(bytes);
        assert_law(bytes_diagnostics_inside(bytes));
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the laws above
// ---------------------------------------------------------------------------------------------

/// `text: span start..end of diagnostic` for every diagnostic of `check(text, Identity)` whose
/// span does not lie inside the text on character boundaries.
fn spans_not_inside(texts: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for text in texts {
        for d in check(text, PolicyKind::Identity).diagnostics {
            let (start, end) = (d.span.start as usize, d.span.end as usize);
            if text.get(start..end).is_none() {
                bad.push(format!(
                    "{text:?} ({} bytes): span {start}..{end} of {d}",
                    text.len()
                ));
            }
        }
    }
    bad
}

/// Found by `arbitrary_text_diagnostics_lie_inside_input`: a number with no digit after its `-`
/// was reported with the span `start..p + 1` (`p` the offset after the `-`), one byte past the
/// end of `"-"` and inside the `é` of `"-é"`.
#[test]
fn invalid_number_span_stays_inside_input() {
    let bad = spans_not_inside(&["-", "[-", "{\"a\":-", "-é"]);
    assert!(
        bad.is_empty(),
        "spans not inside the text:\n{}",
        bad.join("\n")
    );
}

/// Found by `arbitrary_text_diagnostics_lie_inside_input`: an invalid escape's span ended a fixed
/// number of bytes after the backslash (2, or 4 after `\u`), inside the 2-byte `¡` of `"\¡"`
/// and inside the `€` of `"\u123€"`.
#[test]
fn invalid_escape_span_ends_on_a_character_boundary() {
    let bad = spans_not_inside(&["\"\\¡\"", "\"\\u123€\"", "{\"a\":\"\\😀\"}"]);
    assert!(
        bad.is_empty(),
        "spans not inside the text:\n{}",
        bad.join("\n")
    );
}

/// A minified (one-line) policy of `n` statements that each draw several diagnostics as a trust
/// policy; with `non_ascii`, one `Action` is `é` instead of `x`.
fn minified_policy_with_many_diagnostics(n: usize, non_ascii: bool) -> String {
    let statement = r#"{"Effect":"x","Action":"x","Resource":"x"}"#;
    let text = format!(r#"{{"Statement":[{}]}}"#, vec![statement; n].join(","));
    if non_ascii {
        text.replacen("\"Action\":\"x\"", "\"Action\":\"é\"", 1)
    } else {
        text
    }
}

/// Found by `edge_inputs_never_panic_and_diagnostics_lie_inside_input`: filling in line:column
/// counted the characters from the line start for every diagnostic, so `check` on a minified
/// policy cost O(diagnostics × length) (a 512 KiB one took 31 s in a release build; with one
/// non-ASCII character the ASCII fast path did not help). Positions are now found by binary
/// search. Speed is measured by the `parse` bench (`check_minified_many_diagnostics`), not by
/// a timed test; this test checks that the fast positions are the right ones, on one line
/// with and without non-ASCII characters.
#[test]
fn positions_on_minified_policies_are_exact() {
    for non_ascii in [false, true] {
        let text = minified_policy_with_many_diagnostics(300, non_ascii);
        let report = check(&text, PolicyKind::Trust);
        assert!(report.diagnostics.len() >= 900);
        for d in &report.diagnostics {
            let start = d.span.start as usize;
            let mut at = start;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let column = text[..at].chars().count() + 1;
            assert_eq!((d.start.line, d.start.column as usize), (1, column), "{d}");
        }
    }
}
