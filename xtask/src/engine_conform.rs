//! `cargo xtask conform --engine CMD PATH…`: the case files through an engine over the
//! engine protocol, each answer against the case's expectation. A case the engine did not
//! declare it can take is skipped by reason (validation cases too: protocol 1 evaluates);
//! a disagreement the engine's deviation file documents is counted as deviated. Exit status
//! 0 only when nothing disagreed (and something was compared).

use crate::engine_judge::{EngineArgs, Peer, PeerOracle, Tally, Verdict, deviations, judge_all};
use iamcr::LoadedCase;
use iamcr::case::{Case, EvalCase};
use iamcr_oracle::engine::deviations::EngineDeviations;
use std::process::ExitCode;

/// One case's verdict, where it is.
#[derive(serde::Serialize)]
pub struct Row<'a> {
    id: &'a str,
    file: &'a std::path::Path,
    line: u32,
    #[serde(flatten)]
    verdict: Verdict,
}

/// Run `cases` (already loaded, ids checked unique) against the engine of `args`.
pub fn run(args: &EngineArgs, cases: &[LoadedCase], json: bool) -> Result<ExitCode, String> {
    let mut peer = Peer::start(args)?;
    let deviations = deviations(args, &peer)?;
    let (rows, tally) = check(&mut peer, &deviations, cases, json);
    let unused = unused(&deviations, &tally);
    if json {
        for r in &rows {
            outln!("{}", serde_json::to_string(r).unwrap_or_default());
        }
        outln!(
            "{}",
            serde_json::json!({"engine": peer.describe(), "summary": tally, "line": tally.line(),
                "deviation_file": deviations.path, "unused_deviations": unused})
        );
    } else {
        print_text(&peer, &rows, &tally, &unused);
    }
    let compared = tally.agreed + tally.deviated_total() + tally.disagreed;
    if compared == 0 {
        errln!(
            "error: nothing compared: the engine took none of the cases ({})",
            tally.skip_reasons()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(if tally.disagreed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The deviations that covered nothing.
pub fn unused<'a>(deviations: &'a EngineDeviations, tally: &Tally) -> Vec<&'a str> {
    deviations
        .deviations
        .iter()
        .map(|d| d.id.as_str())
        .filter(|id| !tally.deviated.contains_key(*id))
        .collect()
}

/// Every case's verdict (in file order), and their counts: the evaluation cases'
/// expectations against the peer through the one differential engine, 256 at a time.
pub fn check<'a>(
    peer: &mut Peer,
    deviations: &EngineDeviations,
    cases: &'a [LoadedCase],
    quiet: bool,
) -> (Vec<Row<'a>>, Tally) {
    let mut oracle = PeerOracle::new(peer, deviations);
    let evaluations: Vec<&EvalCase> = cases
        .iter()
        .filter_map(|c| match &c.case {
            Case::Evaluation(e) => Some(e.as_ref()),
            Case::Validation(_) => None,
        })
        .collect();
    let bar = crate::out::progress(evaluations.len() as u64, "cases");
    if quiet {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut verdicts = Vec::with_capacity(evaluations.len());
    for chunk in evaluations.chunks(256) {
        verdicts.extend(judge_all(&mut oracle, chunk));
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let mut verdicts = verdicts.into_iter();
    let mut tally = Tally::default();
    let mut rows = Vec::new();
    for c in cases {
        let verdict = match &c.case {
            Case::Validation(_) => Verdict::Skipped {
                reason: "validation case (engine protocol 1 evaluates requests)".to_string(),
            },
            Case::Evaluation(_) => verdicts.next().unwrap_or(Verdict::Disagreed {
                signature: "no-answer".into(),
                detail: "no answer".into(),
            }),
        };
        tally.add(&verdict);
        rows.push(Row {
            id: c.case.id(),
            file: &c.file,
            line: c.line,
            verdict,
        });
    }
    (rows, tally)
}

fn print_text(peer: &Peer, rows: &[Row<'_>], tally: &Tally, unused: &[&str]) {
    for r in rows {
        let at = format!("({}:{})", r.file.display(), r.line);
        match &r.verdict {
            Verdict::Disagreed { signature, detail } => {
                outln!("DISAGREE {} {at}: {detail} [{signature}]", r.id)
            }
            Verdict::Deviated {
                deviation, detail, ..
            } => {
                outln!("DEVIATED {} {at}: {detail} (deviation {deviation})", r.id)
            }
            Verdict::Agreed | Verdict::Skipped { .. } => {}
        }
    }
    if tally.skipped_total() > 0 {
        outln!("skipped by reason: {}", tally.skip_reasons());
    }
    if !unused.is_empty() {
        outln!(
            "deviations that covered nothing here: {}",
            unused.join(", ")
        );
    }
    outln!("engine {}: {}", peer.describe(), tally.line());
}
