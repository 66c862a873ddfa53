//! Taps: how recordings receive the media of a routed session. The media
//! router hands every frame it receives from a publisher to the session's
//! taps (one per recording archive) as an `Arc`, so a frame is shared, not
//! copied. Delivery is a `try_send` on a bounded channel: a recorder that
//! falls behind loses frames, never slows forwarding down.
//!
//! A tap sees, per stream: [`TapEvent::StreamStarted`] (for the streams
//! already there when it is added, and for every new one), its frames, and
//! [`TapEvent::StreamEnded`].

use std::collections::HashMap;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use uuid::Uuid;

use crate::engine::hub::protocol::StreamView;
use crate::engine::recording::TrackKind;
use crate::opentok::session_id::SessionId;

/// One depacketized media frame of a routed stream.
#[derive(Debug, Clone)]
pub struct MediaFrame {
    /// The stream it belongs to.
    pub stream_id: Uuid,
    /// Audio (Opus) or video (VP8).
    pub kind: TrackKind,
    /// When it was captured, on this server's monotonic clock: the arrival
    /// of the track's first frame plus the RTP time elapsed since it, so a
    /// track's frames keep their sender's spacing whatever the jitter.
    pub captured: Instant,
    /// The codec payload (one whole VP8 frame or Opus packet).
    pub data: Arc<[u8]>,
    /// A VP8 keyframe (always `true` for audio).
    pub keyframe: bool,
}

/// What a tap receives.
#[derive(Debug, Clone)]
pub enum TapEvent {
    /// A stream is being routed (or was already when the tap was added).
    StreamStarted {
        /// The stream as the session announces it.
        stream: StreamView,
        /// The publisher's connection data (for the individual manifest).
        connection_data: Option<String>,
    },
    /// A frame of a started stream.
    Frame(Arc<MediaFrame>),
    /// A stream stopped (unpublished, or its publisher left).
    StreamEnded {
        /// Which one.
        stream_id: Uuid,
    },
}

/// The sending end a recorder registers.
pub type Tap = SyncSender<TapEvent>;

/// The taps of every session, keyed by the archive that owns each.
#[derive(Debug, Default)]
pub struct Taps {
    sessions: Mutex<HashMap<SessionId, Vec<(Uuid, Tap)>>>,
}

impl Taps {
    /// Adds `tap` for archive `owner` (replacing an older one of it).
    pub fn add(&self, session: &SessionId, owner: Uuid, tap: Tap) {
        let mut sessions = self.lock();
        let list = sessions.entry(session.clone()).or_default();
        list.retain(|(id, _)| *id != owner);
        list.push((owner, tap));
    }

    /// Removes archive `owner`'s tap; `true` if it had one.
    pub fn remove(&self, session: &SessionId, owner: Uuid) -> bool {
        let mut sessions = self.lock();
        let Some(list) = sessions.get_mut(session) else {
            return false;
        };
        let before = list.len();
        list.retain(|(id, _)| *id != owner);
        let removed = list.len() != before;
        if list.is_empty() {
            sessions.remove(session);
        }
        removed
    }

    /// Whether the session has any tap (whether frames are worth building).
    pub fn any(&self, session: &SessionId) -> bool {
        self.lock().contains_key(session)
    }

    /// Sends `event` to one tap only (a newcomer's view of existing streams).
    pub fn send_to(&self, session: &SessionId, owner: Uuid, event: TapEvent) {
        let sessions = self.lock();
        if let Some((_, tap)) = sessions
            .get(session)
            .and_then(|list| list.iter().find(|(id, _)| *id == owner))
        {
            deliver(tap, event);
        }
    }

    /// Sends `event` to every tap of the session.
    pub fn emit(&self, session: &SessionId, event: TapEvent) {
        let sessions = self.lock();
        let Some(list) = sessions.get(session) else {
            return;
        };
        for (_, tap) in list {
            deliver(tap, event.clone());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Vec<(Uuid, Tap)>>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn deliver(tap: &Tap, event: TapEvent) {
    match tap.try_send(event) {
        Ok(()) | Err(TrySendError::Disconnected(_)) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("a recorder is behind: a media frame was dropped");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;

    fn session() -> SessionId {
        SessionId::parse("1_MX4xMjM0NTZ-flNhdCBNYXIgMTUgMTQ6NDI6MjMgUERUIDIwMTR-MC40OTAxMzAyNX4")
            .expect("fixture id")
    }

    fn ended(id: Uuid) -> TapEvent {
        TapEvent::StreamEnded { stream_id: id }
    }

    #[test]
    fn events_reach_every_tap_of_the_session_until_removed() {
        let taps = Taps::default();
        let (a, a_rx) = sync_channel(8);
        let (b, b_rx) = sync_channel(8);
        let (archive_a, archive_b, stream) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        taps.add(&session(), archive_a, a);
        taps.add(&session(), archive_b, b);
        assert!(taps.any(&session()));
        taps.emit(&session(), ended(stream));
        taps.send_to(&session(), archive_b, ended(stream));
        assert_eq!(a_rx.try_iter().count(), 1);
        assert_eq!(b_rx.try_iter().count(), 2);
        assert!(taps.remove(&session(), archive_a));
        assert!(!taps.remove(&session(), archive_a));
        taps.emit(&session(), ended(stream));
        assert_eq!(a_rx.try_iter().count(), 0);
        assert!(taps.remove(&session(), archive_b));
        assert!(!taps.any(&session()));
    }

    #[test]
    fn a_full_tap_loses_the_frame_instead_of_blocking() {
        let taps = Taps::default();
        let (tap, rx) = sync_channel(1);
        taps.add(&session(), Uuid::new_v4(), tap);
        for _ in 0..3 {
            taps.emit(&session(), ended(Uuid::new_v4()));
        }
        assert_eq!(rx.try_iter().count(), 1);
    }
}
