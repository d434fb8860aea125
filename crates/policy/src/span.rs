//! Source positions.
//!
//! Spans are byte offsets into the policy text; they are turned into 1-based line and
//! column numbers (columns count characters, as the IAM policy simulator's
//! `StartPosition`/`EndPosition` do) only when someone asks, because most parses never
//! need a position and counting characters on every token would double the parse cost.

use std::fmt;

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp_u32(start),
            end: clamp_u32(end),
        }
    }

    /// An empty span at `at`.
    pub fn point(at: usize) -> Span {
        Span::new(at, at)
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

fn clamp_u32(v: usize) -> u32 {
    // Inputs are limited far below 4 GiB (see `json::MAX_INPUT_BYTES`), so this never clamps
    // in practice; clamping keeps the conversion total.
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A 1-based line and column (columns count Unicode scalar values, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column number, counted in characters.
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Converts byte offsets into positions for one source text.
///
/// Holds the offsets of line starts, so each conversion is a binary search plus a character
/// count within one line.
#[derive(Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Whether each line is pure ASCII: then a column is a byte difference.
    ascii: Vec<bool>,
    /// For every multi-byte character: its byte offset and the number of bytes beyond one
    /// per character up to and including it. A column is then a byte difference minus the
    /// extra bytes in between, found by binary search — O(log n) per position even on a
    /// minified one-line policy full of non-ASCII characters.
    extra: Vec<(u32, u32)>,
}

impl fmt::Debug for LineIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LineIndex({} lines)", self.line_starts.len())
    }
}

impl LineIndex {
    /// Index the line starts of `text`. A line ends at `\n`; a `\r` before it belongs to the
    /// line, so `\r\n` files get the same line numbers as `\n` files.
    pub fn new(text: &str) -> LineIndex {
        // Line by line: `split` finds newlines with a vectorised search and `is_ascii` checks
        // a line in bulk, so indexing costs little more than a memory scan.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        let mut ascii = Vec::with_capacity(text.len() / 32 + 1);
        let mut extra = Vec::new();
        let mut total_extra = 0u32;
        let mut at = 0usize;
        for line in text.split('\n') {
            line_starts.push(clamp_u32(at));
            let is_ascii = line.is_ascii();
            ascii.push(is_ascii);
            if !is_ascii {
                for (i, c) in line.char_indices() {
                    let len = c.len_utf8();
                    if len > 1 {
                        total_extra += clamp_u32(len - 1);
                        extra.push((clamp_u32(at + i), total_extra));
                    }
                }
            }
            at += line.len() + 1;
        }
        LineIndex {
            line_starts,
            ascii,
            extra,
        }
    }

    /// Extra bytes (beyond one per character) of the multi-byte characters that start
    /// before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let i = self
            .extra
            .partition_point(|(at, _)| (*at as usize) < offset);
        i.checked_sub(1)
            .and_then(|j| self.extra.get(j))
            .map_or(0, |(_, total)| *total as usize)
    }

    /// The position of byte offset `offset` in `text` (the text this index was built from).
    /// Offsets inside a multi-byte character count as that character.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = (offset as usize).min(text.len());
        let line = match self.line_starts.binary_search(&clamp_u32(offset)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        if self.ascii.get(line).copied().unwrap_or(false) {
            return Position {
                line: clamp_u32(line + 1),
                column: clamp_u32(offset.saturating_sub(start) + 1),
            };
        }
        let at = char_start(text, offset, start);
        let column = (at - start) - (self.extra_before(at) - self.extra_before(start));
        Position {
            line: clamp_u32(line + 1),
            column: clamp_u32(column + 1),
        }
    }
}

/// The positions of `offsets` (sorted ascending) in `text`, in one pass and without an
/// index: what a report needs, a few positions in a text read once. Building a
/// [`LineIndex`] allocates per line and was most of the cost of reporting an error on a
/// long input; this walks the text once up to the last offset. Offsets inside a multi-byte
/// character count as that character, as with [`LineIndex::position`].
pub fn positions_sorted(text: &str, offsets: &[u32]) -> Vec<Position> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let mut line = 1usize;
    let mut line_start = 0usize;
    // The last offset resolved on the current line and its column, so that columns on a
    // long line are counted once, not from the line start for every offset.
    let mut counted_to = 0usize;
    let mut column = 1usize;
    let mut scanned = 0usize;
    for &offset in offsets {
        let end = (offset as usize).min(text.len()).max(scanned);
        let newly = &bytes[scanned..end];
        // Counting vectorises; the backward search for the last newline does not, so it runs
        // only when there is one (fuzz inputs are mostly one long line).
        let newlines = count_newlines(newly);
        if newlines > 0
            && let Some(nl) = newly.iter().rposition(|b| *b == b'\n')
        {
            line += newlines;
            line_start = scanned + nl + 1;
            counted_to = line_start;
            column = 1;
        }
        scanned = end;
        let at = char_start(text, end, line_start);
        column += text.get(counted_to..at).map_or(0, |s| s.chars().count());
        counted_to = at;
        out.push(Position {
            line: clamp_u32(line),
            column: clamp_u32(column),
        });
    }
    out
}

/// The newlines in `bytes`, counted in blocks of 32 bytes whose per-byte sum fits a `u8`:
/// the compiler turns a block into a few vector instructions, where counting byte by byte
/// (`filter().count()`, which it does not vectorise) cost five instructions a byte — a sixth
/// of compiling a freshly parsed policy set, which asks for its statements' positions.
fn count_newlines(bytes: &[u8]) -> usize {
    let blocks = bytes.chunks_exact(32);
    let tail = blocks.remainder();
    let in_blocks: usize = blocks
        .map(|block| usize::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum();
    in_blocks + tail.iter().filter(|&&b| b == b'\n').count()
}

/// The first byte of the character at byte `at` (an offset inside a multi-byte character
/// counts as that character), not going back before `floor`.
fn char_start(text: &str, mut at: usize, floor: usize) -> usize {
    while at > floor && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A value together with the span of source text it came from.
///
/// Equality and hashing look only at the value: a policy printed and parsed again compares
/// equal to the original although every span moved.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written (`Span::default()` for values built in code).
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wrap `value` with `span`.
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }

    /// Wrap a value built in code (no source position).
    pub fn synthetic(value: T) -> Spanned<T> {
        Spanned {
            value,
            span: Span::default(),
        }
    }

    /// Apply `f` to the value, keeping the span.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
        }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Spanned<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let text = "{\n  \"é\": 1,\r\n  \"b\"\n}";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 2), Position { line: 2, column: 1 });
        // `"é": 1` — the value `1` is after a 2-byte character.
        let one = text.find('1').unwrap() as u32;
        assert_eq!(idx.position(text, one), Position { line: 2, column: 8 });
        let b = text.find("\"b\"").unwrap() as u32;
        assert_eq!(idx.position(text, b), Position { line: 3, column: 3 });
        assert_eq!(
            idx.position(text, text.len() as u32),
            Position { line: 4, column: 2 }
        );
    }

    /// The one-pass resolver agrees with the index on every offset of texts with `\r\n`,
    /// multi-byte characters (offsets inside them included), empty lines and a long line.
    #[test]
    fn positions_sorted_agrees_with_the_index() {
        let long = format!("{{\"a\": \"{}\"}}", "é€𝄞x".repeat(50));
        // Many lines: newlines counted in whole 32-byte blocks and in the tail.
        let lines = "{\n  \"é\": [\n\n    \"x\"],\r\n".repeat(23);
        for text in [
            "{\n  \"é\": 1,\r\n  \"b\"\n}",
            "",
            "\n\n\n",
            "é\n€\n\n𝄞",
            long.as_str(),
            lines.as_str(),
        ] {
            let idx = LineIndex::new(text);
            let all: Vec<u32> = (0..=text.len() as u32 + 2).collect();
            let expected: Vec<Position> = all.iter().map(|&o| idx.position(text, o)).collect();
            assert_eq!(positions_sorted(text, &all), expected, "{text:?}");
            // Sparse subsets, as a report asks for (and as compiling asks for statements' ends,
            // far apart: whole blocks between them).
            for (step, at) in [(7, 3), (97, 5)] {
                let some: Vec<u32> = all.iter().copied().filter(|o| o % step == at).collect();
                let expected: Vec<Position> = some.iter().map(|&o| idx.position(text, o)).collect();
                assert_eq!(positions_sorted(text, &some), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn spanned_equality_ignores_span() {
        assert_eq!(
            Spanned::new("a", Span::new(1, 2)),
            Spanned::new("a", Span::new(5, 9))
        );
        assert_ne!(Spanned::synthetic("a"), Spanned::synthetic("b"));
    }
}
