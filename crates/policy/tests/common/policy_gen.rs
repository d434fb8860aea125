//! A proptest strategy for `iamcr_policy::Policy` values built directly (not parsed).
//!
//! The policies are the ones `parse` can return: every statement has an `Effect`, the
//! `Version` is one of the two IAM knows, principal types are the four IAM knows, an unknown
//! condition operator has no keys, keys are unique within each object, and a `Single` form
//! holds exactly one item. Within that, everything varies: Sid, Effect (including spellings IAM
//! rejects), Principal/NotPrincipal (`"*"` or a map), Action/NotAction, Resource/NotResource,
//! Condition with string, number and boolean values, single vs list forms, empty lists, and
//! strings with characters JSON must escape, non-ASCII and astral characters.

use iamcr_policy::{
    ActionBlock, BaseOperator, ConditionBlock, ConditionKey, ConditionOperator, ConditionValue,
    ConditionValues, Effect, Form, Operator, OperatorName, Policy, PrincipalBlock, PrincipalEntry,
    PrincipalKind, PrincipalValue, ResourceBlock, SetQualifier, Spanned, Statement, Values,
    Version,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use std::collections::HashSet;

fn s<T>(value: T) -> Spanned<T> {
    Spanned::synthetic(value)
}

/// Characters of generated strings: mostly what ARNs, actions and keys are made of; also what
/// JSON must escape (quote, backslash, controls, DEL), `/`, and non-ASCII up to U+10FFFF.
pub fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => select("abcxyzABCXYZ0129:*?/-_.$@{} ".chars().collect::<Vec<_>>()),
        2 => select(vec![
            '"', '\\', '\n', '\r', '\t', '\u{0}', '\u{8}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}',
            '/',
        ]),
        2 => select(vec![
            'é', 'ß', '€', '中', '😀', '\u{a0}', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}',
            '\u{fffd}', '\u{10ffff}',
        ]),
        1 => any::<char>(),
    ]
}

/// A string of up to `max - 1` characters of [`text_char`].
pub fn text(max: usize) -> impl Strategy<Value = String> {
    vec(text_char(), 0..max).prop_map(String::from_iter)
}

/// A JSON number as written (what `ConditionValue::Number` holds after parsing).
pub fn json_number() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,9})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,3})?"
}

/// One string or a list of strings (possibly empty).
pub fn values() -> impl Strategy<Value = Values> {
    prop_oneof![
        text(24).prop_map(Values::single),
        vec(text(24), 0..4).prop_map(Values::list),
    ]
}

pub fn effect() -> impl Strategy<Value = Effect> {
    prop_oneof![
        4 => Just(Effect::Allow),
        4 => Just(Effect::Deny),
        1 => text(8)
            .prop_filter("Allow and Deny parse as themselves", |t| t != "Allow" && t != "Deny")
            .prop_map(Effect::Other),
    ]
}

pub fn principal() -> impl Strategy<Value = PrincipalBlock> {
    let kinds = vec![
        PrincipalKind::Aws,
        PrincipalKind::Service,
        PrincipalKind::Federated,
        PrincipalKind::CanonicalUser,
    ];
    let map = subsequence(kinds, 0..=4)
        .prop_shuffle()
        .prop_flat_map(|kinds| {
            let n = kinds.len();
            (Just(kinds), vec(values(), n))
        })
        .prop_map(|(kinds, values)| {
            PrincipalValue::Map(
                kinds
                    .into_iter()
                    .zip(values)
                    .map(|(kind, values)| PrincipalEntry {
                        kind: s(kind),
                        values,
                    })
                    .collect(),
            )
        });
    (
        any::<bool>(),
        prop_oneof![1 => Just(PrincipalValue::Wildcard), 3 => map],
    )
        .prop_map(|(negated, value)| PrincipalBlock { negated, value })
}

pub fn condition_value() -> impl Strategy<Value = ConditionValue> {
    prop_oneof![
        3 => text(16).prop_map(ConditionValue::String),
        1 => json_number().prop_map(ConditionValue::Number),
        1 => any::<bool>().prop_map(ConditionValue::Bool),
    ]
}

pub fn condition_values() -> impl Strategy<Value = ConditionValues> {
    prop_oneof![
        condition_value().prop_map(|v| ConditionValues {
            items: vec![s(v)],
            form: Form::Single,
        }),
        vec(condition_value(), 0..4).prop_map(|items| ConditionValues {
            items: items.into_iter().map(s).collect(),
            form: Form::List,
        }),
    ]
}

pub fn operator() -> impl Strategy<Value = Operator> {
    (
        prop::option::of(select(vec![
            SetQualifier::ForAllValues,
            SetQualifier::ForAnyValue,
        ])),
        select(BaseOperator::ALL.to_vec()),
        any::<bool>(),
    )
        .prop_map(|(qualifier, base, if_exists)| Operator {
            qualifier,
            base,
            if_exists,
        })
}

/// Keeps the first of the items with the same key.
fn unique_by<T>(items: Vec<T>, key: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

pub fn condition_operator() -> impl Strategy<Value = ConditionOperator> {
    let known = (operator(), vec((text(16), condition_values()), 0..4)).prop_map(|(op, keys)| {
        ConditionOperator {
            operator: s(OperatorName::Known(op)),
            keys: unique_by(keys, |(k, _)| k.clone())
                .into_iter()
                .map(|(key, values)| ConditionKey {
                    key: s(key),
                    values: s(values),
                })
                .collect(),
        }
    });
    // IAM accepts an unknown operator only with no keys.
    let unknown = text(16)
        .prop_filter("an unknown operator must not be a known name", |n| {
            n.parse::<Operator>().is_err()
        })
        .prop_map(|name| ConditionOperator {
            operator: s(OperatorName::Unknown(name)),
            keys: Vec::new(),
        });
    prop_oneof![4 => known, 1 => unknown]
}

pub fn condition() -> impl Strategy<Value = ConditionBlock> {
    vec(condition_operator(), 0..4).prop_map(|ops| ConditionBlock {
        operators: unique_by(ops, |o| o.operator.value.text()),
    })
}

pub fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::option::of(text(12)),
        effect(),
        prop::option::of(principal()),
        prop::option::of((any::<bool>(), values())),
        prop::option::of((any::<bool>(), values())),
        prop::option::of(condition()),
    )
        .prop_map(
            |(sid, effect, principal, action, resource, condition)| Statement {
                sid: sid.map(s),
                effect: Some(s(effect)),
                principal: principal.map(s),
                action: action.map(|(negated, values)| s(ActionBlock { negated, values })),
                resource: resource.map(|(negated, values)| s(ResourceBlock { negated, values })),
                condition: condition.map(s),
            },
        )
}

/// A policy built in code (no source, synthetic spans).
pub fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::option::of(select(vec![Version::V2012_10_17, Version::V2008_10_17])),
        prop::option::of(text(12)),
        vec(statement(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(version, id, statements, single)| {
            let form = if single && statements.len() == 1 {
                Form::Single
            } else {
                Form::List
            };
            Policy {
                version: version.map(s),
                id: id.map(s),
                statements: statements.into_iter().map(s).collect(),
                statement_form: Some(form),
                source: None,
            }
        })
}
