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
        answer(&compiled(q), &model_request(q))
    }
}

/// Answer a query under its policies, compiled, with its request.
fn answer(
    compiled: &Compiled,
    request: &Result<Request, OracleError>,
) -> Result<Answer, OracleError> {
    let compiled = compiled.as_ref().map_err(Clone::clone)?;
    let request = request.as_ref().map_err(Clone::clone)?;
    let auth = compiled.as_ref().map_err(Clone::clone)?;
    Ok(answer_of(&auth.evaluate(request)))
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
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
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
    /// run of queries with the same policies is compiled once, and a run with the same
    /// caller, resource owner and context builds its request once (each query sets only its
    /// action and resource).
    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let mut last_policies: Option<(&PolicyInputs, Compiled)> = None;
        let mut last_request: Option<(&Query, Result<Request, OracleError>)> = None;
        queries
            .iter()
            .map(|q| {
                let run = last_policies.take().filter(|(p, _)| **p == q.policies);
                let (p, policies) = run.unwrap_or_else(|| (&q.policies, compiled(q)));
                let asker = last_request.take().filter(|(last, _)| same_asker(last, q));
                let request = match asker {
                    Some((_, mut request)) => {
                        if let Ok(r) = &mut request {
                            r.set_target(&q.action, &q.resource);
                        }
                        request
                    }
                    None => model_request(q),
                };
                let a = answer(&policies, &request);
                last_policies = Some((p, policies));
                last_request = Some((q, request));
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

/// Whether two queries differ at most in action and resource: the request of one is the
/// other's with [`Request::set_target`] (a principal or context the model refuses is refused
/// for both).
fn same_asker(a: &Query, b: &Query) -> bool {
    a.caller == b.caller && a.resource_owner == b.resource_owner && a.context == b.context
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

    /// A neighbourhood (one caller and context, many actions and resources, resource
    /// owners from the ARN or the caller) is answered by `answer_all` as query by query,
    /// with one request built for a run of the same caller, owner and context.
    #[test]
    fn answer_all_retargets_one_request_and_answers_as_answer_one() {
        let policy = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["s3:Get*","sqs:*"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}},
            {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret"}]}"#;
        let base = Query {
            context: vec![crate::query::ContextValue {
                key: "aws:SourceVpc".into(),
                ty: crate::query::ContextKeyType::String,
                values: vec!["vpc-1".into()],
            }],
            ..query(
                policy,
                "s3:GetObject",
                "arn:aws:iam::111122223333:user/alice",
            )
        };
        let mut queries = Vec::new();
        for action in ["s3:GetObject", "s3:GetObjectAcl", "sqs:SendMessage"] {
            for resource in [
                "arn:aws:s3:::b/k",
                "arn:aws:s3:::b/secret",
                "arn:aws:sqs:us-east-1:444455556666:q",
                "arn:aws:sqs:us-east-1:111122223333:q",
            ] {
                let mut q = base.clone();
                q.action = action.into();
                q.resource = resource.into();
                queries.push(q);
            }
        }
        let mut elsewhere = queries[0].clone();
        elsewhere.resource_owner = Some("444455556666".into());
        queries.push(elsewhere);
        let all = ModelOracle.answer_all(&queries);
        let one: Vec<_> = queries.iter().map(|q| ModelOracle.answer_one(q)).collect();
        assert_eq!(all, one);
        let allowed = all
            .iter()
            .filter(|a| a.as_ref().unwrap().decision == iamcr_eval::Decision::Allowed)
            .count();
        // Allowed in the given context: all but s3:GetObject on the secret and the four
        // requests whose resource another account owns (the queue's ARN names it, or the
        // query does): no resource policy grants them.
        assert_eq!(allowed, queries.len() - 5, "{all:?}");
    }
}
