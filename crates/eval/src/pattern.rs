//! Compiled wildcard patterns with policy variables.
//!
//! One pattern type serves four matching rules, all documented in the IAM User Guide:
//! - **Plain** (`Action`, `StringLike`): `*` matches any run of characters, `?` one character.
//! - **Resource element** (`Resource`/`NotResource`): wildcards stay within one
//!   colon-separated ARN segment, except that "if the `*` wildcard is the last character of a
//!   resource ARN segment, it can expand to match beyond the colon boundaries"
//!   (reference_policies_elements_resource.html); in the resource part (after the fifth
//!   colon) `*` and `?` match anything, `/` and `:` included.
//! - **ARN components** (`ArnLike`/`ArnEquals`): "Each of the six colon-delimited components of
//!   the ARN is checked separately" — no wildcard crosses a colon in the first five
//!   components (so `ArnLike` and `StringLike` differ, examples.md B2).
//! - **Exact** (`StringEquals` and friends): no wildcards; only variables are substituted.
//!
//! Variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`,
//! `${$}`) are substituted as literal text: a `*` in a tag value is not a wildcard.
//! A variable with no value and no default makes the whole pattern match nothing ("There is
//! no equal or like value", reference_policies_variables.html).

use crate::request::Request;
use smallvec::SmallVec;
use std::borrow::Cow;

mod matchers;
use matchers::{find, glob_match, run};

/// Which matching rule a pattern follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `*` and `?` anywhere.
    Plain,
    /// The `Resource` element rule.
    ResourceElement,
    /// The `ArnLike` rule.
    ArnComponents,
    /// No wildcards.
    Exact,
}

/// One token of a resolved pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?` that matches any character.
    One,
    /// `?` that does not match `:`.
    OneSeg,
    /// `*` that matches anything.
    Star,
    /// `*` that does not cross `:`.
    StarSeg,
}

/// A piece of a pattern as written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Literal text with wildcards (`*`, `?`) still to be interpreted.
    Text(String),
    /// Literal text that came from `${*}`, `${?}`, `${$}` (never a wildcard).
    Escaped(char),
    /// A variable.
    Var {
        key_lower: String,
        default: Option<String>,
    },
}

/// How a pattern without variables is matched fastest. Literal text is not copied: the
/// forms name byte ranges of the pattern's own text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fast {
    /// Text without wildcards.
    Exact,
    /// `*` alone: matches everything.
    Any,
    /// A literal prefix (the text's first `len` bytes) followed by one final `*` that may
    /// cross anything.
    Prefix(u32),
    /// Literal chunks separated by `*`s that may cross anything (no `?`): matched with
    /// substring search, leftmost first, which is exact for such globs.
    Chunks {
        /// The text's first `prefix` bytes.
        prefix: u32,
        /// Byte ranges of the text between stars.
        middles: Box<[(u32, u32)]>,
        /// The text from byte `suffix` on.
        suffix: u32,
    },
    /// General wildcard tokens, behind a literal prefilter.
    Tokens {
        toks: Box<[Tok]>,
        required: Required,
        /// Whether every `*` may cross anything (no `StarSeg`): then the pattern is literal
        /// segments with `?`s between stars, and on ASCII text [`glob_match`] decides it by
        /// leftmost search instead of the NFA.
        globs: bool,
    },
    /// `ArnLike` with six components: one plain pattern per component.
    Arn(Box<[Pattern]>),
    /// The pattern has variables: resolve per request.
    Templated,
}

/// What every text matched by a token pattern contains, checked before the token matcher
/// (issue #19: wildcard-heavy statements nearly match, and running the NFA over each
/// candidate cost more than a substring search that rules most of them out): the literal
/// text the pattern starts and ends with, the literal runs between its wildcards in order,
/// and a least length. Each is a necessary condition of a match; the token matcher decides.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Required {
    /// The text's first `prefix` bytes start every match.
    prefix: u32,
    /// The text from byte `suffix` on ends every match (`suffix == text.len()`: none).
    suffix: u32,
    /// Byte ranges of literal runs between wildcards, in pattern order.
    middles: Box<[(u32, u32)]>,
    /// Bytes a match has at least: its literal bytes, and one per `?`.
    min_len: u32,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The literal text: as written, with `${*}`, `${?}`, `${$}` replaced by the character
    /// they stand for (empty for a pattern with variables, which resolves per request).
    text: Box<str>,
    /// The pattern as written, in pieces — kept only when the text has `${…}` (variables or
    /// escapes); empty, and unallocated, otherwise.
    pieces: Box<[Piece]>,
    mode: Mode,
    fast: Fast,
    /// Compare ASCII case-insensitively (actions). The pattern text is stored lower-cased and
    /// the caller passes lower-cased text.
    pub(crate) folded: bool,
}

/// The result of matching one pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchResult {
    /// The text matches.
    Match,
    /// The text does not match.
    NoMatch,
    /// A variable had no value: the pattern matches nothing; the key is named.
    Unresolved(String),
}

impl MatchResult {
    /// Whether it matched.
    pub fn is_match(&self) -> bool {
        matches!(self, MatchResult::Match)
    }
}

/// A byte offset of pattern text as `u32` (policy texts are far below 4 GiB: the JSON
/// reader caps its input).
fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The bytes of `text` in `range`.
fn slice(text: &str, (from, to): (u32, u32)) -> &[u8] {
    text.as_bytes()
        .get(from as usize..to as usize)
        .unwrap_or_default()
}

impl Pattern {
    /// Compile `text` for `mode`; with `variables` true, `${…}` is a policy variable (in
    /// `ResourceElement` mode only after the fifth colon, the resource part).
    ///
    /// The common case — no `${` — allocates once for the text (and once for the tokens of
    /// a pattern that needs the general matcher).
    pub fn new(text: &str, mode: Mode, variables: bool) -> Pattern {
        Pattern::build(Cow::Borrowed(text), mode, variables)
    }

    /// [`Pattern::new`]; an owned text becomes the pattern's text without a copy.
    fn build(source: Cow<'_, str>, mode: Mode, variables: bool) -> Pattern {
        let text: &str = &source;
        let mut pieces: Box<[Piece]> = Box::default();
        if variables && text.contains("${") {
            let split = split_variables(text, mode == Mode::ResourceElement);
            // `${` that starts no variable (`${ }`) leaves one piece of plain text.
            if !matches!(split.as_slice(), [Piece::Text(_)]) {
                pieces = split.into_boxed_slice();
            }
        }
        let templated = pieces.iter().any(|p| matches!(p, Piece::Var { .. }));
        // Each arm gives the text and form; the pattern is built once, at the end (assigning
        // a form to a built pattern ran the old form's drop glue, per pattern compiled).
        let (text, fast) = if templated {
            (Box::default(), Fast::Templated)
        } else if mode == Mode::ArnComponents && iamcr_case::arn::components(text).count() == 6 {
            // "Each of the six colon-delimited components of the ARN is checked separately":
            // compile each component on its own (a component has no colon, except the last,
            // where wildcards may match colons).
            let parts = iamcr_case::arn::components(text)
                .map(|c| Pattern::new(c, Mode::Plain, false))
                .collect();
            (Box::default(), Fast::Arn(parts))
        } else if mode == Mode::ArnComponents && text == "*" {
            // `*` alone matches any value (it is how policies require only that the key be
            // present); see docs/evaluation.md.
            (Box::default(), Fast::Any)
        } else if pieces.is_empty() {
            // (For ArnLike with fewer than six components, `arn:aws:cleanrooms:*`, no
            // wildcard crosses a colon either, so the pattern cannot match a six-component
            // ARN — the same answer as when the text comes from a variable; found by the
            // property `arn_like_wildcards_agree_with_a_regex`.)
            let fast = if mode == Mode::Exact {
                Fast::Exact
            } else {
                plain_form(text, mode).unwrap_or_else(|| fast_form(&text_tokens(text, mode), text))
            };
            let text = match source {
                Cow::Borrowed(text) => text.into(),
                Cow::Owned(text) => text.into_boxed_str(),
            };
            (text, fast)
        } else {
            // `${*}`, `${?}`, `${$}` without variables: literal characters among wildcards.
            let toks = tokens(&pieces, mode, &[]);
            let literal: String = pieces
                .iter()
                .flat_map(|p| match p {
                    Piece::Text(t) => either_chars(Some(t.chars()), None),
                    Piece::Escaped(c) => either_chars(None, Some(*c)),
                    Piece::Var { .. } => either_chars(None, None),
                })
                .collect();
            let fast = fast_form(&toks, &literal);
            (literal.into(), fast)
        };
        Pattern {
            text,
            pieces,
            mode,
            fast,
            folded: false,
        }
    }

    /// An action pattern: plain wildcards, compared case-insensitively.
    pub fn action(text: &str) -> Pattern {
        let mut p = Pattern::build(Cow::Owned(text.to_ascii_lowercase()), Mode::Plain, false);
        p.folded = true;
        p
    }

    /// The text of a pattern without wildcards or variables (what it matches exactly).
    pub fn exact_text(&self) -> Option<&str> {
        match &self.fast {
            Fast::Exact => Some(&self.text),
            _ => None,
        }
    }

    /// For an action pattern: the service prefix it is limited to (`Some("iam")` for
    /// `iam:Get*`), or `None` when it can match any service (`*`, `*:Get*`, `s?:*`).
    pub fn action_service(&self) -> Option<&str> {
        if !self.pieces.is_empty() {
            return None;
        }
        // Byte loops: these texts are short, and the `char` searchers' set-up cost more than
        // the search when every action of a policy set is compiled.
        let colon = self.text.bytes().position(|b| b == b':')?;
        let service = self.text.get(..colon)?;
        (!service.bytes().any(|b| b == b'*' || b == b'?')).then_some(service)
    }

    /// Whether the pattern has policy variables.
    pub fn has_variables(&self) -> bool {
        matches!(self.fast, Fast::Templated)
    }

    /// Match `text` (already lower-cased when the pattern is folded).
    ///
    /// Always inlined: the compiler's own choice flipped with unrelated growth of its callers
    /// (the statement scan), and a call per pattern cost evaluation over 10 %.
    #[inline(always)]
    pub fn matches(&self, text: &str, request: &Request) -> MatchResult {
        // The forms without variables are the hot path of evaluation and stay small enough
        // to inline; patterns with variables go through `matches_templated`.
        let ok = match &self.fast {
            Fast::Exact => *self.text == *text,
            Fast::Any => true,
            Fast::Prefix(len) => text.as_bytes().starts_with(slice(&self.text, (0, *len))),
            Fast::Chunks {
                prefix,
                middles,
                suffix,
            } => chunks_match(&self.text, *prefix, middles, *suffix, text),
            Fast::Tokens {
                toks,
                required,
                globs,
            } => tokens_match(&self.text, toks, required, *globs, text),
            Fast::Arn(parts) => arn_match(parts, text, request),
            Fast::Templated => return self.matches_templated(text, request),
        };
        if ok {
            MatchResult::Match
        } else {
            MatchResult::NoMatch
        }
    }

    /// [`Pattern::matches`] for a pattern with variables: substitute, then match.
    #[inline(never)]
    fn matches_templated(&self, text: &str, request: &Request) -> MatchResult {
        let ok = if self.mode == Mode::Exact {
            match exact_templated(&self.pieces, request, text) {
                Ok(ok) => ok,
                Err(key) => return MatchResult::Unresolved(key),
            }
        } else {
            // The values borrowed from the request and the tokens on the stack: this runs
            // per evaluation, and allocating here cost more than the matching.
            let mut values: SmallVec<[&str; 4]> = SmallVec::new();
            for p in &self.pieces {
                if let Piece::Var { key_lower, default } = p {
                    match resolve(request, key_lower, default.as_deref()) {
                        Some(v) => values.push(v),
                        None => return MatchResult::Unresolved(key_lower.clone()),
                    }
                }
            }
            let mut toks: SmallVec<[Tok; 128]> = SmallVec::new();
            each_token(&self.pieces, self.mode, &values, |t| toks.push(t));
            if self.folded {
                for t in &mut toks {
                    if let Tok::Lit(c) = t {
                        *c = c.to_ascii_lowercase();
                    }
                }
            }
            // As for `Fast::Tokens`: stars that all cross anything, on ASCII text, are
            // matched by leftmost search, exactly; the NFA decides the rest.
            if !toks.contains(&Tok::StarSeg) && text.is_ascii() {
                glob_match(&toks, text.as_bytes())
            } else {
                run(&toks, text)
            }
        };
        if ok {
            MatchResult::Match
        } else {
            MatchResult::NoMatch
        }
    }

    /// The pattern with variables substituted (for `Exact` comparisons and explanations);
    /// `Err(key)` when a variable has no value.
    /// A pattern without variables is its own text, borrowed.
    pub fn resolve_text(&self, request: &Request) -> Result<Cow<'_, str>, String> {
        if !self.has_variables() {
            return Ok(Cow::Borrowed(&self.text));
        }
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Escaped(c) => out.push(*c),
                Piece::Var { key_lower, default } => {
                    match resolve(request, key_lower, default.as_deref()) {
                        Some(v) => out.push_str(v),
                        None => return Err(key_lower.clone()),
                    }
                }
            }
        }
        Ok(Cow::Owned(out))
    }
}

/// The characters of a text piece or an escaped character (an iterator of one type for
/// both, without collecting either).
fn either_chars(
    text: Option<std::str::Chars<'_>>,
    one: Option<char>,
) -> impl Iterator<Item = char> + '_ {
    text.into_iter().flatten().chain(one)
}

impl Required {
    /// What every match of `toks` (one token per character of `text`) contains.
    fn of(toks: &[Tok], text: &str) -> Required {
        let lit_at: Vec<(usize, bool)> = text
            .char_indices()
            .zip(toks)
            .map(|((at, _), t)| (at, matches!(t, Tok::Lit(_))))
            .collect();
        let end = text.len();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        let mut min_len = 0usize;
        let mut run_start: Option<usize> = None;
        for (i, &(at, lit)) in lit_at.iter().enumerate() {
            let next = lit_at.get(i + 1).map_or(end, |&(n, _)| n);
            if lit {
                min_len += next - at;
                run_start.get_or_insert(at);
            } else {
                if matches!(toks[i], Tok::One | Tok::OneSeg) {
                    min_len += 1;
                }
                if let Some(from) = run_start.take() {
                    runs.push((offset(from), offset(at)));
                }
            }
        }
        if let Some(from) = run_start {
            runs.push((offset(from), offset(end)));
        }
        let starts_literal = matches!(toks.first(), Some(Tok::Lit(_)));
        let ends_literal = matches!(toks.last(), Some(Tok::Lit(_)));
        let mut middles = runs.as_slice();
        let mut prefix = 0;
        let mut suffix = offset(end);
        if starts_literal && let Some((&(_, to), rest)) = middles.split_first() {
            prefix = to;
            middles = rest;
        }
        if ends_literal && let Some((&(from, _), rest)) = middles.split_last() {
            suffix = from;
            middles = rest;
        }
        Required {
            prefix,
            suffix,
            middles: middles.into(),
            min_len: offset(min_len),
        }
    }

    /// Whether `text` can match: it is long enough, starts and ends with the literal
    /// prefix and suffix, and has the literal runs in order between them (leftmost search
    /// is exact for a necessary condition: if the runs fit anywhere, they fit leftmost).
    #[inline]
    fn admits(&self, pattern: &str, text: &str) -> bool {
        let bytes = text.as_bytes();
        if bytes.len() < self.min_len as usize {
            return false;
        }
        let prefix = slice(pattern, (0, self.prefix));
        let suffix = slice(pattern, (self.suffix, offset(pattern.len())));
        let Some(mut rest) = bytes
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
        else {
            return false;
        };
        for &range in &self.middles {
            let needle = slice(pattern, range);
            match find(rest, needle) {
                Some(i) => rest = &rest[i + needle.len()..],
                None => return false,
            }
        }
        true
    }
}

/// The value a variable stands for: a single-valued context key ("multivalued keys cannot
/// be used as policy variables"), else the default.
fn resolve<'r>(request: &'r Request, key_lower: &str, default: Option<&'r str>) -> Option<&'r str> {
    match request.lookup(key_lower) {
        Some(e) if !e.multivalued && e.values.len() == 1 => Some(&e.values[0]),
        _ => default,
    }
}

/// Split `text` into literal text and `${…}` variables. With `resource_part_only`,
/// variables are recognised only after the fifth colon.
fn split_variables(text: &str, resource_part_only: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut colons = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let allowed = !resource_part_only || colons >= 5;
        if allowed
            && rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            let inner = &rest[2..end];
            if let Some(piece) = variable(inner) {
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(piece);
                rest = &rest[end + 1..];
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        if c == ':' {
            colons += 1;
        }
        literal.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !literal.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    pieces
}

/// Parse the inside of `${…}`: `*`, `?`, `$`, `key`, or `key, 'default'`.
fn variable(inner: &str) -> Option<Piece> {
    match inner {
        "*" => return Some(Piece::Escaped('*')),
        "?" => return Some(Piece::Escaped('?')),
        "$" => return Some(Piece::Escaped('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (k.trim(), Some(d.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some(Piece::Var {
        key_lower: key.to_ascii_lowercase(),
        default,
    })
}

/// The token for character `c` of a pattern for `mode`: `wild` when it was written in the
/// pattern (not substituted from a variable or an escape), `colons` the colons before it,
/// `next` the character after it (the "trailing `*` of a segment" rule looks at it).
fn token(c: char, wild: bool, next: Option<char>, colons: usize, mode: Mode) -> Tok {
    let in_segments = colons < 5;
    match (c, wild, mode) {
        (_, _, Mode::Exact) | (_, false, _) => Tok::Lit(c),
        ('*', true, Mode::Plain) => Tok::Star,
        ('?', true, Mode::Plain) => Tok::One,
        ('*', true, Mode::ResourceElement) if in_segments => {
            if next.is_none_or(|n| n == ':') {
                Tok::Star
            } else {
                Tok::StarSeg
            }
        }
        ('*', true, Mode::ArnComponents) if in_segments => Tok::StarSeg,
        ('?', true, Mode::ResourceElement | Mode::ArnComponents) if in_segments => Tok::OneSeg,
        ('*', true, _) => Tok::Star,
        ('?', true, _) => Tok::One,
        _ => Tok::Lit(c),
    }
}

/// The tokens of `text` as written (no variables), one per character.
fn text_tokens(text: &str, mode: Mode) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len());
    let mut colons = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(token(c, true, chars.peek().copied(), colons, mode));
        if c == ':' {
            colons += 1;
        }
    }
    out
}

/// Turn pieces (with variable `values` in order) into tokens for `mode`.
fn tokens(pieces: &[Piece], mode: Mode, values: &[&str]) -> Vec<Tok> {
    let mut out = Vec::new();
    each_token(pieces, mode, values, |t| out.push(t));
    out
}

/// The tokens of pieces with variable `values` substituted in order, one per character,
/// given to `push` in order. A plain loop, with no copy of the characters: a pattern with
/// variables is tokenized per request, so this runs on every evaluation that reaches one.
fn each_token(pieces: &[Piece], mode: Mode, values: &[&str], mut push: impl FnMut(Tok)) {
    let mut next_value = values.iter();
    let mut colons = 0usize;
    // The character before the current one, with whether it was written in the pattern
    // (only those can be wildcards): its token needs the character after it (the
    // "trailing `*` of a segment" rule), which may be in the next piece.
    let mut held: Option<(char, bool)> = None;
    let mut step = |c: char, written: bool| {
        if let Some((h, wild)) = held.replace((c, written)) {
            push(token(h, wild, Some(c), colons, mode));
            if h == ':' {
                colons += 1;
            }
        }
    };
    for p in pieces {
        match p {
            Piece::Text(t) => t.chars().for_each(|c| step(c, true)),
            Piece::Escaped(c) => step(*c, false),
            Piece::Var { .. } => {
                if let Some(v) = next_value.next() {
                    v.chars().for_each(|c| step(c, false));
                }
            }
        }
    }
    if let Some((h, wild)) = held {
        push(token(h, wild, None, colons, mode));
    }
}

/// The form of `text` as written (no `${…}`) straight from its bytes when its wildcards are
/// all `*`s that cross anything — most action and resource patterns (`s3:Get*`,
/// `arn:aws:s3:::bucket/*`): no tokens are built. `None` when it needs them (a `?`, or a `*`
/// that stays in an ARN segment).
fn plain_form(text: &str, mode: Mode) -> Option<Fast> {
    let bytes = text.as_bytes();
    let mut colons = 0usize;
    let mut stars = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'?' => return None,
            b'*' => {
                let crosses = match mode {
                    Mode::Plain | Mode::Exact => true,
                    Mode::ResourceElement => {
                        colons >= 5 || bytes.get(i + 1).is_none_or(|&n| n == b':')
                    }
                    Mode::ArnComponents => colons >= 5,
                };
                if !crosses {
                    return None;
                }
                stars = true;
            }
            b':' => colons += 1,
            _ => {}
        }
    }
    if !stars {
        return Some(Fast::Exact);
    }
    Some(star_form(text, || {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'*')
            .map(|(i, _)| i)
    }))
}

/// The fastest form for `toks`, one token per character of `text` (the literal text).
fn fast_form(toks: &[Tok], text: &str) -> Fast {
    if toks.iter().all(|t| matches!(t, Tok::Lit(_))) {
        return Fast::Exact;
    }
    if toks == [Tok::Star] {
        return Fast::Any;
    }
    if !toks.iter().all(|t| matches!(t, Tok::Lit(_) | Tok::Star)) {
        return Fast::Tokens {
            toks: toks.into(),
            required: Required::of(toks, text),
            globs: !toks.contains(&Tok::StarSeg),
        };
    }
    // Byte offsets of the stars (each a one-byte `*` of the text).
    star_form(text, || {
        text.char_indices()
            .zip(toks)
            .filter(|(_, t)| **t == Tok::Star)
            .map(|((at, _), _)| at)
    })
}

/// The form of a pattern whose wildcards are all `*`s that cross anything, from the byte
/// offsets of its stars (at least one).
fn star_form<I: Iterator<Item = usize>>(text: &str, stars: impl Fn() -> I) -> Fast {
    if text == "*" {
        return Fast::Any;
    }
    let (first, last) = (stars().next().unwrap_or(0), stars().last().unwrap_or(0));
    if first == last && last + 1 == text.len() {
        return Fast::Prefix(offset(first));
    }
    // Sized for one middle between each two stars (no reallocation when made a boxed slice).
    let mut middles = Vec::with_capacity(stars().count().saturating_sub(1));
    let mut from = first + 1;
    for at in stars().skip(1) {
        if at > from {
            middles.push((offset(from), offset(at)));
        }
        from = at + 1;
    }
    Fast::Chunks {
        prefix: offset(first),
        middles: middles.into(),
        suffix: offset(last + 1),
    }
}

/// Compare `text` with pieces of literal text and variables, without wildcards and without
/// building the substituted string. `Err(key)`: a variable has no value.
fn exact_templated(pieces: &[Piece], request: &Request, text: &str) -> Result<bool, String> {
    let mut rest = text;
    for p in pieces {
        let part: &str = match p {
            Piece::Text(t) => t,
            Piece::Escaped('*') => "*",
            Piece::Escaped('?') => "?",
            Piece::Escaped(_) => "$",
            Piece::Var { key_lower, default } => {
                match resolve(request, key_lower, default.as_deref()) {
                    Some(v) => v,
                    None => return Err(key_lower.clone()),
                }
            }
        };
        match rest.strip_prefix(part) {
            Some(r) => rest = r,
            None => return Ok(false),
        }
    }
    Ok(rest.is_empty())
}

/// Match each of the six components of `text` against its own pattern (the last component
/// is the rest of the text, colons included). Splits by hand, one component at a time, so
/// that a mismatch stops before the rest is split: this is the evaluation hot path, and
/// `str::splitn` (which sets up a searcher per call) cost more than the matching. The same
/// split as `iamcr_case::arn::components`, interleaved with the matching.
fn arn_match(parts: &[Pattern], text: &str, request: &Request) -> bool {
    let Some((last, components)) = parts.split_last() else {
        return false;
    };
    let mut rest = text;
    for p in components {
        let Some(colon) = rest.bytes().position(|b| b == b':') else {
            return false;
        };
        if !p.matches(&rest[..colon], request).is_match() {
            return false;
        }
        rest = &rest[colon + 1..];
    }
    last.matches(rest, request).is_match()
}

/// `prefix*m1*m2*…*suffix` (byte offsets and ranges into `pattern`): anchored ends, middles
/// found leftmost in order.
fn chunks_match(
    pattern: &str,
    prefix: u32,
    middles: &[(u32, u32)],
    suffix: u32,
    text: &str,
) -> bool {
    let prefix = slice(pattern, (0, prefix));
    let suffix = slice(pattern, (suffix, offset(pattern.len())));
    let Some(mut rest) = text
        .as_bytes()
        .strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(suffix))
    else {
        return false;
    };
    for &range in middles {
        let m = slice(pattern, range);
        match find(rest, m) {
            Some(i) => rest = &rest[i + m.len()..],
            None => return false,
        }
    }
    true
}

/// The general form: the literal prefilter, then the segment matcher (ASCII text, stars
/// that cross anything) or the NFA. Out of line, so that [`Pattern::matches`] stays small
/// enough to inline for the literal forms.
#[inline(never)]
fn tokens_match(pattern: &str, toks: &[Tok], required: &Required, globs: bool, text: &str) -> bool {
    required.admits(pattern, text)
        && if globs && text.is_ascii() {
            glob_match(toks, text.as_bytes())
        } else {
            run(toks, text)
        }
}

#[cfg(test)]
mod tests;
