//! What an evaluation answers: the decision, the statements that decided it (like the
//! simulator's `MatchedStatements`), per-policy-type decisions (`EvalDecisionDetails`),
//! missing context keys (`MissingContextValues`), and why.

use crate::compile::{PolicyRef, PolicyType};
use crate::principal::Grant;
use iamcr_policy::Position;
use std::fmt;

/// The decision: the vocabulary crate's one type (re-exported as `iamcr_eval::Decision`).
pub use iamcr_case::Decision;

/// A statement that decided the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatchedStatement {
    /// Its policy.
    pub policy: PolicyRef,
    /// Its index in the policy.
    pub statement: usize,
    /// Its Sid (shared with the compiled statement: reporting it allocates nothing).
    pub sid: Option<std::sync::Arc<str>>,
    /// Allow or Deny.
    pub allow: bool,
    /// Where it starts, when the policy text is known.
    pub start: Option<Position>,
    /// Where it ends.
    pub end: Option<Position>,
}

/// Why a statement did not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotApplied {
    /// No `Action` pattern matched the action.
    Action,
    /// `NotAction` listed the action (the pattern's index).
    NotAction(usize),
    /// No `Resource` pattern matched; variables that had no value are named.
    Resource {
        /// Lower-cased keys of unresolved variables.
        unresolved: Vec<String>,
    },
    /// `NotResource` listed the resource (the pattern's index).
    NotResource(usize),
    /// `Principal` does not name the requester (or is missing in a resource policy).
    Principal,
    /// `NotPrincipal` exempts the requester.
    NotPrincipal,
    /// A condition is false (its index among the statement's conditions).
    Condition(usize),
}

/// Why the decision is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A `Deny` statement applies.
    ExplicitDeny,
    /// An RCP or SCP level has no applicable `Allow`.
    OrganizationLevel {
        /// RCP or SCP.
        kind: PolicyType,
        /// The level (0 = root).
        level: usize,
    },
    /// The resource-based policy names the requester directly.
    ResourceGrant(Grant),
    /// The resource-based policy does not allow a cross-account request.
    CrossAccountResourceSide,
    /// Both accounts allow a cross-account request.
    CrossAccountBothAllow,
    /// A role trust policy or KMS key policy must allow, and does not.
    ResourcePolicyRequired,
    /// No identity-based policy allows.
    NoIdentityAllow,
    /// The permissions boundary does not allow.
    BoundaryNoAllow,
    /// The session policies do not allow.
    SessionNoAllow,
    /// A federated user (`GetFederationToken`) given no session policy has no permissions
    /// of its own; only a resource-based policy naming its session could allow.
    FederatedWithoutSessionPolicy,
    /// The action needs no permission and cannot be denied (`sts:GetCallerIdentity`).
    NoPermissionRequired,
    /// Identity-based policies allow (and nothing limits them).
    IdentityAllow,
    /// The root user of the account, with nothing denying.
    RootUser,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::ExplicitDeny => f.write_str("an applicable Deny statement overrides every Allow"),
            Reason::OrganizationLevel { kind, level } => write!(
                f,
                "{} level {level} has no applicable Allow statement, so the organization does not permit the request",
                kind.as_str().to_ascii_uppercase()
            ),
            Reason::ResourceGrant(g) => write!(
                f,
                "the resource-based policy allows the request and names {}, a grant that identity-based policies do not need to repeat",
                g.describe()
            ),
            Reason::CrossAccountResourceSide => f.write_str(
                "the request crosses accounts and the resource-based policy does not allow it (both accounts must allow)",
            ),
            Reason::CrossAccountBothAllow => f.write_str(
                "the request crosses accounts; the requester's policies and the resource-based policy both allow it",
            ),
            Reason::ResourcePolicyRequired => f.write_str(
                "role trust policies and KMS key policies must allow the principal explicitly, and this one does not",
            ),
            Reason::NoIdentityAllow => f.write_str("no identity-based policy allows the request"),
            Reason::BoundaryNoAllow => f.write_str("the permissions boundary does not allow the request"),
            Reason::SessionNoAllow => f.write_str("the session policies do not allow the request"),
            Reason::FederatedWithoutSessionPolicy => f.write_str(
                "a federated user session created without a session policy has no permissions, and no resource-based policy names it",
            ),
            Reason::NoPermissionRequired => f.write_str(
                "sts:GetCallerIdentity needs no permission and cannot be denied",
            ),
            Reason::IdentityAllow => f.write_str("identity-based policies allow the request and nothing limits them"),
            Reason::RootUser => f.write_str("the root user has full access to its own account unless something denies"),
        }
    }
}

/// The answer for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The deciding statements: the applicable Deny statements for an explicit deny; the
    /// applicable Allow statements of the identity-based and resource-based policies for an
    /// allow; none for an implicit deny.
    pub matched: Vec<MatchedStatement>,
    /// Context keys that conditions of relevant statements referred to but the request did
    /// not carry (keys tested only by SCPs are not listed).
    pub missing_context: Vec<String>,
    /// The decision of each policy type that took part.
    pub details: Details,
    /// Why.
    pub reason: Reason,
}

/// The decision of each policy type that took part (like the simulator's
/// `EvalDecisionDetails`), in evaluation order. A fixed array: no allocation per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Details([Option<Decision>; 6]);

impl Details {
    fn slot(ty: PolicyType) -> usize {
        match ty {
            PolicyType::Rcp => 0,
            PolicyType::Scp => 1,
            PolicyType::Resource => 2,
            PolicyType::Identity => 3,
            PolicyType::Boundary => 4,
            PolicyType::Session => 5,
        }
    }

    /// Record the decision of a policy type.
    pub fn set(&mut self, ty: PolicyType, d: Decision) {
        self.0[Self::slot(ty)] = Some(d);
    }

    /// The decision of a policy type, if it took part.
    pub fn get(&self, ty: PolicyType) -> Option<Decision> {
        self.0[Self::slot(ty)]
    }

    /// Whether no policy type took part.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// The policy types that took part, with their decisions, in evaluation order.
    pub fn iter(&self) -> impl Iterator<Item = (PolicyType, Decision)> + '_ {
        PolicyType::ALL
            .iter()
            .filter_map(|t| self.get(*t).map(|d| (*t, d)))
    }
}

impl<'a> IntoIterator for &'a Details {
    type Item = (PolicyType, Decision);
    type IntoIter = Box<dyn Iterator<Item = (PolicyType, Decision)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
