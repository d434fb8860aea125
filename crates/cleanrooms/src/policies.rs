//! Every policy document in `corpus/policies/` (the policies printed in the seed documents,
//! byte for byte, and the five AWS managed policies for Clean Rooms), embedded at compile time
//! and available by the stable names of `corpus/policies/index.json`.
//!
//! ```
//! use iamcr_cleanrooms::policies;
//! let full = policies::policy("managed-AWSCleanRoomsFullAccess").ok_or("missing")?;
//! assert!(full.parsed.is_ok());
//! // The seed's seed-data permissions policy has a trailing comma: it does not parse.
//! assert!(policies::policy("seed-000-seed-data-permissions").ok_or("missing")?.parsed.is_err());
//! # Ok::<(), &str>(())
//! ```
//!
//! The list below mirrors `index.json` (name, file, kind, fragment flag, source); the test
//! `tests/scenario_policies.rs` checks that it stays in step with the index, so a policy
//! added to the corpus without being added here fails the build's tests rather than
//! silently going missing.

use iamcr_policy::{Diagnostic, Policy, PolicyKind};
use std::fmt;

/// What a corpus entry is, as `index.json`'s `kind` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorpusKind {
    /// A role trust policy (`Principal` a Clean Rooms service, `sts:AssumeRole`).
    Trust,
    /// An identity-based (permissions) policy, including the managed policies and the KMS
    /// statement fragments.
    Identity,
    /// A resource-based policy (the configured-audience-model policy).
    Resource,
    /// A bare policy element (not a document at all).
    Element,
}

impl CorpusKind {
    /// As `index.json` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CorpusKind::Trust => "trust",
            CorpusKind::Identity => "identity",
            CorpusKind::Resource => "resource",
            CorpusKind::Element => "element",
        }
    }

    /// The policy kind whose rules apply, for entries that are meant as whole documents.
    pub fn policy_kind(self) -> Option<PolicyKind> {
        match self {
            CorpusKind::Trust => Some(PolicyKind::Trust),
            CorpusKind::Identity => Some(PolicyKind::Identity),
            CorpusKind::Resource => Some(PolicyKind::Resource),
            CorpusKind::Element => None,
        }
    }
}

impl fmt::Display for CorpusKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One corpus policy, with the result of reading it.
#[derive(Debug, Clone)]
pub struct NamedPolicy {
    /// The stable name (`index.json` `name`), e.g. `managed-AWSCleanRoomsFullAccess`.
    pub name: &'static str,
    /// The file, relative to `corpus/policies/`.
    pub file: &'static str,
    /// What it is.
    pub kind: CorpusKind,
    /// Whether the text is only part of a policy document.
    pub fragment: bool,
    /// Where it comes from (seed document and position, or managed policy ARN and version).
    pub source: &'static str,
    /// The exact text.
    pub text: &'static str,
    /// [`iamcr_policy::parse`] of the text: the policy, or every problem that stops it
    /// being read as one.
    pub parsed: Result<Policy, Vec<Diagnostic>>,
}

/// One row of the embedded list.
struct Entry {
    name: &'static str,
    file: &'static str,
    kind: CorpusKind,
    fragment: bool,
    source: &'static str,
    text: &'static str,
}

impl Entry {
    fn load(&self) -> NamedPolicy {
        NamedPolicy {
            name: self.name,
            file: self.file,
            kind: self.kind,
            fragment: self.fragment,
            source: self.source,
            text: self.text,
            parsed: iamcr_policy::parse(self.text),
        }
    }
}

/// One entry; the file name is given once and used both as data and for `include_str!`.
macro_rules! entry {
    ($name:literal, $file:literal, $kind:expr, $fragment:literal, $source:literal) => {
        Entry {
            name: $name,
            file: $file,
            kind: $kind,
            fragment: $fragment,
            source: $source,
            text: include_str!(concat!("../../../corpus/policies/", $file)),
        }
    };
}

/// In `index.json` order: the seed policies, then the managed policies.
const ENTRIES: &[Entry] = &[
    entry!(
        "seed-000-read-data-trust",
        "seeds/000-01-read-data-trust.json",
        CorpusKind::Trust,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read data, step 5 (custom trust policy)\", line 108 col 6 (byte offset 4494, length 350)"
    ),
    entry!(
        "seed-000-read-data-permissions",
        "seeds/000-02-read-data-permissions.json",
        CorpusKind::Identity,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read data, step 7.1 (permissions policy)\", line 141 col 7 (byte offset 5661, length 2271)"
    ),
    entry!(
        "seed-000-write-results-trust",
        "seeds/000-03-write-results-trust.json",
        CorpusKind::Trust,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to write results, step 5 (example custom trust policy)\", line 273 col 5 (byte offset 10977, length 1126)"
    ),
    entry!(
        "seed-000-write-results-permissions",
        "seeds/000-04-write-results-permissions.json",
        CorpusKind::Identity,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to write results, step 7.1 (example service role policy)\", line 335 col 7 (byte offset 13494, length 1030)"
    ),
    entry!(
        "seed-000-training-data-permissions",
        "seeds/000-05-training-data-permissions.json",
        CorpusKind::Identity,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read training data, step 4\", line 425 col 5 (byte offset 16600, length 2145)"
    ),
    entry!(
        "seed-000-training-data-kms-fragment",
        "seeds/000-06-training-data-kms-fragment.json",
        CorpusKind::Identity,
        true,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read training data, step 4 ('add this AWS KMS statement to the previous template')\", line 498 col 5 (byte offset 18870, length 460)"
    ),
    entry!(
        "seed-000-training-data-trust",
        "seeds/000-07-training-data-trust.json",
        CorpusKind::Trust,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read training data, step 11 (custom trust policy, printed on one line)\", line 534 col 5 (byte offset 19952, length 364)"
    ),
    entry!(
        "seed-000-lookalike-segment-permissions",
        "seeds/000-08-lookalike-segment-permissions.json",
        CorpusKind::Identity,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to write a lookalike segment, step 4\", line 579 col 5 (byte offset 22361, length 1035)"
    ),
    entry!(
        "seed-000-lookalike-segment-kms-fragment",
        "seeds/000-09-lookalike-segment-kms-fragment.json",
        CorpusKind::Identity,
        true,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to write a lookalike segment, step 4 ('add this AWS KMS statement to the template')\", line 623 col 5 (byte offset 23512, length 540)"
    ),
    entry!(
        "seed-000-lookalike-segment-trust",
        "seeds/000-10-lookalike-segment-trust.json",
        CorpusKind::Trust,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to write a lookalike segment, step 11 (custom trust policy)\", line 662 col 5 (byte offset 24657, length 692)"
    ),
    entry!(
        "seed-000-seed-data-permissions",
        "seeds/000-11-seed-data-permissions.json",
        CorpusKind::Identity,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read seed data, step 4\", line 730 col 5 (byte offset 27250, length 992)"
    ),
    entry!(
        "seed-000-seed-data-kms-fragment",
        "seeds/000-12-seed-data-kms-fragment.json",
        CorpusKind::Identity,
        true,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read seed data, step 4 ('add this AWS KMS statement to the template')\", line 773 col 5 (byte offset 28358, length 496)"
    ),
    entry!(
        "seed-000-seed-data-trust",
        "seeds/000-13-seed-data-trust.json",
        CorpusKind::Trust,
        false,
        "000_4bf9d1b6f7bc9e25.txt (seed 000: Setting up AWS Clean Rooms (plain text, policies indented inside numbered steps)), section \"Create a service role to read seed data, step 11 (custom trust policy)\", line 811 col 5 (byte offset 29459, length 689)"
    ),
    entry!(
        "seed-001-action-element",
        "seeds/001-01-action-element.json",
        CorpusKind::Element,
        true,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"## Policy actions for AWS Clean Rooms (```-fenced snippet)\", line 190 col 1 (byte offset 19216, length 77)"
    ),
    entry!(
        "seed-001-resource-element",
        "seeds/001-02-resource-element.json",
        CorpusKind::Element,
        true,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"## Policy resources for AWS Clean Rooms (```-fenced snippet)\", line 212 col 1 (byte offset 20186, length 15)"
    ),
    entry!(
        "seed-001-view-own-permissions",
        "seeds/001-03-view-own-permissions.json",
        CorpusKind::Identity,
        false,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"## Allow users to view their own permissions\", line 330 col 1 (byte offset 32410, length 922)"
    ),
    entry!(
        "seed-001-confused-deputy-trust",
        "seeds/001-04-confused-deputy-trust.json",
        CorpusKind::Trust,
        false,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"# Cross-service confused deputy prevention\", line 601 col 1 (byte offset 55090, length 1095)"
    ),
    entry!(
        "seed-001-audience-generation-resource-policy",
        "seeds/001-05-audience-generation-resource-policy.json",
        CorpusKind::Resource,
        false,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"# IAM behaviors for AWS Clean Rooms ML / ## Cross-account jobs\", line 663 col 1 (byte offset 57975, length 680)"
    ),
    entry!(
        "seed-001-ml-custom-models-membership-access",
        "seeds/001-06-ml-custom-models-membership-access.json",
        CorpusKind::Identity,
        false,
        "001_ffd37191befe516d.txt (seed 001: Identity and Access Management for AWS Clean Rooms (markdown, ```-fenced JSON)), section \"# IAM behaviors for Clean Rooms ML Custom Models / ## Membership and collaboration access\", line 753 col 1 (byte offset 65822, length 964)"
    ),
    entry!(
        "seed-002-audience-generation-resource-policy",
        "seeds/002-01-audience-generation-resource-policy.json",
        CorpusKind::Resource,
        false,
        "002_eceb3463d17a44a7.txt (seed 002: IAM behaviors for AWS Clean Rooms ML (plain text)), section \"Cross-account jobs (printed on one line)\", line 19 col 1 (byte offset 1696, length 471)"
    ),
    entry!(
        "managed-AWSCleanRoomsReadOnlyAccess",
        "managed/AWSCleanRoomsReadOnlyAccess.json",
        CorpusKind::Identity,
        false,
        "arn:aws:iam::aws:policy/AWSCleanRoomsReadOnlyAccess default version v1 (version created 2023-01-12T16:10:48Z); document from github.com/zoph-io/MAMIP policies/AWSCleanRoomsReadOnlyAccess (GetPolicyVersion output of the default version); snapshot HEAD 0387244e53a3dbe038810ef3463489c2c6836f06 (2026-03-07), last changed in commit aafbae9e6087b732577df3a0556f8677e5d4c79b 2024-09-18 10:06:56 +0000; cross-check: github.com/iann0036/iam-dataset aws/managedpolicies/AWSCleanRoomsReadOnlyAccess.json at HEAD 2073fa52ac008a45477aa0b1b4580cd99135bf60 (2026-08-22): identical documents and version ids for all five; file content: each AWSCleanRoomsReadOnlyAccess.json is exactly the policy Document (parsed and re-serialized with 2-space indent; key order preserved); copied verbatim from shared/reference/managed-policies/AWSCleanRoomsReadOnlyAccess.json (see shared/reference/SOURCES.md)"
    ),
    entry!(
        "managed-AWSCleanRoomsFullAccess",
        "managed/AWSCleanRoomsFullAccess.json",
        CorpusKind::Identity,
        false,
        "arn:aws:iam::aws:policy/AWSCleanRoomsFullAccess default version v2 (version created 2024-03-21T15:35:13Z); document from github.com/zoph-io/MAMIP policies/AWSCleanRoomsFullAccess (GetPolicyVersion output of the default version); snapshot HEAD 0387244e53a3dbe038810ef3463489c2c6836f06 (2026-03-07), last changed in commit aafbae9e6087b732577df3a0556f8677e5d4c79b 2024-09-18 10:06:56 +0000; cross-check: github.com/iann0036/iam-dataset aws/managedpolicies/AWSCleanRoomsFullAccess.json at HEAD 2073fa52ac008a45477aa0b1b4580cd99135bf60 (2026-08-22): identical documents and version ids for all five; file content: each AWSCleanRoomsFullAccess.json is exactly the policy Document (parsed and re-serialized with 2-space indent; key order preserved); copied verbatim from shared/reference/managed-policies/AWSCleanRoomsFullAccess.json (see shared/reference/SOURCES.md)"
    ),
    entry!(
        "managed-AWSCleanRoomsFullAccessNoQuerying",
        "managed/AWSCleanRoomsFullAccessNoQuerying.json",
        CorpusKind::Identity,
        false,
        "arn:aws:iam::aws:policy/AWSCleanRoomsFullAccessNoQuerying default version v7 (version created 2026-02-12T17:57:59Z); document from github.com/zoph-io/MAMIP policies/AWSCleanRoomsFullAccessNoQuerying (GetPolicyVersion output of the default version); snapshot HEAD 0387244e53a3dbe038810ef3463489c2c6836f06 (2026-03-07), last changed in commit e1a4db6835d7285398ecede0829cd17f7989646a 2026-02-12 21:02:37 +0000; cross-check: github.com/iann0036/iam-dataset aws/managedpolicies/AWSCleanRoomsFullAccessNoQuerying.json at HEAD 2073fa52ac008a45477aa0b1b4580cd99135bf60 (2026-08-22): identical documents and version ids for all five; file content: each AWSCleanRoomsFullAccessNoQuerying.json is exactly the policy Document (parsed and re-serialized with 2-space indent; key order preserved); copied verbatim from shared/reference/managed-policies/AWSCleanRoomsFullAccessNoQuerying.json (see shared/reference/SOURCES.md)"
    ),
    entry!(
        "managed-AWSCleanRoomsMLReadOnlyAccess",
        "managed/AWSCleanRoomsMLReadOnlyAccess.json",
        CorpusKind::Identity,
        false,
        "arn:aws:iam::aws:policy/AWSCleanRoomsMLReadOnlyAccess default version v4 (version created 2026-02-12T18:00:49Z); document from github.com/zoph-io/MAMIP policies/AWSCleanRoomsMLReadOnlyAccess (GetPolicyVersion output of the default version); snapshot HEAD 0387244e53a3dbe038810ef3463489c2c6836f06 (2026-03-07), last changed in commit b4fd907f98b3b9d048d7b81f8739d7b7782262f9 2026-02-12 21:02:38 +0000; cross-check: github.com/iann0036/iam-dataset aws/managedpolicies/AWSCleanRoomsMLReadOnlyAccess.json at HEAD 2073fa52ac008a45477aa0b1b4580cd99135bf60 (2026-08-22): identical documents and version ids for all five; file content: each AWSCleanRoomsMLReadOnlyAccess.json is exactly the policy Document (parsed and re-serialized with 2-space indent; key order preserved); copied verbatim from shared/reference/managed-policies/AWSCleanRoomsMLReadOnlyAccess.json (see shared/reference/SOURCES.md)"
    ),
    entry!(
        "managed-AWSCleanRoomsMLFullAccess",
        "managed/AWSCleanRoomsMLFullAccess.json",
        CorpusKind::Identity,
        false,
        "arn:aws:iam::aws:policy/AWSCleanRoomsMLFullAccess default version v4 (version created 2026-02-12T18:03:10Z); document from github.com/zoph-io/MAMIP policies/AWSCleanRoomsMLFullAccess (GetPolicyVersion output of the default version); snapshot HEAD 0387244e53a3dbe038810ef3463489c2c6836f06 (2026-03-07), last changed in commit a2b9a516f38d5d46900f19bf2c2c70f68e11dcbe 2026-02-12 21:02:37 +0000; cross-check: github.com/iann0036/iam-dataset aws/managedpolicies/AWSCleanRoomsMLFullAccess.json at HEAD 2073fa52ac008a45477aa0b1b4580cd99135bf60 (2026-08-22): identical documents and version ids for all five; file content: each AWSCleanRoomsMLFullAccess.json is exactly the policy Document (parsed and re-serialized with 2-space indent; key order preserved); copied verbatim from shared/reference/managed-policies/AWSCleanRoomsMLFullAccess.json (see shared/reference/SOURCES.md)"
    ),
];

/// The names of every corpus policy, in `index.json` order.
pub fn names() -> impl Iterator<Item = &'static str> {
    ENTRIES.iter().map(|e| e.name)
}

/// The corpus policy with this name (exact, case-sensitive), read.
pub fn policy(name: &str) -> Option<NamedPolicy> {
    ENTRIES.iter().find(|e| e.name == name).map(Entry::load)
}

/// Every corpus policy, read, in `index.json` order.
pub fn all() -> Vec<NamedPolicy> {
    ENTRIES.iter().map(Entry::load).collect()
}
