//! `cargo xtask check no-new-access --existing OLD --new NEW` and
//! `cargo xtask check access-not-granted POLICY --action A… [--resource R…]`: Access
//! Analyzer's custom policy checks, offline, with its result shape (`docs/compare.md`).
//!
//! Exit status: 0 PASS, 1 FAIL (granted, or might be), 2 a policy could not be read.

use crate::compare::load;
use iamcr_compare::check::{self, CheckResult, Outcome};
use iamcr_compare::{Kind, Options, witness};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `check`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    which: Which,
}

#[derive(clap::Subcommand)]
enum Which {
    /// PASS when NEW grants nothing EXISTING does not (Access Analyzer CheckNoNewAccess).
    NoNewAccess {
        /// The policy in force today.
        #[arg(long)]
        existing: PathBuf,
        /// The policy to deploy.
        #[arg(long)]
        new: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// PASS when POLICY grants none of the actions on any of the resources (Access
    /// Analyzer CheckAccessNotGranted).
    AccessNotGranted {
        /// The policy to check.
        policy: PathBuf,
        /// Actions that must not be granted (wildcards as in an Action element).
        #[arg(long = "action", num_args = 1..)]
        actions: Vec<String>,
        /// Resources they must not be granted on (wildcards as in a Resource element);
        /// none: any resource.
        #[arg(long = "resource", num_args = 1..)]
        resources: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Where the policies sit: identity (default), boundary, session, scp, rcp.
    #[arg(long, default_value = "identity")]
    kind: Kind,
    /// Access Analyzer's JSON response ({result, message, reasons}).
    #[arg(long)]
    json: bool,
    /// Write a witness case file per finding into DIR (never over an existing file).
    #[arg(long, value_name = "DIR")]
    witnesses: Option<PathBuf>,
}

fn print(r: &CheckResult, json: bool) {
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&r.to_json()).unwrap_or_default()
        );
        return;
    }
    outln!("{}: {}", r.result.as_str(), r.message);
    for reason in &r.reasons {
        match &reason.statement {
            Some(s) => outln!("  {s}: {}", reason.description),
            None => outln!("  {}", reason.description),
        }
    }
}

/// Run the command.
pub fn run(args: Args) -> ExitCode {
    let outcome: Result<(CheckResult, bool), String> = match args.which {
        Which::NoNewAccess {
            existing,
            new,
            common,
        } => (|| {
            let old = load(&existing, common.kind)?;
            let newp = load(&new, common.kind)?;
            let options = Options {
                kind: common.kind,
                ..Options::default()
            };
            let r = check::no_new_access(&old, &newp, &options).map_err(|e| e.to_string())?;
            write_witnesses(&r, &common, &old, &newp, "no-new-access")?;
            Ok((r, common.json))
        })(),
        Which::AccessNotGranted {
            policy,
            actions,
            resources,
            common,
        } => (|| {
            let p = load(&policy, common.kind)?;
            let options = Options {
                kind: common.kind,
                ..Options::default()
            };
            let r = check::access_not_granted(&p, &actions, &resources, &options)
                .map_err(|e| e.to_string())?;
            let nothing = iamcr_policy::parse(r#"{"Version":"2012-10-17","Statement":[]}"#)
                .map_err(|_| "the empty policy did not parse".to_string())?;
            write_witnesses(&r, &common, &nothing, &p, "access-granted")?;
            Ok((r, common.json))
        })(),
    };
    match outcome {
        Ok((r, json)) => {
            print(&r, json);
            match r.result {
                Outcome::Pass => ExitCode::SUCCESS,
                Outcome::Fail => ExitCode::from(1),
            }
        }
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_witnesses(
    r: &CheckResult,
    common: &Common,
    old: &iamcr_policy::Policy,
    new: &iamcr_policy::Policy,
    what: &str,
) -> Result<(), String> {
    let Some(dir) = &common.witnesses else {
        return Ok(());
    };
    for d in &r.comparison.differences {
        let base = witness::slug(&format!("{what} {} {}", d.action, d.resource_type));
        witness::write_new(dir, &base, |name| {
            witness::cases(d, name, old, new, common.kind)
        })
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}
