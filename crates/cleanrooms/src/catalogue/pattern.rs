//! Wildcard matching shared by action patterns, ARN templates and condition-key templates.
//!
//! All three reduce to the same token language (literal char, `?` = exactly one char,
//! `*` = any run), so one matcher serves them; a template placeholder is "one or more
//! characters", i.e. `?*`.

use std::fmt;

/// One piece of a template: literal text or a named placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    /// Text that must appear verbatim.
    Literal(String),
    /// A variable such as `${MembershipId}` (stored without `${`/`}`); matches one or more
    /// characters.
    Placeholder(String),
}

/// Why a template string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateSyntaxError {
    /// A `${` (or `<` in condition-key templates) without its closing `}` (`>`).
    Unterminated,
    /// `${}` or `<>`: a placeholder needs a name.
    EmptyPlaceholder,
}

impl fmt::Display for TemplateSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unterminated => f.write_str("unterminated placeholder"),
            Self::EmptyPlaceholder => f.write_str("placeholder without a name"),
        }
    }
}

/// Splits `text` into literal runs and placeholders.
///
/// `angle` also accepts `<name>` placeholders: the S3 SAR data writes
/// `s3:ExistingObjectTag/<key>` where every other key uses `${TagKey}`.
pub(crate) fn parse_template(
    text: &str,
    angle: bool,
) -> Result<Vec<TemplatePart>, TemplateSyntaxError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (open, close) = if rest.starts_with("${") {
            ("${", '}')
        } else if angle && rest.starts_with('<') {
            ("<", '>')
        } else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                literal.push(c);
            }
            rest = chars.as_str();
            continue;
        };
        let body = &rest[open.len()..];
        let end = body.find(close).ok_or(TemplateSyntaxError::Unterminated)?;
        let name = &body[..end];
        if name.is_empty() {
            return Err(TemplateSyntaxError::EmptyPlaceholder);
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(TemplatePart::Placeholder(name.to_owned()));
        rest = &body[end + close.len_utf8()..];
    }
    if !literal.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(parts)
}

/// A compiled wildcard token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// This character exactly.
    Lit(char),
    /// Exactly one character.
    One,
    /// Any run of characters, possibly empty.
    Star,
}

/// Compiles an IAM action-name glob (`*`, `?`), lower-cased for case-insensitive use.
pub(crate) fn glob_tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Lit(c),
        })
        .collect()
}

/// Compiles template parts; `fold_case` lower-cases the literals (condition-key names are
/// case-insensitive, ARNs are not).
pub(crate) fn template_tokens(parts: &[TemplatePart], fold_case: bool) -> Vec<Tok> {
    let mut toks = Vec::new();
    for part in parts {
        match part {
            TemplatePart::Literal(s) if fold_case => {
                toks.extend(s.to_lowercase().chars().map(Tok::Lit));
            }
            TemplatePart::Literal(s) => toks.extend(s.chars().map(Tok::Lit)),
            TemplatePart::Placeholder(_) => toks.extend([Tok::One, Tok::Star]),
        }
    }
    toks
}

/// Number of literal characters: the specificity used to rank several matching templates.
pub(crate) fn literal_len(parts: &[TemplatePart]) -> usize {
    parts
        .iter()
        .map(|p| match p {
            TemplatePart::Literal(s) => s.chars().count(),
            TemplatePart::Placeholder(_) => 0,
        })
        .sum()
}

/// A text to match, one element per character: an ASCII text as its bytes (no decoding and
/// no copy: ARNs and key names are ASCII), any other as its characters.
#[derive(Debug)]
pub(crate) enum Text<'a> {
    Ascii(&'a [u8]),
    Chars(Vec<char>),
}

impl<'a> Text<'a> {
    pub(crate) fn new(text: &'a str) -> Text<'a> {
        if text.is_ascii() {
            Text::Ascii(text.as_bytes())
        } else {
            Text::Chars(text.chars().collect())
        }
    }
}

/// Whether `text` matches `toks` in full ([`matches`], on either form of the text).
pub(crate) fn matches_text(toks: &[Tok], text: &Text<'_>) -> bool {
    match text {
        Text::Ascii(bytes) => matches_by(toks, bytes, |c, b| u32::from(c) == u32::from(b)),
        Text::Chars(chars) => matches(toks, chars),
    }
}

/// Whether `text` matches `toks` in full.
///
/// Greedy with backtracking to the last `*` only: this is linear-memory and
/// O(len(toks) * len(text)) worst case, which matters for fuzzing with long inputs.
pub(crate) fn matches(toks: &[Tok], text: &[char]) -> bool {
    matches_by(toks, text, |c, t| c == t)
}

/// [`matches`] over any one-element-per-character text, `same` comparing a literal with an
/// element.
fn matches_by<T: Copy>(toks: &[Tok], text: &[T], same: impl Fn(char, T) -> bool) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
                continue;
            }
            Some(Tok::Lit(c)) if same(*c, text[t]) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        let text: Vec<char> = text.to_lowercase().chars().collect();
        matches(&glob_tokens(pattern), &text)
    }

    #[test]
    fn globs() {
        assert!(m("Get*", "getcollaboration"));
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(!m("?", ""));
        assert!(m("?et*", "GetX"));
        assert!(m("*Table*", "CreateConfiguredTableAnalysisRule"));
        assert!(!m("Get", "GetX"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("**", "x"));
    }

    #[test]
    fn templates_parse() {
        let parts = parse_template("membership/${MembershipId}/x/${Id}", false).unwrap();
        assert_eq!(
            parts,
            vec![
                TemplatePart::Literal("membership/".into()),
                TemplatePart::Placeholder("MembershipId".into()),
                TemplatePart::Literal("/x/".into()),
                TemplatePart::Placeholder("Id".into()),
            ]
        );
        assert_eq!(literal_len(&parts), 14);
        assert_eq!(
            parse_template("s3:ExistingObjectTag/<key>", true).unwrap(),
            vec![
                TemplatePart::Literal("s3:ExistingObjectTag/".into()),
                TemplatePart::Placeholder("key".into()),
            ]
        );
        // Without `angle`, `<` is ordinary text.
        assert_eq!(parse_template("a<b>", false).unwrap().len(), 1);
        assert_eq!(
            parse_template("a${b", false),
            Err(TemplateSyntaxError::Unterminated)
        );
        assert_eq!(
            parse_template("a${}", false),
            Err(TemplateSyntaxError::EmptyPlaceholder)
        );
    }

    #[test]
    fn both_forms_of_a_text_match_alike() {
        let patterns = ["Get*", "*", "?et*", "a*b*c", "**", "é*x", "?", "*?é"];
        let texts = ["getx", "", "a", "axbybzc", "éax", "éé", "aé", "xé", "get"];
        let mut matched = 0;
        for p in patterns {
            let toks = glob_tokens(p);
            for t in texts {
                let chars: Vec<char> = t.chars().collect();
                let by_chars = matches(&toks, &chars);
                assert_eq!(matches_text(&toks, &Text::new(t)), by_chars, "{p} {t}");
                if t.is_ascii() {
                    // The byte form, also for a text that Text::new would keep as bytes.
                    let ascii = Text::Ascii(t.as_bytes());
                    assert_eq!(matches_text(&toks, &ascii), by_chars, "{p} {t}");
                }
                matched += usize::from(by_chars);
            }
        }
        assert!(matched > 10 && matched < patterns.len() * texts.len());
    }

    #[test]
    fn placeholders_need_one_char() {
        let toks = template_tokens(
            &parse_template("aws:ResourceTag/${TagKey}", false).unwrap(),
            true,
        );
        let text = |s: &str| -> Vec<char> { s.to_lowercase().chars().collect() };
        assert!(matches(&toks, &text("aws:resourcetag/Team")));
        assert!(matches(&toks, &text("AWS:ResourceTag/a/b:c")));
        assert!(!matches(&toks, &text("aws:ResourceTag/")));
    }
}
