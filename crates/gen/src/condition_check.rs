//! The model's side of a [`reference::domain::Check`]: the same condition evaluated by
//! `iamcr-eval`. Kept out of [`crate::reference`] so that the reference never calls the model
//! it judges; the fuzz target `condition_vs_reference` and the property tests in
//! `tests/properties/oracles.rs` compare [`model_holds`] with [`Check::expected`].
//!
//! [`Check::expected`]: crate::reference::domain::Check::expected

use crate::reference::domain::Check;
use iamcr_eval::condition::Condition;
use iamcr_eval::{Context, Principal, Request, ValueType};
use iamcr_policy::Family;

/// The context key every check uses: a key no catalogue defines, so that only the check's
/// operator decides how values are read. The condition spells it in another case, because
/// key names compare case-insensitively.
const KEY: &str = "ext:Key";
const KEY_IN_POLICY: &str = "EXT:key";

/// The simulator's context-entry type for a family's request values.
pub fn value_type(family: Family) -> ValueType {
    match family {
        Family::Numeric => ValueType::Numeric,
        Family::Date => ValueType::Date,
        Family::Bool => ValueType::Boolean,
        Family::Binary => ValueType::Binary,
        Family::Ip => ValueType::Ip,
        Family::String | Family::Arn | Family::Null => ValueType::String,
    }
}

/// Whether the model says the check's condition holds.
pub fn model_holds(check: &Check) -> bool {
    let mut ctx = Context::new();
    if let Some(r) = &check.request {
        ctx.insert(
            KEY,
            value_type(check.family()),
            r.multivalued,
            r.values.clone(),
        );
    }
    let req = Request::with_context(Principal::Anonymous, "s3:GetObject", "*", None, ctx);
    Condition::new(check.operator, KEY_IN_POLICY, &check.policy_values, false)
        .evaluate(&req)
        .holds
}
