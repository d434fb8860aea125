//! Rules about the `Condition` element: unknown and inapplicable keys, operators that do not
//! fit the key's type, set operators, and ARN or account values that cannot be right.

use iamcr_policy::{
    BaseOperator, ConditionKey as PolicyKey, ConditionValue, Family, Operator, OperatorName,
    SetQualifier, Severity, Statement,
};

use super::arn;
use super::context::{ActionValue, Ctx, action_values};
use crate::catalogue::{ConditionKey, KeyType};
use iamcr_eval::values::Decimal;

/// Run the condition rules.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let statements: Vec<_> = ctx.statements().collect();
    for (path, st) in statements {
        let Some(cond) = &st.value.condition else {
            continue;
        };
        let actions = action_values(ctx.cat, &st.value, &path);
        for op in &cond.value.operators {
            let OperatorName::Known(operator) = op.operator.value else {
                continue;
            };
            let op_path = format!("{path}.Condition.{operator}");
            for key in &op.keys {
                let key_path = format!("{op_path}.{}", key.key.value);
                let def = ctx.cat.condition_key_type(&key.key.value);
                key_known(ctx, key, def.is_some(), &key_path);
                if let Some(actions) = &actions {
                    applicable(ctx, &st.value, actions, key, &key_path);
                }
                if let Some(def) = def {
                    operator_type(ctx, operator, def, key, &key_path);
                    set_operator(ctx, operator, def, key, op.operator.span, &key_path);
                }
                values(ctx, operator, def, key, &key_path);
                unreadable(ctx, operator, key, &key_path);
            }
        }
    }
}

/// The service prefix of a key (`s3` for `s3:ResourceAccount`).
fn prefix(key: &str) -> &str {
    key.split_once(':').map_or("", |(p, _)| p)
}

/// `unknown-condition-key`: an `aws:` key that is not a global key, or a key with the prefix
/// of a catalogued service that the service does not define (Access Analyzer: "Invalid global
/// condition key", "Invalid service condition key", both errors).
fn key_known(ctx: &mut Ctx<'_>, key: &PolicyKey, known: bool, path: &str) {
    let name = &key.key.value;
    let p = prefix(name);
    let catalogued = p.eq_ignore_ascii_case("aws") || ctx.cat.service(p).is_some();
    if known || !catalogued {
        return;
    }
    let message = if p.eq_ignore_ascii_case("aws") {
        format!(
            "{name:?} is not a global condition key: IAM accepts the policy, but the key is \
             never in the request context, so the condition never matches (unless negated or \
             …IfExists)"
        )
    } else {
        format!(
            "{name:?} is not a condition key of the service {p:?} in the service catalogue: IAM \
             accepts the policy, but the key is never in the request context"
        )
    };
    let at = ctx.at(key.key.span);
    ctx.push(Severity::Error, "unknown-condition-key", at, path, message);
}

/// Whether the catalogued `action` supports `key` (its own keys, or those of the resource
/// types it is authorized against), comparing catalogue names case-insensitively.
fn supports(ctx: &Ctx<'_>, action: &crate::catalogue::Action, def_name: &str) -> bool {
    let same = |n: &String| n.eq_ignore_ascii_case(def_name);
    if action.condition_keys.iter().any(same) {
        return true;
    }
    let Some(svc) = ctx.cat.service(action.service_prefix()) else {
        return false;
    };
    action.resource_types.iter().any(|r| {
        svc.resource_type(&r.resource_type)
            .is_some_and(|t| t.condition_keys.iter().any(same))
    })
}

/// `condition-key-not-applicable`: a service key none of the statement's actions supports.
/// Global keys (including the cross-service keys the User Guide lists with them) are always
/// in scope, as Access Analyzer treats them.
fn applicable(
    ctx: &mut Ctx<'_>,
    st: &Statement,
    actions: &[ActionValue<'_>],
    key: &PolicyKey,
    path: &str,
) {
    let name = &key.key.value;
    let p = prefix(name);
    if p.eq_ignore_ascii_case("aws") || ctx.cat.global_key(name).is_some() {
        return;
    }
    let Some(svc) = ctx.cat.service(p) else {
        return;
    };
    // The catalogue's own name for the key (a template such as `kms:EncryptionContext:${…}`).
    let Some(def) = svc.condition_key(name) else {
        return;
    };
    if actions.is_empty()
        || actions
            .iter()
            .any(|a| !a.known_service || a.actions.is_empty())
    {
        return;
    }
    let every = actions.iter().flat_map(|a| a.actions.iter());
    if every
        .clone()
        .any(|a| a.newer_upstream && a.condition_keys.is_empty())
    {
        return;
    }
    let def_name = def.name.clone();
    if every.clone().any(|a| supports(ctx, a, &def_name)) {
        return;
    }
    let names: Vec<&str> = actions.iter().map(|a| a.value.value.as_str()).collect();
    let effect = match st.effect.as_ref().map(|e| &e.value) {
        Some(iamcr_policy::Effect::Deny) => "the Deny never applies",
        _ => "the statement never matches",
    };
    let message = format!(
        "no action of the statement ({}) supports the condition key {name:?}: IAM accepts \
         the policy, but the key is absent from their requests, so {effect} (unless the \
         operator is negated or …IfExists) (Access Analyzer: \"Unsupported action for \
         condition key\")",
        names.join(", ")
    );
    let at = ctx.at(key.key.span);
    ctx.push(
        Severity::Error,
        "condition-key-not-applicable",
        at,
        path,
        message,
    );
}

/// Operator families a key type accepts.
fn fits(value_type: KeyType, family: Family, documented: &str) -> bool {
    match value_type.element() {
        KeyType::String | KeyType::ArrayOfString => family == Family::String,
        KeyType::Arn => matches!(family, Family::Arn | Family::String),
        KeyType::Numeric => family == Family::Numeric,
        // `aws:EpochTime` is documented "Date, Numeric".
        KeyType::Date => {
            family == Family::Date || (family == Family::Numeric && documented.contains("Numeric"))
        }
        KeyType::Bool => family == Family::Bool,
        KeyType::IpAddress => family == Family::Ip,
        KeyType::Binary => family == Family::Binary,
        _ => true,
    }
}

/// `operator-type-mismatch`: the operator's family against the key's declared type. `Null`
/// fits every key. String operators on ARN keys work but compare text, not ARN components:
/// a suggestion, and a warning for `StringLike` (Access Analyzer security warning "String like
/// operator with ARN condition keys"); every other mismatch is a warning (Access Analyzer
/// general warning "Type mismatch").
fn operator_type(ctx: &mut Ctx<'_>, op: Operator, def: &ConditionKey, key: &PolicyKey, path: &str) {
    let family = op.base.family();
    if family == Family::Null {
        return;
    }
    let documented = ctx
        .cat
        .global_key(&key.key.value)
        .map_or(String::new(), |g| g.documented_data_type.clone());
    let element = def.value_type.element();
    let name = &key.key.value;
    let at = ctx.at(key.key.span);
    if element == KeyType::Arn && family == Family::String {
        let like = matches!(
            op.base,
            BaseOperator::StringLike | BaseOperator::StringNotLike
        );
        let arn_base = match op.base {
            BaseOperator::StringLike => BaseOperator::ArnLike,
            BaseOperator::StringNotLike => BaseOperator::ArnNotLike,
            BaseOperator::StringNotEquals | BaseOperator::StringNotEqualsIgnoreCase => {
                BaseOperator::ArnNotEquals
            }
            _ => BaseOperator::ArnEquals,
        };
        let arn_op = Operator {
            base: arn_base,
            ..op
        };
        let (severity, why) = if like {
            (
                Severity::Warning,
                "a StringLike wildcard can match across ARN components",
            )
        } else {
            (
                Severity::Suggestion,
                "ARN operators compare component by component",
            )
        };
        let message = format!("{name:?} is an ARN key: use {arn_op} instead of {op}; {why}");
        if like {
            ctx.push_security("operator-type-mismatch", at, path, message);
        } else {
            ctx.push(severity, "operator-type-mismatch", at, path, message);
        }
        return;
    }
    if fits(def.value_type, family, &documented) {
        return;
    }
    let message = format!(
        "{name:?} has type {} but {op} compares {} values: the comparison {} (Access \
         Analyzer: \"Type mismatch\")",
        def.value_type,
        family.name(),
        match element {
            KeyType::String if family == Family::Arn => {
                "parses the key's value as an ARN although the key holds plain text; use the \
                 String operator of the same meaning (e.g. StringLike for ArnLike)"
            }
            _ => "does not compare what the key holds",
        }
    );
    ctx.push(
        Severity::Warning,
        "operator-type-mismatch",
        at,
        path,
        message,
    );
}

/// `set-operator-on-single-valued-key` and `multivalued-key-without-set-operator`.
fn set_operator(
    ctx: &mut Ctx<'_>,
    op: Operator,
    def: &ConditionKey,
    key: &PolicyKey,
    op_span: iamcr_policy::Span,
    path: &str,
) {
    let name = &key.key.value;
    let multi = def.multivalued || def.value_type.is_array();
    match (op.qualifier, multi) {
        (Some(q), false) => {
            let risk = match q {
                SetQualifier::ForAllValues => {
                    "ForAllValues is also true when the key is absent, so the condition \
                     matches requests without it (Access Analyzer security warning: \
                     \"ForAllValues with single valued key\")"
                }
                SetQualifier::ForAnyValue => {
                    "remove ForAnyValue: (IAM User Guide: do not use condition set operators \
                     with single-valued context keys)"
                }
            };
            let message = format!(
                "{} used with the single-valued key {name:?}; {risk}",
                q.prefix().trim_end_matches(':')
            );
            let at = ctx.at(op_span);
            let code = "set-operator-on-single-valued-key";
            if q == SetQualifier::ForAllValues {
                ctx.push_security(code, at, path, message);
            } else {
                ctx.push(Severity::Warning, code, at, path, message);
            }
        }
        (None, true) if op.base != BaseOperator::Null => {
            let message = format!(
                "{name:?} is multivalued: use ForAnyValue: or ForAllValues: with {op}; without a \
                 set operator the condition compares the whole set and the result depends on \
                 the order and number of values"
            );
            let at = ctx.at(key.key.span);
            ctx.push(
                Severity::Warning,
                "multivalued-key-without-set-operator",
                at,
                path,
                message,
            );
        }
        _ => {}
    }
}

/// Keys whose values are account IDs.
fn is_account_key(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "aws:sourceaccount",
        "aws:resourceaccount",
        "aws:principalaccount",
        "aws:vpceaccount",
        "s3:resourceaccount",
        "s3:dataaccesspointaccount",
        "kms:calleraccount",
    ]
    .contains(&lower.as_str())
}

/// `malformed-arn-value` for condition values (ARN-shaped values of any key, values of Arn
/// operators and of ARN-typed keys) and `malformed-account-value` for account-ID keys. IAM
/// accepts any text here; a malformed value simply never matches.
fn values(
    ctx: &mut Ctx<'_>,
    op: Operator,
    def: Option<&ConditionKey>,
    key: &PolicyKey,
    path: &str,
) {
    let arn_context = op.base.family() == Family::Arn
        || def.is_some_and(|d| d.value_type.element() == KeyType::Arn);
    let account_key = is_account_key(&key.key.value);
    let items = &key.values.value.items;
    for (i, v) in items.iter().enumerate() {
        let ConditionValue::String(text) = &v.value else {
            continue;
        };
        let vpath = if items.len() > 1 || key.values.value.form == iamcr_policy::Form::List {
            format!("{path}[{i}]")
        } else {
            path.to_string()
        };
        let at = ctx.at(v.span);
        if let Some(p) = arn::problems(text) {
            if !p.is_empty() {
                let never = match (p.malformed.is_empty(), op.if_exists) {
                    (_, true) => {
                        "; the value never matches, so with …IfExists the condition \
                                  fails whenever the key is present"
                    }
                    (false, false) => "; the value never matches a real ARN",
                    (true, false) => "; replace the placeholder, or the value never matches",
                };
                let message = format!("{}{never}", p.message(text));
                ctx.push(Severity::Warning, "malformed-arn-value", at, vpath, message);
            }
            continue;
        }
        let open = text.contains(['*', '?']) || text.contains("${");
        // Wildcard text (`*`, `*cleanrooms*`) is a legitimate pattern; only a fixed value
        // that cannot be an ARN is certainly wrong.
        if arn_context && !open {
            let message = format!(
                "{text:?} is not an ARN (arn:partition:service:region:account:resource), but \
                 {:?} is compared with ARNs: the value never matches",
                key.key.value
            );
            ctx.push(Severity::Warning, "malformed-arn-value", at, vpath, message);
            continue;
        }
        if account_key && !open && !iamcr_case::AccountId::is_valid(text) {
            let message = format!(
                "{text:?} is not a 12-digit account ID (placeholder left in?): {:?} never \
                 equals it",
                key.key.value
            );
            ctx.push(
                Severity::Warning,
                "malformed-account-value",
                at,
                vpath,
                message,
            );
        }
    }
}

/// What a value of an operator family must read as, and whether `text` does (as the
/// evaluator reads it: `iamcr_eval::values`); `None` for families without a typed reading
/// here (strings, ARNs, `Null`; dates are checked by the policy crate, since IAM rejects them).
fn typed_reading(family: Family, text: &str) -> Option<(&'static str, bool)> {
    use iamcr_eval::values::{decode_base64, parse_bool, parse_network};
    match family {
        Family::Numeric => Some(("a number", Decimal::parse(text).is_some())),
        Family::Ip => Some(("an IP address or CIDR block", parse_network(text).is_some())),
        Family::Bool => Some(("true or false", parse_bool(text).is_some())),
        Family::Binary => Some(("base-64 bytes", decode_base64(text).is_some())),
        _ => None,
    }
}

/// `unreadable-condition-value`: a value of a numeric, IP, Bool or Binary operator that
/// cannot be read as its type (`1e999999999`, `"ten"`, `300.1.1.1`, `yes`). IAM accepts the
/// policy; the comparison with that value is never true, so a positive operator never
/// matches on it and a negated one always does (Access Analyzer's general warnings of the
/// "Type mismatch" family). Values with policy variables are read at request time: skipped.
fn unreadable(ctx: &mut Ctx<'_>, op: Operator, key: &PolicyKey, path: &str) {
    let items = &key.values.value.items;
    for (i, v) in items.iter().enumerate() {
        let text = match &v.value {
            ConditionValue::String(s) => s.clone(),
            ConditionValue::Number(n) => n.clone(),
            ConditionValue::Bool(b) => b.to_string(),
        };
        if text.contains("${") {
            continue;
        }
        let Some((wanted, true)) = typed_reading(op.base.family(), &text).map(|(w, ok)| (w, !ok))
        else {
            continue;
        };
        let outcome = if op.base.is_negated() {
            "so the negated comparison with it is true for every request that has the key"
        } else {
            "so the comparison with it is never true"
        };
        let exponent_form = text.split_once(['e', 'E']).is_some_and(|(m, e)| {
            Decimal::parse(m).is_some() && e.trim_start_matches(['+', '-']).parse::<u64>().is_ok()
        });
        let range = if op.base.family() == Family::Numeric && exponent_form {
            " (exponents beyond ±400 are outside what the evaluator reads as a number)"
        } else {
            ""
        };
        let message = format!(
            "{text:?} is not {wanted}{range}, as {op} compares {:?}: IAM accepts the policy, \
             {outcome}",
            key.key.value
        );
        let vpath = if items.len() > 1 || key.values.value.form == iamcr_policy::Form::List {
            format!("{path}[{i}]")
        } else {
            path.to_string()
        };
        let at = ctx.at(v.span);
        ctx.push(
            Severity::Warning,
            "unreadable-condition-value",
            at,
            vpath,
            message,
        );
    }
}
