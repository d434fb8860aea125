//! What an oracle is asked and what it answers, in the simulator's terms.
//!
//! A [`Query`] is one action on one resource with everything `SimulateCustomPolicy` takes
//! (policy texts per type, caller, resource owner, typed context entries) plus what only the
//! model can take (session policies, RCPs, callers that are not IAM users or roles): the
//! capability check ([`crate::capability`]) says which oracle can answer it. An [`Answer`]
//! carries the decision, the statements that decided it and the missing context keys.

use iamcr_case::{EvalCase, MatchedRef, Policies, PolicyDoc, PrincipalSpec, Request};
use iamcr_policy::{Diagnostic, Policy};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

/// One `ContextEntries` member: the case format's context entry.
pub use iamcr_case::ContextEntry as ContextValue;
/// The simulator's `ContextKeyType`: the vocabulary crate's one type.
pub use iamcr_case::ContextType as ContextKeyType;

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// An ARN: IAM user or role (the simulator's `CallerArn`), or an assumed-role session,
    /// federated user or account root, which only the model takes.
    Arn(String),
    /// An AWS service principal.
    Service(String),
    /// A web-identity or SAML provider.
    Federated(String),
    /// An S3 canonical user.
    CanonicalUser(String),
    /// An unauthenticated caller.
    Anonymous,
}

impl Caller {
    /// The account of an ARN caller.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Arn(a) => iamcr_case::arn::components(a)
                .nth(4)
                .filter(|s| !s.is_empty()),
            _ => None,
        }
    }
}

/// The policies of a query, per slot: each text exactly as written (what the simulator is
/// sent), shared and parsed once.
pub type PolicyInputs = iamcr_case::PolicySlots<PolicyText>;

/// A policy text exactly as written, shared, with its parse computed once on first use.
///
/// A query's neighbours, the calls planned from it and the model's compile all hold the same
/// text: cloning is a reference count, and [`PolicyText::parsed`] parses it the first time
/// any of them asks (capability, probe, model, statement positions). Equality and hashing
/// are those of the text (two texts read from different files are equal when they say the
/// same), with a pointer comparison first; serialized as the text.
#[derive(Clone)]
pub struct PolicyText(Arc<SharedText>);

struct SharedText {
    text: String,
    parsed: OnceLock<Result<Policy, Vec<Diagnostic>>>,
}

impl PolicyText {
    /// A text, not parsed yet.
    pub fn new(text: impl Into<String>) -> PolicyText {
        PolicyText(Arc::new(SharedText {
            text: text.into(),
            parsed: OnceLock::new(),
        }))
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The text parsed ([`iamcr_policy::parse`]): the policy, or every problem that stops
    /// it. Parsed on the first call for any clone of this text, then kept.
    pub fn parsed(&self) -> Result<&Policy, &[Diagnostic]> {
        match self
            .0
            .parsed
            .get_or_init(|| iamcr_policy::parse(&self.0.text))
        {
            Ok(p) => Ok(p),
            Err(d) => Err(d),
        }
    }

    /// Whether `other` is this very text (a clone of it), not only an equal one.
    pub fn same(&self, other: &PolicyText) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for PolicyText {
    fn eq(&self, other: &PolicyText) -> bool {
        self.same(other) || self.as_str() == other.as_str()
    }
}

impl Eq for PolicyText {}

impl Hash for PolicyText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl AsRef<str> for PolicyText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for PolicyText {
    /// As the text's own `Debug` (a quoted string).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<String> for PolicyText {
    fn from(text: String) -> PolicyText {
        PolicyText::new(text)
    }
}

impl From<&str> for PolicyText {
    fn from(text: &str) -> PolicyText {
        PolicyText::new(text)
    }
}

impl Serialize for PolicyText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PolicyText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PolicyText, D::Error> {
        String::deserialize(d).map(PolicyText::new)
    }
}

/// Make equal policy texts of `queries` one shared text, so that each distinct text is
/// parsed at most once however many queries (of however many cases) hold it.
#[allow(
    clippy::mutable_key_type,
    reason = "a PolicyText hashes and compares its text, which never changes; only its parse is filled in later"
)]
pub fn share_policies<'a>(queries: impl IntoIterator<Item = &'a mut Query>) {
    let mut seen: HashSet<PolicyText> = HashSet::new();
    for q in queries {
        for p in q.policies.policies_mut() {
            match seen.get(p) {
                Some(shared) => *p = shared.clone(),
                None => {
                    seen.insert(p.clone());
                }
            }
        }
    }
}

/// One request to decide: an action on a resource, with the policies in force.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Query {
    /// The policies.
    pub policies: PolicyInputs,
    /// `CallerArn` (or a caller only the model takes).
    pub caller: Caller,
    /// One `ActionNames` member.
    pub action: String,
    /// One `ResourceArns` member, or `*`.
    pub resource: String,
    /// The account owning the resource (`ResourceOwner` is `arn:aws:iam::ACCOUNT:root`);
    /// absent: the ARN's account, else the caller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_owner: Option<String>,
    /// `ContextEntries`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextValue>,
}

impl Query {
    /// The query of a case-format evaluation case: its policy texts as written, its request.
    pub fn from_case(case: &EvalCase) -> Query {
        Query::from_parts(&case.policies, &case.request)
    }

    /// The case format's `policies` of this query (the inverse of [`Query::from_parts`]),
    /// each policy text made a document by `doc`.
    pub fn case_policies(&self, doc: impl Fn(&str) -> PolicyDoc) -> Policies {
        self.policies.map(|t| doc(t.as_str()))
    }

    /// The index of the statement whose Sid is `sid` in the policy at `slot`, read from the
    /// parsed tree (the text is parsed once for every holder of it).
    pub fn statement_of_sid(&self, slot: iamcr_case::PolicySlot, sid: &str) -> Option<usize> {
        let policy = self.policies.get(slot)?.parsed().ok()?;
        policy
            .statements
            .iter()
            .position(|s| s.value.sid.as_ref().is_some_and(|x| x.value == sid))
    }

    /// The case format's `request` of this query (the inverse of [`Query::from_parts`]).
    pub fn case_request(&self) -> Request {
        Request {
            principal: match &self.caller {
                Caller::Arn(a) => PrincipalSpec::Arn(a.clone()),
                Caller::Service(s) => PrincipalSpec::Service(s.clone()),
                Caller::Federated(s) => PrincipalSpec::Federated(s.clone()),
                Caller::CanonicalUser(s) => PrincipalSpec::CanonicalUser(s.clone()),
                Caller::Anonymous => PrincipalSpec::Anonymous,
            },
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account: self.resource_owner.clone(),
            context: self.context.clone(),
        }
    }

    /// The query of a case format's `policies` and `request` (an engine protocol request
    /// carries just these).
    pub fn from_parts(p: &Policies, r: &Request) -> Query {
        Query {
            policies: p.map(|d| PolicyText::new(d.text.as_str())),
            caller: match &r.principal {
                PrincipalSpec::Arn(a) => Caller::Arn(a.clone()),
                PrincipalSpec::Service(s) => Caller::Service(s.clone()),
                PrincipalSpec::Federated(s) => Caller::Federated(s.clone()),
                PrincipalSpec::CanonicalUser(s) => Caller::CanonicalUser(s.clone()),
                PrincipalSpec::Anonymous => Caller::Anonymous,
            },
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_owner: r.resource_account.clone(),
            context: r.context.clone(),
        }
    }

    /// A stable identity for the query: FNV-1a (128-bit) of its JSON form, in hex. Journals
    /// key answers by it, so it must not depend on the process (no `std` `Hash`, whose
    /// output may change between releases).
    pub fn id(&self) -> QueryId {
        // The JSON form hashed as it is written, without keeping it.
        let mut hash = Fnv1a128(FNV_OFFSET);
        if serde_json::to_writer(&mut hash, self).is_err() {
            // As the hash of the empty text (a query always serializes).
            hash = Fnv1a128(FNV_OFFSET);
        }
        QueryId(format!("{:032x}", hash.0))
    }
}

/// A query's stable id (32 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QueryId(pub String);

impl fmt::Display for QueryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

/// FNV-1a over 128 bits: tiny, stable and with collisions far beyond any campaign's size.
pub fn fnv1a_128(bytes: &[u8]) -> u128 {
    fnv1a_128_more(FNV_OFFSET, bytes)
}

/// The FNV-1a state `h` after `bytes` more.
fn fnv1a_128_more(h: u128, bytes: &[u8]) -> u128 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u128::from(*b)).wrapping_mul(FNV_PRIME))
}

/// A writer that keeps only the FNV-1a hash of what is written.
struct Fnv1a128(u128);

impl std::io::Write for Fnv1a128 {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 = fnv1a_128_more(self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The decision: the vocabulary crate's one type.
pub use iamcr_case::Decision;

/// Which policy of a query a statement is in: the vocabulary crate's one type.
pub use iamcr_case::PolicySlot;

/// A line and column in a policy text (1-based), as the simulator's `Position`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pos {
    /// `Line`.
    pub line: u32,
    /// `Column`.
    pub column: u32,
}

/// A statement that decided (the simulator's `Statement`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Matched {
    /// The policy, when `source_policy_id` names an input of the query.
    pub slot: Option<PolicySlot>,
    /// The statement's index in its policy, when known (the model knows it; for the
    /// simulator it is found from the reported positions).
    pub statement: Option<usize>,
    /// The statement's `Sid`, when it has one and the statement is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `SourcePolicyId`.
    pub source_policy_id: String,
    /// `SourcePolicyType`, as the simulator spelled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_policy_type: Option<String>,
    /// `StartPosition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Pos>,
    /// `EndPosition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Pos>,
}

/// What an oracle answers for one query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided; `None` when the oracle does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<Matched>>,
    /// Context keys the decision needed that the query lacked; `None` when not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_context: Option<Vec<String>>,
    /// `EvalDecisionDetails`: decision per policy type, as the oracle names the types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<(String, Decision)>,
    /// `PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by_boundary: Option<bool>,
    /// `OrganizationsDecisionDetail.AllowedByOrganizations`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_by_organizations: Option<bool>,
}

impl Answer {
    /// The matched statements as the case format names them (policy slot, Sid, index); a
    /// statement whose policy slot is unknown is left out. `None` when the oracle does not say.
    pub fn matched_refs(&self) -> Option<Vec<MatchedRef>> {
        self.matched.as_ref().map(|ms| {
            ms.iter()
                .filter_map(|m| {
                    Some(MatchedRef {
                        policy: m.slot?.to_string(),
                        sid: m.sid.clone(),
                        statement: m.statement,
                    })
                })
                .collect()
        })
    }

    /// An answer with a decision only.
    pub fn decision(decision: Decision) -> Answer {
        Answer {
            decision,
            matched: None,
            missing_context: None,
            details: Vec::new(),
            allowed_by_boundary: None,
            allowed_by_organizations: None,
        }
    }
}

/// Why an oracle gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OracleError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The message (for the simulator: its error code and message, account ids redacted).
    pub message: String,
}

/// Kinds of [`OracleError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The oracle cannot answer this query (a capability it lacks).
    Unsupported,
    /// The simulator rejected the input (`InvalidInput`).
    InvalidInput,
    /// The simulator could not evaluate a policy (`PolicyEvaluation`).
    PolicyEvaluation,
    /// The model could not read or compile a policy or the request.
    Model,
    /// Transport or service failure that retries did not overcome.
    Transport,
    /// The call budget ran out before the query was asked.
    NotAsked,
    /// The simulator's response had no result for the query.
    NoResult,
    /// An engine process failed (timeout, crash, garbage output, out-of-order answer,
    /// another protocol version): `docs/engine-protocol.md`.
    Engine,
}

impl fmt::Display for OracleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for OracleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_ids_round_trip() {
        for s in [
            PolicySlot::Identity(0),
            PolicySlot::Identity(11),
            PolicySlot::Boundary,
            PolicySlot::Resource,
            PolicySlot::Scp(2, 1),
        ] {
            assert_eq!(PolicySlot::from_simulator_id(&s.simulator_id()), Some(s));
        }
        assert_eq!(PolicySlot::from_simulator_id("PolicyInputList.0"), None);
        assert_eq!(PolicySlot::from_simulator_id("IAM Policy"), None);
    }

    #[test]
    fn query_id_is_stable_and_distinguishes() {
        let q = Query {
            policies: PolicyInputs::default(),
            caller: Caller::Arn("arn:aws:iam::111122223333:user/alice".into()),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            resource_owner: None,
            context: vec![],
        };
        // Pinned: a change of the JSON form or the hash would orphan existing journals.
        assert_eq!(q.id().0, "1586b2cb5051a757ff880a34005957bd");
        let mut r = q.clone();
        r.action = "s3:PutObject".into();
        assert_ne!(q.id(), r.id());
        // The id is the hash of the JSON text, hashed as it is written (serde_json writes
        // in many pieces): the same as hashing the whole text at once.
        r.policies.identity = vec![PolicyText::new(
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/é":"\"x\""}}}}"#,
        )];
        r.context = vec![ContextValue {
            key: "aws:PrincipalTag/é".into(),
            ty: iamcr_case::ContextType::StringList,
            values: vec!["a\"b".into(), "ü".into()],
        }];
        for query in [&q, &r] {
            let text = serde_json::to_string(query).unwrap();
            assert_eq!(query.id().0, format!("{:032x}", fnv1a_128(text.as_bytes())));
        }
    }

    /// A shared text is the text as written: serialized as the string (so a query's JSON and
    /// id are those of its texts), equal and hashed by text, parsed once for all its clones,
    /// and equal texts of different queries become one by `share_policies`.
    #[test]
    fn policy_texts_are_the_text_shared_and_parsed_once() {
        let text =
            "{ \"Statement\": {\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}\n";
        let q = Query {
            policies: PolicyInputs {
                identity: vec![text.into(), "not json".into()],
                ..PolicyInputs::default()
            },
            caller: Caller::Anonymous,
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_owner: None,
            context: vec![],
        };
        let json = serde_json::to_value(&q).unwrap_or_default();
        assert_eq!(json["policies"]["identity"][0], text);
        let back: Query = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, q);
        assert_eq!(back.id(), q.id());
        assert!(!back.policies.identity[0].same(&q.policies.identity[0]));
        assert_eq!(format!("{:?}", q.policies.identity[0]), format!("{text:?}"));

        let before = iamcr_policy::reads_on_this_thread();
        let neighbour = q.clone();
        assert!(neighbour.policies.identity[0].parsed().is_ok());
        assert!(q.policies.identity[0].parsed().is_ok());
        assert!(q.policies.identity[1].parsed().is_err());
        assert!(neighbour.policies.identity[1].parsed().is_err());
        assert_eq!(iamcr_policy::reads_on_this_thread() - before, 2);

        let mut other = back.clone();
        other.policies.identity.reverse();
        let mut queries = [q.clone(), back, other];
        share_policies(&mut queries);
        let [a, b, c] = &queries;
        assert!(a.policies.identity[0].same(&b.policies.identity[0]));
        assert!(a.policies.identity[0].same(&c.policies.identity[1]));
        assert!(a.policies.identity[1].same(&c.policies.identity[0]));
        assert_eq!(a, &q);
    }

    #[test]
    fn context_types_parse_as_spelled() {
        for t in ContextKeyType::ALL {
            assert_eq!(ContextKeyType::parse(t.as_str()), Some(t));
        }
    }
}
