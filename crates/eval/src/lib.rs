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

pub use compile::{CompileError, CompiledPolicy, CompiledStatement, PolicyRef, PolicyType};
pub use decide::Observer;
pub use evaluation::{Decision, Details, Evaluation, MatchedStatement, NotApplied, Reason};
pub use explain::{Explanation, StatementTrace};
pub use principal::Grant;
pub use request::{Context, ContextEntry, Principal, PrincipalError, Request, ValueType};

use iamcr_policy::Policy;

/// The policies in force for a request; every member optional.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// The caller's identity-based policies.
    pub identity: Vec<Policy>,
    /// The caller's permissions boundary.
    pub boundary: Option<Policy>,
    /// Session policies passed when the session was created.
    pub session: Vec<Policy>,
    /// SCPs, one list per level (root, OUs, account); `None`: not governed by SCPs.
    pub scp: Option<Vec<Vec<Policy>>>,
    /// RCPs, one list per level; `None`: no RCPs.
    pub rcp: Option<Vec<Vec<Policy>>>,
    /// The target resource's resource-based policy (a role's trust policy for
    /// `sts:AssumeRole`).
    pub resource: Option<Policy>,
}

/// A policy set compiled for evaluation. Build once, evaluate many requests.
#[derive(Debug, Clone)]
pub struct Authorizer {
    identity: Vec<CompiledPolicy>,
    boundary: Option<CompiledPolicy>,
    session: Vec<CompiledPolicy>,
    scp: Option<Vec<Vec<CompiledPolicy>>>,
    rcp: Option<Vec<Vec<CompiledPolicy>>>,
    resource: Option<CompiledPolicy>,
}

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
        let levels = |levels: &Option<Vec<Vec<Policy>>>, mk: fn(usize, usize) -> PolicyRef| {
            levels
                .as_ref()
                .map(|ls| {
                    ls.iter()
                        .enumerate()
                        .map(|(l, ps)| {
                            ps.iter()
                                .enumerate()
                                .map(|(i, p)| compile::compile(p, mk(l, i), false))
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()
        };
        Ok(Authorizer {
            identity: set
                .identity
                .iter()
                .enumerate()
                .map(|(i, p)| compile::compile(p, PolicyRef::Identity(i), false))
                .collect::<Result<_, _>>()?,
            boundary: set
                .boundary
                .as_ref()
                .map(|p| compile::compile(p, PolicyRef::Boundary, false))
                .transpose()?,
            session: set
                .session
                .iter()
                .enumerate()
                .map(|(i, p)| compile::compile(p, PolicyRef::Session(i), false))
                .collect::<Result<_, _>>()?,
            scp: levels(&set.scp, PolicyRef::Scp)?,
            rcp: levels(&set.rcp, PolicyRef::Rcp)?,
            resource: set
                .resource
                .as_ref()
                .map(|p| compile::compile(p, PolicyRef::Resource, true))
                .transpose()?,
        })
    }

    /// The compiled statement `index` of policy `reference`.
    pub(crate) fn statement(
        &self,
        reference: PolicyRef,
        index: usize,
    ) -> Option<(PolicyRef, &CompiledStatement)> {
        let policy = match reference {
            PolicyRef::Identity(i) => self.identity.get(i),
            PolicyRef::Boundary => self.boundary.as_ref(),
            PolicyRef::Session(i) => self.session.get(i),
            PolicyRef::Scp(l, i) => self.scp.as_ref().and_then(|ls| ls.get(l)?.get(i)),
            PolicyRef::Rcp(l, i) => self.rcp.as_ref().and_then(|ls| ls.get(l)?.get(i)),
            PolicyRef::Resource => self.resource.as_ref(),
        }?;
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
