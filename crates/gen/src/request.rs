//! Requests: a principal of some kind in one of the three accounts, an action of the preset's
//! scope, a resource ARN instantiated from one of the action's resource-type templates, and a
//! context whose values come from the shared pools.

use crate::Generator;
use crate::settings::{ActionScope, Shape, Who};
use crate::util::{R, chance, count, pick, pick_str, weighted};
use crate::validity::Carried;
use crate::values::{request_value, request_values, source_arn};
use crate::vocab::{self, ActionInfo, KEYS, KeySpec, ValueKind, key_spec};
use arbitrary::Unstructured;
use iamcr_case::{Arn, arn};
use iamcr_cleanrooms::catalogue::{ArnTemplate, Catalogue};
use iamcr_eval::{Context, Principal, Request, ValueType};

/// Principal accounts: mostly the member account A.
const ACCOUNT_WEIGHTS: [(usize, u8); 3] = [(0, 6), (1, 3), (2, 1)];

impl Generator {
    /// Draw a request for `shape`.
    pub(crate) fn request_for_shape(&self, u: &mut Unstructured<'_>, shape: Shape) -> R<Request> {
        let s = &self.settings;
        let home = vocab::ACCOUNTS[weighted(u, &ACCOUNT_WEIGHTS)?];
        let (who, action) = match shape {
            Shape::Generic => (weighted(u, &s.principals)?, self.scope_action(u)?),
            Shape::Analyst => (
                weighted(u, &[(Who::RoleSession, 4), (Who::Role, 3), (Who::User, 3)])?,
                pick(u, &self.vocab.cleanrooms)?,
            ),
            Shape::ServiceTrust => {
                let who = weighted(
                    u,
                    &[(Who::Service, 7), (Who::RoleSession, 2), (Who::User, 1)],
                )?;
                let name = pick(
                    u,
                    &[
                        "sts:AssumeRole",
                        "sts:AssumeRole",
                        "sts:TagSession",
                        "sts:SetSourceIdentity",
                    ],
                )?;
                (who, self.named_action(u, name)?)
            }
            Shape::ServiceData => {
                let name = pick(
                    u,
                    &[
                        "glue:GetTable",
                        "glue:GetDatabase",
                        "glue:GetPartitions",
                        "glue:BatchGetPartition",
                        "s3:GetObject",
                        "s3:ListBucket",
                        "s3:GetBucketLocation",
                        "kms:Decrypt",
                        "kms:GenerateDataKey",
                        "logs:PutLogEvents",
                    ],
                )?;
                (Who::RoleSession, self.named_action(u, name)?)
            }
            Shape::AudienceModel => {
                let name = pick(
                    u,
                    &[
                        "cleanrooms-ml:StartAudienceGenerationJob",
                        "cleanrooms-ml:GetConfiguredAudienceModel",
                        "cleanrooms-ml:ListAudienceGenerationJobs",
                        "cleanrooms-ml:GetConfiguredAudienceModelPolicy",
                    ],
                )?;
                let who = weighted(u, &[(Who::RoleSession, 3), (Who::User, 1), (Who::Root, 1)])?;
                (who, self.named_action(u, name)?)
            }
            Shape::PassRole => (
                weighted(u, &[(Who::Role, 1), (Who::RoleSession, 2), (Who::User, 1)])?,
                self.named_action(u, "iam:PassRole")?,
            ),
        };
        // Where the principal lives: Clean Rooms ML callers are the *other* member (B); a
        // role of another account assumes A's role (the ExternalId case); the roles a service
        // assumes and the service roles are A's.
        let home = match shape {
            Shape::AudienceModel if chance(u, 80)? => vocab::ACCOUNTS[1],
            Shape::ServiceTrust if who != Who::Service => {
                vocab::ACCOUNTS[weighted(u, &[(1, 3), (2, 1), (0, 1)])?]
            }
            Shape::ServiceData | Shape::PassRole => vocab::ACCOUNTS[0],
            _ => home,
        };
        let who = if s.simulator_answerable {
            answerable_caller(who)
        } else {
            who
        };
        let action = if s.simulator_answerable && is_trust_action(&action.name) {
            // The simulator ignores role trust policies: ask about Clean Rooms instead.
            pick(u, &self.vocab.cleanrooms)?
        } else {
            action
        };
        let mut principal = self.principal(u, who, home, shape)?;
        let owner = match shape {
            Shape::AudienceModel if chance(u, 85)? => vocab::ACCOUNTS[0].to_string(),
            Shape::ServiceTrust => vocab::ACCOUNTS[0].to_string(),
            _ => self.resource_account(u, &principal)?,
        };
        let resource = self.resource_arn(u, action, &owner, shape)?;
        if s.simulator_answerable
            && !matches!(principal, Principal::User { .. })
            && crate::resource_policy_kind(&Request::new(
                principal.clone(),
                &action.name,
                &resource,
            ))
            .is_some()
        {
            // SimulateCustomPolicy takes a ResourcePolicy only with an IAM user as the caller.
            let account = principal.account().unwrap_or(home).to_string();
            principal = self.principal(u, Who::User, &account, shape)?;
        }
        let mut context = Context::new();
        self.shape_context(u, shape, &principal, &resource, &owner, &mut context)?;
        let n = count(u, 0, s.max_context)?;
        for _ in 0..n {
            let spec = pick(u, &KEYS)?;
            if spec.derived && (s.well_formed || !chance(u, 30)?) {
                continue;
            }
            if context.get(&spec.name.to_ascii_lowercase()).is_some() {
                continue;
            }
            insert(&mut context, spec, request_values(u, spec)?);
        }
        // Only keys the action can carry (validity::Rule::ContextKeyNotCarried).
        let context = carried_only(&context, &action.name, &resource);
        // An S3 bucket ARN carries no account: say who owns it when it is not the caller.
        let resource_account = (arn_account(&resource).is_none()
            && resource != "*"
            && principal.account().is_some_and(|a| a != owner))
        .then_some(owner);
        let mut context = context;
        if s.simulator_answerable {
            self.real_account_keys(u, &principal, &action.name, &resource, &mut context)?;
        }
        Ok(Request::with_context(
            principal,
            &action.name,
            &resource,
            resource_account,
            context,
        ))
    }

    /// The keys the simulator would otherwise fill from the account it runs in
    /// (`iamcr_oracle::capability::REAL_ACCOUNT_KEYS`), given explicitly: the organization
    /// keys from the value pools, `aws:userid` as the model derives it for the caller (from the
    /// pool where it derives none).
    fn real_account_keys(
        &self,
        u: &mut Unstructured<'_>,
        principal: &Principal,
        action: &str,
        resource: &str,
        ctx: &mut Context,
    ) -> R<()> {
        for name in ["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"] {
            if ctx.get(&name.to_ascii_lowercase()).is_none()
                && let Some(spec) = key_spec(name)
            {
                insert(ctx, spec, request_values(u, spec)?);
            }
        }
        if ctx.get("aws:userid").is_some() {
            return Ok(());
        }
        // The model derives it for users and named sessions; a role known by its ARN alone
        // has none, so one from the pool stands in (what the simulator is then told).
        let bare = Request::new(principal.clone(), action, resource);
        match bare.lookup("aws:userid") {
            Some(e) => ctx.insert("aws:userid", e.ty, e.multivalued, e.values.clone()),
            None => {
                if let Some(spec) = key_spec("aws:userid") {
                    insert(ctx, spec, request_values(u, spec)?);
                }
            }
        }
        Ok(())
    }

    /// An action of the preset's scope.
    fn scope_action(&self, u: &mut Unstructured<'_>) -> R<&'static ActionInfo> {
        let v = self.vocab;
        Ok(match self.settings.actions {
            ActionScope::CleanRooms if chance(u, 40)? => pick(u, &v.related)?,
            ActionScope::CleanRooms => pick(u, &v.cleanrooms)?,
            ActionScope::Catalogue => pick(u, &v.all)?,
        })
    }

    /// The catalogue entry of `name`, or any scope action if the catalogue lacks it.
    fn named_action(&self, u: &mut Unstructured<'_>, name: &str) -> R<&'static ActionInfo> {
        let v = self.vocab;
        match v
            .related
            .iter()
            .chain(&v.cleanrooms)
            .find(|a| a.name == name)
        {
            Some(a) => Ok(a),
            None => self.scope_action(u),
        }
    }

    /// A principal of kind `who` in `account`.
    pub(crate) fn principal(
        &self,
        u: &mut Unstructured<'_>,
        who: Who,
        account: &str,
        shape: Shape,
    ) -> R<Principal> {
        let role = match shape {
            Shape::ServiceData => {
                pick_str(u, &["service-role/CleanRoomsGlueRole", "CleanRoomsMLRole"])?
            }
            _ => pick_str(u, &vocab::ROLES)?,
        };
        let role_name = role.rsplit('/').next().unwrap_or(&role).to_string();
        let arn = match who {
            Who::User => format!("arn:aws:iam::{account}:user/{}", pick(u, &vocab::USERS)?),
            Who::Role => format!("arn:aws:iam::{account}:role/{role}"),
            Who::RoleSession => {
                let session = match shape {
                    Shape::ServiceData => "AWSCleanRooms-query",
                    _ => pick(u, &vocab::SESSIONS)?,
                };
                format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session}")
            }
            Who::FederatedUser => format!(
                "arn:aws:sts::{account}:federated-user/{}",
                pick(u, &vocab::FEDERATED)?
            ),
            Who::Root => {
                return Ok(Principal::root(account));
            }
            Who::Service => {
                let svc = match shape {
                    Shape::ServiceTrust => pick_str(u, &vocab::SERVICES[..3])?,
                    _ => pick_str(u, &vocab::SERVICES)?,
                };
                return Ok(Principal::Service(svc));
            }
            Who::Anonymous => return Ok(Principal::Anonymous),
            Who::WebIdentity => {
                return Ok(Principal::WebIdentity(pick_str(u, &vocab::PROVIDERS)?));
            }
            Who::CanonicalUser => {
                return Ok(Principal::CanonicalUser(vocab::CANONICAL_USER.to_string()));
            }
        };
        // Built through the ARN reader so that a case file's principal reads back the same.
        Ok(Principal::from_arn(&arn).unwrap_or(Principal::root(account)))
    }

    /// The account owning the resource: the caller's, or another one for cross-account
    /// requests.
    fn resource_account(&self, u: &mut Unstructured<'_>, p: &Principal) -> R<String> {
        let home = p.account().unwrap_or(vocab::ACCOUNTS[0]);
        if chance(u, self.settings.p_cross_account)? {
            let others: Vec<&str> = vocab::ACCOUNTS
                .iter()
                .copied()
                .filter(|a| *a != home)
                .collect();
            return pick_str(u, &others);
        }
        Ok(home.to_string())
    }

    /// A resource ARN for `action` owned by `account` (`*` when the action takes no resource
    /// type).
    pub(crate) fn resource_arn(
        &self,
        u: &mut Unstructured<'_>,
        action: &ActionInfo,
        account: &str,
        shape: Shape,
    ) -> R<String> {
        if action.templates.is_empty() {
            return Ok("*".to_string());
        }
        // Role trust and PassRole requests are about a Clean Rooms service role.
        let wanted = match shape {
            Shape::ServiceTrust | Shape::PassRole => Some("role"),
            Shape::AudienceModel => Some("configuredaudiencemodel"),
            Shape::ServiceData => Some("object").filter(|_| action.name == "s3:GetObject"),
            _ => None,
        };
        let usable: Vec<&(String, ArnTemplate)> = action
            .templates
            .iter()
            .filter(|(_, t)| !self.settings.well_formed || iam_path_accepted(t.as_str()))
            .collect();
        if usable.is_empty() {
            return Ok("*".to_string());
        }
        let template = match wanted.and_then(|w| usable.iter().find(|(n, _)| n == w)) {
            Some(t) => &t.1,
            None => &pick(u, &usable)?.1,
        };
        let mut vars: Vec<(String, String)> = Vec::new();
        for name in template.placeholders() {
            if vars.iter().any(|(k, _)| k == name) {
                continue;
            }
            let value = match name {
                "Partition" => "aws".to_string(),
                "Region" => pick_str(u, &vocab::REGIONS)?,
                "Account" => account.to_string(),
                "RoleNameWithPath" if shape == Shape::ServiceTrust || shape == Shape::PassRole => {
                    pick_str(u, &["service-role/CleanRoomsGlueRole", "CleanRoomsMLRole"])?
                }
                other => pick_str(u, vocab::placeholder_pool(other))?,
            };
            vars.push((name.to_string(), value));
        }
        let refs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Ok(template
            .instantiate(&refs)
            .unwrap_or_else(|_| "*".to_string()))
    }

    /// Context keys a shape always (or usually) sets.
    fn shape_context(
        &self,
        u: &mut Unstructured<'_>,
        shape: Shape,
        p: &Principal,
        resource: &str,
        owner: &str,
        ctx: &mut Context,
    ) -> R<()> {
        match shape {
            Shape::Generic => {}
            Shape::Analyst => {
                set(u, ctx, "aws:PrincipalTag/team", 85)?;
                set(u, ctx, "aws:ResourceTag/team", 75)?;
                set(u, ctx, "aws:MultiFactorAuthPresent", 40)?;
                set(u, ctx, "aws:SourceIp", 40)?;
                set(u, ctx, "aws:CurrentTime", 40)?;
            }
            Shape::ServiceTrust => {
                if matches!(p, Principal::Service(_)) {
                    // Clean Rooms tells STS whose membership it acts for; usually the role's
                    // own account (the honest case), sometimes another (a confused deputy).
                    let account = if chance(u, 75)? {
                        owner.to_string()
                    } else {
                        request_value(u, vocab::Domain::Account)?
                    };
                    if chance(u, 90)? {
                        insert_one(ctx, "aws:SourceAccount", ValueType::String, &account);
                    }
                    if chance(u, 85)? {
                        let mut arn = source_arn(u)?;
                        if chance(u, 80)? {
                            arn = replace_account(&arn, &account);
                        }
                        insert_one(ctx, "aws:SourceArn", ValueType::String, &arn);
                    }
                } else {
                    set(u, ctx, "sts:ExternalId", 75)?;
                    set(u, ctx, "aws:PrincipalOrgID", 50)?;
                }
            }
            Shape::ServiceData => {
                if chance(u, 60)? {
                    // Clean Rooms calls Glue, S3 and KMS on the role's behalf.
                    let via = vec!["cleanrooms.amazonaws.com".to_string()];
                    ctx.insert("aws:CalledVia", ValueType::String, true, via);
                }
                if chance(u, 50)? {
                    insert_one(ctx, "aws:ResourceAccount", ValueType::String, owner);
                }
                if resource.starts_with("arn:aws:s3:::") {
                    set(u, ctx, "s3:prefix", 40)?;
                    set(u, ctx, "aws:SecureTransport", 60)?;
                }
            }
            Shape::AudienceModel => {
                set(u, ctx, "cleanrooms-ml:CollaborationId", 90)?;
                set(u, ctx, "aws:PrincipalOrgID", 50)?;
            }
            Shape::PassRole => {
                set(u, ctx, "iam:PassedToService", 90)?;
            }
        }
        Ok(())
    }
}

/// The caller kind `SimulateCustomPolicy` accepts nearest to `who`: a role session becomes
/// its role, every caller that is neither an IAM user nor a role a user.
fn answerable_caller(who: Who) -> Who {
    match who {
        Who::Role | Who::RoleSession => Who::Role,
        _ => Who::User,
    }
}

/// STS actions answered by a role's trust policy (which the simulator ignores).
fn is_trust_action(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    a.starts_with("sts:assumerole")
        || matches!(
            a.as_str(),
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
        )
}

/// Whether IAM's resource check accepts ARNs of this template (the validator's own rule,
/// [`arn::is_iam_resource_path`]). The catalogue knows IAM resource types newer than the
/// list IAM's validation message gives (`delegation-request`,
/// `role-template`, `assumed-role`, STS `contextProvider`); the well-formed presets leave
/// them out so that every policy they write validates.
fn iam_path_accepted(template: &str) -> bool {
    match Arn::parse(template) {
        Ok(a) if a.service == "iam" => arn::is_iam_resource_path(a.resource),
        _ => true,
    }
}

/// The entries of `ctx` a request for `action` on `resource` can carry.
fn carried_only(ctx: &Context, action: &str, resource: &str) -> Context {
    let Ok(cat) = Catalogue::load() else {
        return ctx.clone();
    };
    let carried = Carried::new(cat, action, resource);
    let mut out = Context::new();
    for e in ctx.entries() {
        if carried.key(&e.key) {
            out.insert(&e.key, e.ty, e.multivalued, e.values.clone());
        }
    }
    out
}

/// Set key `name` with probability `pct`.
fn set(u: &mut Unstructured<'_>, ctx: &mut Context, name: &str, pct: u8) -> R<()> {
    if let Some(spec) = key_spec(name)
        && chance(u, pct)?
    {
        insert(ctx, spec, request_values(u, spec)?);
    }
    Ok(())
}

/// Put a key's values into a context with the evaluator's type.
pub(crate) fn insert(ctx: &mut Context, spec: &KeySpec, values: Vec<String>) {
    ctx.insert(spec.name, value_type(spec.kind), spec.multivalued, values);
}

fn insert_one(ctx: &mut Context, key: &str, ty: ValueType, value: &str) {
    ctx.insert(key, ty, false, vec![value.to_string()]);
}

/// The context type of a key's values (ARNs travel as strings, as in the simulator).
pub(crate) fn value_type(kind: ValueKind) -> ValueType {
    match kind {
        ValueKind::String | ValueKind::Arn => ValueType::String,
        ValueKind::Numeric => ValueType::Numeric,
        ValueKind::Date => ValueType::Date,
        ValueKind::Bool => ValueType::Boolean,
        ValueKind::Ip => ValueType::Ip,
        ValueKind::Binary => ValueType::Binary,
    }
}

/// The account field of an ARN, when it has one.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    arn::components(arn).nth(4).filter(|a| !a.is_empty())
}

fn replace_account(arn: &str, account: &str) -> String {
    match Arn::parse(arn) {
        Ok(a) => Arn { account, ..a }.to_string(),
        Err(_) => arn.to_string(),
    }
}
