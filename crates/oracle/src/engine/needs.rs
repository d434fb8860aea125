//! What a query needs of an engine: its policy types, its principal kind, its condition
//! operators and qualifiers, and its optional elements. A need the engine did not declare
//! in its handshake skips the query with that need as the reason, before it is sent.

use super::protocol::EngineCapabilities;
use crate::query::{Caller, PolicySlot, Query};
use iamcr_policy::{OperatorName, SetQualifier};
use std::collections::BTreeSet;

/// One thing a query needs, as the handshake names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// A policy type (`scp`, `session`, …).
    PolicyType(&'static str),
    /// A principal kind (`assumed-role`, `service`, …).
    Principal(&'static str),
    /// A base condition operator.
    Operator(String),
    /// `ForAllValues`, `ForAnyValue` or `IfExists`.
    Qualifier(&'static str),
    /// `NotAction`, `NotResource`, `NotPrincipal` or `policy-variables`.
    Element(&'static str),
}

impl Need {
    /// The skip reason: `policy-type scp`, `operator IpAddress`, … (stable: reports count by it).
    pub fn reason(&self) -> String {
        match self {
            Need::PolicyType(t) => format!("policy-type {t}"),
            Need::Principal(k) => format!("principal {k}"),
            Need::Operator(o) => format!("operator {o}"),
            Need::Qualifier(q) => format!("qualifier {q}"),
            Need::Element(e) => format!("element {e}"),
        }
    }

    /// Whether an engine with `caps` has it.
    pub fn met_by(&self, caps: &EngineCapabilities) -> bool {
        let has = |list: &[String], s: &str| list.iter().any(|x| x == s || x == "*");
        match self {
            Need::PolicyType(t) => has(&caps.policy_types, t),
            Need::Principal(k) => has(&caps.principal_kinds, k),
            Need::Operator(o) => has(&caps.operators, o),
            Need::Qualifier(q) => has(&caps.qualifiers, q),
            Need::Element(e) => has(&caps.elements, e),
        }
    }
}

/// The principal kind of a caller.
pub fn principal_kind(c: &Caller) -> &'static str {
    match c {
        Caller::Arn(a) => {
            let service = iamcr_case::arn::components(a).nth(2).unwrap_or("");
            let resource = iamcr_case::arn::components(a).nth(5).unwrap_or("");
            match (service, resource.split('/').next().unwrap_or("")) {
                ("iam", "user") => "user",
                ("iam", "role") => "role",
                ("iam", "root") => "root",
                ("sts", "assumed-role") => "assumed-role",
                ("sts", "federated-user") => "federated-user",
                _ => "other-arn",
            }
        }
        Caller::Service(_) => "service",
        Caller::Federated(_) => "federated",
        Caller::CanonicalUser(_) => "canonical-user",
        Caller::Anonymous => "anonymous",
    }
}

fn policy_type(slot: PolicySlot) -> &'static str {
    match slot {
        PolicySlot::Identity(_) => "identity",
        PolicySlot::Boundary => "boundary",
        PolicySlot::Session(_) => "session",
        PolicySlot::Scp(..) => "scp",
        PolicySlot::Rcp(..) => "rcp",
        PolicySlot::Resource => "resource",
    }
}

/// Everything a query needs, sorted. A policy the model cannot parse adds only its type: the
/// engine is asked, and its answer compared.
pub fn needs(q: &Query) -> BTreeSet<Need> {
    let mut out = BTreeSet::new();
    out.insert(Need::Principal(principal_kind(&q.caller)));
    for (slot, text) in q.policies.entries() {
        out.insert(Need::PolicyType(policy_type(slot)));
        let Ok(policy) = text.parsed() else {
            continue;
        };
        if policy.variables_enabled() && text.as_str().contains("${") {
            out.insert(Need::Element("policy-variables"));
        }
        for st in &policy.statements {
            let st = &st.value;
            if st.action.as_ref().is_some_and(|a| a.value.negated) {
                out.insert(Need::Element("NotAction"));
            }
            if st.resource.as_ref().is_some_and(|r| r.value.negated) {
                out.insert(Need::Element("NotResource"));
            }
            if st.principal.as_ref().is_some_and(|p| p.value.negated) {
                out.insert(Need::Element("NotPrincipal"));
            }
            for op in st.condition.iter().flat_map(|c| &c.value.operators) {
                match &op.operator.value {
                    OperatorName::Known(o) => {
                        out.insert(Need::Operator(o.base.name().to_string()));
                        match o.qualifier {
                            Some(SetQualifier::ForAllValues) => {
                                out.insert(Need::Qualifier("ForAllValues"));
                            }
                            Some(SetQualifier::ForAnyValue) => {
                                out.insert(Need::Qualifier("ForAnyValue"));
                            }
                            None => {}
                        }
                        if o.if_exists {
                            out.insert(Need::Qualifier("IfExists"));
                        }
                    }
                    OperatorName::Unknown(name) => {
                        out.insert(Need::Operator(name.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The first need of `q` an engine with `caps` lacks.
pub fn unmet(q: &Query, caps: &EngineCapabilities) -> Option<Need> {
    needs(q).into_iter().find(|n| !n.met_by(caps))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use crate::PolicyInputs;

    fn query(policy: &str, caller: &str) -> Query {
        Query {
            policies: PolicyInputs {
                identity: vec![policy.into()],
                ..Default::default()
            },
            caller: Caller::Arn(caller.into()),
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_owner: None,
            context: vec![],
        }
    }

    #[test]
    fn needs_name_operators_qualifiers_elements_and_principal() {
        let q = query(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::${aws:username}/*",
               "Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"a*"}}}}"#,
            "arn:aws:sts::111122223333:assumed-role/R/s",
        );
        let reasons: Vec<String> = needs(&q).iter().map(Need::reason).collect();
        for want in [
            "principal assumed-role",
            "policy-type identity",
            "operator StringLike",
            "qualifier ForAnyValue",
            "qualifier IfExists",
            "element NotAction",
            "element policy-variables",
        ] {
            assert!(
                reasons.iter().any(|r| r == want),
                "{want} not in {reasons:?}"
            );
        }
        let mut caps = EngineCapabilities::complete();
        assert_eq!(unmet(&q, &caps), None);
        caps.qualifiers.retain(|q| q != "IfExists");
        assert_eq!(unmet(&q, &caps).unwrap().reason(), "qualifier IfExists");
    }
}
