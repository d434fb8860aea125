//! Scenarios: the multi-step authorizations AWS Clean Rooms performs, evaluated step by step
//! with the reference model (`iamcr_eval`). Each step is one evaluation; a scenario is
//! allowed when every step is, and the report carries the explanation of each step.
//!
//! Three operations (the format is in `docs/scenarios.md`):
//!
//! - **member call**: a member's role calls a Clean Rooms / Clean Rooms ML operation; the
//!   service also checks `iam:PassRole` on a role the call passes (with
//!   `iam:PassedToService`) and `cleanrooms:PassMembership` / `PassCollaboration` where a
//!   Clean Rooms ML custom-model API takes a membership or collaboration ID
//!   ([`operations::OPERATIONS`] says which operation needs what, and why).
//! - **service role assumption**: the service principal assumes a customer's service role
//!   (trust policy, confused-deputy context), then the role's session reads or writes Glue,
//!   S3 and KMS resources; one preset per service role of seed 000.
//! - **cross-account audience generation**: `StartAudienceGenerationJob` from account A on
//!   account B's configured audience model, authorized against three resources as seeds 001
//!   and 002 describe (the SAR lists only the model; see [`SAR_DISCREPANCY`]).
//!
//! ```
//! use iamcr_cleanrooms::scenario::{self, Scenario};
//! let s: Scenario = serde_json::from_str(r#"{
//!   "roles": [{"name": "Analyst", "account": "111122223333",
//!              "identity_policies": ["managed-AWSCleanRoomsReadOnlyAccess"]}],
//!   "operation": {"kind": "member_call", "caller": "Analyst", "region": "us-east-1",
//!                 "action": "cleanrooms:GetCollaboration",
//!                 "resource": "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c1"}
//! }"#)?;
//! let report = scenario::run(&s);
//! assert!(report.allowed);
//! # Ok::<(), serde_json::Error>(())
//! ```

mod check;
pub mod operations;
mod plan;
pub mod policy_ref;
mod report;
mod service_role;
pub mod spec;

pub use operations::{OPERATIONS, OperationRule, PassesRole, operation_rule};
pub use plan::{SAR_DISCREPANCY, Step};
pub use policy_ref::{PolicyOrigin, PolicyRef};
pub use report::{ScenarioReport, StepReport};
pub use spec::{
    AccountSpec, ContextEntrySpec, CrossAccountSpec, ExpectSpec, MemberCallSpec, OperationSpec,
    Preset, ResourcePolicySpec, RoleSpec, ScenarioSpec, ServiceRoleSpec,
};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};
use std::fmt;

/// Why a scenario cannot be run (a missing role, parameter or policy; a policy the model
/// cannot compile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

/// A checked scenario: its description and the planned steps. Built from a
/// [`ScenarioSpec`] (`Scenario::try_from`, or by deserializing), which finds every problem
/// up front, so [`run`] cannot fail.
///
/// Deserializing reports problems within one value (JSON syntax, an unknown field, a policy
/// that does not parse) at that value; problems of how the parts fit together (an unknown
/// role, a missing parameter) are found once the whole document is read and reported at its
/// end, naming the field.
#[derive(Debug, Clone)]
pub struct Scenario {
    spec: ScenarioSpec,
    steps: Vec<Step>,
    notes: Vec<String>,
}

impl TryFrom<ScenarioSpec> for Scenario {
    type Error = ScenarioError;

    fn try_from(spec: ScenarioSpec) -> Result<Scenario, ScenarioError> {
        check::policies_compile(&spec).map_err(ScenarioError)?;
        let world = plan::World::new(&spec).map_err(ScenarioError)?;
        let plan = match &spec.operation {
            OperationSpec::MemberCall(m) => plan::member_call(&world, m),
            OperationSpec::ServiceRoleAssumption(s) => service_role::service_role(&world, s),
            OperationSpec::CrossAccountAudienceGeneration(c) => plan::cross_account(&world, c),
        }
        .map_err(ScenarioError)?;
        Ok(Scenario {
            steps: plan.steps,
            notes: plan.notes,
            spec,
        })
    }
}

impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Scenario, D::Error> {
        d.deserialize_map(ScenarioVisitor)
    }
}

/// Checks the scenario inside the deserializer's `visit_map`, so that a checking error gets
/// the deserializer's position (the end of the document) rather than none at all, as it
/// would with `#[serde(try_from)]` under serde_json.
struct ScenarioVisitor;

impl<'de> Visitor<'de> for ScenarioVisitor {
    type Value = Scenario;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scenario object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scenario, A::Error> {
        let spec = ScenarioSpec::deserialize(MapAccessDeserializer::new(map))?;
        Scenario::try_from(spec).map_err(de::Error::custom)
    }
}

/// Why a scenario file cannot be read, with the 1-based line and column of the problem: for
/// a policy, the offending token in the file (the message ends with its place in the policy
/// text); else serde_json's position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    line: usize,
    column: usize,
    message: String,
}

impl ReadError {
    /// 1-based line.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Column (1-based for a policy's token; serde_json's, which may be 0, otherwise).
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for ReadError {}

impl Scenario {
    /// Read a scenario from JSON text. A policy's problem is placed at its offending token
    /// in `text`; any other problem at serde_json's line and column.
    pub fn from_json(text: &str) -> Result<Scenario, ReadError> {
        let reading = policy_ref::ReadingGuard::start(text);
        serde_json::from_str(text).map_err(|e: serde_json::Error| {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
            // The recorded fault is this error's only when the messages agree (serde gives
            // up at the first error, but a caller's own retry must not take another's place).
            match reading.fault() {
                Some(placed) if message == placed.message => {
                    let pos = placed.place.file_position(text, placed.offset);
                    ReadError {
                        line: pos.line as usize,
                        column: pos.column as usize,
                        message,
                    }
                }
                _ => ReadError {
                    line: e.line(),
                    column: e.column(),
                    message,
                },
            }
        })
    }

    /// The scenario as written.
    pub fn spec(&self) -> &ScenarioSpec {
        &self.spec
    }

    /// The planned steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
}

/// Evaluate every step; the report says which are allowed and explains each.
pub fn run(scenario: &Scenario) -> ScenarioReport {
    let steps: Vec<StepReport> = scenario
        .steps
        .iter()
        .map(|s| {
            let explanation = s.authorizer.explain(&s.request);
            StepReport {
                name: s.name.clone(),
                principal: report::principal_label(&s.request.principal),
                action: s.request.action.clone(),
                resource: s.request.resource.clone(),
                decision: explanation.evaluation.decision,
                explanation: explanation.render(&s.request),
                note: s.note.clone(),
            }
        })
        .collect();
    let denied_at = steps.iter().position(|s| !s.allowed()).map(|i| i + 1);
    ScenarioReport {
        id: scenario.spec.id.clone(),
        allowed: denied_at.is_none(),
        denied_at,
        steps,
        notes: scenario.notes.clone(),
    }
}
