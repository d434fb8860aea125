//! Reproducible streams of cases: a seed drives ChaCha8, whose bytes feed the generator.
//!
//! ChaCha8's output for a seed is fixed by the algorithm, and every case takes the same
//! number of bytes ([`CASE_BYTES`]) whatever it uses, so case `i` of seed `s` never depends on
//! how earlier cases were generated: adding a field to the generator changes the cases, but
//! two runs of one build write byte-identical files.

use crate::{GenCase, Generator};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// Bytes drawn per case (more than any case uses).
pub const CASE_BYTES: usize = 4096;

/// An endless iterator of cases for one seed.
#[derive(Debug, Clone)]
pub struct SeededCases {
    generator: Generator,
    rng: ChaCha8Rng,
    buffer: Vec<u8>,
}

impl SeededCases {
    /// Cases of `generator` for `seed`.
    pub fn new(generator: Generator, seed: u64) -> SeededCases {
        SeededCases {
            generator,
            rng: ChaCha8Rng::seed_from_u64(seed),
            buffer: vec![0; CASE_BYTES],
        }
    }
}

impl Iterator for SeededCases {
    type Item = GenCase;

    fn next(&mut self) -> Option<GenCase> {
        self.rng.fill_bytes(&mut self.buffer);
        Some(self.generator.case_from_bytes(&self.buffer))
    }
}
