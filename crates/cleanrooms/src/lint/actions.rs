//! Rules about `Action` and `Resource`: unknown actions, actions whose resources the
//! statement does not name, redundant entries, `iam:PassRole`, and `NotAction`/`NotResource`
//! with `Allow`.

use iamcr_policy::{Effect, Severity, Statement, Values};

use super::arn;
use super::context::{
    ActionValue, Ctx, action_values, describe_actions, glob, has_star, item_path,
};
use crate::catalogue::{Action, Catalogue, ResourceType};

/// Resource types an action is authorized against beyond what the Service Authorization
/// Reference lists, from the catalogue's notes on the action (see
/// [`Catalogue::action`](crate::catalogue::Catalogue::action)): the Clean Rooms ML user guide
/// says a cross-account `StartAudienceGenerationJob` is authorized against the
/// audience-generation-job ARNs as well.
const EXTRA_RESOURCE_TYPES: [(&str, &str, &str); 1] = [(
    "cleanrooms-ml",
    "StartAudienceGenerationJob",
    "audiencegenerationjob",
)];

/// The resource types `action` accepts, with the SAR's "required" flag.
fn accepted<'c>(cat: &'c Catalogue, action: &'c Action) -> Vec<(&'c ResourceType, bool)> {
    let Some(svc) = cat.service(action.service_prefix()) else {
        return Vec::new();
    };
    let mut out: Vec<(&ResourceType, bool)> = action
        .resource_types
        .iter()
        .filter_map(|r| svc.resource_type(&r.resource_type).map(|t| (t, r.required)))
        .collect();
    for (prefix, name, extra) in EXTRA_RESOURCE_TYPES {
        if action.service_prefix() == prefix
            && action.name.eq_ignore_ascii_case(name)
            && let Some(t) = svc.resource_type(extra)
        {
            out.push((t, false));
        }
    }
    out
}

/// Whether the catalogue knows nothing about the action's resources: newer-upstream actions
/// with no resource data (the catalogue cannot tell "only `*`" from "unknown" for them).
fn resources_unknown(action: &Action) -> bool {
    action.newer_upstream && action.resource_types.is_empty()
}

/// Run the action and resource rules.
pub(crate) fn check(ctx: &mut Ctx<'_>) {
    let statements: Vec<_> = ctx.statements().collect();
    for (path, st) in statements {
        let st = &st.value;
        if let Some(block) = &st.action {
            let element = if block.value.negated {
                "NotAction"
            } else {
                "Action"
            };
            let values = describe_actions(ctx.cat, &block.value.values, &path, element);
            unknown_actions(ctx, &values);
            redundant(ctx, &block.value.values, &path, element, true);
        }
        if let Some(block) = &st.resource {
            let element = if block.value.negated {
                "NotResource"
            } else {
                "Resource"
            };
            redundant(ctx, &block.value.values, &path, element, false);
            resource_values(ctx, &block.value.values, &path, element);
        }
        resource_mismatch(ctx, st, &path);
        pass_role(ctx, st, &path);
        negated_with_allow(ctx, st, &path);
    }
}

/// `unknown-action`: a pattern of a catalogued service that matches no action.
fn unknown_actions(ctx: &mut Ctx<'_>, values: &[ActionValue<'_>]) {
    for v in values {
        if !v.known_service || !v.actions.is_empty() || v.value.value == "*" {
            continue;
        }
        let what = if v.value.value.contains(['*', '?']) {
            "matches no action of"
        } else {
            "is not an action of"
        };
        let prefix = v.value.value.split(':').next().unwrap_or("");
        let message = format!(
            "{:?} {what} the service {prefix:?} in the service catalogue; IAM accepts the \
             policy but the entry grants nothing (Access Analyzer: \"Invalid action\")",
            v.value.value
        );
        let at = ctx.at(v.value.span);
        ctx.push(
            Severity::Error,
            "unknown-action",
            at,
            v.path.clone(),
            message,
        );
    }
}

/// `malformed-arn-value` in `Resource`/`NotResource`: placeholders and broken ARNs. Where
/// the policy crate already rejects the resource, its error stands alone (see `mod.rs`).
fn resource_values(ctx: &mut Ctx<'_>, values: &Values, path: &str, element: &str) {
    for (i, v) in values.items.iter().enumerate() {
        let Some(p) = arn::problems(&v.value) else {
            continue;
        };
        if p.is_empty() {
            continue;
        }
        let at = ctx.at(v.span);
        let vpath = item_path(path, element, values, i);
        ctx.push(
            Severity::Warning,
            "malformed-arn-value",
            at,
            vpath,
            p.message(&v.value),
        );
    }
}

/// `redundant-wildcard`: an entry already covered by another entry of the same element.
fn redundant(ctx: &mut Ctx<'_>, values: &Values, path: &str, element: &str, fold_case: bool) {
    let norm = |s: &str| {
        if fold_case {
            s.to_ascii_lowercase()
        } else {
            s.to_string()
        }
    };
    let items: Vec<String> = values.iter().map(norm).collect();
    for (i, (item, v)) in items.iter().zip(&values.items).enumerate() {
        let cover = items
            .iter()
            .zip(&values.items)
            .enumerate()
            .find(|(j, (other, _))| {
                *j != i && *other != item && other.contains(['*', '?']) && glob(other, item)
            });
        let reason = match cover {
            Some((_, (_, by))) => format!("is already covered by {:?}", by.value),
            None if items[..i].contains(item) => "is listed twice".to_string(),
            None => continue,
        };
        let message = format!(
            "{:?} {reason} in this {element} element; remove it (Access Analyzer: \
             \"Redundant {}\")",
            v.value,
            if fold_case { "action" } else { "resource" }
        );
        let at = ctx.at(v.span);
        let p = item_path(path, element, values, i);
        ctx.push(Severity::Suggestion, "redundant-wildcard", at, p, message);
    }
}

/// Whether `action` can be granted on some resource the statement names, and if not, which
/// resource types are missing (`None` in the list: the action needs `"*"`).
fn unsatisfied<'c>(
    cat: &'c Catalogue,
    action: &'c Action,
    resources: &[&str],
) -> Option<Vec<Option<&'c ResourceType>>> {
    if resources.contains(&"*") || resources_unknown(action) {
        return None;
    }
    let types = accepted(cat, action);
    if types.is_empty() {
        return Some(vec![None]);
    }
    let matched = |t: &ResourceType| {
        resources
            .iter()
            .any(|r| arn::pattern_matches_template(r, &t.arn_template))
    };
    let required: Vec<&ResourceType> = types
        .iter()
        .filter(|(_, req)| *req)
        .map(|(t, _)| *t)
        .collect();
    let missing: Vec<Option<&ResourceType>> = if required.is_empty() {
        if types.iter().any(|(t, _)| matched(t)) {
            return None;
        }
        types.iter().map(|(t, _)| Some(*t)).collect()
    } else {
        required
            .into_iter()
            .filter(|t| !matched(t))
            .map(Some)
            .collect()
    };
    (!missing.is_empty()).then_some(missing)
}

/// How a missing resource type reads in a message.
fn type_name(t: Option<&ResourceType>) -> String {
    t.map_or_else(
        || "\"*\" (it has no resource-level permissions)".to_string(),
        |t| t.name.clone(),
    )
}

/// `action-resource-mismatch`: resources no action of the statement accepts, and actions
/// whose resource types (the required ones, per the SAR: "you must include an ARN or pattern
/// for each required resource type") the statement does not name.
fn resource_mismatch(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    let Some(actions) = action_values(ctx.cat, st, path) else {
        return;
    };
    let Some(block) = &st.resource else { return };
    if block.value.negated {
        return;
    }
    let values = &block.value.values;
    // A malformed resource is reported as such; what it was meant to name is anyone's guess.
    let malformed = values
        .iter()
        .any(|r| r != "*" && arn::problems(r).is_none_or(|p| !p.malformed.is_empty()));
    if malformed || values.items.is_empty() {
        return;
    }
    let resources: Vec<&str> = values.iter().collect();
    let all_known = actions
        .iter()
        .all(|a| a.known_service && !a.actions.is_empty());
    if all_known && !has_star(values) {
        let every: Vec<&Action> = actions
            .iter()
            .flat_map(|a| a.actions.iter().copied())
            .collect();
        if !every.iter().any(|a| resources_unknown(a)) {
            for (i, r) in values.items.iter().enumerate() {
                let fits = every.iter().any(|a| {
                    accepted(ctx.cat, a)
                        .iter()
                        .any(|(t, _)| arn::pattern_matches_template(&r.value, &t.arn_template))
                });
                if fits {
                    continue;
                }
                let names: Vec<String> = actions.iter().map(|a| a.value.value.clone()).collect();
                let message = format!(
                    "{:?} matches no resource type that the statement's actions ({}) are \
                     authorized against, so it grants nothing",
                    r.value,
                    names.join(", ")
                );
                let at = ctx.at(r.span);
                let p = item_path(path, "Resource", values, i);
                ctx.push(
                    Severity::Warning,
                    "action-resource-mismatch",
                    at,
                    p,
                    message,
                );
            }
        }
    }
    let mut lines = Vec::new();
    let mut formats: Vec<String> = Vec::new();
    let mut first: Option<&ActionValue<'_>> = None;
    for a in actions
        .iter()
        .filter(|a| a.known_service && !a.actions.is_empty())
    {
        let misses: Vec<(String, Vec<Option<&ResourceType>>)> = a
            .actions
            .iter()
            .filter_map(|x| unsatisfied(ctx.cat, x, &resources).map(|m| (x.full_name(), m)))
            .collect();
        // A pattern is fine when any action it matches can be granted.
        if misses.len() < a.actions.len() {
            continue;
        }
        first.get_or_insert(a);
        lines.push(match misses.as_slice() {
            [(name, missing)] => {
                for t in missing.iter().flatten() {
                    let f = format!("{} = {}", t.name, t.arn_template);
                    if !formats.contains(&f) {
                        formats.push(f);
                    }
                }
                let names: Vec<String> = missing.iter().map(|t| type_name(*t)).collect();
                format!("{name} needs {}", names.join(" and "))
            }
            _ => format!(
                "none of the {} actions {:?} matches can be granted",
                misses.len(),
                a.value.value
            ),
        });
    }
    if let Some(a) = first {
        let formats = if formats.is_empty() {
            String::new()
        } else {
            format!(" [{}]", formats.join("; "))
        };
        let message = format!(
            "the statement's resources do not cover what its actions are authorized against \
             (Service Authorization Reference resource types): {}{formats}",
            lines.join("; ")
        );
        let at = ctx.at(a.value.span);
        ctx.push(
            Severity::Warning,
            "action-resource-mismatch",
            at,
            a.path.clone(),
            message,
        );
    }
}

/// `passrole-unrestricted`: `iam:PassRole` allowed on every role, or to every service.
fn pass_role(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    if st.effect.as_ref().map(|e| &e.value) != Some(&Effect::Allow) {
        return;
    }
    let Some(block) = &st.action else { return };
    let covers = |p: &str| glob(&p.to_ascii_lowercase(), "iam:passrole");
    let (at_span, at_path) = if block.value.negated {
        if block.value.values.iter().any(covers) {
            return;
        }
        (block.span, format!("{path}.NotAction"))
    } else {
        let values = &block.value.values;
        let Some((i, v)) = values
            .items
            .iter()
            .enumerate()
            .find(|(_, v)| covers(&v.value))
        else {
            return;
        };
        (v.span, item_path(path, "Action", values, i))
    };
    let star_resource = match &st.resource {
        Some(r) => r.value.negated || has_star(&r.value.values),
        None => false,
    };
    let passed_to = st.condition.as_ref().is_some_and(|c| {
        c.value.operators.iter().any(|op| {
            op.keys
                .iter()
                .any(|k| k.key.value.eq_ignore_ascii_case("iam:PassedToService"))
        })
    });
    let message = if star_resource {
        "iam:PassRole is allowed on every role (Resource \"*\" or NotResource): the principal \
         can pass any role, including more privileged ones, to a service; name the roles \
         (Access Analyzer security warning: \"Pass role with star in resource\")"
    } else if !passed_to {
        "iam:PassRole is allowed without an iam:PassedToService condition: the roles can be \
         passed to any service; add iam:PassedToService (e.g. cleanrooms.amazonaws.com)"
    } else {
        return;
    };
    let at = ctx.at(at_span);
    if star_resource {
        ctx.push_security("passrole-unrestricted", at, at_path, message);
    } else {
        ctx.push(
            Severity::Warning,
            "passrole-unrestricted",
            at,
            at_path,
            message,
        );
    }
}

/// `notaction-with-allow` / `notresource-with-allow`: allowing everything but a list.
fn negated_with_allow(ctx: &mut Ctx<'_>, st: &Statement, path: &str) {
    if st.effect.as_ref().map(|e| &e.value) != Some(&Effect::Allow) {
        return;
    }
    if let Some(a) = &st.action
        && a.value.negated
    {
        let at = ctx.at(a.span);
        ctx.push(
            Severity::Suggestion,
            "notaction-with-allow",
            at,
            format!("{path}.NotAction"),
            "\"Allow\" with NotAction allows every action not listed, including actions of \
             services added later; list the allowed actions instead",
        );
    }
    if let Some(r) = &st.resource
        && r.value.negated
    {
        let at = ctx.at(r.span);
        ctx.push(
            Severity::Suggestion,
            "notresource-with-allow",
            at,
            format!("{path}.NotResource"),
            "\"Allow\" with NotResource allows every resource not listed, including resources \
             created later; list the allowed resources instead",
        );
    }
}
