//! A per-engine file of known, documented deviations: differences between an engine's
//! answers and the expected ones (the corpus's, or the model's in a campaign) that are the
//! engine's documented behaviour, each with the AWS page that says which side is right.
//! A disagreement a deviation covers is counted as *deviated*, not as a failure; a deviation
//! that covers nothing in a run is reported as unused.
//!
//! The file is TOML (`engines/<name>/deviations.toml`):
//!
//! ```toml
//! engine = "iam-rs"
//!
//! [[deviation]]
//! id = "no-ip-address-operators"
//! summary = "IpAddress conditions never match"
//! supported = "model"            # which side the AWS documentation supports: model | engine,
//!                                # or open-question (the page leaves it open; give `question`)
//! doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress"
//! cases = ["operators-ip-*"]     # corpus case ids (`*` and `?` wildcards)
//! signatures = ["decision allowed->implicitDeny | *operator IpAddress*"]   # disagreement signatures
//! ```

use super::needs::{Need, needs};
use crate::compare::Difference;
use crate::query::{ErrorKind, OracleError, Query};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One deviation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineDeviation {
    /// Stable id (kebab-case).
    pub id: String,
    /// What differs, in a sentence.
    pub summary: String,
    /// Which side the AWS documentation supports: `model` or `engine` (an `engine` entry is
    /// the model's error, to be fixed), or `open-question`: the page leaves the point open,
    /// and `question` names the item of `docs/open-questions.md` that asks it.
    pub supported: String,
    /// The AWS documentation page that decides it (for an open question: the page that
    /// leaves it open).
    pub doc: String,
    /// For `supported = "open-question"`: the question's id (`corpus/questions/<id>.json`).
    #[serde(default)]
    pub question: Option<String>,
    /// Corpus case ids it covers (wildcards `*`, `?`).
    #[serde(default)]
    pub cases: Vec<String>,
    /// Disagreement signatures it covers (wildcards `*`, `?`).
    #[serde(default)]
    pub signatures: Vec<String>,
}

/// A deviation file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineDeviations {
    /// The engine's handshake name.
    pub engine: String,
    /// The deviations.
    #[serde(default, rename = "deviation")]
    pub deviations: Vec<EngineDeviation>,
    /// Where it was read from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl EngineDeviations {
    /// Read and check a deviation file; errors name the file (and the line where TOML says).
    pub fn read(path: &Path) -> Result<EngineDeviations, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut d =
            EngineDeviations::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        d.path = Some(path.to_path_buf());
        Ok(d)
    }

    /// Parse and check the text.
    pub fn parse(text: &str) -> Result<EngineDeviations, String> {
        let d: EngineDeviations =
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?;
        let mut seen = std::collections::BTreeSet::new();
        for x in &d.deviations {
            let bad = |why: &str| Err(format!("deviation {:?}: {why}", x.id));
            if !seen.insert(x.id.as_str()) {
                return bad("the id is used twice");
            }
            if !x.doc.starts_with("https://docs.aws.amazon.com/") {
                return bad(
                    "`doc` must be an AWS documentation page (https://docs.aws.amazon.com/…)",
                );
            }
            match (x.supported.as_str(), &x.question) {
                ("model" | "engine", None) => {}
                ("model" | "engine", Some(_)) => {
                    return bad("`question` is only for `supported = \"open-question\"`");
                }
                ("open-question", Some(q)) if is_question_id(q) => {}
                ("open-question", _) => {
                    return bad("an open question needs `question`, the id of its item in \
                         docs/open-questions.md (kebab-case)");
                }
                _ => {
                    return bad("`supported` must be \"model\", \"engine\" or \"open-question\"");
                }
            }
            if x.cases.is_empty() && x.signatures.is_empty() {
                return bad("it covers nothing: give `cases` or `signatures`");
            }
        }
        Ok(d)
    }

    /// The ids of the open questions entries name (to check that each exists).
    pub fn questions(&self) -> impl Iterator<Item = (&EngineDeviation, &str)> {
        self.deviations
            .iter()
            .filter_map(|d| d.question.as_deref().map(|q| (d, q)))
    }

    /// The deviation covering a disagreement on case `case` with signature `signature`.
    pub fn covering(&self, case: &str, signature: &str) -> Option<&EngineDeviation> {
        let glob = iamcr_policy::wildcard::matches;
        self.deviations.iter().find(|d| {
            d.cases.iter().any(|g| glob(g, case)) || d.signatures.iter().any(|g| glob(g, signature))
        })
    }

    /// The deviation covering query `q` (case `case`) whose answers differ in `differences`:
    /// one that names the case, or the signature of the first difference.
    pub fn explaining(
        &self,
        case: &str,
        q: &Query,
        differences: &[Difference],
    ) -> Option<&EngineDeviation> {
        let first = differences.first()?;
        self.covering(case, &signature(&difference_name(first), q))
    }

    /// The deviation covering the engine's failure to answer query `q` (case `case`).
    pub fn explaining_failure(
        &self,
        case: &str,
        _q: &Query,
        error: &OracleError,
    ) -> Option<&EngineDeviation> {
        self.covering(case, &failure_signature(case, error))
    }
}

/// A difference's name in a signature: `decision allowed->implicitDeny` (expected, then the
/// engine's), `matched`, `missing-context`.
pub fn difference_name(d: &Difference) -> String {
    match d {
        Difference::Decision { model, simulator } => format!("decision {model}->{simulator}"),
        Difference::Matched { .. } => "matched".to_string(),
        Difference::MissingContext { .. } => "missing-context".to_string(),
    }
}

/// The signature of an engine's failure to answer case `case`: `engine-failure (…) | -` for
/// a protocol failure, `engine-error (…) | -` for an error reply, the message's shape between
/// the brackets (an error's message names its cause better than what the case needs).
pub fn failure_signature(case: &str, error: &OracleError) -> String {
    let what = if error.kind == ErrorKind::Engine {
        "engine-failure"
    } else {
        "engine-error"
    };
    let prefix = format!("case {case}: ");
    let message = error
        .message
        .strip_prefix(&prefix)
        .unwrap_or(&error.message);
    format!("{what} ({}) | -", error_shape(message))
}

/// An error message with its numbers (positions, indexes) and quoted parts blanked, so
/// that one cause is one signature: `identity[N]: … at line N column N`.
fn error_shape(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                if quoted {
                    out.push_str("\"…\"");
                }
            }
            _ if quoted => {}
            '0'..='9' => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('N');
            }
            _ => out.push(c),
        }
    }
    out
}

/// A question id: kebab-case, as the files of `corpus/questions/` are named.
fn is_question_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A disagreement's signature: what differs, then everything the (shrunk) case needs
/// (`decision allowed->implicitDeny | policy-type identity, principal user, operator
/// IpAddress`). Cases that differ the same way and need the same things are one group: after
/// shrinking, that is close to one root cause per group.
pub fn signature(difference: &str, q: &Query) -> String {
    let mut needs: Vec<String> = needs(q).iter().map(Need::reason).collect();
    // Not a need (any engine takes literal text), but a frequent cause: `${…}` in a policy
    // whose Version makes it literal text.
    let literal = q.policies.entries().iter().any(|(_, text)| {
        text.as_str().contains("${") && text.parsed().is_ok_and(|p| !p.variables_enabled())
    });
    if literal {
        needs.push("variables-as-literal-text".to_string());
    }
    needs.extend(super::marks::marks(q).into_iter().map(str::to_string));
    format!("{difference} | {}", needs.join(", "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    const FILE: &str = r#"
engine = "x"
[[deviation]]
id = "ip"
summary = "IpAddress never matches"
supported = "model"
doc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
cases = ["operators-ip-*"]
signatures = ["decision * | *operator IpAddress*"]
"#;

    #[test]
    fn deviations_cover_by_case_glob_or_signature_glob() {
        let d = EngineDeviations::parse(FILE).unwrap();
        assert_eq!(d.covering("operators-ip-1", "anything").unwrap().id, "ip");
        assert!(
            d.covering("operators-string-1", "decision a->b | operator IpAddress")
                .is_some()
        );
        assert!(
            d.covering("operators-string-1", "decision a->b | operator StringLike")
                .is_none()
        );
    }

    #[test]
    fn a_deviation_without_an_aws_page_or_coverage_is_refused() {
        let no_doc = FILE.replace("https://docs.aws.amazon.com/", "https://example.com/");
        assert!(
            EngineDeviations::parse(&no_doc)
                .unwrap_err()
                .contains("AWS documentation")
        );
        let nothing = FILE
            .replace("cases = [\"operators-ip-*\"]\n", "")
            .replace("signatures = [\"decision * | *operator IpAddress*\"]\n", "");
        assert!(
            EngineDeviations::parse(&nothing)
                .unwrap_err()
                .contains("covers nothing")
        );
        let open = FILE.replace("supported = \"model\"", "supported = \"open-question\"");
        assert!(
            EngineDeviations::parse(&open)
                .unwrap_err()
                .contains("needs `question`")
        );
        let with_question = open.replace("doc =", "question = \"binaryequals-padding\"\ndoc =");
        let d = EngineDeviations::parse(&with_question).unwrap();
        assert_eq!(
            d.questions().map(|(_, q)| q).collect::<Vec<_>>(),
            ["binaryequals-padding"]
        );
        let stray = FILE.replace("doc =", "question = \"x\"\ndoc =");
        assert!(
            EngineDeviations::parse(&stray)
                .unwrap_err()
                .contains("only for")
        );
        let unknown = FILE.replace("summary", "sumary");
        assert!(
            EngineDeviations::parse(&unknown)
                .unwrap_err()
                .contains("sumary")
        );
    }
}
