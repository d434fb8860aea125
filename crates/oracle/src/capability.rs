//! What an oracle can answer. The model answers every [`Query`]; the IAM policy simulator
//! cannot take some inputs at all, and answers others in a way that cannot be compared.
//! Each such limitation is a named [`Limitation`], with the documentation that states it.
//! A campaign filters queries with [`Capabilities::check`] and counts every skip by its
//! reason in [`SkipCounts`]: nothing is dropped silently.

use crate::query::{Caller, PolicyText, Query};
use iamcr_case::{AccountId, Arn};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The simulator's API reference for `SimulateCustomPolicy` (request constraints).
pub const API_DOC: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html";
/// The User Guide page on the policy simulator (what it does not simulate).
pub const UG_SIMULATOR: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html";

/// Keys the simulator fills from the real account behind the credentials, or from IAM's
/// unique ids: a query that leaves them to the oracle cannot be reproduced with synthetic
/// accounts (UG, "Testing IAM policies with the IAM policy simulator", context keys the
/// simulator populates).
pub const REAL_ACCOUNT_KEYS: [&str; 5] = [
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalorgmasteraccountid",
    "aws:principalid",
    "aws:userid",
];

/// One thing the simulator cannot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Limitation {
    /// A `ResourcePolicy` needs a `CallerArn` of an IAM user or role.
    ResourcePolicyNeedsCallerArn,
    /// Callers that are assumed-role sessions.
    CallerAssumedRole,
    /// Callers that are STS federated users.
    CallerFederatedUser,
    /// The account root user.
    CallerRoot,
    /// AWS service principals.
    CallerServicePrincipal,
    /// Web-identity or SAML principals.
    CallerWebIdentity,
    /// S3 canonical users.
    CallerCanonicalUser,
    /// Anonymous callers.
    CallerAnonymous,
    /// Any other ARN that is not an IAM user or role.
    CallerNotUserOrRole,
    /// Session policies ("cannot be scope-down policies").
    SessionPolicies,
    /// Resource control policies.
    ResourceControlPolicies,
    /// Role trust policies (`sts:AssumeRole*` and friends on a role) are not simulated.
    RoleTrustPolicy,
    /// A KMS key needs its key policy; without one the simulator cannot know it.
    KmsKeyWithoutKeyPolicy,
    /// `ActionNames` takes no wildcards.
    WildcardAction,
    /// `PolicyInputList` is required: a query with no identity-based policy.
    NoIdentityPolicies,
    /// At most 7 SCP levels.
    TooManyScpLevels,
    /// Policy text outside the API's length (1–131072) or characters (tab, LF, CR,
    /// U+0020–U+00FF).
    PolicyTextOutOfRange,
    /// Action (3–128), resource (1–2048) or context key name (5–256) length.
    InputOutOfRange,
    /// The same context key given twice.
    DuplicateContextKey,
    /// A policy tests a key the simulator fills from the real account.
    ContextKeyFromRealAccount,
    /// A resource policy with resource `*`: it must apply to every resource of the call.
    ResourcePolicyOnWildcardResource,
    /// A resource policy whose `Resource` patterns cannot name the resource's service.
    ResourcePolicyNotApplicable,
    /// `resource_owner` differs from the account in the resource ARN, which the simulator
    /// would use instead.
    ResourceOwnerContradictsArn,
}

impl Limitation {
    /// Every limitation, in check order (the first that applies is a skip's reason).
    pub const ALL: [Limitation; 23] = [
        Limitation::ResourcePolicyNeedsCallerArn,
        Limitation::CallerAssumedRole,
        Limitation::CallerFederatedUser,
        Limitation::CallerRoot,
        Limitation::CallerServicePrincipal,
        Limitation::CallerWebIdentity,
        Limitation::CallerCanonicalUser,
        Limitation::CallerAnonymous,
        Limitation::CallerNotUserOrRole,
        Limitation::SessionPolicies,
        Limitation::ResourceControlPolicies,
        Limitation::RoleTrustPolicy,
        Limitation::KmsKeyWithoutKeyPolicy,
        Limitation::WildcardAction,
        Limitation::NoIdentityPolicies,
        Limitation::TooManyScpLevels,
        Limitation::PolicyTextOutOfRange,
        Limitation::InputOutOfRange,
        Limitation::DuplicateContextKey,
        Limitation::ContextKeyFromRealAccount,
        Limitation::ResourcePolicyOnWildcardResource,
        Limitation::ResourcePolicyNotApplicable,
        Limitation::ResourceOwnerContradictsArn,
    ];

    /// A stable kebab-case name (reports, JSON).
    pub fn name(self) -> &'static str {
        match self {
            Limitation::ResourcePolicyNeedsCallerArn => "resource-policy-needs-caller-arn",
            Limitation::CallerAssumedRole => "caller-assumed-role",
            Limitation::CallerFederatedUser => "caller-federated-user",
            Limitation::CallerRoot => "caller-root",
            Limitation::CallerServicePrincipal => "caller-service-principal",
            Limitation::CallerWebIdentity => "caller-web-identity",
            Limitation::CallerCanonicalUser => "caller-canonical-user",
            Limitation::CallerAnonymous => "caller-anonymous",
            Limitation::CallerNotUserOrRole => "caller-not-user-or-role",
            Limitation::SessionPolicies => "session-policies",
            Limitation::ResourceControlPolicies => "resource-control-policies",
            Limitation::RoleTrustPolicy => "role-trust-policy",
            Limitation::KmsKeyWithoutKeyPolicy => "kms-key-without-key-policy",
            Limitation::WildcardAction => "wildcard-action",
            Limitation::NoIdentityPolicies => "no-identity-policies",
            Limitation::TooManyScpLevels => "too-many-scp-levels",
            Limitation::PolicyTextOutOfRange => "policy-text-out-of-range",
            Limitation::InputOutOfRange => "input-out-of-range",
            Limitation::DuplicateContextKey => "duplicate-context-key",
            Limitation::ContextKeyFromRealAccount => "context-key-from-real-account",
            Limitation::ResourcePolicyOnWildcardResource => "resource-policy-on-wildcard-resource",
            Limitation::ResourcePolicyNotApplicable => "resource-policy-not-applicable",
            Limitation::ResourceOwnerContradictsArn => "resource-owner-contradicts-arn",
        }
    }

    /// What the documentation says, in one sentence.
    pub fn describe(self) -> &'static str {
        match self {
            Limitation::ResourcePolicyNeedsCallerArn => {
                "CallerArn is required with a ResourcePolicy and must be an IAM user or role"
            }
            Limitation::CallerAssumedRole => "CallerArn cannot be an assumed-role session ARN",
            Limitation::CallerFederatedUser => "CallerArn cannot be a federated user ARN",
            Limitation::CallerRoot => {
                "CallerArn names an IAM user, group or role, not the root user"
            }
            Limitation::CallerServicePrincipal => "CallerArn cannot be a service principal",
            Limitation::CallerWebIdentity => "CallerArn cannot be an identity-provider principal",
            Limitation::CallerCanonicalUser => "CallerArn cannot be an S3 canonical user",
            Limitation::CallerAnonymous => "the simulator has no anonymous caller",
            Limitation::CallerNotUserOrRole => "CallerArn must be an IAM user or role ARN",
            Limitation::SessionPolicies => {
                "PolicyInputList policies cannot be scope-down (session) policies"
            }
            Limitation::ResourceControlPolicies => {
                "the simulator does not support resource control policies (RCPs)"
            }
            Limitation::RoleTrustPolicy => {
                "simulation of resource-based policies isn't supported for IAM roles"
            }
            Limitation::KmsKeyWithoutKeyPolicy => {
                "a KMS key is governed by its key policy, which the query does not give"
            }
            Limitation::WildcardAction => {
                "ActionNames does not support wildcards (*) in an action name"
            }
            Limitation::NoIdentityPolicies => "PolicyInputList is required",
            Limitation::TooManyScpLevels => {
                "OrderedOrganizationPolicyInputList holds at most 7 levels"
            }
            Limitation::PolicyTextOutOfRange => {
                "policy documents are 1-131072 characters of tab, LF, CR and U+0020-U+00FF"
            }
            Limitation::InputOutOfRange => {
                "action names are 3-128 characters, resource ARNs 1-2048, context key names 5-256"
            }
            Limitation::DuplicateContextKey => "each context key can be given once",
            Limitation::ContextKeyFromRealAccount => {
                "the simulator fills organization and unique-id keys from the real account"
            }
            Limitation::ResourcePolicyOnWildcardResource => {
                "a ResourcePolicy must be applicable to all of the resources of the call"
            }
            Limitation::ResourcePolicyNotApplicable => {
                "a ResourcePolicy must be applicable to all of the resources of the call"
            }
            Limitation::ResourceOwnerContradictsArn => {
                "ResourceOwner only applies to resources whose ARN names no account"
            }
        }
    }

    /// Where the documentation says it.
    pub fn link(self) -> &'static str {
        match self {
            Limitation::ResourceControlPolicies
            | Limitation::ContextKeyFromRealAccount
            | Limitation::KmsKeyWithoutKeyPolicy => UG_SIMULATOR,
            _ => API_DOC,
        }
    }
}

impl fmt::Display for Limitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a query cannot be asked: the limitation and what in the query hit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The limitation.
    pub limitation: Limitation,
    /// What in the query hit it.
    pub detail: String,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.limitation,
            self.detail,
            self.limitation.describe()
        )
    }
}

/// The limitations an oracle has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    lacks: Vec<Limitation>,
}

impl Capabilities {
    /// No limitation: the model.
    pub fn complete() -> Capabilities {
        Capabilities::default()
    }

    /// Every [`Limitation`]: the IAM policy simulator.
    pub fn simulator() -> Capabilities {
        Capabilities {
            lacks: Limitation::ALL.to_vec(),
        }
    }

    /// Whether the oracle has the limitation.
    pub fn lacks(&self, l: Limitation) -> bool {
        self.lacks.contains(&l)
    }

    /// The first of this oracle's limitations that the query hits, if any.
    pub fn check(&self, query: &Query) -> Result<(), Unsupported> {
        match first_limitation(query, &|l| self.lacks(l)) {
            Some(u) => Err(u),
            None => Ok(()),
        }
    }
}

/// Skips counted by reason.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkipCounts(pub BTreeMap<Limitation, usize>);

impl SkipCounts {
    /// Count one skip.
    pub fn add(&mut self, l: Limitation) {
        *self.0.entry(l).or_default() += 1;
    }

    /// All skips.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

impl fmt::Display for SkipCounts {
    /// `reason N, reason M` in check order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(l, n)| format!("{l} {n}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// Split queries into those the oracle can answer (their indexes) and skips by reason.
pub fn partition(queries: &[Query], caps: &Capabilities) -> (Vec<usize>, SkipCounts) {
    let mut keep = Vec::new();
    let mut skips = SkipCounts::default();
    for (i, q) in queries.iter().enumerate() {
        match caps.check(q) {
            Ok(()) => keep.push(i),
            Err(u) => skips.add(u.limitation),
        }
    }
    (keep, skips)
}

/// The kind of IAM ARN a caller is: `user`, `role`, or something else.
fn caller_limitation(caller: &Caller) -> Option<(Limitation, String)> {
    let arn = match caller {
        Caller::Arn(a) => a,
        Caller::Service(s) => return Some((Limitation::CallerServicePrincipal, s.clone())),
        Caller::Federated(s) => return Some((Limitation::CallerWebIdentity, s.clone())),
        Caller::CanonicalUser(s) => return Some((Limitation::CallerCanonicalUser, s.clone())),
        Caller::Anonymous => return Some((Limitation::CallerAnonymous, "anonymous".into())),
    };
    let (service, account, rest) = match Arn::parse(arn) {
        Ok(a) if a.region.is_empty() => (a.service, a.account, a.resource),
        _ => return Some((Limitation::CallerNotUserOrRole, arn.clone())),
    };
    let l = match (service, rest) {
        ("sts", r) if r.starts_with("assumed-role/") => Limitation::CallerAssumedRole,
        ("sts", r) if r.starts_with("federated-user/") => Limitation::CallerFederatedUser,
        ("iam", "root") => Limitation::CallerRoot,
        ("iam", r)
            if (r.starts_with("user/") || r.starts_with("role/"))
                && AccountId::is_valid(account) =>
        {
            return None;
        }
        _ => Limitation::CallerNotUserOrRole,
    };
    Some((l, arn.clone()))
}

fn policy_text_ok(text: &str) -> bool {
    if text.is_ascii() {
        // One byte a character: the same test on bytes, without decoding (the campaign
        // checks every generated policy's text).
        return !text.is_empty()
            && text.len() <= 131_072
            && text
                .bytes()
                .all(|b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7f));
    }
    !text.is_empty()
        && text.chars().count() <= 131_072
        && text
            .chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
}

/// Whether a resource policy could apply to a resource of `service`: some `Resource`
/// pattern's service segment matches it, or a pattern is `*`, or the policy names no
/// resource (then the simulator, not the pattern, decides).
fn resource_policy_applies(policy: &PolicyText, service: &str) -> bool {
    let Ok(p) = policy.parsed() else {
        return true;
    };
    let mut patterns = Vec::new();
    for s in &p.statements {
        if let Some(r) = &s.value.resource
            && !r.value.negated
        {
            patterns.extend(r.value.values.items.iter().map(|v| v.value.clone()));
        }
    }
    patterns.is_empty()
        || patterns.iter().any(|pat| {
            pat == "*"
                || Arn::parse(pat).ok().is_none_or(|parts| {
                    let svc = parts.service;
                    svc.contains('*') || svc.contains('?') || svc.eq_ignore_ascii_case(service)
                })
        })
}

/// Every simulator limitation a query hits, in [`Limitation::ALL`] order.
pub fn limitations(q: &Query) -> Vec<Unsupported> {
    let mut scan = Scan {
        wanted: &|_| true,
        first_only: false,
        found: Vec::new(),
    };
    scan.run(q);
    scan.found
}

/// The first limitation (in [`Limitation::ALL`] order) that a query hits among those
/// `wanted` accepts: [`limitations`] filtered by `wanted`, first item, but the limitations
/// after it are not worked out (the campaign's skip check; most skipped cases are decided
/// by the caller, before any policy text is read).
pub fn first_limitation(q: &Query, wanted: &dyn Fn(Limitation) -> bool) -> Option<Unsupported> {
    let mut scan = Scan {
        wanted,
        first_only: true,
        found: Vec::new(),
    };
    scan.run(q);
    scan.found.into_iter().next()
}

/// A walk over a query's limitations in [`Limitation::ALL`] order. Each check asks
/// [`Scan::looks_for`] before it does any work, so a limitation nobody wants, or any
/// limitation after the first when only the first is wanted, costs nothing.
struct Scan<'w> {
    wanted: &'w dyn Fn(Limitation) -> bool,
    first_only: bool,
    found: Vec<Unsupported>,
}

impl Scan<'_> {
    fn looks_for(&self, l: Limitation) -> bool {
        (self.found.is_empty() || !self.first_only) && (self.wanted)(l)
    }

    fn hit(&mut self, limitation: Limitation, detail: String) {
        self.found.push(Unsupported { limitation, detail });
    }

    fn run(&mut self, q: &Query) {
        self.caller_and_slots(q);
        self.action_and_resource(q);
        self.policy_inputs(q);
        self.context(q);
        self.resource_policy(q);
    }

    /// The caller, and policy slots the simulator has no input for.
    fn caller_and_slots(&mut self, q: &Query) {
        let p = &q.policies;
        let caller = caller_limitation(&q.caller);
        if self.looks_for(Limitation::ResourcePolicyNeedsCallerArn)
            && p.resource.is_some()
            && caller.is_some()
        {
            self.hit(
                Limitation::ResourcePolicyNeedsCallerArn,
                "resource policy with a caller that is not an IAM user or role".into(),
            );
        }
        if let Some((l, d)) = caller
            && self.looks_for(l)
        {
            self.hit(l, d);
        }
        if self.looks_for(Limitation::SessionPolicies) && !p.session.is_empty() {
            self.hit(
                Limitation::SessionPolicies,
                format!("{} session policies", p.session.len()),
            );
        }
        if self.looks_for(Limitation::ResourceControlPolicies) && p.rcp.is_some() {
            self.hit(Limitation::ResourceControlPolicies, "RCPs given".into());
        }
    }

    /// Role trust, KMS keys without a key policy, and wildcard actions.
    fn action_and_resource(&mut self, q: &Query) {
        // The action compared as its ASCII lower case, byte for byte.
        let action = q.action.as_bytes();
        let starts = |prefix: &str| {
            action
                .get(..prefix.len())
                .is_some_and(|a| a.eq_ignore_ascii_case(prefix.as_bytes()))
        };
        let has_resource_policy = q.policies.resource.is_some();
        if self.looks_for(Limitation::RoleTrustPolicy)
            && q.resource.contains(":iam::")
            && q.resource.contains(":role/")
        {
            let trust_action = starts("sts:assumerole")
                || ["sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]
                    .iter()
                    .any(|a| action.eq_ignore_ascii_case(a.as_bytes()));
            if trust_action || has_resource_policy {
                self.hit(Limitation::RoleTrustPolicy, q.resource.clone());
            }
        }
        if self.looks_for(Limitation::KmsKeyWithoutKeyPolicy)
            && !has_resource_policy
            && starts("kms:")
            && q.resource.starts_with("arn:")
            && q.resource.contains(":kms:")
            && q.resource.contains(":key/")
        {
            self.hit(Limitation::KmsKeyWithoutKeyPolicy, q.resource.clone());
        }
        if self.looks_for(Limitation::WildcardAction)
            && (q.action.contains('*') || q.action.contains('?'))
        {
            self.hit(Limitation::WildcardAction, q.action.clone());
        }
    }

    /// The policy inputs: present, few enough SCP levels, texts the API takes.
    fn policy_inputs(&mut self, q: &Query) {
        let p = &q.policies;
        if self.looks_for(Limitation::NoIdentityPolicies) && p.identity.is_empty() {
            self.hit(Limitation::NoIdentityPolicies, "no identity policy".into());
        }
        if self.looks_for(Limitation::TooManyScpLevels)
            && let Some(levels) = &p.scp
            && levels.len() > 7
        {
            self.hit(
                Limitation::TooManyScpLevels,
                format!("{} levels", levels.len()),
            );
        }
        if self.looks_for(Limitation::PolicyTextOutOfRange)
            && let Some((slot, _)) = p
                .entries()
                .into_iter()
                .find(|(_, t)| !policy_text_ok(t.as_str()))
        {
            self.hit(Limitation::PolicyTextOutOfRange, slot.to_string());
        }
    }

    /// Input lengths, and the context keys: given twice, or filled from the real account.
    fn context(&mut self, q: &Query) {
        if self.looks_for(Limitation::InputOutOfRange) {
            let action_len = q.action.chars().count();
            let resource_len = q.resource.chars().count();
            if !(3..=128).contains(&action_len) || !(1..=2048).contains(&resource_len) {
                self.hit(Limitation::InputOutOfRange, q.action.clone());
            } else if let Some(c) = q
                .context
                .iter()
                .find(|c| !(5..=256).contains(&c.key.chars().count()))
            {
                self.hit(Limitation::InputOutOfRange, c.key.clone());
            }
        }
        let duplicates = self.looks_for(Limitation::DuplicateContextKey);
        if !duplicates && !self.looks_for(Limitation::ContextKeyFromRealAccount) {
            return;
        }
        let mut keys: Vec<String> = q.context.iter().map(|c| c.key.to_lowercase()).collect();
        keys.sort();
        if duplicates && let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            self.hit(Limitation::DuplicateContextKey, w[0].clone());
        }
        if self.looks_for(Limitation::ContextKeyFromRealAccount) {
            let texts: Vec<String> = q
                .policies
                .entries()
                .into_iter()
                .map(|(_, t)| lower_case(t.as_str()))
                .collect();
            if let Some(k) = REAL_ACCOUNT_KEYS
                .iter()
                .find(|k| texts.iter().any(|t| t.contains(*k)) && !keys.iter().any(|g| g == *k))
            {
                self.hit(Limitation::ContextKeyFromRealAccount, (*k).to_string());
            }
        }
    }

    /// A resource policy the simulator cannot apply to the call's resource, and an owner
    /// that contradicts the resource ARN.
    fn resource_policy(&mut self, q: &Query) {
        if let Some(policy) = &q.policies.resource {
            if self.looks_for(Limitation::ResourcePolicyOnWildcardResource) && q.resource == "*" {
                self.hit(Limitation::ResourcePolicyOnWildcardResource, "*".into());
            } else if self.looks_for(Limitation::ResourcePolicyNotApplicable)
                && q.resource != "*"
                && let Ok(arn) = Arn::parse(&q.resource)
                && !resource_policy_applies(policy, arn.service)
            {
                self.hit(
                    Limitation::ResourcePolicyNotApplicable,
                    arn.service.to_string(),
                );
            }
        }
        if self.looks_for(Limitation::ResourceOwnerContradictsArn)
            && let (Some(owner), Ok(arn)) = (&q.resource_owner, Arn::parse(&q.resource))
            && !arn.account.is_empty()
            && arn.account != owner
        {
            self.hit(
                Limitation::ResourceOwnerContradictsArn,
                format!("{owner} vs {}", arn.account),
            );
        }
    }
}

/// `text.to_lowercase()`; an ASCII text (every generated one) is lowered byte by byte, which
/// is the same for ASCII and skips the Unicode tables.
fn lower_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::policy_text_ok;

    /// The character rule as the API states it, one character at a time.
    fn by_characters(text: &str) -> bool {
        !text.is_empty()
            && text.chars().count() <= 131_072
            && text
                .chars()
                .all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
    }

    #[test]
    fn policy_text_range_is_the_api_character_rule() {
        let mut texts: Vec<String> = [
            "",
            "{}",
            "a\tb\nc\r",
            "\u{7f}",
            "\u{1f}",
            "x\u{0}",
            "é",
            "€",
            "ÿ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [131_071, 131_072, 131_073] {
            texts.push("a".repeat(n));
            texts.push(format!("{}é", "a".repeat(n - 1)));
        }
        let mut verdicts = (0, 0);
        for t in &texts {
            let ok = policy_text_ok(t);
            assert_eq!(ok, by_characters(t), "{:?}", &t[..t.len().min(20)]);
            if ok {
                verdicts.0 += 1;
            } else {
                verdicts.1 += 1;
            }
        }
        // Both verdicts were met, on ASCII texts and on others.
        assert_eq!(verdicts, (9, 6));
    }
}
