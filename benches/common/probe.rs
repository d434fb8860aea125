//! The many-requests workload (issue #19): a neighbourhood probe of the realistic Clean Rooms
//! caller's StartProtectedQuery, as oracle queries (every query has the same policy texts,
//! caller and context), and the same requests built for the raw evaluator.

use super::{REALISTIC_CALLER, REALISTIC_CONTEXT, START_QUERY, realistic_set, realistic_texts};
use iamcr_eval::{Authorizer, Request, ValueType};
use iamcr_oracle::Query;
use iamcr_oracle::model::model_input;
use iamcr_oracle::probe::{ProbeSettings, neighbourhood};
use iamcr_oracle::query::{Caller, ContextKeyType, ContextValue, PolicyInputs};

/// The realistic caller's StartProtectedQuery as a query, and its neighbourhood (400
/// queries).
pub fn queries() -> Vec<Query> {
    let texts = realistic_texts();
    let base = Query {
        policies: PolicyInputs {
            identity: vec![texts.managed.as_str().into(), texts.customer.into()],
            boundary: Some(texts.boundary.into()),
            scp: Some(vec![vec![texts.scp_root.into()], vec![texts.scp_ou.into()]]),
            ..PolicyInputs::default()
        },
        caller: Caller::Arn(REALISTIC_CALLER.into()),
        action: START_QUERY.0.into(),
        resource: START_QUERY.1.into(),
        resource_owner: None,
        context: REALISTIC_CONTEXT
            .iter()
            .map(|(key, ty, value)| ContextValue {
                key: (*key).into(),
                ty: match ty {
                    ValueType::Boolean => ContextKeyType::Boolean,
                    _ => ContextKeyType::String,
                },
                values: vec![(*value).into()],
            })
            .collect(),
    };
    let settings = ProbeSettings {
        max_actions: 40,
        max_resources: 10,
        target_pairs: 400,
        ..ProbeSettings::default()
    };
    neighbourhood(&base, &settings)
}

/// The raw evaluator's side: the realistic set compiled once, and each query's request.
pub fn compiled_requests(queries: &[Query]) -> (Authorizer, Vec<Request>) {
    let requests = queries.iter().map(|q| model_input(q).unwrap().1).collect();
    let auth = Authorizer::new(&realistic_set(&realistic_texts())).unwrap();
    (auth, requests)
}
