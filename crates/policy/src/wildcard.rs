//! IAM wildcard matching: `*` matches any sequence of characters (including none), `?`
//! matches exactly one character; everything else matches itself.
//!
//! This is the plain string matcher used for action names (after lower-casing both sides),
//! `StringLike` values and the pieces of ARNs. It runs in O(len(pattern) × len(text)) in the
//! worst case and without allocation, using the classic backtrack-to-last-star method.

/// Whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return matches_units(pattern.as_bytes(), text.as_bytes());
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    matches_units(&p, &t)
}

/// Whether `text` matches `pattern`, comparing ASCII letters case-insensitively (action names
/// and `…IgnoreCase` operators).
pub fn matches_ignore_ascii_case(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    matches_units(&p, &t)
}

/// The glob match over any sequence of comparable units (bytes or chars).
fn matches_units<U: Copy + PartialEq + Unit>(p: &[U], t: &[U]) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi].is_star() {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi].is_question() || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi].is_star() {
        pi += 1;
    }
    pi == p.len()
}

trait Unit {
    fn is_star(&self) -> bool;
    fn is_question(&self) -> bool;
}

impl Unit for u8 {
    fn is_star(&self) -> bool {
        *self == b'*'
    }
    fn is_question(&self) -> bool {
        *self == b'?'
    }
}

impl Unit for char {
    fn is_star(&self) -> bool {
        *self == '*'
    }
    fn is_question(&self) -> bool {
        *self == '?'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        assert!(matches("*", ""));
        assert!(matches("a*c", "abbbc"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*AccessKey*", "ListAccessKeys"));
        assert!(!matches("abc", "ABC"));
        assert!(matches_ignore_ascii_case(
            "iam:*accesskey*",
            "IAM:ListAccessKeys"
        ));
        assert!(matches("é?", "éé"));
        assert!(!matches("a*b*c", "acb"));
        assert!(matches("a*b*c", "aXbYbZc"));
    }
}
