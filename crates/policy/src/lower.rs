//! JSON → policy AST, with the shape errors IAM reports as "Syntax errors in policy.".
//!
//! Lowering never stops at the first problem: an element of the wrong type is reported and
//! left out, and lowering carries on, so that [`crate::check`] can report everything.
//! Element names are case-sensitive, as in the IAM grammar (`"effect"` is an unknown
//! element, not `Effect`).

use crate::Code;
use crate::ast::*;
use crate::diag::{Diagnostic, Stage, messages};
use crate::json;
use crate::operator::Operator;
use crate::span::{Span, Spanned};
use std::borrow::Cow;

/// The policy reader's JSON: strings borrowed from the text unless they had escapes, so that
/// only the strings the policy keeps are copied (`into_owned`), not keys or `"Allow"`.
type Value<'t> = json::Value<Cow<'t, str>>;
type Kind<'t> = json::Kind<Cow<'t, str>>;
type Member<'t> = json::Member<Cow<'t, str>>;

/// Where an element is, as a JSON path (`Statement[1].Condition.StringLike`). Built on the
/// stack and rendered only when a diagnostic needs it: most elements are fine, and
/// formatting a path for each of them cost as much as reading the JSON.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Statement(Option<usize>),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Statement(None) => f.write_str("Statement"),
            Path::Statement(Some(i)) => write!(f, "Statement[{i}]"),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(parent, k) => write!(f, "{parent}.{k}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Which members repeat an earlier member's key ("Individual elements must not contain
/// multiple instances of the same key", IAM policy grammar).
enum Duplicates {
    /// Up to 16 members (every policy element): a bit per member, found by comparing each
    /// key with the ones before it — no allocation for the objects every statement is.
    Few(u16),
    /// More members: a flag per member, found with a hash set (linear).
    Many(Vec<bool>),
}

impl Duplicates {
    fn of(members: &[Member]) -> Duplicates {
        if members.len() <= 16 {
            let mut bits = 0u16;
            for (i, m) in members.iter().enumerate() {
                if members[..i].iter().any(|p| p.key == m.key) {
                    bits |= 1 << i;
                }
            }
            Duplicates::Few(bits)
        } else {
            let mut seen = std::collections::HashSet::with_capacity(members.len());
            Duplicates::Many(members.iter().map(|m| !seen.insert(&*m.key)).collect())
        }
    }

    /// Whether member `i` repeats an earlier key.
    fn at(&self, i: usize) -> bool {
        match self {
            Duplicates::Few(bits) => i < 16 && bits & (1 << i) != 0,
            Duplicates::Many(flags) => flags.get(i).copied().unwrap_or(false),
        }
    }
}

/// Lower a JSON document into a policy, appending diagnostics to `diags`; `None` when the
/// document is not a JSON object (nothing else can be checked then).
pub(crate) fn lower_document(doc: Value, diags: &mut Vec<Diagnostic>) -> Option<Policy> {
    let mut policy = Policy {
        version: None,
        id: None,
        statements: Vec::new(),
        statement_form: None,
        source: None,
    };
    let span = doc.span;
    let Kind::Object(members) = doc.kind else {
        // A string's span is its content; the document starts at its quote.
        let whole = match doc.kind {
            Kind::String(_) => {
                Span::new(span.start.saturating_sub(1) as usize, span.end as usize + 1)
            }
            _ => span,
        };
        diags.push(syntax(Code::NotAnObject, whole, "").with_detail(format!(
            "a policy is a JSON object, found {}",
            doc.kind.describe()
        )));
        return None;
    };
    let dup = Duplicates::of(&members);
    let has_statement = members.iter().any(|m| m.key == "Statement");
    for (i, m) in members.into_iter().enumerate() {
        if dup.at(i) {
            diags.push(duplicate_key(&m, &Path::Root));
            continue;
        }
        match &*m.key {
            "Version" => {
                match m.value.kind {
                    Kind::String(s) => {
                        let v = Version::from_text(&s);
                        if let Version::Other(_) = v {
                            diags.push(syntax(Code::UnknownVersion, m.value.span, "Version").with_detail(
                            format!("Version must be \"2012-10-17\" or \"2008-10-17\", found {s:?}"),
                        ));
                        }
                        policy.version = Some(Spanned::new(v, m.value.span));
                    }
                    other => diags.push(wrong_type(
                        m.value.span,
                        &Path::Key(&Path::Root, "Version"),
                        "a string",
                        &other,
                    )),
                }
            }
            "Id" => match m.value.kind {
                Kind::String(s) => policy.id = Some(Spanned::new(s.into_owned(), m.value.span)),
                other => diags.push(wrong_type(
                    m.value.span,
                    &Path::Key(&Path::Root, "Id"),
                    "a string",
                    &other,
                )),
            },
            "Statement" => {
                let (form, stmts) = match m.value.kind {
                    Kind::Object(_) => (Form::Single, vec![m.value]),
                    Kind::Array(items) => {
                        if items.is_empty() {
                            diags.push(
                                syntax(Code::EmptyStatement, m.value.span, "Statement")
                                    .with_detail("Statement is an empty array"),
                            );
                        }
                        (Form::List, items)
                    }
                    other => {
                        diags.push(wrong_type(
                            m.value.span,
                            &Path::Key(&Path::Root, "Statement"),
                            "an object or an array of objects",
                            &other,
                        ));
                        continue;
                    }
                };
                policy.statement_form = Some(form);
                for (i, s) in stmts.into_iter().enumerate() {
                    let path = match form {
                        Form::Single => Path::Statement(None),
                        Form::List => Path::Statement(Some(i)),
                    };
                    if let Some(st) = lower_statement(s, &path, diags) {
                        policy.statements.push(st);
                    }
                }
            }
            other => diags.push(syntax(Code::UnknownElement, m.key_span, other).with_detail(
                format!("unknown top-level element {other:?} (allowed: Version, Id, Statement)"),
            )),
        }
    }
    if policy.statement_form.is_none() && !has_statement {
        diags.push(
            // The span covers the document: the error is about all of it.
            syntax(Code::MissingStatement, span, "")
                .with_detail("the policy has no Statement element"),
        );
    }
    Some(policy)
}

fn lower_statement(
    v: Value,
    path: &Path<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<Statement>> {
    let span = v.span;
    let Kind::Object(members) = v.kind else {
        diags.push(wrong_type(span, path, "an object", &v.kind));
        return None;
    };
    let mut st = Statement::default();
    let dup = Duplicates::of(&members);
    let has_effect = members.iter().any(|m| m.key == "Effect");
    for (i, m) in members.into_iter().enumerate() {
        if dup.at(i) {
            diags.push(duplicate_key(&m, path));
            continue;
        }
        let key = &*m.key;
        let elem_path = Path::Key(path, key);
        match key {
            "Sid" => match m.value.kind {
                Kind::String(s) => st.sid = Some(Spanned::new(s.into_owned(), m.value.span)),
                other => diags.push(wrong_type(m.value.span, &elem_path, "a string", &other)),
            },
            "Effect" => match m.value.kind {
                Kind::String(s) => {
                    let effect = match &*s {
                        "Allow" => Effect::Allow,
                        "Deny" => Effect::Deny,
                        _ => Effect::Other(s.into_owned()),
                    };
                    st.effect = Some(Spanned::new(effect, m.value.span));
                }
                other => diags.push(wrong_type(m.value.span, &elem_path, "a string", &other)),
            },
            "Action" | "NotAction" => {
                if let Some(values) = lower_values(m.value, &elem_path, diags) {
                    let block = ActionBlock {
                        negated: key == "NotAction",
                        values: values.value,
                    };
                    if st.action.is_some() {
                        diags.push(both(m.key_span, &elem_path, "Action", "NotAction"));
                    } else {
                        st.action = Some(Spanned::new(block, m.key_span.join(values.span)));
                    }
                }
            }
            "Resource" | "NotResource" => {
                if let Some(values) = lower_values_allowing_null(m.value, &elem_path, diags) {
                    let block = ResourceBlock {
                        negated: key == "NotResource",
                        values: values.value,
                    };
                    if st.resource.is_some() {
                        diags.push(both(m.key_span, &elem_path, "Resource", "NotResource"));
                    } else {
                        st.resource = Some(Spanned::new(block, m.key_span.join(values.span)));
                    }
                }
            }
            "Principal" | "NotPrincipal" => {
                let negated = key == "NotPrincipal";
                if let Some(value) = lower_principal(m.value, &elem_path, diags) {
                    if st.principal.is_some() {
                        diags.push(both(m.key_span, &elem_path, "Principal", "NotPrincipal"));
                    } else {
                        st.principal = Some(Spanned::new(
                            PrincipalBlock {
                                negated,
                                value: value.value,
                            },
                            m.key_span.join(value.span),
                        ));
                    }
                }
            }
            "Condition" => {
                if let Some(c) = lower_condition(m.value, &elem_path, diags) {
                    st.condition = Some(Spanned::new(c.value, m.key_span.join(c.span)));
                }
            }
            other => diags.push(
                syntax(Code::UnknownElement, m.key_span, elem_path.to_string()).with_detail(
                    format!(
                        "unknown statement element {other:?} (allowed: Sid, Effect, Principal, \
                     NotPrincipal, Action, NotAction, Resource, NotResource, Condition)"
                    ),
                ),
            ),
        }
    }
    // A missing Effect is a shape error in IAM ("Syntax errors in policy."); missing actions
    // and resources are reported later, by validation, with their own messages.
    if !has_effect {
        diags.push(
            syntax(
                Code::MissingEffect,
                Span::point(span.start as usize),
                path.to_string(),
            )
            .with_detail("the statement has no Effect element"),
        );
    }
    Some(Spanned::new(st, span))
}

/// A string or an array of strings.
fn lower_values(v: Value, path: &Path<'_>, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Values>> {
    lower_string_list(v, path, false, diags)
}

/// Like [`lower_values`], but `null` array items are dropped with a warning: IAM accepts
/// `"Resource": ["arn:…", null]` (recorded CreatePolicy behaviour, moto corpus valid #41).
fn lower_values_allowing_null(
    v: Value,
    path: &Path<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<Values>> {
    lower_string_list(v, path, true, diags)
}

fn lower_string_list(
    v: Value,
    path: &Path<'_>,
    allow_null: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<Values>> {
    let span = v.span;
    match v.kind {
        Kind::String(s) => Some(Spanned::new(
            Values {
                items: vec![Spanned::new(s.into_owned(), span)],
                form: Form::Single,
            },
            span,
        )),
        Kind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.into_iter().enumerate() {
                match item.kind {
                    Kind::String(s) => out.push(Spanned::new(s.into_owned(), item.span)),
                    Kind::Null if allow_null => diags.push(
                        Diagnostic::error(
                            Code::NullValue,
                            Stage::Lint,
                            "null in a list of resources is ignored",
                            item.span,
                            Path::Index(path, i).to_string(),
                        )
                        .with_severity(crate::diag::Severity::Warning),
                    ),
                    other => {
                        ok = false;
                        diags.push(wrong_type(
                            item.span,
                            &Path::Index(path, i),
                            "a string",
                            &other,
                        ));
                    }
                }
            }
            ok.then(|| {
                Spanned::new(
                    Values {
                        items: out,
                        form: Form::List,
                    },
                    span,
                )
            })
        }
        other => {
            diags.push(wrong_type(
                span,
                path,
                "a string or an array of strings",
                &other,
            ));
            None
        }
    }
}

fn lower_principal(
    v: Value,
    path: &Path<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<PrincipalValue>> {
    let span = v.span;
    match v.kind {
        Kind::String(s) if s == "*" => Some(Spanned::new(PrincipalValue::Wildcard, span)),
        Kind::String(s) => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidPrincipal,
                    Stage::Principal,
                    messages::INVALID_PRINCIPAL,
                    span,
                    path.to_string(),
                )
                .with_detail(format!(
                    "a bare string principal must be \"*\"; found {s:?} (write {{\"AWS\": {s:?}}})"
                )),
            );
            None
        }
        Kind::Object(members) => {
            let mut entries = Vec::with_capacity(members.len());
            let dup = Duplicates::of(&members);
            for (i, m) in members.into_iter().enumerate() {
                if dup.at(i) {
                    diags.push(duplicate_key(&m, path));
                    continue;
                }
                let kind = PrincipalKind::from_key(&m.key);
                let entry_path = Path::Key(path, &m.key);
                if let PrincipalKind::Other(k) = &kind {
                    diags.push(
                        Diagnostic::error(
                            Code::UnknownPrincipalType,
                            Stage::Principal,
                            messages::INVALID_PRINCIPAL,
                            m.key_span,
                            entry_path.to_string(),
                        )
                        .with_detail(format!(
                            "unknown principal type {k:?} (allowed: AWS, Service, Federated, CanonicalUser)"
                        )),
                    );
                }
                if let Some(values) = lower_values(m.value, &entry_path, diags) {
                    entries.push(PrincipalEntry {
                        kind: Spanned::new(kind, m.key_span),
                        values: values.value,
                    });
                }
            }
            Some(Spanned::new(PrincipalValue::Map(entries), span))
        }
        other => {
            diags.push(wrong_type(span, path, "\"*\" or an object", &other));
            None
        }
    }
}

fn lower_condition(
    v: Value,
    path: &Path<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<ConditionBlock>> {
    let span = v.span;
    let Kind::Object(members) = v.kind else {
        diags.push(wrong_type(span, path, "an object", &v.kind));
        return None;
    };
    let mut block = ConditionBlock::default();
    let dup = Duplicates::of(&members);
    for (i, m) in members.into_iter().enumerate() {
        if dup.at(i) {
            diags.push(duplicate_key(&m, path));
            continue;
        }
        let op_path = Path::Key(path, &m.key);
        let name = match m.key.parse::<Operator>() {
            Ok(op) => OperatorName::Known(op),
            Err(()) => OperatorName::Unknown(m.key.to_string()),
        };
        let Kind::Object(keys) = m.value.kind else {
            diags.push(wrong_type(
                m.value.span,
                &op_path,
                "an object",
                &m.value.kind,
            ));
            continue;
        };
        if let OperatorName::Unknown(op) = &name {
            // IAM (and the moto emulator) accept an unknown operator only with no keys.
            if !keys.is_empty() {
                diags.push(
                    syntax(Code::UnknownOperator, m.key_span, op_path.to_string())
                        .with_detail(format!("unknown condition operator {op:?}")),
                );
            }
        }
        let mut entry = ConditionOperator {
            operator: Spanned::new(name, m.key_span),
            keys: Vec::with_capacity(keys.len()),
        };
        let dup = Duplicates::of(&keys);
        for (i, k) in keys.into_iter().enumerate() {
            if dup.at(i) {
                diags.push(duplicate_key(&k, &op_path));
                continue;
            }
            let key_path = Path::Key(&op_path, &k.key);
            if let Some(values) = lower_condition_values(k.value, &key_path, diags) {
                entry.keys.push(ConditionKey {
                    key: Spanned::new(k.key.into_owned(), k.key_span),
                    values,
                });
            }
        }
        block.operators.push(entry);
    }
    Some(Spanned::new(block, span))
}

fn lower_condition_values<'t>(
    v: Value<'t>,
    path: &Path<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<ConditionValues>> {
    let span = v.span;
    let scalar = |kind: Kind<'t>| match kind {
        Kind::String(s) => Ok(ConditionValue::String(s.into_owned())),
        Kind::Number(n) => Ok(ConditionValue::Number(n.into_owned())),
        Kind::Bool(b) => Ok(ConditionValue::Bool(b)),
        other => Err(other),
    };
    match v.kind {
        Kind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.into_iter().enumerate() {
                match scalar(item.kind) {
                    Ok(cv) => out.push(Spanned::new(cv, item.span)),
                    Err(other) => {
                        ok = false;
                        diags.push(wrong_type(
                            item.span,
                            &Path::Index(path, i),
                            "a string, number or boolean",
                            &other,
                        ));
                    }
                }
            }
            ok.then(|| {
                Spanned::new(
                    ConditionValues {
                        items: out,
                        form: Form::List,
                    },
                    span,
                )
            })
        }
        kind => match scalar(kind) {
            Ok(cv) => Some(Spanned::new(
                ConditionValues {
                    items: vec![Spanned::new(cv, span)],
                    form: Form::Single,
                },
                span,
            )),
            Err(other) => {
                diags.push(wrong_type(
                    span,
                    path,
                    "a string, number, boolean or an array of them",
                    &other,
                ));
                None
            }
        },
    }
}

/// The diagnostic for a repeated key.
fn duplicate_key(m: &Member, path: &Path<'_>) -> Diagnostic {
    syntax(
        Code::DuplicateKey,
        m.key_span,
        Path::Key(path, &m.key).to_string(),
    )
    .with_detail(format!("duplicate key {:?}", m.key))
}

fn syntax(code: Code, span: Span, path: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, Stage::Syntax, messages::SYNTAX, span, path)
}

fn wrong_type(span: Span, path: &Path<'_>, expected: &str, found: &Kind) -> Diagnostic {
    let path = path.to_string();
    let what = if path.is_empty() {
        "the policy".to_string()
    } else {
        path.clone()
    };
    syntax(Code::WrongType, span, path).with_detail(format!(
        "{what} must be {expected}, found {}",
        found.describe()
    ))
}

fn both(span: Span, path: &Path<'_>, a: &str, b: &str) -> Diagnostic {
    syntax(Code::ConflictingElements, span, path.to_string())
        .with_detail(format!("a statement cannot have both {a} and {b}"))
}
