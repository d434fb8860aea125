//! `cargo xtask simulate --engine CMD`: the generated campaign, differentially, against an
//! engine over the engine protocol. Each generated case is decided by the model in process
//! and by the engine; a case the engine did not declare it can take is skipped by reason;
//! a disagreement the engine's deviation file documents is counted as deviated. Every other
//! disagreement is shrunk to a minimal case that still disagrees the same way, and grouped
//! by its signature (what differs, what the minimal case needs): one group, one finding file
//! in `findings/` holding the minimal case with both answers and the model's explanation.

use crate::engine_judge::{
    EngineArgs, Peer, PeerOracle, Tally, Verdict, deviations, expect_of, judge_all,
};
use iamcr::case::EvalCase;
use iamcr::oracle_case::answer_from_expect;
use iamcr_gen::{Generator, Preset, SeededCases};
use iamcr_oracle::engine::deviations::EngineDeviations;
use iamcr_oracle::{
    Answer, Capabilities, Minimise, ModelOracle, Oracle, OracleError, Query, QueryId,
    differential_minimised,
};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

/// Cases sent to the engine per round (progress is shown between rounds).
const ROUND: usize = 1024;
/// Engine questions a shrink may ask.
const SHRINK_BUDGET: usize = 400;

/// The offline campaign's settings that apply here.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--json`.
    pub json: bool,
    /// `--count`.
    pub count: usize,
    /// `--seed`.
    pub seed: u64,
    /// `--preset`.
    pub preset: Preset,
    /// `--force`.
    pub force: bool,
    /// `--findings`.
    pub findings: Option<PathBuf>,
}

/// One group of disagreements with one root cause (as far as a signature tells).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// What differs and what the minimal case needs.
    pub signature: String,
    /// Cases in the group.
    pub cases: usize,
    /// Stream index of the case that was shrunk.
    pub first: usize,
    /// What differs, in a sentence.
    pub detail: String,
    /// Where its finding goes.
    pub finding: PathBuf,
    #[serde(skip)]
    text: String,
}

/// What a campaign found.
#[derive(Debug)]
pub struct Outcome {
    /// Verdicts counted.
    pub tally: Tally,
    /// Disagreement groups, largest first.
    pub groups: Vec<Group>,
    /// Seconds the cases took (generating, both answers, judging; not shrinking).
    pub seconds: f64,
}

/// Run the campaign against the engine of `args`.
pub fn run(args: &EngineArgs, s: &Settings) -> Result<ExitCode, String> {
    if args.versus_in_process {
        return measure(args, s);
    }
    let mut peer = Peer::start(args)?;
    let deviations = deviations(args, &peer)?;
    let outcome = campaign(&mut peer, &deviations, s)?;
    let files: Vec<(PathBuf, String)> = outcome
        .groups
        .iter()
        .map(|g| (g.finding.clone(), g.text.clone()))
        .collect();
    crate::keep::write_all(&files, s.force, "this run's finding")?;
    report(&peer, s, &outcome.tally, &outcome.groups, outcome.seconds);
    Ok(if outcome.tally.disagreed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--versus-in-process`: the same campaign in process, over the protocol, in process again,
/// in one run; the rates and the protocol's share of the in-process rate (the mean of the two
/// in-process runs, which bracket the protocol run so that drift in machine load shows).
fn measure(args: &EngineArgs, s: &Settings) -> Result<ExitCode, String> {
    let quiet = Settings {
        json: true,
        ..s.clone()
    };
    let none = EngineDeviations::default();
    let rate = |peer: &mut Peer| -> Result<f64, String> {
        let o = campaign(peer, &none, &quiet)?;
        if o.tally.disagreed > 0 {
            return Err(format!(
                "{} disagreements: measure with the model as engine",
                o.tally.disagreed
            ));
        }
        Ok(s.count as f64 / o.seconds.max(1e-9))
    };
    let before = rate(&mut Peer::InProcess)?;
    let mut engine = Peer::start(&EngineArgs {
        versus_in_process: false,
        ..args.clone()
    })?;
    let over = rate(&mut engine)?;
    let after = rate(&mut Peer::InProcess)?;
    let in_process = (before + after) / 2.0;
    let share = over / in_process;
    if s.json {
        outln!(
            "{}",
            serde_json::json!({"engine": engine.describe(), "cases": s.count, "preset": s.preset.as_str(),
                "seed": s.seed, "over_protocol_cases_per_second": over,
                "in_process_cases_per_second": [before, after], "share": share})
        );
    } else {
        outln!(
            "{} {} cases (seed {}): over the protocol ({}) {over:.0} cases/s; in process {before:.0} and {after:.0} cases/s; {:.0} % of in process",
            s.count,
            s.preset,
            s.seed,
            engine.describe(),
            share * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Generate, ask, judge, then shrink and group the disagreements.
pub fn campaign(
    peer: &mut Peer,
    deviations: &EngineDeviations,
    s: &Settings,
) -> Result<Outcome, String> {
    let generator = Generator::preset(s.preset).map_err(|e| e.to_string())?;
    let source = format!("generated seed={} preset={}", s.seed, s.preset);
    let started = std::time::Instant::now();
    let bar = crate::out::progress(s.count as u64, "generated cases");
    if s.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut tally = Tally::default();
    let mut disagreements: Vec<(usize, EvalCase, String, String)> = Vec::new();
    let mut stream = SeededCases::new(generator, s.seed)
        .take(s.count)
        .enumerate();
    let mut oracle = PeerOracle::new(peer, deviations);
    loop {
        let round = next_round(&mut stream, s, &source, &mut tally);
        if round.is_empty() {
            break;
        }
        let cases: Vec<&EvalCase> = round.iter().map(|(_, c)| c).collect();
        let verdicts = judge_all(&mut oracle, &cases);
        for ((index, case), verdict) in round.iter().zip(verdicts) {
            if let Verdict::Disagreed { signature, detail } = &verdict {
                disagreements.push((*index, case.clone(), signature.clone(), detail.clone()));
            }
            tally.add(&verdict);
        }
        bar.inc(round.len() as u64);
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let groups = group(&mut oracle, s, disagreements);
    Ok(Outcome {
        tally,
        groups,
        seconds,
    })
}

/// The next [`ROUND`] cases of the stream, each with the model's answer as expectation.
fn next_round(
    stream: &mut impl Iterator<Item = (usize, iamcr_gen::GenCase)>,
    s: &Settings,
    source: &str,
    tally: &mut Tally,
) -> Vec<(usize, EvalCase)> {
    stream
        .by_ref()
        .take(ROUND)
        .filter_map(|(index, case)| {
            let id = format!("engine-{}-s{}-{index:05}", s.preset, s.seed);
            let Ok(evaluation) = case.evaluate() else {
                tally.add(&Verdict::Skipped {
                    reason: "the model cannot compile it".into(),
                });
                return None;
            };
            let mut ec = iamcr_gen::eval_case(&id, None, Some(source), &case, &evaluation);
            let q = Query::from_case(&ec);
            // The model's answer from the case's text, as the engine reads it.
            match ModelOracle.answer_one(&q) {
                Ok(a) => ec.expect = expect_of(&a),
                Err(_) => ec.expect.matched = None,
            }
            Some((index, ec))
        })
        .collect()
}

/// Shrink one disagreement per first signature (later ones with the same first signature
/// join its group unshrunk: shrinking is the costly part) and group by the shrunk signature.
fn group(
    oracle: &mut PeerOracle<'_>,
    s: &Settings,
    disagreements: Vec<(usize, EvalCase, String, String)>,
) -> Vec<Group> {
    let findings = s
        .findings
        .clone()
        .unwrap_or_else(|| crate::project::path("findings"));
    let engine = oracle.peer().name();
    let mut shrunk_signature: BTreeMap<String, String> = BTreeMap::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (index, case, signature, detail) in disagreements {
        if let Some(to) = shrunk_signature.get(&signature) {
            if let Some(g) = groups.get_mut(to) {
                g.cases += 1;
            }
            continue;
        }
        let (small, small_signature, small_detail) =
            shrink(oracle, &case).unwrap_or((case, signature.clone(), detail));
        shrunk_signature.insert(signature, small_signature.clone());
        if let Some(g) = groups.get_mut(&small_signature) {
            g.cases += 1;
            continue;
        }
        let stem = format!("engine-{engine}-{}-s{}-{index:05}", s.preset, s.seed);
        let text = finding_text(&engine, oracle.peer(), &small, &small_detail);
        groups.insert(
            small_signature.clone(),
            Group {
                signature: small_signature,
                cases: 1,
                first: index,
                detail: small_detail,
                finding: findings.join(format!("{stem}.json")),
                text,
            },
        );
    }
    let mut v: Vec<Group> = groups.into_values().collect();
    v.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.first.cmp(&b.first)));
    v
}

/// The smallest case that still disagrees the same way (the same difference or failure,
/// whatever the rest of the signature becomes), with its signature and detail: the one
/// differential engine minimises it over the candidates of [`iamcr::shrink::candidates`].
fn shrink(oracle: &mut PeerOracle<'_>, case: &EvalCase) -> Option<(EvalCase, String, String)> {
    let query = Query::from_case(case);
    // Each candidate's case, by its query: a case keeps what its query does not (whether
    // a policy is written as a string), and the finding is that case.
    let cases = RefCell::new(HashMap::from([(query.id(), case.clone())]));
    let candidates = |q: &Query| -> Vec<Query> {
        let Some(current) = cases.borrow().get(&q.id()).cloned() else {
            return Vec::new();
        };
        let mut these: HashMap<QueryId, EvalCase> = HashMap::new();
        let smaller: Vec<Query> = iamcr::shrink::candidates(&current)
            .into_iter()
            .map(|c| {
                let q = Query::from_case(&c);
                these.entry(q.id()).or_insert(c);
                q
            })
            .collect();
        cases.borrow_mut().extend(these);
        smaller
    };
    let mut reference = CaseExpectations {
        case,
        own: query.id(),
    };
    let minimise = Minimise {
        candidates: &candidates,
        budget: SHRINK_BUDGET,
    };
    let labels = [case.id.clone()];
    let report = differential_minimised(&mut reference, oracle, &[query], &labels, &minimise);
    let small = (report.disagreements.iter().map(|d| &d.minimised))
        .chain(report.failures.iter().map(|f| &f.minimised))
        .find_map(Option::as_ref)
        .and_then(|q| cases.borrow().get(&q.id()).cloned())?;
    match verdict_of(oracle, &small) {
        Some((c, Verdict::Disagreed { signature, detail })) => Some((c, signature, detail)),
        _ => None,
    }
}

/// The reference a shrink judges against: a case's written expectation for its own query
/// (as the rounds judged it), the model's answer as an expectation for a smaller one.
struct CaseExpectations<'a> {
    case: &'a EvalCase,
    own: QueryId,
}

impl Oracle for CaseExpectations<'_> {
    fn name(&self) -> &str {
        "expected"
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::complete()
    }

    fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
        let answer = |q: &Query| -> Result<Answer, OracleError> {
            if q.id() == self.own {
                return Ok(answer_from_expect(self.case, q));
            }
            let mut c = self.case.clone();
            c.expect = expect_of(&ModelOracle.answer_one(q)?);
            Ok(answer_from_expect(&c, q))
        };
        queries.iter().map(answer).collect()
    }
}

/// The model's expectation for `candidate`, and the engine's verdict on it.
fn verdict_of(oracle: &mut PeerOracle<'_>, candidate: &EvalCase) -> Option<(EvalCase, Verdict)> {
    let q = Query::from_case(candidate);
    let model = ModelOracle.answer_one(&q).ok()?;
    let mut c = candidate.clone();
    c.expect = expect_of(&model);
    let v = judge_all(oracle, &[&c]).pop()?;
    Some((c, v))
}

/// The finding: the minimal case, its expectation the model's answer, its description both
/// answers and the model's explanation.
fn finding_text(engine: &str, peer: &Peer, small: &EvalCase, detail: &str) -> String {
    let mut c = small.clone();
    let explanation = iamcr::eval_case::explain(&c)
        .map(|(input, e)| e.render(&input.request))
        .unwrap_or_else(|e| e.to_string());
    c.description = Some(format!(
        "engine {} ({engine}) disagrees with the model: {detail}. The model's explanation:\n{explanation}",
        peer.describe()
    ));
    serde_json::to_string_pretty(&c).unwrap_or_default() + "\n"
}

fn report(peer: &Peer, s: &Settings, tally: &Tally, groups: &[Group], seconds: f64) {
    let rate = s.count as f64 / seconds.max(1e-9);
    if s.json {
        outln!(
            "{}",
            serde_json::json!({
                "engine": peer.describe(),
                "seed": s.seed,
                "preset": s.preset.as_str(),
                "cases": s.count,
                "summary": tally,
                "line": tally.line(),
                "groups": groups,
                "seconds": seconds,
                "cases_per_second": rate,
            })
        );
        return;
    }
    if tally.disagreed == 0 {
        outln!("PASS: engine {} agrees with the model", peer.describe());
    } else {
        outln!(
            "FAIL: engine {} disagrees with the model on {} cases in {} groups, listed below",
            peer.describe(),
            tally.disagreed,
            groups.len()
        );
    }
    outln!(
        "checked: {} generated {} cases (seed {}): {}",
        s.count,
        s.preset,
        s.seed,
        tally.line()
    );
    if tally.skipped_total() > 0 {
        outln!("skipped by reason: {}", tally.skip_reasons());
    }
    for (id, n) in &tally.deviated {
        outln!("deviated {n}: {id}");
    }
    for g in groups {
        outln!(
            "GROUP {} cases: {} [{}] ({})",
            g.cases,
            g.detail,
            g.signature,
            g.finding.display()
        );
    }
    outln!("{:.0} cases/s ({seconds:.2}s)", rate);
}
