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

/// How a pattern without variables is matched fastest.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fast {
    /// Text without wildcards.
    Exact(String),
    /// `*` alone: matches everything.
    Any,
    /// A literal prefix followed by one final `*` that may cross anything.
    Prefix(String),
    /// Literal chunks separated by `*`s that may cross anything (no `?`): matched with
    /// substring search, leftmost first, which is exact for such globs.
    Chunks {
        prefix: String,
        middles: Vec<String>,
        suffix: String,
    },
    /// General wildcard tokens.
    Tokens(Vec<Tok>),
    /// `ArnLike` with six components: one plain pattern per component.
    Arn(Vec<Pattern>),
    /// The pattern has variables: resolve per request.
    Templated,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<Piece>,
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

impl Pattern {
    /// Compile `text` for `mode`; with `variables` true, `${…}` is a policy variable (in
    /// `ResourceElement` mode only after the fifth colon, the resource part).
    pub fn new(text: &str, mode: Mode, variables: bool) -> Pattern {
        let pieces = if variables {
            split_variables(text, mode == Mode::ResourceElement)
        } else {
            vec![Piece::Text(text.to_string())]
        };
        let fast = if pieces.iter().any(|p| matches!(p, Piece::Var { .. })) {
            Fast::Templated
        } else if mode == Mode::ArnComponents && text.splitn(6, ':').count() == 6 {
            // "Each of the six colon-delimited components of the ARN is checked separately":
            // compile each component on its own (a component has no colon, except the last,
            // where wildcards may match colons).
            Fast::Arn(
                text.splitn(6, ':')
                    .map(|c| Pattern::new(c, Mode::Plain, false))
                    .collect(),
            )
        } else if mode == Mode::ArnComponents && text == "*" {
            // `*` alone matches any value (it is how policies require only that the key be
            // present); see docs/evaluation.md.
            Fast::Any
        } else {
            // (For ArnLike with fewer than six components, `arn:aws:cleanrooms:*`, no wildcard
            // crosses a colon either, so the pattern cannot match a six-component ARN — the
            // same answer as when the text comes from a variable; found by the property
            // `arn_like_wildcards_agree_with_a_regex`.)
            let toks = tokens(&pieces, mode, &[]);
            fast_form(&toks)
        };
        Pattern {
            pieces,
            mode,
            fast,
            folded: false,
        }
    }

    /// An action pattern: plain wildcards, compared case-insensitively.
    pub fn action(text: &str) -> Pattern {
        let mut p = Pattern::new(&text.to_ascii_lowercase(), Mode::Plain, false);
        p.folded = true;
        p
    }

    /// The text of a pattern without wildcards or variables (what it matches exactly).
    pub fn exact_text(&self) -> Option<&str> {
        match &self.fast {
            Fast::Exact(s) => Some(s),
            _ => None,
        }
    }

    /// For an action pattern: the service prefix it is limited to (`Some("iam")` for
    /// `iam:Get*`), or `None` when it can match any service (`*`, `*:Get*`, `s?:*`).
    pub fn action_service(&self) -> Option<&str> {
        let [Piece::Text(t)] = self.pieces.as_slice() else {
            return None;
        };
        let (service, _) = t.split_once(':')?;
        (!service.contains(['*', '?'])).then_some(service)
    }

    /// Whether the pattern has policy variables.
    pub fn has_variables(&self) -> bool {
        matches!(self.fast, Fast::Templated)
    }

    /// Match `text` (already lower-cased when the pattern is folded).
    #[inline]
    pub fn matches(&self, text: &str, request: &Request) -> MatchResult {
        // The forms without variables are the hot path of evaluation and stay small enough
        // to inline; patterns with variables go through `matches_templated`.
        let ok = match &self.fast {
            Fast::Exact(s) => s == text,
            Fast::Any => true,
            Fast::Prefix(p) => text.starts_with(p.as_str()),
            Fast::Chunks {
                prefix,
                middles,
                suffix,
            } => chunks_match(prefix, middles, suffix, text),
            Fast::Tokens(t) => run(t, text),
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
            let mut values = Vec::with_capacity(self.pieces.len());
            for p in &self.pieces {
                if let Piece::Var { key_lower, default } = p {
                    match resolve(request, key_lower, default.as_deref()) {
                        Some(v) => values.push(v.to_string()),
                        None => return MatchResult::Unresolved(key_lower.clone()),
                    }
                }
            }
            let toks = tokens(&self.pieces, self.mode, &values);
            let toks = if self.folded {
                toks.into_iter()
                    .map(|t| match t {
                        Tok::Lit(c) => Tok::Lit(c.to_ascii_lowercase()),
                        other => other,
                    })
                    .collect()
            } else {
                toks
            };
            run(&toks, text)
        };
        if ok {
            MatchResult::Match
        } else {
            MatchResult::NoMatch
        }
    }

    /// The pattern with variables substituted (for `Exact` comparisons and explanations);
    /// `Err(key)` when a variable has no value.
    pub fn resolve_text(&self, request: &Request) -> Result<String, String> {
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
        Ok(out)
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

/// Turn pieces (with variable `values` in order) into tokens for `mode`.
fn tokens(pieces: &[Piece], mode: Mode, values: &[String]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut colons = 0usize;
    let mut next_value = values.iter();
    // Whether the char after position i (in the original text pieces) is ':' or the end;
    // needed for the "trailing * of a segment" rule, computed on the text as written.
    let flat: Vec<(char, bool)> = pieces
        .iter()
        .flat_map(|p| match p {
            Piece::Text(t) => t.chars().map(|c| (c, true)).collect::<Vec<_>>(),
            Piece::Escaped(c) => vec![(*c, false)],
            Piece::Var { .. } => next_value
                .next()
                .map(|v| v.chars().map(|c| (c, false)).collect())
                .unwrap_or_default(),
        })
        .collect();
    for (i, &(c, wild)) in flat.iter().enumerate() {
        let in_segments = colons < 5;
        let tok = match (c, wild, mode) {
            (_, _, Mode::Exact) | (_, false, _) => Tok::Lit(c),
            ('*', true, Mode::Plain) => Tok::Star,
            ('?', true, Mode::Plain) => Tok::One,
            ('*', true, Mode::ResourceElement) if in_segments => {
                let last_of_segment = flat.get(i + 1).is_none_or(|&(n, _)| n == ':');
                if last_of_segment {
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
        };
        if c == ':' {
            colons += 1;
        }
        out.push(tok);
    }
    out
}

fn fast_form(toks: &[Tok]) -> Fast {
    let lits = |t: &[Tok]| -> Option<String> {
        t.iter()
            .map(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    };
    if let Some(s) = lits(toks) {
        return Fast::Exact(s);
    }
    if toks == [Tok::Star] {
        return Fast::Any;
    }
    if let Some((Tok::Star, head)) = toks.split_last()
        && let Some(prefix) = lits(head)
    {
        return Fast::Prefix(prefix);
    }
    if toks.iter().all(|t| matches!(t, Tok::Lit(_) | Tok::Star)) {
        let mut parts: Vec<String> = toks
            .split(|t| *t == Tok::Star)
            .map(|run| lits(run).unwrap_or_default())
            .collect();
        // At least one star, so at least two parts.
        let suffix = parts.pop().unwrap_or_default();
        let prefix = if parts.is_empty() {
            String::new()
        } else {
            parts.remove(0)
        };
        let middles = parts.into_iter().filter(|m| !m.is_empty()).collect();
        return Fast::Chunks {
            prefix,
            middles,
            suffix,
        };
    }
    Fast::Tokens(toks.to_vec())
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
/// is the rest of the text, colons included). Splits by hand: `str::splitn` sets up a
/// searcher per call, which cost more than the matching on the evaluation hot path.
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

/// `prefix*m1*m2*…*suffix`: anchored ends, middles found leftmost in order.
fn chunks_match(prefix: &str, middles: &[String], suffix: &str, text: &str) -> bool {
    let text = text.as_bytes();
    let (Some(head), Some(end)) = (
        text.get(..prefix.len()),
        text.len().checked_sub(suffix.len()),
    ) else {
        return false;
    };
    if head != prefix.as_bytes() || end < prefix.len() || &text[end..] != suffix.as_bytes() {
        return false;
    }
    let mut rest = &text[prefix.len()..end];
    for m in middles {
        match find(rest, m.as_bytes()) {
            Some(i) => rest = &rest[i + m.len()..],
            None => return false,
        }
    }
    true
}

/// Leftmost occurrence of `needle` in `hay`. ARNs and action names are short, so a plain
/// scan beats `str::find`, whose searcher set-up dominates on short inputs; testing the
/// needle's last byte before comparing the rest skips most false starts (ARNs repeat `:`
/// and `/`, the usual first bytes). Byte-wise is exact for UTF-8: a match of a valid UTF-8
/// needle always starts on a char boundary.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let last_at = needle.len() - 1;
    let last = needle[last_at];
    let starts = hay.len().checked_sub(last_at)?;
    (0..starts).find(|&i| {
        hay[i] == first && hay[i + last_at] == last && hay[i..i + needle.len()] == *needle
    })
}

/// Run the token pattern over `text` as an NFA: the set of pattern positions reachable after
/// each character. Linear in text × pattern, no backtracking blow-up.
fn run(toks: &[Tok], text: &str) -> bool {
    if toks.len() < 128 {
        run_bits(toks, text)
    } else {
        run_vec(toks, text)
    }
}

fn run_bits(toks: &[Tok], text: &str) -> bool {
    let n = toks.len();
    let stars: u128 = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tok::Star | Tok::StarSeg))
        .fold(0, |m, (p, _)| m | (1u128 << p));
    // A star may match nothing: from a star position, the next position is reachable too.
    let closure = |mut set: u128| -> u128 {
        loop {
            let next = set | ((set & stars) << 1);
            if next == set {
                return set;
            }
            set = next;
        }
    };
    let mut active = closure(1);
    for ch in text.chars() {
        let mut next = 0u128;
        let mut bits = active & !(1u128 << n);
        while bits != 0 {
            let p = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            match toks[p] {
                Tok::Lit(c) if c == ch => next |= 1 << (p + 1),
                Tok::One => next |= 1 << (p + 1),
                Tok::OneSeg if ch != ':' => next |= 1 << (p + 1),
                Tok::Star => next |= 1 << p,
                Tok::StarSeg if ch != ':' => next |= 1 << p,
                _ => {}
            }
        }
        if next == 0 {
            return false;
        }
        active = closure(next);
    }
    active & (1u128 << n) != 0
}

fn run_vec(toks: &[Tok], text: &str) -> bool {
    let n = toks.len();
    let closure = |set: &mut Vec<bool>| {
        for p in 0..n {
            if set[p] && matches!(toks[p], Tok::Star | Tok::StarSeg) {
                set[p + 1] = true;
            }
        }
    };
    let mut active = vec![false; n + 1];
    active[0] = true;
    closure(&mut active);
    for ch in text.chars() {
        let mut next = vec![false; n + 1];
        for p in 0..n {
            if !active[p] {
                continue;
            }
            match toks[p] {
                Tok::Lit(c) if c == ch => next[p + 1] = true,
                Tok::One => next[p + 1] = true,
                Tok::OneSeg if ch != ':' => next[p + 1] = true,
                Tok::Star => next[p] = true,
                Tok::StarSeg if ch != ':' => next[p] = true,
                _ => {}
            }
        }
        closure(&mut next);
        active = next;
    }
    active[n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Context, Principal, Request};

    fn req() -> Request {
        let p = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
        let ctx = Context::new().with("aws:PrincipalTag/team", "yellow");
        Request::with_context(p, "s3:GetObject", "*", None, ctx)
    }

    fn m(pat: &str, mode: Mode, text: &str) -> bool {
        Pattern::new(pat, mode, true)
            .matches(text, &req())
            .is_match()
    }

    #[test]
    fn resource_wildcards_from_the_user_guide() {
        // examples.md B1
        let pat = "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*";
        for (suffix, ok) in [
            ("amzn-s3-demo-bucket/1/test/object.jpg", true),
            ("amzn-s3-demo-bucket/1/2/test/object.jpg", true),
            ("amzn-s3-demo-bucket/1/2/test/3/object.jpg", true),
            ("amzn-s3-demo-bucket/1/2/3/test/4/object.jpg", true),
            ("amzn-s3-demo-bucket/1///test///object.jpg", true),
            ("amzn-s3-demo-bucket/1/test/.jpg", true),
            ("amzn-s3-demo-bucket//test/object.jpg", true),
            ("amzn-s3-demo-bucket/1/test/", true),
            ("amzn-s3-demo-bucket/1-test/object.jpg", false),
            ("amzn-s3-demo-bucket/test/object.jpg", false),
            ("amzn-s3-demo-bucket/1/2/test.jpg", false),
        ] {
            let text = format!("arn:aws:s3:::{suffix}");
            assert_eq!(m(pat, Mode::ResourceElement, &text), ok, "{text}");
        }
    }

    #[test]
    fn arn_like_and_string_like_differ() {
        // examples.md B2
        let pat = "arn:aws:someservice:*:111122223333:finance/*";
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(m(pat, Mode::Plain, v));
        assert!(!m(pat, Mode::ArnComponents, v));
        assert!(m(
            pat,
            Mode::ArnComponents,
            "arn:aws:someservice:us-east-2:111122223333:finance/x"
        ));
    }

    #[test]
    fn a_star_ending_a_segment_crosses_colons_in_resources() {
        assert!(m(
            "arn:aws:s3:*",
            Mode::ResourceElement,
            "arn:aws:s3:::bucket"
        ));
        assert!(m(
            "arn:aws:logs:us-east-1:*:log-group:x",
            Mode::ResourceElement,
            "arn:aws:logs:us-east-1:111122223333:log-group:x"
        ));
        // A star inside a segment does not cross.
        assert!(!m(
            "arn:aws:s*3:::b",
            Mode::ResourceElement,
            "arn:aws:s:x3:::b"
        ));
        assert!(!m(
            "arn:aws:iam::1?1122223333:user/x",
            Mode::ResourceElement,
            "arn:aws:iam::1:1122223333:user/x"
        ));
    }

    #[test]
    fn variables_are_literal_and_unresolved_ones_match_nothing() {
        let r = req();
        let p = Pattern::new(
            "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}",
            Mode::ResourceElement,
            true,
        );
        assert!(p.matches("arn:aws:s3:::b-yellow", &r).is_match());
        let p = Pattern::new(
            "arn:aws:s3:::b-${aws:PrincipalTag/dept, 'company-wide'}",
            Mode::ResourceElement,
            true,
        );
        assert!(p.matches("arn:aws:s3:::b-company-wide", &r).is_match());
        let p = Pattern::new(
            "arn:aws:s3:::b-${aws:PrincipalTag/dept}",
            Mode::ResourceElement,
            true,
        );
        assert_eq!(
            p.matches("arn:aws:s3:::b-", &r),
            MatchResult::Unresolved("aws:principaltag/dept".into())
        );
        let p = Pattern::new("home/${aws:username}/${*}", Mode::Plain, true);
        assert!(p.matches("home/Bob/*", &r).is_match());
        assert!(!p.matches("home/Bob/x", &r).is_match());
        // Without variables enabled, the text is literal.
        let p = Pattern::new(
            "arn:aws:iam::1:user/${aws:username}",
            Mode::ResourceElement,
            false,
        );
        assert!(
            p.matches("arn:aws:iam::1:user/${aws:username}", &r)
                .is_match()
        );
        // Variables are not recognised before the resource part.
        let p = Pattern::new("arn:aws:s3:${aws:username}::b", Mode::ResourceElement, true);
        assert!(!p.has_variables());
    }

    #[test]
    fn actions_fold_case() {
        let r = req();
        let p = Pattern::action("IAM:*AccessKey*");
        assert!(p.matches("iam:listaccesskeys", &r).is_match());
        assert!(!p.matches("iam:getuser", &r).is_match());
    }

    #[test]
    fn chunked_globs() {
        for (pat, text, ok) in [
            (
                "arn:aws:iam::*:role/service-role/*cleanrooms*",
                "arn:aws:iam::111122223333:role/service-role/x-cleanrooms-y",
                true,
            ),
            (
                "arn:aws:iam::*:role/service-role/*cleanrooms*",
                "arn:aws:iam::111122223333:role/cleanrooms",
                false,
            ),
            ("a*b*b", "abb", true),
            ("a*b*b", "ab", false),
            ("*ab*ab*", "abab", true),
            ("*ab*ab*", "aab", false),
            ("x*", "x", true),
            ("*x", "", false),
        ] {
            assert_eq!(m(pat, Mode::Plain, text), ok, "{pat} {text}");
        }
    }

    #[test]
    fn long_patterns_use_the_vector_nfa() {
        let pat = format!("{}*", "a?".repeat(80));
        let text = format!("{}zzz", "ab".repeat(80));
        assert!(m(&pat, Mode::Plain, &text));
        assert!(!m(&pat, Mode::Plain, "ab"));
    }
}
