//! What does a policy change allow? Policy comparison and access checks over the finite
//! Clean Rooms vocabulary, with concrete witnesses.
//!
//! [`compare`] decides, for every class of requests the two policies can tell apart, whether
//! NEW allows it and OLD does not, and returns one witness request per action and resource
//! type. [`check::no_new_access`] and [`check::access_not_granted`] give Access Analyzer's
//! answer shape (PASS/FAIL with reasons naming statements). The method, and exactly where it
//! is complete, is in `docs/compare.md`.
//!
//! ```
//! use iamcr_compare::{compare, Options, Verdict};
//! let old = iamcr_policy::parse(r#"{"Version":"2012-10-17","Statement":{
//!     "Effect":"Allow","Action":"cleanrooms:Get*","Resource":"*"}}"#).unwrap();
//! let new = iamcr_policy::parse(r#"{"Version":"2012-10-17","Statement":{
//!     "Effect":"Allow","Action":"cleanrooms:*","Resource":"*"}}"#).unwrap();
//! let c = compare(&old, &new, &Options::default())?;
//! assert_eq!(c.verdict(), Verdict::NewAccess);
//! assert!(c.differences.iter().any(|d| d.action == "cleanrooms:DeleteCollaboration"));
//! assert!(c.differences.iter().all(|d| !d.action.starts_with("cleanrooms:Get")));
//! # Ok::<(), iamcr_compare::CompareError>(())
//! ```

pub mod check;
mod context;
mod engine;
pub mod glob;
mod vocab;
pub mod witness;

pub use engine::{
    CompareError, Comparison, Difference, Gap, Kind, Options, StatementRef, Verdict, compare,
};
