//! Reading typed condition values: numbers, dates, IP addresses, base64, booleans.
//!
//! Sources: IAM User Guide, condition operators page — numeric operators compare "integer
//! or decimal" values; date operators take "W3C implementations of the ISO 8601 date
//! formats" or epoch (UNIX) time; IP operators take CIDR blocks, a bare address meaning /32
//! (IPv6: /128); BinaryEquals compares bytes against a base-64 value; Bool takes
//! `true`/`false`.

use base64::Engine;
use std::cmp::Ordering;

/// An exact decimal number: sign, integer digits, fraction digits (no leading/trailing
/// zeros), so that `1.50` = `1.5` and large integers compare exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Read `-12`, `3.25`, `+7`, `.5`, `5.`, `1e3`. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || exp.unsigned_abs() > 400
        {
            return None;
        }
        // Shift the decimal point by the exponent.
        let mut digits: String = format!("{int}{frac}");
        let mut point = int.len() as i64 + i64::from(exp);
        if point < 0 {
            digits = format!("{}{digits}", "0".repeat((-point) as usize));
            point = 0;
        }
        if point as usize > digits.len() {
            digits.push_str(&"0".repeat(point as usize - digits.len()));
        }
        let (i, f) = digits.split_at(point as usize);
        let int = i.trim_start_matches('0').to_string();
        let frac = f.trim_end_matches('0').to_string();
        let zero = int.is_empty() && frac.is_empty();
        Some(Decimal {
            negative: negative && !zero,
            int,
            frac,
        })
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

/// Read a date: ISO 8601 in the W3C profile (`YYYY-MM`, `YYYY-MM-DD`,
/// `YYYY-MM-DDThh:mm[:ss[.s…]]` with `Z` or `±hh:mm`, no zone meaning UTC), or epoch
/// seconds (integer or decimal). Returns nanoseconds since the epoch.
pub fn parse_date(text: &str) -> Option<i128> {
    let t = text.trim();
    // All digits (with an optional sign and fraction) is epoch seconds — as IAM's own
    // parser reads it, so `2020` is 2020 seconds after the epoch, not the year 2020.
    let body = t.strip_prefix('-').unwrap_or(t);
    if !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.matches('.').count() <= 1
    {
        return epoch(t);
    }
    iso(t)
}

fn epoch(t: &str) -> Option<i128> {
    let d = Decimal::parse(t)?;
    let secs: i128 = if d.int.is_empty() {
        0
    } else {
        d.int.parse().ok()?
    };
    let mut frac = d.frac.clone();
    frac.truncate(9);
    while frac.len() < 9 {
        frac.push('0');
    }
    let nanos: i128 = frac.parse().ok()?;
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if d.negative { -total } else { total })
}

fn iso(t: &str) -> Option<i128> {
    use jiff::civil::{Date, DateTime, Time};
    // Read in place, without a copy: this runs for every date a request carries, on each
    // evaluation. The `T` and `Z` letters are read in either case (the only letters a date
    // may hold; any other fails a digit test).
    let (date_part, time_part) = match t.split_once(['T', 't']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let num = |s: &str, len: usize| -> Option<i64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut nums = date_part.split('-');
    let (y, m, d) = match (nums.next(), nums.next(), nums.next(), nums.next()) {
        (Some(y), Some(m), None, _) => (num(y, 4)?, num(m, 2)?, 1),
        (Some(y), Some(m), Some(d), None) => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return None,
    };
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    let (time, offset_secs) = match time_part {
        None => (Time::midnight(), 0i64),
        Some(tm) => {
            let (clock, offset) = if let Some(c) = tm.strip_suffix(['Z', 'z']) {
                (c, 0)
            } else if let Some(i) = tm.rfind(['+', '-']) {
                let (c, z) = tm.split_at(i);
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let z = &z[1..];
                let (h, mi) = match z.split_once(':') {
                    Some((h, mi)) => (num(h, 2)?, num(mi, 2)?),
                    None if z.len() == 4 => (num(&z[..2], 2)?, num(&z[2..], 2)?),
                    None => (num(z, 2)?, 0),
                };
                if h > 23 || mi > 59 {
                    return None;
                }
                (c, sign * (h * 3600 + mi * 60))
            } else {
                (tm, 0)
            };
            let mut fields = clock.split(':');
            let (h, mi, s, nanos) =
                match (fields.next(), fields.next(), fields.next(), fields.next()) {
                    (Some(h), Some(mi), None, _) => (num(h, 2)?, num(mi, 2)?, 0, 0),
                    (Some(h), Some(mi), Some(s), None) => {
                        let (s, frac) = match s.split_once('.') {
                            Some((s, f))
                                if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) =>
                            {
                                // The first nine digits, padded with zeros: nanoseconds.
                                let digits = f.bytes().chain(std::iter::repeat(b'0')).take(9);
                                (s, digits.fold(0i64, |n, b| n * 10 + i64::from(b - b'0')))
                            }
                            Some(_) => return None,
                            None => (s, 0),
                        };
                        (num(h, 2)?, num(mi, 2)?, num(s, 2)?, frac)
                    }
                    _ => return None,
                };
            let time = Time::new(
                i8::try_from(h).ok()?,
                i8::try_from(mi).ok()?,
                i8::try_from(s).ok()?,
                i32::try_from(nanos).ok()?,
            )
            .ok()?;
            (time, offset)
        }
    };
    let dt = DateTime::from_parts(date, time);
    // The civil time read as UTC (the offset is applied below), without a zoned value.
    let ts = jiff::tz::Offset::UTC.to_timestamp(dt).ok()?;
    Some(ts.as_nanosecond() - i128::from(offset_secs) * 1_000_000_000)
}

/// Read a CIDR block or a bare address (a bare address is a /32 or /128 network).
pub fn parse_network(text: &str) -> Option<ipnet::IpNet> {
    let t = text.trim();
    if let Ok(net) = t.parse::<ipnet::IpNet>() {
        return Some(net);
    }
    t.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from)
}

/// Read a request's IP address (a bare address, or a CIDR whose address part is used).
pub fn parse_address(text: &str) -> Option<std::net::IpAddr> {
    let t = text.trim();
    t.parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| t.parse::<ipnet::IpNet>().ok().map(|n| n.addr()))
}

/// Decode base64 (standard alphabet, padding optional).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    base64::engine::general_purpose::STANDARD
        .decode(t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
        .ok()
}

/// Read `true`/`false` (case-insensitive).
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_exactly() {
        let d = |s| Decimal::parse(s).unwrap();
        assert_eq!(d("1.50"), d("1.5"));
        assert_eq!(d("-0"), d("0"));
        assert!(d("10") > d("9.999"));
        assert!(d("-10") < d("-9"));
        assert!(d("123456789012345678901234567890") > d("123456789012345678901234567889"));
        assert_eq!(d("1e3"), d("1000"));
        assert_eq!(d("0.5"), d(".5"));
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse("1.2.3").is_none());
    }

    #[test]
    fn dates_in_every_w3c_form_and_epoch() {
        let t = |s| parse_date(s).unwrap();
        assert_eq!(t("2020-01-01"), t("2020-01-01T00:00:00Z"));
        assert_eq!(t("2020-01-01T00:00:00Z"), t("1577836800"));
        assert_eq!(t("2020-01-01T05:00:00+05:00"), t("2020-01-01T00:00:00Z"));
        assert_eq!(t("2019-12-31T19:00:00-05:00"), t("2020-01-01T00:00:00Z"));
        assert_eq!(t("2020"), 2020 * 1_000_000_000);
        assert_eq!(t("2020-06"), t("2020-06-01"));
        assert_eq!(t("2020-01-01T00:00Z"), t("2020-01-01"));
        assert!(t("2020-01-01T00:00:00.5Z") > t("2020-01-01T00:00:00Z"));
        assert_eq!(t("1577836800.5"), t("2020-01-01T00:00:00.5Z"));
        assert_eq!(t("2020-01-01t00:00:00z"), t("2020-01-01"));
        assert!(parse_date("2020-13-01").is_none());
        assert!(parse_date("yesterday").is_none());
    }

    #[test]
    fn networks_and_addresses() {
        let n = parse_network("203.0.113.0/24").unwrap();
        assert!(n.contains(&parse_address("203.0.113.7").unwrap()));
        let host = parse_network("203.0.113.7").unwrap();
        assert_eq!(host.prefix_len(), 32);
        let v6 = parse_network("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains(&parse_address("2001:db8:1234:5678::1").unwrap()));
        assert!(!n.contains(&parse_address("2001:db8::1").unwrap()));
    }

    #[test]
    fn base64_and_bool() {
        assert_eq!(decode_base64("QmluYXJ5VmFsdWU=").unwrap(), b"BinaryValue");
        assert_eq!(decode_base64("QmluYXJ5VmFsdWU").unwrap(), b"BinaryValue");
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("no"), None);
    }
}
