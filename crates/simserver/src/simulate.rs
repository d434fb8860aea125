//! `SimulateCustomPolicy` answered by the model, in the simulator's current shape (API
//! reference, `EvaluationResult`, 2026): one `EvaluationResult` per action; its top-level
//! fields the aggregate over the resources (the most restrictive decision, the union of the
//! matched statements behind it and of the missing keys), its `EvalResourceName` the ARN
//! template of the resource type or `*`; per-resource answers in `ResourceSpecificResults`
//! when resources were named. SCP statements never appear in `MatchedStatements`.
//!
//! Inputs the simulator refuses are refused here with `InvalidInput`, by the same
//! [`Limitation`] list campaigns use to skip queries: a caller that is not an IAM user or
//! role, a resource policy without a caller or not applicable to every resource, wildcard
//! actions, repeated context keys. Limitations where AWS answers but differently from the
//! model (role trust policies, keys filled from the real account, KMS keys without their
//! key policy) are not refusals: the endpoint answers as the model does.

use crate::protocol::ApiError;
use iamcr_cleanrooms::Catalogue;
use iamcr_oracle::capability::first_limitation;
use iamcr_oracle::query::fnv1a_128;
use iamcr_oracle::wire::{EvaluationResult, ResourceSpecificResult, SimulatePage, SimulateRequest};
use iamcr_oracle::{Answer, Caller, Decision, ErrorKind, Limitation, Matched, ModelOracle};
use iamcr_oracle::{PolicyInputs, PolicySlot, PolicyText, Pos, Query};

/// `MaxItems` when the request does not say (API reference, SimulateCustomPolicy).
pub const DEFAULT_MAX_ITEMS: usize = 100;

/// Whether the simulator refuses a request that hits `l` (rather than answering it
/// differently from the model).
fn refuses(l: Limitation) -> bool {
    !matches!(
        l,
        Limitation::RoleTrustPolicy
            | Limitation::KmsKeyWithoutKeyPolicy
            | Limitation::ContextKeyFromRealAccount
            | Limitation::ResourceOwnerContradictsArn
    )
}

/// The account of `arn:aws:iam::ACCOUNT:root`.
fn owner_account(owner: &str) -> Result<String, ApiError> {
    match iamcr_case::Arn::parse(owner) {
        Ok(a)
            if a.service == "iam"
                && a.region.is_empty()
                && a.resource == "root"
                && iamcr_case::AccountId::is_valid(a.account) =>
        {
            Ok(a.account.to_string())
        }
        _ => Err(ApiError::invalid_input(format!(
            "ResourceOwner {owner:?} is not an account ARN of the form arn:aws:iam::ACCOUNT-ID:root"
        ))),
    }
}

/// The request as one query per action and resource, in request order (actions outer).
/// `default_caller` stands for the credentials' identity when `CallerArn` is absent.
pub fn queries(r: &SimulateRequest, default_caller: &str) -> Result<Vec<Query>, ApiError> {
    let texts = |v: &[String]| v.iter().map(PolicyText::new).collect::<Vec<_>>();
    let template = Query {
        policies: PolicyInputs {
            identity: texts(&r.policy_input_list),
            boundary: r
                .permissions_boundary_policy_input_list
                .first()
                .map(PolicyText::new),
            scp: (!r.ordered_organization_policy_input_list.is_empty()).then(|| {
                r.ordered_organization_policy_input_list
                    .iter()
                    .map(|level| texts(level))
                    .collect()
            }),
            resource: r.resource_policy.as_ref().map(PolicyText::new),
            ..PolicyInputs::default()
        },
        caller: Caller::Arn(
            r.caller_arn
                .clone()
                .unwrap_or_else(|| default_caller.to_string()),
        ),
        action: String::new(),
        resource: String::new(),
        resource_owner: r.resource_owner.as_deref().map(owner_account).transpose()?,
        context: r.context_entries.clone(),
    };
    if r.resource_policy.is_some() && r.caller_arn.is_none() {
        return Err(ApiError::invalid_input(
            "CallerArn is required if you include a ResourcePolicy",
        ));
    }
    let resources = if r.resource_arns.is_empty() {
        vec!["*".to_string()]
    } else {
        r.resource_arns.clone()
    };
    let mut out = Vec::with_capacity(r.action_names.len() * resources.len());
    for action in &r.action_names {
        for resource in &resources {
            let mut q = template.clone();
            q.action = action.clone();
            q.resource = resource.clone();
            if let Some(u) = first_limitation(&q, &refuses) {
                return Err(ApiError::invalid_input(u.to_string()));
            }
            out.push(q);
        }
    }
    Ok(out)
}

/// Every policy text parses as a policy document: a syntax error is the caller's.
fn check_syntax(p: &PolicyInputs) -> Result<(), ApiError> {
    for (slot, text) in p.entries() {
        if let Err(diags) = text.parsed() {
            let first = diags
                .iter()
                .find(|d| d.severity == iamcr_policy::Severity::Error)
                .map(|d| d.to_string())
                .unwrap_or_default();
            return Err(ApiError::invalid_input(format!(
                "{} is not a valid policy document: {first}",
                slot.simulator_id()
            )));
        }
    }
    Ok(())
}

fn rank(d: Decision) -> u8 {
    match d {
        Decision::ExplicitDeny => 2,
        Decision::ImplicitDeny => 1,
        Decision::Allowed => 0,
    }
}

fn most_restrictive(ds: impl Iterator<Item = Decision>) -> Decision {
    ds.max_by_key(|d| rank(*d))
        .unwrap_or(Decision::ImplicitDeny)
}

/// The statements as the simulator reports them: no SCP statements; `StartPosition` one
/// column past the opening brace, as in the API reference's examples (the model points at
/// the brace; `EndPosition` is one past the closing brace in both).
fn reported(a: &Answer) -> Vec<Matched> {
    a.matched
        .iter()
        .flatten()
        .filter(|m| !m.slot.is_some_and(PolicySlot::is_scp))
        .map(|m| Matched {
            slot: None,
            statement: None,
            sid: None,
            source_policy_id: m.source_policy_id.clone(),
            source_policy_type: Some(
                if m.slot == Some(PolicySlot::Resource) {
                    "Resource Policy"
                } else {
                    "IAM Policy"
                }
                .to_string(),
            ),
            start: m.start.map(|p| Pos {
                line: p.line,
                column: p.column + 1,
            }),
            end: m.end,
        })
        .collect()
}

fn union<T: Clone + PartialEq>(into: &mut Vec<T>, items: &[T]) {
    for i in items {
        if !into.contains(i) {
            into.push(i.clone());
        }
    }
}

/// `EvalDecisionDetails` is returned for cross-account simulations only: present but empty
/// within one account when a resource ARN is given, absent for `*` (API reference,
/// `EvaluationResult`). `None` means absent.
fn details(q: &Query, a: &Answer) -> Option<Vec<(String, Decision)>> {
    let caller_account = q.caller.account().unwrap_or_default().to_string();
    let resource_account = iamcr_case::Arn::parse(&q.resource)
        .ok()
        .map(|p| p.account.to_string())
        .filter(|a| !a.is_empty())
        .or_else(|| q.resource_owner.clone())
        .unwrap_or_else(|| caller_account.clone());
    if resource_account != caller_account {
        Some(a.details.clone())
    } else if q.resource == "*" {
        None
    } else {
        Some(Vec::new())
    }
}

/// One action's `EvaluationResult`, and whether it carries `EvalDecisionDetails` (absent
/// for `*` within one account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionAnswer {
    /// The result.
    pub result: EvaluationResult,
    /// Whether `EvalDecisionDetails` is present.
    pub details_present: bool,
}

/// The answer of one action over its resources.
fn action_result(qs: &[Query], answers: &[Answer], named_resources: bool) -> ActionAnswer {
    let decision = most_restrictive(answers.iter().map(|a| a.decision));
    let mut matched = Vec::new();
    let mut missing = Vec::new();
    let mut detail_map: Vec<(String, Decision)> = Vec::new();
    let mut specific = Vec::new();
    let mut details_present = false;
    for (q, a) in qs.iter().zip(answers) {
        let statements = reported(a);
        if a.decision == decision {
            union(&mut matched, &statements);
        }
        let keys = a.missing_context.clone().unwrap_or_default();
        union(&mut missing, &keys);
        let d = details(q, a);
        details_present |= d.is_some();
        for (t, v) in d.iter().flatten() {
            match detail_map.iter_mut().find(|(k, _)| k == t) {
                Some((_, old)) if rank(*v) > rank(*old) => *old = *v,
                Some(_) => {}
                None => detail_map.push((t.clone(), *v)),
            }
        }
        specific.push(ResourceSpecificResult {
            eval_resource_name: q.resource.clone(),
            eval_resource_decision: Some(a.decision),
            matched_statements: statements,
            missing_context_values: keys,
            eval_decision_details: d.unwrap_or_default(),
            allowed_by_boundary: a.allowed_by_boundary,
        });
    }
    let template = qs
        .first()
        .filter(|_| named_resources)
        .and_then(|q| arn_template(&q.resource))
        .unwrap_or_else(|| "*".to_string());
    let result = EvaluationResult {
        eval_action_name: qs.first().map(|q| q.action.clone()).unwrap_or_default(),
        eval_resource_name: Some(template),
        eval_decision: Some(decision),
        matched_statements: matched,
        missing_context_values: missing,
        eval_decision_details: detail_map,
        allowed_by_boundary: answers
            .iter()
            .filter_map(|a| a.allowed_by_boundary)
            .reduce(|x, y| x && y),
        allowed_by_organizations: answers
            .iter()
            .filter_map(|a| a.allowed_by_organizations)
            .reduce(|x, y| x && y),
        resource_specific_results: if named_resources {
            specific
        } else {
            Vec::new()
        },
    };
    ActionAnswer {
        result,
        details_present,
    }
}

/// The ARN template of the resource type an ARN belongs to, from the catalogue.
fn arn_template(arn: &str) -> Option<String> {
    let catalogue = Catalogue::load().ok()?;
    catalogue
        .resource_type_of_arn(arn)
        .map(|(_, rt)| rt.arn_template.to_string())
}

/// Answer the page of a request that its `Marker` and `MaxItems` ask for, and say which
/// results carry `EvalDecisionDetails`. Every pair of the request is checked before any is
/// evaluated; only the page's actions are evaluated. `page_cap` (fault injection) makes
/// pages smaller than `MaxItems`, which IAM may also do ("IAM might return fewer results").
pub fn answer(
    r: &SimulateRequest,
    default_caller: &str,
    page_cap: Option<usize>,
) -> Result<(SimulatePage, Vec<bool>), ApiError> {
    let qs = queries(r, default_caller)?;
    if let Some(q) = qs.first() {
        check_syntax(&q.policies)?;
    }
    let named = !r.resource_arns.is_empty();
    let per_action = r.resource_arns.len().max(1);
    let (start, end, marker) = page_range(r, r.action_names.len(), page_cap)?;
    let mut results = Vec::with_capacity(end - start);
    let mut present = Vec::with_capacity(end - start);
    for chunk in qs.chunks(per_action).skip(start).take(end - start) {
        let mut answers = Vec::with_capacity(chunk.len());
        for q in chunk {
            let a = ModelOracle.answer_one(q).map_err(|e| match e.kind {
                ErrorKind::Model => ApiError::policy_evaluation(e.message),
                _ => ApiError::invalid_input(e.message),
            })?;
            answers.push(a);
        }
        let a = action_result(chunk, &answers, named);
        results.push(a.result);
        present.push(a.details_present);
    }
    let page = SimulatePage {
        evaluation_results: results,
        is_truncated: marker.is_some(),
        marker,
    };
    Ok((page, present))
}

/// A fingerprint of the request without its paging members, so that a `Marker` is only
/// accepted for the request that produced it.
fn fingerprint(r: &SimulateRequest) -> String {
    let mut base = r.clone();
    base.marker = None;
    base.max_items = None;
    let json = format!("{base:?}");
    format!("{:016x}", fnv1a_128(json.as_bytes()) as u64)
}

/// The results `start..end` of `total` a page holds, and the marker of the next page.
fn page_range(
    r: &SimulateRequest,
    total: usize,
    page_cap: Option<usize>,
) -> Result<(usize, usize, Option<String>), ApiError> {
    let fp = fingerprint(r);
    let start = match &r.marker {
        None => 0,
        Some(m) => m
            .strip_prefix("iamcr1.")
            .and_then(|rest| rest.split_once('.'))
            .filter(|(_, f)| *f == fp)
            .and_then(|(n, _)| n.parse::<usize>().ok())
            .filter(|n| *n > 0 && *n < total)
            .ok_or_else(|| {
                ApiError::invalid_input(format!("Marker {m:?} was not issued for this request"))
            })?,
    };
    let max = r
        .max_items
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(DEFAULT_MAX_ITEMS)
        .min(page_cap.unwrap_or(usize::MAX))
        .max(1);
    let end = (start + max).min(total);
    let marker = (end < total).then(|| format!("iamcr1.{end}.{fp}"));
    Ok((start, end, marker))
}

#[cfg(test)]
#[path = "simulate_tests.rs"]
mod tests;
