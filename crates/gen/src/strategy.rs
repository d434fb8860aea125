//! proptest strategies over the same generator (feature `proptest`).
//!
//! Each strategy draws a byte string and maps it through the `Unstructured` generator, so
//! proptest shrinks the bytes, and the case shrinks with them: every generator choice reads
//! "no data" or a zero byte as the plain option (see `util`). The byte strategy is our own
//! rather than `vec(any::<u8>(), …)` for two reasons: it shrinks by *truncating* first
//! (removing the tail turns the last choices plain and leaves the earlier ones as they
//! were, where removing a leading byte shifts every later choice), then lowers each byte
//! towards zero; and drawing a string with one `fill_bytes` call is several times cheaper
//! than a value tree per byte, which matters at 1,000 cases per property in debug builds.
//! `docs/generators.md` compares this with separate proptest strategies.

use crate::{GenCase, Generator};
use arbitrary::Unstructured;
use iamcr_eval::{PolicySet, Request};
use iamcr_policy::{Policy, PolicyKind};
use proptest::prelude::{Rng, Strategy};
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::TestRunner;

/// Most bytes one case draws: more than the largest cases of the presets use (a case that
/// needs more gets plain choices for the rest).
pub const MAX_BYTES: usize = 1024;

/// Byte strings of `0..=max` bytes that shrink by truncation, then byte by byte.
#[derive(Debug, Clone, Copy)]
pub struct Bytes {
    max: usize,
}

/// Byte strings of `0..=MAX_BYTES` bytes.
pub fn bytes() -> Bytes {
    Bytes { max: MAX_BYTES }
}

/// Byte strings of `0..=max` bytes.
pub fn bytes_up_to(max: usize) -> Bytes {
    Bytes { max }
}

impl Strategy for Bytes {
    type Tree = BytesTree;
    type Value = Vec<u8>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        let len = (rng.next_u64() % (self.max as u64 + 1)) as usize;
        let mut bytes = vec![0; len];
        rng.fill_bytes(&mut bytes);
        Ok(BytesTree {
            search: Search::new(len),
            phase: Phase::Length,
            bytes,
        })
    }
}

/// Binary search from a failing value towards zero, as proptest's integer trees do: `hi` is
/// the smallest value known to fail, `lo` the smallest not yet known to pass.
#[derive(Debug, Clone, Copy)]
struct Search {
    lo: usize,
    curr: usize,
    hi: usize,
}

impl Search {
    fn new(start: usize) -> Search {
        Search {
            lo: 0,
            curr: start,
            hi: start,
        }
    }

    fn simplify(&mut self) -> bool {
        if self.hi <= self.lo {
            return false;
        }
        self.hi = self.curr;
        self.reposition()
    }

    fn complicate(&mut self) -> bool {
        if self.hi <= self.lo {
            return false;
        }
        self.lo = self.curr + 1;
        self.reposition()
    }

    fn reposition(&mut self) -> bool {
        let mid = self.lo + (self.hi - self.lo) / 2;
        if mid == self.curr {
            false
        } else {
            self.curr = mid;
            true
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Searching the length.
    Length,
    /// Lowering byte `i`.
    Byte(usize),
    /// Nothing left to try.
    Done,
}

/// The shrinking state of one byte string.
#[derive(Debug, Clone)]
pub struct BytesTree {
    bytes: Vec<u8>,
    phase: Phase,
    search: Search,
}

impl BytesTree {
    /// Fix the current phase at its last failing value and start the next one.
    fn advance(&mut self) -> bool {
        match self.phase {
            Phase::Length => {
                self.bytes.truncate(self.search.hi);
                self.start_byte(0)
            }
            Phase::Byte(i) => {
                if let Some(b) = self.bytes.get_mut(i) {
                    *b = u8::try_from(self.search.hi).unwrap_or(u8::MAX);
                }
                self.start_byte(i + 1)
            }
            Phase::Done => false,
        }
    }

    fn start_byte(&mut self, from: usize) -> bool {
        match (from..self.bytes.len()).find(|&i| self.bytes[i] != 0) {
            Some(i) => {
                self.phase = Phase::Byte(i);
                self.search = Search::new(usize::from(self.bytes[i]));
                true
            }
            None => {
                self.phase = Phase::Done;
                false
            }
        }
    }
}

impl ValueTree for BytesTree {
    type Value = Vec<u8>;

    fn current(&self) -> Vec<u8> {
        match self.phase {
            Phase::Length => self.bytes[..self.search.curr.min(self.bytes.len())].to_vec(),
            Phase::Byte(i) => {
                let mut b = self.bytes.clone();
                if let Some(x) = b.get_mut(i) {
                    *x = u8::try_from(self.search.curr).unwrap_or(u8::MAX);
                }
                b
            }
            Phase::Done => self.bytes.clone(),
        }
    }

    fn simplify(&mut self) -> bool {
        loop {
            if matches!(self.phase, Phase::Done) {
                return false;
            }
            if self.search.simplify() {
                return true;
            }
            if !self.advance() {
                return false;
            }
        }
    }

    fn complicate(&mut self) -> bool {
        !matches!(self.phase, Phase::Done) && self.search.complicate()
    }
}

/// Whole cases (request and the policies aimed at it).
pub fn cases(generator: Generator) -> impl Strategy<Value = GenCase> {
    bytes().prop_map(move |b| generator.case_from_bytes(&b))
}

/// Requests.
pub fn requests(generator: Generator) -> impl Strategy<Value = Request> {
    bytes().prop_map(move |b| generator.case_from_bytes(&b).request)
}

/// Policy sets.
pub fn policy_sets(generator: Generator) -> impl Strategy<Value = PolicySet> {
    bytes().prop_map(move |b| generator.case_from_bytes(&b).policies)
}

/// Policies of one kind.
pub fn policies(generator: Generator, kind: PolicyKind) -> impl Strategy<Value = Policy> {
    bytes().prop_map(move |b| {
        generator
            .policy(&mut Unstructured::new(&b), kind)
            .unwrap_or_else(|_| crate::allow_all(kind))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestError};

    /// A property that fails when the bytes sum to 300 or more shrinks to the shortest
    /// failing prefix with its bytes lowered until the sum is exactly 300.
    #[test]
    fn shrinks_to_a_small_counterexample() {
        let mut runner = TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&bytes(), |b| {
            let sum: u32 = b.iter().map(|x| u32::from(*x)).sum();
            proptest::prop_assert!(sum < 300);
            Ok(())
        });
        match result {
            Err(TestError::Fail(_, b)) => {
                let sum = |b: &[u8]| -> u32 { b.iter().map(|x| u32::from(*x)).sum() };
                // As short as can fail, and each byte as low as can fail.
                assert_eq!(sum(&b), 300, "{b:?}");
                assert!(sum(&b[..b.len() - 1]) < 300, "{b:?}");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
