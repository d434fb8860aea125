//! The live IAM policy simulator over `aws-sdk-iam` (feature `live`).
//!
//! [`Live`] loads the standard AWS configuration chain (environment, shared config and
//! credentials files with `--profile`, SSO, container and instance credentials), names the
//! account with `sts:GetCallerIdentity`, and sends `iam:SimulateCustomPolicy` requests —
//! the only calls it makes, all read-only. The SDK's own retries are off: the
//! [`crate::runner::Runner`] paces, retries and journals. [`AllowList`] refuses accounts
//! that were not named (`--account` or `simulate.toml`).

use crate::query::{ContextKeyType, Decision, Matched, Pos};
use crate::wire::{
    CallError, CallErrorKind, EvaluationResult, ResourceSpecificResult, SimulatePage,
    SimulateRequest, Simulator,
};
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types as iam;
use aws_smithy_types::error::display::DisplayErrorContext;

pub use crate::config::{AllowList, FileConfig, LiveError};

/// The `aws-sdk-iam` version this build uses (for provenance).
pub const SDK_VERSION: &str = aws_sdk_iam::meta::PKG_VERSION;

/// IAM is a global service; its endpoint for the `aws` partition is in this region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Who the credentials are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The account id.
    pub account: String,
}

/// The live simulator.
#[derive(Debug)]
pub struct Live {
    runtime: tokio::runtime::Runtime,
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    region: String,
}

fn looks_like_missing_credentials(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "no credentials",
        "credential provider was not enabled",
        "no providers in chain provided credentials",
        "no identity resolver",
        "failed to load credentials",
        "credentialsnotloaded",
    ]
    .iter()
    .any(|p| t.contains(p))
}

impl Live {
    /// Load the standard configuration chain with an optional profile and region.
    pub fn connect(profile: Option<&str>, region: Option<&str>) -> Result<Live, LiveError> {
        let runtime = runtime()?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(p) = profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = region {
            loader = loader.region(Region::new(r.to_string()));
        }
        let config = runtime.block_on(loader.load());
        Live::with_runtime(runtime, &config)
    }

    /// Use a given configuration (tests pass one with an in-process HTTP client).
    pub fn from_config(config: &SdkConfig) -> Result<Live, LiveError> {
        Live::with_runtime(runtime()?, config)
    }

    fn with_runtime(
        runtime: tokio::runtime::Runtime,
        config: &SdkConfig,
    ) -> Result<Live, LiveError> {
        let region = config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| DEFAULT_REGION.to_string());
        let iam_config = aws_sdk_iam::config::Builder::from(config)
            .region(Region::new(region.clone()))
            .retry_config(RetryConfig::disabled())
            .build();
        let sts_config = aws_sdk_sts::config::Builder::from(config)
            .region(Region::new(region.clone()))
            .retry_config(RetryConfig::standard())
            .build();
        Ok(Live {
            runtime,
            iam: aws_sdk_iam::Client::from_conf(iam_config),
            sts: aws_sdk_sts::Client::from_conf(sts_config),
            region,
        })
    }

    /// The client's region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// `sts:GetCallerIdentity`.
    pub fn identity(&self) -> Result<Identity, LiveError> {
        let out = self
            .runtime
            .block_on(self.sts.get_caller_identity().send())
            .map_err(|e| {
                let text = DisplayErrorContext(&e).to_string();
                if looks_like_missing_credentials(&text) {
                    LiveError::NoCredentials
                } else {
                    LiveError::Identity(sentence(&e))
                }
            })?;
        let account = out
            .account()
            .ok_or_else(|| LiveError::Identity("the answer names no account".into()))?;
        Ok(Identity {
            account: account.to_string(),
        })
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, LiveError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LiveError::Runtime(e.to_string()))
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

fn decision(d: &iam::PolicyEvaluationDecisionType) -> Option<Decision> {
    Decision::parse(d.as_str())
}

fn pos(p: Option<&iam::Position>) -> Option<Pos> {
    p.map(|p| Pos {
        line: u32::try_from(p.line()).unwrap_or(0),
        column: u32::try_from(p.column()).unwrap_or(0),
    })
}

fn statements(v: &[iam::Statement]) -> Vec<Matched> {
    v.iter()
        .map(|s| Matched {
            slot: None,
            statement: None,
            sid: None,
            source_policy_id: s.source_policy_id().unwrap_or_default().to_string(),
            source_policy_type: s.source_policy_type().map(|t| t.as_str().to_string()),
            start: pos(s.start_position()),
            end: pos(s.end_position()),
        })
        .collect()
}

fn details(
    m: Option<&std::collections::HashMap<String, iam::PolicyEvaluationDecisionType>>,
) -> Vec<(String, Decision)> {
    let mut v: Vec<(String, Decision)> = m
        .into_iter()
        .flatten()
        .filter_map(|(k, d)| decision(d).map(|d| (k.clone(), d)))
        .collect();
    v.sort();
    v
}

fn result(r: &iam::EvaluationResult) -> EvaluationResult {
    EvaluationResult {
        eval_action_name: r.eval_action_name().to_string(),
        eval_resource_name: r.eval_resource_name().map(str::to_string),
        eval_decision: decision(r.eval_decision()),
        matched_statements: statements(r.matched_statements()),
        missing_context_values: r.missing_context_values().to_vec(),
        eval_decision_details: details(r.eval_decision_details()),
        allowed_by_boundary: r
            .permissions_boundary_decision_detail()
            .map(|d| d.allowed_by_permissions_boundary()),
        allowed_by_organizations: r
            .organizations_decision_detail()
            .map(|d| d.allowed_by_organizations()),
        resource_specific_results: r
            .resource_specific_results()
            .iter()
            .map(|s| ResourceSpecificResult {
                eval_resource_name: s.eval_resource_name().to_string(),
                eval_resource_decision: decision(s.eval_resource_decision()),
                matched_statements: statements(s.matched_statements()),
                missing_context_values: s.missing_context_values().to_vec(),
                eval_decision_details: details(s.eval_decision_details()),
                allowed_by_boundary: s
                    .permissions_boundary_decision_detail()
                    .map(|d| d.allowed_by_permissions_boundary()),
            })
            .collect(),
    }
}

fn context_type(t: ContextKeyType) -> iam::ContextKeyTypeEnum {
    iam::ContextKeyTypeEnum::from(t.as_str())
}

fn call_error<E>(e: SdkError<E, aws_sdk_iam::config::http::HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = e.raw_response().map(|r| r.status().as_u16());
    match &e {
        SdkError::ServiceError(_) => {
            let mut call = CallError::classify(e.code(), status, e.message().unwrap_or_default());
            if e.code().is_none() {
                call.message = sentence(&e);
            }
            call
        }
        _ => {
            let text = DisplayErrorContext(&e).to_string();
            let kind = if looks_like_missing_credentials(&text) {
                CallErrorKind::Credentials
            } else if matches!(
                e,
                SdkError::TimeoutError(_)
                    | SdkError::DispatchFailure(_)
                    | SdkError::ResponseError(_)
            ) {
                CallErrorKind::Transport
            } else {
                CallErrorKind::Other
            };
            CallError {
                kind,
                code: None,
                message: sentence(&e),
            }
        }
    }
}

/// One sentence for an SDK error, never the SDK's debug form (`Error { code: None, meta:
/// … }`): the AWS error code and message when the endpoint sent an AWS error; else what
/// happened in words — the HTTP status of an answer that is not an AWS error, an answer that
/// cannot be read, a timeout, an endpoint that cannot be reached.
fn sentence<E>(e: &SdkError<E, aws_sdk_iam::config::http::HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(code) = e.code() {
        return format!("{code}: {}", e.message().unwrap_or("(no message)"));
    }
    let status = e
        .raw_response()
        .map(|r| format!(" HTTP {}", r.status().as_u16()))
        .unwrap_or_default();
    match e {
        SdkError::ServiceError(_) => format!(
            "the endpoint answered{status} with a body that is not an AWS error response (no \
             error code)"
        ),
        SdkError::ResponseError(_) => format!(
            "the endpoint's answer{status} could not be read as an AWS response (is the \
             endpoint an IAM/STS endpoint?)"
        ),
        SdkError::TimeoutError(_) => "the request timed out".to_string(),
        _ => {
            // Dispatch and construction failures read as a chain of causes ("dispatch
            // failure: io error: … Connection refused (os error 111)"): keep it, unless it
            // is a debug dump.
            let text = first_line(&DisplayErrorContext(e).to_string());
            if text.contains(" { ") || text.contains("Some(") {
                "the request could not be sent (connection or request construction failed)"
                    .to_string()
            } else {
                text
            }
        }
    }
}

impl Simulator for Live {
    fn simulate(&mut self, r: &SimulateRequest) -> Result<SimulatePage, CallError> {
        let levels: Vec<iam::OrderedOrganizationPolicyType> = r
            .ordered_organization_policy_input_list
            .iter()
            .map(|level| {
                iam::OrderedOrganizationPolicyType::builder()
                    .set_service_control_policy_input_list(Some(level.clone()))
                    .build()
            })
            .collect();
        let entries: Vec<iam::ContextEntry> = r
            .context_entries
            .iter()
            .map(|c| {
                iam::ContextEntry::builder()
                    .context_key_name(&c.key)
                    .context_key_type(context_type(c.ty))
                    .set_context_key_values(Some(c.values.clone()))
                    .build()
            })
            .collect();
        let non_empty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        let request = self
            .iam
            .simulate_custom_policy()
            .set_policy_input_list(Some(r.policy_input_list.clone()))
            .set_permissions_boundary_policy_input_list(non_empty(
                &r.permissions_boundary_policy_input_list,
            ))
            .set_ordered_organization_policy_input_list((!levels.is_empty()).then_some(levels))
            .set_resource_policy(r.resource_policy.clone())
            .set_resource_owner(r.resource_owner.clone())
            .set_caller_arn(r.caller_arn.clone())
            .set_context_entries((!entries.is_empty()).then_some(entries))
            .set_action_names(Some(r.action_names.clone()))
            .set_resource_arns(non_empty(&r.resource_arns))
            .set_max_items(r.max_items)
            .set_marker(r.marker.clone());
        let out = self.runtime.block_on(request.send()).map_err(call_error)?;
        Ok(SimulatePage {
            evaluation_results: out.evaluation_results().iter().map(result).collect(),
            is_truncated: out.is_truncated(),
            marker: out.marker().map(str::to_string),
        })
    }
}
