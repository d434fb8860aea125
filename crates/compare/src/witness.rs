//! Witnesses as conformance cases (`docs/case-format.md`): one file per difference holding
//! two cases on the same request — NEW with its decision (`allowed`) and OLD with its own —
//! so that `cargo xtask conform` replays both halves of the claim.

use crate::engine::{Difference, Kind};
use iamcr_eval::{Authorizer, Decision};
use iamcr_policy::Policy;
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The two cases of a witness, as a JSON array.
pub fn cases(d: &Difference, id: &str, old: &Policy, new: &Policy, kind: Kind) -> Value {
    let request = iamcr_gen::request_json(&d.witness);
    let one = |which: &str, p: &Policy, decision: Decision| {
        json!({
            "id": format!("{id}-{which}"),
            "description": format!(
                "cargo xtask compare --kind {kind}: {} on {} ({} resource type) is allowed by NEW and not by OLD; this case is the {} policy's half",
                d.action, d.witness.resource, d.resource_type, which.to_uppercase()
            ),
            "source": "cargo xtask compare (witness)",
            "policies": iamcr_gen::policies_json(&kind.policy_set(p)),
            "request": request,
            "expect": { "decision": decision.as_str() },
        })
    };
    json!([
        one("new", new, Decision::Allowed),
        one("old", old, d.old_decision)
    ])
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
