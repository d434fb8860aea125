//! `cargo xtask simulate --live --questions`: the points the AWS documentation leaves open
//! (`docs/open-questions.md`), each a question file in `corpus/questions/` — a case-format
//! request and the two readings' decisions — asked of the IAM policy simulator, printing which
//! reading AWS follows. Nothing in the model changes on a guess: a question whose answer
//! contradicts the model's reading fails the run, and the model changes with the answer.

// Asking needs the simulator; an offline build only loads and lists the questions (its tests
// use the rest).
#![cfg_attr(
    not(feature = "live"),
    allow(
        dead_code,
        reason = "asking the questions needs the `live` feature; offline builds list them"
    )
)]

use iamcr::case::{Decision, EvalCase, EvalExpect, Policies, Request};
use iamcr_oracle::{Answer, Capabilities, OracleError, Query};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the question files are.
pub const DIR: &str = "corpus/questions";

/// One reading of an open point: what it says and the decision it gives the request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// A short kebab-case name.
    pub name: String,
    /// The reading, in a sentence.
    pub says: String,
    /// The simulator's decision if AWS follows this reading.
    pub decision: Decision,
}

/// A question file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Kebab-case; the file is `<id>.json`.
    pub id: String,
    /// The open point, as a question.
    pub question: String,
    /// What the pages say and why it does not settle the point.
    pub why_open: String,
    /// The pages.
    pub source: String,
    /// The policies in force (case format).
    pub policies: Policies,
    /// The request (case format).
    pub request: Request,
    /// Exactly two readings, with different decisions.
    pub readings: Vec<Reading>,
    /// The reading the model follows today (a `name` of `readings`).
    pub model: String,
    /// The simulator limitation that keeps it from answering this question, by name, when
    /// one does (`iamcr_oracle::Limitation`); the tests check it.
    #[serde(default)]
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "documentation in the file, checked by the tests")
    )]
    pub simulator_cannot: Option<String>,
}

impl Question {
    /// The question as a case-format evaluation case expecting the model's reading.
    pub fn case(&self) -> EvalCase {
        EvalCase {
            id: self.id.clone(),
            description: Some(self.question.clone()),
            source: Some(self.source.clone()),
            policies: self.policies.clone(),
            request: self.request.clone(),
            expect: EvalExpect {
                decision: self
                    .model_reading()
                    .map_or(Decision::ImplicitDeny, |r| r.decision),
                matched: None,
                missing_context: None,
            },
        }
    }

    /// The oracle query.
    pub fn query(&self) -> Query {
        iamcr::oracle_case::query(&self.case())
    }

    /// The reading the model follows.
    pub fn model_reading(&self) -> Option<&Reading> {
        self.readings.iter().find(|r| r.name == self.model)
    }

    /// The reading whose decision is `decision`, if one is.
    fn reading_for(&self, decision: &str) -> Option<&Reading> {
        self.readings
            .iter()
            .find(|r| r.decision.as_str() == decision)
    }

    /// The rules a question file must keep; each broken one in a sentence.
    fn problems(&self, file: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let kebab = |s: &str| {
            !s.is_empty()
                && s.split('-').all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        };
        if !kebab(&self.id) {
            out.push(format!("id {:?} is not kebab-case", self.id));
        }
        if file.file_stem().and_then(|s| s.to_str()) != Some(self.id.as_str()) {
            out.push(format!(
                "the file of question {:?} must be named {}.json",
                self.id, self.id
            ));
        }
        if self.readings.len() != 2 {
            out.push(format!(
                "{} readings; a question has exactly two",
                self.readings.len()
            ));
        } else if self.readings[0].decision == self.readings[1].decision {
            out.push(
                "both readings give the same decision, so no answer can tell them apart".into(),
            );
        }
        if self.readings.len() == 2 && self.readings[0].name == self.readings[1].name {
            out.push("the two readings have the same name".into());
        }
        if self.readings.iter().any(|r| !kebab(&r.name)) {
            out.push("a reading's name is not kebab-case".into());
        }
        if self.model_reading().is_none() {
            out.push(format!("\"model\" names no reading: {:?}", self.model));
        }
        for (what, text) in [
            ("question", &self.question),
            ("why_open", &self.why_open),
            ("source", &self.source),
        ] {
            if text.trim().is_empty() {
                out.push(format!("{what} is empty"));
            }
        }
        out
    }
}

/// Read every question file of `dir` (sorted by name). Errors name the file, and the line
/// and column where JSON or a field is wrong. A folder with no question is an error: a run
/// that asks nothing must not look like one that found nothing.
pub fn load(dir: &Path) -> Result<Vec<Question>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no question files (*.json)", dir.display()));
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let question: Question = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: {e}", file.display(), e.line(), e.column()))?;
        let problems = question.problems(&file);
        if !problems.is_empty() {
            return Err(format!("{}: {}", file.display(), problems.join("; ")));
        }
        out.push(question);
    }
    Ok(out)
}

/// `--questions` without `--live`: the questions are for the simulator; say so, and list them
/// with the reading the model follows meanwhile.
pub fn offline() -> ExitCode {
    errln!(
        "error: --questions asks the open questions (docs/open-questions.md) of AWS's IAM policy simulator, \
         so it needs the live simulator: cargo xtask simulate --live --questions --account ACCOUNT_ID"
    );
    match load(&crate::project::path(DIR)) {
        Ok(questions) => {
            errln!(
                "the {} questions in {DIR}, and the reading the model follows meanwhile:",
                questions.len()
            );
            for q in &questions {
                let model = q.model_reading().map_or("?", |r| r.name.as_str());
                errln!("  {}: {} (model: {model})", q.id, q.question);
            }
        }
        Err(e) => errln!("error: {e}"),
    }
    ExitCode::from(2)
}

/// What the simulator's answer says about one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// AWS follows this reading; `agrees`: the model follows it too.
    Follows { reading: String, agrees: bool },
    /// AWS answered a decision neither reading gives.
    Neither(String),
    /// The simulator did not answer (refused the input, or failed).
    NoAnswer(String),
    /// The simulator cannot be asked this (a limitation of `SimulateCustomPolicy`).
    CannotAsk(String),
}

/// The verdict of one question from the simulator's answer.
pub fn verdict(q: &Question, answer: &Result<Answer, OracleError>) -> Verdict {
    match answer {
        Err(e) => Verdict::NoAnswer(e.to_string()),
        Ok(a) => match q.reading_for(a.decision.as_str()) {
            Some(r) => Verdict::Follows {
                reading: r.name.clone(),
                agrees: r.name == q.model,
            },
            None => Verdict::Neither(a.decision.as_str().to_string()),
        },
    }
}

/// Ask every question through `ask` (the live runner), print which reading AWS follows,
/// and fail when AWS contradicts the model's reading.
pub fn ask_live(
    ask: impl FnOnce(&[Query]) -> Vec<Result<Answer, OracleError>>,
    json: bool,
) -> Result<ExitCode, String> {
    let questions = load(&crate::project::path(DIR))?;
    let caps = Capabilities::simulator();
    let mut verdicts: Vec<Option<Verdict>> = Vec::new();
    let mut queries = Vec::new();
    for q in &questions {
        let query = q.query();
        match caps.check(&query) {
            Ok(()) => {
                queries.push(query);
                verdicts.push(None);
            }
            Err(u) => verdicts.push(Some(Verdict::CannotAsk(format!(
                "{} ({})",
                u.limitation, u.detail
            )))),
        }
    }
    let mut answers = ask(&queries).into_iter();
    let verdicts: Vec<Verdict> = questions
        .iter()
        .zip(verdicts)
        .map(|(q, v)| {
            v.unwrap_or_else(|| match answers.next() {
                Some(a) => verdict(q, &a),
                None => Verdict::NoAnswer("not asked (the call budget ran out)".into()),
            })
        })
        .collect();
    let contradicted = verdicts
        .iter()
        .filter(|v| {
            matches!(
                v,
                Verdict::Follows { agrees: false, .. } | Verdict::Neither(_)
            )
        })
        .count();
    if json {
        let rows: Vec<serde_json::Value> = questions
            .iter()
            .zip(&verdicts)
            .map(|(q, v)| json_row(q, v))
            .collect();
        outln!(
            "{}",
            serde_json::json!({ "questions": rows, "contradicting_the_model": contradicted })
        );
    } else {
        for (q, v) in questions.iter().zip(&verdicts) {
            print_row(q, v);
        }
        outln!(
            "{} questions: {contradicted} answered against the model's reading",
            questions.len()
        );
    }
    Ok(if contradicted == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn describe(v: &Verdict) -> String {
    match v {
        Verdict::Follows {
            reading,
            agrees: true,
        } => format!("AWS follows \"{reading}\", as the model does"),
        Verdict::Follows {
            reading,
            agrees: false,
        } => {
            format!(
                "AWS follows \"{reading}\" — the model does not: change the model and its cases"
            )
        }
        Verdict::Neither(d) => format!("AWS answers {d}, which neither reading gives"),
        Verdict::NoAnswer(why) => format!("no answer: {why}"),
        Verdict::CannotAsk(why) => {
            format!("the simulator cannot be asked this: {why}; the point stays open")
        }
    }
}

fn print_row(q: &Question, v: &Verdict) {
    outln!("{}: {}", q.id, q.question);
    for r in &q.readings {
        let model = if r.name == q.model {
            " (the model's reading)"
        } else {
            ""
        };
        outln!(
            "  \"{}\" -> {}{model}: {}",
            r.name,
            r.decision.as_str(),
            r.says
        );
    }
    outln!("  {}", describe(v));
}

fn json_row(q: &Question, v: &Verdict) -> serde_json::Value {
    let (answer, reading) = match v {
        Verdict::Follows { reading, .. } => ("follows", Some(reading.clone())),
        Verdict::Neither(_) => ("neither", None),
        Verdict::NoAnswer(_) => ("no-answer", None),
        Verdict::CannotAsk(_) => ("cannot-ask", None),
    };
    serde_json::json!({
        "id": q.id,
        "answer": answer,
        "reading": reading,
        "model": q.model,
        "detail": describe(v),
    })
}

/// The model's own answer to a question (the same path the live comparison uses).
#[cfg(test)]
pub fn model_answer(q: &Question) -> Result<Answer, OracleError> {
    iamcr_oracle::ModelOracle.answer_one(&q.query())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tests run in the package folder; the questions are in the workspace's corpus.
    fn dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(DIR)
    }

    fn questions() -> Vec<Question> {
        load(&dir()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_question_file_loads_and_keeps_the_rules() {
        let qs = questions();
        // The open points of docs/open-questions.md, one file each.
        assert!(qs.len() >= 6, "{} questions", qs.len());
    }

    #[test]
    fn the_model_follows_the_reading_each_question_says() {
        for q in questions() {
            let q = &q;
            let a = model_answer(q)
                .unwrap_or_else(|e| panic!("{}: the model cannot answer: {e}", q.id));
            assert_eq!(
                verdict(q, &Ok(a.clone())),
                Verdict::Follows {
                    reading: q.model.clone(),
                    agrees: true
                },
                "{}: the model answers {}",
                q.id,
                a.decision.as_str()
            );
        }
    }

    #[test]
    fn what_the_simulator_cannot_ask_is_stated() {
        let caps = Capabilities::simulator();
        let mut askable = 0;
        for q in questions() {
            let q = &q;
            let found = caps
                .check(&q.query())
                .err()
                .map(|u| u.limitation.to_string());
            assert_eq!(found, q.simulator_cannot, "{}", q.id);
            askable += usize::from(found.is_none());
        }
        assert!(
            askable >= 4,
            "only {askable} questions can be asked of the simulator"
        );
    }

    #[test]
    fn a_question_file_that_breaks_a_rule_is_refused_with_its_place() {
        let dir = std::env::temp_dir().join(format!("iamcr-questions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("q.json");
        std::fs::write(&file, "{\n  \"id\": \"q\",\n  \"oops\": 1\n}").unwrap();
        let e = load(&dir).unwrap_err();
        assert!(e.contains("q.json:3:"), "{e}");
        let good = questions().remove(0);
        let good_file = super::tests::dir().join(format!("{}.json", good.id));
        let mut same = good.clone();
        same.readings[1].decision = same.readings[0].decision;
        assert!(
            same.problems(&good_file)
                .iter()
                .any(|p| p.contains("same decision"))
        );
        let mut unnamed = good.clone();
        unnamed.model = "nobody".into();
        assert!(!unnamed.problems(&good_file).is_empty());
        assert!(good.problems(&good_file).is_empty());
        assert!(!good.problems(&dir.join("other-name.json")).is_empty());
        std::fs::remove_file(&file).unwrap();
        let empty = load(&dir).unwrap_err();
        assert!(empty.contains("no question files"), "{empty}");
        std::fs::remove_dir(&dir).unwrap();
    }

    #[test]
    fn verdicts_name_the_reading_aws_follows() {
        let q = questions().remove(0);
        let model = q.model_reading().unwrap().clone();
        let other = q
            .readings
            .iter()
            .find(|r| r.name != q.model)
            .unwrap()
            .clone();
        let answer = |d: &str| {
            let mut a = model_answer(&q).unwrap();
            a.decision = iamcr_oracle::Decision::parse(d).unwrap();
            a
        };
        assert_eq!(
            verdict(&q, &Ok(answer(other.decision.as_str()))),
            Verdict::Follows {
                reading: other.name.clone(),
                agrees: false
            }
        );
        assert_eq!(
            verdict(&q, &Ok(answer(model.decision.as_str()))),
            Verdict::Follows {
                reading: model.name.clone(),
                agrees: true
            }
        );
    }
}
