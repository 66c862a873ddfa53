//! A publisher's fan-out: each frame it receives goes, as one shared
//! `Arc`, to the bounded queue of every subscriber task of its stream.
//! A queue that is full loses the frame (forwarding never waits for a slow
//! subscriber), and a subscriber that lost video — or just joined — gets
//! no more video until the next keyframe, since the deltas in between
//! could not be decoded; the publisher is asked for one meanwhile.

use std::sync::Arc;

use str0m::format::PayloadParams;
use str0m::media::MediaTime;
use tokio::sync::mpsc::{self, error::TrySendError};
use uuid::Uuid;

use super::tap::MediaFrame;
use crate::engine::recording::TrackKind;

/// Frames one subscriber task may have queued.
pub const SUBSCRIBER_QUEUE: usize = 128;

/// A frame as a publisher hands it to its subscribers.
#[derive(Debug)]
pub struct Forwarded {
    /// The frame itself (shared with the recorders' taps).
    pub media: Arc<MediaFrame>,
    /// Its codec parameters, matched against the subscriber's.
    pub params: PayloadParams,
    /// Its RTP time, as the publisher sent it.
    pub rtp_time: MediaTime,
}

impl Forwarded {
    /// A video frame that is not a keyframe.
    fn is_delta(&self) -> bool {
        self.media.kind == TrackKind::Video && !self.media.keyframe
    }
}

/// The sending end of a subscriber task's frame queue.
pub type FrameSender = mpsc::Sender<Arc<Forwarded>>;

/// One subscriber's queue and whether it waits for a keyframe.
#[derive(Debug)]
struct Outlet {
    subscriber: Uuid,
    frames: FrameSender,
    awaiting_keyframe: bool,
}

/// Every subscriber queue of one published stream.
#[derive(Debug, Default)]
pub struct Fanout {
    outlets: Vec<Outlet>,
}

impl Fanout {
    /// Adds (or replaces) `subscriber`'s queue; it waits for a keyframe.
    pub fn attach(&mut self, subscriber: Uuid, frames: FrameSender) {
        self.detach(subscriber);
        self.outlets.push(Outlet {
            subscriber,
            frames,
            awaiting_keyframe: true,
        });
    }

    /// Removes `subscriber`'s queue; `true` if it had one.
    pub fn detach(&mut self, subscriber: Uuid) -> bool {
        let before = self.outlets.len();
        self.outlets.retain(|o| o.subscriber != subscriber);
        self.outlets.len() != before
    }

    /// Queues `frame` for every subscriber that can use it; `true` when a
    /// subscriber is waiting for a keyframe (ask the publisher for one).
    /// Subscribers whose task ended are dropped.
    pub fn deliver(&mut self, frame: &Arc<Forwarded>) -> bool {
        let mut wants_keyframe = false;
        self.outlets.retain_mut(|outlet| {
            if outlet.awaiting_keyframe && frame.is_delta() {
                wants_keyframe = true;
                return true;
            }
            match outlet.frames.try_send(frame.clone()) {
                Ok(()) => {
                    if frame.media.kind == TrackKind::Video {
                        outlet.awaiting_keyframe = false;
                    }
                    true
                }
                Err(TrySendError::Full(_)) => {
                    if frame.media.kind == TrackKind::Video {
                        outlet.awaiting_keyframe = true;
                        wants_keyframe = true;
                    }
                    true
                }
                Err(TrySendError::Closed(_)) => false,
            }
        });
        wants_keyframe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use str0m::format::Codec;

    fn frame(kind: TrackKind, keyframe: bool) -> Arc<Forwarded> {
        let media = MediaFrame {
            stream_id: Uuid::nil(),
            kind,
            captured: Instant::now(),
            data: Arc::from(&b"x"[..]),
            keyframe,
        };
        let codec = match kind {
            TrackKind::Audio => Codec::Opus,
            TrackKind::Video => Codec::Vp8,
        };
        Arc::new(Forwarded {
            media: Arc::new(media),
            params: PayloadParams::new(96.into(), None, codec_spec(codec)),
            rtp_time: MediaTime::ZERO,
        })
    }

    fn codec_spec(codec: Codec) -> str0m::format::CodecSpec {
        str0m::format::CodecSpec {
            codec,
            clock_rate: str0m::media::Frequency::NINETY_KHZ,
            channels: None,
            format: str0m::format::FormatParams::default(),
        }
    }

    fn kinds(queue: &mut mpsc::Receiver<Arc<Forwarded>>) -> Vec<(TrackKind, bool)> {
        let mut seen = Vec::new();
        while let Ok(f) = queue.try_recv() {
            seen.push((f.media.kind, f.media.keyframe));
        }
        seen
    }

    #[test]
    fn a_new_subscriber_gets_audio_at_once_and_video_from_a_keyframe() {
        let mut fanout = Fanout::default();
        let (tx, mut rx) = mpsc::channel(8);
        fanout.attach(Uuid::new_v4(), tx);
        assert!(
            fanout.deliver(&frame(TrackKind::Video, false)),
            "a keyframe is wanted"
        );
        assert!(!fanout.deliver(&frame(TrackKind::Audio, true)));
        assert!(!fanout.deliver(&frame(TrackKind::Video, true)));
        assert!(!fanout.deliver(&frame(TrackKind::Video, false)));
        use TrackKind::{Audio, Video};
        assert_eq!(
            kinds(&mut rx),
            [(Audio, true), (Video, true), (Video, false)]
        );
    }

    #[test]
    fn a_full_queue_loses_frames_and_then_waits_for_a_keyframe() {
        let mut fanout = Fanout::default();
        let (slow_tx, mut slow) = mpsc::channel(1);
        let (fast_tx, mut fast) = mpsc::channel(8);
        fanout.attach(Uuid::new_v4(), slow_tx);
        fanout.attach(Uuid::new_v4(), fast_tx);
        assert!(!fanout.deliver(&frame(TrackKind::Video, true)));
        assert!(
            fanout.deliver(&frame(TrackKind::Video, false)),
            "the slow one lost it"
        );
        assert_eq!(kinds(&mut slow).len(), 1);
        assert!(
            fanout.deliver(&frame(TrackKind::Video, false)),
            "still waiting"
        );
        assert!(
            kinds(&mut slow).is_empty(),
            "deltas after a loss are held back"
        );
        assert!(!fanout.deliver(&frame(TrackKind::Video, true)));
        assert_eq!(kinds(&mut slow), [(TrackKind::Video, true)]);
        assert_eq!(kinds(&mut fast).len(), 4, "the fast one got everything");
    }

    #[test]
    fn ended_subscribers_are_dropped_and_detach_removes_one() {
        let mut fanout = Fanout::default();
        let (gone_tx, gone_rx) = mpsc::channel(8);
        let (kept_tx, _kept_rx) = mpsc::channel(8);
        let kept = Uuid::new_v4();
        fanout.attach(Uuid::new_v4(), gone_tx);
        fanout.attach(kept, kept_tx.clone());
        fanout.attach(kept, kept_tx);
        assert_eq!(fanout.outlets.len(), 2, "attaching again replaces");
        drop(gone_rx);
        fanout.deliver(&frame(TrackKind::Audio, true));
        assert_eq!(fanout.outlets.len(), 1);
        assert!(fanout.detach(kept));
        assert!(!fanout.detach(kept));
        assert!(fanout.outlets.is_empty());
    }
}
