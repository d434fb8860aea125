//! What `--live` needs before any AWS code runs: `simulate.toml`, the account allow-list,
//! and the sentences that refuse. No SDK here, so that xtask's offline build can check all of
//! it before it starts the minutes-long build of the AWS SDK (`live` re-exports these).

use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

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
        let config: FileConfig =
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        if let Some(rate) = config.rate {
            check_rate(rate).map_err(|e| format!("rate: {e}"))?;
        }
        Ok(config)
    }
}

/// A rate of calls per second must be a finite number above zero: the runner reads 0 as
/// "no cap", and NaN or infinity would remove the cap as well — never what a user asks for.
pub fn check_rate(rate: f64) -> Result<f64, String> {
    if rate.is_finite() && rate > 0.0 {
        Ok(rate)
    } else {
        Err(format!(
            "{rate} is not a rate: give calls per second as a number above 0 (e.g. 4, or 0.5 for \
             one call every two seconds)"
        ))
    }
}

/// Read a `--rate` argument (see [`check_rate`]).
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of calls per second"))?;
    check_rate(rate)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_that_would_remove_the_limit_are_refused() {
        for bad in ["0", "-1", "NaN", "inf", "-inf", "0.0", "four", ""] {
            assert!(parse_rate(bad).is_err(), "{bad} was accepted");
        }
        assert_eq!(parse_rate("4"), Ok(4.0));
        assert_eq!(parse_rate("0.5"), Ok(0.5));
        for bad in ["rate = 0", "rate = nan", "rate = inf", "rate = -2.5"] {
            let e = FileConfig::parse(bad).unwrap_err();
            assert!(e.starts_with("rate: "), "{bad}: {e}");
        }
        assert_eq!(FileConfig::parse("rate = 2").unwrap().rate, Some(2.0));
    }
}
