//! Reading case files: one case object or an array of them per file; folders are walked
//! for `*.json` files in name order. Every error names the file, line and column.

use crate::case::{Case, EvalCase, ValidationCase};
use iamcr_policy::json::{self, Kind};
use iamcr_policy::span::LineIndex;
use std::fmt;
use std::path::{Path, PathBuf};

/// A case with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The file.
    pub file: PathBuf,
    /// 1-based line where the case starts in the file.
    pub line: u32,
    /// The case.
    pub case: Case,
}

/// Why a case file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when the file could not be read at all).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl std::error::Error for LoadError {}

/// Expand files and folders into the list of `*.json` files, sorted, without duplicates.
pub fn case_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        collect(p, &mut out)?;
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| io_error(path, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(path, &e))?;
            let p = entry.path();
            if p.is_dir() || p.extension().is_some_and(|e| e == "json") {
                collect(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn io_error(path: &Path, e: &std::io::Error) -> LoadError {
    LoadError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: e.to_string(),
    }
}

/// Read every case in `file`.
pub fn load_file(file: &Path) -> Result<Vec<LoadedCase>, LoadError> {
    let text = std::fs::read_to_string(file).map_err(|e| io_error(file, &e))?;
    parse_cases(&text, file)
}

/// Read every case in `text` (the contents of `file`).
pub fn parse_cases(text: &str, file: &Path) -> Result<Vec<LoadedCase>, LoadError> {
    let lines = LineIndex::new(text);
    let err_at = |offset: u32, message: String| {
        let pos = lines.position(text, offset);
        LoadError {
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message,
        }
    };
    // Our own JSON reader finds where each case is; serde then reads each case from its
    // exact slice, so its errors can be placed in the file.
    let parsed = json::parse(text);
    if let Some(e) = parsed.errors.first() {
        return Err(err_at(
            e.span.start,
            format!("invalid JSON: {}", e.describe()),
        ));
    }
    let Some(doc) = parsed.value else {
        return Err(err_at(0, "empty file".into()));
    };
    let items = match doc.kind {
        Kind::Array(items) => items,
        Kind::Object(_) => vec![doc],
        other => {
            return Err(err_at(
                doc.span.start,
                format!(
                    "a case file holds a case object or an array of them, found {}",
                    other.describe()
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Kind::Object(members) = &item.kind else {
            return Err(err_at(
                item.span.start,
                format!("a case must be an object, found {}", item.kind.describe()),
            ));
        };
        let is_validation = members
            .iter()
            .any(|m| m.key == "policy_kind" || m.key == "policy");
        let slice = &text[item.span.start as usize..item.span.end as usize];
        let start = lines.position(text, item.span.start);
        let place = |e: serde_json::Error| {
            // serde's position is relative to the slice.
            let (line, column) = if e.line() <= 1 {
                (
                    start.line,
                    start.column + e.column().saturating_sub(1) as u32,
                )
            } else {
                (start.line + e.line() as u32 - 1, e.column() as u32)
            };
            LoadError {
                file: file.to_path_buf(),
                line,
                column,
                message: strip_position(&e.to_string()),
            }
        };
        let case = if is_validation {
            Case::Validation(serde_json::from_str::<ValidationCase>(slice).map_err(place)?)
        } else {
            Case::Evaluation(Box::new(
                serde_json::from_str::<EvalCase>(slice).map_err(place)?,
            ))
        };
        out.push(LoadedCase {
            file: file.to_path_buf(),
            line: start.line,
            case,
        });
    }
    Ok(out)
}

/// serde_json appends " at line L column C" (relative to the slice); we give our own.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Read all cases under `paths`, stopping at the first unreadable file.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<LoadedCase>, LoadError> {
    let mut out = Vec::new();
    for f in case_files(paths)? {
        out.extend(load_file(&f)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_into_the_file() {
        let text = "[\n  {\"id\": \"a\", \"policy_kind\": \"identity\", \"policy\": \"{}\",\n   \"expect\": {\"valid\": true, \"vaild\": 1}}\n]";
        let e = parse_cases(text, Path::new("x.json")).unwrap_err();
        assert_eq!((e.line, e.file.to_str().unwrap()), (3, "x.json"));
        assert!(e.message.contains("unknown field `vaild`"), "{}", e.message);
        let e = parse_cases("{\"id\": 1,}", Path::new("y.json")).unwrap_err();
        assert_eq!((e.line, e.column), (1, 9));
    }

    #[test]
    fn policies_keep_their_text() {
        let text = r#"{"id":"v","policy_kind":"trust","policy":{ "Version" : "2012-10-17" },"expect":{"valid":false}}"#;
        let cases = parse_cases(text, Path::new("z.json")).unwrap();
        let Case::Validation(v) = &cases[0].case else {
            panic!()
        };
        assert_eq!(v.policy.text, r#"{ "Version" : "2012-10-17" }"#);
        assert!(!v.policy.as_string);
        assert_eq!(v.policy_kind, iamcr_policy::PolicyKind::Trust);
        let round = serde_json::to_string(&cases[0].case).unwrap();
        assert!(
            round.contains(r#""policy":{ "Version" : "2012-10-17" }"#),
            "{round}"
        );
    }
}
