//! A small reorder window for one stream file. Audio and video arrive on
//! separate RTP streams with their own jitter, so frames may come slightly
//! out of timestamp order; Matroska wants them in order. Frames wait here
//! until they are `window_ms` older than the newest frame seen, then leave
//! in timestamp order (ties keep arrival order). A frame that arrives later
//! than the window is moved up to the last released timestamp, so output
//! timestamps never go backwards.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::TrackKind;

/// One frame waiting to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame {
    pub ts_ms: u64,
    pub kind: TrackKind,
    pub keyframe: bool,
    pub data: Vec<u8>,
}

/// A frame and its arrival number, ordered by (timestamp, arrival).
#[derive(Debug, PartialEq, Eq)]
struct Queued {
    arrival: u64,
    frame: Frame,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.frame.ts_ms, self.arrival).cmp(&(other.frame.ts_ms, other.arrival))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The window: push frames in, take them out in order.
#[derive(Debug)]
pub(crate) struct Reorder {
    window_ms: u64,
    heap: BinaryHeap<Reverse<Queued>>,
    arrivals: u64,
    newest_ms: u64,
    released_ms: u64,
}

impl Reorder {
    /// A window holding frames for `window_ms`.
    pub fn new(window_ms: u64) -> Reorder {
        Reorder {
            window_ms,
            heap: BinaryHeap::new(),
            arrivals: 0,
            newest_ms: 0,
            released_ms: 0,
        }
    }

    /// Adds a frame; one older than everything already released is moved
    /// up to the last released timestamp.
    pub fn push(&mut self, mut frame: Frame) {
        frame.ts_ms = frame.ts_ms.max(self.released_ms);
        self.newest_ms = self.newest_ms.max(frame.ts_ms);
        self.arrivals += 1;
        self.heap.push(Reverse(Queued {
            arrival: self.arrivals,
            frame,
        }));
    }

    /// The oldest frame if it has waited out the window.
    pub fn pop_ready(&mut self) -> Option<Frame> {
        let oldest = self.heap.peek()?.0.frame.ts_ms;
        if oldest + self.window_ms > self.newest_ms {
            return None;
        }
        self.pop()
    }

    /// The oldest frame, whatever the window (for the end of the stream).
    pub fn pop(&mut self) -> Option<Frame> {
        let Reverse(queued) = self.heap.pop()?;
        self.released_ms = queued.frame.ts_ms;
        Some(queued.frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(ts_ms: u64, kind: TrackKind) -> Frame {
        Frame {
            ts_ms,
            kind,
            keyframe: false,
            data: vec![ts_ms as u8],
        }
    }

    fn drain_ready(window: &mut Reorder) -> Vec<u64> {
        std::iter::from_fn(|| window.pop_ready())
            .map(|f| f.ts_ms)
            .collect()
    }

    #[test]
    fn frames_wait_for_the_window_then_leave_in_order() {
        let mut window = Reorder::new(300);
        window.push(frame(0, TrackKind::Video));
        window.push(frame(40, TrackKind::Audio));
        window.push(frame(20, TrackKind::Audio));
        assert_eq!(drain_ready(&mut window), Vec::<u64>::new());
        window.push(frame(320, TrackKind::Video));
        assert_eq!(drain_ready(&mut window), [0, 20]);
        window.push(frame(400, TrackKind::Audio));
        assert_eq!(drain_ready(&mut window), [40]);
        assert_eq!(
            std::iter::from_fn(|| window.pop())
                .map(|f| f.ts_ms)
                .collect::<Vec<_>>(),
            [320, 400]
        );
    }

    #[test]
    fn equal_timestamps_keep_arrival_order() {
        let mut window = Reorder::new(0);
        window.push(frame(10, TrackKind::Video));
        window.push(frame(10, TrackKind::Audio));
        assert_eq!(window.pop().map(|f| f.kind), Some(TrackKind::Video));
        assert_eq!(window.pop().map(|f| f.kind), Some(TrackKind::Audio));
    }

    #[test]
    fn frames_later_than_the_window_never_go_backwards() {
        let mut window = Reorder::new(100);
        window.push(frame(0, TrackKind::Audio));
        window.push(frame(500, TrackKind::Audio));
        assert_eq!(drain_ready(&mut window), [0]);
        window.push(frame(700, TrackKind::Audio));
        assert_eq!(drain_ready(&mut window), [500]);
        let late = Frame {
            data: vec![9],
            ..frame(200, TrackKind::Video)
        };
        window.push(late);
        let released = window.pop().unwrap();
        assert_eq!((released.ts_ms, released.data), (500, vec![9]));
    }
}
