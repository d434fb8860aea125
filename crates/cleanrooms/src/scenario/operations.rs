//! Which Clean Rooms and Clean Rooms ML operations need authorizations beyond their own
//! action: passing a service role (`iam:PassRole` with `iam:PassedToService`), passing a
//! membership (`cleanrooms:PassMembership`) or a collaboration
//! (`cleanrooms:PassCollaboration`).
//!
//! Sources:
//! - `iam:PassRole`: the SAR lists `iam:PassRole` as a dependent action of
//!   `cleanrooms:CreateConfiguredTableAssociation`, `UpdateConfiguredTableAssociation`,
//!   `CreateMembership` and `UpdateMembership` (the test `scenario_operations.rs` checks the
//!   table against the catalogue). The Clean Rooms ML SAR page lists no dependent actions, so
//!   for `cleanrooms-ml` the rows come from the API reference: each operation listed takes a
//!   role ARN that Clean Rooms ML assumes ("The ARN of the IAM role that Clean Rooms ML can
//!   assume to read the data…", API_CreateTrainingDataset), and seed 000 says of every service
//!   role "The Role name must match the pattern in the passRole permissions granted to the
//!   member". The service the role is passed to is the one whose managed policy's
//!   `PassServiceRole` statement names it in `iam:PassedToService` (seed 001, "AWS managed
//!   policies": `cleanrooms.amazonaws.com` for Clean Rooms, `cleanrooms-ml.amazonaws.com` for
//!   Clean Rooms ML).
//! - `PassMembership` / `PassCollaboration`: seed 001, "IAM behaviors for Clean Rooms ML
//!   Custom Models": "All APIs that accept `membershipId` need the
//!   `cleanrooms:PassMembership` permission, and all APIs that accept `collaborationId` need
//!   the `cleanrooms:PassCollaboration` permission." The rows are the custom-model operations
//!   whose API reference URI carries `{membershipIdentifier}` or `{collaborationIdentifier}`.
//!   The audience (lookalike) operations are not custom-model APIs, so
//!   `StartAudienceGenerationJob`'s optional `collaborationId` is not given a
//!   `PassCollaboration` step.

/// Whether an operation passes a role, and to which service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassesRole {
    /// No role parameter.
    No,
    /// A required role parameter, passed to this service principal.
    Required(&'static str),
    /// An optional role parameter (the step is checked only when the scenario passes one).
    Optional(&'static str),
}

/// One row of the operation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationRule {
    /// The action, `service:Operation`.
    pub action: &'static str,
    /// The role parameter, if any.
    pub passes_role: PassesRole,
    /// The request parameter holding the role ARN (empty when none).
    pub role_parameter: &'static str,
    /// Whether the operation takes a `membershipIdentifier` (needs `PassMembership`).
    pub pass_membership: bool,
    /// Whether the operation takes a `collaborationIdentifier` (needs `PassCollaboration`).
    pub pass_collaboration: bool,
    /// Where the row comes from.
    pub source: &'static str,
}

const CR: &str = "cleanrooms.amazonaws.com";
const ML: &str = "cleanrooms-ml.amazonaws.com";
const SAR_PASSROLE: &str = "SAR list_awscleanrooms.html: dependent action iam:PassRole; \
                            seed 001 AWSCleanRoomsFullAccess PassServiceRole (cleanrooms.amazonaws.com)";
const ML_CUSTOM: &str = "seed 001 'IAM behaviors for Clean Rooms ML Custom Models': all APIs that \
                         accept membershipId need cleanrooms:PassMembership, all APIs that accept \
                         collaborationId need cleanrooms:PassCollaboration";

const fn role(
    action: &'static str,
    passes_role: PassesRole,
    role_parameter: &'static str,
    pass_membership: bool,
    source: &'static str,
) -> OperationRule {
    OperationRule {
        action,
        passes_role,
        role_parameter,
        pass_membership,
        pass_collaboration: false,
        source,
    }
}

const fn membership(action: &'static str) -> OperationRule {
    OperationRule {
        action,
        passes_role: PassesRole::No,
        role_parameter: "",
        pass_membership: true,
        pass_collaboration: false,
        source: ML_CUSTOM,
    }
}

const fn collaboration(action: &'static str) -> OperationRule {
    OperationRule {
        action,
        passes_role: PassesRole::No,
        role_parameter: "",
        pass_membership: false,
        pass_collaboration: true,
        source: ML_CUSTOM,
    }
}

/// The operations that need more than their own action.
pub const OPERATIONS: &[OperationRule] = &[
    // Clean Rooms: the service role that reads a configured table, and the one that writes
    // query results.
    role(
        "cleanrooms:CreateConfiguredTableAssociation",
        PassesRole::Required(CR),
        "roleArn",
        false,
        SAR_PASSROLE,
    ),
    role(
        "cleanrooms:UpdateConfiguredTableAssociation",
        PassesRole::Optional(CR),
        "roleArn",
        false,
        SAR_PASSROLE,
    ),
    role(
        "cleanrooms:CreateMembership",
        PassesRole::Optional(CR),
        "defaultResultConfiguration.roleArn",
        false,
        SAR_PASSROLE,
    ),
    role(
        "cleanrooms:UpdateMembership",
        PassesRole::Optional(CR),
        "defaultResultConfiguration.roleArn",
        false,
        SAR_PASSROLE,
    ),
    // Clean Rooms ML audience (lookalike) operations.
    role(
        "cleanrooms-ml:CreateTrainingDataset",
        PassesRole::Required(ML),
        "roleArn",
        false,
        "API_CreateTrainingDataset: roleArn, 'the IAM role that Clean Rooms ML can assume to read \
         the data'; seed 000 training-data role",
    ),
    role(
        "cleanrooms-ml:CreateConfiguredAudienceModel",
        PassesRole::Required(ML),
        "outputConfig.roleArn",
        false,
        "API_CreateConfiguredAudienceModel: outputConfig.roleArn, 'the IAM role that can write \
         the Amazon S3 bucket'; seed 000 lookalike-segment role",
    ),
    role(
        "cleanrooms-ml:UpdateConfiguredAudienceModel",
        PassesRole::Optional(ML),
        "outputConfig.roleArn",
        false,
        "API_UpdateConfiguredAudienceModel: optional outputConfig.roleArn",
    ),
    role(
        "cleanrooms-ml:StartAudienceGenerationJob",
        PassesRole::Required(ML),
        "seedAudience.roleArn",
        false,
        "API_StartAudienceGenerationJob: seedAudience.roleArn, 'the IAM role that can read the \
         Amazon S3 bucket where the seed audience is stored'; seed 000 seed-data role",
    ),
    // Clean Rooms ML custom models.
    role(
        "cleanrooms-ml:CreateConfiguredModelAlgorithm",
        PassesRole::Required(ML),
        "roleArn",
        false,
        "API_CreateConfiguredModelAlgorithm: roleArn (access to the ECR images)",
    ),
    role(
        "cleanrooms-ml:CreateMLInputChannel",
        PassesRole::Required(ML),
        "inputChannel.roleArn",
        true,
        "API_CreateMLInputChannel: {membershipIdentifier} and inputChannel.roleArn; seed 001 \
         custom models (PassMembership)",
    ),
    role(
        "cleanrooms-ml:PutMLConfiguration",
        PassesRole::Required(ML),
        "defaultOutputLocation.roleArn",
        true,
        "API_PutMLConfiguration: {membershipIdentifier} and defaultOutputLocation.roleArn; seed \
         001 custom models (PassMembership)",
    ),
    membership("cleanrooms-ml:CreateConfiguredModelAlgorithmAssociation"),
    membership("cleanrooms-ml:GetConfiguredModelAlgorithmAssociation"),
    membership("cleanrooms-ml:DeleteConfiguredModelAlgorithmAssociation"),
    membership("cleanrooms-ml:ListConfiguredModelAlgorithmAssociations"),
    membership("cleanrooms-ml:GetMLInputChannel"),
    membership("cleanrooms-ml:ListMLInputChannels"),
    membership("cleanrooms-ml:DeleteMLInputChannelData"),
    membership("cleanrooms-ml:CreateTrainedModel"),
    membership("cleanrooms-ml:GetTrainedModel"),
    membership("cleanrooms-ml:ListTrainedModels"),
    membership("cleanrooms-ml:ListTrainedModelVersions"),
    membership("cleanrooms-ml:CancelTrainedModel"),
    membership("cleanrooms-ml:DeleteTrainedModelOutput"),
    membership("cleanrooms-ml:StartTrainedModelExportJob"),
    membership("cleanrooms-ml:StartTrainedModelInferenceJob"),
    membership("cleanrooms-ml:GetTrainedModelInferenceJob"),
    membership("cleanrooms-ml:ListTrainedModelInferenceJobs"),
    membership("cleanrooms-ml:CancelTrainedModelInferenceJob"),
    membership("cleanrooms-ml:GetMLConfiguration"),
    membership("cleanrooms-ml:DeleteMLConfiguration"),
    collaboration("cleanrooms-ml:GetCollaborationConfiguredModelAlgorithmAssociation"),
    collaboration("cleanrooms-ml:GetCollaborationMLInputChannel"),
    collaboration("cleanrooms-ml:GetCollaborationTrainedModel"),
    collaboration("cleanrooms-ml:ListCollaborationConfiguredModelAlgorithmAssociations"),
    collaboration("cleanrooms-ml:ListCollaborationMLInputChannels"),
    collaboration("cleanrooms-ml:ListCollaborationTrainedModels"),
    collaboration("cleanrooms-ml:ListCollaborationTrainedModelExportJobs"),
    collaboration("cleanrooms-ml:ListCollaborationTrainedModelInferenceJobs"),
];

/// The table row for an action (case-insensitive), if the operation needs extra steps.
pub fn operation_rule(action: &str) -> Option<&'static OperationRule> {
    OPERATIONS
        .iter()
        .find(|r| r.action.eq_ignore_ascii_case(action))
}
