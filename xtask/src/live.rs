//! `cargo xtask simulate --live`: check the corpus's cases against AWS's IAM policy
//! simulator. xtask is normally built without the AWS SDK. Given `--live`, the offline build
//! first checks everything that needs no AWS call ([`preflight`]: the allow-list, the flags,
//! the journal, the record folder, the cases), then builds xtask with its `live` feature
//! (`cargo build -p xtask --features live`, in the dev profile that `cargo test -p
//! iamcr-oracle --features live` also builds) and runs that binary with the same arguments,
//! so that the command stays one command. See `docs/simulate.md`.

use iamcr::oracle_case::{self, Campaign};
use iamcr_oracle::Capabilities;
use iamcr_oracle::config::{AllowList, FileConfig, LiveError, parse_rate};
use iamcr_oracle::probe::ProbeSettings;
use std::path::{Path, PathBuf};
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
    /// Simulator calls per second at most, above 0 (default 4).
    #[arg(long, requires = "live", value_parser = parse_rate)]
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
    /// Ask the open questions (`corpus/questions`, docs/open-questions.md) instead of the
    /// cases, printing which reading AWS follows. Needs `--live`.
    #[arg(long)]
    pub questions: bool,
    /// Print the plan (queries, calls, pairs per call, skips by reason, the requests it
    /// would spend) and stop: no credentials, no AWS call, no SDK build.
    #[arg(long, requires = "live")]
    pub dry_run: bool,
    /// Generated cases to ask about instead of case files (`simulate --live --count N`).
    #[arg(skip)]
    pub generated: Option<iamcr::campaign::Settings>,
}

/// What `--live` needs that no AWS call needs, checked before the SDK is built.
pub struct Preflight {
    /// `simulate.toml`, if any (its profile, region, rate, budget).
    pub file: FileConfig,
    /// The allow-listed accounts (not empty).
    pub allow: AllowList,
    /// The queries to ask.
    pub campaign: Campaign,
}

/// Check the allow-list, the configuration file, the journal, the record folder and the
/// cases; `Err` is one sentence (without its final period).
pub fn preflight(args: &LiveArgs, force: bool) -> Result<Preflight, String> {
    let (file, _) = FileConfig::load(crate::project::root()).map_err(|e| e.to_string())?;
    let allow = AllowList::new(args.accounts.iter().cloned().chain(file.accounts.clone()));
    // A dry run spends nothing, so it needs no allow-list (one given is still checked).
    if allow.0.is_empty() && !args.dry_run {
        return Err(LiveError::NoAllowList.to_string());
    }
    if let Some(bad) = allow
        .0
        .iter()
        .find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "{bad:?} is not an AWS account ID (12 digits), so it cannot be allow-listed"
        ));
    }
    if args.questions {
        // The question files are read before the SDK build, as the cases are.
        crate::questions::load(&crate::project::path(crate::questions::DIR))?;
    }
    if let Some(path) = &args.resume {
        iamcr_oracle::journal::check(path)
            .map_err(|e| format!("cannot use --resume {}: {e}", path.display()))?;
    }
    let paths = if args.cases.is_empty() {
        vec![crate::project::path("corpus/cases")]
    } else {
        args.cases.clone()
    };
    let cases = match args.generated {
        Some(settings) => generated_cases(settings)?,
        None => iamcr::load_all(&paths).map_err(|e| format!("cannot read the cases: {e}"))?,
    };
    let probes = ProbeSettings::default();
    let campaign = oracle_case::campaign(
        &cases,
        &Capabilities::simulator(),
        (!args.no_probes).then_some(&probes),
    );
    if campaign.queries.is_empty() {
        let source = match args.generated {
            Some(g) => format!("{} generated {} cases (seed {})", g.count, g.preset, g.seed),
            None => format!("the cases in {}", crate::out::paths(&paths)),
        };
        return Err(format!(
            "{source} give the simulator nothing to answer ({} evaluation cases, {} \
             skipped: {})",
            campaign.cases,
            campaign.skipped.total(),
            campaign.skipped
        ));
    }
    if let Some(dir) = &args.record
        && !force
    {
        let files: Vec<PathBuf> = record_files(dir, &campaign);
        let taken = crate::keep::existing(files.iter().map(PathBuf::as_path));
        if !taken.is_empty() {
            return Err(crate::keep::refusal(
                &taken,
                "this run's recording (recordings carry their date)",
            ));
        }
    }
    Ok(Preflight {
        file,
        allow,
        campaign,
    })
}

/// Generated cases in case format, each with the model's answer as its expectation, named
/// `campaign-<preset>-s<seed>-<index>` (what `--record` names its files by).
fn generated_cases(settings: iamcr::campaign::Settings) -> Result<Vec<iamcr::LoadedCase>, String> {
    let generator = iamcr_gen::Generator::preset(settings.preset).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(settings.count);
    let stream = iamcr_gen::SeededCases::new(generator, settings.seed).take(settings.count);
    for (index, case) in stream.enumerate() {
        let evaluation = case.evaluate().map_err(|e| {
            format!(
                "generated case {index} (seed {}, preset {}) does not compile: {e}",
                settings.seed, settings.preset
            )
        })?;
        let file = iamcr::campaign::case_file(settings, index, &case, &evaluation);
        out.push(iamcr::LoadedCase {
            file: PathBuf::from(format!(
                "generated seed={} preset={}",
                settings.seed, settings.preset
            )),
            line: 1,
            case: iamcr::Case::Evaluation(Box::new(file)),
            // Not read from a file: no text to place policy errors in (none are expected:
            // the generator writes only policies the model compiled).
            source: iamcr::load::SourceText::default(),
            policies: Vec::new(),
        });
    }
    Ok(out)
}

/// `--dry-run`: what the run would ask and spend, from the same plan the runner follows
/// (`iamcr_oracle::plan`), with no AWS call. Pages beyond the first and retries are not
/// known in advance: the budget shown is one request per call, the least the run spends; a
/// `--resume` journal's answers are not subtracted (reading it is left to the run).
pub fn print_plan(args: &LiveArgs, pre: &Preflight, json: bool) {
    let c = &pre.campaign;
    let queries: Vec<iamcr_oracle::Query> = c.queries.iter().map(|q| q.query.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    let distinct: Vec<usize> = (0..queries.len())
        .filter(|&i| seen.insert(queries[i].id()))
        .collect();
    let limits = iamcr_oracle::plan::Limits::default();
    let calls = iamcr_oracle::plan::plan(&queries, &distinct, &limits);
    let pairs: usize = calls.iter().map(|call| call.members.len()).sum();
    let per_call = pairs as f64 / calls.len().max(1) as f64;
    let rate = args.rate.or(pre.file.rate).unwrap_or(DEFAULT_RATE);
    let max_calls = args.max_calls.or(pre.file.max_calls);
    let seconds = calls.len() as f64 / rate;
    if json {
        outln!(
            "{}",
            serde_json::json!({
                "dry_run": true,
                "cases": c.cases,
                "validation_cases": c.validation_cases,
                "skipped": c.skipped,
                "probes_skipped": c.probes_skipped,
                "queries": c.queries.len(),
                "distinct_queries": distinct.len(),
                "calls": calls.len(),
                "pairs": pairs,
                "pairs_per_call": per_call,
                "requests_at_least": calls.len(),
                "rate": rate,
                "seconds_at_least": seconds,
                "max_calls": max_calls,
            })
        );
        return;
    }
    outln!("plan (dry run: no credentials read, no AWS call made):");
    outln!(
        "  cases: {} evaluation ({} validation not simulated); skipped: {} ({})",
        c.cases,
        c.validation_cases,
        c.skipped.total(),
        if c.skipped.total() == 0 {
            "none".to_string()
        } else {
            c.skipped.to_string()
        }
    );
    if c.probes_skipped.total() > 0 {
        outln!(
            "  neighbour queries skipped: {} ({})",
            c.probes_skipped.total(),
            c.probes_skipped
        );
    }
    outln!(
        "  queries: {} ({} distinct), in {} SimulateCustomPolicy calls of {:.2} pairs on average",
        c.queries.len(),
        distinct.len(),
        calls.len(),
        per_call
    );
    outln!(
        "  budget: at least {} requests (more when a call spans pages or is retried), about \
         {:.0} s at {} calls per second",
        calls.len(),
        seconds.ceil(),
        rate
    );
    match max_calls {
        Some(m) if (m as usize) < calls.len() => outln!(
            "  --max-calls {m} stops the run before its end: resume it with --resume JOURNAL"
        ),
        Some(m) => outln!("  --max-calls {m} covers it"),
        None => {}
    }
}

/// Calls per second when neither `--rate` nor the file says.
pub const DEFAULT_RATE: f64 = 4.0;

/// The files `--record DIR` writes: one per case asked.
pub fn record_files(dir: &Path, campaign: &Campaign) -> Vec<PathBuf> {
    let mut ids: Vec<&str> = campaign
        .queries
        .iter()
        .map(|q| q.case_id.as_str())
        .collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| dir.join(format!("{id}.json")))
        .collect()
}

/// Variables `cargo run` sets for the program it runs (`cargo xtask` is `cargo run -p
/// xtask`). A nested cargo must not inherit them: cargo would pass them on to build scripts
/// and rustc, and the packages that read one (through `env!`/`option_env!` or
/// `rerun-if-env-changed`) would be rebuilt — the whole AWS SDK each time one switches
/// between `cargo xtask simulate --live` and a direct `--features live` build. Cargo's own
/// configuration (`CARGO_HOME`, `CARGO_TARGET_DIR`, `CARGO_BUILD_*`, …) is kept.
#[cfg(not(feature = "live"))]
fn is_set_by_cargo_run(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_BIN_EXE_")
        || matches!(
            name,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_MANIFEST_LINKS"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
                | "CARGO_TARGET_TMPDIR"
                | "CARGO_RUSTC_CURRENT_DIR"
                | "OUT_DIR"
        )
}

/// Check what needs no SDK, build xtask with the SDK, and run it with the same arguments.
#[cfg(not(feature = "live"))]
pub fn run(args: &LiveArgs, json: bool, force: bool) -> ExitCode {
    use std::process::Command;
    let pre = match preflight(args, force) {
        Ok(p) => p,
        Err(sentence) => {
            errln!("error: {sentence}.");
            return ExitCode::from(2);
        }
    };
    if args.dry_run {
        print_plan(args, &pre, json);
        return ExitCode::SUCCESS;
    }
    errln!(
        "checked: {} allow-listed account(s); {} evaluation cases, {} queries to ask.",
        pre.allow.0.len(),
        pre.campaign.cases,
        pre.campaign.queries.len()
    );
    if std::env::var_os("IAMCR_LIVE_REEXEC").is_some() {
        errln!("error: xtask was rebuilt for --live but still lacks its `live` feature.");
        return ExitCode::from(2);
    }
    errln!(
        "note: --live needs xtask with the AWS SDK (its `live` feature: aws-sdk-iam, \
         aws-sdk-sts, aws-config); building it now with `cargo build -p xtask --features \
         live`. The first build takes about 10 minutes on two cores; later ones take seconds."
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(&cargo);
    // The workspace's manifest, so that this works from any folder; the current folder
    // stays, so that paths the user typed mean the same in the second run. A dev-profile
    // build (the SDK takes twice as long optimised), whatever profile runs this binary: the
    // README's alias runs a release xtask. Cargo names the binary it built on stdout.
    build
        .arg("build")
        .arg("--manifest-path")
        .arg(crate::project::path("Cargo.toml"))
        .args(["-p", "xtask", "--features", "live"])
        .arg("--message-format=json-render-diagnostics")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(is_set_by_cargo_run) {
            build.env_remove(&name);
        }
    }
    let exe = match build.output() {
        Ok(out) if out.status.success() => match built_xtask(&out.stdout) {
            Some(exe) => exe,
            None => {
                errln!("error: cargo built xtask with the AWS SDK but named no xtask binary.");
                return ExitCode::from(2);
            }
        },
        Ok(out) => {
            errln!(
                "error: the build of xtask with the AWS SDK failed ({}).",
                out.status
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            errln!("error: cannot run cargo to build xtask with the AWS SDK: {e}.");
            return ExitCode::from(2);
        }
    };
    let status = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("IAMCR_LIVE_REEXEC", "1")
        .status();
    match status {
        Ok(s) => match s.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            errln!("error: cannot run xtask with the AWS SDK: {e}.");
            ExitCode::from(2)
        }
    }
}

/// The xtask executable a `cargo build --message-format=json…` names on its stdout.
#[cfg(not(feature = "live"))]
fn built_xtask(stdout: &[u8]) -> Option<std::path::PathBuf> {
    String::from_utf8_lossy(stdout)
        .lines()
        .rev()
        .find_map(|line| {
            let message: serde_json::Value = serde_json::from_str(line).ok()?;
            let is_xtask_bin = message["reason"] == "compiler-artifact"
                && message["target"]["name"] == "xtask"
                && message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"));
            let exe = message["executable"].as_str()?;
            is_xtask_bin.then(|| std::path::PathBuf::from(exe))
        })
}

/// Run the live campaign.
#[cfg(feature = "live")]
pub fn run(args: &LiveArgs, json: bool, force: bool) -> ExitCode {
    let result = preflight(args, force).and_then(|pre| {
        if args.dry_run {
            print_plan(args, &pre, json);
            return Ok(ExitCode::SUCCESS);
        }
        campaign::run(args, pre, json, force)
    });
    match result {
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
    use super::{LiveArgs, Preflight, record_files};
    use crate::live_report::Tally;
    use iamcr::oracle_case::{self, Provenance};
    use iamcr_oracle::journal::Journal;
    use iamcr_oracle::live::{Live, SDK_VERSION};
    use iamcr_oracle::runner::Stop;
    use iamcr_oracle::{ModelOracle, Runner, Settings, differential_observed};
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::process::ExitCode;

    use super::DEFAULT_RATE;

    /// Today's date (UTC) as `YYYY-MM-DD`.
    fn today() -> String {
        jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
    }

    /// Run the campaign; `Err` is one sentence (without its final period).
    pub fn run(
        args: &LiveArgs,
        pre: Preflight,
        json_out: bool,
        force: bool,
    ) -> Result<ExitCode, String> {
        let Preflight {
            file,
            allow,
            campaign,
        } = pre;
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
        let max_calls = args.max_calls.or(file.max_calls);
        let settings = Settings {
            rate: Some(args.rate.or(file.rate).unwrap_or(DEFAULT_RATE)),
            max_calls,
            ..Settings::default()
        };
        let mut runner = Runner::new(live, settings).redact(vec![identity.account.clone()]);
        if let Some(path) = &args.resume {
            let journal = Journal::open(path)
                .map_err(|e| format!("cannot use the journal {}: {e}", path.display()))?;
            report_bad_lines(path, &journal.bad_lines);
            runner = runner.journal(journal);
        }
        if args.questions {
            return crate::questions::ask_live(|queries| runner.run(queries), json_out);
        }
        let queries: Vec<iamcr_oracle::Query> =
            campaign.queries.iter().map(|c| c.query.clone()).collect();
        let label = |i: usize| {
            let c = &campaign.queries[i];
            if c.probe {
                format!(
                    "{} (neighbour {} on {})",
                    c.case_id, c.query.action, c.query.resource
                )
            } else {
                c.case_id.clone()
            }
        };
        let mut recorded: BTreeMap<String, Vec<iamcr::case::EvalCase>> = BTreeMap::new();
        let report = differential_observed(&mut ModelOracle, &mut runner, &queries, |i, answer| {
            let (Some(_), Ok(a)) = (&args.record, answer) else {
                return;
            };
            let c = &campaign.queries[i];
            let id = if c.probe {
                format!("sim-{}--probe-{}", c.case_id, &c.query.id().0[..10])
            } else {
                format!("sim-{}", c.case_id)
            };
            let case = oracle_case::recorded_case(&id, &c.query, a, provenance.source(&c.case_id));
            recorded.entry(c.case_id.clone()).or_default().push(case);
        });
        if let Some(Stop::Credentials(m)) = &runner.stopped {
            return Err(format!("the simulator refused the credentials ({m})"));
        }
        if let Some(Stop::Journal(m)) = &runner.stopped {
            return Err(m.clone());
        }
        let stats = runner.stats;
        let tally = Tally::of(&report, label);
        let mut files = Vec::new();
        if let Some(dir) = &args.record {
            let all = record_files(dir, &campaign);
            for (case_id, cases) in &recorded {
                let path = dir.join(format!("{case_id}.json"));
                debug_assert!(all.contains(&path));
                let text = serde_json::to_string_pretty(cases).map_err(|e| e.to_string())?;
                files.push((path, text + "\n"));
            }
            crate::keep::write_all(&files, force, "this run's recording")?;
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
                    "identical": tally.identical,
                    "explained": tally.explained,
                    "disagreements": tally.disagreements,
                    "refused": tally.refused,
                    "failed": tally.failed,
                    "unanswered": tally.unanswered,
                    "not_asked": tally.not_asked,
                    "recorded_files": files.len(),
                    "exit_status": tally.exit_status(),
                    "provenance": provenance.source("…"),
                })
            );
        } else {
            for line in tally.lines() {
                outln!("{line}");
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
            outln!("{}", tally.summary());
        }
        if let Some(advice) = tally.resume_advice(max_calls, args.resume.as_deref()) {
            errln!("{advice}");
        }
        Ok(ExitCode::from(tally.exit_status()))
    }

    /// Say which lines of a journal are skipped (a line cut short by an interruption is
    /// expected; others mean the file was edited).
    fn report_bad_lines(path: &Path, bad: &[iamcr_oracle::journal::BadLine]) {
        for b in bad {
            errln!(
                "warning: {}:{}: not a journal entry, skipped ({}); a line cut short by an \
                 interruption is expected, any other means the file was edited",
                path.display(),
                b.line,
                b.reason
            );
        }
    }
}

#[cfg(all(test, not(feature = "live")))]
mod tests {
    use super::built_xtask;

    /// Lines as cargo 1.95 prints them (trimmed to the members read): a library artifact, the
    /// xtask binary, the build-finished line.
    #[test]
    fn the_built_binary_is_the_one_cargo_names() {
        let stdout = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"iamcr"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"xtask"},"executable":"/w/target/debug/xtask"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
            "\n"
        );
        assert_eq!(
            built_xtask(stdout.as_bytes()),
            Some(std::path::PathBuf::from("/w/target/debug/xtask"))
        );
        assert_eq!(built_xtask(b"not json\n"), None);
        let test_only = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"xtask"},"executable":"/w/target/debug/deps/xtask-1"}"#;
        assert_eq!(built_xtask(test_only.as_bytes()), None);
    }
}
