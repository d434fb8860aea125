//! Generated cases in conformance case format v1 (`docs/case-format.md`): the vocabulary
//! crate's serde types (`iamcr_case`), filled from a generated case and the model's answer.

use crate::GenCase;
use iamcr_case::{EvalCase, EvalExpect, Policies, PolicyDoc, Request as CaseRequest};
use iamcr_eval::{Evaluation, PolicySet, Request};
use iamcr_policy::Policy;
use serde_json::Value;

/// A policy as the case format holds it: printed with [`iamcr_policy::print`], so the case
/// file nests it like any other JSON object and keeps the printer's element order.
pub fn policy_doc(p: &Policy) -> PolicyDoc {
    PolicyDoc::object(iamcr_policy::print(p))
}

/// The `policies` member of a case.
pub fn policies(set: &PolicySet) -> Policies {
    set.map(policy_doc)
}

/// The `request` member of a case.
pub fn request(r: &Request) -> CaseRequest {
    CaseRequest {
        principal: r.principal.spec(),
        action: r.action.clone(),
        resource: r.resource.clone(),
        resource_account: r.resource_account.clone(),
        context: r
            .context
            .entries()
            .iter()
            .map(|e| iamcr_case::ContextEntry {
                key: e.key.clone(),
                ty: e.ty.context_type(e.multivalued),
                values: e.values.clone(),
            })
            .collect(),
    }
}

/// A whole evaluation case with the model's answer as its expectation.
pub fn eval_case(
    id: &str,
    description: Option<&str>,
    source: Option<&str>,
    case: &GenCase,
    evaluation: &Evaluation,
) -> EvalCase {
    EvalCase {
        id: id.to_string(),
        description: description.map(str::to_string),
        source: source.map(str::to_string),
        policies: policies(&case.policies),
        request: request(&case.request),
        expect: EvalExpect {
            decision: evaluation.decision,
            matched: None,
            missing_context: None,
        },
    }
}

/// [`eval_case`] as a JSON value (what `cargo xtask gen` and the campaign's findings write).
pub fn case_json(
    id: &str,
    description: Option<&str>,
    source: Option<&str>,
    case: &GenCase,
    evaluation: &Evaluation,
) -> Value {
    let case = eval_case(id, description, source, case, evaluation);
    // The case format's types serialize into JSON without fail; should that ever change, the
    // `Null` fails every reader loudly instead of writing half a case.
    serde_json::to_value(&case).unwrap_or(Value::Null)
}
