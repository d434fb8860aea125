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

    /// Cases of `generator` for `seed` from case `index` on: the same cases as skipping
    /// `index` cases of [`SeededCases::new`], without generating them (every case takes
    /// [`CASE_BYTES`] of the stream, so case `index` starts at a known word of it). Workers
    /// and shards start anywhere in one seeded stream this way.
    pub fn from_index(generator: Generator, seed: u64, index: u64) -> SeededCases {
        let mut cases = SeededCases::new(generator, seed);
        let words_per_case = (CASE_BYTES / 4) as u128;
        cases.rng.set_word_pos(u128::from(index) * words_per_case);
        cases
    }
}

impl Iterator for SeededCases {
    type Item = GenCase;

    fn next(&mut self) -> Option<GenCase> {
        self.rng.fill_bytes(&mut self.buffer);
        Some(self.generator.case_from_bytes(&self.buffer))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test stops at its first broken fixture"
    )]
    use super::*;
    use crate::Preset;

    #[test]
    fn a_stream_started_at_an_index_continues_the_whole_stream() {
        let generator = Generator::preset(Preset::CleanRooms).unwrap();
        let whole: Vec<String> = SeededCases::new(generator.clone(), 11)
            .take(7)
            .map(|c| format!("{c:?}"))
            .collect();
        for start in [0usize, 1, 4, 6] {
            let tail: Vec<String> = SeededCases::from_index(generator.clone(), 11, start as u64)
                .take(7 - start)
                .map(|c| format!("{c:?}"))
                .collect();
            assert_eq!(tail, whole[start..], "from case {start}");
        }
        // And it is not the same stream whatever the index.
        assert_ne!(whole[0], whole[1]);
    }
}
