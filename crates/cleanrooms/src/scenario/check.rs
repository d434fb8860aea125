//! Every policy of a scenario must compile for the slot it is used in, checked before the
//! steps are planned so that a policy the model cannot use is reported at its own place in
//! the scenario file (the Effect, operator or statement at fault), not at the step that
//! first uses it, and also when no step uses it.

use super::policy_ref::{PolicyRef, placed_fault};
use super::spec::{OperationSpec, ScenarioSpec};
use iamcr_eval::{Authorizer, PolicySet};
use iamcr_policy::embed::Fault;

/// Each policy of the scenario with its path in the file and whether it is used as a
/// resource-based policy (where a trust policy has no `Resource`).
fn policies(spec: &ScenarioSpec) -> Vec<(String, &PolicyRef, bool)> {
    let mut all = Vec::new();
    for (i, a) in spec.accounts.iter().enumerate() {
        for (l, level) in a.scp.iter().flatten().enumerate() {
            for (j, p) in level.iter().enumerate() {
                all.push((format!("accounts[{i}].scp[{l}][{j}]"), p, false));
            }
        }
    }
    for (i, r) in spec.roles.iter().enumerate() {
        for (j, p) in r.identity_policies.iter().enumerate() {
            all.push((format!("roles[{i}].identity_policies[{j}]"), p, false));
        }
        if let Some(p) = &r.permissions_boundary {
            all.push((format!("roles[{i}].permissions_boundary"), p, false));
        }
        if let Some(p) = &r.trust_policy {
            all.push((format!("roles[{i}].trust_policy"), p, true));
        }
    }
    for (i, r) in spec.resource_policies.iter().enumerate() {
        all.push((format!("resource_policies[{i}].policy"), &r.policy, true));
    }
    if let OperationSpec::CrossAccountAudienceGeneration(c) = &spec.operation
        && let Some(p) = &c.model_policy
    {
        all.push(("operation.model_policy".to_string(), p, true));
    }
    all
}

/// The first policy the model cannot compile, as an error naming it (placed in the file
/// when the scenario is read by `Scenario::from_json`).
pub(crate) fn policies_compile(spec: &ScenarioSpec) -> Result<(), String> {
    for (path, p, resource_slot) in policies(spec) {
        let set = if resource_slot {
            PolicySet {
                resource: Some(p.policy.clone()),
                ..PolicySet::default()
            }
        } else {
            PolicySet {
                identity: vec![p.policy.clone()],
                ..PolicySet::default()
            }
        };
        if let Err(e) = Authorizer::new(&set) {
            let statement = e
                .statement
                .map(|s| format!("statement {s}: "))
                .unwrap_or_default();
            let fault = Fault {
                message: format!(
                    "policy {path} ({}) cannot be evaluated: {statement}{}",
                    p.origin, e.message
                ),
                at: e.at.map(|(span, pos)| (span.start, pos)),
            };
            return Err(placed_fault(p.place, &fault));
        }
    }
    Ok(())
}
