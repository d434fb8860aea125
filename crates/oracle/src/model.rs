//! The model as an oracle: [`ModelOracle`] answers every [`Query`] with `iamcr-eval`.

use crate::Oracle;
use crate::capability::Capabilities;
use crate::query::{Answer, Caller, ErrorKind, Matched, OracleError, PolicySlot, Pos, Query};
use iamcr_eval::{Authorizer, Context, PolicyRef, PolicySet, Principal, Request, ValueType};

/// The model (`iamcr-eval`) as an oracle, with every capability.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOracle;

impl ModelOracle {
    /// Answer one query.
    pub fn answer_one(&self, q: &Query) -> Result<Answer, OracleError> {
        let (set, request) = model_input(q)?;
        let auth = Authorizer::new(&set).map_err(|e| model_error(e.to_string()))?;
        let e = auth.evaluate(&request);
        let matched = e
            .matched
            .iter()
            .map(|m| {
                let slot = slot(m.policy);
                Matched {
                    slot: Some(slot),
                    statement: Some(m.statement),
                    sid: m
                        .sid
                        .as_deref()
                        .map(str::to_string)
                        .filter(|s| !s.is_empty()),
                    source_policy_id: slot.simulator_id(),
                    source_policy_type: None,
                    start: m.start.map(pos),
                    end: m.end.map(pos),
                }
            })
            .collect();
        Ok(Answer {
            decision: e.decision,
            matched: Some(matched),
            missing_context: Some(e.missing_context.clone()),
            details: e
                .details
                .iter()
                .map(|(t, d)| (t.as_str().to_string(), d))
                .collect(),
            allowed_by_boundary: e
                .details
                .get(iamcr_eval::PolicyType::Boundary)
                .map(|d| d == iamcr_eval::Decision::Allowed),
            allowed_by_organizations: e
                .details
                .get(iamcr_eval::PolicyType::Scp)
                .map(|d| d == iamcr_eval::Decision::Allowed),
        })
    }
}

impl Oracle for ModelOracle {
    fn name(&self) -> &str {
        "model"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        queries.iter().map(|q| self.answer_one(q)).collect()
    }
}

fn model_error(message: String) -> OracleError {
    OracleError {
        kind: ErrorKind::Model,
        message,
    }
}

fn pos(p: iamcr_policy::Position) -> Pos {
    Pos {
        line: p.line,
        column: p.column,
    }
}

/// The query's slot for a model policy reference.
pub fn slot(r: PolicyRef) -> PolicySlot {
    match r {
        PolicyRef::Identity(i) => PolicySlot::Identity(i),
        PolicyRef::Boundary => PolicySlot::Boundary,
        PolicyRef::Session(i) => PolicySlot::Session(i),
        PolicyRef::Scp(l, i) => PolicySlot::Scp(l, i),
        PolicyRef::Rcp(l, i) => PolicySlot::Rcp(l, i),
        PolicyRef::Resource => PolicySlot::Resource,
    }
}

fn parse(slot: PolicySlot, text: &str) -> Result<iamcr_policy::Policy, OracleError> {
    iamcr_policy::parse(text).map_err(|diags| {
        let first = diags
            .iter()
            .find(|d| d.severity == iamcr_policy::Severity::Error)
            .map(|d| d.to_string())
            .unwrap_or_default();
        model_error(format!("policy {slot} cannot be evaluated: {first}"))
    })
}

/// The model's inputs for a query.
pub fn model_input(q: &Query) -> Result<(PolicySet, Request), OracleError> {
    let p = &q.policies;
    let many = |docs: &[String], mk: fn(usize) -> PolicySlot| {
        docs.iter()
            .enumerate()
            .map(|(i, t)| parse(mk(i), t))
            .collect::<Result<Vec<_>, _>>()
    };
    let levels = |ls: &Option<Vec<Vec<String>>>, mk: fn(usize, usize) -> PolicySlot| {
        ls.as_ref()
            .map(|ls| {
                ls.iter()
                    .enumerate()
                    .map(|(l, docs)| {
                        docs.iter()
                            .enumerate()
                            .map(|(i, t)| parse(mk(l, i), t))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
    };
    let set = PolicySet {
        identity: many(&p.identity, PolicySlot::Identity)?,
        boundary: p
            .boundary
            .as_ref()
            .map(|t| parse(PolicySlot::Boundary, t))
            .transpose()?,
        session: many(&p.session, PolicySlot::Session)?,
        scp: levels(&p.scp, PolicySlot::Scp)?,
        rcp: levels(&p.rcp, PolicySlot::Rcp)?,
        resource: p
            .resource
            .as_ref()
            .map(|t| parse(PolicySlot::Resource, t))
            .transpose()?,
    };
    let principal = match &q.caller {
        Caller::Arn(a) => Principal::from_arn(a).map_err(|e| model_error(e.to_string()))?,
        Caller::Service(s) => Principal::Service(s.clone()),
        Caller::Federated(s) => Principal::WebIdentity(s.clone()),
        Caller::CanonicalUser(s) => Principal::CanonicalUser(s.clone()),
        Caller::Anonymous => Principal::Anonymous,
    };
    let mut context = Context::new();
    for c in &q.context {
        if !c.ty.is_list() && c.values.len() != 1 {
            return Err(model_error(format!(
                "context key {:?} has type {} but {} values",
                c.key,
                c.ty.as_str(),
                c.values.len()
            )));
        }
        context.insert(
            &c.key,
            ValueType::of(c.ty),
            c.ty.is_list(),
            c.values.clone(),
        );
    }
    let request = Request::with_context(
        principal,
        &q.action,
        &q.resource,
        q.resource_owner.clone(),
        context,
    );
    Ok((set, request))
}
