//! Witnesses as conformance cases (`docs/case-format.md`): one file per difference holding
//! two cases on the same request — NEW with its decision (`allowed`) and OLD with its own —
//! so that `cargo xtask conform` replays both halves of the claim.

use crate::engine::{Difference, Kind};
use iamcr_case::{EvalCase, EvalExpect};
use iamcr_eval::{Authorizer, Decision};
use iamcr_policy::Policy;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The two cases of a witness, as a JSON array (written through the case format's own types).
pub fn cases(d: &Difference, id: &str, old: &Policy, new: &Policy, kind: Kind) -> Value {
    let one = |which: &str, p: &Policy, decision: Decision| EvalCase {
        id: format!("{id}-{which}"),
        description: Some(format!(
            "cargo xtask compare --kind {kind}: {} on {} ({} resource type) is allowed by NEW and not by OLD; this case is the {} policy's half",
            d.action,
            d.witness.resource,
            d.resource_type,
            which.to_uppercase()
        )),
        source: Some("cargo xtask compare (witness)".to_string()),
        policies: iamcr_gen::policies(&kind.policy_set(p)),
        request: iamcr_gen::request(&d.witness),
        expect: EvalExpect {
            decision,
            matched: None,
            missing_context: None,
        },
    };
    let pair = [
        one("new", new, Decision::Allowed),
        one("old", old, d.old_decision),
    ];
    // The case format's types serialize without fail; should that ever change, `Null` fails
    // every reader loudly instead of writing half a witness.
    serde_json::to_value(pair).unwrap_or(Value::Null)
}

/// Whether a witness re-evaluates as claimed: NEW allows, OLD gives its recorded decision
/// (not `allowed`).
pub fn holds(d: &Difference, old: &Policy, new: &Policy, kind: Kind) -> Result<bool, String> {
    let auth = |p: &Policy| Authorizer::new(&kind.policy_set(p)).map_err(|e| e.to_string());
    let n = auth(new)?.evaluate(&d.witness).decision;
    let o = auth(old)?.evaluate(&d.witness).decision;
    Ok(n == Decision::Allowed && o == d.old_decision && o != Decision::Allowed)
}

/// A case id from free text: lower-case letters, digits and single dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Write `make(name)` to `dir/name.json` for the first free name among `stem`, `stem-2`, …
/// — never over an existing file (each file is created with `create_new`, so a file that
/// appears meanwhile is not overwritten either). `make` gets the name so that case ids follow
/// it. Returns the path written.
pub fn write_new(dir: &Path, stem: &str, make: impl Fn(&str) -> Value) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for n in 1..10_000 {
        let name = if n == 1 {
            stem.to_string()
        } else {
            format!("{stem}-{n}")
        };
        let path = dir.join(format!("{name}.json"));
        if path.exists() {
            continue;
        }
        let text =
            serde_json::to_string_pretty(&make(&name)).map_err(std::io::Error::other)? + "\n";
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: no free name for {stem}.json",
        dir.display()
    )))
}
