//! Resource element format, as IAM checks it.
//!
//! IAM's resource checks are in two places: the "legacy parsing" pass rejects ARNs that
//! contain `::` but have fewer than five colons (the seed's `arn:aws:s3::bucket/prefix/*`),
//! and a later pass gives specific messages for resources that are not ARNs, have an unknown
//! partition, no service, or region information where the service has none. The later pass
//! reports only one resource — the last one found walking each list in reverse lexical
//! order — and when it finds one, the legacy check is skipped for that element: both quirks
//! are as IAM's recorded answers show them (moto `policy_validation.py`), and are reproduced
//! here so that the first diagnostic is IAM's answer. Every problem is still reported.

use crate::Code;
use crate::PolicyKind;
use crate::ast::{Policy, ResourceBlock};
use crate::diag::{Diagnostic, Stage, messages, quoted};
use crate::span::Spanned;
use crate::validate::messages::RESOURCE_INVALID;
use iamcr_case::arn;
use std::borrow::Cow;

/// IAM's message for an IAM resource path that is not one of [`arn::IAM_RESOURCE_TYPES`] (a test
/// checks that it lists exactly them).
const IAM_PATH_MESSAGE: &str = "IAM resource path must either be \"*\", root, or start with \
     user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, \
     policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.";

/// The problem with one resource string, if any (IAM's message).
pub(crate) fn format_error(resource: &str) -> Option<Cow<'static, str>> {
    // IAM's messages echo the resource; they are put together with `concat`, not `format!`,
    // because this runs for every resource of every policy checked (the `format!` calls here
    // were ~6 % of the instructions of the `parse_policy` fuzz target).
    if resource == "*" {
        return None;
    }
    // The prefix is not checked here (IAM's later pass names the partition instead).
    let mut parts = arn::components(resource);
    parts.next();
    let Some(partition) = parts.next() else {
        return Some(
            ["Resource ", resource, " must be in ARN format or \"*\"."]
                .concat()
                .into(),
        );
    };
    if !arn::is_resource_partition(partition) {
        // IAM echoes the resource as a six-component ARN, filling missing parts with `*`:
        // service, region and account, then the rest (colons and all).
        // Nothing after the partition (`arn:p:`) is all `*`, like no colon at all.
        let rest: Vec<&str> = parts.collect();
        let rest = if rest == [""] { &[][..] } else { &rest[..] };
        let part = |i: usize| rest.get(i).copied().unwrap_or("*");
        let (service, region, account, tail) = (part(0), part(1), part(2), part(3));
        return Some(
            [
                "Partition \"",
                partition,
                "\" is not valid for resource \"arn:",
                partition,
                ":",
                service,
                ":",
                region,
                ":",
                account,
                ":",
                tail,
                "\".",
            ]
            .concat()
            .into(),
        );
    }
    let Some(service) = parts.next() else {
        return Some(messages::RESOURCE_VENDOR.into());
    };
    let mut field = || parts.next().unwrap_or("");
    let (region, account, resource_part) = (field(), field(), field());
    if service == "iam" && !region.is_empty() {
        return Some(
            [
                "IAM resource ",
                resource,
                " cannot contain region information.",
            ]
            .concat()
            .into(),
        );
    }
    // S3 buckets and objects have no region and no account; access points, jobs and other
    // S3 resources have both (`arn:aws:s3:us-west-2:123456789012:accesspoint/x` is valid).
    if service == "s3" && !region.is_empty() && account.is_empty() {
        return Some(
            [
                "Resource ",
                resource,
                " can not contain region information.",
            ]
            .concat()
            .into(),
        );
    }
    if service == "iam" && !arn::is_iam_resource_path(resource_part) {
        return Some(IAM_PATH_MESSAGE.into());
    }
    None
}

/// IAM's legacy-parser check of one resource string: an ARN with `::` needs all six
/// components, and the service component must not be empty.
fn legacy_ok(resource: &str, single: bool) -> bool {
    if resource == "*" {
        return true;
    }
    let colons = resource.matches(':').count();
    if colons < 5 && resource.contains("::") {
        return false;
    }
    // For a bare string IAM also requires a non-empty service component; for arrays it does
    // not look (recorded behaviour: `Resource: "arn:aws::fdsasf"` fails, the same in an
    // array is caught by the `::` rule instead).
    !single
        || arn::components(resource)
            .nth(2)
            .is_some_and(|s| !s.is_empty())
}

/// Check the `Resource`/`NotResource` strings of every statement.
pub(crate) fn check(policy: &Policy, kind: PolicyKind, out: &mut Vec<Diagnostic>) {
    let org = matches!(kind, PolicyKind::Scp | PolicyKind::Rcp);
    // IAM walks `Resource` of every statement, then `NotResource`.
    let mut reported: Option<usize> = None;
    let mut found: Vec<Diagnostic> = Vec::new();
    for negated in [false, true] {
        for (i, st) in policy.statements.iter().enumerate() {
            let Some(block) = &st.value.resource else {
                continue;
            };
            if block.value.negated != negated {
                continue;
            }
            // Rendered once per element, only if one of its resources is bad.
            let mut rendered: Option<String> = None;
            let mut path = || {
                rendered
                    .get_or_insert_with(|| element_path(policy, i, &block.value))
                    .clone()
            };
            let single = block.value.values.form == crate::ast::Form::Single;
            let mut order: Vec<&Spanned<String>> = block.value.values.items.iter().collect();
            if !single && order.len() > 1 {
                order.sort_by(|a, b| b.value.cmp(&a.value));
            }
            for r in order {
                if let Some(msg) = format_error(&r.value) {
                    // IAM's own message for identity policies and boundaries; the other
                    // services word it their way, and the specific problem becomes the detail.
                    let (message, detail): (Cow<'static, str>, _) = match kind {
                        PolicyKind::Identity | PolicyKind::Boundary => (msg, None),
                        PolicyKind::Resource => (RESOURCE_INVALID.into(), Some(msg)),
                        PolicyKind::Scp | PolicyKind::Rcp => {
                            (crate::validate::messages::ORG_GENERIC.into(), Some(msg))
                        }
                        _ => (msg.clone(), Some(msg)),
                    };
                    let mut d = Diagnostic::error(
                        Code::InvalidResource,
                        Stage::ResourceFormat,
                        message,
                        r.span,
                        path(),
                    );
                    if let Some(detail) = detail {
                        d = d.with_detail(detail.into_owned());
                    }
                    reported = Some(found.len());
                    found.push(d);
                }
            }
            let skip_legacy = reported.is_some();
            for r in &block.value.values.items {
                if !legacy_ok(&r.value, single) {
                    let stage = if skip_legacy || org || kind == PolicyKind::Resource {
                        Stage::ResourceFormat
                    } else {
                        Stage::Legacy
                    };
                    let message = match kind {
                        PolicyKind::Resource => RESOURCE_INVALID,
                        PolicyKind::Scp | PolicyKind::Rcp => crate::validate::messages::ORG_GENERIC,
                        _ => messages::LEGACY,
                    };
                    found.push(
                        Diagnostic::error(Code::InvalidResource, stage, message, r.span, path())
                            .with_detail(
                                quoted(&r.value)
                                    + " is not an ARN: an ARN has six colon-separated \
                                       components (arn:partition:service:region:account:resource)",
                            ),
                    );
                }
            }
        }
    }
    // The last resource error found is the one IAM reports: sort it first in its stage.
    if let Some(i) = reported {
        found[i].order = 0;
    }
    out.extend(found);
}

fn element_path(policy: &Policy, i: usize, block: &ResourceBlock) -> String {
    let suffix = if block.negated {
        ".NotResource"
    } else {
        ".Resource"
    };
    crate::validate::statement_path(policy, i).join(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_for_bad_resources() {
        assert_eq!(
            format_error("invalid resource").unwrap(),
            "Resource invalid resource must be in ARN format or \"*\"."
        );
        assert_eq!(
            format_error("a:bsdfdsafsad").unwrap(),
            "Partition \"bsdfdsafsad\" is not valid for resource \"arn:bsdfdsafsad:*:*:*:*\"."
        );
        assert_eq!(
            format_error("a:b:cadfsdf").unwrap(),
            "Partition \"b\" is not valid for resource \"arn:b:cadfsdf:*:*:*\"."
        );
        assert_eq!(
            format_error("a:b:c:d:e:f:g:h").unwrap(),
            "Partition \"b\" is not valid for resource \"arn:b:c:d:e:f:g:h\"."
        );
        assert_eq!(
            format_error("aws:s3:::example_bucket").unwrap(),
            "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"."
        );
        assert_eq!(format_error("arn:aws").unwrap(), messages::RESOURCE_VENDOR);
        assert!(format_error("arn:aws:fdsasf").is_none());
        assert!(format_error("arn:aws:s3:us-west-2:123456789012:accesspoint/x").is_none());
        assert!(format_error("arn:aws:iam:::user/x").is_none());
        assert!(format_error("arn:aws:iam::123456789012:root").is_none());
        assert!(format_error("arn:aws:iam:us-east-1::x").is_some());
        assert_eq!(
            format_error("arn:aws:iam:::example").unwrap(),
            IAM_PATH_MESSAGE
        );
    }

    #[test]
    fn iam_path_message_lists_the_table() {
        let listed = IAM_PATH_MESSAGE
            .split_once("start with ")
            .map(|(_, l)| l.trim_end_matches('.'))
            .unwrap();
        let listed: Vec<String> = listed.split(", ").map(|t| t.trim().to_string()).collect();
        assert_eq!(listed, arn::IAM_RESOURCE_TYPES);
    }

    #[test]
    fn legacy_rule() {
        assert!(!legacy_ok("arn:aws:s3::bucket/prefix/*", true));
        assert!(!legacy_ok("arn:aws::fdsasf", true));
        assert!(legacy_ok("arn:aws:fdsasf", true));
        assert!(!legacy_ok("arn:aws::::example_bucket", true));
        assert!(legacy_ok("arn:aws:s3:::bucket", false));
    }
}
