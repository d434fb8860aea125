//! Naive references for the condition operators, written from the IAM User Guide
//! (`UG/reference_policies_elements_condition_operators.html`, "Multivalued context keys",
//! "…IfExists") and kept independent of the model: nothing here calls `iamcr-eval`, so a
//! disagreement between [`holds`] and `iamcr_eval::condition::Condition` is a finding about
//! one of the two, never a shared mistake.
//!
//! The references are deliberately simple (a dynamic-programming glob, integer hundredths,
//! epoch seconds, bit masks) and therefore exact only on a stated **value domain**, which is
//! what [`domain`] draws and what the proptest strategies in `tests/properties/oracles.rs`
//! draw:
//!
//! | family | values the reference reads |
//! |--------|----------------------------|
//! | String | any text without surrounding whitespace; `…IgnoreCase` folds with `str::to_lowercase`, exact for ASCII and Latin-1 letters (not for a final Greek sigma) |
//! | Numeric | optional sign, ASCII digits, at most two decimals (`-3`, `+1.5`, `0.25`, `.5`); no exponent |
//! | Date | epoch seconds (all digits), `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ssZ`, `YYYY-MM-DDThh:mm:ss±hh:mm`; years 1970–9999 |
//! | Bool | `true` / `false`, any case |
//! | Binary | canonical base64 of a few bytes, padded or not |
//! | IP | dotted IPv4 and canonical IPv6 addresses; CIDRs of those with a decimal prefix |
//! | ARN | patterns of exactly six colon-separated components (a bare `*` is out of domain) |
//! | Null | `true` / `false`, any case |
//!
//! Outside its domain a helper answers `None` or `false` rather than guess, so a value the
//! generators should never produce shows up as a disagreement, not as a silent pass.

pub mod domain;

use iamcr_policy::{BaseOperator, Operator, SetQualifier};
use std::net::IpAddr;

/// Whether a condition `op: { key: policy_values }` holds for a request whose context has
/// `request_values` for the key (`None`: the key is absent; `Some(&[])`: present with no
/// values, which set operators and `Null` treat like absent).
///
/// Rules, from the IAM User Guide: an absent key makes the condition false, except that
/// negated operators and `…IfExists` are then true and `Null` tests exactly that;
/// `ForAllValues:` is true for an absent or empty key and `ForAnyValue:` false, `IfExists`
/// or not ("For no matching context key or if the key does not exist, the condition returns
/// false"; issue 15); several policy values are ORed, and NORed under a negated operator.
pub fn holds(op: Operator, policy_values: &[String], request_values: Option<&[String]>) -> bool {
    if op.base == BaseOperator::Null {
        return null_holds(policy_values, request_values);
    }
    combine(op, request_values, |rv| {
        policy_values.iter().any(|pv| positive(op.base, pv, rv))
    })
}

/// `Null`: a policy value `true` holds when the key is absent (or has no values), `false`
/// when it is present; several policy values are ORed; anything else matches nothing.
pub fn null_holds(policy_values: &[String], request_values: Option<&[String]>) -> bool {
    let present = request_values.is_some_and(|v| !v.is_empty());
    policy_values
        .iter()
        .any(|t| bool_of(t).is_some_and(|b| b != present))
}

/// How a condition combines per-value matches: `matches(rv)` says whether request value
/// `rv` matches some policy value under the *positive* form of the operator.
///
/// - no qualifier: some request value matches (the complement for a negated operator);
/// - `ForAnyValue:`: some request value matches (matches none, when negated);
/// - `ForAllValues:`: every request value matches (matches none, when negated);
/// - an absent or empty key: as [`holds`] describes.
pub fn combine(
    op: Operator,
    request_values: Option<&[String]>,
    matches: impl Fn(&str) -> bool,
) -> bool {
    let negated = op.base.is_negated();
    match request_values.filter(|v| !v.is_empty()) {
        None => match op.qualifier {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => op.if_exists || negated,
        },
        Some(vs) => match op.qualifier {
            None => vs.iter().any(|v| matches(v)) != negated,
            Some(SetQualifier::ForAnyValue) => vs.iter().any(|v| matches(v) != negated),
            Some(SetQualifier::ForAllValues) => vs.iter().all(|v| matches(v) != negated),
        },
    }
}

/// Whether request value `rv` matches policy value `pv` under the positive operator of
/// `base`'s family (`StringNotLike` → `StringLike`, …). `Null` is not a per-value test:
/// see [`null_holds`].
pub fn positive(base: BaseOperator, pv: &str, rv: &str) -> bool {
    use BaseOperator::*;
    match base.positive() {
        StringEquals => pv == rv,
        StringEqualsIgnoreCase => pv.to_lowercase() == rv.to_lowercase(),
        StringLike => glob(pv, rv),
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => {
            // A value that is not a number matches nothing.
            let (Some(p), Some(r)) = (hundredths(pv), hundredths(rv)) else {
                return false;
            };
            match base.positive() {
                NumericEquals => r == p,
                NumericLessThan => r < p,
                NumericLessThanEquals => r <= p,
                NumericGreaterThan => r > p,
                _ => r >= p,
            }
        }
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => {
            let (Some(p), Some(r)) = (date_secs(pv), date_secs(rv)) else {
                return false;
            };
            match base.positive() {
                DateEquals => r == p,
                DateLessThan => r < p,
                DateLessThanEquals => r <= p,
                DateGreaterThan => r > p,
                _ => r >= p,
            }
        }
        Bool => bool_of(pv).is_some_and(|p| bool_of(rv) == Some(p)),
        // "byte-for-byte against the base-64 value in the policy"; a policy value that is
        // not base64 can only equal the same text.
        BinaryEquals => match b64_decode(pv) {
            Some(p) => b64_decode(rv) == Some(p),
            None => pv == rv,
        },
        IpAddress => cidr_contains(pv, rv),
        ArnEquals | ArnLike => arn_matches(pv, rv),
        _ => false,
    }
}

/// `StringLike`: `*` matches any run of characters (none included), `?` exactly one, every
/// other character itself, case-sensitively. Dynamic programming over characters, so the
/// cost is `pattern × text` whatever the number of `*`.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // row[j]: the pattern so far matches the first j characters of the text.
    let mut row = vec![false; t.len() + 1];
    row[0] = true;
    for pc in &p {
        let mut next = vec![false; t.len() + 1];
        if *pc == '*' {
            // `*` extends any earlier match by zero or more characters.
            let mut reached = false;
            for (j, cell) in next.iter_mut().enumerate() {
                reached |= row[j];
                *cell = reached;
            }
        } else {
            for (j, tc) in t.iter().enumerate() {
                next[j + 1] = row[j] && (*pc == '?' || pc == tc);
            }
        }
        row = next;
    }
    row[t.len()]
}

/// `ArnEquals`/`ArnLike` (identical in IAM): "Each of the six colon-delimited components of
/// the ARN is checked separately", each a [`glob`]; the sixth component (the resource part)
/// keeps its own colons. Pattern and value must have the same number of components.
pub fn arn_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<&str> = iamcr_case::arn::components(pattern).collect();
    let t: Vec<&str> = iamcr_case::arn::components(text).collect();
    p.len() == t.len() && p.iter().zip(&t).all(|(p, t)| glob(p, t))
}

/// Decimal text → hundredths: optional sign, digits, at most two decimals (`.5` and `5.`
/// read as 0.5 and 5). `None` for anything else, e.g. `1e3` or `1.255`.
pub fn hundredths(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 2
        || int.len() > 15
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let v = int * 100 + frac;
    Some(if neg { -v } else { v })
}

/// Epoch seconds of a date in the reference's forms: all digits (epoch seconds),
/// `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDThh:mm:ssZ`, `YYYY-MM-DDThh:mm:ss±hh:mm`.
/// `None` for anything else (other ISO 8601 forms are out of domain, not errors).
pub fn date_secs(s: &str) -> Option<i64> {
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let num = |t: &str, n: usize| digits(t, n).then(|| t.parse::<i64>().ok()).flatten();
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut ymd = date.split('-');
    let (y, m, d) = (
        num(ymd.next()?, 4)?,
        num(ymd.next()?, 2)?,
        num(ymd.next()?, 2)?,
    );
    if ymd.next().is_some() || y < 1970 {
        return None;
    }
    // A day the month does not have (`2024-02-30`) is no date (jiff refuses it).
    let date = jiff::civil::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    let day = jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .ok()?
        .as_second();
    let Some(time) = time else {
        return Some(day);
    };
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else {
        let at = time.len().checked_sub(6)?;
        let (c, z) = (time.get(..at)?, time.get(at..)?);
        let sign = match z.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return None,
        };
        let (zh, zm) = z.get(1..)?.split_once(':')?;
        (c, sign * (num(zh, 2)? * 3600 + num(zm, 2)? * 60))
    };
    let mut hms = clock.split(':');
    let (h, mi, sec) = (
        num(hms.next()?, 2)?,
        num(hms.next()?, 2)?,
        num(hms.next()?, 2)?,
    );
    if hms.next().is_some() || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(day + h * 3600 + mi * 60 + sec - offset)
}

/// The ways [`render_date`] writes an instant (all read by [`date_secs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `1704067200`.
    Epoch,
    /// `2024-01-01T00:00:00Z`.
    Utc,
    /// `2024-01-01` (the instant's day; midnight when read back).
    Day,
    /// `2024-01-01T01:30:00+01:30` (the same instant at UTC+01:30).
    Offset,
    /// `2023-12-31T19:00:00-05:00` (the same instant at UTC−05:00).
    NegativeOffset,
}

impl DateForm {
    /// Every form.
    pub const ALL: [DateForm; 5] = [
        DateForm::Epoch,
        DateForm::Utc,
        DateForm::Day,
        DateForm::Offset,
        DateForm::NegativeOffset,
    ];
}

/// Write epoch seconds `secs` (from 1970 on) in `form`. An instant whose date has no
/// four-digit year (a 12-digit epoch read by [`date_secs`] can be in the year 33658) is
/// written as epoch seconds whatever the form, so that [`date_secs`] reads it back.
pub fn render_date(secs: i64, form: DateForm) -> String {
    let civil = crate::util::utc_civil;
    let at = |secs: i64, zone: &str| {
        let (y, m, d, h, mi, s) = civil(secs)?;
        Some(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{zone}"))
    };
    let text = match form {
        DateForm::Epoch => None,
        DateForm::Utc => at(secs, "Z"),
        DateForm::Day => civil(secs).map(|(y, m, d, ..)| format!("{y:04}-{m:02}-{d:02}")),
        DateForm::Offset => at(secs + 5400, "+01:30"),
        DateForm::NegativeOffset => at(secs - 18_000, "-05:00"),
    };
    text.unwrap_or_else(|| secs.to_string())
}

/// `Bool` and `Null` values: `true`/`false` in any case.
pub fn bool_of(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// `IpAddress`: whether `addr` lies in `cidr` (an address without a prefix is `/32` or
/// `/128`). A prefix longer than the address, or an address of the other family, is no
/// match.
pub fn cidr_contains(cidr: &str, addr: &str) -> bool {
    let Ok(a) = addr.parse::<IpAddr>() else {
        return false;
    };
    let (net, prefix) = match cidr.split_once('/') {
        Some((n, p)) => match p.parse::<u32>() {
            Ok(p) => (n, Some(p)),
            Err(_) => return false,
        },
        None => (cidr, None),
    };
    let Ok(n) = net.parse::<IpAddr>() else {
        return false;
    };
    // Equal after dropping the host bits: the XOR has no set bit in the prefix.
    match (n, a) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let p = prefix.unwrap_or(32);
            p <= 32
                && (u32::from(n) ^ u32::from(a))
                    .checked_shr(32 - p)
                    .unwrap_or(0)
                    == 0
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let p = prefix.unwrap_or(128);
            p <= 128
                && (u128::from(n) ^ u128::from(a))
                    .checked_shr(128 - p)
                    .unwrap_or(0)
                    == 0
        }
        _ => false,
    }
}

/// The standard base64 alphabet (RFC 4648 §4).
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 of `bytes`, with or without `=` padding.
pub fn b64_encode(bytes: &[u8], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
        }
        if pad {
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
    }
    out
}

/// The bytes of standard base64 text, padded or not; `None` when a character is outside
/// the alphabet. Lenient about leftover bits, so only canonical encodings (what
/// [`b64_encode`] writes) are in domain.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in body.bytes() {
        let v = B64.iter().position(|b| *b == c)? as u32;
        bits = (bits << 6 | v) & 0xffff;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(s: &str) -> Operator {
        s.parse().unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn glob_matches_like_the_user_guide() {
        for (p, t, want) in [
            ("", "", true),
            ("*", "", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("**a**", "xa", true),
            ("A*", "abc", false),
            ("é?", "éÉ", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXcYb", false),
        ] {
            assert_eq!(glob(p, t), want, "{p:?} {t:?}");
        }
    }

    #[test]
    fn arn_components_do_not_let_wildcards_cross_colons() {
        assert!(arn_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/k:x"));
        assert!(arn_matches(
            "arn:aws:iam::*:role/?",
            "arn:aws:iam::111122223333:role/r"
        ));
        assert!(!arn_matches("arn:aws:*:*:*:*", "arn:aws:s3"));
        assert!(!arn_matches("arn:*:*:*:*:*", "x"));
    }

    #[test]
    fn numbers_dates_and_bytes_read_back() {
        assert_eq!(hundredths("+1.5"), Some(150));
        assert_eq!(hundredths("-0.25"), Some(-25));
        assert_eq!(hundredths(".5"), Some(50));
        assert_eq!(hundredths("1e3"), None);
        assert_eq!(hundredths("1.255"), None);
        for secs in [86_400, 1_704_067_200, 1_704_070_800, 1_749_990_600] {
            for form in DateForm::ALL {
                let text = render_date(secs, form);
                let day = secs - secs.rem_euclid(86_400);
                let want = if form == DateForm::Day { day } else { secs };
                assert_eq!(date_secs(&text), Some(want), "{text}");
            }
        }
        assert_eq!(
            render_date(1_704_067_200, DateForm::Utc),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            render_date(1_704_067_200, DateForm::NegativeOffset),
            "2023-12-31T19:00:00-05:00"
        );
        assert_eq!(date_secs("yesterday"), None);
        assert_eq!(date_secs("2024-01-01T00:00"), None);
        // jiff's calendar: a day the month lacks is no date (the old arithmetic rolled
        // `2024-02-30` over to 1 March); an instant past year 9999 is written as epoch
        // seconds, which read back.
        assert_eq!(date_secs("2024-02-30"), None);
        assert_eq!(date_secs("2024-02-29"), Some(1_709_164_800));
        let far = render_date(999_999_999_999, DateForm::Utc);
        assert_eq!(date_secs(&far), Some(999_999_999_999));
        for bytes in [&[][..], &[0], &[1, 2], &[3, 0, 255], &[0, 1, 2, 3]] {
            for pad in [false, true] {
                assert_eq!(b64_decode(&b64_encode(bytes, pad)), Some(bytes.to_vec()));
            }
        }
        assert_eq!(b64_encode(b"hello", true), "aGVsbG8=");
    }

    #[test]
    fn networks_contain_their_addresses() {
        assert!(cidr_contains("203.0.113.0/24", "203.0.113.200"));
        assert!(cidr_contains("203.0.113.7", "203.0.113.7"));
        assert!(cidr_contains("0.0.0.0/0", "10.1.2.3"));
        assert!(!cidr_contains("203.0.113.0/33", "203.0.113.0"));
        assert!(!cidr_contains("::/0", "10.1.2.3"));
        assert!(cidr_contains("2001:db8::/32", "2001:db8::1"));
    }

    #[test]
    fn set_operators_and_missing_keys() {
        let pv = strings(&["a"]);
        let none: Option<&[String]> = None;
        let empty: Option<&[String]> = Some(&[]);
        assert!(!holds(op("StringEquals"), &pv, none));
        assert!(holds(op("StringNotEquals"), &pv, none));
        assert!(holds(op("StringEqualsIfExists"), &pv, none));
        assert!(holds(op("ForAllValues:StringEquals"), &pv, empty));
        assert!(!holds(op("ForAnyValue:StringEquals"), &pv, empty));
        let ab = strings(&["a", "b"]);
        assert!(!holds(op("ForAllValues:StringEquals"), &pv, Some(&ab)));
        assert!(holds(op("ForAnyValue:StringEquals"), &pv, Some(&ab)));
        assert!(holds(op("ForAnyValue:StringNotEquals"), &pv, Some(&ab)));
        assert!(!holds(op("StringNotEquals"), &ab, Some(&pv)));
        assert!(holds(op("Null"), &strings(&["TRUE"]), empty));
        assert!(!holds(op("Null"), &strings(&["maybe"]), none));
    }
}
