//! The reader's tokens: whitespace and comments, literals, numbers, and strings with their
//! escapes. The tree (arrays, objects, the document) is built in the parent module.

use super::{ErrorKind, Fatal, Kind, Reader, Text, Value};
use crate::span::Span;

impl<'a, S: Text<'a>> Reader<'a, S> {
    /// Skip whitespace and (recording an error) comments.
    #[inline]
    pub(super) fn skip_ws(&mut self) {
        // Most calls find a token right away (`"Effect":`): answered without the loop.
        match self.peek() {
            Some(b) if !WHITESPACE[usize::from(b)] && b != b'/' => {}
            None => {}
            Some(_) => self.skip_ws_and_comments(),
        }
    }

    fn skip_ws_and_comments(&mut self) {
        loop {
            // Tight loop over plain whitespace first (pretty-printed policies are a third
            // whitespace); comments are rare and handled below.
            let rest = &self.bytes[self.pos.min(self.bytes.len())..];
            let n = rest
                .iter()
                .position(|&b| !WHITESPACE[usize::from(b)])
                .unwrap_or(rest.len());
            self.pos += n;
            self.whitespace += n;
            if self.peek() != Some(b'/') {
                return;
            }
            if !self.skip_comment() {
                return;
            }
        }
    }

    /// Skip one comment at `pos` (recording an error); false if `/` does not start one.
    fn skip_comment(&mut self) -> bool {
        let start = self.pos;
        match self.bytes.get(self.pos + 1) {
            Some(b'/') => {
                while let Some(c) = self.peek() {
                    if c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            }
            Some(b'*') => {
                self.pos += 2;
                loop {
                    match self.peek() {
                        None => break,
                        Some(b'*') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                            self.pos += 2;
                            break;
                        }
                        Some(_) => self.pos += 1,
                    }
                }
            }
            _ => return false,
        }
        self.recoverable(ErrorKind::Comment, Span::new(start, self.pos));
        true
    }

    pub(super) fn literal(&mut self, word: &'static str, kind: Kind<S>) -> Result<Value<S>, Fatal> {
        let start = self.pos;
        if self.bytes[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            Err(self.unexpected("a JSON value"))
        }
    }

    pub(super) fn number(&mut self) -> Result<Value<S>, Fatal> {
        let start = self.pos;
        let b = self.bytes;
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        match b.get(p) {
            Some(b'0') => p += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(p), Some(b'0'..=b'9')) {
                    p += 1;
                }
            }
            _ => return Err(self.fatal(ErrorKind::InvalidNumber, Span::new(start, p + 1))),
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            if !matches!(b.get(p), Some(b'0'..=b'9')) {
                return Err(self.fatal(ErrorKind::InvalidNumber, Span::new(start, p)));
            }
            while matches!(b.get(p), Some(b'0'..=b'9')) {
                p += 1;
            }
        }
        if matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if !matches!(b.get(p), Some(b'0'..=b'9')) {
                return Err(self.fatal(ErrorKind::InvalidNumber, Span::new(start, p)));
            }
            while matches!(b.get(p), Some(b'0'..=b'9')) {
                p += 1;
            }
        }
        self.pos = p;
        Ok(Value {
            kind: Kind::Number(S::slice(&self.text[start..p])),
            span: Span::new(start, p),
        })
    }

    /// Read a string starting at the opening quote; leaves `pos` after the closing quote.
    pub(super) fn string(&mut self) -> Result<S, Fatal> {
        let open = self.pos;
        self.pos += 1;
        let b = self.bytes;
        // Fast path: no escapes and no control characters — the slice itself.
        let p = self.pos + plain_run(b.get(self.pos..).unwrap_or_default());
        if b.get(p) == Some(&b'"') {
            let s = S::slice(&self.text[self.pos..p]);
            self.pos = p + 1;
            return Ok(s);
        }
        let mut out = String::with_capacity(p - self.pos + 8);
        out.push_str(&self.text[self.pos..p]);
        self.pos = p;
        let mut control_reported = false;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.fatal(ErrorKind::UnexpectedEnd, Span::new(open, self.pos)));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(S::unescaped(out));
                }
                b'\\' => self.escape(&mut out)?,
                c if c < 0x20 => {
                    // Recoverable: keep the character so the rest of the document is read.
                    // One error per string (its first control character): a string that
                    // runs over many lines is one mistake, not one per line.
                    if !control_reported {
                        control_reported = true;
                        self.recoverable(
                            ErrorKind::ControlCharacterInString,
                            Span::new(self.pos, self.pos + 1),
                        );
                    }
                    out.push(char::from(c));
                    self.pos += 1;
                }
                _ => {
                    // Copy a run of ordinary bytes (always ends on a char boundary, since the
                    // stop bytes are ASCII).
                    let start = self.pos;
                    self.pos += plain_run(b.get(start..).unwrap_or_default());
                    out.push_str(&self.text[start..self.pos]);
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), Fatal> {
        let start = self.pos;
        let Some(&e) = self.bytes.get(self.pos + 1) else {
            return Err(self.fatal(ErrorKind::UnexpectedEnd, Span::point(self.bytes.len())));
        };
        self.pos += 2;
        let c = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(start)?;
                if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate must be followed by `\u` and a low surrogate.
                    if self.bytes.get(self.pos) == Some(&b'\\')
                        && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        self.pos += 2;
                        let lo = self.hex4(start)?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(
                                self.fatal(ErrorKind::InvalidEscape, Span::new(start, self.pos))
                            );
                        }
                        let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        char::from_u32(code).ok_or(()).map_err(|()| {
                            self.fatal(ErrorKind::InvalidEscape, Span::new(start, self.pos))
                        })?
                    } else {
                        return Err(
                            self.fatal(ErrorKind::InvalidEscape, Span::new(start, self.pos))
                        );
                    }
                } else {
                    char::from_u32(hi).ok_or(()).map_err(|()| {
                        self.fatal(ErrorKind::InvalidEscape, Span::new(start, self.pos))
                    })?
                }
            }
            _ => {
                return Err(self.fatal(ErrorKind::InvalidEscape, Span::new(start, self.pos)));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, Fatal> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits.and_then(|d| {
            d.iter().try_fold(0u32, |acc, &h| {
                char::from(h).to_digit(16).map(|v| acc * 16 + v)
            })
        });
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => {
                let end = (self.pos + 4).min(self.bytes.len());
                Err(self.fatal(ErrorKind::InvalidEscape, Span::new(escape_start, end)))
            }
        }
    }
}

/// JSON whitespace (RFC 8259: space, tab, line feed, carriage return), as a table for the
/// same reason as [`STRING_STOP`].
const WHITESPACE: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

/// Bytes that end a run of plain string content: `"`, `\\` and control characters.
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The length of the run of plain string content at the start of `bytes` (it ends on a
/// char boundary: the stop bytes are ASCII). A table lookup rather than three comparisons
/// per byte: strings are most of a policy, and under the fuzzer every comparison is also
/// a call into the coverage tracer.
fn plain_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&c| STRING_STOP[usize::from(c)])
        .unwrap_or(bytes.len())
}
