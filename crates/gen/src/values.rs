//! Typed values: what a request carries for a key, and what a policy compares it with —
//! aimed at the request's value, a near miss of it, or another value of the same pool.

use crate::settings::Settings;
use crate::util::{
    R, chance, change_one_char, count, flip_one_case, pick, pick_str, utc_civil, wild_text,
};
use crate::vocab::{self, Domain, KeySpec};
use arbitrary::Unstructured;
use iamcr_case::{Arn, arn};
use iamcr_policy::{BaseOperator, ConditionValue, Family};
use std::net::IpAddr;

/// Values of `spec` for a request context (one value for single-valued keys; zero to three
/// distinct values for multivalued ones).
pub(crate) fn request_values(u: &mut Unstructured<'_>, spec: &KeySpec) -> R<Vec<String>> {
    if !spec.multivalued {
        return Ok(vec![request_value(u, spec.domain)?]);
    }
    let n = count(u, 1, 3)?;
    // One in eight multivalued keys is present with no values (ForAllValues/ForAnyValue on
    // an empty set).
    if chance(u, 12)? {
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let v = request_value(u, spec.domain)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

/// One request value of a domain.
pub(crate) fn request_value(u: &mut Unstructured<'_>, domain: Domain) -> R<String> {
    Ok(match domain {
        Domain::Tag => pick_str(u, &vocab::TAG_VALUES)?,
        Domain::TagKey => pick_str(u, &vocab::TAG_KEYS)?,
        Domain::Account => pick_str(u, &vocab::ACCOUNTS)?,
        Domain::OrgId => pick_str(u, &vocab::ORG_IDS)?,
        Domain::OrgPath => pick_str(u, &vocab::ORG_PATHS)?,
        Domain::Region => pick_str(u, &vocab::REGIONS)?,
        Domain::Collaboration => pick_str(u, &vocab::COLLABORATION_IDS)?,
        Domain::S3Prefix => pick_str(u, &vocab::S3_PREFIXES)?,
        Domain::Service => pick_str(u, &vocab::SERVICES)?,
        Domain::ExternalId => pick_str(u, &vocab::EXTERNAL_IDS)?,
        Domain::Vpce => pick_str(u, &vocab::VPCES)?,
        Domain::PrincipalType => pick_str(u, &["User", "AssumedRole", "FederatedUser", "Account"])?,
        Domain::UserName => pick_str(u, &vocab::USERS)?,
        Domain::UserId => format!(
            "{}:{}",
            pick(u, &vocab::ACCOUNTS)?,
            pick(u, &vocab::FEDERATED)?
        ),
        Domain::SourceArn => source_arn(u)?,
        Domain::PrincipalArn => format!(
            "arn:aws:iam::{}:role/{}",
            pick(u, &vocab::ACCOUNTS)?,
            pick(u, &vocab::ROLES)?
        ),
        Domain::Number => tenths_text(*pick(u, &vocab::TENTHS)?, false),
        Domain::Tls => pick_str(u, &["1.2", "1.3"])?,
        Domain::Date => {
            let form = *pick(u, &[DateForm::Full, DateForm::Millis, DateForm::Offset])?;
            render_date(*pick(u, &vocab::INSTANTS)?, form)
        }
        Domain::Epoch => render_date(*pick(u, &vocab::INSTANTS)?, DateForm::Epoch),
        Domain::Bool => pick_str(u, &["true", "false"])?,
        Domain::Ip => pick_str(u, &vocab::IPS)?,
        Domain::Binary => pick_str(u, &vocab::BASE64)?,
    })
}

/// A Clean Rooms membership or collaboration ARN (what `aws:SourceArn` holds when Clean
/// Rooms acts for a membership).
pub(crate) fn source_arn(u: &mut Unstructured<'_>) -> R<String> {
    let region = pick(u, &vocab::REGIONS)?;
    let account = pick(u, &vocab::ACCOUNTS)?;
    Ok(if chance(u, 30)? {
        let id = pick(u, &vocab::COLLABORATION_IDS)?;
        format!("arn:aws:cleanrooms:{region}:{account}:collaboration/{id}")
    } else {
        let id = pick(u, vocab::placeholder_pool("MembershipId"))?;
        format!("arn:aws:cleanrooms:{region}:{account}:membership/{id}")
    })
}

/// Policy values for one key under `op`, each aimed at one of the request's `aim` values
/// (when the request has the key) with probability `p_target`.
pub(crate) fn policy_values(
    u: &mut Unstructured<'_>,
    s: &Settings,
    op: BaseOperator,
    spec: &KeySpec,
    aim: &[String],
) -> R<Vec<ConditionValue>> {
    let n = count(u, 1, s.max_values)?;
    let mut out: Vec<ConditionValue> = Vec::with_capacity(n);
    for _ in 0..n {
        let target = if !aim.is_empty() && chance(u, s.p_target)? {
            Some(pick(u, aim)?.as_str())
        } else {
            None
        };
        let v = if chance(u, s.p_wild_text)? {
            ConditionValue::String(wild_text(u)?)
        } else {
            policy_value(u, s, op, spec, target)?
        };
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

fn policy_value(
    u: &mut Unstructured<'_>,
    s: &Settings,
    op: BaseOperator,
    spec: &KeySpec,
    target: Option<&str>,
) -> R<ConditionValue> {
    let near = chance(u, s.p_near_miss)?;
    match op.family() {
        Family::String => {
            let base = match target {
                Some(t) => t.to_string(),
                None => request_value(u, spec.domain)?,
            };
            if chance(u, s.p_variables)? {
                return Ok(ConditionValue::String(string_variable(u, spec.domain)?));
            }
            let mut v = if near {
                near_miss_text(u, &base)?
            } else {
                base
            };
            match op.positive() {
                BaseOperator::StringLike if chance(u, 50)? => v = wildcard_text(u, &v)?,
                BaseOperator::StringEqualsIgnoreCase if chance(u, 50)? => {
                    v = flip_one_case(u, &v)?;
                }
                _ => {}
            }
            Ok(ConditionValue::String(v))
        }
        Family::Arn => {
            let base = match target {
                Some(t) => t.to_string(),
                None => match spec.domain {
                    Domain::PrincipalArn | Domain::SourceArn => request_value(u, spec.domain)?,
                    _ => source_arn(u)?,
                },
            };
            let mut v = if near {
                near_miss_arn(u, s, &base)?
            } else {
                base
            };
            if chance(u, 50)? {
                v = wildcard_arn(u, &v)?;
            }
            if chance(u, s.p_variables)? {
                v = arn_variable(&v);
            }
            Ok(ConditionValue::String(v))
        }
        Family::Numeric => {
            let base = match target.and_then(parse_tenths) {
                Some(t) => t,
                None => *pick(u, &vocab::TENTHS)?,
            };
            let delta = *pick(u, &[0, 0, 10, -10, 5, -5, 1])?;
            let delta = if near && delta == 0 { 10 } else { delta };
            let text = tenths_text(base + delta, chance(u, 20)?);
            Ok(if chance(u, 50)? {
                ConditionValue::Number(text)
            } else {
                ConditionValue::String(text)
            })
        }
        Family::Date => {
            let base = match target.and_then(date_seconds) {
                Some(t) => t,
                None => *pick(u, &vocab::INSTANTS)?,
            };
            let delta = *pick(u, &[0, 0, 1, -1, 86_400, -86_400, 31_536_000])?;
            let delta = if near && delta == 0 { 1 } else { delta };
            let form = *pick(u, &DateForm::ALL)?;
            Ok(ConditionValue::String(render_date(base + delta, form)))
        }
        Family::Bool | Family::Null => {
            let base = match target.map(|t| t.eq_ignore_ascii_case("true")) {
                // Null compares presence, not the value: any boolean will do.
                Some(b) if op.family() == Family::Bool => b,
                _ => chance(u, 50)?,
            };
            let b = base != near;
            Ok(if chance(u, 50)? {
                ConditionValue::Bool(b)
            } else if s.well_formed {
                ConditionValue::String(b.to_string())
            } else {
                ConditionValue::String(if b { "TRUE" } else { "False" }.to_string())
            })
        }
        Family::Ip => {
            let addr = target.and_then(|t| t.parse::<IpAddr>().ok());
            Ok(ConditionValue::String(match addr {
                Some(a) if !near => containing_cidr(u, a)?,
                _ => pick_str(u, &vocab::CIDRS)?,
            }))
        }
        Family::Binary => {
            let mut v = match target {
                Some(t) if !near => t.to_string(),
                _ => pick_str(u, &vocab::BASE64)?,
            };
            if chance(u, 25)? {
                // Padding is optional in base64; the bytes are the same.
                v = v.trim_end_matches('=').to_string();
            }
            Ok(ConditionValue::String(v))
        }
    }
}

/// A near miss of a string: one letter's case flipped, or one character changed.
pub(crate) fn near_miss_text(u: &mut Unstructured<'_>, s: &str) -> R<String> {
    if chance(u, 50)? && s.chars().any(|c| c.is_ascii_alphabetic()) {
        flip_one_case(u, s)
    } else {
        change_one_char(u, s)
    }
}

/// A near miss of an ARN: another account or region, the `arn:aw:` partition typo (not in
/// well-formed policies, which must keep a valid partition), or a change in the resource
/// part.
pub(crate) fn near_miss_arn(u: &mut Unstructured<'_>, s: &Settings, arn: &str) -> R<String> {
    let Ok(parsed) = Arn::parse(arn) else {
        return near_miss_text(u, arn);
    };
    let Arn {
        region,
        account,
        resource,
        ..
    } = parsed;
    Ok(match u.int_in_range(0u8..=4)? {
        0 if !account.is_empty() => {
            let other = pick(u, &vocab::ACCOUNTS)?;
            let other = if *other == account {
                vocab::ACCOUNTS[0..2]
                    .iter()
                    .find(|a| **a != account)
                    .copied()
                    .unwrap_or("111122223334")
            } else {
                other
            };
            Arn {
                account: other,
                ..parsed
            }
            .to_string()
        }
        1 if !region.is_empty() => {
            let other = if region == "us-east-1" {
                "us-east-2"
            } else {
                "us-east-1"
            };
            Arn {
                region: other,
                ..parsed
            }
            .to_string()
        }
        2 if !s.well_formed => Arn {
            partition: "aw",
            ..parsed
        }
        .to_string(),
        n => {
            // Mutate the name after the resource type (`membership/` stays), so the ARN
            // still names a resource of the same type; a well-formed ARN with no such name
            // (`:root`) gets another account instead.
            let (kind, name) = split_resource_type(resource);
            let name = match (n, name.is_empty()) {
                (_, true) if s.well_formed => {
                    let other = if account == vocab::ACCOUNTS[0] {
                        vocab::ACCOUNTS[1]
                    } else {
                        vocab::ACCOUNTS[0]
                    };
                    return Ok(Arn {
                        account: other,
                        ..parsed
                    }
                    .to_string());
                }
                (_, true) => change_one_char(u, resource)?,
                (3, false) => flip_one_case(u, name)?,
                _ => change_one_char(u, name)?,
            };
            Arn {
                resource: &format!("{kind}{name}"),
                ..parsed
            }
            .to_string()
        }
    })
}

/// Split a resource part into its type prefix (through the first `/`) and the name after
/// it: `membership/m1/analysistemplate/a` → (`membership/`, `m1/analysistemplate/a`).
pub(crate) fn split_resource_type(resource: &str) -> (&str, &str) {
    match resource.find('/') {
        Some(i) => resource.split_at(i + 1),
        None => ("", ""),
    }
}

/// Turn a value into a `StringLike` pattern that still matches it (mostly).
fn wildcard_text(u: &mut Unstructured<'_>, s: &str) -> R<String> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return Ok("*".to_string());
    }
    let at = count(u, 0, chars.len() - 1)?;
    Ok(match u.int_in_range(0u8..=4)? {
        0 => chars[..at].iter().collect::<String>() + "*",
        1 => chars
            .iter()
            .enumerate()
            .map(|(i, c)| if i == at { '?' } else { *c })
            .collect(),
        2 => format!("*{}", chars[at..].iter().collect::<String>()),
        3 => format!("{}${{*}}", chars[..at].iter().collect::<String>()),
        _ => "*".to_string(),
    })
}

/// Put wildcards into an ARN pattern: the region, the account, the last resource segment or
/// one character.
fn wildcard_arn(u: &mut Unstructured<'_>, arn: &str) -> R<String> {
    let mut parts: Vec<String> = arn::components(arn).map(str::to_string).collect();
    if parts.len() != 6 {
        return wildcard_text(u, arn);
    }
    match u.int_in_range(0u8..=4)? {
        0 if !parts[3].is_empty() => parts[3] = "*".into(),
        1 if !parts[4].is_empty() => parts[4] = "*".into(),
        2 => {
            let r = &parts[5];
            parts[5] = match r.rfind('/') {
                Some(i) => format!("{}*", &r[..=i]),
                None => "*".into(),
            };
        }
        3 => {
            let r = parts[5].clone();
            let chars: Vec<char> = r.chars().collect();
            if !chars.is_empty() {
                let at = count(u, 0, chars.len() - 1)?;
                parts[5] = chars
                    .iter()
                    .enumerate()
                    .map(|(i, c)| if i == at { '?' } else { *c })
                    .collect();
            }
        }
        _ => parts[5] = "*".into(),
    }
    Ok(parts.join(":"))
}

/// A string value written with a policy variable standing for a value of `domain`.
fn string_variable(u: &mut Unstructured<'_>, domain: Domain) -> R<String> {
    Ok(match domain {
        Domain::Account => "${aws:PrincipalAccount}".to_string(),
        Domain::Tag => pick_str(
            u,
            &[
                "${aws:PrincipalTag/team}",
                "${aws:PrincipalTag/team, 'red'}",
                "${aws:ResourceTag/team}",
            ],
        )?,
        Domain::UserName => "${aws:username}".to_string(),
        Domain::S3Prefix => "home/${aws:username}/".to_string(),
        Domain::Service => "${aws:PrincipalServiceName, 'cleanrooms.amazonaws.com'}".to_string(),
        _ => "${aws:PrincipalTag/team, 'default'}".to_string(),
    })
}

/// An ARN pattern with the account written as `${aws:PrincipalAccount}`.
fn arn_variable(arn: &str) -> String {
    match Arn::parse(arn) {
        Ok(a) if !a.account.is_empty() => Arn {
            account: "${aws:PrincipalAccount}",
            ..a
        }
        .to_string(),
        _ => arn.to_string(),
    }
}

/// A CIDR block that contains `addr`: the address itself, or a network of it.
fn containing_cidr(u: &mut Unstructured<'_>, addr: IpAddr) -> R<String> {
    Ok(match addr {
        IpAddr::V4(a) => {
            let prefix = *pick(u, &[32u32, 24, 16, 8, 0])?;
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            let net = std::net::Ipv4Addr::from(u32::from(a) & mask);
            if prefix == 32 && chance(u, 50)? {
                net.to_string()
            } else {
                format!("{net}/{prefix}")
            }
        }
        IpAddr::V6(a) => {
            let prefix = *pick(u, &[128u32, 64, 48, 32, 0])?;
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            let net = std::net::Ipv6Addr::from(u128::from(a) & mask);
            format!("{net}/{prefix}")
        }
    })
}

/// Tenths as decimal text: `15` → `1.5`, `30` → `3` (or `3.0` with `point`).
pub(crate) fn tenths_text(t: i64, point: bool) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let (whole, frac) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    if frac == 0 && !point {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

fn parse_tenths(s: &str) -> Option<i64> {
    let f: f64 = s.trim().parse().ok()?;
    if !f.is_finite() || f.abs() > 1e12 {
        return None;
    }
    // In range and finite, so the cast is exact enough for tenths.
    Some((f * 10.0).round() as i64)
}

fn date_seconds(s: &str) -> Option<i64> {
    let nanos = iamcr_eval::values::parse_date(s)?;
    i64::try_from(nanos.div_euclid(1_000_000_000)).ok()
}

/// The ways a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateForm {
    /// `2024-01-01T00:00:00Z`.
    Full,
    /// `2024-01-01T00:00:00.000Z`.
    Millis,
    /// `2024-01-01T02:00:00+02:00`.
    Offset,
    /// `2023-12-31T19:00:00-05:00`.
    NegativeOffset,
    /// `2024-01-01T00:00Z` (seconds dropped; a different instant when they were not zero).
    Minutes,
    /// `2024-01-01` (midnight of that day).
    Day,
    /// `2024-01` (the first of the month).
    Month,
    /// `1704067200`.
    Epoch,
    /// `2024-01-01t00:00:00z`.
    Lower,
}

impl DateForm {
    pub(crate) const ALL: [DateForm; 9] = [
        DateForm::Full,
        DateForm::Millis,
        DateForm::Offset,
        DateForm::NegativeOffset,
        DateForm::Minutes,
        DateForm::Day,
        DateForm::Month,
        DateForm::Epoch,
        DateForm::Lower,
    ];
}

/// Write epoch seconds `secs` in `form`. An instant whose date (at the form's offset) has
/// no four-digit year is written as epoch seconds whatever the form: ISO 8601 dates as IAM
/// and the evaluator read them have four-digit years, and a value meant to be near a date
/// must stay readable (a 12-digit account ID read as epoch seconds is in the year 26618).
pub(crate) fn render_date(secs: i64, form: DateForm) -> String {
    let at = utc_civil;
    let epoch = || secs.to_string();
    let Some((y, mo, d, h, mi, s)) = at(secs) else {
        return epoch();
    };
    match form {
        DateForm::Full => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        DateForm::Millis => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z"),
        DateForm::Offset => {
            let Some((y, mo, d, h, mi, s)) = at(secs + 7200) else {
                return epoch();
            };
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+02:00")
        }
        DateForm::NegativeOffset => {
            let Some((y, mo, d, h, mi, s)) = at(secs - 18_000) else {
                return epoch();
            };
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}-05:00")
        }
        DateForm::Minutes => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z"),
        DateForm::Day => format!("{y:04}-{mo:02}-{d:02}"),
        DateForm::Month => format!("{y:04}-{mo:02}"),
        DateForm::Epoch => secs.to_string(),
        DateForm::Lower => format!("{y:04}-{mo:02}-{d:02}t{h:02}:{mi:02}:{s:02}z"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamcr_eval::values::{decode_base64, parse_date};

    #[test]
    fn every_date_form_reads_back() {
        for secs in vocab::INSTANTS {
            let expect = i128::from(secs) * 1_000_000_000;
            for form in [
                DateForm::Full,
                DateForm::Millis,
                DateForm::Offset,
                DateForm::NegativeOffset,
                DateForm::Epoch,
                DateForm::Lower,
            ] {
                let text = render_date(secs, form);
                assert_eq!(parse_date(&text), Some(expect), "{text}");
            }
        }
        assert_eq!(
            render_date(1_704_067_200, DateForm::Full),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            render_date(1_749_990_600, DateForm::Full),
            "2025-06-15T12:30:00Z"
        );
        assert_eq!(render_date(1_772_352_000, DateForm::Month), "2026-03");
    }

    #[test]
    fn instants_past_year_9999_are_written_as_epoch_seconds() {
        // A 12-digit account ID read as a date is in the year 26618: the old calendar wrote
        // `26618-02-24T00:26:39-05:00`, which the evaluator cannot read.
        for form in DateForm::ALL {
            let text = render_date(777_777_777_777, form);
            assert_eq!(text, "777777777777");
            assert_eq!(parse_date(&text), Some(777_777_777_777 * 1_000_000_000));
        }
        // An instant in the year 9999 keeps its form.
        assert_eq!(
            render_date(253_370_764_800, DateForm::Full),
            "9999-01-01T00:00:00Z"
        );
        assert_eq!(
            render_date(253_370_764_800, DateForm::NegativeOffset),
            "9998-12-31T19:00:00-05:00"
        );
    }

    #[test]
    fn pools_are_readable() {
        for b in vocab::BASE64 {
            assert!(decode_base64(b).is_some(), "{b}");
        }
        assert_eq!(tenths_text(15, false), "1.5");
        assert_eq!(tenths_text(-30, true), "-3.0");
        assert_eq!(parse_tenths("3600"), Some(36000));
    }

    #[test]
    fn containing_cidrs_contain() {
        for ip in vocab::IPS {
            let addr: IpAddr = ip.parse().unwrap();
            for byte in 0..8u8 {
                let data = [byte, byte];
                let cidr = containing_cidr(&mut Unstructured::new(&data), addr).unwrap();
                let net = iamcr_eval::values::parse_network(&cidr).unwrap();
                assert!(net.contains(&addr), "{cidr} {ip}");
            }
        }
    }
}
