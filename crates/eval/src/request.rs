//! The request being authorized: who, what action, on which resource, with which context.

use iamcr_case::{ContextType, PrincipalSpec};
use std::fmt;

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Principal {
    /// An IAM user: `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    User {
        /// The user's ARN.
        arn: String,
        /// The account.
        account: String,
        /// The user name (last path segment).
        name: String,
    },
    /// A role session. Built from an assumed-role ARN
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) or from a role ARN
    /// (`arn:aws:iam::ACCOUNT:role/PATH/ROLE`, a session whose name is not known).
    RoleSession {
        /// The role's ARN (`arn:aws:iam::ACCOUNT:role/ROLE`, with the path when known).
        role_arn: String,
        /// The session ARN, when the session name is known.
        session_arn: Option<String>,
        /// The account.
        account: String,
        /// The role name.
        role_name: String,
        /// The session name, when known.
        session_name: Option<String>,
    },
    /// An STS federated user: `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The federated user's ARN.
        arn: String,
        /// The account.
        account: String,
        /// The name given to `GetFederationToken`.
        name: String,
    },
    /// The root user of an account: `arn:PARTITION:iam::ACCOUNT:root`.
    Root {
        /// The account.
        account: String,
        /// The partition (`aws`, `aws-cn`, `aws-us-gov`, …), kept so that the root user's
        /// ARN (`aws:PrincipalArn`) names the partition the request came from.
        partition: String,
    },
    /// An AWS service principal such as `cleanrooms.amazonaws.com`.
    Service(String),
    /// A web identity or SAML provider (the `Federated` principal type).
    WebIdentity(String),
    /// An S3 canonical user ID.
    CanonicalUser(String),
    /// An unauthenticated caller.
    Anonymous,
}

/// Why a principal ARN was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalError(pub String);

impl fmt::Display for PrincipalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PrincipalError {}

impl Principal {
    /// Whether the requester is an IAM principal of an account (a user, a role session, a
    /// federated user, the root user): identity-based policies, boundaries and SCPs apply
    /// to it.
    pub fn is_iam(&self) -> bool {
        matches!(
            self,
            Principal::User { .. }
                | Principal::RoleSession { .. }
                | Principal::FederatedUser { .. }
                | Principal::Root { .. }
        )
    }

    /// The root user of `account` in the `aws` partition.
    pub fn root(account: &str) -> Principal {
        Principal::Root {
            account: account.to_string(),
            partition: "aws".to_string(),
        }
    }

    /// The principal a case-format request names.
    pub fn from_spec(spec: &PrincipalSpec) -> Result<Principal, PrincipalError> {
        match spec {
            PrincipalSpec::Arn(a) => Principal::from_arn(a),
            PrincipalSpec::Service(s) => Ok(Principal::Service(s.clone())),
            PrincipalSpec::Federated(s) => Ok(Principal::WebIdentity(s.clone())),
            PrincipalSpec::CanonicalUser(s) => Ok(Principal::CanonicalUser(s.clone())),
            PrincipalSpec::Anonymous => Ok(Principal::Anonymous),
        }
    }

    /// How the case format writes this principal (the inverse of [`Principal::from_spec`]).
    pub fn spec(&self) -> PrincipalSpec {
        match self {
            Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => {
                PrincipalSpec::Arn(arn.clone())
            }
            Principal::RoleSession {
                session_arn,
                role_arn,
                ..
            } => PrincipalSpec::Arn(session_arn.clone().unwrap_or_else(|| role_arn.clone())),
            Principal::Root { account, partition } => {
                PrincipalSpec::Arn(format!("arn:{partition}:iam::{account}:root"))
            }
            Principal::Service(s) => PrincipalSpec::Service(s.clone()),
            Principal::WebIdentity(s) => PrincipalSpec::Federated(s.clone()),
            Principal::CanonicalUser(c) => PrincipalSpec::CanonicalUser(c.clone()),
            Principal::Anonymous => PrincipalSpec::Anonymous,
        }
    }

    /// Read a principal ARN: IAM user, IAM role, assumed-role session, federated user or
    /// account root.
    pub fn from_arn(arn: &str) -> Result<Principal, PrincipalError> {
        let bad = |why: &str| PrincipalError(format!("principal {arn:?}: {why}"));
        if iamcr_case::arn::components(arn).count() < 6 {
            return Err(bad("an ARN has six colon-separated parts"));
        }
        let Ok(iamcr_case::Arn {
            partition,
            service,
            region,
            account,
            resource,
        }) = iamcr_case::Arn::parse(arn)
        else {
            return Err(bad(
                "not a principal ARN (arn:PARTITION:iam|sts::ACCOUNT:…)",
            ));
        };
        if partition.is_empty() || !region.is_empty() {
            return Err(bad(
                "not a principal ARN (arn:PARTITION:iam|sts::ACCOUNT:…)",
            ));
        }
        if !iamcr_case::AccountId::is_valid(account) {
            return Err(bad("the account must be 12 digits"));
        }
        let account = account.to_string();
        let last = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
        match (service, resource) {
            ("iam", "root") => Ok(Principal::Root {
                account,
                partition: partition.to_string(),
            }),
            ("iam", r) if r.starts_with("user/") && r.len() > 5 => Ok(Principal::User {
                arn: arn.to_string(),
                account,
                name: last(r),
            }),
            ("iam", r) if r.starts_with("role/") && r.len() > 5 => Ok(Principal::RoleSession {
                role_arn: arn.to_string(),
                session_arn: None,
                account,
                role_name: last(r),
                session_name: None,
            }),
            ("sts", r) if r.starts_with("assumed-role/") => {
                let rest = &r["assumed-role/".len()..];
                let Some((role, session)) = rest.split_once('/') else {
                    return Err(bad("an assumed-role ARN is assumed-role/ROLE/SESSION"));
                };
                if role.is_empty() || session.is_empty() {
                    return Err(bad("an assumed-role ARN is assumed-role/ROLE/SESSION"));
                }
                Ok(Principal::RoleSession {
                    role_arn: format!("arn:{partition}:iam::{account}:role/{role}"),
                    session_arn: Some(arn.to_string()),
                    account,
                    role_name: role.to_string(),
                    session_name: Some(session.to_string()),
                })
            }
            ("sts", r) if r.starts_with("federated-user/") && r.len() > 15 => {
                Ok(Principal::FederatedUser {
                    arn: arn.to_string(),
                    account,
                    name: r["federated-user/".len()..].to_string(),
                })
            }
            _ => Err(bad(
                "expected an IAM user, IAM role, assumed-role session, federated user or root ARN",
            )),
        }
    }

    /// The principal's account, for principals that belong to one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::User { account, .. }
            | Principal::RoleSession { account, .. }
            | Principal::FederatedUser { account, .. }
            | Principal::Root { account, .. } => Some(account),
            _ => None,
        }
    }

    /// The ARN the principal is known by in `aws:PrincipalArn`: the user, the *role* (not
    /// the session) for role sessions, the federated user, the account root.
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => Some(arn.clone()),
            Principal::RoleSession { role_arn, .. } => Some(role_arn.clone()),
            Principal::Root { account, partition } => {
                Some(format!("arn:{partition}:iam::{account}:root"))
            }
            _ => None,
        }
    }

    /// Whether requests from this principal are made with session credentials, so session
    /// policies can apply.
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            Principal::RoleSession { .. } | Principal::FederatedUser { .. }
        )
    }

    /// A short description for explanations.
    pub fn describe(&self) -> String {
        match self {
            Principal::User { arn, .. } => format!("IAM user {arn}"),
            Principal::RoleSession {
                session_arn: Some(s),
                ..
            } => format!("role session {s}"),
            Principal::RoleSession { role_arn, .. } => format!("a session of role {role_arn}"),
            Principal::FederatedUser { arn, .. } => format!("federated user {arn}"),
            Principal::Root { account, .. } => format!("the root user of account {account}"),
            Principal::Service(s) => format!("service principal {s}"),
            Principal::WebIdentity(p) => format!("federated identity from {p}"),
            Principal::CanonicalUser(c) => format!("canonical user {c}"),
            Principal::Anonymous => "an anonymous caller".to_string(),
        }
    }
}

/// The type of a context value, as the simulator's `ContextKeyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// `string` / `stringList`.
    String,
    /// `numeric` / `numericList`.
    Numeric,
    /// `boolean` / `booleanList`.
    Boolean,
    /// `ip` / `ipList`.
    Ip,
    /// `binary` / `binaryList` (base64 text).
    Binary,
    /// `date` / `dateList`.
    Date,
}

impl ValueType {
    /// The value type of a `ContextKeyType` (a `…List` type is the same value type,
    /// multivalued: see [`ContextType::is_list`]).
    pub fn of(t: ContextType) -> ValueType {
        match t {
            ContextType::String | ContextType::StringList => ValueType::String,
            ContextType::Numeric | ContextType::NumericList => ValueType::Numeric,
            ContextType::Boolean | ContextType::BooleanList => ValueType::Boolean,
            ContextType::Ip | ContextType::IpList => ValueType::Ip,
            ContextType::Binary | ContextType::BinaryList => ValueType::Binary,
            ContextType::Date | ContextType::DateList => ValueType::Date,
        }
    }

    /// The `ContextKeyType` of this value type, single-valued or a list.
    pub fn context_type(self, multivalued: bool) -> ContextType {
        match (self, multivalued) {
            (ValueType::String, false) => ContextType::String,
            (ValueType::String, true) => ContextType::StringList,
            (ValueType::Numeric, false) => ContextType::Numeric,
            (ValueType::Numeric, true) => ContextType::NumericList,
            (ValueType::Boolean, false) => ContextType::Boolean,
            (ValueType::Boolean, true) => ContextType::BooleanList,
            (ValueType::Ip, false) => ContextType::Ip,
            (ValueType::Ip, true) => ContextType::IpList,
            (ValueType::Binary, false) => ContextType::Binary,
            (ValueType::Binary, true) => ContextType::BinaryList,
            (ValueType::Date, false) => ContextType::Date,
            (ValueType::Date, true) => ContextType::DateList,
        }
    }
}

/// One context entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as written.
    pub key: String,
    /// The key lower-cased (keys compare case-insensitively).
    pub key_lower: String,
    /// [`key_hash`] of `key_lower`: lookups compare hashes before strings.
    pub key_hash: u64,
    /// The value type.
    pub ty: ValueType,
    /// Whether the key is multivalued (a `…List` type).
    pub multivalued: bool,
    /// The values.
    pub values: Vec<String>,
}

/// The request context: the given entries; keys derived from the principal are added by
/// [`Request::lookup`] when not given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    entries: Vec<ContextEntry>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// Add an entry (a later entry for the same key replaces the earlier one).
    pub fn insert(&mut self, key: &str, ty: ValueType, multivalued: bool, values: Vec<String>) {
        let key_lower = key.to_ascii_lowercase();
        self.entries.retain(|e| e.key_lower != key_lower);
        self.entries.push(ContextEntry {
            key: key.to_string(),
            key_hash: key_hash(&key_lower),
            key_lower,
            ty,
            multivalued,
            values,
        });
    }

    /// Builder form of [`Context::insert`] for a single string value.
    pub fn with(mut self, key: &str, value: &str) -> Context {
        self.insert(key, ValueType::String, false, vec![value.to_string()]);
        self
    }

    /// The entry for a lower-cased key.
    pub fn get(&self, key_lower: &str) -> Option<&ContextEntry> {
        self.get_hashed(key_lower, key_hash(key_lower))
    }

    /// [`Context::get`] with the key's [`key_hash`] already known.
    pub fn get_hashed(&self, key_lower: &str, hash: u64) -> Option<&ContextEntry> {
        self.entries
            .iter()
            .find(|e| e.key_hash == hash && e.key_lower == key_lower)
    }

    /// All entries.
    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }
}

/// A request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Who.
    pub principal: Principal,
    /// The action, `service:Name`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The account owning the resource, when the ARN does not carry it.
    pub resource_account: Option<String>,
    /// The context.
    pub context: Context,
    /// Derived values, computed once.
    derived: Derived,
}

/// Everything about a request that evaluation needs and that does not change: computed
/// once when the request is built, not on every evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Derived {
    action_lower: String,
    /// Length of the service prefix of `action_lower` (before the first colon).
    service_len: usize,
    /// [`key_hash`] of `action_lower` and of its service prefix.
    action_hash: u64,
    service_hash: u64,
    /// The keys derived from the principal: shared, so that a request cloned to be changed
    /// (another target, more context) does not copy them (about two thirds of a request's
    /// allocations).
    entries: std::sync::Arc<[ContextEntry]>,
    owner: Option<String>,
    needs_resource_policy: bool,
}

impl Request {
    /// A request with an empty context.
    pub fn new(principal: Principal, action: &str, resource: &str) -> Request {
        Request::with_context(principal, action, resource, None, Context::new())
    }

    /// A request with everything given.
    pub fn with_context(
        principal: Principal,
        action: &str,
        resource: &str,
        resource_account: Option<String>,
        context: Context,
    ) -> Request {
        let derived = Derived {
            entries: derived_entries(&principal).into(),
            ..Derived::default()
        };
        let mut request = Request {
            principal,
            action: String::new(),
            resource: String::new(),
            resource_account,
            context,
            derived,
        };
        request.set_target(action, resource);
        request
    }

    /// Ask for another action on another resource, with the same principal, resource
    /// account and context: only what depends on the action and the resource is computed
    /// again. A workload asking many requests of one caller (a neighbourhood probe) builds the
    /// principal's keys and the context once.
    pub fn set_target(&mut self, action: &str, resource: &str) {
        self.action.clear();
        self.action.push_str(action);
        self.resource.clear();
        self.resource.push_str(resource);
        let d = &mut self.derived;
        d.action_lower.clear();
        d.action_lower.push_str(action);
        d.action_lower.make_ascii_lowercase();
        d.service_len = d.action_lower.find(':').unwrap_or(d.action_lower.len());
        d.action_hash = key_hash(&d.action_lower);
        d.service_hash = key_hash(&d.action_lower[..d.service_len]);
        d.needs_resource_policy = needs_resource_policy(&d.action_lower, resource);
        let owner = self
            .resource_account
            .as_deref()
            .or_else(|| arn_account(resource).filter(|a| !a.is_empty()))
            .or_else(|| self.principal.account());
        // Kept in place: a probe sets thousands of targets, most with the same owner.
        match (owner, &mut d.owner) {
            (Some(o), Some(kept)) => {
                kept.clear();
                kept.push_str(o);
            }
            (o, kept) => *kept = o.map(str::to_string),
        }
    }

    /// The action, lower-cased (actions match case-insensitively).
    pub fn action_lower(&self) -> &str {
        &self.derived.action_lower
    }

    /// The lower-cased action and its [`key_hash`].
    pub fn action_keyed(&self) -> (&str, u64) {
        (&self.derived.action_lower, self.derived.action_hash)
    }

    /// The lower-cased service prefix and its [`key_hash`].
    pub fn service_keyed(&self) -> (&str, u64) {
        (self.service_lower(), self.derived.service_hash)
    }

    /// The action's service prefix, lower-cased (`cleanrooms` for `CleanRooms:GetSchema`).
    pub fn service_lower(&self) -> &str {
        &self.derived.action_lower[..self.derived.service_len]
    }

    /// The context entry for a lower-cased key: given entries first, then keys derived from
    /// the principal (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:username`,
    /// `aws:userid`, `aws:PrincipalType`, `aws:PrincipalServiceName`,
    /// `aws:PrincipalIsAWSService`).
    pub fn lookup(&self, key_lower: &str) -> Option<&ContextEntry> {
        self.lookup_hashed(key_lower, key_hash(key_lower))
    }

    /// [`Request::lookup`] with the key's [`key_hash`] already known (conditions compute it
    /// once, when they are compiled).
    pub fn lookup_hashed(&self, key_lower: &str, hash: u64) -> Option<&ContextEntry> {
        self.context.get_hashed(key_lower, hash).or_else(|| {
            self.derived
                .entries
                .iter()
                .find(|e| e.key_hash == hash && e.key_lower == key_lower)
        })
    }

    /// The account that owns the resource: `resource_account`, else the ARN's account
    /// field, else the principal's account (a resource with no account in its ARN, such as
    /// an S3 bucket, is taken to be in the caller's account unless the request says
    /// otherwise).
    pub fn resource_owner(&self) -> Option<&str> {
        self.derived.owner.as_deref()
    }

    /// Whether the resource's own policy must allow the request explicitly: assuming a role
    /// (its trust policy) or using a KMS key (its key policy) — IAM User Guide, policy
    /// evaluation: these "must explicitly allow access for principals".
    pub fn needs_resource_policy(&self) -> bool {
        self.derived.needs_resource_policy
    }

    /// Whether the principal's account differs from the resource's.
    pub fn is_cross_account(&self) -> bool {
        match (self.principal.account(), self.resource_owner()) {
            (Some(p), Some(r)) => p != r,
            _ => false,
        }
    }
}

fn needs_resource_policy(action_lower: &str, resource: &str) -> bool {
    let role = || resource.contains(":iam::") && resource.contains(":role/");
    let trust_action = action_lower.starts_with("sts:assumerole")
        || matches!(
            action_lower,
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
        );
    let key =
        || resource.starts_with("arn:") && resource.contains(":kms:") && resource.contains(":key/");
    // The action first: it is short, and most actions need neither.
    (trust_action && role()) || (action_lower.starts_with("kms:") && key())
}

/// The fifth colon-separated field of an ARN (its account; `None` with fewer than four
/// colons), as `split(':').nth(4)` finds it: a byte scan, since the account sits in the first
/// few dozen bytes and this runs for every request.
fn arn_account(arn: &str) -> Option<&str> {
    let mut start = 0;
    let mut field = 0;
    for (i, b) in arn.bytes().enumerate() {
        if b == b':' {
            if field == 4 {
                return arn.get(start..i);
            }
            field += 1;
            start = i + 1;
        }
    }
    (field == 4).then(|| arn.get(start..)).flatten()
}

/// FNV-1a: a cheap, fixed hash of a lower-cased context key or action, computed when a
/// request or policy is built so that lookups compare one integer before any string.
pub fn key_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn entry(key: &str, values: Vec<String>) -> ContextEntry {
    let key_lower = key.to_ascii_lowercase();
    ContextEntry {
        key: key.to_string(),
        key_hash: key_hash(&key_lower),
        key_lower,
        ty: ValueType::String,
        multivalued: false,
        values,
    }
}

/// Keys derived from the principal (IAM User Guide, reference_policies_variables.html,
/// "Principal key values"; global condition keys page). `aws:userid` is derived only where
/// it does not need the unique ID IAM assigns (root: the account ID; federated user:
/// `account:name`; anonymous: `anonymous`); give it in the context otherwise.
fn derived_entries(p: &Principal) -> Vec<ContextEntry> {
    let mut out = Vec::new();
    if let Some(arn) = p.principal_arn() {
        out.push(entry("aws:PrincipalArn", vec![arn]));
    }
    if let Some(account) = p.account() {
        out.push(entry("aws:PrincipalAccount", vec![account.to_string()]));
    }
    let principal_type = match p {
        Principal::User { name, .. } => {
            out.push(entry("aws:username", vec![name.clone()]));
            Some("User")
        }
        Principal::RoleSession { .. } => Some("AssumedRole"),
        Principal::FederatedUser { account, name, .. } => {
            out.push(entry("aws:userid", vec![format!("{account}:{name}")]));
            Some("FederatedUser")
        }
        Principal::Root { account, .. } => {
            out.push(entry("aws:userid", vec![account.clone()]));
            Some("Account")
        }
        Principal::Anonymous => {
            // "value anonymous for anonymous requests" (global condition keys page).
            out.push(entry("aws:userid", vec!["anonymous".into()]));
            out.push(entry("aws:PrincipalAccount", vec!["anonymous".into()]));
            Some("Anonymous")
        }
        Principal::Service(name) => {
            out.push(entry("aws:PrincipalServiceName", vec![name.clone()]));
            None
        }
        Principal::WebIdentity(_) | Principal::CanonicalUser(_) => None,
    };
    if let Some(t) = principal_type {
        out.push(entry("aws:PrincipalType", vec![t.to_string()]));
    }
    // "present in the request context for all signed API requests": true for AWS service
    // principals, false for everyone else who signs; absent for anonymous requests.
    if !matches!(p, Principal::Anonymous) {
        let mut e = entry(
            "aws:PrincipalIsAWSService",
            vec![matches!(p, Principal::Service(_)).to_string()],
        );
        e.ty = ValueType::Boolean;
        out.push(e);
    }
    out
}

impl Context {
    /// The context of the case format's entries (the simulator's `ContextEntries`). A
    /// single-valued type with other than one value is an error, named in the message.
    pub fn from_case(entries: &[iamcr_case::ContextEntry]) -> Result<Context, String> {
        let mut context = Context::new();
        for e in entries {
            if !e.ty.is_list() && e.values.len() != 1 {
                return Err(format!(
                    "context key {:?} has type {} but {} values (single-valued types take one)",
                    e.key,
                    e.ty.as_str(),
                    e.values.len()
                ));
            }
            context.insert(
                &e.key,
                ValueType::of(e.ty),
                e.ty.is_list(),
                e.values.clone(),
            );
        }
        Ok(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_account_is_the_fifth_field() {
        for arn in [
            "arn:aws:s3:::b/k",
            "arn:aws:sqs:us-east-1:444455556666:q",
            "arn:aws:iam::111122223333:role/a:b",
            "arn:aws:iam::111122223333",
            "arn:aws:iam:",
            "*",
            "",
            "a:b:c:d:",
            "é:ü:ß:ø:ñ:x",
        ] {
            assert_eq!(arn_account(arn), arn.split(':').nth(4), "{arn}");
        }
    }

    /// A request given another target is the request built for that target: the owner
    /// (from the ARN, the request, the principal), the action's keys and whether a resource
    /// policy is needed all follow the new action and resource.
    #[test]
    fn set_target_is_building_for_the_target() {
        let caller = "arn:aws:iam::111122223333:role/Analyst";
        let targets = [
            ("s3:GetObject", "arn:aws:s3:::b/k", None),
            ("STS:AssumeRole", "arn:aws:iam::444455556666:role/R", None),
            (
                "kms:Decrypt",
                "arn:aws:kms:us-east-1:444455556666:key/1",
                None,
            ),
            ("sqs:SendMessage", "*", Some("777788889999")),
            (
                "CleanRooms:GetSchema",
                "arn:aws:s3:::b/k",
                Some("777788889999"),
            ),
        ];
        for (from_action, from_resource, _) in targets {
            for (action, resource, owner) in targets {
                let mut context = Context::new();
                context.insert("aws:SourceVpc", ValueType::String, false, vec!["v".into()]);
                let build = |a: &str, r: &str, o: Option<&str>| {
                    let p = Principal::from_arn(caller).unwrap();
                    Request::with_context(p, a, r, o.map(str::to_string), context.clone())
                };
                let mut moved = build(from_action, from_resource, owner);
                moved.set_target(action, resource);
                assert_eq!(moved, build(action, resource, owner), "{action} {resource}");
            }
        }
    }

    #[test]
    fn reads_principal_arns() {
        let p = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/Analyst/s1").unwrap();
        assert_eq!(
            p.principal_arn().unwrap(),
            "arn:aws:iam::111122223333:role/Analyst"
        );
        assert!(p.is_session());
        let u = Principal::from_arn("arn:aws:iam::111122223333:user/path/Bob").unwrap();
        assert!(matches!(&u, Principal::User { name, .. } if name == "Bob"));
        assert!(Principal::from_arn("arn:aws:iam::1111:root").is_err());
        for arn in [
            "arn:aws-cn:iam::111122223333:root",
            "arn:aws-us-gov:iam::111122223333:root",
            "arn:aws:iam::111122223333:root",
        ] {
            let root = Principal::from_arn(arn).unwrap();
            assert_eq!(root.principal_arn().as_deref(), Some(arn));
            let r = Request::new(root, "s3:GetObject", "*");
            assert_eq!(r.lookup("aws:principalarn").unwrap().values, vec![arn]);
        }
        assert_eq!(
            Principal::root("111122223333").principal_arn().as_deref(),
            Some("arn:aws:iam::111122223333:root")
        );
        assert!(Principal::from_arn("arn:aws:s3:::bucket").is_err());
        assert!(Principal::from_arn("arn:aws:sts::111122223333:assumed-role/x").is_err());
    }

    #[test]
    fn derives_principal_keys_unless_given() {
        let u = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
        let r = Request::new(u.clone(), "S3:GetObject", "*");
        assert_eq!(r.lookup("aws:username").unwrap().values, vec!["Bob"]);
        assert_eq!(r.lookup("aws:principaltype").unwrap().values, vec!["User"]);
        assert_eq!(r.action_lower(), "s3:getobject");
        let ctx = Context::new().with("aws:username", "Alice");
        let r = Request::with_context(u, "s3:GetObject", "*", None, ctx);
        assert_eq!(r.lookup("aws:username").unwrap().values, vec!["Alice"]);
    }

    #[test]
    fn resource_owner_and_cross_account() {
        let u = Principal::from_arn("arn:aws:iam::111122223333:user/Bob").unwrap();
        let r = Request::new(u.clone(), "s3:GetObject", "arn:aws:s3:::bucket/key");
        assert_eq!(r.resource_owner(), Some("111122223333"));
        assert!(!r.is_cross_account());
        let r = Request::new(
            u,
            "cleanrooms-ml:StartAudienceGenerationJob",
            "arn:aws:cleanrooms-ml:us-east-1:444455556666:configured-audience-model/id",
        );
        assert!(r.is_cross_account());
    }
}
