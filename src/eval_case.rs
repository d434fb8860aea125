//! Running evaluation cases through the model: converting a case into a policy set and a
//! request, and comparing the answer with the case's expectations.

use crate::case::{EvalCase, MatchedRef, PolicyDoc, PrincipalSpec};
use crate::run::Status;
use crate::written::{Verdict, Written};
/// The model's explained answer ([`explain`]).
pub use iamcr_eval::Explanation;
use iamcr_eval::{Authorizer, Context, PolicySet, Principal, Request};
use iamcr_oracle::model::answer_of;
use iamcr_oracle::{
    Answer, Capabilities, Difference, ErrorKind, Oracle, OracleError, Query, QueryId,
};
use iamcr_policy::embed::Fault;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::fmt;

/// A case turned into model inputs.
#[derive(Debug, Clone)]
pub struct ModelInput {
    /// The policies.
    pub policies: PolicySet,
    /// The request.
    pub request: Request,
}

/// Why a case cannot be run through the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseError {
    /// A policy does not parse or cannot be compiled; `slot` names it (`identity[0]`, …)
    /// so that the fault can be placed in the case file ([`crate::LoadedCase::place`]).
    Policy {
        /// The policy's slot.
        slot: String,
        /// What is wrong, and where in the policy text.
        fault: Fault,
    },
    /// Anything else: the principal, a context entry, a model inconsistency.
    Other(String),
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Policy { fault, .. } => fault.fmt(f),
            CaseError::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for CaseError {}

impl From<String> for CaseError {
    fn from(s: String) -> CaseError {
        CaseError::Other(s)
    }
}

fn parse_policy(slot: &str, doc: &PolicyDoc) -> Result<iamcr_policy::Policy, CaseError> {
    iamcr_policy::parse(&doc.text).map_err(|diags| {
        let what = format!("policy {slot} cannot be evaluated");
        let fault = match diags
            .iter()
            .find(|d| d.severity == iamcr_policy::Severity::Error)
        {
            Some(d) => Fault::diagnostic(&what, d),
            None => Fault {
                message: what,
                at: None,
            },
        };
        CaseError::Policy {
            slot: slot.to_string(),
            fault,
        }
    })
}

/// Convert a case's request principal.
pub fn principal(spec: &PrincipalSpec) -> Result<Principal, String> {
    Principal::from_spec(spec).map_err(|e| e.to_string())
}

/// Turn a case into model inputs.
pub fn model_input(case: &EvalCase) -> Result<ModelInput, CaseError> {
    let p = &case.policies;
    let policies = p.try_map(|slot, d| parse_policy(&slot.to_string(), d))?;
    let r = &case.request;
    let context = Context::from_case(&r.context).map_err(CaseError::Other)?;
    let request = Request::with_context(
        principal(&r.principal)?,
        &r.action,
        &r.resource,
        r.resource_account.clone(),
        context,
    );
    Ok(ModelInput { policies, request })
}

/// Evaluate a case with the model, with an explanation.
///
/// The explanation is computed on the traced path (every statement visited) and checked
/// against the fast path ([`Authorizer::evaluate`], which skips statements about other
/// services): the two must agree exactly, or the case fails.
pub fn explain(case: &EvalCase) -> Result<(ModelInput, Explanation), CaseError> {
    let input = model_input(case)?;
    let auth = Authorizer::new(&input.policies).map_err(|e| CaseError::Policy {
        slot: e.policy.to_string(),
        fault: e.fault(),
    })?;
    let explanation = auth.explain(&input.request);
    let fast = auth.evaluate(&input.request);
    if fast != explanation.evaluation {
        return Err(CaseError::Other(format!(
            "model inconsistency: evaluate() gives {fast:?} but explain() gives {:?}",
            explanation.evaluation
        )));
    }
    Ok((input, explanation))
}

/// The model's matched statements as case-format references (Sid when there is one).
pub fn matched_refs(e: &iamcr_eval::Evaluation) -> Vec<MatchedRef> {
    let mut v: Vec<MatchedRef> = e
        .matched
        .iter()
        .map(|m| MatchedRef {
            policy: m.policy.to_string(),
            sid: m
                .sid
                .as_deref()
                .map(str::to_string)
                .filter(|s| !s.is_empty()),
            statement: if m.sid.as_deref().is_some_and(|s| !s.is_empty()) {
                None
            } else {
                Some(m.statement)
            },
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The model as conform's reference oracle: each case answered once, on the explained path
/// ([`explain`], which checks the fast path against it), its explanation kept for the case's
/// result so that conform asks the model once per case. Queries are matched to cases by id,
/// in case order (as the written answers are).
#[derive(Debug)]
pub struct ExplainingModel<'a> {
    cases: Vec<&'a EvalCase>,
    pending: HashMap<QueryId, VecDeque<usize>>,
    explained: Vec<Option<Explained>>,
}

/// A case's explained answer, or why the model cannot run it.
pub type Explained = Result<(ModelInput, Explanation), CaseError>;

impl<'a> ExplainingModel<'a> {
    /// The model for `cases`, whose queries are `queries` (in the same order).
    pub fn new(cases: Vec<&'a EvalCase>, queries: &[Query]) -> ExplainingModel<'a> {
        let mut pending: HashMap<QueryId, VecDeque<usize>> = HashMap::new();
        for (i, q) in queries.iter().enumerate() {
            pending.entry(q.id()).or_default().push_back(i);
        }
        ExplainingModel {
            explained: cases.iter().map(|_| None).collect(),
            cases,
            pending,
        }
    }

    /// Each case's explanation (`None`: the case was not asked), in case order.
    pub fn into_explained(self) -> Vec<Option<Explained>> {
        self.explained
    }
}

impl Oracle for ExplainingModel<'_> {
    fn name(&self) -> &str {
        "model"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        queries
            .iter()
            .map(|q| {
                let Some(i) = self.pending.get_mut(&q.id()).and_then(VecDeque::pop_front) else {
                    return Err(OracleError {
                        kind: ErrorKind::NoResult,
                        message: "no case asks this query".into(),
                    });
                };
                let explained = explain(self.cases[i]);
                let answer = match &explained {
                    Ok((_, e)) => Ok(answer_of(&e.evaluation)),
                    Err(e) => Err(OracleError {
                        kind: ErrorKind::Model,
                        message: e.to_string(),
                    }),
                };
                self.explained[i] = Some(explained);
                answer
            })
            .collect()
    }
}

/// Each evaluation case's verdict against its expectation and the model's explained answer,
/// the model asked once per case (the differential engine's reference side).
pub fn judge(cases: Vec<&EvalCase>) -> Vec<(Verdict, Explained)> {
    let queries: Vec<Query> = cases.iter().map(|c| crate::oracle_case::query(c)).collect();
    let mut model = ExplainingModel::new(cases.clone(), &queries);
    let verdicts =
        crate::written::verdicts_of(&mut model, cases.iter().copied(), Written::Expectations);
    let explained = model.into_explained();
    cases
        .iter()
        .zip(verdicts.into_iter().zip(explained))
        .map(|(c, (v, e))| (v, e.unwrap_or_else(|| explain(c))))
        .collect()
}

/// Run one evaluation case; an error is described without a file.
pub fn run(case: &EvalCase) -> (Status, Option<String>, serde_json::Value) {
    let (verdict, explained) = judge(vec![case]).pop().unwrap_or_else(|| {
        (
            Verdict::NotCompared("the case was not compared".into()),
            explain(case),
        )
    });
    run_placed(case, &verdict, explained, &|e| e.to_string())
}

/// One evaluation case's result: the model's explained answer, and the differential
/// engine's `verdict` on it against the case's expectation ([`judge`]) in the words of the
/// expectation. A case that cannot be run fails with its error placed by `place` (the case
/// file's [`crate::LoadedCase::place`], or the error's own text).
pub fn run_placed(
    case: &EvalCase,
    verdict: &Verdict,
    explained: Explained,
    place: &dyn Fn(&CaseError) -> String,
) -> (Status, Option<String>, serde_json::Value) {
    let (_, explanation) = match explained {
        Ok(x) => x,
        Err(e) => return (Status::Fail, Some(place(&e)), serde_json::Value::Null),
    };
    let e = &explanation.evaluation;
    let answer = json!({
        "decision": e.decision.as_str(),
        "matched": matched_refs(e),
        "missing_context": e.missing_context,
        "details": e.details.iter().map(|(t, d)| (t.as_str(), d.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
        "reason": e.reason.to_string(),
    });
    let problems = problems(case, e, verdict);
    if problems.is_empty() {
        (Status::Pass, None, answer)
    } else {
        (Status::Fail, Some(problems.join("; ")), answer)
    }
}

/// What the verdict found, part by part, each with the whole expected and model answer
/// for that part (what a reader of the case file needs to fix it).
fn problems(case: &EvalCase, e: &iamcr_eval::Evaluation, verdict: &Verdict) -> Vec<String> {
    let differences = match verdict {
        Verdict::Agrees => return Vec::new(),
        Verdict::NotCompared(why) => return vec![why.clone()],
        Verdict::Differs(differences) => differences,
    };
    let differs = |part: fn(&Difference) -> bool| differences.iter().any(part);
    let mut problems = Vec::new();
    if differs(|d| matches!(d, Difference::Decision { .. })) {
        problems.push(format!(
            "expected {}, got {} because {}",
            case.expect.decision.as_str(),
            e.decision.as_str(),
            e.reason
        ));
    }
    if let Some(expected) = &case.expect.matched
        && differs(|d| matches!(d, Difference::Matched { .. }))
    {
        problems.push(format!(
            "expected matched {}, got {}",
            serde_json::to_string(expected).unwrap_or_default(),
            serde_json::to_string(&matched_refs(e)).unwrap_or_default()
        ));
    }
    if let Some(expected) = &case.expect.missing_context
        && differs(|d| matches!(d, Difference::MissingContext { .. }))
    {
        problems.push(format!(
            "expected missing context {expected:?}, got {:?}",
            e.missing_context
        ));
    }
    if problems.is_empty() {
        // A kind of difference this wording does not know: the engine's own words.
        problems.extend(verdict.reason(Written::Expectations));
    }
    problems
}
