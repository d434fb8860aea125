//! IAM policy language core: policy text → typed AST with source spans, validation per
//! policy kind with IAM's own messages, and a canonical printer.
//!
//! ```
//! use iamcr_policy::{check, PolicyKind};
//! let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3::bucket/*"}}"#;
//! let report = check(text, PolicyKind::Identity);
//! let first = &report.diagnostics[0];
//! assert_eq!(first.message, "The policy failed legacy parsing");
//! assert_eq!((first.start.line, first.start.column), (1, 91)); // the resource text
//! ```

pub mod ast;
pub mod diag;
pub mod embed;
pub mod json;

mod lower;
pub mod operator;
mod print;
pub mod span;
mod validate;
pub mod wildcard;
mod words;

pub use ast::*;
pub use diag::{Code, Diagnostic, Severity, Stage};
pub use iamcr_case::PolicyKind;
pub use operator::{BaseOperator, Family, Operator, SetQualifier};
pub use print::{compact_policy_size, print, print_compact};
pub use span::{Position, Span, Spanned};
pub use validate::{policy_size, validate};

/// Everything known about one policy text: the policy (when the text could be read as one)
/// and every diagnostic, ordered as IAM would report them (the first is IAM's answer).
#[derive(Debug, Clone)]
pub struct Report {
    /// The policy, unless the JSON could not be read at all.
    pub policy: Option<Policy>,
    /// Whether [`parse`] accepts the text: reading it gave a policy and no error (the kind's
    /// own rules aside). `policy` is then exactly what `parse` returns, so a caller that
    /// needs both need not read the text twice.
    pub parses: bool,
    /// Diagnostics, IAM's answer first.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether AWS accepts the policy (no error-severity diagnostic).
    pub fn is_valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The first error: the message IAM would answer with.
    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}

/// Read a policy: JSON syntax and document shape only, independent of policy kind.
///
/// Returns every problem found. A policy returned in `Ok` is well-formed enough to evaluate;
/// whether AWS accepts it as a particular kind of policy is answered by [`check`].
pub fn parse(text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let (policy, mut diags, _) = read(text);
    finish(text, &mut diags);
    match policy {
        Some(p) if !diags.iter().any(|d| d.severity == Severity::Error) => Ok(p),
        _ => Err(diags),
    }
}

/// [`parse`] for bytes, which must be UTF-8.
pub fn parse_bytes(bytes: &[u8]) -> Result<Policy, Vec<Diagnostic>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => Err(not_utf8(bytes, e)),
    }
}

/// The diagnostics for bytes that are not UTF-8, positioned in the valid text before the
/// first bad byte (positions count characters, and only that prefix has any).
fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> Vec<Diagnostic> {
    let (_, parsed) = json::parse_bytes(bytes);
    let mut diags = json_diagnostics(parsed.errors);
    let prefix = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
    set_positions(prefix, &mut diags);
    diags
}

/// Read and validate a policy as `kind`: every diagnostic, with positions, IAM's answer first.
pub fn check(text: &str, kind: PolicyKind) -> Report {
    let (policy, mut diagnostics, whitespace) = read(text);
    let parses = policy.is_some() && !diagnostics.iter().any(|d| d.severity == Severity::Error);
    validate::validate_text(text, kind, whitespace, &mut diagnostics);
    if let Some(p) = &policy {
        validate::validate_into(p, kind, &mut diagnostics);
    }
    drop_missing_when_mistyped(&mut diagnostics);
    validate::reword_parse_diagnostics(&mut diagnostics, kind, text);
    finish(text, &mut diagnostics);
    Report {
        policy,
        parses,
        diagnostics,
    }
}

/// An element written with the wrong type (`"Version": 2012`, `"Action": 5`) is reported as
/// such; the policy then reads as if the element were absent, and the "must contain" error
/// that follows would tell the user the element is missing when it is right there. Drop it.
fn drop_missing_when_mistyped(diags: &mut Vec<Diagnostic>) {
    // Every path a "missing" diagnostic would have to name to be about a mistyped element:
    // each mistyped path itself, and each of its prefixes that an index follows (the element
    // of a mistyped item, `Statement[0].Resource` for `Statement[0].Resource[1]`). A set, so
    // that this stays linear when thousands of statements are mistyped.
    let mut mistyped: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for d in diags.iter().filter(|d| d.code == Code::WrongType) {
        mistyped.insert(&d.path);
        for (at, _) in d.path.match_indices('[') {
            mistyped.insert(&d.path[..at]);
        }
    }
    if mistyped.is_empty() {
        return;
    }
    let mistyped: std::collections::HashSet<String> =
        mistyped.into_iter().map(str::to_string).collect();
    diags.retain(|d| {
        // The element a "missing" diagnostic is about, and where it would be.
        let (elements, parent): (&[&str], Option<&str>) = match d.code {
            Code::MissingVersion | Code::OldVersion => (&["Version"], None),
            Code::MissingEffect => (&["Effect"], Some(&d.path)),
            Code::MissingAction => (&["Action", "NotAction"], Some(&d.path)),
            Code::MissingResource => (&["Resource", "NotResource"], Some(&d.path)),
            Code::MissingPrincipal => (&["Principal", "NotPrincipal"], Some(&d.path)),
            _ => return true,
        };
        !elements.iter().any(|e| {
            let path = parent.map_or_else(|| (*e).to_string(), |p| format!("{p}.{e}"));
            // The element itself, or one of its items (`"Resource": ["arn:…", true]`).
            mistyped.contains(&path)
        })
    });
}

/// [`check`] for bytes, which must be UTF-8.
pub fn check_bytes(bytes: &[u8], kind: PolicyKind) -> Report {
    match std::str::from_utf8(bytes) {
        Ok(text) => check(text, kind),
        Err(e) => {
            let mut diagnostics = not_utf8(bytes, e);
            validate::reword_parse_diagnostics(&mut diagnostics, kind, "");
            Report {
                policy: None,
                parses: false,
                diagnostics,
            }
        }
    }
}

thread_local! {
    /// Policy texts read on this thread (see [`reads_on_this_thread`]).
    static READS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many policy texts [`parse`] and [`check`] have read into a tree on the calling
/// thread: "parse each policy once" is measured with it. Per thread, so that tests running
/// in parallel do not count each other's work; the cost is one thread-local add per read.
pub fn reads_on_this_thread() -> u64 {
    READS.with(std::cell::Cell::get)
}

/// JSON + lowering (positions are filled in by [`finish`]), and the bytes of whitespace
/// between tokens when the JSON had no error at all (see [`json::read_counting`]).
fn read(text: &str) -> (Option<Policy>, Vec<Diagnostic>, Option<usize>) {
    READS.with(|n| n.set(n.get() + 1));
    let (parsed, whitespace) = json::read_counting::<std::borrow::Cow<str>>(text);
    let mut diags = json_diagnostics(parsed.errors);
    let policy = parsed.value.and_then(|doc| {
        let mut p = lower::lower_document(doc, &mut diags)?;
        p.source = Some(Source::new(text));
        Some(p)
    });
    (policy, diags, whitespace)
}

fn json_diagnostics(errors: Vec<json::Error>) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|e| {
            let code = match e.kind {
                json::ErrorKind::TooLarge { .. } => Code::InputTooLarge,
                json::ErrorKind::TooDeep => Code::NestingTooDeep,
                json::ErrorKind::InvalidUtf8 => Code::InvalidUtf8,
                json::ErrorKind::Comment => Code::JsonComment,
                json::ErrorKind::TrailingComma => Code::JsonTrailingComma,
                _ => Code::JsonSyntax,
            };
            Diagnostic::error(code, Stage::Json, diag::messages::SYNTAX, e.span, "")
                .with_detail(e.describe())
        })
        .collect()
}

/// Fill in the start and end positions of `diags` from their spans into `text`.
fn set_positions(text: &str, diags: &mut [Diagnostic]) {
    let mut offsets: Vec<u32> = diags
        .iter()
        .flat_map(|d| [d.span.start, d.span.end])
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let positions = span::positions_sorted(text, &offsets);
    let at = |offset: u32| {
        offsets
            .binary_search(&offset)
            .ok()
            .and_then(|i| positions.get(i))
            .copied()
            .unwrap_or_default()
    };
    for d in diags.iter_mut() {
        d.start = at(d.span.start);
        d.end = at(d.span.end);
    }
}

/// Sort diagnostics into IAM's order and fill in positions.
fn finish(text: &str, diags: &mut [Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    set_positions(text, diags);
    // Stable sort: within a stage, the check's own order (source order unless the check
    // knows IAM reports another problem first).
    diags.sort_by_key(|d| (d.severity, d.stage, d.order));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mistyped element is reported as mistyped, not also as missing.
    #[test]
    fn a_mistyped_element_is_not_also_reported_missing() {
        let text = r#"{"Version": 2012, "Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}"#;
        let report = check(text, PolicyKind::Identity);
        let found: Vec<(Code, &str)> = report
            .diagnostics
            .iter()
            .map(|d| (d.code, d.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Code::WrongType, "Version"),
                (Code::WrongType, "Statement[0].Action")
            ]
        );
        // Absent elements are still reported missing.
        let report = check(
            r#"{"Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
            PolicyKind::Identity,
        );
        let codes: Vec<Code> = report.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&Code::OldVersion) && codes.contains(&Code::MissingAction),
            "{codes:?}"
        );
    }

    /// `Report::parses` says exactly whether `parse` accepts the text, whatever the kind.
    #[test]
    fn report_parses_agrees_with_parse() {
        let texts = [
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            // Valid to read, not valid as an identity policy (Principal), nor as a resource
            // policy (no Principal in the second).
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}"#,
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}"#,
            r#"{"Version":"2012-10-17","Statement":[]"#,
            "not json",
            "",
        ];
        for text in texts {
            let parsed = parse(text);
            for kind in PolicyKind::ALL {
                let report = check(text, kind);
                assert_eq!(report.parses, parsed.is_ok(), "{kind:?} {text}");
                if let Ok(p) = &parsed {
                    assert_eq!(report.policy.as_ref(), Some(p), "{kind:?} {text}");
                }
            }
        }
    }

    /// Past a quota the size comes from the whitespace the JSON reader skipped; it must equal
    /// `policy_size`, which tells strings from whitespace on its own, on texts with escaped
    /// quotes and backslashes, `\u` escapes, non-ASCII text, whitespace and `//` inside
    /// strings, and tabs and CRLF line ends between tokens.
    #[test]
    fn size_past_the_quota_counts_like_policy_size() {
        let statement = |i: usize, sep: &str, letter: &str| {
            format!(
                r#"{{{sep}"Sid":{sep}"S{i}",{sep}"Effect": "Allow",{sep}"Action":{sep}[ "s3:Get*" ,"s3:List\"x\\" ],{sep}"Resource":"arn:aws:s3:::b/{letter} {i}\t\\\\",{sep}"Condition":{{"StringEquals":{{"aws:username":[" a b ", "\u00e9//x"]}}}}{sep}}}"#
            )
        };
        let mut checked = 0;
        for sep in ["", " ", "\n  ", "\r\n\t", "  \t "] {
            for letter in ["é", "e"] {
                for n in [120, 400] {
                    let body: Vec<String> = (0..n).map(|i| statement(i, sep, letter)).collect();
                    let text = format!(
                        "{sep}{{\"Version\":{sep}\"2012-10-17\",{sep}\"Statement\":{sep}[{}]{sep}}}{sep}",
                        body.join(&format!(",{sep}"))
                    );
                    for kind in PolicyKind::ALL {
                        let report = check(&text, kind);
                        assert!(report.parses, "{:?}", report.first_error());
                        let (size, limit) = policy_size(&text, kind);
                        assert!(size > limit, "{kind:?}: {size} characters");
                        let detail = report
                            .diagnostics
                            .iter()
                            .find(|d| d.code == Code::PolicyTooLarge)
                            .and_then(|d| d.detail.as_deref())
                            .unwrap_or_default();
                        let expected = format!("the policy has {size} characters");
                        assert!(detail.starts_with(&expected), "{kind:?} {sep:?}: {detail}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 2 * 2 * PolicyKind::ALL.len());
    }

    /// Found by the `parse_policy` fuzz target: invalid UTF-8 got position 0:0.
    #[test]
    fn invalid_utf8_is_positioned_in_the_valid_prefix() {
        let bytes = b"{\n  \"Version\": \"\xe0\xdf\"}";
        let report = check_bytes(bytes, PolicyKind::Identity);
        let d = &report.diagnostics[0];
        assert_eq!(d.code, Code::InvalidUtf8);
        assert_eq!((d.start.line, d.start.column), (2, 15));
        let err = parse_bytes(bytes).unwrap_err();
        assert_eq!((err[0].start.line, err[0].start.column), (2, 15));
    }
}
