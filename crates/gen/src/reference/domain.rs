//! Condition checks inside the reference's value domain, drawn from [`Unstructured`]: an
//! operator of any family (with `IfExists`, `ForAllValues:`, `ForAnyValue:` wherever AWS
//! takes them), policy values and the request's values for the key.
//!
//! Values come from small alphabets and pools so that policy and request values collide
//! often, and half of the policy values are *aimed*: derived from one of the request's values
//! (the same number written another way, the address's network, the ARN with a component
//! wildcarded, …), so that matches are as common as misses. As in the rest of the crate, no
//! data means the plainest choice.

use super::{DateForm, b64_decode, b64_encode, date_secs, hundredths, render_date};
use crate::util::{R, chance, count, pick, pick_str};
use arbitrary::Unstructured;
use iamcr_policy::{BaseOperator, ConditionValue, Family, Operator, SetQualifier};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One condition check: `operator: { key: policy_values }` against the request's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The operator.
    pub operator: Operator,
    /// The policy values (one to three).
    pub policy_values: Vec<ConditionValue>,
    /// The request's values for the key; `None` when the request does not have the key.
    pub request: Option<RequestValues>,
}

/// What the request context holds for the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestValues {
    /// Whether the key is multivalued (a list, possibly empty) or has exactly one value.
    pub multivalued: bool,
    /// The values.
    pub values: Vec<String>,
}

impl Check {
    /// The operator's family.
    pub fn family(&self) -> Family {
        self.operator.base.family()
    }

    /// The policy values as text (what [`super::holds`] takes).
    pub fn policy_texts(&self) -> Vec<String> {
        self.policy_values
            .iter()
            .map(|v| v.as_text().into_owned())
            .collect()
    }

    /// The reference's answer: [`super::holds`].
    pub fn expected(&self) -> bool {
        super::holds(
            self.operator,
            &self.policy_texts(),
            self.request.as_ref().map(|r| r.values.as_slice()),
        )
    }
}

/// A check of a family chosen from the data.
pub fn check(u: &mut Unstructured<'_>) -> R<Check> {
    let family = *pick(u, &Family::ALL)?;
    check_of(u, family)
}

/// A check of `family`: the operator, then the request's values, then policy values aimed
/// at them half of the time.
pub fn check_of(u: &mut Unstructured<'_>, family: Family) -> R<Check> {
    let operator = operator(u, family)?;
    let request = if chance(u, 20)? {
        None
    } else if chance(u, 50)? {
        let n = count(u, 0, 3)?;
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            values.push(request_value(u, family)?);
        }
        Some(RequestValues {
            multivalued: true,
            values,
        })
    } else {
        Some(RequestValues {
            multivalued: false,
            values: vec![request_value(u, family)?],
        })
    };
    let aim = request.as_ref().map_or(&[][..], |r| r.values.as_slice());
    let n = count(u, 1, 3)?;
    let mut policy_values = Vec::with_capacity(n);
    for _ in 0..n {
        policy_values.push(policy_value(u, family, aim)?);
    }
    Ok(Check {
        operator,
        policy_values,
        request,
    })
}

/// An operator of `family`: any of its base operators, with `ForAllValues:`/`ForAnyValue:`
/// and `…IfExists` for every family but `Null` ("…IfExists: any operator except Null"; the
/// set operators qualify a comparison of values, which `Null` does not make).
pub fn operator(u: &mut Unstructured<'_>, family: Family) -> R<Operator> {
    let bases: Vec<BaseOperator> = BaseOperator::ALL
        .into_iter()
        .filter(|b| b.family() == family)
        .collect();
    let base = *pick(u, &bases)?;
    if family == Family::Null {
        return Ok(Operator::plain(base));
    }
    let qualifier = *pick(
        u,
        &[
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ],
    )?;
    Ok(Operator {
        qualifier,
        base,
        if_exists: u.arbitrary()?,
    })
}

/// Characters of request strings: letters in both cases (Latin-1 included), a colon, and
/// the wildcard characters, which are plain text on the request side.
const TEXT_CHARS: &[char] = &['a', 'A', 'b', 'é', 'É', ':', '*', '?'];
/// Characters of policy strings: the same, with the wildcards weighted up.
const PATTERN_CHARS: &[char] = &['a', 'A', 'b', 'é', 'É', ':', '*', '?', '*', '?'];

fn text(u: &mut Unstructured<'_>, chars: &[char], max: usize) -> R<String> {
    let n = count(u, 0, max)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        s.push(*pick(u, chars)?);
    }
    Ok(s)
}

/// A request value of `family`, in the reference's domain.
pub fn request_value(u: &mut Unstructured<'_>, family: Family) -> R<String> {
    Ok(match family {
        Family::String | Family::Null => text(u, TEXT_CHARS, 4)?,
        Family::Numeric if chance(u, 6)? => "ten".to_string(),
        Family::Numeric => {
            let v = number(u)?;
            number_text(u, v)?
        }
        Family::Date if chance(u, 6)? => "yesterday".to_string(),
        Family::Date => render_date(instant(u)?, *pick(u, &DateForm::ALL)?),
        Family::Bool => pick_str(u, &["true", "false", "True", "FALSE", "1", ""])?,
        Family::Binary if chance(u, 6)? => "not base64!".to_string(),
        Family::Binary => b64_encode(&bytes(u)?, u.arbitrary()?),
        Family::Ip => address(u)?.to_string(),
        Family::Arn if chance(u, 10)? => pick_str(u, &["arn:aws:s3", "x", ""])?,
        Family::Arn => arn(u)?,
    })
}

/// A policy value of `family`: aimed at one of `aim` (the request's values) half of the
/// time, else drawn like a request value, or a value that is not of the family's type.
pub fn policy_value(u: &mut Unstructured<'_>, family: Family, aim: &[String]) -> R<ConditionValue> {
    let target = if !aim.is_empty() && chance(u, 50)? {
        Some(pick(u, aim)?.as_str())
    } else {
        None
    };
    let string = ConditionValue::String;
    Ok(match family {
        Family::String => string(match target {
            Some(t) => like(u, t)?,
            None => text(u, PATTERN_CHARS, 4)?,
        }),
        Family::Numeric => {
            let v = match target.and_then(hundredths) {
                Some(v) => v + *pick(u, &[0, 0, 1, -1, 10, -100])?,
                None if chance(u, 8)? => return Ok(string("ten".into())),
                None => number(u)?,
            };
            let t = number_text(u, v)?;
            if is_json_number(&t) && chance(u, 50)? {
                ConditionValue::Number(t)
            } else {
                string(t)
            }
        }
        Family::Date => {
            let secs = match target.and_then(date_secs) {
                Some(s) => s + *pick(u, &[0, 0, 1, -1, 3600, -86_400])?,
                None if chance(u, 8)? => return Ok(string("yesterday".into())),
                None => instant(u)?,
            };
            string(render_date(secs, *pick(u, &DateForm::ALL)?))
        }
        Family::Bool | Family::Null => match target {
            Some(t) if chance(u, 50)? => string(t.to_string()),
            _ if chance(u, 50)? => ConditionValue::Bool(u.arbitrary()?),
            _ => string(pick_str(u, &["true", "false", "TRUE", "yes", "maybe"])?),
        },
        Family::Binary => match target.and_then(b64_decode) {
            // The same bytes, padded or not.
            Some(b) => string(b64_encode(&b, u.arbitrary()?)),
            None if chance(u, 10)? => string("not base64!".into()),
            None => string(b64_encode(&bytes(u)?, u.arbitrary()?)),
        },
        Family::Ip => {
            let addr = match target.and_then(|t| t.parse::<IpAddr>().ok()) {
                Some(a) => a,
                None => address(u)?,
            };
            string(cidr(u, addr)?)
        }
        Family::Arn => string(match target {
            Some(t) if t.split(':').count() >= 6 => arn_pattern(u, t)?,
            _ => {
                let t = arn(u)?;
                arn_pattern(u, &t)?
            }
        }),
    })
}

/// Whether `t` is written as JSON writes a number (`-0.5`, `3`), so that it can stand as
/// [`ConditionValue::Number`]: no `+`, no bare `.` at either end, no leading zero.
fn is_json_number(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let leading_zero = digits.len() > 1
        && digits.starts_with('0')
        && digits[1..].starts_with(|c: char| c.is_ascii_digit());
    !t.starts_with('+') && !digits.starts_with('.') && !t.ends_with('.') && !leading_zero
}

/// A `StringLike`/`StringEquals` value aimed at `t`: `t` itself, a prefix and `*`, one
/// character as `?`, one letter in the other case, or `*`.
fn like(u: &mut Unstructured<'_>, t: &str) -> R<String> {
    let chars: Vec<char> = t.chars().collect();
    let at = count(u, 0, chars.len().saturating_sub(1))?;
    Ok(match u.int_in_range(0u8..=4)? {
        0 => t.to_string(),
        1 => chars.iter().take(at).collect::<String>() + "*",
        2 if !chars.is_empty() => chars
            .iter()
            .enumerate()
            .map(|(i, c)| if i == at { '?' } else { *c })
            .collect(),
        3 => chars
            .iter()
            .enumerate()
            .map(|(i, c)| match (i == at, *c) {
                (true, 'a') => 'A',
                (true, 'A') => 'a',
                (true, 'é') => 'É',
                (true, 'É') => 'é',
                (_, c) => c,
            })
            .collect(),
        _ => "*".to_string(),
    })
}

/// A number in hundredths: small integers and fractions, so that values collide.
fn number(u: &mut Unstructured<'_>) -> R<i64> {
    let whole = u.int_in_range(-3i64..=3)?;
    let frac = *pick(u, &[0, 0, 50, 5, 25])?;
    Ok(whole * 100 + if whole < 0 { -frac } else { frac })
}

/// `v` hundredths as text in one of the forms the reference reads: `3`, `3.0`, `3.00`,
/// `+3`, `03`, `3.`, `.5`, `-0`.
fn number_text(u: &mut Unstructured<'_>, v: i64) -> R<String> {
    let sign = if v < 0 {
        "-"
    } else if chance(u, 15)? {
        // `+0` and `-0` are zero too.
        *pick(u, &["+", "-"])?
    } else {
        ""
    };
    let (whole, frac) = (v.unsigned_abs() / 100, v.unsigned_abs() % 100);
    let two = format!("{frac:02}");
    let short = two.trim_end_matches('0');
    Ok(match u.int_in_range(0u8..=3)? {
        0 if frac == 0 => format!("{sign}{whole}"),
        1 if frac == 0 => format!("{sign}{whole}."),
        1 if whole == 0 => format!("{sign}.{short}"),
        2 => format!("{sign}0{whole}.{two}"),
        3 => format!("{sign}{whole}.{two}"),
        _ if frac == 0 => format!("{sign}{whole}.0"),
        _ => format!("{sign}{whole}.{short}"),
    })
}

/// An instant on a few days and hours around 2024-01-01, so that dates collide.
fn instant(u: &mut Unstructured<'_>) -> R<i64> {
    let day = u.int_in_range(0i64..=3)?;
    let hour = *pick(u, &[0i64, 1, 5, 23])?;
    Ok(1_704_067_200 + day * 86_400 + hour * 3600)
}

/// Zero to four bytes from a small set (so that encodings collide).
fn bytes(u: &mut Unstructured<'_>) -> R<Vec<u8>> {
    let n = count(u, 0, 4)?;
    let mut b = Vec::with_capacity(n);
    for _ in 0..n {
        b.push(*pick(u, &[0u8, 1, 2, 0xff])?);
    }
    Ok(b)
}

/// An IPv4 or IPv6 address near the documentation ranges.
fn address(u: &mut Unstructured<'_>) -> R<IpAddr> {
    Ok(if chance(u, 25)? {
        let last = *pick(u, &[1u16, 2, 0xff])?;
        let group = *pick(u, &[0xdb8u16, 0xdb9])?;
        IpAddr::V6(Ipv6Addr::new(0x2001, group, 0, 0, 0, 0, 0, last))
    } else {
        let [a, b, c] = *pick(u, &[[203u8, 0, 113], [203, 0, 114], [10, 1, 2]])?;
        IpAddr::V4(Ipv4Addr::new(a, b, c, *pick(u, &[7u8, 200, 0, 255])?))
    })
}

/// A CIDR for `addr`: a prefix from 0 to one past the longest (out of domain for AWS and a
/// match for nothing), with the host bits kept or cleared, or the bare address; rarely an
/// address that is not one.
fn cidr(u: &mut Unstructured<'_>, addr: IpAddr) -> R<String> {
    if chance(u, 5)? {
        return pick_str(u, &["300.1.1.1", "::/0", "0.0.0.0/0"]);
    }
    let (max, prefixes): (u32, &[u32]) = match addr {
        IpAddr::V4(_) => (32, &[0, 8, 16, 24, 25, 31, 32, 33]),
        IpAddr::V6(_) => (128, &[0, 16, 32, 64, 127, 128, 129]),
    };
    let prefix = *pick(u, prefixes)?;
    if prefix == max && chance(u, 30)? {
        return Ok(addr.to_string());
    }
    let net = if chance(u, 50)? {
        addr
    } else {
        match addr {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(32 - prefix.min(32)).unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(128 - prefix.min(128)).unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
            }
        }
    };
    Ok(format!("{net}/{prefix}"))
}

/// A six-component ARN from small pools (empty region and account included, as S3 and IAM
/// write them; a resource part may hold a colon).
fn arn(u: &mut Unstructured<'_>) -> R<String> {
    let service = pick(u, &["s3", "iam", "cleanrooms"])?;
    let region = pick(u, &["", "us-east-1", "us-west-2"])?;
    let account = pick(u, &["", "111122223333", "444455556666"])?;
    let resource = pick(
        u,
        &["b", "b/k:x", "role/r", "membership/m", "membership/m/t", ""],
    )?;
    Ok(format!("arn:aws:{service}:{region}:{account}:{resource}"))
}

/// An `ArnLike` pattern of six components aimed at the ARN `t`: each component kept,
/// replaced by `*`, cut to a prefix and `*`, or given a `?` for one character.
fn arn_pattern(u: &mut Unstructured<'_>, t: &str) -> R<String> {
    let mut parts: Vec<String> = iamcr_case::arn::components(t).map(str::to_string).collect();
    for part in &mut parts {
        let chars: Vec<char> = part.chars().collect();
        let at = count(u, 0, chars.len().saturating_sub(1))?;
        *part = match u.int_in_range(0u8..=5)? {
            1 => "*".to_string(),
            2 => chars.iter().take(at).collect::<String>() + "*",
            3 if !chars.is_empty() => chars
                .iter()
                .enumerate()
                .map(|(i, c)| if i == at { '?' } else { *c })
                .collect(),
            _ => std::mem::take(part),
        };
    }
    Ok(parts.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draw many checks from pseudo-random bytes.
    fn checks() -> Vec<Check> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..4000)
            .map(|_| {
                let data: Vec<u8> = (0..96)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state as u8
                    })
                    .collect();
                check(&mut Unstructured::new(&data)).unwrap()
            })
            .collect()
    }

    #[test]
    fn every_family_and_both_answers_occur() {
        let all = checks();
        for family in Family::ALL {
            for want in [false, true] {
                assert!(
                    all.iter()
                        .any(|c| c.family() == family && c.expected() == want),
                    "{family:?} never {want}"
                );
            }
        }
    }

    #[test]
    fn values_stay_in_the_domain() {
        for c in checks() {
            let request = c.request.iter().flat_map(|r| r.values.iter());
            match c.family() {
                Family::Numeric => {
                    for v in request.chain(&c.policy_texts()) {
                        assert!(v == "ten" || hundredths(v).is_some(), "{v}");
                    }
                }
                Family::Date => {
                    for v in request.chain(&c.policy_texts()) {
                        assert!(v == "yesterday" || date_secs(v).is_some(), "{v}");
                    }
                }
                Family::Arn => {
                    for p in c.policy_texts() {
                        assert_eq!(iamcr_case::arn::components(&p).count(), 6, "{p}");
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn no_data_means_a_plain_check() {
        let c = check(&mut Unstructured::new(&[])).unwrap();
        assert_eq!(c.operator, Operator::plain(BaseOperator::StringEquals));
        assert_eq!(c.policy_values, vec![ConditionValue::String(String::new())]);
        assert!(c.expected());
    }
}
