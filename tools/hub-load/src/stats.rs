//! Delay statistics: nearest-rank percentiles over every receipt of a run
//! (a few hundred thousand samples at most, so sorting is enough).

use std::time::Duration;

/// p50 / p99 / max of a set of delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many delays.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Largest.
    pub max: Duration,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none.
    pub fn of(mut samples: Vec<Duration>) -> Option<Summary> {
        samples.sort_unstable();
        let max = *samples.last()?;
        Some(Summary {
            count: samples.len(),
            p50: percentile(&samples, 50),
            p99: percentile(&samples, 99),
            max,
        })
    }
}

/// The nearest-rank `pct`-th percentile of non-empty, sorted `sorted`.
fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    let rank = (sorted.len() * pct).div_ceil(100).max(1);
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let summary = Summary::of(ms((1..=100).rev())).expect("samples");
        assert_eq!(summary.count, 100);
        assert_eq!(summary.p50, Duration::from_millis(50));
        assert_eq!(summary.p99, Duration::from_millis(99));
        assert_eq!(summary.max, Duration::from_millis(100));
        let summary = Summary::of(ms([5, 1, 9])).expect("samples");
        assert_eq!(
            (summary.p50, summary.p99, summary.max),
            (
                Duration::from_millis(5),
                Duration::from_millis(9),
                Duration::from_millis(9)
            )
        );
    }

    #[test]
    fn no_samples_no_summary() {
        assert_eq!(Summary::of(Vec::new()), None);
        let one = Summary::of(ms([3])).expect("one sample");
        assert_eq!((one.p50, one.p99), (one.max, one.max));
    }
}
