//! Drawing choices from [`Unstructured`] so that *no data means the simplest choice*.
//!
//! `Unstructured` answers the lower bound of a range once its bytes are used up. Every helper
//! here is arranged so that the lower bound is the plain option: `chance` is false, `count`
//! is its minimum, `weighted` takes the first entry with a weight. A shrinker that shortens
//! or zeroes the byte string therefore walks towards small, plain cases.

use arbitrary::Unstructured;

/// Result of a generator step.
pub(crate) type R<T> = arbitrary::Result<T>;

/// `true` with probability `pct` percent; `false` when the data is used up.
pub(crate) fn chance(u: &mut Unstructured<'_>, pct: u8) -> R<bool> {
    match pct {
        0 => Ok(false),
        100.. => Ok(true),
        p => Ok(u.int_in_range(0u8..=99)? >= 100 - p),
    }
}

/// A count in `min..=max` (`min` when `max < min` or the data is used up).
pub(crate) fn count(u: &mut Unstructured<'_>, min: usize, max: usize) -> R<usize> {
    if max <= min {
        return Ok(min);
    }
    u.int_in_range(min..=max)
}

/// One element of a non-empty slice (the first when the data is used up).
pub(crate) fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> R<&'a T> {
    u.choose(items)
}

/// A copy of one element of a non-empty slice of `&str`.
pub(crate) fn pick_str(u: &mut Unstructured<'_>, items: &[&str]) -> R<String> {
    Ok((*u.choose(items)?).to_string())
}

/// An entry chosen with probability proportional to its weight (the first entry with a
/// non-zero weight when the data is used up). All weights zero: the first entry.
pub(crate) fn weighted<T: Copy>(u: &mut Unstructured<'_>, items: &[(T, u8)]) -> R<T> {
    let total: u32 = items.iter().map(|(_, w)| u32::from(*w)).sum();
    let first = items.first().ok_or(arbitrary::Error::EmptyChoose)?.0;
    if total == 0 {
        return Ok(first);
    }
    let mut r = u.int_in_range(0..=total - 1)?;
    for (item, w) in items {
        let w = u32::from(*w);
        if r < w {
            return Ok(*item);
        }
        r -= w;
    }
    Ok(first)
}

/// Flip the ASCII case of one letter (chosen by `u`); unchanged when there is no letter.
pub(crate) fn flip_one_case(u: &mut Unstructured<'_>, s: &str) -> R<String> {
    let letters: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect();
    if letters.is_empty() {
        return Ok(s.to_string());
    }
    let at = *pick(u, &letters)?;
    Ok(s.char_indices()
        .map(|(i, c)| {
            if i != at {
                c
            } else if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect())
}

/// Replace one character (chosen by `u`) by another one that differs from it.
pub(crate) fn change_one_char(u: &mut Unstructured<'_>, s: &str) -> R<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return Ok("x".to_string());
    }
    let at = count(u, 0, chars.len() - 1)?;
    let replacement = match chars[at] {
        '0'..='8' => char::from(chars[at] as u8 + 1),
        '9' => '0',
        'a'..='y' => char::from(chars[at] as u8 + 1),
        'z' => 'a',
        'A'..='Y' => char::from(chars[at] as u8 + 1),
        'Z' => 'A',
        _ => 'x',
    };
    Ok(chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i == at { replacement } else { *c })
        .collect())
}

/// Short arbitrary text (any Unicode), for the presets that want inputs nobody would write.
pub(crate) fn wild_text(u: &mut Unstructured<'_>) -> R<String> {
    let n = count(u, 0, 12)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        // Mostly ASCII, with the characters that matter to IAM (wildcards, `$`, `:`, `/`),
        // sometimes anything.
        let c = match u.int_in_range(0u8..=9)? {
            0 => *pick(u, &['*', '?', '$', '{', '}', ':', '/', '\'', ','])?,
            1 => char::from_u32(u.int_in_range(0u32..=0x2FFF)?).unwrap_or('?'),
            _ => char::from(u.int_in_range(0x20u8..=0x7e)?),
        };
        s.push(c);
    }
    Ok(s)
}

/// The civil date and time (UTC) of epoch second `secs` as (year, month, day, hour,
/// minute, second), from jiff's proleptic Gregorian calendar; `None` when the year is not
/// four digits (before year 0 or after 9999, where jiff's range also ends): ISO 8601 dates
/// as IAM and the evaluator read them have four-digit years.
pub(crate) fn utc_civil(secs: i64) -> Option<(i16, i8, i8, i8, i8, i8)> {
    let at = jiff::Timestamp::from_second(secs).ok()?;
    let t = jiff::tz::TimeZone::UTC.to_datetime(at);
    (0..=9999).contains(&t.year()).then(|| {
        (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_means_plain_choices() {
        let mut u = Unstructured::new(&[]);
        assert!(!chance(&mut u, 99).unwrap());
        assert!(chance(&mut u, 100).unwrap());
        assert_eq!(count(&mut u, 1, 5).unwrap(), 1);
        assert_eq!(
            weighted(&mut u, &[('a', 0), ('b', 3), ('c', 1)]).unwrap(),
            'b'
        );
        assert_eq!(*pick(&mut u, &[7, 8]).unwrap(), 7);
    }

    #[test]
    fn mutations_change_the_text() {
        for byte in 0..=255u8 {
            let data = [byte; 4];
            let mut u = Unstructured::new(&data);
            let s = "Membership/m1";
            assert_ne!(change_one_char(&mut u, s).unwrap(), s);
            let f = flip_one_case(&mut u, s).unwrap();
            assert_ne!(f, s);
            assert!(f.eq_ignore_ascii_case(s));
        }
    }
}
