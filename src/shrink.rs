//! The steps that shrink an evaluation case that shows a disagreement: removing a policy, a
//! statement, a condition, a list element, a context entry or the resource account. The
//! one differential engine ([`iamcr_oracle::differential_minimised`]) takes each step after
//! which the case still disagrees the same way. A finding is then small enough to read, and
//! cases that differ the same way for the same reason shrink to the same shape (which is
//! what groups them).

use crate::case::{EvalCase, PolicyDoc};
use serde_json::Value;

/// Every case one removal smaller than `c`, biggest removals first.
pub fn candidates(c: &EvalCase) -> Vec<EvalCase> {
    let mut out = Vec::new();
    let with = |f: &dyn Fn(&mut EvalCase)| {
        let mut n = c.clone();
        f(&mut n);
        n
    };
    let p = &c.policies;
    for i in 0..p.identity.len() {
        out.push(with(&|n| {
            n.policies.identity.remove(i);
        }));
    }
    if p.boundary.is_some() {
        out.push(with(&|n| n.policies.boundary = None));
    }
    for i in 0..p.session.len() {
        out.push(with(&|n| {
            n.policies.session.remove(i);
        }));
    }
    if p.resource.is_some() {
        out.push(with(&|n| n.policies.resource = None));
    }
    for (name, levels) in [("scp", &p.scp), ("rcp", &p.rcp)] {
        let Some(levels) = levels else { continue };
        let scp = name == "scp";
        out.push(with(&|n| *org_levels(n, scp) = None));
        for l in 0..levels.len() {
            if levels.len() > 1 {
                out.push(with(&|n| {
                    if let Some(ls) = org_levels(n, scp) {
                        ls.remove(l);
                    }
                }));
            }
            for i in 0..levels[l].len() {
                out.push(with(&|n| {
                    if let Some(ls) = org_levels(n, scp) {
                        ls[l].remove(i);
                    }
                }));
            }
        }
    }
    for (slot, doc) in policy_docs(c) {
        let Ok(value) = serde_json::from_str::<Value>(&doc.text) else {
            continue;
        };
        for smaller in reduce(&value, false) {
            let text = serde_json::to_string(&smaller).unwrap_or_default();
            out.push(with(&|n| {
                if let Some(d) = policy_doc_mut(n, slot) {
                    *d = PolicyDoc::object(text.clone());
                }
            }));
        }
    }
    for i in 0..c.request.context.len() {
        out.push(with(&|n| {
            n.request.context.remove(i);
        }));
        for j in 0..c.request.context[i].values.len() {
            if c.request.context[i].values.len() > 1 {
                out.push(with(&|n| {
                    n.request.context[i].values.remove(j);
                }));
            }
        }
    }
    if c.request.resource_account.is_some() {
        out.push(with(&|n| n.request.resource_account = None));
    }
    out
}

fn org_levels(n: &mut EvalCase, scp: bool) -> &mut Option<Vec<Vec<PolicyDoc>>> {
    if scp {
        &mut n.policies.scp
    } else {
        &mut n.policies.rcp
    }
}

/// Where a policy is: (type, level, index).
type Slot = (u8, usize, usize);

fn policy_docs(c: &EvalCase) -> Vec<(Slot, PolicyDoc)> {
    let p = &c.policies;
    let mut v = Vec::new();
    v.extend(
        p.identity
            .iter()
            .enumerate()
            .map(|(i, d)| ((0, 0, i), d.clone())),
    );
    v.extend(p.boundary.iter().map(|d| ((1, 0, 0), d.clone())));
    v.extend(
        p.session
            .iter()
            .enumerate()
            .map(|(i, d)| ((2, 0, i), d.clone())),
    );
    for (t, levels) in [(3, &p.scp), (4, &p.rcp)] {
        for (l, docs) in levels.iter().flatten().enumerate() {
            v.extend(docs.iter().enumerate().map(|(i, d)| ((t, l, i), d.clone())));
        }
    }
    v.extend(p.resource.iter().map(|d| ((5, 0, 0), d.clone())));
    v
}

fn policy_doc_mut(c: &mut EvalCase, (t, l, i): Slot) -> Option<&mut PolicyDoc> {
    let p = &mut c.policies;
    match t {
        0 => p.identity.get_mut(i),
        1 => p.boundary.as_mut(),
        2 => p.session.get_mut(i),
        3 => p.scp.as_mut()?.get_mut(l)?.get_mut(i),
        4 => p.rcp.as_mut()?.get_mut(l)?.get_mut(i),
        _ => p.resource.as_mut(),
    }
}

/// Every policy document one removal smaller: an element of an array of two or more
/// (statements, actions, resources, principals, condition values), a `Condition`, or a
/// member of an object inside a `Condition` that has two or more (operators, keys).
fn reduce(v: &Value, in_condition: bool) -> Vec<Value> {
    let mut out = Vec::new();
    match v {
        Value::Array(items) => {
            if items.len() > 1 {
                for i in 0..items.len() {
                    let mut c = items.clone();
                    c.remove(i);
                    out.push(Value::Array(c));
                }
            }
            for (i, item) in items.iter().enumerate() {
                for r in reduce(item, in_condition) {
                    let mut c = items.clone();
                    c[i] = r;
                    out.push(Value::Array(c));
                }
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                if key == "Condition" || (in_condition && members.len() > 1) {
                    let mut c = members.clone();
                    c.shift_remove(key);
                    out.push(Value::Object(c));
                }
                for r in reduce(item, in_condition || key == "Condition") {
                    let mut c = members.clone();
                    c.insert(key.clone(), r);
                    out.push(Value::Object(c));
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use crate::case::{EvalExpect, Policies, PrincipalSpec, Request};
    use iamcr_case::Decision;
    use iamcr_oracle::{
        Answer, Capabilities, Minimise, Oracle, OracleError, Query, differential_minimised,
    };

    fn case() -> EvalCase {
        EvalCase {
            id: "c".into(),
            description: None,
            source: None,
            policies: Policies {
                identity: vec![
                    PolicyDoc::object(
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{"StringEquals":{"aws:a":"1","aws:b":"2"},"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#,
                    ),
                    PolicyDoc::object(
                        r#"{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#,
                    ),
                ],
                ..Policies::default()
            },
            request: Request {
                principal: PrincipalSpec::Arn("arn:aws:iam::111122223333:user/a".into()),
                action: "s3:GetObject".into(),
                resource: "*".into(),
                resource_account: None,
                context: vec![],
            },
            expect: EvalExpect {
                decision: Decision::Allowed,
                matched: None,
                missing_context: None,
            },
        }
    }

    /// Denies implicitly, or (`tests_b`) allows while an identity policy still tests
    /// `aws:b`; counts the queries it is asked.
    struct ByKey {
        tests_b: bool,
        asked: usize,
    }

    impl Oracle for ByKey {
        fn name(&self) -> &str {
            "by-key"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::complete()
        }
        fn answer_all(&mut self, queries: &[Query]) -> Vec<Result<Answer, OracleError>> {
            self.asked += queries.len();
            let b = |q: &Query| {
                let tests_b = q.policies.identity.iter();
                self.tests_b
                    && tests_b
                        .map(|p| p.as_str())
                        .any(|t| t.contains(r#""aws:b":"2""#))
            };
            let decide = |q| match b(q) {
                true => Decision::Allowed,
                false => Decision::ImplicitDeny,
            };
            queries
                .iter()
                .map(|q| Ok(Answer::decision(decide(q))))
                .collect()
        }
    }

    /// The case minimised by the differential engine over [`candidates`], and the
    /// questions asked of the other side.
    fn minimised(budget: usize) -> (Query, usize) {
        let step = |q: &Query| -> Vec<Query> {
            let case = EvalCase {
                policies: q.case_policies(|t: &str| PolicyDoc::object(t)),
                request: q.case_request(),
                ..case()
            };
            candidates(&case).iter().map(Query::from_case).collect()
        };
        let mut reference = ByKey {
            tests_b: false,
            asked: 0,
        };
        let mut other = ByKey {
            tests_b: true,
            asked: 0,
        };
        let minimise = Minimise {
            candidates: &step,
            budget,
        };
        let q = Query::from_case(&case());
        let labels = ["c".to_string()];
        let report = differential_minimised(&mut reference, &mut other, &[q], &labels, &minimise);
        let small = report.disagreements[0].minimised.clone().unwrap();
        (small, other.asked)
    }

    #[test]
    fn shrinks_to_the_one_condition_key_that_matters() {
        let (small, _) = minimised(1000);
        assert_eq!(small.policies.identity.len(), 1);
        assert_eq!(
            small.policies.identity[0].as_str(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":"*","Condition":{"StringEquals":{"aws:b":"2"}}}]}"#
        );
    }

    #[test]
    fn a_budget_bounds_the_questions() {
        // The case itself, then five candidates.
        assert_eq!(minimised(5).1, 1 + 5);
    }
}
