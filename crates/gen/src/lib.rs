//! Generators of IAM policies, policy sets and requests as AWS Clean Rooms uses them, written
//! once over [`arbitrary::Unstructured`] so that fuzz targets, proptest (feature `proptest`)
//! and `cargo xtask gen` all draw from the same code.
//!
//! ```
//! use iamcr_gen::{Generator, Preset};
//! let generator = Generator::preset(Preset::CleanRooms)?;
//! let case = generator.case_from_bytes(&[7; 512]);
//! let evaluation = case.evaluate()?;
//! println!("{} {} → {}", case.request.action, case.request.resource, evaluation.decision);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Generation is *directed*: a request is drawn first (principal, action, resource, context
//! from small shared pools across three accounts), then every policy element is aimed at it
//! with some probability — naming it exactly, with wildcards or variables that still cover
//! it, or as a near miss — so that decisions are balanced rather than almost always
//! `implicitDeny`. `docs/generators.md` describes the presets and every setting.

mod case_json;
pub mod condition_check;
mod coverage;
mod policy;
pub mod reference;
mod request;
mod seeded;
mod settings;
mod stmt;
#[cfg(any(feature = "proptest", test))]
pub mod strategy;
mod util;
pub mod validity;
mod values;
pub mod vocab;

pub use case_json::{case_json, eval_case, policies, policy_doc, request};
pub use coverage::{Coverage, TrueFalse, principal_kind};
pub use policy::{allow_all, is_iam_principal, resource_policy_kind, single_statement};
pub use seeded::{CASE_BYTES, SeededCases};
pub use settings::{ActionScope, Preset, Settings, Shape, Who};
pub use vocab::{Vocab, VocabError};

use arbitrary::Unstructured;
use iamcr_eval::{Authorizer, CompileError, Evaluation, Observer, PolicySet, Principal, Request};
use iamcr_policy::{Policy, PolicyKind};
use stmt::Aim;
use util::weighted;

/// A generator: settings plus the vocabulary built from the catalogue.
#[derive(Debug, Clone)]
pub struct Generator {
    settings: Settings,
    vocab: &'static Vocab,
}

/// One generated evaluation case: a request and the policies in force for it.
#[derive(Debug, Clone)]
pub struct GenCase {
    /// The scenario it models.
    pub shape: Shape,
    /// The policies.
    pub policies: PolicySet,
    /// The request.
    pub request: Request,
}

impl GenCase {
    /// The case used when generation fails (it never should): the root user of account A
    /// reading a collaboration with no policies at all.
    pub fn fallback() -> GenCase {
        GenCase {
            shape: Shape::Generic,
            policies: PolicySet::default(),
            request: Request::new(
                Principal::root(vocab::ACCOUNTS[0]),
                "cleanrooms:GetCollaboration",
                "arn:aws:cleanrooms:us-east-1:111122223333:collaboration/c7f3a1e2",
            ),
        }
    }

    /// Decide the case with the model.
    pub fn evaluate(&self) -> Result<Evaluation, CompileError> {
        Ok(Authorizer::new(&self.policies)?.evaluate(&self.request))
    }

    /// Decide the case, reporting to `observer` (e.g. a [`Coverage`]).
    pub fn evaluate_with<O: Observer>(&self, observer: &mut O) -> Result<Evaluation, CompileError> {
        Ok(Authorizer::new(&self.policies)?.evaluate_with(&self.request, observer))
    }
}

impl Generator {
    /// A generator with `settings`.
    pub fn new(settings: Settings) -> Result<Generator, VocabError> {
        Ok(Generator {
            settings,
            vocab: Vocab::get()?,
        })
    }

    /// A generator with a preset's settings.
    pub fn preset(preset: Preset) -> Result<Generator, VocabError> {
        Generator::new(preset.settings())
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &'static Vocab {
        self.vocab
    }

    /// Draw a scenario by the settings' weights.
    pub fn shape(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<Shape> {
        weighted(u, &self.settings.shapes)
    }

    /// Draw a request.
    pub fn request(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<Request> {
        let shape = self.shape(u)?;
        self.request_for_shape(u, shape)
    }

    /// Draw a policy of `kind` (aimed at a request drawn for the purpose and then dropped).
    pub fn policy(&self, u: &mut Unstructured<'_>, kind: PolicyKind) -> arbitrary::Result<Policy> {
        let shape = self.shape(u)?;
        let req = self.request_for_shape(u, shape)?;
        self.policy_aimed(u, kind, &Aim::new(&req, shape))
    }

    /// Draw a policy of `kind` aimed at `request`.
    pub fn policy_for(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        request: &Request,
    ) -> arbitrary::Result<Policy> {
        self.policy_aimed(u, kind, &Aim::new(request, Shape::Generic))
    }

    /// Draw a policy set (aimed at a request drawn for the purpose).
    pub fn policy_set(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<PolicySet> {
        Ok(self.case(u)?.policies)
    }

    /// Draw the policies in force for `request`.
    pub fn policy_set_for(
        &self,
        u: &mut Unstructured<'_>,
        request: &Request,
    ) -> arbitrary::Result<PolicySet> {
        self.policy_set_aimed(u, &Aim::new(request, Shape::Generic))
    }

    /// Draw a whole case: a request, then the policies aimed at it.
    pub fn case(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<GenCase> {
        let shape = self.shape(u)?;
        let request = self.request_for_shape(u, shape)?;
        let policies = self.policy_set_aimed(u, &Aim::new(&request, shape))?;
        Ok(GenCase {
            shape,
            policies,
            request,
        })
    }

    /// [`Generator::case`] from raw bytes, falling back to [`GenCase::fallback`] should
    /// generation fail (the generators only fail on an empty choice, which they never make).
    pub fn case_from_bytes(&self, bytes: &[u8]) -> GenCase {
        self.case(&mut Unstructured::new(bytes))
            .unwrap_or_else(|_| GenCase::fallback())
    }
}
