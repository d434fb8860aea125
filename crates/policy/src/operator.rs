//! Condition operators: names, families, and the `ForAllValues:` / `ForAnyValue:` /
//! `…IfExists` modifiers.
//!
//! Source: IAM User Guide, "IAM JSON policy elements: Condition operators"
//! (reference_policies_elements_condition_operators.html) and "Multivalued context keys"
//! (reference_policies_condition-single-vs-multi-valued-context-keys.html).

use std::fmt;
use std::str::FromStr;

/// The operator without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs, reason = "the variant names are the IAM operator names")]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// Operator families, by the type of value they compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(
    missing_docs,
    reason = "the variant names are the operator families (String, Numeric, …) the docs name"
)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl Family {
    /// Every family, in a fixed order (for coverage tables).
    pub const ALL: [Family; 8] = [
        Family::String,
        Family::Numeric,
        Family::Date,
        Family::Bool,
        Family::Binary,
        Family::Ip,
        Family::Arn,
        Family::Null,
    ];

    /// The family's name as used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::String => "String",
            Family::Numeric => "Numeric",
            Family::Date => "Date",
            Family::Bool => "Bool",
            Family::Binary => "Binary",
            Family::Ip => "IpAddress",
            Family::Arn => "Arn",
            Family::Null => "Null",
        }
    }
}

impl BaseOperator {
    /// Every base operator, in the order of the IAM documentation.
    pub const ALL: [BaseOperator; 27] = [
        BaseOperator::StringEquals,
        BaseOperator::StringNotEquals,
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
        BaseOperator::StringLike,
        BaseOperator::StringNotLike,
        BaseOperator::NumericEquals,
        BaseOperator::NumericNotEquals,
        BaseOperator::NumericLessThan,
        BaseOperator::NumericLessThanEquals,
        BaseOperator::NumericGreaterThan,
        BaseOperator::NumericGreaterThanEquals,
        BaseOperator::DateEquals,
        BaseOperator::DateNotEquals,
        BaseOperator::DateLessThan,
        BaseOperator::DateLessThanEquals,
        BaseOperator::DateGreaterThan,
        BaseOperator::DateGreaterThanEquals,
        BaseOperator::Bool,
        BaseOperator::BinaryEquals,
        BaseOperator::IpAddress,
        BaseOperator::NotIpAddress,
        BaseOperator::ArnEquals,
        BaseOperator::ArnLike,
        BaseOperator::ArnNotEquals,
        BaseOperator::ArnNotLike,
        BaseOperator::Null,
    ];

    /// The IAM name, e.g. `StringEquals`.
    pub fn name(self) -> &'static str {
        use BaseOperator::*;
        match self {
            StringEquals => "StringEquals",
            StringNotEquals => "StringNotEquals",
            StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            StringLike => "StringLike",
            StringNotLike => "StringNotLike",
            NumericEquals => "NumericEquals",
            NumericNotEquals => "NumericNotEquals",
            NumericLessThan => "NumericLessThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThan => "NumericGreaterThan",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            DateEquals => "DateEquals",
            DateNotEquals => "DateNotEquals",
            DateLessThan => "DateLessThan",
            DateLessThanEquals => "DateLessThanEquals",
            DateGreaterThan => "DateGreaterThan",
            DateGreaterThanEquals => "DateGreaterThanEquals",
            Bool => "Bool",
            BinaryEquals => "BinaryEquals",
            IpAddress => "IpAddress",
            NotIpAddress => "NotIpAddress",
            ArnEquals => "ArnEquals",
            ArnLike => "ArnLike",
            ArnNotEquals => "ArnNotEquals",
            ArnNotLike => "ArnNotLike",
            Null => "Null",
        }
    }

    /// The family of values this operator compares.
    pub fn family(self) -> Family {
        use BaseOperator::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }

    /// Negated operators ("…Not…") are true when the key is missing and combine several policy
    /// values with NOR instead of OR (IAM User Guide, condition logic with multiple values).
    pub fn is_negated(self) -> bool {
        use BaseOperator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The positive operator a negated one negates (`StringNotLike` → `StringLike`).
    pub fn positive(self) -> BaseOperator {
        use BaseOperator::*;
        match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            other => other,
        }
    }

    /// Whether `${…}` policy variables are substituted in this operator's values: string and
    /// ARN operators only ("You can't use a policy variable with … Numeric, Date, Boolean,
    /// Binary, IP Address, or Null operators", reference_policies_variables.html).
    pub fn takes_variables(self) -> bool {
        matches!(self.family(), Family::String | Family::Arn)
    }
}

impl FromStr for BaseOperator {
    type Err = ();
    fn from_str(s: &str) -> Result<BaseOperator, ()> {
        BaseOperator::ALL
            .iter()
            .copied()
            .find(|op| op.name() == s)
            .ok_or(())
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SetQualifier {
    /// Every request value must match some policy value (true for no values).
    ForAllValues,
    /// Some request value must match some policy value (false for no values).
    ForAnyValue,
}

impl SetQualifier {
    /// The prefix as written, with its colon.
    pub fn prefix(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues:",
            SetQualifier::ForAnyValue => "ForAnyValue:",
        }
    }
}

/// A complete condition operator: optional set qualifier, base operator, optional `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operator {
    /// `ForAllValues:` / `ForAnyValue:`, if given.
    pub qualifier: Option<SetQualifier>,
    /// The base operator.
    pub base: BaseOperator,
    /// `…IfExists`: a missing key makes the condition true.
    pub if_exists: bool,
}

impl Operator {
    /// A plain operator with no modifiers.
    pub fn plain(base: BaseOperator) -> Operator {
        Operator {
            qualifier: None,
            base,
            if_exists: false,
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            f.write_str(q.prefix())?;
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

impl FromStr for Operator {
    type Err = ();
    /// Operator names are case-sensitive, as in the IAM grammar; one qualifier prefix and one
    /// `IfExists` suffix at most.
    fn from_str(s: &str) -> Result<Operator, ()> {
        let (qualifier, rest) = if let Some(r) = s.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = s.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, s)
        };
        if let Ok(base) = rest.parse::<BaseOperator>() {
            return Ok(Operator {
                qualifier,
                base,
                if_exists: false,
            });
        }
        let base = rest
            .strip_suffix("IfExists")
            .ok_or(())?
            .parse::<BaseOperator>()?;
        Ok(Operator {
            qualifier,
            base,
            if_exists: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_form() {
        for base in BaseOperator::ALL {
            for qualifier in [
                None,
                Some(SetQualifier::ForAllValues),
                Some(SetQualifier::ForAnyValue),
            ] {
                for if_exists in [false, true] {
                    let op = Operator {
                        qualifier,
                        base,
                        if_exists,
                    };
                    assert_eq!(op.to_string().parse::<Operator>(), Ok(op));
                }
            }
        }
    }

    #[test]
    fn rejects_unknown_and_malformed_names() {
        for bad in [
            "x",
            "stringequals",
            "ForAnyValue::StringEqualsIfExists",
            "ForAnyValue:ForAllValues:StringEquals",
            "StringEqualsIfExistsIfExists",
            "IfExists",
        ] {
            assert!(bad.parse::<Operator>().is_err(), "{bad}");
        }
    }

    #[test]
    fn negation_pairs() {
        for op in BaseOperator::ALL {
            if op.is_negated() {
                assert!(!op.positive().is_negated());
                assert_eq!(op.family(), op.positive().family());
            } else {
                assert_eq!(op.positive(), op);
            }
        }
    }
}
