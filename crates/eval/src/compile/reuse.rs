//! Compiling a policy from statements compiled before: a statement's rules
//! ([`super::StatementRules`]) depend on neither its Sid nor its place, so a policy whose
//! statements equal earlier ones but for those (reordered, duplicated, renamed, printed and
//! parsed back) takes their rules and compiles only the statements that are new. The laws
//! rewrite every case's policies this way (issue #19: compiling them again was a third of
//! the laws' work).
//!
//! A statement takes rules only from a statement it equals in every element that compiling
//! reads — Effect, Principal, Action, Resource, Condition, compared as the policy AST
//! compares them (values, not where they are written) — and only when both policies enable
//! policy variables alike: a statement that differs in anything else is compiled afresh.

use super::{CompiledPolicy, CompiledStatement};
use iamcr_policy::{Effect, Policy, Statement};

/// A policy compiled before, beside the policy it was compiled from: the statements whose
/// rules [`crate::Authorizer::compile_policy_reusing`] may reuse.
#[derive(Debug, Clone, Copy)]
pub struct Earlier<'a> {
    policy: &'a Policy,
    compiled: &'a CompiledPolicy,
}

impl<'a> Earlier<'a> {
    /// `compiled`, compiled from `policy` (for any slot). `None` when it cannot have been:
    /// another number of statements, or a statement whose Sid or Effect is not its compiled
    /// statement's, or another policy version as far as variables go (a pair that passes is
    /// still the caller's word: the rules are taken on it).
    pub fn new(policy: &'a Policy, compiled: &'a CompiledPolicy) -> Option<Earlier<'a>> {
        let paired = policy.statements.len() == compiled.statements.len()
            && policy.variables_enabled() == compiled.variables
            && policy
                .statements
                .iter()
                .zip(&compiled.statements)
                .all(|(st, c)| {
                    let sid = st.value.sid.as_ref().map(|s| s.value.as_str());
                    let allow = st.value.effect.as_ref().map(|e| &e.value) == Some(&Effect::Allow);
                    sid == c.sid.as_deref() && allow == c.rules.allow
                });
        paired.then_some(Earlier { policy, compiled })
    }

    /// Whether the earlier policy's version enables policy variables.
    pub(super) fn variables(&self) -> bool {
        self.compiled.variables
    }

    /// An earlier compiled statement whose rules `st`, at `index` of the new policy, has: one
    /// written the same but for the Sid (the one at the same index first, as most rewrites
    /// keep most statements in place). `resource_optional`: whether the new policy's slot
    /// accepts a statement without `Resource` — when not, such a statement is compiled, to be
    /// refused.
    pub(super) fn statement_like(
        &self,
        st: &Statement,
        index: usize,
        resource_optional: bool,
    ) -> Option<&'a CompiledStatement> {
        let like = |j: usize| {
            let earlier = self.policy.statements.get(j)?;
            let compiled = self.compiled.statements.get(j)?;
            let usable = resource_optional || compiled.rules.resources.is_some();
            (usable && same_but_sid(&earlier.value, st)).then_some(compiled)
        };
        like(index).or_else(|| {
            (0..self.policy.statements.len())
                .filter(|&j| j != index)
                .find_map(like)
        })
    }
}

/// Whether two statements are written the same in every element but the Sid (values
/// compared, not where they are written). Written out field by field, so that an element
/// added to [`Statement`] must be placed here before this compiles again.
fn same_but_sid(a: &Statement, b: &Statement) -> bool {
    let Statement {
        sid: _,
        effect,
        principal,
        action,
        resource,
        condition,
    } = a;
    *effect == b.effect
        && *action == b.action
        && *resource == b.resource
        && *principal == b.principal
        && *condition == b.condition
}
