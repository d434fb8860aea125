//! The resume journal: an append-only JSON Lines file with one line per answered query,
//! keyed by the query's stable id ([`crate::Query::id`]). Lines are written only after a
//! call's last page arrived, and flushed to disk before the next call, so an interruption
//! loses at most the call in flight, which a restart asks again. On restart, answered
//! queries are skipped. A line cut short by the interruption is ignored; a query journaled
//! twice keeps its first answer. The journal holds no credentials and no account id: the
//! answers name only the queries' own (synthetic) accounts.

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

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    entries: HashMap<QueryId, JournalOutcome>,
    /// Lines that could not be read (a line cut short by an interruption).
    pub unreadable_lines: usize,
    /// Lines for a query already journaled (ignored).
    pub duplicate_lines: usize,
}

impl Journal {
    /// Open (or create) a journal and read what it holds.
    pub fn open(path: &Path) -> io::Result<Journal> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        let mut entries = HashMap::new();
        let (mut unreadable, mut duplicates) = (0, 0);
        let mut last_byte = [0u8; 1];
        let len = file.metadata()?.len();
        for line in BufReader::new(&file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(&line) {
                Ok(e) if entries.contains_key(&e.q) => duplicates += 1,
                Ok(e) => {
                    entries.insert(e.q, e.outcome);
                }
                Err(_) => unreadable += 1,
            }
        }
        // A line cut short has no newline: end it, so the next line starts clean.
        if len > 0 {
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last_byte)?;
            if last_byte[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            entries,
            unreadable_lines: unreadable,
            duplicate_lines: duplicates,
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
    }
}
