//! Running evaluation cases through the model.

use crate::case::EvalCase;
use crate::run::Status;

/// Run one evaluation case.
pub fn run(_case: &EvalCase) -> (Status, Option<String>, serde_json::Value) {
    (
        Status::Skip,
        Some("evaluation cases need the evaluator, which is not built yet (issue #3)".into()),
        serde_json::Value::Null,
    )
}
