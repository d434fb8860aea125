//! Pacing calls: a token bucket caps the call rate, and exponential back-off with full
//! jitter spaces retries after throttling or server errors ("Exponential Backoff And
//! Jitter", AWS Architecture Blog; the SDKs' standard retry mode). Time goes through a
//! [`Clock`] so that tests run without sleeping.

use std::time::{Duration, Instant};

/// Time, as the runner sees it.
pub trait Clock {
    /// Time since some fixed start.
    fn now(&self) -> Duration;
    /// Wait.
    fn sleep(&mut self, d: Duration);
}

/// The real clock.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    start: Instant,
}

impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock {
            start: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep(&mut self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// A clock that only moves when slept on; records the total time slept.
#[derive(Debug, Clone, Copy, Default)]
pub struct VirtualClock {
    /// The current virtual time.
    pub now: Duration,
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        self.now
    }

    fn sleep(&mut self, d: Duration) {
        self.now += d;
    }
}

/// A token bucket: at most `rate` calls per second on average, bursts of up to `burst`.
#[derive(Debug, Clone, Copy)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Option<Duration>,
}

impl TokenBucket {
    /// A bucket for `rate` calls per second (a non-positive or non-finite rate means no
    /// limit), starting full with one call's worth of burst.
    pub fn new(rate: f64) -> TokenBucket {
        TokenBucket {
            rate,
            burst: 1.0,
            tokens: 1.0,
            last: None,
        }
    }

    /// Whether the bucket limits anything.
    pub fn limited(&self) -> bool {
        self.rate.is_finite() && self.rate > 0.0
    }

    /// Take one token, sleeping on `clock` until one is there.
    pub fn acquire(&mut self, clock: &mut dyn Clock) {
        if !self.limited() {
            return;
        }
        let now = clock.now();
        if let Some(last) = self.last {
            let elapsed = now.saturating_sub(last).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        }
        self.last = Some(now);
        if self.tokens < 1.0 {
            let wait = Duration::from_secs_f64((1.0 - self.tokens) / self.rate);
            clock.sleep(wait);
            self.last = Some(clock.now());
            self.tokens = 1.0;
        }
        self.tokens -= 1.0;
    }
}

/// A small deterministic random source (SplitMix64): jitter needs no cryptography, and a
/// seed makes tests repeatable.
#[derive(Debug, Clone, Copy)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// A source with a fixed seed.
    pub fn seeded(seed: u64) -> Jitter {
        Jitter { state: seed }
    }

    /// A source seeded from the clock.
    pub fn from_time() -> Jitter {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15);
        Jitter::seeded(seed)
    }

    /// A uniform number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Exponential back-off with full jitter: before retry `n` (0-based), wait a uniform time
/// in `[0, min(cap, base · 2^n))`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The first ceiling.
    pub base: Duration,
    /// The largest ceiling.
    pub cap: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base: Duration::from_millis(250),
            cap: Duration::from_secs(20),
            max_attempts: 8,
        }
    }
}

impl Backoff {
    /// The ceiling before retry `n`.
    pub fn ceiling(&self, n: u32) -> Duration {
        let factor = 2u32.saturating_pow(n.min(30));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The wait before retry `n`.
    pub fn delay(&self, n: u32, jitter: &mut Jitter) -> Duration {
        self.ceiling(n).mul_f64(jitter.next_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_caps_the_rate() {
        let mut clock = VirtualClock::default();
        let mut bucket = TokenBucket::new(4.0);
        for _ in 0..9 {
            bucket.acquire(&mut clock);
        }
        // The first call is free (a full bucket); eight more at 4 per second take 2 s.
        assert!(
            (clock.now.as_secs_f64() - 2.0).abs() < 1e-9,
            "{:?}",
            clock.now
        );
        let mut unlimited = TokenBucket::new(0.0);
        unlimited.acquire(&mut clock);
        assert!(!unlimited.limited());
    }

    #[test]
    fn backoff_is_exponential_capped_and_jittered() {
        let b = Backoff::default();
        assert_eq!(b.ceiling(0), Duration::from_millis(250));
        assert_eq!(b.ceiling(3), Duration::from_secs(2));
        assert_eq!(b.ceiling(20), Duration::from_secs(20));
        let mut j = Jitter::seeded(7);
        let delays: Vec<Duration> = (0..50).map(|_| b.delay(4, &mut j)).collect();
        assert!(delays.iter().all(|d| *d < b.ceiling(4)));
        // Full jitter spreads over the whole range, not around the ceiling.
        assert!(delays.iter().any(|d| *d < b.ceiling(4) / 4));
        assert!(delays.iter().any(|d| *d > b.ceiling(4) * 3 / 4));
    }
}
