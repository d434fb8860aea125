//! Policies of every kind and whole policy sets, aimed at a request.

use crate::Generator;
use crate::settings::Shape;
use crate::stmt::Aim;
use crate::util::{R, chance, count};
use arbitrary::Unstructured;
use iamcr_eval::{PolicySet, Principal, Request};
use iamcr_policy::{
    ActionBlock, Effect, Form, Policy, PolicyKind, PrincipalBlock, PrincipalEntry, PrincipalKind,
    PrincipalValue, ResourceBlock, Spanned, Statement, Values, Version,
};

/// A policy of one statement, built in code.
pub fn single_statement(statement: Statement) -> Policy {
    Policy {
        version: Some(Spanned::synthetic(Version::V2012_10_17)),
        id: None,
        statements: vec![Spanned::synthetic(statement)],
        statement_form: Some(Form::List),
        source: None,
    }
}

/// `{"Effect": "Allow", "Action": "*", "Resource": "*"}` as a policy of `kind`: AWS's
/// `FullAWSAccess` SCP for `scp`, the `RCPFullAWSAccess` RCP (with `"Principal": "*"`) for
/// `rcp`, and an allow-everything identity, boundary or session policy otherwise.
pub fn allow_all(kind: PolicyKind) -> Policy {
    let principal = kind.requires_principal().then(|| {
        Spanned::synthetic(PrincipalBlock {
            negated: false,
            value: match kind {
                // A trust policy may not say `"*"`; `{"AWS": "*"}` means the same.
                PolicyKind::Trust => PrincipalValue::Map(vec![PrincipalEntry {
                    kind: Spanned::synthetic(PrincipalKind::Aws),
                    values: Values::single("*"),
                }]),
                _ => PrincipalValue::Wildcard,
            },
        })
    });
    single_statement(Statement {
        effect: Some(Spanned::synthetic(Effect::Allow)),
        principal,
        action: Some(Spanned::synthetic(ActionBlock {
            negated: false,
            values: Values::single("*"),
        })),
        resource: (kind != PolicyKind::Trust).then(|| {
            Spanned::synthetic(ResourceBlock {
                negated: false,
                values: Values::single("*"),
            })
        }),
        ..Statement::default()
    })
}

/// Whether the requester is an IAM principal (identity-based policies, boundaries and SCPs
/// apply to it).
pub fn is_iam_principal(p: &Principal) -> bool {
    p.is_iam()
}

/// The kind of resource-based policy the request's resource can have: a trust policy for
/// STS actions on a role; a resource policy for S3 buckets and objects, KMS keys, Clean Rooms
/// ML configured audience models, Glue catalogs and Logs destinations.
pub fn resource_policy_kind(req: &Request) -> Option<PolicyKind> {
    let r = req.resource.as_str();
    let action = req.action_lower();
    if r.contains(":iam::") && r.contains(":role/") {
        return action.starts_with("sts:").then_some(PolicyKind::Trust);
    }
    let resource_policy = r.starts_with("arn:aws:s3:::")
        || (r.contains(":kms:") && r.contains(":key/"))
        || (r.contains(":cleanrooms-ml:") && r.contains(":configured-audience-model/"))
        || r.contains(":glue:")
        || (r.contains(":logs:") && r.contains(":destination:"));
    resource_policy.then_some(PolicyKind::Resource)
}

impl Generator {
    /// A policy of `kind` aimed at `aim`.
    pub(crate) fn policy_aimed(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
    ) -> R<Policy> {
        let s = &self.settings;
        let legacy_ok = match kind {
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Scp | PolicyKind::Rcp => {
                !s.well_formed
            }
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Session => true,
        };
        let version = if legacy_ok && chance(u, s.p_legacy_version)? {
            chance(u, 50)?.then(|| Spanned::synthetic(Version::V2008_10_17))
        } else {
            Some(Spanned::synthetic(Version::V2012_10_17))
        };
        let n = count(u, 1, s.max_statements)?;
        let mut statements = Vec::with_capacity(n);
        for i in 0..n {
            statements.push(Spanned::synthetic(self.statement(u, kind, aim, i)?));
        }
        let statement_form = if n == 1 && chance(u, 50)? {
            Form::Single
        } else {
            Form::List
        };
        let mut policy = Policy {
            version,
            id: None,
            statements,
            statement_form: Some(statement_form),
            source: None,
        };
        if s.well_formed {
            // Stay within the kind's size quota (counted on the compact text, the smallest
            // form AWS could be sent; counted without printing it).
            while policy.statements.len() > 1 {
                let (size, limit) = iamcr_policy::compact_policy_size(&policy, kind);
                if size <= limit {
                    break;
                }
                policy.statements.pop();
            }
        }
        Ok(policy)
    }

    /// Levels of SCPs or RCPs: usually the allow-all policy AWS attaches, sometimes with a
    /// guardrail policy beside it, sometimes (a gap) without it.
    fn org_levels(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
    ) -> R<Vec<Vec<Policy>>> {
        let levels = count(u, 1, if kind == PolicyKind::Scp { 3 } else { 2 })?;
        let mut out = Vec::with_capacity(levels);
        for _ in 0..levels {
            let mut level = Vec::new();
            // An SCP level may replace FullAWSAccess with an allow list; RCPFullAWSAccess
            // cannot be detached (validity::Rule::RcpFullAwsAccess).
            let gap = kind == PolicyKind::Scp && chance(u, self.settings.p_org_gap)?;
            if !gap {
                level.push(allow_all(kind));
            } else {
                // An allow-list SCP in place of FullAWSAccess.
                level.push(self.policy_aimed(u, kind, aim)?);
            }
            if chance(u, 30)? {
                level.push(self.policy_aimed(u, kind, aim)?);
            }
            out.push(level);
        }
        Ok(out)
    }

    /// The policies in force for `aim`'s request.
    pub(crate) fn policy_set_aimed(&self, u: &mut Unstructured<'_>, aim: &Aim<'_>) -> R<PolicySet> {
        let s = &self.settings;
        let p = &aim.req.principal;
        let iam = is_iam_principal(p);
        let mut set = PolicySet::default();
        // Identity-based policies and boundaries attach only to IAM identities, and no
        // boundary to the root user (validity::Rule::NonIamIdentityPolicy, RootBoundary).
        if iam && !chance(u, s.p_no_identity)? {
            let n = count(u, 1, s.max_identity)?;
            for _ in 0..n {
                set.identity
                    .push(self.policy_aimed(u, PolicyKind::Identity, aim)?);
            }
        }
        let root = matches!(p, Principal::Root { .. });
        if iam && !root && chance(u, s.p_boundary)? {
            set.boundary = Some(self.policy_aimed(u, PolicyKind::Boundary, aim)?);
        }
        if p.is_session() && chance(u, s.p_session)? {
            set.session
                .push(self.policy_aimed(u, PolicyKind::Session, aim)?);
        }
        if iam && chance(u, s.p_scp)? {
            set.scp = Some(self.org_levels(u, PolicyKind::Scp, aim)?);
        }
        if chance(u, s.p_rcp)? {
            set.rcp = Some(self.org_levels(u, PolicyKind::Rcp, aim)?);
        }
        let kind = resource_policy_kind(aim.req)
            .or_else(|| (!s.well_formed).then_some(PolicyKind::Resource));
        if let Some(kind) = kind {
            let r = aim.req.resource.as_str();
            let key = crate::validity::is_kms_key(r);
            // Every role has a trust policy and every KMS key a key policy
            // (validity::Rule::RoleTrustPolicy, KmsKeyPolicy).
            let pct = match aim.shape {
                _ if key || kind == PolicyKind::Trust => 100,
                Shape::ServiceTrust | Shape::AudienceModel => 92,
                _ if resource_policy_kind(aim.req).is_none() => 25,
                _ => s.p_resource_policy,
            };
            if chance(u, pct)? {
                let mut policy = self.policy_aimed(u, kind, aim)?;
                if key && chance(u, 60)? {
                    policy
                        .statements
                        .insert(0, Spanned::synthetic(key_policy_root(aim.req)));
                    policy.statement_form = Some(Form::List);
                }
                set.resource = Some(policy);
            }
        }
        Ok(set)
    }
}

/// The default key policy statement: the key's account delegates to IAM policies.
fn key_policy_root(req: &Request) -> Statement {
    let owner = req.resource_owner().unwrap_or("111122223333").to_string();
    Statement {
        sid: Some(Spanned::synthetic("EnableIAMPolicies".to_string())),
        effect: Some(Spanned::synthetic(Effect::Allow)),
        principal: Some(Spanned::synthetic(PrincipalBlock {
            negated: false,
            value: PrincipalValue::Map(vec![PrincipalEntry {
                kind: Spanned::synthetic(PrincipalKind::Aws),
                values: Values::single(format!("arn:aws:iam::{owner}:root")),
            }]),
        })),
        action: Some(Spanned::synthetic(ActionBlock {
            negated: false,
            values: Values::single("kms:*"),
        })),
        resource: Some(Spanned::synthetic(ResourceBlock {
            negated: false,
            values: Values::single("*"),
        })),
        condition: None,
    }
}
