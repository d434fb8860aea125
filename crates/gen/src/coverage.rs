//! Coverage counters: what generated cases exercised in the evaluator.
//!
//! [`Coverage`] is an [`Observer`]: pass it to `Authorizer::evaluate_with` to count every
//! condition outcome, then [`Coverage::record`] the evaluation to count the decision, the
//! policy types that took part and the principal's kind.

use iamcr_eval::condition::{Condition, Outcome};
use iamcr_eval::{
    CompiledStatement, Evaluation, Grant, NotApplied, Observer, PolicyRef, Principal, Request,
};
use iamcr_policy::{Family, SetQualifier};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// How often something evaluated true and false.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrueFalse {
    /// Times it held.
    #[serde(rename = "true")]
    pub t: u64,
    /// Times it did not.
    #[serde(rename = "false")]
    pub f: u64,
}

impl TrueFalse {
    fn add(&mut self, holds: bool) {
        if holds {
            self.t += 1;
        } else {
            self.f += 1;
        }
    }

    /// The smaller of the two counts: both outcomes were seen at least this often.
    pub fn min(&self) -> u64 {
        self.t.min(self.f)
    }
}

/// Counters over many evaluations. Maps are ordered, so the printed and serialized forms are
/// the same for the same cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Evaluations recorded.
    pub cases: u64,
    /// Decisions (`allowed`, `explicitDeny`, `implicitDeny`).
    pub decisions: BTreeMap<String, u64>,
    /// Condition outcomes per operator family (`String`, `Numeric`, … `Null`).
    pub families: BTreeMap<String, TrueFalse>,
    /// Condition outcomes per operator as written (`ForAnyValue:StringLikeIfExists`).
    pub operators: BTreeMap<String, TrueFalse>,
    /// Condition outcomes per modifier (`plain`, `IfExists`, `ForAllValues`, `ForAnyValue`).
    pub modifiers: BTreeMap<String, TrueFalse>,
    /// Conditions evaluated on a key the request did not carry.
    pub missing_key_conditions: u64,
    /// Statements that applied, per policy type.
    pub statements_applied: BTreeMap<String, u64>,
    /// Statements that did not apply, by the first reason.
    pub statements_not_applied: BTreeMap<String, u64>,
    /// Cases in which each policy type took part (had a decision of its own).
    pub policy_types: BTreeMap<String, u64>,
    /// Cases per principal kind.
    pub principals: BTreeMap<String, u64>,
    /// Decisions per principal kind.
    pub principal_decisions: BTreeMap<String, BTreeMap<String, u64>>,
    /// Evaluation reasons (the rule that decided).
    pub reasons: BTreeMap<String, u64>,
}

/// The name of a principal's kind, as coverage tables show it.
pub fn principal_kind(p: &Principal) -> &'static str {
    match p {
        Principal::User { .. } => "User",
        Principal::RoleSession {
            session_arn: Some(_),
            ..
        } => "RoleSession",
        Principal::RoleSession { .. } => "Role",
        Principal::FederatedUser { .. } => "FederatedUser",
        Principal::Root { .. } => "Root",
        Principal::Service(_) => "Service",
        Principal::WebIdentity(_) => "WebIdentity",
        Principal::CanonicalUser(_) => "CanonicalUser",
        Principal::Anonymous => "Anonymous",
    }
}

impl Observer for Coverage {
    fn condition(&mut self, _: PolicyRef, _: usize, c: &Condition, outcome: &Outcome) {
        let op = c.operator;
        self.families
            .entry(op.base.family().name().to_string())
            .or_default()
            .add(outcome.holds);
        self.operators
            .entry(op.to_string())
            .or_default()
            .add(outcome.holds);
        let modifier = match (op.qualifier, op.if_exists) {
            (Some(SetQualifier::ForAllValues), _) => "ForAllValues",
            (Some(SetQualifier::ForAnyValue), _) => "ForAnyValue",
            (None, true) => "IfExists",
            (None, false) => "plain",
        };
        self.modifiers
            .entry(modifier.to_string())
            .or_default()
            .add(outcome.holds);
        if outcome.missing {
            self.missing_key_conditions += 1;
        }
    }

    fn statement(
        &mut self,
        policy: PolicyRef,
        _: &CompiledStatement,
        result: &Result<Option<Grant>, NotApplied>,
    ) {
        match result {
            Ok(_) => {
                *self
                    .statements_applied
                    .entry(iamcr_eval::PolicyType::of(policy).as_str().to_string())
                    .or_default() += 1;
            }
            Err(why) => {
                let name = match why {
                    NotApplied::Action => "Action",
                    NotApplied::NotAction(_) => "NotAction",
                    NotApplied::Resource { .. } => "Resource",
                    NotApplied::NotResource(_) => "NotResource",
                    NotApplied::Principal => "Principal",
                    NotApplied::NotPrincipal => "NotPrincipal",
                    NotApplied::Condition(_) => "Condition",
                };
                *self
                    .statements_not_applied
                    .entry(name.to_string())
                    .or_default() += 1;
            }
        }
    }
}

impl Coverage {
    /// An empty set of counters.
    pub fn new() -> Coverage {
        Coverage::default()
    }

    /// Count one evaluation's decision, policy types and principal.
    pub fn record(&mut self, request: &Request, evaluation: &Evaluation) {
        self.cases += 1;
        let decision = evaluation.decision.as_str().to_string();
        *self.decisions.entry(decision.clone()).or_default() += 1;
        for (ty, _) in &evaluation.details {
            *self
                .policy_types
                .entry(ty.as_str().to_string())
                .or_default() += 1;
        }
        let who = principal_kind(&request.principal).to_string();
        *self.principals.entry(who.clone()).or_default() += 1;
        *self
            .principal_decisions
            .entry(who)
            .or_default()
            .entry(decision)
            .or_default() += 1;
        *self.reasons.entry(reason_name(evaluation)).or_default() += 1;
    }

    /// Add another set of counters to this one.
    pub fn merge(&mut self, other: &Coverage) {
        self.cases += other.cases;
        self.missing_key_conditions += other.missing_key_conditions;
        let add = |a: &mut BTreeMap<String, u64>, b: &BTreeMap<String, u64>| {
            for (k, v) in b {
                *a.entry(k.clone()).or_default() += v;
            }
        };
        let add_tf = |a: &mut BTreeMap<String, TrueFalse>, b: &BTreeMap<String, TrueFalse>| {
            for (k, v) in b {
                let e = a.entry(k.clone()).or_default();
                e.t += v.t;
                e.f += v.f;
            }
        };
        add(&mut self.decisions, &other.decisions);
        add_tf(&mut self.families, &other.families);
        add_tf(&mut self.operators, &other.operators);
        add_tf(&mut self.modifiers, &other.modifiers);
        add(&mut self.statements_applied, &other.statements_applied);
        add(
            &mut self.statements_not_applied,
            &other.statements_not_applied,
        );
        add(&mut self.policy_types, &other.policy_types);
        add(&mut self.principals, &other.principals);
        add(&mut self.reasons, &other.reasons);
        for (k, v) in &other.principal_decisions {
            add(self.principal_decisions.entry(k.clone()).or_default(), v);
        }
    }

    /// The share of cases with `decision` (`allowed`, `explicitDeny`, `implicitDeny`), 0–1.
    pub fn decision_share(&self, decision: &str) -> f64 {
        let n = self.decisions.get(decision).copied().unwrap_or(0);
        if self.cases == 0 {
            0.0
        } else {
            n as f64 / self.cases as f64
        }
    }

    /// The family counters, every family present (zero when never evaluated), in
    /// [`Family::ALL`] order.
    pub fn family_rows(&self) -> Vec<(&'static str, TrueFalse)> {
        Family::ALL
            .iter()
            .map(|f| {
                (
                    f.name(),
                    self.families.get(f.name()).copied().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The counters as a plain-text table.
    pub fn table(&self) -> String {
        self.to_string()
    }
}

fn reason_name(e: &Evaluation) -> String {
    use iamcr_eval::Reason;
    match e.reason {
        Reason::ExplicitDeny => "ExplicitDeny".into(),
        Reason::OrganizationLevel { kind, .. } => {
            format!("{}Level", kind.as_str().to_ascii_uppercase())
        }
        Reason::ResourceGrant(_) => "ResourceGrant".into(),
        Reason::CrossAccountResourceSide => "CrossAccountResourceSide".into(),
        Reason::CrossAccountBothAllow => "CrossAccountBothAllow".into(),
        Reason::ResourcePolicyRequired => "ResourcePolicyRequired".into(),
        Reason::NoIdentityAllow => "NoIdentityAllow".into(),
        Reason::BoundaryNoAllow => "BoundaryNoAllow".into(),
        Reason::SessionNoAllow => "SessionNoAllow".into(),
        Reason::FederatedWithoutSessionPolicy => "FederatedWithoutSessionPolicy".into(),
        Reason::NoPermissionRequired => "NoPermissionRequired".into(),
        Reason::IdentityAllow => "IdentityAllow".into(),
        Reason::RootUser => "RootUser".into(),
    }
}

fn pct(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * n as f64 / total as f64
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = writeln!(out, "coverage over {} cases", self.cases);
        let _ = writeln!(out, "\n{:<16} {:>8} {:>7}", "decision", "cases", "share");
        for d in ["allowed", "explicitDeny", "implicitDeny"] {
            let n = self.decisions.get(d).copied().unwrap_or(0);
            let _ = writeln!(out, "{d:<16} {n:>8} {:>6.1}%", pct(n, self.cases));
        }
        let _ = writeln!(out, "\n{:<16} {:>8} {:>8}", "family", "true", "false");
        for (name, tf) in self.family_rows() {
            let _ = writeln!(out, "{name:<16} {:>8} {:>8}", tf.t, tf.f);
        }
        let _ = writeln!(out, "\n{:<16} {:>8} {:>8}", "modifier", "true", "false");
        for (name, tf) in &self.modifiers {
            let _ = writeln!(out, "{name:<16} {:>8} {:>8}", tf.t, tf.f);
        }
        let _ = writeln!(out, "\n{:<44} {:>8} {:>8}", "operator", "true", "false");
        for (name, tf) in &self.operators {
            let _ = writeln!(out, "{name:<44} {:>8} {:>8}", tf.t, tf.f);
        }
        let _ = writeln!(
            out,
            "\n{:<16} {:>8} {:>8} {:>12} {:>12}",
            "principal", "cases", "allowed", "explicitDeny", "implicitDeny"
        );
        for (name, n) in &self.principals {
            let d = self.principal_decisions.get(name);
            let get = |k: &str| d.and_then(|m| m.get(k)).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "{name:<16} {n:>8} {:>8} {:>12} {:>12}",
                get("allowed"),
                get("explicitDeny"),
                get("implicitDeny")
            );
        }
        let _ = writeln!(
            out,
            "\n{:<16} {:>8} {:>16}",
            "policy type", "cases", "statements hit"
        );
        for (name, n) in &self.policy_types {
            let hit = self.statements_applied.get(name).copied().unwrap_or(0);
            let _ = writeln!(out, "{name:<16} {n:>8} {hit:>16}");
        }
        let _ = writeln!(out, "\n{:<28} {:>8}", "reason", "cases");
        for (name, n) in &self.reasons {
            let _ = writeln!(out, "{name:<28} {n:>8}");
        }
        let _ = writeln!(out, "\n{:<28} {:>8}", "statement not applied by", "count");
        for (name, n) in &self.statements_not_applied {
            let _ = writeln!(out, "{name:<28} {n:>8}");
        }
        let _ = writeln!(
            out,
            "\nconditions on keys the request lacked: {}",
            self.missing_key_conditions
        );
        f.write_str(&out)
    }
}
