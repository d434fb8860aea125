//! `cargo xtask simulate --live`: check the corpus's cases against AWS's IAM policy
//! simulator. xtask is normally built without the AWS SDK; given `--live` without its
//! `live` feature, it runs itself again through `cargo run --release -p xtask --features
//! live` with the same arguments, so that the command stays one command. See
//! `docs/simulate.md`.

use std::path::PathBuf;
use std::process::ExitCode;

/// The live simulator's flags (part of `simulate`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LiveArgs {
    /// Ask AWS's IAM policy simulator (read-only calls; needs credentials for an
    /// allow-listed account).
    #[arg(long)]
    pub live: bool,
    /// AWS profile of the shared config files (else AWS_PROFILE, else the default chain).
    #[arg(long, requires = "live")]
    pub profile: Option<String>,
    /// Region for the client (IAM is global; default us-east-1).
    #[arg(long, requires = "live")]
    pub region: Option<String>,
    /// An account the simulator may be used in (repeatable; also `accounts` in
    /// simulate.toml or .iamcr/simulate.toml).
    #[arg(long = "account", requires = "live", value_name = "ACCOUNT_ID")]
    pub accounts: Vec<String>,
    /// Simulator calls per second at most (default 4).
    #[arg(long, requires = "live")]
    pub rate: Option<f64>,
    /// Write the simulator's answers as case-format cases into this folder.
    #[arg(long, requires = "live", value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// Journal answers to this file and skip queries it already answers (resume).
    #[arg(long, requires = "live", value_name = "JOURNAL")]
    pub resume: Option<PathBuf>,
    /// Budget: simulator requests (pages and retries count) before stopping.
    #[arg(long, requires = "live")]
    pub max_calls: Option<u64>,
    /// Case files or folders to check (repeatable): by default `corpus/cases` and, offline,
    /// the recorded answers in `corpus/simulator` (live, they are not asked again).
    #[arg(long, value_name = "PATH")]
    pub cases: Vec<PathBuf>,
    /// Ask each case's own request only, without its neighbourhood.
    #[arg(long, requires = "live")]
    pub no_probes: bool,
}

/// Run the live campaign, rebuilding xtask with the SDK first if needed.
#[cfg(not(feature = "live"))]
pub fn run(_args: &LiveArgs, _json: bool) -> ExitCode {
    use std::process::Command;
    if std::env::var_os("IAMCR_LIVE_REEXEC").is_some() {
        errln!("error: xtask was rebuilt for --live but still lacks its `live` feature.");
        return ExitCode::from(2);
    }
    // `--quiet` keeps later runs to the command's own output; the first build of the SDK
    // takes minutes, so say why nothing happens meanwhile.
    let built = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            Some(
                exe.parent()?
                    .parent()?
                    .join("release")
                    .join(exe.file_name()?),
            )
        })
        .is_some_and(|release| release.exists());
    if !built {
        errln!(
            "note: building xtask with the AWS SDK (--features live) first; this takes several minutes."
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--release", "--quiet"])
        // The workspace's manifest, so that this works from any folder; the current folder
        // stays, so that paths the user typed mean the same in the second run.
        .arg("--manifest-path")
        .arg(crate::project::path("Cargo.toml"))
        .args(["-p", "xtask", "--features", "live", "--"])
        .args(std::env::args_os().skip(1))
        .env("IAMCR_LIVE_REEXEC", "1")
        .status();
    match status {
        Ok(s) => match s.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            errln!("error: cannot run cargo to build xtask with the AWS SDK: {e}.");
            ExitCode::from(2)
        }
    }
}

/// Run the live campaign.
#[cfg(feature = "live")]
pub fn run(args: &LiveArgs, json: bool) -> ExitCode {
    match campaign::run(args, json) {
        Ok(code) => code,
        Err(sentence) => {
            errln!("error: {sentence}.");
            ExitCode::from(2)
        }
    }
}

/// The campaign itself: only with the SDK.
#[cfg(feature = "live")]
mod campaign {
    use super::LiveArgs;
    use iamcr::oracle_case::{self, Campaign, Provenance};
    use iamcr_oracle::journal::Journal;
    use iamcr_oracle::live::{AllowList, FileConfig, Live, SDK_VERSION};
    use iamcr_oracle::probe::ProbeSettings;
    use iamcr_oracle::runner::Stop;
    use iamcr_oracle::{Capabilities, ErrorKind, ModelOracle, Runner, Settings, compare};
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::process::ExitCode;

    /// Calls per second when neither `--rate` nor the file says.
    const DEFAULT_RATE: f64 = 4.0;

    /// Today's date (UTC) as `YYYY-MM-DD`, from the days since 1970 (H. Hinnant's
    /// civil-from-days).
    fn today() -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let z = (secs / 86_400) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        format!("{y:04}-{m:02}-{d:02}")
    }

    fn load(args: &LiveArgs) -> Result<Campaign, String> {
        let paths = if args.cases.is_empty() {
            vec![crate::project::path("corpus/cases")]
        } else {
            args.cases.clone()
        };
        let cases = iamcr::load_all(&paths).map_err(|e| format!("cannot read the cases: {e}"))?;
        let probes = ProbeSettings::default();
        Ok(oracle_case::campaign(
            &cases,
            &Capabilities::simulator(),
            (!args.no_probes).then_some(&probes),
        ))
    }

    /// Run the campaign; `Err` is one sentence (without its final period).
    pub fn run(args: &LiveArgs, json_out: bool) -> Result<ExitCode, String> {
        let (file, _) = FileConfig::load(crate::project::root()).map_err(|e| e.to_string())?;
        let allow = AllowList::new(args.accounts.iter().cloned().chain(file.accounts.clone()));
        if allow.0.is_empty() {
            return Err(iamcr_oracle::live::LiveError::NoAllowList.to_string());
        }
        let campaign = load(args)?;
        let profile = args.profile.clone().or(file.profile.clone());
        let region = args.region.clone().or(file.region.clone());
        let live =
            Live::connect(profile.as_deref(), region.as_deref()).map_err(|e| e.to_string())?;
        let identity = live.identity().map_err(|e| e.to_string())?;
        allow.check(&identity.account).map_err(|e| e.to_string())?;
        let provenance = Provenance {
            date: today(),
            region: live.region().to_string(),
            sdk_version: SDK_VERSION.to_string(),
        };
        let settings = Settings {
            rate: Some(args.rate.or(file.rate).unwrap_or(DEFAULT_RATE)),
            max_calls: args.max_calls.or(file.max_calls),
            ..Settings::default()
        };
        let mut runner = Runner::new(live, settings).redact(vec![identity.account.clone()]);
        if let Some(path) = &args.resume {
            let journal = Journal::open(path)
                .map_err(|e| format!("cannot open the journal {}: {e}", path.display()))?;
            runner = runner.journal(journal);
        }
        let queries: Vec<iamcr_oracle::Query> =
            campaign.queries.iter().map(|c| c.query.clone()).collect();
        let answers = runner.run(&queries);
        if let Some(Stop::Credentials(m)) = &runner.stopped {
            return Err(format!("the simulator refused the credentials ({m})"));
        }
        if let Some(Stop::Journal(m)) = &runner.stopped {
            return Err(m.clone());
        }
        let stats = runner.stats;

        let mut identical = 0;
        let mut explained: BTreeMap<&str, usize> = BTreeMap::new();
        let mut disagreements = Vec::new();
        let mut refused = Vec::new();
        let mut failed = Vec::new();
        let mut not_asked = 0;
        let mut recorded: BTreeMap<String, Vec<iamcr::case::EvalCase>> = BTreeMap::new();
        for (c, answer) in campaign.queries.iter().zip(&answers) {
            let label = if c.probe {
                format!(
                    "{} (neighbour {} on {})",
                    c.case_id, c.query.action, c.query.resource
                )
            } else {
                c.case_id.clone()
            };
            let a = match answer {
                Ok(a) => a,
                Err(e) if e.kind == ErrorKind::NotAsked => {
                    not_asked += 1;
                    continue;
                }
                Err(e)
                    if matches!(
                        e.kind,
                        ErrorKind::InvalidInput | ErrorKind::PolicyEvaluation
                    ) =>
                {
                    refused.push(format!("{label}: {}", e.message));
                    continue;
                }
                Err(e) => {
                    failed.push(format!("{label}: {}", e.message));
                    continue;
                }
            };
            match ModelOracle.answer_one(&c.query) {
                Ok(model) => {
                    let cmp = compare(&c.query, &model, a);
                    if cmp.identical() {
                        identical += 1;
                    }
                    for f in &cmp.findings {
                        match f.deviation {
                            Some(d) => *explained.entry(d).or_default() += 1,
                            None => disagreements.push(format!("{label}: {}", f.difference)),
                        }
                    }
                }
                Err(e) => failed.push(format!("{label}: the model cannot answer: {e}")),
            }
            if args.record.is_some() {
                let id = if c.probe {
                    format!("sim-{}--probe-{}", c.case_id, &c.query.id().0[..10])
                } else {
                    format!("sim-{}", c.case_id)
                };
                let case =
                    oracle_case::recorded_case(&id, &c.query, a, provenance.source(&c.case_id));
                recorded.entry(c.case_id.clone()).or_default().push(case);
            }
        }
        if let Some(dir) = &args.record {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            for (case_id, cases) in &recorded {
                let path = dir.join(format!("{case_id}.json"));
                let text = serde_json::to_string_pretty(cases).map_err(|e| e.to_string())?;
                std::fs::write(&path, text + "\n")
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }

        if json_out {
            outln!(
                "{}",
                json!({
                    "cases": campaign.cases,
                    "validation_cases": campaign.validation_cases,
                    "skipped": campaign.skipped,
                    "probes_skipped": campaign.probes_skipped,
                    "queries": queries.len(),
                    "stats": stats,
                    "pairs_per_call": stats.pairs_per_call(),
                    "identical": identical,
                    "explained": explained,
                    "disagreements": disagreements,
                    "refused": refused,
                    "failed": failed,
                    "not_asked": not_asked,
                    "recorded_files": recorded.len(),
                    "provenance": provenance.source("…"),
                })
            );
        } else {
            for line in disagreements.iter().chain(&refused).chain(&failed) {
                outln!("DISAGREE {line}");
            }
            outln!(
                "cases: {} evaluation ({} validation not simulated); skipped: {} ({})",
                campaign.cases,
                campaign.validation_cases,
                campaign.skipped.total(),
                campaign.skipped
            );
            outln!(
                "asked {} queries ({} from the journal) in {} calls, {} requests ({} retries, {} throttled): {:.2} pairs per call",
                stats.distinct,
                stats.from_journal,
                stats.calls_completed,
                stats.requests,
                stats.retries,
                stats.throttled,
                stats.pairs_per_call()
            );
            outln!(
                "simulator vs model: {identical} identical, {} known deviations {explained:?}, {} disagreements, {} refused, {} failed, {not_asked} not asked",
                explained.values().sum::<usize>(),
                disagreements.len(),
                refused.len(),
                failed.len()
            );
        }
        if !disagreements.is_empty() || !refused.is_empty() || !failed.is_empty() {
            return Ok(ExitCode::FAILURE);
        }
        if stats.budget_exhausted {
            errln!(
                "the call budget ran out: {not_asked} queries not asked; run again with --resume to continue"
            );
            return Ok(ExitCode::from(3));
        }
        Ok(ExitCode::SUCCESS)
    }
}
