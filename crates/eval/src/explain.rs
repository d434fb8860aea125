//! Explanations: for every statement, whether it applied and, if not, which element failed
//! and why (which condition key, which values).

use crate::compile::{CompiledStatement, PolicyRef};
use crate::condition::{Condition, Outcome};
use crate::decide::Observer;
use crate::evaluation::{Evaluation, NotApplied};
use crate::principal::Grant;
use crate::request::Request;
use iamcr_policy::Position;
use std::fmt::Write;

/// What happened to one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementTrace {
    /// Its policy.
    pub policy: PolicyRef,
    /// Its index.
    pub statement: usize,
    /// Its Sid.
    pub sid: Option<std::sync::Arc<str>>,
    /// Allow or Deny.
    pub allow: bool,
    /// Where it starts.
    pub start: Option<Position>,
    /// Applied (with how a resource policy named the requester) or why not.
    pub result: Result<Option<Grant>, NotApplied>,
    /// Why, in words (for statements that did not apply: the failing element).
    pub why: String,
}

/// An evaluation with a trace of every statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// Every statement, in the order evaluated.
    pub statements: Vec<StatementTrace>,
}

/// An observer that records statement traces.
pub(crate) struct Tracer<'a> {
    pub request: &'a Request,
    pub traces: Vec<StatementTrace>,
    /// The outcomes of the conditions of the statement being evaluated, in the statement's
    /// order: a failing one is described (formatted) only when its statement's trace is
    /// written, since most evaluated conditions hold or belong to statements that apply.
    outcomes: Vec<Outcome>,
}

impl<'a> Tracer<'a> {
    pub(crate) fn new(request: &'a Request) -> Tracer<'a> {
        Tracer {
            request,
            traces: Vec::new(),
            outcomes: Vec::new(),
        }
    }
}

/// `{operator} {{{key:?}: {written:?}}} is {holds} (request value: {values:?}…)`, written
/// piece by piece (see [`push_debug`]).
fn describe_condition(c: &Condition, o: &Outcome, request: &Request) -> String {
    let mut out = String::with_capacity(128);
    let _ = write!(out, "{} {{", c.operator);
    push_debug(&mut out, c.key());
    out.push_str(": ");
    push_debug_list(&mut out, c.written());
    out.push_str("} is ");
    out.push_str(if o.holds { "true" } else { "false" });
    out.push_str(" (request value: ");
    match request.lookup(c.key_lower()) {
        Some(e) => push_debug_list(&mut out, e.values.iter().map(String::as_str)),
        None => out.push_str("absent"),
    }
    if o.missing {
        out.push_str(", key not in the request");
    }
    out.push(')');
    out
}

/// Append `s` as `{:?}` writes it. Printable ASCII other than `"` and `\` is written as it
/// is, in quotes — what the formatter writes for it, without its per-character escape test,
/// which was most of the cost of a trace; anything else goes through the formatter.
fn push_debug(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        let _ = write!(out, "{s:?}");
    }
}

/// Append a list of strings as `{:?}` writes a `Vec` of them: `["a", "b"]`.
fn push_debug_list<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_debug(out, item);
    }
    out.push(']');
}

/// `head` followed by `s` as `{:?}` writes it.
fn with_debug(head: &str, s: &str) -> String {
    let mut out = String::with_capacity(head.len() + s.len() + 2);
    out.push_str(head);
    push_debug(&mut out, s);
    out
}

impl Observer for Tracer<'_> {
    fn wants_every_statement(&self) -> bool {
        true
    }

    fn condition(&mut self, _p: PolicyRef, _s: usize, _c: &Condition, o: &Outcome) {
        self.outcomes.push(o.clone());
    }

    fn statement(
        &mut self,
        policy: PolicyRef,
        st: &CompiledStatement,
        result: &Result<Option<Grant>, NotApplied>,
    ) {
        let req = self.request;
        let why = match result {
            Ok(None) => "applies".to_string(),
            Ok(Some(g)) => format!("applies; the Principal names {}", g.describe()),
            Err(NotApplied::Action) => with_debug("Action does not match ", &req.action),
            Err(NotApplied::NotAction(i)) => {
                let mut why = with_debug("NotAction lists ", &req.action);
                let _ = write!(why, " (pattern #{i})");
                why
            }
            Err(NotApplied::Resource { unresolved }) if !unresolved.is_empty() => {
                let mut why = with_debug("Resource does not match ", &req.resource);
                why.push_str("; policy variables without a value: ");
                why.push_str(&unresolved.join(", "));
                why
            }
            Err(NotApplied::Resource { .. }) => {
                with_debug("Resource does not match ", &req.resource)
            }
            Err(NotApplied::NotResource(i)) => {
                let mut why = with_debug("NotResource lists ", &req.resource);
                let _ = write!(why, " (pattern #{i})");
                why
            }
            Err(NotApplied::Principal) => {
                format!("Principal does not name {}", req.principal.describe())
            }
            Err(NotApplied::NotPrincipal) => {
                format!("NotPrincipal exempts {}", req.principal.describe())
            }
            Err(NotApplied::Condition(i)) => {
                // The conditions were reported in the statement's order.
                let failing: Vec<String> = st
                    .rules
                    .conditions
                    .iter()
                    .zip(&self.outcomes)
                    .filter(|(_, o)| !o.holds)
                    .map(|(c, o)| describe_condition(c, o, req))
                    .collect();
                match failing.first() {
                    Some(_) => format!("Condition fails: {}", failing.join("; ")),
                    None => format!("Condition #{i} fails"),
                }
            }
        };
        self.outcomes.clear();
        self.traces.push(StatementTrace {
            policy,
            statement: st.index,
            sid: st.sid.clone(),
            allow: st.rules.allow,
            start: st.start,
            result: result.clone(),
            why,
        });
    }
}

impl Explanation {
    /// Render for a person.
    pub fn render(&self, request: &Request) -> String {
        let e = &self.evaluation;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} on {}",
            request.principal.describe(),
            request.action,
            request.resource
        );
        let _ = writeln!(out, "decision: {}", e.decision);
        let _ = writeln!(out, "because {}.", e.reason);
        if !e.matched.is_empty() {
            let _ = writeln!(out, "deciding statements:");
            for m in &e.matched {
                let _ = writeln!(
                    out,
                    "  {} statement {}{}{}",
                    m.policy,
                    m.statement,
                    m.sid
                        .as_ref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default(),
                    m.start.map(|p| format!(" at {p}")).unwrap_or_default()
                );
            }
        }
        if !e.details.is_empty() {
            let _ = writeln!(out, "by policy type:");
            for (t, d) in &e.details {
                let _ = writeln!(out, "  {:<8} {d}", t.as_str());
            }
        }
        if !e.missing_context.is_empty() {
            let _ = writeln!(
                out,
                "missing context keys: {}",
                e.missing_context.join(", ")
            );
        }
        let _ = writeln!(out, "statements:");
        for t in &self.statements {
            let _ = writeln!(
                out,
                "  {} statement {}{} [{}]{}: {}",
                t.policy,
                t.statement,
                t.sid
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
                if t.allow { "Allow" } else { "Deny" },
                t.start.map(|p| format!(" at {p}")).unwrap_or_default(),
                t.why
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoting shortcut writes what `{:?}` writes, for texts it takes and texts it
    /// leaves to the formatter (quotes, backslashes, controls, non-ASCII, combining marks).
    #[test]
    fn debug_quoting_is_the_formatters() {
        let texts = [
            "",
            "cleanrooms:GetSchema",
            "arn:aws:s3:::b/k*?~ {}[]'`!",
            "say \"hi\"",
            "back\\slash",
            "tab\tnew\nline\r",
            "nul\0bell\u{7}del\u{7f}",
            "é ü ß",
            "e\u{301}",
            "\u{200b}zero width",
        ];
        for s in texts {
            let mut out = String::new();
            push_debug(&mut out, s);
            assert_eq!(out, format!("{s:?}"), "{s:?}");
        }
        let mut list = String::new();
        push_debug_list(&mut list, texts);
        assert_eq!(list, format!("{texts:?}"));
        let mut none = String::new();
        push_debug_list(&mut none, []);
        assert_eq!(none, format!("{:?}", Vec::<&str>::new()));
    }
}
