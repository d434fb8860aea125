//! Laws about matching actions, resources and conditions.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "Helpers outside #[test] functions stop the property with a message when an input the generators promise is missing: a test failure, which unwrap/expect/panic express."
)]

use crate::support::*;
use iamcr_eval::condition::Condition;
use iamcr_eval::{Decision, PolicySet, Principal, Request};
use iamcr_gen::{Preset, single_statement};
use iamcr_policy::{
    ActionBlock, BaseOperator, ConditionKey, ConditionOperator, ConditionValue, ConditionValues,
    Effect, Form, Operator, OperatorName, Policy, ResourceBlock, SetQualifier, Spanned, Statement,
    Values,
};
use proptest::prelude::*;
use proptest::sample::Index;

/// Every catalogue action as (lower-cased, as written), computed once.
fn catalogue_actions() -> &'static [(String, String)] {
    static ALL: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        iamcr_gen::Vocab::get()
            .expect("vocabulary")
            .all
            .iter()
            .map(|a| (a.name.to_ascii_lowercase(), a.name.clone()))
            .collect()
    })
}

/// Flip the ASCII case of the letters `mask` selects (bit i of the mask, cycling).
fn recase(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            } else {
                c
            }
        })
        .collect()
}

/// Replace each statement by one statement per value of the list `pick` selects.
fn split_statements(
    set: &PolicySet,
    pick: impl Fn(&mut Statement) -> Option<&mut Values>,
) -> PolicySet {
    let mut out = set.clone();
    for p in out.policies_mut() {
        let mut next = Vec::new();
        for s in &p.statements {
            let mut probe = s.value.clone();
            let items = pick(&mut probe)
                .map(|v| v.items.clone())
                .unwrap_or_default();
            if items.len() < 2 {
                next.push(s.clone());
                continue;
            }
            for item in items {
                let mut one = s.value.clone();
                if let Some(v) = pick(&mut one) {
                    v.items = vec![item.clone()];
                }
                next.push(Spanned::synthetic(one));
            }
        }
        p.statements = next;
        p.statement_form = Some(Form::List);
    }
    out
}

fn positive_split_ok(op: &Operator) -> bool {
    !op.base.is_negated() && op.qualifier != Some(SetQualifier::ForAllValues)
}

/// The negated partner of an operator that has one.
fn negation(base: BaseOperator) -> Option<BaseOperator> {
    use BaseOperator::*;
    Some(match base {
        StringEquals => StringNotEquals,
        StringEqualsIgnoreCase => StringNotEqualsIgnoreCase,
        StringLike => StringNotLike,
        NumericEquals => NumericNotEquals,
        DateEquals => DateNotEquals,
        IpAddress => NotIpAddress,
        ArnEquals => ArnNotEquals,
        ArnLike => ArnNotLike,
        _ => return None,
    })
}

/// Every `(operator, key, values)` of the conditions of a set, with the policy's variables
/// setting.
fn conditions(set: &PolicySet) -> Vec<(Operator, String, Vec<ConditionValue>, bool)> {
    let mut out = Vec::new();
    for p in set.policies() {
        for s in &p.statements {
            for op in s.value.condition.iter().flat_map(|c| &c.value.operators) {
                let OperatorName::Known(o) = op.operator.value else {
                    continue;
                };
                for k in &op.keys {
                    let values = k
                        .values
                        .value
                        .items
                        .iter()
                        .map(|v| v.value.clone())
                        .collect();
                    out.push((o, k.key.value.clone(), values, p.variables_enabled()));
                }
            }
        }
    }
    out
}

fn key_entry(key: &str, values: Vec<ConditionValue>) -> ConditionKey {
    ConditionKey {
        key: Spanned::synthetic(key.to_string()),
        values: Spanned::synthetic(ConditionValues {
            items: values.into_iter().map(Spanned::synthetic).collect(),
            form: Form::List,
        }),
    }
}

/// Add `key: values` under `op` in a statement; `false` when the key is already there.
fn add_condition(s: &mut Statement, op: Operator, key: &str, values: Vec<ConditionValue>) -> bool {
    let block = &mut s
        .condition
        .get_or_insert_with(|| Spanned::synthetic(Default::default()))
        .value;
    let name = OperatorName::Known(op);
    match block
        .operators
        .iter_mut()
        .find(|o| o.operator.value == name)
    {
        Some(o) if o.keys.iter().any(|k| k.key.value.eq_ignore_ascii_case(key)) => false,
        Some(o) => {
            o.keys.push(key_entry(key, values));
            true
        }
        None => {
            block.operators.push(ConditionOperator {
                operator: Spanned::synthetic(name),
                keys: vec![key_entry(key, values)],
            });
            true
        }
    }
}

/// Give every operator that can take it `IfExists` (where that does not collide with an
/// operator already written with it).
fn with_if_exists(set: &PolicySet) -> PolicySet {
    let mut out = set.clone();
    each_statement(&mut out, |s| {
        let Some(c) = &mut s.condition else { return };
        let names: Vec<OperatorName> = c
            .value
            .operators
            .iter()
            .map(|o| o.operator.value.clone())
            .collect();
        for o in &mut c.value.operators {
            if let OperatorName::Known(op) = o.operator.value
                && op.base != BaseOperator::Null
                && !op.if_exists
            {
                let twin = OperatorName::Known(Operator {
                    if_exists: true,
                    ..op
                });
                if !names.contains(&twin) {
                    o.operator.value = twin;
                }
            }
        }
    });
    out
}

/// `S` with condition `OpIfExists K V` ≡ (`S` with `Null K true`) OR (`S` with `Op K V`):
/// rewrite the first such key of each statement into two statements.
fn split_if_exists(set: &PolicySet) -> PolicySet {
    let mut out = set.clone();
    for p in out.policies_mut() {
        let mut next = Vec::new();
        for st in &p.statements {
            match if_exists_split(&st.value) {
                Some((a, b)) => {
                    next.push(Spanned::synthetic(a));
                    next.push(Spanned::synthetic(b));
                }
                None => next.push(st.clone()),
            }
        }
        p.statements = next;
        p.statement_form = Some(Form::List);
    }
    out
}

fn if_exists_split(s: &Statement) -> Option<(Statement, Statement)> {
    let c = s.condition.as_ref()?;
    let (gi, op) =
        c.value
            .operators
            .iter()
            .enumerate()
            .find_map(|(i, o)| match o.operator.value {
                // `NullIfExists` is not an operator AWS has ("any condition operator name except
                // the Null condition"); the anything-goes preset writes it, and the law is not about it.
                // `ForAnyValue:…IfExists` is false on an absent key, as `ForAnyValue` is (the
                // law below, `for_all_values_on_an_absent_or_empty_key_…`), not "Null or op".
                OperatorName::Known(op)
                    if op.if_exists
                        && op.base != BaseOperator::Null
                        && op.qualifier != Some(SetQualifier::ForAnyValue)
                        && !o.keys.is_empty() =>
                {
                    Some((i, op))
                }
                _ => None,
            })?;
    let key = c.value.operators[gi].keys[0].clone();
    let mut rest = s.clone();
    let block = &mut rest.condition.as_mut()?.value;
    block.operators[gi].keys.remove(0);
    if block.operators[gi].keys.is_empty() {
        block.operators.remove(gi);
    }
    let values: Vec<ConditionValue> = key
        .values
        .value
        .items
        .iter()
        .map(|v| v.value.clone())
        .collect();
    let mut null = rest.clone();
    let mut plain = rest;
    let ok = add_condition(
        &mut null,
        Operator::plain(BaseOperator::Null),
        &key.key.value,
        vec![ConditionValue::Bool(true)],
    ) && add_condition(
        &mut plain,
        Operator {
            if_exists: false,
            ..op
        },
        &key.key.value,
        values,
    );
    ok.then_some((null, plain))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn action_case_never_matters(case in any_case(), mask in any::<u64>()) {
        let req = &case.0.request;
        let mut set = case.0.policies.clone();
        each_statement(&mut set, |s| {
            if let Some(a) = &mut s.action {
                for v in &mut a.value.values.items {
                    v.value = recase(&v.value, mask.rotate_left(7));
                }
            }
        });
        let recased = Request::with_context(req.principal.clone(), &recase(&req.action, mask), &req.resource, req.resource_account.clone(), req.context.clone());
        let after = GenCaseBuilder::from(&case.0).policies(set).request(recased).build();
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "recased-actions"));
    }

    #[test]
    fn resource_case_matters(case in cases(Preset::WellFormed), at in any::<Index>()) {
        let req = &case.0.request;
        let owned = owned_resource(req);
        prop_assume!(owned.is_some(), "the resource has no 12-digit owner or no resource part");
        let Some((owner, cut)) = owned else { unreachable!("assumed above") };
        let letters: Vec<usize> = req.resource[cut..].char_indices().filter(|(_, c)| c.is_ascii_alphabetic()).map(|(i, _)| cut + i).collect();
        prop_assume!(!letters.is_empty());
        let flip_at = letters[at.index(letters.len())];
        let flipped: String = req.resource.char_indices().map(|(i, c)| if i == flip_at {
            if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }
        } else { c }).collect();
        // A user of the owning account, allowed every action on exactly one resource.
        let user = Principal::from_arn(&format!("arn:aws:iam::{owner}:user/alice")).expect("a user ARN");
        let request = Request::new(user, "cleanrooms:GetCollaboration", &req.resource);
        let allow = |resource: &str| -> Policy {
            single_statement(Statement {
                effect: Some(Spanned::synthetic(Effect::Allow)),
                action: Some(Spanned::synthetic(ActionBlock { negated: false, values: Values::single("*") })),
                resource: Some(Spanned::synthetic(ResourceBlock { negated: false, values: Values::single(resource) })),
                ..Statement::default()
            })
        };
        let exact = GenCaseBuilder::from(&case.0).request(request.clone()).policies(PolicySet { identity: vec![allow(&req.resource)], ..PolicySet::default() }).build();
        let other = GenCaseBuilder::from(&case.0).request(request).policies(PolicySet { identity: vec![allow(&flipped)], ..PolicySet::default() }).build();
        prop_assert_eq!(eval(&exact).decision, Decision::Allowed, "{}", case_text(&exact, "resource-exact"));
        prop_assert_eq!(eval(&other).decision, Decision::ImplicitDeny, "{}", case_text(&other, "resource-recased"));
    }

    #[test]
    fn cleanrooms_star_equals_the_list_of_every_cleanrooms_action(case in any_case()) {
        let all = &iamcr_gen::Vocab::get().expect("vocabulary").cleanrooms_names;
        let mut set = case.0.policies.clone();
        each_statement(&mut set, |s| {
            if let Some(a) = &mut s.action {
                let items = std::mem::take(&mut a.value.values.items);
                for v in items {
                    if v.value.eq_ignore_ascii_case("cleanrooms:*") {
                        a.value.values.items.extend(all.iter().map(|n| Spanned::synthetic(n.clone())));
                    } else {
                        a.value.values.items.push(v);
                    }
                }
                a.value.values.form = Form::List;
            }
        });
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "expanded"));
    }

    #[test]
    fn not_action_equals_every_other_catalogue_action(case in any_case()) {
        let all = catalogue_actions();
        let mut set = case.0.policies.clone();
        each_statement(&mut set, |s| {
            if let Some(a) = &mut s.action && a.value.negated {
                // Actions compare case-insensitively: match lower-cased text.
                let listed: Vec<String> = a.value.values.iter().map(str::to_ascii_lowercase).collect();
                let others = all.iter().filter(|(lower, _)| {
                    !listed.iter().any(|p| iamcr_policy::wildcard::matches(p, lower))
                });
                a.value = ActionBlock { negated: false, values: Values::list(others.map(|(_, n)| n.clone())) };
            }
        });
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "complemented"));
    }

    #[test]
    fn splitting_an_action_list_into_statements_is_neutral(case in any_case()) {
        let set = split_statements(&case.0.policies, |s| s.action.as_mut().filter(|a| !a.value.negated).map(|a| &mut a.value.values));
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "split-actions"));
    }

    #[test]
    fn splitting_a_resource_list_into_statements_is_neutral(case in any_case()) {
        let set = split_statements(&case.0.policies, |s| s.resource.as_mut().filter(|r| !r.value.negated).map(|r| &mut r.value.values));
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "split-resources"));
    }

    #[test]
    fn condition_values_or_equals_split_statements(case in any_case()) {
        // For one key per statement under a non-negated operator (not ForAllValues, which
        // is not a disjunction over its values).
        let mut set = case.0.policies.clone();
        for p in set.policies_mut() {
            let mut next = Vec::new();
            for st in &p.statements {
                let target = st.value.condition.as_ref().and_then(|c| {
                    c.value.operators.iter().enumerate().find_map(|(g, o)| match o.operator.value {
                        OperatorName::Known(op) if positive_split_ok(&op) => o.keys.iter().position(|k| k.values.value.items.len() > 1).map(|k| (g, k)),
                        _ => None,
                    })
                });
                let Some((g, k)) = target else { next.push(st.clone()); continue };
                let items = st.value.condition.as_ref().map(|c| c.value.operators[g].keys[k].values.value.items.clone()).unwrap_or_default();
                for item in items {
                    let mut one = st.value.clone();
                    if let Some(c) = &mut one.condition {
                        c.value.operators[g].keys[k].values.value.items = vec![item.clone()];
                    }
                    next.push(Spanned::synthetic(one));
                }
            }
            p.statements = next;
            p.statement_form = Some(Form::List);
        }
        let after = with_policies(&case.0, set);
        prop_assert_eq!(eval(&case.0).decision, eval(&after).decision, "{}", case_text(&after, "split-values"));
    }

    #[test]
    fn if_exists_equals_null_true_or_the_operator(case in any_case()) {
        let before = with_policies(&case.0, with_if_exists(&case.0.policies));
        let after = with_policies(&case.0, split_if_exists(&before.policies));
        prop_assert_eq!(eval(&before).decision, eval(&after).decision, "before:\n{}\nafter:\n{}", case_text(&before, "if-exists"), case_text(&after, "null-or-op"));
    }

    #[test]
    fn negated_operators_are_the_complement_on_present_single_values(case in any_case()) {
        let req = &case.0.request;
        for (op, key, values, vars) in conditions(&case.0.policies) {
            let Some(neg) = negation(op.base.positive()) else { continue };
            if op.qualifier.is_some() || op.if_exists {
                continue;
            }
            let present = req.lookup(&key.to_ascii_lowercase()).is_some_and(|e| e.values.len() == 1);
            if !present {
                continue;
            }
            let pos = Condition::new(Operator::plain(op.base.positive()), &key, &values, vars).evaluate(req);
            let not = Condition::new(Operator::plain(neg), &key, &values, vars).evaluate(req);
            prop_assert_ne!(pos.holds, not.holds, "{} / {} on {} with {:?}", op.base.positive().name(), neg.name(), key, values);
        }
    }

    #[test]
    fn for_all_values_on_an_absent_or_empty_key_holds_and_for_any_value_does_not(case in any_case(), empty in any::<bool>()) {
        let req = &case.0.request;
        for (op, key, values, vars) in conditions(&case.0.policies) {
            if op.base == BaseOperator::Null {
                continue;
            }
            let mut ctx = req.context.clone();
            if empty {
                ctx.insert(&key, iamcr_eval::ValueType::String, true, Vec::new());
            } else if req.lookup(&key.to_ascii_lowercase()).is_some() {
                continue;
            }
            let r = Request::with_context(req.principal.clone(), &req.action, &req.resource, req.resource_account.clone(), ctx);
            for (q, if_exists) in [(SetQualifier::ForAllValues, false), (SetQualifier::ForAnyValue, false), (SetQualifier::ForAllValues, true), (SetQualifier::ForAnyValue, true)] {
                let o = Operator { qualifier: Some(q), base: op.base, if_exists };
                let holds = Condition::new(o, &key, &values, vars).evaluate(&r).holds;
                prop_assert_eq!(holds, q == SetQualifier::ForAllValues, "{} {} on {}", o, key, if empty { "an empty list" } else { "an absent key" });
            }
        }
    }
}

/// Build a case from another with parts replaced.
struct GenCaseBuilder(iamcr_gen::GenCase);

impl GenCaseBuilder {
    fn from(c: &iamcr_gen::GenCase) -> GenCaseBuilder {
        GenCaseBuilder(c.clone())
    }
    fn policies(mut self, p: PolicySet) -> GenCaseBuilder {
        self.0.policies = p;
        self
    }
    fn request(mut self, r: Request) -> GenCaseBuilder {
        self.0.request = r;
        self
    }
    fn build(self) -> iamcr_gen::GenCase {
        self.0
    }
}
