//! Batching: queries that share policies, caller, resource owner and context become one
//! `SimulateCustomPolicy` call with many `ActionNames` and `ResourceArns` (the simulator
//! evaluates each action against each resource), within [`Limits`]; and the results of a
//! call are mapped back to the queries that asked them. Pure code: no SDK, no I/O.

use crate::query::{
    Answer, Caller, ContextKeyType, ContextValue, Decision, ErrorKind, Matched, OracleError,
    PolicyInputs, PolicySlot, PolicyText, Pos, Query,
};
use crate::wire::{EvaluationResult, SimulateRequest};
use iamcr_case::Arn;
use std::collections::{BTreeMap, HashMap};

/// How large one call may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `ActionNames` members per call. The API sets no maximum; this keeps requests far
    /// below any request-size limit.
    pub max_actions: usize,
    /// `ResourceArns` members per call.
    pub max_resources: usize,
    /// Action × resource pairs per call: before the 2026 change each pair was one
    /// `EvaluationResult`, and one page holds at most `MaxItems` (1000) of them.
    pub max_pairs: usize,
    /// `MaxItems` (1–1000).
    pub max_items: i32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_actions: 32,
            max_resources: 32,
            max_pairs: 1000,
            max_items: 1000,
        }
    }
}

/// One planned call: the request (without `Marker`) and which query each pair answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCall {
    /// The request.
    pub request: SimulateRequest,
    /// The policies of the call (for resolving matched statements).
    pub policies: PolicyInputs,
    /// `(query index, action, resource)` for every pair a query asked.
    pub members: Vec<(usize, String, String)>,
}

impl PlannedCall {
    /// Split the call in two (actions first, then resources), for isolating a query the
    /// simulator rejects. `None` when it holds one action and one resource.
    pub fn split(&self) -> Option<(PlannedCall, PlannedCall)> {
        let r = &self.request;
        let half = |v: &[String]| {
            let (a, b) = v.split_at(v.len() / 2);
            (a.to_vec(), b.to_vec())
        };
        let (left, right) = if r.action_names.len() > 1 {
            let (a, b) = half(&r.action_names);
            let mut l = self.clone();
            l.request.action_names = a;
            let mut rr = self.clone();
            rr.request.action_names = b;
            (l, rr)
        } else if r.resource_arns.len() > 1 {
            let (a, b) = half(&r.resource_arns);
            let mut l = self.clone();
            l.request.resource_arns = a;
            let mut rr = self.clone();
            rr.request.resource_arns = b;
            (l, rr)
        } else {
            return None;
        };
        let keep = |c: &mut PlannedCall| {
            let (acts, ress) = (
                c.request.action_names.clone(),
                c.request.resource_arns.clone(),
            );
            c.members
                .retain(|(_, a, res)| acts.contains(a) && ress.contains(res));
        };
        let (mut left, mut right) = (left, right);
        keep(&mut left);
        keep(&mut right);
        Some((left, right))
    }
}

/// Keys the simulator does not fill in by itself but the model derives from the caller
/// (UG, "Testing IAM policies with the IAM policy simulator": the simulator populates only
/// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:username`, `aws:userid` and the
/// organization keys). When a policy tests one of them and the query does not give it, the
/// request supplies the model's value, so both oracles see the same request.
pub const SUPPLIED_KEYS: [&str; 2] = ["aws:PrincipalArn", "aws:PrincipalIsAWSService"];

/// The value of a supplied key for an IAM user or role caller.
fn supplied_value(key: &str, caller: &str) -> (ContextKeyType, String) {
    if key == "aws:PrincipalIsAWSService" {
        (ContextKeyType::Boolean, "false".into())
    } else {
        (ContextKeyType::String, caller.to_string())
    }
}

/// The request for a query's policies, caller, owner and context (no actions or resources).
pub fn base_request(q: &Query, limits: &Limits) -> SimulateRequest {
    let p = &q.policies;
    let caller_arn = match &q.caller {
        Caller::Arn(a) => Some(a.clone()),
        _ => None,
    };
    let mut context = q.context.clone();
    if let Some(caller) = &caller_arn {
        let texts: Vec<String> = p.all().iter().map(|(_, t)| t.to_lowercase()).collect();
        for key in SUPPLIED_KEYS {
            let lower = key.to_lowercase();
            let tested = texts.iter().any(|t| t.contains(&lower));
            let given = context.iter().any(|c| c.key.eq_ignore_ascii_case(key));
            if tested && !given {
                let (ty, value) = supplied_value(key, caller);
                context.push(ContextValue {
                    key: key.to_string(),
                    ty,
                    values: vec![value],
                });
            }
        }
    }
    SimulateRequest {
        policy_input_list: texts(&p.identity),
        permissions_boundary_policy_input_list: texts(p.boundary.as_slice()),
        ordered_organization_policy_input_list: p
            .scp
            .iter()
            .flatten()
            .map(|level| texts(level))
            .collect(),
        resource_policy: p.resource.as_ref().map(|t| t.as_str().to_string()),
        resource_owner: q
            .resource_owner
            .as_ref()
            .map(|a| format!("arn:aws:iam::{a}:root")),
        caller_arn,
        context_entries: context,
        action_names: Vec::new(),
        resource_arns: Vec::new(),
        max_items: Some(limits.max_items),
        marker: None,
    }
}

/// Policy texts as the request carries them, byte for byte.
fn texts(policies: &[PolicyText]) -> Vec<String> {
    policies.iter().map(|t| t.as_str().to_string()).collect()
}

/// What queries must share to be asked in one call. With a resource policy, resources
/// must also share partition, service, region and account: the policy "must be applicable
/// to all of the resources" of the call. `*` is never mixed with ARNs, because missing
/// context keys are reported differently for it.
fn batch_key(q: &Query) -> String {
    let scope = match (&q.policies.resource, Arn::parse(&q.resource)) {
        (Some(_), Ok(p)) => format!("{}:{}:{}:{}", p.partition, p.service, p.region, p.account),
        _ => String::new(),
    };
    let mut context = q.context.clone();
    context.sort_by_key(|a| a.key.to_lowercase());
    let key = (
        &q.policies,
        &q.caller,
        &q.resource_owner,
        context,
        q.resource == "*",
        scope,
    );
    serde_json::to_string(&key).unwrap_or_default()
}

/// Plan calls for queries (by index into `queries`). Queries asking the same action on the
/// same resource with the same key share one pair.
pub fn plan(queries: &[Query], indexes: &[usize], limits: &Limits) -> Vec<PlannedCall> {
    let mut groups: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for &i in indexes {
        let Some(q) = queries.get(i) else { continue };
        let key = batch_key(q);
        let first = *first_of.entry(key.clone()).or_insert(i);
        groups.entry((first, key)).or_default().push(i);
    }
    let max_actions = limits.max_actions.max(1);
    let max_resources = limits.max_resources.max(1);
    let mut calls = Vec::new();
    for ((first, _), members) in groups {
        let Some(lead) = queries.get(first) else {
            continue;
        };
        let mut actions: Vec<String> = Vec::new();
        let mut resources: Vec<String> = Vec::new();
        for &i in &members {
            if let Some(q) = queries.get(i) {
                if !actions.contains(&q.action) {
                    actions.push(q.action.clone());
                }
                if !resources.contains(&q.resource) {
                    resources.push(q.resource.clone());
                }
            }
        }
        // Resources per call so that a full chunk of actions stays within max_pairs.
        let per_call_resources = max_resources
            .min((limits.max_pairs.max(1) / max_actions.min(actions.len()).max(1)).max(1));
        for rs in resources.chunks(per_call_resources) {
            for acts in actions.chunks(max_actions) {
                let pairs: Vec<(usize, String, String)> = members
                    .iter()
                    .filter_map(|&i| queries.get(i).map(|q| (i, q)))
                    .filter(|(_, q)| acts.contains(&q.action) && rs.contains(&q.resource))
                    .map(|(i, q)| (i, q.action.clone(), q.resource.clone()))
                    .collect();
                if pairs.is_empty() {
                    continue;
                }
                let used_actions: Vec<String> = acts
                    .iter()
                    .filter(|a| pairs.iter().any(|(_, pa, _)| pa == *a))
                    .cloned()
                    .collect();
                let used_resources: Vec<String> = rs
                    .iter()
                    .filter(|r| pairs.iter().any(|(_, _, pr)| pr == *r))
                    .cloned()
                    .collect();
                let mut request = base_request(lead, limits);
                request.action_names = used_actions;
                request.resource_arns = used_resources;
                calls.push(PlannedCall {
                    request,
                    policies: lead.policies.clone(),
                    members: pairs,
                });
            }
        }
    }
    calls
}

/// Statement spans of a policy text: `(index, sid, start of "{", one past "}")`.
fn statement_spans(text: &PolicyText) -> Vec<(usize, Option<String>, Pos, Pos)> {
    let Ok(policy) = text.parsed() else {
        return Vec::new();
    };
    let Some(source) = policy.source.as_ref() else {
        return Vec::new();
    };
    let pos = |p: iamcr_policy::Position| Pos {
        line: p.line,
        column: p.column,
    };
    policy
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                s.value.sid.as_ref().map(|x| x.value.clone()),
                pos(source.position(s.span.start)),
                pos(source.position(s.span.end)),
            )
        })
        .collect()
}

/// Find which statement a reported `Statement` is, from its slot and positions.
///
/// The documentation's examples put `EndPosition` one column past the closing brace (as
/// the model does) and `StartPosition` one column past the opening brace (the model points
/// at the brace), and some reports start at the comma before a statement; so the end
/// decides, with one column of slack, and the start is a fallback. A policy with one
/// statement needs no positions.
pub fn resolve(m: &mut Matched, policies: &PolicyInputs) {
    if m.slot.is_none() {
        m.slot = PolicySlot::from_simulator_id(&m.source_policy_id);
    }
    let Some(text) = m.slot.and_then(|s| policies.get(s)) else {
        return;
    };
    let spans = statement_spans(text);
    let near = |a: Pos, b: Pos| a.line == b.line && a.column.abs_diff(b.column) <= 1;
    let found = if spans.len() == 1 {
        spans.first()
    } else {
        m.end
            .and_then(|e| spans.iter().find(|s| s.3 == e))
            .or_else(|| m.end.and_then(|e| spans.iter().find(|s| near(s.3, e))))
            .or_else(|| {
                m.start
                    .and_then(|st| spans.iter().find(|s| s.2 <= st && st < s.3))
            })
    };
    if let Some((i, sid, _, _)) = found {
        m.statement = Some(*i);
        m.sid = sid.clone().filter(|s| !s.is_empty());
    }
}

fn no_result(message: String) -> OracleError {
    OracleError {
        kind: ErrorKind::NoResult,
        message,
    }
}

fn answer_from(
    decision: Option<Decision>,
    matched: &[Matched],
    missing: &[String],
    details: &[(String, Decision)],
    boundary: Option<bool>,
    organizations: Option<bool>,
    policies: &PolicyInputs,
) -> Result<Answer, OracleError> {
    let decision = decision.ok_or_else(|| no_result("the result has no decision".into()))?;
    let mut matched = matched.to_vec();
    for m in &mut matched {
        resolve(m, policies);
    }
    Ok(Answer {
        decision,
        matched: Some(matched),
        missing_context: Some(missing.to_vec()),
        details: details.to_vec(),
        allowed_by_boundary: boundary,
        allowed_by_organizations: organizations,
    })
}

/// Map the results of a call (all its pages) to the queries of the call.
///
/// Per-resource answers come from `ResourceSpecificResults`. A result without them is
/// used when it can only be about that resource: its `EvalResourceName` is the resource
/// (one result per action and resource, the shape before 2026), or the call had one
/// resource. The top-level `EvalResourceName` is otherwise a template, never matched.
pub fn assign(
    call: &PlannedCall,
    results: &[EvaluationResult],
) -> Vec<(usize, Result<Answer, OracleError>)> {
    let single_resource = call.request.resource_arns.len() == 1;
    call.members
        .iter()
        .map(|(i, action, resource)| {
            let for_action: Vec<&EvaluationResult> = {
                let exact: Vec<_> = results
                    .iter()
                    .filter(|r| r.eval_action_name == *action)
                    .collect();
                if exact.is_empty() {
                    results
                        .iter()
                        .filter(|r| r.eval_action_name.eq_ignore_ascii_case(action))
                        .collect()
                } else {
                    exact
                }
            };
            let specific = for_action.iter().find_map(|r| {
                r.resource_specific_results
                    .iter()
                    .find(|s| s.eval_resource_name == *resource)
                    .map(|s| (r, s))
            });
            let answer = if let Some((top, s)) = specific {
                answer_from(
                    s.eval_resource_decision,
                    &s.matched_statements,
                    &s.missing_context_values,
                    &s.eval_decision_details,
                    s.allowed_by_boundary.or(top.allowed_by_boundary),
                    single_resource
                        .then_some(top.allowed_by_organizations)
                        .flatten(),
                    &call.policies,
                )
            } else if let Some(top) = for_action
                .iter()
                .find(|r| r.eval_resource_name.as_deref() == Some(resource.as_str()))
                .or_else(|| for_action.first().filter(|_| single_resource))
            {
                answer_from(
                    top.eval_decision,
                    &top.matched_statements,
                    &top.missing_context_values,
                    &top.eval_decision_details,
                    top.allowed_by_boundary,
                    top.allowed_by_organizations,
                    &call.policies,
                )
            } else {
                Err(no_result(format!(
                    "the simulator returned no result for {action} on {resource}"
                )))
            };
            (*i, answer)
        })
        .collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
