//! `SimulateCustomPolicy` requests and responses as plain data, without the AWS SDK: the
//! planner builds [`SimulateRequest`]s, a [`Simulator`] sends them, and the answer comes
//! back as [`SimulatePage`]s. The live simulator (feature `live`) converts these to and from
//! the SDK's types; tests use in-process fakes.

use crate::query::{ContextValue, Decision, Matched};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One `SimulateCustomPolicy` request (one page of it: `marker` continues a truncated one).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimulateRequest {
    /// `PolicyInputList`.
    pub policy_input_list: Vec<String>,
    /// `PermissionsBoundaryPolicyInputList`.
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// `OrderedOrganizationPolicyInputList`: per level, `ServiceControlPolicyInputList`.
    pub ordered_organization_policy_input_list: Vec<Vec<String>>,
    /// `ResourcePolicy`.
    pub resource_policy: Option<String>,
    /// `ResourceOwner` (`arn:aws:iam::ACCOUNT:root`).
    pub resource_owner: Option<String>,
    /// `CallerArn`.
    pub caller_arn: Option<String>,
    /// `ContextEntries`.
    pub context_entries: Vec<ContextValue>,
    /// `ActionNames`.
    pub action_names: Vec<String>,
    /// `ResourceArns`.
    pub resource_arns: Vec<String>,
    /// `MaxItems`.
    pub max_items: Option<i32>,
    /// `Marker`.
    pub marker: Option<String>,
}

/// One page of a `SimulatePolicyResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimulatePage {
    /// `EvaluationResults`.
    pub evaluation_results: Vec<EvaluationResult>,
    /// `IsTruncated`.
    pub is_truncated: bool,
    /// `Marker`.
    pub marker: Option<String>,
}

/// One `EvaluationResult`: since the 2026 change, one per action, with the per-resource
/// answers in `resource_specific_results`; before it, one per action and resource.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EvaluationResult {
    /// `EvalActionName`.
    pub eval_action_name: String,
    /// `EvalResourceName`: an ARN template or `*` since 2026, the resource before.
    pub eval_resource_name: Option<String>,
    /// `EvalDecision` (the most restrictive across resources since 2026).
    pub eval_decision: Option<Decision>,
    /// `MatchedStatements`, as reported (slots and statements not yet resolved).
    pub matched_statements: Vec<Matched>,
    /// `MissingContextValues`.
    pub missing_context_values: Vec<String>,
    /// `EvalDecisionDetails`.
    pub eval_decision_details: Vec<(String, Decision)>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    pub allowed_by_boundary: Option<bool>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`.
    pub allowed_by_organizations: Option<bool>,
    /// `ResourceSpecificResults`.
    pub resource_specific_results: Vec<ResourceSpecificResult>,
}

/// One `ResourceSpecificResult`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceSpecificResult {
    /// `EvalResourceName`.
    pub eval_resource_name: String,
    /// `EvalResourceDecision`.
    pub eval_resource_decision: Option<Decision>,
    /// `MatchedStatements`.
    pub matched_statements: Vec<Matched>,
    /// `MissingContextValues`.
    pub missing_context_values: Vec<String>,
    /// `EvalDecisionDetails`.
    pub eval_decision_details: Vec<(String, Decision)>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    pub allowed_by_boundary: Option<bool>,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The kind, which decides whether to retry.
    pub kind: CallErrorKind,
    /// The service's error code, when there is one (`Throttling`, `InvalidInput`, …).
    pub code: Option<String>,
    /// The message.
    pub message: String,
}

/// Kinds of [`CallError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallErrorKind {
    /// `Throttling` / `ThrottlingException` / HTTP 429: retry after a back-off.
    Throttling,
    /// A 5xx other than `PolicyEvaluation`: retry after a back-off.
    Server,
    /// Connection, timeout or other transport failure: retry after a back-off.
    Transport,
    /// `InvalidInput` (400): the request is wrong; retrying cannot help.
    InvalidInput,
    /// `PolicyEvaluation` (500): a policy could not be evaluated; retrying cannot help.
    PolicyEvaluation,
    /// No credentials, expired token, access denied: stop the campaign.
    Credentials,
    /// Anything else: not retried.
    Other,
}

impl CallError {
    /// Classify a service error by its code and HTTP status.
    pub fn classify(code: Option<&str>, status: Option<u16>, message: &str) -> CallError {
        let kind = match (code, status) {
            (Some("Throttling" | "ThrottlingException" | "RequestLimitExceeded"), _) => {
                CallErrorKind::Throttling
            }
            (_, Some(429)) => CallErrorKind::Throttling,
            (Some("InvalidInput" | "MalformedPolicyDocument" | "ValidationError"), _) => {
                CallErrorKind::InvalidInput
            }
            (Some("PolicyEvaluation"), _) => CallErrorKind::PolicyEvaluation,
            (
                Some(
                    "AccessDenied"
                    | "AccessDeniedException"
                    | "ExpiredToken"
                    | "InvalidClientTokenId"
                    | "SignatureDoesNotMatch"
                    | "UnrecognizedClientException",
                ),
                _,
            ) => CallErrorKind::Credentials,
            (Some("ServiceUnavailable" | "InternalFailure" | "ServiceFailure"), _) => {
                CallErrorKind::Server
            }
            (_, Some(s)) if s >= 500 => CallErrorKind::Server,
            _ => CallErrorKind::Other,
        };
        CallError {
            kind,
            code: code.map(str::to_string),
            message: message.to_string(),
        }
    }

    /// Whether a retry may succeed.
    pub fn retryable(&self) -> bool {
        matches!(
            self.kind,
            CallErrorKind::Throttling | CallErrorKind::Server | CallErrorKind::Transport
        )
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) => write!(f, "{c}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CallError {}

/// Something that answers `SimulateCustomPolicy` requests, one page per call: the live
/// simulator, or a fake.
pub trait Simulator {
    /// Send one request (one page).
    fn simulate(&mut self, request: &SimulateRequest) -> Result<SimulatePage, CallError>;
}
