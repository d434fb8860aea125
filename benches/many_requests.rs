//! Many requests of one policy set (issue #19): the raw evaluator deciding N requests of one
//! compiled set, beside the workload path that asks the same N questions as queries — the
//! model oracle answering a neighbourhood probe of the realistic Clean Rooms caller
//! (`probe::neighbourhood`, then `ModelOracle::answer_all`, which parses and compiles a run of
//! queries with equal policy texts once, builds each request and converts each answer).
//!
//! Target: the workload reaches ≥ 25 % of the raw evaluator's decisions per second. Both
//! benches decide the same N requests; criterion prints each as elements/s, and the ratio is
//! the raw bench's time over the workload's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench setup: fixed inputs"
)]

mod common;

use common::{REALISTIC_CALLER, REALISTIC_CONTEXT, START_QUERY, realistic_set, realistic_texts};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use iamcr_eval::{Authorizer, ValueType};
use iamcr_oracle::model::model_input;
use iamcr_oracle::probe::{ProbeSettings, neighbourhood};
use iamcr_oracle::query::{Caller, ContextKeyType, ContextValue, PolicyInputs};
use iamcr_oracle::{ModelOracle, Oracle, Query};
use std::hint::black_box;

/// The realistic caller's StartProtectedQuery as a query, and its neighbourhood (every
/// query has the same policy texts).
fn probe() -> Vec<Query> {
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

fn many_requests(c: &mut Criterion) {
    let queries = probe();
    let requests: Vec<_> = queries.iter().map(|q| model_input(q).unwrap().1).collect();
    let auth = Authorizer::new(&realistic_set(&realistic_texts())).unwrap();
    // The two paths decide the same requests alike.
    let answers = ModelOracle.answer_all(&queries);
    for (r, a) in requests.iter().zip(&answers) {
        assert_eq!(auth.evaluate(r).decision, a.as_ref().unwrap().decision);
    }
    let mut g = c.benchmark_group("many_requests");
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function(format!("raw_evaluate_{}", queries.len()), |b| {
        b.iter(|| {
            for r in &requests {
                black_box(auth.evaluate(black_box(r)));
            }
        })
    });
    g.bench_function(format!("probe_answer_all_{}", queries.len()), |b| {
        b.iter(|| ModelOracle.answer_all(black_box(&queries)))
    });
    g.finish();
}

criterion_group!(benches, many_requests);
criterion_main!(benches);
