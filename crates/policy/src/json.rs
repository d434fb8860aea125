//! A JSON reader that keeps source spans, duplicate keys and key order.
//!
//! IAM reads policy text, not JSON values: a policy's errors must point at a line and column,
//! duplicate keys must be seen (serde's map types silently keep one), and numbers must keep
//! the text they were written with (`1.50` is printed back as `1.50`). So the project reads
//! JSON itself. The reader is strict RFC 8259 JSON, but it *recovers* from the two defects
//! people paste from documentation — trailing commas and `//` or `/* */` comments — by
//! recording an error and reading on, so that one run reports every error in a policy.
//!
//! Limits protect callers from hostile input: [`MAX_INPUT_BYTES`] and [`MAX_DEPTH`].

use crate::span::Span;
use std::borrow::Cow;

mod lex;

/// Largest input the reader accepts. The largest policy any AWS API takes is 131,072
/// characters (`SimulateCustomPolicy`); four times that leaves room for whitespace and
/// multi-byte characters while bounding the work a hostile input can cause.
pub const MAX_INPUT_BYTES: usize = 512 * 1024;

/// Deepest nesting of arrays and objects accepted. A policy needs six levels
/// (document → Statement → statement → Condition → operator → key → values); 64 leaves
/// room for odd but valid documents while keeping recursion shallow.
pub const MAX_DEPTH: usize = 64;

/// Recoverable errors (comments, trailing commas, control characters) recorded before the
/// reader stops recording them: past this many the text is not a policy with a few slips
/// but something else, and thousands of diagnostics help nobody (a compiler's error limit).
/// Fatal errors are always recorded.
pub const MAX_RECOVERABLE_ERRORS: usize = 100;

/// A JSON value with the span it was read from. Its strings are `S`: `String` for the public
/// readers, `Cow<str>` borrowing the text for the policy reader (see [`Text`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Value<S = String> {
    /// The value itself.
    pub kind: Kind<S>,
    /// The bytes it occupies, from its first to its last character — for strings, the
    /// content between the quotes.
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind<S = String> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written (validated against the JSON number grammar).
    Number(S),
    /// A string, unescaped.
    String(S),
    /// An array.
    Array(Vec<Value<S>>),
    /// An object: members in source order, duplicates kept.
    Object(Vec<Member<S>>),
}

impl<S> Kind<S> {
    /// A word for messages: "a string", "an object", ….
    pub fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::String(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<S = String> {
    /// The key, unescaped.
    pub key: S,
    /// Where the key's text (inside its quotes) was written.
    pub key_span: Span,
    /// The value.
    pub value: Value<S>,
}

/// How the reader keeps a string it has read.
///
/// The public readers return `String`s (trees that outlive the text). The policy reader
/// borrows the text instead (`Cow<str>`, owned only when a string had escapes): lowering
/// keeps a string in the policy only where the policy holds one, and the rest — keys,
/// `"Allow"`, `"2012-10-17"` — was an allocation per string for nothing.
pub(crate) trait Text<'a>: Sized {
    /// A string without escapes: a slice of the text.
    fn slice(text: &'a str) -> Self;
    /// A string whose escapes were replaced.
    fn unescaped(text: String) -> Self;
}

impl<'a> Text<'a> for String {
    fn slice(text: &'a str) -> String {
        text.to_string()
    }
    fn unescaped(text: String) -> String {
        text
    }
}

impl<'a> Text<'a> for Cow<'a, str> {
    fn slice(text: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(text)
    }
    fn unescaped(text: String) -> Cow<'a, str> {
        Cow::Owned(text)
    }
}

/// What went wrong while reading JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is larger than [`MAX_INPUT_BYTES`].
    TooLarge {
        /// The input's size in bytes.
        size: usize,
    },
    /// Arrays and objects nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// A comment (`//` or `/* */`); JSON has none. Recovered.
    Comment,
    /// A comma before `]` or `}`. Recovered.
    TrailingComma,
    /// A raw control character inside a string. Recovered.
    ControlCharacterInString,
    /// Input ended inside a value.
    UnexpectedEnd,
    /// A character that cannot start or continue the value here.
    Unexpected {
        /// What the reader expected.
        expected: &'static str,
        /// The character found.
        found: char,
    },
    /// A `\` escape that JSON does not define, or a bad `\u` escape.
    InvalidEscape,
    /// A number that does not follow the JSON grammar.
    InvalidNumber,
    /// Something after the top-level value.
    TrailingCharacters,
    /// The input is empty or only whitespace.
    Empty,
}

/// A JSON error at a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub span: Span,
}

impl Error {
    /// A sentence describing the error (without position).
    pub fn describe(&self) -> String {
        match &self.kind {
            ErrorKind::TooLarge { size } => format!(
                "policy text is {size} bytes; the reader accepts at most {MAX_INPUT_BYTES} bytes"
            ),
            ErrorKind::TooDeep => {
                format!("arrays and objects nest deeper than {MAX_DEPTH} levels")
            }
            ErrorKind::InvalidUtf8 => "the text is not valid UTF-8".to_string(),
            ErrorKind::Comment => "comments are not allowed in JSON".to_string(),
            ErrorKind::TrailingComma => "trailing comma before a closing bracket".to_string(),
            ErrorKind::ControlCharacterInString => {
                "raw control character inside a string (escape it)".to_string()
            }
            ErrorKind::UnexpectedEnd => "the text ends inside a JSON value".to_string(),
            ErrorKind::Unexpected { expected, found } => {
                format!("expected {expected}, found {}", show_char(*found))
            }
            ErrorKind::InvalidEscape => "invalid escape sequence in string".to_string(),
            ErrorKind::InvalidNumber => "invalid number".to_string(),
            ErrorKind::TrailingCharacters => {
                "unexpected text after the end of the JSON document".to_string()
            }
            ErrorKind::Empty => "the policy text is empty".to_string(),
        }
    }
}

fn show_char(c: char) -> String {
    if c.is_control() || c == ' ' {
        format!("{:?}", c)
    } else {
        format!("'{c}'")
    }
}

/// The result of reading: the value if one could be built, and every error seen.
///
/// When `errors` only holds recoverable errors (comments, trailing commas, raw control
/// characters) `value` is the document read as if the defect were not there.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<S = String> {
    /// The value, unless a fatal error stopped the reader.
    pub value: Option<Value<S>>,
    /// Errors in source order.
    pub errors: Vec<Error>,
}

/// Read JSON from bytes (which must be UTF-8).
pub fn parse_bytes(bytes: &[u8]) -> (Option<&str>, Parsed) {
    if bytes.len() > MAX_INPUT_BYTES {
        return (
            None,
            Parsed {
                value: None,
                errors: vec![Error {
                    kind: ErrorKind::TooLarge { size: bytes.len() },
                    span: Span::point(MAX_INPUT_BYTES),
                }],
            },
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Some(text), parse(text)),
        Err(e) => {
            let at = e.valid_up_to();
            (
                None,
                Parsed {
                    value: None,
                    errors: vec![Error {
                        kind: ErrorKind::InvalidUtf8,
                        span: Span::new(at, at + e.error_len().unwrap_or(1)),
                    }],
                },
            )
        }
    }
}

/// Read JSON from text (a policy: at most [`MAX_INPUT_BYTES`]).
pub fn parse(text: &str) -> Parsed {
    read(text)
}

/// [`parse`], keeping strings as `S` (the policy reader borrows them from `text`).
pub(crate) fn read<'a, S: Text<'a>>(text: &'a str) -> Parsed<S> {
    read_counting(text).0
}

/// [`read`], and the bytes of whitespace between tokens when the whole text was read without
/// any error: a size quota that leaves whitespace out then counts the text's characters less
/// these, with no second pass over the text to tell strings from the space between them.
pub(crate) fn read_counting<'a, S: Text<'a>>(text: &'a str) -> (Parsed<S>, Option<usize>) {
    if text.len() > MAX_INPUT_BYTES {
        let parsed = Parsed {
            value: None,
            errors: vec![Error {
                kind: ErrorKind::TooLarge { size: text.len() },
                span: Span::point(MAX_INPUT_BYTES),
            }],
        };
        return (parsed, None);
    }
    read_with_limit(text, MAX_INPUT_BYTES)
}

/// Read JSON that is not a policy — a file of conformance cases — whose caller bounds its
/// size itself (`max_bytes`, under 4 GiB: spans are `u32`). The depth limit still holds.
pub fn parse_with_limit(text: &str, max_bytes: usize) -> Parsed {
    read_with_limit(text, max_bytes).0
}

fn read_with_limit<'a, S: Text<'a>>(text: &'a str, max_bytes: usize) -> (Parsed<S>, Option<usize>) {
    if text.len() > max_bytes.min(u32::MAX as usize) {
        let parsed = Parsed {
            value: None,
            errors: vec![Error {
                kind: ErrorKind::TooLarge { size: text.len() },
                span: Span::point(max_bytes),
            }],
        };
        return (parsed, None);
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        errors: Vec::new(),
        items: Vec::new(),
        members: Vec::new(),
        whitespace: 0,
    };
    let value = reader.document();
    // Only a text read to its end without any error was split into tokens and whitespace
    // exactly (a comment or a fatal error leaves text that is neither).
    let whitespace = (value.is_some() && reader.errors.is_empty()).then_some(reader.whitespace);
    let parsed = Parsed {
        value,
        errors: reader.errors,
    };
    (parsed, whitespace)
}

/// The span of a string's content, without its quotes: what a diagnostic about a string
/// points at is its text (the column where `arn:aws:s3::bucket` starts, not its quote).
/// `open` is the opening quote, `after` the position after the closing quote.
fn content_span(open: usize, after: usize) -> Span {
    Span::new(open + 1, after.saturating_sub(1).max(open + 1))
}

/// Marker for a fatal error (already recorded in `Reader::errors`).
struct Fatal;

struct Reader<'a, S> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    errors: Vec<Error>,
    /// The items of the arrays being read, innermost last: an array's items are gathered
    /// here and moved into a vector of exactly their number when it closes, instead of
    /// growing a vector per array (each doubling a reallocation and a copy).
    items: Vec<Value<S>>,
    /// The same for the members of the objects being read.
    members: Vec<Member<S>>,
    /// Bytes of whitespace skipped between tokens so far.
    whitespace: usize,
}

impl<'a, S: Text<'a>> Reader<'a, S> {
    fn document(&mut self) -> Option<Value<S>> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            self.errors.push(Error {
                kind: ErrorKind::Empty,
                span: Span::point(self.pos),
            });
            return None;
        }
        let value = self.value(0).ok()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            self.errors.push(Error {
                kind: ErrorKind::TrailingCharacters,
                span: Span::new(self.pos, self.bytes.len()),
            });
        }
        Some(value)
    }

    fn fatal(&mut self, kind: ErrorKind, span: Span) -> Fatal {
        // Spans end inside the text and on a character boundary, whatever the error.
        let len = self.text.len();
        let mut end = (span.end as usize).min(len);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        let start = (span.start as usize).min(end);
        self.errors.push(Error {
            kind,
            span: Span::new(start, end),
        });
        Fatal
    }

    /// Record a recoverable error, up to [`MAX_RECOVERABLE_ERRORS`].
    fn recoverable(&mut self, kind: ErrorKind, span: Span) {
        if self.errors.len() < MAX_RECOVERABLE_ERRORS {
            self.errors.push(Error { kind, span });
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn char_at(&self, pos: usize) -> char {
        self.text
            .get(pos..)
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{FFFD}')
    }

    fn unexpected(&mut self, expected: &'static str) -> Fatal {
        if self.pos >= self.bytes.len() {
            return self.fatal(ErrorKind::UnexpectedEnd, Span::point(self.pos));
        }
        let found = self.char_at(self.pos);
        let end = self.pos + found.len_utf8();
        self.fatal(
            ErrorKind::Unexpected { expected, found },
            Span::new(self.pos, end),
        )
    }

    fn value(&mut self, depth: usize) -> Result<Value<S>, Fatal> {
        match self.peek() {
            None => Err(self.fatal(ErrorKind::UnexpectedEnd, Span::point(self.pos))),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Value {
                    kind: Kind::String(s),
                    span: content_span(start, self.pos),
                })
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.unexpected("a JSON value")),
        }
    }

    /// After an array item or object member: `true` at the closing bracket (also after a
    /// trailing comma, which is reported and read past), `false` after a comma with more to
    /// come. One function for both kinds of container, so they recover alike.
    fn closed_after_item(&mut self, close: u8, expected: &'static str) -> Result<bool, Fatal> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.recoverable(ErrorKind::TrailingComma, Span::new(comma, comma + 1));
                    self.pos += 1;
                    return Ok(true);
                }
                Ok(false)
            }
            Some(c) if c == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<S>, Fatal> {
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.fatal(ErrorKind::TooDeep, Span::point(start)));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Array(Vec::new()),
                span: Span::new(start, self.pos),
            });
        }
        let first = self.items.len();
        loop {
            let item = self.value(depth + 1)?;
            self.items.push(item);
            if self.closed_after_item(b']', "',' or ']'")? {
                break;
            }
        }
        Ok(Value {
            kind: Kind::Array(self.items.drain(first..).collect()),
            span: Span::new(start, self.pos),
        })
    }

    fn object(&mut self, depth: usize) -> Result<Value<S>, Fatal> {
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.fatal(ErrorKind::TooDeep, Span::point(start)));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value {
                kind: Kind::Object(Vec::new()),
                span: Span::new(start, self.pos),
            });
        }
        let first = self.members.len();
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a member name in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = content_span(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            self.members.push(Member {
                key,
                key_span,
                value,
            });
            if self.closed_after_item(b'}', "',' or '}'")? {
                break;
            }
        }
        Ok(Value {
            kind: Kind::Object(self.members.drain(first..).collect()),
            span: Span::new(start, self.pos),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<ErrorKind> {
        parse(text).errors.into_iter().map(|e| e.kind).collect()
    }

    #[test]
    fn reads_values_with_spans() {
        let p = parse(r#" {"a": [1, -2.5e3, "x\u00e9\n"], "b": true, "a": null} "#);
        assert!(p.errors.is_empty());
        let v = p.value.unwrap();
        assert_eq!(v.span, Span::new(1, 54));
        let Kind::Object(m) = v.kind else { panic!() };
        assert_eq!(m.len(), 3, "duplicate keys are kept");
        assert_eq!(m[0].key, "a");
        let Kind::Array(items) = &m[0].value.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, Kind::Number("-2.5e3".into()));
        assert_eq!(items[2].kind, Kind::String("xé\n".into()));
    }

    #[test]
    fn recovers_from_trailing_commas_and_comments() {
        let text = "{ \"a\": [1, 2, ], // note\n \"b\": 1, }";
        let p = parse(text);
        assert_eq!(
            p.errors.iter().map(|e| &e.kind).collect::<Vec<_>>(),
            vec![
                &ErrorKind::TrailingComma,
                &ErrorKind::Comment,
                &ErrorKind::TrailingComma
            ]
        );
        assert_eq!(p.errors[0].span, Span::new(12, 13));
        assert!(p.value.is_some());
    }

    /// Found by `parse_policy`: an unclosed quote turned every later line break into its own
    /// error (700 for a 4 KB input, and 40 % of the fuzzer's time spent positioning them).
    #[test]
    fn control_characters_are_one_error_per_string() {
        let p = parse("[\"a\nb\nc\td\", \"e\nf\"]");
        assert_eq!(
            p.errors
                .iter()
                .map(|e| (&e.kind, e.span.start))
                .collect::<Vec<_>>(),
            vec![
                (&ErrorKind::ControlCharacterInString, 3),
                (&ErrorKind::ControlCharacterInString, 14),
            ]
        );
        let strings: Vec<&str> = match p.value.as_ref().map(|v| &v.kind) {
            Some(Kind::Array(items)) => items
                .iter()
                .filter_map(|v| match &v.kind {
                    Kind::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            other => panic!("expected an array, got {other:?}"),
        };
        assert_eq!(strings, ["a\nb\nc\td", "e\nf"]);
    }

    #[test]
    fn recoverable_errors_are_capped_and_a_fatal_one_still_reported() {
        let text = format!("[{}1", "/**/".repeat(MAX_RECOVERABLE_ERRORS + 50));
        let k = kinds(&text);
        assert_eq!(k.len(), MAX_RECOVERABLE_ERRORS + 1);
        assert!(
            k[..MAX_RECOVERABLE_ERRORS]
                .iter()
                .all(|e| *e == ErrorKind::Comment)
        );
        assert_eq!(k[MAX_RECOVERABLE_ERRORS], ErrorKind::UnexpectedEnd);
    }

    #[test]
    fn fatal_errors_stop_with_position() {
        assert_eq!(
            kinds("{\"a\" 1}"),
            vec![ErrorKind::Unexpected {
                expected: "':'",
                found: '1'
            }]
        );
        assert_eq!(kinds("{\"a\": "), vec![ErrorKind::UnexpectedEnd]);
        assert_eq!(kinds("\"\\x\""), vec![ErrorKind::InvalidEscape]);
        assert_eq!(kinds("01"), vec![ErrorKind::TrailingCharacters]);
        assert_eq!(kinds("1."), vec![ErrorKind::InvalidNumber]);
        assert_eq!(kinds("  "), vec![ErrorKind::Empty]);
        assert_eq!(kinds("{} x"), vec![ErrorKind::TrailingCharacters]);
        assert_eq!(kinds("\"\\ud800\""), vec![ErrorKind::InvalidEscape]);
        assert_eq!(
            parse("\"\\ud83d\\ude00\"").value.unwrap().kind,
            Kind::String("😀".into())
        );
    }

    #[test]
    fn limits_depth_and_size() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(kinds(&deep), vec![ErrorKind::TooDeep]);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).errors.is_empty());
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        assert!(matches!(kinds(&big)[..], [ErrorKind::TooLarge { .. }]));
        let (_, p) = parse_bytes(b"{\"a\": \"\xff\"}");
        assert_eq!(p.errors[0].kind, ErrorKind::InvalidUtf8);
        assert_eq!(p.errors[0].span.start, 7);
    }

    #[test]
    fn control_characters_in_strings_are_recovered() {
        let p = parse("{\"a\": \"x\ny\"}");
        assert_eq!(p.errors[0].kind, ErrorKind::ControlCharacterInString);
        assert!(p.value.is_some());
    }
}
