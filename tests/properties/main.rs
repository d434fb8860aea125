//! Metamorphic and reference properties of the model, over generated cases
//! (`crates/gen`). Each test's name states its law; `docs/generators.md` lists them all.
//!
//! Every property runs 1,000 cases (`PROPTEST_CASES` overrides). A failure prints the
//! shrunk counterexample as an evaluation case in case format v1, with the model's answer as
//! its `expect`, ready to be corrected and dropped into `corpus/cases/`.

mod support;

mod decisions;
mod laws;
mod matching;
mod oracles;
mod structure;
mod variables;
