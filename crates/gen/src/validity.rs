//! What AWS can produce: the rules every generated case keeps, checked in one place (the
//! generator tests and `cargo xtask simulate` use [`check`]).
//!
//! A case that breaks one of these describes a situation no AWS account can be in, so
//! whatever the model answers for it says nothing about AWS:
//! - [`Rule::RcpFullAwsAccess`]: every level of an organization's RCPs has `RCPFullAWSAccess`.
//!   AWS Organizations User Guide, "RCP evaluation" (orgs_manage_policies_rcps_evaluation.html):
//!   RCPFullAWSAccess "is automatically attached to the organization root, every OU, and every
//!   account in your organization, when you enable resource control policies (RCPs). You
//!   cannot detach this policy."
//! - [`Rule::RoleTrustPolicy`]: a request to assume a role meets the role's trust policy; every
//!   IAM role has one (IAM User Guide, "Roles terms and concepts": "Trust policy … You define
//!   the trust policy when you create a role"; CreateRole requires `AssumeRolePolicyDocument`).
//! - [`Rule::KmsKeyPolicy`]: a request on a KMS key meets its key policy; "Every KMS key must
//!   have exactly one key policy" (AWS KMS Developer Guide, "Key policies in AWS KMS",
//!   key-policies.html).
//! - [`Rule::RootBoundary`]: permissions boundaries are set on IAM users and roles
//!   (IAM User Guide, "Permissions boundaries for IAM entities"), never on the root user.
//! - [`Rule::NonIamIdentityPolicy`]: identity-based policies (and boundaries) attach to IAM
//!   users, groups and roles; a service principal, an anonymous caller or a web identity has
//!   none.
//! - [`Rule::ContextKeyNotCarried`]: a request carries only condition keys its action can
//!   carry: global keys (IAM User Guide, "AWS global condition context keys"), and the
//!   service's keys and the tag keys (`aws:RequestTag/…`, `aws:TagKeys`, `aws:ResourceTag/…`)
//!   only where the Service Authorization Reference lists them for the action or its
//!   resource type (the catalogue).

use std::fmt;

use iamcr_cleanrooms::catalogue::{Action, Catalogue, ResourceType, Service};
use iamcr_eval::{PolicySet, Principal, Request};
use iamcr_policy::PolicyKind;

use crate::policy::{allow_all, is_iam_principal, resource_policy_kind};

/// One rule of what AWS can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A level of RCPs without `RCPFullAWSAccess`.
    RcpFullAwsAccess,
    /// A role assumed without a trust policy.
    RoleTrustPolicy,
    /// A KMS key used without a key policy.
    KmsKeyPolicy,
    /// A permissions boundary on the root user.
    RootBoundary,
    /// Identity-based policies or a boundary on a principal that is not an IAM identity.
    NonIamIdentityPolicy,
    /// A context key the action never carries.
    ContextKeyNotCarried,
}

impl Rule {
    /// Every rule, in a stable order.
    pub const ALL: [Rule; 6] = [
        Rule::RcpFullAwsAccess,
        Rule::RoleTrustPolicy,
        Rule::KmsKeyPolicy,
        Rule::RootBoundary,
        Rule::NonIamIdentityPolicy,
        Rule::ContextKeyNotCarried,
    ];

    /// The rule's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::RcpFullAwsAccess => "rcp-full-aws-access",
            Rule::RoleTrustPolicy => "role-trust-policy",
            Rule::KmsKeyPolicy => "kms-key-policy",
            Rule::RootBoundary => "root-boundary",
            Rule::NonIamIdentityPolicy => "non-iam-identity-policy",
            Rule::ContextKeyNotCarried => "context-key-not-carried",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A broken rule and what broke it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBreak {
    /// The rule.
    pub rule: Rule,
    /// What in the case breaks it.
    pub detail: String,
}

impl fmt::Display for RuleBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.detail)
    }
}

/// Whether `resource` is a KMS key ARN.
pub fn is_kms_key(resource: &str) -> bool {
    resource.contains(":kms:") && resource.contains(":key/")
}

/// Every rule `policies` + `request` break (empty: AWS could produce the case).
pub fn check(policies: &PolicySet, request: &Request) -> Vec<RuleBreak> {
    let mut out = Vec::new();
    let mut broke = |rule, detail: String| out.push(RuleBreak { rule, detail });
    if let Some(levels) = &policies.rcp {
        let full = iamcr_policy::print_compact(&allow_all(PolicyKind::Rcp));
        for (i, level) in levels.iter().enumerate() {
            if !level.iter().any(|p| iamcr_policy::print_compact(p) == full) {
                broke(
                    Rule::RcpFullAwsAccess,
                    format!("RCP level {i} lacks RCPFullAWSAccess"),
                );
            }
        }
    }
    if policies.resource.is_none() {
        if resource_policy_kind(request) == Some(PolicyKind::Trust) {
            broke(
                Rule::RoleTrustPolicy,
                format!(
                    "{} on {} with no trust policy",
                    request.action, request.resource
                ),
            );
        }
        if is_kms_key(&request.resource) {
            broke(
                Rule::KmsKeyPolicy,
                format!(
                    "{} on {} with no key policy",
                    request.action, request.resource
                ),
            );
        }
    }
    let p = &request.principal;
    if matches!(p, Principal::Root { .. }) && policies.boundary.is_some() {
        broke(
            Rule::RootBoundary,
            "a permissions boundary on the root user".into(),
        );
    }
    if !is_iam_principal(p) && (!policies.identity.is_empty() || policies.boundary.is_some()) {
        broke(
            Rule::NonIamIdentityPolicy,
            format!("identity-based policies on {}", p.describe()),
        );
    }
    if let Ok(cat) = Catalogue::load() {
        let carried = Carried::new(cat, &request.action, &request.resource);
        for e in request.context.entries() {
            if !carried.key(&e.key) {
                broke(
                    Rule::ContextKeyNotCarried,
                    format!("{} never carries {}", request.action, e.key),
                );
            }
        }
    }
    out
}

/// Whether a request for `action` on `resource` can carry condition key `key`: a global key
/// always can (the tag keys excepted); a service key or tag key only where the catalogue
/// lists it for the action or for the resource type `resource` belongs to. Unknown keys and
/// unknown actions carry nothing but global keys.
pub fn key_carried(cat: &Catalogue, action: &str, resource: &str, key: &str) -> bool {
    Carried::new(cat, action, resource).key(key)
}

/// What one request (an action on a resource) can carry: [`key_carried`] for each of its keys,
/// with the action and the resource's type looked up once.
pub struct Carried<'c> {
    cat: &'c Catalogue,
    action: Option<&'c Action>,
    resource: &'c str,
    /// The resource's type, looked up on the first key that needs it.
    resource_type: std::cell::OnceCell<Option<(&'c Service, &'c ResourceType)>>,
}

impl fmt::Debug for Carried<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Carried")
            .field("action", &self.action.map(|a| a.name.as_str()))
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl<'c> Carried<'c> {
    /// The keys a request for `action` on `resource` can carry.
    pub fn new(cat: &'c Catalogue, action: &str, resource: &'c str) -> Carried<'c> {
        Carried {
            cat,
            action: cat.action(action),
            resource,
            resource_type: std::cell::OnceCell::new(),
        }
    }

    /// Whether the request can carry `key` ([`key_carried`]).
    pub fn key(&self, key: &str) -> bool {
        let cat = self.cat;
        let lower = key.to_ascii_lowercase();
        let tag_key = lower.starts_with("aws:requesttag/")
            || lower == "aws:tagkeys"
            || lower.starts_with("aws:resourcetag/");
        if !tag_key && cat.global_key(key).is_some() {
            return true;
        }
        let (Some(a), Some(def)) = (self.action, cat.condition_key_type(key)) else {
            return false;
        };
        let listed = |names: &[String]| names.iter().any(|n| n.eq_ignore_ascii_case(&def.name));
        if listed(&a.condition_keys) {
            return true;
        }
        let resource_type = self
            .resource_type
            .get_or_init(|| cat.resource_type_of_arn(self.resource));
        resource_type.is_some_and(|(svc, rt)| {
            svc.prefix.eq_ignore_ascii_case(a.service_prefix())
                && a.resource_types
                    .iter()
                    .any(|r| r.resource_type.eq_ignore_ascii_case(&rt.name))
                && listed(&rt.condition_keys)
        })
    }
}
