//! Turning a scenario into evaluation steps: who asks, for what, on which resource, with which
//! context and which policies in force. Everything that can be wrong with a scenario is found
//! here, before anything is evaluated, so that running a scenario cannot fail.

use super::operations::{OperationRule, PassesRole, operation_rule};
use super::policy_ref::PolicyRef;
use super::spec::{ContextEntrySpec, CrossAccountSpec, MemberCallSpec, RoleSpec, ScenarioSpec};
use crate::catalogue::Catalogue;
use iamcr_case::{AccountId, arn};
use iamcr_eval::{Authorizer, Context, PolicySet, Principal, Request, ValueType};
use iamcr_policy::Policy;

/// One planned evaluation.
#[derive(Debug, Clone)]
pub struct Step {
    /// A short kebab-case name (`assume-role`, `pass-role`, `get-object`, …).
    pub name: String,
    /// The request.
    pub request: Request,
    /// The policies in force, compiled.
    pub authorizer: Authorizer,
    /// What the step stands for or assumes, when that is not obvious.
    pub note: Option<String>,
}

/// The steps of a scenario and the notes that concern it as a whole.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub steps: Vec<Step>,
    pub notes: Vec<String>,
}

/// The scenario's accounts, roles and resource policies, with lookups.
pub(crate) struct World<'a> {
    pub spec: &'a ScenarioSpec,
}

pub(crate) fn check_account(what: &str, s: &str) -> Result<(), String> {
    if AccountId::is_valid(s) {
        Ok(())
    } else {
        Err(format!("{what}: {s:?} is not a 12-digit account ID"))
    }
}

impl<'a> World<'a> {
    /// Check what does not depend on the operation: account IDs, unique role names, roles in
    /// declared accounts.
    pub fn new(spec: &'a ScenarioSpec) -> Result<World<'a>, String> {
        for a in &spec.accounts {
            check_account("accounts[].id", &a.id)?;
        }
        for (i, r) in spec.roles.iter().enumerate() {
            check_account(&format!("roles[{i}] ({}).account", r.name), &r.account)?;
            if r.name.is_empty() || r.name.contains('/') {
                return Err(format!("roles[{i}].name {:?} is not a role name", r.name));
            }
            if let Some(p) = &r.path
                && !(p.starts_with('/') && p.ends_with('/'))
            {
                return Err(format!(
                    "roles[{i}] ({}).path {p:?} must start and end with '/'",
                    r.name
                ));
            }
            if spec.roles[..i].iter().any(|o| o.name == r.name) {
                return Err(format!("role {:?} is defined twice", r.name));
            }
            if !spec.accounts.is_empty() && !spec.accounts.iter().any(|a| a.id == r.account) {
                return Err(format!(
                    "role {:?} is in account {}, which `accounts` does not list",
                    r.name, r.account
                ));
            }
        }
        Ok(World { spec })
    }

    pub fn role(&self, name: &str) -> Result<&'a RoleSpec, String> {
        self.spec
            .roles
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| format!("no role named {name:?} in `roles`"))
    }

    /// A role parameter: a role name from `roles`, or a role ARN as given.
    pub fn role_arn_of(&self, name_or_arn: &str) -> Result<String, String> {
        if name_or_arn.starts_with("arn:") {
            return Ok(name_or_arn.to_string());
        }
        self.role(name_or_arn).map(role_arn)
    }

    /// The SCPs of an account, when the scenario gives some.
    fn scp(&self, account: &str) -> Option<Vec<Vec<Policy>>> {
        let a = self.spec.accounts.iter().find(|a| a.id == account)?;
        a.scp.as_ref().map(|levels| {
            levels
                .iter()
                .map(|l| l.iter().map(|p| p.policy.clone()).collect())
                .collect()
        })
    }

    /// The policies that apply to a request made by a session of `role`.
    pub fn identity_set(&self, role: &RoleSpec) -> PolicySet {
        PolicySet {
            identity: role
                .identity_policies
                .iter()
                .map(|p| p.policy.clone())
                .collect(),
            boundary: role.permissions_boundary.as_ref().map(|p| p.policy.clone()),
            scp: self.scp(&role.account),
            ..PolicySet::default()
        }
    }

    /// The resource-based policy attached to `arn`: an exact match, or for an S3 object the
    /// bucket's policy (a bucket policy governs the bucket's objects).
    pub fn resource_policy(&self, arn: &str) -> Option<&'a PolicyRef> {
        let exact = self
            .spec
            .resource_policies
            .iter()
            .find(|r| r.resource == arn);
        exact.map(|r| &r.policy).or_else(|| {
            let bucket = s3_bucket_of_object(arn)?;
            self.spec
                .resource_policies
                .iter()
                .find(|r| r.resource == bucket)
                .map(|r| &r.policy)
        })
    }
}

fn s3_bucket_of_object(arn: &str) -> Option<String> {
    let rest = arn.strip_prefix("arn:aws:s3:::")?;
    let (bucket, _key) = rest.split_once('/')?;
    Some(format!("arn:aws:s3:::{bucket}"))
}

/// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
pub(crate) fn role_arn(role: &RoleSpec) -> String {
    let path = role.path.as_deref().unwrap_or("/");
    format!("arn:aws:iam::{}:role{path}{}", role.account, role.name)
}

/// A session of `role`, built directly rather than from the session ARN so that the role ARN
/// (`aws:PrincipalArn`) keeps the role's path, which an assumed-role ARN does not carry.
pub(crate) fn session(role: &RoleSpec, session_name: &str) -> Principal {
    Principal::RoleSession {
        role_arn: role_arn(role),
        session_arn: Some(format!(
            "arn:aws:sts::{}:assumed-role/{}/{session_name}",
            role.account, role.name
        )),
        account: role.account.clone(),
        role_name: role.name.clone(),
        session_name: Some(session_name.to_string()),
    }
}

/// A context with `aws:ResourceAccount` (set by AWS for requests to resources that belong to
/// an account).
pub(crate) fn context_for(resource_account: Option<&str>) -> Context {
    let mut c = Context::new();
    if let Some(a) = resource_account {
        c.insert(
            "aws:ResourceAccount",
            ValueType::String,
            false,
            vec![a.to_string()],
        );
    }
    c
}

/// The account field of an ARN, when it is one.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    arn::components(arn)
        .nth(4)
        .filter(|a| AccountId::is_valid(a))
}

/// Compile the policies and make the step.
pub(crate) fn step(
    name: &str,
    set: &PolicySet,
    request: Request,
    note: Option<String>,
) -> Result<Step, String> {
    let authorizer = Authorizer::new(set)
        .map_err(|e| format!("step {name}: a policy cannot be evaluated: {e}"))?;
    Ok(Step {
        name: name.to_string(),
        request,
        authorizer,
        note,
    })
}

fn with_resource(mut set: PolicySet, policy: Option<&PolicyRef>) -> PolicySet {
    set.resource = policy.map(|p| p.policy.clone());
    set
}

/// `iam:PassRole` of `role_arn` to `service` by `caller`.
pub(crate) fn pass_role_step(
    w: &World<'_>,
    caller: &RoleSpec,
    principal: &Principal,
    role_arn: &str,
    service: &str,
    note: String,
) -> Result<Step, String> {
    let mut ctx = context_for(arn_account(role_arn));
    ctx.insert(
        "iam:PassedToService",
        ValueType::String,
        false,
        vec![service.to_string()],
    );
    let req = Request::with_context(principal.clone(), "iam:PassRole", role_arn, None, ctx);
    step("pass-role", &w.identity_set(caller), req, Some(note))
}

fn add_entries(ctx: &mut Context, entries: &[ContextEntrySpec]) {
    for e in entries {
        ctx.insert(&e.key, e.ty.0, e.ty.1, e.values.clone());
    }
}

/// A member's role calls an operation; the extra authorizations come from the operation
/// table.
pub(crate) fn member_call(w: &World<'_>, m: &MemberCallSpec) -> Result<Plan, String> {
    let caller = w.role(&m.caller)?;
    let principal = session(caller, m.session_name.as_deref().unwrap_or("member"));
    let mut plan = Plan::default();
    plan.steps.push(call_step(w, m, caller, &principal)?);
    let rule = operation_rule(&m.action);
    pass_role(&mut plan, w, m, caller, &principal, rule)?;
    if let Some(rule) = rule {
        if rule.pass_membership {
            plan.steps.push(pass_identifier_step(
                w,
                m,
                caller,
                &principal,
                rule,
                &PASS_MEMBERSHIP,
            )?);
        }
        if rule.pass_collaboration {
            plan.steps.push(pass_identifier_step(
                w,
                m,
                caller,
                &principal,
                rule,
                &PASS_COLLABORATION,
            )?);
        }
    }
    Ok(plan)
}

/// The member's own call, under its identity policies and the resource's policy.
fn call_step(
    w: &World<'_>,
    m: &MemberCallSpec,
    caller: &RoleSpec,
    principal: &Principal,
) -> Result<Step, String> {
    let resource = m.resource.clone().unwrap_or_else(|| "*".to_string());
    let mut ctx = context_for(arn_account(&resource));
    // Clean Rooms ML sets `cleanrooms-ml:CollaborationId` from the request's collaboration ID
    // for the actions the SAR lists the key for.
    if let Some(c) = &m.collaboration_id
        && action_supports_key(&m.action, "cleanrooms-ml:CollaborationId")
    {
        ctx.insert(
            "cleanrooms-ml:CollaborationId",
            ValueType::String,
            false,
            vec![c.clone()],
        );
    }
    add_entries(&mut ctx, &m.context);
    let set = with_resource(w.identity_set(caller), w.resource_policy(&resource));
    let req = Request::with_context(principal.clone(), &m.action, &resource, None, ctx);
    step("call", &set, req, None)
}

/// The `iam:PassRole` step of an operation that passes a role, or why the scenario's
/// `pass_role` does not fit the operation (an optional role not passed is a note).
fn pass_role(
    plan: &mut Plan,
    w: &World<'_>,
    m: &MemberCallSpec,
    caller: &RoleSpec,
    principal: &Principal,
    rule: Option<&OperationRule>,
) -> Result<(), String> {
    let passes = rule.map_or(PassesRole::No, |r| r.passes_role);
    let param = rule.map_or("", |r| r.role_parameter);
    match (passes, &m.pass_role) {
        (PassesRole::Required(svc) | PassesRole::Optional(svc), Some(r)) => {
            let arn = w.role_arn_of(r)?;
            let note = format!(
                "{} passes the role in {param}; the service checks iam:PassRole with \
                 iam:PassedToService = {svc}",
                m.action
            );
            plan.steps
                .push(pass_role_step(w, caller, principal, &arn, svc, note)?);
        }
        (PassesRole::Required(_), None) => {
            return Err(format!(
                "{} passes a role ({param}): give operation.pass_role",
                m.action
            ));
        }
        (PassesRole::Optional(_), None) => plan.notes.push(format!(
            "{} takes an optional role ({param}); none is passed, so iam:PassRole is not checked",
            m.action
        )),
        (PassesRole::No, Some(_)) => {
            return Err(format!(
                "{} passes no role according to the operation table; remove operation.pass_role",
                m.action
            ));
        }
        (PassesRole::No, None) => {}
    }
    Ok(())
}

/// A Clean Rooms identifier an operation takes, checked as a `cleanrooms:Pass*` action on
/// the resource it names.
struct PassedIdentifier {
    /// The step's name.
    step: &'static str,
    /// The action checked.
    action: &'static str,
    /// The operation's parameter.
    parameter: &'static str,
    /// The resource type in the ARN.
    resource_type: &'static str,
    /// The scenario field with the ID, and the one with its account.
    id_field: &'static str,
    account_field: &'static str,
    /// The ID and the account, from the scenario.
    id: fn(&MemberCallSpec) -> Option<&String>,
    account: fn(&MemberCallSpec) -> &Option<String>,
}

const PASS_MEMBERSHIP: PassedIdentifier = PassedIdentifier {
    step: "pass-membership",
    action: "cleanrooms:PassMembership",
    parameter: "membershipIdentifier",
    resource_type: "membership",
    id_field: "membership_id",
    account_field: "membership_account",
    id: |m| m.membership_id.as_ref(),
    account: |m| &m.membership_account,
};

const PASS_COLLABORATION: PassedIdentifier = PassedIdentifier {
    step: "pass-collaboration",
    action: "cleanrooms:PassCollaboration",
    parameter: "collaborationIdentifier",
    resource_type: "collaboration",
    id_field: "collaboration_id",
    account_field: "collaboration_account",
    id: |m| m.collaboration_id.as_ref(),
    account: |m| &m.collaboration_account,
};

/// The step checking that the member may pass the identifier the operation takes.
fn pass_identifier_step(
    w: &World<'_>,
    m: &MemberCallSpec,
    caller: &RoleSpec,
    principal: &Principal,
    rule: &OperationRule,
    passed: &PassedIdentifier,
) -> Result<Step, String> {
    let id = (passed.id)(m).ok_or_else(|| {
        format!(
            "{} takes a {}: give operation.{}",
            m.action, passed.parameter, passed.id_field
        )
    })?;
    let account = (passed.account)(m)
        .clone()
        .unwrap_or_else(|| caller.account.clone());
    check_account(&format!("operation.{}", passed.account_field), &account)?;
    let arn = format!(
        "arn:aws:cleanrooms:{}:{account}:{}/{id}",
        m.region, passed.resource_type
    );
    let req = Request::with_context(
        principal.clone(),
        passed.action,
        &arn,
        None,
        context_for(Some(&account)),
    );
    let note = format!("{} takes {} ({})", m.action, passed.parameter, rule.source);
    step(passed.step, &w.identity_set(caller), req, Some(note))
}

fn action_supports_key(action: &str, key: &str) -> bool {
    Catalogue::load()
        .ok()
        .and_then(|c| c.action(action))
        .is_some_and(|a| a.condition_keys.iter().any(|k| k.eq_ignore_ascii_case(key)))
}

/// Why the three-resource model of `StartAudienceGenerationJob` is used although the SAR
/// lists one resource type. Said in code, in `docs/scenarios.md` and in the report.
pub const SAR_DISCREPANCY: &str = "The Service Authorization Reference lists only \
    configuredaudiencemodel as a resource type for cleanrooms-ml:StartAudienceGenerationJob; \
    seeds 001 and 002 ('IAM behaviors for AWS Clean Rooms ML', cross-account jobs) say three \
    resources are authorized: the audience-generation-job ARN in the caller's account, the job \
    ARN in the model owner's account, and the owner's configured audience model. These steps \
    follow the seeds.";

/// `StartAudienceGenerationJob` from account A on account B's configured audience model.
pub(crate) fn cross_account(w: &World<'_>, c: &CrossAccountSpec) -> Result<Plan, String> {
    let caller = w.role(&c.caller)?;
    check_account("operation.model_account", &c.model_account)?;
    let principal = session(caller, c.session_name.as_deref().unwrap_or("member"));
    let (region, a, b) = (&c.region, &caller.account, &c.model_account);
    // Seed 002: "Clean Rooms ML creates two ARNs for the job … The ARNs are identical except
    // for their AWS account." (The job *name* shown in B is "$accountA-$name"; the ARNs' resource
    // part is the same in both accounts.)
    let job_a = format!(
        "arn:aws:cleanrooms-ml:{region}:{a}:audience-generation-job/{}",
        c.job_id
    );
    let job_b = format!(
        "arn:aws:cleanrooms-ml:{region}:{b}:audience-generation-job/{}",
        c.job_id
    );
    let model = format!(
        "arn:aws:cleanrooms-ml:{region}:{b}:configured-audience-model/{}",
        c.configured_audience_model_id
    );
    let model_policy = c
        .model_policy
        .as_ref()
        .or_else(|| w.resource_policy(&model));
    let mut plan = Plan::default();
    plan.notes.push(SAR_DISCREPANCY.to_string());
    if a == b {
        plan.notes.push(format!(
            "the caller and the model are both in account {a}: the scenario is not cross-account"
        ));
    }
    if model_policy.is_none() {
        plan.notes.push(format!(
            "no resource policy is attached to {model}; account B allows nothing across accounts"
        ));
    }
    start_job_steps(
        &mut plan,
        w,
        c,
        caller,
        &principal,
        [&job_a, &job_b, &model],
        model_policy,
    )?;
    if let Some(r) = &c.seed_role {
        let arn = w.role_arn_of(r)?;
        let note = "StartAudienceGenerationJob passes the seed-data role in seedAudience.roleArn"
            .to_string();
        plan.steps.push(pass_role_step(
            w,
            caller,
            &principal,
            &arn,
            "cleanrooms-ml.amazonaws.com",
            note,
        )?);
    }
    Ok(plan)
}

/// `StartAudienceGenerationJob` on the job in the caller's account, the job in the model
/// owner's account and the configured audience model (`[job_a, job_b, model]`).
fn start_job_steps(
    plan: &mut Plan,
    w: &World<'_>,
    c: &CrossAccountSpec,
    caller: &RoleSpec,
    principal: &Principal,
    [job_a, job_b, model]: [&str; 3],
    model_policy: Option<&PolicyRef>,
) -> Result<(), String> {
    let (a, b) = (&caller.account, &c.model_account);
    let ctx = |account: &str| {
        let mut ctx = context_for(Some(account));
        if let Some(id) = &c.collaboration_id {
            ctx.insert(
                "cleanrooms-ml:CollaborationId",
                ValueType::String,
                false,
                vec![id.clone()],
            );
        }
        ctx
    };
    let action = "cleanrooms-ml:StartAudienceGenerationJob";
    let identity = w.identity_set(caller);
    let req = Request::with_context(principal.clone(), action, job_a, None, ctx(a));
    let note = "the job ARN in the caller's account: the caller's identity-based policies decide \
                (seed 002: 'the identity policy of the caller in AWS account A needs \
                StartAudienceGenerationJob permission on …:AccountA:audience-generation-job/*')";
    plan.steps
        .push(step("caller-job", &identity, req, Some(note.to_string()))?);
    let owner_set = with_resource(identity.clone(), model_policy);
    let req = Request::with_context(principal.clone(), action, job_b, None, ctx(b));
    let note = "the job ARN in the model owner's account: B's resource policy and the caller's \
                identity-based policies must both allow (seed 002: 'AWS account B must allow that \
                action on both the new job in AWS account B and the ConfiguredAudienceModel'); \
                not in the SAR";
    plan.steps
        .push(step("owner-job", &owner_set, req, Some(note.to_string()))?);
    let req = Request::with_context(principal.clone(), action, model, None, ctx(b));
    let note = "the configured audience model: the one resource type the SAR lists for this action";
    plan.steps.push(step(
        "owner-model",
        &owner_set,
        req,
        Some(note.to_string()),
    )?);
    Ok(())
}
