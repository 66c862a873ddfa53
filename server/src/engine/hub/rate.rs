//! A token bucket: the per-connection signal rate limit. Each connection
//! task owns its bucket, so checking it takes no lock.

use tokio::time::Instant;

/// Signals a connection may send per second, sustained.
pub const SIGNALS_PER_SECOND: u32 = 30;
/// Signals a connection may send in a burst.
pub const SIGNAL_BURST: u32 = 60;

/// Allows `rate` events per second with bursts of up to `burst`.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: u32, burst: u32) -> Self {
        TokenBucket {
            rate: f64::from(rate),
            burst: f64::from(burst.max(1)),
            tokens: f64::from(burst.max(1)),
            refilled: Instant::now(),
        }
    }

    /// Takes one token now; `false` when the bucket is empty.
    pub fn take(&mut self) -> bool {
        self.take_at(Instant::now())
    }

    fn take_at(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.refilled);
        self.refilled = now;
        self.tokens = (self.tokens + elapsed.as_secs_f64() * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_is_allowed_then_refused_until_refilled() {
        let mut bucket = TokenBucket::new(10, 3);
        let start = bucket.refilled;
        assert!((0..3).all(|_| bucket.take_at(start)));
        assert!(!bucket.take_at(start), "the burst is spent");
        assert!(
            bucket.take_at(start + Duration::from_millis(100)),
            "one token refilled"
        );
        assert!(!bucket.take_at(start + Duration::from_millis(100)));
    }

    #[test]
    fn the_bucket_never_holds_more_than_the_burst() {
        let mut bucket = TokenBucket::new(10, 2);
        let later = bucket.refilled + Duration::from_secs(100);
        assert!(bucket.take_at(later) && bucket.take_at(later));
        assert!(!bucket.take_at(later));
    }
}
