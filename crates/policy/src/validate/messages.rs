//! Which message each kind of policy gets for each rule.
//!
//! IAM, STS, Organizations and resource-policy services each word their rejections
//! differently; the research behind this table, with sources and confidence for every text,
//! is `docs/research/validation-messages.md`. Where AWS's text is not known for a kind, the
//! nearest verified text of the same service family is used and `docs/validation.md` says so.

use crate::PolicyKind;
use crate::diag::messages as iam;

/// Organizations answers every content-rule violation of an SCP or RCP with one text.
pub(crate) const ORG_GENERIC: &str =
    "The provided policy document does not meet the requirements of the specified policy type.";

/// The texts one kind of policy is rejected with.
pub(crate) struct KindMessages {
    /// Text that is not JSON.
    pub json: &'static str,
    /// JSON of the wrong shape.
    pub syntax: &'static str,
    /// A statement without actions.
    pub no_actions: &'static str,
    /// A statement without resources.
    pub no_resources: &'static str,
    /// A statement without a principal where one is required.
    pub no_principal: &'static str,
    /// A principal where none is allowed.
    pub principal_forbidden: &'static str,
    /// A Sid outside `[0-9A-Za-z]`.
    pub sid_charset: &'static str,
    /// Duplicate Sids.
    pub sid_unique: &'static str,
}

const SID_CHARSET: &str = "Statement IDs (SID) must be alpha-numeric. Check that your input \
                           satisfies the regular expression [0-9A-Za-z]*";

impl KindMessages {
    pub(crate) fn for_kind(kind: PolicyKind) -> KindMessages {
        match kind {
            PolicyKind::Identity | PolicyKind::Boundary => KindMessages {
                json: iam::SYNTAX,
                syntax: iam::SYNTAX,
                no_actions: iam::NO_ACTIONS,
                no_resources: iam::NO_RESOURCES,
                no_principal: iam::MISSING_PRINCIPAL,
                principal_forbidden: iam::IDENTITY_PRINCIPAL,
                sid_charset: SID_CHARSET,
                sid_unique: iam::SID_UNIQUE,
            },
            PolicyKind::Trust => KindMessages {
                json: "This policy contains invalid Json",
                syntax: iam::SYNTAX,
                no_actions: iam::NO_ACTIONS,
                no_resources: iam::NO_RESOURCES,
                no_principal: TRUST_NO_PRINCIPAL,
                principal_forbidden: iam::IDENTITY_PRINCIPAL,
                sid_charset: SID_CHARSET,
                sid_unique: iam::SID_UNIQUE,
            },
            PolicyKind::Session => KindMessages {
                json: "The policy is not in the valid JSON format.",
                syntax: iam::SYNTAX,
                no_actions: iam::NO_ACTIONS,
                no_resources: iam::NO_RESOURCES,
                no_principal: iam::MISSING_PRINCIPAL,
                principal_forbidden: iam::IDENTITY_PRINCIPAL,
                sid_charset: SID_CHARSET,
                sid_unique: iam::SID_UNIQUE,
            },
            PolicyKind::Resource => KindMessages {
                json: "This policy contains invalid Json",
                syntax: iam::SYNTAX,
                no_actions: "Statement is missing required element",
                no_resources: "Statement is missing required element",
                no_principal: iam::MISSING_PRINCIPAL,
                principal_forbidden: iam::INVALID_PRINCIPAL,
                sid_charset: SID_CHARSET,
                sid_unique: iam::SID_UNIQUE,
            },
            PolicyKind::Scp | PolicyKind::Rcp => KindMessages {
                json: ORG_GENERIC,
                syntax: ORG_GENERIC,
                no_actions: ORG_GENERIC,
                no_resources: ORG_GENERIC,
                no_principal: ORG_GENERIC,
                principal_forbidden: ORG_GENERIC,
                sid_charset: ORG_GENERIC,
                sid_unique: ORG_GENERIC,
            },
        }
    }
}

/// A trust-policy statement without a principal (verbatim IAM text, seen 2019–2020).
pub(crate) const TRUST_NO_PRINCIPAL: &str = "Invalid principal in policy: \
     com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with \
     no principals!";

/// A trust policy with `Resource`/`NotResource` (no final period, as IAM writes it).
pub(crate) const TRUST_RESOURCE: &str = "Has prohibited field Resource";

/// A trust policy with an action outside the `sts:AssumeRole*` family.
pub(crate) const TRUST_ACTIONS: &str = "AssumeRole policy may only specify STS AssumeRole actions.";

/// A trust policy with `"Principal": "*"`.
pub(crate) const TRUST_STAR: &str =
    "AssumeRolepolicy contained an invalid principal: \"STAR\":\"*\".";

/// Resource-policy services: a resource that is not an ARN or `*`.
pub(crate) const RESOURCE_INVALID: &str = "Policy has invalid resource";

/// Resource-policy services: an action that is not `vendor:name`.
pub(crate) const ACTION_INVALID: &str = "Policy has invalid action";
