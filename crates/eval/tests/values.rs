//! Reading numeric and date condition values (`iamcr_eval::values`), as the condition
//! operators page of the IAM User Guide describes them: numeric operators compare "integer
//! or decimal" values; date operators take "W3C implementations of the ISO 8601 date
//! formats" or epoch (UNIX) time (docs/evaluation.md, "Conditions"). The W3C profile
//! (https://www.w3.org/TR/NOTE-datetime) allows `YYYY-MM`, `YYYY-MM-DD` and date-times with
//! `hh:mm`, optional seconds and fraction, and a zone `Z` or `±hh:mm`, with hours 00–23 and
//! minutes 00–59.
//!
//! These pin the exponent arithmetic, signs, the zone-offset reader and its bounds, which a
//! mutation run showed no other test checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Test code: a malformed fixture must stop the test with its message."
)]

use iamcr_eval::values::{Decimal, parse_date};

fn d(text: &str) -> Decimal {
    Decimal::parse(text).unwrap_or_else(|| panic!("{text:?} should read as a number"))
}

/// Seconds since the epoch, in the nanoseconds `parse_date` returns.
fn secs(s: i128) -> i128 {
    s * 1_000_000_000
}

fn t(text: &str) -> i128 {
    parse_date(text).unwrap_or_else(|| panic!("{text:?} should read as a date"))
}

/// 2020-01-01T00:00:00Z.
const NEW_YEAR_2020: i128 = 1_577_836_800;

#[test]
fn decimals_in_every_written_form_read_as_the_same_number() {
    for (a, b) in [
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007.500", "7.5"),
        (" 42 ", "42"),
        ("1e3", "1000"),
        ("12e3", "12000"),
        ("123e4", "1230000"),
        ("1E3", "1000"),
        ("1e+3", "1000"),
        ("1e-3", "0.001"),
        ("123e-5", "0.00123"),
        ("12.5e-1", "1.25"),
        ("0.00123e3", "1.23"),
        ("-2.5E2", "-250"),
        ("2.5e0", "2.5"),
    ] {
        assert_eq!(d(a), d(b), "{a} = {b}");
    }
    assert_ne!(d("1e-3"), d("1e3"));
    assert_ne!(d("1e-3"), d("0.01"));
}

#[test]
fn negative_zero_is_zero() {
    for zero in ["-0", "-0.000", "-0e5", "+0", "0.0", "-.0"] {
        assert_eq!(d(zero), d("0"), "{zero}");
        assert!(d(zero) >= d("0") && d(zero) <= d("0"), "{zero}");
    }
    assert!(d("-0.001") < d("-0"));
}

#[test]
fn decimals_order_by_sign_then_magnitude() {
    let ascending = [
        "-1e3", "-250", "-10", "-9.5", "-1e-2", "-1e-3", "0", "1e-3", "0.0011", "0.25", "0.3",
        "1.999", "2", "5", "1e1", "123e1", "1e400",
    ];
    for pair in ascending.windows(2) {
        assert!(d(pair[0]) < d(pair[1]), "{} < {}", pair[0], pair[1]);
        assert!(d(pair[1]) > d(pair[0]), "{} > {}", pair[1], pair[0]);
    }
}

#[test]
fn text_that_is_not_a_number_is_refused() {
    for bad in [
        "", "+", "-", ".", "e3", ".e3", "1e", "1e3.5", "1ee3", "--1", "+-1", "1.2.3", "0x10",
        "1,000", "1 000", "one", "NaN", "inf",
    ] {
        assert_eq!(Decimal::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn exponents_up_to_400_are_read_and_larger_ones_refused() {
    // The model's own guard against huge expansions (the User Guide is silent on exponents):
    // a magnitude of 400 is read exactly, 401 is refused.
    let big = format!("1{}", "0".repeat(400));
    assert_eq!(d("1e400"), d(&big));
    assert_eq!(d("-1e400"), d(&format!("-{big}")));
    assert!(d("1e-400") > d("0"));
    assert!(d("1e-400") < d(&format!("0.{}1", "0".repeat(398))));
    assert_eq!(d("1e-400"), d(&format!("0.{}1", "0".repeat(399))));
    for bad in ["1e401", "1e-401", "-1e401", "1e99999", "1e2147483648"] {
        assert_eq!(Decimal::parse(bad), None, "{bad}");
    }
}

#[test]
fn dates_with_a_zone_offset_in_either_form_are_the_same_instant() {
    let utc = t("2020-01-01T00:00:00Z");
    assert_eq!(utc, secs(NEW_YEAR_2020));
    for same in [
        "2020-01-01T05:00:00+05:00",
        "2020-01-01T05:00:00+0500",
        "2020-01-01T05:00+05",
        "2019-12-31T19:00:00-05:00",
        "2019-12-31T19:00:00-0500",
        "2020-01-01T05:30:00+05:30",
        "2020-01-01T05:30:00+0530",
        "2020-01-01T00:00:00+00:00",
        "2020-01-01T00:00:00-00:00",
        "2020-01-01T00:00:00",
        "2020-01-01T00:00",
        "2020-01-01",
        "2020-01",
        "2020-01-01t00:00:00z",
    ] {
        assert_eq!(t(same), utc, "{same}");
    }
}

#[test]
fn zone_offsets_reach_23_59_and_no_further() {
    let utc = secs(NEW_YEAR_2020);
    assert_eq!(t("2020-01-01T23:59:00+23:59"), utc);
    assert_eq!(t("2020-01-01T23:59:00+2359"), utc);
    assert_eq!(t("2019-12-31T00:01:00-23:59"), utc);
    assert_eq!(t("2020-01-01T23:00:00+23:00"), utc);
    assert_eq!(t("2020-01-01T00:59:00+00:59"), utc);
    for bad in [
        "2020-01-01T00:00:00+24:00",
        "2020-01-01T00:00:00+2400",
        "2020-01-01T00:00:00+24",
        "2020-01-01T00:00:00+00:60",
        "2020-01-01T00:00:00+0060",
        "2020-01-01T00:00:00-24:00",
        "2020-01-01T00:00:00+5:00",
        "2020-01-01T00:00:00+05:0",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn clock_fields_reach_23_59_59_and_no_further() {
    assert_eq!(t("2020-01-01T23:59:59Z"), secs(NEW_YEAR_2020 + 86_399));
    assert_eq!(t("2020-01-01T23:59Z"), secs(NEW_YEAR_2020 + 86_340));
    assert_eq!(t("2020-01-01T12:34:56+01:00"), secs(NEW_YEAR_2020 + 41_696));
    // W3C: hours 00-23, minutes 00-59.
    for bad in [
        "2020-01-01T24:00:00Z",
        "2020-01-01T00:60:00Z",
        "2020-01-01T00:60Z",
        "2020-01-01T10Z",
        "2020-01-01T1:00Z",
        "2020-01-01T10:00:0Z",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn fractional_seconds_are_kept_to_the_nanosecond() {
    let base = secs(NEW_YEAR_2020);
    assert_eq!(t("2020-01-01T00:00:00.5Z"), base + 500_000_000);
    assert_eq!(t("2020-01-01T00:00:00.123456789Z"), base + 123_456_789);
    assert_eq!(t("2020-01-01T00:00:00.000000001Z"), base + 1);
    assert_eq!(t("2020-01-01T05:00:00.25+05:00"), base + 250_000_000);
    assert_eq!(t("2020-01-01T05:00:00.25+05:00"), t("1577836800.25"));
    for bad in [
        "2020-01-01T00:00:00.Z",
        "2020-01-01T00:00:00.5xZ",
        "2020-01-01T00:00.5Z",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn calendar_dates_must_exist() {
    assert_eq!(t("2020-02-29"), secs(NEW_YEAR_2020 + 59 * 86_400));
    assert_eq!(t("2020-12"), secs(NEW_YEAR_2020 + 335 * 86_400));
    for bad in [
        "2021-02-29",
        "2020-02-30",
        "2020-00-10",
        "2020-13",
        "2020-1-01",
        "2020-01-1",
        "20-01-01",
        "2020/01/01",
        "2020-01-01T",
        "2020-01-01-01",
        "yesterday",
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}

#[test]
fn all_digit_values_are_epoch_seconds() {
    assert_eq!(t("0"), 0);
    assert_eq!(t("1577836800"), secs(NEW_YEAR_2020));
    assert_eq!(t("-1"), -secs(1));
    assert_eq!(t("-1.5"), -1_500_000_000);
    assert_eq!(t("1.5"), 1_500_000_000);
    assert_eq!(t(".5"), 500_000_000);
    assert_eq!(t("1577836800.000000001"), secs(NEW_YEAR_2020) + 1);
    assert!(t("1577836799.999") < t("2020-01-01T00:00:00Z"));
    for bad in [".", "1.2.3", "-", "1e3"] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
}
