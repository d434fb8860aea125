//! `cargo xtask explain CASE.json [--id ID] [--json]`: the model's decision for evaluation
//! cases, explained statement by statement.

use iamcr::case::{Case, EvalCase};
use iamcr::eval_case::{CaseError, Explanation, ModelInput};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `explain`.
#[derive(clap::Args)]
pub struct Args {
    /// A case file (one case or an array).
    file: PathBuf,
    /// Only the case with this id.
    #[arg(long)]
    id: Option<String>,
    /// Machine output: one JSON object per case.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitCode {
    let cases = match iamcr::load::load_file(&args.file) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut shown = 0;
    for loaded in &cases {
        let Case::Evaluation(case) = &loaded.case else {
            continue;
        };
        if args.id.as_deref().is_some_and(|id| id != case.id) {
            continue;
        }
        shown += 1;
        let (input, explanation) = match iamcr::eval_case::explain(case) {
            Ok(x) => x,
            Err(e) => {
                errln!("error: {}", placed(loaded, case, e));
                return ExitCode::from(2);
            }
        };
        if args.json {
            outln!("{}", explanation_json(case, &explanation));
        } else {
            print_text(loaded, case, &input, &explanation);
        }
    }
    if shown == 0 {
        errln!(
            "error: {}: no evaluation case{}",
            args.file.display(),
            args.id
                .map(|i| format!(" with id {i:?}"))
                .unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Why a case cannot be explained, placed as `conform` places it, with the case named after
/// the place.
fn placed(loaded: &iamcr::LoadedCase, case: &EvalCase, e: CaseError) -> String {
    match e {
        CaseError::Policy { slot, mut fault } => {
            fault.message = format!("case {}: {}", case.id, fault.message);
            loaded.place(&slot, &fault)
        }
        CaseError::Other(e) => format!(
            "{}:{}: case {}: {e}",
            loaded.file.display(),
            loaded.line,
            case.id
        ),
    }
}

/// `--json`: the decision, the matched statements and every statement visited.
fn explanation_json(case: &EvalCase, explanation: &Explanation) -> serde_json::Value {
    let e = &explanation.evaluation;
    let statements: Vec<_> = explanation
        .statements
        .iter()
        .map(|t| {
            serde_json::json!({
                "policy": t.policy.to_string(),
                "statement": t.statement,
                "sid": t.sid.as_deref(),
                "effect": if t.allow { "Allow" } else { "Deny" },
                "line": t.start.map(|p| p.line),
                "column": t.start.map(|p| p.column),
                "applies": t.result.is_ok(),
                "why": t.why,
            })
        })
        .collect();
    serde_json::json!({
        "id": case.id,
        "decision": e.decision.as_str(),
        "expected": case.expect.decision.as_str(),
        "reason": e.reason.to_string(),
        "matched": e.matched.iter().map(|m| serde_json::json!({
            "policy": m.policy.to_string(),
            "statement": m.statement,
            "sid": m.sid.as_deref(),
            "effect": if m.allow { "Allow" } else { "Deny" },
            "start": m.start.map(|p| serde_json::json!({"line": p.line, "column": p.column})),
            "end": m.end.map(|p| serde_json::json!({"line": p.line, "column": p.column})),
        })).collect::<Vec<_>>(),
        "missing_context": e.missing_context,
        "details": e.details.iter().map(|(t, d)| (t.as_str(), d.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
        "statements": statements,
    })
}

/// The explanation as text, with a note when the case expects another decision.
fn print_text(
    loaded: &iamcr::LoadedCase,
    case: &EvalCase,
    input: &ModelInput,
    explanation: &Explanation,
) {
    outln!(
        "case {} ({}:{})",
        case.id,
        loaded.file.display(),
        loaded.line
    );
    out!("{}", explanation.render(&input.request));
    let expected = case.expect.decision;
    let got = explanation.evaluation.decision;
    if expected != got {
        outln!("NOTE: the case expects {}", expected.as_str());
    }
    outln!();
}
