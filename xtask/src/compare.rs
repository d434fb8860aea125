//! `cargo xtask compare OLD NEW [--kind K] [--json] [--reverse] [--witnesses DIR]`: the
//! requests NEW allows and OLD does not, grouped by service, resource type and the NEW
//! statement that allows them, each group with a witness (`docs/compare.md`).
//!
//! Exit status: 0 no new access; 1 new access, or might allow (not every class decided);
//! 2 a policy could not be read or a witness could not be written. `--reverse` adds the
//! other direction to the report; the status follows OLD → NEW only.

use iamcr_compare::{Comparison, Difference, Kind, Options, Verdict, compare, witness};
use iamcr_policy::Policy;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `compare`.
#[derive(clap::Args)]
pub struct Args {
    /// The policy before the change.
    old: PathBuf,
    /// The policy after the change.
    new: PathBuf,
    /// Where the policies sit: identity (default), boundary, session, scp, rcp.
    #[arg(long, default_value = "identity")]
    kind: Kind,
    /// One JSON object instead of the report.
    #[arg(long)]
    json: bool,
    /// Also report what OLD allows and NEW does not.
    #[arg(long)]
    reverse: bool,
    /// Write one witness case file per difference into DIR (never over an existing file).
    #[arg(long, value_name = "DIR")]
    witnesses: Option<PathBuf>,
}

/// Read a policy file and check it is a valid policy of `kind`; errors name file, line and
/// column.
pub fn load(path: &Path, kind: Kind) -> Result<Policy, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let policy_kind: iamcr_policy::PolicyKind = kind
        .as_str()
        .parse()
        .map_err(|_| format!("no policy kind {kind}"))?;
    let report = iamcr_policy::check(&text, policy_kind);
    if let Some(d) = report.first_error() {
        return Err(format!(
            "{}:{}:{}: not a valid {kind} policy: {}",
            path.display(),
            d.start.line,
            d.start.column,
            d.message
        ));
    }
    report
        .policy
        .ok_or_else(|| format!("{}: not a policy", path.display()))
}

/// The file stem, for case ids.
fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "policy".into())
}

/// One direction: compare, write witnesses, and give the JSON and report text.
struct Direction {
    comparison: Comparison,
    files: Vec<Option<PathBuf>>,
}

fn direction(
    (old_path, old): (&Path, &Policy),
    (new_path, new): (&Path, &Policy),
    kind: Kind,
    witnesses: Option<&Path>,
) -> Result<Direction, String> {
    let options = Options {
        kind,
        ..Options::default()
    };
    let comparison = compare(old, new, &options).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for d in &comparison.differences {
        let Some(dir) = witnesses else {
            files.push(None);
            break;
        };
        let base = witness::slug(&format!(
            "compare {} vs {} {} {}",
            stem(new_path),
            stem(old_path),
            d.action,
            d.resource_type
        ));
        let path = witness::write_new(dir, &base, |name| witness::cases(d, name, old, new, kind))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        files.push(Some(path));
    }
    Ok(Direction { comparison, files })
}

fn stmt_json(s: &iamcr_compare::StatementRef) -> Value {
    match &s.sid {
        Some(sid) => json!({ "statementIndex": s.index, "statementId": sid }),
        None => json!({ "statementIndex": s.index }),
    }
}

fn direction_json(d: &Direction) -> Value {
    let c = &d.comparison;
    let diffs: Vec<Value> = c
        .differences
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut v = json!({
                "action": x.action,
                "catalogued": x.catalogued,
                "resource_type": x.resource_type,
                "classes": x.classes,
                "allowed_by": x.allowed_by.iter().map(stmt_json).collect::<Vec<_>>(),
                "old_decision": x.old_decision.as_str(),
                "denied_by": x.denied_by.iter().map(stmt_json).collect::<Vec<_>>(),
                "witness": iamcr_gen::request(&x.witness),
            });
            if let Some(Some(f)) = d.files.get(i) {
                v["witness_file"] = json!(f.display().to_string());
            }
            v
        })
        .collect();
    let gaps: Vec<Value> = c
        .gaps
        .iter()
        .map(|g| {
            json!({
                "action": g.action,
                "statements": g.statements.iter().map(stmt_json).collect::<Vec<_>>(),
                "reason": g.reason,
            })
        })
        .collect();
    json!({
        "verdict": c.verdict().as_str(),
        "actions": c.actions,
        "classes": c.classes,
        "differences": diffs,
        "gaps": gaps,
    })
}

/// Groups for the report: service, resource type, allowing statements.
fn groups(c: &Comparison) -> Vec<((String, String, String), Vec<usize>)> {
    let mut out: Vec<((String, String, String), Vec<usize>)> = Vec::new();
    for (i, d) in c.differences.iter().enumerate() {
        let service = d.action.split(':').next().unwrap_or("").to_string();
        let by: Vec<String> = d.allowed_by.iter().map(|s| s.to_string()).collect();
        let key = (service, d.resource_type.clone(), by.join(", "));
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(i),
            None => out.push((key, vec![i])),
        }
    }
    out
}

fn action_name(d: &Difference) -> String {
    let name = d
        .action
        .split_once(':')
        .map_or(d.action.as_str(), |(_, n)| n);
    if d.catalogued {
        name.to_string()
    } else {
        format!("{name} (not in the catalogue: stands for every such name)")
    }
}

fn print_direction(title: &str, d: &Direction) {
    let c = &d.comparison;
    outln!("{title}: {}", c.verdict().as_str());
    outln!(
        "  {} actions, {} request classes decided, {} action/resource-type differences",
        c.actions,
        c.classes,
        c.differences.len()
    );
    for ((service, rtype, by), members) in groups(c) {
        let names: Vec<String> = members
            .iter()
            .map(|&i| action_name(&c.differences[i]))
            .collect();
        let by = if by.is_empty() { "-".to_string() } else { by };
        outln!("  {service} / {rtype} — allowed by NEW {by}:");
        outln!("    {}", names.join(", "));
        let first = &c.differences[members[0]];
        outln!(
            "    witness: {} on {} (OLD: {})",
            first.action,
            first.witness.resource,
            first.old_decision
        );
        if let Some(Some(f)) = d.files.get(members[0]) {
            outln!("    witness file: {}", f.display());
        }
    }
    for g in &c.gaps {
        let what = g.action.as_deref().unwrap_or("(all actions)");
        outln!("  might allow — {what}: {}", g.reason);
    }
}

/// Run the command.
pub fn run(args: Args) -> ExitCode {
    let loaded = load(&args.old, args.kind).and_then(|o| Ok((o, load(&args.new, args.kind)?)));
    let (old, new) = match loaded {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = args.witnesses.as_deref();
    let forward = direction((&args.old, &old), (&args.new, &new), args.kind, dir);
    let backward = if args.reverse {
        Some(direction(
            (&args.new, &new),
            (&args.old, &old),
            args.kind,
            dir,
        ))
    } else {
        None
    };
    let (forward, backward) = match (forward, backward.transpose()) {
        (Ok(f), Ok(b)) => (f, b),
        (Err(e), _) | (_, Err(e)) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        let mut v = json!({
            "old": args.old.display().to_string(),
            "new": args.new.display().to_string(),
            "kind": args.kind.as_str(),
            "new_over_old": direction_json(&forward),
        });
        if let Some(b) = &backward {
            v["old_over_new"] = direction_json(b);
        }
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        outln!(
            "{} → {} ({} policies)",
            args.old.display(),
            args.new.display(),
            args.kind
        );
        print_direction("NEW allows and OLD does not", &forward);
        if let Some(b) = &backward {
            print_direction("OLD allows and NEW does not", b);
        }
    }
    match forward.comparison.verdict() {
        Verdict::NoNewAccess => ExitCode::SUCCESS,
        Verdict::NewAccess | Verdict::MightAllow => ExitCode::from(1),
    }
}
