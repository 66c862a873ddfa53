//! The benchmark's result and its Markdown table.

use std::time::Duration;

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Participants in the room (each publishes, each subscribes to the others).
    pub participants: usize,
    /// Whether an archive was recording during the measurement.
    pub recording: bool,
    /// How long CPU was measured.
    pub window: Duration,
    /// Server CPU time in the window, in seconds.
    pub cpu_seconds: f64,
    /// Server resident memory before the room, in KiB.
    pub idle_rss_kib: u64,
    /// Server resident memory at the end of the window, in KiB.
    pub rss_kib: u64,
    /// Video frames all subscribers received in the window.
    pub video_frames: u64,
    /// Audio packets all subscribers received in the window.
    pub audio_frames: u64,
}

impl Outcome {
    /// Forwarded video streams: every participant's stream to each of the others.
    pub fn forwarded(&self) -> usize {
        self.participants * self.participants.saturating_sub(1)
    }

    /// Server CPU as a percentage of one core.
    pub fn cpu_percent(&self) -> f64 {
        100.0 * self.cpu_seconds / self.window.as_secs_f64().max(f64::EPSILON)
    }

    /// Received video frames per second per forwarded stream.
    pub fn video_fps(&self) -> f64 {
        self.video_frames as f64
            / self.window.as_secs_f64().max(f64::EPSILON)
            / self.forwarded().max(1) as f64
    }

    /// Received audio packets per second per forwarded stream.
    pub fn audio_pps(&self) -> f64 {
        self.audio_frames as f64
            / self.window.as_secs_f64().max(f64::EPSILON)
            / self.forwarded().max(1) as f64
    }
}

/// A Markdown table of `outcomes`.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| participants | forwarded video streams | recording | server CPU (% of one core) | CPU per stream | RSS (MiB) | RSS growth per stream (KiB) | received video fps / stream | received audio pps / stream |\n\
         |---:|---:|:---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for o in outcomes {
        let streams = o.forwarded().max(1) as f64;
        let growth = o.rss_kib.saturating_sub(o.idle_rss_kib) as f64 / streams;
        out.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.0} | {:.1} | {:.1} |\n",
            o.participants,
            o.forwarded(),
            if o.recording { "yes" } else { "no" },
            o.cpu_percent(),
            o.cpu_percent() / streams,
            o.rss_kib as f64 / 1024.0,
            growth,
            o.video_fps(),
            o.audio_pps(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_four_party_room_forwards_twelve_streams_and_rates_are_per_stream() {
        let outcome = Outcome {
            participants: 4,
            recording: false,
            window: Duration::from_secs(30),
            cpu_seconds: 6.0,
            idle_rss_kib: 20 * 1024,
            rss_kib: 32 * 1024,
            video_frames: 12 * 30 * 30,
            audio_frames: 12 * 50 * 30,
        };
        assert_eq!(outcome.forwarded(), 12);
        assert!((outcome.cpu_percent() - 20.0).abs() < 1e-9);
        assert!((outcome.video_fps() - 30.0).abs() < 1e-9);
        assert!((outcome.audio_pps() - 50.0).abs() < 1e-9);
        let table = table(&[outcome]);
        assert!(
            table.contains("| 4 | 12 | no | 20.0 | 1.67 | 32.0 | 1024 | 30.0 | 50.0 |"),
            "{table}"
        );
    }
}
