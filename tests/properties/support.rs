//! Shared helpers of the property tests: configuration, case strategies whose counterexamples
//! print as case-format JSON, evaluation, and walks over the policies of a case.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions: a failure here is a failed property (or a generator bug) and must stop the test with its message, which is what unwrap/expect/panic do."
)]

use iamcr_eval::{Authorizer, Evaluation, PolicySet, Request};
use iamcr_gen::{GenCase, Generator, Preset};
use iamcr_policy::{Policy, Statement};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;
use std::fmt;

/// 1,000 cases per property unless `PROPTEST_CASES` says otherwise; no regression files
/// (a failure prints the case to keep instead, see [`Shown`]).
pub fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    Config {
        cases,
        // A property with a `prop_assume!` may discard up to four cases per case it checks
        // (`assumptions_discard_a_bounded_share` measures each one's rate and keeps it below
        // that); a discard beyond the budget fails the property rather than passing it.
        max_global_rejects: cases.saturating_mul(4),
        failure_persistence: None,
        // Each shrink step re-generates and re-evaluates a case: a few thousand steps is
        // seconds, and byte-vector shrinking converges long before.
        max_shrink_iters: 4096,
        ..Config::default()
    }
}

/// The generator of a preset.
pub fn generator(preset: Preset) -> Generator {
    Generator::preset(preset).expect("the catalogue loads")
}

/// A generated case whose `Debug` form is the case in case format v1 with the model's
/// decision as `expect`, so proptest's "minimal failing input" can be dropped into
/// `corpus/cases/` as it is.
#[derive(Clone)]
pub struct Shown(pub GenCase);

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}\n", case_text(&self.0, "property-counterexample"))
    }
}

/// Cases of one preset.
pub fn cases(preset: Preset) -> impl Strategy<Value = Shown> {
    iamcr_gen::strategy::cases(generator(preset)).prop_map(Shown)
}

/// Cases of every preset, Clean-Rooms-shaped ones most often.
pub fn any_case() -> impl Strategy<Value = Shown> {
    prop_oneof![
        3 => cases(Preset::CleanRooms),
        2 => cases(Preset::WellFormed),
        2 => cases(Preset::AnythingGoes),
    ]
}

/// A case as pretty case-format JSON with the model's answer (or why there is none).
pub fn case_text(case: &GenCase, id: &str) -> String {
    match case.evaluate() {
        Ok(e) => {
            let description = format!("model: {} because {}", e.decision, e.reason);
            let v = iamcr_gen::case_json(id, Some(&description), Some("property test"), case, &e);
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }
        Err(e) => format!("(the model cannot compile this case: {e})\n{case:?}"),
    }
}

/// A case with other policies.
pub fn with_policies(case: &GenCase, policies: PolicySet) -> GenCase {
    GenCase {
        shape: case.shape,
        policies,
        request: case.request.clone(),
    }
}

/// A case with another request.
pub fn with_request(case: &GenCase, request: Request) -> GenCase {
    GenCase {
        shape: case.shape,
        policies: case.policies.clone(),
        request,
    }
}

/// The model's evaluation of a case (generated policies always compile).
pub fn eval(case: &GenCase) -> Evaluation {
    Authorizer::new(&case.policies)
        .unwrap_or_else(|e| panic!("{e}\n{}", case_text(case, "uncompilable")))
        .evaluate(&case.request)
}

/// Apply `f` to every statement of every policy.
pub fn each_statement(set: &mut PolicySet, mut f: impl FnMut(&mut Statement)) {
    for p in set.policies_mut() {
        for s in &mut p.statements {
            f(&mut s.value);
        }
    }
}

/// Print a policy and read it back.
pub fn reparse(p: &Policy) -> Policy {
    let text = iamcr_policy::print(p);
    iamcr_policy::parse(&text)
        .unwrap_or_else(|d| panic!("printed policy does not parse: {d:?}\n{text}"))
}

/// Print and re-read every policy of a set.
pub fn reparse_all(set: &PolicySet) -> PolicySet {
    let mut out = set.clone();
    for p in out.policies_mut() {
        *p = reparse(p);
    }
    out
}

/// Whether the request needs no permission and cannot be denied: `sts:GetCallerIdentity` by
/// an IAM principal (docs/evaluation.md, "Decision"; API_GetCallerIdentity.html).
pub fn needs_no_permission(req: &Request) -> bool {
    iamcr_gen::is_iam_principal(&req.principal)
        && req.action.eq_ignore_ascii_case("sts:GetCallerIdentity")
}

/// Whether the request is one AWS requires the resource's own policy to allow even in one
/// account (docs/evaluation.md, decision rule 6): assuming a role, or using a KMS key.
pub fn needs_resource_policy(req: &Request) -> bool {
    let a = req.action.to_ascii_lowercase();
    let r = req.resource.as_str();
    let role = r.contains(":iam::") && r.contains(":role/");
    let key = r.contains(":kms:") && r.contains(":key/");
    let trust = a.starts_with("sts:assumerole")
        || matches!(
            a.as_str(),
            "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
        );
    (trust && role) || (a.starts_with("kms:") && key)
}

/// The owner of a request's resource when it is a 12-digit account, and the byte where the
/// resource part of the ARN starts (after the fifth colon).
pub fn owned_resource(req: &Request) -> Option<(String, usize)> {
    let owner = req
        .resource_owner()
        .filter(|a| iamcr::case::AccountId::is_valid(a))?;
    let cut = req.resource.match_indices(':').nth(4).map(|(i, _)| i + 1)?;
    Some((owner.to_string(), cut))
}

/// The share of `draws` cases of `strategy` that `applies` turns away.
fn discard_rate(strategy: impl Strategy<Value = Shown>, applies: impl Fn(&GenCase) -> bool) -> f64 {
    let draws = 400;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let discarded = (0..draws)
        .filter(|_| {
            let case = strategy.new_tree(&mut runner).expect("a case").current();
            !applies(&case.0)
        })
        .count();
    discarded as f64 / draws as f64
}

/// Each property's `prop_assume!`, measured: the share of drawn cases it discards is printed
/// and stays within the reject budget of [`config`] (four discards per checked case, 80 %), so
/// a property cannot pass by discarding (almost) everything.
#[test]
fn assumptions_discard_a_bounded_share() {
    use iamcr_eval::Decision;
    let rates = [
        (
            "decisions::adding_an_identity_allow_never_denies_an_allowed_request",
            discard_rate(any_case(), |c| eval(c).decision == Decision::Allowed),
        ),
        (
            "decisions::a_cross_account_request_without_a_resource_policy_is_never_allowed",
            discard_rate(any_case(), |c| {
                c.request.principal.account().is_some() && !needs_no_permission(&c.request)
            }),
        ),
        (
            "decisions::a_matching_unconditional_deny_gives_explicit_deny",
            discard_rate(any_case(), |c| !needs_no_permission(&c.request)),
        ),
        (
            "matching::resource_case_matters",
            discard_rate(cases(Preset::WellFormed), |c| {
                owned_resource(&c.request).is_some()
            }),
        ),
    ];
    for (property, rate) in rates {
        eprintln!("{property}: discards {:.1} % of drawn cases", rate * 100.0);
        assert!(
            rate < 0.75,
            "{property} discards {:.1} % of its cases: it checks too little",
            rate * 100.0
        );
    }
}
