//! What a live run found and what its exit status says (`docs/simulate.md`, "Exit status").
//! No SDK here, so that the accounting is tested by the offline build.
//!
//! Every query ends in one bucket: compared (identical, a known deviation, or a
//! disagreement), refused by the simulator, failed (the model could not answer, or no
//! result came back), unanswered (retries did not get past throttling or server errors) or
//! not asked (the `--max-calls` budget ran out). A disagreement, a refusal or a failure
//! exits 1; otherwise anything unanswered or not asked exits 3, "incomplete: resume"; else 0.

use iamcr_oracle::{ErrorKind, Report, Side};
use std::collections::BTreeMap;
use std::path::Path;

/// How many `UNANSWERED` lines to print before summing up the rest.
const UNANSWERED_SHOWN: usize = 5;

/// The outcome of every query of a live run.
#[derive(Debug, Default)]
pub struct Tally {
    /// Answers identical to the model's.
    pub identical: usize,
    /// Differences a known deviation accounts for, by deviation.
    pub explained: BTreeMap<String, usize>,
    /// Differences nothing accounts for.
    pub disagreements: Vec<String>,
    /// Queries the simulator refused (`InvalidInput`, `PolicyEvaluation`).
    pub refused: Vec<String>,
    /// Queries the model could not answer, or with no result in the simulator's answer.
    pub failed: Vec<String>,
    /// Queries retries did not get an answer for (throttling, server or network errors).
    pub unanswered: Vec<String>,
    /// Queries never sent: the call budget ran out (or the run stopped).
    pub not_asked: usize,
}

impl Tally {
    /// The tally of a differential run of the model against the simulator; `label` names
    /// the query of an index (a case id, or a case's neighbour).
    pub fn of(report: &Report, label: impl Fn(usize) -> String) -> Tally {
        let mut tally = Tally {
            identical: report.agreements,
            explained: report.explained.clone(),
            ..Tally::default()
        };
        for d in &report.disagreements {
            for x in &d.differences {
                tally.disagreements.push(format!("{}: {x}", label(d.index)));
            }
        }
        for f in &report.failures {
            match f.side {
                Side::Other => tally.error(&label(f.index), f.error.kind, &f.error.message),
                Side::Reference => tally.failed.push(format!(
                    "{}: the model cannot answer: {}",
                    label(f.index),
                    f.error
                )),
            }
        }
        tally
    }

    /// Count a query the simulator did not answer.
    pub fn error(&mut self, label: &str, kind: ErrorKind, message: &str) {
        let line = format!("{label}: {message}");
        match kind {
            ErrorKind::NotAsked => self.not_asked += 1,
            ErrorKind::InvalidInput | ErrorKind::PolicyEvaluation => self.refused.push(line),
            ErrorKind::Transport => self.unanswered.push(line),
            // Model, NoResult, Unsupported, and kinds added later: nothing a rerun fixes.
            _ => self.failed.push(line),
        }
    }

    /// The exit status: 1 for a disagreement, refusal or failure; 3 when nothing went wrong
    /// but some queries were not answered (resume to finish); 0 otherwise.
    pub fn exit_status(&self) -> u8 {
        if !self.disagreements.is_empty() || !self.refused.is_empty() || !self.failed.is_empty() {
            1
        } else if self.incomplete() {
            3
        } else {
            0
        }
    }

    /// Whether some queries have no answer yet.
    pub fn incomplete(&self) -> bool {
        self.not_asked > 0 || !self.unanswered.is_empty()
    }

    /// The per-query lines of the text report: `DISAGREE`, `REFUSED`, `FAILED`, and the
    /// first few `UNANSWERED` (they share a cause; the summary counts them all).
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.disagreements.iter().map(|l| format!("DISAGREE {l}")));
        out.extend(self.refused.iter().map(|l| format!("REFUSED {l}")));
        out.extend(self.failed.iter().map(|l| format!("FAILED {l}")));
        out.extend(
            self.unanswered
                .iter()
                .take(UNANSWERED_SHOWN)
                .map(|l| format!("UNANSWERED {l}")),
        );
        if self.unanswered.len() > UNANSWERED_SHOWN {
            out.push(format!(
                "UNANSWERED … and {} more",
                self.unanswered.len() - UNANSWERED_SHOWN
            ));
        }
        out
    }

    /// The summary line.
    pub fn summary(&self) -> String {
        format!(
            "simulator vs model: {} identical, {} known deviations {:?}, {} disagreements, {} \
             refused, {} failed; {} unanswered (retries ran out), {} not asked",
            self.identical,
            self.explained.values().sum::<usize>(),
            self.explained,
            self.disagreements.len(),
            self.refused.len(),
            self.failed.len(),
            self.unanswered.len(),
            self.not_asked
        )
    }

    /// When the run is incomplete: why, and how to finish it.
    pub fn resume_advice(&self, max_calls: Option<u64>, resume: Option<&Path>) -> Option<String> {
        if !self.incomplete() {
            return None;
        }
        let mut why = Vec::new();
        if self.not_asked > 0 {
            let budget = max_calls.map_or(String::new(), |n| format!(" ({n} requests)"));
            why.push(format!(
                "the call budget{budget} ran out with {} queries not asked",
                self.not_asked
            ));
        }
        if !self.unanswered.is_empty() {
            why.push(format!(
                "{} queries stayed unanswered after every retry (throttling or server errors: \
                 a lower --rate helps)",
                self.unanswered.len()
            ));
        }
        let how = match resume {
            Some(j) => format!(
                "run the same command again: the journal {} keeps every answer, so only the \
                 missing queries are asked",
                j.display()
            ),
            None => "nothing was journaled: run again with --resume FILE (e.g. \
                     .iamcr/journal.jsonl), and again with the same --resume until it \
                     finishes, so that answers are kept and only missing queries are asked"
                .to_string(),
        };
        Some(format!("incomplete: {}; {how}", why.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttled(t: &mut Tally, n: usize) {
        for i in 0..n {
            t.error(
                &format!("case-{i}"),
                ErrorKind::Transport,
                "Throttling: Rate exceeded",
            );
        }
    }

    #[test]
    fn an_exhausted_budget_exits_3_and_points_to_resume() {
        let mut t = Tally {
            identical: 10,
            ..Tally::default()
        };
        t.error(
            "c",
            ErrorKind::NotAsked,
            "not asked: the call budget ran out",
        );
        assert_eq!(t.exit_status(), 3);
        let advice = t.resume_advice(Some(40), None).unwrap();
        assert!(
            advice.contains("(40 requests)") && advice.contains("--resume FILE"),
            "{advice}"
        );
        let advice = t
            .resume_advice(Some(40), Some(Path::new("j.jsonl")))
            .unwrap();
        assert!(advice.contains("journal j.jsonl"), "{advice}");
    }

    #[test]
    fn throttled_queries_are_unanswered_not_disagreements() {
        let mut t = Tally::default();
        throttled(&mut t, 8);
        assert_eq!(t.exit_status(), 3);
        let lines = t.lines();
        assert!(
            lines.iter().all(|l| !l.starts_with("DISAGREE")),
            "{lines:?}"
        );
        assert_eq!(lines.len(), UNANSWERED_SHOWN + 1);
        assert_eq!(lines.last().unwrap(), "UNANSWERED … and 3 more");
        assert!(t.summary().contains("0 disagreements"), "{}", t.summary());
        assert!(t.summary().contains("8 unanswered"), "{}", t.summary());
        assert!(
            t.resume_advice(None, None)
                .unwrap()
                .contains("lower --rate")
        );
    }

    #[test]
    fn a_disagreement_or_refusal_wins_over_incomplete() {
        let mut t = Tally::default();
        throttled(&mut t, 1);
        t.disagreements
            .push("c: decision allowed vs implicitDeny".into());
        assert_eq!(t.exit_status(), 1);
        let mut t = Tally::default();
        t.error("c", ErrorKind::InvalidInput, "InvalidInput: bad");
        assert_eq!(t.exit_status(), 1);
        assert_eq!(t.lines(), vec!["REFUSED c: InvalidInput: bad".to_string()]);
        assert_eq!(Tally::default().exit_status(), 0);
        assert_eq!(Tally::default().resume_advice(None, None), None);
    }
}
