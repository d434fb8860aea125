//! Reading case files: one case object or an array of them per file; folders are walked
//! for `*.json` files in name order. Every error names the file, line and column.

use crate::case::{Case, EvalCase, ValidationCase};
use iamcr_policy::embed::{Embedded, Fault};
use iamcr_policy::json::{self, Kind, Member, Value};
use iamcr_policy::span::{LineIndex, Position};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A case with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The file.
    pub file: PathBuf,
    /// 1-based line where the case starts in the file.
    pub line: u32,
    /// The case.
    pub case: Case,
    /// The file's text, shared by its cases, to place errors about the case's policies.
    pub source: SourceText,
    /// Where each policy of the case is written in the file, by slot (`identity[0]`,
    /// `boundary`, `scp[1][0]`, …; `policy` for a validation case).
    pub policies: Vec<(String, Embedded)>,
}

impl LoadedCase {
    /// A fault of the policy in `slot`, placed in the file: `FILE:LINE:COLUMN: MESSAGE
    /// (policy text LINE:COLUMN)`. Without a place in the policy text (or for a case not
    /// read from a file) it is placed at the case: `FILE:LINE: MESSAGE`.
    pub fn place(&self, slot: &str, fault: &Fault) -> String {
        self.policies
            .iter()
            .find(|(s, _)| s == slot)
            .and_then(|(_, embedded)| fault.placed(&self.file, &self.source.0, embedded))
            .unwrap_or_else(|| format!("{}:{}: {fault}", self.file.display(), self.line))
    }
}

/// The text of a case file, shared by its cases (printed by `Debug` as its size only).
#[derive(Clone, Default)]
pub struct SourceText(pub Arc<str>);

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceText({} bytes)", self.0.len())
    }
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

/// Largest case or scenario file read. A case file holds many cases (the corpus's largest is
/// about 500 KB), so this is a bound on the file, not on a policy: each policy inside is
/// still held to the policy reader's limit and to IAM's size quotas when it is checked.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Expand files and folders into the list of `*.json` files, sorted, without duplicates;
/// the first path that cannot be walked is an error.
pub fn case_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let (files, errors) = json_files(paths);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(files),
    }
}

/// Expand files and folders into `*.json` files (sorted, without duplicates) and the errors
/// of paths that could not be walked, each path walked as far as it can be. Folders reached
/// through symbolic links are followed, but a link back to a folder that contains it (a
/// loop) is an error naming the link, never an endless walk.
pub fn json_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<LoadError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if let Err(e) = collect(p, &mut out, &mut Vec::new()) {
            errors.push(e);
        }
    }
    out.sort();
    out.dedup();
    (out, errors)
}

/// `open` holds the canonical paths of the folders being walked (this one's ancestors).
fn collect(path: &Path, out: &mut Vec<PathBuf>, open: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let canonical = path.canonicalize().map_err(|e| io_error(path, &e))?;
    if open.contains(&canonical) {
        return Err(LoadError {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!(
                "symbolic link loop: this is {}, a folder that contains it",
                canonical.display()
            ),
        });
    }
    let entries = std::fs::read_dir(path).map_err(|e| io_error(path, &e))?;
    let mut children = Vec::new();
    for entry in entries {
        children.push(entry.map_err(|e| io_error(path, &e))?.path());
    }
    children.sort();
    open.push(canonical);
    for p in children {
        if p.is_dir() || p.extension().is_some_and(|e| e == "json") {
            collect(&p, out, open)?;
        }
    }
    open.pop();
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

/// Read at most `max` bytes of `file`. The size is checked before reading, and reading stops
/// past `max` for files whose size is not known beforehand (pipes, devices), so a huge or
/// endless file is refused without being read whole.
pub fn read_bytes(file: &Path, max: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let too_large = |size: String| LoadError {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        message: format!(
            "the file is {size} bytes; files are read up to {max} bytes (a limit on the file, \
             not IAM's policy size limits, which apply to each policy inside)"
        ),
    };
    let handle = std::fs::File::open(file).map_err(|e| io_error(file, &e))?;
    let meta = handle.metadata().map_err(|e| io_error(file, &e))?;
    if meta.is_dir() {
        return Err(io_error(
            file,
            &std::io::Error::other("is a folder, not a file"),
        ));
    }
    if meta.len() > max {
        return Err(too_large(meta.len().to_string()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    handle
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(file, &e))?;
    if bytes.len() as u64 > max {
        return Err(too_large(format!("more than {max}")));
    }
    Ok(bytes)
}

/// Read `file` as UTF-8 text of at most [`MAX_FILE_BYTES`]; bytes that are not UTF-8 are an
/// error at their line and column.
pub fn read_text(file: &Path) -> Result<String, LoadError> {
    let bytes = read_bytes(file, MAX_FILE_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let pos = LineIndex::new(valid).position(valid, u32::try_from(at).unwrap_or(u32::MAX));
        LoadError {
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message: format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[at]),
        }
    })
}

/// Read every case in `file`.
pub fn load_file(file: &Path) -> Result<Vec<LoadedCase>, LoadError> {
    let text = read_text(file)?;
    parse_cases(&text, file)
}

const EMPTY: &str = "the file is empty; a case file holds a case object or an array of them";

/// Read every case in `text` (the contents of `file`).
pub fn parse_cases(text: &str, file: &Path) -> Result<Vec<LoadedCase>, LoadError> {
    // Positions of errors only: the index is built when one is reported (most files have
    // none, and indexing every line of the corpus cost more than reading its cases' places).
    let err_at = |offset: u32, message: String| {
        let pos = LineIndex::new(text).position(text, offset);
        LoadError {
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            message,
        }
    };
    // Our own JSON reader finds where each case is; serde then reads each case from its
    // exact slice, so its errors can be placed in the file.
    // The file limit was applied when the file was read; the policy reader's own limit is for
    // policies.
    let parsed = json::parse_with_limit(text, MAX_FILE_BYTES as usize);
    if let Some(e) = parsed.errors.first() {
        if e.kind == json::ErrorKind::Empty {
            return Err(err_at(0, EMPTY.into()));
        }
        return Err(err_at(
            e.span.start,
            format!("invalid JSON: {}", e.describe()),
        ));
    }
    let Some(doc) = parsed.value else {
        return Err(err_at(0, EMPTY.into()));
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
    let source = SourceText(Arc::from(text));
    let mut out = Vec::with_capacity(items.len());
    // The items are in file order: their places in one pass over the text.
    let starts: Vec<u32> = items.iter().map(|item| item.span.start).collect();
    let places = iamcr_policy::span::positions_sorted(text, &starts);
    for (item, &at) in items.iter().zip(&places) {
        let Kind::Object(members) = &item.kind else {
            return Err(err_at(
                item.span.start,
                format!("a case must be an object, found {}", item.kind.describe()),
            ));
        };
        let slice = &text[item.span.start as usize..item.span.end as usize];
        let case = read_case(slice, members, at, file)?;
        out.push(LoadedCase {
            file: file.to_path_buf(),
            line: at.line,
            case,
            source: source.clone(),
            policies: policy_places(members),
        });
    }
    Ok(out)
}

/// One case from its exact slice of the file (which starts at `at`), a validation case when
/// it has `policy_kind` or `policy`; serde's errors are placed in the file.
fn read_case(
    slice: &str,
    members: &[Member],
    at: Position,
    file: &Path,
) -> Result<Case, LoadError> {
    let is_validation = members
        .iter()
        .any(|m| m.key == "policy_kind" || m.key == "policy");
    let place = |e: serde_json::Error| {
        // serde's position is relative to the slice.
        let (line, column) = if e.line() <= 1 {
            (at.line, at.column + e.column().saturating_sub(1) as u32)
        } else {
            (at.line + e.line() as u32 - 1, e.column() as u32)
        };
        LoadError {
            file: file.to_path_buf(),
            line,
            column,
            message: strip_position(&e.to_string()),
        }
    };
    Ok(if is_validation {
        Case::Validation(serde_json::from_str::<ValidationCase>(slice).map_err(place)?)
    } else {
        Case::Evaluation(Box::new(
            serde_json::from_str::<EvalCase>(slice).map_err(place)?,
        ))
    })
}

/// Where each policy of a case (its members) is written: the slots of `policies` of an
/// evaluation case, or `policy` of a validation case. serde has already checked the shape;
/// a member of another shape is simply not placed.
fn policy_places(members: &[Member]) -> Vec<(String, Embedded)> {
    let embedded = |v: &Value| match v.kind {
        Kind::String(_) => Some(Embedded {
            span: v.span,
            as_string: true,
        }),
        Kind::Object(_) => Some(Embedded {
            span: v.span,
            as_string: false,
        }),
        _ => None,
    };
    fn items(v: &Value) -> &[Value] {
        match &v.kind {
            Kind::Array(items) => items,
            _ => &[],
        }
    }
    let mut out = Vec::new();
    for m in members {
        match m.key.as_str() {
            "policy" => out.extend(embedded(&m.value).map(|e| ("policy".to_string(), e))),
            "policies" => {
                let Kind::Object(slots) = &m.value.kind else {
                    continue;
                };
                for slot in slots {
                    let key = slot.key.as_str();
                    match key {
                        "identity" | "session" => {
                            for (i, v) in items(&slot.value).iter().enumerate() {
                                out.extend(embedded(v).map(|e| (format!("{key}[{i}]"), e)));
                            }
                        }
                        "scp" | "rcp" => {
                            for (l, level) in items(&slot.value).iter().enumerate() {
                                for (i, v) in items(level).iter().enumerate() {
                                    out.extend(
                                        embedded(v).map(|e| (format!("{key}[{l}][{i}]"), e)),
                                    );
                                }
                            }
                        }
                        _ => out.extend(embedded(&slot.value).map(|e| (key.to_string(), e))),
                    }
                }
            }
            _ => {}
        }
    }
    out
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
    fn cases_are_placed_where_they_start() {
        // Non-ASCII text, CRLF line ends, several cases on one line, and a serde error
        // placed from the case's start.
        let case = |id: &str| {
            format!(
                r#"{{"id":"{id}","policy_kind":"identity","policy":"{{}}","expect":{{"valid":false}}}}"#
            )
        };
        let text = format!(
            "[\r\n  {},\r\n  {}, {},\n\"é\"\n]",
            case("a"),
            case("ü"),
            case("c")
        )
        .replace(",\n\"é\"\n]", "\n]");
        let cases = parse_cases(&text, Path::new("p.json")).unwrap();
        let lines: Vec<u32> = cases.iter().map(|c| c.line).collect();
        assert_eq!(lines, [2, 3, 3]);
        let place = |first: &str| {
            let second = case("x").replace("\"valid\"", "\"vaild\"");
            let bad = format!("[\n{}, {second}]", case(first));
            let e = parse_cases(&bad, Path::new("q.json")).unwrap_err();
            assert!(e.message.contains("vaild"), "{}", e.message);
            (e.line, e.column)
        };
        // Columns count characters: an é before the error is one, as an e is.
        assert_eq!(place("é"), place("e"));
        assert_eq!(place("e").0, 2);
        assert_eq!(place("ee").1, place("e").1 + 1);
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
