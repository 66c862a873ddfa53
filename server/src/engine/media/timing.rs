//! Two small clocks of the forwarding path. [`TrackClock`] turns a track's
//! RTP times into capture instants on this server's monotonic clock (the
//! first frame's arrival plus the RTP time elapsed since, re-anchored when
//! that drifts more than [`MAX_DRIFT`] from arrivals: a sender that
//! restarted its timeline, or a clock running at the wrong rate).
//! [`Throttle`] spaces keyframe requests to a publisher: a request inside
//! the gap is not lost but deferred to the gap's end.

use std::time::{Duration, Instant};

use str0m::media::MediaTime;

/// How far a computed capture time may stray from arrivals before the
/// track's clock is re-anchored.
pub const MAX_DRIFT: Duration = Duration::from_secs(1);

/// Capture instants of one track.
#[derive(Debug, Default)]
pub struct TrackClock {
    anchor: Option<(Instant, MediaTime)>,
}

impl TrackClock {
    /// When the frame with RTP time `time`, which arrived at `arrival`, was captured.
    pub fn captured(&mut self, time: MediaTime, arrival: Instant) -> Instant {
        if let Some((at, start)) = self.anchor {
            let computed = time
                .checked_sub(start)
                .and_then(|elapsed| at.checked_add(Duration::from(elapsed)));
            if let Some(computed) = computed {
                let drift = if computed > arrival {
                    computed - arrival
                } else {
                    arrival - computed
                };
                if drift <= MAX_DRIFT {
                    return computed;
                }
            }
        }
        self.anchor = Some((arrival, time));
        arrival
    }
}

/// Spaces out requests: at most one per `gap`; a request made too soon is
/// remembered and becomes due when the gap has passed.
#[derive(Debug)]
pub struct Throttle {
    gap: Duration,
    last: Option<Instant>,
    pending: bool,
}

impl Throttle {
    /// A throttle letting one request through per `gap`.
    pub fn new(gap: Duration) -> Self {
        Throttle {
            gap,
            last: None,
            pending: false,
        }
    }

    /// Asks to act now: `true` if that is allowed (and counted); otherwise
    /// the request waits until [`due`](Self::due).
    pub fn request(&mut self, now: Instant) -> bool {
        if self.last.is_some_and(|last| now < last + self.gap) {
            self.pending = true;
            return false;
        }
        self.last = Some(now);
        self.pending = false;
        true
    }

    /// When a deferred request may go, if one waits.
    pub fn due(&self) -> Option<Instant> {
        match (self.pending, self.last) {
            (true, Some(last)) => Some(last + self.gap),
            _ => None,
        }
    }

    /// `true` (and counted) when a deferred request is due at `now`.
    pub fn take_due(&mut self, now: Instant) -> bool {
        self.due().is_some_and(|due| now >= due) && self.request(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn capture_times_follow_rtp_time_not_arrival_jitter() {
        let start = Instant::now();
        let mut clock = TrackClock::default();
        assert_eq!(clock.captured(MediaTime::from_90khz(9_000), start), start);
        // 100 ms of RTP time later, arriving 30 ms late.
        let second = clock.captured(MediaTime::from_90khz(18_000), start + ms(130));
        assert_eq!(second, start + ms(100));
        // Arriving early does not move it either.
        let third = clock.captured(MediaTime::from_90khz(27_000), start + ms(150));
        assert_eq!(third, start + ms(200));
    }

    #[test]
    fn a_jump_in_rtp_time_re_anchors_the_clock() {
        let start = Instant::now();
        let mut clock = TrackClock::default();
        clock.captured(MediaTime::from_90khz(90_000), start);
        // The sender restarted: RTP time went backwards.
        let back = clock.captured(MediaTime::from_90khz(10), start + ms(20));
        assert_eq!(back, start + ms(20));
        // Then jumps 5 s ahead while only 40 ms passed.
        let ahead = clock.captured(MediaTime::from_90khz(10 + 450_000), start + ms(60));
        assert_eq!(ahead, start + ms(60));
        let next = clock.captured(MediaTime::from_90khz(10 + 450_000 + 900), start + ms(75));
        assert_eq!(next, start + ms(70));
    }

    #[test]
    fn requests_inside_the_gap_are_deferred_not_lost() {
        let start = Instant::now();
        let mut throttle = Throttle::new(ms(500));
        assert_eq!(throttle.due(), None);
        assert!(throttle.request(start));
        assert!(!throttle.request(start + ms(100)));
        assert!(
            !throttle.request(start + ms(200)),
            "one deferred request, not two"
        );
        assert_eq!(throttle.due(), Some(start + ms(500)));
        assert!(!throttle.take_due(start + ms(499)));
        assert!(throttle.take_due(start + ms(500)));
        assert_eq!(throttle.due(), None, "the deferred request went");
        assert!(!throttle.take_due(start + ms(2_000)), "nothing else waits");
        assert!(throttle.request(start + ms(2_000)));
    }
}
