//! Condition evaluation.
//!
//! Rules (IAM User Guide, "Condition operators" and "Creating a condition with multiple
//! context keys or values"):
//! - a key missing from the request makes the condition false, except that negated
//!   operators (`StringNotEquals`, `ArnNotLike`, …) are then true, `…IfExists` is then true,
//!   and `Null` tests exactly that;
//! - several values for one key under one operator are ORed; under a negated operator they
//!   are NORed ("returns true only if all values evaluate to false");
//! - keys under one operator, and operators in one block, are ANDed;
//! - `ForAnyValue:` — some request value matches some policy value (false when the key is
//!   missing or has no values, `…IfExists` or not); with a negated operator, some request
//!   value matches none;
//! - `ForAllValues:` — every request value matches some policy value (true when the key is
//!   missing or has no values); with a negated operator, no request value matches any;
//! - key names compare case-insensitively; values per operator.

use crate::pattern::{Mode, Pattern};
use crate::request::{ContextEntry, Request};
use crate::values::{Decimal, decode_base64, parse_address, parse_bool, parse_date, parse_network};
use iamcr_policy::{BaseOperator, ConditionValue, Family, Operator, SetQualifier};
use smallvec::SmallVec;

/// One compiled `operator: { key: values }` pair.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The operator.
    pub operator: Operator,
    /// The key as written, then the policy values as written — in one allocation, not one
    /// per piece (compiling is allocation-bound; issue #19).
    text: Box<str>,
    /// The key lower-cased: apart from `text`, so that evaluation reads it without slicing.
    key_lower: Box<str>,
    /// The key's length in bytes.
    key_len: u32,
    /// Where each policy value as written ends in `text` (it starts where the previous
    /// ends); inline for the usual few values.
    written_ends: SmallVec<[u32; 4]>,
    key_hash: u64,
    values: Box<[PolicyValue]>,
}

/// A policy value compiled for its operator's family.
#[derive(Debug, Clone)]
enum PolicyValue {
    /// String operators: exact or `Like` pattern (variables resolved per request).
    Text(Pattern),
    /// `…IgnoreCase`: compare lower-cased; the pattern is exact.
    Folded(Pattern),
    /// ARN operators.
    Arn(Pattern),
    /// Numbers (`None`: not a number — never matches).
    Number(Option<Decimal>),
    /// Dates, in nanoseconds since the epoch.
    Date(Option<i128>),
    /// Booleans.
    Bool(Option<bool>),
    /// Bytes from base64 (falls back to the text when not base64).
    Binary(Result<Vec<u8>, String>),
    /// Networks.
    Ip(Option<ipnet::IpNet>),
}

/// The outcome of one condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the condition holds.
    pub holds: bool,
    /// The key was not in the request.
    pub missing: bool,
}

impl Condition {
    /// Compile one key of an operator. `variables`: whether the policy's version enables
    /// policy variables.
    pub fn new<'v, V>(operator: Operator, key: &str, values: V, variables: bool) -> Condition
    where
        V: IntoIterator<Item = &'v ConditionValue>,
        V::IntoIter: Clone,
    {
        let values = values.into_iter();
        let vars = variables && operator.base.takes_variables();
        let mut text = String::with_capacity(
            key.len() + values.clone().map(|v| v.as_text().len()).sum::<usize>(),
        );
        text.push_str(key);
        let mut written_ends = SmallVec::new();
        for v in values.clone() {
            text.push_str(&v.as_text());
            written_ends.push(offset(text.len()));
        }
        let key_lower: Box<str> = key.to_ascii_lowercase().into();
        Condition {
            operator,
            text: text.into_boxed_str(),
            key_hash: crate::request::key_hash(&key_lower),
            key_lower,
            key_len: offset(key.len()),
            written_ends,
            values: values
                .map(|v| compile_value(operator, &v.as_text(), vars))
                .collect(),
        }
    }

    /// The key as written.
    pub fn key(&self) -> &str {
        self.text.get(..self.key_len as usize).unwrap_or_default()
    }

    /// The key, lower-cased.
    pub fn key_lower(&self) -> &str {
        &self.key_lower
    }

    /// The policy values as written (for explanations).
    pub fn written(&self) -> Vec<&str> {
        let mut from = self.key_len;
        self.written_ends
            .iter()
            .map(|&to| {
                let value = self
                    .text
                    .get(from as usize..to as usize)
                    .unwrap_or_default();
                from = to;
                value
            })
            .collect()
    }

    /// Evaluate against a request.
    pub fn evaluate(&self, request: &Request) -> Outcome {
        let op = self.operator;
        let entry = request.lookup_hashed(&self.key_lower, self.key_hash);
        let present = entry.is_some_and(|e| !e.values.is_empty());
        if op.base == BaseOperator::Null {
            // "true": the key must be absent; "false": present. Several values are ORed.
            let holds = self.values.iter().any(|v| match v {
                PolicyValue::Bool(Some(true)) => !present,
                PolicyValue::Bool(Some(false)) => present,
                _ => false,
            });
            return Outcome {
                holds,
                missing: entry.is_none(),
            };
        }
        let negated = op.base.is_negated();
        let Some(entry) = entry.filter(|e| !e.values.is_empty()) else {
            // The table in docs/evaluation.md ("Missing and empty keys"). `ForAnyValue` is
            // false on a missing or empty key with or without `IfExists` ("For no matching
            // context key or if the key does not exist, the condition returns false"; AWS
            // answers so for `ForAnyValue:StringEqualsIfExists`, re:Post QU9HFmDzP0QGuU).
            let holds = match op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => op.if_exists || negated,
            };
            return Outcome {
                holds,
                missing: entry.is_none(),
            };
        };
        let matches = |rv: &str| {
            self.values
                .iter()
                .any(|pv| positive(op.base, pv, rv, request, entry))
        };
        let holds = match op.qualifier {
            None => {
                let any = entry.values.iter().any(|rv| matches(rv));
                any != negated
            }
            Some(SetQualifier::ForAnyValue) => entry.values.iter().any(|rv| matches(rv) != negated),
            Some(SetQualifier::ForAllValues) => {
                entry.values.iter().all(|rv| matches(rv) != negated)
            }
        };
        Outcome {
            holds,
            missing: false,
        }
    }
}

/// A `u32` offset into a condition's text (policy texts are far below 4 GiB: the JSON
/// reader caps its input).
fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A policy value compiled for `operator`'s family; `vars`: whether `${…}` is a variable.
fn compile_value(operator: Operator, text: &str, vars: bool) -> PolicyValue {
    match operator.base.positive() {
        BaseOperator::StringEquals => PolicyValue::Text(Pattern::new(text, Mode::Exact, vars)),
        BaseOperator::StringLike => PolicyValue::Text(Pattern::new(text, Mode::Plain, vars)),
        BaseOperator::StringEqualsIgnoreCase => {
            PolicyValue::Folded(Pattern::new(text, Mode::Exact, vars))
        }
        BaseOperator::ArnEquals | BaseOperator::ArnLike => {
            PolicyValue::Arn(Pattern::new(text, Mode::ArnComponents, vars))
        }
        BaseOperator::NumericEquals
        | BaseOperator::NumericLessThan
        | BaseOperator::NumericLessThanEquals
        | BaseOperator::NumericGreaterThan
        | BaseOperator::NumericGreaterThanEquals => PolicyValue::Number(Decimal::parse(text)),
        BaseOperator::DateEquals
        | BaseOperator::DateLessThan
        | BaseOperator::DateLessThanEquals
        | BaseOperator::DateGreaterThan
        | BaseOperator::DateGreaterThanEquals => PolicyValue::Date(parse_date(text)),
        BaseOperator::Bool | BaseOperator::Null => PolicyValue::Bool(parse_bool(text)),
        BaseOperator::BinaryEquals => {
            PolicyValue::Binary(decode_base64(text).ok_or_else(|| text.to_string()))
        }
        BaseOperator::IpAddress => PolicyValue::Ip(parse_network(text)),
        // `positive()` never returns a negated operator.
        _ => PolicyValue::Bool(None),
    }
}

/// Whether request value `rv` matches policy value `pv` under the positive form of `base`.
fn positive(
    base: BaseOperator,
    pv: &PolicyValue,
    rv: &str,
    request: &Request,
    _entry: &ContextEntry,
) -> bool {
    use BaseOperator::*;
    match (pv, base.positive()) {
        (PolicyValue::Text(p), _) | (PolicyValue::Arn(p), _) => p.matches(rv, request).is_match(),
        (PolicyValue::Folded(p), _) => match p.resolve_text(request) {
            Ok(t) => folded_eq(&t, rv),
            Err(_) => false,
        },
        (PolicyValue::Number(Some(p)), op) => {
            let Some(r) = Decimal::parse(rv) else {
                return false;
            };
            match op {
                NumericEquals => r == *p,
                NumericLessThan => r < *p,
                NumericLessThanEquals => r <= *p,
                NumericGreaterThan => r > *p,
                NumericGreaterThanEquals => r >= *p,
                _ => false,
            }
        }
        (PolicyValue::Date(Some(p)), op) => {
            let Some(r) = parse_date(rv) else {
                return false;
            };
            match op {
                DateEquals => r == *p,
                DateLessThan => r < *p,
                DateLessThanEquals => r <= *p,
                DateGreaterThan => r > *p,
                DateGreaterThanEquals => r >= *p,
                _ => false,
            }
        }
        (PolicyValue::Bool(Some(p)), Bool) => parse_bool(rv) == Some(*p),
        (PolicyValue::Binary(p), _) => match (p, decode_base64(rv)) {
            (Ok(pb), Some(rb)) => *pb == rb,
            (Err(pt), _) => pt == rv,
            _ => false,
        },
        (PolicyValue::Ip(Some(net)), _) => parse_address(rv).is_some_and(|a| net.contains(&a)),
        _ => false,
    }
}

/// Whether two texts are equal under case folding for `…IgnoreCase` (full Unicode
/// lower-casing: policies may hold any character up to U+00FF, and request values
/// anything), compared as they are folded, without building either.
///
/// Out of line: inlined, it grew the condition test past the size at which the compiler
/// still inlines the common comparisons there (+1.4 % on the hot-path bench).
#[inline(never)]
fn folded_eq(a: &str, b: &str) -> bool {
    // ASCII folds to ASCII one for one; a non-ASCII character may fold to ASCII (the Kelvin
    // sign to `k`), so only two ASCII texts take the byte comparison.
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// The family name of an operator, for coverage tables.
pub fn family_of(op: &Operator) -> Family {
    op.base.family()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Context, Principal, ValueType};

    fn request(ctx: Context) -> Request {
        let p = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
        Request::with_context(p, "s3:GetObject", "*", None, ctx)
    }

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        let values: Vec<ConditionValue> = values
            .iter()
            .map(|v| ConditionValue::String(v.to_string()))
            .collect();
        Condition::new(op.parse().unwrap(), key, &values, true)
    }

    fn list(key: &str, values: &[&str]) -> Context {
        let mut c = Context::new();
        c.insert(
            key,
            ValueType::String,
            true,
            values.iter().map(|s| s.to_string()).collect(),
        );
        c
    }

    #[test]
    fn missing_keys() {
        let r = request(Context::new());
        assert!(!cond("StringEquals", "k", &["a"]).evaluate(&r).holds);
        assert!(cond("StringNotEquals", "k", &["a"]).evaluate(&r).holds);
        assert!(cond("StringEqualsIfExists", "k", &["a"]).evaluate(&r).holds);
        assert!(
            cond("ForAllValues:StringEquals", "k", &["a"])
                .evaluate(&r)
                .holds
        );
        assert!(
            !cond("ForAnyValue:StringEquals", "k", &["a"])
                .evaluate(&r)
                .holds
        );
        assert!(cond("Null", "k", &["true"]).evaluate(&r).holds);
        assert!(!cond("Null", "k", &["false"]).evaluate(&r).holds);
        assert!(cond("StringEquals", "k", &["a"]).evaluate(&r).missing);
    }

    #[test]
    fn negated_values_nor() {
        let r = request(Context::new().with("k", "b"));
        assert!(!cond("StringNotEquals", "k", &["a", "b"]).evaluate(&r).holds);
        assert!(cond("StringNotEquals", "k", &["a", "c"]).evaluate(&r).holds);
        assert!(cond("StringEquals", "K", &["a", "b"]).evaluate(&r).holds);
    }

    #[test]
    fn set_operators() {
        let r = request(list("aws:TagKeys", &["environment", "costcenter"]));
        assert!(
            cond("ForAnyValue:StringEquals", "aws:TagKeys", &["environment"])
                .evaluate(&r)
                .holds
        );
        assert!(
            !cond("ForAllValues:StringEquals", "aws:TagKeys", &["environment"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond(
                "ForAllValues:StringEquals",
                "aws:TagKeys",
                &["environment", "costcenter", "x"]
            )
            .evaluate(&r)
            .holds
        );
        assert!(
            cond(
                "ForAnyValue:StringNotEquals",
                "aws:TagKeys",
                &["environment"]
            )
            .evaluate(&r)
            .holds
        );
        assert!(
            !cond(
                "ForAllValues:StringNotEquals",
                "aws:TagKeys",
                &["environment"]
            )
            .evaluate(&r)
            .holds
        );
        let empty = request(list("aws:TagKeys", &[]));
        assert!(
            cond("ForAllValues:StringEquals", "aws:TagKeys", &["x"])
                .evaluate(&empty)
                .holds
        );
        assert!(
            !cond("ForAnyValue:StringEquals", "aws:TagKeys", &["x"])
                .evaluate(&empty)
                .holds
        );
    }

    #[test]
    fn typed_families() {
        let r = request(
            Context::new()
                .with("n", "10")
                .with("d", "2020-06-01T00:00:00Z")
                .with("ip", "203.0.113.9")
                .with("b", "true")
                .with("bin", "QmluYXJ5VmFsdWU="),
        );
        assert!(cond("NumericLessThan", "n", &["10.5"]).evaluate(&r).holds);
        assert!(
            !cond("NumericGreaterThan", "n", &["10.0"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond("DateGreaterThan", "d", &["2020-01-01"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond("DateLessThan", "d", &["1609459200"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond("IpAddress", "ip", &["203.0.113.0/24"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond("NotIpAddress", "ip", &["198.51.100.0/24"])
                .evaluate(&r)
                .holds
        );
        assert!(cond("Bool", "b", &["True"]).evaluate(&r).holds);
        assert!(
            cond("BinaryEquals", "bin", &["QmluYXJ5VmFsdWU="])
                .evaluate(&r)
                .holds
        );
        assert!(!cond("NumericEquals", "n", &["abc"]).evaluate(&r).holds);
        assert!(cond("NumericNotEquals", "n", &["abc"]).evaluate(&r).holds);
    }

    #[test]
    fn variables_in_values() {
        let r = request(Context::new().with("s3:prefix", "home/Bob/"));
        assert!(
            cond("StringLike", "s3:prefix", &["home/${aws:username}/*"])
                .evaluate(&r)
                .holds
        );
        // Unresolved variable: positive operators do not match, negated ones do.
        assert!(
            !cond("StringEquals", "s3:prefix", &["${aws:PrincipalTag/x}"])
                .evaluate(&r)
                .holds
        );
        assert!(
            cond("StringNotEquals", "s3:prefix", &["${aws:PrincipalTag/x}"])
                .evaluate(&r)
                .holds
        );
    }

    #[test]
    fn ignore_case_folds_values_not_keys() {
        let r = request(Context::new().with("aws:RequestTag/environment", "PreProd"));
        assert!(
            cond(
                "StringEqualsIgnoreCase",
                "aws:requesttag/Environment",
                &["preprod"]
            )
            .evaluate(&r)
            .holds
        );
        assert!(
            !cond("StringEquals", "aws:RequestTag/environment", &["preprod"])
                .evaluate(&r)
                .holds
        );
    }

    #[test]
    fn folding_compares_as_the_lower_cased_texts_do() {
        let fold = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
        let texts = [
            "",
            "a",
            "A",
            "Prod",
            "pROD",
            "prod ",
            "k",
            "K",
            "\u{212a}",
            "ß",
            "SS",
            "İ",
            "i\u{307}",
            "é",
            "É",
            "arn:aws:s3:::Bucket/Key",
            "ARN:AWS:S3:::BUCKET/KEY",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(folded_eq(a, b), fold(a) == fold(b), "{a:?} {b:?}");
            }
        }
        assert!(folded_eq("\u{212a}", "k"), "the Kelvin sign folds to k");
    }
}
