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
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// The `aws-sdk-iam` version this build uses (for provenance).
pub const SDK_VERSION: &str = aws_sdk_iam::meta::PKG_VERSION;

/// IAM is a global service; its endpoint for the `aws` partition is in this region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Why the live simulator cannot be used. Each displays as one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LiveError {
    /// No credentials in the chain.
    NoCredentials,
    /// No account is allow-listed.
    NoAllowList,
    /// The credentials' account is not allow-listed (only its last four digits kept).
    NotAllowListed {
        /// The account's last four digits.
        last4: String,
    },
    /// `sts:GetCallerIdentity` failed.
    Identity(String),
    /// The configuration file could not be read.
    Config(String),
    /// The async runtime could not start.
    Runtime(String),
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::NoCredentials => f.write_str(
                "no AWS credentials were found (set AWS_PROFILE or pass --profile, run `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), so nothing was sent to the simulator",
            ),
            LiveError::NoAllowList => f.write_str(
                "refusing to simulate because no account is allow-listed (pass --account ACCOUNT_ID or list `accounts` in simulate.toml)",
            ),
            LiveError::NotAllowListed { last4 } => write!(
                f,
                "refusing to simulate because the credentials belong to account ********{last4}, which is not allow-listed (--account or simulate.toml)"
            ),
            LiveError::Identity(m) => {
                write!(f, "could not identify the account with sts:GetCallerIdentity: {m}")
            }
            LiveError::Config(m) => write!(f, "cannot read the simulator configuration: {m}"),
            LiveError::Runtime(m) => write!(f, "cannot start the AWS client runtime: {m}"),
        }
    }
}

impl std::error::Error for LiveError {}

/// `simulate.toml` (or `.iamcr/simulate.toml`): settings for `cargo xtask simulate --live`.
/// Command-line flags win over the file.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Accounts the simulator may be used in.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// A profile of the shared AWS config files.
    pub profile: Option<String>,
    /// A region for the client (IAM is global; default `us-east-1`).
    pub region: Option<String>,
    /// Calls per second.
    pub rate: Option<f64>,
    /// A budget of simulator requests.
    pub max_calls: Option<u64>,
}

impl FileConfig {
    /// Where the file is looked for, in order, under `dir`.
    pub fn candidates(dir: &Path) -> [PathBuf; 2] {
        [
            dir.join("simulate.toml"),
            dir.join(".iamcr").join("simulate.toml"),
        ]
    }

    /// Read the first file that exists under `dir`; none is an empty configuration.
    pub fn load(dir: &Path) -> Result<(FileConfig, Option<PathBuf>), LiveError> {
        for path in FileConfig::candidates(dir) {
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| LiveError::Config(format!("{}: {e}", path.display())))?;
                let config = FileConfig::parse(&text)
                    .map_err(|e| LiveError::Config(format!("{}: {e}", path.display())))?;
                return Ok((config, Some(path)));
            }
        }
        Ok((FileConfig::default(), None))
    }

    /// Parse the file's text.
    pub fn parse(text: &str) -> Result<FileConfig, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))
    }
}

/// The accounts the simulator may be used in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AllowList(pub BTreeSet<String>);

impl AllowList {
    /// From `--account` flags and the file.
    pub fn new<I: IntoIterator<Item = String>>(accounts: I) -> AllowList {
        AllowList(
            accounts
                .into_iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
        )
    }

    /// Accept the account, or say why not.
    pub fn check(&self, account: &str) -> Result<(), LiveError> {
        if self.0.is_empty() {
            return Err(LiveError::NoAllowList);
        }
        if self.0.contains(account) {
            return Ok(());
        }
        let last4 = account
            .get(account.len().saturating_sub(4)..)
            .unwrap_or_default()
            .to_string();
        Err(LiveError::NotAllowListed { last4 })
    }
}

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
                    LiveError::Identity(match e.code() {
                        Some(code) => format!("{code}: {}", e.message().unwrap_or_default()),
                        None => first_line(&text),
                    })
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
            CallError::classify(e.code(), status, e.message().unwrap_or_default())
        }
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            let text = DisplayErrorContext(&e).to_string();
            let kind = if looks_like_missing_credentials(&text) {
                CallErrorKind::Credentials
            } else {
                CallErrorKind::Transport
            };
            CallError {
                kind,
                code: None,
                message: first_line(&text),
            }
        }
        _ => {
            let text = DisplayErrorContext(&e).to_string();
            CallError {
                kind: if looks_like_missing_credentials(&text) {
                    CallErrorKind::Credentials
                } else {
                    CallErrorKind::Other
                },
                code: None,
                message: first_line(&text),
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
