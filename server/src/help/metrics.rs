//! The figures derived from the history: the metrics page's window (the
//! current hour and the 23 before it) with mean and p90 wait, answers per
//! hour and outcomes, and a waiting customer's estimated wait — position ×
//! the mean interval between the last answers (at most
//! [`ESTIMATE_ANSWERS`] of the last hour; none without two of them).

use app::help::{HelpMetrics, HourCount};

use crate::store::help::HelpWindow;

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;

/// How many hours the metrics cover (the current one included).
pub const WINDOW_HOURS: i64 = 24;

/// How many recent answers the estimate averages over.
pub const ESTIMATE_ANSWERS: u32 = 20;

/// How far back the estimate looks.
pub const ESTIMATE_SPAN_MS: i64 = HOUR_MS;

/// The start of the metrics window at `now`: the start of the hour
/// [`WINDOW_HOURS`] − 1 hours before the current one.
pub fn window_start(now: i64) -> i64 {
    now.div_euclid(HOUR_MS) * HOUR_MS - (WINDOW_HOURS - 1) * HOUR_MS
}

/// The metrics from the window's raw figures.
pub fn metrics(window: &HelpWindow, waiting_now: u32, since: i64) -> HelpMetrics {
    let mut waits: Vec<f64> = window
        .waits_ms
        .iter()
        .map(|&ms| ms.max(0) as f64 / 1000.0)
        .collect();
    waits.sort_by(f64::total_cmp);
    let mean_wait_secs =
        (!waits.is_empty()).then(|| waits.iter().sum::<f64>() / waits.len() as f64);
    // Nearest rank: the smallest wait at or above 90 % of them.
    let p90_wait_secs = (!waits.is_empty()).then(|| {
        let rank = (waits.len() * 9).div_ceil(10);
        waits[rank.saturating_sub(1)]
    });
    let calls_per_hour = (0..WINDOW_HOURS)
        .map(|hour| {
            let hour_start = since + hour * HOUR_MS;
            let count = window
                .answers_per_hour
                .iter()
                .find(|(start, _)| *start == hour_start)
                .map_or(0, |(_, count)| *count);
            HourCount { hour_start, count }
        })
        .collect();
    HelpMetrics {
        waiting_now,
        mean_wait_secs,
        p90_wait_secs,
        calls_per_hour,
        outcomes: window.outcomes,
        since,
    }
}

/// The mean interval (ms) between `answers` (answer times, any order);
/// `None` with fewer than two.
pub fn answer_interval(answers: &[i64]) -> Option<f64> {
    let (first, last) = (answers.iter().min()?, answers.iter().max()?);
    (answers.len() >= 2).then(|| (last - first) as f64 / (answers.len() - 1) as f64)
}

/// The estimated wait of the customer at `position` (1 = next), seconds.
pub fn estimate(position: u32, interval_ms: Option<f64>) -> Option<u32> {
    let secs = f64::from(position) * interval_ms? / 1000.0;
    Some(secs.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::help::OutcomeCounts;

    #[test]
    fn the_window_is_the_current_hour_and_the_23_before() {
        let now = 100 * HOUR_MS + 1_234;
        assert_eq!(window_start(now), 77 * HOUR_MS);
        assert_eq!(window_start(100 * HOUR_MS), 77 * HOUR_MS);
    }

    #[test]
    fn mean_p90_and_every_hour() {
        let since = 77 * HOUR_MS;
        let window = HelpWindow {
            // 1 s … 10 s.
            waits_ms: (1..=10).rev().map(|s| s * 1000).collect(),
            answers_per_hour: vec![(since, 4), (since + 23 * HOUR_MS, 6)],
            outcomes: OutcomeCounts {
                served: 9,
                skipped: 1,
                ..OutcomeCounts::default()
            },
        };
        let metrics = metrics(&window, 3, since);
        assert_eq!(metrics.waiting_now, 3);
        assert_eq!(metrics.mean_wait_secs, Some(5.5));
        assert_eq!(metrics.p90_wait_secs, Some(9.0));
        assert_eq!(metrics.calls_per_hour.len(), 24);
        assert_eq!(
            metrics.calls_per_hour[0],
            HourCount {
                hour_start: since,
                count: 4
            }
        );
        assert_eq!(metrics.calls_per_hour[1].count, 0);
        assert_eq!(metrics.calls_per_hour[23].count, 6);
        assert_eq!((metrics.outcomes.total(), metrics.since), (10, since));
    }

    #[test]
    fn no_history_means_no_figures() {
        let metrics = metrics(&HelpWindow::default(), 0, 0);
        assert_eq!(
            (metrics.mean_wait_secs, metrics.p90_wait_secs),
            (None, None)
        );
        assert!(metrics.calls_per_hour.iter().all(|hour| hour.count == 0));
        let one = HelpWindow {
            waits_ms: vec![4_000],
            ..HelpWindow::default()
        };
        assert_eq!(super::metrics(&one, 0, 0).p90_wait_secs, Some(4.0));
    }

    #[test]
    fn the_estimate_is_position_times_the_mean_interval() {
        assert_eq!(answer_interval(&[]), None);
        assert_eq!(answer_interval(&[5_000]), None);
        let interval = answer_interval(&[70_000, 10_000, 40_000]);
        assert_eq!(interval, Some(30_000.0));
        assert_eq!(estimate(1, interval), Some(30));
        assert_eq!(estimate(3, interval), Some(90));
        assert_eq!(estimate(3, None), None);
    }
}
