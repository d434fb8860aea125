//! Known, documented ways the IAM policy simulator's answers differ from what the model
//! (and live AWS) decide, or from what its own API promises. `docs/simulator-deviations.md`
//! describes each entry; `tests/deviations.rs` has a test named `deviation_<id>` (dashes as
//! underscores) for each, and checks that the table, the page and the tests agree.
//!
//! Some deviations are differences a comparison meets: those have an `explains` predicate
//! and mark the [`crate::compare::Finding`]s they account for. The others are handled
//! before any comparison — a [`crate::capability::Limitation`] keeps such queries from the
//! simulator, or the request or the mapping of results compensates — and never explain a
//! finding.

use crate::compare::Difference;
use crate::query::{PolicySlot, Query};

/// One known deviation.
#[derive(Debug, Clone, Copy)]
pub struct Deviation {
    /// Stable id (kebab-case).
    pub id: &'static str,
    /// What differs.
    pub summary: &'static str,
    /// Where AWS documents it.
    pub link: &'static str,
    /// How this project deals with it.
    pub handling: &'static str,
    /// Whether it accounts for a difference met in a comparison.
    pub explains: fn(&Query, &Difference) -> bool,
}

const EVALUATION_RESULT: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html";
const SIMULATE_CUSTOM_POLICY: &str =
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html";
const TESTING_POLICIES: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_testing-policies.html";

fn never(_: &Query, _: &Difference) -> bool {
    false
}

/// The lower-cased texts of a query's policies, SCPs and the others apart.
fn texts(q: &Query) -> (Vec<String>, Vec<String>) {
    let (scp, other): (Vec<_>, Vec<_>) =
        q.policies.all().into_iter().partition(|(s, _)| s.is_scp());
    let lower = |v: Vec<(PolicySlot, &str)>| v.into_iter().map(|(_, t)| t.to_lowercase()).collect();
    (lower(scp), lower(other))
}

fn scp_statements_not_matched(_: &Query, d: &Difference) -> bool {
    match d {
        Difference::Matched {
            only_model,
            only_simulator,
        } => {
            only_simulator.is_empty()
                && !only_model.is_empty()
                && only_model
                    .iter()
                    .all(|k| k.slot.is_some_and(PolicySlot::is_scp))
        }
        _ => false,
    }
}

fn scp_keys_not_missing(q: &Query, d: &Difference) -> bool {
    match d {
        Difference::MissingContext {
            only_model,
            only_simulator,
        } => {
            let (scp, other) = texts(q);
            only_simulator.is_empty()
                && !only_model.is_empty()
                && only_model.iter().all(|k| {
                    let k = k.to_lowercase();
                    scp.iter().any(|t| t.contains(&k)) && !other.iter().any(|t| t.contains(&k))
                })
        }
        _ => false,
    }
}

/// Every known deviation.
pub const DEVIATIONS: &[Deviation] = &[
    Deviation {
        id: "scp-statements-not-matched",
        summary: "MatchedStatements never includes statements from SCPs, even when an SCP Deny decides",
        link: EVALUATION_RESULT,
        handling: "a difference that consists only of SCP statements the model lists is accounted for; recorded cases omit `matched` when SCPs decided",
        explains: scp_statements_not_matched,
    },
    Deviation {
        id: "scp-keys-not-missing",
        summary: "MissingContextValues never includes keys that only SCPs reference",
        link: EVALUATION_RESULT,
        handling: "the model does not list them either; a difference in keys that only SCPs test is accounted for",
        explains: scp_keys_not_missing,
    },
    Deviation {
        id: "rcp-not-simulated",
        summary: "resource control policies (RCPs) are not simulated",
        link: TESTING_POLICIES,
        handling: "limitation `resource-control-policies`: queries with RCPs are not sent",
        explains: never,
    },
    Deviation {
        id: "eval-resource-name-template",
        summary: "since the 2026 change there is one EvaluationResult per action; its EvalResourceName is the ARN template or `*`, and its decision the most restrictive across resources",
        link: EVALUATION_RESULT,
        handling: "answers are read from ResourceSpecificResults by resource ARN; the top level is used only for a single-resource call or when it names the resource (the earlier shape)",
        explains: never,
    },
    Deviation {
        id: "statement-positions",
        summary: "StartPosition is one column past the statement's opening brace in AWS's examples (the model points at the brace), and some reports start at the comma before the statement",
        link: SIMULATE_CUSTOM_POLICY,
        handling: "positions are mapped to statements by the end position (one column of slack), then the start; statements are compared, never raw columns",
        explains: never,
    },
    Deviation {
        id: "source-policy-type-spelling",
        summary: "SourcePolicyType arrives as `IAM Policy` or `Resource Policy` in AWS's examples, values outside the API's enum (user, group, role, aws-managed, user-managed, resource, none)",
        link: SIMULATE_CUSTOM_POLICY,
        handling: "the policy is identified by SourcePolicyId (`PolicyInputList.N`, `PermissionsBoundaryPolicyInputList.1`, `ResourcePolicy`); the type is kept as spelled",
        explains: never,
    },
    Deviation {
        id: "principal-arn-not-populated",
        summary: "the simulator fills in only some principal keys (aws:PrincipalAccount, aws:PrincipalType, aws:username, aws:userid, organization keys); aws:PrincipalArn and aws:PrincipalIsAWSService must be supplied",
        link: TESTING_POLICIES,
        handling: "when a policy tests one of them and the query does not give it, the request supplies the value the model derives from the caller",
        explains: never,
    },
    Deviation {
        id: "real-account-context-keys",
        summary: "organization keys and unique ids (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalOrgMasterAccountId, aws:PrincipalId, aws:userid) come from the real account behind the credentials",
        link: TESTING_POLICIES,
        handling: "limitation `context-key-from-real-account`: a query whose policies test one without giving it is not sent",
        explains: never,
    },
    Deviation {
        id: "role-trust-not-simulated",
        summary: "simulation of resource-based policies isn't supported for IAM roles, so trust policies (sts:AssumeRole and friends) cannot be checked",
        link: SIMULATE_CUSTOM_POLICY,
        handling: "limitation `role-trust-policy`",
        explains: never,
    },
    Deviation {
        id: "caller-arn-kinds",
        summary: "CallerArn takes an IAM user, group or role (older documentation: users only), never an assumed-role session, federated user, service principal, root or anonymous caller",
        link: SIMULATE_CUSTOM_POLICY,
        handling: "limitations `caller-*`; role callers are asked, and a refusal is journaled as the simulator's answer and reported",
        explains: never,
    },
];

/// The deviation that accounts for a difference, if one does.
pub fn explain(q: &Query, d: &Difference) -> Option<&'static Deviation> {
    DEVIATIONS.iter().find(|x| (x.explains)(q, d))
}

/// The deviation with an id.
pub fn by_id(id: &str) -> Option<&'static Deviation> {
    DEVIATIONS.iter().find(|x| x.id == id)
}
