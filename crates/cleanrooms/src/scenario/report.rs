//! What running a scenario answers, per step and overall, as text and as JSON.

use iamcr_eval::{Decision, Principal};
use serde::{Serialize, Serializer};
use std::fmt::Write;

/// The answer for one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepReport {
    /// The step's name.
    pub name: String,
    /// Who asked: an ARN, or the service principal's name.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The decision.
    #[serde(serialize_with = "decision_str")]
    pub decision: Decision,
    /// The evaluation's explanation, rendered ([`iamcr_eval::Explanation::render`]).
    pub explanation: String,
    /// What the step stands for or assumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn decision_str<S: Serializer>(d: &Decision, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(d.as_str())
}

impl StepReport {
    /// Whether the step is allowed.
    pub fn allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }
}

/// The answer for a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioReport {
    /// The scenario's `id`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Every step, in order (all are evaluated, also after a denied one).
    pub steps: Vec<StepReport>,
    /// Whether every step is allowed.
    pub allowed: bool,
    /// The 1-based number of the first denied step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denied_at: Option<usize>,
    /// Notes about the scenario as a whole (assumptions, documentation discrepancies).
    pub notes: Vec<String>,
}

impl ScenarioReport {
    /// The first denied step.
    pub fn first_denied(&self) -> Option<&StepReport> {
        self.denied_at
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.steps.get(i))
    }

    /// The step with this name.
    pub fn step(&self, name: &str) -> Option<&StepReport> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// One line per step, `PASS|DENY name: principal action resource — decision`, the
    /// indented explanation under each denied step, notes, and a final line `scenario
    /// allowed` or `scenario denied at step N`.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        for s in &self.steps {
            let _ = writeln!(
                out,
                "{} {}: {} {} {} — {}",
                if s.allowed() { "PASS" } else { "DENY" },
                s.name,
                s.principal,
                s.action,
                s.resource,
                s.decision
            );
            if let Some(n) = &s.note {
                let _ = writeln!(out, "    note: {n}");
            }
            if !s.allowed() {
                for line in s.explanation.lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
        match self.denied_at {
            None => out.push_str("scenario allowed\n"),
            Some(n) => {
                let _ = writeln!(out, "scenario denied at step {n}");
            }
        }
        out
    }
}

/// How a principal is shown in a step line: its ARN (the session ARN for a role session),
/// or the service principal's name.
pub(crate) fn principal_label(p: &Principal) -> String {
    match p {
        Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => arn.clone(),
        Principal::RoleSession {
            session_arn: Some(s),
            ..
        } => s.clone(),
        Principal::RoleSession { role_arn, .. } => role_arn.clone(),
        Principal::Root { account, partition } => format!("arn:{partition}:iam::{account}:root"),
        Principal::Service(s) => s.clone(),
        other => other.describe(),
    }
}
