//! The resume journal: an append-only JSON Lines file with one line per answered query,
//! keyed by the query's stable id ([`crate::Query::id`]). Lines are written only after a
//! call's last page arrived, and flushed to disk before the next call, so an interruption
//! loses at most the call in flight, which a restart asks again. On restart, answered
//! queries are skipped. A line cut short by the interruption is ignored (and reported with
//! its line number); a query journaled twice keeps its first answer. The journal holds no
//! credentials and no account id: the answers name only the queries' own (synthetic)
//! accounts.
//!
//! The first line of a journal is [`HEADER`]. A file that does not start with it (or, for
//! journals written before the header existed, with an entry) is not a journal: [`Journal::open`]
//! refuses it rather than append to, say, a policy given to `--resume` by mistake.

use crate::query::{Answer, OracleError, QueryId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The query id.
    pub q: QueryId,
    /// The answer, or the simulator's final word on the query (an error).
    #[serde(flatten)]
    pub outcome: JournalOutcome,
}

/// What the journal records for a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JournalOutcome {
    /// The simulator answered.
    Answer(Answer),
    /// The simulator refused the query (`InvalidInput`, `PolicyEvaluation`): asking again
    /// would give the same refusal.
    Error(OracleError),
}

/// The first line of every journal.
pub const HEADER: &str = r#"{"iamcr_journal":1}"#;

/// A line of a journal that is not an entry, with its 1-based number and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it (serde_json's message).
    pub reason: String,
}

/// What reading a journal found.
#[derive(Debug, Default)]
struct Contents {
    entries: HashMap<QueryId, JournalOutcome>,
    bad_lines: Vec<BadLine>,
    duplicate_lines: usize,
    /// Whether the file is empty (a new journal: the header is written first).
    empty: bool,
}

/// Read a journal's text; `Err` is why the file is not a journal.
fn read_contents(file: &File, path: &Path) -> io::Result<Result<Contents, String>> {
    let mut c = Contents {
        empty: true,
        ..Contents::default()
    };
    let mut first = true;
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                return Ok(Err(format!(
                    "{} is not a journal: line {} is not UTF-8 text",
                    path.display(),
                    n + 1
                )));
            }
            Err(e) => return Err(e),
        };
        if line.trim().is_empty() {
            continue;
        }
        c.empty = false;
        if first {
            first = false;
            if line.trim() == HEADER {
                continue;
            }
            if serde_json::from_str::<Entry>(&line).is_err() {
                return Ok(Err(format!(
                    "{} is not a journal: its first line is not {HEADER} (refusing to append \
                     to it; give --resume a new file or one an earlier --resume wrote)",
                    path.display()
                )));
            }
        }
        match serde_json::from_str::<Entry>(&line) {
            Ok(e) if c.entries.contains_key(&e.q) => c.duplicate_lines += 1,
            Ok(e) => {
                c.entries.insert(e.q, e.outcome);
            }
            Err(e) => c.bad_lines.push(BadLine {
                line: n + 1,
                reason: e.to_string(),
            }),
        }
    }
    Ok(Ok(c))
}

/// Why `--resume` cannot use a file.
#[derive(Debug)]
pub enum OpenError {
    /// The file exists and is not a journal.
    NotAJournal(String),
    /// It could not be read, created or written.
    Io(io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NotAJournal(m) => f.write_str(m),
            OpenError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OpenError {}

impl From<io::Error> for OpenError {
    fn from(e: io::Error) -> OpenError {
        OpenError::Io(e)
    }
}

/// Check, without creating or changing anything, that `path` is absent, empty or a journal;
/// returns its bad lines (see [`Journal::bad_lines`]).
pub fn check(path: &Path) -> Result<Vec<BadLine>, OpenError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    if file.metadata()?.is_dir() {
        return Err(OpenError::NotAJournal(format!(
            "{} is a folder, not a journal file",
            path.display()
        )));
    }
    match read_contents(&file, path)? {
        Ok(c) => Ok(c.bad_lines),
        Err(m) => Err(OpenError::NotAJournal(m)),
    }
}

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    entries: HashMap<QueryId, JournalOutcome>,
    /// Lines that could not be read (a line cut short by an interruption).
    pub unreadable_lines: usize,
    /// Those lines, with their numbers and why.
    pub bad_lines: Vec<BadLine>,
    /// Lines for a query already journaled (ignored).
    pub duplicate_lines: usize,
}

impl Journal {
    /// Open (or create) a journal and read what it holds. A file that is not a journal is
    /// refused ([`OpenError::NotAJournal`]) and left as it was.
    pub fn open(path: &Path) -> Result<Journal, OpenError> {
        check(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        let contents = match read_contents(&file, path)? {
            Ok(c) => c,
            Err(m) => return Err(OpenError::NotAJournal(m)),
        };
        let len = file.metadata()?.len();
        if contents.empty {
            file.write_all(HEADER.as_bytes())?;
            file.write_all(b"\n")?;
        } else {
            // A line cut short has no newline: end it, so the next line starts clean.
            let mut last_byte = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last_byte)?;
            if last_byte[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            entries: contents.entries,
            unreadable_lines: contents.bad_lines.len(),
            bad_lines: contents.bad_lines,
            duplicate_lines: contents.duplicate_lines,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the journal holds for a query.
    pub fn get(&self, q: &QueryId) -> Option<&JournalOutcome> {
        self.entries.get(q)
    }

    /// How many queries the journal answers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the journal is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Record the outcomes of one call, all lines in one write, flushed and synced. Queries
    /// already journaled are not written again.
    pub fn record(&mut self, outcomes: Vec<(QueryId, JournalOutcome)>) -> io::Result<()> {
        let mut text = String::new();
        for (q, outcome) in outcomes {
            if self.entries.contains_key(&q) {
                continue;
            }
            let entry = Entry {
                q: q.clone(),
                outcome: outcome.clone(),
            };
            let line = serde_json::to_string(&entry).map_err(io::Error::other)?;
            text.push_str(&line);
            text.push('\n');
            self.entries.insert(q, outcome);
        }
        if text.is_empty() {
            return Ok(());
        }
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Decision;

    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("iamcr-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("j.jsonl")
    }

    fn id(s: &str) -> QueryId {
        QueryId(s.to_string())
    }

    #[test]
    fn survives_a_cut_line_and_ignores_duplicates() {
        let path = tmp("cut");
        {
            let mut j = Journal::open(&path).unwrap();
            j.record(vec![
                (
                    id("a"),
                    JournalOutcome::Answer(Answer::decision(Decision::Allowed)),
                ),
                (
                    id("b"),
                    JournalOutcome::Answer(Answer::decision(Decision::ImplicitDeny)),
                ),
            ])
            .unwrap();
        }
        // An interruption in the middle of a write.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"q":"c","answer":{"deci"#).unwrap();
        drop(f);
        let mut j = Journal::open(&path).unwrap();
        assert_eq!((j.len(), j.unreadable_lines), (2, 1));
        j.record(vec![
            (
                id("b"),
                JournalOutcome::Answer(Answer::decision(Decision::Allowed)),
            ),
            (
                id("c"),
                JournalOutcome::Answer(Answer::decision(Decision::ExplicitDeny)),
            ),
        ])
        .unwrap();
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.len(), 3);
        assert_eq!(
            j.get(&id("b")),
            Some(&JournalOutcome::Answer(Answer::decision(
                Decision::ImplicitDeny
            )))
        );
        assert_eq!((j.unreadable_lines, j.duplicate_lines), (1, 0));
        // The header, a, b, then the cut line: line 4.
        assert_eq!(j.bad_lines.len(), 1);
        assert_eq!(j.bad_lines[0].line, 4);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap().lines().next(),
            Some(HEADER)
        );
    }

    #[test]
    fn a_file_that_is_not_a_journal_is_refused_and_left_alone() {
        let path = tmp("policy");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let policy = "{\"Version\":\"2012-10-17\",\n\"Statement\":[]}\n";
        std::fs::write(&path, policy).unwrap();
        let e = Journal::open(&path).unwrap_err();
        assert!(matches!(e, OpenError::NotAJournal(_)), "{e}");
        assert!(e.to_string().contains("is not a journal"), "{e}");
        assert!(check(&path).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), policy);
        // A folder is no journal either; a missing file is a new one (check creates nothing).
        assert!(check(path.parent().unwrap()).is_err());
        let missing = tmp("missing");
        assert_eq!(check(&missing).unwrap(), Vec::new());
        assert!(!missing.exists());
    }

    #[test]
    fn a_journal_without_the_header_from_an_earlier_version_is_read() {
        let path = tmp("old");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let entry = Entry {
            q: id("a"),
            outcome: JournalOutcome::Answer(Answer::decision(Decision::Allowed)),
        };
        let line = serde_json::to_string(&entry).unwrap();
        std::fs::write(&path, format!("{line}\nnot json\n")).unwrap();
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.len(), 1);
        assert_eq!(
            j.bad_lines.iter().map(|b| b.line).collect::<Vec<_>>(),
            vec![2]
        );
    }
}
