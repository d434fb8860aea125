//! The general matchers behind [`super::Pattern`]: the segment matcher for ASCII text whose
//! stars all cross anything, and the NFA (bit-parallel up to 64 tokens, a vector beyond).
//! Apart from `pattern.rs` only to keep that file readable; they see its private tokens.

use super::Tok;

/// Match ASCII `text` against tokens whose stars all cross anything: the segment before the
/// first star is anchored at the start, the one after the last star at the end, and each
/// segment between is found leftmost in order. Segments are fixed-length (a literal or `?`
/// per byte of ASCII text), so leftmost is exact, as for [`super::chunks_match`].
pub(super) fn glob_match(toks: &[Tok], text: &[u8]) -> bool {
    let (Some(first_star), Some(last_star)) = (
        toks.iter().position(|t| *t == Tok::Star),
        toks.iter().rposition(|t| *t == Tok::Star),
    ) else {
        return text.len() == toks.len() && segment_at(toks, text);
    };
    let (head, tail) = (&toks[..first_star], &toks[last_star + 1..]);
    let Some(tail_at) = text.len().checked_sub(tail.len()) else {
        return false;
    };
    if tail_at < head.len() || !segment_at(head, text) || !segment_at(tail, &text[tail_at..]) {
        return false;
    }
    let mut rest = &text[head.len()..tail_at];
    let middle = toks.get(first_star + 1..last_star).unwrap_or_default();
    for segment in middle.split(|t| *t == Tok::Star) {
        if segment.is_empty() {
            continue;
        }
        let Some(starts) = rest.len().checked_sub(segment.len()) else {
            return false;
        };
        match (0..=starts).find(|&i| segment_at(segment, &rest[i..])) {
            Some(i) => rest = &rest[i + segment.len()..],
            None => return false,
        }
    }
    true
}

/// Whether the star-free `segment` matches at the start of ASCII `text` (one byte per token).
#[inline]
fn segment_at(segment: &[Tok], text: &[u8]) -> bool {
    segment.len() <= text.len()
        && segment.iter().zip(text).all(|(t, &b)| match *t {
            Tok::Lit(c) => u32::from(b) == u32::from(c),
            Tok::One => true,
            Tok::OneSeg => b != b':',
            Tok::Star | Tok::StarSeg => false,
        })
}

/// Leftmost occurrence of `needle` in `hay`. ARNs and action names are short, so a plain
/// scan beats `str::find`, whose searcher set-up dominates on short inputs; testing the
/// needle's last byte before comparing the rest skips most false starts (ARNs repeat `:`
/// and `/`, the usual first bytes). Byte-wise is exact for UTF-8: a match of a valid UTF-8
/// needle always starts on a char boundary.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
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
pub(super) fn run(toks: &[Tok], text: &str) -> bool {
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
