//! How the metrics page writes durations and times: waits in seconds and
//! minutes ("45 s", "3 min 05 s", "1 h 02 min"), times in UTC (the page is
//! rendered on the server, which knows no viewer's time zone, and the same
//! text must come out after hydration).

use time::macros::format_description;
use time::OffsetDateTime;

/// A wait of `secs` seconds, rounded to the second.
pub fn wait(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "—".into();
    }
    // Waits fit easily; anything absurd saturates rather than wraps.
    let total = secs.round().min(u32::MAX as f64) as u64;
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours} h {minutes:02} min")
    } else if minutes > 0 {
        format!("{minutes} min {seconds:02} s")
    } else {
        format!("{seconds} s")
    }
}

/// A wait between two instants in ms, if both are known and in order.
pub fn wait_between(from_ms: Option<i64>, to_ms: Option<i64>) -> Option<String> {
    let (from, to) = (from_ms?, to_ms?);
    (to >= from).then(|| wait((to - from) as f64 / 1000.0))
}

fn at(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()
}

/// `14:05` (UTC).
pub fn clock(ms: i64) -> String {
    at(ms)
        .and_then(|t| t.format(format_description!("[hour]:[minute]")).ok())
        .unwrap_or_else(|| "?".into())
}

/// `24 Nov 14:05` (UTC).
pub fn date_time(ms: i64) -> String {
    at(ms)
        .and_then(|t| {
            t.format(format_description!(
                "[day padding:none] [month repr:short] [hour]:[minute]"
            ))
            .ok()
        })
        .unwrap_or_else(|| "?".into())
}

/// `14:00–15:00` for the hour starting at `start_ms`.
pub fn hour_range(start_ms: i64) -> String {
    format!("{}–{}", clock(start_ms), clock(start_ms + 3_600_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-24 14:05:30 UTC.
    const T: i64 = 1_795_529_130_000;

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait(0.4), "0 s");
        assert_eq!(wait(44.6), "45 s");
        assert_eq!(wait(185.0), "3 min 05 s");
        assert_eq!(wait(3_720.0), "1 h 02 min");
        assert_eq!(wait(-1.0), "—");
        assert_eq!(wait(f64::NAN), "—");
    }

    #[test]
    fn waits_between_instants_need_both_in_order() {
        assert_eq!(
            wait_between(Some(T), Some(T + 65_000)).as_deref(),
            Some("1 min 05 s")
        );
        assert_eq!(wait_between(Some(T), None), None);
        assert_eq!(wait_between(None, Some(T)), None);
        assert_eq!(wait_between(Some(T), Some(T - 1)), None);
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(clock(T), "14:05");
        assert_eq!(date_time(T), "24 Nov 14:05");
        assert_eq!(hour_range(T - 330_000), "14:00–15:00");
        assert_eq!(hour_range(T - 330_000 + 9 * 3_600_000), "23:00–00:00");
    }
}
