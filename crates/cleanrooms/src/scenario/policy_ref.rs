//! A policy named in a scenario file: a corpus policy by name, an inline document, or exact
//! text. Each is read while the scenario file is read, from its exact text in the file, so
//! that a policy that does not parse (or that the model cannot compile) is an error at the
//! offending token in the scenario file: `FILE:LINE:COLUMN: MESSAGE (policy text
//! LINE:COLUMN)`, the wording of case files (`iamcr_policy::embed`).

use crate::policies;
use iamcr_policy::embed::{Embedded, Fault};
use iamcr_policy::json::{self, Kind};
use iamcr_policy::{Diagnostic, Policy, Span};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::fmt;

/// Where a scenario's policy came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyOrigin {
    /// A corpus policy (`corpus/policies/index.json` name), written as a bare string or
    /// `{"name": "…"}`.
    Named(String),
    /// A policy document written inline as a JSON object (it must have a `Statement`).
    Inline,
    /// Exact policy text, written as `{"text": "…"}` (where whitespace or invalid JSON
    /// matter).
    Text,
}

impl fmt::Display for PolicyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyOrigin::Named(n) => write!(f, "corpus policy {n}"),
            PolicyOrigin::Inline => f.write_str("inline policy"),
            PolicyOrigin::Text => f.write_str("policy text"),
        }
    }
}

/// A policy of a scenario, read and ready to evaluate.
#[derive(Debug, Clone)]
pub struct PolicyRef {
    /// Where it came from.
    pub origin: PolicyOrigin,
    /// The policy.
    pub policy: Policy,
    /// Where its text is written in the scenario file, when it was read from one by
    /// [`super::Scenario::from_json`] (a corpus policy by name has none).
    pub place: Option<Embedded>,
}

impl PolicyRef {
    /// A corpus policy by its `index.json` name; an error when there is no such policy or
    /// it does not parse (some seed policies are defective on purpose).
    pub fn named(name: &str) -> Result<PolicyRef, String> {
        let Some(p) = policies::policy(name) else {
            return Err(format!(
                "no corpus policy is named {name:?} (names are those of corpus/policies/index.json, \
                 e.g. \"managed-AWSCleanRoomsFullAccess\")"
            ));
        };
        match p.parsed {
            Ok(policy) => Ok(PolicyRef {
                origin: PolicyOrigin::Named(name.to_string()),
                policy,
                place: None,
            }),
            Err(diags) => Err(format!(
                "corpus policy {name:?} (corpus/policies/{}) does not parse: {}",
                p.file,
                first_error(&diags)
            )),
        }
    }

    /// Exact policy text.
    pub fn text(text: &str) -> Result<PolicyRef, String> {
        PolicyRef::read(PolicyOrigin::Text, text, None)
    }

    /// An inline policy document given as JSON text (an object with a `Statement`), read
    /// exactly as written.
    pub fn inline(document: &str) -> Result<PolicyRef, String> {
        PolicyRef::read(PolicyOrigin::Inline, document, None)
    }

    fn read(
        origin: PolicyOrigin,
        text: &str,
        place: Option<Embedded>,
    ) -> Result<PolicyRef, String> {
        match iamcr_policy::parse(text) {
            Ok(policy) => Ok(PolicyRef {
                origin,
                policy,
                place,
            }),
            Err(diags) => {
                let what = format!("{origin} does not parse");
                let fault = match diags.first() {
                    Some(d) => Fault::diagnostic(&what, d),
                    None => Fault {
                        message: what,
                        at: None,
                    },
                };
                Err(placed_fault(place, &fault))
            }
        }
    }
}

fn first_error(diags: &[Diagnostic]) -> String {
    match diags.first() {
        Some(d) => d.to_string(),
        None => "no diagnostic given".to_string(),
    }
}

/// What [`super::Scenario::from_json`] is reading: the text's address range, so that a
/// policy read from it knows where it is written; and the first error of a policy with a
/// place, for the error to name that place.
struct Reading {
    start: usize,
    len: usize,
    fault: Option<PlacedError>,
}

/// An error about a policy, its place (where the policy is written, and the byte of its text
/// at fault) and its message.
#[derive(Debug, Clone)]
pub(crate) struct PlacedError {
    pub place: Embedded,
    pub offset: u32,
    pub message: String,
}

thread_local! {
    static READING: RefCell<Option<Reading>> = const { RefCell::new(None) };
}

/// While alive, policies deserialized from `text` (borrowed, as `serde_json::from_str`
/// does) know their place in it.
pub(crate) struct ReadingGuard {
    previous: Option<Reading>,
}

impl ReadingGuard {
    pub(crate) fn start(text: &str) -> ReadingGuard {
        let reading = Reading {
            start: text.as_ptr() as usize,
            len: text.len(),
            fault: None,
        };
        ReadingGuard {
            previous: READING.with(|r| r.replace(Some(reading))),
        }
    }

    /// The first error recorded with a place.
    pub(crate) fn fault(&self) -> Option<PlacedError> {
        READING.with(|r| r.borrow().as_ref().and_then(|r| r.fault.clone()))
    }
}

impl Drop for ReadingGuard {
    fn drop(&mut self) {
        READING.with(|r| r.replace(self.previous.take()));
    }
}

/// The offset of `slice` in the text being read, when it is a part of it.
fn offset_in_reading(slice: &str) -> Option<u32> {
    let at = slice.as_ptr() as usize;
    READING.with(|r| {
        let r = r.borrow();
        let r = r.as_ref()?;
        let offset = at.checked_sub(r.start)?;
        (offset + slice.len() <= r.len)
            .then(|| u32::try_from(offset).ok())
            .flatten()
    })
}

/// The message of a fault of a policy written at `place`; the first one with a place in the
/// policy text is recorded so that the error can name the place in the file.
pub(crate) fn placed_fault(place: Option<Embedded>, fault: &Fault) -> String {
    let message = fault.to_string();
    match (place, fault.at) {
        (Some(place), Some((offset, _))) => placed(place, offset, message),
        _ => message,
    }
}

/// `message`, recorded (when it is the first) as an error at byte `offset` of the text
/// written at `place`.
fn placed(place: Embedded, offset: u32, message: String) -> String {
    READING.with(|r| {
        if let Some(r) = r.borrow_mut().as_mut()
            && r.fault.is_none()
        {
            r.fault = Some(PlacedError {
                place,
                offset,
                message: message.clone(),
            });
        }
    });
    message
}

const EXPECTING: &str = "a corpus policy name, {\"name\": NAME}, {\"text\": POLICY TEXT} or a \
                         policy document object with a \"Statement\"";

impl<'de> Deserialize<'de> for PolicyRef {
    /// Reads the policy's exact text, borrowed from the JSON input (so a scenario is read
    /// from text: `serde_json::from_str` or [`super::Scenario::from_json`]).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PolicyRef, D::Error> {
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        from_raw(text, offset_in_reading(text)).map_err(de::Error::custom)
    }
}

/// A policy reference from its JSON text `raw`, written at offset `at` of the file.
fn from_raw(raw: &str, at: Option<u32>) -> Result<PolicyRef, String> {
    let parsed = json::parse(raw);
    let Some(value) = parsed.value.filter(|_| parsed.errors.is_empty()) else {
        return Err(format!("invalid JSON, expected {EXPECTING}"));
    };
    let place = |span: Span, as_string: bool| {
        at.map(|at| Embedded {
            span: Span {
                start: at + span.start,
                end: at + span.end,
            },
            as_string,
        })
    };
    let members = match &value.kind {
        // A name that names no policy, or a corpus policy that does not parse: at the name.
        Kind::String(name) => {
            return PolicyRef::named(name).map_err(|e| match place(value.span, true) {
                Some(at) => placed(at, 0, e),
                None => e,
            });
        }
        Kind::Object(members) => members,
        other => {
            return Err(format!(
                "invalid type: {}, expected {EXPECTING}",
                other.describe()
            ));
        }
    };
    let only = |key: &str| members.len() == 1 && members[0].key == key;
    if only("name") || only("text") {
        let m = &members[0];
        let Kind::String(s) = &m.value.kind else {
            return Err(format!("{:?} must be a string", m.key));
        };
        return if m.key == "name" {
            PolicyRef::named(s)
        } else {
            PolicyRef::read(PolicyOrigin::Text, s, place(m.value.span, true))
        };
    }
    // A misspelt {"name": …} must not become an empty inline policy that silently allows
    // nothing: an inline document has to say what its statements are.
    if !members.iter().any(|m| m.key == "Statement") {
        return Err(format!(
            "expected {}; this object has neither \"name\", \"text\" nor \"Statement\" (members: {})",
            "a corpus policy name, {\"name\": NAME}, {\"text\": TEXT} or a policy document",
            members
                .iter()
                .map(|m| m.key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    PolicyRef::read(PolicyOrigin::Inline, raw, place(value.span, false))
}
