//! Validation by policy kind: the rules AWS applies when a policy is stored, with AWS's own
//! messages, in AWS's order (see [`Stage`]).
//!
//! The rules, their sources and the choices made where AWS is not documented are listed in
//! `docs/validation.md`.

mod actions;
mod dates;
pub(crate) mod messages;
mod principals;
mod resources;
mod text;

use crate::Code;
use crate::PolicyKind;
use crate::ast::*;
use crate::diag::{Diagnostic, Severity, Stage, messages as iam, quoted};
use crate::operator::Family;
use crate::span::Span;
use messages::{KindMessages, ORG_GENERIC};

pub use text::policy_size;

/// The largest size the quota of `kind` allows.
pub(crate) fn quota_limit(kind: crate::PolicyKind) -> usize {
    text::quota(kind).limit
}

/// Validate a parsed policy as `kind`. Returns the problems that the AST shows; JSON and
/// shape problems are found while parsing (see [`crate::check`] for both together).
pub fn validate(policy: &Policy, kind: PolicyKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    validate_into(policy, kind, &mut out);
    out
}

/// [`validate`], adding to `out`: [`crate::check`] collects every stage's diagnostics in one
/// vector instead of appending one stage's vector to another's.
pub(crate) fn validate_into(policy: &Policy, kind: PolicyKind, out: &mut Vec<Diagnostic>) {
    let msgs = KindMessages::for_kind(kind);
    version(policy, kind, out);
    for (i, st) in policy.statements.iter().enumerate() {
        let path = statement_path(policy, i);
        effect(&st.value, st.span, kind, path, out);
        legacy_dates(&st.value, kind, &msgs, path, out);
    }
    sids(policy, kind, &msgs, out);
    for (i, st) in policy.statements.iter().enumerate() {
        let path = statement_path(policy, i);
        elements(&st.value, st.span, kind, &msgs, path, out);
    }
    presence(policy, kind, &msgs, out);
    if kind != PolicyKind::Trust {
        resources::check(policy, kind, out);
    }
    actions::check(policy, kind, out);
    if kind == PolicyKind::Trust {
        for (i, st) in policy.statements.iter().enumerate() {
            trust_rules(
                &st.value,
                st.span,
                statement_path(policy, i),
                policy.source.as_ref(),
                out,
            );
        }
    }
    if matches!(
        kind,
        PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Rcp
    ) {
        for (i, st) in policy.statements.iter().enumerate() {
            principal_values(&st.value, kind, statement_path(policy, i), out);
        }
    }
}

/// Text-level checks (characters, size) for `kind`. `whitespace`: the bytes of whitespace
/// between JSON tokens, when the reader split the whole text into tokens without an error.
pub(crate) fn validate_text(
    text: &str,
    kind: PolicyKind,
    whitespace: Option<usize>,
    out: &mut Vec<Diagnostic>,
) {
    text::check(text, kind, whitespace, out);
}

/// Give parse-time diagnostics the wording of `kind`'s service.
pub(crate) fn reword_parse_diagnostics(diags: &mut [Diagnostic], kind: PolicyKind, text: &str) {
    let msgs = KindMessages::for_kind(kind);
    for d in diags
        .iter_mut()
        .filter(|d| matches!(d.stage, Stage::Json | Stage::Syntax))
    {
        d.message = if d.stage == Stage::Json {
            msgs.json.into()
        } else if kind == PolicyKind::Resource {
            // The resource-policy parser family has its own words for these (DynamoDB probe
            // recorded 2026-10-09; docs/research/validation-messages.md §2.2).
            match d.code {
                Code::MissingEffect => "Missing required field Effect".into(),
                Code::EmptyStatement => "Could not parse the policy: Statement is empty!".into(),
                Code::MissingStatement => {
                    // `{}` → "Syntax error at position (1,3)": the position after the object.
                    let end = crate::span::positions_sorted(text, &[d.span.end])
                        .pop()
                        .unwrap_or_default();
                    format!("Syntax error at position ({},{})", end.line, end.column).into()
                }
                Code::NotAnObject if text.trim() == "null" => {
                    "This text appears not to be a policy".into()
                }
                Code::NotAnObject => msgs.json.into(),
                _ => msgs.syntax.into(),
            }
        } else {
            msgs.syntax.into()
        };
    }
    if matches!(kind, PolicyKind::Scp | PolicyKind::Rcp) {
        for d in diags.iter_mut() {
            if d.severity == Severity::Error && d.stage != Stage::Size {
                d.message = ORG_GENERIC.into();
            }
        }
    }
}

/// The JSON path of statement `i`, rendered only when a diagnostic needs it.
#[derive(Clone, Copy)]
pub(crate) struct StmtPath {
    single: bool,
    index: usize,
}

impl std::fmt::Display for StmtPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.single {
            f.write_str("Statement")
        } else {
            write!(f, "Statement[{}]", self.index)
        }
    }
}

impl StmtPath {
    /// The path of an element of the statement: `suffix` is e.g. `.Action`.
    pub(crate) fn join(self, suffix: &str) -> String {
        if self.single {
            let mut out = String::with_capacity("Statement".len() + suffix.len());
            out.push_str("Statement");
            out.push_str(suffix);
            out
        } else {
            crate::diag::indexed_path("Statement", self.index, suffix)
        }
    }
}

impl From<StmtPath> for String {
    fn from(p: StmtPath) -> String {
        p.join("")
    }
}

pub(crate) fn statement_path(policy: &Policy, i: usize) -> StmtPath {
    StmtPath {
        single: policy.statement_form == Some(Form::Single),
        index: i,
    }
}

fn version(policy: &Policy, kind: PolicyKind, out: &mut Vec<Diagnostic>) {
    let (span, found) = match &policy.version {
        Some(v) => (v.span, Some(&v.value)),
        None => (Span::point(0), None),
    };
    match kind {
        // Managed policies need 2012-10-17; inline and trust policies accept no Version
        // (processed as 2008-10-17) — docs/validation.md, "Version".
        PolicyKind::Identity | PolicyKind::Boundary
            if !matches!(found, Some(Version::V2012_10_17) | Some(Version::Other(_))) =>
        {
            out.push(
                Diagnostic::error(
                    Code::OldVersion,
                    Stage::Version,
                    iam::VERSION,
                    span,
                    "Version",
                )
                .with_detail(match found {
                    None => "the policy has no Version; a managed policy needs \
                                     \"Version\": \"2012-10-17\""
                        .to_string(),
                    Some(v) => format!("Version is {:?}", v.as_str()),
                }),
            );
        }
        PolicyKind::Scp | PolicyKind::Rcp if !matches!(found, Some(Version::V2012_10_17)) => {
            out.push(
                Diagnostic::error(
                    Code::OldVersion,
                    Stage::Version,
                    ORG_GENERIC,
                    span,
                    "Version",
                )
                .with_severity(Severity::Warning)
                .with_detail(
                    "AWS Organizations documents that every SCP and RCP includes \
                             \"Version\": \"2012-10-17\" (enforcement not verified)",
                ),
            );
        }
        _ => {}
    }
}

fn effect(
    st: &Statement,
    _span: Span,
    kind: PolicyKind,
    path: StmtPath,
    out: &mut Vec<Diagnostic>,
) {
    let Some(effect) = &st.effect else { return };
    let Effect::Other(text) = &effect.value else {
        return;
    };
    let case_variant = text.eq_ignore_ascii_case("allow") || text.eq_ignore_ascii_case("deny");
    let path = path.join(".Effect");
    let detail = format!("Effect must be exactly \"Allow\" or \"Deny\", found {text:?}");
    let d = if case_variant && kind.is_iam_document() {
        // IAM's first pass accepts any case; its legacy parser then rejects it.
        Diagnostic::error(
            Code::EffectCase,
            Stage::Legacy,
            iam::LEGACY,
            effect.span,
            path,
        )
    } else {
        let message = match kind {
            PolicyKind::Scp | PolicyKind::Rcp => ORG_GENERIC,
            _ => iam::SYNTAX,
        };
        Diagnostic::error(
            Code::InvalidEffect,
            Stage::Syntax,
            message,
            effect.span,
            path,
        )
    };
    out.push(d.with_detail(detail));
}

fn legacy_dates(
    st: &Statement,
    kind: PolicyKind,
    msgs: &KindMessages,
    path: StmtPath,
    out: &mut Vec<Diagnostic>,
) {
    let Some(cond) = &st.condition else { return };
    for op in &cond.value.operators {
        let OperatorName::Known(o) = &op.operator.value else {
            continue;
        };
        if o.base.family() != Family::Date {
            continue;
        }
        for key in &op.keys {
            for v in &key.values.value.items {
                let ok = match &v.value {
                    ConditionValue::Bool(_) => false,
                    other => dates::legacy_date_ok(&other.as_text()),
                };
                if ok {
                    continue;
                }
                let (stage, message) = if kind.is_iam_document() {
                    (Stage::Legacy, iam::LEGACY)
                } else {
                    (Stage::Condition, msgs.syntax)
                };
                out.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        stage,
                        message,
                        v.span,
                        format!("{path}.Condition.{}.{}", o, key.key.value),
                    )
                    .with_detail(format!(
                        "{:?} is not an ISO 8601 date or epoch seconds",
                        v.value.as_text()
                    )),
                );
            }
        }
    }
}

fn sids(policy: &Policy, kind: PolicyKind, msgs: &KindMessages, out: &mut Vec<Diagnostic>) {
    let enforce_charset =
        kind.is_iam_document() || matches!(kind, PolicyKind::Scp | PolicyKind::Rcp);
    // A hash set: a list searched per statement made this check quadratic in the number of
    // statements (3.1× the cost of parsing at 500 KB).
    let mut seen: std::collections::HashSet<&str> =
        std::collections::HashSet::with_capacity(policy.statements.len());
    for (i, st) in policy.statements.iter().enumerate() {
        let Some(sid) = &st.value.sid else { continue };
        let path = || statement_path(policy, i).join(".Sid");
        // Empty Sids may repeat (recorded IAM behaviour).
        if !sid.value.is_empty() && !seen.insert(sid.value.as_str()) {
            let mut d = Diagnostic::error(
                Code::DuplicateSid,
                Stage::Sid,
                msgs.sid_unique,
                sid.span,
                path(),
            )
            .with_detail(format!(
                "Sid {:?} is used by an earlier statement",
                sid.value
            ));
            if kind == PolicyKind::Resource {
                d = d.with_severity(Severity::Warning);
            }
            out.push(d);
        }
        if enforce_charset && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            let mut d = Diagnostic::error(
                Code::SidCharset,
                Stage::Sid,
                msgs.sid_charset,
                sid.span,
                path(),
            )
            .with_detail(format!(
                "Sid {:?} has characters other than A-Z, a-z, 0-9",
                sid.value
            ));
            // The uniqueness message comes first when both apply (IAM checks it first).
            d.order = u32::MAX / 2 + d.span.start;
            out.push(d);
        }
    }
}

fn elements(
    st: &Statement,
    span: Span,
    kind: PolicyKind,
    msgs: &KindMessages,
    path: StmtPath,
    out: &mut Vec<Diagnostic>,
) {
    let at = |s: Span, code, message: &'static str, detail: String, elem: &str| {
        Diagnostic::error(code, Stage::Elements, message, s, path.join(elem)).with_detail(detail)
    };
    match kind {
        PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp => {
            if let Some(p) = &st.principal {
                let name = if p.value.negated {
                    "NotPrincipal"
                } else {
                    "Principal"
                };
                out.push(at(
                    p.span,
                    Code::PrincipalNotAllowed,
                    msgs.principal_forbidden,
                    format!("{} policies cannot have {name}", kind),
                    &format!(".{name}"),
                ));
            }
        }
        PolicyKind::Resource => match &st.principal {
            None => out.push(at(
                Span::point(span.start as usize),
                Code::MissingPrincipal,
                msgs.no_principal,
                "a resource-based policy statement must have Principal or NotPrincipal".into(),
                "",
            )),
            Some(p)
                if p.value.negated
                    && matches!(st.effect.as_ref().map(|e| &e.value), Some(Effect::Allow)) =>
            {
                out.push(at(
                    p.span,
                    Code::NotprincipalWithAllow,
                    msgs.syntax,
                    "NotPrincipal can only be used with \"Effect\": \"Deny\"".into(),
                    ".NotPrincipal",
                ));
            }
            Some(_) => {}
        },
        PolicyKind::Rcp => rcp_elements(st, span, path, out),
        PolicyKind::Trust => {}
    }
}

/// RCP rules (AWS Organizations, RCP syntax): Principal `"*"` required, Deny only (the
/// AWS-managed `RCPFullAWSAccess` Allow-everything statement excepted), no NotPrincipal or
/// NotAction, no `"*"` action in customer statements.
fn rcp_elements(st: &Statement, span: Span, path: StmtPath, out: &mut Vec<Diagnostic>) {
    let mut push = |s: Span, code, detail: &str, elem: &str| {
        out.push(
            Diagnostic::error(code, Stage::Elements, ORG_GENERIC, s, path.join(elem))
                .with_detail(detail.to_string()),
        );
    };
    let full_access = matches!(st.effect.as_ref().map(|e| &e.value), Some(Effect::Allow))
        && matches!(&st.principal, Some(p) if !p.value.negated && p.value.value == PrincipalValue::Wildcard)
        && matches!(&st.action, Some(a) if !a.value.negated && a.value.values.iter().eq(["*"]))
        && matches!(&st.resource, Some(r) if !r.value.negated && r.value.values.iter().eq(["*"]))
        && st.condition.is_none();
    match &st.principal {
        None => push(
            Span::point(span.start as usize),
            Code::MissingPrincipal,
            "every RCP statement needs \"Principal\": \"*\"",
            "",
        ),
        Some(p) if p.value.negated => push(
            p.span,
            Code::PrincipalNotAllowed,
            "RCPs do not support NotPrincipal",
            ".NotPrincipal",
        ),
        Some(p) if p.value.value != PrincipalValue::Wildcard => push(
            p.span,
            Code::InvalidPrincipal,
            "the Principal of an RCP must be \"*\"",
            ".Principal",
        ),
        Some(_) => {}
    }
    if let Some(e) = &st.effect
        && e.value == Effect::Allow
        && !full_access
    {
        push(
            e.span,
            Code::InvalidEffect,
            "customer-managed RCP statements must use \"Effect\": \"Deny\"",
            ".Effect",
        );
    }
    if let Some(a) = &st.action {
        if a.value.negated {
            push(
                a.span,
                Code::NotactionNotAllowed,
                "RCPs do not support NotAction",
                ".NotAction",
            );
        } else if !full_access && a.value.values.iter().any(|v| v == "*") {
            push(
                a.span,
                Code::InvalidAction,
                "\"*\" is not allowed in the Action of a customer-managed RCP; name the service",
                ".Action",
            );
        }
    }
}

fn presence(policy: &Policy, kind: PolicyKind, msgs: &KindMessages, out: &mut Vec<Diagnostic>) {
    for (i, st) in policy.statements.iter().enumerate() {
        let path = statement_path(policy, i);
        let at = Span::point(st.span.start as usize);
        let empty_actions = st
            .value
            .action
            .as_ref()
            .is_none_or(|a| a.value.values.items.is_empty());
        if empty_actions {
            let span = st.value.action.as_ref().map_or(at, |a| a.span);
            out.push(
                Diagnostic::error(
                    Code::MissingAction,
                    Stage::ActionsPresent,
                    msgs.no_actions,
                    span,
                    path,
                )
                .with_detail("the statement has no Action or NotAction (or an empty list)"),
            );
        }
        if kind == PolicyKind::Trust {
            continue;
        }
        let empty_resources = st
            .value
            .resource
            .as_ref()
            .is_none_or(|r| r.value.values.items.is_empty());
        if empty_resources {
            let span = st.value.resource.as_ref().map_or(at, |r| r.span);
            out.push(
                Diagnostic::error(
                    Code::MissingResource,
                    Stage::ResourcesPresent,
                    msgs.no_resources,
                    span,
                    path,
                )
                .with_detail("the statement has no Resource or NotResource (or an empty list)"),
            );
        }
    }
}

/// Actions a role trust policy may name (IAM: "AssumeRole policy may only specify STS
/// AssumeRole actions"; TagSession, SetSourceIdentity and SetContext are documented for trust
/// policies).
const TRUST_ACTIONS: [&str; 6] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

/// The span of the `*` value that ends a `"Principal": "*"` element (the element's span
/// starts at its key; IAM's message names the value).
fn star_span(block: Span, source: Option<&Source>) -> Span {
    let end = block.end as usize;
    let is_star = source.is_some_and(|s| end >= 1 && s.text().get(end - 1..end) == Some("*"));
    if is_star {
        Span::new(end - 1, end)
    } else {
        block
    }
}

fn trust_rules(
    st: &Statement,
    span: Span,
    path: StmtPath,
    source: Option<&Source>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(r) = &st.resource {
        out.push(
            Diagnostic::error(
                Code::TrustResource,
                Stage::KindRules,
                messages::TRUST_RESOURCE,
                r.span,
                path.join(".Resource"),
            )
            .with_detail("a role trust policy names no resource: the role is the resource"),
        );
    }
    if let Some(a) = &st.action
        && !a.value.negated
    {
        for v in &a.value.values.items {
            let pattern = v.value.to_ascii_lowercase();
            let matches_family = TRUST_ACTIONS
                .iter()
                .any(|t| crate::wildcard::matches(&pattern, t));
            if !matches_family {
                out.push(
                    Diagnostic::error(
                        Code::TrustAction,
                        Stage::KindRules,
                        messages::TRUST_ACTIONS,
                        v.span,
                        path.join(".Action"),
                    )
                    .with_detail(
                        quoted(&v.value)
                            + " is not sts:AssumeRole, sts:AssumeRoleWithSAML, \
                               sts:AssumeRoleWithWebIdentity, sts:TagSession, \
                               sts:SetSourceIdentity or sts:SetContext",
                    ),
                );
            }
        }
    }
    match &st.principal {
        None => out.push(
            Diagnostic::error(Code::MissingPrincipal, Stage::KindRules, messages::TRUST_NO_PRINCIPAL, Span::point(span.start as usize), path)
                .with_detail("a trust policy statement must name who may assume the role"),
        ),
        Some(p) if p.value.negated => out.push(
            Diagnostic::error(Code::NotprincipalInTrust, Stage::KindRules, messages::TRUST_NO_PRINCIPAL, p.span, path.join(".NotPrincipal"))
                .with_detail("trust policies do not support NotPrincipal (the IAM text for this case is not verified)"),
        ),
        Some(p) if p.value.value == PrincipalValue::Wildcard => out.push(
            Diagnostic::error(Code::TrustPrincipalStar, Stage::KindRules, messages::TRUST_STAR, star_span(p.span, source), path.join(".Principal"))
                .with_detail("write {\"AWS\": \"*\"} (and restrict it with conditions) instead of \"*\""),
        ),
        Some(_) => {}
    }
}

fn principal_values(st: &Statement, kind: PolicyKind, path: StmtPath, out: &mut Vec<Diagnostic>) {
    let Some(p) = &st.principal else { return };
    let PrincipalValue::Map(entries) = &p.value.value else {
        return;
    };
    let name = if p.value.negated {
        "NotPrincipal"
    } else {
        "Principal"
    };
    for e in entries {
        for v in &e.values.items {
            let Some(why) = principals::value_error(&e.kind.value, &v.value) else {
                continue;
            };
            let message = match kind {
                PolicyKind::Trust => format!(
                    "Invalid principal in policy: \"{}\":\"{}\"",
                    e.kind.value.as_str().to_ascii_uppercase(),
                    v.value
                ),
                PolicyKind::Rcp | PolicyKind::Scp => ORG_GENERIC.to_string(),
                _ => iam::INVALID_PRINCIPAL.to_string(),
            };
            out.push(
                Diagnostic::error(
                    Code::InvalidPrincipal,
                    Stage::Principal,
                    message,
                    v.span,
                    format!("{path}.{name}.{}", e.kind.value.as_str()),
                )
                .with_detail(why),
            );
        }
    }
}
