//! The six policy slots of a request, as one generic container: the case format holds
//! documents in it ([`crate::Policies`]), the oracle policy texts, the evaluator parsed
//! policies. One container means one walk over the policies and one conversion (`map`),
//! not a hand-written copy per representation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Which policy of a [`PolicySlots`] a statement is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicySlot {
    /// `identity[i]` — `PolicyInputList.{i+1}`.
    Identity(usize),
    /// `boundary` — `PermissionsBoundaryPolicyInputList.1`.
    Boundary,
    /// `session[i]` (model only).
    Session(usize),
    /// `scp[level][i]`.
    Scp(usize, usize),
    /// `rcp[level][i]` (model only).
    Rcp(usize, usize),
    /// `resource` — `ResourcePolicy`.
    Resource,
}

impl PolicySlot {
    /// The `SourcePolicyId` the simulator gives statements of this policy. SCP statements
    /// are never listed by the simulator; the id given for them is this project's
    /// spelling, following the request's parameter names.
    pub fn simulator_id(self) -> String {
        match self {
            PolicySlot::Identity(i) => format!("PolicyInputList.{}", i + 1),
            PolicySlot::Boundary => "PermissionsBoundaryPolicyInputList.1".to_string(),
            PolicySlot::Session(i) => format!("SessionPolicy.{}", i + 1),
            PolicySlot::Scp(l, i) => format!(
                "OrderedOrganizationPolicyInputList.{}.ServiceControlPolicyInputList.{}",
                l + 1,
                i + 1
            ),
            PolicySlot::Rcp(l, i) => format!("ResourceControlPolicy.{}.{}", l + 1, i + 1),
            PolicySlot::Resource => "ResourcePolicy".to_string(),
        }
    }

    /// The slot a `SourcePolicyId` names, if it names an input of `SimulateCustomPolicy`.
    pub fn from_simulator_id(id: &str) -> Option<PolicySlot> {
        let number = |s: &str| s.parse::<usize>().ok().filter(|n| *n >= 1).map(|n| n - 1);
        if id == "ResourcePolicy" {
            return Some(PolicySlot::Resource);
        }
        if let Some(n) = id.strip_prefix("PermissionsBoundaryPolicyInputList.") {
            return number(n).filter(|n| *n == 0).map(|_| PolicySlot::Boundary);
        }
        if let Some(n) = id.strip_prefix("PolicyInputList.") {
            return number(n).map(PolicySlot::Identity);
        }
        let rest = id.strip_prefix("OrderedOrganizationPolicyInputList.")?;
        let (l, i) = rest.split_once(".ServiceControlPolicyInputList.")?;
        Some(PolicySlot::Scp(number(l)?, number(i)?))
    }

    /// Whether this is an SCP.
    pub fn is_scp(self) -> bool {
        matches!(self, PolicySlot::Scp(..))
    }
}

impl fmt::Display for PolicySlot {
    /// The case format's spelling: `identity[0]`, `boundary`, `scp[1][0]`, `resource`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySlot::Identity(i) => write!(f, "identity[{i}]"),
            PolicySlot::Boundary => f.write_str("boundary"),
            PolicySlot::Session(i) => write!(f, "session[{i}]"),
            PolicySlot::Scp(l, i) => write!(f, "scp[{l}][{i}]"),
            PolicySlot::Rcp(l, i) => write!(f, "rcp[{l}][{i}]"),
            PolicySlot::Resource => f.write_str("resource"),
        }
    }
}

/// The policies in force for a request, one member per slot, every member optional. `P` is
/// what a policy is in the holder's representation: a case-format document, a policy
/// text, a parsed policy.
///
/// Serialized as the case format's `policies` object (empty members left out, unknown
/// members refused); the field order is part of [`PolicySlots::entries`]'s order and of the
/// oracle's query ids, so it stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(serialize = "P: Serialize", deserialize = "P: Deserialize<'de>"))]
pub struct PolicySlots<P> {
    /// The caller's identity-based policies (`PolicyInputList`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<P>,
    /// The caller's permissions boundary (`PermissionsBoundaryPolicyInputList`, one at
    /// most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<P>,
    /// Session policies passed when the session was created (model only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session: Vec<P>,
    /// SCPs, one list per level: root, OUs, account (`OrderedOrganizationPolicyInputList`);
    /// `None`: not governed by SCPs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<Vec<Vec<P>>>,
    /// RCPs, one list per level (model only); `None`: no RCPs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rcp: Option<Vec<Vec<P>>>,
    /// The target resource's resource-based policy (`ResourcePolicy`; a role's trust policy
    /// for `sts:AssumeRole`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<P>,
}

impl<P> Default for PolicySlots<P> {
    fn default() -> Self {
        PolicySlots {
            identity: Vec::new(),
            boundary: None,
            session: Vec::new(),
            scp: None,
            rcp: None,
            resource: None,
        }
    }
}

impl<P> PolicySlots<P> {
    /// The policy in one slot.
    pub fn get(&self, slot: PolicySlot) -> Option<&P> {
        fn level<P>(ls: &Option<Vec<Vec<P>>>, l: usize, i: usize) -> Option<&P> {
            ls.as_ref()?.get(l)?.get(i)
        }
        match slot {
            PolicySlot::Identity(i) => self.identity.get(i),
            PolicySlot::Boundary => self.boundary.as_ref(),
            PolicySlot::Session(i) => self.session.get(i),
            PolicySlot::Scp(l, i) => level(&self.scp, l, i),
            PolicySlot::Rcp(l, i) => level(&self.rcp, l, i),
            PolicySlot::Resource => self.resource.as_ref(),
        }
    }

    /// Every policy with its slot, in the order the simulator request lists them:
    /// identity, boundary, session, SCPs, RCPs, resource.
    pub fn entries(&self) -> Vec<(PolicySlot, &P)> {
        let mut v: Vec<(PolicySlot, &P)> = Vec::new();
        v.extend(
            self.identity
                .iter()
                .enumerate()
                .map(|(i, p)| (PolicySlot::Identity(i), p)),
        );
        v.extend(self.boundary.iter().map(|p| (PolicySlot::Boundary, p)));
        v.extend(
            self.session
                .iter()
                .enumerate()
                .map(|(i, p)| (PolicySlot::Session(i), p)),
        );
        for (l, ps) in self.scp.iter().flatten().enumerate() {
            v.extend(
                ps.iter()
                    .enumerate()
                    .map(|(i, p)| (PolicySlot::Scp(l, i), p)),
            );
        }
        for (l, ps) in self.rcp.iter().flatten().enumerate() {
            v.extend(
                ps.iter()
                    .enumerate()
                    .map(|(i, p)| (PolicySlot::Rcp(l, i), p)),
            );
        }
        v.extend(self.resource.iter().map(|p| (PolicySlot::Resource, p)));
        v
    }

    /// Every policy, in the order of [`PolicySlots::entries`].
    pub fn policies(&self) -> Vec<&P> {
        self.entries().into_iter().map(|(_, p)| p).collect()
    }

    /// Every policy, mutably, in the order of [`PolicySlots::entries`].
    pub fn policies_mut(&mut self) -> Vec<&mut P> {
        let mut v: Vec<&mut P> = self.identity.iter_mut().collect();
        v.extend(self.boundary.iter_mut());
        v.extend(self.session.iter_mut());
        v.extend(self.scp.iter_mut().flatten().flatten());
        v.extend(self.rcp.iter_mut().flatten().flatten());
        v.extend(self.resource.iter_mut());
        v
    }

    /// The same slots, each policy converted by `f`.
    pub fn map<Q>(&self, mut f: impl FnMut(&P) -> Q) -> PolicySlots<Q> {
        let converted: Result<PolicySlots<Q>, std::convert::Infallible> =
            self.try_map(|_, p| Ok(f(p)));
        match converted {
            Ok(slots) => slots,
            Err(never) => match never {},
        }
    }

    /// The same slots, each policy converted by `f` (which is told the slot); the first
    /// error, in the order of [`PolicySlots::entries`], stops the conversion.
    pub fn try_map<Q, E>(
        &self,
        mut f: impl FnMut(PolicySlot, &P) -> Result<Q, E>,
    ) -> Result<PolicySlots<Q>, E> {
        let mut list = |ps: &[P], slot: &dyn Fn(usize) -> PolicySlot| {
            ps.iter()
                .enumerate()
                .map(|(i, p)| f(slot(i), p))
                .collect::<Result<Vec<Q>, E>>()
        };
        let identity = list(&self.identity, &PolicySlot::Identity)?;
        let boundary = self
            .boundary
            .as_ref()
            .map(|p| list(std::slice::from_ref(p), &|_| PolicySlot::Boundary))
            .transpose()?
            .and_then(|mut v| v.pop());
        let session = list(&self.session, &PolicySlot::Session)?;
        let mut levels = |ls: &Option<Vec<Vec<P>>>, mk: fn(usize, usize) -> PolicySlot| {
            ls.as_ref()
                .map(|ls| {
                    ls.iter()
                        .enumerate()
                        .map(|(l, ps)| list(ps, &|i| mk(l, i)))
                        .collect::<Result<Vec<_>, E>>()
                })
                .transpose()
        };
        let scp = levels(&self.scp, PolicySlot::Scp)?;
        let rcp = levels(&self.rcp, PolicySlot::Rcp)?;
        let resource = self
            .resource
            .as_ref()
            .map(|p| list(std::slice::from_ref(p), &|_| PolicySlot::Resource))
            .transpose()?
            .and_then(|mut v| v.pop());
        Ok(PolicySlots {
            identity,
            boundary,
            session,
            scp,
            rcp,
            resource,
        })
    }
}

/// Slots of policy texts (a `String`, or the oracle's shared text).
impl<P: AsRef<str>> PolicySlots<P> {
    /// The text of one policy.
    pub fn text(&self, slot: PolicySlot) -> Option<&str> {
        self.get(slot).map(AsRef::as_ref)
    }

    /// Every policy text with its slot, in the order of [`PolicySlots::entries`].
    pub fn all(&self) -> Vec<(PolicySlot, &str)> {
        self.entries()
            .into_iter()
            .map(|(slot, text)| (slot, text.as_ref()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PolicySlots<String> {
        PolicySlots {
            identity: vec!["i0".into(), "i1".into()],
            boundary: Some("b".into()),
            session: vec!["s0".into()],
            scp: Some(vec![
                vec!["root".into()],
                vec![],
                vec!["acct0".into(), "acct1".into()],
            ]),
            rcp: Some(vec![vec!["r".into()]]),
            resource: Some("res".into()),
        }
    }

    #[test]
    fn every_slot_is_walked_once_in_order_and_found_again() {
        let p = sample();
        let all = p.all();
        let names: Vec<&str> = all.iter().map(|(_, t)| *t).collect();
        assert_eq!(
            names,
            ["i0", "i1", "b", "s0", "root", "acct0", "acct1", "r", "res"]
        );
        for (slot, text) in &all {
            assert_eq!(p.text(*slot), Some(*text), "{slot}");
            // The simulator takes no session policies and no RCPs.
            let asked = !matches!(slot, PolicySlot::Session(_) | PolicySlot::Rcp(..));
            let back = PolicySlot::from_simulator_id(&slot.simulator_id());
            assert_eq!(back, asked.then_some(*slot), "{slot}");
        }
        assert_eq!(all[5].0, PolicySlot::Scp(2, 0));
        assert_eq!(p.get(PolicySlot::Scp(1, 0)), None);
    }

    #[test]
    fn map_keeps_the_shape_and_try_map_names_the_slot() {
        let p = sample();
        let lens = p.map(String::len);
        assert_eq!(lens.scp, Some(vec![vec![4], vec![], vec![5, 5]]));
        assert_eq!(lens.resource, Some(3));
        let err = p.try_map(|slot, t| if t == "acct1" { Err(slot) } else { Ok(()) });
        assert_eq!(err, Err(PolicySlot::Scp(2, 1)));
        let mut q = p.clone();
        for t in q.policies_mut() {
            t.push('!');
        }
        assert_eq!(q.all().len(), p.all().len());
        assert!(q.all().iter().all(|(_, t)| t.ends_with('!')));
    }

    #[test]
    fn serialized_as_the_case_format_policies() {
        let p = PolicySlots {
            identity: vec!["a".to_string()],
            ..PolicySlots::default()
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"identity":["a"]}"#);
        assert!(serde_json::from_str::<PolicySlots<String>>(r#"{"other":[]}"#).is_err());
        let back: PolicySlots<String> = serde_json::from_str(r#"{"boundary":"b"}"#).unwrap();
        assert_eq!(back.boundary.as_deref(), Some("b"));
    }
}
