//! Rules about who is granted access: the confused-deputy conditions of Clean Rooms trust
//! policies, the collaboration condition of Clean Rooms ML resource policies, and the
//! document-level `Version` and `Sid` rules the policy crate leaves to the linter.

use iamcr_policy::{
    Effect, OperatorName, PolicyKind, PrincipalKind, PrincipalValue, Severity, Statement,
};

use super::context::{Ctx, glob, item_path};
use iamcr_case::AccountId;
use iamcr_case::arn;

/// The Clean Rooms service principals.
const CLEANROOMS: &str = "cleanrooms.amazonaws.com";
const CLEANROOMS_ML: &str = "cleanrooms-ml.amazonaws.com";

/// Run the principal and document rules.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    missing_version(ctx);
    let statements: Vec<_> = ctx.statements().collect();
    for (path, st) in statements {
        match ctx.kind {
            PolicyKind::Trust => confused_deputy(ctx, &st.value, &path),
            PolicyKind::Resource => {
                collaboration_id(ctx, &st.value, &path);
                sid_charset(ctx, &st.value, &path);
            }
            _ => {}
        }
    }
}

fn allows(st: &Statement) -> bool {
    st.effect.as_ref().map(|e| &e.value) == Some(&Effect::Allow)
}

/// The condition keys tested with a positive (restricting) operator, lower-cased, each with
/// whether the operator is an `…IfExists` form.
fn restricting_keys(st: &Statement) -> Vec<(String, bool)> {
    let Some(cond) = &st.condition else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for op in &cond.value.operators {
        let OperatorName::Known(o) = op.operator.value else {
            continue;
        };
        if o.base.is_negated() || o.base == iamcr_policy::BaseOperator::Null {
            continue;
        }
        for k in &op.keys {
            out.push((k.key.value.to_ascii_lowercase(), o.if_exists));
        }
    }
    out
}

/// `confused-deputy-missing`: a trust statement letting a Clean Rooms service principal
/// assume the role for anyone (Access Analyzer security warning "Restrict access to service
/// principal"; the Clean Rooms User Guide's confused-deputy section in seed 001).
fn confused_deputy(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    if !allows(st) {
        return;
    }
    let assumes = st.action.as_ref().is_some_and(|a| {
        !a.value.negated
            && a.value
                .values
                .iter()
                .any(|v| glob(&v.to_ascii_lowercase(), "sts:assumerole"))
    });
    let Some(p) = &st.principal else { return };
    let PrincipalValue::Map(entries) = &p.value.value else {
        return;
    };
    if !assumes || p.value.negated {
        return;
    }
    let keys = restricting_keys(st);
    for e in entries
        .iter()
        .filter(|e| e.kind.value == PrincipalKind::Service)
    {
        for (i, v) in e.values.items.iter().enumerate() {
            let service = v.value.to_ascii_lowercase();
            if service != CLEANROOMS && service != CLEANROOMS_ML {
                continue;
            }
            let mut wanted = vec![
                "aws:sourcearn",
                "aws:sourceaccount",
                "aws:sourceorgid",
                "aws:sourceorgpaths",
            ];
            if service == CLEANROOMS {
                wanted.push("sts:externalid");
            }
            let present: Vec<&(String, bool)> = keys
                .iter()
                .filter(|(k, _)| wanted.contains(&k.as_str()))
                .collect();
            let advice = if service == CLEANROOMS {
                "aws:SourceArn (the membership ARNs), aws:SourceAccount or sts:ExternalId"
            } else {
                "aws:SourceArn or aws:SourceAccount"
            };
            let message = if present.is_empty() {
                format!(
                    "{} may assume this role on behalf of any account: add a condition on \
                     {advice} to prevent the confused-deputy problem",
                    v.value
                )
            } else if present.iter().all(|(_, if_exists)| *if_exists) {
                format!(
                    "{} is restricted only with …IfExists operators, which pass when the key is \
                     absent: use StringEquals/ArnLike without IfExists on {advice}",
                    v.value
                )
            } else {
                continue;
            };
            let at = ctx.at(v.span);
            let base = format!("{path}.Principal");
            let p = item_path(&base, "Service", &e.values, i);
            ctx.push_security("confused-deputy-missing", at, p, message);
        }
    }
}

/// The account an `AWS` principal value names, when it names one.
fn principal_account(value: &str) -> Option<&str> {
    if AccountId::is_valid(value) {
        return Some(value);
    }
    let account = arn_account(value)?;
    AccountId::is_valid(account).then_some(account)
}

/// The account component of an ARN-shaped string, even a malformed one with five
/// components (the linter reports the shape elsewhere).
fn arn_account(value: &str) -> Option<&str> {
    value
        .starts_with("arn:")
        .then(|| arn::components(value).nth(4))
        .flatten()
}

/// `cross-account-without-collaboration-id`: a Clean Rooms ML resource policy statement that
/// lets another account use the resource without tying it to a collaboration (seed 001/002:
/// "the resource policy should include the condition key cleanrooms-ml:CollaborationId").
fn collaboration_id(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    if !allows(st) {
        return;
    }
    let ml_action = st.action.as_ref().is_some_and(|a| {
        !a.value.negated
            && a.value.values.iter().any(|v| {
                v.split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case("cleanrooms-ml"))
            })
    });
    let Some(p) = &st.principal else { return };
    if !ml_action || p.value.negated {
        return;
    }
    let has_condition = st.condition.as_ref().is_some_and(|c| {
        c.value.operators.iter().any(|op| {
            op.keys.iter().any(|k| {
                k.key
                    .value
                    .eq_ignore_ascii_case("cleanrooms-ml:CollaborationId")
            })
        })
    });
    if has_condition {
        return;
    }
    let owners: Vec<&str> = st
        .resource
        .iter()
        .filter(|r| !r.value.negated)
        .flat_map(|r| r.value.values.iter())
        .filter_map(|r| arn_account(r))
        .filter(|a| AccountId::is_valid(a))
        .collect();
    let base = format!("{path}.Principal");
    let (span, p_path, who) = match &p.value.value {
        PrincipalValue::Wildcard => (p.span, base, "everyone (\"*\")".to_string()),
        PrincipalValue::Map(entries) => {
            let other = entries
                .iter()
                .filter(|e| e.kind.value == PrincipalKind::Aws)
                .flat_map(|e| {
                    e.values
                        .items
                        .iter()
                        .enumerate()
                        .map(move |(i, v)| (e, i, v))
                })
                .find(|(_, _, v)| principal_account(&v.value).is_none_or(|a| !owners.contains(&a)));
            let Some((e, i, v)) = other else { return };
            let who = format!("the account of {:?}", v.value);
            (v.span, item_path(&base, "AWS", &e.values, i), who)
        }
    };
    let message = format!(
        "this Clean Rooms ML resource policy grants {who}, which is not the resource owner \
         (as far as the ARNs show), without a cleanrooms-ml:CollaborationId condition: add \
         one so the access holds only within the intended collaboration"
    );
    let at = ctx.at(span);
    ctx.push(
        Severity::Warning,
        "cross-account-without-collaboration-id",
        at,
        p_path,
        message,
    );
}

/// `missing-version`: kinds that accept a policy without `Version` read it as `2008-10-17`,
/// where policy variables are literal text (Access Analyzer general warning "Missing
/// version"). Identity and boundary policies are rejected by the policy crate instead.
fn missing_version(ctx: &mut Ctx<'_>) {
    let applies = matches!(
        ctx.kind,
        PolicyKind::Trust | PolicyKind::Resource | PolicyKind::Session
    );
    if !applies || ctx.policy.version.is_some() {
        return;
    }
    let at = ctx.text.find('{').unwrap_or(0);
    ctx.push(
        Severity::Warning,
        "missing-version",
        u32::try_from(at).unwrap_or(0),
        "Version",
        "the policy has no Version, so it is read as version 2008-10-17 (policy variables \
         such as ${aws:username} are literal text); add \"Version\": \"2012-10-17\"",
    );
}

/// `sid-charset` for resource policies: IAM, STS and Organizations reject Sids with characters
/// other than A–Z, a–z, 0–9 (the policy crate reports that as an error for those kinds);
/// resource-policy services differ and are not verified, so here it is a warning (Access
/// Analyzer: "Unsupported Sid").
fn sid_charset(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    let Some(sid) = &st.sid else { return };
    if sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    let message = format!(
        "Sid {:?} has characters other than A-Z, a-z, 0-9: IAM rejects such Sids in identity \
         and trust policies; whether this resource policy's service accepts it is not verified",
        sid.value
    );
    let at = ctx.at(sid.span);
    ctx.push(
        Severity::Warning,
        "sid-charset",
        at,
        format!("{path}.Sid"),
        message,
    );
}
