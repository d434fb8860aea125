//! Metamorphic laws checked on every generated case of the offline campaign.
//!
//! Each law changes a case in a way the IAM documentation says cannot change the decision
//! (or changes it in a known way) and compares the model's answers. They are the cheap,
//! always-applicable subset of the property suite (`tests/properties`), written once here so
//! that `cargo xtask simulate` runs them on ten thousand cases in seconds.

use iamcr_eval::{Authorizer, Decision, Evaluation, PolicySet, Principal, Request};
use iamcr_gen::GenCase;
use iamcr_policy::{
    ActionBlock, Effect, Form, Policy, PolicyKind, PrincipalBlock, PrincipalValue, ResourceBlock,
    Spanned, Statement, Values,
};

/// A law: its name (which states it) and the check.
#[derive(Debug, Clone, Copy)]
pub struct Law {
    /// What the law says, as a test name would.
    pub name: &'static str,
    /// Check the law on a case whose model answer is `evaluation`; `Err` says how it broke.
    pub check: fn(&GenCase, &Evaluation) -> Result<(), String>,
}

/// Every law, in the order they run.
pub fn laws() -> &'static [Law] {
    &[
        Law {
            name: "evaluation_is_deterministic",
            check: deterministic,
        },
        Law {
            name: "fast_path_equals_traced_path",
            check: fast_equals_traced,
        },
        Law {
            name: "statement_order_does_not_matter",
            check: statement_order,
        },
        Law {
            name: "duplicate_statements_do_not_matter",
            check: duplicates,
        },
        Law {
            name: "a_matching_unconditional_deny_gives_explicit_deny",
            check: deny_dominates,
        },
        Law {
            name: "an_allow_for_another_service_changes_nothing",
            check: unrelated_allow,
        },
        Law {
            name: "action_case_does_not_matter",
            check: action_case,
        },
        Law {
            name: "print_then_parse_changes_nothing",
            check: print_parse,
        },
        Law {
            name: "sid_renaming_changes_nothing",
            check: sid_renaming,
        },
        Law {
            name: "an_scp_level_allowing_everything_changes_nothing",
            check: scp_allow_all,
        },
        Law {
            name: "an_rcp_level_of_rcp_full_aws_access_changes_nothing",
            check: rcp_full_access,
        },
        Law {
            name: "an_unrelated_context_key_changes_nothing",
            check: unrelated_context,
        },
    ]
}

fn decide(policies: &PolicySet, request: &Request) -> Result<Evaluation, String> {
    Authorizer::new(policies)
        .map(|a| a.evaluate(request))
        .map_err(|e| format!("the changed policies do not compile: {e}"))
}

fn same_decision(before: &Evaluation, after: &Evaluation, what: &str) -> Result<(), String> {
    if before.decision == after.decision {
        Ok(())
    } else {
        Err(format!(
            "{what}: the decision went from {} to {} ({})",
            before.decision, after.decision, after.reason
        ))
    }
}

/// Apply `f` to every policy of a set.
fn map_policies(set: &PolicySet, f: impl Fn(&Policy) -> Policy) -> PolicySet {
    let levels = |ls: &Option<Vec<Vec<Policy>>>| {
        ls.as_ref()
            .map(|ls| ls.iter().map(|l| l.iter().map(&f).collect()).collect())
    };
    PolicySet {
        identity: set.identity.iter().map(&f).collect(),
        boundary: set.boundary.as_ref().map(&f),
        session: set.session.iter().map(&f).collect(),
        scp: levels(&set.scp),
        rcp: levels(&set.rcp),
        resource: set.resource.as_ref().map(&f),
    }
}

fn is_iam(p: &Principal) -> bool {
    matches!(
        p,
        Principal::User { .. }
            | Principal::RoleSession { .. }
            | Principal::FederatedUser { .. }
            | Principal::Root { .. }
    )
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

fn deterministic(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let again = decide(&case.policies, &case.request)?;
    if &again == e {
        Ok(())
    } else {
        Err(format!("evaluated twice: {e:?} then {again:?}"))
    }
}

fn fast_equals_traced(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let auth = Authorizer::new(&case.policies).map_err(|err| err.to_string())?;
    let traced = auth.explain(&case.request).evaluation;
    if &traced == e {
        Ok(())
    } else {
        Err(format!(
            "evaluate() gives {e:?}, explain() gives {traced:?}"
        ))
    }
}

fn statement_order(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let set = map_policies(&case.policies, |p| {
        let mut p = p.clone();
        p.statements.reverse();
        p
    });
    same_decision(e, &decide(&set, &case.request)?, "statements reversed")
}

fn duplicates(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let set = map_policies(&case.policies, |p| {
        let mut p = p.clone();
        let copy = p.statements.clone();
        p.statements.extend(copy);
        p.statement_form = Some(Form::List);
        p
    });
    same_decision(
        e,
        &decide(&set, &case.request)?,
        "every statement duplicated",
    )
}

fn deny_dominates(case: &GenCase, _e: &Evaluation) -> Result<(), String> {
    let mut set = case.policies.clone();
    let action = case.request.action.as_str();
    // `sts:GetCallerIdentity` "cannot be denied" (docs/evaluation.md, "Decision").
    if is_iam(&case.request.principal) && action.eq_ignore_ascii_case("sts:GetCallerIdentity") {
        return Ok(());
    }
    if is_iam(&case.request.principal) {
        set.identity
            .push(policy_of(vec![statement(Effect::Deny, action, None)]));
    } else {
        let deny = statement(Effect::Deny, action, Some(PrincipalValue::Wildcard));
        match &mut set.resource {
            Some(r) => r.statements.push(deny),
            None => set.resource = Some(policy_of(vec![deny])),
        }
    }
    let after = decide(&set, &case.request)?;
    if after.decision == Decision::ExplicitDeny {
        Ok(())
    } else {
        Err(format!(
            "a Deny of {action} on * was added, but the decision is {} ({})",
            after.decision, after.reason
        ))
    }
}

fn unrelated_allow(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    if case.request.service_lower() == "ec2" {
        return Ok(());
    }
    let mut set = case.policies.clone();
    set.identity.push(policy_of(vec![statement(
        Effect::Allow,
        "ec2:DescribeInstances",
        None,
    )]));
    same_decision(e, &decide(&set, &case.request)?, "an ec2 Allow was added")
}

fn with_request(case: &GenCase, action: &str, extra: Option<(&str, &str)>) -> Request {
    let r = &case.request;
    let mut context = r.context.clone();
    if let Some((k, v)) = extra {
        context.insert(k, iamcr_eval::ValueType::String, false, vec![v.to_string()]);
    }
    Request::with_context(
        r.principal.clone(),
        action,
        &r.resource,
        r.resource_account.clone(),
        context,
    )
}

fn action_case(case: &GenCase, e: &Evaluation) -> Result<(), String> {
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
    let req = with_request(case, &flipped, None);
    same_decision(
        e,
        &decide(&case.policies, &req)?,
        &format!("action written as {flipped}"),
    )
}

fn print_parse(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let round = |p: &Policy| {
        let text = iamcr_policy::print(p);
        iamcr_policy::parse(&text)
            .map_err(|d| format!("the printed policy does not parse: {d:?}\n{text}"))
    };
    let levels = |ls: &Option<Vec<Vec<Policy>>>| -> Result<Option<Vec<Vec<Policy>>>, String> {
        ls.as_ref()
            .map(|ls| {
                ls.iter()
                    .map(|l| l.iter().map(round).collect::<Result<Vec<_>, _>>())
                    .collect()
            })
            .transpose()
    };
    let p = &case.policies;
    let set = PolicySet {
        identity: p.identity.iter().map(round).collect::<Result<_, _>>()?,
        boundary: p.boundary.as_ref().map(round).transpose()?,
        session: p.session.iter().map(round).collect::<Result<_, _>>()?,
        scp: levels(&p.scp)?,
        rcp: levels(&p.rcp)?,
        resource: p.resource.as_ref().map(round).transpose()?,
    };
    same_decision(
        e,
        &decide(&set, &case.request)?,
        "policies printed and parsed",
    )
}

fn sid_renaming(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let set = map_policies(&case.policies, |p| {
        let mut p = p.clone();
        for (i, st) in p.statements.iter_mut().enumerate() {
            if st.value.sid.is_some() {
                st.value.sid = Some(Spanned::synthetic(format!("Renamed{i}")));
            }
        }
        p
    });
    same_decision(e, &decide(&set, &case.request)?, "Sids renamed")
}

fn scp_allow_all(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let mut set = case.policies.clone();
    let level = vec![iamcr_gen::allow_all(PolicyKind::Scp)];
    set.scp.get_or_insert_with(Vec::new).push(level);
    same_decision(
        e,
        &decide(&set, &case.request)?,
        "an SCP level of FullAWSAccess",
    )
}

fn rcp_full_access(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let mut set = case.policies.clone();
    let level = vec![iamcr_gen::allow_all(PolicyKind::Rcp)];
    set.rcp.get_or_insert_with(Vec::new).push(level);
    same_decision(
        e,
        &decide(&set, &case.request)?,
        "an RCP level of RCPFullAWSAccess",
    )
}

fn unrelated_context(case: &GenCase, e: &Evaluation) -> Result<(), String> {
    let req = with_request(
        case,
        &case.request.action,
        Some(("iamcr:UnrelatedKey", "unrelated")),
    );
    same_decision(
        e,
        &decide(&case.policies, &req)?,
        "an unrelated context key",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laws_hold_on_a_sample_of_every_preset() {
        for preset in iamcr_gen::Preset::ALL {
            let generator = iamcr_gen::Generator::preset(preset).unwrap();
            for case in iamcr_gen::SeededCases::new(generator, 7).take(150) {
                let Ok(e) = case.evaluate() else { continue };
                for law in laws() {
                    (law.check)(&case, &e).unwrap_or_else(|why| {
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
        assert!(deterministic(&case, &right).is_ok());
        assert!(deterministic(&case, &wrong).is_err());
        assert!(statement_order(&case, &wrong).is_err());
        assert!(scp_allow_all(&case, &wrong).is_err());
    }

    #[test]
    fn a_broken_action_case_law_names_the_action_it_tried() {
        let case = GenCase::fallback();
        let right = case.evaluate().unwrap();
        let wrong = Evaluation {
            decision: Decision::ExplicitDeny,
            ..right.clone()
        };
        let why = action_case(&case, &wrong).unwrap_err();
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
