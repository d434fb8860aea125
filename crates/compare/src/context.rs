//! Condition keys: the regions each key's domain is cut into by the operators and constants
//! the policies test it with, and one representative value (or value set) per region.

use crate::glob::{self, Glob, Mode};
use iamcr_eval::ValueType;
use iamcr_eval::values::{Decimal, parse_date, parse_network};
use iamcr_policy::{BaseOperator, Family, Operator};
use std::net::IpAddr;

/// How a key is tested: one operator with its constants.
#[derive(Debug, Clone)]
pub struct KeyUse {
    /// The operator.
    pub operator: Operator,
    /// The constants, as text.
    pub values: Vec<String>,
}

/// The representatives of one condition key.
#[derive(Debug, Clone)]
pub struct KeyDomain {
    /// The key as first written.
    pub key: String,
    /// The context type the values are given as.
    pub ty: ValueType,
    /// Whether the values form a set (`ForAllValues:`/`ForAnyValue:`, or an `ArrayOf…` key).
    pub multivalued: bool,
    /// One entry per region: `None` for "key absent", else the values.
    pub reps: Vec<Option<Vec<String>>>,
    /// Why the regions may not be all of them (empty: complete).
    pub gaps: Vec<String>,
}

/// Value sets are enumerated exhaustively up to this many single-value regions (2^4 - 1
/// non-empty sets); beyond it, singletons, pairs and the whole set only.
const EXHAUSTIVE_SETS: usize = 4;

/// The regions of `key` under `uses`. `catalogue_multivalued`: the catalogue types the key
/// as `ArrayOf…`.
pub fn domain(key: &str, uses: &[KeyUse], catalogue_multivalued: bool, budget: usize) -> KeyDomain {
    let mut gaps = Vec::new();
    let mut families: Vec<Family> = uses
        .iter()
        .map(|u| u.operator.base.family())
        .filter(|f| *f != Family::Null)
        .collect();
    families.sort();
    families.dedup();
    if families.len() > 1 {
        let names: Vec<&str> = families.iter().map(|f| f.name()).collect();
        gaps.push(format!(
            "{key} is tested by several operator families ({}): their regions are not intersected",
            names.join(", ")
        ));
    }
    let mut singles: Vec<String> = Vec::new();
    let mut ty = ValueType::String;
    for family in &families {
        let (values, t) = match family {
            Family::String | Family::Arn => {
                (strings(key, uses, budget, &mut gaps), ValueType::String)
            }
            Family::Numeric => (numbers(key, uses, &mut gaps), ValueType::Numeric),
            Family::Date => (dates(key, uses, &mut gaps), ValueType::Date),
            Family::Bool => (
                vec!["true".into(), "false".into(), "x".into()],
                ValueType::Boolean,
            ),
            Family::Ip => (addresses(uses), ValueType::Ip),
            Family::Binary => (binaries(uses), ValueType::Binary),
            Family::Null => (Vec::new(), ValueType::String),
        };
        ty = t;
        for v in values {
            if !singles.contains(&v) {
                singles.push(v);
            }
        }
    }
    if singles.is_empty() {
        // Only `Null` tests it: present (any value) or absent.
        singles.push("x".into());
    }
    let multivalued = catalogue_multivalued || uses.iter().any(|u| u.operator.qualifier.is_some());
    let mut reps: Vec<Option<Vec<String>>> = vec![None];
    if multivalued {
        reps.extend(value_sets(key, &singles, &mut gaps).into_iter().map(Some));
    } else {
        reps.extend(singles.into_iter().map(|v| Some(vec![v])));
    }
    KeyDomain {
        key: key.to_string(),
        ty,
        multivalued,
        reps,
        gaps,
    }
}

/// Sets of region representatives: every non-empty subset when there are few regions.
fn value_sets(key: &str, singles: &[String], gaps: &mut Vec<String>) -> Vec<Vec<String>> {
    let n = singles.len();
    if n <= EXHAUSTIVE_SETS {
        return (1u32..(1 << n))
            .map(|mask| {
                (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| singles[i].clone())
                    .collect()
            })
            .collect();
    }
    gaps.push(format!(
        "{key} is multivalued with {n} value regions: only single values, pairs and the whole set are tried, not all {} sets",
        if n < 64 { format!("{}", (1u128 << n) - 1) } else { "2^n".into() }
    ));
    let mut out: Vec<Vec<String>> = singles.iter().map(|s| vec![s.clone()]).collect();
    for i in 0..n {
        for j in i + 1..n {
            out.push(vec![singles[i].clone(), singles[j].clone()]);
        }
    }
    out.push(singles.to_vec());
    out
}

fn strings(key: &str, uses: &[KeyUse], budget: usize, gaps: &mut Vec<String>) -> Vec<String> {
    let mut globs = Vec::new();
    for u in uses {
        let (mode, folded) = match u.operator.base.positive() {
            BaseOperator::StringEquals => (Mode::Exact, false),
            BaseOperator::StringLike => (Mode::Plain, false),
            BaseOperator::StringEqualsIgnoreCase => (Mode::Exact, true),
            BaseOperator::ArnEquals | BaseOperator::ArnLike => (Mode::ArnComponents, false),
            _ => continue,
        };
        for v in &u.values {
            globs.push(Glob::new(v, mode, folded));
        }
    }
    let s = glob::separate(&Glob::new("*", Mode::Plain, false), &globs, budget);
    if !s.complete {
        gaps.push(format!(
            "{key}: the string regions were not all visited (search budget)"
        ));
    }
    s.regions.into_iter().map(|(text, _)| text).collect()
}

fn numbers(key: &str, uses: &[KeyUse], gaps: &mut Vec<String>) -> Vec<String> {
    let mut points: Vec<f64> = Vec::new();
    for v in uses.iter().flat_map(|u| &u.values) {
        let Some(d) = Decimal::parse(v) else { continue };
        match v.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && Decimal::parse(&fmt_f64(f)) == Some(d) => points.push(f),
            _ => gaps.push(format!(
                "{key}: the constant {v} is not exactly representable here"
            )),
        }
    }
    points.sort_by(f64::total_cmp);
    points.dedup();
    let mut out = Vec::new();
    match (points.first(), points.last()) {
        (Some(lo), Some(hi)) => {
            out.push(fmt_f64(lo - 1.0));
            for w in points.windows(2) {
                out.push(fmt_f64(w[0]));
                let mid = (w[0] + w[1]) / 2.0;
                if mid > w[0] && mid < w[1] {
                    out.push(fmt_f64(mid));
                }
            }
            out.push(fmt_f64(*hi));
            out.push(fmt_f64(hi + 1.0));
        }
        _ => out.push("0".into()),
    }
    out.push("x".into());
    out
}

fn fmt_f64(f: f64) -> String {
    format!("{f}")
}

fn dates(key: &str, uses: &[KeyUse], gaps: &mut Vec<String>) -> Vec<String> {
    let mut points: Vec<i128> = uses
        .iter()
        .flat_map(|u| &u.values)
        .filter_map(|v| parse_date(v))
        .collect();
    points.sort();
    points.dedup();
    let second = 1_000_000_000i128;
    let mut nanos = Vec::new();
    match (points.first(), points.last()) {
        (Some(lo), Some(hi)) => {
            nanos.push(lo - second);
            for w in points.windows(2) {
                nanos.push(w[0]);
                if w[1] - w[0] >= 2 {
                    nanos.push(w[0] + (w[1] - w[0]) / 2);
                }
            }
            nanos.push(*hi);
            nanos.push(hi + second);
        }
        _ => nanos.push(1_700_000_000 * second),
    }
    let mut out = Vec::new();
    for n in nanos {
        match jiff::Timestamp::from_nanosecond(n) {
            Ok(t) => out.push(t.to_string()),
            Err(_) => gaps.push(format!(
                "{key}: a date region lies outside the representable years"
            )),
        }
    }
    out.push("x".into());
    out
}

fn addresses(uses: &[KeyUse]) -> Vec<String> {
    let mut v4: Vec<u128> = vec![0];
    let mut v6: Vec<u128> = vec![0];
    for net in uses
        .iter()
        .flat_map(|u| &u.values)
        .filter_map(|v| parse_network(v))
    {
        let (start, end, list) = match net {
            ipnet::IpNet::V4(n) => (
                u128::from(u32::from(n.network())),
                u128::from(u32::from(n.broadcast())),
                &mut v4,
            ),
            ipnet::IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast()), &mut v6),
        };
        list.push(start);
        let max = if matches!(net, ipnet::IpNet::V4(_)) {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        if end < max {
            list.push(end + 1);
        }
    }
    v4.sort();
    v4.dedup();
    v6.sort();
    v6.dedup();
    let mut out: Vec<String> = v4
        .into_iter()
        .filter_map(|a| u32::try_from(a).ok())
        .map(|a| IpAddr::from(std::net::Ipv4Addr::from(a)).to_string())
        .collect();
    out.extend(
        v6.into_iter()
            .map(|a| IpAddr::from(std::net::Ipv6Addr::from(a)).to_string()),
    );
    out.push("x".into());
    out
}

fn binaries(uses: &[KeyUse]) -> Vec<String> {
    let mut out: Vec<String> = uses.iter().flat_map(|u| u.values.clone()).collect();
    out.sort();
    out.dedup();
    // Bytes no policy constant decodes to (a constant is at most a few bytes long in
    // practice; this one is 18 bytes of 0xfb).
    out.push("+/v7+/v7+/v7+/v7+/v7+/v7".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(op: &str, values: &[&str]) -> Vec<KeyUse> {
        vec![KeyUse {
            operator: op.parse().unwrap(),
            values: values.iter().map(|s| s.to_string()).collect(),
        }]
    }

    #[test]
    fn numeric_regions_are_points_and_intervals() {
        let d = domain("k", &uses("NumericLessThan", &["5", "10"]), false, 1000);
        let reps: Vec<String> = d.reps.iter().flatten().map(|v| v[0].clone()).collect();
        assert_eq!(reps, ["4", "5", "7.5", "10", "11", "x"]);
        assert!(d.gaps.is_empty());
    }

    #[test]
    fn cidr_edges() {
        let d = domain(
            "aws:SourceIp",
            &uses("IpAddress", &["10.0.0.0/8"]),
            false,
            1000,
        );
        let reps: Vec<String> = d.reps.iter().flatten().map(|v| v[0].clone()).collect();
        assert!(reps.contains(&"10.0.0.0".to_string()));
        assert!(reps.contains(&"11.0.0.0".to_string()));
        assert!(reps.contains(&"0.0.0.0".to_string()));
    }

    #[test]
    fn small_sets_are_exhaustive() {
        let d = domain(
            "aws:CalledVia",
            &uses("ForAnyValue:StringEquals", &["a"]),
            false,
            1000,
        );
        // absent, {x}, {a}, {x, a}
        assert_eq!(d.reps.len(), 4);
        assert!(d.gaps.is_empty());
    }
}
