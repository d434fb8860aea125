//! The one law registry (`iamcr::laws`), which the offline campaign checks on every generated
//! case, checked here on proptest's cases with a drawn variant: a broken law names itself
//! and proptest shrinks the case. The laws are not written twice.

use crate::support::*;
use iamcr::laws::{Subject, laws};
use proptest::prelude::*;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_law_of_the_registry_holds(case in any_case(), variant in any::<u64>()) {
        let authorizer = iamcr_eval::Authorizer::new(&case.0.policies)
            .unwrap_or_else(|e| panic!("{e}\n{}", case_text(&case.0, "uncompilable")));
        let evaluation = authorizer.evaluate(&case.0.request);
        let subject = Subject::new(&case.0, &authorizer, &evaluation, variant);
        for law in laws() {
            let outcome = (law.check)(&subject);
            prop_assert!(outcome.is_ok(), "{} (variant {variant}) broke: {}", law.name, outcome.err().unwrap_or_default());
        }
    }
}
