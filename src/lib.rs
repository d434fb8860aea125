//! The conformance harness: the case format, loading case files, running cases through the
//! model, checking the model against answers written in cases (`written`), and reporting.

pub mod campaign;
/// The case format lives in the vocabulary crate `iamcr-case`; `iamcr::case` names it too.
pub use iamcr_case as case;
pub mod eval_case;
pub mod laws;
pub mod live_campaign;
pub mod load;
pub mod oracle_case;
#[cfg(test)]
mod placed_errors;
pub mod run;
pub mod shrink;
pub mod written;

pub use case::Case;
pub use load::{LoadError, LoadedCase, load_all};
pub use run::{CaseResult, Status, Summary, run_all};
