//! Wildcard patterns as automata, and the search that separates them.
//!
//! IAM matches actions, resources and string/ARN condition values with globs: `*` any run,
//! `?` one character, and, in the first five components of a `Resource` or `ArnLike` value,
//! wildcards that stop at `:` (the rules, with sources, are in `iamcr_eval::pattern`, which
//! this module mirrors token for token). A set of globs cuts the strings into regions: the
//! strings that match exactly the same subset of the globs. [`separate`] finds one string
//! in every non-empty region by a breadth-first search over the product of the globs'
//! automata, so the answer is exact, not sampled: two strings that reach the same product
//! state match the same globs, and every reachable state is visited (up to a state budget,
//! past which the search says it is incomplete).
//!
//! Why a finite alphabet suffices: globs tell characters apart only by literal equality,
//! by `:` (for segment wildcards), by `/` (identifiers in ARN templates) and by digit-ness
//! (for the account constraint). So the
//! characters that occur in some glob, plus `:` and `/`, one fresh digit and one fresh
//! non-digit, stand for every character.

use std::collections::{HashMap, VecDeque};

/// One token of a glob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// This character.
    Lit(char),
    /// Any one character.
    One,
    /// Any one character but `:`.
    OneSeg,
    /// Any run.
    Star,
    /// Any run without `:`.
    StarSeg,
    /// One ASCII digit (the 12 digits of an account in an ARN template).
    Digit,
    /// One character of an identifier: neither `:` nor `/`.
    IdOne,
    /// A run of identifier characters.
    IdStar,
}

/// How a pattern's wildcards are read: the evaluator's own rule names, so that a glob here
/// follows the same rule as the pattern the model compiles.
pub use iamcr_eval::pattern::Mode;

/// A glob compiled to tokens; `folded` compares letters ASCII case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    toks: Vec<Tok>,
    folded: bool,
}

impl Glob {
    /// Compile `text` under `mode` (policy variables are taken as literal text: callers
    /// mark patterns with variables as undecidable).
    pub fn new(text: &str, mode: Mode, folded: bool) -> Glob {
        let text = if folded {
            text.to_ascii_lowercase()
        } else {
            text.to_string()
        };
        if mode == Mode::ArnComponents && text == "*" {
            return Glob {
                toks: vec![Tok::Star],
                folded,
            };
        }
        let chars: Vec<char> = text.chars().collect();
        let mut toks = Vec::with_capacity(chars.len());
        let mut colons = 0usize;
        for (i, &c) in chars.iter().enumerate() {
            let in_segments = colons < 5;
            let tok = match (c, mode) {
                (_, Mode::Exact) => Tok::Lit(c),
                ('*', Mode::Plain) => Tok::Star,
                ('?', Mode::Plain) => Tok::One,
                ('*', Mode::ResourceElement) if in_segments => {
                    if chars.get(i + 1).is_none_or(|&n| n == ':') {
                        Tok::Star
                    } else {
                        Tok::StarSeg
                    }
                }
                ('*', Mode::ArnComponents) if in_segments => Tok::StarSeg,
                ('?', Mode::ResourceElement | Mode::ArnComponents) if in_segments => Tok::OneSeg,
                ('*', _) => Tok::Star,
                ('?', _) => Tok::One,
                _ => Tok::Lit(c),
            };
            if c == ':' {
                colons += 1;
            }
            toks.push(tok);
        }
        Glob { toks, folded }
    }

    /// A glob from tokens (templates and constraints).
    pub fn from_tokens(toks: Vec<Tok>) -> Glob {
        Glob {
            toks,
            folded: false,
        }
    }

    /// Whether the glob has a wildcard (matches more than one string).
    pub fn has_wildcard(&self) -> bool {
        self.toks.iter().any(|t| !matches!(t, Tok::Lit(_)))
    }

    /// Whether `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let mut state = self.start();
        for c in text.chars() {
            state = self.step(&state, c);
            if state.is_empty() {
                return false;
            }
        }
        self.accepts(&state)
    }

    fn closure(&self, set: &mut Vec<usize>) {
        let mut i = 0;
        while i < set.len() {
            let p = set[i];
            if matches!(
                self.toks.get(p),
                Some(Tok::Star | Tok::StarSeg | Tok::IdStar)
            ) && !set.contains(&(p + 1))
            {
                set.push(p + 1);
            }
            i += 1;
        }
        set.sort_unstable();
    }

    fn start(&self) -> Vec<usize> {
        let mut s = vec![0];
        self.closure(&mut s);
        s
    }

    fn step(&self, state: &[usize], ch: char) -> Vec<usize> {
        let ch = if self.folded {
            ch.to_ascii_lowercase()
        } else {
            ch
        };
        let mut next = Vec::new();
        for &p in state {
            let target = match self.toks.get(p) {
                Some(Tok::Lit(c)) if *c == ch => Some(p + 1),
                Some(Tok::One) => Some(p + 1),
                Some(Tok::OneSeg) if ch != ':' => Some(p + 1),
                Some(Tok::Digit) if ch.is_ascii_digit() => Some(p + 1),
                Some(Tok::Star) => Some(p),
                Some(Tok::StarSeg) if ch != ':' => Some(p),
                Some(Tok::IdOne) if ch != ':' && ch != '/' => Some(p + 1),
                Some(Tok::IdStar) if ch != ':' && ch != '/' => Some(p),
                _ => None,
            };
            if let Some(t) = target
                && !next.contains(&t)
            {
                next.push(t);
            }
        }
        self.closure(&mut next);
        next
    }

    fn accepts(&self, state: &[usize]) -> bool {
        state.contains(&self.toks.len())
    }

    fn literals(&self, out: &mut Vec<char>) {
        for t in &self.toks {
            if let Tok::Lit(c) = t {
                out.push(*c);
                if self.folded {
                    out.push(c.to_ascii_uppercase());
                }
            }
        }
    }
}

/// The result of [`separate`].
#[derive(Debug, Clone)]
pub struct Separation {
    /// One string per region the globs cut the constraint's language into, with the globs
    /// it matches (bit `i` for `globs[i]`), shortest strings first.
    pub regions: Vec<(String, Vec<bool>)>,
    /// Whether every reachable product state was visited.
    pub complete: bool,
}

/// One string in every non-empty region of the strings `constraint` accepts, as cut by
/// `globs`; `budget` bounds the product states visited.
///
/// Globs without wildcards (literals) are left out of the product search, which stays small
/// when policies list many exact names: each literal is its own region (tried as a
/// candidate), and where the shortest string of a wildcard region is a literal, filler
/// variants of it are tried instead; when none works the search says it is incomplete.
pub fn separate(constraint: &Glob, globs: &[Glob], budget: usize) -> Separation {
    let wild: Vec<usize> = (0..globs.len())
        .filter(|&i| globs[i].has_wildcard())
        .collect();
    let wild_globs: Vec<Glob> = wild.iter().map(|&i| globs[i].clone()).collect();
    let literal = |g: &Glob| -> String {
        g.toks
            .iter()
            .filter_map(|t| match t {
                Tok::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    };
    let literals: Vec<String> = globs
        .iter()
        .filter(|g| !g.has_wildcard())
        .map(literal)
        .collect();
    let is_literal = |t: &str| globs.iter().any(|g| !g.has_wildcard() && g.matches(t));
    let inner = search(constraint, &wild_globs, budget);
    let mut complete = inner.complete;
    let sig_of = |t: &str| -> Vec<bool> { globs.iter().map(|g| g.matches(t)).collect() };
    let mut regions: Vec<(String, Vec<bool>)> = Vec::new();
    let push = |t: String, regions: &mut Vec<(String, Vec<bool>)>| {
        let sig = sig_of(&t);
        if !regions.iter().any(|(_, s)| *s == sig) {
            regions.push((t, sig));
        }
    };
    for (text, wsig) in inner.regions {
        if !is_literal(&text) {
            push(text, &mut regions);
            continue;
        }
        let same = |t: &str| {
            constraint.matches(t)
                && !is_literal(t)
                && wild_globs
                    .iter()
                    .zip(&wsig)
                    .all(|(g, m)| g.matches(t) == *m)
        };
        // The filler inserted at every position (a region such as `a*` and `*b` without
        // the literal `ab` is reached by `axb`).
        let chars: Vec<char> = text.chars().collect();
        let variants = ["x", "q", "0", "/x", "xx"]
            .iter()
            .flat_map(|f| {
                let chars = &chars;
                (0..=chars.len()).rev().map(move |i| {
                    let mut t: String = chars[..i].iter().collect();
                    t.push_str(f);
                    t.extend(&chars[i..]);
                    t
                })
            })
            .find(|t| same(t));
        match variants {
            Some(t) => push(t, &mut regions),
            // A region whose shortest member is a literal and whose other members the
            // fillers did not reach.
            None => complete = false,
        }
    }
    for l in literals {
        if constraint.matches(&l) {
            push(l, &mut regions);
        }
    }
    Separation { regions, complete }
}

/// The product search proper, over globs that all have wildcards.
fn search(constraint: &Glob, globs: &[Glob], budget: usize) -> Separation {
    let alphabet = alphabet(constraint, globs);
    let start: Vec<Vec<usize>> = std::iter::once(constraint)
        .chain(globs)
        .map(Glob::start)
        .collect();
    let mut seen: HashMap<Vec<Vec<usize>>, ()> = HashMap::new();
    let mut found: HashMap<Vec<bool>, String> = HashMap::new();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let mut queue: VecDeque<(Vec<Vec<usize>>, String)> = VecDeque::new();
    seen.insert(start.clone(), ());
    queue.push_back((start, String::new()));
    let mut complete = true;
    while let Some((state, text)) = queue.pop_front() {
        if constraint.accepts(&state[0]) {
            let sig: Vec<bool> = globs
                .iter()
                .zip(&state[1..])
                .map(|(g, s)| g.accepts(s))
                .collect();
            if !found.contains_key(&sig) {
                found.insert(sig.clone(), text.clone());
                order.push(sig);
            }
        }
        for &c in &alphabet {
            let c0 = constraint.step(&state[0], c);
            if c0.is_empty() {
                continue;
            }
            let mut next = Vec::with_capacity(state.len());
            next.push(c0);
            for (g, s) in globs.iter().zip(&state[1..]) {
                next.push(g.step(s, c));
            }
            if seen.contains_key(&next) {
                continue;
            }
            if seen.len() >= budget {
                complete = false;
                continue;
            }
            seen.insert(next.clone(), ());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    let regions = order
        .into_iter()
        .filter_map(|sig| found.remove(&sig).map(|s| (s, sig)))
        .collect();
    Separation { regions, complete }
}

/// The characters that tell every region apart: the fresh ones first (so that searched
/// strings read as fillers: `x`, `0`), then `:`, then every literal.
fn alphabet(constraint: &Glob, globs: &[Glob]) -> Vec<char> {
    let mut lits = Vec::new();
    constraint.literals(&mut lits);
    for g in globs {
        g.literals(&mut lits);
    }
    let fresh_letter = "xqzjkwvy_-"
        .chars()
        .chain('a'..='z')
        .find(|c| !lits.contains(c) && !lits.contains(&c.to_ascii_uppercase()))
        .unwrap_or('~');
    let fresh_digit = ('0'..='9').rev().find(|c| !lits.contains(c)).unwrap_or('0');
    let mut out = vec![fresh_letter, fresh_digit, ':', '/'];
    for c in lits {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Glob {
        Glob::new(s, Mode::Plain, false)
    }

    #[test]
    fn matches_like_iam() {
        assert!(plain("a*b?").matches("axxbc"));
        assert!(!plain("a*b?").matches("ab"));
        let r = Glob::new("arn:aws:s3:::b*", Mode::ResourceElement, false);
        assert!(r.matches("arn:aws:s3:::bucket/key"));
        let seg = Glob::new("arn:*:s3:::b", Mode::ArnComponents, false);
        assert!(!seg.matches("arn:a:b:s3:::b"));
        assert!(Glob::new("GET*", Mode::Plain, true).matches("getobject"));
    }

    #[test]
    fn finds_every_region_of_overlapping_globs() {
        let any = plain("*");
        let globs = [plain("a*"), plain("*b"), plain("ab")];
        let s = separate(&any, &globs, 10_000);
        assert!(s.complete);
        let sigs: Vec<&Vec<bool>> = s.regions.iter().map(|(_, sig)| sig).collect();
        // none; a…; …b; a…b (not ab); ab (all three).
        for want in [
            vec![false, false, false],
            vec![true, false, false],
            vec![false, true, false],
            vec![true, true, false],
            vec![true, true, true],
        ] {
            assert!(
                sigs.contains(&&want),
                "{want:?} missing from {:?}",
                s.regions
            );
        }
        assert_eq!(s.regions.len(), 5);
        for (text, sig) in &s.regions {
            for (g, m) in globs.iter().zip(sig) {
                assert_eq!(g.matches(text), *m, "{text}");
            }
        }
    }

    #[test]
    fn a_small_budget_says_incomplete() {
        let globs = [plain("*a*b*c*"), plain("*c*b*a*")];
        assert!(!separate(&plain("*"), &globs, 3).complete);
    }
}
