//! Policies written inside other JSON files. A case or scenario file holds each policy as a
//! JSON object or as a JSON string holding the policy text; a diagnostic's span is a byte
//! range of the policy text, and a user needs the place in the file. The mapping is done
//! here, once, for every tool that reads such files.

use crate::Diagnostic;
use crate::span::{Position, Span, positions_sorted};
use std::fmt;
use std::path::Path;

/// Where a policy's text is written in the file it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embedded {
    /// For an object, the object's bytes in the file (the policy text is exactly these
    /// bytes); for a string, the bytes between its quotes.
    pub span: Span,
    /// Whether the policy is written as a JSON string, its text being the string's
    /// unescaped value.
    pub as_string: bool,
}

impl Embedded {
    /// The byte offset in `file` where byte `offset` of the policy text is written (for a
    /// string, where the escape sequence or character that produced it starts). An offset
    /// past the policy's end maps to its end.
    pub fn file_offset(&self, file: &str, offset: u32) -> u32 {
        let Span { start, end } = self.span;
        if !self.as_string {
            return start.saturating_add(offset).min(end);
        }
        let literal = file.get(start as usize..end as usize).unwrap_or_default();
        start.saturating_add(literal_offset(literal, offset))
    }

    /// The 1-based line and column in `file` of byte `offset` of the policy text.
    pub fn file_position(&self, file: &str, offset: u32) -> Position {
        let at = self.file_offset(file, offset);
        positions_sorted(file, &[at])
            .first()
            .copied()
            .unwrap_or_default()
    }
}

/// A problem with a policy written inside a file, found at a place in the policy text. One
/// wording for every tool: `FILE:LINE:COLUMN: MESSAGE (policy text LINE:COLUMN)`, the first
/// position in the file, the second in the policy text (where a case's `expect.line` and
/// `expect.column` count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// What is wrong, without a position (`policy identity[0] cannot be evaluated: error:
    /// Syntax errors in policy. … [json-syntax]`).
    pub message: String,
    /// The byte offset in the policy text and its position there, when known.
    pub at: Option<(u32, Position)>,
}

impl Fault {
    /// A diagnostic of the policy, after `what` (`policy identity[0] cannot be evaluated`).
    pub fn diagnostic(what: &str, d: &Diagnostic) -> Fault {
        Fault {
            message: format!("{what}: {}", d.unplaced()),
            at: Some((d.span.start, d.start)),
        }
    }

    /// `FILE:LINE:COLUMN: MESSAGE (policy text LINE:COLUMN)` for a policy written at
    /// `embedded` in `file_text` (the contents of `file`); `None` when the fault has no
    /// place in the policy text.
    pub fn placed(&self, file: &Path, file_text: &str, embedded: &Embedded) -> Option<String> {
        let (offset, _) = self.at?;
        let pos = embedded.file_position(file_text, offset);
        Some(format!("{}:{pos}: {self}", file.display()))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some((_, at)) = self.at {
            write!(f, " (policy text {at})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Fault {}

/// The byte offset in `literal` — the text between a JSON string's quotes, as written —
/// where the character at byte `offset` of the string's unescaped value is written. An
/// offset inside a multi-byte character counts as that character; an offset past the end
/// maps to the literal's end.
pub fn literal_offset(literal: &str, offset: u32) -> u32 {
    let bytes = literal.as_bytes();
    let target = offset as usize;
    let (mut raw, mut value) = (0usize, 0usize);
    while raw < bytes.len() && value < target {
        let (raw_len, value_len) = match bytes[raw] {
            b'\\' => escape_lengths(&bytes[raw..]),
            b => {
                let n = utf8_len(b);
                (n, n)
            }
        };
        if value + value_len > target {
            break;
        }
        raw += raw_len;
        value += value_len;
    }
    u32::try_from(raw.min(bytes.len())).unwrap_or(u32::MAX)
}

/// Bytes of a UTF-8 character starting with `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// For an escape sequence at the start of `s`: its length as written and the length in
/// UTF-8 of the character it stands for. `\uD83D\uDE00` (a surrogate pair) is one 12-byte
/// sequence standing for one 4-byte character.
fn escape_lengths(s: &[u8]) -> (usize, usize) {
    if s.get(1) != Some(&b'u') {
        return (2, 1);
    }
    let Some(hi) = hex4(s, 2) else {
        return (2, 1);
    };
    if (0xD800..0xDC00).contains(&hi)
        && s.get(6) == Some(&b'\\')
        && s.get(7) == Some(&b'u')
        && hex4(s, 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo))
    {
        return (12, 4);
    }
    // A lone surrogate is not a character: readers that accept it put U+FFFD (3 bytes).
    let value_len = char::from_u32(hi).map_or(3, char::len_utf8);
    (6, value_len)
}

fn hex4(s: &[u8], at: usize) -> Option<u32> {
    let digits = s.get(at..at + 4)?;
    digits.iter().try_fold(0u32, |acc, &h| {
        char::from(h).to_digit(16).map(|v| acc * 16 + v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of the unescaped value maps to where it is written; the expected
    /// offsets are counted by hand from the literal.
    #[test]
    fn offsets_go_back_through_escapes() {
        // literal:  a \" b \\ c \n é \u00e9 \uD83D\uDE00 z
        // raw at:   0 1  3 4  6 7  9 11     17           29
        let literal = r#"a\"b\\c\né\u00e9\uD83D\uDE00z"#;
        let value: String = serde_json::from_str(&format!("\"{literal}\"")).unwrap();
        assert_eq!(value, "a\"b\\c\néé\u{1F600}z");
        // value at: a0 "1 b2 \3 c4 \n5 é6 é8 😀10 z14
        let expected = [
            (0, 0),
            (1, 1),
            (2, 3),
            (3, 4),
            (4, 6),
            (5, 7),
            (6, 9),
            (7, 9),
            (8, 11),
            (10, 17),
            (12, 17),
            (14, 29),
            (15, 30),
            (99, 30),
        ];
        for (offset, raw) in expected {
            assert_eq!(
                literal_offset(literal, offset),
                raw,
                "value offset {offset}"
            );
        }
    }

    #[test]
    fn object_and_string_policies_map_into_the_file() {
        let file = "{\"p\": {\"A\":\n 1},\n \"q\": \"x\\\"\\ny\"}";
        let object = Embedded {
            span: Span::new(6, 15),
            as_string: false,
        };
        assert_eq!(&file[6..15], "{\"A\":\n 1}");
        // the policy's `1` (offset 7) is written at line 2 column 2.
        assert_eq!(
            object.file_position(file, 7),
            Position { line: 2, column: 2 }
        );
        let string = Embedded {
            span: Span::new(24, 30),
            as_string: true,
        };
        assert_eq!(&file[24..30], "x\\\"\\ny");
        // the value is `x"` newline `y`; its `y` (offset 3) is written at line 3 column 13.
        assert_eq!(
            string.file_position(file, 3),
            Position {
                line: 3,
                column: 13
            }
        );
    }
}
