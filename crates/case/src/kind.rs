//! Policy kinds: which AWS API receives the policy, and so which rules and quotas apply.

use std::fmt;
use std::str::FromStr;

/// The kind of a policy document. The kind decides which elements are required or
/// forbidden, which `Version`s are accepted, which messages AWS answers with, and the size
/// quota (see `docs/validation.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyKind {
    /// An identity-based policy as IAM `CreatePolicy` takes it (a customer managed policy).
    Identity,
    /// A resource-based policy (S3 bucket policy, Clean Rooms ML configured audience model
    /// policy, KMS key policy, …).
    Resource,
    /// An IAM role trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// A permissions boundary (a managed policy used as a boundary).
    Boundary,
    /// A session policy passed to `AssumeRole*` / `GetFederationToken`.
    Session,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
}

impl PolicyKind {
    /// Every kind.
    pub const ALL: [PolicyKind; 7] = [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::Trust,
        PolicyKind::Boundary,
        PolicyKind::Session,
        PolicyKind::Scp,
        PolicyKind::Rcp,
    ];

    /// The name used in case files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Trust => "trust",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
        }
    }

    /// Whether IAM itself (or STS) stores the policy, so IAM's grammar rules apply (Sid
    /// character set, allowed characters, `Version` for managed policies).
    pub fn is_iam_document(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Trust | PolicyKind::Session
        )
    }

    /// Whether a `Principal` element is required (resource-based and trust policies) —
    /// RCPs also carry one (always `"*"`).
    pub fn requires_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Rcp
        )
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PolicyKind {
    type Err = String;
    fn from_str(s: &str) -> Result<PolicyKind, String> {
        PolicyKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown policy kind {s:?} (expected one of: identity, resource, trust, \
                     boundary, session, scp, rcp)"
                )
            })
    }
}
