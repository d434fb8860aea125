//! The same inputs for iam-rs (crates.io `iam-rs`, a dev-dependency of the benches only), the
//! peer evaluator the issue-#19 targets are ratios against. iam-rs evaluates a flat list of
//! policies (no boundary or SCP levels); for the inputs here it reaches the same decision as
//! the model, which each bench asserts before it measures.

use super::{REALISTIC_CALLER, REALISTIC_CONTEXT, RealisticTexts, WILDCARD_CALLER};
use iam_rs::{
    Arn, Context, ContextValue, EvaluationOptions, IAMPolicy, IAMRequest, PolicyEvaluator,
    Principal, PrincipalId,
};
use iamcr_eval::ValueType;

pub use iam_rs::Decision;

pub fn request(caller: &str, (action, resource): (&str, &str), context: Context) -> IAMRequest {
    IAMRequest::new_with_context(
        Principal::Aws(PrincipalId::String(caller.into())),
        action,
        Arn::parse(resource).expect("iam-rs parses the bench resource"),
        context,
    )
}

pub fn realistic_request(target: (&str, &str)) -> IAMRequest {
    let mut context = Context::new();
    for (key, ty, value) in REALISTIC_CONTEXT {
        let value = match ty {
            ValueType::Boolean => ContextValue::Boolean(value == "true"),
            _ => ContextValue::String(value.into()),
        };
        context.insert(key.into(), value);
    }
    request(REALISTIC_CALLER, target, context)
}

pub fn wildcard_request() -> IAMRequest {
    request(WILDCARD_CALLER, super::WILDCARD_REQUEST, Context::new())
}

/// An evaluator over `policies` that evaluates every statement (iam-rs stops at 1,000 by
/// default; the scaling families go to 1,000 statements in one policy).
pub fn evaluator(policies: Vec<IAMPolicy>) -> PolicyEvaluator {
    PolicyEvaluator::with_policies(policies).with_options(EvaluationOptions {
        max_statements: usize::MAX,
        ..EvaluationOptions::default()
    })
}

pub fn parse(text: &str) -> IAMPolicy {
    IAMPolicy::from_json(text).expect("iam-rs parses the bench policy")
}

/// The realistic caller's policies, from text, as one flat list.
pub fn realistic_evaluator(texts: &RealisticTexts) -> PolicyEvaluator {
    evaluator(vec![
        parse(&texts.managed),
        parse(texts.customer),
        parse(texts.boundary),
        parse(texts.scp_root),
        parse(texts.scp_ou),
    ])
}

pub fn decide(evaluator: &PolicyEvaluator, request: &IAMRequest) -> Decision {
    evaluator
        .evaluate(request)
        .expect("iam-rs evaluates the bench request")
        .decision
}
