//! The model as an oracle: [`ModelOracle`] answers every [`Query`] with `iamcr-eval`.

use crate::Oracle;
use crate::capability::Capabilities;
use crate::query::{
    Answer, Caller, ErrorKind, Matched, OracleError, PolicyInputs, PolicySlot, PolicyText, Pos,
    Query,
};
use iamcr_eval::{Authorizer, Context, PolicySet, Principal, Request};

/// The model (`iamcr-eval`) as an oracle, with every capability.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOracle;

/// A query's policies for the model: parsed (or the first parse error) and compiled (or the
/// compile error). Errors keep [`ModelOracle::answer_one`]'s order: a parse error, then one of
/// the request, then a compile error.
type Compiled = Result<Result<Authorizer, OracleError>, OracleError>;

fn compiled(q: &Query) -> Compiled {
    let set = model_policies(q)?;
    Ok(Authorizer::new(&set).map_err(|e| model_error(e.to_string())))
}

impl ModelOracle {
    /// Answer one query.
    pub fn answer_one(&self, q: &Query) -> Result<Answer, OracleError> {
        answer(&compiled(q), q)
    }
}

/// Answer `q` under its policies, compiled.
fn answer(compiled: &Compiled, q: &Query) -> Result<Answer, OracleError> {
    let compiled = compiled.as_ref().map_err(Clone::clone)?;
    let request = model_request(q)?;
    let auth = compiled.as_ref().map_err(Clone::clone)?;
    Ok(answer_of(&auth.evaluate(&request)))
}

/// The model's evaluation as an oracle's answer (for a caller that evaluated itself, e.g.
/// on the explained path).
pub fn answer_of(e: &iamcr_eval::Evaluation) -> Answer {
    let matched = e
        .matched
        .iter()
        .map(|m| {
            let slot = m.policy;
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
    Answer {
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
    }
}

impl Oracle for ModelOracle {
    fn name(&self) -> &str {
        "model"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    /// Neighbourhood probes and campaigns ask many queries of one policy set in a row: a
    /// run of queries with the same policy texts is parsed and compiled once.
    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let mut last: Option<(&PolicyInputs, Compiled)> = None;
        queries
            .iter()
            .map(|q| {
                let run = last.take().filter(|(p, _)| **p == q.policies);
                let (p, policies) = run.unwrap_or_else(|| (&q.policies, compiled(q)));
                let a = answer(&policies, q);
                last = Some((p, policies));
                a
            })
            .collect()
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

/// A policy of the query, parsed (once per text: [`crate::query::PolicyText::parsed`]).
fn parsed(slot: PolicySlot, text: &PolicyText) -> Result<iamcr_policy::Policy, OracleError> {
    text.parsed().cloned().map_err(|diags| {
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
    let set = model_policies(q)?;
    Ok((set, model_request(q)?))
}

/// The query's policies, parsed.
fn model_policies(q: &Query) -> Result<PolicySet, OracleError> {
    q.policies.try_map(parsed)
}

/// The query's request.
fn model_request(q: &Query) -> Result<Request, OracleError> {
    let principal = match &q.caller {
        Caller::Arn(a) => Principal::from_arn(a).map_err(|e| model_error(e.to_string()))?,
        Caller::Service(s) => Principal::Service(s.clone()),
        Caller::Federated(s) => Principal::WebIdentity(s.clone()),
        Caller::CanonicalUser(s) => Principal::CanonicalUser(s.clone()),
        Caller::Anonymous => Principal::Anonymous,
    };
    let context = Context::from_case(&q.context).map_err(model_error)?;
    Ok(Request::with_context(
        principal,
        &q.action,
        &q.resource,
        q.resource_owner.clone(),
        context,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    fn query(policy: &str, action: &str, caller: &str) -> Query {
        Query {
            policies: PolicyInputs {
                identity: vec![policy.into()],
                ..PolicyInputs::default()
            },
            caller: Caller::Arn(caller.into()),
            action: action.into(),
            resource: "*".into(),
            resource_owner: None,
            context: Vec::new(),
        }
    }

    /// Runs of queries with equal policies share one compiled set: the answers (and errors,
    /// in their order) are those of one query at a time, and each run compiles once.
    #[test]
    fn answer_all_compiles_a_run_of_equal_policies_once_and_answers_as_answer_one() {
        let allow = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#;
        let deny = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
        let no_effect = r#"{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}"#;
        let alice = "arn:aws:iam::111122223333:user/alice";
        let queries = vec![
            query(allow, "s3:GetObject", alice),
            query(allow, "s3:PutObject", alice),
            query(allow, "s3:GetObject", "not an arn"),
            query(deny, "s3:GetObject", alice),
            query("{", "s3:GetObject", alice),
            query(no_effect, "s3:GetObject", "not an arn"),
            query(allow, "s3:GetObject", alice),
        ];
        let before = iamcr_eval::compilations_on_this_thread();
        let all = ModelOracle.answer_all(&queries);
        // Compiled: the run of three allows, the deny, the last allow (the other two do not
        // parse).
        assert_eq!(iamcr_eval::compilations_on_this_thread() - before, 3);
        let one: Vec<_> = queries.iter().map(|q| ModelOracle.answer_one(q)).collect();
        assert_eq!(all, one);
        let decisions: Vec<_> = all.iter().map(|a| a.as_ref().map(|a| a.decision)).collect();
        assert_eq!(decisions[0], Ok(iamcr_eval::Decision::Allowed));
        assert_eq!(decisions[1], Ok(iamcr_eval::Decision::ImplicitDeny));
        assert_eq!(decisions[3], Ok(iamcr_eval::Decision::ExplicitDeny));
        // A policy that does not parse is reported before a bad caller, as answer_one does.
        assert!(
            all[5].as_ref().unwrap_err().message.contains("policy"),
            "{:?}",
            all[5]
        );
        assert!(all[2].is_err() && all[4].is_err());
    }
}
