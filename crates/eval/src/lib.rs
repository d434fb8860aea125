//! A reference model of AWS IAM policy evaluation: matching, conditions, policy variables,
//! the decision across policy types, and an explanation of every decision.
//!
//! ```
//! use iamcr_eval::{Authorizer, Decision, PolicySet, Principal, Request};
//! let policy = iamcr_policy::parse(r#"{"Version":"2012-10-17","Statement":{
//!     "Effect":"Allow","Action":"cleanrooms:Get*","Resource":"*"}}"#).unwrap();
//! let set = PolicySet { identity: vec![policy], ..PolicySet::default() };
//! let auth = Authorizer::new(&set).unwrap();
//! let who = Principal::from_arn("arn:aws:iam::111122223333:role/Analyst").unwrap();
//! let req = Request::new(who, "cleanrooms:GetCollaboration", "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c1");
//! assert_eq!(auth.evaluate(&req).decision, Decision::Allowed);
//! ```
//!
//! The rules, with their sources, are in `docs/evaluation.md`.

mod compile;
pub mod condition;
mod decide;
mod evaluation;
mod explain;
pub mod pattern;
mod principal;
pub mod rcp;
mod request;
pub mod values;

pub use compile::{
    CompileError, CompiledPolicy, CompiledStatement, Earlier, PolicyRef, PolicyType, Sid,
    StatementRules,
};
pub use decide::Observer;
pub use evaluation::{Decision, Details, Evaluation, MatchedStatement, NotApplied, Reason};
pub use explain::{Explanation, StatementTrace};
pub use principal::Grant;
pub use request::{Context, ContextEntry, Principal, PrincipalError, Request, ValueType};

use iamcr_policy::Policy;
use std::sync::Arc;

/// The policies in force for a request; every member optional (the vocabulary crate's one
/// policy-slot container, holding parsed policies).
pub type PolicySet = iamcr_case::PolicySlots<Policy>;

/// A policy set compiled for evaluation. Build once, evaluate many requests.
///
/// Each compiled policy is shared ([`Arc`]): a set that differs from another in a few
/// policies (one added, levels inserted, policies reordered) is built from the other's
/// compiled policies with [`Authorizer::parts`] and [`Authorizer::from_parts`], compiling only
/// what is new. A policy's reference (`identity[1]`, `scp[0][2]`) is its position.
#[derive(Debug, Clone)]
pub struct Authorizer {
    /// The compiled policies, slot by slot (shared, so that a set built from another's
    /// policies costs no compile).
    parts: CompiledParts,
}

/// The compiled policies of a set, slot by slot, in the container [`PolicySet`] holds the
/// policies in: what [`Authorizer::parts`] gives and [`Authorizer::from_parts`] takes.
pub type CompiledParts = iamcr_case::PolicySlots<Arc<CompiledPolicy>>;

thread_local! {
    /// Policy sets compiled on this thread (see [`compilations_on_this_thread`]).
    static COMPILATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many policy sets [`Authorizer::new`] has compiled on the calling thread: the
/// campaign's "compile once" promise is measured with it. Per thread, so that tests running
/// in parallel do not count each other's work; the cost is one thread-local add per compile.
pub fn compilations_on_this_thread() -> u64 {
    COMPILATIONS.with(std::cell::Cell::get)
}

impl Authorizer {
    /// Compile a policy set.
    pub fn new(set: &PolicySet) -> Result<Authorizer, CompileError> {
        COMPILATIONS.with(|n| n.set(n.get() + 1));
        let parts = set.try_map(|slot, p| Authorizer::compile_policy(p, slot))?;
        Ok(Authorizer { parts })
    }

    /// Compile one policy for the place `reference` names (its errors name that place;
    /// only the resource-policy slot accepts a statement without `Resource`, as a role's
    /// trust policy is written).
    pub fn compile_policy(
        policy: &Policy,
        reference: PolicyRef,
    ) -> Result<Arc<CompiledPolicy>, CompileError> {
        compile::compile(policy, reference, reference == PolicyRef::Resource, None).map(Arc::new)
    }

    /// [`Authorizer::compile_policy`], taking compiled statements from `earlier`: each
    /// statement of `policy` written the same as one of `earlier`'s but for its Sid shares
    /// that statement's [`StatementRules`], and only the others are compiled. The Sids,
    /// indices and positions, and the statement index, are `policy`'s own: the result decides
    /// and explains every request as `compile_policy(policy, reference)` would (the rules
    /// are a function of what is compared; see [`StatementRules`]). For a policy rewritten
    /// from another — statements reordered, duplicated, renamed, or the policy printed and
    /// parsed back — this compiles almost nothing.
    pub fn compile_policy_reusing(
        policy: &Policy,
        reference: PolicyRef,
        earlier: Earlier<'_>,
    ) -> Result<Arc<CompiledPolicy>, CompileError> {
        let resource_optional = reference == PolicyRef::Resource;
        compile::compile(policy, reference, resource_optional, Some(earlier)).map(Arc::new)
    }

    /// This set's compiled policies, shared.
    pub fn parts(&self) -> CompiledParts {
        self.parts.clone()
    }

    /// A set of compiled policies (from [`Authorizer::parts`] and
    /// [`Authorizer::compile_policy`]); each policy's reference is its new position. `Err`
    /// when a policy outside the resource-policy slot has a statement without `Resource`
    /// (only [`Authorizer::compile_policy`] for that slot accepts one).
    pub fn from_parts(parts: CompiledParts) -> Result<Authorizer, CompileError> {
        let auth = Authorizer { parts };
        auth.each_outside_resource_slot(|reference, policy| {
            match policy
                .statements
                .iter()
                .find(|st| st.rules.resources.is_none())
            {
                Some(st) => Err(CompileError {
                    policy: reference,
                    statement: Some(st.index),
                    message: "the statement has no Resource or NotResource".into(),
                    at: None,
                }),
                None => Ok(()),
            }
        })?;
        Ok(auth)
    }

    /// `f` on every policy but the resource-based one, with its reference.
    fn each_outside_resource_slot<E>(
        &self,
        mut f: impl FnMut(PolicyRef, &CompiledPolicy) -> Result<(), E>,
    ) -> Result<(), E> {
        for (i, p) in self.parts.identity.iter().enumerate() {
            f(PolicyRef::Identity(i), p)?;
        }
        if let Some(p) = &self.parts.boundary {
            f(PolicyRef::Boundary, p)?;
        }
        for (i, p) in self.parts.session.iter().enumerate() {
            f(PolicyRef::Session(i), p)?;
        }
        let levels = [
            (
                &self.parts.scp,
                PolicyRef::Scp as fn(usize, usize) -> PolicyRef,
            ),
            (&self.parts.rcp, PolicyRef::Rcp),
        ];
        for (levels, mk) in levels {
            for (l, level) in levels.iter().flatten().enumerate() {
                for (i, p) in level.iter().enumerate() {
                    f(mk(l, i), p)?;
                }
            }
        }
        Ok(())
    }

    /// The compiled statement `index` of policy `reference`.
    pub(crate) fn statement(
        &self,
        reference: PolicyRef,
        index: usize,
    ) -> Option<(PolicyRef, &CompiledStatement)> {
        let policy = self.parts.get(reference)?;
        Some((reference, policy.statements.get(index)?))
    }

    /// Decide a request.
    pub fn evaluate(&self, request: &Request) -> Evaluation {
        decide::decide(self, request, &mut ())
    }

    /// Decide a request, reporting every statement and condition to `observer`.
    pub fn evaluate_with<O: Observer>(&self, request: &Request, observer: &mut O) -> Evaluation {
        decide::decide(self, request, observer)
    }

    /// Decide a request and explain every statement.
    pub fn explain(&self, request: &Request) -> Explanation {
        let mut tracer = explain::Tracer::new(request);
        let evaluation = decide::decide(self, request, &mut tracer);
        Explanation {
            evaluation,
            statements: tracer.traces,
        }
    }
}
