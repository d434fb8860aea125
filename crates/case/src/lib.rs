//! The project's vocabulary, at the bottom of the crate graph: every other crate (`policy`,
//! `eval`, `gen`, `oracle`, the harness, xtask) names these concepts with these types, so
//! nothing is converted by hand between parallel copies.
//!
//! - [`format`]: conformance case format v1 as serde types (`docs/case-format.md`);
//! - [`Decision`]: the decision of a request (the model's, a case's, the simulator's);
//! - [`PolicyKind`]: which API receives a policy, so which rules apply;
//! - [`ContextType`]: the simulator's context key types;
//! - [`PolicySlots`]: the six policy slots of a request, generic over what a policy is
//!   (a case document, a text, a parsed policy), with [`PolicySlot`] naming one policy;
//! - [`arn`]: [`Arn`] (the one ARN parser, partition kept) and [`AccountId`], the
//!   partitions AWS has and the IAM resource types IAM's validator accepts.

pub mod arn;
pub mod decision;
pub mod format;
pub mod kind;
pub mod slots;

pub use arn::{AccountId, Arn, ArnError};
pub use decision::Decision;
pub use format::*;
pub use kind::PolicyKind;
pub use slots::{PolicySlot, PolicySlots};
