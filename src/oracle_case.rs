//! Cases and oracles: turning case-format evaluation cases into oracle [`Query`]s, building
//! a campaign (every case the oracle can answer, with its neighbourhood; every skip counted
//! by reason), and turning the simulator's answers back into case-format cases for
//! `corpus/simulator/` (record) and those cases back into answers (replay).

use crate::case::{Case, EvalCase, EvalExpect, MatchedRef, PolicyDoc};
use crate::load::LoadedCase;
use iamcr_oracle::probe::{ProbeSettings, expand};
use iamcr_oracle::{Answer, Capabilities, Decision, Matched, PolicySlot, Query, SkipCounts};

/// The oracle query of an evaluation case.
pub fn query(case: &EvalCase) -> Query {
    Query::from_case(case)
}

/// One query of a campaign.
#[derive(Debug, Clone)]
pub struct CampaignQuery {
    /// The case it comes from.
    pub case_id: String,
    /// Whether it is a neighbour of the case's own query.
    pub probe: bool,
    /// The query.
    pub query: Query,
}

/// A campaign: what to ask, and what was left out and why.
#[derive(Debug, Clone, Default)]
pub struct Campaign {
    /// The queries, each case's own first, then its neighbours.
    pub queries: Vec<CampaignQuery>,
    /// Evaluation cases read.
    pub cases: usize,
    /// Validation cases (nothing to simulate).
    pub validation_cases: usize,
    /// Evaluation cases the oracle cannot answer, by reason.
    pub skipped: SkipCounts,
    /// Neighbours the oracle cannot answer, by reason.
    pub probes_skipped: SkipCounts,
}

/// Build a campaign over cases: each evaluation case the oracle can answer, with its
/// neighbourhood (`probes: None` for the cases alone).
pub fn campaign(
    cases: &[LoadedCase],
    caps: &Capabilities,
    probes: Option<&ProbeSettings>,
) -> Campaign {
    let mut c = Campaign::default();
    let mut asked = Vec::new();
    for loaded in cases {
        match &loaded.case {
            Case::Validation(_) => c.validation_cases += 1,
            Case::Evaluation(e) => asked.push((e.id.clone(), query(e))),
        }
    }
    c.cases = asked.len();
    // Cases that hold the same policy text share it: each distinct text is parsed once.
    iamcr_oracle::query::share_policies(asked.iter_mut().map(|(_, q)| q));
    let mut base = Vec::new();
    let mut ids = Vec::new();
    for (id, q) in asked {
        match caps.check(&q) {
            Ok(()) => {
                base.push(q);
                ids.push(id);
            }
            Err(u) => c.skipped.add(u.limitation),
        }
    }
    let base_ids: Vec<iamcr_oracle::QueryId> = base.iter().map(Query::id).collect();
    let expanded: Vec<(usize, Query)> = match probes {
        Some(settings) => {
            let (v, skipped) = expand(&base, caps, settings);
            c.probes_skipped = skipped;
            v
        }
        None => base.into_iter().enumerate().collect(),
    };
    for (i, q) in expanded {
        // Not "the first of its case": a case's own query may have been asked already as
        // another case's neighbour.
        let probe = base_ids.get(i) != Some(&q.id());
        c.queries.push(CampaignQuery {
            case_id: ids.get(i).cloned().unwrap_or_default(),
            probe,
            query: q,
        });
    }
    c
}

/// Where a recorded answer comes from. Never an account id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The date asked (`YYYY-MM-DD`).
    pub date: String,
    /// The client's region.
    pub region: String,
    /// The `aws-sdk-iam` version.
    pub sdk_version: String,
}

impl Provenance {
    /// The case's `source`.
    pub fn source(&self, from_case: &str) -> String {
        format!(
            "simulator {} SimulateCustomPolicy region={} aws-sdk-iam={}; asked for case {from_case}",
            self.date, self.region, self.sdk_version
        )
    }
}

fn doc(text: &str) -> PolicyDoc {
    let object = text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text).is_ok();
    if object {
        PolicyDoc::object(text)
    } else {
        PolicyDoc::string(text)
    }
}

/// A case-format reference for a matched statement.
fn matched_ref(m: &Matched) -> Option<MatchedRef> {
    let slot = m.slot?;
    Some(MatchedRef {
        policy: slot.to_string(),
        sid: m.sid.as_deref().map(str::to_string),
        statement: if m.sid.is_some() { None } else { m.statement },
    })
}

/// A case recording the simulator's answer to a query: `expect` is the answer. `matched`
/// is left out when an SCP took part in an explicit deny (the simulator never lists SCP
/// statements: deviation `scp-statements-not-matched`) or when a statement's policy is not
/// one of the inputs.
pub fn recorded_case(id: &str, q: &Query, answer: &Answer, source: String) -> EvalCase {
    let scp_decides = q.policies.scp.is_some() && answer.decision == Decision::ExplicitDeny;
    let refs: Option<Vec<MatchedRef>> = answer
        .matched
        .as_ref()
        .filter(|_| !scp_decides)
        .and_then(|ms| ms.iter().map(matched_ref).collect());
    let mut description = None;
    if scp_decides && answer.matched.is_some() {
        description = Some(
            "matched omitted: the simulator never lists SCP statements (deviation scp-statements-not-matched)"
                .to_string(),
        );
    }
    EvalCase {
        id: id.to_string(),
        description,
        source: Some(source),
        policies: q.case_policies(doc),
        request: q.case_request(),
        expect: EvalExpect {
            decision: answer.decision,
            matched: refs.map(|mut r| {
                r.sort();
                r.dedup();
                r
            }),
            missing_context: answer.missing_context.clone(),
        },
    }
}

/// The slot a case-format policy label names (`identity[0]`, `boundary`, `scp[1][0]`, …).
pub fn slot(label: &str) -> Option<PolicySlot> {
    let index = |s: &str| s.strip_suffix(']')?.parse::<usize>().ok();
    match label {
        "boundary" => return Some(PolicySlot::Boundary),
        "resource" => return Some(PolicySlot::Resource),
        _ => {}
    }
    let (kind, rest) = label.split_once('[')?;
    let two = |rest: &str| {
        let (l, i) = rest.split_once("][")?;
        Some((l.parse::<usize>().ok()?, index(i)?))
    };
    match kind {
        "identity" => index(rest).map(PolicySlot::Identity),
        "session" => index(rest).map(PolicySlot::Session),
        "scp" => two(rest).map(|(l, i)| PolicySlot::Scp(l, i)),
        "rcp" => two(rest).map(|(l, i)| PolicySlot::Rcp(l, i)),
        _ => None,
    }
}

/// The statement a reference names: by index, by Sid, or both (they must agree). A Sid that
/// names no statement of the policy, or not the one at the index given, names nothing the
/// model can match: the policy is dropped from the key, so the reference is a difference
/// and never a wildcard (`None` statement: any statement of the policy).
fn statement_of_ref(
    q: &Query,
    slot: Option<PolicySlot>,
    r: &MatchedRef,
) -> (Option<PolicySlot>, Option<usize>) {
    let (Some(sid), Some(policy)) = (r.sid.as_deref(), slot) else {
        return (slot, r.statement);
    };
    match (r.statement, q.statement_of_sid(policy, sid)) {
        (None, Some(found)) => (slot, Some(found)),
        (Some(at), _) if sid_at(q, policy, at).as_deref() == Some(sid) => (slot, Some(at)),
        (at, _) => (None, at),
    }
}

/// The Sid of a policy text's statement.
fn sid_at(q: &Query, slot: PolicySlot, index: usize) -> Option<String> {
    let policy = q.policies.get(slot)?.parsed().ok()?;
    let statement = policy.statements.get(index)?;
    statement.value.sid.as_ref().map(|s| s.value.clone())
}

/// A recorded case's expectation as an answer (what the simulator said).
pub fn answer_from_expect(case: &EvalCase, q: &Query) -> Answer {
    let e = &case.expect;
    let matched = e.matched.as_ref().map(|refs| {
        refs.iter()
            .map(|r| {
                let (slot, statement) = statement_of_ref(q, slot(&r.policy), r);
                Matched {
                    slot,
                    statement,
                    sid: r.sid.clone(),
                    source_policy_id: slot.map(|s| s.simulator_id()).unwrap_or_default(),
                    source_policy_type: None,
                    start: None,
                    end: None,
                }
            })
            .collect()
    });
    Answer {
        decision: e.decision,
        matched,
        missing_context: e.missing_context.clone(),
        details: Vec::new(),
        allowed_by_boundary: None,
        allowed_by_organizations: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamcr_oracle::{Caller, ContextKeyType, ContextValue, PolicyInputs};

    #[test]
    fn labels_name_slots() {
        assert_eq!(slot("identity[2]"), Some(PolicySlot::Identity(2)));
        assert_eq!(slot("scp[1][0]"), Some(PolicySlot::Scp(1, 0)));
        assert_eq!(slot("boundary"), Some(PolicySlot::Boundary));
        assert_eq!(slot("identity"), None);
        for s in [
            PolicySlot::Identity(0),
            PolicySlot::Rcp(2, 3),
            PolicySlot::Resource,
        ] {
            assert_eq!(slot(&s.to_string()), Some(s));
        }
    }

    #[test]
    fn a_recorded_answer_replays_to_itself() {
        let q = Query {
            policies: PolicyInputs {
                identity: vec![r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into()],
                ..PolicyInputs::default()
            },
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_owner: Some("111122223333".into()),
            context: vec![ContextValue {
                key: "aws:SourceIp".into(),
                ty: ContextKeyType::Ip,
                values: vec!["192.0.2.1".into()],
            }],
        };
        let answer = iamcr_oracle::ModelOracle.answer_one(&q).unwrap();
        let source = Provenance {
            date: "2026-11-23".into(),
            region: "us-east-1".into(),
            sdk_version: "1.133.0".into(),
        }
        .source("x");
        let case = recorded_case("x-recorded", &q, &answer, source);
        assert_eq!(query(&case), q);
        let text = serde_json::to_string(&case).unwrap();
        let back: EvalCase = serde_json::from_str(&text).unwrap();
        let replayed = answer_from_expect(&back, &q);
        assert!(iamcr_oracle::compare(&q, &answer, &replayed).identical());
        assert_eq!(crate::eval_case::run(&back).0, crate::run::Status::Pass);
    }
}
