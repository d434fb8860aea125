//! `cargo xtask simulate --live`: check the corpus's cases against AWS's IAM policy
//! simulator. xtask is normally built without the AWS SDK. Given `--live`, the offline build
//! first checks everything that needs no AWS call ([`preflight`]: the allow-list, the flags,
//! the journal, the record folder, the cases), then builds xtask with its `live` feature
//! (`cargo build -p xtask --features live`, in the dev profile that `cargo test -p
//! iamcr-oracle --features live` also builds) and runs that binary with the same arguments,
//! so that the command stays one command. See `docs/simulate.md`.

use iamcr::live_campaign::{self, PlanSummary};
use iamcr::oracle_case::Campaign;
use iamcr_oracle::config::{AllowList, FileConfig, LiveError, parse_rate};
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
    let allow = allow_list(args, &file)?;
    if args.questions {
        // The question files are read before the SDK build, as the cases are.
        crate::questions::load(&crate::project::path(crate::questions::DIR))?;
    }
    if let Some(path) = &args.resume {
        iamcr_oracle::journal::check(path)
            .map_err(|e| format!("cannot use --resume {}: {e}", path.display()))?;
    }
    let campaign = campaign(args)?;
    if let Some(dir) = &args.record
        && !force
    {
        let files = live_campaign::record_files(dir, &campaign);
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

/// The accounts of `--account` and the file, each 12 digits; none only for a dry run.
fn allow_list(args: &LiveArgs, file: &FileConfig) -> Result<AllowList, String> {
    let allow = AllowList::new(args.accounts.iter().cloned().chain(file.accounts.clone()));
    // A dry run spends nothing, so it needs no allow-list (one given is still checked).
    if allow.0.is_empty() && !args.dry_run {
        return Err(LiveError::NoAllowList.to_string());
    }
    if let Some(bad) = allow
        .0
        .iter()
        .find(|a| !iamcr::case::AccountId::is_valid(a))
    {
        return Err(format!(
            "{bad:?} is not an AWS account ID (12 digits), so it cannot be allow-listed"
        ));
    }
    Ok(allow)
}

/// The campaign over the case files (`--cases`, by default `corpus/cases`) or the generated
/// cases; one that asks nothing is an error.
fn campaign(args: &LiveArgs) -> Result<Campaign, String> {
    let paths = if args.cases.is_empty() {
        vec![crate::project::path("corpus/cases")]
    } else {
        args.cases.clone()
    };
    let cases = match args.generated {
        Some(settings) => live_campaign::generated_cases(settings)?,
        None => iamcr::load_all(&paths).map_err(|e| format!("cannot read the cases: {e}"))?,
    };
    let campaign = live_campaign::simulator_campaign(&cases, !args.no_probes);
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
    Ok(campaign)
}

/// `--dry-run`: what the run would ask and spend ([`PlanSummary`]), with no AWS call. The
/// budget shown is one request per call, the least the run spends; a `--resume` journal's
/// answers are not subtracted (reading it is left to the run).
pub fn print_plan(args: &LiveArgs, pre: &Preflight, json: bool) {
    let rate = args.rate.or(pre.file.rate).unwrap_or(DEFAULT_RATE);
    let plan = PlanSummary::of(&pre.campaign, rate);
    let max_calls = args.max_calls.or(pre.file.max_calls);
    if json {
        print_plan_json(&pre.campaign, &plan, max_calls);
    } else {
        print_plan_text(&pre.campaign, &plan, max_calls);
    }
}

fn print_plan_json(c: &Campaign, plan: &PlanSummary, max_calls: Option<u64>) {
    outln!(
        "{}",
        serde_json::json!({
            "dry_run": true,
            "cases": c.cases,
            "validation_cases": c.validation_cases,
            "skipped": c.skipped,
            "probes_skipped": c.probes_skipped,
            "queries": c.queries.len(),
            "distinct_queries": plan.distinct_queries,
            "calls": plan.calls,
            "pairs": plan.pairs,
            "pairs_per_call": plan.pairs_per_call,
            "requests_at_least": plan.calls,
            "rate": plan.rate,
            "seconds_at_least": plan.seconds_at_least,
            "max_calls": max_calls,
        })
    );
}

fn print_plan_text(c: &Campaign, plan: &PlanSummary, max_calls: Option<u64>) {
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
        plan.distinct_queries,
        plan.calls,
        plan.pairs_per_call
    );
    outln!(
        "  budget: at least {} requests (more when a call spans pages or is retried), about \
         {:.0} s at {} calls per second",
        plan.calls,
        plan.seconds_at_least.ceil(),
        plan.rate
    );
    match max_calls {
        Some(m) if (m as usize) < plan.calls => outln!(
            "  --max-calls {m} stops the run before its end: resume it with --resume JOURNAL"
        ),
        Some(m) => outln!("  --max-calls {m} covers it"),
        None => {}
    }
}

/// Calls per second when neither `--rate` nor the file says.
pub const DEFAULT_RATE: f64 = 4.0;

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
    match build_with_sdk() {
        Ok(exe) => run_again(&exe),
        Err(sentence) => {
            errln!("error: {sentence}.");
            ExitCode::from(2)
        }
    }
}

/// Build xtask with its `live` feature; the executable cargo built, or why not (one sentence
/// without its final period).
#[cfg(not(feature = "live"))]
fn build_with_sdk() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = std::process::Command::new(&cargo);
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
    match build.output() {
        Ok(out) if out.status.success() => built_xtask(&out.stdout).ok_or_else(|| {
            "cargo built xtask with the AWS SDK but named no xtask binary".to_string()
        }),
        Ok(out) => Err(format!(
            "the build of xtask with the AWS SDK failed ({})",
            out.status
        )),
        Err(e) => Err(format!(
            "cannot run cargo to build xtask with the AWS SDK: {e}"
        )),
    }
}

/// Run `exe` (xtask with the SDK) with this run's arguments; its exit status is ours.
#[cfg(not(feature = "live"))]
fn run_again(exe: &std::path::Path) -> ExitCode {
    let status = std::process::Command::new(exe)
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
    use super::{LiveArgs, Preflight};
    use crate::live_report::Tally;
    use iamcr::live_campaign::{self, Asked};
    use iamcr::oracle_case::{Campaign, Provenance};
    use iamcr_oracle::config::{AllowList, FileConfig};
    use iamcr_oracle::journal::Journal;
    use iamcr_oracle::live::{Live, SDK_VERSION};
    use iamcr_oracle::runner::Stop;
    use iamcr_oracle::{Runner, Settings, Stats};
    use serde_json::json;
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
        let (mut runner, provenance) = connect(args, &file, &allow)?;
        if args.questions {
            return crate::questions::ask_live(|queries| runner.run(queries), json_out);
        }
        let asked = live_campaign::ask(
            &mut runner,
            &campaign,
            args.record.is_some().then_some(&provenance),
        );
        if let Some(Stop::Credentials(m)) = &runner.stopped {
            return Err(format!("the simulator refused the credentials ({m})"));
        }
        if let Some(Stop::Journal(m)) = &runner.stopped {
            return Err(m.clone());
        }
        let tally = Tally::of(&asked.report, |i| live_campaign::label(&campaign, i));
        let recorded_files = write_recording(args, &asked, force)?;
        let outcome = Outcome {
            campaign: &campaign,
            stats: &runner.stats,
            tally: &tally,
            recorded_files,
            provenance: &provenance,
        };
        if json_out {
            outcome.print_json();
        } else {
            outcome.print_text();
        }
        let max_calls = args.max_calls.or(file.max_calls);
        if let Some(advice) = tally.resume_advice(max_calls, args.resume.as_deref()) {
            errln!("{advice}");
        }
        Ok(ExitCode::from(tally.exit_status()))
    }

    /// Connect to the simulator in an allow-listed account, with the run's pace, budget and
    /// journal; the provenance its recorded answers carry.
    fn connect(
        args: &LiveArgs,
        file: &FileConfig,
        allow: &AllowList,
    ) -> Result<(Runner<Live>, Provenance), String> {
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
                .map_err(|e| format!("cannot use the journal {}: {e}", path.display()))?;
            report_bad_lines(path, &journal.bad_lines);
            runner = runner.journal(journal);
        }
        Ok((runner, provenance))
    }

    /// `--record DIR`: write the answers (the rule of `crate::keep`); how many files.
    fn write_recording(args: &LiveArgs, asked: &Asked, force: bool) -> Result<usize, String> {
        let Some(dir) = &args.record else {
            return Ok(0);
        };
        let files = live_campaign::recording(dir, &asked.recorded)?;
        crate::keep::write_all(&files, force, "this run's recording")?;
        Ok(files.len())
    }

    /// What a run found, for its report.
    struct Outcome<'a> {
        campaign: &'a Campaign,
        stats: &'a Stats,
        tally: &'a Tally,
        recorded_files: usize,
        provenance: &'a Provenance,
    }

    impl Outcome<'_> {
        fn print_json(&self) {
            let (campaign, stats, tally) = (self.campaign, self.stats, self.tally);
            outln!(
                "{}",
                json!({
                    "cases": campaign.cases,
                    "validation_cases": campaign.validation_cases,
                    "skipped": campaign.skipped,
                    "probes_skipped": campaign.probes_skipped,
                    "queries": campaign.queries.len(),
                    "stats": stats,
                    "pairs_per_call": stats.pairs_per_call(),
                    "identical": tally.identical,
                    "explained": tally.explained,
                    "disagreements": tally.disagreements,
                    "refused": tally.refused,
                    "failed": tally.failed,
                    "unanswered": tally.unanswered,
                    "not_asked": tally.not_asked,
                    "recorded_files": self.recorded_files,
                    "exit_status": tally.exit_status(),
                    "provenance": self.provenance.source("…"),
                })
            );
        }

        fn print_text(&self) {
            let (campaign, stats, tally) = (self.campaign, self.stats, self.tally);
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
