//! The date check of IAM's "legacy parsing" pass.
//!
//! IAM rejects a policy whose `Date…` condition values it cannot read with "The policy failed
//! legacy parsing". The accepted grammar below is the one IAM's responses show (recorded by
//! the moto emulator's test corpus, `malformed-policy-cases.json`): an ISO 8601 date or date-time
//! (case-insensitive `T`/`Z`, year −292275054…292278993, optional fraction of up to nine
//! digits, `+hh[:mm]` offset), or epoch seconds in 0…2^63−1. One deliberate difference from
//! the emulator: negative offsets (`-05:00`) are accepted, because ISO 8601 and the IAM
//! User Guide's "W3C implementation of the ISO 8601 date format" allow them.

/// Whether IAM's legacy parser accepts `value` as a date condition value.
pub(crate) fn legacy_date_ok(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    if v.contains('t') || v.contains('-') {
        iso(&v).is_some()
    } else {
        v.parse::<u64>().is_ok_and(|n| n <= i64::MAX as u64)
    }
}

fn int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn in_range(s: &str, lo: i64, hi: i64) -> Option<()> {
    let n = int(s)?;
    (lo..=hi).contains(&n).then_some(())
}

fn iso(v: &str) -> Option<()> {
    let (date, time) = match v.split_once('t') {
        Some((d, t)) => (d, t),
        None => (v, ""),
    };
    let (negative, date) = match date.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, date),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() > 3 {
        return None;
    }
    let year = int(parts[0])?;
    let year = if negative { -year } else { year };
    if !(-292_275_054..=292_278_993).contains(&year) {
        return None;
    }
    if let Some(m) = parts.get(1) {
        in_range(m, 1, 12)?;
    }
    if let Some(d) = parts.get(2) {
        in_range(d, 1, 31)?;
    }
    time_of_day(time)
}

fn time_of_day(time: &str) -> Option<()> {
    // Split off a zone designator first, so that a negative offset is not mistaken for part
    // of the seconds.
    let (clock, zone) = if let Some(i) = time.find(['z', '+']) {
        (&time[..i], &time[i..])
    } else if let Some(i) = time.rfind('-') {
        (&time[..i], &time[i..])
    } else {
        (time, "")
    };
    let fields: Vec<&str> = clock.split(':').collect();
    if fields.len() > 3 {
        return None;
    }
    if !fields[0].is_empty() {
        in_range(fields[0], 0, 23)?;
    } else if fields.len() > 1 || !zone.is_empty() && zone != "z" {
        return None;
    }
    if let Some(m) = fields.get(1) {
        in_range(m, 0, 59)?;
    }
    if let Some(s) = fields.get(2) {
        let (secs, frac) = match s.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (*s, None),
        };
        in_range(secs, 0, 59)?;
        if let Some(f) = frac {
            in_range(f, 0, 999_999_999)?;
        }
    }
    match zone {
        "" | "z" => Some(()),
        z => {
            let offset = &z[1..];
            let (h, m) = match offset.split_once(':') {
                Some((h, m)) => (h, Some(m)),
                None => (offset, None),
            };
            if h.len() != 2 {
                return None;
            }
            in_range(h, 0, 23)?;
            if let Some(m) = m {
                if m.len() != 2 {
                    return None;
                }
                in_range(m, 0, 59)?;
            }
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::legacy_date_ok;

    #[test]
    fn accepts_what_iam_accepts() {
        for ok in [
            "2017-07-01T00:00:00Z",
            "2016-12-13T21:20:37.593194+00:00",
            "2016-12-13t2:00:00.593194+23",
            "-292275054",
            "01T",
            "2019-07-01T13:20:15Z",
            "2020-01-01",
            "2020-01-01T10:00:00-05:00",
            "1577836800",
            "0",
        ] {
            assert!(legacy_date_ok(ok), "{ok}");
        }
    }

    #[test]
    fn rejects_what_iam_rejects() {
        for bad in [
            "sdfdsf",
            "234-13",
            "2016-12-13t2:00:00.593194+1",
            "2016-12-13t2:00:00.1999999999+10:59",
            "9223372036854775808",
            "2020-02-32",
            "2020-01-01T24:00:00Z",
            "",
        ] {
            assert!(!legacy_date_ok(bad), "{bad}");
        }
    }
}
