//! Rules about grants that reach too far: a trust or resource policy anyone can use
//! (`Principal` `"*"` or `{"AWS": "*"}` without a condition that names who), and full access
//! (`Action: "*"` on `Resource: "*"`). Both are Access Analyzer security warnings in shape:
//! the policy is valid and does what it says, which is more than anyone means.

use iamcr_policy::{
    ConditionKey, ConditionValue, Effect, OperatorName, PolicyKind, PrincipalKind, PrincipalValue,
    Span, Statement,
};

use super::context::{Ctx, glob, has_star, item_path};

/// Run the grant rules.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let statements: Vec<_> = ctx.statements().collect();
    for (path, st) in statements {
        let st = &st.value;
        if st.effect.as_ref().map(|e| &e.value) != Some(&Effect::Allow) {
            continue;
        }
        match ctx.kind {
            PolicyKind::Trust | PolicyKind::Resource => anyone(ctx, st, &path),
            _ => {}
        }
        // A boundary, SCP or RCP of `*` on `*` is the usual "allow everything" filter
        // (Organizations' FullAWSAccess), not a grant.
        if matches!(
            ctx.kind,
            PolicyKind::Identity | PolicyKind::Resource | PolicyKind::Session
        ) {
            full_access(ctx, st, &path);
        }
    }
}

/// Keys whose conditions name who may use the grant (the caller's account, organization,
/// ARN or network, or the resource a service acts for). `sts:ExternalId` is not one: the
/// IAM User Guide says an external ID is not a secret, so anyone who learns it passes.
const WHO_KEYS: [&str; 16] = [
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "aws:username",
    "aws:vpceaccount",
    "aws:vpceorgid",
    "aws:vpceorgpaths",
];

/// Whether a value restricts anything: not empty and not all wildcards.
fn restricts(value: &ConditionValue) -> bool {
    match value {
        ConditionValue::String(s) => !s.is_empty() && !s.chars().all(|c| c == '*' || c == '?'),
        ConditionValue::Number(_) | ConditionValue::Bool(_) => true,
    }
}

/// The condition keys of `st` that limit who can use the statement: a positive operator
/// without `…IfExists` (which passes when the key is absent) on a [`WHO_KEYS`] key with a
/// value that is not all wildcards.
fn who_conditions(st: &Statement) -> Vec<&ConditionKey> {
    let Some(cond) = &st.condition else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for op in &cond.value.operators {
        let OperatorName::Known(o) = op.operator.value else {
            continue;
        };
        if o.base.is_negated() || o.if_exists || o.base == iamcr_policy::BaseOperator::Null {
            continue;
        }
        for k in &op.keys {
            let name = k.key.value.to_ascii_lowercase();
            if WHO_KEYS.contains(&name.as_str())
                && k.values.value.items.iter().all(|v| restricts(&v.value))
            {
                out.push(k);
            }
        }
    }
    out
}

/// The everyone-principal of a statement: `"*"` or an `AWS` value `"*"`, with its span and
/// JSON path. `NotPrincipal` is another rule's business.
fn everyone(st: &Statement, path: &str) -> Option<(Span, String)> {
    let p = st.principal.as_ref()?;
    if p.value.negated {
        return None;
    }
    let base = format!("{path}.Principal");
    match &p.value.value {
        PrincipalValue::Wildcard => Some((p.span, base)),
        PrincipalValue::Map(entries) => entries
            .iter()
            .filter(|e| e.kind.value == PrincipalKind::Aws)
            .find_map(|e| {
                let i = e.values.items.iter().position(|v| v.value == "*")?;
                Some((
                    e.values.items[i].span,
                    item_path(&base, "AWS", &e.values, i),
                ))
            }),
    }
}

/// `principal-anyone`: a trust statement any AWS principal can assume, or a resource
/// statement granting any principal, with no condition naming who (Access Analyzer reports
/// such roles and resources as public: "external access" findings whose principal is `*`).
fn anyone(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    let Some((span, p_path)) = everyone(st, path) else {
        return;
    };
    let Some(action) = st.action.as_ref().filter(|a| !a.value.negated) else {
        return;
    };
    if !who_conditions(st).is_empty() {
        return;
    }
    let what = if ctx.kind == PolicyKind::Trust {
        let assume = action.value.values.iter().find(|v| {
            let v = v.to_ascii_lowercase();
            glob(&v, "sts:assumerole") || v.starts_with("sts:assumerole")
        });
        let Some(assume) = assume else { return };
        format!("any AWS principal, in any account, can call {assume} on this role")
    } else {
        "any principal, in any account (and anonymous callers, where the service allows \
         them), is granted this statement's actions"
            .to_string()
    };
    let message = format!(
        "{what}: the statement has no condition that names who (aws:PrincipalOrgID, \
         aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, …); \
         name the account or role in Principal, or add such a condition (Access Analyzer \
         reports this access as public)"
    );
    let at = ctx.at(span);
    ctx.push_security("principal-anyone", at, p_path, message);
}

/// `full-access`: `Action: "*"` on `Resource: "*"` — every action of every service on every
/// resource (an administrator grant; AWS Security Hub control IAM.1 flags it in customer
/// managed policies).
fn full_access(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    let Some(action) = st.action.as_ref().filter(|a| !a.value.negated) else {
        return;
    };
    let Some(resource) = st.resource.as_ref().filter(|r| !r.value.negated) else {
        return;
    };
    if !has_star(&resource.value.values) {
        return;
    }
    let values = &action.value.values;
    let Some(i) = values.items.iter().position(|v| v.value == "*") else {
        return;
    };
    let under = if st.condition.is_some() {
        " (whenever its condition holds)"
    } else {
        ""
    };
    let message = format!(
        "Action \"*\" on Resource \"*\" allows every action of every service on every \
         resource{under}, including changing IAM itself: grant the actions and resources \
         the principal needs"
    );
    let at = ctx.at(values.items[i].span);
    ctx.push_security(
        "full-access",
        at,
        item_path(path, "Action", values, i),
        message,
    );
}
