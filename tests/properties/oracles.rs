//! The matchers and condition operators against references written here from the IAM User
//! Guide, independently of the model: wildcard patterns against regular expressions, and
//! each operator family (with set qualifiers and `IfExists`) against a naive implementation.

// Helpers outside #[test] functions stop the property with a message when an input the
// generators promise is missing: a test failure, which unwrap/expect/panic express.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use iamcr_eval::condition::Condition;
use iamcr_eval::pattern::{Mode, Pattern};
use iamcr_eval::{Context, Principal, Request, ValueType};
use iamcr_policy::{BaseOperator, ConditionValue, Family, Operator, SetQualifier, Span};
use proptest::prelude::*;
use regex::Regex;
use std::net::IpAddr;

fn request() -> Request {
    Request::new(Principal::Anonymous, "s3:GetObject", "*")
}

/// The regex a wildcard pattern means. `segments`: wildcards before the fifth colon stay in
/// their segment; `trailing_crosses`: except a `*` that ends a segment (the `Resource` rule).
fn glob_regex(pattern: &str, segments: bool, trailing_crosses: bool) -> Regex {
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut colons = 0;
    for (i, c) in chars.iter().enumerate() {
        let in_segment = segments && colons < 5;
        match c {
            '*' if in_segment => {
                let ends_segment = chars.get(i + 1).is_none_or(|n| *n == ':');
                re.push_str(if trailing_crosses && ends_segment {
                    "(?s:.*)"
                } else {
                    "[^:]*"
                });
            }
            '?' if in_segment => re.push_str("[^:]"),
            '*' => re.push_str("(?s:.*)"),
            '?' => re.push_str("(?s:.)"),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        if *c == ':' {
            colons += 1;
        }
    }
    re.push('$');
    Regex::new(&re).expect("escaped pattern")
}

fn text_of(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(alphabet), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

const PATTERN_CHARS: &[char] = &['a', 'b', 'A', ':', '/', '*', '?', '$'];
const TEXT_CHARS: &[char] = &['a', 'b', 'A', ':', '/', '$'];

/// A pattern and a text: random, or the pattern with its wildcards filled in (so matches are
/// common).
fn pattern_and_text() -> impl Strategy<Value = (String, String)> {
    (
        text_of(PATTERN_CHARS, 14),
        text_of(TEXT_CHARS, 16),
        proptest::collection::vec(text_of(TEXT_CHARS, 4), 14),
        any::<bool>(),
    )
        .prop_map(|(p, t, fills, fill)| {
            if !fill {
                return (p, t);
            }
            let mut text = String::new();
            for (i, c) in p.chars().enumerate() {
                match c {
                    '*' => text.push_str(&fills[i % fills.len()]),
                    '?' => text.push(fills[i % fills.len()].chars().next().unwrap_or('a')),
                    c => text.push(c),
                }
            }
            (p, text)
        })
}

// ---- naive references for the operator families ----

/// How a condition combines per-value matches (IAM User Guide: condition operators,
/// multivalued context keys, `…IfExists`).
fn combine(
    op: Operator,
    request_values: Option<&[String]>,
    matches: impl Fn(&str) -> bool,
) -> bool {
    let negated = op.base.is_negated();
    match request_values.filter(|v| !v.is_empty()) {
        None => match op.qualifier {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => op.if_exists,
            None => op.if_exists || negated,
        },
        Some(vs) => match op.qualifier {
            None => vs.iter().any(|v| matches(v)) != negated,
            Some(SetQualifier::ForAnyValue) => vs.iter().any(|v| matches(v) != negated),
            Some(SetQualifier::ForAllValues) => vs.iter().all(|v| matches(v) != negated),
        },
    }
}

fn glob(pattern: &str, text: &str) -> bool {
    glob_regex(pattern, false, false).is_match(text)
}

/// Decimal text → hundredths (the generated numbers have at most two decimals).
fn hundredths(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 2
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let v = int * 100 + frac;
    Some(if neg { -v } else { v })
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Epoch seconds of the date forms generated below.
fn date_secs(s: &str) -> Option<i64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let num = |t: &str| t.parse::<i64>().ok();
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let mut ymd = date.split('-');
    let (y, m, d) = (num(ymd.next()?)?, num(ymd.next()?)?, num(ymd.next()?)?);
    let day = days_from_civil(y, m, d) * 86_400;
    if time.is_empty() {
        return Some(day);
    }
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else {
        let (c, z) = time.split_at(time.len() - 6);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        (c, sign * (num(&z[1..3])? * 3600 + num(&z[4..6])? * 60))
    };
    let mut hms = clock.split(':');
    let secs = num(hms.next()?)? * 3600 + num(hms.next()?)? * 60 + num(hms.next()?)?;
    Some(day + secs - offset)
}

fn render_date(secs: i64, form: u8) -> String {
    let days = secs.div_euclid(86_400);
    // Civil date by search from the reference function (small range, clear code).
    let mut y = 1970 + days / 366;
    while days_from_civil(y + 1, 1, 1) <= days {
        y += 1;
    }
    let mut m = 1;
    while m < 12 && days_from_civil(y, m + 1, 1) <= days {
        m += 1;
    }
    let d = days - days_from_civil(y, m, 1) + 1;
    let rem = secs.rem_euclid(86_400);
    let (h, mi, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    match form {
        0 => secs.to_string(),
        1 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        2 => format!("{y:04}-{m:02}-{d:02}"),
        _ => {
            // The same instant written at UTC+01:30.
            let local = secs + 5400;
            let rendered = render_date(local, 1);
            format!("{}+01:30", rendered.trim_end_matches('Z'))
        }
    }
}

fn bool_of(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn cidr_contains(cidr: &str, addr: &str) -> bool {
    let Ok(a) = addr.parse::<IpAddr>() else {
        return false;
    };
    let (net, prefix) = match cidr.split_once('/') {
        Some((n, p)) => (n, p.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let Ok(n) = net.parse::<IpAddr>() else {
        return false;
    };
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

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_encode(bytes: &[u8], pad: bool) -> String {
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

fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    let mut bits: u32 = 0;
    let mut n = 0;
    let mut out = Vec::new();
    for c in body.bytes() {
        let v = B64.iter().position(|b| *b == c)? as u32;
        bits = bits << 6 | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n & 0xff) as u8);
        }
    }
    Some(out)
}

fn arn_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let t: Vec<&str> = text.splitn(6, ':').collect();
    p.len() == t.len() && p.iter().zip(&t).all(|(p, t)| glob(p, t))
}

/// The reference per-value test of a family's positive operator.
fn positive(base: BaseOperator, pv: &str, rv: &str) -> bool {
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
        BinaryEquals => match b64_decode(pv) {
            Some(p) => b64_decode(rv) == Some(p),
            None => pv == rv,
        },
        IpAddress => cidr_contains(pv, rv),
        ArnEquals | ArnLike => arn_matches(pv, rv),
        _ => false,
    }
}

/// One generated condition check: operator, policy values, request values (None: absent).
#[derive(Debug, Clone)]
struct Check {
    op: Operator,
    policy: Vec<ConditionValue>,
    request: Option<(bool, Vec<String>)>,
}

fn operator(family: Family, qualifiers: bool) -> impl Strategy<Value = Operator> {
    let bases: Vec<BaseOperator> = BaseOperator::ALL
        .into_iter()
        .filter(|b| b.family() == family)
        .collect();
    let qs = if qualifiers {
        vec![
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ]
    } else {
        vec![None]
    };
    (
        proptest::sample::select(bases),
        proptest::sample::select(qs),
        any::<bool>(),
    )
        .prop_map(move |(base, qualifier, if_exists)| Operator {
            qualifier,
            base,
            if_exists: if_exists && family != Family::Null,
        })
}

fn check(
    family: Family,
    value: impl Strategy<Value = String> + Clone,
    policy_value: impl Strategy<Value = ConditionValue>,
) -> impl Strategy<Value = Check> {
    let request = prop_oneof![
        1 => Just(None),
        4 => (any::<bool>(), proptest::collection::vec(value, 0..4)).prop_map(|(multi, mut v)| {
            if !multi { v.truncate(1); if v.is_empty() { v.push(String::new()); } }
            Some((multi, v))
        }),
    ];
    (
        operator(family, family != Family::Null),
        proptest::collection::vec(policy_value, 1..4),
        request,
    )
        .prop_map(|(op, policy, request)| Check {
            op,
            policy,
            request,
        })
}

fn run(c: &Check, ty: ValueType) -> Result<(), TestCaseError> {
    let key = "ext:Key";
    let mut ctx = Context::new();
    if let Some((multi, values)) = &c.request {
        ctx.insert(key, ty, *multi, values.clone());
    }
    let req = Request::with_context(Principal::Anonymous, "s3:GetObject", "*", None, ctx);
    let got = Condition::new(c.op, "EXT:key", Span::default(), &c.policy, false)
        .evaluate(&req)
        .holds;
    let texts: Vec<String> = c.policy.iter().map(|v| v.as_text().into_owned()).collect();
    let values = c.request.as_ref().map(|(_, v)| v.as_slice());
    let expect = if c.op.base == BaseOperator::Null {
        let present = values.is_some_and(|v| !v.is_empty());
        texts
            .iter()
            .any(|t| bool_of(t).is_some_and(|b| b != present))
    } else {
        combine(c.op, values, |rv| {
            texts.iter().any(|pv| positive(c.op.base, pv, rv))
        })
    };
    prop_assert_eq!(got, expect, "{:?}", c);
    Ok(())
}

fn strings() -> impl Strategy<Value = String> + Clone {
    proptest::sample::select(vec!["", "a", "A", "ab", "aB", "b", "ba", "a:b", "é", "É"])
        .prop_map(str::to_string)
}

fn string_patterns() -> impl Strategy<Value = ConditionValue> {
    proptest::sample::select(vec![
        "", "a", "A", "ab", "a*", "*b", "?", "??", "*", "a?", "é", "É*",
    ])
    .prop_map(|s| ConditionValue::String(s.into()))
}

fn numbers() -> impl Strategy<Value = String> + Clone {
    (-30i64..30, 0u8..4, any::<bool>()).prop_map(|(n, style, plus)| {
        let sign = if n < 0 {
            "-"
        } else if plus {
            "+"
        } else {
            ""
        };
        let a = n.abs();
        match style {
            0 => format!("{sign}{a}"),
            1 => format!("{sign}{a}.0"),
            2 => format!("{sign}{}.{}", a / 10, a % 10),
            _ => format!("{sign}{}.{}0", a / 10, a % 10),
        }
    })
}

fn dates() -> impl Strategy<Value = String> + Clone {
    // Instants on a few days, on the hour, so that forms and comparisons collide often.
    (0i64..4, 0i64..3, 0u8..4).prop_map(|(day, hour, form)| {
        let secs = 1_704_067_200 + day * 86_400 + hour * 3600;
        render_date(
            if form == 2 {
                secs - secs.rem_euclid(86_400)
            } else {
                secs
            },
            form,
        )
    })
}

proptest! {
    #![proptest_config(crate::support::config())]

    #[test]
    fn plain_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::Plain, false).matches(&text, &request()).is_match();
        prop_assert_eq!(got, glob_regex(&pattern, false, false).is_match(&text), "{:?} {:?}", pattern, text);
    }

    #[test]
    fn resource_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::ResourceElement, false).matches(&text, &request()).is_match();
        prop_assert_eq!(got, glob_regex(&pattern, true, true).is_match(&text), "{:?} {:?}", pattern, text);
    }

    /// `ArnLike`: "Each of the six colon-delimited components of the ARN is checked
    /// separately" (UG, condition operators), so no wildcard crosses a colon before the
    /// resource part — whatever the number of components the pattern has (as
    /// `docs/evaluation.md` states, and as the model does for a pattern with variables).
    /// The one exception, also in `docs/evaluation.md`: a pattern that is just `*` matches
    /// any value.
    #[test]
    fn arn_like_wildcards_agree_with_a_regex((pattern, text) in pattern_and_text()) {
        let got = Pattern::new(&pattern, Mode::ArnComponents, false).matches(&text, &request()).is_match();
        let want = pattern == "*" || glob_regex(&pattern, true, false).is_match(&text);
        prop_assert_eq!(got, want, "{:?} {:?}", pattern, text);
    }

    #[test]
    fn string_operators_agree_with_the_reference(c in check(Family::String, strings(), string_patterns())) {
        run(&c, ValueType::String)?;
    }

    #[test]
    fn numeric_operators_agree_with_the_reference(c in check(Family::Numeric, numbers(), prop_oneof![
        4 => numbers().prop_map(ConditionValue::Number),
        2 => numbers().prop_map(ConditionValue::String),
        1 => Just(ConditionValue::String("ten".into())),
    ])) {
        run(&c, ValueType::Numeric)?;
    }

    #[test]
    fn date_operators_agree_with_the_reference(c in check(Family::Date, dates(), prop_oneof![
        6 => dates().prop_map(ConditionValue::String),
        1 => Just(ConditionValue::String("yesterday".into())),
    ])) {
        run(&c, ValueType::Date)?;
    }

    #[test]
    fn bool_operator_agrees_with_the_reference(c in check(Family::Bool,
        proptest::sample::select(vec!["true", "false", "True", "FALSE", "1"]).prop_map(str::to_string),
        prop_oneof![
            any::<bool>().prop_map(ConditionValue::Bool),
            proptest::sample::select(vec!["true", "false", "TRUE", "yes"]).prop_map(|s| ConditionValue::String(s.into())),
        ])) {
        run(&c, ValueType::Boolean)?;
    }

    #[test]
    fn binary_operator_agrees_with_the_reference(c in check(Family::Binary,
        (proptest::collection::vec(0u8..4, 0..5), any::<bool>()).prop_map(|(b, pad)| b64_encode(&b, pad)),
        prop_oneof![
            4 => (proptest::collection::vec(0u8..4, 0..5), any::<bool>()).prop_map(|(b, pad)| ConditionValue::String(b64_encode(&b, pad))),
            1 => Just(ConditionValue::String("not base64!".into())),
        ])) {
        run(&c, ValueType::Binary)?;
    }

    #[test]
    fn ip_operators_agree_with_the_reference(c in check(Family::Ip,
        proptest::sample::select(vec!["203.0.113.7", "203.0.113.200", "203.0.114.1", "10.1.2.3", "2001:db8::1", "2001:db9::1"]).prop_map(str::to_string),
        proptest::sample::select(vec!["203.0.113.0/24", "203.0.113.7", "203.0.113.7/32", "203.0.0.0/16", "0.0.0.0/0", "10.0.0.0/8",
            "2001:db8::/32", "2001:db8::1", "::/0", "300.1.1.1", "203.0.113.0/33"]).prop_map(|s| ConditionValue::String(s.into())),
    )) {
        run(&c, ValueType::Ip)?;
    }

    #[test]
    fn arn_operators_agree_with_the_reference(c in check(Family::Arn,
        proptest::sample::select(vec!["arn:aws:s3:::b", "arn:aws:s3:::b/k:x", "arn:aws:iam::111122223333:role/r",
            "arn:aws:cleanrooms:us-east-1:111122223333:membership/m", "arn:aws:s3", "x"]).prop_map(str::to_string),
        // Six-component patterns: the User Guide's domain. Shorter ones are the subject of
        // `arn_like_wildcards_agree_with_a_regex`.
        proptest::sample::select(vec!["arn:aws:s3:::b", "arn:aws:s3:::*", "arn:aws:s3:::b/*", "arn:aws:*:*:*:*", "arn:aws:s?:::*",
            "arn:aws:iam::*:role/?", "arn:aws:cleanrooms:*:111122223333:membership/*", "arn:aws:s3:::b/k:?", "arn:*:*:*:*:*"])
            .prop_map(|s| ConditionValue::String(s.into())),
    )) {
        run(&c, ValueType::String)?;
    }

    #[test]
    fn null_operator_agrees_with_the_reference(c in check(Family::Null, strings(), prop_oneof![
        any::<bool>().prop_map(ConditionValue::Bool),
        proptest::sample::select(vec!["true", "false", "TRUE", "maybe"]).prop_map(|s| ConditionValue::String(s.into())),
    ])) {
        run(&c, ValueType::String)?;
    }
}
