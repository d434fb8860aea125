//! Compiling policies for evaluation: everything that does not depend on the request is
//! done once — lower-cased action patterns, wildcard tokens, parsed numbers, dates, CIDRs.

use crate::condition::Condition;
use crate::pattern::{Mode, Pattern};
use crate::request::Request;
use iamcr_policy::{
    Effect, OperatorName, Policy, Position, PrincipalBlock, Source, Span, Statement,
};
use index::{Index, keyed};
pub use reuse::Earlier;
use std::fmt;
use std::sync::Arc;

mod index;
mod reuse;

/// Which policy of a [`crate::PolicySet`] a statement is in: the vocabulary crate's
/// [`iamcr_case::PolicySlot`] (`identity[0]`, `boundary`, `scp[1][0]`, …).
pub use iamcr_case::PolicySlot as PolicyRef;

/// Policy types, in the order AWS evaluates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyType {
    /// Resource control policies.
    Rcp,
    /// Service control policies.
    Scp,
    /// The resource-based policy.
    Resource,
    /// Identity-based policies.
    Identity,
    /// The permissions boundary.
    Boundary,
    /// Session policies.
    Session,
}

impl PolicyType {
    /// The type of the policy in `slot`.
    pub fn of(slot: PolicyRef) -> PolicyType {
        match slot {
            PolicyRef::Identity(_) => PolicyType::Identity,
            PolicyRef::Boundary => PolicyType::Boundary,
            PolicyRef::Session(_) => PolicyType::Session,
            PolicyRef::Scp(..) => PolicyType::Scp,
            PolicyRef::Rcp(..) => PolicyType::Rcp,
            PolicyRef::Resource => PolicyType::Resource,
        }
    }
    /// Every type, in evaluation order.
    pub const ALL: [PolicyType; 6] = [
        PolicyType::Rcp,
        PolicyType::Scp,
        PolicyType::Resource,
        PolicyType::Identity,
        PolicyType::Boundary,
        PolicyType::Session,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Rcp => "rcp",
            PolicyType::Scp => "scp",
            PolicyType::Resource => "resource",
            PolicyType::Identity => "identity",
            PolicyType::Boundary => "boundary",
            PolicyType::Session => "session",
        }
    }
}

/// A policy the evaluator cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The policy.
    pub policy: PolicyRef,
    /// The statement, when one is at fault.
    pub statement: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// The bytes of the policy text at fault (the `Effect` value, the operator, or the
    /// statement) and where they start, when the policy was read from text.
    pub at: Option<(Span, Position)>,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.statement {
            Some(s) => write!(f, "{} statement {s}: {}", self.policy, self.message),
            None => write!(f, "{}: {}", self.policy, self.message),
        }
    }
}

impl std::error::Error for CompileError {}

impl CompileError {
    /// The error as a fault of the policy text, to be placed in the file the policy was
    /// written in (`policy identity[0] cannot be evaluated: statement 0: …`).
    pub fn fault(&self) -> iamcr_policy::embed::Fault {
        let statement = self
            .statement
            .map(|s| format!("statement {s}: "))
            .unwrap_or_default();
        iamcr_policy::embed::Fault {
            message: format!(
                "policy {} cannot be evaluated: {statement}{}",
                self.policy, self.message
            ),
            at: self.at.map(|(span, pos)| (span.start, pos)),
        }
    }
}

/// A compiled statement: what it says ([`StatementRules`], shared), and its Sid and place.
#[derive(Debug, Clone)]
pub struct CompiledStatement {
    /// Index in its policy.
    pub index: usize,
    /// `Sid`.
    pub sid: Option<Arc<str>>,
    /// Where the statement is written, and its positions when the text is known.
    pub span: Span,
    /// Start position.
    pub start: Option<Position>,
    /// End position.
    pub end: Option<Position>,
    /// What the statement says. Shared: statements equal but for their Sid and place have
    /// the same rules, and [`crate::Authorizer::compile_policy_reusing`] gives a rewritten
    /// policy's statements the rules compiled for the ones they equal.
    pub rules: Arc<StatementRules>,
}

/// What a statement says, compiled: a function of the statement without its Sid and of the
/// policy's version (which enables policy variables) alone — neither the Sid, nor the
/// statement's index, nor where it is written goes in (the principal block is kept as
/// written; its values' spans are not read). Hence rules compiled for one statement serve
/// every statement equal to it but for those.
#[derive(Debug)]
pub struct StatementRules {
    /// `Allow` (true) or `Deny`.
    pub allow: bool,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalBlock>,
    /// Action patterns.
    pub actions: Vec<Pattern>,
    /// `NotAction`.
    pub actions_negated: bool,
    /// Resource patterns (`None`: no Resource element — trust policies).
    pub resources: Option<Vec<Pattern>>,
    /// `NotResource`.
    pub resources_negated: bool,
    /// Conditions (all must hold).
    pub conditions: Vec<Condition>,
}

/// A compiled policy. It does not know its place in a set (an [`crate::Authorizer`]'s
/// references are positions), so one compiled policy can serve several sets.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// Its statements.
    pub statements: Vec<CompiledStatement>,
    /// Whether the policy's version enables policy variables: rules compiled with them serve
    /// only a policy that agrees.
    variables: bool,
    /// Statements (not `NotAction`) with an exact action pattern, by that lower-case action.
    exact: Index,
    /// By service: the statements (not `NotAction`) with a wildcard pattern limited to that
    /// service, merged in order with `any_service` — so a request walks at most two lists.
    wild: Index,
    /// Statements that can match any service (`*`, wildcard vendors, `NotAction`).
    pub(crate) any_service: Vec<usize>,
}

/// The Sid a statement has in a [`CompiledPolicy::rearranged`] policy.
#[derive(Debug, Clone)]
pub enum Sid {
    /// The statement's own.
    Kept,
    /// Another, or none.
    Set(Option<Arc<str>>),
}

impl CompiledPolicy {
    /// The policy whose statements are this one's at `arrangement`'s indices (in any order,
    /// repeated or left out), each with the Sid given: what compiling that policy's text
    /// gives, without compiling — a statement's rules depend on neither its Sid nor its
    /// place, and its span and positions are where it is written, which a rearrangement of
    /// the same statements keeps. Only the statement index is built. `None` when an index
    /// is not one of this policy's statements.
    pub fn rearranged(
        &self,
        arrangement: impl IntoIterator<Item = (usize, Sid)>,
    ) -> Option<CompiledPolicy> {
        let statements = arrangement
            .into_iter()
            .enumerate()
            .map(|(index, (from, sid))| {
                let st = self.statements.get(from)?;
                Some(CompiledStatement {
                    index,
                    sid: match sid {
                        Sid::Kept => st.sid.clone(),
                        Sid::Set(sid) => sid,
                    },
                    rules: Arc::clone(&st.rules),
                    ..*st
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let (exact, wild, any_service) = index(&statements);
        Some(CompiledPolicy {
            statements,
            variables: self.variables,
            exact,
            wild,
            any_service,
        })
    }
}

impl CompiledPolicy {
    /// The statements whose actions can match `action` (lower-case, of service `service`),
    /// in order: those naming it exactly, those with a wildcard for its service, and those
    /// that can match any service. Every other statement cannot apply to the request.
    ///
    /// Out of line: inlined, it grew the statement scan past the size at which the compiler
    /// still inlines [`Pattern::matches`] there, and evaluation lost more than it saved.
    #[inline(never)]
    pub(crate) fn candidates(&self, request: &Request) -> Candidates<'_> {
        let (action, action_hash) = request.action_keyed();
        let (service, service_hash) = request.service_keyed();
        Candidates {
            lists: [
                self.exact.get(action, action_hash).unwrap_or_default(),
                self.wild
                    .get(service, service_hash)
                    .unwrap_or(&self.any_service),
            ],
        }
    }
}

/// The sorted union of two sorted lists of statement indices: those that name the action
/// exactly, then the others that may match it.
pub(crate) struct Candidates<'a> {
    lists: [&'a [usize]; 2],
}

impl Iterator for Candidates<'_> {
    /// A statement index, and whether the statement names the action exactly (then its
    /// actions need no matching).
    type Item = (usize, bool);
    fn next(&mut self) -> Option<(usize, bool)> {
        let next = self.lists.iter().filter_map(|l| l.first()).min().copied()?;
        let exact = self.lists[0].first() == Some(&next);
        for l in &mut self.lists {
            if l.first() == Some(&next) {
                *l = &l[1..];
            }
        }
        Some((next, exact))
    }
}

/// Compile one policy. `resource_optional`: the resource-policy slot, where a trust policy
/// has no `Resource` element (the role is the resource). `earlier`: a policy compiled
/// before, whose rules a statement equal to one of its statements but for the Sid takes
/// instead of being compiled (see [`Earlier`]).
pub fn compile(
    policy: &Policy,
    reference: PolicyRef,
    resource_optional: bool,
    earlier: Option<Earlier<'_>>,
) -> Result<CompiledPolicy, CompileError> {
    let variables = policy.variables_enabled();
    let earlier = earlier.filter(|e| e.variables() == variables);
    // Where each statement starts and ends, found together (see `Source::positions`).
    let positions = policy.source.as_ref().map(|source| {
        let offsets: Vec<u32> = policy
            .statements
            .iter()
            .flat_map(|st| [st.span.start, st.span.end])
            .collect();
        source.positions(&offsets)
    });
    let mut statements = Vec::with_capacity(policy.statements.len());
    for (index, st) in policy.statements.iter().enumerate() {
        let at = |i: usize| {
            positions
                .as_ref()
                .and_then(|p| p.get(2 * index + i).copied())
        };
        let written = Written {
            span: st.span,
            source: policy.source.as_ref(),
            start: at(0),
            end: at(1),
        };
        let reused = earlier.and_then(|e| e.statement_like(&st.value, index, resource_optional));
        statements.push(match reused {
            Some(like) => placed(
                &st.value,
                written,
                index,
                Arc::clone(&like.rules),
                like.sid.as_ref(),
            ),
            None => compile_statement(
                &st.value,
                written,
                reference,
                index,
                variables,
                resource_optional,
            )?,
        });
    }
    let (exact, wild, any_service) = index(&statements);
    Ok(CompiledPolicy {
        statements,
        variables,
        exact,
        wild,
        any_service,
    })
}

/// The statement index of a policy: by exact action, by service, and the statements that
/// can match any service.
fn index(statements: &[CompiledStatement]) -> (Index, Index, Vec<usize>) {
    // (key, statement) pairs with keys borrowed from the patterns, gathered in one list
    // each: the index copies each distinct key once.
    let patterns = statements.iter().map(|st| st.rules.actions.len()).sum();
    let mut exact = Vec::with_capacity(patterns);
    let mut wild = Vec::with_capacity(patterns);
    let mut any_service = Vec::new();
    for st in statements {
        let (index, st) = (st.index, &*st.rules);
        // A statement is listed by key only when every one of its patterns is limited to a
        // service: one `*`-vendor pattern (`*`, `*:Get*`, `s?:*`) can match any action.
        let limited = st.actions.iter().all(|p| p.action_service().is_some());
        if st.actions_negated || !limited {
            any_service.push(index);
            continue;
        }
        for p in &st.actions {
            match (p.exact_text(), p.action_service()) {
                (Some(action), _) => exact.push(keyed(action, index)),
                (None, Some(service)) => wild.push(keyed(service, index)),
                (None, None) => {}
            }
        }
    }
    (
        Index::build(exact, &[]),
        Index::build(wild, &any_service),
        any_service,
    )
}

/// Where a statement is written.
struct Written<'a> {
    span: Span,
    /// The policy text, when the policy was read from one.
    source: Option<&'a Source>,
    start: Option<Position>,
    end: Option<Position>,
}

fn compile_statement(
    st: &Statement,
    Written {
        span,
        source,
        start,
        end,
    }: Written<'_>,
    reference: PolicyRef,
    index: usize,
    variables: bool,
    resource_optional: bool,
) -> Result<CompiledStatement, CompileError> {
    // Where a problem is: the element at fault, or the statement.
    let err_at = |message: String, at: Span| CompileError {
        policy: reference,
        statement: Some(index),
        message,
        at: source.map(|s| (at, s.position(at.start))),
    };
    let err = |message: String| err_at(message, span);
    let allow = match st.effect.as_ref() {
        Some(e) => match &e.value {
            Effect::Allow => true,
            Effect::Deny => false,
            Effect::Other(s) => {
                return Err(err_at(
                    format!("Effect must be \"Allow\" or \"Deny\", not {s:?}"),
                    e.span,
                ));
            }
        },
        None => return Err(err("the statement has no Effect".into())),
    };
    let Some(action) = &st.action else {
        return Err(err("the statement has no Action or NotAction".into()));
    };
    let actions: Vec<Pattern> = action.value.values.iter().map(Pattern::action).collect();
    let resources = match &st.resource {
        Some(r) => Some(
            r.value
                .values
                .iter()
                .map(|v| Pattern::new(v, Mode::ResourceElement, variables))
                .collect(),
        ),
        None if resource_optional => None,
        None => return Err(err("the statement has no Resource or NotResource".into())),
    };
    let mut conditions = Vec::with_capacity(st.condition.as_ref().map_or(0, |c| {
        c.value.operators.iter().map(|op| op.keys.len()).sum()
    }));
    if let Some(c) = &st.condition {
        for op in &c.value.operators {
            let operator = match &op.operator.value {
                OperatorName::Known(o) => *o,
                OperatorName::Unknown(name) if op.keys.is_empty() => {
                    // IAM accepts an unknown operator with no keys; it tests nothing.
                    let _ = name;
                    continue;
                }
                OperatorName::Unknown(name) => {
                    return Err(err_at(
                        format!("unknown condition operator {name:?}"),
                        op.operator.span,
                    ));
                }
            };
            for k in &op.keys {
                conditions.push(Condition::new(
                    operator,
                    &k.key.value,
                    k.values.value.items.iter().map(|v| &v.value),
                    variables,
                ));
            }
        }
    }
    let rules = StatementRules {
        allow,
        principal: st.principal.as_ref().map(|p| p.value.clone()),
        actions,
        actions_negated: action.value.negated,
        resources,
        resources_negated: st.resource.as_ref().is_some_and(|r| r.value.negated),
        conditions,
    };
    Ok(placed(
        st,
        Written {
            span,
            source,
            start,
            end,
        },
        index,
        Arc::new(rules),
        None,
    ))
}

/// Statement `st`, at `index` and written where `written` says, with its compiled `rules`.
/// `earlier_sid`: the Sid of the statement the rules were compiled for, shared when `st`'s
/// is the same text.
fn placed(
    st: &Statement,
    written: Written<'_>,
    index: usize,
    rules: Arc<StatementRules>,
    earlier_sid: Option<&Arc<str>>,
) -> CompiledStatement {
    let sid = st.sid.as_ref().map(|s| match earlier_sid {
        Some(same) if **same == *s.value => Arc::clone(same),
        _ => s.value.as_str().into(),
    });
    CompiledStatement {
        index,
        sid,
        span: written.span,
        start: written.start,
        end: written.end,
        rules,
    }
}
