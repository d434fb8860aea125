//! The one registry of metamorphic laws: the offline campaign (`src/campaign.rs`) checks
//! every law on every generated case, and the property tests (`tests/properties/laws.rs`)
//! check the same laws on proptest's cases, shrinking a counterexample.
//!
//! Each law changes a case in a way the IAM documentation says cannot change the decision
//! (or changes it in a known way) and compares the model's answers. A law is given the
//! case's policy set compiled once ([`Subject::authorizer`]): a law that changes only the
//! request reuses it; a law that adds, inserts, reorders or rewrites policies builds its set
//! from the case's compiled policies and compiles only the policies it adds or changes
//! ([`Authorizer::from_parts`]: compiling is a function of the policy and its slot alone, so
//! the set is the one compiling it whole would give). A rewritten policy that comes out
//! equal to the case's own (the policy AST's equality: every element, not the positions or
//! the source text) keeps its compiled form, since compiling it again could only give the
//! same: a statement reordering of a one-statement policy, or a policy printed and parsed
//! back unchanged. A rewritten policy that differs is compiled from the compiled statements
//! of the policy it rewrites ([`Authorizer::compile_policy_reusing`]): a statement written
//! the same but for its Sid takes their rules, and only a statement that changed is compiled
//! (so statement reordering, duplication and Sid renaming compile no statement at all).
//! [`Subject::variant`] picks among a law's variations (which statement, which position),
//! so that many cases together try them all.

mod rearrange;

use iamcr_eval::{
    Authorizer, CompileError, CompiledParts, CompiledPolicy, Decision, Earlier, Evaluation,
    PolicyRef, Request, ValueType,
};
use iamcr_gen::GenCase;
use iamcr_policy::{
    ActionBlock, Effect, Form, Policy, PolicyKind, PrincipalBlock, PrincipalValue, ResourceBlock,
    Spanned, Statement, Values,
};
use rearrange::{duplicates, sid_renaming, statement_order};
use std::sync::{Arc, OnceLock};

/// What a law changes before it asks the model again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changes {
    /// Nothing: it asks the compiled set again.
    Nothing,
    /// The request only: it asks the compiled set again.
    Request,
    /// The policies' content (statements, Sids, text): it compiles each policy it changes,
    /// once, and keeps the compiled form of every policy it leaves equal.
    Policies,
    /// Whole policies (added, inserted, reordered, or one rewritten): it builds its set from
    /// the case's compiled policies and compiles only the policy it adds or rewrites.
    Composes,
}

/// A law: its name (which states it), what it changes, and the check.
#[derive(Debug, Clone, Copy)]
pub struct Law {
    /// What the law says, as a test name would.
    pub name: &'static str,
    /// What it changes (and so whether it compiles).
    pub changes: Changes,
    /// Check the law; `Err` says how it broke.
    pub check: fn(&Subject<'_>) -> Result<(), String>,
}

/// What a law is checked on: a case, its policies compiled once, and the model's answer.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The case.
    pub case: &'a GenCase,
    /// The case's policies, compiled.
    pub authorizer: &'a Authorizer,
    /// The model's answer to the case.
    pub evaluation: &'a Evaluation,
    /// Which of a law's variations to try (any value is valid).
    pub variant: u64,
    /// The case's policies printed with [`iamcr_policy::print`], when the caller printed them
    /// already (the campaign does, for its case-format query); `None`: the law prints them.
    pub printed: Option<&'a Printed>,
}

/// A policy set printed, slot for slot.
pub type Printed = iamcr_case::PolicySlots<String>;

impl<'a> Subject<'a> {
    /// A subject whose policies the laws print themselves.
    pub fn new(
        case: &'a GenCase,
        authorizer: &'a Authorizer,
        evaluation: &'a Evaluation,
        variant: u64,
    ) -> Subject<'a> {
        Subject {
            case,
            authorizer,
            evaluation,
            variant,
            printed: None,
        }
    }
}

const fn law(
    name: &'static str,
    changes: Changes,
    check: fn(&Subject<'_>) -> Result<(), String>,
) -> Law {
    Law {
        name,
        changes,
        check,
    }
}

/// The registry.
const LAWS: [Law; 13] = {
    use Changes::{Composes, Nothing, Policies, Request as Req};
    [
        law("evaluation_is_deterministic", Nothing, deterministic),
        law("fast_path_equals_traced_path", Nothing, fast_equals_traced),
        law("statement_order_does_not_matter", Policies, statement_order),
        law("policy_order_does_not_matter", Composes, policy_order),
        law("duplicate_statements_do_not_matter", Policies, duplicates),
        law(
            "a_matching_unconditional_deny_gives_explicit_deny",
            Composes,
            deny_dominates,
        ),
        law(
            "an_allow_for_another_service_changes_nothing",
            Composes,
            unrelated_allow,
        ),
        law("action_case_does_not_matter", Req, action_case),
        law("print_then_parse_changes_nothing", Policies, print_parse),
        law("sid_renaming_changes_nothing", Policies, sid_renaming),
        law(
            "an_scp_level_allowing_everything_changes_nothing",
            Composes,
            scp_allow_all,
        ),
        law(
            "an_rcp_level_of_rcp_full_aws_access_changes_nothing",
            Composes,
            rcp_full_access,
        ),
        law(
            "unrelated_context_keys_change_nothing",
            Req,
            unrelated_context,
        ),
    ]
};

/// Every law, in the order they run.
pub fn laws() -> &'static [Law] {
    &LAWS
}

/// Check every law on `subject`; `broken` is called with each law that breaks and how.
pub fn check_all(subject: &Subject<'_>, mut broken: impl FnMut(&Law, String)) {
    for law in laws() {
        if let Err(why) = (law.check)(subject) {
            broken(law, why);
        }
    }
}

/// Decide `request` under a set built from compiled policies.
fn decide_parts(parts: CompiledParts, request: &Request) -> Result<Evaluation, String> {
    Authorizer::from_parts(parts)
        .map(|a| a.evaluate(request))
        .map_err(|e| format!("the changed policies do not compile: {e}"))
}

/// Compile the policy a law adds, for the place `reference` names.
fn compile_added(policy: &Policy, reference: PolicyRef) -> Result<Arc<CompiledPolicy>, String> {
    Authorizer::compile_policy(policy, reference)
        .map_err(|e| format!("the added policy does not compile: {e}"))
}

/// A policy a law adds unchanged to every case, compiled once for the process: a compiled
/// policy does not know its place in a set ([`iamcr_eval::CompiledPolicy`]), so the one
/// compiled form serves every position a law puts it in (the test
/// `a_policy_compiled_once_serves_every_position` holds the laws to that).
struct Fixed {
    policy: fn() -> Policy,
    /// The compiled form, or why the policy did not compile.
    compiled: OnceLock<Result<Arc<CompiledPolicy>, String>>,
}

impl Fixed {
    const fn new(policy: fn() -> Policy) -> Fixed {
        Fixed {
            policy,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled policy (compiled, the first time, for `reference`).
    fn compiled(&self, reference: PolicyRef) -> Result<Arc<CompiledPolicy>, String> {
        self.compiled
            .get_or_init(|| compile_added(&(self.policy)(), reference))
            .clone()
    }
}

/// The Allow [`unrelated_allow`] adds: `ec2:DescribeInstances` on `*`.
static EC2_ALLOW: Fixed = Fixed::new(|| {
    policy_of(vec![statement(
        Effect::Allow,
        "ec2:DescribeInstances",
        None,
    )])
});

/// AWS's `FullAWSAccess` SCP ([`scp_allow_all`]).
static SCP_FULL_ACCESS: Fixed = Fixed::new(|| iamcr_gen::allow_all(PolicyKind::Scp));

/// AWS's `RCPFullAWSAccess` RCP ([`rcp_full_access`]).
static RCP_FULL_ACCESS: Fixed = Fixed::new(|| iamcr_gen::allow_all(PolicyKind::Rcp));

/// Decide the case's request under its policies rewritten slot for slot: `rewrite` gives a
/// slot's new policy, or `None` to leave it as it is. A policy left as it is, or rewritten
/// into one equal to it, keeps its compiled form; every other is compiled for its slot,
/// taking the compiled rules of each statement equal to one of the policy it rewrites but
/// for the Sid ([`Authorizer::compile_policy_reusing`]): reordered, duplicated or renamed
/// statements compile nothing, and a statement whose meaning changed is compiled afresh.
fn decide_rewritten(
    s: &Subject<'_>,
    rewrite: impl FnMut(PolicyRef, &Policy) -> Result<Option<Policy>, String>,
) -> Result<Evaluation, String> {
    decide_parts(rewritten_parts(s, rewrite)?, &s.case.request)
}

/// The compiled policies of [`decide_rewritten`]'s set.
fn rewritten_parts(
    s: &Subject<'_>,
    mut rewrite: impl FnMut(PolicyRef, &Policy) -> Result<Option<Policy>, String>,
) -> Result<CompiledParts, String> {
    let compiled = s.authorizer.parts();
    s.case.policies.try_map(|slot, old| {
        let kept = compiled.get(slot).cloned();
        let compiled = match (rewrite(slot, old)?, kept) {
            (None, Some(kept)) => return Ok(kept),
            (Some(new), Some(kept)) if new == *old => return Ok(kept),
            (Some(new), Some(kept)) => compile_rewrite(old, &kept, &new, slot),
            (new, None) => Authorizer::compile_policy(new.as_ref().unwrap_or(old), slot),
        };
        compiled.map_err(|e| format!("the changed policies do not compile: {e}"))
    })
}

/// `new`, a rewrite of `old` (compiled as `kept`), compiled for `slot`: each statement equal
/// to one of `old`'s but for the Sid takes that statement's compiled rules
/// ([`Authorizer::compile_policy_reusing`]); when `kept` cannot be `old`'s compile, `new` is
/// compiled whole.
fn compile_rewrite(
    old: &Policy,
    kept: &CompiledPolicy,
    new: &Policy,
    slot: PolicyRef,
) -> Result<Arc<CompiledPolicy>, CompileError> {
    match Earlier::new(old, kept) {
        Some(earlier) => Authorizer::compile_policy_reusing(new, slot, earlier),
        None => Authorizer::compile_policy(new, slot),
    }
}

/// `what` is formatted only when the decision changed (a law that holds formats nothing).
fn same_decision(
    before: &Evaluation,
    after: &Evaluation,
    what: impl std::fmt::Display,
) -> Result<(), String> {
    if before.decision == after.decision {
        Ok(())
    } else {
        Err(format!(
            "{what}: the decision went from {} to {} ({})",
            before.decision, after.decision, after.reason
        ))
    }
}

fn statement(
    effect: Effect,
    action: &str,
    principal: Option<PrincipalValue>,
) -> Spanned<Statement> {
    Spanned::synthetic(Statement {
        sid: None,
        effect: Some(Spanned::synthetic(effect)),
        principal: principal.map(|value| {
            Spanned::synthetic(PrincipalBlock {
                negated: false,
                value,
            })
        }),
        action: Some(Spanned::synthetic(ActionBlock {
            negated: false,
            values: Values::single(action),
        })),
        resource: Some(Spanned::synthetic(ResourceBlock {
            negated: false,
            values: Values::single("*"),
        })),
        condition: None,
    })
}

fn policy_of(statements: Vec<Spanned<Statement>>) -> Policy {
    Policy {
        version: Some(Spanned::synthetic(iamcr_policy::Version::V2012_10_17)),
        id: None,
        statements,
        statement_form: Some(Form::List),
        source: None,
    }
}

fn deterministic(s: &Subject<'_>) -> Result<(), String> {
    let again = s.authorizer.evaluate(&s.case.request);
    if &again == s.evaluation {
        Ok(())
    } else {
        Err(format!(
            "evaluated twice: {:?} then {again:?}",
            s.evaluation
        ))
    }
}

fn fast_equals_traced(s: &Subject<'_>) -> Result<(), String> {
    let traced = s.authorizer.explain(&s.case.request).evaluation;
    if &traced == s.evaluation {
        Ok(())
    } else {
        Err(format!(
            "evaluate() gives {:?}, explain() gives {traced:?}",
            s.evaluation
        ))
    }
}

/// The variant as an index below `n` (0 when `n` is 0).
fn pick(variant: u64, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (variant % n as u64) as usize
    }
}

fn policy_order(s: &Subject<'_>) -> Result<(), String> {
    let mut parts = s.authorizer.parts();
    parts.identity.reverse();
    parts.session.reverse();
    for level in parts
        .scp
        .iter_mut()
        .flatten()
        .chain(parts.rcp.iter_mut().flatten())
    {
        level.reverse();
    }
    let after = decide_parts(parts, &s.case.request)?;
    same_decision(s.evaluation, &after, "policies reversed")
}

/// Odd variants put the Deny in an identity-based policy when the principal is an IAM one;
/// the rest in the resource-based policy, for any principal.
fn deny_dominates(s: &Subject<'_>) -> Result<(), String> {
    let case = s.case;
    let mut parts = s.authorizer.parts();
    let action = case.request.action.as_str();
    // `sts:GetCallerIdentity` "cannot be denied" (docs/evaluation.md, "Decision").
    let iam = case.request.principal.is_iam();
    if iam && action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        return Ok(());
    }
    if iam && (s.variant % 2 == 1 || case.policies.resource.is_none()) {
        let deny = policy_of(vec![statement(Effect::Deny, action, None)]);
        let at = PolicyRef::Identity(parts.identity.len());
        parts.identity.push(compile_added(&deny, at)?);
    } else {
        // The resource-based policy with the Deny added is a changed policy: compiled for
        // its slot, its other statements' rules taken from the case's compiled policy (only
        // the Deny is compiled; the rules are a function of the statement).
        let deny = statement(Effect::Deny, action, Some(PrincipalValue::Wildcard));
        let old = case.policies.resource.as_ref();
        let mut with_deny = old.cloned().unwrap_or_else(|| policy_of(Vec::new()));
        with_deny.statements.push(deny);
        with_deny.statement_form = Some(Form::List);
        let compiled = match (old, &parts.resource) {
            (Some(old), Some(kept)) => compile_rewrite(old, kept, &with_deny, PolicyRef::Resource),
            _ => Authorizer::compile_policy(&with_deny, PolicyRef::Resource),
        };
        parts.resource =
            Some(compiled.map_err(|e| format!("the added policy does not compile: {e}"))?);
    }
    let after = decide_parts(parts, &case.request)?;
    if after.decision == Decision::ExplicitDeny {
        Ok(())
    } else {
        Err(format!(
            "a Deny of {action} on * was added, but the decision is {} ({})",
            after.decision, after.reason
        ))
    }
}

fn unrelated_allow(s: &Subject<'_>) -> Result<(), String> {
    let case = s.case;
    if case.request.service_lower() == "ec2" {
        return Ok(());
    }
    let mut parts = s.authorizer.parts();
    let at = PolicyRef::Identity(parts.identity.len());
    parts.identity.push(EC2_ALLOW.compiled(at)?);
    let after = decide_parts(parts, &case.request)?;
    same_decision(s.evaluation, &after, "an ec2 Allow was added")
}

fn action_case(s: &Subject<'_>) -> Result<(), String> {
    let flipped: String = s
        .case
        .request
        .action
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    // The case's request given the flipped action: built for it as `Request::with_context`
    // would build it, keeping what does not depend on the action.
    let mut req = s.case.request.clone();
    req.set_target(&flipped, &s.case.request.resource);
    same_decision(
        s.evaluation,
        &s.authorizer.evaluate(&req),
        format_args!("action written as {flipped}"),
    )
}

fn print_parse(s: &Subject<'_>) -> Result<(), String> {
    let after = decide_rewritten(s, |slot, p| {
        let printed = s.printed.and_then(|texts| texts.get(slot));
        let text = match printed {
            Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
            None => std::borrow::Cow::Owned(iamcr_policy::print(p)),
        };
        iamcr_policy::parse(&text)
            .map(Some)
            .map_err(|d| format!("the printed policy does not parse: {d:?}\n{text}"))
    })?;
    same_decision(s.evaluation, &after, "policies printed and parsed")
}

/// A level holding only `policy`, inserted at the variant's position among `levels`.
fn insert_level(
    levels: &mut Option<Vec<Vec<Arc<CompiledPolicy>>>>,
    policy: &Fixed,
    mk: fn(usize, usize) -> PolicyRef,
    variant: u64,
) -> Result<(), String> {
    let levels = levels.get_or_insert_with(Vec::new);
    let at = pick(variant, levels.len() + 1);
    levels.insert(at, vec![policy.compiled(mk(at, 0))?]);
    Ok(())
}

fn scp_allow_all(s: &Subject<'_>) -> Result<(), String> {
    let mut parts = s.authorizer.parts();
    insert_level(&mut parts.scp, &SCP_FULL_ACCESS, PolicyRef::Scp, s.variant)?;
    let after = decide_parts(parts, &s.case.request)?;
    same_decision(s.evaluation, &after, "an SCP level of FullAWSAccess")
}

fn rcp_full_access(s: &Subject<'_>) -> Result<(), String> {
    let mut parts = s.authorizer.parts();
    insert_level(&mut parts.rcp, &RCP_FULL_ACCESS, PolicyRef::Rcp, s.variant)?;
    let after = decide_parts(parts, &s.case.request)?;
    same_decision(s.evaluation, &after, "an RCP level of RCPFullAWSAccess")
}

/// One to three keys no policy names, of types the variant picks: neither the decision nor
/// the missing keys change.
fn unrelated_context(s: &Subject<'_>) -> Result<(), String> {
    let (n, req) = with_unrelated_context(&s.case.request, s.variant);
    let after = s.authorizer.evaluate(&req);
    same_decision(
        s.evaluation,
        &after,
        format_args!("{n} unrelated context keys"),
    )?;
    if after.missing_context == s.evaluation.missing_context {
        Ok(())
    } else {
        Err(format!(
            "{n} unrelated context keys: the missing keys went from {:?} to {:?}",
            s.evaluation.missing_context, after.missing_context
        ))
    }
}

/// `request` with the unrelated keys [`unrelated_context`] adds (how many, and the request).
/// A clone given more context: what a request derives from the principal, the action and
/// the resource does not depend on the context (the test
/// `a_request_given_unrelated_context_is_the_one_built_with_it` holds it to that).
fn with_unrelated_context(request: &Request, variant: u64) -> (usize, Request) {
    const TYPES: [(ValueType, &str); 5] = [
        (ValueType::String, "unrelated"),
        (ValueType::Numeric, "7"),
        (ValueType::Boolean, "true"),
        (ValueType::Ip, "192.0.2.1"),
        (ValueType::Date, "2025-01-01T00:00:00Z"),
    ];
    const KEYS: [&str; 3] = [
        "iamcr:unrelated-0",
        "iamcr:unrelated-1",
        "iamcr:unrelated-2",
    ];
    let mut req = request.clone();
    let n = 1 + pick(variant, KEYS.len());
    let first = pick(variant / 3, TYPES.len());
    for (i, key) in KEYS.iter().take(n).enumerate() {
        let (ty, value) = TYPES[(first + i) % TYPES.len()];
        req.context.insert(key, ty, false, vec![value.to_string()]);
    }
    (n, req)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;

    fn subject_check(
        case: &GenCase,
        e: &Evaluation,
        law: fn(&Subject<'_>) -> Result<(), String>,
    ) -> Result<(), String> {
        let authorizer = Authorizer::new(&case.policies).unwrap();
        law(&Subject::new(case, &authorizer, e, 0))
    }

    #[test]
    fn laws_hold_on_a_sample_of_every_preset() {
        for preset in iamcr_gen::Preset::ALL {
            let generator = iamcr_gen::Generator::preset(preset).unwrap();
            for (i, case) in iamcr_gen::SeededCases::new(generator, 7)
                .take(150)
                .enumerate()
            {
                let authorizer = Authorizer::new(&case.policies).unwrap();
                let e = authorizer.evaluate(&case.request);
                let printed = case.policies.map(iamcr_policy::print);
                let subject = Subject::new(&case, &authorizer, &e, i as u64);
                // With the policies printed by the caller and without.
                for subject in [
                    subject,
                    Subject {
                        printed: Some(&printed),
                        ..subject
                    },
                ] {
                    check_all(&subject, |law, why| {
                        panic!("{preset}: {} broke: {why}\n{case:#?}", law.name)
                    });
                }
            }
        }
    }

    #[test]
    fn a_broken_law_is_reported() {
        // The laws compare with the evaluation they are given: a wrong one must be caught.
        let case = GenCase::fallback();
        let right = case.evaluate().unwrap();
        let wrong = Evaluation {
            decision: Decision::ExplicitDeny,
            ..right.clone()
        };
        assert!(subject_check(&case, &right, deterministic).is_ok());
        assert!(subject_check(&case, &wrong, deterministic).is_err());
        assert!(subject_check(&case, &wrong, statement_order).is_err());
        assert!(subject_check(&case, &wrong, scp_allow_all).is_err());
        let mut broken = Vec::new();
        let authorizer = Authorizer::new(&case.policies).unwrap();
        check_all(&Subject::new(&case, &authorizer, &wrong, 0), |law, _| {
            broken.push(law.name)
        });
        assert!(broken.len() >= laws().len() - 1, "{broken:?}");
    }

    #[test]
    fn no_law_compiles_a_whole_set() {
        let case = GenCase::fallback();
        let authorizer = Authorizer::new(&case.policies).unwrap();
        let e = authorizer.evaluate(&case.request);
        for (variant, law) in laws().iter().enumerate() {
            let before = iamcr_eval::compilations_on_this_thread();
            (law.check)(&Subject::new(&case, &authorizer, &e, variant as u64)).unwrap();
            let compiled = iamcr_eval::compilations_on_this_thread() - before;
            assert_eq!(compiled, 0, "{} compiled {compiled} sets", law.name);
        }
    }

    /// The laws that add a fixed policy compile it once ([`Fixed`]); the set they build must be
    /// the one compiling that policy for its place gives: the same evaluation (decision,
    /// deciding statements and their places, missing keys, details, reason) at every place.
    #[test]
    fn a_policy_compiled_once_serves_every_position() {
        let mut compared = 0;
        for preset in iamcr_gen::Preset::ALL {
            let generator = iamcr_gen::Generator::preset(preset).unwrap();
            for case in iamcr_gen::SeededCases::new(generator, 11).take(20) {
                let authorizer = Authorizer::new(&case.policies).unwrap();
                let levels = |l: &Option<Vec<Vec<_>>>| l.as_ref().map_or(0, Vec::len);
                let base = authorizer.parts();
                let mut sets = Vec::new();
                for variant in 0..=levels(&base.scp) as u64 {
                    let (mut once, mut fresh) = (base.clone(), base.clone());
                    insert_level(&mut once.scp, &SCP_FULL_ACCESS, PolicyRef::Scp, variant).unwrap();
                    let at = pick(variant, levels(&base.scp) + 1);
                    let policy = iamcr_gen::allow_all(PolicyKind::Scp);
                    let compiled = compile_added(&policy, PolicyRef::Scp(at, 0)).unwrap();
                    fresh
                        .scp
                        .get_or_insert_with(Vec::new)
                        .insert(at, vec![compiled]);
                    sets.push((once, fresh));
                }
                for variant in 0..=levels(&base.rcp) as u64 {
                    let (mut once, mut fresh) = (base.clone(), base.clone());
                    insert_level(&mut once.rcp, &RCP_FULL_ACCESS, PolicyRef::Rcp, variant).unwrap();
                    let at = pick(variant, levels(&base.rcp) + 1);
                    let policy = iamcr_gen::allow_all(PolicyKind::Rcp);
                    let compiled = compile_added(&policy, PolicyRef::Rcp(at, 0)).unwrap();
                    fresh
                        .rcp
                        .get_or_insert_with(Vec::new)
                        .insert(at, vec![compiled]);
                    sets.push((once, fresh));
                }
                let (mut once, mut fresh) = (base.clone(), base.clone());
                let at = PolicyRef::Identity(base.identity.len());
                once.identity.push(EC2_ALLOW.compiled(at).unwrap());
                let policy = (EC2_ALLOW.policy)();
                fresh.identity.push(compile_added(&policy, at).unwrap());
                sets.push((once, fresh));
                for (once, fresh) in sets {
                    let once = Authorizer::from_parts(once)
                        .unwrap()
                        .evaluate(&case.request);
                    let fresh = Authorizer::from_parts(fresh)
                        .unwrap()
                        .evaluate(&case.request);
                    assert_eq!(once, fresh, "{preset}\n{case:#?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared} sets compared");
    }

    #[test]
    fn a_request_given_unrelated_context_is_the_one_built_with_it() {
        let generator = iamcr_gen::Generator::preset(iamcr_gen::Preset::ALL[0]).unwrap();
        for (variant, case) in iamcr_gen::SeededCases::new(generator, 3)
            .take(30)
            .enumerate()
        {
            let r = &case.request;
            let (n, given) = with_unrelated_context(r, variant as u64);
            assert_eq!(given.context.entries().len(), r.context.entries().len() + n);
            let built = Request::with_context(
                r.principal.clone(),
                &r.action,
                &r.resource,
                r.resource_account.clone(),
                given.context.clone(),
            );
            assert_eq!(given, built, "{case:#?}");
        }
    }

    /// A role's request with two identity policies of two statements each, one allowing it.
    fn case_of_two_policies() -> GenCase {
        let mut case = GenCase::fallback();
        let principal =
            iamcr_eval::Principal::from_arn("arn:aws:iam::111122223333:role/analyst").unwrap();
        case.request = Request::new(principal, &case.request.action, &case.request.resource);
        let two = iamcr_policy::parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"cleanrooms:GetCollaboration","Resource":"*"},
                {"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#,
        )
        .unwrap();
        case.policies.identity = vec![two.clone(), two];
        case
    }

    #[test]
    fn a_rewrite_compiles_only_the_policies_it_changes() {
        let case = case_of_two_policies();
        let authorizer = Authorizer::new(&case.policies).unwrap();
        let e = authorizer.evaluate(&case.request);
        let s = Subject::new(&case, &authorizer, &e, 0);
        let before = authorizer.parts();
        let shared = |after: &CompiledParts| -> Vec<bool> {
            after
                .entries()
                .iter()
                .map(|(slot, p)| std::sync::Arc::ptr_eq(p, before.get(*slot).unwrap()))
                .collect()
        };
        // Left alone, or printed and parsed back equal: every compiled policy is kept.
        let none = rewritten_parts(&s, |_, _| Ok(None)).unwrap();
        assert!(shared(&none).iter().all(|&kept| kept));
        let round = rewritten_parts(&s, |_, p| {
            Ok(Some(iamcr_policy::parse(&iamcr_policy::print(p)).unwrap()))
        })
        .unwrap();
        assert!(shared(&round).iter().all(|&kept| kept));
        // One policy changed: that one alone is compiled anew.
        let one = rewritten_parts(&s, |slot, p| {
            Ok((slot == PolicyRef::Identity(1)).then(|| {
                let mut p = p.clone();
                p.statements.reverse();
                p
            }))
        })
        .unwrap();
        let kept = shared(&one);
        assert_eq!(kept.iter().filter(|&&k| !k).count(), 1, "{kept:?}");
        assert!(!kept[1], "{kept:?}");
        // ... and its statements, reordered, take the rules compiled for them: none is
        // compiled again.
        let (new, old) = (&one.identity[1], &before.identity[1]);
        for (st, was) in new.statements.iter().zip(old.statements.iter().rev()) {
            assert!(std::sync::Arc::ptr_eq(&st.rules, &was.rules), "{st:?}");
        }
    }

    #[test]
    fn a_rewrite_that_changes_the_decision_breaks_the_law() {
        // The kept compiled policies must not hide a changed one: turning every Allow into a
        // Deny changes the decision, and the rewritten set says so.
        let case = case_of_two_policies();
        let authorizer = Authorizer::new(&case.policies).unwrap();
        let e = authorizer.evaluate(&case.request);
        let s = Subject::new(&case, &authorizer, &e, 0);
        let denied = decide_rewritten(&s, |_, p| {
            let mut p = p.clone();
            for st in &mut p.statements {
                st.value.effect = Some(Spanned::synthetic(Effect::Deny));
            }
            Ok(Some(p))
        })
        .unwrap();
        assert_ne!(e.decision, Decision::ExplicitDeny, "{e:?}");
        assert_eq!(denied.decision, Decision::ExplicitDeny, "{denied:?}");
        assert!(same_decision(&e, &denied, "denied").is_err());
    }

    #[test]
    fn a_broken_action_case_law_names_the_action_it_tried() {
        let case = GenCase::fallback();
        let right = case.evaluate().unwrap();
        let wrong = Evaluation {
            decision: Decision::ExplicitDeny,
            ..right.clone()
        };
        let why = subject_check(&case, &wrong, action_case).unwrap_err();
        assert!(!why.contains("{flipped}"), "{why}");
        let flipped: String = case
            .request
            .action
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        assert!(
            why.contains(&format!("action written as {flipped}")),
            "{why}"
        );
    }
}
