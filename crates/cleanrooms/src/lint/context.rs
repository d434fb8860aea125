//! What every rule needs: the policy, its text (for positions), the kind, the catalogue, and
//! the findings collected so far; plus element paths and the catalogue view of each
//! statement's actions.

use iamcr_policy::span::LineIndex;
use iamcr_policy::{Form, Policy, PolicyKind, Severity, Span, Spanned, Statement, Values};

use crate::catalogue::{Action, Catalogue};

/// A finding before it gets a line and column: positions are byte offsets into the text until
/// the end, so rules never count characters.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) severity: Severity,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) offset: u32,
    pub(crate) path: String,
    /// An Access Analyzer SECURITY_WARNING (grants more than meant) rather than a general one.
    pub(crate) security: bool,
}

/// The state shared by the rules of one run.
pub(crate) struct Ctx<'a> {
    pub(crate) text: &'a str,
    pub(crate) policy: &'a Policy,
    pub(crate) kind: PolicyKind,
    pub(crate) cat: &'a Catalogue,
    pub(crate) out: Vec<Raw>,
}

impl<'a> Ctx<'a> {
    /// Record a finding at `offset`.
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        offset: u32,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.out.push(Raw {
            severity,
            code,
            message: message.into(),
            offset,
            path: path.into(),
            security: false,
        });
    }

    /// Record a security warning (Access Analyzer's SECURITY_WARNING: the policy grants more
    /// than it probably means to) at `offset`.
    pub(crate) fn push_security(
        &mut self,
        code: &'static str,
        offset: u32,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, offset, path, message);
        if let Some(last) = self.out.last_mut() {
            last.security = true;
        }
    }

    /// Where a finding about the element at `span` points: the first character of a string's
    /// content (editors and `corpus/policies/index.json` count from there), else the start.
    pub(crate) fn at(&self, span: Span) -> u32 {
        value_offset(self.text, span)
    }

    /// The statements with their JSON paths.
    pub(crate) fn statements(&self) -> impl Iterator<Item = (String, &'a Spanned<Statement>)> {
        let single = self.policy.statement_form == Some(Form::Single);
        self.policy
            .statements
            .iter()
            .enumerate()
            .map(move |(i, st)| {
                let path = if single {
                    "Statement".to_string()
                } else {
                    format!("Statement[{i}]")
                };
                (path, st)
            })
    }
}

/// See [`Ctx::at`]; also used for the policy crate's diagnostics.
pub(crate) fn value_offset(text: &str, span: Span) -> u32 {
    let bytes = text.as_bytes();
    let (s, e) = (span.start as usize, span.end as usize);
    let is_string =
        e >= s + 2 && bytes.get(s) == Some(&b'"') && bytes.get(e.saturating_sub(1)) == Some(&b'"');
    if is_string {
        span.start + 1
    } else {
        span.start
    }
}

/// The 1-based position of `offset` in `text`.
pub(crate) fn position(lines: &LineIndex, text: &str, offset: u32) -> (u32, u32) {
    let p = lines.position(text, offset);
    (p.line, p.column)
}

/// Path of item `i` of an element written as one value or a list: `Statement[0].Action[2]`,
/// or `Statement[0].Action` for a bare string.
pub(crate) fn item_path(base: &str, element: &str, values: &Values, i: usize) -> String {
    match values.form {
        Form::Single => format!("{base}.{element}"),
        Form::List => format!("{base}.{element}[{i}]"),
    }
}

/// One `Action`/`NotAction` value and what the catalogue makes of it.
#[derive(Debug)]
pub(crate) struct ActionValue<'c> {
    /// The pattern as written, with its span.
    pub(crate) value: Spanned<String>,
    /// The JSON path of the value.
    pub(crate) path: String,
    /// Whether the service prefix is catalogued (always true for `*`).
    pub(crate) known_service: bool,
    /// The catalogued actions the pattern matches.
    pub(crate) actions: Vec<&'c Action>,
}

/// The action values of a statement's `Action` (not `NotAction`) element; `None` when the
/// statement has no `Action` element (or has `NotAction`).
pub(crate) fn action_values<'c>(
    cat: &'c Catalogue,
    st: &Statement,
    path: &str,
) -> Option<Vec<ActionValue<'c>>> {
    let block = st.action.as_ref()?;
    if block.value.negated {
        return None;
    }
    Some(describe_actions(cat, &block.value.values, path, "Action"))
}

/// Catalogue view of every value of an action element.
pub(crate) fn describe_actions<'c>(
    cat: &'c Catalogue,
    values: &Values,
    path: &str,
    element: &str,
) -> Vec<ActionValue<'c>> {
    values
        .items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let known_service = v.value == "*"
                || v.value
                    .split_once(':')
                    .is_some_and(|(prefix, _)| cat.service(prefix).is_some());
            ActionValue {
                value: v.clone(),
                path: item_path(path, element, values, i),
                known_service,
                actions: cat.expand_action_pattern(&v.value),
            }
        })
        .collect()
}

/// Whether a wildcard pattern (IAM action or ARN glob, `*` and `?`) matches `text`; action
/// names compare case-insensitively, so callers lower-case both for actions.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    iamcr_policy::wildcard::matches(pattern, text)
}

/// Whether an element's values include exactly `*`.
pub(crate) fn has_star(values: &Values) -> bool {
    values.iter().any(|v| v == "*")
}
