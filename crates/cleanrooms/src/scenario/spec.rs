//! The scenario file format, as written (see `docs/scenarios.md`). Unknown fields are errors:
//! a misspelt parameter must not silently fall back to a default and change what is tested.

use super::policy_ref::PolicyRef;
use iamcr_eval::ValueType;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
use std::fmt;

/// A scenario as written: who exists, which policies are attached where, and the operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// A short identifier.
    #[serde(default)]
    pub id: Option<String>,
    /// What the scenario shows.
    #[serde(default)]
    pub description: Option<String>,
    /// Provenance: the seed document or page the scenario follows.
    #[serde(default)]
    pub source: Option<String>,
    /// The accounts taking part (optional; needed only for SCPs or names).
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
    /// The IAM roles taking part.
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// Resource-based policies (S3 bucket policies, KMS key policies, configured audience
    /// model policies), by the ARN of the resource they are attached to.
    #[serde(default)]
    pub resource_policies: Vec<ResourcePolicySpec>,
    /// The operation.
    pub operation: OperationSpec,
    /// What the scenario is expected to answer (checked by the tests, not by `run`).
    #[serde(default)]
    pub expect: Option<ExpectSpec>,
}

/// An account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// The 12-digit account ID.
    pub id: String,
    /// A name for people.
    #[serde(default)]
    pub name: Option<String>,
    /// SCPs governing the account's IAM principals: one list per level (root, OUs, account).
    #[serde(default)]
    pub scp: Option<Vec<Vec<PolicyRef>>>,
}

/// An IAM role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The role name.
    pub name: String,
    /// The account the role is in.
    pub account: String,
    /// The role path, `/` unless given (e.g. `/service-role/`); it is part of the role ARN
    /// that `iam:PassRole` is authorized against.
    #[serde(default)]
    pub path: Option<String>,
    /// Identity-based (permissions) policies attached to the role.
    #[serde(default)]
    pub identity_policies: Vec<PolicyRef>,
    /// The permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<PolicyRef>,
    /// The trust policy (needed when a service assumes the role).
    #[serde(default)]
    pub trust_policy: Option<PolicyRef>,
}

/// A resource-based policy attached to a resource.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcePolicySpec {
    /// The resource's ARN (an S3 bucket policy is given for the bucket ARN and also governs
    /// the bucket's objects).
    pub resource: String,
    /// The policy.
    pub policy: PolicyRef,
}

/// What a scenario is expected to answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// Whether every step is allowed.
    pub allowed: bool,
    /// The name of the first denied step, when not allowed.
    #[serde(default)]
    pub denied_at: Option<String>,
}

/// One extra request-context entry, as the case format writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextEntrySpec {
    /// The key.
    pub key: String,
    /// The type: `string`, `stringList`, `numeric`, `numericList`, `boolean`,
    /// `booleanList`, `ip`, `ipList`, `binary`, `binaryList`, `date`, `dateList`.
    #[serde(rename = "type", deserialize_with = "value_type")]
    pub ty: (ValueType, bool),
    /// The values (one for a single-valued type).
    pub values: Vec<String>,
}

fn value_type<'de, D: serde::Deserializer<'de>>(d: D) -> Result<(ValueType, bool), D::Error> {
    let s = String::deserialize(d)?;
    let (base, list) = match s.strip_suffix("List") {
        Some(b) => (b, true),
        None => (s.as_str(), false),
    };
    let ty = match base {
        "string" => ValueType::String,
        "numeric" => ValueType::Numeric,
        "boolean" => ValueType::Boolean,
        "ip" => ValueType::Ip,
        "binary" => ValueType::Binary,
        "date" => ValueType::Date,
        _ => {
            return Err(serde::de::Error::custom(format!(
                "unknown context type {s:?} (expected string, stringList, numeric, numericList, \
                 boolean, booleanList, ip, ipList, binary, binaryList, date or dateList)"
            )));
        }
    };
    Ok((ty, list))
}

/// The operation a scenario authorizes, by kind: an object whose first member is `"kind"`
/// (`member_call`, `service_role_assumption`, `cross_account_audience_generation`) and whose
/// other members are the kind's parameters.
#[derive(Debug, Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "A scenario holds one operation, read once from a file: the variants' sizes do not matter, and boxing would only complicate the deserializer."
)]
pub enum OperationSpec {
    /// A member's role calls a Clean Rooms or Clean Rooms ML operation.
    MemberCall(MemberCallSpec),
    /// A Clean Rooms service assumes a customer's service role and uses it.
    ServiceRoleAssumption(ServiceRoleSpec),
    /// `StartAudienceGenerationJob` from one account on another account's configured
    /// audience model.
    CrossAccountAudienceGeneration(CrossAccountSpec),
}

const KINDS: &[&str] = &[
    "member_call",
    "service_role_assumption",
    "cross_account_audience_generation",
];

impl<'de> Deserialize<'de> for OperationSpec {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<OperationSpec, D::Error> {
        d.deserialize_map(OperationVisitor)
    }
}

/// Reads `kind` first, then the kind's parameters straight from the input. serde's own
/// internally tagged enums buffer the whole object first, which loses the position of an
/// error inside it; requiring `kind` first keeps every error at its place in the file.
struct OperationVisitor;

impl<'de> Visitor<'de> for OperationVisitor {
    type Value = OperationSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an operation object whose first member is \"kind\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OperationSpec, A::Error> {
        match map.next_key::<String>()?.as_deref() {
            Some("kind") => {}
            Some(other) => {
                return Err(de::Error::custom(format!(
                    "the operation's first member must be \"kind\" (one of {}), not {other:?}",
                    KINDS.join(", ")
                )));
            }
            None => return Err(de::Error::missing_field("kind")),
        }
        let kind: String = map.next_value()?;
        let rest = MapAccessDeserializer::new(map);
        match kind.as_str() {
            "member_call" => MemberCallSpec::deserialize(rest).map(OperationSpec::MemberCall),
            "service_role_assumption" => {
                ServiceRoleSpec::deserialize(rest).map(OperationSpec::ServiceRoleAssumption)
            }
            "cross_account_audience_generation" => CrossAccountSpec::deserialize(rest)
                .map(OperationSpec::CrossAccountAudienceGeneration),
            other => Err(de::Error::unknown_variant(other, KINDS)),
        }
    }
}

/// Parameters of a member's call.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberCallSpec {
    /// The calling role (a name from `roles`).
    pub caller: String,
    /// The caller's session name (default `member`).
    #[serde(default)]
    pub session_name: Option<String>,
    /// The action, `cleanrooms:…` or `cleanrooms-ml:…`.
    pub action: String,
    /// The resource ARN the call is authorized against (default `*`).
    #[serde(default)]
    pub resource: Option<String>,
    /// The region.
    pub region: String,
    /// The membership ID the call takes (`membershipIdentifier`).
    #[serde(default)]
    pub membership_id: Option<String>,
    /// The account of that membership (default: the caller's).
    #[serde(default)]
    pub membership_account: Option<String>,
    /// The collaboration ID the call takes (`collaborationIdentifier`).
    #[serde(default)]
    pub collaboration_id: Option<String>,
    /// The account in the collaboration ARN (default: the caller's).
    #[serde(default)]
    pub collaboration_account: Option<String>,
    /// The role the call passes: a name from `roles`, or a role ARN.
    #[serde(default)]
    pub pass_role: Option<String>,
    /// Extra context entries for the call itself.
    #[serde(default)]
    pub context: Vec<ContextEntrySpec>,
}

/// Which seed-000 service role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// "Create a service role to read data" (Clean Rooms reads Glue + S3).
    ReadData,
    /// "Create a service role to write results" (Clean Rooms writes query results to S3).
    WriteResults,
    /// "Create a service role to read training data" (Clean Rooms ML reads Glue + S3).
    TrainingData,
    /// "Create a service role to write a lookalike segment" (Clean Rooms ML writes to S3).
    LookalikeSegments,
    /// "Create a service role to read seed data" (Clean Rooms ML reads S3).
    SeedData,
}

/// Parameters of a service-role assumption.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRoleSpec {
    /// Which service role.
    pub preset: Preset,
    /// The role (a name from `roles`; it needs a `trust_policy`).
    pub role: String,
    /// The region.
    pub region: String,
    /// The session name (default `cleanrooms-scenario`, `cleanrooms-ml-scenario`).
    #[serde(default)]
    pub session_name: Option<String>,
    /// The membership ID in `aws:SourceArn` (read data, write results).
    #[serde(default)]
    pub membership_id: Option<String>,
    /// The account of that membership (default: the role's).
    #[serde(default)]
    pub membership_account: Option<String>,
    /// The collaboration ID (used in the synthesised `sts:ExternalId`).
    #[serde(default)]
    pub collaboration_id: Option<String>,
    /// The training dataset ID in `aws:SourceArn` (training data).
    #[serde(default)]
    pub training_dataset_id: Option<String>,
    /// The configured audience model ID in `aws:SourceArn` (lookalike segments).
    #[serde(default)]
    pub configured_audience_model_id: Option<String>,
    /// The audience generation job ID in `aws:SourceArn` (seed data).
    #[serde(default)]
    pub audience_generation_job_id: Option<String>,
    /// `aws:SourceArn` as given, instead of the one built from the IDs.
    #[serde(default)]
    pub source_arn: Option<String>,
    /// `aws:SourceAccount` (default: the account in the source ARN, else the role's).
    #[serde(default)]
    pub source_account: Option<String>,
    /// `sts:ExternalId` as given, instead of the synthesised one (Clean Rooms presets).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Context keys to leave out of the `sts:AssumeRole` request (e.g. `aws:SourceArn`).
    #[serde(default)]
    pub omit_context: Vec<String>,
    /// The S3 bucket.
    pub bucket: String,
    /// The bucket owner (default: the role's account).
    #[serde(default)]
    pub bucket_account: Option<String>,
    /// The key prefix (no leading or trailing `/` needed).
    #[serde(default)]
    pub prefix: Option<String>,
    /// The object key under the prefix (default `data.csv` / `results.csv`).
    #[serde(default)]
    pub object: Option<String>,
    /// The Glue database (read data, training data).
    #[serde(default)]
    pub database: Option<String>,
    /// The Glue table (read data, training data).
    #[serde(default)]
    pub table: Option<String>,
    /// The account of the Glue Data Catalog (default: the role's).
    #[serde(default)]
    pub glue_account: Option<String>,
    /// The KMS key ID, when the data is encrypted with a customer managed key.
    #[serde(default)]
    pub key_id: Option<String>,
    /// The key's account (default: the bucket owner).
    #[serde(default)]
    pub key_account: Option<String>,
}

/// Parameters of a cross-account `StartAudienceGenerationJob`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossAccountSpec {
    /// The calling role in account A (a name from `roles`).
    pub caller: String,
    /// The caller's session name (default `member`).
    #[serde(default)]
    pub session_name: Option<String>,
    /// The region.
    pub region: String,
    /// Account B, which owns the configured audience model.
    pub model_account: String,
    /// The configured audience model's ID.
    pub configured_audience_model_id: String,
    /// The job's resource ID in both job ARNs.
    pub job_id: String,
    /// `cleanrooms-ml:CollaborationId` in the request (absent when not given).
    #[serde(default)]
    pub collaboration_id: Option<String>,
    /// B's resource policy on the model; default: the `resource_policies` entry for the
    /// model's ARN.
    #[serde(default)]
    pub model_policy: Option<PolicyRef>,
    /// The seed-data role the call passes (`seedAudience.roleArn`): a name from `roles`, or
    /// a role ARN; adds an `iam:PassRole` step.
    #[serde(default)]
    pub seed_role: Option<String>,
}
